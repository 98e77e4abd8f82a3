# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""The compiled CPU deformable attention: hand-computed values, agreement
with mmcv's PyTorch path (values and gradients) and its use by the image
encoder."""
import mmcv.ops.multi_scale_deform_attn as mmcv_msda
import pytest
import torch
from mmcv.ops.multi_scale_deform_attn import \
    multi_scale_deformable_attn_pytorch

from mmocr_wecromcl.ops import (compiled_cpu_deformable_attention,
                                compiled_ops_available,
                                multi_scale_deformable_attn_cpu)

pytestmark = pytest.mark.skipif(
    not compiled_ops_available(),
    reason='mmocr_wecromcl._ext is not built (pip install '
    '--no-build-isolation -e .)')


def test_bilinear_sample_hand_computed():
    # one 2 x 3 map, one head of width 1, values 0..5 row by row
    value = torch.arange(6.).view(1, 6, 1, 1)
    shapes = torch.tensor([[2, 3]])
    # pixel (x, y) = (loc_x * 3 - 0.5, loc_y * 2 - 0.5)
    loc = torch.tensor([
        [0.5 / 3, 0.5 / 2],  # centre of pixel (0, 0): 0
        [1.0 / 3, 0.5],  # (0.5, 0.5): mean of 0, 1, 3, 4 = 2
        [2.5 / 3, 1.5 / 2],  # centre of (2, 1): 5
        [3.0 / 3, 0.5 / 2],  # (2.5, 0): half of pixel 2, half outside
        [2.0, 2.0],  # far outside: 0
    ]).view(1, 5, 1, 1, 1, 2)
    weights = torch.tensor([1., 1., 0.5, 1., 1.]).view(1, 5, 1, 1, 1)
    out = multi_scale_deformable_attn_cpu(value, shapes, loc, weights)
    assert out.shape == (1, 5, 1)
    assert out.flatten().tolist() == pytest.approx([0., 2., 2.5, 1., 0.],
                                                   abs=1e-6)


@pytest.mark.parametrize('head_dims', [5, 24, 32])
def test_matches_mmcv_pytorch_path_with_gradients(head_dims):
    torch.manual_seed(0)
    shapes = torch.tensor([[6, 5], [3, 3]])
    num_keys = int(shapes.prod(1).sum())
    value = torch.randn(2, num_keys, 3, head_dims, requires_grad=True)
    # locations also outside [0, 1]: zero padding
    loc = (torch.rand(2, 11, 3, 2, 4, 2) * 1.4 - 0.2).requires_grad_()
    weights = torch.rand(2, 11, 3, 2, 4).requires_grad_()
    ours = multi_scale_deformable_attn_cpu(value, shapes, loc, weights)
    ref = multi_scale_deformable_attn_pytorch(value, shapes, loc, weights)
    assert ours.shape == ref.shape == (2, 11, 3 * head_dims)
    torch.testing.assert_close(ours, ref, rtol=1e-5, atol=1e-5)
    grad = torch.randn_like(ref)
    for a, b in zip(
            torch.autograd.grad(ours, (value, loc, weights), grad),
            torch.autograd.grad(ref, (value, loc, weights), grad)):
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-4)


def test_gradcheck_float64():
    torch.manual_seed(1)
    shapes = torch.tensor([[4, 3], [2, 2]])
    value = torch.randn(1, 16, 2, 3, dtype=torch.float64, requires_grad=True)
    loc = (torch.rand(1, 5, 2, 2, 2, 2, dtype=torch.float64) * 1.2 -
           0.1).requires_grad_()
    weights = torch.rand(
        1, 5, 2, 2, 2, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(
        lambda v, xy, w: multi_scale_deformable_attn_cpu(v, shapes, xy, w),
        (value, loc, weights))


def test_bfloat16_inputs_are_computed_in_float32():
    shapes = torch.tensor([[2, 2]])
    value = torch.tensor([1., 2., 3., 4.]).view(1, 4, 1, 1)
    loc = torch.full((1, 1, 1, 1, 1, 2), 0.5)
    weights = torch.ones(1, 1, 1, 1, 1).bfloat16()
    out = multi_scale_deformable_attn_cpu(value.bfloat16(), shapes, loc,
                                          weights)
    assert out.dtype == torch.float32
    assert out.item() == 2.5


def test_context_swaps_mmcv_cpu_path_and_restores_it():
    original = mmcv_msda.multi_scale_deformable_attn_pytorch
    with compiled_cpu_deformable_attention():
        assert mmcv_msda.multi_scale_deformable_attn_pytorch is \
            multi_scale_deformable_attn_cpu
    assert mmcv_msda.multi_scale_deformable_attn_pytorch is original
    with pytest.raises(RuntimeError):
        with compiled_cpu_deformable_attention():
            raise RuntimeError('boom')
    assert mmcv_msda.multi_scale_deformable_attn_pytorch is original


def test_mmcv_module_gives_the_same_result_through_the_compiled_op():
    attn = mmcv_msda.MultiScaleDeformableAttention(
        embed_dims=16,
        num_heads=2,
        num_levels=2,
        num_points=2,
        batch_first=True).eval()
    shapes = torch.tensor([[4, 4], [2, 2]])
    starts = torch.tensor([0, 16])
    query = torch.randn(1, 20, 16)
    ref_points = torch.rand(1, 20, 2, 2)
    kwargs = dict(
        query=query,
        reference_points=ref_points,
        spatial_shapes=shapes,
        level_start_index=starts)
    ref = attn(**kwargs)
    with compiled_cpu_deformable_attention():
        ours = attn(**kwargs)
    torch.testing.assert_close(ours, ref, rtol=1e-5, atol=1e-5)
