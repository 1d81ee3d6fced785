"""Thresholds θ on a fixed −1 input (Negnevitsky's net = Σ w·x − θ), against formulas
written here: the whole error of a threshold network written out by hand and differentiated by sympy.diff, mpmath
central differences, NumPy written here, PyTorch autograd; and Negnevitsky's published first pass of his XOR
network (examples/training/negnevitsky_xor.toml), recomputed with mpmath from the book's own formulas.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mpmath
import numpy as np
import pytest
import sympy as sp

from conftest import ROOT
from symbackprop.derive import derive
from symbackprop.errors import SpecError
from symbackprop.network import Network
from symbackprop.numeric import compile_network
from symbackprop.train import train
from truth import agree, finite_difference, mp_value

NEGNEVITSKY = ROOT / "examples" / "training" / "negnevitsky_xor.toml"


def threshold_net(**training: Any) -> dict[str, Any]:
    """A 2-2-1 network: thresholds per neuron on the hidden layer, one shared threshold on the output layer."""
    return {"learning_rate": 0.5, "loss": "half_sse", "inputs": ["x1", "x2"],
            "layers": [{"name": "h", "activation": "tanh", "weights": [["w1", "w2"], ["w3", "w4"]],
                        "threshold": ["t1", "t2"]},
                       {"name": "o", "activation": "sigmoid", "weights": [["w5", "w6"]], "threshold": "t3"}],
            "params": {"w1": 0.3, "w2": -0.8, "w3": 0.5, "w4": 0.2, "w5": 0.7, "w6": -0.4, "t1": 0.1, "t2": -0.6,
                       "t3": 0.25},
            "samples": [{"inputs": {"x1": 0.9, "x2": -0.6}, "targets": {"o1": 0.25}},
                        {"inputs": {"x1": -0.3, "x2": 0.8}, "targets": {"o1": 0.75}}],
            **({"training": training} if training else {})}


def by_hand(values: dict[str, Any], x: tuple[Any, Any], t: Any, exp: Any, tanh: Any) -> Any:
    """The network's error for one sample, written out here: net = Σ w·x − θ, a fixed input −1 on θ."""
    v = values
    h1 = tanh(v["w1"] * x[0] + v["w2"] * x[1] - v["t1"])
    h2 = tanh(v["w3"] * x[0] + v["w4"] * x[1] - v["t2"])
    o = 1 / (1 + exp(-(v["w5"] * h1 + v["w6"] * h2 - v["t3"])))
    return (t - o) ** 2 / 2


def test_a_threshold_enters_the_net_input_as_minus_theta() -> None:
    net = Network.from_dict(threshold_net())
    q = {q.name: q for q in net.quantities.values()}
    w1, w2, x1, x2, t1, t3 = (net.by_name(n) for n in ("w1", "w2", "x1", "x2", "t1", "t3"))
    assert sp.expand(q["net_h1"].definition - (w1 * x1 + w2 * x2 - t1)) == 0
    assert q["net_h1"].partials[t1] == -1 and q["net_o1"].partials[t3] == -1
    assert q["net_h1"].display.args[-1] == -t1  # written last, as Σ w·x − θ
    assert all(layer.threshold for layer in net.layers)


def test_threshold_gradients_are_sympy_diff_of_the_error_written_by_hand() -> None:
    """derive's gradients (exact) equal sympy.diff of the batch error written out in this test, and mpmath central
    differences; the compiled gradients (layer-wise, graph and sympy code) and a sequential/online run agree."""
    data = threshold_net()
    net = Network.from_dict(data)
    symbols = {n: sp.Symbol(n, real=True) for n in data["params"]}
    error = sp.Add(*[by_hand(symbols, (sp.Rational(repr(s["inputs"]["x1"])), sp.Rational(repr(s["inputs"]["x2"]))),
                             sp.Rational(repr(s["targets"]["o1"])), sp.exp, sp.tanh) for s in data["samples"]])
    at = {symbols[n]: sp.Rational(repr(v)) for n, v in data["params"].items()}
    d = derive(net)
    compiled = {m: compile_network(net, m).loss_and_gradients()[1] for m in ("layers", "graph", "sympy")}
    for p in d.params:
        truth = sp.diff(error, symbols[p.name]).xreplace(at)
        with mpmath.workdps(60):
            assert agree(mp_value(p.gradient), mp_value(sp.N(truth, 60)), 40), p.name
        assert agree(mp_value(p.gradient), finite_difference(net, p.param), 20), p.name
        for method, grads in compiled.items():
            assert abs(grads[p.name] - float(p.gradient)) < 1e-12, (method, p.name)
    assert compile_network(net).method == "layers"


