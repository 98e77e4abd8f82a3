# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Greedy one-to-one matching of predicted points to GT words.

Predictions are matched one after another in the order given (the metrics
sort them by score, highest first). Because the outcome of a prediction
depends only on the predictions before it, the outcomes of the first k
predictions are those of a run on these k alone: one run gives the result
of every score threshold.
"""
from typing import List, Sequence, Tuple

import numpy as np

from .geometry import point_in_polygon


def match_nearest(pred_points: np.ndarray, pred_keys: Sequence[str],
                  gt_points: np.ndarray, gt_keys: Sequence[str],
                  gt_ignored: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Match each prediction to its nearest GT point.

    A prediction whose nearest GT is ignored is not counted. Otherwise it
    counts as a prediction, and it is a true positive if its key equals the
    GT's key and that GT has not been matched yet (the GT is then matched).
    With no GT at all, every prediction counts and none is a true positive.
    Distance ties go to the GT of lowest index.

    Args:
        pred_points (np.ndarray): Predicted points of shape (M, 2).
        pred_keys (Sequence[str]): M comparison keys (see
            :func:`match_key`).
        gt_points (np.ndarray): GT centres of shape (N, 2).
        gt_keys (Sequence[str]): N comparison keys.
        gt_ignored (np.ndarray): Bool array of shape (N,).

    Returns:
        tuple(np.ndarray, np.ndarray): Bool arrays of shape (M,): whether
        each prediction counts, and whether it is a true positive.
    """
    num_preds = len(pred_keys)
    counted = np.ones(num_preds, dtype=bool)
    true_pos = np.zeros(num_preds, dtype=bool)
    if len(gt_keys) == 0 or num_preds == 0:
        return counted, true_pos
    dists = np.linalg.norm(
        pred_points[:, None, :] - gt_points[None, :, :], axis=-1)
    nearest = dists.argmin(axis=1)
    gt_matched = np.zeros(len(gt_keys), dtype=bool)
    for i, gt_idx in enumerate(nearest):
        if gt_ignored[gt_idx]:
            counted[i] = False
        elif not gt_matched[gt_idx] and pred_keys[i] == gt_keys[gt_idx]:
            gt_matched[gt_idx] = True
            true_pos[i] = True
    return counted, true_pos


def match_inside(pred_points: np.ndarray, pred_keys: Sequence[str],
                 gt_polygons: Sequence[np.ndarray],
                 gt_keys: Sequence[str]) -> np.ndarray:
    """Match each prediction to a GT polygon that contains it.

    A prediction is a true positive if it lies inside (or on the boundary
    of) the polygon of a not yet matched GT with an equal key; the first
    such GT (lowest index) is then matched.

    Args:
        pred_points (np.ndarray): Predicted points of shape (M, 2).
        pred_keys (Sequence[str]): M comparison keys.
        gt_polygons (Sequence[np.ndarray]): N flat polygons.
        gt_keys (Sequence[str]): N comparison keys.

    Returns:
        np.ndarray: Bool array of shape (M,), whether each prediction is a
        true positive.
    """
    true_pos = np.zeros(len(pred_keys), dtype=bool)
    unmatched: List[int] = list(range(len(gt_keys)))
    for i, (point, key) in enumerate(zip(pred_points, pred_keys)):
        for gt_idx in unmatched:
            if gt_keys[gt_idx] == key and point_in_polygon(
                    point, gt_polygons[gt_idx]):
                unmatched.remove(gt_idx)
                true_pos[i] = True
                break
    return true_pos
