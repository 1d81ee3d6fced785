"""losses.py: each entry of the loss registry against its textbook formula written here — the value, the
derivative ∂E/∂o_k, the form lectures print, the names a spec may use, the output activation whose derivative
cancels against it (δ = o − t, derived here by sympy from σ and softmax written out), the domain of its
logarithms, and the PyTorch form of the cross-check.

(The cross-entropies computed from the net inputs, finite for any net input, are layerwise.py's and are tested in
test_layerwise.py.)
"""

from __future__ import annotations

import math

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symbackprop.losses import (
    CANONICAL,
    LOSSES,
    canonical,
    loss_display,
    loss_expr,
    matching_activation,
)
from symbackprop.network import Network
from symbackprop.spec import LOSSES as SPEC_LOSSES

K = 3
OUTS = sp.symbols("o1:4", real=True)
TGTS = sp.symbols("t1:4", real=True)

# the textbook formulas, E(o, t) over K outputs, and ∂E/∂o_k
TEXTBOOK = {
    "half_sse": lambda o, t: sp.Rational(1, 2) * sum((tk - ok) ** 2 for ok, tk in zip(o, t, strict=True)),
    "sse": lambda o, t: sum((tk - ok) ** 2 for ok, tk in zip(o, t, strict=True)),
    "mse": lambda o, t: sum((tk - ok) ** 2 for ok, tk in zip(o, t, strict=True)) / len(o),
    "binary_cross_entropy": lambda o, t: -sum(tk * sp.log(ok) + (1 - tk) * sp.log(1 - ok)
                                              for ok, tk in zip(o, t, strict=True)),
    "categorical_cross_entropy": lambda o, t: -sum(tk * sp.log(ok) for ok, tk in zip(o, t, strict=True)),
}
DERIVATIVE = {
    "half_sse": lambda ok, tk, n: ok - tk,
    "sse": lambda ok, tk, n: 2 * (ok - tk),
    "mse": lambda ok, tk, n: 2 * (ok - tk) / n,
    "binary_cross_entropy": lambda ok, tk, n: (ok - tk) / (ok * (1 - ok)),
    "categorical_cross_entropy": lambda ok, tk, n: -tk / ok,
}
PYTHON = {  # the same formulas in floats, per sample
    "half_sse": lambda o, t: 0.5 * sum((b - a) ** 2 for a, b in zip(o, t, strict=True)),
    "sse": lambda o, t: sum((b - a) ** 2 for a, b in zip(o, t, strict=True)),
    "mse": lambda o, t: sum((b - a) ** 2 for a, b in zip(o, t, strict=True)) / len(o),
    "binary_cross_entropy": lambda o, t: -sum(b * math.log(a) + (1 - b) * math.log(1 - a)
                                              for a, b in zip(o, t, strict=True)),
    "categorical_cross_entropy": lambda o, t: -sum(b * math.log(a) for a, b in zip(o, t, strict=True)),
}


def zero(expr: sp.Expr) -> bool:
    return sp.simplify(sp.expand_log(sp.sympify(expr), force=True)) == 0


def test_the_registry_is_the_five_textbook_losses() -> None:
    assert set(LOSSES) == set(TEXTBOOK)
    assert all(name == entry.name for name, entry in LOSSES.items())


@pytest.mark.parametrize("name", list(TEXTBOOK))
@pytest.mark.parametrize("k", [1, 2, 3])
def test_the_value_is_the_textbook_formula(name: str, k: int) -> None:
    o, t = list(OUTS[:k]), list(TGTS[:k])
    assert zero(loss_expr(name, o, t) - TEXTBOOK[name](o, t))


@pytest.mark.parametrize("name", list(TEXTBOOK))
def test_the_derivative_is_the_textbook_one(name: str) -> None:
    e = loss_expr(name, list(OUTS), list(TGTS))
    for ok, tk in zip(OUTS, TGTS, strict=True):
        assert zero(sp.diff(e, ok) - DERIVATIVE[name](ok, tk, K))


@pytest.mark.parametrize("name", list(TEXTBOOK))
def test_the_network_keeps_the_textbook_partials(name: str) -> None:
    """The loss node of a network stores ∂E/∂o_k, which derive.py multiplies along every path."""
    head = {"binary_cross_entropy": "sigmoid", "categorical_cross_entropy": "softmax"}.get(name, "identity")
    net = Network.from_dict({"inputs": ["x1"], "loss": name,
                             "layers": [{"name": "o", "size": 2, "activation": head}]})
    q = net.quantities[net.error]
    for o, t in zip(net.outputs, net.targets, strict=True):
        assert zero(q.partials[o] - DERIVATIVE[name](o, t, 2))


@pytest.mark.parametrize("name", list(TEXTBOOK))
def test_the_printed_form_is_the_same_function(name: str) -> None:
    """loss_display keeps the lecture's order (½ Σ (t − o)², unevaluated) but is the same function."""
    shown = loss_display(name, list(OUTS), list(TGTS))
    assert zero(shown.doit() - TEXTBOOK[name](list(OUTS), list(TGTS)))
    if name in ("half_sse", "sse", "mse"):  # as lectures write it: the target first, (t − o)²
        assert sp.latex(shown, order="none").count(r"t_{1} - o_{1}") == 1


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(list(TEXTBOOK)),
       st.lists(st.tuples(st.floats(0.001, 0.999), st.floats(0, 1)), min_size=1, max_size=3))
