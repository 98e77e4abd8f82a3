# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""End-to-end evaluation of point-based text spotting."""
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
from mmocr.registry import METRICS

from mmocr_wecromcl.utils import is_ignored_word
from ..functional import Lexicon, match_key, match_nearest, word_spotting_text
from .base_point_metric import BasePointMetric

# (lexicon file, pair file) of each lexicon, relative to ``lexicon_dir``, as
# laid out by MMOCR's dataset preparer; ``{stem}`` is the image file name
# without its extension (strong lexicons are per image).
LEXICON_FILES = dict(
    generic=('GenericVocabulary_new.txt', 'GenericVocabulary_pair_list.txt'),
    weak=('ch4_test_vocabulary_new.txt', 'ch4_test_vocabulary_pair_list.txt'),
    strong=('new_strong_lexicon/lexicons/new_voc_{stem}.txt',
            'new_strong_lexicon/pairs/pair_voc_{stem}.txt'),
    full=('weak_voc_new.txt', 'weak_voc_pair_list.txt'))
# Lexicons under which a prediction far from every lexicon word is dropped.
DISTANCE_CUT_LEXICONS = ('weak', 'strong', 'full')


def check_lexicon_path(path: str) -> None:
    """Stop at construction if a lexicon (or pair) file cannot exist.

    A per-image path (with ``{stem}``) is checked by its folder; paths with
    a URI scheme (``s3://`` ...) are not checked.

    Args:
        path (str): The lexicon or pair file.

    Raises:
        FileNotFoundError: If the file, or the folder of a per-image file,
            does not exist.
    """
    if '://' in path:
        return
    if '{stem}' in path:
        folder = osp.dirname(path)
        if not osp.isdir(folder):
            raise FileNotFoundError(
                f'lexicon folder {folder} (of {path}) does not exist')
    elif not osp.isfile(path):
        raise FileNotFoundError(f'lexicon file {path} does not exist')


