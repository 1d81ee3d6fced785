"""[training] layer_update = "sequential" and rounding = N against implementations written here, not the project's.

The sequential update (the output layer first, the hidden δ's through its updated weights) is checked against a
NumPy loop over the layers; the hand-rounded training against a Decimal loop that rounds every intermediate half
up. Both on seed 004, on random small networks (hypothesis) and on the two bundled examples, whose header
comments print the numbers asserted here.
"""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, SEED004
from symbackprop import derive
from symbackprop.errors import SpecError
from symbackprop.network import Network
from symbackprop.render.document import render
from symbackprop.train import Training, train

# examples/training/: bundled, but not among the lecture examples (examples/*.toml) that every lecture test and the
# checker's labelled corpus cover; what those tests ask of every example is asked of these at the end of this file
TRAINING = ROOT / "examples" / "training"
SEQUENTIAL_221 = TRAINING / "sequential_221.toml"
ROUNDED_221 = TRAINING / "rounded_221.toml"
# the perceptron rule's examples ([training] rule = "perceptron") derive no gradient: tests/test_training_perceptron.py
TRAINING_EXAMPLES = sorted(p for p in TRAINING.glob("*.toml")
                           if 'rule = "perceptron"' not in p.read_text(encoding="utf-8"))
SETTINGS: dict[str, Any] = {"deadline": None, "database": None, "derandomize": True,
                            "suppress_health_check": [HealthCheck.too_slow]}


# --- the networks of these tests, as plain arrays ------------------------------------------------------------

@dataclass
class Dense:
    """A feed-forward network as the tests see it: per layer W (out, in), b (out,) or one shared bias (1,),
    the activation's name, whether the bias trains. Samples are columns of X (inputs) and T (targets)."""

    W: list[np.ndarray]
    b: list[np.ndarray | None]
    acts: list[str]
    X: np.ndarray
    T: np.ndarray
    eta: float = 0.5
    update: str = "batch"
    batch_size: int = 1
    momentum: float = 0.0
    decay: float = 0.0
    frozen_biases: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def groups(self) -> list[list[int]]:
        n = self.X.shape[1]
        size = {"batch": n, "online": 1}.get(self.update, self.batch_size)
        return [list(range(k, min(k + size, n))) for k in range(0, n, size)]

    def names(self) -> list[tuple[int, str, tuple[int, ...]]]:
        """(layer, "W" or "b", index) of every parameter, in the spec's order: a layer's weights row by row, then
        its bias(es)."""
        out: list[tuple[int, str, tuple[int, ...]]] = []
        for li, (w, b) in enumerate(zip(self.W, self.b, strict=True)):
            out += [(li, "W", (r, c)) for r in range(w.shape[0]) for c in range(w.shape[1])]
            out += [] if b is None else [(li, "b", (r,)) for r in range(len(b))]
        return out

    def spec(self, **training: Any) -> dict[str, Any]:
        layers, params = [], {}
        for li, (w, b) in enumerate(zip(self.W, self.b, strict=True)):
            name = "o" if li == len(self.W) - 1 else "hgk"[li]
            rows = [[f"u{li + 1}r{r}c{c}" for c in range(w.shape[1])] for r in range(w.shape[0])]
            params.update({n: float(w[r, c]) for r, row in enumerate(rows) for c, n in enumerate(row)})
            layer: dict[str, Any] = {"name": name, "activation": self.acts[li], "weights": rows}
            if b is not None:
                biases = [f"b{li + 1}r{r}" for r in range(len(b))]
                params.update({n: float(v) for n, v in zip(biases, b, strict=True)})
                layer["bias"] = biases if len(b) > 1 or w.shape[0] == 1 else biases[0]
            layers.append(layer)
        samples = [{"inputs": {f"x{i + 1}": float(v) for i, v in enumerate(self.X[:, s])},
                    "targets": {f"o{j + 1}": float(v) for j, v in enumerate(self.T[:, s])}}
                   for s in range(self.X.shape[1])]
        options: dict[str, Any] = {"update": self.update, "momentum": self.momentum, "weight_decay": self.decay,
                                   **training}
        if self.update == "minibatch":
            options["batch_size"] = self.batch_size
        frozen = [f"b{li + 1}r{r}" for li, b in enumerate(self.b) if b is not None for r in range(len(b))]
        return {"learning_rate": self.eta, "loss": "half_sse", "layers": layers, "params": params,
                "samples": samples, "training": options, **({"frozen": frozen} if self.frozen_biases else {})}

    def vector(self, W: list[np.ndarray], b: list[np.ndarray | None]) -> np.ndarray:
        return np.array([W[li][i] if kind == "W" else b[li][i] for li, kind, i in self.names()])  # type: ignore


