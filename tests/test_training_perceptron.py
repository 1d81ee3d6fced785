"""[training] rule = "perceptron": Rosenblatt's rule for one layer of step units, against Negnevitsky's published
Table 2.3 (the logical AND) and against a loop of fractions written here.

The published table is the independent truth for the bundled example; the loop (w ← w + η (t − y) x, a
threshold θ on a fixed −1 input, step(X) = 1 for X ≥ 0) checks the rule on other networks (trained thresholds,
biases, two units, a run that does not converge).
"""

from __future__ import annotations

import json
import re
import shutil
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT
from symbackprop.errors import SpecError
from symbackprop.network import Network
from symbackprop.perceptron import learn
from symbackprop.render.formats import RenderOptions
from symbackprop.render.perceptron_out import perceptron_text, render_perceptron
from symbackprop.train import train

AND = ROOT / "examples" / "training" / "negnevitsky_perceptron_and.toml"

# Negnevitsky, Artificial Intelligence: A Guide to Intelligent Systems (2nd ed., 2005), Table 2.3, as printed:
# epoch, x1, x2, Yd, initial w1, w2, actual Y, error e, final w1, w2 (θ = 0.2, α = 0.1)
TABLE_2_3 = """
1 0 0 0 0.3 -0.1 0 0 0.3 -0.1
1 0 1 0 0.3 -0.1 0 0 0.3 -0.1
1 1 0 0 0.3 -0.1 1 -1 0.2 -0.1
1 1 1 1 0.2 -0.1 0 1 0.3 0.0
2 0 0 0 0.3 0.0 0 0 0.3 0.0
2 0 1 0 0.3 0.0 0 0 0.3 0.0
2 1 0 0 0.3 0.0 1 -1 0.2 0.0
2 1 1 1 0.2 0.0 1 0 0.2 0.0
3 0 0 0 0.2 0.0 0 0 0.2 0.0
3 0 1 0 0.2 0.0 0 0 0.2 0.0
3 1 0 0 0.2 0.0 1 -1 0.1 0.0
3 1 1 1 0.1 0.0 0 1 0.2 0.1
4 0 0 0 0.2 0.1 0 0 0.2 0.1
4 0 1 0 0.2 0.1 0 0 0.2 0.1
4 1 0 0 0.2 0.1 1 -1 0.1 0.1
4 1 1 1 0.1 0.1 1 0 0.1 0.1
5 0 0 0 0.1 0.1 0 0 0.1 0.1
5 0 1 0 0.1 0.1 0 0 0.1 0.1
5 1 0 0 0.1 0.1 0 0 0.1 0.1
5 1 1 1 0.1 0.1 1 0 0.1 0.1
"""
PUBLISHED = [[F(v) for v in line.split()] for line in TABLE_2_3.strip().splitlines()]


def loop(X: list[list[F]], T: list[list[F]], W: list[list[F]], theta: list[F], eta: F, epochs: int,
         train_theta: bool = True) -> tuple[list[list[Any]], bool]:
    """The perceptron rule written out: per unit j, y = 1 if Σ w_ji x_i − θ_j ≥ 0 else 0, e = t − y,
    w_ji += η e x_i, θ_j −= η e. Rows: (epoch, W before, y, e, W after, θ after)."""
    W = [list(r) for r in W]
    theta = list(theta)
    rows = []
    for epoch in range(1, epochs + 1):
        errors = 0
        for x, t in zip(X, T, strict=True):
            before = [list(r) for r in W]
            y = [F(1) if sum(w * xi for w, xi in zip(W[j], x, strict=True)) - theta[j] >= 0 else F(0)
                 for j in range(len(W))]
            e = [t[j] - y[j] for j in range(len(W))]
            errors += any(e)
            for j in range(len(W)):
                W[j] = [w + eta * e[j] * xi for w, xi in zip(W[j], x, strict=True)]
                if train_theta:
                    theta[j] -= eta * e[j]
            rows.append([epoch, before, y, e, [list(r) for r in W], list(theta)])
        if not errors:
            return rows, True
    return rows, False


