# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
import math

import pytest
import torch

from mmocr_wecromcl.models.heads import AnchorPointHead
from mmocr_wecromcl.models.losses import PointFocalLoss


def test_targets_at_cells():
    cells = [
        torch.tensor([[0, 0], [3, 1]]),
        torch.zeros((0, 2), dtype=torch.long),
    ]
    targets = AnchorPointHead.get_targets(cells, (2, 4))
    expected = torch.zeros(2, 2, 4)
    expected[0, 0, 0] = 1  # cell (x=0, y=0)
    expected[0, 1, 3] = 1  # cell (x=3, y=1)
    assert torch.equal(targets, expected)


def test_forward_and_loss():
    head = AnchorPointHead(in_channels=2)
    head.init_weights()
    # Prior confidence 0.01 from the default init_cfg.
    assert head.conv.bias.sigmoid().item() == pytest.approx(0.01)
    with torch.no_grad():
        head.conv.weight.copy_(torch.tensor([1., -1.]).view(1, 2, 1, 1))
        head.conv.bias.zero_()
    feats = torch.zeros(1, 2, 2, 3)
    feats[0, 0, 1, 2] = 2.
    feats[0, 1, 0, 0] = 1.
    logits = head(feats)
    assert torch.equal(logits, torch.tensor([[[-1., 0., 0.], [0., 0., 2.]]]))
    cells = [torch.tensor([[2, 1]])]
    loss = head.loss(logits, cells)['loss_anchor']
    targets = torch.zeros(1, 2, 3)
    targets[0, 1, 2] = 1
    assert loss.item() == pytest.approx(PointFocalLoss()(logits,
                                                         targets).item())


def test_predict_peaks():
    head = AnchorPointHead(in_channels=1, score_thr=0.3, max_anchors=10)
    logits = torch.full((1, 8, 8), -10.)
    logits[0, 1, 1] = 2.  # peak
    logits[0, 2, 2] = 1.  # within 5x5 of the stronger peak: suppressed
    logits[0, 6, 6] = 0.  # peak, confidence 0.5
    logits[0, 1, 6] = -2.  # peak below the threshold
    (cells, scores), = head.predict(logits)
    assert torch.equal(cells, torch.tensor([[1, 1], [6, 6]]))
    assert scores.tolist() == pytest.approx([1 / (1 + math.exp(-2)), 0.5])

    head.max_anchors = 1
    (cells, scores), = head.predict(logits)
    assert torch.equal(cells, torch.tensor([[1, 1]]))
    head.kernel_size = 1  # no suppression
    head.max_anchors = 10
    (cells, _), = head.predict(logits)
    assert torch.equal(cells, torch.tensor([[1, 1], [2, 2], [6, 6]]))
