"""A recurrent (Elman) layer, unrolled through time into a circuit: backpropagation through time is then the
circuit's reverse accumulation (backward.py), each shared weight's gradient the sum of its uses at every step.

Contract (issue 16; acceptance checks read it: keys may be added, never removed) — a layered spec whose first
layer has kind = "recurrent", followed by one dense output layer:

    loss = "half_sse"
    learning_rate = 0.1
    steps = 3                                   # optional when the inputs are given: their lists' length
    inputs  = { x1 = [1.0, 0.5, -0.5] }         # one value per time step (a list of names: symbolic, steps given)
    targets = { y1 = [0.5, 0.2, -0.1] }         # one per step: the loss is summed over the steps
                                                # (a single number instead: a target at the last step only)
    [[layers]]
    name = "h"
    kind = "recurrent"
    activation = "tanh"
    weights = [["u1"], ["u2"]]                  # input → hidden; row = hidden neuron, column = input
    recurrent_weights = [["v11", "v12"], ["v21", "v22"]]  # row = neuron at t, column = neuron at t − 1
    bias = ["b1", "b2"]                         # a name: shared by the layer; omit for none
    initial_state = [0.0, 0.0]                  # optional: h_0 (default 0)
    [[layers]]
    name = "y"
    activation = "identity"
    weights = [["w1", "w2"]]
    bias = "c"
    [params]                                    # optional: without it the network stays symbolic
    u1 = 0.5

h_t = f(U x_t + V h_{t−1} + b), y_t = g(W h_t + c). The unrolled circuit names every quantity so that a student
can write it: x1_t2 (input 1 at step 2), neth1_t2 and h1_t2 (hidden neuron 1's net input and output), nety1_t2
and y1_t2, E_t2 (the loss at step 2), E (the summed loss); h1_t0 is the initial state (an input of the circuit,
so V is used from the first step on and ∂E/∂h_0 is reported).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from . import activations
from .errors import SpecError
from .expressions import FUNCTIONS
from .graphspec import GraphSpec, NodeSpec
from .losses import canonical, loss_expr
from .spec import (
    LAYER_NAME_RE,
    LOSSES,
    DisplaySpec,
    TrainingSpec,
    _choice,
    _display,
    _keys,
    _show,
    _subkey,
    _table,
    name,
    number,
    sample_tables,
    titles,
    validated,
    whole_training,
)

KIND = "recurrent"
TOP_KEYS = ("title", "title_en", "title_zh", "learning_rate", "loss", "steps", "inputs", "targets", "layers",
            "params", "display", "training", "samples", "batch_loss")
RECURRENT_KEYS = ("name", "kind", "activation", "weights", "recurrent_weights", "bias", "initial_state")
OUTPUT_KEYS = ("name", "kind", "activation", "weights", "bias")
# elementwise activations the expression grammar writes (a recurrent layer's output is fed back: no softmax)
ACTIVATIONS = tuple(n for n, (arity, _) in FUNCTIONS.items() if n in activations.NAMES and arity == 1
                    and activations.NAMES[n] not in ("step", "heaviside"))
RECURRENT_LOSSES = tuple(n for n in LOSSES if canonical(n) != "categorical_cross_entropy")
MAX_STEPS = 100
MAX_SEQUENCES = 20  # [[samples]]: each sequence is unrolled into the circuit of its own
MAX_WIDTH = 32
# a symbolic network's gradients are written in closed form (the JSON), whose size grows as width^(steps − 1)
MAX_SYMBOLIC_TERMS = 16


def is_recurrent(data: Any) -> bool:
    """Whether a spec's TOML structure is a layered spec with a recurrent layer (read by this module)."""
    layers = data.get("layers") if isinstance(data, Mapping) else None
    return isinstance(layers, list) and any(isinstance(layer, Mapping) and layer.get("kind") == KIND
                                            for layer in layers)


