# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""The image encoder's wirings (the default and the authors' BiFPN and level
fusion) and its channels-last layout."""
import copy
import os.path as osp

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.config import Config
from mmocr.registry import MODELS
from torch.utils.flop_counter import FlopCounterMode

from ._wecromcl_utils import tiny_wecromcl_cfg


def authors_wiring(repo_root: str) -> Config:
    return Config.fromfile(
        osp.join(repo_root, 'configs/_base_/models/shared.py')).authors_wiring


def test_authors_node_is_swish_then_1x1_conv(repo_root):
    neck = MODELS.build(
        dict(
            type='BiFPN',
            in_channels=[2, 2],
            out_channels=2,
            num_blocks=1,
            **authors_wiring(repo_root).neck))
    lateral = neck.lateral[0]
    assert lateral.conv.kernel_size == (3, 3)
    assert lateral.with_norm and isinstance(lateral.activate, nn.ReLU)
    node = neck.blocks[0].top_down[0]
    assert node.conv.conv.kernel_size == (1, 1) and not node.conv.with_norm
    with torch.no_grad():
        node.conv.conv.weight.copy_(torch.eye(2).view(2, 2, 1, 1))
        node.conv.conv.bias.zero_()
    a = torch.full((1, 2, 2, 2), 1.)
    b = torch.full((1, 2, 1, 1), 3.)  # resized (nearest) to 2 x 2
    # weights (1, 1) normalised: (a + b) / (2 + 1e-4), then Swish, then the
    # identity conv
    fused = 4. / (2 + 1e-4)
    expected = fused * torch.sigmoid(torch.tensor(fused))
    torch.testing.assert_close(
        node([a, b]), torch.full((1, 2, 2, 2), expected.item()))


def test_level_fusion_project_first_resizes_the_projection():
    torch.manual_seed(0)
    fusion = MODELS.build(
        dict(
            type='PyramidLevelFusion',
            in_channels=4,
            groups=((1, 0), ),
            proj_channels=3,
            project_first=True)).eval()
    fine, coarse = torch.randn(1, 4, 8, 8), torch.randn(1, 4, 4, 4)
    projs = fusion.projections[0]
    expected = torch.cat([
        F.interpolate(
            projs[0](coarse),
            size=(8, 8),
            mode='bilinear',
            align_corners=False), projs[1](fine)
    ], 1)
    torch.testing.assert_close(fusion([fine, coarse])[0], expected)
    fusion.project_first = False
    expected = torch.cat([
        projs[0](F.interpolate(
            coarse, size=(8, 8), mode='bilinear', align_corners=False)),
        projs[1](fine)
    ], 1)
    torch.testing.assert_close(fusion([fine, coarse])[0], expected)


def _flops(module, inputs) -> int:
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        module(inputs)
    return counter.get_total_flops()


def test_authors_wiring_costs_fewer_flops_at_paper_widths(repo_root):
    cfg = Config.fromfile(
        osp.join(repo_root,
                 'configs/_base_/models/wecromcl_resnet50_bifpn-deform.py'))
    wiring = authors_wiring(repo_root)
    feats = [
        torch.randn(1, c, 96 // 2**i, 96 // 2**i)
        for i, c in enumerate((256, 512, 1024, 2048))
    ]
    costs = {}
    for name in ('default', 'authors'):
        # the paper configuration's (authors') options, or the defaults
        neck_cfg = copy.deepcopy(cfg.model.image_encoder.neck)
        fusion_cfg = copy.deepcopy(cfg.model.image_encoder.fusion)
        assert neck_cfg.node_cfg == wiring.neck.node_cfg
        if name == 'default':
            for key in wiring.neck:
                neck_cfg.pop(key)
            fusion_cfg.pop('project_first')
        neck, fusion = MODELS.build(neck_cfg), MODELS.build(fusion_cfg)
        levels = neck(feats)
        costs[name] = (_flops(neck, feats), _flops(fusion, levels))
    # 384 x 384 inputs: 37.9 against 24.3 GFLOP in the BiFPN, 10.2 against
    # 4.5 in the level fusion
    assert costs['authors'][0] < 0.7 * costs['default'][0]
    assert costs['authors'][1] < 0.5 * costs['default'][1]


def test_channels_last_gives_the_same_features():
    torch.manual_seed(0)
    cfg = tiny_wecromcl_cfg()['image_encoder']
    encoder = MODELS.build(cfg).eval()
    last = MODELS.build(dict(cfg, channels_last=True)).eval()
    last.load_state_dict(encoder.state_dict())
    assert last.backbone.conv1.weight.is_contiguous(
        memory_format=torch.channels_last)
    images = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        torch.testing.assert_close(
            last(images), encoder(images), rtol=1e-4, atol=1e-4)
