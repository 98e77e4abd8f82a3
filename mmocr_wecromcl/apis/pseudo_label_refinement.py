# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Pseudo-label re-centring and refinement with an SRSTS-A.

Both move the given anchor points of a batch (e.g. WeCromCL pseudo points)
by reading with a trained :class:`SRSTSA`: :func:`recenter_points` to the
centre of the characters read there, :func:`refine_points` to the nearby
cell that best fits each word's transcription.
"""
from typing import List, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from mmocr.structures import TextDetDataSample
from torch import Tensor

from mmocr_wecromcl.models.spotters import SRSTSA
from mmocr_wecromcl.models.utils import (cells_to_points, gt_points,
                                         points_to_cells)
from mmocr_wecromcl.utils.text import normalize_word


def recenter_points(model: SRSTSA, inputs: Tensor,
                    data_samples: Sequence[TextDetDataSample]) -> List[Tensor]:
    """Move given anchor points to the centre of the words read there.

    Each point of ``gt_instances.points`` (e.g. a WeCromCL pseudo point,
    which lies on one character of its word) is read by the model's
    recognition head, and replaced by the mean location of the sampling
    points that decode a character
    (:meth:`PointRecognitionHead.character_centers`); a point where nothing
    is read stays at the centre of its cell. Texts are not used.

    Args:
        model (SRSTSA): The spotter that reads the words.
        inputs (Tensor): Images of shape (B, 3, H, W).
        data_samples (Sequence[TextDetDataSample]): The batch's samples,
            with ``gt_instances.points`` (N_i, 2) in network-input
            pixels; their metainfo may give ``scale_factor``.

    Returns:
        list[Tensor]: For each image, the (N_i, 2) re-centred points in
        original-image pixels, in the order of its points.
    """
    feats = model.encode(inputs, data_samples)
    cells = [
        points_to_cells(
            gt_points(s, feats.device), model.stride, feats.shape[-2:])
        for s in data_samples
    ]
    centers = model.recog_head.character_centers(feats, cells)
    results = []
    for data_sample, chunk in zip(data_samples,
                                  centers.split([len(c) for c in cells])):
        scale = chunk.new_tensor(
            data_sample.metainfo.get('scale_factor', (1., 1.))[:2])
        results.append(chunk * model.stride / scale)
    return results


def refine_points(model: SRSTSA,
                  inputs: Tensor,
                  data_samples: Sequence[TextDetDataSample],
                  radius: int = 2,
                  max_word_loss: Optional[float] = None
                  ) -> List[Tuple[Tensor, Tensor]]:
    """Move given points to the nearby cell that best fits their words.

    The anchor of a word is treated as a latent variable (one hard-EM
    step): among the cells within ``radius`` cells (Chebyshev distance)
    of each point's cell, the point moves to the centre of the cell of
    least cost, the negative log confidence of the model's anchor head
    there plus the CTC loss per character of the word's transcription read
    there, i.e. the cell that the model would find the least costly
    target. A word with nothing to read after normalisation keeps its
    point. The CTC loss at the chosen cell is returned too: a word that
    cannot be read anywhere in the window (a high loss) was most likely
    given a point on another word. With ``max_word_loss``, such a word
    (loss above it) is searched again over the whole feature map, and
    moves to its least-cost cell there if its loss there is at most
    ``max_word_loss``.

    Args:
        model (SRSTSA): The spotter whose costs are minimised.
        inputs (Tensor): Images of shape (B, 3, H, W).
        data_samples (Sequence[TextDetDataSample]): The batch's samples,
            with ``gt_instances.points`` (N_i, 2) in network-input
            pixels and ``gt_instances.texts``; their metainfo may give
            ``scale_factor``.
        radius (int): Half-side of the square window of candidate
            cells. Defaults to 2.
        max_word_loss (float, optional): CTC loss per character above
            which a word's least-cost cell in the window is replaced by
            its least-cost cell in the whole map, if the loss there is
            at most this. Defaults to None (the window only).

    Returns:
        list[tuple(Tensor, Tensor)]: For each image, the (N_i, 2) refined
        points in original-image pixels, in the order of its points,
        and the (N_i, ) CTC losses per character of the words at them
        (0 for a word with nothing to read).
    """
    feats = model.encode(inputs, data_samples)
    height, width = feats.shape[-2:]
    # (B, H, W), float32 also under bfloat16 autocast
    anchor_nll = -F.logsigmoid(model.anchor_head(feats).float())
    steps = torch.arange(-radius, radius + 1, device=feats.device)
    window = torch.stack(torch.meshgrid(steps, steps, indexing='xy'),
                         -1).view(-1, 2)
    results, candidates, words = [], [], []
    for data_sample in data_samples:
        points = gt_points(data_sample, feats.device)
        img_words = [
            normalize_word(text, model.dictionary,
                           model.recog_head.max_seq_len)
            for text in data_sample.gt_instances.texts
        ]
        keep = [i for i, word in enumerate(img_words) if word]
        cand = points_to_cells(points, model.stride,
                               (height, width))[keep, None] + window
        cand[..., 0].clamp_(0, width - 1)
        cand[..., 1].clamp_(0, height - 1)
        candidates.append(cand)  # (N_kept, M, 2)
        words.append([img_words[i] for i in keep])
        scale_factor = data_sample.metainfo.get('scale_factor', (1., 1.))
        results.append((points / points.new_tensor(scale_factor[:2]),
                        points.new_zeros(len(points)), keep, scale_factor))
    fits = _fit_cells(model, feats, anchor_nll, candidates, words)
    if max_word_loss is not None:
        ys, xs = torch.meshgrid(
            torch.arange(height, device=feats.device),
            torch.arange(width, device=feats.device),
            indexing='ij')
        whole = torch.stack([xs, ys], -1).view(1, -1, 2)
        unread = [losses > max_word_loss for _, losses in fits]
        searched = _fit_cells(model, feats, anchor_nll, [
            whole.expand(int(bad.sum()), -1, -1) for bad in unread
        ], [[word for word, b in zip(img_words, bad.tolist()) if b]
            for img_words, bad in zip(words, unread)])
        for (cells, losses), bad, (new_cells,
                                   new_losses) in zip(fits, unread, searched):
            read = new_losses <= max_word_loss
            found = bad.nonzero()[:, 0][read]
            cells[found] = new_cells[read]
            losses[found] = new_losses[read]
    for (points, word_losses, keep,
         scale_factor), (cells, losses) in zip(results, fits):
        if keep:
            points[keep] = cells_to_points(cells, model.stride, scale_factor)
            word_losses[keep] = losses
    return [(points, word_losses) for points, word_losses, _, _ in results]


def _fit_cells(model: SRSTSA, feats: Tensor, anchor_nll: Tensor,
               candidates: Sequence[Tensor],
               words: Sequence[Sequence[str]]) -> List[Tuple[Tensor, Tensor]]:
    """The least costly candidate cell of each word (:func:`refine_points`).

    Args:
        model (SRSTSA): The spotter whose recognition head reads the words.
        feats (Tensor): Features of shape (B, C, H, W).
        anchor_nll (Tensor): Negative log anchor confidences of shape
            (B, H, W).
        candidates (Sequence[Tensor]): For each image, the long candidate
            cells ``(x, y)`` of shape (N_i, M, 2) of its N_i words.
        words (Sequence[Sequence[str]]): For each image, its N_i
            normalised, non-empty words.

    Returns:
        list[tuple(Tensor, Tensor)]: For each image, the chosen cells of
        shape (N_i, 2) and the CTC losses per character there (N_i, ).
    """
    flat_words = [
        word for cand, img_words in zip(candidates, words)
        for word in img_words for _ in range(cand.shape[1])
    ]
    if not flat_words:
        return [(cand[:, 0], anchor_nll.new_zeros(len(cand)))
                for cand in candidates]
    ctc = model.recog_head.word_losses(
        feats, [cand.reshape(-1, 2) for cand in candidates], flat_words)
    fits = []
    for index, (cand, word_ctc) in enumerate(
            zip(candidates,
                ctc.split([c.shape[0] * c.shape[1] for c in candidates]))):
        word_ctc = word_ctc.view(cand.shape[:2])
        cost = anchor_nll[index, cand[..., 1], cand[..., 0]] + word_ctc
        best = cost.argmin(-1, keepdim=True)  # (N_i, 1)
        fits.append((cand.gather(1, best[..., None].expand(-1, -1, 2))[:, 0],
                     word_ctc.gather(1, best)[:, 0]))
    return fits
