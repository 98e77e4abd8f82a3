# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
import numpy as np
import pytest
import torch
from mmcv.transforms import Compose

from mmocr_wecromcl.datasets.transforms import (LOCATION_KEYS,
                                                LoadTranscriptionAnnotations,
                                                NegativeSampleMining,
                                                NormalizeTranscriptions,
                                                PackTranscriptionInputs)

DICT = dict(type='Dictionary', dict_file='lower_english_digits.txt')


def test_negative_sample_mining_excludes_image_words(tmp_path):
    vocab = tmp_path / 'vocab.txt'
    words = ['Cat', 'dog', 'sun', 'pen', 'map', 'key', 'box', 'red']
    vocab.write_text('\n'.join(words))
    mining = NegativeSampleMining(num_negatives=5, vocabulary=str(vocab))
    image_words = ['CAT', 'Dog', 'sun']
    for idx in range(20):
        out = mining(dict(gt_texts=list(image_words), sample_idx=idx))
        negatives = out['negative_texts']
        assert len(negatives) == 5 and len(set(negatives)) == 5
        # Only 5 vocabulary words are not in the image: all of them, always.
        assert sorted(negatives) == ['box', 'key', 'map', 'pen', 'red']


def test_negative_sample_mining_is_reproducible():
    a = NegativeSampleMining(num_negatives=16, seed=3)
    b = NegativeSampleMining(num_negatives=16, seed=3)
    c = NegativeSampleMining(num_negatives=16, seed=4)
    res = dict(gt_texts=['hello', 'world'], sample_idx=7)
    neg_a = a(dict(res))['negative_texts']
    assert neg_a == b(dict(res))['negative_texts']
    assert neg_a != c(dict(res))['negative_texts']
    assert neg_a != a(dict(res, sample_idx=8))['negative_texts']
    assert not {'hello', 'world'} & set(neg_a)


def test_negative_sample_mining_vocabulary_too_small(tmp_path):
    vocab = tmp_path / 'vocab.txt'
    vocab.write_text('a\nb\nc')
    with pytest.raises(ValueError, match='fewer than num_negatives'):
        NegativeSampleMining(num_negatives=3, vocabulary=str(vocab))


def test_normalize_transcriptions():
    norm = NormalizeTranscriptions(DICT, max_seq_len=25)
    out = norm(
        dict(
            img_path='a.jpg',
            gt_texts=['Hello!', '###', 'x' * 30, 'é', 'Ok', 'fine'],
            gt_ignored=np.array([0, 1, 0, 0, 0, 1], dtype=bool)))
    assert out['gt_texts'] == ['hello', 'x' * 25, 'ok']
    assert out['gt_ignored'].tolist() == [False, False, False]


def test_normalize_transcriptions_skips_unusable_image(caplog):
    norm = NormalizeTranscriptions(DICT)
    assert norm(dict(img_path='bad.jpg', gt_texts=['###', '€€'])) is None
    assert norm(dict(img_path='empty.jpg', gt_texts=[])) is None


def test_pack_transcription_inputs_carries_no_location():
    results = dict(
        img=np.zeros((8, 10, 3), np.uint8),
        img_path='a.jpg',
        ori_shape=(8, 10),
        img_shape=(8, 10),
        gt_texts=['cat', 'dog'],
        gt_polygons=[np.arange(8, dtype=np.float32)] * 2,
        gt_bboxes=np.zeros((2, 4), np.float32),
        gt_points=np.zeros((2, 2), np.float32),
        gt_ignored=np.zeros(2, bool),
        negative_texts=['sun'])
    packed = PackTranscriptionInputs()(dict(results))
    sample = packed['data_samples']
    assert packed['inputs'].shape == (3, 8, 10)
    assert set(sample.gt_instances.keys()) == {'texts', 'ignored'}
    assert sample.gt_instances.texts == ['cat', 'dog']
    assert sample.gt_instances.ignored.tolist() == [False, False]
    assert sample.negative_texts == ['sun']
    flat = str(sample.to_dict() if hasattr(sample, 'to_dict') else sample)
    for key in LOCATION_KEYS + ('polygons', 'bboxes', 'points'):
        assert key not in sample.gt_instances
    assert 'polygon' not in flat.split('META INFORMATION')[-1]
    # Evaluation packing keeps the GT polygons for the metric.
    eval_sample = PackTranscriptionInputs(
        with_eval_gt=True)(dict(results))['data_samples']
    assert len(eval_sample.gt_instances.polygons) == 2
    assert eval_sample.gt_instances.bboxes.shape == (2, 4)
    assert eval_sample.gt_instances.ignored.tolist() == [False, False]


def test_load_transcription_annotations_keeps_every_instance():
    instances = [
        dict(text='Cat', ignore=False, polygon=[0, 0, 1, 0, 1, 1, 0, 1]),
        dict(text='dog', ignore=True),
        dict(text=' ###', ignore=False),
        dict(text='sun'),
    ]
    out = LoadTranscriptionAnnotations()(dict(instances=instances))
    assert out['gt_texts'] == ['Cat', 'dog', ' ###', 'sun']
    assert out['gt_ignored'].dtype == bool
    assert out['gt_ignored'].tolist() == [False, True, True, False]
    assert not set(LOCATION_KEYS) & set(out)


def test_stage1_pipeline_from_raw_instances():
    """The stage-1 loader + our pack: no location survives, and neither
    does an ignored word."""
    pipeline = Compose([
        dict(type='LoadTranscriptionAnnotations'),
        dict(type='NormalizeTranscriptions', dictionary=DICT),
        dict(type='NegativeSampleMining', num_negatives=4),
        dict(type='PackTranscriptionInputs'),
    ])
    instances = [
        dict(
            polygon=[0, 0, 5, 0, 5, 5, 0, 5],
            bbox=[0, 0, 5, 5],
            bbox_label=0,
            ignore=False,
            text='Cat'),
        dict(
            polygon=[6, 0, 9, 0, 9, 5, 6, 5],
            bbox=[6, 0, 9, 5],
            bbox_label=0,
            ignore=True,
            text='###'),
        dict(
            polygon=[0, 6, 5, 6, 5, 9, 0, 9],
            bbox=[0, 6, 5, 9],
            bbox_label=0,
            ignore=True,
            text='Dog'),
    ]
    out = pipeline(
        dict(
            img=np.zeros((10, 10, 3), np.uint8),
            img_path='a.jpg',
            ori_shape=(10, 10),
            img_shape=(10, 10),
            sample_idx=0,
            instances=instances))
    sample = out['data_samples']
    assert sample.gt_instances.texts == ['cat']
    assert len(sample.negative_texts) == 4
    assert set(sample.gt_instances.keys()) == {'texts', 'ignored'}
    assert sample.gt_instances.ignored.tolist() == [False]
    assert isinstance(out['inputs'], torch.Tensor)
