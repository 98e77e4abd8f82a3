# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Mixed-precision training in bfloat16 on CPU and GPU."""
from contextlib import contextmanager
from typing import Iterator

import torch
import torch.nn as nn
from mmengine.optim import OptimWrapper
from mmocr.registry import OPTIM_WRAPPERS


@OPTIM_WRAPPERS.register_module()
class BF16OptimWrapper(OptimWrapper):
    """An :class:`OptimWrapper` whose forward runs in bfloat16 autocast.

    mmengine's ``AmpOptimWrapper`` needs a CUDA, NPU or MLU device; this
    wrapper autocasts on the device of the model's parameters, so the same
    config trains in mixed precision on a CPU (where AMX and AVX512-BF16
    run bfloat16 matrix products several times faster than float32) and on
    a GPU. bfloat16 keeps float32's exponent range, so no loss scaling is
    needed; the weights, gradients and optimizer state stay in float32.

    Under ``torch.autocast`` matrix products and convolutions run in
    bfloat16, while cross-entropy, CTC and ``grid_sample`` run in float32.
    The model computes the other precision-sensitive parts in float32
    itself: the softmax over pixels of the activation head, the scaled
    cosine similarities of the contrastive and word losses, the focal loss,
    the log-softmax of CTC and the values that deformable attention samples
    (mmcv's CUDA kernel has no bfloat16).

    Args:
        **kwargs: The arguments of :class:`OptimWrapper`.
    """

    @contextmanager
    def optim_context(self, model: nn.Module) -> Iterator[None]:
        """:meth:`OptimWrapper.optim_context` inside bfloat16 autocast.

        Args:
            model (nn.Module): The training model; its first parameter
                gives the autocast device.
        """
        device_type = next(model.parameters()).device.type
        with super().optim_context(model), torch.autocast(
                device_type=device_type, dtype=torch.bfloat16):
            yield
