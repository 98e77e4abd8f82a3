# Stage-1 data pipelines of the paper recipe. Training samples carry the
# image, its transcriptions and mined negatives only.
_dictionary = dict(
    type='Dictionary',
    dict_file='{{ fileDirname }}/../../../mmocr_wecromcl/resources/dicts/'
    'lower_english_digits_symbols.txt')

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
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(type='NormalizeTranscriptions', dictionary=_dictionary),
    dict(type='Resize', scale=(640, 640), keep_ratio=False),
    *wecromcl_augment,
    dict(type='NegativeSampleMining', num_negatives=16),
    dict(type='PackTranscriptionInputs'),
]

# Fine-tuning: short side random in 640..896, long side <= 1280.
wecromcl_finetune_pipeline = [
    dict(type='LoadImageFromFile', ignore_empty=True, min_size=8),
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(type='NormalizeTranscriptions', dictionary=_dictionary),
    dict(
        type='RandomChoiceResize',
        scales=[(1280, s) for s in range(640, 897, 32)],
        keep_ratio=True),
    *wecromcl_augment,
    dict(type='NegativeSampleMining', num_negatives=16),
    dict(type='PackTranscriptionInputs'),
]


def _test_pipeline(scale):
    # Annotations are loaded after the resize so that the GT used by the
    # metric stays in original-image coordinates.
    return [
        dict(type='LoadImageFromFile'),
        dict(type='Resize', scale=scale, keep_ratio=True),
        dict(type='LoadOCRAnnotations', with_polygon=True, with_text=True),
        dict(type='PackTranscriptionInputs', with_eval_gt=True),
    ]


# Inference resize (paper): IC13 long side 1152, IC15 long side 1696,
# Total-Text short side 896, CTW1500 short side 992.
wecromcl_test_pipeline_icdar2013 = _test_pipeline((1152, 1152))
wecromcl_test_pipeline_icdar2015 = _test_pipeline((1696, 1696))
wecromcl_test_pipeline_totaltext = _test_pipeline((100000, 896))
wecromcl_test_pipeline_ctw1500 = _test_pipeline((100000, 992))