def seed004() -> Dense:
    """Seed 004 (Mazur's example) as arrays: shared biases b1, b2 (one value per layer), frozen."""
    return Dense([np.array([[0.15, 0.20], [0.25, 0.30]]), np.array([[0.40, 0.45], [0.50, 0.55]])],
                 [np.array([0.35]), np.array([0.60])], ["sigmoid", "sigmoid"], np.array([[0.05], [0.10]]),
                 np.array([[0.01], [0.99]]), eta=0.5, frozen_biases=True)


# --- the independent implementations ---------------------------------------------------------------------------

def _f(name: str, z: Any) -> Any:
    return 1 / (1 + np.exp(-z)) if name == "sigmoid" else np.tanh(z)


def _fprime(name: str, a: Any) -> Any:
    return a * (1 - a) if name == "sigmoid" else 1 - a * a


def numpy_steps(net: Dense, steps: int, sequential: bool) -> list[tuple[np.ndarray, float]]:
    """θ (spec order) after each update and the largest |θ − θ_simultaneous| of that update: half_sse, sum over the
    samples of the update, Δ = μΔ − η(g + λW), shared biases get Σ δ. Written out layer by layer."""
    W = [w.copy() for w in net.W]
    b = [None if v is None else v.copy() for v in net.b]
    vW = [np.zeros_like(w) for w in W]
    vb = [None if v is None else np.zeros_like(v) for v in b]
    groups = net.groups()
    out = []
    for k in range(steps):
        cols = groups[k % len(groups)]
        results = {}
        for seq in {sequential, False}:
            a, nets = [net.X[:, cols]], []
            for w, bias, act in zip(W, b, net.acts, strict=True):
                z = w @ a[-1] + (0 if bias is None else bias[:, None])
                nets.append(z)
                a.append(_f(act, z))
            g = a[-1] - net.T[:, cols]  # ∂E/∂out of ½ Σ (t − o)²
            newW, newb = [w.copy() for w in W], [None if v is None else v.copy() for v in b]
            nvW, nvb = [v.copy() for v in vW], [None if v is None else v.copy() for v in vb]
            for li in range(len(W) - 1, -1, -1):
                delta = g * _fprime(net.acts[li], a[li + 1])
                gw = delta @ a[li].T + net.decay * W[li]
                nvW[li] = net.momentum * vW[li] - net.eta * gw
                newW[li] = W[li] + nvW[li]
                if b[li] is not None and not net.frozen_biases:
                    gb = delta.sum(axis=1) if len(b[li]) > 1 or W[li].shape[0] == 1 else np.array([delta.sum()])
                    nvb[li] = net.momentum * vb[li] - net.eta * gb
                    newb[li] = b[li] + nvb[li]
                g = (newW[li] if seq else W[li]).T @ delta
            results[seq] = (newW, newb, nvW, nvb)
        W, b, vW, vb = results[sequential]
        gap = float(np.max(np.abs(net.vector(W, b) - net.vector(*results[False][:2]))))
        out.append((net.vector(W, b), gap))
    return out


Trace = dict[str, list[list[Decimal]]]


