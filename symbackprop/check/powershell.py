"""A Windows PowerShell console pasted into a sheet: "PS C:\\…> " prompts, $variables, [math]:: calls, a bare
variable's value on the next line in the culture's format (de-DE's decimal comma, 0,191), "{0:N6}" -f $x, a string
that interpolates "$h1", and the red error records of a failed input. Read as any console session (sessions.py):
its inputs rewritten in a console's plain syntax (a variable without its $, round(x, 4), x**2), each printed value
paired with what its input shows; the error records, which print no value, set aside."""

from __future__ import annotations

import re

from .sessions import console_session

_PROMPT = re.compile(r"[ \t]*PS [A-Za-z]:\\[^>\n]*>[ \t]?(?P<input>[^\n]*)")
_VARIABLE = re.compile(r"\$(?P<name>[A-Za-z_][A-Za-z0-9_]*)")
#: a value as the culture prints it: -0,68765 (a decimal comma), 0.85
_VALUE = re.compile(r"[ \t]*-?[0-9]+(?:[,.][0-9]+)?(?:[eE][-+]?[0-9]+)?[ \t]*")
#: an interpolating string shown alone: "h1 = $h1, h2 = $h2"
_STRING = re.compile(r'[ \t]*"(?P<body>[^"\n]*)"[ \t]*')
#: a number of a printed line (after an interpolated string: "h1 = 0.85, h2 = 0.48")
_NUMBER = re.compile(r"(?<![\w.,])-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?(?![\w.])")
_FORMAT = re.compile(r'"\{0(?::[A-Za-z][0-9]*)?\}"[ \t]*-f[ \t]*(?P<shown>\$[A-Za-z_][A-Za-z0-9_]*)')
_ROUND = re.compile(r"\[math\]::Round\(")
_POW = re.compile(r"\[math\]::Pow\((?P<base>[^(),]*(?:\([^()]*\)[^(),]*)*),[ \t]*(?P<exp>[0-9]+)\)")


def is_powershell(text: str) -> bool:
    """Is the text a PowerShell console's: a statement of its own after the prompt, "PS C:\\…> $h1 = …" (not a
    program run from it, "PS C:\\hw3> dotnet run")?"""
    return "PS " in text and any((m := _PROMPT.fullmatch(line)) is not None
                                 and ("$" in m["input"] or "[math]::" in m["input"]) for line in text.split("\n"))


def powershell(text: str) -> str:
    """The session's statements, each on the line where it stood (see the module's docstring)."""
    lines = text.split("\n")
    session = []
    output = False  # (after an input: the lines it printed)
    for line in lines:
        prompt = _PROMPT.fullmatch(line)
        if prompt is not None:
            session.append(">>> " + _plain(prompt["input"]))
            output = True
        elif output and _VALUE.fullmatch(line):
            session.append(line.replace(",", "."))
        else:
            session.append("")  # (an error record, prose, a blank)
    for k, line in enumerate(session):  # "h1 = $h1, h2 = $h2" printed as "h1 = 0.85, h2 = 0.48": two values shown
        string = _STRING.fullmatch(line[4:]) if line.startswith(">>> ") else None
        shown = _VARIABLE.findall(string["body"]) if string is not None else []
        if shown and k + 1 < len(lines) and len(values := _NUMBER.findall(lines[k + 1])) == len(shown):
            session[k], session[k + 1] = ">>> " + ", ".join(shown), ", ".join(values)
    return console_session("\n".join(session), session, fit=False) or ""


def _plain(code: str) -> str:
    """An input in a console's plain syntax: "{0:N6}" -f $x is x, [math]::Round(…) round(…), [math]::Pow(a, 2)
    (a)**2, $x x (a string keeps its $: its values are read from what it printed)."""
    if _STRING.fullmatch(code):
        return code
    code = _FORMAT.sub(lambda m: m["shown"], code)
    code = _POW.sub(lambda m: f"({m['base']})**{m['exp']}", _ROUND.sub("round(", code))
    return _VARIABLE.sub(lambda m: m["name"], code)
