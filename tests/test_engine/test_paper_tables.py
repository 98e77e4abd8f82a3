# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""The points that ``benchmarks/paper_tables.py`` trains and scores."""
import importlib.util
import os.path as osp

import numpy as np
import pytest
import torch

from ..conftest import REPO


@pytest.fixture(scope='module')
def paper_tables():
    spec = importlib.util.spec_from_file_location(
        'benchmarks_paper_tables',
        osp.join(REPO, 'benchmarks', 'paper_tables.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def annotation():
    """Two words of a 100 x 50 image, the second ignored."""
    return dict(
        metainfo={},
        data_list=[
            dict(
                img_path='a.jpg',
                width=100,
                height=50,
                instances=[
                    dict(polygon=[10, 10, 30, 10, 30, 20, 10, 20], text='ab'),
                    dict(
                        polygon=[50, 30, 60, 30, 60, 40, 50, 40],
                        text='cd',
                        ignore=True)
                ])
        ])


def test_noisy_points_scale_with_the_box(paper_tables):
    ann = annotation()
    exact = paper_tables.moved_points(ann, 0.0, seed=0)['data_list'][0]
    # the vertex mean of the 20 x 10 box; the ignored word gets no point
    assert exact['instances'][0]['point'] == [20.0, 15.0]
    assert 'point' not in exact['instances'][1]
    moved = paper_tables.moved_points(ann, 0.5, seed=3)['data_list'][0]
    noise = np.random.default_rng(3).standard_normal(2)
    np.testing.assert_allclose(
        moved['instances'][0]['point'],
        [20 + 0.5 * noise[0] * 20, 15 + 0.5 * noise[1] * 10])
    far = paper_tables.moved_points(ann, 100.0, seed=3)['data_list'][0]
    x, y = far['instances'][0]['point']
    assert 0 <= x <= 99 and 0 <= y <= 49 and (x, y) != (20.0, 15.0)
    assert 'point' not in ann['data_list'][0]['instances'][0]


def test_random_labels_one_point_per_word_in_the_image(paper_tables):
    labels = paper_tables.random_labels(annotation(), seed=0)
    instance, = labels['data_list'][0]['instances']
    x, y = instance['point']
    assert instance['text'] == 'ab'
    assert 0 <= x <= 100 and 0 <= y <= 50


def test_image_encoder_checkpoint_keeps_only_the_image_encoder(
        paper_tables, tmp_path):
    source = tmp_path / 'model.pth'
    torch.save(
        dict(
            state_dict={
                'image_encoder.conv.weight': torch.ones(2),
                'text_encoder.char_embed.weight': torch.zeros(3),
                'head.q_proj.weight': torch.zeros(1)
            },
            meta=dict(iter=5)), source)
    out = str(tmp_path / 'row' / 'image_encoder.pth')
    assert paper_tables.image_encoder_checkpoint(str(source), out) == out
    state = torch.load(out, weights_only=True)
    assert list(state['state_dict']) == ['image_encoder.conv.weight']
    assert state['meta'] == dict(source='model.pth')
