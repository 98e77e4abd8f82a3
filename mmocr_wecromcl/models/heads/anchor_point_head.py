# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Anchor estimator of SRSTS-A: a dense confidence map of word anchors."""
from typing import Dict, Optional, Sequence

import torch.nn as nn
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample
from mmocr.utils.typing_utils import ConfigType, OptMultiConfig
from torch import Tensor


@MODELS.register_module()
class AnchorPointHead(BaseModule):
    """Predict the confidence that a feature cell holds a word's anchor point.

    A 1x1 convolution maps the features to one logit per cell; the
    confidence is its sigmoid. Training: ``module_loss`` against the cells
    of the annotated (pseudo) points. Test: ``postprocessor`` turns the
    confidence map into anchors (by default its peaks above 0.3, at most
    100 per image).

    Args:
        in_channels (int): Channels of the input feature map.
        stride (float): Stride of the feature map in input pixels; filled in
            for the module loss and the postprocessor.
        module_loss (dict): Config of the module loss. Defaults to
            ``dict(type='AnchorPointModuleLoss')``.
        postprocessor (dict): Config of the postprocessor. Defaults to
            ``dict(type='PointPeakPostprocessor', score_thr=0.3,
            max_points=100)``.
        init_cfg (dict or list[dict], optional): Initialization config. The
            default sets the bias to the prior confidence 0.01, as for
            focal-loss classifiers.
    """

    def __init__(
        self,
        in_channels: int,
        stride: float,
        module_loss: ConfigType = dict(type='AnchorPointModuleLoss'),
        postprocessor: ConfigType = dict(
            type='PointPeakPostprocessor', score_thr=0.3, max_points=100),
        init_cfg: OptMultiConfig = dict(
            type='Normal', layer='Conv2d', std=0.01, bias_prob=0.01)
    ) -> None:
        super().__init__(init_cfg=init_cfg)
        self.conv = nn.Conv2d(in_channels, 1, kernel_size=1)
        self.module_loss = MODELS.build(dict(module_loss, stride=stride))
        self.postprocessor = MODELS.build(dict(postprocessor, stride=stride))

    def forward(self,
                feats: Tensor,
                data_samples: Optional[Sequence[TextDetDataSample]] = None
                ) -> Tensor:
        """Compute the confidence logits.

        Args:
            feats (Tensor): Features of shape (B, C, H, W).
            data_samples (Sequence[TextDetDataSample], optional): Unused.

        Returns:
            Tensor: Logits of shape (B, H, W).
        """
        return self.conv(feats).squeeze(1)

    def loss(self, feats: Tensor,
             data_samples: Sequence[TextDetDataSample]) -> Dict[str, Tensor]:
        """Compute the anchor loss.

        Args:
            feats (Tensor): Features of shape (B, C, H, W).
            data_samples (Sequence[TextDetDataSample]): The batch's samples,
                with ``gt_instances.points`` in network-input pixels.

        Returns:
            dict[str, Tensor]: The losses of ``module_loss``.
        """
        return self.module_loss(self(feats), data_samples)

    def predict(self, feats: Tensor, data_samples: Sequence[TextDetDataSample]
                ) -> Sequence[TextDetDataSample]:
        """Predict the anchors.

        Args:
            feats (Tensor): Features of shape (B, C, H, W).
            data_samples (Sequence[TextDetDataSample]): The batch's samples.

        Returns:
            Sequence[TextDetDataSample]: The samples with the
            ``pred_instances`` of the postprocessor.
        """
        return self.postprocessor(self(feats).sigmoid(), data_samples)
