"""layerwise.py: the network as matrices — LayerPlan's loss, per-sample losses and gradients, and batch gradient
(sum, or mean through `scale`) against mpmath at 100 digits on hypothesis' random networks, with no compile_network
in between; and the cross-entropies on their matching output activation computed from the net inputs, finite
where the outputs round to 0 or 1 in double precision.

References (tests/truth.py), none of which uses layerwise.py: the batch loss by lambdifying every definition in
mpmath and applying it in graph order, and central differences of it at 100 digits. test_numeric_layers.py (slow)
compares the compiled method with derive.py and the graph code on many more networks; these are the quick
checks of the module's own interface.
"""

from __future__ import annotations

from typing import Any

import mpmath
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from test_truth_random import away_from_kinks

from strategies import BCE, CCE, network_specs
from symbackprop.layerwise import LayerPlan, layer_plan, per_sample_function
from symbackprop.network import Network
from truth import DPS, batch_loss, finite_differences, sample_loss, spec_forward


def arrays(net: Network) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """θ in the network's parameter order, and the samples as columns: x (inputs, n), t (targets, n)."""
    theta = np.array([float(net.values[p]) for p in net.params])
    x = np.array([[float(s[i]) for s in net.samples] for i in net.inputs])
    t = np.array([[float(s[k]) for s in net.samples] for k in net.targets])
    return theta, x, t


def scale_of(net: Network) -> float:
    """The size of what the float64 sums add up: parameters, inputs and net inputs (computed in mpmath)."""
    sizes = [abs(float(v)) for v in net.values.values()] + [abs(float(v)) for s in net.samples for v in s.values()]
    return max([1.0, *sizes])


