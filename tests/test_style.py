# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""The code follows the style that ``setup.cfg`` configures: flake8, isort
and yapf (MMOCR's tools), over every Python folder of the repository."""
import subprocess
import sys

import pytest

PYTHON_PATHS = ('mmocr_wecromcl', 'tools', 'tests', 'benchmarks', 'configs',
                'projects', 'setup.py')


@pytest.mark.parametrize(
    'command', [['flake8'], ['isort', '--check-only', '--diff'],
                ['yapf', '--diff', '--recursive']],
    ids=['flake8', 'isort', 'yapf'])
def test_code_style(repo_root, command):
    result = subprocess.run(
        [sys.executable, '-m'] + command + list(PYTHON_PATHS),
        cwd=repo_root,
        capture_output=True,
        text=True)
    assert result.returncode == 0 and not result.stdout.strip(), (
        f'{command[0]} wants changes (run it from the repository root):\n' +
        result.stdout[-3000:] + result.stderr[-1000:])
