# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Sampling module of SRSTS-A.

:class:`PointOffsetSampler` predicts K offsets from the feature at each
anchor cell and samples the feature map bilinearly at the anchor plus the
offsets.

Locations are in feature cells: cell ``(x, y)`` has its centre at
``(x + 0.5, y + 0.5)`` and location ``u`` is sampled at the normalised
coordinate ``2 * u / size - 1`` with ``align_corners=False``, which is the
convention of :mod:`mmocr_wecromcl.models.utils.points`.
"""
from typing import Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from mmocr.utils.typing_utils import OptMultiConfig
from torch import Tensor


@MODELS.register_module()
class PointOffsetSampler(BaseModule):
    """Sample features at learned offsets around anchor cells.

    A two-layer MLP maps the feature at an anchor to K offsets ``(dx, dy)`` in
    feature cells; the map is sampled bilinearly at the anchor centre plus
    each offset (zeros outside the map). The offsets have no geometric
    target: they are learned through the loss on the sampled features, to
    which bilinear sampling is differentiable in the locations. They start as
    a horizontal row of K points evenly spread over
    ``[-init_radius, init_radius]`` cells around the anchor, independent of
    the feature.

    Args:
        in_channels (int): Channels of the feature map.
        num_points (int): Number of sampled points K. Defaults to 25.
        hidden_channels (int): Width of the offset MLP. Defaults to 256.
        init_radius (float): Half-length in cells of the initial row.
            Defaults to 4.0.
        init_cfg (dict or list[dict], optional): Initialization config. The
            initial offsets are restored after it is applied.
    """

    def __init__(self,
                 in_channels: int,
                 num_points: int = 25,
                 hidden_channels: int = 256,
                 init_radius: float = 4.0,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.num_points = num_points
        self.init_radius = init_radius
        self.offset_mlp = nn.Sequential(
            nn.Linear(in_channels, hidden_channels), nn.ReLU(inplace=True),
            nn.Linear(hidden_channels, 2 * num_points))
        self._init_offsets()

    def _init_offsets(self) -> None:
        """Make the offsets a feature-independent horizontal row."""
        last = self.offset_mlp[-1]
        xs = torch.linspace(-self.init_radius, self.init_radius,
                            self.num_points)
        if self.num_points == 1:
            xs.zero_()
        nn.init.zeros_(last.weight)
        with torch.no_grad():
            last.bias.copy_(
                torch.stack([xs, torch.zeros_like(xs)], -1).flatten())

    def init_weights(self) -> None:
        """Apply ``init_cfg``, then restore the initial offsets."""
        super().init_weights()
        self._init_offsets()

    def forward(self, feats: Tensor,
                anchors: Sequence[Tensor]) -> Tuple[Tensor, Tensor]:
        """Sample K features around every anchor.

        Args:
            feats (Tensor): Features of shape (B, C, H, W).
            anchors (Sequence[Tensor]): For each image, the long anchor cells
                ``(x, y)`` of shape (N_i, 2), inside the map.

        Returns:
            tuple(Tensor, Tensor): The sampled features of shape (N, K, C)
            and their locations in feature cells of shape (N, K, 2) as
            ``(x, y)``, with N the total number of anchors, in image order.
        """
        height, width = feats.shape[-2:]
        size = feats.new_tensor([width, height])
        sampled, locations = [], []
        for feat, cells in zip(feats, anchors):
            anchor_feats = feat[:, cells[:, 1], cells[:, 0]].t()
            offsets = self.offset_mlp(anchor_feats).view(
                -1, self.num_points, 2)
            locs = cells[:, None].to(feats.dtype) + 0.5 + offsets
            grid = 2 * locs / size - 1
            values = F.grid_sample(feat[None], grid[None], align_corners=False)
            sampled.append(values[0].permute(1, 2, 0))
            locations.append(locs)
        return torch.cat(sampled), torch.cat(locations)
