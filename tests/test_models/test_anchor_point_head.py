# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
import math

import pytest
import torch
from mmocr.structures import TextDetDataSample

from mmocr_wecromcl.models.heads import AnchorPointHead
from mmocr_wecromcl.models.losses import PointFocalLoss
from mmocr_wecromcl.models.module_losses import AnchorPointModuleLoss
from ._point_samples import point_sample


def test_targets_at_the_cells_of_non_ignored_points():
    module_loss = AnchorPointModuleLoss(stride=4)
    samples = [
        # (2, 1) is in cell (0, 0), (13, 6) in (3, 1); (5, 5) is ignored
        point_sample([[2, 1], [13, 6], [5, 5]], ['a', 'b', 'c'],
                     [False, False, True]),
        point_sample([], []),
    ]
    targets = module_loss.get_targets(samples, (2, 4), torch.device('cpu'))
    expected = torch.zeros(2, 2, 4)
    expected[0, 0, 0] = 1
    expected[0, 1, 3] = 1
    assert torch.equal(targets, expected)


def test_forward_and_loss():
    head = AnchorPointHead(in_channels=2, stride=1)
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
    loss = head.loss(feats, [point_sample([[2.5, 1.5]], ['a'])])
    targets = torch.zeros(1, 2, 3)
    targets[0, 1, 2] = 1
    assert loss['loss_anchor'].item() == pytest.approx(PointFocalLoss()(
        logits, targets).item())


def test_predict_peaks_as_instances():
    """The head's default postprocessor keeps the peaks above 0.3; the
    instances are in original-image pixels."""
    head = AnchorPointHead(in_channels=1, stride=4)
    with torch.no_grad():
        head.conv.weight.fill_(1.)
        head.conv.bias.zero_()
    logits = torch.full((1, 1, 8, 8), -10.)
    logits[0, 0, 1, 1] = 2.  # peak
    logits[0, 0, 2, 2] = 1.  # within 5x5 of the stronger peak: suppressed
    logits[0, 0, 6, 6] = 0.  # peak, confidence 0.5
    logits[0, 0, 1, 6] = -2.  # peak below the threshold
    sample = TextDetDataSample(metainfo=dict(scale_factor=(2., 0.5)))
    pred = head.predict(logits, [sample])[0].pred_instances
    assert torch.equal(pred.cells, torch.tensor([[1, 1], [6, 6]]))
    assert pred.scores.tolist() == pytest.approx([1 / (1 + math.exp(-2)), 0.5])
    # cell centre (x + 0.5) * 4, divided by the scale factor (2, 0.5)
    assert torch.equal(pred.points, torch.tensor([[3., 12.], [13., 52.]]))
    assert torch.equal(pred.bboxes[0], torch.tensor([2., 8., 4., 16.]))
    assert pred.polygons[0].tolist() == [2, 8, 4, 8, 4, 16, 2, 16]
