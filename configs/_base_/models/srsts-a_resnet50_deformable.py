# SRSTS-A, paper configuration: the shared image encoder configured DeepSolo
# style (ResNet-50, input projections of C3..C5 to 256 channels, a 6-layer
# deformable encoder over 3 levels, d 256, stride-8 output), an anchor head
# trained with focal loss, 25 sampling offsets per anchor, a CTC
# recognition head. Max word length 25.
dictionary = dict(
    type='Dictionary',
    dict_file='{{ fileDirname }}/../../../mmocr_wecromcl/resources/dicts/'
    'lower_english_digits_symbols.txt',
    with_start=False,
    with_end=False,
    with_padding=False,
    with_unknown=False)

d_model = 256

model = dict(
    type='SRSTSA',
    dictionary=dictionary,
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
            init_cfg=dict(type='Pretrained',
                          checkpoint='torchvision://resnet50')),
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
        out_channels=d_model),
    anchor_head=dict(
        type='AnchorPointHead',
        loss=dict(type='PointFocalLoss', alpha=0.25, gamma=2.0),
        score_thr=0.3,
        max_anchors=100),
    recog_head=dict(
        type='PointRecognitionHead',
        sampler=dict(type='PointOffsetSampler', num_points=25),
        embed_dims=256,
        num_layers=2,
        num_heads=8,
        max_seq_len=25))

visualizer = dict(
    type='TextSpottingLocalVisualizer',
    name='visualizer',
    vis_backends=[dict(type='LocalVisBackend')])
