r"""Answers about a graph spec (a circuit), judged against the circuit's own gradients.

The reader is the checker's (parse.py) and the numbers are judged by the same rules (written.py: a right rounding
at the precision written, at least the answer's significant digits, never 0 for a quantity that is not); what a
name means differs. A circuit has no layers, neurons or δ's, only its named quantities: a name is a quantity when
its letters, with or without the underscore, are the quantity's name (`x_0`, `x0`, `\text{dot}`); `\eta`/`\alpha`
is the learning rate; ∂a/∂b is the local gradient when b is one of a's arguments (as "upstream × local" writes
it: ∂f/∂q with f = q·z is z) and the gradient through the graph otherwise (∂f/∂x); `w^{+}`, `w_{new}` and the
left side of `w \leftarrow …` are the parameter after the update. A name the circuit does not know is the
student's own when a line defines it (`g = \frac{\partial f}{\partial q}`), and means what the definition says.

A chain is judged against its head: every member after it must equal the head's value (numbers) or, written in the
circuit's names, its formula (the same function of the inputs and parameters: compared at the circuit's values and
at random points, so a formula right at one point by chance is not taken). An answer is correct when every chain
is and one of them is about the asked quantity and gives its value (or, in a symbolic circuit, its formula).
A wrong member is explained by the first mistake that reproduces it: a flipped sign, the multiply gate's own input
where the other one belongs, a local gradient left out, an activation where its derivative belongs, a path of a
fanned-out value left out, the update's sign or its learning rate, arithmetic after a right formula.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import sympy as sp
from sympy.core.function import AppliedUndef

from .. import activations
from ..backward import CircuitDerivation, derive_circuit
from ..circuit import Circuit, gate
from ..derive import PREC, evaluate
from ..errors import SpecError
from ..network import Network
from ..notation import Names
from ..styles import name_latex
from . import timestep
from .answers import Answer, Answers
from .catalogue import quantity_error, say
from .diagnose import Diagnosis
from .judge import LineVerdict
from .parse import Chain, Element, Parsed, ParseError, RawName, RawPartial, Refused, parse
from .run import TIME_LIMIT, AnswerResult, FileResult, TimeLimit, check_answers, time_limit
from .verdicts import Verdict
from .written import coarse_tolerance, decimals, fmt, places, rounds_to, significant

CORRECT, ROUNDING, INCORRECT, UNCHECKED = Verdict.CORRECT, Verdict.ROUNDING, Verdict.INCORRECT, Verdict.UNCHECKED
RATE_BASES = {"eta", "alpha", "epsilon", "lambda"}
UPDATED_SUBS = ("new", "+")
Local = Callable[[sp.Symbol, sp.Symbol], "sp.Expr | None"]  # (user, input) → its local gradient, None: left out
POINTS = 4  # random points a formula is compared at, besides the circuit's own values


class Unresolved(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


@dataclass(frozen=True)
class Target:
    """What an answer is asked for: its formula in the circuit's quantities, and its value."""

    quantity: str
    expr: sp.Expr
    kind: str  # "gradient", "value", "update"
    of: sp.Symbol  # the quantity differentiated, the node valued or the parameter updated


