"""Checking one answers file: parse each answer (with limits), judge it, keep the student's own names.

Each answer gets a wall-clock limit; input that is too large, too deep or too slow is `refused`, text
that is not derivation LaTeX is `unparseable` with its position — one answer never stops the others.
"""

from __future__ import annotations

import re
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import sympy as sp

from ..errors import SpecError
from ..network import Network
from .answers import Answer, Answers
from .catalogue import say
from .diagnose import Diagnosis
from .judge import CORRECT, INCORRECT, ROUNDING, UNCHECKED, Judge, Judged, LineVerdict
from .lex import plain_math
from .macros import Macros
from .parse import Parsed, ParseError, RawName, Refused, parse
from .references import References
from .truth import Target, Truth
from .verdicts import Verdict

TIME_LIMIT = 10.0  # seconds per answer
PARSE_TIMEOUT = 2.0  # seconds to read one answer (within its time limit)


@dataclass(frozen=True)
class AnswerResult:
    id: str
    quantity: str
    verdict: str  # correct | incorrect | unparseable | refused
    lines: tuple[LineVerdict, ...]
    diagnosis: tuple[Diagnosis, ...]
    message: str = ""  # why an answer is unparseable or refused
    latex: str = ""  # the answer as written (cut to 2000 characters)

    @property
    def first_wrong(self) -> int | None:
        return next((k for k, line in enumerate(self.lines) if line.verdict == INCORRECT), None)


@dataclass(frozen=True)
class FileResult:
    source: str
    answers: tuple[AnswerResult, ...]

    @property
    def all_correct(self) -> bool:
        return all(a.verdict == CORRECT for a in self.answers)

    def _repr_markdown_(self) -> str:
        """Jupyter: the report as a table per answer, with the diagnoses as rendered math."""
        from .report import result_markdown
        return result_markdown(self)


#: a weight's name with its layer's digit glued on before the subscript of letters: Rich & Knight's w1_{ij}
_GLUED_LAYER = re.compile(r"(?<![\\A-Za-z])[wW][1-9]_\{?[a-z]{2}\b")


class TimeLimit(Exception):
    pass


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the judging of one answer after `seconds` (main thread only; elsewhere no limit)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TimeLimit

    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


