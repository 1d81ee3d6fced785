"""The TeX lecture of backpropagation through time (Beamer zh/en, article, snippet): every number printed for an
error term (per neuron and in matrix form), a gradient and an update against sympy.diff of the whole unrolled loss,
written out in this test from the recurrence (never the library's circuit); '=' only where the printed numbers give
the printed value; the highlighted edges of a weight's frame exactly the edges on a path from one of its uses to E,
found here from the recurrence; and real xelatex compiles (marker tex) without an overfull box, a display shrunk
below 85 % or a frame running into its footline, for both bundled examples in both languages and every format."""

from __future__ import annotations

import re
import shutil
import tomllib
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import sympy as sp

from symbackprop.backward import derive_circuit
from symbackprop.circuit import load_model
from symbackprop.render.compile import compile_pdf
from symbackprop.render.formats import RenderOptions
from symbackprop.render.recurrent_lecture import render_recurrent

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = [ROOT / "examples" / "recurrent" / "elman_per_step.toml", ROOT / "examples" / "recurrent" /
            "elman_last_step.toml"]
IDS = [p.stem for p in EXAMPLES]
USE, PATH = "orange!90!black", "red!75!black"  # the figure's colours of a weight's uses and of their paths


# --- the network written out from the recurrence, and its truth by sympy.diff of the whole loss ------------------

class Net:
    """h_t = tanh(U x_t + V h_{t−1} + b), y_t = W h_t + c (the bundled examples' activations), E = Σ ½ (y − target)²
    at the steps with a target. A symbol s added to every net input gives δ = ∂E/∂s at s = 0."""

    def __init__(self, path: Path) -> None:
        with path.open("rb") as f:
            data = tomllib.load(f)
        rec, out = data["layers"]
        assert data["loss"] == "half_sse" and rec["activation"] == "tanh" and out["activation"] == "identity"
        self.T = len(next(iter(data["inputs"].values())))
        self.xs = {name: [sp.Rational(str(v)) for v in values] for name, values in data["inputs"].items()}
        self.inputs = list(self.xs)
        self.U, self.V, self.W = rec["weights"], rec["recurrent_weights"], out["weights"]
        self.b, self.c = rec["bias"], [out["bias"]] * len(self.W) if isinstance(out["bias"], str) else out["bias"]
        self.n, self.m = len(self.V), len(self.W)
        raw = data["targets"]
        self.per_step = isinstance(next(iter(raw.values())), list)
        self.targets = {k: [sp.Rational(str(v)) for v in (raw[f"y{k + 1}"] if self.per_step
                                                          else [raw[f"y{k + 1}"]])] for k in range(self.m)}
        self.eta = sp.Rational(str(data["learning_rate"]))
        self.values = {p: sp.Rational(str(v)) for p, v in data["params"].items()}
        p = {name: sp.Symbol(name) for name in self.values}
        s_h = {(j, t): sp.Symbol(f"sh{j}_{t}") for j in range(self.n) for t in range(1, self.T + 1)}
        s_y = {(k, t): sp.Symbol(f"sy{k}_{t}") for k in range(self.m) for t in range(1, self.T + 1)}
        h: dict[tuple[int, int], Any] = {(j, 0): sp.Integer(0) for j in range(self.n)}
        y: dict[tuple[int, int], Any] = {}
        E: Any = sp.Integer(0)
        for t in range(1, self.T + 1):
            for j in range(self.n):
                net = sum((p[self.U[j][i]] * self.xs[x][t - 1] for i, x in enumerate(self.inputs)), sp.Integer(0))
                net += sum(p[self.V[j][k]] * h[(k, t - 1)] for k in range(self.n)) + p[self.b[j]] + s_h[(j, t)]
                h[(j, t)] = sp.tanh(net)
            for k in range(self.m):
                y[(k, t)] = sum(p[self.W[k][j]] * h[(j, t)] for j in range(self.n)) + p[self.c[k]] + s_y[(k, t)]
            if t in self.target_steps():
                E += sum(sp.Rational(1, 2) * (y[(k, t)] - self.target(k, t)) ** 2 for k in range(self.m))
        at = {**{p[name]: v for name, v in self.values.items()}, **{s: 0 for s in (*s_h.values(), *s_y.values())}}

        def value(expr: Any) -> sp.Float:
            return sp.N(expr.subs(at), 40)

        self.h = {key: value(v) for key, v in h.items()}
        self.y = {key: value(v) for key, v in y.items()}
        self.delta = {key: value(sp.diff(E, s)) for key, s in s_h.items()}
        self.eps = {key: value(sp.diff(E, s)) for key, s in s_y.items()}
        self.grad = {name: value(sp.diff(E, p[name])) for name in self.values}

    def target_steps(self) -> range:
        return range(1, self.T + 1) if self.per_step else range(self.T, self.T + 1)

    def target(self, k: int, t: int) -> sp.Rational:
        return self.targets[k][t - 1 if self.per_step else 0]

    def terms(self, name: str) -> list[tuple[Any, Any]]:
        """The terms of ∂E/∂name over the steps (δ, the value it multiplies; 1 for a bias), from the recurrence."""
        out: list[tuple[Any, Any]] = []
        for t in range(1, self.T + 1):
            for j in range(self.n):
                out += [(self.delta[(j, t)], self.xs[x][t - 1]) for i, x in enumerate(self.inputs)
                        if self.U[j][i] == name]
                out += [(self.delta[(j, t)], self.h[(k, t - 1)]) for k in range(self.n) if self.V[j][k] == name]
                out += [(self.delta[(j, t)], None)] if self.b[j] == name else []
        for t in self.target_steps():
            for k in range(self.m):
                out += [(self.eps[(k, t)], self.h[(j, t)]) for j in range(self.n) if self.W[k][j] == name]
                out += [(self.eps[(k, t)], None)] if self.c[k] == name else []
        return out


