# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Checkpoints load with torch's weights_only safety and mmengine's types."""
import os
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner import CheckpointLoader
from mmengine.runner.checkpoint import save_checkpoint

from mmocr_wecromcl.engine import (TRUST_ENV, UnsafeCheckpointError,
                                   load_checkpoint_safely, trusted_checkpoints)
import make_synthetic_dataset
from ._tiny_srsts_a import write_tiny_srsts_a_config


class _Payload:
    """Unpickling it creates a file: the code a malicious checkpoint runs."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}', ))


@pytest.fixture
def malicious(tmp_path):
    """A plain ``torch.save`` of weights and a code-running object."""
    path = str(tmp_path / 'malicious.pth')
    marker = str(tmp_path / 'code_ran')
    torch.save(
        dict(state_dict=dict(w=torch.ones(2)), meta=_Payload(marker)), path)
    return path, marker


def test_mmengine_checkpoint_loads_with_weights_only(tmp_path):
    """mmengine's checkpoints hold numpy arrays, dtypes and HistoryBuffers,
    which torch's weights_only default alone refuses."""
    buffer = HistoryBuffer()
    buffer.update(1.5)
    buffer.update(2.5)
    ckpt = dict(
        meta=dict(epoch=1, iter=5, seed=np.int64(3)),
        state_dict=dict(w=torch.ones(2)),
        message_hub=dict(log_scalars={'loss': buffer}))
    path = str(tmp_path / 'iter_5.pth')
    save_checkpoint(ckpt, path)
    with pytest.raises(Exception, match='Weights only load failed'):
        torch.load(path)
    loaded = CheckpointLoader.load_checkpoint(path, map_location='cpu')
    assert loaded['meta']['iter'] == 5
    assert loaded['meta']['seed'] == 3
    restored = loaded['message_hub']['log_scalars']['loss']
    assert restored.current() == 2.5
    assert restored.mean() == 2.0
    assert restored.max() == 2.5


def test_malicious_checkpoint_is_refused_and_runs_nothing(malicious):
    path, marker = malicious
    with pytest.raises(UnsafeCheckpointError) as error:
        CheckpointLoader.load_checkpoint(path, map_location='cpu')
    message = str(error.value)
    assert f'refused to load checkpoint {path}' in message
    assert '(posix.system)' in message
    assert TRUST_ENV in message and 'trusted_checkpoints' in message
    assert not osp.exists(marker)


def test_getattr_is_allowed_only_for_history_buffer_statistics(tmp_path):
    """mmengine pickles HistoryBuffer.min as getattr(HistoryBuffer, 'min');
    any other getattr would reach arbitrary attributes."""

    class Reach:

        def __reduce__(self):
            return (getattr, (HistoryBuffer, '__init__'))

    path = str(tmp_path / 'getattr.pth')
    torch.save(dict(x=Reach()), path)
    with pytest.raises(
            UnsafeCheckpointError,
            match=r"getattr\(HistoryBuffer, '__init__'\)"):
        load_checkpoint_safely(path)


def test_trusted_checkpoint_loads_per_call_and_per_run(malicious, monkeypatch):
    path, marker = malicious
    with trusted_checkpoints(osp.join(osp.dirname(path), 'other.pth')):
        with pytest.raises(UnsafeCheckpointError):
            CheckpointLoader.load_checkpoint(path)
    assert not osp.exists(marker)
    with trusted_checkpoints(path):
        assert CheckpointLoader.load_checkpoint(
            path)['state_dict']['w'].tolist() == [1.0, 1.0]
    assert osp.exists(marker)
    os.remove(marker)
    with pytest.raises(UnsafeCheckpointError):  # trust ended with the block
        load_checkpoint_safely(path)
    monkeypatch.setenv(TRUST_ENV, os.pathsep.join(['/elsewhere.pth', path]))
    load_checkpoint_safely(path)
    assert osp.exists(marker)


def test_importing_the_plugin_keeps_torch_load_safe(malicious):
    """Nothing global: a process that imports mmocr_wecromcl still gets
    torch's weights_only default from torch.load."""
    path, marker = malicious
    code = ('import mmocr_wecromcl, torch, sys\n'
            'try:\n'
            f'    torch.load({path!r})\n'
            'except Exception as e:\n'
            '    sys.exit(3)\n')
    proc = subprocess.run([sys.executable, '-c', code], capture_output=True)
    assert proc.returncode == 3, proc.stderr
    assert not osp.exists(marker)


def test_train_tool_refuses_a_malicious_load_from(repo_root, malicious):
    path, marker = malicious
    config = osp.join(
        repo_root, 'configs/wecromcl/'
        'wecromcl_resnet18_bifpn-deform_1xb16-3k_synthetic.py')
    code = ('import sys, train\n'
            'runner = train.build_runner(train.build_train_config('
            'train.parse_args(sys.argv[1:])))\n'
            'runner.load_or_resume()\n')
    proc = subprocess.run([
        sys.executable, '-c', code, config, '--work-dir',
        osp.join(osp.dirname(path), 'work'), '--cfg-options',
        f'load_from={path}'
    ],
                          cwd=osp.join(repo_root, 'tools'),
                          capture_output=True,
                          text=True)
    assert proc.returncode != 0
    assert 'UnsafeCheckpointError: refused to load checkpoint' in proc.stderr
    assert not osp.exists(marker)


def test_mim_train_refuses_a_malicious_load_from_unless_trusted(
        malicious, tmp_path):
    """``mim train mmocr`` runs MMOCR's own tools/train.py; the config's
    ``custom_imports`` brings in the safe loader."""
    path, marker = malicious
    data = str(tmp_path / 'data')
    make_synthetic_dataset.main([
        '--out-dir', data, '--num-train', '2', '--num-test', '1', '--img-size',
        '64', '--preset', 'easy', '--no-progress', '--workers', '1'
    ])
    config = write_tiny_srsts_a_config(
        str(tmp_path / 'cfg.py'),
        data,
        iters=1,
        checkpoint_interval=1,
        extra=f'load_from = {path!r}\n')
    mim = [
        osp.join(osp.dirname(sys.executable), 'mim'), 'train', 'mmocr', config,
        '--work-dir',
        str(tmp_path / 'work')
    ]
    env = dict(
        os.environ,
        PATH=osp.dirname(sys.executable) + os.pathsep + os.environ['PATH'])
    env.pop(TRUST_ENV, None)
    proc = subprocess.run(mim, env=env, capture_output=True, text=True)
    assert proc.returncode != 0
    assert 'UnsafeCheckpointError: refused to load checkpoint' in (
        proc.stdout + proc.stderr)
    assert not osp.exists(marker)
    proc = subprocess.run(
        mim,
        env=dict(env, **{TRUST_ENV: path}),
        capture_output=True,
        text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert osp.exists(marker)
