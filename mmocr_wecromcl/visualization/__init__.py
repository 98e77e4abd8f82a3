# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .activation import activation_grid, draw_activation

__all__ = ['activation_grid', 'draw_activation']
