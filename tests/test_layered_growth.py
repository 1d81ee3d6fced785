"""The layered spec grows (issue 15): per-neuron activations (`activation = [...]`), missing connections (a 0 in
`weights`) and skip connections (`skip = "h"` or "inputs": out = f(net) + the earlier output, added after the
activation), through every part a user touches.

The truth is independent of the engine: each spec dict is written out here again in SymPy (`compose`: net_r =
Σ w·x + b over the connections present, out_r = f_r(net_r) + skip_r, E = ½ Σ (t − o)²), differentiated with
sympy.diff, and checked by mpmath central differences; the bundled examples' graph specs
(examples/graphs/residual_222.toml, per_neuron_missing.toml) give the same gradients by sympy.diff of their own
composed error. The engine is asked only for what it prints (derive, compile_network, train, the lecture's
numbers, the checker's verdicts, PyTorch's gradients).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from symbackprop import Network, derive
from symbackprop.backward import derive_circuit
from symbackprop.circuit import Circuit
from symbackprop.errors import SpecError
from symbackprop.numeric import compile_network
from symbackprop.render.figure import network_edges
from symbackprop.train import train

LAYERED = ROOT / "examples" / "layered"
PAIRS = [(LAYERED / "residual_222_layered.toml", ROOT / "examples" / "graphs" / "residual_222.toml"),
         (LAYERED / "per_neuron_missing_layered.toml", ROOT / "examples" / "graphs" / "per_neuron_missing.toml")]
DIGITS = 40

# the activations written out here, by their textbook formulas
ACT = {"sigmoid": lambda x: 1 / (1 + sp.exp(-x)), "tanh": sp.tanh, "identity": lambda x: x,
       "relu": lambda x: sp.Max(0, x), "softplus": lambda x: sp.log(1 + sp.exp(x))}


def _load(path: Path) -> dict[str, Any]:
    with path.open("rb") as f:
        return tomllib.load(f)


def compose(data: dict[str, Any]) -> tuple[sp.Expr, dict[str, sp.Symbol], dict[sp.Symbol, sp.Rational]]:
    """The spec dict as one SymPy error in its leaves (half squared error, one sample), the parameters' symbols
    by name and every leaf's value: written from the TOML structure alone."""
    values: dict[sp.Symbol, sp.Rational] = {}
    xs = [sp.Symbol(f"x_{n}") for n in data["inputs"]]
    values.update({x: sp.Rational(str(v)) for x, v in zip(xs, data["inputs"].values(), strict=True)})
    params: dict[str, sp.Symbol] = {}

    def param(name: str) -> sp.Symbol:
        params.setdefault(name, sp.Symbol(f"p_{name}"))
        values[params[name]] = sp.Rational(str(data["params"][name]))
        return params[name]

    outputs: dict[str, list[sp.Expr]] = {"inputs": list(xs)}
    a = list(xs)
    for layer in data["layers"]:
        rows = layer["weights"]
        acts = layer.get("activation", "sigmoid")
        acts = acts if isinstance(acts, list) else [acts] * len(rows)
        bias = layer.get("bias")
        biases = bias if isinstance(bias, list) else [bias] * len(rows)
        out = []
        for r, row in enumerate(rows):
            net = sp.Add(*[param(w) * a[c] for c, w in enumerate(row) if w != 0])
            if biases[r] is not None:
                net += param(biases[r])
            o = ACT[acts[r]](net)
            if "skip" in layer:
                o += outputs[layer["skip"]][r]
            out.append(o)
        outputs[layer["name"]] = out
        a = out
    names = data["layers"][-1].get("neurons") or [f"{data['layers'][-1]['name']}{r + 1}" for r in range(len(a))]
    ts = [sp.Rational(str(data["targets"][n])) for n in names]
    error = sp.Add(*[(t - o) ** 2 for t, o in zip(ts, a, strict=True)]) / 2
    return error, params, values


def truth_gradients(data: dict[str, Any]) -> dict[str, sp.Float]:
    error, params, values = compose(data)
    return {n: sp.N(sp.diff(error, p).xreplace(values), DIGITS) for n, p in params.items()}


