"""symbackprop.check.answers: the answers file (a contract, README "check"): an optional `spec`, an optional
`[grading]` table, `[[answer]]` tables with id, quantity, optional step, min_significant and require_value, and latex.

The file format is read from the README's own example; every malformed file is one SpecError naming the file,
the key (its position: answer[k].field) and what was expected — never another exception."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT
from symbackprop.check.answers import MIN_SIGNIFICANT, Answer, Answers, load_answers, parse_answers
from symbackprop.errors import SpecError
from symbackprop.limits import MAX_ANSWER_STEP


def readme_example() -> str:
    """The answers file the README shows under `check` (the first ```toml block after "The answers file")."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    after = readme[readme.index("The answers file"):]
    block = re.search(r"```toml\n(.*?)```", after, re.S)
    assert block is not None
    return textwrap.dedent(block.group(1))


def answer(**fields: Any) -> dict[str, Any]:
    return {"id": "q1", "quantity": "dE/dw5", "latex": r"\frac{\partial E}{\partial w_5} = 0.08", **fields}


def error(data: dict[str, Any], **kw: Any) -> SpecError:
    with pytest.raises(SpecError) as info:
        parse_answers(data, "student.toml", **kw)
    assert info.value.source == "student.toml"
    return info.value


# -- the format ------------------------------------------------------------------------------------

def test_the_readme_example_loads_as_documented(tmp_path: Path) -> None:
    path = tmp_path / "answers.toml"
    path.write_text(readme_example(), encoding="utf-8")
    a = load_answers(path)
    assert isinstance(a, Answers) and a.source == str(path)
    # spec = "network.toml": relative to the answers file's folder
    assert a.spec == tmp_path / "network.toml" and a.ignored_spec is None
    (q1,) = a.answers
    # the README's comments: step optional (0 = the network as given), min_significant 1 for this answer
    assert (q1.id, q1.quantity, q1.step, q1.min_significant) == ("q1", "dE/dw5", 0, 1)
    assert q1.latex.strip().startswith(r"\delta_5 = \frac{\partial E}{\partial w_5}") and q1.latex.strip().endswith(
        "= 0.03")


def test_defaults_and_what_is_kept_verbatim() -> None:
    latex = "  \\frac{\\partial E}{\\partial w_5}\n  = 0.08  "
    a = parse_answers({"answer": [answer(quantity="  dE/dw5 ", latex=latex)]}, "s.toml")
    (q,) = a.answers
    assert q == Answer("q1", "dE/dw5", latex, 0, MIN_SIGNIFICANT)  # the quantity trimmed, the LaTeX untouched
    assert MIN_SIGNIFICANT == 2  # the README: "(default 2)"
    assert a.spec is None and a.source == "s.toml"


def test_grading_sets_every_answers_digits_and_an_answer_overrides_it() -> None:
    a = parse_answers({"grading": {"min_significant": 3},
                       "answer": [answer(id="a"), answer(id="b", min_significant=0), answer(id="c", step=4)]}, "s")
    assert [(x.id, x.min_significant, x.step) for x in a.answers] == [("a", 3, 0), ("b", 0, 0), ("c", 3, 4)]


def test_require_value_is_false_by_default_set_by_grading_and_overridden_per_answer() -> None:
    plain = parse_answers({"answer": [answer()]}, "s")
    assert plain.answers[0].require_value is False  # the README: "(default false)"
    a = parse_answers({"grading": {"require_value": True},
                       "answer": [answer(id="a"), answer(id="b", require_value=False)]}, "s")
    assert [(x.id, x.require_value) for x in a.answers] == [("a", True), ("b", False)]


def test_the_answers_keep_the_files_order() -> None:
    ids = [f"q{k}" for k in (3, 1, 2, 10)]
    a = parse_answers({"answer": [answer(id=i) for i in ids]}, "s")
    assert [x.id for x in a.answers] == ids


def test_the_spec_path_is_relative_to_the_answers_file(tmp_path: Path) -> None:
    base = tmp_path / "class"
    assert parse_answers({"spec": "net.toml", "answer": [answer()]}, "s", base).spec == base / "net.toml"
    assert parse_answers({"spec": "../n/net.toml", "answer": [answer()]}, "s", base).spec == base / "../n/net.toml"
    absolute = tmp_path / "abs.toml"
    assert parse_answers({"spec": str(absolute), "answer": [answer()]}, "s", base).spec == absolute
    assert parse_answers({"spec": "net.toml", "answer": [answer()]}, "s").spec == Path("net.toml")


def test_the_lecturers_spec_sets_the_students_aside_unopened() -> None:
    a = parse_answers({"spec": "/etc/passwd.toml", "answer": [answer()]}, "s", own_spec=False)
    assert a.spec is None and a.ignored_spec == "/etc/passwd.toml"
    # not even checked: a spec key that would be an error is only noted
    b = parse_answers({"spec": "not-a-spec.txt", "answer": [answer()]}, "s", own_spec=False)
    assert b.spec is None and b.ignored_spec == "not-a-spec.txt"


def test_a_byte_order_mark_and_windows_line_ends_are_harmless(tmp_path: Path) -> None:
    path = tmp_path / "win.toml"
    text = '[[answer]]\r\nid = "q"\r\nquantity = "E"\r\nlatex = """\r\nE = 0.30\r\n= 0.298\r\n"""\r\n'
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    (q,) = load_answers(path).answers
    assert q.latex == "E = 0.30\n= 0.298\n"  # TOML drops the first newline of a multi-line string


# -- bad files: one SpecError naming the key --------------------------------------------------------

@pytest.mark.parametrize(("data", "key", "words"), [
    ({"answers": [answer()]}, "answers", "unknown key 'answers'"),
    ({"grading": 2, "answer": [answer()]}, "grading", "expected a table"),
    ({"grading": {"digits": 2}, "answer": [answer()]}, "grading.digits", "expected min_significant"),
    ({"grading": {"min_significant": -1}, "answer": [answer()]}, "grading.min_significant", "from 0 to 15"),
    ({"grading": {"min_significant": 16}, "answer": [answer()]}, "grading.min_significant", "got 16"),
    ({"grading": {"min_significant": True}, "answer": [answer()]}, "grading.min_significant", "got True"),
    ({"grading": {"min_significant": 2.0}, "answer": [answer()]}, "grading.min_significant", "got 2.0"),
    ({"grading": {"require_value": "yes"}, "answer": [answer()]}, "grading.require_value", "expected true or false"),
    ({"answer": [answer(require_value=1)]}, "answer[0].require_value", "expected true or false, got 1"),
    ({"spec": 3, "answer": [answer()]}, "spec", "ending in .toml"),
    ({"spec": "net.json", "answer": [answer()]}, "spec", "ending in .toml"),
    ({"spec": "a\0.toml", "answer": [answer()]}, "spec", "ending in .toml"),
    ({}, "answer", "at least one [[answer]]"),
    ({"answer": []}, "answer", "at least one [[answer]]"),
    ({"answer": {"id": "q"}}, "answer", "at least one [[answer]]"),
    ({"answer": [answer(), "q2"]}, "answer[1]", "expected a table"),
    ({"answer": [answer(points=2)]}, "answer[0].points", "unknown key 'points'"),
    ({"answer": [{"quantity": "E", "latex": "E"}]}, "answer[0].id", "non-empty string"),
    ({"answer": [answer(id="  ")]}, "answer[0].id", "non-empty string"),
    ({"answer": [answer(id=7)]}, "answer[0].id", "non-empty string"),
    ({"answer": [answer(quantity="")]}, "answer[0].quantity", "non-empty string"),
    ({"answer": [answer(latex="")]}, "answer[0].latex", "non-empty string"),
    ({"answer": [answer(), answer(id="q2", latex=None)]}, "answer[1].latex", "non-empty string"),
    ({"answer": [answer(id="q\n1")]}, "answer[0].id", "a line break at position 2"),
    ({"answer": [answer(quantity="dE/dw5\x1b[2J")]}, "answer[0].quantity", "U+001B at position 7"),
    ({"answer": [answer(id="x" * 201)]}, "answer[0].id", "at most 200 characters"),
    ({"answer": [answer(latex="w_5 = 0.4\x07")]}, "answer[0].latex", "U+0007 at position 10"),
    ({"answer": [answer(step=-1)]}, "answer[0].step", "from 0 to 50"),
    ({"answer": [answer(step=MAX_ANSWER_STEP + 1)]}, "answer[0].step", "got 51"),
    ({"answer": [answer(step=True)]}, "answer[0].step", "got True"),
    ({"answer": [answer(step="1")]}, "answer[0].step", "got '1'"),
    ({"answer": [answer(min_significant=99)]}, "answer[0].min_significant", "got 99"),
    ({"answer": [answer(), answer(quantity="E")]}, "answer[1].id", "duplicate id 'q1'"),
])
def test_a_bad_file_is_one_error_naming_the_key(data: dict[str, Any], key: str, words: str) -> None:
    exc = error(data)
    assert exc.key == key and words in exc.message, (exc.key, exc.message)
    assert str(exc).startswith(f"student.toml: {key}: ")  # how the command line prints it: file, key, message


def test_line_breaks_and_tabs_are_latex_not_control_characters() -> None:
    latex = "\\frac{\\partial E}{\\partial w_5}\n\t= 0.08\r\n"
    assert parse_answers({"answer": [answer(latex=latex)]}, "s").answers[0].latex == latex


def test_the_limits_themselves_are_accepted() -> None:
    a = parse_answers({"grading": {"min_significant": 15},
                       "answer": [answer(step=MAX_ANSWER_STEP, id="x" * 200, min_significant=0)]}, "s")
    assert (a.answers[0].step, a.answers[0].min_significant, len(a.answers[0].id)) == (50, 0, 200)


@pytest.mark.parametrize(("text", "words"), [
    ("[[answer]\nid = 'q'", "malformed TOML at line 1"),
    ('[[answer]]\nid = "q"\nid = "r"\n', "malformed TOML"),
])
def test_a_file_that_is_not_toml_names_the_file(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_answers(path)
    assert info.value.source == str(path) and words in info.value.message


def test_undecodable_bytes_are_named_by_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    line4 = 'latex = "E = 0,5 \u00e9"'
    path.write_bytes(f'[[answer]]\nid = "q"\nquantity = "E"\n{line4}\n'.encode("latin-1"))
    with pytest.raises(SpecError) as info:
        load_answers(path)
    column = line4.index("\u00e9") + 1  # 1-based, the é being one byte in Latin-1
    assert f"line 4, column {column}" in info.value.message and info.value.source == str(path)


def test_a_missing_file_or_a_directory_is_one_error(tmp_path: Path) -> None:
    for path in (tmp_path / "nope.toml", tmp_path):
        with pytest.raises(SpecError) as info:
            load_answers(path)
        assert info.value.source == str(path)
