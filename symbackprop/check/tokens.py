"""What every pass of the derivation reader shares: the errors, the limits, the token and the source.

`parse()` reads an answer in passes, each a module, the data flowing one way: tokens (this module) → lex →
rewrite → lines → tree → parse. Each pass makes `_Tok`s positioned in one `_Source` and reports a problem with
`_Source.error` (a ParseError at a line and column) or `Refused`, each naming its message in catalogue.READER
(the English `.message`, `.say(lang)` in any language); so these, the limits beyond which an answer
is refused, and the token types the passes agree on (brackets, operators, the grammar's terminals and how a
message names them) live here, below all the passes.
"""

from __future__ import annotations

import bisect
import json
import re
import time
import unicodedata
from typing import Any

from lark import Token

from .catalogue import Phrase, say


class ParseError(Exception):
    """The text is not a derivation we can read. `.message` is written for the student (in English); `.say(lang)`
    is it in a language of the catalogue, from `.key` (a catalogue entry, READER's for the reader) and `.params`."""

    def __init__(self, message: str, position: int = 0, line: int = 1, column: int = 1, key: str = "",
                 params: dict[str, Any] | None = None, at: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.line = line
        self.column = column
        self.key = key
        self.params: dict[str, Any] = params or {}
        self.at = at  # the message ends with its line and column ("at_position")
        self.heads: frozenset[str] = frozenset()  # what the unread chains may define (Skipped.heads)

    def say(self, lang: str = "en") -> str:
        """The message in `lang` (the English one is `.message`)."""
        if not self.key:
            return self.message
        text = say(self.key, lang, **self.params)
        return say("at_position", lang, what=text, line=self.line, column=self.column) if self.at else text


class Refused(Exception):
    """The text is too large, too deep or would take too long: we do not even try. `.message` is in English,
    `.say(lang)` in a language of the catalogue (`.key` is READER's entry, `.params` its parameters)."""

    def __init__(self, message: str, key: str = "", params: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.key = key
        self.params: dict[str, Any] = params or {}

    @classmethod
    def of(cls, key: str, **params: Any) -> Refused:
        """Refused with the catalogue's message `key` (an entry of READER)."""
        return cls(say(key, "en", **params), key, params)

    def say(self, lang: str = "en") -> str:
        """The message in `lang` (the English one is `.message`)."""
        return say(self.key, lang, **self.params) if self.key else self.message


#: the limits beyond which an answer is Refused (see "Errors and limits" in parse's module docstring)
MAX_NUMBER_DIGITS = 50
MAX_EXPONENT = 1000
#: a decimal as written, with either minus sign and an exponent: "-0.09228", "−0.1337935551", "6.1605e-2"
WRITTEN_NUMBER = r"[-−]?[0-9]+(?:\.[0-9]+)?(?:[eE][-+−]?[0-9]+)?"
MAX_POWER_DIGITS = 5000
MAX_TOTAL_DIGITS = 20_000
MAX_SUM_TERMS = 100
MAX_SUM_NODES = 200_000
MAX_MATRIX_SIDE = 10
MAX_MATRIX_NODES = 200_000

#: token types the passes agree on: the brackets, the binary operators, the grammar's terminals and their names
_OPENERS = {"LPAR": "RPAR", "LBRACK": "RBRACK", "LCURLY": "RCURLY", "LBRACE": "RBRACE",
            "CALL_LPAR": "RPAR", "CALL_LBRACK": "RBRACK", "CALL_LCURLY": "RCURLY", "OPT_LBRACK": "RBRACK",
            "MBEGIN": "MEND", "LNORM": "RNORM"}
_CLOSERS = frozenset({"RPAR", "RBRACK", "RCURLY", "RBRACE", "MEND", "RNORM"})
_BINOPS = frozenset({"PLUS", "MINUS", "MUL", "DIV"})
_PARSER_TERMINALS = frozenset({
    "NUMBER", "NAME", "FUNC", "FUNC_BARE", "PARTIAL", "FRAC", "SQRT", "SUM", "PLUS", "MINUS", "MUL", "DIV",
    "CARET", "USCORE", "PRIME", "SUPMARK", "SUBTEXT", "COMMA", "REL", "LPAR", "RPAR", "LBRACK", "RBRACK", "LCURLY",
    "RCURLY", "LBRACE", "RBRACE", "CALL_LPAR", "CALL_LBRACK", "CALL_LCURLY", "OPT_LBRACK", "ACCENT", "IN",
    "LNORM", "RNORM",
    "MBEGIN", "MEND", "MCOL", "MROW", "TRANSPOSE",
})
_DESCRIBE: dict[str, str] = {  # a token with no text named in words (a Phrase: in English and Chinese)
    "NUMBER": Phrase("a number", "数"), "NAME": Phrase("a name", "名称"), "FUNC": Phrase("a function", "函数"),
    "FUNC_BARE": Phrase("a function", "函数"), "PARTIAL": r"\partial", "FRAC": r"\frac", "SQRT": r"\sqrt",
    "SUM": r"\sum", "PLUS": "'+'", "MINUS": "'-'", "MUL": r"\times", "DIV": "'/'", "CARET": "'^'", "USCORE": "'_'",
    "PRIME": Phrase("a prime", "撇号"), "SUPMARK": Phrase("a superscript", "上标"),
    "SUBTEXT": Phrase("a subscript", "下标"), "COMMA": "','", "REL": "'='", "LPAR": "'('", "RPAR": "')'",
    "LBRACK": "'['", "RBRACK": "']'", "LCURLY": r"'\{'", "RCURLY": r"'\}'", "LBRACE": "'{'", "RBRACE": "'}'",
    "CALL_LPAR": "'('", "CALL_LBRACK": "'['", "CALL_LCURLY": r"'\{'", "OPT_LBRACK": "'['",
    "ACCENT": Phrase("an accent", "重音符号"), "IN": r"\in", "MBEGIN": Phrase("a matrix", "矩阵"),
    "MEND": Phrase("the end of a matrix", "矩阵的结尾"), "MCOL": "'&'", "MROW": r"'\\'",
    "TRANSPOSE": Phrase("a transpose", "转置"), "$END": Phrase("the end of the expression", "表达式的结尾"),
}


class _Tok(Token):
    """A Lark token with one more slot: what the tokenizer found out (a name's base, a bracket's \\left)."""

    __slots__ = ("info",)
    info: Any
    start_pos: int  # always set by _Source.tok
    end_pos: int


_PRE_STAR = re.compile(r"\{\}\^(\{\*\}|\*)\s*([A-Za-z])")


def _pre_star(m: re.Match[str]) -> str:
    """{}^{*}w_6 (hmkcode's *w6, the updated weight) as w^{+}_6, padded in front: positions after it stay."""
    new = f"{m.group(2)}^{{+}}"
    return " " * (len(m.group(0)) - len(new)) + new


_SCRIPT_GROUP = re.compile(r"_[ \t]*\{[^{}\\\n]*\}")
_UNACCENTED = {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "s", "ı": "i"}


def _plain_script(m: re.Match[str]) -> str:
    """A Polish E_{całk}, a German E_{gesamt}'s cousin w_{neü}: a subscript's accented Latin letters as plain ones."""
    out = []
    for c in m.group(0):
        base = _UNACCENTED.get(c) or unicodedata.normalize("NFD", c)[0]
        out.append(base if not c.isascii() and c.isalpha() and base.isascii() and base.isalpha() else c)
    return "".join(out)


#: **…** opened after a space (not x**2, a power) and closed before one, on one line
_MARKDOWN_BOLD = re.compile(r"(?<![^\s(\[])\*\*(?=[^\s*])([^*\n]*?[^\s*])\*\*(?![\w*])")


def unbolded(text: str) -> str:
    """Markdown's bold markers (**Backward pass.** With …) as spaces after the words: the line keeps its length, and
    a sentence that opened it still opens it. A bold line of its own stays: the lexer sets it aside as a heading."""
    if "**" not in text:
        return text
    return _MARKDOWN_BOLD.sub(lambda m: m[0] if _BOLD_LINE.fullmatch(text, _line_start(text, m.start()),
                                                                      _line_end(text, m.end())) else f"{m[1]}    ",
                              text)


#: HackMD's and Obsidian's highlight, ==0.1149==, after a relation or a space
_MARKDOWN_MARK = re.compile(r"(?<=[\s=])==(?=[^\s=])([^=\n]*?[^\s=])==(?![=\w])")


def unmarked(text: str) -> str:
    """Markdown's highlight markers (= ==0.1149==) as spaces: the line keeps its length."""
    return _MARKDOWN_MARK.sub(lambda m: f"  {m[1]}  ", text) if "==" in text else text


_BOLD_LINE = re.compile(r"[ \t]*\*\*[^\n]*\*\*[ \t]*(?:\\\\)?[ \t]*")


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


#: Goldberg's vector entry ŷ_{[3]}, W^1_{[k,j]}: an index in square brackets, inside a subscript's braces or bare
_BRACKET_INDEX = re.compile(r"_(?:\{\[([0-9A-Za-z, ]{1,9})\]\}|\[([0-9A-Za-z, ]{1,9})\])")


def _bracket_index(m: re.Match[str]) -> str:
    return "_{ " + m[1] + " }" if m[1] is not None else "_{" + m[2] + "}"


#: an assignment's arrow typed in ASCII between spaces, w5 <- w5 - eta*g
_ASCII_ARROW = re.compile(r"(?<=[\w)\]}][ \t])<-(?=[ \t])")


#: the Japanese middle dot between two operands (w5・h1, 0.5・0.2): a product; between words it stays prose (入力・出力)
_NAKAGURO = re.compile(r"(?:(?<=[A-Za-z0-9)}'′\u0370-\u03ff])|(?<=[A-Za-z0-9)}'′\u0370-\u03ff][ \t]))[・･]"
                       r"(?=[ \t]?[A-Za-z0-9(\\\u0370-\u03ff∂])")


def _normalize(text: str) -> str:
    """Character by character (positions stay): fullwidth ASCII forms (＝ （ ， ｗ) and the ideographic space as
    ASCII, mathematical alphanumerics (𝑤, 𝜎) and ℎ as their plain letter, a subscript's accented Latin letters
    (E_{całk}) as plain ones; a star written before a name, {}^{*}w_6, as the updated w^{+}_6; an index in square
    brackets (ŷ_{[3]}) as one in braces; an ASCII arrow " <- " as ←; a middle dot between operands as ·."""
    if "{}^" in text:
        text = _PRE_STAR.sub(_pre_star, text)
    if "_[" in text or "_{[" in text:
        text = _BRACKET_INDEX.sub(_bracket_index, text)
    if "<-" in text:
        text = _ASCII_ARROW.sub("← ", text)  # (R's and pseudo-code's w5 <- w5 - eta * g: an assignment)
    if text.isascii():
        return text
    text = _SCRIPT_GROUP.sub(_plain_script, text)
    if "・" in text or "･" in text:
        text = _NAKAGURO.sub("·", text)  # (Japanese typed w5・h1: a product)
    out = []
    for c in text:
        o = ord(c)
        if 0xFF01 <= o <= 0xFF5E:
            out.append(chr(o - 0xFEE0))
        elif o == 0x3000:
            out.append(" ")
        elif 0x1D400 <= o <= 0x1D7FF or c == "ℎ":
            plain = unicodedata.normalize("NFKC", c)
            out.append(plain if len(plain) == 1 else c)
        else:
            out.append(c)
    return "".join(out)


class _Source:
    def __init__(self, text: str, deadline: float, timeout: float) -> None:
        self.text = text
        self.norm = _normalize(text)  # what the tokenizer reads: same length, fullwidth forms made ASCII
        self.deadline = deadline
        self.timeout = timeout
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.spaces: list[int] = []  # where `\ ` stands (ascending): a separator of a row vector [a \ b]
        self.labels: frozenset[str] = frozenset()  # the neuron names a superscript may be (Nielsen's a^O, z^{h_1})
        self.units: frozenset[str] = frozenset()  # the inputs' and neurons' names (x1, h2): a \sum's range
        self.prose_blanked = False  # was prose around $…$ pieces blanked (lex._prose_blanked)?
        #: the newlines inside a $$ … $$ or \[ … \] display (set by the parser from the text before its prose and
        #: dollars were blanked): no break to TeX, so a line led by a minus goes on
        self.display_newlines: frozenset[int] = frozenset()
        self.samples: int | None = None  # the batch's size, when the network has several samples
        self.blanks: list[int] = []  # where a chain's value was left blank ("= \cdots", "= ?"): its relation's start

    def linecol(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.line_starts, pos) - 1
        return i + 1, pos - self.line_starts[i] + 1

    def error(self, key: str, pos: int, **params: Any) -> ParseError:
        """The reader's error `key` (an entry of catalogue.READER, its parameters `params`) at `pos`."""
        pos = max(0, min(pos, len(self.text)))
        line, column = self.linecol(pos)
        return ParseError(say("at_position", what=say(key, **params), line=line, column=column), pos, line, column,
                          key, params, at=True)

    def at(self, pos: int) -> dict[str, int]:
        """The line and column of `pos`, as a message's parameters."""
        line, column = self.linecol(pos)
        return {"line": line, "column": column}

    def check_time(self) -> None:
        if time.perf_counter() > self.deadline:
            raise Refused.of("read_time", limit=f"{self.timeout:g}")

    def like(self, text: str) -> _Source:
        """Another text read under this one's deadline and neuron labels (a piece lexed on its own)."""
        other = _Source(text, self.deadline, self.timeout)
        other.labels = self.labels
        other.units = self.units
        return other

    def tok(self, type_: str, value: str, start: int, end: int, info: Any = None) -> _Tok:
        line, col = self.linecol(start)
        end_line, end_col = self.linecol(end)
        t = _Tok(type_, value, start, line, col, end_line, end_col, end)
        t.info = info
        return t


def group_end(text: str, pos: int, brackets: str = "{}", line: bool = False) -> int | None:
    """Just after the bracket that closes the one opening at pos (a character after a backslash is not counted:
    \\{, \\]); None when it is never closed, or not on its line (`line`)."""
    depth, k = 0, pos
    while k < len(text):
        c = text[k]
        if c == "\\":
            k += 2
            continue
        if line and c == "\n":
            return None
        depth += 1 if c == brackets[0] else -1 if c == brackets[1] else 0
        k += 1
        if depth == 0:
            return k
    return None


def _blank(piece: str) -> str:
    """Spaces for every character but the newlines: the positions of what is around stay the same."""
    return "".join(c if c == "\n" else " " for c in piece)


def comment_kept(said: str, line: str) -> str:
    """What a program's reader keeps of a comment line: its text at the line (the mark gone, the line's length
    kept) when it states something ("=" or "≈" in it), else the line blank."""
    return said.ljust(len(line)) if re.search(r"[=≈]", said) else _blank(line)


def _show(t: Token) -> str:
    text = str(t)
    if not text:
        return _DESCRIBE.get(t.type, t.type)
    return f"'{text}'"


class _Plain(str):
    """The base of a name that is never Euler's e (Haykin's e^2(n))."""


def json_text(literal: str, fallback: str = "") -> str:
    """A JSON string literal's text, decoded by the json module (nothing evaluated); `fallback` when it is not one."""
    try:
        value = json.loads(literal)
    except ValueError:
        return fallback
    return value if isinstance(value, str) else fallback


def display_newlines(text: str) -> frozenset[int]:
    """The positions of the newlines inside the text's $$ … $$ and \\[ … \\] displays."""
    return frozenset(m.start() + k for m in re.finditer(r"\$\$[^$]*\$\$|\\\[(?:[^\\]|\\(?!\]))*\\\]", text)
                     for k, c in enumerate(m.group()) if c == "\n")
