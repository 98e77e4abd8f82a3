# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .point_focal_loss import PointFocalLoss

__all__ = ['PointFocalLoss']
