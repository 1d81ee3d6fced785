"""The compiled NumPy evaluation (numeric.py) and training (train.py) against the exact derivation.

derive.py computes every gradient exactly (or at 50 digits); the compiled function must give the same
numbers in double precision for every example, random small networks with every activation and loss, and
both ways of finding the common subexpressions. Training must follow the exact gradient steps.
"""

from __future__ import annotations

from typing import Any

import matplotlib
import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, SEED001, SEED002, SEED003, SEED004, SOFTMAX
from strategies import BCE, CCE, network_specs
from symbackprop.derive import Derivation, derive
from symbackprop.errors import SpecError
from symbackprop.network import Network
from symbackprop.numeric import compile_network, expressions
from symbackprop.train import Training, train
from truth import forward_scale

matplotlib.use("Agg")

METHODS = ("layers", "graph", "sympy")


def close(a: float, b: float, rel: float = 1e-10, scale: float = 0.0) -> bool:
    """|a − b| within rel of |b|, or of `scale` (the size of the other gradients: cancellation to ~0)."""
    return abs(a - b) <= rel * max(abs(b), scale, 1e-300)


def assert_matches(network: Network, d: Derivation, method: str = "graph", rel: float = 1e-10) -> None:
    compiled = compile_network(network, method)  # type: ignore[arg-type]
    loss, grads = compiled.loss_and_gradients()
    assert d.loss is not None
    # an output (and loss) that is exactly 0 is rounding noise in double precision: judged on the forward scale
    fwd = forward_scale(network, d) * 1e-4
    assert close(loss, float(d.loss), rel, fwd ** 2), (loss, d.loss)
    # a gradient that cancels to (nearly) 0 is compared with the size of the terms that cancel (the other
    # gradients, the δ's): double precision keeps ~1e-16 of them, so it is right to rel · 1e-4 of the largest
    sizes = [g for p in d.params for g in (p.gradient, *p.gradients)] + [v for t in d.deltas for v in t.values]
    # ... and the ∂E/∂out each δ is made of: under softmax the δ's themselves cancel (a bias shared by a softmax
    # layer has the gradient Σ δ = 0 exactly, seen as 2e-16 from terms of 0.25 while every δ was 1e-3)
    sizes += [v for t in d.deltas for term in t.terms for v in term.grad_values]
    scale = max(abs(float(v)) for v in sizes if v is not None) * 1e-4
    scale = max(scale, fwd ** 2)  # exact δ's all 0 (outputs on their targets): the forward noise, propagated
    for p in d.params:
        assert p.gradient is not None
        assert close(grads[p.name], float(p.gradient), rel, scale), (method, p.name, grads[p.name], p.gradient)
    # per sample too: the batch sum could hide compensating errors
    losses, per_grads, outs = compiled.per_sample()
    for i, f in enumerate(d.forward):
        assert f.loss is not None
        assert close(float(losses[i]), float(f.loss), rel, fwd ** 2)
        for o, value in zip(network.outputs, outs, strict=True):
            assert close(float(value[i]), float(f.values[o]), rel, fwd)  # type: ignore[arg-type]
        for k, p in enumerate(d.params):
            assert close(float(per_grads[k, i]), float(p.gradients[i]), rel, scale)  # type: ignore[arg-type]


def exact_steps(network: Network, steps: int) -> list[Derivation]:
    """derive() at the parameters before step 1, ..., after `steps` exact gradient steps."""
    out = [derive(network, max_paths=0)]
    for _ in range(steps):
        network = network.with_values({p.param: p.updated for p in out[-1].params})  # type: ignore[misc]
        out.append(derive(network, max_paths=0))
    return out


# --- the examples --------------------------------------------------------------------------------

NUMERIC = [p for p in EXAMPLES if Network.load(p).is_numeric()]


def test_the_numeric_examples_are_found():
    assert {p.stem for p in NUMERIC} >= {"seed000_in_out", "seed002_linear", "seed004_mattmazur", "softmax_batch"}


@pytest.mark.parametrize("example", NUMERIC, ids=lambda p: p.stem)
@pytest.mark.parametrize("method", METHODS)
def test_compiled_gradients_equal_the_exact_ones(example, method):
    net = Network.load(example)
    assert_matches(net, derive(net), method)


