# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Bad input on every path: each fault tried and what it gives.

Every case is registered in ``CASES`` as ``(path, fault, expected)`` next to
the check that asserts it; ``docs/reliability.md`` holds them as a table,
which ``test_reliability_doc_lists_every_case`` keeps current. Rewrite it
with

    python -m tests.test_engine.test_bad_input

The tools run with the shipped small checkpoints on a tiny synthetic set
(4 training images of 96 pixels).
"""
import contextlib
import importlib
import json
import logging
import os
import os.path as osp
import re
import shutil
import warnings
from typing import Callable, Dict, Iterator, List, Optional, Tuple

import pytest

# The package is imported inside the checks: rewriting the table of the doc
# (``python -m tests.test_engine.test_bad_input``) does not load torch.
ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DOC = osp.join(ROOT, 'docs', 'reliability.md')
STAGE1 = osp.join(
    ROOT,
    'configs/wecromcl/wecromcl_resnet18_bifpn-deform_1xb16-3k_synthetic.py')
STAGE2 = osp.join(
    ROOT, 'configs/srsts-a/'
    'srsts-a_resnet18_bifpn-deform_1xb16-3k_synthetic-gt-points.py')
TRAIN = 'textspotting_train.json'
TEST = 'textspotting_test.json'
# The image of entry 0 of the training file.
FIRST = 'textspotting_imgs/train/000000.jpg'
NOT_JSON = '{"metainfo": {}, "data_list": ['
OUT_OF_DICT = '€€€'
LONG_WORD = 'a' * 40
MAX_LEN = 25

# The paths.
TRAIN_1 = 'training set, stage 1 (WeCromCL pipeline)'
TRAIN_2 = 'training set, stage 2 (SRSTS-A pipeline and loss)'
TEST_SET = 'test set (test pipeline, `test_mode`)'
ANY_SET = 'any dataset (`TextSpottingDataset`)'
GEN = '`tools/generate_pseudo_labels.py`'
RECENTER = '`tools/recenter_pseudo_labels.py`'
REFINE = '`tools/refine_pseudo_labels.py`'
VISUALIZE = '`tools/visualize_activation.py`'
EVALUATE = '`evaluate_pseudo_labels`'
METRICS_PATH = 'metrics (`PointSpottingMetric`, `AnchorPointMetric`)'

# The faults.
FAULTS = dict(
    unreadable='unreadable image (a file of garbage bytes)',
    missing_image='missing image',
    empty='empty `data_list`',
    all_ignored='image whose words are all `###`',
    no_instances='image with no instances',
    out_of_dict=f'word with no dictionary character (`{OUT_OF_DICT}`)',
    long_word=f'word of 40 characters (max length {MAX_LEN})',
    malformed='malformed JSON',
    no_data_list='JSON without `data_list`',
    missing_ann='missing annotation file',
    missing_checkpoint='missing checkpoint',
    existing_output='existing output file',
    interrupted='missing checkpoint after an interrupted run',
    missing_lexicon='config pointing at a missing lexicon file',
    missing_dict='config pointing at a missing dictionary file',
)

Check = Callable[..., None]
CASES: List[Tuple[str, str, str]] = []
CHECKS: Dict[Tuple[str, str], Check] = {}


def register(path: str, fault: str, expected: str, check: Check) -> None:
    """Add a case: ``check(tmp_path, source, monkeypatch)`` asserts it.

    Args:
        path (str): The path (tool, dataset, metric).
        fault (str): Key of ``FAULTS``.
        expected (str): What happens, for the table.
        check (callable): The assertions.
    """
    CASES.append((path, FAULTS[fault], expected))
    CHECKS[(path, FAULTS[fault])] = check


def case(path: str, fault: str, expected: str) -> Callable[[Check], Check]:
    """Decorator form of :func:`register`."""

    def decorate(check: Check) -> Check:
        register(path, fault, expected, check)
        return check

    return decorate


# ---------------------------------------------------------------- helpers


@contextlib.contextmanager
def captured() -> Iterator[List[str]]:
    """Collect the warnings and mmengine log warnings issued inside."""
    from mmengine.logging import MMLogger
    messages: List[str] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: messages.append(record.getMessage())
    logger = MMLogger.get_current_instance()
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            yield messages
        messages.extend(str(w.message) for w in caught)
    finally:
        logger.removeHandler(handler)


def mentions(messages: List[str], *parts: str) -> bool:
    """Whether one message contains every part."""
    return any(all(p in m for p in parts) for m in messages)


def _edit(ann: str, change: Callable[[dict], None]) -> None:
    with open(ann) as f:
        data = json.load(f)
    change(data)
    with open(ann, 'w') as f:
        json.dump(data, f)


def _set_words(data: dict, texts: List[str]) -> None:
    """Give entry 0's first instances these texts."""
    for inst, text in zip(data['data_list'][0]['instances'], texts):
        inst.update(text=text, ignore=text == '###')


