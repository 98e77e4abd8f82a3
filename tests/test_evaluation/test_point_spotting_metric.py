# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
import numpy as np
import pytest
import torch
from mmengine.structures import InstanceData
from mmocr.registry import METRICS
from mmocr.structures import TextDetDataSample

import mmocr_wecromcl  # noqa: F401
from mmocr_wecromcl.evaluation import (Lexicon, PointSpottingMetric,
                                       read_pair_file, word_spotting_text)
from mmocr_wecromcl.evaluation.functional import lexicon as lexicon_module


def rect(x0, y0, x1, y1):
    return np.array([x0, y0, x1, y0, x1, y1, x0, y1], dtype=np.float32)


def make_sample(polygons,
                texts,
                points,
                pred_texts,
                text_scores,
                ignored=None,
                img_path='data/img_7.jpg'):
    sample = TextDetDataSample(metainfo=dict(img_path=img_path))
    ignored = ignored if ignored is not None else [t == '###' for t in texts]
    sample.gt_instances = InstanceData(
        polygons=polygons, texts=texts, ignored=torch.tensor(ignored))
    sample.pred_instances = InstanceData(
        points=torch.tensor(points, dtype=torch.float32).reshape(-1, 2),
        texts=pred_texts,
        scores=torch.ones(len(pred_texts)),
        text_scores=torch.tensor(text_scores, dtype=torch.float32))
    return sample


def evaluate(metric, samples):
    metric.process(None, samples)
    return metric.evaluate(len(samples))


# GT: 'Hotel,' (centre (50, 10)), 'world' (50, 50), '###' (250, 10),
# 'again' (250, 50).
GT_POLYS = [
    rect(0, 0, 100, 20),
    rect(0, 40, 100, 60),
    rect(200, 0, 300, 20),
    rect(200, 40, 300, 60)
]
GT_TEXTS = ['Hotel,', 'world', '###', 'again']
# 'hotel' on 'Hotel,': TP (case and the final comma ignored);
# 'word' on 'world': FP; 'xyz' nearest to '###': not counted;
# a second 'hotel': FP (GT already matched); '' : dropped.
PRED_POINTS = [[50, 10], [55, 52], [250, 12], [52, 11], [250, 48]]
PRED_TEXTS = ['hotel', 'word', 'xyz', 'hotel', '']
PRED_SCORES = [0.9, 0.8, 0.7, 0.6, 0.5]


def test_registered_and_prefix(tmp_path):
    metric = METRICS.build(dict(type='PointSpottingMetric'))
    assert isinstance(metric, PointSpottingMetric)
    assert metric.prefix == 'none'
    write_lexicon(tmp_path / 'ch4_test_vocabulary_new.txt',
                  tmp_path / 'ch4_test_vocabulary_pair_list.txt')
    assert PointSpottingMetric(
        lexicon_type='weak', lexicon_dir=str(tmp_path)).prefix == 'weak'
    assert PointSpottingMetric(prefix='e2e').prefix == 'e2e'
    with pytest.raises(ValueError):
        PointSpottingMetric(lexicon_type='medium')


def test_known_precision_recall():
    sample = make_sample(GT_POLYS, GT_TEXTS, PRED_POINTS, PRED_TEXTS,
                         PRED_SCORES)
    res = evaluate(PointSpottingMetric(score_thrs=[0.0]), [sample])
    # 3 GT, 3 counted predictions, 1 TP
    assert res['none/precision'] == pytest.approx(1 / 3)
    assert res['none/recall'] == pytest.approx(1 / 3)
    assert res['none/hmean'] == pytest.approx(1 / 3)

    # SPTS's exact comparison: 'hotel' != 'Hotel,'
    res = evaluate(
        PointSpottingMetric(score_thrs=[0.0], strip_special=False), [sample])
    assert res['none/hmean'] == 0.0


def test_threshold_sweep():
    sample = make_sample(GT_POLYS, GT_TEXTS, PRED_POINTS, PRED_TEXTS,
                         PRED_SCORES)
    res = evaluate(PointSpottingMetric(score_thrs=[0.0, 0.85]), [sample])
    # thr 0.85 keeps the first prediction only: P 1, R 1/3
    assert res['none/score_thr'] == pytest.approx(0.85)
    assert res['none/precision'] == pytest.approx(1.0)
    assert res['none/recall'] == pytest.approx(1 / 3)
    assert res['none/hmean'] == pytest.approx(0.5)

    # sweeping the anchor scores instead (all 1.0): every prediction kept
    res = evaluate(
        PointSpottingMetric(score_thrs=[0.0, 0.85], score_key='scores'),
        [sample])
    assert res['none/hmean'] == pytest.approx(1 / 3)


