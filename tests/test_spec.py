"""spec.py: a TOML spec (or the same dict) read into frozen dataclasses — the defaults the README documents, numbers
as exact rationals, and for every key a bad value is one SpecError that names the key and says what was expected.

test_bad_input.py covers the top-level keys, layers, names and samples through files and the command line;
here are the keys it does not reach ([training], [display], [notation], gain, kind, numbering, batch_loss, titles,
alpha), each through parse_spec, and the documented defaults and conversions.
"""

from __future__ import annotations

import copy
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symbackprop.errors import SpecError
from symbackprop.limits import MAX_DECIMALS, MAX_DIGITS, MAX_PATHS
from symbackprop.spec import (
    DEFAULT_ALPHA,
    DisplaySpec,
    LayerSpec,
    NotationSpec,
    Spec,
    TrainingSpec,
    load_spec,
    number,
    parse_spec,
)

BASE: dict[str, Any] = {
    "learning_rate": 0.5,
    "inputs": {"x1": 0.05, "x2": 0.1},
    "targets": {"o1": 0.01},
    "layers": [{"name": "h", "weights": [["w1", "w2"], ["w3", "w4"]], "bias": "b1"},
               {"name": "o", "weights": [["w5", "w6"]]}],
    "params": {"w1": 0.15},
}


def with_(path: str, value: Any) -> dict[str, Any]:
    """BASE with one key set: "training.momentum", "layers[1].gain", "title"."""
    data = copy.deepcopy(BASE)
    node: Any = data
    parts = path.replace("]", "").replace("[", ".").split(".")
    for part in parts[:-1]:
        node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
    node[parts[-1]] = value
    return data


# --- defaults ------------------------------------------------------------------------------------------------

def test_the_documented_defaults() -> None:
    """README: loss half_sse, batch_loss sum, numbering target, [notation] net_out / t / E / eta, [display] 6
    digits and max_paths 8, [training] one full-batch step, a layer sigmoid without bias, leaky_relu α 0.01."""
    spec = parse_spec({"inputs": ["x1"], "layers": [{"name": "h", "size": 1}]})
    assert (spec.loss, spec.batch_loss, spec.numbering) == ("half_sse", "sum", "target")
    assert spec.notation == NotationSpec("net_out", "t", "E", "eta")
    assert spec.display == DisplaySpec(decimals=None, digits=6, max_paths=8)
    assert spec.training == TrainingSpec("batch", None, 0, 0, False, "simultaneous", None)
    assert spec.learning_rate is None and dict(spec.params) == {} and spec.frozen == ()
    assert spec.title is None and spec.source == "<spec>" and not spec.explicit_samples
    layer = spec.layers[0]
    assert layer == LayerSpec(name="h", size=1)
    assert (layer.activation, layer.bias, layer.function, layer.kind) == ("sigmoid", None, "f", "dense")
    assert layer.alpha == DEFAULT_ALPHA == sp.Rational(1, 100) and layer.gain == 1
    assert spec.input_names == ("x1",) and spec.target_names is None
    assert len(spec.samples) == 1 and not spec.samples[0].inputs and not spec.samples[0].targets


def test_the_inputs_and_targets_of_a_numeric_spec_are_its_one_sample() -> None:
    spec = parse_spec(BASE, source="here.toml")
    assert spec.input_names == ("x1", "x2") and spec.source == "here.toml"
    (sample,) = spec.samples
    assert dict(sample.inputs) == {"x1": sp.Rational(1, 20), "x2": sp.Rational(1, 10)}
    assert dict(sample.targets) == {"o1": sp.Rational(1, 100)}
    assert isinstance(spec, Spec) and spec.layers[0].weights == (("w1", "w2"), ("w3", "w4"))


def test_samples_give_the_input_names_in_order() -> None:
    data = {k: v for k, v in BASE.items() if k not in ("inputs", "targets")}
    data["samples"] = [{"inputs": {"x2": 1, "x1": 2}, "targets": {"o1": 0}},
                       {"inputs": {"x2": 3, "x1": 4}, "targets": {"o1": 1}}]
    spec = parse_spec(data)
    assert spec.input_names == ("x2", "x1") and spec.explicit_samples and len(spec.samples) == 2
    assert dict(spec.samples[1].inputs) == {"x2": 3, "x1": 4}


def test_a_rounded_training_shows_as_many_decimals_unless_display_says_otherwise() -> None:
    assert parse_spec(with_("training", {"rounding": 4})).display == DisplaySpec(decimals=4, digits=None)
    assert parse_spec(with_("training", {"rounding": 4}) | {"display": {"digits": 3}}).display.digits == 3
    assert parse_spec(with_("training", {"rounding": 4}) | {"display": {"decimals": 2}}).display.decimals == 2


