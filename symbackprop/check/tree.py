"""Pass D of the derivation reader: one element's tokens → a SymPy expression over raw names.

The LALR grammar (grammar.lark, no conflicts) is fed the tokens one by one (`_parse_tokens`: the text is never
given to eval, sympify or parse_latex); `_Build` turns the tree into SymPy bottom-up, without recursion —
names registered in `_Names` as `RawName`/`RawPartial`, numbers exact, sums expanded, derivatives and
matrices built under their budgets — and `_transform` makes whatever fails a ParseError or Refused.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import sympy as sp
from lark import Lark, Token
from lark.exceptions import UnexpectedInput, UnexpectedToken, VisitError
from lark.lexer import Lexer
from lark.visitors import Transformer_NonRecursive

from .catalogue import Phrase
from .tokens import (
    _DESCRIBE,
    MAX_EXPONENT,
    MAX_MATRIX_NODES,
    MAX_MATRIX_SIDE,
    MAX_NUMBER_DIGITS,
    MAX_POWER_DIGITS,
    MAX_SUM_NODES,
    MAX_SUM_TERMS,
    MAX_TOTAL_DIGITS,
    ParseError,
    Refused,
    _Plain,
    _show,
    _Source,
    _Tok,
)
from .vocabulary import (
    _BUILTIN,
    DIFFERENTIAL_D,
    LAYER_SIZES,
    NG_D,
    PATTERN_INDEX,
    SAMPLE_INDICES,
    SET_SUM,
    SIZE_NAMES,
    SUM_BASES,
    SUM_GREEK,
    SUM_LETTERS,
    WORDS,
    alternation,
)


@dataclass(frozen=True)
class RawName:
    """A name as written: base "w", sub "5", sup "" for w_5; base "W", sub "12", sup "1" for W^{(1)}_{12};
    accent "hat", "bar", "tilde" or "vec" for \\hat{y}_1 (base "y", sub "1"), "" without one."""

    base: str
    sub: str = ""
    sup: str = ""
    accent: str = ""

    def __str__(self) -> str:
        base = f"{self.accent}({self.base})" if self.accent else self.base
        return base + (f"_{self.sub}" if self.sub else "") + (f"^{self.sup}" if self.sup else "")


@dataclass(frozen=True)
class RawPartial:
    """∂of/∂wrt (or d of / d wrt) with both sides single names."""

    of: RawName
    wrt: RawName

    def __str__(self) -> str:
        return f"∂{self.of}/∂{self.wrt}"


#: a \sum's index: a letter, or a Greek letter no formula uses otherwise (Marsland's \sum_{\kappa} over the outputs)
_SUM_LOWER = re.compile(r"([A-Za-z]|" + alternation(SUM_GREEK) + r")(?:=(-?[0-9]{1,6}))?")
_SUM_OVER = re.compile(r"([A-Za-z])∈(.+)")
#: \sum_{(x,y)}, \sum_{(x,y) \in \mathcal{D}_{\text{train}}}: CS221's sum over the examples of the training set
_SUM_PAIRS = re.compile(r"\(?([A-Za-z]),([A-Za-z])\)?(?:∈.+)?")  # (the brackets may be gone)
#: \sum_{k \in \{5, 6\}}: over the units listed
_SUM_SET = re.compile(r"([A-Za-z])∈\\\{((?:[0-9]{1,6},)*[0-9]{1,6})\\\}")


#: capital letters that take a layer as a bare superscript (MIT's A^1, Z^2; not W: Hagan's W^2(1) is iteration 1's)
_LAYER_CAPITALS = frozenset({"A", "Z"})


def _entry_index(sub: tuple[str, ...]) -> tuple[sp.Integer, ...] | None:
    """_1, _{12}, _{1,2} → (1,), (1, 2): the subscript of an entry, from 1; None for any other subscript."""
    text = "".join(sub)
    digits = text.replace(",", "")
    if not digits.isdigit() or not 1 <= len(digits) <= 2 or "0" in digits or text.count(",") > (len(digits) == 2):
        return None
    return tuple(sp.Integer(int(d)) for d in digits)


# ------------------------------------------------------------------------------------------ the parser


class _NoLexer(Lexer):
    """Tokens are fed one by one through the interactive parser; Lark never lexes."""

    def __init__(self, conf: Any) -> None:
        pass

    def lex(self, *args: Any) -> Any:  # pragma: no cover - never called
        raise NotImplementedError


@lru_cache(maxsize=1)
def _parser() -> Lark:
    grammar = (Path(__file__).with_name("grammar.lark")).read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", lexer=_NoLexer, strict=True, start="expr")


def _parse_tokens(toks: list[_Tok], src: _Source) -> Any:
    ip = _parser().parse_interactive(None, start="expr")
    try:
        for k, t in enumerate(toks):
            if k % 256 == 255:
                src.check_time()
            ip.feed_token(t)
        return ip.feed_eof(toks[-1])
    except UnexpectedToken as e:
        tok = e.token
        expected = sorted({_DESCRIBE.get(x, x) for x in e.expected if x in _DESCRIBE and x != "$END"})
        hint = {"expected": Phrase(", ".join(expected), "、".join(getattr(x, "zh", x) for x in expected))} \
            if 0 < len(expected) <= 4 else {}
        if tok.type == "$END":
            raise src.error("ends_early_expected" if hint else "ends_early", toks[-1].end_pos, **hint) from None
        if tok.type == "IN":
            raise src.error("set_in", tok.start_pos) from None
        raise src.error("unexpected_expected" if hint else "unexpected", tok.start_pos or 0, token=_show(tok),
                        **hint) from None
    except UnexpectedInput as e:  # pragma: no cover - only UnexpectedToken is raised when feeding tokens
        raise src.error("unexpected_input", getattr(e, "pos_in_stream", 0) or 0) from None


# -------------------------------------------------------------------------------- tree -> SymPy


class Entry(sp.Function):
    r"""[(W^{(2)})^{\top} \delta^{(2)}]_1: entry (i, j) of a bracket written with layer names (from 1; one index
    for a vector), left for the resolver, which knows the layers' matrices."""

    @classmethod
    def eval(cls, *args: Any) -> None:
        return None


@dataclass
class _Num:
    value: sp.Rational
    pos: int


@dataclass
class _NameAtom:
    base: str
    pos: int
    accent: str = ""
    pieces: tuple[str, ...] = ()  # a subscript already attached (\hat{y_1})
    sup: str = ""
    plain: bool = False  # never Euler's e (Haykin's e^2(n))


@dataclass
class _FuncAtom:
    name: str
    pos: int


@dataclass
class _PartialAtom:
    pos: int


@dataclass
class _Factor:
    sign: int
    items: list[Any]  # juxtaposed factors: sp.Expr, _Mat, _Num, _PartialAtom (a bare ∂)
    pos: int


@dataclass
class _Mat:
    """A matrix of two entries or more (a 1×1 matrix is its entry), ImmutableMatrix m, at most 10×10."""

    m: Any
    pos: int

    @property
    def shape(self) -> str:
        return _shape(self.m.rows, self.m.cols)


@dataclass
class _OpAtom:
    """The operator \\frac{\\partial}{\\partial w} or \\frac{d}{dw}: `factor` applies it to what follows it."""

    wrt: list[Any]
    pos: int


def _shape(rows: int, cols: int) -> str:
    return f"{rows}×{cols}"


