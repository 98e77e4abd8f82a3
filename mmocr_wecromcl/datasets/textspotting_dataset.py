# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""MMOCR's OCRDataset with clear errors for missing or malformed files."""
import os.path as osp
from typing import List

import cv2
from mmocr.datasets import OCRDataset
from mmocr.registry import DATASETS

from mmocr_wecromcl.utils import read_annotation_file


def check_image_file(img_path: str, ann_file: str) -> None:
    """Stop if a local image file is missing or not an image.

    Only the file's signature is read (``cv2.haveImageReader``), not its
    pixels. Paths with a URI scheme (``s3://`` ...) are not checked.

    Args:
        img_path (str): The image file.
        ann_file (str): The annotation file that lists it (for the message).

    Raises:
        FileNotFoundError: If the file does not exist.
        ValueError: If no image decoder recognises it.
    """
    if '://' in img_path:
        return
    if not osp.isfile(img_path):
        raise FileNotFoundError(
            f'image {img_path} (listed in {ann_file}) does not exist')
    if not cv2.haveImageReader(img_path):
        raise ValueError(
            f'image {img_path} (listed in {ann_file}) is not a readable image')


@DATASETS.register_module()
class TextSpottingDataset(OCRDataset):
    """An :class:`OCRDataset` over a textspotting annotation file.

    It reads exactly what MMOCR's dataset preparer writes
    (``textspotting_{train,test}.json``) and the point pseudo labels of
    ``tools/generate_pseudo_labels.py``; the differences to ``OCRDataset``
    are checks that stop the run at start with a message that names the
    file: a missing, malformed or empty annotation file
    (:func:`read_annotation_file`) and, in test mode (every image is
    scored), a missing or unreadable image (:func:`check_image_file`). In
    training, unreadable or missing images are skipped later, with a warning
    naming them, by ``LoadImageFromFile(ignore_empty=True)`` in the
    pipeline.
    """

    def load_data_list(self) -> List[dict]:
        """Check the annotation file, then load it as ``OCRDataset`` does.

        Returns:
            list[dict]: The parsed data infos.
        """
        read_annotation_file(self.ann_file)
        data_list = super().load_data_list()
        if self.test_mode:
            for info in data_list:
                check_image_file(info['img_path'], self.ann_file)
        return data_list