@dataclass(frozen=True)
class RecurrentSpec:
    """A validated Elman network over one sequence."""

    steps: int
    inputs: tuple[str, ...]
    input_values: dict[str, tuple[sp.Rational, ...]]  # {} for symbolic inputs
    targets: dict[str, tuple[sp.Rational, ...]]  # per output neuron: one per step, or one (the last step's)
    per_step: bool  # a target at every step (the loss summed over the steps), else at the last step only
    hidden: str  # the recurrent layer's name (neurons hidden1, hidden2, ...)
    activation: str
    U: tuple[tuple[str, ...], ...]  # row = hidden neuron, column = input
    V: tuple[tuple[str, ...], ...]  # row = neuron at t, column = neuron at t − 1
    hidden_bias: tuple[str | None, ...]  # per hidden neuron
    initial_state: tuple[sp.Rational, ...]
    output: str
    output_activation: str
    W: tuple[tuple[str, ...], ...]  # row = output neuron, column = hidden neuron
    output_bias: tuple[str | None, ...]
    params: tuple[str, ...]  # every parameter once, in the order of first use
    param_values: dict[str, sp.Rational]
    loss: str = "half_sse"
    learning_rate: sp.Rational | None = None
    title: str | None = None
    title_en: str | None = None
    title_zh: str | None = None
    display: DisplaySpec = field(default_factory=DisplaySpec)
    training: TrainingSpec = field(default_factory=TrainingSpec)
    source: str = "<spec>"
    # [[samples]]: every sequence's (input_values, targets), the first one also as input_values and targets above;
    # () for one sequence given at the top level
    sequences: tuple[tuple[dict[str, tuple[sp.Rational, ...]], dict[str, tuple[sp.Rational, ...]]], ...] = ()
    batch_loss: str = "sum"  # with several sequences: E = the sum (or the mean) of the sequences' losses

    @property
    def several(self) -> bool:
        """Several sequences ([[samples]]): the unrolled network names every quantity with its sequence."""
        return len(self.sequences) > 1

    @property
    def hidden_neurons(self) -> tuple[str, ...]:
        return tuple(f"{self.hidden}{j + 1}" for j in range(len(self.V)))

    @property
    def output_neurons(self) -> tuple[str, ...]:
        return tuple(f"{self.output}{k + 1}" for k in range(len(self.W)))

    def target_steps(self) -> tuple[int, ...]:
        """The steps (1-based) that carry a target."""
        return tuple(range(1, self.steps + 1)) if self.per_step else (self.steps,)


def parse_recurrent(data: Mapping[str, Any], source: str = "<spec>") -> RecurrentSpec:
    """Validate a recurrent spec given as nested dicts; every problem is one SpecError naming the source."""
    return validated(_parse, data, source)


def _grid(value: Any, key: str, rows: int | None, cols: int | None, what: str) -> tuple[tuple[str, ...], ...]:
    """A matrix of parameter names, its shape checked (None: any)."""
    if not isinstance(value, list) or not value or not all(isinstance(r, list) and r for r in value):
        raise SpecError(f"expected {what} as a non-empty array of rows of names, got {_show(value)}", key=key)
    if rows is not None and len(value) != rows:
        raise SpecError(f"expected {rows} row{'s' * (rows != 1)} ({what}), got {len(value)}", key=key)
    if len(value) > MAX_WIDTH:
        raise SpecError(f"expected at most {MAX_WIDTH} neurons in a recurrent network's layer, got {len(value)}",
                        key=key)
    width = cols if cols is not None else len(value[0])
    for r, row in enumerate(value):
        if len(row) != width:
            raise SpecError(f"expected {width} name{'s' * (width != 1)} in every row ({what}), got {len(row)}",
                            key=f"{key}[{r}]")
    return tuple(tuple(name(v, f"{key}[{r}][{c}]") for c, v in enumerate(row)) for r, row in enumerate(value))


def _bias(value: Any, key: str, n: int) -> tuple[str | None, ...]:
    if value is None:
        return (None,) * n
    if isinstance(value, str):
        return (name(value, key),) * n
    if isinstance(value, list) and len(value) == n:
        return tuple(name(v, f"{key}[{i}]") for i, v in enumerate(value))
    raise SpecError(f"expected a name (shared by the layer) or a list of {n} names (one per neuron), got "
                    f"{_show(value)}", key=key)


