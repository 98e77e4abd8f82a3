# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Stage-2 benchmark: SRSTS-A small configuration on synthetic images.

Trains the same configuration twice, (a) on WeCromCL pseudo points of the
training images (by default ``textspotting_train_pseudo_refined.json``,
the points of ``tools/generate_pseudo_labels.py`` re-centred by
``tools/recenter_pseudo_labels.py`` and refined by
``tools/refine_pseudo_labels.py``, as the main job writes them;
``--pseudo-ann textspotting_train_pseudo.json`` for the WeCromCL points
themselves) and (b) on GT centre points, and prints and writes JSON with
end-to-end P/R/F on held-out images (no lexicon), the gap between the two,
training images/s, inference images/s and peak memory.

Example:
    python benchmarks/stage2_benchmark.py --iters 200 --out \\
        work_dirs/benchmarks/stage2.json
"""
import argparse
import os.path as osp
import sys

from mmocr_wecromcl.utils import pretrained_checkpoint

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from common import (ROOT, count_images, curve, ensure_data, evaluate,  # noqa
                    peak_memory_mib, read_scalars, train, training_speed,
                    write_report)

CONFIGS = dict(
    pseudo_points=osp.join(
        ROOT, 'configs/srsts-a/'
        'srsts-a_resnet18_bifpn-small_3k_synthetic-pseudo-points.py'),
    gt_points=osp.join(
        ROOT, 'configs/srsts-a/'
        'srsts-a_resnet18_bifpn-small_3k_synthetic-gt-points.py'))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--data-dir', default='data/synthetic_default')
    parser.add_argument('--iters', type=int, default=200)
    parser.add_argument(
        '--lr', type=float, default=2e-4,
        help='Learning rate with --init pretrained (the main job\'s '
        'fine-tuning); from scratch the config\'s')
    parser.add_argument('--val-interval', type=int, default=100)
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument('--init', choices=['pretrained', 'scratch'],
                        default='pretrained')
    parser.add_argument(
        '--pseudo-ann', default='textspotting_train_pseudo_refined.json',
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
        sys.exit(f'{data_dir}/{args.pseudo_ann} is missing: run '
                 'tools/main_job.py (or tools/generate_pseudo_labels.py, '
                 'tools/recenter_pseudo_labels.py and '
                 'tools/refine_pseudo_labels.py) first')
    data_opts = [
        f'train_dataloader.dataset.data_root={data_dir}',
        f'val_dataloader.dataset.data_root={data_dir}',
        f'test_dataloader.dataset.data_root={data_dir}'
    ]
    num_test = count_images(osp.join(data_dir, 'textspotting_test.json'))
    report = dict(benchmark='stage2_srsts-a_small_synthetic',
                  settings=vars(args))
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
        seconds = train(config, work_dir, args.iters, args.val_interval,
                        opts)
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
