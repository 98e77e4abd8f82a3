# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Where stage-1 pseudo points land, by the number of words per image.

Each pseudo point is counted as inside its own word's GT polygon, inside
another word's polygon of the same image, or on the background; the counts
are grouped by how many words the image has, printed and written as JSON.

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
from typing import Dict

from mmocr_wecromcl.apis.pseudo_labels import load_annotations
from mmocr_wecromcl.evaluation.functional import point_in_polygon


def landing_counts(pseudo_file: str, gt_file: str) -> Dict[int, Dict]:
    """Counts of ``own`` / ``other`` / ``background`` per words-per-image."""
    gt = {e['img_path']: e for e in load_annotations(gt_file)['data_list']}
    counts = defaultdict(lambda: dict(own=0, other=0, background=0))
    for entry in load_annotations(pseudo_file)['data_list']:
        words = gt[entry['img_path']]['instances']
        row = counts[len(words)]
        for inst in entry['instances']:
            hits = [
                w['text'].lower() == inst['text'].lower() for w in words
                if point_in_polygon(inst['point'], w['polygon'])
            ]
            key = 'own' if any(hits) else 'other' if hits else 'background'
            row[key] += 1
    return dict(sorted(counts.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('pseudo_file')
    parser.add_argument('gt_file')
    parser.add_argument(
        '--out', default='work_dirs/benchmarks/pseudo_label_errors.json')
    args = parser.parse_args()
    counts = landing_counts(args.pseudo_file, args.gt_file)
    for num_words, row in counts.items():
        total = sum(row.values())
        print(f'{num_words} word(s): {total} points, ' + ', '.join(
            f'{k} {v} ({100 * v / total:.1f} %)' for k, v in row.items()))
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    with open(args.out, 'w') as f:
        json.dump({str(k): v for k, v in counts.items()}, f, indent=2)
    print(f'written to {args.out}')


if __name__ == '__main__':
    main()
