"""render/text.py: the terminal's derivation. Every result it prints — each forward quantity, the error, each δ,
each gradient (per sample and over the batch), each update, each entry of the matrix form, the error before and
after the update — is the true value, rounded as the display asks (README: "The result is always the true
value").

The truth is sympy.diff of the network's whole error (tests/truth.py), evaluated exactly where it is rational and
at 50 digits otherwise, and rounded by the fractions reference of test_numbers.py; the numbers are read back from
the printed text by a parser written here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path

import pytest
import sympy as sp
from test_numbers import expected_decimals, expected_digits

from conftest import SEED002, SEED004, SOFTMAX
from symbackprop import Network, derive
from symbackprop.notation import Notation
from symbackprop.numbers import Format
from symbackprop.render.text import derivation_text, training_text
from symbackprop.train import train
from truth import batch_error, composition, symbolic_batch_gradient, symbolic_delta, symbolic_gradient

NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[+-]\d+)?")


def exact(value: sp.Expr) -> Fraction:
    """A rational value as a fraction, exactly; anything else from its first 60 digits."""
    value = sp.sympify(value)
    if value.is_Rational:
        return Fraction(int(value.p), int(value.q))
    return Fraction(str(sp.N(value, 60)))


def value_at(expr: sp.Expr, values: dict[sp.Symbol, sp.Expr]) -> Fraction:
    """expr at exact values: exact when the result is rational (seed 002), else evaluated from 80-digit floats
    (exact rationals inside exp and tanh make sympy's evaluation slow)."""
    v = expr.xreplace(values)
    if v.is_Rational:
        return exact(v)
    return exact(expr.xreplace({s: sp.Float(x, 80) for s, x in values.items()}))


class Truth:
    """The true value of every quantity the text prints, from the whole error (no derive.py)."""

    def __init__(self, net: Network) -> None:
        self.net = net
        self.comp = composition(net)
        self.params = dict(net.values)
        self._gradients: dict[tuple[sp.Symbol, int | None], sp.Expr] = {}

    def at(self, expr: sp.Expr, i: int | None, params: dict | None = None) -> Fraction:
        values = {**self.params, **(params or {}), **(self.net.samples[i] if i is not None else {})}
        return value_at(expr, values)

    def quantity(self, s: sp.Symbol, i: int) -> Fraction:
        return self.at(self.comp[s], i)

    def delta(self, net_symbol: sp.Symbol, i: int) -> Fraction:
        return self.at(symbolic_delta(self.net, net_symbol), i)

    def _gradient(self, p: sp.Symbol, i: int | None) -> sp.Expr:
        if (p, i) not in self._gradients:
            self._gradients[p, i] = symbolic_batch_gradient(self.net, p) if i is None else \
                symbolic_gradient(self.net, p, i)
        return self._gradients[p, i]

    def gradient(self, p: sp.Symbol, i: int | None) -> Fraction:
        """∂E/∂p of sample i, or of the batch (i None)."""
        return self.at(self._gradient(p, i), None)

    def updated(self) -> dict[sp.Symbol, sp.Expr]:
        """w − η ∂E/∂w (w when frozen), as exact as the gradient."""
        eta = self.params[self.net.learning_rate]
        out: dict[sp.Symbol, sp.Expr] = {}
        for p in self.net.params:
            g = self.gradient(p, None)
            out[p] = self.params[p] if p in self.net.frozen else \
                self.params[p] - eta * sp.Rational(g.numerator, g.denominator)
        return out

    def batch_loss(self, params: dict | None = None) -> Fraction:
        return self.at(batch_error(self.net), None, params)


@cache
def truth(path: Path) -> Truth:
    return Truth(Network.load(path))


@dataclass(frozen=True)
class Printed:
    """One printed result: what it is (its left side, or a matrix's key and layer), the sample whose section it
    is in (0 outside the per-sample sections) and the number as printed."""

    lhs: str
    sample: int
    result: str
    layer: str = ""  # a matrix row's layer


def printed(text: str) -> Iterator[Printed]:
    """Every equation whose last step is a number, every matrix row, the error before and after the update; read
    by the layout alone (indentation, '=' / '≈'), so that the English and the Chinese text read alike."""
    sample, layer, errors = 0, "", 0
    lhs, last = None, None
    for line in [*text.splitlines(), ""]:
        step = re.match(r"^ +[=≈] (.*)$", line)
        if step and lhs is not None:  # the result is the last step that is a number (a form under a condition,
            text = step.group(1).split("    [")[0]  # "= out_y1 - t_y1 when Σt = 1", may follow it)
            last = text if NUMBER.fullmatch(text) else last
            continue
        if lhs is not None and last is not None:
            yield Printed(lhs, sample, last)
        lhs, last = None, None
        if not line:
            continue
        if not line.startswith(" "):  # a heading: a sample's section names "k of n" (two numbers)
            found = re.findall(r"\d+", line)
            if error := re.match(r"^.*[:：] *\S+ = (\S+)$", line):
                errors += 1
                yield Printed("error before" if errors == 1 else "error after", 0, error.group(1))
            elif len(found) == 2:
                sample = int(found[0]) - 1
            continue
        if matrix := re.match(r"^    (delta|grad_W|grad_b)\D*?(\d*)\D*? = \[(.*)\]$", line):
            yield Printed(matrix.group(1), int(matrix.group(2) or 1) - 1, matrix.group(3), layer)
        elif head := re.match(r"^  (\S.*?) [=≈] (.*)$", line):
            lhs, last = head.group(1), head.group(2).split("    [")[0]
            last = last if NUMBER.fullmatch(last) else None
            if "⊙" in line or "∇ₒE" in line:  # a layer of the matrix form: "layer 2 (y): δ = J_softmaxᵀ ∇ₒE"
                layer, lhs = re.findall(r"[(（](\w+)[)）]", line.split("δ =")[0])[-1], None


def check(path: Path, form: Format, lang: str = "en") -> list[str]:
    """Every printed result is the true value as `form` rounds it; returns the numbers checked, in order."""
    t = truth(path)
    net = t.net
    d = derive(net)
    text = derivation_text(d, form, lang=lang)
    names = {v: s for s, v in Notation(net).text_names.items()}
    per_sample = len(net.samples) > 1
    layers = {layer.name: layer for layer in net.layers}
    updated = t.updated()

    def shown(value: Fraction) -> str:
        return expected_decimals(value, form.decimals) if form.decimals is not None else \
            expected_digits(value, form.digits or 6)

    seen = []
    for p in printed(text):
        if p.layer:  # a matrix row: [[a, b], [c, d]]
            rows = [[x.strip() for x in r.split(",")] for r in re.findall(r"\[([^\[\]]*)\]", p.result)]
            layer = layers[p.layer]
            at = p.sample if per_sample else None
            if p.lhs == "delta":
                want = [[shown(t.delta(z, p.sample))] for z in layer.nets]
            elif p.lhs == "grad_W":
                want = [[shown(t.gradient(w, at)) for w in row] for row in layer.weights]
            else:
                want = [[shown(t.gradient(b, at))] for b in dict.fromkeys(layer.biases) if b is not None]
            assert rows == want, (p, want)
            seen += [x for r in rows for x in r]
            continue
        if p.lhs.startswith("error"):
            value = t.batch_loss() if p.lhs == "error before" else t.batch_loss(updated)
        elif p.lhs.endswith("⁺"):
            value = exact(updated[names[p.lhs[:-1]]])
        elif p.lhs.startswith("∂"):
            own = re.match(r"^∂\S+\^\((\d+)\)/", p.lhs)  # ∂E^(2)/∂w1: sample 2's; ∂E/∂w1: the batch's
            value = t.gradient(names[p.lhs.split("/∂")[-1]], int(own.group(1)) - 1 if own else None)
        elif p.lhs.startswith("δ"):
            value = t.delta(next(e.net for e in d.deltas if e.delta == names[p.lhs]), p.sample)
        else:  # a forward quantity, or the sample's error E^(k)
            symbol = net.error if re.fullmatch(r"\S+\^\(\d+\)", p.lhs) else names[p.lhs]
            value = t.quantity(symbol, p.sample)
        assert p.result == shown(value), (p, shown(value))
        seen.append(p.result)
    return seen


@pytest.mark.parametrize(("path", "form"), [(SEED004, Format()), (SEED004, Format(decimals=4, digits=None)),
                                            (SEED002, Format()), (SOFTMAX, Format(digits=4))],
                         ids=["seed004", "seed004-4-decimals", "seed002-exact", "softmax-batch"])
def test_every_printed_result_is_the_true_value(path: Path, form: Format) -> None:
    seen = check(path, form)
    net = truth(path).net
    n, neurons = len(net.samples), sum(len(x.neurons) for x in net.layers)
    params = len(net.params)
    # per sample: every net input and output, its error, every δ (also in the matrix rows), every gradient whose
    # path sum is written (also as ∂E/∂W and ∂E/∂b); the batch gradients, the updates, the error twice
    assert len(seen) >= n * (2 * neurons + 1 + 2 * neurons) + params + 2, len(seen)


def test_the_chinese_text_prints_the_same_numbers() -> None:
    zh, en = check(SOFTMAX, Format(), "zh"), check(SOFTMAX, Format(), "en")
    if zh != en:  # (not `assert zh == en`: pytest's diff of two long lists takes minutes)
        k = next((k for k, (a, b) in enumerate(zip(zh, en, strict=False)) if a != b), min(len(zh), len(en)))
        pytest.fail(f"{len(zh)} numbers in Chinese, {len(en)} in English; the first difference at {k}: "
                    f"{zh[k:k + 3]} / {en[k:k + 3]}")


def test_the_readme_lines_of_seed004() -> None:
    """The README's excerpt: δ_h1 ≈ 0.00877135, ∂E_total/∂w5 ≈ 0.0821670 via 0.138499 · 0.593270 (whose
    product rounds differently, hence ≈), w5⁺ ≈ 0.358916."""
    text = derivation_text(derive(Network.load(SEED004)))
    assert "       ≈ 0.00877135\n" in text
    assert "               ≈ 0.138499 · 0.593270\n               ≈ 0.0821670\n" in text
    assert "      ≈ 0.358916\n" in text
    assert Fraction("0.138499") * Fraction("0.593270") != Fraction("0.0821670")  # why it is ≈


def test_a_symbolic_network_says_how_to_see_numbers() -> None:
    net = Network.from_dict({"inputs": ["x1"], "layers": [{"name": "o", "size": 1}]})
    text = derivation_text(derive(net))
    assert text.rstrip().endswith("(symbolic network: give values under [params], inputs and targets to see numbers)")
    assert not any(NUMBER.fullmatch(p.result) and p.lhs.startswith("∂") for p in printed(text))


def test_training_text_prints_the_losses_and_parameters_of_the_run() -> None:
    net = Network.load(SEED004)
    run = train(net, 40)
    text = training_text(run)
    t = truth(SEED004)
    lines = text.splitlines()
    assert lines[0] == "Training: 40 full-batch gradient-descent steps"
    first = next(line for line in lines if "before step 1" in line)
    assert float(first.split("=")[1]) == float(f"{float(t.batch_loss()):.10g}")
    assert any("after step 40" in line for line in lines)
    steps = [line for line in lines if "step" in line and "loss =" in line]
    assert len(steps) == 21  # every second of 40 steps (at most about 20 rows), and the last one
    for name, value in run.params.items():
        assert f"  {name} = {value:.10g}" in lines
    assert "  b1 = 0.35" in lines and "  b2 = 0.6" in lines  # frozen
