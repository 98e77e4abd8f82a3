# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""WeCromCL's cross-modal activation head."""
import math
from typing import Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from torch import Tensor


@MODELS.register_module()
class CrossModalActivationHead(BaseModule):
    """Text-as-query cross-attention between words and pixels.

    For an image feature map and M word embeddings, each word is a query over
    the H x W pixels (single head, as in the authors' code). The softmax of
    its attention logits over the pixels is the word's *soft activation map*
    (its peak is the anchor point); the attention output, after an output
    projection, is the text-conditioned image feature F(I, T); the
    similarity is ``exp(logit_scale) * cos(F(I, T), T)`` with a learned
    temperature (initially 0.07).

    Args:
        embed_dims (int): Width of image features and word embeddings.
        init_temperature (float): Initial temperature. Defaults to 0.07.
        max_logit_scale (float): Upper bound of ``exp(logit_scale)`` (as in
            CLIP). Defaults to 100.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 embed_dims: int,
                 init_temperature: float = 0.07,
                 max_logit_scale: float = 100.0,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.embed_dims = embed_dims
        self.q_proj = nn.Linear(embed_dims, embed_dims)
        self.k_proj = nn.Linear(embed_dims, embed_dims)
        self.v_proj = nn.Linear(embed_dims, embed_dims)
        self.out_proj = nn.Linear(embed_dims, embed_dims)
        self.logit_scale = nn.Parameter(
            torch.tensor(math.log(1.0 / init_temperature)))
        self.max_logit_scale = math.log(max_logit_scale)

    def attend(self,
               feats: Tensor,
               texts: Tensor,
               pixel_mask: Optional[Tensor] = None) -> Tuple[Tensor, Tensor]:
        """Text-conditioned image features and activation maps.

        Args:
            feats (Tensor): Image features (B, C, H, W).
            texts (Tensor): Word embeddings, either (M, C) (the same words
                for every image) or (B, M, C) (words per image).
            pixel_mask (Tensor, optional): (B, H, W), True at padding
                pixels, which get no activation.

        Returns:
            tuple(Tensor, Tensor): The features F(I, T) of shape (B, M, C)
            and the activation maps (B, M, H, W), which sum to 1 over each
            map.
        """
        batch, channels, height, width = feats.shape
        if texts.dim() == 2:
            texts = texts.unsqueeze(0).expand(batch, -1, -1)
        pixels = feats.flatten(2).transpose(1, 2)  # (B, HW, C)
        query = self.q_proj(texts)  # (B, M, C)
        key = self.k_proj(pixels)
        value = self.v_proj(pixels)
        logits = torch.einsum('bmc,bpc->bmp', query, key) / math.sqrt(channels)
        if pixel_mask is not None:
            logits = logits.masked_fill(
                pixel_mask.flatten(1).unsqueeze(1), float('-inf'))
        # float32 under bfloat16 autocast: the peaks of the maps are anchors
        attn = logits.float().softmax(-1)  # (B, M, HW)
        fused = self.out_proj(torch.einsum('bmp,bpc->bmc', attn, value))
        return fused, attn.reshape(batch, -1, height, width)

    def similarity(self, fused: Tensor, texts: Tensor) -> Tensor:
        """Scaled cosine similarity of features and word embeddings.

        Args:
            fused (Tensor): Text-conditioned features (..., C).
            texts (Tensor): Word embeddings (..., C), broadcastable against
                ``fused``.

        Returns:
            Tensor: ``exp(logit_scale) * cos(fused, texts)`` of the
            broadcast shape without the last dimension, in float32 (also
            under bfloat16 autocast, whose rounding the scale of up to 100
            would magnify).
        """
        scale = self.logit_scale.clamp(max=self.max_logit_scale).exp()
        return scale * F.cosine_similarity(
            fused.float(), texts.float(), dim=-1)

    def forward(self,
                feats: Tensor,
                texts: Tensor,
                pixel_mask: Optional[Tensor] = None) -> Tuple[Tensor, Tensor]:
        """Similarities and activation maps of words in images.

        Args:
            feats, texts, pixel_mask: As for :meth:`attend`.

        Returns:
            tuple(Tensor, Tensor): Similarities s(I, T) = scaled
            cos(F(I, T), T) of shape (B, M), and activation maps
            (B, M, H, W) that sum to 1 over each map.
        """
        fused, maps = self.attend(feats, texts, pixel_mask)
        if texts.dim() == 2:
            texts = texts.unsqueeze(0)
        return self.similarity(fused, texts), maps
