# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .holistic_localizer import HolisticLocalizer
from .wecromcl import WeCromCL

__all__ = ['HolisticLocalizer', 'WeCromCL']
