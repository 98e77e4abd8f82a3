# The shared image encoder scaled down for 2 CPU cores (same modules as the
# paper configuration): ResNet-18 at half width, 2x BiFPN (48), two fused
# 96-channel levels (strides 4, 8), a 2-layer deformable encoder without
# dropout, stride-8 output.
small_dictionary = dict(
    type='Dictionary',
    dict_file='{{ fileDirname }}/../../../mmocr_wecromcl/resources/dicts/'
    'lower_english_digits.txt')
small_d_model = 96
small_embed_dims = 128
small_img_scale = (192, 192)

small_image_encoder = dict(
    type='WeCromCLImageEncoder',
    backbone=dict(
        type='mmdet.ResNet',
        depth=18,
        num_stages=4,
        out_indices=(0, 1, 2, 3),
        base_channels=32,
        norm_cfg=dict(type='BN', requires_grad=True),
        style='pytorch',
        init_cfg=None),
    neck=dict(
        type='BiFPN',
        in_channels=[32, 64, 128, 256],
        out_channels=48,
        num_blocks=2),
    fusion=dict(
        type='PyramidLevelFusion',
        in_channels=48,
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
                dropout=0.0,
                batch_first=True),
            ffn_cfg=dict(
                embed_dims=small_d_model,
                feedforward_channels=128,
                ffn_drop=0.0))),
    level_strides=(4, 8),
    out_level=1,
    out_channels=small_embed_dims,
    channels_last=True)
