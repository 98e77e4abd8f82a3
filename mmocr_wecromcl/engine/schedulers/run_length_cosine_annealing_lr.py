# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""A cosine learning-rate schedule whose period is the length of the run."""
from typing import Optional, Union

from mmengine.optim import BaseOptimWrapper, CosineAnnealingLR
from mmengine.optim.scheduler.param_scheduler import INF
from mmocr.registry import PARAM_SCHEDULERS
from torch.optim import Optimizer


@PARAM_SCHEDULERS.register_module()
class RunLengthCosineAnnealingLR(CosineAnnealingLR):
    """:class:`CosineAnnealingLR` whose period defaults to ``end``.

    mmengine's scheduler anneals over ``end - begin`` steps when ``T_max``
    is not given. This one takes ``end``, the step at which the schedule
    stops, as the period: the cosine starts at ``begin`` (e.g. after a
    warm-up) with a period of ``end`` steps, so at ``end`` it has run
    ``(end - begin) / end`` of its period and the learning rate is a
    little above ``eta_min``. Left out of the config, ``end`` is
    the run's ``train_cfg.max_iters`` (``max_epochs`` if ``by_epoch``):
    the Runner fills it in before it builds the scheduler, so overriding
    ``max_iters`` alone shortens or lengthens the whole schedule.

    Args:
        optimizer (Optimizer or BaseOptimWrapper): The wrapped optimizer.
        T_max (int, optional): The period of the cosine, in steps. Defaults
            to ``end``.
        begin (int): Step at which the schedule starts updating the learning
            rate. Defaults to 0.
        end (int): Step at which it stops. Defaults to INF (the Runner sets
            it to the length of the run).
        **kwargs: The other arguments of :class:`CosineAnnealingLR`
            (``eta_min``, ``by_epoch``, ...).
    """

    def __init__(self,
                 optimizer: Union[Optimizer, BaseOptimWrapper],
                 T_max: Optional[int] = None,
                 begin: int = 0,
                 end: int = INF,
                 **kwargs) -> None:
        super().__init__(
            optimizer,
            T_max=end if T_max is None else T_max,
            begin=begin,
            end=end,
            **kwargs)
