# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""A tiny SRSTS-A config file for tests that train in a subprocess."""
import os.path as osp
from typing import Optional

from ..conftest import REPO
from ..test_models._wecromcl_utils import tiny_wecromcl_cfg

BASE = osp.join(
    REPO, 'configs/srsts-a/'
    'srsts-a_resnet18_bifpn-deform_1xb16-3k_synthetic-gt-points.py')


def write_tiny_srsts_a_config(path: str,
                              data_root: str,
                              iters: int,
                              checkpoint_interval: int,
                              batch_size: int = 1,
                              encoder: Optional[dict] = None,
                              dropout: float = 0.1,
                              extra: str = '') -> str:
    """Write the small SRSTS-A config with tiny widths, on ``data_root``.

    Args:
        path (str): The config file to write.
        data_root (str): A folder of ``tools/make_synthetic_dataset.py``.
        iters (int): Training iterations (constant learning rate).
        checkpoint_interval (int): Iterations between checkpoints.
        batch_size (int): Training batch size. Defaults to 1.
        encoder (dict, optional): The image encoder; defaults to the tiny
            WeCromCL one with 16 output channels.
        dropout (float): Dropout of the recogniser. Defaults to 0.1.
        extra (str): More config lines (not ``model``, which they would
            replace).

    Returns:
        str: ``path``.
    """
    if encoder is None:
        encoder = tiny_wecromcl_cfg(embed_dims=16)['image_encoder']
    loader = dict(
        batch_size=batch_size,
        num_workers=0,
        persistent_workers=False,
        dataset=dict(data_root=data_root))
    with open(path, 'w') as f:
        f.write(f'''_base_ = [{BASE!r}]
model = dict(image_encoder=dict(_delete_=True, **{encoder!r}),
             recog_head=dict(embed_dims=16, num_heads=2,
                             feedforward_channels=32, dropout={dropout}))
train_cfg = dict(max_iters={iters}, val_interval={iters})
param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=False)]
train_dataloader = {loader!r}
val_dataloader = {dict(loader, batch_size=1)!r}
test_dataloader = val_dataloader
default_hooks = dict(
    checkpoint=dict(interval={checkpoint_interval}, save_best=None))
{extra}''')
    return path
