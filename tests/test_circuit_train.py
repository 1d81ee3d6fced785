"""Graph specs with samples, compiled and trained: the batch loss and its gradients (exact derivation and compiled
NumPy code) against sympy.diff of the whole batch loss and mpmath central differences, training against a NumPy
gradient-descent loop written here, PyTorch autograd where it is installed, a saturated logistic regression, and
bad input through the command line."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_circuit import _away_from_kinks, random_graphs

from symbackprop.backward import derive_circuit
from symbackprop.circuit import Circuit
from symbackprop.circuit_numeric import circuit_assignments, compile_circuit, train_circuit
from symbackprop.crosscheck import torch_available
from symbackprop.errors import SpecError

ROOT = Path(__file__).resolve().parents[1]
GRAPHS = sorted((ROOT / "examples" / "graphs").glob("*.toml"))
LOGISTIC = ROOT / "examples" / "graphs" / "logistic_regression.toml"
DPS = 50

# the AND gate of the bundled example (FML lecture 16b's tiny data set)
X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y = np.array([0.0, 0.0, 0.0, 1.0])

BCE_NODES = [{"name": "z", "expr": "w1*x1 + w2*x2 + b"}, {"name": "p", "expr": "sigmoid(z)"},
             {"name": "loss", "expr": "-(y*log(p) + (1 - y)*log(1 - p))"}]


def logistic(params: dict[str, float], samples: list[dict[str, float]], **top: Any) -> Circuit:
    return Circuit.from_dict({**top, "graph": {"inputs": ["x1", "x2", "y"], "params": params, "nodes": BCE_NODES,
                                               "samples": samples, "output": "loss"}})


def batch_truths(c: Circuit) -> tuple[mpmath.mpf, dict[str, tuple[mpmath.mpf, mpmath.mpf]]]:
    """The batch loss written here in the leaves (the output composed, each sample's inputs substituted, summed or
    averaged), and for every parameter sympy.diff of it and a central difference of it, both with mpmath at 50
    digits."""
    composed = c.composed()[c.output]
    total = sp.Add(*[composed.xreplace(sample) for sample in c.samples])
    if c.spec.batch_loss == "mean":
        total = total / len(c.samples)
    params = list(c.params)
    f = sp.lambdify(params, total, modules="mpmath")
    out = {}
    with mpmath.workdps(DPS):
        args = [mpmath.mpf(sp.Rational(c.values[p]).p) / sp.Rational(c.values[p]).q for p in params]
        h = mpmath.mpf(10) ** -20
        for k, p in enumerate(params):
            exact = sp.lambdify(params, sp.diff(total, p), modules="mpmath")(*args)
            up, down = list(args), list(args)
            up[k] += h
            down[k] -= h
            out[c.quantities[p].name] = (exact, (f(*up) - f(*down)) / (2 * h))
        return f(*args), out


def close(value: Any, exact: mpmath.mpf, rel: float) -> bool:
    with mpmath.workdps(DPS):
        v = mpmath.mpf(str(sp.Float(value, 40))) if not isinstance(value, float) else mpmath.mpf(value)
        return abs(v - exact) <= rel * max(1, abs(exact))


def _cases() -> list[Circuit]:
    rng = np.random.default_rng(7)
    samples = [{"x1": float(a), "x2": float(b), "y": float(t)} for (a, b), t in zip(X, Y, strict=True)]
    noisy = [{"x1": round(float(v), 3), "x2": round(float(u), 3), "y": float(t)}
             for v, u, t in zip(rng.normal(size=6), rng.normal(size=6), [0, 1, 1, 0, 1, 0], strict=True)]
    return [
        Circuit.load(LOGISTIC),
        logistic({"w1": 0.3, "w2": -0.7, "b": 0.2}, samples),
        logistic({"w1": 1.3, "w2": 0.4, "b": -0.5}, noisy, batch_loss="mean"),
        Circuit.load(ROOT / "examples/graphs/cs231n_sigmoid_neuron.toml"),
        # fan-out, max, tanh and a parameter used twice, over three samples
        Circuit.from_dict({"batch_loss": "mean", "graph": {
            "inputs": ["x", "t"], "params": {"a": 0.7, "c": -0.2},
            "nodes": [{"name": "h", "expr": "tanh(a*x + c)"}, {"name": "m", "expr": "max(h, a*h - 0.1)"},
                      {"name": "err", "expr": "(m + h*x - t)^2/2"}],
            "samples": [{"x": 0.5, "t": 1}, {"x": -1.5, "t": 0}, {"x": 2.0, "t": 0.25}]}}),
    ]


@pytest.mark.parametrize("c", _cases(), ids=["example", "bce4", "bce6_mean", "cs231n_neuron", "fanout_mean"])
def test_batch_loss_and_gradients_against_sympy_and_finite_differences(c: Circuit) -> None:
    loss, truths = batch_truths(c)
    d = derive_circuit(c)
    assert close(d.batch_output, loss, 1e-25)
    compiled_loss, compiled = compile_circuit(c).loss_and_gradients()
    assert close(compiled_loss, loss, 1e-13)
    for name, (exact, fd) in truths.items():
        assert close(exact, fd, 1e-12), name  # the two truths agree
        assert close(d.batch_gradients[c.by_name(name)], exact, 1e-25), name
        assert close(compiled[name], exact, 1e-12), (name, compiled[name], exact)
    if c.learning_rate is not None:
        with mpmath.workdps(DPS):
            for u in d.updates:
                v, eta = (mpmath.mpf(sp.Rational(r).p) / sp.Rational(r).q for r in (c.values[u.param], c.learning_rate))
                assert close(u.updated, v - eta * truths[u.name][0], 1e-25)


@settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(random_graphs(), st.integers(0, 1000))
def test_compiled_random_graphs_over_three_samples_equal_the_derivation(data: dict[str, Any], seed: int) -> None:
    """test_circuit's random DAGs (fan-out everywhere, max, min, relu, sigmoids of sigmoids), their inputs made
    three samples: the compiled batch loss, parameter gradients and every sample's input gradients equal the exact
    derivation's (itself checked against sympy.diff and mpmath there and above)."""
    graph = dict(data["graph"])
    rng = np.random.default_rng(seed)
    first = graph.pop("inputs")
    samples = [first] + [{k: round(float(rng.normal()), 2) for k in first} for _ in range(2)]
    for sample in samples:
        assume(_away_from_kinks(Circuit.from_dict({"graph": {**graph, "inputs": sample}})))
    c = Circuit.from_dict({"graph": {**graph, "inputs": list(first), "samples": samples}})
    d = derive_circuit(c)
    compiled = compile_circuit(c)
    out, grads, inputs = compiled.raw(compiled.theta(), compiled.data())
    assert float(out.sum()) == pytest.approx(float(d.batch_output), rel=1e-10, abs=1e-12)
    assert list(grads.sum(axis=1)) == pytest.approx([float(d.batch_gradients[p]) for p in c.params], rel=1e-10,
                                                    abs=1e-12)
    for k, s in enumerate(d.per_sample):
        assert list(inputs[:, k]) == pytest.approx([float(s.gradient(c.quantities[x].name).value) for x in c.inputs],
                                                   rel=1e-10, abs=1e-12)


