r"""symbackprop.check.rewrite: pass B of the derivation reader, raw tokens -> the tokens the grammar reads.

Each test feeds a short text through the lexer and `_rewrite` (all the rewriting steps, in their order) and looks at
the tokens that come out: what the rewriting settles from context that the lexer cannot (names from letter runs,
scripts, scientific numbers, function calls, evaluation bars, brackets). parse()'s results for the same notations
are in tests/test_parse.py; here only the token stream is asserted.
"""

from __future__ import annotations

import math

import pytest

from symbackprop.check.lex import _lex
from symbackprop.check.rewrite import _check_brackets, _rewrite
from symbackprop.check.tokens import ParseError, Refused, _Plain, _Source, _Tok


def source(text: str) -> _Source:
    return _Source(text, math.inf, math.inf)  # no deadline: these tests read no clock


def rewrite(text: str, *, sum_samples: int | None = None, max_depth: int = 60) -> list[_Tok]:
    src = source(text)
    return _rewrite(_lex(src), src, max_depth, sum_samples)


def shown(text: str, **kwargs: int) -> list[tuple[str, str]]:
    return [(t.type, str(t.info)) for t in rewrite(text, **kwargs)]


# ------------------------------------------------------------------------------------------ letter runs


def test_an_unknown_letter_run_is_one_name_per_letter() -> None:
    """`hout` is not a known word: four names, h·o·u·t, each at its own position."""
    toks = rewrite("hout")
    assert [(t.type, t.info) for t in toks] == [("NAME", c) for c in "hout"]
    assert [t.start_pos for t in toks] == [0, 1, 2, 3]


def test_a_known_word_is_one_name() -> None:
    assert shown("out") == [("NAME", "out")]
    assert shown("net") == [("NAME", "net")]


def test_digits_right_after_letters_are_a_subscript() -> None:
    """`w5` = w_5: the name, then an underscore (written nowhere: empty) and the subscript text."""
    toks = rewrite("w5")
    assert [t.type for t in toks] == ["NAME", "USCORE", "SUBTEXT"]
    assert (toks[0].info, str(toks[1]), toks[2].info) == ("w", "", "5")


def test_an_unbraced_subscript_run_is_taken_whole() -> None:
    """Unlike TeX, `E_total` is E_{total}: one SUBTEXT for the whole run (and its digits: `out_h1`)."""
    assert [t.type for t in rewrite("E_total")] == ["NAME", "USCORE", "SUBTEXT"]
    assert shown("E_total")[-1] == ("SUBTEXT", "total")
    assert shown("out_h1")[-1] == ("SUBTEXT", "h1")


# ---------------------------------------------------------------------------------------- superscripts


@pytest.mark.parametrize(("text", "mark"), [
    ("W^{(1)}", "1"), ("a^{[l]}", "[l]"), ("w^{+}", "+"), ("w^{new}", "+"), ("w^{(old)}", "old"), ("a^{l-1}", "l-1"),
])
def test_a_name_superscript_is_one_mark(text: str, mark: str) -> None:
    """Layer indices, updates and `new`/`old` belong to the name: one SUPMARK token, its info the superscript."""
    assert shown(text) == [("NAME", text[0]), ("SUPMARK", mark)]


@pytest.mark.parametrize("text", ["W^T", "W^{T}", r"W^\top", r"W^{\top}"])
def test_a_transpose_is_one_token(text: str) -> None:
    assert [t.type for t in rewrite(text)] == ["NAME", "TRANSPOSE"]


def test_a_power_keeps_its_caret_and_argument() -> None:
    """Any other superscript is a power: the CARET stays for the grammar, with its one-token argument."""
    assert [t.type for t in rewrite("x^2")] == ["NAME", "CARET", "NUMBER"]


def test_an_unbraced_superscript_of_several_characters_is_an_error() -> None:
    """TeX reads `x^10` as x^{1}0: we do not guess, it is a ParseError asking for braces."""
    with pytest.raises(ParseError, match="braces"):
        rewrite("x^10")


def test_a_one_token_argument_takes_one_character() -> None:
    r"""`\frac12` is \frac{1}{2}: the number 12 is split into two one-character arguments, as TeX reads it."""
    assert shown(r"\frac12") == [("FRAC", "frac"), ("NUMBER", "1"), ("NUMBER", "2")]


# -------------------------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(("text", "info"), [
    (r"8.77 \times 10^{-3}", "8.77e-3"),
    (r"8.77\cdot10^{-3}", "8.77e-3"),
    (r"1.2 \times 10^3", "1.2e3"),
])
def test_a_number_times_a_power_of_ten_is_one_number(text: str, info: str) -> None:
    toks = rewrite(text)
    assert [(t.type, t.info) for t in toks] == [("NUMBER", info)]
    assert (toks[0].start_pos, toks[0].end_pos) == (0, len(text))


def test_a_power_of_ten_after_a_script_is_not_merged() -> None:
    r"""In `x^2 \times 10^3` the 2 is the argument of ^, not a mantissa: the tokens stay apart."""
    assert [t.type for t in rewrite(r"x^2 \times 10^3")] == ["NAME", "CARET", "NUMBER", "MUL", "NUMBER", "CARET",
                                                             "NUMBER"]


