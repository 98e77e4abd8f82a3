# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .ms_deform_attn import (compiled_cpu_deformable_attention,
                             compiled_ops_available,
                             multi_scale_deformable_attn_cpu)

__all__ = [
    'compiled_cpu_deformable_attention', 'compiled_ops_available',
    'multi_scale_deformable_attn_cpu'
]
