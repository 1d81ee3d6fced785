"""derive.py: the derivation as data — each neuron's δ is ∂E/∂net, each parameter's gradient is ∂E/∂p, the δ's
of a layer are built from those of the layer above (so the derivation grows linearly with the depth), a shared
parameter sums its uses, a frozen one keeps its value, the batch is the sum or the mean of its samples, the
matching output activation cancels to o − t, and the exact steps of `next_step`.

References, none of which uses derive.py (tests/truth.py): sympy.diff of the network's whole error with a
symbolic zero test, mpmath central differences at 100 digits, and gradient descent written here with
sympy.diff of the composed batch loss. The bundled examples are checked the same way in test_truth_examples.py;
these are networks built here for one behaviour each.
"""

from __future__ import annotations

import itertools
from typing import Any

import mpmath
import pytest
import sympy as sp

from conftest import EXAMPLES
from symbackprop.derive import EXACT_DIGITS, PREC, Derivation, derive, evaluate, next_step
from symbackprop.errors import SpecError
from symbackprop.network import Network
from truth import (
    DPS,
    agree,
    batch_error,
    batch_loss,
    delta_finite_difference,
    engine_delta_composed,
    engine_gradient_composed,
    finite_differences,
    mp_value,
    sample_loss,
    symbolic_delta,
    symbolic_gradient,
    symbolic_zero,
)

DIGITS = 30  # agreement with the finite differences


def chain(depth: int, width: int = 1, activation: str = "sigmoid", head: str | None = None,
          **extra: Any) -> dict[str, Any]:
    """`depth` hidden layers of `width` neurons and `width` outputs (activation `head`, default the hidden
    layers'), every weight and bias its own parameter."""
    layers, params, k = [], {}, 0
    prev = 1
    names = [f"h{chr(ord('a') + i)}" for i in range(depth)] + ["o"]
    for li, name in enumerate(names):
        rows = []
        for _ in range(width):
            rows.append([f"w{k + c + 1}" for c in range(prev)])
            k += prev
        act = head if head is not None and name == "o" else activation
        layers.append({"name": name, "activation": act, "weights": rows, "bias": f"b{li + 1}"})
        params.update({w: round(0.1 * ((i % 7) - 3) + 0.05, 2) for row in rows for i, w in enumerate(row)})
        params[f"b{li + 1}"] = 0.1
        prev = width
    data = {"inputs": {"x1": 0.5}, "targets": {f"o{j + 1}": 0.25 * (j + 1) for j in range(width)},
            "learning_rate": 0.5, "layers": layers, "params": params}
    return {**data, **extra}


MIXED = {  # tanh → softplus → softmax with cross-entropy, two samples, mean
    "learning_rate": 0.25, "loss": "cce", "batch_loss": "mean",
    "samples": [{"inputs": {"x1": 0.5, "x2": -1.5}, "targets": {"y1": 0.2, "y2": 0.8}},
                {"inputs": {"x1": -0.3, "x2": 0.7}, "targets": {"y1": 1, "y2": 0}}],
    "layers": [{"name": "h", "activation": "tanh", "weights": [["w1", "w2"], ["w3", "w4"]], "bias": ["b1", "b2"]},
               {"name": "g", "activation": "softplus", "weights": [["w5", "w6"], ["w7", "w8"]], "bias": "b3"},
               {"name": "y", "activation": "softmax", "weights": [["w9", "w10"], ["w11", "w12"]]}],
    "params": {"w1": 0.3, "w2": -0.2, "w3": 0.5, "w4": 0.1, "b1": 0.05, "b2": -0.1, "w5": -0.4, "w6": 0.6,
               "w7": 0.2, "w8": -0.3, "b3": 0.15, "w9": 0.7, "w10": -0.5, "w11": -0.6, "w12": 0.4},
}

SHARED = {  # w1 used twice in the hidden layer and once in the output layer; one bias shared by every neuron
    "learning_rate": 0.5, "loss": "half_sse",
    "inputs": {"x1": 0.4, "x2": -0.6}, "targets": {"o1": 0.3},
    "layers": [{"name": "h", "activation": "sigmoid", "weights": [["w1", "w2"], ["w3", "w1"]], "bias": "b"},
               {"name": "o", "activation": "tanh", "weights": [["w1", "w4"]], "bias": "b"}],
    "params": {"w1": 0.35, "w2": -0.25, "w3": 0.45, "w4": 0.55, "b": 0.1},
}


