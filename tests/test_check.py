"""The checker: the seeds' own derivations, deliberately wrong derivations (each with its diagnosis),
numbers to the precision written, rounding recognised, hostile input, the JSON contract, the batch."""

from __future__ import annotations

import json
import shutil
import string
import subprocess
from pathlib import Path

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from symbackprop import Network, derive
from symbackprop.check.answers import Answer, parse_answers
from symbackprop.check.run import Checker, check_answers

EX = ROOT / "examples"
SEED000, SEED002, SEED003, SEED004 = (EX / f"{n}.toml" for n in
                                      ("seed000_in_out", "seed002_linear", "seed003_symbolic", "seed004_mattmazur"))


def check(spec: Path, *answers: tuple[str, str, str] | tuple[str, str, str, int], min_significant: int = 2):
    data = {"grading": {"min_significant": min_significant},
            "answer": [{"id": a[0], "quantity": a[1], "latex": a[2], **({"step": a[3]} if len(a) > 3 else {})}
                       for a in answers]}
    return {a.id: a for a in check_answers(Network.load(spec), parse_answers(data, "test.toml")).answers}


def verdicts(spec: Path, *answers: tuple[str, str, str] | tuple[str, str, str, int]) -> dict[str, str]:
    """Each answer's verdict, by id (the answers judged as one student's, in order)."""
    return {k: r.verdict for k, r in check(spec, *answers).items()}


def right_and_twin(spec: Path, quantity: str, right: str, twin: str, *before: tuple[str, str, str],
                   step: int | None = None) -> None:
    """A right answer is judged correct and its wrong twin incorrect (each after the answers `before`, as one
    student's sheet; the two judged apart, so that the twin cannot lean on the right one)."""
    extra = (step,) if step is not None else ()
    for name, text, expected in (("right", right, "correct"), ("twin", twin, "incorrect")):
        got = verdicts(spec, *before, (name, quantity, text, *extra))[name]  # type: ignore[arg-type]
        assert got == expected, f"{name}: {got}, expected {expected}"


# -- the seeds' own derivations ---------------------------------------------------------------------

def test_seed003_w5_and_w1_are_correct() -> None:
    r = check(SEED003,
              ("w5", "dE/dw5", r"\frac{\partial E}{\partial w_5} = \frac{\partial E}{\partial out_O} "
                               r"\frac{\partial out_O}{\partial net_O} \frac{\partial net_O}{\partial w_5} "
                               r"= -(target - out_O)out_O(1 - out_O)out_{h_1}"),
              ("w1", "dE/dw1", r"\frac{\partial E}{\partial w_1} = \frac{\partial E}{\partial out_O} "
                               r"\frac{\partial out_O}{\partial net_O} \frac{\partial net_O}{\partial out_{h_1}} "
                               r"\frac{\partial out_{h_1}}{\partial net_{h_1}} \frac{\partial net_{h_1}}{\partial w_1}"
                               r" = -(target - out_O)out_O(1 - out_O)w_5out_{h_1}(1 - out_{h_1})i_1"),
              ("update", "w5+", r"w_5^+ = w_5 - \eta \frac{\partial E}{\partial w_5}"))
    assert {k: a.verdict for k, a in r.items()} == {"w5": "correct", "w1": "correct", "update": "correct"}


def test_seed003_whole_derivation_with_its_where_lines() -> None:
    """Seed 003's own lines: the chain rule, each factor on its own line (f'(net_O), ∂(…)/∂w_5), the result."""
    latex = "\n".join([
        r"\frac{\partial E}{\partial w_5} = \frac{\partial E}{\partial out_O} \frac{\partial out_O}{\partial net_O} "
        r"\frac{\partial net_O}{\partial w_5}",
        r"\frac{\partial E}{\partial out_O} = -(target - out_O)",
        r"\frac{\partial out_O}{\partial net_O} = f'(net_O) = f(net_O)(1 - f(net_O)) = out_O(1 - out_O)",
        r"\frac{\partial net_O}{\partial w_5} = \frac{\partial(out_{h_1}w_5 + out_{h_2}w_6 + b_2)}{\partial w_5} "
        r"= out_{h_1}",
        r"\frac{\partial E}{\partial w_5} = -(target - out_O)out_O(1 - out_O)out_{h_1}"])
    r = check(SEED003, ("w5", "dE/dw5", latex))["w5"]
    assert r.verdict == "correct" and len(r.lines) == 13
    wrong = check(SEED003, ("w5", "dE/dw5", latex.replace("= out_{h_1}\n", "= out_{h_2}\n")))["w5"]
    assert wrong.verdict == "incorrect" and "out_{h_2}" in wrong.lines[wrong.first_wrong].latex


SEED000_ANSWERS = [
    ("w5", "dE/dw5", r"\delta_5 = \frac{\partial Error}{\partial w_5} = \frac{\partial Error}{\partial o_1} \times "
                     r"\frac{\partial o_1}{\partial In_{o_1}} \times \frac{\partial In_{o_1}}{\partial w_5} = "
                     r"0.25 \times 0.48 \times (1 - 0.48) \times 0.56 = 0.03"),
    ("w6", "dE/dw6", r"\delta_6 = \frac{\partial Error}{\partial w_6} = \frac{\partial Error}{\partial o_2} \times "
                     r"\frac{\partial o_2}{\partial In_{o_2}} \times \frac{\partial In_{o_2}}{\partial w_6} = "
                     r"0.60 \times 0.53 \times (1 - 0.53) \times 0.56 = 0.08"),
    ("w1", "dE/dw1", r"\delta_{1} = \frac{\partial Error}{\partial w_{1}} = (\delta_{5} + \delta_{6}) \times "
                     r"\frac{\partial h_{1}}{\partial In_{h_{1}}} \times \frac{\partial In_{h_{1}}}{\partial w_{1}} = "
                     r"(0.03 + 0.08) \times 0.56 \times (1 - 0.56) \times 0.50 = 0.01"),
]


def test_seed000_output_weights_right_and_delta1_wrong_with_the_per_neuron_diagnosis() -> None:
    r = check(SEED000, *SEED000_ANSWERS, min_significant=1)  # the seed writes 0.03 for 0.0346: one digit
    assert r["w5"].verdict == "correct" and r["w6"].verdict == "correct"
    w1 = r["w1"]
    assert w1.verdict == "incorrect"
    wrong = w1.lines[w1.first_wrong]  # the first wrong line is the symbolic (δ5 + δ6)·… line, not a number
    assert r"\delta_{5} + \delta_{6}" in wrong.latex
    assert [d.kind for d in w1.diagnosis] == ["per_weight_delta"]
    # its numbers follow the wrong line, not the truth (−0.0084): never marked correct
    assert all(line.verdict != "correct" for line in w1.lines[w1.first_wrong:])
    assert "w_{5}" in w1.diagnosis[0].corrected and "w_{6}" in w1.diagnosis[0].corrected


def test_seed002_second_forward_pass_is_rounding_not_an_error() -> None:
    """The seed rounds the new weights to two decimals and gets 0.2571; the exact value is 0.2557."""
    r = check(SEED002, ("out", "out", r"out = 0.93 \times 0.1744 + 0.56 \times 0.1694 = 0.2571", 1))["out"]
    assert r.verdict == "correct"
    assert r.lines[-1].verdict == "rounding" and "0.2557" in r.lines[-1].message


# -- numbers to the precision written ---------------------------------------------------------------

@pytest.mark.parametrize(("written", "digits", "verdict"), [
    ("0.03", 1, "correct"), ("0.03", 2, "incorrect"), ("0.035", 2, "correct"), ("0.05", 1, "incorrect"),
    ("0.0346", 2, "correct"), ("0.0347", 2, "incorrect"), ("0.0346", 4, "incorrect"), ("0", 0, "incorrect"),
    ("0.000", 0, "incorrect"), ("3.46e-2", 3, "correct"), ("3.46 \\times 10^{-2}", 3, "correct")])
def test_a_number_is_right_to_the_decimals_written(written: str, digits: int, verdict: str) -> None:
    # seed 000's true ∂Error/∂w5 = 0.034633… (0.03 at 2 decimals, 0.035 at 3, 0.0346 at 4): right to the decimals
    # written, with at least `digits` significant digits; a non-zero value is never right as 0
    r = check(SEED000, ("q", "dE/dw5", rf"\frac{{\partial Error}}{{\partial w_5}} = {written}"),
              min_significant=digits)["q"]
    assert r.verdict == verdict, [line.message for line in r.lines]
    if verdict == "incorrect" and written.startswith("0.0") is False:
        assert r.diagnosis[0].kind == "too_few_digits"


# -- deliberately wrong derivations, each with its diagnosis (seed 004) -----------------------------

W5_WRONG = [
    ("missing_activation_derivative", r"(out_{o1} - target_{o1})\, out_{h1}"),
    ("sign_flipped", r"(target_{o1} - out_{o1})\, out_{o1}(1 - out_{o1})\, out_{h1}"),
    ("factor_two", r"2 (out_{o1} - target_{o1})\, out_{o1}(1 - out_{o1})\, out_{h1}"),
    ("wrong_input", r"(out_{o1} - target_{o1})\, out_{o1}(1 - out_{o1})\, out_{h2}"),
    ("wrong_activation_derivative", r"(out_{o1} - target_{o1})\, (1 - out_{o1}^2)\, out_{h1}"),
]


@pytest.mark.parametrize(("kind", "latex"), W5_WRONG, ids=[k for k, _ in W5_WRONG])
def test_wrong_output_weight_derivations_are_diagnosed(kind: str, latex: str) -> None:
    r = check(SEED004, ("q", "dE/dw5", r"\frac{\partial E_{total}}{\partial w_5} = " + latex))["q"]
    assert r.verdict == "incorrect"
    assert [d.kind for d in r.diagnosis] == [kind]
    assert r"\mathit{out}_{h1}" in r.diagnosis[0].corrected


