# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""A wheel built from the repository carries the configs and tools under
``mmocr_wecromcl/.mim`` and builds a model from a packaged config when it
is installed without the repository."""
import os
import shutil
import subprocess
import sys

# What the build does not need from the checkout.
NOT_COPIED = ('.git', '.venv', 'data', 'work_dirs', 'build', 'dist', '.mim',
              '*.egg-info', '__pycache__', '*.so', '.pytest_cache')

CHECK = """
import os.path as osp, sys
import mmocr_wecromcl
from mmengine.config import Config
from mmocr.registry import MODELS
root = osp.dirname(mmocr_wecromcl.__file__)
assert root.startswith(sys.argv[1]), root
mim = osp.join(root, '.mim')
assert osp.isfile(osp.join(mim, 'tools', 'train.py'))
cfg = Config.fromfile(osp.join(
    mim, 'configs', 'srsts-a',
    'srsts-a_resnet18_bifpn-deform_1xb16-3k_synthetic-gt-points.py'))
model = MODELS.build(cfg.model)
print('built', type(model).__name__, model.dictionary.num_classes)
"""


def test_wheel_carries_configs_and_tools(repo_root, tmp_path):
    source = str(tmp_path / 'source')
    shutil.copytree(
        repo_root, source, ignore=shutil.ignore_patterns(*NOT_COPIED))
    env = dict(os.environ, WECROMCL_WITH_OPS='0')
    pip = [sys.executable, '-m', 'pip']
    subprocess.run(
        pip + [
            'wheel', '-q', '--no-deps', '--no-build-isolation', source, '-w',
            str(tmp_path / 'wheels')
        ],
        check=True,
        env=env)
    wheel, = os.listdir(tmp_path / 'wheels')
    target = str(tmp_path / 'site')
    subprocess.run(
        pip + [
            'install', '-q', '--no-deps', '--target', target,
            str(tmp_path / 'wheels' / wheel)
        ],
        check=True)
    # the installed package first on the path, outside any checkout
    proc = subprocess.run([sys.executable, '-c', CHECK, target],
                          cwd=str(tmp_path),
                          env=dict(os.environ, PYTHONPATH=target),
                          capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert 'built SRSTSA 36' in proc.stdout
