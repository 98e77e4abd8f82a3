# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
import builtins
import importlib.metadata

import pytest
from mmengine.registry import FUNCTIONS

import mmocr_wecromcl
from mmocr_wecromcl import install_check
from mmocr_wecromcl.install_check import InstallationError, check_installation


def test_import_registers_components():
    from mmocr.registry import DATASETS, METRICS, MODELS, TRANSFORMS
    for name in ('WeCromCL', 'WeCromCLImageEncoder', 'CharacterTextEncoder',
                 'CrossModalActivationHead', 'WeCromCLContrastiveLoss',
                 'BiFPN', 'PyramidLevelFusion', 'AnchorPointHead',
                 'PointFocalLoss', 'SRSTSA'):
        assert name in MODELS.module_dict, name
    for name in ('NegativeSampleMining', 'PackTranscriptionInputs',
                 'NormalizeTranscriptions', 'LoadPointAnnotations',
                 'PackPointSpottingInputs'):
        assert name in TRANSFORMS.module_dict, name
    assert 'TextSpottingDataset' in DATASETS.module_dict
    assert 'AnchorPointMetric' in METRICS.module_dict
    assert 'PointSpottingMetric' in METRICS.module_dict
    from mmengine.registry import MODEL_WRAPPERS as ROOT_WRAPPERS
    assert 'CPUDistributedDataParallel' in ROOT_WRAPPERS.module_dict
    assert 'transcription_collate' in FUNCTIONS.module_dict
    assert mmocr_wecromcl.__version__


def test_missing_compiled_ops_gives_clear_error(monkeypatch):
    real_import = builtins.__import__

    def no_ext(name, *args, **kwargs):
        if name == 'mmcv._ext':
            raise ImportError('libmmcv ops are missing')
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(install_check.importlib, 'import_module',
                        lambda name: no_ext(name))
    with pytest.raises(InstallationError, match='without its compiled ops'):
        check_installation()


def test_mmcv_lite_gives_clear_error(monkeypatch):
    real_version = importlib.metadata.version

    def fake_version(name):
        if name == 'mmcv':
            raise importlib.metadata.PackageNotFoundError(name)
        if name == 'mmcv-lite':
            return '2.0.1'
        return real_version(name)

    monkeypatch.setattr(install_check, 'version', fake_version)
    with pytest.raises(InstallationError, match='mmcv-lite 2.0.1'):
        check_installation()


@pytest.mark.parametrize('missing', ['mmengine', 'mmcv'])
def test_missing_package_gives_clear_error(monkeypatch, missing):
    real_version = importlib.metadata.version

    def fake_version(name):
        if name in (missing, 'mmcv-lite'):
            raise importlib.metadata.PackageNotFoundError(name)
        return real_version(name)

    monkeypatch.setattr(install_check, 'version', fake_version)
    with pytest.raises(InstallationError, match=f'{missing} is not installed'):
        check_installation()


def test_version_outside_pinned_range(monkeypatch):
    real_version = importlib.metadata.version
    monkeypatch.setattr(
        install_check, 'version', lambda name: '3.3.0'
        if name == 'mmdet' else real_version(name))
    with pytest.raises(InstallationError, match=r'mmdet 3.3.0 .*<3.2.0'):
        check_installation()


def test_installed_stack_passes():
    check_installation()
    assert 'mmcv 2.0.1' in mmocr_wecromcl.env_summary()
