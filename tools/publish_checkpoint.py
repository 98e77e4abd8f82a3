# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Strip a training checkpoint down to what inference and fine-tuning need.

Keeps the model weights (as float16 unless ``--fp32``) and the meta (the
config and mmengine's version info), drops the optimizer and message hub,
and with ``--drop`` the weights of modules the published model leaves out
(e.g. a training-only auxiliary head).

Example:
    python tools/publish_checkpoint.py work_dirs/x/iter_1500.pth \\
        mmocr_wecromcl/resources/srsts-a_small_synthetic_pretrained.pth
"""
import argparse
import os
import os.path as osp

import torch

import mmocr_wecromcl  # noqa: F401  (trusted-checkpoint loader)
from mmocr_wecromcl.engine import load_checkpoint_safely


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('checkpoint', help='Checkpoint written by training')
    parser.add_argument('out', help='Published checkpoint')
    parser.add_argument(
        '--fp32', action='store_true', help='Keep float32 weights')
    parser.add_argument(
        '--drop',
        nargs='+',
        default=[],
        metavar='PREFIX',
        help='Leave out the weights whose names start with a PREFIX')
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    ckpt = load_checkpoint_safely(args.checkpoint, map_location="cpu")
    state = {
        k: v
        for k, v in ckpt['state_dict'].items()
        if not k.startswith(tuple(args.drop))
    }
    if not args.fp32:
        state = {
            k: v.half() if v.is_floating_point() else v
            for k, v in state.items()
        }
    meta = {
        k: v
        for k, v in ckpt.get('meta', {}).items()
        if k in ('cfg', 'mmengine', 'iter', 'epoch', 'seed')
    }
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    torch.save(dict(state_dict=state, meta=meta), args.out)
    size = osp.getsize(args.out) / 2**20
    print(f'wrote {args.out} ({size:.1f} MiB, {len(state)} tensors)')


if __name__ == '__main__':
    main()
