# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
import math

import pytest
import torch

from mmocr_wecromcl.models.heads import (PointOffsetSampler,
                                         PointRecognitionHead,
                                         character_centers)
from mmocr_wecromcl.models.module_losses import PointCTCModuleLoss
from ._point_samples import anchor_sample, point_sample

DICT = dict(type='Dictionary', dict_file='lower_english_digits.txt')


def build_head(num_points: int = 7, in_channels: int = 2):
    return PointRecognitionHead(
        DICT,
        in_channels,
        stride=1,
        sampler=dict(type='PointOffsetSampler', num_points=num_points),
        embed_dims=8,
        num_layers=1,
        num_heads=2,
        feedforward_channels=16,
        dropout=0.)


def coordinate_features(height: int = 6, width: int = 6):
    """Channel 0 is the cell's x, channel 1 ten times its y."""
    ys, xs = torch.meshgrid(
        torch.arange(height, dtype=torch.float32),
        torch.arange(width, dtype=torch.float32),
        indexing='ij')
    return torch.stack([xs, 10 * ys])[None]


def set_offsets(sampler: PointOffsetSampler, offsets):
    last = sampler.offset_mlp[-1]
    with torch.no_grad():
        last.weight.zero_()
        last.bias.copy_(torch.tensor(offsets).flatten())


def test_initial_offsets_row():
    sampler = PointOffsetSampler(2, num_points=5, init_radius=2.)
    sampler.init_weights()
    feats = coordinate_features()
    _, locs = sampler(feats, [torch.tensor([[2, 3]])])
    # Anchor centre (2.5, 3.5), row from -2 to 2 cells.
    expected = torch.tensor([[[0.5, 3.5], [1.5, 3.5], [2.5, 3.5], [3.5, 3.5],
                              [4.5, 3.5]]])
    assert torch.allclose(locs, expected)


def test_sampling_at_known_offsets():
    sampler = PointOffsetSampler(2, num_points=4)
    set_offsets(sampler, [[0., 0.], [0.25, 0.], [1.5, -0.5], [-1., 1.]])
    feats = coordinate_features()
    anchors = [torch.tensor([[2, 3]]), torch.tensor([[0, 0], [5, 5]])]
    sampled, locs = sampler(feats.expand(2, -1, -1, -1), anchors)
    assert sampled.shape == (3, 4, 2)
    # Bilinear values of a linear map are exact: value = location - 0.5.
    expected_x = torch.tensor([2., 2.25, 3.5, 1.])
    expected_y = torch.tensor([30., 30., 25., 40.])
    assert torch.allclose(sampled[0, :, 0], expected_x)
    assert torch.allclose(sampled[0, :, 1], expected_y)
    assert torch.allclose(
        locs[1], torch.tensor([[0.5, 0.5], [0.75, 0.5], [2., 0.], [-0.5,
                                                                   1.5]]))
    assert torch.allclose(sampled[1, 1], torch.tensor([0.25, 0.]), atol=1e-5)
    # (-0.5, 1.5) is the centre of a cell left of the map: zero padding.
    assert torch.allclose(sampled[1, 3], torch.zeros(2), atol=1e-5)


def test_gradients_flow_to_offsets():
    sampler = PointOffsetSampler(2, num_points=3)
    set_offsets(sampler, [[0., 0.], [0.25, 0.], [-1.5, 0.5]])
    sampled, _ = sampler(coordinate_features(), [torch.tensor([[2, 2]])])
    sampled[..., 0].sum().backward()
    # d x-value / d dx = 1, d x-value / d dy = 0 for each point.
    grad = sampler.offset_mlp[-1].bias.grad.view(3, 2)
    assert torch.allclose(grad, torch.tensor([[1., 0.]] * 3))


