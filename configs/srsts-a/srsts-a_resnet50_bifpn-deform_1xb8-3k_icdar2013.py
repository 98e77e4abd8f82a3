# SRSTS-A fine-tuned on ICDAR 2013 pseudo points (paper: 3k iterations from
# the pseudo-point pretraining), evaluated end to end on the GT test set.
_base_ = [
    '../_base_/models/srsts-a_resnet50_bifpn-deform.py',
    '../_base_/datasets/icdar2013.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_adam_3k.py',
]

load_from = 'work_dirs/srsts-a_resnet50_bifpn-deform_1xb8-425k_pseudo-mixed/' \
    'iter_425000.pth'

icdar2013_textspotting_train = _base_.icdar2013_textspotting_train
icdar2013_textspotting_train.ann_file = 'textspotting_train_pseudo.json'
icdar2013_textspotting_train.pipeline = _base_.srsts_train_pipeline
icdar2013_textspotting_test = _base_.icdar2013_textspotting_test
icdar2013_textspotting_test.pipeline = _base_.srsts_test_pipeline_icdar2013

train_dataloader = dict(
    batch_size=8,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=icdar2013_textspotting_train)
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=icdar2013_textspotting_test)
test_dataloader = val_dataloader

val_evaluator = [
    dict(type='PointSpottingMetric', lexicon_type=None),
    dict(
        type='PointSpottingMetric',
        lexicon_type='strong',
        lexicon_dir=_base_.icdar2013_textspotting_data_root + '/lexicons'),
    dict(
        type='PointSpottingMetric',
        lexicon_type='weak',
        lexicon_dir=_base_.icdar2013_textspotting_data_root + '/lexicons',
        lexicon_file='ch2_test_vocabulary_new.txt',
        pair_file='ch2_test_vocabulary_pair_list.txt'),
    dict(
        type='PointSpottingMetric',
        lexicon_type='generic',
        lexicon_dir=_base_.icdar2013_textspotting_data_root + '/lexicons'),
]
test_evaluator = val_evaluator
