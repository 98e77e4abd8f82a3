# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
import importlib.util
import json
import os
import os.path as osp
import re

import cv2
import numpy as np
import pytest

from mmocr_wecromcl.datasets.synthetic import (SyntheticTextGenerator,
                                               WordGeometry, WordSampler,
                                               plane_homography,
                                               write_synthetic_dataset)
from mmocr_wecromcl.datasets.synthetic.fonts import (default_font_paths,
                                                     font_paths,
                                                     target_font_paths)
from mmocr_wecromcl.utils.vocabulary import load_vocabulary

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

SMALL = dict(img_size=(120, 160), num_words=(2, 4), font_size_range=(10, 30))
# A plain background and no degradation: every pixel that differs from the
# background colour is ink of a word.
CLEAN = dict(
    backgrounds=dict(plain=1.0),
    num_distractors=(0, 0),
    prob_shading=0.0,
    prob_blur=0.0,
    prob_noise=0.0,
    prob_jpeg=0.0)
# Difference from the background (max over channels) that counts as ink.
INK_LEVEL = 16


def make_generator(**kwargs) -> SyntheticTextGenerator:
    return SyntheticTextGenerator(**{**SMALL, **kwargs})


def rasterize(polygon: np.ndarray, shape: tuple) -> np.ndarray:
    mask = np.zeros(shape, np.uint8)
    cv2.fillPoly(mask, [np.round(polygon * 16).astype(np.int32)], 1,
                 cv2.LINE_8, 4)
    return mask > 0


def ink_mask(image: np.ndarray) -> np.ndarray:
    """Pixels differing from the most frequent (background) colour."""
    colors, counts = np.unique(
        image.reshape(-1, 3), axis=0, return_counts=True)
    background = colors[counts.argmax()].astype(int)
    return np.abs(image.astype(int) - background).max(axis=-1) > INK_LEVEL


def polygons(instances: list) -> list:
    return [np.array(inst['polygon']).reshape(-1, 2) for inst in instances]


