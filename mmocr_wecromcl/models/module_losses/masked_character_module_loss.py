# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Training loss of the masked-character head of WeCromCL."""
from typing import Dict

import torch.nn as nn
import torch.nn.functional as F
from mmocr.registry import MODELS
from torch import Tensor


@MODELS.register_module()
class MaskedCharacterModuleLoss(nn.Module):
    """Cross-entropy of the masked characters read back from the image.

    Args:
        loss_weight (float): Weight of the loss. Defaults to 1.
    """

    def __init__(self, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, logits: Tensor, targets: Tensor) -> Dict[str, Tensor]:
        """Compute the loss.

        Args:
            logits (Tensor): Character logits of the masked queries (N, C).
            targets (Tensor): Dictionary index of each masked character
                (N,), long.

        Returns:
            dict[str, Tensor]: ``loss_char`` (weighted mean cross-entropy)
            and ``char_acc`` (accuracy, not a loss).
        """
        return dict(
            loss_char=self.loss_weight * F.cross_entropy(logits, targets),
            char_acc=(logits.argmax(-1) == targets).float().mean().detach())