@dataclass
class CircuitTruth:
    """One circuit with one sample: every quantity's value, the gradients, the local partials."""

    circuit: Circuit
    derivation: CircuitDerivation = field(init=False)
    _partials: dict[tuple[sp.Symbol, sp.Symbol], sp.Expr] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.derivation = derive_circuit(self.circuit)

    @property
    def batch(self) -> bool:
        """Several samples ([[graph.samples]]): the answers are about the batch (its loss, the parameters' gradients
        and updates); a node's or an input's value is one sample's, so those names are not read."""
        return len(self.circuit.samples) > 1

    @cached_property
    def batch_symbols(self) -> dict[sp.Symbol, sp.Symbol]:
        """The batch loss (under the output's symbol) and each parameter's batch gradient, as symbols of their own."""
        c = self.circuit
        return {s: sp.Dummy(f"batch_{c.quantities[s].name}") for s in (c.output, *c.params)}

    @cached_property
    def rate(self) -> sp.Symbol:
        return sp.Symbol("eta", positive=True)

    @cached_property
    def names(self) -> dict[str, sp.Symbol]:
        return {q.name: s for s, q in self.circuit.quantities.items()}

    @cached_property
    def env(self) -> dict[sp.Symbol, sp.Expr]:
        d = self.derivation
        if self.batch:
            env = {s: v for s, v in self.circuit.values.items() if s in self.circuit.params}
            values = {self.circuit.output: d.batch_output, **d.batch_gradients}
            env.update({self.batch_symbols[s]: v for s, v in values.items() if v is not None})
        else:
            env = {s: v for s, v in d.forward.items() if v is not None}
        if self.circuit.learning_rate is not None:
            env[self.rate] = self.circuit.learning_rate
        return env

    @property
    def numeric(self) -> bool:
        return self.circuit.is_numeric()

    @cached_property
    def composed(self) -> dict[sp.Symbol, sp.Expr]:
        return self.circuit.composed()

    def partial(self, of: sp.Symbol, wrt: sp.Symbol) -> sp.Expr:
        """∂of/∂wrt through the graph, in the circuit's quantities (0 where wrt does not reach of)."""
        if self.batch:  # only ∂(batch loss)/∂parameter has a meaning over the batch
            if of != self.circuit.output or wrt not in self.circuit.params:
                raise Unresolved(f"∂{self.circuit.quantities[of].name}/∂{self.circuit.quantities[wrt].name} "
                                 "(one sample's)")
            return self.batch_symbols[wrt]
        if of == wrt:
            return sp.Integer(1)
        key = (of, wrt)
        if key not in self._partials:
            below = self.circuit.downstream(wrt)  # wrt and what depends on it
            self._partials[key] = sp.Add(*[local * self.partial(parent, wrt) for parent, local
                                           in self.circuit.quantities[of].partials.items() if parent in below])
        return self._partials[key]

    def local(self, of: sp.Symbol, wrt: sp.Symbol) -> sp.Expr:
        """∂of/∂wrt as a chain rule writes it: the local gradient when wrt is one of of's arguments."""
        partials = self.circuit.quantities[of].partials
        return partials[wrt] if wrt in partials and not self.batch else self.partial(of, wrt)

    def updated(self, p: sp.Symbol) -> sp.Expr:
        return p - self.rate * self.partial(self.circuit.output, p)

    def value(self, e: sp.Expr) -> sp.Expr | None:
        return evaluate(e, self.numeric_env if self.unrolled else self.env)

    @cached_property
    def unrolled(self) -> bool:
        return timestep.unrolled(self.circuit) is not None

    @cached_property
    def numeric_env(self) -> dict[sp.Symbol, sp.Expr]:
        """An unrolled network's values as numbers (rationals kept): its exact values nest tanh(… tanh(3/5) …) over
        the steps, and a gradient's formula, a sum over paths through time, would carry them all into one evalf."""
        return {s: v if v.is_Rational else v.evalf(PREC) for s, v in self.env.items()}

    def in_leaves(self, e: sp.Expr) -> sp.Expr:
        return e.xreplace(self.composed)

    @cached_property
    def points(self) -> tuple[dict[sp.Symbol, sp.Expr], ...]:
        """The circuit's values, then random leaves (and η), every node computed from them."""
        rng = random.Random(20261203)
        out = [dict(self.env)]
        leaves = self.circuit.leaves
        for _ in range(POINTS):
            env: dict[sp.Symbol, sp.Expr] = {s: sp.Rational(rng.choice((-1, 1)) * rng.randint(100, 900), 1000)
                                             for s in leaves}
            env[self.rate] = sp.Rational(rng.randint(1, 999), 1000)
            if self.batch:
                env.update({b: sp.Rational(rng.randint(-900, 900), 1000) for b in self.batch_symbols.values()})
            env.update(self.given)
            out.append(env)
        return tuple(out)

    @cached_property
    def point_values(self) -> tuple[dict[sp.Symbol, sp.Expr], ...]:
        """Every quantity's value at each point, by a forward pass over the nodes in order (equal to composing a
        formula into the leaves, without the formula that grows with the steps)."""
        out = []
        for env in self.points:
            full = dict(env)
            for s, q in self.circuit.quantities.items():
                if q.definition is not None:
                    v = q.definition.xreplace(full)
                    full[s] = v if v.is_Rational else v.evalf(PREC)
            out.append(full)
        return tuple(out)

    @cached_property
    def given(self) -> dict[sp.Symbol, sp.Expr]:
        """Leaves that keep their value at every point: a recurrent network's initial state h_0 (0 unless the spec
        gives it), which an answer leaves out of the first step's net input as the lectures do."""
        return {self.names[n]: self.circuit.values[self.names[n]] for n in timestep.initial_state(self.circuit)
                if self.names.get(n) in self.circuit.values}

    def same(self, a: sp.Expr, b: sp.Expr) -> bool:
        """Are two formulas in the circuit's quantities the same function of the leaves (and η; over a batch, of the
        batch's loss and gradients too)?"""
        if self.unrolled and not self.batch:  # through time: each node's value at each point, not one composed formula
            difference, points = a - b, self.point_values
        else:
            difference, points = (self.in_leaves(a - b) if not self.batch else a - b), self.points
        compared = 0
        for env in points:
            v = evaluate(difference, env)
            if v is None:
                continue
            compared += 1
            if abs(v) > sp.Float("1e-25"):
                return False
        return compared > 0

    def target(self, quantity: str) -> Target:
        q = quantity.strip()
        out = self.circuit.quantities[self.circuit.output].name
        if q.startswith("d") and "/d" in q:
            of, _, wrt = q[1:].partition("/d")
            if of not in (out, "E") or wrt not in self.names:
                raise quantity_error("quantity_unknown_graph", quantity=repr(quantity),
                                     expected="graph_quantity_help", names=", ".join(self.names))
            s = self.names[wrt]
            if self.batch and s not in self.circuit.params:
                raise quantity_error("quantity_batch", quantity=repr(quantity), expected="batch_help")
            return Target(q, self.partial(self.circuit.output, s), "gradient", s)
        if q.endswith("+"):
            s = self.names.get(q[:-1])
            if s is None or s not in self.circuit.params or self.circuit.learning_rate is None:
                raise quantity_error("quantity_update", quantity=repr(quantity))
            return Target(q, self.updated(s), "update", s)
        if q in self.names:
            s = self.names[q]
            if self.batch and s != self.circuit.output:
                raise quantity_error("quantity_batch", quantity=repr(quantity), expected="batch_help")
            return Target(q, self.batch_symbols[s] if self.batch else s, "value", s)
        raise quantity_error("quantity_unknown_graph", quantity=repr(quantity), expected="graph_quantity_help",
                             names=", ".join(self.names))


