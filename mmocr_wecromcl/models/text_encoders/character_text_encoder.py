# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""WeCromCL's character-wise text encoder."""
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from mmocr.models.common.dictionary import Dictionary
from mmocr.registry import MODELS
from torch import Tensor

from mmocr_wecromcl.utils import MAX_WORD_LEN, build_dictionary, normalize_word


@MODELS.register_module()
class CharacterTextEncoder(BaseModule):
    """Embed each transcription from its characters, one token per character.

    Characters are looked up in an MMOCR :class:`Dictionary` (token 0 is
    padding, character ``i`` of the dictionary is token ``i + 1``), get a
    learned positional embedding (``max_seq_len`` positions), go through a
    transformer encoder (no causal mask), a final LayerNorm and a linear
    projection; the word embedding is the mean over positions.

    Args:
        dictionary (dict or Dictionary): The alphabet (shared with the data
            pipeline through :func:`mmocr_wecromcl.utils.normalize_word`).
        width (int): Transformer width (paper: 512).
        num_layers (int): Transformer layers (paper: 12).
        num_heads (int): Attention heads (paper: 8).
        ffn_ratio (int): FFN width over ``width``. Defaults to 4.
        embed_dims (int): Output (joint embedding) width (paper: 512).
        max_seq_len (int): Maximum characters; longer words are truncated.
        pool_padding (bool): Average over all ``max_seq_len`` positions,
            padding included, as the authors' code does (True), or over the
            real characters only (False).
        dropout (float): Dropout in the transformer. Defaults to 0.
        mask_token (bool): Learn a [MASK] character embedding, for
            :meth:`encode_tokens` with ``masked`` positions (the masked
            character grounding of :class:`MaskedCharacterHead`). Defaults
            to False.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 dictionary: Union[Dict, Dictionary],
                 width: int = 512,
                 num_layers: int = 12,
                 num_heads: int = 8,
                 ffn_ratio: int = 4,
                 embed_dims: int = 512,
                 max_seq_len: int = MAX_WORD_LEN,
                 pool_padding: bool = False,
                 dropout: float = 0.0,
                 mask_token: bool = False,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.dictionary = build_dictionary(dictionary)
        self.max_seq_len = max_seq_len
        self.pool_padding = pool_padding
        self.embed_dims = embed_dims
        self.char_embed = nn.Embedding(
            self.dictionary.num_classes + 1, width, padding_idx=0)
        self.pos_embed = nn.Parameter(torch.zeros(max_seq_len, width))
        self.mask_embed = nn.Parameter(
            torch.zeros(width)) if mask_token else None
        layer = nn.TransformerEncoderLayer(
            width,
            num_heads,
            width * ffn_ratio,
            dropout=dropout,
            activation='gelu',
            batch_first=True,
            norm_first=True)
        self.transformer = nn.TransformerEncoder(
            layer, num_layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(width)
        self.proj = nn.Linear(width, embed_dims)

    def init_weights(self) -> None:
        super().init_weights()
        nn.init.normal_(self.char_embed.weight, std=0.02)
        nn.init.normal_(self.pos_embed, std=0.01)
        if self.mask_embed is not None:
            nn.init.normal_(self.mask_embed, std=0.02)

    def word_tokens(self, word: str) -> List[int]:
        """The tokens of a normalised word: one per character, the index of
        the character in the dictionary + 1.

        Args:
            word (str): A normalised, non-empty word.

        Returns:
            list[int]: Its tokens.
        """
        return [i + 1 for i in self.dictionary.str2idx(word)]

    def tokenize(self, texts: Sequence[str]) -> Tuple[Tensor, Tensor]:
        """Tokens of normalised words (:meth:`word_tokens`).

        Args:
            texts (Sequence[str]): N words.

        Returns:
            tuple(Tensor, Tensor): Tokens (N, T), long, 0 = padding; and the
            padding mask (N, T), True at padding. T is ``max_seq_len`` with
            ``pool_padding``, else the most tokens of a word: positions
            that are padding in every word would change nothing but the
            cost.

        Raises:
            ValueError: if a word has no character of the dictionary.
        """
        ids = []
        for text in texts:
            word = normalize_word(text, self.dictionary, self.max_seq_len)
            if not word:
                raise ValueError(f'transcription {text!r} has no character '
                                 'of the dictionary; filter such words in '
                                 'the pipeline (NormalizeTranscriptions)')
            ids.append(self.word_tokens(word))
        length = self.max_seq_len if self.pool_padding else max(
            map(len, ids), default=0)
        tokens = torch.zeros((len(texts), length), dtype=torch.long)
        for i, word_ids in enumerate(ids):
            tokens[i, :len(word_ids)] = torch.as_tensor(word_ids)
        device = self.pos_embed.device
        return tokens.to(device), tokens.to(device) == 0

    def encode_tokens(self,
                      texts: Sequence[str],
                      masked: Optional[Tensor] = None
                      ) -> Tuple[Tensor, Tensor]:
        """Contextual embedding of every character position.

        Args:
            texts (Sequence[str]): N words.
            masked (Tensor, optional): (N,) long, one position per word
                whose character is replaced by the [MASK] embedding (needs
                ``mask_token``). Defaults to None (nothing masked).

        Returns:
            tuple(Tensor, Tensor): Embeddings (N, T, embed_dims) and the
            padding mask (N, T), True at padding (T as for
            :meth:`tokenize`).
        """
        tokens, pad_mask = self.tokenize(texts)
        x = self.char_embed(tokens)
        if masked is not None:
            if self.mask_embed is None:
                raise ValueError('masking needs CharacterTextEncoder('
                                 'mask_token=True)')
            rows = torch.arange(len(texts), device=x.device)
            x = x.index_put((rows, masked.to(x.device)),
                            self.mask_embed.expand(len(texts), -1))
        x = self.transformer(
            x + self.pos_embed[:tokens.shape[1]],
            src_key_padding_mask=pad_mask)
        return self.proj(self.norm(x)), pad_mask

    def forward(self, texts: Sequence[str]) -> Tensor:
        """
        Args:
            texts (Sequence[str]): N words.

        Returns:
            Tensor: Word embeddings of shape (N, embed_dims).
        """
        x, pad_mask = self.encode_tokens(texts)
        if self.pool_padding:
            return x.mean(1)
        keep = (~pad_mask).unsqueeze(-1).float()
        return (x * keep).sum(1) / keep.sum(1)

    def encode_unique(self, texts: List[str]) -> Tuple[Tensor, List[int]]:
        """Embed a list with repeats once per distinct normalised word.

        Args:
            texts (list[str]): N words.

        Returns:
            tuple(Tensor, list[int]): Embeddings of the U distinct words
            (U, embed_dims) and, for each input word, its row.
        """
        keys = [
            normalize_word(t, self.dictionary, self.max_seq_len) for t in texts
        ]
        index = {k: i for i, k in enumerate(dict.fromkeys(keys))}
        return self.forward(list(index)), [index[k] for k in keys]
