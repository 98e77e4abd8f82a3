# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Distributed training on machines without a GPU (gloo backend).

mmengine 0.10.7 assumes GPUs under the ``pytorch`` launcher: it calls
``torch.cuda.set_device`` before creating the process group and wraps the
model in DDP with ``device_ids=[LOCAL_RANK]``. Both fail on CPU. Here the
process group is created with gloo first (mmengine then skips its own set-up)
and the model is wrapped by :class:`CPUDistributedDataParallel`.
"""
import torch
import torch.distributed as torch_dist
from mmengine.config import Config
from mmengine.model import MMDistributedDataParallel
from mmengine.registry import MODEL_WRAPPERS


@MODEL_WRAPPERS.register_module()
class CPUDistributedDataParallel(MMDistributedDataParallel):
    """:class:`MMDistributedDataParallel` for models on the CPU.

    Registered in mmengine's root ``MODEL_WRAPPERS``, where the runner looks
    wrappers up.

    The runner passes ``device_ids=[LOCAL_RANK]``; DDP accepts device ids only
    for GPU modules, so they are dropped.
    """

    def __init__(self, module: torch.nn.Module, device_ids=None, **kwargs):
        super().__init__(module=module, device_ids=None, **kwargs)


def setup_cpu_distributed(cfg: Config) -> bool:
    """Prepare ``cfg`` for a distributed run on CPU, if that is what runs.

    Args:
        cfg (Config): The config; ``cfg.launcher`` must be set.

    Returns:
        bool: True if the run is distributed on CPU (gloo process group
        created, ``model_wrapper_cfg`` set), False otherwise (untouched).
    """
    if cfg.get('launcher', 'none') == 'none' or torch.cuda.is_available():
        return False
    if not torch_dist.is_initialized():
        torch_dist.init_process_group(backend='gloo')
    cfg.setdefault('env_cfg', {}).setdefault('dist_cfg', {})
    cfg.env_cfg.dist_cfg.backend = 'gloo'
    cfg.model_wrapper_cfg = dict(type='CPUDistributedDataParallel')
    return True
