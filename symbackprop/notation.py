"""Notation: how each quantity is written, as SymPy printers (LaTeX and plain text).

The names follow the network's style (styles.py: net/out, In/Out, z/a, one entry each) and the spec's names
(styles.name_latex). Numbers can be substituted for symbols at print time (handcalcs' "show the numbers"),
without evaluating anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter

from .network import Kind, Network
from .styles import STYLES, Style, name_latex, name_text


class Names:
    """The written form of every symbol of a model, in LaTeX and in plain text, and the printers that use it."""

    def __init__(self, latex_names: Mapping[sp.Symbol, str] | None = None,
                 text_names: Mapping[sp.Symbol, str] | None = None) -> None:
        self.latex_names: dict[sp.Symbol, str] = dict(latex_names or {})
        self.text_names: dict[sp.Symbol, str] = dict(text_names or {})

    def _set(self, s: sp.Symbol, latex: str, text: str) -> None:
        self.latex_names[s] = latex
        self.text_names[s] = text

    # -- printing -------------------------------------------------------------------------------

    def latex(self, expr: Any, numbers: Mapping[sp.Symbol, str] | None = None, **settings: Any) -> str:
        """LaTeX of expr; with numbers, those symbols print as the given strings and products get a sign."""
        settings.setdefault("order", "none")  # keep the order the expression was built in (w5·h1 + w7·h2)
        if numbers:
            settings.setdefault("mul_symbol", "dot")
        return NotationLatexPrinter(self, numbers, settings).doprint(expr)

    def text(self, expr: Any, numbers: Mapping[sp.Symbol, str] | None = None, **settings: Any) -> str:
        settings.setdefault("order", "none")
        return NotationStrPrinter(self, numbers, settings).doprint(expr)

    def partial_latex(self, of: sp.Symbol, wrt: sp.Symbol) -> str:
        return rf"\frac{{\partial {self.latex_names[of]}}}{{\partial {self.latex_names[wrt]}}}"

    def partial_text(self, of: sp.Symbol, wrt: sp.Symbol) -> str:
        return f"∂{self.text_names[of]}/∂{self.text_names[wrt]}"


class Notation(Names):
    """The written form of every symbol of one network, in LaTeX and in plain text."""

    def __init__(self, network: Network) -> None:
        super().__init__()
        self.network = network
        self.style = network.spec.notation.style
        self.style_entry: Style = STYLES[self.style]
        for s, q in network.quantities.items():
            if q.kind is Kind.NET:
                self._set(s, *self._neuron(q.neuron or "", q.layer or 0, q.index or 0, "net"))
            elif q.kind is Kind.OUT:
                self._set(s, *self._neuron(q.neuron or "", q.layer or 0, q.index or 0, "out"))
            else:
                self._set(s, name_latex(q.name), name_text(q.name))
        for layer in network.layers:
            for r, neuron in enumerate(layer.neurons):
                self._set(sp.Symbol(f"delta_{neuron}", real=True),
                          *self._neuron(neuron, layer.index, r, "delta"))
        lr = network.learning_rate
        self._set(lr, name_latex(lr.name), name_text(lr.name))

    def _neuron(self, neuron: str, layer: int, index: int, role: str) -> tuple[str, str]:
        return self.style_entry.neuron(neuron, layer, index, role)


def _undef_derivative(expr: Any) -> tuple[AppliedUndef, Any] | None:
    """Φ'(x): a first derivative of an undefined one-argument function in its own argument."""
    if isinstance(expr, sp.Derivative) and isinstance(expr.expr, AppliedUndef) and len(expr.expr.args) == 1 \
            and expr.variable_count == ((expr.expr.args[0], 1),):
        return expr.expr, expr.expr.args[0]
    if isinstance(expr, sp.Subs) and len(expr.variables) == 1:
        inner = _undef_derivative(expr.expr)
        if inner is not None and inner[1] == expr.variables[0]:
            return inner[0], expr.point[0]
    return None