def test_prediction_nearest_to_ignored_gt_not_counted():
    polys = [rect(0, 0, 100, 20), rect(200, 0, 300, 20), rect(0, 40, 100, 60)]
    # the third word is flagged ignored although it has a text
    sample = make_sample(
        polys, ['alpha', '###', 'gamma'], [[50, 10], [250, 10], [50, 50]],
        ['alpha', 'beta', 'gamma'], [0.9, 0.9, 0.9],
        ignored=[False, True, True])
    res = evaluate(PointSpottingMetric(score_thrs=[0.0]), [sample])
    assert res['none/precision'] == pytest.approx(1.0)
    assert res['none/recall'] == pytest.approx(1.0)

    # an image without any GT word: its predictions are false positives
    empty = make_sample([], [], [[5, 5]], ['alpha'], [0.9])
    res = evaluate(PointSpottingMetric(score_thrs=[0.0]), [sample, empty])
    assert res['none/precision'] == pytest.approx(0.5)
    assert res['none/recall'] == pytest.approx(1.0)


# GT 'Hotel,' and 'world'; predictions 'hotei' (distance 1/5 to HOTEL) and
# 'worxy' (distance 2/5 = 0.4 to WORLD, 1.0 to the others).
LEX_POLYS = [rect(0, 0, 100, 20), rect(0, 40, 100, 60)]
LEX_GT = ['Hotel,', 'world']
LEX_PRED = ['hotei', 'worxy']


def lexicon_sample(img_path='data/img_7.jpg'):
    return make_sample(
        LEX_POLYS,
        LEX_GT, [[50, 10], [50, 50]],
        LEX_PRED, [0.9, 0.9],
        img_path=img_path)


def write_lexicon(lexicon_path, pair_path):
    """A tiny lexicon: its pairs restore the GT's punctuation."""
    lexicon_path.parent.mkdir(parents=True, exist_ok=True)
    pair_path.parent.mkdir(parents=True, exist_ok=True)
    lexicon_path.write_text('AGAIN\nHOTEL\nWORLD\n')
    pair_path.write_text('AGAIN again\nHOTEL Hotel,\nWORLD world\n')


def test_lexicon_corrects_misspelled_prediction(tmp_path):
    write_lexicon(tmp_path / 'lex.txt', tmp_path / 'pairs.txt')
    metric = PointSpottingMetric(
        lexicon_type='generic',
        lexicon_dir=str(tmp_path),
        lexicon_file='lex.txt',
        pair_file='pairs.txt',
        score_thrs=[0.0],
        strip_special=False)
    res = evaluate(metric, [lexicon_sample()])
    # both corrected; 'hotei' -> HOTEL -> 'Hotel,' matches exactly
    assert res['generic/precision'] == pytest.approx(1.0)
    assert res['generic/recall'] == pytest.approx(1.0)
    # without lexicon neither prediction is right
    res = evaluate(PointSpottingMetric(score_thrs=[0.0]), [lexicon_sample()])
    assert res['none/hmean'] == 0.0


@pytest.mark.parametrize('lexicon_type,files', [
    ('generic',
     ('GenericVocabulary_new.txt', 'GenericVocabulary_pair_list.txt')),
    ('weak',
     ('ch4_test_vocabulary_new.txt', 'ch4_test_vocabulary_pair_list.txt')),
    ('strong', ('new_strong_lexicon/lexicons/new_voc_img_7.txt',
                'new_strong_lexicon/pairs/pair_voc_img_7.txt')),
    ('full', ('weak_voc_new.txt', 'weak_voc_pair_list.txt')),
])
def test_distance_cut_and_default_layout(tmp_path, lexicon_type, files):
    write_lexicon(tmp_path / files[0], tmp_path / files[1])
    metric = PointSpottingMetric(
        lexicon_type=lexicon_type, lexicon_dir=str(tmp_path), score_thrs=[0.0])
    res = evaluate(metric, [lexicon_sample()])
    if lexicon_type == 'generic':
        # 'worxy' kept and corrected to 'world'
        assert res['generic/precision'] == pytest.approx(1.0)
        assert res['generic/recall'] == pytest.approx(1.0)
    else:
        # 'worxy' is at distance 0.4 >= 0.4: dropped, not an FP
        assert res[f'{lexicon_type}/precision'] == pytest.approx(1.0)
        assert res[f'{lexicon_type}/recall'] == pytest.approx(0.5)


