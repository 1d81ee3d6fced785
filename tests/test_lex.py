r"""symbackprop.check.lex: pass A of the derivation reader, the text -> raw tokens.

The contract tested here is the lexer's own, below what parse() shows (tests/test_parse.py): which raw tokens a
text makes, that positions always point into the original text, what is set aside as layout, and which input is
an error at this stage already. Every expectation follows from the rule quoted with it.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symbackprop.check.lex import _lex, _prose_blanked, plain_math
from symbackprop.check.tokens import ParseError, Refused, _normalize, _Source, _Tok


def source(text: str) -> _Source:
    return _Source(text, math.inf, math.inf)  # no deadline: these tests read no clock


def lex(text: str) -> list[_Tok]:
    return _lex(source(text))


def types(text: str) -> list[str]:
    return [t.type for t in lex(text)]


# --------------------------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(("text", "info"), [
    ("8.77e-3", "8.77e-3"),
    ("8.77E-03", "8.77e-3"),  # the exponent is read as an integer: -03 is -3
    ("1e-4", "1e-4"),
    ("2.5e+2", "2.5e2"),
    (r"6.8765\mathrm{e}{-1}", "6.8765e-1"),  # an upright e is the same notation
])
def test_scientific_notation_is_one_number_token(text: str, info: str) -> None:
    """`8.77e-3` is one exact number: a single NUMBER token over the whole text, its info "<mantissa>e<exponent>"."""
    toks = lex(text)
    assert [t.type for t in toks] == ["NUMBER"]
    assert toks[0].info == info
    assert (toks[0].start_pos, toks[0].end_pos) == (0, len(text))


def test_scientific_exponent_after_letters_is_left_to_tex() -> None:
    """In `w1e-3` TeX gives the digit to w: the 1 is a number of its own and `e-3` is read as e - 3."""
    toks = lex("w1e-3")
    assert [(t.type, str(t)) for t in toks] == [("LETTERS", "w"), ("NUMBER", "1"), ("LETTERS", "e"),
                                                 ("MINUS", "-"), ("NUMBER", "3")]


def test_decimal_comma_is_a_decimal_point_in_the_info() -> None:
    """`0{,}25` is 0.25 written with a decimal comma: one NUMBER whose info uses the point."""
    toks = lex("0{,}25")
    assert [t.type for t in toks] == ["NUMBER"]
    assert toks[0].info == "0.25"


def test_a_number_of_more_than_50_digits_is_refused() -> None:
    with pytest.raises(Refused):
        lex("1" * 51)
    assert types("1" * 50) == ["NUMBER"]


def test_a_scientific_exponent_above_1000_is_refused() -> None:
    with pytest.raises(Refused):
        lex("1e1001")
    assert types("1e1000") == ["NUMBER"]


# ----------------------------------------------------------------------------------- what is set aside


@pytest.mark.parametrize("layout", [r"\,", r"\;", r"\!", r"\:", "~", r"\displaystyle", r"\hspace{2pt}",
                                    r"\hskip 2pt", r"\mkern3mu", r"\label{eq:1}", r"\tag{3}", r"\nonumber"])
def test_spacing_and_layout_make_no_token(layout: str) -> None:
    """Spacing and layout commands are ignored: `a <layout> b` lexes as the two letters alone."""
    assert types(f"a {layout} b") == ["LETTERS", "LETTERS"]


def test_aligned_ampersands_are_dropped_and_breaks_kept() -> None:
    """In aligned, `&` is only an alignment marker (no token); `\\` ends a line (BREAK) and the environment is kept
    as BEGIN/END for the line splitter."""
    toks = lex(r"\begin{aligned} a &= b \\ &= c \end{aligned}")
    assert [t.type for t in toks] == ["BEGIN", "LETTERS", "REL", "LETTERS", "BREAK", "REL", "LETTERS", "END"]
    assert toks[0].info == toks[-1].info == "aligned"


def test_ampersand_and_break_inside_a_matrix_separate_entries() -> None:
    """Inside bmatrix, `&` separates columns (MCOL) and `\\` rows (MROW); a `\\` right before `\\end` is dropped."""
    toks = lex(r"\begin{bmatrix} a & b \\ c & d \\ \end{bmatrix}")
    assert [t.type for t in toks] == ["MBEGIN", "LETTERS", "MCOL", "LETTERS", "MROW", "LETTERS", "MCOL", "LETTERS",
                                      "MEND"]


def test_underbrace_note_is_set_aside() -> None:
    """`\\underbrace{x}_{\\text{note}}`: the term stays, the note goes (there is no token inside the note)."""
    text = r"\underbrace{a + b}_{\text{the net input}} = c"
    toks = lex(text)
    note = text.index(r"_{\text")
    assert not any(note <= t.start_pos < len(text) - 4 for t in toks)
    assert [t.type for t in toks] == ["LBRACE", "LETTERS", "PLUS", "LETTERS", "RBRACE", "REL", "LETTERS"]


# ------------------------------------------------------------------------------------- names and prose


def test_text_word_is_a_name_and_text_prose_a_separator() -> None:
    """`\\text{out}` is one name (TEXTNAME); `\\text{where}` is prose: a HARDSEP that will split chains."""
    assert [(t.type, t.info) for t in lex(r"\text{out}")] == [("TEXTNAME", "out")]
    assert [(t.type, t.info) for t in lex(r"\text{ where }")] == [("HARDSEP", "text")]


def test_a_run_of_cjk_prose_is_one_separator() -> None:
    """`其中` (a run of non-Latin, non-Greek letters) is prose: one HARDSEP over the run, whatever its length."""
    text = "a = b 其中 b = c"
    toks = lex(text)
    prose = [t for t in toks if t.type == "HARDSEP"]
    assert len(prose) == 1 and prose[0].info == "prose"
    assert text[prose[0].start_pos:prose[0].end_pos].strip() == "其中"


def test_greek_commands_and_characters_are_the_same_name() -> None:
    r"""`\delta` and `δ` are the NAME "delta"; `\ell` and `ℓ` the name "l"."""
    assert [(t.type, t.info) for t in lex(r"\delta δ \ell ℓ")] == [("NAME", "delta")] * 2 + [("NAME", "l")] * 2


def test_relations_are_classified_by_meaning() -> None:
    r"""`=`, `:=`, `\approx` and `\leftarrow` are all REL, their info the relation: "=", "=", "approx", "assign"."""
    toks = lex(r"a = b := c \approx d \leftarrow e")
    assert [t.info for t in toks if t.type == "REL"] == ["=", "=", "approx", "assign"]


# ------------------------------------------------------------------------------------- bars and errors


def test_an_evaluation_bar_is_one_token_with_its_sizer() -> None:
    r"""`\Big|` followed by a subscript is an evaluation bar: one EVALBAR from the `\Big` to the bar."""
    text = r"E \Big|_{w=0.4}"
    toks = lex(text)
    bar = next(t for t in toks if t.type == "EVALBAR")
    assert text[bar.start_pos:bar.end_pos] == r"\Big|"


def test_an_absolute_values_bars_are_a_norms() -> None:
    r"""`|∂E/∂w_7|` (one term tight against both bars) and `\left| … \right|`: an absolute value, its bars opening
    and closing as a norm's do (read as |x|); a table's "| w5 | 0.4 |" is no absolute value."""
    assert [t.info for t in lex(r"w - \eta |g_7| ") if t.type == "NORM"] == ["left", "right"]
    assert [t.info for t in lex(r"w - \eta \left| g_7 \right|") if t.type == "NORM"] == ["left", "right"]
    with pytest.raises(ParseError):
        lex("| w5 | 0.4 |")


@pytest.mark.parametrize(("text", "column"), [
    (r"a + \foo", 5),  # an unknown command
    ("a + |x", 5),  # a bar without a script, nor a second bar to close an absolute value
    ("a + é", 5),  # an accented letter outside \text
])
def test_unreadable_input_is_a_parse_error_at_its_column(text: str, column: int) -> None:
    with pytest.raises(ParseError) as info:
        lex(text)
    assert (info.value.line, info.value.column, info.value.position) == (1, column, column - 1)


def test_known_unsupported_commands_become_tokens_carrying_their_hint() -> None:
    """`\\pm` is an error of its chain only (the answer's other chains may still be read): an UNSUPPORTED token
    whose info is the message."""
    toks = lex(r"a \pm b")
    assert toks[1].type == "UNSUPPORTED" and "±" in toks[1].info


# ---------------------------------------------------------------------------------------- positions


def test_positions_point_into_the_original_text_after_normalisation() -> None:
    """Fullwidth forms are read as ASCII (＝ is =, ｗ is w), but the tokens' positions are those of the text as
    written: each token's span in the original text is the character(s) it was made from."""
    text = "ｗ１ ＝ （ａ）"
    toks = lex(text)
    assert [t.type for t in toks] == ["LETTERS", "NUMBER", "REL", "LPAR", "LETTERS", "RPAR"]
    assert [text[t.start_pos:t.end_pos] for t in toks] == ["ｗ", "１", "＝", "（", "ａ", "）"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab{}^*\n ＝ｗ𝑤𝜎ℎ")), max_size=40))
def test_normalize_keeps_every_position(text: str) -> None:
    """_normalize rewrites character by character (also the padded `{}^{*}w`): same length, newlines in place."""
    norm = _normalize(text)
    assert len(norm) == len(text)
    assert [i for i, c in enumerate(norm) if c == "\n"] == [i for i, c in enumerate(text) if c == "\n"]


def test_markdown_prose_is_blanked_and_math_kept_in_place() -> None:
    """A Markdown cell: prose and the dollar signs become blanks (a line break between two pieces of math on one
    line), the math stays at its positions, so that each piece of math is a line of its own."""
    text = "The error is $E = 1$ and the weight $w = 2$."
    out = _prose_blanked(text)
    assert len(out) == len(text)
    for piece in ("E = 1", "w = 2"):
        assert out[text.index(piece):text.index(piece) + len(piece)] == piece
    assert set(out.replace("E = 1", "").replace("w = 2", "")) <= {" ", "\n"}
    assert out.count("\n") >= 2


def test_math_without_prose_is_returned_as_it_is() -> None:
    for text in ("$E = 1$", r"a = b \\ c = d", "$$E = 1$$\n$$w = 2$$"):
        assert _prose_blanked(text) == text


def test_plain_math_is_idempotent_over_the_corpus() -> None:
    """plain_math runs twice on an answer (the checker's run, then parse): what it made must read back as itself, or
    its second pass rewrites its own output (a sample's bracket made ^{(1)} after ln's argument was read; one of two
    reaction marks left to count as a like). Every development answer of the corpus."""
    from corpus.load import HALVES, load_corpus

    changed = [(f.path.name, c.id) for half in HALVES if half.startswith("tune") for f in load_corpus(half)
               for c in f.cases if plain_math(once := plain_math(c.latex)) != once]
    assert changed == []


@pytest.mark.parametrize("text", ["L = −ln y1(1) + ln y3(2) = −ln(0.350819)", "👍❤️ 23     12 comments\n",
                                  "J = (L(ex1) + L(ex2)) / 2, ln P_k(ex2)"])
def test_plain_math_is_idempotent_on_the_forms_that_were_not(text: str) -> None:
    """The two forms the corpus test found, and this session's samples named ex1: each made once, then left."""
    once = plain_math(text)
    assert plain_math(once) == once
