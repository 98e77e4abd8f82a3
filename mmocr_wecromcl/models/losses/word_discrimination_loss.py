# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Within-image word discrimination, an auxiliary loss of WeCromCL."""
from typing import Dict, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmocr.registry import MODELS
from torch import Tensor


@MODELS.register_module()
class WordDiscriminationLoss(nn.Module):
    """Cross-entropy between the words of one image.

    WeCromCL's contrastive loss never compares two words of the same image:
    an image code that every pixel shares satisfies it wherever a word's
    activation lands, and on multi-word images the activation of one word
    then often peaks on another. This loss asks that the feature which word
    ``q`` attends to, F(I, q), be more similar to ``q`` than to the image's
    other words; it uses transcriptions only.

    For an image with M >= 2 distinct words, ``sims[q, t]`` = s(F(I, q), t);
    each row is a cross-entropy with target ``q``. The loss is the mean over
    the rows of all images.

    Args:
        loss_weight (float): Weight of the loss. Defaults to 1.
    """

    def __init__(self, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, sims: Sequence[Tensor]) -> Dict[str, Tensor]:
        """
        Args:
            sims (Sequence[Tensor]): Per image with at least two distinct
                words, its (M_i, M_i) similarities; not empty.

        Returns:
            dict: ``loss_word``, the weighted mean cross-entropy over the
            sum of M_i rows.
        """
        total = sum(
            F.cross_entropy(
                s, torch.arange(len(s), device=s.device), reduction='sum')
            for s in sims)
        rows = sum(len(s) for s in sims)
        return dict(loss_word=self.loss_weight * total / rows)
