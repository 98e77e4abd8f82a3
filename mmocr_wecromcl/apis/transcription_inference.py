# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Run WeCromCL over annotation entries using their transcriptions only."""
import copy
import logging
import os.path as osp
from typing import Callable, Iterator, List, Optional, Sequence, Tuple

import torch
from mmcv.transforms import Compose
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.logging import print_log
from mmocr.structures import TextDetDataSample


def transcription_only_pipeline(cfg: Config) -> Compose:
    """The config's test pipeline, stripped of every location.

    ``LoadOCRAnnotations`` becomes :class:`LoadTranscriptionAnnotations`
    (texts and ignore flags) and ``PackTranscriptionInputs`` packs no
    evaluation GT, so the model sees the image and its transcriptions and
    nothing else. No instance is dropped: ``gt_instances.texts[i]`` is the
    text of the entry's ``instances[i]``, so the ``instance_indices`` that
    WeCromCL predicts index the entry's instances.

    Args:
        cfg (Config): A WeCromCL config.

    Returns:
        Compose: The pipeline.
    """
    steps = []
    for step in copy.deepcopy(cfg.test_dataloader.dataset.pipeline):
        if step['type'] == 'LoadOCRAnnotations':
            step = dict(type='LoadTranscriptionAnnotations')
        elif step['type'] == 'PackTranscriptionInputs':
            step['with_eval_gt'] = False
        elif step['type'] == 'LoadImageFromFile':
            step['ignore_empty'] = True
        steps.append(step)
    return Compose(steps)


def anchored_instances(img_path: str, sample: TextDetDataSample) -> List[int]:
    """The instance that each anchor point of a predicted sample belongs to.

    WeCromCL gives each occurrence of a queried word a point and says whose
    it is (``pred_instances.instance_indices``). An instance left without a
    point is ignored (flagged or ``'###'``) or has no character of the
    dictionary; the latter is warned about, naming the image and the word,
    and so is a sample left with no point at all.

    Args:
        img_path (str): The image, named in the warnings.
        sample (TextDetDataSample): A sample of
            :func:`transcription_only_pipeline` (``gt_instances.texts`` and
            ``gt_instances.ignored``), with the ``pred_instances`` of
            WeCromCL unless it has no instance.

    Returns:
        list[int]: For each predicted point, the index of its instance in
        ``gt_instances`` (P values).
    """
    gt = sample.gt_instances
    pred = sample.get('pred_instances')
    owners = [] if pred is None else pred.instance_indices.tolist()
    anchored = set(owners)
    for j, (text, ignored) in enumerate(zip(gt.texts, gt.ignored)):
        if not ignored and j not in anchored:
            print_log(
                f'{img_path}: {text!r} has no character of the dictionary '
                'and gets no point',
                logger='current',
                level=logging.WARNING)
    if not owners:
        print_log(
            f'{img_path}: no usable word (no instance, or all "###", '
            'ignored or outside the dictionary)',
            logger='current',
            level=logging.WARNING)
    return owners


def iter_predictions(
    model: torch.nn.Module,
    entries: Sequence[dict],
    data_root: str,
    pipeline: Compose,
    batch_size: int = 4,
    predict: Optional[Callable[[dict], Sequence]] = None
) -> Iterator[Tuple[dict, Optional[object]]]:
    """Run a model over annotation entries, batch by batch.

    Entries whose packed sample has no text are yielded with that sample,
    without running the model.

    Args:
        model (nn.Module): A model in eval mode (WeCromCL by default).
        entries (Sequence[dict]): ``data_list`` entries (``img_path``
            relative to ``data_root``, ``instances`` with ``text``).
        data_root (str): Folder the image paths are relative to.
        pipeline (Compose): Loads and packs one entry, e.g.
            :func:`transcription_only_pipeline`.
        batch_size (int): Images per forward pass.
        predict (callable, optional): Maps the preprocessed batch
            (``inputs``, ``data_samples``) to one result per image. Defaults
            to ``model(**data, mode='predict')``.

    Yields:
        tuple(dict, object or None): Each entry with its result (a predicted
        sample by default), or None when its image cannot be read (warned).
    """
    if predict is None:

        def predict(data):
            return model(**data, mode='predict')

    batch: List[Tuple[dict, dict]] = []

    def run(batch):
        data = model.data_preprocessor(
            pseudo_collate([packed for _, packed in batch]), False)
        with torch.no_grad():
            results = predict(data)
        return zip([entry for entry, _ in batch], results)

    for idx, entry in enumerate(entries):
        results = dict(
            img_path=osp.join(data_root, entry['img_path']),
            instances=entry.get('instances', []),
            sample_idx=idx)
        packed = pipeline(results)
        if packed is None:
            print_log(
                f'skipping {results["img_path"]}: missing or unreadable '
                'image',
                logger='current',
                level=logging.WARNING)
            yield entry, None
            continue
        if not packed['data_samples'].gt_instances.texts:
            yield entry, packed['data_samples']
            continue
        batch.append((entry, packed))
        if len(batch) == batch_size:
            yield from run(batch)
            batch = []
    if batch:
        yield from run(batch)