def decimal_steps(net: Dense, steps: int, places: int, sequential: bool
                  ) -> tuple[list[list[Decimal]], list[Decimal], list[Trace]]:
    """θ after each update, the loss before each update and after the last, and per update the first sample's
    outputs ("a": the inputs, then each layer's) and δ's ("delta", per layer), as a hand calculation to `places`
    decimals: every net input, output, loss term, ∂E/∂out, f', δ, per-sample gradient, batch gradient, g + λw,
    velocity and new value rounded half up; the arithmetic between them exact (Decimal, 60 digits)."""
    q = Decimal(1).scaleb(-places)

    def R(x: Decimal) -> Decimal:
        return x.quantize(q, rounding=ROUND_HALF_UP)

    def D(x: float) -> Decimal:
        return Decimal(repr(float(x)))

    def act(name: str, z: Decimal) -> Decimal:
        if name == "sigmoid":
            return 1 / (1 + (-z).exp())
        e = (2 * z).exp()
        return (e - 1) / (e + 1)

    def fprime(name: str, a: Decimal) -> Decimal:
        return a * (1 - a) if name == "sigmoid" else 1 - a * a

    with localcontext() as ctx:
        ctx.prec = 60
        W = [[[D(v) for v in row] for row in w] for w in net.W]
        b = [None if v is None else [D(x) for x in v] for v in net.b]
        vW = [[[Decimal(0)] * len(row) for row in w] for w in W]
        vb = [None if v is None else [Decimal(0)] * len(v) for v in b]
        X = [[D(v) for v in row] for row in net.X]
        T = [[D(v) for v in row] for row in net.T]
        eta, mu, lam = D(net.eta), D(net.momentum), D(net.decay)
        shared = [v is not None and len(v) == 1 and len(W[li]) > 1 for li, v in enumerate(b)]

        def forward(s: int) -> list[list[Decimal]]:
            a = [[X[i][s] for i in range(len(X))]]
            for li, w in enumerate(W):
                bias = b[li]
                nets = [R(sum((w[r][c] * a[-1][c] for c in range(len(a[-1]))), Decimal(0))
                          + (0 if bias is None else bias[0 if shared[li] else r])) for r in range(len(w))]
                a.append([R(act(net.acts[li], z)) for z in nets])
            return a

        def loss(cols: list[int]) -> Decimal:
            total = sum((R((T[j][s] - o) ** 2 / 2) for s in cols for j, o in enumerate(forward(s)[-1])), Decimal(0))
            if lam:
                total += R(lam / 2 * sum((v * v for w in W for row in w for v in row), Decimal(0)))
            return total

        groups = net.groups()
        thetas, losses, traces = [], [], []
        for k in range(steps + 1):
            losses.append(loss(list(range(len(X[0])))))
            if k == steps:
                break
            cols = groups[k % len(groups)]
            passes = {s: forward(s) for s in cols}
            newW = [[row[:] for row in w] for w in W]
            newb = [None if v is None else v[:] for v in b]
            g = {s: [R(o - T[j][s]) for j, o in enumerate(passes[s][-1])] for s in cols}
            trace: Trace = {"a": passes[cols[0]], "delta": [[] for _ in W]}
            traces.append(trace)
            for li in range(len(W) - 1, -1, -1):
                delta = {s: [R(g[s][r] * R(fprime(net.acts[li], passes[s][li + 1][r]))) for r in range(len(W[li]))]
                         for s in cols}
                trace["delta"][li] = delta[cols[0]]
                for r, row in enumerate(W[li]):
                    for c in range(len(row)):
                        grad = sum((R(delta[s][r] * passes[s][li][c]) for s in cols), Decimal(0))
                        grad = R(grad + lam * row[c]) if lam else grad
                        vW[li][r][c] = R(mu * vW[li][r][c] - eta * grad)
                        newW[li][r][c] = R(row[c] + vW[li][r][c])
                bias, velocity = b[li], vb[li]
                if bias is not None and velocity is not None and not net.frozen_biases:
                    for r in range(len(bias)):
                        per = [R(sum(delta[s], Decimal(0))) if shared[li] else delta[s][r] for s in cols]
                        velocity[r] = R(mu * velocity[r] - eta * sum(per, Decimal(0)))
                        newb[li][r] = R(bias[r] + velocity[r])  # type: ignore[index]
                above = newW[li] if sequential else W[li]
                g = {s: [R(sum((above[r][c] * delta[s][r] for r in range(len(above))), Decimal(0)))
                         for c in range(len(above[0]))] for s in cols}
            W, b = newW, newb
            thetas.append([W[li][i[0]][i[1]] if kind == "W" else b[li][i[0]]  # type: ignore[index]
                           for li, kind, i in net.names()])
        return thetas, losses, traces


def run(net: Dense, steps: int, **training: Any) -> Training:
    return train(Network.from_dict(net.spec(**training)), steps)


def params_after(t: Training, k: int) -> np.ndarray:
    return np.array([t.history[name][k] for name in t.history])


# --- random small networks ---------------------------------------------------------------------------------------

def tenths(draw: Any, shape: tuple[int, ...], low: int = -10, high: int = 10, scale: int = 10) -> np.ndarray:
    return np.array(draw(st.lists(st.integers(low, high), min_size=int(np.prod(shape)), max_size=int(np.prod(shape)))),
                    dtype=float).reshape(shape) / scale


