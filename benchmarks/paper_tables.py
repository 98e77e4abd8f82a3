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

Example:
    python tools/main_job.py
    python benchmarks/paper_tables.py --all
"""
import argparse
import json
import os
import os.path as osp
import sys
from typing import Callable, Dict, List, Optional, Tuple

import numpy as np

from mmocr_wecromcl.apis import evaluate_pseudo_labels, point_instance
from mmocr_wecromcl.utils import (dump_json_atomic, is_ignored_instance,
                                  read_annotation_file, resource_path)

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
    'labels/random': None,
    'points/gt': 82.9,
    'points/wecromcl': 82.1,
    'points/gt-noise-0.3': 79.1,
    'points/gt-noise-1': 42.0,
}


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
        # the main job's stage-2 recipe; its checkpoints from this checkout
        self.job_args = main_job.parse_args([
            '--stage2-iters',
            str(recorded['stage2_iters']), '--stage2-lr',
            str(recorded['stage2_lr']), '--batch-size',
            str(recorded['batch_size']), '--seed',
            str(recorded['seed'])
        ] + (['--amp'] if recorded['amp'] else []))
        self.data_root = recorded['data_dir']
        self.train_ann = osp.join(self.data_root, 'textspotting_train.json')
        self.work_dir = osp.abspath(args.work_dir)
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
        }

    def result_file(self, row: str) -> str:
        return osp.join(self.work_dir, row, 'result.json')

    def measured(self, row: str) -> Optional[dict]:
        """The row's result, None if it has not been measured."""
        if not osp.exists(self.result_file(row)):
            return None
        with open(self.result_file(row)) as f:
            return json.load(f)

    def run(self, row: str) -> dict:
        """Measure ``row`` unless it is measured; return its result."""
        result = self.measured(row)
        if result is None:
            print(f'\n=== {row}', flush=True)
            result = self.rows[row]()
            dump_json_atomic(result, self.result_file(row), indent=2)
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


def directions(tables: Tables) -> List[Tuple[str, str]]:
    """Whether each of the paper's directions holds on the measured rows.

    Args:
        tables (Tables): The rows.

    Returns:
        list[tuple(str, str)]: Each claim and ``'holds'``, ``'does not
        hold'`` or ``'not measured'``.
    """

    def f(row: str, key: str) -> Optional[float]:
        result = tables.measured(row)
        if result is None:
            return None
        return result['test']['f'] if key == 'test' else result[key]

    inside = 'anchor/inside/hmean'
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
    for row, name in (('labels/wecromcl', 'WeCromCL'),
                      ('labels/random', 'a random point per word')):
        result = tables.measured(row)
        if result is None:
            lines.append(f'| {name} | not measured | | |')
            continue
        cells = [
            ' / '.join(
                percent(result[f'anchor/{rule}/{key}'])
                for key in ('precision', 'recall', 'hmean'))
            for rule in ('nearest', 'inside')
        ]
        paper = PAPER[row]
        lines.append(f'| {name} | {cells[0]} | {cells[1]} | '
                     f'{"-" if paper is None else paper} |')
    lines += [
        '', '## Spotting from each kind of point (paper supplementary '
        'Table 1)', '',
        'Stage 2 fine-tuned as the main job\'s row (c) on each kind of '
        'point; end-to-end on the test images, no lexicon.', '',
        '| trained on | P / R / F | minutes | paper F |',
        '| --- | --- | --- | --- |'
    ]
    for row, name in (('points/gt', 'GT centre points'), ('points/wecromcl',
                                                          'WeCromCL points'),
                      ('points/gt-noise-0.3', 'GT, noise 0.3 x box'),
                      ('points/gt-noise-1', 'GT, noise 1 x box')):
        result = tables.measured(row)
        if result is None:
            lines.append(f'| {name} | not measured | | {PAPER[row]} |')
            continue
        test = result['test']
        minutes = result.get('minutes')
        lines.append(f'| {name} | ' + ' / '.join(
            percent(test[k]) for k in ('precision', 'recall', 'f')) +
                     f' | {"-" if minutes is None else f"{minutes:.1f}"} | '
                     f'{PAPER[row]} |')
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