class CircuitJudge:
    """Judges the answers of one student about one circuit; the student's own names carry over between answers."""

    def __init__(self, truth: CircuitTruth, lang: str = "en") -> None:
        self.truth = truth
        self.lang = lang
        self.defined: dict[tuple[str, str, str], sp.Expr] = {}
        self.names = Names({s: name_latex(q.name) for s, q in truth.circuit.quantities.items()} | {
            truth.rate: r"\eta"})
        self.unrolled = timestep.unrolled(truth.circuit)  # a recurrent network: names with a time step
        self.hat_output = False  # this answer writes the output as \hat{y} or o_t (then y_t is the target)
        self.d_names = False  # this answer writes Karpathy's dy, dh (then a bare d is not the target)

    def tex(self, e: sp.Expr) -> str:
        return f"${self.names.latex(e)}$"

    # -- names ----------------------------------------------------------------------------------------

    def name(self, raw: RawName) -> sp.Expr:
        key = (raw.base, raw.sub, raw.sup)
        if key in self.defined and not raw.accent:
            return self.defined[key]
        stepped = self._unrolled(raw)
        if stepped is not None:
            return stepped
        if raw.accent:
            raise Unresolved(str(raw))
        names = self.truth.names
        sub, updated = raw.sub, raw.sup in ("+", "new")
        for mark in UPDATED_SUBS:
            if sub.endswith(mark) and sub != mark:
                sub, updated = sub[:-len(mark)].rstrip(","), True
        if raw.sup and not updated:
            raise Unresolved(str(raw))
        for candidate in (raw.base + sub, f"{raw.base}_{sub}" if sub else raw.base):
            if candidate in names:
                s = names[candidate]
                if self.truth.batch and s not in self.truth.circuit.params:  # one sample's value: not the batch's
                    if s != self.truth.circuit.output or updated:
                        raise Unresolved(str(raw))
                    return self.truth.batch_symbols[s]
                if updated:
                    if s not in self.truth.circuit.params:
                        raise Unresolved(str(raw))
                    return self.truth.updated(s)
                return s
        if raw.base in RATE_BASES and not sub and not raw.sup and self.truth.circuit.learning_rate is not None:
            return self.truth.rate
        raise Unresolved(str(raw))

    def _unrolled(self, raw: RawName) -> sp.Expr | None:
        """A recurrent network's quantity written with its time step (timestep.py), or None."""
        if self.unrolled is None or self.truth.batch:
            return None
        r = timestep.read(raw, self.unrolled, self.truth.names, self.hat_output)
        if r is None:
            target = timestep.last_target(raw, self.unrolled) if not self.d_names else None
            return None if target is None else sp.sympify(target)
        if r.kind == "target":
            return sp.sympify(r.value)
        s = self.truth.names[r.name]
        return self.truth.partial(self.truth.circuit.output, s) if r.kind == "delta" else s

    def quantity(self, raw: RawName) -> sp.Expr:
        """The circuit's quantity a name in a derivative stands for (∂loss/∂b over a batch too), or what the
        student defined it as."""
        key = (raw.base, raw.sub, raw.sup)
        if key in self.defined or raw.accent or raw.sup:
            return self.name(raw)
        stepped = self._unrolled(raw)
        if stepped is not None:
            return stepped
        names = self.truth.names
        for candidate in (raw.base + raw.sub, f"{raw.base}_{raw.sub}" if raw.sub else raw.base):
            if candidate in names:
                return names[candidate]
        raise Unresolved(str(raw))

    def meaning(self, e: sp.Expr, names: Mapping[sp.Symbol, RawName | RawPartial]) -> sp.Expr:
        """A parsed member in the circuit's quantities (Unresolved for a name it does not know)."""
        out = {}
        for s in e.free_symbols:
            raw = names.get(s)
            if isinstance(raw, RawPartial):
                of, wrt = self.quantity(raw.of), self.quantity(raw.wrt)
                if not (isinstance(of, sp.Symbol) and isinstance(wrt, sp.Symbol)
                        and of in self.truth.circuit.quantities and wrt in self.truth.circuit.quantities):
                    raise Unresolved(str(raw))
                out[s] = self.truth.local(of, wrt)
            elif isinstance(raw, RawName):
                out[s] = self.name(raw)
            else:
                raise Unresolved(str(s))
        return self._functions(e.xreplace(out))

    def _functions(self, e: sp.Expr) -> sp.Expr:
        names = self.truth.names
        quantities = self.truth.circuit.quantities

        def apply(app: AppliedUndef) -> sp.Expr:
            name, args = app.func.__name__, app.args
            primes = len(name) - len(name.rstrip("'"))
            if name in names and len(args) == 1:  # the reader took the node f for a function: f(1 − f) is f·(1 − f),
                node, arg = names[name], args[0]  # but f(dot) is the node when f is an activation of dot
                q = quantities[node]
                own = q.definition is not None and arg in q.partials and gate(q.definition, arg) in activations.KINDS
                return node if own else node * arg
            base = {"sigma": "sigmoid"}.get(name.rstrip("'"), name.rstrip("'"))
            if len(args) != 1 or base not in activations.KINDS or primes > 1:
                raise Unresolved(f"{name}(…)")
            kind = activations.make(base)
            x = args[0]
            return kind.derivative(x, kind.forward(x)) if primes else kind.forward(x)
        return e.replace(lambda x: isinstance(x, AppliedUndef), apply)

    # -- one answer -----------------------------------------------------------------------------------

    def answer(self, a: Answer) -> AnswerResult:
        target = self.truth.target(a.quantity)
        steps = self.unrolled.steps if self.unrolled is not None else None
        parsed = parse(a.latex, timeout=2.0, partial=True, sum_range=steps)  # a recurrent \sum_t: over the steps
        if self.unrolled is not None:
            self.hat_output = timestep.output_written_apart(parsed.names.values(), self.unrolled)
            self.d_names = timestep.d_prefixed(a.latex)
        lines: list[Line] = []
        diagnosis: list[Diagnosis] = []
        established = False
        about_other: tuple[str, str] | None = None
        for chain in parsed.chains:
            line = self._chain(chain, parsed, target, a.min_significant)
            lines.append(line)
            if line.verdict.verdict == INCORRECT and line.diagnosis is not None:
                diagnosis.append(Diagnosis(line.diagnosis[0], line.diagnosis[1], line.verdict.expected,
                                           len(lines) - 1))
            established |= line.establishes
            about_other = about_other or line.other
        verdicts = tuple(x.verdict for x in lines) + tuple(
            _line(" ".join(sk.text.split()), UNCHECKED, say("unchecked", self.lang, reason=sk.error.say(self.lang)))
            for sk in parsed.skipped)
        unread = [x for x in lines if x.unread]
        wrong = any(v.verdict == INCORRECT for v in verdicts)
        if unread and not wrong:
            return AnswerResult(a.id, a.quantity, Verdict.UNPARSEABLE, verdicts, (), unread[0].verdict.message,
                                a.latex[:2000])
        if parsed.skipped and not wrong and not established:
            return AnswerResult(a.id, a.quantity, Verdict.UNPARSEABLE, verdicts, (),
                                parsed.skipped[0].error.say(self.lang), a.latex[:2000])
        if not established and not wrong:
            asked = self._what(target)
            kind, message = ("other_quantity", say("other_quantity", self.lang, what=about_other[0],
                                                   quantity=about_other[1], asked=asked)) if about_other \
                else ("incomplete", say("incomplete", self.lang, asked=asked))
            diagnosis.append(Diagnosis(kind, message, "", max(len(lines) - 1, 0)))
        ok = established and not wrong
        return AnswerResult(a.id, a.quantity, CORRECT if ok else INCORRECT, verdicts, tuple(diagnosis),
                            latex=a.latex[:2000])

    def _what(self, target: Target) -> str:
        c = self.truth.circuit
        if target.kind == "gradient":
            return f"$\\partial {c.quantities[c.output].name} / \\partial {c.quantities[target.of].name}$"
        if target.kind == "update":
            return f"${c.quantities[target.of].name}^{{+}}$"
        return f"${c.quantities[target.of].name}$"

    # -- one chain ------------------------------------------------------------------------------------

    def _chain(self, chain: Chain, parsed: Parsed, target: Target, min_significant: int) -> Line:
        text = " ".join(chain.text.split())
        names = parsed.names
        if len(chain.elements) < 2:
            return Line(_line(text, UNCHECKED, say("label", self.lang)))
        head = chain.elements[0]
        try:
            truth, defines = self._head(chain, names)
        except Unresolved as exc:
            return Line(_line(text, UNCHECKED, say("unknown_name", self.lang, name=exc.name)), unread=True)
        members = chain.elements[1:]
        if defines is not None:  # the student's own name: what its definition says
            self.defined[defines] = truth
        after_formula = False
        for element in members:
            try:
                verdict, message, expected = self._member(element, chain.text, chain.start, names, truth,
                                                          min_significant)
            except Unresolved as exc:
                return Line(_line(text, UNCHECKED, say("unknown_name", self.lang, name=exc.name)), unread=True)
            if verdict == INCORRECT:
                kind = self._diagnose(element, chain, names, truth, target, after_formula, min_significant)
                return Line(_line(text, INCORRECT, message, expected, kind[0] if kind else ""), diagnosis=kind)
            after_formula |= bool(element.expr.free_symbols)
        written_head = chain.text[head.start - chain.start:head.end - chain.start].strip()
        establishes = self._about(head, names, target, truth) and self._gives_value(members, names)
        other = None
        if not establishes and any(isinstance(names.get(s), RawPartial) for s in head.expr.free_symbols) \
                and self._gives_value(members, names):
            v = self.truth.value(truth)
            other = (f"${written_head}$", _fmt(v) if v is not None else self.tex(truth))
        message = say("defines_own", self.lang, name=f"${written_head}$") if defines is not None \
            else say("correct_line", self.lang)
        return Line(_line(text, CORRECT, message), establishes=establishes, other=other)

    def _head(self, chain: Chain, names: Mapping[sp.Symbol, RawName | RawPartial]
              ) -> tuple[sp.Expr, tuple[str, str, str] | None]:
        """The head's meaning (the updated parameter for `p \\leftarrow …`) and, for a student's definition of a
        name the circuit does not know, that name."""
        head = chain.elements[0]
        try:
            meaning = self.meaning(head.expr, names)
        except Unresolved:
            raw = names.get(head.expr) if isinstance(head.expr, sp.Symbol) else None
            if not isinstance(raw, RawName) or raw.accent or chain.relations[0] == "assign":
                raise
            return self.meaning(chain.elements[1].expr, names), (raw.base, raw.sub, raw.sup)
        if chain.relations[0] == "assign":
            if not (isinstance(meaning, sp.Symbol) and meaning in self.truth.circuit.params):
                raise Unresolved(chain.text.split("\\leftarrow")[0].strip())
            return self.truth.updated(meaning), None
        return meaning, None

    def _about(self, head: Element, names: Mapping[sp.Symbol, RawName | RawPartial], target: Target,
               truth: sp.Expr) -> bool:
        """Is the chain's head the asked quantity: a derivative (or a product of them) equal to the asked gradient,
        the asked node itself, or the asked parameter after its update?"""
        if target.kind == "gradient":  # (∂f/∂y = z is not ∂f/∂x = z, though the two are equal)
            return any((isinstance(raw := names.get(s), RawPartial) and self._wrt(raw) == target.of)
                       or (isinstance(raw, RawName) and self._delta_of(raw) == target.of)
                       for s in head.expr.free_symbols) and self.truth.same(truth, target.expr)
        if target.kind == "update":
            return truth == target.expr
        return truth == target.expr

    def _delta_of(self, raw: RawName) -> sp.Expr | None:
        """The net input whose gradient a recurrent network's δ_{1,t} is (δ^{(t)}_1, δ_{h1,t}), else None."""
        if self.unrolled is None or raw.accent:
            return None
        r = timestep.read(raw, self.unrolled, self.truth.names, self.hat_output)
        return self.truth.names[r.name] if r is not None and r.kind == "delta" else None

    def _wrt(self, raw: RawPartial) -> sp.Expr | None:
        try:
            return self.name(raw.wrt)
        except Unresolved:
            return None

    def _gives_value(self, members: tuple[Element, ...], names: Mapping[sp.Symbol, RawName | RawPartial]) -> bool:
        """A number (numeric circuit) or a formula without derivatives (symbolic circuit) among the members."""
        if self.truth.numeric:
            return any(not e.expr.free_symbols for e in members)
        return any(not any(isinstance(names.get(s), RawPartial) for s in e.expr.free_symbols) for e in members)

    def _member(self, element: Element, text: str, start: int, names: Mapping[sp.Symbol, RawName | RawPartial],
                truth: sp.Expr, min_significant: int) -> tuple[str, str, str]:
        """(verdict, message, the expected value or formula) of one member after the head."""
        expected_value = self.truth.value(truth)
        expected = _fmt(expected_value) if expected_value is not None else self.tex(truth)
        src = text[element.start - start:element.end - start]
        written = decimals(src)
        if not element.expr.free_symbols:
            if not self.truth.numeric or expected_value is None:
                return INCORRECT, say("symbolic_network_number", self.lang), expected
            if element.literal is not None:
                return self._number(element.literal, sp.Rational(element.literal), expected_value, min_significant)
            value = self._number_of(element.expr)
            if value is None:
                raise Unresolved(src)
            if _equal(value, expected_value):
                return CORRECT, say("arithmetic_right", self.lang, shown=_fmt(value), value=expected), expected
            if written and abs(value - expected_value) <= _tolerance(src, expected_value):
                return ROUNDING, say("arithmetic_right", self.lang, shown=_fmt(value), value=expected), expected
            return INCORRECT, say("arithmetic_wrong", self.lang, shown=_fmt(value), value=expected), expected
        student = self.meaning(element.expr, names)
        if written:  # numbers put into a formula: equal at the circuit's values, within their rounding
            v = self.truth.value(student)
            if v is not None and expected_value is not None and abs(v - expected_value) <= _tolerance(src,
                                                                                                      expected_value):
                return ROUNDING if v != expected_value else CORRECT, say("equal_given", self.lang,
                                                                         names="the numbers"), expected
            return INCORRECT, say("not_equal", self.lang, expected=self.tex(truth)), self.tex(truth)
        if self.truth.same(student, truth):
            return CORRECT, say("equal_symbolic", self.lang), expected
        return INCORRECT, say("not_equal", self.lang, expected=self.tex(truth)), self.tex(truth)

    def _number_of(self, e: sp.Expr) -> sp.Expr | None:
        """The value of a member with no names (σ(1), 1/(1 + e^{−1}), 0.1966 × (−3))."""
        return self.truth.value(self._functions(e))

    def _number(self, literal: str, value: sp.Expr, expected: sp.Expr, min_significant: int) -> tuple[str, str, str]:
        shown = _fmt(expected)
        n = places(literal)
        if value == expected:
            return CORRECT, say("number_right", self.lang, number=literal, value=shown, places=n), shown
        if (value < 0) != (expected < 0) or not rounds_to(literal, expected):
            return INCORRECT, say("number_wrong", self.lang, number=literal, value=shown, places=n), shown
        digits = significant(expected, n)
        if value == 0 or digits < min_significant:
            return INCORRECT, say("too_few_digits", self.lang, number=literal, digits=max(digits, 0), value=shown,
                                  wanted=min_significant), shown
        return CORRECT, say("number_right", self.lang, number=literal, value=shown, places=n), shown

    # -- diagnoses --------------------------------------------------------------------------------------

    def _diagnose(self, element: Element, chain: Chain, names: Mapping[sp.Symbol, RawName | RawPartial],
                  truth: sp.Expr, target: Target, after_formula: bool, wanted: int) -> tuple[str, str] | None:
        """The first known mistake that gives what the student wrote."""
        src = chain.text[element.start - chain.start:element.end - chain.start]
        try:
            student = self.meaning(element.expr, names)
        except Unresolved:
            return None
        numeric = not student.free_symbols
        v = self.truth.value(truth)
        if numeric and element.literal is not None and v is not None:
            if v != 0 and sp.Rational(element.literal) == 0 and rounds_to(element.literal, v):
                # a quantity that is not 0, written as a 0 it rounds to (0.000 for 0.00044; not 0.000000 for 0.28)
                return "too_few_digits", say("too_few_digits", self.lang, number=element.literal, digits=0,
                                             value=_fmt(v), wanted=wanted)
            same_sign = element.literal.startswith("-") == (v < 0)
            if v != 0 and rounds_to(element.literal, v) and same_sign:
                return "too_few_digits", say("too_few_digits", self.lang, number=element.literal,
                                             digits=max(significant(v, places(element.literal)), 0), value=_fmt(v),
                                             wanted=wanted)
        for kind, message, variant in self._variants(truth, target):
            if self._matches(student, variant, element.literal, src):
                return kind, message
        if numeric and after_formula:
            return "arithmetic_slip", say("arithmetic_slip", self.lang, shown=_fmt(student),
                                          value=_fmt(self.truth.value(truth) or truth))
        return None

    def _matches(self, student: sp.Expr, variant: sp.Expr, literal: str | None, src: str) -> bool:
        v = self.truth.value(variant)
        if not student.free_symbols:
            value = self._number_of(student)
            if v is None or value is None:
                return False
            if literal is not None:
                return rounds_to(literal, v) and (literal.startswith("-")) == (v < 0) and (value == 0) == (v == 0)
            written = decimals(src)
            return bool(abs(value - v) <= _tolerance(src, v)) if written else _equal(value, v)
        return self.truth.same(student, variant)

    def _variants(self, truth: sp.Expr, target: Target) -> Iterator[tuple[str, str, sp.Expr]]:
        c = self.truth.circuit
        yield "sign_opposite", say("sign_opposite", self.lang), -truth
        if target.kind == "update":
            p = target.of
            g = self.truth.partial(c.output, p)
            yield "update_sign", say("update_sign", self.lang), p + self.truth.rate * g
            yield "missing_learning_rate", say("missing_learning_rate", self.lang), p - g
            return
        if target.kind != "gradient" or truth != target.expr or self.truth.batch:
            return
        for kind, message, override in self._edge_mistakes(target.of):
            yield kind, message, self._gradient(target.of, override)
        if self.unrolled is not None:  # BPTT cut to one step: the δ's get no error back from the step after them
            cut = {(self.truth.names[u], self.truth.names[p]) for u, p in timestep.recurrent_edges(self.unrolled)}
            def truncated(user: sp.Symbol, parent: sp.Symbol) -> sp.Expr | None:
                return None if (user, parent) in cut else c.quantities[user].partials[parent]
            yield "missing_path", say("missing_path", self.lang, path="$h_t \\to h_{t+1}$"), \
                self._gradient(target.of, truncated)

    def _edge_mistakes(self, q: sp.Symbol) -> Iterator[tuple[str, str, Local]]:
        """For each edge below the output on the way to q, the classic mistakes of its local gradient."""
        c = self.truth.circuit
        edges = [(user, parent) for parent in c.quantities for user in c.children.get(parent, [])
                 if parent in c.downstream(q) and c.reaches_output(user)]
        for user, parent in edges:
            expr = c.quantities[user].definition
            local = c.quantities[user].partials[parent]
            rule = gate(expr, parent)
            pname, uname = c.quantities[parent].name, c.quantities[user].name

            def override(new: sp.Expr | None, at: tuple[sp.Symbol, sp.Symbol] = (user, parent)) -> Local:
                return _override(c, at, new)

            if rule == "multiply" or (isinstance(local, sp.Symbol) and local != parent and local in c.quantities):
                yield "swapped_inputs", say("swapped_inputs", self.lang, node=uname, input=pname,
                                            right=self.tex(local), used=self.tex(parent)), override(parent)
            if rule in activations.KINDS:
                yield "activation_for_derivative", say("activation_for_derivative", self.lang), override(user)
            if local != 1:
                yield "local_missing", say("local_missing", self.lang, node=uname, input=pname,
                                           local=self.tex(local)), override(sp.Integer(1))
            if len([u for u in c.children[parent] if c.reaches_output(u)]) > 1:
                path = f"${self.names.latex(user)} \\to {self.names.latex(parent)}$"
                yield "missing_path", say("missing_path", self.lang, path=path), override(None)

    def _gradient(self, q: sp.Symbol, local: Local) -> sp.Expr:
        """∂out/∂q with the local gradients `local` gives (None: that use left out)."""
        c = self.truth.circuit
        memo: dict[sp.Symbol, sp.Expr] = {c.output: sp.Integer(1)}

        def g(s: sp.Symbol) -> sp.Expr:
            if s not in memo:
                terms = []
                for u in c.children.get(s, []):
                    if c.reaches_output(u):
                        lg = local(u, s)
                        if lg is not None:
                            terms.append(g(u) * lg)
                memo[s] = sp.Add(*terms)
            return memo[s]
        return g(q)