def test_the_example_matches_the_lecture() -> None:
    """FML lecture 16b: w = 0, b = 0, every p = 1/2: the summed BCE is 4 ln 2, X^T(p − y) = (0, 0), 1^T(p − y) = 1;
    one step of η = 0.5 gives b = −0.5."""
    d = derive_circuit(Circuit.load(LOGISTIC))
    assert d.batch_output == pytest.approx(4 * math.log(2), rel=1e-15)
    assert {d.circuit.quantities[p].name: float(v) for p, v in d.batch_gradients.items()} == {
        "w1": 0.0, "w2": 0.0, "b": 1.0}
    assert {u.name: float(u.updated) for u in d.updates} == {"w1": 0.0, "w2": 0.0, "b": -0.5}
    # the single-sample fields are the first sample's: x = (0, 0), y = 0, ∂loss/∂b = p − y = 1/2
    assert d.gradient("b").value == sp.Rational(1, 2) and len(d.samples) == 4
    assert [s.gradient("b").value for s in d.samples] == [sp.Rational(1, 2)] * 3 + [sp.Rational(-1, 2)]


def numpy_logistic_loop(w: np.ndarray, b: float, eta: float, steps: int, mu: float = 0.0, lam: float = 0.0,
                        mean: bool = False) -> tuple[list[float], np.ndarray, float]:
    """Lecture 16b's loop, with momentum and L2 decay (on w and b) added as in the layered [training] table."""
    losses, vw, vb = [], np.zeros_like(w), 0.0
    n = len(Y)
    scale = 1 / n if mean else 1.0
    for k in range(steps + 1):
        z = X @ w + b
        p = 1 / (1 + np.exp(-z))
        loss = -np.sum(Y * np.log(p) + (1 - Y) * np.log(1 - p)) * scale + lam / 2 * (w @ w + b * b)
        losses.append(float(loss))
        if k == steps:
            break
        gw = X.T @ (p - Y) * scale + lam * w
        gb = float(np.sum(p - Y)) * scale + lam * b
        vw, vb = mu * vw - eta * gw, mu * vb - eta * gb
        w, b = w + vw, b + vb
    return losses, w, b


