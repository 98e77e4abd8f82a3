# The shared image encoder scaled down for 2 CPU cores (same modules as the
# paper configuration): ResNet-18, 2x BiFPN (64), two fused 96-channel
# levels (strides 4, 8), a 2-layer deformable encoder, stride-8 output.
small_dictionary = dict(
    type='Dictionary',
    dict_file='{{ fileDirname }}/../../../mmocr_wecromcl/resources/dicts/'
    'lower_english_digits.txt')
small_d_model = 96
small_embed_dims = 128
small_img_scale = (256, 256)

small_image_encoder = dict(
    type='WeCromCLImageEncoder',
    backbone=dict(
        type='mmdet.ResNet',
        depth=18,
        num_stages=4,
        out_indices=(0, 1, 2, 3),
        norm_cfg=dict(type='BN', requires_grad=True),
        style='pytorch',
        init_cfg=None),
    neck=dict(
        type='BiFPN',
        in_channels=[64, 128, 256, 512],
        out_channels=64,
        num_blocks=2),
    fusion=dict(
        type='PyramidLevelFusion',
        in_channels=64,
        groups=((2, 1, 0), (3, 2, 1)),
        proj_channels=small_d_model // 3),
    encoder=dict(
        num_layers=2,
        layer_cfg=dict(
            self_attn_cfg=dict(
                embed_dims=small_d_model,
                num_heads=4,
                num_levels=2,
                num_points=4,
                dropout=0.1,
                batch_first=True),
            ffn_cfg=dict(
                embed_dims=small_d_model,
                feedforward_channels=128,
                ffn_drop=0.1))),
    level_strides=(4, 8),
    out_level=1,
    out_channels=small_embed_dims)
