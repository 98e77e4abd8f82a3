# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .collate import choose_unique_positives, transcription_collate
from .textspotting_dataset import TextSpottingDataset
from .transcription_annotations import (TRANSCRIPTION_KEYS, location_keys,
                                        write_transcription_annotations)
from .transforms import *  # noqa: F401,F403

__all__ = [
    'choose_unique_positives', 'transcription_collate', 'TextSpottingDataset',
    'TRANSCRIPTION_KEYS', 'location_keys', 'write_transcription_annotations'
]
