"""numbers.py: how an exact value is displayed — a fixed number of decimals or of significant digits, rounded half
up (Python's decimal ROUND_HALF_UP: a tie goes away from zero, −0.125 → −0.13), exact values without padding
zeros (0.15, not 0.1500), never "-0".

The reference is integer arithmetic on fractions.Fraction, written here: half up to n decimals is
sign · ⌊|x|·10ⁿ + ½⌋ / 10ⁿ; to d significant digits the same at the scale 10^(e−d+1), e = ⌊log₁₀ |x|⌋. It shares
nothing with numbers.py (which goes through sympy.Float and decimal.Context).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symbackprop.limits import MAX_DECIMALS, MAX_DIGITS
from symbackprop.numbers import Format, fmt, number_latex, number_text, round_decimals, to_float

# --- the reference --------------------------------------------------------------------------------------


def half_up(x: Fraction, places: int) -> Fraction:
    """x rounded to `places` decimals, ties away from zero (decimal.ROUND_HALF_UP)."""
    scale = Fraction(10) ** places
    magnitude = (abs(x) * scale + Fraction(1, 2)).__floor__()
    return (-1 if x < 0 else 1) * Fraction(magnitude) / scale


def fixed(q: Fraction, places: int) -> str:
    """q (a multiple of 10^-places) written with exactly `places` decimals."""
    n = abs(q) * Fraction(10) ** places
    assert n.denominator == 1
    digits = str(n.numerator).rjust(places + 1, "0")
    text = digits if places == 0 else f"{digits[:-places]}.{digits[-places:]}"
    return ("-" if q < 0 else "") + text


def strip_exact(text: str, x: Fraction, q: Fraction) -> str:
    """An exact value loses its padding zeros (0.1500 → 0.15, 3.00 → 3)."""
    if "." in text and x == q:
        text = text.rstrip("0").rstrip(".")
    return text


def unsigned_zero(text: str) -> str:
    return text[1:] if text.startswith("-") and Fraction(text) == 0 else text


def expected_decimals(x: Fraction, places: int) -> str:
    q = half_up(x, places)
    return unsigned_zero(strip_exact(fixed(q, places), x, q))


def exponent10(x: Fraction) -> int:
    """⌊log₁₀ |x|⌋ of a non-zero fraction, exactly."""
    x = abs(x)
    e = len(str(x.numerator)) - len(str(x.denominator))
    while Fraction(10) ** e > x:
        e -= 1
    while Fraction(10) ** (e + 1) <= x:
        e += 1
    return e


def expected_digits(x: Fraction, digits: int) -> str:
    """`digits` significant digits, half up; fixed notation for 10^-5 ≤ |x| < 10^15, else d.ddde±n."""
    if x == 0:
        return "0"
    e = exponent10(x)
    m = (abs(x) / Fraction(10) ** (e - digits + 1) + Fraction(1, 2)).__floor__()
    if m == 10 ** digits:  # 9.995 → 10.0: one more digit before the point
        m, e = 10 ** (digits - 1), e + 1
    sign = "-" if x < 0 else ""
    q = (-1 if x < 0 else 1) * Fraction(m) * Fraction(10) ** (e - digits + 1)
    if -5 <= e < 15:
        text = fixed(q, max(0, digits - 1 - e))
        return unsigned_zero(strip_exact(text, x, q))
    mantissa = str(m)
    mantissa = mantissa if digits == 1 else f"{mantissa[0]}.{mantissa[1:]}"
    return f"{sign}{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"


def rational(x: Fraction) -> sp.Rational:
    return sp.Rational(x.numerator, x.denominator)


def test_the_reference_is_decimals_round_half_up() -> None:
    """The reference and Python's decimal module agree on the rule (ties away from zero)."""
    for text in ("0.125", "-0.125", "2.5", "-2.5", "0.005", "1.995", "-0.0049"):
        for places in (0, 1, 2):
            want = Decimal(text).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
            assert half_up(Fraction(text), places) == Fraction(want)


