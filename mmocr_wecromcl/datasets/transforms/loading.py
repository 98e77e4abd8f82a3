# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Loading of single-point annotations for stage 2."""
import numpy as np
from mmcv.transforms import BaseTransform
from mmocr.registry import TRANSFORMS

from mmocr_wecromcl.utils import IGNORED_WORD

#: Half side, in pixels, of the square that carries a point through MMOCR's
#: geometric transforms (see ``PackPointSpottingInputs``).
POINT_HALF_SIDE = 1.0


def point_to_square(x: float, y: float,
                    half: float = POINT_HALF_SIDE) -> np.ndarray:
    """The 4-vertex square polygon (clockwise) centred at ``(x, y)``."""
    return np.array(
        [x - half, y - half, x + half, y - half, x + half, y + half, x - half,
         y + half],
        dtype=np.float32)


@TRANSFORMS.register_module()
class LoadPointAnnotations(BaseTransform):
    """Load one point and one text per word.

    Reads the instances of a textspotting annotation: the pseudo labels of
    ``tools/generate_pseudo_labels.py`` carry a ``point`` ``[x, y]``; an
    instance without one (MMOCR's GT annotations) uses the centre (vertex
    mean) of its ``polygon``, which is how GT-point training is configured.
    Each point is stored as a tiny square in ``gt_polygons`` so that MMOCR's
    geometric transforms (``Resize``, ``RandomFlip``, ``RandomRotate``...)
    move it; :class:`PackPointSpottingInputs` turns it back into a point.

    Required Keys: instances. Added Keys: gt_polygons, gt_texts, gt_ignored.
    """

    def transform(self, results: dict) -> dict:
        polygons, texts, ignored = [], [], []
        for instance in results['instances']:
            if 'point' in instance:
                x, y = instance['point']
            else:
                xy = np.reshape(instance['polygon'], (-1, 2))
                x, y = xy.mean(0)
            polygons.append(point_to_square(float(x), float(y)))
            text = instance.get('text', '')
            texts.append(text)
            ignored.append(
                bool(instance.get('ignore', False)) or text == IGNORED_WORD)
        results['gt_polygons'] = polygons
        results['gt_texts'] = texts
        results['gt_ignored'] = np.array(ignored, dtype=bool)
        return results
