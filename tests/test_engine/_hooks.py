# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Hooks for tests that run training in a subprocess.

Loaded through ``custom_imports`` (``tests.test_engine._hooks``).
"""
import os
import os.path as osp
import signal

import torch
from mmengine.dist import get_rank
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmocr.registry import HOOKS


@HOOKS.register_module()
class SIGKILLHook(Hook):
    """Kill the process with SIGKILL after training iteration ``at``.

    Args:
        at (int): The 1-based iteration after which the process dies.
    """

    priority = 'LOWEST'

    def __init__(self, at: int) -> None:
        self.at = at

    def after_train_iter(self,
                         runner,
                         batch_idx,
                         data_batch=None,
                         outputs=None) -> None:
        if runner.iter + 1 == self.at:
            os.kill(os.getpid(), signal.SIGKILL)


@HOOKS.register_module()
class SaveRankWeightsHook(Hook):
    """Save every rank's weights before and after training.

    As ``<work_dir>/rank<R>_{before,after}.pth``.
    """

    def _save(self, runner, when: str) -> None:
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        torch.save(model.state_dict(),
                   osp.join(runner.work_dir, f'rank{get_rank()}_{when}.pth'))

    def before_train(self, runner) -> None:
        self._save(runner, 'before')

    def after_train(self, runner) -> None:
        self._save(runner, 'after')
