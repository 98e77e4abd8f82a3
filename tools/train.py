# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Train a model of mmocr_wecromcl (or any MMOCR model) from a config.

Same arguments as MMOCR's ``tools/train.py``; the plugin is imported first,
so its modules are registered and ``--resume`` / ``load_from`` work with
torch >= 2.6.
"""
import argparse
import logging
from typing import Optional, Sequence

from mmengine.config import Config
from mmengine.logging import print_log

import mmocr_wecromcl  # noqa: F401  (registers the plugin's modules)
from mmocr_wecromcl.apis.inference import check_checkpoint
from mmocr_wecromcl.engine import (LOAD_FROM_HINT, add_common_args,
                                   build_runner, load_config)
from mmocr_wecromcl.engine import parse as parse_cli


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Train a model')
    parser.add_argument('config', help='Train config file path')
    parser.add_argument(
        '--resume',
        nargs='?',
        const='auto',
        default=None,
        help='Resume from the latest checkpoint in the work dir, or from the '
        'checkpoint path given.')
    parser.add_argument(
        '--amp',
        action='store_true',
        help='Train (and validate) in bfloat16 autocast on the CPU or GPU '
        '(BF16OptimWrapper)')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='Scale the learning rate by the actual batch size over '
        '`auto_scale_lr.base_batch_size` of the config.')
    add_common_args(parser)
    return parse_cli(parser, argv)


def build_train_config(args: argparse.Namespace) -> Config:
    """The config of a training run with the command-line options applied."""
    cfg = load_config(args.config, args.work_dir, args.cfg_options,
                      args.launcher)
    if args.amp:
        wrapper = cfg.optim_wrapper.get('type', 'OptimWrapper')
        if wrapper in ('AmpOptimWrapper', 'BF16OptimWrapper'):
            print_log(
                f'Mixed precision is already enabled in the config '
                f'({wrapper}).',
                logger='current',
                level=logging.WARNING)
        elif wrapper != 'OptimWrapper':
            raise ValueError('--amp needs optim_wrapper.type OptimWrapper, '
                             f'got {wrapper}')
        else:
            # bfloat16 autocast on the model's device, CPU or GPU
            cfg.optim_wrapper.type = 'BF16OptimWrapper'
            cfg.setdefault('val_cfg', {})['fp16'] = True
            cfg.setdefault('test_cfg', {})['fp16'] = True
    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif args.resume is not None:
        cfg.resume = True
        cfg.load_from = args.resume
    if not cfg.get('resume'):
        try:
            check_checkpoint(cfg.get('load_from'))
        except FileNotFoundError as e:
            raise FileNotFoundError(
                f'load_from {e}; {LOAD_FROM_HINT}') from None
    if args.auto_scale_lr:
        if 'base_batch_size' not in cfg.get('auto_scale_lr', {}):
            raise RuntimeError('--auto-scale-lr needs auto_scale_lr.'
                               'base_batch_size in the config.')
        cfg.auto_scale_lr.enable = True
    return cfg


def main(argv: Optional[Sequence[str]] = None) -> None:
    args = parse_args(argv)
    runner = build_runner(build_train_config(args))
    runner.train()


if __name__ == '__main__':
    main()
