# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Draw ground truth on generated images, for previews and documentation."""
from typing import List, Sequence

import cv2
import numpy as np

LEGIBLE_COLOR = (0, 220, 0)  # BGR green
IGNORED_COLOR = (0, 0, 255)  # BGR red


def draw_instances(image: np.ndarray,
                   instances: Sequence[dict],
                   scale: int = 2) -> np.ndarray:
    """Upscale an image and draw its polygons and transcriptions.

    Args:
        image (np.ndarray): (H, W, 3) uint8 BGR image.
        instances (Sequence[dict]): MMOCR instances (``polygon``, ``text``,
            ``ignore``). Legible words are drawn green, ignored ones red.
        scale (int): Upscaling factor, so small words stay readable.

    Returns:
        np.ndarray: (scale * H, scale * W, 3) uint8 BGR image.
    """
    canvas = cv2.resize(
        image, None, fx=scale, fy=scale, interpolation=cv2.INTER_NEAREST)
    for instance in instances:
        color = IGNORED_COLOR if instance['ignore'] else LEGIBLE_COLOR
        points = np.array(instance['polygon']).reshape(-1, 2) * scale
        cv2.polylines(canvas, [np.round(points).astype(np.int32)], True, color,
                      1, cv2.LINE_AA)
        x, y = points[0]
        origin = (int(x), int(max(y - 3, 10)))
        for thickness, ink in ((3, (0, 0, 0)), (1, color)):
            cv2.putText(canvas, instance['text'], origin,
                        cv2.FONT_HERSHEY_SIMPLEX, 0.45, ink, thickness,
                        cv2.LINE_AA)
    return canvas


def make_grid(images: List[np.ndarray], cols: int, gap: int = 4) -> np.ndarray:
    """Tile equally sized images row by row on a white sheet.

    Args:
        images (list[np.ndarray]): (H, W, 3) uint8 images.
        cols (int): Images per row.
        gap (int): Pixels between tiles.

    Returns:
        np.ndarray: The grid, uint8.
    """
    height, width = images[0].shape[:2]
    rows = -(-len(images) // cols)
    grid = np.full(
        (rows * (height + gap) - gap, cols * (width + gap) - gap, 3), 255,
        np.uint8)
    for k, image in enumerate(images):
        y, x = divmod(k, cols)
        grid[y * (height + gap):y * (height + gap) + height,
             x * (width + gap):x * (width + gap) + width] = image
    return grid
