"""Hypothesis-generated networks: every gradient the engine produces is the derivative of the spec's loss.

The reference for every check is independent of derive.py: the spec's loss evaluated straight from the
dict (truth.spec_loss), mpmath central finite differences at 100 digits, and sympy.diff of the composed
error with a symbolic zero test (truth.symbolic_zero).
"""

from __future__ import annotations

from typing import Any

import mpmath
import sympy as sp
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from strategies import network_specs
from symbackprop.derive import derive
from symbackprop.network import Kind, Network
from truth import (
    KINKED,
    agree,
    batch_loss,
    delta_finite_difference,
    engine_gradient_composed,
    finite_difference,
    finite_differences,
    mp_value,
    spec_forward,
    spec_loss,
    symbolic_gradient,
    symbolic_zero,
)

SETTINGS = dict(deadline=None, database=None, print_blob=True,
                phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                       HealthCheck.data_too_large])


def away_from_kinks(data: dict[str, Any]) -> bool:
    """relu and leaky_relu have no derivative at 0: keep every such net input clear of it."""
    for nets, _ in spec_forward(data):
        for layer, layer_nets in zip(data["layers"], nets, strict=True):
            if layer["activation"] in KINKED and any(abs(z) <= mpmath.mpf("1e-6") for z in layer_nets):
                return False
    return True


def saturated(net: Network, passes: Any) -> bool:
    """Cross-entropy of an output within 1e-8 of 0 or 1 loses that many digits to cancellation in log(1 − o)
    (the engine keeps 50): such points test floating-point conditioning, not the derivation."""
    if passes is None:
        return True  # the step overflowed to a non-finite loss
    if net.loss_name not in ("binary_cross_entropy", "categorical_cross_entropy"):
        return False
    return any(f.values[o] is None or min(abs(f.values[o]), abs(1 - f.values[o])) < 1e-8
               for f in passes for o in net.outputs)


@settings(max_examples=100, **SETTINGS)
@given(network_specs())
def test_every_gradient_matches_finite_differences(data: dict[str, Any]) -> None:
    assume(away_from_kinks(data))
    net = Network.from_dict(data)
    d = derive(net)
    assume(not saturated(net, d.forward) and not saturated(net, d.after))
    truth = spec_loss(data)
    # the function being differentiated is the spec's loss (not only the network's own reading of it)
    assert agree(batch_loss(net), truth, 60)
    assert agree(d.loss, truth, 40)
    eta = net.values[net.learning_rate]
    fds = finite_differences(net, digits=40)
    for p in d.params:
        fd = fds[p.param]
        assert p.gradient is not None
        assert agree(p.gradient, fd, 25, atol=1e-30), (p.name, p.gradient, fd)
        if p.name in data["frozen"]:
            assert p.frozen and p.updated == p.value == net.values[p.param]
            continue
        with mpmath.workdps(60):
            expected = mp_value(p.value) - mp_value(eta) * fd
        assert agree(p.updated, expected, 25, atol=1e-30), (p.name, p.updated, expected)
    # the forward pass after the step is the spec's loss at the updated values
    assert d.loss_after is not None
    assert agree(d.loss_after, spec_loss(data, {p.name: p.updated for p in d.params}), 40, atol=1e-45)
    # per sample too (the batch total could hide compensating errors between samples)
    first = d.params[0]
    for i, g in enumerate(first.gradients):
        fd = finite_difference(net, first.param, sample=i)
        assert agree(g, fd, 25, atol=1e-30), (first.name, i, g, fd)
    # every δ of the first sample is ∂E/∂net (a perturbation added to that net input)
    for term in d.deltas:
        fd = delta_finite_difference(net, term.net, 0)
        assert agree(term.values[0], fd, 25, atol=1e-30), (term.neuron, term.values[0], fd)
    # the path sums, where the engine lists the paths
    for p in d.params:
        if p.paths is None:
            assert p.path_count > d.max_paths
            continue
        assert len(p.paths) == p.path_count
        with mpmath.workdps(60):
            total = mpmath.fsum(mpmath.fprod(mp_value(f.values[0]) for f in path.factors) for path in p.paths)
        assert agree(total, p.gradients[0], 25, atol=1e-30), (p.name, total, p.gradients[0])
    # the matrix form: the entries that name a parameter add up to its gradient (shared ones included)
    with mpmath.workdps(60):
        from_matrices = {p: [mpmath.mpf(0)] * len(net.samples) for p in net.params}
        for m, layer in zip(d.matrices, net.layers, strict=True):
            biases = [b for b in layer.biases if b is not None]
            shared = len(set(biases)) == 1 and len(biases) == len(layer.neurons) > 1
            for i, vals in enumerate(m.values):
                for r, row in enumerate(layer.weights):
                    for c, w in enumerate(row):
                        from_matrices[w][i] += mp_value(vals["grad_W"][r, c])
                for k, b in enumerate(biases[:1] if shared else biases):
                    from_matrices[b][i] += mp_value(vals["grad_b"][k])
        for p, per_sample in from_matrices.items():
            total = mpmath.fsum(per_sample)
            if net.spec.batch_loss == "mean":
                total /= len(per_sample)
            assert agree(total, fds[p], 25, atol=1e-30), (p, total, fds[p])