def central_differences(data: dict[str, Any]) -> dict[str, mpmath.mpf]:
    """∂E/∂p by mpmath central differences of the composed error at 50 digits (h = 1e-20: error about h²)."""
    error, params, values = compose(data)
    order = list(params.values())
    f = sp.lambdify(order, error.xreplace({s: v for s, v in values.items() if s not in order}), "mpmath")
    out = {}
    with mpmath.workdps(50):
        base = [mpmath.mpf(sp.Rational(values[p]).p) / sp.Rational(values[p]).q for p in order]
        h = mpmath.mpf("1e-20")
        for k, (n, _) in enumerate(params.items()):
            up, down = list(base), list(base)
            up[k] += h
            down[k] -= h
            out[n] = (f(*up) - f(*down)) / (2 * h)
    return out


def close(a: Any, b: Any, tol: float = 1e-25) -> bool:
    a, b = mpmath.mpf(str(sp.N(a, DIGITS))), mpmath.mpf(str(sp.N(b, DIGITS)))
    return bool(abs(a - b) <= tol * max(1, abs(a), abs(b)))


# --- the bundled examples ---------------------------------------------------------------------------

@pytest.mark.parametrize("layered,graph", PAIRS, ids=lambda p: p.stem)
def test_the_layered_examples_have_the_graph_specs_gradients(layered: Path, graph: Path) -> None:
    """derive's gradients of the layered example = sympy.diff of the error composed here = sympy.diff of the
    graph spec's own composed error = mpmath central differences."""
    data = _load(layered)
    truth = truth_gradients(data)
    fd = central_differences(data)
    d = derive(Network.load(layered))
    assert set(d.gradients) == set(truth)
    c = Circuit.load(graph)
    composed = c.composed()[c.output]
    leaf_values = {**c.values, **(c.samples[0] if c.samples else {})}
    cd = derive_circuit(c)
    for name, value in truth.items():
        assert close(d.gradients[name], value), name
        assert close(fd[name], value, 1e-15), name
        graph_truth = sp.diff(composed, c.by_name(name)).xreplace(leaf_values)
        assert close(graph_truth, value), name
        assert close(cd.gradient(name).value, value), name
    assert close(d.loss, compose(data)[0].xreplace(compose(data)[2]))


def test_a_missing_connection_has_no_parameter_and_no_arrow() -> None:
    net = Network.load(LAYERED / "per_neuron_missing_layered.toml")
    x1, h2 = net.by_name("x1"), net.by_name("h2")
    assert "w21" not in {p.name for p in net.params} and len(net.params) == 8
    assert (x1, h2) not in {e.key for e in network_edges(net)}
    assert net.by_name("net_h2") not in net.children[x1]  # x1 feeds h1 only


def test_a_skip_is_drawn_and_adds_a_path() -> None:
    net = Network.load(LAYERED / "residual_222_layered.toml")
    skips = {e.key for e in network_edges(net) if e.kind == "skip"}
    assert skips == {(net.by_name("x1"), net.by_name("h1")), (net.by_name("x2"), net.by_name("h2"))}
    # x1 reaches E through net_h1, net_h2 and (the shortcut) h1 itself: 3 × 2 paths through the output layer
    assert len(net.paths(net.by_name("x1"))) == 6


def test_each_neuron_has_its_own_derivative_in_the_derivation() -> None:
    d = derive(Network.load(LAYERED / "per_neuron_missing_layered.toml"))
    h1, h2 = d.delta("h1"), d.delta("h2")
    (t1,), (t2,) = h1.terms, h2.terms
    o1, o2, n2 = t1.out, t2.out, h2.net
    assert sp.simplify(t1.activation.expr - (1 - o1 ** 2)) == 0  # tanh′ = 1 − out²
    assert t2.activation.expr == sp.Heaviside(n2, 0)  # ReLU′ = H(net)
    assert o2 is not None


