# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .ms_deform_attn import (FusedMultiScaleDeformableAttention,
                             MultiScaleDeformableAttnCPUFunction,
                             compiled_ops_available)

__all__ = [
    'FusedMultiScaleDeformableAttention',
    'MultiScaleDeformableAttnCPUFunction', 'compiled_ops_available'
]
