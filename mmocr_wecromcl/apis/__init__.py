# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .inference import init_model
from .inferencers import PointSpotInferencer, WordLocateInferencer
from .pseudo_labels import (PseudoLabelWriter, evaluate_pseudo_labels,
                            load_annotations, moved_instances, point_instance,
                            pseudo_instances, pseudo_label_metainfo)

__all__ = [
    'init_model', 'PointSpotInferencer', 'WordLocateInferencer',
    'PseudoLabelWriter', 'evaluate_pseudo_labels', 'load_annotations',
    'point_instance', 'pseudo_instances', 'pseudo_label_metainfo',
    'moved_instances'
]