@st.composite
def dense(draw: Any, depth: tuple[int, int] = (1, 2)) -> Dense:
    """1 to 3 inputs, `depth` hidden layers of 1 to 3 neurons (sigmoid or tanh), 1 or 2 sigmoid outputs, biases
    per neuron or none, 1 to 3 samples, any update mode, momentum and decay or not. Values in hundredths."""
    widths = [draw(st.integers(1, 3)) for _ in range(draw(st.integers(*depth)) + 1)] + [draw(st.integers(1, 2))]
    W = [tenths(draw, (widths[i + 1], widths[i]), -100, 100, 100) for i in range(len(widths) - 1)]
    b = [tenths(draw, (w.shape[0],), -50, 50, 100) if draw(st.booleans()) else None for w in W]
    acts = [draw(st.sampled_from(["sigmoid", "tanh"])) for _ in W[:-1]] + ["sigmoid"]
    n = draw(st.integers(1, 3))
    X = tenths(draw, (widths[0], n), -100, 100, 100)
    T = tenths(draw, (widths[-1], n), 0, 100, 100)
    update = draw(st.sampled_from(["batch", "online", "minibatch"]))
    return Dense(W, b, acts, X, T, eta=draw(st.sampled_from([0.5, 1.0, 2.0])), update=update,
                 batch_size=draw(st.integers(1, 2)), momentum=draw(st.sampled_from([0.0, 0.5, 0.9])),
                 decay=draw(st.sampled_from([0.0, 0.01, 0.1])))


# --- sequential ----------------------------------------------------------------------------------------------

def test_sequential_seed004_follows_the_numpy_loop_and_mazurs_post_update_error() -> None:
    """Seed 004 updated sequentially: θ after 1 and 3 updates equal the NumPy loop to 1e-12; the hidden weights
    differ from the simultaneous update's; the error after the first update is the 0.291027924 that Mazur's post
    prints (the simultaneous update gives 0.291027774)."""
    net = seed004()
    t = run(net, 3, layer_update="sequential")
    expected = numpy_steps(net, 3, sequential=True)
    for k in (1, 3):
        assert np.allclose(params_after(t, k), expected[k - 1][0], rtol=0, atol=1e-12)
        assert t.updates[k - 1].gap == pytest.approx(expected[k - 1][1], rel=1e-9, abs=1e-15)
    simultaneous = run(net, 3)
    difference = np.abs(params_after(t, 1) - params_after(simultaneous, 1))
    assert difference.max() > 1e-5  # w1..w4: through w5..w8 as updated
    assert np.array_equal(params_after(t, 1)[5:9], params_after(simultaneous, 1)[5:9])  # the output layer's agree
    assert round(t.losses[1], 9) == 0.291027924 and round(simultaneous.losses[1], 9) == 0.291027774
    assert t.updates[0].true_gradients == simultaneous.updates[0].gradients  # the gradient, as the plain run has it


@settings(max_examples=30, **SETTINGS)
@given(dense(depth=(1, 1)), st.sampled_from([1, 3]))
def test_sequential_with_one_hidden_layer_follows_the_numpy_loop(net: Dense, steps: int) -> None:
    t = run(net, steps, layer_update="sequential")
    expected = numpy_steps(net, steps, sequential=True)
    for k, (theta, gap) in enumerate(expected, 1):
        assert np.allclose(params_after(t, k), theta, rtol=0, atol=1e-12), k
        assert t.updates[k - 1].gap == pytest.approx(gap, rel=1e-6, abs=1e-12)


@settings(max_examples=20, **SETTINGS)
@given(dense(depth=(2, 2)))
def test_sequential_deeper_nets_update_from_the_last_layer_down(net: Dense) -> None:
    t = run(net, 3, layer_update="sequential")
    for k, (theta, _) in enumerate(numpy_steps(net, 3, sequential=True), 1):
        assert np.allclose(params_after(t, k), theta, rtol=1e-10, atol=1e-12), k


