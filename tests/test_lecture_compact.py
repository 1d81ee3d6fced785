"""The default lecture is the one a lecturer gives in one class (issue 12, "a lecture, not a dump"): a few
parameters worked in full, the δ of every neuron, a table of every gradient and update; `--full` keeps the
exhaustive deck, `--show` picks the worked parameters, a frozen parameter is a row of the table, not frames.

The table's numbers are checked against an independent SymPy build of the network (sympy.diff of the loss
written out here from the TOML data), in every format; tests/test_lecture_truth.py checks every other
statement of both decks."""

from __future__ import annotations

import re
import shutil
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sympy as sp

from conftest import EXAMPLES, SEED004, SOFTMAX
from symbackprop import Network, derive
from symbackprop.errors import SpecError
from symbackprop.notation import Notation
from symbackprop.render.document import render

needs_tex = pytest.mark.skipif(shutil.which("latexmk") is None or shutil.which("xelatex") is None,
                               reason="TeX Live is not installed (scripts/test.sh installs it)")
IDS = [p.stem for p in EXAMPLES]


def titles(tex: str) -> list[str]:
    """The title of every Beamer frame, in order ('' for the title page)."""
    return [m.group(1) or "" for m in re.finditer(r"^\\begin\{frame\}(?:\[\w\])?(?:\{(.*)\})?$", tex, re.M)]


def gradient_frames(tex: str) -> set[str]:
    """The parameters (as printed) that have frames of their own: 'Gradient of $w_{5}$'."""
    return {m.group(1) for t in titles(tex) if (m := re.match(r"Gradient of \$(.+?)\$", t))}


def deck(path: Path, lang: str = "en", **options: Any) -> str:
    return render(derive(Network.load(path)), "beamer", lang, **options)


def latex_names(path: Path) -> dict[str, str]:
    """Parameter name → as printed (the engine's notation: spelling is structure, not mathematics)."""
    net = Network.load(path)
    nt = Notation(net)
    return {p.name: nt.latex_names[p] for p in net.params}


# -- the size and the shape of the decks ---------------------------------------------------------------------------

def test_the_default_seed004_deck_is_one_class(run_cli) -> None:
    """At most 25 frames (the exhaustive deck had 42): forward pass, error, the chain rule, every neuron's δ,
    w5 and w1 worked in full, the updates, the table, the matrix form, the new forward pass and error."""
    tex = run_cli("render", SEED004, "--lang", "en", check=True).stdout
    found = titles(tex)
    assert 15 <= len(found) <= 25, found
    assert gradient_frames(tex) == {"w_{5}", "w_{1}"}
    for head in ("Forward pass: $h$", "Forward pass: $o$", "The error", "Every parameter's gradient and update",
                 "Parameter update in matrix form — hidden layer $h$",
                 "Parameter update in matrix form — output layer $o$", "Summary"):
        assert head in found, head
    assert any(t.startswith("Backward pass: the gradients — The chain rule (for $w_{5}$)") for t in found)
    assert any(t.startswith("Forward pass with the updated parameters") for t in found)
    # the δ of every neuron, each once, on the δ frames
    deltas = [t for t in found if t.startswith("Error term")]
    body = "".join(re.findall(r"^\\begin\{frame\}\{Error term.*?^\\end\{frame\}", tex, re.S | re.M))
    assert deltas and sorted(re.findall(r"^(\\delta_\{\w+\}) &=", body, re.M)) == [
        r"\delta_{h1}", r"\delta_{h2}", r"\delta_{o1}", r"\delta_{o2}"]
    # the updates worked in full are w5's and w1's; every other one is in the table
    assert sorted(re.findall(r"^\{(w_\{\d\})\}\^\{\+\} &=", tex, re.M)) == ["w_{1}", "w_{5}"]


