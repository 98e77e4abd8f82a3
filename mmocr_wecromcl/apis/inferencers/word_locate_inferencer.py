# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Inference of a trained WeCromCL: where is the word W in this image?"""
import os
import os.path as osp
from typing import Callable, Dict, List, Optional, Sequence, Union

import cv2
import numpy as np
from mmcv.transforms import Compose
from mmengine.config import ConfigDict
from mmocr.structures import TextDetDataSample

from mmocr_wecromcl.visualization import activation_grid
from .point_spot_inferencer import PointSpotInferencer, load_rgb

Words = Union[Sequence[str], Sequence[Sequence[str]]]


class WordLocateInferencer(PointSpotInferencer):
    """Find given words in images with a WeCromCL checkpoint, MMOCR style.

    Each image is queried with its words (one list for every image, or one
    list per image); the answer is each word's anchor point(s) (``points``,
    ``[x, y]`` in image pixels, with ``scores``) and its activation map
    (``activation_maps``, at the model's feature stride, with
    ``return_datasamples``). Drawings are the image beside one activation
    map per word (PNG in ``OUT_DIR/vis``).

    Args:
        model (str): The config file.
        weights (str): The checkpoint.
        device (str, optional): Device. Defaults to the available one.
        amp (bool): Predict in bfloat16 autocast. Defaults to False.
    """

    def _init_pipeline(self, cfg: ConfigDict) -> Callable[[dict], dict]:
        """The test pipeline loading an input and its queried words (texts
        only, no evaluation GT); the model is asked for its activation
        maps."""
        self.model.test_cfg['with_maps'] = True
        steps = []
        for step in cfg.test_dataloader.dataset.pipeline:
            if step['type'] in ('LoadImageFromFile', 'LoadImageFromNDArray'):
                step = dict(type='InferencerLoader')
            elif step['type'] == 'LoadOCRAnnotations':
                step = dict(type='LoadTranscriptionAnnotations')
            elif 'with_eval_gt' in step:
                step = dict(step, with_eval_gt=False)
            steps.append(step)
        pipeline = Compose(steps)
        # on a copy: the caller's dict keeps the original image
        return lambda query: pipeline(dict(query))

    def __call__(self, inputs, words: Words, **kwargs) -> dict:
        """Locate ``words`` in ``inputs``.

        Args:
            inputs: Image paths, a folder, BGR arrays or a list of these.
            words (Sequence[str] or Sequence[Sequence[str]]): The words to
                find in every image, or one list of words per image.
            **kwargs: The options of MMOCR's ``BaseMMOCRInferencer``
                (``batch_size``, ``out_dir``, ``save_vis``, ``save_pred``,
                ``return_datasamples``, ...).

        Returns:
            dict: ``predictions`` (``texts``, ``points``, ``scores`` per
            image) and ``visualization``.
        """
        images = self._inputs_to_list(inputs)
        if not words:
            raise ValueError('no word to locate: pass at least one')
        per_image = [list(words)] * len(images) if isinstance(
            words[0], str) else [list(w) for w in words]
        if len(per_image) != len(images):
            raise ValueError(f'{len(per_image)} word lists for '
                             f'{len(images)} images')
        queries = []
        for image, image_words in zip(images, per_image):
            query = dict(img=image) if isinstance(image, np.ndarray) else \
                dict(img_path=image)
            query['instances'] = [dict(text=w) for w in image_words]
            queries.append(query)
        return super().__call__(queries, **kwargs)

    def preprocess(self, inputs: List[dict], batch_size: int = 1, **kwargs):
        """Batches of ``(queries, collated model inputs)``; the queries
        (whose word lists differ in length) are not collated."""
        for chunk in self._get_chunk_data(inputs, batch_size):
            yield ([query for query, _ in chunk],
                   self.collate_fn([packed for _, packed in chunk]))

    def _inputs_to_list(self, inputs) -> list:
        if isinstance(inputs, (list, tuple)) and inputs and isinstance(
                inputs[0], dict):
            return list(inputs)
        return super()._inputs_to_list(inputs)

    def visualize(self,
                  inputs: Sequence,
                  preds: Sequence[TextDetDataSample],
                  return_vis: bool = False,
                  show: bool = False,
                  save_vis: bool = False,
                  img_out_dir: str = '',
                  **kwargs) -> Optional[List[np.ndarray]]:
        """The image beside each word's activation map and anchor points;
        with ``save_vis``, written to ``IMG_OUT_DIR/<image name>.png``.

        Returns:
            list[np.ndarray] or None: The drawings (RGB), if any was asked
            for.
        """
        if not (show or save_vis or return_vis):
            return None
        drawings = []
        for single_input, pred in zip(inputs, preds):
            bgr = np.ascontiguousarray(load_rgb(single_input)[:, :, ::-1])
            grid = activation_grid(
                bgr, pred, max_words=len(pred.activation_texts))
            if save_vis and img_out_dir:
                os.makedirs(img_out_dir, exist_ok=True)
                name = osp.splitext(osp.basename(pred.img_path))[0]
                cv2.imwrite(osp.join(img_out_dir, f'{name}.png'), grid)
            drawings.append(grid[:, :, ::-1])
        return drawings

    def pred2dict(self, data_sample: TextDetDataSample) -> Dict:
        """Each found word with its anchor point and score."""
        pred = data_sample.pred_instances
        return dict(
            texts=list(pred.texts),
            points=self._array2list(pred.points),
            scores=self._array2list(pred.scores))
