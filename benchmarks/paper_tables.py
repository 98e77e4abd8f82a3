# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""The paper's comparisons on the main job's target domain.

Every row is measured on the target split of a finished main job
(``tools/main_job.py``; ``--main-job`` names its work directory): its
training images and their GT, its stage-1 pseudo points and its row (c),
stage 2 fine-tuned on GT points. A row that trains does it as row (c) does
(the same configuration, checkpoint, schedule, learning rate, batch, seed
and precision), on other points. Each row is one command that runs alone
(``--row NAME``) and is kept once measured (``--all`` runs the rows not
measured yet; a killed row resumes); every run rewrites
``docs/paper_tables.md`` from the rows measured so far.

Rows:
    labels/wecromcl     the main job's WeCromCL pseudo points (P / R / F)
    labels/random       a uniformly random point per word (chance)
    points/gt           the main job's row (c): GT centre points
    points/wecromcl     stage 2 on the WeCromCL points themselves
    points/gt-noise-0.3 stage 2 on GT centres moved by Gaussian noise of
                        0.3 times the word's box size (per axis)
    points/gt-noise-1   the same with 1 times the box size
    points/recentred    stage 2 on the WeCromCL points re-centred, not
                        refined (row (b) without refinement)
    points/fresh        stage 2 on the points of ``stage1/fresh``
    points/fresh-holistic
                        stage 2 on the points of ``stage1/fresh-holistic``
    stage1/main         the main job's stage 1: anchor F on the test images
                        and its pseudo labels
    stage1/no-mining    stage 1 as the main job's with 0 mined negatives
                        (the batch's other words only)
    stage1/word-loss    with the within-image word loss (off by default)
    stage1/no-char-loss without the masked-character loss
    stage1/no-exclusive-peaks
                        the main job's stage 1, labelling without exclusive
                        peaks (two words of an image may share a point)
    stage1/trained-image-encoder
                        the image encoder trained at 0.1x the learning rate
                        instead of frozen, its features cached
    stage1/fresh        the main job's stage 1 with the text encoder and
                        head from fresh weights (the shipped image encoder)
    stage1/fresh-holistic
                        the same, trained by the holistic, oCLIP-style
                        contrast of whole images with whole transcription
                        sets (``HolisticLocalizer``)
    stage1/fresh-no-char-loss
                        ``stage1/fresh`` without the masked-character loss
    stage1/fresh-holistic-no-char-loss
                        ``stage1/fresh-holistic`` without it
    stage1/fresh-token  the same with the token-wise text encoder (byte
                        pairs, ``TokenTextEncoder``)

Stage-1 rows train as the main job's stage 1 does (its configuration,
checkpoint, frozen and cached image encoder, schedule, batch and seed).
``--train-seed N`` measures the rows that train with another seed (in
``<work-dir>/seed<N>``; ``points/gt`` and ``stage1/main`` are then trained
too); the tables show them beside the main job's seed.

Example:
    python tools/main_job.py
    python benchmarks/paper_tables.py --all