def test_wrong_downstream_weight_is_diagnosed() -> None:
    latex = (r"\frac{\partial E_{total}}{\partial w_1} = "
             r"(\delta_{o1} w_6 + \delta_{o2} w_7)\, out_{h1}(1 - out_{h1})\, i_1")
    r = check(SEED004, ("q", "dE/dw1", latex))["q"]
    assert [d.kind for d in r.diagnosis] == ["wrong_weight"]


def test_missing_hidden_activation_derivative_is_diagnosed() -> None:
    latex = r"\frac{\partial E_{total}}{\partial w_1} = (\delta_{o1} w_5 + \delta_{o2} w_7)\, i_1"
    r = check(SEED004, ("q", "dE/dw1", latex))["q"]
    assert [d.kind for d in r.diagnosis] == ["missing_activation_derivative"]


def test_updated_weights_in_the_backward_pass_are_diagnosed() -> None:
    """The student's number is ∂E/∂w1 with the new w5, w7 (after one step) but the old activations."""
    net = Network.load(SEED004)
    d = derive(net)
    env = {s: v for s, v in d.forward[0].values.items() if v is not None} | dict(net.values)
    new = {p.param: p.updated for p in d.params}
    closed = d.param("w1").closed_form
    value = closed.xreplace({s: new[s] for s in (net.by_name("w5"), net.by_name("w7"))}).xreplace(env)
    literal = f"{sp.Float(value, 30):.8f}"
    assert literal != f"{sp.Float(d.param('w1').gradient, 30):.8f}"
    r = check(SEED004, ("q", "dE/dw1", rf"\frac{{\partial E_{{total}}}}{{\partial w_1}} = {literal}"))["q"]
    assert r.verdict == "incorrect" and [x.kind for x in r.diagnosis] == ["updated_weights"]


def test_update_sign_is_diagnosed() -> None:
    r = check(SEED004, ("q", "w5+", r"w_5^{+} = w_5 + \eta \frac{\partial E_{total}}{\partial w_5}"))["q"]
    assert [x.kind for x in r.diagnosis] == ["update_sign"]


def test_student_names_carry_meaning_to_later_answers() -> None:
    r = check(SEED004,
              ("a", "delta_o1", r"\Delta_1 = (out_{o1} - target_{o1}) out_{o1} (1 - out_{o1})"),
              ("b", "dE/dw5", r"\frac{\partial E_{total}}{\partial w_5} = \Delta_1\, out_{h1}"))
    assert r["a"].verdict == "correct" and r["b"].verdict == "correct"


# -- hostile input ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("latex", "verdict"), [
    (r"\frac{1}{", "unparseable"),
    (r"\badmacro{w_5}", "unparseable"),
    ("x" * 100_000, "refused"),
    ("(" * 500 + "1" + ")" * 500, "refused"),
    (r"10^{10^{10}}", "refused"),
])
def test_hostile_answers_are_unparseable_or_refused_quickly(latex: str, verdict: str) -> None:
    r = Checker(Network.load(SEED004), limit=5).answer(Answer("q", "dE/dw5", latex))
    assert r.verdict == verdict and r.message  # the checker's own limits stop it: no clock read here


TOKENS = [r"\frac{", "}", "{", "(", ")", "^", "_", "=", r"\cdot", r"\times", r"\partial", r"\left(", r"\right)",
          "e^{", r"\sigma(", "w_5", "out_{h1}", r"\delta_{o1}", "0.25", "-", "+", "1", "2", r"\\", "&=",
          r"\sum_{i=1}^{2}"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS) | st.text(string.printable, max_size=3), max_size=40))
def test_fuzz_the_checker_always_answers_within_the_limit(tokens: list[str]) -> None:
    r = Checker(Network.load(SEED004), limit=3).answer(Answer("q", "dE/dw5", "".join(tokens)))
    assert r.verdict in ("correct", "incorrect", "unparseable", "refused")


SEED_LINES = [latex for _, _, latex in SEED000_ANSWERS]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SEED_LINES), st.integers(0, 400), st.integers(0, 40), st.sampled_from(["", "{", "}", "(",
                                                                                            r"\frac", "^", "_", "="]),
       st.booleans())
def test_fuzz_mutated_seed_derivations(line: str, at: int, length: int, insert: str, duplicate: bool) -> None:
    """A seed line with a slice deleted, replaced or duplicated: always a verdict, within the limit."""
    at = min(at, len(line))
    piece = line[at:at + length]
    mutated = line[:at] + (piece + piece if duplicate else insert) + line[at + length:]
    r = Checker(Network.load(SEED000), limit=3).answer(Answer("q", "dE/dw1", mutated))
    assert r.verdict in ("correct", "incorrect", "unparseable", "refused")


# -- command line, JSON contract, batch -------------------------------------------------------------

