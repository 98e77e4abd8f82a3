# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Quality of stage-1 anchor points (pseudo labels)."""
from typing import Dict, List, Optional, Sequence, Union

import numpy as np
from mmocr.models.common.dictionary import Dictionary
from mmocr.registry import METRICS

from mmocr_wecromcl.utils import (MAX_WORD_LEN, build_dictionary,
                                  is_ignored_word, normalize_word)
from ..functional import match_inside, match_key, match_nearest
from .base_point_metric import BasePointMetric


@METRICS.register_module()
class AnchorPointMetric(BasePointMetric):
    """Precision, recall and h-mean of predicted (point, transcription) pairs.

    Each prediction is a point and the transcription it was queried with.
    Per image:

    - Transcriptions are compared case-insensitively. With ``dictionary``,
      GT and predicted texts are first normalised as the stage-1 model
      normalises its queries (:func:`~mmocr_wecromcl.utils.normalize_word`:
      characters outside the dictionary removed, truncated to ``max_seq_len``),
      so that a query ``'hotel'`` made from the GT word ``'Hotel,'`` matches
      it.
    - GT words that are ignored, ``'###'`` or shorter than ``min_len`` (after
      normalisation) are removed; predictions with such a transcription are
      dropped too.
    - Predictions are matched in order of decreasing score (ties keep their
      input order), each GT at most once, under two protocols:

      - ``nearest`` (the paper's): a prediction is a true positive if the
        GT point nearest to it has the same transcription (case-insensitive)
        and is not matched yet;
      - ``inside`` (stricter about location): a true positive if it lies
        inside the polygon of a not yet matched GT with the same
        transcription. It does not look at the nearest GT, so a point deep
        inside a long curved word can count here and not under ``nearest``.

    - P = TP / #predictions, R = TP / #GT, hmean = their harmonic mean, for
      each score threshold (predictions with ``score >= thr`` are kept); the
      best hmean is reported (ties: the highest threshold).

    Input: ``gt_instances`` with ``polygons``, ``texts`` and ``ignored``;
    ``pred_instances`` with ``points`` (M, 2) in original-image
    coordinates, ``texts`` (the transcriptions that were queried) and
    ``scores`` (M,).

    Args:
        score_thrs (dict or Sequence[float]): Score thresholds to sweep,
            ``dict(start, stop, step)`` or the values. Defaults to the
            authors' sweep ``(0.0, 0.01, ..., 0.05)`` (the score of an anchor
            is a softmax value over all feature cells, hence small).
        min_len (int): Words shorter than this are removed. Defaults to 3.
        dictionary (dict or Dictionary, optional): The stage-1 model's
            dictionary (an MMOCR ``Dictionary`` or its config). None compares
            the raw texts. Defaults to None.
        max_seq_len (int): The model's maximum word length, used with
            ``dictionary``. Defaults to 25.
        gt_center (str): The GT point: ``'spts'`` (default; the protocol of
            the published numbers) or ``'vertex_mean'``. See
            :func:`~mmocr_wecromcl.evaluation.functional.polygon_center`.
        collect_device (str): ``'cpu'`` or ``'gpu'``. Defaults to ``'cpu'``.
        prefix (str, optional): Prefix of the metric names. Defaults to
            ``'anchor'``.

    Returns of ``evaluate``: ``anchor/nearest/precision``,
    ``anchor/nearest/recall``, ``anchor/nearest/hmean``,
    ``anchor/nearest/score_thr`` and the same four under ``inside``.
    """
    default_prefix: Optional[str] = 'anchor'

    def __init__(self,
                 score_thrs: Union[Dict, Sequence[float]] = (0.0, 0.01, 0.02,
                                                             0.03, 0.04, 0.05),
                 min_len: int = 3,
                 dictionary: Optional[Union[Dict, Dictionary]] = None,
                 max_seq_len: int = MAX_WORD_LEN,
                 gt_center: str = 'spts',
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(score_thrs, gt_center, collect_device, prefix)
        self.min_len = min_len
        self.dictionary = (None if dictionary is None else
                           build_dictionary(dictionary))
        self.max_seq_len = max_seq_len

    def _key(self, text: str) -> Optional[str]:
        """The comparison key of a word, None if it is not evaluated."""
        if is_ignored_word(text):
            return None
        if self.dictionary is not None:
            text = normalize_word(text, self.dictionary, self.max_seq_len)
        return match_key(text) if len(text) >= self.min_len else None

    def process(self, data_batch: Sequence[Dict],
                data_samples: Sequence[Dict]) -> None:
        """Match the predictions of each image and store the outcomes.

        Args:
            data_batch (Sequence[Dict]): The batch (unused).
            data_samples (Sequence[Dict]): Data samples (dicts or
                ``TextDetDataSample``) with GT and predictions.
        """
        for data_sample in data_samples:
            polygons, texts, ignored = self._read_gt(data_sample)
            gt_keys = [
                None if flag else self._key(text)
                for text, flag in zip(texts, ignored)
            ]
            keep_gt = [i for i, key in enumerate(gt_keys) if key is not None]
            gt_polygons = [polygons[i] for i in keep_gt]
            gt_keys = [gt_keys[i] for i in keep_gt]

            points, pred_texts, scores = self._read_preds(
                data_sample, 'scores')
            pred_keys = [self._key(text) for text in pred_texts]
            keep = [i for i, key in enumerate(pred_keys) if key is not None]
            order = [keep[i] for i in np.argsort(-scores[keep], kind='stable')]
            points, scores = points[order], scores[order]
            pred_keys = [pred_keys[i] for i in order]

            counted, nearest_tp = match_nearest(
                points, pred_keys, self._centers(gt_polygons), gt_keys,
                np.zeros(len(gt_keys), dtype=bool))
            inside_tp = match_inside(points, pred_keys, gt_polygons, gt_keys)
            self.results.append(
                dict(
                    scores=scores,
                    counted=counted,
                    nearest_tp=nearest_tp,
                    inside_tp=inside_tp,
                    num_gt=len(gt_keys)))

    def compute_metrics(self, results: List[Dict]) -> Dict[str, float]:
        """Sweep the score thresholds under both protocols.

        Args:
            results (list[dict]): The per-image outcomes.

        Returns:
            dict: ``{protocol}/{precision,recall,hmean,score_thr}`` for
            ``nearest`` and ``inside``.
        """
        metrics = {}
        for protocol in ('nearest', 'inside'):
            best = self._best_over_thresholds(results, f'{protocol}_tp',
                                              protocol)
            metrics.update({
                f'{protocol}/{key}': value
                for key, value in best.items()
            })
        return metrics
