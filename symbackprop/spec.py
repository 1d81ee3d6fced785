"""The spec: a TOML file (or the same structure as a Python dict) validated into frozen dataclasses.

Validation here is structural (types, keys, names, numbers); what depends on the whole network
(shapes, duplicate names, which parameters exist) is checked when the network is built. Every error
names the key it is about, and the loader adds the file.
"""

from __future__ import annotations

import datetime
import difflib
import itertools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import sympy as sp

from . import activations, convolution, losses, styles
from .errors import SpecError
from .files import load_toml, one_line, printable
from .layers import KINDS as LAYER_KINDS
from .limits import MAX_DECIMALS, MAX_DIGITS, MAX_LAYER_SIZE, MAX_LAYERS, MAX_PARAMETERS, MAX_PATHS, MAX_SAMPLES

T = TypeVar("T")

# Names become SymPy symbols and LaTeX: letters and digits only (matched in full, so that no trailing
# newline, space, backslash, brace or dollar ever reaches a formula).
NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)?")
NAME_HELP = ("a name of letters and digits starting with a letter, with at most one '_suffix' "
             "(e.g. w5, b1, E_total)")
LAYER_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*")
BARE_KEY_RE = re.compile(r"[A-Za-z0-9_-]+")  # a TOML bare key: shown as is in a key path, otherwise quoted

ACTIVATIONS = tuple(activations.NAMES)
LOSSES = tuple(losses.CANONICAL)
STYLES = tuple(styles.STYLES)
NUMBERINGS = ("target", "source")

TOP_KEYS = ("title", "learning_rate", "loss", "inputs", "targets", "frozen", "layers", "params", "samples",
            "numbering", "batch_loss", "notation", "display", "title_en", "title_zh", "training")
LAYER_KEYS = ("name", "activation", "weights", "size", "bias", "neurons", "numbering", "function", "alpha", "gain",
              "kind", "threshold", "skip", "kernel", "stride", "padding")
NOTATION_KEYS = ("style", "target", "error", "learning_rate")
DISPLAY_KEYS = ("decimals", "digits", "max_paths")
TRAINING_KEYS = ("update", "batch_size", "momentum", "weight_decay", "decay_biases", "layer_update", "rounding",
                 "rule")
RULES = ("gradient", "perceptron")  # [training] rule: gradient descent, or Rosenblatt's rule (one layer of step units)
UPDATES = ("batch", "online", "minibatch")
LAYER_UPDATES = ("simultaneous", "sequential")
SAMPLE_KEYS = ("inputs", "targets")
SKIP_INPUTS = "inputs"  # `skip = "inputs"`: the network's inputs are added (a shortcut around the first layer)
DEFAULT_ALPHA = sp.Rational(1, 100)  # leaky_relu slope


@dataclass(frozen=True)
class LayerSpec:
    name: str
    activation: str = "sigmoid"  # with a per-neuron list: the first neuron's
    # a 0 in the spec's matrix is None here: no connection (no parameter, no arrow)
    weights: tuple[tuple[str | None, ...], ...] | None = None
    size: int | None = None
    bias: str | tuple[str, ...] | bool | None = None
    neurons: tuple[str, ...] | None = None
    numbering: str | None = None
    function: str = "f"
    alpha: sp.Rational = DEFAULT_ALPHA
    gain: sp.Rational = sp.Integer(1)  # a sigmoid's slope: σ(a·net)
    kind: str = "dense"  # an entry of layers.KINDS
    # the biases are thresholds θ (Negnevitsky's): net = Σ w·x − θ, a weight θ on a fixed input −1
    threshold: bool = False
    activations: tuple[str, ...] | None = None  # one per neuron, when they differ (`activation = [...]`)
    skip: str | None = None  # an earlier layer's name (or "inputs") whose outputs are added: out = f(net) + out_skip
    # convolution and pooling layers (convolution.py): the kernels' names per channel (each a tuple of rows; a 1-D
    # kernel is one row), the step, the zeros added on each side, the pooling window
    kernel: tuple[tuple[tuple[str, ...], ...], ...] | None = None
    # input channels each kernel spans: kernel[c] then stacks one slice per input channel (its rows, then the next
    # channel's; a 1-D slice is one row), as `kernel = [[slice_1, slice_2, ...], ...]` gives them
    kernel_channels: int = 1
    stride: tuple[int, ...] = (1,)
    padding: int = 0
    window: tuple[int, ...] | None = None


@dataclass(frozen=True)
class SampleSpec:
    """Numeric inputs (by input name) and targets (by output-neuron name); either may be empty."""

    inputs: Mapping[str, sp.Rational] = field(default_factory=dict)
    targets: Mapping[str, sp.Rational] = field(default_factory=dict)


@dataclass(frozen=True)
class NotationSpec:
    style: str = "net_out"
    target: str = "t"
    error: str = "E"
    learning_rate: str = "eta"


@dataclass(frozen=True)
class DisplaySpec:
    decimals: int | None = None
    digits: int | None = 6
    max_paths: int = 8


@dataclass(frozen=True)
class TrainingSpec:
    """How `train` updates the parameters (the [training] table): which samples each update uses, momentum,
    L2 weight decay. The defaults are one full-batch gradient-descent step per update."""

    update: str = "batch"  # "batch": the batch loss; "online": one sample per update, in order; "minibatch"
    batch_size: int | None = None  # samples per update with "minibatch", in order
    momentum: sp.Rational = sp.Integer(0)  # Δw_t = −η ∂E/∂w + μ Δw_{t−1}
    weight_decay: sp.Rational = sp.Integer(0)  # λ: E + λ/2 Σ w² over the weights
    decay_biases: bool = False  # the biases decay too
    layer_update: str = "simultaneous"  # "sequential": the output layer first, the δ's below through its new weights
    rounding: int | None = None  # every intermediate of a training step rounded half up to this many decimals
    rule: str = "gradient"  # "perceptron": Rosenblatt's rule, w ← w + η (t − y) x, for one layer of step units

    def per_update(self, n_samples: int) -> list[list[int]]:
        """The samples of each update of one epoch, in order."""
        size = {"batch": n_samples, "online": 1}.get(self.update, self.batch_size or n_samples)
        return [list(range(k, min(k + size, n_samples))) for k in range(0, n_samples, size)]


