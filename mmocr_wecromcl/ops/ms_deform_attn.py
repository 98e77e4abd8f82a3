# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Multi-scale deformable attention with a compiled CPU kernel.

mmcv 2.0.1's :class:`mmcv.ops.MultiScaleDeformableAttention` runs its CUDA
kernel on a GPU and, on a CPU, ``multi_scale_deformable_attn_pytorch``:
``grid_sample`` per level, then a broadcast product with the attention
weights and a sum, which materialises every sampled value
(``(B * heads, head_dims, queries, levels * points)``) forward and backward;
the softmax of the attention logits and the sampling locations (reference
point + offset / level size) are element-wise passes of their own before
it. This package's kernel (``mmocr_wecromcl._ext``,
``ops/csrc/ms_deform_attn_cpu.cpp``, built by ``pip install
--no-build-isolation``) does all of it in one pass from the raw projections
of the queries: the same function (``grid_sample``'s bilinear sampling,
``align_corners=False``, zero padding), computed in float32 (float64 for
float64 inputs) and reading bfloat16 values and projections as they are.
"""
from typing import Optional, Tuple

import torch
from mmcv.ops.multi_scale_deform_attn import (
    MultiScaleDeformableAttention, MultiScaleDeformableAttnFunction,
    multi_scale_deformable_attn_pytorch)
from mmocr.registry import MODELS
from torch import Tensor
from torch.autograd.function import once_differentiable

try:
    from mmocr_wecromcl import _ext
except ImportError:  # installed without the compiled ops
    _ext = None


def compiled_ops_available() -> bool:
    """Whether ``mmocr_wecromcl._ext`` was built and imports."""
    return _ext is not None


class MultiScaleDeformableAttnCPUFunction(torch.autograd.Function):
    """Autograd function of the compiled CPU kernel."""

    @staticmethod
    def forward(ctx, value: Tensor, spatial_shapes: Tensor,
                level_start_index: Tensor, reference_points: Tensor,
                sampling_offsets: Tensor, attention_logits: Tensor) -> Tensor:
        """
        Args:
            value (Tensor): (B, num_keys, heads, head_dims).
            spatial_shapes (Tensor): (levels, 2), ``(H, W)`` of each level,
                int64.
            level_start_index (Tensor): (levels, ), first key of each level,
                int64.
            reference_points (Tensor): (B, queries, levels, 2), ``(x, y)``
                in [0, 1]; float64 for float64 values, else float32.
            sampling_offsets (Tensor): (B, queries, heads, levels, points,
                2), ``(x, y)`` in pixels of each level; the values' dtype.
            attention_logits (Tensor): (B, queries, heads, levels * points),
                before the softmax; the values' dtype.

        Returns:
            Tensor: (B, queries, heads, head_dims) in the values' dtype.
        """
        save = any(ctx.needs_input_grad)
        output, locations, weights = _ext.ms_deform_attn_forward(
            value, spatial_shapes, level_start_index, reference_points,
            sampling_offsets, attention_logits, save)
        if save:
            ctx.save_for_backward(value, spatial_shapes, level_start_index,
                                  locations, weights)
        return output

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output: Tensor
                 ) -> Tuple[Tensor, None, None, Tensor, Tensor, Tensor]:
        value, shapes, starts, locations, weights = ctx.saved_tensors
        dtype = locations.dtype
        grad_value, grad_locations, grad_weights = \
            _ext.ms_deform_attn_backward(
                value.to(dtype).contiguous(), shapes, starts, locations,
                weights, grad_output.to(dtype).contiguous())
        # location = reference + offset / (W, H) of its level
        grad_offsets = grad_locations / shapes.flip(-1).to(dtype)[:, None]
        grad_reference = grad_locations.sum((2, 4))
        # the softmax over each head's levels * points
        weights, grad_weights = weights.flatten(3), grad_weights.flatten(3)
        grad_logits = weights * (
            grad_weights - (grad_weights * weights).sum(-1, keepdim=True))
        return (grad_value.to(value.dtype), None, None, grad_reference,
                grad_offsets.to(value.dtype), grad_logits.to(value.dtype))


@MODELS.register_module()
class FusedMultiScaleDeformableAttention(MultiScaleDeformableAttention):
    """mmcv's ``MultiScaleDeformableAttention`` (same parameters, same
    function) with this package's compiled kernel on a CPU.

    On a CPU with ``mmocr_wecromcl._ext`` built, the softmax of the attention
    logits, the sampling locations and the sampling run in one pass of the
    kernel, which reads the projections in the type they come in (bfloat16
    under autocast) and returns the values' type. On a GPU, mmcv's CUDA
    kernel, which has no bfloat16, gets its inputs in float32; without the
    compiled ops, mmcv's PyTorch path runs. Only ``batch_first`` and 2-d
    reference points (the encoder's use) are supported.

    Args:
        **kwargs: The arguments of mmcv's ``MultiScaleDeformableAttention``.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        if not self.batch_first:
            raise ValueError(f'{type(self).__name__} needs batch_first=True')

    def forward(self,
                query: Tensor,
                key: Optional[Tensor] = None,
                value: Optional[Tensor] = None,
                identity: Optional[Tensor] = None,
                query_pos: Optional[Tensor] = None,
                key_padding_mask: Optional[Tensor] = None,
                reference_points: Optional[Tensor] = None,
                spatial_shapes: Optional[Tensor] = None,
                level_start_index: Optional[Tensor] = None,
                **kwargs) -> Tensor:
        """Deformable attention of the queries over the values.

        Args:
            query (Tensor): (B, queries, embed_dims).
            key (Tensor, optional): Unused, as in mmcv.
            value (Tensor, optional): (B, keys, embed_dims); defaults to
                ``query``.
            identity (Tensor, optional): Added to the output; defaults to
                ``query``.
            query_pos (Tensor, optional): Added to ``query`` before the
                projections.
            key_padding_mask (Tensor, optional): (B, keys), True at
                padding, whose values are zeroed.
            reference_points (Tensor): (B, queries, levels, 2), ``(x, y)``
                in [0, 1].
            spatial_shapes (Tensor): (levels, 2), ``(H, W)`` per level.
            level_start_index (Tensor): (levels, ), first key per level.

        Returns:
            Tensor: (B, queries, embed_dims).
        """
        if reference_points.shape[-1] != 2:
            raise ValueError(f'{type(self).__name__} takes 2-d reference '
                             'points (x, y), not boxes')
        value = query if value is None else value
        identity = query if identity is None else identity
        if query_pos is not None:
            query = query + query_pos
        device = query.device.type
        if torch.is_autocast_enabled(device):
            # cast once for the two projections, not once in each
            query = query.to(torch.get_autocast_dtype(device))
        batch, num_queries, _ = query.shape
        value = self.value_proj(value)
        if key_padding_mask is not None and key_padding_mask.any():
            value = value.masked_fill(key_padding_mask[..., None], 0.0)
        value = value.view(batch, value.shape[1], self.num_heads, -1)
        offsets = self.sampling_offsets(query).view(batch, num_queries,
                                                    self.num_heads,
                                                    self.num_levels,
                                                    self.num_points, 2)
        logits = self.attention_weights(query).view(
            batch, num_queries, self.num_heads,
            self.num_levels * self.num_points)
        if value.device.type == 'cpu' and compiled_ops_available():
            output = self.sample_compiled(value, spatial_shapes,
                                          level_start_index, reference_points,
                                          offsets, logits)
        else:
            output = self.sample_mmcv(value, spatial_shapes, level_start_index,
                                      reference_points, offsets, logits)
        return self.dropout(self.output_proj(output)) + identity

    @staticmethod
    def sample_compiled(value: Tensor, spatial_shapes: Tensor,
                        level_start_index: Tensor, reference_points: Tensor,
                        offsets: Tensor, logits: Tensor) -> Tensor:
        """The compiled CPU kernel (see :meth:`forward` for the shapes).

        Returns:
            Tensor: (B, queries, embed_dims) in the values' dtype (float32
            where the inputs' dtypes differ).
        """
        dtype = value.dtype if offsets.dtype == logits.dtype == value.dtype \
            else torch.float32
        acc = torch.float64 if dtype == torch.float64 else torch.float32
        output = MultiScaleDeformableAttnCPUFunction.apply(
            value.to(dtype).contiguous(),
            spatial_shapes.long().contiguous(),
            level_start_index.long().contiguous(),
            reference_points.to(acc).contiguous(),
            offsets.to(dtype).contiguous(),
            logits.to(dtype).contiguous())
        return output.flatten(2)

    def sample_mmcv(self, value: Tensor, spatial_shapes: Tensor,
                    level_start_index: Tensor, reference_points: Tensor,
                    offsets: Tensor, logits: Tensor) -> Tensor:
        """mmcv's CUDA kernel or PyTorch path, in float32 (float64 for
        float64 values), as mmcv's module computes them.

        Returns:
            Tensor: (B, queries, embed_dims).
        """
        dtype = torch.float64 if value.dtype == torch.float64 \
            else torch.float32
        weights = logits.to(dtype).softmax(-1).view(*offsets.shape[:-1])
        normalizer = spatial_shapes.flip(-1).to(dtype)
        locations = reference_points[:, :, None, :, None, :] + \
            offsets.to(dtype) / normalizer[None, None, None, :, None, :]
        value = value.to(dtype)
        if value.is_cuda:
            return MultiScaleDeformableAttnFunction.apply(
                value, spatial_shapes, level_start_index, locations, weights,
                self.im2col_step)
        return multi_scale_deformable_attn_pytorch(value, spatial_shapes,
                                                   locations, weights)