def inject(ann: str, fault: str) -> str:
    """Put ``fault`` into the annotation file ``ann`` (entry 0 for an image
    or word fault).

    Returns:
        str: What a message about it must name: the annotation file, or the
        image's path relative to the file's folder.
    """
    with open(ann) as f:
        first = json.load(f)['data_list'][0]['img_path']
    image = osp.join(osp.dirname(ann), first)
    if fault == 'unreadable':
        with open(image, 'wb') as f:
            f.write(b'not an image' * 8)
    elif fault == 'missing_image':
        os.remove(image)
    elif fault == 'all_ignored':
        _edit(ann, lambda d: _set_words(d, ['###'] * 9))
    elif fault == 'no_instances':
        _edit(ann, lambda d: d['data_list'][0].update(instances=[]))
    elif fault == 'out_of_dict':
        _edit(ann, lambda d: _set_words(d, [OUT_OF_DICT]))
    elif fault == 'long_word':
        _edit(ann, lambda d: _set_words(d, [LONG_WORD]))
    elif fault == 'empty':
        _edit(ann, lambda d: d.update(data_list=[]))
    elif fault == 'no_data_list':
        _edit(ann, lambda d: d.pop('data_list'))
    elif fault == 'malformed':
        with open(ann, 'w') as f:
            f.write(NOT_JSON)
    elif fault == 'missing_ann':
        os.remove(ann)
    else:
        raise KeyError(fault)
    return first if fault in ('unreadable', 'missing_image', 'all_ignored',
                              'no_instances', 'out_of_dict',
                              'long_word') else ann


def _copy(source: str, tmp_path) -> str:
    root = str(tmp_path / 'data')
    shutil.copytree(source, root)
    return root


def _pseudo(root: str) -> str:
    """A pseudo-label file of the training images: each word at its
    polygon's vertex mean."""
    with open(osp.join(root, TRAIN)) as f:
        data = json.load(f)
    for entry in data['data_list']:
        entry['instances'] = [
            dict(
                point=[
                    sum(i['polygon'][0::2]) / 4,
                    sum(i['polygon'][1::2]) / 4
                ],
                text=i['text'],
                score=0.5,
                ignore=False) for i in entry['instances'] if not i['ignore']
        ]
    ann = osp.join(root, 'pseudo.json')
    with open(ann, 'w') as f:
        json.dump(data, f)
    return ann


def _no_model(monkeypatch) -> None:
    """Make building a model fail, to show an error comes before it."""
    from mmocr.registry import MODELS

    def build(*args, **kwargs):
        raise AssertionError('the model was built')

    monkeypatch.setattr(MODELS, 'build', build)


def _dataset(config: str, root: str, split: str = 'train'):
    from mmengine.config import Config
    from mmocr.registry import DATASETS
    cfg = Config.fromfile(config)
    loader = cfg.train_dataloader if split == 'train' else \
        cfg.test_dataloader
    return DATASETS.build(dict(loader.dataset, data_root=root))


def _samples(dataset) -> list:
    return [dataset[i]['data_samples'] for i in range(len(dataset))]


# ---------------------------------------------------------------- datasets


def _check_train_skip(config: str, fault: str) -> Check:

    def check(tmp_path, source, monkeypatch):
        root = _copy(source, tmp_path)
        name = inject(osp.join(root, TRAIN), fault)
        dataset = _dataset(config, root)
        with captured() as messages:
            samples = _samples(dataset)
        assert mentions(messages, name)
        assert len(samples) == 4
        assert not any(s.img_path.endswith(name) for s in samples)

    return check


for _path, _config in ((TRAIN_1, STAGE1), (TRAIN_2, STAGE2)):
    for _fault in ('unreadable', 'missing_image'):
        register(
            _path, _fault, 'warning naming the image (MMOCR\'s '
            '`LoadImageFromFile(ignore_empty=True)`); another image is '
            'drawn in its place', _check_train_skip(_config, _fault))