def test_training_follows_a_numpy_loop() -> None:
    t = train_circuit(Circuit.load(LOGISTIC), 25)
    losses, w, b = numpy_logistic_loop(np.zeros(2), 0.0, 0.5, 25)
    assert t.losses == pytest.approx(losses, rel=1e-12)
    assert [t.params["w1"], t.params["w2"], t.params["b"]] == pytest.approx([*w, b], rel=1e-12)
    assert len(t.updates) == 25 and t.updates[0].samples == [0, 1, 2, 3]
    assert t.updates[0].gradients == {"w1": 0.0, "w2": 0.0, "b": 1.0}


def test_momentum_weight_decay_and_mean_follow_a_numpy_loop() -> None:
    samples = [{"x1": float(a), "x2": float(b), "y": float(t)} for (a, b), t in zip(X, Y, strict=True)]
    c = logistic({"w1": 0.1, "w2": -0.2, "b": 0.05}, samples, learning_rate=0.8, batch_loss="mean",
                 training={"momentum": 0.5, "weight_decay": 0.01})
    t = train_circuit(c, 40)
    losses, w, b = numpy_logistic_loop(np.array([0.1, -0.2]), 0.05, 0.8, 40, mu=0.5, lam=0.01, mean=True)
    assert t.losses == pytest.approx(losses, rel=1e-12)
    assert [t.params["w1"], t.params["w2"], t.params["b"]] == pytest.approx([*w, b], rel=1e-12)


def test_a_step_of_training_is_derived_exactly() -> None:
    """Training.derivation(k): the exact derivation at the parameters after k updates; its batch loss is the
    run's loss k and its batch gradients make update k + 1 (two implementations: exact and compiled)."""
    t = train_circuit(Circuit.load(LOGISTIC), 5)
    for k in (0, 3, 5):
        d = t.derivation(k)
        assert float(d.batch_output) == pytest.approx(t.losses[k], rel=1e-12)
        if k < 5:
            grads = {d.circuit.quantities[p].name: float(v) for p, v in d.batch_gradients.items()}
            assert grads == pytest.approx(t.updates[k].gradients, rel=1e-12, abs=1e-15)
            assert {u.name: float(u.updated) for u in d.updates} == pytest.approx(t.updates[k].params, rel=1e-12)


def test_from_expressions_with_samples_is_the_same_circuit() -> None:
    """The example built from SymPy expressions in Python: the same batch derivation and the same training (its
    derivation(k) rebuilt from the expressions)."""
    x1, x2, y, w1, w2, b, z, p = sp.symbols("x1 x2 y w1 w2 b z p")
    samples = [{"x1": float(a), "x2": float(c), "y": float(t)} for (a, c), t in zip(X, Y, strict=True)]
    c = Circuit.from_expressions({"z": w1 * x1 + w2 * x2 + b, "p": 1 / (1 + sp.exp(-z)),
                                  "loss": -(y * sp.log(p) + (1 - y) * sp.log(1 - p))},
                                 inputs=["x1", "x2", "y"], params={"w1": 0, "w2": 0, "b": 0}, samples=samples,
                                 learning_rate=0.5)
    d, ref = derive_circuit(c), derive_circuit(Circuit.load(LOGISTIC))
    assert d.batch_output == ref.batch_output
    assert [d.batch_gradients[s] for s in c.params] == [ref.batch_gradients[s] for s in ref.circuit.params]
    t = train_circuit(c, 4)
    assert t.losses == train_circuit(Circuit.load(LOGISTIC), 4).losses
    assert float(t.derivation(4).batch_output) == pytest.approx(t.losses[4], rel=1e-12)
    with pytest.raises(SpecError, match=r"samples\[1\]: expected a value for every input"):
        Circuit.from_expressions({"f": x1 * w1}, inputs=["x1"], params={"w1": 1}, samples=[{"x1": 1}, {"x2": 2}])


