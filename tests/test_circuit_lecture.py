"""The lecture of a circuit (render on a graph spec): every number printed in the LaTeX and Markdown output — forward
values, upstream × local factors, gradients, the table, the updates, the figure's wire labels — is parsed back
from the text and compared with an independent truth: sympy.diff of the whole output composed in the leaves (with
the quantity in question replaced by a free symbol), evaluated with mpmath at 50 digits. A printed value must be
the truth to its last printed digit (exactly where it is printed with =). Plus the command line, the symbolic
circuit, and real xelatex compiles (marker tex) with no overfull box."""

from __future__ import annotations

import re
import shutil
import tomllib
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path
from typing import Any

import mpmath
import pytest
import sympy as sp
import test_circuit as tc
from hypothesis import HealthCheck, assume, given, settings

from symbackprop.backward import derive_circuit
from symbackprop.circuit import Circuit
from symbackprop.render.circuit_lecture import render_circuit, render_circuit_files
from symbackprop.render.formats import RenderOptions
from symbackprop.styles import name_latex

ROOT = Path(__file__).resolve().parents[1]
GRAPHS = sorted((ROOT / "examples" / "graphs").glob("*.toml"))
# the larger bundled graphs (half a minute each): in the full run, left out of the everyday quick one
GRAPH_CASES = [pytest.param(p, marks=pytest.mark.slow) if p.stem in ("attention_3x2", "residual_222") else p
               for p in GRAPHS]
DPS = 50


# -- the truth, independent of backward.py ----------------------------------------------------------------------

class Truth:
    """Forward values, ∂out/∂q for every quantity and ∂user/∂q for every edge, from sympy.diff at DPS digits."""

    def __init__(self, c: Circuit, sample: int = 0) -> None:
        self.c = c
        exact = {s: sp.Rational(v) for s, v in {**c.values, **c.samples[sample]}.items()}
        composed = c.composed()
        self.value = {s: sp.N(composed[s].xreplace(exact), DPS) for s in c.quantities}
        self.latex = {name_latex(q.name): s for s, q in c.quantities.items()}
        self.gradient = {s: self._gradient(s, exact) for s in c.quantities}

    def batch(self) -> dict[sp.Symbol, sp.Expr]:
        """∂(batch loss)/∂q: the samples' gradients summed, or averaged (batch_loss = "mean")."""
        per = [Truth(self.c, k) for k in range(len(self.c.samples))]
        scale = sp.Rational(1, len(per)) if self.c.spec.batch_loss == "mean" else 1
        return {s: scale * sum((t.gradient[s] for t in per), sp.Integer(0)) for s in self.c.quantities}

    def _gradient(self, q: sp.Symbol, exact: dict) -> sp.Expr:
        t = sp.Symbol("t_free", real=True)
        comp: dict[sp.Symbol, sp.Expr] = {}
        for s, quantity in self.c.quantities.items():
            comp[s] = t if s == q else (s if quantity.definition is None else quantity.definition.xreplace(comp))
        derivative = sp.diff(comp[self.c.output], t)
        return sp.N(derivative.xreplace({t: self.value[q]}).xreplace(exact), DPS)

    def local(self, user: sp.Symbol, q: sp.Symbol) -> sp.Expr:
        return sp.N(sp.diff(self.c.quantities[user].definition, q).xreplace(self.value), DPS)


# -- reading numbers back from the text -------------------------------------------------------------------------

def number(text: str) -> tuple[Decimal, Decimal]:
    """A printed number and half a unit of its last digit."""
    text = text.replace(r"\left(", "(").replace(r"\right)", ")").replace("{", "").replace("}", "").strip()
    while text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    m = re.fullmatch(r"(-?\d+(?:\.(\d+))?)(?: ?\\times 10\^(-?\d+))?", text)
    assert m, f"not a number: {text!r}"
    places = len(m.group(2) or "") - int(m.group(3) or 0)
    return Decimal(m.group(1)).scaleb(int(m.group(3) or 0)), Decimal(5).scaleb(-places - 1)


def close(printed: str, truth: sp.Expr, rel: str = r"\approx") -> bool:
    value, half = number(printed)
    with mpmath.workdps(DPS):
        diff = abs(mpmath.mpf(str(value)) - mpmath.mpf(str(truth)))
        if rel == "=":
            return diff < mpmath.mpf(10) ** -40
        return diff <= mpmath.mpf(str(half)) * (1 + mpmath.mpf(10) ** -9)