def _activation(layer: Mapping[str, Any], key: str, default: str) -> str:
    value = _choice(layer.get("activation", default), ACTIVATIONS, f"{key}.activation", "activation")
    return activations.NAMES[value]


def _sequence(value: Any, key: str, steps: int | None, what: str) -> tuple[sp.Rational, ...]:
    if not isinstance(value, list) or not value:
        raise SpecError(f"expected a list of numbers, one per time step ({what}), got {_show(value)}", key=key)
    if steps is not None and len(value) != steps:
        raise SpecError(f"expected {steps} value{'s' * (steps != 1)} (one per time step, steps = {steps}), got "
                        f"{len(value)}", key=key)
    return tuple(number(v, f"{key}[{t}]") for t, v in enumerate(value))


def _parse(data: Mapping[str, Any], source: str) -> RecurrentSpec:
    data = _table(data, "", "a table of spec keys")
    _keys(data, TOP_KEYS, "")
    layers = data.get("layers")
    if not isinstance(layers, list) or len(layers) != 2:
        raise SpecError(f"expected two [[layers]] (a recurrent layer, then a dense output layer), got "
                        f"{_show(layers)}", key="layers")
    rec = _table(layers[0], "layers[0]")
    out = _table(layers[1], "layers[1]")
    if rec.get("kind") != KIND:
        raise SpecError(f"expected the recurrent layer first (kind = \"{KIND}\"), got {_show(rec.get('kind'))}",
                        key="layers[0].kind")
    if out.get("kind", "dense") != "dense":
        raise SpecError(f"expected a dense output layer after the recurrent one, got {_show(out.get('kind'))}",
                        key="layers[1].kind")
    _keys(rec, RECURRENT_KEYS, "layers[0]")
    _keys(out, OUTPUT_KEYS, "layers[1]")
    layer_names = []
    for i, layer in enumerate((rec, out)):
        if "name" not in layer:
            raise SpecError("missing key 'name'; expected the layer's name (e.g. \"h\")", key=f"layers[{i}]")
        n = layer["name"]
        if not isinstance(n, str) or not LAYER_NAME_RE.fullmatch(n):
            raise SpecError(f"expected a layer name of letters and digits (e.g. \"h\"), got {_show(n)}",
                            key=f"layers[{i}].name")
        layer_names.append(n)
    if layer_names[0] == layer_names[1]:
        raise SpecError(f"duplicate layer name {layer_names[1]!r}; expected a name of its own", key="layers[1].name")
    for i, layer in enumerate((rec, out)):
        if "weights" not in layer:
            raise SpecError("missing key 'weights'; expected a matrix of names", key=f"layers[{i}]")
    if "recurrent_weights" not in rec:
        raise SpecError("missing key 'recurrent_weights'; expected a square matrix of names (row = neuron at t, "
                        "column = neuron at t − 1)", key="layers[0]")

    # the steps and the inputs
    steps: int | None = None
    if "steps" in data:
        s = data["steps"]
        if isinstance(s, bool) or not isinstance(s, int) or not 1 <= s <= MAX_STEPS:
            raise SpecError(f"expected an integer from 1 to {MAX_STEPS}, got {_show(s)}", key="steps")
        steps = s
    sequences = "samples" in data
    if sequences:
        steps, inputs, input_values, raw_samples = _samples(data, steps)
    else:
        if "inputs" not in data:
            raise SpecError("missing: expected the inputs as a table of lists (one value per time step), e.g. "
                            "{ x1 = [1.0, 0.5] }, or [[samples]] (several sequences)", key="inputs")
        inputs, input_values, steps = _input_table(data["inputs"], "inputs", steps)

    # the layers
    n_in = len(inputs)
    U = _grid(rec["weights"], "layers[0].weights", None, n_in, f"a row per hidden neuron, a column per input ({n_in})")
    n = len(U)
    V = _grid(rec["recurrent_weights"], "layers[0].recurrent_weights", n, n,
              f"square: {n}×{n}, a row per neuron at t, a column per neuron at t − 1")
    hidden_bias = _bias(rec.get("bias"), "layers[0].bias", n)
    initial: tuple[sp.Rational, ...] = (sp.Integer(0),) * n
    if "initial_state" in rec:
        raw = rec["initial_state"]
        if not isinstance(raw, list) or len(raw) != n:
            raise SpecError(f"expected a list of {n} numbers (h_0, one per hidden neuron), got {_show(raw)}",
                            key="layers[0].initial_state")
        initial = tuple(number(v, f"layers[0].initial_state[{j}]") for j, v in enumerate(raw))
    W = _grid(out["weights"], "layers[1].weights", None, n, f"a row per output neuron, a column per hidden neuron "
                                                             f"({n})")
    m = len(W)
    output_bias = _bias(out.get("bias"), "layers[1].bias", m)
    activation = _activation(rec, "layers[0]", "tanh")
    output_activation = _activation(out, "layers[1]", "identity")

    # the targets: one per step, or a single number (the last step's)
    outputs = tuple(f"{layer_names[1]}{k + 1}" for k in range(m))
    if sequences:
        first = _target_table(raw_samples[0]["targets"], "samples[0].targets", outputs, steps)
        targets, per_step = first
        seqs = [(input_values, targets)]
        for i, table in enumerate(raw_samples[1:], start=1):
            values = _input_table(table["inputs"], f"samples[{i}].inputs", steps, inputs)[1]
            t, ps = _target_table(table["targets"], f"samples[{i}].targets", outputs, steps)
            if ps != per_step:
                raise SpecError("expected the targets of every sample as the first sample's: "
                                + ("a list per step" if per_step else "a single number (the last step's)"),
                                key=f"samples[{i}].targets")
            seqs.append((values, t))
    else:
        if "targets" not in data:
            raise SpecError(f"missing: expected the targets by output neuron ({', '.join(outputs)}), a list per step "
                            "or a single number (the last step's)", key="targets")
        targets, per_step = _target_table(data["targets"], "targets", outputs, steps)
        seqs = []

    # the parameters
    params: list[str] = []
    for grid in (U, V, (hidden_bias,), W, (output_bias,)):
        for row in grid:
            for p in row:
                if p is not None and p not in params:
                    params.append(p)
    generated = {*inputs, "E", *(f"{x}_t{t}" for x in inputs for t in range(1, steps + 1))}
    for neuron in (*(f"{layer_names[0]}{j + 1}" for j in range(n)), *outputs):
        generated |= {f"{prefix}{neuron}_t{t}" for prefix in ("", "net") for t in range(steps + 1)}
    generated |= {f"E_t{t}" for t in range(1, steps + 1)}
    if len(seqs) > 1:
        generated |= {f"E_s{i}" for i in range(1, len(seqs) + 1)}
        generated |= {g.replace("_t", f"_s{i}t") for g in generated if "_t" in g for i in range(1, len(seqs) + 1)}
    for p in params:
        if p in generated:
            raise SpecError(f"the parameter name {p!r} is a name of the unrolled network (its inputs, neurons and "
                            "losses per step); expected a name of its own", key="layers")
    param_values: dict[str, sp.Rational] = {}
    if "params" in data:
        table = _table(data["params"], "params", "a table of parameter values by name ([params] u1 = 0.5)")
        for k, v in table.items():
            if k not in params:
                raise SpecError(f"unknown parameter {k!r}; expected one of {', '.join(params)}",
                                key=_subkey("params", k))
            param_values[k] = number(v, _subkey("params", k))
        missing = [p for p in params if p not in param_values]
        if missing:
            raise SpecError(f"no value for {', '.join(missing)}; expected a value for every parameter (or no "
                            "[params] table: a symbolic network)", key="params")

    symbolic = not param_values or not input_values
    if symbolic and n > 1 and n ** (steps - 1) > MAX_SYMBOLIC_TERMS:
        most = max(t for t in range(1, steps) if n ** (t - 1) <= MAX_SYMBOLIC_TERMS)
        raise SpecError(f"a symbolic network of {n} hidden neurons over {steps} steps: its gradients' closed forms "
                        f"would have about {n}^{steps - 1} = {n ** (steps - 1)} terms each; expected at most {most} "
                        "steps, or numbers for every parameter ([params]) and input", key="steps")
    loss = canonical(_choice(data.get("loss", "half_sse"), RECURRENT_LOSSES, "loss", "loss"))
    training = whole_training(data.get("training", {}), "is not supported for a recurrent network yet: it trains "
                              "every parameter at once, in double precision")
    if len(seqs) > 1 and training.update != "batch":
        raise SpecError(f"expected update = \"batch\" for a recurrent network of several sequences, got "
                        f"{training.update!r}: every update uses the loss of every sequence (E sums them)",
                        key="training.update")
    title = titles(data)
    lr = number(data["learning_rate"], "learning_rate") if "learning_rate" in data else None
    return RecurrentSpec(steps=steps, inputs=inputs, input_values=input_values, targets=targets, per_step=per_step,
                         hidden=layer_names[0], activation=activation, U=U, V=V, hidden_bias=hidden_bias,
                         initial_state=initial, output=layer_names[1], output_activation=output_activation, W=W,
                         output_bias=output_bias, params=tuple(params), param_values=param_values, loss=loss,
                         learning_rate=lr, title=title["title"], title_en=title["title_en"],
                         title_zh=title["title_zh"], display=_display(data.get("display", {})), training=training,
                         source=source, sequences=tuple(seqs) if len(seqs) > 1 else (),
                         batch_loss=_choice(data.get("batch_loss", "sum"), ("sum", "mean"), "batch_loss",
                                            "batch loss"))


