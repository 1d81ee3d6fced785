"""A presentation exported as an outline and pasted as text (PowerPoint's File → Export → Outline): "Slide 3 –
Forward pass" headers, bullets at two levels ("•", then "–" indented), "[Picture: …]" placeholders and the speaker's
"Notes: …" under a slide. The bullets' statements are the answer: each bullet's mark goes, a bullet without a
relation (a talk's "• Seminar "Neural Networks", group 3") claims nothing, and the headers, placeholders and notes
(what the speaker says aloud, not what the slide claims) are set aside."""

from __future__ import annotations

import re

_SLIDE = re.compile(r"[ \t]*(?:Slide|Folie|Diapositive|Diapositiva|Dia)[ \t]+[0-9]{1,3}\b[^\n]*")
_PLACEHOLDER = re.compile(r"[ \t]*\[(?:Picture|Image|Chart|Table|Video|Bild|Grafik)(?::[^\]\n]*)?\][ \t]*")
_NOTES = re.compile(r"[ \t]*(?:Notes|Speaker notes|Notizen|Notes du présentateur)[ \t]*:[^\n]*")
_BULLET = re.compile(r"(?P<lead>[ \t]*)(?P<mark>[•▪◦‣]|[–—-](?=[ \t]+=))[ \t]+(?P<body>[^\n]*)")
_RELATION = re.compile(r"[=≈]")


def is_outline(text: str) -> bool:
    """Has the text a slide's header ("Slide 4 – …") and a bullet or a speaker's notes?"""
    if not re.search(r"(?m)^[ \t]*(?:Slide|Folie|Diapositive|Diapositiva|Dia)[ \t]", text):
        return False
    lines = text.split("\n")
    return any(_SLIDE.fullmatch(line) for line in lines) and any(
        _BULLET.fullmatch(line) or _NOTES.fullmatch(line) for line in lines)


def outline(text: str) -> str:
    """The bullets' statements, their marks blanked; everything else of the outline blank (line by line)."""
    out = []
    for line in text.split("\n"):
        bullet = _BULLET.fullmatch(line)
        if _SLIDE.fullmatch(line) or _PLACEHOLDER.fullmatch(line) or _NOTES.fullmatch(line):
            out.append("")
        elif bullet is not None:
            body = bullet["body"]
            out.append(" " * len(bullet["lead"]) + "  " + body if _RELATION.search(body) else "")
        else:
            out.append(line)
    return "\n".join(out)
