"""Convolution and pooling layers (convolution.py): every gradient against the truth computed here.

The truth is independent of the package: the whole loss is composed in this file from its definition — a
convolution as the sum Σ_m k_m x_{(j−1)·s+m} + b over zero-padded inputs, max- and average-pooling over
windows, ReLU as max(0, ·), σ, (t − o)²/2 — then differentiated by sympy.diff and by mpmath central
differences at 50 digits; PyTorch (torch.nn.functional.conv1d / conv2d / max_pool1d / max_pool2d) where it is
installed. The examples' numbers keep away from ties of a maximum and from ReLU's kink, where the derivative
has no single value; at a tie the first maximum takes the gradient, as PyTorch does (checked against PyTorch).
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import mpmath
import pytest
import sympy as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from symbackprop.convolution import FirstMax
from symbackprop.derive import derive
from symbackprop.errors import SpecError
from symbackprop.network import Network
from symbackprop.render import derivation_json

CONV = ROOT / "examples" / "conv"
CONV1D = CONV / "conv1d_maxpool.toml"
CONV2D = CONV / "conv2d_maxpool.toml"

# --- the reference: the forward pass written here, over any number type -------------------------------


def conv1d(x: Sequence[Any], k: Sequence[Any], b: Any, stride: int, padding: int) -> list[Any]:
    xp = [0] * padding + list(x) + [0] * padding
    n = (len(xp) - len(k)) // stride + 1
    return [sum((k[m] * xp[j * stride + m] for m in range(len(k))), b) for j in range(n)]


def conv2d(x: Sequence[Sequence[Any]], k: Sequence[Sequence[Any]], b: Any, stride: int, padding: int
           ) -> list[list[Any]]:
    width = len(x[0]) + 2 * padding
    xp = [[0] * width] * padding + [[0] * padding + list(row) + [0] * padding for row in x] + [[0] * width] * padding
    rows = (len(xp) - len(k)) // stride + 1
    cols = (width - len(k[0])) // stride + 1
    return [[sum((k[a][c] * xp[i * stride + a][j * stride + c] for a in range(len(k)) for c in range(len(k[0]))), b)
             for j in range(cols)] for i in range(rows)]


def pool1d(v: Sequence[Any], size: int, stride: int, f: Callable[[list[Any]], Any]) -> list[Any]:
    return [f(list(v[j * stride:j * stride + size])) for j in range((len(v) - size) // stride + 1)]


def pool2d(v: Sequence[Sequence[Any]], size: int, stride: int, f: Callable[[list[Any]], Any]) -> list[list[Any]]:
    rows, cols = (len(v) - size) // stride + 1, (len(v[0]) - size) // stride + 1
    return [[f([v[i * stride + a][j * stride + c] for a in range(size) for c in range(size)]) for j in range(cols)]
            for i in range(rows)]


class Ops:
    """max, ReLU, σ and exp for one number type: SymPy expressions or mpmath numbers."""

    def __init__(self, symbolic: bool) -> None:
        self.max: Callable[[list[Any]], Any] = (lambda vs: sp.Max(*vs)) if symbolic else max
        self.relu: Callable[[Any], Any] = (lambda z: sp.Max(0, z)) if symbolic else (lambda z: max(mpmath.mpf(0), z))
        self.exp: Callable[[Any], Any] = sp.exp if symbolic else mpmath.exp

    def sigmoid(self, z: Any) -> Any:
        return 1 / (1 + self.exp(-z))


def example_loss(path: Path, v: dict[str, Any], ops: Ops) -> Any:
    """The bundled example's loss, written out from the architecture its comments describe."""
    if path == CONV1D:
        x = [v[f"x{i}"] for i in range(1, 6)]
        c = [ops.relu(z) for z in conv1d(x, [v["k1"], v["k2"], v["k3"]], v["bc"], 1, 0)]
        p = pool1d(c, 2, 1, ops.max)
        o = ops.sigmoid(v["w1"] * p[0] + v["w2"] * p[1] + v["bo"])
    else:
        x = [[v[f"x{r}{c}"] for c in range(1, 5)] for r in range(1, 5)]
        k = [[v["k11"], v["k12"]], [v["k21"], v["k22"]]]
        c2 = [[ops.relu(z) for z in row] for row in conv2d(x, k, v["bc"], 2, 0)]
        p2 = pool2d(c2, 2, 2, ops.max)
        o = ops.sigmoid(v["w1"] * p2[0][0] + v["bo"])
    return (v["t"] - o) ** 2 / 2


