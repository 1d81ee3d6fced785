"""`check` on graph specs: answers about a circuit's nodes and leaves, judged against the truth.

The truth of every test is computed here, independently of the code under test: CS231n's published numbers
(f = (x + y)z at x = −2, y = 5, z = −4: ∂f/∂x = ∂f/∂y = −4, ∂f/∂z = 3; the sigmoid neuron: dx = [0.39, −0.59],
dw = [−0.20, −0.39, 0.20]) and, for every quantity of every bundled one-sample graph, sympy.diff of the output
written out again in this file and evaluated with mpmath. Each right answer has a wrong twin that must be rejected,
so that a checker that accepts everything cannot pass; each classic mistake must be named."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import mpmath
import pytest
import sympy as sp

from symbackprop.check.answers import Answer, Answers
from symbackprop.check.circuit_check import check_circuit_answers
from symbackprop.circuit import Circuit
from symbackprop.styles import name_latex

GRAPHS = Path(__file__).resolve().parents[1] / "examples" / "graphs"
ADD = GRAPHS / "cs231n_add_multiply.toml"
NEURON = GRAPHS / "cs231n_sigmoid_neuron.toml"
STAGED = GRAPHS / "cs231n_staged.toml"


def verdicts(spec: Path, *answers: tuple[str, str]) -> list[tuple[str, str]]:
    """(verdict, first diagnosis kind) of each (quantity, latex), judged as one student's answers in order."""
    c = Circuit.load(spec)
    result = check_circuit_answers(c, Answers("t", None, tuple(Answer(f"a{k}", q, t)
                                                                for k, (q, t) in enumerate(answers))))
    return [(r.verdict, r.diagnosis[0].kind if r.diagnosis else "") for r in result.answers]


def d(of: str, wrt: str) -> str:
    return rf"\frac{{\partial {of}}}{{\partial {wrt}}}"


def test_cs231n_add_multiply_published_gradients() -> None:
    """CS231n's -4, -4, 3 through the chain rule as its notes write it: right; the classic slips: named."""
    assert verdicts(
        ADD,
        ("df/dx", d("f", "x") + " = " + d("f", "q") + d("q", "x") + r" = z \cdot 1 = -4"),
        ("df/dy", d("f", "y") + " = -4"),
        ("df/dz", d("f", "z") + " = q = x + y = 3"),
        ("q", "q = x + y = -2 + 5 = 3"),
        ("f", r"f = q z = 3 \times (-4) = -12"),
    ) == [("correct", "")] * 5
    assert verdicts(
        ADD,
        ("df/dx", d("f", "x") + " = " + d("f", "q") + d("q", "x") + r" = q \cdot 1 = 3"),  # the multiply gate swaps
        ("df/dz", d("f", "z") + " = z = -4"),
        ("df/dx", d("f", "x") + " = 4"),
        ("f", "f = q z = -11"),
    ) == [("incorrect", "swapped_inputs"), ("incorrect", "swapped_inputs"), ("incorrect", "sign_opposite"),
          ("incorrect", "arithmetic_slip")]


def test_the_answer_must_be_about_the_asked_quantity() -> None:
    """∂f/∂y = z = -4 is true, and equal to ∂f/∂x, but it is not the answer to df/dx; a restatement is nothing."""
    assert verdicts(ADD, ("df/dx", d("f", "y") + " = z = -4"), ("df/dx", d("f", "x"))) == [
        ("incorrect", "other_quantity"), ("incorrect", "incomplete")]


