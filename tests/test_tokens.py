r"""symbackprop.check.tokens: what every pass of the reader shares — ParseError (a message for the student with
its position), Refused, the limits beyond which an answer is refused, and the source text normalised character by
character (fullwidth forms and mathematical letters read as ASCII, positions unchanged). Read through parse(),
the reader's one entry: each limit is accepted at its value and refused one past it."""

from __future__ import annotations

import pytest

from symbackprop.check import tokens
from symbackprop.check.parse import ParseError, RawName, Refused, parse


def test_a_parse_error_carries_the_position_it_names() -> None:
    text = "w_5 = 1\n  + \\foo"
    with pytest.raises(ParseError) as info:
        parse(text)
    e = info.value
    assert text[e.position:].startswith("\\foo")  # 0-based position of the construct
    assert (e.line, e.column) == (2, 5) and e.message.endswith("at line 2, column 5") and str(e) == e.message
    assert isinstance(e, Exception) and not isinstance(e, Refused)


def test_errors_are_the_readers_two_exceptions_and_nothing_else() -> None:
    assert issubclass(tokens.ParseError, Exception) and issubclass(tokens.Refused, Exception)
    assert not issubclass(tokens.Refused, tokens.ParseError)  # refused is not "unparseable"
    assert tokens.Refused("too big").message == "too big"


@pytest.mark.parametrize(("at_limit", "beyond", "words"), [
    ("0." + "1" * (tokens.MAX_NUMBER_DIGITS - 1), "0." + "1" * tokens.MAX_NUMBER_DIGITS, "more than 50 digits"),
    ("1" * tokens.MAX_NUMBER_DIGITS, "1" * (tokens.MAX_NUMBER_DIGITS + 1), "more than 50 digits"),
    (f"1e{tokens.MAX_EXPONENT}", f"1e{tokens.MAX_EXPONENT + 1}", "exponent larger than 1000"),
    (f"2^{{{tokens.MAX_EXPONENT}}}", f"2^{{{tokens.MAX_EXPONENT + 1}}}", "exponent larger than 1000"),
    (rf"\sum_{{i=1}}^{{{tokens.MAX_SUM_TERMS}}} x_i", rf"\sum_{{i=1}}^{{{tokens.MAX_SUM_TERMS + 1}}} x_i",
     "more than 100 terms"),
    (r"\begin{bmatrix}" + r"\\".join(["&".join("1" * tokens.MAX_MATRIX_SIDE)] * tokens.MAX_MATRIX_SIDE)
     + r"\end{bmatrix}",
     r"\begin{bmatrix}" + r"\\".join(["&".join("1" * (tokens.MAX_MATRIX_SIDE + 1))] * 2) + r"\end{bmatrix}",
     "larger than 10×10"),
])
def test_each_limit_is_accepted_at_its_value_and_refused_past_it(at_limit: str, beyond: str, words: str) -> None:
    assert parse(at_limit).chains
    with pytest.raises(Refused) as info:
        parse(beyond)
    assert words in info.value.message


def test_the_length_and_depth_limits_of_parse() -> None:
    assert parse("x" * 20 + "+1", max_chars=22).chains
    with pytest.raises(Refused):
        parse("x" * 20 + "+1", max_chars=21)
    assert parse("(" * 60 + "1" + ")" * 60).chains
    with pytest.raises(Refused):
        parse("(" * 61 + "1" + ")" * 61)


@pytest.mark.parametrize(("written", "ascii_text"), [
    ("ｗ_5 ＝ 0.5", "w_5 = 0.5"),  # fullwidth forms (a Chinese input method)
    ("w_5\u3000=\u30000.5", "w_5 = 0.5"),  # the ideographic space
    ("𝑤_5 = 𝜎(𝑥)", "w_5 = \\sigma(x)"),  # mathematical italic letters, as pasted from a PDF
    ("ℎ_1 = 0.5", "h_1 = 0.5"),
    ("{}^{*}w_6 = 0.5", "w_6^{+} = 0.5"),  # hmkcode's *w6: the updated weight
])
def test_characters_read_as_their_plain_forms(written: str, ascii_text: str) -> None:
    a, b = parse(written), parse(ascii_text)
    assert [[e.expr for e in c.elements] for c in a.chains] == [[e.expr for e in c.elements] for c in b.chains]
    assert set(a.names.values()) == set(b.names.values())


def test_positions_stay_where_the_student_wrote_them() -> None:
    # one character for one: an error after fullwidth text is at the column the student sees
    with pytest.raises(ParseError) as info:
        parse("ｗ_5 ＝ \\foo")
    assert info.value.column == 7 and info.value.position == 6
    parsed = parse("ｗ_5 ＝ 0.5")
    assert parsed.chains[0].elements[1].start == 6
    assert parsed.names[parsed.chains[0].elements[0].expr] == RawName("w", "5")
