# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .bifpn import BiFPN
from .level_fusion import PyramidLevelFusion

__all__ = ['BiFPN', 'PyramidLevelFusion']
