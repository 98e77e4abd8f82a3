# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Whole-image degradations: uneven lighting, blur, sensor noise, JPEG."""
import cv2
import numpy as np


def shade(image: np.ndarray, rng: np.random.Generator,
          strength: float) -> np.ndarray:
    """Darken the image along a random linear or radial (vignette) ramp.

    Args:
        image (np.ndarray): (H, W, 3) float64 canvas.
        rng (np.random.Generator): The random source.
        strength (float): Darkening of the darkest point, in [0, 1).

    Returns:
        np.ndarray: The shaded (H, W, 3) float64 canvas.
    """
    height, width = image.shape[:2]
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float64)
    if rng.random() < 0.5:
        angle = rng.uniform(0, 2 * np.pi)
        ramp = xs * np.cos(angle) + ys * np.sin(angle)
    else:
        cx, cy = rng.uniform(0, width), rng.uniform(0, height)
        ramp = np.hypot(xs - cx, ys - cy)
    ramp = (ramp - ramp.min()) / max(np.ptp(ramp), 1e-6)
    return image * (1 - strength * ramp)[..., None]


def gaussian_blur(image: np.ndarray, sigma: float) -> np.ndarray:
    """Blur with a Gaussian of standard deviation ``sigma`` pixels."""
    return cv2.GaussianBlur(image, (0, 0), sigma)


def gaussian_noise(image: np.ndarray, rng: np.random.Generator,
                   sigma: float) -> np.ndarray:
    """Add zero-mean Gaussian noise of standard deviation ``sigma``."""
    return image + rng.normal(0, sigma, image.shape)


def jpeg_roundtrip(image: np.ndarray, quality: int) -> np.ndarray:
    """Encode and decode as JPEG to add compression artefacts.

    Args:
        image (np.ndarray): (H, W, 3) uint8 image.
        quality (int): JPEG quality in [0, 100].

    Returns:
        np.ndarray: The decoded (H, W, 3) uint8 image.
    """
    ok, data = cv2.imencode('.jpg', image,
                            [cv2.IMWRITE_JPEG_QUALITY,
                             int(quality)])
    if not ok:
        raise RuntimeError('JPEG encoding failed')
    return cv2.imdecode(data, cv2.IMREAD_COLOR)
