"""Judging: every member of every chain against the truth, the first wrong one located and diagnosed.

A symbolic member is right when it equals the truth: symbolically (the difference, written in the forward
quantities, cancels to 0) or, where SymPy cannot show it, by equal values at the network's numbers and
at random points (three witnesses, 50 digits). A number is right when it equals the true value to the
decimals the student wrote (0.03 for 0.0346); an arithmetic line of rounded numbers is right when the
true value lies within the rounding of the numbers it uses. A number that is wrong against the truth but
follows from the student's own previous (rounded) numbers is `rounding`, not an error. A number must also
give at least `min_significant` significant digits of the true value (0 is never right for a non-zero
quantity), and each decimal of an arithmetic line must be a right rounding of a factor the formula has
(0.60 for out_h2 where out_h1 = 0.593 belongs is wrong even when the product stays close).

A formula in which the student put numbers for given quantities (inputs, targets, parameters, η) is
compared with those quantities fixed at the network's values; numbers inside exp, σ, log are evaluated.

An answer is right only when it establishes the asked quantity: a chain headed by it (or by a name the
student defined as it), or headless, reaching a value or an expression whose derivatives are all
evaluated by other lines ("where" lines). A chain about another quantity does not answer the question.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from ..derive import evaluate
from ..network import Kind, Network
from ..notation import Notation
from ..numbers import round_decimals as _round
from .catalogue import say
from .diagnose import Diagnosis, diagnose, unreached, written_slip
from .parse import Chain, Element, Parsed, ParseError, RawName, RawPartial, Refused, Skipped, parse
from .resolve import (
    ACTUAL_BASES,
    AMBIGUOUS_BASES,
    CAPITAL_LAYER,
    DELTA_BASES,
    DELTA_STEP,
    ERROR_BASES,
    INDEX_LETTERS,
    INPUT_BASES,
    NET_BASES,
    OUT_BASES,
    PREDICTION_BASES,
    QUANTITY_BASES,
    TARGET_BASES,
    TARGET_WORDS,
    Resolver,
    Rule,
    Unresolved,
    generic,
    raw_text,
)
from .truth import Target, Truth, value_at
from .verdicts import Verdict
from .vocabulary import PROSE_WORD, SAMPLE_SAID, answer_word
from .written import Written, coarse_tolerance, decimals
from .written import drifted as _drifted
from .written import fmt as _fmt
from .written import near as _near
from .written import places as _places
from .written import rounds_to as _rounds_to
from .written import significant as _significant
from .written import ulp as _ulp

CORRECT, ROUNDING, INCORRECT, UNCHECKED = Verdict.CORRECT, Verdict.ROUNDING, Verdict.INCORRECT, Verdict.UNCHECKED
WITNESSES = (101, 202, 303)


@dataclass(frozen=True)
class LineVerdict:
    latex: str
    verdict: str  # correct | rounding | incorrect | unchecked (a chain we cannot read beside ones we can)
    message: str
    expected: str = ""  # the correct line (LaTeX) where the student's is wrong
    kind: str = ""  # the diagnosis the line itself shows (too_few_digits, wrong_substituted_value, …)
    #: the reading judged where the line has two (seed 002's Δ · w_6 · i_1 as the lecture's Δ, not w_6's step)
    reading: sp.Expr | None = field(default=None, compare=False, repr=False)
    #: a member the chain goes on from (an "=" after it): what the members after it equal, read or not
    linked: bool = field(default=False, compare=False, repr=False)


@dataclass
class ChainInfo:
    """What one chain is about, for deciding whether the answer establishes its quantity."""

    about: str  # "target" (judged against the asked quantity), "lemma" (against its own head)
    head: sp.Expr | None  # the head's meaning in the network's symbols
    what: str  # the head as written
    elements: tuple[sp.Expr, ...]  # the elements after the head (the student's raw expressions)
    number: bool = False  # does one of them state a number (0.0822, -8.77e-3), not arithmetic left to do?
    blank: bool = False  # does the chain end in a value left blank ("= \cdots", "= ?")?


def _deferred(text: str, blank: int) -> bool:
    """Does the line say, after its value left blank, that the work is put off ("= ⋯ （上の式を代入、あとで）",
    "= … (to be substituted)")? A bare "= …" after the rule applied to a worked gradient is no such remark."""
    end = text.find("\n", blank)
    rest = re.sub(r"\\[A-Za-z]+", "", text[blank:end if end >= 0 else len(text)])
    return bool(re.search(r"[^\W\d_]", rest))


def _unit_of_last(literal: object) -> sp.Rational | None:
    """The unit of a written number's last digit when it has five significant digits or more (0.901400: 10⁻⁶)."""
    text = str(literal).lstrip("-") if literal is not None else ""
    if not re.fullmatch(r"[0-9]+\.[0-9]+", text) or len(text.replace(".", "").lstrip("0")) < 5:
        return None
    return sp.Rational(1, 10 ** len(text.split(".")[1]))


def _written(names: Mapping[sp.Symbol, RawName | RawPartial]) -> list[RawName]:
    """Every name an answer writes, also inside its derivatives (a_O of ∂E/∂a_O)."""
    return [n for r in names.values() for n in ((r.of, r.wrt) if isinstance(r, RawPartial) else (r,))
            if isinstance(n, RawName)]


#: a program's names for a weight's gradient, numbered as the weight (g6, grad6, dw6, dEdw6, dE_dw6)
_GRADIENT_CODE_NAMES = frozenset({"g", "grad", "gw", "gW", "dw", "dW", "dEdw", "dE_dw", "dJdw", "dJ_dw", "dLdw",
                                  "dL_dw", "dedw"})
#: a function at a bare letter, h'(z), \sigma'(x): a rule about the function, whose last member may be written in
#: letters of its own (h'(z) = 1 − tanh² z = 1 − q²), set aside when we cannot read it
_AT_PLACEHOLDER = re.compile(r"\\?[A-Za-z]+(?:'|\\prime|\^\{?\\prime\}?)*[ \t]*(?:\\left)?\([ \t]*[a-z][ \t]*"
                             r"(?:\\right)?\)")


#: the letters and names of an activation function applied to a unit's net input
ACTIVATION_NAMES = frozenset({"f", "g", "sigma", "phi", "Phi"})


@dataclass
class Judged:
    lines: list[LineVerdict] = field(default_factory=list)
    diagnosis: list[Diagnosis] = field(default_factory=list)
    chains: list[ChainInfo] = field(default_factory=list)
    established: bool = True

    @property
    def first_wrong(self) -> int | None:
        return next((k for k, line in enumerate(self.lines) if line.verdict == INCORRECT), None)

    @property
    def all_read_right(self) -> bool:
        """No line read wrong (one we could not read is set aside, as the verdict sets it aside)."""
        return all(line.verdict != INCORRECT or line.kind == "unresolved" for line in self.lines)


#: the letters a layer number is written on (z^{(2)}_1, a^{(1)}_2, δ^{(2)}_1, u^{(3)}_2)
LAYER_BASES = OUT_BASES | NET_BASES | DELTA_BASES | set(CAPITAL_LAYER)
#: 西瓜书's names of the net inputs (α_h of hidden unit h, β_j of output j): no other notation subscripts them
XIGUA_NETS = {"alpha", "beta"}
#: the head of a line headed by a formula (h'(a_2) = z_2(1 − z_2)) when its members' letters are read together
ANY_HEAD = RawName("·", "", "")


