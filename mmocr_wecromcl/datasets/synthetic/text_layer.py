# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""A word rendered on its own transparent layer, with its ink extent."""
from typing import NamedTuple, Optional, Tuple

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

# Coverage below this changes an 8-bit pixel by less than one level.
INK_EPS = 1 / 255


class TextLayer(NamedTuple):
    """Coverage masks of a rendered word.

    Attributes:
        ink (np.ndarray): (h, w) float32 coverage in [0, 1] of everything
            drawn (glyphs and their outline).
        fill (np.ndarray): (h, w) float32 coverage of the glyphs alone (the
            same array as ``ink`` when there is no outline).
        ink_box (tuple[int, int, int, int]): ``(x0, y0, x1, y1)``: the first
            and last column and row (inclusive) where ``ink > INK_EPS``.
    """
    ink: np.ndarray
    fill: np.ndarray
    ink_box: Tuple[int, int, int, int]


def render_text_layer(text: str,
                      font: ImageFont.FreeTypeFont,
                      outline_width: int = 0,
                      blur_sigma: float = 0.0) -> Optional[TextLayer]:
    """Render a word with PIL on an empty canvas.

    Args:
        text (str): The word.
        font (ImageFont.FreeTypeFont): The font at its pixel size.
        outline_width (int): Width in pixels of an outline around the
            glyphs (0: none).
        blur_sigma (float): Standard deviation in pixels of a Gaussian blur
            of the layer (0: sharp). The ink box is measured after blurring.

    Returns:
        TextLayer or None: The layer, or None when nothing was drawn.
    """
    left, top, right, bottom = font.getbbox(text, stroke_width=outline_width)
    pad = 2 + int(np.ceil(3 * blur_sigma))
    size = (right - left + 2 * pad, bottom - top + 2 * pad)
    origin = (pad - left, pad - top)

    def draw(stroke_width: int) -> np.ndarray:
        canvas = Image.new('L', size, 0)
        ImageDraw.Draw(canvas).text(
            origin,
            text,
            font=font,
            fill=255,
            stroke_width=stroke_width,
            stroke_fill=255)
        mask = np.asarray(canvas, dtype=np.float32) / 255
        if blur_sigma > 0:
            mask = cv2.GaussianBlur(mask, (0, 0), blur_sigma)
        return mask

    fill = draw(0)
    ink = draw(outline_width) if outline_width > 0 else fill
    rows = np.flatnonzero((ink > INK_EPS).any(axis=1))
    cols = np.flatnonzero((ink > INK_EPS).any(axis=0))
    if rows.size == 0:
        return None
    return TextLayer(ink, fill, (int(cols[0]), int(rows[0]), int(
        cols[-1]), int(rows[-1])))