def test_abstract_and_symbolic_networks_are_refused():
    with pytest.raises(SpecError, match="concrete activation"):
        compile_network(Network.load(SEED001))
    compiled = compile_network(Network.load(SEED003))  # no values: no data
    with pytest.raises(SpecError, match="no value for"):
        compiled.loss_and_gradients()
    # with values given, a symbolic spec's compiled function works
    params = {p: 0.1 * (k + 1) for k, p in enumerate(compiled.param_names)}
    loss, grads = compiled.loss_and_gradients(params, {"i1": [0.05, 0.3], "i2": [0.1, -0.2]}, {"O": [0.01, 0.9]})
    assert np.isfinite(loss) and set(grads) == set(params)


def test_the_generated_code_is_the_graph():
    compiled = compile_network(Network.load(SEED004), "graph")
    code = compiled.source
    # one assignment per net input, output, ∂E/∂out and δ; the gradients read the δ's
    for name in ("_net_h1 =", "_h1 =", "_E_total =", "__dE_o1 =", "__delta_o1 =", "__delta_h1 ="):
        assert code.count(f"    {name}") == 1, name
    assert "__delta_o1*_h1" in code
    assert compiled.param_names == ["w1", "w2", "w3", "w4", "b1", "w5", "w6", "w7", "w8", "b2"]


def test_parameters_named_like_numpy_functions():
    spec = {"learning_rate": 0.5, "loss": "half_sse", "inputs": {"exp": 0.5, "log": -0.25},
            "targets": {"select": 0.3},
            "layers": [{"name": "tanh", "activation": "tanh", "weights": [["where", "nan"], ["sum", "e"]],
                        "bias": "pi"},
                       {"name": "select", "neurons": ["select"], "activation": "sigmoid",
                        "weights": [["maximum", "inf"]]}],
            "params": {"where": 0.1, "nan": -0.2, "sum": 0.3, "e": 0.4, "pi": 0.05, "maximum": -0.5, "inf": 0.6}}
    net = Network.from_dict(spec)
    for method in METHODS:
        assert_matches(net, derive(net), method)


# --- random networks -----------------------------------------------------------------------------

# the cross-entropies' outputs and targets in the numeric tests: a sigmoid or softmax output, targets in [0, 1]
HEADS = {BCE: ("sigmoid",), CCE: ("softmax", "softmax", "sigmoid")}
TARGETS = {BCE: (0, 10), CCE: (0, 10)}


def specs() -> st.SearchStrategy[dict[str, Any]]:
    """0–2 hidden layers of 1–3 neurons, no weight tied, no bias shared across layers; 1–4 samples."""
    return network_specs(inputs=(1, 3), hidden=(0, 2), widths=(1, 3), outputs={BCE: (1, 2), CCE: (2, 3)},
                         heads=HEADS, alphas=(0.01, 0.2), alpha_always=True, bias_across=None, ties=(0, 0),
                         targets=TARGETS, probability_targets=False, samples=(1, 4), learning_rates=(0.1, 0.5),
                         maybe_none_frozen=False)


def usable(net: Network, d: Derivation) -> bool:
    """Away from the kinks of relu / leaky_relu, and no cross-entropy of an output within 1e-6 of 0 or 1
    (there log(1 − o) loses its digits in double precision: a test of rounding, not of the derivation)."""
    for f in d.forward:
        for layer in net.layers:
            if layer.activation.name in ("relu", "leaky_relu"):
                if any(f.values[n] is None or abs(float(f.values[n])) < 1e-6 for n in layer.nets):  # type: ignore
                    return False
        if net.loss_name in ("binary_cross_entropy", "categorical_cross_entropy"):
            for o in net.outputs:
                v = f.values[o]
                if v is None or min(abs(float(v)), abs(1 - float(v))) < 1e-6:
                    return False
    return d.loss is not None and all(p.gradient is not None for p in d.params)


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(specs(), st.sampled_from(METHODS))
def test_random_networks(data: dict[str, Any], method: str) -> None:
    net = Network.from_dict(data)
    d = derive(net, max_paths=0)
    assume(usable(net, d))
    assert_matches(net, d, method, rel=1e-9)


