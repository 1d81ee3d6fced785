r"""A sheet typeset in plain TeX (The TeXbook's macros, not LaTeX's), as LaTeX for the reader: a display's
\eqalign{… &= …\cr …} an aligned environment, {a\over b} a fraction (TeX's \over divides its whole group), \eqno(n)
set aside, and the layout of the page — \centerline{…}, \bigskip, {\bf …}, \item{(a)}, \magnification=\magstep1,
\bye — as the prose it frames. LaTeX keeps the primitives (\over, \eqno), so they are read wherever they stand."""

from __future__ import annotations

import re

from .tokens import group_end

#: what only plain TeX writes: its display macros, its page layout, a primitive fraction
_PLAIN = re.compile(r"\\(?:eqalign(?:no)?|displaylines|cr|eqno|leqno|over|atop|bye|magnification|centerline"
                    r"|leftline|rightline)(?![A-Za-z])")
#: a display's lines: \eqalign{…} (and \eqalignno, \displaylines), its rows ended by \cr
_DISPLAY = re.compile(r"\\(?:eqalign(?:no)?|displaylines)[ \t]*(?=\{)")
#: an equation's number, to the end of its display: "\eqno(3)$$"
_NUMBER = re.compile(r"\\l?eqno[^$]*(?=\$\$)")
#: the fraction primitive (not \overline, \overbrace, \overset)
_OVER = re.compile(r"\\over(?![A-Za-z])")
#: the page's layout: skips, indentation, assignments, list items, the end of the file
_LAYOUT = re.compile(r"\\(?:magnification|parindent|parskip|hsize|vsize|baselineskip)[ \t]*=?[ \t]*"
                     r"(?:\\[A-Za-z]+|[0-9.]+[ \t]*(?:pt|in|cm|mm|truein|truecm)?)"
                     r"|\\(?:bigskip|medskip|smallskip|noindent|indent|par|bye|vfill|vskip[ \t]*[0-9.]+[ \t]*pt|eject"
                     r"|hfill|break|endgraf|nobreak|goodbreak|filbreak)(?![A-Za-z])"
                     r"|\\item(?:item)?[ \t]*\{[^{}\n]*\}")
#: a line of the page (\centerline{…}) or a font's group ({\bf …}) outside math: its content stays, as prose
_FRAME = re.compile(r"\\(?:centerline|leftline|rightline|line)[ \t]*(?=\{)|\{\\(?:bf|it|sl|rm|tt|sc)(?![A-Za-z])[ \t]*")


def is_plain_tex(text: str) -> bool:
    """Does the text use what only plain TeX (or a TeX primitive LaTeX keeps) writes?"""
    return _PLAIN.search(text) is not None


def plain_tex(text: str) -> str:
    """The text with plain TeX's macros in LaTeX's words; anything else unchanged."""
    text = _NUMBER.sub("", text)
    text = _displays(text)
    text = _fractions(text)
    text = _LAYOUT.sub("", text)
    return _frames(text)


def _displays(text: str) -> str:
    """\\eqalign{a &= b\\cr &= c\\cr} → \\begin{aligned}a &= b\\\\ &= c\\\\\\end{aligned}."""
    out, pos = [], 0
    for m in _DISPLAY.finditer(text):
        if m.start() < pos:
            continue
        end = group_end(text, m.end())
        if end is None:
            continue
        body = re.sub(r"\\cr(?![A-Za-z])", r"\\\\", text[m.end() + 1:end - 1])
        out += [text[pos:m.start()], r"\begin{aligned}", body, r"\end{aligned}"]
        pos = end
    return "".join(out) + text[pos:]


def _fractions(text: str) -> str:
    """Each {a \\over b} a \\frac{a}{b}: the numerator from the group's start, the denominator to its end (a group
    is a brace pair or, at the top, the math between dollar signs)."""
    for _ in range(200):  # (a bound: each pass removes one \over)
        m = _OVER.search(text)
        if m is None:
            return text
        start, end = _group_around(text, m.start())
        if end is None or end <= m.end():
            return text[:m.start()] + "/" + text[m.end():]  # (never closed: the plain slash it means)
        text = (text[:start] + r"\frac{" + text[start:m.start()].strip() + "}{" + text[m.end():end].strip() + "}"
                + text[end:])
    return text


def _group_around(text: str, pos: int) -> tuple[int, int | None]:
    """The start and end of the innermost group that holds pos: after its { (or $) and before its } (or $)."""
    depth, k = 0, pos - 1
    while k >= 0:
        c = text[k]
        escaped = k > 0 and text[k - 1] == "\\"
        if c == "}" and not escaped:
            depth += 1
        elif c == "{" and not escaped:
            if depth == 0:
                close = group_end(text, k)
                return k + 1, None if close is None else close - 1
            depth -= 1
        elif c == "$" and not escaped and depth == 0:
            close = text.find("$", pos)
            return k + 1, None if close < 0 else close
        k -= 1
    return 0, None


def _frames(text: str) -> str:
    """\\centerline{x} and {\\bf x}: x, the frame's braces removed (found by counting)."""
    out, pos = [], 0
    for m in _FRAME.finditer(text):
        if m.start() < pos:
            continue
        opening = m.end() if text.startswith("{", m.end()) else m.start()
        end = group_end(text, opening)
        if end is None:
            continue
        out += [text[pos:m.start()], text[m.end() + (opening == m.end()):end - 1]]
        pos = end
    return "".join(out) + text[pos:]
