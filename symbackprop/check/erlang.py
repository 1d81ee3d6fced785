"""An Erlang shell's session kept as the homework log (`erl`: "Eshell V14.2", numbered prompts "4> InH2 = W2*X1 +
W4*X2.", the value echoed under each, "ok" after an io:format): the expressions and their echoes are the program's
(its variables in capitals, H1, D2, no quantity's names), and the student's answers are the comment lines under
them, "% In_h2 = -0.2 + 0.18 = -0.02". Read as those comment lines' text without the %; the rest blank (a remark
after an expression on its prompt's line too)."""

from __future__ import annotations

import re

from .tokens import _blank

_PROMPT = re.compile(r"[ \t]*[0-9]{1,4}>[ \t]")
#: what only Erlang's shell prints or takes: its banner, a fun, a module's function, a binding forgotten
_ERLANG = re.compile(r"Eshell[ \t]+V[0-9]|Erlang/OTP|\bfun[ \t]*\([^)]*\)[ \t]*->|\b(?:math|io|lists):[a-z_]+\("
                     r"|^[ \t]*[0-9]{1,4}>[ \t]*f\([A-Z]\w*\)\."
                     r"|^[ \t]*[0-9]{1,4}>[ \t]+[A-Z]\w*[ \t]*=[^\n]*\.[ \t]*(?:%[^\n]*)?$",
                     re.MULTILINE)  # (and a binding of a variable in capitals, its expression ended by a period)
_COMMENT = re.compile(r"(?P<mark>[ \t]*%+[ \t]*)(?P<said>.*)")


def is_erlang_shell(text: str) -> bool:
    """Is the text an Erlang shell's session: numbered prompts and something only Erlang writes?"""
    return any(_PROMPT.match(line) for line in text.split("\n")) and _ERLANG.search(text) is not None


def erlang_shell(text: str) -> str:
    """The comment lines' text at their lines; prompts, expressions and the shell's echoes blank."""
    out = []
    for line in text.split("\n"):
        m = _COMMENT.fullmatch(line)
        if m is None or m["said"].startswith(("--", "==")):  # (a section's rule, "%% ---- second pass ----")
            out.append(_blank(line))
        else:
            out.append(m["said"].ljust(len(line)))  # (at the line's start: a "(a)" label is read as one)
    return "\n".join(out)