class _Names:
    """Raw name <-> symbol, plus the subscript pieces needed to expand sums."""

    def __init__(self) -> None:
        self.symbol: dict[RawName | RawPartial, sp.Symbol] = {}
        self.raw: dict[sp.Symbol, RawName | RawPartial] = {}
        self.pieces: dict[RawName, tuple[str, ...]] = {}
        self.used: set[str] = set()
        self.one_pattern = False  # a network of one sample: Engelbrecht's z_{i,p}, net_{y_2,p} are pattern p's, z_i

    def get(self, raw: RawName | RawPartial) -> sp.Symbol:
        s = self.symbol.get(raw)
        if s is None:
            name = str(raw)
            k = 1
            while name in self.used:
                k += 1
                name = f"{raw}#{k}"
            self.used.add(name)
            s = sp.Symbol(name)
            self.symbol[raw] = s
            self.raw[s] = raw
        return s

    def name(self, base: str, pieces: tuple[str, ...] = (), sup: str = "", accent: str = "") -> sp.Symbol:
        if self.one_pattern and len(pieces) > 2 and pieces[-2:] == (",", PATTERN_INDEX):
            pieces = pieces[:-2]
        raw = RawName(base, "".join(pieces), sup, accent)
        self.pieces.setdefault(raw, pieces)
        return self.get(raw)

    def raw_name(self, x: Any) -> RawName | None:
        if isinstance(x, sp.Symbol):
            r = self.raw.get(x)
            if isinstance(r, RawName):
                return r
        return None

    def substitute(self, raw: RawName | RawPartial, letter: str, value: int) -> sp.Expr | None:
        """The symbol for raw with the sum index `letter` replaced by value, or None if it does not occur."""
        if isinstance(raw, RawPartial):
            of, wrt = self._subst_name(raw.of, letter, value), self._subst_name(raw.wrt, letter, value)
            if of is None and wrt is None:
                return None
            return self.get(RawPartial(of or raw.of, wrt or raw.wrt))
        if raw.base == letter and not raw.sub and not raw.sup and not raw.accent:
            return sp.Integer(value)
        new = self._subst_name(raw, letter, value)
        return None if new is None else self.get(new)

    def _subst_name(self, raw: RawName, letter: str, value: int) -> RawName | None:
        pieces = self.pieces.get(raw, (raw.sub,))
        ng = re.fullmatch(r"\[(\d+)\]\((\w+)\)", raw.sup)  # Ng's dz^{[2](i)}: layer 2, sample i
        shifted = re.fullmatch(re.escape(letter) + r"([+-]\d+)", raw.sup)  # a time step's h^{(t-1)} in a sum over t
        if shifted:
            new = replace(raw, sup=f"{{{value}}}{shifted[1]}")
            self.pieces.setdefault(new, pieces)
            return new
        if letter not in pieces and raw.sup != letter and not (ng and ng[2] == letter):
            return None
        new_pieces = tuple(str(value) if p == letter else p for p in pieces)
        # a sum over a superscript runs over the samples (Σ_n δ^{(n)} z^{(n)}): written "{n}", a sample's index,
        # which a batch reads as its sample (a layer's superscript is a number, never a summed letter)
        sup = f"{{{value}}}" if raw.sup == letter else f"[{ng[1]}]({value})" if ng and ng[2] == letter else raw.sup
        new = replace(raw, sub="".join(new_pieces), sup=sup)
        self.pieces.setdefault(new, new_pieces)
        return new

    def index(self, raw: RawName | RawPartial, value: int) -> sp.Symbol | None:
        """For a \\sum without an index or index letter: raw with the subscript `value` if it is a name of
        SUM_BASES without a subscript (in a partial: either side), else None."""
        if isinstance(raw, RawPartial):
            of, wrt = self._index_name(raw.of, value), self._index_name(raw.wrt, value)
            if of is None and wrt is None:
                return None
            return self.get(RawPartial(of or raw.of, wrt or raw.wrt))
        new = self._index_name(raw, value)
        return None if new is None else self.get(new)

    def _index_name(self, raw: RawName, value: int) -> RawName | None:
        if raw.sub or raw.base not in SUM_BASES:
            return None
        new = replace(raw, sub=str(value))
        self.pieces.setdefault(new, (str(value),))
        return new

    def letters(self, raw: RawName | RawPartial) -> set[str]:
        """The subscript of raw if it is one letter of SUM_LETTERS (t_k, ∂E/∂o_k, y^{(i)}): the index of a \\sum
        without one."""
        if isinstance(raw, RawPartial):
            return self.letters(raw.of) | self.letters(raw.wrt)
        pieces = self.pieces.get(raw, (raw.sub,))
        found = {pieces[0]} if len(pieces) == 1 and pieces[0] in SUM_LETTERS else set()
        if raw.sup in SUM_LETTERS:
            found.add(raw.sup)
        return found


def _split_pieces(text: str) -> tuple[str, ...]:
    """A subscript text into pieces: digit runs, known words, single letters ("h1" -> h, 1; "total")."""
    out: list[str] = []
    for m in re.finditer(r"[0-9.]+|[A-Za-z]+|.", text):
        s = m.group()
        if s.isalpha() and s not in WORDS:
            out.extend(s)
        else:
            out.append(s)
    return tuple(out)


def _edge(pieces: tuple[str, ...]) -> tuple[str, ...]:
    """Aggarwal's w_{(x_3, h_2)}: a subscript that is one bracketed pair names the edge, as w_{x_3, h_2} does."""
    if len(pieces) < 5 or pieces[0] != "(" or pieces[-1] != ")":
        return pieces
    depth, commas = 0, 0
    for p in pieces[1:-1]:
        depth += (p == "(") - (p == ")")
        if depth < 0:
            return pieces  # (x)(y): the first bracket closes early
        commas += p == "," and depth == 0
    return pieces[1:-1] if commas == 1 and depth == 0 else pieces


def _size(expr: sp.Basic, cap: int) -> int:
    n = 0
    stack = [expr]
    while stack and n <= cap:
        e = stack.pop()
        n += 1
        stack.extend(e.args)
    return n