def test_full_gives_the_exhaustive_seed004_deck(run_cli) -> None:
    compact = run_cli("render", SEED004, "--lang", "zh", check=True).stdout
    full = run_cli("render", SEED004, "--lang", "zh", "--full", check=True).stdout
    assert len(titles(full)) > 40 and len(titles(compact)) <= 25  # every parameter on frames of its own (below)
    assert "全部参数的梯度与更新" not in full  # no table: every parameter has its own frames
    for latex in latex_names(SEED004).values():
        assert any(t.startswith(f"${latex}$ 的梯度") for t in titles(full)), latex


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_full_has_frames_for_every_parameter_and_default_is_shorter(example: Path) -> None:
    full, compact = deck(example, full=True), deck(example)
    assert gradient_frames(full) == set(latex_names(example).values())
    assert len(titles(compact)) < len(titles(full))
    assert len(titles(compact)) <= (30 if example == SOFTMAX else 25)


def test_the_softmax_batch_deck_works_sample_one_and_sums_up_sample_two() -> None:
    """117 frames exhaustive; the default: sample 1 worked (forward pass, error, chain rule over
    every output, δ's, w5 and w1), sample 2 by its values, δ's and the worked gradients, then the batch."""
    tex = deck(SOFTMAX)
    found = titles(tex)
    assert len(found) <= 30, found
    assert gradient_frames(tex) == {r"w_{5}", r"w_{1}"}
    assert "Sample $2$: the same steps" in found
    assert not any(t.startswith("Forward pass: ") and "Sample $2$" in t for t in found)  # summed up, not worked
    assert [t for t in found if t.startswith("The chain rule") and not t.endswith("(continued)")] == [
        r"The chain rule (for $w_{5}$)\quad(Sample $1$)"]
    for k in (1, 2):  # every neuron's δ for both samples
        assert any(t.startswith("Error term") and f"(Sample ${k}$)" in t for t in found)
        assert f"Gradients of the worked parameters\\quad(Sample ${k}$)" in found or k == 1
    assert "The batch error" in found and "Every parameter's gradient and update" in found


# -- --show -----------------------------------------------------------------------------------------------------------

def test_show_picks_the_parameters_worked_in_full(run_cli) -> None:
    tex = run_cli("render", SEED004, "--lang", "en", "--show", "w3, w8", check=True).stdout
    assert gradient_frames(tex) == {"w_{8}", "w_{3}"}
    assert any(t.startswith("Backward pass: the gradients — The chain rule (for $w_{8}$)") for t in titles(tex))
    assert sorted(re.findall(r"^\{(w_\{\d\})\}\^\{\+\} &=", tex, re.M)) == ["w_{3}", "w_{8}"]
    # output layer first, whatever the order given
    order = [t for t in titles(tex) if t.startswith("Gradient of")]
    assert order.index("Gradient of $w_{8}$") < order.index("Gradient of $w_{3}$")
    # a hidden weight only: the chain rule frame still explains the first output weight
    hidden = deck(SEED004, show=["w2"])
    assert gradient_frames(hidden) == {"w_{2}"}
    assert any("The chain rule (for $w_{5}$)" in t for t in titles(hidden))
    assert deck(SEED004, show="w5,w1") == deck(SEED004)  # the default, named


def test_markdown_and_article_follow_show_and_full() -> None:
    d = derive(Network.load(SEED004))
    md = render(d, "markdown", "en", show=["w6"])
    assert re.findall(r"^### Gradient of \$(.+?)\$", md, re.M) == ["w_{6}"]
    assert "### Every parameter's gradient and update" in md
    full_md = render(d, "markdown", "en", full=True)
    assert "Every parameter's gradient and update" not in full_md and "### Gradients of the output-layer" in full_md
    article = render(d, "article", "en", show=["w6", "w2"])
    assert re.findall(r"\\paragraph\{Gradient of \$(.+?)\$\}", article) == ["w_{6}", "w_{2}"]
    assert d.markdown("en", full=True) == full_md  # the Jupyter helper takes the same options


