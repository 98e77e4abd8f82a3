# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Packing of stage-1 (transcription-only) and stage-2 (point) samples."""
from typing import Sequence

import numpy as np
import torch
from mmocr.datasets.transforms import PackTextDetInputs
from mmocr.registry import TRANSFORMS

#: Keys of a results dict that carry a location of a word.
LOCATION_KEYS = ('gt_polygons', 'gt_bboxes', 'gt_points')

DEFAULT_META_KEYS = ('img_path', 'ori_shape', 'img_shape', 'scale_factor',
                     'sample_idx')


def _default_meta(results: dict) -> None:
    """Fill meta keys a pipeline without resize leaves unset."""
    results.setdefault('sample_idx', -1)
    results.setdefault('scale_factor', (1.0, 1.0))


@TRANSFORMS.register_module()
class PackTranscriptionInputs(PackTextDetInputs):
    """Pack a stage-1 sample: image, transcriptions, negatives, no location.

    ``gt_instances`` holds ``texts`` and, when the pipeline loaded them,
    the ignore flags ``ignored`` (the words that are neither queried nor a
    positive); ``negative_texts`` (from :class:`NegativeSampleMining`, if it
    ran) becomes a field of the data sample. Polygons, boxes and points are
    never packed for training, whatever the pipeline loaded. For evaluation
    (``with_eval_gt=True``, test pipelines only) ``polygons`` are packed
    beside them (and ``bboxes``, which MMOCR's visualisers draw) so that
    :class:`AnchorPointMetric` can score the predictions; the WeCromCL model
    refuses such samples in ``loss`` mode.

    Args:
        with_eval_gt (bool): Pack GT polygons for evaluation. Defaults to
            False.
        meta_keys (Sequence[str]): Meta keys to pack.
    """

    def __init__(self,
                 with_eval_gt: bool = False,
                 meta_keys: Sequence[str] = DEFAULT_META_KEYS) -> None:
        super().__init__(meta_keys=meta_keys)
        self.with_eval_gt = with_eval_gt
        self.mapping_table = {'gt_texts': 'texts', 'gt_ignored': 'ignored'}
        if with_eval_gt:
            self.mapping_table.update(
                gt_polygons='polygons', gt_bboxes='bboxes')

    def transform(self, results: dict) -> dict:
        _default_meta(results)
        packed = super().transform(results)
        if 'negative_texts' in results:
            packed['data_samples'].negative_texts = list(
                results['negative_texts'])
        return packed

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(with_eval_gt={self.with_eval_gt}'
                f', meta_keys={self.meta_keys})')


@TRANSFORMS.register_module()
class PackPointSpottingInputs(PackTextDetInputs):
    """Pack a stage-2 sample: image, one point and one text per word.

    Points are carried through MMOCR's geometric transforms as the tiny
    square polygons :class:`LoadPointAnnotations` builds; here each becomes
    the centre of its square again, and words whose square a crop removed
    are dropped.
    ``gt_instances`` gets ``points`` (float Tensor (N, 2), network-input
    pixels), ``texts`` and ``ignored``; with ``with_eval_gt=True`` (test
    pipelines, annotations loaded after the resize) the original
    ``polygons`` and ``bboxes`` are packed instead of points.

    Args:
        with_eval_gt (bool): Pack GT polygons for evaluation instead of
            training points. Defaults to False.
        meta_keys (Sequence[str]): Meta keys to pack.
    """

    def __init__(self,
                 with_eval_gt: bool = False,
                 meta_keys: Sequence[str] = DEFAULT_META_KEYS) -> None:
        super().__init__(meta_keys=meta_keys)
        self.with_eval_gt = with_eval_gt
        self.mapping_table = {'gt_texts': 'texts', 'gt_ignored': 'ignored'}
        if with_eval_gt:
            self.mapping_table.update(
                gt_polygons='polygons', gt_bboxes='bboxes')

    def transform(self, results: dict) -> dict:
        _default_meta(results)
        if self.with_eval_gt:
            return super().transform(results)
        # A square that a crop removed comes back as zeros: drop its word.
        squares = [np.reshape(p, (-1, 2)) for p in results['gt_polygons']]
        keep = [i for i, sq in enumerate(squares) if np.ptp(sq, 0).min() > 0]
        results['gt_texts'] = [results['gt_texts'][i] for i in keep]
        results['gt_ignored'] = np.asarray(results['gt_ignored'])[keep]
        packed = super().transform(results)
        # The centre of the square's extent: exact under scaling, flips and
        # rotations, and blind to the repeated closing vertex that MMOCR's
        # polygon clipping adds.
        points = np.array([(squares[i].min(0) + squares[i].max(0)) / 2
                           for i in keep],
                          dtype=np.float32).reshape(-1, 2)
        packed['data_samples'].gt_instances.points = torch.from_numpy(points)
        return packed

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(with_eval_gt={self.with_eval_gt}'
                f', meta_keys={self.meta_keys})')
