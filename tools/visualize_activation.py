# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Save WeCromCL activation maps of annotated images as PNG.

For each image, a row: the image, then each queried word's activation map
as a heatmap with its anchor point(s). An image that cannot be read or has
no word to query is not drawn (warned); existing drawings are replaced only
with ``--overwrite``.

Example:
    python tools/visualize_activation.py CONFIG CHECKPOINT \\
        --ann-file data/synthetic_default/textspotting_test.json \\
        --out-dir work_dirs/activation_maps --num 8
"""
import argparse
import os
import os.path as osp

import cv2
from mmengine.config import Config
from tqdm import tqdm

import mmocr_wecromcl  # noqa: F401  (registers the plugin's modules)
from mmocr_wecromcl.apis import init_model
from mmocr_wecromcl.apis.transcription_inference import (
    anchored_instances, iter_predictions, transcription_only_pipeline)
from mmocr_wecromcl.utils import read_annotation_file
from mmocr_wecromcl.visualization import activation_grid


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Draw WeCromCL activation maps')
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--ann-file', required=True)
    parser.add_argument('--data-root')
    parser.add_argument('--out-dir', required=True)
    parser.add_argument('--num', type=int, default=8, help='Images drawn')
    parser.add_argument('--max-words', type=int, default=4)
    parser.add_argument('--device', default='cpu')
    parser.add_argument(
        '--overwrite',
        action='store_true',
        help='Replace existing drawings in --out-dir')
    return parser.parse_args(argv)


def drawing_file(out_dir: str, entry: dict) -> str:
    """Where the drawing of an annotation entry is written."""
    name = osp.splitext(osp.basename(entry['img_path']))[0]
    return osp.join(out_dir, f'{name}_activation.png')


def main(argv=None) -> None:
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    cfg.model.test_cfg = dict(cfg.model.get('test_cfg') or {}, with_maps=True)
    source = read_annotation_file(args.ann_file)
    data_root = args.data_root or osp.dirname(osp.abspath(args.ann_file))
    entries = source['data_list'][:args.num]
    existing = [
        path for path in (drawing_file(args.out_dir, e) for e in entries)
        if osp.exists(path)
    ]
    if existing and not args.overwrite:
        raise FileExistsError(
            f'{existing[0]} exists; pass --overwrite to replace it')
    model = init_model(cfg, args.checkpoint, args.device)
    os.makedirs(args.out_dir, exist_ok=True)
    predictions = iter_predictions(model, entries, data_root,
                                   transcription_only_pipeline(cfg), 1)
    for entry, sample in tqdm(predictions, total=len(entries)):
        if sample is None or not anchored_instances(entry['img_path'], sample):
            continue
        image = cv2.imread(osp.join(data_root, entry['img_path']))
        cv2.imwrite(
            drawing_file(args.out_dir, entry),
            activation_grid(image, sample, args.max_words))
    print(f'activation maps written to {args.out_dir}')


if __name__ == '__main__':
    main()
