# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Peak extraction on dense maps and mapping of feature cells to pixels.

One coordinate convention is used throughout the project: feature cell
``(x, y)`` of a map with stride ``s`` covers input pixels ``[x*s, (x+1)*s)``,
so its centre is the input point ``((x + 0.5) * s, (y + 0.5) * s)``; a point is
mapped back to the original image by dividing by the resize scale factor.
For bilinear sampling this is ``F.grid_sample(..., align_corners=False)``.
"""
from typing import List, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from mmocr.structures import TextDetDataSample
from torch import Tensor


def local_maxima(score_map: Tensor, kernel_size: int = 5) -> Tensor:
    """Keep the values of a map that are maxima of their neighbourhood.

    Args:
        score_map (Tensor): Scores of shape (..., H, W).
        kernel_size (int): Side of the square neighbourhood (odd).
            Defaults to 5.

    Returns:
        Tensor: Same shape as ``score_map``; non-maxima are set to 0.
    """
    shape = score_map.shape
    flat = score_map.reshape(-1, 1, *shape[-2:])
    pooled = F.max_pool2d(
        flat, kernel_size, stride=1, padding=(kernel_size - 1) // 2)
    keep = (pooled == flat).to(score_map.dtype)
    return (flat * keep).reshape(shape)


def topk_peaks(score_map: Tensor,
               k: int,
               kernel_size: int = 5) -> Tuple[Tensor, Tensor]:
    """Top-k local maxima of one 2-D map.

    Args:
        score_map (Tensor): Scores of shape (H, W).
        k (int): Number of peaks to return (at most H * W).
        kernel_size (int): Neighbourhood of the peak suppression.

    Returns:
        tuple(Tensor, Tensor): Cells of shape (k, 2) as ``(x, y)`` (long) and
        their scores of shape (k,), best first.
    """
    height, width = score_map.shape
    peaks = local_maxima(score_map, kernel_size).flatten()
    scores, index = peaks.topk(min(k, peaks.numel()))
    cells = torch.stack([index % width, index // width], dim=-1)
    return cells, scores


def exclusive_peaks(maps: Tensor,
                    counts: Sequence[int],
                    kernel_size: int = 5) -> List[Tuple[Tensor, Tensor]]:
    """Peaks of several words' maps of one image, one place per word.

    The words of an image lie at different places, so a cell (and its
    ``kernel_size`` neighbourhood) is given to at most one word: the local
    maxima of all maps are visited from the highest activation down, and a
    peak is taken when its word still needs one and no taken peak lies in
    its neighbourhood. A word whose map has no such peak left falls back to
    the best cells of its map that it has not taken.

    Args:
        maps (Tensor): Activation maps of shape (U, H, W).
        counts (Sequence[int]): Number of peaks wanted per map (U values).
        kernel_size (int): Side of the neighbourhood (odd). Defaults to 5.

    Returns:
        list[tuple(Tensor, Tensor)]: Per map, its cells (k, 2) as ``(x, y)``
        (long) and their scores (k,), best first.
    """
    num, height, width = maps.shape
    peaks = local_maxima(maps, kernel_size).flatten()  # (U * HW)
    candidates = peaks.nonzero()[:, 0]  # the local maxima only
    candidates = candidates[peaks[candidates].argsort(descending=True)]
    need = list(counts)
    taken: List[List[int]] = [[] for _ in range(num)]
    taken_cells: List[Tuple[int, int]] = []
    radius = kernel_size // 2
    for flat in candidates.tolist():
        if not any(need):
            break
        word, index = divmod(flat, height * width)
        if need[word] == 0:
            continue
        y, x = divmod(index, width)
        if any(
                abs(x - tx) <= radius and abs(y - ty) <= radius
                for tx, ty in taken_cells):
            continue
        taken[word].append(index)
        taken_cells.append((x, y))
        need[word] -= 1
    results = []
    for word in range(num):
        index = torch.tensor(taken[word], dtype=torch.long, device=maps.device)
        if need[word]:
            rest = maps[word].flatten().clone()
            rest[index] = float('-inf')
            index = torch.cat([index, rest.topk(need[word]).indices])
        cells = torch.stack([index % width, index // width], dim=-1)
        results.append((cells, maps[word].flatten()[index]))
    return results


def peak_centroids(score_map: Tensor, cells: Tensor,
                   kernel_size: int) -> Tensor:
    """Score-weighted centroids of the neighbourhoods of peak cells.

    Args:
        score_map (Tensor): Non-negative scores of shape (H, W).
        cells (Tensor): Peak cells of shape (k, 2) as ``(x, y)``.
        kernel_size (int): Odd side of the square neighbourhood, in cells;
            the part of it outside the map is left out.

    Returns:
        Tensor: Float cell coordinates of shape (k, 2) as ``(x, y)``: the
        mean of the neighbourhood's cells weighted by their scores (the
        peak cell itself where they sum to zero).
    """
    height, width = score_map.shape
    radius = kernel_size // 2
    steps = torch.arange(-radius, radius + 1, device=cells.device)
    dy, dx = torch.meshgrid(steps, steps, indexing='ij')
    xs = cells[:, :1] + dx.flatten()  # (k, K * K)
    ys = cells[:, 1:] + dy.flatten()
    inside = (xs >= 0) & (xs < width) & (ys >= 0) & (ys < height)
    weights = score_map[ys.clamp(0, height - 1),
                        xs.clamp(0, width - 1)].float() * inside
    total = weights.sum(1, keepdim=True)
    mean = torch.stack([(weights * xs).sum(1),
                        (weights * ys).sum(1)], -1) / total.clamp_min(1e-12)
    return torch.where(total > 0, mean, cells.float())


def cells_to_points(cells: Tensor, stride: float,
                    scale_factor: Sequence[float]) -> Tensor:
    """Map feature cells to points in original-image coordinates.

    Args:
        cells (Tensor): Cells of shape (N, 2) as ``(x, y)``.
        stride (float): Stride of the feature map in input pixels.
        scale_factor (Sequence[float]): ``(w_scale, h_scale)`` of the resize
            from the original image to the network input.

    Returns:
        Tensor: Points of shape (N, 2), float, ``(x, y)``.
    """
    scale = cells.new_tensor(scale_factor[:2], dtype=torch.float32)
    return (cells.float() + 0.5) * stride / scale


def points_to_cells(points: Tensor, stride: float, size: Tuple[int,
                                                               int]) -> Tensor:
    """Map input-image points to the feature cells that contain them.

    Args:
        points (Tensor): Points of shape (N, 2) as ``(x, y)`` in network-input
            pixels.
        stride (float): Stride of the feature map.
        size (tuple(int, int)): ``(H, W)`` of the feature map; cells are
            clamped into it.

    Returns:
        Tensor: Long cells of shape (N, 2) as ``(x, y)``.
    """
    cells = torch.floor(points / stride).long()
    cells[:, 0].clamp_(0, size[1] - 1)
    cells[:, 1].clamp_(0, size[0] - 1)
    return cells


def gt_points(data_sample: TextDetDataSample, device: torch.device) -> Tensor:
    """The annotated points of a sample.

    Args:
        data_sample (TextDetDataSample): With ``gt_instances.points``
            (N, 2) as ``(x, y)`` in network-input pixels.
        device (torch.device): Device of the returned points.

    Returns:
        Tensor: Float points of shape (N, 2).
    """
    return torch.as_tensor(
        data_sample.gt_instances.points, dtype=torch.float32,
        device=device).view(-1, 2)


def gt_anchor_cells(data_samples: Sequence[TextDetDataSample], stride: float,
                    size: Tuple[int, int], device: torch.device
                    ) -> Tuple[List[Tensor], List[List[str]]]:
    """Cells and texts of the non-ignored annotated words of a batch.

    Args:
        data_samples (Sequence[TextDetDataSample]): Samples with
            ``gt_instances.points`` (N_i, 2) in network-input pixels,
            ``gt_instances.texts`` and, optionally,
            ``gt_instances.ignored`` (N_i,).
        stride (float): Stride of the feature map.
        size (tuple(int, int)): ``(H, W)`` of the feature map.
        device (torch.device): Device of the returned cells.

    Returns:
        tuple(list[Tensor], list[list[str]]): For each image, the long
        cells ``(x, y)`` of shape (M_i, 2) that hold its non-ignored points
        (:func:`points_to_cells`) and their M_i texts.
    """
    cells, texts = [], []
    for data_sample in data_samples:
        gt = data_sample.gt_instances
        points = gt_points(data_sample, device)
        ignored = torch.as_tensor(
            gt.get('ignored', np.zeros(len(points), dtype=bool)),
            dtype=torch.bool,
            device=device)
        cells.append(points_to_cells(points[~ignored], stride, size))
        texts.append([
            text for text, skip in zip(gt.texts, ignored.tolist()) if not skip
        ])
    return cells, texts
