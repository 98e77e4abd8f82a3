# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Inference on arbitrary images with the shipped checkpoints: the words of
a generated image are read and found where they were drawn."""
import json
import os
import os.path as osp

import cv2
import infer as infer_tool
import numpy as np
import pytest

from mmocr_wecromcl.apis import PointSpotInferencer, WordLocateInferencer
from mmocr_wecromcl.datasets.synthetic import SyntheticTextGenerator
from mmocr_wecromcl.utils import pretrained_checkpoint

STAGE1 = ('configs/wecromcl/'
          'wecromcl_resnet18_bifpn-deform_1xb16-3k_synthetic.py')
STAGE2 = ('configs/srsts-a/'
          'srsts-a_resnet18_bifpn-deform_1xb16-3k_synthetic-gt-points.py')


@pytest.fixture(scope='module')
def image():
    """A generated image (the shipped checkpoints' fonts) of three words,
    with their polygons."""
    img, instances = SyntheticTextGenerator.from_preset(
        'easy', img_size=192, seed=3).generate(1)
    assert [i['text'] for i in instances] == \
        ['honoured', 'imitation', 'Known']
    return img, {i['text'].lower(): i['polygon'] for i in instances}


def _inside(point, polygon) -> bool:
    contour = np.asarray(polygon, np.float32).reshape(-1, 2)
    return cv2.pointPolygonTest(contour, tuple(map(float, point)), False) >= 0


def test_spotter_reads_each_word_at_its_place(repo_root, image, tmp_path):
    img, polygons = image
    spotter = PointSpotInferencer(
        osp.join(repo_root, STAGE2), pretrained_checkpoint('srsts_a'))
    out = str(tmp_path / 'out')
    result = spotter(
        img, out_dir=out, save_vis=True, save_pred=True,
        progress_bar=False)['predictions'][0]
    assert sorted(result['texts']) == sorted(polygons)
    for text, point in zip(result['texts'], result['points']):
        assert _inside(point, polygons[text]), (text, point)
    assert len(result['scores']) == len(result['polygons']) == 3
    assert os.listdir(osp.join(out, 'vis')) == ['0.png']
    with open(osp.join(out, 'preds', '0.json')) as f:
        assert json.load(f)['texts'] == result['texts']


def test_locator_finds_each_word_and_reads_paths_as_arrays(
        repo_root, image, tmp_path):
    img, polygons = image
    path = str(tmp_path / 'words.png')
    cv2.imwrite(path, img)
    locator = WordLocateInferencer(
        osp.join(repo_root, STAGE1), pretrained_checkpoint('wecromcl'))
    words = ['Known', 'honoured', 'imitation']
    from_array = locator(img, words, progress_bar=False)['predictions'][0]
    from_path = locator([path], [words],
                        progress_bar=False,
                        return_datasamples=True)['predictions'][0]
    assert from_array['texts'] == ['known', 'honoured', 'imitation']
    for text, point in zip(from_array['texts'], from_array['points']):
        assert _inside(point, polygons[text]), (text, point)
    # one activation map per word, at the model's stride (8)
    assert from_path.activation_maps.shape == (3, 24, 24)
    np.testing.assert_allclose(
        from_path.pred_instances.points.numpy(),
        np.asarray(from_array['points']),
        atol=1e-4)
    with pytest.raises(ValueError, match='2 word lists for 1 images'):
        locator([path], [words, words], progress_bar=False)


def test_infer_command_on_a_folder(repo_root, image, tmp_path, capsys):
    img, polygons = image
    folder = tmp_path / 'images'
    folder.mkdir()
    for name in ('a.png', 'b.jpg'):
        cv2.imwrite(str(folder / name), img)
    (folder / 'notes.txt').write_text('not an image')
    out = str(tmp_path / 'out')
    results = infer_tool.main([
        'locate',
        osp.join(repo_root, STAGE1),
        pretrained_checkpoint('wecromcl'),
        str(folder), '--words', 'imitation', '--out-dir', out
    ])
    assert len(results['predictions']) == 2
    for prediction in results['predictions']:
        assert prediction['texts'] == ['imitation']
        assert _inside(prediction['points'][0], polygons['imitation'])
    assert sorted(os.listdir(osp.join(out, 'vis'))) == ['a.png', 'b.png']
    assert sorted(os.listdir(osp.join(out, 'preds'))) == ['a.json', 'b.json']
    with pytest.raises(FileNotFoundError, match='missing.png does not exist'):
        infer_tool.main(
            ['spot', STAGE2, 'c.pth',
             str(tmp_path / 'missing.png')])
    with pytest.raises(SystemExit):
        infer_tool.parse_args(['locate', STAGE1, 'c.pth', str(folder)])
    assert 'locate needs --words' in capsys.readouterr().err