class NotationLatexPrinter(LatexPrinter):
    def __init__(self, notation: Names, numbers: Mapping[sp.Symbol, str] | None, settings: dict[str, Any]):
        super().__init__(settings)
        self.notation = notation
        self.numbers = numbers or {}

    def _print_Symbol(self, expr: sp.Symbol, style: str = "plain") -> str:
        if expr in self.numbers:
            return self.numbers[expr]
        if expr in self.notation.latex_names:
            return self.notation.latex_names[expr]
        return name_latex(expr.name)

    def _print_Derivative(self, expr: sp.Derivative) -> str:
        found = _undef_derivative(expr)
        if found is None:
            return super()._print_Derivative(expr)
        f, arg = found
        return rf"{name_latex(f.func.__name__)}'\left({self._print(arg)}\right)"

    def _print_Subs(self, expr: sp.Subs) -> str:
        found = _undef_derivative(expr)
        if found is None:
            return super()._print_Subs(expr)
        f, arg = found
        return rf"{name_latex(f.func.__name__)}'\left({self._print(arg)}\right)"

    def _print_Function(self, expr: Any, exp: Any = None) -> str:
        if isinstance(expr, AppliedUndef):
            body = rf"{name_latex(expr.func.__name__)}\left({', '.join(self._print(a) for a in expr.args)}\right)"
            return body if exp is None else rf"{body}^{{{exp}}}"
        return super()._print_Function(expr, exp)

    def _print_Heaviside(self, expr: Any, exp: Any = None) -> str:
        body = rf"H\left({self._argument(expr.args[0])}\right)"
        return body if exp is None else rf"{body}^{{{exp}}}"

    def _argument(self, arg: Any) -> str:
        """A function's argument: a number alone there needs no parentheses of its own (H(−0.68))."""
        text = self._print(arg)
        if arg in self.numbers and text.startswith(r"\left(") and text.endswith(r"\right)"):
            return text[len(r"\left("):-len(r"\right)")]
        return text


class NotationStrPrinter(StrPrinter):
    def __init__(self, notation: Names, numbers: Mapping[sp.Symbol, str] | None, settings: dict[str, Any]):
        super().__init__(settings)
        self.notation = notation
        self.numbers = numbers or {}

    def _print_Symbol(self, expr: sp.Symbol) -> str:
        if expr in self.numbers:
            return self.numbers[expr]
        return self.notation.text_names.get(expr, expr.name)

    def _print_Derivative(self, expr: sp.Derivative) -> str:
        found = _undef_derivative(expr)
        if found is None:
            return super()._print_Derivative(expr)
        return f"{name_text(found[0].func.__name__)}'({self._print(found[1])})"

    def _print_Subs(self, expr: sp.Subs) -> str:
        found = _undef_derivative(expr)
        if found is None:
            return super()._print_Subs(expr)
        return f"{name_text(found[0].func.__name__)}'({self._print(found[1])})"

    def _print_Function(self, expr: Any) -> str:
        if isinstance(expr, AppliedUndef):
            return f"{name_text(expr.func.__name__)}({', '.join(self._print(a) for a in expr.args)})"
        return super()._print_Function(expr)

    def _argument(self, arg: Any) -> str:
        """A function's argument: a number put in for a symbol without the parentheses a factor has (H(−0.68), not
        H((−0.68)))."""
        text = self._print(arg)
        if arg in self.numbers and text.startswith("(") and text.endswith(")"):
            text = text[1:-1]
        return text

    def _print_Heaviside(self, expr: Any) -> str:
        return f"H({self._argument(expr.args[0])})"

    def _print_Max(self, expr: Any) -> str:
        return f"Max({', '.join(self._argument(a) for a in expr.args)})"

    def _print_Min(self, expr: Any) -> str:
        return f"Min({', '.join(self._argument(a) for a in expr.args)})"
