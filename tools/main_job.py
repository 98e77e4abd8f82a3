# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""The main job: how much of full point supervision do transcriptions buy?

On a target domain that no shipped checkpoint has seen (the ``target``
preset: fonts held out from every pretraining set, ``docs/transfer.md``),
the job scores three ways of adapting the shipped synthetic-pretrained
spotter, on the same training / validation / test split and with the same
stage-2 budget:

(a) zero-shot: the shipped checkpoints as they are, no target label;
(b) transcription-only: WeCromCL fine-tuned on the target training images
    and their transcriptions (``tools/train.py``), point pseudo labels for
    those images (``tools/generate_pseudo_labels.py``), moved to the centres
    of their words by a pretrained SRSTS-A
    (``tools/recenter_pseudo_labels.py``), then SRSTS-A fine-tuned on them;
    part-way through that fine-tuning (``--refine-at``), the SRSTS-A being
    trained moves each point to the cell that best fits its transcription
    (``tools/refine_pseudo_labels.py``), and the rest of the schedule
    trains on the refined points;
(c) full point supervision: SRSTS-A fine-tuned on the target's GT points.

Every step of (b) reads ``textspotting_train_transcriptions.json``, a copy
of the training split without any location, or files made from it; the
GT polygons of the training images only score the pseudo labels. Stage 1 is
scored (anchor F) before and after its fine-tuning, stage 2 end to end; the
validation split (carved from the training sequence) is scored at the end of
every training, the test split once per row. The job writes
``<work-dir>/results.json``, ``<work-dir>/report.md``, PNGs of activation
maps and spotted words. Each step is skipped when its output exists and
trainings resume from their last checkpoint, so an interrupted job
continues when rerun with the same arguments.
"""
import argparse
import glob
import json
import os
import os.path as osp
import time
from typing import Dict, List, Optional, Sequence

from mmengine.runner import find_latest_checkpoint

from mmocr_wecromcl.datasets import write_transcription_annotations
from mmocr_wecromcl.datasets.synthetic import PRESETS
from mmocr_wecromcl.engine import ToolRunner
from mmocr_wecromcl.utils import (PRETRAINED_CHECKPOINTS, dump_json_atomic,
                                  image_encoder_finetune_options,
                                  resource_path)

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
STAGE1_CONFIG = osp.join(
    ROOT,
    'configs/wecromcl/wecromcl_resnet18_bifpn-deform_1xb16-3k_synthetic.py')
STAGE2_CONFIG = osp.join(
    ROOT, 'configs/srsts-a/'
    'srsts-a_resnet18_bifpn-deform_1xb16-3k_synthetic-pseudo-points.py')
STAGE2_GT_CONFIG = osp.join(
    ROOT, 'configs/srsts-a/'
    'srsts-a_resnet18_bifpn-deform_1xb16-3k_synthetic-gt-points.py')
TRANSCRIPTIONS_FILE = 'textspotting_train_transcriptions.json'
# --quick: the whole job on a few images, for the tests
QUICK = dict(
    num_train=24,
    num_val=8,
    num_test=8,
    stage1_iters=4,
    stage2_iters=4,
    refine_at=2,
    batch_size=4)
ROWS = ('zero_shot', 'transcription_only', 'full_supervision')
# the PNGs of the report, relative to the work directory
NUM_PNGS = 8
PNGS = {
    'activation_maps_zero_shot':
    'activation_maps_zero_shot/*.png',
    'activation_maps':
    'activation_maps/*.png',
    'spotted_words_zero_shot':
    'zero_shot_stage2/spotted_words/vis_data/vis_image/*.png',
    'spotted_words':
    'transcription_only_stage2/spotted_words/vis_data/vis_image/*.png'
}
# row (b): the stage-2 iteration at which its own model refines the points
# (chosen on the validation images, docs/transfer.md)
REFINE_AT = 100


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument('--work-dir', default='work_dirs/main_job')
    parser.add_argument('--data-dir', default='data/target')
    parser.add_argument('--num-train', type=int, default=2000)
    parser.add_argument(
        '--num-val',
        type=int,
        default=100,
        help='validation images, carved from the training sequence')
    parser.add_argument('--num-test', type=int, default=100)
    parser.add_argument('--preset', default='target', choices=sorted(PRESETS))
    parser.add_argument('--data-seed', type=int, default=0)
    parser.add_argument(
        '--seed',
        type=int,
        default=0,
        help='training seed of both stages (randomness.seed)')
    parser.add_argument(
        '--stage1-pretrained',
        default=resource_path(PRETRAINED_CHECKPOINTS['wecromcl']))
    parser.add_argument(
        '--stage2-pretrained',
        default=resource_path(PRETRAINED_CHECKPOINTS['srsts_a']))
    parser.add_argument(
        '--recenter-checkpoint',
        default=resource_path(PRETRAINED_CHECKPOINTS['srsts_a_along_word']),
        help='SRSTS-A that moves the pseudo points to the centres of their '
        'words')
    parser.add_argument(
        '--no-recenter',
        action='store_true',
        help='Do not re-centre the WeCromCL points')
    parser.add_argument(
        '--refine-at',
        type=int,
        default=REFINE_AT,
        help="Iteration of row (b)'s stage-2 schedule at which the model "
        'being trained refines the pseudo points (tools/refine_pseudo_labels'
        '.py); the rest of the schedule trains on the refined points. 0 '
        'trains the whole schedule on the re-centred points')
    parser.add_argument('--stage1-iters', type=int, default=450)
    parser.add_argument(
        '--stage1-image-encoder',
        choices=['frozen', 'slow'],
        default='frozen',
        help='Keep the pretrained stage-1 image encoder frozen (its features '
        'computed once per image and cached) or train it at 0.1x the '
        'learning rate of the text encoder and head')
    parser.add_argument(
        '--stage2-iters',
        type=int,
        default=400,
        help='Stage-2 iterations of rows (b) and (c)')
    parser.add_argument(
        '--stage2-lr',
        type=float,
        default=5e-4,
        help='Stage-2 learning rate of rows (b) and (c)')
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument(
        '--amp',
        action='store_true',
        help='Train, test and label in bfloat16 autocast (the --amp of '
        'tools/train.py, tools/test.py and the labelling tools)')
    parser.add_argument(
        '--quick',
        action='store_true',
        help='The whole job on a few images and iterations (a check that '
        'everything runs, not a measurement): ' +
        ', '.join(f'--{k.replace("_", "-")} {v}' for k, v in QUICK.items()))
    args = parser.parse_args(argv)
    if args.quick:
        for key, value in QUICK.items():
            setattr(args, key, value)
    if min(args.num_train, args.num_val, args.num_test) < 1:
        parser.error('--num-train, --num-val and --num-test must be >= 1')
    if not 0 <= args.refine_at < args.stage2_iters:
        parser.error('--refine-at must be in [0, --stage2-iters)')
    return args


class Job:
    """Runs the tools of this repository and keeps what they report.

    Args:
        work_dir (str): Where every run of the job writes.
        data_root (str): The dataset root.
        amp (bool): Pass ``--amp`` (bfloat16 autocast) to every training,
            test and labelling run. Defaults to False.
    """

    def __init__(self,
                 work_dir: str,
                 data_root: str,
                 amp: bool = False) -> None:
        self.work_dir = work_dir
        self.data_root = data_root
        self.amp = amp
        #: runs the tools; its ``commands`` go to ``results.json``
        self.tools = ToolRunner(ROOT)

    def run(self,
            step: str,
            tool: str,
            args: Sequence,
            amp: bool = False) -> None:
        """Run ``tools/<tool>`` with ``--amp`` if ``amp`` and the job's
        ``amp``."""
        self.tools.run(
            self.tools.command(tool, args, amp=amp and self.amp), step)

    def train(self,
              step: str,
              config: str,
              iters: int,
              batch_size: int,
              load_from: str,
              options: Sequence[str] = (),
              until: Optional[int] = None,
              resume_from: Optional[str] = None) -> dict:
        """Train (or resume) ``config`` on a schedule of ``iters`` iterations.

        The config's schedule is shortened to ``iters``; the validation
        split is scored once, at the end.

        Args:
            step (str): The step's name, also its work directory.
            config (str): The config file.
            iters (int): The length of the schedule.
            batch_size (int): The training batch size.
            load_from (str): The checkpoint whose weights training starts
                from.
            options (Sequence[str]): More ``--cfg-options``.
            until (int, optional): Stop after this iteration of the
                schedule. Defaults to ``iters``.
            resume_from (str, optional): A checkpoint of an earlier part of
                the same schedule, continued (iteration, optimizer,
                scheduler and RNG states) instead of ``load_from``.

        Returns:
            dict: ``checkpoint`` (the final one), ``minutes`` (of training,
            None if it ran in an earlier invocation that did not record it)
            and ``val`` (the final validation metrics).
        """
        until = until or iters
        work_dir = osp.join(self.work_dir, step)
        final = osp.join(work_dir, f'iter_{until}.pth')
        record = osp.join(work_dir, 'train_record.json')
        if not osp.exists(record):
            # the schedule's 100 warm-up iterations, fewer in a short run
            warmup = min(100, iters // 2)
            cfg_options = [
                f'param_scheduler.0.end={warmup}',
                f'param_scheduler.1.begin={warmup}',
                f'default_hooks.checkpoint.interval={max(iters // 4, 1)}',
                f'train_dataloader.batch_size={batch_size}',
                f'train_dataloader.dataset.data_root={self.data_root}',
                f'val_dataloader.dataset.data_root={self.data_root}',
                'val_dataloader.dataset.ann_file=textspotting_val.json',
                f'test_dataloader.dataset.data_root={self.data_root}'
            ] + list(options)
            if until < iters:
                # the run stops before the schedule's end: the cosine keeps
                # the schedule's length, not the run's
                cfg_options.append(f'param_scheduler.1.end={iters}')
            # an interrupted run continues from its latest checkpoint
            resume = 'auto' if find_latest_checkpoint(work_dir) else \
                resume_from
            if resume is None:
                cfg_options.append(f'load_from={load_from}')
            seconds = self.tools.run(
                self.tools.train_command(
                    config,
                    work_dir,
                    until,
                    iters,
                    cfg_options,
                    resume=resume,
                    amp=self.amp), step)
            dump_json_atomic(
                dict(minutes=seconds / 60, val=final_validation(work_dir)),
                record)
        with open(record) as f:
            return dict(checkpoint=final, **json.load(f))

    def test(self,
             step: str,
             config: str,
             checkpoint: str,
             show_dir: Optional[str] = None) -> Dict[str, float]:
        """Score ``checkpoint`` on the test split; returns the metrics."""
        work_dir = osp.join(self.work_dir, step)
        out = osp.join(work_dir, 'test_metrics.json')
        if not osp.exists(out):
            self.tools.run(
                self.tools.test_command(
                    config,
                    checkpoint,
                    work_dir,
                    out,
                    [f'test_dataloader.dataset.data_root={self.data_root}'],
                    show_dir=show_dir,
                    amp=self.amp), step)
        with open(out) as f:
            return json.load(f)

    def label(self,
              step: str,
              tool: str,
              config: str,
              checkpoint: str,
              ann_file: str,
              out: str,
              options: Sequence[str] = ()) -> str:
        """Write ``out`` with a labelling tool, unless it exists."""
        if not osp.exists(out):
            self.run(
                step,
                tool, [
                    config, checkpoint, '--ann-file', ann_file, '--data-root',
                    self.data_root, '--out', out, *options
                ],
                amp=True)
        return out


def visualize_activation(job: Job, step: str, checkpoint: str, ann_file: str,
                         out_dir: str) -> None:
    """Activation maps of a WeCromCL checkpoint on the first test images."""
    job.run(step, 'visualize_activation.py', [
        STAGE1_CONFIG, checkpoint, '--ann-file', ann_file, '--out-dir',
        out_dir, '--num', NUM_PNGS, '--overwrite'
    ])


def final_validation(work_dir: str) -> Dict[str, float]:
    """The last validation metrics mmengine logged in ``work_dir``."""
    metrics = {}
    for path in sorted(
            glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))):
        with open(path) as f:
            for line in f:
                record = json.loads(line)
                if 'loss' not in record and 'lr' not in record:
                    metrics = {
                        k: v
                        for k, v in record.items() if '/' in k
                    } or metrics
    return metrics


def ensure_data(job: Job, args: argparse.Namespace) -> Dict[str, str]:
    """Generate the target split unless it is complete; write the
    transcription-only view of its training images.

    Returns:
        dict[str, str]: The annotation file of ``train``, ``val``, ``test``
        and ``transcriptions``.
    """
    root = job.data_root
    # the generator writes its config last: the data set is complete
    if not osp.exists(osp.join(root, 'generator_config.json')):
        job.run('data', 'make_synthetic_dataset.py', [
            '--out-dir', root, '--num-train', args.num_train, '--num-val',
            args.num_val, '--num-test', args.num_test, '--img-size', 256,
            '--preset', args.preset, '--seed', args.data_seed, '--workers', 2,
            '--overwrite'
        ])
    files = {
        split: osp.join(root, f'textspotting_{split}.json')
        for split in ('train', 'val', 'test')
    }
    files['transcriptions'] = osp.join(root, TRANSCRIPTIONS_FILE)
    if not osp.exists(files['transcriptions']):
        write_transcription_annotations(files['train'],
                                        files['transcriptions'])
    return files


def stage1_options(image_encoder: str, cache_size: int, train_ann: str,
                   seed: int) -> List[str]:
    """The stage-1 fine-tuning of row (b): the pretrained image encoder
    ``'frozen'`` (features of up to ``cache_size`` images cached) or
    ``'slow'``, on the transcriptions of ``train_ann``."""
    return image_encoder_finetune_options(image_encoder, cache_size) + [
        f'train_dataloader.dataset.ann_file={train_ann}',
        f'randomness.seed={seed}'
    ]


def stage2_options(args: argparse.Namespace, train_ann: str) -> List[str]:
    """The stage-2 fine-tuning shared by rows (b) and (c)."""
    return [
        f'train_dataloader.dataset.ann_file={train_ann}',
        f'optim_wrapper.optimizer.lr={args.stage2_lr}',
        f'randomness.seed={args.seed}'
    ]


def end_to_end(metrics: Dict[str, float]) -> Dict[str, float]:
    """P / R / F of stage 2's no-lexicon end-to-end metrics."""
    return {
        key: metrics.get(f'none/{name}')
        for key, name in (('precision', 'precision'), ('recall', 'recall'),
                          ('f', 'hmean'))
    }