def test_a_single_column_row_may_be_one_name() -> None:
    spec = parse_spec({"inputs": ["x1"], "layers": [{"name": "h", "weights": ["w1", "w2"]}]})
    assert spec.layers[0].weights == (("w1",), ("w2",))


@pytest.mark.parametrize(("update", "size", "n", "groups"), [
    ("batch", None, 5, [[0, 1, 2, 3, 4]]),
    ("online", None, 3, [[0], [1], [2]]),
    ("minibatch", 2, 5, [[0, 1], [2, 3], [4]]),  # in order; the last one short
    ("minibatch", 7, 3, [[0, 1, 2]]),
])
def test_the_samples_of_each_update(update: str, size: int | None, n: int, groups: list[list[int]]) -> None:
    table: dict[str, Any] = {"update": update} | ({"batch_size": size} if size else {})
    training = parse_spec(with_("training", table)).training
    assert training.per_update(n) == groups


# --- numbers are exact ----------------------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_float_is_the_decimal_it_was_written_as(value: float) -> None:
    """0.05 is 1/20, not the double nearest it: the shortest decimal that reads back as that double."""
    assert number(value, "k") == sp.Rational(Fraction(repr(value)).numerator, Fraction(repr(value)).denominator)


def test_numbers() -> None:
    assert number(0.1, "k") == sp.Rational(1, 10) and number(7, "k") == 7
    assert number(-2.5e-3, "k") == sp.Rational(-1, 400)
    assert number(10 ** 30, "k") == sp.Integer(10) ** 30
    for bad, says in ((True, "got boolean true"), ("0.5", "write it without quotes: 0.5"), (None, "got NoneType"),
                      (float("nan"), "expected a finite number"), (float("inf"), "expected a finite number"),
                      ([1], "got array")):
        with pytest.raises(SpecError) as err:
            number(bad, "params.w1")
        assert err.value.key == "params.w1" and says in str(err.value), str(err.value)


# --- every key: one message naming it and what was expected --------------------------------------------------

CASES = [  # (key set, value, the key named, fragments of the message)
    ("loss", "bce", "loss", ["takes the logarithm", "expected sigmoid or softmax"]),  # on an identity output
    ("batch_loss", "median", "batch_loss", ["unknown batch loss 'median'", "expected one of sum, mean"]),
    ("numbering", "reverse", "numbering", ["unknown numbering rule", "expected one of target, source"]),
    ("title", 5, "title", ["expected a string", "got integer 5"]),
    ("title_en", "a\tb", "title_en", ["control character U+0009", "expected one line"]),
    ("title_zh", "x" * 201, "title_zh", ["expected at most 200 characters", "got 201"]),
    ("layers[0].kind", "conv", "layers[0].kind", ["unknown layer kind 'conv'", "expected one of dense"]),
    ("layers[0].numbering", "other", "layers[0].numbering", ["unknown numbering rule", "target, source"]),
    ("layers[0].function", "f'", "layers[0].function", ["invalid name", "expected a name of letters"]),
    ("layers[0].alpha", "0.1", "layers[0].alpha", ["expected a number", "without quotes"]),
    ("layers[0].gain", 2, "layers[0].gain", ["expected a gain > 0 for a", "sigmoid", "got gain = integer 2",
                                             "with activation 'tanh'"]),  # on a tanh layer
    ("layers[0].neurons", [], "layers[0].neurons", ["expected a non-empty list of names", "empty array"]),
    ("layers[0].name", "h_1", "layers[0].name", ["expected a layer name of letters and digits", "'h_1'"]),
    ("layers[0].bias", [], "layers[0].bias", ["expected a non-empty list of names"]),
    ("notation", "net_out", "notation", ["expected a [notation] table", "got string"]),
    ("notation.style", "za", "notation.style", ["unknown notation style 'za'", "did you mean 'z_a'?"]),
    ("notation.colour", "red", "notation.colour", ["unknown key 'colour'", "expected one of style, target"]),
    ("notation.target", "t 1", "notation.target", ["invalid name 't 1'", "letters and digits"]),
    ("notation.error", 1, "notation.error", ["expected a name", "got integer 1"]),
    ("notation.learning_rate", "\\eta", "notation.learning_rate", ["invalid name"]),
    ("display", [], "display", ["expected a [display] table", "got an empty array"]),
    ("display.digits", 0, "display.digits", ["expected an integer >= 1", "got integer 0"]),
    ("display.digits", MAX_DIGITS + 1, "display.digits", [f"from 1 to {MAX_DIGITS}"]),
    ("display.decimals", MAX_DECIMALS + 1, "display.decimals", [f"from 0 to {MAX_DECIMALS}"]),
    ("display.decimals", 1.5, "display.decimals", ["expected an integer >= 0", "got float 1.5"]),
    ("display.max_paths", 0, "display.max_paths", ["expected an integer >= 1"]),
    ("display.max_paths", MAX_PATHS + 1, "display.max_paths", [str(MAX_PATHS)]),
    ("display.width", 3, "display.width", ["unknown key 'width'", "expected one of decimals, digits, max_paths"]),
    ("training", 1, "training", ["expected a [training] table", "got integer 1"]),
    ("training.update", "stochastic", "training.update", ["unknown update 'stochastic'", "batch, online, minibatch"]),
    ("training.update", "minibatch", "training.batch_size", ["needs batch_size = N"]),
    ("training.batch_size", 2, "training.batch_size", ["batch_size is for update = \"minibatch\""]),
    ("training.momentum", 1, "training.momentum", ["expected a momentum from 0 up to (not including) 1"]),
    ("training.momentum", -0.1, "training.momentum", ["from 0 up to"]),
    ("training.momentum", "0.9", "training.momentum", ["expected a number", "without quotes: 0.9"]),
    ("training.weight_decay", -1, "training.weight_decay", ["expected a weight decay >= 0", "got integer -1"]),
    ("training.decay_biases", "yes", "training.decay_biases", ["expected true or false", "got string 'yes'"]),
    ("training.layer_update", "upward", "training.layer_update", ["unknown layer update", "simultaneous, sequential"]),
    ("training.rounding", MAX_DECIMALS + 1, "training.rounding", [f"an integer from 0 to {MAX_DECIMALS}"]),
    ("training.epochs", 3, "training.epochs", ["unknown key 'epochs'", "expected one of update, batch_size"]),
    ("frozen", ["b 1"], "frozen[0]", ["invalid name"]),
    ("samples", {}, "samples", ["expected a non-empty array of tables [[samples]]", "an empty table"]),
    ("params.w1", [0.1], "params.w1", ["expected a number", "got array [0.1]"]),
]


