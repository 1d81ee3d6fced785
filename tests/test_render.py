"""Rendering: every bundled example in every format and both languages, compiled by a real TeX engine
(xelatex + ctex) with no error and no overfull box; Markdown math validated by KaTeX; hostile text stays
text; printed numbers are the true value of what is printed."""

from __future__ import annotations

import ast
import operator
import re
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
import sympy as sp
from katex_check import katex_errors, katex_unavailable, math_spans

from conftest import EXAMPLES, ROOT, SEED000, SEED002, SEED004
from symbackprop import Network, derive
from symbackprop.numbers import Format
from symbackprop.render.compile import compile_pdf
from symbackprop.render.document import render
from symbackprop.render.equations import Writer

needs_tex = pytest.mark.skipif(shutil.which("latexmk") is None or shutil.which("xelatex") is None,
                               reason="TeX Live is not installed (scripts/test.sh installs it)")
IDS = [p.stem for p in EXAMPLES]


def _snippet_document(text: str, lang: str) -> str:
    cls = "ctexart" if lang == "zh" else "article"
    return f"\\documentclass{{{cls}}}\n\\usepackage{{amsmath,amssymb}}\n\\begin{{document}}\n{text}\\end{{document}}\n"


@needs_tex
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
@pytest.mark.tex
def test_beamer_and_article_compile_without_overfull_boxes(example: Path, lang: str, tmp_path: Path, run_cli) -> None:
    for fmt in ("beamer", "article"):
        out = tmp_path / f"{fmt}.tex"
        proc = run_cli("render", example, "--format", fmt, "--lang", lang, "-o", out, "--pdf", check=True)
        assert (tmp_path / f"{fmt}.pdf").stat().st_size > 10_000
        assert f"wrote {tmp_path / f'{fmt}.pdf'}" in proc.stderr
        # the CLI warns of every overfull box over 1pt, display or table shrunk below 85 %, frame cut off
        assert "warning" not in proc.stderr, proc.stderr


@needs_tex
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
@pytest.mark.tex
def test_snippets_compile_in_a_plain_document(example: Path, lang: str, tmp_path: Path) -> None:
    text = render(derive(Network.load(example)), "snippet", lang)
    assert text.count(r"\begin{align*}") >= 2
    tex = tmp_path / "snippet.tex"
    tex.write_text(_snippet_document(text, lang), encoding="utf-8")
    assert compile_pdf(tex).overfull == ()


@pytest.mark.skipif(katex_unavailable() is not None, reason=str(katex_unavailable()))
@pytest.mark.katex
def test_markdown_math_parses_in_katex() -> None:
    spans: list[tuple[str, bool]] = []
    for example in EXAMPLES:
        d = derive(Network.load(example))
        for lang in ("zh", "en"):
            for rounded in (False, True):
                found = math_spans(render(d, "markdown", lang, rounded=rounded, iterations=3))
                assert sum(display for _, display in found) >= 10, example
                spans += found
        if d.after is not None and len(d.network.samples) == 1:  # the exercise and its answers, and --full
            for lang in ("zh", "en"):
                spans += math_spans(render(d, "markdown", lang, exercise=True, full=True))
    assert katex_errors(spans) == []


def test_markdown_has_the_lecture_in_order() -> None:
    text = render(derive(Network.load(SEED004)), "markdown", "zh")
    order = ["## 参数初始化", "## 正向传播", "## 误差", "## 反向传播：梯度计算", "## 参数更新",
             "## 更新参数后再次正向传播"]
    positions = [text.index(h) for h in order]
    assert positions == sorted(positions)
    english = render(derive(Network.load(SEED004)), "markdown", "en")
    assert "## Forward pass" in english and "正向传播" not in english


# -- hostile text ---------------------------------------------------------------------------------

HOSTILE_TITLE = r"\input{/etc/passwd} \immediate\write18{touch pwned} $x$ 50% #1 & a_b ^ ~ {} \\ end"