@dataclass
class Line:
    verdict: LineVerdict
    establishes: bool = False
    other: tuple[str, str] | None = None  # (head, value): another quantity's derivative this right chain gives
    unread: bool = False
    diagnosis: tuple[str, str] | None = None


def _line(latex: str, verdict: str, message: str, expected: str = "", kind: str = "") -> LineVerdict:
    return LineVerdict(latex, verdict, message, expected, kind)


def _fmt(x: sp.Expr) -> str:
    return str(x) if x.is_Integer else fmt(x)


def _override(c: Circuit, at: tuple[sp.Symbol, sp.Symbol], new: sp.Expr | None) -> Local:
    """The circuit's local gradients, with the one of the edge `at` (user, input) replaced by `new`."""
    def local(user: sp.Symbol, parent: sp.Symbol) -> sp.Expr | None:
        return new if (user, parent) == at else c.quantities[user].partials[parent]
    return local


def _equal(a: sp.Expr, b: sp.Expr) -> bool:
    """Equal values, exact or to the 50 digits of an evaluation."""
    return a == b or bool(abs(a - b) <= sp.Float("1e-40") * max(1, abs(b)))


def _tolerance(src: str, value: sp.Expr) -> sp.Expr:
    """What the rounding of the numbers written explains (written.coarse_tolerance), never more than 3% of the value."""
    return min(coarse_tolerance(src, value), abs(value) * sp.Rational(3, 100) + sp.Rational(1, 10**12))


