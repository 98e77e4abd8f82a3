# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
import os
import os.path as osp
import re
import shutil
import sys
from setuptools import find_packages, setup

HERE = osp.dirname(osp.abspath(__file__))
#: What a built package carries under ``mmocr_wecromcl/.mim``, as
#: OpenMMLab packages do, so that an install without the repository has the
#: configs and tools.
MIM_FILES = ('configs', 'tools')


def add_mim_extension() -> None:
    """Copy :data:`MIM_FILES` into ``mmocr_wecromcl/.mim`` when a wheel or an
    sdist is built.

    Editable installs run from the repository and need no copy. The
    configs' relative ``_base_`` paths hold inside ``.mim``; their
    dictionary paths fall back to the dictionaries the package ships
    (``mmocr_wecromcl.utils.build_dictionary``).
    """
    if not {'bdist_wheel', 'sdist'} & set(sys.argv):
        return
    mim_dir = osp.join(HERE, 'mmocr_wecromcl', '.mim')
    shutil.rmtree(mim_dir, ignore_errors=True)
    for name in MIM_FILES:
        shutil.copytree(
            osp.join(HERE, name),
            osp.join(mim_dir, name),
            ignore=shutil.ignore_patterns('__pycache__', '*.pyc'))


def get_extensions() -> dict:
    """The compiled CPU ops (``mmocr_wecromcl._ext``), built against the
    installed torch (install with ``--no-build-isolation``). Without torch
    at build time, or with ``WECROMCL_WITH_OPS=0``, the package installs
    without them and uses the PyTorch paths they replace."""
    if os.environ.get('WECROMCL_WITH_OPS', '1') == '0':
        return {}
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


add_mim_extension()
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
        'mmocr_wecromcl': [
            'resources/*.txt', 'resources/dicts/*.txt', 'resources/*.pth',
            '.mim/configs/**/*.py', '.mim/tools/*.py', '.mim/tools/*.sh'
        ]
    },
    python_requires='>=3.8',
    install_requires=parse_requirements('requirements/runtime.txt') +
    parse_requirements('requirements/mminstall.txt'),
    extras_require=dict(tests=parse_requirements('requirements/tests.txt')),
    license='Apache License 2.0',
    zip_safe=False,
    **get_extensions())
