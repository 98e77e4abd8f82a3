# What both stages' paper configurations share: the dictionary (MMOCR's
# Dictionary over case-insensitive letters, digits and punctuation), MMOCR's
# data preprocessor and mmdet's ResNet-50 (ImageNet weights when they can be
# downloaded, as the paper starts from; set init_cfg=None without internet).
dictionary = dict(
    type='Dictionary',
    dict_file='{{ fileDirname }}/../../../mmocr_wecromcl/resources/dicts/'
    'lower_english_digits_symbols.txt',
    with_start=False,
    with_end=False,
    with_padding=False,
    with_unknown=False)

data_preprocessor = dict(
    type='TextDetDataPreprocessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_size_divisor=32)

resnet50_backbone = dict(
    type='mmdet.ResNet',
    depth=50,
    num_stages=4,
    out_indices=(0, 1, 2, 3),
    frozen_stages=-1,
    norm_cfg=dict(type='BN', requires_grad=True),
    norm_eval=False,
    style='pytorch',
    init_cfg=dict(type='Pretrained', checkpoint='torchvision://resnet50'))

# The image encoder's wiring as the authors' stage-1 code has it (not in the
# paper; docs/benchmarks.md measures both): 3x3 conv-BN-ReLU BiFPN laterals,
# Swish then a 1x1 conv at each BiFPN node, and level fusion that projects
# each level at its own resolution before resizing it.
authors_wiring = dict(
    neck=dict(
        lateral_cfg=dict(
            kernel_size=3, norm_cfg=dict(type='BN'),
            act_cfg=dict(type='ReLU')),
        node_cfg=dict(
            kernel_size=1,
            norm_cfg=None,
            act_cfg=dict(type='Swish'),
            order=('act', 'conv', 'norm'))),
    fusion=dict(project_first=True))
