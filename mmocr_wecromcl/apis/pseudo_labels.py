# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Single-point pseudo labels from WeCromCL anchor points.

Output format: an MMOCR textspotting annotation file (what the dataset
preparer writes) whose instances carry, beside ``text``:

- ``point``: ``[x, y]``, the anchor point in original-image pixels;
- ``score``: the activation at the anchor point;
- ``polygon`` / ``bbox``: a 2-pixel square around the point, so that any
  textspotting reader (MMOCR's ``LoadOCRAnnotations``, the SPTS project's
  centre-point computation) recovers the point;
- ``bbox_label``: 0 and ``ignore``: false.

Ignored words (flagged ``ignore`` or ``'###'``) and words with no character
of the dictionary get no point and are left out (the latter with a warning
that names the image). The metainfo gains ``pseudo_labels`` (the checkpoint
and source).

``tools/recenter_pseudo_labels.py`` writes the same format with each point
moved to the centre of its word as a pretrained SRSTS-A reads it; the
WeCromCL point is kept as ``stage1_point`` and the metainfo gains
``recentred``.
"""
import json
import logging
import os
import os.path as osp
from typing import Dict, Iterator, List, Optional

import numpy as np
from mmengine.logging import print_log

from mmocr_wecromcl.datasets.transforms.loading import point_to_square
from mmocr_wecromcl.utils import (dump_json_atomic, is_ignored_instance,
                                  read_annotation_file)


def point_instance(text: str, x: float, y: float, score: float,
                   **extra) -> dict:
    """One pseudo-labelled instance in the format of this module.

    Args:
        text (str): The transcription.
        x (float): The point, original-image pixels.
        y (float): The point, original-image pixels.
        score (float): The point's score.
        **extra: More keys of the instance.

    Returns:
        dict: The instance (coordinates rounded to 2 decimals).
    """
    square = point_to_square(x, y).astype(np.float64).round(2).tolist()
    return dict(
        point=[round(float(x), 2), round(float(y), 2)],
        score=round(float(score), 6),
        text=text,
        polygon=square,
        bbox=[square[0], square[1], square[4], square[5]],
        bbox_label=0,
        ignore=False,
        **extra)


def pseudo_instances(texts: List[str], instance_indices: List[int],
                     points: List[List[float]],
                     scores: List[float]) -> List[dict]:
    """Pair predicted anchor points with the image's transcriptions.

    Args:
        texts (list[str]): The image's N transcriptions, as annotated.
        instance_indices (list[int]): For each of the P predictions, the
            index in ``texts`` of the transcription it anchors (WeCromCL's
            ``pred_instances.instance_indices``; at most one per
            transcription).
        points (list[list[float]]): ``[x, y]`` per prediction.
        scores (list[float]): Score per prediction.

    Returns:
        list[dict]: One instance per transcription that got a point, in the
        order of ``texts``.
    """
    order = sorted(
        range(len(instance_indices)), key=instance_indices.__getitem__)
    return [
        point_instance(texts[instance_indices[p]], *points[p], scores[p])
        for p in order
    ]


def moved_instances(instances: List[dict],
                    points: List[List[float]],
                    ignored: Optional[List[bool]] = None) -> List[dict]:
    """Pseudo instances moved to new points.

    The new points come from :func:`recenter_points` or
    :func:`refine_points`.

    Args:
        instances (list[dict]): Pseudo-labelled instances with ``point``.
        points (list[list[float]]): The new ``[x, y]`` of each.
        ignored (list[bool], optional): Which instances become ``ignore``
            (no training target); an instance already ignored stays so.

    Returns:
        list[dict]: The instances at their new points; the first point
        (the WeCromCL one) is kept as ``stage1_point``.
    """
    if len(points) != len(instances):
        raise ValueError(f'{len(instances)} instances but {len(points)} '
                         'points')
    if ignored is None:
        ignored = [False] * len(instances)
    moved = []
    for inst, (x, y), ignore in zip(instances, points, ignored):
        new = point_instance(
            inst['text'],
            x,
            y,
            inst.get('score', 1.0),
            stage1_point=inst.get('stage1_point', inst['point']))
        new['ignore'] = bool(inst.get('ignore', False) or ignore)
        moved.append(new)
    return moved


class PseudoLabelWriter:
    """Write pseudo labels so that an interrupted run can continue.

    Each finished image is appended (and flushed) as one JSON line to
    ``<out_file>.partial.jsonl``; a rerun reads it back and skips those
    images. :meth:`finish` writes the textspotting JSON to a temporary file
    in the same folder and renames it over ``out_file`` (atomic), then
    removes the partial file.

    Args:
        out_file (str): The output annotation file.
        overwrite (bool): Replace an existing ``out_file``; without it an
            existing output is an error (nothing is silently overwritten).
    """

    def __init__(self, out_file: str, overwrite: bool = False) -> None:
        if osp.exists(out_file) and not overwrite:
            raise FileExistsError(
                f'{out_file} exists; pass --overwrite to replace it')
        self.out_file = out_file
        self.partial_file = out_file + '.partial.jsonl'
        os.makedirs(osp.dirname(osp.abspath(out_file)), exist_ok=True)
        self.done: Dict[str, dict] = {}
        if osp.exists(self.partial_file):
            for entry in self._read_partial():
                self.done[entry['img_path']] = entry
        self._fp = open(self.partial_file, 'a')

    def _read_partial(self) -> Iterator[dict]:
        with open(self.partial_file) as f:
            for line in f:
                try:
                    yield json.loads(line)
                except ValueError:
                    # A line cut by the interruption: redo that image.
                    return

    def add(self, entry: dict) -> None:
        """Record the pseudo labels of one image (``img_path`` is its key)."""
        self._fp.write(json.dumps(entry) + '\n')
        self._fp.flush()
        os.fsync(self._fp.fileno())
        self.done[entry['img_path']] = entry

    def finish(self, metainfo: dict, order: List[str]) -> str:
        """Write the annotation file atomically.

        Args:
            metainfo (dict): The metainfo to write.
            order (list[str]): ``img_path`` of every image, in output order;
                all must have been added.

        Returns:
            str: The output file.
        """
        self._fp.close()
        missing = [p for p in order if p not in self.done]
        if missing:
            raise RuntimeError(f'{len(missing)} images have no pseudo labels '
                               f'yet, e.g. {missing[0]}')
        dump_json_atomic(
            dict(metainfo=metainfo, data_list=[self.done[p] for p in order]),
            self.out_file)
        os.remove(self.partial_file)
        return self.out_file

    def close(self) -> None:
        """Close the partial file (progress stays for a rerun)."""
        if not self._fp.closed:
            self._fp.close()


def pseudo_label_metainfo(source: dict,
                          checkpoint: Optional[str],
                          ann_file: str,
                          key: str = 'pseudo_labels',
                          generator: str = 'WeCromCL') -> dict:
    """The source metainfo plus where the pseudo labels come from.

    Args:
        source (dict): The input annotation file's content.
        checkpoint (str, optional): The model checkpoint used.
        ann_file (str): The input annotation file.
        key (str): The metainfo key recording this step. Defaults to
            ``'pseudo_labels'``; re-centring records ``'recentred'`` and
            refinement ``'refined'``.
        generator (str): The model type. Defaults to ``'WeCromCL'``.

    Returns:
        dict: The new metainfo.
    """
    meta = dict(source.get('metainfo', {}))
    meta[key] = dict(
        generator=generator, checkpoint=checkpoint, source=ann_file)
    return meta


def evaluate_pseudo_labels(pseudo_file: str,
                           gt_file: str,
                           dictionary: Optional[dict] = None
                           ) -> Dict[str, float]:
    """Score pseudo labels against the full GT of the same images.

    The paper reports this as the anchor-point F on the training set.
    Pseudo instances marked ``ignore`` (``tools/refine_pseudo_labels.py``)
    are no training target and are left out. Images of ``gt_file`` that
    ``pseudo_file`` lacks (e.g. left out as unreadable) are not scored, with
    a warning that names them.

    Args:
        pseudo_file (str): Output of ``tools/generate_pseudo_labels.py``
            (or of a tool that moved its points).
        gt_file (str): The textspotting annotation file with polygons.
        dictionary (dict, optional): The dictionary config given to
            :class:`AnchorPointMetric` (text normalisation).

    Returns:
        dict: The metric's results (``anchor/nearest/hmean`` ...).

    Raises:
        ValueError: If the two files have no image in common (and as
            :func:`read_annotation_file`).
    """
    from mmocr.registry import METRICS
    pseudo = {
        e['img_path']: e
        for e in read_annotation_file(pseudo_file)['data_list']
    }
    gt_entries = read_annotation_file(gt_file)['data_list']
    unlabelled = [
        e['img_path'] for e in gt_entries if e['img_path'] not in pseudo
    ]
    if len(unlabelled) == len(gt_entries):
        raise ValueError(f'no image of {gt_file} is in {pseudo_file}')
    if unlabelled:
        print_log(
            f'{len(unlabelled)} images of {gt_file} are not in {pseudo_file} '
            f'and are not scored: {", ".join(unlabelled[:5])}'
            f'{" ..." if len(unlabelled) > 5 else ""}',
            logger='current',
            level=logging.WARNING)
    samples = []
    for entry in gt_entries:
        if entry['img_path'] not in pseudo:
            continue
        gt = entry['instances']
        # an ignored pseudo instance is no training target, so no label
        pred = [
            i for i in pseudo[entry['img_path']]['instances']
            if not i.get('ignore', False)
        ]
        samples.append(
            dict(
                gt_instances=dict(
                    polygons=[i['polygon'] for i in gt],
                    texts=[i['text'] for i in gt],
                    ignored=[is_ignored_instance(i) for i in gt]),
                pred_instances=dict(
                    points=[i['point'] for i in pred],
                    texts=[i['text'] for i in pred],
                    scores=[i['score'] for i in pred])))
    metric = METRICS.build(
        dict(type='AnchorPointMetric', dictionary=dictionary))
    metric.process([], samples)
    return metric.evaluate(len(samples))
