# SRSTS-A, paper configuration: the shared image encoder configured DeepSolo
# style (ResNet-50, input projections of C3..C5 to 256 channels, a 6-layer
# deformable encoder over 3 levels, d 256, stride-8 output), an anchor head
# trained with focal loss, 25 sampling offsets per anchor, a CTC
# recognition head. Max word length 25.
_base_ = ['shared.py']

dictionary = _base_.dictionary

d_model = 256

model = dict(
    type='SRSTSA',
    dictionary=dictionary,
    data_preprocessor=_base_.data_preprocessor,
    image_encoder=dict(
        type='WeCromCLImageEncoder',
        backbone=_base_.resnet50_backbone,
        neck=dict(
            type='BiFPN',
            in_channels=[256, 512, 1024, 2048],
            out_channels=256,
            num_blocks=1),
        # One level per group: C3, C4, C5 projected to d_model (DeepSolo's
        # input projections).
        fusion=dict(
            type='PyramidLevelFusion',
            in_channels=256,
            groups=((1, ), (2, ), (3, )),
            proj_channels=d_model),
        encoder=dict(
            num_layers=6,
            layer_cfg=dict(
                self_attn_cfg=dict(
                    embed_dims=d_model,
                    num_heads=8,
                    num_levels=3,
                    num_points=4,
                    dropout=0.1,
                    batch_first=True),
                ffn_cfg=dict(
                    embed_dims=d_model,
                    feedforward_channels=1024,
                    ffn_drop=0.1))),
        level_strides=(8, 16, 32),
        out_level=0,
        out_channels=d_model,
        channels_last=True),
    anchor_head=dict(
        type='AnchorPointHead',
        module_loss=dict(
            type='AnchorPointModuleLoss',
            loss_anchor=dict(type='PointFocalLoss', alpha=0.25, gamma=2.0)),
        postprocessor=dict(
            type='PointPeakPostprocessor', score_thr=0.3, max_points=100)),
    recog_head=dict(
        type='PointRecognitionHead',
        sampler=dict(type='PointOffsetSampler', num_points=25),
        embed_dims=256,
        num_layers=2,
        num_heads=8,
        max_seq_len=25,
        module_loss=dict(type='PointCTCModuleLoss'),
        postprocessor=dict(type='PointCTCPostprocessor')))

visualizer = dict(
    type='TextSpottingLocalVisualizer',
    name='visualizer',
    vis_backends=[dict(type='LocalVisBackend')])

# Stage-2 data pipelines (DeepSolo's augmentation without random cropping).
srsts_train_pipeline = [
    dict(type='LoadImageFromFile', ignore_empty=True, min_size=8),
    dict(type='LoadPointAnnotations'),
    dict(
        type='RandomChoiceResize',
        scales=[(1600, s) for s in range(480, 897, 32)],
        keep_ratio=True),
    dict(type='RandomRotate', max_angle=10, use_canvas=True),
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
    dict(type='PackPointSpottingInputs'),
]


def _test_pipeline(scale):
    # Annotations are loaded after the resize: GT stays in original pixels.
    return [
        dict(type='LoadImageFromFile'),
        dict(type='Resize', scale=scale, keep_ratio=True),
        dict(
            type='LoadOCRAnnotations',
            with_polygon=True,
            with_bbox=True,
            with_text=True),
        dict(type='PackPointSpottingInputs', with_eval_gt=True),
    ]


# Test short side (paper): IC13 864, IC15 864, Total-Text 1440, CTW 576.
srsts_test_pipeline_icdar2013 = _test_pipeline((100000, 864))
srsts_test_pipeline_icdar2015 = _test_pipeline((100000, 864))
srsts_test_pipeline_totaltext = _test_pipeline((100000, 1440))
srsts_test_pipeline_ctw1500 = _test_pipeline((100000, 576))
