# Runtime shared by every mmocr_wecromcl config (iteration-based training).
default_scope = 'mmocr'
custom_imports = dict(imports=['mmocr_wecromcl'], allow_failed_imports=False)

env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    # tools/train.py switches to gloo when no GPU is present.
    dist_cfg=dict(backend='nccl'),
)
randomness = dict(seed=0)

default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=20, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='CheckpointHook', by_epoch=False, interval=1000,
        max_keep_ckpts=3),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    sync_buffer=dict(type='SyncBuffersHook'),
    visualization=dict(
        type='VisualizationHook',
        interval=1,
        enable=False,
        show=False,
        draw_gt=False,
        draw_pred=False),
)
# Torch's random state travels with each checkpoint: --resume is exact.
custom_hooks = [dict(type='RNGStateHook')]

log_level = 'INFO'
log_processor = dict(type='LogProcessor', window_size=20, by_epoch=False)

load_from = None
resume = False

vis_backends = [dict(type='LocalVisBackend')]
