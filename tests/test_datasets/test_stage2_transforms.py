# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
import numpy as np
import pytest
from mmcv.transforms import Compose
from mmocr.registry import TRANSFORMS


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
        dict(polygon=[40, 0, 60, 0, 60, 10, 40, 10], text='###', ignore=True),
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


def test_point_off_the_image_moves_to_its_border():
    """A pseudo point off the image labels the nearest border pixel: its
    word is kept, so the labelling tools get one point per instance."""
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
                dict(point=[30.0, -4.0], text='above'),
                dict(point=[30.0, 40.0], text='in')
            ]))
    gt = out['data_samples'].gt_instances
    assert gt.texts == ['out', 'above', 'in']
    # the 2-pixel square at the border keeps its inner half: centre 99.5
    np.testing.assert_allclose(gt.points.numpy(),
                               [[49.75, 10.0], [15.0, 0.25], [15.0, 20.0]])


def test_point_removed_by_crop_is_dropped():
    """A crop that removes a point's square leaves zeros: no target."""
    pack = TRANSFORMS.build(dict(type='PackPointSpottingInputs'))
    out = pack(
        dict(
            img=np.zeros((50, 50, 3), np.uint8),
            img_path='c.jpg',
            ori_shape=(50, 50),
            img_shape=(50, 50),
            gt_polygons=[
                np.zeros(8),
                np.array([14, 19, 16, 19, 16, 21, 14, 21.])
            ],
            gt_texts=['cropped', 'in'],
            gt_ignored=np.array([False, False])))
    gt = out['data_samples'].gt_instances
    assert gt.texts == ['in']
    np.testing.assert_allclose(gt.points.numpy(), [[15.0, 20.0]])


@pytest.mark.parametrize('along_word, point', [((0.0, 0.0), [0.0, 5.0]),
                                               ((1.0, 1.0), [40.0, 5.0]),
                                               ((0.25, 0.25), [10.0, 5.0])])
def test_gt_point_along_the_word(along_word, point):
    """``along_word`` draws the GT point on the word's centre line; a
    pseudo label's own point is kept."""
    transform = TRANSFORMS.build(
        dict(type='LoadPointAnnotations', along_word=along_word))
    out = transform(
        dict(
            img_shape=(10, 40),
            instances=[
                dict(polygon=[0, 0, 40, 0, 40, 10, 0, 10], text='word'),
                dict(point=[7.0, 8.0], polygon=[0, 0, 1, 0, 1, 1], text='pt'),
            ]))
    centres = [np.reshape(p, (-1, 2)).mean(0) for p in out['gt_polygons']]
    np.testing.assert_allclose(centres, [point, [7.0, 8.0]])


def test_gt_point_along_the_word_is_random_in_range():
    transform = TRANSFORMS.build(
        dict(type='LoadPointAnnotations', along_word=(0.5, 1.0)))
    np.random.seed(0)
    xs = [
        np.reshape(
            transform(
                dict(instances=[
                    dict(polygon=[0, 0, 40, 0, 40, 10, 0, 10], text='w')
                ]))['gt_polygons'][0], (-1, 2)).mean(0)[0] for _ in range(50)
    ]
    assert 20 <= min(xs) < 25 and 35 < max(xs) <= 40
    with pytest.raises(ValueError, match='along_word'):
        TRANSFORMS.build(
            dict(type='LoadPointAnnotations', along_word=(0.6, 0.4)))