def load_cli():
    spec = importlib.util.spec_from_file_location(
        'make_synthetic_dataset',
        osp.join(REPO_ROOT, 'tools', 'make_synthetic_dataset.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_load_vocabulary_shipped():
    words = load_vocabulary()
    assert len(words) == 20000
    assert len(set(words)) == 20000
    assert all(re.fullmatch('[a-z]{2,15}', word) for word in words)
    assert words[:3] == ['the', 'to', 'and']
    words.append('changed')
    assert len(load_vocabulary()) == 20000


def test_load_vocabulary_file(tmp_path):
    path = tmp_path / 'words.txt'
    path.write_text('  cat\n\ndog \n')
    assert load_vocabulary(str(path)) == ['cat', 'dog']


def test_word_sampler():
    rng = np.random.default_rng(0)
    upper = WordSampler(['alpha'], 0, 0, prob_upper=1, prob_title=0)
    title = WordSampler(['alpha'], 0, 0, prob_upper=0, prob_title=1)
    assert {upper(rng) for _ in range(5)} == {'ALPHA'}
    assert {title(rng) for _ in range(5)} == {'Alpha'}
    numbers = WordSampler(['alpha'], 1, 0, 0, 0)
    mixed = WordSampler(['alpha'], 0, 1, 0, 0)
    for _ in range(50):
        number = numbers(rng)
        assert number.isdigit() and number[0] != '0'
        token = mixed(rng)
        assert re.fullmatch('[a-z0-9]{2,6}', token)
        assert re.search('[a-z]', token) and re.search('[0-9]', token)
    with pytest.raises(ValueError):
        WordSampler(['alpha'], prob_number=0.6, prob_mixed=0.6)


def test_geometry_straight_polygon_and_bend():
    geometry = WordGeometry((10, 5, 29, 14), np.eye(3))
    np.testing.assert_allclose(geometry.local_polygon(),
                               [[-10.5, -5.5], [10.5, -5.5], [10.5, 5.5],
                                [-10.5, 5.5]])
    # A rotation by 90 degrees (clockwise on screen) and the bend of a
    # smile: the middle of the ink is the origin, the arc centre (0, -R).
    rotated = WordGeometry((10, 5, 29, 14),
                           plane_homography(rotation=np.pi / 2))
    np.testing.assert_allclose(
        rotated.local_polygon(),
        [[5.5, -10.5], [5.5, 10.5], [-5.5, 10.5], [-5.5, -10.5]],
        atol=1e-9)
    curved = WordGeometry((10, 5, 29, 14), np.eye(3), arc_radius=100.0)
    u = np.array([19.5, 19.5 + 100 * np.pi / 6, 19.5])
    v = np.array([9.5, 9.5, 19.5])
    np.testing.assert_allclose(
        curved.bend(u, v),
        [[0, 0], [50, 100 * np.cos(np.pi / 6) - 100], [0, 10]],
        atol=1e-9)
    points = curved.bend(u, v)
    back_u, back_v = curved.unbend(points[:, 0], points[:, 1])
    np.testing.assert_allclose(back_u, u, atol=1e-9)
    np.testing.assert_allclose(back_v, v, atol=1e-9)
    assert curved.local_polygon().shape == (14, 2)
    with pytest.raises(ValueError):
        WordGeometry((10, 5, 29, 14), np.eye(3), arc_radius=5.0)


def test_generate_is_deterministic():
    generator = make_generator(seed=5)
    image, instances = generator.generate(3)
    generator.generate(4)
    again_image, again_instances = make_generator(seed=5).generate(3)
    assert image.dtype == np.uint8 and image.shape == (120, 160, 3)
    assert image.tobytes() == again_image.tobytes()
    assert instances == again_instances
    assert image.tobytes() == generator.generate(3)[0].tobytes()
    rebuilt = SyntheticTextGenerator(
        **json.loads(json.dumps(generator.to_dict())))
    assert image.tobytes() == rebuilt.generate(3)[0].tobytes()
    other_seed = make_generator(seed=6).generate(3)[0]
    other_index = generator.generate(4)[0]
    assert image.tobytes() != other_seed.tobytes()
    assert image.tobytes() != other_index.tobytes()


def test_instances_format():
    generator = make_generator(
        seed=1, prob_curved=0.5, prob_rotate=0.5, prob_illegible=0.0)
    sizes = set()
    for index in range(6):
        image, instances = generator.generate(index)
        height, width = image.shape[:2]
        assert instances
        for inst in instances:
            assert set(inst) == {
                'polygon', 'bbox', 'bbox_label', 'ignore', 'text'
            }
            assert inst['bbox_label'] == 0 and inst['ignore'] is False
            assert re.fullmatch('[A-Za-z0-9]+', inst['text'])
            assert all(round(v, 1) == v for v in inst['polygon'])
            points = np.array(inst['polygon']).reshape(-1, 2)
            sizes.add(len(points))
            assert (points >= 0).all()
            assert (points[:, 0] <= width - 1).all()
            assert (points[:, 1] <= height - 1).all()
            assert inst['bbox'] == [
                points[:, 0].min(), points[:, 1].min(), points[:, 0].max(),
                points[:, 1].max()
            ]
    assert sizes == {4, 14}


def test_polygons_enclose_ink():
    generator = make_generator(
        seed=2,
        prob_curved=0.4,
        prob_rotate=0.5,
        prob_perspective=0.5,
        prob_outline=0.3,
        prob_illegible=0.0,
        **CLEAN)
    exposed_at_2px = []
    for index in range(6):
        image, instances = generator.generate(index)
        ink = ink_mask(image)
        shape = ink.shape
        union = np.zeros(shape, bool)
        for polygon in polygons(instances):
            union |= rasterize(polygon, shape)
        assert not (ink & ~union).any()
        shifted = np.zeros(shape, bool)
        for polygon in polygons(instances):
            shifted |= rasterize(polygon + [3, 0], shape)
        assert (ink & ~shifted).any()
        for polygon in polygons(instances):
            own = ink & rasterize(polygon, shape)
            assert own.sum() >= 10
            for direction in ([1, 0], [-1, 0], [0, 1], [0, -1]):
                step = np.array(direction, float)
                assert (own & ~rasterize(polygon + 6 * step, shape)).any()
                exposed_at_2px.append(
                    (own & ~rasterize(polygon + 2 * step, shape)).any())
    # Each side of a polygon touches the ink to within 2 px, but for the
    # inner side of strongly curved words.
    assert np.mean(exposed_at_2px) >= 0.85


def test_illegible_and_repeated_words():
    illegible = make_generator(prob_illegible=1.0)
    repeated = make_generator(
        num_words=(4, 4), prob_repeat=1.0, prob_illegible=0.0)
    for index in range(3):
        instances = illegible.generate(index)[1]
        assert instances
        assert all(inst['text'] == '###' and inst['ignore']
                   for inst in instances)
        texts = [inst['text'] for inst in repeated.generate(index)[1]]
        assert len(texts) >= 2 and len(set(texts)) == 1


def test_presets():
    easy = SyntheticTextGenerator.from_preset('easy', img_size=200)
    assert easy.font_size_range == (20.0, 44.0)
    assert easy.img_size == (200, 200)
    for index in range(3):
        for inst in easy.generate(index)[1]:
            x1, y1, x2, y2, x3, y3, x4, y4 = inst['polygon']
            assert (x1, y2, x3, y4) == (x4, y1, x2, y3)
    curved = SyntheticTextGenerator.from_preset(
        'easy', img_size=(100, 200), prob_curved=1.0, font_size_range=(8, 9))
    assert curved.prob_curved == 1.0
    assert curved.font_size_range == (8, 9)
    with pytest.raises(KeyError):
        SyntheticTextGenerator.from_preset('unknown')


def test_target_preset_draws_with_fonts_no_checkpoint_saw():
    source = default_font_paths()
    target = target_font_paths()
    assert [osp.basename(p) for p in target] == [
        'AmaticSC-Bold.ttf', 'AmaticSC-Regular.ttf', 'FredokaOne-Regular.ttf'
    ]
    assert not {osp.basename(p)
                for p in source} & {osp.basename(p)
                                    for p in target}
    generator = SyntheticTextGenerator.from_preset('target', img_size=200)
    easy = SyntheticTextGenerator.from_preset('easy', img_size=200)
    assert generator.fonts == target and easy.fonts == source
    # the easy preset's layouts: only the fonts differ
    assert {k: v for k, v in generator.to_dict().items() if k != 'fonts'} \
        == {k: v for k, v in easy.to_dict().items() if k != 'fonts'}
    assert SyntheticTextGenerator.from_preset(
        'target', img_size=200, font_set='source').fonts == source
    assert font_paths('target') == target
    with pytest.raises(KeyError, match='Unknown font set'):
        font_paths('other')


def test_written_dataset_loads_in_mmocr(tmp_path):
    from mmocr.registry import DATASETS
    from mmocr.structures import TextDetDataSample
    from mmocr.utils import register_all_modules
    register_all_modules()

    root = tmp_path / 'synth'
    generator = make_generator(seed=7)
    ann_files = write_synthetic_dataset(
        generator, str(root), num_train=4, num_test=2, progress=False)
    assert ann_files == {
        'train': str(root / 'textspotting_train.json'),
        'test': str(root / 'textspotting_test.json')
    }
    with open(ann_files['train']) as f:
        train = json.load(f)
    assert train['metainfo'] == {
        'dataset_type': 'TextSpottingDataset',
        'task_name': 'textspotting',
        'category': [{
            'id': 0,
            'name': 'text'
        }]
    }
    assert [info['img_path'] for info in train['data_list']
            ] == [f'textspotting_imgs/train/{i:06d}.jpg' for i in range(4)]
    assert train['data_list'][2]['instances'] == generator.generate(2)[1]
    with open(root / 'generator_config.json') as f:
        assert json.load(f)['generator']['seed'] == 7

    dataset = DATASETS.build(
        dict(
            type='OCRDataset',
            data_root=str(root),
            ann_file='textspotting_train.json',
            data_prefix=dict(img_path=''),
            pipeline=[
                dict(type='LoadImageFromFile'),
                dict(
                    type='LoadOCRAnnotations',
                    with_polygon=True,
                    with_bbox=True,
                    with_label=True,
                    with_text=True),
                dict(
                    type='PackTextDetInputs',
                    meta_keys=('img_path', 'ori_shape', 'img_shape'))
            ]))
    assert len(dataset) == 4
    for info, sample in zip(train['data_list'], dataset):
        data_sample = sample['data_samples']
        assert isinstance(data_sample, TextDetDataSample)
        assert tuple(sample['inputs'].shape) == (3, 120, 160)
        assert data_sample.img_path == osp.join(str(root), info['img_path'])
        gt = data_sample.gt_instances
        assert gt.texts == [inst['text'] for inst in info['instances']]
        assert len(gt.polygons) == len(info['instances'])
        for polygon, inst in zip(gt.polygons, info['instances']):
            np.testing.assert_allclose(polygon, inst['polygon'], atol=1e-4)
        assert gt.ignored.tolist() == [
            inst['ignore'] for inst in info['instances']
        ]
        assert gt.bboxes.shape == (len(info['instances']), 4)


def test_splits_are_stable_and_parallel_is_identical(tmp_path):
    generator = make_generator(seed=3)
    write_synthetic_dataset(
        generator, str(tmp_path / 'a'), 2, 2, workers=1, progress=False)
    write_synthetic_dataset(
        generator, str(tmp_path / 'b'), 3, 2, workers=2, progress=False)

    def load(name):
        with open(tmp_path / name) as f:
            return json.load(f)['data_list']

    assert load('a/textspotting_test.json') == load('b/textspotting_test.json')
    assert load('a/textspotting_train.json') == load(
        'b/textspotting_train.json')[:2]
    assert load('a/textspotting_train.json')[0]['instances'] != load(
        'a/textspotting_test.json')[0]['instances']


def test_validation_split_is_carved_from_the_training_sequence(tmp_path):
    generator = make_generator(seed=3)
    files = write_synthetic_dataset(
        generator, str(tmp_path / 'v'), 2, 1, num_val=2, progress=False)
    write_synthetic_dataset(
        generator, str(tmp_path / 'w'), 4, 1, progress=False)
    assert sorted(files) == ['test', 'train', 'val']
    assert not (tmp_path / 'w' / 'textspotting_val.json').exists()

    def load(name):
        with open(tmp_path / name) as f:
            return json.load(f)['data_list']

    longer = load('w/textspotting_train.json')
    assert load('v/textspotting_train.json') == longer[:2]
    assert load('v/textspotting_val.json') == longer[2:]
    assert [d['img_path'] for d in longer[2:]] == [
        'textspotting_imgs/train/000002.jpg',
        'textspotting_imgs/train/000003.jpg'
    ]
    assert (tmp_path / 'v' / longer[3]['img_path']).read_bytes() == (
        tmp_path / 'w' / longer[3]['img_path']).read_bytes()
    with open(tmp_path / 'v' / 'generator_config.json') as f:
        assert json.load(f)['num_val'] == 2


def test_writer_refuses_non_empty_dir(tmp_path):
    generator = make_generator()
    (tmp_path / 'notes.txt').write_text('keep me')
    with pytest.raises(FileExistsError, match='not empty'):
        write_synthetic_dataset(generator, str(tmp_path), 1, 1, progress=False)
    write_synthetic_dataset(
        generator, str(tmp_path), 3, 1, overwrite=True, progress=False)
    write_synthetic_dataset(
        generator, str(tmp_path), 1, 1, overwrite=True, progress=False)
    assert sorted(os.listdir(tmp_path / 'textspotting_imgs' /
                             'train')) == ['000000.jpg']
    assert (tmp_path / 'notes.txt').read_text() == 'keep me'
    assert not [name for name in os.listdir(tmp_path) if name.endswith('.tmp')]


def test_cli(tmp_path, capsys):
    cli = load_cli()
    out_dir = tmp_path / 'out'
    out_dir.mkdir()
    (out_dir / 'old.txt').write_text('x')
    argv = [
        '--out-dir',
        str(out_dir), '--num-train', '1', '--num-test', '1', '--img-size',
        '64x96', '--workers', '1', '--no-progress', '--preset', 'easy'
    ]
    with pytest.raises(SystemExit) as error:
        cli.main(argv)
    assert error.value.code == 2
    assert '--overwrite' in capsys.readouterr().err
    assert not (out_dir / 'textspotting_train.json').exists()
    cli.main(argv + ['--overwrite'])
    with open(out_dir / 'textspotting_train.json') as f:
        data_list = json.load(f)['data_list']
    assert [(d['height'], d['width']) for d in data_list] == [(64, 96)]

    args = cli.build_parser().parse_args([
        '--img-size', '200', '--seed', '4', '--font-size', '8', '20',
        '--prob-curved', '0.5', '--backgrounds', 'plain=1', 'natural=2'
    ])
    generator = cli.build_generator(args)
    assert generator.img_size == (200, 200) and generator.seed == 4
    assert generator.font_size_range == (8.0, 20.0)
    assert generator.prob_curved == 0.5
    assert generator.backgrounds == {'plain': 1.0, 'natural': 2.0}
    assert generator.num_words == (1, 8)
