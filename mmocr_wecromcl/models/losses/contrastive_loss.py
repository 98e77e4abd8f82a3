# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""WeCromCL's contrastive loss with mined negatives."""
from typing import Dict, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmocr.registry import MODELS
from torch import Tensor


@MODELS.register_module()
class WeCromCLContrastiveLoss(nn.Module):
    """Image-to-text and text-to-image cross-entropy over a batch.

    Image ``i`` of the batch has positive word ``i``. Its image-to-text
    logits are its similarities to the B positives of the batch followed by
    its N mined negatives, with target ``i``; the text-to-image logits of
    word ``j`` are the similarities of the B images to it, with target ``j``.

    Args:
        loss_weight (float): Weight of the loss. Defaults to 1.
    """

    def __init__(self, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self,
                pos_sims: Tensor,
                neg_sims: Optional[Tensor] = None) -> Dict[str, Tensor]:
        """
        Args:
            pos_sims (Tensor): (B, B), ``pos_sims[i, j]`` = s(image i,
                positive word of image j).
            neg_sims (Tensor, optional): (B, N), ``neg_sims[i, n]`` = s(image
                i, n-th negative of image i).

        Returns:
            dict: ``loss_i2t``, ``loss_t2i`` (weighted halves of the loss,
            summing to it) and ``i2t_acc`` (top-1 accuracy of image-to-text,
            not a loss).
        """
        batch = pos_sims.shape[0]
        target = torch.arange(batch, device=pos_sims.device)
        i2t = pos_sims if neg_sims is None else torch.cat([pos_sims, neg_sims],
                                                          dim=1)
        loss_i2t = F.cross_entropy(i2t, target)
        loss_t2i = F.cross_entropy(pos_sims.t(), target)
        acc = (i2t.argmax(1) == target).float().mean()
        return dict(
            loss_i2t=0.5 * self.loss_weight * loss_i2t,
            loss_t2i=0.5 * self.loss_weight * loss_t2i,
            i2t_acc=acc.detach())
