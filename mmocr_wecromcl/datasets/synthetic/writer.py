# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Write a synthetic dataset in the layout of MMOCR's dataset preparer.

``<out_dir>/textspotting_{train,test}.json`` with images under
``<out_dir>/textspotting_imgs/{train,test}/NNNNNN.jpg``, exactly as MMOCR
1.0.1's ``TextSpottingPacker`` writes them, so ``OCRDataset(data_root=
out_dir, ann_file='textspotting_train.json')`` loads them unchanged. A
validation split carved from the training images (the ones after the last
training image, saved beside them) goes to ``textspotting_val.json``. The
generator's arguments go to ``generator_config.json`` next to them.
"""
import multiprocessing
import os
import os.path as osp
import shutil
from typing import Dict, Optional, Tuple

import cv2
from tqdm import tqdm

from mmocr_wecromcl.utils import dump_json_atomic
from .generator import SyntheticTextGenerator

SPLITS = ('train', 'val', 'test')
IMG_DIR = 'textspotting_imgs'
CONFIG_FILE = 'generator_config.json'
# Test image i is ``generator.generate(TEST_INDEX_OFFSET + i)``: the test
# split neither depends on the number of training images nor shares one.
TEST_INDEX_OFFSET = 10_000_000
METAINFO = dict(
    dataset_type='TextSpottingDataset',
    task_name='textspotting',
    category=[dict(id=0, name='text')])


def ann_file_name(split: str) -> str:
    """Annotation file of a split, e.g. ``'textspotting_train.json'``."""
    return f'textspotting_{split}.json'


class _ImageWriter:
    """Draws one image, saves it and returns its MMOCR data info."""

    def __init__(self, generator: SyntheticTextGenerator, out_dir: str,
                 jpeg_quality: int) -> None:
        self.generator = generator
        self.out_dir = out_dir
        self.jpeg_quality = jpeg_quality

    def __call__(self, task: Tuple[str, int]) -> Tuple[str, dict]:
        split, i = task
        folder = 'test' if split == 'test' else 'train'
        offset = TEST_INDEX_OFFSET if split == 'test' else 0
        image, instances = self.generator.generate(offset + i)
        img_path = f'{IMG_DIR}/{folder}/{i:06d}.jpg'
        params = [cv2.IMWRITE_JPEG_QUALITY, self.jpeg_quality]
        if not cv2.imwrite(osp.join(self.out_dir, img_path), image, params):
            raise OSError(f'Could not write {img_path} in {self.out_dir}')
        height, width = image.shape[:2]
        return split, dict(
            img_path=img_path, height=height, width=width, instances=instances)


_WORKER: Optional[_ImageWriter] = None


def _init_worker(writer: _ImageWriter) -> None:
    global _WORKER
    _WORKER = writer
    cv2.setNumThreads(1)


def _run_worker(task: Tuple[str, int]) -> Tuple[str, dict]:
    return _WORKER(task)


def _prepare_out_dir(out_dir: str, overwrite: bool) -> None:
    """Refuse a non-empty directory unless ``overwrite``; then remove the
    files this writer owns and create the image folders."""
    if osp.isdir(out_dir) and os.listdir(out_dir):
        if not overwrite:
            raise FileExistsError(
                f'Output directory {out_dir} is not empty; choose another '
                'one or overwrite it (overwrite=True, --overwrite)')
        shutil.rmtree(osp.join(out_dir, IMG_DIR), ignore_errors=True)
        for name in [ann_file_name(split) for split in SPLITS] + [CONFIG_FILE]:
            if osp.exists(osp.join(out_dir, name)):
                os.remove(osp.join(out_dir, name))
    for folder in ('train', 'test'):
        os.makedirs(osp.join(out_dir, IMG_DIR, folder), exist_ok=True)


def write_synthetic_dataset(generator: SyntheticTextGenerator,
                            out_dir: str,
                            num_train: int,
                            num_test: int,
                            num_val: int = 0,
                            workers: int = 1,
                            overwrite: bool = False,
                            jpeg_quality: int = 95,
                            progress: bool = True) -> Dict[str, str]:
    """Generate and save a train and a test split.

    Train image ``i`` is ``generator.generate(i)``; validation images
    continue that sequence (``num_train`` to ``num_train + num_val - 1``);
    test image ``i`` is ``generator.generate(TEST_INDEX_OFFSET + i)``.

    Args:
        generator (SyntheticTextGenerator): The image source.
        out_dir (str): The dataset root, created if missing.
        num_train (int): Number of training images.
        num_test (int): Number of test images.
        num_val (int): Number of validation images carved from the
            training sequence; ``textspotting_val.json`` is written only
            when it is positive. Defaults to 0.
        workers (int): Processes drawing images (1: this process only).
        overwrite (bool): Allow a non-empty ``out_dir``; its annotation
            files, config and ``textspotting_imgs`` are replaced, other
            files are kept.
        jpeg_quality (int): Quality of the saved JPEG files.
        progress (bool): Show a tqdm progress bar.

    Returns:
        dict[str, str]: Path of the annotation file of each split.

    Raises:
        FileExistsError: If ``out_dir`` is not empty and not
            ``overwrite``.
    """
    _prepare_out_dir(out_dir, overwrite)
    tasks = [('train', i) for i in range(num_train)]
    tasks += [('val', i) for i in range(num_train, num_train + num_val)]
    tasks += [('test', i) for i in range(num_test)]
    writer = _ImageWriter(generator, out_dir, jpeg_quality)
    data_lists: Dict[str, list] = {split: [] for split in SPLITS}
    with tqdm(
            total=len(tasks), unit='img', desc='synthetic',
            disable=not progress) as bar:
        if workers > 1:
            # spawned, not forked: a fork copies the parent's thread pools
            # (OpenCV's, OpenMP's) in whatever state they are, and a child
            # that touches them can hang
            context = multiprocessing.get_context('spawn')
            with context.Pool(workers, _init_worker, (writer, )) as pool:
                # imap keeps the task order.
                results = pool.imap(_run_worker, tasks, chunksize=4)
                for split, data_info in results:
                    data_lists[split].append(data_info)
                    bar.update()
        else:
            for task in tasks:
                split, data_info = writer(task)
                data_lists[split].append(data_info)
                bar.update()
    ann_files = {}
    for split in SPLITS:
        if split == 'val' and not num_val:
            continue
        ann_files[split] = osp.join(out_dir, ann_file_name(split))
        dump_json_atomic(
            dict(metainfo=METAINFO, data_list=data_lists[split]),
            ann_files[split])
    dump_json_atomic(
        dict(
            num_train=num_train,
            num_val=num_val,
            num_test=num_test,
            test_index_offset=TEST_INDEX_OFFSET,
            generator=generator.to_dict()), osp.join(out_dir, CONFIG_FILE))
    return ann_files
