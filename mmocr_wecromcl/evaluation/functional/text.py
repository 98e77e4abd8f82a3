# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Transcription rules of the end-to-end evaluation protocols.

The rules follow the ICDAR 2015 end-to-end protocol (also used by SPTS and
ABCNet for Total-Text word spotting):

- special characters are ``!?.:,*"()·[]/'``;
- for word spotting, a transcription is cleaned (a final ``'s`` and hyphens
  at either end removed, special characters replaced by spaces) and is a
  "dictionary word" only if the cleaned text has no space, at least 3
  characters, and only letters (Latin, Latin-1/Extended, Greek) or ``-``;
  digits are not allowed.
"""
from typing import Optional

SPECIAL_CHARACTERS = '!?.:,*"()·[]/\''

# Unicode ranges (inclusive) of the characters a dictionary word may hold.
_WORD_CHAR_RANGES = ((ord('a'), ord('z')), (ord('A'), ord('Z')),
                     (ord('À'), ord('ƿ')), (ord('Ǆ'), ord('ɿ')),
                     (ord('Ά'), ord('Ͽ')), (ord('-'), ord('-')))
_NOT_WORD_CHARS = '×÷·'
MIN_WORD_SPOTTING_LEN = 3


def strip_special_chars(text: str) -> str:
    """Remove special characters from both ends of a transcription."""
    return text.strip(SPECIAL_CHARACTERS)


def match_key(text: str, strip_special: bool = False) -> str:
    """The form under which two transcriptions are compared.

    Args:
        text (str): A transcription.
        strip_special (bool): Whether to remove special characters from both
            ends first (ICDAR 2015 end-to-end rule). Defaults to False.

    Returns:
        str: The upper-cased (optionally stripped) text; two words match
        when their keys are equal.
    """
    if strip_special:
        text = strip_special_chars(text)
    return text.upper()


def _clean_for_word_spotting(text: str) -> str:
    if text[-2:] in ("'s", "'S"):
        text = text[:-2]
    text = text.strip('-')
    for char in SPECIAL_CHARACTERS:
        text = text.replace(char, ' ')
    return text.strip()


def _is_dictionary_word(text: str) -> bool:
    if ' ' in text or len(text) < MIN_WORD_SPOTTING_LEN:
        return False
    return all(
        char not in _NOT_WORD_CHARS and any(low <= ord(char) <= high
                                            for low, high in _WORD_CHAR_RANGES)
        for char in text)


def word_spotting_text(text: str) -> Optional[str]:
    """Clean a transcription for word spotting, or reject it.

    Args:
        text (str): A transcription.

    Returns:
        str or None: The cleaned word if it is a dictionary word (see the
        module docstring), else None (the instance does not take part).
    """
    cleaned = _clean_for_word_spotting(text)
    return cleaned if _is_dictionary_word(cleaned) else None