for _fault in ('all_ignored', 'no_instances'):
    register(
        TRAIN_1, _fault, 'warning naming the image (no usable '
        'transcription); another image is drawn in its place',
        _check_train_skip(STAGE1, _fault))


@case(
    TRAIN_1, 'out_of_dict', 'warning naming the image and the word '
    '(once per process); the word is left out, the image\'s other words '
    'are kept')
def _train_1_out_of_dict(tmp_path, source, monkeypatch):
    root = _copy(source, tmp_path)
    name = inject(osp.join(root, TRAIN), 'out_of_dict')
    with captured() as messages:
        sample = _dataset(STAGE1, root)[0]['data_samples']
    assert sample.img_path.endswith(name)
    assert sample.gt_instances.texts == ['risked']
    assert mentions(messages, name, OUT_OF_DICT)


@case(
    TRAIN_1, 'long_word', f'the word is cut to its first {MAX_LEN} '
    'characters (`NormalizeTranscriptions.max_seq_len`, as the text '
    'encoder\'s); no warning')
def _train_1_long_word(tmp_path, source, monkeypatch):
    root = _copy(source, tmp_path)
    name = inject(osp.join(root, TRAIN), 'long_word')
    with captured() as messages:
        sample = _dataset(STAGE1, root)[0]['data_samples']
    assert sample.gt_instances.texts == ['a' * MAX_LEN, 'risked']
    assert not mentions(messages, name)


def _check_train_2_kept(fault: str) -> Check:

    def check(tmp_path, source, monkeypatch):
        root = _copy(source, tmp_path)
        name = inject(osp.join(root, TRAIN), fault)
        with captured() as messages:
            sample = _dataset(STAGE2, root)[0]['data_samples']
        assert sample.img_path.endswith(name)
        assert sample.gt_instances.ignored.all()
        assert not mentions(messages, name)

    return check


register(
    TRAIN_2, 'all_ignored', 'trained on, every word ignored: no anchor '
    'or recognition target there; no warning',
    _check_train_2_kept('all_ignored'))
register(TRAIN_2, 'no_instances',
         'trained on as an image without words; no warning',
         _check_train_2_kept('no_instances'))


def _stage2_loss(root: str) -> Tuple[dict, List[str]]:
    """The shipped SRSTS-A's losses on entry 0, and the warnings."""
    from mmengine.dataset import pseudo_collate

    from mmocr_wecromcl.apis import init_model
    from mmocr_wecromcl.utils import pretrained_checkpoint
    model = init_model(STAGE2, pretrained_checkpoint('srsts_a'))
    assert model.recog_head.max_seq_len == MAX_LEN
    data = model.data_preprocessor(
        pseudo_collate([_dataset(STAGE2, root)[0]]), True)
    with captured() as messages:
        losses = model.loss(**data)
    return losses, messages


@case(
    TRAIN_2, 'out_of_dict', 'warning naming the image and the word '
    '(once per process); the word is an anchor target without a '
    'recognition target')
def _train_2_out_of_dict(tmp_path, source, monkeypatch):
    root = _copy(source, tmp_path)
    name = inject(osp.join(root, TRAIN), 'out_of_dict')
    losses, messages = _stage2_loss(root)
    assert mentions(messages, name, OUT_OF_DICT)
    assert all(v.isfinite() for v in losses.values())


@case(
    TRAIN_2, 'long_word', 'its recognition target is cut to its first '
    f'{MAX_LEN} characters (`max_seq_len`); no warning')
def _train_2_long_word(tmp_path, source, monkeypatch):
    root = _copy(source, tmp_path)
    name = inject(osp.join(root, TRAIN), 'long_word')
    losses, messages = _stage2_loss(root)
    assert not mentions(messages, name)
    assert all(v.isfinite() for v in losses.values())


@case(
    TEST_SET, 'unreadable', '`ValueError` naming the image when the '
    'dataset is built (before the model runs); every test image is '
    'scored, so none is skipped')
def _test_unreadable(tmp_path, source, monkeypatch):
    root = _copy(source, tmp_path)
    name = inject(osp.join(root, TEST), 'unreadable')
    with pytest.raises(ValueError, match=f'{name}.*not a readable image'):
        _dataset(STAGE1, root, 'test')


