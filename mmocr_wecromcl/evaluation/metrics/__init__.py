# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .anchor_point_metric import AnchorPointMetric
from .base_point_metric import BasePointMetric
from .point_spotting_metric import PointSpottingMetric

__all__ = ['AnchorPointMetric', 'BasePointMetric', 'PointSpottingMetric']
