# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .run_length_cosine_annealing_lr import RunLengthCosineAnnealingLR

__all__ = ['RunLengthCosineAnnealingLR']
