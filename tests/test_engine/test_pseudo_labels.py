# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
import json

import pytest

from mmocr_wecromcl.apis import (PseudoLabelWriter, evaluate_pseudo_labels,
                                 moved_instances, pseudo_instances)


def test_pseudo_instances_pair_points_with_occurrences():
    out = pseudo_instances(
        texts=['Cat', '###', 'dog', 'CAT', 'x!'],
        normalized=['cat', '', 'dog', 'cat', 'x'],
        pred_texts=['cat', 'cat', 'dog'],
        points=[[10.0, 20.0], [30.0, 40.0], [50.0, 60.0]],
        scores=[0.9, 0.5, 0.7])
    assert [i['text'] for i in out] == ['Cat', 'dog', 'CAT']
    assert [i['point'] for i in out] == [[10.0, 20.0], [50.0, 60.0],
                                         [30.0, 40.0]]
    assert out[0]['polygon'] == [9.0, 19.0, 11.0, 19.0, 11.0, 21.0, 9.0, 21.0]
    assert out[0]['bbox'] == [9.0, 19.0, 11.0, 21.0]
    assert out[0]['score'] == 0.9 and out[0]['ignore'] is False
    # Two decimals, without float32 artefacts.
    odd = pseudo_instances(['ab'], ['ab'], ['ab'], [[153.67, 0.1]], [1.0])
    assert odd[0]['polygon'][:2] == [152.67, -0.9]


def test_moved_instances_keep_first_point_and_set_ignore():
    first = pseudo_instances(['ab', 'cd', 'ef'], ['ab', 'cd', 'ef'],
                             ['ab', 'cd', 'ef'],
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
