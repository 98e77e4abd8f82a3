# SRSTS-A fine-tuned on SCUT-CTW1500 pseudo points (paper: 3k iterations from
# the pseudo-point pretraining), evaluated end to end on the GT test set.
_base_ = [
    '../_base_/models/srsts-a_resnet50_bifpn-deform.py',
    '../_base_/datasets/ctw1500.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_adam_3k.py',
]

load_from = 'work_dirs/srsts-a_resnet50_bifpn-deform_1xb8-425k_pseudo-mixed/' \
    'iter_425000.pth'

ctw1500_textspotting_train = _base_.ctw1500_textspotting_train
ctw1500_textspotting_train.ann_file = 'textspotting_train_pseudo.json'
ctw1500_textspotting_train.pipeline = _base_.srsts_train_pipeline
ctw1500_textspotting_test = _base_.ctw1500_textspotting_test
ctw1500_textspotting_test.pipeline = _base_.srsts_test_pipeline_ctw1500

train_dataloader = dict(
    batch_size=8,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=ctw1500_textspotting_train)
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=ctw1500_textspotting_test)
test_dataloader = val_dataloader

val_evaluator = [
    dict(type='PointSpottingMetric', lexicon_type=None),
]
test_evaluator = val_evaluator
