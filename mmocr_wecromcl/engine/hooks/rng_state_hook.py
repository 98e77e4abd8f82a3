# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Checkpoint torch's random state, so that a resumed training is exact."""
from typing import Optional

import torch
from mmengine.hooks import Hook
from mmocr.registry import HOOKS


@HOOKS.register_module()
class RNGStateHook(Hook):
    """Save torch's random state with each checkpoint; restore it on resume.

    mmengine re-seeds a resumed run and skips the data it has trained on
    already. That replays the data pipeline's random draws (numpy's and
    Python's generators, per-sample seeds, the samplers' own generators)
    exactly, but torch's global generator restarts from the seed, while in
    the interrupted run the model had drawn from it (dropout, the masked
    character of :class:`MaskedCharacterHead`). This hook stores that
    generator's state (CPU and, when present, the current CUDA device's) in
    the checkpoint and restores it right before the first resumed
    iteration, after the data skip, so the resumed run draws what the
    interrupted one would have.

    Assumes the data pipeline does not draw from torch's generator in the
    main process (true of every pipeline of this package).
    """

    priority = 'VERY_LOW'

    def __init__(self) -> None:
        self._resumed_state: Optional[dict] = None
        self._resumed_iter: Optional[int] = None

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        """Add ``rng_state`` (torch's CPU and CUDA states) to it."""
        state = dict(torch=torch.get_rng_state())
        if torch.cuda.is_available() and torch.cuda.is_initialized():
            state['cuda'] = torch.cuda.get_rng_state()
        checkpoint['rng_state'] = state

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Keep the checkpoint's state for the first resumed iteration."""
        self._resumed_state = checkpoint.get('rng_state')
        meta = checkpoint.get('meta')
        self._resumed_iter = meta.get('iter') if isinstance(meta,
                                                            dict) else None

    def before_train_iter(self,
                          runner,
                          batch_idx: int,
                          data_batch: Optional[dict] = None) -> None:
        """Restore the kept state once, before the first resumed step.

        Only a resumed run is at the checkpoint's iteration; weights loaded
        with ``load_from`` start at 0 and keep the run's own seed.
        """
        if self._resumed_state is None:
            return
        if runner.iter != self._resumed_iter:
            self._resumed_state = None
            return
        torch.set_rng_state(self._resumed_state['torch'])
        if 'cuda' in self._resumed_state and torch.cuda.is_available():
            torch.cuda.set_rng_state(self._resumed_state['cuda'])
        self._resumed_state = None
