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

The expressions are read by expressions.py (our grammar, never eval); the display table is the layered spec's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sympy as sp

from .errors import SpecError
from .files import load_toml, one_line, printable
from .limits import MAX_LAYER_SIZE, MAX_PARAMETERS
from .spec import DisplaySpec, _display, _keys, _names_or_values, _show, _table, name, number

TOP_KEYS = ("title", "title_en", "title_zh", "learning_rate", "graph", "display")
GRAPH_KEYS = ("inputs", "params", "nodes", "output")
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


def is_graph(data: Any) -> bool:
    """Whether a spec's TOML structure is a graph spec (a [graph] table) rather than a layered one."""
    return isinstance(data, Mapping) and "graph" in data


def load_graph_spec(path: str | Path) -> GraphSpec:
    return parse_graph_spec(load_toml(path, "a TOML spec file"), source=printable(str(path)))


def parse_graph_spec(data: Mapping[str, Any], source: str = "<spec>") -> GraphSpec:
    """Validate a graph spec given as nested dicts (the TOML structure); every problem is one SpecError."""
    try:
        return _parse(data, source)
    except SpecError as exc:
        raise exc.with_source(source) from None
    except RecursionError:
        raise SpecError("nested too deeply; expected the structure of a TOML spec", source=source) from None


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
    lr = number(data["learning_rate"], "learning_rate") if "learning_rate" in data else None
    titles: dict[str, str | None] = {}
    for key in ("title", "title_en", "title_zh"):
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise SpecError(f"expected a string, got {_show(value)}", key=key)
        titles[key] = None if value is None else one_line(value, key)
    return GraphSpec(inputs=inputs, params=params, nodes=tuple(nodes), output=output, input_values=input_values,
                     param_values=param_values, learning_rate=lr, display=_display(data.get("display", {})),
                     title=titles["title"], title_en=titles["title_en"], title_zh=titles["title_zh"],
                     source=source)