class Checker:
    """Judges the answers of one student; names a student defines carry over to later answers."""

    def __init__(self, network: Network, limit: float = TIME_LIMIT, lang: str = "en") -> None:
        self.network = network
        self.limit = limit
        self.lang = lang
        self.truths: dict[int, Truth] = {}
        self.judges: dict[int, Judge] = {}
        self.defined: dict = {}  # shared by the judges of every step
        self.disputed: set = set()
        self.negated: set[str] = set()
        self.affirmed: set[str] = set()
        self.declared_nets: dict[str, int] = {}  # letters the sheet declared as a layer's net inputs (u_k)
        # names a wrong answer (re)defined, with what they meant before it (None: nothing)
        self.superseded: dict = {}
        self.roles_before: dict[str, tuple[str, int] | None] = {}  # and the roles its letters had before it
        self.last: Judge | None = None  # the judge of the answer before
        self.macros = Macros()  # the sheet's own LaTeX macros, defined so far
        self.references = References()  # and its labelled numbers

    def judge(self, step: int) -> Judge:
        judge = self._judge(step)
        if self.last is not None and self.last is not judge:
            judge.resolver.carry_notation(self.last.resolver)  # the sheet's notation, seen at another step
        self.last = judge
        return judge

    def _judge(self, step: int) -> Judge:
        if step not in self.judges:
            if step not in self.truths:
                self.truths[step] = Truth.at_step(self.network, step)
            judge = Judge(self.truths[step], lang=self.lang)
            judge.resolver.defined = self.defined
            judge.disputed = self.disputed
            judge.resolver.negated = self.negated
            judge.resolver.affirmed = self.affirmed
            judge.resolver.declared_nets = self.declared_nets
            self.judges[step] = judge
        return self.judges[step]

    def rules(self, answers: tuple[Answer, ...]) -> None:
        """The rules a sheet states hold on the whole sheet, before the line that states them too: Rich & Knight's
        Δw1_{ij} = η δ1_j x_i in the ninth answer says how w1_{12} in the third is indexed. Each answer is read once
        more for them, briefly; one that cannot be read states none. (Only weights written as that book writes them,
        the layer's digit glued on: a sheet quoting UFLDL's ∂J/∂W^{(1)}_{ij} = a_j δ_i beside its own W^1_{31} writes
        two index orders, told apart by the brackets the reader does not keep.)"""
        judge, orders, macros = self.judge(0), set(), Macros()
        for a in answers:
            latex = macros.read(a.latex)
            if not _GLUED_LAYER.search(latex):
                continue
            try:
                parsed = parse(plain_math(latex), timeout=min(PARSE_TIMEOUT, self.limit) / 4, partial=True,
                               **judge.parse_options)
            except (ParseError, Refused):
                continue
            orders |= judge.rule_order(parsed)
        if len(orders) == 1 and judge.resolver.weight_order is None:
            judge.resolver.weight_order = orders.pop()

    def answer(self, a: Answer) -> AnswerResult:
        """The verdict on one answer, read as LaTeX (plain_math: a blog's w₅, out_h₁; the sheet's macros expanded, its
        cited equations' numbers written in), shown as written."""
        latex = plain_math(self.references.read(self.macros.read(a.latex)))
        return replace(self._answer(replace(a, latex=latex)), latex=a.latex[:2000])

    def _answer(self, a: Answer) -> AnswerResult:
        started = time.monotonic()
        before, conventions = dict(self.defined), set(self.negated)
        try:
            with time_limit(self.limit):
                judge = self.judge(a.step)
                roles = dict(judge.resolver.roles)
                target = judge.truth.target(a.quantity)
                parsed = self._read(judge, a, target)
                judged = judge.answer(parsed, target, a.latex, a.min_significant, a.require_value)
                bases = {r.base for r in self.disputed} & {r.base for r in parsed.names.values()
                                                           if isinstance(r, RawName)}
                if bases and not _ok(judged):  # the disputed δ's read as the network's own
                    saved = {r: self.defined.pop(r) for r in self.disputed if r.base in bases and r in self.defined}
                    bases &= self.negated
                    self.negated -= bases
                    again = judge.answer(self._read(judge, a, target),
                                         target, a.latex, a.min_significant, a.require_value)
                    # (members it cannot read set aside, as the verdict sets them aside; a sign flipped against a
                    # disputed convention is that convention's doing, not a mistake)
                    if _passes(again) or _names_better(judged, again, ("different", "sign_flipped")):
                        judged = again  # (wrong either way: its mistake is named without the disputed convention)
                    self.defined.update(saved)
                    self.negated |= bases
                if not _passes(judged):
                    judged = self._with_earlier(judge, a, target, parsed, judged)
                if not _passes(judged):  # what this wrong answer (re)defined, with its meaning before (before the
                    # first of several wrong answers that read it so: ∂net_O/∂o_{h2} twice, o_{h2} read as net_h2)
                    for r, e in self.defined.items():
                        if before.get(r) is not e:
                            self.superseded.setdefault(r, before.get(r))
                    for base, role in judge.resolver.roles.items():
                        if roles.get(base) != role:
                            self.roles_before.setdefault(base, roles.get(base))
                    if judged.diagnosis and judged.diagnosis[0].kind == "sign_flipped":
                        # δ = t − y rejected as a flipped sign: the convention it set (Mitchell's, or a slip) is
                        # disputed, a later answer that fails with it is judged again without it
                        self.disputed.update(r for r, e in self.defined.items() if isinstance(r, RawName)
                                             and r.base in self.negated - conventions and before.get(r) is not e)
        except ParseError as exc:
            self._forget(before, exc.heads)
            return self._failed(a, Verdict.UNPARSEABLE, exc.say(self.lang))
        except Refused as exc:
            return self._failed(a, Verdict.REFUSED, exc.say(self.lang))
        except TimeLimit:
            return self._failed(a, Verdict.REFUSED, say("time_limit", self.lang, limit=f"{self.limit:g}",
                                                  elapsed=f"{time.monotonic() - started:.1f}"))
        except (RecursionError, MemoryError, OverflowError):
            return self._failed(a, Verdict.REFUSED, say("too_large", self.lang))
        except SpecError:
            raise
        except (sp.SympifyError, ValueError, TypeError, ZeroDivisionError, AttributeError) as exc:
            return self._failed(a, Verdict.REFUSED, say("cannot_judge", self.lang, reason=exc))
        heads = {b for sk in parsed.skipped for b in sk.heads}
        self._forget(before, heads)
        # (a layer's rule set aside, ∂J/∂W^{(1)}_{ij} = a_j δ_i or ∂E/∂o = o − y: its letters may mean on the sheet
        # what we do not read — W^{(1)}_{13} in UFLDL's order — a wrong line using them is not the student's for sure)
        return self._verdict(a, judged, parsed, heads | judge.rule_bases)

    def _read(self, judge: Judge, a: Answer, target: Target) -> Parsed:
        """The answer read, within its own time (the reader's share of the answer's limit)."""
        return judge.in_place(parse(a.latex, timeout=min(PARSE_TIMEOUT, self.limit), partial=True,
                                    **judge.parse_options), target)

    def _with_earlier(self, judge: Judge, a: Answer, target: Target, parsed: Parsed, judged: Judged) -> Judged:
        """δ_1 defined right in one answer, redefined wrongly in the next (judged wrong there): a later answer that
        uses δ_1 may mean the first definition. It is judged again with the meanings from before the wrong answer,
        and those stay when that judges it right."""
        written = {(r.base, r.sub) for r in parsed.names.values() if isinstance(r, RawName)}
        used = {r for r in self.superseded if (r.base, r.sub) in written}  # δ_2^{(1)}: sample 1's δ_2
        if not used:
            return judged
        saved = {r: self.defined.get(r) for r in used}
        roles = dict(judge.resolver.roles)
        named = judged
        # the names alone first, then with the roles their letters had too (the role a wrong answer gave its
        # letter: o_{h2} read as net_h2 makes o_{h1} a net input as well)
        for with_roles in (False, True):
            if with_roles and not any(r.base in self.roles_before for r in used):
                break
            for r in used:
                self._set(r, self.superseded[r])
                if with_roles and r.base in self.roles_before:
                    _set_role(judge.resolver.roles, r.base, self.roles_before[r.base])
            again = judge.answer(self._read(judge, a, target), target, a.latex,
                                 a.min_significant, a.require_value)
            if _passes(again):
                for r in used:
                    del self.superseded[r]
                    self.roles_before.pop(r.base, None)
                return again
            for r, e in saved.items():
                self._set(r, e)
            judge.resolver.roles.clear()
            judge.resolver.roles.update(roles)
            if _names_better(named, again, ("different",)):
                named = again  # (wrong either way: its mistake named as the earlier meanings read it)
        return named

    def _set(self, raw: RawName, e: object) -> None:
        if e is None:
            self.defined.pop(raw, None)
        else:
            self.defined[raw] = e

    def _verdict(self, a: Answer, judged: Judged, parsed: Parsed, heads: set[str]) -> AnswerResult:
        """What we could not read is our limit, never the student's mistake. Members we cannot read before members
        we can (\\sum_k δ_k w_{kj} = w_5 δ_1 + …) and chains beside the ones we can (a vector equation) are shown as
        unchecked, and the rest decides; the answer is unparseable when the rest does not reach the quantity, when
        a head or a chain's last member is unread, when an unread member substitutes numbers that a line judged
        right follows from, when the last statement of a value is unread (after every chain read), or when a wrong
        line uses a name an unread chain may define."""
        unchecked = [LineVerdict(" ".join(sk.text.split()), UNCHECKED,
                                 say("unchecked", self.lang, reason=sk.error.say(self.lang))) for sk in parsed.skipped]
        reasons = [sk.error.say(self.lang) for sk in parsed.skipped]
        lines, substituted = [], []
        for k, line in enumerate(judged.lines):
            if line.kind == "unresolved":
                reasons.append(line.message)
                if line.linked and _substitution(line.latex) and any(x.verdict in (CORRECT, ROUNDING)
                                                                     for x in judged.lines[k + 1:]):
                    substituted.append(replace(line, message=say("unread_substitution", self.lang, line=line.latex,
                                                                 reason=line.message)))
                line = replace(line, verdict=UNCHECKED, message=say("unchecked", self.lang, reason=line.message),
                               expected="")
            lines.append(line)
        judged = replace(judged, lines=lines + unchecked)
        unread = [line for line in judged.lines if line.kind in ("unresolved_head", "unresolved_last")]
        if not unread and _ok(judged):
            # (the answer's last claim, unread: "i.e. … ≈ 0.001"; not an aside in brackets, "(y2 = 0.370382, …)");
            # with an unread substitution, they only keep an answer that would pass from passing: a wrong line
            # still decides
            last = max((c.start for c in parsed.chains), default=-1)
            unread = substituted + [
                LineVerdict(" ".join(sk.text.split()), UNCHECKED, sk.error.say(self.lang)) for sk in parsed.skipped
                if sk.start > last and _CLAIM.search(sk.text) and not sk.text.lstrip().startswith("(")]
        ok = not unread and _ok(judged)
        read = {parsed.names[s] for c in parsed.chains for e in c.elements for s in e.expr.free_symbols
                if s in parsed.names}
        lines_aside = [sk for sk in parsed.skipped if sk.line]  # (a whole line unread: what is read around it may be
        # read otherwise than meant — "x(2)" before it, equation numbers — so only an answer it leaves right passes)
        if unread or (reasons and not ok and (judged.first_wrong is None or lines_aside or any(
                isinstance(r, RawName) and r.base in heads for r in read))):
            return AnswerResult(a.id, a.quantity, Verdict.UNPARSEABLE, tuple(judged.lines), tuple(judged.diagnosis),
                                unread[0].message if unread else reasons[0], a.latex[:2000])
        return AnswerResult(a.id, a.quantity, CORRECT if ok else INCORRECT, tuple(judged.lines),
                            tuple(judged.diagnosis), latex=a.latex[:2000])

    def _forget(self, before: dict, heads: set[str] | frozenset[str]) -> None:
        """g_1 of an earlier answer: a chain we could not read (g ← g ⊙ σ′(a)) may have changed its meaning."""
        for r in [r for r in before if r.base in heads and self.defined.get(r) is before[r]]:
            del self.defined[r]

    @staticmethod
    def _failed(a: Answer, verdict: str, message: str) -> AnswerResult:
        return AnswerResult(a.id, a.quantity, verdict, (), (), message, a.latex[:2000])


