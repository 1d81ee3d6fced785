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
_MAX_NESTING = 20  # (the physics package's commands inside each other's groups: deeper is left as written)
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
        """The text with its definitions taken in (and blanked) and every defined macro expanded (the physics
        package's \\pdv, \\dv and \\qty too, unless the sheet defines its own)."""
        if "\\" not in text:
            return text
        text = self._definitions(text)
        text = self._expanded(text) if self.defined else text
        return physics(text, set(self.defined)) if _PHYSICS.search(text) else text

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


#: the physics package's derivatives, automatic brackets and evaluation bar: \pdv{E}{w_5}, \pdv[2]{f}{x}, \dv{E}{y},
#: \qty(1 - out_O), \eval{\dv{\sigma}{x}}_{x = net_O}
_PHYSICS = re.compile(r"\\(?P<name>pdv|dv|qty|eval)(?![A-Za-z])")


def physics(text: str, own: set[str] = frozenset(), depth: int = 0) -> str:  # type: ignore[assignment]
    r"""The physics package's commands in plain LaTeX: \pdv{A}{B} is \frac{\partial A}{\partial B} (\pdv{B} the
    operator ∂/∂B, \pdv[n]{A}{B} the n-th derivative), \dv the same with d; \qty( and \qty[ are the bracket they
    size, \qty{A} a group and siunitx's \qty{0.5}{\metre} its number; \eval{A}_{x = a} the bar \left. A \right|_{x
    = a}. A command the sheet defines itself is its own; one whose groups do not close is left for the reader to
    name."""
    out, k = [], 0
    if depth > _MAX_NESTING:
        return text
    closing = _closers(text)
    for m in _PHYSICS.finditer(text):
        if m.start() < k or m["name"] in own:
            continue
        pos = _skip_space(text, m.end())
        if m["name"] == "qty":
            if text[pos:pos + 1] in ("(", "["):
                out += [text[k:m.start()], " " * (pos - m.start())]
                k = pos
            elif text[pos:pos + 1] == "{" and (end := closing.get(pos)) is not None:
                after = _skip_space(text, end)
                unit = closing.get(after) if text[after:after + 1] == "{" else None
                inner = physics(text[pos + 1:end - 1], own, depth + 1)
                out += [text[k:m.start()], inner if unit is not None else f"({inner})"]
                k = unit if unit is not None else end
            continue
        if m["name"] == "eval":
            if text[pos:pos + 1] == "{" and (end := closing.get(pos)) is not None:
                out += [text[k:m.start()], rf"\left. {physics(text[pos + 1:end - 1], own, depth + 1)} \right|"]
                k = end
            continue
        order = ""
        if text[pos:pos + 1] == "[" and (close := text.find("]", pos, pos + 12)) > 0:
            order, pos = text[pos + 1:close].strip(), _skip_space(text, close + 1)
        groups: list[str] = []
        last = pos
        while len(groups) < 2 and text[pos:pos + 1] == "{" and (end := closing.get(pos)) is not None:
            groups.append(physics(text[pos + 1:end - 1], own, depth + 1))
            last, pos = end, _skip_space(text, end)
        if not groups:
            continue
        d = r"\partial" if m["name"] == "pdv" else "d"
        power = f"^{{{order}}}" if order else ""
        if len(groups) == 1:
            out += [text[k:m.start()], rf"\frac{{{d}{power}}}{{{d} {groups[0]}{power}}}"]
        else:
            out += [text[k:m.start()], rf"\frac{{{d}{power} {groups[0]}}}{{{d} {groups[1]}{power}}}"]
        k = last
    return "".join(out) + text[k:]


def _closers(text: str) -> dict[int, int]:
    """Each "{" of the text with the position just after its "}" (as group_end finds it, a character after a backslash
    not counted), found in one pass."""
    found: dict[int, int] = {}
    opened: list[int] = []
    k = 0
    while k < len(text):
        c = text[k]
        if c == "\\":
            k += 2
            continue
        if c == "{":
            opened.append(k)
        elif c == "}" and opened:
            found[opened.pop()] = k + 1
        k += 1
    return found


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
