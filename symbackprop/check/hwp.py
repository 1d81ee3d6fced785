"""Hancom Office Hangul's (HWP) equation script, as a report handed in as text shows it: StarMath's words in the
editor's spelling ("{1} over {2}", "TIMES", "LEFT ( … RIGHT )", "partial", Greek letters as bare words, "prime"),
subscripts with a space before them ("w _{5}", "E _{total}"), and "eqalign{ a & = b # & = c }" for aligned lines
("#" the line break). Rewritten in Unicode's signs and letters, "{a} over {b}" kept for StarMath's reader
(linear._starmath) to make a fraction; the report's "※" correction mark a blank (its note, "수정:", is the
student's), as are a heading's "[문제 5]" and a conclusion in words after "therefore"."""

from __future__ import annotations

import re

from .tokens import _blank

#: the editor's own marks: eqalign, upper-case TIMES/LEFT/RIGHT, or a subscript after a space ("w _{5}")
_HWP = re.compile(r"(?<![\w\\])(?:eqalign[ \t]*\{|TIMES(?!\w)|LEFT[ \t]*[(\[]|RIGHT[ \t]*[)\]])|\w[ \t]+_\{")
_EQALIGN = re.compile(r"(?<![\w\\])eqalign[ \t]*\{")
_WORDS = {"TIMES": "×", "times": "×", "CDOT": "·", "cdot": "·", "partial": "∂", "therefore": "∴", "because": "∵",
          "approx": "≈", "APPROX": "≈", "sum": "∑", "SUM": "∑"}
_GREEK = dict(zip(("alpha", "beta", "gamma", "delta", "epsilon", "eta", "theta", "lambda", "mu", "sigma", "tau",
                   "phi", "omega", "Delta", "Sigma"), "αβγδεηθλμστφωΔΣ", strict=True))
#: a heading's bracket, "[문제 5]"; a conclusion in words after "therefore", "therefore 오차 감소 (0.2983 -> 0.29)"
_ASIDE = re.compile(r"(?m)^[ \t]*\[[가-힣]+[ \t]*[0-9]+[a-z]?\]|(?<![\w\\])therefore[ \t]+(?=[가-힣])[^\n=]*$")
_WORD = re.compile(r"(?<![\w\\])([A-Za-z]+)(?!\w)")


def is_hwp(text: str) -> bool:
    """Is the text HWP's equation script: two of its marks, or an eqalign?"""
    return "\\" not in text and (_EQALIGN.search(text) is not None or len(_HWP.findall(text)) >= 2)


def hwp(text: str) -> str:
    """The script in StarMath's spelling (see the module's docstring)."""
    text = _aligned(text).replace("※", " ")
    text = _ASIDE.sub(lambda m: _blank(m.group()), text)
    text = re.sub(r"(?<=[\w}])[ \t]+(?=[_^]\{)", "", text)
    text = re.sub(r"[ \t]*(?<![\w\\])prime(?!\w)", "′", text)
    text = re.sub(r"(?<![\w\\])(?:LEFT|RIGHT|left|right)[ \t]*(?=[()\[\]|])", "", text)
    return _WORD.sub(lambda m: _WORDS.get(m.group(1), _GREEK.get(m.group(1), m.group(1))), text)


def _aligned(text: str) -> str:
    """Every eqalign{ … } as its lines: "#" a newline, "&" gone, the braces dropped."""
    while (m := _EQALIGN.search(text)) is not None:
        depth, k = 1, m.end()
        while k < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[k], 0)
            k += 1
        body = text[m.end():k - 1 if depth == 0 else k]
        text = text[:m.start()] + body.replace("#", "\n").replace("&", "") + text[k:]
    return text
