# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .point_ctc_postprocessor import PointCTCPostprocessor
from .point_peak_postprocessor import PointPeakPostprocessor

__all__ = ['PointCTCPostprocessor', 'PointPeakPostprocessor']
