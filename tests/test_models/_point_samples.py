# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Hand-built data samples with annotated or predicted points."""
from typing import Optional, Sequence

import torch
from mmengine.structures import InstanceData
from mmocr.structures import TextDetDataSample


def point_sample(
    points: Sequence,
    texts: Sequence[str],
    ignored: Optional[Sequence[bool]] = None,
    scale_factor: Sequence[float] = (1., 1.),
    size: Sequence[int] = (64, 96)
) -> TextDetDataSample:
    """A sample whose ``gt_instances`` are the given points and texts."""
    sample = TextDetDataSample(
        metainfo=dict(
            img_shape=size, ori_shape=size, scale_factor=scale_factor))
    if ignored is None:
        ignored = [False] * len(texts)
    sample.gt_instances = InstanceData(
        points=torch.tensor(points, dtype=torch.float32).view(-1, 2),
        texts=list(texts),
        ignored=torch.tensor(ignored, dtype=torch.bool))
    return sample


def anchor_sample(cells: Sequence) -> TextDetDataSample:
    """A sample whose ``pred_instances`` are anchors at the given cells."""
    sample = TextDetDataSample(metainfo=dict(scale_factor=(1., 1.)))
    cells = torch.tensor(cells, dtype=torch.long).view(-1, 2)
    sample.pred_instances = InstanceData(
        cells=cells, scores=torch.ones(len(cells)))
    return sample
