# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Quality of the image encoder's two wirings at the same budget.

The BiFPN and the level fusion are wired either as the modules' defaults
(3x3 conv-BN-ReLU fusion nodes, levels resized then projected) or as the
authors' stage-1 code wires them (``authors_wiring`` of
``configs/_base_/models/shared.py``). No shipped checkpoint has the
authors' wiring, so both start alike: from the shipped SRSTS-A checkpoint
with the BiFPN and the level fusion left out (freshly initialised), the
rest of the model pretrained. Each trains the small SRSTS-A on the GT
points of the target training images for ``--iters`` iterations (the main
job's row (c) recipe) and is scored end to end on the validation images
(no lexicon). Prints and writes JSON: F, P, R and the training minutes of
each wiring.

Example:
    python benchmarks/wiring_quality.py --amp \\
        --out work_dirs/benchmarks/wiring_quality.json
"""
import argparse
import os
import os.path as osp
import sys

import torch
from mmengine.config import Config
from mmengine.runner import CheckpointLoader

import mmocr_wecromcl  # noqa: F401  (the checkpoint loader)
from mmocr_wecromcl.utils import pretrained_checkpoint

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from common import (ROOT, evaluate, flat_options, read_scalars, train,
                    training_speed, write_report)

CONFIG = osp.join(
    ROOT, 'configs/srsts-a/'
    'srsts-a_resnet18_bifpn-deform_1xb16-3k_synthetic-gt-points.py')
RESET = ('image_encoder.neck.', 'image_encoder.fusion.')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--data-dir', default='data/target')
    parser.add_argument('--iters', type=int, default=400)
    parser.add_argument('--lr', type=float, default=5e-4)
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument(
        '--amp', action='store_true', help='Train in bfloat16 autocast')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--work-dir', default='work_dirs/benchmarks/wiring_quality')
    parser.add_argument(
        '--out', default='work_dirs/benchmarks/wiring_quality.json')
    return parser.parse_args()


def initial_checkpoint(work_dir: str) -> str:
    """The shipped SRSTS-A without its BiFPN and level-fusion weights."""
    path = osp.join(work_dir, 'srsts-a_without_neck_and_fusion.pth')
    if not osp.exists(path):
        state = CheckpointLoader.load_checkpoint(
            pretrained_checkpoint('srsts_a'), map_location='cpu')
        weights = {
            key: value
            for key, value in state['state_dict'].items()
            if not key.startswith(RESET)
        }
        os.makedirs(work_dir, exist_ok=True)
        torch.save(dict(state_dict=weights), path)
    return path


def main() -> None:
    args = parse_args()
    data_dir = osp.abspath(args.data_dir)
    if not osp.exists(osp.join(data_dir, 'textspotting_val.json')):
        raise SystemExit(f'{data_dir} has no validation split: run '
                         'tools/main_job.py (or tools/make_synthetic_dataset'
                         '.py --preset target --num-val 100) first')
    data_opts = [
        f'train_dataloader.dataset.data_root={data_dir}',
        f'val_dataloader.dataset.data_root={data_dir}',
        f'test_dataloader.dataset.data_root={data_dir}',
        'val_dataloader.dataset.ann_file=textspotting_val.json',
        'test_dataloader.dataset.ann_file=textspotting_val.json'
    ]
    init = initial_checkpoint(args.work_dir)
    authors = Config.fromfile(
        osp.join(ROOT, 'configs/_base_/models/shared.py')).authors_wiring
    report = dict(
        benchmark='image_encoder_wiring_quality', settings=vars(args))
    for wiring in ('default', 'authors'):
        work_dir = osp.join(args.work_dir, wiring)
        model_opts = flat_options('model.image_encoder',
                                  authors.to_dict()) if wiring == 'authors' \
            else []
        opts = data_opts + model_opts + [
            f'load_from={init}', f'optim_wrapper.optimizer.lr={args.lr}',
            f'train_dataloader.batch_size={args.batch_size}',
            f'randomness.seed={args.seed}'
        ]
        if args.amp:
            opts.append('optim_wrapper.type=BF16OptimWrapper')
        seconds = train(CONFIG, work_dir, args.iters, args.iters, opts)
        val = evaluate(CONFIG, osp.join(work_dir, f'iter_{args.iters}.pth'),
                       work_dir, data_opts + model_opts)
        report[wiring] = dict(
            train_minutes=seconds / 60,
            train_images_per_s=training_speed(
                read_scalars(work_dir), args.batch_size),
            val=val['metrics'])
    write_report(report, args.out)


if __name__ == '__main__':
    main()
