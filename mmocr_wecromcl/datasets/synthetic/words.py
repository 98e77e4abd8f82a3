# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Transcriptions drawn by the synthetic scene-text generator."""
import string
from typing import Sequence

import numpy as np

LETTERS = string.ascii_lowercase
DIGITS = string.digits


class WordSampler:
    """Draw words, numbers and mixed letter/digit tokens.

    A token is a vocabulary word with probability
    ``1 - prob_number - prob_mixed``, a number (``'7'``, ``'2019'``,
    ``'40315'``) with probability ``prob_number`` or a mixed token with at
    least one letter and one digit (``'b52'``, ``'x7k'``, ``'4wd'``) with
    probability ``prob_mixed``. Letters are then upper-cased with
    probability ``prob_upper``, title-cased with probability ``prob_title``
    and left lower-case otherwise.

    Args:
        vocabulary (Sequence[str]): Lower-case words.
        prob_number (float): Probability of a number.
        prob_mixed (float): Probability of a mixed token.
        prob_upper (float): Probability of upper case.
        prob_title (float): Probability of title case.
    """

    def __init__(self,
                 vocabulary: Sequence[str],
                 prob_number: float = 0.08,
                 prob_mixed: float = 0.07,
                 prob_upper: float = 0.25,
                 prob_title: float = 0.25) -> None:
        if not vocabulary:
            raise ValueError('The vocabulary is empty')
        if prob_number + prob_mixed > 1 or prob_upper + prob_title > 1:
            raise ValueError('Token and case probabilities must each sum '
                             'to at most 1')
        self.vocabulary = list(vocabulary)
        self.prob_number = prob_number
        self.prob_mixed = prob_mixed
        self.prob_upper = prob_upper
        self.prob_title = prob_title

    def __call__(self, rng: np.random.Generator) -> str:
        """Draw one token.

        Args:
            rng (np.random.Generator): The random source.

        Returns:
            str: A non-empty token made of ASCII letters and digits.
        """
        kind = rng.random()
        if kind < self.prob_number:
            token = self._number(rng)
        elif kind < self.prob_number + self.prob_mixed:
            token = self._mixed(rng)
        else:
            token = self.vocabulary[rng.integers(len(self.vocabulary))]
        case = rng.random()
        if case < self.prob_upper:
            return token.upper()
        if case < self.prob_upper + self.prob_title:
            return token[0].upper() + token[1:]
        return token

    @staticmethod
    def _number(rng: np.random.Generator) -> str:
        if rng.random() < 0.3:
            return str(rng.integers(1900, 2031))
        num_digits = int(rng.integers(1, 6))
        first = str(rng.integers(1, 10))
        rest = ''.join(rng.choice(list(DIGITS), num_digits - 1))
        return first + rest

    @staticmethod
    def _mixed(rng: np.random.Generator) -> str:
        length = int(rng.integers(2, 7))
        chars = [
            rng.choice(list(LETTERS if rng.random() < 0.5 else DIGITS))
            for _ in range(length)
        ]
        letter_pos, digit_pos = rng.choice(length, 2, replace=False)
        chars[letter_pos] = rng.choice(list(LETTERS))
        chars[digit_pos] = rng.choice(list(DIGITS))
        return ''.join(chars)