@cache
def net(path: Path) -> Net:
    return Net(path)


# --- reading the printed lecture -----------------------------------------------------------------------------

NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?: \\times 10\^\{-?\d+\})?")
RELATION = re.compile(r" (=|\\approx|\\leftarrow) ")


def number(text: str) -> Decimal:
    mantissa, _, exp = text.partition(r" \times 10^{")
    return Decimal(mantissa) * (Decimal(10) ** int(exp.rstrip("}")) if exp else 1)


def numbers(text: str) -> list[Decimal]:
    text = re.sub(r"\\(?:begin|end)\{bmatrix\}", " ", text)
    return [number(m.group()) for m in NUMBER.finditer(text)]


def blocks(tex: str) -> list[tuple[str, list[str], list[str]]]:
    """Every align* of a snippet: its left side, its right sides and the relations before them."""
    out = []
    for m in re.finditer(r"\\begin\{align\*\}\n(.*?)\n\\end\{align\*\}", tex, re.S):
        rows = m.group(1).split(" \\\\\n")
        lhs = rows[0].split("&", 1)[0].strip()
        rest = " ".join(r.split("&", 1)[1].replace(r"\qquad {}", "") for r in rows)
        parts = RELATION.split(" " + rest.strip() + " ")
        out.append((lhs, [p.strip() for p in parts[2::2]], parts[1::2]))
    return out


def close(printed: Decimal, truth: Any) -> bool:
    """The printed number is the truth rounded to 6 significant digits (trailing zeros dropped), or closer."""
    t = Decimal(str(sp.N(truth, 30)))
    if t == 0:
        return printed == 0
    return abs(printed - t) <= Decimal("0.5000001") * Decimal(10) ** (t.adjusted() - 5)


def rounds_to(exact: Decimal, printed: Decimal) -> bool:
    """Whether exact, rounded as the lecture rounds (6 significant digits, trailing zeros dropped), prints printed."""
    if exact == 0:
        return printed == 0
    q = Decimal(10) ** (exact.adjusted() - 5)
    return exact.quantize(q, rounding=ROUND_HALF_EVEN).normalize() == printed.normalize()


def check_relation(rel: str, exact: Decimal, printed: Decimal, what: str) -> None:
    """'=' only where the numbers as printed give the printed value; '≈' where they do not."""
    assert rounds_to(exact, printed) == (rel == "="), (what, rel, exact, printed)


