# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .inference import init_model
from .pseudo_labels import (PseudoLabelWriter, load_annotations,
                            pseudo_instances, pseudo_label_metainfo)

__all__ = [
    'init_model', 'PseudoLabelWriter', 'load_annotations', 'pseudo_instances',
    'pseudo_label_metainfo'
]