def test_many_parameter_vectors_at_once():
    net = Network.load(SOFTMAX)
    compiled = compile_network(net)
    rng = np.random.default_rng(1)
    thetas = compiled.param_vector() + rng.normal(0, 0.3, (5, len(net.params)))
    losses, grads = compiled.loss_and_gradients_many(thetas)
    assert losses.shape == (5,) and grads.shape == (5, len(net.params))
    for theta, loss, g in zip(thetas, losses, grads, strict=True):
        one, by_name = compiled.loss_and_gradients(theta)
        assert loss == pytest.approx(one, rel=1e-13)
        assert list(g) == pytest.approx([by_name[n] for n in compiled.param_names], rel=1e-12, abs=1e-15)


def test_other_data_equals_a_network_with_those_samples():
    base = {"learning_rate": 0.5, "loss": "bce", "batch_loss": "mean",
            "layers": [{"name": "h", "activation": "relu", "size": 2, "bias": True},
                       {"name": "o", "activation": "sigmoid", "size": 1, "bias": True}],
            "params": {"w1": 0.3, "w2": -0.2, "w3": 0.5, "w4": 0.1, "w5": 0.7, "w6": -0.4, "b1": 0.1, "b2": -0.1}}
    xs = [(0.5, 0.25), (-1.0, 2.0), (1.5, -0.5)]
    ts = [1, 0, 1]
    net = Network.from_dict({**base, "samples": [{"inputs": {"x1": a, "x2": b}, "targets": {"o1": t}}
                                                 for (a, b), t in zip(xs, ts, strict=True)]})
    d = derive(net)
    single = Network.from_dict({**base, "inputs": {"x1": 0.0, "x2": 0.0}, "targets": {"o1": 0}})
    compiled = compile_network(single)
    for inputs, targets in (({"x1": [a for a, _ in xs], "x2": [b for _, b in xs]}, {"o1": ts}),
                            (np.array(xs), np.array(ts)[:, None])):
        loss, grads = compiled.loss_and_gradients(None, inputs, targets)
        assert loss == pytest.approx(float(d.loss), rel=1e-12)  # type: ignore[arg-type]
        for p in d.params:
            assert grads[p.name] == pytest.approx(float(p.gradient), rel=1e-12)  # type: ignore[arg-type]
    assert compiled.outputs(None, np.array(xs), np.array(ts)[:, None])["o1"] == pytest.approx(
        [float(f.values[net.outputs[0]]) for f in d.forward], rel=1e-13)  # type: ignore[arg-type]


def test_expressions_in_the_leaves_are_the_composed_loss_and_its_derivatives():
    net = Network.load(SEED004)
    loss, grads, outs = expressions(net)
    composed = net.composed()
    assert loss == composed[net.error] and outs == [composed[o] for o in net.outputs]
    assert loss.free_symbols <= {*net.inputs, *net.targets, *net.params}
    rng = np.random.default_rng(4)
    leaves = [*net.inputs, *net.targets, *net.params]
    for _ in range(3):  # equal as functions: at random points, to 30 digits
        point = {s: sp.Rational(int(rng.integers(-900, 900)), 1000) for s in leaves}
        for p, g in zip(net.params, grads, strict=True):
            a, b = g.xreplace(point).evalf(30), sp.diff(loss, p).xreplace(point).evalf(30)
            assert abs(a - b) <= 1e-25 * max(abs(b), 1), (p, a, b)


# --- training ------------------------------------------------------------------------------------

@pytest.mark.parametrize("example", NUMERIC, ids=lambda p: p.stem)
def test_training_follows_the_exact_steps(example):
    net = Network.load(example)
    t = train(net, 5)
    exact = exact_steps(net, 5)
    assert len(t.losses) == 6
    for k, d in enumerate(exact):
        assert t.losses[k] == pytest.approx(float(d.loss), rel=1e-9)  # type: ignore[arg-type]
        for p in d.params:
            assert t.history[p.name][k] == pytest.approx(float(p.value), rel=1e-9, abs=1e-12)  # type: ignore
    for p in exact[-1].params:
        assert t.params[p.name] == pytest.approx(float(p.value), rel=1e-9, abs=1e-12)  # type: ignore[arg-type]
        assert t.params[p.name] == t.history[p.name][-1]


