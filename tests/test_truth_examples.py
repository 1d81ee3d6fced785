"""Every bundled example: every gradient, δ, path sum, update and matrix entry is the true derivative.

References (tests/truth.py), none of which uses derive.py: sympy.diff of the composed error with a
symbolic zero test, and mpmath central finite differences at 100 digits.
"""

from __future__ import annotations

import itertools
from functools import cache
from pathlib import Path

import mpmath
import pytest
import sympy as sp

from symbackprop.derive import Derivation, ParamDerivation, derive
from symbackprop.network import Network
from truth import (
    agree,
    batch_loss,
    compose,
    delta_closed_forms,
    delta_finite_difference,
    engine_delta_composed,
    engine_gradient_composed,
    finite_difference,
    mp_value,
    symbolic_batch_gradient,
    symbolic_delta,
    symbolic_gradient,
    symbolic_zero,
)

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"
EXAMPLES = sorted(p.name for p in EXAMPLES_DIR.glob("*.toml"))
DIGITS = 30  # required agreement with the finite differences (the brief asks for at least 20)


@cache
def load(name: str) -> tuple[Network, Derivation]:
    net = Network.load(EXAMPLES_DIR / name)
    return net, derive(net)


NUMERIC = [name for name in EXAMPLES if load(name)[0].is_numeric()]
# sympy.diff of a fully composed error grows quickly with depth and width (REFERENCES.md measured 3-24 s
# per parameter for a 306-parameter net): the symbolic proofs cover the examples of lecture size
SYMBOLIC = [name for name in EXAMPLES if len(load(name)[0].params) <= 40]
SEEDS = {"seed000_in_out.toml", "seed001_abstract_phi.toml", "seed002_linear.toml", "seed003_symbolic.toml",
         "seed004_mattmazur.toml"}


def expanded(d: Derivation, param: str) -> ParamDerivation:
    """The parameter's derivation, skipping the test when its path sum is not expanded (past max_paths)."""
    p = d.param(param)
    if p.paths is None:
        assert p.path_count > d.max_paths
        pytest.skip(f"{p.path_count} paths: more than max_paths")
    return p


def params_of(names: list[str]) -> list[tuple[str, str]]:
    return [(name, str(p)) for name in names for p in load(name)[0].params]


def deltas_of(names: list[str]) -> list[tuple[str, str]]:
    return [(name, neuron) for name in names for layer in load(name)[0].layers for neuron in layer.neurons]


def test_the_examples_are_all_here() -> None:
    assert set(SEEDS) <= set(SYMBOLIC)
    assert {"seed000_in_out.toml", "seed002_linear.toml", "seed004_mattmazur.toml"} <= set(NUMERIC)
    for name in SEEDS:  # small enough for every path and closed form to be listed
        _, d = load(name)
        assert all(p.paths is not None and p.closed_form is not None for p in d.params)
        assert all(t.closed_form is not None for t in d.deltas)


# (a) symbolic: the engine's formula is sympy.diff of the composed error --------------------------

@pytest.mark.parametrize(("example", "param"), params_of(SYMBOLIC))
def test_closed_form_is_sympy_diff(example: str, param: str) -> None:
    net, d = load(example)
    p = d.param(param)
    engine = engine_gradient_composed(net, d, p.param)
    truth = symbolic_gradient(net, p.param)
    assert symbolic_zero(engine - truth), f"{param}: {engine} != {truth}"


@pytest.mark.parametrize(("example", "param"), params_of(SYMBOLIC))
def test_delta_form_is_sympy_diff(example: str, param: str) -> None:
    """Σ δ_n ∂net_n/∂param with every δ written out is the derivative too (not only the closed form)."""
    net, d = load(example)
    p = d.param(param)
    engine = compose(net, p.delta_form.xreplace(delta_closed_forms(d)))
    assert p.delta_form.free_symbols & {t.delta for t in d.deltas}, "the δ form names δ's"
    assert symbolic_zero(engine - symbolic_gradient(net, p.param))


# (b) numeric: the gradient is the finite difference of the batch loss -----------------------------

