"""Display of exact values: a fixed number of decimals or of significant digits, never changing the value.

Values are kept exact (rationals) or at derive.PREC digits; only their display is rounded.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal

import sympy as sp

from .derive import PREC, Value


@dataclass(frozen=True)
class Format:
    decimals: int | None = None
    digits: int | None = 6

    def __call__(self, value: Value) -> str:
        return fmt(value, self)


def to_decimal(value: sp.Expr) -> Decimal:
    """Exact for an integer and a rational with a finite decimal expansion (however many digits), else PREC
    significant digits."""
    if value.is_Integer:
        return Decimal(int(value))
    if isinstance(value, sp.Rational) and _terminates(int(value.q)):
        p, q = int(value.p), int(value.q)
        return Context(prec=len(str(abs(p))) + 2 * len(str(q)) + 2).divide(Decimal(p), Decimal(q))
    return Decimal(str(sp.Float(value, PREC)))


def _terminates(q: int) -> bool:
    """Whether 1/q has a finite decimal expansion (q has no prime factor but 2 and 5)."""
    for f in (2, 5):
        while q % f == 0:
            q //= f
    return q == 1


_FORMATTED: dict[tuple[Format, object], str] = {}


def fmt(value: Value, form: Format = Format()) -> str:
    """0.0821670405... with 6 significant digits → '0.0821670'; with 2 decimals → '0.08'; exact 0.15 → '0.15'.

    Remembered: a lecture prints each value many times (in its forward pass, every δ and gradient using it).
    A Float is keyed by its binary value, so that an equal Rational never shares its entry."""
    if value is None:
        return "?"
    key = (form, ("Float", value._mpf_) if isinstance(value, sp.Float) else value)
    text = _FORMATTED.get(key)
    if text is None:
        if len(_FORMATTED) >= 1 << 16:
            _FORMATTED.clear()
        text = _FORMATTED[key] = _fmt(value, form)
    return text


def round_decimals(value: sp.Expr, places: int) -> Decimal:
    """value rounded half up to `places` decimals: the one rounding of the project (the documents' numbers and
    the checker's "the true value to n decimals")."""
    if isinstance(value, sp.Rational) and not value.is_Integer:  # exactly, in integers: n = ⌊|x|·10^places + ½⌋
        p, q = int(value.p), int(value.q)
        n = (2 * abs(p) * 10**places + q) // (2 * q)
        return Decimal((0 if p > 0 else 1, tuple(int(c) for c in str(n)), -places))
    d = to_decimal(value)
    exact = Context(prec=max(28, d.adjusted() + places + 2))  # room for every digit asked for
    return d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=exact)


def _fmt(value: sp.Expr, form: Format) -> str:
    d = to_decimal(value)
    if form.decimals is not None:
        q = round_decimals(value, form.decimals)
        text = f"{q:f}"
        if "." in text and d == q:  # exact: 0.15, not 0.1500
            text = text.rstrip("0").rstrip(".")
    else:
        digits = form.digits or 6
        if d == 0:
            return "0"
        q = Context(prec=digits, rounding=ROUND_HALF_UP).create_decimal(d)
        if len(q.as_tuple().digits) < digits:  # an exact value of fewer digits: shown with as many as asked
            q = q.quantize(Decimal(1).scaleb(q.adjusted() - digits + 1), context=Context(prec=digits + 2))
        exponent = q.adjusted()
        if -5 <= exponent < 15:
            text = f"{q:f}"
            if "." in text and d == q:  # exact: drop the padding zeros (0.15, not 0.150000)
                text = text.rstrip("0").rstrip(".")
        else:
            text = f"{q:e}"
    if text.startswith("-") and Decimal(text) == 0:
        text = text[1:]
    return text


def to_float(value: Value) -> float | None:
    return None if value is None else float(value)


def number_latex(text: str) -> str:
    """A formatted number inside a LaTeX product: negatives in parentheses, exponents as ×10^{n}."""
    if "e" in text:
        mantissa, exp = text.split("e")
        text = rf"{mantissa} \times 10^{{{int(exp)}}}"
    return rf"\left({text}\right)" if text.startswith("-") else text


def number_text(text: str) -> str:
    return f"({text})" if text.startswith("-") else text
