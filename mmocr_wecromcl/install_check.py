# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Import-time checks of the pinned OpenMMLab stack."""
import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import Dict, Tuple

from packaging.version import Version

# name -> (lowest accepted, first rejected). The ranges are what the stack's
# own packages assert (mmocr 1.0.1: mmdet < 3.2; mmdet 3.1: mmcv < 2.1).
SUPPORTED_VERSIONS: Dict[str, Tuple[str, str]] = {
    'mmengine': ('0.7.1', '1.0.0'),
    'mmcv': ('2.0.0', '2.1.0'),
    'mmdet': ('3.0.0', '3.2.0'),
    'mmocr': ('1.0.0', '1.1.0'),
}

SETUP_HINT = 'Run tools/setup_env.sh (see docs/install.md).'


class InstallationError(ImportError):
    """The OpenMMLab stack found at import does not fit this plugin."""


def check_installation() -> None:
    """Check versions of the OpenMMLab packages and mmcv's compiled ops.

    Raises:
        InstallationError: if a package is missing, outside its supported
            range, or mmcv has no compiled ops (``mmcv-lite``).
    """
    for name, (low, high) in SUPPORTED_VERSIONS.items():
        try:
            found = version(name)
        except PackageNotFoundError:
            found = None
            if name == 'mmcv':
                try:
                    found = version('mmcv-lite')
                except PackageNotFoundError:
                    pass
                else:
                    raise InstallationError(
                        f'mmcv-lite {found} is installed, but mmocr_wecromcl '
                        'needs mmcv with compiled ops (mmcv==2.0.1 built with '
                        f'MMCV_WITH_OPS=1). {SETUP_HINT}')
            if found is None:
                raise InstallationError(
                    f'{name} is not installed; mmocr_wecromcl needs '
                    f'{name}>={low},<{high}. {SETUP_HINT}')
        if not Version(low) <= Version(found) < Version(high):
            raise InstallationError(
                f'{name} {found} is installed, but mmocr_wecromcl supports '
                f'{name}>={low},<{high}. {SETUP_HINT}')
    try:
        importlib.import_module('mmcv._ext')
    except ImportError as e:
        raise InstallationError(
            'mmcv is installed without its compiled ops (mmcv._ext cannot be '
            f'imported: {e}). mmocr_wecromcl needs them for '
            'MultiScaleDeformableAttention; reinstall mmcv==2.0.1 built with '
            f'MMCV_WITH_OPS=1. {SETUP_HINT}') from e


def env_summary() -> str:
    """One line naming the versions in use and whether CUDA ops exist."""
    import torch
    from mmcv.ops import get_compiling_cuda_version
    parts = [f'torch {torch.__version__}']
    parts += [f'{name} {version(name)}' for name in SUPPORTED_VERSIONS]
    parts.append(f'mmcv CUDA ops: {get_compiling_cuda_version()}')
    parts.append(f'CUDA available: {torch.cuda.is_available()}')
    return ', '.join(parts)
