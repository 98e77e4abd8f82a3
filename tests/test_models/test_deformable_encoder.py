# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""DeformableEncoder: mmdet's Deformable DETR encoder, the same parameters
and result, with only the asked-for tokens computed by its last layer."""
import torch
from mmdet.models.layers import DeformableDetrTransformerEncoder

from mmocr_wecromcl.models.encoders import DeformableEncoder


def test_same_parameters_and_tokens_as_mmdet_encoder():
    cfg = dict(
        num_layers=2,
        layer_cfg=dict(
            self_attn_cfg=dict(
                embed_dims=16, num_heads=2, num_levels=2, num_points=2),
            ffn_cfg=dict(embed_dims=16, feedforward_channels=32)))
    torch.manual_seed(0)
    ours = DeformableEncoder(**cfg).eval()
    theirs = DeformableDetrTransformerEncoder(**cfg).eval()
    theirs.load_state_dict(ours.state_dict(), strict=True)
    shapes = torch.tensor([[4, 5], [2, 3]])
    starts = torch.tensor([0, 20])
    mask = torch.zeros(2, 26, dtype=torch.bool)
    mask[1, 20:23] = True
    kwargs = dict(
        query=torch.randn(2, 26, 16),
        query_pos=torch.randn(2, 26, 16),
        key_padding_mask=mask,
        spatial_shapes=shapes,
        level_start_index=starts,
        valid_ratios=torch.ones(2, 2, 2))
    everything = theirs(**kwargs)
    torch.testing.assert_close(ours(**kwargs), everything)
    # the second level alone: the last layer updates its 6 tokens only
    second = ours(**kwargs, out_start=20, out_end=26)
    assert second.shape == (2, 6, 16)
    torch.testing.assert_close(second, everything[:, 20:])
