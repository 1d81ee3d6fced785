"""A notebook printed or exported as text (Jupyter's "In [2]:" over each code cell — a Kotlin, Scala or Python
kernel —, "Out[2]: 0.3925" after it, the Markdown cells between them): a code cell is the program, set aside, and
so is the value shown in its Out[n] (the cell's last expression, unnamed); what the program printed and the
Markdown cells ("**Answer:** net_h2 = … = 0.3925") are read as they are. A script in percent cells (VS Code's,
Jupytext's, Spyder's "# %%" and "# %% [markdown]") is read the same way: its code cells set aside, its Markdown
cells' lines read without their "# "."""

from __future__ import annotations

import re

from .tokens import _blank

#: a code cell's label on a line of its own (its code below it, not on the same line as a console's prompt)
_CELL = re.compile(r"[ \t]*In[ \t]*\[[0-9 ]*\]:[ \t]*")
#: IPython's terminal: the input's continuation lines under "In [2]: …", "   ...: out_h = F.sigmoid(net_h)"
_IPYTHON_MORE = re.compile(r"[ \t]*\.{3,4}:")
_OUT = re.compile(r"[ \t]*Out[ \t]*\[[0-9 ]*\]:[^\n]*")
#: the gap between two values a cell printed on one line, "E_o1 = 0.274811083  E_o2 = 0.023560026": apart
_GAP = re.compile(r"(?<=[0-9])(?=[ \t]{2,}[A-Za-z][\w+/]*[ \t]*=)")


def is_cell_listing(text: str) -> bool:
    """Is the text a notebook's cells as text: an "In [n]:" line alone, code under it (or IPython's, its input
    going on in "...:" lines, or an "In [n]: …" input with an "Out[n]:" in the text)?"""
    lines = text.split("\n")
    return any((_CELL.fullmatch(line) or (_CELL.match(line) and _IPYTHON_MORE.match(lines[k + 1])))
               and k + 1 < len(lines) and lines[k + 1].strip() for k, line in enumerate(lines[:-1])) \
        or _ipython(lines)


def _ipython(lines: list[str]) -> bool:
    return any(_IPYTHON_MORE.match(line) for line in lines) \
        or (any(_CELL.match(line) for line in lines) and any(_OUT.fullmatch(line) for line in lines))


def cell_listing(text: str) -> str:
    """The text with each code cell (its label, its lines up to a blank line or its Out[n]) and each Out[n] line
    blank (and the lines its value goes on over, "Out[7]:" then "array([[0.35, …],"); the values printed side by
    side apart."""
    out, in_cell, depth, pending = [], False, 0, False
    ipython = _ipython(text.split("\n"))
    for line in text.split("\n"):
        if _CELL.fullmatch(line) or (_CELL.match(line) and ipython):
            in_cell = True
        elif not line.strip() or _OUT.fullmatch(line):
            in_cell = False
        shown = _OUT.fullmatch(line) is not None
        if shown or ((depth or pending) and line.strip()):
            body = line[line.index(":") + 1:] if shown else line
            depth = max(depth + body.count("(") + body.count("[") - body.count(")") - body.count("]"), 0)
            pending = shown and not body.strip()  # ("Out[7]:" alone: its value on the lines under it)
            out.append(_blank(line))
            continue
        depth, pending = 0, False
        out.append(_blank(line) if in_cell else _GAP.sub(";", line))
    return "\n".join(out)

#: a percent cell's marker (VS Code, Jupytext, Spyder): "# %%", "# %% [markdown]", "# %% Q2 backward"
_PERCENT = re.compile(r"[ \t]*#[ \t]*%%(?P<markdown>[ \t]*\[(?:markdown|md)\])?[^\n]*")


def is_percent_cells(text: str) -> bool:
    """Is the text a script in percent cells, a Markdown cell among them?"""
    lines = text.split("\n")
    return any((m := _PERCENT.fullmatch(line)) is not None and m["markdown"] for line in lines)


def percent_cells(text: str) -> str:
    """The Markdown cells' lines without their comment mark; the markers and the code cells (and the output pasted
    into them as comments) blank."""
    out, markdown = [], False
    for line in text.split("\n"):
        if (marker := _PERCENT.fullmatch(line)) is not None:
            markdown = marker["markdown"] is not None
            out.append(_blank(line))
        elif markdown and (m := re.match(r"[ \t]*# ?", line)) is not None:
            out.append(" " * m.end() + line[m.end():])
        else:
            out.append(_blank(line))
    return "\n".join(out)