def test_strong_lexicons_are_per_image(tmp_path):
    layout = tmp_path / 'new_strong_lexicon'
    write_lexicon(layout / 'lexicons/new_voc_img_7.txt',
                  layout / 'pairs/pair_voc_img_7.txt')
    # image 8's lexicon lacks HOTEL: 'hotei' is cut there
    (layout / 'lexicons/new_voc_img_8.txt').write_text('WORLD\n')
    (layout / 'pairs/pair_voc_img_8.txt').write_text('WORLD world\n')
    metric = PointSpottingMetric(
        lexicon_type='strong',
        lexicon_dir=str(tmp_path),
        score_thrs=[0.0],
        match_dist_thr=0.5)
    res = evaluate(metric, [
        lexicon_sample('a/img_7.jpg'),
        lexicon_sample('b/img_8.jpg'),
    ])
    # img_7: 2 TP; img_8: 'worxy' TP, 'hotei' dropped -> 3 TP, 3 counted
    assert res['strong/precision'] == pytest.approx(1.0)
    assert res['strong/recall'] == pytest.approx(3 / 4)


def test_no_lexicon_file_read_without_lexicon(tmp_path, monkeypatch):
    calls = []

    def fake_get_text(path, *args, **kwargs):
        calls.append(path)
        raise AssertionError(f'lexicon file read: {path}')

    monkeypatch.setattr(lexicon_module, 'get_text', fake_get_text)
    metric = PointSpottingMetric(
        lexicon_dir=str(tmp_path / 'missing'), score_thrs=[0.0])
    res = evaluate(metric, [lexicon_sample()])
    assert res['none/hmean'] == 0.0
    assert calls == []
    # the patch does catch lexicon reads
    write_lexicon(tmp_path / 'ch4_test_vocabulary_new.txt',
                  tmp_path / 'ch4_test_vocabulary_pair_list.txt')
    metric = PointSpottingMetric(
        lexicon_type='weak', lexicon_dir=str(tmp_path), score_thrs=[0.0])
    with pytest.raises(AssertionError):
        evaluate(metric, [lexicon_sample()])
    assert len(calls) == 1 and calls[0].startswith(str(tmp_path))


def test_word_spotting():
    polys = [rect(0, 0, 100, 20), rect(0, 40, 100, 60), rect(200, 0, 300, 20)]
    texts = ["Hotel's", '2024', 'ab']
    # 'HOTEL' on "Hotel's": TP; 'abc' nearest to 'ab' and 'world' nearest to
    # '2024' (neither a dictionary word, so ignored): not counted; 'zz' is
    # not a dictionary word: dropped.
    points = [[50, 10], [250, 10], [140, 10], [50, 50]]
    pred_texts = ['HOTEL', 'abc', 'zz', 'world']
    sample = make_sample(polys, texts, points, pred_texts, [0.9] * 4)
    res = evaluate(
        PointSpottingMetric(word_spotting=True, score_thrs=[0.0]), [sample])
    assert res['none/precision'] == pytest.approx(1.0)
    assert res['none/recall'] == pytest.approx(1.0)
    # without the filter: 3 GT, 4 counted, no TP ("HOTEL'S" != 'HOTEL')
    res = evaluate(PointSpottingMetric(score_thrs=[0.0]), [sample])
    assert res['none/precision'] == 0.0


def test_word_spotting_text():
    assert word_spotting_text("Hotel's") == 'Hotel'
    assert word_spotting_text('-Wörd-') == 'Wörd'
    assert word_spotting_text('(open)') == 'open'
    assert word_spotting_text('co-op') == 'co-op'
    assert word_spotting_text('ab') is None
    assert word_spotting_text('abc1') is None
    assert word_spotting_text("don't") is None  # becomes two words


def test_lexicon_helpers(tmp_path):
    pair_file = tmp_path / 'pairs.txt'
    pair_file.write_text('NEWYORK New York\nhello Hello!\n\nSOLO\n')
    assert read_pair_file(str(pair_file)) == {
        'NEWYORK': 'New York',
        'HELLO': 'Hello!',
        'SOLO': 'SOLO'
    }
    lexicon = Lexicon(['abd', 'abe', 'hello'], {'ABE': 'Abe'})
    words, dists = lexicon.correct(['abc', 'HELO'])
    # 'abc' is at 1/3 of both ABD and ABE: the first lexicon word wins
    assert words == ['ABD', 'HELLO']
    np.testing.assert_allclose(dists, [1 / 3, 1 / 5])
    assert lexicon.correct(['abe'])[0] == ['Abe']
    with pytest.raises(ValueError):
        Lexicon([])