def test_the_skip_derivative_is_taken_at_the_activation_value() -> None:
    """∂h1/∂net_h1 = σ′(net) with σ(net) = h1 − x1: its value is σ(net)(1 − σ(net)), not h1(1 − h1)."""
    net = Network.load(LAYERED / "residual_222_layered.toml")
    d = derive(net)
    (t,) = d.delta("h1").terms
    s = 1 / (1 + sp.exp(-sp.Rational(3775, 10000)))
    assert close(t.activation.values[0], s * (1 - s))


def test_input_gradients_include_the_shortcut() -> None:
    """derive's ∂E/∂x (input_gradients) with the skip: sympy.diff of the composed error by the input."""
    from symbackprop.derive import upstream

    data = _load(LAYERED / "residual_222_layered.toml")
    error, _, values = compose(data)
    got = upstream(derive(Network.load(LAYERED / "residual_222_layered.toml")))
    net = Network.load(LAYERED / "residual_222_layered.toml")
    for name in ("x1", "x2"):
        x = sp.Symbol(f"x_{name}")
        assert close(got[net.by_name(name)][1], sp.diff(error, x).xreplace(values)), name


@pytest.mark.parametrize("layered", [p for p, _ in PAIRS], ids=lambda p: p.stem)
def test_compile_network_and_train_fall_back_to_the_graph_code(layered: Path) -> None:
    data = _load(layered)
    truth = truth_gradients(data)
    net = Network.load(layered)
    compiled = compile_network(net)
    assert compiled.method == "graph"  # the layer-wise matrix form does not apply
    _, grads = compiled.loss_and_gradients()
    for name, value in truth.items():
        assert abs(grads[name] - float(value)) <= 1e-12 * max(1.0, abs(float(value))), name
    t = train(net, steps=1)
    eta = sp.Rational(str(data["learning_rate"]))
    for name, value in truth.items():
        want = float(sp.Rational(str(data["params"][name])) - eta * value)
        assert abs(t.params[name] - want) <= 1e-12, name


@pytest.mark.torch
@pytest.mark.parametrize("layered", [p for p, _ in PAIRS], ids=lambda p: p.stem)
def test_pytorch_agrees(layered: Path) -> None:
    pytest.importorskip("torch")
    from symbackprop.crosscheck import torch_gradients

    truth = truth_gradients(_load(layered))
    _, grads = torch_gradients(Network.load(layered))
    for name, value in truth.items():
        assert abs(grads[name] - float(value)) <= 1e-12 * max(1.0, abs(float(value))), name


def test_the_matrix_form_is_left_out() -> None:
    """δ = (Wᵀδ) ⊙ f′(z) would be false: no matrix form in the derivation, and no matrix in the lecture."""
    for path, _ in PAIRS:
        d = derive(Network.load(path))
        assert d.matrices == ()


def test_a_list_of_equal_activations_is_the_layer_s_activation() -> None:
    """`activation = ["sigmoid", "sigmoid"]` names one activation for the layer: the same network and derivation
    (so the existing examples' output cannot change by it)."""
    data = _load(ROOT / "examples" / "seed004_mattmazur.toml")
    listed = {**data, "layers": [{**layer, "activation": ["sigmoid", "sigmoid"]} for layer in data["layers"]]}
    a, b = derive(Network.from_dict(data)), derive(Network.from_dict(listed))
    assert a.gradients == b.gradients
    assert all(layer.regular for layer in b.network.layers) and len(b.matrices) == 2


# --- bad input: one message naming the key, exit 2 ----------------------------------------------------

BASE = {"inputs": {"x1": 1, "x2": 0.5}, "targets": {"o1": 1}, "learning_rate": 0.1,
        "layers": [{"name": "h", "weights": [["a", "b"], ["c", "d"]]}, {"name": "o", "weights": [["e", "f"]]}]}