def test_greedy_ctc_decoding():
    head = build_head()
    blank = head.blank_idx
    assert blank == 36 and head.num_classes == 37
    a, b = head.dictionary.char2idx('a'), head.dictionary.char2idx('b')
    sequences = [[a, a, blank, b, b, blank, b], [blank] * 7]
    winning = [0.9, 0.8, 0.6, 0.7, 0.55, 0.6, 0.65]
    probs = torch.zeros(2, 7, head.num_classes)
    for n, seq in enumerate(sequences):
        for t, idx in enumerate(seq):
            probs[n, t, idx] = winning[t]
            probs[n, t, (idx + 1) % head.num_classes] = 1 - winning[t]
    words, scores = head.postprocessor.decode(probs)
    assert words == ['abb', '']
    # Mean winning probability over the non-blank points.
    assert scores[0].item() == pytest.approx(
        (0.9 + 0.8 + 0.7 + 0.55 + 0.65) / 5)
    assert scores[1].item() == 0


def uniform_head(num_points: int = 2) -> PointRecognitionHead:
    """p(blank) = 2 / 38, p(char) = 1 / 38 at every point."""
    head = build_head(num_points=num_points)
    with torch.no_grad():
        head.classifier.weight.zero_()
        head.classifier.bias.zero_()
        head.classifier.bias[head.blank_idx] = math.log(2)
    return head


def test_ctc_loss_hand_computed():
    head = uniform_head()
    feats = coordinate_features()
    # '###' and '!?' leave no word; 'c' is ignored; cell = floor(point)
    samples = [
        point_sample([[1.5, 1.5], [2.5, 2.5], [3.5, 3.5], [0.5, 0.5]],
                     ['A', '###', 'ab', 'c'], [False, False, False, True]),
        point_sample([[4.5, 4.5]], ['!?'])
    ]
    with pytest.warns(UserWarning, match="'!\\?' has no character"):
        loss = head.loss(feats.expand(2, -1, -1, -1), samples)['loss_recog']
    # 'a' over 2 points: paths 'a-', '-a', 'aa'; 'ab': the single path 'ab'.
    loss_a = -math.log(2 * (1 / 38) * (2 / 38) + (1 / 38)**2)
    loss_ab = -math.log((1 / 38)**2)
    # reduction='mean': each loss divided by its length, then averaged.
    assert loss.item() == pytest.approx(
        (loss_a / 1 + loss_ab / 2) / 2, rel=1e-5)


def test_ctc_targets_are_the_cells_of_readable_words():
    module_loss = build_head().module_loss
    anchors, words = module_loss.get_targets(
        [point_sample([[1.5, 2.5], [3.9, 0.1]], ['Ab', '#'])], (6, 6),
        torch.device('cpu'))
    assert torch.equal(anchors[0], torch.tensor([[1, 2]]))
    assert words == ['ab']


def test_ctc_loss_drops_the_highest_loss_words():
    feats = coordinate_features()
    samples = [point_sample([[1.5, 1.5], [3.5, 3.5]], ['a', 'ab'])]
    loss_a = -math.log(2 * (1 / 38) * (2 / 38) + (1 / 38)**2)  # 5.67 / char
    loss_ab = -math.log((1 / 38)**2) / 2  # 3.64 / char
    losses = {}
    for ratio in (0.0, 0.4, 0.5):
        head = uniform_head()
        head.module_loss.loss_drop_ratio = ratio
        losses[ratio] = head.loss(feats, samples)['loss_recog'].item()
    # 0.4 of 2 words rounds down to none; 0.5 drops 'a', the worse one.
    assert losses[0.0] == pytest.approx((loss_a + loss_ab) / 2, rel=1e-5)
    assert losses[0.4] == pytest.approx(losses[0.0])
    assert losses[0.5] == pytest.approx(loss_ab, rel=1e-5)
    with pytest.raises(ValueError, match='loss_drop_ratio'):
        PointCTCModuleLoss(DICT, stride=1, loss_drop_ratio=1.0)


