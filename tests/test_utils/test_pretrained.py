# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
import os.path as osp

import pytest
import torch
from mmengine.config import Config, DictAction
from mmocr.registry import MODELS

from mmocr_wecromcl.utils import (image_encoder_finetune_options,
                                  pretrained_checkpoint)

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = dict(
    wecromcl=('configs/wecromcl/'
              'wecromcl_resnet18_bifpn-deform_1xb16-3k_synthetic.py'),
    srsts_a='configs/srsts-a/'
    'srsts-a_resnet18_bifpn-deform_1xb16-3k_synthetic-gt-points.py',
    srsts_a_along_word='configs/srsts-a/'
    'srsts-a_resnet18_bifpn-deform_1xb16-3k_synthetic-pseudo-points.py')


@pytest.mark.parametrize('name', sorted(CONFIGS))
def test_shipped_checkpoint_fits_its_small_config(name):
    model = MODELS.build(Config.fromfile(osp.join(ROOT, CONFIGS[name])).model)
    ckpt = torch.load(
        pretrained_checkpoint(name), map_location='cpu', weights_only=True)
    state = {k: v.float() for k, v in ckpt['state_dict'].items()}
    result = model.load_state_dict(state, strict=False)
    assert result.missing_keys == [] and result.unexpected_keys == []


def test_unknown_checkpoint_is_a_clear_error():
    with pytest.raises(KeyError, match='no shipped checkpoint'):
        pretrained_checkpoint('dbnet')


def test_image_encoder_finetune_options_build_the_encoder_they_name():
    frozen = image_encoder_finetune_options('frozen', 1100)
    assert frozen == [
        'model.image_encoder.frozen=True',
        'model.image_encoder.cache_size=1100'
    ]
    cfg = Config.fromfile(osp.join(ROOT, CONFIGS['wecromcl']))
    # As ``--cfg-options`` parses them.
    cfg.merge_from_dict({
        key: DictAction._parse_iterable(value)
        for key, value in (o.split('=') for o in frozen)
    })
    encoder = MODELS.build(cfg.model).image_encoder
    assert encoder.frozen and encoder.cache_size == 1100
    assert image_encoder_finetune_options('frozen') == frozen[:1]
    assert image_encoder_finetune_options('slow', 1100) == [
        'optim_wrapper.paramwise_cfg.custom_keys.image_encoder.lr_mult=0.1'
    ]
    with pytest.raises(ValueError, match='frozen'):
        image_encoder_finetune_options('fast')
