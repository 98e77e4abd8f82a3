# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Mixed precision in bfloat16: the optimizer wrapper, the float32 parts of
the model and a short real training run."""
import os.path as osp

import numpy as np
import pytest
import torch
import torch.nn as nn
from mmengine.config import Config
from mmocr.registry import MODELS, OPTIM_WRAPPERS

from mmocr_wecromcl.engine import build_runner
from mmocr_wecromcl.ops import compiled_ops_available
import train as train_tool
from ..conftest import load_tool
from .test_training import data_root  # noqa: F401
from .test_training import STAGE2, _losses, tiny_stage2_config

test_tool = load_tool('test')


def _autocast():
    return torch.autocast('cpu', dtype=torch.bfloat16)


def test_amp_options_select_bf16_training_and_prediction(repo_root):
    cfg = train_tool.build_train_config(
        train_tool.parse_args([osp.join(repo_root, STAGE2), '--amp']))
    assert cfg.optim_wrapper.type == 'BF16OptimWrapper'
    assert cfg.val_cfg.fp16 is True and cfg.test_cfg.fp16 is True
    cfg = train_tool.build_train_config(
        train_tool.parse_args([osp.join(repo_root, STAGE2)]))
    assert cfg.optim_wrapper.type == 'OptimWrapper'
    assert not cfg.val_cfg.get('fp16')
    cfg = test_tool.build_test_config(
        test_tool.parse_args([osp.join(repo_root, STAGE2), 'c.pth', '--amp']))
    assert cfg.test_cfg.fp16 is True


def test_bf16_optim_wrapper_autocasts_forward_and_updates_fp32_weights():
    model = nn.Linear(2, 3, bias=False)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[1., 0.], [0.5, 2.], [-1., 3.]]))
    wrapper = OPTIM_WRAPPERS.build(
        dict(
            type='BF16OptimWrapper',
            optimizer=torch.optim.SGD(model.parameters(), lr=0.5)))
    x = torch.tensor([[1., 2.], [3., 4.]])
    with wrapper.optim_context(model):
        out = model(x)
    assert out.dtype == torch.bfloat16
    # bfloat16 holds these small integers and their products exactly
    assert out.float().tolist() == [[1., 4.5, 5.], [3., 9.5, 9.]]
    wrapper.update_params(out.float().sum())
    # d(sum)/dW[j] = sum_i x[i] = [4, 6]; SGD step 0.5 of it
    assert model.weight.dtype == torch.float32
    assert model.weight.tolist() == [[-1., -3.], [-1.5, -1.], [-3., 0.]]
    assert model(x).dtype == torch.float32  # no autocast outside


def test_precision_sensitive_parts_stay_float32_under_autocast():
    head = MODELS.build(dict(type='CrossModalActivationHead', embed_dims=8))
    feats = torch.randn(2, 8, 5, 7)
    texts = torch.randn(3, 8)
    with _autocast():
        sims, maps = head(feats, texts)
    assert sims.dtype == torch.float32 and maps.dtype == torch.float32
    assert torch.allclose(maps.sum((2, 3)), torch.ones(2, 3), atol=1e-6)
    ref_sims, ref_maps = head(feats, texts)
    # the bfloat16 projections move the similarities (scale 1 / 0.07) by
    # far less than the gaps between words
    assert (sims - ref_sims).abs().max() < 0.3
    assert (maps - ref_maps).abs().max() < 0.05

    loss = MODELS.build(dict(type='PointFocalLoss'))
    logits = torch.tensor([[2.5, -1.25], [0.5, -3.]]).bfloat16()
    targets = torch.tensor([[1., 0.], [0., 1.]])
    with _autocast():
        value = loss(logits, targets)
    assert value.dtype == torch.float32
    assert value == loss(logits.float(), targets)


@pytest.mark.skipif(
    not compiled_ops_available(), reason='mmocr_wecromcl._ext is not built')
def test_deformable_attention_computes_in_float32_under_autocast(repo_root):
    """Under autocast the projections come in bfloat16: the kernel samples
    them in float32 and rounds the result once; mmcv's paths get float32."""
    cfg = Config.fromfile(
        osp.join(repo_root, 'configs/_base_/models/image_encoder_small.py'))
    encoder = MODELS.build(cfg.small_image_encoder)
    with _autocast():
        assert encoder(torch.randn(1, 3, 64, 64)).shape == (1, 128, 8, 8)
    attention = encoder.encoder.layers[0].self_attn
    heads, levels = attention.num_heads, attention.num_levels
    torch.manual_seed(0)
    value = torch.randn(1, 20, heads, attention.embed_dims // heads).bfloat16()
    offsets = torch.randn(1, 20, heads, levels, attention.num_points,
                          2).bfloat16()
    logits = torch.randn(1, 20, heads,
                         levels * attention.num_points).bfloat16()
    levels = (torch.tensor([[4, 4], [2, 2]]), torch.tensor([0, 16]),
              torch.rand(1, 20, 2, 2))
    low = attention.sample_compiled(value, *levels, offsets, logits)
    high = attention.sample_compiled(value.float(), *levels, offsets.float(),
                                     logits.float())
    assert low.dtype == torch.bfloat16 and high.dtype == torch.float32
    assert torch.equal(low, high.bfloat16())
    mmcv_path = attention.sample_mmcv(value, *levels, offsets, logits)
    assert mmcv_path.dtype == torch.float32
    torch.testing.assert_close(mmcv_path, high, rtol=1e-5, atol=1e-5)


def test_bf16_training_reduces_loss(repo_root, tmp_path,
                                    data_root):  # noqa: F811
    cfg = tiny_stage2_config(repo_root, str(tmp_path), data_root, 30, 'bf16')
    cfg.optim_wrapper.type = 'BF16OptimWrapper'
    cfg.val_cfg = dict(type='ValLoop', fp16=True)  # what --amp sets
    runner = build_runner(cfg)
    runner.train()
    losses = _losses(runner)
    assert np.isfinite(losses).all()
    assert np.mean(losses[-10:]) < 0.7 * np.mean(losses[:10])
    # the predictions reach the metric in float32
    metrics = runner.val()
    assert all(np.isfinite(v) for v in metrics.values())