class Judge:
    """Judges the chains of one answers file against one network, remembering the student's own names."""

    def __init__(self, truth: Truth, decimals_default: int = 4, min_significant: int = 2, lang: str = "en") -> None:
        self.truth = truth
        self.lang = lang
        self.resolver = Resolver(truth, {}, lang)
        # names whose carried meaning came from a wrong answer (δ asked, written with the opposite sign): a later
        # answer may use them in either sense
        self.disputed: set[RawName] = set()
        self.notation = Notation(truth.network)
        for k, copies in enumerate(truth.copies[1:], start=2):  # sample k's quantities print as out_{h1}^{(k)}
            for q, c in copies.items():
                name = self.notation.latex_names.get(q)
                if name is not None:
                    self.notation.latex_names[c] = f"{{{name}}}^{{({k})}}"
                    self.notation.text_names[c] = f"{self.notation.text_names.get(q, q.name)}⁽{k}⁾"
        self.decimals_default = decimals_default
        self.min_significant = min_significant
        self._mixed: dict[frozenset[sp.Symbol], tuple[Mapping[sp.Symbol, sp.Expr], ...]] = {}
        self._factors: dict[tuple[tuple[sp.Expr, ...], sp.Expr], list[sp.Expr]] = {}
        self._data: dict[sp.Symbol, frozenset[sp.Symbol]] = {}  # _data_under's
        self.final = True  # is the member being judged the last of a chain about the asked quantity?
        self.entry = False  # is it one entry of a matrix member (its text shows every entry)?
        self.entry_at: tuple[int, int] | None = None  # which
        self.approx = False  # is the member being judged written after ≈?
        self.written: list[tuple[sp.Expr, sp.Expr]] = []  # the numbers of this answer judged right, and their truths
        # the numbers judged right (drifted by earlier rounding, too) → the quantity they are the value of, and its
        # value: 4.3625e-4 for ∂E/∂w3 put into w_3' − η · 4.3625e-4 later
        self.carried: dict[sp.Expr, tuple[sp.Expr, sp.Expr]] = {}
        self.known: set[sp.Expr] = set()  # quantities earlier answers established (their meanings)
        self.missed: dict[sp.Expr, str] = {}  # quantities earlier answers got wrong → those answers' quantities
        self.line_decimals: tuple[Written, ...] = ()  # the decimals written in the member being judged
        self.restated_later = False  # a later chain of the answer states the asked δ as ∂E/∂net (see _headed)
        self.require_value = False  # the answers file's grading.require_value (see answers.py)
        self.blanks: tuple[int, ...] = ()  # the answer's values left blank (Parsed.blanks)
        self.answer_places = 0  # the most decimal places of a number the answer being judged writes
        self.asked_later = False  # a later chain of the answer is headed by the asked quantity (_headed)
        self.later_text = ""  # the chains after the one being judged, as written
        self.earlier_text = ""  # the chains before the one being judged, as written
        # own names this answer defines as a derivative, on their line → that derivative
        self.named_here: dict[RawName, RawName | RawPartial] = {}
        self.answer_text = ""  # the answer being judged, as read
        self.answer_written = 0  # where its numbers start in `written`
        self.after_correct = False  # does the member being judged follow a member judged right?

    def say(self, key: str, **params: object) -> str:
        return say(key, self.lang, **params)

    @cached_property
    def parse_options(self) -> dict[str, Any]:
        """What the parser needs to know of the network: a \\sum without limits runs over the outputs, or over
        the samples when its index is n."""
        net = self.truth.network
        samples = len(net.samples)
        labels = frozenset(n for layer in net.layers for n in layer.neurons)
        sizes = {"inputs": len(net.inputs), "outputs": len(net.outputs),
                 **({"hidden": len(net.layers[0].neurons)} if len(net.layers) == 2 else {}),
                 "layer0": len(net.inputs), **{f"layer{k}": len(layer.neurons)
                                               for k, layer in enumerate(net.layers, start=1)}}
        units = labels | {x.name for x in net.inputs}
        return {"sum_range": len(net.outputs), "labels": labels, "sizes": sizes, "set_sums": True, "units": units,
                **({"sum_samples": samples} if samples > 1 else {})}

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

    def given_numbers(self, student: sp.Expr) -> set[sp.Symbol]:
        """The given quantities (leaves: inputs, targets, parameters, η) whose values the student wrote as
        numbers in a formula: each decimal of the formula equal to a leaf's value fixes that leaf."""
        numbers = {abs(d.value) for d in self.line_decimals}
        if not numbers or not student.free_symbols:
            return set()
        numbers |= {abs(k) for k in student.atoms(sp.Integer) if k}  # (−0.3 − 1 × δ_{o1} h_2: η = 1, gone in SymPy)
        env = self.truth.env
        fixed = {s for s in self.leaves if s in env and abs(env[s]) in numbers}
        # (a formula that puts numbers in fixes the parameters that are 0 too: a zero bias left out, 0.5 a_1 − 0.3 a_2
        # for net_{y1} = w_5 a_1 + w_6 a_2 + b_2 with b_2 = 0)
        params = self.truth.network.params
        return fixed | {s for s in self.leaves if s in env and env[s] == 0 and s in params} if fixed else fixed

    @cached_property
    def named_values(self) -> dict[sp.Expr, sp.Expr]:
        """What a rounded number in a formula can stand for: the forward quantities and δ's, ∂E/∂out of every
        neuron (Mazur's ∂E_total/∂out_h1 = 0.0364) and ∂out/∂net (西瓜书's 0.2406 × (w_6 g_1 + w_8 g_2) for
        b_2(1 − b_2)), with their values."""
        named: dict[sp.Expr, sp.Expr] = dict(self.truth.env)
        if self.truth.network.is_numeric():
            for layer in self.truth.network.layers:
                for net, out in zip(layer.nets, layer.outs, strict=True):
                    slope = self.truth.direct(out, net)
                    for e in (self.truth.partial(self.truth.network.error, out),
                              *([slope] if slope.free_symbols else [])):
                        v = self.truth.value(e)
                        if v is not None:
                            named[e] = v
        return named

    def _shown(self, q: sp.Expr) -> str:
        """A quantity a number stood for, as LaTeX: a parameter's gradient by its name (∂E/∂w_5)."""
        for p in self.truth.network.params:
            if q == self.truth.target(f"dE/d{p.name}").expr:
                return rf"\frac{{\partial E}}{{\partial {self.notation.latex(p)}}}"
        return self.notation.latex(q)

    @cached_property
    def leaves(self) -> tuple[sp.Symbol, ...]:
        net = self.truth.network
        out = [s for s, q in net.quantities.items() if q.definition is None and s != net.error]
        return (*out, net.learning_rate)

    def mixed_witnesses(self, fixed: set[sp.Symbol]) -> tuple[Mapping[sp.Symbol, sp.Expr], ...]:
        """Random points with the given quantities in `fixed` kept at the network's values."""
        key = frozenset(fixed)
        if key not in self._mixed:
            env = self.truth.env
            self._mixed[key] = tuple(self.truth.random_env(seed, {s: env[s] for s in fixed}) for seed in WITNESSES)
        return self._mixed[key]

    def same(self, student: sp.Expr, truth: sp.Expr) -> tuple[bool, str]:
        """(equal?, how it was shown). A formula with rounded numbers in it (0.1385·w5 for δ_o1·w5) is equal
        when, with each number read as a quantity it is a right rounding of, it equals the truth."""
        ok, how = self._same(student, truth)
        if ok or not student.free_symbols or not self.truth.network.is_numeric():
            return ok, how
        for variant, read in self._symbolized(student):
            if self._same(variant, truth)[0]:
                return True, self.say("equal_rounded", names=read)
        dropped = self._data_dropped(student, truth)
        if dropped:  # −Σ_k t_k ln y_k = −ln y_1: the one-hot target of this sample put in, the zero terms gone
            fixed = dropped | self.given_numbers(student)
            if _compare(self.forward_form(student), self.forward_form(truth), self.mixed_witnesses(fixed)):
                names = ", ".join(f"${self.notation.latex(x)}$" for x in sorted(fixed, key=str))
                return True, self.say("equal_given", names=names)
        return ok, how

    def _worked_in(self, student: sp.Expr, truth: sp.Expr) -> str | None:
        """A formula partly worked out, its numbers combined by SymPy where no single quantity rounds them
        (½[(0.406405 − 1)(0.292270) + (ŷ^{(2)}_1 − 0) h^{(2)}_1]: sample 1's term as numbers, sample 2's as names):
        equal when its value at the network's numbers is the truth's within the rounding of its decimals (each
        written to 4 significant digits or more, so that a slip cannot hide in the rounding; a given quantity's exact
        value, w_5 − 0.05 · (−0.68765) with η = 0.05, is exact)."""
        env = self.truth.env
        given = {abs(env[x]) for x in self.leaves if x in env}
        written = [d for d in self.line_decimals if d.value != 0 and abs(d.value) not in given]
        if not written or any(_significant(abs(d.value), _places(d.text)) < 4 for d in written) \
                or student.atoms(sp.Float):
            return None
        shown, value = self.truth.value(self.forward_form(student)), self.truth.value(self.forward_form(truth))
        if shown is None or value is None or not (shown.is_real and value.is_real):
            return None
        relative = max(_ulp(d.text) / 2 / abs(d.value) for d in written)
        if abs(shown - value) > 10 * relative * (abs(value) + sum(abs(d.value) for d in written)):
            return None
        return self.say("equal_worked", shown=_fmt(shown), value=_fmt(value))

    def _data_dropped(self, student: sp.Expr, truth: sp.Expr) -> set[sp.Symbol]:
        """The given data (inputs and targets of every sample) the truth has and the student's formula does not."""
        return self._data_of(truth) - self._data_of(student)

    def _data_of(self, e: sp.Expr) -> set[sp.Symbol]:
        return set().union(*(self._data_under(s) for s in self.forward_form(e).free_symbols))

    @cached_property
    def _sample_copies(self) -> dict[sp.Symbol, tuple[int, sp.Symbol]]:
        """Each per-sample symbol → (its sample's index, the first sample's symbol)."""
        return {c: (k, s) for k, m in enumerate(self.truth.copies) for s, c in m.items()}

    def _data_under(self, symbol: sp.Symbol) -> frozenset[sp.Symbol]:
        """The inputs and targets (of its own sample) a quantity is computed from."""
        if symbol not in self._data:
            net, copies = self.truth.network, self.truth.copies
            k, first = self._sample_copies.get(symbol, (0, symbol))
            leaves = net.compose(first, self._composed).free_symbols & {*net.inputs, *net.targets}
            self._data[symbol] = frozenset(copies[k].get(x, x) for x in leaves)
        return self._data[symbol]

    def _symbolized(self, student: sp.Expr) -> Iterator[tuple[sp.Expr, str]]:
        """The student's formula with its rounded decimals replaced by quantities they round (up to 16 ways)."""
        env = {**self.named_values}
        for g, v in self.gradient_values.items():  # a gradient worked out before: w_5 − η · 0.0822
            env.setdefault(g, v)
        leaves = {abs(env[x]) for x in self.leaves if x in env}
        folded = self._folded(student, leaves)
        options = []
        for d in self.line_decimals:  # (a given's value too: seed 000's 0.10 is w_5 and ∂E/∂Out_{h2} rounded)
            if not (student.has(d.value) or student.has(-d.value) or d in folded):
                continue
            found = self._standing_for(d.text, env)
            if abs(d.value) in self.carried and self.carried[abs(d.value)][0] not in found:
                found.insert(0, self.carried[abs(d.value)][0])
            if found:  # (a given's exact value, 0.1 = w_5 beside a δ of 0.0616, is first kept as the given)
                kept: list[sp.Expr | None] = [None] if abs(d.value) in leaves and d not in folded else []
                options.append([(d, q) for q in [*kept, *found][:4]])
        if not options and not folded:
            yield from self._summed(student, env)
            return
        if len(options) > 4:
            return
        values = {**env, **dict(self.carried.values())}
        for combo in itertools.islice(itertools.product(*options), 16):
            combo = tuple((d, q) for d, q in combo if q is not None)
            if not combo:
                continue
            e = student
            if folded:  # 0.0414 · 0.2406 · i_2: SymPy multiplied the numbers into one coefficient
                e = e / sp.Mul(*(d.value for d in folded))
            for d, q in combo:
                sign = 1 if values[q] * d.value > 0 else -1
                e = e * sign * q if d in folded else e.xreplace({d.value: sign * q, -d.value: -sign * q})
            read = ", ".join(f"{d.text} = ${self._shown(q)}$" for d, q in combo)
            yield e, read

    def _standing_for(self, text: str, env: Mapping[sp.Expr, sp.Expr]) -> list[sp.Expr]:
        """The computed quantities (not given ones) a decimal written in a formula can stand for."""
        return [q for q, v in env.items() if v.is_real and v != 0 and _near(text, v)
                and not isinstance(q, sp.Dummy) and q not in self.leaves]

    def _summed(self, student: sp.Expr, env: Mapping[sp.Expr, sp.Expr]) -> Iterator[tuple[sp.Expr, str]]:
        """The formula with its numeric coefficient read as the quantity it is a value of, when SymPy summed the
        line's numbers into it: y_{h1}(1 − y_{h1})[0.1(−0.061605) + (−0.5)(−0.149181)] is y_{h1}(1 − y_{h1}) ·
        0.068430, and 0.068430 is ∂E/∂y_{h1} (here with the opposite sign)."""
        coefficient, rest = student.as_coeff_Mul()
        if not (coefficient.is_Rational and not coefficient.is_Integer) or len(self.line_decimals) < 2 \
                or any(student.has(d.value) or student.has(-d.value) for d in self.line_decimals):
            return
        digits = max(_places(d.text) for d in self.line_decimals)
        text = f"{abs(float(coefficient)):.{digits}f}"
        for q in self._standing_for(text, env)[:4]:
            sign = 1 if env[q] * coefficient > 0 else -1
            yield rest * sign * q, f"{text} = ${self._shown(q)}$"

    def _folded(self, student: sp.Expr, leaves: set[sp.Expr]) -> tuple[Written, ...]:
        """The decimals of the line that SymPy folded into the formula's numeric coefficient (0.0414 · 0.2406 · i_2
        is 0.00995 · i_2): all those not found on their own, when their product is that coefficient exactly."""
        absent = tuple(d for d in self.line_decimals if abs(d.value) not in leaves
                       and not (student.has(d.value) or student.has(-d.value)))
        coefficient = student.as_coeff_Mul()[0]
        if len(absent) < 2 or abs(coefficient) != abs(sp.Mul(*(d.value for d in absent))):
            return ()
        return absent

    def _same(self, student: sp.Expr, truth: sp.Expr) -> tuple[bool, str]:
        try:
            s, t = self.forward_form(student), self.forward_form(truth)
        except ValueError:  # an error term read inside a derivative's variable (Φ'(s_2), s read as δ): no formula
            return False, "different values"
        fixed = self.given_numbers(student) if self.truth.network.is_numeric() else set()
        if fixed:  # numbers put for given quantities: equal as functions of everything else
            compared = _compare(s, t, self.mixed_witnesses(fixed))
            if compared is None:
                return False, "different values"
            names = ", ".join(f"${self.notation.latex(x)}$" for x in sorted(fixed, key=str))
            return (True, self.say("equal_given", names=names)) if compared else (False, "not comparable")
        # values first: one point where they differ settles it, and most comparisons (every wrong variant a
        # diagnosis tries) end there, before the far costlier symbolic cancellation
        # (an abstract Φ has no values: nothing to compare, and trying costs as much as the cancellation)
        compared = 0 if t.atoms(AppliedUndef) or s.atoms(AppliedUndef) else _compare(s, t, self.witnesses)
        if compared is None:
            return False, "different values"
        difference = s - t
        try:
            if sp.count_ops(difference) < 4000 and _cancels(sp.expand(difference), bounded=bool(compared)):
                return True, self.say("equal_symbolic")
        except (sp.PolynomialError, RecursionError, TypeError, ValueError):  # pragma: no cover - SymPy limits
            pass
        if compared:
            return True, self.say("equal_values", n=compared)
        # no values (an abstract activation Φ): both written in the leaves, Φ(…) kept, must cancel
        if self._differs_for_a_phi(difference):  # most diagnosis variants end here, before composing and cancelling
            return False, "different values"
        try:
            composed = self.truth.network.compose(difference, self._composed)
            if _differs_for_some_phi(composed):
                return False, "different values"
            if sp.count_ops(composed) < 4000 and sp.cancel(sp.expand(composed.doit())) == 0:
                return True, self.say("equal_symbolic")
        except (sp.PolynomialError, RecursionError, TypeError, ValueError):  # pragma: no cover - SymPy limits
            pass
        return False, "not equal symbolically"

    @cached_property
    def _composed(self) -> dict[sp.Symbol, sp.Expr]:
        return self.truth.network.composed()

    @cached_property
    def _phi_values(self) -> dict[sp.Symbol, sp.Expr]:
        """Every quantity's value with one concrete Φ (_CONCRETE_PHI) at one point of the leaves: the numbers that
        _differs_for_a_phi puts in a formula without composing it."""
        point: dict[sp.Symbol, sp.Expr] = {}
        values: dict[sp.Symbol, sp.Expr] = {}
        for s, e in self._composed.items():
            if e == s:
                point[s] = sp.Rational(37 + 11 * len(point), 101)
        for s, e in self._composed.items():
            v = _with_concrete_phi(e).xreplace(point)
            if v.free_symbols:
                continue
            values[s] = sp.N(v, 40)
        return values

    def _differs_for_a_phi(self, e: sp.Expr) -> bool:
        """Is e (in the network's symbols, an abstract Φ in it) non-zero for the concrete Φ at the point of
        _phi_values? Then it is not zero as an identity in Φ (a zero, or a formula this cannot evaluate, proves
        nothing). Φ'(net_h1) is the concrete Φ's derivative at net_h1's value."""
        values = self._phi_values
        try:
            e = e.xreplace({d: _CONCRETE_SLOPE(values[d.variables[0]]) for d in e.atoms(sp.Derivative)
                            if len(d.variables) == 1 and isinstance(d.expr, AppliedUndef)
                            and d.expr.args == d.variables and d.variables[0] in values})
            e = e.xreplace({a: _CONCRETE_PHI(*(x.xreplace(values) for x in a.args)) for a in e.atoms(AppliedUndef)
                            if len(a.args) == 1})  # (at numbers: the concrete Φ evaluates at once)
            v = e.xreplace(values)
            if v.free_symbols or v.atoms(AppliedUndef, sp.Derivative, sp.Subs):
                return False
            v = sp.N(v, 30)
            return bool(v.is_number and v.is_real and abs(v) > sp.Float("1e-20"))
        except (TypeError, ValueError, ZeroDivisionError, RecursionError):  # pragma: no cover - SymPy limits
            return False

    # -- one answer -------------------------------------------------------------------------------

    def in_place(self, parsed: Parsed, target: Target | None = None) -> Parsed:
        """g ← g ⊙ σ′(a) (Goodfellow's pseudo-code): the student's own variable updated in place. Its earlier value
        is not on the line, so the members that use it are set aside (unchecked), and what it defined before is
        forgotten; the numbers after them are judged against the asked quantity when they end the answer."""
        kept, skipped = [], list(parsed.skipped)
        for k, chain in enumerate(parsed.chains):
            head = self._single_name(chain.elements[0].expr, parsed.names)
            if chain.relations[:1] != ("assign",) or not isinstance(head, RawName) or not self.resolver.own(head) \
                    or chain.elements[0].expr not in chain.elements[1].expr.free_symbols:
                kept.append(chain)
                continue
            j = 1
            while j < len(chain.elements) and chain.elements[0].expr in chain.elements[j].expr.free_symbols:
                j += 1
            error = ParseError(self.say("in_place", name=raw_text(head)), chain.start, key="in_place",
                               params={"name": raw_text(head)})
            skipped.append(Skipped(" ".join(chain.text[:chain.elements[j - 1].end - chain.start].split()), error,
                                   frozenset({head.base})))
            # the numbers after it: g's new value, which only the answer's last line makes its result
            last = all(c.text == chain.text for c in parsed.chains[k:])  # (a vector's entries: one chain each)
            if j < len(chain.elements) and last and chain.elements[j].entry == self._entry_of(target, chain):
                kept.append(replace(chain, elements=chain.elements[j:], relations=chain.relations[j:]))
            elif j < len(chain.elements):
                skipped[-1] = replace(skipped[-1], text=" ".join(chain.text.split()))
        return replace(parsed, chains=tuple(kept), skipped=tuple(skipped)) if skipped != list(parsed.skipped) \
            else parsed

    def _entry_of(self, target: Target | None, chain: Chain) -> tuple[int, int] | None:
        """The entry of a vector of a layer's units that is the asked unit's (g ← g ⊙ σ′(a) = [δ_{h1}; δ_{h2}] asked
        δ_{h1}: entry (0, 0)); None for a chain of numbers that is no vector's."""
        shape = chain.elements[0].whole
        if shape is None:
            return None
        if target is None or target.net is None or 1 not in shape:
            return (-1, -1)  # (no entry is the answer's)
        for layer in self.truth.network.layers:
            if target.net in layer.nets and max(shape) == len(layer.nets):
                k = layer.nets.index(target.net)
                return (k, 0) if shape[1] == 1 else (0, k)
        return (-1, -1)

    def answer(self, parsed: Parsed, target: Target, text: str, min_significant: int | None = None,
               require_value: bool = False) -> Judged:
        text = parsed.read or text  # (the positions of a console's printed values are those of its statements)
        self.answer_text, self.answer_written = text, len(self.written)
        if min_significant is not None:
            self.min_significant = min_significant
        self.require_value = require_value
        self.blanks = parsed.blanks
        self.answer_places = max((_places(d.text) for d in decimals(text)), default=0)
        judged = Judged()
        parsed = self._side_lemmas(parsed)
        self._notation(parsed)
        self._declared_units(parsed, target)
        self._unit_labels(parsed)
        if any(r.base == "z" and re.fullmatch(r"\d,\d", r.sub) and not r.sup for r in _written(parsed.names)):
            # Kroese's z_{1,2}: layer, then unit — z_2, a_2, δ_2 alone are layer 2's (a z sheet: a the outputs; on
            # Khapra's and Shalev-Shwartz's, a_{2,1} is a net input)
            self.resolver.layer_first = True
        self._stated_convention(parsed)
        if len(self.truth.copies) > 1 and (any(_said_number(m) == 0 for m in _SAMPLE_SAID.finditer(text)) or any(
                r.sup == "(0)" and (r.base in ERROR_BASES or r.base == "l") for r in _written(parsed.names))):
            self.resolver.samples_from_zero = True  # Chollet's "sample 0", L^{(0)}: a batch counted from 0
        # names defined anywhere in the answer ("= Δ h_2, where Δ = …"); a name an earlier answer defined and this one
        # defines anew through itself keeps its meaning until that line (Fausett's δ_in_2 = δ_1 w_21 + δ_2 w_22, then
        # δ_2 = δ_in_2 f'(z_in_2): δ_2 of output 2, then of hidden unit 2)
        circular = self._defined_through_itself(parsed)
        # W of ∂E/∂W^{(1)}_{ij} = …, o of ∂E/∂o = o − y: a layer's rule set aside in this answer
        self.rule_bases: set[str] = set()
        self.delta_said: dict[RawName, RawPartial] = {}  # δ_O = ∂E/∂net_O in this answer: the derivative it is
        self.named_here = {}  # (δ_3 := ∂E/∂s_3, then δ_3 = (y − d) W_3: a claim about the derivative named)
        for chain in parsed.chains:
            head = self._single_name(chain.elements[0].expr, parsed.names)
            if chain.elements[0].whole is not None:
                continue  # a^1 = [0.85 \\ 0.48]: a name for a vector, not defined by one entry (nor the last one)
            if isinstance(head, RawName) and len(chain.elements) > 1 and self._own(head, chain.elements, parsed.names) \
                    and head not in circular and chain.relations[:1] != ("assign",) \
                    and self._unread(chain.elements[1:], parsed.names) is None and head not in self.named_here:
                self._define_own(head, list(chain.elements), parsed.names, target)
                if len(chain.elements) == 2 and isinstance(partial := parsed.names.get(chain.elements[1].expr),
                                                           RawPartial):
                    self.named_here[head] = partial
        parsed = self.resolver.join_steps(parsed)  # Δw5 (after the definitions: seed 002's own Δ is no step)
        parsed = _labelled(parsed)
        names = dict(parsed.names)
        self._gradient_deltas(parsed)
        restated = self._headed(parsed, target, partial=True)
        asked = self._headed(parsed, target, partial=False)
        for k, chain in enumerate(parsed.chains):
            self.restated_later = any(j > k for j in restated)
            self.asked_later = any(j > k for j in asked)
            self.later_text = " ".join(c.text for c in parsed.chains[k + 1:])
            self.earlier_text = " ".join(c.text for c in parsed.chains[:k])
            lone = len(chain.elements) == 1
            if self._mention(chain, judged, text) or (lone and k + 1 < len(parsed.chains) and (
                    isinstance(chain.elements[0].expr, sp.Symbol) or self.asked_later
                    or (chain.elements[0].literal is not None and chain.elements[0].expr.is_Integer))) \
                    or (lone and isinstance(chain.elements[0].expr, sp.Symbol)
                        and _in_sentence(text, chain.elements[0].start, chain.elements[0].end)):
                # ("entry [1][2] is $w_7$, …": a lone name inside a sentence, also the last, names, claims nothing)
                # E = 0.2910 \text{, smaller than the first pass's} 0.2984; w_3 \rightarrow w_3' = …: a name as a label;
                # Kriesel's "the BIAS neuron (always $1$)": a whole number in a sentence, before the lines that claim;
                # "I fixed 9 (mean, so $-0.030164$)", "written with $(d - y)$": a piece of math in a sentence before
                # the chain of the asked quantity
                said = "mention" if chain.elements[0].literal is not None else "label"
                judged.lines.append(LineVerdict(self._src(text, chain.elements[0]), INCORRECT, self.say(said),
                                                kind="unresolved"))
                continue
            if self._set_named(chain, text):  # Kriesel's "L = \{\Omega\}": the units a sum runs over
                judged.lines.extend(LineVerdict(self._src(text, e), INCORRECT, self.say("set_named"),
                                                kind="unresolved") for e in chain.elements)
                continue
            if self._two_names(chain, names, target):  # Efron & Hastie's "w_5 = w^{(2)}_{11}": the weight's book name
                judged.lines.extend(LineVerdict(self._src(text, e), INCORRECT, self.say("two_names"),
                                                kind="unresolved") for e in chain.elements)
                continue
            self.resolver.sample = self._sample_said(text, chain)
            self.chain(self._instance(self._renamed(self._value_first(chain, names), names), names), names, target,
                       judged, text)
        self.resolver.sample = 1
        self.establish(judged, names, target)
        return judged

    def _value_first(self, chain: Chain, names: Mapping[sp.Symbol, RawName | RawPartial]) -> Chain:
        """0.114912 = In_{o_2} = w_6 h_1 + w_8 h_2 (an HP-15C's display, then the name of what it shows): a number
        first, then a name, all equal: the chain read from the name, the number last (In_{o_2} = … = 0.114912)."""
        if len(chain.elements) < 2 or chain.elements[0].literal is None or chain.elements[0].expr.free_symbols \
                or self._single_name(chain.elements[1].expr, names) is None \
                or any(r not in ("=", "approx") for r in chain.relations):
            return chain
        return replace(chain, elements=(*chain.elements[1:], chain.elements[0]),
                       relations=(*chain.relations[1:], chain.relations[0]))

    @staticmethod
    def _set_named(chain: Chain, text: str) -> bool:
        r"""Is the chain a capital letter equated with braces \{…\} (a set of units, L = \{\Omega\})?"""
        if len(chain.elements) != 2:
            return False
        first, second = (text[e.start:e.end].strip() for e in chain.elements)
        return re.fullmatch(r"[A-Z]|\\mathcal\{[A-Z]\}", first) is not None and second.startswith("\\{") \
            and second.endswith("\\}")

    def _stated_convention(self, parsed: Parsed) -> None:
        """Gallant's "δ_i = −∂E/∂S_i here", Mehlig's δ^{(μ)}_i = t^{(μ)}_i − O^{(μ)}_i stated as a rule (an index
        letter, or no index): every δ of the sheet is −∂E/∂net, also on the lines before the statement — unless the
        sheet defined its δ as ∂E/∂net itself before (δ_O := ∂E/∂net_O = …; then "the book uses δ = −∂E/∂net" is
        a remark about another convention)."""
        nets = {n for layer in self.truth.network.layers for n in layer.nets}
        for chain in parsed.chains:
            head = self._single_name(chain.elements[0].expr, parsed.names)
            partial = parsed.names.get(chain.elements[1].expr) if len(chain.elements) > 1 else None
            if isinstance(head, RawName) and head.base in DELTA_BASES and head.sub and not head.accent \
                    and isinstance(partial, RawPartial) and partial.of.base in ERROR_BASES \
                    and isinstance(partial.wrt, RawName) and self.resolver.name(partial.wrt) in nets:
                self.resolver.affirmed.add(head.base)
        for chain in parsed.chains:
            head = self._single_name(chain.elements[0].expr, parsed.names)
            if not isinstance(head, RawName) or head.base not in DELTA_BASES or head.accent or len(chain.elements) < 2 \
                    or not (head.sub == "" or head.sub in INDEX_LETTERS) \
                    or (any(c.isdigit() for c in head.sup) and head.sub not in INDEX_LETTERS):
                # (a layer's rule by its units' letter, Rich & Knight's δ2_j = o_j(1 − o_j)(y_j − o_j), states the
                # convention; UFLDL's one-unit δ^{(3)} = (d − a^{(3)}) f′ is that unit's value, maybe a slip)
                continue
            e = chain.elements[1].expr
            raw = parsed.names.get(-e) if isinstance(-e, sp.Symbol) else None
            if (isinstance(raw, RawPartial) and raw.of.base in ERROR_BASES and raw.wrt.sub == head.sub
                    and not raw.wrt.sup) or _target_minus_output(e, parsed.names, head.sub):
                if head.base not in self.resolver.affirmed:
                    self.resolver.negated.add(head.base)

    def _sample_said(self, text: str, chain: Chain) -> int:
        """"sample 1 $h_2 = 0.0363$, $y_3 = 0.2895$; sample 2 $h_2 = 0.1666$": in a batch, the sample the prose of the
        line names last before the chain, with no other prose between (only math and punctuation); 1 otherwise, and
        when two samples are named together ("averaging sample 1 and sample 2: …")."""
        if len(self.truth.copies) < 2:
            return 1
        start = chain.elements[0].start
        line = text[text.rfind("\n", 0, start) + 1:start]
        said = list(_SAMPLE_SAID.finditer(line))
        if not said and (given := _SAMPLE_GIVEN.search(line)) is not None:
            k = int(given[1])  # (an IRC log's "x(2) = (-0.4, 0.3): a1 = …": sample 2's input, then its quantities)
            return k if 1 <= k <= len(self.truth.copies) else 1
        if not said:
            return 1
        last = said[-1]
        k = _said_number(last) + int(self.resolver.samples_from_zero)
        between = _BRACKETED.sub(" ", _INLINE_MATH.sub(" ", _COMMAND.sub(" ", line[last.end():])))
        # ("sample 1 ($x = …$, class 3):"; a command is math, not a word: ŷ = (…) is \hat{y} by now)
        together = len(said) > 1 and not _INLINE_MATH.search(line[said[-2].end():last.start()]) \
            and "=" not in line[said[-2].end():last.start()]  # (plain text's "样本1：x=(…)；样本2：x=(…)")
        # (prose in another script within the same sentence goes on about that sample: "样本2：x=(…)，标签 t=(0,0,1)")
        ended = re.search(r"[。；;！？!?]|\.(?:\s|$)|[A-Za-z]{3,}", between) is not None
        return k if 1 <= k <= len(self.truth.copies) and not together and not (PROSE_WORD.search(between) and ended) \
            else 1

    def _defined_through_itself(self, parsed: Parsed) -> set[RawName]:
        """The names an earlier answer defined that this answer defines again in terms of themselves, through the
        names its lines define (δ_2 = δ_in_2 f'(z_in_2) with δ_in_2 = δ_1 w_21 + δ_2 w_22)."""
        uses: dict[RawName, set[RawName]] = {}
        for chain in parsed.chains:
            head = self._single_name(chain.elements[0].expr, parsed.names)
            if isinstance(head, RawName) and len(chain.elements) > 1:
                uses.setdefault(head, set()).update(*(self._raw_names(e.expr, parsed.names)
                                                      for e in chain.elements[1:]))
        out = set()
        for head in uses:
            if head not in self.resolver.defined:
                continue
            seen, todo = set(), list(uses[head])
            while todo:
                r = todo.pop()
                if r not in seen:
                    seen.add(r)
                    todo += uses.get(r, ())
            if head in seen:
                out.add(head)
        return out

    def _ends_in_value(self, elements: Sequence[Element], value: sp.Expr | None) -> bool:
        """Does the chain end in a number that is `value` to the decimals written, 3 significant digits or more?"""
        last = elements[-1].literal
        if value is None or last is None or not value.is_real or value == 0:
            return False
        places = _places(last)
        return _significant(value, places) >= 3 and _round(value, places) == _round(sp.Rational(last), places)

    def _gradient_deltas(self, parsed: Parsed) -> None:
        """Raschka's Δb^{(out)} = δ^{(out)}, then b := b − η Δb: a Δ of a parameter defined anywhere in the answer
        as its gradient ∂E/∂p (not the step −η ∂E/∂p) means the gradient, here and in later answers."""
        for chain in parsed.chains:
            head = self._single_name(chain.elements[0].expr, parsed.names)
            if not isinstance(head, RawName) or not head.base.startswith(DELTA_STEP) or len(chain.elements) < 2 \
                    or head in self.resolver.defined:
                continue
            param = self.resolver.name(replace(head, base=head.base[len(DELTA_STEP):]))
            try:
                step, said = self.resolver.name(head), self.resolver.expr(chain.elements[1].expr, parsed.names)
            except Unresolved:
                continue
            if param in self.truth.network.params and step is not None and not self._equal(said, step):
                gradient = self.truth.partial_of(self.truth.loss, param)
                if self._equal(said, gradient):
                    self.resolver.defined[head] = gradient

    def _side_lemmas(self, parsed: Parsed) -> Parsed:
        """∂E/∂w_4 = δ_O w_6 σ'(net_{h2}) i_2, σ'(x) = e^{-x}/(1 + e^{-x})^2 (new line) = (out_O − target) …: a lemma
        in a variable of its own (x) set beside a chain; the members after it without x continue that chain."""
        chains = list(parsed.chains)
        for k in range(1, len(chains)):
            x = self._lemma_variable(chains[k], parsed.names)
            if x is None:
                continue
            elements = chains[k].elements
            last = max(j for j, e in enumerate(elements) if x in e.expr.free_symbols)
            if last == 0 or last == len(elements) - 1 or self._unread_member(elements[last + 1:], parsed.names):
                continue  # (1 − z² after h'(a) = 1 − tanh²(a): z is the lemma's own output, see _instance)
            before, lemma = chains[k - 1], chains[k]
            chains[k - 1] = replace(before, elements=before.elements + elements[last + 1:],
                                    relations=before.relations + lemma.relations[last:])
            chains[k] = replace(lemma, elements=elements[:last + 1], relations=lemma.relations[:last])
        return replace(parsed, chains=tuple(chains))

    def _lemma_variable(self, chain: Chain, names: Mapping[sp.Symbol, RawName | RawPartial]) -> sp.Symbol | None:
        """x of σ'(x) = …: a plain name no network quantity is, as the only argument of the chain's head function."""
        first = chain.elements[0].expr
        if not isinstance(first, AppliedUndef) or len(first.args) != 1 or not isinstance(first.args[0], sp.Symbol):
            return None
        raw = names.get(first.args[0])
        if not isinstance(raw, RawName) or raw.sub or raw.sup or self.resolver.name(raw) is not None:
            return None
        return first.args[0]

    def _notation(self, parsed: Parsed) -> None:
        """The sheet's notation, before any line is judged: a 西瓜书 name v_{ih} anywhere in the answer, or a weight
        equated with the two-index name that only 西瓜书's order (w_{hj}: hidden h → output j) makes it
        (w_6 = w_{21}), sets that notation (b_h in an earlier line is then a hidden output)."""
        resolver = self.resolver
        raws = [r for r in parsed.names.values() if isinstance(r, RawName) and not r.accent]
        targets = {r.sub for r in raws if r.base in ("t", "target", "d") and r.sub}
        layers = len(self.truth.network.layers)
        if "y" not in resolver.roles and targets and layers >= 2 and any(
                r.base == "o" and r.sub.isdigit() and not r.sup for r in raws) \
                and any(r.base == "y" and r.sub.isdigit() and not r.sup for r in raws) \
                and self.truth.network.layers[-1].neurons != self.truth.network.layers[-2].neurons:
            resolver.roles["y"] = ("out", layers - 2)  # Zurada's z → y → o with d desired: y the hidden layer,
            if layers == 2:                             # z the inputs
                resolver.roles.setdefault("z", ("x", -1))
        marked = {r.sup for r in raws if r.base in ("t", "target", "d") and r.sup and not r.sub}
        if "y" not in resolver.roles and (any(r.base == "y" and r.sub in targets and not r.sup for r in raws) or any(
                r.base == "y" and r.sup in marked and not r.sub for r in raws)):
            resolver.roles["y"] = ("out", len(self.truth.network.layers) - 1)  # Hinton's t_{o1} − y_{o1}: y the output
            # (Gurney's t^{o1} − y^{o1})
        every = _written(parsed.names)
        bases = {r.base for r in every}
        if bases & ACTUAL_BASES:  # "actual": the target beside a prediction or the output; the output beside a
            # target or an ideal, or alone
            subs = {r.sub for r in every if r.base in ACTUAL_BASES}
            same = any(r.base in OUT_BASES and (r.sub in subs or not r.sub) for r in every)  # (the same output's)
            if bases & PREDICTION_BASES or (same and not bases & TARGET_WORDS):
                resolver.actual = "t"
            elif bases & TARGET_WORDS or resolver.actual is None:
                resolver.actual = "out"
        if "y" not in resolver.roles and self._hat_beside_plain(parsed):
            resolver.roles["y"] = ("t", len(self.truth.network.layers) - 1)  # ŷ_1 − y_1: y the label (its outputs
            # being the network's y1, y2, … would make the line 0)
        if "o" not in resolver.roles and any(r.base == "y" and r.accent == "hat" for r in every) \
                and any(r.base == "o" and (r.sub.isdigit() or not r.sub) and not r.accent for r in every):
            resolver.roles["o"] = ("net", len(self.truth.network.layers) - 1)  # d2l: ŷ = softmax(o), o the logits
        for raw in parsed.names.values():
            if isinstance(raw, RawName) and raw.base == "v" and len(raw.sub) == 2 and raw not in resolver.defined:
                resolver.name(raw)
            if isinstance(raw, RawName) and raw.base in XIGUA_NETS and raw.sub.isdigit() and len(raw.sub) == 1 \
                    and not raw.sup and len(self.truth.network.layers) == 2 and resolver.name(raw) is None:
                resolver.xigua = True  # β_j, α_h: 西瓜书's net inputs of output j and hidden unit h
            if isinstance(raw, RawName) and raw.base in DELTA_BASES and raw.sup in ("(1)", "1") and raw.sub.isdigit() \
                    and len(self.truth.copies) > 1 and resolver.layer_reading(raw) is None:
                resolver.sample_bases.add(raw.base)  # δ_1^{(1)}: layer 1 (the inputs) has no δ, so (n) is a sample
        if any(r.base in ("y", "o", "e", "O", "I", "t", "T", "theta", "Err") and r.sub.isdigit()
               and not r.sup
               and resolver.past_widest(int(r.sub))
               and resolver._through(int(r.sub)) is not None for r in raws):
            resolver.through = True  # Negnevitsky's o_6: units numbered through the network, the inputs first
            # (not by z_k, b_k, δ_k: a sheet counting its neurons from the first hidden one, or δ_5 per weight)
        self._layer_numbering(parsed)
        self._numbering_by_formula(parsed)
        self._weights_by_formula(parsed)
        self._weight_order(parsed)
        self._matrix_orientation(parsed)
        self._reversed_by_formula(parsed)
        for chain in parsed.chains:
            pair = [self._single_name(e.expr, parsed.names) for e in chain.elements[:2]]
            if len(pair) < 2 or not isinstance(pair[1], RawName) or pair[1].base != "w" or pair[1].sup \
                    or len(pair[1].sub) != 2 or not pair[1].sub.isdigit() or resolver.name(pair[1]) is not None:
                continue
            try:
                weight = resolver.expr(chain.elements[0].expr, parsed.names)
            except Unresolved:
                continue
            if weight in self.truth.network.params and resolver.xigua_weight(pair[1].sub) == weight:
                resolver.xigua = True

    def _weight_order(self, parsed: Parsed) -> None:
        """a_j = Σ_{i=1}^{3} w^{(1)}_{ji} x_i (expanded: w_{j1} x_1 + w_{j2} x_2 + …): the sheet declares which index
        of a weight is the unit it goes into (here the first, Bishop's); net_j = Σ_i w_{ij} x_i declares the other
        order. Two declarations that disagree leave the names read as before."""
        resolver = self.resolver
        seen: set[str] = set()
        for chain in parsed.chains:
            head = self._single_name(chain.elements[0].expr, parsed.names) if len(chain.elements) > 1 else None
            if not isinstance(head, RawName) or len(head.sub) != 1 or not head.sub.isalpha():
                continue  # (a unit's number as the head, u_2 = x_1 W_{12} + …, is a claim, not the sheet's rule: it
                # cannot declare the order it is itself read in)
            total = chain.elements[1].expr
            if not isinstance(total, sp.Add):
                continue
            orders: set[str] = set()
            for term in total.args:
                raws = [parsed.names.get(s) for s in term.free_symbols]
                weights = [r for r in raws if isinstance(r, RawName) and r.base in ("w", "W")
                           and len(r.sub.replace(",", "")) == 2]
                others = [r for r in raws if isinstance(r, RawName) and r not in weights and r.sub.isdigit()]
                if not weights and len(raws) == 1:
                    continue  # the bias b_j
                if len(weights) != 1 or len(others) != 1 or len(raws) != 2 or not isinstance(term, sp.Mul):
                    orders.add("")
                    continue
                sub, k = weights[0].sub.replace(",", ""), others[0].sub
                orders.add("to" if sub == head.sub + k else "from" if sub == k + head.sub else "")
            if len(orders) == 1 and "" not in orders:
                seen |= orders
        seen |= self._renamed_weights(parsed) | self.rule_order(parsed)
        if len(seen) == 1:
            order = seen.pop()
            resolver.weight_order = order if resolver.weight_order in (None, order) else ""  # "": they disagreed

    @staticmethod
    def rule_order(parsed: Parsed) -> set[str]:
        """Rich & Knight's Δw1_{ij} = η δ1_j x_i, ∂E/∂w^{(2)}_{ij} = −δ_j o_i: a layer's weight's rule by index
        letters, its error term's letter the unit the weight goes into — the first index ("to") or the second
        ("from"). (A rule about a weight without a layer, Ertel's Δw_{ji} = η δ_j x_i, is the book's, not the
        order of the sheet's W^1_{ij}.)"""
        found: set[str] = set()
        for chain in parsed.chains:
            if len(chain.elements) != 2:
                continue
            heads = [parsed.names.get(s) for s in chain.elements[0].expr.free_symbols]
            steps = [r for r in heads if isinstance(r, RawPartial) or (isinstance(r, RawName) and r.base == "Delta")]
            weights = [r for r in (*(r.wrt for r in steps if isinstance(r, RawPartial)), *heads)
                       if isinstance(r, RawName) and r.base in ("w", "W") and len(r.sub) == 2 and r.sub.isalpha()
                       and r.sub[0] != r.sub[1] and r.sup.isdigit()]
            if len(heads) > 2 or not steps or not weights:
                continue
            sub = weights[0].sub
            rest = [parsed.names.get(s) for s in chain.elements[1].expr.free_symbols]
            lettered = [r for r in rest if isinstance(r, RawName) and len(r.sub) == 1 and r.sub in sub]
            deltas = {r.sub for r in lettered if r.base in DELTA_BASES}
            others = {r.sub for r in lettered if r.base not in DELTA_BASES and r.base not in ("w", "W")}
            if len(deltas) == 1 and others == set(sub) - deltas:
                found.add("to" if sub[0] in deltas else "from")
        return found

    def _renamed_weights(self, parsed: Parsed) -> set[str]:
        """w^1_{21} = w_3, w^1_{12} = w_2 (Brilliant's indices translated to the sheet's numbers): the index orders in
        which every such line holds ("" when none does)."""
        resolver, found = self.resolver, []
        for chain in parsed.chains:
            if len(chain.elements) != 2:
                continue
            head, other = (self._single_name(e.expr, parsed.names) for e in chain.elements)
            if not (isinstance(head, RawName) and isinstance(other, RawName) and head.base in ("w", "W")
                    and len(head.sub) == 2 and head.sub.isdigit() and other.base in ("w", "W")):
                continue
            meant = resolver.name(other)
            if meant not in self.truth.network.params:
                continue
            fits = set()
            saved = resolver.weight_order
            for order in ("to", "from"):
                resolver.weight_order = order
                try:
                    if resolver.name(head) == meant:
                        fits.add(order)
                except Unresolved:
                    pass
            resolver.weight_order = saved
            found.append(fits)
        if not found:
            return set()
        common = set.intersection(*found)
        return common if len(common) == 1 else set() if common else {""}

    def _matrix_orientation(self, parsed: Parsed) -> None:
        """W^{(1)} = [w_1 w_2; w_3 w_4] with w_2 the weight into hidden unit 1 (Learning From Data's layout: inputs in
        rows, units in columns): this answer's weight matrices are the transposes of the network's, and the sheet's
        W^{(l)}_{ij} goes from unit i to unit j. (Only in this answer: a sheet that wrote its names so may write a
        matrix of numbers the network's way later — Goodfellow's seed 002 key does.)"""
        resolver = self.resolver
        resolver.transposed = False
        written: dict[str, dict[tuple[int, int], sp.Expr]] = {}
        numbers: dict[str, list[tuple[sp.Expr, sp.Expr, sp.Expr]]] = {}  # (entry, transposed entry, number written)
        for chain in parsed.chains:
            head, entry = chain.elements[0], chain.elements[1].entry if len(chain.elements) > 1 else None
            raw = parsed.names.get(head.expr) if isinstance(head.expr, sp.Symbol) else None
            member = chain.elements[1] if entry is not None else None
            if member is None or entry is None or head.entry != entry or not isinstance(raw, RawName) \
                    or raw.base not in ("W", "w"):
                continue
            matrix = resolver.layer_matrix(raw)
            if matrix is None or not matrix[0].is_square:
                continue
            m, (r, c) = matrix[0], entry
            if member.expr.is_Number and resolver.declared_transposed:
                numbers.setdefault(raw.sup + raw.sub, []).append((m[r, c], m[c, r], member.expr))
            if raw.sub or not isinstance(member.expr, sp.Symbol):
                continue
            try:
                param = resolver.expr(member.expr, parsed.names)
            except Unresolved:
                continue
            if param not in self.truth.network.params:
                continue
            entries = written.setdefault(raw.sup, {})
            entries[entry] = param
            if len(entries) == m.rows * m.cols and all(p == m[c, r] for (r, c), p in entries.items()) \
                    and any(p != m[r, c] for (r, c), p in entries.items()):
                resolver.transposed = resolver.declared_transposed = True  # (and W^{(l)}_{ij}, row i column j, goes
                resolver.weight_order = "from" if resolver.weight_order in (None, "from") else ""  # from i to j)
                return
        for shown in numbers.values():  # a sheet that declared the layout, later writing a matrix of numbers:
            straight, turned = (sum(1 for entry in shown if (v := self.truth.value(entry[k])) is not None
                                    and abs(entry[2] - v) <= abs(v) / 200) for k in (0, 1))
            if turned > straight:  # whichever way its numbers are the weights (Learning From Data's W^{(1)}(1))
                resolver.transposed = True
                return

    def _unit_labels(self, parsed: Parsed) -> None:
        """"Labels: A = h_1, B = h_2, C = o_1, D = o_2" (MIT 6.034's lettered neurons): two or more capital letters,
        each equated alone with one unit's output, are the sheet's names of those units — z_A is h1's net input,
        o_C the output of o1 — and C is then a unit, not a cost. Kriesel's Ω (his output neuron) alone is one."""
        labels: dict[RawName, tuple[str, sp.Expr]] = {}
        for chain in parsed.chains:
            pair = [self._single_name(e.expr, parsed.names) for e in chain.elements]
            if len(pair) != 2 or not isinstance(pair[0], RawName) or not isinstance(pair[1], RawName) \
                    or not ((len(pair[0].base) == 1 and pair[0].base.isupper()) or pair[0].base == "Omega") \
                    or pair[0].sub or pair[0].sup:
                continue
            try:
                out = self.resolver.name(pair[1])
            except Unresolved:
                continue
            unit = next((layer.neurons[k] for layer in self.truth.network.layers
                         for k, o in enumerate(layer.outs) if o == out), None)
            if unit is not None:
                labels[pair[0]] = (unit, out)
        if len(labels) >= 2 or any(raw.base == "Omega" for raw in labels):  # (Kriesel's Ω = O: his output neuron)
            for raw, (unit, out) in labels.items():
                self.resolver.defined[raw] = out
                self.resolver.unit_labels[raw.base] = unit

    def _declared_units(self, parsed: Parsed, target: Target) -> None:
        """u_1 = w_1 x_1 + w_2 x_2 + b_1 (a Chinese blog's hidden net input, where the aliases read u_k as output k's):
        a name the network has only as an alias, equated on its own line with exactly one net input's definition,
        term for term in the network's symbols, is the sheet's name for that net input. Never a name the network
        has itself (net_{o1} = w_1 x_1 + … stays a claim about net_o1), nor one the answer is about, nor one two
        lines declare differently."""
        resolver = self.resolver
        nets: dict[sp.Expr, tuple[sp.Symbol, int | None, int | None]] = {}  # definition → (net, layer, position)
        for q, info in self.truth.network.quantities.items():
            if info.kind is Kind.NET and info.definition is not None:
                for m in self.truth.copies:
                    nets.setdefault(info.definition.xreplace(m), (m.get(q, q), info.layer, info.index))
        declared: dict[RawName, set[tuple[sp.Symbol, int | None, int | None]]] = {}
        for chain in parsed.chains:
            head = self._single_name(chain.elements[0].expr, parsed.names) if len(chain.elements) > 1 else None
            if not isinstance(head, RawName) or head in resolver.defined or resolver._named(head) is not None:
                continue
            try:
                reading = resolver.name(head)
                said = resolver.expr(chain.elements[1].expr, parsed.names)
            except Unresolved:
                continue
            if reading is not None and said in nets and nets[said][0] != reading \
                    and reading not in (target.net, target.expr):
                declared.setdefault(head, set()).add(nets[said])
        for head, units in declared.items():
            if len(units) != 1:
                continue
            unit, layer, index = units.pop()
            resolver.defined[head] = unit
            if layer is not None and index is not None and head.sub == str(index + 1) and not head.sup:
                resolver.declared_nets[head.base] = layer - 1  # u_1 at position 1: the letter names that layer's

    def _weights_by_formula(self, parsed: Parsed) -> None:
        """Nielsen's z^{(2)}_2 = w^{(2)}_{21} a^{(1)}_1 + w^{(2)}_{22} a^{(1)}_2 = w_2 x_1 + w_4 x_2: a member written
        with layer-numbered weights that equals its neighbour (or the chain's head) only when w^l is read as going
        into layer l — then the sheet numbers its weights so (never the other way round: the default stays)."""
        if not self.resolver.weights_into:
            self._reading_by_formula(parsed, [{"weights_into": False}, {"weights_into": True}])

    def _reversed_by_formula(self, parsed: Parsed) -> None:
        """Kubat's net input of hidden unit 2, Σ_k w^{(2)}_{k2} x_k + 0.35 = 0.25 · 0.05 + 0.30 · 0.10 + 0.35: a member
        written with layer-numbered weights that equals its neighbour only when the layers are numbered from the
        output side (and, then, the weights' first index is the unit they leave) — the sheet numbers them so."""
        resolver = self.resolver
        count = len(self.truth.network.layers)
        if resolver.reversed_layers or resolver.weights_into or count < 2 or not self.truth.network.is_numeric() \
                or any(isinstance(r, RawName) and r.base in ("w", "W") and r.sup.isdigit() and int(r.sup) > count
                       for r in parsed.names.values()):
            return  # (Nielsen's w^3 of a two-layer network: numbered by the layer a weight goes into)
        order = resolver.weight_order
        self._reading_by_formula(parsed, [{"reversed_layers": False, "weight_order": order},
                                          {"reversed_layers": True, "weight_order": order},
                                          {"reversed_layers": True, "weight_order": "from"}])

    def _reading_by_formula(self, parsed: Parsed, settings: list[dict[str, object]]) -> None:
        """Settle how the sheet numbers its layer-numbered weights w^{(l)}_{jk}: the first member written with them
        that fits none of its neighbours (or the chain's head) under the resolver's present reading, settings[0],
        but fits one under another setting decides; the first such setting is kept. No member so: settings[0]."""
        resolver = self.resolver

        def apply(setting: dict[str, object]) -> None:
            for key, value in setting.items():
                setattr(resolver, key, value)

        for chain in parsed.chains:
            for k, element in enumerate(chain.elements):
                if not any(isinstance(r := parsed.names.get(s), RawName) and r.base in ("w", "W") and r.sup.isdigit()
                           and r.sub for s in element.expr.free_symbols):
                    continue
                others = [e for j, e in enumerate(chain.elements) if j != k and j in (0, k - 1, k + 1)]
                fits = []
                for setting in settings:
                    apply(setting)
                    try:
                        mine = resolver.expr(element.expr, parsed.names)
                        fits.append(any(self._fits(mine, o, parsed) for o in others))
                    except Unresolved:
                        fits.append(False)
                apply(settings[0])
                if not fits[0] and any(fits):
                    apply(settings[fits.index(True)])
                    return

    def _fits(self, mine: sp.Expr, other: Element, parsed: Parsed) -> bool:
        """Does a member read one way equal its neighbour: a formula as a formula, a number (the arithmetic the
        student did with the network's values) by the value of the formula, to the number's own rounding?"""
        theirs = self.resolver.expr(other.expr, parsed.names)
        if theirs.free_symbols or not mine.free_symbols:
            return self._equal(mine, theirs)
        v = self.truth.value(self.forward_form(mine))
        return v is not None and v.is_real and abs(v - theirs) <= abs(v) / 200 + sp.Rational(1, 10**9)

    def _hat_beside_plain(self, parsed: Parsed) -> bool:
        """Does a member write ŷ_k and y_k (same indices) that this network reads as one quantity?"""
        resolver = self.resolver
        for chain in parsed.chains:
            for element in chain.elements:
                raws = {r for r in self._raw_names(element.expr, parsed.names) if r.base == "y"}
                for hat in (r for r in raws if r.accent == "hat"):
                    plain = RawName("y", hat.sub, hat.sup)
                    if plain in raws and plain not in resolver.defined \
                            and resolver.name(plain) is not None and resolver.name(plain) == resolver.name(hat):
                        return True
        return False

    @staticmethod
    def _input_layer_one(chain: Chain, parsed: Parsed) -> bool:
        """a^{[1]} = x: a layer [1] whose value is the inputs' vector."""
        heads = [parsed.names.get(e.expr) if isinstance(e.expr, sp.Symbol) else None for e in chain.elements]
        return isinstance(heads[0], RawName) and heads[0].base in LAYER_BASES and heads[0].sup == "[1]" \
            and not heads[0].sub and any(isinstance(r, RawName) and r.base in INPUT_BASES and not r.sub
                                         and not r.sup for r in heads[1:])

    def _layer_numbering(self, parsed: Parsed) -> None:
        """Which layer a^{(1)} is: the sheet counts from the inputs (seed 002) or from the first hidden layer (the
        Korean and Japanese textbooks); and, in a batch, whether z^{[2]} is Ng's layer 2 or sample 2. a^{(0)}
        settles the first; otherwise the first chain headed by a layer-numbered name (or ∂E/∂ of one) that ends in
        a number: the numbering in which that number is the head's value."""
        resolver = self.resolver
        raws = [r for r in parsed.names.values() if isinstance(r, RawName)]
        if resolver.bracket_layers is None and len(self.truth.copies) > 1 and any(
                r.base in INPUT_BASES and re.fullmatch(r"\[[1-9]\]", r.sup) for r in raws):
            resolver.bracket_layers = False  # x^{[2]}: the inputs have no layer but 0, so [n] is sample n's
        if not resolver.bracket_from_input and any(self._input_layer_one(chain, parsed) for chain in parsed.chains):
            resolver.bracket_from_input = True  # Higham's a^{[1]} = x: the inputs are layer [1]
        if resolver.hidden_first is None and any(r.sup == "0" and r.base in LAYER_BASES for r in raws):
            resolver.hidden_first = True
        every = _written(parsed.names)
        if resolver.hidden_first is None and any(r.base in ("Z", "A") and r.sup.isdigit() for r in every):
            resolver.hidden_first = True  # MIT 6.036's Z^1, A^1_2 (A^0 the inputs): layer 1 is not the inputs,
            if resolver.weight_order is None:  # and W^l_{ij} goes from unit i of layer l − 1 to unit j (Z = WᵀA)
                resolver.weight_order = "from"
        if "a" not in resolver.roles and self._activated_a(parsed, units=True):
            resolver.roles["a"] = ("net", 0)  # Gurney's σ'(a^{o1}): an activated a is the unit's net input
        if resolver.hidden_first is None and "a" not in resolver.roles and self._activated_a(parsed):
            resolver.hidden_first = True  # MacKay's h_j = f^{(1)}(a^{(1)}_j): a the activation (the net input) of
            resolver.roles["a"] = ("net", 0)  # layer 1, the first hidden layer — an input is never activated
        if resolver.hidden_first is None and any(r.base == "h" and r.sup.isdigit() for r in raws):
            resolver.hidden_first = True  # Goodfellow's h^{(1)} = φ(a^{(1)}): the first hidden layer, a its net input
            if any(r.base == "a" and r.sup.isdigit() for r in raws) and "a" not in resolver.roles:
                resolver.roles["a"] = ("net", 0)
        for base, layer in self._activated_rule(parsed):
            resolver.roles[base] = ("out", layer)  # (an exam's z_k = σ(a_k): z the output of unit k, as stated)
            resolver.stated.add(base)
        if "a" not in resolver.roles and resolver.roles.get("z", ("",))[0] == "out" \
                and any(r.base == "a" and r.sub.isdigit() and not r.sup for r in every):
            resolver.roles["a"] = ("net", resolver.roles["z"][1])  # Bishop's and Eisenstein's pair: z = f(a)
        if not self.truth.network.is_numeric():
            return
        for chain in parsed.chains:
            head = self._single_name(chain.elements[0].expr, parsed.names)
            named = head.wrt if isinstance(head, RawPartial) else head
            last = chain.elements[-1].expr
            if not isinstance(named, RawName) or named.base not in LAYER_BASES or named in resolver.defined \
                    or last.free_symbols or len(chain.elements) < 2:
                continue
            flag = "hidden_first" if named.sup.isdigit() else "bracket_layers" if len(self.truth.copies) > 1 \
                and named.sup[1:-1].isdigit() and named.sup[:1] + named.sup[-1:] == "[]" else None
            if flag is None or getattr(resolver, flag) is not None:
                continue
            number, fits = last.evalf(30), []
            for setting in (False, True):
                setattr(resolver, flag, setting)
                try:
                    e = resolver.partial(head) if isinstance(head, RawPartial) else resolver.name(named)
                except Unresolved:
                    e = None
                v = self.truth.value(self.forward_form(e)) if e is not None else None
                # (an error term's sign is the sheet's convention: Rich & Knight's δ2_1 = −0.1385 is −∂E/∂net_{o1})
                signs = (1, -1) if named.base in DELTA_BASES and not isinstance(head, RawPartial) else (1,)
                fits.append(v is not None and v.is_real and any(
                    abs(v - sign * number) <= abs(v) / 200 + sp.Rational(1, 10**9) for sign in signs))
            setattr(resolver, flag, fits[1] if fits[0] != fits[1] else None)

    def _activated_rule(self, parsed: Parsed) -> Iterator[tuple[str, int]]:
        """A rule for every unit, X_k = σ(Y_k) (any index letter, an activation function), with X a letter of two
        roles: X is the units' output — first in the layer the sheet reads Y in, else in the first hidden layer (the
        output layer for y, a letter that is the target's or the output's)."""
        for chain in parsed.chains:
            head = self._single_name(chain.elements[0].expr, parsed.names) if len(chain.elements) == 2 else None
            app = chain.elements[1].expr if head is not None else None
            if not isinstance(head, RawName) or head.sub not in INDEX_LETTERS or head.base not in AMBIGUOUS_BASES \
                    or "out" not in AMBIGUOUS_BASES[head.base] or not isinstance(app, AppliedUndef) \
                    or len(app.args) != 1 or app.func.__name__.partition("^")[0].rstrip("'") not in ACTIVATION_NAMES:
                continue
            arg = parsed.names.get(app.args[0])
            if isinstance(arg, RawName) and arg.base != head.base and (arg.sub, arg.sup) == (head.sub, head.sup):
                last = len(self.truth.network.layers) - 1  # (y, a letter also of the target: the network's output)
                yield head.base, self.resolver.roles[arg.base][1] if arg.base in self.resolver.roles \
                    else last if "t" in AMBIGUOUS_BASES[head.base] else 0

    @staticmethod
    def _activated_a(parsed: Parsed, units: bool = False) -> bool:
        """Is a layer-numbered a (a^{(1)}_j; units: a unit's a, a^{o1}, a_{h2}) the argument of an activation function
        somewhere in the answer?"""
        for chain in parsed.chains:
            for element in chain.elements:
                for app in element.expr.atoms(AppliedUndef):
                    raw = parsed.names.get(app.args[0]) if len(app.args) == 1 else None
                    base = app.func.__name__.partition("^")[0].rstrip("'")
                    if isinstance(raw, RawName) and raw.base == "a" and base in ACTIVATION_NAMES \
                            and (raw.sup.isdigit() if not units else not raw.sup.isdigit() and not (
                                raw.sub.isdigit() and not raw.sup) and bool(raw.sup or raw.sub)):
                        return True
        return False

    def _numbering_by_formula(self, parsed: Parsed) -> None:
        """邱锡鹏's ∂L/∂W^{(2)}_{12} = δ^{(2)}_1 a^{(1)}_2: a chain whose head means the same in both layer numberings
        and whose first member, written with layer-numbered names, is that head in exactly one of them."""
        resolver = self.resolver
        for chain in parsed.chains:
            if resolver.hidden_first is not None:
                return
            if len(chain.elements) < 2 or not any(
                    isinstance(r := parsed.names.get(s), RawName) and r.base in LAYER_BASES and r.sup.isdigit()
                    and r not in resolver.defined for s in chain.elements[1].expr.free_symbols):
                continue
            fits, heads = [], set()
            for setting in (False, True):
                resolver.hidden_first = setting
                try:
                    head = resolver.expr(chain.elements[0].expr, parsed.names)
                    fits.append(self._equal(resolver.expr(chain.elements[1].expr, parsed.names), head))
                    heads.add(head)
                except Unresolved:
                    fits.append(False)
            resolver.hidden_first = fits[1] if fits[0] != fits[1] and len(heads) == 1 else None

    def _two_names(self, chain: Chain, names: Mapping[sp.Symbol, RawName | RawPartial], target: Target) -> bool:
        """Is the chain two different names of the parameter whose update is asked (a notation said, not the new
        value)? (Elsewhere such a line is judged as the identity it states.)"""
        if target.kind != "update":
            return False
        return len(chain.elements) == 2 and chain.relations == ("=",) and all(
            isinstance(self._single_name(e.expr, names), RawName) for e in chain.elements) \
            and chain.elements[0].expr != chain.elements[1].expr and self._one_parameter(chain.elements, names)

    def _one_parameter(self, elements: Sequence[Element], names: Mapping[sp.Symbol, RawName | RawPartial]) -> bool:
        """Are the first two members single names of one parameter of the network (w_6 = w_{21})?"""
        if not all(self._single_name(e.expr, names) for e in elements[:2]):
            return False
        try:
            a, b = (self.resolver.expr(e.expr, names) for e in elements[:2])
        except Unresolved:
            return False
        return a == b and a in self.truth.network.params

    def _renamed(self, chain: Chain, names: Mapping[sp.Symbol, RawName | RawPartial]) -> Chain:
        """w_6 = w_{21} ← w_{21} + Δw_{21}: two names of one weight, then its update; the update heads the
        chain (the first `=` names the weight, it does not say w6 is its new value)."""
        if chain.relations[:2] != ("=", "assign") or not self._one_parameter(chain.elements, names):
            return chain
        return replace(chain, elements=chain.elements[1:], relations=chain.relations[1:])

    @staticmethod
    def _mention(chain: Chain, judged: Judged, text: str) -> bool:
        """A lone number after a chain that already gave the asked quantity a right number: a remark about another
        value (the error of the first pass, for comparison), not a second answer; so is a lone name ("doesn't mean
        $z_3$ gets no gradient"), and a lone formula inside a sentence ("where $out_O(1 - out_O)$ denotes the
        derivative of the sigmoid": words before it and after it on its line). Not a number the line's lead calls
        the answer."""
        read = [line for line in judged.lines if line.kind != "unresolved"]  # (a label before it is no claim)
        element = chain.elements[0]
        if len(chain.elements) != 1 or not read or (element.literal is None and not isinstance(element.expr, sp.Symbol)
                                                     and not _in_sentence(text, element.start, element.end)):
            return False
        if element.literal is not None and _ANSWER_LEAD.fullmatch(text, text.rfind("\n", 0, element.start) + 1,
                                                                  element.start):
            return False  # ("Answer: 0.0827" under the chain: the answer, said so — not a remark)
        if element.literal is None and not isinstance(element.expr, sp.Symbol):  # (a formula in a sentence names,
            return any(c.about == "target" for c in judged.chains)  # whether the lines before it are right or not)
        return any(c.about == "target" for c in judged.chains) and read[-1].verdict in (CORRECT, ROUNDING) \
            and all(line.verdict != INCORRECT for line in read)

    def _instance(self, chain: Chain, names: dict[sp.Symbol, RawName | RawPartial]) -> Chain:
        """σ'(x) = σ(x)(1 − σ(x)): a lemma about an activation, in a variable of its own; judged as an identity,
        with the variable standing for the net input of the first neuron whose activation the function is, and a
        bare output letter no network quantity is for that neuron's output (Bishop: h'(a) = 1 − tanh²(a) = 1 − z²)."""
        x = self._lemma_variable(chain, names)
        if x is None:
            return chain
        first = chain.elements[0].expr
        for layer in self.truth.network.layers:
            for neuron in layer.neurons:
                stand = sp.Symbol(f"net_{neuron}·{x}")
                names[stand] = RawName("net", neuron, "")
                try:
                    self.resolver.expr(first.xreplace({x: stand}), names)
                except Unresolved:
                    del names[stand]
                    continue
                mapping = {**self._lemma_outputs(chain, names, neuron, x), x: stand}
                return replace(chain, elements=tuple(replace(e, expr=e.expr.xreplace(mapping))
                                                     for e in chain.elements))
        return chain

    def _lemma_outputs(self, chain: Chain, names: dict[sp.Symbol, RawName | RawPartial], neuron: str,
                       x: sp.Symbol) -> dict[sp.Symbol, sp.Symbol]:
        """The bare output letters (z, y, o, a) of a lemma in x that no network quantity is: the neuron's output."""
        out: dict[sp.Symbol, sp.Symbol] = {}
        for s in set().union(*(e.expr.free_symbols for e in chain.elements)) - {x}:
            raw = names.get(s)
            if isinstance(raw, RawName) and raw.base in ("z", "y", "o", "a", "out") and not raw.sub and not raw.sup \
                    and not raw.accent and self.resolver.name(raw) is None:
                out[s] = sp.Symbol(f"out_{neuron}·{s}")
                names[out[s]] = RawName("out", neuron, "")
        return out

    def _headed(self, parsed: Parsed, target: Target, partial: bool) -> set[int]:
        """The chains headed by the asked quantity: written as a derivative (∂E/∂net_{o1} when δ_{o1} is asked) when
        `partial`, else by any of its names (δ_{h1} = 0.2413 · 0.03635 when δ_h1 is asked)."""
        out = set()
        for k, chain in enumerate(parsed.chains):
            head = self._single_name(chain.elements[0].expr, parsed.names)
            if head is None or len(chain.elements) < 2 or (partial and not isinstance(head, RawPartial)):
                continue
            try:
                meaning = self.resolver.partial(head) if isinstance(head, RawPartial) and partial \
                    else self.resolver.expr(chain.elements[0].expr, parsed.names)
                if self._equal(meaning, target.expr) or (  # W^1_{31} \leftarrow …: the weight's update
                        target.kind == "update" and meaning == target.param and (chain.relations[:1] == ("assign",)
                                                                                  or not self._states_old(
                                                                                      meaning, chain.elements[1]))) \
                        or (isinstance(head, RawName) and self._two_roles(head)
                            and target.expr in self.resolver.readings(head)):  # (y_2 = σ(z_2), the output asked)
                    out.add(k)
            except Unresolved:
                continue
        return out

    def chain(self, chain: Chain, names: Mapping[sp.Symbol, RawName | RawPartial], target: Target,
              judged: Judged, text: str) -> None:
        elements = list(chain.elements)
        self.line_decimals = ()
        self.arithmetic: list[str] = []  # the chain's members of numbers so far, as written
        self.formula: sp.Expr | None = None  # the chain's last member with names: what its numbers are put into
        truth_expr, truth_value, what = target.expr, target.value, target.quantity
        first = elements[0]
        start = 1
        about, meaning = "target", None
        later: sp.Expr | None = None  # what the head's name means after this chain
        head = self._single_name(first.expr, names)
        if head is not None and isinstance(head, RawName) and chain.relations[:1] == ("assign",) \
                and self._parameter(first.expr, names):
            # w_5 \leftarrow …: the new value of w5 (δ_k ← … defines δ_k); b^{(2)}_2 ← …: its layer kept
            head = replace(head, sup="+" if set(head.sup) <= {"+"} else head.sup + "+")
        if self._class_label(head, elements):  # Eisenstein's y^{(2)} = 3: the class of sample 2, a given
            judged.lines.extend(LineVerdict(self._src(text, e), INCORRECT, self.say(
                "class_label", name=raw_text(head) if head else "", k=elements[1].expr), kind="unresolved")
                for e in elements)
            return
        if self._per_sample_loss(head, elements, names):
            # L = −Σ t_k ln P_k on a sheet that writes L^{(1)}, L^{(2)}: each sample's loss, by a rule, not the batch's
            judged.lines.extend(LineVerdict(self._src(text, e), INCORRECT, self.say("rule"), kind="unresolved")
                                for e in elements)
            return
        if self._rule(head, elements, names):
            # E = ideal − actual with outputs o1, o2: what the sheet's E_{o1}, E_{o2} mean from now on
            judged.lines.extend(LineVerdict(self._src(text, e), INCORRECT, self.say("rule"), kind="unresolved")
                                for e in elements)
            return
        whole = first.whole is not None
        unread = self._unread(elements[1:], names) if not whole and isinstance(head, RawName) \
            and (self.resolver.own(head) or self._given(first, names) is not None) else None
        if unread is None and not whole and head is not None and self._layer_head(head) \
                and not self._shared_bias(head, elements, names) and not self._one_unit(head, elements, names):
            unread = self._unread_member(elements[1:], names)  # ∇_{b^{(1)}} J = g: a vector line, set aside
        if unread is not None:  # a definition we cannot read (L^{(n)} = −Σ_k t_k^{(n)} ln ŷ_k^{(n)}): set aside
            judged.lines.extend(LineVerdict(self._src(text, e), INCORRECT, unread, kind="unresolved")
                                for e in elements)
            return
        if whole:  # ∂E/∂W^{(1)} = …, W^{(1)}_{+} = …: an entry of a matrix the network knows
            try:
                meaning = self._read(first, names)
            except Unresolved as exc:  # the chain is set aside, unchecked, as one we could not parse
                judged.lines.append(LineVerdict(chain.text, INCORRECT, exc.message, kind="unresolved"))
                return
            if len(elements) > 1 and first.expr in elements[1].expr.free_symbols \
                    and meaning in self.truth.network.params:
                meaning = self.truth.target(f"{meaning}+").expr  # W^{(2)} := W^{(2)} − η δ aᵀ: the update
            if not self._equal(meaning, truth_expr):
                about, what = "lemma", self._src(text, first)
                truth_expr, truth_value = meaning, self.truth.value(self.forward_form(meaning))
            judged.lines.append(LineVerdict(self._src(text, first), CORRECT, self.say("the_quantity", name=what)))
        elif head is not None and isinstance(head, RawName) and len(elements) > 1 and self._own(head, elements, names) \
                and (head not in self.named_here
                     or self._single_name(elements[1].expr, names) == self.named_here[head]):
            # (its definition's own line; δ_O := ∂E/∂net_O, then δ_O = ∂E/∂out_O = out_O − target: a claim)
            meaning = self._define_own(head, elements, names, target)
            if self._equal(meaning, truth_expr):
                # the student's own name for this answer's quantity (δ5 = ∂E/∂w5 = …, or g = 0.0822)
                message = self.say("defines_as", name=raw_text(head), quantity=what)
            else:  # δ_1 = (o_1 − y_1)·…: the name means what its definition says, here and in later answers
                truth_expr = meaning
                truth_value = self.truth.value(self.forward_form(meaning)) if self.truth.network.is_numeric() \
                    else meaning if meaning.is_Integer else None  # (Φ′_out = 1: a whole number, on any network)
                about, what = "lemma", raw_text(head)
                message = self.say("defines_own", name=what)
            judged.lines.append(LineVerdict(self._src(text, first), CORRECT, message))
        elif (head is not None or isinstance(first.expr, AppliedUndef | sp.Derivative)) and len(elements) > 1:
            # a quantity heads the chain: a name, ∂A/∂B, or an applied derivative (σ'(net_O) = σ(1 − σ) = …)
            try:
                meaning = self.resolver.expr(first.expr, {**names, first.expr: head} if head is not None else names)
            except Unresolved as exc:
                matrix = self._matrix_head(first.expr, names)
                if any(self._general(e.expr, names) for e in elements) or matrix:
                    # ∂C/∂w^l_{jk} = a^{l−1}_k δ^l_j, dW^{[2]} = dZ^{[2]} A^{[1]T}: a rule, not a value
                    if not matrix and not any(self._general(e.expr, names, wider=False) for e in elements):
                        # (W^{(2)}_{jk}, s: the letters only the wider reading sets aside, whose order or meaning
                        # may be the sheet's own — UFLDL's W^{(l)}_{ij} from unit j to unit i)
                        self.rule_bases |= {r.base for e in elements for r in self._raw_names(e.expr, names)
                                            if not generic(r, layers=False)
                                            and (generic(r) or self._layer_letter(r))}
                    message = self.say("matrix_names", name=raw_text(head)) if matrix and head else exc.message
                    judged.lines.extend(LineVerdict(self._src(text, e), INCORRECT, message, kind="unresolved")
                                        for e in elements)
                    return
                if not self._ends_in_value(elements, truth_value):
                    judged.lines.append(LineVerdict(self._src(text, first), INCORRECT, exc.message,
                                                    kind="unresolved_head"))
                    return
                # a head in a notation we cannot read, its chain ending in the asked value to 3 digits or more:
                # the chain is about the asked quantity; its head unchecked, its other members judged
                judged.lines.append(LineVerdict(self._src(text, first), INCORRECT, exc.message, kind="unresolved"))
                meaning = None
            if meaning is not None:  # (None: a head we cannot read, set aside)
                if isinstance(head, RawName) and (not self._equal(meaning, truth_expr) or self._two_roles(head)):
                    # (also when the first reading is the asked quantity: Bishop's z_1 = σ(a^{(1)}_1) on a sheet
                    # asked for net_o1 is z_1 the hidden output, not Ng's z_1 — its line says which)
                    meaning = self._reading(head, meaning, self._readable(elements[1:], names), names)
                elif not isinstance(head, RawName) and meaning.free_symbols:  # h'(a_2) = z_2 (1 − z_2): Bishop's z
                    self._joint_reading(ANY_HEAD, meaning, elements[1], names,
                                        fixed=frozenset(r.base for r in self._raw_names(first.expr, names)))
                if isinstance(head, RawName) and (head.base in DELTA_BASES or head.base == "e"):
                    meaning = self._delta_defined(head, meaning, elements[1], names)
                message = self.say("the_quantity", name=what)
                if target.kind == "update" and meaning == target.param and not self._states_old(meaning, elements[1]):
                    meaning = truth_expr  # w_5 = w_5 − η ∂E/∂w_5: the assignment of pseudo-code, the new w5
                elif meaning in self.truth.network.params and not self.truth.network.quantities[meaning].definition:
                    meaning = self._assigned(meaning, elements[1:2], names)  # w_1 = w_1 − η…: another weight's update
                convention = self._convention(head, meaning, elements[1:], names, text) if head is not None \
                    else None
                # (σ(1.2249) = 0.7729 when out_o2 is asked: the activation of its net input's number, its value)
                of_number = head is None and not meaning.free_symbols and truth_value is not None \
                    and truth_value != 0 and abs(meaning - truth_value) <= abs(truth_value) / 1000
                if (not self._equal(meaning, truth_expr) and not of_number) or (convention is not None and (
                        target.kind != "delta" or self.restated_later)):
                    # a lemma ("where ∂E/∂o1 = o1 − y1"): the rest of the line is judged against its head; so is
                    # Mitchell's δ_O = o(1 − o)(t − o) when ∂E/∂net_O is asked (his δ is −∂E/∂net: a convention)
                    # (also when δ is asked and a later chain states it as ∂E/∂net: Kubat's δ = −∂E/∂net, then
                    # ∂E/∂net_{y_2} = −δ^{(1)}_2)
                    about, what = "lemma", raw_text(head) if head is not None else self._src(text, first)
                    truth_expr, truth_value = meaning, self.truth.value(self.forward_form(meaning))
                    message = self.say("the_quantity", name=what)
                    if convention is not None:
                        self.resolver.defined[head] = convention  # type: ignore[index]
                        self.resolver.negated.add(head.base)  # type: ignore[union-attr]
                        truth_expr = convention
                        truth_value = self.truth.value(self.forward_form(convention))
                        message = self.say("defines_convention", name=what)
                elif convention is not None:
                    # asked for δ itself, written with the opposite sign: wrong here, but the student's δ from now on
                    later = -meaning
                judged.lines.append(LineVerdict(self._src(text, first), CORRECT, message))
        else:
            start = 0
            unread = self._unread(elements, names)
            if unread is not None and len(elements) > 1:  # δ^2 = ((w^3)^T δ^3) ⊙ σ'(z^2): a vector rule, set aside
                judged.lines.extend(LineVerdict(self._src(text, e), INCORRECT, unread, kind="unresolved")
                                    for e in elements)
                return
            unread = self._unread(elements[:1], names)
            side = self._side_formula(first, names, truth_expr) if unread is None and len(elements) > 1 \
                and self.asked_later else None
            if side is not None:
                # Σ_k w_{(h1,k)} δ_k = 0.40 · 0.1385 + 0.50 · (−0.0381) = 0.03635, then δ_{h1} = s'_{h1} · 0.03635:
                # a formula that is not the asked quantity, before a line that states it, is a step towards it
                about, what, start = "lemma", self._src(text, first), 1
                truth_expr, truth_value, meaning = side, self.truth.value(self.forward_form(side)), side
                judged.lines.append(LineVerdict(self._src(text, first), CORRECT, self.say("the_quantity", name=what)))
            elif unread is None and self._factor_worked(elements):
                # "0.1385 = 0.7414 × 0.186815602", then "and 0.186815602 = 0.75136507 × 0.24863493 = out_o1(1 −
                # out_o1)": a number a line above multiplied by, worked out — judged against that number (its
                # formula's value when it is that number to the digits written); "with 0.023560026 = 1/2 x
                # (0.217071535)^2", arithmetic only: read from its arithmetic to the number, which is rounded
                about, start = "lemma", 1
                if any(e.expr.free_symbols for e in elements):
                    truth_expr, truth_value = self._factor_truth(first, elements[1:], names)
                else:
                    elements = [*elements[1:], first]
                    first = elements[0]
                    truth_expr = truth_value = first.expr
                what = self._src(text, first)
                judged.lines.append(LineVerdict(what, CORRECT, self.say("factor_worked")))
            elif unread is None and self._carried_on(elements):
                # x^{(1)}: −0.3713 + 0.4299 = 0.05855, …, then ∇_{b_1} = ½(0.05855 + 0.04385): arithmetic whose
                # result a later line uses is a step of that line, judged as arithmetic (the later line decides)
                about, what, start = "lemma", self._src(text, first), 1
                truth_expr = truth_value = first.expr
                judged.lines.append(LineVerdict(self._src(text, first), CORRECT, self.say("side_arithmetic")))
            elif unread is not None and len(elements) > 1 and elements[0].literal is None \
                    and not self._ends_in_value(elements, truth_value):
                # Δw_{35} = η δ_5 o_3 = … = −0.0411: a head we cannot read whose chain does not end in the asked
                # value is about something else: set aside, not judged against the asked quantity
                judged.lines.extend(LineVerdict(self._src(text, e), INCORRECT, unread, kind="unresolved")
                                    for e in elements)
                return
        info = ChainInfo(about, meaning, what, tuple(e.expr for e in elements[start:]),
                         any(e.literal is not None or (e.entry is not None and e.expr.is_Number)
                             for e in elements[start:]),
                         any(0 <= b - chain.end and not text[chain.end:b].strip() and _deferred(text, b)
                             for b in self.blanks))
        judged.chains.append(info)
        previous: sp.Expr | None = None
        formulas: tuple[sp.Expr, ...] = ()  # the symbolic members so far: what an arithmetic line substitutes into
        if meaning is not None and meaning.free_symbols:
            formulas = (meaning,)
        last = len(elements) - 1
        while last > start and self._restates(elements[last], names, truth_expr):
            last -= 1  # … = 0.01 = ∂E/∂w_2: the number before the asked name restated is the answer's own
        slip: sp.Expr | None = None  # the first wrong formula of the chain, when its slip had no name
        for k in range(start, len(elements)):
            element = elements[k]
            after_formula = k > start and judged.lines[-1].verdict == CORRECT and bool(formulas)
            self.final = about == "target" and k == last  # the answer's own number
            self.approx = k > 0 and chain.relations[k - 1] == "approx"
            self.after_correct = k > start and judged.lines[-1].verdict in (CORRECT, ROUNDING)
            heads = frozenset(r.base for r in self._raw_names(first.expr, names)) if k else frozenset()
            self._sheet_reading(element, names, truth_expr, fixed=heads)
            verdict, previous, formulas = self.element(element, names, truth_expr, truth_value, previous, formulas,
                                                       text)
            if verdict.kind == "unresolved" and k == len(elements) - 1 and not (
                    len(elements) == 1 and self._general(element.expr, names)) \
                    and not (about == "lemma" and (k == start == 1 or _AT_PLACEHOLDER.fullmatch(
                        self._src(text, first)))):
                # (−∂E/∂net alone: a rule, aside; so is a line about another quantity in a notation we cannot read,
                # Murphy's u_3 = W_2ᵀ u_4: its claim is unchecked, the answer's own chain decides)
                verdict = replace(verdict, kind="unresolved_last")  # nothing after it reads what it says
            elif verdict.kind == "unresolved" and k < len(elements) - 1:
                verdict = replace(verdict, linked=True)
            if verdict.verdict == ROUNDING and judged.lines and judged.lines[-1].verdict == INCORRECT:
                number = element.literal or self._src(text, element)
                verdict = replace(verdict, verdict=INCORRECT, kind="follows_wrong_line", message=self.say(
                    "follows_wrong_line", number=number, value=_fmt(truth_value) if truth_value is not None else "?"))
            judged.lines.append(verdict)
            if verdict.kind.startswith("unresolved") and judged.chains and judged.chains[-1] is info:
                # ("Term" read as T·e·r·m, names of nothing: a member we cannot read reaches nothing)
                info.elements = tuple(x for x in info.elements if x is not element.expr)
            if verdict.verdict in (CORRECT, ROUNDING) and element.literal is not None and previous is not None \
                    and truth_value is not None:  # a number the student may carry on with
                self.written.append((abs(previous), abs(truth_value)))
                if truth_expr.free_symbols and truth_value != 0:
                    self.carried[abs(previous)] = (truth_expr, truth_value)
            if verdict.verdict == INCORRECT and not judged.diagnosis and not verdict.kind.startswith("unresolved"):
                # ½(1 − 0.2557458)² = ½ · 0.7552542²: the numbers were right on the member before, so a wrong
                # number now is a slip of the arithmetic, whatever quantity's value would have put it right
                after_numbers = k > start and len(judged.lines) > 1 \
                    and judged.lines[-2].verdict in (CORRECT, ROUNDING) \
                    and not elements[k - 1].expr.free_symbols and not element.expr.free_symbols
                before = elements[k - 1].expr.free_symbols if k > start else set()
                after_algebra = k > start and len(judged.lines) > 1 and judged.lines[-2].verdict == CORRECT \
                    and bool(before) and not any(isinstance(names.get(s), RawPartial) for s in before)
                judged.diagnosis += diagnose(self, element, names, truth_expr, truth_value, target,
                                             len(judged.lines) - 1, verdict, after_formula, after_numbers,
                                             after_algebra)
                if [d.kind for d in judged.diagnosis] == ["different"] and element.expr.free_symbols:
                    slip = self._read_or_none(element, names)
            elif slip is not None and verdict.verdict == INCORRECT and element.expr.free_symbols \
                    and (again := self._read_or_none(element, names)) is not None and self._equal(again, slip):
                # Σ_j W_{1j} x_j = W_{11} x_1 + W_{12} x_2 + …: the same slip written out, where it has a name
                named = diagnose(self, element, names, truth_expr, truth_value, target, len(judged.lines) - 1,
                                 verdict)
                if named and named[0].kind != "different":
                    judged.diagnosis[:] = named
                    slip = None
        if later is not None and isinstance(head, RawName):
            self.resolver.defined[head] = later
            self.resolver.negated.add(head.base)
            self.disputed.add(head)

    def _read_or_none(self, element: Element, names: Mapping[sp.Symbol, RawName | RawPartial]) -> sp.Expr | None:
        try:
            return self._read(element, names)
        except Unresolved:
            return None

    def _restates(self, element: Element, names: Mapping[sp.Symbol, RawName | RawPartial], truth: sp.Expr) -> bool:
        """Is the member only a name of the quantity the chain is about (a chain written value first)?"""
        if element.literal is not None or self._single_name(element.expr, names) is None:
            return False
        try:
            return self._equal(self._read(element, names), truth)
        except Unresolved:
            return False

    def _per_sample_loss(self, head: RawName | RawPartial | None, elements: Sequence[Element],
                         names: Mapping[sp.Symbol, RawName | RawPartial]) -> bool:
        """Is this chain a loss's name alone (L, no index) equated with a formula, in a batch, where the answer also
        writes that name for one sample (L^{(1)})? Then it is each sample's loss, stated once for all."""
        if not isinstance(head, RawName) or head.sub or head.sup or head.accent or head.base not in ERROR_BASES \
                or len(self.truth.copies) < 2 or len(elements) < 2 \
                or not all(e.expr.free_symbols for e in elements[1:]):  # (a formula only, no value: loss = ½(…) is one)
            return False

        def sampled(raws: Iterable[RawName | RawPartial | None]) -> bool:
            return any(isinstance(r, RawName) and r.base == head.base and r.sup.strip("()").isdigit() for r in raws)
        own = [names.get(x) for e in elements for x in e.expr.free_symbols if isinstance(x, sp.Symbol)]
        return sampled(names.values()) and not sampled(own)  # (L = (L^{(1)} + L^{(2)})/2 is the batch's)

    def _rule(self, head: RawName | RawPartial | None, elements: Sequence[Element],
              names: Mapping[sp.Symbol, RawName | RawPartial]) -> bool:
        """Is this chain a name's definition for every unit at once: by unindexed names of a layer's vectors
        (Heaton's E = ideal − actual), or by an index letter (ISLR's translation β_k = W^2_k)? It is kept
        (Resolver.rules) for the name with a unit's index."""
        if not isinstance(head, RawName) or head.sup or head.accent or len(elements) != 2 \
                or elements[1].literal is not None:
            return False
        letter = head.sub if len(head.sub) == 1 and head.sub in INDEX_LETTERS else ""
        symbols = elements[1].expr.free_symbols
        raws = {s: r for s in symbols if isinstance(r := names.get(s), RawName)}
        if len(raws) != len(symbols):
            return False
        if letter:  # β_k = W^2_k: a name no network knows, each of its units another name
            if not any(letter in r.sub for r in raws.values()) \
                    or head.base in QUANTITY_BASES | TARGET_BASES | INPUT_BASES \
                    or self.resolver.name(replace(head, sub="1")) is not None:
                return False  # (δ_k = (t_k − o_k) o_k(1 − o_k) is Mitchell's δ, read by its own rules)
        elif head.sub or not self._general(elements[1].expr, names) \
                or any(r.sub or r.sup for r in raws.values()):
            return False
        try:
            self.resolver.expr(elements[1].expr, names)
            return False
        except Unresolved:
            pass
        self.resolver.rules[head.base] = Rule(elements[1].expr, raws, letter)
        return True

    def _define_own(self, head: RawName, elements: Sequence[Element],
                    names: Mapping[sp.Symbol, RawName | RawPartial], target: Target) -> sp.Expr:
        """The student's definition of a name; a two-role letter defined as one of its readings (a_1 = w_1 i_1 +
        w_2 i_2 + b_1: Bishop's a, a net input) keeps that role on the sheet, for a_2 too."""
        before = self.resolver.defined.pop(head, None)  # (defined already when the answer was first read)
        alternatives = self.resolver.alternatives(head)
        if before is not None:
            self.resolver.defined[head] = before
        meaning = self.define(head, list(elements), names, target)
        for _, e in alternatives:
            if meaning.free_symbols and self._equal(e, meaning):
                self.resolver.read_as(head, e)
                break
        rounded = self._rounded_delta(meaning) if head.base in DELTA_BASES else meaning
        if rounded is not meaning and self.resolver.defined.get(head) is meaning:
            self.resolver.defined[head] = rounded
        return rounded

    def _rounded_delta(self, meaning: sp.Expr) -> sp.Expr:
        """δ1 = 0.036351 × σ′(z1): a δ's definition with a decimal worked out earlier (∂E/∂out_h1, rounded) in it means
        the one δ of the network whose value it has, to a unit in the last digit of each number written (a number
        worked from rounded ones: 0.036351 for 0.0363505), so that δ1·i1 is ∂E/∂w1 in later lines; otherwise what it
        says."""
        numbers = [a for a in meaning.atoms(sp.Rational) if a.q > 1 and 10 ** len(str(a.q)[1:]) == a.q]
        if not numbers or not meaning.free_symbols or not self.truth.network.is_numeric():
            return meaning
        value = self.truth.value(self.forward_form(meaning))
        if value is None or not value.is_Number or value == 0:
            return meaning
        slack = sum(sp.Rational(1, abs(n.p)) for n in numbers) * abs(value)  # (n = p/q: a unit of p's last digit)
        close = [q for q in self.truth.deltas if (v := self.truth.value(q)) is not None and abs(v - value) <= slack]
        return close[0] if len(close) == 1 else meaning

    def _factor_worked(self, elements: Sequence[Element]) -> bool:
        """Is this chain headed by a number that an earlier chain of the answer has as an operand (not its result)?"""
        return len(elements) > 1 and self._operand_above(elements[0].literal)

    def _factor_truth(self, first: Element, rest: Sequence[Element], names: Mapping[sp.Symbol, RawName | RawPartial]
                      ) -> tuple[sp.Expr, sp.Expr]:
        """What a number worked out is: the first formula among the chain's members whose value it is to the digits
        written, else the number itself."""
        for e in rest:
            formula = self._read_or_none(e, names) if e.expr.free_symbols else None
            value = self.truth.value(self.forward_form(formula)) if formula is not None else None
            if value is not None and value.is_Number and first.literal is not None \
                    and abs(value - first.expr) <= sp.Rational(1, 2) * sp.Rational(10) ** -max(
                        len(first.literal.partition(".")[2]), 1):
                return formula, value
        return first.expr, first.expr

    def _operand_above(self, literal: str | None, digits: int = 2) -> bool:
        """Is the number (`digits` significant digits or more) an operand of a product, a sum or a function on an
        earlier chain of the answer ("0.74136507 x 0.186815602", "sigmoid(1.056849974)")?"""
        if literal is None or len(re.sub(r"[^0-9]", "", literal).lstrip("0")) < digits:
            return False
        number = re.escape(literal.lstrip("-"))
        operator = r"(?:[×·*/+−-]|\\cdot|\\times|(?<=\s)x(?=\s))"
        return re.search(operator + r"\s*\(?" + number + r"(?![\d])|(?<![\d.])" + number + r"\)?\s*" + operator
                         + r"|\(\s*" + number + r"\s*\)", self.earlier_text) is not None

    def _carried_on(self, elements: Sequence[Element]) -> bool:
        """Is this headless chain arithmetic of numbers (no name) whose last number a later chain writes or an earlier
        one has as an operand ("(0.15 x 0.05 = 0.0075, …)" under "= 0.0075 + 0.02 + 0.35"), or that stands before a
        chain headed by the asked quantity (a remark correcting an earlier answer's sum; its last member may be left
        unworked there, "(0.5287 − (−0.07))² = 0.5987²")?"""
        last = elements[-1].literal
        if len(elements) < 2 or elements[0].literal is not None or any(e.expr.free_symbols for e in elements):
            return False
        if self.asked_later:
            return True
        if last is None:
            return False
        return self._operand_above(last, 1) or re.search(
            r"(?<![\d.])" + re.escape(last.lstrip("-")) + r"(?![\d])", self.later_text) is not None

    def _side_formula(self, first: Element, names: Mapping[sp.Symbol, RawName | RawPartial], truth: sp.Expr
                      ) -> sp.Expr | None:
        """What a headless chain's first member means, when it is a formula of the network's quantities that is not
        the asked one (None otherwise)."""
        if first.literal is not None or not first.expr.free_symbols or self._single_name(first.expr, names):
            return None
        try:
            meaning = self.resolver.expr(first.expr, names)
        except Unresolved:
            return None
        return meaning if meaning.free_symbols and not self._equal(meaning, truth) else None

    def _parameter(self, e: sp.Expr, names: Mapping[sp.Symbol, RawName | RawPartial]) -> bool:
        try:
            return self.resolver.expr(e, names) in self.truth.network.params
        except Unresolved:
            return False

    def _readable(self, members: Sequence[Element], names: Mapping[sp.Symbol, RawName | RawPartial]) -> Element:
        """The first member this reader can read (LeCun's a_{h1} = Σ_j w_{h1,j} x_j + b_1 = w_1 i_1 + …: the sum's
        notation is not read, the next member says what a_{h1} is); the first one when none is."""
        for member in members:
            try:
                self.resolver.expr(member.expr, names)
            except (Unresolved, ValueError):
                continue
            return member
        return members[0]

    def _two_roles(self, head: RawName) -> bool:
        """A two-role letter (Bishop's and Ng's z and a) the sheet has not read yet, not the student's own name."""
        return head.base in AMBIGUOUS_BASES and head.base not in self.resolver.roles \
            and head not in self.resolver.defined

    def _reading(self, head: RawName, meaning: sp.Expr, member: Element,
                 names: Mapping[sp.Symbol, RawName | RawPartial]) -> sp.Expr:
        """y_{o2} = φ(v_{o2}): a name the textbooks read two ways means what its first member says, when that is
        one of its readings and not the first one; so it does in later lines and answers (the student's notation)."""
        try:
            said = self.resolver.expr(member.expr, names)
        except Unresolved:
            return meaning
        if not member.expr.free_symbols:
            return self._reading_by_value(head, meaning, said)
        if self._equal(said, meaning):
            if self._two_roles(head) and head.base != "y" and (not head.sup or len(self.truth.copies) > 1):
                # (the first reading, confirmed: z^{(1)}_1 = w_1 x_1 + …, z a net input — its (1) a sample's, in a
                # batch; a layer's superscript says the layer itself; y an output would make ŷ the target)
                self.resolver.note_role(head, meaning)
            return meaning
        for other in self.resolver.readings(head) - {meaning}:
            if self._equal(said, other):
                self.resolver.read_as(head, other)  # (a two-role letter keeps that role on the sheet)
                self.resolver.raw_errors |= head.base == "Err"  # the sheet's other Err_k too (Σ_k Err_k²)
                return other
        sample = self.resolver.sample_reading(head) if head.base in DELTA_BASES else None
        if sample is not None and sample != meaning and self._equal(said, sample):
            self.resolver.read_as(head, sample)  # δ^{(1)}_1 = ŷ^{(1)}_1 − y^{(1)}_1: sample 1's, not layer 1's δ_1
            return sample
        return self._joint_reading(head, meaning, member, names)

    def _reading_by_value(self, head: RawName, meaning: sp.Expr, said: sp.Expr) -> sp.Expr:
        """z_1 = tanh(0.27) = 0.2636: a two-role name given a number means the reading whose value that is, when
        its first reading's value is not (Bishop's z_1 a hidden output, where Ng's would be a net input)."""
        env = self.truth.env
        number = said.evalf(30)
        if not self.truth.network.is_numeric() or not number.is_real or number == 0:
            return meaning

        def distance(e: sp.Expr) -> sp.Expr:
            v = env.get(e) if isinstance(e, sp.Symbol) else self.truth.value(self.forward_form(e))
            return abs(v - number) if v is not None and v.is_real else sp.oo

        other = self.resolver.sample_reading(head)
        close = sorted((distance(e), str(e), e) for e in {meaning, *self.resolver.readings(head),
                                                           *(e for _, e in self.resolver.alternatives(head)),
                                                           *self.resolver.unit_deltas(head),
                                                           *([other] if other is not None else [])})
        best = close[0]
        # the reading whose value the number is, clearly (net_h2 = 0.12 is not tanh(0.12) = 0.119427)
        if best[2] == meaning or best[0] > abs(number) / 200 or (len(close) > 1 and close[1][0] < 10 * best[0]):
            return meaning
        self.resolver.read_as(head, best[2])
        return best[2]

    def _delta_defined(self, head: RawName, meaning: sp.Expr, member: Element,
                       names: Mapping[sp.Symbol, RawName | RawPartial]) -> sp.Expr:
        """δ_{o2} = ∂Error/∂o_2: a δ defined on its line as one derivative of the error means that derivative (the
        notes' δ per output, per weight), not the network's ∂E/∂net, here and in later answers. So does Szeliski's
        e_y = ∂E/∂s_y, whatever its sign against Haykin's error signal e = d − y."""
        raw = self._single_name(member.expr, names)
        if not isinstance(raw, RawPartial) or not isinstance(raw.of, RawName) or raw.of.base not in ERROR_BASES \
                or self.named_here.get(head, raw) != raw or self.delta_said.setdefault(head, raw) != raw:
            return meaning  # (said to be another derivative a line above: this line is a claim about that one)
        self._sheet_reading(member, names, meaning)  # δ_O = ∂E/∂a_O: Bishop's a, the net input
        try:
            said = self.resolver.partial(raw)
        except Unresolved:
            return meaning
        if self._equal(said, meaning) or (head.base != "e" and self._equal(said, -meaning)):
            return meaning  # (−: a sign convention, judged by its own rule)
        self.resolver.defined[head] = said
        return said

    @staticmethod
    def _raw_names(e: sp.Expr, names: Mapping[sp.Symbol, RawName | RawPartial]) -> set[RawName]:
        """The names a member writes, also inside its derivatives (a_O of ∂E/∂a_O)."""
        out: set[RawName] = set()
        for s in e.free_symbols:
            raw = names.get(s)
            parts = [raw.of, raw.wrt] if isinstance(raw, RawPartial) else [raw]
            out |= {r for r in parts if isinstance(r, RawName)}
        return out

    def _sheet_reading(self, member: Element, names: Mapping[sp.Symbol, RawName | RawPartial], truth: sp.Expr,
                       fixed: frozenset[str] = frozenset()) -> None:
        """y = z_O = σ(a_O) (Bishop: z an output, a a net input; Ng the other way round): a member with two-role
        letters this sheet has not read yet, wrong as first read, is read in the one notation that makes it hold,
        and the sheet keeps it (see _joint_reading)."""
        if not member.expr.free_symbols or not truth.free_symbols:
            return
        resolver = self.resolver
        if not any(r.base in AMBIGUOUS_BASES and r.base not in resolver.roles and r not in resolver.defined
                   and r.base not in resolver.rules for r in self._raw_names(member.expr, names)):
            # (a letter the sheet's rule defined for every unit, s = σ(v), is read by that rule)
            return
        try:
            if self._equal(resolver.expr(member.expr, names), truth):
                return
        except Unresolved:
            pass
        self._joint_reading(ANY_HEAD, truth, member, names, fresh=True, fixed=fixed)

    def _joint_reading(self, head: RawName, meaning: sp.Expr, member: Element,
                       names: Mapping[sp.Symbol, RawName | RawPartial], fresh: bool = False,
                       fixed: frozenset[str] = frozenset()) -> sp.Expr:
        """a_2 = w_7 z_1 + w_8 z_2 + b_3: a defining line whose two-role names (Bishop's a and z, Ng's z and a)
        are read together — one role per letter, each name in the layer that has its position — when exactly
        one reading makes the line hold; the sheet keeps that notation. Otherwise nothing changes. `fresh`: only
        letters the sheet has not read yet, and a and z (together) only in Bishop's or Ng's pairing."""
        raws = [head, *sorted((r for r in self._raw_names(member.expr, names) if r != head and r.base not in fixed
                               and r.base not in self.resolver.stated
                               and not (fresh and (r.base in self.resolver.roles or r.base == "x"))), key=str)]
        # (x of a neuron is read anew only by a line defining it: Ripley's x_O = ℓ(z_O))
        # (fixed: the letters of a head ∂E/∂z_{h1} keep their reading — its meaning was read with them — so the
        # member's z_{h1}(1 − z_{h1}) is never re-read to make the line hold)
        try:
            if head == ANY_HEAD and self._equal(self.resolver.expr(member.expr, names), meaning):
                return meaning  # the line holds as read
        except Unresolved:
            pass
        options = {r: self.resolver.alternatives(r) for r in raws}
        options = {r: o for r, o in options.items() if o}
        if not options or len(options) > 4:
            return meaning
        if head not in options:  # e_{o1} = d_{o1} − y_{o1}: the head is plain, its members' letters are not
            options = {head: [("", meaning)], **options}
        bases = sorted({r.base for r in options})
        roles = {b: sorted({role for r, o in options.items() if r.base == b for role, _ in o}) for b in bases}
        found: list[dict[RawName, sp.Expr]] = []
        for assignment in itertools.product(*(roles[b] for b in bases)):
            role_of = dict(zip(bases, assignment, strict=True))
            if fresh and {role_of.get("a"), role_of.get("z")} not in ({"net", "out"}, {None, "net"}, {None, "out"},
                                                                      {None, "x"}, {None}):
                continue
            choices = [[e for role, e in options[r] if role == role_of[r.base]] for r in options]
            for combo in itertools.islice(itertools.product(*choices), 64):
                reading = dict(zip(options, combo, strict=True))
                saved = dict(self.resolver.defined)
                self.resolver.defined.update(reading)
                try:
                    said = self.resolver.expr(member.expr, names)
                except (Unresolved, ValueError):  # (Φ'(s_2) with s read as an error term: no such derivative)
                    said = None
                finally:
                    self.resolver.defined.clear()  # in place: the checker shares this dict across answers
                    self.resolver.defined.update(saved)
                if said is not None and said.free_symbols and self._equal(said, reading[head]):
                    found.append(reading)
        if len({f[head] for f in found}) != 1:
            return meaning
        for raw, e in found[0].items():
            if raw != ANY_HEAD:
                self.resolver.read_as(raw, e)
        return found[0][head]

    def _read(self, element: Element, names: Mapping[sp.Symbol, RawName | RawPartial]) -> sp.Expr:
        """A member in the network's symbols; a matrix written with names (W^{(1)}), its entry. A head named by a
        letter the textbooks give several meanings (a^{(1)}: Goodfellow's net input, Ng's input layer) is not read."""
        if element.whole is None or element.entry is None:
            return self.resolver.expr(element.expr, names)
        raw = names.get(element.expr) if isinstance(element.expr, sp.Symbol) else None
        if isinstance(raw, RawName) and raw.base not in ("W", "w", "b") and raw.base not in DELTA_BASES \
                and self.resolver.vector(raw) is None:  # (d2l's h, ŷ^{(1)}, a layer's z_h: one reading only)
            raise Unresolved(self.say("matrix_reading"))
        return self.resolver.matrix(element.expr, names, element.whole)[element.entry]

    def _own(self, head: RawName, elements: Sequence[Element], names: Mapping[sp.Symbol, RawName | RawPartial]
             ) -> bool:
        """Is the head a name of the student's own: one the network does not know, a letter the error may go by
        defined as a derivative, or a given's other name (d for a target y) defined by a formula that is not that
        given (Octave's d = ∂E/∂out = out − y), or d by a number that is not the target's?"""
        if self.resolver.own(head) or self._declared_weight_name(head, elements, names):
            return True
        if head.base in ERROR_BASES and not head.sub and not head.sup and len(elements) > 1 \
                and isinstance(names.get(elements[1].expr), RawPartial) and head.base != "E":
            return True  # ("Let G := ∂Error/∂h_1": a letter the error may go by, named for a derivative)
        given = None if head in self.resolver.defined or head.base in AMBIGUOUS_BASES \
            else self._given(elements[0], names)  # (Bishop's a_2 = w_7 z_1 + …: a two-role letter, its line says)
        if given is None:
            return False
        for element in elements[1:]:
            if not element.expr.free_symbols:
                continue
            try:
                return not self._equal(self.resolver.expr(element.expr, names), given)
            except Unresolved:
                continue
        if head.base == "d" and not head.sub and self.truth.network.spec.notation.target != "d" and len(elements) == 2 \
                and (literal := elements[1].literal) is not None and (value := self.truth.value(given)) is not None:
            # a program's d = out − y, printed "d = -0.809000", where the lecture's target is y = 1: a number the
            # target is not names the student's own d (its formula was in the code)
            return not _rounds_to(literal, value)
        return False

    def _declared_weight_name(self, head: RawName, elements: Sequence[Element],
                        names: Mapping[sp.Symbol, RawName | RawPartial]) -> bool:
        """v_{21} = w_2 (Engelbrecht's v_{ji}, input i into hidden j, given the lecture's numbers): a weight's
        two-index name the sheet declares, where our reading of the indices gives another weight (a translation,
        not a claim; what the lines with it say is still judged)."""
        if head.base not in ("w", "W", "v", "V", "u", "U") or len(head.sub) != 2 or not head.sub.isdigit() \
                or head.sup or head.accent or head in self.resolver.defined or len(elements) < 2:
            return False
        other = self._single_name(elements[1].expr, names)
        if not isinstance(other, RawName) or other.base not in ("w", "W") or len(other.sub) == 2:
            return False
        params = self.truth.network.params
        try:
            meant, ours = self.resolver.name(other), self.resolver.name(head)
        except Unresolved:
            return False
        return meant in params and ours != meant

    def _class_label(self, head: RawName | RawPartial | None, elements: Sequence[Element]) -> bool:
        """y = 3 with several outputs (softmax's one-hot targets): the label as a class's number 1…K, which a
        textbook writes for the target vector e_y."""
        outputs = len(self.truth.network.outputs)
        return isinstance(head, RawName) and head.base in ("y", "t", "c") and not head.sub and not head.accent \
            and len(elements) == 2 and outputs > 1 and isinstance(k := elements[1].expr, sp.Integer) \
            and 1 <= int(k) <= outputs

    def _given(self, first: Element, names: Mapping[sp.Symbol, RawName | RawPartial]) -> sp.Expr | None:
        """The chain's head, where it reads as an input or a target, which no formula computes (Murphy's layers
        x_2 = W_1 x_1 + b_1: x_2 there a layer's vector, not the second input); None otherwise."""
        try:
            meaning = self.resolver.expr(first.expr, names)
        except Unresolved:
            return None
        given = {*self.truth.network.inputs, *self.truth.network.targets}
        found = any(meaning == q or meaning == self.truth.in_sample(q, k) for q in given
                    for k in range(1, len(self.truth.copies) + 1))
        return meaning if found else None

    def _unread(self, elements: Sequence[Element], names: Mapping[sp.Symbol, RawName | RawPartial]) -> str | None:
        """The first member's Unresolved message when none of the members can be read; else None."""
        messages = []
        for element in elements:
            try:
                self.resolver.expr(element.expr, names)
                return None
            except Unresolved as exc:
                messages.append(exc.message)
        return messages[0] if messages else None

    def define(self, head: RawName, elements: list[Element], names: Mapping[sp.Symbol, RawName | RawPartial],
               target: Target) -> sp.Expr:
        """A name of the student's own means what its first member says: a formula; or, for a number, the
        quantity whose value it is (Δ = 0.191 − 1.0 = −0.809 is ∂E/∂out), the asked one first. A name defined by a
        formula keeps it when a later line gives it its value in numbers (P = −½(d_C − o_C)² − …, then
        P = −0.2748 − 0.0236 = −0.2984), and a name of the asked quantity keeps it whatever number follows (that
        number is judged); other numbers define it anew (g_1 after g ← g ⊙ (1 − h²)). (A last member that is no
        number, sigmoid(1.1059) of a function the network does not know as its activation, is no number to keep.)"""
        if self._numbered_as_asked(head, target):
            self.resolver.defined[head] = target.expr  # (g6 = δ·h1 asked ∂E/∂w6: judged as ∂E/∂w6, a wrong input)
            return target.expr
        existing = self.resolver.defined.get(head)
        if existing is not None and existing.free_symbols and not any(e.expr.free_symbols for e in elements[1:]) \
                and (((was := self.truth.value(self.forward_form(existing))) is not None and was.is_real
                      and (off := elements[-1].expr.evalf(30) - was).is_comparable and abs(off) <= abs(was) / 100)
                     or self._equal(existing, target.expr)):  # (dw5: diff(E, w5), then ev(dw5, vals): the asked one's)
            return existing
        read = self._first_read(elements[1:], names)
        meaning = self._definition(read, names)
        if meaning is not None and read[:1] != elements[1:2] and not self._known(meaning, target):
            meaning = None  # after a rule we cannot read, only a known quantity (up to its sign) defines the name
        if meaning is None:
            meaning = self._named_by_value(elements[1:], names, target)
        self.resolver.defined[head] = meaning
        self._family(head, meaning)
        return meaning

    def _numbered_as_asked(self, head: RawName, target: Target) -> bool:
        """Is the name a program's gradient of a weight numbered as the asked one (g6, dEdw6 in an answer about
        ∂E/∂w6), or of the asked unit's output (dh2, dEdout_h2 about ∂E/∂out_h2)? It is the student's name for the
        asked quantity, whatever its formula says."""
        if head.sup or head.accent:
            return False
        if target.kind == "partial" and target.wrt is not None:  # (dh2, dEdout_h2 about ∂E/∂out_h2)
            unit = next((n for n, (_, out, _) in self.resolver.neurons().items() if out == target.wrt), None)
            return unit is not None and re.fullmatch(r"d(?:(?:E|J|L|Error)_?d)?(?:out_?)?" + re.escape(unit),
                                                     head.base + head.sub) is not None
        param = target.param
        if target.kind != "gradient" or param is None or head.base not in _GRADIENT_CODE_NAMES:
            return False
        index = re.fullmatch(r"[A-Za-z]+_?([0-9]+)", str(param))
        return index is not None and head.sub == index[1]

    def _family(self, head: RawName, meaning: sp.Expr) -> None:
        """ξ_1 = Σ_i W^1_{i1} x_i (Šíma's potential of hidden unit 1): a letter of the student's own, numbered as
        the units of the layer whose net input it names, names that layer's net inputs (ξ_3 in a later answer)."""
        quantities = self.truth.network.quantities
        if not isinstance(meaning, sp.Symbol):  # (its definition written out: W^1_{11} x_1 + W^1_{21} x_2 + …)
            meaning = next((q for q, i in quantities.items() if i.kind is Kind.NET and i.definition is not None
                            and i.definition.free_symbols == meaning.free_symbols  # (a cheap test first: a long
                            and sp.expand(i.definition - meaning) == 0), meaning)  # meaning expands for minutes)
        info = quantities.get(meaning) if isinstance(meaning, sp.Symbol) else None
        if info is None or info.kind is not Kind.NET or info.layer is None or info.index is None \
                or head.sup or head.accent or head.sub != str(info.index + 1) \
                or head.base in self.resolver.declared_nets:
            return
        self.resolver.declared_nets[head.base] = info.layer - 1

    def _known(self, e: sp.Expr, target: Target) -> bool:
        """Is e, or −e, the asked quantity, a neuron's δ or a parameter's gradient (Haykin's δ_3 = −δ_{h3})?"""
        return any(self._equal(e, q) or self._equal(e, -q)
                   for q in (target.expr, *self.truth.deltas, *self.gradient_values))

    def _first_read(self, elements: list[Element], names: Mapping[sp.Symbol, RawName | RawPartial]
                    ) -> list[Element]:
        """The first member the network can read: δ_3 = Φ'(v_3) Σ_k δ_k w_{k3} = Φ'(v_3)(d − y) W_3 is defined by
        its second member when the first is a textbook's general rule (if that is a known quantity: see define)."""
        for k, element in enumerate(elements):
            try:
                self.resolver.expr(element.expr, names)
            except Unresolved:
                continue
            return elements[k:k + 1]
        return elements[:1]

    def _named_by_value(self, elements: list[Element], names: Mapping[sp.Symbol, RawName | RawPartial],
                        target: Target) -> sp.Expr:
        """(A last number that names nothing lets the arithmetic before it name the quantity: Δw_{2,3} = 1 × 0.0168 ×
        0.3 = 0.0050 is Δw_3 = 0.0050529 by its 0.00504, the 0.0050 after it rounded twice.)"""
        own: sp.Expr | None = None
        for element in reversed(elements):
            try:
                e = self.resolver.expr(element.expr, names)
            except Unresolved:
                continue
            if element.literal is not None and str(element.literal).isdigit() and len(elements) == 1:
                return sp.Integer(str(element.literal))  # Marsland's β = 1: a whole number says what it is
            if e.free_symbols:
                continue
            if not self.truth.network.is_numeric():  # ISLR's w_{k0} = β_0 = 0 on a symbolic network: that number
                return e
            v = e.evalf(30)
            if not v.is_real:
                continue
            if target.value is not None and abs(v - target.value) <= abs(target.value) / 200:
                return target.expr
            # seed 000's δ_5 = 0.0349 is ∂Error/∂w5 (0.03463, from numbers rounded to 2 decimals: 2% apart at most);
            # a number of five significant digits or more is a forward quantity's within 100 units of its last digit
            # only (exp = (…, 0.901400): not the error 0.900404)
            fine = _unit_of_last(element.literal)
            for known, part in ((self.named_values, 200), (self.gradient_values, 50), (self.step_values, 200)):
                cap = 100 * fine if fine and known is self.named_values else sp.oo
                close = [(abs(v - w), str(q), q) for q, w in known.items()
                         if w.is_real and abs(v - w) <= min(abs(w) / part, cap) and not isinstance(q, sp.Dummy)]
                if close:
                    return min(close)[2]
            deltas = [(abs(v + w), str(q), -q) for q in self.truth.deltas  # δ_j = −∂E/∂net_j (a sign convention)
                      if (w := self.truth.value(self.forward_form(q))) is not None and w.is_real and w != 0
                      and abs(v + w) <= abs(w) / 200]
            if deltas:
                return min(deltas)[2]
            if target.value is not None and target.value.is_real and target.value != 0 \
                    and abs(v + target.value) <= abs(target.value) / 200:
                return -target.expr  # Trask's l1.T.dot(l2_delta) = −∂E/∂w5 (his l2_delta is (y − l2) σ′)
            changes = [(abs(v + w), str(q), -q) for q, w in self.step_values.items()  # Δw = −η ∂E/∂w added (GfG's
                       if w.is_real and w != 0 and abs(v + w) <= abs(w) / 200]      # η δ O)
            if changes:
                return min(changes)[2]
            if own is not None:
                continue
            if target.value is not None and target.value.is_real and abs(v - target.value) > abs(target.value) / 2:
                own = sp.Rational(str(element.literal)) if element.literal is not None else v  # its own number
                continue
            break
        return own if own is not None else target.expr

    @cached_property
    def gradient_values(self) -> dict[sp.Expr, sp.Expr]:
        """∂E/∂p of every parameter, with its value: what a student's own name given only a number may be."""
        out = {}
        for p in self.truth.network.params:
            t = self.truth.target(f"dE/d{p.name}")
            if t.value is not None and t.value != 0:
                out[t.expr] = t.value
        return out

    @cached_property
    def step_values(self) -> dict[sp.Expr, sp.Expr]:
        """η ∂E/∂p of every parameter, with its value: a step the student names (StatQuest's Step Size)."""
        eta = self.truth.network.learning_rate
        rate = self.truth.value(eta) if eta is not None else None
        return {} if not rate else {eta * g: rate * v for g, v in self.gradient_values.items()}

    def _states_old(self, p: sp.Expr, member: Element) -> bool:
        """w_5 = 0.3589165 before the second update: the weight's value now, to the digits written (not its
        new value)."""
        old, new = self.truth.value(p), self.truth.target(f"{p}+").value
        literal = member.literal
        return literal is not None and old is not None and new is not None and _rounds_to(literal, old) \
            and not _rounds_to(literal, new)

    def _assigned(self, p: sp.Expr, elements: list[Element], names: Mapping[sp.Symbol, RawName | RawPartial]
                  ) -> sp.Expr:
        """`w_1 = w_1 − η …` heads the update of w1 (a row of a matrix update): its new value, when that is what
        the member says; else the weight itself."""
        target = self.truth.target(f"{p}+")
        definition = self._definition(elements, names)
        if definition is not None:
            return target.expr if definition.has(self.truth.network.learning_rate) and \
                self._equal(definition, target.expr) else p
        try:  # numbers: the new value when they are closer to it than to the weight
            e = self.resolver.expr(elements[0].expr, names) if elements else None
        except Unresolved:
            e = None
        v, old, new = (e.evalf(30) if e is not None and not e.free_symbols else None), self.truth.value(p), target.value
        if v is not None and v.is_real and old is not None and new is not None and old != new and \
                abs(v - new) < abs(v - old):
            return target.expr
        return p

    def _definition(self, elements: list[Element], names: Mapping[sp.Symbol, RawName | RawPartial]
                    ) -> sp.Expr | None:
        """What a new name's first member says it is, when that member is a formula the network can read."""
        if not elements:
            return None
        try:
            e = self.resolver.expr(elements[0].expr, names)
        except Unresolved:
            return None
        return self._mixed_meaning(e) if e.free_symbols else None

    def _mixed_meaning(self, e: sp.Expr) -> sp.Expr:
        """β_2 = w_7 b_1 + w_8 b_2 + 0.60: a definition with given quantities written as numbers (b3 = 0.60) means
        the neuron's quantity it equals with those fixed, so that σ(β_2) is out_o2 for every value of b3."""
        env = self.truth.env
        if not self.truth.network.is_numeric():
            return e
        fixed = {s for s in self.leaves if s in env and env[s] not in (0, 1, -1) and e.has(env[s])}
        if not fixed:
            return e
        witnesses = self.mixed_witnesses(fixed)
        form = self.forward_form(e)
        for layer in self.truth.network.layers:
            for q in (*layer.nets, *layer.outs):
                if _compare(form, q, witnesses):
                    return q
        return e

    def _convention(self, head: RawName | RawPartial, meaning: sp.Expr, elements: list[Element],
                    names: Mapping[sp.Symbol, RawName | RawPartial], text: str) -> sp.Expr | None:
        """δ_k = (t_k − o_k)·o_k(1 − o_k) (Mitchell): an error term defined on its line with the opposite sign.
        The name then means the student's definition in this answer and later ones."""
        if not isinstance(head, RawName) or meaning not in self.truth.deltas:
            return None
        for element in elements:  # its first member the network can read as ±δ (δ_y = e φ'(v_y) = d − y: φ unread)
            try:
                e = self.resolver.expr(element.expr, names)
            except Unresolved:
                continue
            self.line_decimals = tuple(decimals(self._src(text, element)))  # (its rounded numbers read as quantities)
            try:
                if not e.free_symbols or self._equal(e, meaning):
                    return None
                if self._equal(e, -meaning):
                    return -meaning
            finally:
                self.line_decimals = ()
        return None

    # -- does the answer establish its quantity? ---------------------------------------------------

    def establish(self, judged: Judged, names: Mapping[sp.Symbol, RawName | RawPartial], target: Target) -> None:
        """The asked quantity must be reached: a chain about it with a member that is a value, or an expression
        whose derivatives ∂A/∂B are each given by another chain ("where" lines)."""
        by_head: dict[sp.Expr, list[ChainInfo]] = {}
        for c in judged.chains:
            if c.head is not None:
                by_head.setdefault(c.head, []).append(c)
        partials: dict[sp.Symbol, sp.Expr | None] = {}

        def meaning(s: sp.Symbol) -> sp.Expr | None:
            if s not in partials:
                try:
                    raw = names[s]
                    partials[s] = self.resolver.partial(raw) if isinstance(raw, RawPartial) else \
                        self.resolver.name(raw) if isinstance(raw, RawName) else None
                except Unresolved:
                    partials[s] = None
            return partials[s]

        def grounded(e: sp.Expr, seen: frozenset[sp.Expr]) -> bool:
            if isinstance(e, sp.Symbol) and isinstance(names.get(e), RawName) \
                    and (m := meaning(e)) is not None and self._equal(m, target.expr) \
                    and (m == target.expr or m not in self.known):
                return False  # (a flash card's "b2⁺" with its answer skipped: the asked quantity only named; but
                # ∂E/∂b_2 = δ_O where an earlier answer worked δ_O out)
            for s in sorted(e.atoms(sp.Symbol), key=str):  # (in a fixed order: the carried name it reports)
                raw = names.get(s)  # a derivative, or a step Δw_5 (w_5⁺ = w_5 + Δw_5 restates the update)
                named = isinstance(raw, RawName) and raw.base in DELTA_BASES and raw.sup == "" \
                    and (m := meaning(s)) is not None and m not in seen and bool(by_head.get(m))
                if named:  # δ_{h2} = ∂L/∂a_2 on a line of its own: the error term only named, grounded as that is
                    if not any(grounded(x, seen | {m}) for c in by_head[m] for x in c.elements):
                        return False
                    continue
                if not isinstance(raw, RawPartial) and not (isinstance(raw, RawName)
                                                            and raw.base.startswith(DELTA_STEP)):
                    continue
                m = meaning(s)
                if m is not None and m in self.known and not (isinstance(raw, RawPartial) and isinstance(m, sp.Symbol)
                                                              and m not in self.truth.deltas):
                    continue  # (∂ŷ/∂W_2 is h_2, known from an earlier answer: that it is h_2 is still to be said)
                if m is not None and m in self.missed and not by_head.get(m):
                    carried.append(m)  # w_3 ← w_3 − η ∂E/∂w_3 after an answer that got ∂E/∂w_3 wrong
                    return False
                if m is None or m in seen or not any(grounded(x, seen | {m}) for c in by_head.get(m, [])
                                                     for x in c.elements):
                    return False
            return True

        carried: list[sp.Expr] = []
        about = [c for c in judged.chains if c.about == "target"]
        # (w⁺ = w − η ∂E/∂w on a symbolic network is the update's formula only where the sheet worked ∂E/∂w out
        # before — then it is known —; alone, it restates the question)
        judged.established = any(grounded(x, frozenset({target.expr})) for c in about for x in c.elements)
        if judged.established and any(c.blank and c.elements and any(isinstance(names.get(s), RawPartial)
                                                                      for s in c.elements[-1].free_symbols)
                                      for c in about):
            judged.established = False  # b_1^+ = b_1 − η ∂E/∂b_1 = ⋯ ("substituted later"): left to do, as it says
        if judged.established and target.kind == "update" and self.truth.network.is_numeric() \
                and not any(not x.free_symbols for c in about for x in c.elements):
            judged.established = False  # w_6 = w_6 − η ∂E/∂w_6 with numbers given: the rule restated, not applied
        unfinished = None
        if judged.established and self.truth.network.is_numeric() and not any(c.number for c in about) \
                and any(not x.free_symbols for c in about for x in c.elements):
            unfinished = "incomplete_arithmetic"  # E = ½[(0.4769 − 0.23)² + (0.5287 + 0.07)²]: not worked out
        if judged.established and target.kind in ("loss", "net", "out") and self.truth.network.is_numeric() \
                and not any(_given_numbers(x) for c in about for x in c.elements):
            unfinished = "incomplete_definition"  # E = ½ Σ (t − out)², net_h1 = w_1 i_1 + w_2 i_2 + b_1
        if judged.established and unfinished is None and self.require_value and self.truth.network.is_numeric() \
                and not any(c.number for c in about):
            unfinished = "incomplete_value"  # δ_{h1} = (w_5 δ_{o1} + w_6 δ_{o2}) out_{h1}(1 − out_{h1}), no number
        judged.established = judged.established and unfinished is None
        if judged.established and judged.all_read_right:  # (σ′ = σ(1 − σ) unread above δ_O's chain)
            self.known |= {target.expr} | {c.head for c in about if c.head is not None}
            return
        if judged.established:
            self.missed[target.expr] = target.quantity
            return
        if carried and judged.first_wrong is None:
            unfinished = "incomplete_carried"
        if judged.first_wrong is not None:
            return  # the wrong line is the diagnosis
        line = len(judged.lines) - 1
        corrected = self.notation.latex(target.expr)
        others = [(c, q) for c in judged.chains if c.about == "lemma" and c.head is not None
                  and any(grounded(x, frozenset()) for x in c.elements)
                  and (q := self._quantity_of(c.head, target)) is not None]
        if others:
            c, q = others[-1]
            message = self.say("other_quantity", what=c.what, quantity=q, asked=target.quantity)
            judged.diagnosis.insert(0, Diagnosis("other_quantity", message, corrected, line))
        elif about:
            judged.diagnosis.insert(0, Diagnosis("incomplete", self.say(
                unfinished or "incomplete_factors", asked=target.quantity,
                answer=self.missed[carried[-1]] if carried else ""), corrected, line))
        else:  # (unless a line about a name of the student's own gives it with a known slip)
            judged.diagnosis.insert(0, unreached(self, judged.chains, names, target, line)
                                    or written_slip(self, self.answer_text, target, line)
                                    or Diagnosis("incomplete", self.say("incomplete", asked=target.quantity),
                                                 corrected, line))

    def _quantity_of(self, head: sp.Expr, target: Target) -> str | None:
        """The answers-file name of a quantity of the asked kind that `head` is (dE/dw6 for ∂E/∂w6)."""
        net = self.truth.network
        if target.kind in ("gradient", "update"):
            forms = [f"dE/d{p.name}" if target.kind == "gradient" else f"{p.name}+" for p in net.params]
        elif target.kind in ("delta", "net", "out"):
            prefix = {"delta": "delta_", "net": "net_", "out": ""}[target.kind]
            forms = [prefix + n for layer in net.layers for n in layer.neurons]
        else:
            return None
        for q in forms:
            if q != target.quantity and self._equal(head, self.truth.target(q).expr):
                return q
        return None

    def _equal(self, a: sp.Expr, b: sp.Expr) -> bool:
        return self.same(a, b)[0]

    def _general(self, e: sp.Expr, names: Mapping[sp.Symbol, RawName | RawPartial], wider: bool = True) -> bool:
        """Does e name a quantity by index letters only (∂E_n/∂w_{ji}, δ^l_j)? Such a head states the textbook's
        general rule, which the lines after it apply: it is set aside, never taken for the asked quantity."""
        raws = [names.get(s) for s in e.atoms(sp.Symbol)]
        flat = [r for raw in raws for r in ((raw.of, raw.wrt) if isinstance(raw, RawPartial) else (raw,))]
        # (`wider`: also one layer's W^{(2)}_{jk} and a layer's letter alone, s — read so since session 54)
        return any(isinstance(r, RawName) and (generic(r, wider) or (wider and self._layer_letter(r)))
                   and self.resolver.name(r) is None for r in flat)

    def _layer_letter(self, raw: RawName) -> bool:
        """s alone where the sheet's s_1 is a quantity of the network (the logits s_k): the layer's vector, as in
        ∂ℓ/∂s = ŷ − t, a rule for each of its entries."""
        if raw.sub or raw.sup:
            return False
        try:
            first = self.resolver.name(replace(raw, sub="1"))
        except Unresolved:
            return False
        # (a layer's net inputs or outputs: not t, whose t_1 is a target and t alone Alpaydın's sample index)
        return first is not None and any(role in ("net", "out") for role, _ in self.resolver.roles_of(first))

    def _layer_head(self, raw: RawName | RawPartial) -> bool:
        """Does raw name a layer's vector or matrix as a whole (b^{(1)}, ∂J/∂b^{(1)}, δ^{(2)}), whatever its size?"""
        return self.resolver.layer_matrix(raw) is not None and not (isinstance(raw, RawName) and raw.sub)

    def _shared_bias(self, raw: RawName | RawPartial, elements: Sequence[Element],
                     names: Mapping[sp.Symbol, RawName | RawPartial]) -> bool:
        """db^{[1]} = np.sum(dz^{[1]}) = 0.0088 + 0.0100 = 0.0187: the one bias a layer's units share (Mazur's b1)
        named as the layer's, its chain ending in a member we can read — a number, not a vector."""
        wrt = raw.wrt if isinstance(raw, RawPartial) else raw
        bias = self.resolver.layer_matrix(wrt) if isinstance(wrt, RawName) and wrt.base == "b" else None
        return bias is not None and len(set(bias[0])) == 1 and self._unread_member(elements[-1:], names) is None

    def _one_unit(self, raw: RawName | RawPartial, elements: Sequence[Element],
                  names: Mapping[sp.Symbol, RawName | RawPartial]) -> bool:
        """z^{[2]} = W^{[2]} a^{[1]} + b^{[2]} = w_5 a^{[1]}_1 + w_6 a^{[1]}_2 + b_2: the vector of a layer with one
        unit, its chain ending in a member we can read — that unit's quantity, the matrix form left unchecked."""
        found = self.resolver.layer_matrix(raw)
        return found is not None and found[0].shape == (1, 1) and len(elements) > 2 \
            and self._unread_member(elements[-1:], names) is None

    def _unread_member(self, elements: Sequence[Element], names: Mapping[sp.Symbol, RawName | RawPartial]
                       ) -> str | None:
        """The Unresolved message of the first member we cannot read, if any."""
        for element in elements:
            try:
                self.resolver.expr(element.expr, names)
            except Unresolved as exc:
                return exc.message
        return None

    def _matrix_head(self, e: sp.Expr, names: Mapping[sp.Symbol, RawName | RawPartial]) -> bool:
        """Is e a layer's matrix named as a whole (dW^{[2]}, ∂J/∂W^{(1)}, δ^{(2)}), in a chain with no matrix of
        numbers to compare entry by entry? Its equation is set aside, never taken for a number."""
        raw = names.get(e) if isinstance(e, sp.Symbol) else None
        found = self.resolver.layer_matrix(raw) if raw is not None else None
        return found is not None and found[0].shape != (1, 1)

    @staticmethod
    def _single_name(e: sp.Expr, names: Mapping[sp.Symbol, RawName | RawPartial]) -> RawName | RawPartial | None:
        return names.get(e) if isinstance(e, sp.Symbol) else None

    @staticmethod
    def _src(text: str, element: Element) -> str:
        """The member as written; one that starts inside \\mathbf{z}_h is shown from \\mathbf{ (not as z}_h)."""
        start = element.start
        piece = text[start:element.end]
        for _ in range(piece.count("}") - piece.count("{")):
            opened = re.search(r"\\[A-Za-z]+[ \t]*\{[ \t]*$", text[:start])
            if opened is None:
                break
            start = opened.start()
        return text[start:element.end].strip()

    def element(self, element: Element, names: Mapping[sp.Symbol, RawName | RawPartial], truth: sp.Expr,
                value: sp.Expr | None, previous: sp.Expr | None, formulas: tuple[sp.Expr, ...], text: str
                ) -> tuple[LineVerdict, sp.Expr | None, tuple[sp.Expr, ...]]:
        """One member: (its verdict, its value for the next member, the last formula for the next member)."""
        src = self._src(text, element)
        self.entry = getattr(element, "entry", None) is not None
        self.entry_at = element.entry
        self.line_decimals = tuple(decimals(src))
        expected = f"{self.notation.latex(truth)}"
        try:
            student = self._read(element, names)
        except Unresolved as exc:
            return LineVerdict(src, INCORRECT, exc.message, expected, kind="unresolved"), previous, formulas
        if element.whole is not None and not self.same(student, truth)[0]:
            # a matrix written with layer names is read in one numbering (a^{(0)} the inputs); the textbooks number
            # them in others, so a reading that disagrees is left unchecked, and the entries written out decide
            return LineVerdict(src, INCORRECT, self.say("matrix_reading"), expected, kind="unresolved"), previous, \
                formulas
        if not student.free_symbols:  # numbers, also inside exp, σ, log: evaluated
            verdict, now = self.number(src, student, element.literal, value, previous, formulas, truth)
            self.arithmetic.append(src)
            return verdict, now, formulas
        self.formula = student
        ok, how = self.same(student, truth)
        if not ok and self.truth.network.is_numeric() and (worked := self._worked_in(student, truth)) is not None:
            ok, how = True, worked  # (this member's own decimals: same() is asked of other members too)
        read = student
        if not ok and element.expr.free_symbols & set(self.resolver.joined):
            student, ok, how = self._unjoined(element.expr, names, truth, student, ok, how)
        now = self.truth.value(self.forward_form(student)) if self.truth.network.is_numeric() else None
        parts = tuple(self._meanings(element.expr, names))
        if ok:
            return LineVerdict(src, CORRECT, how), now, (*formulas, student, *parts)
        return (LineVerdict(src, INCORRECT, self.say("not_equal", expected=what_of(self, truth)), expected,
                            reading=None if student is read else student), now, (*formulas, student, *parts))

    def _unjoined(self, e: sp.Expr, names: Mapping[sp.Symbol, RawName | RawPartial], truth: sp.Expr,
                  student: sp.Expr, ok: bool, how: str) -> tuple[sp.Expr, bool, str]:
        """The other reading of Δ·w: Δ the output error of seed 002 (Δ = prediction − actual), not a step."""
        meaning = self.resolver.error_delta()
        if meaning is None:
            return student, ok, how
        products = {s: p for s, p in self.resolver.joined.items() if s in e.free_symbols}
        bare = {d for p in products.values() for d in p.free_symbols if isinstance(names.get(d), RawName)
                and names[d].base in ("Delta", "Δ")}  # type: ignore[union-attr]
        if not bare:
            return student, ok, how
        raws = [names[d] for d in bare]
        defined = self.resolver.defined
        saved = {r: defined[r] for r in raws if r in defined}
        defined.update(dict.fromkeys(raws, meaning))  # type: ignore[arg-type]
        try:
            other = self.resolver.expr(e.xreplace(products), names)
        except Unresolved:
            return student, ok, how
        finally:
            for r in raws:
                defined.pop(r, None)  # type: ignore[arg-type]
            defined.update(saved)
        same, how2 = self.same(other, truth)
        if same:
            return other, True, how2
        # neither holds: the reading nearer the truth's value is the one to diagnose (Δ · w_6 · i_1 for Δ · w_5 ·
        # i_1: the lecture's Δ with the wrong weight, not the step of w_6)
        joined, unjoined, true = (self.truth.value(self.forward_form(x)) for x in (student, other, truth))
        if joined is not None and unjoined is not None and true is not None \
                and all(v.is_real for v in (joined, unjoined, true)) and abs(unjoined - true) < abs(joined - true):
            return other, ok, how
        return student, ok, how

    def _meanings(self, e: sp.Expr, names: Mapping[sp.Symbol, RawName | RawPartial]) -> Iterator[sp.Expr]:
        """The meaning of each name and derivative a formula writes (Δw5 before it cancels in −Δw5/η)."""
        for s in e.free_symbols:
            if s in names:
                try:
                    m = self.resolver.expr(s, names)
                except Unresolved:
                    continue
                if m.free_symbols and m != s:
                    yield m

    # -- the numbers of an arithmetic line ----------------------------------------------------------

    def _subexpressions(self, e: sp.Expr, depth: int) -> Iterator[sp.Expr]:
        """Every factor a substitution into `e` can show: its subtrees, the partial products and sums of their
        terms, and (to `depth` levels) the same of the expressions of the δ's it names."""
        for node in sp.preorder_traversal(e):
            yield node
            if isinstance(node, sp.Mul | sp.Add):
                args = [x for x in node.args if x != -1]
                if 2 < len(args) <= (8 if isinstance(node, sp.Mul) else 4):
                    for r in range(2, len(args)):
                        for combo in itertools.combinations(args, r):
                            yield node.func(*combo)
            if depth > 0 and node in self.truth.deltas:
                yield from self._subexpressions(self.truth.deltas[node], depth - 1)

    def factor_values(self, forms: tuple[sp.Expr, ...], truth: sp.Expr) -> list[sp.Expr]:
        """The values a decimal of a line substituting into `forms` (about `truth`) may stand for."""
        if (forms, truth) not in self._factors:
            env, values = self.truth.env, set()
            quantities = self.truth.network.quantities
            expanded = list(forms)
            for form in (truth,):  # a forward value is computed from its definition, and a net input from its sum
                for _ in range(2):
                    q = quantities.get(form) if isinstance(form, sp.Symbol) else None
                    if q is None or q.definition is None:
                        break
                    form = q.definition
                    expanded.append(form)
                    form = next((x for x in form.free_symbols if x in quantities and
                                 quantities[x].definition is not None), form) if len(form.free_symbols) == 1 else form
            # (a partial written ∂J/∂z_1 is the expanded sum δ_o1 w_5 σ' + δ_o2 w_7 σ': its common factor σ' pulled
            # out, the sum Σ_k δ_k w_k is a factor too, as the δ recursion writes it)
            expanded += [f for f in map(sp.factor_terms, expanded) if f not in expanded]
            for form in expanded:
                for sub in self._subexpressions(form, 3):
                    v = value_at(self.forward_form(sub), env)
                    if v is not None and v.is_real:
                        values.add(abs(v))
            self._factors[(forms, truth)] = sorted(values)
        return self._factors[(forms, truth)]

    def match_factors(self, src: str, formulas: tuple[sp.Expr, ...], truth: sp.Expr, entry: bool = False
                      ) -> tuple[LineVerdict | None, list[sp.Expr] | None]:
        """Each decimal of an arithmetic line must stand for a factor of the formula it substitutes into (or for a
        number the student wrote before): a right rounding of it, or a value drifted from it by numbers rounded
        earlier (seed 002's 0.93 for h1 = 0.9236). A decimal that is another quantity's value is named, even
        when the product stays close. Returns (the wrong line or None, each decimal's distance from its factor)."""
        net = self.truth.network
        literals = decimals(src)
        if not literals or (truth.is_Number and not formulas):  # (P = −0.2748 − 0.0236: a name of the student's
            return None, None  # given a number before, with no formula to hold its numbers to)
        if len(net.samples) > 1 or entry:  # a matrix entry (its line shows every entry's numbers), or a batch:
            # no matching, but a number drifted from a quantity's value by earlier rounding may move the line
            forms = tuple(f for f in (*formulas, truth, self.forward_form(truth)) if f is not None)
            known = [(abs(v), float(abs(v))) for v in (*self.named_values.values(),
                                                       *self.factor_values(forms, truth)) if v.is_real]
            return None, [self._batch_deviation(d, known) for d in literals]
        forms = tuple(f for f in (*formulas, truth, self.forward_form(truth)) if f is not None)
        values = self.factor_values(forms, truth)
        env = self.truth.env
        carried = {abs(v) for before in self.arithmetic for v in self._partial_results(before)}
        precision = self._precision(src)
        deviations: list[sp.Expr] = []
        ambiguous: dict[int, list[sp.Expr]] = {}
        for d in literals:
            text, x = d.text, abs(d.value)
            if (stale := self._stale(d, literals, forms)) is not None:
                old = self.previous.env[stale]  # type: ignore[union-attr]
                return LineVerdict(src, INCORRECT, self.say(
                    "stale_values", names=f"${self.notation.latex(stale)}$", old=_fmt(old),
                    new=_fmt(self.truth.env[stale])), kind="wrong_substituted_value"), None
            close = [v for v in values if _near(text, v, precision)] + [true for shown, true in self.written
                                                            if _rounds_to(text, shown)]
            if close and x in self.givens and _significant(x, _places(text)) < 2:
                deviations.append(sp.Integer(0))  # 0.5 (one digit) where η or w_7 is 0.5: that given number, exact
                continue
            if close:  # the farthest of the factors it is a right rounding of (seed 000's 0.50: w_6, or h_2 = 0.495)
                deviations.append(max(abs(x - v) for v in close))
                if len({abs(x - v) for v in close}) > 1:
                    ambiguous[len(deviations) - 1] = close
                continue
            if any(_rounds_to(text, v) for v in carried):  # worked out from the line before: as far from its
                # factor as that line's numbers took it (sigmoid(0.12) after −0.50 × 0.56 + 0.80 × 0.50, for 0.1149)
                drift = [abs(x - v) for v in values if abs(x - v) <= _ulp(text)]
                deviations.append(max(_ulp(text) / 2, min(drift, default=0)))
                continue
            leaves = set(self.leaves)
            others = sorted((s for s, v in env.items() if v.is_real and _rounds_to(text, v) and abs(v) not in values),
                            key=lambda s: (s in leaves, abs(abs(env[s]) - x)))
            drifted = [v for v in values if _drifted(text, v)]
            if drifted and not others:  # a factor computed from numbers rounded earlier (seed 002's 0.93 for 0.9236)
                deviations.append(min(abs(x - v) for v in drifted))
                continue
            shown = [(f"${self.notation.latex(o)}$", env[o]) for o in others[:2]]
            if not shown:  # 0.505 for 1 − h_1 where h_2 = 0.495: the other unit's σ′ factor
                shown = [(f"$1 - {self.notation.latex(q)}$", 1 - env[q]) for q, info in
                         self.truth.network.quantities.items() if info.kind is Kind.OUT and q in env
                         and env[q].is_real and _rounds_to(text, 1 - env[q]) and abs(1 - env[q]) not in values][:2]
            if shown:
                named = (" 或 " if self.lang == "zh" else " or ").join(f"{n} ({_fmt(v)})" for n, v in shown)
                return LineVerdict(src, INCORRECT, self.say("wrong_substituted_value", number=text, names=named),
                                   kind="wrong_substituted_value"), None
            return LineVerdict(src, INCORRECT, self.say("unknown_factor", number=text), kind="unknown_factor"), None
        return None, self._settle(src, deviations, ambiguous, truth) if ambiguous else deviations

    @staticmethod
    def _batch_deviation(d: Written, known: list[tuple[sp.Expr, float]]) -> sp.Expr:
        """A decimal of a batch's line, unmatched: as far as the farthest value it is a right rounding of, written
        to 3 significant digits or more (−0.0500 for sample 2's h_1 = −0.049958, though its net input is −0.05),
        else the nearest it is near or drifted from."""
        half = _ulp(d.text) / 2
        gaps = [abs(abs(d.value) - v) for v, f in known if _within_reach(d, f)
                and (_near(d.text, v) or _drifted(d.text, v))]
        rounded = [g for g in gaps if g <= half] if _significant(abs(d.value), _places(d.text)) >= 3 else []
        return max(rounded) if rounded else min(gaps, default=half)  # (0.6 rounds too many values to tell)

    def _settle(self, src: str, deviations: list[sp.Expr], ambiguous: dict[int, list[sp.Expr]], truth: sp.Expr
                ) -> list[sp.Expr]:
        """A number that rounds several factors (0.20: w_2, or η(1 − h_1) = 0.2034) stands for one whose place in the
        line gives the truth: read as that factor's value, the line comes within the rounding of its other numbers.
        The farthest such factor sets its distance (seed 000's 0.50: w_6 = 0.5 or h_2 = 0.495, whichever the line
        needs); when none does, the nearest factor (w_2 − δ_h1 i_2 for w_2 − η δ_h1 i_2 is no rounding of 0.20 for
        η(1 − h_1); 0.20 − 0.5 × 0.00043856 for w_2⁺ = 0.199561 is no rounding of 0.20 for 0.199561 itself)."""
        marked, value = self.marked(src), self.truth.value(truth)
        if marked is None or value is None:
            return deviations
        line, by_index, values = marked
        slopes = {k: evaluate(sp.diff(line, sym), values) for k, sym in by_index.items()}
        settled = list(deviations)
        for k, close in ambiguous.items():
            sym = by_index.get(k)
            if sym is None or any(slopes[j] is None for j in by_index if j != k):
                continue
            x = values[sym]
            others = sum((abs(slope) * deviations[j] for j in by_index
                          if j != k and j < len(deviations) and (slope := slopes[j]) is not None),
                         sp.Rational(0)) * sp.Rational(3, 2) + sp.Rational(1, 10**12)
            fits = [(abs(at - value), abs(abs(x) - v)) for v in close
                    if (at := evaluate(line, {**values, sym: v if x >= 0 else -v})) is not None and at.is_real]
            if fits:
                plausible = [d for r, d in fits if r <= others]
                settled[k] = max(plausible) if plausible else min(d for _, d in fits)
        return settled

    @cached_property
    def previous(self) -> Truth | None:
        """The network one gradient step earlier than the judged one (None at step 0, or without numbers)."""
        truth = self.truth
        if truth.step < 1 or not truth.network.is_numeric():
            return None
        return Truth.at_step(Network.from_spec(truth.network.spec), truth.step - 1)

    def _stale(self, d: Written, literals: Sequence[Written], forms: tuple[sp.Expr, ...]) -> sp.Symbol | None:
        """A parameter of the formula whose value before the last update the decimal is, exactly, where the line's
        other numbers, or the answer's, are written to two places more (0.15, the first pass's w_1, beside
        0.199561432 at the second step where w_1 = 0.149780716; OneNote's 0.25∙0.05 + 0.3∙0.1 + 0.35 = 0.3925 for
        net_h2, then out_h2 to 9 decimals): the old weight, not a rounding of the new one."""
        previous = self.previous
        if previous is None:
            return None
        env, old = self.truth.env, previous.env
        if abs(d.value) not in self.givens:
            # (a value of the forward pass before the update, rounded as it was then: the first pass's out_h1 =
            # 0.5622 at the second, where it is 0.5636 — not drift, the old number copied)
            for q in sorted({q for f in forms for q in f.free_symbols} & set(old) & set(env), key=str):
                if old[q] != env[q] and abs(env[q] - old[q]) > 2 * _ulp(d.text) and _rounds_to(d.text, old[q]) \
                        and not _rounds_to(d.text, env[q]) and not _near(d.text, env[q], sp.Rational(1, 10**4)):
                    return q
        if _places(d.text) + 2 > max(self.answer_places, *(_places(o.text) for o in literals)):
            return None
        composed = self._composed  # (net_{h1}: through its definition, w_1 i_1 + w_2 i_2 + b_1)
        names = {p for f in forms for q in f.free_symbols for p in composed.get(q, q).free_symbols}
        params = (names & set(self.truth.network.params)) - set(forms[:1])  # (w_1 = 0.11 − 0.05 g: its own update)
        if abs(d.value) in self.givens:
            return None  # (0.5, the old w_3, is also the input x_1)
        return next((q for q in sorted(params, key=str) if q in old and old[q] != env.get(q)
                     and abs(d.value) == abs(old[q])), None)

    @cached_property
    def givens(self) -> frozenset[sp.Expr]:
        """|v| of every value the spec gives (parameters, η, inputs, targets): numbers a student copies exactly."""
        net = self.truth.network
        return frozenset(abs(v) for v in (*net.values.values(), *(v for s in net.samples for v in s.values()))
                         if v is not None)

    def _precision(self, src: str) -> sp.Expr | None:
        """The relative precision of the coarsest number the student worked out and wrote in this chain so far
        (the network's given values are exact); None when there is none."""
        found = [_ulp(d.text) / 2 / abs(d.value) for line in (*self.arithmetic, src) for d in decimals(line)
                 if d.value != 0 and abs(d.value) not in self.givens]
        return max(found, default=None)

    def marked(self, src: str) -> tuple[sp.Expr, dict[int, sp.Symbol], dict[sp.Symbol, sp.Expr]] | None:
        """The arithmetic line re-read with each decimal as a variable ν_k: (the line, k → ν_k, ν_k → value)."""
        literals = decimals(src)
        marked, last = [], 0
        for k, m in enumerate(literals):
            marked += [src[last:m.start], rf"\nu_{{{k}}}"]
            last = m.end
        marked.append(src[last:])
        try:
            reread = parse("".join(marked), timeout=1.0)
            at = self.entry_at  # a matrix member is read entry by entry: this entry's chain
            chain = next(c for c in reread.chains if at is None or c.elements[0].entry == at)
            line = self.resolver.functions(chain.elements[0].expr)
        except (ParseError, Refused, IndexError, StopIteration, Unresolved):
            return None
        by_index = {int(raw.sub): sym for sym, raw in reread.names.items()
                    if isinstance(raw, RawName) and raw.base == "nu" and raw.sub.isdigit()}
        values = {sym: literals[k].value for k, sym in by_index.items() if k < len(literals)}
        if len(values) != len(literals) or line.free_symbols - set(values):
            return None
        return line, by_index, values

    def _partial_results(self, src: str) -> list[sp.Expr]:
        """The value of every part of an arithmetic line as written (0.037145 × 0.93 in 0.1744 + 0.037145 × 0.93):
        what the next member of the chain may show, worked out."""
        marked = self.marked(src)
        if marked is None:
            return []
        line, _, values = marked
        out = []
        for node in sp.preorder_traversal(line):
            parts = [node]
            if isinstance(node, sp.Mul | sp.Add) and 2 < len(node.args) <= 6:  # 0.25 × 0.48 × 0.52 of
                parts += [node.func(*group) for n in range(2, len(node.args))  # 0.25 × 0.48 × 0.52 × 0.56
                          for group in itertools.combinations(node.args, n)]
            for part in parts:
                v = evaluate(part, values)
                if v is not None and v.is_real:
                    out.append(v)
        return out

    def tolerance(self, src: str, value: sp.Expr, deviations: list[sp.Expr] | None = None) -> sp.Expr:
        """How far the numbers written can move this arithmetic line from the truth: Σ |∂line/∂x| · dev(x) over
        its decimals x, from the line re-read with each number as a variable. dev(x) is x's distance from the
        factor it stands for (match_factors), or half a unit in its last place; without that matching, numbers
        that are exact values of the network (w5 = 0.4) are taken as exact."""
        literals = decimals(src)
        if not literals:
            return sp.Rational(0)
        marked = self.marked(src)
        if marked is None:
            return coarse_tolerance(src, value)
        line, by_index, values = marked
        total = sp.Rational(0)
        for k, sym in by_index.items():
            x = values[sym]
            if deviations is not None and k < len(deviations):
                dev = deviations[k]
            elif abs(x) in self.givens and not self._rounds_a_computed_value(literals[k].text, value):
                continue
            else:
                dev = _ulp(literals[k].text) / 2
            if dev == 0:
                continue
            slope = evaluate(sp.diff(line, sym), values)
            if slope is not None:
                total += abs(slope) * dev
        return total * sp.Rational(3, 2) + sp.Rational(1, 10**12)

    def _rounds_a_computed_value(self, text: str, own: sp.Expr | None = None) -> bool:
        """Is the number written also a right rounding of a computed quantity (seed 000's 0.50: w_6, and h_2 =
        0.495)? Then it is not taken as exact. (A one-decimal number, −0.4, rounds too many values to tell; nor is
        the line's own result, `own`, one its numbers stand for: 0.25 + 0.5 · 0.000498 for w_3⁺ = 0.24975.)"""
        leaves = set(self.leaves)
        return _places(text) >= 2 and any(_near(text, v) for q, v in self.named_values.items()
                                          if q not in leaves and v.is_real and v != 0
                                          and (own is None or abs(abs(v) - abs(own)) > abs(own) / 10**9))

    def number(self, src: str, student: sp.Expr, literal: str | None, value: sp.Expr | None,
               previous: sp.Expr | None, formulas: tuple[sp.Expr, ...], truth: sp.Expr
               ) -> tuple[LineVerdict, sp.Expr | None]:
        if value is None and truth.is_number and not truth.atoms(AppliedUndef):
            value = truth  # ∂z_O/∂b_2 = 1 on a symbolic network: a constant, whatever the network's values
        if value is None:
            return LineVerdict(src, INCORRECT, self.say("symbolic_network_number")), previous
        if value.is_number and not value.is_Rational:  # (−log 0.350819: a value the line stands for, kept exact)
            value = value.evalf(50)
        shown = sp.Rational(student) if student.is_Rational else student.evalf(50)
        if not shown.is_real:
            return LineVerdict(src, INCORRECT, self.say("not_real"), _fmt(value)), previous
        if literal is None and self.entry:  # an entry of a matrix of numbers: judged as the number written there
            written = {d.text for d in decimals(src) if d.value == shown}
            literal = written.pop() if len(written) == 1 else None
        if literal is not None:
            places = _places(literal)
            wanted = self.min_significant if self.final else 1  # hand calculations round what they carry on
            digits = _significant(value, places)
            if value != 0 and shown != value and (shown == 0 or digits < wanted) \
                    and _round(value, places) == _round(shown, places):  # (0.000000 for 0.2788: a wrong value)
                return LineVerdict(src, INCORRECT, self.say("too_few_digits", number=literal, digits=max(digits, 0),
                                                            value=_fmt(value), wanted=wanted),
                                   _fmt(value, max(places, places + wanted - digits)),
                                   kind="too_few_digits"), shown
            if _round(value, places) == _round(shown, places) or shown == value:
                return LineVerdict(src, CORRECT, self.say("number_right", number=literal, value=_fmt(value),
                                                          places=places)), \
                    shown
            if (digits >= 16 and abs(shown - value) <= abs(value) / 10**11) \
                    or (digits >= 12 and abs(shown - value) <= abs(value) / 10**10):
                # (GHCi's 0.32724049999999993: a double; a batch's sum in doubles, 0.19016462412718234 for
                # 0.19016462412712186; a calculator's 12 digits worked from its own 12-digit numbers, HP Prime's
                # 9.95425470522E−3 for 0.0099542547052065)
                return LineVerdict(src, CORRECT, self.say("number_double", number=literal, value=_fmt(value))), shown
            # (the previous member's result rounded, a tie either way: 0.1495 × 0.50 = 0.07475 → 0.0747)
            carried = previous is not None and (_round(previous, places) == _round(shown, places)
                                                or abs(shown - previous) <= _ulp(literal) / 2)
            # written with ≈: a hand calculation's result, drifted from the truth by the numbers rounded before it
            # (or a number on the way, not the answer's own, within the rounding of the arithmetic just before it)
            within = bool(self.arithmetic) and abs(shown - value) <= (
                self.tolerance(self.arithmetic[-1], value) + _ulp(literal) / 2)
            approx = (self.approx and (_drifted(literal, value) or within)) or (not self.final and within)
            # the right rounding of the arithmetic just before it, judged right within the rounding of its numbers
            # (2-decimal hand work drifts further than 3%: 0.07 × 0.56 − 0.33 × 0.49 = −0.1225 ≈ −0.12 for −0.126)
            settled = carried and within and self.after_correct and bool(decimals(self.arithmetic[-1]))
            # one unit off in the 5th significant digit or later: the last digit of a long hand calculation
            # (or in the 3rd or 4th of a number on the way, worked from rounded numbers: −0.0549 for −0.054845 from
            # weights rounded to 4 places after a step; the answer's own number is held to its rounding)
            last_digit = (digits >= 5 or (digits >= 3 and not self.final)) and abs(shown - value) <= _ulp(literal)
            # the same number a line above was judged, for the same value (Err_6 = … = 0.1311 from rounded numbers,
            # then ∂E/∂I_6 = −Err_6 = −0.1311): its rounding, carried
            again = digits <= 4 and (shown < 0) == (value < 0) \
                and any(abs(shown) == s and t == abs(value)  # (a hand-rounded number, in this answer)
                        for s, t in self.written[self.answer_written:])
            if ((carried or approx) and _close(shown, value)) or settled or last_digit or again:
                return LineVerdict(src, ROUNDING, self.say("rounding_drift", number=literal,
                                                           value=_fmt(value, places + 2)), kind="rounding_drift"), shown
            return LineVerdict(src, INCORRECT, self.say("number_wrong", number=literal, value=_fmt(value, places + 2),
                                                        places=places),
                               _fmt(value, places + 2), kind="arithmetic_slip"), shown
        wrong, deviations = self.match_factors(src, formulas, truth, self.entry)
        if wrong is not None:
            return wrong, shown
        tolerance = self.tolerance(src, value, deviations)
        # (past 3% only in 2-decimal hand work, each number matched to its factor: −0.50 × 0.56 + 0.80 × 0.50 = 0.12
        # for 0.1149, seed 000's h1 = 0.5622 and h2 = 0.4950)
        coarse = deviations is not None and all(_places(d.text) <= 2 and (len(d.text.lstrip("-0.")) >= 2
                                                                           or abs(d.value) in self.givens)
                                                 for d in decimals(src))  # (−0.5 × 0.56: w_6 exact, h_1 rounded)
        if abs(shown - value) <= tolerance and (_close(shown, value) or coarse):
            return LineVerdict(src, CORRECT, self.say("arithmetic_right", shown=_fmt(shown), value=_fmt(value))), shown
        vetted = len(self.truth.network.samples) == 1  # (match_factors has tied each number to its factor)
        # (the truth of the formula before: past two decimals, its numbers' distances from their factors, as matched
        # — a given that is also a rounding of a computed value, b_2 = 0.60 where out_h2 = 0.5969, is not taken as
        # rounded then)
        matched = previous == value and any(_places(d.text) > 2 for d in decimals(src))
        if previous is not None and (previous != value or vetted) and _close(shown, value) and abs(
                shown - previous) <= self.tolerance(src, previous, deviations if matched else None):
            # previous: a number of the student's, or, where each number was matched to its factor, the truth of the
            # formula before (0.07 × 0.56 − 0.33 × 0.49 = −0.1225 for −0.126: two-decimal hand work)
            return LineVerdict(src, ROUNDING, self.say("arithmetic_rounding", shown=_fmt(shown), value=_fmt(value)),
                               kind="rounding_drift"), shown
        return LineVerdict(src, INCORRECT, self.say("arithmetic_wrong", shown=_fmt(shown), value=_fmt(value)),
                           _fmt(value),
                           kind="arithmetic_slip"), shown


