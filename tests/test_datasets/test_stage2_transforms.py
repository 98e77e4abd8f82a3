# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
import numpy as np
import pytest
from mmcv.transforms import Compose


def test_point_labels_follow_resize_and_flip():
    """Points ride MMOCR's geometric transforms as tiny squares."""
    pipeline = Compose([
        dict(type='LoadPointAnnotations'),
        dict(type='Resize', scale=(200, 50), keep_ratio=False),
        dict(type='RandomFlip', prob=1.0, direction='horizontal'),
        dict(type='PackPointSpottingInputs'),
    ])
    instances = [
        dict(point=[10.0, 20.0], text='cat', ignore=False),
        # GT annotation without a point: the polygon centre is used.
        dict(polygon=[40, 0, 60, 0, 60, 10, 40, 10], text='###',
             ignore=True),
    ]
    out = pipeline(
        dict(
            img=np.zeros((100, 100, 3), np.uint8),
            img_path='a.jpg',
            ori_shape=(100, 100),
            img_shape=(100, 100),
            instances=instances))
    gt = out['data_samples'].gt_instances
    # x scaled by 2 then flipped in a 200-wide image; y scaled by 0.5.
    np.testing.assert_allclose(gt.points.numpy(),
                               [[200 - 20.0, 10.0], [200 - 100.0, 2.5]])
    assert gt.texts == ['cat', '###']
    assert gt.ignored.tolist() == [False, True]
    assert out['data_samples'].metainfo['scale_factor'] == pytest.approx(
        (2.0, 0.5))


def test_point_removed_by_crop_is_dropped():
    pipeline = Compose([
        dict(type='LoadPointAnnotations'),
        dict(type='Resize', scale=(50, 50), keep_ratio=False),
        dict(type='PackPointSpottingInputs'),
    ])
    out = pipeline(
        dict(
            img=np.zeros((100, 100, 3), np.uint8),
            img_path='b.jpg',
            ori_shape=(100, 100),
            img_shape=(100, 100),
            instances=[
                dict(point=[150.0, 20.0], text='out'),
                dict(point=[30.0, 40.0], text='in')
            ]))
    gt = out['data_samples'].gt_instances
    assert gt.texts == ['in']
    np.testing.assert_allclose(gt.points.numpy(), [[15.0, 20.0]])
