# SRSTS-A, small configuration of the same modules for the embedded
# synthetic default on 2 CPU cores, trained on GT centre points (polygon
# vertex mean, LoadPointAnnotations): the reference for training on pseudo
# points, and the fully supervised pretraining that can initialise the
# shared image encoder of WeCromCL.
_base_ = [
    '../_base_/models/srsts-a_resnet50_bifpn-deform.py',
    '../_base_/models/image_encoder_small.py',
    '../_base_/datasets/synthetic_default.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_adamw_cosine_3k.py',
]

dictionary = _base_.small_dictionary
img_scale = _base_.small_img_scale

# Words of the synthetic default span 7 to 21 stride-8 cells at 192 px
# (median 13): the initial row of sampling points covers 16 cells, so that
# CTC sees most characters from the first iteration.
model = dict(
    dictionary=dictionary,
    image_encoder=dict(_delete_=True, **_base_.small_image_encoder),
    recog_head=dict(
        sampler=dict(init_radius=8.0),
        embed_dims=128,
        num_layers=1,
        num_heads=4,
        feedforward_channels=256))

train_pipeline = [
    dict(type='LoadImageFromFile', ignore_empty=True, min_size=8),
    dict(type='LoadPointAnnotations'),
    dict(type='Resize', scale=img_scale, keep_ratio=False),
    dict(type='PackPointSpottingInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=img_scale, keep_ratio=False),
    dict(
        type='LoadOCRAnnotations',
        with_polygon=True,
        with_bbox=True,
        with_text=True),
    dict(type='PackPointSpottingInputs', with_eval_gt=True),
]

synthetic_textspotting_train = _base_.synthetic_textspotting_train
synthetic_textspotting_train.pipeline = train_pipeline
synthetic_textspotting_test = _base_.synthetic_textspotting_test
synthetic_textspotting_test.pipeline = test_pipeline

train_dataloader = dict(
    batch_size=16,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=synthetic_textspotting_train)
val_dataloader = dict(
    batch_size=8,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=synthetic_textspotting_test)
test_dataloader = val_dataloader

val_evaluator = dict(type='PointSpottingMetric')
test_evaluator = val_evaluator

default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(interval=500, save_best='none/hmean', rule='greater'))