#: a sample's input given at a line's start, then a colon: "x^{(2)} = (-0.4, 0.3): a1 = …" (the line's sample)
_SAMPLE_GIVEN = re.compile(r"^[^=]*?\^\{\(([1-9])\)\}[ \t]*=[ \t]*\([^()\n]*\)[ \t]*:")
_SAMPLE_SAID = re.compile(SAMPLE_SAID)
#: a line's lead that says its number is the answer ("Answer: 0.0827", "답: 0.0827", "∴ 0.0827")
_ANSWER_LEAD = re.compile(r"[ \t]*(?:" + answer_word() + r"[ \t]*(?:\([a-z0-9]{1,3}\))?[ \t]*[:：]|∴|\\therefore)"
                          r"[ \t$]*")
_INLINE_MATH = re.compile(r"\$[^$]*\$")
#: a word of prose outside math: three letters or more, no command's, no script's
_WORD = re.compile(r"(?<![\\_^{A-Za-z])[A-Za-z]{3,}(?![A-Za-z}_])")
_BRACKETED = re.compile(r"\([^()]*\)")
_COMMAND = re.compile(r"\\[A-Za-z]+")


def _said_number(m: re.Match[str]) -> int:
    """The number of the sample SAMPLE_SAID found (its digit is in whichever group the words matched)."""
    return unicodedata.digit(next(g for g in m.groups() if g is not None))


