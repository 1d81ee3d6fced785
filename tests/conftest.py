from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
# the bundled examples by the seed they come from, one name each for every test module
SEED000, SEED001, SEED002, SEED003, SEED004 = (ROOT / "examples" / f"{name}.toml" for name in (
    "seed000_in_out", "seed001_abstract_phi", "seed002_linear", "seed003_symbolic", "seed004_mattmazur"))
SOFTMAX = ROOT / "examples" / "softmax_batch.toml"


@pytest.fixture(autouse=True, scope="session")
def _readers_not_timed() -> Iterator[None]:
    """A loaded machine must not change a verdict (a lecture line refused as "took longer than 2 s to read" failed
    a run beside six other sessions): in the tests the reader's clock gets a minute; the tests of the limits pass
    theirs."""
    from symbackprop.check import run
    from symbackprop.check.parse import parse

    saved = parse.__kwdefaults__["timeout"], run.PARSE_TIMEOUT
    parse.__kwdefaults__["timeout"], run.PARSE_TIMEOUT = 60.0, 60.0
    yield
    parse.__kwdefaults__["timeout"], run.PARSE_TIMEOUT = saved


@pytest.fixture
def run_cli():
    """Run the command line in a subprocess, as a user would."""

    def run(*args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run([sys.executable, "-m", "symbackprop", *map(str, args)], capture_output=True,
                              text=True, timeout=300, cwd=ROOT)
        if check and proc.returncode != 0:
            raise AssertionError(f"exit {proc.returncode}: {proc.stderr}")
        return proc

    return run


# Whole modules that take long for another reason than TeX, notebooks, KaTeX or PyTorch (marked where they use
# them): the labelled corpus through the checker, every lecture line through the judge, the proofs of every
# slide against sympy.diff, hypothesis' random networks. The everyday quick run leaves them out:
#     python -m pytest -m "not (tex or notebook or katex or torch or slow)"
SLOW_MODULES = frozenset({"test_corpus.py", "test_lecture_judged.py", "test_lecture_truth.py",
                          "test_truth_random.py", "test_numeric_layers.py"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
