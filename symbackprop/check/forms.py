"""One response to an online quiz form printed from its responses tab (Google Forms' "Individual"): the form's header
and description, "* Indicates required question", "Email *" and the address, "Section 2 of 4 – …" headers, each
question's title ending in its "*" and its hint, the answer typed under it, the footer. The answers are the
student's; the rest is the lecturer's or the form's and claims nothing of the student's. A title that asks for a
value, "Q5. dE/dW2_2 = ? *", is the left side of the answer under it: "dE/dW2_2 = (y - d) * Phi(h'_2)"."""

from __future__ import annotations

import re

_REQUIRED = re.compile(r"[ \t]*\*[ \t]*Indicates required question[ \t]*")
_TITLE = re.compile(r"[ \t]*Q?[0-9]{1,3}[.)][ \t]+(?P<title>[^\n]*?)[ \t]+\*[ \t]*")
_ASKED = re.compile(r"(?P<lhs>[^\n]*?=)[ \t]*\?(?:[ \t]*\([^()\n]*\))?[ \t]*")
_REMARK = re.compile(r"[ \t]*\((?=[^()\n]*[A-Za-z]{3,}[ \t][A-Za-z])[^()\n]*\)")
_FRAME = re.compile(r"[ \t]*(?:Email[ \t]*\*|Section[ \t]+[0-9]+[ \t]+of[ \t]+[0-9]+\b[^\n]*|Hint:[^\n]*"
                    r"|This content is neither created nor endorsed by Google\.?[^\n]*|Google Forms)[ \t]*",
                    re.IGNORECASE)


def is_form_response(text: str) -> bool:
    """Is the text (a piece of) a form's response: its required-question note, or questions titled "Q3. … *"?"""
    if "*" not in text:
        return False
    lines = text.split("\n")
    return any(_REQUIRED.fullmatch(line) for line in lines) or any(
        _TITLE.fullmatch(line) and line.lstrip().startswith("Q") for line in lines)


def form_response(text: str) -> str:
    """The answers, each a line of its own (the asked left side before it); every other line blank."""
    lines = text.split("\n")
    start = next((k + 1 for k, line in enumerate(lines) if _REQUIRED.fullmatch(line)), 0)
    out = [""] * start
    lhs: str | None = None
    email = False
    for line in lines[start:]:
        title = _TITLE.fullmatch(line)
        if title is not None:
            asked = _ASKED.fullmatch(title["title"])
            lhs = _REMARK.sub("", asked["lhs"]) if asked is not None else None
            out.append("")
        elif _FRAME.fullmatch(line):
            email = line.strip().lower().startswith("email")
            out.append("")
        elif email and line.strip():
            email = False
            out.append("")  # (the address under "Email *")
        elif line.strip():
            out.append(f"{lhs} {line.strip()}" if lhs else line)
            lhs = None
        else:
            out.append(line)
    return "\n".join(out)