def _in_sentence(text: str, start: int, end: int) -> bool:
    r"""Are there words of prose before and after text[start:end] on its line, outside its math — or before it, its
    piece of inline math closing the sentence ("… has the cute derivative $\sigma(1-\sigma)$.")?"""
    line_start, line_end = text.rfind("\n", 0, start) + 1, text.find("\n", end)
    before, after = text[line_start:start], text[end:] if line_end < 0 else text[end:line_end]
    if re.match(r"[ \t]*\$(?!\$)[ \t]*[.。!]?[ \t]*$", after) and re.search(r"(?<!\$)\$[ \t]*$", before):
        return _WORD.search(_INLINE_MATH.sub(" ", before + "$")) is not None
    return all(_WORD.search(_INLINE_MATH.sub(" ", side)) for side in (before + "$", "$" + after))


def _target_minus_output(e: sp.Expr, names: Mapping[sp.Symbol, RawName | RawPartial], letter: str) -> bool:
    """Is e (t_i − o_i), alone or as a factor ((t_i − o_i) o_i (1 − o_i)): a target minus an output, by index letter?
    (UFLDL's δ = −(y − a) f′(z), the factor negated, is the output minus the target.)"""
    if isinstance(e, sp.Mul) and e.could_extract_minus_sign():
        return False
    for factor in e.args if isinstance(e, sp.Mul) else (e,):
        if not isinstance(factor, sp.Add) or len(factor.args) != 2:
            continue
        plus = [a for a in factor.args if not a.could_extract_minus_sign()]
        minus = [-a for a in factor.args if a.could_extract_minus_sign()]
        if len(plus) == len(minus) == 1:
            t, o = names.get(plus[0]), names.get(minus[0])
            if isinstance(t, RawName) and isinstance(o, RawName) and o.base in OUT_BASES - TARGET_BASES \
                    and (t.base in ("t", "d", "target", "T", "Target") or (t.base == "y" and o.base != "y")) \
                    and t.sub == o.sub == letter:  # (Rich & Knight's desired outputs y_j beside their outputs o_j)
                return True
    return False