"""
import argparse
import json
import os
import os.path as osp
import sys
from functools import partial
from typing import Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple

import numpy as np
import torch

from mmocr_wecromcl.apis import evaluate_pseudo_labels, point_instance
from mmocr_wecromcl.utils import (dump_json_atomic,
                                  image_encoder_finetune_options,
                                  is_ignored_instance, read_annotation_file,
                                  resource_path)

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.append(osp.join(ROOT, 'tools'))
import main_job

DICTIONARY = dict(
    type='Dictionary',
    dict_file=resource_path('dicts/lower_english_digits.txt'))

#: The paper's numbers beside which each row is shown (IC15, strong
#: lexicon for spotting): Table 2 and the supplementary's Table 1.
PAPER = {
    'labels/wecromcl': 88.6,
    'stage1/fresh-holistic': 41.9,
    'points/gt': 82.9,
    'points/wecromcl': 82.1,
    'points/gt-noise-0.3': 79.1,
    'points/gt-noise-1': 42.0,
    'points/recentred': None,
    'points/fresh': 82.1,
    'points/fresh-holistic': 60.9,
}


class Variant(NamedTuple):
    """A stage-1 row: the main job's stage 1 with one thing changed.

    Args:
        name (str): What differs, for the tables.
        train_options (Sequence[str]): More ``--cfg-options`` of training;
            with none (and neither ``config`` nor ``fresh``) the row labels
            with the main job's checkpoint.
        label_options (Sequence[str]): ``--cfg-options`` of labelling.
        config (str): The stage-1 config.
        fresh (bool): Start the text encoder and head from fresh weights
            (the image encoder stays the shipped one, frozen).
        label (bool): Label the training images (the pseudo-label table);
            otherwise only the test images are scored.
    """
    name: str
    train_options: Sequence[str] = ()
    label_options: Sequence[str] = ()
    config: str = main_job.STAGE1_CONFIG
    fresh: bool = False
    label: bool = True

    @property
    def trains(self) -> bool:
        return bool(self.train_options or self.fresh
                    or self.config != main_job.STAGE1_CONFIG)


def stage1_config(name: str) -> str:
    return osp.join(ROOT, 'configs', 'wecromcl',
                    f'{name}_resnet18_bifpn-deform_1xb16-3k_synthetic.py')


STAGE1_VARIANTS = {
    'stage1/no-mining':
    Variant('0 mined negatives (paper: -10.2 anchor F on CTW1500)',
            ['train_dataloader.dataset.pipeline.4.num_negatives=0']),
    'stage1/word-loss':
    Variant('with the within-image word loss',
            ['model.word_loss.type=WordDiscriminationLoss']),
    'stage1/no-char-loss':
    Variant('no masked-character loss', ['model.char_head=None']),
    'stage1/no-exclusive-peaks':
    Variant(
        'no exclusive peaks at labelling',
        label_options=['model.postprocessor.exclusive_peaks=False']),
    'stage1/trained-image-encoder':
    Variant(
        'image encoder trained at 0.1x the learning rate, not frozen and '
        'cached', [
            'model.image_encoder.frozen=False',
            'model.image_encoder.cache_size=0'
        ] + image_encoder_finetune_options('slow')),
    'stage1/fresh':
    Variant('text encoder and head from fresh weights', fresh=True),
    'stage1/fresh-holistic':
    Variant(
        'holistic (oCLIP-style) contrast, text encoder and head from '
        'fresh weights',
        config=stage1_config('wecromcl-holistic'),
        fresh=True),
    'stage1/fresh-no-char-loss':
    Variant(
        'character-wise, no masked-character loss, text encoder and head '
        'from fresh weights', ['model.char_head=None'],
        fresh=True),
    'stage1/fresh-holistic-no-char-loss':
    Variant(
        'holistic (oCLIP-style) contrast, no masked-character loss, text '
        'encoder and head from fresh weights', ['model.char_head=None'],
        config=stage1_config('wecromcl-holistic'),
        fresh=True),
    'stage1/fresh-token':
    Variant(
        'token-wise (byte pairs), no masked-character loss, text encoder '
        'and head from fresh weights',
        config=stage1_config('wecromcl-bpe'),
        fresh=True,
        label=False),
}


def image_encoder_checkpoint(checkpoint: str, out: str) -> str:
    """Write ``out``, the image encoder of ``checkpoint`` alone (the rest of
    a model loaded from it keeps its fresh weights), unless it exists."""
    if not osp.exists(out):
        state = torch.load(checkpoint, map_location='cpu', weights_only=True)
        os.makedirs(osp.dirname(out), exist_ok=True)
        torch.save(
            dict(
                state_dict={
                    k: v
                    for k, v in state['state_dict'].items()
                    if k.startswith('image_encoder.')
                },
                meta=dict(source=osp.basename(checkpoint))), out + '.tmp')
        os.replace(out + '.tmp', out)
    return out


#: The labellers of the pseudo-label table: rows whose ``labels`` (or, for
#: ``labels/`` rows, the result itself) are anchor metrics.
LABELLERS = (
    ('labels/wecromcl', 'WeCromCL (the main job\'s)'),
    ('stage1/fresh', 'WeCromCL, text encoder and head from fresh weights'),
    ('stage1/fresh-holistic',
     'holistic (oCLIP-style), text encoder and head from fresh weights'),
    ('stage1/fresh-no-char-loss',
     'WeCromCL, fresh weights, no masked-character loss'),
    ('stage1/fresh-holistic-no-char-loss',
     'holistic (oCLIP-style), fresh weights, no masked-character loss'),
    ('labels/random', 'a random point per word'),
)
INSIDE = 'anchor/inside/hmean'


def polygon_box(polygon: List[float]) -> np.ndarray:
    """``(x_centre, y_centre, width, height)`` of a flat polygon; the centre
    is its vertex mean, the GT point of GT-point training."""
    xy = np.asarray(polygon, dtype=np.float64).reshape(-1, 2)
    return np.concatenate([xy.mean(0), xy.max(0) - xy.min(0)])


def moved_points(ann: dict, alpha: float, seed: int) -> dict:
    """GT annotations whose words carry a ``point``: the centre of the word
    plus Gaussian noise of ``alpha`` times its box size per axis, clipped
    into the image.

    Args:
        ann (dict): An MMOCR textspotting annotation (``data_list`` entries
            with ``width``, ``height`` and ``instances`` with ``polygon``).
        alpha (float): Standard deviation of the noise over the box size.
        seed (int): Seed of the noise.

    Returns:
        dict: A copy of ``ann`` whose non-ignored instances have ``point``.
    """
    rng = np.random.default_rng(seed)
    entries = []
    for entry in ann['data_list']:
        instances = []
        for instance in entry['instances']:
            instance = dict(instance)
            if not is_ignored_instance(instance):
                box = polygon_box(instance['polygon'])
                x, y = box[:2] + alpha * rng.standard_normal(2) * box[2:]
                instance['point'] = [
                    float(np.clip(x, 0, entry['width'] - 1)),
                    float(np.clip(y, 0, entry['height'] - 1))
                ]
            instances.append(instance)
        entries.append(dict(entry, instances=instances))
    return dict(ann, data_list=entries)


def random_labels(ann: dict, seed: int) -> dict:
    """Pseudo labels that put each non-ignored word at a uniformly random
    point of its image (chance level of a labeller).

    Args:
        ann (dict): An MMOCR textspotting annotation.
        seed (int): Seed of the points.

    Returns:
        dict: A pseudo-label annotation (``point_instance`` instances).
    """
    rng = np.random.default_rng(seed)
    entries = []
    for entry in ann['data_list']:
        instances = [
            point_instance(instance['text'],
                           float(rng.uniform(0, entry['width'])),
                           float(rng.uniform(0, entry['height'])), 1.0)
            for instance in entry['instances']
            if not is_ignored_instance(instance)
        ]
        entries.append(dict(entry, instances=instances))
    return dict(ann, data_list=entries)


class Tables:
    """The rows, measured in ``<work_dir>/<row>/result.json``.

    Args:
        args (argparse.Namespace): The command line.
    """

    def __init__(self, args: argparse.Namespace) -> None:
        self.main_dir = osp.abspath(args.main_job)
        with open(osp.join(self.main_dir, 'results.json')) as f:
            self.main = json.load(f)
        recorded = self.main['config']
        #: the training seed of the rows that train: the main job's, or
        #: another one, whose rows go to ``<work_dir>/seed<N>``
        self.train_seed = recorded['seed'] if args.train_seed is None \
            else args.train_seed
        # the main job's stage-2 recipe; its checkpoints from this checkout
        self.job_args = main_job.parse_args([
            '--stage2-iters',
            str(recorded['stage2_iters']), '--stage2-lr',
            str(recorded['stage2_lr']), '--batch-size',
            str(recorded['batch_size']), '--seed',
            str(self.train_seed)
        ] + (['--amp'] if recorded['amp'] else []))
        self.data_root = recorded['data_dir']
        self.train_ann = osp.join(self.data_root, 'textspotting_train.json')
        self.base_dir = osp.abspath(args.work_dir)
        self.work_dir = self.seed_dir(self.train_seed)
        self.seed = args.seed
        self.job = main_job.Job(self.work_dir, self.data_root,
                                self.job_args.amp)
        self.rows: Dict[str, Callable[[], dict]] = {
            'labels/wecromcl':
            self.labels_wecromcl,
            'labels/random':
            self.labels_random,
            'points/gt':
            self.points_gt,
            'points/wecromcl':
            lambda: self.train_on(
                'points/wecromcl',
                osp.join(self.main_dir, 'pseudo_labels', 'wecromcl.json')),
            'points/gt-noise-0.3':
            lambda: self.train_on_noisy_gt(0.3),
            'points/gt-noise-1':
            lambda: self.train_on_noisy_gt(1.0),
            'points/recentred':
            lambda: self.train_on(
                'points/recentred',
                osp.join(self.main_dir, 'pseudo_labels', 'recentred.json')),
            'points/fresh':
            partial(self.train_on_stage1_labels, 'stage1/fresh'),
            'points/fresh-holistic':
            partial(self.train_on_stage1_labels, 'stage1/fresh-holistic'),
            'stage1/main':
            self.stage1_main,
        }
        for row, variant in STAGE1_VARIANTS.items():
            self.rows[row] = partial(self.stage1_variant, row, variant)

    def seed_dir(self, seed: int) -> str:
        """Where the rows trained with ``seed`` are."""
        if seed == self.main['config']['seed']:
            return self.base_dir
        return osp.join(self.base_dir, f'seed{seed}')

    def result_file(self, row: str, seed: Optional[int] = None) -> str:
        seed = self.main['config']['seed'] if seed is None else seed
        return osp.join(self.seed_dir(seed), row, 'result.json')

    def measured(self, row: str, seed: Optional[int] = None) -> Optional[dict]:
        """The row's result with training seed ``seed`` (default: the main
        job's), None if it has not been measured."""
        if not osp.exists(self.result_file(row, seed)):
            return None
        with open(self.result_file(row, seed)) as f:
            return json.load(f)

    def other_seeds(self) -> List[int]:
        """The training seeds other than the main job's with rows."""
        return sorted(
            int(name[4:]) for name in os.listdir(self.base_dir)
            if name.startswith('seed') and name[4:].isdigit()) if osp.isdir(
                self.base_dir) else []

    def run(self, row: str) -> dict:
        """Measure ``row`` unless it is measured; return its result."""
        result = self.measured(row, self.train_seed)
        if result is None:
            print(f'\n=== {row} (training seed {self.train_seed})', flush=True)
            result = self.rows[row]()
            dump_json_atomic(
                result, self.result_file(row, self.train_seed), indent=2)
        return result

    def labels_wecromcl(self) -> dict:
        return self.main['transcription_only']['pseudo_labels']['wecromcl']

    def labels_random(self) -> dict:
        out = osp.join(self.work_dir, 'labels/random', 'labels.json')
        dump_json_atomic(
            random_labels(read_annotation_file(self.train_ann), self.seed),
            out)
        return evaluate_pseudo_labels(out, self.train_ann, DICTIONARY)

    def points_gt(self) -> dict:
        if self.train_seed != self.main['config']['seed']:
            return self.train_on('points/gt', self.train_ann)
        return dict(
            test=self.main['full_supervision']['test'],
            minutes=self.main['full_supervision']['stage2_train_minutes'])

    def train_on_noisy_gt(self, alpha: float) -> dict:
        row = f'points/gt-noise-{alpha:g}'
        ann = osp.join(self.work_dir, row, 'points.json')
        if not osp.exists(ann):
            dump_json_atomic(
                moved_points(
                    read_annotation_file(self.train_ann), alpha, self.seed),
                ann)
        return self.train_on(row, ann)

    def train_on_stage1_labels(self, stage1_row: str) -> dict:
        """Stage 2 as row (c), on the pseudo points of a stage-1 row
        (measured first if it is not)."""
        self.run(stage1_row)
        return self.train_on(
            'points/' + stage1_row[len('stage1/'):],
            osp.join(self.work_dir, stage1_row, 'labels.json'))

    def stage1_main(self) -> dict:
        if self.train_seed != self.main['config']['seed']:
            return self.stage1_variant('stage1/main',
                                       Variant('the main job\'s'))
        row = self.main['transcription_only']
        return dict(
            test=row['stage1_test'],
            labels=row['pseudo_labels']['wecromcl'],
            minutes=row['stage1_train_minutes'])

    def stage1_variant(self, row: str, variant: Variant) -> dict:
        """Stage 1 as the main job's, changed as ``variant`` says (with
        nothing to train and the main job's seed: the main job's
        checkpoint); anchor P / R / F on the test images and, with
        ``variant.label``, of the pseudo labels of the training images."""
        recorded = self.main['config']
        transcriptions = osp.join(self.data_root, main_job.TRANSCRIPTIONS_FILE)
        if variant.trains or self.train_seed != recorded['seed']:
            load_from = osp.abspath(self.job_args.stage1_pretrained)
            if variant.fresh:
                load_from = image_encoder_checkpoint(
                    load_from, osp.join(self.work_dir, row,
                                        'image_encoder.pth'))
            stage1 = self.job.train(
                row, variant.config, recorded['stage1_iters'],
                recorded['batch_size'], load_from,
                main_job.stage1_options(
                    recorded['stage1_image_encoder'], recorded['num_train'] +
                    recorded['num_val'], transcriptions, self.train_seed) +
                list(variant.train_options))
            checkpoint, minutes = stage1['checkpoint'], stage1['minutes']
            test = self.job.test(row, variant.config, checkpoint)
        else:
            checkpoint = osp.join(self.main_dir, 'stage1_wecromcl',
                                  f'iter_{recorded["stage1_iters"]}.pth')
            minutes = None
            test = self.main['transcription_only']['stage1_test']
        result = dict(test=test, minutes=minutes)
        if variant.label:
            options = list(variant.label_options)
            labels = self.job.label(
                row, 'generate_pseudo_labels.py', variant.config, checkpoint,
                transcriptions, osp.join(self.work_dir, row, 'labels.json'),
                ['--cfg-options'] + options if options else [])
            result['labels'] = evaluate_pseudo_labels(labels, self.train_ann,
                                                      DICTIONARY)
        return result

    def train_on(self, row: str, train_ann: str) -> dict:
        """Stage 2 as the main job's row (c), on the points of
        ``train_ann``; end-to-end P / R / F on the test images."""
        args = self.job_args
        stage2 = self.job.train(row, main_job.STAGE2_GT_CONFIG,
                                args.stage2_iters, args.batch_size,
                                osp.abspath(args.stage2_pretrained),
                                main_job.stage2_options(args, train_ann))
        test = main_job.end_to_end(
            self.job.test(row, main_job.STAGE2_GT_CONFIG,
                          stage2['checkpoint']))
        return dict(test=test, minutes=stage2['minutes'])