def test_history_and_frozen_parameters():
    net = Network.load(SEED004)
    t = train(net, 20)
    assert list(t.history) == list(t.params)
    assert all(len(v) == 21 for v in t.history.values())
    assert t.history["b1"] == [0.35] * 21 and t.history["b2"] == [0.6] * 21  # frozen
    assert t.history["w5"][0] == 0.4 and t.history["w5"][1] == pytest.approx(0.35891648, abs=5e-9)
    assert train(net, 0).history["w1"] == [0.15]
    # a Training built by hand (the JSON contract's fields only) still works
    bare = Training(1, [1.0, 0.5], {"w": 1.0}, {"o": 0.5})
    assert bare.history == {} and bare.network is None
    assert bare == Training(1, [1.0, 0.5], {"w": 1.0}, {"o": 0.5})
    assert "network" not in repr(t)


def test_training_errors_keep_their_messages():
    with pytest.raises(SpecError, match="training needs numbers; no value for"):
        train(Network.load(SEED003), 3)
    with pytest.raises(SpecError, match=r"expected a number of steps >= 0"):
        train(Network.load(SEED004), -1)
    spec = {"learning_rate": 1e6, "loss": "sse", "inputs": {"x1": 3.0}, "targets": {"o1": 100.0},
            "layers": [{"name": "o", "activation": "identity", "size": 1}], "params": {"w1": 1.0}}
    with pytest.raises(SpecError, match="training diverged at step"):
        train(Network.from_dict(spec), 200)


def test_derivation_of_a_step_is_the_exact_one():
    net = Network.load(SEED004)
    t = train(net, 60)
    exact = exact_steps(net, 3)
    d2 = t.derivation(2)
    assert d2.loss == exact[2].loss
    assert d2.gradients == exact[2].gradients and d2.updated == exact[2].updated
    assert d2.network.values == exact[2].network.values
    assert d2.params[0].paths is not None  # the full derivation, with its path sums
    assert t.derivation(0).loss == derive(net).loss
    assert t.derivation(3).loss == exact[3].loss  # one more exact step from the cache
    # beyond EXACT_STEPS: the float parameters of the training, converted exactly
    late = t.derivation(60)
    assert float(late.loss) == pytest.approx(t.losses[60], rel=1e-12)  # type: ignore[arg-type]
    assert late.network.values[net.by_name("b1")] == sp.Rational(7, 20)  # frozen: the spec's exact value
    approx = t.derivation(3, exact=False)
    assert float(approx.loss) == pytest.approx(float(exact[3].loss), rel=1e-12)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="expected a step from 0 to 60"):
        t.derivation(61)


def test_derivation_of_a_linear_network_stays_feasible():
    # seed 002's exact rationals triple their digits per step; past EXACT_DIGITS they continue at 50 digits
    net = Network.load(SEED002)
    t = train(net, 12)
    assert t.derivation(2).loss == exact_steps(net, 2)[2].loss
    assert t.derivation(2).loss.is_Rational  # type: ignore[union-attr]
    d = t.derivation(12)
    assert float(d.loss) == pytest.approx(t.losses[12], rel=1e-12)  # type: ignore[arg-type]


def test_plot():
    net = Network.load(SEED004)
    t = train(net, 30)
    fig = t.plot()
    loss_ax, param_ax = fig.axes
    (line,) = loss_ax.get_lines()
    assert len(line.get_xdata()) == 31 and list(line.get_ydata()) == t.losses
    assert loss_ax.get_yscale() == "linear"  # 0.298 to 0.1: less than two decades
    assert len(param_ax.get_lines()) == 10
    assert [text.get_text() for text in param_ax.get_legend().get_texts()] == list(t.params)
    long = train(net, 2000).plot(params=False)
    assert len(long.axes) == 1 and long.axes[0].get_yscale() == "log"
    import matplotlib.pyplot as plt

    plt.close("all")


