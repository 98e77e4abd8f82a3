# SRSTS-A small configuration trained on WeCromCL pseudo points of the
# synthetic default (tools/generate_pseudo_labels.py writes
# textspotting_train_pseudo.json); evaluated on the GT test set.
_base_ = ['srsts-a_resnet18_bifpn-small_3k_synthetic-gt-points.py']

train_dataloader = dict(
    dataset=dict(ann_file='textspotting_train_pseudo.json'))
