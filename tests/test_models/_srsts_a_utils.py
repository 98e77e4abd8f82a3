# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""A small SRSTS-A with stand-in image encoders for the tests."""
import torch
import torch.nn as nn
from mmdet.models.backbones import ResNet
from mmocr.registry import MODELS

from mmocr_wecromcl.models.spotters import SRSTSA

DICT = dict(type='Dictionary', dict_file='lower_english_digits.txt')
SMALL_RECOG_HEAD = dict(
    type='PointRecognitionHead',
    sampler=dict(type='PointOffsetSampler', num_points=8, hidden_channels=8),
    embed_dims=8,
    num_layers=1,
    num_heads=2,
    feedforward_channels=16,
    dropout=0.)


@MODELS.register_module(force=True)
class SRSTSATestPatchEncoder(nn.Module):
    """Stand-in image encoder: one 8x8 patch convolution, stride 8."""

    def __init__(self, out_channels: int = 4) -> None:
        super().__init__()
        self.out_channels = out_channels
        self.stride = 8
        self.conv = nn.Conv2d(3, out_channels, kernel_size=8, stride=8)

    def forward(self, inputs: torch.Tensor, valid_shapes=None) -> torch.Tensor:
        return self.conv(inputs)


@MODELS.register_module(force=True)
class SRSTSATestResNetEncoder(nn.Module):
    """Stand-in image encoder: the first two stages of ResNet-18, stride 8."""

    def __init__(self) -> None:
        super().__init__()
        self.out_channels = 128
        self.stride = 8
        self.resnet = ResNet(
            depth=18,
            num_stages=2,
            strides=(1, 2),
            dilations=(1, 1),
            out_indices=(1, ))

    def forward(self, inputs: torch.Tensor, valid_shapes=None) -> torch.Tensor:
        return self.resnet(inputs)[0]


def build_spotter(**kwargs) -> SRSTSA:
    cfg = dict(
        image_encoder=dict(type='SRSTSATestPatchEncoder'),
        anchor_head=dict(type='AnchorPointHead'),
        recog_head=SMALL_RECOG_HEAD,
        dictionary=DICT)
    cfg.update(kwargs)
    return MODELS.build(dict(type='SRSTSA', **cfg))