# --- fixed decimals ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "places", "shown"), [
    ("0.125", 2, "0.13"),  # a tie goes up
    ("-0.125", 2, "-0.13"),  # and away from zero for a negative number
    ("0.124999", 2, "0.12"),
    ("0.5", 0, "1"),
    ("-0.5", 0, "-1"),
    ("2.5", 0, "3"),  # not banker's rounding (round(2.5) == 2)
    ("0.15", 4, "0.15"),  # exact: no padding zeros
    ("3", 2, "3"),
    ("0.1", 2, "0.1"),
    ("-0.001", 2, "0.00"),  # rounds to zero: no minus sign, and not exact so the decimals stay
    ("0.0821670405", 4, "0.0822"),  # the README's ∂E/∂w5 at --decimals 4
    ("0.0821670405", 2, "0.08"),
    ("0.995", 2, "1.00"),
    ("-0.995", 2, "-1.00"),
])
def test_decimals_at_the_boundaries(value: str, places: int, shown: str) -> None:
    x = Fraction(value)
    assert expected_decimals(x, places) == shown  # the reference says so too
    assert fmt(rational(x), Format(decimals=places, digits=None)) == shown
    assert Fraction(round_decimals(rational(x), places)) == half_up(x, places)


@settings(max_examples=400, deadline=None)
@given(st.integers(-10 ** 30, 10 ** 30), st.integers(0, 30), st.integers(0, MAX_DECIMALS))
def test_decimals_of_any_exact_value(numerator: int, scale: int, places: int) -> None:
    """Any decimal fraction of up to 31 significant digits, at 0 to 30 decimals (the limit)."""
    x = Fraction(numerator, 10 ** scale)
    assert fmt(rational(x), Format(decimals=places, digits=None)) == expected_decimals(x, places)
    assert Fraction(round_decimals(rational(x), places)) == half_up(x, places)


@settings(max_examples=200, deadline=None)
@given(st.integers(-10 ** 12, 10 ** 12), st.integers(1, 10 ** 12), st.integers(0, MAX_DECIMALS))
def test_decimals_of_a_fraction_that_never_ends(numerator: int, denominator: int, places: int) -> None:
    """1/3, 2/7, …: the fraction is not a decimal, so it is never shown as exact."""
    x = Fraction(numerator, denominator)
    assert fmt(rational(x), Format(decimals=places, digits=None)) == expected_decimals(x, places)


def test_decimals_thirty_and_zero() -> None:
    third = sp.Rational(1, 3)
    assert fmt(third, Format(decimals=30, digits=None)) == "0." + "3" * 30
    assert fmt(sp.Rational(2, 3), Format(decimals=30, digits=None)) == "0." + "6" * 29 + "7"
    assert fmt(sp.Rational(2, 3), Format(decimals=0, digits=None)) == "1"
    assert fmt(sp.Rational(-2, 3), Format(decimals=0, digits=None)) == "-1"
    assert fmt(sp.Rational(-1, 3), Format(decimals=0, digits=None)) == "0"


@pytest.mark.parametrize(("x", "places"), [(Fraction(1, 8) - Fraction(1, 10 ** 60), 2),
                                           (Fraction(10 ** 60) + Fraction(1, 2), 0),
                                           (Fraction(10 ** 60) + Fraction(1, 2), 2)],
                         ids=["just_below_a_tie", "huge_half_0", "huge_half_2"])
def test_exact_values_of_more_than_fifty_digits_round_exactly(x: Fraction, places: int) -> None:
    assert Fraction(round_decimals(rational(x), places)) == half_up(x, places)
    assert fmt(rational(x), Format(decimals=places, digits=None)) == expected_decimals(x, places)


# --- significant digits ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "digits", "shown"), [
    ("0.0821670405", 6, "0.0821670"),  # the README: 6 significant digits keep the trailing zero
    ("0.138498562", 6, "0.138499"),
    ("0.15", 6, "0.15"),  # exact: not 0.150000
    ("0.125", 2, "0.13"),
    ("-0.125", 2, "-0.13"),
    ("9.995", 3, "10.0"),  # the rounding carries into a new digit: still 3 significant digits
    ("0.00001234567", 3, "0.0000123"),  # 10^-5: the smallest in fixed notation
    ("0.000001234567", 3, "1.23e-6"),  # below it, an exponent
    ("123456789012345", 3, "123000000000000"),  # below 10^15: fixed
    ("1234567890123456", 3, "1.23e+15"),
    ("0", 6, "0"),
    ("-0", 6, "0"),
    ("7", 1, "7"),
    ("75", 1, "80"),
    ("1e40", 1, "1e+40"),
])
def test_significant_digits_at_the_boundaries(value: str, digits: int, shown: str) -> None:
    x = Fraction(Decimal(value))
    assert expected_digits(x, digits) == shown
    assert fmt(rational(x), Format(digits=digits)) == shown


