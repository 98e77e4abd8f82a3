# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Recognition module of SRSTS-A.

:class:`PointRecognitionHead` samples K features around each anchor cell
with its sampling module (by default :class:`PointOffsetSampler`), reads
them in order with a transformer encoder, classifies each into the alphabet
plus a CTC blank, is trained with CTC and decodes greedily.

Locations are in feature cells: cell ``(x, y)`` has its centre at
``(x + 0.5, y + 0.5)``, the convention of
:mod:`mmocr_wecromcl.models.utils.points`.
"""
from typing import Dict, List, Sequence, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule
from mmocr.models.common.dictionary import Dictionary
from mmocr.registry import MODELS
from mmocr.utils.typing_utils import ConfigType, OptMultiConfig
from torch import Tensor

from mmocr_wecromcl.utils.text import (MAX_WORD_LEN, build_dictionary,
                                       normalize_word)
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

    Training (:meth:`loss`): CTC (``F.ctc_loss`` with ``zero_infinity=True``;
    each word's loss divided by its length, averaged over words) against the
    words normalised by :func:`normalize_word` (at most ``max_seq_len``
    characters; words left empty are skipped). With ``loss_drop_ratio`` > 0,
    that fraction of the batch's words, those of highest loss, is left out
    (small-loss selection: a pseudo point on another word of the image
    gives a word that cannot be read there; see ``docs/method.md``).
    Test (:meth:`predict`): greedy CTC decoding, i.e.
    per-point argmax, consecutive repeats collapsed, blanks removed.

    Args:
        dictionary (dict or Dictionary): The alphabet (config of
            :func:`build_dictionary` or the dictionary).
        in_channels (int): Channels of the feature map.
        sampler (dict): Config of the sampling module; ``in_channels`` is
            filled in. Defaults to ``dict(type='PointOffsetSampler')``.
        embed_dims (int): Width of the sequence model. Defaults to 256.
        num_layers (int): Transformer encoder layers. Defaults to 2.
        num_heads (int): Attention heads. Defaults to 8.
        feedforward_channels (int): FFN width. Defaults to 1024.
        dropout (float): Dropout of the encoder layers. Defaults to 0.1.
        max_seq_len (int): Maximum word length. Defaults to 25.
        loss_drop_ratio (float): Fraction (in [0, 1)) of each batch's words
            with the highest CTC loss that get no gradient. Defaults to 0.
        init_cfg (dict or list[dict], optional): Initialization config.
    """

    def __init__(self,
                 dictionary: Union[Dict, Dictionary],
                 in_channels: int,
                 sampler: ConfigType = dict(type='PointOffsetSampler'),
                 embed_dims: int = 256,
                 num_layers: int = 2,
                 num_heads: int = 8,
                 feedforward_channels: int = 1024,
                 dropout: float = 0.1,
                 max_seq_len: int = MAX_WORD_LEN,
                 loss_drop_ratio: float = 0.0,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if not 0 <= loss_drop_ratio < 1:
            raise ValueError(
                f'loss_drop_ratio must be in [0, 1), got {loss_drop_ratio}')
        self.loss_drop_ratio = loss_drop_ratio
        self.dictionary = build_dictionary(dictionary)
        assert (self.dictionary.start_idx is None
                and self.dictionary.end_idx is None
                and self.dictionary.padding_idx is None), \
            'CTC uses its own blank: the dictionary must have no start, ' \
            'end or padding token'
        self.blank_idx = self.dictionary.num_classes
        self.num_classes = self.dictionary.num_classes + 1
        self.max_seq_len = max_seq_len
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
        targets = torch.tensor(
            [i for word in words for i in self.dictionary.str2idx(word)],
            dtype=torch.long,
            device=logits.device)
        target_lengths = torch.tensor([len(word) for word in words],
                                      dtype=torch.long,
                                      device=logits.device)
        input_lengths = torch.full((len(words), ),
                                   logits.size(1),
                                   dtype=torch.long,
                                   device=logits.device)
        log_probs = logits.float().log_softmax(-1).transpose(0, 1)
        return F.ctc_loss(
            log_probs,
            targets,
            input_lengths,
            target_lengths,
            blank=self.blank_idx,
            reduction='none',
            zero_infinity=True) / target_lengths

    def loss(self, feats: Tensor, anchors: Sequence[Tensor],
             texts: Sequence[Sequence[str]]) -> Dict[str, Tensor]:
        """Compute the CTC loss at given (ground-truth) anchors.

        Args:
            feats (Tensor): Features of shape (B, C, H, W).
            anchors (Sequence[Tensor]): For each image, the long anchor cells
                of shape (N_i, 2) of its words.
            texts (Sequence[Sequence[str]]): For each image, the N_i raw
                transcriptions.

        Returns:
            dict[str, Tensor]: ``loss_recog``, the mean over the kept words
            of their CTC loss per character; 0 (still connected to the
            parameters) when no word is left after normalisation.
        """
        kept_anchors, words = [], []
        for cells, img_texts in zip(anchors, texts):
            img_words = [
                normalize_word(text, self.dictionary, self.max_seq_len)
                for text in img_texts
            ]
            keep = torch.tensor([bool(w) for w in img_words],
                                dtype=torch.bool,
                                device=cells.device)
            kept_anchors.append(cells[keep])
            words.extend(w for w in img_words if w)
        if not words:
            logits, _ = self(feats, kept_anchors)
            return dict(loss_recog=logits.sum() * 0)
        losses = self.word_losses(feats, kept_anchors, words)
        num_drop = int(self.loss_drop_ratio * len(words))
        if num_drop:
            losses = losses.sort().values[:len(words) - num_drop]
        return dict(loss_recog=losses.mean())

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

    def decode(self, probs: Tensor) -> Tuple[List[str], Tensor]:
        """Greedy CTC decoding.

        Args:
            probs (Tensor): Class probabilities of shape (N, K, num_classes).

        Returns:
            tuple(list[str], Tensor): The N words (at most ``max_seq_len``
            characters) and their scores of shape (N,): the mean, over the
            points not decoded as blank, of the winning probability (0 for
            an empty word).
        """
        max_probs, indexes = probs.max(-1)
        non_blank = indexes != self.blank_idx
        scores = (max_probs *
                  non_blank).sum(-1) / non_blank.sum(-1).clamp(min=1)
        words = []
        for seq in indexes.tolist():
            chars = [
                idx for t, idx in enumerate(seq)
                if idx != self.blank_idx and (t == 0 or idx != seq[t - 1])
            ]
            words.append(self.dictionary.idx2str(chars[:self.max_seq_len]))
        return words, scores

    def predict(self, feats: Tensor,
                anchors: Sequence[Tensor]) -> List[Tuple[List[str], Tensor]]:
        """Read the words at given (predicted) anchors.

        Args:
            feats (Tensor): Features of shape (B, C, H, W).
            anchors (Sequence[Tensor]): For each image, the long anchor cells
                of shape (N_i, 2).

        Returns:
            list[tuple(list[str], Tensor)]: For each image, its N_i words and
            their scores of shape (N_i,) (see :meth:`decode`).
        """
        logits, _ = self(feats, anchors)
        words, scores = self.decode(logits.softmax(-1))
        results, start = [], 0
        for cells in anchors:
            end = start + len(cells)
            results.append((words[start:end], scores[start:end]))
            start = end
        return results
