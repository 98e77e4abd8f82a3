# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .fileio import dump_json_atomic, read_annotation_file
from .geometry import center_line_point, polyline_point
from .pretrained import (PRETRAINED_CHECKPOINTS,
                         image_encoder_finetune_options, pretrained_checkpoint)
from .text import (IGNORED_WORD, MAX_WORD_LEN, build_dictionary,
                   is_case_insensitive, is_ignored_instance, is_ignored_word,
                   normalize_word, resource_path)

__all__ = [
    'IGNORED_WORD', 'MAX_WORD_LEN', 'PRETRAINED_CHECKPOINTS',
    'build_dictionary', 'center_line_point', 'dump_json_atomic',
    'image_encoder_finetune_options', 'is_case_insensitive',
    'is_ignored_instance', 'is_ignored_word', 'normalize_word',
    'polyline_point', 'pretrained_checkpoint', 'read_annotation_file',
    'resource_path'
]
