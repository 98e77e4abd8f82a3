# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
__version__ = '0.1.0'
short_version = __version__
