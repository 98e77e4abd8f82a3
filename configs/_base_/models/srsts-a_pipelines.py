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
        dict(type='LoadOCRAnnotations', with_polygon=True, with_text=True),
        dict(type='PackPointSpottingInputs', with_eval_gt=True),
    ]


# Test short side (paper): IC13 864, IC15 864, Total-Text 1440, CTW 576.
srsts_test_pipeline_icdar2013 = _test_pipeline((100000, 864))
srsts_test_pipeline_icdar2015 = _test_pipeline((100000, 864))
srsts_test_pipeline_totaltext = _test_pipeline((100000, 1440))
srsts_test_pipeline_ctw1500 = _test_pipeline((100000, 576))
