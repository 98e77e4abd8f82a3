# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Where stage-1 pseudo points land, by the number of words per image.

Each pseudo point is counted as inside its own word's GT polygon, inside
another word's polygon of the same image, or on the background; the counts
are grouped by how many words the image has, printed and written as JSON.
For the points inside their own word, the position along the word is
summarised too: 0 is the word's start, 0.5 its centre (the GT point of the
evaluation), 1 its end.

Example:
    python benchmarks/pseudo_label_errors.py \\
        data/synthetic_default/textspotting_train_pseudo.json \\
        data/synthetic_default/textspotting_train.json \\
        --out work_dirs/benchmarks/pseudo_label_errors.json
"""
import argparse
import json
import os
import os.path as osp
from collections import defaultdict
from typing import Dict, List, Sequence, Tuple

import numpy as np

from mmocr_wecromcl.evaluation.functional import point_in_polygon
from mmocr_wecromcl.utils import center_line_point, read_annotation_file


def position_along_word(point: Sequence[float],
                        polygon: Sequence[float]) -> float:
    """Where a point lies along a word, projected on its start-end chord.

    Args:
        point (Sequence[float]): ``(x, y)``.
        polygon (Sequence[float]): Flat GT polygon, upper side first (from
            the word's start to its end), as for
            :func:`~mmocr_wecromcl.utils.center_line_point`.

    Returns:
        float: 0 at the start of the centre line, 1 at its end.
    """
    start = center_line_point(polygon, 0.0)
    chord = center_line_point(polygon, 1.0) - start
    length = float(np.dot(chord, chord))
    if length == 0:
        return 0.5
    return float(
        np.dot(np.asarray(point, dtype=np.float64) - start, chord) / length)


def landings(pseudo_file: str,
             gt_file: str) -> Tuple[Dict[int, Dict], List[float]]:
    """Where the pseudo points land.

    Returns:
        tuple(dict, list[float]): Counts of ``own`` / ``other`` /
        ``background`` per words-per-image, and the
        :func:`position_along_word` of each point inside its own word.
    """
    gt = {e['img_path']: e for e in read_annotation_file(gt_file)['data_list']}
    counts = defaultdict(lambda: dict(own=0, other=0, background=0))
    positions = []
    for entry in read_annotation_file(pseudo_file)['data_list']:
        words = gt[entry['img_path']]['instances']
        row = counts[len(words)]
        for inst in entry['instances']:
            hits = [
                w for w in words
                if point_in_polygon(inst['point'], w['polygon'])
            ]
            own = [
                w for w in hits if w['text'].lower() == inst['text'].lower()
            ]
            if own:
                positions.append(
                    position_along_word(inst['point'], own[0]['polygon']))
            row['own' if own else 'other' if hits else 'background'] += 1
    return dict(sorted(counts.items())), positions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('pseudo_file')
    parser.add_argument('gt_file')
    parser.add_argument(
        '--out', default='work_dirs/benchmarks/pseudo_label_errors.json')
    args = parser.parse_args()
    counts, positions = landings(args.pseudo_file, args.gt_file)
    for num_words, row in counts.items():
        total = sum(row.values())
        print(f'{num_words} word(s): {total} points, ' +
              ', '.join(f'{k} {v} ({100 * v / total:.1f} %)'
                        for k, v in row.items()))
    results = {str(k): v for k, v in counts.items()}
    if positions:
        quantiles = np.quantile(positions, [0.1, 0.5, 0.9])
        results['along_own_word'] = dict(
            points=len(positions),
            mean=float(np.mean(positions)),
            **{
                f'q{q}': float(v)
                for q, v in zip((10, 50, 90), quantiles)
            })
        print('position along the own word (0 start, 0.5 centre, 1 end): '
              f'mean {np.mean(positions):.2f}, 10/50/90 % quantiles ' +
              ' / '.join(f'{v:.2f}' for v in quantiles))
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    with open(args.out, 'w') as f:
        json.dump(results, f, indent=2)
    print(f'written to {args.out}')


if __name__ == '__main__':
    main()
