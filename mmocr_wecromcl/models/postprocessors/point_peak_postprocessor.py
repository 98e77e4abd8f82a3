# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Anchor points at the peaks of dense maps, for both stages."""
from typing import List, Sequence, Tuple

import numpy as np
import torch
from mmengine.structures import InstanceData
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample
from torch import Tensor

from mmocr_wecromcl.models.utils import (cells_to_points, exclusive_peaks,
                                         peak_centroids, topk_peaks)


@MODELS.register_module()
class PointPeakPostprocessor:
    """Turn dense score maps into anchor points.

    Stage 1 (:class:`WeCromCL`) asks for exactly k points of each word's
    activation map, k being the number of times the word occurs in the
    image (:meth:`get_peaks` with counts); stage 2
    (:class:`AnchorPointHead`) for the peaks of one confidence map scoring
    above ``score_thr``, at most ``max_points`` (:meth:`__call__`). A peak
    is a local maximum in a ``peak_kernel`` square; a feature cell
    ``(x, y)`` is the input point ``((x + 0.5) * s, (y + 0.5) * s)``, mapped
    to the original image by the resize ``scale_factor``
    (:mod:`mmocr_wecromcl.models.utils.points`).

    Args:
        stride (float): Stride of the maps in input pixels (filled in by
            the model).
        peak_kernel (int): Side of the peak-suppression square. Defaults to
            5.
        score_thr (float): Minimum score of a point of :meth:`__call__`.
            Defaults to 0.
        max_points (int): Points per map of :meth:`__call__`. Defaults to
            100.
        exclusive_peaks (bool): Give each place to one map when several
            maps of one image are asked for points (see
            :func:`exclusive_peaks`). Defaults to False.
        centroid_kernel (int): 0: a point is the centre of its peak cell;
            k > 0: the score-weighted mean of the k x k cells around it (see
            :func:`peak_centroids`). Defaults to 0.
    """

    def __init__(self,
                 stride: float,
                 peak_kernel: int = 5,
                 score_thr: float = 0.0,
                 max_points: int = 100,
                 exclusive_peaks: bool = False,
                 centroid_kernel: int = 0) -> None:
        self.stride = stride
        self.peak_kernel = peak_kernel
        self.score_thr = score_thr
        self.max_points = max_points
        self.exclusive_peaks = exclusive_peaks
        self.centroid_kernel = centroid_kernel

    def get_peaks(self, score_maps: Tensor,
                  counts: Sequence[int]) -> List[Tuple[Tensor, Tensor]]:
        """The best peaks of each map of one image.

        Args:
            score_maps (Tensor): Maps of shape (U, H, W).
            counts (Sequence[int]): Number of peaks wanted per map (U
                values).

        Returns:
            list[tuple(Tensor, Tensor)]: Per map, its peak cells (k, 2) as
            ``(x, y)`` (long) and their scores (k,), best first; with
            ``exclusive_peaks``, the joint assignment of
            :func:`exclusive_peaks`.
        """
        if self.exclusive_peaks:
            return exclusive_peaks(score_maps, list(counts), self.peak_kernel)
        return [
            topk_peaks(score_map, count, self.peak_kernel)
            for score_map, count in zip(score_maps, counts)
        ]

    def get_points(self, score_map: Tensor, cells: Tensor,
                   scale_factor: Sequence[float]) -> Tensor:
        """The points of peak cells of one map.

        Args:
            score_map (Tensor): The map of shape (H, W).
            cells (Tensor): Its peak cells of shape (k, 2) as ``(x, y)``.
            scale_factor (Sequence[float]): ``(w_scale, h_scale)`` of the
                resize from the original image to the network input.

        Returns:
            Tensor: Points of shape (k, 2) in original-image pixels.
        """
        if self.centroid_kernel:
            cells = peak_centroids(score_map, cells, self.centroid_kernel)
        return cells_to_points(cells, self.stride, scale_factor)

    def get_instances(self, score_map: Tensor,
                      scale_factor: Sequence[float]) -> InstanceData:
        """The peaks of one map above ``score_thr``.

        Args:
            score_map (Tensor): Scores of shape (H, W).
            scale_factor (Sequence[float]): ``(w_scale, h_scale)``.

        Returns:
            InstanceData: ``points`` (N, 2) in original-image pixels,
            ``scores`` (N,) float32, ``cells`` (N, 2) the long peak cells,
            and the extent of each peak cell as ``bboxes`` (N, 4) and
            ``polygons`` (list of (8,) arrays), for drawing with MMOCR's
            ``TextSpottingLocalVisualizer``; best first.
        """
        (cells, scores), = self.get_peaks(score_map[None], [self.max_points])
        keep = scores > self.score_thr
        cells, scores = cells[keep], scores[keep]
        scale = cells.new_tensor(scale_factor[:2], dtype=torch.float32)
        top_left = cells.float() * self.stride / scale
        bottom_right = (cells.float() + 1) * self.stride / scale
        bboxes = torch.cat([top_left, bottom_right], dim=-1)
        return InstanceData(
            points=self.get_points(score_map, cells, scale_factor),
            # float32 also under bfloat16 autocast
            scores=scores.float(),
            cells=cells,
            bboxes=bboxes,
            polygons=[
                np.array([x0, y0, x1, y0, x1, y1, x0, y1], dtype=np.float32)
                for x0, y0, x1, y1 in bboxes.tolist()
            ])

    def __call__(self, score_maps: Tensor,
                 data_samples: Sequence[TextDetDataSample]
                 ) -> Sequence[TextDetDataSample]:
        """Set the peaks of each image's map as its predicted instances.

        Args:
            score_maps (Tensor): One map per image, of shape (B, H, W).
            data_samples (Sequence[TextDetDataSample]): The B samples; their
                metainfo may give ``scale_factor`` (``(w, h)``, defaults to
                no resize).

        Returns:
            Sequence[TextDetDataSample]: The samples with ``pred_instances``
            of :meth:`get_instances`.
        """
        for score_map, data_sample in zip(score_maps, data_samples):
            data_sample.pred_instances = self.get_instances(
                score_map, data_sample.metainfo.get('scale_factor', (1., 1.)))
        return data_samples
