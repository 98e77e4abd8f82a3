# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Sigmoid focal loss of a dense anchor-point confidence map."""
from typing import Optional

import torch.nn as nn
import torch.nn.functional as F
from mmocr.registry import MODELS
from torch import Tensor


@MODELS.register_module()
class PointFocalLoss(nn.Module):
    r"""Focal loss of the SRSTS-A anchor estimator.

    With :math:`C = \sigma(z)` the confidence predicted from the logit
    :math:`z` and :math:`C_{gt} \in [0, 1]` the target,

    .. math::

        L = \frac{1}{N_{pos}} \sum -\alpha C_{gt} (1 - C)^\gamma \log C
            - (1 - \alpha) (1 - C_{gt}) C^\gamma \log (1 - C)

    where :math:`N_{pos}` is the number of positives (the sum of the targets,
    at least 1) unless ``avg_factor`` is given. The logarithms are computed as
    ``logsigmoid(z)`` and ``logsigmoid(-z)``, which stay finite for any logit.

    Args:
        alpha (float): Weight of the positive term; the negative term is
            weighted by ``1 - alpha``. Defaults to 0.25.
        gamma (float): Focusing exponent. Defaults to 2.0.
        loss_weight (float): Multiplier of the loss. Defaults to 1.0.
    """

    def __init__(self,
                 alpha: float = 0.25,
                 gamma: float = 2.0,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        self.alpha = alpha
        self.gamma = gamma
        self.loss_weight = loss_weight

    def forward(self,
                logits: Tensor,
                targets: Tensor,
                avg_factor: Optional[float] = None) -> Tensor:
        """Compute the loss.

        Args:
            logits (Tensor): Confidence logits of any shape, e.g. (B, H, W).
            targets (Tensor): Targets in [0, 1] of the same shape.
            avg_factor (float, optional): Normaliser of the summed loss.
                Defaults to the number of positives ``targets.sum()``,
                clamped to at least 1.

        Returns:
            Tensor: The scalar loss.
        """
        # float32 also under bfloat16 autocast
        logits = logits.float()
        targets = targets.float()
        prob = logits.sigmoid()
        pos = -self.alpha * targets * (1 - prob).pow(
            self.gamma) * F.logsigmoid(logits)
        neg = -(1 - self.alpha) * (1 - targets) * prob.pow(
            self.gamma) * F.logsigmoid(-logits)
        if avg_factor is None:
            avg_factor = targets.sum().detach().clamp(min=1)
        return self.loss_weight * (pos + neg).sum() / avg_factor