@pytest.mark.parametrize("change,key,words", [
    ({0: {"activation": ["tanh"]}}, "layers[0].activation", "expected 2 activations"),
    ({0: {"activation": ["tanh", "sigmod"]}}, "layers[0].activation[1]", "did you mean 'sigmoid'"),
    ({0: {"activation": ["tanh", "softmax"]}}, "layers[0].activation[1]", "couples the whole layer"),
    ({0: {"activation": ["tanh", "step"]}}, "layers[0].activation[1]", "perceptron"),
    ({0: {"activation": []}}, "layers[0].activation", "empty array"),
    ({1: {"skip": "z"}}, "layers[1].skip", "names no layer"),
    ({0: {"skip": "h"}}, "layers[0].skip", "this layer or a later one"),
    ({1: {"skip": "h"}}, "layers[1].skip", "expected the same width"),
    ({1: {"skip": 3}}, "layers[1].skip", "expected the name of an earlier layer"),
    ({0: {"weights": [["a", 0], [0, 0]]}}, "layers[0].weights[1]", "every weight of this neuron is 0"),
    ({0: {"weights": [[0, "b"], [0, "d"]]}}, "layers[0].weights[0][0]", "column 0 is 0 in every row"),
    ({0: {"weights": [["a", 0.5], ["c", "d"]]}}, "layers[0].weights[0][1]", "or 0 (no connection)"),
])
def test_bad_growth_specs_are_refused_with_the_key(change: dict[int, dict[str, Any]], key: str, words: str,
                                                    tmp_path: Path) -> None:
    data = {**BASE, "layers": [{**layer, **change.get(i, {})} for i, layer in enumerate(BASE["layers"])]}
    with pytest.raises(SpecError) as info:
        Network.from_dict(data)
    message = str(info.value)
    assert key in message and words in message, message
    # from the command line: one line naming the file and the key, exit 2, no traceback
    lines = [f"{k} = {_toml(v)}" for k, v in data.items() if k != "layers"]
    for layer in data["layers"]:
        lines += ["[[layers]]", *[f"{k} = {_toml(v)}" for k, v in layer.items()]]
    spec = tmp_path / "bad.toml"
    spec.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "symbackprop", "derive", str(spec)], capture_output=True, text=True,
                         env=_env(), timeout=120)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert str(spec) in run.stderr and key in run.stderr and words in run.stderr, run.stderr


def _toml(v: Any) -> str:
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_toml(x)}" for k, x in v.items()) + " }"
    if isinstance(v, list):
        return "[" + ", ".join(_toml(x) for x in v) + "]"
    if isinstance(v, str):
        return f'"{v}"'
    return repr(v)


def _env() -> dict[str, str]:
    import os
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def test_a_skip_on_the_output_layer_refuses_a_log_loss() -> None:
    data = {**BASE, "loss": "binary_cross_entropy",
            "layers": [{"name": "h", "weights": [["a", "b"]]}, {"name": "o", "weights": [["e"]], "skip": "h"}]}
    with pytest.raises(SpecError, match=r"layers\[1\]\.skip"):
        Network.from_dict(data)


# --- random layered networks -------------------------------------------------------------------------

SMOOTH = ("sigmoid", "tanh", "identity", "softplus")


