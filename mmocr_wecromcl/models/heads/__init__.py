# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .anchor_point_head import AnchorPointHead
from .point_recognition_head import PointOffsetSampler, PointRecognitionHead

__all__ = ['AnchorPointHead', 'PointOffsetSampler', 'PointRecognitionHead']
