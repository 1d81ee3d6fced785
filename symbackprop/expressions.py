"""The expressions a graph spec writes (`expr = "w0*x0 + w1*x1 + w2"`), read by our own grammar into SymPy.

Text from a spec never reaches `eval`, `sympify` or `parse_expr`: lark parses it with the grammar below, and the
transformer builds the SymPy expression from numbers (exact rationals), the names the caller allows, and the
functions of FUNCTIONS (the activation registry's elementwise entries among them). A bad expression is one
ExpressionError with the column where reading stopped and what was expected there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction

import sympy as sp
from lark import Lark, Token, Transformer, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.exceptions import VisitError

from . import activations

MAX_EXPRESSION = 2_000  # characters of one expression
MAX_NESTING = 64  # parentheses and function calls inside one another

_GRAMMAR = r"""
?start: sum
?sum: product
    | sum "+" product   -> add
    | sum "-" product   -> sub
?product: unary
    | product "*" unary -> mul
    | product "/" unary -> div
?unary: power
    | "-" unary         -> neg
    | "+" unary
?power: atom
    | atom POW unary    -> pow
?atom: NUMBER           -> number
    | NAME              -> name
    | NAME "(" sum ("," sum)* ")" -> call
    | "(" sum ")"
POW: "^" | "**"
NUMBER: /(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/
NAME: /[A-Za-z][A-Za-z0-9_]*/
%ignore /[ \t]+/
"""

_PARSER = Lark(_GRAMMAR, parser="lalr", maybe_placeholders=False)


def _activation(name: str) -> Callable[[sp.Expr], sp.Expr]:
    act = activations.make(name)
    return act.forward


#: function name → (number of arguments: an int, or None for two or more; the SymPy function)
FUNCTIONS: dict[str, tuple[int | None, Callable[..., sp.Expr]]] = {
    "exp": (1, sp.exp), "log": (1, sp.log), "ln": (1, sp.log), "sqrt": (1, sp.sqrt), "abs": (1, sp.Abs),
    "sin": (1, sp.sin), "cos": (1, sp.cos), "max": (None, sp.Max), "min": (None, sp.Min),
    # every elementwise activation of the registry, by its names (sigmoid, tanh, relu, softplus, ...)
    **{n: (1, _activation(n)) for n, k in activations.NAMES.items()
       if activations.KINDS[k].elementwise and k != "abstract"},
}


class ExpressionError(ValueError):
    """An expression that cannot be read: the message says where (column, from 1) and what was expected."""


class _Build(Transformer):
    def __init__(self, names: Mapping[str, sp.Symbol]) -> None:
        super().__init__()
        self.names = names

    def number(self, items: list[Token]) -> sp.Expr:
        f = Fraction(str(items[0]))
        return sp.Rational(f.numerator, f.denominator)

    def name(self, items: list[Token]) -> sp.Expr:
        tok = items[0]
        if str(tok) in FUNCTIONS:
            raise ExpressionError(f"{tok} is a function: write {tok}(…) (column {tok.column})")
        if str(tok) not in self.names:
            raise ExpressionError(f"unknown name {str(tok)!r} at column {tok.column}; expected one of "
                                  f"{', '.join(self.names) or '(no names)'}")
        return self.names[str(tok)]

    def call(self, items: list) -> sp.Expr:
        tok, args = items[0], items[1:]
        if str(tok) not in FUNCTIONS:
            raise ExpressionError(f"unknown function {str(tok)!r} at column {tok.column}; expected one of "
                                  f"{', '.join(sorted(FUNCTIONS))}")
        arity, f = FUNCTIONS[str(tok)]
        if (arity is None and len(args) < 2) or (arity is not None and len(args) != arity):
            wanted = "two or more arguments" if arity is None else f"{arity} argument{'s' * (arity != 1)}"
            raise ExpressionError(f"{tok}() at column {tok.column} takes {wanted}, got {len(args)}")
        return self.apply(str(tok), f, args)

    def apply(self, name: str, f: Callable[..., sp.Expr], args: list[sp.Expr]) -> sp.Expr:
        return f(*args)

    def add(self, items: list[sp.Expr]) -> sp.Expr:
        return items[0] + items[1]

    def sub(self, items: list[sp.Expr]) -> sp.Expr:
        return items[0] - items[1]

    def mul(self, items: list[sp.Expr]) -> sp.Expr:
        return items[0] * items[1]

    def div(self, items: list[sp.Expr]) -> sp.Expr:
        if items[1] == 0:
            raise ExpressionError("division by zero")
        return items[0] / items[1]

    def neg(self, items: list[sp.Expr]) -> sp.Expr:
        return -items[0]

    def pow(self, items: list) -> sp.Expr:
        base, exponent = items[0], items[2]
        if base == 0 and exponent.is_number and exponent.is_negative:
            raise ExpressionError("0 to a negative power")
        return base ** exponent


class _Display(_Build):
    """The same expression as written, for printing only: nothing reordered or evaluated, functions by name."""

    def number(self, items: list[Token]) -> sp.Expr:
        value = super().number(items)
        return sp.Float(str(items[0]), len(str(items[0]).lstrip("-.0")) or 1) if not value.is_Integer else value

    def apply(self, name: str, f: Callable[..., sp.Expr], args: list[sp.Expr]) -> sp.Expr:
        return sp.Function(name)(*args)

    def add(self, items: list[sp.Expr]) -> sp.Expr:
        return sp.Add(items[0], items[1], evaluate=False)

    def sub(self, items: list[sp.Expr]) -> sp.Expr:
        return sp.Add(items[0], sp.Mul(-1, items[1], evaluate=False), evaluate=False)

    def mul(self, items: list[sp.Expr]) -> sp.Expr:
        return sp.Mul(items[0], items[1], evaluate=False)

    def div(self, items: list[sp.Expr]) -> sp.Expr:
        return sp.Mul(items[0], sp.Pow(items[1], -1, evaluate=False), evaluate=False)

    def neg(self, items: list[sp.Expr]) -> sp.Expr:
        return sp.Mul(-1, items[0], evaluate=False)

    def pow(self, items: list) -> sp.Expr:
        return sp.Pow(items[0], items[2], evaluate=False)


def _expected(exc: UnexpectedInput) -> str:
    names = {"PLUS": "+", "MINUS": "-", "STAR": "*", "SLASH": "/", "LPAR": "(", "RPAR": ")", "COMMA": ",",
             "POW": "^", "NUMBER": "a number", "NAME": "a name", "$END": "the end"}
    wanted = sorted({names.get(t, t) for t in getattr(exc, "expected", ()) or getattr(exc, "allowed", ())})
    return f"; expected {', '.join(wanted)}" if wanted else ""


def parse_expression(text: str, names: Mapping[str, sp.Symbol], display: bool = False) -> sp.Expr:
    """`text` as a SymPy expression over `names` (name → symbol): numbers exact, functions from FUNCTIONS.
    With `display`, the expression as written, for printing (unevaluated, functions by name)."""
    if not isinstance(text, str):
        raise ExpressionError(f"expected an expression as a string, got {type(text).__name__}")
    if len(text) > MAX_EXPRESSION:
        raise ExpressionError(f"expected at most {MAX_EXPRESSION} characters, got {len(text)}")
    if not text.strip():
        raise ExpressionError("expected an expression, got nothing")
    depth = deepest = 0
    for c in text:
        depth += (c == "(") - (c == ")")
        deepest = max(deepest, depth)
    if deepest > MAX_NESTING:
        raise ExpressionError(f"expected at most {MAX_NESTING} parentheses inside one another, got {deepest}")
    try:
        tree = _PARSER.parse(text)
    except UnexpectedCharacters as exc:
        raise ExpressionError(f"unexpected {text[exc.pos_in_stream or 0]!r} at column {exc.column}"
                              f"{_expected(exc)}") from None
    except UnexpectedEOF as exc:
        raise ExpressionError(f"the expression ends too early{_expected(exc)}") from None
    except UnexpectedToken as exc:
        if exc.token.type == "$END":
            raise ExpressionError(f"the expression ends too early{_expected(exc)}") from None
        raise ExpressionError(f"unexpected {str(exc.token)!r} at column {exc.column}{_expected(exc)}") from None
    try:
        out = (_Display if display else _Build)(names).transform(tree)
    except VisitError as exc:
        if isinstance(exc.orig_exc, ExpressionError):
            raise exc.orig_exc from None
        raise ExpressionError(f"cannot be computed: {exc.orig_exc}") from None
    if not display and out.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise ExpressionError("the expression is not finite (a division by zero or a logarithm of zero)")
    return out
