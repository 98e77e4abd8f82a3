# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Safe checkpoint loading for mmengine 0.10.7 under torch >= 2.6.

torch >= 2.6 loads with ``weights_only=True``: unpickling builds tensors and
plain containers only, and refuses any other type, so a checkpoint cannot run
code when it is loaded. mmengine's checkpoints hold a few more types (the
message hub's :class:`~mmengine.logging.HistoryBuffer`, which stores numpy
arrays and refers to its statistics methods by ``getattr``), so mmengine's
own loader fails on them. :func:`load_checkpoint_safely` keeps
``weights_only=True`` and allows exactly those types (:data:`SAFE_GLOBALS`),
with ``getattr`` restricted to a ``HistoryBuffer`` statistics method.
Anything else is refused with an :class:`UnsafeCheckpointError` that names
the refused types.

A checkpoint from a source you trust that holds other types loads through an
explicit opt-in, never by default:

- per call: ``with trusted_checkpoints('a.pth'): ...`` around the load, or
  ``load_checkpoint_safely('a.pth', trusted=True)``;
- per run: the environment variable ``MMOCR_WECROMCL_TRUSTED_CHECKPOINTS``,
  a list of checkpoint paths separated by ``os.pathsep``, which also reaches
  runs started by ``mim`` or MMOCR's tools.

:func:`register_checkpoint_loader` (called on import of
:mod:`mmocr_wecromcl.engine`) makes mmengine's
:class:`~mmengine.runner.CheckpointLoader` load local paths and URLs this way.
"""
import contextlib
import os
import os.path as osp
import pickle
from typing import Callable, Iterator, List, Optional, Set, Union

import numpy as np
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner import CheckpointLoader
from mmengine.runner.checkpoint import load_from_http

TRUST_ENV = 'MMOCR_WECROMCL_TRUSTED_CHECKPOINTS'
MapLocation = Optional[Union[str, torch.device, Callable]]

# Paths trusted by an enclosing :func:`trusted_checkpoints` (None: every
# path is trusted there).
_trusted_stack: List[Optional[Set[str]]] = []


def _history_buffer_method(obj: object, name: str) -> Callable:
    """``getattr`` as mmengine's checkpoints use it, and nothing else.

    A :class:`HistoryBuffer` pickles its statistics methods (``min``,
    ``max``, ``current``, ``mean`` and registered ones) as
    ``getattr(HistoryBuffer, name)``.

    Raises:
        pickle.UnpicklingError: For any other object or attribute.
    """
    methods = ('min', 'max', 'current', 'mean',
               *HistoryBuffer._statistics_methods)
    if obj is HistoryBuffer and name in methods:
        return getattr(HistoryBuffer, name)
    raise pickle.UnpicklingError(
        f'getattr({getattr(obj, "__name__", type(obj).__name__)}, {name!r}) '
        'is not a HistoryBuffer statistics method')


def _name(entry: Union[type, Callable, tuple]) -> str:
    """The pickled name of an entry of :data:`SAFE_GLOBALS`."""
    if isinstance(entry, tuple):
        return entry[1]
    return f'{entry.__module__}.{entry.__qualname__}'


def _numpy_globals() -> list:
    """The numpy types a ``HistoryBuffer``'s arrays pickle with."""
    if np.__version__.startswith('1.'):
        from numpy.core import multiarray
        module = 'numpy.core.multiarray'
    else:
        from numpy._core import multiarray
        module = 'numpy._core.multiarray'
    # a dtype unpickles as an instance of its class (np.dtypes.Float64DType);
    # object arrays are left out
    dtype_classes = {
        type(np.dtype(t))
        for t in np.sctypeDict.values() if np.dtype(t).kind != 'O'
    }
    return [
        np.ndarray, np.dtype,
        (multiarray._reconstruct, f'{module}._reconstruct'),
        (multiarray.scalar, f'{module}.scalar')
    ] + sorted(
        dtype_classes - {np.dtype}, key=_name)


#: What an mmengine checkpoint holds beyond torch's own ``weights_only``
#: types.
SAFE_GLOBALS = [HistoryBuffer, (_history_buffer_method, 'builtins.getattr')
                ] + _numpy_globals()


class UnsafeCheckpointError(pickle.UnpicklingError):
    """A checkpoint holds types that safe loading refuses."""


def _key(path: str) -> str:
    return osp.realpath(osp.expanduser(path))


def _is_trusted(filename: str) -> bool:
    key = _key(filename)
    if any(paths is None or key in paths for paths in _trusted_stack):
        return True
    listed = os.environ.get(TRUST_ENV, '')
    return key in {_key(p) for p in listed.split(os.pathsep) if p}


