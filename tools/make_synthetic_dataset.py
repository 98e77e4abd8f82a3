# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Generate the synthetic scene-text dataset (MMOCR textspotting format).

Example:
    python tools/make_synthetic_dataset.py --out-dir data/synthtext_mini \\
        --num-train 2000 --num-test 200 --img-size 320 --seed 0 \\
        --preset default --workers 2
"""
import argparse
import inspect
import os.path as osp
import time
from typing import List, Optional, Sequence

import cv2

from mmocr_wecromcl.datasets.synthetic import (PRESETS, SyntheticTextGenerator,
                                               write_synthetic_dataset)
from mmocr_wecromcl.datasets.synthetic.backgrounds import BACKGROUND_KINDS
from mmocr_wecromcl.datasets.synthetic.visualize import (draw_instances,
                                                         make_grid)

# (flag, generator argument, type, number of values, help). Unset options
# keep the preset's value.
OVERRIDES = (
    ('--num-words', 'num_words', int, 2,
     'MIN MAX words tried per image (inclusive)'),
    ('--font-size', 'font_size_range', float, 2,
     'MIN MAX em size in pixels of legible words (default: the preset\'s '
     'fractions of the shorter image side)'),
    ('--font-set', 'font_set', str, None,
     'fonts of the words: "source" (matplotlib\'s, which every shipped '
     'checkpoint was trained on) or "target" (held-out pip font packages; '
     'default: the preset\'s, "source" for all but "target")'),
    ('--vocabulary', 'vocabulary', str, None,
     'word list file, one word per line (default: the shipped English '
     'vocabulary)'),
    ('--prob-number', 'prob_number', float, None,
     'probability that a word is a number'),
    ('--prob-mixed', 'prob_mixed', float, None,
     'probability of a mixed letters/digits token such as "b52"'),
    ('--prob-upper', 'prob_upper', float, None,
     'probability of an upper-case word'),
    ('--prob-title', 'prob_title', float, None,
     'probability of a title-case word'),
    ('--prob-repeat', 'prob_repeat', float, None,
     'probability that a word repeats a word already in the image'),
    ('--prob-illegible', 'prob_illegible', float, None,
     'probability of an illegible word (tiny, blurred or faint), annotated '
     '"###" and ignored'),
    ('--prob-curved', 'prob_curved', float, None,
     'probability that a word follows an arc (14-point polygon)'),
    ('--arc-angle', 'arc_angle_range', float, 2,
     'MIN MAX angle in degrees spanned by a curved word (below 180)'),
    ('--prob-rotate', 'prob_rotate', float, None,
     'probability of an in-plane rotation'),
    ('--max-rotation', 'max_rotation', float, None,
     'largest rotation in degrees'),
    ('--prob-perspective', 'prob_perspective', float, None,
     'probability of a 3-D tilt of the word'),
    ('--max-perspective', 'max_perspective', float, None,
     'largest tilt about each axis in degrees'),
    ('--x-scale', 'x_scale_range', float, 2,
     'MIN MAX horizontal stretch of words'),
    ('--prob-outline', 'prob_outline', float, None,
     'probability of an outlined word'),
    ('--min-contrast', 'min_contrast', float, None,
     'smallest luminance difference (0-255) between a legible word and '
     'its background'),
    ('--num-distractors', 'num_distractors', int, 2,
     'MIN MAX non-text shapes (lines, strokes, ellipses, rectangles)'),
    ('--prob-shading', 'prob_shading', float, None,
     'probability of uneven lighting'),
    ('--prob-blur', 'prob_blur', float, None,
     'probability of a Gaussian blur of the image'),
    ('--blur-sigma', 'blur_sigma', float, 2,
     'MIN MAX standard deviation of that blur in pixels'),
    ('--prob-noise', 'prob_noise', float, None,
     'probability of Gaussian noise'),
    ('--noise-sigma', 'noise_sigma', float, 2,
     'MIN MAX standard deviation of that noise (0-255 scale)'),
    ('--prob-jpeg', 'prob_jpeg', float, None,
     'probability of JPEG compression artefacts'),
    ('--jpeg-quality', 'jpeg_quality', int, 2,
     'MIN MAX JPEG quality of those artefacts'),
    ('--max-attempts', 'max_attempts', int, None,
     'placement tries per word before it is dropped'),
)


def parse_img_size(value: str) -> tuple:
    """``'320'`` -> ``(320, 320)``; ``'240x320'`` -> ``(240, 320)`` (HxW)."""
    try:
        sides = tuple(int(v) for v in value.lower().split('x'))
    except ValueError:
        sides = ()
    if len(sides) == 1:
        sides = sides * 2
    if len(sides) != 2 or min(sides) < 16:
        raise argparse.ArgumentTypeError(
            f'expected SIZE or HxW with sides >= 16, got {value!r}')
    return sides


def parse_backgrounds(items: List[str]) -> dict:
    """``['plain=1', 'natural=2']`` -> ``{'plain': 1.0, 'natural': 2.0}``."""
    weights = {}
    for item in items:
        kind, _, weight = item.partition('=')
        if kind not in BACKGROUND_KINDS or not weight:
            raise argparse.ArgumentTypeError(
                f'expected KIND=WEIGHT with KIND in {BACKGROUND_KINDS}, got '
                f'{item!r}')
        weights[kind] = float(weight)
    return weights


def build_parser() -> argparse.ArgumentParser:
    presets = '; '.join(f'{name}: ' + ', '.join(f'{k}={v}'
                                                for k, v in cfg.items())
                        for name, cfg in PRESETS.items())
    parser = argparse.ArgumentParser(
        description='Generate synthetic scene-text images with word '
        'polygons and transcriptions, written like MMOCR\'s dataset '
        'preparer: <out-dir>/textspotting_{train,test}.json and '
        '<out-dir>/textspotting_imgs/{train,test}/NNNNNN.jpg. Every image '
        'only depends on --seed, its index and the options.',
        epilog=f'Presets (on top of the generator defaults): {presets}.')
    parser.add_argument(
        '--out-dir',
        default='data/synthetic_default',
        help='dataset root to write (the synthetic default configs read '
        'data/synthetic_default)')
    parser.add_argument(
        '--num-train',
        type=int,
        default=2000,
        help='training images (default: %(default)s)')
    parser.add_argument(
        '--num-val',
        type=int,
        default=0,
        help='validation images carved from the training sequence (after '
        'the last training image), written to textspotting_val.json '
        '(default: %(default)s, none)')
    parser.add_argument(
        '--num-test',
        type=int,
        default=200,
        help='test images (default: %(default)s)')
    parser.add_argument(
        '--img-size',
        type=parse_img_size,
        default=(320, 320),
        help='image size: SIZE for square images or HxW (default: 320)')
    parser.add_argument(
        '--seed',
        type=int,
        default=0,
        help='dataset seed (default: %(default)s)')
    parser.add_argument(
        '--preset',
        choices=sorted(PRESETS),
        default='default',
        help='generator preset, see below (default: %(default)s); the options '
        'from --backgrounds on override it')
    parser.add_argument(
        '--workers',
        type=int,
        default=2,
        help='processes drawing images (default: %(default)s)')
    parser.add_argument(
        '--overwrite',
        action='store_true',
        help='allow a non-empty --out-dir: its textspotting files and '
        'images are replaced')
    parser.add_argument(
        '--save-quality',
        type=int,
        default=95,
        help='JPEG quality of the saved images (default: %(default)s)')
    parser.add_argument(
        '--no-progress', action='store_true', help='hide the progress bar')
    parser.add_argument(
        '--preview',
        metavar='FILE',
        help='only write an image grid of the first --preview-count '
        'training images with their ground truth drawn (green: legible, '
        'red: ignored) to FILE, and exit')
    parser.add_argument(
        '--preview-count',
        type=int,
        default=8,
        help='images in the --preview grid, 4 per row (default: %(default)s)')
    parser.add_argument(
        '--preview-scale',
        type=int,
        default=2,
        help='upscaling factor of the --preview images (default: '
        '%(default)s)')
    parser.add_argument(
        '--backgrounds',
        nargs='+',
        metavar='KIND=WEIGHT',
        help=f'background kind weights, KIND in {BACKGROUND_KINDS} (default: '
        'the preset\'s, else plain=0.15 gradient=0.15 noise=0.2 stripes=0.1 '
        'natural=0.4)')
    defaults = inspect.signature(SyntheticTextGenerator).parameters
    for flag, dest, type_, nargs, help_ in OVERRIDES:
        if 'default:' not in help_:
            help_ += (' (default: the preset\'s value, else '
                      f'{defaults[dest].default})')
        parser.add_argument(
            flag,
            dest=dest,
            type=type_,
            nargs=nargs,
            metavar=('MIN', 'MAX') if nargs == 2 else None,
            help=help_)
    return parser


def build_generator(args: argparse.Namespace) -> SyntheticTextGenerator:
    """The generator of the preset with the options given applied."""
    overrides = {
        dest: tuple(value) if isinstance(value, list) else value
        for dest, value in ((dest, getattr(args, dest))
                            for _, dest, _, _, _ in OVERRIDES)
        if value is not None
    }
    if args.backgrounds is not None:
        overrides['backgrounds'] = parse_backgrounds(args.backgrounds)
    return SyntheticTextGenerator.from_preset(
        args.preset, img_size=args.img_size, seed=args.seed, **overrides)


def main(argv: Optional[Sequence[str]] = None) -> None:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        generator = build_generator(args)
    except (ValueError, KeyError, argparse.ArgumentTypeError) as error:
        parser.error(str(error))
    if args.preview:
        images = [
            draw_instances(*generator.generate(i), scale=args.preview_scale)
            for i in range(args.preview_count)
        ]
        cv2.imwrite(args.preview, make_grid(images, cols=4))
        print(f'Wrote a preview of {args.preview_count} images to '
              f'{args.preview}')
        return
    start = time.perf_counter()
    try:
        ann_files = write_synthetic_dataset(
            generator,
            args.out_dir,
            args.num_train,
            args.num_test,
            num_val=args.num_val,
            workers=args.workers,
            overwrite=args.overwrite,
            jpeg_quality=args.save_quality,
            progress=not args.no_progress)
    except FileExistsError as error:
        parser.error(str(error))
    elapsed = time.perf_counter() - start
    total = args.num_train + args.num_val + args.num_test
    print(f'Wrote {total} images in {elapsed:.1f} s '
          f'({60 * total / max(elapsed, 1e-9):.0f} images/min, '
          f'{args.workers} worker(s)) to {osp.abspath(args.out_dir)}:')
    for split, path in ann_files.items():
        print(f'  {split}: {path}')


if __name__ == '__main__':
    main()