class _Build(Transformer_NonRecursive):
    """Bottom-up, without recursion: the tree's depth is bounded by max_depth anyway."""

    def __init__(self, src: _Source, names: _Names, budget: dict[str, int], sum_range: int | None = None,
                 sum_samples: int | None = None, sizes: Mapping[str, int] = MappingProxyType({}),
                 set_sums: bool = False) -> None:
        super().__init__(visit_tokens=False)
        self.src = src
        self.names = names
        self.budget = budget
        self.sum_range = sum_range
        self.sum_samples = sum_samples
        self.sample_counts: set[sp.Symbol] = set()  # m of Ng's \sum_{i=1}^{m}: the batch size, in 1/m too
        self.sizes = sizes
        self.set_sums = set_sums
        self.uppers: dict[str, int] = {}  # an index letter's upper limit, as an earlier \sum of the text wrote it

    def _call_userfunc(self, tree: Any, new_children: Any = None) -> Any:
        self.src.check_time()
        return super()._call_userfunc(tree, new_children)

    # ---- helpers
    def _err(self, key: str, pos: int, **params: Any) -> ParseError:
        return self.src.error(key, pos, **params)

    def _pos(self, children: list[Any]) -> int:
        """The position of the first child that knows it (tokens and atoms do)."""
        for c in children:
            if isinstance(c, Token):
                return int(c.start_pos or 0)
            pos = getattr(c, "pos", None)
            if isinstance(pos, int):
                return pos
        return 0

    def _value(self, v: Any, pos: int) -> sp.Expr:
        """Any intermediate value as a SymPy expression; a matrix cannot stand here."""
        value = self._mvalue(v, pos)
        if isinstance(value, _Mat):
            raise self._err("matrix_here", value.pos, shape=value.shape)
        return value

    def _mvalue(self, v: Any, pos: int) -> sp.Expr | _Mat:
        """Any intermediate value as a SymPy expression or a matrix."""
        if isinstance(v, (sp.Basic, _Mat)):
            return v
        if isinstance(v, _Num):
            return v.value
        if isinstance(v, _NameAtom):
            return self.names.name(v.base, v.pieces, v.sup, v.accent)
        if isinstance(v, _Factor):
            return self._product(v.sign, v.items, v.pos)
        if isinstance(v, _PartialAtom):
            raise self._err("partial_alone", v.pos)
        if isinstance(v, _FuncAtom):  # pragma: no cover - the tokenizer only makes FUNC before a bracket
            raise self._err("function_no_argument", v.pos, name=v.name)
        if isinstance(v, _OpAtom):
            raise self._err("operator_alone", v.pos)
        raise self._err("cannot_read", pos)  # pragma: no cover

    def _product(self, sign: int, items: list[Any], pos: int) -> Any:
        """The product of juxtaposed items: scalars commute, matrices are multiplied left to right (a 1×1 result is
        its entry). sp.Expr or _Mat."""
        scalars: list[sp.Expr] = []
        mat: _Mat | None = None
        for x in self._gradients(items):
            v = self._mvalue(x, pos)
            if not isinstance(v, _Mat):
                scalars.append(v)
            elif mat is None:
                mat = v
            else:
                prod = self._matmul(mat, v)
                if isinstance(prod, _Mat):
                    mat = prod
                else:
                    scalars.append(prod)
                    mat = None
        result = sp.Mul(*scalars)
        if sign < 0:
            result = -result
        return result if mat is None else self._scale(result, mat)

    # ---- matrices
    def _matrix(self, rows: list[list[sp.Expr]], pos: int) -> Any:
        """A matrix value from its rows; a 1×1 matrix is its entry."""
        if len(rows) == 1 and len(rows[0]) == 1:
            return rows[0][0]
        return _Mat(sp.ImmutableMatrix(rows), pos)

    def _entries(self, m: Any) -> int:
        """The expression nodes of a matrix's entries (capped)."""
        return sum(_size(e, MAX_MATRIX_NODES) for e in m)

    def _budget_matrix(self, nodes: int, pos: int) -> None:
        self.src.check_time()
        self.budget["matrix"] += nodes
        if self.budget["matrix"] > MAX_MATRIX_NODES:
            raise Refused.of("matrix_nodes", limit=MAX_MATRIX_NODES, **self.src.at(pos))

    def _matmul(self, a: _Mat, b: _Mat) -> Any:
        A, B = a.m, b.m
        if A.cols != B.rows:
            raise self._err("matmul_shapes", b.pos, a=a.shape, b=b.shape)
        self._budget_matrix(B.cols * self._entries(A) + A.rows * self._entries(B) + A.rows * A.cols * B.cols, b.pos)
        rows = [[sp.Add(*[A[i, k] * B[k, j] for k in range(A.cols)]) for j in range(B.cols)] for i in range(A.rows)]
        return self._matrix(rows, a.pos)

    def _scale(self, s: sp.Expr, mat: _Mat) -> _Mat:
        if s == 1:
            return mat
        self._budget_matrix(self._entries(mat.m) + len(mat.m) * _size(s, MAX_MATRIX_NODES), mat.pos)
        return _Mat(mat.m.applyfunc(lambda e: s * e), mat.pos)

    def _neg(self, v: Any) -> Any:
        if isinstance(v, _Mat):
            return _Mat(v.m.applyfunc(lambda e: -e), v.pos)
        return -v

    def _add(self, terms: list[Any], pos: int) -> Any:
        """a + b - c: matrices of one shape; a scalar goes to every entry (1 - \\sigma(Z))."""
        mats = [t for t in terms if isinstance(t, _Mat)]
        if not mats:
            return sp.Add(*terms)
        first = mats[0]
        for t in mats:
            if t.m.shape != first.m.shape:
                raise self._err("add_shapes", t.pos, a=first.shape, b=t.shape)
        scalar = sp.Add(*[t for t in terms if not isinstance(t, _Mat)])
        self._budget_matrix(sum(self._entries(t.m) for t in mats) + len(first.m) * _size(scalar, MAX_MATRIX_NODES),
                            first.pos)
        rows, cols = first.m.shape
        return _Mat(sp.ImmutableMatrix([[sp.Add(scalar, *[t.m[i, j] for t in mats]) for j in range(cols)]
                                        for i in range(rows)]), first.pos)

    def _numpy_star(self, left: list[Any], right: list[Any], pos: int) -> bool:
        """Ng writes numpy's element-wise a * b: two matrices of one shape that cannot be multiplied as matrices."""
        if any(isinstance(x, _PartialAtom) for x in (*left, *right)):
            return False  # (η*∂E/∂w5: a derivative written with a slash comes next)
        a, b = self._product(1, left, pos), self._product(1, right, pos)
        return isinstance(a, _Mat) and isinstance(b, _Mat) and a.m.shape == b.m.shape and a.m.cols != b.m.rows

    def _hadamard(self, a: Any, b: Any, pos: int) -> Any:
        """a \\odot b: entry by entry for two matrices of the same shape, else a product."""
        if not (isinstance(a, _Mat) and isinstance(b, _Mat)):
            return self._product(1, [a, b], pos)
        if a.m.shape != b.m.shape:
            raise self._err("odot_shapes", b.pos, a=a.shape, b=b.shape)
        self._budget_matrix(self._entries(a.m) + self._entries(b.m), a.pos)
        rows, cols = a.m.shape
        return _Mat(sp.ImmutableMatrix([[a.m[i, j] * b.m[i, j] for j in range(cols)] for i in range(rows)]), a.pos)

    def _transpose(self, v: Any) -> Any:
        """W^T; a scalar is its own transpose."""
        return _Mat(v.m.T, v.pos) if isinstance(v, _Mat) else v

    def _magnitude_ok(self, e: sp.Expr, pos: int) -> float:
        """|e| for a numeric exponent, refusing above MAX_EXPONENT."""
        if e.is_Rational:
            if abs(e) > MAX_EXPONENT:
                raise Refused.of("exponent_too_large", limit=MAX_EXPONENT, **self.src.at(pos))
            return float(abs(e))
        v = abs(sp.N(e, 15))
        if not v.is_Number or v in (sp.nan, sp.zoo, sp.oo):
            raise self._err("exponent_not_finite", pos)
        if v > MAX_EXPONENT:
            raise Refused.of("exponent_too_large", limit=MAX_EXPONENT, **self.src.at(pos))
        return float(v)

    def _log10(self, x: sp.Expr, pos: int) -> float:
        if x.is_Rational:
            p, q = abs(int(x.p)), int(x.q)
            return p.bit_length() * 0.30103 + q.bit_length() * 0.30103
        v = abs(sp.N(x, 15))
        if not v.is_Number or v in (sp.nan, sp.zoo, sp.oo):
            raise self._err("not_finite", pos)
        if v == 0:
            return 0.0
        return abs(float(sp.log(v, 10).evalf(15)))

    def _pow(self, base: Any, exp: sp.Expr, pos: int) -> sp.Expr:
        if isinstance(base, _Mat):
            raise self._err("matrix_power", pos, shape=base.shape)
        if exp.is_number:
            mag = self._magnitude_ok(exp, pos)
            if base.is_number and mag > 1:  # |exponent| <= 1 never makes a number longer
                digits = self._log10(base, pos) * mag
                self.budget["digits"] += int(digits)
                if digits > MAX_POWER_DIGITS or self.budget["digits"] > MAX_TOTAL_DIGITS:
                    raise Refused.of("power_digits", **self.src.at(pos))
        return sp.Pow(base, exp)

    def _exp(self, arg: sp.Expr, pos: int) -> sp.Expr:
        if arg.is_number:
            self._magnitude_ok(arg, pos)
        return sp.exp(arg)

    def _apply(self, name: str, primes: int, sub: str, args: list[Any], pos: int, layer: str = "") -> Any:
        mats = [a for a in args if isinstance(a, _Mat)]
        if mats:  # \sigma(Z): entry by entry (scalar arguments of \max go to every entry)
            first = mats[0]
            for a in mats:
                if a.m.shape != first.m.shape:
                    raise self._err("function_shapes", pos, name=name, a=first.shape, b=a.shape)
            self._budget_matrix(sum(self._entries(a.m) for a in mats), first.pos)
            rows, cols = first.m.shape
            return _Mat(sp.ImmutableMatrix([[self._apply(name, primes, sub, [a.m[i, j] if isinstance(a, _Mat) else a
                                                                              for a in args], pos, layer)
                                             for j in range(cols)] for i in range(rows)]), first.pos)
        if name in _BUILTIN and not primes and not sub:
            if name == "max":
                if len(args) < 2:
                    raise self._err("max_arguments", pos)
                return sp.Max(*args)
            if len(args) != 1:
                raise self._err("one_argument", pos, name=name)
            if name == "exp":
                return self._exp(args[0], pos)
            if name == "heaviside":
                return sp.Heaviside(args[0], 0)  # H(0) = 0, as the engine takes ReLU′(0)
            return sp.log(args[0]) if name == "log" else sp.tanh(args[0])
        if len(args) != 1:
            raise self._err("one_argument", pos, name=name)
        fname = name + "'" * primes + (f"_{sub}" if sub else "") + (f"^{layer}" if layer else "")
        return sp.Function(fname)(args[0])

    def _layer_arguments(self, args: list[Any], layer: str, pos: int) -> list[Any]:
        """The argument of Hagan's \\dot{f}^2: n^2 there is layer 2's net input, not n squared. A bare letter
        (\\dot{f}^2(n) = a(1 − a)) states the rule of layer 2's transfer function for any n, not a value of the
        network: such a chain is not read (it is left unchecked, never judged as the asked quantity)."""
        if len(args) != 1 or isinstance(args[0], _Mat):
            return args
        raw = self.names.raw_name(args[0])
        if raw is not None and len(raw.base) == 1 and not raw.sub and not raw.sup and not raw.accent:
            raise self._err("dot_rule", pos, name=raw.base, layer=layer)
        if layer.isdigit() and isinstance(args[0], sp.Pow) and args[0].exp == int(layer) \
                and (named := self._layer_name(args[0])) is not None:
            return [self.names.get(named)]
        return args

    def _layer_name(self, x: Any) -> RawName | None:
        """W^2_1 read as a power, (W_1)^2, is the layer-labelled name W^{(2)}_1 where only a name can stand."""
        if isinstance(x, sp.Pow) and x.exp.is_Integer and x.exp >= 2:
            raw = self.names.raw_name(x.base)
            if raw is not None and not raw.sup:
                new = replace(raw, sup=str(x.exp))
                self.names.pieces.setdefault(new, self.names.pieces.get(raw, (raw.sub,) if raw.sub else ()))
                return new
        return None

    def _derivative(self, of_items: list[Any], wrt_items: list[Any], pos: int) -> Any:
        wrt = self.names.raw_name(wrt_items[0]) if len(wrt_items) == 1 else None
        layered = wrt is None and len(wrt_items) == 1 and (wrt := self._layer_name(wrt_items[0])) is not None
        if wrt is None:
            raise self._err("derivative_one_name", pos)
        if not of_items:  # pragma: no cover - an empty numerator is the operator (_operator)
            raise self._err("derivative_form", pos)
        if any(isinstance(x, _PartialAtom) for x in of_items):
            raise self._err("higher_order", pos)
        if len(of_items) == 1:
            of = self.names.raw_name(of_items[0]) or (self._layer_name(of_items[0]) if layered else None)
            if of is not None:
                return self.names.get(RawPartial(of, wrt))
        expr = self._product(1, of_items, pos)
        var = self.names.get(wrt)
        if isinstance(expr, _Mat):  # the derivative of a matrix, entry by entry
            return _Mat(expr.m.applyfunc(lambda e: sp.Derivative(e, var)), expr.pos)
        return sp.Derivative(expr, var)

    def _operator(self, wrt_items: list[Any], pos: int) -> _OpAtom:
        """\\frac{\\partial}{\\partial w}: checked here, applied by `factor` to what follows it."""
        if len(wrt_items) != 1 or (self.names.raw_name(wrt_items[0]) is None
                                   and self._layer_name(wrt_items[0]) is None):
            raise self._err("derivative_one_name", pos)
        return _OpAtom(list(wrt_items), pos)

    def _apply_operators(self, items: list[Any]) -> list[Any]:
        """Each operator \\frac{\\partial}{\\partial w} applies to the rest of its juxtaposition (innermost first):
        \\frac{\\partial}{\\partial w} \\frac12 (t - o)^2 = Derivative((t - o)^2/2, w)."""
        while True:
            k = next((j for j in range(len(items) - 1, -1, -1) if isinstance(items[j], _OpAtom)), None)
            if k is None:
                return items
            op = items[k]
            if len(items) == 1 and self.sum_range is not None:
                # ∂/∂w_7 = 0.0396, a member of its own, on a network's sheet: the loss's derivative, the loss implied
                return [self._derivative([self.names.name("E")], op.wrt, op.pos)]
            if k + 1 == len(items):
                raise self._err("operator_alone", op.pos)
            items = [*items[:k], self._derivative(items[k + 1:], op.wrt, op.pos)]

    def _is_d(self, x: Any) -> bool:
        return self.names.raw_name(x) in (RawName("d"), RawName(NG_D), RawName(DIFFERENTIAL_D))

    def _gradients(self, items: list[Any]) -> list[Any]:
        """Ng's dW^{[2]}_{21}, dz^{[1]} outside a derivative: the gradient ∂J/∂W^{[2]}_{21}, ∂J/∂z^{[1]}."""
        out: list[Any] = []
        for x in items:
            raw = self.names.raw_name(x)
            if out and self.names.raw_name(out[-1]) == RawName(DIFFERENTIAL_D):
                if raw is not None:  # dE = (y − d) dy: a differential, a statement this reader does not check
                    raise self._err("differential", getattr(out[-1], "pos", 0))
                out[-1] = self.names.get(RawName("d"))
            if out and self.names.raw_name(out[-1]) == RawName(NG_D) and raw is not None:
                out[-1] = self.names.get(RawPartial(RawName("J"), raw))
                continue
            if out and self.names.raw_name(out[-1]) == RawName(NG_D):
                out[-1] = self.names.get(RawName("d"))  # d z^2: not a gradient, the name d
            out.append(x)
        if out and self.names.raw_name(out[-1]) in (RawName(NG_D), RawName(DIFFERENTIAL_D)):
            out[-1] = self.names.get(RawName("d"))
        return out

    def _deriv_parts(self, v: Any) -> tuple[str, list[Any]] | None:
        """('∂', rest) for a factor ∂ rest..., ('d', rest) for d rest... (at least one more item), else None."""
        if isinstance(v, _Factor) and v.sign > 0 and v.items:
            if isinstance(v.items[0], _PartialAtom):
                return ("∂", v.items[1:])
            if len(v.items) >= 2 and self._is_d(v.items[0]):
                return ("d", v.items[1:])
            if len(v.items) == 1 and self._is_d(v.items[0]):
                return ("d", [])
        return None

    # ---- rules
    def number(self, children: list[Any]) -> _Num:
        tok = children[0]
        return _Num(self._number(str(tok.info), tok.start_pos), tok.start_pos)

    def _number(self, literal: str, pos: int) -> sp.Rational:
        """The exact value of a number's literal: "0.25", ".5", "8.77e-3"."""
        mantissa, _, exponent = literal.partition("e")
        value = sp.Rational(mantissa)
        if not exponent:
            return value
        k = int(exponent)
        if abs(k) > MAX_NUMBER_DIGITS:
            self.budget["digits"] += abs(k)
            if self.budget["digits"] > MAX_TOTAL_DIGITS:
                raise Refused.of("digits_in_all", **self.src.at(pos))
        return value * sp.Integer(10) ** k

    def _raw_of(self, v: Any) -> RawName | None:
        """The name a value stands for, if it is one name: y, {y}, {y_1}, \\hat{y}."""
        if isinstance(v, _NameAtom):
            return RawName(v.base, "".join(v.pieces), v.sup, v.accent)
        if isinstance(v, _Factor) and v.sign > 0 and len(v.items) == 1:
            return self._raw_of(v.items[0])
        return self.names.raw_name(v)

    def _name_atom(self, raw: RawName, pos: int, accent: str) -> _NameAtom:
        return _NameAtom(raw.base, pos, accent, self.names.pieces.get(raw, (raw.sub,) if raw.sub else ()), raw.sup)

    def accent(self, children: list[Any]) -> _NameAtom:
        tok, arg = children
        pos = tok.start_pos
        raw = self._raw_of(arg)
        if raw is None:
            raise self._err("accent_one_name", pos, accent=tok)
        if raw.accent:
            raise self._err("two_accents", pos)
        return self._name_atom(raw, pos, str(tok.info))

    def name(self, children: list[Any]) -> _NameAtom:
        """A name's base; \\ell written as a name of its own is ℓ, the loss of Prince, Murphy and Bishop (2024), not
        the letter l (Han & Kamber's learning rate); in a script it stays the index l (a^{(\\ell)}, ŷ_\\ell)."""
        tok = children[0]
        base = "ell" if str(tok) in (r"\ell", "ℓ") else str(tok.info)
        return _NameAtom(base, tok.start_pos, plain=isinstance(tok.info, _Plain))

    def func(self, children: list[Any]) -> _FuncAtom:
        tok = children[0]
        return _FuncAtom(str(tok.info), tok.start_pos)

    def partial(self, children: list[Any]) -> _PartialAtom:
        return _PartialAtom(children[0].start_pos)

    def group(self, children: list[Any]) -> Any:
        return children[1]

    def paren(self, children: list[Any]) -> Any:
        return self._mvalue(children[1], self._pos(children))

    def norm(self, children: list[Any]) -> sp.Expr:
        """‖x‖: |x| of a number or name, the square root of the sum of squares of a vector's entries."""
        pos = self._pos(children)
        v = self._mvalue(children[1], pos)
        if isinstance(v, _Mat):
            return sp.sqrt(sum((e**2 for e in v.m), sp.Integer(0)))
        return sp.Abs(v)

    def frac(self, children: list[Any]) -> Any:
        pos = self._pos(children)
        num, den = children[1], children[2]
        n, d = self._deriv_parts(num), self._deriv_parts(den)
        if d is not None and d[0] == "∂":
            if n is None or n[0] != "∂":
                raise self._err("numerator_partial", pos)
            return self._derivative(n[1], d[1], pos) if n[1] else self._operator(d[1], pos)
        if d is not None and n is not None and d[0] == n[0] == "d":
            return self._derivative(n[1], d[1], pos) if n[1] else self._operator(d[1], pos)
        denominator = self._mvalue(den, pos)
        if isinstance(denominator, _Mat):
            raise self._err("divide_matrix", denominator.pos, shape=denominator.shape)
        return self._product(1, [self._mvalue(num, pos), self._pow(denominator, sp.Integer(-1), pos)], pos)

    def matrix(self, children: list[Any]) -> Any:
        """\\begin{bmatrix} a & b \\\\ c & d \\end{bmatrix}, [a \\ b]: at most 10×10; a 1×1 matrix is its entry."""
        pos = self._pos(children)
        rows: list[list[Any]] = [c for c in children if isinstance(c, list)]
        if len(rows) > MAX_MATRIX_SIDE or any(len(r) > MAX_MATRIX_SIDE for r in rows):
            raise Refused.of("matrix_too_large", limit=MAX_MATRIX_SIDE, **self.src.at(pos))
        if len(rows) == 1 and len(rows[0]) == 1:
            return rows[0][0]  # also [W x], a member in brackets
        for r in rows[1:]:
            if len(r) != len(rows[0]):
                raise self._err("row_lengths", pos, first=len(rows[0]), other=len(r))
        for r in rows:
            for value in r:
                if isinstance(value, _Mat):
                    raise self._err("block_matrix", value.pos)
        return self._matrix(rows, pos)

    def mrow(self, children: list[Any]) -> list[Any]:
        pos = self._pos(children)
        return [self._mvalue(c, pos) for c in children if not isinstance(c, Token)]

    def transpose(self, children: list[Any]) -> tuple[str, Any, int]:
        return ("transpose", None, children[0].start_pos)

    def sqrt(self, children: list[Any]) -> sp.Expr:
        pos = self._pos(children)
        return self._pow(self._value(children[1], pos), sp.Rational(1, 2), pos)

    def root(self, children: list[Any]) -> sp.Expr:
        pos = self._pos(children)
        n = self._number(str(children[2].info), pos)
        if n == 0:
            raise self._err("root_zero", pos)
        return self._pow(self._value(children[4], pos), 1 / n, pos)

    def sup(self, children: list[Any]) -> tuple[str, Any, int]:
        return ("sup", children[1], self._pos(children))

    def supmark(self, children: list[Any]) -> tuple[str, Any, int]:
        tok = children[0]
        return ("supmark", str(tok.info), tok.start_pos)

    def sub(self, children: list[Any]) -> tuple[str, Any, int]:
        return ("sub", children[1], self._pos(children))

    def prime(self, children: list[Any]) -> tuple[str, Any, int]:
        """A prime; Hagan's \\dot{f}^2 carries its layer ("2") in the token's info ("'2")."""
        tok = children[0]
        return ("prime", str(tok.info or "'")[1:] or None, tok.start_pos)

    def call(self, children: list[Any]) -> tuple[str, Any, int]:
        return ("call", children[1], self._pos(children))

    def args(self, children: list[Any]) -> list[Any]:
        pos = self._pos(children)
        return [self._mvalue(c, pos) for c in children if not isinstance(c, Token)]

    def sub_arg(self, children: list[Any]) -> tuple[str, ...]:
        c = children[0]
        if isinstance(c, tuple):
            return _edge(c)
        return self._tok_pieces(c)

    def sub_group(self, children: list[Any]) -> tuple[str, ...]:
        pieces: list[str] = []
        for c in children:
            if isinstance(c, tuple):
                pieces.extend(c)
            elif c.type not in ("LBRACE", "RBRACE"):
                pieces.extend(self._tok_pieces(c))
        return tuple(pieces)

    def _tok_pieces(self, tok: _Tok) -> tuple[str, ...]:
        typ = tok.type
        if typ in ("USCORE", "CARET"):
            return ()
        if typ == "IN":
            return ("∈",)
        if typ == "SUBTEXT":
            return _split_pieces(str(tok.info))
        if typ in ("NAME", "FUNC"):
            return (str(tok.info),)
        if typ == "REL":
            return ({"=": "=", "assign": "←"}.get(str(tok.info), "≈"),)
        if typ == "NUMBER":
            return (str(tok.info),)
        if typ == "MUL":
            return ("*",) if str(tok) in ("*", "∗", r"\ast") else ("·",)
        if typ == "SUPMARK":
            return (str(tok.info),)
        if typ == "PRIME":
            return ("'",)
        return (str(tok),)

    def postfix(self, children: list[Any]) -> Any:
        atom, ops = children[0], children[1:]
        pos = self._pos(children)
        flips = [op for op in ops if op[0] == "transpose"]
        if not flips:
            return self._postfix(atom, ops, pos)
        if isinstance(atom, (_PartialAtom, _OpAtom)):
            raise self._err("transpose_partial", flips[0][2])
        value = self._postfix(atom, [op for op in ops if op[0] != "transpose"], pos)
        return self._transpose(value) if len(flips) % 2 else value  # a scalar is its own transpose

    def _postfix(self, atom: Any, ops: list[Any], pos: int) -> Any:
        if isinstance(atom, _NameAtom) and not ops:
            return self._value(atom, pos)
        if isinstance(atom, _Factor) and ops:  # {W}_{12}, \\mathbf{W}_{12}: a braced name takes scripts
            raw = self._raw_of(atom)
            if raw is not None:
                atom = self._name_atom(raw, atom.pos, raw.accent)
        if not ops:
            if isinstance(atom, (_Num, _PartialAtom, _OpAtom)):
                return atom
            return self._mvalue(atom, pos)
        if isinstance(atom, _PartialAtom):
            raise self._err("partial_script", atom.pos)
        if isinstance(atom, _OpAtom):
            raise self._err("operator_script", ops[0][2])
        sub: tuple[str, ...] | None = None
        supmark: str | None = None
        if isinstance(atom, _NameAtom):
            sub = atom.pieces or None
            supmark = atom.sup or None
        power: Any = None
        primes = 0
        layer: str | None = None  # Hagan's \dot{f}^m: the layer m of the transfer function
        value: Any = None  # after a function call
        powered = False  # \tanh^2(x): the power is already applied
        updated: str | None = None  # a second mark after a layer's: the update's
        for i, (kind, arg, p) in enumerate(ops):
            if kind == "sup" and isinstance(atom, _NameAtom) and supmark is None and power is None and sub is None \
                    and i + 1 < len(ops) and ops[i + 1][0] == "sub" \
                    and (layer := self._layer_digit(arg, p, lowest=0 if atom.base == "o" else 1)):
                supmark = layer  # Nielsen's z^2_1, w^3_{12}, a^1_1: a layer written before the subscript, not a power
                # (Brilliant's o^0_i: the outputs of layer 0, the inputs)
                continue
            if kind == "sup" and isinstance(atom, _NameAtom) and atom.base in _LAYER_CAPITALS and not atom.pieces \
                    and not atom.accent and supmark is None and power is None and sub is None \
                    and (layer := self._layer_digit(arg, p, lowest=0)):
                supmark = layer  # MIT 6.036's A^0_1, Z^2: a layer's vector or its one unit's value, never a power
                continue
            if value is not None:  # after f(x): only a power
                if kind != "sup" or power is not None or powered:
                    raise self._err("power_after_argument", p)
                power = (arg, p)
                continue
            if kind == "sub":
                if sub is not None:
                    raise self._err("double_subscript", p)
                sub = arg
            elif kind == "supmark":
                if supmark is not None and power is None and str(arg) in ("+", "new") and isinstance(atom, _NameAtom) \
                        and updated is None:
                    updated = str(arg)  # {W^{(1)}_{21}}^{+}, W^{(1)+}_{21}: the updated W^{(1)}_{21}, as W^{(1)}_{21,+}
                    continue
                if supmark is not None and power is None and str(arg) == "old" and isinstance(atom, _NameAtom):
                    continue  # Freeman & Skapura's w^o_{12}(t): the weight as it is
                if supmark is not None or power is not None:
                    raise self._err("double_superscript", p)
                supmark = arg
            elif kind == "sup":
                if supmark is not None or power is not None:
                    raise self._err("double_superscript", p)
                power = (arg, p)
            elif kind == "prime":
                primes += 1
                layer = arg or layer
            elif kind == "call":
                if not isinstance(atom, _FuncAtom):  # pragma: no cover - the tokenizer marks calls only after FUNC
                    raise self._err("unexpected_call", p)
                if supmark is not None:
                    raise self._err("superscript_before_argument", p)
                if layer is not None:
                    arg = self._layer_arguments(arg, layer, p)
                value = self._apply(atom.name, primes, "".join(sub or ()), arg, p, layer or "")
                if power is not None:
                    value = self._function_power(value, power)
                    power, powered = None, True
        if updated is not None:
            sub = (*(sub or ()), updated)
        if isinstance(atom, _FuncAtom):
            if value is None:  # pragma: no cover - FUNC is always followed by its bracket
                raise self._err("function_no_argument", atom.pos, name=atom.name)
            base: Any = value
        elif isinstance(atom, _NameAtom):
            if atom.base == "e" and power is not None and not sub and supmark is None and not primes \
                    and not atom.accent and not atom.plain:
                return self._exp(self._value(power[0], power[1]), power[1])
            base = self.names.name(atom.base + "'" * primes, sub or (), supmark or "", atom.accent)
        else:
            base = self._mvalue(atom, pos)
            if isinstance(base, _Mat) and supmark is not None and sub is None and not primes:
                base = self._mark_entries(base, supmark, pos)  # [w_5 \\ w_6]^{+}: w_5^+, w_6^+
            elif supmark is not None and sub is None and not primes and not isinstance(atom, _Num) \
                    and isinstance(base, sp.Expr) and base.free_symbols:
                base = self._mark_names(base, supmark, pos)  # (p_3 − y_3)^{(n)}: p_3^{(n)} − y_3^{(n)}
            elif sub is not None and supmark is None and not primes and (entry := self._gradient_entry(base, sub)):
                base = entry
            elif sub is not None and supmark is None and not primes and not isinstance(atom, _Num) \
                    and not isinstance(base, _Mat) and (index := _entry_index(sub)) is not None:
                base = Entry(base, *index)
            elif sub is not None or supmark is not None or primes:
                what = Phrase("a number", "数") if isinstance(atom, _Num) else Phrase("a matrix", "矩阵") \
                    if isinstance(base, _Mat) else Phrase("an expression", "表达式")
                raise self._err("script_on", pos, what=what)
        if power is None:
            return base
        return self._pow(base, self._value(power[0], power[1]), power[1])

    def _gradient_entry(self, value: Any, sub: tuple[str, ...]) -> sp.Symbol | None:
        r"""(\nabla_{W^{(1)}} J)_{12}, (\frac{\partial J}{\partial W})_{12}: an entry of a gradient with respect to
        a matrix is the partial derivative with respect to that entry, ∂J/∂W^{(1)}_{12}."""
        raw = self.names.raw.get(value) if isinstance(value, sp.Symbol) else None
        if not isinstance(raw, RawPartial) or raw.wrt.sub:
            return None
        wrt = replace(raw.wrt, sub="".join(sub))
        self.names.pieces.setdefault(wrt, sub)
        return self.names.get(RawPartial(raw.of, wrt))

    def _layer_digit(self, arg: Any, pos: int, lowest: int = 1) -> str | None:
        try:
            v = self._value(arg, pos)
        except ParseError:
            return None
        return str(v) if isinstance(v, sp.Integer) and lowest <= int(v) <= 9 else None

    def _mark_entries(self, mat: _Mat, supmark: str, pos: int) -> _Mat:
        """A name superscript on a matrix of names goes to each name: [w_5 \\\\ w_6]^{+} = [w_5^+ \\\\ w_6^+]."""
        def mark(e: sp.Expr) -> sp.Expr:
            raw = self.names.raw_name(e)
            if raw is None or raw.sup:
                raise self._err("matrix_name_superscript", pos)
            return self.names.name(raw.base, self.names.pieces.get(raw, (raw.sub,) if raw.sub else ()), supmark,
                                   raw.accent)
        return _Mat(mat.m.applyfunc(mark), mat.pos)

    def _mark_names(self, e: sp.Expr, supmark: str, pos: int) -> sp.Expr:
        """A name superscript on a bracket goes to each name in it (a blog's (p_3 − y_3)^{\\#1}, a sum's
        (p_3 − y_3)^{(n)}: sample 1's, sample n's); every name in it must be one without a superscript."""
        mapping = {}
        for s in e.free_symbols:
            raw = self.names.raw_name(s)
            if raw is None or raw.sup:
                raise self._err("expression_name_superscript", pos)
            mapping[s] = self.names.name(raw.base, self.names.pieces.get(raw, (raw.sub,) if raw.sub else ()),
                                         supmark, raw.accent)
        return e.xreplace(mapping)

    def fn_bare(self, children: list[Any]) -> Any:
        tok, arg = children[0], children[-1]
        pos = tok.start_pos
        value = self._apply(str(tok.info), 0, "", [self._mvalue(arg, pos)], pos)
        if len(children) == 4:  # \tanh^2 x
            value = self._function_power(value, (children[2], children[1].start_pos))
        return value

    def _function_power(self, value: Any, power: tuple[Any, int]) -> sp.Expr:
        """\\tanh^2(x) = tanh(x)^2: only a positive whole power (\\sigma^{-1} would be an inverse)."""
        exponent = self._value(power[0], power[1])
        if not (exponent.is_Integer and exponent > 0):
            raise self._err("function_power", power[1])
        return self._pow(value, exponent, power[1])

    def juxt(self, children: list[Any]) -> list[Any]:
        for a, b in itertools.pairwise(children):
            if isinstance(a, _Num) and isinstance(b, _Num):
                raise self._err("numbers_side_by_side", b.pos)
        return list(children)

    def signs(self, children: list[Any]) -> int:
        return -1 if sum(1 for t in children if t.type == "MINUS") % 2 else 1

    def factor(self, children: list[Any]) -> _Factor:
        sign = 1
        items: list[Any] = []
        for c in children:
            if isinstance(c, int):
                sign = c
            elif isinstance(c, list):
                items.extend(c)
            else:  # the \sum
                items.append(c)
        return _Factor(sign, self._apply_operators(items), self._pos(children))

    def term(self, children: list[Any]) -> Any:
        pos = self._pos(children)
        first: _Factor = children[0]
        sign = first.sign
        acc: list[Any] = list(first.items)
        for k in range(1, len(children), 2):
            op, f = children[k], children[k + 1]
            sign *= f.sign
            if op.type == "DIV" and len(acc) >= 2 and len(f.items) >= 2:
                slash = self._slash(acc[-2], acc[-1], f.items[0], f.items[1], op.start_pos)
                if slash is not None:
                    acc[-2:] = [slash]
                    acc.extend(f.items[2:])
                    continue
            if op.type == "DIV":
                divisor = self._product(1, f.items, pos)
                if isinstance(divisor, _Mat):
                    raise self._err("divide_matrix", op.start_pos, shape=divisor.shape)
                acc.append(self._pow(divisor, sp.Integer(-1), op.start_pos))
            elif op.info == "odot" or (op.info in ("*", "ast") and self._numpy_star(acc, f.items, pos)):
                # A \odot B (and numpy's A * B of two columns): the product so far, entry by entry with the next
                acc = [self._hadamard(self._product(1, acc, pos), self._product(1, f.items, pos), op.start_pos)]
            else:
                acc.extend(f.items)
        return self._product(sign, acc, pos)

    def _slash(self, a: Any, x: Any, b: Any, y: Any, pos: int) -> sp.Expr | None:
        if isinstance(a, _PartialAtom) and isinstance(b, _PartialAtom):
            return self._derivative([x], [y], pos)
        if self._is_d(a) and self._is_d(b) and self.names.raw_name(x) and self.names.raw_name(y):
            return self._derivative([x], [y], pos)
        return None

    def expr(self, children: list[Any]) -> Any:
        pos = self._pos(children)
        terms = [self._mvalue(children[0], pos)]
        for k in range(1, len(children), 2):
            t = self._mvalue(children[k + 1], pos)
            terms.append(self._neg(t) if children[k].type == "MINUS" else t)
        return self._add(terms, pos)

    def sum_lower(self, children: list[Any]) -> tuple[str, tuple[str, ...], int]:
        return ("lower", children[1], self._pos(children))

    def sum_upper(self, children: list[Any]) -> tuple[str, Any, int]:
        return ("upper", children[1], self._pos(children))

    def bigsum(self, children: list[Any]) -> sp.Expr:
        pos = self._pos(children)
        limits = {c[0]: c for c in children[1:-1]}
        body = self._value(children[-1], pos)
        n = self.sum_range
        if "lower" not in limits and ("upper" in limits or n is None):
            raise self._err("sum_limits", pos)
        if "lower" not in limits:
            assert n is not None
            return self._bare_sum(body, n, pos)
        _, pieces, lpos = limits["lower"]
        listed = _SUM_SET.fullmatch("".join(pieces))
        if listed is not None and "upper" not in limits:  # \sum_{k \in \{5, 6\}}: the terms k = 5 and k = 6
            values = [int(v) for v in listed.group(2).split(",")]
            if len(set(values)) != len(values):
                raise self._err("sum_set_twice", lpos, values=listed.group(2))
            return sp.Add(*(self._expand(body, listed.group(1), v, v, pos) for v in values))
        pairs = _SUM_PAIRS.fullmatch("".join(pieces))
        if pairs is not None and "upper" not in limits and self.sum_samples is not None:
            return self._expand(body, pairs.group(1), 1, self.sum_samples, pos)
        if "upper" not in limits and n is None:
            raise self._err("sum_limits", pos)
        over = _SUM_OVER.fullmatch("".join(pieces))
        if over is not None and "upper" not in limits and self.sum_samples is not None \
                and re.fullmatch("[A-Z]", over.group(2)):  # d2l's \sum_{i \in \mathcal{B}}: over the batch
            return self._expand(body, over.group(1), 1, self.sum_samples, pos)
        if over is not None:  # Mitchell: \sum_{k \in outputs}
            if "upper" in limits or n is None:
                raise self._err("sum_set", lpos, over=over.group(2))
            if not over.group(2).lower().startswith("out"):
                if not self.set_sums:
                    raise self._err("sum_set", lpos, over=over.group(2))
                return self.names.name(SET_SUM, (f"{over.group(1)}∈{over.group(2)}",))  # Kriesel's Σ_{l∈L}
            return self._expand(body, over.group(1), 1, n, pos)
        m = _SUM_LOWER.fullmatch("".join(pieces))
        if m is None:
            raise self._err("sum_lower", lpos)
        letter, lower = m.group(1), int(m.group(2) or 1)
        samples = self.sum_samples if letter in SAMPLE_INDICES else None
        if "upper" in limits:
            _, up, upos = limits["upper"]
            upper = self._value(up, upos)
            if not upper.is_Integer and samples is not None and not upper.is_number:
                if self._sample_count(upper):
                    self.sample_counts.add(upper)
                upper = sp.Integer(samples)  # \sum_{n=1}^{N}: N is the number of samples
            elif self.sum_samples is not None and self._sample_count(upper):
                self.sample_counts.add(upper)
                upper = sp.Integer(self.sum_samples)  # Ng: \sum_{i=1}^{m} over the m samples of the batch
            elif (size := self._layer_size(upper)) is not None:
                upper = sp.Integer(size)  # Duda–Hart–Stork's \sum_{k=1}^{c}, Bishop's \sum_{j=1}^{M}
            if not upper.is_Integer:
                if self.set_sums and isinstance(upper, sp.Symbol):  # Wikipedia's \sum_{k=1}^{n}: n unknown
                    return self.names.name(SET_SUM, (f"{letter}≤{upper}",))
                raise self._err("sum_upper", upos)
            self.uppers[letter] = int(upper)
        else:  # (Σ_j W^2_j Φ(a_j) after Σ_{j=1}^{3} W^2_j Φ(a_j): the same range)
            assert n is not None
            if not samples and (through := self._through_range(body, letter)) is not None:
                return self._expand(body, letter, *through, pos)
            upper = sp.Integer(samples or self._indexed_layer(body, letter) or self.uppers.get(letter) or n)
        return self._expand(body, letter, lower, int(upper), pos)

    def _through_range(self, body: sp.Expr, letter: str) -> tuple[int, int] | None:
        r"""Buduma's \sum_j w_{4j} y_j(1 − y_j) ∂E/∂y_j, the units numbered through the network (inputs 1, 2, hidden
        3, 4, outputs 5, 6): a weight w_{kj} from unit k past the widest layer runs j over the next layer's numbers
        (w_{jk}: over the layer before k's). None where no such weight is in the body."""
        sizes = [self.sizes[f"layer{k}"] for k in range(len(self.sizes)) if f"layer{k}" in self.sizes]
        if len(sizes) < 2:
            return None
        starts = [1 + sum(sizes[:k]) for k in range(len(sizes))]
        for s in body.atoms(sp.Symbol):
            raw = self.names.raw.get(s)
            if not isinstance(raw, RawName) or raw.base not in ("w", "W") or raw.sup or len(raw.sub) != 2 \
                    or letter not in raw.sub or not (digit := raw.sub.replace(letter, "", 1)).isdigit() \
                    or int(digit) <= max(sizes):
                continue
            layer = max(k for k, start in enumerate(starts) if start <= int(digit))
            other = layer + 1 if raw.sub[0] == digit else layer - 1
            if 0 <= other < len(sizes):
                return starts[other], starts[other] + sizes[other] - 1
        return None

    def _indexed_layer(self, body: sp.Expr, letter: str) -> int | None:
        r"""The range of a \sum's index written without an upper limit, from the names it indexes: h_j of a network
        whose neurons are h1, h2, h3 runs j to 3 (seed 001's y = \sum_j h_j W^2_j; x_j over its inputs x1, x2, x3);
        None when no name says it. The neurons' names decide first: Σ_j δ_{cj} x_j runs over the layer c, not over
        the inputs the convolution slides along."""
        for names in (self.src.labels, self.src.units):
            sizes = self._unit_counts(body, letter, names)
            if sizes:
                return sizes.pop() if len(sizes) == 1 else None
        if self.sizes.get("outputs") == 1 and "hidden" in self.sizes and any(
                isinstance(raw := self.names.raw.get(s), RawName) and raw.base in ("w", "W") and raw.sub == letter
                for s in body.atoms(sp.Symbol)):
            return self.sizes["hidden"]  # (Σ_j W^{(2)}_j Φ(net_j) into one output: its weights, one per hidden unit)
        return None

    def _unit_counts(self, body: sp.Expr, letter: str, names: frozenset[str]) -> set[int]:
        """How many units `names` numbers for each name of the body indexed by `letter`: h_j over h1, h2, h3;
        δ_{cj} over the layer c's c1, c2, c3 (the neuron's name in the subscript)."""
        sizes = set()
        for s in body.atoms(sp.Symbol):
            raw = self.names.raw.get(s)
            if not isinstance(raw, RawName) or not raw.sub.endswith(letter) or raw.sup or raw.accent or not raw.base:
                continue
            prefix = raw.base if raw.sub == letter else raw.sub[:-len(letter)]
            if not prefix.isalpha():
                continue
            found = {int(m.group(1)) for label in names if (m := re.fullmatch(re.escape(prefix) + r"(\d+)", label))}
            if found and found == set(range(1, max(found) + 1)):
                sizes.add(max(found))
        return sizes

    def _layer_size(self, e: sp.Expr) -> int | None:
        r"""A layer's size as the textbooks name it in a \sum's upper limit (SIZE_NAMES), given by the caller; n_L − 1
        is one less."""
        if isinstance(e, sp.Add) and len(e.args) == 2 and any(a.is_Integer for a in e.args):
            shift = next(a for a in e.args if a.is_Integer)
            size = self._layer_size(next(a for a in e.args if not a.is_Integer))
            return size + int(shift) if size is not None else None
        raw = self.names.raw.get(e) if isinstance(e, sp.Symbol) else None
        if not isinstance(raw, RawName) or raw.sup or raw.accent:
            return None
        layer = SIZE_NAMES.get(raw.base + (f"_{raw.sub}" if raw.sub else ""))
        if layer is None and raw.base in LAYER_SIZES and raw.sub.isdigit():
            layer = f"layer{raw.sub}"  # Brilliant's r_0, r_1, r_2: the size of layer 0 (the inputs), 1, 2
        return self.sizes.get(layer) if layer is not None else None

    def _sample_count(self, e: sp.Expr) -> bool:
        """Is e the batch size as the textbooks write it, m or N (Ng's Σ_{i=1}^{m}, Bishop's Σ_{n=1}^{N})?"""
        raw = self.names.raw.get(e) if isinstance(e, sp.Symbol) else None
        return isinstance(raw, RawName) and raw.base in ("m", "N") and not raw.sub and not raw.sup \
            and not raw.accent

    def _bare_sum(self, body: sp.Expr, n: int, pos: int) -> sp.Expr:
        """\\sum without an index, over 1..n: over the one index letter of its body's subscripts (t_k, o_k), or
        else every name of SUM_BASES without a subscript gets 1, 2, ... (target - output -> target_1 - output_1)."""
        raws = [self.names.raw[s] for s in body.atoms(sp.Symbol) if s in self.names.raw]
        letters = set().union(*(self.names.letters(r) for r in raws)) if raws else set()
        if len(letters) == 1:
            return self._expand(body, letters.pop(), 1, n, pos)
        if len(letters) > 1:
            raise self._err("sum_no_index_over", pos, n=n, letters=Phrase(" and ".join(sorted(letters)),
                                                                        " 和 ".join(sorted(letters))))
        templates = [(s, self.names.raw[s]) for s in body.atoms(sp.Symbol) if s in self.names.raw]
        if not any(self.names.index(raw, 1) is not None for _, raw in templates):
            raise self._err("sum_no_index", pos)
        self._budget_sum(body, n, pos)
        terms = []
        for v in range(1, n + 1):
            self.src.check_time()
            mapping: dict[sp.Basic, sp.Basic] = {}
            for s, raw in templates:
                new = self.names.index(raw, v)
                if new is not None:
                    mapping[s] = new
            terms.append(body.xreplace(mapping))
        return sp.Add(*terms)

    def _budget_sum(self, body: sp.Expr, count: int, pos: int) -> None:
        if count > MAX_SUM_TERMS:
            raise Refused.of("sum_terms", limit=MAX_SUM_TERMS, **self.src.at(pos))
        self.budget["nodes"] += max(count, 0) * _size(body, MAX_SUM_NODES)
        if self.budget["nodes"] > MAX_SUM_NODES:
            raise Refused.of("sum_nodes", limit=MAX_SUM_NODES)

    def _expand(self, body: sp.Expr, letter: str, lower: int, upper: int, pos: int) -> sp.Expr:
        count = upper - lower + 1
        self._budget_sum(body, count, pos)
        if count <= 0:
            return sp.Integer(0)
        templates = [(s, self.names.raw[s]) for s in body.atoms(sp.Symbol) if s in self.names.raw]
        terms = []
        for v in range(lower, lower + count):
            self.src.check_time()
            mapping = {}
            for s, raw in templates:
                new = self.names.substitute(raw, letter, v)
                if new is not None:
                    mapping[s] = new
            terms.append(body.xreplace(mapping) if mapping else body)
        return sp.Add(*terms)


def _transform(builder: _Build, tree: Any, src: _Source, pos: int) -> sp.Expr | _Mat:
    try:
        value = builder.transform(tree)
        expr = builder._mvalue(value, pos)
    except VisitError as e:
        orig = e.orig_exc
        if isinstance(orig, (ParseError, Refused)):
            raise orig from None
        if isinstance(orig, RecursionError):
            raise Refused.of("too_deep") from None
        if isinstance(orig, (ValueError, TypeError, ArithmeticError, NotImplementedError)):
            raise src.error("cannot_build", pos, error=type(orig).__name__, detail=orig) from None
        raise orig from None  # (the caller's time limit, raised inside a rule, reaches the caller as itself)
    except (ValueError, TypeError, ArithmeticError, NotImplementedError) as e:
        raise src.error("cannot_build", pos, error=type(e).__name__, detail=e) from None
    if isinstance(expr, _Mat):
        if not all(isinstance(e, sp.Expr) for e in expr.m):  # pragma: no cover - every rule builds an Expr
            raise src.error("not_expression", pos)
        return expr
    if not isinstance(expr, sp.Expr):  # pragma: no cover - every rule builds an Expr
        raise src.error("not_expression", pos)
    return expr