def snippet(path: Path, lang: str = "en") -> str:
    return render_recurrent(derive_circuit(load_model(path)), "snippet", RenderOptions(lang=lang))


def neuron_step(lhs: str) -> tuple[str, int, int]:
    m = re.fullmatch(r"\\(delta|varepsilon)\^\{\\mathrm\{([a-z]+)(\d+)\}\}_\{t(\d+)\}", lhs)
    assert m, lhs
    return m.group(1), int(m.group(3)) - 1, int(m.group(4))


def param_of(tex: str) -> str:
    m = re.fullmatch(r"([a-z]+)(?:_\{(\d+)\})?", tex)
    assert m, tex
    return m.group(1) + (m.group(2) or "")


# --- the numbers -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", EXAMPLES, ids=IDS)
def test_every_error_term_gradient_and_update_is_the_truth(path: Path) -> None:
    N = net(path)
    seen = {"delta": 0, "varepsilon": 0, "matrix": 0, "gradient": 0, "update": 0}
    for lhs, sides, rels in blocks(snippet(path)):
        value = numbers(sides[-1])
        if lhs.startswith(r"\delta^") or lhs.startswith(r"\varepsilon^"):
            kind, j, t = neuron_step(lhs)
            shown = numbers(sides[2])  # ∂E/∂net = symbols = numbers = value
            if kind == "varepsilon":
                expected = [N.y[(j, t)] - N.target(j, t), 1]
                truth, exact = N.eps[(j, t)], shown[0] * shown[1]
            else:
                expected = []
                if t < N.T:
                    expected += [x for k in range(N.n) for x in (N.values[N.V[k][j]], N.delta[(k, t + 1)])]
                if t in N.target_steps():
                    expected += [x for k in range(N.m) for x in (N.values[N.W[k][j]], N.eps[(k, t)])]
                expected.append(1 - N.h[(j, t)] ** 2)
                truth = N.delta[(j, t)]
                exact = sum((a * b for a, b in zip(shown[:-1:2], shown[1:-1:2], strict=True)), Decimal(0)) * shown[-1]
            assert len(shown) == len(expected) and all(close(a, b) for a, b in zip(shown, expected, strict=True)), \
                (lhs, shown, expected)
            assert len(value) == 1 and close(value[0], truth), (lhs, value, truth)
            check_relation(rels[-1], exact, value[0], lhs)
            seen[kind] += 1
        elif lhs.startswith(r"\delta_"):  # δ_t = (Vᵀ δ_{t+1} + Wᵀ ε_t) ⊙ f′(net_t) in numbers
            t = int(re.fullmatch(r"\\delta_\{t(\d+)\}", lhs).group(1))  # type: ignore[union-attr]
            shown = numbers(sides[1])
            later, target = t < N.T, t in N.target_steps()
            expected = []
            if later:
                expected += [N.values[N.V[k][j]] for j in range(N.n) for k in range(N.n)]  # Vᵀ, row by row
                expected += [N.delta[(k, t + 1)] for k in range(N.n)]
            if target:
                expected += [N.values[N.W[k][j]] for j in range(N.n) for k in range(N.m)]
                expected += [N.eps[(k, t)] for k in range(N.m)]
            expected += [1 - N.h[(j, t)] ** 2 for j in range(N.n)]
            assert len(shown) == len(expected) and all(close(a, b) for a, b in zip(shown, expected, strict=True))
            assert len(value) == N.n and all(close(value[j], N.delta[(j, t)]) for j in range(N.n))
            seen["matrix"] += 1
        elif lhs.startswith(r"\frac{\partial E}{\partial "):
            name = param_of(lhs[len(r"\frac{\partial E}{\partial "):-1])
            terms = N.terms(name)
            assert len(value) == 1 and close(value[0], N.grad[name]), (name, value, N.grad[name])
            assert close(Decimal(str(sum(a * (1 if b is None else b) for a, b in terms))), N.grad[name])  # the sum
            shown = numbers(sides[1])
            expected = [x for a, b in terms for x in ((a,) if b is None else (a, b))]
            assert len(shown) == len(expected) and all(close(a, b) for a, b in zip(shown, expected, strict=True)), \
                (name, shown, expected)
            biases = all(b is None for _, b in terms)
            exact = sum(shown) if biases else sum((a * b for a, b in zip(shown[::2], shown[1::2], strict=True)),
                                                  Decimal(0))
            check_relation(rels[-1], exact, value[0], name)
            seen["gradient"] += 1
        else:  # p ← value − η · gradient = updated
            name = param_of(lhs)
            old, eta, g = numbers(sides[0])
            assert close(old, N.values[name]) and close(eta, N.eta) and close(g, N.grad[name])
            assert close(value[0], N.values[name] - N.eta * N.grad[name])
            seen["update"] += 1
    hidden_terms = N.n * N.T
    assert seen == {"delta": hidden_terms, "varepsilon": N.m * len(N.target_steps()), "matrix": N.T,
                    "gradient": len(N.values), "update": len(N.values)}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_beamer_and_article_print_the_snippets_truths(lang: str) -> None:
    """The slides and the handout print the same displays as the snippet (the one checked number by number)."""
    d = derive_circuit(load_model(EXAMPLES[0]))
    for fmt in ("beamer", "article"):
        text = render_recurrent(d, fmt, RenderOptions(lang=lang))
        for lhs, sides, _ in blocks(snippet(EXAMPLES[0], lang)):
            if not lhs.startswith(r"\delta_"):  # a matrix may be laid out at another width
                assert sides[-1] in text, (fmt, lhs, sides[-1])


