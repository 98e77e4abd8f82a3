# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""The compiled CPU deformable attention: hand-computed values, agreement
with mmcv's module (values and gradients, float32 and bfloat16) and a
gradcheck."""
import pytest
import torch
from mmcv.ops import MultiScaleDeformableAttention

from mmocr_wecromcl.ops import (FusedMultiScaleDeformableAttention,
                                MultiScaleDeformableAttnCPUFunction,
                                compiled_ops_available)

pytestmark = pytest.mark.skipif(
    not compiled_ops_available(),
    reason='mmocr_wecromcl._ext is not built (pip install '
    '--no-build-isolation -e .)')


def sample(value, shapes, reference, offsets, logits):
    starts = torch.cat((shapes.new_zeros(1), shapes.prod(1).cumsum(0)[:-1]))
    return MultiScaleDeformableAttnCPUFunction.apply(value, shapes, starts,
                                                     reference, offsets,
                                                     logits)


def test_bilinear_sample_hand_computed():
    # one 2 x 3 map, one head of width 1, values 0..5 row by row
    value = torch.arange(6.).view(1, 6, 1, 1)
    shapes = torch.tensor([[2, 3]])
    # pixel (x, y) = (loc_x * 3 - 0.5, loc_y * 2 - 0.5), loc = ref + offset
    # / (3, 2): the references are pixel centres, the offsets in pixels
    reference = torch.tensor([
        [0.5 / 3, 0.5 / 2],  # centre of pixel (0, 0): 0
        [0.5 / 3, 0.5 / 2],  # + (0.5, 0.5): mean of 0, 1, 3, 4 = 2
        [2.5 / 3, 1.5 / 2],  # centre of (2, 1): 5
        [2.5 / 3, 0.5 / 2],  # + (0.5, 0): half of pixel 2, half outside
        [0.5 / 3, 0.5 / 2],  # + (6, 4): far outside: 0
    ]).view(1, 5, 1, 2)
    offsets = torch.tensor([[0., 0.], [0.5, 0.5], [0., 0.], [0.5, 0.],
                            [6., 4.]]).view(1, 5, 1, 1, 1, 2)
    # two points per location, the second far outside: with logits (0, 0)
    # each point weighs 0.5, with (log 3, 0) the first weighs 0.75
    offsets = torch.cat((offsets, torch.full_like(offsets, 99.)), 4)
    logits = torch.tensor([[0., 0.]] * 4 + [[3.0, 0.]]).view(1, 5, 1, 2)
    logits[0, 2, 0, 0] = torch.tensor(3.).log()
    out = sample(value, shapes, reference, offsets, logits)
    assert out.shape == (1, 5, 1, 1)
    assert out.flatten().tolist() == pytest.approx([0., 1., 0.75 * 5, 0.5, 0.],
                                                   abs=1e-6)


def modules(embed_dims=48, num_heads=2, seed=0):
    torch.manual_seed(seed)
    config = dict(
        embed_dims=embed_dims,
        num_heads=num_heads,
        num_levels=2,
        num_points=3,
        batch_first=True)
    ours = FusedMultiScaleDeformableAttention(**config)
    theirs = MultiScaleDeformableAttention(**config)
    theirs.load_state_dict(ours.state_dict())
    # offsets of a few pixels in every direction, also off the maps
    with torch.no_grad():
        ours.sampling_offsets.weight.normal_(0, 0.5)
        theirs.sampling_offsets.weight.copy_(ours.sampling_offsets.weight)
    return ours.eval(), theirs.eval()


def inputs(embed_dims=48, seed=1):
    torch.manual_seed(seed)
    shapes = torch.tensor([[6, 5], [3, 3]])
    starts = torch.tensor([0, 30])
    query = torch.randn(2, 39, embed_dims, requires_grad=True)
    pos = torch.randn(2, 39, embed_dims)
    mask = torch.zeros(2, 39, dtype=torch.bool)
    mask[1, 25:30] = True
    return dict(
        query=query,
        query_pos=pos,
        key_padding_mask=mask,
        reference_points=torch.rand(2, 39, 2, 2),
        spatial_shapes=shapes,
        level_start_index=starts)


@pytest.mark.parametrize('embed_dims,num_heads', [(48, 2), (10, 2), (64, 2)])
def test_module_matches_mmcv_with_gradients(embed_dims, num_heads):
    """Head widths 24, 5 and 32: the kernel's fixed and any-width loops."""
    ours, theirs = modules(embed_dims, num_heads)
    kwargs = inputs(embed_dims)
    out, ref = ours(**kwargs), theirs(**kwargs)
    torch.testing.assert_close(out, ref, rtol=1e-5, atol=1e-5)
    grad = torch.randn_like(ref)
    for a, b in zip(
            torch.autograd.grad(out,
                                [kwargs['query']] + list(ours.parameters()),
                                grad),
            torch.autograd.grad(ref,
                                [kwargs['query']] + list(theirs.parameters()),
                                grad)):
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-4)


def test_bfloat16_autocast_reads_bfloat16_and_matches_mmcv():
    ours, theirs = modules()
    kwargs = inputs()
    with torch.no_grad(), torch.autocast('cpu', dtype=torch.bfloat16):
        out = ours(**kwargs)
        ref = theirs(**kwargs)
        value = ours.value_proj(kwargs['query'])
    assert value.dtype == torch.bfloat16
    assert out.dtype == ref.dtype
    # mmcv rounds offset / level size to bfloat16, the kernel does not
    torch.testing.assert_close(out.float(), ref.float(), rtol=0, atol=0.05)


def test_reference_points_get_their_gradient():
    """The reference points of a decoder would need it: the sum of their
    locations' gradients."""
    kwargs = inputs()
    grads = []
    for module in modules():
        kwargs['reference_points'] = kwargs['reference_points'].detach(
        ).requires_grad_()
        module(**kwargs).sum().backward()
        grads.append(kwargs['reference_points'].grad)
    torch.testing.assert_close(*grads)


def test_gradcheck_float64():
    torch.manual_seed(1)
    shapes = torch.tensor([[4, 3], [2, 2]])
    value = torch.randn(1, 16, 2, 3, dtype=torch.float64, requires_grad=True)
    reference = torch.rand(1, 5, 2, 2, dtype=torch.float64, requires_grad=True)
    offsets = torch.randn(
        1, 5, 2, 2, 2, 2, dtype=torch.float64, requires_grad=True)
    logits = torch.randn(1, 5, 2, 4, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(
        lambda v, r, o, w: sample(v, shapes, r, o, w),
        (value, reference, offsets, logits))


def test_only_2d_reference_points_and_batch_first():
    with pytest.raises(ValueError, match='batch_first'):
        FusedMultiScaleDeformableAttention(embed_dims=16, batch_first=False)
    ours, _ = modules()
    kwargs = inputs()
    kwargs['reference_points'] = torch.rand(2, 39, 2, 4)
    with pytest.raises(ValueError, match='2-d reference points'):
        ours(**kwargs)
