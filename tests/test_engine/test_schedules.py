# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""The cosine schedule of ``schedule_adamw_cosine_3k.py`` takes its length
from ``train_cfg.max_iters`` alone, with exactly the learning rates of a
stock ``CosineAnnealingLR`` given ``T_max = end = max_iters``."""
import os.path as osp
from typing import List

import pytest
import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.model import BaseModel
from mmengine.optim import CosineAnnealingLR, LinearLR
from mmengine.runner import Runner
from torch.utils.data import DataLoader

from mmocr_wecromcl.engine import RunLengthCosineAnnealingLR
from ..conftest import REPO

SCHEDULE = osp.join(REPO,
                    'configs/_base_/schedules/schedule_adamw_cosine_3k.py')


class _Linear(BaseModel):

    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(1, 1)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        return dict(loss=self.fc(inputs).sum())


def _learning_rates(optimizer, schedulers, steps: int) -> List[float]:
    """The learning rate of each of ``steps`` iterations, stepping the
    schedulers after each as mmengine's ``ParamSchedulerHook`` does."""
    rates = []
    for _ in range(steps):
        rates.append(optimizer.param_groups[0]['lr'])
        optimizer.step()
        for scheduler in schedulers:
            scheduler.step()
    return rates


def _stock_schedule(max_iters: int) -> List[float]:
    """The schedule with a stock ``CosineAnnealingLR`` of period and end
    ``max_iters``."""
    cfg = Config.fromfile(SCHEDULE)
    optimizer = torch.optim.AdamW(
        nn.Linear(1, 1).parameters(),
        lr=cfg.optim_wrapper.optimizer.lr,
        weight_decay=cfg.optim_wrapper.optimizer.weight_decay)
    schedulers = [
        LinearLR(optimizer, start_factor=0.1, end=100, by_epoch=False),
        CosineAnnealingLR(
            optimizer,
            T_max=max_iters,
            begin=100,
            end=max_iters,
            by_epoch=False,
            eta_min=1e-6)
    ]
    return _learning_rates(optimizer, schedulers, max_iters)


@pytest.mark.parametrize('max_iters', [400, 3000])
def test_max_iters_alone_gives_the_stock_schedule(max_iters, tmp_path):
    cfg = Config.fromfile(SCHEDULE)
    runner = Runner(
        model=_Linear(),
        work_dir=str(tmp_path),
        train_dataloader=DataLoader([torch.ones(1)]),
        train_cfg=dict(type='IterBasedTrainLoop', max_iters=max_iters),
        optim_wrapper=cfg.optim_wrapper,
        param_scheduler=cfg.param_scheduler,
        default_scope='mmocr')
    # what Runner.train does before training: the train loop first, so
    # that the schedulers without an ``end`` get max_iters
    assert runner.train_loop.max_iters == max_iters
    runner.optim_wrapper = runner.build_optim_wrapper(runner.optim_wrapper)
    schedulers = runner.build_param_scheduler(cfg.param_scheduler)
    cosine = schedulers[1]
    assert type(cosine) is RunLengthCosineAnnealingLR
    assert (cosine.begin, cosine.end, cosine.T_max) == (100, max_iters,
                                                        max_iters)
    rates = _learning_rates(runner.optim_wrapper.optimizer, schedulers,
                            max_iters)
    assert rates == _stock_schedule(max_iters)


def test_explicit_period_is_kept():
    schedules = []
    for scheduler in (CosineAnnealingLR, RunLengthCosineAnnealingLR):
        optimizer = torch.optim.SGD(nn.Linear(1, 1).parameters(), lr=1e-3)
        cosine = scheduler(
            optimizer,
            T_max=250,
            begin=100,
            end=400,
            by_epoch=False,
            eta_min=1e-6)
        assert cosine.T_max == 250
        schedules.append(_learning_rates(optimizer, [cosine], 400))
    assert schedules[0] == schedules[1]