@pytest.mark.parametrize(("example", "param"), params_of(NUMERIC))
def test_gradient_matches_finite_difference(example: str, param: str) -> None:
    net, d = load(example)
    p = d.param(param)
    fd = finite_difference(net, p.param)
    assert p.gradient is not None
    assert agree(p.gradient, fd, DIGITS), (param, p.gradient, fd)
    for i, g in enumerate(p.gradients):
        assert agree(g, finite_difference(net, p.param, sample=i), DIGITS)


@pytest.mark.parametrize(("example", "param"), params_of(NUMERIC))
def test_batch_gradient_is_sympy_diff_of_the_batch_loss(example: str, param: str) -> None:
    """The batch total (sum or mean, per the spec) of sympy.diff, evaluated at the spec's values."""
    net, d = load(example)
    p = d.param(param)
    truth = symbolic_batch_gradient(net, p.param).xreplace(net.values)
    if truth.is_Rational:
        assert p.gradient == truth  # exact examples stay exact
    assert agree(p.gradient, truth.evalf(60), 45)


@pytest.mark.parametrize("example", NUMERIC)
def test_loss_is_the_composed_error(example: str) -> None:
    net, d = load(example)
    assert agree(d.loss, batch_loss(net), 45)
    for i, f in enumerate(d.forward):
        composed = net.compose(net.error).xreplace({**net.samples[i], **net.values})
        assert agree(f.loss, composed.evalf(60), 45)


# (c) every δ is ∂E/∂net -----------------------------------------------------------------------------

@pytest.mark.parametrize(("example", "neuron"), deltas_of(SYMBOLIC))
def test_delta_is_sympy_diff_wrt_net(example: str, neuron: str) -> None:
    net, d = load(example)
    term = d.delta(neuron)
    truth = symbolic_delta(net, term.net)
    assert symbolic_zero(engine_delta_composed(net, d, neuron) - truth)
    if term.closed_form is not None:
        assert symbolic_zero(compose(net, term.closed_form) - truth)


@pytest.mark.parametrize(("example", "neuron"), deltas_of(NUMERIC))
def test_delta_value_matches_finite_difference(example: str, neuron: str) -> None:
    net, d = load(example)
    term = d.delta(neuron)
    for i, v in enumerate(term.values):
        fd = delta_finite_difference(net, term.net, i)
        assert v is not None
        assert agree(v, fd, DIGITS), (neuron, v, fd)


# (d) the sum over paths of the product of the factors is the gradient ------------------------------

@pytest.mark.parametrize(("example", "param"), params_of(SYMBOLIC))
def test_paths_chain_from_the_error_to_the_parameter(example: str, param: str) -> None:
    net, d = load(example)
    p = expanded(d, param)
    assert len(p.paths) == p.path_count == len({tuple((f.of, f.wrt) for f in path.factors) for path in p.paths})
    for path in p.paths:
        fs = path.factors
        assert fs[0].of == net.error
        assert fs[-1].wrt == p.param
        for upper, lower in itertools.pairwise(fs):
            assert upper.wrt == lower.of
    # each factor is the local derivative of the quantity's definition (sympy.diff, then composed)
    for path in p.paths:
        for f in path.factors:
            local = sp.diff(net.quantities[f.of].definition, f.wrt)
            assert symbolic_zero(compose(net, f.expr) - compose(net, local)), (f.of, f.wrt, f.expr, local)


@pytest.mark.parametrize(("example", "param"), params_of(SYMBOLIC))
def test_symbolic_path_sum_is_sympy_diff(example: str, param: str) -> None:
    net, d = load(example)
    p = expanded(d, param)
    total = sp.Add(*[sp.Mul(*[f.expr for f in path.factors]) for path in p.paths])
    assert symbolic_zero(compose(net, total) - symbolic_gradient(net, p.param))


@pytest.mark.parametrize(("example", "param"), params_of(NUMERIC))
def test_numeric_path_sum_is_the_gradient(example: str, param: str) -> None:
    net, d = load(example)
    p = expanded(d, param)
    for i in range(len(net.samples)):
        with mpmath.workdps(60):
            products = [mpmath.fprod(mp_value(f.values[i]) for f in path.factors) for path in p.paths]
            for path, prod in zip(p.paths, products, strict=True):
                assert agree(path.values[i], prod, 45)
            total = mpmath.fsum(products)
        assert agree(total, p.gradients[i], 45)
        assert agree(total, finite_difference(net, p.param, sample=i), DIGITS)


