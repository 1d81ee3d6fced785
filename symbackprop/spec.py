"""The spec: a TOML file (or the same structure as a Python dict) validated into frozen dataclasses.

Validation here is structural (types, keys, names, numbers); what depends on the whole network
(shapes, duplicate names, which parameters exist) is checked when the network is built. Every error
names the key it is about, and the loader adds the file.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sympy as sp

from .errors import SpecError

NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)?$")
NAME_HELP = "a name of letters and digits starting with a letter, with at most one '_suffix' (e.g. w5, b1, E_total)"

ACTIVATIONS = ("identity", "linear", "sigmoid", "tanh", "relu", "leaky_relu", "softplus", "softmax", "abstract")
LOSSES = ("half_sse", "sse", "mse", "binary_cross_entropy", "bce", "categorical_cross_entropy", "cce",
          "cross_entropy")
STYLES = ("net_out", "in_out", "z_a")
NUMBERINGS = ("target", "source")

TOP_KEYS = ("title", "learning_rate", "loss", "inputs", "targets", "frozen", "layers", "params", "samples",
            "numbering", "batch_loss", "notation", "display")
LAYER_KEYS = ("name", "activation", "weights", "size", "bias", "neurons", "numbering", "function", "alpha")
NOTATION_KEYS = ("style", "target", "error", "learning_rate")
DISPLAY_KEYS = ("decimals", "digits", "max_paths")
SAMPLE_KEYS = ("inputs", "targets")


@dataclass(frozen=True)
class LayerSpec:
    name: str
    activation: str = "sigmoid"
    weights: tuple[tuple[str, ...], ...] | None = None
    size: int | None = None
    bias: str | tuple[str, ...] | bool | None = None
    neurons: tuple[str, ...] | None = None
    numbering: str | None = None
    function: str = "f"
    alpha: sp.Rational = sp.Rational(1, 100)


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


def load_spec(path: str | Path) -> Spec:
    """Read and validate a TOML spec; every problem is a SpecError naming this file."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError("file not found", source=source) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"cannot read the file ({exc})", source=source) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"malformed TOML: {exc}", source=source) from None
    return parse_spec(data, source=source)


def parse_spec(data: Mapping[str, Any], source: str = "<spec>") -> Spec:
    """Validate a spec given as nested dicts (the TOML structure)."""
    try:
        return _parse(data, source)
    except SpecError as exc:
        raise exc.with_source(source) from None


# --- helpers -------------------------------------------------------------------------------------

