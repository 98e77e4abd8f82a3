# WeCromCL pretraining (paper): SGD momentum 0.9, lr 1e-3, poly decay,
# 200k iterations (batch 16 set by the dataloader).
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=1e-3, momentum=0.9, weight_decay=1e-4))
train_cfg = dict(
    type='IterBasedTrainLoop', max_iters=200000, val_interval=10000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    dict(type='PolyLR', power=0.9, eta_min=1e-7, end=200000, by_epoch=False)
]
auto_scale_lr = dict(base_batch_size=16)
