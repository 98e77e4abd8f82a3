# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .srsts_a import SRSTSA

__all__ = ['SRSTSA']