@needs_tex
@pytest.mark.parametrize("fmt", ["beamer", "article"])
@pytest.mark.tex
def test_a_hostile_title_is_printed_literally_and_runs_nothing(fmt: str, tmp_path: Path, run_cli) -> None:
    spec = tmp_path / "hostile.toml"
    title = "title = '''" + HOSTILE_TITLE + "'''"
    body = re.sub(r"^title = .*$", lambda _: title, SEED004.read_text(encoding="utf-8"), count=1, flags=re.MULTILINE)
    spec.write_text(body, encoding="utf-8")
    out = tmp_path / "deck.tex"
    run_cli("render", spec, "--format", fmt, "--lang", "en", "-o", out, "--pdf", check=True)
    assert not (tmp_path / "pwned").exists() and not (ROOT / "pwned").exists()
    text = subprocess.run(["pdftotext", str(tmp_path / "deck.pdf"), "-"], capture_output=True, text=True).stdout
    squeezed = " ".join(text.split())
    assert r"\input{/etc/passwd}" in squeezed and r"\immediate\write18{touch pwned}" in squeezed
    assert "root:" not in text


def test_hostile_title_is_escaped_in_every_format() -> None:
    d = derive(Network.load(SEED004))
    for fmt in ("beamer", "article", "snippet"):
        text = render(d, fmt, "en", title=HOSTILE_TITLE)
        assert r"\input{" not in text and r"\write18" not in text
        assert r"\textbackslash{}input\{/etc/passwd\}" in text
    md = render(d, "markdown", "en", title=HOSTILE_TITLE)
    assert r"\$x\$" in md.splitlines()[0]  # a dollar in the title cannot open math


def test_a_hostile_name_is_refused_before_rendering(tmp_path: Path, run_cli) -> None:
    spec = tmp_path / "bad.toml"
    spec.write_text(SEED004.read_text(encoding="utf-8").replace('"w1"', '"w1\\\\input"', 1), encoding="utf-8")
    proc = run_cli("render", spec, "-o", tmp_path / "x.tex")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and not (tmp_path / "x.tex").exists()


# -- honest numbers -------------------------------------------------------------------------------

_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def _value(text: str) -> Fraction:
    """Exact value of printed arithmetic (numbers, + − · × /, parentheses): an independent reading."""
    tree = ast.parse(text.replace("·", "*").replace("×", "*"), mode="eval").body

    def ev(node: ast.AST) -> Fraction:
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return Fraction(Decimal(repr(node.value)))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -ev(node.operand)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](ev(node.left), ev(node.right))
        raise ValueError(f"not plain arithmetic: {ast.dump(node)}")

    return ev(tree)


def _round(x: Fraction | sp.Expr, decimals: int) -> Decimal:
    d = Decimal(x.numerator) / Decimal(x.denominator) if isinstance(x, Fraction) else Decimal(str(sp.Float(x, 60)))
    return d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


@pytest.mark.parametrize("rounded", [False, True])
@pytest.mark.parametrize("example", [SEED004, SEED000], ids=["seed004", "seed000"])
def test_every_printed_result_is_the_value_of_what_is_printed(example: Path, rounded: bool) -> None:
    d = derive(Network.load(example))
    w = Writer(d, "text", Format(decimals=4), rounded=rounded)
    checked = 0
    for p in d.params:
        eq = w.gradient(p)
        result, last = eq.steps[-1], eq.steps[-2]
        printed = _value(last.text)
        assert result.rel == ("=" if _round(printed, 4) == Decimal(result.text) else "≈"), (p.name, eq)
        if rounded:  # as the seeds do: the result is what the printed numbers give
            assert _round(printed, 4) == Decimal(result.text)
        else:  # exact: the result is the true derivative (derive.py's value is checked against sympy.diff elsewhere)
            assert _round(p.gradient, 4) == Decimal(result.text)
        checked += 1
    for p in d.params:
        eq = w.update(p)
        if not p.frozen:
            printed = _value(eq.steps[-2].text)
            assert eq.steps[-1].rel == ("=" if _round(printed, 4) == Decimal(eq.steps[-1].text) else "≈")
            checked += 1
    assert checked >= 8


