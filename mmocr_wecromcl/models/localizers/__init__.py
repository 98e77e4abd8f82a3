# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .wecromcl import WeCromCL, feature_padding_mask

__all__ = ['WeCromCL', 'feature_padding_mask']