def example_values(path: Path) -> dict[str, Fraction]:
    """Parameters, inputs and the target as exact fractions, read from the TOML file with tomllib."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    values = {n: Fraction(str(x)) for n, x in data["params"].items()}
    inputs = data["inputs"]
    if "x" in inputs:
        values |= {f"x{r + 1}{c + 1}": Fraction(str(x)) for r, row in enumerate(inputs["x"]) for c, x in enumerate(row)}
    else:
        values |= {n: Fraction(str(x)) for n, x in inputs.items()}
    values["t"] = Fraction(str(data["targets"]["o1"]))
    return values


def central(f: Callable[[dict[str, Any]], Any], at: dict[str, Any], name: str, h: str = "1e-18") -> Any:
    step = mpmath.mpf(h)
    up, down = dict(at), dict(at)
    up[name] += step
    down[name] -= step
    return (f(up) - f(down)) / (2 * step)


# --- the bundled examples ------------------------------------------------------------------------


@pytest.mark.parametrize("path", [CONV1D, CONV2D], ids=lambda p: p.stem)
def test_every_gradient_is_sympy_diff_of_the_whole_loss(path: Path) -> None:
    values = example_values(path)
    syms = {n: sp.Symbol(n, real=True) for n in values}
    loss = example_loss(path, syms, Ops(symbolic=True))
    at = {syms[n]: sp.Rational(v.numerator, v.denominator) for n, v in values.items()}
    net = Network.load(path)
    d = derive(net)
    assert abs(sp.N(loss.xreplace(at) - d.loss, 60)) < sp.Float("1e-45")
    for p in d.params:
        truth = sp.diff(loss, syms[p.name]).xreplace(at)
        assert abs(sp.N(truth - p.gradient, 60)) < sp.Float("1e-45"), p.name
    data = derivation_json(d)
    assert set(data["input_gradients"]) == {n for n in values if n.startswith("x")}
    for n, g in data["input_gradients"].items():  # ∂E/∂x: the δ's sent back through the flipped kernel
        truth = float(sp.N(sp.diff(loss, syms[n]).xreplace(at), 30))
        assert g == pytest.approx(truth, rel=1e-13, abs=1e-16), n


@pytest.mark.parametrize("path", [CONV1D, CONV2D], ids=lambda p: p.stem)
def test_every_gradient_is_the_central_difference_at_50_digits(path: Path) -> None:
    mpmath.mp.dps = 50
    at = {n: mpmath.mpf(v.numerator) / v.denominator for n, v in example_values(path).items()}

    def loss(v: dict[str, Any]) -> Any:
        return example_loss(path, v, Ops(symbolic=False))

    d = derive(Network.load(path))
    for p in d.params:
        assert abs(central(loss, at, p.name) - mpmath.mpf(str(sp.N(p.gradient, 50)))) < mpmath.mpf("1e-30"), p.name


def test_the_examples_keep_away_from_ties_and_kinks() -> None:
    """A maximum at a tie or a ReLU at 0 has no single derivative: the bundled numbers keep a margin of 0.01."""
    for path in (CONV1D, CONV2D):
        net = Network.load(path)
        f = derive(net).forward[0].values
        for layer in net.layers:
            if layer.activation.name == "relu":
                assert all(abs(f[n]) >= sp.Rational(1, 100) for n in layer.nets), path.stem
            if layer.kind == "maxpool":
                for n in layer.nets:
                    window = sorted((f[u] for u in net.quantities[n].partials), reverse=True)
                    assert window[0] - window[1] >= sp.Rational(1, 100), (path.stem, n)


def test_the_kernel_gradient_is_the_sum_over_the_positions_it_touched() -> None:
    """∂E/∂k_m = Σ_j δ_cj x_{j+m−1}: the δ form lists every position, and its numbers are the δ's and inputs."""
    d = derive(Network.load(CONV1D))
    sym = {s.name: s for s in d.network.quantities}
    for m in (1, 2, 3):
        expected = sum(sp.Symbol(f"delta_c{j}", real=True) * sym[f"x{j + m - 1}"] for j in (1, 2, 3))
        assert d.param(f"k{m}").delta_form == expected
    delta = {t.neuron: t.values[0] for t in d.deltas}
    x = [sp.Rational(s) for s in ("0.1", "-0.2", "0.3", "0.4", "-0.5")]
    for m in (1, 2, 3):
        assert d.param(f"k{m}").gradient == sum(delta[f"c{j}"] * x[j + m - 2] for j in (1, 2, 3))
    assert d.param("bc").gradient == sum(delta[f"c{j}"] for j in (1, 2, 3))
    matrix = d.matrices[0]  # the conv layer's matrix form: W is the kernel, grad_W its gradient
    assert list(matrix.W) == [sym["k1"], sym["k2"], sym["k3"]]
    assert list(matrix.values[0]["grad_W"]) == [d.param(f"k{m}").gradient for m in (1, 2, 3)]


