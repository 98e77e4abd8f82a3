# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .geometry import GT_CENTER_MODES, point_in_polygon, polygon_center
from .hmean import (best_of_sweep, precision_recall_hmean, score_thresholds,
                    sweep_hmean)
from .lexicon import Lexicon, read_lexicon_file, read_pair_file
from .matching import match_inside, match_nearest
from .text import (SPECIAL_CHARACTERS, match_key, strip_special_chars,
                   word_spotting_text)

__all__ = [
    'GT_CENTER_MODES', 'point_in_polygon', 'polygon_center', 'best_of_sweep',
    'precision_recall_hmean', 'score_thresholds', 'sweep_hmean', 'Lexicon',
    'read_lexicon_file', 'read_pair_file', 'match_inside', 'match_nearest',
    'SPECIAL_CHARACTERS', 'match_key', 'strip_special_chars',
    'word_spotting_text'
]
