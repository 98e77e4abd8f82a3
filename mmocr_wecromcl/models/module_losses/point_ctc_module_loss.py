# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Training loss of the SRSTS-A recognition head."""
import warnings
from typing import Dict, List, Sequence, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmocr.models.common.dictionary import Dictionary
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample
from torch import Tensor

from mmocr_wecromcl.models.utils import gt_anchor_cells
from mmocr_wecromcl.utils.text import (MAX_WORD_LEN, build_dictionary,
                                       normalize_word)


@MODELS.register_module()
class PointCTCModuleLoss(nn.Module):
    """CTC loss of the words read at their annotated anchor points.

    The targets are the non-ignored words of each image, normalised by
    :func:`normalize_word` (at most ``max_seq_len`` characters), read at the
    cells of their (pseudo) points (teacher forcing). A word left empty by
    the normalisation is no recognition target (warned, naming its image).
    The loss is ``F.ctc_loss`` with ``zero_infinity=True``, each word's loss
    divided by its length, averaged over words. With ``loss_drop_ratio`` >
    0, that fraction of the batch's words, those of highest loss, is left
    out (small-loss selection: a pseudo point on another word of the image
    gives a word that cannot be read there; see ``docs/method.md``).

    Class ``i < dictionary.num_classes`` is the dictionary's character
    ``i``; the CTC blank is the last class, ``dictionary.num_classes``.

    Args:
        dictionary (dict or Dictionary): The alphabet (filled in by the
            head).
        stride (float): Stride of the feature map (filled in by the head).
        max_seq_len (int): Maximum word length (filled in by the head).
            Defaults to 25.
        loss_drop_ratio (float): Fraction (in [0, 1)) of each batch's words
            with the highest CTC loss that get no gradient. Defaults to 0.
    """

    def __init__(self,
                 dictionary: Union[Dict, Dictionary],
                 stride: float,
                 max_seq_len: int = MAX_WORD_LEN,
                 loss_drop_ratio: float = 0.0) -> None:
        super().__init__()
        if not 0 <= loss_drop_ratio < 1:
            raise ValueError(
                f'loss_drop_ratio must be in [0, 1), got {loss_drop_ratio}')
        self.dictionary = build_dictionary(dictionary)
        self.blank_idx = self.dictionary.num_classes
        self.stride = stride
        self.max_seq_len = max_seq_len
        self.loss_drop_ratio = loss_drop_ratio

    def get_targets(self, data_samples: Sequence[TextDetDataSample],
                    size: Tuple[int, int],
                    device: torch.device) -> Tuple[List[Tensor], List[str]]:
        """The anchors to read and the words to read there.

        Args:
            data_samples (Sequence[TextDetDataSample]): The batch's samples,
                with ``gt_instances.points`` in network-input pixels,
                ``gt_instances.texts`` and optionally
                ``gt_instances.ignored``.
            size (tuple(int, int)): ``(H, W)`` of the feature map.
            device (torch.device): Device of the anchors.

        Returns:
            tuple(list[Tensor], list[str]): For each image, the long cells
            of shape (N_i, 2) of its target words; and the N = sum(N_i)
            normalised, non-empty words, in image order.
        """
        cells, texts = gt_anchor_cells(data_samples, self.stride, size, device)
        anchors, words = [], []
        for data_sample, img_cells, img_texts in zip(data_samples, cells,
                                                     texts):
            img_words = [
                normalize_word(text, self.dictionary, self.max_seq_len)
                for text in img_texts
            ]
            for text, word in zip(img_texts, img_words):
                if not word:
                    # warnings.warn: once per image and word, not per epoch
                    warnings.warn(
                        f'{data_sample.metainfo.get("img_path")}: {text!r} '
                        'has no character of the dictionary: an anchor '
                        'target without a recognition target')
            keep = torch.tensor([bool(w) for w in img_words],
                                dtype=torch.bool,
                                device=device)
            anchors.append(img_cells[keep])
            words.extend(w for w in img_words if w)
        return anchors, words

    def word_losses(self, logits: Tensor, words: Sequence[str]) -> Tensor:
        """CTC loss per character of each word.

        Args:
            logits (Tensor): Per-point class logits of shape
                (N, K, num_classes + 1) of the N words.
            words (Sequence[str]): The N target words, normalised and not
                empty.

        Returns:
            Tensor: The loss of each word of shape (N, ), float32.
        """
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

    def forward(self, logits: Tensor,
                words: Sequence[str]) -> Dict[str, Tensor]:
        """Compute the recognition loss.

        Args:
            logits (Tensor): Per-point class logits of shape
                (N, K, num_classes + 1) read at the anchors of
                :meth:`get_targets`.
            words (Sequence[str]): The N words of :meth:`get_targets`.

        Returns:
            dict[str, Tensor]: ``loss_recog``, the mean over the kept words
            of their CTC loss per character; 0 (still connected to the
            parameters) without words.
        """
        if not words:
            return dict(loss_recog=logits.sum() * 0)
        losses = self.word_losses(logits, words)
        num_drop = int(self.loss_drop_ratio * len(words))
        if num_drop:
            losses = losses.sort().values[:len(words) - num_drop]
        return dict(loss_recog=losses.mean())
