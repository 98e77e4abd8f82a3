# The paper's token-wise ablation of the small WeCromCL configuration: the
# text encoder reads byte-pair units (1,000 merges learned from the shipped
# vocabulary) instead of characters, with the same widths. Without the
# masked-character loss, which masks characters.
_base_ = ['wecromcl_resnet18_bifpn-deform_1xb16-3k_synthetic.py']

model = dict(
    text_encoder=dict(type='TokenTextEncoder', mask_token=False),
    char_head=None)