# --- the highlighted paths ------------------------------------------------------------------------------------

def edges_of(N: Net) -> dict[tuple[str, str], str | None]:
    """The unrolled network's edges (tail, head) → the weight on it, from the recurrence; node ids as the figure's."""
    edges: dict[tuple[str, str], str | None] = {}
    for t in range(1, N.T + 1):
        for j in range(N.n):
            edges |= {(f"x{i + 1}t{t}", f"h{j + 1}t{t}"): N.U[j][i] for i in range(len(N.inputs))}
            edges |= {(f"h{k + 1}t{t - 1}", f"h{j + 1}t{t}"): N.V[j][k] for k in range(N.n)}
        for k in range(N.m):
            edges |= {(f"h{j + 1}t{t}", f"y{k + 1}t{t}"): N.W[k][j] for j in range(N.n)}
        if t in N.target_steps():
            loss = f"Et{t}" if N.per_step else "E"
            edges |= {(f"y{k + 1}t{t}", loss): None for k in range(N.m)}
            if N.per_step:
                edges[(loss, "E")] = None
    return edges


def expected_paths(N: Net, weight: str) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    edges = edges_of(N)
    after: dict[str, list[str]] = {}
    for a, b in edges:
        after.setdefault(a, []).append(b)

    @cache
    def reaches_loss(node: str) -> bool:
        return node == "E" or any(reaches_loss(b) for b in after.get(node, []))

    uses = {e for e, w in edges.items() if w == weight}
    reached: set[str] = set()
    todo = [b for _, b in uses]
    while todo:
        node = todo.pop()
        if node not in reached:
            reached.add(node)
            todo += after.get(node, [])
    return uses, {(a, b) for a, b in edges if a in reached and reaches_loss(b)}


DRAW = re.compile(r"\\draw\[([^\]]*)\] \((\w+)\) --(?: node\[[^\]]*\] \{\$[^$]*\$\})? \((\w+)\);")


