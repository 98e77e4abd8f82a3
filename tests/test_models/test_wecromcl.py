# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
import math

import numpy as np
import pytest
import torch
from mmengine.dataset import pseudo_collate
from mmengine.structures import InstanceData
from mmocr.registry import MODELS

from mmocr_wecromcl.models.utils import (cells_to_points, exclusive_peaks,
                                         local_maxima, peak_centroids,
                                         points_to_cells, topk_peaks)
from ._wecromcl_utils import DICT, draw_words, make_sample, tiny_wecromcl_cfg


@pytest.fixture(scope='module')
def model():
    torch.manual_seed(0)
    m = MODELS.build(tiny_wecromcl_cfg())
    m.init_weights()
    return m.eval()


def _text_encoder(**kwargs):
    """A one-layer character-wise text encoder over ``DICT``."""
    return MODELS.build(
        dict(
            type='CharacterTextEncoder',
            dictionary=DICT,
            width=32,
            num_layers=1,
            num_heads=4,
            embed_dims=16,
            max_seq_len=5,
            **kwargs))


def test_text_encoder_tokens_padding_and_pooling():
    enc = _text_encoder()
    enc.init_weights()
    tokens, pad = enc.tokenize(['Ab1', 'abcdefg'])
    # '0'-'9' are tokens 1..10, 'a' is 11 (dictionary index + 1), pad 0.
    assert tokens.tolist() == [[11, 12, 2, 0, 0], [11, 12, 13, 14, 15]]
    assert pad.tolist() == [[False, False, False, True, True], [False] * 5]
    assert enc(['ab1', 'xyz']).shape == (2, 16)
    # the positions that pad every word are left out: the same embedding
    assert enc.tokenize(['ab'])[0].shape == (1, 2)
    torch.testing.assert_close(enc(['ab', 'abcd'])[:1], enc(['ab']))
    real = enc(['ab'])
    enc.pool_padding = True
    padded = enc(['ab'])
    assert not torch.allclose(real, padded)
    # Truncation: a word longer than max_seq_len equals its first 5 characters.
    assert torch.allclose(enc(['abcdefgh']), enc(['abcde']))
    with pytest.raises(ValueError, match='no character of the dictionary'):
        enc(['###'])


def test_image_encoder_shape_and_padding_mask(model):
    x = torch.randn(2, 3, 64, 96)
    enc = model.image_encoder
    out = enc(x)
    assert out.shape == (2, 64, 8, 12) and enc.stride == 8
    masked = enc(x, valid_shapes=[(64, 96), (32, 48)])
    assert masked.shape == out.shape
    # The unpadded first image is unchanged; the second one differs.
    assert torch.allclose(masked[0], out[0], atol=1e-5)
    assert not torch.allclose(masked[1], out[1], atol=1e-5)


def test_frozen_image_encoder_gets_no_gradient_and_keeps_eval_mode():
    cfg = tiny_wecromcl_cfg()
    cfg['image_encoder']['frozen'] = True
    torch.manual_seed(0)
    frozen = MODELS.build(cfg)
    frozen.train()
    assert not frozen.image_encoder.training
    assert not frozen.image_encoder.backbone.bn1.training
    assert frozen.text_encoder.training and frozen.head.training
    stats = frozen.image_encoder.backbone.bn1.running_mean.clone()
    batch = []
    for i, word in enumerate(['cat', 'sun']):
        x, sample = make_sample(draw_words(64, [(word, 4, 30)])[0], [word], i)
        sample.positive_text = word
        sample.negative_texts = ['red']
        batch.append(dict(inputs=x, data_samples=sample))
    data = frozen.data_preprocessor(pseudo_collate(batch), True)
    losses = frozen(**data, mode='loss')
    sum(v for k, v in losses.items() if k.startswith('loss')).backward()
    assert all(p.grad is None for p in frozen.image_encoder.parameters())
    assert all(p.grad is not None for p in frozen.head.parameters())
    # Batch-norm statistics were not updated by the training forward pass.
    assert torch.equal(frozen.image_encoder.backbone.bn1.running_mean, stats)


