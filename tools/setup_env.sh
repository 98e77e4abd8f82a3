#!/usr/bin/env bash
# Create (or refresh) the project's virtual environment with the pinned
# OpenMMLab stack and install mmocr_wecromcl into it in editable mode.
#
# Usage: tools/setup_env.sh [--tests]
#
#   --tests   also install what the test suite needs (requirements/tests.txt)
#
# Environment:
#   VENV             where the environment lives (default: <repo>/.venv)
#   PYTHON           interpreter used to create it (default: python3.11 or python3)
#   PIP_FIND_LINKS   a folder with a prebuilt mmcv 2.0.1 wheel (optional; without
#                    one mmcv is built from its sdist, 10-20 minutes on 2 cores)
#   MMCV_FORCE_CUDA  1 to build mmcv's CUDA ops even if no GPU is visible
#
# Every step checks whether it is already satisfied first, so a second run on a
# ready environment takes seconds. A failing step stops the script with a
# message that names it.
set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
CACHE="$ROOT/.cache"
CONSTRAINTS="$ROOT/requirements/constraints.txt"
WITH_TESTS=0
for arg in "$@"; do
    case "$arg" in
        --tests) WITH_TESTS=1 ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "setup_env: unknown argument '$arg'" >&2; exit 2 ;;
    esac
done

STEP="start"
trap 'echo "[setup_env] FAILED at step: $STEP (see the output above)" >&2' ERR
step() { STEP="$1"; echo "[setup_env] $1"; }

if [ -z "${PYTHON:-}" ]; then
    PYTHON="$(command -v python3.11 || command -v python3)"
fi

step "virtual environment ($VENV)"
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
PY="$VENV/bin/python"
PIP=("$PY" -m pip --disable-pip-version-check)

