# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
import os.path as osp

import pytest
from mmengine.config import Config

import train as train_tool
from ..conftest import load_tool

test_tool = load_tool('test')
CFG = 'configs/wecromcl_ic15.py'


def test_train_parses_mmocr_arguments(repo_root, tmp_path):
    args = train_tool.parse_args([
        osp.join(repo_root, CFG), '--work-dir',
        str(tmp_path), '--amp', '--auto-scale-lr', '--resume', '--cfg-options',
        'train_cfg.max_iters=7', '--launcher', 'none'
    ])
    cfg = train_tool.build_train_config(args)
    assert cfg.work_dir == str(tmp_path)
    assert cfg.train_cfg.max_iters == 7
    assert cfg.optim_wrapper.type == 'BF16OptimWrapper'
    assert cfg.auto_scale_lr.enable is True
    assert cfg.resume is True and cfg.load_from is None
    assert cfg.custom_imports.imports == ['mmocr_wecromcl']
    assert cfg.default_scope == 'mmocr'


def test_train_resume_from_path(repo_root):
    args = train_tool.parse_args(
        [osp.join(repo_root, CFG), '--resume', 'a/iter_5.pth'])
    cfg = train_tool.build_train_config(args)
    assert cfg.resume is True and cfg.load_from == 'a/iter_5.pth'
    assert cfg.work_dir == './work_dirs/wecromcl_ic15'


def test_train_stops_at_a_missing_load_from(repo_root, tmp_path):
    """The IC15 entry fine-tunes a SynthText-pretrained checkpoint that a
    new user has not trained yet: said before anything is built."""
    args = train_tool.parse_args(
        [osp.join(repo_root, CFG), '--work-dir',
         str(tmp_path)])
    with pytest.raises(FileNotFoundError) as error:
        train_tool.build_train_config(args)
    message = str(error.value)
    assert ('load_from checkpoint work_dirs/wecromcl_resnet50_bifpn-deform_'
            '1xb16-200k_synthtext/iter_200000.pth does not exist; train it '
            'first') in message
    assert '--cfg-options load_from=None' in message
    args = train_tool.parse_args(
        [osp.join(repo_root, CFG), '--cfg-options', 'load_from=None'])
    assert train_tool.build_train_config(args).load_from is None


def test_test_parses_mmocr_arguments(repo_root, tmp_path):
    args = test_tool.parse_args([
        osp.join(repo_root, CFG), 'ckpt.pth', '--work-dir',
        str(tmp_path), '--save-preds', '--show-dir', 'vis'
    ])
    cfg = test_tool.build_test_config(args)
    assert cfg.load_from == 'ckpt.pth'
    assert cfg.default_hooks.visualization.enable is True
    assert cfg.visualizer.save_dir == osp.join(str(tmp_path), 'vis')
    evaluators = [e['type'] for e in cfg.test_evaluator]
    assert evaluators == ['AnchorPointMetric', 'DumpResults']


def test_config_with_custom_imports_loads(repo_root):
    cfg = Config.fromfile(osp.join(repo_root, CFG))
    assert cfg.model.type == 'WeCromCL'
    assert cfg.model.image_encoder.backbone.depth == 50
    assert cfg.model.text_encoder.num_layers == 12


def _configs():
    import glob
    root = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    return sorted(
        f for f in glob.glob(
            osp.join(root, 'configs', '**', '*.py'), recursive=True)
        if '_base_' not in f)


@pytest.mark.parametrize('path', _configs(), ids=osp.basename)
def test_every_config_loads_and_names_registered_modules(path):
    from mmocr.registry import MODELS
    cfg = Config.fromfile(path)
    assert cfg.default_scope == 'mmocr'
    assert cfg.custom_imports.imports == ['mmocr_wecromcl']
    assert cfg.model.type in MODELS.module_dict
    dataset = cfg.train_dataloader.dataset
    for part in dataset.get('datasets', [dataset]):
        assert part.pipeline and part.ann_file.startswith('textspotting_')
