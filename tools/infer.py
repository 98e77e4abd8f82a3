# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Run a trained model on arbitrary images (files, folders).

``spot``: an SRSTS-A checkpoint reads the words of each image (words,
anchor points, scores). ``locate``: a WeCromCL checkpoint finds the given
words in each image (anchor points and activation maps). Predictions are
written as JSON to ``OUT_DIR/preds`` and drawings as PNG to
``OUT_DIR/vis``; a progress bar follows the images.

Examples (the README has them with the shipped checkpoints):
    python tools/infer.py spot SRSTS_A_CONFIG CHECKPOINT demo_images/ \\
        --out-dir results/spot
    python tools/infer.py locate \\
        configs/wecromcl/wecromcl_resnet18_bifpn-deform_1xb16-3k_synthetic.py \\
        mmocr_wecromcl/resources/wecromcl_small_synthetic_pretrained.pth \\
        photo.jpg --words hello world --out-dir results/locate
"""
import argparse
import json
import os
import os.path as osp
from typing import List, Optional

import mmocr_wecromcl  # noqa: F401  (registers the plugin's modules)
from mmocr_wecromcl.apis import PointSpotInferencer, WordLocateInferencer


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument(
        'task',
        choices=['spot', 'locate'],
        help='spot: read the words (SRSTS-A); locate: find given words '
        '(WeCromCL)')
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument(
        'inputs', nargs='+', help='Image files and/or folders of images')
    parser.add_argument(
        '--words', nargs='+', help='locate: the words to find in every image')
    parser.add_argument('--out-dir', default='results')
    parser.add_argument('--batch-size', type=int, default=1)
    parser.add_argument('--device', default=None)
    parser.add_argument(
        '--amp',
        action='store_true',
        help='Predict in bfloat16 autocast (CPU or GPU)')
    parser.add_argument(
        '--score-thr',
        type=float,
        default=0.3,
        help='spot: smallest score of a drawn word')
    parser.add_argument(
        '--no-vis', action='store_true', help='Write no PNG drawings')
    args = parser.parse_args(argv)
    if args.task == 'locate' and not args.words:
        parser.error('locate needs --words')
    if args.task == 'spot' and args.words:
        parser.error('--words is for locate')
    return args


IMAGE_SUFFIXES = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp')


def expand_inputs(inputs: List[str]) -> List[str]:
    """Image files, with each folder replaced by its images (sorted).

    Raises:
        FileNotFoundError: For an input that does not exist, or when no
            image is left.
    """
    images = []
    for path in inputs:
        if osp.isdir(path):
            images += sorted(
                osp.join(path, name) for name in os.listdir(path)
                if name.lower().endswith(IMAGE_SUFFIXES))
        elif osp.isfile(path):
            images.append(path)
        else:
            raise FileNotFoundError(f'{path} does not exist')
    if not images:
        raise FileNotFoundError(f'no image in {", ".join(inputs)}')
    return images


def main(argv: Optional[List[str]] = None) -> dict:
    args = parse_args(argv)
    inputs = expand_inputs(args.inputs)
    inferencer_type = PointSpotInferencer if args.task == 'spot' else \
        WordLocateInferencer
    inferencer = inferencer_type(
        args.config, args.checkpoint, device=args.device, amp=args.amp)
    kwargs = dict(words=args.words) if args.task == 'locate' else dict(
        pred_score_thr=args.score_thr)
    results = inferencer(
        inputs,
        batch_size=args.batch_size,
        out_dir=args.out_dir,
        save_pred=True,
        save_vis=not args.no_vis,
        **kwargs)
    for prediction in results['predictions']:
        print(json.dumps({k: prediction[k] for k in ('texts', 'points')}))
    print(f'{len(results["predictions"])} images; predictions in '
          f'{args.out_dir}/preds' +
          ('' if args.no_vis else f', drawings in {args.out_dir}/vis'))
    return results


if __name__ == '__main__':
    main()
