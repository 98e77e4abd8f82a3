# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Move pseudo points to the nearby cells that best fit their words.

Each pseudo point (e.g. re-centred by ``tools/recenter_pseudo_labels.py``)
moves, within ``--radius`` feature cells, to the cell where the SRSTS-A to
be fine-tuned finds the word least costly as a training target: the
negative log anchor confidence there plus the CTC loss of the word's
transcription read there (``refine_points``; docs/method.md, "Anchor
refinement"). A word whose CTC loss per character stays above
``--max-word-loss`` at its best cell cannot be read anywhere near its point,
most likely a point on another word: it is searched again over the whole
image (unless ``--window-only``), and marked ``ignore`` (no training
target) if it cannot be read there either. Only the images, the pseudo
points and the transcriptions are used. The output has the format of
``tools/generate_pseudo_labels.py`` (docs/pseudo_labels.md), with the
WeCromCL point kept as ``stage1_point``.
An interrupted run continues where it stopped when rerun with the same
arguments; the output is written atomically and never silently overwritten.

Example:
    python tools/refine_pseudo_labels.py \\
        configs/srsts-a/srsts-a_resnet18_bifpn-deform_1xb16-3k_synthetic-pseudo-points.py \\
        mmocr_wecromcl/resources/srsts-a_small_synthetic_pretrained.pth \\
        --ann-file data/synthetic_default/textspotting_train_pseudo_recentred.json \\
        --out data/synthetic_default/textspotting_train_pseudo_refined.json
"""
import argparse

import mmocr_wecromcl  # noqa: F401  (registers the plugin's modules)
from mmocr_wecromcl.apis import refine_points
from mmocr_wecromcl.apis.labelling import labelling_parser, move_points


def parse_args(argv=None) -> argparse.Namespace:
    parser = labelling_parser(
        'Move pseudo points to the nearby cells that best fit their words',
        'SRSTS-A', 'Pseudo-label annotation file', 8)
    parser.add_argument(
        '--radius',
        type=int,
        default=2,
        help='Half-side, in feature cells, of the window searched around '
        'each point')
    parser.add_argument(
        '--max-word-loss',
        type=float,
        default=2.0,
        help='CTC loss per character above which a word is searched over '
        'the whole image, and marked ignore if it stays above it')
    parser.add_argument(
        '--window-only',
        action='store_true',
        help='Mark the words unreadable in their window ignore without '
        'searching the whole image')
    args = parser.parse_args(argv)
    if args.radius < 0:
        parser.error(f'--radius must be >= 0, got {args.radius}')
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    move_points(
        args,
        lambda model, data: [(points, losses > args.max_word_loss)
                             for points, losses in refine_points(
                                 model,
                                 **data,
                                 radius=args.radius,
                                 max_word_loss=None
                                 if args.window_only else args.max_word_loss)],
        metainfo_key='refined',
        desc='refining')


if __name__ == '__main__':
    main()