def check_circuit_answers(circuit: Circuit, answers: Answers, limit: float = TIME_LIMIT, lang: str = "en"
                          ) -> FileResult:
    """Judge every answer of one file about a graph spec; messages in `lang`."""
    truth = CircuitTruth(circuit)
    for k, a in enumerate(answers.answers):
        if a.step:
            raise SpecError("check judges a graph spec before any update; expected no step", key=f"answer[{k}].step",
                            source=answers.source)
        try:
            truth.target(a.quantity)
        except SpecError as exc:
            raise SpecError(exc.message, key=f"answer[{k}].quantity", source=answers.source, zh=exc.zh) from None
    judge = CircuitJudge(truth, lang)
    return FileResult(answers.source, tuple(_judged(judge, a, limit, lang) for a in answers.answers))


def check_model(model: Circuit | Network, answers: Answers, limit: float = TIME_LIMIT, lang: str = "en"
                ) -> FileResult:
    """A layered network's answers by the network checker (run.py), a graph spec's by this one."""
    if isinstance(model, Circuit):
        return check_circuit_answers(model, answers, limit, lang)
    return check_answers(model, answers, limit, lang)


def _judged(judge: CircuitJudge, a: Answer, limit: float, lang: str) -> AnswerResult:
    started = time.monotonic()
    try:
        with time_limit(limit):
            return judge.answer(a)
    except ParseError as exc:
        return AnswerResult(a.id, a.quantity, Verdict.UNPARSEABLE, (), (), exc.say(lang), a.latex[:2000])
    except Refused as exc:
        return AnswerResult(a.id, a.quantity, Verdict.REFUSED, (), (), exc.say(lang), a.latex[:2000])
    except TimeLimit:
        return AnswerResult(a.id, a.quantity, Verdict.REFUSED, (), (),
                            say("time_limit", lang, limit=f"{limit:g}", elapsed=f"{time.monotonic() - started:.1f}"),
                            a.latex[:2000])
    except (RecursionError, MemoryError, OverflowError):
        return AnswerResult(a.id, a.quantity, Verdict.REFUSED, (), (), say("too_large", lang), a.latex[:2000])
    except (sp.SympifyError, ValueError, TypeError, ZeroDivisionError, AttributeError) as exc:
        return AnswerResult(a.id, a.quantity, Verdict.REFUSED, (), (), say("cannot_judge", lang, reason=exc),
                            a.latex[:2000])

