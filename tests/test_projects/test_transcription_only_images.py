# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Smoke test of projects/TranscriptionOnlyImages: the config loads through
``custom_imports``, holds both kinds of images with the points their files
give, and trains."""
import json
import os.path as osp

import numpy as np
import torch
from mmocr.registry import DATASETS

from mmocr_wecromcl.apis import point_instance
from mmocr_wecromcl.engine import build_runner
import make_synthetic_dataset
import train as train_tool

CONFIG = ('projects/TranscriptionOnlyImages/configs/'
          'srsts-a_resnet18_bifpn-deform_1xb16-3k_gt-and-pseudo-points_'
          'synthetic.py')
SIZE = 96


def _split(root: str) -> list:
    """Images 0-1 keep their boxes; images 2-3 get pseudo points (the GT
    centres moved by (3, 2) pixels, as a labeller would place them)."""
    with open(osp.join(root, 'textspotting_train.json')) as f:
        source = json.load(f)
    labelled = dict(source, data_list=source['data_list'][:2])
    pseudo = []
    for entry in source['data_list'][2:]:
        instances = []
        for inst in entry['instances']:
            x, y = np.reshape(inst['polygon'], (-1, 2)).mean(0) + (3, 2)
            instances.append(point_instance(inst['text'], x, y, 0.9))
        pseudo.append(dict(entry, instances=instances))
    for name, data in (('labelled', labelled), ('pseudo',
                                                dict(source,
                                                     data_list=pseudo))):
        with open(osp.join(root, f'textspotting_train_{name}.json'), 'w') as f:
            json.dump(data, f)
    return pseudo


def test_project_config_mixes_boxes_and_pseudo_points_and_trains(
        repo_root, tmp_path):
    root = str(tmp_path / 'data')
    make_synthetic_dataset.main([
        '--out-dir', root, '--num-train', '4', '--num-test', '1', '--img-size',
        str(SIZE), '--preset', 'easy', '--no-progress', '--workers', '1'
    ])
    pseudo = _split(root)
    args = train_tool.parse_args([
        osp.join(repo_root, CONFIG), '--work-dir',
        str(tmp_path / 'work'), '--cfg-options', 'train_cfg.max_iters=2',
        'train_cfg.val_interval=2', 'train_dataloader.batch_size=4',
        'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        'val_dataloader.num_workers=0',
        'val_dataloader.persistent_workers=False', 'param_scheduler.0.end=1',
        'param_scheduler.1.begin=1'
    ])
    cfg = train_tool.build_train_config(args)
    assert cfg.custom_imports.imports == ['mmocr_wecromcl']
    datasets = cfg.train_dataloader.dataset.datasets
    for dataset in [*datasets, cfg.val_dataloader.dataset]:
        dataset.data_root = root
        for step in dataset.pipeline:
            if step['type'] == 'Resize':
                step['scale'] = (SIZE, SIZE)

    train_set = DATASETS.build(cfg.train_dataloader.dataset)
    assert len(train_set) == 4
    # an image with transcriptions only: its points are the pseudo points
    sample = train_set[2]['data_samples']
    scale = np.asarray(sample.scale_factor)
    expected = np.array([inst['point'] for inst in pseudo[0]['instances']])
    np.testing.assert_allclose(
        sample.gt_instances.points.numpy(), expected * scale, atol=0.05)
    assert sample.gt_instances.texts == [
        inst['text'] for inst in pseudo[0]['instances']
    ]

    runner = build_runner(cfg)
    runner.train()
    losses = runner.message_hub.get_scalar('train/loss').data[0]
    assert len(losses) == 2 and np.isfinite(losses).all()
    assert torch.isfinite(next(runner.model.parameters())).all()
