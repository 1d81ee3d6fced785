r"""A GNU TeXmacs document handed in as its .tm source, as LaTeX for the reader: its tree of tags <tag|arg|…> and
blocks <\tag> … </tag> walked, <math|…> inline math, <\equation*> a display, an <\eqnarray*>'s table rows of
cells an aligned display; <rsub|…>/<rsup|…> scripts, <frac|a|b>, <around*|(|…|)>, <wide|x|^> accents, symbols
\<delta\>, * the invisible product. Markup (the header, <section|…>, <strong|…>) leaves its words, as prose."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_IS_TEXMACS = re.compile(r"<TeXmacs\|[0-9.]+>|<\\(?:body|equation\*?|eqnarray\*?)>|<(?:rsub|rsup|frac|around\*?)\|")
_TOKEN = re.compile(r"\\<(?P<symbol>[A-Za-z0-9#-]+)\\>|<\\(?P<block>[A-Za-z*-]+)>|</(?P<end>[A-Za-z*-]+)>"
                    r"|<\|(?P<next>[A-Za-z*-]+)>|<(?P<open>[A-Za-z*-]+)(?=[|>])|(?P<bar>\|)|(?P<close>>)"
                    r"|(?P<text>[^<>|\\]+|\\)")
#: symbols that are not LaTeX commands of the same name
_SYMBOLS = {"less": "<", "gtr": ">", "minus": "-", "um": "-", "assign": ":=", "colons": ":", "cdummy": "",
            "nobracket": "", "backslash": r"\backslash", "bbb-R": r"\mathbb{R}", "mathe": "e", "mathd": "d",
            "mathi": "i", "mathpi": r"\pi", "leqslant": r"\leq", "geqslant": r"\geq", "longleftarrow": r"\leftarrow",
            "longrightarrow": r"\rightarrow"}
_ACCENTS = {"^": r"\hat", "~": r"\tilde", "<bar>": r"\bar", "<wide-bar>": r"\bar", "\\<bar\\>": r"\bar",
            "<vect>": r"\vec", "\\<wide-bar\\>": r"\bar"}
_DISPLAYS = frozenset({"equation*", "equation", "eqnarray*", "eqnarray", "align", "align*"})
_SKIP = frozenset({"style", "TeXmacs", "initial", "collection", "associate", "references", "auxiliary", "hide-preamble",
                   "new-page", "page-break", "label", "assign", "no-indent", "hspace", "vspace", "htab", "space"})


@dataclass
class _Node:
    tag: str
    args: list[list[_Node | str]] = field(default_factory=lambda: [[]])


def is_texmacs(text: str) -> bool:
    """Is the text a TeXmacs source (its header, its body, or its inline math's tags)?"""
    return _IS_TEXMACS.search(text) is not None


def texmacs(text: str) -> str:
    """The document as LaTeX: math between dollars, displays as $$ … $$, the prose's words as they are."""
    root = _parse(text)
    return "".join(_text(part) for part in root.args[0])


def _parse(text: str) -> _Node:
    """The tree of tags: an inline tag's arguments split at its bars, a block's at its <|tag> marks."""
    root = _Node("")
    stack = [root]
    for m in _TOKEN.finditer(text):
        top = stack[-1]
        kind = m.lastgroup
        if kind == "symbol":
            top.args[-1].append(f"\\<{m['symbol']}\\>")
        elif kind in ("block", "open"):
            node = _Node(m[kind])
            top.args[-1].append(node)
            stack.append(node)
            if kind == "open":  # (its arguments start at its first bar)
                node.tag, node.args = "inline:" + node.tag, []
        elif kind == "bar" and top.tag.startswith("inline:"):
            top.args.append([])
        elif kind == "next" and not top.tag.startswith("inline:"):
            top.args.append([])
        elif kind == "close" and top.tag.startswith("inline:") and len(stack) > 1:
            stack.pop()
        elif kind == "end" and len(stack) > 1 and any(n.tag == m["end"] for n in stack):
            while stack[-1].tag != m["end"]:
                stack.pop()
            stack.pop()
        elif top.args:
            top.args[-1].append(m.group())
    return root


def _tag(node: _Node) -> str:
    return node.tag.removeprefix("inline:")


def _text(part: _Node | str) -> str:
    """A piece of the document outside math."""
    if isinstance(part, str):
        return _symbol(part) if part.startswith("\\<") else part
    tag = _tag(part)
    if tag == "math":
        return "$" + " ".join(_math_arg(a) for a in part.args) + "$"
    if tag in _DISPLAYS:
        body = " ".join(_math_arg(a) for a in part.args)
        return "\n$$" + (r"\begin{aligned}" + body + r"\end{aligned}" if "&" in body else body) + "$$\n"
    if tag in _SKIP:
        return ""
    return " ".join("".join(_text(p) for p in arg) for arg in part.args)


def _math_arg(arg: list[_Node | str]) -> str:
    return "".join(_math(p) for p in arg)


def _math(part: _Node | str) -> str:
    """A piece of math in LaTeX's words."""
    if isinstance(part, str):
        return _symbol(part) if part.startswith("\\<") else part.replace("*", " ")
    tag = _tag(part)
    args = [_math_arg(a) for a in part.args] or [""]
    if tag == "rsub":
        return "_{" + args[0] + "}"
    if tag == "rsup":
        return "^{" + args[0] + "}"
    if tag in ("frac", "tfrac", "dfrac") and len(args) == 2:
        return r"\frac{" + args[0] + "}{" + args[1] + "}"
    if tag == "sqrt":
        return r"\sqrt{" + args[0] + "}"
    if tag in ("around", "around*", "left", "right") and len(args) == 3:
        return r"\left" + _bracket(args[0]) + " " + args[1] + r" \right" + _bracket(args[2])
    if tag == "wide" and len(args) == 2:
        return _ACCENTS.get(args[1].strip(), r"\hat") + "{" + args[0] + "}"
    if tag in ("text", "op"):
        return r"\text{" + "".join(_text(p) for p in part.args[0]) + "}"
    if tag == "big":
        return "\\" + args[0] if args[0] in ("sum", "prod") else ""
    if tag == "tformat":  # (its last argument is the table, the others its format)
        return args[-1]
    if tag == "table":
        return "".join(args)
    if tag == "row":
        cells = [a.strip() for a in args]
        return (cells[0] + " &" + " ".join(cells[1:]) if cells else "") + r" \\" + "\n"
    if tag == "cell":
        return args[0]
    if tag in _SKIP:
        return ""
    return " ".join(args)


def _bracket(b: str) -> str:
    b = b.strip()
    return {"": ".", "{": r"\{", "}": r"\}", "|": "|"}.get(b, b)


def _symbol(s: str) -> str:
    name = s[2:-2]
    return _SYMBOLS.get(name, "\\" + name + " ")
