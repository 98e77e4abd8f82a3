# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
import json
import logging
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.logging import MMLogger
from mmengine.structures import InstanceData
from mmocr.structures import TextDetDataSample

from mmocr_wecromcl.apis import (PseudoLabelWriter, evaluate_pseudo_labels,
                                 init_model, moved_instances, pseudo_instances)
from mmocr_wecromcl.apis.transcription_inference import (
    anchored_instances, iter_predictions, transcription_only_pipeline)
from mmocr_wecromcl.utils import pretrained_checkpoint

STAGE1 = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))),
    'configs/wecromcl/wecromcl_resnet18_bifpn-deform_1xb16-3k_synthetic.py')
# A repeated word around an ignored one, '###' and a word with no character
# of the dictionary.
INSTANCES = [
    dict(text='Cat', ignore=False),
    dict(text='dog', ignore=True),
    dict(text='cat', ignore=False),
    dict(text='###', ignore=True),
    dict(text='€€€', ignore=False),
]


def _warnings(run):
    """The mmengine log warnings issued by ``run()``, and its result."""
    messages = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: messages.append(record.getMessage())
    logger = MMLogger.get_current_instance()
    logger.addHandler(handler)
    try:
        result = run()
    finally:
        logger.removeHandler(handler)
    return result, messages


def test_pseudo_instances_pair_points_with_instances():
    # The points come as WeCromCL gives them: per word, best first; 'cat'
    # occurs at 0 and 3 (the best point goes to 0), '###' (1) and 'x!' (4)
    # got none.
    out = pseudo_instances(
        texts=['Cat', '###', 'dog', 'CAT', 'x!'],
        instance_indices=[0, 3, 2],
        points=[[10.0, 20.0], [30.0, 40.0], [50.0, 60.0]],
        scores=[0.9, 0.5, 0.7])
    assert [i['text'] for i in out] == ['Cat', 'dog', 'CAT']
    assert [i['point'] for i in out] == [[10.0, 20.0], [50.0, 60.0],
                                         [30.0, 40.0]]
    assert [i['score'] for i in out] == [0.9, 0.7, 0.5]
    assert out[0]['polygon'] == [9.0, 19.0, 11.0, 19.0, 11.0, 21.0, 9.0, 21.0]
    assert out[0]['bbox'] == [9.0, 19.0, 11.0, 21.0]
    assert out[0]['score'] == 0.9 and out[0]['ignore'] is False
    assert pseudo_instances(['ab'], [], [], []) == []
    # Two decimals, without float32 artefacts.
    odd = pseudo_instances(['ab'], [0], [[153.67, 0.1]], [1.0])
    assert odd[0]['polygon'][:2] == [152.67, -0.9]


def test_anchored_instances_read_the_model_and_warn():
    sample = TextDetDataSample()
    sample.gt_instances = InstanceData(
        texts=[i['text'] for i in INSTANCES],
        ignored=torch.tensor([False, True, False, True, False]))
    sample.pred_instances = InstanceData(
        points=torch.tensor([[1., 2.], [3., 4.]]),
        scores=torch.tensor([0.5, 0.2]),
        texts=['cat', 'cat'],
        instance_indices=torch.tensor([0, 2]))
    owners, messages = _warnings(lambda: anchored_instances('a.jpg', sample))
    assert owners == [0, 2]
    # Only the word outside the dictionary is warned about, not the ignored
    # ones.
    assert messages == [
        "a.jpg: '€€€' has no character of the dictionary and gets no point"
    ]

    empty = TextDetDataSample()
    empty.gt_instances = InstanceData(
        texts=[], ignored=torch.zeros(0, dtype=torch.bool))
    owners, messages = _warnings(lambda: anchored_instances('b.jpg', empty))
    assert owners == []
    assert len(messages) == 1 and 'b.jpg: no usable word' in messages[0]


def test_generate_pairs_points_with_instances(tmp_path):
    """End to end: the labelling pipeline keeps every instance in order,
    WeCromCL skips the ignored ones and the points land on the instances
    it says they anchor."""
    import generate_pseudo_labels
    image = np.full((96, 160, 3), 255, np.uint8)
    for y in (30, 75):
        cv2.putText(image, 'cat', (20, y), cv2.FONT_HERSHEY_SIMPLEX, 1.2,
                    (0, 0, 0), 3)
    cv2.imwrite(str(tmp_path / 'a.png'), image)
    entry = dict(img_path='a.png', height=96, width=160, instances=INSTANCES)
    model = init_model(STAGE1, pretrained_checkpoint('wecromcl'))
    (_, sample), = iter_predictions(model, [entry], str(tmp_path),
                                    transcription_only_pipeline(model.cfg))
    assert sample.gt_instances.texts == [i['text'] for i in INSTANCES]
    assert sample.gt_instances.ignored.tolist() == [
        False, True, False, True, False
    ]
    pred = sample.pred_instances
    assert pred.texts == ['cat', 'cat']
    assert pred.instance_indices.tolist() == [0, 2]
    assert pred.scores[0] >= pred.scores[1]
    out, messages = _warnings(
        lambda: generate_pseudo_labels.anchor_instances(model, entry, sample))
    assert [i['text'] for i in out] == ['Cat', 'cat']
    points = pred.points.tolist()
    assert [i['point'] for i in out] == [[round(v, 2) for v in p]
                                         for p in points]
    assert [i['score']
            for i in out] == [round(v, 6) for v in pred.scores.tolist()]
    assert messages == [
        "a.png: '€€€' has no character of the dictionary and gets no point"
    ]