def test_the_value_at_numbers(name: str, pairs: list[tuple[float, float]]) -> None:
    o, t = [p[0] for p in pairs], [p[1] for p in pairs]
    if name == "categorical_cross_entropy" and len(o) < 2:
        return
    e = loss_expr(name, list(OUTS[:len(o)]), list(TGTS[:len(t)]))
    value = float(e.xreplace({**dict(zip(OUTS, map(sp.Float, o), strict=False)),
                              **dict(zip(TGTS, map(sp.Float, t), strict=False))}))
    assert value == pytest.approx(PYTHON[name](o, t), rel=1e-12, abs=1e-12)


def test_every_name_a_spec_may_use() -> None:
    assert canonical("bce") == "binary_cross_entropy"
    assert canonical("cce") == canonical("cross_entropy") == "categorical_cross_entropy"
    for name in LOSSES:
        assert canonical(name) == name
    assert set(SPEC_LOSSES) == set(CANONICAL)  # the spec accepts exactly these
    with pytest.raises(KeyError):
        canonical("hinge")
    # an alias means the same loss
    assert loss_expr("bce", list(OUTS), list(TGTS)) == loss_expr("binary_cross_entropy", list(OUTS), list(TGTS))


def test_every_loss_is_named_in_both_languages() -> None:
    for entry in LOSSES.values():
        assert set(entry.labels) == {"en", "zh"} and all(entry.labels.values())


# --- the matching output activation: its derivative cancels against the loss --------------------------------

def sigmoid(z: sp.Expr) -> sp.Expr:
    return 1 / (1 + sp.exp(-z))


def test_binary_cross_entropy_matches_sigmoid() -> None:
    """δ = ∂E/∂o · σ'(z) = o − t, with σ(z) = 1/(1 + e^{−z}) written out."""
    assert matching_activation("binary_cross_entropy") == matching_activation("bce") == "sigmoid"
    z, t = sp.Symbol("z", real=True), sp.Symbol("t", real=True)
    o = sp.Symbol("o", real=True)
    e = loss_expr("binary_cross_entropy", [o], [t])
    delta = sp.diff(e, o).subs(o, sigmoid(z)) * sp.diff(sigmoid(z), z)
    assert sp.simplify(delta - (sigmoid(z) - t)) == 0


def test_categorical_cross_entropy_matches_softmax() -> None:
    """δ_j = Σ_k ∂E/∂o_k ∂o_k/∂z_j = o_j Σ_k t_k − t_j (o_j − t_j when the targets sum to 1)."""
    assert matching_activation("categorical_cross_entropy") == matching_activation("cce") == "softmax"
    z = sp.symbols("z1:4", real=True)
    soft = [sp.exp(zk) / sum(sp.exp(zi) for zi in z) for zk in z]
    e = loss_expr("categorical_cross_entropy", list(OUTS), list(TGTS))
    for j in range(K):
        delta = sum(sp.diff(e, OUTS[k]).subs(OUTS[k], soft[k]) * sp.diff(soft[k], z[j]) for k in range(K))
        assert sp.simplify(delta - (soft[j] * sum(TGTS) - TGTS[j])) == 0


@pytest.mark.parametrize("name", ["half_sse", "sse", "mse"])
def test_squared_errors_have_no_matching_activation(name: str) -> None:
    """(o − t)·σ'(z) does not cancel to o − t: no output activation is special for them."""
    assert matching_activation(name) is None


# --- the logarithms' domain -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(TEXTBOOK))
def test_the_domain_flags_say_where_the_logarithms_are_undefined(name: str) -> None:
    """`positive`: E is undefined at o = 0; `below_one`: undefined at o = 1 (t strictly between 0 and 1)."""
    entry = LOSSES[name]
    o, t = sp.Symbol("o", real=True), sp.Rational(3, 10)
    pair = [o, sp.Symbol("o2", real=True)] if name == "categorical_cross_entropy" else [o]
    targets = [t, 1 - t] if len(pair) == 2 else [t]
    e = loss_expr(name, pair, targets).subs(pair[-1], sp.Rational(1, 2)) if len(pair) == 2 else \
        loss_expr(name, pair, targets)
    assert entry.positive == (not e.subs(o, 0).is_finite)
    assert entry.below_one == (not e.subs(o, 1).is_finite)
    assert e.subs(o, sp.Rational(1, 2)).is_finite


# --- PyTorch -----------------------------------------------------------------------------------------------

@pytest.mark.torch
@pytest.mark.parametrize("name", list(TEXTBOOK))
def test_the_pytorch_form_is_the_formula_per_sample(name: str) -> None:
    torch = pytest.importorskip("torch")
    o = [[0.2, 0.7, 0.1], [0.6, 0.3, 0.1]]
    t = [[0.0, 1.0, 0.0], [0.25, 0.25, 0.5]]
    got = LOSSES[name].torch(torch, torch.tensor(o, dtype=torch.float64), torch.tensor(t, dtype=torch.float64))
    assert list(got.shape) == [2]
    for k in range(2):
        assert float(got[k]) == pytest.approx(PYTHON[name](o[k], t[k]), rel=1e-14)