def test_frozen_image_encoder_cache_is_exact_and_skips_seen_images(
        monkeypatch):
    cfg = tiny_wecromcl_cfg()['image_encoder']
    with pytest.raises(ValueError, match='frozen'):
        MODELS.build(dict(cfg, cache_size=2))
    torch.manual_seed(0)
    enc = MODELS.build(dict(cfg, frozen=True, cache_size=2))
    enc.eval()
    encoded = []
    encode = enc.encode
    monkeypatch.setattr(
        enc,
        'encode',
        lambda x, shapes=None: encoded.append(len(x)) or encode(x, shapes))
    x = torch.randn(3, 3, 64, 64)
    ref = encode(x, [(64, 64), (64, 32), (64, 64)])
    first = enc(x[:2], [(64, 64), (64, 32)])
    # Seen images in another order: nothing is encoded.
    again = enc(x[[1, 0]], [(64, 32), (64, 64)])
    # The same image with another valid shape is another input.
    other = enc(x[:1], [(64, 32)])
    # A third image when the cache is full: encoded, used, not kept.
    third = enc(x[2:], [(64, 64)])
    enc(x[2:], [(64, 64)])
    assert encoded == [2, 1, 1, 1] and len(enc._cache) == 2
    torch.testing.assert_close(first, ref[:2], rtol=0, atol=1e-5)
    assert torch.equal(again, first[[1, 0]])
    assert not torch.allclose(other[0], first[0], atol=1e-3)
    torch.testing.assert_close(third, ref[2:], rtol=0, atol=1e-5)


def test_text_encoder_masked_position_hides_its_character():
    enc = _text_encoder(mask_token=True)
    enc.init_weights()
    out, pad = enc.encode_tokens(['cat', 'cot', 'dog'], torch.tensor([1, 1,
                                                                      1]))
    assert out.shape == (3, 3, 16) and not pad.any()
    # 'cat' and 'cot' with their middle character masked are one input.
    assert torch.equal(out[0], out[1])
    assert not torch.allclose(out[0], out[2])
    assert not torch.allclose(out[0], enc.encode_tokens(['cat'])[0][0])
    enc.mask_embed = None
    with pytest.raises(ValueError, match='mask_token'):
        enc.encode_tokens(['cat'], torch.tensor([0]))


def test_masked_character_head_hand_computed():
    head = MODELS.build(
        dict(
            type='MaskedCharacterHead',
            embed_dims=2,
            num_classes=3,
            module_loss=dict(
                type='MaskedCharacterModuleLoss', loss_weight=2.0)))
    with torch.no_grad():
        head.classifier.weight.copy_(
            torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]))
        head.classifier.bias.zero_()
    fused = torch.tensor([[2.0, 0.0], [0.0, 1.0]])
    out = head.loss(fused, torch.tensor([0, 2]))
    # Logits (2, 0, 2) with target 0 and (0, 1, 1) with target 2.
    e = math.exp
    ce = (math.log(2 + e(-2)) + math.log(1 + e(-1) + 1)) / 2
    assert out['loss_char'].item() == pytest.approx(2.0 * ce, rel=1e-6)
    # The first row ties classes 0 and 2; argmax takes the first.
    assert out['char_acc'].item() == 0.5


def test_char_loss_reaches_the_mask_token_and_the_attention():
    cfg = tiny_wecromcl_cfg()
    cfg['text_encoder']['mask_token'] = True
    cfg['char_head'] = dict(type='MaskedCharacterHead')
    torch.manual_seed(0)
    model = MODELS.build(cfg)
    model.init_weights()
    x, sample = make_sample(
        draw_words(64, [('cat', 4, 20), ('dog', 4, 50)])[0], ['cat', 'dog'], 0)
    sample.positive_text = 'cat'
    sample.negative_texts = ['red']
    data = model.data_preprocessor(
        pseudo_collate([dict(inputs=x, data_samples=sample)]), True)
    losses = model(**data, mode='loss')
    # Untrained: about the log of the 36 characters.
    assert losses['loss_char'].item() == pytest.approx(math.log(36), rel=0.1)
    losses['loss_char'].backward()
    assert model.text_encoder.mask_embed.grad.abs().sum() > 0
    assert model.head.q_proj.weight.grad.abs().sum() > 0
    assert model.char_head.classifier.weight.grad.abs().sum() > 0


