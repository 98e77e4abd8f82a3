# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
import os.path as osp
import re
from setuptools import find_packages, setup

HERE = osp.dirname(osp.abspath(__file__))


def get_extensions() -> dict:
    """The compiled CPU ops (``mmocr_wecromcl._ext``), built against the
    installed torch (install with ``--no-build-isolation``). Without torch
    at build time the package installs without them and uses the PyTorch
    paths they replace."""
    try:
        from torch.utils.cpp_extension import BuildExtension, CppExtension
    except ImportError:
        print('torch is not importable at build time: building without the '
              'compiled CPU ops (pip install --no-build-isolation builds '
              'them)')
        return {}
    return dict(
        ext_modules=[
            CppExtension(
                'mmocr_wecromcl._ext',
                ['mmocr_wecromcl/ops/csrc/ms_deform_attn_cpu.cpp'],
                extra_compile_args=['-O3', '-fopenmp'],
                extra_link_args=['-fopenmp'])
        ],
        cmdclass=dict(build_ext=BuildExtension))


def get_version() -> str:
    with open(osp.join(HERE, 'mmocr_wecromcl', 'version.py')) as f:
        return re.search(r"__version__ = '([^']+)'", f.read()).group(1)


def parse_requirements(fname: str) -> list:
    """Read a requirements file, dropping comments and blank lines."""
    with open(osp.join(HERE, fname)) as f:
        lines = (line.split('#')[0].strip() for line in f)
        return [line for line in lines if line]


setup(
    name='mmocr_wecromcl',
    version=get_version(),
    description='Transcription-only supervised scene-text spotting '
    '(WeCromCL + SRSTS-A) as an MMOCR plugin',
    long_description=open(osp.join(HERE, 'README.md')).read(),
    long_description_content_type='text/markdown',
    packages=find_packages(exclude=('configs', 'tools', 'tests', 'docs')),
    include_package_data=True,
    package_data={
        'mmocr_wecromcl':
        ['resources/*.txt', 'resources/dicts/*.txt', 'resources/*.pth']
    },
    python_requires='>=3.8',
    install_requires=parse_requirements('requirements/runtime.txt') +
    parse_requirements('requirements/mminstall.txt'),
    extras_require=dict(tests=parse_requirements('requirements/tests.txt')),
    license='Apache License 2.0',
    zip_safe=False,
    **get_extensions())
