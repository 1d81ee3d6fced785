"""A computation graph drawn in Graphviz's DOT language (`digraph bp { x1 -> inh1 [label="w1 = 0.20"]; … }`): the
student's math is in the node and edge labels, a label's \\n its line breaks; the graph's statements, attributes,
comments and a record's fields ("x1 | 0.5", the given values laid out) claim nothing. Read as the labels' lines, one
statement after another, every other line blank."""

from __future__ import annotations

import re

_ID = r"(?:[A-Za-z_][\w]*|\"[^\"\n]*\"|-?[0-9.]+)"
#: a statement of the graph: a node or an edge with its attributes, or a graph's header, a default's attributes
_STATEMENT = re.compile(r"[ \t]*(?:(?:strict[ \t]+)?(?:di)?graph\b[^\n{]*\{|subgraph\b[^\n{]*\{|(?:node|edge|graph)"
                        r"[ \t]*\[|" + _ID + r"(?:[ \t]*(?:->|--)[ \t]*" + _ID + r")*[ \t]*\[)")
_LABEL = re.compile(r"\blabel[ \t]*=[ \t]*\"(?P<body>(?:[^\"\\\n]|\\.)*)\"")
_ESCAPES = re.compile(r"\\(?P<c>[nlr\"\\])")


def is_graphviz(text: str) -> bool:
    """Is the text DOT: a node's or an edge's statement with its label in quotation marks?"""
    return any(_STATEMENT.match(line) and _LABEL.search(line) and re.search(r"\][ \t]*;?[ \t]*$", line)
               for line in text.split("\n"))


def graphviz(text: str) -> str:
    """The labels' lines, each label a statement of its own; the graph's code and a record's fields blank."""
    out: list[str] = []
    for line in text.split("\n"):
        code = re.sub(r"[ \t]*(?://|#).*$", "", line) if "\"" not in line else line
        labels = [m["body"] for m in _LABEL.finditer(code)] if _STATEMENT.match(code) else []
        kept = [_ESCAPES.sub(lambda m: "\n" if m["c"] in "nlr" else m["c"], body) for body in labels
                if not re.search(r"(?<!\\)[|{}]", body)]
        out += [piece for body in kept for piece in (body.strip("\n"), "")] or [""]
    return "\n".join(out)
