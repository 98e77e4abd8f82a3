# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
import math
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
import torch.nn as nn
from mmdet.models.backbones import ResNet
from mmengine.structures import InstanceData
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample
from mmocr.visualization import TextSpottingLocalVisualizer

from mmocr_wecromcl.models.spotters import (SRSTSA, recenter_points,
                                            refine_points)
from ._wecromcl_utils import tiny_wecromcl_cfg

DICT = dict(type='Dictionary', dict_file='lower_english_digits.txt')
SMALL_RECOG_HEAD = dict(
    type='PointRecognitionHead',
    sampler=dict(type='PointOffsetSampler', num_points=8, hidden_channels=8),
    embed_dims=8,
    num_layers=1,
    num_heads=2,
    feedforward_channels=16,
    dropout=0.)


@MODELS.register_module(force=True)
class SRSTSATestPatchEncoder(nn.Module):
    """Stand-in image encoder: one 8x8 patch convolution, stride 8."""

    def __init__(self, out_channels: int = 4) -> None:
        super().__init__()
        self.out_channels = out_channels
        self.stride = 8
        self.conv = nn.Conv2d(3, out_channels, kernel_size=8, stride=8)

    def forward(self, inputs: torch.Tensor, valid_shapes=None) -> torch.Tensor:
        return self.conv(inputs)


@MODELS.register_module(force=True)
class SRSTSATestResNetEncoder(nn.Module):
    """Stand-in image encoder: the first two stages of ResNet-18, stride 8."""

    def __init__(self) -> None:
        super().__init__()
        self.out_channels = 128
        self.stride = 8
        self.resnet = ResNet(
            depth=18,
            num_stages=2,
            strides=(1, 2),
            dilations=(1, 1),
            out_indices=(1, ))

    def forward(self, inputs: torch.Tensor, valid_shapes=None) -> torch.Tensor:
        return self.resnet(inputs)[0]


def build_spotter(**kwargs) -> SRSTSA:
    cfg = dict(
        image_encoder=dict(type='SRSTSATestPatchEncoder'),
        anchor_head=dict(type='AnchorPointHead'),
        recog_head=SMALL_RECOG_HEAD,
        dictionary=DICT)
    cfg.update(kwargs)
    return MODELS.build(dict(type='SRSTSA', **cfg))


def make_sample(points,
                texts,
                ignored=None,
                scale_factor=(1., 1.),
                size=(64, 96)) -> TextDetDataSample:
    sample = TextDetDataSample(
        metainfo=dict(
            img_shape=size, ori_shape=size, scale_factor=scale_factor))
    if ignored is None:
        ignored = [False] * len(texts)
    sample.gt_instances = InstanceData(
        points=torch.tensor(points, dtype=torch.float32).view(-1, 2),
        texts=list(texts),
        ignored=torch.tensor(ignored, dtype=torch.bool))
    return sample


def test_heads_get_encoder_channels_and_dictionary():
    model = build_spotter()
    assert model.stride == 8
    assert model.anchor_head.conv.in_channels == 4
    assert model.recog_head.input_proj.in_features == 4
    assert model.recog_head.dictionary is model.dictionary


def test_gt_anchors_skip_ignored():
    model = build_spotter()
    samples = [
        make_sample([[3., 3.], [20., 17.], [500., 8.]], ['ab', '###', 'Cd'],
                    ignored=[False, True, False]),
        make_sample([], []),
    ]
    cells, texts = model.get_gt_anchors(samples, (8, 12), torch.device('cpu'))
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
        anchor_head=dict(type='AnchorPointHead', score_thr=0.3),
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


def test_recenter_maps_character_centers_to_original_pixels():
    """``recenter_points`` reads at the given points and returns the
    characters' centre in original pixels: cells of stride 8, resize by
    (2, 0.5)."""
    model = build_spotter()
    model.eval()
    seen = []

    def centers(feats, anchors):
        seen.extend(a.tolist() for a in anchors)
        return torch.tensor([[3.0, 2.0], [0.5, 0.5], [6.25, 1.0]])

    model.recog_head.character_centers = centers
    samples = [
        make_sample([[20., 12.], [3., 3.]], ['ab', 'cd'],
                    scale_factor=(2., 0.5)),
        make_sample([[50., 9.]], ['ef'])
    ]
    with torch.no_grad():
        out = recenter_points(model, torch.zeros(2, 3, 64, 96), samples)
    # points -> cells floor(p / 8)
    assert seen == [[[2, 1], [0, 0]], [[6, 1]]]
    torch.testing.assert_close(out[0], torch.tensor([[12., 32.], [2., 8.]]))
    torch.testing.assert_close(out[1], torch.tensor([[50., 8.]]))


