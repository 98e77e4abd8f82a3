# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Training and prediction speed of the small configurations in float32
and in bfloat16 autocast (what ``--amp`` runs), on the same inputs.

For each stage it builds the config's model (random weights), loads one
training batch and one batch of test images of a generated set, then times
``--iters`` training steps (forward, backward, AdamW step, after one
warm-up step) and ``--iters`` predictions of the test batch, first in
float32, then under ``torch.autocast(dtype=torch.bfloat16)`` as
``BF16OptimWrapper`` and ``test_cfg.fp16`` apply it. Prints and writes
JSON: median seconds per training step and per predicted image, the
speed-up, and the first training losses of both precisions.

Example:
    python benchmarks/precision_speed.py --data-dir data/target \\
        --out work_dirs/benchmarks/precision_speed.json
"""
import argparse
import os.path as osp
import statistics
import sys
import time
from typing import Dict, List

import torch
from mmengine.config import Config
from mmengine.registry import FUNCTIONS
from mmocr.registry import DATASETS, MODELS

import mmocr_wecromcl

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from common import ROOT, ensure_data, write_report  # noqa: E402

CONFIGS = dict(
    stage1=osp.join(
        ROOT,
        'configs/wecromcl/wecromcl_resnet18_bifpn-small_3k_synthetic.py'),
    stage2=osp.join(
        ROOT, 'configs/srsts-a/'
        'srsts-a_resnet18_bifpn-small_3k_synthetic-gt-points.py'))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--data-dir', default='data/target')
    parser.add_argument(
        '--stages', nargs='+', default=list(CONFIGS), choices=list(CONFIGS))
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument('--test-batch-size', type=int, default=8)
    parser.add_argument('--iters', type=int, default=5)
    parser.add_argument(
        '--out', default='work_dirs/benchmarks/precision_speed.json')
    return parser.parse_args()


def load_batch(cfg: Config, loader: str, data_root: str, size: int) -> dict:
    """The first ``size`` samples of a dataloader's dataset, collated."""
    loader_cfg = cfg[loader]
    loader_cfg.dataset.data_root = data_root
    dataset = DATASETS.build(loader_cfg.dataset)
    collate = dict(loader_cfg.get('collate_fn', dict(type='pseudo_collate')))
    collate_fn = FUNCTIONS.get(collate.pop('type'))
    return collate_fn([dataset[i] for i in range(size)], **collate)


def time_stage(config: str, data_root: str, batch_size: int,
               test_batch_size: int, iters: int) -> Dict[str, dict]:
    """Seconds per training step and per predicted image, per precision."""
    cfg = Config.fromfile(config)
    train_batch = load_batch(cfg, 'train_dataloader', data_root, batch_size)
    test_batch = load_batch(cfg, 'test_dataloader', data_root, test_batch_size)
    results = {}
    for precision in ('float32', 'bfloat16'):
        torch.manual_seed(0)
        model = MODELS.build(cfg.model)
        optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
        autocast = torch.autocast(
            'cpu', dtype=torch.bfloat16, enabled=precision == 'bfloat16')
        steps: List[float] = []
        losses: List[float] = []
        model.train()
        for _ in range(iters + 1):
            start = time.perf_counter()
            data = model.data_preprocessor(train_batch, True)
            with autocast:
                parsed, _ = model.parse_losses(model(**data, mode='loss'))
            optimizer.zero_grad()
            parsed.backward()
            optimizer.step()
            steps.append(time.perf_counter() - start)
            losses.append(round(float(parsed), 4))
        model.eval()
        predictions: List[float] = []
        with torch.no_grad():
            for _ in range(iters + 1):
                start = time.perf_counter()
                data = model.data_preprocessor(test_batch, False)
                with autocast:
                    model(**data, mode='predict')
                predictions.append(
                    (time.perf_counter() - start) / test_batch_size)
        results[precision] = dict(
            seconds_per_train_step=statistics.median(steps[1:]),
            seconds_per_predicted_image=statistics.median(predictions[1:]),
            first_losses=losses[:3])
        print(precision, results[precision], flush=True)
    for key in ('seconds_per_train_step', 'seconds_per_predicted_image'):
        results[f'speedup_{key}'] = (
            results['float32'][key] / results['bfloat16'][key])
    return results


def main() -> None:
    args = parse_args()
    mmocr_wecromcl.register_all_modules(init_default_scope=True)
    ensure_data(args.data_dir, 2 * args.batch_size, args.test_batch_size,
                'target', 0)
    report = dict(
        threads=torch.get_num_threads(),
        batch_size=args.batch_size,
        test_batch_size=args.test_batch_size)
    for stage in args.stages:
        report[stage] = time_stage(CONFIGS[stage], args.data_dir,
                                   args.batch_size, args.test_batch_size,
                                   args.iters)
    write_report(report, args.out)


if __name__ == '__main__':
    main()
