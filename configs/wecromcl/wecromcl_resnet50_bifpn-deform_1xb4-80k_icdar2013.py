# WeCromCL fine-tuned on ICDAR 2013 (paper): from the SynthText-pretrained
# model, 80k iterations, batch 4, lr 1e-4; short side 640..896, long side
# <= 1280; paper inference resize for ICDAR 2013.
_base_ = [
    '../_base_/models/wecromcl_resnet50_bifpn-deform.py',
    '../_base_/datasets/icdar2013.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_sgd_poly_80k.py',
]

# The checkpoint of wecromcl_resnet50_bifpn-deform_1xb16-200k_synthtext.py.
load_from = ('work_dirs/wecromcl_resnet50_bifpn-deform_1xb16-200k_synthtext/'
             'iter_200000.pth')

icdar2013_textspotting_train = _base_.icdar2013_textspotting_train
icdar2013_textspotting_train.pipeline = _base_.wecromcl_finetune_pipeline
icdar2013_textspotting_test = _base_.icdar2013_textspotting_test
icdar2013_textspotting_test.pipeline = _base_.wecromcl_test_pipeline_icdar2013

train_dataloader = dict(
    batch_size=4,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    collate_fn=dict(type='transcription_collate'),
    dataset=icdar2013_textspotting_train)

val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=icdar2013_textspotting_test)
test_dataloader = val_dataloader
