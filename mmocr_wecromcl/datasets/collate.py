# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Batch construction for WeCromCL's contrastive loss."""
import random
from typing import List, Sequence

from mmengine.dataset import pseudo_collate
from mmengine.logging import print_log
from mmengine.registry import FUNCTIONS
from mmocr.structures import TextDetDataSample

from mmocr_wecromcl.utils import is_ignored_word


def choose_unique_positives(texts_per_image: Sequence[Sequence[str]],
                            rng: random.Random) -> List[int]:
    """Pick one word per image so that no two images share a word.

    The words are the model's normalised words (``NormalizeTranscriptions``
    in the pipeline), so two words are the same query when their strings
    are equal. Images are visited from the most constrained (fewest distinct
    words) to the least; each takes a random word that no earlier image
    took.

    Args:
        texts_per_image (Sequence[Sequence[str]]): The words of each image.
        rng (random.Random): Source of the random choices.

    Returns:
        list[int]: For each image, the index of its positive word in its
        list, or -1 if every word of it was already taken (the image is
        then left out of the batch).
    """
    order = sorted(
        range(len(texts_per_image)),
        key=lambda i: (len(set(texts_per_image[i])), i))
    taken = set()
    chosen = [-1] * len(texts_per_image)
    for i in order:
        free = [j for j, t in enumerate(texts_per_image[i]) if t not in taken]
        if free:
            j = rng.choice(free)
            chosen[i] = j
            taken.add(texts_per_image[i][j])
    return chosen


def positive_candidates(sample: TextDetDataSample) -> List[str]:
    """The words of a packed sample that may be its positive.

    Args:
        sample (TextDetDataSample): With ``gt_instances.texts`` and optional
            ``gt_instances.ignored`` (N,) bool.

    Returns:
        list[str]: Its texts, in order, without the ignored ones (flagged or
        ``'###'``).
    """
    gt = sample.gt_instances
    ignored = gt.get('ignored', [False] * len(gt.texts))
    return [
        text for text, ign in zip(gt.texts, ignored)
        if not bool(ign) and not is_ignored_word(text)
    ]


@FUNCTIONS.register_module()
def transcription_collate(data_batch: Sequence[dict], seed: int = 0) -> dict:
    """Collate stage-1 samples into a batch with unique positives.

    Each image contributes one positive transcription
    (``data_sample.positive_text``) and no two images of the batch share one
    (see :func:`choose_unique_positives`). An ignored word (flagged in
    ``gt_instances.ignored`` or ``'###'``) is never a positive, so neither
    is it a negative of the other images of the batch. The choice is
    deterministic for a given seed and the batch's ``sample_idx`` values, so
    it does not depend on workers or ranks; it works with any sampler
    (mmengine's ``DefaultSampler`` and ``InfiniteSampler``, under DDP too).
    An image whose words are all ignored or taken by other images is left
    out of the batch, with a log message.

    Use in a config as ``collate_fn=dict(type='transcription_collate')``.

    Args:
        data_batch (Sequence[dict]): Packed samples
            (``PackTranscriptionInputs``).
        seed (int): Seed of the choice. Defaults to 0.

    Returns:
        dict: ``inputs`` (list[Tensor]) and ``data_samples`` as
        :func:`mmengine.dataset.pseudo_collate` returns them.
    """
    samples = [d['data_samples'] for d in data_batch]
    rng = random.Random(f'{seed}:' + ','.join(
        str(s.metainfo.get('sample_idx', -1)) for s in samples))
    candidates = [positive_candidates(s) for s in samples]
    chosen = choose_unique_positives(candidates, rng)
    kept = []
    for data, sample, words, j in zip(data_batch, samples, candidates, chosen):
        if j < 0:
            print_log(
                f'{sample.metainfo.get("img_path")} left out of a batch: '
                'each of its words is ignored or the positive of another '
                'image',
                logger='current')
            continue
        sample.positive_text = words[j]
        kept.append(data)
    return pseudo_collate(kept)
