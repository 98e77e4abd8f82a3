# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .inference import init_model
from .inferencers import PointSpotInferencer, WordLocateInferencer
from .pseudo_label_refinement import recenter_points, refine_points
from .pseudo_labels import (PseudoLabelWriter, evaluate_pseudo_labels,
                            moved_instances, point_instance, pseudo_instances,
                            pseudo_label_metainfo)

__all__ = [
    'init_model', 'PointSpotInferencer', 'WordLocateInferencer',
    'recenter_points', 'refine_points', 'PseudoLabelWriter',
    'evaluate_pseudo_labels', 'point_instance', 'pseudo_instances',
    'pseudo_label_metainfo', 'moved_instances'
]
