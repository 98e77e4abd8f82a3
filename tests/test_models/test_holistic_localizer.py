# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
import pytest
import torch
import torch.nn.functional as F
from mmengine.dataset import pseudo_collate
from mmocr.registry import MODELS

from ._wecromcl_utils import draw_words, make_sample, tiny_wecromcl_cfg


def _batch(model, texts):
    images = [
        draw_words(64, [('cat', 4, 20), ('dog', 4, 50)])[0],
        draw_words(64, [('sun', 4, 30)])[0],
        draw_words(64, [('red', 4, 40)])[0],
    ]
    batch = []
    for i, (img, words) in enumerate(zip(images, texts)):
        x, sample = make_sample(img, words, i)
        batch.append(dict(inputs=x, data_samples=sample))
    return model.data_preprocessor(pseudo_collate(batch), True)


def test_holistic_loss_contrasts_images_with_their_word_sets():
    cfg = tiny_wecromcl_cfg()
    cfg['type'] = 'HolisticLocalizer'
    torch.manual_seed(0)
    model = MODELS.build(cfg)
    model.init_weights()
    data = _batch(model, [['cat', 'dog', 'Cat'], ['sun'], ['red', 'sun']])
    losses = model(**data, mode='loss')

    # the same loss, one image and one word set at a time
    feats, mask = model.extract_feat(data['inputs'], data['data_samples'])
    sets = [['cat', 'dog'], ['sun'], ['red', 'sun']]
    sims = torch.zeros(3, 3)
    for i in range(3):
        for j, words in enumerate(sets):
            emb = model.text_encoder(words)
            fused, _ = model.head.attend(feats[i:i + 1], emb, mask[i:i + 1])
            sims[i, j] = model.head.similarity(fused[0].mean(0), emb.mean(0))
    target = torch.arange(3)
    assert losses['loss_i2t'].item() == pytest.approx(
        0.5 * F.cross_entropy(sims, target).item(), rel=1e-5)
    assert losses['loss_t2i'].item() == pytest.approx(
        0.5 * F.cross_entropy(sims.t(), target).item(), rel=1e-5)

    # the loss reaches the word queries' attention
    (losses['loss_i2t'] + losses['loss_t2i']).backward()
    assert model.head.q_proj.weight.grad.abs().sum() > 0
    assert model.text_encoder.char_embed.weight.grad.abs().sum() > 0


def test_holistic_localizer_rejects_what_it_cannot_train():
    cfg = tiny_wecromcl_cfg()
    cfg.update(type='HolisticLocalizer', word_loss=dict(type='Dummy'))
    with pytest.raises(ValueError, match='no within-image word loss'):
        MODELS.build(cfg)
    cfg.pop('word_loss')
    model = MODELS.build(cfg)
    data = _batch(model, [['cat'], ['###'], ['red']])
    with pytest.raises(ValueError, match='has no transcription'):
        model(**data, mode='loss')
