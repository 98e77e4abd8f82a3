# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Turn raw transcriptions into stage-1 supervision."""
import warnings
from typing import Dict, Optional, Union

import numpy as np
from mmcv.transforms import BaseTransform
from mmengine.logging import print_log
from mmocr.models.common.dictionary import Dictionary
from mmocr.registry import TRANSFORMS

from mmocr_wecromcl.utils import (MAX_WORD_LEN, build_dictionary,
                                  is_ignored_word, normalize_word)


@TRANSFORMS.register_module()
class NormalizeTranscriptions(BaseTransform):
    """Normalise ``gt_texts`` with the model's dictionary; drop unusable ones.

    Each word goes through :func:`mmocr_wecromcl.utils.normalize_word`:
    characters outside the dictionary are removed, letters are lower-cased
    for a case-insensitive dictionary, words are truncated to ``max_seq_len``;
    ``'###'``, ignored and empty results are dropped (with ``gt_ignored``
    when present); a word dropped for having no character of the dictionary
    is warned about (once per image and word), naming the image. An image
    left without any word is skipped: the transform returns None with a
    warning that names the image, and mmengine's dataset draws another
    sample.

    Required Keys: gt_texts, img_path. Optional: gt_ignored.
    Modified Keys: gt_texts, gt_ignored.

    Args:
        dictionary (dict or Dictionary): The alphabet, as for the text
            encoder.
        max_seq_len (int): Maximum word length. Defaults to 25.
    """

    def __init__(self,
                 dictionary: Union[Dict, Dictionary],
                 max_seq_len: int = MAX_WORD_LEN) -> None:
        self.dictionary = build_dictionary(dictionary)
        self.max_seq_len = max_seq_len

    def transform(self, results: dict) -> Optional[dict]:
        texts = results.get('gt_texts', [])
        ignored = results.get('gt_ignored', np.zeros(len(texts), dtype=bool))
        keep, words = [], []
        for i, (text, ign) in enumerate(zip(texts, ignored)):
            word = '' if ign else normalize_word(text, self.dictionary,
                                                 self.max_seq_len)
            if word:
                keep.append(i)
                words.append(word)
            elif not ign and text and not is_ignored_word(text):
                # warnings.warn: shown once per image and word, not per epoch
                warnings.warn(
                    f'{results.get("img_path")}: {text!r} has no character '
                    'of the dictionary and is left out')
        if not words:
            print_log(
                f'skipping {results.get("img_path")}: no transcription is '
                'usable (all empty, "###", ignored or outside the '
                'dictionary)',
                logger='current',
                level=30)
            return None
        results['gt_texts'] = words
        if 'gt_ignored' in results:
            results['gt_ignored'] = np.zeros(len(words), dtype=bool)
        return results

    def __repr__(self) -> str:
        return (
            f'{self.__class__.__name__}(num_chars='
            f'{self.dictionary.num_classes}, max_seq_len={self.max_seq_len})')