@settings(max_examples=400, deadline=None)
@given(st.integers(-10 ** 30, 10 ** 30), st.integers(-70, 40), st.integers(1, MAX_DIGITS))
def test_significant_digits_of_any_exact_value(mantissa: int, exponent: int, digits: int) -> None:
    """Tiny (10^-70) to huge (10^70) values, 1 to 30 digits (the limit).

    One latitude: an exact integer of fewer digits than asked, in exponent notation, may stop at its own digits
    (10^15 at 17 digits: 1.000000000000000e+15); the value shown is the same."""
    x = Fraction(mantissa) * Fraction(10) ** exponent
    shown, want = fmt(rational(x), Format(digits=digits)), expected_digits(x, digits)
    if shown != want:
        assert x.denominator == 1 and len(str(abs(x.numerator))) < digits, (shown, want)
        assert "e" in shown and "e" in want and Fraction(Decimal(shown)) == Fraction(Decimal(want)) == x


def test_the_default_format_is_six_significant_digits() -> None:
    assert Format() == Format(decimals=None, digits=6)
    assert fmt(sp.Rational(2, 3)) == "0.666667"
    assert fmt(sp.Rational(-200000, 3)) == "-66666.7"


def test_decimals_win_over_digits() -> None:
    """Format(decimals=n) counts decimals whatever `digits` says (the spec allows only one of them)."""
    assert fmt(sp.Rational(2, 3), Format(decimals=2, digits=6)) == "0.67"


def test_a_float_is_its_binary_value_and_never_shares_an_entry_with_an_equal_rational() -> None:
    """sympy.Float(0.1) is the double nearest 1/10; fmt remembers its answers, keyed so that the Float and the
    Rational 1/10 never get each other's text, whichever comes first."""
    binary = Fraction(0.1)  # the exact value of the double
    assert binary != Fraction(1, 10)
    want = expected_decimals(binary, 30)
    assert want == "0.100000000000000005551115123126"
    # two forms that print alike (digits is ignored beside decimals) but are remembered apart: one order each
    for form, first in ((Format(decimals=30, digits=7), sp.Float(0.1)), (Format(decimals=30, digits=8), 1)):
        if first == 1:
            assert fmt(sp.Rational(1, 10), form) == "0.1"
        assert fmt(sp.Float(0.1), form) == want
        assert fmt(sp.Rational(1, 10), form) == "0.1"


def test_a_fifty_digit_float_rounds_as_its_value() -> None:
    """derive keeps non-rational values as 50-digit Floats: σ(0.3775) to 6 digits and to 4 decimals."""
    value = 1 / (1 + sp.exp(-sp.Rational(3775, 10000)))
    exact = Fraction(str(sp.N(value, 80)))  # far more digits than are shown
    f50 = sp.Float(value.evalf(50), 50)
    assert fmt(f50) == expected_digits(exact, 6) == "0.593270"
    assert fmt(f50, Format(decimals=4, digits=None)) == expected_decimals(exact, 4) == "0.5933"


def test_a_symbolic_value_is_a_question_mark() -> None:
    assert fmt(None) == "?"
    assert Format(decimals=2)(None) == "?"
    assert to_float(None) is None
    assert to_float(sp.Rational(1, 4)) == 0.25


@pytest.mark.parametrize(("text", "latex", "plain"), [
    ("0.5", "0.5", "0.5"),
    ("-0.5", r"\left(-0.5\right)", "(-0.5)"),  # a negative factor of a product in parentheses
    ("1.23e-6", r"1.23 \times 10^{-6}", "1.23e-6"),
    ("-1.2e+20", r"\left(-1.2 \times 10^{20}\right)", "(-1.2e+20)"),
])
def test_a_number_inside_a_product(text: str, latex: str, plain: str) -> None:
    assert number_latex(text) == latex
    assert number_text(text) == plain