def test_generate_points_long_words_at_any_max_len(tmp_path):
    """Words longer than the text encoder's ``max_seq_len`` (here 10, not the
    default 25) get their points under their full texts."""
    import generate_pseudo_labels
    cfg = Config.fromfile(STAGE1)
    cfg.model.text_encoder.max_seq_len = 10
    model = init_model(cfg)
    cv2.imwrite(str(tmp_path / 'a.png'), np.zeros((64, 64, 3), np.uint8))
    texts = ['a' * 30, 'b' * 12, 'a' * 10]
    entry = dict(
        img_path='a.png',
        height=64,
        width=64,
        instances=[dict(text=t, ignore=False) for t in texts])
    (_, sample), = iter_predictions(model, [entry], str(tmp_path),
                                    transcription_only_pipeline(model.cfg))
    # 'a' * 30 is queried as 'a' * 10: the same word as the third one.
    assert sample.pred_instances.texts == ['a' * 10] * 2 + ['b' * 10]
    out = generate_pseudo_labels.anchor_instances(model, entry, sample)
    assert [i['text'] for i in out] == texts


def test_moved_instances_keep_first_point_and_set_ignore():
    first = pseudo_instances(['ab', 'cd', 'ef'], [0, 1, 2],
                             [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]],
                             [0.5, 0.6, 0.7])
    first[2]['ignore'] = True
    once = moved_instances(first, [[10.0, 20.0], [30.0, 40.0], [50.0, 60.0]])
    twice = moved_instances(
        once, [[11.0, 21.0], [31.0, 41.0], [51.0, 61.0]],
        ignored=[False, True, False])
    assert [i['point'] for i in twice] == [[11.0, 21.0], [31.0, 41.0],
                                           [51.0, 61.0]]
    assert [i['stage1_point'] for i in twice] == [[1.0, 2.0], [3.0, 4.0],
                                                  [5.0, 6.0]]
    assert [i['ignore'] for i in once] == [False, False, True]
    assert [i['ignore'] for i in twice] == [False, True, True]
    assert [i['score'] for i in twice] == [0.5, 0.6, 0.7]
    assert twice[0]['bbox'] == [10.0, 20.0, 12.0, 22.0]
    with pytest.raises(ValueError, match='3 instances but 2 points'):
        moved_instances(first, [[0.0, 0.0]] * 2)


def test_writer_resumes_and_writes_atomically(tmp_path):
    out = str(tmp_path / 'pseudo.json')
    writer = PseudoLabelWriter(out)
    writer.add(dict(img_path='a.jpg', instances=[]))
    writer.close()  # interrupted here
    with open(out + '.partial.jsonl', 'a') as f:
        f.write('{"img_path": "b.jp')  # a line cut by the interruption
    writer = PseudoLabelWriter(out)
    assert list(writer.done) == ['a.jpg']
    writer.add(dict(img_path='b.jpg', instances=[]))
    with pytest.raises(RuntimeError, match='1 images have no pseudo'):
        PseudoLabelWriter(str(tmp_path / 'other.json')).finish({}, ['c.jpg'])
    writer.finish(dict(task_name='textspotting'), ['b.jpg', 'a.jpg'])
    data = json.loads(open(out).read())
    assert [e['img_path'] for e in data['data_list']] == ['b.jpg', 'a.jpg']
    assert not (tmp_path / 'pseudo.json.partial.jsonl').exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        'other.json.partial.jsonl', 'pseudo.json'
    ]
    with pytest.raises(FileExistsError, match='--overwrite'):
        PseudoLabelWriter(out)


def test_evaluate_pseudo_labels(tmp_path):
    gt = dict(
        metainfo={},
        data_list=[
            dict(
                img_path='a.jpg',
                instances=[
                    dict(
                        polygon=[0, 0, 10, 0, 10, 10, 0, 10],
                        text='cat',
                        ignore=False),
                    dict(
                        polygon=[20, 0, 30, 0, 30, 10, 20, 10],
                        text='dog',
                        ignore=False),
                ])
        ])
    pseudo = dict(
        metainfo={},
        data_list=[
            dict(
                img_path='a.jpg',
                instances=[
                    dict(point=[5, 5], text='cat', score=0.5),
                    dict(point=[6, 5], text='dog', score=0.4),
                ])
        ])
    (tmp_path / 'gt.json').write_text(json.dumps(gt))
    (tmp_path / 'pseudo.json').write_text(json.dumps(pseudo))
    res = evaluate_pseudo_labels(
        str(tmp_path / 'pseudo.json'), str(tmp_path / 'gt.json'))
    # 'dog' lies nearest to (and inside) the 'cat' box: one of two right.
    assert res['anchor/nearest/precision'] == pytest.approx(0.5)
    assert res['anchor/nearest/recall'] == pytest.approx(0.5)
    assert res['anchor/inside/hmean'] == pytest.approx(0.5)

    # Ignored pseudo instances are no labels: 'dog' is left out.
    pseudo['data_list'][0]['instances'][1]['ignore'] = True
    (tmp_path / 'pseudo.json').write_text(json.dumps(pseudo))
    res = evaluate_pseudo_labels(
        str(tmp_path / 'pseudo.json'), str(tmp_path / 'gt.json'))
    assert res['anchor/nearest/precision'] == pytest.approx(1.0)
    assert res['anchor/nearest/recall'] == pytest.approx(0.5)