@st.composite
def grown_specs(draw: st.DrawFn) -> dict[str, Any]:
    """A random layered network with per-neuron activation lists, missing connections and skips (to an earlier
    layer or the inputs of the same width), every weight and bias named and valued."""
    n_in = draw(st.integers(1, 3))
    widths = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    value = st.integers(-9, 9).filter(lambda v: v != 0).map(lambda v: v / 10)
    params: dict[str, float] = {}
    layers: list[dict[str, Any]] = []
    before, count = [("inputs", n_in)], 0
    for li, width in enumerate(widths):
        prev = before[-1][1]
        rows = []
        for _ in range(width):
            row: list[Any] = []
            for _ in range(prev):
                count += 1
                row.append(f"w{count}")
            rows.append(row)
        # drop connections, keeping one per row and one per column
        for r in range(width):
            for c in range(prev):
                if draw(st.booleans()) and sum(w != 0 for w in rows[r]) > 1 \
                        and sum(rows[k][c] != 0 for k in range(width)) > 1:
                    rows[r][c] = 0
        for row in rows:
            params.update({w: draw(value) for w in row if w != 0})
        name = "o" if li == len(widths) - 1 else f"h{li + 1}"
        layer: dict[str, Any] = {"name": name, "weights": rows,
                                 "activation": [draw(st.sampled_from(SMOOTH)) for _ in range(width)]}
        if draw(st.booleans()):
            layer["bias"] = [f"b{li + 1}_{r + 1}" for r in range(width)]
            params.update({b: draw(value) for b in layer["bias"]})
        same = [n for n, w in before if w == width]
        if same and draw(st.booleans()):
            layer["skip"] = draw(st.sampled_from(same))
        layers.append(layer)
        before.append((name, width))
    # distinct neuron names: o1, o2, … for the output layer
    inputs = {f"x{i + 1}": draw(value) for i in range(n_in)}
    targets = {f"o{r + 1}": draw(value) for r in range(widths[-1])}
    return {"learning_rate": 0.5, "inputs": inputs, "targets": targets, "layers": layers, "params": params}


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grown_specs())
def test_random_grown_networks(data: dict[str, Any]) -> None:
    """derive, compile_network and the graph fallback agree with sympy.diff of the error composed here and with
    mpmath central differences; every missing connection is no parameter and no arrow."""
    net = Network.from_dict(data)
    truth = truth_gradients(data)
    fd = central_differences(data)
    d = derive(net, max_paths=4)
    assert set(d.gradients) == set(truth) == {p.name for p in net.params}
    for name, value in truth.items():
        assert close(d.gradients[name], value), name
        assert close(fd[name], value, 1e-15), name
    _, grads = compile_network(net).loss_and_gradients()
    for name, value in truth.items():
        assert abs(grads[name] - float(value)) <= 1e-10 * max(1.0, abs(float(value))), name
    weights = {e.param.name for e in network_edges(net) if e.kind == "weight" and e.param is not None}
    assert weights == {w for layer in data["layers"] for row in layer["weights"] for w in row if w != 0}
    irregular = any(len(set(layer["activation"])) > 1 or "skip" in layer or any(w == 0 for row in layer["weights"]
                    for w in row) for layer in data["layers"])
    assert (d.matrices == ()) == irregular


# --- the lecture: compiled, and every number it prints is a true value --------------------------------

NUMBER = re.compile(r"(?<![\w.^_{])-?\d+\.\d+(?![\w.])")


def _printed_gradients(tex: str) -> dict[str, list[str]]:
    """From the compact lecture's table: each parameter's printed gradient (the number after its δ form)."""
    out: dict[str, list[str]] = {}
    for line in tex.splitlines():
        m = re.match(r"\$(\w+)(?:_\{(\w+)\})?\$ & [-\d.]+ & \$.*= (-?[\d.]+)\$ & (-?[\d.]+) \\\\", line)
        if m:
            out.setdefault(m.group(1) + (m.group(2) or ""), []).extend([m.group(3), m.group(4)])
    return out


@pytest.mark.parametrize("layered", [p for p, _ in PAIRS], ids=lambda p: p.stem)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_lecture_prints_true_numbers(layered: Path, lang: str) -> None:
    """Every number the Beamer lecture prints is one of the true values (forward quantities, δ's, gradients,
    updates, the loss before and after, each rounded as printed), computed here from the composed error; and
    the gradient table's numbers are ∂E/∂p and p − η ∂E/∂p."""
    from symbackprop.render.document import render

    data = _load(layered)
    tex = render(derive(Network.load(layered)), "beamer", lang=lang)
    truth = truth_gradients(data)
    eta = sp.Rational(str(data["learning_rate"]))
    table = _printed_gradients(tex)
    assert set(table) == set(truth)
    for name, (gradient, updated) in table.items():
        assert _rounds_to(truth[name], gradient), (name, gradient)
        assert _rounds_to(sp.Rational(str(data["params"][name])) - eta * truth[name], updated), (name, updated)
    true = _true_values(data)
    # every formula (the figure's labels too; a line break \\ before a label is not an escaped $)
    math = re.findall(r"(?<!\\)\$(.+?)(?<!\\)\$", re.sub(r"\\\\(?=\$)", " ", tex), flags=re.S)
    numbers = [n for m in math for n in NUMBER.findall(m)]
    assert len(numbers) > 100
    for number in numbers:
        assert any(_rounds_to(v, number) for v in true), number
    # the general statements: a skip, per-neuron activations, a missing connection, said exactly when there
    with (ROOT / "templates" / "strings" / f"{lang}.toml").open("rb") as f:
        s = tomllib.load(f)
    layers = data["layers"]
    assert (s["summary_skip"] in tex) == any("skip" in layer for layer in layers)
    assert (s["summary_per_neuron"].replace("δ", r"$\delta$") in tex) == any(
        isinstance(layer.get("activation"), list) for layer in layers)
    assert (s["summary_missing"] in tex) == any(w == 0 for layer in layers for row in layer["weights"] for w in row)


