# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""The English vocabulary shipped with the package.

``resources/english_words.txt`` holds 20,000 frequent English words (a-z,
2 to 15 letters, one per line) taken from the ``wordfreq`` package; see
``docs/synthetic_data.md`` for how it was built and its licence. The
synthetic data generator draws words from it and negative-sample mining
draws distractor words from it.
"""
import os.path as osp
from functools import lru_cache
from typing import List, Optional, Tuple

from .text import resource_path

DEFAULT_VOCABULARY = 'english_words.txt'


@lru_cache(maxsize=8)
def _read_vocabulary(path: str) -> Tuple[str, ...]:
    with open(path, encoding='utf-8') as f:
        words = tuple(line.strip() for line in f)
    return tuple(word for word in words if word)


def load_vocabulary(path: Optional[str] = None) -> List[str]:
    """Load a vocabulary file, one word per line (read once per process).

    Args:
        path (str, optional): The file. Blank lines are skipped and
            surrounding white space is stripped. Defaults to the shipped
            ``english_words.txt``.

    Returns:
        list[str]: The words in file order (a fresh list on every call, so
        callers may modify it).
    """
    if path is None:
        path = resource_path(DEFAULT_VOCABULARY)
    return list(_read_vocabulary(osp.abspath(path)))
