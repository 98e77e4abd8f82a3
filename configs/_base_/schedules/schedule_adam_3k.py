# SRSTS-A per-benchmark fine-tuning (paper): 3k iterations.
_base_ = 'schedule_adam_425k.py'
optim_wrapper = dict(optimizer=dict(lr=1e-5))
train_cfg = dict(max_iters=3000, val_interval=1000)
param_scheduler = []
