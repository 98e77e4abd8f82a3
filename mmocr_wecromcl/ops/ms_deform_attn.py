# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Multi-scale deformable attention on the CPU with a compiled kernel.

mmcv 2.0.1 computes :class:`mmcv.ops.MultiScaleDeformableAttention` with
its CUDA kernel on a GPU and, on a CPU, with
``multi_scale_deformable_attn_pytorch``: ``grid_sample`` per level, then a
broadcast product with the attention weights and a sum, which materialises
every sampled value (``(B * heads, head_dims, queries, levels * points)``)
forward and backward. This package's kernel (``mmocr_wecromcl._ext``,
``ops/csrc/ms_deform_attn_cpu.cpp``, built by ``pip install
--no-build-isolation``) samples and sums in one pass instead: the same
function (``grid_sample``'s bilinear sampling, ``align_corners=False``,
zero padding), in float32 (float64 for float64 inputs).
"""
import logging
from contextlib import contextmanager
from typing import Iterator, Tuple

import torch
from mmengine.logging import print_log
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
                level_start_index: Tensor, sampling_locations: Tensor,
                attention_weights: Tensor) -> Tensor:
        """
        Args:
            value (Tensor): (B, num_keys, heads, head_dims).
            spatial_shapes (Tensor): (levels, 2), ``(H, W)`` of each level.
            level_start_index (Tensor): (levels, ), first key of each level.
            sampling_locations (Tensor): (B, queries, heads, levels, points,
                2), ``(x, y)`` in [0, 1].
            attention_weights (Tensor): (B, queries, heads, levels, points).

        Returns:
            Tensor: (B, queries, heads, head_dims).
        """
        ctx.save_for_backward(value, spatial_shapes, level_start_index,
                              sampling_locations, attention_weights)
        return _ext.ms_deform_attn_forward(value, spatial_shapes,
                                           level_start_index,
                                           sampling_locations,
                                           attention_weights)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output: Tensor
                 ) -> Tuple[Tensor, None, None, Tensor, Tensor]:
        grad_value, grad_locations, grad_weights = \
            _ext.ms_deform_attn_backward(*ctx.saved_tensors,
                                         grad_output.contiguous())
        return grad_value, None, None, grad_locations, grad_weights


def multi_scale_deformable_attn_cpu(value: Tensor,
                                    value_spatial_shapes: Tensor,
                                    sampling_locations: Tensor,
                                    attention_weights: Tensor) -> Tensor:
    """Multi-scale deformable attention with the compiled CPU kernel.

    The signature and result of mmcv's
    ``multi_scale_deformable_attn_pytorch``.

    Args:
        value (Tensor): (B, num_keys, heads, head_dims).
        value_spatial_shapes (Tensor): (levels, 2), ``(H, W)`` per level.
        sampling_locations (Tensor): (B, queries, heads, levels, points, 2).
        attention_weights (Tensor): (B, queries, heads, levels, points).

    Returns:
        Tensor: (B, queries, heads * head_dims), float32 (float64 for
        float64 values).
    """
    dtype = torch.float64 if value.dtype == torch.float64 else torch.float32
    shapes = value_spatial_shapes.long()
    starts = torch.cat((shapes.new_zeros(1), shapes.prod(1).cumsum(0)[:-1]))
    output = MultiScaleDeformableAttnCPUFunction.apply(
        value.to(dtype).contiguous(), shapes.contiguous(), starts,
        sampling_locations.to(dtype).contiguous(),
        attention_weights.to(dtype).contiguous())
    return output.flatten(2)


_warned = False


@contextmanager
def compiled_cpu_deformable_attention() -> Iterator[None]:
    """Within this context, mmcv's ``MultiScaleDeformableAttention`` uses
    :func:`multi_scale_deformable_attn_cpu` where it would use its PyTorch
    path (on a CPU); on a GPU mmcv's CUDA kernel runs as before. Without
    the compiled ops nothing changes (warned once)."""
    global _warned
    if _ext is None:
        if not _warned:
            print_log(
                'mmocr_wecromcl._ext is not built: deformable attention '
                'runs mmcv\'s PyTorch path on the CPU (slower). Reinstall '
                'with pip install --no-build-isolation -e . to build it.',
                logger='current',
                level=logging.WARNING)
            _warned = True
        yield
        return
    import mmcv.ops.multi_scale_deform_attn as mmcv_module
    original = mmcv_module.multi_scale_deformable_attn_pytorch
    mmcv_module.multi_scale_deformable_attn_pytorch = \
        multi_scale_deformable_attn_cpu
    try:
        yield
    finally:
        mmcv_module.multi_scale_deformable_attn_pytorch = original
