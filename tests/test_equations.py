"""The equation writer (render/equations.py) on its own: each equation it writes for seed 004 (Mazur's worked
example, whose published numbers are the independent reference: ∂E/∂w5 = 0.082167041, w5⁺ = 0.35891648,
δ_o1 = 0.138498562, ∂E/∂w1 = 0.000438568, E = 0.298371109) reads as general form = numbers = value, each
relation is "=" exactly when the printed numbers give the printed value, and its pieces (steps, matrices, the
Jupyter form) are what they say."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

from conftest import SEED004
from symbackprop import Network, derive
from symbackprop.render.equations import Equation, Step, Writer, bmatrix

PUBLISHED = {"dE/dw5": "0.082167041", "w5+": "0.35891648", "delta_o1": "0.138498562", "dE/dw1": "0.000438568",
             "E": "0.298371109"}


@pytest.fixture(scope="module")
def writer() -> tuple[Writer, object]:
    d = derive(Network.load(SEED004))
    return Writer(d, "text"), d


def _numbers(text: str) -> list[Fraction]:
    return [Fraction(x) for x in re.findall(r"\d+\.\d+|\d+", text)]


def test_each_quantity_ends_in_its_published_value(writer) -> None:
    w, d = writer
    results = {"dE/dw5": w.gradient(d.param("w5")), "w5+": w.update(d.param("w5")),
               "delta_o1": w.delta(d.delta("o1")), "dE/dw1": w.gradient(d.param("w1")), "E": w.loss()}
    for key, eq in results.items():
        printed = Fraction(eq.steps[-1].text)  # 6 significant digits
        assert abs(printed - Fraction(PUBLISHED[key])) <= abs(printed) * Fraction(1, 10**5), key


def test_the_update_line_reads_w_minus_eta_times_the_gradient(writer) -> None:
    """w5⁺ = w5 − η · ∂E/∂w5 = 0.4 − 0.5 · 0.0821670 ≈ 0.358916: the numbers are w5, η and the gradient as printed on
    its own line, and their exact result 0.3589165 prints as 0.358917, not 0.358916 — hence ≈."""
    w, d = writer
    eq = w.update(d.param("w5"))
    assert eq.lhs == "w5⁺" and eq.steps[0].text == "w5 - η · ∂E_total/∂w5"
    w5, eta, grad = _numbers(eq.steps[1].text)
    assert (w5, eta) == (Fraction("0.4"), Fraction("0.5"))
    assert grad == Fraction(w.gradient(d.param("w5")).steps[-1].text)
    assert w5 - eta * grad == Fraction("0.3589165") and eq.steps[1].rel == "≈"


def test_an_equal_sign_where_the_printed_numbers_give_the_printed_value(writer) -> None:
    """δ_o1 = (0.751365 − 0.01) · 0.751365 · (1 − 0.751365) = 0.138499: those numbers give 0.13849901…, which is
    0.138499 to its digits — "="; ∂E/∂w5 = 0.138499 · 0.593270 gives 0.0821663…, not the printed 0.0821670 (the
    exact gradient) — "≈"."""
    w, d = writer
    delta = w.delta(d.delta("o1"))
    out, target, _, one, _ = _numbers(delta.steps[-2].text)
    value = (out - target) * out * (one - out)
    assert round(value, 6) == Fraction(delta.steps[-1].text) and delta.steps[-1].rel == "="
    grad = w.gradient(d.param("w5"))
    a, b = _numbers(grad.steps[-2].text)
    assert round(a * b, 7) != Fraction(grad.steps[-1].text) and grad.steps[-1].rel == "≈"


def test_steps_matrices_and_the_jupyter_form() -> None:
    assert Step(("a", "b")).text == "a + b"
    assert bmatrix([["1", "2"], ["3", "4"]]) == r"\begin{bmatrix}1 & 2 \\ 3 & 4\end{bmatrix}"
    eq = Equation("y", (Step(("x",)), Step(("0.5",), "≈")))
    assert eq.rhs == ("x", "0.5")
    assert eq._repr_latex_() == "$$\n\\begin{aligned}\ny &= x \\\\\n &\\approx 0.5\n\\end{aligned}\n$$"
