r"""A Mathematica notebook copied as plain text, as LaTeX for the reader: each input cell "In[12]:= dEdw5 = δO D[netO,
w5]" with the output Out[12]= under it is one statement, name = input = output. Its language read: D[f, x] a
partial derivative, Exp[x] and E^x Euler's number's powers, σ[x] a function's value and σ'[x] its derivative's,
Simplify[…] and "// Factor" what they wrap, a product by juxtaposition; a notebook's glued names split as the
sheet means them (neth1 net_{h1}, outO out_O, δh2 δ_{h2}, dEdoutO ∂E/∂out_O, w5new w_5 updated). Definitions (:=),
replacement rules (/.), tests (==), messages (Set::wrsym) and comments claim nothing."""

from __future__ import annotations

import re
import unicodedata

from .tokens import _blank

_IN = re.compile(r"(?m)^[ \t]*In\[(?P<n>[0-9]+)\]:=[ \t]*(?P<input>[^\n]*)$")
_OUT = re.compile(r"(?m)^[ \t]*Out\[(?P<n>[0-9]+)\]=[ \t]*(?P<output>[^\n]*)$")
_MESSAGE = re.compile(r"(?m)^[ \t]*[A-Za-z$]\w*::\w+:[^\n]*$")
_COMMENT = re.compile(r"\(\*.*?\*\)", re.DOTALL)
_TOKEN = re.compile(r"(?P<number>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)|(?P<name>[^\W\d_][^\W_]*)|(?P<op>->|[-+*/^=,\[\]()'])"
                    r"|(?P<space>\s+)|(?P<other>.)")
#: what wraps a value without changing it
_IDENTITY = frozenset({"Simplify", "FullSimplify", "Factor", "Expand", "Together", "N", "Collect", "Apart"})
_FUNCTIONS = {"Exp": None, "Log": r"\ln", "Tanh": r"\tanh", "Sqrt": r"\sqrt", "LogisticSigmoid": r"\sigma"}
_GREEK = {"α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\varepsilon", "η": r"\eta",
          "θ": r"\theta", "λ": r"\lambda", "μ": r"\mu", "σ": r"\sigma", "φ": r"\phi", "Φ": r"\Phi", "Δ": r"\Delta"}
#: a glued name: a quantity's word and its unit (neth1, outO, inh2), a Greek letter and its unit (δO, δh2), a
#: derivative of the error (dEdw5, dEdoutO), a parameter updated (w5new)
_GLUED = re.compile(r"(?P<word>net|out|in|Net|Out|In|target|delta|δ)(?P<unit>[A-Z][A-Za-z]?[0-9]{0,2}|[a-z][0-9]{1,2})")
_DERIVATIVE = re.compile(r"d(?P<of>E|Etotal|err|L|J|C)d(?P<wrt>\w+)")
_PARAMETER = re.compile(r"(?P<base>[A-Za-z])(?P<index>[0-9]{1,2})(?P<new>new|neu|plus)?")


class _Unread(Exception):
    """A construct this reading does not take: the statement is left out."""


def is_mathematica(text: str) -> bool:
    """Does the text hold a notebook's input cells (In[1]:= …)?"""
    return _IN.search(text) is not None


#: a named character as the notebook copies it, \[Eta], \[CapitalDelta]
_NAMED_CHARACTER = re.compile(r"\\\[(?P<capital>Capital)?(?P<name>[A-Z][a-z]+)\]")


def _greek(m: re.Match[str]) -> str:
    r"""A named character's Greek letter (\[Eta] is η); another stays as it is."""
    try:
        return unicodedata.lookup(f"GREEK {'CAPITAL' if m['capital'] else 'SMALL'} LETTER {m['name'].upper()}")
    except KeyError:
        return m.group()


def mathematica(text: str) -> str:
    """The notebook as statements in LaTeX, one a line; the prose outside its cells kept."""
    text = _NAMED_CHARACTER.sub(_greek, _COMMENT.sub(lambda m: _blank(m.group()), text))
    outputs = {m["n"]: m["output"] for m in _OUT.finditer(text)}
    lines: list[str] = []
    source = text.split("\n")
    for k, line in enumerate(source):
        if (cell := _IN.fullmatch(line)) is not None:
            failed = k + 1 < len(source) and _MESSAGE.fullmatch(source[k + 1]) is not None
            # (a message under the cell: the input failed, Set::wrsym on the protected E)
            lines.append("" if failed else _cell(cell["input"], outputs.get(cell["n"])))
        elif _OUT.fullmatch(line) or _MESSAGE.fullmatch(line):
            lines.append("")
        else:
            lines.append(line)
    return "\n".join(lines)


def _cell(source: str, output: str | None) -> str:
    """An input cell's statements, the last one equal to what the cell printed."""
    statements = split_outside(source, ";")
    silent = source.rstrip().endswith(";")
    out = []
    for k, statement in enumerate(statements):
        statement = statement.split("//")[0]
        if not statement.strip() or any(x in statement for x in (":=", "/.", "==", "->")):
            continue  # (a definition, a rule, a test: nothing claimed)
        sides = split_outside(statement, "=")
        try:
            parts = [_expr(s) for s in sides]
            if k == len(statements) - 1 and not silent and output is not None and output.strip():
                parts.append(_expr(output))
        except _Unread:
            continue
        if len(parts) >= 2:
            out.append("$" + " = ".join(parts) + "$")
    return " ".join(out)


