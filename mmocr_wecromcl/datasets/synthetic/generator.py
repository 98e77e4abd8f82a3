# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Synthetic scene-text images with word polygons and transcriptions.

Each word is rendered on its own layer, bent and warped, and composited on
a background at a place where it overlaps no earlier word; its polygon is
the same warp applied to the rectangle around the layer's ink. See
``docs/synthetic_data.md``.
"""
import copy
import inspect
from typing import Dict, List, Optional, Sequence, Tuple, Union

import cv2
import numpy as np

from mmocr_wecromcl.utils.text import IGNORED_WORD
from mmocr_wecromcl.utils.vocabulary import load_vocabulary
from .backgrounds import random_color, sample_background
from .distractors import draw_distractors
from .effects import gaussian_blur, gaussian_noise, jpeg_roundtrip, shade
from .fonts import default_font_paths, font_paths, load_font
from .geometry import WordGeometry, plane_homography
from .text_layer import TextLayer, render_text_layer
from .words import WordSampler

# Font sizes of the presets are fractions of the shorter image side; a
# preset's ``font_set`` names its fonts (fonts.FONT_SETS, default 'source').
_EASY = dict(
    num_words=(1, 3),
    font_size_fraction=(0.1, 0.22),
    prob_number=0.05,
    prob_mixed=0.0,
    prob_repeat=0.0,
    prob_illegible=0.0,
    prob_curved=0.0,
    prob_rotate=0.0,
    prob_perspective=0.0,
    x_scale_range=(0.9, 1.1),
    prob_outline=0.0,
    backgrounds=dict(plain=0.4, gradient=0.3, noise=0.2, stripes=0.1),
    num_distractors=(0, 0),
    prob_shading=0.0,
    prob_blur=0.0,
    prob_noise=0.0,
    prob_jpeg=0.0)
PRESETS: Dict[str, dict] = dict(
    easy=_EASY,
    default=dict(font_size_fraction=(0.04, 0.18)),
    hard=dict(
        num_words=(3, 12),
        font_size_fraction=(0.035, 0.14),
        prob_illegible=0.15,
        prob_curved=0.3,
        prob_rotate=0.5,
        max_rotation=60.0,
        prob_perspective=0.4,
        prob_outline=0.15,
        backgrounds=dict(
            plain=0.1, gradient=0.1, noise=0.15, stripes=0.15, natural=0.5),
        num_distractors=(2, 8),
        prob_blur=0.3,
        prob_noise=0.4,
        prob_jpeg=0.4),
    # The target domain: the easy layouts drawn with fonts no shipped
    # checkpoint has seen (docs/transfer.md).
    target=dict(_EASY, font_set='target'))

# Gap in pixels kept between word polygons.
WORD_GAP = 2
# Placement tries before a word is made smaller.
TRIES_PER_SIZE = 4
ILLEGIBLE_MODES = ('tiny', 'blur', 'faint')
# Luminance standard deviation above which a region counts as busy.
BUSY_LUMINANCE_STD = 40.0
# Largest fraction of background pixels a fill colour may be close to.
MAX_CLASH = 0.1


def luminance(rgb: np.ndarray) -> np.ndarray:
    """ITU-R BT.601 luma of RGB values, (..., 3) -> (...)."""
    return rgb @ np.array([0.299, 0.587, 0.114])


class SyntheticTextGenerator:
    """Draws scene-text images with word-level ground truth.

    ``generate(index)`` only depends on ``(seed, index)`` and the
    parameters, so any image can be regenerated alone and workers can draw
    disjoint index ranges in parallel. Probabilities are per image for the
    whole-image effects and per word otherwise.

    Args:
        img_size (int | tuple[int, int]): ``(height, width)``, or one side
            of a square image.
        seed (int): Seed of the dataset.
        num_words (tuple[int, int]): Inclusive range of the number of words
            tried per image (fewer are placed when no free room is found).
        font_size_range (tuple[float, float]): Em size range in pixels of
            legible words, sampled log-uniformly.
        fonts (Sequence[str], optional): TrueType files. Defaults to
            :func:`default_font_paths`.
        vocabulary (str, optional): Word list file. Defaults to the shipped
            English vocabulary.
        prob_number (float): Probability that a word is a number.
        prob_mixed (float): Probability of a mixed letters/digits token.
        prob_upper (float): Probability of an upper-case word.
        prob_title (float): Probability of a title-case word.
        prob_repeat (float): Probability that a word repeats the
            transcription of a legible word already in the image.
        prob_illegible (float): Probability of an illegible word (tiny,
            heavily blurred or faint), annotated ``'###'`` and ignored.
        prob_curved (float): Probability that a word of at least 3
            characters follows a circular arc.
        arc_angle_range (tuple[float, float]): Range of the angle in
            degrees that a curved word spans.
        prob_rotate (float): Probability of an in-plane rotation.
        max_rotation (float): Largest rotation in degrees.
        prob_perspective (float): Probability of a 3-D tilt of the text.
        max_perspective (float): Largest tilt about each axis in degrees.
        x_scale_range (tuple[float, float]): Range of horizontal stretch.
        prob_outline (float): Probability that a word has an outline (most
            words on busy backgrounds get one regardless).
        min_contrast (float): Smallest luminance difference (0-255) between
            a legible word and the mean of its background.
        backgrounds (dict[str, float], optional): Weight of each background
            kind (:data:`backgrounds.BACKGROUND_KINDS`). Defaults to
            ``plain=0.15, gradient=0.15, noise=0.2, stripes=0.1,
            natural=0.4``.
        num_distractors (tuple[int, int]): Inclusive range of the number of
            non-text shapes drawn under the words.
        prob_shading (float): Probability of uneven lighting.
        prob_blur (float): Probability of a Gaussian blur of the image.
        blur_sigma (tuple[float, float]): Its standard deviation range.
        prob_noise (float): Probability of Gaussian noise.
        noise_sigma (tuple[float, float]): Its standard deviation range.
        prob_jpeg (float): Probability of JPEG compression artefacts.
        jpeg_quality (tuple[int, int]): Their JPEG quality range.
        max_attempts (int): Placement tries per word before it is dropped.
    """

    def __init__(self,
                 img_size: Union[int, Tuple[int, int]] = 320,
                 seed: int = 0,
                 num_words: Tuple[int, int] = (1, 8),
                 font_size_range: Tuple[float, float] = (13, 58),
                 fonts: Optional[Sequence[str]] = None,
                 vocabulary: Optional[str] = None,
                 prob_number: float = 0.08,
                 prob_mixed: float = 0.07,
                 prob_upper: float = 0.25,
                 prob_title: float = 0.25,
                 prob_repeat: float = 0.15,
                 prob_illegible: float = 0.08,
                 prob_curved: float = 0.15,
                 arc_angle_range: Tuple[float, float] = (30, 150),
                 prob_rotate: float = 0.35,
                 max_rotation: float = 30.0,
                 prob_perspective: float = 0.25,
                 max_perspective: float = 35.0,
                 x_scale_range: Tuple[float, float] = (0.8, 1.25),
                 prob_outline: float = 0.1,
                 min_contrast: float = 90.0,
                 backgrounds: Optional[Dict[str, float]] = None,
                 num_distractors: Tuple[int, int] = (0, 4),
                 prob_shading: float = 0.3,
                 prob_blur: float = 0.15,
                 blur_sigma: Tuple[float, float] = (0.3, 1.0),
                 prob_noise: float = 0.3,
                 noise_sigma: Tuple[float, float] = (2.0, 8.0),
                 prob_jpeg: float = 0.3,
                 jpeg_quality: Tuple[int, int] = (30, 85),
                 max_attempts: int = 12) -> None:
        if isinstance(img_size, int):
            img_size = (img_size, img_size)
        if backgrounds is None:
            backgrounds = dict(
                plain=0.15, gradient=0.15, noise=0.2, stripes=0.1, natural=0.4)
        if not 1 <= font_size_range[0] <= font_size_range[1]:
            raise ValueError(f'Bad font_size_range {font_size_range}')
        if not 0 <= num_words[0] <= num_words[1]:
            raise ValueError(f'Bad num_words {num_words}')
        if not 0 < arc_angle_range[0] <= arc_angle_range[1] < 180:
            raise ValueError('arc_angle_range must lie in (0, 180) degrees')
        self.img_size = tuple(int(s) for s in img_size)
        self.seed = int(seed)
        self.num_words = tuple(num_words)
        self.font_size_range = tuple(font_size_range)
        self.fonts = list(fonts) if fonts else default_font_paths()
        self.vocabulary = vocabulary
        self.prob_number = prob_number
        self.prob_mixed = prob_mixed
        self.prob_upper = prob_upper
        self.prob_title = prob_title
        self.prob_repeat = prob_repeat
        self.prob_illegible = prob_illegible
        self.prob_curved = prob_curved
        self.arc_angle_range = tuple(arc_angle_range)
        self.prob_rotate = prob_rotate
        self.max_rotation = max_rotation
        self.prob_perspective = prob_perspective
        self.max_perspective = max_perspective
        self.x_scale_range = tuple(x_scale_range)
        self.prob_outline = prob_outline
        self.min_contrast = min_contrast
        self.backgrounds = dict(backgrounds)
        self.num_distractors = tuple(num_distractors)
        self.prob_shading = prob_shading
        self.prob_blur = prob_blur
        self.blur_sigma = tuple(blur_sigma)
        self.prob_noise = prob_noise
        self.noise_sigma = tuple(noise_sigma)
        self.prob_jpeg = prob_jpeg
        self.jpeg_quality = tuple(jpeg_quality)
        self.max_attempts = max_attempts
        self.word_sampler = WordSampler(
            load_vocabulary(vocabulary), prob_number, prob_mixed, prob_upper,
            prob_title)

    @classmethod
    def from_preset(cls,
                    preset: str = 'default',
                    img_size: Union[int, Tuple[int, int]] = 320,
                    **overrides) -> 'SyntheticTextGenerator':
        """Build a generator from a named preset of :data:`PRESETS`.

        Args:
            preset (str): ``'easy'`` (1-3 large horizontal words on plain or
                procedural backgrounds, no degradation), ``'default'`` (the
                full variety), ``'hard'`` (more, smaller, more distorted
                words on busier backgrounds), all in the ``'source'`` fonts,
                or ``'target'`` (``'easy'`` in the ``'target'`` fonts).
            img_size (int | tuple[int, int]): See the class.
            **overrides: Any argument of the class; they win over the
                preset. ``font_size_range`` replaces the preset's font
                sizes, which are otherwise fractions of the shorter side;
                ``font_set`` (a name of ``fonts.FONT_SETS``) replaces the
                preset's fonts, as ``fonts`` (files) does.

        Returns:
            SyntheticTextGenerator: The generator.
        """
        if preset not in PRESETS:
            raise KeyError(f'Unknown preset {preset!r}; choose one of '
                           f'{sorted(PRESETS)}')
        cfg = copy.deepcopy(PRESETS[preset])
        low, high = cfg.pop('font_size_fraction')
        side = min(img_size) if isinstance(img_size, tuple) else img_size
        cfg['font_size_range'] = (max(1.0, round(low * side, 1)),
                                  max(1.0, round(high * side, 1)))
        cfg.update(overrides)
        font_set = cfg.pop('font_set', 'source')
        if cfg.get('fonts') is None:
            cfg['fonts'] = font_paths(font_set)
        return cls(img_size=img_size, **cfg)

    def to_dict(self) -> dict:
        """The constructor arguments, JSON-serialisable."""
        names = list(inspect.signature(type(self)).parameters)
        return {
            name: list(value) if isinstance(value, tuple) else value
            for name, value in ((name, getattr(self, name)) for name in names)
        }

    def generate(self, index: int) -> Tuple[np.ndarray, List[dict]]:
        """Draw image ``index`` of the dataset.

        Args:
            index (int): Non-negative image index.

        Returns:
            tuple[np.ndarray, list[dict]]: The (H, W, 3) uint8 BGR image and
            its instances in MMOCR's format: ``polygon`` (2K floats, K = 4
            or 14, rounded to 0.1 px), ``bbox`` (``[x1, y1, x2, y2]``),
            ``bbox_label`` (0), ``ignore`` and ``text`` (``'###'`` for
            illegible words, which are ignored).
        """
        rng = np.random.default_rng([self.seed, index])
        canvas = sample_background(rng, self.img_size, self.backgrounds)
        low, high = self.num_distractors
        canvas = draw_distractors(canvas, rng,
                                  int(rng.integers(low, high + 1)))
        occupied = np.zeros(self.img_size, np.uint8)
        instances: List[dict] = []
        legible_words: List[str] = []
        low, high = self.num_words
        for _ in range(int(rng.integers(low, high + 1))):
            instance = self._add_word(rng, canvas, occupied, legible_words)
            if instance is not None:
                instances.append(instance)
                if not instance['ignore']:
                    legible_words.append(instance['text'])
        return self._degrade(rng, canvas), instances

    def _add_word(self, rng: np.random.Generator, canvas: np.ndarray,
                  occupied: np.ndarray,
                  legible_words: List[str]) -> Optional[dict]:
        """Place one word on ``canvas`` (in place) and mark ``occupied``."""
        mode = None
        if rng.random() < self.prob_illegible:
            mode = ILLEGIBLE_MODES[rng.integers(len(ILLEGIBLE_MODES))]
        if mode is None and legible_words and rng.random() < self.prob_repeat:
            text = legible_words[rng.integers(len(legible_words))]
        else:
            text = self.word_sampler(rng)
        font_path = self.fonts[rng.integers(len(self.fonts))]
        low, high = self.font_size_range
        if mode == 'tiny':
            low, high = max(4.0, 0.3 * low), max(4.0, 0.6 * low)
        size = float(np.exp(rng.uniform(np.log(low), np.log(high))))
        outline = rng.random() < self.prob_outline
        busy_outline = rng.random() < 0.7
        blur = rng.uniform(0.15, 0.3) if mode == 'blur' else 0.0

        for attempt in range(self.max_attempts):
            if attempt % TRIES_PER_SIZE == 0:
                if attempt:
                    size *= 0.8
                shape = self._shape_word(rng, text, font_path, size, outline,
                                         blur)
                if shape is None:
                    return None
                extent = np.ptp(shape[2], axis=0)
                room = np.array(self.img_size[::-1]) - 3
                if (extent > room).any():
                    # Too large for the image: shrink to fit at once.
                    size *= 0.95 * (room / extent).min()
                    shape = self._shape_word(rng, text, font_path, size,
                                             outline, blur)
                    if shape is None:
                        return None
                layer, geometry, local = shape
            offset = self._sample_offset(rng, local)
            if offset is None:
                continue
            polygon = local + offset
            mask = np.zeros(self.img_size, np.uint8)
            points = [np.round(polygon * 16).astype(np.int32)]
            cv2.fillPoly(mask, points, 1, cv2.LINE_8, 4)
            if (mask & occupied).any():
                continue
            colors = self._pick_colors(rng, canvas[mask > 0], mode, outline,
                                       busy_outline)
            self._composite(canvas, layer, geometry, offset, polygon, colors)
            cv2.fillPoly(occupied, points, 1, cv2.LINE_8, 4)
            cv2.polylines(occupied, points, True, 1, 2 * WORD_GAP + 1,
                          cv2.LINE_8, 4)
            return self._instance(polygon, text if mode is None else None)
        return None

    def _shape_word(self, rng: np.random.Generator, text: str, font_path: str,
                    size: float, outline: bool, blur: float
                    ) -> Optional[Tuple[TextLayer, WordGeometry, np.ndarray]]:
        """Render a word and draw its geometry.

        Args:
            rng (np.random.Generator): The random source.
            text (str): The word.
            font_path (str): Its font file.
            size (float): Its em size in pixels (at least 4 is used).
            outline (bool): Whether to outline it.
            blur (float): Blur standard deviation as a fraction of the size.

        Returns:
            tuple or None: The layer, its geometry and its (K, 2) polygon
            before translation; None when nothing was drawn.
        """
        font_px = max(4, int(round(size)))
        outline_px = max(1, int(round(font_px * rng.uniform(0.04, 0.1))))
        layer = render_text_layer(text, load_font(font_path, font_px),
                                  outline_px if outline else 0, blur * font_px)
        if layer is None:
            return None
        geometry = self._sample_geometry(rng, layer, text)
        return layer, geometry, geometry.local_polygon()

    def _sample_geometry(self, rng: np.random.Generator, layer: TextLayer,
                         text: str) -> WordGeometry:
        """Draw the bend and warp of a word."""
        x0, y0, x1, y1 = layer.ink_box
        ink_w, ink_h = x1 - x0 + 1, y1 - y0 + 1
        arc_radius = None
        arc_up = rng.random() < 0.5
        if len(text) >= 3 and rng.random() < self.prob_curved:
            angle = np.deg2rad(rng.uniform(*self.arc_angle_range))
            arc_radius = max(ink_w / angle, 1.5 * ink_h)
        rotation = 0.0
        if rng.random() < self.prob_rotate:
            rotation = np.deg2rad(
                rng.uniform(-self.max_rotation, self.max_rotation))
        yaw = pitch = 0.0
        if rng.random() < self.prob_perspective:
            yaw, pitch = np.deg2rad(
                rng.uniform(-self.max_perspective, self.max_perspective, 2))
        homography = plane_homography(
            x_scale=rng.uniform(*self.x_scale_range),
            yaw=yaw,
            pitch=pitch,
            rotation=rotation,
            focal=1.5 * max(ink_w, ink_h))
        return WordGeometry(layer.ink_box, homography, arc_radius, arc_up)

    def _sample_offset(self, rng: np.random.Generator,
                       local: np.ndarray) -> Optional[np.ndarray]:
        """A translation keeping the polygon 1 px inside the image."""
        height, width = self.img_size
        low = 1 - local.min(axis=0)
        high = np.array([width - 2, height - 2]) - local.max(axis=0)
        if (low > high).any():
            return None
        return rng.uniform(low, high)

    def _pick_colors(self, rng: np.random.Generator, region: np.ndarray,
                     mode: Optional[str], outline: bool, busy_outline: bool
                     ) -> Tuple[np.ndarray, Optional[np.ndarray]]:
        """Fill (and outline) colours of a word over a background region.

        Faint illegible words get a fill only slightly off the mean
        background. Other words get a random colour at least
        ``min_contrast`` away in luminance from the mean background and
        within ``min_contrast / 2`` of at most :data:`MAX_CLASH` of its
        pixels (black or white, whichever clashes less, when ten draws find
        none). The outline, in a colour contrasting with the fill, is drawn
        when ``outline``, when the fill still clashes, and on busy regions
        when ``busy_outline``.

        Args:
            rng (np.random.Generator): The random source.
            region (np.ndarray): (N, 3) RGB background pixels under the
                word's polygon.
            mode (str, optional): Illegibility mode, None for legible words.
            outline (bool): Whether the word is outlined anyway.
            busy_outline (bool): Whether to outline it on a busy region.

        Returns:
            tuple[np.ndarray, np.ndarray | None]: The (3, ) RGB fill colour
            and the outline colour (None: no outline).
        """
        lumas = luminance(region)
        if mode == 'faint':
            step = rng.uniform(10, 25) * (1 if lumas.mean() < 128 else -1)
            return np.clip(region.mean(axis=0) + step, 0, 255), None

        def clash(color: np.ndarray) -> float:
            close = np.abs(lumas - luminance(color)) < self.min_contrast / 2
            return float(close.mean())

        fill = None
        for _ in range(10):
            candidate = random_color(rng)
            if (abs(luminance(candidate) - lumas.mean()) >= self.min_contrast
                    and clash(candidate) <= MAX_CLASH):
                fill = candidate
                break
        if fill is None:
            fill = min((np.zeros(3), np.full(3, 255.0)), key=clash)
        busy = lumas.std() > BUSY_LUMINANCE_STD
        if not (outline or clash(fill) > MAX_CLASH or busy and busy_outline):
            return fill, None
        dark = luminance(fill) > 127
        edge = rng.uniform(0, 60, 3) if dark else rng.uniform(195, 255, 3)
        return fill, edge

    @staticmethod
    def _composite(canvas: np.ndarray, layer: TextLayer,
                   geometry: WordGeometry, offset: np.ndarray,
                   polygon: np.ndarray,
                   colors: Tuple[np.ndarray, Optional[np.ndarray]]) -> None:
        """Alpha-blend the warped layer into ``canvas`` in place."""
        height, width = canvas.shape[:2]
        x0, y0 = np.maximum(np.floor(polygon.min(axis=0)).astype(int) - 1, 0)
        x1, y1 = np.minimum(
            np.ceil(polygon.max(axis=0)).astype(int) + 2, [width, height])
        box = (int(x0), int(y0), int(x1), int(y1))
        region = canvas[y0:y1, x0:x1]
        fill_color, outline_color = colors
        if outline_color is not None:
            alpha = geometry.warp(layer.ink, offset, box)[..., None]
            region[:] = region * (1 - alpha) + outline_color * alpha
        alpha = geometry.warp(layer.fill, offset, box)[..., None]
        region[:] = region * (1 - alpha) + fill_color * alpha

    @staticmethod
    def _instance(polygon: np.ndarray, text: Optional[str]) -> dict:
        """An MMOCR instance; ``text=None`` marks an illegible word."""
        polygon = np.round(polygon, 1)
        bbox = np.concatenate([polygon.min(axis=0), polygon.max(axis=0)])
        return dict(
            polygon=[float(v) for v in polygon.reshape(-1)],
            bbox=[float(v) for v in bbox],
            bbox_label=0,
            ignore=text is None,
            text=IGNORED_WORD if text is None else text)

    def _degrade(self, rng: np.random.Generator,
                 canvas: np.ndarray) -> np.ndarray:
        """Whole-image effects, then conversion to uint8 BGR."""
        if rng.random() < self.prob_shading:
            canvas = shade(canvas, rng, rng.uniform(0.15, 0.45))
        if rng.random() < self.prob_blur:
            canvas = gaussian_blur(canvas, rng.uniform(*self.blur_sigma))
        if rng.random() < self.prob_noise:
            canvas = gaussian_noise(canvas, rng,
                                    rng.uniform(*self.noise_sigma))
        image = np.clip(np.round(canvas), 0, 255).astype(np.uint8)
        image = np.ascontiguousarray(image[..., ::-1])
        if rng.random() < self.prob_jpeg:
            image = jpeg_roundtrip(
                image,
                rng.integers(self.jpeg_quality[0], self.jpeg_quality[1] + 1))
        return image