def test_plot_of_many_parameters_shows_the_twelve_that_move_most():
    spec = {"learning_rate": 0.5, "loss": "half_sse", "inputs": {"x1": 0.5, "x2": -0.3, "x3": 0.8},
            "targets": {"o1": 0.2, "o2": 0.7},
            "layers": [{"name": "h", "activation": "tanh", "size": 4, "bias": True},
                       {"name": "o", "activation": "sigmoid", "size": 2, "bias": True}],
            "frozen": ["w1", "w2"]}
    net = Network.from_dict(spec)
    spec["params"] = {p.name: 0.1 * ((k % 7) - 3) for k, p in enumerate(net.params)}
    net = Network.from_dict(spec)
    t = train(net, 10)
    from matplotlib.figure import Figure

    fig = Figure()
    axes = fig.subplots(1, 2)
    assert t.plot(axes) is fig
    shown = [text.get_text() for text in axes[1].get_legend().get_texts()]
    assert len(shown) == 12 and "w1" not in shown and "w2" not in shown
    assert "12 of 22" in axes[1].get_title()


@pytest.mark.parametrize(("loss", "activation", "weight", "targets"), [
    ("binary_cross_entropy", "sigmoid", 40, [0.0]), ("binary_cross_entropy", "sigmoid", -745, [1.0]),
    ("categorical_cross_entropy", "softmax", 800, [0.0, 1.0])])
def test_saturated_cross_entropy_trains_with_finite_losses(loss: str, activation: str, weight: float,
                                                           targets: list[float]) -> None:
    """A sigmoid with binary cross-entropy whose net input is 40 (σ = 1 − 4e−18, 1 in float64) or −745 on the
    wrong side of its target, and a softmax whose net inputs are 800 apart: the loss is computed from the net
    inputs (log σ, log-sum-exp), so it is finite; it and the gradient equal the exact derivation (sympy,
    rational arithmetic) at that point, and each of 100 steps of gradient descent lowers a finite loss."""
    n = len(targets)
    net = Network.from_dict({
        "learning_rate": 0.5, "loss": loss, "inputs": ["x1"],
        "layers": [{"name": "o", "activation": activation, "size": n}],
        "params": {f"w{k + 1}": (weight if k == 0 else 0) for k in range(n)},
        "samples": [{"inputs": {"x1": 1}, "targets": {f"o{j + 1}": t for j, t in enumerate(targets)}}]})
    d = derive(net)
    compiled = compile_network(net)
    value, grads = compiled.loss_and_gradients()
    assert value == pytest.approx(float(d.loss), rel=1e-12)
    for p in d.params:
        assert grads[p.name] == pytest.approx(float(p.gradient), rel=1e-12, abs=1e-300)
    history = train(net, 100)
    assert all(np.isfinite(history.losses)) and all(np.diff(history.losses) < 0)


def _by_hand(data: dict[str, Any], groups: list[list[int]], updates: int) -> list[np.ndarray]:
    """An independent implementation of the [training] conventions for a 2-2-1 sigmoid network with half_sse and
    one bias per layer: the forward and backward pass written out here in NumPy, the samples of each update in
    order, g = ∂E/∂θ + λθ (the weights only), Δθ = −η g + μ Δθ_prev. Returns θ after every update, in the spec's
    parameter order (w1..w4, b1, w5, w6, b2)."""
    p = data["params"]
    theta = np.array([p[k] for k in ("w1", "w2", "w3", "w4", "b1", "w5", "w6", "b2")], dtype=float)
    x = np.array([[s["inputs"]["x1"], s["inputs"]["x2"]] for s in data["samples"]])
    t = np.array([s["targets"]["o1"] for s in data["samples"]])
    eta, mu, lam = data["learning_rate"], data["training"].get("momentum", 0), data["training"].get("weight_decay", 0)
    decays = np.array([1, 1, 1, 1, 0, 1, 1, 0], dtype=float)
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    velocity, out = np.zeros(8), []
    for k in range(updates):
        g = np.zeros(8)
        for i in groups[k % len(groups)]:
            w1, w2, w3, w4, b1, w5, w6, b2 = theta
            h1, h2 = sig(w1 * x[i, 0] + w2 * x[i, 1] + b1), sig(w3 * x[i, 0] + w4 * x[i, 1] + b1)
            o = sig(w5 * h1 + w6 * h2 + b2)
            d_o = (o - t[i]) * o * (1 - o)
            d1, d2 = d_o * w5 * h1 * (1 - h1), d_o * w6 * h2 * (1 - h2)
            g += [d1 * x[i, 0], d1 * x[i, 1], d2 * x[i, 0], d2 * x[i, 1], d1 + d2, d_o * h1, d_o * h2, d_o]
        velocity = mu * velocity - eta * (g + lam * decays * theta)
        theta = theta + velocity
        out.append(theta.copy())
    return out