def _labelled(parsed: Parsed) -> Parsed:
    """"Same thing for $h_2$: $(2)(0.12) + (3)(0.08) = 0.48$": a name standing alone, then arithmetic with no name in
    it: the name heads that arithmetic (the name itself stays a label)."""
    chains = list(parsed.chains)
    lone = [len(c.elements) == 1 and isinstance(c.elements[0].expr, sp.Symbol) for c in chains]
    for k in range(len(chains) - 1):
        label, nxt = chains[k], chains[k + 1]
        listed = k > 0 and lone[k - 1] and 0 <= label.elements[0].start - chains[k - 1].elements[0].end <= 3
        # (not the last of a list of names, "$w_5, w_7, w_9$: $-0.3246 + 0.0370 - 0.1115$": what they carry, summed)
        if lone[k] and not listed and len(nxt.elements) > 1 \
                and not nxt.elements[0].expr.free_symbols and nxt.elements[0].literal is None:
            chains[k + 1] = replace(nxt, elements=(label.elements[0], *nxt.elements), relations=("=", *nxt.relations))
    return replace(parsed, chains=tuple(chains))


def _given_numbers(e: sp.Expr) -> bool:
    """Has a member numbers put in it: a value (no names left), or numbers other than the integers and the ½ of
    a definition (0.15 i_1 + 0.2 i_2 + 0.35, the weights given)?"""
    return not e.free_symbols or any(not (a.is_Integer or abs(a) == sp.S.Half) for a in e.atoms(sp.Number))