def test_sequential_differs_from_the_gradient_step_and_says_so() -> None:
    """A net with a hidden layer: the sequential update is not the simultaneous one; with one layer it is."""
    net = Dense([np.array([[0.5, -0.3]]), np.array([[0.8]])], [np.array([0.1]), None], ["tanh", "sigmoid"],
                np.array([[0.4], [0.7]]), np.array([[0.9]]), eta=1.0)
    seq, sim = run(net, 2, layer_update="sequential"), run(net, 2)
    assert np.abs(params_after(seq, 2) - params_after(sim, 2)).max() > 1e-4
    assert all(u.gap is not None and u.gap > 0 for u in seq.updates)
    one = Dense([np.array([[0.5, -0.3], [0.2, 0.1]])], [np.array([0.1, -0.2])], ["sigmoid"], np.array([[0.4, 1.0],
                [0.7, -0.5]]), np.array([[0.9, 0.1], [0.2, 0.3]]), momentum=0.5, decay=0.01, update="online")
    single_seq, single_sim = run(one, 4, layer_update="sequential"), run(one, 4)
    assert single_seq.history == single_sim.history and all(u.gap == 0 for u in single_seq.updates)


def test_sequential_refuses_a_parameter_shared_by_two_layers() -> None:
    data = {"learning_rate": 0.5, "inputs": {"x1": 0.5}, "targets": {"o1": 0.2},
            "layers": [{"name": "h", "weights": [["w1"]], "bias": "b"},
                       {"name": "o", "weights": [["w2"]], "bias": "b"}],
            "params": {"w1": 0.3, "w2": -0.4, "b": 0.1}, "training": {"layer_update": "sequential"}}
    with pytest.raises(SpecError, match=r"sequential.*b is a parameter of layers 'h' and 'o'") as info:
        train(Network.from_dict(data), 1)
    assert info.value.key == "training.layer_update"


# --- rounding --------------------------------------------------------------------------------------------------

def exact(t: Training, k: int, places: int) -> list[Decimal]:
    """θ after update k as decimals with `places` digits (the float of a decimal with few digits round-trips)."""
    return [Decimal(repr(float(v))).quantize(Decimal(1).scaleb(-places)) for v in params_after(t, k)]


@pytest.mark.parametrize("sequential", [False, True])
def test_rounded_seed004_follows_the_decimal_loop(sequential: bool) -> None:
    net = seed004()
    t = run(net, 3, rounding=4, layer_update="sequential" if sequential else "simultaneous")
    thetas, losses, _ = decimal_steps(net, 3, 4, sequential)
    for k, theta in enumerate(thetas, 1):
        assert exact(t, k, 4) == theta, k
    assert [Decimal(repr(v)) for v in t.losses] == losses
    assert t.losses[0] == 0.2984  # 0.2748 + 0.0236: Mazur's 0.274811083 and 0.023560026, each to 4 decimals


@settings(max_examples=25, **SETTINGS)
@given(dense(depth=(1, 2)), st.sampled_from([2, 3, 4]), st.booleans())
def test_rounded_training_follows_the_decimal_loop(net: Dense, places: int, sequential: bool) -> None:
    t = run(net, 3, rounding=places, layer_update="sequential" if sequential else "simultaneous")
    thetas, losses, _ = decimal_steps(net, 3, places, sequential)
    for k, theta in enumerate(thetas, 1):
        assert exact(t, k, places) == theta, k
    assert [Decimal(repr(v)) for v in t.losses] == losses


def test_rounding_is_every_intermediate_not_the_result() -> None:
    """Rounding only the final parameters of the float run is not the same as rounding along the way."""
    net = seed004()
    by_hand = params_after(run(net, 3, rounding=2), 3)
    rounded_after = np.round(params_after(run(net, 3), 3), 2)
    assert not np.array_equal(by_hand, rounded_after)


def test_rounding_that_leaves_no_finite_loss_says_so() -> None:
    data = {"learning_rate": 0.5, "loss": "binary_cross_entropy", "inputs": {"x1": 1}, "targets": {"o1": 0},
            "layers": [{"name": "o", "weights": [["w1"]]}], "params": {"w1": 9}, "training": {"rounding": 2}}
    with pytest.raises(SpecError, match="no finite value with every intermediate rounded to 2 decimals") as info:
        train(Network.from_dict(data), 1)
    assert info.value.key == "training.rounding"


def test_rounding_sets_the_displayed_decimals() -> None:
    """derive and render show N decimals (and --rounded rounds to them) unless [display] says otherwise."""
    base = {"inputs": ["x1"], "layers": [{"name": "o", "size": 1}]}
    assert Network.from_dict({**base, "training": {"rounding": 3}}).spec.display.decimals == 3
    chosen = Network.from_dict({**base, "training": {"rounding": 3}, "display": {"digits": 5}}).spec.display
    assert (chosen.decimals, chosen.digits) == (None, 5)
    assert Network.from_dict(base).spec.display.digits == 6


