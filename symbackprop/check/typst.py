"""A Typst source (.typ) handed in instead of LaTeX, as LaTeX for the reader: its markup (#set rules, = headings,
*strong*, #rect[…] boxes) blanked, its math ($ … $ a display when spaced inside, $…$ inline) translated — words
for symbols (partial, dot, alpha, arrow.l), sub- and superscripts grouped by brackets (W^1_(i j)), a fraction
a/b between two operands whose brackets only group ((partial E)/(partial y)), "text" in quotes, calls (Phi(x),
hat(y), frac(a, b), vec(…))."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .sessions import PERL
from .tokens import group_end
from .vocabulary import GREEK

#: a Typst source: its set/let/show rules or imports at a line's start, or math with Typst's own words or bracket
#: scripts and no LaTeX command anywhere
_RULE = re.compile(r"^#(?:set|let|show|import|include)\b", re.MULTILINE)
_MATH = re.compile(r"(?<![\\$])\$(?!\$)(?P<body>[^$]+)\$")
_TYPST_MATH = re.compile(r"[_^]\((?!\))|\b(?:partial|dot|arrow\.[lr]|quad|sum_|" + "|".join(sorted(GREEK)) + r")\b")

_TOKEN = re.compile(r'"(?P<string>[^"\n]*)"|(?P<number>\d+(?:\.\d+)?)|(?P<word>[A-Za-z]{2,}(?:\.[a-z]+)*)'
                    r"|(?P<letter>[A-Za-z])|\\(?P<escape>[^\sA-Za-z])|(?P<newline>\\(?=\s|$))"
                    r"|(?P<op>!=|<=|>=|->|<-|=>|:=|\.\.\.)|(?P<space>\s+)|(?P<char>.)", re.DOTALL)
_WORDS = {"partial": r"\partial", "dot": r"\cdot", "dot.op": r"\cdot", "dot.c": r"\cdot", "times": r"\times",
          "quad": r"\quad", "qquad": r"\qquad", "wide": r"\qquad", "thin": " ", "med": " ", "thick": " ",
          "sum": r"\sum", "product": r"\prod", "prod": r"\prod", "arrow.l": r"\leftarrow", "arrow.r": r"\rightarrow",
          "arrow.l.long": r"\leftarrow", "arrow.r.long": r"\rightarrow", "approx": r"\approx", "eq.not": r"\neq",
          "infinity": r"\infty", "oo": r"\infty", "dots": r"\ldots", "dots.h": r"\ldots", "dots.c": r"\cdots",
          "exp": r"\exp", "ln": r"\ln", "log": r"\log", "tanh": r"\tanh", "max": r"\max", "min": r"\min",
          "nabla": r"\nabla", "in": r"\in", "minus": "-", "plus": "+", "lt.eq": r"\leq", "gt.eq": r"\geq",
          "prime": "'", "dif": "d", "diff": r"\partial", "phi.alt": r"\varphi", "epsilon.alt": r"\varepsilon",
          "ast": "*", "star": "*", "hat": r"\hat", "tilde": r"\tilde", "overline": r"\overline", "bar": r"\bar",
          "bold": r"\mathbf", "sqrt": r"\sqrt", "upright": r"\mathrm", "italic": "", "op": r"\operatorname",
          "text": r"\text"}
_OPS = {"!=": r"\neq", "<=": r"\leq", ">=": r"\geq", "->": r"\rightarrow", "<-": r"\leftarrow",
        "=>": r"\Rightarrow", ":=": "=", "...": r"\ldots"}
_CLOSE = {"(": ")", "[": "]", "{": "}"}

#: markup outside math: a heading's = run, strong and emphasis marks, a comment, a function's head with its content
#: bracket (#rect[…], #align(center)[…]) — its closing bracket is found by counting
_MARKUP_FUNCTION = re.compile(r"#[a-z][\w.-]*(?:\([^()\n]*\))?\[")


@dataclass
class _Atom:
    """One operand of math: its LaTeX, and the inside of its brackets when it is a bracket only (a fraction's or a
    script's operand loses them)."""
    latex: str
    inner: str | None = None

    def bare(self) -> str:
        return self.inner if self.inner is not None else self.latex


class _Math:
    """Typst math read left to right: a sequence of operands, scripts and primes attached to the one before,
    a/b joining the operands either side of the slash."""

    def __init__(self, body: str) -> None:
        self.tokens = list(_TOKEN.finditer(body))
        self.k = 0

    def peek(self) -> re.Match[str] | None:
        return self.tokens[self.k] if self.k < len(self.tokens) else None

    def sequence(self, stop: str = "") -> list[_Atom]:
        atoms: list[_Atom] = []
        while (t := self.peek()) is not None and not (t.lastgroup == "char" and t.group() in stop):
            if t.lastgroup == "char" and t.group() == "/" and atoms:
                self.k += 1
                while len(atoms) > 1 and atoms[-1].latex.isspace():
                    atoms.pop()
                while (n := self.peek()) is not None and n.lastgroup == "space":
                    self.k += 1
                below = self.attached()
                atoms[-1] = _Atom(rf"\frac{{{atoms[-1].bare()}}}{{{below.bare()}}}")
            else:
                atoms.append(self.attached())
        return atoms

    def attached(self) -> _Atom:
        atom = self.primary()
        while (t := self.peek()) is not None and t.lastgroup == "char" and t.group() in "_^'":
            self.k += 1
            if t.group() == "'":
                atom = _Atom(atom.latex + "'")
            else:
                script = self.primary()
                atom = _Atom(f"{atom.latex}{t.group()}{{{script.bare()}}}")
        return atom

    def primary(self) -> _Atom:
        t = self.peek()
        if t is None:
            return _Atom("")
        self.k += 1
        kind, text = t.lastgroup, t.group()
        if kind == "string":
            return _Atom(rf"\text{{{t['string']}}}")
        if kind == "escape":
            return _Atom({"#": r"\#", "$": r"\$", "_": r"\_"}.get(t["escape"], t["escape"]))
        if kind == "newline":
            return _Atom(r"\\")
        if kind == "op":
            return _Atom(_OPS[text])
        if kind == "space":
            return _Atom(" ")
        if kind == "char" and text in _CLOSE:
            inner = "".join(a.latex for a in self.sequence(_CLOSE[text])).strip()
            if (t := self.peek()) is not None:
                self.k += 1
            shown = {"{": (r"\{", r"\}")}.get(text, (text, _CLOSE[text]))
            return _Atom(f"{shown[0]}{inner}{shown[1]}", inner)
        if kind == "word":
            return self.word(t)
        if kind == "char" and text == "&":
            return _Atom(" ")
        if kind == "char" and text == "#":  # (code in math, #h(1em): its call is skipped)
            if (t := self.peek()) is not None and t.lastgroup in ("word", "letter"):
                self.k += 1
                if (t := self.peek()) is not None and t.group() == "(":
                    self.k += 1
                    self.sequence(")")
                    self.k += 1
            return _Atom(" ")
        return _Atom(text)

    def word(self, t: re.Match[str]) -> _Atom:
        name = t.group()
        called = (n := self.peek()) is not None and n.group() == "(" and n.start() == t.end()
        if name in GREEK or (name.lower() in GREEK and name[0].isupper()):
            latex = "\\" + name
        elif name in _WORDS:
            latex = _WORDS[name]
        else:
            latex = rf"\mathrm{{{name}}}"
        if not called:
            return _Atom(latex)
        self.k += 1
        args = self.arguments()
        if name == "frac" and len(args) == 2:
            return _Atom(rf"\frac{{{args[0][0]}}}{{{args[1][0]}}}")
        if name in ("vec", "mat"):
            rows = [" & ".join(row) for row in _rows(args)]
            return _Atom(r"\begin{pmatrix}" + r" \\ ".join(rows) + r"\end{pmatrix}")
        if name == "abs" and len(args) == 1:
            return _Atom(f"|{args[0][0]}|")
        if name in ("upright", "op", "italic", "bold", "hat", "tilde", "overline", "bar", "sqrt", "text") \
                and len(args) == 1:
            return _Atom(f"{latex}{{{args[0][0]}}}" if latex else args[0][0])
        return _Atom(latex + "(" + ", ".join(a for row in args for a in row) + ")")

    def arguments(self) -> list[list[str]]:
        """A call's arguments, each row (split at `;`) a list of cells (split at `,`)."""
        rows: list[list[str]] = [[]]
        while True:
            cell = "".join(a.latex for a in self.sequence(",;)")).strip()
            t = self.peek()
            rows[-1].append(cell)
            if t is None:
                return rows
            self.k += 1
            if t.group() == ")":
                return rows
            if t.group() == ";":
                rows.append([])


def _rows(args: list[list[str]]) -> list[list[str]]:
    """vec(a, b) is a column; mat(a, b; c, d) rows of cells."""
    return [[cell] for cell in args[0]] if len(args) == 1 else args


def _math(body: str) -> str:
    parsed = _Math(body)
    latex = re.sub(r"\s+", " ", "".join(a.latex for a in parsed.sequence())).strip()
    if r"\\" in latex:
        return r"\begin{aligned}" + latex + r"\end{aligned}"
    return latex


_SHELL_RUN = re.compile(r"(?m)^[ \t]*\$[ \t]+[a-z][a-z0-9+.-]*[ \t]+[^\n$=]*\.[A-Za-z]{1,4}[ \t]*$")


def is_typst(text: str) -> bool:
    """Typst's own marks: a #set/#let rule, or math between $ with a Typst word or a bracketed script and no LaTeX
    command in the whole text."""
    if re.search(r"\\[A-Za-z]", text) or PERL.search(text) or _SHELL_RUN.search(text):
        return False  # (and not a Perl or Raku program's $ sigils, "[21] > $delta-h2 = $dL-dh2 * …;", nor a
        # shell's prompt, "$ python hw4_check.py")
    return (_RULE.search(text) is not None and "$" in text) or any(
        _TYPST_MATH.search(m["body"]) for m in _MATH.finditer(text))


def typst(text: str) -> str:
    """The text with Typst's math as LaTeX ($$ … $$ for a display) and its markup blanked."""
    text = _unwrapped(text)
    out: list[str] = []
    k = 0
    for m in _MATH.finditer(text):
        out.append(_markup(text[k:m.start()]))
        body = m["body"]
        display = body[:1].isspace() and body[-1:].isspace()
        out.append(("$$" if display else "$") + _math(body) + ("$$" if display else "$"))
        k = m.end()
    out.append(_markup(text[k:]))
    return "".join(out)


def _markup(text: str) -> str:
    """Prose between math: rules and comments out, headings' = and strong/emphasis marks out, a function's head
    and its content bracket's closing ] out (the content kept)."""
    text = re.sub(r"(?m)^[ \t]*#(?:set|let|show|import|include)\b[^\n]*$", "", text)
    text = re.sub(r"(?m)(?<!:)//[^\n]*$", "", text)
    text = re.sub(r"(?m)^[ \t]*=+[ \t]+", "", text)
    text = re.sub(r"(?<![\w*])\*(?=\S)([^*\n]*?)(?<=\S)\*(?![\w*])", r"\1", text)
    text = re.sub(r"(?<![\w_])_(?=\S)([^_\n]*?)(?<=\S)_(?![\w_])", r"\1", text)
    return re.sub(r"\\([*_#$\[\]/\\])", r"\1", text)


def _unwrapped(text: str) -> str:
    """#rect[…], #align(center)[…]: the function's head and the closing bracket of its content out."""
    while (m := _MARKUP_FUNCTION.search(text)) is not None:
        end = group_end(text, m.end() - 1, "[]")
        close = end - 1 if end is not None else None
        text = text[:m.start()] + text[m.end():close] + ("" if close is None else text[close + 1:])
    return text
