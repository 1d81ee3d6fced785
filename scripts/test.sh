#!/usr/bin/env bash
# Install symbackprop with its test dependencies into .venv, then lint, type-check and run every test.
# This is the README's test command and what .ci/run calls.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
# shellcheck disable=SC1091
. .venv/bin/activate
python -m pip install --quiet --disable-pip-version-check -e '.[test]'
ruff check symbackprop tests benchmarks
mypy
mypy benchmarks/scale_bench.py benchmarks/numeric_bench.py benchmarks/build_bench.py
# TeX Live with Chinese support and poppler, for the PDF tests: apt-get them if missing (root or passwordless sudo)
tex_debs=(texlive-xetex texlive-latex-extra texlive-lang-chinese texlive-fonts-recommended latexmk lmodern
          fonts-noto-cjk poppler-utils)
if ! command -v xelatex >/dev/null || ! command -v latexmk >/dev/null || ! command -v pdftoppm >/dev/null \
    || ! kpsewhich ctexbeamer.cls >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo"; else
    echo "scripts/test.sh: the PDF tests need the Debian packages: ${tex_debs[*]}" >&2
    exit 1
  fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${tex_debs[@]}"
fi
# KaTeX, pinned by tests/katex/package-lock.json, to check every formula of the Markdown output
if [ ! -d tests/katex/node_modules/katex ]; then
  npm ci --prefix tests/katex --no-audit --no-fund --silent
fi
# PyTorch for the autograd cross-check, only where its CPU wheel is already on disk (these machines keep one in
# /opt/wheels): elsewhere the cross-check tests are skipped with their reason rather than download GBs
if ! python -c "import torch" 2>/dev/null && compgen -G "/opt/wheels/torch-*+cpu-*.whl" >/dev/null; then
  python -m pip install --quiet --disable-pip-version-check "$(ls /opt/wheels/torch-*+cpu-*.whl | head -n 1)" \
    || echo "scripts/test.sh: PyTorch could not be installed; the cross-check will be skipped" >&2
fi
# the tests on every core (pytest-xdist; the corpus is judged a part at a time, so its parts run side by side)
python -m pytest -q -n auto --dist worksteal "$@"