def test_negnevitsky_table_2_3_row_for_row() -> None:
    """Every printed line of Table 2.3: the inputs, Yd, the weights before, Y, e and the weights after, in five
    epochs; the fifth has no error and ends with w1 = w2 = 0.1."""
    run = learn(Network.load(AND))
    assert run.converged and run.epochs == 5
    got = [[F(r.epoch), r.inputs["x1"], r.inputs["x2"], r.targets["Y"], r.before["w1"], r.before["w2"],
            r.outputs["Y"], r.errors["Y"], r.after["w1"], r.after["w2"]] for r in run.rows]
    assert got == PUBLISHED
    assert run.params == {"w1": F(1, 10), "w2": F(1, 10), "theta": F(1, 5)}
    assert run.epoch_errors == [2, 1, 2, 1, 0]


def test_the_table_is_also_the_loop_s_and_float64_would_not_be() -> None:
    """The loop written here, in fractions, gives the same table; in float64 (0.3 − 0.1 − 0.2 < 0) it would not:
    the rule has to run exactly."""
    X = [[F(0), F(0)], [F(0), F(1)], [F(1), F(0)], [F(1), F(1)]]
    T = [[F(0)], [F(0)], [F(0)], [F(1)]]
    rows, converged = loop(X, T, [[F("0.3"), F("-0.1")]], [F("0.2")], F("0.1"), 100, train_theta=False)
    assert converged
    assert [[F(r[0]), *X[k % 4], T[k % 4][0], *r[1][0], r[2][0], r[3][0], *r[4][0]]
            for k, r in enumerate(rows)] == PUBLISHED
    w1 = 0.3 - 0.1  # epoch 3, row 4 of a float64 run: w1 + w2 − θ with w1 = 0.2 reached as 0.3 − 0.1
    assert w1 - 0.2 < 0 and F(3, 10) - F(1, 10) - F(1, 5) == 0


def test_every_printed_line_of_the_text_table(run_cli: Any) -> None:
    """`train --format text` and `derive` print the epoch table; each of its 20 rows is Table 2.3's row (with the
    net input between the weights and the output)."""
    for command in (("train", "--format", "text"), ("derive",)):
        proc = run_cli(command[0], AND, *command[1:], check=True)
        rows = [line for line in proc.stdout.splitlines() if re.fullmatch(r"[\s\d.|-]+", line) and "|" in line]
        assert len(rows) == 20, proc.stdout
        for line, published in zip(rows, PUBLISHED, strict=True):
            cells = [F(v) for v in line.replace("|", " ").split()]
            del cells[5]  # the net input, which the book does not print
            assert cells == published[1:], line
        assert "Converged: epoch 5 has no error" in proc.stdout
        assert "w1 = 0.1, w2 = 0.1, θ = 0.2" in proc.stdout
        assert "w1 ← w1 + α·e·x1" in proc.stdout and "θ = 0.2" in proc.stdout


def test_train_json_has_every_row(run_cli: Any) -> None:
    data = json.loads(run_cli("train", AND, check=True).stdout)
    assert data["rule"] == "perceptron" and data["converged"] and data["epochs"] == 5
    assert data["exact"] == {"w1": "1/10", "w2": "1/10", "theta": "1/5"}
    for row, published in zip(data["rows"], PUBLISHED, strict=True):
        assert row["epoch"] == published[0]
        assert [F(str(row["before"]["w1"])), F(str(row["before"]["w2"]))] == published[4:6]
        assert [row["outputs"]["Y"], row["errors"]["Y"]] == published[6:8]
        assert [F(str(row["after"]["w1"])), F(str(row["after"]["w2"]))] == published[8:10]
    two = json.loads(run_cli("train", AND, "--epochs", "2", check=True).stdout)
    assert two["epochs"] == 2 and not two["converged"] and len(two["rows"]) == 8


def spec(layer: dict[str, Any], samples: list[tuple[dict[str, float], dict[str, float]]], params: dict[str, float],
         **top: Any) -> dict[str, Any]:
    return {"learning_rate": 0.25, "training": {"rule": "perceptron"}, "layers": [layer],
            "samples": [{"inputs": x, "targets": t} for x, t in samples], "params": params, **top}


