# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .text import (IGNORED_WORD, MAX_WORD_LEN, build_dictionary,
                   is_case_insensitive, normalize_word, resource_path)

__all__ = [
    'IGNORED_WORD', 'MAX_WORD_LEN', 'build_dictionary', 'is_case_insensitive',
    'normalize_word', 'resource_path'
]
