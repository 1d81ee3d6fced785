"""The layer-wise (matrix) compiled method against the exact derivation, the graph method and mpmath.

"layers" evaluates the network as W = θ[positions], net = W a + b with the samples as columns, and the
reverse accumulation as δ = ∂E/∂out ⊙ f'(net), ∂E/∂a = Wᵀ δ, ∂E/∂W = δ aᵀ scattered into θ by position.
Everything that could go wrong in that bookkeeping — a shared weight or bias summed once per use, biases
missing for some neurons, frozen parameters, the mean over the samples, softmax's Jacobian, the relu
conventions at the kink — is checked here against references that do not use it: derive.py's exact
values, the scalar "graph" code, mpmath finite differences, and closed forms worked out by hand.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_numeric import HEADS, TARGETS, close, usable

from conftest import SEED004, SOFTMAX
from strategies import BCE, CCE, network, network_specs
from symbackprop.derive import Derivation, derive
from symbackprop.network import Network
from symbackprop.numeric import Compiled, compile_network
from symbackprop.train import train
from truth import finite_differences, forward_scale

# --- random networks, also with bias lists that skip neurons (None; built with strategies.network) ----------

def specs() -> st.SearchStrategy[dict[str, Any]]:
    """1–4 hidden layers of width 1–5, every activation and loss; biases none, shared by the layer, shared
    across layers, per neuron, or a list mixing names, repeats and None; weights tied within and across
    layers; frozen parameters; 1–4 samples; sum or mean."""
    return network_specs(outputs={BCE: (1, 3), CCE: (2, 4)}, heads=HEADS, alpha_always=True, bias_across=5,
                         mixed_biases=True, ties=(0, 3), targets=TARGETS, probability_targets=False, samples=(1, 4),
                         learning_rates=(0.1,), maybe_none_frozen=False)


def term_scale(net: Network, d: Derivation) -> float:
    """A gradient that cancels to ~0 is compared with the size of the terms that cancel — products of a δ, a
    weight and an activation, bounded by the largest δ or per-sample gradient times the largest activation
    or weight: double precision keeps ~1e-16 of those, whatever the order of the sums."""
    sizes = [g for p in d.params for g in (p.gradient, *p.gradients)] + [v for t in d.deltas for v in t.values]
    sizes += [v for t in d.deltas for term in t.terms for v in term.grad_values]  # ∂E/∂out: softmax δ's cancel too
    factors = [v for f in d.forward for layer in net.layers for v in (f.values[o] for o in layer.outs)]
    factors += [net.values[p] for p in net.params]
    big = max((abs(float(v)) for v in sizes if v is not None), default=0.0)  # type: ignore[arg-type]
    return big * max([1.0, *(abs(float(v)) for v in factors if v is not None)]) * 1e-3  # type: ignore[arg-type]


def saturation_margin(net: Network, d: Derivation) -> float:
    """How close any sigmoid, tanh or softmax output comes to 1 (or sigmoid's to 0): min(o, 1 − o), 1 − |o|,
    1 − o. Their derivatives o(1 − o), 1 − o² then keep only ~1e-16 / margin of their digits, in every method
    alike (the double-precision o is the limit): no method can match the exact value better than that."""
    margin = 1.0
    for f in d.forward:
        for layer in net.layers:
            for o in layer.outs:
                v = float(f.values[o])  # type: ignore[arg-type]
                if layer.activation.name == "sigmoid":
                    margin = min(margin, v, 1 - v)
                elif layer.activation.name == "tanh":
                    margin = min(margin, 1 - abs(v))
                elif layer.activation.name == "softmax":
                    margin = min(margin, 1 - v)
    return margin


def assert_agrees_with_graph(a: np.ndarray, b: np.ndarray, exact: np.ndarray, size: float, what: str) -> None:
    """layers (a) equals graph (b) to rel 1e-12 — or, where they differ by more, graph is itself that far from
    the exact value and layers is no farther (two double-precision evaluations that sum in different orders
    can each be within 1e-12 of the truth and still 1.1e-12 apart; neither is then the wrong one).

    `size` is the size of the terms the values sum: a value that cancels to ~0 is compared to rel 1e-12 of
    them (a few ulps of them: 5.6e-17 against an exact 0 was seen)."""
    for k, (x, y, z) in enumerate(zip(a, b, exact, strict=True)):
        tol = 1e-12 * max(abs(float(z)), size, 1e-300)
        assert abs(x - y) <= tol or abs(x - z) <= max(2 * abs(y - z), tol), (what, k, x, y, z)


def assert_close_vectors(a: np.ndarray, b: np.ndarray, rel: float, what: str, scale: float | None = None) -> None:
    if scale is None:
        scale = float(np.max(np.abs(b), initial=0.0)) * 1e-3
    for k, (x, y) in enumerate(zip(a, b, strict=True)):
        assert close(float(x), float(y), rel, scale), (what, k, x, y)


@settings(max_examples=120, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
@given(specs())
def test_layers_agree_with_the_exact_derivation_and_the_graph_code(data: dict[str, Any]) -> None:
    net = network(data)
    d = derive(net, max_paths=0)
    assume(usable(net, d))
    assume(saturation_margin(net, d) > 1e-6)
    layers, graph = compile_network(net), compile_network(net, "graph")
    assert layers.method == "layers" and layers.plan is not None
    x, t = layers.data()
    theta = layers.param_vector()
    loss, grads = layers.batch_loss_and_gradients(theta, x, t)
    # the exact derivation (derive.py, rationals / 50 digits): independent of any floating-point order; 1e-9
    # as in test_numeric (a deep product of weights loses ~1e-10 in double precision, in every method alike)
    exact = np.array([float(p.gradient) for p in d.params])  # type: ignore[arg-type]
    size = forward_scale(net, d)  # an exactly-0 output or loss is rounding noise of this size (squared)
    assert close(loss, float(d.loss), 1e-9, 1e-8 * size ** 2), (loss, d.loss)  # type: ignore[arg-type]
    # a gradient whose exact δ's are all 0 (an output exactly on its target) is the backward pass of the
    # forward pass's rounding noise: at least the loss's scale
    scale = max(term_scale(net, d), 1e-8 * size ** 2)
    assert_close_vectors(grads, exact, 1e-9, "exact", scale)
    # the scalar graph code: the same double-precision quantities, summed in another order
    g_loss, g_grads = graph.batch_loss_and_gradients(theta, x, t)
    assert_agrees_with_graph(np.array([loss]), np.array([g_loss]), np.array([float(d.loss)]), size ** 2,  # type: ignore
                             "loss")
    assert_agrees_with_graph(grads, g_grads, exact, 1e3 * scale, "graph")  # term_scale is 10⁻³ of the terms
    # the forward pass alone gives the same batch loss, and the friendly names agree with the raw calls
    assert close(layers.batch_loss(theta, x, t), loss, 1e-14)
    assert layers.loss() == layers.batch_loss(theta, x, t)
    by_name = layers.loss_and_gradients()[1]
    assert [by_name[n] for n in layers.param_names] == list(grads)
    # per sample: the rows are each sample's own gradient (the batch sums could hide compensating errors)
    losses, per_grads, outs = layers.per_sample()
    g_losses, g_per, g_outs = graph.per_sample()
    for i, f in enumerate(d.forward):
        assert_agrees_with_graph(losses[i:i + 1], g_losses[i:i + 1], np.array([float(f.loss)]),  # type: ignore
                                 size ** 2, f"loss {i}")
        per_exact = np.array([float(p.gradients[i]) for p in d.params])  # type: ignore[arg-type]
        assert_agrees_with_graph(per_grads[:, i], g_per[:, i], per_exact, 1e3 * scale, f"sample {i}")
        out_exact = np.array([float(f.values[o]) for o in net.outputs])  # type: ignore[arg-type]
        assert_agrees_with_graph(outs[:, i], g_outs[:, i], out_exact, size, f"outputs {i}")


@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
@given(specs())
def test_layers_agree_with_mpmath_finite_differences(data: dict[str, Any]) -> None:
    """The reference shares nothing with either compiled method: the network's definitions evaluated in
    mpmath at 100 digits, differentiated by central differences."""
    net = network(data)
    d = derive(net, max_paths=0)
    assume(usable(net, d) and saturation_margin(net, d) > 1e-6)
    fds = finite_differences(net, digits=30)
    _, grads = compile_network(net).loss_and_gradients()
    fd = np.array([float(fds[p]) for p in net.params])
    # a gradient that cancels to 0 exactly (finite differences give 0) comes out as rounding noise of the
    # cancelled terms, ~1e-17: compared on their scale, as against the exact derivation above
    assert_close_vectors(np.array([grads[p.name] for p in net.params]), fd, 1e-10, "finite differences",
                         max(term_scale(net, d), 1e-8 * forward_scale(net, d) ** 2))


# --- the conventions at the kinks and of softmax ----------------------------------------------------

def one_neuron(activation: str, alpha: float = 0.01) -> Network:
    """o = f(w·x + b) with w·x + b = 0.5·0.5 − 0.25 = 0 exactly (all dyadic: no rounding), E = ½(t − o)²."""
    return Network.from_dict({"learning_rate": 0.1, "loss": "half_sse", "inputs": {"x": 0.5}, "targets": {"o1": 1.0},
                              "layers": [{"name": "o", "activation": activation, "weights": [["w"]], "bias": "b",
                                          "alpha": alpha}],
                              "params": {"w": 0.5, "b": -0.25}})


@pytest.mark.parametrize("method", ["layers", "graph"])
def test_relu_and_leaky_relu_exactly_at_the_kink(method: str) -> None:
    # f(0) = 0 for both, so ∂E/∂o = o − t = −1; relu'(0) = Heaviside(0) = 0, leaky_relu'(0) = α
    # (derive.py's conventions): ∂E/∂w = −1 · f'(0) · x, ∂E/∂b = −1 · f'(0)
    loss, grads = compile_network(one_neuron("relu"), method).loss_and_gradients()
    assert loss == 0.5 and grads == {"w": 0.0, "b": 0.0}
    loss, grads = compile_network(one_neuron("leaky_relu", 0.25), method).loss_and_gradients()
    assert loss == 0.5 and grads == {"w": -0.125, "b": -0.25}
    for name in ("relu", "leaky_relu"):
        assert [float(p.gradient) for p in derive(one_neuron(name, 0.25)).params] == list(  # type: ignore[arg-type]
            compile_network(one_neuron(name, 0.25), method).loss_and_gradients()[1].values())


def test_relu_kink_inside_a_deeper_network_matches_the_graph_code() -> None:
    # hidden neuron h1 sits exactly at its kink for the first sample (0.5·0.5 + 0.25·(−1) = 0), h2 does not
    spec = {"learning_rate": 0.1, "loss": "half_sse", "batch_loss": "mean",
            "samples": [{"inputs": {"x1": 0.5, "x2": -1.0}, "targets": {"o1": 0.5}},
                        {"inputs": {"x1": 1.0, "x2": 0.5}, "targets": {"o1": -0.5}}],
            "layers": [{"name": "h", "activation": "relu", "size": 2},
                       {"name": "g", "activation": "leaky_relu", "alpha": 0.5, "weights": [["w5", "w6"]],
                        "bias": "bg"},
                       {"name": "o", "activation": "identity", "weights": [["w7"]]}],
            "params": {"w1": 0.5, "w2": 0.25, "w3": -0.5, "w4": 0.75, "w5": 1.0, "w6": -1.0, "bg": 0.0,
                       "w7": 2.0}}
    net = Network.from_dict(spec)
    layers = compile_network(net)
    _, grads = layers.loss_and_gradients()
    _, expected = compile_network(net, "graph").loss_and_gradients()
    exact = {p.name: float(p.gradient) for p in derive(net).params}  # type: ignore[arg-type]
    assert grads == pytest.approx(expected, rel=1e-15, abs=0) and grads == pytest.approx(exact, rel=1e-15)
    assert layers.plan is not None and layers.plan.layers[0].activation.name == "relu"


def test_softmax_with_cross_entropy_is_o_minus_t() -> None:
    """With Σt = 1, δ of a softmax output under categorical cross-entropy is o − t, so ∂E/∂w_kj = Σ (o_k − t_k)
    x_j and ∂E/∂b_k = Σ (o_k − t_k). Logits around 800 would overflow exp without the shift by the column max."""
    rng = np.random.default_rng(7)
    x = rng.uniform(-1, 1, (5, 3))
    x[4] = [1.0, -1.0, 0.5]
    t = np.array([[0.2, 0.5, 0.3]] * 5)
    spec = {"learning_rate": 0.1, "loss": "cce", "inputs": {"x1": 0.0, "x2": 0.0, "x3": 0.0},
            "targets": {"o1": 0.0, "o2": 0.0, "o3": 0.0},
            "layers": [{"name": "o", "activation": "softmax", "size": 3, "bias": ["b1", "b2", "b3"]}]}
    net = Network.from_dict(spec)
    compiled = compile_network(net)
    theta = rng.normal(0, 1, len(net.params))
    theta[9:] += 800  # every logit near 800: exp(800) is inf, exp(net − max) is not
    xs, ts = compiled.data(x, t)
    loss, grads = compiled.batch_loss_and_gradients(theta, xs, ts)
    w = theta[:9].reshape(3, 3)
    net_in = w @ xs + theta[9:, None]
    o = np.exp(net_in - net_in.max(axis=0))
    o /= o.sum(axis=0)
    expected = np.concatenate([((o - ts) @ xs.T).ravel(), (o - ts).sum(axis=1)])
    assert np.all(np.isfinite(grads)) and np.isfinite(loss)
    assert grads == pytest.approx(expected, rel=1e-12, abs=1e-12)
    g_loss, g_grads = compile_network(net, "graph").batch_loss_and_gradients(theta, xs, ts)
    assert loss == pytest.approx(g_loss, rel=1e-12) and grads == pytest.approx(g_grads, rel=1e-12, abs=1e-12)


# --- parameters shared, frozen, skipped -------------------------------------------------------------

def test_a_tied_parameter_collects_the_gradients_of_its_uses() -> None:
    """Tying positions to one name at the same value is the untied network restricted to equal values, so
    the tied gradient is the sum of the untied gradients of those positions (the chain rule for a shared
    variable) — here one weight used four times in the hidden layer and again in the output layer, and one
    bias for both layers."""
    def spec(tied: bool) -> dict[str, Any]:
        w = (lambda n: "v") if tied else (lambda n: n)
        return {"learning_rate": 0.1, "loss": "half_sse", "batch_loss": "mean",
                "samples": [{"inputs": {"x1": 0.3, "x2": -0.7}, "targets": {"o1": 0.2, "o2": 0.9}},
                            {"inputs": {"x1": -1.2, "x2": 0.4}, "targets": {"o1": 0.6, "o2": 0.1}}],
                "layers": [{"name": "h", "activation": "tanh", "weights": [[w("a1"), w("a2")], [w("a3"), w("a4")]],
                            "bias": "c" if tied else "c1"},
                           {"name": "o", "activation": "sigmoid", "weights": [[w("a5"), "u2"], ["u3", "u4"]],
                            "bias": "c" if tied else "c2"}],
                "params": ({"v": 0.4, "c": -0.1} if tied else
                           {**{f"a{i}": 0.4 for i in range(1, 6)}, "c1": -0.1, "c2": -0.1})
                | {"u2": 0.3, "u3": -0.5, "u4": 0.8}}

    _, tied = compile_network(Network.from_dict(spec(True))).loss_and_gradients()
    _, untied = compile_network(Network.from_dict(spec(False))).loss_and_gradients()
    assert tied["v"] == pytest.approx(sum(untied[f"a{i}"] for i in range(1, 6)), rel=1e-13)
    assert tied["c"] == pytest.approx(untied["c1"] + untied["c2"], rel=1e-13)
    assert all(tied[n] == pytest.approx(untied[n], rel=1e-13) for n in ("u2", "u3", "u4"))


def test_frozen_parameters_keep_their_gradient_and_training_keeps_them() -> None:
    net = Network.load(SEED004)  # b1 and b2 are frozen
    free = Network.from_dict({**_seed004_dict(), "frozen": []})
    _, grads = compile_network(net).loss_and_gradients()
    _, free_grads = compile_network(free).loss_and_gradients()
    assert grads == free_grads and grads["b1"] != 0
    t = train(net, 3)
    assert t.history["b1"] == [0.35] * 4 and t.history["w1"][3] != t.history["w1"][0]


def _seed004_dict() -> dict[str, Any]:
    import tomllib

    return tomllib.loads(SEED004.read_text(encoding="utf-8"))


def test_neurons_without_a_bias_and_repeated_bias_names() -> None:
    """A bias list [b, None, b]: neurons 1 and 3 share b, neuron 2 has none — compared with mpmath finite
    differences of the network's own definitions and with the graph code."""
    data = {"learning_rate": 0.1, "loss": "half_sse", "batch_loss": "sum",
            "samples": [{"inputs": {"x1": 0.5, "x2": -0.3}, "targets": {"o1": 0.1}},
                        {"inputs": {"x1": -0.9, "x2": 1.1}, "targets": {"o1": 0.8}}],
            "layers": [{"name": "h", "activation": "sigmoid", "weights": [["w1", "w2"], ["w3", "w4"], ["w5", "w6"]],
                        "bias": ["b", None, "b"]},
                       {"name": "o", "activation": "tanh", "weights": [["w7", "w8", "w9"]], "bias": [None]}],
            "params": {"w1": 0.1, "w2": -0.2, "w3": 0.3, "w4": 0.4, "w5": -0.5, "w6": 0.6, "b": 0.25, "w7": 0.7,
                       "w8": -0.8, "w9": 0.9}}
    net = network(data)
    assert net.layers[0].biases[1] is None and net.layers[0].biases[0] == net.layers[0].biases[2]
    compiled = compile_network(net)
    assert compiled.plan is not None and compiled.plan.order == "shared"  # b sits at two positions
    fds = finite_differences(net, digits=30)
    _, grads = compiled.loss_and_gradients()
    for p in net.params:
        assert grads[p.name] == pytest.approx(float(fds[p]), rel=1e-13), p
    assert grads == pytest.approx(compile_network(net, "graph").loss_and_gradients()[1], rel=1e-14)


# --- the interface ------------------------------------------------------------------------------------

def _benchmark_net(width: int, depth: int) -> Network:
    n_out = max(2, width // 4)
    layers = [{"name": "hgkmpq"[k], "activation": "sigmoid", "size": width, "bias": True} for k in range(depth)]
    layers.append({"name": "o", "activation": "sigmoid", "size": n_out, "bias": True})
    spec: dict[str, Any] = {"learning_rate": 0.1, "loss": "half_sse", "batch_loss": "mean", "layers": layers,
                            "inputs": {f"x{i + 1}": 0.0 for i in range(width)},
                            "targets": {f"o{j + 1}": 0.0 for j in range(n_out)}}
    names = [p.name for p in Network.from_dict(spec).params]
    spec["params"] = {n: ((k * 37) % 21 - 10) / 25 for k, n in enumerate(names)}
    return Network.from_dict(spec)


def test_the_batch_path_sums_with_products_not_per_sample_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled = compile_network(_benchmark_net(6, 2))
    assert compiled.plan is not None
    rng = np.random.default_rng(3)
    x, t = rng.uniform(-1, 1, (6, 500)), rng.uniform(0, 1, (2, 500))
    theta = compiled.param_vector()
    per = compiled.raw(theta, x, t)  # per-sample rows, summed the slow way
    expected = compiled.batch(per, 500)

    def refuse(*args: Any) -> Any:
        raise AssertionError("the batch path must not build per-sample gradients")

    monkeypatch.setattr(type(compiled.plan), "per_sample", refuse)
    loss, grads = compiled.batch_loss_and_gradients(theta, x, t)
    assert loss == pytest.approx(expected[0], rel=1e-13) and grads == pytest.approx(expected[1], rel=1e-12)
    assert compiled.batch_loss(theta, x, t) == pytest.approx(loss, rel=1e-14)


def test_every_method_has_the_raw_batch_interface() -> None:
    net = Network.load(SOFTMAX)
    results = {}
    for method in ("layers", "graph", "sympy"):
        compiled: Compiled = compile_network(net, method)  # type: ignore[arg-type]
        x, t = compiled.data()
        theta = compiled.param_vector()
        loss, grads = compiled.batch_loss_and_gradients(theta, x, t)
        assert isinstance(loss, float) and grads.shape == (len(net.params),)
        assert compiled.batch_loss(theta, x, t) == pytest.approx(loss, rel=1e-14) == compiled.loss()
        assert list(compiled.outputs()) == compiled.output_names
        results[method] = (loss, grads, compiled.outputs())
    exact = derive(net)
    for loss, grads, outs in results.values():
        assert loss == pytest.approx(float(exact.loss), rel=1e-13)  # type: ignore[arg-type]
        assert grads == pytest.approx([float(p.gradient) for p in exact.params], rel=1e-12)  # type: ignore
        for o, values in zip(net.outputs, outs.values(), strict=True):
            assert values == pytest.approx([float(f.values[o]) for f in exact.forward], rel=1e-13)  # type: ignore


def test_many_vectors_and_the_function_of_a_layer_plan() -> None:
    net = Network.load(SOFTMAX)
    layers, graph = compile_network(net), compile_network(net, "graph")
    rng = np.random.default_rng(2)
    thetas = layers.param_vector() + rng.normal(0, 0.5, (4, len(net.params)))
    losses, grads = layers.loss_and_gradients_many(thetas)
    g_losses, g_grads = graph.loss_and_gradients_many(thetas)
    assert losses == pytest.approx(g_losses, rel=1e-13) and grads == pytest.approx(g_grads, rel=1e-12, abs=1e-15)
    # `function` keeps the graph method's calling convention: one array per input and target, one value per
    # parameter, per-sample rows back
    x, t = layers.data()
    rows = layers.function(*x, *t, *thetas[0])
    g_rows = graph.function(*x, *t, *thetas[0])
    assert len(rows) == len(g_rows) == 1 + len(net.params) + len(net.outputs)
    for a, b in zip(rows, g_rows, strict=True):
        assert np.broadcast_to(a, (x.shape[1],)) == pytest.approx(np.broadcast_to(b, (x.shape[1],)), rel=1e-12,
                                                                   abs=1e-15)


def test_the_source_shows_the_lambdified_definitions() -> None:
    source = compile_network(Network.load(SEED004)).source
    # sigmoid's derivative is the network's lecture form out·(1 − out), lambdified, not a second hand-written one
    assert "layer h (sigmoid)" in source and "__a*(1 - __a)" in source
    assert "W = θ[[[0, 1], [2, 3]]], b = θ[4] (shared)" in source


def test_training_with_layers_equals_training_with_the_graph_code() -> None:
    net = _benchmark_net(3, 2)
    a = train(net, 30, compiled=compile_network(net))
    b = train(net, 30, compiled=compile_network(net, "graph"))
    assert a.losses == pytest.approx(b.losses, rel=1e-12) and a.losses[-1] < a.losses[0]
    assert a.params == pytest.approx(b.params, rel=1e-11, abs=1e-14)
    assert a.outputs == pytest.approx(b.outputs, rel=1e-12)


def test_a_network_the_matrix_form_does_not_cover_falls_back_to_the_graph_code() -> None:
    """Two neurons of one layer with different activations (only possible by editing the graph): the plan
    refuses, compile_network uses the graph code, whose gradients still match the exact derivation."""
    net = Network.load(SEED004)
    h1 = net.layers[0].outs[0]
    n1 = net.layers[0].nets[0]
    q = net.quantities[h1]
    net.quantities[h1] = dataclasses.replace(q, definition=sp.tanh(n1), partials={n1: 1 - h1**2})
    compiled = compile_network(net)
    assert compiled.method == "graph" and compiled.plan is None
    loss, grads = compiled.loss_and_gradients()
    d = derive(net)
    assert loss == pytest.approx(float(d.loss), rel=1e-13)  # type: ignore[arg-type]
    assert [grads[p.name] for p in d.params] == pytest.approx([float(p.gradient) for p in d.params], rel=1e-12)
