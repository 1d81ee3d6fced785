#!/usr/bin/env bash
# Install symbackprop with its test dependencies into .venv, then lint, type-check and run every test.
# This is the README's test command and what .ci/run calls.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
# shellcheck disable=SC1091
. .venv/bin/activate
python -m pip install --quiet --disable-pip-version-check -e '.[test]'
ruff check symbackprop tests
mypy
python -m pytest -q "$@"
