# SRSTS-A trained on two kinds of images at once: images annotated with word
# boxes (a point at each word's centre) and images annotated with their
# transcriptions only (WeCromCL pseudo points, from
# tools/generate_pseudo_labels.py). The small CPU configuration of the
# plugin; any SRSTS-A config composes the same way.
_base_ = [
    '../../../configs/srsts-a/'
    'srsts-a_resnet18_bifpn-deform_1xb16-3k_synthetic-gt-points.py'
]

custom_imports = dict(imports=['mmocr_wecromcl'], allow_failed_imports=False)

data_root = 'data/synthetic_default'
# images with word boxes: an MMOCR textspotting annotation file
labelled_train = dict(
    _base_.synthetic_textspotting_train,
    data_root=data_root,
    ann_file='textspotting_train_labelled.json')
# images with transcriptions only, pseudo-labelled by WeCromCL
transcription_only_train = dict(
    _base_.synthetic_textspotting_train,
    data_root=data_root,
    ann_file='textspotting_train_pseudo.json')

train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        datasets=[labelled_train, transcription_only_train]))
