"""A layered network as its circuit: the same computation for one sample, every net input, output and the error a
node of the graph, so that `derive --as-graph` shows the dense network's backpropagation as upstream × local.

The δ of a neuron (∂E/∂net) is then exactly the circuit's upstream gradient at that neuron's net-input node
(tests/test_as_graph.py asserts it). Nodes are named as the spec's notation style writes them (net_h1, out_h1;
In_h1 and h1 in seed 000's style) when that is a valid circuit name, else net_h1 / out_h1.
"""

from __future__ import annotations

import sympy as sp

from .circuit import Circuit
from .errors import SpecError
from .expressions import FUNCTIONS
from .graph import Kind
from .network import Network
from .spec import NAME_RE
from .styles import STYLES


def circuit_of(network: Network) -> Circuit:
    """The network's computation as a Circuit: inputs and targets are its inputs (with the sample's values),
    the parameters its parameters (with their values, else by name), the error its output."""
    source = network.spec.source
    if len(network.samples) != 1:
        raise SpecError(f"a graph shows one sample; this spec has {len(network.samples)} (--as-graph needs one "
                        "sample)", key="samples", source=source)
    if network.spec.training.rule == "perceptron":
        raise SpecError("the perceptron rule's step units have no gradient; --as-graph shows gradient descent",
                        key="training.rule", source=source)
    names = _names(network)
    renamed = {s: sp.Symbol(n, real=True) for s, n in names.items()}
    for q in network.quantities.values():
        if q.kind is not Kind.NET and q.kind is not Kind.OUT and q.kind is not Kind.LOSS and not _valid(q.name):
            raise SpecError(f"{q.name!r} is not a circuit name (letters and digits with at most one underscore); "
                            "--as-graph cannot show it", source=source)
    sample = network.samples[0]
    leaves = [*network.inputs, *network.targets]
    in_values = {renamed[s].name: sample[s] for s in leaves if s in sample}
    inputs: dict[str, sp.Expr] | list[str] = in_values if len(in_values) == len(leaves) else \
        [renamed[s].name for s in leaves]
    p_values = {renamed[s].name: network.values[s] for s in network.params if s in network.values}
    params: dict[str, sp.Expr] | list[str] = p_values if len(p_values) == len(network.params) else \
        [renamed[s].name for s in network.params]
    nodes = {renamed[s].name: q.definition.xreplace(renamed) for s, q in network.quantities.items()
             if q.definition is not None}
    rate = network.values.get(network.learning_rate)
    try:
        return Circuit.from_expressions(nodes, inputs=inputs, params=params, output=renamed[network.error].name,
                                        learning_rate=rate, title=network.spec.title)
    except SpecError as exc:
        raise SpecError(f"--as-graph cannot show this network as a graph: {exc}", source=source) from None


def _valid(name: str) -> bool:
    return bool(NAME_RE.fullmatch(name)) and name not in FUNCTIONS


def _names(network: Network) -> dict[sp.Symbol, str]:
    """Every quantity's circuit name: the leaves and the error keep theirs; a neuron's net input and output are
    named as the notation style writes them, or net_h1 / out_h1 where that is not a circuit name."""
    style = STYLES[network.spec.notation.style]
    taken = {q.name for q in network.quantities.values() if q.kind not in (Kind.NET, Kind.OUT)}
    out: dict[sp.Symbol, str] = {}
    for s, q in network.quantities.items():
        if q.kind not in (Kind.NET, Kind.OUT) or q.neuron is None:
            out[s] = q.name
            continue
        role = "net" if q.kind is Kind.NET else "out"
        written = style.neuron(q.neuron, q.layer or 0, q.index or 0, role)[1]
        name = next((n for n in (written, f"{role}_{q.neuron}") if _valid(n) and n not in taken), None)
        if name is None:
            raise SpecError(f"no circuit name for the {role} of neuron {q.neuron!r} ({written!r} and "
                            f"{role}_{q.neuron!r} are not valid or taken); --as-graph cannot show it",
                            source=network.spec.source)
        taken.add(name)
        out[s] = name
    return out