@case(
    TEST_SET, 'missing_image', '`FileNotFoundError` naming the image '
    'when the dataset is built (before the model runs)')
def _test_missing_image(tmp_path, source, monkeypatch):
    root = _copy(source, tmp_path)
    name = inject(osp.join(root, TEST), 'missing_image')
    with pytest.raises(FileNotFoundError, match=f'{name}.*does not exist'):
        _dataset(STAGE1, root, 'test')


@case(
    TEST_SET, 'all_ignored', 'scored as an image without GT words (every '
    'word ignored); no warning')
def _test_all_ignored(tmp_path, source, monkeypatch):
    root = _copy(source, tmp_path)
    name = inject(osp.join(root, TEST), 'all_ignored')
    with captured() as messages:
        sample = _dataset(STAGE1, root, 'test')[0]['data_samples']
    texts = sample.gt_instances.texts
    assert texts and texts == ['###'] * len(texts)
    assert sample.gt_instances.ignored.all()
    assert not mentions(messages, name)


def _check_dataset_file(fault: str, error: type, match: str) -> Check:

    def check(tmp_path, source, monkeypatch):
        root = _copy(source, tmp_path)
        ann = inject(osp.join(root, TRAIN), fault)
        with pytest.raises(error, match=re.escape(ann) + '.*' + match):
            _dataset(STAGE1, root)

    return check


for _fault, _error, _match in (('empty', ValueError, 'has no image'),
                               ('malformed', ValueError, 'is not valid JSON'),
                               ('no_data_list', ValueError,
                                'is not in MMOCR\'s format'),
                               ('missing_ann', FileNotFoundError,
                                'does not exist')):
    register(
        ANY_SET, _fault, f'`{_error.__name__}` naming the file ("{_match}")'
        ' when the dataset is built (before the model runs)',
        _check_dataset_file(_fault, _error, re.escape(_match)))

# ---------------------------------------------------------------- tools

TOOLS = {
    # path: (module in tools/, config, shipped checkpoint, reads pseudo
    # labels)
    GEN: ('generate_pseudo_labels', STAGE1, 'wecromcl', False),
    RECENTER: ('recenter_pseudo_labels', STAGE2, 'srsts_a_along_word', True),
    REFINE: ('refine_pseudo_labels', STAGE2, 'srsts_a', True),
    VISUALIZE: ('visualize_activation', STAGE1, 'wecromcl', False),
}


def _input(path: str, root: str) -> str:
    """The annotation file a tool reads."""
    return _pseudo(root) if TOOLS[path][3] else osp.join(root, TRAIN)


def _out(path: str, root: str) -> str:
    return osp.join(root, 'maps' if path == VISUALIZE else 'out.json')


def run_tool(path: str,
             ann: str,
             out: str,
             checkpoint: Optional[str] = None) -> None:
    """Run a tool's ``main`` on ``ann``, writing ``out`` (its shipped
    checkpoint unless ``checkpoint`` is given)."""
    from mmocr_wecromcl.utils import pretrained_checkpoint
    module, config, model, _ = TOOLS[path]
    flag = '--out-dir' if path == VISUALIZE else '--out'
    importlib.import_module(module).main([
        config, checkpoint or pretrained_checkpoint(model), '--ann-file', ann,
        flag, out
    ])


def _labels(out: str) -> Dict[str, list]:
    """img_path -> instances of the output of a labelling tool."""
    with open(out) as f:
        return {
            e['img_path']: e['instances']
            for e in json.load(f)['data_list']
        }


def _written(path: str, out: str) -> List[str]:
    """The images a tool wrote something for."""
    if path == VISUALIZE:
        return sorted(f'textspotting_imgs/train/{f[:6]}.jpg'
                      for f in os.listdir(out))
    return sorted(_labels(out))


def _run_with_fault(path: str, fault: str, tmp_path,
                    source: str) -> Tuple[str, str, List[str]]:
    """Run a tool on a copy of ``source`` with ``fault``.

    Returns:
        tuple(str, str, list[str]): What the fault names (see
        :func:`inject`), the output and the warnings.
    """
    root = _copy(source, tmp_path)
    ann = _input(path, root)
    name = inject(ann, fault)
    out = _out(path, root)
    with captured() as messages:
        run_tool(path, ann, out)
    return name, out, messages


def _all_images(source: str) -> List[str]:
    with open(osp.join(source, TRAIN)) as f:
        return sorted(e['img_path'] for e in json.load(f)['data_list'])


