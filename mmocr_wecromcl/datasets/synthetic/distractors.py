# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Non-text clutter drawn on backgrounds: lines, strokes and shapes.

Thin strokes and rings resemble parts of characters, so a detector has to
learn that ink alone is not text.
"""
import cv2
import numpy as np

from .backgrounds import random_color


def _point(rng: np.random.Generator, height: int, width: int) -> tuple:
    return int(rng.integers(0, width)), int(rng.integers(0, height))


def draw_distractors(image: np.ndarray, rng: np.random.Generator,
                     count: int) -> np.ndarray:
    """Draw random lines, polyline strokes, ellipses and rectangles.

    Args:
        image (np.ndarray): (H, W, 3) float64 RGB canvas; not modified.
        rng (np.random.Generator): The random source.
        count (int): How many shapes to draw.

    Returns:
        np.ndarray: A new (H, W, 3) float64 canvas with the shapes.
    """
    height, width = image.shape[:2]
    canvas = image.copy()
    size = min(height, width)
    for _ in range(count):
        color = tuple(float(c) for c in random_color(rng))
        thickness = int(rng.integers(1, max(2, size // 40) + 1))
        kind = rng.integers(4)
        if kind == 0:
            cv2.line(canvas, _point(rng, height, width),
                     _point(rng, height, width), color, thickness, cv2.LINE_AA)
        elif kind == 1:
            num_points = int(rng.integers(3, 8))
            start = rng.uniform(0, [width, height])
            steps = rng.normal(0, size / 10, (num_points, 2))
            points = (start + np.cumsum(steps, axis=0)).astype(np.int32)
            cv2.polylines(canvas, [points], False, color, thickness,
                          cv2.LINE_AA)
        elif kind == 2:
            axes = (int(rng.integers(2, size // 4)),
                    int(rng.integers(2, size // 4)))
            filled = rng.random() < 0.4
            cv2.ellipse(canvas, _point(rng, height, width), axes,
                        float(rng.uniform(0, 180)), 0, 360, color,
                        -1 if filled else thickness, cv2.LINE_AA)
        else:
            filled = rng.random() < 0.4
            cv2.rectangle(canvas, _point(rng, height, width),
                          _point(rng, height, width), color,
                          -1 if filled else thickness, cv2.LINE_AA)
    return canvas
