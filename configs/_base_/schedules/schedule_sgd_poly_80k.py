# WeCromCL per-dataset fine-tuning (paper): 80k iterations, lr 1e-4, batch 4.
_base_ = 'schedule_sgd_poly_200k.py'
optim_wrapper = dict(optimizer=dict(lr=1e-4))
train_cfg = dict(max_iters=80000, val_interval=5000)
param_scheduler = [
    dict(type='PolyLR', power=0.9, eta_min=1e-8, end=80000, by_epoch=False)
]
auto_scale_lr = dict(base_batch_size=4)
