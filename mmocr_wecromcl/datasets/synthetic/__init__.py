# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Synthetic scene-text images with full ground truth (the default data)."""
from .backgrounds import BACKGROUND_KINDS, NATURAL_IMAGES, sample_background
from .fonts import default_font_paths, load_font
from .generator import PRESETS, SyntheticTextGenerator
from .geometry import WordGeometry, plane_homography
from .text_layer import TextLayer, render_text_layer
from .words import WordSampler
from .writer import TEST_INDEX_OFFSET, ann_file_name, write_synthetic_dataset

__all__ = [
    'BACKGROUND_KINDS', 'NATURAL_IMAGES', 'PRESETS', 'TEST_INDEX_OFFSET',
    'SyntheticTextGenerator', 'TextLayer', 'WordGeometry', 'WordSampler',
    'ann_file_name', 'default_font_paths', 'load_font', 'plane_homography',
    'render_text_layer', 'sample_background', 'write_synthetic_dataset'
]
