# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Fonts for the synthetic scene-text generator.

Only fonts that an installed pip package already ships are used: matplotlib
bundles the DejaVu, STIX and Computer Modern families (``mpl-data/fonts``).
Nothing is downloaded.
"""
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
