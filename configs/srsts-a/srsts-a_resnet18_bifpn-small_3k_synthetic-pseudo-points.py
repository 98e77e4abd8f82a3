# SRSTS-A small configuration trained on WeCromCL pseudo points of the
# synthetic default (tools/generate_pseudo_labels.py writes
# textspotting_train_pseudo.json), each moved to the centre of its word by
# the pretrained SRSTS-A (tools/recenter_pseudo_labels.py writes
# textspotting_train_pseudo_recentred.json; docs/method.md, "Anchor
# re-centring"); evaluated on the GT test set.
_base_ = ['srsts-a_resnet18_bifpn-small_3k_synthetic-gt-points.py']

# Not in the paper: a pseudo point on another word of the image gives a
# word that cannot be read there. The 5 % of each batch's words with the
# highest CTC loss get no gradient, about the share of re-centred points on
# a wrong word (docs/method.md, "Small-loss selection").
model = dict(recog_head=dict(loss_drop_ratio=0.05))

train_dataloader = dict(
    dataset=dict(ann_file='textspotting_train_pseudo_recentred.json'))
