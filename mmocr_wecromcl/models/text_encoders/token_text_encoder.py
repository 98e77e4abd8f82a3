# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""A token-wise (sub-word) text encoder: the paper's ablation of the
character-wise one."""
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch.nn as nn
from mmocr.models.common.dictionary import Dictionary
from mmocr.registry import MODELS
from torch import Tensor

from mmocr_wecromcl.utils import MAX_WORD_LEN, normalize_word, resource_path
from .byte_pair_encoding import BytePairEncoding
from .character_text_encoder import CharacterTextEncoder


@MODELS.register_module()
class TokenTextEncoder(CharacterTextEncoder):
    """Embed each transcription from sub-word tokens, as CLIP's text encoder
    does, instead of one token per character.

    The tokens are the dictionary's characters and the units of a
    :class:`BytePairEncoding` learned, when the encoder is built, from
    ``word_file`` (each word normalised with the dictionary). Everything
    after the token lookup (positions, transformer, pooling, projection) is
    :class:`CharacterTextEncoder`'s, with the same widths.

    Args:
        dictionary (dict or Dictionary): The alphabet.
        word_file (str): The words the encoding is learned from, one per
            line. Defaults to the shipped English vocabulary, from which
            the synthetic images and the mined negatives draw their words.
        num_merges (int): The number of merges (sub-word units beyond the
            single characters). Defaults to 1000.
        max_seq_len (int): Maximum characters of a word (and so of tokens).
        **kwargs: The other arguments of :class:`CharacterTextEncoder`
            (not ``mask_token``: masking is per character).
    """

    def __init__(self,
                 dictionary: Union[Dict, Dictionary],
                 word_file: str = resource_path('english_words.txt'),
                 num_merges: int = 1000,
                 max_seq_len: int = MAX_WORD_LEN,
                 **kwargs) -> None:
        if kwargs.get('mask_token'):
            raise ValueError('TokenTextEncoder has no mask token: the '
                             'masked-character loss masks characters')
        super().__init__(dictionary, max_seq_len=max_seq_len, **kwargs)
        with open(word_file, encoding='utf-8') as f:
            words = [
                normalize_word(line.strip(), self.dictionary, max_seq_len)
                for line in f
            ]
        self.bpe = BytePairEncoding.learn(words, num_merges)
        #: token of each merged unit, after the characters' tokens
        self.unit_tokens = {
            unit: self.dictionary.num_classes + 1 + i
            for i, unit in enumerate(dict.fromkeys(self.bpe.units))
        }
        self.char_embed = nn.Embedding(
            self.dictionary.num_classes + 1 + len(self.unit_tokens),
            self.char_embed.embedding_dim,
            padding_idx=0)

    def word_tokens(self, word: str) -> List[int]:
        """The tokens of a normalised word: its byte-pair units, a merged
        unit by its own token, a single character as
        :class:`CharacterTextEncoder` tokenises it.

        Args:
            word (str): A normalised, non-empty word.

        Returns:
            list[int]: Its tokens.
        """
        return [
            self.unit_tokens[unit]
            if len(unit) > 1 else self.dictionary.char2idx(unit) + 1
            for unit in self.bpe.encode(word)
        ]

    def encode_tokens(self,
                      texts: Sequence[str],
                      masked: Optional[Tensor] = None
                      ) -> Tuple[Tensor, Tensor]:
        """Contextual embedding of every token (see
        :meth:`CharacterTextEncoder.encode_tokens`); ``masked`` is not
        supported."""
        if masked is not None:
            raise ValueError('TokenTextEncoder cannot mask characters')
        return super().encode_tokens(texts)
