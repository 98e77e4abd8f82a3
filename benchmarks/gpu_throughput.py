# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Training throughput of a WeCromCL configuration, and on CUDA a check of
mmcv's deformable-attention kernel against its PyTorch path.

On a CUDA device it first runs ``MultiScaleDeformableAttnFunction`` (mmcv's
CUDA kernel) and ``multi_scale_deformable_attn_pytorch`` on the same
float64 inputs and reports the largest differences of the outputs and of
the gradients. It then builds the configuration's model (the paper's by
default, its ImageNet initialisation skipped: nothing is downloaded),
generates a few synthetic images, and times training iterations of the
configuration's batch size on two fixed batches after 3 warm-up
iterations, once per precision: float32, and bfloat16 autocast as
``--amp`` trains (``BF16OptimWrapper``), each from the same initial
weights. Prints and writes JSON, per precision: seconds per iteration,
training images/s, peak GPU memory and the first and last loss.

Example:
    python benchmarks/gpu_throughput.py --out work_dirs/benchmarks/gpu.json
"""
import argparse
import copy
import os.path as osp
import sys
import time
from typing import Dict

import torch

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from common import ROOT, write_report  # noqa: E402

sys.path.insert(0, osp.join(ROOT, 'tools'))
import make_synthetic_dataset  # noqa: E402

CONFIG = osp.join(
    ROOT, 'configs/wecromcl/'
    'wecromcl_resnet50_bifpn-deform_1xb16-200k_synthtext.py')


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--config', default=CONFIG)
    parser.add_argument('--device', default='cuda')
    parser.add_argument('--iters', type=int, default=20)
    parser.add_argument(
        '--precisions',
        nargs='+',
        default=['fp32', 'bf16'],
        choices=['fp32', 'bf16'])
    parser.add_argument(
        '--batch-size',
        type=int,
        default=None,
        help="default: the config's train_dataloader.batch_size")
    parser.add_argument('--img-size', type=int, default=640)
    parser.add_argument('--data-dir', default='data/synthetic_gpu_benchmark')
    parser.add_argument('--out', default='work_dirs/benchmarks/gpu.json')
    return parser.parse_args()


def deformable_attention_agreement(device: str) -> Dict:
    """Largest differences between mmcv's kernel and its PyTorch path.

    Returns:
        dict: ``forward`` and ``grad_{value,locations,weights}`` maxima of
        the absolute differences, in float64.
    """
    from mmcv.ops.multi_scale_deform_attn import (
        MultiScaleDeformableAttnFunction, multi_scale_deformable_attn_pytorch)
    torch.manual_seed(0)
    batch, heads, dims, levels, points, queries = 2, 8, 24, 2, 4, 500
    shapes = torch.tensor([[80, 80], [40, 40]], device=device)
    starts = torch.cat([shapes.new_zeros(1), shapes.prod(1).cumsum(0)[:-1]])
    kw = dict(device=device, dtype=torch.float64)
    value = torch.randn(batch, int(shapes.prod(1).sum()), heads, dims, **kw)
    locations = torch.rand(batch, queries, heads, levels, points, 2, **kw)
    weights = torch.rand(batch, queries, heads, levels, points, **kw)
    weights = weights / weights.sum((-1, -2), keepdim=True)
    inputs = [t.requires_grad_(True) for t in (value, locations, weights)]
    kernel = MultiScaleDeformableAttnFunction.apply(inputs[0], shapes, starts,
                                                    inputs[1], inputs[2], 64)
    reference = multi_scale_deformable_attn_pytorch(inputs[0], shapes,
                                                    inputs[1], inputs[2])
    grads_kernel = torch.autograd.grad(kernel.sum(), inputs)
    grads_reference = torch.autograd.grad(reference.sum(), inputs)
    result = dict(forward=(kernel - reference).abs().max().item())
    for name, a, b in zip(('value', 'locations', 'weights'), grads_kernel,
                          grads_reference):
        result[f'grad_{name}'] = (a - b).abs().max().item()
    return result


def main():
    args = parse_args()
    if args.device.startswith('cuda') and not torch.cuda.is_available():
        raise RuntimeError('no CUDA device: run on a GPU machine, or pass '
                           '--device cpu to time the PyTorch path')
    from mmengine.config import Config
    from mmengine.optim import OptimWrapper
    from mmengine.registry import init_default_scope
    from mmengine.runner import set_random_seed
    from mmocr.registry import DATASETS, MODELS

    from mmocr_wecromcl.datasets import transcription_collate
    from mmocr_wecromcl.engine import BF16OptimWrapper
    report = dict(
        benchmark='wecromcl_training_throughput', settings=vars(args))
    if args.device.startswith('cuda'):
        report['deformable_attention_max_abs_diff'] = (
            deformable_attention_agreement(args.device))

    cfg = Config.fromfile(args.config)
    init_default_scope('mmocr')
    cfg.model.image_encoder.backbone.init_cfg = None  # no download
    batch_size = args.batch_size or cfg.train_dataloader.batch_size
    data_dir = osp.abspath(args.data_dir)
    if not osp.exists(osp.join(data_dir, 'textspotting_train.json')):
        make_synthetic_dataset.main([
            '--out-dir', data_dir, '--num-train',
            str(2 * batch_size), '--num-test', '1', '--img-size',
            str(args.img_size), '--preset', 'default', '--seed', '0',
            '--no-progress', '--overwrite'
        ])
    dataset_cfg = cfg.train_dataloader.dataset
    dataset_cfg.data_root = data_dir
    dataset_cfg.ann_file = 'textspotting_train.json'
    dataset = DATASETS.build(dataset_cfg)
    set_random_seed(0)  # the pipeline's random crops and the weights
    samples = [dataset[i] for i in range(2 * batch_size)]
    model = MODELS.build(cfg.model).to(args.device)
    model.init_weights()
    model.train()
    initial = copy.deepcopy(model.state_dict())
    cuda = args.device.startswith('cuda')
    report.update(
        device=(torch.cuda.get_device_name() if cuda else 'cpu'),
        batch_size=batch_size,
        image_encoder_params_m=sum(p.numel()
                                   for p in model.image_encoder.parameters()) /
        1e6,
        text_encoder_params_m=sum(p.numel()
                                  for p in model.text_encoder.parameters()) /
        1e6)
    for precision in args.precisions:
        model.load_state_dict(initial)
        wrapper_type = BF16OptimWrapper if precision == 'bf16' \
            else OptimWrapper
        optim_wrapper = wrapper_type(
            optimizer=torch.optim.SGD(
                model.parameters(), lr=1e-3, momentum=0.9, weight_decay=1e-4))

        def step(k: int) -> float:
            half = (k % 2) * batch_size
            data = model.data_preprocessor(
                transcription_collate(samples[half:half + batch_size]), True)
            with optim_wrapper.optim_context(model):
                losses = model(**data, mode='loss')
            loss = sum(v for n, v in losses.items() if n.startswith('loss'))
            optim_wrapper.update_params(loss)
            return loss.item()

        for k in range(3):
            step(k)
        if cuda:
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
        start = time.time()
        losses = [step(k) for k in range(args.iters)]
        if cuda:
            torch.cuda.synchronize()
        seconds = time.time() - start
        report[precision] = dict(
            seconds_per_iter=seconds / args.iters,
            train_images_per_s=batch_size * args.iters / seconds,
            peak_gpu_memory_gib=(torch.cuda.max_memory_allocated() /
                                 2**30 if cuda else None),
            loss_first_last=[losses[0], losses[-1]])
        print(precision, report[precision], flush=True)
    if {'fp32', 'bf16'} <= set(report):
        report['bf16_speedup'] = (
            report['bf16']['train_images_per_s'] /
            report['fp32']['train_images_per_s'])
    write_report(report, args.out)


if __name__ == '__main__':
    main()
