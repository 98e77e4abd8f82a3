# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""SRSTS-A: the single-point supervised text spotter of stage 2."""
from typing import Dict, Optional, Sequence, Tuple, Union

from mmocr.models.common.dictionary import Dictionary
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample
from mmocr.utils.typing_utils import ConfigType, OptConfigType, OptMultiConfig
from torch import Tensor

from mmocr_wecromcl.models.base import ImageEncoderModel
from mmocr_wecromcl.utils.text import build_dictionary


@MODELS.register_module()
class SRSTSA(ImageEncoderModel):
    """Single-point text spotter (SRSTS adapted to point supervision).

    An image encoder gives a dense feature map of stride ``s``; the anchor
    head predicts a confidence map of word anchors on it and the recognition
    head reads a word from K points sampled around each anchor. Training uses
    the ground-truth (pseudo) anchor cells for the recognition head (teacher
    forcing); test uses the predicted anchors. Each head has ``forward``,
    then a ``module_loss`` in training and a ``postprocessor`` at test.

    Data samples carry ``gt_instances.points`` (N, 2) as ``(x, y)`` in
    network-input pixels, ``gt_instances.texts`` and, optionally,
    ``gt_instances.ignored`` (N,); ignored words are no anchor target and no
    recognition target. A point lies in the feature cell
    ``floor(point / s)``; a predicted cell ``(x, y)`` is the original-image
    point ``((x + 0.5) * s, (y + 0.5) * s) / scale_factor``.

    Args:
        image_encoder (dict): Config of the image encoder:
            ``forward(inputs, valid_shapes=None)`` returns a
            (B, C, H/s, W/s) map; it has the attributes ``out_channels``
            (C) and ``stride`` (s).
        anchor_head (dict): Config of the anchor head (e.g.
            :class:`AnchorPointHead`); ``in_channels`` and ``stride`` are
            filled in.
        recog_head (dict): Config of the recognition head (e.g.
            :class:`PointRecognitionHead`); ``in_channels``, ``stride`` and
            ``dictionary`` are filled in.
        dictionary (dict or Dictionary): The alphabet, see
            :func:`build_dictionary`.
        data_preprocessor (dict or nn.Module, optional): The data
            preprocessor, e.g. ``dict(type='TextDetDataPreprocessor', ...)``.
        init_cfg (dict or list[dict], optional): Initialization config.
    """

    def __init__(self,
                 image_encoder: ConfigType,
                 anchor_head: ConfigType,
                 recog_head: ConfigType,
                 dictionary: Union[Dict, Dictionary],
                 data_preprocessor: OptConfigType = None,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(image_encoder, data_preprocessor, init_cfg)
        self.stride = self.image_encoder.stride
        channels = self.image_encoder.out_channels
        self.dictionary = build_dictionary(dictionary)
        self.anchor_head = MODELS.build(
            dict(anchor_head, in_channels=channels, stride=self.stride))
        self.recog_head = MODELS.build(
            dict(
                recog_head,
                in_channels=channels,
                stride=self.stride,
                dictionary=self.dictionary))

    def loss(self, inputs: Tensor,
             data_samples: Sequence[TextDetDataSample]) -> Dict[str, Tensor]:
        """Compute the anchor and recognition losses.

        Args:
            inputs (Tensor): Images of shape (B, 3, H, W).
            data_samples (Sequence[TextDetDataSample]): The batch's samples.

        Returns:
            dict[str, Tensor]: ``loss_anchor`` and ``loss_recog``.
        """
        feats = self.encode(inputs, data_samples)
        losses = self.anchor_head.loss(feats, data_samples)
        losses.update(self.recog_head.loss(feats, data_samples))
        return losses

    def predict(self, inputs: Tensor, data_samples: Sequence[TextDetDataSample]
                ) -> Sequence[TextDetDataSample]:
        """Spot the words of a batch.

        Args:
            inputs (Tensor): Images of shape (B, 3, H, W).
            data_samples (Sequence[TextDetDataSample]): The batch's samples;
                their metainfo may give ``scale_factor`` (``(w, h)``,
                defaults to no resize).

        Returns:
            Sequence[TextDetDataSample]: The samples with ``pred_instances``
            of the anchors whose word is not empty: ``points`` (N, 2) in
            original-image pixels, ``texts`` (list[str]), ``scores`` (N,)
            the anchor confidences, ``text_scores`` (N,) the word
            confidences, and, for drawing with MMOCR's
            ``TextSpottingLocalVisualizer``, the extent of each anchor's
            feature cell as ``bboxes`` (N, 4) and ``polygons``
            (list of (8,) arrays).
        """
        feats = self.encode(inputs, data_samples)
        data_samples = self.anchor_head.predict(feats, data_samples)
        return self.recog_head.predict(feats, data_samples)

    def _forward(
        self,
        inputs: Tensor,
        data_samples: Optional[Sequence[TextDetDataSample]] = None
    ) -> Tuple[Tensor, Tensor]:
        """Run the dense part of the network.

        Args:
            inputs (Tensor): Images of shape (B, 3, H, W).
            data_samples (Sequence[TextDetDataSample], optional): Unused.

        Returns:
            tuple(Tensor, Tensor): Anchor logits of shape (B, H/s, W/s) and
            the features of shape (B, C, H/s, W/s), from which
            ``recog_head`` reads the words at any anchors.
        """
        feats = self.encode(inputs, data_samples)
        return self.anchor_head(feats), feats
