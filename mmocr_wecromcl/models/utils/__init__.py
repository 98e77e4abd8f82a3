# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .points import (cells_to_points, exclusive_peaks, gt_anchor_cells,
                     gt_points, local_maxima, peak_centroids, points_to_cells,
                     topk_peaks)

__all__ = [
    'cells_to_points', 'exclusive_peaks', 'gt_anchor_cells', 'gt_points',
    'local_maxima', 'peak_centroids', 'points_to_cells', 'topk_peaks'
]
