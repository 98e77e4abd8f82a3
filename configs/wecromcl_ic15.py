# The user-facing WeCromCL entry for ICDAR 2015:
#   mim train mmocr configs/wecromcl_ic15.py
#   python tools/train.py configs/wecromcl_ic15.py
# It is the paper's IC15 fine-tuning configuration.
_base_ = ['wecromcl/wecromcl_resnet50_bifpn-deform_1xb4-80k_icdar2015.py']
