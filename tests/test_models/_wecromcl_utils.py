# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Tiny WeCromCL configs and hand-drawn images for the model tests."""
from typing import List, Sequence, Tuple

import cv2
import numpy as np
import torch
from mmengine.structures import InstanceData
from mmocr.structures import TextDetDataSample

DICT = dict(type='Dictionary', dict_file='lower_english_digits.txt')


def tiny_wecromcl_cfg(embed_dims: int = 64) -> dict:
    """The WeCromCL modules scaled down for unit tests."""
    d_model = 48
    return dict(
        type='WeCromCL',
        data_preprocessor=dict(
            type='TextDetDataPreprocessor',
            mean=[127.5] * 3,
            std=[127.5] * 3,
            pad_size_divisor=32),
        image_encoder=dict(
            type='WeCromCLImageEncoder',
            backbone=dict(
                type='mmdet.ResNet',
                depth=18,
                num_stages=4,
                out_indices=(0, 1, 2, 3),
                base_channels=16,
                norm_cfg=dict(type='BN'),
                style='pytorch'),
            neck=dict(
                type='BiFPN',
                in_channels=[16, 32, 64, 128],
                out_channels=32,
                num_blocks=1),
            fusion=dict(
                type='PyramidLevelFusion',
                in_channels=32,
                proj_channels=d_model // 3),
            encoder=dict(
                num_layers=1,
                layer_cfg=dict(
                    self_attn_cfg=dict(
                        embed_dims=d_model,
                        num_heads=4,
                        num_levels=2,
                        num_points=4,
                        dropout=0.0,
                        batch_first=True),
                    ffn_cfg=dict(
                        embed_dims=d_model,
                        feedforward_channels=64,
                        ffn_drop=0.0))),
            out_channels=embed_dims),
        text_encoder=dict(
            type='CharacterTextEncoder',
            dictionary=DICT,
            width=64,
            num_layers=1,
            num_heads=4,
            embed_dims=embed_dims),
        head=dict(type='CrossModalActivationHead', embed_dims=embed_dims))


def draw_words(size: int,
               words: Sequence[Tuple[str, int, int]],
               scale: float = 1.0) -> Tuple[np.ndarray, List[np.ndarray]]:
    """White words on black at given bottom-left corners.

    Returns:
        tuple: The BGR image (size, size, 3) and each word's quad polygon
        (flat float32, 8 values) enclosing its ink.
    """
    img = np.zeros((size, size, 3), np.uint8)
    polygons = []
    for text, x, y in words:
        (w, h), base = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale,
                                       2)
        cv2.putText(img, text, (x, y), cv2.FONT_HERSHEY_SIMPLEX, scale,
                    (255, 255, 255), 2)
        x0, y0, x1, y1 = x - 2, y - h - 2, x + w + 2, y + base + 2
        polygons.append(
            np.array([x0, y0, x1, y0, x1, y1, x0, y1], dtype=np.float32))
    return img, polygons


def make_sample(img: np.ndarray,
                texts: Sequence[str],
                idx: int,
                polygons=None) -> Tuple[torch.Tensor, TextDetDataSample]:
    """An input tensor and its packed data sample (no resize)."""
    sample = TextDetDataSample(
        metainfo=dict(
            img_path=f'img_{idx}.jpg',
            img_shape=img.shape[:2],
            ori_shape=img.shape[:2],
            scale_factor=(1.0, 1.0),
            sample_idx=idx))
    gt = InstanceData(texts=list(texts))
    if polygons is not None:
        gt.polygons = polygons
        gt.ignored = torch.zeros(len(texts), dtype=torch.bool)
    sample.gt_instances = gt
    return torch.from_numpy(img).permute(2, 0, 1).contiguous(), sample