NETS = {"mixed": MIXED, "shared": SHARED, "bce": chain(2, 2, "tanh", "sigmoid", loss="bce")}


def network(data: dict[str, Any]) -> tuple[Network, Derivation]:
    net = Network.from_dict(data)
    return net, derive(net)


# --- evaluate: exact where rational, PREC digits otherwise, None where symbolic -------------------------------

def test_evaluate_keeps_rationals_exact_and_other_values_at_fifty_digits() -> None:
    x, y = sp.symbols("x y", real=True)
    assert evaluate(x * y + 1, {x: sp.Rational(1, 3), y: sp.Rational(3, 7)}) == sp.Rational(8, 7)
    v = evaluate(1 / (1 + sp.exp(-x)), {x: sp.Rational(3775, 10000)})
    assert isinstance(v, sp.Float)
    with mpmath.workdps(80):
        true = 1 / (1 + mpmath.exp(-mpmath.mpf(3775) / 10000))
        assert abs(mpmath.mpf(v._mpf_) - true) < mpmath.mpf(10) ** -(PREC - 1)
    assert evaluate(x * y, {x: sp.Integer(2)}) is None  # y has no value: symbolic
    assert evaluate(sp.log(x), {x: sp.Integer(0)}) is None  # log 0 is no number


# --- each δ is ∂E/∂net, each gradient ∂E/∂p ------------------------------------------------------------------

@pytest.mark.parametrize("data", list(NETS.values()), ids=list(NETS))
def test_each_delta_is_the_derivative_of_the_error_by_the_net_input(data: dict[str, Any]) -> None:
    net, d = network(data)
    for t in d.deltas:
        # symbolically: the δ's closed form, composed down to the leaves, is sympy.diff of the whole error
        assert symbolic_zero(engine_delta_composed(net, d, t.neuron) - symbolic_delta(net, t.net)), t.neuron
        # numerically, sample by sample: the δ's value is a central difference in that net input
        for i, v in enumerate(t.values):
            assert agree(v, delta_finite_difference(net, t.net, i), DIGITS), (t.neuron, i)


@pytest.mark.parametrize("data", list(NETS.values()), ids=list(NETS))
def test_each_gradient_is_the_derivative_of_the_error_by_the_parameter(data: dict[str, Any]) -> None:
    net, d = network(data)
    fd = finite_differences(net, digits=DIGITS)
    per_sample = [finite_differences(net, digits=DIGITS, sample=i) for i in range(len(net.samples))]
    for p in d.params:
        assert symbolic_zero(engine_gradient_composed(net, d, p.param) - symbolic_gradient(net, p.param)), p.name
        for i, fd_i in enumerate(per_sample):
            assert agree(p.gradients[i], fd_i[p.param], DIGITS), (p.name, i)
        assert agree(p.gradient, fd[p.param], DIGITS), p.name


def test_the_batch_is_the_sum_or_the_mean_of_its_samples() -> None:
    for how in ("sum", "mean"):
        net, d = network({**MIXED, "batch_loss": how})
        assert agree(d.loss, batch_loss(net), DIGITS)
        with mpmath.workdps(DPS):
            total = (sample_loss(net, 0) + sample_loss(net, 1)) / (2 if how == "mean" else 1)
        assert agree(d.loss, total, DIGITS)
        for p in d.params:
            total = p.gradients[0] + p.gradients[1]
            assert p.gradient == (total / 2 if how == "mean" else total)
        w = net.by_name("w1")  # and the derivative of the batch loss so defined
        assert agree(d.param("w1").gradient, finite_differences(net, [w], DIGITS)[w], DIGITS)


# --- δ's are reused: the derivation is linear in the depth -----------------------------------------------------

