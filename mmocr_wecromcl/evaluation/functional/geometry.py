# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Geometry of point-based evaluation: GT centres and point-in-polygon."""
from typing import Sequence

import numpy as np

from mmocr_wecromcl.utils import center_line_point

GT_CENTER_MODES = ('spts', 'vertex_mean')


def polygon_center(polygon: Sequence[float], mode: str = 'spts') -> np.ndarray:
    """The reference point of a GT polygon.

    Args:
        polygon (Sequence[float]): Flat polygon ``[x1, y1, x2, y2, ...]``
            with N >= 1 vertices.
        mode (str): ``'spts'``: the midpoint of the centre line (see
            :func:`~mmocr_wecromcl.utils.center_line_point`): the average
            of the arc-length midpoints of the polygon's two halves, as in
            SPTS's evaluation.
            ``'vertex_mean'``: the mean of the vertices, as in MMOCR's port
            of that evaluation. Both agree on quadrilaterals. Defaults to
            ``'spts'``.

    Returns:
        np.ndarray: The centre ``(x, y)`` of shape (2,), float64.
    """
    if mode not in GT_CENTER_MODES:
        raise ValueError(f'gt_center must be one of {GT_CENTER_MODES}, '
                         f'got {mode!r}')
    points = np.asarray(polygon, dtype=np.float64).reshape(-1, 2)
    if mode == 'vertex_mean' or len(points) == 1:
        return points.mean(axis=0)
    return center_line_point(points.ravel(), 0.5)


def point_in_polygon(point: Sequence[float],
                     polygon: Sequence[float],
                     eps: float = 1e-6) -> bool:
    """Whether a point lies inside a polygon or on its boundary.

    The even-odd rule is used, so self-intersecting polygons (found in
    curved-text annotations) need no repair.

    Args:
        point (Sequence[float]): ``(x, y)``.
        polygon (Sequence[float]): Flat polygon ``[x1, y1, ...]`` with at
            least 3 vertices.
        eps (float): Distance to an edge under which the point counts as
            on the boundary. Defaults to 1e-6.

    Returns:
        bool: True if the point is inside or on the boundary.
    """
    x, y = float(point[0]), float(point[1])
    starts = np.asarray(polygon, dtype=np.float64).reshape(-1, 2)
    ends = np.roll(starts, -1, axis=0)
    edges = ends - starts
    # boundary: distance from the point to each edge segment
    rel = np.array([x, y]) - starts
    sq_lens = (edges**2).sum(axis=1)
    t = np.clip((rel * edges).sum(axis=1) / np.maximum(sq_lens, 1e-12), 0, 1)
    dists = np.linalg.norm(rel - t[:, None] * edges, axis=1)
    if (dists <= eps).any():
        return True
    # even-odd rule: edges straddling the horizontal line through the point
    # and crossed to the right of it
    straddle = (starts[:, 1] > y) != (ends[:, 1] > y)
    with np.errstate(divide='ignore', invalid='ignore'):
        cross_x = starts[:, 0] + (y - starts[:, 1]) * edges[:, 0] / edges[:, 1]
    crossings = np.count_nonzero(straddle & (cross_x > x))
    return bool(crossings % 2)
