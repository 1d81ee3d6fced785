"""A circuit: any computation of named scalar quantities, written as SymPy expressions (the design card's own
words) — CS231n's f(x, y, z) = (x + y)·z, a sigmoid neuron drawn as gates, a residual block, attention.

Inputs and parameters are leaves; each node is an expression of the leaves and the nodes before it; the output
is the node that is differentiated. Like the layered network (network.py) it is a graph of Quantity entries
with their local partials, so reverse accumulation (backward.py) only multiplies and sums them. A node that is
one activation of the registry applied to one quantity keeps the registry's lecture form of its local gradient
(σ: f(1 − f) in the node's own symbol), as CS231n's sigmoid gate does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import sympy as sp

from . import activations
from .errors import SpecError
from .expressions import FUNCTIONS, ExpressionError, parse_expression
from .files import load_toml, printable
from .graph import Kind, Quantity, symbol
from .graphspec import GraphSpec, NodeSpec, is_graph, load_graph_spec, parse_graph_spec
from .network import Network
from .recurrent import is_recurrent, parse_recurrent, unrolled
from .spec import NAME_RE, DisplaySpec, number, parse_spec


def gate(expr: sp.Expr, parent: sp.Symbol) -> str | None:
    """The gate a node's expression is, seen from one of its parents, as CS231n names the gradient rules: an add
    gate distributes, a multiply gate swaps, max and min route; an activation of the registry is its own gate."""
    if isinstance(expr, sp.Add) and parent in expr.args:
        return "add"
    if isinstance(expr, sp.Mul) and parent in expr.args and len(expr.args) == 2 and expr.args.count(parent) == 1:
        return "multiply"
    if isinstance(expr, sp.Max) and parent in expr.args:
        return "max"
    if isinstance(expr, sp.Min) and parent in expr.args:
        return "min"
    for name, kind in activations.KINDS.items():
        if kind.elementwise and name not in ("abstract", "identity") and _applies(name, expr, parent):
            return name
    return None


def _applies(name: str, expr: sp.Expr, parent: sp.Symbol) -> bool:
    if _head(name) is not type(expr):  # only an expression of the same head can be equal (cheap: skips most)
        return False
    try:
        return bool(activations.make(name).forward(parent) == expr)
    except (ValueError, TypeError):
        return False


@cache
def _head(name: str) -> type | None:
    """The SymPy type of an activation's forward formula (Pow for σ, tanh, log for softplus, ...)."""
    try:
        return type(activations.make(name).forward(sp.Symbol("u", real=True)))
    except (ValueError, TypeError):
        return None