def numpy_threshold_step(values: dict[str, float], x: np.ndarray, t: np.ndarray, eta: float) -> dict[str, float]:
    """One full-batch gradient step of the threshold network, backpropagated by hand in NumPy (samples in columns)."""
    v = values
    W1, th1 = np.array([[v["w1"], v["w2"]], [v["w3"], v["w4"]]]), np.array([v["t1"], v["t2"]])
    W2, th2 = np.array([[v["w5"], v["w6"]]]), np.array([v["t3"]])
    h = np.tanh(W1 @ x - th1[:, None])
    o = 1 / (1 + np.exp(-(W2 @ h - th2[:, None])))
    d2 = (o - t) * o * (1 - o)
    d1 = (W2.T @ d2) * (1 - h * h)
    gW2, gth2 = d2 @ h.T, -d2.sum(axis=1)  # ∂net/∂θ = −1
    gW1, gth1 = d1 @ x.T, -d1.sum(axis=1)
    new = dict(v)
    for names, g in ((("w1", "w2", "w3", "w4"), gW1.ravel()), (("w5", "w6"), gW2.ravel()), (("t1", "t2"), gth1),
                     (("t3",), gth2)):
        for n, gi in zip(names, g, strict=True):
            new[n] = v[n] - eta * gi
    return new


def test_training_a_threshold_network_follows_numpy_written_here() -> None:
    data = threshold_net()
    x = np.array([[s["inputs"]["x1"], s["inputs"]["x2"]] for s in data["samples"]]).T
    t = np.array([[s["targets"]["o1"] for s in data["samples"]]])
    expected = dict(data["params"])
    for _ in range(3):
        expected = numpy_threshold_step(expected, x, t, data["learning_rate"])
    run = train(Network.from_dict(data), 3)
    for name, value in expected.items():
        assert run.params[name] == pytest.approx(value, abs=1e-12), name
    # by hand, to 6 decimals, the −1 input too: the rounded run stays within rounding of the float one
    rounded = train(Network.from_dict(threshold_net(rounding=6)), 3)
    for name, value in expected.items():
        assert rounded.params[name] == pytest.approx(value, abs=1e-4), name


@pytest.mark.torch
def test_thresholds_in_the_pytorch_cross_check() -> None:
    from symbackprop.crosscheck import compare, torch_available

    if torch_available() is not None:
        pytest.skip(torch_available())
    assert compare(Network.from_dict(threshold_net())).ok
    assert compare(Network.load(NEGNEVITSKY)).ok


# --- the spec -----------------------------------------------------------------------------------------------------

def layer_with(**keys: Any) -> Network:
    return Network.from_dict({"inputs": ["x1"], "layers": [{"name": "h", "size": 2, **keys}]})


def test_threshold_forms() -> None:
    """threshold = true alone: one θ per neuron, θ^(1)_1 and θ^(1)_2; with bias = true one shared θ1; with bias names
    those names are thresholds; threshold = names names them; threshold = false is an ordinary bias."""
    assert [b.name for b in layer_with(threshold=True).layers[0].biases] == ["theta1_1", "theta1_2"]
    assert [b.name for b in layer_with(threshold=True, bias=True).layers[0].biases] == ["theta1", "theta1"]
    named = layer_with(threshold=True, bias=["a1", "a2"])
    assert [b.name for b in named.layers[0].biases] == ["a1", "a2"] and named.layers[0].threshold
    assert [b.name for b in layer_with(threshold="c").layers[0].biases] == ["c", "c"]
    plain = layer_with(threshold=False, bias="b")
    assert not plain.layers[0].threshold and plain.quantities[plain.layers[0].nets[0]].partials[
        plain.by_name("b")] == 1


@pytest.mark.parametrize(("keys", "key", "words"), [
    ({"threshold": ["a1", "a2"], "bias": "b"}, "layers[0].threshold", "names once"),
    ({"threshold": ["a1"]}, "layers[0].threshold", "expected 2 threshold names"),
    ({"threshold": 1}, "layers[0].threshold", "expected a threshold name"),
    ({"threshold": "not a name"}, "layers[0].threshold", "invalid name"),
])
def test_bad_thresholds_are_one_clear_error(keys: dict[str, Any], key: str, words: str) -> None:
    with pytest.raises(SpecError, match=words) as info:
        layer_with(**keys)
    assert info.value.key == key


# --- Negnevitsky's XOR network --------------------------------------------------------------------------------------

def header(path: Path) -> str:
    return " ".join("".join(line[1:] for line in path.read_text(encoding="utf-8").splitlines()
                            if line.startswith("#")).split())


PUBLISHED = {  # the book's first pass, as printed (and in the example's header)
    "y3": "0.5250", "y4": "0.8808", "y5": "0.5097", "e": "-0.5097", "δ5": "-0.1274", "Δw35": "-0.0067",
    "Δw45": "-0.0112", "Δθ5": "0.0127", "δ3": "0.0381", "δ4": "-0.0147", "Δw13": "0.0038", "Δw23": "0.0038",
    "Δθ3": "-0.0038", "Δw14": "-0.0015", "Δw24": "-0.0015", "Δθ4": "0.0015", "w13": "0.5038", "w14": "0.8985",
    "w23": "0.4038", "w24": "0.9985", "w35": "-1.2067", "w45": "1.0888", "θ3": "0.7962", "θ4": "-0.0985",
    "θ5": "0.3127"}