def percent(value: Optional[float]) -> str:
    return '-' if value is None else f'{100 * value:.1f}'


def anchor_cells(metrics: dict, keys: Sequence[str]) -> List[str]:
    """For the ``nearest`` and ``inside`` rules, the anchor metrics ``keys``
    in percent, joined by `` / ``."""
    return [
        ' / '.join(percent(metrics[f'anchor/{rule}/{key}']) for key in keys)
        for rule in ('nearest', 'inside')
    ]


def row_value(result: Optional[dict], key: str) -> Optional[float]:
    """One number of a row's result: ``'test'`` (end-to-end F),
    ``'test-anchor'`` (inside anchor F on the test images), ``'labels'``
    (inside F of the pseudo labels) or a key of the result itself (the
    ``labels/`` rows); None when not measured."""
    if result is None:
        return None
    if key == 'test':
        return result['test']['f']
    if key == 'test-anchor':
        return result['test'][INSIDE]
    if key == 'labels':
        return result.get('labels', {}).get(INSIDE)
    return result[key]


def other_seeds(tables: 'Tables', row: str, key: str) -> str:
    """The row's :func:`row_value` ``key`` with the other training seeds
    (``seed N: F``)."""
    cells = []
    for seed in tables.other_seeds():
        value = row_value(tables.measured(row, seed), key)
        if value is not None:
            cells.append(f'seed {seed}: {percent(value)}')
    return ', '.join(cells) or '-'