def test_max_pooling_routes_the_gradient_to_the_first_maximum() -> None:
    a, b, m = sp.symbols("a b m", real=True)
    assert FirstMax(sp.Rational(1, 2), sp.Rational(1, 2)) == 1  # the first of the window that reaches the max
    assert FirstMax(sp.Rational(1, 2), sp.Rational(1, 2), sp.Rational(1, 2)) == 0  # a tie with one before it
    assert FirstMax(sp.Rational(1, 4), sp.Rational(1, 2)) == 0
    assert FirstMax(a, m, b).xreplace({a: 1, m: 1, b: sp.Rational(1, 2)}) == 1
    assert sp.latex(FirstMax(a, m)) == r"\mathbf{1}\left[a = m\right]"
    import numpy as np

    f = sp.lambdify([a, m, b], FirstMax(a, m, b), modules="numpy")
    assert list(f(np.array([1.0, 1.0, 0.5]), np.array([1.0, 1.0, 1.0]), np.array([0.5, 1.0, 0.5]))) == [1, 0, 0]


# --- random architectures ------------------------------------------------------------------------


@st.composite
def architectures(draw: st.DrawFn) -> dict[str, Any]:
    n = draw(st.integers(2, 7))
    padding = draw(st.integers(0, 2))
    size = draw(st.integers(1, min(4, n + 2 * padding)))
    stride = draw(st.integers(1, 3))
    conv_out = (n + 2 * padding - size) // stride + 1
    pool = draw(st.sampled_from(["maxpool", "avgpool"]))
    window = draw(st.integers(1, conv_out))
    pool_stride = draw(st.integers(1, 3))
    activation = draw(st.sampled_from(["relu", "tanh", "identity"]))
    tenths = st.integers(-9, 9).map(lambda i: Fraction(i, 10))
    return {"n": n, "padding": padding, "size": size, "stride": stride, "pool": pool, "window": window,
            "pool_stride": pool_stride, "activation": activation,
            "x": draw(st.lists(tenths, min_size=n, max_size=n)), "k": draw(st.lists(tenths, min_size=size,
                                                                                   max_size=size)),
            "b": draw(tenths), "t": draw(st.sampled_from([Fraction(0), Fraction(1)])),
            "w": draw(st.lists(tenths, min_size=12, max_size=12))}


def _random_loss(a: dict[str, Any], v: dict[str, Any], symbolic: bool) -> Any:
    ops = Ops(symbolic)
    act = {"relu": ops.relu, "identity": lambda z: z,
           "tanh": sp.tanh if symbolic else mpmath.tanh}[a["activation"]]
    c = [act(z) for z in conv1d([v[f"x{i + 1}"] for i in range(a["n"])], [v[f"k{m + 1}"] for m in range(a["size"])],
                                v["bc"], a["stride"], a["padding"])]
    p = pool1d(c, a["window"], a["pool_stride"], ops.max if a["pool"] == "maxpool" else lambda vs: sum(vs) / len(vs))
    o = ops.sigmoid(sum((v[f"w{j + 1}"] * pj for j, pj in enumerate(p)), v["bo"]))
    return (v["t"] - o) ** 2 / 2


