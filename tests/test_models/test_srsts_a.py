# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
import math
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmocr.visualization import TextSpottingLocalVisualizer

from mmocr_wecromcl.models.spotters import SRSTSA
from mmocr_wecromcl.models.utils import gt_anchor_cells
from ._point_samples import point_sample as make_sample
from ._srsts_a_utils import build_spotter
from ._wecromcl_utils import tiny_wecromcl_cfg


def test_heads_get_encoder_channels_and_dictionary():
    model = build_spotter()
    assert model.stride == 8
    assert model.anchor_head.conv.in_channels == 4
    assert model.recog_head.input_proj.in_features == 4
    assert model.recog_head.dictionary is model.dictionary


def test_gt_anchor_cells_skip_ignored():
    model = build_spotter()
    samples = [
        make_sample([[3., 3.], [20., 17.], [500., 8.]], ['ab', '###', 'Cd'],
                    ignored=[False, True, False]),
        make_sample([], []),
    ]
    cells, texts = gt_anchor_cells(samples, model.stride, (8, 12),
                                   torch.device('cpu'))
    # (3, 3) -> cell (0, 0); (500, 8) is clamped to the last column.
    assert torch.equal(cells[0], torch.tensor([[0, 0], [11, 1]]))
    assert texts[0] == ['ab', 'Cd']
    assert cells[1].shape == (0, 2) and texts[1] == []


def test_loss_and_tensor_modes():
    model = build_spotter()
    inputs = torch.randn(2, 3, 64, 96)
    samples = [
        make_sample([[10., 20.], [60., 40.]], ['ab', 'c']),
        make_sample([[30., 30.]], ['###'], ignored=[True]),
    ]
    losses = model(inputs, samples, mode='loss')
    assert set(losses) == {'loss_anchor', 'loss_recog'}
    sum(losses.values()).backward()
    assert model.image_encoder.conv.weight.grad.abs().sum() > 0
    assert model.recog_head.sampler.offset_mlp[-1].bias.grad.abs().sum() > 0

    logits, feats = model(inputs, mode='tensor')
    assert logits.shape == (2, 8, 12)
    assert feats.shape == (2, 4, 8, 12)
    with pytest.raises(RuntimeError):
        model(inputs, samples, mode='bad')


def test_wecromcl_image_encoder_plugs_in():
    image_encoder = tiny_wecromcl_cfg(embed_dims=16)['image_encoder']
    model = build_spotter(image_encoder=image_encoder)
    model.init_weights()
    inputs = torch.randn(1, 3, 64, 64)
    losses = model(inputs, [make_sample([[40., 20.]], ['ab'])], mode='loss')
    sum(losses.values()).backward()
    assert model.recog_head.input_proj.in_features == 16
    model.eval()
    with torch.no_grad():
        logits, feats = model(inputs, mode='tensor')
        sample, = model(inputs, [make_sample([], [])], mode='predict')
    assert logits.shape == (1, 8, 8) and feats.shape == (1, 16, 8, 8)
    assert sample.pred_instances.points.shape[1] == 2


def deterministic_spotter(char: str) -> SRSTSA:
    """One anchor where the image is bright, always reading ``char``."""
    model = build_spotter()
    with torch.no_grad():
        model.image_encoder.conv.weight.zero_()
        model.image_encoder.conv.bias.zero_()
        model.image_encoder.conv.weight[0].fill_(1 / (3 * 64))
        model.anchor_head.conv.weight.zero_()
        model.anchor_head.conv.weight[0, 0] = 20.
        model.anchor_head.conv.bias.fill_(-10.)
        classifier = model.recog_head.classifier
        classifier.weight.zero_()
        classifier.bias.zero_()
        index = (
            model.recog_head.blank_idx
            if char == '' else model.dictionary.char2idx(char))
        classifier.bias[index] = 10.
    return model.eval()


