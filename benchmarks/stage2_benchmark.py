# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Stage-2 benchmark: SRSTS-A small configuration on synthetic images.

Runs on the ``easy`` set: 1,000 training + 100 test images of the ``easy``
preset (``source`` fonts), 256 px, seed 0, in ``data/synthetic_default``
(``--data-dir``), generated if missing. Trains the same configuration
twice, (a) on WeCromCL pseudo points of the training images and (b) on GT
centre points, and prints and writes JSON with end-to-end P/R/F on the
test images (no lexicon), the gap between the two, training images/s,
inference images/s and peak memory.

The pseudo points of (a) are read from ``--pseudo-ann`` in the data folder
and are not written by this script (nor by ``tools/main_job.py``, which
runs on the ``target`` set). By default it is
``textspotting_train_pseudo_refined.json``: the points that
``tools/generate_pseudo_labels.py`` writes for that set's training images
from a WeCromCL fine-tuned on their transcriptions, re-centred by
``tools/recenter_pseudo_labels.py`` and refined by
``tools/refine_pseudo_labels.py``; ``--pseudo-ann
textspotting_train_pseudo.json`` trains on the WeCromCL points themselves.
``--only gt_points`` needs no pseudo-label file.

Example (stage 1 fine-tuned from the shipped WeCromCL, 450 iterations,
image encoder frozen and cached, then the three labelling tools):
    python benchmarks/stage1_benchmark.py --iters 450
    D=data/synthetic_default R=mmocr_wecromcl/resources
    S1=configs/wecromcl/wecromcl_resnet18_bifpn-deform_1xb16-3k_synthetic.py
    S2=configs/srsts-a/srsts-a_resnet18_bifpn-deform_1xb16-3k_synthetic
    python tools/generate_pseudo_labels.py $S1 \\
        work_dirs/benchmarks/stage1/iter_450.pth \\
        --ann-file $D/textspotting_train.json \\
        --out $D/textspotting_train_pseudo.json
    python tools/recenter_pseudo_labels.py $S2-pseudo-points.py \\
        $R/srsts-a_small_synthetic_along-word_pretrained.pth \\
        --ann-file $D/textspotting_train_pseudo.json \\
        --out $D/textspotting_train_pseudo_recentred.json
    python tools/refine_pseudo_labels.py $S2-pseudo-points.py \\
        $R/srsts-a_small_synthetic_pretrained.pth \\
        --ann-file $D/textspotting_train_pseudo_recentred.json \\
        --out $D/textspotting_train_pseudo_refined.json
    python benchmarks/stage2_benchmark.py --iters 200 --out \\
        work_dirs/benchmarks/stage2.json
"""
import argparse
import os.path as osp
import sys

from mmocr_wecromcl.utils import pretrained_checkpoint

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from common import evaluate  # noqa: F401
from common import (ROOT, count_images, curve, ensure_data, peak_memory_mib,
                    read_scalars, train, training_speed, write_report)

CONFIGS = dict(
    pseudo_points=osp.join(
        ROOT, 'configs/srsts-a/'
        'srsts-a_resnet18_bifpn-deform_1xb16-3k_synthetic-pseudo-points.py'),
    gt_points=osp.join(
        ROOT, 'configs/srsts-a/'
        'srsts-a_resnet18_bifpn-deform_1xb16-3k_synthetic-gt-points.py'))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--data-dir', default='data/synthetic_default')
    parser.add_argument('--iters', type=int, default=200)
    parser.add_argument(
        '--lr',
        type=float,
        default=2e-4,
        help='Learning rate with --init pretrained (the fine-tuning of '
        'the easy-set recipe, docs/benchmarks.md); from scratch the '
        'config\'s')
    parser.add_argument('--val-interval', type=int, default=100)
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument(
        '--init', choices=['pretrained', 'scratch'], default='pretrained')
    parser.add_argument(
        '--pseudo-ann',
        default='textspotting_train_pseudo_refined.json',
        help='Pseudo-label file of variant (a), in --data-dir')
    parser.add_argument(
        '--only', choices=list(CONFIGS), help='Train one variant only')
    parser.add_argument('--work-dir', default='work_dirs/benchmarks/stage2')
    parser.add_argument('--out', default='work_dirs/benchmarks/stage2.json')
    return parser.parse_args()


def main():
    args = parse_args()
    data_dir = osp.abspath(args.data_dir)
    ensure_data(data_dir, 1000, 100, 'easy', 0)
    if args.only != 'gt_points' and not osp.exists(
            osp.join(data_dir, args.pseudo_ann)):
        sys.exit(f'{data_dir}/{args.pseudo_ann} is missing: write it with '
                 'tools/generate_pseudo_labels.py, '
                 'tools/recenter_pseudo_labels.py and '
                 'tools/refine_pseudo_labels.py first (commands in '
                 'benchmarks/stage2_benchmark.py\'s docstring)')
    data_opts = [
        f'train_dataloader.dataset.data_root={data_dir}',
        f'val_dataloader.dataset.data_root={data_dir}',
        f'test_dataloader.dataset.data_root={data_dir}'
    ]
    num_test = count_images(osp.join(data_dir, 'textspotting_test.json'))
    report = dict(
        benchmark='stage2_srsts-a_small_synthetic', settings=vars(args))
    for name, config in CONFIGS.items():
        if args.only and name != args.only:
            continue
        work_dir = osp.join(args.work_dir, name)
        opts = data_opts + [f'train_dataloader.batch_size={args.batch_size}']
        if name == 'pseudo_points':
            opts.append(f'train_dataloader.dataset.ann_file={args.pseudo_ann}')
        if args.init == 'pretrained':
            opts += [
                'load_from=' + pretrained_checkpoint('srsts_a'),
                f'optim_wrapper.optimizer.lr={args.lr}'
            ]
        seconds = train(config, work_dir, args.iters, args.val_interval, opts)
        scalars = read_scalars(work_dir)
        speed = training_speed(scalars, args.batch_size)
        test = evaluate(config, osp.join(work_dir, f'iter_{args.iters}.pth'),
                        work_dir, data_opts)
        report[name] = dict(
            train_wall_minutes=seconds / 60,
            train_images_per_s=speed,
            test=test['metrics'],
            inference_images_per_s=num_test / test['seconds'],
            f_curve=curve(scalars, 'none/hmean',
                          args.batch_size / max(speed, 1e-9)))
    if 'pseudo_points' in report and 'gt_points' in report:
        report['gap_f_points'] = 100 * (
            report['gt_points']['test']['none/hmean'] -
            report['pseudo_points']['test']['none/hmean'])
    report['peak_memory_mib'] = peak_memory_mib()
    report['targets'] = dict(pseudo_hmean=0.80, max_gap_f_points=3.0)
    write_report(report, args.out)


if __name__ == '__main__':
    main()
