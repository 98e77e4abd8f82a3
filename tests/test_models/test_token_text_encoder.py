# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
import pytest
import torch
from mmocr.registry import MODELS

from mmocr_wecromcl.models.text_encoders import BytePairEncoding
from ._wecromcl_utils import DICT

#: '0'-'9' are indices 0..9 of the dictionary, 'a'-'z' 10..35
DICT_INDEX = {
    c: i
    for i, c in enumerate('0123456789abcdefghijklmnopqrstuvwxyz')
}


def test_byte_pair_encoding_learns_the_most_frequent_pairs():
    # pairs: (a, b) 4 times, (b, c) 2, (c, a) 1, (b, a) 1
    bpe = BytePairEncoding.learn(['abab', 'abc', 'abc', 'ca', ''], 10)
    # then (ab, c) 2 and (ab, ab) 1: a pair seen once is not merged
    assert bpe.merges == [('a', 'b'), ('ab', 'c')]
    assert bpe.units == ['ab', 'abc']
    assert bpe.encode('abcab') == ['abc', 'ab']
    assert bpe.encode('cabc') == ['c', 'abc']
    assert bpe.encode('xyz') == ['x', 'y', 'z']
    assert bpe.encode('a') == ['a']
    # ties go to the pair that sorts first; the budget is respected
    assert BytePairEncoding.learn(['xy', 'xy', 'ab', 'ab'],
                                  1).merges == [('a', 'b')]


def test_token_text_encoder_cuts_words_into_learned_units(tmp_path):
    words = tmp_path / 'words.txt'
    words.write_text('Cat\ncats\ncat\ndog\n')
    enc = MODELS.build(
        dict(
            type='TokenTextEncoder',
            dictionary=DICT,
            word_file=str(words),
            num_merges=3,
            width=32,
            num_layers=1,
            num_heads=4,
            embed_dims=16))
    enc.init_weights()
    # 'Cat' is normalised to 'cat': (a, t) and (c, a) 3 times each, the
    # tie to (a, t); then (c, at) 3 times; (cat, s) once is not merged
    assert enc.bpe.merges == [('a', 't'), ('c', 'at')]
    # 36 characters (tokens 1..36), then 'at' = 37 and 'cat' = 38
    assert enc.char_embed.num_embeddings == 39
    tokens, pad = enc.tokenize(['CATS', 'dog'])
    s, d, o, g = (DICT_INDEX[c] + 1 for c in 'sdog')
    assert tokens.tolist() == [[38, s, 0], [d, o, g]]
    assert pad.tolist() == [[False, False, True], [False] * 3]
    assert enc(['cats', 'dog']).shape == (2, 16)
    with pytest.raises(ValueError, match='no character of the dictionary'):
        enc(['###'])
    with pytest.raises(ValueError, match='cannot mask'):
        enc.encode_tokens(['cat'], torch.zeros(1, dtype=torch.long))
    with pytest.raises(ValueError, match='no mask token'):
        MODELS.build(
            dict(
                type='TokenTextEncoder',
                dictionary=DICT,
                word_file=str(words),
                mask_token=True))
