# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""What the point-based metrics share: reading samples, threshold sweep."""
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger
from mmocr.structures import TextDetDataSample

from ..functional import (GT_CENTER_MODES, best_of_sweep, polygon_center,
                          score_thresholds, sweep_hmean)

SampleType = Union[Dict, TextDetDataSample]
# polygons (flat), texts, ignore flags (N,)
GTType = Tuple[List[np.ndarray], List[str], np.ndarray]
# points (M, 2), texts, scores (M,)
PredType = Tuple[np.ndarray, List[str], np.ndarray]


def _to_numpy(values, dtype) -> np.ndarray:
    if isinstance(values, torch.Tensor):
        values = values.detach().cpu().numpy()
    return np.asarray(values, dtype=dtype)


def _concat(results: List[Dict], key: str, dtype) -> np.ndarray:
    return np.concatenate([np.zeros(0, dtype)] +
                          [res[key] for res in results]).astype(dtype)


class BasePointMetric(BaseMetric):
    """Base of the metrics that match predicted points to GT words.

    Subclasses match the predictions of each image in ``process`` and store,
    per image, the scores of the predictions, which of them count and which
    are true positives, and the number of GT words; ``compute_metrics`` then
    sweeps the score thresholds (see :mod:`..functional.matching` for why
    one matching serves every threshold).

    Args:
        score_thrs (dict or Sequence[float]): The score threshold sweep:
            ``dict(start, stop, step)`` or the values.
        gt_center (str): How a GT polygon gives its point, ``'spts'`` or
            ``'vertex_mean'`` (see :func:`polygon_center`). Defaults to
            ``'spts'``.
        collect_device (str): Device used to collect results across ranks,
            ``'cpu'`` or ``'gpu'``. Defaults to ``'cpu'``.
        prefix (str, optional): Prefix of the metric names. Defaults to
            None (the class's ``default_prefix``).
    """

    def __init__(self,
                 score_thrs: Union[Dict, Sequence[float]],
                 gt_center: str = 'spts',
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if gt_center not in GT_CENTER_MODES:
            raise ValueError(f'gt_center must be one of {GT_CENTER_MODES}, '
                             f'got {gt_center!r}')
        self.score_thrs = score_thresholds(score_thrs)
        self.gt_center = gt_center

    @staticmethod
    def _read_gt(data_sample: SampleType) -> GTType:
        """GT polygons (flat), texts and ignore flags (bool, (N,))."""
        gt_instances = data_sample.get('gt_instances')
        polygons = [
            np.asarray(poly, dtype=np.float64).reshape(-1)
            for poly in gt_instances.get('polygons', [])
        ]
        texts = list(gt_instances.get('texts'))
        ignored = gt_instances.get('ignored', None)
        if ignored is None:
            return polygons, texts, np.zeros(len(polygons), dtype=bool)
        return polygons, texts, _to_numpy(ignored, bool).reshape(-1)

    @staticmethod
    def _read_preds(data_sample: SampleType, score_key: str) -> PredType:
        """Predicted points ((M, 2) float64), texts and scores ((M,)
        float32, the precision of the model's outputs)."""
        pred_instances = data_sample.get('pred_instances')
        points = _to_numpy(pred_instances.get('points'),
                           np.float64).reshape(-1, 2)
        texts = list(pred_instances.get('texts'))
        scores = _to_numpy(pred_instances.get(score_key),
                           np.float32).reshape(-1)
        return points, texts, scores

    def _centers(self, polygons: Sequence[np.ndarray]) -> np.ndarray:
        """GT centres of shape (N, 2)."""
        return np.array(
            [polygon_center(poly, self.gt_center) for poly in polygons],
            dtype=np.float64).reshape(-1, 2)

    def _best_over_thresholds(self, results: List[Dict], true_pos_key: str,
                              name: str) -> Dict[str, float]:
        """Sweep the thresholds over all images and log each of them.

        Args:
            results (list[dict]): Per-image ``scores``, ``counted``,
                ``num_gt`` and the true-positive flags under
                ``true_pos_key``.
            true_pos_key (str): Which true-positive flags to use.
            name (str): Name of the protocol for the log.

        Returns:
            dict: ``precision``, ``recall``, ``hmean`` and ``score_thr`` of
            the best threshold (see :func:`best_of_sweep`).
        """
        logger: MMLogger = MMLogger.get_current_instance()
        sweep = sweep_hmean(
            _concat(results, 'scores', np.float32),
            _concat(results, 'counted', bool),
            _concat(results, true_pos_key, bool),
            sum(res['num_gt'] for res in results), self.score_thrs)
        for res in sweep:
            logger.info(f'{name}: score threshold {res["score_thr"]:.3f}, '
                        f'recall {res["recall"]:.4f}, precision '
                        f'{res["precision"]:.4f}, hmean {res["hmean"]:.4f}')
        return best_of_sweep(sweep)
