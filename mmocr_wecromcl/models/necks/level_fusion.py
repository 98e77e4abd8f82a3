# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Fusion of pyramid levels into the encoder's input levels."""
from typing import List, Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from torch import Tensor


@MODELS.register_module()
class PyramidLevelFusion(BaseModule):
    """Fuse groups of pyramid levels into one map each.

    Paper configuration: from BiFPN levels P2..P5 (indices 0..3) two levels,
    stride 4 from (P4, P3, P2) and stride 8 from (P5, P4, P3); each input is
    resized (bilinear) to the group's target level and projected by a 3x3
    conv-BN-ReLU to ``proj_channels`` (64), and the projections are
    concatenated (192 channels). With ``project_first`` each input is
    projected at its own resolution and the projection resized, as the
    authors' stage-1 code does: the same layers at a fraction of the
    multiply-adds (``docs/benchmarks.md`` measures both).

    Args:
        in_channels (int): Channels of the pyramid levels.
        groups (Sequence[Sequence[int]]): For each output, the pyramid level
            indices it fuses; the smallest index sets its resolution.
            Defaults to ``((2, 1, 0), (3, 2, 1))``.
        proj_channels (int): Channels of each projection. Defaults to 64.
        project_first (bool): Project each input before resizing it rather
            than after. Defaults to False.
        norm_cfg (dict): Normalisation. Defaults to BN.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 in_channels: int,
                 groups: Sequence[Sequence[int]] = ((2, 1, 0), (3, 2, 1)),
                 proj_channels: int = 64,
                 project_first: bool = False,
                 norm_cfg: dict = dict(type='BN'),
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.groups = [tuple(g) for g in groups]
        sizes = {len(g) for g in self.groups}
        if len(sizes) != 1:
            raise ValueError('every group must fuse the same number of levels')
        self.out_channels = proj_channels * sizes.pop()
        self.project_first = project_first
        self.projections = nn.ModuleList(
            nn.ModuleList(
                ConvModule(
                    in_channels,
                    proj_channels,
                    3,
                    padding=1,
                    norm_cfg=norm_cfg,
                    act_cfg=dict(type='ReLU')) for _ in group)
            for group in self.groups)

    def forward(self, feats: Sequence[Tensor]) -> List[Tensor]:
        """
        Args:
            feats (Sequence[Tensor]): Pyramid levels, finest first.

        Returns:
            list[Tensor]: One map per group, (B, out_channels, H_g, W_g) at
            the resolution of the group's finest level.
        """
        outs = []
        for group, projs in zip(self.groups, self.projections):
            size = feats[min(group)].shape[-2:]
            parts = []
            for level, proj in zip(group, projs):
                x = feats[level]
                if self.project_first:
                    x = proj(x)
                if x.shape[-2:] != size:
                    x = F.interpolate(
                        x, size=size, mode='bilinear', align_corners=False)
                parts.append(x if self.project_first else proj(x))
            outs.append(torch.cat(parts, dim=1))
        return outs
