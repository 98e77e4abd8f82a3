# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .pseudo_label_refinement import recenter_points, refine_points
from .srsts_a import SRSTSA

__all__ = ['SRSTSA', 'recenter_points', 'refine_points']