#: a statement of a value: a relation, then a decimal number (not a rule's \mathbb{1}[k = j])
_CLAIM = re.compile(r"[=≈][^=≈]*[0-9]\.[0-9]")
#: LaTeX's commands, a function's name in \mathrm{…} with them (Brownlee's transfer_derivative(0.5622): a function
#: of the sheet's own, not a word between numbers)
_COMMANDS = re.compile(r"\\(?:mathrm|operatorname|text|texttt|mathit)\{[^{}]*\}|\\[A-Za-z]+")
#: a member that puts numbers into a formula: two decimals or more, outside a matrix or a vector
_DECIMAL = re.compile(r"(?<![\w.])[0-9]*\.[0-9]+")


def _substitution(latex: str) -> bool:
    """Does this member substitute numbers with words we cannot read between them? The numbers after it come from
    it: a wrong value put in ("0.11 minus 0.05 guna (−0.33978)", w2's gradient for w1's) would hide behind the right
    sum after it. (Arithmetic of numbers alone, 1 × 0.016843 × 0.3, is set aside only with its chain's head.)"""
    return len(_DECIMAL.findall(latex)) >= 2 and not any(x in latex for x in ("matrix", "[", ",")) \
        and re.search(r"[A-Za-z]{2,}", _COMMANDS.sub(" ", latex)) is not None