OR_SAMPLES = [({"x1": 0, "x2": 0}, {"y": 0}), ({"x1": 0, "x2": 1}, {"y": 1}), ({"x1": 1, "x2": 0}, {"y": 1}),
              ({"x1": 1, "x2": 1}, {"y": 1})]


def test_a_trained_threshold_moves_by_minus_eta_e() -> None:
    """θ on the −1 input, not frozen: θ ← θ − η e, as the loop here; OR from w = (−0.5, 0.25), θ = 0.5."""
    net = Network.from_dict(spec({"name": "o", "activation": "step", "neurons": ["y"], "weights": [["w1", "w2"]],
                                  "threshold": "th"}, OR_SAMPLES, {"w1": -0.5, "w2": 0.25, "th": 0.5}))
    run = learn(net)
    X = [[F(s[0]["x1"]), F(s[0]["x2"])] for s in OR_SAMPLES]
    rows, converged = loop(X, [[F(s[1]["y"])] for s in OR_SAMPLES], [[F(-1, 2), F(1, 4)]], [F(1, 2)], F(1, 4), 100)
    assert run.converged == converged and len(run.rows) == len(rows)
    for r, expected in zip(run.rows, rows, strict=True):
        assert [r.after["w1"], r.after["w2"], r.after["th"]] == [*expected[4][0], expected[5][0]]
        assert r.outputs["y"] == expected[2][0]


def test_a_bias_moves_by_plus_eta_e_and_two_units_learn_apart() -> None:
    """Two step units (AND and OR of the same inputs), each with its own bias on a +1 input: each unit's weights
    follow its own error, as the loop with θ = −b."""
    samples = [(x, {"a": float(x["x1"] and x["x2"]), "o": float(x["x1"] or x["x2"])}) for x, _ in OR_SAMPLES]
    net = Network.from_dict(spec({"name": "o", "activation": "step", "neurons": ["a", "o"],
                                  "weights": [["v1", "v2"], ["u1", "u2"]], "bias": ["ba", "bo"]}, samples,
                                 {"v1": 0.1, "v2": 0.2, "u1": -0.3, "u2": 0.0, "ba": 0.0, "bo": -0.25}))
    run = learn(net)
    X = [[F(s[0]["x1"]), F(s[0]["x2"])] for s in samples]
    T = [[F(s[1]["a"]), F(s[1]["o"])] for s in samples]
    rows, converged = loop(X, T, [[F(1, 10), F(1, 5)], [F(-3, 10), F(0)]], [F(0), F(1, 4)], F(1, 4), 100)
    assert run.converged and converged and len(run.rows) == len(rows)
    for r, expected in zip(run.rows, rows, strict=True):
        assert [r.after[n] for n in ("v1", "v2", "u1", "u2")] == [*expected[4][0], *expected[4][1]]
        assert [r.after["ba"], r.after["bo"]] == [-expected[5][0], -expected[5][1]]


def test_xor_does_not_converge_and_says_so() -> None:
    """XOR is not linearly separable: the rule stops at the maximum, and the text says how many errors are left."""
    samples = [(x, {"y": float(x["x1"] != x["x2"])}) for x, _ in OR_SAMPLES]
    net = Network.from_dict(spec({"name": "o", "activation": "step", "neurons": ["y"], "weights": [["w1", "w2"]],
                                  "threshold": "th"}, samples, {"w1": 0.0, "w2": 0.0, "th": 0.0}))
    run = learn(net, 30)
    assert not run.converged and run.epochs == 30 and run.epoch_errors[-1] > 0
    assert f"epoch 30, the last made (the maximum), still has {run.epoch_errors[-1]} errors" in perceptron_text(run)


