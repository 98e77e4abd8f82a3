# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
import json
import warnings

import cv2
import numpy as np
import pytest
from mmocr.registry import DATASETS

DICT = dict(type='Dictionary', dict_file='lower_english_digits.txt')
PIPELINE = [
    dict(type='LoadImageFromFile', ignore_empty=True),
    dict(type='LoadTranscriptionAnnotations'),
    dict(type='NormalizeTranscriptions', dictionary=DICT),
    dict(type='PackTranscriptionInputs'),
]


def _write(root, entries):
    data = dict(
        metainfo=dict(
            dataset_type='TextSpottingDataset', task_name='textspotting'),
        data_list=entries)
    (root / 'ann.json').write_text(json.dumps(data))


def _entry(name, texts):
    return dict(
        img_path=name,
        height=16,
        width=16,
        instances=[
            dict(
                polygon=[0, 0, 4, 0, 4, 4, 0, 4],
                bbox=[0, 0, 4, 4],
                bbox_label=0,
                ignore=t == '###',
                text=t) for t in texts
        ])


def _dataset(root):
    return DATASETS.build(
        dict(
            type='TextSpottingDataset',
            data_root=str(root),
            ann_file='ann.json',
            pipeline=PIPELINE))


def test_bad_samples_are_skipped_with_a_warning(tmp_path):
    cv2.imwrite(str(tmp_path / 'good.jpg'), np.zeros((16, 16, 3), np.uint8))
    (tmp_path / 'corrupt.jpg').write_bytes(b'not an image')
    cv2.imwrite(str(tmp_path / 'empty.jpg'), np.zeros((16, 16, 3), np.uint8))
    _write(tmp_path, [
        _entry('missing.jpg', ['cat']),
        _entry('corrupt.jpg', ['cat']),
        _entry('empty.jpg', ['###', '€']),
        _entry('good.jpg', ['Dog']),
    ])
    dataset = _dataset(tmp_path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        for idx in range(3):
            sample = dataset[idx]['data_samples']
            # Every bad entry is replaced by the only good image.
            assert sample.img_path.endswith('good.jpg')
            assert sample.gt_instances.texts == ['dog']
    messages = ' '.join(str(w.message) for w in caught)
    assert 'missing.jpg' in messages and 'corrupt.jpg' in messages


def test_missing_annotation_file_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match='ann.json does not exist'):
        _dataset(tmp_path)


@pytest.mark.parametrize('content,match', [
    ('{"data_list": [', 'not valid JSON'),
    ('[1, 2]', 'not in MMOCR'),
    ('{"metainfo": {}, "data_list": [{"instances": []}]}', 'entry 0'),
])
def test_malformed_annotation_file_is_a_clear_error(tmp_path, content, match):
    (tmp_path / 'ann.json').write_text(content)
    with pytest.raises(ValueError, match=match):
        _dataset(tmp_path)
