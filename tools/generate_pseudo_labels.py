# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Write single-point pseudo labels with a trained WeCromCL model.

Only the transcriptions of the input annotation file are used. The output is
an MMOCR textspotting annotation file whose instances carry ``point`` and
``score`` (format: docs/pseudo_labels.md). An interrupted run continues where
it stopped when rerun with the same arguments; the output file is written
atomically at the end and never silently overwritten.

Example:
    python tools/generate_pseudo_labels.py \\
        configs/wecromcl/wecromcl_resnet18_bifpn-small_3k_synthetic.py \\
        work_dirs/wecromcl_small/iter_3000.pth \\
        --ann-file data/synthetic_default/textspotting_train.json \\
        --out data/synthetic_default/textspotting_train_pseudo.json
"""
import argparse
import os.path as osp

from mmengine.config import Config, DictAction
from tqdm import tqdm

import mmocr_wecromcl  # noqa: F401  (registers the plugin's modules)
from mmocr_wecromcl.apis import (PseudoLabelWriter, init_model,
                                 load_annotations, pseudo_instances,
                                 pseudo_label_metainfo)
from mmocr_wecromcl.apis.transcription_inference import (
    iter_predictions, transcription_only_pipeline)
from mmocr_wecromcl.utils import normalize_word


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Generate point pseudo labels with WeCromCL')
    parser.add_argument('config', help='WeCromCL config file')
    parser.add_argument('checkpoint', help='WeCromCL checkpoint')
    parser.add_argument(
        '--ann-file',
        required=True,
        help='Textspotting annotation file whose transcriptions are used')
    parser.add_argument(
        '--data-root',
        help='Folder the image paths are relative to (default: the '
        'annotation file\'s folder)')
    parser.add_argument('--out', required=True, help='Output JSON file')
    parser.add_argument('--batch-size', type=int, default=4)
    parser.add_argument('--device', default='cpu')
    parser.add_argument(
        '--overwrite',
        action='store_true',
        help='Replace an existing output file')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='Override config entries')
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    source = load_annotations(args.ann_file)
    data_root = args.data_root or osp.dirname(osp.abspath(args.ann_file))
    writer = PseudoLabelWriter(args.out, overwrite=args.overwrite)
    try:
        cfg = Config.fromfile(args.config)
        if args.cfg_options:
            cfg.merge_from_dict(args.cfg_options)
        model = init_model(cfg, args.checkpoint, args.device)
        pipeline = transcription_only_pipeline(model.cfg)
        dictionary = model.dictionary
        todo = [e for e in source['data_list']
                if e['img_path'] not in writer.done]
        print(f'{len(writer.done)} images already labelled, {len(todo)} to '
              'go')
        for entry, sample in tqdm(
                iter_predictions(model, todo, data_root, pipeline,
                                 args.batch_size),
                total=len(todo), desc='pseudo labels'):
            out = {k: v for k, v in entry.items() if k != 'instances'}
            if sample is None:
                out['skipped'] = True
                out['instances'] = []
            else:
                texts = [i.get('text', '') for i in entry['instances']]
                normalized = [
                    '' if i.get('ignore', False) else normalize_word(
                        t, dictionary) for i, t in zip(entry['instances'],
                                                       texts)
                ]
                pred = sample.get('pred_instances')
                out['instances'] = [] if pred is None else pseudo_instances(
                    texts, normalized, pred.texts, pred.points.tolist(),
                    pred.scores.tolist())
            writer.add(out)
        # Images that could not be read are left out of the output.
        order = [
            e['img_path'] for e in source['data_list']
            if not writer.done[e['img_path']].get('skipped')
        ]
        path = writer.finish(
            pseudo_label_metainfo(source, args.checkpoint, args.ann_file),
            order)
        print(f'wrote {len(order)} images to {path}')
    finally:
        writer.close()


if __name__ == '__main__':
    main()
