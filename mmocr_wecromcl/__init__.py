# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Transcription-only supervised scene-text spotting for MMOCR.

Importing this package checks the OpenMMLab stack and registers every
component into MMOCR's registries (``mmocr.registry``).
"""
from .install_check import check_installation, env_summary

check_installation()

from .registry import register_all_modules  # noqa: E402
from .version import __version__  # noqa: E402

register_all_modules(init_default_scope=False)

__all__ = ['__version__', 'env_summary', 'register_all_modules']