def size(d: Derivation) -> int:
    """The derivation as written with δ's: every δ's expression and every parameter's δ form."""
    return sum(sp.count_ops(t.expr) for t in d.deltas) + sum(sp.count_ops(p.delta_form) for p in d.params)


def test_each_delta_is_written_with_the_deltas_of_the_layer_above_only() -> None:
    _, d = network(chain(5, 2))
    by_layer = {t.layer: {u.delta for u in d.deltas if u.layer == t.layer} for t in d.deltas}
    for t in d.deltas:
        used = {s for s in t.expr.free_symbols if s.name.startswith("delta_")}
        assert used == (by_layer.get(t.layer + 1, set())), t.neuron  # the output layer's: none
    for p in d.params:  # a gradient is Σ δ·∂net/∂p over the neurons it enters
        assert {s for s in p.delta_form.free_symbols if s.name.startswith("delta_")} == {u.delta for u in p.uses}


def test_the_derivation_grows_linearly_with_the_depth() -> None:
    """On a chain (one neuron a layer) each extra layer adds the same amount: a δ, a weight and a bias."""
    derivations = [network(chain(depth))[1] for depth in range(1, 9)]
    sizes = [size(d) for d in derivations]
    steps = {b - a for a, b in itertools.pairwise(sizes)}
    assert len(steps) == 1 and steps.pop() > 0, sizes
    # the measure can tell: the closed forms, each written out to the error without δ's, grow quadratically
    closed = [sum(sp.count_ops(p.closed_form) for p in d.params) for d in derivations]
    increments = [b - a for a, b in itertools.pairwise(closed)]
    assert all(b > a for a, b in itertools.pairwise(increments)), closed
    # and two neurons a layer: still the same amount per layer
    wide = [size(network(chain(depth, 2))[1]) for depth in range(1, 6)]
    assert len({b - a for a, b in itertools.pairwise(wide)}) == 1, wide


def test_paths_multiply_but_the_delta_form_does_not() -> None:
    """Width 2: a first-layer weight reaches the error along 2^depth paths (2 choices in every layer above); past
    max_paths the path sum and the closed form are left out, the δ form is still the derivative."""
    for depth in (1, 2, 3, 4):
        net, d = network(chain(depth, 2))
        w1 = d.param("w1")
        assert w1.path_count == 2 ** depth
        assert (w1.paths is None) == (2 ** depth > d.max_paths) == (w1.closed_form is None)
        if w1.paths is not None:
            assert len(w1.paths) == w1.path_count
        assert agree(w1.gradient, finite_differences(net, [net.by_name("w1")], DIGITS)[net.by_name("w1")], DIGITS)
    # max_paths given to derive wins over the spec's
    assert derive(Network.from_dict(chain(2, 2)), max_paths=1).param("w1").paths is None
    assert derive(Network.from_dict(chain(4, 2)), max_paths=16).param("w1").paths is not None


# --- shared and frozen parameters ---------------------------------------------------------------------------

def test_a_shared_parameter_sums_its_uses() -> None:
    net, d = network(SHARED)
    w1, b = d.param("w1"), d.param("b")
    assert sorted(u.neuron for u in w1.uses) == ["h1", "h2", "o1"]  # the three places w1 is written
    assert sorted(u.neuron for u in b.uses) == ["h1", "h2", "o1"]
    assert b.kind == "bias" and w1.kind == "weight"
    for p in (w1, b):
        # the gradient is the sum over its uses of δ·∂net/∂p, and that sum is sympy.diff of the error
        assert p.delta_form == sp.Add(*[u.delta * u.local.expr for u in p.uses])
        assert symbolic_zero(engine_gradient_composed(net, d, p.param, 0) - symbolic_gradient(net, p.param, 0))
    # and it is not any one use alone
    fd = finite_differences(net, [net.by_name("w1")], DIGITS)[net.by_name("w1")]
    assert agree(w1.gradient, fd, DIGITS)
    for u in w1.uses:
        assert not agree(evaluate(u.delta * u.local.expr, {**d.forward[0].values, **{
            t.delta: t.values[0] for t in d.deltas}}), fd, 3)


