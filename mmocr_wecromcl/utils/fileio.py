# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Annotation files: read with clear errors, written atomically."""
import json
import os
import os.path as osp
import tempfile

PREPARE_HINT = ('Create it with MMOCR\'s dataset preparer (python '
                'tools/dataset_converters/prepare_dataset.py <dataset> --task '
                'textspotting, from an MMOCR '
                'checkout) or with python tools/make_synthetic_dataset.py.')


def dump_json_atomic(obj: object, path: str, **kwargs) -> None:
    """Write JSON to a temporary file next to ``path``, then rename it.

    Args:
        obj (object): A JSON-serialisable object.
        path (str): The destination; readers never see it half written,
            and it is on disk when this returns. Its folder is created if
            needed.
        **kwargs: More arguments of :func:`json.dump` (e.g. ``indent``).
    """
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp_path = tempfile.mkstemp(dir=folder, suffix='.tmp')
    try:
        with os.fdopen(fd, 'w') as f:
            json.dump(obj, f, **kwargs)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp_path, path)
    except BaseException:
        os.remove(tmp_path)
        raise


def read_annotation_file(ann_file: str) -> dict:
    """Read a textspotting annotation file, stopping at any fault in it.

    Args:
        ann_file (str): The file (MMOCR's textspotting format).

    Returns:
        dict: Its content, ``metainfo`` (dict) and a non-empty
        ``data_list`` whose entries have an ``img_path``.

    Raises:
        FileNotFoundError: If the file does not exist.
        ValueError: If it is not JSON, not in MMOCR's format, has an entry
            without ``img_path`` (or whose ``instances`` is not a list), or
            has no image. Each message names the file.
    """
    if not osp.isfile(ann_file):
        raise FileNotFoundError(
            f'annotation file {ann_file} does not exist. {PREPARE_HINT}')
    try:
        with open(ann_file) as f:
            annotations = json.load(f)
    except (ValueError, UnicodeDecodeError) as e:
        raise ValueError(f'annotation file {ann_file} is not valid JSON '
                         f'({e}). {PREPARE_HINT}') from e
    if not isinstance(annotations, dict) or not isinstance(
            annotations.get('data_list'), list) or not isinstance(
                annotations.get('metainfo'), dict):
        raise ValueError(
            f'annotation file {ann_file} is not in MMOCR\'s format: '
            'expected a dict with "metainfo" (dict) and "data_list" '
            f'(list). {PREPARE_HINT}')
    for i, info in enumerate(annotations['data_list']):
        if not isinstance(info, dict) or 'img_path' not in info or \
                not isinstance(info.get('instances', []), list):
            raise ValueError(f'annotation file {ann_file}: entry {i} has no '
                             '"img_path" or its "instances" is not a list.')
    if not annotations['data_list']:
        raise ValueError(f'annotation file {ann_file} has no image (its '
                         '"data_list" is empty).')
    return annotations
