# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Loading of transcriptions (stage 1) and single-point annotations
(stage 2)."""
from typing import Optional, Tuple

import numpy as np
from mmcv.transforms import BaseTransform
from mmocr.registry import TRANSFORMS

from mmocr_wecromcl.utils import center_line_point, is_ignored_instance

#: Half side, in pixels, of the square that carries a point through MMOCR's
#: geometric transforms (see ``PackPointSpottingInputs``).
POINT_HALF_SIDE = 1.0


def point_to_square(x: float,
                    y: float,
                    half: float = POINT_HALF_SIDE) -> np.ndarray:
    """The 4-vertex square polygon (clockwise) centred at ``(x, y)``."""
    return np.array([
        x - half, y - half, x + half, y - half, x + half, y + half, x - half,
        y + half
    ],
                    dtype=np.float32)


@TRANSFORMS.register_module()
class LoadTranscriptionAnnotations(BaseTransform):
    """Load each word's transcription and ignore flag, and no location.

    Stage 1 sees the transcriptions only. A word is ignored when it is
    flagged ``ignore`` or transcribed ``'###'``
    (:func:`~mmocr_wecromcl.utils.is_ignored_instance`), as in the labelling
    tools and the metrics; ignored words stay in place, so that
    ``gt_texts[i]`` is the text of ``instances[i]``.

    Required Keys: instances.
    Added Keys: gt_texts (list[str]), gt_ignored (np.ndarray (N, ) bool).
    """

    def transform(self, results: dict) -> dict:
        instances = results['instances']
        results['gt_texts'] = [i.get('text', '') for i in instances]
        results['gt_ignored'] = np.array(
            [is_ignored_instance(i) for i in instances], dtype=bool)
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}()'


@TRANSFORMS.register_module()
class LoadPointAnnotations(BaseTransform):
    """Load one point and one text per word.

    Reads the instances of a textspotting annotation: the pseudo labels of
    ``tools/generate_pseudo_labels.py`` carry a ``point`` ``[x, y]``; an
    instance without one (MMOCR's GT annotations) uses a point of its
    ``polygon``: by default the centre (vertex mean), which is how GT-point
    training is configured; with ``along_word`` a random point of the
    word's centre line (:func:`center_line_point`), which teaches a spotter
    to read a word from any point on it, as it must from WeCromCL's anchor
    points (they lie on a character, most often near the word's end, not at
    its centre). Each point is stored as a tiny square in ``gt_polygons`` so
    that MMOCR's geometric transforms (``Resize``, ``RandomFlip``,
    ``RandomRotate``...) move it; :class:`PackPointSpottingInputs` turns it
    back into a point. A ``point`` off the image is moved to the nearest
    point of its border.

    Required Keys: instances (and img_shape for instances with a point).
    Added Keys: gt_polygons, gt_texts, gt_ignored.

    Args:
        along_word (tuple(float, float), optional): ``(low, high)`` in
            [0, 1]: the GT point is drawn uniformly at a fraction in this
            range of the word's centre line (0 its start, 1 its end). None
            (default) takes the vertex mean.
    """

    def __init__(self,
                 along_word: Optional[Tuple[float, float]] = None) -> None:
        if along_word is not None:
            low, high = along_word
            if not 0 <= low <= high <= 1:
                raise ValueError('along_word must be (low, high) with '
                                 f'0 <= low <= high <= 1, got {along_word}')
            along_word = (float(low), float(high))
        self.along_word = along_word

    def _polygon_point(self, polygon) -> np.ndarray:
        """The GT point of a word polygon, see the class docstring."""
        if self.along_word is None:
            return np.reshape(polygon, (-1, 2)).mean(0)
        return center_line_point(polygon, np.random.uniform(*self.along_word))

    def transform(self, results: dict) -> dict:
        polygons, texts, ignored = [], [], []
        for instance in results['instances']:
            if 'point' in instance:
                # a pseudo point off the image would be cropped away with
                # its word: it labels the nearest border pixel instead
                height, width = results['img_shape'][:2]
                x, y = instance['point']
                x, y = min(max(x, 0), width), min(max(y, 0), height)
            else:
                x, y = self._polygon_point(instance['polygon'])
            polygons.append(point_to_square(float(x), float(y)))
            texts.append(instance.get('text', ''))
            ignored.append(is_ignored_instance(instance))
        results['gt_polygons'] = polygons
        results['gt_texts'] = texts
        results['gt_ignored'] = np.array(ignored, dtype=bool)
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(along_word={self.along_word})'