@st.composite
def small_specs(draw: st.DrawFn) -> tuple[dict[str, Any], list[int]]:
    data = draw(network_specs(hidden=(1, 2), widths=(1, 3), inputs=(1, 3), samples=(1, 1)))
    n = len(Network.from_dict(data).params)
    picks = sorted({0, n - 1, *draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=2))})
    return data, picks


@settings(max_examples=50, **SETTINGS)
@given(small_specs())
def test_gradients_are_sympy_diff_of_the_composed_error(case: tuple[dict[str, Any], list[int]]) -> None:
    data, picks = case
    net = Network.from_dict(data)
    d = derive(net)
    for i in picks:
        param = net.params[i]
        engine = engine_gradient_composed(net, d, param)
        truth = symbolic_gradient(net, param)
        assert symbolic_zero(engine - truth), (param, sp.sstr(engine), sp.sstr(truth))


def test_the_symbolic_check_can_fail() -> None:
    """A negative control: the zero test rejects a gradient that is off by a factor (1 + 10^-30)."""
    data = {"inputs": {"x1": 0.5}, "targets": {"o1": 0.2}, "loss": "binary_cross_entropy",
            "layers": [{"name": "h", "activation": "softplus", "weights": [["w1"]], "bias": "b1"},
                       {"name": "o", "activation": "sigmoid", "weights": [["w2"]]}],
            "params": {"w1": 0.3, "b1": 0.1, "w2": -0.4}}
    net = Network.from_dict(data)
    d = derive(net)
    for param in net.params:
        engine = engine_gradient_composed(net, d, param)
        truth = symbolic_gradient(net, param)
        assert symbolic_zero(engine - truth)
        assert not symbolic_zero(engine * (1 + sp.Rational(1, 10**30)) - truth)
        fd = finite_difference(net, param)
        g = d.param(str(param)).gradient
        assert agree(g, fd, 40)
        assert not agree(g * (1 + sp.Rational(1, 10**30)), fd, 40)


@settings(max_examples=100, **SETTINGS)
@given(network_specs())
def test_net_input_partials_are_sympy_diff(data: dict[str, Any]) -> None:
    """network.py writes the partials of a net input directly (it is bilinear: ∂/∂w collects the inputs the
    weight multiplies, ∂/∂x the weights, ∂/∂b is 1), without sp.diff for speed; they must be sp.diff's, for
    tied weights and a bias shared across layers too, with one partial per free symbol of the definition."""
    net = Network.from_dict(data)
    for s, q in net.quantities.items():
        if q.kind is not Kind.NET:
            continue
        assert q.definition is not None
        assert set(q.partials) == q.definition.free_symbols, s
        for parent, partial in q.partials.items():
            assert sp.expand(partial - sp.diff(q.definition, parent)) == 0, (s, parent)
