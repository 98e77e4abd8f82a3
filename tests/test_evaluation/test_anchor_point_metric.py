# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
import numpy as np
import pytest
import torch
from mmengine.structures import InstanceData
from mmocr.registry import METRICS
from mmocr.structures import TextDetDataSample

import mmocr_wecromcl  # noqa: F401
from mmocr_wecromcl.evaluation import (AnchorPointMetric, point_in_polygon,
                                       polygon_center)


def rect(x0, y0, x1, y1):
    return np.array([x0, y0, x1, y0, x1, y1, x0, y1], dtype=np.float32)


def make_sample(polygons, texts, points, pred_texts, scores, ignored=None):
    """A TextDetDataSample as the model outputs it (tensors)."""
    sample = TextDetDataSample(metainfo=dict(img_path='data/img_1.jpg'))
    sample.gt_instances = InstanceData(
        polygons=polygons,
        texts=texts,
        ignored=torch.tensor(ignored if ignored is not None else [False] *
                             len(texts)))
    sample.pred_instances = InstanceData(
        points=torch.tensor(points, dtype=torch.float32).reshape(-1, 2),
        texts=pred_texts,
        scores=torch.tensor(scores, dtype=torch.float32))
    return sample


def evaluate(metric, samples):
    metric.process(None, samples)
    return metric.evaluate(len(samples))


# 3 GT words; 4 predictions, highest score first:
# p0 on 'hello' (TP both), p1 inside 'world' (TP both), p2 inside the long
# 'again' box but nearest to the centre of 'hello' (FP nearest, TP inside),
# p3 'hello' again (GT already matched: FP both).
GT_POLYS = [rect(0, 0, 100, 20), rect(0, 40, 100, 60), rect(120, 0, 400, 20)]
GT_TEXTS = ['hello', 'World', 'again']
PRED_POINTS = [[50, 10], [95, 55], [130, 10], [50, 12]]
PRED_TEXTS = ['HELLO', 'world', 'again', 'hello']
PRED_SCORES = [0.9, 0.8, 0.7, 0.6]


def test_registered():
    metric = METRICS.build(dict(type='AnchorPointMetric'))
    assert isinstance(metric, AnchorPointMetric)
    assert metric.gt_center == 'spts'
    np.testing.assert_allclose(metric.score_thrs,
                               [0.0, 0.01, 0.02, 0.03, 0.04, 0.05])


def test_nearest_and_inside_protocols():
    metric = AnchorPointMetric(score_thrs=[0.0])
    res = evaluate(metric, [
        make_sample(GT_POLYS, GT_TEXTS, PRED_POINTS, PRED_TEXTS, PRED_SCORES)
    ])
    assert res['anchor/nearest/precision'] == pytest.approx(2 / 4)
    assert res['anchor/nearest/recall'] == pytest.approx(2 / 3)
    assert res['anchor/nearest/hmean'] == pytest.approx(4 / 7)
    assert res['anchor/inside/precision'] == pytest.approx(3 / 4)
    assert res['anchor/inside/recall'] == pytest.approx(1.0)
    assert res['anchor/inside/hmean'] == pytest.approx(6 / 7)
    assert res['anchor/nearest/score_thr'] == 0.0


def test_repeated_word_matched_once():
    # The GT has 'hello' twice; two 'hello' predictions near the first one
    # match it once, the one near the second matches that one.
    polys = [rect(0, 0, 100, 20), rect(0, 40, 100, 60)]
    texts = ['hello', 'hello']
    points = [[50, 12], [50, 10], [50, 50]]
    pred_texts = ['hello', 'hello', 'hello']
    scores = [0.6, 0.9, 0.7]
    metric = AnchorPointMetric(score_thrs=[0.0])
    res = evaluate(metric,
                   [make_sample(polys, texts, points, pred_texts, scores)])
    assert res['anchor/nearest/precision'] == pytest.approx(2 / 3)
    assert res['anchor/nearest/recall'] == pytest.approx(1.0)
    assert res['anchor/inside/precision'] == pytest.approx(2 / 3)