def split_outside(source: str, sep: str) -> list[str]:
    """The source split at `sep` outside brackets (a single "=", not ":=", "==")."""
    parts, depth, start = [], 0, 0
    for k, c in enumerate(source):
        depth += 1 if c in "[(" else -1 if c in "])" else 0
        if c == sep and depth == 0 and (sep != "=" or (source[k - 1:k] not in (":", "=", "!", "<", ">")
                                                        and source[k + 1:k + 2] != "=")):
            parts.append(source[start:k])
            start = k + 1
    return [*parts, source[start:]]


def _expr(source: str) -> str:
    tokens = [(m.lastgroup or "", m.group()) for m in _TOKEN.finditer(source) if m.lastgroup != "space"]
    if any(kind == "other" for kind, _ in tokens):
        raise _Unread
    parser = _Parser(tokens)
    result = parser.sum()
    if parser.pos != len(tokens):
        raise _Unread
    return result


class _Parser:
    """Mathematica's arithmetic, by precedence: sums, products (juxtaposed too), signs, powers, calls."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens, self.pos = tokens, 0

    def peek(self) -> str:
        return self.tokens[self.pos][1] if self.pos < len(self.tokens) else ""

    def take(self, what: str | None = None) -> str:
        if self.pos >= len(self.tokens) or (what is not None and self.tokens[self.pos][1] != what):
            raise _Unread
        self.pos += 1
        return self.tokens[self.pos - 1][1]

    def sum(self) -> str:
        out = self.product()
        while self.peek() in ("+", "-"):
            out += f" {self.take()} {self.product()}"
        return out

    def product(self) -> str:
        out = self.unary()
        while True:
            if self.peek() == "*":
                self.take()
                out += r" \cdot " + self.unary()
            elif self.peek() == "/":
                self.take()
                out = r"\frac{" + out + "}{" + self.unary() + "}"
            elif self.pos < len(self.tokens) and (self.tokens[self.pos][0] in ("number", "name")
                                                  or self.peek() == "("):
                out += " " + self.unary()
            else:
                return out

    def unary(self) -> str:
        if self.peek() == "-":
            self.take()
            return "-" + self.unary()
        return self.power()

    def power(self) -> str:
        base = self.call()
        if self.peek() == "^":
            self.take()
            exponent = self.unary()
            return "{" + base + "}^{" + exponent + "}"
        return base

    def call(self) -> str:
        if self.peek() == "(":
            self.take()
            inner = self.sum()
            self.take(")")
            return r"\left(" + inner + r"\right)"
        kind, token = self.tokens[self.pos] if self.pos < len(self.tokens) else ("", "")
        if kind == "number":
            self.pos += 1
            return token
        if kind != "name":
            raise _Unread
        self.pos += 1
        primes = ""
        while self.peek() == "'":
            self.take()
            primes += "'"
        if self.peek() != "[":
            if primes:
                raise _Unread
            return _name(token)
        self.take("[")
        args = [self.sum()]
        while self.peek() == ",":
            self.take()
            args.append(self.sum())
        self.take("]")
        if token == "D" and len(args) == 2:
            return r"\frac{\partial " + args[0] + r"}{\partial " + args[1] + "}"
        if len(args) != 1:
            raise _Unread
        if token in _IDENTITY:
            return r"\left(" + args[0] + r"\right)"
        if token == "Exp":
            return "e^{" + args[0] + "}"
        if token in _FUNCTIONS:
            return f"{_FUNCTIONS[token]}\\left({args[0]}\\right)"
        return _name(token) + primes + r"\left(" + args[0] + r"\right)"


def _name(token: str) -> str:
    """A notebook's name as the sheet means it (E alone is Euler's number to Mathematica)."""
    if token == "E":
        return "e"
    if (d := _DERIVATIVE.fullmatch(token)) is not None:
        of = r"\text{err}" if d["of"] == "err" else d["of"]
        return r"\frac{\partial " + of + r"}{\partial " + _name(d["wrt"]) + "}"
    if (g := _GLUED.fullmatch(token)) is not None:
        word = _GREEK.get(g["word"], r"\delta" if g["word"] == "delta" else g["word"])
        unit = g["unit"].lower() if re.fullmatch(r"[A-Z][0-9]{1,2}", g["unit"]) else g["unit"]
        return word + "_{" + unit + "}"  # (CamelCase's outH2 is out_{h2}; a unit's own capital, outO, stays)
    if (p := _PARAMETER.fullmatch(token)) is not None:
        return p["base"] + "_{" + p["index"] + "}" + (r"^{\text{new}}" if p["new"] else "")
    if token in _GREEK:
        return _GREEK[token]
    if len(token) == 1:
        return token
    return r"\text{" + token + "}"
