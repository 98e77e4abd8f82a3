# WeCromCL, paper configuration: ResNet-50 -> 2x BiFPN (256) -> two fused
# 192-channel levels (strides 4, 8) -> 6-layer deformable encoder (d 192,
# 8 heads, 4 points, FFN 256, dropout 0.1) -> stride 8 -> 1x1 conv to 512;
# the BiFPN and the level fusion wired as the authors' stage-1 code wires
# them (the paper does not say; docs/benchmarks.md measures both wirings);
# character-wise text encoder 12 layers, width 512, 8 heads; single-head
# text-as-query activation head, temperature 0.07.
_base_ = ['shared.py']

dictionary = _base_.dictionary

embed_dims = 512
# The text encoder's maximum word length; the pipelines cut words to it too.
max_seq_len = 25
d_model = 192
# Mined negatives per image (paper code: 16).
num_negatives = 16

model = dict(
    type='WeCromCL',
    data_preprocessor=_base_.data_preprocessor,
    image_encoder=dict(
        type='WeCromCLImageEncoder',
        backbone=_base_.resnet50_backbone,
        neck=dict(
            type='BiFPN',
            in_channels=[256, 512, 1024, 2048],
            out_channels=256,
            num_blocks=2,
            **_base_.authors_wiring.neck),
        fusion=dict(
            type='PyramidLevelFusion',
            in_channels=256,
            groups=((2, 1, 0), (3, 2, 1)),
            proj_channels=d_model // 3,
            **_base_.authors_wiring.fusion),
        channels_last=True,
        encoder=dict(
            num_layers=6,
            layer_cfg=dict(
                self_attn_cfg=dict(
                    embed_dims=d_model,
                    num_heads=8,
                    num_levels=2,
                    num_points=4,
                    dropout=0.1,
                    batch_first=True),
                ffn_cfg=dict(
                    embed_dims=d_model, feedforward_channels=256,
                    ffn_drop=0.1))),
        level_strides=(4, 8),
        out_level=1,
        out_channels=embed_dims),
    text_encoder=dict(
        type='CharacterTextEncoder',
        dictionary=dictionary,
        width=512,
        num_layers=12,
        num_heads=8,
        embed_dims=embed_dims,
        max_seq_len=max_seq_len,
        pool_padding=False),
    head=dict(
        type='CrossModalActivationHead',
        embed_dims=embed_dims,
        init_temperature=0.07),
    module_loss=dict(type='WeCromCLContrastiveLoss'),
    postprocessor=dict(type='PointPeakPostprocessor', peak_kernel=5),
    test_cfg=dict(with_maps=False))

test_evaluator = dict(type='AnchorPointMetric', dictionary=dictionary)
val_evaluator = test_evaluator

visualizer = dict(
    type='TextSpottingLocalVisualizer',
    name='visualizer',
    vis_backends=[dict(type='LocalVisBackend')])

# Stage-1 data pipelines of the paper recipe. Training samples carry the
# image, its transcriptions and mined negatives only.
# Augmentation (paper code): rotation +-10 deg, blur p 0.1, colour jitter
# p 0.5.
wecromcl_augment = [
    dict(type='RandomRotate', max_angle=10, use_canvas=True),
    dict(
        type='RandomApply',
        prob=0.1,
        transforms=[
            dict(type='TorchVisionWrapper', op='GaussianBlur', kernel_size=5)
        ]),
    dict(
        type='RandomApply',
        prob=0.5,
        transforms=[
            dict(
                type='TorchVisionWrapper',
                op='ColorJitter',
                brightness=32.0 / 255,
                saturation=0.5,
                contrast=0.5)
        ]),
]

wecromcl_pretrain_pipeline = [
    dict(type='LoadImageFromFile', ignore_empty=True, min_size=8),
    dict(type='LoadTranscriptionAnnotations'),
    dict(
        type='NormalizeTranscriptions',
        dictionary=dictionary,
        max_seq_len=max_seq_len),
    dict(type='Resize', scale=(640, 640), keep_ratio=False),
    *wecromcl_augment,
    dict(type='NegativeSampleMining', num_negatives=num_negatives),
    dict(type='PackTranscriptionInputs'),
]

# Fine-tuning: short side random in 640..896, long side <= 1280.
wecromcl_finetune_pipeline = [
    dict(type='LoadImageFromFile', ignore_empty=True, min_size=8),
    dict(type='LoadTranscriptionAnnotations'),
    dict(
        type='NormalizeTranscriptions',
        dictionary=dictionary,
        max_seq_len=max_seq_len),
    dict(
        type='RandomChoiceResize',
        scales=[(1280, s) for s in range(640, 897, 32)],
        keep_ratio=True),
    *wecromcl_augment,
    dict(type='NegativeSampleMining', num_negatives=num_negatives),
    dict(type='PackTranscriptionInputs'),
]


def _test_pipeline(scale):
    # Annotations are loaded after the resize so that the GT used by the
    # metric stays in original-image coordinates.
    return [
        dict(type='LoadImageFromFile'),
        dict(type='Resize', scale=scale, keep_ratio=True),
        dict(
            type='LoadOCRAnnotations',
            with_polygon=True,
            with_bbox=True,
            with_text=True),
        dict(type='PackTranscriptionInputs', with_eval_gt=True),
    ]


# Inference resize (paper): IC13 long side 1152, IC15 long side 1696,
# Total-Text short side 896, CTW1500 short side 992.
wecromcl_test_pipeline_icdar2013 = _test_pipeline((1152, 1152))
wecromcl_test_pipeline_icdar2015 = _test_pipeline((1696, 1696))
wecromcl_test_pipeline_totaltext = _test_pipeline((100000, 896))
wecromcl_test_pipeline_ctw1500 = _test_pipeline((100000, 992))