def _check_tool_skip(path: str, fault: str) -> Check:

    def check(tmp_path, source, monkeypatch):
        name, out, messages = _run_with_fault(path, fault, tmp_path, source)
        assert mentions(messages, name)
        assert _written(path,
                        out) == [p for p in _all_images(source) if p != name]

    return check


def _check_tool_file_error(path: str, fault: str, error: type) -> Check:

    def check(tmp_path, source, monkeypatch):
        root = _copy(source, tmp_path)
        ann = inject(_input(path, root), fault)
        out = _out(path, root)
        _no_model(monkeypatch)
        with pytest.raises(error, match=re.escape(ann)):
            run_tool(path, ann, out)
        assert not [f for f in os.listdir(root) if f.startswith('out')]
        assert not osp.exists(out)

    return check


def _check_missing_checkpoint(path: str) -> Check:

    def check(tmp_path, source, monkeypatch):
        root = _copy(source, tmp_path)
        missing = str(tmp_path / 'no_such.pth')
        out = _out(path, root)
        _no_model(monkeypatch)
        with pytest.raises(
                FileNotFoundError,
                match=f'checkpoint {re.escape(missing)} does not '
                'exist'):
            run_tool(path, _input(path, root), out, checkpoint=missing)
        assert not [f for f in os.listdir(root) if f.startswith('out')]
        assert not osp.exists(out)

    return check


for _path in TOOLS:
    for _fault in ('unreadable', 'missing_image'):
        register(
            _path, _fault, 'warning naming the image; ' +
            ('no drawing of it, the other images are drawn'
             if _path == VISUALIZE else
             'it is left out of the output, the other images are '
             'labelled'), _check_tool_skip(_path, _fault))
    for _fault, _error in (('empty', ValueError), ('malformed', ValueError),
                           ('no_data_list', ValueError), ('missing_ann',
                                                          FileNotFoundError)):
        register(
            _path, _fault, f'`{_error.__name__}` naming the file (as for '
            'a dataset), before the model is built; nothing is written',
            _check_tool_file_error(_path, _fault, _error))
    register(
        _path, 'missing_checkpoint', '`FileNotFoundError` naming it, '
        'before the model is built; nothing is written',
        _check_missing_checkpoint(_path))


def _check_no_word(path: str, fault: str) -> Check:

    def check(tmp_path, source, monkeypatch):
        name, out, messages = _run_with_fault(path, fault, tmp_path, source)
        if path in (GEN, VISUALIZE):
            assert mentions(messages, name, 'no usable word')
        else:
            assert not mentions(messages, name)
        if path == VISUALIZE:
            assert name not in _written(path, out)
        else:
            assert _written(path, out) == _all_images(source)
            assert _labels(out)[name] == []

    return check


for _fault in ('all_ignored', 'no_instances'):
    register(
        GEN, _fault, 'warning naming the image (no usable word); it is '
        'written with no instances', _check_no_word(GEN, _fault))
    register(VISUALIZE, _fault,
             'warning naming the image (no usable word); no '
             'drawing of it', _check_no_word(VISUALIZE, _fault))
for _path in (RECENTER, REFINE):
    register(_path, 'no_instances', 'written with no instances (nothing to '
             'move); no warning', _check_no_word(_path, 'no_instances'))


@case(
    GEN, 'out_of_dict', 'warning naming the image and the word; that '
    'word gets no point, the image\'s other words do')
def _gen_out_of_dict(tmp_path, source, monkeypatch):
    name, out, messages = _run_with_fault(GEN, 'out_of_dict', tmp_path, source)
    assert mentions(messages, name, OUT_OF_DICT, 'gets no point')
    assert [i['text'] for i in _labels(out)[name]] == ['risked']


@case(
    GEN, 'long_word', 'it gets its point, queried by its first '
    f'{MAX_LEN} characters (the text encoder\'s `max_seq_len`); the full '
    'text is kept')
def _gen_long_word(tmp_path, source, monkeypatch):
    name, out, messages = _run_with_fault(GEN, 'long_word', tmp_path, source)
    assert [i['text'] for i in _labels(out)[name]] == [LONG_WORD, 'risked']
    assert not mentions(messages, name)


@case(
    VISUALIZE, 'out_of_dict', 'warning naming the image and the word; '
    'the image is drawn with its other words')
