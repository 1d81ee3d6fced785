r"""symbackprop.check.lines: pass C of the derivation reader, the cooked tokens -> lines -> chains -> elements.

The tests look at how a text is cut, before any expression is built: where lines end (newline, `\\`,
environments, math delimiters), which lines continue the one before, where a line splits into chains (`,`,
prose, arrows, `\qquad`) and a chain into elements (its relations), and when a bracket of row entries becomes a
matrix. parse()'s expressions for the same texts are tested in tests/test_parse.py.
"""

from __future__ import annotations

import math

import pytest

from symbackprop.check.lex import _lex
from symbackprop.check.lines import _chains, _elements, _lines, _logical_lines, _vectors
from symbackprop.check.rewrite import _rewrite
from symbackprop.check.tokens import _PARSER_TERMINALS, ParseError, _Source, _Tok


def tokens(text: str) -> tuple[list[_Tok], _Source]:
    src = _Source(text, math.inf, math.inf)  # no deadline: these tests read no clock
    return _rewrite(_lex(src), src, 60, None), src


def cut(text: str) -> list[list[list[_Tok]]]:
    """The logical lines of text, each cut into chains (lists of tokens)."""
    toks, src = tokens(text)
    return [_chains(line) for line in _logical_lines(_lines(toks, src), src)]


def words(toks: list[_Tok]) -> str:
    """The tokens as written, without the \\quad kept for _vectors: "a = b"."""
    return " ".join(str(t) for t in toks if t.type != "SOFTSEP")


def layout(text: str) -> list[list[str]]:
    return [[words(chain) for chain in line] for line in cut(text)]


def one_chain(text: str) -> tuple[list[_Tok], _Source]:
    """The tokens of the one chain of text (and its source)."""
    toks, src = tokens(text)
    [line] = _logical_lines(_lines(toks, src), src)
    [chain] = _chains(line)
    return chain, src


def elements(text: str) -> tuple[list[str], list[str]]:
    """The elements and relations of the one chain of text."""
    chain, src = one_chain(text)
    parts, relations = _elements(_vectors(chain, src), src)
    return [words(p) for p in parts], relations


# ---------------------------------------------------------------------------------------------- lines


def test_double_backslash_splits_lines() -> None:
    assert layout(r"a = b \\ c = d") == [["a = b"], ["c = d"]]


def test_newline_splits_lines_and_blank_lines_are_ignored() -> None:
    assert layout("a = b\n\n\nc = d\n") == [["a = b"], ["c = d"]]


@pytest.mark.parametrize("text", ["a = b\n= c", "a = b +\nc", "a = b\n+ c", "a = b\n\\times c", "a =\nb = c"])
def test_a_line_continues_after_or_before_a_relation_or_operator(text: str) -> None:
    """A line starting with a relation or one of + × · * /, or following a line that ends with one, continues it."""
    assert len(layout(text)) == 1


def test_a_leading_minus_starts_a_new_line_except_after_a_break_in_an_environment() -> None:
    """`- c` may start an expression of its own; only after a `\\` inside an environment it continues the line."""
    assert len(layout("a = b\n-c = d")) == 2
    assert layout(r"\begin{aligned} a &= b \\ - c \end{aligned}") == [["a = b - c"]]


def test_a_newline_inside_brackets_is_a_space() -> None:
    assert layout("a = (b\nc)") == [["a = ( b c )"]]


def test_aligned_ampersands_are_dropped_and_its_lines_joined() -> None:
    """aligned's `&` markers are gone; its `&=` lines continue the first: one chain a = b = c."""
    text = r"""\begin{aligned}
    a &= b \\
      &= c
    \end{aligned}"""
    assert layout(text) == [["a = b = c"]]
    assert elements(text) == (["a", "b", "c"], ["=", "="])


def test_a_trailing_full_stop_or_comma_ends_the_line() -> None:
    assert layout("a = b.") == [["a = b"]]
    assert layout("a = b,\nc = d.") == [["a = b"], ["c = d"]]


# ------------------------------------------------------------------------------------ math delimiters


def test_math_delimiters_may_wrap_the_whole_answer_or_each_display() -> None:
    assert layout("$a = b$") == [["a = b"]]
    assert layout("$$a = b$$,\n$$c = d$$.") == [["a = b"], ["c = d"]]
    assert layout(r"\[ a = b \]") == [["a = b"]]