def _away_from_ties(a: dict[str, Any], v: dict[str, Fraction]) -> bool:
    nets = conv1d([v[f"x{i + 1}"] for i in range(a["n"])], [v[f"k{m + 1}"] for m in range(a["size"])], v["bc"],
                  a["stride"], a["padding"])
    margin = Fraction(1, 100)
    if a["activation"] == "relu" and any(abs(z) < margin for z in nets):
        return False
    if a["pool"] == "maxpool" and a["activation"] != "tanh":  # tanh is monotone: its ties are the nets' ties
        c = [max(z, Fraction(0)) if a["activation"] == "relu" else z for z in nets]
    else:
        c = nets
    if a["pool"] == "maxpool":
        for window in pool1d(c, a["window"], a["pool_stride"], list):
            top = sorted(window, reverse=True)
            if len(top) > 1 and top[0] - top[1] < margin and not (a["activation"] == "relu" and top[0] == 0):
                return False  # a tie; all windows' ReLUs off is no tie that matters: the loss is flat there
    return True


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(architectures())
def test_random_conv1d_and_pooling_against_central_differences(a: dict[str, Any]) -> None:
    conv_out = (a["n"] + 2 * a["padding"] - a["size"]) // a["stride"] + 1
    assume(a["window"] <= conv_out)
    pooled = (conv_out - a["window"]) // a["pool_stride"] + 1
    values: dict[str, Fraction] = {f"x{i + 1}": x for i, x in enumerate(a["x"])}
    values |= {f"k{m + 1}": k for m, k in enumerate(a["k"])}
    values |= {"bc": a["b"], "bo": Fraction(1, 10), "t": a["t"]}
    values |= {f"w{j + 1}": a["w"][j] for j in range(pooled)}
    assume(_away_from_ties(a, values))
    spec = {
        "inputs": {f"x{i + 1}": float(values[f"x{i + 1}"]) for i in range(a["n"])},
        "targets": {"o1": float(a["t"])},
        "layers": [
            {"name": "c", "kind": "conv1d", "kernel": [f"k{m + 1}" for m in range(a["size"])], "bias": "bc",
             "stride": a["stride"], "padding": a["padding"], "activation": a["activation"]},
            {"name": "p", "kind": a["pool"], "size": a["window"], "stride": a["pool_stride"]},
            {"name": "o", "weights": [[f"w{j + 1}" for j in range(pooled)]], "bias": "bo"}],
        "params": {n: float(v) for n, v in values.items() if n[0] in "kbw"},
    }
    net = Network.from_dict(spec)
    d = derive(net, max_paths=0)
    mpmath.mp.dps = 50
    at = {n: mpmath.mpf(v.numerator) / v.denominator for n, v in values.items()}

    def loss(v: dict[str, Any]) -> Any:
        return _random_loss(a, v, symbolic=False)

    assert abs(loss(at) - mpmath.mpf(str(sp.N(d.loss, 50)))) < mpmath.mpf("1e-40")
    for p in d.params:
        truth = central(loss, at, p.name)
        assert abs(truth - mpmath.mpf(str(sp.N(p.gradient, 50)))) < mpmath.mpf("1e-25"), (p.name, a)
    inputs = derivation_json(d)["input_gradients"]
    for i in range(a["n"]):
        truth = float(central(loss, at, f"x{i + 1}"))
        assert inputs[f"x{i + 1}"] == pytest.approx(truth, rel=1e-12, abs=1e-15), (i, a)


# --- the spec: grids, keys, refusals ---------------------------------------------------------------


def test_several_kernels_with_padding_and_stride_against_sympy_diff() -> None:
    """conv1d with two kernels (channels c1_j, c2_j), padding 1, stride 2, then max-pooling per channel."""
    x = [Fraction(s) for s in ("0.3", "-0.7", "0.2", "0.9", "-0.4", "0.6")]
    params = {"a1": "0.5", "a2": "-0.3", "a3": "0.8", "m1": "-0.6", "m2": "0.4", "m3": "0.1", "ba": "0.05",
              "bm": "-0.15", "bo": "0.2", **{f"w{j}": f"0.{j}" for j in range(1, 5)}}
    spec = {"inputs": {f"x{i + 1}": float(v) for i, v in enumerate(x)}, "targets": {"o1": 1},
            "layers": [{"name": "c", "kind": "conv1d", "kernel": [["a1", "a2", "a3"], ["m1", "m2", "m3"]],
                        "bias": ["ba", "bm"], "stride": 2, "padding": 1, "activation": "tanh"},
                       {"name": "p", "kind": "maxpool", "size": 2, "stride": 1},
                       {"name": "o", "weights": [["w1", "w2", "w3", "w4"]], "bias": "bo"}],
            "params": {n: float(v) for n, v in params.items()}}
    net = Network.from_dict(spec)
    assert net.layers[0].neurons == ("c1_1", "c1_2", "c1_3", "c2_1", "c2_2", "c2_3")
    assert net.layers[1].neurons == ("p1_1", "p1_2", "p2_1", "p2_2")
    syms = {n: sp.Symbol(n, real=True) for n in [*params, *(f"x{i}" for i in range(1, 7))]}
    xs = [syms[f"x{i}"] for i in range(1, 7)]
    pooled = []
    for kernel, bias in ((["a1", "a2", "a3"], "ba"), (["m1", "m2", "m3"], "bm")):
        c = [sp.tanh(z) for z in conv1d(xs, [syms[k] for k in kernel], syms[bias], 2, 1)]
        pooled += pool1d(c, 2, 1, lambda vs: sp.Max(*vs))
    o = 1 / (1 + sp.exp(-(sum(syms[f"w{j + 1}"] * p for j, p in enumerate(pooled)) + syms["bo"])))
    loss = (1 - o) ** 2 / 2
    at = {syms[n]: sp.Rational(v) for n, v in params.items()} | {syms[f"x{i + 1}"]: sp.Rational(str(v))
                                                               for i, v in enumerate(x)}
    d = derive(net)
    for q in d.params:
        assert abs(sp.N(sp.diff(loss, syms[q.name]).xreplace(at) - q.gradient, 50)) < sp.Float("1e-40"), q.name


