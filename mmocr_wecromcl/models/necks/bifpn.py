# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Bidirectional feature pyramid (BiFPN) with weighted fusion."""
from typing import List, Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from torch import Tensor


def _conv_module(in_channels: int, out_channels: int, cfg: dict) -> ConvModule:
    """A :class:`ConvModule` from ``cfg`` (its keyword arguments, with
    ``kernel_size``), padded to keep the size."""
    cfg = dict(cfg)
    kernel_size = cfg.pop('kernel_size')
    return ConvModule(
        in_channels,
        out_channels,
        kernel_size,
        padding=kernel_size // 2,
        **cfg)


class WeightedFusion(nn.Module):
    """Fast normalised fusion: ``conv(sum_i w_i x_i / (sum_i w_i + eps))``.

    Inputs are resized (nearest) to the size of the first one.

    Args:
        num_inputs (int): Number of fused maps.
        channels (int): Their channels.
        conv_cfg (dict): The fusing :class:`ConvModule`: ``kernel_size``
            and its other keyword arguments (``norm_cfg``, ``act_cfg``,
            ``order``).
        eps (float): Stabiliser of the weight normalisation.
    """

    def __init__(self,
                 num_inputs: int,
                 channels: int,
                 conv_cfg: dict,
                 eps: float = 1e-4) -> None:
        super().__init__()
        self.weights = nn.Parameter(torch.ones(num_inputs))
        self.eps = eps
        self.conv = _conv_module(channels, channels, conv_cfg)

    def forward(self, inputs: Sequence[Tensor]) -> Tensor:
        """
        Args:
            inputs (Sequence[Tensor]): Maps of shape (B, C, H_i, W_i).

        Returns:
            Tensor: Shape (B, C, H_0, W_0).
        """
        size = inputs[0].shape[-2:]
        weights = F.relu(self.weights)
        weights = weights / (weights.sum() + self.eps)
        fused = sum(w * (x if x.shape[-2:] ==
                         size else F.interpolate(x, size=size, mode='nearest'))
                    for w, x in zip(weights, inputs))
        return self.conv(fused)


class BiFPNBlock(nn.Module):
    """One top-down + bottom-up pass over levels P_low..P_high.

    Args:
        num_levels (int): Number of pyramid levels.
        channels (int): Channels of every level.
        node_cfg (dict): The fusing conv of every node (see
            :class:`WeightedFusion`).
    """

    def __init__(self, num_levels: int, channels: int, node_cfg: dict) -> None:
        super().__init__()
        # Top-down nodes for levels num_levels-2 .. 0 fuse (P_i, up(P_i+1)).
        self.top_down = nn.ModuleList(
            WeightedFusion(2, channels, node_cfg)
            for _ in range(num_levels - 1))
        # Bottom-up nodes for levels 1 .. num_levels-1 fuse the input, the
        # top-down node (inner levels only) and down(previous output).
        self.bottom_up = nn.ModuleList(
            WeightedFusion(2 if i == num_levels - 1 else 3, channels, node_cfg)
            for i in range(1, num_levels))

    def forward(self, feats: List[Tensor]) -> List[Tensor]:
        """
        Args:
            feats (list[Tensor]): Levels, finest first, each (B, C, H_i, W_i).

        Returns:
            list[Tensor]: Fused levels, same shapes.
        """
        num_levels = len(feats)
        td = [None] * num_levels
        td[-1] = feats[-1]
        for i in range(num_levels - 2, -1, -1):
            td[i] = self.top_down[i]([feats[i], td[i + 1]])
        out = [td[0]]
        for i in range(1, num_levels):
            down = F.max_pool2d(out[-1], 2, ceil_mode=True)
            inputs = [feats[i], down
                      ] if i == num_levels - 1 else [feats[i], td[i], down]
            out.append(self.bottom_up[i - 1](inputs))
        return out


@MODELS.register_module()
class BiFPN(BaseModule):
    """Stacked BiFPN blocks on backbone levels C2..C5.

    Lateral convs bring every backbone level to ``out_channels``; every
    fusion node of every block sums its inputs with learned normalised
    weights and convolves the sum. Two wirings are configured this way
    (``docs/benchmarks.md`` measures both):

    - the defaults: 1x1 conv-BN laterals, 3x3 conv-BN-ReLU nodes;
    - the authors' stage-1 code: 3x3 conv-BN-ReLU laterals
      (``lateral_cfg=dict(kernel_size=3, norm_cfg=dict(type='BN'),
      act_cfg=dict(type='ReLU'))``), Swish then a 1x1 conv at every node
      (``node_cfg=dict(kernel_size=1, norm_cfg=None,
      act_cfg=dict(type='Swish'), order=('act', 'conv', 'norm'))``), about
      a third of the default's multiply-adds per node at 256 channels.

    Args:
        in_channels (Sequence[int]): Channels of the backbone levels.
        out_channels (int): Channels of every output level (paper: 256).
        num_blocks (int): Stacked BiFPN blocks (paper: 2).
        norm_cfg (dict): Normalisation of the lateral and node convs, where
            ``lateral_cfg`` or ``node_cfg`` does not set its own. Defaults to
            BN.
        lateral_cfg (dict): The lateral :class:`ConvModule`: ``kernel_size``
            and its other keyword arguments. Defaults to a 1x1 conv with
            ``norm_cfg`` and no activation.
        node_cfg (dict): The fusing :class:`ConvModule` of every node,
            likewise. Defaults to a 3x3 conv with ``norm_cfg`` and ReLU.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(
        self,
        in_channels: Sequence[int],
        out_channels: int = 256,
        num_blocks: int = 2,
        norm_cfg: dict = dict(type='BN'),
        lateral_cfg: dict = dict(kernel_size=1, act_cfg=None),
        node_cfg: dict = dict(kernel_size=3, act_cfg=dict(type='ReLU')),
        init_cfg: Optional[dict] = dict(
            type='Xavier', layer='Conv2d', distribution='uniform')
    ) -> None:
        super().__init__(init_cfg=init_cfg)
        self.in_channels = list(in_channels)
        self.out_channels = out_channels
        lateral_cfg = dict(dict(norm_cfg=norm_cfg), **lateral_cfg)
        node_cfg = dict(dict(norm_cfg=norm_cfg), **node_cfg)
        self.lateral = nn.ModuleList(
            _conv_module(c, out_channels, lateral_cfg) for c in in_channels)
        self.blocks = nn.ModuleList(
            BiFPNBlock(len(in_channels), out_channels, node_cfg)
            for _ in range(num_blocks))

    def forward(self, feats: Sequence[Tensor]) -> List[Tensor]:
        """
        Args:
            feats (Sequence[Tensor]): Backbone levels, finest first, each
                (B, in_channels[i], H_i, W_i).

        Returns:
            list[Tensor]: Levels P2..P5, each (B, out_channels, H_i, W_i).
        """
        outs = [lat(x) for lat, x in zip(self.lateral, feats)]
        for block in self.blocks:
            outs = block(outs)
        return outs