def test_predictions_matched_by_decreasing_score():
    # Two overlapping 'hello' boxes A (index 0) and B. The 0.9 prediction is
    # inside both, the 0.5 one inside A only. Matched by score, the 0.9 one
    # takes A and the 0.5 one finds no free box: 1 TP. (In input order,
    # the 0.5 one would take A and the 0.9 one B: 2 TP.)
    polys = [rect(0, 0, 100, 20), rect(50, 0, 150, 20)]
    sample = make_sample(polys, ['hello', 'hello'], [[20, 10], [75, 10]],
                         ['hello', 'hello'], [0.5, 0.9])
    res = evaluate(AnchorPointMetric(score_thrs=[0.0]), [sample])
    assert res['anchor/inside/precision'] == pytest.approx(0.5)
    assert res['anchor/inside/recall'] == pytest.approx(0.5)


def test_threshold_sweep_picks_best():
    metric = AnchorPointMetric(score_thrs=[0.0, 0.65, 0.75, 0.85])
    res = evaluate(metric, [
        make_sample(GT_POLYS, GT_TEXTS, PRED_POINTS, PRED_TEXTS, PRED_SCORES)
    ])
    # nearest hmeans: 4/7, 2/3, 0.8, 0.5 -> 0.75
    assert res['anchor/nearest/score_thr'] == pytest.approx(0.75)
    assert res['anchor/nearest/precision'] == pytest.approx(1.0)
    assert res['anchor/nearest/recall'] == pytest.approx(2 / 3)
    assert res['anchor/nearest/hmean'] == pytest.approx(0.8)
    # inside hmeans: 6/7, 1.0, 0.8, 0.5 -> 0.65
    assert res['anchor/inside/score_thr'] == pytest.approx(0.65)
    assert res['anchor/inside/hmean'] == pytest.approx(1.0)


def test_threshold_ties_pick_highest():
    # one GT, one correct prediction: every threshold <= 0.9 gives hmean 1.
    # The float32 score 0.9 passes the threshold 0.9.
    metric = AnchorPointMetric(score_thrs=dict(start=0.0, stop=1.0, step=0.1))
    res = evaluate(metric, [
        make_sample([rect(0, 0, 100, 20)], ['hello'], [[50, 10]], ['hello'],
                    [0.9])
    ])
    assert res['anchor/nearest/hmean'] == pytest.approx(1.0)
    assert res['anchor/nearest/score_thr'] == pytest.approx(0.9)


def test_short_and_ignored_words_removed():
    polys = [
        rect(0, 0, 100, 20),  # 'hello'
        rect(0, 40, 100, 60),  # 'ab': too short, removed
        rect(200, 0, 300, 20),  # '###'
        rect(200, 40, 300, 60),  # flagged ignored
    ]
    texts = ['hello', 'ab', '###', 'valid']
    ignored = [False, False, True, True]
    # 'ab' and '###' predictions are dropped; the 'hello' point sits on the
    # removed 'ab' word, so its nearest remaining GT is 'hello'.
    points = [[50, 50], [250, 10], [50, 45]]
    pred_texts = ['ab', '###', 'hello']
    scores = [0.9, 0.9, 0.5]
    sample = make_sample(polys, texts, points, pred_texts, scores, ignored)
    res = evaluate(AnchorPointMetric(score_thrs=[0.0]), [sample])
    assert res['anchor/nearest/precision'] == pytest.approx(1.0)
    assert res['anchor/nearest/recall'] == pytest.approx(1.0)
    # (50, 45) is outside the 'hello' box
    assert res['anchor/inside/hmean'] == 0.0

    # with min_len=2, 'ab' is a word: 2 GT, 2 predictions, 1 TP
    res = evaluate(AnchorPointMetric(score_thrs=[0.0], min_len=2), [sample])
    assert res['anchor/nearest/precision'] == pytest.approx(0.5)
    assert res['anchor/nearest/recall'] == pytest.approx(0.5)


def test_dict_samples_and_empty_image():
    # data samples as dicts (what mmengine's Evaluator passes); an image
    # with predictions but no GT word counts them as false positives.
    with_gt = dict(
        img_path='img_1.jpg',
        gt_instances=dict(
            polygons=[rect(0, 0, 100, 20)],
            texts=['hello'],
            ignored=np.array([False])),
        pred_instances=dict(
            points=np.array([[50., 10.]]),
            texts=['hello'],
            scores=np.array([0.5])))
    without_gt = dict(
        img_path='img_2.jpg',
        gt_instances=dict(
            polygons=[], texts=[], ignored=np.zeros(0, dtype=bool)),
        pred_instances=dict(
            points=np.array([[5., 5.]]),
            texts=['other'],
            scores=np.array([0.5])))
    res = evaluate(AnchorPointMetric(score_thrs=[0.0]), [with_gt, without_gt])
    assert res['anchor/nearest/precision'] == pytest.approx(0.5)
    assert res['anchor/nearest/recall'] == pytest.approx(1.0)
    assert res['anchor/inside/precision'] == pytest.approx(0.5)


