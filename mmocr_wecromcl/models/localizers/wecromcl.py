# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""WeCromCL: where is each word, learned from transcriptions alone."""
from collections import Counter
from typing import Dict, List, Optional, Sequence, Tuple

import torch
from mmengine.structures import InstanceData
from mmocr.registry import MODELS
from torch import Tensor

from mmocr_wecromcl.models.base import ImageEncoderModel, SampleList
from mmocr_wecromcl.utils import normalize_word

#: Fields of ``gt_instances`` that would tell stage 1 where a word is.
LOCATION_FIELDS = ('polygons', 'bboxes', 'points')


@MODELS.register_module()
class WeCromCL(ImageEncoderModel):
    """Weakly supervised cross-modal contrastive learning (stage 1).

    Training sees images and transcriptions only: each image's positive word
    (``data_sample.positive_text``, chosen by ``transcription_collate``) and
    its mined negatives (``data_sample.negative_texts``); samples that carry
    any location raise an error. Prediction queries each distinct word of
    ``gt_instances.texts`` (ignored ones skipped) and returns its anchor
    points: ``postprocessor`` takes k peaks of its activation map, k = the
    number of times the word occurs in the image.

    Args:
        image_encoder (dict): :class:`WeCromCLImageEncoder` config.
        text_encoder (dict): :class:`CharacterTextEncoder` config.
        head (dict): :class:`CrossModalActivationHead` config.
        module_loss (dict): Config of the contrastive loss. Defaults to
            ``dict(type='WeCromCLContrastiveLoss')``.
        word_loss (dict, optional): Config of an auxiliary loss between the
            words of each image, e.g. :class:`WordDiscriminationLoss` (not
            in the paper; see ``docs/method.md``). Defaults to None (off).
        char_head (dict, optional): Config of :class:`MaskedCharacterHead`
            (its ``embed_dims`` and ``num_classes`` default to the text
            encoder's): one masked character per distinct word of each
            image is read back from the pixels its query attends to (not in
            the paper; needs ``text_encoder.mask_token``). Defaults to None.
        data_preprocessor (dict, optional): E.g. MMOCR's
            ``TextDetDataPreprocessor``.
        postprocessor (dict): Config of the peak postprocessor; ``stride``
            is filled in. Defaults to
            ``dict(type='PointPeakPostprocessor')``.
        test_cfg (dict, optional): ``with_maps`` (False: store the
            activation maps in the data samples).
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 image_encoder: Dict,
                 text_encoder: Dict,
                 head: Dict,
                 module_loss: Dict = dict(type='WeCromCLContrastiveLoss'),
                 word_loss: Optional[Dict] = None,
                 char_head: Optional[Dict] = None,
                 data_preprocessor: Optional[Dict] = None,
                 postprocessor: Dict = dict(type='PointPeakPostprocessor'),
                 test_cfg: Optional[Dict] = None,
                 init_cfg: Optional[Dict] = None) -> None:
        super().__init__(image_encoder, data_preprocessor, init_cfg)
        self.text_encoder = MODELS.build(text_encoder)
        self.head = MODELS.build(head)
        self.module_loss = MODELS.build(module_loss)
        self.word_loss = MODELS.build(word_loss) if word_loss else None
        self.char_head = None
        if char_head:
            char_head = dict(char_head)
            char_head.setdefault('embed_dims', self.text_encoder.embed_dims)
            char_head.setdefault('num_classes', self.dictionary.num_classes)
            self.char_head = MODELS.build(char_head)
        self.postprocessor = MODELS.build(
            dict(postprocessor, stride=self.image_encoder.stride))
        self.test_cfg = dict(with_maps=False)
        self.test_cfg.update(test_cfg or {})

    @property
    def dictionary(self):
        """The alphabet of the text encoder."""
        return self.text_encoder.dictionary

    def extract_feat(self, inputs: Tensor, data_samples: Optional[SampleList]
                     ) -> Tuple[Tensor, Optional[Tensor]]:
        """Image features and their padding mask.

        Args:
            inputs (Tensor): Images (B, 3, H, W).
            data_samples (list[TextDetDataSample], optional): Their samples.

        Returns:
            tuple(Tensor, Tensor or None): Features (B, C, H/s, W/s) and the
            padding mask (B, H/s, W/s) (None without data samples).
        """
        if data_samples is None:
            return self.encode(inputs), None
        feats = self.encode(inputs, data_samples)
        shapes = [s.metainfo['img_shape'][:2] for s in data_samples]
        mask, = self.image_encoder.padding_masks(inputs, shapes,
                                                 [feats.shape[-2:]])
        return feats, mask

    def _forward(self,
                 inputs: Tensor,
                 data_samples: Optional[SampleList] = None) -> Tensor:
        """Image features (B, C, H/s, W/s)."""
        return self.extract_feat(inputs, data_samples)[0]

    @staticmethod
    def _check_no_location(data_samples: SampleList) -> None:
        for sample in data_samples:
            gt = sample.get('gt_instances', InstanceData())
            found = [f for f in LOCATION_FIELDS if f in gt]
            if found:
                raise ValueError(
                    'WeCromCL is trained from transcriptions only, but a '
                    f'training sample of {sample.metainfo.get("img_path")} '
                    f'carries {found}. Pack training samples with '
                    'PackTranscriptionInputs(with_eval_gt=False).')

    def loss(self, inputs: Tensor, data_samples: SampleList) -> Dict:
        """Contrastive loss of a batch.

        Args:
            inputs (Tensor): Images (B, 3, H, W).
            data_samples (list[TextDetDataSample]): With ``positive_text``
                and ``negative_texts`` (the same N for every image).

        Returns:
            dict: Losses and the image-to-text accuracy; with ``word_loss``
            also its loss over the distinct words of each image
            (``gt_instances.texts``), 0 in a batch without an image of two
            distinct words.
        """
        self._check_no_location(data_samples)
        if any('positive_text' not in s for s in data_samples):
            raise ValueError('training samples have no positive_text: set '
                             "collate_fn=dict(type='transcription_collate') "
                             'in the train dataloader')
        batch = len(data_samples)
        positives = [s.positive_text for s in data_samples]
        negatives = [list(s.get('negative_texts', [])) for s in data_samples]
        num_neg = len(negatives[0])
        if any(len(n) != num_neg for n in negatives):
            raise ValueError('every image needs the same number of negatives')
        image_words = [[] for _ in data_samples]
        if self.word_loss is not None or self.char_head is not None:
            image_words = [
                self._distinct_words(s.gt_instances.texts)
                for s in data_samples
            ]
        flat_words = [w for words in image_words for w in words]
        embeds, rows = self.text_encoder.encode_unique(
            positives + [w for n in negatives for w in n] + flat_words)
        word_rows = rows[batch + batch * num_neg:]
        pos = embeds[rows[:batch]]
        queries = pos.unsqueeze(0).expand(batch, -1, -1)
        if num_neg:
            neg = embeds[rows[batch:batch +
                              batch * num_neg]].view(batch, num_neg, -1)
            queries = torch.cat([queries, neg], dim=1)
        feats, mask = self.extract_feat(inputs, data_samples)
        sims, _ = self.head(feats, queries, mask)
        losses = self.module_loss(sims[:, :batch],
                                  sims[:, batch:] if num_neg else None)
        if self.word_loss is not None:
            losses.update(
                self._word_loss(feats, mask, embeds, image_words, word_rows))
        if self.char_head is not None:
            losses.update(self._char_loss(feats, mask, image_words))
        return losses

    def _distinct_words(self, texts: Sequence[str]) -> List[str]:
        """The distinct normalised non-empty words of one image."""
        words = (
            normalize_word(t, self.dictionary, self.text_encoder.max_seq_len)
            for t in texts)
        return list(dict.fromkeys(w for w in words if w))

    def _word_loss(self, feats: Tensor, mask: Optional[Tensor], embeds: Tensor,
                   image_words: List[List[str]],
                   word_rows: List[int]) -> Dict[str, Tensor]:
        """``word_loss`` over the images that have two distinct words.

        Args:
            feats (Tensor): Image features (B, C, H, W).
            mask (Tensor, optional): Padding mask (B, H, W).
            embeds (Tensor): Word embeddings (U, C).
            image_words (list[list[str]]): The distinct words of each image.
            word_rows (list[int]): Row in ``embeds`` of each word of
                ``image_words``, flattened in order.

        Returns:
            dict: The loss of ``word_loss``.
        """
        sims, start = [], 0
        for i, words in enumerate(image_words):
            emb = embeds[word_rows[start:start + len(words)]]
            start += len(words)
            if len(words) < 2:
                continue
            fused, _ = self.head.attend(
                feats[i:i + 1], emb, None if mask is None else mask[i:i + 1])
            # (M, 1, C) against (1, M, C): s(F(I, q), t) for every q, t.
            sims.append(
                self.head.similarity(fused[0].unsqueeze(1), emb.unsqueeze(0)))
        if not sims:
            return dict(loss_word=feats.sum() * 0)
        return self.word_loss(sims)

    def _masked_features(self, feats: Tensor, mask: Optional[Tensor],
                         words: List[str], positions: Tensor) -> Tensor:
        """Attend to one image with words whose ``positions`` are masked.

        Args:
            feats (Tensor): One image's features (1, C, H, W).
            mask (Tensor, optional): Its padding mask (1, H, W).
            words (list[str]): N normalised words.
            positions (Tensor): (N,) long, the masked character of each.

        Returns:
            Tensor: Attended features (N, C) of the masked positions.
        """
        tokens, _ = self.text_encoder.encode_tokens(words, positions)
        queries = tokens[torch.arange(len(words)), positions]
        fused, _ = self.head.attend(feats, queries, mask)
        return fused[0]

    def _char_loss(self, feats: Tensor, mask: Optional[Tensor],
                   image_words: List[List[str]]) -> Dict[str, Tensor]:
        """``char_head``'s loss: one random masked character per word.

        Args:
            feats (Tensor): Image features (B, C, H, W).
            mask (Tensor, optional): Padding masks (B, H, W).
            image_words (list[list[str]]): The distinct words of each image.

        Returns:
            dict: ``loss_char`` and ``char_acc``.
        """
        fused, targets = [], []
        for i, words in enumerate(image_words):
            if not words:
                continue
            lengths = torch.tensor([len(w) for w in words])
            positions = (torch.rand(len(words)) * lengths).long()
            targets += [
                self.dictionary.char2idx(w[k])
                for w, k in zip(words, positions.tolist())
            ]
            fused.append(
                self._masked_features(feats[i:i + 1],
                                      None if mask is None else mask[i:i + 1],
                                      words, positions.to(feats.device)))
        if not fused:
            zero = feats.sum() * 0
            return dict(loss_char=zero, char_acc=zero.detach())
        return self.char_head.loss(
            torch.cat(fused), torch.tensor(targets, device=feats.device))

    def predict(self, inputs: Tensor, data_samples: SampleList) -> SampleList:
        """Anchor points of each image's transcriptions.

        Args:
            inputs (Tensor): Images (B, 3, H, W).
            data_samples (list[TextDetDataSample]): With
                ``gt_instances.texts`` (the queries) and optional
                ``gt_instances.ignored``; ``scale_factor`` in their meta.

        Returns:
            list[TextDetDataSample]: With ``pred_instances``: ``points``
            (P, 2) in original-image coordinates, ``texts`` (the normalised
            queried word of each point), ``scores`` (P,) (activation at
            the peak) and ``instance_indices`` (P,), the index in
            ``gt_instances.texts`` of the transcription each point anchors
            (the best point of a word goes to its first occurrence). With
            ``test_cfg.with_maps``, also ``activation_maps`` (U, H/s, W/s)
            and ``activation_texts`` (U words).
        """
        feats, mask = self.extract_feat(inputs, data_samples)
        for i, sample in enumerate(data_samples):
            gt = sample.gt_instances
            ignored = gt.get('ignored', torch.zeros(len(gt.texts)))
            words = [
                '' if bool(ign) else normalize_word(
                    t, self.dictionary, self.text_encoder.max_seq_len)
                for t, ign in zip(gt.texts, ignored)
            ]
            counts = Counter(w for w in words if w)
            pred = InstanceData(
                points=feats.new_zeros((0, 2)),
                scores=feats.new_zeros((0, )),
                texts=[],
                instance_indices=torch.zeros(
                    0, dtype=torch.long, device=feats.device))
            if counts:
                unique = list(counts)
                embeds = self.text_encoder(unique)
                _, maps = self.head.attend(
                    feats[i:i + 1], embeds,
                    None if mask is None else mask[i:i + 1])
                maps = maps[0]
                points, scores, texts, owners = [], [], [], []
                scale_factor = sample.metainfo.get('scale_factor', (1., 1.))
                for word, act, (cells, peak) in zip(
                        unique, maps,
                        self.postprocessor.get_peaks(maps, counts.values())):
                    owners += [j for j, w in enumerate(words)
                               if w == word][:len(peak)]
                    points.append(
                        self.postprocessor.get_points(act, cells,
                                                      scale_factor))
                    scores.append(peak)
                    texts += [word] * len(peak)
                pred = InstanceData(
                    points=torch.cat(points),
                    scores=torch.cat(scores),
                    texts=texts,
                    instance_indices=torch.tensor(
                        owners, dtype=torch.long, device=feats.device))
                if self.test_cfg['with_maps']:
                    sample.activation_maps = maps.detach()
                    sample.activation_texts = unique
            sample.pred_instances = pred
        return data_samples