def test_rounded_mode_carries_printed_numbers_into_the_next_pass() -> None:
    """Seed 002 (linear, so every printed line is plain arithmetic): with rounding as the seeds do, the second
    forward pass starts from the updated weights as printed, and each result is its printed numbers' value."""
    d = derive(Network.load(SEED002))
    w = Writer(d, "text", Format(decimals=3), rounded=True)
    printed_updates = {p.param: w.update(p).steps[-1].text for p in d.params}
    after = w.after()
    for p, text in printed_updates.items():
        assert after.numbers[p] == text  # the new pass uses exactly the printed weights
    for s in d.network.quantities:
        if d.network.quantities[s].definition is None or s == d.network.error:
            continue
        eq = after.defined(s)
        if len(eq.steps) == 2:  # out = In: the substituted number is the result itself
            assert eq.steps[-1].text == after.numbers[d.network.quantities[s].definition]
            continue
        assert Decimal(eq.steps[-1].text) == _round(_value(eq.steps[-2].text), 3), eq
        assert eq.steps[-1].rel == "="


@pytest.mark.parametrize(("mul", "sign"), [("times", r"\times"), ("dot", r"\cdot"), ("none", r"\cdot")])
def test_multiplication_sign_option(mul: str, sign: str) -> None:
    d = derive(Network.load(SEED004))
    text = render(d, "snippet", "en", mul=mul)
    assert sign in text  # numbers always need a visible sign
    if mul != "times":
        assert r"\times" not in text
    if mul == "none":  # symbols are juxtaposed: δ_o1 out_h1, not δ_o1 · out_h1
        assert r"\delta_{o1} \mathit{out}_{h1}" in text


def test_decimals_option_reaches_the_document(run_cli) -> None:
    out = run_cli("render", SEED004, "--format", "markdown", "--lang", "en", "--decimals", "3", check=True).stdout
    assert "0.082" in out and "0.0821670" not in out


@pytest.mark.tex
def test_pdf_needs_an_output_file(run_cli) -> None:
    proc = run_cli("render", SEED004, "--pdf")
    assert proc.returncode == 2 and "--pdf" in proc.stderr and "Traceback" not in proc.stderr


def test_initial_values_of_a_large_network_spread_over_several_frames_each_value_once() -> None:
    """A 6-8-2 network has 74 parameters: the init tables (10 rows, 6 per frame) take two frames, titled
    (1/2) and (2/2), and every parameter's row appears exactly once across them."""
    layers = [{"name": "h", "activation": "sigmoid", "size": 8, "bias": [f"b{r + 1}" for r in range(8)]},
              {"name": "o", "activation": "sigmoid", "size": 2, "bias": ["c1", "c2"]}]
    spec = {"layers": layers, "learning_rate": 0.5, "inputs": {f"x{i + 1}": 0.1 for i in range(6)},
            "targets": {"o1": 0.2, "o2": 0.8}}
    names = [p.name for p in Network.from_dict(spec).params]
    net = Network.from_dict({**spec, "params": {n: round(0.01 * (k + 1), 2) for k, n in enumerate(names)}})
    assert len(net.params) == 74
    tex = render(derive(net, max_paths=0), "beamer", "en")
    frames = re.findall(r"\\begin\{frame\}\{Parameter initialization( \((\d)/(\d)\))?\}(.*?)\\end\{frame\}", tex, re.S)
    assert [(f[1], f[2]) for f in frames] == [("1", "2"), ("2", "2")]
    rows = [row for f in frames for row in re.findall(r"^\$(.+?)\$ & (\S+?)(?:\\rlap\S*)? \\\\$", f[3], re.M)]
    # 74 parameters + 6 inputs + 2 targets + η, each once
    assert len(rows) == 83 and len(set(rows)) == 83
    assert ("w_{1}", "0.01") in rows and ("c_{2}", "0.74") in rows