def test_cs231n_sigmoid_neuron_published_numbers() -> None:
    """dot = 1, f = σ(1) = 0.73, (1 − f) f = 0.20; dw0 = −0.20, dx0 = 0.39, dx1 = −0.59 (CS231n, to 2 decimals)."""
    right = verdicts(
        NEURON,
        ("dot", r"\text{dot} = w_0 x_0 + w_1 x_1 + w_2 = 2(-1) + (-3)(-2) - 3 = 1"),
        ("f", r"f = \frac{1}{1+e^{-1}} = 0.73"),
        ("f", r"f = \sigma(1) = 0.7311"),
        ("df/dw0", d("f", "w_0") + " = " + d("f", r"\text{dot}") + d(r"\text{dot}", "w_0")
         + r" = f(1-f)\, x_0 = 0.1966 \times (-1) = -0.20"),
        ("df/dx0", d("f", "x_0") + r" = \sigma(\text{dot})(1 - \sigma(\text{dot}))\, w_0 = 0.39"),
        ("df/dx1", d("f", "x_1") + r" = 0.1966 \times (-3) = -0.59"),
        ("w0+", r"w_0 \leftarrow w_0 - \eta " + d("f", "w_0") + r" = 2 - 0.1 \times (-0.1966) = 2.01966"),
    )
    assert right == [("correct", "")] * 7
    wrong = verdicts(
        NEURON,
        ("df/dw0", d("f", "w_0") + r" = f\, x_0 = -0.73"),  # the activation where its derivative belongs
        ("df/dw0", d("f", "w_0") + " = x_0 = -1"),  # the sigmoid gate's local gradient left out
        ("df/dw0", d("f", "w_0") + " = -0.2"),  # one significant digit
        ("df/dw0", d("f", "w_0") + " = 0"),
        ("df/dx0", d("f", "x_0") + r" = f(1-f)\, x_0 = -0.20"),  # the input's own value: ∂dot/∂x0 is w0
        ("w0+", r"w_0^{+} = w_0 + \eta " + d("f", "w_0") + " = 1.98"),
        ("w0+", r"w_0^{new} = 2 - (-0.1966) = 2.1966"),
    )
    assert wrong == [("incorrect", "activation_for_derivative"), ("incorrect", "local_missing"),
                     ("incorrect", "too_few_digits"), ("incorrect", "too_few_digits"),
                     ("incorrect", "swapped_inputs"), ("incorrect", "update_sign"),
                     ("incorrect", "missing_learning_rate")]


def _staged_truth() -> dict[str, float]:
    """CS231n's staged f(x, y) = (x + σ(y)) / (σ(x) + (x + y)²) at x = 3, y = −4, by sympy.diff, in this file."""
    x, y = sp.symbols("x y")
    sig = lambda u: 1 / (1 + sp.exp(-u))  # noqa: E731
    f = (x + sig(y)) / (sig(x) + (x + y) ** 2)
    at = {x: 3, y: -4}
    return {"x": float(sp.diff(f, x).subs(at)), "y": float(sp.diff(f, y).subs(at)), "f": float(f.subs(at))}


def test_the_staged_function_fan_out_adds() -> None:
    """x feeds num, σ(x) and x + y: its gradient is the sum of three terms; two of them is a missing path."""
    t = _staged_truth()
    sigx = 1 / (1 + mpmath.e ** -3)
    dden = -(3 + 1 / (1 + mpmath.e ** 4)) / (sigx + 1) ** 2
    terms = (f"{float(1 / (sigx + 1)):.4f}", f"{float(dden):.4f}", f"{float(sigx * (1 - sigx)):.4f}",
             f"{float(-2 * dden):.4f}")
    full = (d("f", "x") + " = " + d("f", r"\text{num}") + " + " + d("f", r"\text{sigx}")
            + r"\,\text{sigx}(1-\text{sigx}) + " + d("f", r"\text{xpy}")
            + f" = {terms[0]} + ({terms[1]})({terms[2]}) + {terms[3]} = {t['x']:.4f}")
    two = (d("f", "x") + " = " + d("f", r"\text{num}") + " + " + d("f", r"\text{xpy}")
           + f" = {terms[0]} + {terms[3]} = {float(terms[0]) + float(terms[3]):.4f}")
    assert verdicts(STAGED, ("df/dx", full), ("df/dx", two), ("df/dy", d("f", "y") + f" = {t['y']:.5f}"),
                    ("df/dy", d("f", "y") + f" = {t['y'] + 0.01:.5f}")) == [
        ("correct", ""), ("incorrect", "missing_path"), ("correct", ""), ("incorrect", "")]


def test_a_students_own_name_carries_over() -> None:
    """g defined as ∂f/∂q in one answer is used in the next; a name nobody defined is unparseable, not wrong."""
    assert verdicts(ADD, ("df/dz", "g = " + d("f", "q") + r" = z = -4 \\ " + d("f", "z") + " = q = 3"),
                    ("df/dx", d("f", "x") + r" = g \cdot 1 = -4"),
                    ("df/dy", d("f", "y") + r" = h \cdot 1 = -4")) == [
        ("correct", ""), ("correct", ""), ("unparseable", "")]


