# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Registration of the plugin's modules into MMOCR's registries."""
from mmengine import DefaultScope


def register_all_modules(init_default_scope: bool = True) -> None:
    """Register MMOCR's and this plugin's modules.

    Like :func:`mmocr.utils.register_all_modules`, importing the submodules is
    what registers them (each class is decorated with a ``mmocr.registry``
    registry).

    Args:
        init_default_scope (bool): Whether to set the default scope to
            ``'mmocr'`` as MMOCR's helper does. Defaults to True.
    """
    from mmocr.utils import register_all_modules as register_mmocr
    register_mmocr(init_default_scope=False)
    import mmocr_wecromcl.datasets  # noqa: F401
    import mmocr_wecromcl.engine  # noqa: F401
    import mmocr_wecromcl.evaluation  # noqa: F401
    import mmocr_wecromcl.models  # noqa: F401
    import mmocr_wecromcl.visualization  # noqa: F401
    if init_default_scope and DefaultScope.get_current_instance() is None:
        DefaultScope.get_instance('mmocr', scope_name='mmocr')
