"""A Qalculate! (qalc) session pasted as an answer: each "> input" is echoed as qalc parsed it, indented two spaces,
with its result after "≈" (or "=" when exact); "> save a1" (or "store") keeps the last result under a name of the
student's, and "ans" is the last result. Read as the echoes, each an equation: "a1 = tanh((0.3 × 0.5) + …) ≈ 0.2636"
when the next command saves it, with "ans" written as the number it stood for and an echo qalc shortened ("−ln(…)")
replaced by its input; the commands, settings and the student's "# …" remarks between them blank. (Positions are the
reader's own.)"""

from __future__ import annotations

import re

from .tokens import WRITTEN_NUMBER

_INPUT = re.compile(r"> (?P<command>\S[^\n]*)")
_ECHO = re.compile(rf"  (?P<expr>\S[^\n]*?) (?P<rel>≈|=) (?P<value>{WRITTEN_NUMBER})[ \t]*")
_SAVE = re.compile(r"(?:save|store)[ \t]+(?P<name>[A-Za-z][A-Za-z0-9_]*)[ \t]*")
_ANS = re.compile(r"(?<![\w.])ans(?![\w(])")
_POWER = re.compile(r"\^(?P<base>[A-Za-z][A-Za-z0-9_]*|[0-9]+(?:\.[0-9]+)?)")  # e^s2: e to the s2 (LaTeX's e^s 2)


def is_qalc(text: str) -> bool:
    """A "> input" line with qalc's echo two spaces in, after at most one blank line, ending in ≈ or = a number?"""
    lines = text.split("\n")
    return "\\" not in text and any(_INPUT.fullmatch(line) and _echoed(lines[k + 1:k + 3])
                                   for k, line in enumerate(lines))


def _echoed(after: list[str]) -> bool:
    """Is there an echo among these lines, and nothing else but blank lines?"""
    echoes = [_ECHO.fullmatch(line) is not None for line in after]
    return any(echoes) and all(echo or not line.strip() for line, echo in zip(after, echoes, strict=True))


def qalc(text: str) -> str:
    """The session's echoes as equations, one a line (saved ones named); everything else blank."""
    lines = text.split("\n")
    out = [""] * len(lines)
    last: str | None = None  # the last result, as qalc printed it
    command, echo_at = "", None
    for k, line in enumerate(lines):
        if (m := _INPUT.fullmatch(line)) is not None:
            command = m["command"]
            if (save := _SAVE.fullmatch(command)) is not None and echo_at is not None:
                out[echo_at] = f"{save['name']} = {out[echo_at]}"
            echo_at = None
        elif (m := _ECHO.fullmatch(line)) is not None:
            expr = m["expr"] if "…" not in m["expr"] else command
            if last is not None:
                expr = _ANS.sub(f"({last})" if last.startswith(("-", "−")) else last, expr)
            out[k] = _POWER.sub(r"^{\g<base>}", expr) + f" {m['rel']} {m['value']}"
            last, echo_at = m["value"], k
    return "\n".join(out)