def directions(tables: Tables) -> List[Tuple[str, str]]:
    """Whether each of the paper's directions holds on the measured rows.

    Args:
        tables (Tables): The rows.

    Returns:
        list[tuple(str, str)]: Each claim and ``'holds'``, ``'does not
        hold'`` or ``'not measured'``.
    """
    inside = INSIDE

    def f(row: str, key: str) -> Optional[float]:
        return row_value(tables.measured(row), key)

    claims = [
        ('WeCromCL points far above chance (inside F)',
         [f('labels/wecromcl', inside),
          f('labels/random', inside)], lambda a, b: a > b + 0.5),
        ('WeCromCL points spot close to GT points (within 5 F points)',
         [f('points/gt', 'test'),
          f('points/wecromcl', 'test')], lambda a, b: a - b <= 0.05),
        ('noise of 0.3 x box close to GT (within 5 F points)',
         [f('points/gt', 'test'),
          f('points/gt-noise-0.3', 'test')], lambda a, b: a - b <= 0.05),
        ('noise of 1 x box far below noise of 0.3 x box',
         [f('points/gt-noise-0.3', 'test'),
          f('points/gt-noise-1', 'test')], lambda a, b: a - b >= 0.2),
        ('WeCromCL far above the holistic labeller (pseudo labels, inside '
         'F, both from fresh text encoder and head; 10 F points)',
         [f('stage1/fresh', 'labels'),
          f('stage1/fresh-holistic', 'labels')], lambda a, b: a - b >= 0.1),
        ('stage 2 spots better from WeCromCL points than from holistic '
         'points (both from fresh text encoder and head)',
         [f('points/fresh', 'test'),
          f('points/fresh-holistic', 'test')], lambda a, b: a > b),
        ('character-wise above token-wise (test anchor F, inside)', [
            f('stage1/fresh-no-char-loss', 'test-anchor'),
            f('stage1/fresh-token', 'test-anchor')
        ], lambda a, b: a > b),
        ('negative mining helps (pseudo labels, inside F)',
         [f('stage1/main', 'labels'),
          f('stage1/no-mining', 'labels')], lambda a, b: a > b),
    ]
    return [(claim, 'not measured' if None in values else
             ('holds' if test(*values) else 'does not hold'))
            for claim, values, test in claims]