def _visualize_out_of_dict(tmp_path, source, monkeypatch):
    name, out, messages = _run_with_fault(VISUALIZE, 'out_of_dict', tmp_path,
                                          source)
    assert mentions(messages, name, OUT_OF_DICT)
    assert _written(VISUALIZE, out) == _all_images(source)


@case(
    VISUALIZE, 'long_word', 'drawn, the word queried by its first '
    f'{MAX_LEN} characters; no warning')
def _visualize_long_word(tmp_path, source, monkeypatch):
    name, out, messages = _run_with_fault(VISUALIZE, 'long_word', tmp_path,
                                          source)
    assert not mentions(messages, name)
    assert _written(VISUALIZE, out) == _all_images(source)


@case(
    REFINE, 'out_of_dict', 'the word keeps its point and is not ignored '
    '(nothing to read there); no warning')
def _refine_out_of_dict(tmp_path, source, monkeypatch):
    root = _copy(source, tmp_path)
    ann = _pseudo(root)
    name = inject(ann, 'out_of_dict')
    with open(ann) as f:
        before = json.load(f)['data_list'][0]['instances'][0]['point']
    run_tool(REFINE, ann, _out(REFINE, root))
    moved = _labels(_out(REFINE, root))[name][0]
    assert moved['text'] == OUT_OF_DICT and not moved['ignore']
    assert moved['point'] == pytest.approx(before, abs=0.01)


@case(
    REFINE, 'long_word', 'refined on its first '
    f'{MAX_LEN} characters (`max_seq_len`); the full text is kept')
def _refine_long_word(tmp_path, source, monkeypatch):
    name, out, messages = _run_with_fault(REFINE, 'long_word', tmp_path,
                                          source)
    assert _labels(out)[name][0]['text'] == LONG_WORD
    assert not mentions(messages, name)


@case(
    GEN, 'existing_output', '`FileExistsError` naming it (without '
    '`--overwrite`), before the model is built; the file is unchanged')
def _gen_existing_output(tmp_path, source, monkeypatch):
    root = _copy(source, tmp_path)
    out = _out(GEN, root)
    with open(out, 'w') as f:
        f.write('earlier work')
    _no_model(monkeypatch)
    with pytest.raises(FileExistsError, match=re.escape(out)):
        run_tool(GEN, _input(GEN, root), out)
    with open(out) as f:
        assert f.read() == 'earlier work'


@case(
    VISUALIZE, 'existing_output', '`FileExistsError` naming the drawing '
    '(without `--overwrite`), before the model is built; the file is '
    'unchanged')
def _visualize_existing_output(tmp_path, source, monkeypatch):
    root = _copy(source, tmp_path)
    out = _out(VISUALIZE, root)
    os.makedirs(out)
    drawing = osp.join(out, '000002_activation.png')
    with open(drawing, 'w') as f:
        f.write('earlier work')
    _no_model(monkeypatch)
    with pytest.raises(FileExistsError, match=re.escape(drawing)):
        run_tool(VISUALIZE, _input(VISUALIZE, root), out)
    with open(drawing) as f:
        assert f.read() == 'earlier work'


@case(
    GEN, 'interrupted', '`FileNotFoundError` before the model is built; '
    'the `.partial.jsonl` progress is kept as it was, and a rerun '
    'continues from it')
def _gen_interrupted(tmp_path, source, monkeypatch):
    root = _copy(source, tmp_path)
    out = _out(GEN, root)
    done = dict(img_path=FIRST, instances=[], earlier=True)
    progress = json.dumps(done) + '\n'
    with open(out + '.partial.jsonl', 'w') as f:
        f.write(progress)
    with monkeypatch.context() as patch:
        _no_model(patch)
        with pytest.raises(FileNotFoundError, match='no_such.pth'):
            run_tool(
                GEN,
                _input(GEN, root),
                out,
                checkpoint=str(tmp_path / 'no_such.pth'))
    with open(out + '.partial.jsonl') as f:
        assert f.read() == progress
    run_tool(GEN, _input(GEN, root), out)
    with open(out) as f:
        data_list = json.load(f)['data_list']
    assert data_list[0] == done and len(data_list) == 4


# ------------------------------------------------- evaluate_pseudo_labels

GT_POLYGON = [0, 0, 30, 0, 30, 10, 0, 10]
DICTIONARY = dict(type='Dictionary', dict_file='lower_english_digits.txt')