def top_level(text: str, sep: str) -> list[str]:
    """text split at `sep` outside braces and parentheses."""
    text = text.replace(r"\left(", "(").replace(r"\right)", ")")
    out, depth, start, k = [], 0, 0, 0
    while k < len(text):
        if text[k] in "({":
            depth += 1
        elif text[k] in ")}":
            depth -= 1
        elif depth == 0 and text.startswith(sep, k):
            out.append(text[start:k])
            start = k = k + len(sep)
            continue
        k += 1
    return [p.strip() for p in [*out, text[start:]]]


def blocks(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every aligned/align* display as (left side, [(relation, right side), ...])."""
    out = []
    for _, body in re.findall(r"\\begin\{(aligned|align\*)\}(.*?)\\end\{\1\}", text, re.S):
        body = " ".join(body.replace(r"\\", " ").replace("&", " ").replace(r"\qquad {}", " ").split())
        parts = re.split(r" (=|\\approx|\\leftarrow) ", body)
        out.append((parts[0].strip(), list(zip(parts[1::2], parts[2::2], strict=True))))
    return out


PARTIAL = re.compile(r"\\frac\{\\partial (.+?)\}\{\\partial (.+)\}")
UPSTREAM = re.compile(r"\\frac\{\\partial (.+?)\}\{\\partial (.+?)\} \\cdot ")


def check_displays(c: Circuit, text: str) -> dict[str, int]:
    """Every display of a numeric circuit's lecture against the truth; how many of each kind were checked."""
    truth = Truth(c)
    seen = {"forward": 0, "gradient": 0, "update": 0}
    eta = c.learning_rate
    out_latex = name_latex(c.quantities[c.output].name)
    for lhs, steps in blocks(text):
        rel, last = steps[-1]
        if lhs in truth.latex and steps[0][0] == "=":  # a forward value
            assert close(last, truth.value[truth.latex[lhs]], rel), (lhs, last, rel)
            seen["forward"] += 1
        elif lhs in truth.latex:  # an update: p ← v − η g = new, g the batch's
            p = truth.latex[lhs]
            if any(ch.isdigit() for ch in steps[0][1]):
                new = truth.value[p] - sp.Rational(eta) * truth.batch()[p]
                assert close(last, new, rel), (lhs, last)
                seen["update"] += 1
        else:
            m = PARTIAL.fullmatch(lhs)
            assert m and m.group(1) == out_latex, lhs
            q = truth.latex[m.group(2)]
            assert close(last, truth.gradient[q], rel), (lhs, last, truth.gradient[q])
            seen["gradient"] += 1
            if len(steps) == 3:  # Σ ∂out/∂user · local = the numbers = the value
                users = [truth.latex[UPSTREAM.match(t).group(2)] for t in top_level(steps[0][1], "+")]
                terms = top_level(steps[1][1], "+")
                assert len(users) == len(terms)
                for user, term in zip(users, terms, strict=True):
                    upstream, local = top_level(term, r"\cdot")
                    assert close(upstream, truth.gradient[user]), (lhs, user, upstream)
                    assert close(local, truth.local(user, q)), (lhs, user, local)
    return seen


def check_figures(c: Circuit, text: str) -> int:
    """Every wire label of every figure: above, some quantity's value; below, some quantity's gradient."""
    truth = Truth(c)
    labels = re.findall(r"\\node\[number, (above|below), [^\]]*\] at \([^)]*\) \{\$(.+?)\$\}", text)
    for where, printed in labels:
        pool = truth.value if where == "above" else truth.gradient
        assert any(close(printed, v) for v in pool.values()), (where, printed)
    return len(labels)


def check_table(c: Circuit, text: str, spec: Path) -> int:
    """The table's rows: value as given, the gradient, the updated value (η read from the spec file)."""
    truth = Truth(c)
    eta = tomllib.loads(spec.read_text(encoding="utf-8")).get("learning_rate")
    batch = truth.batch()
    several = len(c.samples) > 1
    rows = re.findall(r"^\$(.+?)\$ & [^&$]+ & (.+?) \\\\$", text, re.M)
    for name, cells in rows:
        q = truth.latex[name]
        value, gradient, *rest = [x.strip() for x in cells.split("&")]
        assert close(value, truth.value[q], "=")
        assert close(gradient, truth.gradient[q])  # the worked sample's
        if several and not rest[0].startswith(r"\multicolumn"):
            assert close(rest.pop(0), batch[q])
        elif several:
            rest.pop(0)
        if rest and rest[0] and not rest[0].startswith(r"\multicolumn"):
            assert close(rest[0], truth.value[q] - sp.Rational(str(eta)) * batch[q])
    return len(rows)


def check_batch(c: Circuit, text: str) -> int:
    """The batch table: each sample's output and ∂out/∂p, then their sum (or mean)."""
    per = [Truth(c, k) for k in range(len(c.samples))]
    rows = re.findall(r"^(\d+|sum|mean) & (?:\$[^$]*\$)? & (.+?) \\\\$", text, re.M)
    assert len(rows) == len(per) + 1
    for label, cells in rows:
        out, *grads = [x.strip() for x in cells.split("&")]
        if label.isdigit():
            t = per[int(label) - 1]
            assert close(out, t.value[c.output]) and all(
                close(g, t.gradient[p]) for g, p in zip(grads, c.params, strict=True))
        else:
            batch = per[0].batch()
            scale = sp.Rational(1, len(per)) if c.spec.batch_loss == "mean" else 1
            assert close(out, scale * sum((t.value[c.output] for t in per), sp.Integer(0)))
            assert all(close(g, batch[p]) for g, p in zip(grads, c.params, strict=True))
    return len(rows)


# -- the tests --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", GRAPH_CASES, ids=lambda p: p.stem)
def test_every_number_of_the_beamer_lecture_is_the_truth(path: Path) -> None:
    c = Circuit.load(path)
    d = derive_circuit(c)
    for lang in ("en", "zh"):
        text = render_circuit(d, "beamer", RenderOptions(lang=lang))
        seen = check_displays(c, text)
        assert seen["forward"] == len(c.nodes)
        assert seen["gradient"] == len(c.quantities)  # ∂out/∂out = 1, then one frame per quantity
        assert seen["update"] == (len(c.params) if c.learning_rate is not None else 0)
        assert check_figures(c, text) > 2 * len(c.quantities)
        assert check_table(c, text, path) == len(c.leaves)
        if len(c.samples) > 1 and lang == "en":
            assert check_batch(c, text) == len(c.samples) + 1
        # a frame per quantity on the way back, after the frames of the circuit and the forward pass
        assert text.count(r"\begin{frame}") >= 4 + len(c.quantities) - 1


def test_the_frame_of_a_fan_out_says_the_uses_add() -> None:
    c = Circuit.load(ROOT / "examples/graphs/cs231n_staged.toml")
    text = render_circuit(derive_circuit(c), "beamer", RenderOptions(lang="en"))
    frame = text.split(r"\begin{frame}{Backward: $x$}")[1].split(r"\end{frame}")[0]
    assert "feeds $3$ gates: the gradients of its uses add up" in frame
    assert frame.count("add gate: distributes the upstream gradient") == 2 and "sigmoid" in frame
    assert r"\draw[wire, red!75!black, line width=2pt] (q0.east)" in frame  # x highlighted in the figure
    zh = render_circuit(derive_circuit(c), "beamer", RenderOptions(lang="zh"))
    assert "ctexbeamer" in zh and "各次使用的梯度相加" in zh


def test_a_heavy_fan_out_prints_the_truth_and_drops_the_figure_where_room_is_short() -> None:
    """x feeds 7 gates (max, sin, exp, tanh among them): every number is the truth; its frame has no figure (the
    sum and the seven uses take the room), a quantity with at most 4 uses keeps its figure."""
    c = Circuit.from_dict(tomllib.loads(FAN_OUT))
    text = render_circuit(derive_circuit(c), "beamer", RenderOptions(lang="en"))
    assert check_displays(c, text)["gradient"] == len(c.quantities)
    frames = {f.split("}", 1)[0]: f for f in text.split(r"\begin{frame}{")[1:]}
    assert "tikzpicture" not in frames["Backward: $x$"] and "feeds $7$ gates" in frames["Backward: $x$"]
    assert "tikzpicture" in frames["Backward: $y$"]


def test_titles_as_the_layered_lecture() -> None:
    """The spec's title serves its own language; the other gets title_zh / title_en or a generated one, the
    output's name in it as math; --title wins, escaped."""
    d = derive_circuit(Circuit.load(ROOT / "examples/graphs/cs231n_sigmoid_neuron.toml"))
    assert r"\title{CS231n: a sigmoid neuron as a circuit}" in render_circuit(d, "beamer", RenderOptions(lang="en"))
    assert r"\title{计算图 $f$ 的反向传播}" in render_circuit(d, "article", RenderOptions(lang="zh"))
    given = render_circuit(d, "beamer", RenderOptions(lang="zh", title=r"50% \input{x}"))
    assert r"\title{50\% \textbackslash{}input\{x\}}" in given


@pytest.mark.parametrize("path", GRAPH_CASES, ids=lambda p: p.stem)
def test_article_snippet_and_markdown_print_the_same_truths(path: Path) -> None:
    c = Circuit.load(path)
    d = derive_circuit(c)
    for fmt in ("article", "snippet", "markdown"):
        seen = check_displays(c, render_circuit(d, fmt, RenderOptions(lang="en")))
        assert seen["forward"] == len(c.nodes) and seen["gradient"] == len(c.quantities), fmt
    article = render_circuit(d, "article", RenderOptions(lang="zh"))
    assert "ctexart" in article and check_table(c, article, path) == len(c.leaves)


def test_decimals_option_rounds_every_number() -> None:
    c = Circuit.load(ROOT / "examples/graphs/cs231n_sigmoid_neuron.toml")
    from symbackprop.numbers import Format
    text = render_circuit(derive_circuit(c), "snippet", RenderOptions(lang="en", form=Format(decimals=2)))
    check_displays(c, text)
    assert "0.20" in text and "0.196612" not in text


def test_numbers_far_from_one_print_with_a_power_of_ten() -> None:
    """A saturated sigmoid: gradients of 10^-16 print as m × 10^n in the displays, the figure and the table (whose
    column is then right-aligned: dcolumn would make such a cell overfull)."""
    c = Circuit.from_dict({"learning_rate": 0.01, "graph": {
        "inputs": {"x": 20}, "params": {"w": 3, "b": 0.5},
        "nodes": [{"name": "z", "expr": "w*x + b"}, {"name": "s", "expr": "sigmoid(z)"},
                  {"name": "L", "expr": "s*1000000000 + b"}]}})
    text = render_circuit(derive_circuit(c), "beamer", RenderOptions(lang="en"))
    assert check_displays(c, text)["gradient"] == len(c.quantities) and check_figures(c, text) > 0
    assert r"1.06222 \times 10^{-16}" in text and ">{$}r<{$}" in text


@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(tc.random_graphs())
def test_random_circuits_print_the_truth(data: dict[str, Any]) -> None:
    c = Circuit.from_dict(data)
    assume(tc._away_from_kinks(c))
    seen = check_displays(c, render_circuit(derive_circuit(c), "snippet", RenderOptions(lang="en")))
    assert seen["gradient"] == len(c.quantities)


def test_the_markdown_figure_is_svg_beside_the_file(tmp_path: Path) -> None:
    c = Circuit.load(ROOT / "examples/graphs/cs231n_sigmoid_neuron.toml")
    files = render_circuit_files(derive_circuit(c), tmp_path / "neuron.md", "markdown", RenderOptions(lang="en"))
    md, svg = files[tmp_path / "neuron.md"], files[tmp_path / "neuron.svg"]
    assert "](neuron.svg)" in md
    root = ET.fromstring(svg)
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    numbers = [x.replace("−", "-") for x in texts if re.fullmatch(r"[−-]?\d+(\.\d+)?", x)]
    assert len(numbers) == 2 * len(c.quantities)  # a value above and a gradient below every wire
    truth = Truth(c)
    assert all(any(close(x, v) for v in [*truth.value.values(), *truth.gradient.values()]) for x in numbers)
    assert "0.731" in numbers and "-0.590" in numbers  # f's value, ∂f/∂x1
    assert "data:image/svg+xml;base64," in render_circuit(derive_circuit(c), "markdown")


def test_a_symbolic_circuit_shows_formulas_without_numbers() -> None:
    c = Circuit.from_dict({"learning_rate": 0.5, "graph": {
        "inputs": ["x", "y"], "params": ["w"],
        "nodes": [{"name": "q", "expr": "w*x + y"}, {"name": "f", "expr": "tanh(q)*y"}]}})
    d = derive_circuit(c)
    for fmt in ("beamer", "article", "markdown", "snippet"):
        text = render_circuit(d, fmt, RenderOptions(lang="en"))
        assert r"\approx" not in text and r"\node[number" not in text, fmt
        gradients = {m.group(2): steps for lhs, steps in blocks(text) if (m := PARTIAL.fullmatch(lhs))}
        assert set(gradients) == {"f", "q", "x", "y", "w"}, fmt
        # ∂f/∂y sums its two uses (y feeds q and f); no step of any gradient has a decimal number
        assert top_level(gradients["y"][0][1], "+")[1].startswith(r"\frac{\partial f}{\partial f}")
        assert len(top_level(gradients["y"][0][1], "+")) == 2
        assert not any(re.search(r"\d\.\d", rhs) for steps in gradients.values() for _, rhs in steps), fmt
        if fmt == "beamer":
            assert "A symbolic circuit" in text
            assert r"w &\leftarrow w - \eta \cdot \frac{\partial f}{\partial w}" in " ".join(text.split())


def test_the_command_line(tmp_path: Path, run_cli) -> None:
    spec = ROOT / "examples/graphs/cs231n_sigmoid_neuron.toml"
    r = run_cli("render", str(spec), "--format", "snippet", "--lang", "en")
    assert r.returncode == 0 and r.stderr == "" and r"\frac{\partial f}{\partial w_{0}}" in r.stdout
    out = tmp_path / "neuron.md"
    r = run_cli("render", str(spec), "--format", "markdown", "-o", str(out), "--title", "A neuron")
    assert r.returncode == 0, r.stderr
    assert out.read_text(encoding="utf-8").startswith("# A neuron") and (tmp_path / "neuron.svg").is_file()
    r = run_cli("render", str(spec), "--format", "snippet", "--pdf")
    assert r.returncode == 2 and "--pdf needs -o OUT.tex" in r.stderr and r.stderr.count("\n") == 1
    r = run_cli("render", str(spec), "--format", "snippet", "--full")
    assert r.returncode == 0 and "--full is for layered specs" in r.stderr


@pytest.mark.katex
def test_the_markdown_math_is_accepted_by_katex() -> None:
    """Every formula of the Markdown lecture (each example, both languages, and a symbolic circuit), found as
    Jupyter finds it, is valid for KaTeX."""
    from katex_check import katex_errors, katex_unavailable, math_spans

    if katex_unavailable() is not None:
        pytest.skip(str(katex_unavailable()))
    symbolic = Circuit.from_dict({"learning_rate": 0.5, "graph": {
        "inputs": ["x", "y"], "params": ["w"],
        "nodes": [{"name": "q", "expr": "w*x + y"}, {"name": "f", "expr": "max(tanh(q), 0)/y"}]}})
    spans = []
    for c in [*map(Circuit.load, GRAPHS), symbolic]:
        for lang in ("en", "zh"):
            spans += math_spans(render_circuit(derive_circuit(c), "markdown", RenderOptions(lang=lang)))
    assert len(spans) > 100 and katex_errors(spans) == []


# -- real TeX: each example in Beamer or the article, each language in both, and a heavy fan-out (6 compiles) ----

FAN_OUT = """
[graph]
inputs = { x = 0.5, y = -1.2 }
params = { p = 0.3 }
nodes = [
  { name = "n0", expr = "x*y" },
  { name = "n1", expr = "sin(x) + p" },
  { name = "n2", expr = "exp(x)*n0" },
  { name = "n3", expr = "max(x, n1)" },
  { name = "n4", expr = "x^2 - n2" },
  { name = "n5", expr = "tanh(x*p)" },
  { name = "out", expr = "n0 + n1 + n2 + n3 + n4 + n5 + x + y + p" },
]
output = "out"
"""  # x feeds 7 gates: its frame's sum runs over five lines, with seven uses listed below it

needs_tex = pytest.mark.skipif(shutil.which("latexmk") is None or shutil.which("xelatex") is None,
                               reason="latexmk/xelatex not installed")


@pytest.mark.tex
@needs_tex
@pytest.mark.parametrize(("name", "fmt", "lang"), [
    ("cs231n_staged", "beamer", "zh"), ("cs231n_sigmoid_neuron", "beamer", "en"), ("fan_out", "beamer", "en"),
    ("cs231n_staged", "article", "en"), ("cs231n_sigmoid_neuron", "article", "zh"),
    ("cs231n_add_multiply", "article", "zh")])
def test_the_lecture_compiles_without_overfull_boxes(tmp_path: Path, run_cli, name: str, fmt: str,
                                                     lang: str) -> None:
    spec = ROOT / "examples/graphs" / f"{name}.toml"
    if name == "fan_out":
        spec = tmp_path / "fan_out.toml"
        spec.write_text(FAN_OUT, encoding="utf-8")
    out = tmp_path / f"{name}_{fmt}.tex"
    r = run_cli("render", str(spec), "--format", fmt, "--lang", lang, "-o", str(out), "--pdf")
    assert r.returncode == 0, r.stderr
    assert "warning" not in r.stderr, r.stderr  # no overfull box, no display shrunk below 85 %, no frame overflow
    assert out.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