def test_activation_head_maps_and_mask():
    head = MODELS.build(dict(type='CrossModalActivationHead', embed_dims=8))
    feats = torch.randn(2, 8, 3, 4)
    texts = torch.randn(5, 8)
    mask = torch.zeros(2, 3, 4, dtype=torch.bool)
    mask[1, :, 2:] = True
    sims, maps = head(feats, texts, mask)
    assert sims.shape == (2, 5) and maps.shape == (2, 5, 3, 4)
    torch.testing.assert_close(maps.sum((-1, -2)), torch.ones(2, 5))
    assert maps[1, :, :, 2:].abs().max() == 0
    assert head.logit_scale.exp().item() == pytest.approx(1 / 0.07)
    assert sims.abs().max() <= 1 / 0.07 + 1e-4


def test_contrastive_loss_hand_computed():
    loss = MODELS.build(dict(type='WeCromCLContrastiveLoss'))
    pos = torch.tensor([[2.0, 0.0], [1.0, 3.0]])
    neg = torch.tensor([[1.0], [0.0]])
    out = loss(pos, neg)
    e = math.exp
    i2t = (math.log(1 + e(-2) + e(-1)) + math.log(1 + e(-2) + e(-3))) / 2
    t2i = (math.log(1 + e(-1)) + math.log(1 + e(-3))) / 2
    assert out['loss_i2t'].item() == pytest.approx(0.5 * i2t, rel=1e-6)
    assert out['loss_t2i'].item() == pytest.approx(0.5 * t2i, rel=1e-6)
    assert out['i2t_acc'].item() == 1.0


def test_word_discrimination_loss_hand_computed():
    loss = MODELS.build(dict(type='WordDiscriminationLoss', loss_weight=2.0))
    two = torch.tensor([[2.0, 0.0], [1.0, 3.0]])
    three = torch.zeros(3, 3)
    out = loss([two, three])
    e = math.exp
    rows = (math.log(1 + e(-2)) + math.log(1 + e(-2)) + 3 * math.log(3))
    assert out['loss_word'].item() == pytest.approx(2.0 * rows / 5, rel=1e-6)


def test_word_loss_reaches_the_attention():
    cfg = tiny_wecromcl_cfg()
    cfg['word_loss'] = dict(type='WordDiscriminationLoss')
    torch.manual_seed(0)
    model = MODELS.build(cfg)
    imgs = [
        draw_words(64, [('cat', 4, 20), ('dog', 4, 50)])[0],
        draw_words(64, [('sun', 4, 30)])[0]
    ]
    texts = [['cat', 'dog', 'Cat'], ['sun']]
    batch = []
    for i, (img, words) in enumerate(zip(imgs, texts)):
        x, sample = make_sample(img, words, i)
        sample.positive_text = words[0]
        sample.negative_texts = ['red']
        batch.append(dict(inputs=x, data_samples=sample))
    data = model.data_preprocessor(pseudo_collate(batch), True)
    losses = model(**data, mode='loss')
    # One image has two distinct words ('cat' twice counts once).
    assert 0 < losses['loss_word'].item() < 10
    losses['loss_word'].backward()
    assert model.head.q_proj.weight.grad.abs().sum() > 0

    # No image with two distinct words: a zero loss, still in the graph.
    for item in batch:
        sample = item['data_samples']
        sample.gt_instances = InstanceData(texts=[sample.positive_text])
    data = model.data_preprocessor(pseudo_collate(batch), True)
    assert model(**data, mode='loss')['loss_word'].item() == 0