def number(value: Any, key: str) -> sp.Rational:
    """A TOML number as an exact rational: 0.05 means 1/20, not the nearest double."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SpecError(f"expected a number, got {_show(value)}", key=key)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise SpecError(f"expected a finite number, got {value}", key=key)
        return sp.Rational(repr(value))
    return sp.Integer(value)


def name(value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise SpecError(f"expected a name (string), got {_show(value)}", key=key)
    if not NAME_RE.match(value):
        raise SpecError(f"invalid name {value!r}: expected {NAME_HELP}", key=key)
    return value


def _show(value: Any) -> str:
    text = repr(value)
    kind = type(value).__name__
    return f"{kind} {text[:40]}{'...' if len(text) > 40 else ''}"


def _table(value: Any, key: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise SpecError(f"expected a table, got {_show(value)}", key=key)
    return value


def _keys(table: Mapping[str, Any], allowed: tuple[str, ...], prefix: str) -> None:
    for key in table:
        if key not in allowed:
            where = f"{prefix}.{key}" if prefix else key
            raise SpecError(f"unknown key; expected one of {', '.join(allowed)}", key=where)


def _choice(value: Any, choices: tuple[str, ...], key: str, what: str) -> str:
    if not isinstance(value, str) or value not in choices:
        raise SpecError(f"unknown {what} {_show(value)}; expected one of {', '.join(choices)}", key=key)
    return value


def _positive_int(value: Any, key: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise SpecError(f"expected an integer >= {minimum}, got {_show(value)}", key=key)
    return value


def _names(value: Any, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise SpecError(f"expected a non-empty list of names, got {_show(value)}", key=key)
    return tuple(name(item, f"{key}[{i}]") for i, item in enumerate(value))


def _values(value: Any, key: str) -> dict[str, sp.Rational]:
    table = _table(value, key)
    if not table:
        raise SpecError("expected at least one entry", key=key)
    return {name(k, f"{key}.{k}"): number(v, f"{key}.{k}") for k, v in table.items()}


# --- the spec ------------------------------------------------------------------------------------

def _parse(data: Mapping[str, Any], source: str) -> Spec:
    data = _table(data, "")
    _keys(data, TOP_KEYS, "")
    if "layers" not in data:
        raise SpecError("missing: at least one [[layers]] table is required", key="layers")
    raw_layers = data["layers"]
    if not isinstance(raw_layers, list) or not raw_layers:
        raise SpecError("expected a non-empty array of tables [[layers]]", key="layers")
    layers = tuple(_layer(layer, f"layers[{i}]") for i, layer in enumerate(raw_layers))

    inputs = data.get("inputs")
    targets = data.get("targets")
    input_names: tuple[str, ...] | None = None
    first = SampleSpec()
    target_names: tuple[str, ...] | None = None
    first_inputs: dict[str, sp.Rational] = {}
    first_targets: dict[str, sp.Rational] = {}
    if isinstance(inputs, list):
        input_names = _names(inputs, "inputs")
    elif inputs is not None:
        first_inputs = _values(inputs, "inputs")
        input_names = tuple(first_inputs)
    if isinstance(targets, list):
        target_names = _names(targets, "targets")
    elif targets is not None:
        first_targets = _values(targets, "targets")
    if first_inputs or first_targets:
        first = SampleSpec(first_inputs, first_targets)

    samples: tuple[SampleSpec, ...]
    if "samples" in data:
        raw = data["samples"]
        if not isinstance(raw, list) or not raw:
            raise SpecError("expected a non-empty array of tables [[samples]]", key="samples")
        if first_inputs or first_targets:
            raise SpecError("give numeric inputs/targets either at the top level or in [[samples]], not both",
                            key="samples")
        parsed = []
        for i, item in enumerate(raw):
            key = f"samples[{i}]"
            table = _table(item, key)
            _keys(table, SAMPLE_KEYS, key)
            for part in SAMPLE_KEYS:
                if part not in table:
                    raise SpecError(f"missing key '{part}'", key=key)
            parsed.append(SampleSpec(_values(table["inputs"], f"{key}.inputs"),
                                     _values(table["targets"], f"{key}.targets")))
        samples = tuple(parsed)
        if input_names is None:
            input_names = tuple(samples[0].inputs)
    else:
        samples = (first,)
    if input_names is None:
        raise SpecError("missing: give the inputs as a table of values or a list of names", key="inputs")

    params: dict[str, sp.Rational] = {}
    if "params" in data:
        params = {name(k, f"params.{k}"): number(v, f"params.{k}") for k, v in _table(data["params"], "params").items()}
    frozen: tuple[str, ...] = ()
    if "frozen" in data:
        if not isinstance(data["frozen"], list):
            raise SpecError(f"expected a list of parameter names, got {_show(data['frozen'])}", key="frozen")
        frozen = tuple(name(v, f"frozen[{i}]") for i, v in enumerate(data["frozen"]))

    lr = number(data["learning_rate"], "learning_rate") if "learning_rate" in data else None
    title = data.get("title")
    if title is not None and not isinstance(title, str):
        raise SpecError(f"expected a string, got {_show(title)}", key="title")
    return Spec(
        input_names=input_names,
        layers=layers,
        loss=_choice(data.get("loss", "half_sse"), LOSSES, "loss", "loss"),
        samples=samples,
        target_names=target_names,
        learning_rate=lr,
        params=params,
        frozen=frozen,
        numbering=_choice(data.get("numbering", "target"), NUMBERINGS, "numbering", "numbering rule"),
        batch_loss=_choice(data.get("batch_loss", "sum"), ("sum", "mean"), "batch_loss", "batch loss"),
        notation=_notation(data.get("notation", {})),
        display=_display(data.get("display", {})),
        title=title,
        source=source,
        explicit_samples="samples" in data,
    )


def _layer(value: Any, key: str) -> LayerSpec:
    table = _table(value, key)
    _keys(table, LAYER_KEYS, key)
    if "name" not in table:
        raise SpecError("missing key 'name' (the neurons' prefix, e.g. \"h\")", key=key)
    layer_name = table["name"]
    if not isinstance(layer_name, str) or not re.match(r"^[A-Za-z][A-Za-z0-9]*$", layer_name):
        raise SpecError(f"expected a layer name of letters and digits, got {_show(layer_name)}", key=f"{key}.name")
    activation = _choice(table.get("activation", "sigmoid"), ACTIVATIONS, f"{key}.activation", "activation")

    weights = None
    if "weights" in table:
        raw = table["weights"]
        if not isinstance(raw, list) or not raw:
            raise SpecError("expected a matrix of names: one row per neuron of this layer", key=f"{key}.weights")
        rows = []
        for r, row in enumerate(raw):
            if isinstance(row, str):  # a single-column layer may give its row as one name
                row = [row]
            if not isinstance(row, list) or not row:
                raise SpecError(f"expected a row (list) of weight names, got {_show(row)}",
                                key=f"{key}.weights[{r}]")
            rows.append(tuple(name(w, f"{key}.weights[{r}][{c}]") for c, w in enumerate(row)))
        weights = tuple(rows)
    size = _positive_int(table["size"], f"{key}.size") if "size" in table else None
    neurons = _names(table["neurons"], f"{key}.neurons") if "neurons" in table else None
    if weights is None and size is None and neurons is None:
        raise SpecError("give 'weights' (a matrix of names), or 'size' (and a numbering rule)", key=key)

    bias: str | tuple[str, ...] | bool | None = None
    if "bias" in table:
        raw_bias = table["bias"]
        if isinstance(raw_bias, bool):
            bias = raw_bias or None
        elif isinstance(raw_bias, list):
            bias = _names(raw_bias, f"{key}.bias")
        else:
            bias = name(raw_bias, f"{key}.bias")
    numbering = None
    if "numbering" in table:
        numbering = _choice(table["numbering"], NUMBERINGS, f"{key}.numbering", "numbering rule")
    function = name(table.get("function", "f"), f"{key}.function")
    alpha = number(table["alpha"], f"{key}.alpha") if "alpha" in table else sp.Rational(1, 100)
    return LayerSpec(name=layer_name, activation=activation, weights=weights, size=size, bias=bias,
                     neurons=neurons, numbering=numbering, function=function, alpha=alpha)


def _notation(value: Any) -> NotationSpec:
    table = _table(value, "notation")
    _keys(table, NOTATION_KEYS, "notation")
    style = _choice(table.get("style", "net_out"), STYLES, "notation.style", "notation style")
    defaults = NotationSpec()
    return NotationSpec(
        style=style,
        target=name(table.get("target", defaults.target), "notation.target"),
        error=name(table.get("error", defaults.error), "notation.error"),
        learning_rate=name(table.get("learning_rate", defaults.learning_rate), "notation.learning_rate"),
    )


def _display(value: Any) -> DisplaySpec:
    table = _table(value, "display")
    _keys(table, DISPLAY_KEYS, "display")
    decimals = _positive_int(table["decimals"], "display.decimals", 0) if "decimals" in table else None
    digits = _positive_int(table["digits"], "display.digits") if "digits" in table else None
    if decimals is not None and digits is not None:
        raise SpecError("give either 'decimals' or 'digits', not both", key="display")
    if decimals is None and digits is None:
        digits = 6
    max_paths = _positive_int(table.get("max_paths", 8), "display.max_paths")
    return DisplaySpec(decimals=decimals, digits=digits, max_paths=max_paths)