def write_tables(tables: Tables, out: str) -> None:
    """``docs/paper_tables.md`` from the measured rows."""
    lines = [
        '# The paper\'s comparisons on the target domain', '',
        '<!-- written by benchmarks/paper_tables.py; do not edit -->', '',
        'Measured on the target split of the main job in '
        f'`{osp.relpath(tables.main_dir, ROOT)}` (2,000 training and 100 '
        'test images of fonts no shipped checkpoint saw, '
        '`docs/transfer.md`). The paper\'s numbers are on ICDAR 2015 '
        '(pseudo labels of its training set; spotting with the strong '
        'lexicon), ours without a lexicon: compare directions, not values.',
        '', '```bash', 'python tools/main_job.py',
        'python benchmarks/paper_tables.py --all   # or --row NAME', '```', '',
        '## Pseudo-label quality (paper Table 2)', '',
        '| labeller | nearest P / R / F | inside P / R / F | paper F |',
        '| --- | --- | --- | --- |'
    ]
    for row, name in LABELLERS:
        result = tables.measured(row)
        if result is not None and row.startswith('stage1/'):
            result = result['labels']
        if result is None:
            lines.append(f'| {name} | not measured | | |')
            continue
        cells = anchor_cells(result, ('precision', 'recall', 'hmean'))
        paper = PAPER.get(row)
        lines.append(f'| {name} | {cells[0]} | {cells[1]} | '
                     f'{"-" if paper is None else paper} |')
    lines += [
        '', '## Spotting from each kind of point (paper supplementary '
        'Table 1)', '',
        'Stage 2 fine-tuned as the main job\'s row (c) on each kind of '
        'point; end-to-end on the test images, no lexicon.', '',
        '| trained on | P / R / F | minutes | paper F | F, other training '
        'seeds |', '| --- | --- | --- | --- | --- |'
    ]
    for row, name in (('points/gt', 'GT centre points'), ('points/wecromcl',
                                                          'WeCromCL points'),
                      ('points/recentred',
                       'WeCromCL points, re-centred, not refined'),
                      ('points/fresh', 'WeCromCL points, text encoder and '
                       'head from fresh weights'),
                      ('points/fresh-holistic', 'holistic (oCLIP-style) '
                       'points, text encoder and head from fresh weights'),
                      ('points/gt-noise-0.3', 'GT, noise 0.3 x box'),
                      ('points/gt-noise-1', 'GT, noise 1 x box')):
        result = tables.measured(row)
        if result is None:
            lines.append(f'| {name} | not measured | | '
                         f'{"-" if PAPER[row] is None else PAPER[row]} | |')
            continue
        test = result['test']
        minutes = result.get('minutes')
        lines.append(f'| {name} | ' + ' / '.join(
            percent(test[k]) for k in ('precision', 'recall', 'f')) +
                     f' | {"-" if minutes is None else f"{minutes:.1f}"} | '
                     f'{"-" if PAPER[row] is None else PAPER[row]} | '
                     f'{other_seeds(tables, row, "test")} |')
    lines += [
        '', '## Text encoder (paper: character-wise against token-wise)', '',
        'Both from fresh weights on the shipped image encoder (frozen), '
        'without the masked-character loss (it masks characters), trained '
        'as the main job\'s stage 1. Anchor F on the test images.', '',
        '| text encoder | test anchor F, nearest / inside | minutes | paper '
        '(IC15 test) | inside F, other training seeds |',
        '| --- | --- | --- | --- | --- |'
    ]
    for row, name, paper in (('stage1/fresh-no-char-loss', 'character-wise',
                              83.4), ('stage1/fresh-token',
                                      'token-wise (1,000 byte pairs)', 64.4)):
        result = tables.measured(row)
        if result is None:
            lines.append(f'| {name} | not measured | | {paper} | |')
            continue
        minutes = result.get('minutes')
        lines.append(f'| {name} | '
                     f'{" / ".join(anchor_cells(result["test"], ("hmean",)))}'
                     f' | {"-" if minutes is None else f"{minutes:.1f}"} | '
                     f'{paper} | {other_seeds(tables, row, "test-anchor")} |')
    lines += [
        '', '## Stage 1: negative mining and the project\'s additions', '',
        'Each variant trains as the main job\'s stage 1 (or labels with its '
        'checkpoint) with one thing changed. Anchor F on the test images '
        '(the words given, `AnchorPointMetric`) and of the pseudo labels '
        'of the training images.', '',
        '| stage 1 | test anchor F, nearest / inside | pseudo labels F, '
        'nearest / inside | minutes | pseudo labels inside F, other '
        'training seeds |', '| --- | --- | --- | --- | --- |'
    ]
    for row, name in [('stage1/main', 'the main job\'s')] + [
        (row, variant[0]) for row, variant in STAGE1_VARIANTS.items()
    ]:
        result = tables.measured(row)
        if result is None:
            lines.append(f'| {name} | not measured | | |')
            continue
        cells = [
            ' / '.join(anchor_cells(result[part],
                                    ('hmean', ))) if part in result else '-'
            for part in ('test', 'labels')
        ]
        minutes = result.get('minutes')
        lines.append(f'| {name} | {cells[0]} | {cells[1]} | '
                     f'{"-" if minutes is None else f"{minutes:.1f}"} | '
                     f'{other_seeds(tables, row, "labels")} |')
    lines += ['', '## Directions', ''] + [
        f'- {claim}: {verdict}' for claim, verdict in directions(tables)
    ] + [
        '', 'What the rows mean and why a direction does not hold: '
        '`docs/benchmarks.md`, "The paper\'s comparisons".'
    ]
    os.makedirs(osp.dirname(out), exist_ok=True)
    with open(out, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    print(f'tables written to {out}')


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument(
        '--main-job',
        default=osp.join(ROOT, 'work_dirs', 'main_job'),
        help='work directory of a finished tools/main_job.py')
    parser.add_argument(
        '--work-dir', default=osp.join(ROOT, 'work_dirs', 'paper_tables'))
    group = parser.add_mutually_exclusive_group()
    group.add_argument('--row', action='append', help='a row to measure')
    group.add_argument(
        '--all', action='store_true', help='measure every row not measured')
    parser.add_argument(
        '--seed', type=int, default=0, help='seed of random and noisy points')
    parser.add_argument(
        '--train-seed',
        type=int,
        help='training seed of the rows that train (default: the main '
        'job\'s); rows of another seed go to <work-dir>/seed<N>')
    parser.add_argument(
        '--out', default=osp.join(ROOT, 'docs', 'paper_tables.md'))
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    tables = Tables(args)
    rows = list(tables.rows) if args.all else (args.row or [])
    unknown = sorted(set(rows) - set(tables.rows))
    if unknown:
        raise SystemExit(f'unknown rows {unknown}; rows: {list(tables.rows)}')
    for row in rows:
        tables.run(row)
    write_tables(tables, args.out)


if __name__ == '__main__':
    main()