def _rounds_to(value: Any, printed: str) -> bool:
    """`printed` is `value` rounded to its decimals (or to 6 significant digits, the default display)."""
    v = mpmath.mpf(str(sp.N(value, DIGITS)))
    p = mpmath.mpf(printed)
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    return bool(abs(v - p) <= mpmath.mpf(10) ** -decimals * 0.5000001)


def _true_values(data: dict[str, Any]) -> list[sp.Expr]:
    """Every quantity a lecture may print, computed from the composed error: the leaves' values, each layer's
    net inputs and outputs, ∂E/∂net (the δ's, by sympy.diff with a perturbation of the net), ∂E/∂out, the
    gradients, the updated values, the loss before and after, and the products a chain prints (its partial
    sums and factors are covered by the intermediate quantities)."""
    error, params, values = compose(data)
    out: list[sp.Expr] = [*values.values(), *(sp.Rational(str(v)) for v in data["targets"].values()),
                          sp.Rational(str(data["learning_rate"]))]
    out += list(truth_gradients(data).values())
    eta = sp.Rational(str(data["learning_rate"]))
    grads = truth_gradients(data)
    updated = {p: values[p] - eta * grads[n] for n, p in params.items()}
    out += list(updated.values())
    out.append(error.xreplace(values))
    out.append(error.xreplace({**values, **updated}))
    # forward and backward quantities, perturbing each net and each output: ∂E/∂net, ∂E/∂out and their values
    eps = sp.Symbol("eps")
    for after in (False, True):
        env = {**values, **updated} if after else values
        out += _layer_values(data, env, eps, params)
    return out


def _layer_values(data: dict[str, Any], env: dict[sp.Symbol, sp.Expr], eps: sp.Symbol,
                  params: dict[str, sp.Symbol]) -> list[sp.Expr]:
    """Each net, out, δ = ∂E/∂net, ∂E/∂out, f′(net) and partial products of one forward pass (values in env)."""
    found: list[sp.Expr] = []
    xs = [sp.Symbol(f"x_{n}") for n in data["inputs"]]
    # target −1: the forward pass itself; 2k: net k perturbed by eps, 2k + 1: out k (d/d eps at 0: ∂E/∂net, ∂E/∂out)
    for target in range(-1, sum(len(layer["weights"]) for layer in data["layers"]) * 2):
        outputs: dict[str, list[sp.Expr]] = {"inputs": list(xs)}
        a: list[sp.Expr] = list(xs)
        k = 0
        for layer in data["layers"]:
            rows = layer["weights"]
            acts = layer.get("activation", "sigmoid")
            acts = acts if isinstance(acts, list) else [acts] * len(rows)
            bias = layer.get("bias")
            biases = bias if isinstance(bias, list) else [bias] * len(rows)
            new = []
            for r, row in enumerate(rows):
                net = sp.Add(*[params[w] * a[c] for c, w in enumerate(row) if w != 0])
                if biases[r] is not None:
                    net += params[biases[r]]
                if k == target:
                    net += eps
                f = ACT[acts[r]]
                o = f(net) + (outputs[layer["skip"]][r] if "skip" in layer else 0)
                if target == -1:
                    z = sp.Symbol("z")
                    found += [net.xreplace(env), o.xreplace(env), f(net).xreplace(env),
                              sp.diff(f(z), z).xreplace({z: net}).xreplace(env)]
                if k + 1 == target:
                    o += eps
                k += 2
                new.append(o)
            outputs[layer["name"]] = new
            a = new
        names = data["layers"][-1].get("neurons") or [f"{data['layers'][-1]['name']}{r + 1}" for r in range(len(a))]
        ts = [sp.Rational(str(data["targets"][n])) for n in names]
        error = sp.Add(*[(t - o) ** 2 for t, o in zip(ts, a, strict=True)]) / 2
        if target == -1:
            found += [(o - t).xreplace(env) for o, t in zip(a, ts, strict=True)]
        else:
            found.append(sp.diff(error, eps).xreplace({eps: 0}).xreplace(env))
    return [sp.N(v, DIGITS) for v in found]


