# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Training and pseudo-labelling speed, memory and achieved FLOP rate.

Each case runs in a fresh process (so that its peak memory is its own):
it builds a config's model with random weights, packs a batch of
generated images through the config's own pipeline (images resized to the
case's size), then times ``--iters`` training steps (forward, backward,
AdamW step; after one warm-up step) or ``--iters`` passes of
pseudo-labelling (``WeCromCL.predict`` with the image's words as queries,
no gradient), in float32 and in bfloat16 autocast (what ``--amp`` runs).
It reports the median seconds per image, the peak resident memory of the
process, the minor page faults per step, the FLOPs of one step counted by
``torch.utils.flop_counter`` and the rate they were done at, against the
matrix-product peak of this machine measured the same way (a 2048 x 2048
product, float32 and bfloat16).

First, one deformable attention layer alone: mmcv's module (its PyTorch
path) against this package's (its compiled CPU kernel), forward and
backward at the size of the paper training case's layers. Then the cases
(``--cases``; default all):

- ``small-stage1-train``, ``small-stage2-train``: the small
  configurations as the main job trains them (batch 16, 192 x 192,
  16 mined negatives per image in stage 1);
- ``small-stage1-label``: the small WeCromCL labelling the target images
  (192 x 192, the image's own words, one image at a time);
- ``paper-stage1-train``: the paper WeCromCL configuration, batch 4 at
  384 x 384, 16 negatives per image;
- ``paper-stage1-label``: the paper WeCromCL labelling at 640 x 640 with
  8 words per image, one image at a time.

The paper cases run with both image-encoder wirings (``--wirings``): the
modules' defaults and the authors' (``authors_wiring`` of
``configs/_base_/models/shared.py``, which the paper configuration uses).

Example:
    python benchmarks/speed.py --out work_dirs/benchmarks/speed.json
"""
import argparse
import copy
import json
import os
import os.path as osp
import statistics
import subprocess
import sys
import time
from typing import Dict, List, Optional, Tuple

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from common import ROOT, write_report  # noqa: E402

SMALL_STAGE1 = ('configs/wecromcl/'
                'wecromcl_resnet18_bifpn-deform_1xb16-3k_synthetic.py')
SMALL_STAGE2 = (
    'configs/srsts-a/'
    'srsts-a_resnet18_bifpn-deform_1xb16-3k_synthetic-gt-points.py')
PAPER_STAGE1 = ('configs/wecromcl/'
                'wecromcl_resnet50_bifpn-deform_1xb16-200k_synthtext.py')

# name: (config, mode, batch size, image size or None for the config's own,
#        words per image or None for the image's own, paper configuration)
CASES: Dict[str, Tuple[str, str, int, Optional[int], Optional[int], bool]] = {
    'small-stage1-train': (SMALL_STAGE1, 'train', 16, None, None, False),
    'small-stage2-train': (SMALL_STAGE2, 'train', 16, None, None, False),
    'small-stage1-label': (SMALL_STAGE1, 'label', 1, None, None, False),
    'paper-stage1-train': (PAPER_STAGE1, 'train', 4, 384, None, True),
    'paper-stage1-label': (PAPER_STAGE1, 'label', 1, 640, 8, True),
}
PRECISIONS = ('float32', 'bfloat16')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--data-dir', default='data/target')
    parser.add_argument(
        '--cases', nargs='+', default=list(CASES), choices=list(CASES))
    parser.add_argument(
        '--precisions',
        nargs='+',
        default=list(PRECISIONS),
        choices=PRECISIONS)
    parser.add_argument(
        '--wirings',
        nargs='+',
        default=['default', 'authors'],
        choices=['default', 'authors'],
        help='image-encoder wirings of the paper cases')
    parser.add_argument('--iters', type=int, default=3)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--out', default='work_dirs/benchmarks/speed.json')
    parser.add_argument('--one', help=argparse.SUPPRESS)
    return parser.parse_args()


def resized_pipeline(pipeline: list, size: Optional[int]) -> list:
    """``pipeline`` with every ``Resize`` to a fixed ``size`` x ``size``."""
    pipeline = copy.deepcopy(pipeline)
    if size is not None:
        for step in pipeline:
            if step['type'] in ('Resize', 'RandomChoiceResize'):
                step.clear()
                step.update(
                    type='Resize', scale=(size, size), keep_ratio=False)
    return pipeline


def label_pipeline(size: Optional[int], default_size: Tuple[int, int]):
    """Load, resize and pack an image with its words, nothing else."""
    from mmcv.transforms import Compose
    return Compose([
        dict(type='LoadImageFromFile'),
        dict(
            type='Resize',
            scale=(size, size) if size else tuple(default_size),
            keep_ratio=False),
        dict(type='LoadOCRAnnotations', with_text=True),
        dict(type='PackTranscriptionInputs'),
    ])


def label_entries(ann_file: str, count: int,
                  words: Optional[int]) -> List[dict]:
    """The first ``count`` entries; with ``words``, each queries that many
    distinct words (its own first, then those of the next images)."""
    with open(ann_file) as f:
        data_list = json.load(f)['data_list']
    entries = []
    for i in range(count):
        entry = dict(data_list[i % len(data_list)])
        if words:
            texts: List[str] = []
            j = i
            while len(texts) < words:
                for inst in data_list[j % len(data_list)]['instances']:
                    if inst['text'] not in texts and len(texts) < words:
                        texts.append(inst['text'])
                j += 1
            entry['instances'] = [dict(text=t) for t in texts]
        entries.append(entry)
    return entries


def count_flops(fn) -> float:
    """FLOPs of one call of ``fn``, as ``torch.utils.flop_counter`` counts
    them (matrix products and convolutions)."""
    from torch.utils.flop_counter import FlopCounterMode
    with FlopCounterMode(display=False) as counter:
        fn()
    return float(counter.get_total_flops())


def matmul_peak(precision: str, iters: int = 10) -> float:
    """GFLOP/s of a 2048 x 2048 matrix product in ``precision``."""
    import torch
    dtype = getattr(torch, precision)
    a = torch.randn(2048, 2048).to(dtype)
    b = torch.randn(2048, 2048).to(dtype)
    a @ b
    start = time.perf_counter()
    for _ in range(iters):
        a @ b
    return 2 * 2048**3 * iters / (time.perf_counter() - start) / 1e9


def deformable_attention(iters: int) -> Dict[str, dict]:
    """Seconds of one forward and one backward of a multi-scale deformable
    attention layer at the size of the paper training case's (batch 4,
    levels 96 x 96 and 48 x 48, every token a query, width 192, 8 heads,
    4 points per level): mmcv's module (its PyTorch path) against
    :class:`FusedMultiScaleDeformableAttention` (the compiled kernel), the
    same weights, in float32 and in bfloat16 autocast (median of
    ``iters``)."""
    import torch
    from mmcv.ops import MultiScaleDeformableAttention

    from mmocr_wecromcl.ops import FusedMultiScaleDeformableAttention
    torch.manual_seed(0)
    shapes = torch.tensor([[96, 96], [48, 48]])
    starts = torch.tensor([0, 96 * 96])
    centres = []
    for height, width in shapes.tolist():
        ys, xs = torch.meshgrid(
            (torch.arange(height) + 0.5) / height,
            (torch.arange(width) + 0.5) / width,
            indexing='ij')
        centres.append(torch.stack([xs.flatten(), ys.flatten()], -1))
    queries = torch.cat(centres)
    config = dict(
        embed_dims=192,
        num_heads=8,
        num_levels=2,
        num_points=4,
        batch_first=True)
    fused = FusedMultiScaleDeformableAttention(**config)
    mmcv_module = MultiScaleDeformableAttention(**config)
    mmcv_module.load_state_dict(fused.state_dict())
    query = torch.randn(4, len(queries), 192, requires_grad=True)
    kwargs = dict(
        query=query,
        reference_points=queries[None, :, None].expand(4, -1, 2, -1),
        spatial_shapes=shapes,
        level_start_index=starts)
    results = {}
    for precision in PRECISIONS:
        autocast = torch.autocast(
            'cpu', dtype=torch.bfloat16, enabled=precision == 'bfloat16')
        for name, module in (('mmcv_pytorch', mmcv_module), ('compiled',
                                                             fused)):
            forward, backward = [], []
            for _ in range(iters + 1):
                start = time.perf_counter()
                with autocast:
                    out = module(**kwargs)
                middle = time.perf_counter()
                out.backward(torch.ones_like(out))
                forward.append(middle - start)
                backward.append(time.perf_counter() - middle)
            results[f'{name}_{precision}'] = dict(
                forward_s=statistics.median(forward[1:]),
                backward_s=statistics.median(backward[1:]))
    return results


def run_case(name: str, precision: str, wiring: str, data_dir: str,
             iters: int) -> dict:
    """Time one case in this process (see the module docstring)."""
    import resource

    import torch
    from mmengine.config import Config
    from mmengine.dataset import pseudo_collate
    from mmengine.registry import FUNCTIONS
    from mmocr.registry import DATASETS, MODELS

    import mmocr_wecromcl
    mmocr_wecromcl.register_all_modules(init_default_scope=True)
    config, mode, batch_size, size, words, paper = CASES[name]
    cfg = Config.fromfile(osp.join(ROOT, config))
    if paper:
        # Random weights: no ImageNet download.
        cfg.model.image_encoder.backbone.init_cfg = None
        # the configuration's wiring options removed, then the chosen ones
        shared = Config.fromfile(
            osp.join(ROOT, 'configs/_base_/models/shared.py'))
        for part, options in shared.authors_wiring.items():
            for key in options:
                cfg.model.image_encoder[part].pop(key, None)
            if wiring == 'authors':
                cfg.model.image_encoder[part].update(options)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    autocast = torch.autocast(
        'cpu', dtype=torch.bfloat16, enabled=precision == 'bfloat16')
    if mode == 'train':
        small = Config.fromfile(osp.join(ROOT, SMALL_STAGE1))
        dataset_cfg = copy.deepcopy(small.train_dataloader.dataset)
        if config == SMALL_STAGE2:
            dataset_cfg = copy.deepcopy(cfg.train_dataloader.dataset)
        dataset_cfg.update(
            data_root=data_dir,
            pipeline=resized_pipeline(cfg.train_dataloader.dataset.pipeline,
                                      size))
        dataset = DATASETS.build(dataset_cfg)
        collate = dict(
            cfg.train_dataloader.get('collate_fn',
                                     dict(type='pseudo_collate')))
        batch = FUNCTIONS.get(collate.pop('type'))(
            [dataset[i] for i in range(batch_size)], **collate)
        optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
        model.train()

        def step():
            data = model.data_preprocessor(batch, True)
            with autocast:
                loss, _ = model.parse_losses(model(**data, mode='loss'))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    else:
        small = Config.fromfile(osp.join(ROOT, SMALL_STAGE1))
        pipeline = label_pipeline(size, small.small_img_scale)
        entries = label_entries(
            osp.join(data_dir, 'textspotting_test.json'), batch_size, words)
        batch = pseudo_collate([
            pipeline(
                dict(
                    img_path=osp.join(data_dir, e['img_path']),
                    instances=e['instances'],
                    sample_idx=i)) for i, e in enumerate(entries)
        ])
        model.eval()

        def step():
            with torch.no_grad(), autocast:
                model(**model.data_preprocessor(batch, False), mode='predict')

    step()  # warm-up
    flops = count_flops(step)
    seconds, faults = [], []
    for _ in range(iters):
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        start = time.perf_counter()
        step()
        seconds.append(time.perf_counter() - start)
        faults.append(
            resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
    median = statistics.median(seconds)
    return dict(
        case=name,
        precision=precision,
        wiring=wiring if paper else 'default',
        batch_size=batch_size,
        image_size=size or 'config',
        words_per_image=words or 'own',
        seconds_per_step=[round(s, 3) for s in seconds],
        seconds_per_image=median / batch_size,
        spread=(max(seconds) - min(seconds)) / median,
        gflop_per_image=flops / batch_size / 1e9,
        achieved_gflop_per_s=flops / median / 1e9,
        minor_page_faults_per_step=statistics.median(faults),
        peak_memory_gib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss /
        2**20)


def run_child(args: argparse.Namespace, case: dict) -> dict:
    """Run one case in a fresh process; returns its result."""
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads))
    proc = subprocess.run(
        [sys.executable, __file__, '--one',
         json.dumps(case)],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def table(results: List[dict], peaks: Dict[str, float]) -> str:
    """The results as a Markdown table."""
    lines = [
        '| case | wiring | precision | s / image | spread | peak memory '
        '(GiB) | GFLOP / image | GFLOP/s | share of the matmul peak | '
        'page faults / step |', '| --- ' * 10 + '|'
    ]
    for r in results:
        lines.append(
            f"| {r['case']} | {r['wiring']} | {r['precision']} | "
            f"{r['seconds_per_image']:.3f} | {100 * r['spread']:.0f} % | "
            f"{r['peak_memory_gib']:.2f} | {r['gflop_per_image']:.1f} | "
            f"{r['achieved_gflop_per_s']:.0f} | "
            f"{100 * r['achieved_gflop_per_s'] / peaks[r['precision']]:.0f} %"
            f" | {r['minor_page_faults_per_step']:.0f} |")
    return '\n'.join(lines)


def main() -> None:
    args = parse_args()
    if args.one:
        import torch
        case = json.loads(args.one)
        torch.set_num_threads(case.pop('threads'))
        if case['name'] == 'matmul':
            print(json.dumps({p: matmul_peak(p) for p in PRECISIONS}))
        elif case['name'] == 'deformable_attention':
            print(json.dumps(deformable_attention(case['iters'])))
        else:
            print(json.dumps(run_case(**case)))
        return
    data_dir = osp.abspath(args.data_dir)
    if not osp.exists(osp.join(data_dir, 'textspotting_train.json')):
        raise SystemExit(f'{data_dir} has no generated images: run '
                         'tools/make_synthetic_dataset.py --preset target '
                         f'--out-dir {args.data_dir} first')
    peaks = run_child(args, dict(name='matmul', threads=args.threads))
    print('matmul peak GFLOP/s:', peaks, flush=True)
    kernel = run_child(
        args,
        dict(
            name='deformable_attention',
            iters=args.iters,
            threads=args.threads))
    print('deformable attention:', kernel, flush=True)
    results = []
    for name in args.cases:
        wirings = args.wirings if CASES[name][5] else ['default']
        for wiring in wirings:
            for precision in args.precisions:
                result = run_child(
                    args,
                    dict(
                        name=name,
                        precision=precision,
                        wiring=wiring,
                        data_dir=data_dir,
                        iters=args.iters,
                        threads=args.threads))
                print(json.dumps(result), flush=True)
                results.append(result)
    report = dict(
        threads=args.threads,
        iters=args.iters,
        matmul_peak_gflop_per_s=peaks,
        deformable_attention=kernel,
        results=results)
    write_report(report, args.out)
    print(table(results, peaks))


if __name__ == '__main__':
    main()