def _input_table(raw: Any, key: str, steps: int | None, names: tuple[str, ...] | None = None
                 ) -> tuple[tuple[str, ...], dict[str, tuple[sp.Rational, ...]], int]:
    """(input names, their values per step ({} for a list of names), steps) from `inputs` (a table of lists or a
    list of names); `names`: the inputs every sample must give."""
    input_values: dict[str, tuple[sp.Rational, ...]] = {}
    if isinstance(raw, list) and raw and names is None:
        inputs = tuple(name(v, f"{key}[{i}]") for i, v in enumerate(raw))
        if steps is None:
            raise SpecError("symbolic inputs (a list of names) need the number of time steps: steps = 3",
                            key="steps")
    elif isinstance(raw, Mapping) and raw:
        inputs = tuple(name(k, _subkey(key, k)) for k in raw)
        if names is not None and set(inputs) != set(names):
            raise SpecError(f"expected the inputs {', '.join(names)} (as the first sample), got "
                            f"{', '.join(inputs)}", key=key)
        for k in inputs:
            input_values[k] = _sequence(raw[k], _subkey(key, k), steps, f"input {k}")
            steps = len(input_values[k])
        inputs = names or inputs
    else:
        raise SpecError("expected a table of lists (one value per time step), e.g. { x1 = [1.0, 0.5] }"
                        + (", or a list of input names" if names is None else "") + f", got {_show(raw)}", key=key)
    assert steps is not None
    if steps > MAX_STEPS:
        raise SpecError(f"expected at most {MAX_STEPS} time steps, got {steps}", key=key)
    for i, k in enumerate(inputs):
        if "_" in k:
            raise SpecError(f"expected an input name without '_' (the unrolled network names it {k}_t1, {k}_t2, "
                            f"...), got {k!r}", key=f"{key}[{i}]" if isinstance(raw, list) else _subkey(key, k))
    return inputs, input_values, steps


