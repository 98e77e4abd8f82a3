# SynthText (800k) on the outputs of MMOCR's dataset preparer:
#   python tools/dataset_converters/prepare_dataset.py synthtext --task textspotting
# Only a training split exists.
synthtext_textspotting_data_root = 'data/synthtext'

synthtext_textspotting_train = dict(
    type='TextSpottingDataset',
    data_root=synthtext_textspotting_data_root,
    ann_file='textspotting_train.json',
    filter_cfg=dict(filter_empty_gt=True, min_size=32),
    pipeline=None)
