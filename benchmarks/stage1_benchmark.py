# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Stage-1 benchmark: WeCromCL small configuration on synthetic images.

By default on the ``easy`` set: 1,000 training + 100 test images of the
``easy`` preset (``source`` fonts), 256 px, seed 0, in
``data/synthetic_default``, generated if missing. Trains for a given
number of iterations (validating along the way for the curve of F against
training time), then prints and writes JSON with:
anchor-point P/R/F on held-out images under both protocols (nearest GT
centre, point inside polygon), training images/s, inference images/s and
peak memory. Ablations: ``--pool-padding`` (mean over all 25 positions, as
the authors' code), ``--num-negatives 0`` (no negative mining),
``--word-loss-weight 1`` (the within-image word loss on), ``--init scratch``.
``--wiring authors`` builds the image encoder with the authors' BiFPN and
level-fusion wiring (``authors_wiring`` in
``configs/_base_/models/shared.py``), which only ``--init scratch`` can
train. ``--eval-split val`` scores the validation images (for choosing a
recipe) instead of the test images.
``--init encoder`` starts as the shipped WeCromCL checkpoint's own
pretraining did (docs/pretraining.md, run 2): the image encoder from the
shipped SRSTS-A checkpoint, the text encoder and the head from random
weights; ablations run from there, so that the shipped WeCromCL
checkpoint (itself trained with the default choices) does not favour them.
With ``--init pretrained``, the image encoder is frozen and its features
cached (``image_encoder_finetune_options('frozen', ...)``, as
``tools/main_job.py --stage1-image-encoder frozen``, its default, does);
``--image-encoder slow`` trains it at 0.1x the learning rate instead.

Example:
    python benchmarks/stage1_benchmark.py --iters 450 --out \\
        work_dirs/benchmarks/stage1.json
"""
import argparse
import os.path as osp
import sys

from mmengine.config import Config

from mmocr_wecromcl.utils import (image_encoder_finetune_options,
                                  pretrained_checkpoint)

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from common import evaluate  # noqa: F401
from common import (ROOT, count_images, curve, ensure_data, flat_options,
                    peak_memory_mib, read_scalars, train, training_speed,
                    write_report)

CONFIG = osp.join(
    ROOT,
    'configs/wecromcl/wecromcl_resnet18_bifpn-deform_1xb16-3k_synthetic.py')


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--data-dir', default='data/synthetic_default')
    parser.add_argument('--num-train', type=int, default=1000)
    parser.add_argument('--num-test', type=int, default=100)
    parser.add_argument('--preset', default='easy')
    parser.add_argument('--iters', type=int, default=450)
    parser.add_argument('--val-interval', type=int, default=150)
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument('--num-negatives', type=int, default=16)
    parser.add_argument('--pool-padding', action='store_true')
    parser.add_argument(
        '--word-loss-weight',
        type=float,
        default=0.0,
        help='weight of WordDiscriminationLoss; 0 (the configuration\'s '
        'default) leaves it off')
    parser.add_argument(
        '--init',
        choices=['pretrained', 'encoder', 'scratch'],
        default='pretrained')
    parser.add_argument(
        '--image-encoder',
        choices=['frozen', 'slow'],
        default='frozen',
        help='with --init pretrained: freeze the image encoder (and cache '
        'its features), or train it at 0.1x the learning rate')
    parser.add_argument(
        '--wiring',
        choices=['default', 'authors'],
        default='default',
        help='BiFPN and level-fusion wiring of the image encoder')
    parser.add_argument(
        '--eval-split', choices=['test', 'val'], default='test')
    parser.add_argument('--work-dir', default='work_dirs/benchmarks/stage1')
    parser.add_argument('--out', default='work_dirs/benchmarks/stage1.json')
    return parser.parse_args()


def main():
    args = parse_args()
    data_dir = osp.abspath(args.data_dir)
    if args.wiring == 'authors' and args.init != 'scratch':
        raise SystemExit('--wiring authors needs --init scratch: no shipped '
                         'checkpoint has that wiring')
    ensure_data(data_dir, args.num_train, args.num_test, args.preset, 0)
    eval_file = f'textspotting_{args.eval_split}.json'
    data_opts = [
        f'train_dataloader.dataset.data_root={data_dir}',
        f'val_dataloader.dataset.data_root={data_dir}',
        f'test_dataloader.dataset.data_root={data_dir}',
        f'val_dataloader.dataset.ann_file={eval_file}',
        f'test_dataloader.dataset.ann_file={eval_file}'
    ]
    # The model options hold at test time too (the pooling changes what
    # the trained weights mean).
    model_opts = [f'model.text_encoder.pool_padding={args.pool_padding}']
    if args.word_loss_weight:
        model_opts += [
            'model.word_loss.type=WordDiscriminationLoss',
            f'model.word_loss.loss_weight={args.word_loss_weight}'
        ]
    if args.wiring == 'authors':
        wiring = Config.fromfile(
            osp.join(ROOT, 'configs/_base_/models/shared.py')).authors_wiring
        model_opts += flat_options('model.image_encoder', wiring.to_dict())
    opts = data_opts + model_opts + [
        f'train_dataloader.batch_size={args.batch_size}',
        'train_dataloader.dataset.pipeline.4.num_negatives='
        f'{args.num_negatives}'
    ]
    if args.init != 'scratch':
        # As tools/main_job.py's --stage1-image-encoder: the pretrained
        # WeCromCL encoder is frozen (its features cached), or it learns
        # 10x slower. The SRSTS-A checkpoint fills the image encoder only
        # (load_from is not strict), which then learns 10x slower.
        name = 'wecromcl' if args.init == 'pretrained' else 'srsts_a'
        opts.append('load_from=' + pretrained_checkpoint(name))
        opts += image_encoder_finetune_options(
            args.image_encoder if args.init == 'pretrained' else 'slow',
            args.num_train + args.num_test)
    seconds = train(CONFIG, args.work_dir, args.iters, args.val_interval, opts)
    scalars = read_scalars(args.work_dir)
    speed = training_speed(scalars, args.batch_size)
    test = evaluate(CONFIG, osp.join(args.work_dir, f'iter_{args.iters}.pth'),
                    args.work_dir, data_opts + model_opts)
    num_test = count_images(osp.join(data_dir, eval_file))
    report = dict(
        benchmark='stage1_wecromcl_small_synthetic',
        settings=vars(args),
        train_wall_minutes=seconds / 60,
        train_cpu_hours_2_cores=seconds * 2 / 3600,
        train_images_per_s=speed,
        test=test['metrics'],
        inference_images_per_s=num_test / test['seconds'],
        inference_note='whole tools/test.py run, start-up included',
        f_nearest_curve=curve(scalars, 'anchor/nearest/hmean',
                              args.batch_size / max(speed, 1e-9)),
        f_inside_curve=curve(scalars, 'anchor/inside/hmean',
                             args.batch_size / max(speed, 1e-9)),
        peak_memory_mib=peak_memory_mib(),
        targets=dict(nearest_hmean=0.90, inside_hmean=0.85))
    write_report(report, args.out)


if __name__ == '__main__':
    main()