def test_a_frozen_parameter_keeps_its_value_and_its_gradient_is_still_reported() -> None:
    net, d = network({**SHARED, "frozen": ["w4", "b"]})
    eta = sp.Rational(1, 2)
    fd = finite_differences(net, digits=DIGITS)
    after = {}
    for p in d.params:
        assert p.frozen == (p.name in ("w4", "b"))
        assert agree(p.gradient, fd[p.param], DIGITS)
        with mpmath.workdps(DPS):
            expected = mp_value(p.value) - (0 if p.frozen else mp_value(eta) * fd[p.param])
        assert agree(p.updated, expected, DIGITS), p.name
        after[p.param] = p.updated
    assert d.param("b").updated == sp.Rational(1, 10) and d.param("w4").updated == sp.Rational(55, 100)
    # the forward pass after the update is the network at the updated values
    assert agree(d.loss_after, batch_loss(net, after), DIGITS)


# --- the matching activation cancels ---------------------------------------------------------------------------

def test_sigmoid_with_binary_cross_entropy_simplifies_to_o_minus_t() -> None:
    net, d = network(chain(1, 2, "sigmoid", loss="bce"))
    for t in d.deltas:
        if t.layer == len(net.layers):
            target = net.target_of[t.neuron]
            assert sp.expand(t.simplified - (t.out - target)) == 0
            assert t.assuming is None
            assert symbolic_zero(t.expr - t.simplified)  # an equal form, not another quantity
        else:
            assert t.simplified is None


def test_softmax_with_cross_entropy_simplifies_under_targets_summing_to_one() -> None:
    net, d = network(MIXED)
    targets = list(net.targets)
    for t in (u for u in d.deltas if u.layer == 3):
        own = net.target_of[t.neuron]
        assert sp.expand(t.simplified - (t.out * sp.Add(*targets) - own)) == 0  # o_r Σt − t_r
        condition, given = t.assuming
        assert condition == sp.Eq(sp.Add(*targets), 1)
        other = next(x for x in targets if x != own)  # Σt = 1: the other target is 1 − t_r
        assert sp.expand(given.xreplace({other: 1 - own}) - (t.out - own)) == 0
        assert symbolic_zero(t.expr - t.simplified)  # an equal form (no use of Σt = 1 yet)


@pytest.mark.parametrize("data", [chain(1, 2, "sigmoid"), chain(1, 2, "tanh", loss="mse")], ids=["sse", "mse"])
def test_no_cancellation_without_the_matching_pair(data: dict[str, Any]) -> None:
    _, d = network(data)
    assert all(t.simplified is None and t.assuming is None for t in d.deltas)


def test_a_sigmoid_with_gain_does_not_cancel() -> None:
    """σ(2·net) with BCE gives δ = 2(o − t): the o − t form is only for the plain sigmoid."""
    data = chain(1, 1, "sigmoid", loss="bce")
    data["layers"][-1]["gain"] = 2
    net, d = network(data)
    out = d.deltas[0]
    assert out.simplified is None
    assert symbolic_zero(engine_delta_composed(net, d, out.neuron) - symbolic_delta(net, out.net))


# --- lookups, symbolic networks ---------------------------------------------------------------------------------

def test_lookups_by_name_symbol_net_and_out() -> None:
    net, d = network(SHARED)
    h1 = d.delta("h1")
    assert d.delta(h1.delta) is d.delta(h1.net) is d.delta(h1.out) is h1
    assert d.param("w3").param == net.by_name("w3")
    assert d.gradients == {p.name: p.gradient for p in d.params}
    assert d.updated == {p.name: p.updated for p in d.params}
    assert [t.layer for t in d.deltas] == sorted((t.layer for t in d.deltas), reverse=True)  # output layer first
    assert [p.param for p in d.params] == list(net.params)


def test_a_symbolic_network_has_formulas_and_no_values() -> None:
    data = {"inputs": ["x1", "x2"], "layers": [{"name": "h", "size": 2}, {"name": "o", "size": 1}]}
    net, d = network(data)
    assert d.loss is None and d.after is None and d.loss_after is None
    for p in d.params:
        assert p.gradient is None and p.updated is None and p.value is None
        assert symbolic_zero(engine_gradient_composed(net, d, p.param) - symbolic_gradient(net, p.param))
    with pytest.raises(SpecError) as err:
        next_step(net)
    assert err.value.key == "step"