@pytest.mark.parametrize(("path", "value", "key", "says"), CASES, ids=[f"{c[0]}={c[1]!r}"[:40] for c in CASES])
def test_every_key_names_itself_and_what_was_expected(path: str, value: Any, key: str, says: list[str]) -> None:
    data = with_(path, value)
    if path == "loss":  # a cross-entropy with numbers needs outputs kept in (0, 1): make the output layer linear
        data["layers"][1]["activation"] = "identity"
    if path == "layers[0].gain":
        data["layers"][0]["activation"] = "tanh"
    if path == "training.update" and value == "minibatch":
        data["training"].pop("batch_size", None)
    if path == "training.batch_size":
        data["training"]["update"] = "batch"
    with pytest.raises(SpecError) as err:
        parse_spec(data, source="net.toml")
    e = err.value
    assert e.key == key and e.source == "net.toml", (e.key, e.source)
    text = str(e)
    assert text.startswith(f"net.toml: {key}: ") and len(text.splitlines()) == 1, text
    assert "expected" in text or "needs" in text or "is for" in text, text
    for fragment in says:
        assert fragment in text, (fragment, text)


@pytest.mark.parametrize("value", [0, -1, 0.5, 2])
def test_a_gain_on_a_sigmoid_layer_is_positive(value: float) -> None:
    data = with_("layers[0].gain", value)
    if value > 0:
        assert parse_spec(data).layers[0].gain == number(value, "g")
    else:
        with pytest.raises(SpecError, match=r"layers\[0\]\.gain"):
            parse_spec(data)


def test_a_cross_entropy_without_numbers_may_have_any_output() -> None:
    """The check is about log(0) at numbers: a symbolic network has none."""
    symbolic = {"inputs": ["x1"], "loss": "bce", "layers": [{"name": "o", "size": 1, "activation": "identity"}]}
    assert parse_spec(symbolic).loss == "bce"
    with pytest.raises(SpecError) as err:
        parse_spec({**symbolic, "inputs": {"x1": 1}, "targets": {"o1": 0.5}})
    assert err.value.key == "loss" and "layers[0].activation" in str(err.value)


def test_a_file_is_named_in_its_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad spec.toml"
    path.write_text('inputs = ["x1"]\n[[layers]]\nname = "h"\nsize = 1\n[training]\nmomentum = 2\n', encoding="utf-8")
    with pytest.raises(SpecError) as err:
        load_spec(path)
    assert err.value.source == str(path) and err.value.key == "training.momentum"
    assert str(err.value).startswith(f"{path}: training.momentum: expected a momentum")
    good = tmp_path / "good.toml"
    good.write_text('inputs = ["x1"]\n[[layers]]\nname = "h"\nsize = 1\n', encoding="utf-8")
    assert load_spec(good).source == str(good)


def test_a_spec_is_frozen() -> None:
    spec = parse_spec(BASE)
    with pytest.raises(AttributeError):
        spec.loss = "sse"  # type: ignore[misc]