def _within_reach(d: Written, v: float) -> bool:
    """A cheap float test before the exact ones: near and drifted never reach further than a unit in the last place
    or 2% of the value."""
    x = abs(float(d.value))
    return abs(x - v) <= max(float(_ulp(d.text)), 0.021 * v) * 1.01 + 1e-300


def _compare(s: sp.Expr, t: sp.Expr, envs: tuple[Mapping[sp.Symbol, sp.Expr], ...]) -> int | None:
    """How many of the points both can be evaluated at; None as soon as they differ at one."""
    compared = 0
    for env in envs:
        a, b = value_at(s, env), value_at(t, env)
        if a is None or b is None:
            continue
        compared += 1
        if abs(a - b) > sp.Float("1e-25") * max(1, abs(b)):
            return None
    return compared


#: distinct denominators of an expanded difference beyond which, once the values agree, cancelling is not tried:
#: its common denominator is their product (16 of σ's powers in a sum over two paths took SymPy ten minutes)
MAX_DENOMINATORS = 4


def _cancels(expanded: sp.Expr, bounded: bool) -> bool:
    """Does the difference cancel to 0? Where the values already agree (bounded), only when cancelling is cheap:
    the symbolic proof then only words the verdict."""
    if bounded and len({sp.denom(term) for term in sp.Add.make_args(expanded)} - {sp.S.One}) > MAX_DENOMINATORS:
        return False
    return bool(sp.cancel(expanded) == 0)


