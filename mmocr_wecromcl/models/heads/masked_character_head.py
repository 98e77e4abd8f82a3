# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Masked-character grounding, an auxiliary head of WeCromCL."""
from typing import Dict, Optional

import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from torch import Tensor


@MODELS.register_module()
class MaskedCharacterHead(BaseModule):
    """Read a masked character back from the pixels its query attends to.

    In the spirit of oCLIP's masked-character prediction: one character of a
    word is replaced by [MASK]; the text encoder's embedding at that
    position queries the image through the cross-modal head, and this head
    classifies the attended feature F(I, q_k) as the masked character. The
    feature holds only what the attention found in the image, so the loss
    is low only if the query, knowing the rest of the word, attends to that
    character: a character-level signal from transcriptions alone.

    Args:
        embed_dims (int): Width of the attended features.
        num_classes (int): Characters of the dictionary.
        loss_weight (float): Weight of the loss. Defaults to 1.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 embed_dims: int,
                 num_classes: int,
                 loss_weight: float = 1.0,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.classifier = nn.Linear(embed_dims, num_classes)
        self.loss_weight = loss_weight

    def loss(self, fused: Tensor, targets: Tensor) -> Dict[str, Tensor]:
        """
        Args:
            fused (Tensor): Attended features of the masked queries (N, C).
            targets (Tensor): Dictionary index of each masked character
                (N,), long.

        Returns:
            dict: ``loss_char`` (weighted mean cross-entropy) and
            ``char_acc`` (accuracy, not a loss).
        """
        logits = self.classifier(fused)
        return dict(
            loss_char=self.loss_weight * F.cross_entropy(logits, targets),
            char_acc=(logits.argmax(-1) == targets).float().mean().detach())