def test_peaks_and_coordinate_mapping():
    score = torch.zeros(6, 8)
    score[1, 1] = 0.9
    score[2, 2] = 0.8  # inside the 5x5 window of (1, 1): suppressed
    score[4, 6] = 0.5
    assert local_maxima(score)[2, 2] == 0
    cells, scores = topk_peaks(score, 2)
    assert cells.tolist() == [[1, 1], [6, 4]]
    assert scores.tolist() == pytest.approx([0.9, 0.5])
    # Cell (6, 4) at stride 8 is input pixel (52, 36); the input was the
    # original resized by (0.5, 0.25), so the original pixel is (104, 144).
    pts = cells_to_points(cells[1:], 8, (0.5, 0.25))
    assert pts.tolist() == [[104.0, 144.0]]
    back = points_to_cells(
        torch.tensor([[52.0, 36.0], [1e4, -3.0]]), 8, (6, 8))
    assert back.tolist() == [[6, 4], [7, 0]]


def test_exclusive_peaks_give_each_place_to_one_word():
    maps = torch.zeros(3, 1, 9)
    maps[0, 0, 2] = 0.5  # 'a' peaks at x=2 ...
    maps[1, 0, 3] = 0.4  # ... and so does 'b' (within 3x3 of x=2),
    maps[1, 0, 6] = 0.3  # whose second peak is its own place;
    maps[2, 0, 8] = 0.2  # 'c' is wanted twice but has one peak.
    maps[2, 0, 7] = 0.1
    independent = [topk_peaks(m, 1, 3)[0].tolist() for m in maps[:2]]
    assert independent == [[[2, 0]], [[3, 0]]]
    (a, sa), (b, sb), (c, sc) = exclusive_peaks(maps, [1, 1, 2], 3)
    assert a.tolist() == [[2, 0]] and sa.tolist() == pytest.approx([0.5])
    assert b.tolist() == [[6, 0]] and sb.tolist() == pytest.approx([0.3])
    # The second 'c' falls back to its best remaining cell.
    assert c.tolist() == [[8, 0], [7, 0]]
    assert sc.tolist() == pytest.approx([0.2, 0.1])


def test_peak_centroids_weight_the_neighbourhood_and_skip_the_border():
    score = torch.zeros(5, 6)
    score[2, 3] = 0.6  # a peak, pulled left by its neighbours
    score[2, 2] = 0.2
    score[1, 2] = 0.2
    score[4, 0] = 0.5  # a peak in the corner, alone in its map
    score[0, 5] = 0.0
    cells = torch.tensor([[3, 2], [0, 4], [5, 0]])
    centroids = peak_centroids(score, cells, 3)
    # (0.6 * (3, 2) + 0.2 * (2, 2) + 0.2 * (2, 1)) / 1.0
    assert centroids[0].tolist() == pytest.approx([2.6, 1.8])
    assert centroids[1].tolist() == [0.0, 4.0]
    # a neighbourhood of zeros keeps the cell
    assert centroids[2].tolist() == [5.0, 0.0]


def test_predict_with_centroid_kernel_moves_the_anchor(model, monkeypatch):
    img = np.zeros((64, 64, 3), np.uint8)
    x, sample = make_sample(img, ['cat'], 0)
    sample.set_metainfo(dict(scale_factor=(0.5, 0.5)))

    def fake_head(feats, texts, mask=None):
        maps = torch.zeros(1, texts.shape[0], 8, 8)
        maps[0, 0, 2, 6] = 0.5  # the word peaks at its end, (6, 2),
        maps[0, 0, 2, 4] = 0.3  # and its other characters lie to the left
        maps[0, 0, 2, 3] = 0.2  # (out of the 3x3 window)
        return torch.zeros(1, texts.shape[0], feats.shape[1]), maps

    monkeypatch.setattr(model.head, 'attend', fake_head)
    data = model.data_preprocessor(
        pseudo_collate([dict(inputs=x, data_samples=sample)]), False)
    points = {}
    for kernel in (0, 3, 5):
        monkeypatch.setattr(model.postprocessor, 'centroid_kernel', kernel)
        with torch.no_grad():
            pred = model(**data, mode='predict')[0].pred_instances
        points[kernel] = pred.points.tolist()
        assert pred.scores.tolist() == [0.5]
    # Cell (6, 2) -> input (52, 20) -> original (104, 40); with k = 5 the
    # cell x is (0.5 * 6 + 0.3 * 4) / 0.8 = 5.25 -> original 92.
    assert points[0] == [[104.0, 40.0]]
    assert points[3] == [[104.0, 40.0]]
    assert points[5][0] == pytest.approx([92.0, 40.0])


