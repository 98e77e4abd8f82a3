# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Write single-point pseudo labels with a trained WeCromCL model.

Only the transcriptions of the input annotation file are used. The output is
an MMOCR textspotting annotation file whose instances carry ``point`` and
``score`` (format: docs/pseudo_labels.md). An interrupted run continues where
it stopped when rerun with the same arguments; the output file is written
atomically at the end and never silently overwritten.

Example:
    python tools/generate_pseudo_labels.py \\
        configs/wecromcl/wecromcl_resnet18_bifpn-deform_1xb16-3k_synthetic.py \\
        work_dirs/wecromcl_small/iter_3000.pth \\
        --ann-file data/synthetic_default/textspotting_train.json \\
        --out data/synthetic_default/textspotting_train_pseudo.json
"""
import argparse

import mmocr_wecromcl  # noqa: F401  (registers the plugin's modules)
from mmocr_wecromcl.apis import pseudo_instances
from mmocr_wecromcl.apis.labelling import labelling_parser, write_labels
from mmocr_wecromcl.apis.transcription_inference import (
    anchored_instances, transcription_only_pipeline)


def parse_args(argv=None) -> argparse.Namespace:
    parser = labelling_parser(
        'Generate point pseudo labels with WeCromCL', 'WeCromCL',
        'Textspotting annotation file whose transcriptions are used', 4)
    return parser.parse_args(argv)


def anchor_instances(model, entry: dict, sample) -> list:
    """One pseudo instance per transcription of ``entry`` that got a point.

    Args:
        model (WeCromCL): The model (unused: the predicted sample says which
            instance each point anchors).
        entry (dict): The annotation entry.
        sample (TextDetDataSample): Its predicted sample, whose
            ``gt_instances`` are the entry's instances in order.

    Returns:
        list[dict]: The pseudo instances (docs/pseudo_labels.md).
    """
    texts = [i.get('text', '') for i in entry['instances']]
    if list(sample.gt_instances.texts) != texts:
        raise ValueError(f'{entry["img_path"]}: the test pipeline of the '
                         'config changed the instances; it must keep each '
                         'one, in order, to pair points with them')
    owners = anchored_instances(entry['img_path'], sample)
    if not owners:
        return []
    pred = sample.pred_instances
    return pseudo_instances(texts, owners, pred.points.tolist(),
                            pred.scores.tolist())


def main(argv=None) -> None:
    write_labels(
        parse_args(argv),
        transcription_only_pipeline,
        lambda model, data: model(**data, mode='predict'),
        anchor_instances,
        generator='WeCromCL',
        desc='pseudo labels')


if __name__ == '__main__':
    main()
