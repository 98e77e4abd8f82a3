# ICDAR 2013 on the outputs of MMOCR's dataset preparer:
#   python tools/dataset_converters/prepare_dataset.py icdar2013 --task textspotting
# (run from an MMOCR checkout; it writes data/icdar2013/textspotting_{train,test}.json
# and, where the dataset has them, data/icdar2013/lexicons/).
icdar2013_textspotting_data_root = 'data/icdar2013'

icdar2013_textspotting_train = dict(
    type='TextSpottingDataset',
    data_root=icdar2013_textspotting_data_root,
    ann_file='textspotting_train.json',
    filter_cfg=dict(filter_empty_gt=True, min_size=32),
    pipeline=None)

icdar2013_textspotting_test = dict(
    type='TextSpottingDataset',
    data_root=icdar2013_textspotting_data_root,
    ann_file='textspotting_test.json',
    test_mode=True,
    pipeline=None)