# --- the bundled examples ----------------------------------------------------------------------------------------

def header(path: Path) -> str:
    return "".join(line for line in path.read_text(encoding="utf-8").splitlines(keepends=True) if line.startswith("#"))


def test_the_221_worked_example_reproduces_its_published_numbers() -> None:
    """examples/training/sequential_221.toml: the numbers its header says are reproduced, to the digits printed."""
    net = Network.load(SEQUENTIAL_221)
    t = train(net, 1)
    before = train(net, 0).outputs["o1"]
    assert isinstance(before, float)
    published = {"0.69": round(before, 2), "-0.19": round(0.5 - before, 2), "0.09916": round(t.params["w1"], 5),
                 "0.7978": round(t.params["w2"], 4), "0.3972": round(t.params["w3"], 4)}
    for text, value in published.items():
        assert float(text) == value, text
        assert text in header(SEQUENTIAL_221), text
    # what the full-precision run gives where the source carried rounded intermediates: stated in the header too
    ours = {"0.690283": before, "-0.040681": -float(np.float64(before - 0.5) * before * (1 - before)),
            "0.272326": t.params["w5"], "0.872998": t.params["w6"], "0.592866": t.params["w4"],
            "0.682031": t.outputs["o1"]}
    for text, value in ours.items():
        assert round(value, 6) == float(text), text  # type: ignore[arg-type]
        assert text in header(SEQUENTIAL_221), text
    # the sequential convention is what makes the hidden weights come out as published
    simultaneous = dict(tomllib.loads(SEQUENTIAL_221.read_text(encoding="utf-8")), training={})
    plain = train(Network.from_dict(simultaneous), 1)
    assert round(plain.params["w1"], 5) != 0.09916 and round(plain.params["w2"], 4) != 0.7978


def test_the_hand_rounded_example_prints_the_decimal_loops_numbers() -> None:
    """examples/training/rounded_221.toml: three updates to 4 decimals; the header's table is the Decimal loop's."""
    data = tomllib.loads(ROUNDED_221.read_text(encoding="utf-8"))
    p = data["params"]
    net = Dense([np.array([[p["w1"], p["w2"]], [p["w3"], p["w4"]]]), np.array([[p["w5"], p["w6"]]])], [None, None],
                ["sigmoid", "sigmoid"], np.array([[0.35], [0.9]]), np.array([[0.5]]), eta=1.0)
    assert data["training"]["rounding"] == 4
    sequential = data["training"].get("layer_update") == "sequential"
    thetas, losses, traces = decimal_steps(net, 3, 4, sequential)
    t = train(Network.load(ROUNDED_221), 3)
    text = " ".join(header(ROUNDED_221).replace("#", " ").split())  # the comment's words, one space apart
    for k, theta in enumerate(thetas, 1):
        assert exact(t, k, 4) == theta
        row = f"{k} " + " ".join(f"{v:.4f}" for v in theta) + f" {losses[k]:.4f}"
        assert row in text, row
    a, delta = traces[0]["a"], traces[0]["delta"]
    first = (f"out_h1 = {a[1][0]:.4f}, out_h2 = {a[1][1]:.4f}, out_o1 = {a[2][0]:.4f}, E = {losses[0]:.4f}; "
             f"δ_o1 = {delta[1][0]:.4f}, δ_h1 = {delta[0][0]:.4f}, δ_h2 = {delta[0][1]:.4f}")
    assert first in text, first


# --- the command line -------------------------------------------------------------------------------------------

def test_the_library_json_and_text_say_the_conventions_too() -> None:
    """training_json and training_text (the Python API, the notebooks) carry what `train` prints."""
    from symbackprop.render import training_json, training_text
    t = train(Network.load(SEQUENTIAL_221), 1)
    data = training_json(t)
    assert data["layer_update"] == "sequential" and data["max_sequential_gap"] > 0
    assert all("true_gradients" in step for step in data["steps"])
    assert "not the gradient" in training_text(t, "en")