@pytest.mark.tex
@pytest.mark.parametrize("layered", [p for p, _ in PAIRS], ids=lambda p: p.stem)
def test_the_lecture_compiles(layered: Path, tmp_path: Path) -> None:
    out = tmp_path / f"{layered.stem}.tex"
    run = subprocess.run([sys.executable, "-m", "symbackprop", "render", str(layered), "--format", "beamer",
                          "--lang", "zh", "--pdf", "-o", str(out)], capture_output=True, text=True, env=_env(),
                         timeout=900)
    assert run.returncode == 0, run.stderr
    assert out.with_suffix(".pdf").stat().st_size > 10_000


# --- the checker --------------------------------------------------------------------------------------

def _check(tmp_path: Path, spec: Path, answers: list[tuple[str, str, str]]) -> dict[str, str]:
    import json

    lines = [f'spec = "{spec}"']
    for ident, quantity, latex in answers:
        lines += ["[[answer]]", f'id = "{ident}"', f'quantity = "{quantity}"', f"latex = '''\n{latex}\n'''"]
    path = tmp_path / "answers.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "symbackprop", "check", str(path), "--format", "json"],
                         capture_output=True, text=True, env=_env(), timeout=300)
    assert run.returncode in (0, 1), run.stderr
    return {a["id"]: a["verdict"] for a in json.loads(run.stdout)["answers"]}


def test_the_checker_judges_tanh_relu_and_a_missing_connection(tmp_path: Path) -> None:
    """∂E/∂w11 through the tanh neuron (1 − h1²), δ of the ReLU neuron (H(net)), w22 alone into h2; the values
    are the truth's rounded (the truth computed here: -0.0680431, 0.0505724, 0.0252862)."""
    data = _load(LAYERED / "per_neuron_missing_layered.toml")
    truth = truth_gradients(data)
    assert _rounds_to(truth["w11"], "-0.0680431") and _rounds_to(truth["w22"], "0.0252862")
    verdicts = _check(tmp_path, LAYERED / "per_neuron_missing_layered.toml", [
        ("a1", "dE/dw11", r"\frac{\partial E}{\partial w_{11}} = \delta_o \cdot v_1 \cdot (1 - h_1^2) \cdot x_1 "
                          r"= -0.0680431"),
        ("a2", "dE/dw11", r"\frac{\partial E}{\partial w_{11}} = \delta_o \cdot v_1 \cdot h_1 (1 - h_1) \cdot x_1"),
        ("a3", "delta_h2", r"\delta_{h2} = \delta_o v_2 H(net_{h2})"),
        ("a4", "dE/dw22", r"\frac{\partial E}{\partial w_{22}} = \delta_{h2} x_2 = 0.0252862"),
        ("a5", "dE/dw22", r"\frac{\partial E}{\partial w_{22}} = \delta_{h2} x_1"),
    ])
    assert verdicts == {"a1": "correct", "a2": "incorrect", "a3": "correct", "a4": "correct", "a5": "incorrect"}


