# SRSTS-A small configuration trained on WeCromCL pseudo points of the
# synthetic default (tools/generate_pseudo_labels.py writes
# textspotting_train_pseudo.json), each moved to the centre of its word by
# a pretrained SRSTS-A (tools/recenter_pseudo_labels.py writes
# textspotting_train_pseudo_recentred.json; docs/method.md, "Anchor
# re-centring"), then to the nearby cell that best fits its transcription
# for the checkpoint this training starts from, unreadable words ignored
# (tools/refine_pseudo_labels.py writes textspotting_train_pseudo_refined.json;
# "Anchor refinement"); evaluated on the GT test set.
_base_ = ['srsts-a_resnet18_bifpn-small_3k_synthetic-gt-points.py']

# No small-loss selection (loss_drop_ratio stays 0): the refinement marks
# the words it cannot read near their points as ignored, which is what the
# selection was for (docs/method.md, "Small-loss selection").

train_dataloader = dict(
    dataset=dict(ann_file='textspotting_train_pseudo_refined.json'))