def _write_files(tmp_path, pseudo: Dict[str, List[str]],
                 gt: Dict[str, List[str]]) -> Tuple[str, str]:
    """A pseudo-label file and a GT file, each mapping an image to its words.

    The i-th GT word of an image has a 30 x 10 box at y = 20 i; the i-th
    pseudo word is at the centre of the i-th GT box.

    Returns:
        tuple(str, str): The pseudo-label file and the GT file.
    """

    def write(name, entries, make):
        path = str(tmp_path / name)
        with open(path, 'w') as f:
            json.dump(
                dict(
                    metainfo={},
                    data_list=[
                        dict(
                            img_path=img,
                            instances=[
                                make(text, row)
                                for row, text in enumerate(texts)
                            ]) for img, texts in entries.items()
                    ]), f)
        return path

    def gt_instance(text, row):
        polygon = [v + 20 * row * (i % 2) for i, v in enumerate(GT_POLYGON)]
        return dict(polygon=polygon, text=text, ignore=text == '###')

    def pseudo_instance(text, row):
        return dict(point=[15, 5 + 20 * row], text=text, score=0.5)

    return (write('pseudo.json', pseudo,
                  pseudo_instance), write('gt.json', gt, gt_instance))


def _evaluate(pseudo: str, gt: str) -> Dict[str, float]:
    from mmocr_wecromcl.apis import evaluate_pseudo_labels
    return evaluate_pseudo_labels(pseudo, gt, DICTIONARY)


@case(
    EVALUATE, 'missing_image', 'warning naming the GT image that the '
    'pseudo-label file lacks (e.g. left out as unreadable); the other '
    'images are scored (with no image in common, `ValueError` naming both '
    'files)')
def _evaluate_missing_image(tmp_path, source, monkeypatch):
    pseudo, gt = _write_files(
        tmp_path, pseudo=dict(a=['cat']), gt=dict(a=['cat'], b=['dog']))
    with captured() as messages:
        res = _evaluate(pseudo, gt)
    assert mentions(messages, 'not scored', ': b')
    assert res['anchor/nearest/recall'] == pytest.approx(1.0)
    pseudo, gt = _write_files(
        tmp_path, pseudo=dict(c=['cat']), gt=dict(a=['cat']))
    with pytest.raises(
            ValueError,
            match=f'no image of {re.escape(gt)} is in '
            f'{re.escape(pseudo)}'):
        _evaluate(pseudo, gt)


@case(EVALUATE, 'all_ignored', 'no GT word to find there: a pseudo point '
      'on it is a false positive')
def _evaluate_all_ignored(tmp_path, source, monkeypatch):
    pseudo, gt = _write_files(
        tmp_path,
        pseudo=dict(a=['cat'], b=['dog']),
        gt=dict(a=['cat'], b=['###']))
    res = _evaluate(pseudo, gt)
    assert res['anchor/nearest/recall'] == pytest.approx(1.0)
    assert res['anchor/nearest/precision'] == pytest.approx(0.5)


@case(
    EVALUATE, 'out_of_dict', 'with a dictionary, that GT word is not '
    'scored (as the model could not query it); no warning')
def _evaluate_out_of_dict(tmp_path, source, monkeypatch):
    pseudo, gt = _write_files(
        tmp_path, pseudo=dict(a=['cat']), gt=dict(a=['cat', OUT_OF_DICT]))
    with captured() as messages:
        res = _evaluate(pseudo, gt)
    assert res['anchor/nearest/recall'] == pytest.approx(1.0)
    assert not mentions(messages, OUT_OF_DICT)


@case(
    EVALUATE, 'long_word', f'with a dictionary, texts are compared on '
    f'their first {MAX_LEN} characters: the word is scored')
def _evaluate_long_word(tmp_path, source, monkeypatch):
    pseudo, gt = _write_files(
        tmp_path, pseudo=dict(a=[LONG_WORD]), gt=dict(a=[LONG_WORD + 'b']))
    res = _evaluate(pseudo, gt)
    assert res['anchor/nearest/hmean'] == pytest.approx(1.0)


def _check_evaluate_file(fault: str, error: type) -> Check:

    def check(tmp_path, source, monkeypatch):
        pseudo, gt = _write_files(
            tmp_path, pseudo=dict(a=['cat']), gt=dict(a=['cat']))
        inject(pseudo, fault)
        with pytest.raises(error, match=re.escape(pseudo)):
            _evaluate(pseudo, gt)

    return check