class Circuit:
    """A computation as a graph of named scalar quantities; build it with load / from_dict / from_spec /
    from_expressions."""

    def __init__(self, spec: GraphSpec, expressions: Mapping[str, sp.Expr] | None = None) -> None:
        self.spec = spec
        try:
            self._build(spec, expressions)
        except SpecError as exc:
            raise exc.with_source(spec.source) from None

    @classmethod
    def from_spec(cls, spec: GraphSpec) -> Circuit:
        return cls(spec)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "<dict>") -> Circuit:
        return cls(parse_graph_spec(data, source=source))

    @classmethod
    def load(cls, path: str | Path) -> Circuit:
        return cls(load_graph_spec(path))

    @classmethod
    def from_expressions(cls, nodes: Mapping[str, sp.Expr], *,
                         inputs: Mapping[str, Any] | Sequence[str] = (),
                         params: Mapping[str, Any] | Sequence[str] = (), output: str | None = None,
                         learning_rate: Any = None, title: str | None = None,
                         samples: Sequence[Mapping[str, Any]] = (), batch_loss: str = "sum") -> Circuit:
        """The circuit of SymPy expressions over symbols named as the inputs, the parameters and the nodes
        before each node (in order). Values given as numbers are made exact (0.1 is 1/10). `samples`: every
        input's value per sample (the inputs then given as names)."""
        def leaves(given: Mapping[str, Any] | Sequence[str], key: str) -> tuple[tuple[str, ...], dict]:
            if isinstance(given, Mapping):
                return tuple(given), {n: _exact(v, f"{key}.{n}") for n, v in given.items()}
            return tuple(given), {}

        (ins, in_values), (ps, p_values) = leaves(inputs, "inputs"), leaves(params, "params")
        if not nodes:
            raise SpecError("expected at least one node", key="nodes")
        if batch_loss not in ("sum", "mean"):
            raise SpecError(f"expected \"sum\" or \"mean\", got {batch_loss!r}", key="batch_loss")
        rows = tuple({n: _exact(v, f"samples[{i}].{n}") for n, v in row.items()} for i, row in enumerate(samples))
        if rows:
            if in_values:
                raise SpecError("expected the inputs' values either in inputs or in samples, not both", key="samples")
            ins = ins or tuple(rows[0])
            for i, row in enumerate(rows):
                if set(row) != set(ins):
                    raise SpecError(f"expected a value for every input ({', '.join(ins)}), got {', '.join(row)}",
                                    key=f"samples[{i}]")
            in_values = dict(rows[0])
        spec = GraphSpec(inputs=ins, params=ps, nodes=tuple(NodeSpec(n, str(e)) for n, e in nodes.items()),
                         output=output or list(nodes)[-1], input_values=in_values, param_values=p_values,
                         learning_rate=None if learning_rate is None else _exact(learning_rate, "learning_rate"),
                         display=DisplaySpec(), title=title, source="<expressions>", samples=rows,
                         batch_loss=batch_loss)
        return cls(spec, dict(nodes))

    # -- construction ---------------------------------------------------------------------------

    def _build(self, spec: GraphSpec, expressions: Mapping[str, sp.Expr] | None) -> None:
        self.quantities: dict[sp.Symbol, Quantity] = {}
        self._names: dict[str, str] = {}
        self.inputs = tuple(self._leaf(n, Kind.INPUT, f"graph.inputs.{n}", i) for i, n in enumerate(spec.inputs))
        self.params = tuple(self._leaf(n, Kind.PARAM, f"graph.params.{n}", i) for i, n in enumerate(spec.params))
        nodes = []
        for i, node in enumerate(spec.nodes):
            key = f"graph.nodes[{i}]"
            self._claim(node.name, "a node", f"{key}.name")
            known = {q.name: q.symbol for q in self.quantities.values()}
            display = None
            if expressions is None:
                try:
                    expr = parse_expression(node.expr, known)
                    display = parse_expression(node.expr, known, display=True)
                except ExpressionError as exc:
                    raise SpecError(f"{exc} in {node.expr!r}", key=f"{key}.expr") from None
            else:
                expr = self._given(expressions[node.name], known, f"nodes.{node.name}")
            s = symbol(node.name)
            free = expr.free_symbols  # once: recomputed on every access, and the loop is over every quantity
            parents = [p for p in self.quantities if p in free]
            if not parents:
                raise SpecError(f"the expression {node.expr!r} is the constant {expr}; expected a computation of "
                                "the inputs, parameters or nodes before it (a constant has no gradient)",
                                key=f"{key}.expr")
            partials = {p: self._local(expr, p, s) for p in parents}
            self.quantities[s] = Quantity(s, Kind.NODE, node.name, index=i, definition=expr, partials=partials,
                                          display=display)
            nodes.append(s)
        self.nodes = tuple(nodes)
        names = {q.name: q.symbol for q in self.quantities.values()}
        if spec.output not in names or names[spec.output] not in self.nodes:
            raise SpecError(f"{spec.output!r} is not a node; expected one of {', '.join(n.name for n in spec.nodes)}",
                            key="graph.output")
        self.output = names[spec.output]
        self.values: dict[sp.Symbol, sp.Expr] = {}
        for given in (spec.input_values, spec.param_values):
            for n, v in given.items():
                self.values[names[n]] = v
        self.learning_rate = spec.learning_rate
        # every sample's input values (one sample: the inputs' given values, possibly none)
        self.samples: tuple[dict[sp.Symbol, sp.Expr], ...] = tuple(
            {names[n]: v for n, v in row.items()} for row in spec.samples) or (
            {s: v for s, v in self.values.items() if s in self.inputs},)
        self.children: dict[sp.Symbol, list[sp.Symbol]] = {s: [] for s in self.quantities}
        for q in self.quantities.values():
            for parent in q.partials:
                self.children[parent].append(q.symbol)
        unused = [q.name for q in self.quantities.values() if q.kind is not Kind.NODE and not self.children[q.symbol]]
        if unused:
            raise SpecError(f"{', '.join(unused)} {'is' if len(unused) == 1 else 'are'} not used by any node; "
                            "expected every input and parameter in an expression", key="graph")

    def _leaf(self, name: str, kind: Kind, key: str, index: int) -> sp.Symbol:
        self._claim(name, "an input" if kind is Kind.INPUT else "a parameter", key)
        s = symbol(name)
        self.quantities[s] = Quantity(s, kind, name, index=index)
        return s

    def _claim(self, name: str, what: str, key: str) -> None:
        if not NAME_RE.fullmatch(name):
            raise SpecError(f"expected a name of letters and digits with at most one underscore (x0, w_1), got "
                            f"{name!r}", key=key)
        if name in FUNCTIONS:
            raise SpecError(f"{name!r} is the name of a function; expected a name of its own", key=key)
        if name in self._names:
            raise SpecError(f"duplicate name {name!r}: already used for {self._names[name]}; expected a name of its "
                            "own", key=key)
        self._names[name] = what

    @staticmethod
    def _given(expr: Any, known: Mapping[str, sp.Symbol], key: str) -> sp.Expr:
        """A SymPy expression from Python: its symbols are the known quantities, matched by name."""
        if not isinstance(expr, sp.Expr):
            raise SpecError(f"expected a SymPy expression, got {type(expr).__name__}", key=key)
        unknown = sorted(s.name for s in expr.free_symbols if s.name not in known)
        if unknown:
            raise SpecError(f"unknown name(s) {', '.join(unknown)}; expected the inputs, the parameters and the "
                            f"nodes before it: {', '.join(known)}", key=key)
        return expr.xreplace({s: known[s.name] for s in expr.free_symbols})

    @staticmethod
    def _local(expr: sp.Expr, parent: sp.Symbol, node: sp.Symbol) -> sp.Expr:
        """∂node/∂parent; for a registry activation of the parent, the lecture form in the node's symbol."""
        rule = gate(expr, parent)
        if rule is not None and rule in activations.KINDS:
            return activations.make(rule).derivative(parent, node)
        if isinstance(expr, sp.Max) and set(expr.args) == {sp.S.Zero, parent}:  # relu(x) is Max(0, x) in SymPy: its
            return activations.make("relu").derivative(parent, node)  # derivative 0 at 0 (the registry's, PyTorch's)
        return sp.diff(expr, parent)

    # -- queries --------------------------------------------------------------------------------

    @property
    def title(self) -> str | None:
        return self.spec.title

    @property
    def leaves(self) -> tuple[sp.Symbol, ...]:
        return (*self.params, *self.inputs)

    def by_name(self, name: str) -> sp.Symbol:
        for q in self.quantities.values():
            if q.name == name:
                return q.symbol
        raise KeyError(name)

    @cached_property
    def _downstream(self) -> dict[sp.Symbol, frozenset[sp.Symbol]]:
        out: dict[sp.Symbol, frozenset[sp.Symbol]] = {}
        for s in reversed(list(self.quantities)):
            out[s] = frozenset({s}).union(*[out[c] for c in self.children.get(s, [])])
        return out

    def downstream(self, s: sp.Symbol) -> frozenset[sp.Symbol]:
        """`s` and every quantity that depends on it."""
        return self._downstream.get(s, frozenset({s}))

    def reaches_output(self, s: sp.Symbol) -> bool:
        return self.output in self.downstream(s)

    def paths(self, q: sp.Symbol) -> list[tuple[tuple[sp.Symbol, sp.Symbol], ...]]:
        """Every path from the output down to `q`, as its edges (of, wrt), the output's first."""
        if q == self.output:
            return [()]
        return [(*path, (c, q)) for c in self.children.get(q, []) if self.reaches_output(c)
                for path in self.paths(c)]

    def path_count(self, q: sp.Symbol) -> int:
        """The number of paths from the output down to `q`, without listing them (they can be exponentially many)."""
        return self._path_counts.get(q, 0)

    @cached_property
    def _path_counts(self) -> dict[sp.Symbol, int]:
        """Every quantity's path count, in one pass (asked per quantity, a pass each was quadratic in the size)."""
        counts: dict[sp.Symbol, int] = {self.output: 1}
        for s in reversed(list(self.quantities)):
            if s != self.output:
                counts[s] = sum(counts.get(c, 0) for c in self.children.get(s, []))
        return counts

    def composed(self) -> dict[sp.Symbol, sp.Expr]:
        """Every quantity written in the leaves only: for truth checks."""
        out: dict[sp.Symbol, sp.Expr] = {}
        for s, q in self.quantities.items():
            out[s] = s if q.definition is None else q.definition.xreplace(out)
        return out

    def is_numeric(self) -> bool:
        return all(s in self.values for s in self.leaves)


def _exact(value: Any, key: str) -> sp.Expr:
    if isinstance(value, sp.Rational):
        return value
    return number(value, key)


def load_model(path: str | Path) -> Circuit | Network:
    """A spec file as its model: a Circuit for a graph spec (a [graph] table) and for a recurrent network (its
    unrolled circuit, recurrent.py), else the layered Network."""
    data = load_toml(path, "a TOML spec file")
    source = printable(str(path))
    if is_graph(data):
        return Circuit(parse_graph_spec(data, source=source))
    if is_recurrent(data):  # a recurrent layer: the network unrolled through time
        return Circuit(unrolled(parse_recurrent(data, source=source)))
    return Network.from_spec(parse_spec(data, source=source))
