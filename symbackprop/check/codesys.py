"""A PLC program in IEC 61131-3 Structured Text (CODESYS, TwinCAT) with its watch window's values copied from
online mode: "lrNetH1 := lrW1 * lrX1 + lrW3 * lrX2;" and, under it, "PLC_PRG.lrNetH1   LREAL   0.25". The
variables carry their type's prefix (lr for LREAL) and CamelCase words: lrNetH1 is the code name net_h1, lrDeltaO1
delta_o1, lrW8neu w8_new. Each assignment is the student's formula and each watched value its number; the
declarations (VAR … END_VAR: the given numbers), comments ((* … *), // …) and the compiler's messages say nothing
to check: blanks, positions kept."""

from __future__ import annotations

import re

from .sessions import call_powers, code_expr
from .tokens import _blank

_ASSIGN = re.compile(r"(?P<lead>[ \t]*)(?P<name>[A-Za-z_]\w*)[ \t]*:=[ \t]*(?P<expr>[^;\n]*);(?P<rest>[^\n]*)")
_WATCH = re.compile(r"[ \t]*[A-Za-z_]\w*\.(?P<name>[A-Za-z_]\w*)[ \t]+L?REAL[ \t]+"
                    r"(?P<value>[-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)[ \t]*")
_BLOCK = re.compile(r"(?ms)^[ \t]*VAR(?:_[A-Z]+)?\b.*?^[ \t]*END_VAR[ \t]*$|\(\*.*?\*\)")
_HEADER = re.compile(r"[ \t]*(?:PROGRAM|FUNCTION_BLOCK|FUNCTION|END_PROGRAM|END_FUNCTION_BLOCK)\b[^\n]*"
                     r"|[ \t]*C[0-9]{4}:[^\n]*|[ \t]*Meldungen\b[^\n]*|[ \t]*Messages\b[^\n]*")
_TYPE_PREFIX = re.compile(r"^(?:lr|r|f|di|d|i|n)(?=[A-Z])")
_FUNCTIONS = {"EXP": "exp", "LN": "ln", "SQRT": "sqrt", "TANH": "tanh"}


def is_structured_text(text: str) -> bool:
    """Is the text Structured Text: assignments ":= …;" with a watch window's values or a declaration block?"""
    lines = text.split("\n")
    return any(_ASSIGN.fullmatch(line) for line in lines) and (
        any(_WATCH.fullmatch(line) for line in lines) or re.search(r"(?m)^[ \t]*END_VAR\b", text) is not None)


def _code_name(name: str) -> str:
    """A variable's code name: its type prefix off, CamelCase words joined by underscores (lrW8neu: w8_new)."""
    if name.upper() in _FUNCTIONS:
        return _FUNCTIONS[name.upper()]
    core = re.sub(r"(?<=[0-9a-z])(neu|new|alt|old)$", r"_\1", _TYPE_PREFIX.sub("", name))
    snake = re.sub(r"(?<=[A-Za-z0-9])(?=[A-Z])", "_", core).lower()
    return re.sub(r"_neu$", "_new", re.sub(r"_alt$", "_old", snake))


def _math(expr: str) -> str:
    """An expression as math: EXPT(a, b) a power, the names as code names."""
    expr = call_powers(expr, "EXPT")
    return code_expr(re.sub(r"[A-Za-z_]\w*", lambda m: _code_name(m.group()), expr), True)


def structured_text(text: str) -> str:
    """The assignments and the watched values as statements (see the module's docstring), the rest blank."""
    text = _BLOCK.sub(lambda m: _blank(m.group()), text)
    out = []
    for line in text.split("\n"):
        assign, watch = _ASSIGN.fullmatch(line), _WATCH.fullmatch(line)
        if assign is not None:
            said = f"${_math(assign['name'])} = {_math(assign['expr'])}$"
        elif watch is not None:
            said = f"${_math(watch['name'])} = {watch['value']}$"
        elif _HEADER.fullmatch(line) or "=" not in line:
            said = ""
        else:
            said = re.sub(r"[ \t]*//[^\n]*", "", line)
        out.append(said.ljust(len(line)) if len(said) <= len(line) else said)
    return "\n".join(out)