def test_online_updates_take_one_sample_each() -> None:
    c = Circuit.from_dict({"learning_rate": 0.5, "training": {"update": "online"}, "graph": {
        "inputs": ["x1", "x2", "y"], "params": {"w1": 0, "w2": 0, "b": 0}, "nodes": BCE_NODES,
        "samples": [{"x1": 0, "x2": 0, "y": 0}, {"x1": 1, "x2": 1, "y": 1}]}})
    t = train_circuit(c, epochs=1)
    # sample 0 at zero: p = 1/2, gradient (0, 0, 1/2), b = −1/4; sample 1: z = −1/4, gradient (p − 1)(1, 1, 1)
    p = 1 / (1 + math.exp(0.25))
    assert [u.samples for u in t.updates] == [[0], [1]]
    assert t.updates[0].params == {"w1": 0.0, "w2": 0.0, "b": -0.25}
    assert t.updates[1].params == pytest.approx({"w1": -0.5 * (p - 1), "w2": -0.5 * (p - 1),
                                                 "b": -0.25 - 0.5 * (p - 1)}, rel=1e-15)


def test_many_samples_train_and_derive_says_its_limit() -> None:
    """10 000 samples (the limit of a spec): derive would write out every quantity of every sample and refuses
    with the limit; the compiled batch gradient takes them at once and equals X^T (p − y) written here."""
    rng = np.random.default_rng(1)
    x = rng.normal(size=(10_000, 2))
    y = (x[:, 0] - x[:, 1] > 0.3).astype(float)
    c = logistic({"w1": 0.5, "w2": -0.25, "b": 0.1},
                 [{"x1": float(a), "x2": float(b), "y": float(t)} for (a, b), t in zip(x, y, strict=True)],
                 learning_rate=0.001)
    with pytest.raises(SpecError, match=r"graph\.samples: 10000 samples of 9 quantities .* the limit is 30000"):
        derive_circuit(c)
    loss, grads = compile_circuit(c).loss_and_gradients()
    p = 1 / (1 + np.exp(-(x @ np.array([0.5, -0.25]) + 0.1)))
    assert loss == pytest.approx(float(-np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))), rel=1e-12)
    assert [grads["w1"], grads["w2"], grads["b"]] == pytest.approx([*(x.T @ (p - y)), float(np.sum(p - y))],
                                                                   rel=1e-10)
    t = train_circuit(c, 20)
    assert t.losses[-1] < t.losses[0] and all(math.isfinite(v) for v in t.losses)


