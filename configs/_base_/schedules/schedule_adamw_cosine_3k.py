# Short schedule for the small CPU configurations on the synthetic default.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=5e-4, weight_decay=1e-4),
    clip_grad=dict(max_norm=5.0))
train_cfg = dict(type='IterBasedTrainLoop', max_iters=3000, val_interval=500)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, end=100, by_epoch=False),
    # a cosine with the run's length (train_cfg.max_iters) as its period,
    # from the end of the warm-up to the end of the run
    dict(
        type='RunLengthCosineAnnealingLR',
        begin=100,
        by_epoch=False,
        eta_min=1e-6),
]
auto_scale_lr = dict(base_batch_size=16)
