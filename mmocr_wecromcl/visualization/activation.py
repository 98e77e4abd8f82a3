# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Drawing of WeCromCL activation maps over their image."""
from typing import Sequence

import cv2
import numpy as np
from torch import Tensor


def draw_activation(image: np.ndarray,
                    activation: Tensor,
                    word: str,
                    points: Sequence[Sequence[float]],
                    alpha: float = 0.5) -> np.ndarray:
    """One word's activation map as a heatmap over the image.

    Args:
        image (np.ndarray): The original BGR image (H, W, 3), uint8.
        activation (Tensor): The word's activation map (h, w) at the feature
            stride of the network input.
        word (str): The queried word, written in the corner.
        points (Sequence[Sequence[float]]): Its anchor points ``[x, y]`` in
            original-image pixels, drawn as crosses.
        alpha (float): Heatmap opacity. Defaults to 0.5.

    Returns:
        np.ndarray: The drawing (H, W, 3), uint8 BGR.
    """
    heat = activation.detach().float().cpu().numpy()
    heat = heat / max(float(heat.max()), 1e-12)
    heat = cv2.resize(
        heat, (image.shape[1], image.shape[0]), interpolation=cv2.INTER_LINEAR)
    color = cv2.applyColorMap((heat * 255).astype(np.uint8), cv2.COLORMAP_JET)
    canvas = cv2.addWeighted(image, 1 - alpha, color, alpha, 0)
    size = max(6, min(image.shape[:2]) // 30)
    for x, y in points:
        cv2.drawMarker(canvas, (int(round(x)), int(round(y))), (255, 255, 255),
                       cv2.MARKER_CROSS, 2 * size, 2)
    scale = max(0.4, min(image.shape[:2]) / 500)
    cv2.putText(canvas, word, (4, int(24 * scale) + 4),
                cv2.FONT_HERSHEY_SIMPLEX, scale, (255, 255, 255), 2)
    return canvas


def activation_grid(image: np.ndarray,
                    sample,
                    max_words: int = 4) -> np.ndarray:
    """The image beside the activation maps of up to ``max_words`` words.

    Args:
        image (np.ndarray): The original BGR image.
        sample (TextDetDataSample): A WeCromCL prediction made with
            ``test_cfg.with_maps=True`` (``activation_maps``,
            ``activation_texts``, ``pred_instances``).
        max_words (int): Words drawn. Defaults to 4.

    Returns:
        np.ndarray: One row of panels, uint8 BGR.
    """
    pred = sample.pred_instances
    panels = [image]
    for word, act in list(
            zip(sample.activation_texts, sample.activation_maps))[:max_words]:
        points = [
            p.tolist() for p, t in zip(pred.points, pred.texts) if t == word
        ]
        panels.append(draw_activation(image, act, word, points))
    return np.concatenate(panels, axis=1)
