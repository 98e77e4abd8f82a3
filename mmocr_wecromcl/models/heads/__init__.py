# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .anchor_point_head import AnchorPointHead
from .cross_modal_activation_head import CrossModalActivationHead
from .masked_character_head import MaskedCharacterHead
from .point_offset_sampler import PointOffsetSampler
from .point_recognition_head import PointRecognitionHead, character_centers

__all__ = [
    'AnchorPointHead', 'CrossModalActivationHead', 'MaskedCharacterHead',
    'PointOffsetSampler', 'PointRecognitionHead', 'character_centers'
]
