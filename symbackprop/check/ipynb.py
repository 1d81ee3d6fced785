"""A Jupyter notebook's raw JSON (.ipynb) pasted into a sheet, as the notebook it shows in Markdown (as Kaggle
exports it): a markdown cell's lines as written, a code cell a fenced Python block, what it printed a plain block
under it (a result, the value of the cell's last line, as `line = value`). nbformat writes a cell's keys in order,
its outputs before its source: a code cell is given when its source ends. Each line of a cell's list is a JSON
string, decoded by the json module (nothing is evaluated); a sheet may be a fragment of the notebook, cut between
cells."""

from __future__ import annotations

import re

from .tokens import json_text

_CELL_TYPE = re.compile(r'[ \t]*"cell_type":[ \t]*"(?P<type>markdown|code|raw)",?[ \t]*')
_KEYS = r'"(?P<key>source|text|text/plain|text/latex|text/markdown)":[ \t]*'
_STRING_LITERAL = r'"(?:[^"\\]|\\.)*"'
#: a list of lines (a cell's source, a stream's text, a result's plain text or LaTeX), or one string
_LIST = re.compile(r"[ \t]*" + _KEYS + r"\[[ \t]*")
_ONE = re.compile(r"[ \t]*" + _KEYS + r"(?P<string>" + _STRING_LITERAL + r"),?[ \t]*")
_STRING = re.compile(r"[ \t]*(?P<string>" + _STRING_LITERAL + r"),?[ \t]*")
_END = re.compile(r"[ \t]*\],?[ \t]*")
#: a code line whose value is not what the cell shows: an assignment, a print, an import, a definition
_NOT_SHOWN = re.compile(r"[A-Za-z_][A-Za-z0-9_, ]*=(?!=)|print\(|import\b|from\b|def\b")
_RESULT = "\0"  # (where a result's line gets the words of the cell's last line)


def is_ipynb(text: str) -> bool:
    """Is the text a notebook's JSON, or a fragment of it (a cell's type and its source)?"""
    return _CELL_TYPE.search(text) is not None and re.search(r'"source":[ \t]*[\["]', text) is not None


def ipynb(text: str) -> str:
    """The notebook's cells as Markdown, one after the other; a line of JSON that is not a cell's content is left
    out."""
    out: list[str] = []
    kind = "markdown"
    outputs: list[str] = []  # what the current code cell printed, given with its source
    key: str | None = None
    items: list[str] = []

    def give(key: str, body: str) -> None:
        nonlocal outputs
        lines = body.split("\n")
        if key == "source" and kind == "code":
            out.extend(["```python", *lines, "```"])
            if outputs:
                last = lines[-1].split("#")[0].strip()
                said = last + " = " if last and not _NOT_SHOWN.match(last) else ""
                out.extend(["```", *[line.replace(_RESULT, said) for line in outputs], "```"])
            outputs = []
        elif key == "source":
            out.extend(lines)
        elif key == "text/plain":
            outputs.extend([_RESULT + lines[0], *lines[1:]])
        elif key == "text":
            outputs.extend(lines)
        # (a result's LaTeX or Markdown repeats its plain text: left out)

    for line in text.split("\n"):
        if key is not None:
            if (m := _STRING.fullmatch(line)) is not None:
                items.append(json_text(m["string"], m["string"][1:-1]))
                continue
            ended = _END.fullmatch(line) is not None
            if ended:
                give(key, "".join(items).rstrip("\n"))
            key, items = None, []  # (the list's end, or not a list of strings after all)
            if ended:
                continue
        if (m := _CELL_TYPE.fullmatch(line)) is not None:
            kind, outputs = m["type"], []
            out.append("")
        elif (m := _LIST.fullmatch(line)) is not None:
            key, items = m["key"], []
        elif (m := _ONE.fullmatch(line)) is not None:
            give(m["key"], json_text(m["string"], m["string"][1:-1]).rstrip("\n"))
    if key is not None and items:
        give(key, "".join(items).rstrip("\n"))
    if outputs:  # (a cell cut before its source)
        out.extend(["```", *[line.replace(_RESULT, "") for line in outputs], "```"])
    return "\n".join(out).strip("\n")

