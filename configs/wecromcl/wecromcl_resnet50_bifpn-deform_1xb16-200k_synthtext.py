# WeCromCL pretraining on SynthText (paper): 200k iterations, batch 16, SGD
# lr 1e-3 poly, 640x640 inputs.
_base_ = [
    '../_base_/models/wecromcl_resnet50_bifpn-deform.py',
    '../_base_/datasets/synthtext.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_sgd_poly_200k.py',
]

synthtext_textspotting_train = _base_.synthtext_textspotting_train
synthtext_textspotting_train.pipeline = _base_.wecromcl_pretrain_pipeline

train_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    collate_fn=dict(type='transcription_collate'),
    dataset=synthtext_textspotting_train)

# SynthText has no test split: no validation during pretraining.
train_cfg = dict(val_interval=10**9)
val_dataloader = None
val_cfg = None
val_evaluator = None
test_dataloader = None
test_cfg = None
test_evaluator = None
