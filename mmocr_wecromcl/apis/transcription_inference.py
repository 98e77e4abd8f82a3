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
from mmocr.models.common.dictionary import Dictionary

from mmocr_wecromcl.utils import IGNORED_WORD, normalize_word


def transcription_only_pipeline(cfg: Config) -> Compose:
    """The config's test pipeline, stripped of every location.

    ``LoadOCRAnnotations`` loads texts only and ``PackTranscriptionInputs``
    packs no evaluation GT, so the model sees the image and its
    transcriptions and nothing else.
    """
    steps = []
    for step in copy.deepcopy(cfg.test_dataloader.dataset.pipeline):
        if step['type'] == 'LoadOCRAnnotations':
            step = dict(type='LoadOCRAnnotations', with_text=True)
        elif step['type'] == 'PackTranscriptionInputs':
            step['with_eval_gt'] = False
        elif step['type'] == 'LoadImageFromFile':
            step['ignore_empty'] = True
        steps.append(step)
    return Compose(steps)


def query_words(entry: dict, dictionary: Dictionary,
                max_len: int) -> List[str]:
    """The word WeCromCL queries for each instance of an annotation entry.

    Each transcription is normalised as the model normalises its queries
    (:func:`normalize_word`; a word longer than ``max_len`` is queried by
    its first ``max_len`` characters). A word with no character of the
    dictionary has no query, with a warning that names the image; so has an
    ignored or ``'###'`` instance. An entry left with no query at all is
    warned about too.

    Args:
        entry (dict): A ``data_list`` entry (``img_path``, ``instances``
            with ``text``).
        dictionary (Dictionary): The model's dictionary.
        max_len (int): The text encoder's maximum word length.

    Returns:
        list[str]: One normalised word per instance, ``''`` for none.
    """
    words = []
    for instance in entry.get('instances', []):
        text = instance.get('text') or ''
        ignored = instance.get('ignore', False) or \
            text.strip() == IGNORED_WORD
        word = '' if ignored else normalize_word(text, dictionary, max_len)
        if not word and not ignored:
            print_log(
                f'{entry["img_path"]}: {text!r} has no character of the '
                'dictionary and gets no point',
                logger='current',
                level=logging.WARNING)
        words.append(word)
    if not any(words):
        print_log(
            f'{entry["img_path"]}: no usable word (no instance, or all '
            '"###", ignored or outside the dictionary)',
            logger='current',
            level=logging.WARNING)
    return words


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
