# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Shared steps of the benchmark scripts: train, evaluate, time, report."""
import glob
import json
import os
import os.path as osp
import resource
from typing import Dict, List, Optional

from mmocr_wecromcl.engine import ToolRunner

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
TOOLS = ToolRunner(ROOT)


def train(config: str, work_dir: str, iters: int, val_interval: int,
          options: List[str]) -> float:
    """Train ``config`` for ``iters`` iterations with a validation every
    ``val_interval`` (the F-against-time curve). Returns wall seconds."""
    return TOOLS.run(
        TOOLS.train_command(config, work_dir, iters, val_interval, [
            f'default_hooks.checkpoint.interval={iters}',
            'default_hooks.checkpoint.save_best=None'
        ] + options))


def flat_options(prefix: str, value) -> List[str]:
    """``--cfg-options`` strings that set the nested dict ``value`` at
    ``prefix``."""
    if isinstance(value, dict):
        return [
            opt for key, item in value.items()
            for opt in flat_options(f'{prefix}.{key}', item)
        ]
    if isinstance(value, (tuple, list)):
        value = '(' + ','.join(map(str, value)) + ')'
    return [f'{prefix}={value}']


def read_scalars(work_dir: str) -> List[dict]:
    """mmengine's ``vis_data/scalars.json`` lines of the latest run."""
    files = sorted(
        glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')))
    if not files:
        return []
    with open(files[-1]) as f:
        return [json.loads(line) for line in f if line.strip()]


def training_speed(scalars: List[dict], batch_size: int) -> float:
    """Training images/s from the logged iteration times (first 5 skipped
    as warm-up)."""
    times = [s['time'] for s in scalars if 'loss' in s and 'time' in s]
    times = times[5:] or times
    return batch_size / (sum(times) / len(times)) if times else 0.0


def curve(scalars: List[dict], key: str, seconds_per_iter: float) -> list:
    """``[iteration, minutes of training, value]`` of a validation metric."""
    return [[s['step'], s['step'] * seconds_per_iter / 60, s[key]]
            for s in scalars if key in s]


def evaluate(config: str, checkpoint: str, work_dir: str,
             options: List[str]) -> Dict[str, float]:
    """Test a checkpoint; returns its metrics and the images/s of the run."""
    out = osp.join(work_dir, 'test_metrics.json')
    seconds = TOOLS.run(
        TOOLS.test_command(config, checkpoint, work_dir, out, options))
    with open(out) as f:
        metrics = json.load(f)
    return dict(metrics=metrics, seconds=seconds)


def count_images(ann_file: str) -> int:
    with open(ann_file) as f:
        return len(json.load(f)['data_list'])


def peak_memory_mib() -> float:
    """Peak resident memory of the finished child processes (MiB)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def ensure_data(data_dir: str, num_train: int, num_test: int, preset: str,
                seed: int) -> None:
    """Generate the synthetic set unless it exists."""
    if not osp.exists(osp.join(data_dir, 'textspotting_train.json')):
        TOOLS.run(
            TOOLS.command('make_synthetic_dataset.py', [
                '--out-dir', data_dir, '--num-train', num_train, '--num-test',
                num_test, '--img-size', 256, '--preset', preset, '--seed',
                seed, '--workers', 2, '--overwrite'
            ]))


def write_report(report: dict, out: Optional[str]) -> None:
    """Print the report and write it as JSON."""
    text = json.dumps(report, indent=2)
    print(text)
    if out:
        os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
        with open(out, 'w') as f:
            f.write(text + '\n')
        print(f'written to {out}')