def negnevitsky_by_the_book() -> dict[str, mpmath.mpf]:
    """The first pass as the book computes it (e = y_d − y, δ = y(1 − y)·e, Δw = α·y·δ, Δθ = α·(−1)·δ), in mpmath."""
    with mpmath.workdps(50):
        m = mpmath.mpf
        x1 = x2 = m(1)
        yd, alpha = m(0), m("0.1")
        w13, w14, w23, w24, w35, w45 = m("0.5"), m("0.9"), m("0.4"), m("1.0"), m("-1.2"), m("1.1")
        th3, th4, th5 = m("0.8"), m("-0.1"), m("0.3")

        def sig(z: mpmath.mpf) -> mpmath.mpf:
            return 1 / (1 + mpmath.exp(-z))

        y3, y4 = sig(x1 * w13 + x2 * w23 - th3), sig(x1 * w14 + x2 * w24 - th4)
        y5 = sig(y3 * w35 + y4 * w45 - th5)
        e = yd - y5
        d5 = y5 * (1 - y5) * e
        d3, d4 = y3 * (1 - y3) * d5 * w35, y4 * (1 - y4) * d5 * w45
        out = {"y3": y3, "y4": y4, "y5": y5, "e": e, "δ5": d5, "δ3": d3, "δ4": d4,
               "Δw35": alpha * y3 * d5, "Δw45": alpha * y4 * d5, "Δθ5": alpha * -1 * d5,
               "Δw13": alpha * x1 * d3, "Δw23": alpha * x2 * d3, "Δθ3": alpha * -1 * d3,
               "Δw14": alpha * x1 * d4, "Δw24": alpha * x2 * d4, "Δθ4": alpha * -1 * d4}
        before = {"w13": w13, "w14": w14, "w23": w23, "w24": w24, "w35": w35, "w45": w45, "θ3": th3, "θ4": th4,
                  "θ5": th5}
        out.update({n: v + out[f"Δ{n}"] for n, v in before.items()})
        return out


def test_negnevitskys_published_first_pass_is_what_his_formulas_give() -> None:
    """Every published number is the book's formula at full precision, rounded to the digits printed."""
    book = negnevitsky_by_the_book()
    for name, text in PUBLISHED.items():
        places = len(text.split(".")[1])
        assert f"{float(book[name]):.{places}f}" == text, name
        assert f"{name} = {text}" in header(NEGNEVITSKY), name


def test_negnevitskys_xor_example_reproduces_the_published_first_pass() -> None:
    """derive and train on examples/training/negnevitsky_xor.toml give the published numbers to the digits printed:
    the outputs, e = t − y5, the δ's (the book's δ is −∂E/∂net), each Δ = −α ∂E/∂param and the new values."""
    net = Network.load(NEGNEVITSKY)
    d = derive(net)
    values = {net.quantities[s].name: float(v) for s, v in d.forward[0].values.items()}
    deltas = {t.neuron: -float(t.values[0]) for t in d.deltas}  # the book's sign
    ours: dict[str, float] = {"y3": values["y3"], "y4": values["y4"], "y5": values["y5"], "e": 0 - values["y5"],
                              "δ5": deltas["y5"], "δ3": deltas["y3"], "δ4": deltas["y4"]}
    run = train(net, 1)
    for p in d.params:
        book = p.name.replace("theta", "θ")
        ours[f"Δ{book}"] = -0.1 * float(p.gradient)
        ours[book] = run.params[p.name]
        assert run.params[p.name] == pytest.approx(float(p.updated), abs=1e-15)
    assert set(ours) == set(PUBLISHED)
    for name, text in PUBLISHED.items():
        assert f"{ours[name]:.{len(text.split('.')[1])}f}" == text, (name, ours[name])


def test_the_matrix_form_of_an_identity_threshold_layer_subtracts_theta() -> None:
    """An identity layer's forward pass in matrix form (seed 002's [out] = [x]·M + [b]) must subtract θ."""
    from symbackprop.render.document import render

    net = Network.from_dict({"learning_rate": 0.1, "inputs": {"x1": 1, "x2": 2}, "targets": {"o1": 1},
                             "layers": [{"name": "o", "activation": "identity", "weights": [["w1", "w2"]],
                                         "threshold": ["theta1"]}],
                             "params": {"w1": 0.5, "w2": 0.25, "theta1": 0.5}})
    text = render(derive(net), "article", "en", full=True)
    assert "\\mathit{out}_{o1}" in text and "+ \\begin{bmatrix}\\theta_{1}\\end{bmatrix}" not in text
    # 0.5·1 + 0.25·2 − 0.5 = 0.5: the row minus the threshold, and the printed result equal to it
    assert "- \\begin{bmatrix}\\theta_{1}\\end{bmatrix}" in text and "- \\begin{bmatrix}0.5\\end{bmatrix}" in text
