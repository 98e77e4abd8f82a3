# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
import random

import torch
from mmengine.structures import InstanceData
from mmocr.structures import TextDetDataSample

from mmocr_wecromcl.datasets import (choose_unique_positives,
                                     transcription_collate)


def _batch(texts_per_image, ignored_per_image=None):
    batch = []
    for i, texts in enumerate(texts_per_image):
        sample = TextDetDataSample(
            metainfo=dict(sample_idx=i, img_path=f'{i}.jpg'))
        sample.gt_instances = InstanceData(texts=list(texts))
        if ignored_per_image is not None:
            sample.gt_instances.ignored = torch.tensor(
                ignored_per_image[i], dtype=torch.bool)
        batch.append(dict(inputs=torch.zeros(3, 4, 4), data_samples=sample))
    return batch


def test_no_shared_positive_in_crafted_batches():
    words = ['cat', 'dog', 'sun', 'pen']
    rng = random.Random(0)
    for trial in range(200):
        texts = [rng.sample(words, rng.randint(1, 4)) for _ in range(6)]
        chosen = choose_unique_positives(texts, random.Random(trial))
        picked = [texts[i][j] for i, j in enumerate(chosen) if j >= 0]
        assert len(picked) == len(set(picked))
        # Only 4 distinct words exist: at most 4 images kept.
        assert len(picked) <= 4


def test_words_are_compared_as_the_model_compares_them():
    # The texts are normalised words: 'Cat' and 'cat' are two queries of a
    # case-sensitive model, so both images keep their word.
    assert choose_unique_positives([['cat'], ['Cat']],
                                   random.Random(0)) == [0, 0]
    assert choose_unique_positives([['cat'], ['cat']],
                                   random.Random(0)) == [0, -1]


def test_most_constrained_image_first():
    # Image 0 can only be 'cat'; image 1 must then take 'dog'.
    chosen = choose_unique_positives([['cat'], ['cat', 'dog']],
                                     random.Random(0))
    assert chosen == [0, 1]


def test_collate_is_deterministic_and_drops_impossible_images():
    texts = [['cat'], ['cat'], ['dog', 'sun'], ['sun', 'dog', 'pen']]
    out1 = transcription_collate(_batch(texts), seed=1)
    out2 = transcription_collate(_batch(texts), seed=1)
    pos1 = [s.positive_text for s in out1['data_samples']]
    pos2 = [s.positive_text for s in out2['data_samples']]
    assert pos1 == pos2
    # Image 1 ('cat') collides with image 0 ('cat') and is left out.
    assert [s.metainfo['sample_idx']
            for s in out1['data_samples']] == [0, 2, 3]
    assert len(set(pos1)) == 3
    assert len(out1['inputs']) == 3


def test_ignored_word_is_never_a_positive_nor_a_negative():
    # Image 0's 'cat' is flagged ignored and its 'dog' is '###'; image 1's
    # 'sun' is flagged ignored.
    texts = [['cat', '###', 'pen'], ['sun', 'map'], ['###']]
    ignored = [[True, False, False], [True, False], [False]]
    for seed in range(20):
        out = transcription_collate(_batch(texts, ignored), seed=seed)
        # The in-batch negatives of an image are the other images'
        # positives: the ignored words are neither.
        assert [(s.metainfo['sample_idx'], s.positive_text)
                for s in out['data_samples']] == [(0, 'pen'), (1, 'map')]


def test_collate_matches_the_choice_without_ignore_flags():
    # Flags that are all False change nothing: the same draw as without.
    texts = [['cat', 'dog'], ['dog', 'sun'], ['sun', 'pen', 'cat']]
    flags = [[False] * len(t) for t in texts]
    for seed in range(10):
        plain = transcription_collate(_batch(texts), seed=seed)
        flagged = transcription_collate(_batch(texts, flags), seed=seed)
        assert [s.positive_text for s in plain['data_samples']] == \
            [s.positive_text for s in flagged['data_samples']]
