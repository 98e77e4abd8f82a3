# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .checkpoint import (LOAD_FROM_HINT, SAFE_GLOBALS, TRUST_ENV,
                         UnsafeCheckpointError, load_checkpoint_safely,
                         register_checkpoint_loader, trusted_checkpoints)
from .distributed import CPUDistributedDataParallel, setup_cpu_distributed
from .hooks import RNGStateHook
from .optim_wrappers import BF16OptimWrapper
from .runner_utils import add_common_args, build_runner, load_config, parse
from .schedulers import RunLengthCosineAnnealingLR
from .tool_runner import ToolRunner

register_checkpoint_loader()

__all__ = [
    'LOAD_FROM_HINT', 'SAFE_GLOBALS', 'TRUST_ENV', 'UnsafeCheckpointError',
    'load_checkpoint_safely', 'register_checkpoint_loader',
    'trusted_checkpoints', 'RNGStateHook', 'BF16OptimWrapper',
    'CPUDistributedDataParallel', 'setup_cpu_distributed', 'add_common_args',
    'build_runner', 'load_config', 'parse', 'RunLengthCosineAnnealingLR',
    'ToolRunner'
]