def test_ctc_loss_reaches_offsets():
    head = build_head(num_points=5)
    loss = head.loss(coordinate_features(),
                     [point_sample([[2.5, 2.5]], ['ab'])])['loss_recog']
    loss.backward()
    assert loss.item() > 0
    assert head.sampler.offset_mlp[-1].bias.grad.abs().sum() > 0


def test_no_word_gives_connected_zero():
    head = build_head()
    loss = head.loss(coordinate_features(),
                     [point_sample([[1.5, 1.5]], ['###'])])['loss_recog']
    loss.backward()
    assert loss.item() == 0
    assert head.classifier.weight.grad is not None


def test_predict_reads_each_images_anchors():
    """Every anchor reads 'z'; ``cells`` is not an output."""
    head = build_head()
    with torch.no_grad():
        head.classifier.weight.zero_()
        head.classifier.bias.zero_()
        head.classifier.bias[head.dictionary.char2idx('z')] = 10.
    feats = coordinate_features().expand(2, -1, -1, -1)
    samples = [anchor_sample([[1, 1], [2, 2]]), anchor_sample([])]
    samples = head.predict(feats, samples)
    pred0, pred1 = (s.pred_instances for s in samples)
    assert pred0.texts == ['z', 'z'] and pred1.texts == []
    assert pred0.text_scores.shape == (2, ) and pred1.text_scores.shape == (
        0, )
    assert torch.all(pred0.text_scores > 0.99)
    assert 'cells' not in pred0 and torch.equal(pred0.scores, torch.ones(2))


def test_postprocessor_drops_empty_words():
    head = build_head(num_points=2)
    probs = torch.zeros(3, 2, head.num_classes)
    probs[:, :, head.blank_idx] = 1.
    probs[0, 0, head.dictionary.char2idx('q')] = 2.  # anchor 0 reads 'q'
    probs[2, 1, head.dictionary.char2idx('r')] = 2.  # anchor 2 reads 'r'
    samples = head.postprocessor(
        probs, [anchor_sample([[0, 0], [1, 1]]),
                anchor_sample([[2, 2]])])
    assert samples[0].pred_instances.texts == ['q']
    assert samples[1].pred_instances.texts == ['r']
    assert len(samples[0].pred_instances) == 1


def test_character_centers_hand_computed():
    """The mean location of the points that read a character; a word read
    as blanks only keeps its fallback."""
    blank = 3
    # word 0: points 0 and 2 read a character, point 1 is blank
    # word 1: every point is blank
    classes = torch.tensor([[0, blank, 2], [blank, blank, blank]])
    logits = torch.nn.functional.one_hot(classes, 4).float()
    locations = torch.tensor([[[1., 2.], [9., 9.], [5., 4.]],
                              [[0., 0.], [1., 1.], [2., 2.]]])
    fallback = torch.tensor([[7.5, 7.5], [3.5, 1.5]])
    centers = character_centers(logits, locations, fallback, blank)
    torch.testing.assert_close(centers, torch.tensor([[3., 3.], [3.5, 1.5]]))


def test_head_character_centers_follow_the_offsets():
    """Every point reads 'z': the centre is the anchor's cell centre plus
    the mean offset; an image without anchors adds nothing."""
    head = build_head(num_points=3)
    set_offsets(head.sampler, [[-2., 0.], [1., 0.], [4., 1.5]])
    with torch.no_grad():
        head.classifier.weight.zero_()
        head.classifier.bias.zero_()
        head.classifier.bias[head.dictionary.char2idx('z')] = 10.
    feats = coordinate_features().expand(2, -1, -1, -1)
    anchors = [torch.tensor([[1, 2]]), torch.zeros((0, 2)).long()]
    torch.testing.assert_close(
        head.character_centers(feats, anchors), torch.tensor([[2.5, 3.0]]))


def test_dictionary_with_padding_rejected():
    with pytest.raises(AssertionError):
        PointRecognitionHead(
            dict(DICT, with_padding=True),
            2,
            stride=1,
            embed_dims=8,
            num_heads=2)