@pytest.mark.parametrize("training", [{"update": "online", "momentum": 0.9, "weight_decay": 0.01},
                                      {"update": "minibatch", "batch_size": 2, "momentum": 0.5},
                                      {"update": "batch", "weight_decay": 0.1}])
def test_online_minibatch_momentum_and_decay_follow_an_independent_implementation(training: dict[str, Any]) -> None:
    """train with a [training] table: every update's parameters equal the NumPy loop written in this test."""
    data = {"learning_rate": 0.5, "loss": "half_sse", "inputs": ["x1", "x2"], "training": training,
            "layers": [{"name": "h", "activation": "sigmoid", "size": 2, "bias": "b1"},
                       {"name": "o", "activation": "sigmoid", "size": 1, "bias": "b2"}],
            "params": {"w1": 0.1, "w2": 0.2, "w3": -0.3, "w4": 0.4, "b1": 0.1, "w5": 0.5, "w6": -0.6, "b2": 0.2},
            "samples": [{"inputs": {"x1": 0.35, "x2": 0.9}, "targets": {"o1": 0.5}},
                        {"inputs": {"x1": 1, "x2": 0}, "targets": {"o1": 1}},
                        {"inputs": {"x1": -0.5, "x2": 0.3}, "targets": {"o1": 0.2}}]}
    net = Network.from_dict(data)
    groups = {"online": [[0], [1], [2]], "minibatch": [[0, 1], [2]], "batch": [[0, 1, 2]]}[training["update"]]
    run = train(net, epochs=3)
    assert run.steps == 3 * len(groups) and len(run.updates) == run.steps
    assert [u.samples for u in run.updates] == [groups[k % len(groups)] for k in range(run.steps)]
    for update, theta in zip(run.updates, _by_hand(data, groups, run.steps), strict=True):
        assert np.allclose([update.params[n] for n in ("w1", "w2", "w3", "w4", "b1", "w5", "w6", "b2")], theta,
                           rtol=1e-12, atol=1e-15)
    assert len(run.epoch_losses) == 4 and run.epoch_losses[0] == run.losses[0]
    weights = ("w1", "w2", "w3", "w4", "w5", "w6")
    decay = training.get("weight_decay", 0) / 2 * sum(run.history[w][2] ** 2 for w in weights)
    assert float(run.derivation(2).loss) + decay == pytest.approx(run.losses[2], rel=1e-10)  # from the float values
    with pytest.raises(ValueError, match="exact steps follow full-batch gradient descent"):
        run.derivation(1, exact=True)


def test_training_options_are_checked() -> None:
    base = {"inputs": ["x1"], "layers": [{"name": "o", "size": 1}]}
    for training, key in (({"update": "minibatch"}, "training.batch_size"), ({"momentum": 1}, "training.momentum"),
                          ({"weight_decay": -0.1}, "training.weight_decay"), ({"update": "sgd"}, "training.update"),
                          ({"layer_update": "upward"}, "training.layer_update"),
                          ({"rounding": -1}, "training.rounding"), ({"batch_size": 2}, "training.batch_size"),
                          ({"speed": 1}, "training.speed")):
        with pytest.raises(SpecError) as info:
            Network.from_dict({**base, "training": training})
        assert info.value.key == key, (training, info.value.key)