def _target_table(raw: Any, key: str, outputs: tuple[str, ...], steps: int
                  ) -> tuple[dict[str, tuple[sp.Rational, ...]], bool]:
    """(targets by output neuron, per_step): a list per step for every output, or a single number (the last
    step's) for every output."""
    table = _table(raw, key, "a table of targets by output neuron (e.g. { y1 = [0.5, 0.2] })")
    for k in table:
        if k not in outputs:
            raise SpecError(f"unknown output neuron {k!r}; expected {', '.join(outputs)}", key=_subkey(key, k))
    missing = [o for o in outputs if o not in table]
    if missing:
        raise SpecError(f"missing target for {', '.join(missing)}; expected one for every output neuron", key=key)
    kinds = {isinstance(v, list) for v in table.values()}
    if len(kinds) > 1:
        raise SpecError("expected every target as a list (one per step) or every target as a single number (the last "
                        "step's), not a mix", key=key)
    per_step = kinds == {True}
    return {o: _sequence(table[o], _subkey(key, o), steps, f"target {o}") if per_step
            else (number(table[o], _subkey(key, o)),) for o in outputs}, per_step


def _samples(data: Mapping[str, Any], steps: int | None
             ) -> tuple[int, tuple[str, ...], dict[str, tuple[sp.Rational, ...]], list[Mapping[str, Any]]]:
    """[[samples]]: several sequences, each a table with `inputs` (a list per input) and `targets`. Returns (steps,
    the input names, the first sample's input values, the sample tables); the targets are read with the output
    layer."""
    found = sample_tables(data["samples"], MAX_SEQUENCES, "sequences (each is unrolled into the circuit)",
                          " (one sequence each)")
    if "targets" in data or ("inputs" in data and not isinstance(data["inputs"], list)):
        raise SpecError("expected the sequences' inputs and targets either at the top level or in [[samples]], not "
                        "both (with samples, inputs = [\"x1\", …] names the inputs, or leave it out)", key="samples")
    tables = []
    for key, table in found:
        if not isinstance(table["inputs"], Mapping):
            raise SpecError(f"expected a table of lists (one value per time step), e.g. {{ x1 = [1.0, 0.5] }}, got "
                            f"{_show(table['inputs'])}", key=f"{key}.inputs")
        tables.append(table)
    names = None
    if "inputs" in data:
        if not data["inputs"]:
            raise SpecError("expected a list of input names, got []", key="inputs")
        names = tuple(name(v, f"inputs[{i}]") for i, v in enumerate(data["inputs"]))
    inputs, values, steps = _input_table(tables[0]["inputs"], "samples[0].inputs", steps, names)
    return steps, inputs, values, tables