@pytest.mark.parametrize(("change", "key", "words"), [
    ({"training": {}}, "layers[0].activation", "rule = \"perceptron\""),
    ({"extra_layer": True}, "training.rule", "single layer of step units"),
    ({"activation": "sigmoid"}, "layers[0].activation", "expected activation = \"step\""),
    ({"training": {"rule": "perceptron", "momentum": 0.9}}, "training.rule", "expected no momentum"),
    ({"training": {"rule": "perceptron", "update": "minibatch", "batch_size": 2}}, "training.rule", "batch_size"),
    ({"training": {"rule": "hebb"}}, "training.rule", "perceptron"),
])
def test_refusals_name_the_key(change: dict[str, Any], key: str, words: str) -> None:
    data = spec({"name": "o", "activation": change.get("activation", "step"), "neurons": ["y"],
                 "weights": [["w1", "w2"]], "threshold": "th"}, OR_SAMPLES, {"w1": 0.0, "w2": 0.0, "th": 0.0})
    if "training" in change:
        data["training"] = change["training"]
    if change.get("extra_layer"):
        data["layers"] = [{"name": "h", "activation": "step", "neurons": ["h1"], "weights": [["w1", "w2"]]},
                          {"name": "o", "activation": "step", "neurons": ["y"], "weights": [["v1"]]}]
    with pytest.raises(SpecError) as info:
        Network.from_dict(data)
    assert info.value.key == key and words in str(info.value), str(info.value)


def test_cli_refuses_steps_and_a_multilayer_step_network(run_cli: Any, tmp_path: Path) -> None:
    proc = run_cli("train", AND, "--steps", "3")
    assert proc.returncode == 2 and "--epochs" in proc.stderr and "Traceback" not in proc.stderr
    deep = tmp_path / "deep.toml"
    deep.write_text(AND.read_text(encoding="utf-8").replace(
        '[[layers]]\nname = "o"', '[[layers]]\nname = "h"\nactivation = "step"\nneurons = ["h1", "h2"]\n'
        'weights = [["a1", "a2"], ["a3", "a4"]]\n\n[[layers]]\nname = "o"').replace(
        'weights = [["w1", "w2"]]', 'weights = [["w1", "w2"]]'), encoding="utf-8")
    proc = run_cli("train", deep)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    assert "deep.toml: training.rule" in proc.stderr and "got 2 layers" in proc.stderr


def test_gradient_training_refuses_the_rule() -> None:
    with pytest.raises(SpecError, match="not gradient descent"):
        train(Network.load(AND), 1)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_documents_hold_every_row(lang: str) -> None:
    """Markdown and the LaTeX formats: the rule and all 20 rows of Table 2.3 (numbers as the book prints them,
    0 for 0.0), the closing sentence; the title in the document's language."""
    run = learn(Network.load(AND))
    md = render_perceptron(run, "markdown", RenderOptions(lang=lang))
    rows = [line for line in md.splitlines() if line.startswith("| ") and "$" in line and "x_{1}" not in line]
    assert len(rows) == 20
    for line, published in zip(rows, PUBLISHED, strict=True):
        cells = [F(c.strip(" $")) for c in line.strip("|").split("|")[1:]]
        del cells[5]
        assert cells == published[1:], line
    assert r"w_{1} \leftarrow w_{1} + \alpha e x_{1}" in md
    for fmt in ("beamer", "article", "snippet"):
        tex = render_perceptron(run, fmt, RenderOptions(lang=lang))
        assert tex.count(r"\\") >= 20 and r"\leftarrow" in tex
    beamer = render_perceptron(run, "beamer", RenderOptions(lang=lang))
    title = re.search(r"^\\title\{(.*)\}$", beamer, re.M)
    assert title and bool(re.search(r"[\u4e00-\u9fff]", title.group(1))) == (lang == "zh")


@pytest.mark.skipif(shutil.which("latexmk") is None or shutil.which("xelatex") is None,
                    reason="latexmk/xelatex not installed")
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.tex
def test_perceptron_documents_compile_without_warnings(lang: str, tmp_path: Path, run_cli: Any) -> None:
    for fmt in ("beamer", "article"):
        out = tmp_path / f"{fmt}.tex"
        proc = run_cli("render", AND, "--format", fmt, "--lang", lang, "-o", out, "--pdf", check=True)
        assert "warning" not in proc.stderr, proc.stderr
        assert (tmp_path / f"{fmt}.pdf").stat().st_size > 10_000
