# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""MMOCR's OCRDataset with clear errors for missing or malformed files."""
import json
import os.path as osp
from typing import List

from mmocr.datasets import OCRDataset
from mmocr.registry import DATASETS

PREPARE_HINT = (
    'Create it with MMOCR\'s dataset preparer (python tools/dataset_converters/'
    'prepare_dataset.py <dataset> --task textspotting, from an MMOCR '
    'checkout) or with python tools/make_synthetic_dataset.py.')


@DATASETS.register_module()
class TextSpottingDataset(OCRDataset):
    """An :class:`OCRDataset` over a textspotting annotation file.

    It reads exactly what MMOCR's dataset preparer writes
    (``textspotting_{train,test}.json``) and the point pseudo labels of
    ``tools/generate_pseudo_labels.py``; the only difference to
    ``OCRDataset`` is that a missing or malformed annotation file stops the
    run at start with a message that names the file. Unreadable or missing
    images are skipped later, with a warning naming them, by
    ``LoadImageFromFile(ignore_empty=True)`` in the pipeline.
    """

    def load_data_list(self) -> List[dict]:
        """Check the annotation file, then load it as ``OCRDataset`` does.

        Returns:
            list[dict]: The parsed data infos.
        """
        if not osp.isfile(self.ann_file):
            raise FileNotFoundError(
                f'annotation file {self.ann_file} does not exist. '
                f'{PREPARE_HINT}')
        try:
            with open(self.ann_file) as f:
                annotations = json.load(f)
        except (ValueError, UnicodeDecodeError) as e:
            raise ValueError(f'annotation file {self.ann_file} is not valid '
                             f'JSON ({e}). {PREPARE_HINT}') from e
        if not isinstance(annotations, dict) or not isinstance(
                annotations.get('data_list'), list) or not isinstance(
                    annotations.get('metainfo'), dict):
            raise ValueError(
                f'annotation file {self.ann_file} is not in MMOCR\'s format: '
                'expected a dict with "metainfo" (dict) and "data_list" '
                f'(list). {PREPARE_HINT}')
        for i, info in enumerate(annotations['data_list']):
            if 'img_path' not in info or not isinstance(
                    info.get('instances', []), list):
                raise ValueError(
                    f'annotation file {self.ann_file}: entry {i} has no '
                    '"img_path" or its "instances" is not a list.')
        return super().load_data_list()