# --- the unrolled circuit --------------------------------------------------------------------------

def at(quantity: str, t: int, sequence: int | None = None) -> str:
    """The unrolled network's name of a quantity at step t: h1_t2, neth1_t2, x1_t2, E_t2; in sequence s (1-based,
    with several sequences): h1_s1t2 (a name has one underscore)."""
    return f"{quantity}_t{t}" if sequence is None else f"{quantity}_s{sequence}t{t}"


def _net(weights: tuple[str, ...], sources: list[str], bias: str | None) -> str:
    terms = [f"{w}*{s}" for w, s in zip(weights, sources, strict=True)]
    return " + ".join(terms + ([bias] if bias is not None else []))


def _applied(activation: str, net: str) -> str:
    return net if activation == "identity" else f"{activation}({net})"


def unrolled(r: RecurrentSpec) -> UnrolledSpec:
    """The graph spec of the network unrolled over its steps (expressions in the grammar of expressions.py). With
    several sequences each is unrolled on its own, every name marked with its sequence (h1_s1t2, E_s1t2; E_s1 its
    loss) and E = E_s1 + E_s2 + … (divided by their number with batch_loss = "mean")."""
    sequences = r.sequences or ((r.input_values, r.targets),)
    nodes: list[NodeSpec] = []
    inputs: list[str] = []
    input_values: dict[str, sp.Rational] = {}
    for s, (values, targets) in enumerate(sequences, start=1):
        suffix = s if r.several else None
        n, i, v = _unrolled_sequence(r, values, targets, suffix)
        nodes += n
        inputs += i
        input_values |= v
    if r.several:
        total = " + ".join(f"E_s{s}" for s in range(1, len(sequences) + 1))
        nodes.append(NodeSpec("E", f"({total})/{len(sequences)}" if r.batch_loss == "mean" else total))
    return UnrolledSpec(inputs=tuple(inputs), params=r.params, nodes=tuple(nodes), output="E",
                        input_values=input_values, param_values=dict(r.param_values), learning_rate=r.learning_rate,
                        display=r.display, title=r.title, title_en=r.title_en, title_zh=r.title_zh, source=r.source,
                        training=r.training, rnn=r)


