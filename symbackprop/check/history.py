"""A calculator's history typed or transcribed as plain text (HP Prime's Home view, a TI's or Casio's screen): each
entry at the left, its result at the right margin ("1/(1+e^(−Ans))▶A      0.593269992107"), notes between them.
Each entry is read as its equation with the result: a store (▶, →) names it (A = 1/(1+e^(−0.3775)) = 0.5932…),
Ans is the result before it. Notes ("// …") are blanks; the student's answer lines are read as they are."""

from __future__ import annotations

import re

from .sessions import _STORE, NUMBER
from .tokens import _blank

#: an entry and its result, far apart; the result in the calculator's format (9.95425470522E−3)
_ENTRY = re.compile(r"(?:[■▪][ \t]*)?(?P<entry>[^\s/$\\■▪](?:[^\n$\\]*?\S)?)[ \t]{4,}"
                    r"(?P<result>[-−]?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:E[-−+]?[0-9]+)?)"
                    r"[ \t]*")
_NOTE = re.compile(r"[ \t]*//[^\n]*"
                   r"|[ \t]*(?:[■▪][ \t]*)?Define\b[^\n]*?[ \t]{2,}Done[ \t]*")  # (a TI's Define, answered Done)
#: a variable of the calculator (A–Z): its own name, not a quantity's (its R is no risk, its E no error)
_REGISTER = re.compile(r"(?<![A-Za-z])[A-Z](?![A-Za-z(])")
#: an answer line under the history, "ANS: δ_h2 = 0.00995425470522": its statement in math, as the entries are
#: (a remark in brackets after it, "(1st: 0.298371108760)", left out)
_SAID = re.compile(r"(?P<label>[ \t]*(?:[A-Za-z]{2,12}[ \t]*(?:\([a-z0-9]{1,3}\))?[ \t]*:[ \t]*)?)"
                   r"(?P<math>[^\n$]*=[^\n$]*?)[ \t]*(?:[ \t]{2}\([^)\n=]*\)[ \t]*)?")
_ANS = re.compile(r"(?<![A-Za-z])Ans(?![A-Za-z])")


def _entry(line: str) -> re.Match[str] | None:
    """An entry with its result: arithmetic, a store, or a name recalled (not a sentence)."""
    m = _ENTRY.fullmatch(line)
    if m is None or not re.search(r"[-+*/^▶→−()]|^[A-Za-z][A-Za-z0-9]*$", m["entry"].strip()):
        return None
    return m


def _register(letter: str) -> str:
    return rf"\text{{sto{letter}}}"


def is_calculator_history(text: str) -> bool:
    """Does the text hold a calculator's history: two entries or more with their results at the margin, or one
    that stores its result or stands far from it; no TeX?"""
    entries = [m for line in text.split("\n") if (m := _entry(line)) is not None]
    return "\\" not in text and "$" not in text \
        and (len(entries) >= 2 or any("▶" in m["entry"] or m.start("result") - m.end("entry") >= 12 for m in entries))


def calculator_history_text(text: str) -> str:
    """The history's entries as equations (see the module's docstring), the notes blank, the rest as it is."""
    out = []
    previous: str | None = None
    for line in text.split("\n"):
        m = _entry(line)
        if m is None:
            said = _SAID.fullmatch(line)
            out.append(_blank(line) if _NOTE.fullmatch(line) else f"{said['label']}${said['math']}$" if said else line)
            continue
        result = m["result"].replace("−", "-").replace("E", "e")
        entry = m["entry"].replace("−", "-").replace("▶", "→")
        if previous is not None:
            entry = _ANS.sub(f"({previous})", entry)
        stored = _STORE.fullmatch(entry)
        expr = stored["expr"] if stored else entry
        previous = result
        if stored and re.fullmatch(NUMBER, expr.strip()):
            out.append(_blank(line))  # (0.05→I: a given number stored)
            continue
        sides = ([_register(stored["name"])] if stored else []) + [_REGISTER.sub(lambda r: _register(r[0]), expr),
                                                                     result]
        out.append("$" + " = ".join(sides) + "$")
    return "\n".join(out)