def test_predict_maps_a_known_peak_to_its_pixel(model, monkeypatch):
    img = np.zeros((64, 64, 3), np.uint8)
    x, sample = make_sample(img, ['cat', 'dog', 'Cat', '###'], 0)
    sample.set_metainfo(dict(scale_factor=(0.5, 0.5)))  # original 128x128
    sample.gt_instances.ignored = torch.tensor([False, False, False, True])

    def fake_head(feats, texts, mask=None):
        maps = torch.zeros(1, texts.shape[0], 8, 8)
        maps[0, 0, 2, 5] = 1.0  # 'cat': two peaks (it occurs twice)
        maps[0, 0, 6, 1] = 0.5
        maps[0, 1, 7, 7] = 1.0  # 'dog'
        return torch.zeros(1, texts.shape[0], feats.shape[1]), maps

    monkeypatch.setattr(model.head, 'attend', fake_head)
    data = model.data_preprocessor(
        pseudo_collate([dict(inputs=x, data_samples=sample)]), False)
    with torch.no_grad():
        pred = model(**data, mode='predict')[0].pred_instances
    assert pred.texts == ['cat', 'cat', 'dog']
    # Cell (x=5, y=2) -> input (44, 20) -> original (88, 40).
    assert pred.points.tolist() == [[88.0, 40.0], [24.0, 104.0],
                                    [120.0, 120.0]]
    assert pred.scores.tolist() == [1.0, 0.5, 1.0]


def test_training_refuses_locations(model):
    img, polys = draw_words(64, [('cat', 4, 30)])
    x, sample = make_sample(img, ['cat'], 0, polygons=polys)
    sample.positive_text = 'cat'
    sample.negative_texts = ['dog']
    data = model.data_preprocessor(
        pseudo_collate([dict(inputs=x, data_samples=sample)]), True)
    with pytest.raises(ValueError, match='transcriptions only'):
        model(**data, mode='loss')


def test_training_without_collate_is_a_clear_error(model):
    x, sample = make_sample(np.zeros((64, 64, 3), np.uint8), ['cat'], 0)
    data = model.data_preprocessor(
        pseudo_collate([dict(inputs=x, data_samples=sample)]), True)
    with pytest.raises(ValueError, match='transcription_collate'):
        model(**data, mode='loss')


def test_predict_tells_which_transcription_each_point_anchors(
        model, monkeypatch):
    """A word that occurs twice gets two points, the better one for its
    first occurrence; an ignored instance and a word with no character of
    the dictionary get none."""
    img = np.zeros((64, 64, 3), np.uint8)
    x, sample = make_sample(img, ['cat', '###', 'Dog', '!?', 'cat'], 0)
    sample.gt_instances.ignored = torch.tensor(
        [False, True, False, False, False])

    def fake_head(feats, texts, mask=None):
        maps = torch.zeros(1, texts.shape[0], 8, 8)
        maps[0, 0, 1, 1] = 0.4  # 'cat'
        maps[0, 0, 6, 6] = 0.6  # 'cat', better
        maps[0, 1, 3, 4] = 0.9  # 'dog'
        return torch.zeros(1, texts.shape[0], feats.shape[1]), maps

    monkeypatch.setattr(model.head, 'attend', fake_head)
    monkeypatch.setattr(model.postprocessor, 'centroid_kernel', 0)
    data = model.data_preprocessor(
        pseudo_collate([dict(inputs=x, data_samples=sample)]), False)
    with torch.no_grad():
        pred = model(**data, mode='predict')[0].pred_instances
    assert pred.texts == ['cat', 'cat', 'dog']
    assert pred.instance_indices.tolist() == [0, 4, 2]
    assert pred.scores.tolist() == pytest.approx([0.6, 0.4, 0.9])
    # stride 8: cell (6, 6) -> (52, 52)
    assert pred.points.tolist() == [[52., 52.], [12., 12.], [36., 28.]]