@pytest.mark.parametrize(("text", "message"), [
    ("$a = b$ c", "outside the math delimiters"),
    ("a = $b$", "may only wrap the whole answer"),
    ("$a = b", "never closed"),
    (r"$a = b\]", "does not close"),
])
def test_misplaced_math_delimiters_are_an_error(text: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        cut(text)


# --------------------------------------------------------------------------------------- environments


@pytest.mark.parametrize(("text", "message"), [
    (r"\begin{cases} a = b \end{cases}", "unsupported environment cases: cases cannot be checked"),
    (r"\begin{foo} a = b \end{foo}", "unsupported environment foo"),
    (r"\begin{aligned} a = b", "is never closed"),
    (r"\begin{aligned} a = b \end{align}", "does not match"),
    (r"a = (b \\ c)", r"is not closed before \\\\"),
])
def test_environment_and_bracket_errors(text: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        cut(text)


# --------------------------------------------------------------------------------------------- chains


@pytest.mark.parametrize(("text", "chains"), [
    ("a = b, c = d", ["a = b", "c = d"]),
    ("a = b; c = d", ["a = b", "c = d"]),
    (r"a = b \text{ where } b = 2", ["a = b", "b = 2"]),
    (r"a = b \Rightarrow c = d", ["a = b", "c = d"]),
    ("a = b 其中 b = 2", ["a = b", "b = 2"]),
    (r"a = b \qquad c = d", ["a = b", "c = d"]),
    (r"A \quad B \quad C", ["A", "B", "C"]),
])
def test_separators_split_a_line_into_chains(text: str, chains: list[str]) -> None:
    assert layout(text) == [chains]


def test_a_comma_inside_brackets_separates_nothing() -> None:
    assert layout("f(a, b) = c") == [["f ( a , b ) = c"]]


def test_quad_after_a_relation_is_a_space_when_what_follows_has_none() -> None:
    r"""`\delta &= A \times B \quad C`: the chain has a relation and `C` none, so the \quad is a space (a product)."""
    assert layout(r"\delta = A \times B \quad C") == [[r"\delta = A \times B C"]]


# ------------------------------------------------------------------------------------------- elements


def test_relations_separate_the_elements_of_a_chain() -> None:
    assert elements(r"a = b \approx c \leftarrow d") == (["a", "b", "c", "d"], ["=", "approx", "assign"])


def test_a_relation_inside_brackets_separates_nothing() -> None:
    assert elements("a = (b = c)")[1] == ["="]


@pytest.mark.parametrize(("text", "message"), [
    ("a = = b", "missing expression between two relations"),
    ("a =", "missing expression after"),
    (r"\begin{bmatrix} a = b \end{bmatrix}", "inside a matrix"),
])
def test_a_chain_with_a_missing_element_is_an_error(text: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        elements(text)


def test_every_element_token_is_a_terminal_of_the_grammar() -> None:
    """What _elements hands to the grammar holds only its terminals (REL, SOFTSEP, NL, … are gone)."""
    text = r"\frac{\partial E}{\partial w_5} = (o_1 - y_1) o_1 (1 - o_1) h_1 \quad = 0.25 \times 0.48 \approx 0.12"
    parts, relations = elements(text)
    assert len(parts) == len(relations) + 1 == 4
    chain, src = one_chain(text)
    for part in _elements(_vectors(chain, src), src)[0]:
        assert {t.type for t in part} <= _PARSER_TERMINALS


# -------------------------------------------------------------------------------------------- vectors


def test_a_row_bracket_beside_a_matrix_becomes_a_matrix() -> None:
    r"""`[h_1 \ h_2]` in a chain that has a matrix environment is a 1×2 matrix: its brackets become the matrix's,
    and a column separator is put where the `\ ` stood."""
    text = r"[h_1 \ h_2] \begin{bmatrix} w_5 \\ w_6 \end{bmatrix} = c"
    chain, src = one_chain(text)
    out = _vectors(chain, src)
    assert [t.type for t in out][:8] == ["MBEGIN", "NAME", "USCORE", "SUBTEXT", "MCOL", "NAME", "USCORE", "SUBTEXT"]
    assert out[0].info == "["


def test_a_row_bracket_alone_stays_a_bracket() -> None:
    r"""Without a matrix in the chain (and with only one such bracket) `[a \ b]` is a plain bracket: no matrix, and
    the \quad of `[2 \quad 3]` is only dropped."""
    for text in (r"x = [a \ b]", r"x = [2 \quad 3]"):
        chain, src = one_chain(text)
        out = _vectors(chain, src)
        assert not {"MBEGIN", "MCOL", "SOFTSEP"} & {t.type for t in out}
        assert [t.type for t in out][2] == "LBRACK"
