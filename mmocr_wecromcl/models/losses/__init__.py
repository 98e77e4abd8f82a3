# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .contrastive_loss import WeCromCLContrastiveLoss
from .point_focal_loss import PointFocalLoss
from .word_discrimination_loss import WordDiscriminationLoss

__all__ = [
    'WeCromCLContrastiveLoss', 'PointFocalLoss', 'WordDiscriminationLoss'
]
