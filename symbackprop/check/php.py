"""A PHP script run from the command line and pasted with its output (`$z1 = $w['w5'] * $h1 + …;`, `printf(…)`,
`$ php backprop.php`, then what it printed): the code is the program's — its $ sigils are no math in dollars —, what
it printed is read as printed values, and the student's words are the "//" comment lines, "// ANSWER a: net_y1 =
… = 0.095984". Read with the code blank and those comments' text, the "//" dropped."""

from __future__ import annotations

import re

from .tokens import _blank, comment_kept

#: a line of PHP: one with a $variable or an array's "=>", a function's header, an echo or printf, a block's brace,
#: the tags, the shell's command that ran it
_CODE = re.compile(r"[ \t]*(?:<\?php|\?>|[^\n]*\$[A-Za-z_][^\n]*|[^\n]*=>[^\n]*"
                   r"|(?:function|foreach|for|if|else|while|return|echo|printf|print|fn|declare|require|use)\b[^\n]*"
                   r"|[{}()\[\];,][^\n]*|\$[ \t]+php[ \t][^\n]*)")
_MARKS = re.compile(r"<\?php|\$[A-Za-z_]\w*\[['\"]|\$[ \t]+php[ \t]|array_(?:map|sum)\(\$?")
#: a comment line, its "ANSWER g (from the script, … count($X)):" label dropped
_COMMENT = re.compile(r"[ \t]*(?://|#)[ \t]*(?:ANSWER[ \t]+[a-z0-9]{1,3}[ \t]*"
                      r"(?:\((?:[^()\n]|\([^()\n]*\))*\))?[ \t]*:)?[ \t]*(?P<said>.*)")


def is_php(text: str) -> bool:
    """Is the text (a piece of) a PHP script or its run: a mark only PHP has (not C's printf), a $variable, and a
    line of its code?"""
    return _MARKS.search(text) is not None and re.search(r"\$[A-Za-z_]\w*", text) is not None \
        and any(_CODE.fullmatch(line) for line in text.split("\n"))


def php(text: str) -> str:
    """The script's lines blank, its comments that state something as their text, what it printed as it is."""
    out = []
    for line in text.split("\n"):
        m = _COMMENT.fullmatch(line)
        if m is not None:
            out.append(comment_kept(m["said"], line))
        else:
            out.append(_blank(line) if _CODE.fullmatch(line) else line)
    return "\n".join(out)