for _fault, _error in (('empty', ValueError), ('malformed', ValueError),
                       ('no_data_list', ValueError), ('missing_ann',
                                                      FileNotFoundError)):
    register(
        EVALUATE, _fault, f'`{_error.__name__}` naming the file (as for a '
        'dataset), before anything is scored',
        _check_evaluate_file(_fault, _error))


@case(
    METRICS_PATH, 'missing_lexicon', '`FileNotFoundError` naming it '
    'when the metric is built (before the test run starts)')
def _metric_missing_lexicon(tmp_path, source, monkeypatch):
    from mmocr.registry import METRICS
    with pytest.raises(
            FileNotFoundError, match=re.escape(str(tmp_path / 'none'))):
        METRICS.build(
            dict(
                type='PointSpottingMetric',
                lexicon_type='weak',
                lexicon_dir=str(tmp_path / 'none')))


@case(
    METRICS_PATH, 'missing_dict', '`FileNotFoundError` naming it when '
    'the metric is built (MMOCR\'s `Dictionary`)')
def _metric_missing_dict(tmp_path, source, monkeypatch):
    from mmocr.registry import METRICS
    missing = str(tmp_path / 'no_dict.txt')
    with pytest.raises(FileNotFoundError, match=re.escape(missing)):
        METRICS.build(
            dict(
                type='AnchorPointMetric',
                dictionary=dict(type='Dictionary', dict_file=missing)))


# ---------------------------------------------------------------- the doc

PATHS = [
    TRAIN_1, TRAIN_2, TEST_SET, ANY_SET, GEN, RECENTER, REFINE, VISUALIZE,
    EVALUATE, METRICS_PATH
]
# Grouped by path, in the order of PATHS and FAULTS.
CASES.sort(
    key=lambda c: (PATHS.index(c[0]), list(FAULTS.values()).index(c[1])))

BEGIN = '<!-- table: python -m tests.test_engine.test_bad_input -->'
END = '<!-- end of table -->'


def table() -> str:
    """The Markdown table of ``CASES``."""
    rows = ['| Path | Fault | What happens |', '| --- | --- | --- |']
    rows += [f'| {p} | {f} | {e} |' for p, f, e in CASES]
    return '\n'.join(rows) + '\n'


def doc_table(doc: str) -> str:
    """The table between the markers of ``docs/reliability.md``."""
    return doc.split(BEGIN + '\n', 1)[1].split(END, 1)[0]


# ---------------------------------------------------------------- tests


@pytest.fixture(scope='module', autouse=True)
def _one_thread() -> Iterator[None]:
    """One intra-op thread: the tiny inputs gain nothing from more, and on a
    busy machine more threads wait on each other (5x slower)."""
    import torch
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope='module')
def source(tmp_path_factory) -> str:
    import make_synthetic_dataset
    root = str(tmp_path_factory.mktemp('bad_input'))
    make_synthetic_dataset.main([
        '--out-dir', root, '--num-train', '4', '--num-test', '2', '--img-size',
        '96', '--preset', 'easy', '--seed', '0', '--no-progress', '--workers',
        '1', '--overwrite'
    ])
    with open(osp.join(root, TRAIN)) as f:
        first = json.load(f)['data_list'][0]
    # The word faults replace the first word of entry 0, beside 'risked'.
    assert first['img_path'] == FIRST
    assert [i['text'] for i in first['instances']][1:] == ['risked']
    return root


@pytest.mark.parametrize(
    'path,fault,expected',
    CASES,
    ids=[re.sub(r'[^\w]+', '_', f'{p}-{f}').strip('_') for p, f, _ in CASES])
def test_bad_input(path, fault, expected, tmp_path, source, monkeypatch):
    CHECKS[(path, fault)](tmp_path, source, monkeypatch)


def test_reliability_doc_lists_every_case():
    with open(DOC, encoding='utf-8') as f:
        assert doc_table(f.read()) == table(), (
            'docs/reliability.md is out of date: run '
            'python -m tests.test_engine.test_bad_input')


if __name__ == '__main__':
    with open(DOC, encoding='utf-8') as f:
        head, rest = f.read().split(BEGIN + '\n', 1)
    with open(DOC, 'w', encoding='utf-8') as f:
        f.write(head + BEGIN + '\n' + table() + END + rest.split(END, 1)[1])
    print(f'{len(CASES)} cases written to {DOC}')
