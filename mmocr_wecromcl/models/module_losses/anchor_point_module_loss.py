# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Training loss of the SRSTS-A anchor estimator."""
from typing import Dict, Sequence, Tuple

import torch
import torch.nn as nn
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample
from mmocr.utils.typing_utils import ConfigType
from torch import Tensor

from mmocr_wecromcl.models.utils import gt_anchor_cells


@MODELS.register_module()
class AnchorPointModuleLoss(nn.Module):
    """Confidence-map loss of :class:`AnchorPointHead`.

    The target map is 1 at every feature cell that holds the (pseudo)
    anchor point of a non-ignored word (:func:`gt_anchor_cells`) and 0
    elsewhere.

    Args:
        stride (float): Stride of the feature map in input pixels (filled in
            by the head).
        loss_anchor (dict): Config of the dense confidence loss. Defaults to
            ``dict(type='PointFocalLoss')``.
    """

    def __init__(
        self,
        stride: float,
        loss_anchor: ConfigType = dict(type='PointFocalLoss')
    ) -> None:
        super().__init__()
        self.stride = stride
        self.loss_anchor = MODELS.build(loss_anchor)

    def get_targets(self, data_samples: Sequence[TextDetDataSample],
                    size: Tuple[int, int], device: torch.device) -> Tensor:
        """Build the target confidence maps.

        Args:
            data_samples (Sequence[TextDetDataSample]): The batch's samples,
                with ``gt_instances.points`` in network-input pixels and
                optionally ``gt_instances.ignored``.
            size (tuple(int, int)): ``(H, W)`` of the map.
            device (torch.device): Device of the targets.

        Returns:
            Tensor: Targets of shape (B, H, W), 1 at the anchor cells and 0
            elsewhere.
        """
        cells, _ = gt_anchor_cells(data_samples, self.stride, size, device)
        targets = []
        for img_cells in cells:
            target = img_cells.new_zeros(tuple(size), dtype=torch.float32)
            target[img_cells[:, 1], img_cells[:, 0]] = 1
            targets.append(target)
        return torch.stack(targets)

    def forward(self, logits: Tensor, data_samples: Sequence[TextDetDataSample]
                ) -> Dict[str, Tensor]:
        """Compute the anchor loss.

        Args:
            logits (Tensor): Confidence logits of shape (B, H, W).
            data_samples (Sequence[TextDetDataSample]): The batch's samples.

        Returns:
            dict[str, Tensor]: ``loss_anchor``.
        """
        targets = self.get_targets(data_samples, logits.shape[-2:],
                                   logits.device)
        return dict(loss_anchor=self.loss_anchor(logits, targets))
