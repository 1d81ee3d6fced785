"""Derivation data → equations: a left side and a chain of equal right sides, as the lectures write them
(general chain rule = symbolic factors = numbers = result), in LaTeX or plain text.

Numbers are shown rounded. Every numeric step knows the exact value of what it prints (the rounded numbers
as printed, multiplied out), so its relation sign is honest: "=" when that value rounds to the printed
result, "≈" when it does not. With `rounded=True` intermediate numbers are rounded before use, as the
seeds do: each result is then the value of its printed numbers, and later steps use the rounded result.

This module only arranges and prints what derive.py computed; its only arithmetic is re-evaluating
printed numbers. Renderers (text, JSON, templates) lay the equations out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import sympy as sp

from ..derive import Derivation, ErrorTerm, Factor, OutputGrad, ParamDerivation, Path, Value, evaluate
from ..layers import biases, grid
from ..network import Kind
from ..notation import Notation
from ..numbers import Format, fmt, number_latex, number_text

MUL = {  # option → (LaTeX, text, SymPy LatexPrinter mul_symbol)
    "dot": (r" \cdot ", " · ", "dot"),
    "times": (r" \times ", " × ", "times"),
    "none": (" ", " ", None),
}


@dataclass(frozen=True)
class Step:
    """One right-hand side: a sum of terms, and its relation to what precedes it."""

    terms: tuple[str, ...]
    rel: str = "="  # "=" or "≈"
    factors: tuple[tuple[str, ...], ...] = ()  # each term's factors, where a long product may be broken
    mul: str = ""  # the sign between those factors

    @property
    def text(self) -> str:
        return " + ".join(self.terms)


@dataclass(frozen=True)
class Equation:
    lhs: str
    steps: tuple[Step, ...]
    note: str = ""
    condition: str = ""  # the note holds only under this condition (softmax + cross-entropy: Σt = 1)

    @property
    def rhs(self) -> tuple[str, ...]:
        return tuple(s.text for s in self.steps)

    def _repr_latex_(self) -> str:
        """Jupyter: a LaTeX-flavoured equation typesets itself, as $$\\begin{aligned} lhs &= … \\end{aligned}$$."""
        rows = []
        for k, step in enumerate(self.steps):
            rel = r"\approx" if step.rel == "≈" else step.rel
            rows.append(f"{self.lhs if k == 0 else ''} &{rel} {step.text}")
        return "$$\n\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}\n$$"


@dataclass(frozen=True)
class Shown:
    """A printed numeric form: its text and the exact value of the numbers as printed."""

    text: str
    value: sp.Expr
    factors: tuple[tuple[str, ...], ...] = ()  # per term, when the form is a sum of products
    mul: str = ""
    plain: str = ""  # a single symbol's number as printed on its own (its value, printed once, is printed alike)


def _rational(text: str) -> sp.Rational:
    return sp.Rational(text)


class Writer:
    """Prints derivation pieces in one flavour ("text" or "latex") for one sample.

    `after=True` prints the forward pass with the updated parameters."""

    def __init__(self, derivation: Derivation, flavour: str = "text", form: Format | None = None,
                 sample: int = 0, mul: str = "dot", rounded: bool = False, after: bool = False,
                 params: dict[sp.Symbol, sp.Expr] | None = None) -> None:
        self.d = derivation
        self.net = derivation.network
        self.notation = Notation(self.net)
        error = self.net.error
        self._batch_names = (self.notation.latex_names[error], self.notation.text_names[error])
        self.latex = flavour == "latex"
        if len(self.net.samples) > 1:
            # E is the batch loss (the sum or mean of the samples' losses): one sample's loss, and every
            # derivative of it, is written E^{(n)}, so that no per-sample number is labelled as the batch's
            self.notation.latex_names[error], self.notation.text_names[error] = self._sample_names(str(sample + 1))
        display = self.net.spec.display
        self.form = form or Format(decimals=display.decimals, digits=display.digits)
        self.sample = sample
        self.rounded = rounded
        self.mul_option = mul
        latex_mul, text_mul, printer_mul = MUL[mul]
        self.mul = latex_mul if self.latex else text_mul
        # a product of numbers needs a visible sign even when symbols are juxtaposed
        self.num_mul = self.mul if mul != "none" else (MUL["dot"][0] if self.latex else MUL["dot"][1])
        self.printer_mul = printer_mul
        self.is_after = after
        passes = derivation.after if after else derivation.forward
        self.true = passes[sample].values if passes is not None else {}
        self.shown: dict[sp.Symbol, sp.Expr] = {}  # the value of every symbol as printed
        self.numbers: dict[sp.Symbol, str] = {}  # as a factor: a negative number in parentheses
        self.plain: dict[sp.Symbol, str] = {}  # as a value on its own
        self.results: dict[sp.Symbol, tuple[Step, sp.Expr]] = {}  # computed quantity → result step, value
        self.gradients: dict[sp.Symbol, sp.Expr] = {}
        self.updates: dict[sp.Symbol, sp.Expr] = {}
        self.batch_gradients: dict[sp.Symbol, sp.Expr] = {}  # several samples: ∂E/∂p of the batch as printed
        self._sample_writers: list[Writer] | None = None
        self.batch_losses: dict[bool, sp.Expr] = {}  # the batch's error as printed: before (False), after (True)
        self._printed: dict[sp.Expr, str] = {}  # symbolic expressions as printed
        self._fill(params)

    # -- the printed value of everything ----------------------------------------------------------

    def _fill(self, params: dict[sp.Symbol, sp.Expr] | None) -> None:
        net = self.net
        leaves = dict(net.values) | dict(net.samples[self.sample]) | (params or {})
        for s, v in leaves.items():
            self._show(s, v)
        if self.is_after and params is None:
            for p in self.d.params:
                if p.updated is not None:
                    self._show(p.param, p.updated)
        for s, q in net.quantities.items():
            if q.definition is not None and s in self.true:
                self.defined(s)
        if self.is_after:
            return
        for t in self.d.deltas:
            self.delta(t)

    def _show(self, s: sp.Symbol, value: Value) -> None:
        if value is None:
            return
        text = fmt(value, self.form)
        self.shown[s] = _rational(text)
        self.numbers[s] = number_latex(text) if self.latex else number_text(text)
        self.plain[s] = self.value(value)

    def value_step(self, s: sp.Symbol) -> Step:
        """A quantity's printed value on its own: '≈' when (rounded) it is not the exact value to its digits."""
        true = self.true.get(s)
        return Step((self.plain[s],), self._rel(self.shown[s], true) if true is not None else "=")

    def round(self, value: sp.Expr) -> sp.Expr:
        return _rational(fmt(value, self.form))

    def num(self, value: Value) -> str:
        text = fmt(value, self.form)
        return number_latex(text) if self.latex else number_text(text)

    def value(self, value: Value) -> str:
        """A result at the end of a chain: no parentheses around a negative number."""
        text = fmt(value, self.form)
        return number_latex(text).removeprefix(r"\left(").removesuffix(r"\right)") if self.latex else text

    def _result(self, true: Value, printed: Sequence[Shown],
                rounded_value: sp.Expr | None = None) -> tuple[list[Step], sp.Expr | None]:
        """The numeric steps and the result: the true value, or (rounded) the value of the last printed step
        (or `rounded_value`, when the quantity's one printed value comes from numbers printed elsewhere).

        Returns the result unrounded, so that it is printed from its own digits."""
        if not printed:
            return [], None
        if self.rounded or true is None:
            value = printed[-1].value if rounded_value is None else rounded_value
        else:
            value = true
        steps = [Step(tuple(self.product(f, numbers=True) for f in p.factors) if p.factors else (p.text,),
                      self._rel(p.value, value), p.factors, self.num_mul) for p in printed]
        last = printed[-1]
        text = last.plain if last.plain and value == last.value else self.value(value)
        steps.append(Step((text,), self._rel(last.value, value)))
        return steps, value

    def _rel(self, printed: sp.Expr, result: sp.Expr) -> str:
        if printed.is_finite and self.round(printed) == self.round(result):
            return "="
        return r"\approx" if self.latex else "≈"

    # -- atoms ----------------------------------------------------------------------------------

    def sym(self, s: sp.Symbol) -> str:
        names = self.notation.latex_names if self.latex else self.notation.text_names
        return names[s]

    def expr(self, e: sp.Expr, numbers: bool = False) -> str:
        if not numbers:  # the same local factors recur in every derivation of a layer: print each once
            if e not in self._printed:
                self._printed[e] = self._print(e, False)
            return self._printed[e]
        return self._print(e, True)

    def _print(self, e: sp.Expr, numbers: bool) -> str:
        subs = self.numbers if numbers else None
        if self.latex:
            settings = {"mul_symbol": "dot" if numbers and self.printer_mul is None else self.printer_mul}
            return self.notation.latex(e, subs, **settings)
        return self.notation.text(e, subs)

    def factor_expr(self, e: sp.Expr, numbers: bool = False) -> str:
        """An expression used as one factor of a product: parenthesised when it is a sum or negative (a
        threshold's ∂net/∂θ = −1: δ · (−1), not δ · −1)."""
        text = self.expr(e, numbers)
        if e.is_Add or e.could_extract_minus_sign():
            return self.group(text)
        return text

    @staticmethod
    def _kept(exprs: Sequence[sp.Expr], least: int = 1) -> list[sp.Expr]:
        """The factors of a product that are not the number 1 (an identity activation's derivative, a bias's
        ∂net/∂b): a product prints without "· 1"; at least `least` of them stay (a product of ones is 1)."""
        kept = [e for e in exprs if e != 1]
        return kept if len(kept) >= least else list(exprs)[:least]

    def _factors(self, exprs: Sequence[sp.Expr], least: int = 1) -> list[str]:
        """Symbolic factors of a product, without factors 1."""
        return [self.factor_expr(e) for e in self._kept(exprs, least)]

    def _numbers(self, exprs: Sequence[sp.Expr], least: int = 1) -> list[Shown]:
        """The same factors with the printed numbers substituted, without factors 1."""
        return [self.numeric(e) for e in self._kept(exprs, least)]

    def _terms(self, e: sp.Expr, numbers: bool = False) -> tuple[str, ...]:
        """A sum as its printed terms (so that a long one can break between them), else one term."""
        if e.is_Add and not any(a.could_extract_minus_sign() for a in e.args):
            return tuple(self.expr(a, numbers) for a in e.args)  # the printers keep this order (order="none")
        return (self.expr(e, numbers),)

    def numeric(self, e: sp.Expr) -> Shown:
        """A factor with the printed numbers substituted (o(1 − o) → 0.75·(1 − 0.75)), and its value."""
        if e.is_number:
            value = self.round(evaluate(e, {}) or e)
            return Shown(self.num(value), value)
        value = evaluate(e, self.shown)
        plain = self.plain.get(e, "") if isinstance(e, sp.Symbol) else ""
        return Shown(self.factor_expr(e, numbers=True), value if value is not None else sp.nan, plain=plain)

    def numeric_sum(self, terms: Sequence[Sequence[Shown]]) -> Shown:
        """Σ Π of printed factors, with the exact value of what is printed."""
        factors = tuple(tuple(f.text for f in t) for t in terms)
        text = self.plus([self.product(f, numbers=True) for f in factors])
        value = sp.Add(*[sp.Mul(*[f.value for f in t]) for t in terms])
        return Shown(text, value, factors, self.num_mul)

    def partial(self, of: sp.Symbol, wrt: sp.Symbol) -> str:
        return self.notation.partial_latex(of, wrt) if self.latex else self.notation.partial_text(of, wrt)

    def _sample_names(self, tag: str) -> tuple[str, str]:
        latex, text = self._batch_names
        return f"{{{latex}}}^{{({tag})}}", f"{text}^({tag})"

    def sample_sym(self, tag: str = "n") -> str:
        """One sample's error E^{(tag)} (with one sample, the error itself)."""
        if len(self.net.samples) == 1:
            return self.batch_sym()
        latex, text = self._sample_names(tag)
        return latex if self.latex else text

    def sample_partial(self, wrt: sp.Symbol, tag: str = "n") -> str:
        """∂E^{(tag)}/∂wrt (with one sample, ∂E/∂wrt)."""
        if self.latex:
            return rf"\frac{{\partial {self.sample_sym(tag)}}}{{\partial {self.sym(wrt)}}}"
        return f"∂{self.sample_sym(tag)}/∂{self.sym(wrt)}"

    def batch_sym(self) -> str:
        """The error of the whole batch, E (with one sample, that sample's error)."""
        return self._batch_names[0] if self.latex else self._batch_names[1]

    def batch_partial(self, wrt: sp.Symbol) -> str:
        """∂E/∂wrt for the error of the whole batch (a per-sample writer prints ∂E^{(n)}/∂wrt with `partial`)."""
        if self.latex:
            return rf"\frac{{\partial {self.batch_sym()}}}{{\partial {self.sym(wrt)}}}"
        return f"∂{self.batch_sym()}/∂{self.sym(wrt)}"

    def product(self, parts: Sequence[str], numbers: bool = False) -> str:
        return (self.num_mul if numbers else self.mul).join(parts)

    def plus(self, parts: Sequence[str]) -> str:
        return " + ".join(parts)

    def group(self, text: str) -> str:
        return rf"\left({text}\right)" if self.latex else f"({text})"

    def update_sign(self, s: sp.Symbol) -> str:
        return f"{{{self.sym(s)}}}^{{+}}" if self.latex else f"{self.sym(s)}⁺"

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
        steps = [Step(self._terms(shown))]
        true = self.true.get(s)
        if true is not None:
            value = evaluate(shown, self.shown)
            printed = Shown(self.expr(shown, numbers=True), value if value is not None else sp.nan,
                            tuple((t,) for t in self._terms(shown, numbers=True)))
            numeric, result = self._result(true, [printed])
            steps += numeric
            if result is not None and s not in self.shown:
                self._show(s, result)
        return Equation(self.sym(s), _dedup(steps))

    # -- error terms ----------------------------------------------------------------------------

    def _grad_general(self, g: OutputGrad) -> str:
        parts = [self.partial(self.net.error, g.out) if link.child == self.net.error
                 else self.product([self.expr(link.adjoint), self.partial(link.child, g.out)])
                 for link in g.links]
        return parts[0] if len(parts) == 1 else self.group(self.plus(parts))

    def _grad_symbolic(self, g: OutputGrad) -> str:
        if len(g.links) == 1 and g.links[0].child == self.net.error:
            return self.factor_expr(g.links[0].local.expr)
        parts = [self.product([self.expr(link.adjoint), self.factor_expr(link.local.expr)]) for link in g.links]
        return parts[0] if len(parts) == 1 else self.group(self.plus(parts))

    def _grad_numbers(self, g: OutputGrad) -> Shown:
        if len(g.links) == 1 and g.links[0].child == self.net.error:
            return self.numeric(g.links[0].local.expr)
        inner = self.numeric_sum([[self.numeric(link.adjoint), self.numeric(link.local.expr)] for link in g.links])
        return inner if len(g.links) == 1 else Shown(self.group(inner.text), inner.value)

    def _alone(self, t: ErrorTerm) -> sp.Expr | None:
        """∂E/∂out of an output neuron whose δ has no other factor (the identity's 1 left out), else None."""
        if len(t.terms) != 1 or t.terms[0].activation.expr != 1:
            return None
        links = t.terms[0].links
        return links[0].local.expr if len(links) == 1 and links[0].child == self.net.error else None

    def delta(self, t: ErrorTerm, short: bool = False) -> Equation:
        """δ = ∂E/∂net = Σ (∂E/∂out)(∂out/∂net), then symbols, numbers and the value.

        short=True (a compact lecture's frame of every δ): the δ recursion in symbols, its numbers and the value;
        where a simpler form exists (softmax with cross-entropy: o − t), that form and the value, whose numbers
        belong to the longer form. The value is the one the full form prints."""
        general = self._products([[self._grad_general(g), self.partial(g.out, t.net)] for g in t.terms])
        symbolic = self._products([[self._grad_symbolic(g), *self._factors([g.activation.expr], 0)] for g in t.terms])
        alone = self._alone(t)  # an output neuron with an identity activation: δ = o − t, no parentheses
        if alone is not None:
            symbolic = Step((self.expr(alone),))
        steps = [Step((self.partial(self.net.error, t.net),)), general, symbolic]
        simpler = Step((self.expr(t.simplified),)) if t.simplified is not None else None
        if simpler is not None:
            steps.append(simpler)
        note = condition = ""
        if t.assuming is not None:
            cond, simplest = t.assuming
            note = f"= {self.expr(simplest)}"
            condition = f"{self.expr(cond.lhs)} = 1"
        true = t.values[self.sample]
        numeric: list[Step] = []
        if true is not None and not self.is_after:
            printed = self.numeric_sum([[self._grad_numbers(g), *self._numbers([g.activation.expr], 0)]
                                        for g in t.terms])
            if alone is not None:
                printed = Shown(self.expr(alone, numbers=True), printed.value)
            numeric, result = self._result(true, [printed])
            if result is not None and t.delta not in self.shown:
                self._show(t.delta, result)
        if short:
            steps = [simpler, *([Step(numeric[-1].terms)] if numeric else [])] if simpler else [symbolic, *numeric]
        else:
            steps += numeric
        return Equation(self.sym(t.delta), _dedup(steps), note, condition)

    # -- parameters -----------------------------------------------------------------------------

    def gradient(self, p: ParamDerivation, part: str = "all") -> Equation:
        """∂E/∂p: the path sum (while short) and the δ form in symbols, then their numbers and the value.

        part="paths" or "delta" gives only that form with its own numbers and result (one slide each)."""
        e = self.net.error
        paths: list[Step] = []
        if p.paths is not None and part != "delta":
            paths.append(self.path_sum(p.paths))
            paths.append(self._products([self._factors([f.expr for f in path.factors]) for path in p.paths]))
        deltas: list[Step] = []
        if part != "paths" or p.paths is None:
            deltas.append(Step(tuple(self.product([self.partial(e, u.net), self.partial(u.net, p.param)])
                                     for u in p.uses)))
            deltas.append(Step(tuple(self.product([self.sym(u.delta), *self._factors([u.local.expr], 0)])
                                     for u in p.uses)))
        true = p.gradients[self.sample]
        numeric: list[Step] = []
        if true is not None:
            printed: list[Shown] = []
            if paths and (len(p.paths or ()) > 1 or len((p.paths or ())[0].factors) > 2):
                printed.append(self.numeric_sum([self._numbers([f.expr for f in path.factors])
                                                 for path in p.paths or ()]))
            by_deltas = self.numeric_sum([[self.numeric(u.delta), *self._numbers([u.local.expr], 0)] for u in p.uses])
            if deltas:
                printed.append(by_deltas)
            # one quantity, one printed value: rounded, ∂E/∂p is what its δ form's printed numbers give, on every
            # slide — also on one that shows only the path sum (whose numbers may give a different last digit: ≈)
            numeric, result = self._result(true, printed, by_deltas.value)
            if result is not None and part != "paths":
                self.gradients[p.param] = result
        return Equation(self.partial(e, p.param), _dedup(paths + deltas + numeric))

    def path_sum(self, paths: Sequence[Path]) -> Step:
        """Σ over the paths of the product of their partial derivatives (the general chain rule)."""
        return self._products([[self.partial(f.of, f.wrt) for f in path.factors] for path in paths])

    def _products(self, terms: Sequence[Sequence[str]]) -> Step:
        """A sum of products of symbolic factors, breakable between factors."""
        factors = tuple(tuple(t) for t in terms)
        return Step(tuple(self.product(t) for t in factors), "=", factors, self.mul)

    def factor(self, f: Factor) -> Equation:
        """One local derivative of the chain rule: ∂of/∂wrt = its expression = numbers = value.

        A sigmoid neuron's ∂out/∂net states the derivative it uses, as the seeds do where it first appears:
        σ'(net) = σ(net)(1 − σ(net)) = out(1 − out)."""
        steps = [*self.sigmoid_steps(f), Step((self.expr(f.expr),))]
        true = f.values[self.sample]
        if true is not None and not f.expr.is_number:
            # the factor alone on its line: a negative one needs no parentheses (−1/0.35, not (−1/0.35))
            shown = replace(self.numeric(f.expr), text=self.expr(f.expr, numbers=True))
            numeric, _ = self._result(true, [shown])
            steps += numeric
        return Equation(self.partial(f.of, f.wrt), _dedup(steps))

    def sigmoid_steps(self, f: Factor) -> list[Step]:
        """σ'(net) and σ(net)·(1 − σ(net)), when `f` is ∂out/∂net of one sigmoid neuron (else nothing)."""
        q = self.net.quantities.get(f.of)
        if q is None or q.kind is not Kind.OUT or not q.layer:
            return []
        layer = self.net.layers[q.layer - 1]
        if f.wrt not in layer.nets or layer.nets.index(f.wrt) != layer.outs.index(f.of) or layer.skip:
            return []  # with a skip, out = σ(net) + skip: σ(net) is not the output
        act = layer.activation_of(layer.outs.index(f.of))
        if act.name != "sigmoid" or act.gain != 1:
            return []
        net = self.sym(f.wrt)
        if self.latex:
            at = rf"\left({net}\right)"
            return [Step((rf"\sigma'{at}",)), Step((self.product([rf"\sigma{at}", rf"\left(1 - \sigma{at}\right)"]),))]
        return [Step((f"σ'({net})",)), Step((self.product([f"σ({net})", f"(1 - σ({net}))"]),))]

    def per_weight(self, p: ParamDerivation, downstream: Sequence[ParamDerivation]) -> tuple[Equation, Equation]:
        """A hidden weight's gradient next to the per-weight slip of seed 000 (δ1 = (δ5 + δ6)·h1(1 − h1)·x1, with
        δ5 = ∂E/∂w5 the gradient of a weight out of the same neuron): the slip's expression with its numbers and
        its value, and the true ∂E/∂p in the same shape, (Σ δ_k·w_k)·f'·x, whose value is p's gradient as
        printed everywhere else. `p` enters one neuron with an elementwise activation; `downstream` are the
        weights out of that neuron, each entering one neuron."""
        (u,) = p.uses
        t = next(x for x in self.d.deltas if x.delta == u.delta)
        (g,) = t.terms
        act, local = g.activation, u.local
        e = self.net.error
        slip_terms = [q.uses[0] for q in downstream]
        head = self.product([self.group(self.plus([self.partial(e, q.param) for q in downstream])),
                             self.partial(act.of, act.wrt), self.partial(local.of, local.wrt)])
        per = [self.product([self.sym(v.delta), *self._factors([v.local.expr], 0)]) for v in slip_terms]
        symbolic = self.product([self.group(self.plus(per)), *self._factors([act.expr, local.expr], 0)])
        n = self.sample
        steps = [Step((symbolic,))]
        grads = [self.gradient_value(q) for q in downstream]
        if all(v is not None for v in grads) and all(q.gradients[n] is not None for q in downstream) \
                and act.values[n] is not None and local.values[n] is not None:
            shown = [Shown(self.num(v), self.round(v)) for v in grads if v is not None]
            total = Shown(self.group(self.plus([x.text for x in shown])), sp.Add(*[x.value for x in shown]))
            factors = [total, *self._numbers([act.expr, local.expr], 0)]
            printed = Shown(self.product([x.text for x in factors], numbers=True), sp.Mul(*[x.value for x in factors]))
            true = sp.Add(*[q.gradients[n] for q in downstream]) * act.values[n] * local.values[n]
            numeric, _ = self._result(true, [printed])
            steps += numeric
        slip = Equation(head, _dedup(steps))
        right = [Step((self.product([self._grad_symbolic(g), *self._factors([act.expr, local.expr], 0)]),))]
        value = p.gradients[n]
        if value is not None and act.values[n] is not None and local.values[n] is not None:
            factors = [self._grad_numbers(g), *self._numbers([act.expr, local.expr], 0)]
            printed = Shown(self.product([x.text for x in factors], numbers=True), sp.Mul(*[x.value for x in factors]))
            numeric, _ = self._result(value, [printed], self.gradient_value(p))
            right += numeric
        return slip, Equation(self.partial(e, p.param), _dedup(right))

    def forward_matrix(self, index: int) -> Equation:
        """One layer's forward pass as a row vector times a matrix, as seed 002 writes it: [h1 h2] = [i1 i2]·M,
        column r of M the weights into neuron r (the transpose of the layer's W), plus the biases as a row; for
        an identity activation, where the product is the layer's output. Symbols, numbers, the outputs."""
        layer = self.net.layers[index - 1]
        W, B = grid(layer), biases(layer)
        if W is None:
            raise ValueError(f"layer {layer.name!r} ({layer.kind}) has no weight matrix")
        cols = range(len(layer.outs))
        rows = range(len(layer.inputs))

        def row(entries: Sequence[str]) -> str:
            return bmatrix([list(entries)])

        def product(entry: Callable[[sp.Symbol], str]) -> str:
            text = row([entry(a) for a in layer.inputs]) + " " + bmatrix(
                [[entry(W[r][c]) for r in cols] for c in rows])
            if any(b is not None for b in B):  # a threshold θ enters as −θ (Negnevitsky's fixed input −1)
                text += (" - " if layer.threshold else " + ") + row([entry(b) if b is not None else "0" for b in B])
            return text

        steps = [Step((product(self.sym),))]
        if all(s in self.shown for s in (*layer.inputs, *layer.outs, *[w for r in W for w in r],
                                         *[b for b in B if b is not None])):
            sign = -1 if layer.threshold else 1
            printed = [sp.Add(*[self.shown[a] * self.shown[W[r][c]] for c, a in enumerate(layer.inputs)])
                       + (sign * self.shown[b] if b is not None else 0) for r, b in enumerate(B)]
            rel = "=" if all(self._rel(v, self.shown[o]) == "=" for v, o in zip(printed, layer.outs, strict=True)) \
                else (r"\approx" if self.latex else "≈")
            steps += [Step((product(lambda s: self.plain[s]),)), Step((row([self.plain[o] for o in layer.outs]),), rel)]
        return Equation(row([self.sym(o) for o in layer.outs]), tuple(steps))

    def _factor_numbers(self, f: Factor) -> Shown:
        return self.numeric(f.expr)

    def closed_form(self, p: ParamDerivation) -> Equation | None:
        """∂E/∂p in the forward quantities: one formula for every sample (∂E^{(n)}/∂p with several)."""
        if p.closed_form is None:
            return None
        return Equation(self.sample_partial(p.param), (Step((self.expr(p.closed_form),)),))

    def gradient_value(self, p: ParamDerivation) -> sp.Expr | None:
        """The gradient as printed for this sample (computing its equation if not yet done)."""
        if p.param not in self.gradients:
            self.gradient(p)
        return self.gradients.get(p.param)

    def batch_gradient(self, p: ParamDerivation, per_sample: Sequence[Writer]) -> Equation:
        """Over several samples: the sum (or mean) of the per-sample gradients as printed."""
        values = [w.gradient_value(p) for w in per_sample]
        if any(v is None for v in values):
            return Equation(self.batch_partial(p.param), (Step(("?",)),))
        shown = [Shown(self.num(v), self.round(v)) for v in values if v is not None]
        total = Shown(self.plus([s.text for s in shown]), sp.Add(*[s.value for s in shown]))
        if self.net.spec.batch_loss == "mean":
            n = len(shown)
            total = Shown((rf"\frac{{1}}{{{n}}}" if self.latex else f"1/{n}") + self.num_mul + self.group(total.text),
                          total.value / n)
        steps = [Step((self._mean_of([self.partial_of(w, p.param) for w in per_sample]),))]
        numeric, result = self._result(p.gradient, [total])
        if result is not None:
            self.batch_gradients[p.param] = result
        return Equation(self.batch_partial(p.param), _dedup(steps + numeric))

    def sample_writers(self) -> list[Writer]:
        """A writer per sample (this one for its own sample), as printed alike."""
        if self._sample_writers is None:
            self._sample_writers = [
                self if i == self.sample else Writer(self.d, "latex" if self.latex else "text", self.form, i,
                                                     self.mul_option, self.rounded)
                for i in range(len(self.net.samples))]
        return self._sample_writers

    def batch_value(self, p: ParamDerivation) -> sp.Expr | None:
        """∂E/∂p of the batch as printed (one sample: that sample's gradient), the value an update uses."""
        if len(self.net.samples) == 1:
            return self.gradient_value(p)
        if p.param not in self.batch_gradients:
            self.batch_gradient(p, self.sample_writers())
        return self.batch_gradients.get(p.param)

    @staticmethod
    def partial_of(w: Writer, wrt: sp.Symbol) -> str:
        """∂E^{(n)}/∂wrt as that sample's writer prints it."""
        return w.partial(w.net.error, wrt)

    def _mean_of(self, terms: Sequence[str]) -> str:
        """The batch's combination of per-sample terms: their sum, or 1/N times it (batch_loss = "mean")."""
        total = self.plus(list(terms))
        if self.net.spec.batch_loss != "mean":
            return total
        n = len(terms)
        return (rf"\frac{{1}}{{{n}}}" if self.latex else f"1/{n}") + self.mul + self.group(total)

    def batch_loss(self, per_sample: Sequence[Writer], after: bool = False) -> Equation:
        """E = Σ E^{(n)} or (1/N) Σ E^{(n)}: the batch's error from the samples' errors as printed."""
        d = self.d
        true = d.loss_after if after else d.loss
        steps = [Step((self._mean_of([w.sym(w.net.error) for w in per_sample]),))]
        values = [w.shown.get(w.net.error) for w in per_sample]
        if true is not None and all(v is not None for v in values):
            shown = [Shown(w.numbers[w.net.error], v) for w, v in zip(per_sample, values, strict=True)
                     if v is not None]
            total = Shown(self.plus([s.text for s in shown]), sp.Add(*[s.value for s in shown]))
            if self.net.spec.batch_loss == "mean":
                n = len(shown)
                total = Shown((rf"\frac{{1}}{{{n}}}" if self.latex else f"1/{n}") + self.num_mul
                              + self.group(total.text), total.value / n)
            numeric, result = self._result(true, [total])
            steps += numeric
            if result is not None:
                self.batch_losses[after] = result
        return Equation(self.batch_sym(), _dedup(steps))

    def update(self, p: ParamDerivation) -> Equation:
        """p⁺ = p − η ∂E/∂p with the printed gradient (of the batch, with several samples)."""
        lr = self.net.learning_rate
        if p.frozen:
            kept = [Step((self.sym(p.param),))] + ([Step((self.value(p.value),))] if p.value is not None else [])
            return Equation(self.update_sign(p.param), tuple(kept), "frozen")
        rule = f"{self.sym(p.param)} - {self.product([self.sym(lr), self.batch_partial(p.param)])}"
        steps = [Step((rule,))]
        eta = self.shown.get(lr)
        grad = self.batch_value(p)
        value = self.shown.get(p.param)
        if value is not None and eta is not None and grad is not None:
            numbers = [self.numbers[lr], self.num(grad)]
            printed = Shown(f"{self.numbers[p.param]} - {self.product(numbers, numbers=True)}",
                            value - eta * self.round(grad))
            numeric, result = self._result(p.updated, [printed])
            steps += numeric
            if result is not None:
                self.updates[p.param] = result
        return Equation(self.update_sign(p.param), tuple(steps))

    def after(self, sample: int | None = None) -> Writer:
        """The forward pass with the updated parameters as printed (rounded mode) or exact, for this writer's
        sample or another one (the update is the batch's: call it on the writer that printed the batch)."""
        params = None
        if self.rounded:
            for p in self.d.params:
                self.update(p)
            params = {p.param: self.updates.get(p.param, p.value) for p in self.d.params if p.value is not None}
            params = {k: v for k, v in params.items() if v is not None}
        return Writer(self.d, "latex" if self.latex else "text", self.form,
                      self.sample if sample is None else sample, self.mul_option, self.rounded, after=True,
                      params=params)


def _dedup(steps: Sequence[Step]) -> tuple[Step, ...]:
    """Drop a step that repeats the one before it (e.g. a path sum that is already the δ form)."""
    out: list[Step] = []
    for s in steps:
        if out and s.terms == out[-1].terms:
            continue
        out.append(s)
    return tuple(out)


def bmatrix(rows: Sequence[Sequence[str]]) -> str:
    """A LaTeX matrix of the given entries, row by row."""
    return r"\begin{bmatrix}" + r" \\ ".join(" & ".join(r) for r in rows) + r"\end{bmatrix}"
