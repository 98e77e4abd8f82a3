# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Config handling shared by ``tools/train.py`` and ``tools/test.py``."""
import argparse
import os
import os.path as osp
from typing import Optional, Sequence

from mmengine.config import Config, DictAction
from mmengine.registry import RUNNERS
from mmengine.runner import Runner

from .distributed import setup_cpu_distributed


def add_common_args(parser: argparse.ArgumentParser) -> None:
    """Add the arguments MMOCR's train and test tools share."""
    parser.add_argument(
        '--work-dir', help='Directory for logs, checkpoints and results.')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='Override config entries, as key=value pairs '
        '(e.g. train_cfg.max_iters=100 "model.text_encoder.num_layers=2").')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='Job launcher (pytorch for tools/dist_*.sh).')
    # torch.distributed launchers pass --local-rank (torch >= 2.0) or
    # --local_rank (older); both are accepted.
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)


def load_config(config: str,
                work_dir: Optional[str] = None,
                cfg_options: Optional[dict] = None,
                launcher: str = 'none') -> Config:
    """Load a config and apply the command-line overrides.

    ``work_dir`` is taken from the command line, else the config, else
    ``./work_dirs/<config name>`` as in MMOCR.
    """
    cfg = Config.fromfile(config)
    cfg.launcher = launcher
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(config))[0])
    return cfg


def build_runner(cfg: Config) -> Runner:
    """Build the runner (``runner_type`` from the registry if given).

    Distributed runs on CPU-only machines get a gloo process group first.
    """
    setup_cpu_distributed(cfg)
    if 'runner_type' in cfg:
        return RUNNERS.build(cfg)
    return Runner.from_cfg(cfg)


def parse(parser: argparse.ArgumentParser,
          argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """Parse ``argv`` and export ``LOCAL_RANK``."""
    args = parser.parse_args(argv)
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args
