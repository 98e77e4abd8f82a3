# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""The English vocabulary shipped with the package (see docs)."""
from functools import lru_cache
from typing import List, Optional

from .text import resource_path


@lru_cache(maxsize=8)
def _read_words(path: str) -> tuple:
    with open(path, encoding='utf-8') as f:
        return tuple(line.strip() for line in f if line.strip())


def load_vocabulary(path: Optional[str] = None) -> List[str]:
    """Words of a vocabulary file, one per line (cached).

    Args:
        path (str, optional): The file. Defaults to the shipped
            ``resources/english_words.txt``.

    Returns:
        list[str]: The words, in file order.
    """
    return list(_read_words(path or resource_path('english_words.txt')))
