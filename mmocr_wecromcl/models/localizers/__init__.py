# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .wecromcl import WeCromCL

__all__ = ['WeCromCL']
