# Total-Text on the outputs of MMOCR's dataset preparer:
#   python tools/dataset_converters/prepare_dataset.py totaltext --task textspotting
# (run from an MMOCR checkout; it writes data/totaltext/textspotting_{train,test}.json
# and, where the dataset has them, data/totaltext/lexicons/).
totaltext_textspotting_data_root = 'data/totaltext'

totaltext_textspotting_train = dict(
    type='TextSpottingDataset',
    data_root=totaltext_textspotting_data_root,
    ann_file='textspotting_train.json',
    filter_cfg=dict(filter_empty_gt=True, min_size=32),
    pipeline=None)

totaltext_textspotting_test = dict(
    type='TextSpottingDataset',
    data_root=totaltext_textspotting_data_root,
    ann_file='textspotting_test.json',
    test_mode=True,
    pipeline=None)