def _ok(judged: Judged) -> bool:
    """Every line right or set aside, and one at least checked right: a lone formula we cannot read ($δ_o h^T$,
    alone) proves nothing, whatever its names."""
    return bool(judged.lines) and judged.established and all(line.verdict in (CORRECT, ROUNDING, UNCHECKED)
                                                             for line in judged.lines) \
        and any(line.verdict in (CORRECT, ROUNDING) for line in judged.lines)


def _names_better(judged: Judged, again: Judged, vague: tuple[str, ...]) -> bool:
    """Does a second reading of a wrong answer name its mistake where the first said only one of `vague`?"""
    return bool(judged.diagnosis and again.diagnosis) and judged.diagnosis[0].kind in vague \
        and again.diagnosis[0].kind not in ("different", judged.diagnosis[0].kind)


def _set_role(roles: dict[str, tuple[str, int]], base: str, role: tuple[str, int] | None) -> None:
    if role is None:
        roles.pop(base, None)
    else:
        roles[base] = role


def _passes(judged: Judged) -> bool:
    """_ok, with the members we could not read set aside (as the verdict sets them aside)."""
    return bool(judged.lines) and judged.established and all(
        line.verdict in (CORRECT, ROUNDING, UNCHECKED) or line.kind == "unresolved" for line in judged.lines) \
        and any(line.verdict in (CORRECT, ROUNDING) and line.kind != "unresolved" for line in judged.lines)


def check_answers(network: Network, answers: Answers, limit: float = TIME_LIMIT, lang: str = "en") -> FileResult:
    """Judge every answer of one file; messages in `lang` ("en" or "zh")."""
    checker = Checker(network, limit, lang)
    for a in answers.answers:  # the quantities must exist: an unusable answers file is the caller's error
        try:  # (a quantity's name is the same at every step; the network after `step` updates is made within
            checker.judge(0).truth.target(a.quantity)  # the answer's time limit)
        except SpecError as exc:
            k = answers.answers.index(a)
            raise SpecError(exc.message, key=f"answer[{k}].{exc.key or 'quantity'}", source=answers.source,
                            zh=exc.zh) from None
    checker.rules(answers.answers)
    return FileResult(answers.source, tuple(checker.answer(a) for a in answers.answers))
