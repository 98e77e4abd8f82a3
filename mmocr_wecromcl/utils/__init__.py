# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .fileio import dump_json_atomic
from .pretrained import (PRETRAINED_CHECKPOINTS,
                         image_encoder_finetune_options, pretrained_checkpoint)
from .text import (IGNORED_WORD, MAX_WORD_LEN, build_dictionary,
                   is_case_insensitive, normalize_word, resource_path)

__all__ = [
    'IGNORED_WORD', 'MAX_WORD_LEN', 'PRETRAINED_CHECKPOINTS',
    'build_dictionary', 'dump_json_atomic', 'image_encoder_finetune_options',
    'is_case_insensitive', 'normalize_word', 'pretrained_checkpoint',
    'resource_path'
]
