# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .image_encoder import WeCromCLImageEncoder

__all__ = ['WeCromCLImageEncoder']
