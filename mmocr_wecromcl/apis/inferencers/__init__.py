# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .point_spot_inferencer import PointSpotInferencer
from .word_locate_inferencer import WordLocateInferencer

__all__ = ['PointSpotInferencer', 'WordLocateInferencer']