def _composed(c: Circuit, cut: str | None = None) -> dict[str, sp.Expr]:
    """Each quantity of a bundled graph in its leaves, rebuilt here from the spec's expression strings; with `cut`,
    that node is a symbol of its own (the output as a function of it, for ∂out/∂node)."""
    from symbackprop.expressions import parse_expression  # the spec's own reader: the strings are the spec's

    out: dict[str, sp.Expr] = {q.name: sp.Symbol(q.name, real=True) for q in c.quantities.values()
                               if q.definition is None}
    for node in c.spec.nodes:
        e = parse_expression(node.expr, {n: sp.Symbol(n, real=True) for n in out})
        out[node.name] = sp.Symbol(node.name, real=True) if node.name == cut else \
            e.xreplace({sp.Symbol(n, real=True): v for n, v in out.items()})
    return out


ONE_SAMPLE = [p for p in sorted(GRAPHS.glob("*.toml")) if "samples" not in p.read_text()]


@pytest.mark.slow
@pytest.mark.parametrize("spec", ONE_SAMPLE, ids=lambda p: p.stem)
def test_every_gradient_of_every_bundled_graph(spec: Path) -> None:
    """∂out/∂q for every leaf and node, as a student gives it (6 significant digits), is correct; the same
    value 2% off is not. The truth: a central difference (mpmath, 40 digits) of the output composed here from the
    spec's expressions, with the quantity made a variable of its own."""
    c = Circuit.load(spec)
    composed = _composed(c)
    out = c.quantities[c.output].name
    at = {sp.Symbol(c.quantities[s].name, real=True): v for s, v in c.values.items()}
    answers: list[tuple[str, str]] = []
    with mpmath.workdps(40):
        values = {n: mpmath.mpf(str(sp.N(e.subs(at), 45))) for n, e in composed.items()}
    for name in composed:
        if name == out:
            continue
        cut = _composed(c, cut=name)[out]
        args = sorted(cut.free_symbols, key=str)
        f = sp.lambdify(args, cut, modules="mpmath")
        with mpmath.workdps(40):  # a central difference in the node's (or leaf's) value, the rest held
            h = mpmath.mpf("1e-12")
            point = [values[str(a)] for a in args]
            k = [str(a) for a in args].index(name)
            v = (f(*point[:k], point[k] + h, *point[k + 1:]) - f(*point[:k], point[k] - h, *point[k + 1:])) / (2 * h)
            v = v if abs(v) > mpmath.mpf("1e-15") else mpmath.mpf(0)  # (the difference's error is about h²)
        text = mpmath.nstr(v, 6, strip_zeros=False) if v != 0 else "0"
        wrong = mpmath.nstr(v * mpmath.mpf("1.02") if v != 0 else mpmath.mpf("0.01"), 6, strip_zeros=False)
        wrt = name_latex(name)  # as the circuit's lecture prints it: the checker reads the lecture's names
        answers += [(f"d{out}/d{name}", d(out, wrt) + f" = {text}"), (f"d{out}/d{name}", d(out, wrt) + f" = {wrong}")]
    got = verdicts(spec, *answers)
    assert [v for v, _ in got[0::2]] == ["correct"] * (len(answers) // 2), answers
    assert [v for v, _ in got[1::2]] == ["incorrect"] * (len(answers) // 2), answers


def test_the_command_line_checks_a_graph_spec(tmp_path: Path) -> None:
    """`check SPEC ANSWERS` on a graph spec: exit 1 with one wrong answer, the JSON contract's fields, zh text."""
    answers = tmp_path / "a.toml"
    answers.write_text(f'spec = "{ADD.as_posix()}"\n'
                       '[[answer]]\nid = "x"\nquantity = "df/dx"\nlatex = \'\'\'' + d("f", "x") + " = -4'''\n"
                       '[[answer]]\nid = "z"\nquantity = "df/dz"\nlatex = \'\'\'' + d("f", "z") + " = z = -4'''\n",
                       encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "symbackprop", "check", str(answers), "--format", "json"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    data = json.loads(run.stdout)
    assert [a["verdict"] for a in data["answers"]] == ["correct", "incorrect"]
    assert {"id", "quantity", "verdict", "lines", "diagnosis", "first_wrong"} <= set(data["answers"][1])
    assert data["answers"][1]["diagnosis"][0]["kind"] == "swapped_inputs"
    zh = subprocess.run([sys.executable, "-m", "symbackprop", "check", str(answers), "--lang", "zh"],
                        capture_output=True, text=True, timeout=120)
    assert "乘积的梯度要交换" in zh.stdout and zh.returncode == 1


@pytest.mark.parametrize(("quantity", "expected"), [("df/dw", "unknown quantity 'df/dw'"),
                                                    ("dg/dx", "unknown quantity 'dg/dx'"),
                                                    ("x+", "expected a parameter of the graph")])
def test_an_unknown_quantity_is_one_message(tmp_path: Path, quantity: str, expected: str) -> None:
    answers = tmp_path / "a.toml"
    answers.write_text(f'[[answer]]\nid = "x"\nquantity = "{quantity}"\nlatex = "0"\n', encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "symbackprop", "check", str(ADD), str(answers)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert expected in run.stderr and "answer[0].quantity" in run.stderr, run.stderr


def test_a_batch_is_judged_by_its_loss_gradients_and_updates(tmp_path: Path) -> None:
    """The AND gate's logistic regression over four samples at w = b = 0 (every p = ½): the summed cross-entropy
    is 4 ln 2 = 2.7726, ∂J/∂b = Σ (p − y) = 3·½ − ½ = 1, ∂J/∂w1 = Σ (p − y) x1 = ½ − ½ = 0, b ← 0 − 0.5·1 = −0.5
    (computed here by hand). A node's value is one sample's: asking for it is one message."""
    spec = GRAPHS / "logistic_regression.toml"
    d_b, d_w1 = d(r"\text{loss}", "b"), d(r"\text{loss}", "w_1")
    update = r"b \leftarrow b - \eta " + d_b + r" = 0 - 0.5 \times 1 = -0.5"
    assert verdicts(spec, ("loss", r"\text{loss} = 4 \ln 2 = 2.7726"), ("dloss/db", d_b + " = 1"),
                    ("dloss/dw1", d_w1 + " = 0"), ("b+", update),
                    ("loss", r"\text{loss} = 2.07"), ("dloss/db", d_b + " = 2"),
                    ("b+", r"b^{+} = b + \eta " + d_b + " = 0.5")) == [
        ("correct", "")] * 4 + [("incorrect", ""), ("incorrect", ""), ("incorrect", "update_sign")]
    answers = tmp_path / "a.toml"
    answers.write_text('[[answer]]\nid = "p"\nquantity = "p"\nlatex = "p = 0.5"\n', encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "symbackprop", "check", str(spec), str(answers)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "several samples" in run.stderr and "Traceback" not in run.stderr


def _lecture_answers(spec: Path) -> list[tuple[str, str]]:
    """Every display of the circuit's lecture (the snippet format) about one quantity, as an answer about it: a
    gradient ∂out/∂q, a node's forward value, a parameter's update."""
    from symbackprop.backward import derive_circuit
    from symbackprop.render.circuit_lecture import render_circuit
    from symbackprop.render.formats import RenderOptions

    c = Circuit.load(spec)
    text = render_circuit(derive_circuit(c), "snippet", RenderOptions(lang="en"))
    latex_of = {name_latex(q.name): q.name for q in c.quantities.values()}
    out = c.quantities[c.output].name
    answers = []
    for block in re.findall(r"\\begin\{align\*\}\n(.*?)\n\\end\{align\*\}", text, re.S):
        head = block.split("&", 1)[0].strip()
        if m := re.fullmatch(r"\\frac\{\\partial (.+)\}\{\\partial (.+)\}", head):
            assert latex_of[m.group(1)] == out
            answers.append((f"d{out}/d{latex_of[m.group(2)]}", block))
        elif "\\leftarrow" in block:
            answers.append((f"{latex_of[head]}+", block))
        elif head in latex_of:
            answers.append((latex_of[head], block))
    return answers


@pytest.mark.parametrize("spec", [ADD, NEURON, STAGED, GRAPHS / "residual_222.toml",
                                  GRAPHS / "per_neuron_missing.toml"], ids=lambda p: p.stem)
def test_the_lecture_lines_are_right_for_the_checker(spec: Path) -> None:
    """The lecture and the checker judge each other: every line the circuit's lecture prints about a quantity
    (upstream × local with its numbers, the forward pass, the updates) is a correct answer about it, and the same
    line with its last number 3% off is not."""
    answers = _lecture_answers(spec)
    assert len(answers) >= 4
    got = verdicts(spec, *answers)
    assert [v for v, _ in got] == ["correct"] * len(answers), list(zip(answers, got, strict=True))
    off = []
    for q, block in answers:
        last = re.findall(r"-?\d+(?:\.\d+)?", block)
        if last and float(last[-1]) != 0:
            off.append((q, block[:block.rindex(last[-1])] + f"{float(last[-1]) * 1.03:.6f}"))
    assert len(off) >= 4
    assert [v for v, _ in verdicts(spec, *off)] == ["incorrect"] * len(off)
