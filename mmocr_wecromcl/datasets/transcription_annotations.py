# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""The transcription-only view of a textspotting annotation file.

Transcription-only supervision means that the model sees each image's
words and nothing about where they are. This module writes that view of a
split, so that a training or labelling step cannot read a location even by
mistake: each instance keeps only its ``text`` and its ``ignore`` flag (the
latter says whether the word is legible, as ``###`` does in ICDAR data).
"""
from typing import Set

from mmocr_wecromcl.utils import dump_json_atomic, read_annotation_file

#: The only instance keys of a transcription-only annotation file.
TRANSCRIPTION_KEYS = ('text', 'ignore')


def write_transcription_annotations(ann_file: str, out_file: str) -> str:
    """Write ``ann_file`` without any location of its words.

    Args:
        ann_file (str): A textspotting annotation file (MMOCR's format).
        out_file (str): Where to write the transcription-only copy
            (atomically); the entries keep their image fields and order.

    Returns:
        str: ``out_file``.
    """
    annotations = read_annotation_file(ann_file)
    for entry in annotations['data_list']:
        entry['instances'] = [{
            key: instance[key]
            for key in TRANSCRIPTION_KEYS if key in instance
        } for instance in entry.get('instances', [])]
    dump_json_atomic(annotations, out_file)
    return out_file


def location_keys(ann_file: str) -> Set[str]:
    """The instance keys of ``ann_file`` that a transcription lacks.

    Args:
        ann_file (str): A textspotting annotation file.

    Returns:
        set[str]: Every instance key outside :data:`TRANSCRIPTION_KEYS`
        (e.g. ``{'polygon', 'bbox', 'bbox_label'}`` for MMOCR's GT, empty
        for a transcription-only file).
    """
    annotations = read_annotation_file(ann_file)
    return {
        key
        for entry in annotations['data_list']
        for instance in entry.get('instances', [])
        for key in instance if key not in TRANSCRIPTION_KEYS
    }
