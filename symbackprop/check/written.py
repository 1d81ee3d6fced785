"""Numbers as a student writes them: the decimals of a line (also 8.77e-3 and 8.77 \\times 10^{-3}), the places
and significant digits they give, and whether one is a right rounding of a value."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import sympy as sp

from ..numbers import round_decimals
from .vocabulary import COMMA_DECIMAL, decimal_comma, terminating_decimal

_DECIMAL = re.compile(r"(?<![\d.])(\d*(?:\.|\{,\})\d+|" + COMMA_DECIMAL + r"|\d+)"
                      r"(?:\s*(?:\\times|\\cdot|×|·)\s*10\s*\^\s*\{?\s*([-+−]?\d+)\s*\}?|[eE]([-+−]?\d+))?(?![\w.])")


@dataclass(frozen=True)
class Written:
    """A decimal as written in a line (also 8.77e-3, 8.77 \\times 10^{-3}): its span, text and exact value."""

    start: int
    end: int
    text: str  # "0.0821", "8.77e-3"
    value: sp.Rational


_FRACTION = re.compile(r"\\[dt]?frac[ \t]*\{[ \t]*(\d{1,12})[ \t]*\}[ \t]*\{[ \t]*(\d{1,12})[ \t]*\}")


def _terminating(m: re.Match[str]) -> Written | None:
    """Wolfram-style \\tfrac{809}{1000}: an exact fraction with a finite decimal expansion and a denominator of 20
    or more — the ½ of a loss and the ¼ of a rule are constants."""
    a, b = int(m.group(1)), int(m.group(2))
    text = terminating_decimal(a, b) if b >= 20 else None
    return Written(m.start(), m.end(), text, sp.Rational(a, b)) if text is not None else None


def decimals(src: str) -> list[Written]:
    """The decimals of a line, and its exact fractions with a finite decimal expansion (\tfrac{809}{1000} as
    0.809); integers (1 − o, 2, 10 of 10^{-3}) are exact and not listed."""
    out = [w for m in _FRACTION.finditer(src) if (w := _terminating(m)) is not None]
    for m in _DECIMAL.finditer(src):
        if _glued(src, m.start()):
            continue
        if "," in m.group(1).replace("{,}", "") and decimal_comma(src, m.start()) is None:
            continue  # a comma that is no decimal one (lex reads it as a list's or a script's)
        mantissa, exponent = re.sub(r"\{,\}|,", ".", m.group(1)), m.group(2) or m.group(3)  # 0{,}01, 0,01
        if exponent is None and "." not in mantissa:
            continue
        text = mantissa + (f"e{int(exponent.replace('−', '-'))}" if exponent else "")
        out.append(Written(m.start(), m.end(), text, sp.Rational(text)))
    return sorted(out, key=lambda w: w.start)


def _glued(src: str, start: int) -> bool:
    """Is the number at `start` part of a word (w5, x_1e, ab0.5)? Not after a control word: \\cdot0.5622 is TeX's
    \\cdot and 0.5622, as the lexer reads it."""
    k = start
    while k > 0 and (src[k - 1].isalnum() or src[k - 1] == "_"):
        k -= 1
    return k < start and not (k > 0 and src[k - 1] == "\\" and src[k:start].isascii() and src[k:start].isalpha())


def places(literal: str) -> int:
    """Decimals written: 3 for 0.082, 5 for 8.77e-3 (the parser's literal of 8.77 \\times 10^{-3})."""
    mantissa, _, exponent = literal.lower().partition("e")
    places = len(mantissa.split(".")[1]) if "." in mantissa else 0
    return places - int(exponent) if exponent else places


def significant(value: sp.Expr, places: int) -> int:
    """How many significant digits of `value` a number with `places` decimals gives."""
    if value == 0:
        return places + 1
    d = Decimal(str(sp.Float(abs(value), 60)))
    return places + d.adjusted() + 1


def ulp(text: str) -> sp.Expr:
    """One unit in the last place written: 0.001 for 0.082, 10^-5 for 8.77e-3."""
    return sp.Integer(10) ** -places(text)


def near(text: str, v: sp.Expr, precision: sp.Expr | None = None) -> bool:
    """A decimal standing for the value v: a right rounding, or within 0.3% (drift from earlier rounding) — less
    when the numbers it can have been computed from are known to be finer: ten times their relative `precision`
    (0.2491765166 for ŷ_1(1 − ŷ_1) = 0.2494685, from ŷ_1 = 0.4769457586, is another factor's value, not drift)."""
    if rounds_to(text, v):
        return True
    allowed = sp.Rational(3, 1000)
    if precision is not None:
        allowed = min(allowed, max(10 * precision, sp.Rational(5) / 10 ** max(significant(v, places(text)), 1)))
    return abs(abs(sp.Rational(text)) - abs(v)) <= abs(v) * allowed


def drifted(text: str, v: sp.Expr) -> bool:
    """Could the decimal be v computed by hand from numbers rounded to as many digits as it has? The fewer its
    digits, the more they drift: 5% for two (seed 002's 0.93 for 0.9236), 0.5% for three, 0.05% for four."""
    digits = max(significant(v, places(text)), 1)
    return abs(abs(sp.Rational(text)) - abs(v)) <= abs(v) * min(sp.Rational(5) / 10**digits, sp.Rational(2, 100))


def rounds_to(text: str, v: sp.Expr) -> bool:
    """Is the written decimal a right rounding of |v| (with a last-digit slip allowed at 3+ significant digits,
    as a hand calculation from rounded numbers gives)?"""
    x, n, unit = abs(sp.Rational(text)), places(text), ulp(text)
    gap = abs(x - abs(v))
    if gap <= unit / 2 + sp.Rational(1, 10**40):
        return True
    return significant(v, n) >= 3 and gap <= unit and gap <= abs(v) / 500


def coarse_tolerance(src: str, value: sp.Expr) -> sp.Expr:
    """What the rounding of a line's numbers explains without the line's structure, to first order: half a unit in
    the last place of each number, scaled by its weight."""
    total = sp.Rational(0)
    for d in decimals(src):
        number = abs(d.value)
        total += ulp(d.text) / 2 * (1 + (abs(value) / number if number else 0))
    return total * sp.Rational(11, 10)


def fmt(x: sp.Expr, places: int | None = None) -> str:
    if places is not None:
        return f"{round_decimals(x, places):f}"
    return f"{Decimal(str(sp.Float(x, 60))):.6g}"
