# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Anchor estimator of SRSTS-A: a dense confidence map of word anchors."""
from typing import Dict, List, Sequence, Tuple

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from mmocr.utils.typing_utils import ConfigType, OptMultiConfig
from torch import Tensor

from mmocr_wecromcl.models.utils import topk_peaks


@MODELS.register_module()
class AnchorPointHead(BaseModule):
    """Predict the confidence that a feature cell holds a word's anchor point.

    A 1x1 convolution maps the features to one logit per cell; the confidence
    is its sigmoid. The training target is 1 at every cell that holds the
    (pseudo) anchor point of a non-ignored word and 0 elsewhere. At test time
    the anchors are the local maxima of the confidence map (in a
    ``kernel_size`` square) scoring above ``score_thr``, at most
    ``max_anchors`` per image, best first.

    The head works in feature cells: mapping points to cells and back (see
    :mod:`mmocr_wecromcl.models.utils.points`) is the spotter's job.

    Args:
        in_channels (int): Channels of the input feature map.
        loss (dict): Config of the confidence loss. Defaults to
            ``dict(type='PointFocalLoss')``.
        score_thr (float): Minimum confidence of a predicted anchor.
            Defaults to 0.3.
        max_anchors (int): Maximum number of anchors per image.
            Defaults to 100.
        kernel_size (int): Neighbourhood of the peak suppression.
            Defaults to 5.
        init_cfg (dict or list[dict], optional): Initialization config. The
            default sets the bias to the prior confidence 0.01, as for
            focal-loss classifiers.
    """

    def __init__(
        self,
        in_channels: int,
        loss: ConfigType = dict(type='PointFocalLoss'),
        score_thr: float = 0.3,
        max_anchors: int = 100,
        kernel_size: int = 5,
        init_cfg: OptMultiConfig = dict(
            type='Normal', layer='Conv2d', std=0.01, bias_prob=0.01)
    ) -> None:
        super().__init__(init_cfg=init_cfg)
        self.conv = nn.Conv2d(in_channels, 1, kernel_size=1)
        self.loss_module = MODELS.build(loss)
        self.score_thr = score_thr
        self.max_anchors = max_anchors
        self.kernel_size = kernel_size

    def forward(self, feats: Tensor) -> Tensor:
        """Compute the confidence logits.

        Args:
            feats (Tensor): Features of shape (B, C, H, W).

        Returns:
            Tensor: Logits of shape (B, H, W).
        """
        return self.conv(feats).squeeze(1)

    @staticmethod
    def get_targets(gt_cells: Sequence[Tensor], size: Tuple[int,
                                                            int]) -> Tensor:
        """Build the target confidence maps.

        Args:
            gt_cells (Sequence[Tensor]): For each image, the long cells
                ``(x, y)`` of shape (N_i, 2) of its anchor points, inside the
                map.
            size (tuple(int, int)): ``(H, W)`` of the map.

        Returns:
            Tensor: Targets of shape (B, H, W), 1 at the given cells and 0
            elsewhere.
        """
        targets = []
        for cells in gt_cells:
            target = cells.new_zeros(tuple(size), dtype=torch.float32)
            target[cells[:, 1], cells[:, 0]] = 1
            targets.append(target)
        return torch.stack(targets)

    def loss(self, logits: Tensor,
             gt_cells: Sequence[Tensor]) -> Dict[str, Tensor]:
        """Compute the anchor loss.

        Args:
            logits (Tensor): Logits of shape (B, H, W) from :meth:`forward`.
            gt_cells (Sequence[Tensor]): For each image, the long cells of
                shape (N_i, 2) of its non-ignored anchor points.

        Returns:
            dict[str, Tensor]: ``loss_anchor``.
        """
        targets = self.get_targets(gt_cells, logits.shape[-2:])
        return dict(loss_anchor=self.loss_module(logits, targets))

    def predict(self, logits: Tensor) -> List[Tuple[Tensor, Tensor]]:
        """Extract the anchors from the confidence logits.

        Args:
            logits (Tensor): Logits of shape (B, H, W).

        Returns:
            list[tuple(Tensor, Tensor)]: For each image, the long cells
            ``(x, y)`` of shape (N, 2) of its anchors and their confidences of
            shape (N,), best first.
        """
        results = []
        for score_map in logits.sigmoid():
            cells, scores = topk_peaks(score_map, self.max_anchors,
                                       self.kernel_size)
            keep = scores > self.score_thr
            results.append((cells[keep], scores[keep]))
        return results
