"""What the lecture seeds print, against the truth.

Every expected number here has an independent reason: a published value (seed 004, the classic step-by-step
example), the seed's own formulas evaluated by hand in mpmath or exact fractions, central finite
differences, or sympy.diff — never a number this package printed before.
"""

from __future__ import annotations

import tomllib
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import mpmath
import pytest
import sympy as sp

from symbackprop.derive import derive, forward_pass
from symbackprop.network import Network
from truth import (
    agree,
    compose,
    mp_value,
    spec_finite_difference,
    spec_forward,
    spec_loss,
    symbolic_gradient,
    symbolic_zero,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def rounded(x: object, decimals: int) -> Decimal:
    """x rounded half-up to a number of decimals, from 60 significant digits."""
    with mpmath.workdps(100):
        text = mpmath.nstr(mp_value(x), 60, strip_zeros=False, min_fixed=-100, max_fixed=100)
    return Decimal(text).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def load(name: str) -> tuple[dict, Network]:
    path = EXAMPLES / name
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return data, Network.load(path)


def sym(net: Network, name: str) -> sp.Symbol:
    return net.by_name(name)


# --- seed 004: the classic step-by-step example (published numbers) ------------------------------------
#
# The truth is computed from the TOML data alone (truth.spec_loss: the spec's meaning, no network graph),
# differentiated by central finite differences; both are compared with the published digits and with
# the engine.

@pytest.fixture(scope="module")
def seed004() -> tuple[dict, Network, object]:
    data, net = load("seed004_mattmazur.toml")
    return data, net, derive(net)


def test_seed004_total_error(seed004: tuple) -> None:
    data, _, d = seed004
    truth = spec_loss(data)
    assert rounded(truth, 9) == Decimal("0.298371109")  # published E_total
    assert agree(d.loss, truth, 40)


def test_seed004_forward_values(seed004: tuple) -> None:
    """The intermediate values the seed prints, from its own formulas."""
    data, net, d = seed004
    (nets, _), = spec_forward(data)
    with mpmath.workdps(100):
        out_h = [1 / (1 + mpmath.exp(-z)) for z in nets[0]]
        out_o = [1 / (1 + mpmath.exp(-z)) for z in nets[1]]
        e_o = [(mp_value(t) - o) ** 2 / 2 for t, o in zip((0.01, 0.99), out_o, strict=True)]
    assert rounded(nets[0][0], 4) == Decimal("0.3775")  # exactly 0.3775
    assert rounded(out_h[0], 9) == Decimal("0.593269992")
    assert rounded(out_h[1], 9) == Decimal("0.596884378")
    assert rounded(nets[1][0], 9) == Decimal("1.105905967")
    assert rounded(out_o[0], 8) == Decimal("0.75136507")  # as in the E_o1 line
    assert rounded(out_o[1], 9) == Decimal("0.772928465")
    assert rounded(e_o[0], 9) == Decimal("0.274811083")
    assert rounded(e_o[1], 9) == Decimal("0.023560026")
    # the seed's other printing of out_o1, 0.75136079, is a typo: it is not out_o1 at any rounding
    assert abs(rounded(out_o[0], 8) - Decimal("0.75136079")) > Decimal("4e-6")
    values = d.forward[0].values
    assert values[sym(net, "net_h1")] == sp.Rational(3775, 10000)
    for name, truth in (("h1", out_h[0]), ("h2", out_h[1]), ("o1", out_o[0]), ("o2", out_o[1])):
        assert agree(values[sym(net, name)], truth, 40)


@pytest.mark.parametrize(("param", "gradient", "updated"), [
    ("w5", "0.082167041", "0.35891648"),  # ∂E_total/∂w5 and w5⁺ as published
    ("w1", None, "0.149780716"),  # w1⁺ as published
    ("w6", None, "0.408666186"),
    ("w7", None, "0.511301270"),
    ("w8", None, "0.561370121"),
    ("w2", None, "0.19956143"),
    ("w3", None, "0.24975114"),
    ("w4", None, "0.29950229"),
])
def test_seed004_published_gradients_and_updates(seed004: tuple, param: str, gradient: str | None,
                                                 updated: str) -> None:
    data, _, d = seed004
    truth = spec_finite_difference(data, param)
    with mpmath.workdps(100):
        truth_updated = mp_value(data["params"][param]) - mp_value(data["learning_rate"]) * truth
    if gradient is not None:
        assert rounded(truth, len(gradient) - 2) == Decimal(gradient)
    assert rounded(truth_updated, len(updated) - 2) == Decimal(updated)
    p = d.param(param)
    assert agree(p.gradient, truth, 30)
    assert agree(p.updated, truth_updated, 30)


def test_seed004_output_weight_formula(seed004: tuple) -> None:
    """The seed's chain rule ∂E/∂w5 = (out_o1 − target_o1)·out_o1(1 − out_o1)·out_h1 is sympy.diff."""
    _, net, _ = seed004
    o1, h1 = sym(net, "o1"), sym(net, "h1")
    t1 = net.target_of["o1"]
    lecture = (o1 - t1) * o1 * (1 - o1) * h1
    assert symbolic_zero(compose(net, lecture) - symbolic_gradient(net, sym(net, "w5")))


# --- seed 000: rounding of the forward pass, and a hidden-layer formula that is not the derivative ------

with mpmath.workdps(100):  # constants at full precision (an mpf keeps the precision it was made with)
    X1, X2 = mpmath.mpf(1) / 2, mpmath.mpf(3) / 10
    Y1, Y2 = mpmath.mpf(23) / 100, -mpmath.mpf(7) / 100
W000 = {"w1": "0.20", "w2": "-0.40", "w3": "0.50", "w4": "0.60", "w5": "0.10", "w6": "-0.50", "w7": "-0.30",
        "w8": "0.80"}


def sigmoid(z: mpmath.mpf) -> mpmath.mpf:
    return 1 / (1 + mpmath.exp(-z))


def seed000_forward(w: dict[str, mpmath.mpf]) -> dict[str, mpmath.mpf]:
    """The seed's own formulas: In_h1 = w1·x1 + w3·x2, In_o1 = w5·h1 + w7·h2, In_o2 = w6·h1 + w8·h2."""
    h1 = sigmoid(w["w1"] * X1 + w["w3"] * X2)
    h2 = sigmoid(w["w2"] * X1 + w["w4"] * X2)
    o1 = sigmoid(w["w5"] * h1 + w["w7"] * h2)
    o2 = sigmoid(w["w6"] * h1 + w["w8"] * h2)
    error = ((o1 - Y1) ** 2 + (o2 - Y2) ** 2) / 2
    return {"h1": h1, "h2": h2, "o1": o1, "o2": o2, "Error": error}


def seed000_weights() -> dict[str, mpmath.mpf]:
    with mpmath.workdps(100):
        return {k: mpmath.mpf(Fraction(v).numerator) / Fraction(v).denominator for k, v in W000.items()}


def seed000_gradient(name: str) -> mpmath.mpf:
    """∂Error/∂w by a central difference of the seed's formulas, at 100 digits."""
    w = seed000_weights()
    with mpmath.workdps(100):
        h = mpmath.mpf(10) ** -45
        up, down = dict(w), dict(w)
        up[name] += h
        down[name] -= h
        return (seed000_forward(up)["Error"] - seed000_forward(down)["Error"]) / (2 * h)


@pytest.fixture(scope="module")
def seed000() -> tuple[Network, object, dict[str, mpmath.mpf]]:
    _, net = load("seed000_in_out.toml")
    with mpmath.workdps(100):
        values = seed000_forward(seed000_weights())
    return net, derive(net), values


def test_seed000_numbering_is_the_seeds(seed000: tuple) -> None:
    net, _, _ = seed000
    s = {name: sym(net, name) for name in ("x1", "x2", "h1", "h2", *W000)}
    assert net.quantities[sym(net, "net_h1")].definition == s["w1"] * s["x1"] + s["w3"] * s["x2"]
    assert net.quantities[sym(net, "net_h2")].definition == s["w2"] * s["x1"] + s["w4"] * s["x2"]
    assert net.quantities[sym(net, "net_o1")].definition == s["w5"] * s["h1"] + s["w7"] * s["h2"]
    assert net.quantities[sym(net, "net_o2")].definition == s["w6"] * s["h1"] + s["w8"] * s["h2"]


@pytest.mark.parametrize(("name", "printed"), [("h1", "0.56"), ("h2", "0.50"), ("o1", "0.48"), ("o2", "0.53"),
                                               ("Error", "0.21")])
def test_seed000_forward_numbers_agree_at_two_decimals(seed000: tuple, name: str, printed: str) -> None:
    net, d, values = seed000
    assert rounded(values[name], 2) == Decimal(printed)
    engine = d.loss if name == "Error" else d.forward[0].values[sym(net, name)]
    assert agree(engine, values[name], 40)


@pytest.mark.parametrize(("weight", "x"), [("w1", X1), ("w3", X2)])
def test_seed000_hidden_formula_is_not_the_derivative(seed000: tuple, weight: str, x: mpmath.mpf) -> None:
    """The seed: δ1 = (δ5 + δ6)·h1(1 − h1)·x1 with δ5 = ∂Error/∂w5, δ6 = ∂Error/∂w6 (per-weight gradients)."""
    _, d, v = seed000
    truth = seed000_gradient(weight)
    with mpmath.workdps(100):
        d5, d6 = seed000_gradient("w5"), seed000_gradient("w6")
        # δ5 and δ6 are indeed what the seed says they are
        assert agree(d5, (v["o1"] - Y1) * v["o1"] * (1 - v["o1"]) * v["h1"], 40)
        assert agree(d6, (v["o2"] - Y2) * v["o2"] * (1 - v["o2"]) * v["h1"], 40)
        seed_formula = (d5 + d6) * v["h1"] * (1 - v["h1"]) * x
        # evaluated exactly it is positive, the derivative is negative: not a rounding matter
        assert seed_formula > mpmath.mpf("0.005")
        assert truth < -mpmath.mpf("0.003")
        assert abs(seed_formula - truth) > mpmath.mpf("0.01")
    # nor can any numbers that round to the seed's (δ5 = 0.03, δ6 = 0.08, h1 = 0.56) reach the truth
    lo, hi = mpmath.iv.mpf(["0.025", "0.035"]), mpmath.iv.mpf(["0.075", "0.085"])
    h1 = mpmath.iv.mpf(["0.555", "0.565"])
    interval = (lo + hi) * h1 * (1 - h1) * mpmath.iv.mpf(mpmath.nstr(x, 15))
    assert interval.a > 0 > truth
    # the per-neuron error terms do give the derivative: (δ_o1·w5 + δ_o2·w6)·h1(1 − h1)·x
    w = seed000_weights()
    with mpmath.workdps(100):
        delta_o1 = (v["o1"] - Y1) * v["o1"] * (1 - v["o1"])
        delta_o2 = (v["o2"] - Y2) * v["o2"] * (1 - v["o2"])
        correct = (delta_o1 * w["w5"] + delta_o2 * w["w6"]) * v["h1"] * (1 - v["h1"]) * x
    assert agree(correct, truth, 40)
    assert agree(d.param(weight).gradient, truth, 30)
    with mpmath.workdps(100):
        engine_delta_times_x = mp_value(d.delta("h1").values[0]) * x
    assert agree(engine_delta_times_x, truth, 30)


def test_seed000_hidden_formula_symbolically(seed000: tuple) -> None:
    """The same verdict without numbers: sympy.diff rejects the seed's δ1 and accepts the per-neuron form."""
    net, _, _ = seed000
    s = {name: sym(net, name) for name in ("x1", "h1", "h2", "o1", "o2", "y1", "y2", *W000)}
    d_o1 = (s["o1"] - s["y1"]) * s["o1"] * (1 - s["o1"])
    d_o2 = (s["o2"] - s["y2"]) * s["o2"] * (1 - s["o2"])
    delta5, delta6 = d_o1 * s["h1"], d_o2 * s["h1"]
    slope = s["h1"] * (1 - s["h1"]) * s["x1"]
    truth = symbolic_gradient(net, s["w1"])
    assert not symbolic_zero(compose(net, (delta5 + delta6) * slope) - truth)
    assert symbolic_zero(compose(net, (d_o1 * s["w5"] + d_o2 * s["w6"]) * slope) - truth)


# --- seed 002: the linear network, exact, and the effect of rounding the weights ------------------------

I1, I2, Y = Fraction(2), Fraction(3), Fraction(1)
ETA = Fraction("0.05")
W002 = {"w1": Fraction("0.11"), "w2": Fraction("0.21"), "w3": Fraction("0.12"), "w4": Fraction("0.08"),
        "w5": Fraction("0.14"), "w6": Fraction("0.15")}


def seed002_forward(w: dict[str, Fraction]) -> dict[str, Fraction]:
    """h1 = i1·w1 + i2·w2, h2 = i1·w3 + i2·w4, out = h1·w5 + h2·w6, Error = (out − y)²/2: exact."""
    h1 = I1 * w["w1"] + I2 * w["w2"]
    h2 = I1 * w["w3"] + I2 * w["w4"]
    out = h1 * w["w5"] + h2 * w["w6"]
    return {"h1": h1, "h2": h2, "out": out, "Error": (out - Y) ** 2 / 2}


def seed002_gradient(w: dict[str, Fraction], name: str, h: Fraction = Fraction(1, 1000)) -> Fraction:
    """Exact: the error is a quadratic polynomial in any one weight, so the central difference is exact."""
    up, down = dict(w), dict(w)
    up[name] += h
    down[name] -= h
    return (seed002_forward(up)["Error"] - seed002_forward(down)["Error"]) / (2 * h)


def seed002_update(w: dict[str, Fraction]) -> dict[str, Fraction]:
    return {k: v - ETA * seed002_gradient(w, k) for k, v in w.items()}


def q(x: Fraction) -> sp.Rational:
    return sp.Rational(x.numerator, x.denominator)


@pytest.fixture(scope="module")
def seed002() -> tuple[Network, object]:
    _, net = load("seed002_linear.toml")
    return net, derive(net)


def test_seed002_gradient_is_exact() -> None:
    for name in W002:
        assert seed002_gradient(W002, name, Fraction(1)) == seed002_gradient(W002, name, Fraction(1, 10**6))


def test_seed002_first_forward_pass(seed002: tuple) -> None:
    net, d = seed002
    f = seed002_forward(W002)
    assert (f["h1"], f["h2"]) == (Fraction("0.85"), Fraction("0.48"))
    assert f["out"] == Fraction("0.191")  # exactly, as printed
    assert f["out"] - Y == Fraction("-0.809")  # Δ
    assert f["Error"] == Fraction("0.3272405")
    assert rounded(f["Error"], 3) == Decimal("0.327")  # printed 0.327: rounded
    assert d.forward[0].values[sym(net, "out")] == sp.Rational(191, 1000)
    assert d.loss == q(f["Error"])


def test_seed002_gradient_formulas(seed002: tuple) -> None:
    """The seed's list ∂E/∂w6 = Δh2, ∂E/∂w5 = Δh1, ∂E/∂w4 = Δw6·i2, … is sympy.diff of the error."""
    net, d = seed002
    s = {name: sym(net, name) for name in ("i1", "i2", "h1", "h2", "out", "y", *W002)}
    delta = s["out"] - s["y"]
    claims = {"w6": delta * s["h2"], "w5": delta * s["h1"], "w4": delta * s["w6"] * s["i2"],
              "w3": delta * s["w6"] * s["i1"], "w2": delta * s["w5"] * s["i2"], "w1": delta * s["w5"] * s["i1"]}
    for name, formula in claims.items():
        assert symbolic_zero(compose(net, formula) - symbolic_gradient(net, s[name])), name
        assert d.param(name).gradient == q(seed002_gradient(W002, name))


def test_seed002_matrix_form(seed002: tuple) -> None:
    """[w1 w3; w2 w4] −= η·Δ·[i1; i2]·[w5 w6]: the hidden layer's ∂E/∂W = δ a_prevᵀ is its transpose."""
    _, d = seed002
    delta = seed002_forward(W002)["out"] - Y
    w5, w6 = q(W002["w5"]), q(W002["w6"])
    seed_matrix = q(delta) * sp.Matrix([[q(I1) * w5, q(I1) * w6], [q(I2) * w5, q(I2) * w6]])
    grad_w = d.matrices[0].values[0]["grad_W"]
    assert grad_w.T == seed_matrix
    assert sp.Matrix([[q(seed002_gradient(W002, "w1")), q(seed002_gradient(W002, "w2"))],
                      [q(seed002_gradient(W002, "w3")), q(seed002_gradient(W002, "w4"))]]) == grad_w


def test_seed002_updates(seed002: tuple) -> None:
    _, d = seed002
    new = seed002_update(W002)
    assert new["w5"] == Fraction("0.1743825") and rounded(new["w5"], 4) == Decimal("0.1744")
    assert new["w6"] == Fraction("0.169416") and rounded(new["w6"], 4) == Decimal("0.1694")
    # the seed keeps two decimals of w1..w4: 0.12 0.23 0.13 0.10 ([w1 w3; w2 w4] = [0.12 0.13; 0.23 0.10])
    for name, printed in (("w1", "0.12"), ("w2", "0.23"), ("w3", "0.13"), ("w4", "0.10")):
        assert rounded(new[name], 2) == Decimal(printed)
        assert new[name] != Fraction(printed)  # the exact update is not that number
    for name, value in new.items():
        assert d.param(name).updated == q(value)


def test_seed002_second_forward_pass_differs_by_rounding_only(seed002: tuple) -> None:
    net, d = seed002
    exact = seed002_update(W002)
    out_exact = seed002_forward(exact)["out"]
    assert rounded(out_exact, 4) == Decimal("0.2557")
    assert d.after is not None
    assert d.after[0].values[sym(net, "out")] == q(out_exact)
    # the seed's rounded weights reproduce its 0.2571
    seed_weights = {"w1": Fraction("0.12"), "w2": Fraction("0.23"), "w3": Fraction("0.13"), "w4": Fraction("0.10"),
                    "w5": Fraction("0.1744"), "w6": Fraction("0.1694")}
    f = seed002_forward(seed_weights)
    assert (f["h1"], f["h2"]) == (Fraction("0.93"), Fraction("0.56"))
    assert f["out"] == Fraction("0.257056") and rounded(f["out"], 4) == Decimal("0.2571")
    again = forward_pass(net, {**net.values, **{sym(net, k): q(v) for k, v in seed_weights.items()}})
    assert again[0].values[sym(net, "out")] == q(f["out"])
    # both second passes move the output towards the target 1, the exact one by a little less
    assert Fraction("0.191") < out_exact < f["out"] < Y
    assert seed002_forward(exact)["Error"] < seed002_forward(W002)["Error"]


# --- seed 001: the abstract Φ network's update rules ------------------------------------------------------

def test_seed001_update_rules() -> None:
    """ΔW2_j = α(d − y)h_j and ΔW1_ij = α(d − y)·W2_j·Φ'_j·x_i, i.e. −∂E/∂W, by sympy.diff."""
    _, net = load("seed001_abstract_phi.toml")
    d_, y = sym(net, "d"), sym(net, "y")
    phi = sp.Function("Phi", real=True)
    for j in (1, 2, 3):
        h = sym(net, f"h{j}")
        assert symbolic_zero(compose(net, (d_ - y) * h) + symbolic_gradient(net, sym(net, f"W2_{j}")))
        for i in (1, 2, 3):
            net_j = sym(net, f"net_h{j}")
            rule = (d_ - y) * sym(net, f"W2_{j}") * sp.Derivative(phi(net_j), net_j) * sym(net, f"x{i}")
            assert symbolic_zero(compose(net, rule) + symbolic_gradient(net, sym(net, f"W1_{i}{j}")))