_U = sp.Dummy("u")
#: a concrete activation standing for an abstract Φ, to show two formulas in Φ differ (no symmetry of its own)
_CONCRETE_PHI = sp.Lambda(_U, sp.tanh(sp.Rational(7, 10) * _U + sp.Rational(3, 10)) + _U / 10)
_CONCRETE_SLOPE = sp.Lambda(_U, sp.diff(_CONCRETE_PHI(_U), _U))


def _with_concrete_phi(e: sp.Expr) -> sp.Expr:
    """e with each one-argument undefined function (Φ, f, σ of a sheet) replaced by _CONCRETE_PHI."""
    return e.replace(lambda x: isinstance(x, AppliedUndef) and len(x.args) == 1, lambda x: _CONCRETE_PHI(*x.args))


def _differs_for_some_phi(e: sp.Expr) -> bool:
    """Is e (in the leaves, an abstract Φ in it) non-zero for one concrete Φ at one point? Then it is not zero as
    an identity in Φ; a zero here proves nothing."""
    try:
        e = _with_concrete_phi(e).doit()
        if e.atoms(AppliedUndef):
            return False
        point = {s: sp.Rational(37 + 11 * k, 101) for k, s in enumerate(sorted(e.free_symbols, key=str))}
        v = sp.N(e.xreplace(point), 30)
        return bool(v.is_number and v.is_real and abs(v) > sp.Float("1e-20"))
    except (TypeError, ValueError, ZeroDivisionError, RecursionError):  # pragma: no cover - SymPy limits
        return False


def _close(shown: sp.Expr, value: sp.Expr) -> bool:
    """Rounding explains a number within 3% of the truth, never more (a value from stale or 1-digit numbers)."""
    return bool(abs(shown - value) <= abs(value) * 3 / 100 + sp.Rational(1, 10**12))


def what_of(judge: Judge, e: sp.Expr) -> str:
    return f"${judge.notation.latex(e)}$"
