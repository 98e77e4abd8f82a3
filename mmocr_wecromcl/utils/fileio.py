# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Files written so that an interruption never leaves one half written."""
import json
import os
import os.path as osp
import tempfile


def dump_json_atomic(obj: object, path: str, **kwargs) -> None:
    """Write JSON to a temporary file next to ``path``, then rename it.

    Args:
        obj (object): A JSON-serialisable object.
        path (str): The destination; readers never see it half written,
            and it is on disk when this returns. Its folder is created if
            needed.
        **kwargs: More arguments of :func:`json.dump` (e.g. ``indent``).
    """
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp_path = tempfile.mkstemp(dir=folder, suffix='.tmp')
    try:
        with os.fdopen(fd, 'w') as f:
            json.dump(obj, f, **kwargs)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp_path, path)
    except BaseException:
        os.remove(tmp_path)
        raise
