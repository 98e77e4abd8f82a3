# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
import random

import torch
from mmengine.structures import InstanceData
from mmocr.structures import TextDetDataSample

from mmocr_wecromcl.datasets import (choose_unique_positives,
                                     transcription_collate)


def _batch(texts_per_image):
    batch = []
    for i, texts in enumerate(texts_per_image):
        sample = TextDetDataSample(
            metainfo=dict(sample_idx=i, img_path=f'{i}.jpg'))
        sample.gt_instances = InstanceData(texts=list(texts))
        batch.append(dict(inputs=torch.zeros(3, 4, 4), data_samples=sample))
    return batch


def test_no_shared_positive_in_crafted_batches():
    words = ['cat', 'Cat', 'dog', 'sun', 'pen', 'CAT', 'DOG']
    rng = random.Random(0)
    for trial in range(200):
        texts = [rng.sample(words, rng.randint(1, 4)) for _ in range(6)]
        chosen = choose_unique_positives(texts, random.Random(trial))
        picked = [texts[i][j].lower() for i, j in enumerate(chosen) if j >= 0]
        assert len(picked) == len(set(picked))
        # Only 4 distinct words exist (case-insensitive): at most 4 kept.
        assert len(picked) <= 4


def test_most_constrained_image_first():
    # Image 0 can only be 'cat'; image 1 must then take 'dog'.
    chosen = choose_unique_positives([['cat'], ['CAT', 'dog']],
                                     random.Random(0))
    assert chosen == [0, 1]


def test_collate_is_deterministic_and_drops_impossible_images():
    texts = [['cat'], ['Cat'], ['dog', 'sun'], ['sun', 'dog', 'pen']]
    out1 = transcription_collate(_batch(texts), seed=1)
    out2 = transcription_collate(_batch(texts), seed=1)
    pos1 = [s.positive_text for s in out1['data_samples']]
    pos2 = [s.positive_text for s in out2['data_samples']]
    assert pos1 == pos2
    # Image 1 ('Cat') collides with image 0 ('cat') and is left out.
    assert [s.metainfo['sample_idx']
            for s in out1['data_samples']] == [0, 2, 3]
    assert len({p.lower() for p in pos1}) == 3
    assert len(out1['inputs']) == 3
