# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
import torch

from mmocr_wecromcl.models.postprocessors import PointPeakPostprocessor


def peak_map() -> torch.Tensor:
    score_map = torch.zeros(8, 8)
    score_map[1, 1] = 0.9  # peak
    score_map[2, 2] = 0.8  # within 5x5 of the stronger peak
    score_map[6, 6] = 0.5  # peak
    score_map[1, 6] = 0.2  # peak below 0.3
    return score_map


def test_max_points_kernel_and_threshold():
    post = PointPeakPostprocessor(stride=1, score_thr=0.3, max_points=10)
    pred = post.get_instances(peak_map(), (1., 1.))
    assert torch.equal(pred.cells, torch.tensor([[1, 1], [6, 6]]))
    assert torch.equal(pred.points, torch.tensor([[1.5, 1.5], [6.5, 6.5]]))
    post.max_points = 1
    assert torch.equal(
        post.get_instances(peak_map(), (1., 1.)).cells, torch.tensor([[1, 1]]))
    post.max_points, post.peak_kernel = 10, 1  # no suppression
    assert torch.equal(
        post.get_instances(peak_map(), (1., 1.)).cells,
        torch.tensor([[1, 1], [2, 2], [6, 6]]))


def test_counted_peaks_per_map():
    """Stage 1 asks for exactly k peaks of each word's map; with
    exclusive peaks two words never share a place."""
    maps = torch.stack([peak_map(), peak_map() * 0.5])
    post = PointPeakPostprocessor(stride=1)
    (a, _), (b, _) = post.get_peaks(maps, [2, 1])
    assert torch.equal(a, torch.tensor([[1, 1], [6, 6]]))
    assert torch.equal(b, torch.tensor([[1, 1]]))
    post.exclusive_peaks = True
    (a, _), (b, _) = post.get_peaks(maps, [1, 1])
    assert torch.equal(a, torch.tensor([[1, 1]]))
    assert torch.equal(b, torch.tensor([[6, 6]]))


def test_centroid_points():
    """With a centroid kernel the point is the score-weighted mean of the
    cells around the peak."""
    score_map = torch.zeros(5, 5)
    score_map[2, 2] = 3.
    score_map[2, 3] = 1.
    post = PointPeakPostprocessor(stride=2, centroid_kernel=3)
    points = post.get_points(score_map, torch.tensor([[2, 2]]), (1., 1.))
    # x = (3 * 2 + 1 * 3) / 4 = 2.25 cells, y = 2: ((2.25, 2) + 0.5) * 2
    assert torch.equal(points, torch.tensor([[5.5, 5.]]))
