# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Building a model from a config and checkpoint for inference."""
import os.path as osp
from typing import Optional, Union

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint
from mmocr.registry import MODELS


def check_checkpoint(checkpoint: Optional[str]) -> None:
    """Stop before any work if a local checkpoint file does not exist.

    Args:
        checkpoint (str, optional): A checkpoint path; None and URLs
            (``https://``, ``s3://`` ...) pass unchecked.

    Raises:
        FileNotFoundError: If ``checkpoint`` is a local path that is not a
            file.
    """
    if checkpoint is not None and '://' not in checkpoint and \
            not osp.isfile(checkpoint):
        raise FileNotFoundError(f'checkpoint {checkpoint} does not exist')


def init_model(config: Union[str, Config],
               checkpoint: Optional[str] = None,
               device: str = 'cpu') -> torch.nn.Module:
    """Build ``config.model``, load ``checkpoint`` and switch to eval mode.

    A missing checkpoint file stops it before the model is built
    (:func:`check_checkpoint`).

    Args:
        config (str or Config): Config file or object.
        checkpoint (str, optional): Checkpoint path; None keeps the
            initialised weights.
        device (str): Device. Defaults to 'cpu'.

    Returns:
        nn.Module: The model, with ``model.cfg`` set to the config.
    """
    check_checkpoint(checkpoint)
    cfg = Config.fromfile(config) if isinstance(config, str) else config
    init_default_scope(cfg.get('default_scope', 'mmocr'))
    model = MODELS.build(cfg.model)
    if checkpoint is None:
        model.init_weights()
    else:
        load_checkpoint(model, checkpoint, map_location='cpu')
    model.cfg = cfg
    return model.to(device).eval()