def test_the_checker_judges_a_skip_path(tmp_path: Path) -> None:
    """δ_h1 below a residual layer: the skip's ∂E/∂out of the layer above enters (δ_o1 w5 + δ_o2 w7 reaches h1
    through net_o; the shortcut h1 = σ(net_h1) + x1 changes σ′ to (h1 − x1)(1 − (h1 − x1)))."""
    verdicts = _check(tmp_path, LAYERED / "residual_222_layered.toml", [
        ("b1", "delta_h1", r"\delta_{h1} = (\delta_{o1} w_5 + \delta_{o2} w_7) (out_{h1} - x_1)(1 - out_{h1} + x_1)"),
        ("b2", "delta_h1", r"\delta_{h1} = (\delta_{o1} w_5 + \delta_{o2} w_7) out_{h1}(1 - out_{h1})"),
    ])
    assert verdicts == {"b1": "correct", "b2": "incorrect"}


def test_the_checker_judges_a_skip_between_hidden_layers(tmp_path: Path) -> None:
    """dE/dh1 when h1 is also added to g1 (skip = "h"): the extra term ∂E/∂g1 · 1 = δ_o1 w9 is needed."""
    spec = tmp_path / "skip.toml"
    spec.write_text(SKIP3, encoding="utf-8")
    verdicts = _check(tmp_path, spec, [
        ("c1", "dE/dh1", r"\frac{\partial E}{\partial out_{h1}} = \delta_{g1} w_5 + \delta_{g2} w_7 + \delta_{o1} w_9"),
        ("c2", "dE/dh1", r"\frac{\partial E}{\partial out_{h1}} = \delta_{g1} w_5 + \delta_{g2} w_7"),
        ("c3", "delta_h2", r"\delta_{h2} = (\delta_{g1} w_6 + \delta_{g2} w_8 + \delta_{o1} w_{10}) (1 - out_{h2}^2)"),
    ])
    assert verdicts == {"c1": "correct", "c2": "incorrect", "c3": "correct"}


SKIP3 = """
learning_rate = 0.5
inputs = { x1 = 0.05, x2 = 0.10 }
targets = { o1 = 0.01 }
[[layers]]
name = "h"
activation = ["sigmoid", "tanh"]
weights = [["w1", "w2"], [0, "w4"]]
bias = "b1"
[[layers]]
name = "g"
activation = "tanh"
weights = [["w5", "w6"], ["w7", "w8"]]
skip = "h"
[[layers]]
name = "o"
activation = "sigmoid"
weights = [["w9", "w10"]]
[params]
w1 = 0.15
w2 = 0.20
w4 = 0.30
b1 = 0.35
w5 = 0.40
w6 = 0.45
w7 = 0.50
w8 = 0.55
w9 = 0.2
w10 = -0.3
"""


def test_the_skip_between_hidden_layers_has_the_composed_gradients() -> None:
    data = tomllib.loads(SKIP3)
    truth = truth_gradients(data)
    d = derive(Network.from_dict(data))
    for name, value in truth.items():
        assert close(d.gradients[name], value), name
    _, grads = compile_network(Network.from_dict(data)).loss_and_gradients()
    assert all(abs(grads[n] - float(v)) <= 1e-12 for n, v in truth.items())
    assert np.isfinite(list(grads.values())).all()


def test_training_by_hand_reads_the_skip_path() -> None:
    """[training] rounding = 4 on the residual example: one step to 4 decimals is p − η ∂E/∂p (the composed
    error's sympy.diff) up to the roundings of the intermediates (a few 1e-4)."""
    data = _load(LAYERED / "residual_222_layered.toml")
    rounded = {**data, "training": {"rounding": 4}}
    t = train(Network.from_dict(rounded), steps=1)
    truth = truth_gradients(data)
    eta = sp.Rational(str(data["learning_rate"]))
    for name, value in truth.items():
        want = float(sp.Rational(str(data["params"][name])) - eta * value)
        assert abs(t.params[name] - want) <= 3e-4, name


def test_a_sequential_layer_update_is_refused_for_a_grown_network() -> None:
    data = {**_load(LAYERED / "residual_222_layered.toml"), "training": {"layer_update": "sequential"}}
    with pytest.raises(SpecError, match="layer_update"):
        train(Network.from_dict(data), steps=1)
