# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""A training killed with SIGKILL between checkpoints resumes exactly."""
import os
import os.path as osp
import signal
import subprocess
import sys

import pytest
import torch

from mmocr_wecromcl.engine import load_checkpoint_safely
import make_synthetic_dataset
from ..conftest import REPO
from ._tiny_srsts_a import write_tiny_srsts_a_config

ITERS = 7


@pytest.fixture(scope='module')
def config(tmp_path_factory):
    """A tiny SRSTS-A (its recogniser has dropout: it draws from torch's
    generator) saving checkpoints at iterations 3 and 6 of 7."""
    root = tmp_path_factory.mktemp('kill_resume')
    data = str(root / 'data')
    make_synthetic_dataset.main([
        '--out-dir', data, '--num-train', '6', '--num-test', '1', '--img-size',
        '64', '--preset', 'easy', '--no-progress', '--workers', '1'
    ])
    return write_tiny_srsts_a_config(
        str(root / 'cfg.py'), data, ITERS, checkpoint_interval=3, batch_size=2)


def _train(repo_root, config, work_dir, *extra):
    """tools/train.py in a new process; its return code."""
    env = dict(os.environ, PYTHONPATH=repo_root, OMP_NUM_THREADS='1')
    proc = subprocess.run([
        sys.executable,
        osp.join(repo_root, 'tools', 'train.py'), config, '--work-dir',
        work_dir, *extra
    ],
                          env=env,
                          capture_output=True,
                          text=True,
                          cwd=repo_root,
                          timeout=300)
    return proc


def _variant(config, tmp_path, name, hooks):
    """``config`` with ``custom_hooks`` set (and the kill hook importable)."""
    path = tmp_path / f'{name}.py'
    path.write_text(f'''_base_ = [{config!r}]
custom_imports = dict(
    imports=['mmocr_wecromcl', 'tests.test_engine._hooks'])
custom_hooks = {hooks!r}
''')
    return str(path)


def _weights(work_dir):
    path = osp.join(work_dir, f'iter_{ITERS}.pth')
    return load_checkpoint_safely(path)['state_dict']


def _same(a, b):
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


RNG = dict(type='RNGStateHook')


def _kill(at):
    return dict(type='SIGKILLHook', at=at)


@pytest.fixture(scope='module')
def uninterrupted(config, tmp_path_factory):
    """The final weights of the run that nothing interrupts."""
    work_dir = str(tmp_path_factory.mktemp('uninterrupted'))
    assert _train(REPO, config, work_dir).returncode == 0
    return _weights(work_dir)


def test_sigkill_between_checkpoints_then_resume_is_exact(
        repo_root, config, uninterrupted, tmp_path):
    killed = str(tmp_path / 'killed')
    proc = _train(repo_root, _variant(config, tmp_path, 'kill',
                                      [RNG, _kill(5)]), killed)
    assert proc.returncode == -signal.SIGKILL
    # died after iteration 5: checkpoint 3 is the last, 6 never came
    assert osp.exists(osp.join(killed, 'iter_3.pth'))
    assert not osp.exists(osp.join(killed, 'iter_6.pth'))
    proc = _train(repo_root, config, killed, '--resume')
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert 'advance dataloader 3 steps' in (proc.stdout + proc.stderr).lower()
    assert _same(uninterrupted, _weights(killed))


def test_without_the_rng_state_a_resumed_run_differs(repo_root, config,
                                                     uninterrupted, tmp_path):
    """The control: the dropout masks after the resume are what the
    checkpointed random state keeps exact."""
    no_rng = _variant(config, tmp_path, 'no_rng', [])
    killed = str(tmp_path / 'killed')
    proc = _train(repo_root, _variant(config, tmp_path, 'kill', [_kill(5)]),
                  killed)
    assert proc.returncode == -signal.SIGKILL
    proc = _train(repo_root, no_rng, killed, '--resume')
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert not _same(uninterrupted, _weights(killed))


STAGE1 = ('configs/wecromcl/'
          'wecromcl_resnet18_bifpn-deform_1xb16-3k_synthetic.py')

# Runs generate_pseudo_labels.py, killed with SIGKILL while writing its third
# image's line (half of it reaches the file).
_KILLED_LABELLING = '''
import json, os, signal, sys
sys.path.insert(0, {tools!r})
from mmocr_wecromcl.apis import pseudo_labels
add = pseudo_labels.PseudoLabelWriter.add


def add_then_die(self, entry):
    if len(self.done) == 2:
        self._fp.write(json.dumps(entry)[:30])
        self._fp.flush()
        os.kill(os.getpid(), signal.SIGKILL)
    add(self, entry)


pseudo_labels.PseudoLabelWriter.add = add_then_die
import generate_pseudo_labels
generate_pseudo_labels.main(sys.argv[1:])
'''


def test_labelling_killed_mid_file_reruns_to_the_same_output(
        repo_root, config, tmp_path):
    from mmocr_wecromcl.utils import pretrained_checkpoint
    data = osp.join(osp.dirname(config), 'data')
    args = [
        osp.join(repo_root, STAGE1),
        pretrained_checkpoint('wecromcl'), '--ann-file',
        osp.join(data, 'textspotting_train.json')
    ]
    tool = [
        sys.executable,
        osp.join(repo_root, 'tools', 'generate_pseudo_labels.py')
    ]

    def label(cmd, out):
        return subprocess.run(
            cmd + args + ['--out', out],
            cwd=repo_root,
            capture_output=True,
            text=True,
            timeout=300)

    whole = str(tmp_path / 'whole.json')
    assert label(tool, whole).returncode == 0
    out = str(tmp_path / 'killed.json')
    killer = [
        sys.executable, '-c',
        _KILLED_LABELLING.format(tools=osp.join(repo_root, 'tools'))
    ]
    assert label(killer, out).returncode == -signal.SIGKILL
    assert not osp.exists(out)
    with open(out + '.partial.jsonl') as f:
        lines = f.read().split('\n')
    assert len(lines) == 3 and lines[2].startswith('{"img_path"')
    proc = label(tool, out)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert '2 images already done, 4 to go' in proc.stdout
    assert not osp.exists(out + '.partial.jsonl')
    with open(whole) as a, open(out) as b:
        assert a.read() == b.read()