def _answers_file(path: Path, spec: Path | None, answers: list[tuple[str, str, str]], digits: int = 1) -> Path:
    """An answers file; seed 000's answers are graded at its own precision (0.03: one significant digit)."""
    lines = [f'spec = "{spec}"'] if spec else []
    lines += ["[grading]", f"min_significant = {digits}"]
    for aid, quantity, latex in answers:
        lines += ["[[answer]]", f'id = "{aid}"', f'quantity = "{quantity}"', f"latex = '''\n{latex}\n'''"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_cli_json_contract_and_exit_codes(tmp_path: Path, run_cli) -> None:
    good = _answers_file(tmp_path / "good.toml", SEED000, SEED000_ANSWERS[:2])
    proc = run_cli("check", good, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert set(data) >= {"answers", "summary"}
    assert {"id", "verdict", "lines", "diagnosis"} <= set(data["answers"][0])
    assert {"latex", "verdict", "message"} <= set(data["answers"][0]["lines"][0])
    bad = _answers_file(tmp_path / "bad.toml", None, SEED000_ANSWERS)
    proc = run_cli("check", SEED000, bad, "--format", "json")
    assert proc.returncode == 1
    w1 = json.loads(proc.stdout)["answers"][2]
    assert w1["verdict"] == "incorrect" and w1["diagnosis"][0]["kind"] == "per_weight_delta"
    missing = run_cli("check", tmp_path / "nope.toml")
    assert missing.returncode == 2 and "nope.toml" in missing.stderr and "Traceback" not in missing.stderr
    unknown = _answers_file(tmp_path / "unknown.toml", SEED000, [("q", "dE/dw99", "1")])
    proc = run_cli("check", unknown)
    assert proc.returncode == 2 and "answer[0].quantity" in proc.stderr and "w99" in proc.stderr


def test_batch_judges_a_class_and_survives_a_broken_file(tmp_path: Path, run_cli) -> None:
    klass = tmp_path / "class"
    klass.mkdir()
    _answers_file(klass / "alice.toml", None, SEED000_ANSWERS[:2])
    _answers_file(klass / "bob.toml", None, SEED000_ANSWERS)
    (klass / "carol.toml").write_text("this is [not toml", encoding="utf-8")
    _answers_file(klass / "dave.toml", None, [("w5", "dE/dw5", r"\frac{1}{")])
    csv_path = tmp_path / "summary.csv"
    proc = run_cli("check", SEED000, klass, "--format", "json", "--csv", csv_path)
    assert proc.returncode == 1, proc.stderr
    s = json.loads(proc.stdout)
    assert s["students"] == 4 and [u["file"].endswith("carol.toml") for u in s["unreadable"]] == [True]
    by_q = {q["question"]: q for q in s["questions"]}
    assert by_q["w5"]["students"] == 3 and by_q["w5"]["correct"] == 2 and by_q["w5"]["unparseable"] == 1
    assert by_q["w1"]["diagnoses"] == {"per_weight_delta": 1}
    rows = csv_path.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("question,quantity,students,correct") and len(rows) == 1 + len(by_q)


@pytest.mark.skipif(shutil.which("latexmk") is None, reason="TeX Live is not installed (scripts/test.sh installs it)")
@pytest.mark.tex
def test_feedback_sheet_compiles_and_shows_student_text_literally(tmp_path: Path, run_cli) -> None:
    hostile = r"\input{/etc/passwd} \write18{touch pwned}"
    answers = _answers_file(tmp_path / "s.toml", SEED000, [*SEED000_ANSWERS, ("evil", "dE/dw5", hostile)])
    out = tmp_path / "feedback.tex"
    proc = run_cli("check", answers, "--format", "latex", "--lang", "zh", "-o", out, "--pdf")
    assert proc.returncode == 1 and (tmp_path / "feedback.pdf").exists(), proc.stderr
    assert not (tmp_path / "pwned").exists()
    text = " ".join(subprocess.run(["pdftotext", str(tmp_path / "feedback.pdf"), "-"], capture_output=True,
                                   text=True).stdout.split())
    assert "每个权重的" in text and "root:" not in text  # the diagnosis in the sheet's language (--lang zh)
    assert r"\input{/etc/passwd}" in text


ALIASES = [  # (quantity of seed 004, how a student writes it)
    ("h1", "out_{h1}"), ("h1", "out_{h_1}"), ("h1", "Out_{h_1}"), ("h1", r"\text{out}_{h1}"), ("h1", "h_1"),
    ("h1", r"\sigma(net_{h1})"), ("h1", r"\frac{1}{1 + e^{-net_{h1}}}"), ("h1", r"\frac{1}{1+\exp(-In_{h_1})}"),
    ("h1", "f(z^{(2)}_{1})"), ("net_h1", "w_1 i_1 + w_2 i_2 + b_1"), ("net_h1", r"w1 x_1 + w_{2} x_2 + b_{1}"),
    ("o1", "o_1"), ("o1", "out_{o1}"), ("o1", "a^{(3)}_{1}"), ("delta_o1", r"(o_1 - t_1)\, o_1 (1 - o_1)"),
    ("delta_o1", r"(out_{o1} - target_{o1}) \cdot f'(net_{o1})"), ("delta_o1", r"(o_1 - y_1) \sigma'(z_{o1})"),
    ("E", r"\frac{1}{2}\sum_{i=1}^{2} (t_i - o_i)^2"), ("E", r"\frac12 (target_{o1} - out_{o1})^2 + "
                                                      r"\frac12 (target_{o2} - out_{o2})^2"),
    ("w5+", r"w_5 - \eta \frac{\partial E_{total}}{\partial w_5} = 0.4 - 0.5 \times 0.082167 = 0.358916"),
    ("dE/dw5", r"\frac{\partial E}{\partial w_{5}} = 0.0822"), ("dE/dw5", r"\partial E/\partial w5 = 0.0822"),
    ("dE/dw5", r"\delta_{o1} \times out_{h1}"),
]


#: Mazur's published values: a forward quantity of a numeric network is answered by its number (its definition
#: alone restates it: see test_a_forward_quantity_restated_by_its_definition_is_incomplete_where_numbers_are_given)
FORWARD = {"h1": "0.593269992", "net_h1": "0.3775", "o1": "0.75136507", "E": "0.298371109"}


@pytest.mark.parametrize(("quantity", "latex"), ALIASES, ids=[f"{q}:{x}" for q, x in ALIASES])
def test_the_aliases_students_write(quantity: str, latex: str) -> None:
    r = check(SEED004, ("q", quantity, latex + (f" = {FORWARD[quantity]}" if quantity in FORWARD else "")))["q"]
    assert r.verdict == "correct", [(line.latex, line.message) for line in r.lines]


# -- the answer must establish the asked quantity -----------------------------------------------------

@pytest.mark.parametrize(("latex", "kind"), [
    (r"\frac{\partial E_{total}}{\partial w_5}", "incomplete"),
    (r"\frac{\partial E}{\partial w_5} = \frac{\partial E}{\partial out_{o1}} "
     r"\frac{\partial out_{o1}}{\partial net_{o1}} \frac{\partial net_{o1}}{\partial w_5}", "incomplete"),
    (r"\frac{\partial E_{total}}{\partial w_6} = \delta_{o1} out_{h2} = 0.1385 \times 0.5969 = 0.0827",
     "other_quantity"),
])
def test_an_answer_that_does_not_reach_the_asked_quantity_is_incorrect(latex: str, kind: str) -> None:
    """Every line true about its own left side is not enough: nothing gives ∂E/∂w5."""
    r = check(SEED004, ("q", "dE/dw5", latex))["q"]
    assert r.verdict == "incorrect" and r.first_wrong is None
    assert r.diagnosis[0].kind == kind
    if kind == "other_quantity":
        assert "dE/dw6" in r.diagnosis[0].message and "dE/dw5" in r.diagnosis[0].message


def test_where_lines_complete_the_chain_rule() -> None:
    latex = "\n".join([
        r"\frac{\partial E}{\partial w_5} = \frac{\partial E}{\partial out_{o1}} "
        r"\frac{\partial out_{o1}}{\partial net_{o1}} \frac{\partial net_{o1}}{\partial w_5}",
        r"\frac{\partial E}{\partial out_{o1}} = out_{o1} - target_{o1} = 0.7414",
        r"\frac{\partial out_{o1}}{\partial net_{o1}} = out_{o1}(1 - out_{o1}) = 0.1868",
        r"\frac{\partial net_{o1}}{\partial w_5} = out_{h1} = 0.5933"])
    assert check(SEED004, ("q", "dE/dw5", latex))["q"].verdict == "correct"
    partial = check(SEED004, ("q", "dE/dw5", latex.rsplit("\n", 1)[0]))["q"]
    assert partial.verdict == "incorrect" and partial.diagnosis[0].kind == "incomplete"


# -- substitution lines: every number stands for a factor -------------------------------------------------

def test_another_neurons_value_in_a_substitution_is_named() -> None:
    """0.60 is out_h2 (0.5969); out_h1 = 0.5933 belongs here. The product 0.0831 is close to 0.0822, but wrong."""
    r = check(SEED004, ("q", "dE/dw5", r"\frac{\partial E}{\partial w_5} = \delta_{o1} out_{h1} = 0.1385 \times 0.60 "
                                       r"= 0.0831"))["q"]
    assert r.verdict == "incorrect" and r.diagnosis[0].kind == "wrong_substituted_value"
    assert r"\mathit{out}_{h2}" in r.diagnosis[0].message
    assert r.lines[-1].verdict == "incorrect"  # a number after a wrong line is not "rounding"


@pytest.mark.parametrize(("quantity", "latex"), [
    ("dE/dw1", r"\frac{\partial E}{\partial w_1} = \delta_{h1} \times 0.05"),
    ("delta_o1", r"\delta_{o1} = (out_{o1} - 0.01)\, out_{o1}(1 - out_{o1})"),
    ("w5+", r"w_5^+ = 0.4 - 0.5 \cdot \frac{\partial E}{\partial w_5} = 0.4 - 0.5 \times 0.0822 = 0.3589"),
    ("net_h1", r"net_{h1} = 0.15 i_1 + 0.2 i_2 + 0.35"),
    ("h1", r"out_{h1} = \frac{1}{1+e^{-0.3775}} = 0.5933"),
    ("h1", r"out_{h1} = \sigma(0.3775) = 0.59327"),
    ("o1", r"out_{o1} = \frac{1}{1 + \exp(-1.1059)} = 0.7514"),
])
def test_given_numbers_in_formulas_and_numbers_inside_functions(quantity: str, latex: str) -> None:
    r = check(SEED004, ("q", quantity, latex))["q"]
    assert r.verdict == "correct", [(line.latex, line.message) for line in r.lines]


def test_a_given_number_of_the_wrong_quantity_is_wrong() -> None:
    r = check(SEED004, ("q", "dE/dw1", r"\frac{\partial E}{\partial w_1} = \delta_{h1} \times 0.10"))["q"]
    assert r.verdict == "incorrect"


# -- the student's own names and conventions ---------------------------------------------------------------

def test_student_definitions_mean_what_they_say() -> None:
    r = check(SEED004,
              ("E", "E", r"E_{o1} = \frac12 (target_{o1} - out_{o1})^2 = 0.2748, E_{o2} = 0.0236, "
                         r"E_{total} = E_{o1} + E_{o2} = 0.2984"),
              ("d1", "dE/dw1", "\\delta_1 = (out_{o1} - target_{o1}) out_{o1}(1-out_{o1}) w_5 "
                               "+ (out_{o2} - target_{o2}) out_{o2}(1-out_{o2}) w_7\n"
                               "\\frac{\\partial E}{\\partial w_1} = \\delta_1 out_{h1}(1 - out_{h1}) i_1 = 0.000439"),
              ("later", "dE/dw2", r"\frac{\partial E}{\partial w_2} = \delta_1 out_{h1}(1 - out_{h1}) i_2 = 0.000877"),
              ("step", "w5+", "\\Delta w_5 = -\\eta \\frac{\\partial E}{\\partial w_5} = -0.5 \\times 0.0822 "
                              "= -0.0411\nw_5^+ = w_5 + \\Delta w_5 = 0.3589"),
              ("mazur", "dE/dh1", r"\frac{\partial E_{o1}}{\partial out_{h1}} "
                                  r"+ \frac{\partial E_{o2}}{\partial out_{h1}} = 0.0554 - 0.0190 = 0.0364"))
    assert {k: a.verdict for k, a in r.items()} == dict.fromkeys(r, "correct"), \
        {k: [(line.latex, line.message) for line in a.lines] for k, a in r.items() if a.verdict != "correct"}


def test_a_sign_convention_defined_on_its_line_is_judged_by_its_definition() -> None:
    """Mitchell: δ = (t − o)·o(1 − o), w ← w + η δ x. Right throughout; ∂E/∂w5 = δ·out_h1 under it is not."""
    mitchell = ("\\delta_{o1} = (target_{o1} - out_{o1}) out_{o1}(1-out_{o1}) = -0.1385\n"
                "w_5^+ = w_5 + \\eta \\delta_{o1} out_{h1} = 0.4 + 0.5 \\times (-0.1385) \\times 0.5933 = 0.3589")
    assert check(SEED004, ("q", "w5+", mitchell))["q"].verdict == "correct"
    wrong = mitchell.split("\n")[0] + "\n\\frac{\\partial E}{\\partial w_5} = \\delta_{o1} out_{h1}"
    assert check(SEED004, ("q", "dE/dw5", wrong))["q"].verdict == "incorrect"
    asked = check(SEED004, ("q", "delta_o1", "\\delta_{o1} = (target_{o1} - out_{o1}) out_{o1}(1-out_{o1})"))["q"]
    assert asked.verdict == "incorrect"  # asked for δ = ∂E/∂net itself: the opposite sign is wrong


def test_a_sign_convention_holds_for_every_neurons_delta() -> None:
    """Mitchell defines δ_{o1} with t − o once (with \\leftarrow, as his pseudo-code does); δ_{o2} and δ_{h2} then
    follow the same convention, in later answers too. The true values: ∂E/∂w8 = −0.0227402, w4⁺ = 0.299502."""
    r = check(SEED004,
              ("d", "w5+", r"\delta_{o1} \leftarrow o_{o1}(1 - o_{o1})(t_{o1} - o_{o1}) = -0.13850"
                           "\n" r"w_5 \leftarrow w_5 + \eta \, \delta_{o1} \, out_{h1} = 0.35892"),
              ("w8", "dE/dw8", r"\frac{\partial E}{\partial w_8} = -\delta_{o2} \, out_{h2} = -0.03810 \times 0.59688"
                               r" = -0.02274"),
              ("w4", "w4+", r"\delta_{h2} \leftarrow o_{h2}(1 - o_{h2})(w_6 \delta_{o1} + w_8 \delta_{o2})"
                            "\n" r"w_4 \leftarrow w_4 + \eta \, \delta_{h2} \, i_2 = 0.29950"))
    assert {k: a.verdict for k, a in r.items()} == dict.fromkeys(r, "correct"), \
        {k: [(line.latex, line.message) for line in a.lines] for k, a in r.items() if a.verdict != "correct"}
    flipped = check(SEED004, ("d", "w5+", r"\delta_{o1} \leftarrow o_{o1}(1 - o_{o1})(t_{o1} - o_{o1})"),
                    ("w8", "dE/dw8", r"\frac{\partial E}{\partial w_8} = \delta_{o2} \, out_{h2}"))
    assert flipped["w8"].verdict == "incorrect"  # under the student's convention, the sign is wrong


def test_a_delta_marked_wrong_may_be_used_in_the_networks_sense_later() -> None:
    """Asked for δ_h1 and written with the opposite sign (wrong); a later answer that uses δ_{h_1} as ∂E/∂net_h1
    is right, and so is one that keeps the student's sign."""
    delta = ("d", "delta_h1", r"\delta_{h_1} = (target - out_O) \, out_O (1 - out_O) \, w_5 \, out_{h_1}"
                              r"(1 - out_{h_1})")
    network = ("n", "dE/dw2", r"\frac{\partial E}{\partial w_2} = \delta_{h_1} i_2")
    student = ("s", "dE/dw2", r"\frac{\partial E}{\partial w_2} = -\delta_{h_1} i_2")
    r = check(SEED003, delta, network, student)
    assert [r[k].verdict for k in "dns"] == ["incorrect", "correct", "correct"]
    twice = ("x", "dE/dw2", r"\frac{\partial E}{\partial w_2} = 2 \delta_{h_1} i_2")
    assert check(SEED003, delta, twice)["x"].verdict == "incorrect"


def test_a_chain_we_cannot_read_beside_ones_we_can_is_unchecked() -> None:
    """Goodfellow's vector line ∇_W J = g hᵀ beside the entry the question asks: the entry decides, the vector line
    is shown as not checked. An answer whose readable part does not reach the quantity stays unparseable."""
    w5 = r"\frac{\partial E}{\partial w_5} = \delta_{o1} \, out_{h1} = 0.13849856 \cdot 0.59326999 = 0.08216704"
    nabla = r"\nabla_{\boldsymbol{W}^{(2)}} J = \boldsymbol{g} \, \boldsymbol{h}^{\top}, \qquad "
    r = check(SEED004, ("ok", "dE/dw5", nabla + w5), ("bad", "dE/dw5", nabla + w5.replace("0.082", "0.083")),
              ("none", "dE/dw5", nabla + r"\delta_{o1} = 0.13849856"))
    assert r["ok"].verdict == "correct" and r["ok"].lines[0].verdict == "unchecked"
    assert "unknown name g" in r["ok"].lines[0].message  # (g, Goodfellow's gradient so far, is defined nowhere)
    assert r["bad"].verdict == "incorrect"
    assert r["none"].verdict == "unparseable" and "unknown name g" in r["none"].message


def test_a_variable_updated_in_place_is_set_aside_and_forgotten() -> None:
    """g ← g ⊙ σ′(a): the old g is not on the line. Its entry g_1 written out decides; the numbers after an
    in-place line are still judged; a g_1 defined before is no longer known after g is reassigned unread."""
    r = check(SOFTMAX,
              ("g", "dE/dh1", r"g_1 = w_5 \delta_{y_1} + w_7 \delta_{y_2} + w_9 \delta_{y_3} = -0.399072"),
              ("a", "delta_h1", r"\boldsymbol{g} \leftarrow \boldsymbol{g} \odot (1 - \boldsymbol{h}^2), \qquad "
                                r"g_1 = -0.399072 \times (1 - 0.263625^2) = -0.371337"),
              ("s", "delta_h1", r"g_1 \leftarrow g_1 \, h_1 (1 - h_1) = -0.399072 \times 0.263625 \times 0.736375"
                                r" = -0.077471"))
    assert r["g"].verdict == "correct", [(line.latex, line.message) for line in r["g"].lines]
    assert r["a"].verdict == "correct" and r["a"].lines[-1].verdict == "unchecked"
    assert r["s"].verdict == "incorrect" and r["s"].diagnosis[0].kind == "wrong_activation_derivative"
    update = r"\boldsymbol{g} \leftarrow \boldsymbol{g} \odot (1 - \boldsymbol{h}^2)"
    later = check(SOFTMAX, ("a", "delta_h1", update),
                  ("w", "dE/dh1", r"g_1 = w_5 \delta_{y_1} + w_7 \delta_{y_2} + w_9 \delta_{y_3}"),
                  ("b", "delta_h1", update),
                  ("u", "dE/dw1", r"\frac{\partial E}{\partial w_1} = g_1 x_1"))
    assert later["u"].verdict == "unparseable" and "g_1" in later["u"].message


def test_a_member_we_cannot_read_is_unchecked_when_the_members_after_it_decide() -> None:
    """Textbook index notation (\\sum_i w_{o2,i} y_i, Haykin) before the expanded sum: the expanded members decide;
    a member we cannot read at the end of its chain, or a head, leaves the answer unparseable, never correct."""
    expanded = r" = w_7 out_{h1} + w_8 out_{h2} + b_2 = 0.5(0.5932700) + 0.55(0.5968844) + 0.6 = 1.2249214"
    r = check(SEED004, ("ok", "net_o2", r"net_{o2} = \sum_{i} w_{o2,i} \, y_i" + expanded),
              ("slip", "net_o2", r"net_{o2} = \sum_{i} w_{o2,i} \, y_i" + expanded.replace("1.2249214", "1.2349214")),
              ("last", "net_o2", r"net_{o2} = \sum_{i} w_{o2,i} \, y_i"),
              ("def", "dE/dw5", r"L^{(n)} = -\sum_k t_k^{(n)} \ln y_k^{(n)}"))
    assert r["ok"].verdict == "correct" and [line.verdict for line in r["ok"].lines].count("unchecked") == 1
    assert r["slip"].verdict == "incorrect"
    assert r["last"].verdict == "unparseable" and r["def"].verdict == "unparseable"


def test_a_lemma_about_the_activation_in_a_variable_of_its_own_is_an_identity() -> None:
    """σ'(x) = σ(x)(1 − σ(x)) and f'(x) = e^{−x}/(1 + e^{−x})² hold for every x; σ(x)(1 + σ(x)) does not."""
    rest = r", \qquad \frac{\partial E}{\partial net_O} = (out_O - target) \, out_O (1 - out_O)"
    r = check(SEED003, ("s", "dE/dnet_O", r"\sigma'(x) = \sigma(x)(1 - \sigma(x))" + rest),
              ("e", "dE/dnet_O", r"f'(x) = \frac{e^{-x}}{(1 + e^{-x})^2}" + rest),
              ("w", "dE/dnet_O", r"\sigma'(x) = \sigma(x)(1 + \sigma(x))" + rest))
    assert [r[k].verdict for k in "sew"] == ["correct", "correct", "incorrect"]


# -- several samples --------------------------------------------------------------------------------------

SOFTMAX = EX / "softmax_batch.toml"


def test_batch_gradients_sum_the_samples_and_superscripts_name_them() -> None:
    """E is the mean over the two samples; δ^{(2)}, h^{(2)} are the second sample's, \\sum_n runs over both."""
    r = check(SOFTMAX,
              ("mean", "dE/dw5", r"\frac{\partial E}{\partial w_5} = \frac{1}{2} \sum_{n} \delta_{y_1}^{(n)} h_1^{(n)}"
                                 r" = \frac{1}{2}\left(-0.649181 \cdot 0.263625 + 0.304753 \cdot (-0.049958)\right)"
                                 r" = -0.093183"),
              ("first", "dE/dw5", r"\frac{\partial E}{\partial w_5} = \delta_{y_1} h_1 = -0.649181 \cdot 0.263625"
                                  r" = -0.171140"),
              ("delta", "delta_y1", r"\delta_{y_1}^{(1)} = \frac{\partial L^{(1)}}{\partial z_1} = \hat{y}_1 - t_1"
                                    r" = 0.350819 - 1 = -0.649181"))
    assert r["mean"].verdict == "correct", [(line.latex, line.message) for line in r["mean"].lines]
    assert r["first"].verdict == "incorrect"  # one sample is not the batch gradient
    assert r["delta"].verdict == "correct", [(line.latex, line.message) for line in r["delta"].lines]


# -- messages: one catalogue, two languages ---------------------------------------------------------------

def test_every_message_of_the_catalogue_is_in_both_languages_with_the_same_placeholders() -> None:
    from string import Formatter

    from symbackprop.check.catalogue import DIAGNOSES, NOTES, PRIORITY, READER

    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in Formatter().parse(text) if f}

    keys = [e.key for e in DIAGNOSES + NOTES + READER]
    assert len(keys) == len(set(keys))
    for e in DIAGNOSES + NOTES + READER:
        assert e.en and e.zh and fields(e.en) == fields(e.zh), e.key
    assert all(e.detector and e.priority for e in DIAGNOSES)
    assert PRIORITY["other_quantity"] < PRIORITY["missing_activation_derivative"] < PRIORITY["arithmetic_slip"]


def test_check_output_follows_lang(tmp_path: Path, run_cli) -> None:
    answers = _answers_file(tmp_path / "a.toml", SEED004, [
        ("w5", "dE/dw5", r"\frac{\partial E}{\partial w_5} = (out_{o1} - target_{o1})\, out_{h1} = 0.4398"),
        ("w6", "dE/dw5", r"\frac{\partial E}{\partial w_6} = \delta_{o1}\, out_{h2} = 0.1385 \times 0.5969 = 0.0827")],
        digits=2)
    zh = json.loads(run_cli("check", answers, "--format", "json", "--lang", "zh").stdout)
    en = json.loads(run_cli("check", answers, "--format", "json", "--lang", "en").stdout)
    assert [a["diagnosis"][0]["kind"] for a in zh["answers"]] == ["missing_activation_derivative", "other_quantity"]
    assert [a["diagnosis"][0]["kind"] for a in en["answers"]] == ["missing_activation_derivative", "other_quantity"]
    assert "缺少激活函数的导数" in zh["answers"][0]["diagnosis"][0]["message"]
    assert "题目问的是" in zh["answers"][1]["diagnosis"][0]["message"]
    assert "activation derivative" in en["answers"][0]["diagnosis"][0]["message"]
    text = run_cli("check", answers, "--lang", "zh").stdout
    assert "有误" in text and "正确的写法" in text and "缺少激活函数的导数" in text


# -- notations read from their own lines (Bishop's a/z, samples summed, δ defined as a derivative, counts) ------

SOFTMAX = EX / "softmax_batch.toml"


def test_bishop_a_and_z_are_read_from_the_line_that_defines_them() -> None:
    """Bishop writes a for a net input and z for a hidden output (Ng the other way round): the defining line
    a_2 = w_7 z_1 + w_8 z_2 + b_3 holds in one reading only, and the sheet keeps it; the same line with the
    weights of another output holds in none, and is wrong."""
    r = check(SOFTMAX,
              ("a2", "net_y2", r"a_2^{(1)} = w_7 z_1 + w_8 z_2 + b_3 = 0.1 \times 0.263625 + 0.2 \times 0.119427 + 0.1"
                               r" = 0.150248"),
              ("h2", "delta_h2", r"\delta_{h_2}^{(1)} = (1 - z_2^2)(w_6 \delta_{y1} + w_8 \delta_{y2} "
                                 r"+ w_{10} \delta_{y3}) = 0.429890"),
              ("wrong", "net_y2", r"a_2^{(1)} = w_5 z_1 + w_6 z_2 + b_2 = 0.5 \times 0.263625 - 0.3 \times 0.119427"
                                  r" = 0.095984"))
    assert (r["a2"].verdict, r["h2"].verdict, r["wrong"].verdict) == ("correct", "correct", "incorrect")


def test_a_sum_over_a_superscript_runs_over_the_samples() -> None:
    """Σ_n δ_2^{(n)} z_1^{(n)}: the summed superscript names a sample (not a layer), for every name it is on."""
    r = check(SOFTMAX,
              ("a2", "net_y2", r"a_2^{(1)} = w_7 z_1 + w_8 z_2 + b_3"),
              ("d2", "delta_y2", r"\delta_2^{(1)} = y_2 - t_2"),
              ("w7", "dE/dw7", r"\frac{\partial E}{\partial w_7} = \frac{1}{2} \sum_{n=1}^{2} \delta_2^{(n)} z_1^{(n)}"
                               r" = 0.039620"),
              ("sum", "dE/dw7", r"\frac{\partial E}{\partial w_7} = \sum_{n=1}^{2} \delta_2^{(n)} z_1^{(n)}"
                                r" = 0.079240"))
    assert r["w7"].verdict == "correct" and r["sum"].verdict == "incorrect"  # the batch loss is the mean


def test_the_given_targets_may_be_put_into_a_formula() -> None:
    """−Σ_k t_k ln y_k = −ln y_1 for sample 1's one-hot target: true for this network's data (the zero terms
    dropped), and the batch size m is the number of samples; a term of the wrong output is still wrong."""
    r = check(SOFTMAX,
              ("L", "E", r"J = \frac{1}{m}\sum_{n=1}^{m} \left(-\sum_k t^{(n)}_k \ln y^{(n)}_k\right), \quad m = 2"
                         "\n" r"J = \frac{1}{2}\left(-\ln y^{(1)}_1 - \ln y^{(2)}_3\right) = 1.082796"),
              ("bad", "E", r"J = \frac{1}{2}\left(-\ln y^{(1)}_2 - \ln y^{(2)}_3\right) = 1.082796"))
    assert r["L"].verdict == "correct" and r["bad"].verdict == "incorrect"


def test_a_delta_defined_as_a_derivative_of_the_error_means_that_derivative() -> None:
    """Seed 000's notes write δ_{o2} = ∂Error/∂o_2 (a δ per output, not per net input): the definition decides."""
    r = check(SEED000, ("do2", "dE/do2", r"\delta_{o2} = \frac{\partial Error}{\partial o_2} = o_2 - y_2"))
    assert r["do2"].verdict == "correct"


def test_pluses_count_updates_from_the_first_network() -> None:
    """In the second pass w_5^{+} is the weight after the first update (the network's own now), w_5^{++} after the
    second; w_5^{+} written for the second update is wrong there."""
    r = check(SEED004,
              ("net", "net_h1", r"net_{h1} = w_1^{+} i_1 + w_2^{+} i_2 + b_1 = 0.377445179", 1),
              ("w5", "w5+", r"w_5^{++} = w_5^{+} - \eta \frac{\partial E}{\partial w_5} = 0.35891648 - 0.5 \times "
                            r"0.083125235 = 0.317353862", 1))
    assert (r["net"].verdict, r["w5"].verdict) == ("correct", "correct")


def test_an_update_rule_restated_without_its_numbers_is_incomplete() -> None:
    r = check(SEED002, ("w6", "w6+", r"w_6 = w_6 - \eta \frac{\partial Error}{\partial w_6}"))
    assert r["w6"].verdict == "incorrect" and r["w6"].diagnosis[0].kind == "incomplete"


def test_a_forward_quantity_restated_by_its_definition_is_incomplete_where_numbers_are_given() -> None:
    """E = ½ Σ (t − out)² is the loss's definition, true of every network: with numbers given (Mazur, second
    pass) the asked value is missing; with the outputs' numbers substituted it is an answer."""
    definition = r"E_{total} = \tfrac{1}{2}(target_{o1} - out_{o1})^2 + \tfrac{1}{2}(target_{o2} - out_{o2})^2"
    r = check(SEED004, ("E", "E", definition, 1),
              ("E-net", "net_h1", r"net_{h1} = w_1 i_1 + w_2 i_2 + b_1"),
              ("E-done", "E", definition + r" = \tfrac{1}{2}(0.01 - 0.75136507)^2 + \tfrac{1}{2}(0.99 - 0.772928465)^2"
                                           r" = 0.298371109"))
    assert (r["E"].verdict, r["E-net"].verdict, r["E-done"].verdict) == ("incorrect", "incorrect", "correct")
    assert r["E"].diagnosis[0].kind == r["E-net"].diagnosis[0].kind == "incomplete"


def test_a_number_mentioned_after_the_answer_is_not_judged_as_the_answer() -> None:
    r = check(SEED004, ("E", "E", r"E_{total} = \frac{1}{2}(0.01 - 0.75136507)^2 + \frac{1}{2}(0.99 - 0.772928465)^2"
                                  r" = 0.298371109 \text{，比更新后的 } 0.291027774 \text{ 大}"))
    assert r["E"].verdict == "correct"
    assert any(line.verdict == "unchecked" for line in r["E"].lines)


def test_entries_of_a_matrix_of_numbers_are_judged_at_their_own_precision() -> None:
    """Seed 002's second pass rounds the updated weights to two decimals: 0.13 for 0.132135 is right."""
    r = check(SEED002, ("W", "out", r"\begin{bmatrix} w_1 & w_3 \\ w_2 & w_4 \end{bmatrix} = "
                                    r"\begin{bmatrix} 0.12 & 0.13 \\ 0.23 & 0.10 \end{bmatrix}, \quad "
                                    r"\begin{bmatrix} w_5 \\ w_6 \end{bmatrix} = \begin{bmatrix} 0.1744 \\ 0.1694"
                                    r" \end{bmatrix}" "\n"
                                    r"[h_1 \ h_2] = [2 \ 3] \begin{bmatrix} 0.12 & 0.13 \\ 0.23 & 0.10 \end{bmatrix}"
                                    r" = [0.93 \ 0.56]" "\n"
                                    r"[out] = [0.93 \ 0.56] \begin{bmatrix} 0.1744 \\ 0.1694 \end{bmatrix} = [0.2571]",
                        1))
    assert r["W"].verdict == "correct"


def test_haykins_y_is_read_as_the_output_where_its_line_says_so() -> None:
    """e_{o1} = d_{o1} − y_{o1}: y the output (Haykin), not the target (the notes) — the only reading in which the
    line holds, since e_j = d_j − y_j is the error signal."""
    r = check(SEED004, ("w5", "w5+", "e_{o1} = d_{o1} - y_{o1} = 0.01 - 0.7513651 = -0.7413651\n"
                                     r"\delta_{o1} = e_{o1}\, \varphi'(v_{o1}) = -0.1384986" "\n"
                                     r"\Delta w_5 = \eta\, \delta_{o1}\, y_{h1} = -0.0410835" "\n"
                                     r"w_5(n+1) = w_5(n) + \Delta w_5(n) = 0.40 - 0.0410835 = 0.3589165"))
    assert r["w5"].verdict == "correct"


def test_primes_mark_the_second_pass_and_a_carried_rounded_number_stands_for_its_quantity() -> None:
    """In the second pass out_{h1}' is this network's output and w_3'' the next update; 4.3625e-4, written for
    ∂E/∂w3 on the line before (drifted in its last digit by earlier rounding), may be put into the update."""
    r = check(SEED004,
              ("E", "E", r"out_{o1}' = 0.74208811, \quad out_{o2}' = 0.77528497" "\n"
                         r"E_{total}' = \frac{1}{2}(0.01 - 0.74208811)^2 + \frac{1}{2}(0.99 - 0.77528497)^2"
                         r" = 0.29102777", 1),
              ("w3", "w3+", r"\frac{\partial E_{total}}{\partial w_3} = \delta_{h2}' \cdot i_1 = 8.725 \times 10^{-3}"
                            r" \times 0.05 \approx 4.3625 \times 10^{-4}" "\n"
                            r"w_3'' = w_3' - \eta \cdot 4.3625 \times 10^{-4} = 0.24975114 - 0.00021813"
                            r" \approx 0.24953301", 1),
              ("bad", "w3+", r"w_3'' = w_3' - \eta \cdot 4.3625 \times 10^{-3} = 0.24975114 - 0.0021813"
                             r" = 0.2475698", 1))
    assert (r["E"].verdict, r["w3"].verdict, r["bad"].verdict) == ("correct", "correct", "incorrect")


def test_a_two_role_name_given_a_number_means_the_reading_whose_value_it_is() -> None:
    """Bishop's z_1 = tanh(0.27) = 0.263625 is the hidden output (Ng's z_1 would be a net input), and δ^{(2)}_2 =
    0.368349 in a batch is sample 2's δ_2 (not layer 2's δ_{h2} = 0.4299): the value decides, when it is clear."""
    r = check(SOFTMAX,
              ("z1", "y2", r"z_1 = \tanh(0.27) = 0.263625, \quad z_2 = \tanh(0.12) = 0.119427" "\n"
                           r"y_2 = \frac{e^{0.150248}}{e^{0.095984} + e^{0.150248} + e^{-0.133794}} = 0.370382"),
              ("d2", "dE/dw7", r"\delta^{(1)}_2 = 0.370382, \quad \delta^{(2)}_2 = 0.368349" "\n"
                               r"\frac{\partial E}{\partial w_7} = \frac{1}{2}\left(0.370382 \times 0.263625 + "
                               r"0.368349 \times (-0.049958)\right) = 0.039620"))
    assert (r["z1"].verdict, r["d2"].verdict) == ("correct", "correct")


def test_the_sheets_notation_carries_to_names_it_has_not_defined() -> None:
    """a_1 defined as h1's net input and h'(a_2) = z_2 (1 − z_2) read in Bishop's notation (a a net input, z an
    output, h the hidden activation): z_2 then means h2's output in the next lines too."""
    r = check(SEED003,
              ("a1", "net_h1", r"a_1 = w_1 i_1 + w_2 i_2 + b_1"),
              ("d2", "delta_h2", r"h'(a_2) = z_2 (1 - z_2)" "\n"
                                 r"\delta_2 = z_2 (1 - z_2)\, w_6\, (out_O - target)\, out_O (1 - out_O)"),
              ("bad", "delta_h2", r"\delta_2 = a_2 (1 - a_2)\, w_6\, (out_O - target)\, out_O (1 - out_O)"))
    assert (r["a1"].verdict, r["d2"].verdict, r["bad"].verdict) == ("correct", "correct", "incorrect")


def test_an_own_name_given_a_number_may_be_a_gradient_from_rounded_numbers() -> None:
    """Seed 000's δ_5 = 0.25 × 0.48 × 0.52 × 0.56 = 0.0349 is ∂Error/∂w5 (0.03463) from 2-decimal numbers."""
    r = check(SEED000, ("w5", "w5+", r"\delta_5 = 0.25 \times 0.48 \times (1 - 0.48) \times 0.56 = 0.0349" "\n"
                                     r"w_5^{+} = w_5 - \eta \times \delta_5 = 0.10 - 1 \times 0.0349 = 0.0651"))
    assert r["w5"].verdict == "correct"


def test_the_numbers_after_an_in_place_update_are_not_the_answer_unless_they_end_it() -> None:
    r = check(SEED002, ("w5", "dE/dw5", r"\boldsymbol{g} \leftarrow \boldsymbol{g} \odot f'(\boldsymbol{a}^{(2)}) "
                                        r"= -0.809 \times 1 = -0.809" "\n"
                                        r"\frac{\partial J}{\partial w_5} = -0.68765"))
    assert r["w5"].verdict == "correct"


def test_ngs_gradients_and_goodfellows_nabla_are_the_partial_derivatives_of_the_cost() -> None:
    """Mazur's network (W^{[2]} = [[w5, w6], [w7, w8]]): dW^{[2]}_{21} and (∇_{W^{(2)}} J)_{12} are ∂J/∂w7 =
    −0.0226025 and ∂J/∂w6 = 0.0826676; db^{[1]}, of the bias both hidden units share, is δ_h1 + δ_h2."""
    r = check(SEED004,
              ("w7", "dE/dw7", r"dW^{[2]}_{21} = dz^{[2]}_2 \, a^{[1]}_1 = -0.0380982 \times 0.593270 = -0.0226025"),
              ("w7-bad", "dE/dw7", r"dW^{[2]}_{21} = dz^{[2]}_1 \, a^{[1]}_2 = 0.138499 \times 0.596884 = 0.0826676"),
              ("w6", "dE/dw6", r"\frac{\partial J}{\partial w_6} = \left(\nabla_{\boldsymbol{W}^{(2)}} J\right)_{12}"
                               r" = 0.0826676"),
              ("w6-bad", "dE/dw6", r"\frac{\partial J}{\partial w_6} = "
                                   r"\left(\nabla_{\boldsymbol{W}^{(2)}} J\right)_{21} = -0.0226025"),
              ("b1", "dE/db1", r"db^{[1]} = dz^{[1]}_1 + dz^{[1]}_2 = 0.00877135 + 0.00995425 = 0.0187256"))
    assert [r[k].verdict for k in ("w7", "w7-bad", "w6", "w6-bad", "b1")] == \
        ["correct", "incorrect", "correct", "incorrect", "correct"]


def test_a_general_rule_written_with_index_letters_is_set_aside_and_its_instance_decides() -> None:
    """Nielsen's BP4 ∂C/∂w^l_{jk} = a^{l−1}_k δ^l_j and Bishop's ∂E_n/∂w_{ji} = δ_j z_i state the rule; the line
    that applies it decides (E_n, the error of sample n, is the error with one sample). The rule alone is not an
    answer."""
    rule = r"\frac{\partial C}{\partial w^l_{jk}} = a^{l-1}_k \delta^l_j \quad\Rightarrow\quad "
    r = check(SEED004,
              ("ok", "dE/dw5", rule + r"\frac{\partial C}{\partial w_5} = 0.138499 \times 0.593270 = 0.0821673"),
              ("bad", "dE/dw5", rule + r"\frac{\partial C}{\partial w_5} = 0.138499 \times 0.596884 = 0.0826676"),
              ("bishop", "dE/dw5", r"\frac{\partial E_n}{\partial w_{ji}} = \delta_j z_i, \quad "
                                   r"\frac{\partial E_n}{\partial w_5} = \delta_{o1}\, out_{h1}"),
              ("alone", "dE/dw5", rule.split(r"\quad")[0]))
    assert [r[k].verdict for k in ("ok", "bad", "bishop", "alone")] == \
        ["correct", "incorrect", "correct", "unparseable"]


def test_haykins_time_step_n_is_the_quantity_itself_and_his_phi_the_neurons_own() -> None:
    """Haykin on seed 001 (one linear output y, target d): E(n) = ½ e²(n) with e(n) = d(n) − y(n) is E = ½(d − y)²;
    e² there is his error signal squared, never Euler's e². His φ'(v_y) is the output's (linear: 1), not the hidden
    layer's Φ', and δ_y = e φ'(v_y) = d − y is −∂E/∂v_y, his sign convention."""
    seed001 = EX / "seed001_abstract_phi.toml"
    r = check(seed001,
              ("E", "E", r"E(n) = \frac{1}{2} e^2(n), \qquad e(n) = d(n) - y(n)"),
              ("E-bad", "E", r"E(n) = e^2(n), \qquad e(n) = d(n) - y(n)"),
              ("W", "W2_2+", r"\delta_y = e\, \varphi'(v_y) = d - y, \qquad "
                             r"W^{(2)}_2(n+1) = W^{(2)}_2(n) + \alpha\, \delta_y\, h_2"),
              ("W-bad", "W2_2+", r"\delta_y = e\, \varphi'(v_y) = d - y, \qquad "
                                 r"W^{(2)}_2(n+1) = W^{(2)}_2(n) - \alpha\, \delta_y\, h_2"))
    assert [r[k].verdict for k in ("E", "E-bad", "W", "W-bad")] == ["correct", "incorrect", "correct", "incorrect"]


# -- notations and conventions of lecture notes and textbooks (issue 11, round 5) ---------------------------------
# The numbers below are independent truths (Mazur: ∂E/∂w4 = 0.000995425, w6⁺ = 0.408666, w4⁺ = 0.299502, ∂E/∂b1 =
# 0.0187256; seed 000: δ_{o1} = 0.0616052, ∂E/∂w1 = −0.0084215, net_{o1} after one step −0.126047; the softmax batch:
# J = 1.082796, δ_{h2} of sample 1 0.429890, ∂E/∂w6 = −0.0175705), computed by hand from the specs.

def test_numbers_sympy_multiplies_together_still_stand_for_their_quantities() -> None:
    """0.0414 · 0.2406 · i_2 (∂E/∂out_{h2}, σ′ already computed, the input left as a name): the two numbers become
    one coefficient; read back as the quantities they round, the line is ∂E/∂w4. With i_1 it is not."""
    lemmas = (r"\frac{\partial E_{total}}{\partial out_{h2}} = \delta_{o1} w_6 + \delta_{o2} w_8 = 0.041370323" "\n"
              r"\frac{\partial out_{h2}}{\partial net_{h2}} = out_{h2}(1 - out_{h2}) = 0.240613417" "\n")
    r = check(SEED004,
              ("w4", "dE/dw4", lemmas + r"\frac{\partial E_{total}}{\partial w_4} = 0.041370323 \cdot 0.240613417 "
                                        r"\cdot i_2 = 0.000995425"),
              ("bad", "dE/dw4", lemmas + r"\frac{\partial E_{total}}{\partial w_4} = 0.041370323 \cdot 0.240613417 "
                                         r"\cdot i_1 = 0.000995425"))
    assert (r["w4"].verdict, r["bad"].verdict) == ("correct", "incorrect")


def test_two_decimal_hand_work_may_drift_past_three_percent() -> None:
    """Seed 000's second pass with every number to 2 decimals: 0.07 × 0.56 + (−0.33) × 0.49 = −0.1225 ≈ −0.12 for
    net_{o1} = −0.126047 (5% off, all from the rounding), then σ(−0.12) = 0.47. A number that is not the rounding of
    the line before it stays wrong, and −0.12 alone is not −0.126 to 2 decimals."""
    line = r"In_{o_1} = w_5 h_1 + w_7 h_2 = 0.07 \times 0.56 + (-0.33) \times 0.49 = "
    r = check(SEED000, ("ok", "o1", line + r"-0.12, \quad o_1 = Sigmoid(-0.12) = 0.47", 1),
              ("slip", "net_o1", line + "-0.17", 1), ("alone", "net_o1", "In_{o_1} = -0.12", 1))
    assert [r[k].verdict for k in ("ok", "slip", "alone")] == ["correct", "incorrect", "incorrect"]


def test_a_definition_after_a_general_rule_is_its_first_readable_known_quantity() -> None:
    """Haykin's δ_3 = Φ'(v_3) Σ_k δ_k w_{k3} = Φ'(v_3)(d − y) W_3: the rule is not read, the next member (−δ_{h3},
    his sign) defines δ_3, and W(n+1) = W(n) + α δ_3 x_1 is the update. A wrong formula after a rule (w6 for w5 in
    Bishop's δ_1) does not define the name: it is judged, and wrong."""
    seed001 = EX / "seed001_abstract_phi.toml"
    rule = r"\delta_3 = \Phi'(v_3) \sum_k \delta_k w_{k3} = \Phi'(v_3)\, (d - y)\, W^{(2)}_3" "\n"
    r = check(seed001, ("ok", "W1_13+", rule + r"W^{(1)}_{13}(n+1) = W^{(1)}_{13}(n) + \alpha\, \delta_3\, x_1"),
              ("bad", "W1_13+", rule + r"W^{(1)}_{13}(n+1) = W^{(1)}_{13}(n) - \alpha\, \delta_3\, x_1"))
    assert (r["ok"].verdict, r["bad"].verdict) == ("correct", "incorrect")
    r3 = check(SEED003, ("bad", "delta_h1", r"\delta_1 = h'(a_1) \sum_k w_{k1} \delta_k = out_{h_1}(1 - out_{h_1})\, "
                                            r"w_6\, (out_O - target)\, out_O(1 - out_O)"))
    assert r3["bad"].verdict == "incorrect" and r3["bad"].diagnosis[0].kind == "wrong_weight"


def test_a_redefinition_in_a_wrong_answer_does_not_change_what_later_answers_mean() -> None:
    """δ_1 = ∂Error/∂w_1 (right), then redefined by a wrong formula in a wrong answer: w_1⁺ = w_1 − η δ_1 with the
    first δ_1's value (−0.008422) is right; with the wrong one's value it is not."""
    first = (r"\delta_1 = \frac{\partial Error}{\partial w_1} = (0.0616 \times 0.1 + 0.1492 \times (-0.5)) \times "
             r"0.5622 \times 0.4378 \times 0.5 = -0.06844 \times 0.2461 \times 0.5 = -0.008422")
    wrong = r"\delta_1 = (\delta_5 + \delta_6) \times h_1 (1 - h_1) \times x_1 = 0.01458"
    r = check(SEED000, ("w1", "dE/dw1", first), ("bad", "dE/dw1", wrong),
              ("up", "w1+", r"w_1^{+} = w_1 - \eta \times \delta_1 = 0.2 - 1 \times (-0.008422) = 0.2084"),
              ("up-bad", "w1+", r"w_1^{+} = w_1 - \eta \times \delta_1 = 0.2 - 1 \times 0.01458 = 0.1854"))
    assert [r[k].verdict for k in ("w1", "bad", "up", "up-bad")] == ["correct", "incorrect", "correct", "incorrect"]


def test_bishops_z_and_a_are_read_from_the_line_where_they_are_first_used() -> None:
    """Bishop: z_O = h(a_O) is the output of O (z an output, a a net input), E = ½(z_O − t)², δ_O = ∂E/∂a_O. A
    formula that is wrong in every reading stays wrong."""
    r = check(SEED003,
              ("O", "O", r"y = z_O = \sigma(a_O) = \frac{1}{1 + \exp\{-(w_5 z_{h_1} + w_6 z_{h_2} + b_2)\}}"),
              ("E", "E", r"E = \frac{1}{2}\left(z_O - t\right)^2"),
              ("d", "delta_O", r"\delta_O = \frac{\partial E}{\partial a_O} = \sigma(a_O)\{1 - \sigma(a_O)\}(y - t)"),
              ("bad", "delta_O", r"\delta_O = \frac{\partial E}{\partial a_O} = z_O (y - t)"))
    assert [r[k].verdict for k in ("O", "E", "d", "bad")] == ["correct", "correct", "correct", "incorrect"]


def test_li_hongyis_z_primes_are_the_next_layers_net_inputs_and_his_y_hat_the_target() -> None:
    """Li Hongyi: ∂C/∂z' = σ'(z') ∂C/∂y_1 with z', z'' the net inputs of the two outputs; once y_1 is read as the
    output, ŷ_1 is the target. σ'(z') = 0.4769 × 0.5231 shows o_1 and 1 − o_1."""
    r = check(SEED000,
              ("o1", "delta_o1", r"\frac{\partial C}{\partial z'} = \frac{\partial y_1}{\partial z'} \frac{\partial C}"
                                 r"{\partial y_1} = \sigma'(z') \cdot (y_1 - \hat{y}_1)" "\n"
                                 r"\sigma'(z') = 0.4769 \times 0.5231 = 0.2495" "\n"
                                 r"\frac{\partial C}{\partial z'} = 0.2495 \times (0.4769 - 0.23) = 0.0616"),
              ("bad", "delta_o2", r"\frac{\partial C}{\partial z'} = 0.0616"))
    assert (r["o1"].verdict, r["bad"].verdict) == ("correct", "incorrect")


def test_the_watermelon_books_v_ih_w_hj_and_b_h() -> None:
    """Zhou Zhihua's notation on Mazur's network: w_{hj} from hidden h into output j (w_{21} = w6), b_h the output of
    hidden unit h (not a bias), v_{ih} from input i into hidden h (v_{22} = w4), g_j = −δ_j, e_h = −δ_h."""
    g = (r"g_1 = \hat{y}_1 (1 - \hat{y}_1)(y_1 - \hat{y}_1) = -0.138499, \quad "
         r"g_2 = \hat{y}_2 (1 - \hat{y}_2)(y_2 - \hat{y}_2) = 0.0380982" "\n")
    e2 = r"e_2 = b_2 (1 - b_2)\left(w_{21} g_1 + w_{22} g_2\right) = -0.0099543" "\n"
    r = check(SEED004,
              ("w6", "w6+", g + r"\Delta w_{21} = \eta\, g_1\, b_2 = 0.5 \times (-0.138499) \times 0.596884 = -0.041334"
                                "\n" r"w_6 = w_{21} \leftarrow w_{21} + \Delta w_{21} = 0.45 - 0.041334 = 0.408666"),
              ("w4", "w4+", e2 + r"v_{22} \leftarrow v_{22} + \eta\, e_2\, x_2 = 0.30 - 0.00049772 = 0.2995023"),
              ("bad", "w4+", e2 + r"v_{22} \leftarrow v_{22} + \eta\, e_2\, x_1 = 0.30 - 0.00024886 = 0.29975114"))
    assert [r[k].verdict for k in ("w6", "w4", "bad")] == ["correct", "correct", "incorrect"]


def test_code_in_a_formula_is_set_aside_and_a_shared_bias_is_one_number() -> None:
    """Ng's db^{[1]} = np.sum(dz^{[1]}) for the bias both hidden units share: the code is not checked, the sum of
    the two δ's is ∂E/∂b1; one δ twice is not."""
    head = r"db^{[1]} = \texttt{np.sum}(dz^{[1]}) \quad (\text{one } b^{[1]} \text{ shared by both hidden units}) = "
    r = check(SEED004, ("b1", "dE/db1", head + "0.00877135 + 0.00995425 = 0.0187256"),
              ("bad", "dE/db1", head + "0.00877135 + 0.00877135 = 0.0175427"))
    assert (r["b1"].verdict, r["bad"].verdict) == ("correct", "incorrect")


def test_ngs_sum_to_m_and_a_predictions_sample_superscript() -> None:
    """J = −(1/m) Σ_{i=1}^{m} Σ_k t^{(i)}_k ln y^{(i)}_k over the batch (m = 2); ŷ^{(2)}_3 is sample 2's y3. The sum
    without 1/m, and the wrong class of sample 1, are wrong."""
    r = check(SOFTMAX,
              ("J", "E", r"J = -\frac{1}{m} \sum_{i=1}^{m} \sum_{k=1}^{3} t^{(i)}_k \ln y^{(i)}_k = 1.082796"),
              ("J-sum", "E", r"J = -\sum_{i=1}^{m} \sum_{k=1}^{3} t^{(i)}_k \ln y^{(i)}_k = 1.082796"),
              ("hat", "E", r"J = \frac{1}{2}\left(-\log \hat{y}^{(1)}_1 - \log \hat{y}^{(2)}_3\right) = 1.082796"),
              ("hat-bad", "E", r"J = \frac{1}{2}\left(-\log \hat{y}^{(1)}_2 - \log \hat{y}^{(2)}_3\right)"))
    assert [r[k].verdict for k in ("J", "J-sum", "hat", "hat-bad")] == ["correct", "incorrect", "correct", "incorrect"]


def test_a_lemma_set_beside_a_chain_and_the_output_letter_of_an_activation_lemma() -> None:
    """σ'(x) = e^{-x}/(1 + e^{-x})² inserted with \\qquad: the next line's members (without x) continue ∂E/∂w_4.
    Bishop's h'(a) = 1 − tanh²(a) = 1 − z²: z is the unit's output; δ^{(1)}_2 = 0.429890 is hidden unit 2's δ of
    sample 1 (its value tells it from output 2's, 0.370382)."""
    lemma = (r"\frac{\partial E}{\partial w_4} = \delta_O\, w_6\, \sigma'(net_{h_2})\, i_2, \qquad "
             r"\sigma'(x) = \frac{e^{-x}}{(1 + e^{-x})^2}" "\n"
             r"= (out_O - target)\, out_O (1 - out_O)\, w_6\, \frac{e^{-net_{h_2}}}{(1 + e^{-net_{h_2}})^2}\, ")
    r = check(SEED003, ("w4", "dE/dw4", lemma + "i_2"), ("bad", "dE/dw4", lemma + "i_1"))
    assert (r["w4"].verdict, r["bad"].verdict) == ("correct", "incorrect")
    bishop = (r"\delta_j = h'(a_j) \sum_k w_{kj} \delta_k, \qquad h'(a) = 1 - \tanh^2(a) = 1 - z^2" "\n"
              r"\delta^{(1)}_2 = (1 - 0.119427^2)\left(-0.3 \times (-0.649181) + 0.2 \times 0.370382 + 0.6 \times "
              r"0.278799\right) = 0.429890")
    s = check(SOFTMAX, ("d", "delta_h2", bishop), ("bad", "delta_h2", r"\delta^{(1)}_2 = 0.370382"))
    assert (s["d"].verdict, s["bad"].verdict) == ("correct", "incorrect")


def test_the_asked_units_entry_of_an_in_place_vector_is_the_answer() -> None:
    """Goodfellow's g ← g ⊙ σ'(a^{(1)}) = [δ_{h1}; δ_{h2}] asked δ_{h1} (0.00877135): the first entry is the answer
    (the vector's earlier value is not on the line, so the rest is unchecked); the entries swapped are wrong."""
    line = r"\boldsymbol{g} \leftarrow \boldsymbol{g} \odot \sigma'(\boldsymbol{a}^{(1)}) = "
    r = check(SEED004, ("ok", "delta_h1", line + r"\begin{bmatrix} 0.00877135 \\ 0.00995425 \end{bmatrix}"),
              ("bad", "delta_h1", line + r"\begin{bmatrix} 0.00995425 \\ 0.00877135 \end{bmatrix}"))
    assert (r["ok"].verdict, r["bad"].verdict) == ("correct", "incorrect")


def test_a_vector_rule_we_cannot_read_is_set_aside_and_its_entry_decides() -> None:
    """Nielsen's BP2 δ^2 = ((w^3)^T δ^3) ⊙ σ'(z^2) for the whole layer is not read; δ^2_1 = 0.008771 (δ_{h1}) on the
    next line decides. The rule alone, or with δ_{h2}'s value, is no right answer."""
    rule = r"\delta^2 = ((w^3)^T \delta^3) \odot \sigma'(z^2)" "\n"
    entry = (r"\delta^2_1 = (w^3_{11}\, \delta^3_1 + w^3_{21}\, \delta^3_2)\, \sigma'(z^2_1) = (0.40 \times 0.13850 + "
             r"0.50 \times (-0.038098)) \times 0.24130 \approx ")
    r = check(SEED004, ("ok", "delta_h1", rule + entry + "0.008771"), ("bad", "delta_h1", rule + entry + "0.009954"),
              ("alone", "delta_h1", rule))
    assert [r[k].verdict for k in ("ok", "bad", "alone")] == ["correct", "incorrect", "unparseable"]


def test_goodfellows_cost_as_a_function_of_the_parameters() -> None:
    """J(θ) = (1/m) Σ_i L(ŷ^{(i)}, t^{(i)}): the mean of the samples' losses (1.082796); the first sample's loss
    alone (1.047485) is not J."""
    head = (r"J(\boldsymbol{\theta}) = \frac{1}{m} \sum_{i=1}^{m} L\left(\hat{\boldsymbol{y}}^{(i)}, "
            r"\boldsymbol{t}^{(i)}\right) = ")
    r = check(SOFTMAX, ("ok", "E", head + r"\frac{1}{2}(1.047485 + 1.118108) = 1.082796"),
              ("bad", "E", head + "1.047485"))
    assert (r["ok"].verdict, r["bad"].verdict) == ("correct", "incorrect")


def test_diagnoses_name_the_number_substituted_and_the_quantity_stopped_at() -> None:
    """After a right formula: 0.10 (i_2) put where i_1 = 0.05 belongs, and 0.358916 (w5 after its update) where w5 =
    0.40 belongs, are named; ∂E/∂w6 that stops at δ_{o1} derives another quantity; Mitchell's δ = (t − o)·σ′ without
    σ′ in the hidden δ is a missing activation derivative (his sign kept)."""
    mitchell = (r"\delta_{o1} = (t_{o1} - out_{o1})\, out_{o1}(1 - out_{o1}), \quad "
                r"\delta_{o2} = (t_{o2} - out_{o2})\, out_{o2}(1 - out_{o2})" "\n")
    r = check(SEED004,
              ("input", "dE/dw1", r"\frac{\partial E}{\partial w_1} = \delta_{h1}\, i_1 = 0.0087714 \times 0.10"),
              ("new-w5", "dE/dh1", r"\frac{\partial E}{\partial out_{h1}} = \delta_{o1} w_5 + \delta_{o2} w_7 = "
                                   r"0.138499 \times 0.358916 + (-0.0380982) \times 0.50"),
              ("stop", "dE/dw6", r"\frac{\partial E}{\partial w_6} = \delta_{o1} = 0.138499"),
              ("mitchell", "delta_h1", mitchell + r"\delta_{h1} = w_5 \delta_{o1} + w_7 \delta_{o2}"))
    kinds = {k: (a.verdict, a.diagnosis[0].kind) for k, a in r.items()}
    assert kinds == {"input": ("incorrect", "wrong_substituted_value"), "new-w5": ("incorrect", "updated_weights"),
                     "stop": ("incorrect", "other_quantity"),
                     "mitchell": ("incorrect", "missing_activation_derivative")}


def test_forward_slips_are_named() -> None:
    """Seed 000 numbers its weights by source (In_{h1} = w1 x1 + w3 x2): w1 x1 + w2 x2 is the other numbering (a
    wrong weight), w2 x2 + w4 x1 for In_{h2} swaps the inputs, and In_{o1} from the inputs x skips the hidden layer."""
    r = check(SEED000, ("numbering", "net_h1", r"In_{h_1} = w_1 x_1 + w_2 x_2"),
              ("swap", "net_h2", r"In_{h_2} = w_2 x_2 + w_4 x_1"),
              ("skip", "o1", r"In_{o_1} = w_5 x_1 + w_7 x_2" "\n" r"o_1 = \sigma(In_{o_1})"))
    kinds = {k: (a.verdict, a.diagnosis[0].kind) for k, a in r.items()}
    assert kinds == {"numbering": ("incorrect", "wrong_weight"), "swap": ("incorrect", "wrong_input"),
                     "skip": ("incorrect", "wrong_input")}


def test_loss_and_derivative_slips_are_named() -> None:
    """E with the o2 term left out, the batch loss as sample 1's alone (1.047485 of J = 1.082796), and σ′ written at
    the net input (net_O(1 − net_O) for out_O(1 − out_O)) are named."""
    r = check(SEED004, ("E", "E", r"E_{total} = \frac{1}{2}(target_{o1} - out_{o1})^2"))
    s = check(SOFTMAX, ("J", "E", r"J = -\ln y_1 = -\ln 0.350819 = 1.047485"))
    t = check(SEED003, ("w5", "dE/dw5", r"\frac{\partial E}{\partial w_5} = (out_O - target)\, net_O (1 - net_O)\, "
                                        r"out_{h_1}"))
    assert (r["E"].diagnosis[0].kind, s["J"].diagnosis[0].kind, t["w5"].diagnosis[0].kind) == \
        ("missing_path", "one_sample", "wrong_activation_derivative")


def test_updated_weights_written_as_symbols_in_a_symbolic_network_are_named() -> None:
    """Seed 003 (no numbers): w_5^+ in ∂E/∂w_1 is the updated weight where the forward pass's w_5 belongs."""
    r = check(SEED003, ("w1", "dE/dw1", r"\frac{\partial E}{\partial w_1} = -(target - out_O) \, out_O (1 - out_O) \, "
                                        r"w_5^+ \, out_{h_1} (1 - out_{h_1}) \, i_1"))
    assert r["w1"].verdict == "incorrect" and r["w1"].diagnosis[0].kind == "updated_weights"


def test_the_outputs_derivative_for_the_errors_is_another_quantity() -> None:
    """∂out_{o1}/∂w_5 = out_{o1}(1 − out_{o1}) out_{h1} written for ∂E/∂w_5: the factor ∂E/∂out_{o1} is left out."""
    r = check(SEED004, ("dy", "dE/dw5", r"\frac{\partial E}{\partial w_5} = out_{o1}(1 - out_{o1})\, out_{h1}"))
    assert r["dy"].verdict == "incorrect" and r["dy"].diagnosis[0].kind == "other_quantity"


def test_the_squared_norm_of_one_outputs_error_is_its_square() -> None:
    """Seed 002 (one linear output 0.191, target 1): E = ½‖a^{(3)} − y‖² = ½(0.191 − 1)² = 0.3272405; without ½
    it is not E."""
    r = check(SEED002, ("E", "E", r"E = \frac{1}{2} \left\| a^{(3)} - y \right\|^2 = \frac{1}{2}(0.191 - 1)^2 = "
                                  r"0.3272405"),
              ("bad", "E", r"E = \left\| a^{(3)} - y \right\|^2 = (0.191 - 1)^2 = 0.654481"))
    assert (r["E"].verdict, r["bad"].verdict) == ("correct", "incorrect")


def test_the_derivative_of_phi_evaluated_at_the_hidden_units_field() -> None:
    """Seed 001 (Haykin's u_j, the net input of hidden unit j): dΦ/du at u = u_3 is Φ'(In_{h3}); at u_2 it is not."""
    seed001 = EX / "seed001_abstract_phi.toml"
    head = r"\frac{\partial E}{\partial W^{(1)}_{23}} = (y - d) \, W^{(2)}_3 \, \frac{d\Phi}{du}\Big|_{u = "
    r = check(seed001, ("ok", "dE/dW1_23", head + r"u_3} \, x_2"), ("bad", "dE/dW1_23", head + r"u_2} \, x_2"))
    assert (r["ok"].verdict, r["bad"].verdict) == ("correct", "incorrect")