def test_a_saturated_logistic_regression_trains_with_finite_losses() -> None:
    """Net inputs of ±1000: σ is 0.0 or 1.0 in float64, so log(p) or log(1 − p) of the written cross-entropy would
    be −inf and its local gradient 1/(1 − p) infinite. The compiled code takes the cross-entropy from the net
    input (−log σ(z) = softplus(−z), −log(1 − σ(z)) = softplus(z)) and the backward pass through σ as p − y:
    the losses are finite and equal to mpmath's, for 100 steps."""
    samples = [{"x1": 10.0, "x2": 0.0, "y": 1.0}, {"x1": -10.0, "x2": 0.0, "y": 0.0},
               {"x1": 0.0, "x2": 10.0, "y": 0.0}, {"x1": 0.0, "x2": -10.0, "y": 1.0}]
    c = logistic({"w1": 100, "w2": 100, "b": 0}, samples, learning_rate=0.01)
    compiled = compile_circuit(c)
    loss, grads = compiled.loss_and_gradients()
    with mpmath.workdps(DPS):  # by hand: z = ±1000; the two wrong ones cost softplus(1000) = 1000 + log1p(e^-1000)
        z = [1000, -1000, 1000, -1000]
        y = [1, 0, 0, 1]
        exact = sum(mpmath.log(1 + mpmath.exp(-zi)) if yi else mpmath.log(1 + mpmath.exp(zi))
                    for zi, yi in zip(z, y, strict=True))
        sig = [1 / (1 + mpmath.exp(-zi)) for zi in z]
        gw2 = sum((s - yi) * x2 for s, yi, x2 in zip(sig, y, [0, 0, 10, -10], strict=True))
    assert loss == pytest.approx(float(exact), rel=1e-14)
    assert grads["w2"] == pytest.approx(float(gw2), rel=1e-14) and grads["w1"] == pytest.approx(0.0, abs=1e-300)
    t = train_circuit(c, 100, compiled=compiled)
    assert len(t.losses) == 101 and all(math.isfinite(v) for v in t.losses)
    assert t.losses[-1] < t.losses[0]
    # the same data written without the rewrite (a plain lambdify of the composed loss) is not finite: the
    # rewrite is what makes the difference
    composed = c.composed()[c.output]
    plain = sp.lambdify(list(c.leaves), composed, modules="numpy")
    with np.errstate(all="ignore"):
        raw = [plain(100.0, 100.0, 0.0, s["x1"], s["x2"], s["y"]) for s in samples]
    assert not all(np.isfinite(raw))


@pytest.mark.parametrize("loss", ["softplus(z) - y*z", "log(1 + exp(-z)) + (1 - y)*z"])
def test_a_cross_entropy_written_from_the_net_input_stays_finite(loss: str) -> None:
    """The same BCE written by hand from the net input: log(1 + e^±z) is computed as softplus and sympy.diff's
    e^z/(1 + e^z) as 1/(1 + e^−z), so z = ±1000 gives the loss and the gradient mpmath gives."""
    c = Circuit.from_dict({"graph": {"inputs": ["x", "y"], "params": {"w": 100},
                                     "nodes": [{"name": "z", "expr": "w*x"}, {"name": "loss", "expr": loss}],
                                     "samples": [{"x": 10, "y": 0}, {"x": -10, "y": 0}, {"x": 10, "y": 1}]}})
    value, grads = compile_circuit(c).loss_and_gradients()
    with mpmath.workdps(DPS):  # Σ softplus(z) − y z and Σ (σ(z) − y) x over z = 1000, −1000, 1000
        exact = sum(mpmath.log(1 + mpmath.exp(z)) - y * z for z, y in [(1000, 0), (-1000, 0), (1000, 1)])
        slope = sum((1 / (1 + mpmath.exp(-z)) - y) * x for z, y, x in [(1000, 0, 10), (-1000, 0, -10), (1000, 1, 10)])
    assert value == pytest.approx(float(exact), rel=1e-14) and grads["w"] == pytest.approx(float(slope), rel=1e-14)


def test_the_compiled_code_is_the_circuit_node_by_node() -> None:
    """One assignment per node and per adjoint, nothing else: the circuit's own local gradients are reused, the
    whole output is never differentiated."""
    for path in GRAPHS:
        c = Circuit.load(path)
        code, results, _ = circuit_assignments(c)
        assert len(code) <= len(c.nodes) + len(c.quantities)
        assert len(results) == 1 + len(c.leaves)


# -- PyTorch ---------------------------------------------------------------------------------------

@pytest.mark.torch
@pytest.mark.parametrize("c", [*(Circuit.load(p) for p in GRAPHS), *_cases()[1:]],
                         ids=[*(p.stem for p in GRAPHS), "bce4", "bce6_mean", "cs231n_neuron", "fanout_mean"])
def test_pytorch_autograd_agrees(c: Circuit) -> None:
    reason = torch_available()
    if reason is not None:
        pytest.skip(reason)
    from symbackprop.circuit_crosscheck import compare_circuit, torch_circuit_gradients

    check = compare_circuit(c)
    assert check.ok, str(check)
    if c.params:
        loss, grads = torch_circuit_gradients(c)
        ours_loss, ours = compile_circuit(c).loss_and_gradients()
        assert ours_loss == pytest.approx(loss, rel=1e-12)
        assert ours == pytest.approx({k: v for k, v in grads.items() if k in ours}, rel=1e-11, abs=1e-14)