def test_rounding_in_the_spec_rounds_derive_and_render_as_rounded_does(run_cli: Any, tmp_path: Path) -> None:
    """[training] rounding = 4 asks for hand rounding in derive and render too: the same text as --rounded, and not
    the exact computation shown to 4 decimals (the spec without the key, with --decimals 4)."""
    exact_spec = tmp_path / "exact.toml"
    exact_spec.write_text(ROUNDED_221.read_text(encoding="utf-8").replace("rounding = 4", ""), encoding="utf-8")
    for command in (["derive", "--format", "text"], ["render", "--format", "markdown"]):
        implied = run_cli(command[0], ROUNDED_221, *command[1:], check=True).stdout
        flagged = run_cli(command[0], ROUNDED_221, *command[1:], "--rounded", check=True).stdout
        exact_text = run_cli(command[0], exact_spec, *command[1:], "--decimals", "4", check=True).stdout
        assert implied == flagged and implied != exact_text


def test_train_json_says_sequential_is_not_the_gradient(run_cli: Any) -> None:
    data = json.loads(run_cli("train", SEQUENTIAL_221, "--steps", "2", "--format", "json", check=True).stdout)
    assert {"steps", "losses", "epoch_losses", "params", "outputs"} <= set(data)  # the contract's fields stay
    assert data["layer_update"] == "sequential" and data["rounding"] is None and "not the gradient" in data["note"]
    for step in data["steps"]:
        assert {"samples", "loss", "gradients", "params", "true_gradients", "sequential_gap"} <= set(step)
        difference = max(abs(step["gradients"][p] - step["true_gradients"][p]) for p in step["gradients"])
        assert step["sequential_gap"] == pytest.approx(difference, rel=1e-9)  # η = 1
        assert step["gradients"]["w5"] == step["true_gradients"]["w5"]  # the output layer's is the gradient
    assert data["max_sequential_gap"] == max(s["sequential_gap"] for s in data["steps"])
    text = run_cli("train", SEQUENTIAL_221, "--steps", "2", "--format", "text", check=True).stdout
    assert "not the gradient" in text.splitlines()[1]
    plain = json.loads(run_cli("train", SEED004, "--steps", "1", check=True).stdout)
    assert plain["layer_update"] == "simultaneous" and "note" not in plain and "true_gradients" not in plain["steps"][0]


def test_train_rounded_through_the_command_line(run_cli: Any) -> None:
    data = json.loads(run_cli("train", ROUNDED_221, "--steps", "3", check=True).stdout)
    assert data["rounding"] == 4
    assert all(len(repr(v).split(".")[1]) <= 4 for v in data["params"].values())
    text = run_cli("train", ROUNDED_221, "--steps", "3", "--format", "text", "--lang", "zh", check=True).stdout
    assert "4 位小数" in text


@pytest.mark.parametrize(("table", "key"), [('layer_update = "upward"', "training.layer_update"),
                                            ("rounding = -1", "training.rounding"),
                                            ("rounding = 2.5", "training.rounding"),
                                            ("rounding = true", "training.rounding")])
def test_bad_conventions_are_one_clear_error(run_cli: Any, tmp_path: Path, table: str, key: str) -> None:
    spec = tmp_path / "bad.toml"
    spec.write_text(SEQUENTIAL_221.read_text(encoding="utf-8").replace('layer_update = "sequential"', table),
                    encoding="utf-8")
    proc = run_cli("train", spec, "--steps", "1")
    assert proc.returncode == 2 and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and key in lines[0] and "Traceback" not in proc.stderr, proc.stderr
    assert "upward" in lines[0] or "decimals" in lines[0]


# --- the training examples go through what every lecture example goes through ------------------------------------

def test_the_training_examples_are_these() -> None:
    assert [p.name for p in TRAINING_EXAMPLES] == [
        "han_kamber_9_1.toml", "han_kamber_9_1_online.toml", "minibatch_221.toml", "momentum_hk.toml",
        "momentum_orr.toml", "negnevitsky_xor.toml", "rounded_221.toml", "sequential_221.toml",
        "weight_decay_linear.toml"]


@pytest.mark.parametrize("example", TRAINING_EXAMPLES, ids=lambda p: p.stem)
def test_training_examples_derive_and_render(example: Path, run_cli: Any) -> None:
    """derive as text and JSON (exit 0, nothing on stderr), every document format in both languages, titled in
    each language (as tests/test_cli.py and tests/test_lecture_language.py ask of examples/*.toml)."""
    for fmt in ("text", "json"):
        proc = run_cli("derive", example, "--format", fmt)
        assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    d = derive(Network.load(example))
    for lang in ("zh", "en"):
        for fmt in ("beamer", "article", "snippet", "markdown"):
            assert render(d, fmt, lang, rounded=True) and render(d, fmt, lang)
        found = re.search(r"^\\title\{(.*)\}$", render(d, "beamer", lang), re.M)
        assert found and bool(re.search(r"[\u4e00-\u9fff]", found.group(1))) == (lang == "zh"), found


