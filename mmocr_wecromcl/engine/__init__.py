# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .checkpoint import load_local_checkpoint, register_checkpoint_loader
from .distributed import CPUDistributedDataParallel, setup_cpu_distributed
from .runner_utils import add_common_args, build_runner, load_config, parse

register_checkpoint_loader()

__all__ = [
    'load_local_checkpoint', 'register_checkpoint_loader',
    'CPUDistributedDataParallel', 'setup_cpu_distributed', 'add_common_args',
    'build_runner', 'load_config', 'parse'
]
