# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Fonts for the synthetic scene-text generator.

Only fonts that installed pip packages ship are used; nothing is
downloaded. Two disjoint sets:

- ``'source'``: the DejaVu, STIX and Computer Modern families that
  matplotlib bundles (``mpl-data/fonts``). Every shipped checkpoint was
  trained on images drawn with these.
- ``'target'``: the display families of the ``font-*`` packages of
  ``requirements/runtime.txt`` (Amatic SC, hand-drawn condensed capitals,
  and Fredoka One, rounded heavy letters), which no shipped checkpoint has
  seen and the shipped SRSTS-A cannot read: the fonts of the target domain
  (``docs/transfer.md``).
"""
import glob
import importlib
import os.path as osp
from functools import lru_cache
from typing import List

import matplotlib
from PIL import ImageFont

# Families whose glyphs cover a-z, A-Z and 0-9 at their usual code points
# (``DejaVu*Display`` and the STIX/CM symbol fonts do not).
MATPLOTLIB_FONT_FILES = ('DejaVuSans.ttf', 'DejaVuSans-Bold.ttf',
                         'DejaVuSans-Oblique.ttf',
                         'DejaVuSans-BoldOblique.ttf', 'DejaVuSansMono.ttf',
                         'DejaVuSansMono-Bold.ttf',
                         'DejaVuSansMono-Oblique.ttf',
                         'DejaVuSansMono-BoldOblique.ttf', 'DejaVuSerif.ttf',
                         'DejaVuSerif-Bold.ttf', 'DejaVuSerif-Italic.ttf',
                         'DejaVuSerif-BoldItalic.ttf', 'STIXGeneral.ttf',
                         'STIXGeneralBol.ttf', 'STIXGeneralItalic.ttf',
                         'STIXGeneralBolIta.ttf', 'cmr10.ttf', 'cmb10.ttf',
                         'cmti10.ttf', 'cmss10.ttf', 'cmtt10.ttf')

# The pip packages of the target fonts (import name: the folder ``files``
# beside its ``__init__`` holds the font files).
TARGET_FONT_PACKAGES = ('font_amatic_sc', 'font_fredoka_one')
FONT_SETS = ('source', 'target')


def default_font_paths() -> List[str]:
    """Paths of the alphanumeric fonts that matplotlib ships.

    Returns:
        list[str]: Absolute paths of the files of
        :data:`MATPLOTLIB_FONT_FILES` that exist in this installation, in
        that order.

    Raises:
        FileNotFoundError: If matplotlib ships none of them.
    """
    font_dir = osp.join(
        osp.dirname(matplotlib.__file__), 'mpl-data', 'fonts', 'ttf')
    paths = [
        osp.join(font_dir, name) for name in MATPLOTLIB_FONT_FILES
        if osp.isfile(osp.join(font_dir, name))
    ]
    if not paths:
        raise FileNotFoundError(f'No usable font found in {font_dir}')
    return paths


def target_font_paths() -> List[str]:
    """Paths of the fonts of :data:`TARGET_FONT_PACKAGES`.

    A family shipped both as TrueType and OpenType counts once (its
    ``.ttf`` files).

    Returns:
        list[str]: Absolute paths, sorted.

    Raises:
        ModuleNotFoundError: If a package is not installed, naming it.
    """
    paths = []
    for package in TARGET_FONT_PACKAGES:
        try:
            module = importlib.import_module(package)
        except ModuleNotFoundError as e:
            raise ModuleNotFoundError(
                f'the target fonts need the package '
                f'{package.replace("_", "-")}: pip install -r '
                'requirements/runtime.txt (or bash tools/setup_env.sh)') from e
        folder = osp.join(osp.dirname(module.__file__), 'files')
        ttf = glob.glob(osp.join(folder, '*.ttf'))
        paths += ttf or glob.glob(osp.join(folder, '*.otf'))
    return sorted(paths)


def font_paths(font_set: str) -> List[str]:
    """The font files of a named set of :data:`FONT_SETS`.

    Args:
        font_set (str): ``'source'`` (:func:`default_font_paths`) or
            ``'target'`` (:func:`target_font_paths`).

    Returns:
        list[str]: Absolute paths of the set's font files.
    """
    if font_set == 'source':
        return default_font_paths()
    if font_set == 'target':
        return target_font_paths()
    raise KeyError(f'Unknown font set {font_set!r}; choose one of '
                   f'{FONT_SETS}')


@lru_cache(maxsize=512)
def load_font(path: str, size: int) -> ImageFont.FreeTypeFont:
    """Load a TrueType font at a pixel size, cached per process.

    Args:
        path (str): Path of a ``.ttf`` file.
        size (int): The em size in pixels.

    Returns:
        ImageFont.FreeTypeFont: The font.
    """
    return ImageFont.truetype(path, size)