def distance_reading_spotter(targets):
    """A spotter in eval mode with the same anchor NLL at every cell, whose
    CTC loss of a word at a cell is the L1 distance in cells to
    ``targets[word]``."""
    model = build_spotter()
    model.eval()
    nn.init.zeros_(model.anchor_head.conv.weight)
    nn.init.zeros_(model.anchor_head.conv.bias)

    def word_losses(feats, anchors, words):
        cells = torch.cat([a.view(-1, 2) for a in anchors]).float()
        goal = torch.tensor([targets[w] for w in words], dtype=torch.float)
        return (cells - goal).abs().sum(-1)

    model.recog_head.word_losses = word_losses
    return model


def test_refine_moves_points_to_least_cost_cell_in_window():
    """``refine_points`` picks, within the window around each point's cell,
    the cell of least anchor-NLL + CTC cost; the window is clamped to the
    map, a word with nothing to read keeps its point, and cells map back to
    original pixels through the resize (stride 8, scale (2, 0.5))."""
    model = distance_reading_spotter(dict(ab=(4, 1), cd=(5, 5), ef=(6, 3)))
    samples = [
        make_sample([[20., 12.], [3., 3.]], ['ab', 'cd'],
                    scale_factor=(2., 0.5)),
        make_sample([[50., 9.], [13., 17.]], ['ef', '###'])
    ]
    with torch.no_grad():
        out = refine_points(
            model, torch.zeros(2, 3, 64, 96), samples, radius=2)
    # 'ab': cell (2, 1) -> (4, 1); 'cd': cell (0, 0), window clamped to
    # [0, 2]^2 -> (2, 2), its goal (5, 5) still 6 cells away; 'ef': (6, 1)
    # -> (6, 3); '###' keeps its point and has no loss.
    (points0, losses0), (points1, losses1) = out
    torch.testing.assert_close(points0, torch.tensor([[18., 24.], [10., 40.]]))
    torch.testing.assert_close(points1, torch.tensor([[52., 28.], [13., 17.]]))
    torch.testing.assert_close(losses0, torch.tensor([0., 6.]))
    torch.testing.assert_close(losses1, torch.tensor([0., 0.]))


def test_refine_searches_the_whole_map_for_words_unreadable_nearby():
    """With ``max_word_loss``, a word whose best cell in the window costs
    more than it (a point on another word) moves to its best cell in the
    whole map if it reads well there, else it keeps its window cell; a word
    read well in its window stays there."""
    model = distance_reading_spotter(dict(ab=(4, 1), cd=(9, 6), ef=(30, 2)))
    samples = [
        make_sample([[20., 12.], [3., 3.], [40., 20.]], ['ab', 'cd', 'ef'],
                    scale_factor=(2., 0.5))
    ]

    def search(**kwargs):
        return refine_points(
            model, torch.zeros(1, 3, 64, 96), samples, radius=2, **kwargs)

    with torch.no_grad():
        window_only = search()
        searched = search(max_word_loss=1.0)
    # 'cd' from cell (0, 0): (2, 2) in the window, 11 cells from its goal;
    # (9, 6) in the 12 x 8 map, i.e. ((9.5 * 8) / 2, (6.5 * 8) / 0.5).
    # 'ef' from cell (5, 2): (7, 2) in the window (23 from its goal off the
    # map), (11, 2) in the map (19, still above 1): it stays at (7, 2).
    torch.testing.assert_close(window_only[0][1], torch.tensor([0., 11., 23.]))
    torch.testing.assert_close(
        searched[0][0], torch.tensor([[18., 24.], [38., 104.], [30., 40.]]))
    torch.testing.assert_close(searched[0][1], torch.tensor([0., 0., 23.]))
    # the same under bfloat16 autocast (the labelling tools' --amp)
    with torch.no_grad(), torch.autocast('cpu', dtype=torch.bfloat16):
        searched_bf16 = search(max_word_loss=1.0)
    torch.testing.assert_close(searched_bf16[0][0], searched[0][0])


def test_refine_follows_the_anchor_confidence_when_reading_is_even():
    """With the same CTC cost everywhere, the most confident anchor cell in
    the window wins; one outside the window does not."""
    model = build_spotter()
    model.eval()
    model.recog_head.word_losses = lambda feats, anchors, words: torch.zeros(
        sum(len(a) for a in anchors))
    logits = torch.zeros(1, 8, 12)
    logits[0, 3, 5] = 4.0  # inside the radius-1 window of cell (4, 2)
    logits[0, 2, 7] = 9.0  # outside it
    model.anchor_head.forward = lambda feats: logits
    with torch.no_grad():
        out = refine_points(
            model,
            torch.zeros(1, 3, 64, 96), [make_sample([[35., 20.]], ['ab'])],
            radius=1)
    torch.testing.assert_close(out[0][0], torch.tensor([[44., 28.]]))