SETTINGS = dict(max_examples=30, deadline=None, database=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@settings(**SETTINGS)
@given(network_specs(hidden=(1, 2), widths=(1, 3), inputs=(1, 3), samples=(1, 3)))
def test_the_batch_loss_and_gradient_are_the_networks(data: dict[str, Any]) -> None:
    assume(away_from_kinks(data))
    net = Network.from_dict(data)
    plan = layer_plan(net)
    theta, x, t = arrays(net)
    n = x.shape[1]
    mean = net.spec.batch_loss == "mean"
    loss, grad = plan.batch(theta, x, t, 1.0 / n if mean else 1.0)
    true_loss = batch_loss(net)
    fd = finite_differences(net, digits=20)
    s = scale_of(net)
    tol = 1e-9 * s ** 4 * max(1.0, abs(float(true_loss)))
    assert abs(loss - float(true_loss)) <= tol, (loss, float(true_loss))
    assert grad.shape == (len(net.params),)
    for k, p in enumerate(net.params):
        assert abs(grad[k] - float(fd[p])) <= tol * max(1.0, abs(float(fd[p]))), (p, grad[k], float(fd[p]))


@settings(**SETTINGS)
@given(network_specs(hidden=(1, 2), widths=(1, 3), inputs=(1, 3), samples=(2, 3)))
def test_per_sample_losses_gradients_and_outputs(data: dict[str, Any]) -> None:
    assume(away_from_kinks(data))
    net = Network.from_dict(data)
    plan = layer_plan(net)
    theta, x, t = arrays(net)
    losses, grads, outs = plan.per_sample(theta, x, t)
    n = x.shape[1]
    assert losses.shape == (n,) and grads.shape == (len(net.params), n) and outs.shape == (len(net.outputs), n)
    s = scale_of(net)
    forward = spec_forward(data)
    for i in range(n):
        true = sample_loss(net, i)
        tol = 1e-9 * s ** 4 * max(1.0, abs(float(true)))
        assert abs(losses[i] - float(true)) <= tol
        fd = finite_differences(net, digits=20, sample=i)
        for k, p in enumerate(net.params):
            assert abs(grads[k, i] - float(fd[p])) <= tol * max(1.0, abs(float(fd[p]))), (p, i)
        # the outputs: the spec's own forward pass, written in truth.py without the network graph
        last_nets = forward[i][0][-1]
        activation = data["layers"][-1]["activation"]
        if activation != "softmax":
            continue
        with mpmath.workdps(DPS):
            top = max(last_nets)
            e = [mpmath.exp(z - top) for z in last_nets]
            want = [v / mpmath.fsum(e) for v in e]
        assert np.allclose(outs[:, i], [float(v) for v in want], rtol=1e-12, atol=1e-15)


@settings(max_examples=15, deadline=None, database=None)
@given(network_specs(hidden=(1, 1), widths=(1, 2), inputs=(1, 2), samples=(1, 3), losses=("half_sse", "mse")))
def test_the_function_of_a_plan_takes_one_value_per_leaf(data: dict[str, Any]) -> None:
    """per_sample_function(network, plan)(*inputs, *targets, *params) → [losses, *gradients, *outputs]."""
    assume(away_from_kinks(data))
    net = Network.from_dict(data)
    plan = layer_plan(net)
    theta, x, t = arrays(net)
    rows = per_sample_function(net, plan)(*x, *t, *theta)
    losses, grads, _ = plan.per_sample(theta, x, t)
    assert len(rows) == 1 + len(net.params) + len(net.outputs)
    assert np.array_equal(rows[0], losses) and np.array_equal(np.array(rows[1:1 + len(net.params)]), grads)
    for i in range(x.shape[1]):
        assert abs(rows[0][i] - float(sample_loss(net, i))) <= 1e-9 * scale_of(net) ** 4
    with pytest.raises(ValueError, match="one value per parameter"):
        per_sample_function(net, plan)(*x, *t, *([theta] * len(net.params)))


def test_a_shared_parameter_collects_every_use() -> None:
    """w1 in both layers and b in every neuron: the plan repeats their positions ("shared") and sums."""
    net = Network.from_dict({
        "learning_rate": 0.5, "inputs": {"x1": 0.4, "x2": -0.6}, "targets": {"o1": 0.3},
        "layers": [{"name": "h", "activation": "tanh", "weights": [["w1", "w2"], ["w3", "w1"]], "bias": "b"},
                   {"name": "o", "activation": "sigmoid", "weights": [["w1", "w4"]], "bias": "b"}],
        "params": {"w1": 0.35, "w2": -0.25, "w3": 0.45, "w4": 0.55, "b": 0.1}})
    plan = layer_plan(net)
    assert plan.order == "shared" and len(plan.positions) == 8 > plan.n_params == 5  # w1 thrice, b twice
    theta, x, t = arrays(net)
    _, grad = plan.batch(theta, x, t, 1.0)
    fd = finite_differences(net, digits=20)
    assert np.allclose(grad, [float(fd[p]) for p in net.params], rtol=1e-12, atol=1e-15)


# --- the cross-entropies from the net inputs ----------------------------------------------------------------

def one_layer(activation: str, loss: str, weights: list[float], targets: list[float]) -> Network:
    """One input x1 = 1 into one output layer: each output's net input is its weight."""
    names = [f"o{k + 1}" for k in range(len(weights))]
    return Network.from_dict({
        "learning_rate": 0.1, "loss": loss, "inputs": {"x1": 1}, "targets": dict(zip(names, targets, strict=True)),
        "layers": [{"name": "o", "activation": activation, "weights": [[f"w{k + 1}"] for k in range(len(weights))]}],
        "params": {f"w{k + 1}": w for k, w in enumerate(weights)}})


def bce_truth(net_input: float, target: float) -> tuple[float, float]:
    """The textbook loss −[t log σ(n) + (1 − t) log(1 − σ(n))] and δ = ∂E/∂n, at 1000 digits (1 − σ(1000) ≈ 10^-434
    is a number there)."""
    with mpmath.workdps(1000):
        z, tt = mpmath.mpf(net_input), mpmath.mpf(repr(target))
        sigma = 1 / (1 + mpmath.exp(-z))
        loss = -(tt * mpmath.log(sigma) + (1 - tt) * mpmath.log(1 - sigma))
        delta = -(tt / sigma - (1 - tt) / (1 - sigma)) * sigma * (1 - sigma)  # ∂E/∂o · σ'(n)
        return float(loss), float(delta)


@pytest.mark.parametrize("net_input", [1000.0, -1000.0, 40.0, -40.0, -745.5, 0.5])
@pytest.mark.parametrize("target", [0.0, 0.3, 1.0])
def test_binary_cross_entropy_of_a_saturated_sigmoid_is_finite_and_true(net_input: float, target: float) -> None:
    """σ(±1000) is 0 or 1 in double precision, so log σ or log(1 − σ) would be −∞: the loss from the net input is
    finite and right to double precision of its terms (|n| ε: it is a difference of terms of size |n|), and so is
    δ = ∂E/∂net (here ∂E/∂w, x1 = 1)."""
    net = one_layer("sigmoid", BCE, [net_input], [target])
    plan = layer_plan(net)
    assert plan.fused is not None and not plan.fused.softmax
    theta, x, t = arrays(net)
    with np.errstate(over="ignore"):  # the outputs themselves may saturate: σ(−1000) = 1/(1 + e^1000)
        losses, _ = plan.losses(theta, x, t)
        loss, grad = plan.batch(theta, x, t, 1.0)
    true, true_grad = bce_truth(net_input, target)
    assert np.isfinite(losses).all() and np.isfinite(grad).all()
    assert losses[0] == loss
    assert abs(loss - true) <= 4e-16 * (abs(net_input) + 1), (loss, true)
    assert abs(grad[0] - true_grad) <= 4e-16, (grad[0], true_grad)


@pytest.mark.parametrize("net_input", [30.0, 40.0])
def test_a_tiny_binary_cross_entropy_keeps_its_relative_precision(net_input: float) -> None:
    net = one_layer("sigmoid", BCE, [net_input], [1.0])
    plan = layer_plan(net)
    theta, x, t = arrays(net)
    loss, _ = plan.batch(theta, x, t, 1.0)
    assert loss == pytest.approx(bce_truth(net_input, 1.0)[0], rel=1e-12, abs=0)


@pytest.mark.parametrize("nets", [[1000.0, -1000.0, 0.0], [800.0, 799.0, -5.0], [-900.0, -900.5, -901.0]])
def test_cross_entropy_of_a_saturated_softmax_is_finite_and_true(nets: list[float]) -> None:
    """−Σ t_k log softmax_k(n) = Σt · logsumexp(n) − Σ t_k n_k; δ_j = o_j Σt − t_j."""
    targets = [0.2, 0.5, 0.3]
    net = one_layer("softmax", CCE, nets, targets)
    plan = layer_plan(net)
    assert plan.fused is not None and plan.fused.softmax
    theta, x, t = arrays(net)
    loss, grad = plan.batch(theta, x, t, 1.0)
    with mpmath.workdps(DPS):
        z = [mpmath.mpf(v) for v in nets]
        tt = [mpmath.mpf(repr(v)) for v in targets]
        lse = mpmath.log(mpmath.fsum(mpmath.exp(v) for v in z))
        true = -mpmath.fsum(tk * (zk - lse) for tk, zk in zip(tt, z, strict=True))
        o = [mpmath.exp(v - lse) for v in z]
        true_grad = [ok * mpmath.fsum(tt) - tk for ok, tk in zip(o, tt, strict=True)]
    assert np.isfinite(loss) and np.isfinite(grad).all()
    assert loss == pytest.approx(float(true), rel=1e-12)
    assert np.allclose(grad, [float(v) for v in true_grad], rtol=1e-12, atol=1e-15)


def test_without_the_matching_activation_nothing_is_fused() -> None:
    """A squared error, or a sigmoid with gain: the loss comes from the outputs, through ∂E/∂o."""
    assert layer_plan(one_layer("sigmoid", "half_sse", [0.5], [0.2])).fused is None
    gained = Network.from_dict({
        "learning_rate": 0.1, "loss": BCE, "inputs": {"x1": 1}, "targets": {"o1": 0.2},
        "layers": [{"name": "o", "activation": "sigmoid", "gain": 2, "weights": [["w1"]]}], "params": {"w1": 0.5}})
    plan = layer_plan(gained)
    assert plan.fused is None
    theta, x, t = arrays(gained)
    _, grad = plan.batch(theta, x, t, 1.0)
    with mpmath.workdps(DPS):
        sigma = 1 / (1 + mpmath.exp(-1))  # σ(2·0.5)
        true_grad = 2 * (sigma - mpmath.mpf("0.2"))  # ∂E/∂w = (o − t)/(o(1 − o)) · 2 o(1 − o) · x1
    assert grad[0] == pytest.approx(float(true_grad), rel=1e-13)


def test_a_plan_is_its_layers() -> None:
    net = one_layer("softmax", CCE, [0.1, 0.2], [0.5, 0.5])
    plan = layer_plan(net)
    assert isinstance(plan, LayerPlan) and len(plan.layers) == len(net.layers) and plan.n_params == 2
    assert plan.order == "identity"