@dataclass(frozen=True)
class Spec:
    input_names: tuple[str, ...]
    layers: tuple[LayerSpec, ...]
    loss: str = "half_sse"
    samples: tuple[SampleSpec, ...] = (SampleSpec(),)
    target_names: tuple[str, ...] | None = None
    learning_rate: sp.Rational | None = None
    params: Mapping[str, sp.Rational] = field(default_factory=dict)
    frozen: tuple[str, ...] = ()
    numbering: str = "target"
    batch_loss: str = "sum"
    notation: NotationSpec = NotationSpec()
    display: DisplaySpec = DisplaySpec()
    title: str | None = None
    source: str = "<spec>"
    explicit_samples: bool = False
    title_en: str | None = None  # the title of an English document, when `title` is not English
    title_zh: str | None = None  # the title of a Chinese document, when `title` is not Chinese
    training: TrainingSpec = TrainingSpec()
    input_shape: tuple[int, ...] | None = None  # inputs given as a grid x = [[...], ...]: (rows, columns)
    input_channels: int = 1  # inputs given as a list of grids x = [[[...]], [[...]]]: one grid per channel


def load_spec(path: str | Path) -> Spec:
    """Read and validate a TOML spec; every problem is a SpecError naming this file."""
    return parse_spec(load_toml(path, "a TOML spec file"), source=printable(str(path)))


def sample_tables(raw: Any, limit: int, what: str, each: str = "") -> list[tuple[str, Mapping[str, Any]]]:
    """The [[samples]] array (several samples; a recurrent spec's several sequences): (key, table) for each, every
    table with exactly `inputs` and `targets`. `what`: the samples' noun in the messages; `each`: what one holds."""
    if not isinstance(raw, list) or not raw:
        raise SpecError(f"expected a non-empty array of tables [[samples]]{each}, got {_show(raw)}", key="samples")
    if len(raw) > limit:
        raise SpecError(f"expected at most {limit} {what}, got {len(raw)}", key="samples")
    out = []
    for i, item in enumerate(raw):
        key = f"samples[{i}]"
        table = _table(item, key, "a table with 'inputs' and 'targets'" + (f" ({each.strip(' ()')})" if each else ""))
        _keys(table, SAMPLE_KEYS, key)
        for part in SAMPLE_KEYS:
            if part not in table:
                raise SpecError(f"missing key '{part}'; expected a table of {part[:-1]} values by name"
                                + (", a list per step" if each else ""), key=key)
        out.append((key, table))
    return out


def parse_spec(data: Mapping[str, Any], source: str = "<spec>") -> Spec:
    """Validate a spec given as nested dicts (the TOML structure)."""
    return validated(_parse, data, source)


def validated(parse: Callable[[Mapping[str, Any], str], T], data: Mapping[str, Any], source: str) -> T:
    """`parse(data, source)` with every problem one SpecError naming the source (a layered or a graph spec)."""
    try:
        return parse(data, source)
    except SpecError as exc:
        raise exc.with_source(source) from None
    except RecursionError:  # a pathologically nested dict given through the Python API
        raise SpecError("nested too deeply; expected the structure of a TOML spec", source=source) from None


# --- helpers -------------------------------------------------------------------------------------

def number(value: Any, key: str) -> sp.Rational:
    """A TOML number as an exact rational: 0.05 means 1/20, not the nearest double."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        hint = ""
        if isinstance(value, str) and _looks_numeric(value):
            hint = f" (write it without quotes: {value.strip()})"
        raise SpecError(f"expected a number, got {_show(value)}{hint}", key=key)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise SpecError(f"expected a finite number, got {value}", key=key)
        return sp.Rational(repr(value))
    return sp.Integer(value)


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def name(value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise SpecError(f"expected a name (a string such as \"w1\"), got {_show(value)}", key=key)
    if not NAME_RE.fullmatch(value):
        raise SpecError(f"invalid name {_clip(repr(value))}: expected {NAME_HELP}", key=key)
    return value


def _clip(text: str, limit: int = 40) -> str:
    return f"{text[:limit]}..." if len(text) > limit else text


def _show(value: Any) -> str:
    """A value as the spec's author wrote it: its TOML type and (the start of) its text, on one line."""
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, str):
        return f"string {_clip(repr(value))}"
    if isinstance(value, int):
        return f"integer {_clip(repr(value))}"
    if isinstance(value, float):
        return f"float {value!r}"
    if isinstance(value, list):
        return "an empty array" if not value else f"array {_clip(repr(value))}"
    if isinstance(value, Mapping):
        return "an empty table" if not value else f"table {_clip(repr(dict(value)))}"
    if isinstance(value, datetime.date | datetime.time):
        return f"date/time {value.isoformat()}"
    return f"{type(value).__name__} {_clip(repr(value))}"


def _subkey(prefix: str, key: Any) -> str:
    """The path of a key inside a table, quoted as TOML quotes it when it is not a bare key."""
    text = key if isinstance(key, str) and BARE_KEY_RE.fullmatch(key) else _quote(key)
    return f"{prefix}.{text}" if prefix else text


def _quote(key: Any) -> str:
    if not isinstance(key, str):
        return repr(key)
    # JSON string escapes are TOML's; anything that could break the line is escaped
    return _clip(json.dumps(key, ensure_ascii=not key.isprintable()))


def _suggest(value: Any, choices: tuple[str, ...]) -> str:
    if not isinstance(value, str):
        return ""
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _table(value: Any, key: str, what: str = "a table") -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise SpecError(f"expected {what}, got {_show(value)}", key=key or None)
    return value


def _keys(table: Mapping[str, Any], allowed: tuple[str, ...], prefix: str) -> None:
    for key in table:
        if key not in allowed:
            shown = _clip(repr(key)) if isinstance(key, str) else _show(key)
            raise SpecError(f"unknown key {shown}; expected one of {', '.join(allowed)}"
                            f"{_suggest(key, allowed)}", key=_subkey(prefix, key))


def _choice(value: Any, choices: tuple[str, ...], key: str, what: str) -> str:
    if not isinstance(value, str):
        raise SpecError(f"expected one of {', '.join(choices)} (a string), got {_show(value)}", key=key)
    if value not in choices:
        raise SpecError(f"unknown {what} {_clip(repr(value))}; expected one of {', '.join(choices)}"
                        f"{_suggest(value, choices)}", key=key)
    return value


