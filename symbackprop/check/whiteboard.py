"""A whiteboard's text export (Miro, FigJam, Mural): "[Frame: 2 Error]" headers, "[Sticky · yellow]" notes, each
signed by its writer ("—MK"), "[Connector] A → B" lines that say which note feeds which. A note is read without its
tag and signature; a frame's header and a connector are the board's layout (blank), and a note another member
signed is another's words (blank): the sheet's writer is the one who signed most of its notes. Excalidraw's copy as
text lists its elements in lower case, "[ellipse] x₁ = 0.5", "[text] (red) …" (a colour the student corrects in),
"[arrow h₁ → o₂] w₆ = −0.50" (an arrow's label is its text); its "[frame]" titles and "[freedraw]" strokes are
layout."""

from __future__ import annotations

import re
from collections import Counter

from .tokens import _blank

_ITEM = re.compile(r"(?P<tag>[ \t]*\[(?:(?:Sticky|Note|Card|Text|Shape)(?:[ \t]*[·•:-][ \t]*[\w ]{1,20})?"
                   r"|text|ellipse|rectangle|diamond|(?:arrow|line)[ \t][^\]\n]{1,20})\][ \t]*"
                   r"(?:\((?:red|green|blue|orange|violet)\)[ \t]*)?)"
                   r"(?P<body>[^\n]*?)(?P<sign>[ \t]*[—–][ \t]?[A-Z][A-Za-z]{0,3}[ \t]*)?")
_LAYOUT = re.compile(r"[ \t]*\[(?:Frame|Connector|Arrow|Line|frame|freedraw|image)(?::[^\]\n]*)?\][^\n]*")


def is_whiteboard(text: str) -> bool:
    """Is the text a whiteboard's export: a sticky note's tag, or a frame's or a connector's line?"""
    return any(_LAYOUT.fullmatch(line) or ((m := _ITEM.fullmatch(line)) is not None and m["tag"].strip())
               for line in text.split("\n"))


def whiteboard(text: str) -> str:
    """The writer's notes without their tags and signatures (see the module's docstring)."""
    lines = text.split("\n")
    items = [_ITEM.fullmatch(line) for line in lines]
    signs = Counter(m["sign"].strip() for m in items if m is not None and m["sign"])
    writer = signs.most_common(1)[0][0] if signs else None
    out = []
    for line, m in zip(lines, items, strict=True):
        if _LAYOUT.fullmatch(line) or (m is not None and m["sign"] and m["sign"].strip() != writer):
            out.append(_blank(line))
        elif m is not None:
            out.append(_blank(m["tag"]) + m["body"] + _blank(m["sign"] or ""))
        else:
            out.append(line)
    return "\n".join(out)
