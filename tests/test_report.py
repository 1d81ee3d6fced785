r"""symbackprop.check.report: a check's results as JSON (a contract: README, `check --format json` — fields may be
added, never removed), as text for the terminal, as Markdown for Jupyter and as the LaTeX feedback sheet (the
student's LaTeX shown as escaped text, never as code).

The results are those of four answers for seed 004 whose verdicts are known independently: ∂E/∂w5 = δ_o1·out_h1
= 0.0822 is right (the chain rule; Mazur's 0.082167041 to 4 places), the same with out_h2 is wrong (its input is
out_h1), `\input{…} \frac{1}{` is no derivation, and 20 001 characters are beyond the reader's limit."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import SEED004
from symbackprop import Network
from symbackprop.check.answers import parse_answers
from symbackprop.check.catalogue import say
from symbackprop.check.judge import LineVerdict
from symbackprop.check.report import class_feedback_tex, feedback_tex, result_json, result_markdown, result_text
from symbackprop.check.run import AnswerResult, FileResult, check_answers
from symbackprop.render.tex import strings

HOSTILE = r"\input{/etc/passwd} \write18{rm -rf ~} \frac{1}{"
ANSWERS = [
    ("right", "dE/dw5", r"\frac{\partial E}{\partial w_5} = \delta_{o1}\, out_{h1} = 0.0822"),
    ("wrong", "dE/dw5", r"\frac{\partial E}{\partial w_5} = \delta_{o1}\, out_{h2} = 0.0827"),
    ("bad", "E", HOSTILE),
    ("long", "E", "x" * 20_001),
]
VERDICTS = {"right": "correct", "wrong": "incorrect", "bad": "unparseable", "long": "refused"}


def checked(lang: str = "en") -> FileResult:
    data = {"answer": [{"id": i, "quantity": q, "latex": x} for i, q, x in ANSWERS]}
    return check_answers(Network.load(SEED004), parse_answers(data, "alice.toml"), lang=lang)


@pytest.fixture(scope="module")
def result() -> FileResult:
    return checked()


@pytest.fixture(scope="module")
def result_zh() -> FileResult:
    return checked("zh")


# -- JSON ---------------------------------------------------------------------------------------------------

def test_the_json_has_the_readmes_fields_and_types(result: FileResult) -> None:
    data = json.loads(json.dumps(result_json(result)))  # plain JSON, nothing that json cannot write
    assert data["source"] == "alice.toml"
    assert isinstance(data["answers"], list) and isinstance(data["summary"], dict)
    for a in data["answers"]:
        # README: {"id", "verdict": "correct"|"incorrect"|"unparseable"|"refused", "lines": [{"latex", "verdict",
        # "message"}], "diagnosis": [{"kind", "message", "corrected", "line"}]}
        assert {"id", "verdict", "lines", "diagnosis", "quantity", "message", "latex", "first_wrong"} <= set(a)
        assert isinstance(a["id"], str) and isinstance(a["message"], str) and isinstance(a["latex"], str)
        assert a["verdict"] in {"correct", "incorrect", "unparseable", "refused"}
        assert a["first_wrong"] is None or isinstance(a["first_wrong"], int)
        for line in a["lines"]:
            assert {"latex", "verdict", "message", "expected"} <= set(line)
            assert line["verdict"] in {"correct", "rounding", "incorrect", "unchecked"}
            assert all(isinstance(line[k], str) for k in ("latex", "message", "expected"))
        for d in a["diagnosis"]:
            assert {"kind", "message", "corrected", "line"} <= set(d)
            assert isinstance(d["line"], int) and 0 <= d["line"] < len(a["lines"])
            assert all(isinstance(d[k], str) and d[k] for k in ("kind", "message", "corrected"))


def test_the_json_says_what_each_answer_is(result: FileResult) -> None:
    data = result_json(result)
    assert {a["id"]: a["verdict"] for a in data["answers"]} == VERDICTS
    by_id = {a["id"]: a for a in data["answers"]}
    assert by_id["right"]["first_wrong"] is None and by_id["right"]["diagnosis"] == []
    assert [line["verdict"] for line in by_id["right"]["lines"]] == ["correct"] * 3
    wrong = by_id["wrong"]
    assert wrong["first_wrong"] == 1 and wrong["lines"][1]["latex"] == r"\delta_{o1}\, out_{h2}"
    assert wrong["diagnosis"][0]["kind"] == "wrong_input" and wrong["diagnosis"][0]["line"] == 1
    assert r"\mathit{out}_{h1}" in wrong["lines"][1]["expected"]  # the correct member, LaTeX
    assert by_id["bad"]["lines"] == [] and "line 1, column 1" in by_id["bad"]["message"]
    assert by_id["bad"]["latex"] == HOSTILE  # the answer as written
    assert len(by_id["long"]["latex"]) == 2000  # cut
    assert data["summary"] == {"answers": 4, "correct": 1, "incorrect": 1, "unparseable": 1, "refused": 1,
                               "all_correct": False}


def test_all_correct_only_when_every_answer_is() -> None:
    data = {"answer": [{"id": "a", "quantity": "dE/dw5", "latex": ANSWERS[0][2]}]}
    one = check_answers(Network.load(SEED004), parse_answers(data, "bob.toml"))
    assert result_json(one)["summary"] == {"answers": 1, "correct": 1, "incorrect": 0, "unparseable": 0,
                                           "refused": 0, "all_correct": True}


# -- text ------------------------------------------------------------------------------------------------

def test_the_text_report(result: FileResult) -> None:
    text = result_text(result)
    lines = text.splitlines()
    assert lines[0] == "alice.toml" and text.endswith("\n")
    assert "right (dE/dw5): correct" in lines and "wrong (dE/dw5): incorrect" in lines
    assert any(x.startswith("bad (E): unparseable — unknown command") for x in lines)
    assert any(x.startswith("long (E): refused — ") for x in lines)
    assert r"  ✗ \delta_{o1}\, out_{h2}" in lines and r"  ✓ \delta_{o1}\, out_{h1}" in lines
    assert any(x.startswith("  → wrong input: ") for x in lines)
    assert any(x.startswith(f"    {strings('en').correct_line}: ") for x in lines)
    assert lines[-1] == say("summary", k=1, n=4) + ", 1 incorrect, 1 refused, 1 unparseable"


def test_the_text_report_in_chinese(result_zh: FileResult) -> None:
    text = result_text(result_zh, "zh")
    s = strings("zh")
    assert f"right (dE/dw5): {s.verdict_correct}" in text and f"wrong (dE/dw5): {s.verdict_incorrect}" in text
    assert say("the_quantity", "zh", name="dE/dw5") in text  # the judge's notes in the language checked in
    assert text.splitlines()[-1].startswith(say("summary", "zh", k=1, n=4))


def test_a_line_break_in_a_students_line_does_not_break_the_report() -> None:
    r = FileResult("s.toml", (AnswerResult("q", "E", "incorrect", (LineVerdict("E =\n 0.3", "incorrect", "m"),), ()),))
    assert "  ✗ E = 0.3" in result_text(r).splitlines()


# -- Markdown ---------------------------------------------------------------------------------------------

def test_the_markdown_report_escapes_what_would_break_its_tables(result: FileResult) -> None:
    md = result_markdown(result)
    assert md.startswith("**alice.toml**") and result._repr_markdown_() == md
    assert r"| ✗ | `\delta_{o1}\, out_{h2}` |" in md
    assert "→ *wrong input*: " in md and "$$\n" in md  # the corrected line as display math
    r = FileResult("s|_*.toml", (AnswerResult("q|1", "E", "incorrect",
                                              (LineVerdict("a | b `c`", "incorrect", "x | y"),), ()),))
    md = result_markdown(r)
    assert r"**s\|\_\*.toml**" in md and r"**q\|1**" in md
    assert r"| ✗ | `a \| b 'c'` | x \| y |" in md  # a | would end the cell, a ` the code span


# -- the LaTeX feedback sheet ---------------------------------------------------------------------------

def test_the_feedback_sheet_shows_student_latex_as_text_never_as_code(result: FileResult) -> None:
    tex = feedback_tex(result)
    assert tex.lstrip().startswith(r"\documentclass") and tex.rstrip().endswith(r"\end{document}")
    assert r"\input{" not in tex and r"\write18" not in tex  # never a command …
    assert r"\textbackslash{}input\{/etc/passwd\}" in tex  # … but the text the student wrote
    assert r"\textbackslash{}delta\_\{o1\}" in tex  # a line of the student's, also as text
    assert r"\mathit{out}_{h1}" in tex  # our own LaTeX (the correct line) as math
    s = strings("en")
    assert s.verdict_correct in tex and s.verdict_unparseable in tex and s.verdict_refused in tex
    assert tex.count(r"\section*") == 4


def test_the_feedback_sheet_in_chinese_uses_ctex(result_zh: FileResult) -> None:
    tex = feedback_tex(result_zh, "zh")
    assert r"\documentclass[11pt,a4paper]{ctexart}" in tex and strings("zh").verdict_incorrect in tex
    assert say("the_quantity", "zh", name="dE/dw5") in tex


def test_a_class_document_has_a_sheet_per_file_and_names_files_it_could_not_check(result: FileResult) -> None:
    sheets: list[dict[str, Any]] = [result_json(result), {"source": "carol%.toml", "error": "not TOML: line 1"},
                                    {"file": "dave.toml", "answers": []}]
    tex = class_feedback_tex(sheets)
    assert tex.count(r"\clearpage") == 2  # each sheet on its own pages
    assert r"carol\%.toml" in tex and "not TOML: line 1" in tex and "dave.toml" in tex


def test_our_messages_keep_their_math_and_escape_their_prose() -> None:
    sheet = {"source": "s.toml", "answers": [{
        "id": "q", "quantity": "E", "verdict": "incorrect", "message": "", "latex": "E = 5",
        "lines": [{"latex": "E = 5", "verdict": "incorrect", "message": "expected $w_{5}$ at 5% & more",
                   "expected": "w_{5}"}],
        "diagnosis": [{"kind": "different", "message": "costs $5 only", "corrected": r"\frac{1}{2}", "line": 0}]}]}
    tex = class_feedback_tex([sheet])
    assert r"expected $w_{5}$ at 5\% \& more" in tex  # $…$ of ours stays math, the rest is text
    assert r"costs \$5 only" in tex  # an unbalanced $ is text
    assert r"$\displaystyle \frac{1}{2}$" in tex