def test_predict_points_and_visualizer(tmp_path):
    model = deterministic_spotter('q')
    inputs = torch.zeros(1, 3, 64, 96)
    inputs[0, :, 16:24, 40:48] = 1.  # cell (x=5, y=2)
    sample = make_sample([], [], scale_factor=(2., 0.5))
    with torch.no_grad():
        sample, = model(inputs, [sample], mode='predict')
    pred = sample.pred_instances
    # ((5 + 0.5) * 8 / 2, (2 + 0.5) * 8 / 0.5)
    assert torch.allclose(pred.points, torch.tensor([[22., 40.]]))
    assert pred.texts == ['q']
    assert pred.scores.tolist() == pytest.approx([1 / (1 + math.exp(-10))])
    assert pred.text_scores.shape == (1, ) and pred.text_scores[0] > 0.99
    assert torch.allclose(pred.bboxes, torch.tensor([[20., 32., 24., 48.]]))
    assert np.allclose(pred.polygons[0], [20, 32, 24, 32, 24, 48, 20, 48])

    out_file = osp.join(tmp_path, 'vis.jpg')
    TextSpottingLocalVisualizer().add_datasample(
        'pred',
        np.zeros((128, 48, 3), np.uint8),
        sample,
        draw_gt=False,
        pred_score_thr=0.5,
        out_file=out_file)
    assert cv2.imread(out_file).shape == (128, 96, 3)


def test_predict_drops_empty_words():
    model = deterministic_spotter('')
    inputs = torch.zeros(1, 3, 64, 96)
    inputs[0, :, 16:24, 40:48] = 1.
    with torch.no_grad():
        sample, = model(inputs, [make_sample([], [])], mode='predict')
    assert len(sample.pred_instances) == 0
    assert sample.pred_instances.points.shape == (0, 2)


def word_image(word: str, centre) -> np.ndarray:
    image = np.full((96, 96, 3), 255, np.uint8)
    font = cv2.FONT_HERSHEY_SIMPLEX
    (width, height), _ = cv2.getTextSize(word, font, 0.8, 2)
    origin = (int(centre[0] - width / 2), int(centre[1] + height / 2))
    cv2.putText(image, word, origin, font, 0.8, (0, 0, 0), 2)
    return image


def test_overfit_two_words():
    torch.manual_seed(0)
    words = [('cat', (36., 30.)), ('dog', (58., 66.))]
    images = [
        torch.from_numpy(word_image(w, c)).permute(2, 0, 1) for w, c in words
    ]
    model = build_spotter(
        image_encoder=dict(type='SRSTSATestResNetEncoder'),
        anchor_head=dict(type='AnchorPointHead'),
        recog_head=dict(
            type='PointRecognitionHead',
            sampler=dict(type='PointOffsetSampler', hidden_channels=64),
            embed_dims=64,
            num_layers=1,
            num_heads=4,
            feedforward_channels=128,
            dropout=0.),
        data_preprocessor=dict(
            type='TextDetDataPreprocessor',
            mean=[123.675, 116.28, 103.53],
            std=[58.395, 57.12, 57.375],
            bgr_to_rgb=True,
            pad_size_divisor=32))
    model.init_weights()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    def batch(training: bool):
        samples = [make_sample([c], [w], size=(96, 96)) for w, c in words]
        return model.data_preprocessor(
            dict(inputs=images, data_samples=samples), training=training)

    def spotted() -> bool:
        model.eval()
        with torch.no_grad():
            results = model(**batch(False), mode='predict')
        model.train()
        for result, (word, centre) in zip(results, words):
            pred = result.pred_instances
            if pred.texts != [word]:
                return False
            if (pred.points[0] - torch.tensor(centre)).abs().max() > 8:
                return False
        return True

    for step in range(1, 151):
        losses = model(**batch(True), mode='loss')
        optimizer.zero_grad()
        sum(losses.values()).backward()
        optimizer.step()
        if step % 10 == 0 and spotted():
            break
    assert spotted(), f'not spotted after {step} steps: {losses}'
