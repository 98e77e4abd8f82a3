# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Geometry of point-based evaluation: GT centres and point-in-polygon."""
from typing import Sequence

import numpy as np

GT_CENTER_MODES = ('spts', 'vertex_mean')


def polyline_point(points: np.ndarray, fraction: float) -> np.ndarray:
    """The point at a fraction of a polyline's arc length.

    Args:
        points (np.ndarray): Vertices of shape (K, 2), K >= 1, in order.
        fraction (float): Position along the polyline, in [0, 1]: 0 is the
            first vertex, 1 the last, 0.5 the arc-length midpoint.

    Returns:
        np.ndarray: The point of shape (2,). A single vertex, or a polyline
        of zero length, gives its first vertex.
    """
    if not 0 <= fraction <= 1:
        raise ValueError(f'fraction must be in [0, 1], got {fraction}')
    seg_lens = np.linalg.norm(np.diff(points, axis=0), axis=1)
    total = seg_lens.sum()
    if total == 0:
        return points[0].copy()
    target = fraction * total
    cum = np.concatenate([[0.], np.cumsum(seg_lens)])
    # the last segment of positive length that starts at or before target
    starts = np.nonzero((seg_lens > 0) & (cum[:-1] <= target))[0]
    seg = int(starts[-1])
    ratio = min((target - cum[seg]) / seg_lens[seg], 1.0)
    return points[seg] + ratio * (points[seg + 1] - points[seg])


def center_line_point(polygon: Sequence[float],
                      fraction: float = 0.5) -> np.ndarray:
    """A point on the centre line of a word polygon.

    The vertices are split into a first half (``N // 2`` vertices, the upper
    side of MMOCR/ICDAR polygons, from the word's start to its end) and a
    second half (the lower side, from the end back to the start). The point
    is the average of the upper side's point at ``fraction`` of its arc
    length and the lower side's point at ``fraction`` of its arc length
    counted from the word's start.

    Args:
        polygon (Sequence[float]): Flat polygon ``[x1, y1, x2, y2, ...]``
            with N >= 2 vertices.
        fraction (float): Position along the word, in [0, 1]: 0 its start,
            1 its end. Defaults to 0.5, the centre of SPTS's evaluation.

    Returns:
        np.ndarray: The point ``(x, y)`` of shape (2,), float64.
    """
    points = np.asarray(polygon, dtype=np.float64).reshape(-1, 2)
    if len(points) < 2:
        raise ValueError('a centre line needs a polygon of at least 2 '
                         f'vertices, got {len(points)}')
    half = len(points) // 2
    upper, lower = points[:half], points[half:][::-1]
    return (polyline_point(upper, fraction) +
            polyline_point(lower, fraction)) / 2


def polygon_center(polygon: Sequence[float], mode: str = 'spts') -> np.ndarray:
    """The reference point of a GT polygon.

    Args:
        polygon (Sequence[float]): Flat polygon ``[x1, y1, x2, y2, ...]``
            with N >= 1 vertices.
        mode (str): ``'spts'``: the midpoint of the centre line (see
            :func:`center_line_point`): the average of the arc-length
            midpoints of the polygon's two halves, as in SPTS's evaluation.
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
