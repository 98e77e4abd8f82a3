# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Negative-sample mining for WeCromCL's contrastive loss."""
import zlib
from typing import Optional

import numpy as np
from mmcv.transforms import BaseTransform
from mmocr.registry import TRANSFORMS

from mmocr_wecromcl.utils.vocabulary import load_vocabulary


@TRANSFORMS.register_module()
class NegativeSampleMining(BaseTransform):
    """Add ``num_negatives`` unpaired transcriptions to an image.

    The negatives are distinct words of a vocabulary that are not a word of
    the image (compared case-insensitively). As in the paper, random unpaired
    words are used (the authors found them as good as hard mining). The draw
    depends only on ``seed``, the epoch-independent ``sample_idx`` and the
    image's words, so it is reproducible across runs, workers and ranks.

    Required Keys: gt_texts. Optional: sample_idx.
    Added Keys: negative_texts (list[str]).

    Args:
        num_negatives (int): N, the number of negatives. Defaults to 16.
        vocabulary (str, optional): A file with one word per line. Defaults
            to the English vocabulary shipped with the package.
        seed (int): Seed of the draw. Defaults to 0.
        lower (bool): Lower-case the negatives (for a case-insensitive
            dictionary). Defaults to True.
    """

    def __init__(self,
                 num_negatives: int = 16,
                 vocabulary: Optional[str] = None,
                 seed: int = 0,
                 lower: bool = True) -> None:
        words = load_vocabulary(vocabulary)
        if lower:
            words = [w.lower() for w in words]
        self.words = sorted(set(words))
        if len(self.words) < num_negatives + 1:
            raise ValueError(f'the vocabulary has {len(self.words)} distinct '
                             f'words, fewer than num_negatives + 1 = '
                             f'{num_negatives + 1}')
        self.num_negatives = num_negatives
        self.vocabulary = vocabulary
        self.seed = seed
        self.lower = lower

    def transform(self, results: dict) -> dict:
        image_words = {t.lower() for t in results.get('gt_texts', [])}
        key = '\n'.join(sorted(image_words)).encode()
        rng = np.random.default_rng(
            [self.seed,
             results.get('sample_idx', 0),
             zlib.crc32(key)])
        negatives = []
        seen = set()
        # Rejection sampling: the image holds few words, the vocabulary many.
        while len(negatives) < self.num_negatives:
            for idx in rng.integers(0, len(self.words), self.num_negatives):
                word = self.words[idx]
                if word.lower() in image_words or word in seen:
                    continue
                seen.add(word)
                negatives.append(word)
                if len(negatives) == self.num_negatives:
                    break
        results['negative_texts'] = negatives
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(num_negatives='
                f'{self.num_negatives}, vocabulary={self.vocabulary}, '
                f'seed={self.seed}, lower={self.lower})')