def test_a_grid_of_inputs_is_named_by_row_and_column() -> None:
    net = Network.load(CONV2D)
    assert [s.name for s in net.inputs] == [f"x{r}{c}" for r in range(1, 5) for c in range(1, 5)]
    assert net.spec.input_shape == (4, 4)
    assert [layer.neurons for layer in net.layers] == [("c11", "c12", "c21", "c22"), ("p11",), ("o1",)]
    assert net.values[net.by_name("k12")] == sp.Rational(1, 2)
    assert net.samples[0][net.by_name("x23")] == sp.Rational(-1, 10)


BASE = 'inputs = { x1 = 0.1, x2 = -0.2, x3 = 0.3 }\ntargets = { o1 = 1 }\n'
TAIL = '[[layers]]\nname = "o"\nsize = 1\n'


@pytest.mark.parametrize(("body", "key", "phrase"), [
    ('[[layers]]\nname = "c"\nkind = "conv1d"\nkernel = ["k1", "k2", "k3", "k4"]\n', "layers[0].kernel",
     "larger than its input"),
    ('[[layers]]\nname = "c"\nkind = "conv1d"\nkernel = ["k1"]\nstride = 0\n', "layers[0].stride", "integer >= 1"),
    ('[[layers]]\nname = "c"\nkind = "conv1d"\nkernel = ["k1"]\nkernal = 1\n', "layers[0].kernal",
     "did you mean 'kernel'"),
    ('[[layers]]\nname = "c"\nkind = "conv1d"\nkernel = ["k1"]\nweights = [["w"]]\n', "layers[0].weights",
     "a conv1d layer takes the keys"),
    ('[[layers]]\nname = "c"\nkernel = ["k1"]\nsize = 2\n', "layers[0].kernel", "belongs to a convolution"),
    ('[[layers]]\nname = "c"\nkind = "conv2d"\nkernel = [["k1"]]\n', "layers[0].kind", "reads 2-D values"),
    ('[[layers]]\nname = "c"\nkind = "maxpool"\nsize = 4\n', "layers[0].size", "larger than its input"),
    ('[[layers]]\nname = "c"\nkind = "maxpool"\n', "layers[0]", "missing key 'size'"),
    ('[[layers]]\nname = "c"\nkind = "conv1d"\nkernel = ["k1", 3]\n', "layers[0].kernel[1]", "expected a name"),
    ('[[layers]]\nname = "c"\nkind = "conv1d"\nkernel = ["k1"]\npadding = -1\n', "layers[0].padding",
     "integer >= 0"),
])
def test_bad_layers_are_one_message_naming_the_key(tmp_path: Path, body: str, key: str, phrase: str,
                                                   run_cli: Any) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(BASE + body + TAIL, encoding="utf-8")
    with pytest.raises(SpecError) as info:
        Network.load(path)
    assert info.value.key == key and phrase in info.value.message and info.value.source == str(path)


@pytest.mark.parametrize(("grid", "key", "phrase"), [
    ("x = [[0.1, 0.2], [0.3]]", "inputs.x[1]", "a rectangle"),
    ("x = [[0.1, 0.2], [0.3, \"a\"]]", "inputs.x[1][1]", "expected a number"),
    ("x = [[]]", "inputs.x[0]", "non-empty"),
])
def test_a_bad_grid_is_one_message(tmp_path: Path, grid: str, key: str, phrase: str) -> None:
    path = tmp_path / "grid.toml"
    path.write_text(f'targets = {{ o1 = 1 }}\n[inputs]\n{grid}\n[[layers]]\nname = "c"\nkind = "conv2d"\n'
                    f'kernel = [["k1"]]\n{TAIL}', encoding="utf-8")
    with pytest.raises(SpecError) as info:
        Network.load(path)
    assert info.value.key == key and phrase in info.value.message


