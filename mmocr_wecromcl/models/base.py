# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""What both stages' models share: the image encoder and mode dispatch."""
from typing import Dict, Optional, Sequence, Union

from mmengine.model import BaseModel
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample
from torch import Tensor

SampleList = Sequence[TextDetDataSample]


class ImageEncoderModel(BaseModel):
    """An mmengine model around the shared :class:`WeCromCLImageEncoder`.

    Subclasses implement ``loss``, ``predict`` and ``_forward`` (the
    ``'tensor'`` mode).

    Args:
        image_encoder (dict): Config of the image encoder:
            ``forward(inputs, valid_shapes=None)`` returns a (B, C, H/s, W/s)
            map; it has the attributes ``out_channels`` (C) and ``stride``
            (s).
        data_preprocessor (dict or nn.Module, optional): E.g. MMOCR's
            ``TextDetDataPreprocessor``; a dict is built from MMOCR's
            registry, so no default scope is needed.
        init_cfg (dict or list[dict], optional): Initialisation config.
    """

    def __init__(self,
                 image_encoder: Dict,
                 data_preprocessor: Optional[Dict] = None,
                 init_cfg: Optional[Dict] = None) -> None:
        if isinstance(data_preprocessor, dict):
            data_preprocessor = MODELS.build(data_preprocessor)
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.image_encoder = MODELS.build(image_encoder)

    def encode(self,
               inputs: Tensor,
               data_samples: Optional[SampleList] = None) -> Tensor:
        """Encode images, masking batch padding when samples are given.

        Args:
            inputs (Tensor): Images (B, 3, H, W).
            data_samples (Sequence[TextDetDataSample], optional): With
                ``img_shape``, the unpadded size of each image.

        Returns:
            Tensor: Features (B, C, H/s, W/s).
        """
        shapes = None if data_samples is None else [
            s.metainfo['img_shape'][:2] for s in data_samples
        ]
        return self.image_encoder(inputs, valid_shapes=shapes)

    def forward(self,
                inputs: Tensor,
                data_samples: Optional[SampleList] = None,
                mode: str = 'tensor') -> Union[Dict, SampleList, object]:
        """Dispatch to ``loss``, ``predict`` or ``_forward`` (``'tensor'``).

        Args:
            inputs (Tensor): Images (B, 3, H, W).
            data_samples (Sequence[TextDetDataSample], optional): Required
                by ``'loss'`` and ``'predict'``.
            mode (str): ``'loss'``, ``'predict'`` or ``'tensor'``.

        Returns:
            dict, list or tensors: Losses, samples with predictions, or the
            subclass's raw outputs.
        """
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            return self._forward(inputs, data_samples)
        raise RuntimeError(f'Invalid mode "{mode}": expected "loss", '
                           '"predict" or "tensor"')
