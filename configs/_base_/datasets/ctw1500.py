# SCUT-CTW1500 on the outputs of MMOCR's dataset preparer:
#   python tools/dataset_converters/prepare_dataset.py ctw1500 --task textspotting
# (run from an MMOCR checkout; it writes data/ctw1500/textspotting_{train,test}.json
# and, where the dataset has them, data/ctw1500/lexicons/).
ctw1500_textspotting_data_root = 'data/ctw1500'

ctw1500_textspotting_train = dict(
    type='TextSpottingDataset',
    data_root=ctw1500_textspotting_data_root,
    ann_file='textspotting_train.json',
    filter_cfg=dict(filter_empty_gt=True, min_size=32),
    pipeline=None)

ctw1500_textspotting_test = dict(
    type='TextSpottingDataset',
    data_root=ctw1500_textspotting_data_root,
    ann_file='textspotting_test.json',
    test_mode=True,
    pipeline=None)