def test_the_command_line_refuses_bad_input_with_exit_2(tmp_path: Path, run_cli: Any) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(BASE + '[[layers]]\nname = "c"\nkind = "conv1d"\nkernel = ["k1", "k2", "k3", "k4"]\n' + TAIL,
                    encoding="utf-8")
    proc = run_cli("derive", path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().count("\n") == 0 and "layers[0].kernel" in proc.stderr and str(path) in proc.stderr


# --- the command line ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [CONV1D, CONV2D], ids=lambda p: p.stem)
def test_derive_and_train_from_the_command_line(path: Path, run_cli: Any) -> None:
    data = json.loads(run_cli("derive", "--format", "json", path, check=True).stdout)
    values = example_values(path)
    params = {n for n in values if n[0] in "kbw"}
    assert set(data["gradients"]) == params and set(data["updated"]) == params
    assert set(data["input_gradients"]) == {n for n in values if n.startswith("x")}
    assert {"outputs", "loss", "deltas", "formulas", "matrices", "output_gradients"} <= set(data)
    text = run_cli("derive", path, check=True).stdout
    assert "δ_c1 · x1 + δ_c2 · x2 + δ_c3 · x3" in text if path == CONV1D else "δ_c11 · x11 + δ_c12 · x13" in text
    if path == CONV1D:  # x3 is read at position 1 by k3, at 2 by k2, at 3 by k1: the flipped kernel
        assert "∂E/∂x3 = δ_c1*k3 + δ_c2*k2 + δ_c3*k1" in text
    trained = json.loads(run_cli("train", "--steps", "20", "--format", "json", path, check=True).stdout)
    assert trained["losses"][0] == pytest.approx(data["loss"], rel=1e-12)
    assert trained["losses"][-1] < trained["losses"][0]


@pytest.mark.parametrize("path", [CONV1D, CONV2D], ids=lambda p: p.stem)
def test_the_lecture_shows_the_kernel_gradient_with_its_numbers(path: Path, run_cli: Any) -> None:
    md = run_cli("render", "--format", "markdown", "--lang", "en", path, check=True).stdout
    if path == CONV1D:
        assert r"\delta_{c1}" in md and "k_{1}" in md
    assert r"\mathbf{1}" in md  # max-pooling's local gradient: 1 at the window's maximum, else 0


@pytest.mark.tex
@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("path", [CONV1D, CONV2D], ids=lambda p: p.stem)
def test_the_beamer_lecture_compiles_without_overfull_boxes(path: Path, lang: str, tmp_path: Path,
                                                             run_cli: Any) -> None:
    import shutil

    if shutil.which("latexmk") is None or shutil.which("xelatex") is None:
        pytest.skip("latexmk/xelatex not installed")
    out = tmp_path / f"{path.stem}_{lang}.tex"
    proc = run_cli("render", "--lang", lang, "-o", out, "--pdf", path, check=True)
    assert (tmp_path / f"{path.stem}_{lang}.pdf").exists()
    assert "Overfull" not in proc.stderr and "off the frame" not in proc.stderr


# --- PyTorch ---------------------------------------------------------------------------------------


def _torch() -> Any:
    return pytest.importorskip("torch")


def _leaves(torch: Any, values: dict[str, Fraction]) -> dict[str, Any]:
    return {n: torch.tensor(float(v), dtype=torch.float64, requires_grad=True) for n, v in values.items()}


@pytest.mark.torch
@pytest.mark.parametrize("path", [CONV1D, CONV2D], ids=lambda p: p.stem)
def test_the_examples_against_pytorch(path: Path) -> None:
    torch = _torch()
    f = torch.nn.functional
    values = example_values(path)
    v = _leaves(torch, values)
    if path == CONV1D:
        x = torch.stack([v[f"x{i}"] for i in range(1, 6)]).reshape(1, 1, 5)
        k = torch.stack([v["k1"], v["k2"], v["k3"]]).reshape(1, 1, 3)
        c = torch.relu(f.conv1d(x, k, v["bc"].reshape(1), stride=1))
        p = f.max_pool1d(c, 2, stride=1).reshape(-1)
        o = torch.sigmoid(v["w1"] * p[0] + v["w2"] * p[1] + v["bo"])
    else:
        x = torch.stack([v[f"x{r}{c}"] for r in range(1, 5) for c in range(1, 5)]).reshape(1, 1, 4, 4)
        k = torch.stack([v["k11"], v["k12"], v["k21"], v["k22"]]).reshape(1, 1, 2, 2)
        c = torch.relu(f.conv2d(x, k, v["bc"].reshape(1), stride=2))
        p = f.max_pool2d(c, 2).reshape(-1)
        o = torch.sigmoid(v["w1"] * p[0] + v["bo"])
    loss = (v["t"] - o) ** 2 / 2
    loss.backward()
    d = derive(Network.load(path))
    for q in d.params:
        assert float(q.gradient) == pytest.approx(v[q.name].grad.item(), rel=1e-12, abs=1e-15), q.name
    inputs = derivation_json(d)["input_gradients"]
    for n, g in inputs.items():
        assert g == pytest.approx(v[n].grad.item(), rel=1e-12, abs=1e-15), n


@pytest.mark.torch
def test_a_tie_goes_to_the_first_maximum_as_in_pytorch() -> None:
    """Max-pooling straight over the inputs with x1 = x2: PyTorch and the derivation both route δ to x1."""
    torch = _torch()
    spec = {"inputs": {"x1": 0.5, "x2": 0.5, "x3": -0.25, "x4": 0.75}, "targets": {"o1": 1},
            "layers": [{"name": "p", "kind": "maxpool", "size": 2},
                       {"name": "o", "weights": [["w1", "w2"]], "bias": "bo"}],
            "params": {"w1": 0.3, "w2": -0.4, "bo": 0.1}}
    d = derive(Network.from_dict(spec))
    ours = derivation_json(d)["input_gradients"]
    x = torch.tensor([[[0.5, 0.5, -0.25, 0.75]]], dtype=torch.float64, requires_grad=True)
    p = torch.nn.functional.max_pool1d(x, 2).reshape(-1)
    o = torch.sigmoid(0.3 * p[0] - 0.4 * p[1] + 0.1)
    ((1 - o) ** 2 / 2).backward()
    theirs = x.grad.reshape(-1).tolist()
    assert theirs[1] == 0 and theirs[0] != 0
    assert [ours[f"x{i}"] for i in range(1, 5)] == pytest.approx(theirs, rel=1e-12, abs=1e-15)


@pytest.mark.torch
@settings(max_examples=15, deadline=None)
@given(st.integers(3, 6), st.integers(3, 6), st.integers(1, 3), st.integers(1, 2), st.integers(0, 1),
       st.integers(1, 2), st.sampled_from(["maxpool", "avgpool"]), st.randoms(use_true_random=False))
def test_random_conv2d_with_channels_and_padding_against_pytorch(rows: int, cols: int, kernel: int, stride: int,
                                                                 padding: int, channels: int, pool: str,
                                                                 rng: Any) -> None:
    """Several kernels (channels), padding, 2-D pooling per channel, a dense output over all channels."""
    torch = _torch()
    assume(kernel <= min(rows, cols) + 2 * padding)
    out_r, out_c = (rows + 2 * padding - kernel) // stride + 1, (cols + 2 * padding - kernel) // stride + 1
    window = min(2, out_r, out_c)
    pooled = channels * ((out_r - window) // window + 1) * ((out_c - window) // window + 1)
    x = [[round(rng.uniform(-1, 1), 2) for _ in range(cols)] for _ in range(rows)]
    kernels = [[[f"k{ch + 1}_{a + 1}{b + 1}" for b in range(kernel)] for a in range(kernel)] for ch in range(channels)]
    params = {n: round(rng.uniform(-1, 1), 2) for kern in kernels for row in kern for n in row}
    params |= {f"b{ch + 1}": round(rng.uniform(-0.5, 0.5), 2) for ch in range(channels)}
    params |= {f"w{j + 1}": round(rng.uniform(-1, 1), 2) for j in range(pooled)} | {"bo": 0.1}
    spec = {"targets": {"o1": 1}, "inputs": {"x": x},
            "layers": [{"name": "c", "kind": "conv2d", "kernel": kernels if channels > 1 else kernels[0],
                        "bias": [f"b{ch + 1}" for ch in range(channels)], "stride": stride, "padding": padding,
                        "activation": "tanh"},
                       {"name": "p", "kind": pool, "size": window},
                       {"name": "o", "weights": [[f"w{j + 1}" for j in range(pooled)]], "bias": "bo"}],
            "params": params}
    leaves = {n: torch.tensor(v, dtype=torch.float64, requires_grad=True) for n, v in params.items()}
    w = torch.stack([torch.stack([leaves[n] for row in kern for n in row]).reshape(1, kernel, kernel)
                     for kern in kernels])
    b = torch.stack([leaves[f"b{ch + 1}"] for ch in range(channels)])
    xt = torch.tensor(x, dtype=torch.float64).reshape(1, 1, rows, cols)
    c = torch.tanh(torch.nn.functional.conv2d(xt, w, b, stride=stride, padding=padding))
    if pool == "maxpool":  # away from ties, where the two may break them apart in the last bit
        windows = torch.nn.functional.unfold(c.detach().reshape(channels, 1, out_r, out_c), window, stride=window)
        top = windows.sort(dim=1, descending=True).values
        assume(window == 1 or bool((top[:, 0] - top[:, 1] > 1e-9).all()))
    pooling = torch.nn.functional.max_pool2d if pool == "maxpool" else torch.nn.functional.avg_pool2d
    p = pooling(c, window).reshape(-1)
    d = derive(Network.from_dict(spec), max_paths=0)
    o = torch.sigmoid(sum((leaves[f"w{j + 1}"] * p[j] for j in range(pooled)), leaves["bo"]))
    ((1 - o) ** 2 / 2).backward()
    for q in d.params:
        assert float(q.gradient) == pytest.approx(leaves[q.name].grad.item(), rel=1e-10, abs=1e-13), q.name


def test_check_judges_a_kernel_gradient_written_as_the_sum_over_positions(tmp_path: Path, run_cli: Any) -> None:
    """The checker reads the conv network through the same graph: Σ_j δ_cj x_{j} with every position is right (the
    sum over the positions k1 touched, by hand from the architecture), one position alone misses paths."""
    answers = tmp_path / "answers.toml"
    answers.write_text(
        "[[answer]]\nid = \"all\"\nquantity = \"dE/dk1\"\nlatex = '''\n"
        r"\frac{\partial E}{\partial k_1} = \delta_{c1} x_1 + \delta_{c2} x_2 + \delta_{c3} x_3" "\n'''\n"
        "[[answer]]\nid = \"one\"\nquantity = \"dE/dk1\"\nlatex = '''\n"
        r"\frac{\partial E}{\partial k_1} = \delta_{c1} x_1" "\n'''\n", encoding="utf-8")
    proc = run_cli("check", "--format", "json", CONV1D, answers)
    verdicts = {a["id"]: a["verdict"] for a in json.loads(proc.stdout)["answers"]}
    assert verdicts == {"all": "correct", "one": "incorrect"}


@pytest.mark.torch
def test_stacked_convolutions_and_poolings_against_pytorch() -> None:
    """conv2d → maxpool (stride 1) → conv2d (stride 2, padding 1) → avgpool 1 × 2 → dense: the cross-check
    (symbackprop.crosscheck) rebuilds it with torch.nn.functional and compares every gradient."""
    _torch()
    from symbackprop.crosscheck import compare

    x = [[0.3, -0.8, 0.5, 0.1, -0.2, 0.7], [0.9, 0.2, -0.4, 0.6, 0.3, -0.1], [-0.5, 0.4, 0.8, -0.3, 0.2, 0.6],
         [0.1, -0.6, 0.3, 0.9, -0.7, 0.4], [0.7, 0.5, -0.2, 0.2, 0.8, -0.9], [-0.3, 0.6, 0.4, -0.5, 0.1, 0.2]]
    spec = {"inputs": {"x": x}, "targets": {"o1": 1}, "layers": [
        {"name": "c", "kind": "conv2d", "kernel": [["a", "b"], ["c", "d"]], "bias": "bc", "activation": "tanh"},
        {"name": "p", "kind": "maxpool", "size": 2, "stride": 1},
        {"name": "e", "kind": "conv2d", "kernel": [["f", "g"], ["h", "i"]], "bias": "be", "stride": 2, "padding": 1,
         "activation": "sigmoid"},
        {"name": "q", "kind": "avgpool", "size": [1, 2]},
        {"name": "o", "weights": [["w1", "w2", "w3"]], "bias": "bo"}],
        "params": {"a": 0.4, "b": -0.7, "c": 0.2, "d": 0.9, "bc": 0.1, "f": -0.3, "g": 0.8, "h": 0.5, "i": -0.6,
                   "be": 0.2, "w1": 0.7, "w2": -0.4, "w3": 0.3, "bo": 0.1}}
    net = Network.from_dict(spec)
    assert [layer.neurons for layer in net.layers[2:4]] == [tuple(f"e{r}{c}" for r in (1, 2, 3) for c in (1, 2, 3)),
                                                            ("q11", "q21", "q31")]
    assert compare(net).ok


def test_a_conv1d_stride_of_two_values_is_refused() -> None:
    with pytest.raises(SpecError) as info:
        Network.from_dict({"inputs": {"x1": 0.1, "x2": 0.2, "x3": 0.3}, "targets": {"o1": 1},
                           "layers": [{"name": "c", "kind": "conv1d", "kernel": ["k1"], "stride": [2, 1]},
                                      {"name": "o", "size": 1}]})
    assert info.value.key == "layers[0].stride" and "expected one stride" in info.value.message