def summarise(results: dict) -> dict:
    """What the three rows say about transcription-only supervision."""
    f = {row: results[row]['test']['f'] for row in ROWS}
    gain = f['full_supervision'] - f['zero_shot']
    recovered = f['transcription_only'] - f['zero_shot']
    pseudo = results['transcription_only']['pseudo_labels']['wecromcl']
    return dict(
        f=f,
        full_supervision_gain=gain,
        full_minus_transcription_only=f['full_supervision'] -
        f['transcription_only'],
        recovered_fraction=recovered / gain if gain > 0 else None,
        targets=dict(
            needs_adaptation=gain >= 0.25,
            recovers_90_percent=recovered >= 0.9 * gain,
            pseudo_labels=pseudo['anchor/nearest/hmean'] >= 0.88
            and pseudo['anchor/inside/hmean'] >= 0.85))


def write_report(results: dict, out: str) -> None:
    """``report.md``: the three rows and the stage-1 numbers."""
    s = results['summary']

    def num(value) -> str:
        return '-' if value is None else f'{value:.3f}'

    def minutes(row: str) -> str:
        value = results[row].get('stage2_train_minutes')
        return '-' if value is None else f'{value:.1f}'

    names = {
        'zero_shot': '(a) zero-shot: the shipped checkpoints',
        'transcription_only': '(b) transcription-only: WeCromCL pseudo points',
        'full_supervision': '(c) full point supervision: GT points'
    }
    lines = [
        '# Main job: transcription-only against full point supervision', '',
        f'Target: `{results["config"]["preset"]}` preset, '
        f'{results["config"]["num_train"]} training, '
        f'{results["config"]["num_val"]} validation and '
        f'{results["config"]["num_test"]} test images (data seed '
        f'{results["config"]["data_seed"]}, training seed '
        f'{results["config"]["seed"]}); stage 2: '
        f'{results["config"]["stage2_iters"]} iterations of batch '
        f'{results["config"]["batch_size"]} at lr '
        f'{results["config"]["stage2_lr"]} for (b) and (c).', '',
        '| row | test P | test R | test F | validation F | '
        'stage-2 minutes |', '| --- | --- | --- | --- | --- | --- |'
    ]
    for row in ROWS:
        test = results[row]['test']
        lines.append(f'| {names[row]} | {num(test["precision"])} | '
                     f'{num(test["recall"])} | **{num(test["f"])}** | '
                     f'{num(results[row].get("val_f"))} | {minutes(row)} |')
    stage1 = results['transcription_only']
    zero_shot = results['zero_shot']['stage1_test']
    met = {k: 'met' if v else 'not met' for k, v in s['targets'].items()}
    lines += [
        '', f'- F(c) - F(a) = {num(s["full_supervision_gain"])} '
        f'(target >= 0.25: {met["needs_adaptation"]})',
        f'- F(c) - F(b) = {num(s["full_minus_transcription_only"])}; '
        f'(b) recovers {num(s["recovered_fraction"])} of what (c) gains '
        f'(target >= 0.9: {met["recovers_90_percent"]})', '',
        '| stage 1 (WeCromCL) anchor points | nearest F | inside F |',
        '| --- | --- | --- |', f'| test images, shipped checkpoint | '
        f'{num(zero_shot["anchor/nearest/hmean"])} | '
        f'{num(zero_shot["anchor/inside/hmean"])} |',
        f'| test images, fine-tuned on the target transcriptions | '
        f'{num(stage1["stage1_test"]["anchor/nearest/hmean"])} | '
        f'{num(stage1["stage1_test"]["anchor/inside/hmean"])} |'
    ]
    config = results['config']
    labels = {
        'wecromcl':
        'WeCromCL pseudo points',
        'recentred':
        'the same, re-centred by the shipped along-word SRSTS-A',
        'refined':
        f'the same, refined by row (b)\'s SRSTS-A at stage-2 '
        f'iteration {config["refine_at"]}'
    }
    for name, metrics in stage1['pseudo_labels'].items():
        lines.append(f'| training images, {labels[name]} | '
                     f'{num(metrics["anchor/nearest/hmean"])} | '
                     f'{num(metrics["anchor/inside/hmean"])} |')
    f = s['f']
    trained_on = list(stage1['pseudo_labels'])[-1]
    lines += [
        '', f'WeCromCL pseudo-label target (nearest >= 0.88, inside >= '
        f'0.85): {met["pseudo_labels"]}. '
        f'The whole job took {results["minutes"]:.1f} min in this '
        'invocation.', '',
        f'Reading the table: the shipped spotter reads the target test '
        f'images at F {num(f["zero_shot"])}. Fine-tuned on the GT points of '
        f'the training images it reaches {num(f["full_supervision"])}; '
        f'fine-tuned on points found from the transcriptions alone '
        f'(stage 2 ends on the {trained_on} points) it reaches '
        f'{num(f["transcription_only"])}, '
        f'{num(s["full_minus_transcription_only"])} below, so '
        f'transcriptions buy {num(s["recovered_fraction"])} of what '
        f'ground-truth locations buy. Stage 1, fine-tuned on the '
        f'transcriptions, finds the test words at nearest F '
        f'{num(stage1["stage1_test"]["anchor/nearest/hmean"])} against '
        f'{num(zero_shot["anchor/nearest/hmean"])} before.', ''
    ]
    pngs = results.get('pngs', {})
    pictures = (('activation_maps_zero_shot', 'activation_maps',
                 'Activation maps of the first test images (each word\'s '
                 'map, its anchor marked)', 'shipped WeCromCL',
                 'fine-tuned on the target transcriptions'),
                ('spotted_words_zero_shot', 'spotted_words',
                 'Spotted words on the same images (GT above, predictions '
                 'below)', '(a) zero-shot', '(b) transcription-only'))
    for before, after, caption, left, right in pictures:
        if pngs.get(before) and pngs.get(after):
            lines += [
                f'{caption}:', '', f'| {left} | {right} |', '| --- | --- |'
            ]
            for a, b in zip(pngs[before][:4], pngs[after][:4]):
                lines.append(f'| ![]({osp.relpath(a, osp.dirname(out))}) | '
                             f'![]({osp.relpath(b, osp.dirname(out))}) |')
            lines.append('')
    with open(out, 'w') as f:
        f.write('\n'.join(lines))


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    start = time.time()
    work_dir = osp.abspath(args.work_dir)
    os.makedirs(work_dir, exist_ok=True)
    needed = [args.stage1_pretrained, args.stage2_pretrained]
    if not args.no_recenter:
        needed.append(args.recenter_checkpoint)
    for path in needed:
        if not osp.exists(path):
            raise FileNotFoundError(
                f'pretrained checkpoint {path} not found; train it '
                '(docs/pretraining.md)')
    stage1_init = osp.abspath(args.stage1_pretrained)
    stage2_init = osp.abspath(args.stage2_pretrained)
    job = Job(work_dir, osp.abspath(args.data_dir), args.amp)
    results = dict(
        config=dict(
            vars(args),
            stage1_config=STAGE1_CONFIG,
            stage2_config=STAGE2_CONFIG,
            stage2_gt_config=STAGE2_GT_CONFIG))
    files = ensure_data(job, args)

    # (a) Zero-shot: the shipped checkpoints on the target test images.
    results['zero_shot'] = dict(
        stage1_test=job.test('zero_shot_stage1', STAGE1_CONFIG, stage1_init),
        test=end_to_end(
            job.test(
                'zero_shot_stage2',
                STAGE2_CONFIG,
                stage2_init,
                show_dir='spotted_words')))
    visualize_activation(job, 'zero_shot_stage1', stage1_init, files['test'],
                         osp.join(work_dir, 'activation_maps_zero_shot'))

    # (b) Transcription-only. Stage 1 keeps the pretrained image encoder
    # frozen and caches its features, so that after the first pass over the
    # images an iteration runs the text encoder and head only
    # (``--stage1-image-encoder slow`` trains it at 0.1x the learning rate).
    row = results['transcription_only'] = {}
    stage1 = job.train(
        'stage1_wecromcl', STAGE1_CONFIG, args.stage1_iters, args.batch_size,
        stage1_init,
        stage1_options(args.stage1_image_encoder,
                       args.num_train + args.num_val, files['transcriptions'],
                       args.seed))
    row['stage1_train_minutes'] = stage1['minutes']
    row['stage1_test'] = job.test('stage1_wecromcl', STAGE1_CONFIG,
                                  stage1['checkpoint'])
    from mmocr_wecromcl.apis import evaluate_pseudo_labels
    dictionary = dict(
        type='Dictionary',
        dict_file=resource_path('dicts/lower_english_digits.txt'))
    labels = job.label('pseudo_labels', 'generate_pseudo_labels.py',
                       STAGE1_CONFIG, stage1['checkpoint'],
                       files['transcriptions'],
                       osp.join(work_dir, 'pseudo_labels', 'wecromcl.json'))
    row['pseudo_labels'] = dict(
        wecromcl=evaluate_pseudo_labels(labels, files['train'], dictionary))
    if not args.no_recenter:
        labels = job.label(
            'pseudo_labels', 'recenter_pseudo_labels.py', STAGE2_CONFIG,
            osp.abspath(args.recenter_checkpoint), labels,
            osp.join(work_dir, 'pseudo_labels', 'recentred.json'))
        row['pseudo_labels']['recentred'] = evaluate_pseudo_labels(
            labels, files['train'], dictionary)
    visualize_activation(job, 'pseudo_labels', stage1['checkpoint'],
                         files['test'], osp.join(work_dir, 'activation_maps'))
    # (b) and (c): the same stage-2 fine-tuning, on pseudo or GT points.
    # Row (b) first trains on the re-centred points up to --refine-at; the
    # model it has then refines them, and the schedule goes on with those.
    part_minutes = []
    resume_from = None
    if args.refine_at:
        part = job.train(
            'transcription_only_stage2_part1',
            STAGE2_CONFIG,
            args.stage2_iters,
            args.batch_size,
            stage2_init,
            stage2_options(args, labels),
            until=args.refine_at)
        part_minutes.append(part['minutes'])
        resume_from = part['checkpoint']
        labels = job.label('pseudo_labels', 'refine_pseudo_labels.py',
                           STAGE2_CONFIG, resume_from, labels,
                           osp.join(work_dir, 'pseudo_labels', 'refined.json'))
        row['pseudo_labels']['refined'] = evaluate_pseudo_labels(
            labels, files['train'], dictionary)
    for name, config, train_ann in (('transcription_only', STAGE2_CONFIG,
                                     labels),
                                    ('full_supervision', STAGE2_GT_CONFIG,
                                     files['train'])):
        row = results.setdefault(name, {})
        stage2 = job.train(
            f'{name}_stage2',
            config,
            args.stage2_iters,
            args.batch_size,
            stage2_init,
            stage2_options(args, train_ann),
            resume_from=resume_from if name == 'transcription_only' else None)
        minutes = [stage2['minutes']] + (
            part_minutes if name == 'transcription_only' else [])
        row['stage2_train_minutes'] = None if None in minutes else sum(minutes)
        row['val_f'] = stage2['val'].get('none/hmean')
        row['test'] = end_to_end(
            job.test(
                f'{name}_stage2',
                config,
                stage2['checkpoint'],
                show_dir='spotted_words'))

    results['minutes'] = (time.time() - start) / 60
    results['summary'] = summarise(results)
    results['commands'] = job.tools.commands
    results['pngs'] = {
        name: sorted(glob.glob(osp.join(work_dir, pattern)))[:NUM_PNGS]
        for name, pattern in PNGS.items()
    }
    dump_json_atomic(results, osp.join(work_dir, 'results.json'), indent=2)
    write_report(results, osp.join(work_dir, 'report.md'))
    with open(osp.join(work_dir, 'report.md')) as f:
        print(f.read())
    print(f'results written to {osp.join(work_dir, "results.json")}')


if __name__ == '__main__':
    main()
