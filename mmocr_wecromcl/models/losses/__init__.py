# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .contrastive_loss import WeCromCLContrastiveLoss
from .point_focal_loss import PointFocalLoss

__all__ = ['WeCromCLContrastiveLoss', 'PointFocalLoss']
