# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Test (and evaluate) a checkpoint of mmocr_wecromcl from a config.

Same arguments as MMOCR's ``tools/test.py``.
"""
import argparse
import os.path as osp
from typing import Optional, Sequence

from mmengine.config import Config

import mmocr_wecromcl  # noqa: F401  (registers the plugin's modules)
from mmocr_wecromcl.engine import add_common_args, build_runner, load_config
from mmocr_wecromcl.engine import parse as parse_cli
from mmocr_wecromcl.utils import dump_json_atomic


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Test (and eval) a model')
    parser.add_argument('config', help='Test config file path')
    parser.add_argument('checkpoint', help='Checkpoint file')
    parser.add_argument(
        '--save-preds',
        action='store_true',
        help='Dump the predictions to a pickle file in the work dir.')
    parser.add_argument(
        '--show', action='store_true', help='Show the predictions.')
    parser.add_argument(
        '--show-dir',
        help='Save drawn GT and predictions (PNG) under '
        'WORK_DIR/SHOW_DIR/vis_data/vis_image (an absolute SHOW_DIR is used '
        'as is).')
    parser.add_argument(
        '--wait-time', type=float, default=2, help='Display time of --show.')
    parser.add_argument(
        '--tta', action='store_true', help='Test-time augmentation.')
    parser.add_argument(
        '--metrics-out', help='Also write the metrics to this JSON file.')
    parser.add_argument(
        '--amp',
        action='store_true',
        help='Predict in mixed precision (mmengine\'s autocast: bfloat16 on '
        'a CPU, float16 on a GPU)')
    add_common_args(parser)
    return parse_cli(parser, argv)


def build_test_config(args: argparse.Namespace) -> Config:
    """The config of a test run with the command-line options applied."""
    cfg = load_config(args.config, args.work_dir, args.cfg_options,
                      args.launcher)
    cfg.load_from = args.checkpoint
    if args.amp:
        cfg.setdefault('test_cfg', {})['fp16'] = True
    if args.show or args.show_dir:
        if 'visualization' not in cfg.get('default_hooks', {}):
            raise RuntimeError('--show/--show-dir need a `visualization` '
                               'hook in default_hooks.')
        hook = cfg.default_hooks.visualization
        hook.enable = True
        hook.show = args.show
        hook.wait_time = args.wait_time
        if args.show_dir:
            # MMOCR's VisualizationHook draws GT beside predictions; the
            # local backend saves them in SHOW_DIR/vis_data/vis_image.
            hook.draw_gt = True
            hook.draw_pred = True
            hook.interval = 1
            cfg.visualizer.vis_backends = [dict(type='LocalVisBackend')]
            cfg.visualizer.save_dir = osp.join(cfg.work_dir, args.show_dir)
    if args.tta:
        if 'tta_model' not in cfg or 'tta_pipeline' not in cfg:
            raise RuntimeError('--tta needs tta_model and tta_pipeline in '
                               'the config.')
        cfg.test_dataloader.dataset.pipeline = cfg.tta_pipeline
        cfg.tta_model.module = cfg.model
        cfg.model = cfg.tta_model
    if args.save_preds:
        dump = dict(
            type='DumpResults',
            out_file_path=osp.join(
                cfg.work_dir,
                f'{osp.splitext(osp.basename(args.checkpoint))[0]}'
                '_predictions.pkl'))
        evaluator = cfg.test_evaluator
        if isinstance(evaluator, (list, tuple)):
            cfg.test_evaluator = [*evaluator, dump]
        else:
            cfg.test_evaluator = [evaluator, dump]
    return cfg


def main(argv: Optional[Sequence[str]] = None) -> None:
    args = parse_args(argv)
    runner = build_runner(build_test_config(args))
    metrics = runner.test()
    if args.metrics_out:
        dump_json_atomic({
            k: float(v)
            for k, v in metrics.items()
        },
                         args.metrics_out,
                         indent=2)


if __name__ == '__main__':
    main()