@pytest.mark.skipif(shutil.which("latexmk") is None or shutil.which("xelatex") is None,
                    reason="latexmk/xelatex not installed")
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("example", TRAINING_EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.tex
def test_training_examples_compile_without_overfull_boxes(example: Path, lang: str, tmp_path: Path,
                                                         run_cli: Any) -> None:
    """As tests/test_render.py compiles every lecture example: beamer and article, no warning from --pdf."""
    for fmt in ("beamer", "article"):
        out = tmp_path / f"{fmt}.tex"
        proc = run_cli("render", example, "--format", fmt, "--lang", lang, "-o", out, "--pdf", check=True)
        assert (tmp_path / f"{fmt}.pdf").stat().st_size > 10_000
        assert "warning" not in proc.stderr, proc.stderr


# --- a mean batch loss, and softmax with cross-entropy ----------------------------------------------------------

def test_sequential_with_a_mean_batch_loss_scales_each_layers_gradient() -> None:
    """batch_loss = "mean" over two samples is the sum with half the learning rate, layer by layer too."""
    net = Dense([np.array([[0.5, -0.3], [0.2, 0.7]]), np.array([[0.8, -0.4]])], [np.array([0.1, 0.0]), None],
                ["tanh", "sigmoid"], np.array([[0.4, -1.0], [0.7, 0.2]]), np.array([[0.9, 0.1]]), eta=1.0)
    mean = train(Network.from_dict({**net.spec(layer_update="sequential"), "batch_loss": "mean"}), 3)
    net.eta = 0.5
    assert np.allclose(params_after(mean, 3), numpy_steps(net, 3, sequential=True)[-1][0], rtol=0, atol=1e-12)


def test_sequential_softmax_cross_entropy_follows_a_loop_written_here() -> None:
    """examples/softmax_batch.toml (tanh, shared hidden bias; softmax with cross-entropy, mean over two samples)
    updated sequentially once: δ_out = (softmax − t)/2, the hidden δ through the updated W2."""
    data = tomllib.loads((ROOT / "examples" / "softmax_batch.toml").read_text(encoding="utf-8"))
    p = data["params"]
    W1, b1 = np.array([[p["w1"], p["w2"]], [p["w3"], p["w4"]]]), p["b1"]
    W2, b2 = np.array([[p["w5"], p["w6"]], [p["w7"], p["w8"]], [p["w9"], p["w10"]]]), np.array([p["b2"], p["b3"],
                                                                                               p["b4"]])
    X = np.array([[s["inputs"]["x1"], s["inputs"]["x2"]] for s in data["samples"]]).T
    T = np.array([[s["targets"][f"y{k}"] for k in (1, 2, 3)] for s in data["samples"]]).T
    h = np.tanh(W1 @ X + b1)
    z = W2 @ h + b2[:, None]
    y = np.exp(z - z.max(axis=0)) / np.exp(z - z.max(axis=0)).sum(axis=0)
    d2 = (y - T) / 2
    eta = data["learning_rate"]
    W2n, b2n = W2 - eta * d2 @ h.T, b2 - eta * d2.sum(axis=1)
    d1 = (W2n.T @ d2) * (1 - h * h)
    W1n, b1n = W1 - eta * d1 @ X.T, b1 - eta * d1.sum()
    run_ = train(Network.from_dict({**data, "training": {"layer_update": "sequential"}}), 1)
    expected = {"w1": W1n[0, 0], "w2": W1n[0, 1], "w3": W1n[1, 0], "w4": W1n[1, 1], "b1": b1n,
                **{f"w{5 + k}": v for k, v in enumerate(W2n.ravel())}, "b2": b2n[0], "b3": b2n[1], "b4": b2n[2]}
    for name, value in expected.items():
        assert run_.params[name] == pytest.approx(value, abs=1e-12), name
    rounded = train(Network.from_dict({**data, "training": {"layer_update": "sequential", "rounding": 4}}), 2)
    assert all(len(repr(v).split(".")[-1]) <= 4 for v in rounded.params.values())
