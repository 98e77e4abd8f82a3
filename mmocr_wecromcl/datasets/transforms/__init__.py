# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .formatting import (LOCATION_KEYS, PackPointSpottingInputs,
                         PackTranscriptionInputs)
from .loading import (LoadPointAnnotations, LoadTranscriptionAnnotations,
                      point_to_square)
from .negative_sample_mining import NegativeSampleMining
from .normalize_transcriptions import NormalizeTranscriptions

__all__ = [
    'LOCATION_KEYS', 'PackPointSpottingInputs', 'PackTranscriptionInputs',
    'LoadPointAnnotations', 'LoadTranscriptionAnnotations', 'point_to_square',
    'NegativeSampleMining', 'NormalizeTranscriptions'
]
