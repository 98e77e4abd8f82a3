# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .character_text_encoder import CharacterTextEncoder

__all__ = ['CharacterTextEncoder']
