# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""tools/dist_train.sh on a machine without a GPU (gloo, 2 processes)."""
import json
import os
import os.path as osp
import subprocess
import sys

import torch

import make_synthetic_dataset
from ..test_models._wecromcl_utils import tiny_wecromcl_cfg
from ._tiny_srsts_a import write_tiny_srsts_a_config

ITERS = 3


def _one_word_per_image(ann_file: str) -> None:
    """Keep each image's first word: every image then weighs the same in
    the batch-normalised losses, so 2 ranks of batch 1 are one batch of 2."""
    with open(ann_file) as f:
        data = json.load(f)
    for entry in data['data_list']:
        entry['instances'] = entry['instances'][:1]
    with open(ann_file, 'w') as f:
        json.dump(data, f)


def _config(tmp_path, batch_size):
    """A tiny SRSTS-A with group norm and no dropout: its gradient on a
    batch is the mean of its gradients on the batch's images. SGD, whose
    steps are proportional to the gradient (Adam's would hide a gradient
    summed over the ranks instead of averaged)."""
    data = str(tmp_path / 'data')
    if not osp.exists(data):
        make_synthetic_dataset.main([
            '--out-dir', data, '--num-train', '4', '--num-test', '2',
            '--img-size', '64', '--preset', 'easy', '--no-progress',
            '--workers', '1'
        ])
        _one_word_per_image(osp.join(data, 'textspotting_train.json'))
    gn = dict(type='GN', num_groups=4)
    encoder = tiny_wecromcl_cfg(embed_dims=16)['image_encoder']
    for part in ('backbone', 'neck', 'fusion'):
        encoder[part]['norm_cfg'] = gn
    return write_tiny_srsts_a_config(
        str(tmp_path / f'cfg_b{batch_size}.py'),
        data,
        ITERS,
        ITERS,
        batch_size,
        encoder,
        dropout=0.0,
        extra='''
custom_imports = dict(imports=['mmocr_wecromcl', 'tests.test_engine._hooks'])
custom_hooks = [dict(type='SaveRankWeightsHook')]
optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='SGD', lr=0.05, momentum=0.9))
''')


def test_dist_train_two_cpu_processes_match_one_process(repo_root, tmp_path):
    env = dict(
        os.environ,
        PYTHON=sys.executable,
        OMP_NUM_THREADS='1',
        PORT='29533',
        PYTHONPATH=repo_root)
    two = str(tmp_path / 'two')
    proc = subprocess.run([
        osp.join(repo_root, 'tools', 'dist_train.sh'),
        _config(tmp_path, 1), '2', '--work-dir', two
    ],
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert 'Distributed training: True' in proc.stdout + proc.stderr
    assert osp.exists(osp.join(two, f'iter_{ITERS}.pth'))

    one = str(tmp_path / 'one')
    proc = subprocess.run([
        sys.executable,
        osp.join(repo_root, 'tools', 'train.py'),
        _config(tmp_path, 2), '--work-dir', one
    ],
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]

    def weights(work_dir, rank, when='after'):
        return torch.load(osp.join(work_dir, f'rank{rank}_{when}.pth'))

    rank0, rank1, single = weights(two, 0), weights(two, 1), weights(one, 0)
    start = weights(two, 0, 'before')
    assert rank0.keys() == rank1.keys() == single.keys()
    for key in rank0:
        # both ranks stepped, in lockstep
        assert torch.equal(rank0[key], rank1[key]), key
        # as one process on the same batches of 2, to float32 round-off
        torch.testing.assert_close(
            rank0[key], single[key], rtol=1e-4, atol=1e-5, msg=key)
    moved = [k for k in start if not torch.equal(start[k], rank0[k])]
    assert len(moved) > 0.9 * len(start)
