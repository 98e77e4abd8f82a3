# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
import os.path as osp
import sys

import pytest
import torch

import mmocr_wecromcl

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, osp.join(REPO, 'tools'))
mmocr_wecromcl.register_all_modules(init_default_scope=True)


@pytest.fixture(autouse=True)
def _deterministic():
    torch.manual_seed(0)
    yield


@pytest.fixture
def repo_root() -> str:
    return REPO
