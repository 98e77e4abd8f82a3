# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Recognition module of SRSTS-A.

:class:`PointRecognitionHead` samples K features around each anchor cell
with its sampling module (by default :class:`PointOffsetSampler`), reads
them in order with a transformer encoder and classifies each into the
alphabet plus a CTC blank; it is trained with CTC
(:class:`PointCTCModuleLoss`) and decodes greedily
(:class:`PointCTCPostprocessor`).

Locations are in feature cells: cell ``(x, y)`` has its centre at
``(x + 0.5, y + 0.5)``, the convention of
:mod:`mmocr_wecromcl.models.utils.points`.
"""
from typing import Dict, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from mmocr.models.common.dictionary import Dictionary
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample
from mmocr.utils.typing_utils import ConfigType, OptMultiConfig
from torch import Tensor

from mmocr_wecromcl.utils.text import MAX_WORD_LEN, build_dictionary
# registers the default sampling module, dict(type='PointOffsetSampler')
from .point_offset_sampler import PointOffsetSampler  # noqa: F401


def character_centers(logits: Tensor, locations: Tensor, fallback: Tensor,
                      blank_idx: int) -> Tensor:
    """Mean location of the sampled points that read a character.

    Args:
        logits (Tensor): Per-point class logits of shape (N, K, C).
        locations (Tensor): The K sampled locations of shape (N, K, 2).
        fallback (Tensor): Locations of shape (N, 2) returned for words whose
            K points all decode as blank.
        blank_idx (int): Index of the CTC blank class.

    Returns:
        Tensor: Locations of shape (N, 2).
    """
    read = (logits.argmax(-1) != blank_idx).to(locations.dtype)  # (N, K)
    count = read.sum(-1, keepdim=True)
    mean = (locations * read[..., None]).sum(1) / count.clamp(min=1)
    return torch.where(count > 0, mean, fallback.to(locations.dtype))


@MODELS.register_module()
class PointRecognitionHead(BaseModule):
    """Read the word at each anchor from K sampled points with CTC.

    The K sampled features (in the sampler's order) are projected to
    ``embed_dims``, given a learned positional embedding, encoded by a
    transformer encoder and classified, per point, into the dictionary's
    classes plus a CTC blank.

    Class ``i < dictionary.num_classes`` is the dictionary's character ``i``;
    the blank is the last class, ``blank_idx = dictionary.num_classes``. The
    dictionary must therefore have no start, end or padding token.

    Training (:meth:`loss`): the words are read at the cells of their
    annotated (pseudo) points and ``module_loss`` compares them with the
    transcriptions. Test (:meth:`predict`): they are read at the predicted
    anchors and ``postprocessor`` decodes them.

    Args:
        dictionary (dict or Dictionary): The alphabet (config of
            :func:`build_dictionary` or the dictionary).
        in_channels (int): Channels of the feature map.
        stride (float): Stride of the feature map in input pixels; filled in
            for the module loss.
        sampler (dict): Config of the sampling module; ``in_channels`` is
            filled in. Defaults to ``dict(type='PointOffsetSampler')``.
        embed_dims (int): Width of the sequence model. Defaults to 256.
        num_layers (int): Transformer encoder layers. Defaults to 2.
        num_heads (int): Attention heads. Defaults to 8.
        feedforward_channels (int): FFN width. Defaults to 1024.
        dropout (float): Dropout of the encoder layers. Defaults to 0.1.
        max_seq_len (int): Maximum word length; filled in for the module
            loss and the postprocessor. Defaults to 25.
        module_loss (dict): Config of the module loss; ``dictionary``,
            ``stride`` and ``max_seq_len`` are filled in. Defaults to
            ``dict(type='PointCTCModuleLoss')``.
        postprocessor (dict): Config of the postprocessor; ``dictionary``
            and ``max_seq_len`` are filled in. Defaults to
            ``dict(type='PointCTCPostprocessor')``.
        init_cfg (dict or list[dict], optional): Initialization config.
    """

    def __init__(self,
                 dictionary: Union[Dict, Dictionary],
                 in_channels: int,
                 stride: float,
                 sampler: ConfigType = dict(type='PointOffsetSampler'),
                 embed_dims: int = 256,
                 num_layers: int = 2,
                 num_heads: int = 8,
                 feedforward_channels: int = 1024,
                 dropout: float = 0.1,
                 max_seq_len: int = MAX_WORD_LEN,
                 module_loss: ConfigType = dict(type='PointCTCModuleLoss'),
                 postprocessor: ConfigType = dict(
                     type='PointCTCPostprocessor'),
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.dictionary = build_dictionary(dictionary)
        assert (self.dictionary.start_idx is None
                and self.dictionary.end_idx is None
                and self.dictionary.padding_idx is None), \
            'CTC uses its own blank: the dictionary must have no start, ' \
            'end or padding token'
        self.blank_idx = self.dictionary.num_classes
        self.num_classes = self.dictionary.num_classes + 1
        self.max_seq_len = max_seq_len
        self.module_loss = MODELS.build(
            dict(
                module_loss,
                dictionary=self.dictionary,
                stride=stride,
                max_seq_len=max_seq_len))
        self.postprocessor = MODELS.build(
            dict(
                postprocessor,
                dictionary=self.dictionary,
                max_seq_len=max_seq_len))
        self.sampler = MODELS.build(dict(sampler, in_channels=in_channels))
        self.input_proj = nn.Linear(in_channels, embed_dims)
        self.pos_embed = nn.Parameter(
            torch.zeros(1, self.sampler.num_points, embed_dims))
        nn.init.trunc_normal_(self.pos_embed, std=0.02)
        layer = nn.TransformerEncoderLayer(
            embed_dims,
            num_heads,
            feedforward_channels,
            dropout,
            batch_first=True)
        self.encoder = nn.TransformerEncoder(
            layer, num_layers, enable_nested_tensor=False)
        self.classifier = nn.Linear(embed_dims, self.num_classes)

    def forward(self, feats: Tensor,
                anchors: Sequence[Tensor]) -> Tuple[Tensor, Tensor]:
        """Classify the K sampled points of every anchor.

        Args:
            feats (Tensor): Features of shape (B, C, H, W).
            anchors (Sequence[Tensor]): For each image, the long anchor cells
                ``(x, y)`` of shape (N_i, 2).

        Returns:
            tuple(Tensor, Tensor): Logits of shape (N, K, num_classes) and the
            sampled locations in feature cells of shape (N, K, 2).
        """
        sampled, locations = self.sampler(feats, anchors)
        seq = self.encoder(self.input_proj(sampled) + self.pos_embed)
        return self.classifier(seq), locations

    def loss(self, feats: Tensor,
             data_samples: Sequence[TextDetDataSample]) -> Dict[str, Tensor]:
        """Compute the recognition loss at the annotated anchors.

        Args:
            feats (Tensor): Features of shape (B, C, H, W).
            data_samples (Sequence[TextDetDataSample]): The batch's samples,
                with ``gt_instances.points`` in network-input pixels and
                ``gt_instances.texts``.

        Returns:
            dict[str, Tensor]: The losses of ``module_loss``.
        """
        anchors, words = self.module_loss.get_targets(data_samples,
                                                      feats.shape[-2:],
                                                      feats.device)
        logits, _ = self(feats, anchors)
        return self.module_loss(logits, words)

    def word_losses(self, feats: Tensor, anchors: Sequence[Tensor],
                    words: Sequence[str]) -> Tensor:
        """CTC loss per character of known words read at given anchors.

        Args:
            feats (Tensor): Features of shape (B, C, H, W).
            anchors (Sequence[Tensor]): For each image, the long anchor cells
                of shape (N_i, 2).
            words (Sequence[str]): The N = sum(N_i) target words, in image
                order, already normalised (:func:`normalize_word`) and not
                empty.

        Returns:
            Tensor: The loss of each word of shape (N, ).
        """
        logits, _ = self(feats, anchors)
        return self.module_loss.word_losses(logits, words)

    def character_centers(self, feats: Tensor,
                          anchors: Sequence[Tensor]) -> Tensor:
        """Where the characters read at each anchor lie.

        The sampling points learn, through the recognition loss only, to
        reach the word's characters wherever the anchor is on the word; the
        mean location of those that decode a character is the word's
        centre as this head sees it (see :func:`character_centers`).

        Args:
            feats (Tensor): Features of shape (B, C, H, W).
            anchors (Sequence[Tensor]): For each image, the long anchor cells
                of shape (N_i, 2).

        Returns:
            Tensor: Locations in feature cells (cell ``(x, y)`` has its
            centre at ``(x + 0.5, y + 0.5)``) of shape (N, 2), in image
            order; an anchor where nothing is read keeps its cell centre.
        """
        logits, locations = self(feats, anchors)
        cells = torch.cat([cells.view(-1, 2) for cells in anchors])
        return character_centers(logits, locations,
                                 cells.to(locations.dtype) + 0.5,
                                 self.blank_idx)

    def predict(self, feats: Tensor, data_samples: Sequence[TextDetDataSample]
                ) -> Sequence[TextDetDataSample]:
        """Read the words at the predicted anchors.

        Args:
            feats (Tensor): Features of shape (B, C, H, W).
            data_samples (Sequence[TextDetDataSample]): Samples whose
                ``pred_instances.cells`` (N_i, 2) are the anchors, e.g. from
                :class:`AnchorPointHead`.

        Returns:
            Sequence[TextDetDataSample]: The samples with the
            ``pred_instances`` of the postprocessor.
        """
        logits, _ = self(feats, [s.pred_instances.cells for s in data_samples])
        return self.postprocessor(logits.softmax(-1), data_samples)
