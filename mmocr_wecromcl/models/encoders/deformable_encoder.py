# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""The deformable transformer encoder of the image encoder."""
from typing import Optional

from mmcv.cnn import build_norm_layer
from mmcv.cnn.bricks.transformer import FFN
from mmdet.models.layers import (DeformableDetrTransformerEncoder,
                                 DeformableDetrTransformerEncoderLayer)
from mmengine.model import ModuleList
from mmocr.registry import MODELS
from torch import Tensor

from mmocr_wecromcl.ops import FusedMultiScaleDeformableAttention


class DeformableEncoderLayer(DeformableDetrTransformerEncoderLayer):
    """mmdet's Deformable DETR encoder layer with
    :class:`FusedMultiScaleDeformableAttention` (the same parameters), whose
    queries may be a subset of the tokens it attends to."""

    def _init_layers(self) -> None:
        self.self_attn = FusedMultiScaleDeformableAttention(
            **self.self_attn_cfg)
        self.embed_dims = self.self_attn.embed_dims
        self.ffn = FFN(**self.ffn_cfg)
        self.norms = ModuleList([
            build_norm_layer(self.norm_cfg, self.embed_dims)[1]
            for _ in range(2)
        ])

    def forward(self,
                query: Tensor,
                query_pos: Tensor,
                key_padding_mask: Tensor,
                value: Optional[Tensor] = None,
                **kwargs) -> Tensor:
        """Self-attention (or, with ``value``, attention of the queries over
        ``value``), then the FFN, each followed by a layer norm.

        Args:
            query (Tensor): (B, queries, embed_dims).
            query_pos (Tensor): Positional encoding of ``query``.
            key_padding_mask (Tensor): (B, keys), True at padding.
            value (Tensor, optional): (B, keys, embed_dims), the tokens
                attended to. Defaults to ``query``.
            **kwargs: ``reference_points`` (of the queries),
                ``spatial_shapes`` and ``level_start_index``.

        Returns:
            Tensor: (B, queries, embed_dims).
        """
        query = self.self_attn(
            query=query,
            value=query if value is None else value,
            query_pos=query_pos,
            key_padding_mask=key_padding_mask,
            **kwargs)
        return self.norms[1](self.ffn(self.norms[0](query)))


@MODELS.register_module()
class DeformableEncoder(DeformableDetrTransformerEncoder):
    """mmdet's Deformable DETR encoder (same config, same parameters) with
    :class:`FusedMultiScaleDeformableAttention`, that computes in its last
    layer only the tokens asked for.

    Every layer but the last updates every token; the last one attends over
    all of them but updates only the tokens in ``[out_start, out_end)``,
    which is all that it returns. The image encoder keeps one level of the
    output, so the last layer skips the work of the others (their tokens
    would be discarded): the result is the same.

    Args:
        num_layers (int): Number of layers.
        layer_cfg (dict): Config of each layer (``self_attn_cfg``,
            ``ffn_cfg``), as for mmdet's encoder.
        init_cfg (dict, optional): Initialisation config.
    """

    def _init_layers(self) -> None:
        self.layers = ModuleList([
            DeformableEncoderLayer(**self.layer_cfg)
            for _ in range(self.num_layers)
        ])
        self.embed_dims = self.layers[0].embed_dims

    def forward(self,
                query: Tensor,
                query_pos: Tensor,
                key_padding_mask: Tensor,
                spatial_shapes: Tensor,
                level_start_index: Tensor,
                valid_ratios: Tensor,
                out_start: int = 0,
                out_end: Optional[int] = None) -> Tensor:
        """Encode the tokens of all levels.

        Args:
            query (Tensor): Tokens of all levels (B, N, embed_dims).
            query_pos (Tensor): Their positional encodings (B, N,
                embed_dims).
            key_padding_mask (Tensor): (B, N), True at padding.
            spatial_shapes (Tensor): (levels, 2), ``(H, W)`` of each level.
            level_start_index (Tensor): (levels, ), first token of each
                level.
            valid_ratios (Tensor): (B, levels, 2), the unpadded fraction of
                each level's width and height.
            out_start (int): First token returned. Defaults to 0.
            out_end (int, optional): End of the tokens returned. Defaults to
                None (N).

        Returns:
            Tensor: The encoded tokens ``[out_start, out_end)`` of shape
            (B, out_end - out_start, embed_dims).
        """
        reference_points = self.get_encoder_reference_points(
            spatial_shapes, valid_ratios, device=query.device)
        levels = dict(
            key_padding_mask=key_padding_mask,
            spatial_shapes=spatial_shapes,
            level_start_index=level_start_index)
        for layer in self.layers[:-1]:
            query = layer(
                query=query,
                query_pos=query_pos,
                reference_points=reference_points,
                **levels)
        out = slice(out_start, out_end)
        return self.layers[-1](
            query=query[:, out],
            value=query,
            query_pos=query_pos[:, out],
            reference_points=reference_points[:, out],
            **levels)
