# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
import math

import pytest
import torch
import torch.nn.functional as F

from mmocr_wecromcl.models.losses import PointFocalLoss

# Confidences 0.5, 0.75 / 0.25, 0.75 on a 2x2 map with two positives.
LOGITS = torch.tensor([[0., math.log(3)], [-math.log(3), math.log(3)]])
TARGETS = torch.tensor([[1., 0.], [0., 1.]])


def test_hand_computed_2x2():
    loss = PointFocalLoss(alpha=0.25, gamma=2.0)(LOGITS, TARGETS)
    # -a (1-C)^g log C for positives, -(1-a) C^g log(1-C) for negatives.
    expected = (
        0.25 * 0.5**2 * math.log(2)  # positive, C = 0.5
        + 0.75 * 0.75**2 * math.log(4)  # negative, C = 0.75
        + 0.75 * 0.25**2 * math.log(4 / 3)  # negative, C = 0.25
        + 0.25 * 0.25**2 * math.log(4 / 3)  # positive, C = 0.75
    ) / 2  # two positives
    assert loss.item() == pytest.approx(expected, rel=1e-6)


def test_avg_factor_and_weight():
    loss_fn = PointFocalLoss(alpha=0.25, gamma=2.0, loss_weight=3.0)
    base = PointFocalLoss(alpha=0.25, gamma=2.0)(LOGITS, TARGETS)
    weighted = loss_fn(LOGITS, TARGETS, avg_factor=4.0)
    assert weighted.item() == pytest.approx(base.item() * 2 / 4 * 3)


def test_no_positive_normalises_by_one():
    targets = torch.zeros(2, 2)
    loss = PointFocalLoss(alpha=0.5, gamma=0.0)(LOGITS, targets)
    # gamma 0: (1 - alpha) * binary cross-entropy, summed.
    expected = 0.5 * F.binary_cross_entropy_with_logits(
        LOGITS, targets, reduction='sum')
    assert loss.item() == pytest.approx(expected.item(), rel=1e-6)


def test_stable_for_extreme_logits():
    logits = torch.tensor([[200., -200.], [-200., 200.]], requires_grad=True)
    loss = PointFocalLoss()(logits, TARGETS)
    loss.backward()
    assert loss.item() == 0
    assert torch.isfinite(logits.grad).all()
    wrong = PointFocalLoss(gamma=0.0)(-logits.detach(), TARGETS)
    # Each cell costs weight * 200 (log-sigmoid of -200).
    assert wrong.item() == pytest.approx((0.25 * 2 + 0.75 * 2) * 200 / 2)
