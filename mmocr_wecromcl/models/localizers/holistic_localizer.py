# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""The holistic (oCLIP-style) counterpart of WeCromCL."""
from typing import Dict

import torch
from mmocr.registry import MODELS
from torch import Tensor

from mmocr_wecromcl.models.base import SampleList
from .wecromcl import WeCromCL


@MODELS.register_module()
class HolisticLocalizer(WeCromCL):
    """Where is each word, learned by contrasting whole images with whole
    transcription sets, as oCLIP's batch-level contrast does.

    The modules are WeCromCL's; only the unit of the contrast differs.
    WeCromCL asks each word to find itself in its image. Here the words of
    image j (its distinct ``gt_instances.texts``) query image i through the
    head, their attended features F(I_i, w) are averaged, and so are their
    embeddings; s(i, j) is the scaled cosine of the two means, and the
    loss is the image-to-text and text-to-image cross-entropy of the B x B
    matrix (``module_loss``, without mined negatives). A word's attention
    only has to help its set tell its image apart, not to land on the word.
    With ``char_head``, the masked-character loss is added as in
    :class:`WeCromCL` (oCLIP has one too). Prediction, and so labelling,
    is :meth:`WeCromCL.predict`: each word queries the image alone and the
    peak of its activation map is its point.

    Args:
        **kwargs: The arguments of :class:`WeCromCL`, without
            ``word_loss``.
    """

    def __init__(self, **kwargs) -> None:
        if kwargs.get('word_loss'):
            raise ValueError('HolisticLocalizer has no within-image word '
                             'loss: it never contrasts single words')
        super().__init__(**kwargs)

    def loss(self, inputs: Tensor, data_samples: SampleList) -> Dict:
        """Contrastive loss of a batch of images and their transcription
        sets.

        Args:
            inputs (Tensor): Images (B, 3, H, W).
            data_samples (list[TextDetDataSample]): With
                ``gt_instances.texts``, at least one word each.

        Returns:
            dict: ``loss_i2t``, ``loss_t2i`` and ``i2t_acc``; with
            ``char_head`` also ``loss_char`` and ``char_acc``.
        """
        self._check_no_location(data_samples)
        image_words = [
            self._distinct_words(s.gt_instances.texts) for s in data_samples
        ]
        for sample, words in zip(data_samples, image_words):
            if not words:
                raise ValueError('a training image has no transcription: '
                                 f'{sample.metainfo.get("img_path")}')
        embeds, rows = self.text_encoder.encode_unique(
            [w for words in image_words for w in words])
        words = embeds[rows]  # (M, C)
        counts = torch.tensor([len(w) for w in image_words],
                              device=words.device)
        owner = torch.repeat_interleave(
            torch.arange(len(image_words), device=words.device), counts)
        feats, mask = self.extract_feat(inputs, data_samples)
        fused, _ = self.head.attend(feats, words, mask)  # (B, M, C)
        batch, _, channels = fused.shape
        # pooled[i, j] = mean of F(I_i, w) over the words w of image j
        pooled = fused.new_zeros(batch, batch, channels).index_add_(
            1, owner, fused) / counts.view(1, -1, 1)
        texts = words.new_zeros(batch, channels).index_add_(
            0, owner, words) / counts.view(-1, 1)
        losses = self.module_loss(
            self.head.similarity(pooled, texts.unsqueeze(0)))
        if self.char_head is not None:
            losses.update(self._char_loss(feats, mask, image_words))
        return losses
