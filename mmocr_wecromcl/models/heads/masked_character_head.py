# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Masked-character grounding, an auxiliary head of WeCromCL."""
from typing import Dict, Optional

import torch.nn as nn
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from mmocr.utils.typing_utils import ConfigType
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
        module_loss (dict): Config of the module loss. Defaults to
            ``dict(type='MaskedCharacterModuleLoss')``.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 embed_dims: int,
                 num_classes: int,
                 module_loss: ConfigType = dict(
                     type='MaskedCharacterModuleLoss'),
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.classifier = nn.Linear(embed_dims, num_classes)
        self.module_loss = MODELS.build(module_loss)

    def forward(self, fused: Tensor) -> Tensor:
        """Classify attended features.

        Args:
            fused (Tensor): Attended features of the masked queries (N, C).

        Returns:
            Tensor: Character logits (N, num_classes).
        """
        return self.classifier(fused)

    def loss(self, fused: Tensor, targets: Tensor) -> Dict[str, Tensor]:
        """Compute the loss of the masked characters.

        Args:
            fused (Tensor): Attended features of the masked queries (N, C).
            targets (Tensor): Dictionary index of each masked character
                (N,), long.

        Returns:
            dict[str, Tensor]: The losses of ``module_loss``.
        """
        return self.module_loss(self(fused), targets)
