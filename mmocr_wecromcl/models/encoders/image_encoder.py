# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""The image encoder shared by WeCromCL (stage 1) and SRSTS-A (stage 2)."""
import hashlib
from typing import Dict, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmdet.models.layers import SinePositionalEncoding
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from torch import Tensor

from .deformable_encoder import DeformableEncoder


@MODELS.register_module()
class WeCromCLImageEncoder(BaseModule):
    """Backbone -> BiFPN -> level fusion -> deformable encoder -> one map.

    Paper configuration: ``mmdet.ResNet`` (depth 50) giving C2..C5, two
    stacked BiFPN blocks (256 channels), two fused 192-channel levels
    (strides 4 and 8), a 6-layer deformable transformer encoder over them
    (:class:`DeformableEncoder`, mmdet's Deformable DETR encoder with
    mmcv's ``MultiScaleDeformableAttention``: 8 heads, 4 points, 2 levels,
    FFN 256, dropout 0.1) with sine positional encoding and a learned level
    embedding; the stride-8 level is lifted by a 1x1 conv to
    ``out_channels`` (the joint embedding width, 512). The deformable
    attention runs mmcv's CUDA kernel on GPU and this package's compiled
    kernel on CPU (:mod:`mmocr_wecromcl.ops`; mmcv's PyTorch path when it is
    not built).

    Args:
        backbone (dict): Backbone config (``mmdet.ResNet``), 4 output levels.
        neck (dict): Pyramid config (:class:`BiFPN`).
        fusion (dict): Level fusion config (:class:`PyramidLevelFusion`).
        encoder (dict): :class:`DeformableEncoder` config; its
            ``embed_dims`` must equal the fused channels and ``num_levels``
            the number of fused levels.
        level_strides (Sequence[int]): Strides of the fused levels.
            Defaults to (4, 8).
        out_level (int): Index of the fused level returned. Defaults to 1.
        out_channels (int): Channels of the output map. Defaults to 512.
        frozen (bool): Freeze the whole encoder: its parameters get no
            gradient and it stays in eval mode (batch-norm statistics fixed,
            no dropout), so backpropagation stops at its output. For
            fine-tuning the rest of a model on a pretrained encoder at a
            fraction of the cost. Defaults to False.
        cache_size (int): With ``frozen``, keep the features of up to this
            many distinct inputs in memory (on the CPU), keyed by the
            content of the (padded) image tensor and its valid shape, so
            that an image seen again is not encoded again. Exact (the frozen
            encoder is a fixed function), and it pays off when fine-tuning
            on a fixed set of images without random augmentation: every
            epoch after the first skips the encoder. Each entry holds
            ``out_channels * H/s * W/s`` floats. Defaults to 0 (no cache).
        channels_last (bool): Keep the convolutional part (backbone,
            pyramid, level fusion) and its inputs in channels-last memory
            layout, which oneDNN's convolutions run faster on a CPU,
            bfloat16 above all (``docs/benchmarks.md``, "Speed"). The
            function is the same. Defaults to False.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 backbone: dict,
                 neck: dict,
                 fusion: dict,
                 encoder: dict,
                 level_strides: Sequence[int] = (4, 8),
                 out_level: int = 1,
                 out_channels: int = 512,
                 frozen: bool = False,
                 cache_size: int = 0,
                 channels_last: bool = False,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.neck = MODELS.build(neck)
        self.fusion = MODELS.build(fusion)
        self.encoder = DeformableEncoder(**encoder)
        d_model = self.encoder.embed_dims
        if d_model != self.fusion.out_channels:
            raise ValueError(f'encoder embed_dims ({d_model}) must equal the '
                             f'fused channels ({self.fusion.out_channels})')
        self.level_strides = tuple(level_strides)
        self.out_level = out_level
        self.stride = self.level_strides[out_level]
        self.out_channels = out_channels
        self.positional_encoding = SinePositionalEncoding(
            num_feats=d_model // 2, normalize=True, offset=-0.5)
        self.level_embed = nn.Parameter(
            torch.zeros(len(self.level_strides), d_model))
        self.out_proj = nn.Conv2d(d_model, out_channels, 1)
        self.frozen = frozen
        if frozen:
            self.requires_grad_(False)
        if cache_size and not frozen:
            raise ValueError('cache_size needs frozen=True: the features of '
                             'an encoder that learns change as it learns')
        self.cache_size = cache_size
        self._cache: Dict[Tuple, Tensor] = {}
        self.channels_last = channels_last
        if channels_last:
            for part in (self.backbone, self.neck, self.fusion):
                part.to(memory_format=torch.channels_last)

    def init_weights(self) -> None:
        super().init_weights()
        nn.init.normal_(self.level_embed)
        for layer in self.encoder.layers:
            layer.self_attn.init_weights()

    def train(self, mode: bool = True) -> 'WeCromCLImageEncoder':
        """Set the training mode; a frozen encoder stays in eval mode."""
        return super().train(mode and not self.frozen)

    @staticmethod
    def padding_masks(inputs: Tensor,
                      valid_shapes: Optional[Sequence[Tuple[int, int]]],
                      sizes: Sequence[torch.Size]) -> list:
        """Masks of batch padding at feature resolutions.

        Args:
            inputs (Tensor): The padded batch (B, 3, H, W).
            valid_shapes (Sequence[tuple(int, int)], optional): ``(h, w)``
                of each unpadded image; None means no padding.
            sizes (Sequence[torch.Size]): ``(H_l, W_l)`` of each wanted map.

        Returns:
            list[Tensor]: Bool masks (B, H_l, W_l), True at padding.
        """
        batch, _, height, width = inputs.shape
        mask = inputs.new_zeros((batch, height, width), dtype=torch.bool)
        if valid_shapes is not None:
            for i, (h, w) in enumerate(valid_shapes):
                mask[i, h:, :] = True
                mask[i, :, w:] = True
        return [
            F.interpolate(mask[None].float(), size=size)[0].bool()
            for size in sizes
        ]

    def forward(self,
                inputs: Tensor,
                valid_shapes: Optional[Sequence[Tuple[int,
                                                      int]]] = None) -> Tensor:
        """:meth:`encode`, through the feature cache if ``cache_size``.

        Args:
            inputs, valid_shapes: As for :meth:`encode`.

        Returns:
            Tensor: Features of shape (B, out_channels, H / stride,
            W / stride).
        """
        if not self.cache_size:
            return self.encode(inputs, valid_shapes)
        shapes = [tuple(inputs.shape[-2:])] * len(inputs) \
            if valid_shapes is None else [tuple(s) for s in valid_shapes]
        keys = [(hashlib.blake2b(
            x.detach().cpu().numpy().tobytes(),
            digest_size=16).digest(), shape)
                for x, shape in zip(inputs, shapes)]
        missing = [i for i, key in enumerate(keys) if key not in self._cache]
        encoded = {}
        if missing:
            feats = self.encode(inputs[missing], [shapes[i] for i in missing])
            for i, feat in zip(missing, feats.cpu()):
                encoded[i] = feat
                if len(self._cache) < self.cache_size:
                    self._cache[keys[i]] = feat
        return torch.stack([
            encoded[i] if i in encoded else self._cache[key]
            for i, key in enumerate(keys)
        ]).to(inputs.device)

    def encode(self,
               inputs: Tensor,
               valid_shapes: Optional[Sequence[Tuple[int,
                                                     int]]] = None) -> Tensor:
        """Encode images (no cache).

        Args:
            inputs (Tensor): Images of shape (B, 3, H, W).
            valid_shapes (Sequence[tuple(int, int)], optional): ``(h, w)`` of
                the unpadded image in each batch item; padding is masked in
                the encoder's attention. Defaults to None (no padding).

        Returns:
            Tensor: Features of shape (B, out_channels, H / stride,
            W / stride).
        """
        if self.channels_last:
            inputs = inputs.contiguous(memory_format=torch.channels_last)
        levels = self.fusion(self.neck(self.backbone(inputs)))
        sizes = [x.shape[-2:] for x in levels]
        masks = self.padding_masks(inputs, valid_shapes, sizes)
        tokens, pos, flat_masks = [], [], []
        for lvl, (x, mask) in enumerate(zip(levels, masks)):
            # (B, H * W, C); a view of channels-last maps
            tokens.append(x.permute(0, 2, 3, 1).flatten(1, 2))
            pos_embed = self.positional_encoding(mask).flatten(2).transpose(
                1, 2)
            pos.append(pos_embed + self.level_embed[lvl])
            flat_masks.append(mask.flatten(1))
        spatial_shapes = torch.as_tensor([tuple(s) for s in sizes],
                                         dtype=torch.long,
                                         device=inputs.device)
        level_start_index = torch.cat((spatial_shapes.new_zeros(
            (1, )), spatial_shapes.prod(1).cumsum(0)[:-1]))
        # (B, num_levels, 2): valid width and height fractions per level.
        valid_ratios = torch.stack([
            torch.stack([(~m[:, 0, :]).float().mean(1),
                         (~m[:, :, 0]).float().mean(1)], -1) for m in masks
        ], 1)
        start = int(level_start_index[self.out_level])
        h, w = sizes[self.out_level]
        out = self.encoder(
            query=torch.cat(tokens, 1),
            query_pos=torch.cat(pos, 1),
            key_padding_mask=torch.cat(flat_masks, 1),
            spatial_shapes=spatial_shapes,
            level_start_index=level_start_index,
            valid_ratios=valid_ratios,
            out_start=start,
            out_end=start + h * w)
        return self.out_proj(
            out.transpose(1, 2).reshape(out.shape[0], -1, h, w))