def test_unknown_show_names_give_one_clear_error(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "deck.tex"
    proc = run_cli("render", SEED004, "--show", "w5,w9,wx", "-o", out)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and not out.exists()
    assert proc.stderr.count("\n") == 1, proc.stderr
    line = proc.stderr.strip()
    assert line.startswith("symbackprop: error: --show: ") and "'w9', 'wx'" in line and "'w5'" not in line
    assert "w1, w2, w3, w4, b1, w5, w6, w7, w8, b2" in line  # the names there are
    for bad in ("", ",", "w5,,w1"):
        proc = run_cli("render", SEED004, "--show", bad)
        assert proc.returncode == 2 and "--show" in proc.stderr and "Traceback" not in proc.stderr, bad
    with pytest.raises(SpecError, match="unknown parameter 'W5'"):
        render(derive(Network.load(SEED004)), "markdown", "en", show=["W5"])


# -- frozen parameters and the table ----------------------------------------------------------------------------------

def table_rows(text: str, fmt: str) -> dict[str, list[str]]:
    """The table of every gradient and update: parameter as printed → its cells (math, without $ and marks)."""
    if fmt == "markdown":
        block = text.split("gradient and update\n", 1)[1].strip("\n").split("\n\n", 1)[0]
        lines = [line.strip("| ").split(" | ") for line in block.splitlines()[2:]]
    else:
        part = text.split("gradient and update}", 1)[1].split("matrix form", 1)[0]
        block = re.findall(r"\\midrule\n(.*?)\\bottomrule", part, re.S)
        lines = [row.removesuffix(r" \\").split(" & ") for b in block for row in b.strip().splitlines()
                 if row.startswith("$") and "&" in row]
    rows = {}
    for cells in lines:
        cells = [c.strip().removesuffix(r"\rlap{${}^{*}$}").removesuffix(r"\*").strip().strip("$") for c in cells]
        rows[cells[0]] = cells[1:]
    return rows


def test_a_frozen_parameter_is_one_row_not_frames() -> None:
    tex = deck(SEED004)
    assert not any("b_{1}" in t or "b_{2}" in t for t in titles(tex))
    assert not re.search(r"^\{b_\{\d\}\}\^\{\+\} &=", tex, re.M)  # no update display of its own
    rows = table_rows(tex, "beamer")
    assert rows["b_{1}"][-1] == rows["b_{1}"][0] == "0.35" and rows["b_{2}"][-1] == "0.6"
    assert re.search(r"^\$b_\{1\}\$ & .* & 0\.35\\rlap\{\$\{\}\^\{\*\}\$\} \\\\$", tex, re.M)  # marked frozen
    assert "Parameters marked * are frozen" in tex.split("Every parameter's gradient and update", 1)[1]


def sympy_network(path: Path) -> tuple[list[sp.Expr], dict[sp.Symbol, sp.Rational], dict[str, Any]]:
    """The spec's losses (one per sample) written out here in SymPy from the TOML data alone, and its values."""
    with path.open("rb") as f:
        data = tomllib.load(f)
    params = {name: sp.Symbol(name) for name in data["params"]}
    values = {params[k]: sp.Rational(str(v)) for k, v in data["params"].items()}
    samples = data.get("samples") or [{"inputs": data["inputs"], "targets": data["targets"]}]
    losses = []
    for sample in samples:
        a = [sp.Rational(str(v)) for v in sample["inputs"].values()]
        for layer in data["layers"]:
            bias = layer["bias"]
            biases = [bias] * len(layer["weights"]) if isinstance(bias, str) else bias
            nets = [sum((params[w] * x for w, x in zip(row, a, strict=True)), params[b])
                    for row, b in zip(layer["weights"], biases, strict=True)]
            a = {"sigmoid": lambda z: [1 / (1 + sp.exp(-x)) for x in z], "tanh": lambda z: [sp.tanh(x) for x in z],
                 "softmax": lambda z: [sp.exp(x) / sum(sp.exp(y) for y in z) for x in z]}[layer["activation"]](nets)
        t = [sp.Rational(str(v)) for v in sample["targets"].values()]
        losses.append({"half_sse": sum((ti - oi) ** 2 for ti, oi in zip(t, a, strict=True)) / 2,
                       "cce": -sum(ti * sp.log(oi) for ti, oi in zip(t, a, strict=True))}[data["loss"]])
    return losses, values, data


def agrees(printed: str, true: sp.Expr) -> bool:
    """The printed decimal is the true value rounded to the digits printed."""
    d = Decimal(printed)
    exact = Decimal(str(sp.N(true, 40)))
    return abs(d - exact) <= Decimal(5).scaleb(d.as_tuple().exponent - 1) * (1 + Decimal("1e-9"))


@pytest.mark.parametrize(("example", "fmt"), [(SEED004, "beamer"), (SEED004, "article"), (SEED004, "markdown"),
                                              (SOFTMAX, "beamer"), (SOFTMAX, "markdown")],
                         ids=["seed004-beamer", "seed004-article", "seed004-markdown", "softmax-beamer",
                              "softmax-markdown"])
def test_the_table_is_every_gradient_and_update_of_sympy_diff(example: Path, fmt: str) -> None:
    """Each row: the value, ∂E/∂p (with several samples each sample's and the batch's mean) and p⁺ = p − η·∂E/∂p
    (the value itself when frozen) are sympy.diff of the loss written out here, rounded as printed."""
    losses, values, data = sympy_network(example)
    n = len(losses)
    batch = sum(losses) / n if data.get("batch_loss") == "mean" else sum(losses)
    eta = sp.Rational(str(data["learning_rate"]))
    frozen = set(data.get("frozen", []))
    rows = table_rows(render(derive(Network.load(example)), fmt, "en"), fmt)
    printed = latex_names(example)
    assert set(rows) == set(printed.values())
    for name, latex in printed.items():
        cells = rows[latex]
        p = sp.Symbol(name)
        gradient = sp.diff(batch, p).xreplace(values)
        assert agrees(cells[0], values[p])
        if n == 1:
            assert len(cells) == 3
            assert agrees(cells[1].rsplit(" = ", 1)[1], gradient), (name, cells)
        else:
            assert len(cells) == 4 + n
            for k, loss in enumerate(losses):
                assert agrees(cells[2 + k], sp.diff(loss, p).xreplace(values)), (name, k, cells)
            assert agrees(cells[2 + n], gradient), (name, cells)
        updated = values[p] if name in frozen else values[p] - eta * gradient
        assert agrees(cells[-1], updated), (name, cells[-1], sp.N(updated))


# -- the real TeX engine ----------------------------------------------------------------------------------------------
# (every example's default deck, beamer and article, zh and en: tests/test_render.py)

@needs_tex
@pytest.mark.parametrize(("example", "lang", "options"),
                         [(SEED004, "zh", ["--full"]), (SOFTMAX, "en", ["--full"]),
                          (SEED004, "en", ["--show", "w8,b1,w2"]), (SOFTMAX, "zh", ["--show", "b4,w4", "--rounded"])],
                         ids=["seed004-full-zh", "softmax-full-en", "seed004-show-en", "softmax-show-zh"])
@pytest.mark.tex
def test_full_and_show_decks_compile_without_overfull_boxes(example: Path, lang: str, options: list[str],
                                                            tmp_path: Path, run_cli) -> None:
    out = tmp_path / "deck.tex"
    proc = run_cli("render", example, "--lang", lang, *options, "-o", out, "--pdf", check=True)
    assert (tmp_path / "deck.pdf").stat().st_size > 10_000
    assert "warning" not in proc.stderr, proc.stderr  # no overfull box, nothing shrunk below 85 %, nothing cut off
