# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .anchor_point_module_loss import AnchorPointModuleLoss
from .masked_character_module_loss import MaskedCharacterModuleLoss
from .point_ctc_module_loss import PointCTCModuleLoss

__all__ = [
    'AnchorPointModuleLoss', 'MaskedCharacterModuleLoss', 'PointCTCModuleLoss'
]
