"""A graph spec: any computation written as named scalar expressions (CS231n's circuits, a residual block, a
single-head attention), read and validated before anything is built.

Contract (acceptance checks read it; keys may be added, never removed):

    title = "A sigmoid neuron as a circuit"
    learning_rate = 0.1                       # optional; with it, derive also gives the updates
    [graph]
    inputs = { x0 = -1, x1 = -2 }             # given values (not trained); a list of names keeps them symbolic
    params = { w0 = 2, w1 = -3, w2 = -3 }     # trained values; a list of names keeps them symbolic
    nodes = [                                 # in order; each expression uses inputs, params and earlier nodes
      { name = "dot", expr = "w0*x0 + w1*x1 + w2" },
      { name = "f",   expr = "1/(1 + exp(-dot))" },
    ]
    output = "f"                              # the node that is differentiated (a loss, or any output)

Samples (optional): `[[graph.samples]]` tables (the same as `samples = [{ x0 = -1, x1 = -2 }, …]` inside
[graph]; TOML reads both alike) give every input's value per sample; `inputs` is then a list of names, or left
out (the first sample's names). The output is then each sample's loss and the batch loss their sum, or their
mean with `batch_loss = "mean"` at the top level (as a layered spec). derive's single-sample fields (forward
values, gradients) are the first sample's; the updates use the batch gradient. `train` reads the layered
spec's [training] table: update = "batch" | "online" | "minibatch" (batch_size), momentum, weight_decay (λ/2 Σ
p² over every parameter); layer_update = "sequential" and rounding are for layered networks.

    [[graph.samples]]
    x0 = -1
    x1 = -2

The expressions are read by expressions.py (our grammar, never eval); the display table is the layered spec's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sympy as sp

from .errors import SpecError
from .files import load_toml, printable
from .limits import MAX_LAYER_SIZE, MAX_PARAMETERS, MAX_SAMPLES
from .spec import (
    DisplaySpec,
    TrainingSpec,
    _choice,
    _display,
    _keys,
    _names_or_values,
    _show,
    _subkey,
    _table,
    name,
    number,
    titles,
    validated,
    whole_training,
)

TOP_KEYS = ("title", "title_en", "title_zh", "learning_rate", "graph", "display", "batch_loss", "training")
GRAPH_KEYS = ("inputs", "params", "nodes", "output", "samples")
NODE_KEYS = ("name", "expr")
MAX_NODES = 2_000


@dataclass(frozen=True)
class NodeSpec:
    name: str
    expr: str


@dataclass(frozen=True)
class GraphSpec:
    inputs: tuple[str, ...]
    params: tuple[str, ...]
    nodes: tuple[NodeSpec, ...]
    output: str
    input_values: dict[str, sp.Rational] = field(default_factory=dict)
    param_values: dict[str, sp.Rational] = field(default_factory=dict)
    learning_rate: sp.Rational | None = None
    display: DisplaySpec = field(default_factory=DisplaySpec)
    title: str | None = None
    title_en: str | None = None
    title_zh: str | None = None
    source: str = "<spec>"
    # every input's value per sample (input_values is the first sample's); () without [[graph.samples]]
    samples: tuple[dict[str, sp.Rational], ...] = ()
    batch_loss: str = "sum"  # "sum" or "mean" of the samples' outputs
    training: TrainingSpec = field(default_factory=TrainingSpec)


def is_graph(data: Any) -> bool:
    """Whether a spec's TOML structure is a graph spec (a [graph] table) rather than a layered one."""
    return isinstance(data, Mapping) and "graph" in data


def load_graph_spec(path: str | Path) -> GraphSpec:
    return parse_graph_spec(load_toml(path, "a TOML spec file"), source=printable(str(path)))


def parse_graph_spec(data: Mapping[str, Any], source: str = "<spec>") -> GraphSpec:
    """Validate a graph spec given as nested dicts (the TOML structure); every problem is one SpecError."""
    return validated(_parse, data, source)


def _leaves(graph: Mapping[str, Any], key: str, noun: str) -> tuple[tuple[str, ...], dict[str, sp.Rational]]:
    if key not in graph:
        return (), {}
    names, values = _names_or_values(graph[key], f"graph.{key}", noun)
    if names is None:
        names = tuple(values)
    if len(names) > MAX_LAYER_SIZE:
        raise SpecError(f"expected at most {MAX_LAYER_SIZE} {noun}s, got {len(names)}", key=f"graph.{key}")
    return names, values