# --- next_step: exact steps, bounded ----------------------------------------------------------------------------

LINEAR = {"learning_rate": 0.05, "inputs": {"i1": 2, "i2": 3}, "targets": {"o1": 1},
          "layers": [{"name": "h", "activation": "identity", "weights": [["w1", "w2"], ["w3", "w4"]]},
                     {"name": "o", "activation": "identity", "weights": [["w5", "w6"]]}],
          "params": {"w1": 0.11, "w2": 0.21, "w3": 0.12, "w4": 0.08, "w5": 0.14, "w6": 0.15}}


def gradient_descent(net: Network, steps: int) -> dict[sp.Symbol, sp.Expr]:
    """Exact gradient descent written here: sympy.diff of the composed batch loss, evaluated in rationals."""
    error = batch_error(net)
    grads = {p: sp.diff(error, p) for p in net.params}
    values = dict(net.values)
    eta = values[net.learning_rate]
    for _ in range(steps):
        values = {**values, **{p: values[p] - eta * g.xreplace(values) for p, g in grads.items()}}
    return {p: values[p] for p in net.params}


def test_next_step_is_an_exact_gradient_step() -> None:
    net = Network.from_dict(LINEAR)
    one, two = next_step(net), next_step(next_step(net))
    assert {p: one.values[p] for p in net.params} == gradient_descent(net, 1)
    assert {p: two.values[p] for p in net.params} == gradient_descent(net, 2)
    assert all(isinstance(two.values[p], sp.Rational) for p in net.params)
    assert one.values[net.by_name("w5")] == sp.Rational(14, 100) + sp.Rational(5, 100) * sp.Rational(68765, 100000)


def test_next_step_continues_at_fifty_digits_past_a_hundred_digit_rational() -> None:
    """A linear network's rationals triple their digits every step: past EXACT_DIGITS they become PREC-digit
    floats, still the gradient-descent values to PREC digits."""
    net = Network.from_dict(LINEAR)
    exact = gradient_descent(net, 6)
    current = net
    for _ in range(6):
        current = next_step(current)
    for p in net.params:
        v = current.values[p]
        assert len(str(exact[p].q)) > EXACT_DIGITS  # the exact value is far longer by now
        assert isinstance(v, sp.Float) and v._prec >= 160
        assert agree(v, exact[p], PREC - 5)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_gradients_of_inputs_and_outputs_are_derivatives_of_the_error(path: Any) -> None:
    """derive --format json's input_gradients and output_gradients (micrograd's x.grad): ∂E/∂x by sympy.diff of
    the composed error, ∂E/∂out by a perturbation ε added to that output (d/dε at 0), per sample, 30 digits."""
    from symbackprop.derive import upstream

    net = Network.load(path)
    d = derive(net)
    eps = sp.Symbol("eps_out", real=True)

    def composition(net: Network, perturb: Any = None, by: Any = 0) -> dict[Any, sp.Expr]:
        """Every quantity in the leaves, `by` added to one of them (sympy.diff then gives ∂E/∂that one)."""
        out: dict[Any, sp.Expr] = {}
        for s, q in net.quantities.items():
            out[s] = (s if q.definition is None else q.definition.xreplace(out)) + (by if s == perturb else 0)
        return out

    for k, sample in enumerate(net.samples):
        env = {**net.values, **sample}
        got = upstream(d, k)
        for x in net.inputs:
            truth = sp.diff(composition(net)[net.error], x).xreplace(env)
            _, value = got[x]
            assert value is None or abs(sp.N(value - truth, 30)) < 1e-25, (x, k)
        for layer in net.layers:
            for o in layer.outs:
                truth = sp.diff(composition(net, o, eps)[net.error], eps).xreplace({eps: 0}).xreplace(env)
                formula, value = got[o]
                if value is None:  # a symbolic network: the formula in δ's, composed, is the derivative
                    assert formula.free_symbols
                    continue
                assert abs(sp.N(value - truth, 30)) < 1e-25, (o, k)