def _positive_int(value: Any, key: str, minimum: int = 1, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise SpecError(f"expected an integer >= {minimum}, got {_show(value)}", key=key)
    if maximum is not None and value > maximum:
        raise SpecError(f"expected an integer from {minimum} to {maximum}, got {_show(value)}", key=key)
    return value


def _names(value: Any, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise SpecError(f"expected a non-empty list of names, got {_show(value)}", key=key)
    return tuple(name(item, f"{key}[{i}]") for i, item in enumerate(value))


def _values(value: Any, key: str, what: str = "values") -> dict[str, sp.Rational]:
    """A table of numbers by name: { x1 = 0.05, x2 = 0.10 }."""
    table = _table(value, key, f"a table of {what} by name (e.g. {{ x1 = 0.5 }})")
    if not table:
        raise SpecError(f"expected a table of {what} by name, got an empty table", key=key)
    return {name(k, _subkey(key, k)): number(v, _subkey(key, k)) for k, v in table.items()}


def _names_or_values(value: Any, key: str,
                     noun: str) -> tuple[tuple[str, ...] | None, dict[str, sp.Rational]]:
    """inputs / targets: a list of names (symbolic) or a table of values by name (numeric)."""
    if isinstance(value, list):
        return _names(value, key), {}
    if isinstance(value, Mapping):
        return None, _values(value, key, f"{noun} values")
    raise SpecError(f"expected a list of {noun} names or a table of {noun} values by name, "
                    f"got {_show(value)}", key=key)


# --- the spec ------------------------------------------------------------------------------------

def _check_size(n_inputs: int, layers: tuple[LayerSpec, ...]) -> None:
    """The network's size from its spec, before anything is built: a careless `size = 1000000` is refused here."""
    if n_inputs > MAX_LAYER_SIZE:
        raise SpecError(f"expected at most {MAX_LAYER_SIZE} inputs, got {n_inputs}", key="inputs")
    total, before = 0, n_inputs
    for layer in layers:
        n = _width(layer)
        total += n * before + n
        before = n
    if total > MAX_PARAMETERS:
        raise SpecError(f"a network of about {total} weights and biases; the limit is {MAX_PARAMETERS}",
                        key="layers")


def _list_or_empty(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _width(layer: LayerSpec) -> int:
    return len(layer.weights) if layer.weights is not None else layer.size or len(layer.neurons or ())


def _parse(data: Mapping[str, Any], source: str) -> Spec:
    data = _table(data, "", "a table of spec keys")
    if "graph" in data:
        raise SpecError("a graph spec ([graph]) where a layered network ([[layers]]) is expected: graph specs are "
                        "read by Circuit.load (or load_model, which tells the two apart)", key="graph")
    if any(isinstance(x, Mapping) and x.get("kind") == "recurrent" for x in _list_or_empty(data.get("layers"))):
        raise SpecError("a recurrent network (kind = \"recurrent\") where a feed-forward network is expected: "
                        "recurrent specs are read by load_model (their unrolled circuit: recurrent.py)",
                        key="layers")
    _keys(data, TOP_KEYS, "")
    if "layers" not in data:
        raise SpecError("missing: expected at least one [[layers]] table", key="layers")
    raw_layers = data["layers"]
    if not isinstance(raw_layers, list) or not raw_layers:
        raise SpecError(f"expected a non-empty array of tables [[layers]], got {_show(raw_layers)}",
                        key="layers")
    if len(raw_layers) > MAX_LAYERS:
        raise SpecError(f"expected at most {MAX_LAYERS} layers, got {len(raw_layers)}", key="layers")
    training = _training(data.get("training", {}))
    layers = tuple(_layer(layer, f"layers[{i}]", training.rule) for i, layer in enumerate(raw_layers))
    _check_rule(training, layers)
    _check_skips(layers)
    for i, layer in enumerate(layers[:-1]):
        if layer.activation == "softmax":
            elementwise = ", ".join(a for a in ACTIVATIONS if a != "softmax")
            raise SpecError(f"softmax is only allowed on the output layer; expected one of {elementwise} "
                            "on a hidden layer", key=f"layers[{i}].activation")

    inputs = data.get("inputs")
    targets = data.get("targets")
    input_names: tuple[str, ...] | None = None
    first = SampleSpec()
    target_names: tuple[str, ...] | None = None
    first_inputs: dict[str, sp.Rational] = {}
    first_targets: dict[str, sp.Rational] = {}
    input_shape = None
    input_channels = 1
    if inputs is not None and (grid := _grid_inputs(inputs, "inputs")) is not None:
        input_names, first_inputs, input_shape = grid  # a grid x = [[...], ...]: x11, x12, ...; channels x1_11
    elif inputs is not None:
        input_names, first_inputs = _names_or_values(inputs, "inputs", "input")
        if input_names is None:
            input_names = tuple(first_inputs)
    if targets is not None:
        target_names, first_targets = _names_or_values(targets, "targets", "target")
    if first_inputs or first_targets:
        first = SampleSpec(first_inputs, first_targets)

    samples: tuple[SampleSpec, ...]
    if "samples" in data:
        tables = sample_tables(data["samples"], MAX_SAMPLES, "samples")
        if first_inputs or first_targets:
            raise SpecError("expected numeric inputs/targets either at the top level or in [[samples]], "
                            "not both", key="samples")
        parsed = []
        for key, table in tables:
            grid = _grid_inputs(table["inputs"], f"{key}.inputs")
            parsed.append(SampleSpec(_values(table["inputs"], f"{key}.inputs", "input values") if grid is None
                                     else grid[1],
                                     _values(table["targets"], f"{key}.targets", "target values")))
        samples = tuple(parsed)
        if input_names is None:
            input_names = tuple(samples[0].inputs)
            first_grid = _grid_inputs(data["samples"][0]["inputs"], "samples[0].inputs")
            input_shape = first_grid[2] if first_grid is not None else None
    else:
        samples = (first,)
    if input_names is None:
        raise SpecError("missing: expected the inputs as a list of names or a table of values by name",
                        key="inputs")
    if input_shape is not None and len(input_shape) == 3:  # a list of grids: (channels, rows, columns)
        input_channels, input_shape = input_shape[0], input_shape[1:]
    _check_size(len(input_names), layers)

    params: dict[str, sp.Rational] = {}
    if "params" in data:
        table = _table(data["params"], "params", "a table of parameter values by name ([params] w1 = 0.15)")
        params = {name(k, _subkey("params", k)): number(v, _subkey("params", k)) for k, v in table.items()}
    frozen: tuple[str, ...] = ()
    if "frozen" in data:
        if not isinstance(data["frozen"], list):
            raise SpecError(f"expected a list of parameter names, got {_show(data['frozen'])}", key="frozen")
        frozen = tuple(name(v, f"frozen[{i}]") for i, v in enumerate(data["frozen"]))

    lr = number(data["learning_rate"], "learning_rate") if "learning_rate" in data else None
    translations = titles(data)
    title = translations.pop("title")
    loss = _choice(data.get("loss", "half_sse"), LOSSES, "loss", "loss")
    numeric = any(sample.inputs for sample in samples)
    _check_loss_domain(loss, layers, numeric)
    return Spec(
        input_names=input_names,
        layers=layers,
        loss=loss,
        samples=samples,
        target_names=target_names,
        learning_rate=lr,
        params=params,
        frozen=frozen,
        numbering=_choice(data.get("numbering", "target"), NUMBERINGS, "numbering", "numbering rule"),
        batch_loss=_choice(data.get("batch_loss", "sum"), ("sum", "mean"), "batch_loss", "batch loss"),
        notation=_notation(data.get("notation", {})),
        display=_display(data.get("display", {}), training.rounding),
        title=title,
        source=source,
        explicit_samples="samples" in data,
        title_en=translations["title_en"],
        title_zh=translations["title_zh"],
        training=training,
        input_shape=input_shape,
        input_channels=input_channels,
    )


# A cross-entropy takes logarithms of the outputs: with numbers, only output activations that keep them in
# range will do (anything else can give log(0) or the log of a negative number, i.e. no real value at all).
LOSS_OUTPUT_ACTIVATIONS = {
    name: tuple(a for a, kind in activations.KINDS.items() if kind.positive >= loss.positive
                and kind.below_one >= loss.below_one)
    for name, loss in losses.LOSSES.items() if loss.positive or loss.below_one}


def _check_loss_domain(loss: str, layers: tuple[LayerSpec, ...], numeric: bool) -> None:
    allowed = LOSS_OUTPUT_ACTIVATIONS.get(losses.canonical(loss))
    if allowed is None:
        return
    last = layers[-1]
    if last.skip is not None:  # f(net) + out_skip leaves any activation's range
        raise SpecError(f"{loss!r} takes the logarithm of the outputs, which a skip connection (out = f(net) + "
                        f"{last.skip}'s outputs) can take out of (0, 1); expected no skip on the output layer with "
                        "this loss", key=f"layers[{len(layers) - 1}].skip")
    where = f"layers[{len(layers) - 1}].activation"
    for r, activation in enumerate(last.activations or (last.activation,)):
        if numeric and activation not in (*allowed, "abstract"):
            at = f"{where}[{r}]" if last.activations else where
            raise SpecError(f"{loss!r} takes the logarithm of the outputs, which the output activation "
                            f"{activation!r} can make undefined; expected {' or '.join(allowed)} on the output layer "
                            f"({at})", key="loss")


def _check_skips(layers: tuple[LayerSpec, ...]) -> None:
    """`skip` names an earlier layer (or the inputs) by name; the widths are compared when the network is built."""
    for i, layer in enumerate(layers):
        if layer.skip is None:
            continue
        key = f"layers[{i}].skip"
        earlier = [other.name for other in layers[:i]]
        if layer.skip not in (*earlier, SKIP_INPUTS):
            later = [other.name for other in layers[i:]]
            what = "this layer or a later one" if layer.skip in later else "no layer"
            raise SpecError(f"{layer.skip!r} names {what}; expected an earlier layer ({', '.join(earlier) or 'none'})"
                            f" or {SKIP_INPUTS!r} (the network's inputs): a skip adds outputs computed before this "
                            "layer", key=key)
        if layer.kind != "dense":
            raise SpecError(f"a skip connection is for a dense layer; layer kind {layer.kind!r}", key=key)
        if layer.activation == "softmax":
            raise SpecError("a skip connection adds to each neuron's own output f(net); softmax couples the layer's "
                            "outputs: expected an elementwise activation", key=key)


def _layer(value: Any, key: str, rule: str = "gradient") -> LayerSpec:
    table = _table(value, key, "a [[layers]] table")
    _keys(table, LAYER_KEYS, key)
    if "name" not in table:
        raise SpecError("missing key 'name'; expected the neurons' prefix, e.g. name = \"h\"", key=key)
    layer_name = table["name"]
    if not isinstance(layer_name, str) or not LAYER_NAME_RE.fullmatch(layer_name):
        raise SpecError(f"expected a layer name of letters and digits starting with a letter (e.g. \"h\"), "
                        f"got {_show(layer_name)}", key=f"{key}.name")
    per_neuron = _activations(table.get("activation", "sigmoid"), f"{key}.activation", rule)
    activation = per_neuron[0]
    kind = _choice(table.get("kind", "dense"), tuple(LAYER_KINDS), f"{key}.kind", "layer kind")
    if kind in convolution.KINDS:  # convolution and pooling: their own keys (convolution.py)
        if isinstance(table.get("activation"), list):
            raise SpecError("a convolution or pooling layer takes one activation (a name), not a list",
                            key=f"{key}.activation")
        return _grid_layer(table, key, layer_name, kind, activation if "activation" in table else None)
    for k in ("kernel", "stride", "padding"):
        if k in table:
            raise SpecError(f"'{k}' belongs to a convolution or pooling layer (kind = one of "
                            f"{', '.join(convolution.KINDS)}); this layer's kind is {kind!r}", key=f"{key}.{k}")

    weights = None
    if "weights" in table:
        raw = table["weights"]
        if not isinstance(raw, list) or not raw:
            raise SpecError("expected a matrix of weight names, one row per neuron of this layer "
                            f"(e.g. [[\"w1\", \"w2\"], [\"w3\", \"w4\"]]), got {_show(raw)}",
                            key=f"{key}.weights")
        if len(raw) > MAX_LAYER_SIZE:
            raise SpecError(f"expected at most {MAX_LAYER_SIZE} rows (neurons), got {len(raw)}", key=f"{key}.weights")
        rows = []
        for r, row in enumerate(raw):
            if isinstance(row, str):  # a single-column layer may give its row as one name
                row = [row]
            if not isinstance(row, list) or not row or len(row) > MAX_LAYER_SIZE:
                raise SpecError(f"expected a row (list) of weight names, one per neuron of the layer before, "
                                f"got {_show(row)}", key=f"{key}.weights[{r}]")
            rows.append(tuple(_weight(w, f"{key}.weights[{r}][{c}]") for c, w in enumerate(row)))
        weights = tuple(rows)
        _check_missing(weights, kind, f"{key}.weights")
    size = _positive_int(table["size"], f"{key}.size", 1, MAX_LAYER_SIZE) if "size" in table else None
    if isinstance(table.get("neurons"), list) and len(table["neurons"]) > MAX_LAYER_SIZE:
        raise SpecError(f"expected at most {MAX_LAYER_SIZE} neuron names, got {len(table['neurons'])}",
                        key=f"{key}.neurons")
    neurons = _names(table["neurons"], f"{key}.neurons") if "neurons" in table else None
    if weights is None and size is None and neurons is None:
        raise SpecError("expected 'weights' (a matrix of names), 'size' (a number of neurons) or 'neurons' "
                        "(a list of names)", key=key)
    # the number of neurons, as the network will count it: rows of 'weights', else 'size', else 'neurons'
    count = len(weights) if weights is not None else size
    if weights is not None and size is not None and size != len(weights):
        raise SpecError(f"expected {len(weights)} (the number of rows of 'weights', one per neuron), got {size}",
                        key=f"{key}.size")
    if neurons is not None and count is not None and len(neurons) != count:
        given = "one per row of 'weights'" if weights is not None else "as many as 'size'"
        raise SpecError(f"expected {count} neuron names ({given}), got {len(neurons)}", key=f"{key}.neurons")
    count = count if count is not None else len(neurons or ())
    if isinstance(table.get("activation"), list) and len(per_neuron) != count:
        raise SpecError(f"expected {count} activations (one per neuron of this layer) or one name for the whole "
                        f"layer, got a list of {len(per_neuron)}", key=f"{key}.activation")
    skip = None
    if "skip" in table:
        skip = table["skip"]
        if not isinstance(skip, str) or not LAYER_NAME_RE.fullmatch(skip):
            raise SpecError(f"expected the name of an earlier layer (e.g. skip = \"h\") or \"{SKIP_INPUTS}\", got "
                            f"{_show(skip)}", key=f"{key}.skip")

    bias = _bias(table["bias"], count, f"{key}.bias", "bias") if "bias" in table else None
    threshold = False
    if "threshold" in table:
        raw = table["threshold"]
        if isinstance(raw, bool):
            threshold = raw
        else:  # the thresholds' names, in place of 'bias'
            if "bias" in table:
                raise SpecError("expected the names once: 'threshold' names the layer's thresholds θ (net = Σ w·x − "
                                "θ), 'bias' its biases b (net = Σ w·x + b); with both, write threshold = true and "
                                "the names in 'bias'", key=f"{key}.threshold")
            bias = _bias(raw, count, f"{key}.threshold", "threshold")
            threshold = bias is not None
    numbering = None
    if "numbering" in table:
        numbering = _choice(table["numbering"], NUMBERINGS, f"{key}.numbering", "numbering rule")
    function = name(table.get("function", "f"), f"{key}.function")
    alpha = number(table["alpha"], f"{key}.alpha") if "alpha" in table else DEFAULT_ALPHA
    gain = sp.Integer(1)
    if "gain" in table:
        gain = number(table["gain"], f"{key}.gain")
        if any(activations.NAMES[a] not in activations.WITH_GAIN for a in per_neuron) or gain <= 0:
            raise SpecError(f"expected a gain > 0 for a {' or '.join(activations.WITH_GAIN)} layer, got gain = "
                            f"{_show(table['gain'])} with activation {activation!r}", key=f"{key}.gain")
    return LayerSpec(name=layer_name, activation=activation, weights=weights, size=size, bias=bias,
                     neurons=neurons, numbering=numbering, function=function, alpha=alpha, gain=gain, kind=kind,
                     threshold=threshold, activations=per_neuron if len(set(per_neuron)) > 1 else None, skip=skip)


def _activations(raw: Any, key: str, rule: str = "gradient") -> tuple[str, ...]:
    """`activation`: one name for the layer, or a list of one per neuron (the layer keeps a list of equal names as
    that one name)."""
    if isinstance(raw, list):
        if not raw:
            raise SpecError("expected an activation name or a list of one per neuron, got an empty array", key=key)
        if len(raw) > MAX_LAYER_SIZE:
            raise SpecError(f"expected at most {MAX_LAYER_SIZE} activations, got {len(raw)}", key=key)
        names = tuple(_activation(a, f"{key}[{r}]", rule) for r, a in enumerate(raw))
        for r, a in enumerate(names):
            if not activations.KINDS[activations.NAMES[a]].elementwise:
                raise SpecError(f"{a} couples the whole layer's outputs, so it cannot be one neuron's activation; "
                                "expected an elementwise activation in a per-neuron list, or "
                                f"activation = {a!r} for the whole layer", key=f"{key}[{r}]")
        return names
    return (_activation(raw, key, rule),)


def _activation(raw: Any, key: str, rule: str = "gradient") -> str:
    activation = _choice(raw, ACTIVATIONS, key, "activation")
    refusal = activations.KINDS[activations.NAMES[activation]].no_gradient
    step = activations.NAMES[activation] == "step"
    if refusal is not None and not (rule == "perceptron" and step):
        raise SpecError(f"activation {activation!r}: {refusal}" + ("; one layer of step units trains by it with "
                        "[training] rule = \"perceptron\"" if step else ""), key=key)
    return activation


def _weight(value: Any, key: str) -> str | None:
    """A weight's name, or 0: no connection (no parameter)."""
    if isinstance(value, int) and not isinstance(value, bool) and value == 0:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise SpecError(f"expected a name (a string such as \"w1\") or 0 (no connection), got {_show(value)}; a "
                        "weight's value goes in [params]", key=key)
    return name(value, key)


def _check_missing(weights: tuple[tuple[str | None, ...], ...], kind: str, key: str) -> None:
    """A 0 (no connection) only where the layer's kind has per-connection weights, and never a whole row or
    column: every neuron reads something, and everything the layer reads feeds one of its neurons."""
    if not any(w is None for row in weights for w in row):
        return
    if kind != "dense":
        r, c = next((r, c) for r, row in enumerate(weights) for c, w in enumerate(row) if w is None)
        raise SpecError(f"a {kind} layer needs a weight name here; 0 (no connection) is for a dense layer",
                        key=f"{key}[{r}][{c}]")
    for r, row in enumerate(weights):
        if all(w is None for w in row):
            raise SpecError("every weight of this neuron is 0: it would read nothing; expected at least one weight "
                            "name per row", key=f"{key}[{r}]")
    for c in range(min(len(row) for row in weights)):
        if all(c < len(row) and row[c] is None for row in weights):
            raise SpecError(f"column {c} is 0 in every row: that input would feed no neuron of this layer; expected "
                            "at least one weight name per column", key=f"{key}[0][{c}]")


def _bias(raw: Any, count: int, key: str, what: str) -> str | tuple[str, ...] | bool | None:
    """A layer's bias (or threshold) names: one shared name, one per neuron, true (the default names) or false."""
    if isinstance(raw, bool):
        return raw or None
    if isinstance(raw, list):
        names = _names(raw, key)
        if len(names) != count:
            raise SpecError(f"expected {count} {what} names (one per neuron of this layer) or one shared name, "
                            f"got {len(names)}", key=key)
        return names
    if isinstance(raw, str):
        return name(raw, key)
    raise SpecError(f"expected a {what} name shared by the layer, a list of names (one per neuron) or "
                    f"true/false, got {_show(raw)}", key=key)


def _notation(value: Any) -> NotationSpec:
    table = _table(value, "notation", "a [notation] table")
    _keys(table, NOTATION_KEYS, "notation")
    style = _choice(table.get("style", "net_out"), STYLES, "notation.style", "notation style")
    defaults = NotationSpec()
    return NotationSpec(
        style=style,
        target=name(table.get("target", defaults.target), "notation.target"),
        error=name(table.get("error", defaults.error), "notation.error"),
        learning_rate=name(table.get("learning_rate", defaults.learning_rate), "notation.learning_rate"),
    )


def titles(data: Mapping[str, Any]) -> dict[str, str | None]:
    """`title`, `title_en`, `title_zh`: each one printable line, or None (every kind of spec has them)."""
    out: dict[str, str | None] = {}
    for key in ("title", "title_en", "title_zh"):
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise SpecError(f"expected a string, got {_show(value)}", key=key)
        out[key] = None if value is None else one_line(value, key)
    return out


def whole_training(value: Any, why: str) -> TrainingSpec:
    """[training] of a model trained as a whole (a graph, an unrolled recurrent network): the layer-by-layer keys
    (sequential update, hand rounding, biases decayed apart) are refused, `why` saying so."""
    training = _training(value)
    if training.layer_update != "simultaneous" or training.rounding is not None or training.decay_biases:
        bad = ("layer_update" if training.layer_update != "simultaneous" else
               "rounding" if training.rounding is not None else "decay_biases")
        raise SpecError(f"{bad} {why}", key=f"training.{bad}")
    return training


def _training(value: Any) -> TrainingSpec:
    table = _table(value, "training", "a [training] table")
    _keys(table, TRAINING_KEYS, "training")
    update = _choice(table.get("update", "batch"), UPDATES, "training.update", "update")
    batch_size = None
    if update == "minibatch":
        if "batch_size" not in table:
            raise SpecError("update = \"minibatch\" needs batch_size = N (the samples of each update)",
                            key="training.batch_size")
        batch_size = _positive_int(table["batch_size"], "training.batch_size")
    elif "batch_size" in table:
        raise SpecError(f"batch_size is for update = \"minibatch\"; update is {update!r}", key="training.batch_size")
    momentum = number(table.get("momentum", 0), "training.momentum")
    if not 0 <= momentum < 1:
        raise SpecError(f"expected a momentum from 0 up to (not including) 1, got {_show(table['momentum'])}",
                        key="training.momentum")
    decay = number(table.get("weight_decay", 0), "training.weight_decay")
    if decay < 0:
        raise SpecError(f"expected a weight decay >= 0, got {_show(table['weight_decay'])}",
                        key="training.weight_decay")
    decay_biases = table.get("decay_biases", False)
    if not isinstance(decay_biases, bool):
        raise SpecError(f"expected true or false, got {_show(decay_biases)}", key="training.decay_biases")
    layer_update = _choice(table.get("layer_update", "simultaneous"), LAYER_UPDATES, "training.layer_update",
                           "layer update")
    rounding = None
    if "rounding" in table:
        rounding = table["rounding"]
        if isinstance(rounding, bool) or not isinstance(rounding, int) or not 0 <= rounding <= MAX_DECIMALS:
            raise SpecError(f"expected a number of decimals (an integer from 0 to {MAX_DECIMALS}), got "
                            f"{_show(rounding)}", key="training.rounding")
    rule = _choice(table.get("rule", "gradient"), RULES, "training.rule", "learning rule")
    if rule == "perceptron":
        other = [k for k in table if k not in ("rule", "update")] + (["update"] if update not in ("batch", "online")
                                                                      and "update" in table else [])
        if other:
            raise SpecError(f"rule = \"perceptron\" updates after each sample with w + η (t − y) x and nothing else; "
                            f"expected no {', '.join(other)} beside it", key="training.rule")
        update = "online"
    return TrainingSpec(update, batch_size, momentum, decay, decay_biases, layer_update, rounding, rule)


def _check_rule(training: TrainingSpec, layers: tuple[LayerSpec, ...]) -> None:
    """The perceptron rule trains one layer of step units, and nothing else does (the refusal in _layer)."""
    if training.rule != "perceptron":
        return
    if len(layers) != 1:
        raise SpecError(f"rule = \"perceptron\" trains a single layer of step units (Rosenblatt's rule needs each "
                        f"unit's target; a hidden unit has none), got {len(layers)} layers; expected one layer, or "
                        "differentiable activations and gradient descent (no rule) for a multilayer network",
                        key="training.rule")
    if activations.NAMES[layers[0].activation] != "step":
        raise SpecError(f"rule = \"perceptron\" trains step units, got activation {layers[0].activation!r}; expected "
                        "activation = \"step\" (or no rule: gradient descent)", key="layers[0].activation")


def _display(value: Any, rounding: int | None = None) -> DisplaySpec:
    """The [display] table; without decimals or digits, a [training] rounding = N shows N decimals, so that
    derive and render (with --rounded) round their intermediates to the same N decimals as the training."""
    table = _table(value, "display", "a [display] table")
    _keys(table, DISPLAY_KEYS, "display")
    decimals = _positive_int(table["decimals"], "display.decimals", 0, MAX_DECIMALS) if "decimals" in table else None
    digits = _positive_int(table["digits"], "display.digits", 1, MAX_DIGITS) if "digits" in table else None
    if decimals is not None and digits is not None:
        raise SpecError("expected either 'decimals' or 'digits', not both", key="display")
    if decimals is None and digits is None:
        decimals, digits = (None, 6) if rounding is None else (rounding, None)
    max_paths = _positive_int(table.get("max_paths", 8), "display.max_paths", 1, MAX_PATHS)
    return DisplaySpec(decimals=decimals, digits=digits, max_paths=max_paths)


# --- convolution and pooling layers (their kinds: convolution.py) ----------------------------------------

def _grid_layer(table: Mapping[str, Any], key: str, layer_name: str, kind: str, activation: str | None) -> LayerSpec:
    """A conv1d / conv2d / maxpool / avgpool [[layers]] table: its keys checked (spec.py checked name, kind and
    activation), the kernel's names, stride, padding or the window."""
    pool = kind.endswith("pool")
    allowed = convolution.POOL_KEYS if pool else convolution.CONV_KEYS
    for k in table:
        if k not in allowed:
            raise SpecError(f"a {kind} layer takes the keys {', '.join(allowed)}; got {k!r}", key=f"{key}.{k}")
    activation = activation or ("identity" if pool else "sigmoid")
    options: dict[str, Any] = {}
    if "alpha" in table:
        options["alpha"] = number(table["alpha"], f"{key}.alpha")
    if "gain" in table:
        options["gain"] = number(table["gain"], f"{key}.gain")
        if activations.NAMES[activation] not in activations.WITH_GAIN or options["gain"] <= 0:
            raise SpecError(f"expected a gain > 0 for a {' or '.join(activations.WITH_GAIN)} layer, got gain = "
                            f"{_show(table['gain'])} with activation {activation!r}", key=f"{key}.gain")
    if "function" in table:
        options["function"] = name(table["function"], f"{key}.function")
    if "stride" in table:
        options["stride"] = _ints(table["stride"], f"{key}.stride", "a stride")
    elif pool:
        options["stride"] = (0,)  # the window's size, as PyTorch's default
    if pool:
        if "size" not in table:
            raise SpecError("missing key 'size'; expected the pooling window, e.g. size = 2", key=key)
        return LayerSpec(name=layer_name, kind=kind, activation=activation,
                           window=_ints(table["size"], f"{key}.size", "a window size"), **options)
    if "kernel" not in table:
        raise SpecError("missing key 'kernel'; expected the kernel's weight names, e.g. kernel = [\"k1\", \"k2\"]",
                        key=key)
    kernel, kernel_channels = _kernel(table["kernel"], f"{key}.kernel", 1 if kind == "conv1d" else 2)
    options["kernel_channels"] = kernel_channels
    if "padding" in table:
        raw = table["padding"]
        if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0 or raw > convolution.MAX_GRID:
            raise SpecError(f"expected a number of zeros added on each side (an integer >= 0), got {_show(raw)}",
                            key=f"{key}.padding")
        options["padding"] = raw
    bias: str | tuple[str, ...] | bool | None = None
    if "bias" in table:
        raw = table["bias"]
        if isinstance(raw, bool):
            bias = raw or None
        elif isinstance(raw, str):
            bias = name(raw, f"{key}.bias")
        elif isinstance(raw, list) and raw:
            bias = tuple(name(b, f"{key}.bias[{i}]") for i, b in enumerate(raw))
        else:
            raise SpecError(f"expected a bias name (one per kernel, or one shared), got {_show(raw)}",
                            key=f"{key}.bias")
    return LayerSpec(name=layer_name, kind=kind, activation=activation, kernel=kernel, bias=bias,
                       **options)


def _ints(raw: Any, key: str, what: str) -> tuple[int, ...]:
    items = raw if isinstance(raw, list) else [raw]
    limit = convolution.MAX_GRID
    if not 1 <= len(items) <= 2 or any(isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= limit
                                       for v in items):
        raise SpecError(f"expected {what}: an integer >= 1, or [rows, columns], got {_show(raw)}", key=key)
    return tuple(items)


def _kernel(raw: Any, key: str, dims: int) -> tuple[tuple[tuple[tuple[str, ...], ...], ...], int]:
    """conv1d: ["k1", "k2"] or one such row per kernel; conv2d: a matrix of names, or a list of matrices; over several
    input channels, per kernel a list of slices, one per input channel (conv1d [[["a1", "a2"], ["b1", "b2"]]]: one
    kernel, two channels). Returns per kernel its rows (the slices' rows one after the other) and the slices per
    kernel."""
    example = '["k1", "k2", "k3"]' if dims == 1 else '[["k11", "k12"], ["k21", "k22"]]'
    if not isinstance(raw, list) or not raw:
        raise SpecError(f"expected the kernel's weight names, e.g. {example}, got {_show(raw)}", key=key)
    depth = 0
    probe: Any = raw
    while isinstance(probe, list) and probe:
        depth, probe = depth + 1, probe[0]
    if depth not in (dims, dims + 1, dims + 2):
        raise SpecError(f"expected the kernel's weight names as {example} (or a list of such kernels, one per "
                        "output channel; over several input channels, per kernel a list of them, one per input "
                        "channel)", key=key)
    sliced = depth == dims + 2
    kernels = raw if depth >= dims + 1 else [raw]
    out: list[tuple[tuple[str, ...], ...]] = []
    shape: tuple[int, int] | None = None
    channels: int | None = None
    for c, kernel in enumerate(kernels):
        ck = f"{key}[{c}]" if depth >= dims + 1 else key
        if sliced and (not isinstance(kernel, list) or not kernel):
            raise SpecError(f"expected one slice per input channel, each as {example}, got {_show(kernel)}", key=ck)
        slices = kernel if sliced else [kernel]
        if channels is not None and len(slices) != channels:
            raise SpecError(f"expected {channels} slices (one per input channel) as the first kernel has, got "
                            f"{len(slices)}", key=ck)
        channels = len(slices)
        rows_of_kernel: list[tuple[str, ...]] = []
        for ci, piece in enumerate(slices):
            sk = f"{ck}[{ci}]" if sliced else ck
            rows = [piece] if dims == 1 else piece
            if not isinstance(rows, list) or not rows:
                raise SpecError(f"expected a kernel as {example}, got {_show(piece)}", key=sk)
            parsed = []
            for r, row in enumerate(rows):
                rk = f"{sk}[{r}]" if dims == 2 else sk
                if not isinstance(row, list) or not row or len(row) > convolution.MAX_GRID:
                    raise SpecError(f"expected a row of weight names, got {_show(row)}", key=rk)
                parsed.append(tuple(name(n, f"{rk}[{m}]") for m, n in enumerate(row)))
            if len({len(row) for row in parsed}) != 1:
                raise SpecError(f"expected every row of the kernel to have {len(parsed[0])} names (a rectangle), "
                                f"got rows of {', '.join(str(len(row)) for row in parsed)}", key=sk)
            if shape is not None and (len(parsed), len(parsed[0])) != shape:
                raise SpecError("expected every kernel of the layer to have the first one's shape", key=sk)
            shape = (len(parsed), len(parsed[0]))
            rows_of_kernel += parsed
        out.append(tuple(rows_of_kernel))
    assert channels is not None
    return tuple(out), channels


def _grid_inputs(value: Any, key: str) -> tuple[tuple[str, ...], dict[str, sp.Rational], tuple[int, ...]] | None:
    """`inputs = { x = [[0.1, 0.2], [0.3, 0.4]] }`: the values x11, x12, x21, x22 (x10x1 past 9 rows or columns)
    and the grid's shape (rows, columns); `[["x11", "x12"], ["x21", "x22"]]`: names as a grid (symbolic). None for
    anything else: a list of names, a table of values by name (a recurrent spec's `{ x1 = [...] }`, a sequence over
    time, is read by recurrent.py, not here)."""
    prefix: str | None = None
    if (isinstance(value, Mapping) and len(value) == 1 and isinstance(grids := next(iter(value.values())), list)
            and grids and isinstance(grids[0], list) and grids[0] and isinstance(grids[0][0], list)):
        return _channel_grids(value, key)
    if isinstance(value, list) and value and all(isinstance(row, list) for row in value):
        rows = value
    elif (isinstance(value, Mapping) and len(value) == 1 and isinstance(rows := next(iter(value.values())), list)
          and rows and isinstance(rows[0], list)):
        prefix = name(next(iter(value)), f"{key}.{next(iter(value))}")
        key = f"{key}.{prefix}"
    else:
        return None
    if len(rows) > convolution.MAX_GRID:
        raise SpecError(f"expected at most {convolution.MAX_GRID} rows, got {len(rows)}", key=key)
    width = None
    names, values = [], {}
    for r, row in enumerate(rows):
        if not isinstance(row, list) or not row:
            raise SpecError(f"expected a row (a non-empty list), got {_show(row)}", key=f"{key}[{r}]")
        if width is not None and len(row) != width:
            raise SpecError(f"a grid's rows must all have {width} values (a rectangle); this row has {len(row)}",
                            key=f"{key}[{r}]")
        width = len(row)
        for c, v in enumerate(row):
            where = f"{key}[{r}][{c}]"
            if prefix is None:
                names.append(name(v, where))
                continue
            n = f"{prefix}{r + 1}{c + 1}" if len(rows) <= 9 and len(row) <= 9 else f"{prefix}{r + 1}x{c + 1}"
            names.append(n)
            values[n] = number(v, where)
    assert width is not None
    if len(names) > convolution.MAX_GRID:
        raise SpecError(f"expected at most {convolution.MAX_GRID} inputs, got {len(names)}", key=key)
    return tuple(names), values, (len(rows), width)


def _channel_grids(value: Mapping[str, Any], key: str
                   ) -> tuple[tuple[str, ...], dict[str, sp.Rational], tuple[int, ...]]:
    """`inputs = { x = [[[...], ...], [[...], ...]] }`: one grid per channel, the values named as convolution
    outputs are (convolution.position_name): x1_11, x1_12, ..., x2_11, ...; shape (channels, rows, columns). One
    grid alone is the plain grid x11, x12, ..."""
    prefix = name(next(iter(value)), f"{key}.{next(iter(value))}")
    key = f"{key}.{prefix}"
    grids = value[prefix] if prefix in value else next(iter(value.values()))
    names: list[str] = []
    values: dict[str, sp.Rational] = {}
    shape: tuple[int, ...] | None = None
    for c, grid in enumerate(grids):
        parsed = _grid_inputs({prefix: grid}, f"{key}[{c}]") if isinstance(grid, list) else None
        if parsed is None or not all(isinstance(row, list) for row in grid):
            raise SpecError(f"expected a grid of numbers per channel ([[...], [...]]), got {_show(grid)}",
                            key=f"{key}[{c}]")
        _, grid_values, grid_shape = parsed
        if shape is not None and grid_shape != shape:
            raise SpecError(f"every channel's grid must have the first one's shape {shape[0]} × {shape[1]}; this "
                            f"one is {grid_shape[0]} × {grid_shape[1]}", key=f"{key}[{c}]")
        shape = grid_shape
        if len(grids) == 1:
            return parsed
        for pos in itertools.product(*map(range, grid_shape)):
            n = convolution.position_name(prefix, c, pos, grid_shape)
            names.append(n)
            values[n] = grid_values[convolution.position_name(prefix, None, pos, grid_shape)]
    assert shape is not None
    if len(names) > convolution.MAX_GRID:
        raise SpecError(f"expected at most {convolution.MAX_GRID} inputs, got {len(names)}", key=key)
    return tuple(names), values, (len(grids), *shape)