def _parse(data: Mapping[str, Any], source: str) -> GraphSpec:
    data = _table(data, "", "a table of spec keys")
    _keys(data, TOP_KEYS, "")
    graph = _table(data["graph"], "graph", "a [graph] table")
    _keys(graph, GRAPH_KEYS, "graph")
    inputs, input_values = _leaves(graph, "inputs", "input")
    params, param_values = _leaves(graph, "params", "parameter")
    if len(params) > MAX_PARAMETERS:
        raise SpecError(f"expected at most {MAX_PARAMETERS} parameters, got {len(params)}", key="graph.params")
    if "nodes" not in graph:
        raise SpecError("missing: expected nodes = [{ name = \"…\", expr = \"…\" }, …]", key="graph.nodes")
    raw = graph["nodes"]
    if not isinstance(raw, list) or not raw:
        raise SpecError(f"expected a non-empty array of tables {{ name, expr }}, got {_show(raw)}",
                        key="graph.nodes")
    if len(raw) > MAX_NODES:
        raise SpecError(f"expected at most {MAX_NODES} nodes, got {len(raw)}", key="graph.nodes")
    nodes = []
    for i, item in enumerate(raw):
        key = f"graph.nodes[{i}]"
        table = _table(item, key, "a table { name = \"…\", expr = \"…\" }")
        _keys(table, NODE_KEYS, key)
        for part in NODE_KEYS:
            if part not in table:
                raise SpecError(f"missing key '{part}'; expected {{ name = \"…\", expr = \"…\" }}", key=key)
        if not isinstance(table["expr"], str):
            raise SpecError(f"expected an expression as a string, got {_show(table['expr'])}", key=f"{key}.expr")
        nodes.append(NodeSpec(name(table["name"], f"{key}.name"), table["expr"]))
    output = name(graph["output"], "graph.output") if "output" in graph else nodes[-1].name
    samples: tuple[dict[str, sp.Rational], ...] = ()
    if "samples" in graph:
        if input_values:
            raise SpecError("expected the inputs' values either in graph.inputs or in [[graph.samples]], not both; "
                            "with samples, write inputs = [\"x0\", …] (names) or leave it out", key="graph.samples")
        samples = _samples(graph["samples"], inputs)
        inputs = inputs or tuple(samples[0])
        input_values = dict(samples[0])
    lr = number(data["learning_rate"], "learning_rate") if "learning_rate" in data else None
    batch_loss = _choice(data.get("batch_loss", "sum"), ("sum", "mean"), "batch_loss", "batch loss")
    training = whole_training(data.get("training", {}), "is for a layered network ([[layers]]); a graph spec trains "
                              "every parameter at once, in double precision, its weight decay on every parameter")
    title = titles(data)
    return GraphSpec(inputs=inputs, params=params, nodes=tuple(nodes), output=output, input_values=input_values,
                     param_values=param_values, learning_rate=lr, display=_display(data.get("display", {})),
                     title=title["title"], title_en=title["title_en"], title_zh=title["title_zh"],
                     source=source, samples=samples, batch_loss=batch_loss, training=training)


def _samples(raw: Any, inputs: tuple[str, ...]) -> tuple[dict[str, sp.Rational], ...]:
    """[[graph.samples]]: one table per sample giving every input's value (the inputs named in graph.inputs, or
    those of the first sample)."""
    if not isinstance(raw, list) or not raw:
        raise SpecError(f"expected a non-empty array of tables [[graph.samples]] (e.g. {{ x0 = 1, x1 = 0 }}), got "
                        f"{_show(raw)}", key="graph.samples")
    if len(raw) > MAX_SAMPLES:
        raise SpecError(f"expected at most {MAX_SAMPLES} samples, got {len(raw)}", key="graph.samples")
    out: list[dict[str, sp.Rational]] = []
    for i, item in enumerate(raw):
        key = f"graph.samples[{i}]"
        table = _table(item, key, "a table of the inputs' values by name (e.g. { x0 = 1, x1 = 0 })")
        names = inputs or (tuple(out[0]) if out else ())
        if names:
            for k in table:
                if k not in names:
                    raise SpecError(f"unknown input {k!r}; expected one of {', '.join(names)} (the inputs"
                                    f"{' of graph.inputs' if inputs else ' of the first sample'})",
                                    key=_subkey(key, k))
            missing = [n for n in names if n not in table]
            if missing:
                raise SpecError(f"missing input{'s' * (len(missing) > 1)} {', '.join(missing)}; expected a value for "
                                f"every input ({', '.join(names)})", key=key)
        if not table:
            raise SpecError("expected the inputs' values by name, got an empty table", key=key)
        if len(table) > MAX_LAYER_SIZE:
            raise SpecError(f"expected at most {MAX_LAYER_SIZE} inputs, got {len(table)}", key=key)
        out.append({name(k, _subkey(key, k)): number(v, _subkey(key, k)) for k, v in table.items()})
    return tuple(out)
