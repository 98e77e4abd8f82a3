# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Checkpoint loading that works under torch >= 2.6 with mmengine 0.10.7.

torch 2.6 changed the default of ``torch.load`` to ``weights_only=True``.
mmengine 0.10.7 calls ``torch.load(filename, map_location=...)`` for local
files, and its checkpoints hold more than tensors (the message hub's
``HistoryBuffer``s, numpy scalars, the config's ``ConfigDict``s), so
``--resume`` and ``load_from`` fail with an ``UnpicklingError``. This module
replaces mmengine's loader of local paths (the ``''`` scheme of
:class:`mmengine.runner.CheckpointLoader`) by one that reads them as mmengine
did with torch < 2.6. Like any checkpoint, such files must come from a source
you trust.
"""
import os.path as osp
from typing import Optional, Union

import torch
from mmengine.runner import CheckpointLoader


def load_local_checkpoint(filename: str,
                          map_location: Optional[Union[str,
                                                       torch.device]] = None
                          ) -> dict:
    """Load a checkpoint written by mmengine from a local path.

    Args:
        filename (str): Path of the checkpoint (``~`` is expanded).
        map_location (str or torch.device, optional): As for
            :func:`torch.load`.

    Returns:
        dict: The checkpoint.
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint {filename} can not be found.')
    return torch.load(filename, map_location=map_location, weights_only=False)


def register_checkpoint_loader() -> None:
    """Make mmengine load local checkpoints with :func:`load_local_checkpoint`.

    Idempotent; called when :mod:`mmocr_wecromcl` is imported, so
    ``tools/train.py --resume``, ``load_from`` and ``mim train`` with
    ``custom_imports`` all use it.
    """
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_local_checkpoint, force=True)
