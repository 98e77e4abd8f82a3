# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""The command-line run shared by the tools that write point labels.

``tools/generate_pseudo_labels.py`` (WeCromCL anchor points),
``tools/recenter_pseudo_labels.py`` (re-centred points) and
``tools/refine_pseudo_labels.py`` (refined points) run a model over a
textspotting annotation file and write a textspotting annotation file: with
a progress bar, continuing an interrupted run, atomically and never silently
overwriting (:class:`PseudoLabelWriter`).
"""
import argparse
import copy
import os.path as osp
from typing import Callable, List, Optional, Sequence, Tuple

import torch
from mmcv.transforms import Compose
from mmengine.config import Config, DictAction
from torch import Tensor
from tqdm import tqdm

from mmocr_wecromcl.utils import read_annotation_file
from .inference import check_checkpoint, init_model
from .pseudo_labels import (PseudoLabelWriter, moved_instances,
                            pseudo_label_metainfo)
from .transcription_inference import iter_predictions

# One image's moved points (N, 2) and which become ignored ((N, ) or None).
MovedPoints = Tuple[Tensor, Optional[Tensor]]


def labelling_parser(description: str, model_name: str, ann_help: str,
                     batch_size: int) -> argparse.ArgumentParser:
    """The arguments of a labelling tool.

    Args:
        description (str): The tool's description.
        model_name (str): The model type, for the help texts.
        ann_help (str): Help text of ``--ann-file``.
        batch_size (int): Default of ``--batch-size``.

    Returns:
        argparse.ArgumentParser: ``config``, ``checkpoint``, ``--ann-file``,
        ``--data-root``, ``--out``, ``--batch-size``, ``--device``,
        ``--amp``, ``--overwrite`` and ``--cfg-options``.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument('config', help=f'{model_name} config file')
    parser.add_argument('checkpoint', help=f'{model_name} checkpoint')
    parser.add_argument('--ann-file', required=True, help=ann_help)
    parser.add_argument(
        '--data-root',
        help='Folder the image paths are relative to (default: the '
        'annotation file\'s folder)')
    parser.add_argument('--out', required=True, help='Output JSON file')
    parser.add_argument('--batch-size', type=int, default=batch_size)
    parser.add_argument('--device', default='cpu')
    parser.add_argument(
        '--amp',
        action='store_true',
        help='Predict in bfloat16 autocast (CPU or GPU)')
    parser.add_argument(
        '--overwrite',
        action='store_true',
        help='Replace an existing output file')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='Override config entries')
    return parser


def write_labels(args: argparse.Namespace,
                 build_pipeline: Callable[[Config], Compose],
                 predict: Callable[[object, dict], Sequence],
                 make_instances: Callable[[object, dict, object], List[dict]],
                 generator: str,
                 metainfo_key: str = 'pseudo_labels',
                 desc: str = 'labelling') -> str:
    """Run a model over ``args.ann_file`` and write ``args.out``.

    The input file, the config, the checkpoint and the output are checked
    before the model is built: a missing, malformed or empty annotation
    file, a missing config or checkpoint and an existing output (without
    ``args.overwrite``) stop the run with an error that names the file.
    Images that cannot be read are left out of the output (warned).

    Args:
        args (argparse.Namespace): Parsed :func:`labelling_parser` arguments.
        build_pipeline (callable): Maps the model's config to the pipeline
            that loads and packs one annotation entry.
        predict (callable): ``predict(model, data)`` gives one result per
            image of a preprocessed batch.
        make_instances (callable): ``make_instances(model, entry, result)``
            gives the output instances of an entry (``result`` is the packed
            sample, without running the model, for an entry with no text).
        generator (str): The model type, recorded in the metainfo.
        metainfo_key (str): The metainfo key recording this step.
        desc (str): Label of the progress bar.

    Returns:
        str: The output file.
    """
    source = read_annotation_file(args.ann_file)
    data_root = args.data_root or osp.dirname(osp.abspath(args.ann_file))
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    check_checkpoint(args.checkpoint)
    writer = PseudoLabelWriter(args.out, overwrite=args.overwrite)
    try:
        model = init_model(cfg, args.checkpoint, args.device)

        def predict_in_precision(data: dict) -> Sequence:
            with torch.autocast(
                    torch.device(args.device).type,
                    dtype=torch.bfloat16,
                    enabled=args.amp):
                return predict(model, data)

        todo = [
            e for e in source['data_list'] if e['img_path'] not in writer.done
        ]
        print(f'{len(writer.done)} images already done, {len(todo)} to go')
        for entry, result in tqdm(
                iter_predictions(model, todo, data_root,
                                 build_pipeline(model.cfg), args.batch_size,
                                 predict_in_precision),
                total=len(todo),
                desc=desc):
            out = {k: v for k, v in entry.items() if k != 'instances'}
            if result is None:
                out['skipped'] = True
                out['instances'] = []
            else:
                out['instances'] = make_instances(model, entry, result)
            writer.add(out)
        order = [
            e['img_path'] for e in source['data_list']
            if not writer.done[e['img_path']].get('skipped')
        ]
        path = writer.finish(
            pseudo_label_metainfo(source, args.checkpoint, args.ann_file,
                                  metainfo_key, generator), order)
        print(f'wrote {len(order)} images to {path}')
        return path
    finally:
        writer.close()


def point_reading_pipeline(cfg: Config) -> Compose:
    """The config's test pipeline, loading pseudo points as GT points.

    The image is loaded and resized as at test time; the annotations are
    the pseudo points and their texts (:class:`LoadPointAnnotations`, before
    the resize, so that the points follow it), packed as ``gt_instances``.

    Args:
        cfg (Config): An SRSTS-A config.

    Returns:
        Compose: The pipeline.
    """
    steps = []
    for step in copy.deepcopy(cfg.test_dataloader.dataset.pipeline):
        if step['type'] == 'LoadImageFromFile':
            steps += [
                dict(step, ignore_empty=True),
                dict(type='LoadPointAnnotations')
            ]
        elif step['type'] == 'PackPointSpottingInputs':
            steps.append(dict(type='PackPointSpottingInputs'))
        elif step['type'] != 'LoadOCRAnnotations':
            steps.append(step)
    return Compose(steps)


def move_points(args: argparse.Namespace,
                move: Callable[[object, dict], Sequence[MovedPoints]],
                metainfo_key: str, desc: str) -> str:
    """Write a pseudo-label file whose points an SRSTS-A has moved.

    Args:
        args (argparse.Namespace): Parsed :func:`labelling_parser` arguments
            (an SRSTS-A config and checkpoint, a pseudo-label file).
        move (callable): ``move(model, data)`` gives, for each image of a
            preprocessed batch, its (N_i, 2) new points in original pixels
            and which of them become ignored ((N_i, ) bool, or None).
        metainfo_key (str): The metainfo key recording this step.
        desc (str): Label of the progress bar.

    Returns:
        str: The output file; each instance keeps its first point as
        ``stage1_point`` (:func:`moved_instances`).
    """

    def make_instances(model, entry: dict, result) -> List[dict]:
        # an entry without instances comes back as its packed sample
        if not entry['instances']:
            return []
        points, ignored = result
        # a moved point stays on the image
        points[:, 0].clamp_(0, entry['width'])
        points[:, 1].clamp_(0, entry['height'])
        return moved_instances(entry['instances'], points.tolist(),
                               None if ignored is None else ignored.tolist())

    return write_labels(
        args,
        point_reading_pipeline,
        move,
        make_instances,
        generator='SRSTS-A',
        metainfo_key=metainfo_key,
        desc=desc)