# (e) the update is value − η·gradient; frozen parameters stay ----------------------------------------

@pytest.mark.parametrize(("example", "param"), params_of(NUMERIC))
def test_update_is_gradient_step(example: str, param: str) -> None:
    net, d = load(example)
    p = d.param(param)
    eta = net.values[net.learning_rate]
    assert p.value == net.values[p.param]
    if p.param in net.frozen:
        assert p.frozen
        assert p.updated == p.value
        return
    assert not p.frozen
    expected = p.value - eta * p.gradient
    if expected.is_Rational:
        assert p.updated == expected  # exact arithmetic stays exact
    assert agree(p.updated, expected, 45)
    with mpmath.workdps(100):
        from_truth = mp_value(p.value) - mp_value(eta) * finite_difference(net, p.param)
    assert agree(p.updated, from_truth, DIGITS)


def test_seed004_freezes_exactly_its_biases() -> None:
    net, d = load("seed004_mattmazur.toml")
    assert {str(p) for p in net.frozen} == {"b1", "b2"}
    for p in d.params:
        assert p.frozen == (p.name in {"b1", "b2"})
        if p.frozen:
            assert p.gradient != 0  # frozen although its gradient is not zero: the update skips it
            assert p.updated == p.value


# (f) the step lowers the loss -------------------------------------------------------------------------

@pytest.mark.parametrize("example", ["seed000_in_out.toml", "seed002_linear.toml", "seed004_mattmazur.toml"])
def test_loss_after_update_is_smaller(example: str) -> None:
    net, d = load(example)
    assert d.loss_after is not None and d.loss is not None
    assert d.loss_after < d.loss
    updated = {p.param: p.updated for p in d.params}
    truth_after = batch_loss(net, updated)
    truth_before = batch_loss(net)
    assert agree(d.loss_after, truth_after, 45)
    with mpmath.workdps(100):
        assert truth_after < truth_before


# (g) the matrix form holds the same numbers ------------------------------------------------------------

@pytest.mark.parametrize("example", SYMBOLIC)
def test_matrix_gradients_are_the_parameter_gradients(example: str) -> None:
    net, d = load(example)
    closed = delta_closed_forms(d)
    assert len(d.matrices) == len(net.layers)
    for m, layer in zip(d.matrices, net.layers, strict=True):
        assert m.grad_W.shape == (len(layer.neurons), len(layer.inputs))
        for r, row in enumerate(layer.weights):
            for c, w in enumerate(row):
                # symbolically: δ_r a_c is ∂E/∂w (each weight of the examples is used once)
                entry = compose(net, m.grad_W[r, c].xreplace(closed))
                assert symbolic_zero(entry - symbolic_gradient(net, w)), (layer.name, r, c)
                for i, vals in enumerate(m.values):
                    if vals["grad_W"] is None:
                        assert not net.is_numeric()
                        continue
                    assert agree(vals["grad_W"][r, c], d.param(str(w)).gradients[i], 45)
                    assert agree(vals["grad_W"][r, c], finite_difference(net, w, sample=i), DIGITS)
        biases = [b for b in layer.biases if b is not None]
        if not biases:
            assert m.grad_b is None
            continue
        assert m.grad_b is not None
        # one shared bias for the whole layer collects Σ δ; otherwise one entry per neuron with a bias
        shared = len(set(biases)) == 1 and len(biases) == len(layer.neurons) > 1
        names = biases[:1] if shared else biases
        assert m.grad_b.rows == len(names)
        for k, b in enumerate(names):
            entry = compose(net, m.grad_b[k].xreplace(closed))
            assert symbolic_zero(entry - symbolic_gradient(net, b))
            for i, vals in enumerate(m.values):
                if vals.get("grad_b") is not None:
                    assert agree(vals["grad_b"][k], finite_difference(net, b, sample=i), DIGITS)


@pytest.mark.parametrize("example", NUMERIC)
def test_matrix_deltas_are_the_error_terms(example: str) -> None:
    net, d = load(example)
    for m, layer in zip(d.matrices, net.layers, strict=True):
        for i, vals in enumerate(m.values):
            for r, n in enumerate(layer.nets):
                assert agree(vals["delta"][r], delta_finite_difference(net, n, i), DIGITS)
