# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .byte_pair_encoding import BytePairEncoding
from .character_text_encoder import CharacterTextEncoder
from .token_text_encoder import TokenTextEncoder

__all__ = ['BytePairEncoding', 'CharacterTextEncoder', 'TokenTextEncoder']
