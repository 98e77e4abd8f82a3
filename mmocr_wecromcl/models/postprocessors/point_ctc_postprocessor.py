# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Greedy CTC decoding of the words read at anchor points."""
from typing import Dict, List, Sequence, Tuple, Union

import torch
from mmocr.models.common.dictionary import Dictionary
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample
from torch import Tensor

from mmocr_wecromcl.utils.text import MAX_WORD_LEN, build_dictionary


@MODELS.register_module()
class PointCTCPostprocessor:
    """Decode the word at each predicted anchor with greedy CTC.

    Per sampled point the most probable class wins; consecutive repeats are
    collapsed and blanks (the last class, ``dictionary.num_classes``)
    removed. Anchors whose word decodes empty are dropped.

    Args:
        dictionary (dict or Dictionary): The alphabet (filled in by the
            head).
        max_seq_len (int): Words are cut to this many characters (filled in
            by the head). Defaults to 25.
    """

    def __init__(self,
                 dictionary: Union[Dict, Dictionary],
                 max_seq_len: int = MAX_WORD_LEN) -> None:
        self.dictionary = build_dictionary(dictionary)
        self.blank_idx = self.dictionary.num_classes
        self.max_seq_len = max_seq_len

    def decode(self, probs: Tensor) -> Tuple[List[str], Tensor]:
        """Greedy CTC decoding.

        Args:
            probs (Tensor): Class probabilities of shape (N, K, num_classes
                + 1).

        Returns:
            tuple(list[str], Tensor): The N words and their scores of shape
            (N,): the mean, over the points not decoded as blank, of the
            winning probability (0 for an empty word).
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

    def __call__(self, probs: Tensor, data_samples: Sequence[TextDetDataSample]
                 ) -> Sequence[TextDetDataSample]:
        """Add the words read at each sample's predicted anchors.

        Args:
            probs (Tensor): Class probabilities of shape (N, K, num_classes
                + 1) of the N anchors of the batch, in image order.
            data_samples (Sequence[TextDetDataSample]): Samples whose
                ``pred_instances`` are the anchors (with ``cells``).

        Returns:
            Sequence[TextDetDataSample]: The samples with ``pred_instances``
            keeping the anchors whose word is not empty, without ``cells``,
            and with ``texts`` (list[str]) and ``text_scores`` (N,) float32.
        """
        words, scores = self.decode(probs)
        start = 0
        for data_sample in data_samples:
            instances = data_sample.pred_instances
            end = start + len(instances)
            keep = [i for i in range(start, end) if words[i]]
            index = torch.tensor([i - start for i in keep],
                                 dtype=torch.long,
                                 device=probs.device)
            instances = instances[index]
            del instances.cells
            instances.texts = [words[i] for i in keep]
            # float32 also under bfloat16 autocast
            instances.text_scores = scores[keep].float()
            data_sample.pred_instances = instances
            start = end
        return data_samples
