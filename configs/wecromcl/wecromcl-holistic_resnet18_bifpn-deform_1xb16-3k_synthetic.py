# The holistic (oCLIP-style) counterpart of the small WeCromCL
# configuration: the same modules, trained by contrasting each image with
# the whole set of its transcriptions (HolisticLocalizer) instead of with
# one word at a time; no mined negatives. Labelling is WeCromCL's.
_base_ = ['wecromcl_resnet18_bifpn-deform_1xb16-3k_synthetic.py']

model = dict(type='HolisticLocalizer')

train_pipeline = [
    step for step in _base_.train_pipeline
    if step['type'] != 'NegativeSampleMining'
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
