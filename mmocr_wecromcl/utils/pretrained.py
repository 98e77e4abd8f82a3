# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""The synthetic-pretrained checkpoints this package ships."""
import os.path as osp

from .text import resource_path

#: File in ``mmocr_wecromcl/resources`` of each shipped checkpoint (small
#: configurations; how each was trained: ``docs/pretraining.md``).
PRETRAINED_CHECKPOINTS = dict(
    wecromcl='wecromcl_small_synthetic_pretrained.pth',
    srsts_a='srsts-a_small_synthetic_pretrained.pth',
    # SRSTS-A that reads a word from any point of it: re-centres pseudo
    # points (tools/recenter_pseudo_labels.py)
    srsts_a_along_word='srsts-a_small_synthetic_along-word_pretrained.pth')


def pretrained_checkpoint(model: str) -> str:
    """Absolute path of the shipped checkpoint of ``model``.

    Args:
        model (str): ``'wecromcl'`` (stage 1), ``'srsts_a'`` (stage 2) or
            ``'srsts_a_along_word'`` (the re-centring of pseudo points).

    Returns:
        str: The checkpoint path.

    Raises:
        KeyError: For an unknown model.
        FileNotFoundError: If the file is missing from the installation.
    """
    if model not in PRETRAINED_CHECKPOINTS:
        raise KeyError(f'no shipped checkpoint for {model!r}; known: '
                       f'{sorted(PRETRAINED_CHECKPOINTS)}')
    path = resource_path(PRETRAINED_CHECKPOINTS[model])
    if not osp.exists(path):
        raise FileNotFoundError(
            f'shipped checkpoint {path} is missing; reinstall the package '
            'or train it (docs/pretraining.md)')
    return path