def _unrolled_sequence(r: RecurrentSpec, values: Mapping[str, tuple[sp.Rational, ...]],
                       targets: Mapping[str, tuple[sp.Rational, ...]], s: int | None
                       ) -> tuple[list[NodeSpec], list[str], dict[str, sp.Rational]]:
    """One sequence's nodes, inputs and input values; s: its number (None: the only sequence, names unsuffixed)."""
    hidden, outputs = r.hidden_neurons, r.output_neurons
    loss = "E" if s is None else f"E_s{s}"
    nodes: list[NodeSpec] = []
    for t in range(1, r.steps + 1):
        for j, neuron in enumerate(hidden):
            sources = [at(x, t, s) for x in r.inputs] + [at(h, t - 1, s) for h in hidden]
            nodes.append(NodeSpec(at(f"net{neuron}", t, s), _net(r.U[j] + r.V[j], sources, r.hidden_bias[j])))
            nodes.append(NodeSpec(at(neuron, t, s), _applied(r.activation, at(f"net{neuron}", t, s))))
        for k, neuron in enumerate(outputs):
            nodes.append(NodeSpec(at(f"net{neuron}", t, s), _net(r.W[k], [at(h, t, s) for h in hidden],
                                                                 r.output_bias[k])))
            nodes.append(NodeSpec(at(neuron, t, s), _applied(r.output_activation, at(f"net{neuron}", t, s))))
        if t in r.target_steps():
            i = t - 1 if r.per_step else 0
            outs = [sp.Symbol(at(o, t, s)) for o in outputs]
            expr = loss_expr(r.loss, outs, [targets[o][i] for o in outputs])
            nodes.append(NodeSpec(at("E", t, s) if r.per_step else loss, sp.sstr(expr)))
    if r.per_step:
        nodes.append(NodeSpec(loss, " + ".join(at("E", t, s) for t in range(1, r.steps + 1))))
    inputs = [*(at(x, t, s) for t in range(1, r.steps + 1) for x in r.inputs), *(at(h, 0, s) for h in hidden)]
    input_values = {at(h, 0, s): v for h, v in zip(hidden, r.initial_state, strict=True)}
    for x, xs in values.items():
        input_values |= {at(x, t, s): v for t, v in enumerate(xs, start=1)}
    return nodes, inputs, input_values


@dataclass(frozen=True)
class UnrolledSpec(GraphSpec):
    """The graph spec of a recurrent network unrolled through time, with the network's own spec (for the BPTT
    presentation: bptt.py). A Circuit built from it is an ordinary circuit (derive, train, with_params)."""

    rnn: RecurrentSpec | None = None


def recurrent_spec(c: Any) -> RecurrentSpec | None:
    """The recurrent network of one sequence a circuit is the unrolling of, or None. The presentations of
    backpropagation through time (derive's text and JSON, the lecture, bptt.py) read it; a network of several
    sequences is shown as its circuit (recurrent_network gives it)."""
    r = recurrent_network(c)
    return r if r is not None and not r.several else None


def recurrent_network(c: Any) -> RecurrentSpec | None:
    """The recurrent network a circuit is the unrolling of (of one sequence or several), or None: training
    compiles it as matrices (rnn_numeric.py)."""
    spec = getattr(c, "spec", None)
    return spec.rnn if isinstance(spec, UnrolledSpec) else None