# ------------------------------------------------------------------------------------------ functions


def test_a_function_name_before_a_bracket_is_applied() -> None:
    r"""`\sigma(z)`: FUNC with the canonical name, and the bracket marks the call."""
    assert [t.type for t in rewrite(r"\sigma(z)")] == ["FUNC", "CALL_LPAR", "NAME", "RPAR"]
    assert rewrite(r"\text{sigmoid}(z)")[0].info == "sigma"


def test_another_name_before_a_bracket_is_a_product() -> None:
    assert [t.type for t in rewrite("h(x)")] == ["NAME", "LPAR", "NAME", "RPAR"]


def test_a_bare_function_command_applies_to_what_follows() -> None:
    assert [t.type for t in rewrite(r"\ln x")] == ["FUNC_BARE", "NAME"]


def test_max_needs_brackets() -> None:
    with pytest.raises(ParseError, match="brackets"):
        rewrite(r"\max x")


# ------------------------------------------------------------------------------- bars, wrappers, blanks


def test_an_evaluation_bar_goes_with_its_scripts() -> None:
    r"""`\left. E \right|_{w=0.4}^{2}`: the expression is what stands before the bar; `\left.` is invisible."""
    assert shown(r"\left. E \right|_{w=0.4}^{2}") == [("NAME", "E")]


def test_a_wrapper_around_one_token_is_that_token() -> None:
    r"""`\mathbf{W}_{12}` is W_{12}: the wrapper and its braces are gone, the subscript's braces stay."""
    assert [t.type for t in rewrite(r"\mathbf{W}_{12}")] == ["NAME", "USCORE", "LBRACE", "NUMBER", "RBRACE"]


def test_a_value_left_blank_ends_the_chain_where_it_was_written() -> None:
    """`a = ?` at the end: the relation and the blank are dropped."""
    assert shown("a = ?") == [("NAME", "a")]


def test_a_remark_in_brackets_with_prose_is_dropped() -> None:
    r"""A bracket holding prose (`\text{shared by both}`, several words) is a remark: dropped with its brackets. A
    bracket holding a single `\text` word holds a name, and stays."""
    assert shown(r"a (\text{one } b \text{ shared by both}) = c") == [("NAME", "a"), ("REL", "="), ("NAME", "c")]
    assert [t.type for t in rewrite(r"a (\text{out}) = c")] == ["NAME", "LPAR", "NAME", "RPAR", "REL", "NAME"]


# --------------------------------------------------------------------------------------------- brackets


def test_unbalanced_brackets_are_an_error() -> None:
    with pytest.raises(ParseError, match="never closed"):
        rewrite("(a + b")
    with pytest.raises(ParseError, match="no opening bracket"):
        rewrite("a + b)")
    with pytest.raises(ParseError, match="does not match"):
        rewrite("(a + b]")


def test_bracket_depth_beyond_the_limit_is_refused() -> None:
    text = "(" * 4 + "a" + ")" * 4
    assert shown(text, max_depth=4)[4] == ("NAME", "a")
    with pytest.raises(Refused):
        rewrite(text, max_depth=3)


def test_check_brackets_pairs_left_with_right() -> None:
    r"""`\left(` must be closed by `\right)`, not by a plain `)`."""
    src = source(r"\left( a )")
    with pytest.raises(ParseError, match=r"\\left must be closed by \\right"):
        _check_brackets(_lex(src), src, 60)


# ------------------------------------------------------------------------------- whole-answer context


def test_gradient_nabla_becomes_a_partial_derivative_fraction() -> None:
    r"""Goodfellow's `\nabla_{w} J` is written out as \frac{\partial J}{\partial w}."""
    assert [t.type for t in rewrite(r"\nabla_{w} J")] == ["FRAC", "LBRACE", "PARTIAL", "NAME", "RBRACE", "LBRACE",
                                                          "PARTIAL", "NAME", "RBRACE"]


def test_haykins_time_index_is_dropped_with_one_sample_only() -> None:
    """E(n) with one sample is E; with several samples the (n) stays (it may index them)."""
    assert shown("E(n)") == [("NAME", "E")]
    assert [t.type for t in rewrite("E(n)", sum_samples=2)] == ["NAME", "LPAR", "NAME", "RPAR"]


def test_an_answer_that_defines_e_never_means_eulers_number() -> None:
    """`e = d - y` defines e: every e of that answer is then a name (_Plain), also in `e^2`."""
    es = [t for t in rewrite("e = d - y, E = e^2") if t.type == "NAME" and t.info == "e"]
    assert len(es) == 2 and all(isinstance(t.info, _Plain) for t in es)
    assert not isinstance(next(t for t in rewrite("E = e^2") if t.info == "e").info, _Plain)


def test_every_rewritten_token_keeps_a_position_in_the_text() -> None:
    """Tokens made or split by the rewriting still point into the text (errors report their line and column)."""
    text = r"\frac{\partial E}{\partial w5} = 8.77 \times 10^{-3} + \sigma(x^{(1)}) \nabla_{w} J"
    for t in rewrite(text):
        assert 0 <= t.start_pos <= t.end_pos <= len(text)
