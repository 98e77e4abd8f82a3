# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""tools/dist_train.sh on a machine without a GPU (gloo, 2 processes)."""
import os
import os.path as osp
import subprocess
import sys

import make_synthetic_dataset

from ..test_models._wecromcl_utils import tiny_wecromcl_cfg


def test_dist_train_two_cpu_processes(repo_root, tmp_path):
    data = str(tmp_path / 'data')
    make_synthetic_dataset.main([
        '--out-dir', data, '--num-train', '4', '--num-test', '2',
        '--img-size', '64', '--preset', 'easy', '--no-progress'
    ])
    base = osp.join(
        repo_root, 'configs/srsts-a/'
        'srsts-a_resnet18_bifpn-small_3k_synthetic-gt-points.py')
    encoder = tiny_wecromcl_cfg(embed_dims=16)['image_encoder']
    loader = dict(
        batch_size=1,
        num_workers=0,
        persistent_workers=False,
        dataset=dict(data_root=data))
    cfg = tmp_path / 'cfg.py'
    cfg.write_text(f'''_base_ = [{base!r}]
model = dict(image_encoder=dict(_delete_=True, **{encoder!r}),
             recog_head=dict(embed_dims=16, num_heads=2,
                             feedforward_channels=32))
train_cfg = dict(max_iters=2, val_interval=2)
param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=False)]
train_dataloader = {loader!r}
val_dataloader = {loader!r}
test_dataloader = val_dataloader
default_hooks = dict(checkpoint=dict(interval=2, save_best=None))
''')
    env = dict(os.environ, PYTHON=sys.executable, OMP_NUM_THREADS='1',
               PORT='29533')
    work_dir = str(tmp_path / 'work')
    proc = subprocess.run(
        [osp.join(repo_root, 'tools', 'dist_train.sh'),
         str(cfg), '2', '--work-dir', work_dir],
        env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert 'Distributed training: True' in proc.stdout + proc.stderr
    assert osp.exists(osp.join(work_dir, 'iter_2.pth'))
