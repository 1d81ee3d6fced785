"""A program's documentation comments in Doxygen's markup (/** … */, ///, //!): the formulas between \\f$ … \\f$
(inline) and \\f[ … \\f] (display) are the student's math, and the comments' words their prose; the code the comments
document, the comment marks and Doxygen's own commands (@param's name, @see's reference, @file's name) claim
nothing. Read as LaTeX: $ … $ and \\[ … \\], the prose kept, every line of code blank."""

from __future__ import annotations

import re

#: a line of a comment block's body or its ends: " * text", "/** text", " */", "/// text", "//! text"
_COMMENT = re.compile(r"[ \t]*(?:/\*\*!?|/\*!|///?!?<?|\*(?!/))?[ \t]?(?P<body>.*?)[ \t]*(?:\*/)?[ \t]*")
_OPEN = re.compile(r"[ \t]*/\*[*!]")
_ONE_LINE = re.compile(r"[ \t]*//[/!]")
#: a command whose words are a name or a reference, not prose: "@param alpha", "@see delta3()", "@file mlp.hpp"
_REFERENCE = re.compile(r"[@\\](?:see|sa|file|param(?:\[[a-z, ]+\])?|tparam|class|struct|fn|var|def|ingroup|"
                        r"defgroup|addtogroup|author|date|version|copyright|since|throws?|exception|retval)\b.*")
#: a command that opens a paragraph of prose: "@brief", "@note", "@return"
_PARAGRAPH = re.compile(r"[@\\](?:brief|short|details|note|remark|remarks|warning|attention|return|returns|result|"
                        r"pre|post|par|todo|bug|deprecated|invariant)\b[ \t]*")
_FORMULA = (("\\f$", "$"), ("\\f[", "\\["), ("\\f]", "\\]"))


def is_doxygen(text: str) -> bool:
    """Does the text hold Doxygen formulas (\\f$ or \\f[) inside documentation comments?"""
    return ("\\f$" in text or "\\f[" in text) and re.search(r"/\*[*!]|//[/!]", text) is not None


def doxygen(text: str) -> str:
    """The comments' text with their formulas as LaTeX; code lines and Doxygen's references blank."""
    out = []
    in_block = False
    for line in text.split("\n"):
        opens = _OPEN.match(line) is not None
        if not (in_block or opens or _ONE_LINE.match(line)):
            out.append("")  # (the code the comment documents)
            continue
        body = _COMMENT.fullmatch(line)
        kept = body["body"] if body is not None else ""
        kept = _PARAGRAPH.sub("", _REFERENCE.sub("", kept))
        for mark, latex in _FORMULA:
            kept = kept.replace(mark, latex)
        out.append(kept)
        in_block = (in_block or opens) and "*/" not in line[2 if opens else 0:]
    return "\n".join(out)
