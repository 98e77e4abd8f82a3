# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Dictionary handling shared by both stages.

Stage 1 (text encoder, negative mining) and stage 2 (recognition targets)
normalise words the same way: through an MMOCR :class:`Dictionary`, dropping
characters it does not know, lower-casing when it has no upper-case letters,
and truncating to the maximum word length.
"""
import os.path as osp
from typing import Dict, Optional, Union

from mmocr.models.common.dictionary import Dictionary
from mmocr.registry import TASK_UTILS

IGNORED_WORD = '###'
MAX_WORD_LEN = 25
RESOURCE_DIR = osp.join(osp.dirname(osp.dirname(__file__)), 'resources')


def resource_path(name: str) -> str:
    """Absolute path of a file shipped in ``mmocr_wecromcl/resources``."""
    return osp.join(RESOURCE_DIR, name)


def build_dictionary(dictionary: Union[Dict, Dictionary]) -> Dictionary:
    """Build an MMOCR dictionary from a config (``TASK_UTILS``) or pass it.

    A relative ``dict_file`` that does not exist is looked up among the
    dictionaries this package ships (``resources/dicts``).
    """
    if isinstance(dictionary, Dictionary):
        return dictionary
    cfg = dict(dictionary)
    dict_file = cfg.get('dict_file')
    if dict_file and not osp.exists(dict_file):
        shipped = resource_path(osp.join('dicts', osp.basename(dict_file)))
        if osp.exists(shipped):
            cfg['dict_file'] = shipped
    return TASK_UTILS.build(cfg)


def is_case_insensitive(dictionary: Dictionary) -> bool:
    """Whether the dictionary has letters of one case only (lower)."""
    return not any(c.isupper() for c in dictionary.dict)


def is_ignored_word(text: Optional[str]) -> bool:
    """Whether a transcription is the "do not care" mark ``'###'``.

    Args:
        text (str, optional): A transcription (surrounding white space is
            not part of the mark).

    Returns:
        bool: True for ``'###'``.
    """
    return text is not None and text.strip() == IGNORED_WORD


def is_ignored_instance(instance: dict) -> bool:
    """Whether an annotated word is no target of training or evaluation.

    Training, labelling and the metrics skip the same words: those flagged
    ``ignore`` and those transcribed ``'###'``.

    Args:
        instance (dict): An instance of a textspotting annotation entry
            (optional ``ignore`` and ``text``).

    Returns:
        bool: True if the word is ignored.
    """
    return bool(instance.get('ignore', False)) or is_ignored_word(
        instance.get('text'))


def normalize_word(text: str,
                   dictionary: Dictionary,
                   max_seq_len: int = MAX_WORD_LEN) -> str:
    """Normalise a transcription for training.

    Args:
        text (str): The raw transcription.
        dictionary (Dictionary): The alphabet.
        max_seq_len (int): Longer words are truncated to this many characters.

    Returns:
        str: The word with unknown characters removed, lower-cased if the
        dictionary is case-insensitive, truncated; ``''`` for ``'###'`` and
        for words with no known character (callers drop those).
    """
    if text is None or is_ignored_word(text):
        return ''
    if is_case_insensitive(dictionary):
        text = text.lower()
    known = dictionary._char2idx
    return ''.join(c for c in text if c in known)[:max_seq_len]