@pytest.mark.torch
@pytest.mark.parametrize("spec", ["recurrent/elman_per_step.toml", "conv/conv1d_maxpool.toml",
                                  "graphs/cs231n_staged.toml", "seed004_mattmazur.toml"])
def test_the_cross_check_from_the_command_line(spec: str) -> None:
    """`python -m symbackprop.circuit_crosscheck SPEC` on any kind of spec: PyTorch agrees (exit 0, "ok")."""
    import subprocess
    import sys

    if torch_available() is not None:
        pytest.skip(torch_available())
    path = Path(__file__).resolve().parents[1] / "examples" / spec
    run = subprocess.run([sys.executable, "-m", "symbackprop.circuit_crosscheck", str(path)], capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0 and run.stdout.strip().splitlines()[-1].startswith("ok"), run.stdout + run.stderr


# -- the command line ------------------------------------------------------------------------------

def test_derive_and_train_from_the_command_line(run_cli) -> None:
    r = run_cli("derive", str(LOGISTIC), "--format", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["samples"] == 4 and data["output"] == pytest.approx([math.log(2)] * 4, rel=1e-15)
    assert data["nodes"]["p"] == [0.5] * 4
    assert data["gradients"]["b"] == 1.0 and data["gradients"]["w1"] == 0.0
    assert data["gradients"]["x1"] == [0.0] * 4  # each sample's input: w1 = 0
    assert data["updated"] == {"w1": 0.0, "w2": 0.0, "b": -0.5}
    assert data["loss"] == pytest.approx(4 * math.log(2), rel=1e-15) and len(data["per_sample"]) == 4
    text = run_cli("derive", str(LOGISTIC))
    assert text.returncode == 0 and "Sample 4 of 4" in text.stdout and "∂J/∂b  = 0.5 + 0.5 + 0.5 + (-0.5) = 1" \
        in text.stdout
    r = run_cli("train", str(LOGISTIC), "--steps", "10")
    assert r.returncode == 0, r.stderr
    trained = json.loads(r.stdout)
    losses, w, b = numpy_logistic_loop(np.zeros(2), 0.0, 0.5, 10)
    assert trained["losses"] == pytest.approx(losses, rel=1e-12)
    assert trained["params"] == pytest.approx({"w1": w[0], "w2": w[1], "b": b}, rel=1e-12)
    assert set(trained["steps"][0]) == {"samples", "loss", "gradients", "params"}
    assert len(trained["outputs"]["loss"]) == 4
    assert run_cli("train", str(LOGISTIC), "--epochs", "3", "--format", "text").returncode == 0


def test_the_training_table_is_read_and_said(tmp_path: Path, run_cli) -> None:
    spec = tmp_path / "online.toml"
    spec.write_text(LOGISTIC.read_text(encoding="utf-8") + '\n[training]\nupdate = "online"\nmomentum = 0.5\n',
                    encoding="utf-8")
    r = run_cli("train", str(spec), "--epochs", "2", "--format", "text")
    assert r.returncode == 0, r.stderr
    assert "one sample each" in r.stdout and "momentum μ = 0.5" in r.stdout
    data = json.loads(run_cli("train", str(spec), "--epochs", "2", check=True).stdout)
    assert [s["samples"] for s in data["steps"]] == [[0], [1], [2], [3]] * 2 and len(data["epoch_losses"]) == 3


def test_the_json_of_a_mean_batch_by_hand(tmp_path: Path, run_cli) -> None:
    """err = (w x + b − t)²/2 at w = 1/2, b = −1 over (x, t) = (1, 2), (3, 0), averaged: by hand z = −1/2, 1/2,
    err = 25/8, 1/8, J = 13/8; ∂J/∂w = ((−5/2)·1 + (1/2)·3)/2 = −1/2, ∂J/∂b = (−5/2 + 1/2)/2 = −1; an input's
    gradient is each sample's ∂J/∂x = (z − t) w / 2 = −5/8, 1/8."""
    spec = tmp_path / "mean.toml"
    spec.write_text('batch_loss = "mean"\nlearning_rate = 0.1\n[graph]\nparams = { w = 0.5, b = -1 }\n'
                    'nodes = [{ name = "z", expr = "w*x + b" }, { name = "err", expr = "(z - t)^2/2" }]\n'
                    "[[graph.samples]]\nx = 1\nt = 2\n[[graph.samples]]\nx = 3\nt = 0\n", encoding="utf-8")
    data = json.loads(run_cli("derive", str(spec), "--format", "json", check=True).stdout)
    assert data["output"] == [3.125, 0.125] and data["nodes"]["z"] == [-0.5, 0.5] and data["loss"] == 1.625
    assert data["gradients"] == {"w": -0.5, "b": -1.0, "x": [-0.625, 0.125], "t": [1.25, -0.25]}
    assert data["updated"] == {"w": 0.55, "b": -0.9} and data["node_gradients"]["z"] == [-2.5, 0.5]
    assert data["batch_loss"] == "mean" and [s["inputs"] for s in data["per_sample"]] == [{"x": 1.0, "t": 2.0},
                                                                                          {"x": 3.0, "t": 0.0}]


@pytest.mark.parametrize("graph, extra, message", [
    ('inputs = ["x1", "x2", "y"]', "[[graph.samples]]\nx1 = 1\ny = 0\n",
     "graph.samples[0]: missing input x2; expected a value for every input (x1, x2, y)"),
    ('inputs = ["x1", "x2", "y"]', "[[graph.samples]]\nx1 = 1\nx2 = 0\ny = 0\nx3 = 2\n",
     "graph.samples[0].x3: unknown input 'x3'; expected one of x1, x2, y"),
    ("", "[[graph.samples]]\nx1 = 1\nx2 = 0\ny = 0\n[[graph.samples]]\nx1 = 1\ny = 0\nx9 = 1\n",
     "graph.samples[1].x9: unknown input 'x9'"),
    ("inputs = { x1 = 1, x2 = 0, y = 0 }", "[[graph.samples]]\nx1 = 1\nx2 = 0\ny = 0\n",
     "graph.samples: expected the inputs' values either in graph.inputs or in [[graph.samples]], not both"),
    ('inputs = ["x1", "x2", "y"]', "samples = 3\n", "graph.samples: expected a non-empty array of tables"),
])
def test_bad_samples_are_one_clear_message(tmp_path: Path, run_cli, graph: str, extra: str, message: str) -> None:
    nodes = ",\n".join(f'  {{ name = "{n["name"]}", expr = "{n["expr"]}" }}' for n in BCE_NODES)
    body = f'learning_rate = 0.5\n[graph]\n{graph}\nparams = {{ w1 = 0, w2 = 0, b = 0 }}\nnodes = [\n{nodes}\n]\n'
    if extra.startswith("samples"):
        body = body.replace("[graph]\n", f"[graph]\n{extra}")
    else:
        body += extra
    spec = tmp_path / "bad.toml"
    spec.write_text(body, encoding="utf-8")
    for command in ("derive", "train"):
        r = run_cli(command, str(spec))
        assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr, r.stderr
        assert f"bad.toml: {message}" in r.stderr, r.stderr


def test_training_refusals(tmp_path: Path, run_cli) -> None:
    spec = tmp_path / "nolr.toml"
    spec.write_text(LOGISTIC.read_text(encoding="utf-8").replace("learning_rate = 0.5", ""), encoding="utf-8")
    r = run_cli("train", str(spec))
    assert r.returncode == 2 and "nolr.toml: learning_rate: training needs a learning rate" in r.stderr
    seq = tmp_path / "seq.toml"
    seq.write_text(LOGISTIC.read_text(encoding="utf-8") + '\n[training]\nlayer_update = "sequential"\n',
                   encoding="utf-8")
    r = run_cli("train", str(seq))
    assert r.returncode == 2 and "training.layer_update" in r.stderr and r.stderr.count("\n") == 1
    with pytest.raises(SpecError, match="diverged"):
        samples = [{"x": 1.0, "t": 0.0}]
        train_circuit(Circuit.from_dict({"learning_rate": 10, "graph": {
            "inputs": ["x", "t"], "params": {"w": 1}, "nodes": [{"name": "err", "expr": "(w^3*x - t)^2"}],
            "samples": samples}}), 50)
