# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .anchor_point_head import AnchorPointHead
from .cross_modal_activation_head import CrossModalActivationHead
from .point_recognition_head import (PointOffsetSampler, PointRecognitionHead,
                                     character_centers)

__all__ = [
    'AnchorPointHead', 'CrossModalActivationHead', 'PointOffsetSampler',
    'PointRecognitionHead', 'character_centers'
]
