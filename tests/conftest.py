# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
import importlib.util
import os.path as osp
import sys
from types import ModuleType

import pytest
import torch

import mmocr_wecromcl

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
TOOLS = osp.join(REPO, 'tools')
# The tools import by their names (``import train``), after the standard
# library: ``tools/test.py`` must not shadow its ``test`` package.
sys.path.append(TOOLS)
mmocr_wecromcl.register_all_modules(init_default_scope=True)


def load_tool(name: str) -> ModuleType:
    """Import ``tools/<name>.py`` as the module ``tools_<name>``.

    For the tools whose names are taken (``test`` is a package of the
    standard library).

    Args:
        name (str): The tool's file name without ``.py``.

    Returns:
        ModuleType: The tool's module.
    """
    module_name = f'tools_{name}'
    if module_name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            module_name, osp.join(TOOLS, f'{name}.py'))
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    return sys.modules[module_name]


@pytest.fixture(autouse=True)
def _deterministic():
    torch.manual_seed(0)
    yield


@pytest.fixture
def repo_root() -> str:
    return REPO
