# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Points along polylines and word polygons."""
from typing import Sequence

import numpy as np


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
