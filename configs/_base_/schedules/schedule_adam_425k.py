# SRSTS-A pretraining (paper, DeepSolo's schedule): Adam-family optimiser,
# 425k iterations on pseudo-labelled synthetic + MLT17 + IC13 + IC15 + TT.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=1e-4, weight_decay=1e-4),
    paramwise_cfg=dict(custom_keys={'backbone': dict(lr_mult=0.1)}),
    clip_grad=dict(max_norm=0.1, norm_type=2))
train_cfg = dict(
    type='IterBasedTrainLoop', max_iters=425000, val_interval=10**9)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    dict(type='MultiStepLR', milestones=[375000], gamma=0.1, by_epoch=False)
]
auto_scale_lr = dict(base_batch_size=8)
