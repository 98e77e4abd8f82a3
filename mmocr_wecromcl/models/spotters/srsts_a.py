# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""SRSTS-A: the single-point supervised text spotter of stage 2."""
import warnings
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
from mmengine.structures import InstanceData
from mmocr.models.common.dictionary import Dictionary
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample
from mmocr.utils.typing_utils import ConfigType, OptConfigType, OptMultiConfig
from torch import Tensor

from mmocr_wecromcl.models.base import ImageEncoderModel
from mmocr_wecromcl.models.utils import cells_to_points, points_to_cells
from mmocr_wecromcl.utils.text import build_dictionary, normalize_word

# Per image: long anchor cells (N_i, 2) and the N_i texts.
GTAnchors = Tuple[List[Tensor], List[List[str]]]


def given_points(data_sample: TextDetDataSample,
                 device: torch.device) -> Tensor:
    """The (N, 2) float ``gt_instances.points`` of a sample on ``device``."""
    return torch.as_tensor(
        data_sample.gt_instances.points, dtype=torch.float32,
        device=device).view(-1, 2)


@MODELS.register_module()
class SRSTSA(ImageEncoderModel):
    """Single-point text spotter (SRSTS adapted to point supervision).

    An image encoder gives a dense feature map of stride ``s``; the anchor
    head predicts a confidence map of word anchors on it and the recognition
    head reads a word from K points sampled around each anchor. Training uses
    the ground-truth (pseudo) anchor cells for the recognition head (teacher
    forcing); test uses the predicted anchors.

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
            :class:`AnchorPointHead`); ``in_channels`` is filled in.
        recog_head (dict): Config of the recognition head (e.g.
            :class:`PointRecognitionHead`); ``in_channels`` and
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
            dict(anchor_head, in_channels=channels))
        self.recog_head = MODELS.build(
            dict(recog_head, in_channels=channels, dictionary=self.dictionary))

    def get_gt_anchors(self, data_samples: Sequence[TextDetDataSample],
                       size: Sequence[int], device: torch.device) -> GTAnchors:
        """Cells and texts of the non-ignored ground-truth words.

        Args:
            data_samples (Sequence[TextDetDataSample]): The batch's samples.
            size (Sequence[int]): ``(H, W)`` of the feature map.
            device (torch.device): Device of the returned cells.

        Returns:
            tuple(list[Tensor], list[list[str]]): For each image, the long
            cells ``(x, y)`` of shape (N_i, 2) of its non-ignored words and
            their N_i texts.
        """
        cells, texts = [], []
        for data_sample in data_samples:
            gt = data_sample.gt_instances
            points = given_points(data_sample, device)
            ignored = torch.as_tensor(
                gt.get('ignored', np.zeros(len(points), dtype=bool)),
                dtype=torch.bool,
                device=device)
            cells.append(points_to_cells(points[~ignored], self.stride, size))
            texts.append([
                text for text, skip in zip(gt.texts, ignored.tolist())
                if not skip
            ])
        return cells, texts

    def loss(self, inputs: Tensor,
             data_samples: Sequence[TextDetDataSample]) -> Dict[str, Tensor]:
        """Compute the anchor and recognition losses.

        Args:
            inputs (Tensor): Images of shape (B, 3, H, W).
            data_samples (Sequence[TextDetDataSample]): The batch's samples.

        Returns:
            dict[str, Tensor]: ``loss_anchor`` and ``loss_recog``. A word
            with no character of the dictionary is an anchor target only
            (warned, naming its image).
        """
        feats = self.encode(inputs, data_samples)
        gt_cells, gt_texts = self.get_gt_anchors(data_samples,
                                                 feats.shape[-2:],
                                                 feats.device)
        for data_sample, texts in zip(data_samples, gt_texts):
            for text in texts:
                if not normalize_word(text, self.dictionary,
                                      self.recog_head.max_seq_len):
                    # warnings.warn: once per image and word, not per epoch
                    warnings.warn(
                        f'{data_sample.metainfo.get("img_path")}: {text!r} '
                        'has no character of the dictionary: an anchor '
                        'target without a recognition target')
        losses = self.anchor_head.loss(self.anchor_head(feats), gt_cells)
        losses.update(self.recog_head.loss(feats, gt_cells, gt_texts))
        return losses

    def predict(self, inputs: Tensor, data_samples: Sequence[TextDetDataSample]
                ) -> Sequence[TextDetDataSample]:
        """Spot the words of a batch.

        Anchors whose word decodes empty are dropped.

        Args:
            inputs (Tensor): Images of shape (B, 3, H, W).
            data_samples (Sequence[TextDetDataSample]): The batch's samples;
                their metainfo may give ``scale_factor`` (``(w, h)``,
                defaults to no resize).

        Returns:
            Sequence[TextDetDataSample]: The samples with ``pred_instances``:
            ``points`` (N, 2) in original-image pixels, ``texts`` (list[str]),
            ``scores`` (N,) the anchor confidences, ``text_scores`` (N,)
            the word confidences, and, for drawing with MMOCR's
            ``TextSpottingLocalVisualizer``, the extent of each anchor's
            feature cell as ``bboxes`` (N, 4) and ``polygons``
            (list of (8,) arrays).
        """
        feats = self.encode(inputs, data_samples)
        anchors = self.anchor_head.predict(self.anchor_head(feats))
        reads = self.recog_head.predict(feats, [cells for cells, _ in anchors])
        for data_sample, (cells, scores), (words, text_scores) in zip(
                data_samples, anchors, reads):
            data_sample.pred_instances = self._pack_instances(
                cells, scores, words, text_scores,
                data_sample.metainfo.get('scale_factor', (1., 1.)))
        return data_samples

    def _pack_instances(self, cells: Tensor, scores: Tensor, words: List[str],
                        text_scores: Tensor,
                        scale_factor: Sequence[float]) -> InstanceData:
        """Turn one image's anchors and words into predicted instances.

        Args:
            cells (Tensor): Long anchor cells of shape (N, 2).
            scores (Tensor): Anchor confidences of shape (N,).
            words (list[str]): The N decoded words.
            text_scores (Tensor): Word confidences of shape (N,).
            scale_factor (Sequence[float]): ``(w_scale, h_scale)``.

        Returns:
            InstanceData: The non-empty words, see :meth:`predict`.
        """
        keep = [i for i, word in enumerate(words) if word]
        index = torch.tensor(keep, dtype=torch.long, device=cells.device)
        cells = cells[index]
        scale = cells.new_tensor(scale_factor[:2], dtype=torch.float32)
        top_left = cells.float() * self.stride / scale
        bottom_right = (cells.float() + 1) * self.stride / scale
        bboxes = torch.cat([top_left, bottom_right], dim=-1)
        instances = InstanceData()
        instances.points = cells_to_points(cells, self.stride, scale_factor)
        instances.texts = [words[i] for i in keep]
        # float32 also under bfloat16 autocast
        instances.scores = scores[index].float()
        instances.text_scores = text_scores[index].float()
        instances.bboxes = bboxes
        instances.polygons = [
            np.array([x0, y0, x1, y0, x1, y1, x0, y1], dtype=np.float32)
            for x0, y0, x1, y1 in bboxes.tolist()
        ]
        return instances

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
