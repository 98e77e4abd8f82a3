# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Lexicons of the end-to-end protocols and word correction with them.

The files are those distributed with the ICDAR 2013/2015 and Total-Text
benchmarks (as laid out by MMOCR's dataset preparer under
``data/<dataset>/lexicons/``):

- a lexicon file holds one (normalised) word per line;
- its pair file maps each normalised word to the original GT word(s), one
  per line: ``NORMALISED original text`` (the first space separates them).
"""
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from mmengine.fileio import get_text
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein


def read_lexicon_file(path: str) -> List[str]:
    """Read the words of a lexicon file (blank lines skipped).

    Args:
        path (str): The file (any backend of :mod:`mmengine.fileio`).

    Returns:
        list[str]: The words, stripped, in file order.
    """
    lines = (line.strip() for line in get_text(path).splitlines())
    return [line for line in lines if line]


def read_pair_file(path: str) -> Dict[str, str]:
    """Read a pair file.

    Args:
        path (str): The file.

    Returns:
        dict[str, str]: Upper-cased normalised word -> original word. A line
        without a second field maps the word to itself.
    """
    pairs = {}
    for line in get_text(path).splitlines():
        line = line.strip()
        if not line:
            continue
        word, _, original = line.partition(' ')
        pairs[word.upper()] = original or word
    return pairs


class Lexicon:
    """A vocabulary that corrects predicted words.

    A word is replaced by the lexicon word of smallest normalised edit
    distance (Levenshtein distance divided by the longer length, both words
    upper-cased; ties go to the first word of the lexicon), then mapped to
    its original form through the pairs when it has one.

    Args:
        words (Sequence[str]): The lexicon words (non-empty).
        pairs (dict[str, str], optional): Upper-cased lexicon word ->
            original word. Defaults to None.
    """

    def __init__(self,
                 words: Sequence[str],
                 pairs: Optional[Dict[str, str]] = None) -> None:
        if len(words) == 0:
            raise ValueError('A lexicon needs at least one word.')
        self.words = [word.upper() for word in words]
        self.pairs = pairs or {}

    @classmethod
    def from_files(cls,
                   lexicon_file: str,
                   pair_file: Optional[str] = None) -> 'Lexicon':
        """Load a lexicon and, optionally, its pair file."""
        pairs = read_pair_file(pair_file) if pair_file else None
        return cls(read_lexicon_file(lexicon_file), pairs)

    def correct(self, texts: Sequence[str]) -> Tuple[List[str], np.ndarray]:
        """Replace words by their nearest lexicon words.

        Args:
            texts (Sequence[str]): M predicted words.

        Returns:
            tuple(list[str], np.ndarray): The M corrected words and their
            normalised edit distances to the chosen lexicon words, float64
            array of shape (M,).
        """
        if len(texts) == 0:
            return [], np.zeros(0)
        dists = process.cdist([text.upper() for text in texts],
                              self.words,
                              scorer=Levenshtein.normalized_distance,
                              dtype=np.float64)
        best = dists.argmin(axis=1)
        words = [self.words[idx] for idx in best]
        return ([self.pairs.get(word, word)
                 for word in words], dists[np.arange(len(texts)), best])
