"""Derivation data → equations: a left side and a chain of equal right sides, as the lectures write them
(general chain rule = symbolic factors = numbers = result), in LaTeX or plain text.

This module only arranges and prints what derive.py computed; it does no mathematics of its own beyond
looking values up. Renderers (text, JSON, templates) lay the equations out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from ..derive import Derivation, ErrorTerm, Factor, OutputGrad, ParamDerivation, Value
from ..network import Kind
from ..notation import Notation
from ..numbers import Format, fmt, number_latex, number_text


@dataclass(frozen=True)
class Equation:
    lhs: str
    rhs: tuple[str, ...]  # successive equal forms
    note: str = ""


class Writer:
    """Prints derivation pieces in one flavour ("text" or "latex") for one sample."""

    def __init__(self, derivation: Derivation, flavour: str = "text", form: Format | None = None,
                 sample: int = 0, mul: str | None = None) -> None:
        self.d = derivation
        self.net = derivation.network
        self.notation = Notation(self.net)
        self.latex = flavour == "latex"
        display = self.net.spec.display
        self.form = form or Format(decimals=display.decimals, digits=display.digits)
        self.sample = sample
        self.mul = mul if mul is not None else (r" \cdot " if self.latex else " · ")
        self.numbers = self._numbers(sample)

    # -- atoms ----------------------------------------------------------------------------------

    def _numbers(self, sample: int) -> dict[sp.Symbol, str]:
        values: dict[sp.Symbol, Value] = dict(self.d.forward[sample].values)
        values.update({s: v for s, v in self.net.values.items()})
        for t in self.d.deltas:
            values[t.delta] = t.values[sample]
        return {s: self.num(v) for s, v in values.items() if v is not None}

    def num(self, value: Value) -> str:
        text = fmt(value, self.form)
        return number_latex(text) if self.latex else number_text(text)

    def value(self, value: Value) -> str:
        """A result at the end of a chain: no parentheses around a negative number."""
        text = fmt(value, self.form)
        return number_latex(text).removeprefix(r"\left(").removesuffix(r"\right)") if self.latex else text

    def sym(self, s: sp.Symbol) -> str:
        names = self.notation.latex_names if self.latex else self.notation.text_names
        return names[s]

    def expr(self, e: sp.Expr, numbers: bool = False) -> str:
        subs = self.numbers if numbers else None
        return self.notation.latex(e, subs) if self.latex else self.notation.text(e, subs)

    def factor_expr(self, e: sp.Expr, numbers: bool = False) -> str:
        """An expression used as one factor of a product: parenthesised when it is a sum."""
        text = self.expr(e, numbers)
        if e.is_Add or (e.could_extract_minus_sign() and not e.is_number):
            return rf"\left({text}\right)" if self.latex else f"({text})"
        return text

    def partial(self, of: sp.Symbol, wrt: sp.Symbol) -> str:
        return self.notation.partial_latex(of, wrt) if self.latex else self.notation.partial_text(of, wrt)

    def product(self, parts: Sequence[str]) -> str:
        return self.mul.join(parts)

    def plus(self, parts: Sequence[str]) -> str:
        return " + ".join(parts)

    def group(self, text: str) -> str:
        return rf"\left({text}\right)" if self.latex else f"({text})"

    def update_sign(self, s: sp.Symbol) -> str:
        return f"{self.sym(s)}^{{+}}" if self.latex else f"{self.sym(s)}⁺"

    # -- forward pass ---------------------------------------------------------------------------

    def forward(self) -> list[Equation]:
        return [self.defined(s) for s, q in self.net.quantities.items()
                if q.definition is not None and q.kind is not Kind.LOSS]

    def loss(self) -> Equation:
        return self.defined(self.net.error)

    def defined(self, s: sp.Symbol) -> Equation:
        """A computed quantity: its definition as lectures write it, with the numbers, and its value."""
        q = self.net.quantities[s]
        shown = q.display if q.display is not None else q.definition
        value = self.d.forward[self.sample].values[s]
        rhs = [self.expr(shown)]
        if value is not None:
            rhs += [self.expr(shown, numbers=True), self.value(value)]
        return Equation(self.sym(s), tuple(dict.fromkeys(rhs)))

    # -- error terms ----------------------------------------------------------------------------

    def _grad_general(self, g: OutputGrad) -> str:
        parts = [self.partial(self.net.error, g.out) if link.child == self.net.error
                 else self.product([self.expr(link.adjoint), self.partial(link.child, g.out)])
                 for link in g.links]
        return parts[0] if len(parts) == 1 else self.group(self.plus(parts))

    def _grad_symbolic(self, g: OutputGrad, numbers: bool) -> str:
        if len(g.links) == 1 and g.links[0].child == self.net.error:
            return self.factor_expr(g.links[0].local.expr, numbers)
        parts = [self.product([self.expr(link.adjoint, numbers), self.factor_expr(link.local.expr, numbers)])
                 for link in g.links]
        return parts[0] if len(parts) == 1 else self.group(self.plus(parts))

    def delta(self, t: ErrorTerm) -> Equation:
        """δ = ∂E/∂net = Σ (∂E/∂out)(∂out/∂net), then symbols, numbers and the value."""
        general = self.plus([self.product([self._grad_general(g), self.partial(g.out, t.net)]) for g in t.terms])
        symbolic = self.plus([self.product([self._grad_symbolic(g, False), self.factor_expr(g.activation.expr)])
                              for g in t.terms])
        rhs = [self.partial(self.net.error, t.net), general, symbolic]
        note = ""
        if t.simplified is not None:
            rhs.append(self.expr(t.simplified))
        if t.assuming is not None:
            cond, simpler = t.assuming
            note = (f"= {self.expr(simpler)} when {self.expr(cond.lhs)} = 1" if not self.latex else
                    rf"= {self.expr(simpler)} \quad \text{{when }} {self.expr(cond.lhs)} = 1")
        value = t.values[self.sample]
        if value is not None:
            numbers = self.plus([self.product([self._grad_symbolic(g, True), self._factor_numbers(g.activation)])
                                 for g in t.terms])
            rhs += [numbers, self.value(value)]
        return Equation(self.sym(t.delta), tuple(dict.fromkeys(rhs)), note)

    def _factor_numbers(self, f: Factor) -> str:
        """A factor with the numbers of its symbols substituted (o(1 − o) → 0.75·(1 − 0.75))."""
        if f.expr.is_number:
            return self.num(f.expr)
        return self.factor_expr(f.expr, numbers=True)

    # -- parameters -----------------------------------------------------------------------------

    def gradient(self, p: ParamDerivation) -> Equation:
        """∂E/∂p: the path sum (while short), the δ form, the closed form, and the numbers."""
        e = self.net.error
        rhs: list[str] = []
        value = p.gradients[self.sample]
        if p.paths is not None:
            rhs.append(self.plus([self.product([self.partial(f.of, f.wrt) for f in path.factors])
                                  for path in p.paths]))
            rhs.append(self.plus([self.product([self.factor_expr(f.expr) for f in path.factors])
                                  for path in p.paths]))
            if value is not None:
                rhs.append(self.plus([self.product([self._factor_numbers(f) for f in path.factors])
                                      for path in p.paths]))
        rhs.append(self.plus([self.product([self.partial(e, u.net), self.partial(u.net, p.param)]) for u in p.uses]))
        rhs.append(self.plus([self.product([self.sym(u.delta), self.factor_expr(u.local.expr)]) for u in p.uses]))
        if value is not None:
            rhs.append(self.plus([self.product([self.num(self.d.delta(u.delta).values[self.sample]),
                                                self._factor_numbers(u.local)]) for u in p.uses]))
            rhs.append(self.value(value))
        return Equation(self.partial(e, p.param), tuple(dict.fromkeys(rhs)))

    def closed_form(self, p: ParamDerivation) -> Equation | None:
        if p.closed_form is None:
            return None
        return Equation(self.partial(self.net.error, p.param), (self.expr(p.closed_form),))

    def batch_gradient(self, p: ParamDerivation) -> Equation:
        """Over several samples: the sum (or mean) of the per-sample gradients."""
        parts = [self.num(v) for v in p.gradients]
        total = self.plus(parts)
        if self.net.spec.batch_loss == "mean":
            total = (rf"\frac{{1}}{{{len(parts)}}}" if self.latex else f"1/{len(parts)}") + self.mul + self.group(total)
        return Equation(self.partial(self.net.error, p.param), (total, self.value(p.gradient)))

    def update(self, p: ParamDerivation) -> Equation:
        lr = self.net.learning_rate
        if p.frozen:
            kept = [self.sym(p.param)] + ([self.value(p.value)] if p.value is not None else [])
            return Equation(self.update_sign(p.param), tuple(kept), "frozen")
        rule = f"{self.sym(p.param)} - {self.product([self.sym(lr), self.partial(self.net.error, p.param)])}"
        rhs: list[str] = [rule]
        eta = self.net.values.get(lr)
        if p.value is not None and eta is not None and p.gradient is not None:
            rhs.append(f"{self.num(p.value)} - {self.product([self.num(eta), self.num(p.gradient)])}")
        if p.updated is not None:
            rhs.append(self.value(p.updated))
        return Equation(self.update_sign(p.param), tuple(rhs))
