# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""The main job's ``--quick`` three-way run: its report, that the
transcription-only path never reads a location of the training images, and
that a job killed in each of its steps reruns to the same numbers."""
import json
import os
import os.path as osp
import re
import signal
import subprocess
import sys
import time

import pytest

from mmocr_wecromcl.datasets import location_keys
from ..conftest import REPO, load_tool

# The steps of row (b), transcription-only.
TRANSCRIPTION_ONLY_STEPS = ('stage1_wecromcl', 'pseudo_labels',
                            'transcription_only_stage2_part1',
                            'transcription_only_stage2')


def _main_job(repo_root, root, **popen):
    return subprocess.Popen([
        sys.executable,
        osp.join(repo_root, 'tools', 'main_job.py'), '--quick', '--work-dir',
        osp.join(root, 'work'), '--data-dir',
        osp.join(root, 'data')
    ],
                            cwd=repo_root,
                            text=True,
                            **popen)


@pytest.fixture(scope='module')
def whole(tmp_path_factory):
    """A ``--quick`` main job run from nothing."""
    root = str(tmp_path_factory.mktemp('main_job_whole'))
    job = _main_job(
        REPO, root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    log = job.communicate()[0]
    assert job.returncode == 0, log[-3000:]
    return root


def _results(root):
    with open(osp.join(root, 'work', 'results.json')) as f:
        return json.load(f)


def test_quick_job_reports_the_three_rows(whole):
    results = _results(whole)
    for row in ('zero_shot', 'transcription_only', 'full_supervision'):
        test = results[row]['test']
        assert 0 <= test['f'] <= 1 and 0 <= test['precision'] <= 1
    stage1 = results['transcription_only']
    assert list(
        stage1['pseudo_labels']) == ['wecromcl', 'recentred', 'refined']
    assert 'anchor/nearest/hmean' in stage1['stage1_test']
    f = results['summary']['f']
    assert results['summary']['full_minus_transcription_only'] == \
        pytest.approx(f['full_supervision'] - f['transcription_only'])
    with open(osp.join(whole, 'work', 'report.md')) as report:
        text = report.read()
    for row in ('(a) zero-shot', '(b) transcription-only',
                '(c) full point supervision'):
        assert f'| {row}' in text
    assert f"**{f['transcription_only']:.3f}**" in text
    # before / after pairs of activation maps and of spotted words
    pictures = re.findall(r'!\[\]\(([^)]+)\)', text)
    assert len(pictures) == 16
    assert all(osp.isfile(osp.join(whole, 'work', p)) for p in pictures)
    assert pictures[0].startswith('activation_maps_zero_shot/')
    assert pictures[9].startswith('transcription_only_stage2/spotted_words/')


def _file_arguments(argv):
    """The annotation files a command reads (options and --cfg-options)."""
    files = []
    for i, arg in enumerate(argv):
        value = arg.split('=', 1)[1] if '=' in arg else arg
        written = argv[i - 1] in ('--out', '--metrics-out')
        if value.endswith('.json') and not written:
            files.append(value)
    return files


def test_transcription_only_path_reads_no_location_of_training_images(whole):
    results = _results(whole)
    data = osp.join(whole, 'data')
    gt = osp.join(data, 'textspotting_train.json')
    transcriptions = osp.join(data, 'textspotting_train_transcriptions.json')
    assert location_keys(gt) >= {'polygon', 'bbox'}
    assert location_keys(transcriptions) == set()
    commands = [(step, argv) for step, argv in results['commands']
                if step in TRANSCRIPTION_ONLY_STEPS]
    assert {step for step, _ in commands} == set(TRANSCRIPTION_ONLY_STEPS)
    read = [f for _, argv in commands for f in _file_arguments(argv)]
    assert gt not in read and 'textspotting_train.json' not in read
    # stage 1 trains, and WeCromCL labels, on the transcriptions only
    stage1_train = next(
        argv for step, argv in commands
        if step == 'stage1_wecromcl' and argv[0].endswith('train.py'))
    assert (f'train_dataloader.dataset.ann_file={transcriptions}'
            in stage1_train)
    labelling = next(argv for step, argv in commands
                     if argv[0].endswith('generate_pseudo_labels.py'))
    assert labelling[labelling.index('--ann-file') + 1] == transcriptions
    # both parts of stage 2 train on points whose chain of sources ends
    # there; the second part continues the first one
    part1, part2 = (
        next(argv for step, argv in commands
             if step == name and argv[0].endswith('train.py'))
        for name in ('transcription_only_stage2_part1',
                     'transcription_only_stage2'))
    assert part2[part2.index('--resume') +
                 1] == osp.join(whole, 'work',
                                'transcription_only_stage2_part1',
                                'iter_2.pth')
    for argv, keys in ((part1, ('recentred', 'pseudo_labels')),
                       (part2, ('refined', 'recentred', 'pseudo_labels'))):
        ann = next(
            a.split('=', 1)[1] for a in argv
            if a.startswith('train_dataloader.dataset.ann_file='))
        with open(ann) as f:
            meta = json.load(f)['metainfo']
        chain = [meta[key]['source'] for key in keys]
        assert chain[-1] == transcriptions
        assert all(
            osp.dirname(p) == osp.join(whole, 'work', 'pseudo_labels')
            for p in [ann] + chain[:-1])


def _step(line: str) -> str:
    """A main-job step from its command line: ``[step] tool``."""
    words = line.split()
    return f'{words[0]} {osp.basename(words[2])}'


def _numbers(results):
    """``results`` without timings and the commands of one invocation."""
    if isinstance(results, dict):
        return {
            k: _numbers(v)
            for k, v in results.items()
            if k not in ('config', 'pngs', 'commands') and 'minutes' not in k
        }
    return results


def test_main_job_killed_in_each_step_reruns_to_the_same_results(
        repo_root, whole, tmp_path):
    # Rerun until the job completes, killing each step (with its
    # subprocesses) once, two seconds after it started.
    killed = str(tmp_path / 'killed')
    steps = []
    while True:
        job = _main_job(
            repo_root,
            killed,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True)
        for line in job.stdout:
            if line.startswith('[') and ' $ ' in line and \
                    _step(line) not in steps:
                steps.append(_step(line))
                time.sleep(2)
                os.killpg(job.pid, signal.SIGKILL)
                break
        job.stdout.close()
        if job.wait() == 0:
            break
        assert job.returncode == -signal.SIGKILL
    assert steps == [
        '[data] make_synthetic_dataset.py', '[zero_shot_stage1] test.py',
        '[zero_shot_stage2] test.py',
        '[zero_shot_stage1] visualize_activation.py',
        '[stage1_wecromcl] train.py', '[stage1_wecromcl] test.py',
        '[pseudo_labels] generate_pseudo_labels.py',
        '[pseudo_labels] recenter_pseudo_labels.py',
        '[pseudo_labels] visualize_activation.py',
        '[transcription_only_stage2_part1] train.py',
        '[pseudo_labels] refine_pseudo_labels.py',
        '[transcription_only_stage2] train.py',
        '[transcription_only_stage2] test.py',
        '[full_supervision_stage2] train.py',
        '[full_supervision_stage2] test.py'
    ]
    assert _numbers(_results(killed)) == _numbers(_results(whole))


def test_amp_reaches_the_tools_that_take_it(monkeypatch, tmp_path):
    from mmocr_wecromcl.engine import tool_runner
    import main_job
    commands = []
    monkeypatch.setattr(tool_runner.subprocess, 'run',
                        lambda cmd, **kwargs: commands.append(cmd[1:]))
    for amp in (False, True):
        job = main_job.Job(str(tmp_path), 'data', amp=amp)
        job.label('labels', 'generate_pseudo_labels.py', 'c.py', 'c.pth',
                  'a.json', str(tmp_path / 'out.json'))
        job.run('maps', 'visualize_activation.py', ['c.py', 'c.pth'])
    plain_label, plain_maps, amp_label, amp_maps = commands
    assert '--amp' not in plain_label and '--amp' not in plain_maps
    assert amp_label[1] == '--amp' and amp_label[2:] == plain_label[1:]
    assert '--amp' not in amp_maps  # the activation maps have no --amp
    # the flag parses where the job puts it
    assert load_tool('test').parse_args(['--amp', 'c.py', 'c.pth']).amp