@pytest.mark.parametrize("path", EXAMPLES, ids=IDS)
def test_the_highlighted_edges_are_the_paths_from_the_uses_to_the_loss(path: Path) -> None:
    N = net(path)
    tex = render_recurrent(derive_circuit(load_model(path)), "beamer", RenderOptions(lang="en"))
    frames = re.findall(r"\\begin\{frame\}\{The paths of \$(.+?)\$ through time\}(.*?)\\end\{frame\}", tex, re.S)
    assert [param_of(w) for w, _ in frames] == ["v11", "u1"]
    for w, body in frames:
        drawn = {(a, b): style for style, a, b in DRAW.findall(body)}
        assert set(drawn) == set(edges_of(N)), w  # the whole unrolled network
        uses, paths = expected_paths(N, param_of(w))
        assert {e for e, style in drawn.items() if USE in style} == uses
        assert {e for e, style in drawn.items() if PATH in style} == paths - uses
        assert len(uses) == N.T and paths  # used once at every step; each use reaches E
        assert rf"{{${w}$}}" in body and body.count(rf"{{${w}$}}") == len(uses)  # every use labelled


# --- the command line and real TeX ------------------------------------------------------------------------------

def test_the_command_line_writes_every_format(tmp_path: Path, run_cli) -> None:
    for fmt in ("beamer", "article", "snippet", "markdown"):
        out = tmp_path / f"l.{'md' if fmt == 'markdown' else 'tex'}"
        r = run_cli("render", str(EXAMPLES[1]), "--format", fmt, "--lang", "en", "-o", str(out))
        assert r.returncode == 0 and r.stderr == "", r.stderr
        assert r"\frac{\partial E}{\partial v_{11}}" in out.read_text(encoding="utf-8")
    r = run_cli("render", str(EXAMPLES[0]), "--format", "markdown", "-o", str(tmp_path / "x.md"), "--pdf")
    assert r.returncode == 2 and "--pdf needs -o OUT.tex" in r.stderr and r.stderr.count("\n") == 1


needs_tex = pytest.mark.skipif(shutil.which("latexmk") is None or shutil.which("xelatex") is None,
                               reason="latexmk/xelatex not installed")


@pytest.mark.tex
@needs_tex
@pytest.mark.parametrize("fmt", ["beamer", "article"])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", EXAMPLES, ids=IDS)
def test_the_lecture_compiles_without_overfull_boxes(tmp_path: Path, run_cli, path: Path, lang: str,
                                                     fmt: str) -> None:
    out = tmp_path / f"{path.stem}_{fmt}.tex"
    r = run_cli("render", str(path), "--format", fmt, "--lang", lang, "-o", str(out), "--pdf")
    assert r.returncode == 0, r.stderr
    assert "warning" not in r.stderr, r.stderr  # no overfull box, no display shrunk below 85 %, no frame overflow
    assert out.with_suffix(".pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.tex
@needs_tex
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", EXAMPLES, ids=IDS)
def test_the_snippet_compiles_in_a_plain_document(tmp_path: Path, path: Path, lang: str) -> None:
    text = snippet(path, lang)
    cls = "ctexart" if lang == "zh" else "article"
    tex = tmp_path / "snippet.tex"
    tex.write_text(f"\\documentclass{{{cls}}}\n\\usepackage{{amsmath,amssymb}}\n\\begin{{document}}\n{text}"
                   "\\end{document}\n", encoding="utf-8")
    assert compile_pdf(tex).overfull == ()


@pytest.mark.parametrize("path", EXAMPLES, ids=IDS)
def test_the_markdown_lecture_draws_the_same_paths_as_svg(path: Path) -> None:
    """Markdown has no TikZ: its figure is an SVG of v11's uses and paths, the same edges as the slides'."""
    import base64
    import xml.etree.ElementTree as ET

    from symbackprop.render.recurrent_figure import _HEX

    N = net(path)
    md = render_recurrent(derive_circuit(load_model(path)), "markdown", RenderOptions(lang="en"))
    (alt, data), = re.findall(r"!\[([^\]]*)\]\(data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)\)", md)
    assert "v" in alt
    root = ET.fromstring(base64.b64decode(data))
    lines = {tuple(e.get("data-edge").split()): e.get("stroke")
             for e in root.iter("{http://www.w3.org/2000/svg}line")}
    assert set(lines) == set(edges_of(N))
    uses, paths = expected_paths(N, "v11")
    assert {e for e, colour in lines.items() if colour == _HEX[USE]} == uses
    assert {e for e, colour in lines.items() if colour == _HEX[PATH]} == paths - uses
