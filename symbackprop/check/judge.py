"""Judging: every member of every chain against the truth, the first wrong one located and diagnosed.

A symbolic member is right when it equals the truth: symbolically (the difference, written in the forward
quantities, cancels to 0) or, where SymPy cannot show it, by equal values at the network's numbers and
at random points (three witnesses, 50 digits). A number is right when it equals the true value to the
decimals the student wrote (0.03 for 0.0346); an arithmetic line of rounded numbers is right when the
true value lies within the rounding of the numbers it uses. A number that is wrong against the truth but
follows from the student's own previous (rounded) numbers is `rounding`, not an error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

import sympy as sp

from ..derive import evaluate
from ..notation import Notation
from .diagnose import Diagnosis, diagnose
from .parse import Chain, Element, Parsed, ParseError, RawName, RawPartial, Refused, parse
from .resolve import Resolver, Unresolved, raw_text
from .truth import Target, Truth

CORRECT, ROUNDING, INCORRECT = "correct", "rounding", "incorrect"
_DECIMAL = re.compile(r"(?<![\w.])(\d*\.\d+|\d+)(?![\w.])")
WITNESSES = (101, 202, 303)


@dataclass(frozen=True)
class LineVerdict:
    latex: str
    verdict: str  # correct | rounding | incorrect
    message: str
    expected: str = ""  # the correct line (LaTeX) where the student's is wrong


@dataclass
class Judged:
    lines: list[LineVerdict] = field(default_factory=list)
    diagnosis: list[Diagnosis] = field(default_factory=list)

    @property
    def first_wrong(self) -> int | None:
        return next((k for k, line in enumerate(self.lines) if line.verdict == INCORRECT), None)


class Judge:
    """Judges the chains of one answers file against one network, remembering the student's own names."""

    def __init__(self, truth: Truth, decimals_default: int = 4) -> None:
        self.truth = truth
        self.resolver = Resolver(truth, {})
        self.notation = Notation(truth.network)
        self.decimals_default = decimals_default

    # -- values -----------------------------------------------------------------------------------

    def forward_form(self, e: sp.Expr) -> sp.Expr:
        """δ symbols replaced by their expressions until only forward quantities and leaves remain."""
        return self.truth.forward(e)

    @cached_property
    def witnesses(self) -> tuple[Mapping[sp.Symbol, sp.Expr], ...]:
        """The network's own values (when it has them) and random points: made once, used by every comparison."""
        envs: list[Mapping[sp.Symbol, sp.Expr]] = []
        if self.truth.network.is_numeric():
            envs.append(self.truth.env)
        envs += [self.truth.random_env(seed) for seed in WITNESSES]
        return tuple(envs)

    def same(self, student: sp.Expr, truth: sp.Expr) -> tuple[bool, str]:
        """(equal?, how it was shown): "symbolic", "numeric" or the reason it is not equal."""
        s, t = self.forward_form(student), self.forward_form(truth)
        # values first: one point where they differ settles it, and most comparisons (every wrong variant a
        # diagnosis tries) end there, before the far costlier symbolic cancellation
        compared = 0
        for env in self.witnesses:
            a, b = evaluate(s, env), evaluate(t, env)
            if a is None or b is None:
                continue
            compared += 1
            if abs(a - b) > sp.Float("1e-25") * max(1, abs(b)):
                return False, "different values"
        difference = s - t
        try:
            if sp.count_ops(difference) < 4000 and sp.cancel(sp.expand(difference)) == 0:
                return True, "symbolic"
        except (sp.PolynomialError, RecursionError, TypeError, ValueError):  # pragma: no cover - SymPy limits
            pass
        if compared:
            return True, f"equal values at {compared} points"
        return False, "not equal symbolically"

    # -- one answer -------------------------------------------------------------------------------

    def answer(self, parsed: Parsed, target: Target, text: str) -> Judged:
        judged = Judged()
        for chain in parsed.chains:
            self.chain(chain, parsed.names, target, judged, text)
        return judged

    def chain(self, chain: Chain, names: Mapping[sp.Symbol, RawName | RawPartial], target: Target,
              judged: Judged, text: str) -> None:
        elements = list(chain.elements)
        truth_expr, truth_value, what = target.expr, target.value, target.quantity
        first = elements[0]
        start = 1
        head = self._single_name(first.expr, names)
        if head is not None and isinstance(head, RawName) and self.resolver.name(head) is None:
            # the student's own name (δ5): it means this answer's quantity from now on
            self.resolver.defined[head] = truth_expr
            judged.lines.append(LineVerdict(self._src(text, first), CORRECT,
                                            f"defines {raw_text(head)} as {what}"))
        elif head is not None and len(elements) > 1:
            try:
                resolved = self.resolver.expr(first.expr, names)
            except Unresolved as exc:
                judged.lines.append(LineVerdict(self._src(text, first), INCORRECT, exc.message))
                return
            if not self._equal(resolved, truth_expr):
                # a lemma ("where ∂E/∂o1 = o1 − y1"): the rest of the line is judged against its head
                truth_expr, truth_value = resolved, self.truth.value(self.forward_form(resolved))
                what = raw_text(head)
            judged.lines.append(LineVerdict(self._src(text, first), CORRECT, f"the quantity {what}"))
        else:
            start = 0
        previous: sp.Expr | None = None
        for k in range(start, len(elements)):
            element = elements[k]
            verdict, previous = self.element(element, names, truth_expr, truth_value, previous, text)
            judged.lines.append(verdict)
            if verdict.verdict == INCORRECT and not judged.diagnosis:
                judged.diagnosis += diagnose(self, element, names, truth_expr, truth_value, target,
                                             len(judged.lines) - 1)

    def _equal(self, a: sp.Expr, b: sp.Expr) -> bool:
        return self.same(a, b)[0]

    @staticmethod
    def _single_name(e: sp.Expr, names: Mapping[sp.Symbol, RawName | RawPartial]) -> RawName | RawPartial | None:
        return names.get(e) if isinstance(e, sp.Symbol) else None

    @staticmethod
    def _src(text: str, element: Element) -> str:
        return text[element.start:element.end].strip()

    def element(self, element: Element, names: Mapping[sp.Symbol, RawName | RawPartial], truth: sp.Expr,
                value: sp.Expr | None, previous: sp.Expr | None, text: str) -> tuple[LineVerdict, sp.Expr | None]:
        src = self._src(text, element)
        expected = f"{self.notation.latex(truth)}"
        try:
            student = self.resolver.expr(element.expr, names)
        except Unresolved as exc:
            return LineVerdict(src, INCORRECT, exc.message, expected), previous
        if not student.free_symbols and not student.atoms(sp.Function):
            return self.number(src, student, element.literal, value, previous)
        ok, how = self.same(student, truth)
        now = self.truth.value(self.forward_form(student)) if self.truth.network.is_numeric() else None
        if ok:
            return LineVerdict(src, CORRECT, "equal to the truth" + (" (shown symbolically)" if how == "symbolic"
                                                                     else f" ({how})")), now
        return LineVerdict(src, INCORRECT, f"not equal to {what_of(self, truth)}", expected), now

    def tolerance(self, src: str, value: sp.Expr) -> sp.Expr:
        """How far the rounding of the numbers written can move this arithmetic line: Σ |∂line/∂x| · ½ ulp(x)
        over the written decimals x, from the line itself re-read with each number as a variable. Numbers
        that are exact values of the network (w5 = 0.4) are not rounded."""
        literals = [m for m in _DECIMAL.finditer(src) if "." in m.group()]
        if not literals:
            return sp.Rational(0)
        exact = {v for v in self.truth.network.values.values() if v is not None}
        exact |= {v for sample in self.truth.network.samples for v in sample.values()}
        marked, last = [], 0
        for k, m in enumerate(literals):
            marked += [src[last:m.start()], rf"\nu_{{{k}}}"]
            last = m.end()
        marked.append(src[last:])
        try:
            reread = parse("".join(marked), timeout=1.0)
            line = reread.chains[0].elements[0].expr
        except (ParseError, Refused, IndexError):
            return _coarse_tolerance(src, value)
        by_index = {int(raw.sub): sym for sym, raw in reread.names.items()
                    if isinstance(raw, RawName) and raw.base == "nu" and raw.sub.isdigit()}
        values = {sym: sp.Rational(literals[k].group()) for k, sym in by_index.items() if k < len(literals)}
        if len(values) != len(literals) or line.free_symbols - set(values):
            return _coarse_tolerance(src, value)
        total = sp.Rational(0)
        for k, sym in by_index.items():
            x = values[sym]
            if x in exact or -x in exact:
                continue
            slope = evaluate(sp.diff(line, sym), values)
            if slope is not None:
                total += abs(slope) * sp.Rational(1, 2) / sp.Integer(10) ** _places(literals[k].group())
        return total * sp.Rational(3, 2) + sp.Rational(1, 10**12)

    def number(self, src: str, student: sp.Expr, literal: str | None, value: sp.Expr | None,
               previous: sp.Expr | None) -> tuple[LineVerdict, sp.Expr | None]:
        if value is None:
            return LineVerdict(src, INCORRECT, "a number, but the network is symbolic"), previous
        shown = sp.Rational(student) if student.is_Rational else student.evalf(50)
        if literal is not None:
            places = _places(literal)
            if _round(value, places) == _round(shown, places):
                return LineVerdict(src, CORRECT, f"{literal} is the true value {_fmt(value)} to {places} decimals"), \
                    shown
            if previous is not None and _round(previous, places) == _round(shown, places):
                return LineVerdict(src, ROUNDING, f"{literal} follows from the rounded numbers before it; the exact "
                                   f"value is {_fmt(value, places + 2)}"), shown
            return LineVerdict(src, INCORRECT, f"{literal} is not {_fmt(value, places + 2)} to {places} decimals",
                               _fmt(value, places + 2)), shown
        tolerance = self.tolerance(src, value)
        if abs(shown - value) <= tolerance:
            return LineVerdict(src, CORRECT, f"= {_fmt(shown)}, the true value {_fmt(value)} within the rounding "
                               "of the numbers used"), shown
        if previous is not None and abs(shown - previous) <= self.tolerance(src, previous):
            return LineVerdict(src, ROUNDING, f"= {_fmt(shown)} follows from the rounded numbers before it; the "
                               f"exact value is {_fmt(value)}"), shown
        return LineVerdict(src, INCORRECT, f"= {_fmt(shown)}, but the true value is {_fmt(value)}", _fmt(value)), shown


def what_of(judge: Judge, e: sp.Expr) -> str:
    return f"${judge.notation.latex(e)}$"


def _places(literal: str) -> int:
    return len(literal.split(".")[1]) if "." in literal else 0


def _round(x: sp.Expr, places: int) -> Decimal:
    d = Decimal(str(sp.Float(x, 60)))
    return d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _fmt(x: sp.Expr, places: int | None = None) -> str:
    if places is not None:
        return f"{_round(x, places):f}"
    return f"{Decimal(str(sp.Float(x, 60))):.6g}"


def _coarse_tolerance(src: str, value: sp.Expr) -> sp.Expr:
    """Without the line's structure: half a unit in the last place of each number, scaled by its weight."""
    total = sp.Rational(0)
    for text in _DECIMAL.findall(src):
        if "." not in text:
            continue  # integers (1 − o, ½) are exact
        number = abs(sp.Rational(text))
        half = sp.Rational(1, 2) / sp.Integer(10) ** _places(text)
        total += half * (1 + (abs(value) / number if number else 0))
    return total * sp.Rational(11, 10)
