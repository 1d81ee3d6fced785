r"""A sheet's own LaTeX macros (\newcommand, \renewcommand, \providecommand, \def, \DeclareMathOperator), expanded
so that \pd{E}{w_5} reads as the \frac{\partial E}{\partial w_5} it stands for. A definition holds for the rest of
the sheet, as a preamble's does for the whole document: the answers after it use the macro without defining it.
Expansion is bounded (a macro that calls itself stops growing the text; what is left unexpanded is then an unknown
command for the reader to name)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .tokens import group_end

_NEWCOMMAND = re.compile(r"\\(?P<kind>newcommand|renewcommand|providecommand)\*?[ \t]*(?:\{[ \t]*\\(?P<name>[A-Za-z]+)"
                         r"[ \t]*\}|\\(?P<bare>[A-Za-z]+))[ \t]*(?:\[[ \t]*(?P<n>[1-9])[ \t]*\])?[ \t]*"
                         r"(?:\[(?P<default>[^\[\]\n]*)\])?[ \t]*(?=\{)")
_DEF = re.compile(r"\\def[ \t]*\\(?P<name>[A-Za-z]+)(?P<params>(?:#[1-9])*)[ \t]*(?=\{)")
_OPERATOR = re.compile(r"\\DeclareMathOperator\*?[ \t]*\{[ \t]*\\(?P<name>[A-Za-z]+)[ \t]*\}[ \t]*(?=\{)")
_USE = re.compile(r"\\([A-Za-z]+)(?![A-Za-z])")
_MAX_EXPANSIONS = 2000
_MAX_GROWTH = 20  # (the expanded text at most this many times the written one, and 200 000 characters)


@dataclass(frozen=True)
class Macro:
    arguments: int
    default: str | None  # the first argument's default: it is optional, in brackets
    body: str


@dataclass
class Macros:
    """The macros a sheet has defined so far."""
    defined: dict[str, Macro] = field(default_factory=dict)

    def read(self, text: str) -> str:
        """The text with its definitions taken in (and blanked) and every defined macro expanded."""
        if "\\" not in text:
            return text
        text = self._definitions(text)
        return self._expanded(text) if self.defined else text

    def _definitions(self, text: str) -> str:
        out, k = [], 0
        for m in sorted([*_NEWCOMMAND.finditer(text), *_DEF.finditer(text), *_OPERATOR.finditer(text)],
                        key=lambda m: m.start()):
            if m.start() < k:
                continue
            end = group_end(text, m.end())
            if end is None:
                continue
            body = text[m.end() + 1:end - 1]
            name = m["name"] or m.groupdict().get("bare")
            if m.re is _OPERATOR:
                macro = Macro(0, None, rf"\operatorname{{{body}}}")
            elif m.re is _DEF:
                macro = Macro(len(m["params"]) // 2, None, body)
            else:
                macro = Macro(int(m["n"] or 0), m["default"], body)
            if name and not (m.re is _NEWCOMMAND and m["kind"] == "providecommand" and name in self.defined):
                self.defined[name] = macro
            out += [text[k:m.start()], " " * (end - m.start())]
            k = end
        return "".join(out) + text[k:]

    def _expanded(self, text: str) -> str:
        limit = min(len(text) * _MAX_GROWTH + 1000, 200_000)
        pos, count = 0, 0
        while count < _MAX_EXPANSIONS and (m := _USE.search(text, pos)) is not None:
            macro = self.defined.get(m[1])
            if macro is None:
                pos = m.end()
                continue
            arguments, end = _arguments(text, m.end(), macro)
            if arguments is None:
                pos = m.end()
                continue
            body = _substituted(macro.body, arguments)
            if len(text) - (end - m.start()) + len(body) > limit:
                break
            text = text[:m.start()] + body + text[end:]
            pos, count = m.start(), count + 1
        return text


def _substituted(body: str, arguments: list[str]) -> str:
    """The body with #1 … #9 its arguments (## a #)."""
    def argument(a: re.Match[str]) -> str:
        return "#" if a[1] == "#" else arguments[int(a[1]) - 1] if int(a[1]) <= len(arguments) else ""
    return re.sub(r"#([1-9#])", argument, body)


def _arguments(text: str, pos: int, macro: Macro) -> tuple[list[str] | None, int]:
    """A use's arguments: the optional first in brackets (its default when not written), then each a {…} group or
    one token; None when the text ends before them."""
    arguments: list[str] = []
    needed = macro.arguments
    if macro.default is not None and needed:
        k = _skip_space(text, pos)
        if k < len(text) and text[k] == "[":
            close = text.find("]", k)
            if close < 0:
                return None, pos
            arguments.append(text[k + 1:close])
            pos = close + 1
        else:
            arguments.append(macro.default)
        needed -= 1
    for _ in range(needed):
        k = _skip_space(text, pos)
        if k >= len(text):
            return None, pos
        if text[k] == "{":
            end = group_end(text, k)
            if end is None:
                return None, pos
            arguments.append(text[k + 1:end - 1])
            pos = end
        elif (command := re.match(r"\\(?:[A-Za-z]+|.)", text[k:])) is not None:
            arguments.append(command.group())
            pos = k + command.end()
        else:
            arguments.append(text[k])
            pos = k + 1
    return arguments, pos


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\n":
        pos += 1
    return pos
