# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""``mim train mmocr`` and ``mim test mmocr`` run the user-facing IC15
configuration through MMOCR's own tools, on data in the layout MMOCR's
dataset preparer writes for ICDAR 2015 (``data/icdar2015/
textspotting_{train,test}.json`` and ``textspotting_imgs/``)."""
import json
import os
import os.path as osp
import subprocess
import sys
from typing import List

import make_synthetic_dataset

# The paper's modules and pipelines at 128 px, one process, one iteration.
SHRINK = [
    'train_dataloader.batch_size=2',
    'train_dataloader.num_workers=0',
    'train_dataloader.persistent_workers=False',
    'train_dataloader.dataset.pipeline.3.scales=[(160,128)]',
    'test_dataloader.num_workers=0',
    'test_dataloader.persistent_workers=False',
    'test_dataloader.dataset.pipeline.1.scale=(128,128)',
    'val_dataloader.num_workers=0',
    'val_dataloader.persistent_workers=False',
    'val_dataloader.dataset.pipeline.1.scale=(128,128)',
    'train_cfg.max_iters=1',
    'default_hooks.checkpoint.interval=1',
    # the ImageNet ResNet-50 is a download: offline, start from scratch
    'model.image_encoder.backbone.init_cfg=None'
]


def mim(args: List[str], cwd: str) -> subprocess.CompletedProcess:
    """Run this environment's ``mim`` in ``cwd``."""
    bin_dir = osp.dirname(sys.executable)
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ['PATH'])
    return subprocess.run(
        [osp.join(bin_dir, 'mim')] + args,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True)


def test_mim_trains_and_tests_the_ic15_config(repo_root, tmp_path):
    make_synthetic_dataset.main([
        '--out-dir',
        str(tmp_path / 'data' / 'icdar2015'), '--num-train', '4', '--num-test',
        '2', '--img-size', '128', '--preset', 'easy', '--no-progress',
        '--workers', '1'
    ])
    config = osp.join(repo_root, 'configs', 'wecromcl_ic15.py')
    work_dir = str(tmp_path / 'work')
    train = ['train', 'mmocr', config, '--work-dir', work_dir, '--cfg-options']

    # The SynthText-pretrained checkpoint the config starts from is missing.
    proc = mim(train + SHRINK, str(tmp_path))
    assert proc.returncode != 0
    output = proc.stdout + proc.stderr
    assert 'iter_200000.pth can not be found' in output
    assert '--cfg-options load_from=None' in output

    proc = mim(train + SHRINK + ['load_from=None'], str(tmp_path))
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    checkpoint = osp.join(work_dir, 'iter_1.pth')
    assert osp.isfile(checkpoint)

    proc = mim([
        'test', 'mmocr', config, '--checkpoint', checkpoint, '--work-dir',
        str(tmp_path / 'test'), '--cfg-options'
    ] + SHRINK, str(tmp_path))
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    assert 'anchor/nearest/hmean' in proc.stdout + proc.stderr
    with open(
            osp.join(tmp_path, 'data', 'icdar2015',
                     'textspotting_test.json')) as f:
        assert len(json.load(f)['data_list']) == 2
