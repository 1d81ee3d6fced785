"""Naming the mistake: the true derivative rebuilt with one common slip at a time.

The gradient is the sum over the paths from the error to the parameter of the product of local
derivatives. Each slip changes those factors in a known way — the activation derivative left out, the
loss derivative's sign flipped, the ½ forgotten, the wrong weight on a path, the per-weight δ (the
activation) where the weight belongs (seed 000's δ1 = (δ5 + δ6)·…), the updated weights in the
backward pass, the wrong input, another activation's derivative. A wrong line that equals one of these
variants (symbolically, or in value at the network's numbers) gets that diagnosis and the correct line; so does
a member of numbers after a right formula whose value is a variant's within the rounding of its numbers, and, at a
later step, one with the values of before the last update put in.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

import sympy as sp

from ..activations import Activation, make
from ..derive import evaluate
from ..layers import biases, grid
from ..network import Kind, Layer
from .catalogue import PRIORITY
from .parse import Element, RawName, RawPartial
from .resolve import Unresolved
from .truth import Target
from .written import decimals, rounds_to
from .written import near as _near
from .written import places as _places
from .written import rounds_to as _rounds_to
from .written import significant as _significant
from .written import ulp as _ulp

if TYPE_CHECKING:
    from .judge import ChainInfo, Judge, LineVerdict

Factor = tuple[sp.Symbol, sp.Symbol, sp.Expr]  # (of, wrt, local derivative)
MAX_VARIANTS = 60
MAX_LAYING_STEPS = 5000


@dataclass(frozen=True)
class Diagnosis:
    kind: str
    message: str
    corrected: str  # the correct line, LaTeX
    line: int  # index of the judged line it explains


LINE_KINDS = frozenset({"too_few_digits", "wrong_substituted_value", "unknown_factor", "follows_wrong_line"})


def diagnose(judge: Judge, element: Element, names: Mapping[sp.Symbol, RawName | RawPartial], truth: sp.Expr,
             value: sp.Expr | None, target: Target, line: int, verdict: LineVerdict | None = None,
             after_right_formula: bool = False, after_right_numbers: bool = False,
             after_right_algebra: bool = False) -> list[Diagnosis]:
    """The first wrong member's diagnosis: what the line itself shows, else the first slip (by the catalogue's
    priority) whose result the member equals, else an arithmetic slip (a number after a right formula, or any
    wrong numbers after a right member of numbers) or the factors that differ."""
    corrected = judge.notation.latex(truth)
    number = (element.expr if element.expr.is_Rational else element.expr.evalf(50)) if after_right_numbers else None
    if number is not None and value is not None and (verdict is None or verdict.kind != "too_few_digits") \
            and (element.literal is not None or number.is_Number):  # (sigmoid(0.18): a function left to the judge)
        shown = element.literal or _fmt(number)
        return [Diagnosis("arithmetic_slip", judge.say("arithmetic_slip", shown=shown, value=_fmt(value)),
                          _fmt(value), line)]
    lemma = judge.truth.quantity_of(truth) if truth is not target.expr else None
    sign: sp.Expr = sp.Integer(1)
    if lemma is None and truth is not target.expr:  # Mitchell's δ = −∂E/∂net, defined on the line: −(its slips)
        lemma = judge.truth.quantity_of(-truth)
        sign = sp.Integer(-1)
    eta = judge.truth.network.learning_rate
    if lemma is None and truth is not target.expr and truth.has(eta):  # Δb_1 = −η ∂E/∂b_1: −η (its gradient's slips)
        lemma = _gradient_of(judge, -truth / eta)
        sign = -eta if lemma is not None else sp.Integer(1)
    if lemma is not None:  # a where-line about another quantity (δ_h1 in an answer for ∂E/∂w1): its own slips
        target = lemma
    about = truth is target.expr or lemma is not None  # the slips of `target` are the line's
    if verdict is not None and verdict.kind in LINE_KINDS:
        # a number no factor has, or another quantity's: which factor it was put for, when one fits
        if value is not None and verdict.kind in ("unknown_factor", "wrong_substituted_value"):
            try:
                stale = _stale(judge, judge.resolver.expr(element.expr, names), truth, value)
            except Unresolved:
                stale = None
            if stale is not None:
                return [Diagnosis(stale[0], stale[1], _fmt(value), line)]
        if value is not None and verdict.kind in ("unknown_factor", "wrong_substituted_value"):
            substituted = _substituted(judge, value, truth)
            if substituted is not None and (verdict.kind == "unknown_factor" or substituted[0] == "updated_weights"):
                return [Diagnosis(substituted[0], substituted[1], _fmt(value), line)]
        if verdict.kind in ("unknown_factor", "wrong_substituted_value") and about and value is not None:
            # (another quantity's value in a factor's place: the slip whose numbers these are, when one's are —
            # net_h1 = 0.3775 put in out_h1(1 − out_h1) is σ′ taken at the net input)
            try:
                slip = _numeric_slip(judge, judge.resolver.expr(element.expr, names), target, sign, value)
            except Unresolved:
                slip = None
            if slip is not None and (verdict.kind == "unknown_factor" or slip[0] != "wrong_input"):
                return [Diagnosis(slip[0], slip[1], _fmt(value), line)]  # (another input's value: the line's own
        return [Diagnosis(verdict.kind, verdict.message, verdict.expected or corrected, line)]  # words say which)
    try:
        student = verdict.reading if verdict is not None and verdict.reading is not None \
            else judge.resolver.expr(element.expr, names)
    except Unresolved:
        return []
    if student.has(sp.Abs) and (dropped := _sign_dropped(judge, student, truth, target)) is not None:
        return [Diagnosis(dropped, judge.say(dropped) if dropped == "update_sign" else judge.say("sign_opposite"),
                          corrected, line)]
    stale = _stale(judge, student, truth, value) if value is not None else None
    if stale is not None:  # a step after the first, with values from before the last update
        return [Diagnosis(stale[0], stale[1], _fmt(value), line)]
    if after_right_formula and not student.free_symbols and value is not None:  # the formula was right
        substituted = _substituted(judge, value, truth)
        if substituted is not None:
            return [Diagnosis(substituted[0], substituted[1], _fmt(value), line)]
        # the numbers put in are those of a known slip (σ′ = z(1 − z) worked out, another weight's value)
        slip = _numeric_slip(judge, student, target, sign, value) if about else None
        if slip is None and truth is target.expr:
            slip = _other_gradient_value(judge, student, element.literal, target) \
                or _delta_value_of(judge, student, element.literal, value, target)
        if slip is not None:
            return [Diagnosis(slip[0], slip[1], _fmt(value), line)]
        if value != 0 and element.literal is not None and _rounds_to(element.literal.lstrip("-"), value) \
                and (student < 0) != (value < 0):  # 2.2602540e-02 printed for −2.2602540e-02: t − o in the code
            return [Diagnosis("sign_flipped", judge.say("sign_opposite"), _fmt(value), line)]
        shown = element.literal or _fmt(sp.Rational(student) if student.is_Rational else student.evalf(50))
        return [Diagnosis("arithmetic_slip", judge.say("arithmetic_slip", shown=shown, value=_fmt(value)),
                          _fmt(value), line)]
    if sign.has(eta) and judge.truth.env.get(eta) != 1 \
            and _matches(judge, student, truth.xreplace({eta: sp.Integer(1)}), element.literal):
        # Δw_36 = δ_6 o_3 (a step written without η): with η = ½ also "a factor 2" of the gradient — the rate it is
        return [Diagnosis("missing_learning_rate", judge.say("missing_learning_rate"), corrected, line)]
    if about:
        old = judge.truth.value(target.param) \
            if target.kind == "update" and target.param is not None and sign == 1 else None
        found = [(PRIORITY[kind], n, kind, message)
                 for n, (kind, message, variant) in enumerate(variants(judge, target))
                 if _matches(judge, student, sign * variant, element.literal, old)
                 and not _no_slip(judge, student, sign * variant, truth)]
        own = [f for f in found if f[2] in ("update_sign", "missing_learning_rate")]
        if own and not student.free_symbols:
            found = own  # (a number: a step whose value another slip's shares — seed 004's i_2 = 2 i_1, with η = ½,
            # makes w − η·g(i_2) the step without η — is said as the update's own slip)
        if found:
            # (ΔW = α ∂E/∂W, a derivative written: the sign of the relation, said as the sign flipped)
            written = any(isinstance(names.get(s), RawPartial) for s in element.expr.free_symbols)
            _, _, kind, message = min(found) if written else _as_step(judge, sign, min(found))
            return [Diagnosis(kind, message, corrected, line)]
    if truth.has(eta) and judge.truth.env.get(eta) != 1 \
            and _matches(judge, student, truth.xreplace({eta: sp.Integer(1)}), element.literal):
        # Δw_5 = −∂E/∂w_5 (a step, a where-line): the learning rate left out
        return [Diagnosis("missing_learning_rate", judge.say("missing_learning_rate"), corrected, line)]
    if lemma is None and truth is not target.expr and (swapped := _swapped_symbol(judge, student, truth)):
        # ∂net_{h1}/∂w_2 = i_1, w^3_{21} = w_7: a factor of the chain rule named on its own line, another of its kind
        return [Diagnosis(swapped[0], swapped[1], corrected, line)]
    if student.free_symbols:
        named = _activation_lemma(judge, truth) or _other_quantity(judge, student, target)
        if named is not None and named[0] == "other_quantity" and lemma is not None and lemma.kind in ("out", "net"):
            # ∂net_{o1}/∂w_6 = out_{h1}: a factor of the chain rule that is another neuron's value, a wrong input
            used = judge.notation.latex(student)
            named = "wrong_input", judge.say("wrong_input", used=f"${used}$", right=f"${judge.notation.latex(truth)}$")
        if named is not None:
            return [Diagnosis(named[0], named[1], corrected, line)]
    if not student.free_symbols and value is not None \
            and (other := _other_gradient_value(judge, student, element.literal, target)
                 or _update_part(judge, student, element.literal, target)) is not None:
        return [Diagnosis(other[0], other[1], corrected, line)]
    if not student.free_symbols and value is not None:
        other = None if after_right_formula else _forward_value_of(judge, element.literal, value, target) \
            or _delta_value_of(judge, student, element.literal, value, target)
        if other is not None:
            return [Diagnosis(other[0], other[1], corrected, line)]
        shown = element.literal or _fmt(sp.Rational(student) if student.is_Rational else student.evalf(50))
        kind = "arithmetic_slip" if after_right_formula else "wrong_value"
        return [Diagnosis(kind, judge.say(kind, shown=shown, value=_fmt(value)), _fmt(value), line)]
    if after_right_algebra and student.free_symbols:  # O(1 − O) w_5 h(1 − h) = … (h + h²): the rewriting slipped
        return [Diagnosis("arithmetic_slip", judge.say("algebra_slip", expected=f"${corrected}$"), corrected, line)]
    if student.free_symbols and (act := _activation_apart(judge, student, truth)) is not None:
        return [Diagnosis("activation_derivative_wrong", judge.say("activation_derivative_wrong", right=act),
                          corrected, line)]
    return [Diagnosis("different", _difference(judge, student, truth), corrected, line)]


def _sign_dropped(judge: Judge, student: sp.Expr, truth: sp.Expr, target: Target) -> str | None:
    """w − η|∂E/∂w|: the formula but for an absolute value, whose argument is negative here — the gradient's sign
    dropped (an update then goes uphill); None when the bars change nothing or more than the bars is wrong."""
    bars = student.atoms(sp.Abs)
    if len(bars) != 1:
        return None
    bar = bars.pop()
    for inside in (bar.args[0], -bar.args[0]):  # (SymPy keeps |x| as it likes: |(o − 1)…| for |(1 − o)…|)
        if judge.same(student.xreplace({bar: inside}), truth)[0]:
            v = judge.truth.value(judge.forward_form(inside))
            if v is not None and v.is_real and v < 0:
                return "update_sign" if target.kind == "update" else "sign_flipped"
    return None


def _activation_apart(judge: Judge, student: sp.Expr, truth: sp.Expr) -> str | None:
    """A product that differs from the truth only in factors of one neuron's net input and output (its σ′ written
    e^{−net}/(1 + e^{−net}), without the square): that neuron's activation derivative is wrong — its activation's
    name, or None. (The factors compared as written, each side's own: no simplification.)"""
    s_factors = list(sp.Mul.make_args(sp.factor_terms(judge.forward_form(student))))
    t_factors = list(sp.Mul.make_args(sp.factor_terms(judge.forward_form(truth))))
    extra = [f for f in s_factors if f not in t_factors and -f not in t_factors]
    missing = [f for f in t_factors if f not in s_factors and -f not in s_factors]
    extra, missing = _values_put_in(judge, extra, missing)
    differing = set().union(*(f.free_symbols for f in extra + missing))
    if not extra or not missing or not differing:
        return None
    for layer in judge.truth.network.layers:
        for r, (net, out) in enumerate(zip(layer.nets, layer.outs, strict=True)):
            if layer.activation.elementwise and differing <= {net, out}:
                return layer.activation_of(r).name
    return None


def _values_put_in(judge: Judge, extra: list[sp.Expr], missing: list[sp.Expr]
                   ) -> tuple[list[sp.Expr], list[sp.Expr]]:
    """1.0086e-01 × (1 − h_2²) × 0.3 beside the truth's factors: the number written is the value of some of the
    factors missing (their product, to the digits written) — those factors, put in, are not missing."""
    numbers = [f for f in extra if f.is_Number]
    if len(numbers) != 1 or not judge.truth.network.is_numeric():
        return extra, missing
    written = abs(numbers[0])
    # (a hand-worked product puts in a few factors' values: three at most, so the search stays small)
    for chosen in (c for n in range(1, min(len(missing), 4)) for c in itertools.combinations(missing, n)):
        value = judge.truth.value(sp.Mul(*chosen))
        if value is not None and value != 0 and abs(abs(value) - written) < 2e-3 * written:
            return [f for f in extra if f is not numbers[0]], [f for f in missing if f not in chosen]
    return extra, missing


def _numeric_slip(judge: Judge, student: sp.Expr, target: Target, sign: sp.Expr, value: sp.Expr
                  ) -> tuple[str, str] | None:
    """A member of numbers (after a right formula, or a number no factor has) whose value is, within the rounding
    of the numbers written, that of one slip of `target` and clearly not the truth: the numbers put in are those of
    the slip (z(1 − z) worked out for a(1 − a), w_7's value for w_6's, x_1's for x_2's)."""
    student = student if student.is_Rational else student.evalf(50)
    if student.free_symbols or not student.is_real or not judge.arithmetic or not decimals(judge.arithmetic[-1]):
        return None
    src = judge.arithmetic[-1]
    found = []
    for n, (kind, message, variant) in enumerate(variants(judge, target)):
        v = judge.truth.value(judge.forward_form(sign * variant))
        if v is None or not v.is_real:
            continue
        tolerance = judge.tolerance(src, v)
        if abs(v - value) > 4 * tolerance and abs(student - v) <= tolerance:
            found.append((PRIORITY[kind], n, kind, message))
    if not found:
        return None
    _, _, kind, message = _as_step(judge, sign, min(found))
    return kind, message


def _as_step(judge: Judge, sign: sp.Expr, found: tuple[int, int, str, str]) -> tuple[int, int, str, str]:
    """On a step's line (Δw = −η ∂E/∂w: `sign` has η), the gradient's sign flipped is a step uphill: Δw = +η·g,
    w + Δw going against the gradient, an update's sign."""
    if found[2] == "sign_flipped" and sign.has(judge.truth.network.learning_rate):
        return found[0], found[1], "update_sign", judge.say("update_sign")
    return found


def unreached(judge: Judge, chains: Sequence[ChainInfo], names: Mapping[sp.Symbol, RawName | RawPartial],
              target: Target, line: int) -> Diagnosis | None:
    """No chain about the asked quantity, but a line about a name of the student's own (δ_2 = (δ_7 + δ_8)·…, when
    their δ_2 is not the network's) states, as a formula or a number, the asked quantity with one known slip: that
    line is the answer, and the slip its diagnosis (else the answer is incomplete)."""
    if not target.expr.free_symbols:
        return None
    if target.kind == "update" and target.param is not None:
        step = target.expr - target.param  # (Δw_8 = −η ∂E/∂w_8 = −0.071105, asked for the new w_8: the step alone)
        for chain in chains:
            if chain.about == "lemma" and chain.head is not None and chain.head.free_symbols \
                    and judge.same(chain.head, step)[0]:
                return Diagnosis("other_quantity", judge.say(
                    "other_quantity", what=f"${judge.notation.latex(chain.head)}$", quantity=f"Δ{target.param}",
                    asked=target.quantity), judge.notation.latex(target.expr), line)
    slips = list(variants(judge, target))
    truth_value = target.value
    for chain in reversed(chains):
        if chain.about != "lemma":
            continue
        for x in reversed(chain.elements):
            try:
                e = judge.resolver.expr(x, names)
            except Unresolved:
                continue
            if e.free_symbols:
                if judge.same(e, target.expr)[0]:
                    return None
                found = [(PRIORITY[kind], n, kind, message) for n, (kind, message, variant) in enumerate(slips)
                         if judge.same(e, variant)[0]]
            else:
                shown = e if e.is_Rational else e.evalf(50)
                if truth_value is None or not shown.is_real or shown == 0 or not truth_value.is_real \
                        or abs(shown - truth_value) <= abs(truth_value) / 100:
                    continue
                found = []
                for n, (kind, message, variant) in enumerate(slips):
                    v = judge.truth.value(judge.forward_form(variant))
                    if v is not None and v.is_real and abs(shown - v) <= abs(v) / 1000:
                        found.append((PRIORITY[kind], n, kind, message))
            if found:
                _, _, kind, message = min(found)
                other = judge.truth.quantity_of(chain.head) if chain.head is not None else None
                if other is not None and other.expr != target.expr:  # δ_O = ∂E/∂out_O: another quantity, named
                    what = f"${judge.notation.latex(other.expr)}$"
                    kind, message = "other_quantity", judge.say("other_quantity", what=what, quantity=other.quantity,
                                                                asked=target.quantity)
                    if target.kind == "delta" and other.quantity == "dE/d" + target.quantity.removeprefix("delta_"):
                        kind, message = "missing_activation_derivative", judge.say(
                            "delta_is_output_gradient", what=what, quantity=other.quantity, asked=target.quantity)
                return Diagnosis(kind, message, judge.notation.latex(target.expr), line)
    return None


def written_slip(judge: Judge, text: str, target: Target, line: int) -> Diagnosis | None:
    """No line read gives the asked quantity, but a number the answer writes (a program's printout, a comment's
    result) is, to its digits — four significant at least —, the value of one known slip (w5 ← w5 + η g printed as
    0.453409): that slip (the last such number decides)."""
    value = target.value
    if not judge.truth.network.is_numeric() or value is None or not value.is_real:
        return None
    written = [w for w in decimals(text) if _significant(abs(w.value), _places(w.text.lstrip("-"))) >= 4
               and not _rounds_to(w.text.lstrip("-"), abs(value))]
    if not written:
        return None
    found = []
    for n, (kind, message, variant) in enumerate(variants(judge, target)):
        v = judge.truth.value(judge.forward_form(variant))
        if v is not None and v.is_real and not _rounds_to(f"{abs(v)}", abs(value)):
            found += [(-w.start, PRIORITY[kind], n, kind, message) for w in written
                      if (w.value < 0) == (v < 0) and _rounds_to(w.text.lstrip("-"), abs(v))]
    if not found:
        return None
    *_, kind, message = min(found)
    return Diagnosis(kind, message, judge.notation.latex(target.expr), line)


def _stale(judge: Judge, student: sp.Expr, truth: sp.Expr, value: sp.Expr) -> tuple[str, str] | None:
    """A member of numbers at a step after the first whose value is the truth's with the weights in it (or the
    forward values in it) taken from before the last update (the first pass's w_5 = 0.4, out_{h1}): a stale weight,
    a stale value substituted."""
    if student.free_symbols or not judge.arithmetic or not decimals(judge.arithmetic[-1]):
        return None
    previous = judge.previous
    if previous is None:
        return None
    src = judge.arithmetic[-1]
    shown = student if student.is_Rational else student.evalf(50)
    if not shown.is_real:
        return None
    net = judge.truth.network
    forms = [judge.forward_form(truth)]
    e = truth if isinstance(truth, sp.Symbol) else forms[0]
    while isinstance(e, sp.Symbol) and e in net.quantities and net.quantities[e].definition is not None \
            and len(forms) < 4:  # net_{o1} = w_5 out_{h1} + w_6 out_{h2} + b_2: its own factors (a linear output's
        e = net.quantities[e].definition  # out = net_out = h_1 w_5 + h_2 w_6, its forward form in the inputs)
        forms.insert(0, e)
    for form in forms:
        found = _stale_in(judge, form, shown, value, previous.env, src)
        if found is not None:
            return found
    return None


def _stale_in(judge: Judge, form: sp.Expr, shown: sp.Expr, value: sp.Expr, old: Mapping[sp.Symbol, sp.Expr],
              src: str) -> tuple[str, str] | None:
    """_stale, for the truth written as `form`."""
    net = judge.truth.network
    env = judge.truth.env
    leaves = set(judge.leaves)
    changed = sorted((q for q in form.free_symbols if q in env and q in old and old[q] != env[q]), key=str)
    params = [q for q in changed if q in set(net.params)]
    forward = [q for q in changed if q not in leaves]
    exact = judge.givens | {abs(old[q]) for q in leaves if q in old and old[q].is_number}
    written = decimals(src)
    deviations = [sp.Rational(0) if abs(d.value) in exact else _ulp(d.text) / 2 for d in written]
    options = [("wrong_weight", params), *(("wrong_weight", [q]) for q in params if len(params) > 1),
               ("wrong_substituted_value", forward), ("wrong_substituted_value", [*params, *forward])]
    for kind, stale in options:
        if not stale:
            continue
        v = evaluate(form, {**env, **{q: old[q] for q in stale}})
        if v is None or not v.is_real:
            continue
        tolerance = judge.tolerance(src, v, deviations)
        if abs(v - value) > 4 * tolerance and abs(shown - v) <= tolerance:
            latex = judge.notation.latex
            return kind, judge.say("stale_values", names=", ".join(f"${latex(q)}$" for q in stale),
                                   old=", ".join(_fmt(old[q]) for q in stale),
                                   new=", ".join(_fmt(env[q]) for q in stale))
    return None


def _swapped_symbol(judge: Judge, student: sp.Expr, truth: sp.Expr) -> tuple[str, str] | None:
    """A line whose truth is one weight (w^3_{21} = w_6) or one input of a layer (∂net_{h1}/∂w_2 = i_2), written as
    another weight, or another input or output: a wrong weight, a wrong input."""
    if not isinstance(truth, sp.Symbol) or not isinstance(student, sp.Symbol) or student == truth:
        return None
    quantities = judge.truth.network.quantities
    if truth not in quantities or student not in quantities:
        return None
    kinds = quantities[truth].kind, quantities[student].kind
    inputs = (Kind.INPUT, Kind.OUT)
    weights = {w for layer in judge.truth.network.layers for row in grid(layer) or () for w in row if w is not None}
    if kinds == (Kind.PARAM, Kind.PARAM) and {truth, student} <= weights:
        key = "wrong_weight"
    elif kinds[0] in inputs and kinds[1] in inputs:
        key = "wrong_input"
    else:
        return None
    latex = judge.notation.latex
    return key, judge.say(key, used=f"${latex(student)}$", right=f"${latex(truth)}$")


def _forward_value_of(judge: Judge, literal: str | None, value: sp.Expr, target: Target) -> tuple[str, str] | None:
    """o_1 = 1.105905967 asked out_o1: a number alone that is, to 3 significant digits or more, the value of another
    neuron's net input or output (net_o1), not the asked one's: that quantity was given for it."""
    if literal is None or _rounds_to(literal, value):
        return None
    forward = ((q, judge.truth.env.get(q), quantity) for layer in judge.truth.network.layers
               for q, quantity in [*((q, f"net_{n}") for n, q in zip(layer.neurons, layer.nets, strict=True)),
                                   *((q, n) for n, q in zip(layer.neurons, layer.outs, strict=True))]
               if q != target.expr)
    return _another_value(judge, sp.Rational(literal), literal, forward, target)


def _delta_value_of(judge: Judge, student: sp.Expr, literal: str | None, value: sp.Expr, target: Target
                    ) -> tuple[str, str] | None:
    """∂l/∂h_1 = (Wᵀ ∂l/∂o)_1 ⊙ (1 − h_1²) = −0.37133738: a number that is, to 3 significant digits or more (worked
    out: to 1 in 2000), another neuron's error term δ = ∂E/∂net (the slope multiplied in once too often): that
    quantity was given for it."""
    if student.free_symbols or (literal is not None and _rounds_to(literal, value)):
        return None
    x = sp.Rational(literal) if literal is not None else student.evalf(30)
    deltas = ((d, judge.truth.value(judge.forward_form(d)), other.quantity) for d in judge.truth.deltas
              if (other := judge.truth.quantity_of(d)) is not None and other.expr != target.expr)
    return _another_value(judge, x, literal, deltas, target)


def _another_value(judge: Judge, x: sp.Expr, literal: str | None,
                   candidates: Iterable[tuple[sp.Expr, sp.Expr | None, str]], target: Target) -> tuple[str, str] | None:
    """The first (quantity, its value, its name) whose value the number x is: written, a right rounding to 3
    significant digits or more; worked out (no literal), to 1 in 2000 — as other_quantity, said of that one."""
    for q, v, quantity in candidates:
        if v is None or not v.is_real or v == 0 or sp.sign(v) != sp.sign(x):
            continue
        close = _significant(v, _places(literal)) >= 3 and _rounds_to(literal, v) if literal is not None \
            else abs(x - v) <= abs(v) / 2000
        if close:
            return "other_quantity", judge.say("other_quantity", what=f"${judge.notation.latex(q)}$",
                                               quantity=quantity, asked=target.quantity)
    return None


def _gradient_of(judge: Judge, e: sp.Expr) -> Target | None:
    """The gradient ∂E/∂p that e is (a step's truth divided by −η), as the quantity to diagnose."""
    truth = judge.truth
    if truth.step:
        return None
    for p in truth.network.params:
        if e.free_symbols and judge.same(e, truth.partial_of(truth.loss, p))[0]:
            return truth.target(f"dE/d{p.name}")
    return None


def _substituted(judge: Judge, value: sp.Expr, truth: sp.Expr) -> tuple[str, str] | None:
    """An arithmetic line after a right formula that gives the truth when one of its numbers is replaced by the true
    value of a quantity of the network: that number was substituted for it (another quantity's value: i_2 for i_1,
    the other sample's input, a target's sign; or a weight after its update: the updated weights)."""
    marked = judge.marked(judge.arithmetic[-1]) if judge.arithmetic else None
    if marked is None:
        return None
    line, by_index, values = marked
    if isinstance(line, sp.Symbol):  # a number alone: nothing was substituted into a formula
        return None
    tolerance = judge.tolerance(judge.arithmetic[-1], value)
    known = [(q, v) for q, v in judge.named_values.items() if v.is_real and v != 0 and not isinstance(q, sp.Dummy)]
    env = judge.truth.env
    given = {abs(env[s]) for s in judge.forward_form(truth).free_symbols & set(judge.leaves) if s in env}
    hits: dict[int, list[tuple[sp.Expr, sp.Expr]]] = {}
    for k, nu in by_index.items():
        factor = abs(values[nu]) in given  # the value of a given number of the formula: only its sign can be the slip
        for q, v in known:
            for x in ({v} if factor else {v, abs(v)}):  # (a negative target written without its sign)
                if x == values[nu] or (factor and x != -values[nu]):
                    continue
                r = evaluate(line, {**values, nu: x})
                if r is not None and r.is_real and abs(r - value) <= tolerance:
                    hits.setdefault(k, []).append((q, v))
    literals = decimals(judge.arithmetic[-1])
    if len(hits) > 1 and judge.formula is not None:
        # several numbers would give the truth in another's place (0.50 · 0.5933 + 0.55 · 0.5933 + 0.60, where
        # w_7 ≈ w_8 and b_2 = 0.60 ≈ out_h2): the one whose place in the formula is the quantity's
        placed = _aligned(line, by_index, [d.text for d in literals], judge.formula, judge.truth.env)
        if placed is not None:
            hits = {k: [(q, v) for q, v in found if placed.get(k) == q and not _rounds_to(literals[k].text, abs(v))]
                    for k, found in hits.items()}  # (a number in its own place, rightly rounded, is no slip)
            hits = {k: found for k, found in hits.items() if found}
    if len(hits) != 1:
        return _all_updated(judge, line, by_index, values, value, tolerance)
    k, found = next(iter(hits.items()))
    written = literals[k]
    names = ", ".join(f"${judge.notation.latex(q)}$ = {_fmt(v)}" for q, v in found[:2])
    updated = [p for p in judge.truth.network.params if any(q == p for q, _ in found)
               and (new := judge.truth.target(f"{p.name}+").value) is not None and _near(written.text, new)]
    if updated:
        return "updated_weights", judge.say("updated_number", number=written.text, name=names)
    if any(q in judge.truth.deltas and (written.value > 0) != (v > 0) and _rounds_to(written.text.lstrip("-"), abs(v))
           for q, v in found):  # 0.809 for δ_out = −0.809: Δ = actual − prediction, the error's sign flipped
        return "sign_flipped", judge.say("sign_flipped")
    return "wrong_substituted_value", judge.say("substituted_for", number=written.text, name=names)


def _aligned(line: sp.Expr, by_index: Mapping[int, sp.Symbol], texts: Sequence[str], formula: sp.Expr,
             env: Mapping[sp.Symbol, sp.Expr]) -> dict[int, sp.Symbol] | None:
    """Which name of the formula each number of its arithmetic line stands in for, by place: the line's tree laid
    on the formula's (terms and factors in any order), the laying that puts the most numbers on names whose values
    they round. None when the trees differ, two layings tie, or the trees are too wide to try every order."""
    index = {nu: k for k, nu in by_index.items()}
    layings: list[dict[int, sp.Symbol]] = []
    steps = [0]  # (every order of every node is tried: bounded, the line is a student's)

    def lay(a: sp.Expr, b: sp.Expr, done: dict[int, sp.Symbol]) -> Iterator[dict[int, sp.Symbol]]:
        steps[0] += 1
        if steps[0] > MAX_LAYING_STEPS:
            return
        if a in index:
            if isinstance(b, sp.Symbol) and b in env:
                yield {**done, index[a]: b}
            return
        if a.is_Number or b.is_Number:
            if a == b:
                yield done
            return
        if type(a) is not type(b) or len(a.args) != len(b.args):
            return
        if not isinstance(a, sp.Add | sp.Mul):
            yield from lay_all(a.args, b.args, done)
            return
        for order in itertools.permutations(b.args):
            yield from lay_all(a.args, order, done)

    def lay_all(xs: Sequence[sp.Expr], ys: Sequence[sp.Expr], done: dict[int, sp.Symbol]
                ) -> Iterator[dict[int, sp.Symbol]]:
        if not xs:
            yield done
            return
        for first in lay(xs[0], ys[0], done):
            yield from lay_all(xs[1:], ys[1:], first)

    if len(by_index) > 12 or any(len(n.args) > 6 for n in sp.preorder_traversal(line)):
        return None
    layings += lay(line, formula, {})
    if not layings or steps[0] > MAX_LAYING_STEPS:
        return None
    scored = sorted(((sum(bool(_rounds_to(texts[k], abs(env[s]))) for k, s in laying.items() if k < len(texts)), n)
                     for n, laying in enumerate(layings)), reverse=True)
    if len(scored) > 1 and scored[0][0] == scored[1][0] and layings[scored[0][1]] != layings[scored[1][1]]:
        return None
    return layings[scored[0][1]]


def _all_updated(judge: Judge, line: sp.Expr, by_index: Mapping[int, sp.Symbol], values: Mapping[sp.Symbol, sp.Expr],
                 value: sp.Expr, tolerance: sp.Expr) -> tuple[str, str] | None:
    """(e_1 w_7⁺ + e_2 w_8⁺) h_2(1 − h_2) x_1: several weights written after their update, which no single number's
    replacement explains; with every such number put back to its weight before the update the line gives the truth."""
    env, written = judge.truth.env, decimals(judge.arithmetic[-1])
    after = {p: new for p in judge.truth.network.params if p in env
             and (new := judge.truth.target(f"{p.name}+").value) is not None and new != env[p]}
    before: dict[sp.Symbol, sp.Expr] = {}
    names = []
    given = {abs(v) for v in env.values() if v.is_number}
    for k, nu in by_index.items():
        if k >= len(written) or abs(values[nu]) in given:
            continue  # (0.5, an input's value: no updated weight's)
        found = [p for p, new in after.items() if _significant(new, _places(written[k].text)) >= 3
                 and _near(written[k].text, new)]
        if len(found) == 1:  # (−0.3304946 written as a minus and the number: the number keeps its sign)
            before[nu] = env[found[0]] * sp.sign(values[nu]) * sp.sign(after[found[0]])
            names.append((written[k].text, found[0]))
    if len(before) < 2:
        return None
    r = evaluate(line, {**values, **before})
    if r is None or not r.is_real or abs(r - value) > tolerance:
        return None
    return "updated_weights", judge.say("updated_numbers", numbers=", ".join(t for t, _ in names),
                                        names=", ".join(f"${judge.notation.latex(p)}$ = {_fmt(env[p])}"
                                                        for _, p in names))


def _activation_lemma(judge: Judge, truth: sp.Expr) -> tuple[str, str] | None:
    """A wrong line whose truth is a neuron's activation derivative (σ'(v_j) = …, ∂out/∂net = …): the derivative
    of the activation itself is wrong, whatever the student put."""
    for layer in judge.truth.network.layers:
        if not layer.activation.elementwise:
            continue
        for r, (net, out) in enumerate(zip(layer.nets, layer.outs, strict=True)):
            act = layer.activation_of(r)  # with a skip, the activation's value is out − the added output
            if judge.same(truth, act.derivative(net, out - layer.skip[r] if layer.skip else out))[0]:
                return "activation_derivative_wrong", judge.say("activation_derivative_wrong", right=act.name)
    return None


def _other_quantity(judge: Judge, student: sp.Expr, target: Target) -> tuple[str, str] | None:
    """A formula that is another quantity of the asked kind (∂E/∂w6's for ∂E/∂w5, out_o2 written as net_o2)."""
    net = judge.truth.network
    neurons = [f"{prefix}{n}" for layer in net.layers for n in layer.neurons for prefix in ("delta_", "dE/d")]
    if target.kind == "gradient":  # (∂E/∂w6 for ∂E/∂w5; or stopped at δ_{o2} or ∂E/∂h_1, a factor short)
        forms = [f"dE/d{p.name}" for p in net.params] + neurons
    elif target.kind in ("delta", "net", "out", "partial"):
        forms = neurons + [f"{prefix}{n}" for layer in net.layers for n in layer.neurons for prefix in ("net_", "")]
    else:
        return _update_part(judge, student, None, target)
    for q in forms:
        if q != target.quantity and judge.same(student, judge.truth.target(q).expr)[0]:
            other = judge.truth.target(q)
            what = f"${judge.notation.latex(other.expr)}$"
            if target.kind == "gradient" and other.kind == "gradient" and other.param is not None \
                    and target.param is not None:  # ∂E/∂w7's formula for ∂E/∂w6: a numbering slip
                return "wrong_weight", judge.say("numbering_slip", what=what, quantity=q, asked=target.quantity,
                                                 used=f"${judge.notation.latex(other.param)}$",
                                                 right=f"${judge.notation.latex(target.param)}$")
            if target.kind == "delta" and q == "dE/d" + target.quantity.removeprefix("delta_"):
                # δ_h2 = ∂E/∂h2: the error's derivative by the neuron's output, its σ′ left out
                return "missing_activation_derivative", judge.say("delta_is_output_gradient", what=what, quantity=q,
                                                                  asked=target.quantity)
            return "other_quantity", judge.say("other_quantity", what=what, quantity=q, asked=target.quantity)
    if target.kind == "gradient" and target.param is not None:  # ∂y/∂W for ∂E/∂W: the output's, not the error's
        for layer_out, name in zip(net.layers[-1].outs, net.layers[-1].neurons, strict=True):
            e = judge.truth.partial(layer_out, target.param)
            if e != 0 and judge.same(student, e)[0]:
                return "other_quantity", judge.say("other_quantity", what=f"${judge.notation.latex(e)}$",
                                                   quantity=f"d{name}/d{target.param.name}", asked=target.quantity)
    return None


def _other_gradient_value(judge: Judge, student: sp.Expr, literal: str | None, target: Target
                          ) -> tuple[str, str] | None:
    """A number for ∂E/∂p that is, to all its digits, another parameter's gradient (the transposed entry ∂J/∂W_21
    for ∂J/∂W_12): the other parameter's, a numbering slip."""
    if target.kind != "gradient" or target.param is None:
        return None
    shown = sp.Rational(literal) if literal is not None else student.evalf(30)
    found = []
    for p in judge.truth.network.params:
        other = judge.truth.target(f"dE/d{p.name}")
        if p == target.param or other.value is None or not other.value.is_real or other.value == 0:
            continue
        close = rounds_to(literal, other.value) if literal is not None \
            else abs(shown - other.value) <= abs(other.value) / 2000  # (worked out from numbers of many digits)
        if (shown < 0) == (other.value < 0) and close:
            found.append(other)
    if len(found) != 1:
        return None
    other = found[0]  # (as _other_quantity says of a formula: a numbering slip)
    return "wrong_weight", judge.say("numbering_slip", what=f"${judge.notation.latex(other.expr)}$",
                                     quantity=other.quantity, asked=target.quantity,
                                     used=f"${judge.notation.latex(other.param)}$",
                                     right=f"${judge.notation.latex(target.param)}$")


def _update_part(judge: Judge, student: sp.Expr, literal: str | None, target: Target) -> tuple[str, str] | None:
    """w_1 := −η ∂E/∂w_1, or the gradient alone, where the updated weight w_1⁺ is asked: the change of the weight
    (or its gradient) is given, not the new weight — another quantity."""
    p = target.param
    if target.kind != "update" or p is None:
        return None
    truth, latex = judge.truth, judge.notation.latex
    gradient = truth.partial_of(truth.loss, p)
    step = target.expr - p
    parts = [(step, f"$\\Delta {latex(p)}$", f"Δ{p.name}"),
             (gradient, f"$\\partial E/\\partial {latex(p)}$", f"dE/d{p.name}")]
    for e, what, quantity in parts:
        if student.free_symbols:
            hit = judge.same(student, e)[0]
        else:
            v = truth.value(judge.forward_form(e))
            if v is None or not v.is_real or v == 0 or target.value is None:
                continue
            shown = sp.Rational(literal) if literal is not None else student.evalf(30)
            hit = rounds_to(literal, v) if literal is not None else abs(shown - v) <= abs(v) / 2000
        if hit:
            return "other_quantity", judge.say("other_quantity", what=what, quantity=quantity, asked=target.quantity)
    return None


def _fmt(x: sp.Expr) -> str:
    return f"{sp.Float(x, 6)}"


def _no_slip(judge: Judge, student: sp.Expr, variant: sp.Expr, truth: sp.Expr) -> bool:
    """Does a slip fail to explain a number: its result is the truth itself (∂E/∂w5 without the hidden layer's σ′,
    which it never had), or the number is nearer the truth than the slip's result (0.0823 for 0.082167 is a wrong
    last digit, not out_h2's 0.0827 in place of out_h1)?"""
    if student.free_symbols or not judge.truth.network.is_numeric():
        return False
    v, t = judge.truth.value(judge.forward_form(variant)), judge.truth.value(judge.forward_form(truth))
    if v is None or t is None:
        return False
    s = sp.Rational(student) if student.is_Rational else student.evalf(30)
    return bool(abs(v - t) <= sp.Float("1e-12") * max(1, abs(t)) or abs(s - t) < abs(s - v))


def _matches(judge: Judge, student: sp.Expr, variant: sp.Expr, literal: str | None,
             offset: sp.Expr | None = None) -> bool:
    """`offset`: a weight's old value, for an update: the step the student took is compared with the slip's (every
    slip's w − η·g is within 0.5% of w when the step is small)."""
    if student.free_symbols:
        return judge.same(student, variant)[0]
    v = judge.truth.value(judge.forward_form(variant))
    if v is None:
        return False
    s = sp.Rational(student) if student.is_Rational else student.evalf(30)
    if offset is not None:
        s, v = s - offset, v - offset
    # the slip's number, computed (as students do) from rounded numbers: within the last digit or 0.5%
    ulp = sp.Integer(10) ** -_places(literal) if literal is not None else sp.Float("1e-6") * max(1, abs(v))
    relative = abs(v) / 200
    if literal is None and judge.arithmetic and decimals(judge.arithmetic[-1]):
        # arithmetic: as far as its own numbers' rounding takes it (0.25 + 0.5 · 0.00049771, w_3 + η·g, is not
        # 0.5% from every slip of a step this small)
        relative = min(relative, 3 * judge.tolerance(judge.arithmetic[-1], v))
    return bool(abs(s - v) <= max(ulp / 2, relative))


def _difference(judge: Judge, student: sp.Expr, truth: sp.Expr) -> str:
    """The first point where a product differs: a factor missing or extra (by value at a random point)."""
    env = judge.truth.random_env(7)
    s_f, t_f = judge.forward_form(student), judge.forward_form(truth)

    def factors(e: sp.Expr) -> list[sp.Expr]:
        return list(sp.Mul.make_args(sp.factor_terms(e)))

    def val(e: sp.Expr) -> sp.Expr | None:
        return evaluate(e, env)

    # compared up to sign: −(t − o) and (o − t) are the same factor
    s_vals = [(f, val(f)) for f in factors(s_f) if f != -1]
    t_vals = [(f, val(f)) for f in factors(t_f) if f != -1]
    missing = [f for f, v in t_vals if v is not None and not any(w is not None and abs(abs(v) - abs(w)) < 1e-20
                                                                    for _, w in s_vals)]
    extra = [f for f, v in s_vals if v is not None and not any(w is not None and abs(abs(v) - abs(w)) < 1e-20
                                                                  for _, w in t_vals)]
    parts = []
    if missing:
        parts.append(("缺少因子 " if judge.lang == "zh" else "missing factor ")
                     + ", ".join(f"${judge.notation.latex(f)}$" for f in missing[:3]))
    if extra:
        parts.append(("多出因子 " if judge.lang == "zh" else "extra factor ")
                     + ", ".join(f"${judge.notation.latex(f)}$" for f in extra[:3]))
    detail = "; ".join(parts) if parts and len(t_vals) > 1 else ("表达式不同" if judge.lang == "zh" else
                                                                  "the expressions differ")
    return judge.say("different", expected=f"${judge.notation.latex(truth)}$", detail=detail)


# -- the variants -----------------------------------------------------------------------------------

def paths(judge: Judge, to: sp.Symbol) -> list[list[Factor]]:
    """Every path from the error down to `to`, as its local derivatives (error first)."""
    net = judge.truth.network
    return [[(of, wrt, net.quantities[of].partials[wrt]) for of, wrt in path] for path in net.paths(to)]


def _total(ps: list[list[Factor]]) -> sp.Expr:
    return sp.Add(*[sp.Mul(*[f[2] for f in p]) for p in ps])


def _kind(judge: Judge, f: Factor) -> str:
    q = judge.truth.network.quantities
    of, wrt = f[0], f[1]
    if of == judge.truth.network.error:
        return "loss"
    if q[of].kind is Kind.OUT and q[wrt].kind is Kind.NET:
        return "activation"
    if q[of].kind is Kind.NET and q[wrt].kind is Kind.OUT:
        return "weight"
    return "input"


def _activation_of(judge: Judge, out: sp.Symbol) -> Activation:
    for layer in judge.truth.network.layers:
        if out in layer.outs:
            return layer.activation_of(layer.outs.index(out))
    raise KeyError(out)


def _softmax_as_elementwise(judge: Judge, net_input: sp.Symbol, truth: sp.Expr) -> Iterator[tuple[str, str, sp.Expr]]:
    """A softmax output's δ with cross-entropy (ŷ − t) times ŷ(1 − ŷ), as a sigmoid output's would be."""
    if "cross_entropy" not in judge.truth.network.loss_name:
        return
    for layer in judge.truth.network.layers:
        if net_input in layer.nets and not layer.activation.elementwise:
            out = layer.outs[layer.nets.index(net_input)]
            yield "wrong_activation_derivative", judge.say(
                "wrong_activation_derivative", used="sigmoid", right=layer.activation.name), truth * out * (1 - out)


def _every_biased_unit(judge: Judge, b: sp.Symbol) -> sp.Expr | None:
    """∂E/∂b_1 = δ_O + δ_{h1} + δ_{h2} ("everything with a bias gets summed"): the error terms of every neuron with a
    bias, where b is the bias of some of them only (None otherwise)."""
    fed, biased = [], []
    for layer in judge.truth.network.layers:
        for net_input, bias in zip(layer.nets, biases(layer), strict=False):
            if bias is not None:
                biased.append(net_input)
                fed += [net_input] if bias == b else []
    if not fed or len(fed) == len(biased):
        return None
    return sp.Add(*(_total(paths(judge, n)) for n in biased))


def _weights_beside(judge: Judge, b: sp.Symbol) -> list[sp.Symbol]:
    """The weights into the neurons whose bias b is (where b is a bias), for its gradient written as theirs summed."""
    net = judge.truth.network
    found: list[sp.Symbol] = []
    for layer in net.layers:
        rows = grid(layer)
        for r, bias in enumerate(biases(layer)):
            if bias == b and rows is not None:
                found += [w for w in rows[r] if w in net.params and w not in found]
    return found


def variants(judge: Judge, target: Target) -> Iterator[tuple[str, str, sp.Expr]]:
    """(kind, message, the truth with that slip); the caller ranks them by the catalogue's priority."""
    net = judge.truth.network
    say = judge.say
    batch = judge.truth.batch  # a gradient over several samples: each slip in every sample
    if target.kind == "gradient" and target.param is not None:
        ps = paths(judge, target.param)
        for kind, message, g in _path_variants(judge, ps, target.param):
            yield kind, message, batch(g)
        if (summed := _summed_over_units(judge, target.param)) is not None:
            yield "extra_path", say("extra_path"), batch(summed)
        if (every := _every_biased_unit(judge, target.param)) is not None:
            yield "extra_path", say("extra_units_bias"), batch(every)
        if (weights := _weights_beside(judge, target.param)):  # ∂E/∂b2 = ∂E/∂w5 + ∂E/∂w6: the weights' gradients
            yield "per_weight_delta", say("per_weight_bias"), \
                sp.Add(*[judge.truth.target(f"dE/d{w.name}").expr for w in weights])
        if len(judge.truth.copies) > 1:  # the first sample alone, or the sum where the batch takes the mean
            mean = net.spec.batch_loss == "mean"
            how = {("en", True): "mean", ("en", False): "sum", ("zh", True): "平均", ("zh", False): "和"}
            lang = "zh" if judge.lang == "zh" else "en"
            yield "one_sample", say("one_sample", how=how[(lang, mean)]), _total(ps)
            if mean:  # (with two samples, twice the gradient: the corpus's writers call it a factor 2)
                yield "factor_two", say("batch_sum"), len(judge.truth.copies) * batch(_total(ps))
            yield from _one_sample_terms(judge, _total(ps), say("one_sample", how=how[(lang, mean)]))
    elif target.kind == "delta" and target.net is not None:
        yield from _path_variants(judge, paths(judge, target.net), None)
        yield from _softmax_as_elementwise(judge, target.net, judge.truth.forward(target.expr))
    elif target.kind == "partial" and target.wrt is not None:
        yield from _path_variants(judge, paths(judge, target.wrt), None)
    elif target.kind == "update" and target.param is not None:
        p = target.param
        grad = batch(_total(paths(judge, p)))
        eta = net.learning_rate
        yield "update_sign", say("update_sign"), p + eta * grad
        yield "missing_learning_rate", say("missing_learning_rate"), p - grad
        rate = judge.truth.env.get(eta)
        # (with η = ½, w − η·2g is w − g: the learning rate left out, said above; with η = 2, w − η·g/2 is too)
        same = 2 * _total(paths(judge, p)) if rate == sp.Rational(1, 2) else \
            _total(paths(judge, p)) / 2 if rate == 2 else None
        for kind, message, g in _path_variants(judge, paths(judge, p), p):
            if kind != "sign_flipped" and g != same:  # w − η·(−g) is the update's sign, said above
                yield kind, message, p - eta * batch(g)
        if (summed := _summed_over_units(judge, p)) is not None:
            yield "extra_path", say("extra_path"), p - eta * batch(summed)
    elif target.kind == "loss":
        yield "factor_two", say("factor_two"), 2 * target.expr
        yield "factor_two", say("factor_half"), target.expr / 2
        yield from _loss_variants(judge)
    elif target.kind in ("net", "out"):
        yield from _forward_variants(judge, target)


def _summed_over_units(judge: Judge, param: sp.Symbol) -> sp.Expr | None:
    """The gradients of every weight from the same source into the layer, summed (Σ_j W^2_j Φ'(net_j) x_1 (y − d)
    for ∂E/∂W^1_{11}: a sum over the hidden units where only unit 1's path reaches the weight); None where the
    weight's source feeds one unit only."""
    for layer in judge.truth.network.layers:
        W = grid(layer)
        if W is None:
            continue
        column = next((c for row in W for c, w in enumerate(row) if w == param), None)
        if column is None:
            continue
        same = [row[column] for row in W if row[column] is not None]
        return sp.Add(*(_total(paths(judge, w)) for w in same)) if len(same) > 1 else None
    return None


def _one_sample_terms(judge: Judge, per_sample: sp.Expr, message: str) -> Iterator[tuple[str, str, sp.Expr]]:
    """A batch's term of one sample only, where the batch takes the mean or sum of them: the other samples' terms
    (sample 1's alone is said by the caller), and under a mean each sample's term with the mean's 1/N kept."""
    n = len(judge.truth.copies)
    mean = judge.truth.network.spec.batch_loss == "mean"
    for k in range(1, n + 1):
        one = judge.truth.in_sample(per_sample, k)
        if one is None:
            continue
        if k > 1:
            yield "one_sample", message, one
        if mean:
            yield "one_sample", message, one / n


def _loss_variants(judge: Judge) -> Iterator[tuple[str, str, sp.Expr]]:
    """The loss of the first sample alone (of a batch), or one output's term alone (the others' left out)."""
    from ..losses import loss_expr
    net = judge.truth.network
    per_sample = net.quantities[net.error].definition
    if len(judge.truth.copies) > 1 and per_sample is not None:
        mean = net.spec.batch_loss == "mean"
        how = {("en", True): "mean", ("en", False): "sum", ("zh", True): "平均", ("zh", False): "和"}
        lang = "zh" if judge.lang == "zh" else "en"
        yield "one_sample", judge.say("one_sample_loss", how=how[(lang, mean)]), per_sample
        yield from _one_sample_terms(judge, per_sample, judge.say("one_sample_loss", how=how[(lang, mean)]))
        return
    outs, targets = net.layers[-1].outs, net.targets
    if len(outs) < 2 or per_sample is None:
        return
    for k in range(len(outs)):
        term = loss_expr(net.loss_name, [outs[k]], [targets[k]])
        term = term / len(outs) if net.loss_name == "mse" else term
        others = ", ".join(f"${judge.notation.latex(o)}$" for j, o in enumerate(outs) if j != k)
        yield "missing_path", judge.say("missing_output_term", path=others), term


def _forward_variants(judge: Judge, target: Target) -> Iterator[tuple[str, str, sp.Expr]]:
    """A forward value with a numbering slip (another weight or input of its layer in its net input) or, for a
    sigmoid, the exponent's sign flipped (1/(1 + e^{net}))."""
    net, say, latex = judge.truth.network, judge.say, judge.notation.latex
    for layer in net.layers:
        for r, (n, o) in enumerate(zip(layer.nets, layer.outs, strict=True)):
            if target.expr not in (n, o):
                continue
            definition = net.quantities[n].definition
            assert definition is not None

            def out(e: sp.Expr, n: sp.Symbol = n, r: int = r, layer: Layer = layer) -> sp.Expr:
                if target.expr == n:
                    return e
                if layer.activation.elementwise:  # the neuron's own activation, and a skip's added output
                    return layer.activation_of(r).forward(e) + (layer.skip[r] if layer.skip else 0)
                return layer.activation.forward_layer(list(layer.nets))[r].xreplace({n: e})  # softmax: its row

            if target.expr == o and layer.activation_of(r).name == "sigmoid" and not layer.skip:
                yield "sign_flipped", say("sign_flipped"), layer.activation.forward(-n)
            W = grid(layer) or ()
            weights = [w for w in W[r] if w is not None] if W else []
            others = [w for row in W for w in row if w is not None and w not in weights]
            for w in weights:
                for alt in others + [x for x in weights if x != w]:
                    yield ("wrong_weight", say("wrong_weight", used=f"${latex(alt)}$", right=f"${latex(w)}$"),
                           out(definition.xreplace({w: alt})))
            own = biases(layer)[r] if biases(layer) else None
            if own is not None:  # (the bias left out of the sum: net_h2 = w3 i1 + w4 i2)
                yield "missing_path", say("missing_bias", bias=f"${latex(own)}$"), out(definition.xreplace({own: 0}))
            for alt in sorted({b for other in net.layers for b in biases(other) if b is not None} - {own, None},
                              key=str) if own is not None else ():  # (b_1, the hidden layer's, in net_O)
                yield ("wrong_weight", say("wrong_weight", used=f"${latex(alt)}$", right=f"${latex(own)}$"),
                       out(definition.xreplace({own: alt})))
            for x in layer.inputs:
                for alt in [y for y in layer.inputs if y != x]:
                    yield ("wrong_input", say("wrong_input", used=f"${latex(alt)}$", right=f"${latex(x)}$"),
                           out(definition.xreplace({x: alt})))
            for i, x in enumerate(layer.inputs):  # two inputs swapped: w_2 x_2 + w_4 x_1 for w_2 x_1 + w_4 x_2
                for y in layer.inputs[i + 1:]:
                    yield ("wrong_input", say("wrong_input", used=f"${latex(y)}$, ${latex(x)}$",
                                              right=f"${latex(x)}$, ${latex(y)}$"),
                           out(definition.xreplace({x: y, y: x})))
            nets = {x: other.nets[other.outs.index(x)] for x in layer.inputs for other in net.layers
                    if x in other.outs}
            if nets:  # (the previous layer's net inputs where their outputs belong: w5·net_h1 + w6·net_h2 + b2)
                yield ("wrong_input", say("wrong_input", used=", ".join(f"${latex(n)}$" for n in nets.values()),
                                          right=", ".join(f"${latex(x)}$" for x in nets)),
                       out(definition.xreplace(nets)))
            if W:
                yield from _numbering_variants(judge, W, r, out, definition)
            if len(layer.inputs) == len(net.inputs) and list(layer.inputs) != list(net.inputs):
                swap = dict(zip(layer.inputs, net.inputs, strict=True))  # the network's inputs for the layer's
                yield ("wrong_input", say("wrong_input", used=", ".join(f"${latex(x)}$" for x in net.inputs),
                                          right=", ".join(f"${latex(x)}$" for x in layer.inputs)),
                       out(definition.xreplace(swap)))


def _numbering_variants(judge: Judge, weights: Sequence[Sequence[sp.Symbol | None]], r: int,
                        out: Callable[[sp.Expr], sp.Expr], definition: sp.Expr) -> Iterator[tuple[str, str, sp.Expr]]:
    """The weights of neuron r read in the other index order (w_{ij} for w_{ji}: a row of the transposed matrix),
    as a numbering slip does when the notes number the weights by source and the student by target."""
    if len(weights) != len(weights[0]) or any(w is None for row in weights for w in row):
        return
    row, column = weights[r], [weights[j][r] for j in range(len(weights))]
    if row == column:
        return
    swap = {a: b for a, b in zip(row, column, strict=True) if a != b}
    latex = judge.notation.latex
    yield ("wrong_weight", judge.say("wrong_weight", used=", ".join(f"${latex(b)}$" for b in swap.values()),
                                     right=", ".join(f"${latex(a)}$" for a in swap)), out(definition.xreplace(swap)))


def _path_variants(judge: Judge, ps: list[list[Factor]], param: sp.Symbol | None
                   ) -> Iterator[tuple[str, str, sp.Expr]]:
    net = judge.truth.network
    say, latex = judge.say, judge.notation.latex
    truth = _total(ps)
    kinds = [[_kind(judge, f) for f in p] for p in ps]

    def ks_of(p: list[Factor]) -> list[str]:
        return kinds[ps.index(p)]

    def without(drop: str, only_layer: int | None = None) -> sp.Expr:
        return sp.Add(*[sp.Mul(*[f[2] for f, k in zip(p, ks, strict=True)
                                 if not (k == drop and (only_layer is None or
                                                        net.quantities[f[0]].layer == only_layer))])
                        for p, ks in zip(ps, kinds, strict=True)])

    yield "missing_activation_derivative", say("missing_activation_derivative"), without("activation")
    for layer in net.layers:
        yield ("missing_activation_derivative", say("missing_activation_derivative_layer", layer=layer.name),
               without("activation", layer.index))
    yield "sign_flipped", say("sign_flipped"), -truth
    if "cross_entropy" not in net.loss_name:  # (the ½ of a squared error and the 2 of its square: a cross-entropy
        # has no such pair)
        yield "factor_two", say("factor_two"), 2 * truth
        yield "factor_two", say("factor_half"), truth / 2
    # per-weight δ: the activation in place of the weight on each path (seed 000's δ1 = (δ5 + δ6)·…)
    per_weight = sp.Add(*[sp.Mul(*[(f[1] if k == "weight" else f[2]) for f, k in zip(p, ks, strict=True)])
                          for p, ks in zip(ps, kinds, strict=True)])
    if per_weight != truth:
        yield "per_weight_delta", say("per_weight_delta"), per_weight
    # the per-weight δ_k = ∂E/∂w_k (δ times the weight's input) with the weights kept: Nielsen's BP2 w_5 δ_5 + w_6 δ_6
    # with δ_5 = ∂E/∂w_5, each path times the inputs of the weights it crosses
    kept = sp.Add(*[sp.Mul(*[f[2] for f in p], *[f[1] for f, k in zip(p, ks, strict=True) if k == "weight"])
                    for p, ks in zip(ps, kinds, strict=True)])
    if kept != truth and kept != per_weight:
        yield "per_weight_delta", say("per_weight_delta"), kept
    # every weight into the next neuron summed where only the path's own weight belongs (∂E/∂z_2 = Σ_j ∂E/∂y W_j
    # over the hidden units j: the paths of the other units added)
    rows = {w: [x for x in row if x is not None] for layer in net.layers if (g := grid(layer)) is not None
            for row in g for w in row if w is not None}
    summed = sp.Add(*[sp.Mul(*[(sp.Add(*rows[f[2]]) if k == "weight" and f[2] in rows else f[2])
                               for f, k in zip(p, ks, strict=True)]) for p, ks in zip(ps, kinds, strict=True)])
    if summed != truth:
        yield "extra_path", say("summed_weights"), summed
    # the updated weights in the backward pass (weights on the paths, not the parameter itself), as symbols w⁺ =
    # w − η ∂E/∂w or as their numbers: equal in value at the network's numbers, the expression matches both
    updated = {pd.param: judge.truth.target(f"{pd.param.name}+").expr for pd in judge.truth.derivation.params
               if pd.param != param and not pd.frozen}  # (also in a symbolic network: w⁺ as a formula)
    on_paths = {f[2] for p in ps for f in p}
    updated = {w: e for w, e in updated.items() if w in on_paths}
    if updated:
        yield "updated_weights", say("updated_weights"), truth.xreplace(updated)
    def activations(change: Callable[[Factor], sp.Expr], only_layer: int | None = None) -> sp.Expr:
        """The truth with the activation factors (of one layer, or all) changed."""
        return sp.Add(*[sp.Mul(*[(change(f) if k == "activation" and (
            only_layer is None or net.quantities[f[0]].layer == only_layer) else f[2])
            for f, k in zip(p, ks, strict=True)]) for p, ks in zip(ps, kinds, strict=True)])

    # in every layer at once, then in one layer only (σ′ written for a linear hidden unit, Φ for Φ′ there)
    scopes: list[int | None] = [None, *(layer.index for layer in net.layers)] if len(net.layers) > 1 else [None]
    # the usual activations, then the network's own (seed 001's Φ' written at its linear output)
    alternates = dict.fromkeys([*(make(o) for o in ("sigmoid", "tanh", "identity", "relu")),
                                *(a for layer in net.layers for o in layer.outs
                                  if (a := _activation_of(judge, o)).elementwise)])  # (not softmax)
    for scope in scopes:
        # another activation's derivative
        for p_kind in {_activation_of(judge, f[0]).name for p in ps for f in p if _kind(judge, f) == "activation"}:
            for other in alternates:
                if other.name == p_kind:
                    continue
                swapped = activations(partial(_swap_derivative, judge, p_kind, other), scope)
                used = f"${latex(sp.Symbol(other.function))}$" if other.name == "abstract" else other.name
                yield "wrong_activation_derivative", say("wrong_activation_derivative", used=used, right=p_kind), \
                    swapped
        # the derivative written in the net input where the output belongs (net(1 − net) for out(1 − out))
        yield "wrong_activation_derivative", say("net_for_out"), activations(lambda f: f[2].xreplace({f[0]: f[1]}),
                                                                            scope)
        # the derivative taken at the output where the net input belongs (σ′(out) = σ(out)(1 − σ(out)), Φ′(h_3))
        yield "wrong_activation_derivative", say("derivative_at_output"), activations(
            partial(_at_output, judge), scope)
        # the activation itself where its derivative belongs (σ(net) for σ'(net))
        yield "activation_for_derivative", say("activation_for_derivative"), activations(lambda f: f[0], scope)
    # the output's activation derivative written again where a hidden unit's belongs (out_O(1 − out_O) twice)
    repeated = []
    for p, ks in zip(ps, kinds, strict=True):
        acts = [f for f, k in zip(p, ks, strict=True) if k == "activation"]
        repeated.append([(f[0], f[1], acts[0][2]) if k == "activation" else f for f, k in zip(p, ks, strict=True)])
    if sum(k == "activation" for ks in kinds for k in ks) > len(ps):
        yield "wrong_activation_derivative", say("output_derivative_repeated"), _total(repeated)
    # the paths through one of the parameter's neurons left out (a shared bias counted for one neuron only)
    first = {p[-1][0] for p in ps}
    if len(first) > 1:
        for child in sorted(first, key=str):
            yield ("missing_path", say("missing_path", path=f"${latex(child)}$"),
                   _total([p for p in ps if p[-1][0] != child]))
    # one path left out (δ_h1 with only the o1 term)
    if len(ps) > 1:
        for i, p in enumerate(ps):
            through = " → ".join(f"${latex(f[0])}$" for f in p[:-1][::-1]) if len(p) > 1 else f"${latex(p[0][0])}$"
            yield "missing_path", say("missing_path", path=through), _total(ps[:i] + ps[i + 1:])
    # the paths through one node kept, those through the others left out (∂L/∂h_1 through z_1 alone, when h_1 feeds
    # every logit; a softmax's ∂L/∂z_2 through ŷ_2 alone)
    for level in (-1, -2):
        groups: dict[sp.Symbol, list[list[Factor]]] = {}
        for p in ps:
            if len(p) >= -level:
                groups.setdefault(p[level][0], []).append(p)
        if len(groups) > 2 and sum(map(len, groups.values())) == len(ps):
            for node, kept in sorted(groups.items(), key=lambda g: str(g[0])):
                others = ", ".join(f"${latex(x)}$" for x in sorted(groups, key=str) if x != node)
                yield "missing_path", say("missing_path", path=others), _total(kept)
    # another neuron's weights on every path (δ_h2 with w5, w7 — the weights out of h1 — for w6, w8)
    for layer in net.layers:
        W = grid(layer)
        for c in range(len(layer.inputs) if W is not None else 0):
            for c2 in range(len(layer.inputs)):
                if c2 == c or W is None:
                    continue
                swap = {W[r][c]: W[r][c2] for r in range(len(layer.nets))
                        if W[r][c] is not None and W[r][c2] is not None}
                crossed = [f for p in ps for f, k in zip(p, ks_of(p), strict=True) if k == "weight" and f[2] in swap]
                if len(crossed) > 1:
                    moved = [[(f[0], f[1], swap.get(f[2], f[2])) if k == "weight" else f
                              for f, k in zip(p, ks_of(p), strict=True)] for p in ps]
                    used = ", ".join(f"${latex(swap[f[2]])}$" for f in crossed)
                    right = ", ".join(f"${latex(f[2])}$" for f in crossed)
                    yield "wrong_weight", say("wrong_weight", used=used, right=right), _total(moved)
    # the wrong weight or input: on one path, or wherever that factor stands (δ_h1·i2 for δ_h1·i1 on both paths)
    count = 0
    seen: set[Factor] = set()
    for p, ks in zip(ps, kinds, strict=True):
        for f, k in zip(p, ks, strict=True):
            if k not in ("weight", "input") or f in seen or count > MAX_VARIANTS:
                continue
            seen.add(f)
            for alt in _alternatives(judge, f, k):
                count += 1
                everywhere = [[(g[0], g[1], alt) if g == f else g for g in x] for x in ps]
                key = "wrong_weight" if k == "weight" else "wrong_input"
                message = say(key, used=f"${latex(alt)}$", right=f"${latex(f[2])}$")
                yield key, message, _total(everywhere)
                if sum(f in x for x in ps) > 1:
                    for i, x in enumerate(ps):
                        if f in x:
                            one = [list(y) for y in ps]
                            one[i] = [(g[0], g[1], alt) if g == f else g for g in x]
                            yield key, message, _total(one)


def _swap_derivative(judge: Judge, kind: str, alt: Activation, f: Factor) -> sp.Expr:
    """The local derivative of an activation factor of that kind, as `alt`'s derivative."""
    return alt.derivative(f[1], f[0]) if _activation_of(judge, f[0]).name == kind else f[2]


def _at_output(judge: Judge, f: Factor) -> sp.Expr:
    """An activation factor ∂out/∂net written as the derivative at the output: f′(out)."""
    act = _activation_of(judge, f[0])
    return act.derivative(f[0], act.forward(f[0])) if act.elementwise else f[2]


def _alternatives(judge: Judge, f: Factor, kind: str) -> list[sp.Expr]:
    """Other weights of the same layer (those into the same neuron or out of the same source first: a numbering
    slip such as w6 for w7 crosses both); other inputs of the same layer, then the network's inputs, the layers'
    outputs, and the input's own net input."""
    net = judge.truth.network
    for layer in net.layers:
        if f[0] in layer.nets:
            r = layer.nets.index(f[0])
            if kind == "weight":
                W = grid(layer)
                if W is None:
                    return []
                c = layer.inputs.index(f[1])
                near = {W[r][k] for k in range(len(layer.inputs)) if k != c}
                near |= {W[k][c] for k in range(len(layer.nets)) if k != r}
                rest = {w for row in W for w in row} - near - {f[2]}
                return sorted(near, key=str) + sorted(rest, key=str)
            inputs = [x for x in layer.inputs if x != f[2]] + [x for x in net.inputs if x != f[2] and
                                                                x not in layer.inputs]
            # then the outputs of a layer: its own (∂net_{o1}/∂w_7 = o_1), another's (a_1 for x_1)
            outs = [o for other in (layer, *(x for x in net.layers if x is not layer)) for o in other.outs]
            # and the input's own net input where its output belongs (s_1 for h_1 = Φ(s_1))
            own_net = [other.nets[other.outs.index(f[2])] for other in net.layers if f[2] in other.outs]
            return inputs + [o for o in outs if o != f[2] and o not in inputs] + own_net
    return []