@contextlib.contextmanager
def trusted_checkpoints(*paths: str) -> Iterator[None]:
    """Load the given checkpoints without the safety checks, in this block.

    Only for files from a source you trust: unpickling them may run code.

    Args:
        *paths (str): The trusted checkpoint files; none: every checkpoint
            loaded inside the block.

    Example:
        >>> with trusted_checkpoints('legacy.pth'):
        ...     runner.load_checkpoint('legacy.pth')
    """
    _trusted_stack.append({_key(p) for p in paths} if paths else None)
    try:
        yield
    finally:
        _trusted_stack.pop()


def _refused_types(filename: str) -> List[str]:
    """The globals of ``filename`` that :data:`SAFE_GLOBALS` do not allow."""
    allowed = {_name(entry) for entry in SAFE_GLOBALS}
    try:
        found = torch.serialization.get_unsafe_globals_in_checkpoint(filename)
    except Exception:  # not a zip checkpoint: only the error tells
        return []
    return [name for name in found if name not in allowed]


def _unsafe_error(filename: str, cause: Exception) -> UnsafeCheckpointError:
    refused = _refused_types(filename)
    if not refused:  # an allowed global used to build a refused object
        reason = str(cause).split('WeightsUnpickler error:')[-1]
        refused = [reason.split('Check the documentation')[0].strip()]
    return UnsafeCheckpointError(
        f'refused to load checkpoint {filename}: it holds types that safe '
        f'loading does not allow ({", ".join(refused)}); unpickling them '
        'could run code. If you trust this file, load it with '
        f'{TRUST_ENV}={filename} in the environment (per run), or inside '
        '`with mmocr_wecromcl.engine.trusted_checkpoints(path):` (per call).')


#: What to do about a config's ``load_from`` that does not exist.
LOAD_FROM_HINT = ("train it first (the config's comments say how), point "
                  'load_from at another one with --cfg-options '
                  'load_from=PATH, or start from scratch with --cfg-options '
                  'load_from=None')


def load_checkpoint_safely(filename: str,
                           map_location: MapLocation = None,
                           trusted: bool = False) -> dict:
    """Load a local checkpoint with ``weights_only=True`` and mmengine's types.

    Args:
        filename (str): Path of the checkpoint (``~`` is expanded).
        map_location (str, torch.device or callable, optional): As for
            :func:`torch.load`.
        trusted (bool): Load without the checks (unpickling may run code):
            only for a file you trust. Also on inside
            :func:`trusted_checkpoints` or for a path in the environment
            variable ``MMOCR_WECROMCL_TRUSTED_CHECKPOINTS``.

    Returns:
        dict: The checkpoint.

    Raises:
        FileNotFoundError: If there is no such file.
        UnsafeCheckpointError: If it holds a type outside
            :data:`SAFE_GLOBALS` and is not trusted.
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint {filename} can not be found.')
    if trusted or _is_trusted(filename):
        return torch.load(
            filename, map_location=map_location, weights_only=False)
    try:
        with torch.serialization.safe_globals(SAFE_GLOBALS):
            return torch.load(
                filename, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as e:
        raise _unsafe_error(filename, e) from None


def load_from_local_safely(filename: str,
                           map_location: MapLocation = None) -> dict:
    """The loader of local paths registered into mmengine.

    It loads a config's ``load_from`` and ``--resume`` checkpoints in any
    training script that imports the plugin (MMOCR's own ``tools/train.py``
    under ``mim train`` included), so a missing file is reported with what
    to do about it.

    Args:
        filename (str): Path of the checkpoint.
        map_location (str, torch.device or callable, optional): As for
            :func:`torch.load`.

    Returns:
        dict: The checkpoint (:func:`load_checkpoint_safely`).

    Raises:
        FileNotFoundError: If there is no such file.
    """
    try:
        return load_checkpoint_safely(filename, map_location)
    except FileNotFoundError:
        raise FileNotFoundError(
            f'checkpoint {filename} can not be found. If it is the '
            f"config's load_from: {LOAD_FROM_HINT}") from None


def load_from_http_safely(filename: str,
                          map_location: MapLocation = None,
                          model_dir: Optional[str] = None) -> dict:
    """mmengine's URL loader, with the types of :func:`load_checkpoint_safely`.

    Args:
        filename (str): The URL.
        map_location (str, torch.device or callable, optional): As for
            :func:`torch.load`.
        model_dir (str, optional): Where the download is cached.

    Returns:
        dict: The checkpoint.
    """
    with torch.serialization.safe_globals(SAFE_GLOBALS):
        return load_from_http(filename, map_location, model_dir)


def register_checkpoint_loader() -> None:
    """Make mmengine load local paths and URLs with the safe loaders.

    Idempotent; called when :mod:`mmocr_wecromcl` is imported, so
    ``tools/train.py --resume``, ``load_from`` and ``mim train`` with
    ``custom_imports`` load mmengine checkpoints under torch >= 2.6 and
    still refuse ones that could run code.
    """
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_from_local_safely, force=True)
    CheckpointLoader.register_scheme(
        prefixes=('http://', 'https://'),
        loader=load_from_http_safely,
        force=True)