# A trapezoid (top side 0..40, bottom side 0..60) whose top side has an
# extra vertex: its vertex mean is (140/6, 15), its SPTS centre (25, 15).
TRAPEZOID = np.array([0, 0, 10, 0, 40, 0, 60, 30, 30, 30, 0, 30], float)


def test_polygon_center_modes():
    np.testing.assert_allclose(
        polygon_center(TRAPEZOID, 'vertex_mean'), [140 / 6, 15])
    np.testing.assert_allclose(polygon_center(TRAPEZOID, 'spts'), [25, 15])
    # quadrilaterals: both modes agree
    quad = [0, 0, 40, 0, 60, 30, 0, 30]
    np.testing.assert_allclose(
        polygon_center(quad, 'spts'), polygon_center(quad, 'vertex_mean'))
    # repeated vertices (zero-length segments) do not move the midpoints
    repeated = [0, 0, 0, 0, 40, 0, 40, 30, 0, 30, 0, 30]
    np.testing.assert_allclose(polygon_center(repeated, 'spts'), [20, 15])
    with pytest.raises(ValueError):
        polygon_center(quad, 'centroid')


@pytest.mark.parametrize('gt_center,precision', [('vertex_mean', 1.0),
                                                 ('spts', 0.0)])
def test_gt_center_option(gt_center, precision):
    # 'other' is centred at (0, 15). The 'alpha' prediction at (12, 15) is
    # nearer to the trapezoid's vertex mean (|12 - 23.33| = 11.33 < 12) than
    # to 'other', but nearer to 'other' than to its SPTS centre
    # (|12 - 25| = 13 > 12).
    polys = [TRAPEZOID, rect(-10, 5, 10, 25)]
    sample = make_sample(polys, ['alpha', 'other'], [[12, 15]], ['alpha'],
                         [0.5])
    res = evaluate(
        AnchorPointMetric(score_thrs=[0.0], gt_center=gt_center), [sample])
    assert res['anchor/nearest/precision'] == precision
    assert res['anchor/nearest/recall'] == precision / 2
    # the point is inside the trapezoid whatever the centre
    assert res['anchor/inside/precision'] == 1.0


def test_point_in_polygon():
    square = rect(0, 0, 10, 10)
    assert point_in_polygon([5, 5], square)
    assert point_in_polygon([10, 5], square)  # on the boundary
    assert point_in_polygon([0, 0], square)  # a vertex
    assert not point_in_polygon([10.1, 5], square)
    # a self-intersecting "bow tie": the even-odd rule
    bow_tie = [0, 0, 10, 10, 10, 0, 0, 10]
    assert point_in_polygon([2, 5], bow_tie)
    assert not point_in_polygon([5, 8], bow_tie)


def test_dictionary_normalises_like_the_model_queries():
    # The model queries 'Hotel,' as 'hotel' (dictionary without symbols).
    # 'ab,' has 3 characters but normalises to 'ab': removed.
    polys = [rect(0, 0, 100, 20), rect(0, 40, 100, 60)]
    sample = make_sample(polys, ['Hotel,', 'ab,'], [[50, 10], [50, 50]],
                         ['hotel', 'ab'], [0.5, 0.5])
    res = evaluate(AnchorPointMetric(score_thrs=[0.0]), [sample])
    assert res['anchor/nearest/precision'] == 0.0  # 'HOTEL' != 'HOTEL,'
    assert res['anchor/nearest/recall'] == 0.0

    metric = AnchorPointMetric(
        score_thrs=[0.0],
        dictionary=dict(
            type='Dictionary', dict_file='lower_english_digits.txt'))
    res = evaluate(metric, [sample])
    assert res['anchor/nearest/precision'] == pytest.approx(1.0)
    assert res['anchor/nearest/recall'] == pytest.approx(1.0)
