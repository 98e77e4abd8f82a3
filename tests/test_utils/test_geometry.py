# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
import numpy as np
import pytest

from mmocr_wecromcl.utils import center_line_point, polyline_point

# upper side (0,0)-(10,0)-(40,0), lower side (60,30)-(30,30)-(0,30)
TRAPEZOID = np.array([0, 0, 10, 0, 40, 0, 60, 30, 30, 30, 0, 30], float)


def test_polyline_point():
    line = np.array([[0, 0], [0, 0], [10, 0], [10, 30]], float)
    np.testing.assert_allclose(polyline_point(line, 0.0), [0, 0])
    np.testing.assert_allclose(polyline_point(line, 0.25), [10, 0])
    np.testing.assert_allclose(polyline_point(line, 0.5), [10, 10])
    np.testing.assert_allclose(polyline_point(line, 1.0), [10, 30])
    np.testing.assert_allclose(
        polyline_point(np.array([[3., 4.], [3., 4.]]), 0.7), [3, 4])
    with pytest.raises(ValueError, match='fraction'):
        polyline_point(line, -0.1)


def test_center_line_point():
    """Points along the word: the upper side (0,0)-(10,0)-(40,0) and the
    lower side read from the word's start, (0,30)-(30,30)-(60,30)."""
    np.testing.assert_allclose(center_line_point(TRAPEZOID, 0.0), [0, 15])
    np.testing.assert_allclose(center_line_point(TRAPEZOID, 1.0), [50, 15])
    # a quarter: (10, 0) on the upper side, (15, 30) on the lower
    np.testing.assert_allclose(center_line_point(TRAPEZOID, 0.25), [12.5, 15])
    # the midpoints (20, 0) and (30, 30)
    np.testing.assert_allclose(center_line_point(TRAPEZOID), [25, 15])
    with pytest.raises(ValueError, match='fraction'):
        center_line_point(TRAPEZOID, 1.5)
    with pytest.raises(ValueError, match='2 vertices'):
        center_line_point([3, 4], 0.5)
