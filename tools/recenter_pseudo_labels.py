# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Move WeCromCL pseudo points to the centres of their words.

A WeCromCL anchor point lies on one character of its word, most often near
the word's end. A pretrained SRSTS-A reads the word at that point; the mean
location of its sampling points that decode a character is the word's
centre as the spotter sees it, and becomes the new point
(``recenter_points``; docs/method.md, "Anchor re-centring"). Only the
images and the pseudo points are used, not the texts. The output has the
format of ``tools/generate_pseudo_labels.py`` (docs/pseudo_labels.md), with
the WeCromCL point kept as ``stage1_point``. An interrupted run continues
where it stopped when rerun with the same arguments; the output is written
atomically and never silently overwritten.

Example:
    python tools/recenter_pseudo_labels.py \\
        configs/srsts-a/srsts-a_resnet18_bifpn-deform_1xb16-3k_synthetic-pseudo-points.py \\
        mmocr_wecromcl/resources/srsts-a_small_synthetic_along-word_pretrained.pth \\
        --ann-file data/synthetic_default/textspotting_train_pseudo.json \\
        --out data/synthetic_default/textspotting_train_pseudo_recentred.json
"""
import argparse

import mmocr_wecromcl  # noqa: F401  (registers the plugin's modules)
from mmocr_wecromcl.apis import recenter_points
from mmocr_wecromcl.apis.labelling import labelling_parser, move_points


def parse_args(argv=None) -> argparse.Namespace:
    parser = labelling_parser(
        'Move pseudo points to the centres of their words', 'SRSTS-A',
        'Pseudo-label annotation file', 8)
    return parser.parse_args(argv)


def main(argv=None) -> None:
    move_points(
        parse_args(argv),
        lambda model, data: [(points, None)
                             for points in recenter_points(model, **data)],
        metainfo_key='recentred',
        desc='re-centring')


if __name__ == '__main__':
    main()