@METRICS.register_module()
class PointSpottingMetric(BasePointMetric):
    """End-to-end point spotting metric (the SPTS protocol).

    Per image:

    - GT: a word is ignored if flagged ``ignored`` or ``'###'`` (with
      ``word_spotting``, also if it is not a dictionary word, see
      :func:`~mmocr_wecromcl.evaluation.functional.word_spotting_text`). Its
      point is the polygon centre (``gt_center``).
    - Predictions with an empty text are dropped. With a lexicon, each text
      is replaced by its nearest lexicon word (normalised edit distance,
      mapped to the original GT form by the pair file); under the ``weak``,
      ``strong`` and ``full`` lexicons a prediction whose distance is
      ``>= match_dist_thr`` is dropped (under ``generic`` all are kept). With
      ``word_spotting``, predictions that are not dictionary words are
      dropped and the others cleaned like the GT.
    - Predictions are matched in order of decreasing score to their nearest
      GT point: if that GT is ignored, the prediction is not counted at all;
      otherwise it counts, and is a true positive if the texts match and the
      GT is not matched yet. Texts match when equal case-insensitively,
      after removing special characters (``!?.:,*"()·[]/'``) from both ends
      of both when ``strip_special`` is set (the ICDAR 2015 end-to-end rule;
      SPTS compares without stripping).
    - P = TP / #counted predictions, R = TP / #non-ignored GT, hmean, for
      each score threshold; the best hmean is reported (ties: the highest
      threshold).

    Lexicon files are read the first time they are needed and kept; with
    ``lexicon_type=None`` no file is read. A missing lexicon or pair file
    (for per-image lexicons, their missing folder) is an error at
    construction, before any image is processed.

    Args:
        lexicon_type (str, optional): None, ``'generic'``, ``'weak'``,
            ``'strong'`` (ICDAR 2013/2015) or ``'full'`` (Total-Text).
            Defaults to None.
        lexicon_dir (str, optional): Folder of the lexicons, e.g.
            ``'data/icdar2015/lexicons'``. Defaults to None.
        lexicon_file (str, optional): The lexicon file, relative to
            ``lexicon_dir`` (or absolute); may contain ``{stem}``, the image
            name without extension, for per-image lexicons. Defaults to the
            MMOCR layout of ``lexicon_type`` (``LEXICON_FILES``; its weak
            lexicon is ICDAR 2015's, ICDAR 2013 uses
            ``'ch2_test_vocabulary_new.txt'``).
        pair_file (str, optional): The pair file, like ``lexicon_file``.
        match_dist_thr (float): The distance cut of ``weak``, ``strong`` and
            ``full``. Defaults to 0.4.
        word_spotting (bool): Evaluate dictionary words only (Total-Text).
            Defaults to False.
        strip_special (bool): Ignore special characters at the ends of words
            when comparing. Defaults to True.
        score_key (str): Which prediction score is swept and orders the
            matching: ``'text_scores'`` (recognition confidence, as SPTS) or
            ``'scores'`` (anchor confidence). Defaults to ``'text_scores'``.
        score_thrs (dict or Sequence[float]): Score thresholds to sweep.
            Defaults to ``dict(start=0.0, stop=1.0, step=0.05)``.
        gt_center (str): ``'spts'`` (default) or ``'vertex_mean'``.
        collect_device (str): ``'cpu'`` or ``'gpu'``. Defaults to ``'cpu'``.
        prefix (str, optional): Prefix of the metric names. Defaults to the
            lexicon type (``'none'`` without lexicon), as in MMOCR's SPTS
            configs.

    Returns of ``evaluate``: ``{prefix}/precision``, ``{prefix}/recall``,
    ``{prefix}/hmean`` and ``{prefix}/score_thr``.
    """

    def __init__(self,
                 lexicon_type: Optional[str] = None,
                 lexicon_dir: Optional[str] = None,
                 lexicon_file: Optional[str] = None,
                 pair_file: Optional[str] = None,
                 match_dist_thr: float = 0.4,
                 word_spotting: bool = False,
                 strip_special: bool = True,
                 score_key: str = 'text_scores',
                 score_thrs: Union[Dict, Sequence[float]] = dict(
                     start=0.0, stop=1.0, step=0.05),
                 gt_center: str = 'spts',
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        if lexicon_type is not None and lexicon_type not in LEXICON_FILES:
            raise ValueError(f'lexicon_type must be None or one of '
                             f'{tuple(LEXICON_FILES)}, got {lexicon_type!r}')
        if score_key not in ('text_scores', 'scores'):
            raise ValueError(f'score_key must be "text_scores" or "scores", '
                             f'got {score_key!r}')
        super().__init__(score_thrs, gt_center, collect_device, prefix
                         or lexicon_type or 'none')
        self.lexicon_type = lexicon_type
        self.match_dist_thr = match_dist_thr
        self.word_spotting = word_spotting
        self.strip_special = strip_special
        self.score_key = score_key
        self.lexicon_file = self.pair_file = None
        if lexicon_type is not None:
            default_lexicon, default_pair = LEXICON_FILES[lexicon_type]
            root = lexicon_dir or ''
            self.lexicon_file = osp.join(root, lexicon_file or default_lexicon)
            self.pair_file = osp.join(root, pair_file or default_pair)
            for path in (self.lexicon_file, self.pair_file):
                check_lexicon_path(path)
        self._lexicons: Dict[str, Lexicon] = {}

    def _lexicon(self, img_path: str) -> Lexicon:
        """The lexicon of an image (loaded on first use)."""
        stem = osp.splitext(osp.basename(img_path))[0]
        lexicon_file = self.lexicon_file.format(stem=stem)
        if lexicon_file not in self._lexicons:
            self._lexicons[lexicon_file] = Lexicon.from_files(
                lexicon_file, self.pair_file.format(stem=stem))
        return self._lexicons[lexicon_file]

    def _gt_keys(self, texts: List[str],
                 ignored: np.ndarray) -> Tuple[List[str], np.ndarray]:
        """Comparison keys of the GT words and their final ignore flags."""
        keys, flags = [], []
        for text, flag in zip(texts, ignored):
            if not flag and not is_ignored_word(text) and self.word_spotting:
                text = word_spotting_text(text)
            flag = bool(flag) or text is None or is_ignored_word(text)
            keys.append('' if flag else match_key(text, self.strip_special))
            flags.append(flag)
        return keys, np.array(flags, dtype=bool)

    def _pred_texts(self, texts: List[str],
                    img_path: str) -> List[Optional[str]]:
        """Predicted texts after lexicon and filters; None means dropped."""
        texts = [text or None for text in texts]
        kept = [i for i, text in enumerate(texts) if text is not None]
        if self.lexicon_type is not None and kept:
            corrected, dists = self._lexicon(img_path).correct(
                [texts[i] for i in kept])
            cut = self.lexicon_type in DISTANCE_CUT_LEXICONS
            for i, text, dist in zip(kept, corrected, dists):
                dropped = cut and dist >= self.match_dist_thr
                texts[i] = None if dropped else text
        if self.word_spotting:
            texts = [text and word_spotting_text(text) for text in texts]
        return texts

    def process(self, data_batch: Sequence[Dict],
                data_samples: Sequence[Dict]) -> None:
        """Match the predictions of each image and store the outcomes.

        Args:
            data_batch (Sequence[Dict]): The batch (unused).
            data_samples (Sequence[Dict]): Data samples (dicts or
                ``TextDetDataSample``) with GT and predictions.
        """
        for data_sample in data_samples:
            polygons, texts, ignored = self._read_gt(data_sample)
            gt_keys, gt_ignored = self._gt_keys(texts, ignored)

            points, pred_texts, scores = self._read_preds(
                data_sample, self.score_key)
            pred_texts = self._pred_texts(pred_texts,
                                          data_sample.get('img_path', ''))
            keep = [i for i, text in enumerate(pred_texts) if text is not None]
            order = [keep[i] for i in np.argsort(-scores[keep], kind='stable')]
            pred_keys = [
                match_key(pred_texts[i], self.strip_special) for i in order
            ]

            counted, true_pos = match_nearest(points[order], pred_keys,
                                              self._centers(polygons), gt_keys,
                                              gt_ignored)
            self.results.append(
                dict(
                    scores=scores[order],
                    counted=counted,
                    true_pos=true_pos,
                    num_gt=int(np.count_nonzero(~gt_ignored))))

    def compute_metrics(self, results: List[Dict]) -> Dict[str, float]:
        """Sweep the score thresholds.

        Args:
            results (list[dict]): The per-image outcomes.

        Returns:
            dict: ``precision``, ``recall``, ``hmean`` and ``score_thr`` of
            the best threshold.
        """
        return self._best_over_thresholds(results, 'true_pos', self.prefix)
