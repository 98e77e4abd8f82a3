# WeCromCL, paper configuration: ResNet-50 -> 2x BiFPN (256) -> two fused
# 192-channel levels (strides 4, 8) -> 6-layer deformable encoder (d 192,
# 8 heads, 4 points, FFN 256, dropout 0.1) -> stride 8 -> 1x1 conv to 512;
# character-wise text encoder 12 layers, width 512, 8 heads; single-head
# text-as-query activation head, temperature 0.07.
dictionary = dict(
    type='Dictionary',
    dict_file='{{ fileDirname }}/../../../mmocr_wecromcl/resources/dicts/'
    'lower_english_digits_symbols.txt',
    with_start=False,
    with_end=False,
    with_padding=False,
    with_unknown=False)

embed_dims = 512
d_model = 192

model = dict(
    type='WeCromCL',
    data_preprocessor=dict(
        type='TextDetDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True,
        pad_size_divisor=32),
    image_encoder=dict(
        type='WeCromCLImageEncoder',
        backbone=dict(
            type='mmdet.ResNet',
            depth=50,
            num_stages=4,
            out_indices=(0, 1, 2, 3),
            frozen_stages=-1,
            norm_cfg=dict(type='BN', requires_grad=True),
            norm_eval=False,
            style='pytorch',
            # ImageNet weights when they can be downloaded (the paper's
            # start); set to None on machines without internet.
            init_cfg=dict(type='Pretrained',
                          checkpoint='torchvision://resnet50')),
        neck=dict(
            type='BiFPN',
            in_channels=[256, 512, 1024, 2048],
            out_channels=256,
            num_blocks=2),
        fusion=dict(
            type='PyramidLevelFusion',
            in_channels=256,
            groups=((2, 1, 0), (3, 2, 1)),
            proj_channels=d_model // 3),
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
                    embed_dims=d_model,
                    feedforward_channels=256,
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
        max_len=25,
        pool_padding=False),
    head=dict(
        type='CrossModalActivationHead',
        embed_dims=embed_dims,
        init_temperature=0.07),
    loss=dict(type='WeCromCLContrastiveLoss'),
    test_cfg=dict(peak_kernel=5, with_maps=False))

# Stage-1 samples carry image + transcriptions + mined negatives, nothing
# else (PackTranscriptionInputs never packs a location for training).
num_negatives = 16

test_evaluator = dict(type='AnchorPointMetric', dictionary=dictionary)
val_evaluator = test_evaluator

visualizer = dict(
    type='TextSpottingLocalVisualizer',
    name='visualizer',
    vis_backends=[dict(type='LocalVisBackend')])
