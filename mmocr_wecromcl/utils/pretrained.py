# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""The synthetic-pretrained checkpoints this package ships."""
import os.path as osp
from typing import List

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


def image_encoder_finetune_options(mode: str,
                                   cache_size: int = 0) -> List[str]:
    """Config options for fine-tuning on a pretrained image encoder.

    Args:
        mode (str): ``'frozen'``: the encoder gets no gradient and stays in
            eval mode (``WeCromCLImageEncoder(frozen=True)``); ``'slow'``:
            it learns at 0.1x the learning rate of the rest of the model.
        cache_size (int): With ``'frozen'``, keep the features of up to this
            many images (``WeCromCLImageEncoder.cache_size``), e.g. the
            training and validation images of a set without random
            augmentation. Defaults to 0.

    Returns:
        list[str]: ``key=value`` options for ``--cfg-options``.
    """
    if mode == 'frozen':
        return ['model.image_encoder.frozen=True'
                ] + ([f'model.image_encoder.cache_size={cache_size}']
                     if cache_size else [])
    if mode == 'slow':
        return [
            'optim_wrapper.paramwise_cfg.custom_keys.image_encoder.lr_mult=0.1'
        ]
    raise ValueError(f"mode must be 'frozen' or 'slow', not {mode!r}")
