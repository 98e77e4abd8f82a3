# SRSTS-A small configuration trained on WeCromCL pseudo points of the
# synthetic default (tools/generate_pseudo_labels.py writes
# textspotting_train_pseudo.json); evaluated on the GT test set.
_base_ = ['srsts-a_resnet18_bifpn-small_3k_synthetic-gt-points.py']

# Not in the paper: a pseudo point on another word of the image gives a
# word that cannot be read there. The fifth of each batch's words with the
# highest CTC loss get no gradient (docs/method.md, "Small-loss selection").
model = dict(recog_head=dict(loss_drop_ratio=0.2))

train_dataloader = dict(
    dataset=dict(ann_file='textspotting_train_pseudo.json'))
