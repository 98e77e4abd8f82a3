# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .deformable_encoder import DeformableEncoder
from .image_encoder import WeCromCLImageEncoder

__all__ = ['DeformableEncoder', 'WeCromCLImageEncoder']
