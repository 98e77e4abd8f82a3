# ICDAR 2015 on the outputs of MMOCR's dataset preparer:
#   python tools/dataset_converters/prepare_dataset.py icdar2015 --task textspotting
# (run from an MMOCR checkout; it writes data/icdar2015/textspotting_{train,test}.json
# and, where the dataset has them, data/icdar2015/lexicons/).
icdar2015_textspotting_data_root = 'data/icdar2015'

icdar2015_textspotting_train = dict(
    type='TextSpottingDataset',
    data_root=icdar2015_textspotting_data_root,
    ann_file='textspotting_train.json',
    filter_cfg=dict(filter_empty_gt=True, min_size=32),
    pipeline=None)

icdar2015_textspotting_test = dict(
    type='TextSpottingDataset',
    data_root=icdar2015_textspotting_data_root,
    ann_file='textspotting_test.json',
    test_mode=True,
    pipeline=None)
