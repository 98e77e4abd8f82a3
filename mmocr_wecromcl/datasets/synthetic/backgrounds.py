# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Backgrounds of synthetic scene-text images.

Four procedural kinds (``plain``, ``gradient``, ``noise``, ``stripes``) and
``natural``: random crops of the sample photographs that scikit-image ships
(no download). The photographs are chosen to contain no legible text.
"""
from functools import lru_cache
from typing import Dict, Tuple

import cv2
import numpy as np

BACKGROUND_KINDS = ('plain', 'gradient', 'noise', 'stripes', 'natural')

# ``skimage.data`` loaders whose files are bundled with scikit-image.
NATURAL_IMAGES = ('astronaut', 'brick', 'camera', 'chelsea', 'coffee', 'coins',
                  'grass', 'gravel', 'hubble_deep_field',
                  'immunohistochemistry', 'moon', 'retina', 'rocket')


@lru_cache(maxsize=None)
def load_natural_image(name: str) -> np.ndarray:
    """Load a scikit-image sample photograph, cached per process.

    Args:
        name (str): One of :data:`NATURAL_IMAGES`.

    Returns:
        np.ndarray: The image, (H, W, 3) uint8 RGB (grey images are
        replicated over the channels).
    """
    from skimage import data
    image = np.asarray(getattr(data, name)())
    if image.ndim == 2:
        image = np.repeat(image[..., None], 3, axis=2)
    return np.ascontiguousarray(image[..., :3].astype(np.uint8))


def random_color(rng: np.random.Generator) -> np.ndarray:
    """A uniformly random RGB colour, (3, ) float64 in [0, 255]."""
    return rng.uniform(0, 255, 3)


def _unit_ramp(rng: np.random.Generator, height: int,
               width: int) -> np.ndarray:
    """Values in [0, 1] that grow linearly along a random direction."""
    angle = rng.uniform(0, 2 * np.pi)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float64)
    ramp = xs * np.cos(angle) + ys * np.sin(angle)
    return (ramp - ramp.min()) / max(np.ptp(ramp), 1e-6)


def _blend(ramp: np.ndarray, color_a: np.ndarray,
           color_b: np.ndarray) -> np.ndarray:
    """Blend two colours with per-pixel weights, (H, W) -> (H, W, 3)."""
    return color_a + ramp[..., None] * (color_b - color_a)


def plain_background(rng: np.random.Generator, height: int,
                     width: int) -> np.ndarray:
    """One random colour."""
    return np.broadcast_to(random_color(rng), (height, width, 3)).copy()


def gradient_background(rng: np.random.Generator, height: int,
                        width: int) -> np.ndarray:
    """A linear gradient between two random colours."""
    return _blend(
        _unit_ramp(rng, height, width), random_color(rng), random_color(rng))


def noise_background(rng: np.random.Generator, height: int,
                     width: int) -> np.ndarray:
    """Smooth value noise (a random grid upsampled) between two colours."""
    cells = int(rng.integers(2, 17))
    grid = rng.random((cells, cells)).astype(np.float32)
    noise = cv2.resize(grid, (width, height), interpolation=cv2.INTER_CUBIC)
    noise = np.clip(noise, 0, 1).astype(np.float64)
    grain = rng.normal(0, rng.uniform(0, 0.08), (height, width))
    return _blend(
        np.clip(noise + grain, 0, 1), random_color(rng), random_color(rng))


def stripes_background(rng: np.random.Generator, height: int,
                       width: int) -> np.ndarray:
    """Soft (sinusoidal) or hard stripes at a random angle and period."""
    period = rng.uniform(0.04, 0.5) * min(height, width)
    phase = _unit_ramp(rng, height, width) * np.hypot(height, width)
    wave = 0.5 + 0.5 * np.sin(2 * np.pi * phase / period)
    if rng.random() < 0.5:
        wave = (wave > 0.5).astype(np.float64)
    return _blend(wave, random_color(rng), random_color(rng))


def natural_background(rng: np.random.Generator, height: int,
                       width: int) -> np.ndarray:
    """A random crop of a sample photograph, flipped, rescaled and
    colour-jittered (grey photographs get a random tint)."""
    source = load_natural_image(NATURAL_IMAGES[rng.integers(
        len(NATURAL_IMAGES))])
    src_h, src_w = source.shape[:2]
    scale = rng.uniform(0.3, 1.0) * min(src_h / height, src_w / width)
    crop_h = max(8, int(height * scale))
    crop_w = max(8, int(width * scale))
    top = int(rng.integers(0, src_h - crop_h + 1))
    left = int(rng.integers(0, src_w - crop_w + 1))
    crop = source[top:top + crop_h, left:left + crop_w]
    if rng.random() < 0.5:
        crop = crop[:, ::-1]
    image = cv2.resize(
        np.ascontiguousarray(crop), (width, height),
        interpolation=cv2.INTER_LINEAR).astype(np.float64)
    is_grey = np.ptp(source[::8, ::8].astype(np.int16), axis=2).max() == 0
    if is_grey:
        image = image * rng.uniform(0.5, 1.0, 3)
    contrast = rng.uniform(0.7, 1.2)
    brightness = rng.uniform(-30, 30)
    return (image - 128) * contrast + 128 + brightness


BACKGROUND_FUNCTIONS = dict(
    plain=plain_background,
    gradient=gradient_background,
    noise=noise_background,
    stripes=stripes_background,
    natural=natural_background)


def sample_background(rng: np.random.Generator, size: Tuple[int, int],
                      weights: Dict[str, float]) -> np.ndarray:
    """Draw a background of a kind chosen with the given weights.

    Args:
        rng (np.random.Generator): The random source.
        size (tuple[int, int]): ``(height, width)``.
        weights (dict[str, float]): Non-negative weight of each kind of
            :data:`BACKGROUND_KINDS` (missing kinds have weight 0).

    Returns:
        np.ndarray: (H, W, 3) float64 RGB in [0, 255].
    """
    kinds = [kind for kind, weight in weights.items() if weight > 0]
    unknown = set(weights) - set(BACKGROUND_KINDS)
    if unknown or not kinds:
        raise ValueError(f'Background weights {weights} must give a '
                         f'positive weight to some of {BACKGROUND_KINDS}')
    probs = np.array([weights[kind] for kind in kinds], dtype=np.float64)
    kind = kinds[rng.choice(len(kinds), p=probs / probs.sum())]
    height, width = size
    return np.clip(BACKGROUND_FUNCTIONS[kind](rng, height, width), 0, 255)
