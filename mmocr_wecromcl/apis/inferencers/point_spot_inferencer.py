# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Inference of a trained SRSTS-A on arbitrary images."""
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence

import mmcv
import numpy as np
import torch
from mmocr.apis.inferencers import TextSpotInferencer
from mmocr.structures import TextDetDataSample

from ..inference import check_checkpoint


class PointSpotInferencer(TextSpotInferencer):
    """Spot words in images with an SRSTS-A checkpoint, MMOCR style.

    Inputs are image paths, folders of images, BGR arrays or lists of
    these (MMOCR's ``BaseMMOCRInferencer``: batches, a progress bar, JSON
    predictions in ``OUT_DIR/preds``). Each prediction holds the words
    (``texts``), their anchor points (``points``, ``[x, y]`` in image
    pixels), ``scores`` and the anchor cells (``polygons``, ``bboxes``);
    drawings (MMOCR's ``TextSpottingLocalVisualizer``) are written as PNG
    to ``OUT_DIR/vis``.

    Args:
        model (str): The config file.
        weights (str): The checkpoint.
        device (str, optional): Device. Defaults to the available one.
        amp (bool): Predict in bfloat16 autocast. Defaults to False.
    """

    def __init__(self,
                 model: str,
                 weights: str,
                 device: Optional[str] = None,
                 amp: bool = False) -> None:
        check_checkpoint(weights)
        self.amp = amp
        super().__init__(model=model, weights=weights, device=device)

    @torch.no_grad()
    def forward(self, inputs: dict, **kwargs) -> List[TextDetDataSample]:
        """The model's predictions, in bfloat16 autocast with ``amp``."""
        device = next(self.model.parameters()).device.type
        with torch.autocast(device, dtype=torch.bfloat16, enabled=self.amp):
            return self.model.test_step(inputs)

    def visualize(self,
                  inputs: Sequence,
                  preds: Sequence[TextDetDataSample],
                  return_vis: bool = False,
                  show: bool = False,
                  wait_time: int = 0,
                  draw_pred: bool = True,
                  pred_score_thr: float = 0.3,
                  save_vis: bool = False,
                  img_out_dir: str = '') -> Optional[List[np.ndarray]]:
        """Draw the predictions with the config's visualizer; with
        ``save_vis``, write ``IMG_OUT_DIR/<image name>.png``.

        Returns:
            list[np.ndarray] or None: The drawings (RGB), if any was asked
            for.
        """
        if self.visualizer is None or not (show or save_vis or return_vis):
            return None
        drawings = []
        for single_input, pred in zip(inputs, preds):
            image = load_rgb(single_input)
            name = osp.splitext(osp.basename(pred.img_path))[0]
            out_file = None
            if save_vis and img_out_dir:
                os.makedirs(img_out_dir, exist_ok=True)
                out_file = osp.join(img_out_dir, f'{name}.png')
            drawings.append(
                self.visualizer.add_datasample(
                    name,
                    image,
                    pred,
                    show=show,
                    wait_time=wait_time,
                    draw_gt=False,
                    draw_pred=draw_pred,
                    pred_score_thr=pred_score_thr,
                    out_file=out_file))
        return drawings

    def pred2dict(self, data_sample: TextDetDataSample) -> Dict:
        """Words, points, scores and anchor cells, JSON-serialisable."""
        result = super().pred2dict(data_sample)
        result['points'] = self._array2list(data_sample.pred_instances.points)
        return result


def load_rgb(single_input) -> np.ndarray:
    """An inferencer input (path, BGR array or dict with ``img`` or
    ``img_path``) as an RGB array."""
    if isinstance(single_input, dict):
        single_input = single_input.get('img', single_input.get('img_path'))
    if isinstance(single_input, str):
        return mmcv.imread(single_input, channel_order='rgb')
    return np.ascontiguousarray(single_input[:, :, ::-1])
