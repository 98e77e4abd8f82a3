# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Precision, recall and h-mean over a sweep of score thresholds."""
from typing import Dict, List, Sequence, Union

import numpy as np


def score_thresholds(thrs: Union[Dict, Sequence[float]]) -> np.ndarray:
    """The score thresholds of a sweep, ascending.

    Args:
        thrs (dict or Sequence[float]): Either ``dict(start, stop, step)``
            for ``np.arange`` (values rounded to 6 decimals) or the values.

    Returns:
        np.ndarray: Sorted unique thresholds of shape (T,), T >= 1.
    """
    if isinstance(thrs, dict):
        values = np.round(np.arange(**thrs), 6)
    else:
        values = np.asarray(list(thrs), dtype=np.float64)
    values = np.unique(values)
    if values.size == 0:
        raise ValueError('The score threshold sweep is empty.')
    return values


def precision_recall_hmean(num_tp: int, num_pred: int,
                           num_gt: int) -> Dict[str, float]:
    """Precision, recall and their harmonic mean.

    Args:
        num_tp (int): Number of true positives.
        num_pred (int): Number of counted predictions.
        num_gt (int): Number of GT words.

    Returns:
        dict: ``precision``, ``recall`` and ``hmean``; a ratio with a zero
        denominator is 0.
    """
    precision = num_tp / num_pred if num_pred else 0.
    recall = num_tp / num_gt if num_gt else 0.
    total = precision + recall
    hmean = 2 * precision * recall / total if total else 0.
    return dict(precision=precision, recall=recall, hmean=hmean)


def sweep_hmean(scores: np.ndarray, counted: np.ndarray, true_pos: np.ndarray,
                num_gt: int, thrs: np.ndarray) -> List[Dict[str, float]]:
    """Evaluate every threshold of a sweep.

    The predictions kept at threshold ``t`` are those with ``score >= t``;
    their match outcomes must not depend on the dropped ones (see
    :mod:`.matching`).

    Args:
        scores (np.ndarray): Scores of all predictions, shape (M,).
        counted (np.ndarray): Bool (M,), whether each prediction counts.
        true_pos (np.ndarray): Bool (M,), whether it is a true positive.
        num_gt (int): Number of GT words.
        thrs (np.ndarray): Thresholds of shape (T,).

    Returns:
        list[dict]: For each threshold, ``precision``, ``recall``, ``hmean``
        and ``score_thr``.
    """
    results = []
    for thr in thrs:
        # compared at the scores' precision: a float32 score 0.3 passes 0.3
        kept = scores >= np.asarray(thr, dtype=scores.dtype)
        result = precision_recall_hmean(
            int(np.count_nonzero(true_pos & kept)),
            int(np.count_nonzero(counted & kept)), num_gt)
        result['score_thr'] = float(thr)
        results.append(result)
    return results


def best_of_sweep(results: List[Dict[str, float]]) -> Dict[str, float]:
    """The result of highest h-mean; among ties, the highest threshold.

    Args:
        results (list[dict]): Output of :func:`sweep_hmean` (ascending
            thresholds).

    Returns:
        dict: One of ``results``.
    """
    best = results[0]
    for result in results[1:]:
        if result['hmean'] >= best['hmean']:
            best = result
    return best