# Fast path: the environment was completed with these exact inputs before.
STAMP="$VENV/.setup_env-stamp"
inputs_hash() {
    cat "$ROOT"/requirements/*.txt "$ROOT/setup.py" "$0" | sha256sum | cut -d' ' -f1
}
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(inputs_hash)" ] && \
   { [ "$WITH_TESTS" = 0 ] || "$PY" -c "import pytest, pytest_timeout, flake8, isort, yapf" 2>/dev/null; }; then
    step "check (environment up to date; remove $STAMP to re-check every step)"
    "$PY" -c "import mmocr_wecromcl; print('[setup_env] ready:', mmocr_wecromcl.env_summary())"
    exit 0
fi

# `installed NAME==VERSION`: true when that exact version is installed.
installed() {
    "$PY" - "$1" <<'EOF' 2>/dev/null
import sys
from importlib.metadata import version
name, want = sys.argv[1].split('==')
sys.exit(0 if version(name).split('+')[0] == want else 1)
EOF
}

step "build tools (setuptools<82, wheel, numpy<2)"
if ! "$PY" -c "import setuptools, wheel, numpy, sys; \
sys.exit(int(setuptools.__version__.split('.')[0]) >= 82 or numpy.__version__.startswith('2'))" 2>/dev/null; then
    "${PIP[@]}" install -q -c "$CONSTRAINTS" "setuptools<82" wheel "numpy<2"
fi

step "torch 2.13.0 + torchvision 0.28.0 (from the package registry)"
if ! installed torch==2.13.0 || ! installed torchvision==0.28.0 || \
   ! "$PY" -c "import pkg_resources" 2>/dev/null; then
    # The registry's build runs on CPU and GPU, and torchvision has no CPU
    # build to match a CPU-only torch, so local find-links are ignored here.
    PIP_CONFIG_FILE=/dev/null "${PIP[@]}" install --isolated -q \
        torch==2.13.0 torchvision==0.28.0 "numpy<2" "setuptools<82"
fi

step "mmengine 0.10.7"
if ! installed mmengine==0.10.7; then
    "${PIP[@]}" install -q -c "$CONSTRAINTS" mmengine==0.10.7
fi

want_cuda=0
if [ "${MMCV_FORCE_CUDA:-0}" = 1 ] || \
   { command -v nvcc >/dev/null && "$PY" -c "import torch,sys; sys.exit(not torch.cuda.is_available())" 2>/dev/null; }; then
    want_cuda=1
fi

mmcv_ready() {
    installed mmcv==2.0.1 || return 1
    "$PY" - "$want_cuda" <<'EOF' 2>/dev/null
import sys
import mmcv._ext  # noqa: F401  (compiled ops are present)
from mmcv.ops import get_compiling_cuda_version
if sys.argv[1] == '1' and get_compiling_cuda_version() == 'not available':
    sys.exit(1)
EOF
}

build_mmcv_from_sdist() {
    local src="$CACHE/mmcv-src"
    rm -rf "$src" && mkdir -p "$src" "$CACHE/wheels"
    "${PIP[@]}" install -q -c "$CONSTRAINTS" ninja psutil
    "${PIP[@]}" download -q --no-deps --no-binary mmcv --no-build-isolation \
        mmcv==2.0.1 -d "$src"
    tar -xzf "$src"/mmcv-2.0.1.tar.gz -C "$src"
    # Modern torch headers need C++17; mmcv 2.0.1 asks for C++14.
    sed -i 's/-std=c++14/-std=c++17/g' "$src/mmcv-2.0.1/setup.py"
    echo "[setup_env] building mmcv 2.0.1 with ops (cuda=$want_cuda); this takes 10-20 minutes on 2 cores"
    (cd "$src/mmcv-2.0.1" && MMCV_WITH_OPS=1 FORCE_CUDA="$want_cuda" \
        MAX_JOBS="${MAX_JOBS:-$(nproc)}" \
        "${PIP[@]}" wheel -q --no-deps --no-build-isolation . -w "$CACHE/wheels")
    "${PIP[@]}" install -q --force-reinstall --no-deps "$CACHE/wheels"/mmcv-2.0.1-*.whl
}

step "mmcv 2.0.1 with compiled ops"
if ! mmcv_ready; then
    "${PIP[@]}" uninstall -q -y mmcv mmcv-lite >/dev/null 2>&1 || true
    if [ "$want_cuda" = 0 ] && "${PIP[@]}" install -q -c "$CONSTRAINTS" \
            --find-links "$CACHE/wheels" --only-binary mmcv mmcv==2.0.1 2>/dev/null; then
        echo "[setup_env] installed a prebuilt mmcv wheel (PIP_FIND_LINKS=${PIP_FIND_LINKS:-unset})"
    else
        "${PIP[@]}" install -q -c "$CONSTRAINTS" addict packaging Pillow pyyaml yapf opencv-python
        build_mmcv_from_sdist
    fi
    mmcv_ready || { echo "[setup_env] mmcv installed but its compiled ops do not import" >&2; false; }
fi

step "mmdet 3.1.0 and mmocr 1.0.1"
if ! installed mmdet==3.1.0 || ! installed mmocr==1.0.1; then
    "${PIP[@]}" install -q -c "$CONSTRAINTS" mmdet==3.1.0 mmocr==1.0.1
fi

step "openmim 0.3.9 (mim train / mim test)"
if ! installed openmim==0.3.9 || ! "$PY" -c "import mim, pandas" 2>/dev/null; then
    "${PIP[@]}" install -q -c "$CONSTRAINTS" -r "$ROOT/requirements/mim.txt"
    "${PIP[@]}" install -q -c "$CONSTRAINTS" --no-deps openmim==0.3.9
fi

step "mmocr_wecromcl (editable, with its compiled CPU ops)"
if ! "$PY" -c "import mmocr_wecromcl._ext" 2>/dev/null || \
   [ "$ROOT/setup.py" -nt "$VENV/.mmocr_wecromcl-installed" ] || \
   [ "$ROOT/mmocr_wecromcl/ops/csrc/ms_deform_attn_cpu.cpp" -nt "$VENV/.mmocr_wecromcl-installed" ] || \
   [ "$ROOT/requirements/runtime.txt" -nt "$VENV/.mmocr_wecromcl-installed" ]; then
    "${PIP[@]}" install -q -c "$CONSTRAINTS" --no-build-isolation -e "$ROOT"
    touch "$VENV/.mmocr_wecromcl-installed"
fi

if [ "$WITH_TESTS" = 1 ]; then
    step "test requirements"
    if ! "$PY" -c "import pytest, pytest_timeout, flake8, isort, yapf" 2>/dev/null; then
        "${PIP[@]}" install -q -c "$CONSTRAINTS" -r "$ROOT/requirements/tests.txt"
    fi
fi

step "check"
"$PY" -c "import mmocr_wecromcl; print('[setup_env] ready:', mmocr_wecromcl.env_summary())"
inputs_hash > "$STAMP"
