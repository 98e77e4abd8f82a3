# SRSTS-A pretraining on WeCromCL pseudo points (paper: synthetic + MLT17 +
# IC13 + IC15 + Total-Text, 425k iterations). MMOCR's dataset preparer has
# no MLT17, so it is left out here; add its pseudo labels the same way.
# Each textspotting_train_pseudo.json is written by
#   python tools/generate_pseudo_labels.py <wecromcl config> <checkpoint> \
#       --ann-file data/<name>/textspotting_train.json \
#       --out data/<name>/textspotting_train_pseudo.json
_base_ = [
    '../_base_/models/srsts-a_resnet50_bifpn-deform.py',
    '../_base_/datasets/synthtext.py',
    '../_base_/datasets/icdar2013.py',
    '../_base_/datasets/icdar2015.py',
    '../_base_/datasets/totaltext.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_adam_425k.py',
]


def _pseudo(dataset):
    return dict(
        dataset,
        ann_file='textspotting_train_pseudo.json',
        pipeline=_base_.srsts_train_pipeline)


train_dataloader = dict(
    batch_size=8,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type='ConcatDataset',
        datasets=[
            _pseudo(_base_.synthtext_textspotting_train),
            _pseudo(_base_.icdar2013_textspotting_train),
            _pseudo(_base_.icdar2015_textspotting_train),
            _pseudo(_base_.totaltext_textspotting_train),
        ]))
val_dataloader = None
val_cfg = None
val_evaluator = None
test_dataloader = None
test_cfg = None
test_evaluator = None
