"""The benchmark scripts run (small grids, nothing timed is asserted) and their own measuring pieces are right:
the operation count agrees with SymPy's count_ops, the checker class has the verdicts it was built with, and the
compiled gradients the benchmark times agree with PyTorch where it is installed."""

from __future__ import annotations

import re
import sys

import pytest
import sympy as sp

from conftest import ROOT
from symbackprop.crosscheck import torch_available

sys.path.insert(0, str(ROOT / "benchmarks"))
import scale_bench


def test_tree_ops_counts_what_count_ops_counts_on_trees() -> None:
    x, y, z = sp.symbols("x y z")
    # (count_ops calls x − y one SUB where the tree has Add(x, Mul(−1, y)): expressions without minus signs)
    for e in [x + y + z, x * y * z, sp.exp(x * y) + sp.sin(z), (x + y) ** 2 * z, sp.tanh(x * (y + z)) * x]:
        assert scale_bench.tree_ops([e]) == sp.count_ops(e, visual=False)
    # a shared subtree is counted once per use, as a printed tree would show it
    s = sp.exp(x * y + z)
    assert scale_bench.tree_ops([s * (s + 1)]) == 2 * scale_bench.tree_ops([s]) + 2


def test_grid_networks_have_the_sizes_the_targets_name() -> None:
    assert len(scale_bench.network(*scale_bench.TARGET_FAST).params) == 884
    assert len(scale_bench.network(*scale_bench.TARGET_NAIVE).params) == 306


@pytest.mark.slow
def test_quick_run_measures_everything(capsys: pytest.CaptureFixture[str]) -> None:
    """Timings are reported, not asserted; what is asserted is that every part ran and its results are right
    (the checker's verdicts are compared inside the script; the gradients against PyTorch here)."""
    assert scale_bench.main(["--quick"]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert len(rows) == 4 and all(line.count("|") == 17 for line in rows)
    assert "every verdict as expected" in out
    agree = re.search(r"the gradients agree to (\S+) relative", out)
    if torch_available() is None:
        assert agree is not None and float(agree.group(1)) < 1e-10


def test_the_build_benchmark_runs_and_counts_the_parameters(capsys: pytest.CaptureFixture) -> None:
    """The MNIST-sized build benchmark on its two smallest sizes (nothing timed is asserted): n·h + h·10 weights
    and h + 10 biases, compiled layer-wise."""
    import build_bench

    assert build_bench.main(["--quick"]) == 0
    out = capsys.readouterr().out
    for n, h in build_bench.SIZES[:2]:
        assert f"| {n}-{h}-10 | {n * h + h * 10 + h + 10:,} |" in out
    assert "compiled as 'layers'" in out
