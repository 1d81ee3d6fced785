r"""Pass A of the derivation reader: the answer's text → raw tokens, one linear scan with positions kept.

`_prose_blanked` first turns the prose of a Markdown cell into blanks, so that each piece of math is a line of its
own. `_lex` then classifies every command, character, number and letter run (`_RAW`, `_CMD_TYPES`,
`_CHAR_TYPES`), sets aside what is only layout (spacing, `\tag`, `\underbrace`'s note, a Beamer frame), reads
numbers (`_lex_number`: `8.77e-3` is one) and bars (`_lex_bar`), and raises a ParseError at unknown input. Its
context is small — the open environments (`&` and `\\` in a matrix), a pending `\left` or `\big`, the token just
before —: names, scripts, lines and chains are the later passes' business.
"""

from __future__ import annotations

import re
import unicodedata

from .catalogue import Phrase
from .linear import linear_math
from .sessions import (
    commented_claims,
    console_blocks,
    console_session,
    echo_blocks,
    is_r_console,
    jupyter_printed,
    knitr_printed,
    listed,
    printed_output,
    program_listing,
)
from .tokens import MAX_EXPONENT, MAX_NUMBER_DIGITS, WRITTEN_NUMBER, Refused, _blank, _show, _Source, _Tok, group_end
from .vocabulary import (
    _GREEK_CHARS,
    ACCENTS,
    BEAMER_HIGHLIGHTS,
    BEAMER_OVERLAYS,
    CONNECTORS,
    CYRILLIC_GREEK,
    FUNCTION_NAMES,
    GREEK,
    INDEXED_WORDS,
    MATRIX_ENVS,
    NEW_WORDS,
    OLD_WORDS,
    PROSE_WORD,
    SCRIPT_LETTER,
    TAG_WORDS,
    TEXT_ENVS,
    THEOREM_ENVS,
    WORDS,
    alternation,
    answer_label,
    answer_word,
    decimal_comma,
)

_CMD_TYPES: dict[str, tuple[str, str]] = {
    "Vert": ("NORM", ""), "lVert": ("NORM", "left"), "rVert": ("NORM", "right"),
    **{c: ("FRAC", c) for c in ("frac", "dfrac", "tfrac", "cfrac")},
    "sqrt": ("SQRT", "sqrt"),
    "sum": ("SUM", "sum"),
    "partial": ("PARTIAL", "partial"),
    **{c: ("MUL", c) for c in ("times", "cdot", "ast")},
    **{c: ("MUL", "odot") for c in ("odot", "circ")},  # a Hadamard (element-wise) product
    **{c: ("TOP", c) for c in ("top", "intercal")},  # only as a superscript: W^\top
    "div": ("DIV", "div"),
    **{c: ("REL", "approx") for c in ("approx", "simeq", "doteq", "thickapprox", "approxeq",
                                 "fallingdotseq", "risingdotseq", "doteqdot")},  # (≒: Japan's ≈)
    **{c: ("REL", "=") for c in ("coloneqq", "coloneq", "triangleq", "equiv", "eqqcolon", "defeq", "eqdef")},
    **{c: ("REL", "assign") for c in ("leftarrow", "gets", "longleftarrow")},
    "prime": ("PRIME", "'"),
    **{c: ("SOFTSEP", c) for c in ("quad", "qquad")},
    **{c: ("HARDSEP", c) for c in ("Rightarrow", "Longrightarrow", "implies", "therefore", "because", "iff",
                                   "to", "rightarrow", "longrightarrow", "mapsto", "longmapsto", "Leftarrow",
                                   "Longleftarrow", "Leftrightarrow", "Longleftrightarrow", "leadsto")},
    **{c: ("FUNCCMD", FUNCTION_NAMES[c]) for c in ("exp", "ln", "log", "tanh", "max")},
    "lbrace": ("LCURLY", ""), "rbrace": ("RCURLY", ""), "lbrack": ("LBRACK", ""), "rbrack": ("RBRACK", ""),
    **{c: ("NAME", c) for c in GREEK},
    "ell": ("NAME", "l"),
    **{c: ("ACCENT", a) for c, a in ACCENTS.items()},
    **{c: ("WRAP", c) for c in ("mathbf", "boldsymbol", "bm", "mathop", "mathcal", "mathscr", "pmb", "mathnormal",
                                "boxed", "num", *BEAMER_HIGHLIGHTS)},  # (siunitx's \num{6.1605e-2}: its number)
    "in": ("IN", "in"),
    **{c: ("BAR", c) for c in ("vert", "lvert", "rvert", "mid")},
}
_IGNORED_CMDS = frozenset({
    "displaystyle", "textstyle", "scriptstyle", "limits", "nolimits", "nonumber", "notag", "thinspace",
    "IEEEnonumber", "IEEEyesnumber", "IEEEeqnarraynumspace",  # (IEEEtran's numbering marks)
    "medspace", "thickspace", "enspace", "negthinspace", "negmedspace", "negthickspace", "mathstrut", "strut",
    "rm", "it", "bf", "sf", "tt", "cal", "mit",
})
_SIZED = frozenset(
    p + s for p in ("big", "Big", "bigg", "Bigg") for s in ("", "l", "r", "m")
)
_HEADINGS = tuple("\\" + h for h in ("part", "chapter", "section", "subsection", "subsubsection", "paragraph",
                                         "subparagraph", "title", "author", "date", "caption"))
_TEXT_COMMANDS = ("text", "mbox", "mathrm", "mathit", "operatorname", "textrm", "textit", "textnormal", "textsf",
                  "mathsf", "texttt", "mathtt", "textbf", "emph", "textsl", "textup", "textsc")
_BARE_ARGUMENT = re.compile(r"[ \t]*([A-Za-z0-9])")
_CMD_HINTS = {  # (Phrases: English and Chinese)
    "pm": Phrase("± cannot be checked: write the two cases separately", "无法检查 ±：请分别写出两种情况"),
    "mp": Phrase("∓ cannot be checked: write the two cases separately", "无法检查 ∓：请分别写出两种情况"),
    **{c: Phrase("an ellipsis cannot be checked: write every term", "无法检查省略号：请写出每一项")
       for c in ("cdots", "ldots", "dots", "vdots", "ddots", "dotsb", "dotsc", "dotsm")},
    **{c: Phrase(rf"\{c}{{...}} must contain plain text (no braces, $, %, #, & or line breaks)",
                 rf"\{c}{{...}} 中只能是纯文本（不能有花括号、$、%、#、& 或换行）")
       for c in (*_TEXT_COMMANDS, "intertext")},
    **{c: Phrase(rf"the accent \{c} is not supported (only \hat, \bar, \tilde, \vec)",
                 rf"不支持重音符号 \{c}（只支持 \hat、\bar、\tilde、\vec）")
       for c in ("dot", "ddot", "check", "breve", "acute", "grave", "underline", "overrightarrow", "mathring")},
    "nabla": Phrase(r"\nabla can only be the gradient of one name with respect to one name, \nabla_{W} J: otherwise "
                    "write each partial derivative",
                    r"\nabla 只能表示一个名称对另一个名称的梯度，如 \nabla_{W} J；其他情况请写出每个偏导数"),
    **{c: Phrase(rf"\{c} cannot be checked: write each entry", rf"无法检查 \{c}：请写出每个元素")
       for c in ("otimes", "oplus", "bullet")},
    "prod": Phrase(r"\prod cannot be checked: write the factors", r"无法检查 \prod：请写出各个因子"),
    **{c: Phrase(rf"\{c} cannot be checked", rf"无法检查 \{c}")
       for c in ("int", "iint", "oint", "lim", "infty", "forall", "exists")},
    **{c: Phrase(rf"\{c}: inequalities cannot be checked", rf"\{c}：无法检查不等式")
       for c in ("le", "leq", "ge", "geq", "lt", "gt", "neq", "ne", "leqslant", "geqslant", "ll", "gg")},
    **{c: Phrase(rf"\{c}: sets cannot be checked", rf"\{c}：无法检查集合")
       for c in ("notin", "subset", "subseteq", "mathbb", "cup", "cap")},
    **{c: Phrase(rf"\{c}: vectors ⟨..⟩ cannot be checked: write each entry",
                 rf"\{c}：无法检查向量 ⟨..⟩：请写出每个元素")
       for c in ("langle", "rangle")},
    "over": Phrase(r"\over cannot be read: write \frac{..}{..}", r"无法读取 \over：请写成 \frac{..}{..}"),
    **{c: Phrase(rf"\{c} is only supported as \{c}{{..}}{{=}} (a definition)",
                 rf"\{c} 只支持 \{c}{{..}}{{=}} 的写法（表示定义）") for c in ("stackrel", "overset")},
    **{c: Phrase(rf"\{c} must be followed by a dimension such as 2pt or 3mu", rf"\{c} 后面必须跟长度，如 2pt 或 3mu")
       for c in ("hskip", "mkern", "kern", "mskip")},
    **{c: Phrase(rf"\{c}{{...}} must contain plain text", rf"\{c}{{...}} 中只能是纯文本")
       for c in ("hspace", "vspace", "phantom", "hphantom", "vphantom")},
    **{c: Phrase(rf"\{c}{{..}} cites an equation that no earlier row labelled with a number: write the number",
                 rf"\{c}{{..}} 引用的公式此前没有以数值结尾并加 \label：请直接写出数值")
       for c in ("eqref", "ref", "cref", "Cref", "autoref")},
    "propto": Phrase(r"\propto cannot be checked: write the equation", r"无法检查 \propto：请写出等式"),
    "sim": Phrase(r"\sim cannot be checked (a range or a distribution): write each case",
                  r"无法检查 \sim（范围或分布）：请写出每种情况"),
    "square": Phrase(r"\square (a placeholder) cannot be checked", r"无法检查 \square（占位符）"),
    "Box": Phrase(r"\Box (a placeholder) cannot be checked", r"无法检查 \Box（占位符）"),
}
_CHAR_TYPES: dict[str, tuple[str, str]] = {
    "‖": ("NORM", ""),
    "+": ("PLUS", "+"), "-": ("MINUS", "-"), "−": ("MINUS", "-"), "*": ("MUL", "*"), "×": ("MUL", "times"),
    "·": ("MUL", "cdot"), "⋅": ("MUL", "cdot"), "∗": ("MUL", "*"), "∙": ("MUL", "cdot"), "/": ("DIV", "/"),
    "÷": ("DIV", "div"), "⊙": ("MUL", "odot"), "∘": ("MUL", "odot"),
    "=": ("REL", "="), "≈": ("REL", "approx"), "≒": ("REL", "approx"), "≃": ("REL", "approx"), "≡": ("REL", "="),
    "≜": ("REL", "="),
    "≔": ("REL", "="), "←": ("REL", "assign"), "⟵": ("REL", "assign"),
    **{c: ("HARDSEP", c) for c in "→⟶↦⇒⟹∴∵⇔—"},  # (an em dash between a post's clauses)
    "–": ("MINUS", "-"),  # (an en dash typed for a minus)
    "(": ("LPAR", ""), ")": ("RPAR", ""), "[": ("LBRACK", ""), "]": ("RBRACK", ""),
    "{": ("LBRACE", ""), "}": ("RBRACE", ""), "^": ("CARET", ""), "_": ("USCORE", ""), "'": ("PRIME", "'"),
    "′": ("PRIME", "'"), ",": ("COMMA", ","), ".": ("DOT", "."), ";": ("HARDSEP", ";"), ":": ("HARDSEP", ":"),
    "∂": ("PARTIAL", "partial"),
    "∑": ("SUM", "sum"), "|": ("BAR", "|"), "∣": ("BAR", "|"), "∈": ("IN", "in"),
    "。": ("DOT", "."), "、": ("COMMA", ","), "ℓ": ("NAME", "l"),
    "։": ("DOT", "."), "՝": ("HARDSEP", ":"), "՜": ("HARDSEP", "!"), "՞": ("HARDSEP", "?"),  # (Armenian's)
    **{c: ("NAME", n) for c, n in _GREEK_CHARS.items()},
}
_SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉₊₋ₐₑₒₓₕₖₗₘₙₚₛₜ₍₎ᵢⱼᵣᵤᵥ"
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻ⁿ⁽⁾"
_VULGAR = {"ŷ": r"\hat{y}", "Ŷ": r"\hat{Y}",  # (and a precomposed ŷ)
           "½": r"\tfrac{1}{2}", "¼": r"\tfrac{1}{4}", "¾": r"\tfrac{3}{4}", "⅓": r"\tfrac{1}{3}", "⅔": r"\tfrac{2}{3}"}
#: (after `_letters`, a subscript run goes on that index: out_h₁; a decimal point in a superscript is a raised dot:
#: e⁻¹·¹⁰⁵⁹ for e^{-1.1059})
_PLAIN_SCRIPT = re.compile(f"(?P<index>_[A-Za-z]+)?(?P<sub>[{_SUBSCRIPTS}]+)|[{_SUPERSCRIPTS}]+(?:·[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?"
                           f"|(?P<hat>[ŷŶ])(?P<digits>[0-9]{{1,2}})(?![0-9.])|[{''.join(_VULGAR)}]"
                           # (a forum's δo1 and Etotal: δ_{o1}, E_{total}, the index typed glued on)
                           r"|(?<![^\W\d_])(?P<glued>δ(?=[a-z]{1,2}[0-9]{1,2}(?![\w.]))|E(?=total(?!\w)))"
                           r"(?P<gluedindex>[a-z]{1,2}[0-9]{1,2}|total)"
                           # (teratail's "b3 の更新後 = …": "after its update" written after the name, b3^{new})
                           r"|(?<=[A-Za-z0-9'])[ \t]*の?(?P<newword>更新後|更新后)(?=[ \t]*[=＝])")
_ASCII_SCRIPT = str.maketrans(_SUBSCRIPTS + _SUPERSCRIPTS + "·",
                              "0123456789+-aeoxhklmnpst()ijruv" + "0123456789+-n()" + ".")


#: a sample's number in brackets glued to a quantity's name, "L(1) + L(2)", "∂L(2)/∂z3 · h2(2)" (a sheet that
#: numbers two samples or more so: L^{(1)}); not a function's value, f(1), g(2), e(1), nor a word's, tanh(1), nor in
#: a script's braces (δ^{h(2)}_1: LaTeX's own sample mark)
_SAMPLE_PAREN = re.compile(r"(?:(?<=(?<![A-Za-z\\_{^])[A-DH-Za-dh-z])|(?<=(?<![A-Za-z\\_{^])[A-Za-z][0-9]))"
                           r"\((?P<k>[1-9])\)")
#: a sample named in brackets glued to a quantity's name, "L(ex1)", "δ3(ex2)*a2(ex2)", "E(sample 2)": L^{(1)}
_SAMPLE_NAMED = re.compile(r"(?<=[A-Za-z0-9])\((?:ex\.?|sample|example)[ \t]*(?P<k>[1-9])\)")
#: the mark of a program's comment line that gives the student's answer ("# Ans (o): w5 after round 2 ~ 0.2",
#: "-- Answer: …", MATLAB's "% ANSWER h2 = …"): the line is the answer, its mark dropped (a "//" comment's claim is
#: read with the program's listing, its fences or its console: sessions.commented_claims)
_ANSWER_COMMENT = re.compile(r"(?m)^(?P<mark>[ \t]*(?:--|#+|;+|%+)[ \t]*(?:(?:→|-+>|=+>)[ \t]*)?)"
                             r"(?P<label>" + answer_label(bare=True) + ")"
                             r"(?P<said>[^\n=≈~]*[=≈~][^\n0-9]*[0-9][^\n]*)$")  # (linear: the first sign, then a digit)
#: a shell's prompt and the command that ran the program, "$ gawk -f bp.awk", "$ php backprop.php" (no math in
#: dollars)
_SHELL_COMMAND = re.compile(r"(?m)^[ \t]*\$[ \t]+(?:(?:g?awk|python[0-9.]*|php|node|deno|ruby|perl|nim|zig|cargo|go"
                            r"|dotnet|dart|java|javac|gcc|g\+\+|clang|make|ghdl|Rscript|julia|octave|sage|gp|gforth|tclsh|swift"
                            r"|kotlinc?|lua|bash|sh|cat|echo|ls|pip|gretlcli|runghc|ghc|raku|perl6|ocaml|utop|sbcl)\b"
                            r"|[\w./-]+\.(?:py|awk|php|js|ts|rb|pl|sh|nim|zig|go|c|cpp|R|jl|m|tcl|fs|lua|exe|out))[^\n$]*$")
#: a line of the script shown above its run's output: a comment (not an answer's, read before), a block's word or
#: brace, a print, an array's entry w[2] — not a statement ended by ";", which a program's listing reads as code —;
#: and "..." for output left out
_RUN_CODE = re.compile(r"(?m)^(?![^\n]*;[ \t]*$)(?:[ \t]*(?:#|//|BEGIN\b|END\b|function\b|printf?\b|return\b|[{}])"
                       r"[^\n]*|[^\n]*\b[A-Za-z_]\w*\[[^\]\n]+\][^\n]*|[ \t]*(?:\.{3}|…)[ \t]*)$")
#: a Markdown footnote's mark and its text, "[^1]: $\frac{d}{dx}\tanh x = 1 - \tanh^2 x$": an aside, set aside
_FOOTNOTE = re.compile(r"(?m)^[ \t]*\[\^[\w-]{1,20}\]:[^\n]*$|\[\^[\w-]{1,20}\]")
#: Markdown's struck-out text, "= ~~0.22 + 0.64 = 0.86~~ 0.22 + 0.63 = 0.85": retracted
_STRUCK = re.compile(r"~~[^~\n]+~~")
#: Markdown's highlight marks (Typora, Obsidian), "==$\dfrac{∂E}{∂w_6} = A\,B$==": the marks blank, the text read
_HIGHLIGHT = re.compile(r"(?:(?<=\s)|^)==(?=[^\s=])((?:[^\n=]|=(?!=))*?[^\s=])==(?=\s|$)", re.MULTILINE)
#: a remark after an arrow at a line's end, "…^2   <- forgot o2 before", "<- w7, w8 not w5, w6": words, no formula
_ARROW_REMARK = re.compile(r"(?m)(?<![ \t])[ \t]{2,}(?:<-{1,2}|←|⟵)[ \t]+(?![^\n]*[=*+^])"
                           r"(?=[^\n]*\b(?!(?:eta|exp|tanh|sigmoid|sigma|alpha|log|max|out|net)\b)[a-z]{3,}\b)[^\n]*$")
#: a number's digits cut short, "1/(1 + 0.685573...)": the number as written (its last digits unsaid)
_CUT_SHORT = re.compile(r"(?<=[0-9])(?:\.{3}|…)(?=[ \t]*[)\]},;\n+*/=×·−-]|[ \t]*$)")
#: a line's side computations in brackets after a wide gap, "= w1 x i1 + w2 x i2 + b1      (0.15 x 0.05 = 0.0075,
#: 0.20 x 0.10 = 0.02)": statements of their own (the bracket a separator)
_SIDE_SUMS = re.compile(r"(?m)(?<=\S)(?P<gap>[ \t]{3,})\((?P<sums>[^()\n]*[0-9][ \t]*=[ \t]*[-−]?[0-9][^()\n]*)\)"
                        r"(?P<end>[ \t]*)$")
#: a note of the precision written, "$… = 0.3508$ (4 s.f.)", "(6 d.p.)", "(to 4 decimal places)": no claim
_PRECISION_NOTE = re.compile(r"\((?:to[ \t]+)?[0-9]{1,2}[ \t]*(?:s\.[ \t]?f\.|d\.[ \t]?p\.|sf|dp|sig\.?[ \t]*figs?\.?"
                             r"|significant[ \t]+(?:figures|digits)|decimal[ \t]+places|decimals)\)")
#: a cases environment of equations, one per row and no "&" condition: a system of statements, read as split's rows
_CASES = re.compile(r"\\begin\{cases\}(?P<body>(?:(?!\\end\{cases\}).)*)\\end\{cases\}", re.DOTALL)


def _equations_cases(m: re.Match[str]) -> str:
    rows = [r for r in re.split(r"\\\\(?:\[[^\]\n]*\])?", m["body"]) if r.strip()]
    if "&" in m["body"] or not rows or not all("=" in r for r in rows):
        return m.group()
    return m.group().replace("{cases}", "{split}")


#: a line of a .tex file that is a comment only ("% ---- from my preamble ----"): not the sheet's content
_COMMENT_LINE = re.compile(r"(?m)^[ \t]*%(?![0-9]+[ \t]*=)[^\n]*$")  # (not PARI/GP's output label, "%1 = 0.85")


#: a Markdown heading that states nothing (no relation; not R's printed "## [1] 0.5636"), and the line after it
_MD_HEADING = re.compile(r"(?m)^(?P<hashes>[ \t]*#{1,6}[ \t]+)(?![\[(])(?P<title>[^\n=≈<>$]*[^\W\d_][^\n=≈<>$]*)$"
                         r"(?=(?P<next>(?:\n[ \t]*)*[-*]?[ \t]*=)?)")

#: Markdown's thematic break, a line of three dashes, stars or underscores or more: it separates, it is no minus
#: (and ekşi sözlük's rule with its label, "--- `spoiler:` ---", around a part hidden until clicked)
_MD_RULE = re.compile(r"(?m)^[ \t]*(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}"
                      r"|---[ \t]*`[^`\n]{1,20}`[ \t]*---[ \t]*)$")
#: an e-mail's signature: its "-- " line and the few lines after it, to the end ("-- \nAiko")
_SIGNATURE = re.compile(r"(?m)^--[ \t]?\n(?:[^\n]*(?:\n|\Z)){0,6}\Z")
#: the marks of a Markdown heading that states something, "### δ_O = ∂E/∂net_O" (not a program's "# h = …" comment)
_MD_STATEMENT = re.compile(r"(?m)^[ \t]*#{2,6}[ \t]+(?![\[(])(?=[^\n]*[=≈])")


def _heading(m: re.Match[str]) -> str:
    """A heading is a title, blank; one that names a quantity whose value the next line gives ("### ∂E/∂out_O",
    then a mind map's child "- = out_O − target") is that line's left side."""
    return _blank(m["hashes"]) + m["title"] if m["next"] else _blank(m.group())


def _answer_comment(m: re.Match[str]) -> str:
    """A comment's answer as a line of its own, at the line's start (where its label is read as one)."""
    label = m["label"] if m["label"].endswith(":") else m["label"] + ":"  # ("% ANSWER h2 = …": its colon said)
    return label + m["said"] + " " * (len(m["mark"]) + len(m["label"]) - len(label))


def _taken_out(pattern: re.Pattern[str], repl: str, text: str) -> str:
    """The text with the pattern's matches replaced, each changed line padded at its end to its length: no gap inside
    the line (where a blank of the same length would leave one that a calculator's right margin is)."""
    return "\n".join(line if (kept := pattern.sub(repl, line)) == line else kept + " " * (len(line) - len(kept))
                     for line in text.split("\n"))


#: a Greek letter's name in Cyrillic where math stands beside it: an operator or a relation before it, or one (or a
#: subscript) after it, on its line ("дельта = …", "= дельта * h2"; not "дельта выхода", a word of the sentence)
_CYRILLIC_GREEK = re.compile(r"(?<!\w)" + alternation(CYRILLIC_GREEK) + r"(?!\w)")


def _greek_named(m: re.Match[str]) -> str:
    """The Cyrillic name as the reader's Greek one where math stands beside it (the positions after it kept)."""
    before = m.string[max(0, m.start() - 3):m.start()].rstrip(" \t")[-1:]
    after = m.string[m.end():m.end() + 3].lstrip(" \t")[:1]
    if not (before and before in "-=*×·+−/(") and not (after and after in "-=*×·+−/_^)"):
        return m.group()
    latin = CYRILLIC_GREEK[m.group()]
    return latin.rjust(len(m.group())) if len(latin) <= len(m.group()) else latin


#: a log record's head, a timestamp, its level and its logger ("2024-04-09 21:41:10,378 INFO     bp.loss: "): the
#: program's, not the student's (what it logged after it is read)
_LOG_HEAD = re.compile(r"(?m)^[ \t]*[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}(?:[,.][0-9]{1,6})?"
                       r"(?:[ \t]+(?:DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|TRACE))?(?:[ \t]+[\w.\[\]-]+:)?[ \t]")
#: a post's reactions under it, a mark and a count ("♥ 2", "👍 3")
_EMOTICON = re.compile(r"(?<![^ \t\n])[;:]-?\)+(?![^ \t\n,.])")
_CLOSING = re.compile(r"[ \t]*\)")
_CARET_ONE = re.compile(r"(?<![A-Za-z0-9_])(y)\^1(?![0-9.])")  # (only y: a^1, z^1 are Ng's layer 1 in plain text)
_CARET_HAT = re.compile(r"(?<![A-Za-z0-9_])([a-z])\^[ \t]*=[ \t]*(?:softmax|σ|sigma|\(|[a-z])", re.M)
_NOTE_MATH = re.compile(r"(?<!\$)\$\$\{[^\n]*?\}\$\$")
_VOTES = re.compile(r"(?m)^[ \t]*[-+−]?[0-9]{1,5}[ \t]+(?:głos(?:y|ów)?|votes?|голос(?:а|ов)?|Stimmen?|voti?|votos?"
                    r"|points?|票)[ \t]*$")
_MARKS = "♥❤♡★☆⭐▲👍👏🔥💬😂🙏💯"
_REACTION = re.compile(f"(?<![{_MARKS}\uFE0F])(?:[{_MARKS}]\uFE0F?)+[ \t]*[0-9]+(?![0-9.,])")  # ("👍❤️ 23": one count)
#: Python's power between two operands ("(0.2557 - 1)**2"; Markdown's bold "**0.26**" has no operand outside)
_PYTHON_POWER = re.compile(r"(?<=[\w)])\*\*(?=[\w(.])")
#: a function before its argument without brackets in plain text: "-log 0.35081895", "ln P_k", "ln P_k(ex1)" (its
#: sample already read as ^{(1)})
_BARE_CALL = re.compile(r"(?<![\w\\.])(?P<f>log|ln|exp|tanh)[ \t]+(?P<x>[-−]?[0-9]+(?:\.[0-9]+)?"
                        r"|[A-Za-z]+(?:[0-9]+|_\{?[A-Za-z0-9]{1,4}\}?)(?:\^\{\([0-9]\)\})?)(?![\w.(^_{])")


def _note_math(text: str) -> str:
    """note.com's formula syntax, $${…}$$ inline and on a line of its own: its braces group the whole formula, as
    $$…$$ does (the braces blanked, positions kept)."""
    chars = list(text)
    for m in _NOTE_MATH.finditer(text):  # (the nearest "}$$" on the line, if the braces it closes are the first's)
        if group_end(m.group(), 2) == len(m.group()) - 2:
            chars[m.start() + 2] = chars[m.end() - 3] = " "
    return "".join(chars)


#: a value's change said in words after its name: "即 $L$ 从 1.0828 降到 0.9338", "$E$ dropped from 0.2984 to
#: 0.2910" — the name's new value (the old one, a step before, is a remark)
_FROM_TO = re.compile(r"\$(?P<name>[^$\n]{1,40})\$[ \t]*(?:(?:drops|dropped|decreases|decreased|falls|fell|goes|went"
                      r"|changes|changed|moves|moved|declines|declined|is[ \t]+reduced|was[ \t]+reduced)"
                      r"(?:[ \t]+(?:down|up))?[ \t]+)?(?:从|由|from)[ \t]*[-−]?[0-9]*\.?[0-9]+[ \t]*"
                      r"(?:降到|降至|下降到|下降至|减小到|减少到|减到|变为|变成|变到|更新为|到"
                      r"|(?:down[ \t]+|up[ \t]+)?to)"
                      r"[ \t]*(?P<new>[-−]?[0-9]*\.?[0-9]+)(?![0-9])(?!\.[0-9])")


def plain_math(text: str) -> str:
    """Math typed in Unicode without LaTeX (a blog's w₅, out_h₁, (t − o)², e⁻¹·¹, ½) as LaTeX: w_{5}, out_{h1},
    (t − o)^{2}, e^{-1.1}, \tfrac{1}{2}; an office suite's linear format too (linear.py). A .tex file's
    comment lines are blanked. The reader then reads it as any LaTeX; positions are this text's."""
    if "$${" in text:
        text = _note_math(text)
    text = linear_math(text)
    if "$" in text and ("from" in text or "从" in text or "由" in text):
        text = _FROM_TO.sub(lambda m: f"${m['name']} = {m['new']}$", text)
    if _CYRILLIC_GREEK.search(text):
        text = _CYRILLIC_GREEK.sub(_greek_named, text)
    if not listed(_SHELL_COMMAND.sub("", text)):  # (a program's listing reads its comments and its run itself)
        # (a run: its command, the script's code above its output; a printout alone, or under a comment, is a
        # listing's to read)
        run = _SHELL_COMMAND.search(text) is not None and any(
            m.group().lstrip()[:1] not in ("#", "/") for m in _RUN_CODE.finditer(_SHELL_COMMAND.sub("", text)))
        if run:
            text = _SHELL_COMMAND.sub(lambda m: _blank(m.group()), text)
        if "```" not in text and "$" not in text:  # (fenced code and a console read their comments' claims too)
            text = _ANSWER_COMMENT.sub(_answer_comment, text)
            if "\\" not in text:  # (a display in a verbatim block is its console's: sessions.printed_output)
                text = echo_blocks(text)
        if run:
            text = _RUN_CODE.sub(lambda m: _blank(m.group()), text)
    text = _COMMENT_LINE.sub(lambda m: _blank(m.group()), _FOOTNOTE.sub(lambda m: _blank(m.group()), text))
    if "#" in text:
        text = _MD_STATEMENT.sub(lambda m: _blank(m.group()), _MD_HEADING.sub(_heading, text))
    if "---" in text or "***" in text or "___" in text:
        text = _MD_RULE.sub(lambda m: _blank(m.group()), text)
    if "--" in text:
        text = _SIGNATURE.sub(lambda m: _blank(m.group()), text)
    if "~~" in text or "==" in text:  # (struck text out, highlight marks off)
        text = _taken_out(_HIGHLIGHT, r"\1", _taken_out(_STRUCK, "", text))
    text = _PRECISION_NOTE.sub(lambda m: _blank(m.group()), text).replace("ᵀ", "^{T}")  # (Unicode's transpose)
    if "{cases}" in text:
        text = _CASES.sub(_equations_cases, text)
    if "$" not in text and "\\" not in text:  # (plain text's asides; LaTeX writes its own)
        text = _CUT_SHORT.sub(lambda m: _blank(m.group()), _ARROW_REMARK.sub(lambda m: _blank(m.group()), text))
        text = _SIDE_SUMS.sub(lambda m: m["gap"] + ";" + m["sums"] + " " + m["end"], text)
    if is_r_console(text):  # (an R transcript's entries as statements, in full: positions are this text's)
        text = console_blocks(text)
    if "//" in text and ("```" in text or re.fullmatch(r"(?:[ \t]*(?://[^\n]*)?\n)*[ \t]*(?://[^\n]*)?", text)):
        text = commented_claims(text)  # (under fenced code, or a sheet of comment lines only: "/// Answer: …")
    if "**" in text and "\\" not in text:  # (Python's power in plain text: "0.5*(0.2557 - 1)**2"; not Markdown's bold)
        text = _PYTHON_POWER.sub(lambda m: "^".ljust(len(m.group())), text)
    if "?" in text:  # (SpeedCrunch's "? leersnelheid vergeten", "? ===== stap 2 =====": its comments)
        text = _QUESTION_COMMENT.sub(lambda m: _blank(m.group()), text)
    if ";)" in text or ":)" in text or ":-)" in text or ";-)" in text:  # (a forum's "Znowu ta dwójka ;)": a smile)
        text = _EMOTICON.sub(lambda m: _blank(m.group()), text)
    if _VOTES.search(text):  # (a forum answer's "+1 głos", "3 votes": its score)
        text = _VOTES.sub(lambda m: _blank(m.group()), text)
    if _REACTION.search(text):  # (a post's "♥ 2", "👍 3": its likes)
        text = _REACTION.sub(lambda m: _blank(m.group()), text)
    if _LOG_HEAD.search(text):
        text = _LOG_HEAD.sub(lambda m: _blank(m.group()), text)
    if "^" in text and "\\" not in text and (hat := _CARET_HAT.search(text) or _CARET_ONE.search(text)) is not None:
        # (a comment box's "y^ = softmax(a)": y^ is ŷ, and y^1, y^2 its entries — not powers; so where "y^1" is
        # written: no one writes a power 1)
        text = re.sub(rf"(?<![A-Za-z0-9_]){hat[1]}\^(?:(?=[ \t]*(?:[=,)]|$))|(?P<k>[1-9])(?![0-9.]))",
                      lambda m: f"\\hat{{{hat[1]}}}" + (f"_{{{m['k']}}}" if m["k"] else ""), text)
    if "(ex" in text or "(sample" in text or "(example" in text:
        text = _SAMPLE_NAMED.sub(r"^{(\g<k>)}", text)
    if "hp_" in text:  # (a plain-text form's h'_j typed as hp_j, "p" for the prime)
        text = re.sub(r"(?<![A-Za-z0-9_\\])hp_(?=\{?[0-9])", "h'_", text)
    if "(1)" in text and "(2)" in text and len({m["k"] for m in _SAMPLE_PAREN.finditer(text)}) >= 2:
        text = _SAMPLE_PAREN.sub(r"^{(\g<k>)}", text)
    if "\\" not in text and _BARE_CALL.search(text):  # (plain text's "-log 0.35081895": log(0.35081895))
        text = _BARE_CALL.sub(r"\g<f>(\g<x>)", text)
    return _PLAIN_SCRIPT.sub(_unplain, text) if _PLAIN_SCRIPT.search(text) else text


def _unplain(m: re.Match[str]) -> str:
    run = m.group()
    if m["newword"]:
        return "^{\\text{" + m["newword"] + "}}"
    if m["glued"]:
        return m["glued"] + "_{" + m["gluedindex"] + "}"
    if m["hat"]:  # (ŷ1: ŷ with its index glued on, ŷ_1)
        return _VULGAR[m["hat"]] + "_{" + m["digits"] + "}"
    if run in _VULGAR:
        return _VULGAR[run]
    if m["sub"]:
        return "_{" + (m["index"] or "_")[1:] + m["sub"].translate(_ASCII_SCRIPT) + "}"
    return "^{" + run.translate(_ASCII_SCRIPT) + "}"


_CHAR_HINTS = {  # (Phrases: English and Chinese)
    "%": Phrase("comments (%) are not allowed", "不允许注释（%）"),
    "#": Phrase("'#' is not allowed", "不允许使用“#”"),
    "\\": Phrase("a lone backslash", "单独的反斜杠"),
    **{c: Phrase(f"'{c}': inequalities cannot be checked", f"“{c}”：无法检查不等式") for c in "<>≤≥≠≦≧"},
    "!": Phrase("'!' (a factorial) cannot be checked", "无法检查“!”（阶乘）"),
    "√": Phrase("'√': write \\sqrt{...}", "“√”：请写成 \\sqrt{...}"),
    "…": Phrase("an ellipsis cannot be checked: write every term", "无法检查省略号：请写出每一项"),
    "∇": Phrase("'∇' (a gradient vector) cannot be checked: write each partial derivative",
                "无法检查“∇”（梯度向量）：请写出每个偏导数"),
    "±": Phrase("± cannot be checked: write the two cases separately", "无法检查 ±：请分别写出两种情况"),
}


_EMOJI = "[\U0001F300-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]"
_DIMEN = r"[ \t]*-?[0-9]*\.?[0-9]+[ \t]*(?:pt|em|ex|mm|cm|in|mu|bp|sp|pc|dd)"
#: a line of plain words (a chatbot's "Since the weights are numbered …, so"; after a \\textbf{…} title too):
#: three words or more, then a colon or a "so" (joten, donc, …) at the line's end — a sentence, set aside like
#: \\intertext
_LATIN = "A-Za-zÀ-ÖØ-öø-ÿĀ-ɏḀ-ỿ"  # (Latin letters with their accents: Icelandic spá, raungildi, Spanish está)
#: SpeedCrunch's comment line: "?" and words (no relation but a rule of "="s)
_QUESTION_COMMENT = re.compile(r"(?m)^\?[ \t]+(?=(?:[^\n=]|={3,})*?[" + _LATIN + r"]{3,}[ \t]+[" + _LATIN
                               + r"]{3,})(?:[^\n=]|={3,})*$")
#: a Latin letter with an accent, never part of a name (ŷ is \\hat{y}): a word with one is prose (Vietnamese "lớp ra:")
_ACCENTED = "À-ÖØ-öø-ÿĀ-ŵŸ-ɏḀ-ỿ"
_SENTENCE_LINE = r"(?:!!?|¡|¿)?[ \t]*[" + _LATIN + "]{2,}(?:,?[ \t]+[" + _LATIN + r"']+){2,}[^\n]*" \
    r"(?::|[ \t](?:so|hence|thus|then|therefore|gives|" \
    r"joten|siis|donc|alors|also|daher|dus|zatem|quindi|dunque|entonces|portanto|deci|tehát|derfor))"
#: a line that is an aside in brackets, opened by a word and with two words in a row before any "=" ("(Correction
#: from a reader: it is out_h₂ for w₈, …)", a grader's '(TA: "minus! we go down the gradient")'): a remark, set aside
_ASIDE_LINE = r"\((?:[A-Za-z][a-z]{2,}|[A-Z]{2,4}(?=:)):?[ \t][^\n=]*?[A-Za-z]{2,}[ \t]+[A-Za-z]{2,}[^\n]*\)\.?"
#: a line of prose with no relation in it: four words in a row (a thread's "🧵 Backprop by hand on the classic
#: 2-2-2 example (inputs 0.05, 0.10, …), let's go 👇"): it claims nothing
_PROSE_LINE = r"(?![^\n]*(?:[=≈≅≃→←]|\\(?:approx|simeq|leftarrow|gets|to|rightarrow|mapsto)\b))" \
    r"[^\n]*?[" + _LATIN + "]{3,}(?:,?[ \t]+[" + _LATIN + r"']{2,}){3,}[^\n]*" \
    r"|¿?(?![^\n]*(?:[=≈≅≃→←]|\\[A-Za-z]))[^\n]*?[" + _LATIN + r"]{3,}[^\n]*\?[ \t]*(?=\n|$)" \
    r"|(?![^\n]*=)[^\n]*?[\w.*+-]+@[\w-]+(?:\.[\w-]+)+[^\n]*|lOMoARcPSD\|[0-9]+[ \t]*(?=\n|$)" \
    r"|(?![^\n]*(?:[=≈≅≃→←]|\\[A-Za-z]))(?![ \t]*[-+*/×·−(])(?=(?:[^\n]*?(?<![\w\\])[" + _LATIN + r"]{4,}){3})[^\n]*" \
    r"|[ \t]*//(?=[^\n]*?(?<![\w\\])[" + _LATIN + r"]{4,})[^\n]*" \
    r"|(?![^\n]*(?:[=≈≅≃←+*/]|\\[A-Za-z]))(?![ \t]*[-+*/×·−(])(?:(?![^\n]*(?<![^\W\d_])[A-Za-z](?![^\W\d_']))" \
    r"|(?=[^\n]*?[" + _ACCENTED + r"][^\n]*?[ \t][^\n]*?[" + _ACCENTED + r"]))" \
    r"[^\n]*?(?<![\\_^{])[" + _ACCENTED + r"][^\n]*" \
    r"|(?![^\n]*(?:[=≈≅≃←]|\\[A-Za-z]))(?![ \t]*[-+*/×·−(])" \
    r"(?=[^\n]*?(?<![\w\\])(?=[" + _LATIN + r"]{4})[" + _LATIN + r"]*[" + _ACCENTED + r"])[^\n]*"
#: (or a line with no relation and a word of four letters or more with an accent, "To co policzyłeś to dError/dw3.":
#: what it says of a name it does not claim with a sign)
#: (or a line with no relation and three words of prose, a title: "TP 4 — Rétropropagation avec Φ quelconque"; a
#: line commented out with "//" and words in it, "// il manquait ∂h_2/∂h'_2 = Φ'(h'_2)", a program's comment;
#: or a question, "y la salida de h2?": it asks, it claims nothing; a line with an e-mail address, a download's
#: footer "Scaricato da Marco F. (m*****@gmail.com)"; Studocu's watermark at a page's top, "lOMoARcPSD|31478210")
#: a line in a script of prose with no relation and no LaTeX in it (w_6^{\\text{更新后}} is a name), not an
#: operator's continuation and not the head of a chain
#: the next line goes on (LIHKG's "之後每條 weight 就係 δ(去嗰粒) × Out(嚟嗰粒):"): it claims nothing (but one that
#: says a value in words at its end, "所以 w_4 的更新量为 −0.0075640", is read)
_SCRIPT_LINE = r"(?![^\n]*(?:[=≈≅≃→←]|\\[A-Za-z]))" \
    r"(?![ \t]*[-+*/×·−])" \
    r"(?![^\n]*(?:为|為|是|は|는|은|равно|is)[ \t}]*(?:\$[ \t]*)?[-−]?[0-9][0-9.]*[ \t}$.。]*(?:\n|$))" \
    r"[^\n]*?" + SCRIPT_LETTER + "{2}[^\n]*(?=\n(?![ \t]*[=≈])|$)"
#: a word of prose written in Latin letters (with their accents: está, perché, così), not a name the notation gives
#: a meaning; a short one only if it is a joining word ("y dE/dw3 = …", "ok entonces δ_O = …")
_SHORT_WORDS = sorted({w for w in CONNECTORS if len(w) <= 2} | {
    "y", "e", "o", "u", "el", "la", "le", "lo", "il", "de", "da", "di", "en", "un", "ok", "si", "sí", "ya", "no", "ne",
    "là", "ja", "et", "ao", "se", "me", "te", "mi", "tu", "ah", "eh", "oh", "it"}, key=len, reverse=True)
_WORD_END = f"(?![{_LATIN}'0-9_])"
_NOT_A_NAME = "(?!" + alternation(WORDS | GREEK | set(FUNCTION_NAMES) | {"sigma", "sig", "grad", "lr"}) \
    + f"{_WORD_END})"
#: joining words only ("… we get" at a line's end): the sentence goes on to the next line's math
_CONNECTOR_RUN = alternation(CONNECTORS) + _WORD_END
_LATIN_WORD = f"(?:{_NOT_A_NAME}[{_LATIN}']{{3,}}{_WORD_END}|(?:{'|'.join(_SHORT_WORDS)}){_WORD_END})"
#: the name a statement gives, just after a sentence's words: "δ_O =", "dE/dw4 =", "w6+ =", "out_h2 ="
_STATED_NAME = r"(?:d[A-Za-z]{1,8}/d[A-Za-z][A-Za-z0-9_]{0,10}|∂[^\s=]{1,12}/∂[^\s=]{1,12}" \
    r"|[^\W\d_][A-Za-z0-9]{0,8}(?:_\{?[A-Za-z0-9]{1,6}\}?)?[+'′]{0,2})[ \t]*(?::=|=(?!=)|←|<-)"
#: a chat message's header, a line of its own: the sender and the time ("小林 21:03", "u/quiet — Today at 9:41 PM")
#: (Slack's export: "*dana*  [9:14 PM]", the name in bold, the time in brackets)
_CHAT_HEADER = r"\*?[^\W\d_][^\n:=]{0,40}?\*?[ \t]+\[?[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?:[ \t]*[AaPp][Mm])?\]?"
#: a forum comment's header (Hacker News: "kvark 5 hours ago | parent | next [–]"): the user, the age, the links
#: (YouTube's "@neuron_nerd_92 · 3 weeks ago (edited)", Trello's "Anna K. · 3 hours ago"), and a comment's footer
#: ("👍 214   Reply")
_COMMENT_HEADER = r"@?[\w.-]{2,30}(?:[ \t]+[A-Z]\.)?[ \t]+(?:·[ \t]+)?[0-9]{1,3}[ \t]+" \
    r"(?:second|minute|hour|day|week|month|year)s?" \
    r"[ \t]+ago(?:[ \t]*\|[ \t]*[a-z]+)*(?:[ \t]*\[[–-]\])?(?:[ \t]*\(edited\))?" \
    r"|(?:\U0001F44D[ \t]*)?[0-9]{0,6}[ \t]*(?:Reply|Read more|Show less)(?:[ \t]+[0-9]+[ \t]+repl(?:y|ies))?" \
    r"|(?:\U0001F4AC[ \t]*)?[A-Z][\w.'-]{0,20}(?:[ \t]+[A-Z][\w.'-]{0,20}){0,3}[ \t]+·[ \t]+[0-9]{1,3}[ \t]*" \
    r"(?:[smhdw]|min|mo|yr)" \
    r"|[♥❤♡][\uFE0F]?[ \t]*[0-9]{1,4}|[A-Z][A-Z \t]{2,30}[ \t]*▸"
#: (and a Padlet post's author and age, "Priya S. · 3d", "💬 Ms. Okafor · 1d"; its hearts, "♥ 3"; a column's
#: title, "FORWARD ▸")
#: an equation's number on a line of its own ("(10.29):", a textbook's equation the line applies)
_EQUATION_NUMBER = r"\([0-9]{1,3}(?:\.[0-9]{1,3}){1,2}\):?"
#: a chat export's date between its messages, "--------------- 2024년 5월 14일 화요일 ---------------"
_DATE_RULE = r"-{5,}[ \t]+[^\n]{0,40}?[0-9]{4}[^\n]{0,40}?[ \t]+-{5,}"
#: a bullet's item names what it gives: no operator before its first = (a line "- η · 0.0822 = …" goes on the
#: line before it, a minus)
_NO_OPERATOR = r"(?![^\n=]*(?:[ \t][+\-*/][ \t]|\\cdot|\\times|\\div))"
#: a name and its value, in a list of them ("ŷ_2 = 0.3704")
_VALUE_PAIR = r"[ \t]*(?:\\hat\{[A-Za-z]\}|[A-Za-z]+)(?:_\{?[A-Za-z0-9]{1,4}\}?)?[ \t]*=[ \t]*[-−]?[0-9]*\.?[0-9]+"
_RAW = re.compile(r"""
 (?P<nl>\n)
|(?P<quote>(?<![^\n])[ \t]*>(?!>)(?![ \t]*\[!)[^\n$]*(?=\n|$)
    |(?<![^\n])[ \t]*Quote[ \t]*:[ \t]*Original(?:ly)?[ \t]+Posted[ \t]+by[^\n]*(?:\n[ \t]*\S[^\n]*)*
    |(?<![^\n])[ \t]*\#[0-9]{1,4}(?:[ \t]+[^\s=]+(?:[ \t]+\([A-Za-z]{1,4}\))?)?[ \t]*(?=\n|$)
    |(?<![^\n])[ \t]*@[^\s@=]+[ \t]+\+[0-9]{1,4}(?:[ \t]+via[ \t]+[^\n]*)?[ \t]*(?=\n|$)
    |(?<![^\n])[ \t]*(?:Board|List|Labels|Members|Due|Checklist|Description|Activity|Attachments)(?:[ \t]*:[^\n=]*)?
    (?=\n|$)
    |(?<![^\n])[ \t]*[0-3]?[0-9]\.[01]?[0-9]\.(?:19|20)[0-9]{2}[ \t]+[0-2]?[0-9]:[0-5][0-9](?![0-9])[^\n=]*(?=\n|$))
    # (a forum's "> net_o1 = w5*out_h1 + …": the comment answered, quoted: not the writer's claim; a vBulletin
    # forum's "Quote:Original Posted by …" and the quoted post's lines under it, to a blank line; a post's number
    # and poster, KASKUS's "#13 kucing.oren (TS)"; a Wykop entry's author and votes, "@janusz +31 via Wykop.pl"; an
    # ekşi sözlük entry's date, time and author under it, "14.11.2021 13:02 ~ 13:05 (edit) sabah sporcusu"; a Trello
    # card's fields, "Members: AK JT RS", "Due: Mar 14 at 11:59 PM", "Checklist: Round 2 (everyone)")
|(?P<quoted>["“](?=[^"“”\n]*[A-Za-z]{3,}[ \t,]+[A-Za-z]{2,})[^"“”\n]*["”])
    # (a title or a phrase in quotation marks, two words in a row in it: 'Slide 2/10: "forward pass 💫"')
|(?P<inplace>(?<![^\n])[ \t]*[A-Za-z_][\w.\[\], ]*?[ \t]*(?:-=|\+=|\*=|/=)[^\n]*)
    # (a program's "w5 -= lr * delta_o1 * out_h1": code, not a claim)
|(?P<saidnew>(?:(?<=[A-Za-z_][0-9])|(?<=_[0-9][0-9])|(?<=_\{[0-9]\})|(?<=_\{[0-9][0-9]\}))
    (?:[ \t]+(?:new|nuevo|nueva|nouveau|nouvelle|novo|nova|nuovo|neu)(?=[ \t]*(?:=(?!=)|:=|←))
    |[ \t]?\((?:new|New|NEW|nouveau|nouvelle|neu|nuevo|nueva|novo|nova|nuovo)\)))
    # (a said "w5 new = …", as a video's subtitles write the updated weight; an exam script's "w5(new) = …", a French
    # sheet's "W2_1(nouveau) = …", a Yacas comment's "W^2_3 (new) = …"; in brackets also in a formula, "δ_o1·w5(new)")
|(?P<abbrev>(?<![\w.\\])(?:i\.[ \t]?e\.|e\.[ \t]?g\.|d\.[ \t]?h\.|z\.[ \t]?B\.|c\.-à-d\.|bzw\.|cf\.)(?=[ \t,]))
    # (an abbreviation of prose before a statement: "i.e. dE/dw4 ≈ 0.001", "d.h. …")
|(?P<latintail>(?<=[\w)\]}'′\U0001F300-\U0001FAFF\u2600-\u27BF])[.,;:]?
    (?![ \t]+(?:""" + _CONNECTOR_RUN + r"""[ \t]*)+(?:\n|$))
    [ \t]+(?:(?P<tailopen>\()?(?:[¡¿]?""" + _LATIN_WORD + r"""[.,;:!?]*[ \t]*){2,}
    (?:(?:new|old)[ \t]+)?(?:[A-Za-z]{1,3}_?\{?[0-9]{1,2}\}?)?(?(tailopen)\))
    |\(""" + _LATIN_WORD + r"""(?:[ \t,]+[""" + _LATIN + r"""']{2,}){1,}\)
    |\(""" + _LATIN_WORD + r"""[ \t]+""" + _LATIN_WORD + r"""(?:[^()\n]|\([^()\n]*\))*\)
    |\([^()=\n]*?(?<![\w'])""" + _LATIN_WORD + r"""[ \t]+""" + _LATIN_WORD + r"""[^()=\n]*\)
    |\([^()=\n]*=[ \t]*(?!(?:tanh|exp|log|sigma|sig|max)\b)[A-Za-z]{3,}[ \t]+[A-Za-z]{3,}\b[^()=\n]*\)
    |\(""" + _LATIN_WORD + r"""[ \t:]+[-−]?[0-9]*\.?[0-9]+\)
    |\(""" + _EMOJI + r"""*[ \t]*""" + _LATIN_WORD + r"""[ \t]*:[ \t][^\n]*\))[.!?]*[ \t]*"""
    + _EMOJI + r"""*[ \t]*(?=\n|$))
    # (words after a statement to the line's end: "… * out_h1   (la derivada del cuadrado)", ". Quién se anima?",
    # a name they end with, "… * i1 with the new w5";
    # in brackets, opened by a word of prose: "(cioè regola delta generalizzata)"; by two, math and all: "(dérivée de
    # (d−y)²/2 : 2·(d−y)/2)", its bracket closing at the line's end — not "(chain rule version) = (o − t)"; two words
    # in it, with no equation: "(b1 shared with h2!)"; a word and a number, "= 0.291028 🎉 (was 0.298371)"; a word and
    # a colon, "= y − d   (⚠ sign: −(d − y))"; an equation of words, "(2nd index = hidden unit!)")
|(?P<tail>(?<=[0-9])[ \t]+[a-z]{3,}(?:[ \t]+[a-z]{2,})+[ \t]*""" + _EMOJI + r"""*[ \t]*(?=\n|$)
    |(?<=[0-9])[ \t]+""" + _LATIN_WORD + r"""(?:[ \t]+""" + _LATIN_WORD + r""")+[ \t]*(?=\))
    |(?<=[0-9])[ \t]*""" + _EMOJI + r"""+[ \t]*(?!(?:plus|minus|times|over|divided|by|and)\b)[a-z]{3,}
    (?:[ \t]+[a-z]{2,})+(?:[ \t]+-?[0-9]*\.?[0-9]+)?[ \t]*(?=\n|$))
    # (a chat's "= 0.276957 bumaba na 🎉": words after the last number; "= 0.2769572 ✅ went down from 0.3272405";
    # before a bracket's end, "(…, b2 = 0.60 zostają bez zmian)")
|(?P<remark>(?<=[0-9])[ \t]*\((?!(?:out|net|target|error|input|output|actual|total|cost|loss|tanh|exp|log|max)\b)
    [a-z]{3,}[ \t](?:[^\n=()]|=>)*\)[ \t]*""" + _EMOJI + r"""*[ \t]*\.?[ \t]*(?=\n|$|[ \t;])(?![ \t]*[=≈]))
    # (a thread's "≈ 0.2910 (was 0.2984 📉)": a remark in brackets after the last number; "(decreased from 0.2097
    # => learning is happening)")
|(?P<saidthen>(?<=[0-9])[ \t]+(?:(?!(?:is|are|gives|equals|becomes)[ \t])[a-z]{2,}[ \t]+){1,4}
    (?:is|are|gives|equals|becomes)[ \t]+(?=[-−(0-9]))
    # (an essay's "With h₁ = 0.923619 the derivative is (−0.7442542)(0.923619) = −0.6874073": a new statement after
    # the number, its subject said in words — not the first chain going on)
|(?P<valuesaside>(?<=[0-9])[ \t]*\([a-z]{3,}[ \t]+[-−]?[0-9.]+(?:,[ \t]*[a-z]{3,}[ \t]+[-−]?[0-9.]+)+\)[ \t]*(?=\n|$))
    # (a slide's "= 0.775285 (target 0.99, before 0.772928)": other values named in words, a remark)
|(?P<aside>(?<=[A-Za-z0-9}])[ \t]+\((?!(?:out|net|target|error|input|output|actual|total|cost|loss|tanh|exp|log|max
    |new|old)\b)(?:(?:[0-9]{1,2}(?:st|nd|rd|th)[ \t]+)?[a-z]{3,}(?:[ \t][^\n=()$\\]*)?
    |[0-9]{0,2}[ \t]*[^\x00-\x7f\W\d_][^\n=()$\\]*)\)(?=[ \t]*[=≈]))
    # (a thread's "w5 (after iteration 2) = …", "w7 (2nd update) = …", Naver's "∂Error/∂w5 (2회차) = …": words in
    # brackets between the name and its value)
|(?P<wordaside>(?<=[A-Za-z0-9}])[ \t]+(?:in|after|at|for)[ \t]+(?:the[ \t]+)?
    (?:(?:first|second|third|next|new|one|two)[ \t]+|[0-9](?:st|nd|rd|th)[ \t]+)?
    (?:iteration|pass|round|step|epoch|update)s?(?:[ \t]+[0-9]{1,2})?(?=[ \t]*[=≈~]))
    # (the same said without brackets: "E in the second iteration = …", "w1 after the second update = …")
|(?P<scriptaside>[ \t]*\((?=[^()\n=≈]*""" + SCRIPT_LETTER + r""")[^()\n=≈$]*\)
    (?=[ \t]*(?:[.,:;。，：；]|""" + SCRIPT_LETTER + r"""))
    |[ \t]*\([ \t]*""" + SCRIPT_LETTER + r"""[^()\n$]*\)
    |(?<=[0-9])[ \t]*\((?=[^()\n=≈]*""" + SCRIPT_LETTER + r""")[^()\n=≈$]*\)[ \t]*(?=\n|$))
    # (LIHKG's "w5 (由 h1) 同 w7 (由 h2)", "(我寫 δ = ∂Error/∂In)": a remark in brackets opened in a script of
    # prose; "(w8 係由 h2 出發)." within a sentence; "a = (b 其中 c)" in a formula stays an error; after the last
    # number, "= -0.02260254   （W2.grad[1,0] と一致）")
|(?P<mapped>\\(?:theta|Theta)[ \t]*\^[ \t]*\{[ \t]*\([ \t]*(?P<source>[xz])[ \t]*(?:\\to|\\rightarrow|→|->)[ \t]*
    (?P<target>[zy])[ \t]*\)[ \t]*\})
    # (Eisenstein's θ^{(x→z)}, Θ^{(z→y)}: the weights from the input to the hidden layer z, from z to the scores)
|(?P<compactgap>(?<=[0-9])[ \t]+(?=[A-Za-z][A-Za-z0-9_]{0,6}'{0,2}=[-−]?[0-9.]))
    # (Baidu's "w1=0.3 w2=−0.1 w3=0.2": statements typed without spaces, one space apart)
|(?P<valuelist>(?<=[0-9])[ \t]*\((?=""" + _VALUE_PAIR + r"""(?:[ \t]*[,;][ \t]*""" + _VALUE_PAIR + r""")*[ \t]*\)))
    # (Baidu's "ŷ1 = … = 0.3508（ŷ2 = 0.3704，ŷ3 = 0.2788）": the other values, in brackets after the number — each a
    # statement of its own; the closing bracket goes with them)
|(?P<negexp>\^[ \t]*(?:[-−][ \t]*[0-9]*\.?[0-9]+(?![0-9.])|[0-9]*\.[0-9]+(?![0-9.])))
    # (a phone's "e^-0.25", a plain text's "e^0.0960": the exponent typed without braces)
|(?P<negexpname>\^[ \t]*[-−][ \t]*(?:\((?=[^\n]*\))
    |[A-Za-z]+(?:_\{?[A-Za-z0-9]{1,6}\}?|[0-9]{1,3})?(?![A-Za-z0-9_({\[])))
    # (a chat's "e^-(w3*i1 + w4*i2 + b1)", "e^-net_h2": a negated bracket or name, the exponent without braces)
|(?P<restate>(?<=[0-9])…[ \t]+[A-Za-z][A-Za-z \t]{0,60}?[ \t](?:says|gives|shows|reads)[ \t]+(?=[−-]?[0-9]))
    # ("≈ −0.359769… my calculator at full precision says −0.359768": the same value again, more exactly)
|(?P<stop>(?<=[0-9])\.(?:[ \t]+[A-Z][a-z]+[^\n=≈]*)?[ \t]*(?=\n|$)
    |(?<=[A-Za-z)])\.[ \t]+[A-Z][a-z]*[ \t]+(?=[^\n=≈<>]*?\b[a-z]{2,}[ \t]+[a-z]{2,}\b)[^\n=≈<>]*(?=\n|$))
    # ("σ(0.3925) ≈ 0.5969. Output 1:": a sentence's end; "… = y − d. That is why the notes halve E.": a sentence of
    # words (two in a row) after the last statement's full stop, with no relation in it, a remark)
|(?P<leadstop>(?<![^\n])[ \t]*(?=[^\n=≈]*[A-Za-z]{3,}[ \t]+[A-Za-z]{2,})[^\n=≈.]*\.
    (?=[ \t]+[A-Za-z][A-Za-z0-9_']*(?:\^\{[^{}\n]{1,6}\}|⁺)?[ \t]*=(?!=)[^\n]*=[ \t]*[-−]?[0-9]))
    # ("forgot the 1/2. E = 0.654481/2 = 0.3272405": a remark's sentence before a statement worked out)
|(?P<fullstop>(?<=[0-9])\.(?:[ \t]+(?!(?:net|out|in|err|sum|grad|exp|ln|log|tanh|sigma|delta)[ \t])[a-z]{3,}){0,3}
    (?=[ \t]+(?:[A-Za-z][A-Za-z0-9_']*|[∂δΔ][^\s=.,;:]*)[ \t]*=(?!=)))
    # ("h2 = 2*0.12 + 3*0.08 = 0.48.  out = 0.85*0.14 + …": a sentence's end between two statements; a thread's
    # "→ out_o2 = 0.7729. error E = …", "… = 0.1385. then ∂E/∂w6 = …": words may lead the next)
|(?P<label>(?<=[0-9])[ \t]*\\q?quad[ \t]*\([ \t]*(?:[A-Za-z]+(?:_\{?[A-Za-z0-9]{1,3}\}?)?
    |\\text[ \t]*\{[ \t]*[A-Za-z][A-Za-z0-9]{0,5}[ \t]*\})[ \t]*\)[ \t]*
    (?=\n|$|\$|\\\]|\\\\))
    # ("= 0.2084215 \qquad (w_1)": the lecture's name of the quantity, a label after the number; an HP-15C's
    # register, "\quad (\text{R1})")
|(?P<setdef>(?:\\q?quad[ \t]*)?\([ \t]*[A-Z][ \t]*=[ \t]*\\\{[^{}\n=]*\\\}[ \t]*\))
    # ("… \qquad (L = \{O\})": the set of units a sum runs over, a remark in brackets)
|(?P<route>\([ \t]*[A-Za-z][A-Za-z0-9_]*[ \t]*(?:→|->|\\to|\\rightarrow)[ \t]*[A-Za-z][A-Za-z0-9_]*
    (?:[ \t]+[""" + _LATIN + r"""]{2,}[ \t]+[A-Za-z][A-Za-z0-9_]*)?[ \t]*\))
    # ("Same for w₇ (h1 → o2): …": the path a weight lies on, a label; "(h2 → o1 ist w6)", the weight named on it)
|(?P<gap>(?<=[0-9])[ \t]{3,}(?=[A-Za-z\\][^\s=]{0,30}[ \t]*=)|(?<=\S)[ \t]{2,}\|[ \t]{2,}(?=\S)
    |(?<=[0-9])[ \t]+·[ \t]+(?=""" + _LATIN_WORD + r"""[ \t]+[A-Za-z][^\s=]{0,12}[ \t]*=)
    |(?<=[0-9])[ \t]+(?:and|und|et|y|e|i|и|ve|dan|và)[ \t]+(?=[-−(]?[0-9][^\n=]*=))
    # (OneNote's "w_1=0.149780716   w_2=0.199561432": statements side by side, apart by a wide gap; a crib sheet's
    # "W²ⱼ: hidden j → y   |   E = ½(d − y)²", a bar in a wide gap between them; a dot between a value and words that
    # name the next, "w8 = 0.80 · targets y1 = 0.23"; a word joining two worked values, "= 0.429890 and
    # −0.421617*(1 − 0.139092^2) = −0.413461")
|(?P<model>(?<![A-Za-z\\])[fgh](?:_(?P<unit>[1-9])|_\{(?P<unitb>[1-9])\})?[ \t]*\([ \t]*
    (?:x|\\mathbf[ \t]*\{[ \t]*x[ \t]*\}|\\boldsymbol[ \t]*\{[ \t]*x[ \t]*\})[ \t]*(?:\\mid|\||;)[ \t]*
    (?:\\theta|\\boldsymbol[ \t]*\{[ \t]*\\theta[ \t]*\}
    |\\mathbf[ \t]*\{[ \t]*w[ \t]*\}|w|\\mathcal[ \t]*\{?[ \t]*W[ \t]*\}?)[ \t]*\))
    # (Kroese's g(x | θ), Murphy's f(x; θ), Efron & Hastie's f_1(x; 𝒲): the model's prediction, the output ŷ)
|(?P<indented>(?<![^\n])[ \t]+(?:""" + _PROSE_LINE + "|" + _SCRIPT_LINE + r"""))
    # (a line of prose indented: a Zoom chat's message under its header)
|(?P<eqtag>(?<=\S)[ \t]{2,}\([0-9]{1,2}(?:\.[0-9]{1,2})?\*?\)[ \t]*(?=\n|$)
    |(?<![^\n])[ \t]{8,}\([0-9]{1,2}(?:\.[0-9]{1,2})?\)[ \t]*(?=\n|$))
    # (an essay's equation number at the right margin, "= 0.85          (3.1)", a corrected one "(3.4*)"; an RFC's
    # on the line under a long equation, far in)
|(?P<ws>(?!(?<![^\n])[ \t]+[-*•][ \t]+(?:[^\W\d_\n][^\n]*)?[=≈])
    (?!(?<![^\n])[ \t]+""" + _ASIDE_LINE + r"""[ \t]*(?=\n|$))[ \t\r\f\v]+)
    # (not an indented bullet's: an outline's nested "\t- out_O = σ(net_O)", its mark read below; nor an indented
    # aside's, "  (one path only: each hⱼ feeds only y)", read whole below)
|(?P<brk>\\\\(?:[ \t]*\[""" + _DIMEN + r"""[ \t]*\])?)
|(?P<begin>\\begin[ \t]*\{[ \t]*(?P<benv>[A-Za-z]+\*?)[ \t]*\}(?:[ \t]*\{[ \t]*[0-9]{1,3}[ \t]*\}
   |(?:(?<=IEEEeqnarray\})|(?<=IEEEeqnarray\*\}))[ \t]*\{[lcrLCRsSvVx+*'".;0-9 ]{1,24}\})?)
|(?P<end>\\end[ \t]*\{[ \t]*(?P<eenv>[A-Za-z]+\*?)[ \t]*\})
|(?P<prose>\\intertext[ \t]*\{[^{}\\$%#&\n]*\})
|(?P<mdhead>(?:(?<![^\n])|(?<=\}[ \t]))[ \t]*(?:\*\*[^*\n]+\*\*|""" + _SENTENCE_LINE + "|" + _ASIDE_LINE + "|"
    + _CHAT_HEADER + "|" + _COMMENT_HEADER + "|" + _EQUATION_NUMBER + "|" + _DATE_RULE + r""")
    [ \t]*(?:\\\\)?[ \t]*(?=\n|$))
|(?P<bullet>(?<![^\n])[ \t]*[•◦▪‣][ \t]+  # (a dot bullet is never an operator: "• softmax + CE → δ_k = …")
    |(?<![^\n])[ \t]*\[[ xX✓]\][ \t]+  # (a checklist's item, ticked or not: "[x] h1 = i1*w1 + i2*w2 = …")
    |(?<![^\n])[ \t]*\[(?:auto-captions|captions|on-screen|on screen|voiceover|text overlay)\][ \t]*
    # (a video's parts: "[on-screen] In_h1 = …", its "[auto-captions]" heading the spoken lines)
    |(?<![^\n])[ \t]*(?:(?:-|\*|•|\(?(?:[a-h]|i{1,3}|iv|v|vi{1,3})\)|\([j-z]\))[ \t]+(?=[^\W\d_]|[\\∂])
    (?=[^\n]*[=≈])"""
    + _NO_OPERATOR + r"""|[①-⑳❶-❿➀-➉][ \t]*|[-*•][ \t]+(?=[=≈])))
    # (a part's letter in brackets, "(b) In_o2 = w6 × h1 + …", "a) net_h2 = …", "(k) dE/dw1 = …")
    # (and a Korean or Japanese answer's circled step numbers: "① Δ = prediction − actual = −0.809")
|(?P<proseline>(?<![^\n])(?:""" + _PROSE_LINE + "|" + _SCRIPT_LINE + r"""))
|(?P<chat>(?<![^\n])[ \t]*(?:\[(?:[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4},[ \t]*
    |(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]{0,6},?[ \t]+)?
    [0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?
    (?:[ \t]*[AaPp][Mm])?\][ \t]*
    (?:[^\W\d_][^\n:=\[\]$\\]{0,30}?:(?=[ \t]|$|\n)|<[@+]?[^\W\d][\w.|`^-]{0,30}>|(?:\*|-!-)[ \t][^\n]*)?
    |↪|-!-[ \t][^\n]*
    |\[[^\]\n]{1,20}\][ \t]*\[(?:오전|오후|AM|PM|午前|午後)[ \t]*[0-9]{1,2}:[0-9]{2}\])
    [ \t]*(?:↪[ \t]*)?(?:[^\W\d_][\w.]{0,20}:(?=[ \t]))?)
    # (Telegram's export: "[19:02] Aigerim: h1 = …", a reply "↪ Tom: …", "[19:20] Forwarded from Ruslan:";
    # WhatsApp's "[11/03/2024, 22:02] Rohit: …"; an IRC log's "[21:02] <mira_k> …", its "* mira_k facepalms"
    # actions and "-!- … has joined" lines, set aside whole; KakaoTalk's "[김민준] [오후 10:02] …")
|(?P<answerlead>(?<![^\n])[ \t]*""" + answer_word() + r"""
    (?:[ \t]+[0-9]{1,2}[a-z]?(?:\([a-z0-9]\))?|[ \t]*\([a-z0-9]{1,3}'?\))?(?:[ \t]*\([^()\n=:]{1,40}\))?[ \t]*:(?!=)
    |(?<![^\n])[ \t]*(?:ETA|UPD|Upd|EDIT|Edit|edit|UPDATE|Update|Nachtrag)(?:[ \t]*[0-9])?
    (?:[ \t]*\([0-9:.apm \t]{3,12}\))?[ \t]*:(?!=))
    # (a sheet's "Réponse : ∂E/∂y = y − d", French typography's space before the colon; "Réponse (corrigée) :";
    # a calculator's "Rép. (b) (corrigé avec la calculatrice) : out = 0.191"; a post's later edit, "ETA (03:10): …",
    # "UPD:", "Edit 2:")
|(?P<latinlead>(?<![\w\\{_^'/])(?:[¡¿]?""" + _LATIN_WORD + r"""[.,;:!?]*[ \t]+)+(?=""" + _STATED_NAME + r""")
    |(?<![^\n])[ \t]*\(""" + _LATIN_WORD + r"""(?:[ \t]+""" + _LATIN_WORD + r""")+\)[ \t]+(?=""" + _STATED_NAME + r"""))
    # (a chat's "ahh sí jaja. δ_O = …", "ok entonces dE/dw4 = … y dE/dw3 = …": words before the name a statement
    # gives, as "so h1 = …" is; or a remark in brackets at the line's start, "(same run) dE/dw2 = …")
|(?P<latinnum>(?:(?<![^\n])[ \t]*|(?<=(?<!\\)[,;:][ \t]))(?![A-Za-z][ \t])(?:""" + _LATIN_WORD + r"""[,:]?[ \t]+)+
    (?=\(?[-−]?[0-9.]+[ \t]*[-+*/×·=^−]))
    # (a said line's "toh 0.14 + 0.0343825 = …", "…, aur 3 * 0.21 = 0.63": words before its arithmetic; not a label's
    # number, "round 2 dE/dout = …", nor a count, "Comments (12)")
|(?P<star>(?<=[A-Za-z0-9])\*{1,2}(?=[ \t]*(?:=|≈|\)|,|;|\n|$)|[ \t]+\*[ \t]*[A-Za-z0-9(])
    |(?:(?<=[A-Za-z])|(?<=[A-Za-z][0-9]))\+{1,2}(?=[ \t]*(?:=|≈|~|\)|,)|[ \t]+[+\-−][ \t]))
    # (a chat's plain "w5* = w5 − η*∂E/∂w5", "w5**", a thread's "w5+ = …": the weight after one update, two)
|(?P<rangelist>(?:\([ \t]*)?(?<![\w\\])[A-Za-z]+_?[0-9]+[ \t]*(?:(?:,[ \t]*)?(?:\.\.\.?|…|~|\\[lc]?dots)[ \t]*
    (?:,[ \t]*)?[A-Za-z]*_?[0-9]+
    |(?:,[ \t]*[A-Za-z]+_?[0-9]+)+)[ \t]*=
    (?:[^;\n()]|\([^()\n]*\))*(?:\)(?=[ \t]*[:.,]?[ \t]*(?:\n|$)))?
    |(?:,[ \t]*)?(?<![\w\\])(?:exp|ln|log|tanh)[ \t]*=[ \t]*-?[0-9.]+(?:[ \t]*,[ \t]*-?[0-9.]+)+
    (?:[ \t]*,[ \t]*sum[ \t]+-?[0-9.]+)?)
    # ("Updated set: w1..w8 = 0.149780716, 0.199561432, …", "b2,b3,b4 = 0.086107, …", "w_1, \dots, w_6 = 0.11, …": a
    # list of values, a remark; an
    # IRC log's "exp = 0.935469, 1.130684, 1.003445": a function's values, listed)
|(?P<post>(?<![^\n])[ \t]*[0-9]{1,2}[/)][ \t]+(?=[^\W\d_]|""" + _EMOJI + r""")
    |(?<=[^\W_][ \t]|[.)][ \t]|""" + _EMOJI + r"""[ \t])[0-9]{1,2}[a-z]?/[ \t]*(?=\n|$)
    |(?<=[^\W\d_][ \t]|""" + _EMOJI + r"""[ \t])[0-9]{1,2}/[0-9]{1,2}[ \t]*(?=\n|$))
    # (a thread's post number "2/ out_h2 = …", a list's "3) Шығыс қабаты …"; a post's number at its end,
    # "… = 0.0822 ✨ 5/", "16b/": no formula ends in "/"; the last post's "… 🎯 21/21" after an emoji or a word)
|(?P<eqref>(?:\(|(?<![\w.]))[0-9]{1,3}(?:\.[0-9]{1,3})?\)-[^\W\d_]+)  # "(3)-დան", "5)-ի": a number with a case ending
|(?P<prosetext>\\(?:text|mbox|textrm)\*?[ \t]*\{(?=[^{}\n]*[^\x00-\x7f])[^{}\n]*\{[^{}\n]*\}(?:[^{}\n]|\{[^{}\n]*\})*\})
    # (a reply's \text{回答者からの返信：w4 は σ' = e^{-x}/(1 + e^{-x})^2 …}: prose in its own script, braces and all)
|(?P<text>\\(?:""" + "|".join(_TEXT_COMMANDS) + r""")
    \*?[ \t]*\{(?P<tbody>(?:[^{}\\$%#&\n]|\\[_#%&$]|\\tfrac\{[0-9]\}\{[0-9]\})*)\})
    # (a ½ in the prose is \tfrac{1}{2} by now: plain_math)
|(?P<defrel>\\(?:stackrel|overset)[ \t]*\{(?:[^{}\n]|\{[^{}\n]*\})*\}[ \t]*(?:\{[ \t]*=[ \t]*\}|=))
|(?P<arrow>\\(?:xrightarrow|xleftarrow|xRightarrow)[ \t]*(?:\[[^\]\n]*\])?[ \t]*\{(?:[^{}\n]|\{[^{}\n]*\})*\})
|(?P<circled>(?<=[A-Za-z0-9α-ωΑ-Ω}′'])[①-⑨])  # (a note's δ1①, h1②: the sample, a superscript (1), (2))
|(?P<keycap>[0-9#*]\uFE0F?\u20E3)  # (a keycap emoji, 1️⃣: a section's number)
|(?P<answermark>(?<=[0-9 \t])\((?:Ans|ANS|ans|Answer)\.?\)[ \t]*(?=\n|$)
    |(?<=[0-9 \t}])(?:\\q?quad)?[ \t]*(?:\\[Ll]eftarrow|\\longleftarrow|←|⟵)[ \t]*
    (?:\\text(?:bf|it)?[ \t]*\{[ \t]*(?:Ans|ANS|ans|Answer|answer)\.?[ \t]*\}|(?:Ans|ans|answer)\.?)[ \t]*
    (?=\n|$|\\\\|\\end|\$))
    # (an exam's "= 0.0346 (Ans)"; a homework's "= 0.082167041 \qquad\leftarrow\text{ans.}")
|(?P<transcribed>\[(?![ \t]*[-−0-9(])(?=[^\]\[\n]{0,200}?(?<![\w\\])[A-Za-z]{3,}[ \t,:]+[A-Za-z]{1,}[^\]\[\n]*
    (?:\]|\n[^\]\[\n]*\]))(?:[^\[\]\n"]|"[^"\n]*")*(?:\n(?:[^\[\]\n"]|"[^"\n]*")*)?\](?![ \t]*\())
    # (a transcriber's note in square brackets, "[arrow from "W¹_ij" to margin: …]", "[page 1, top]": not the
    # student's; not a link's text, [text](url))
|(?P<drop>\\(?:tag|label|hspace|vspace|phantom|hphantom|vphantom)\*?[ \t]*\{(?:[^{}\\\n]|\\[%#&_$ ])*\}
    |""" + _EMOJI + r"""+[ \t]*\+[0-9]{1,3}[ \t]*(?=\n|$)  # (a board's stamp and its count, "👍 +2")
    |""" + _EMOJI + r"""+[ \t]*(?:[0-9]{1,2}:)?[0-9]{1,2}:[0-9]{2}[ \t]*(?=\n|$)  # (a recording's mark, "🎙 00:27:51")
    |[ \t]*\(edited\)[ \t]*(?=\n|$)  # (a comment's mark, "= -0.38832 (edited)")
    |\\(?:hskip|mkern|kern|mskip)""" + _DIMEN + r"""
    |""" + _EMOJI + r"""+  # (an emoji of a chat message: 🎉, ✅, 👍🏻; WeChat's [捂脸], [OK]; Discord's :tada:;
    |\[(?:[\u4e00-\u9fff]{1,4}|OK)\]|\[(?:sticker|voice|photo|video|GIF|file|audio)(?:[ \t][^\]\n]{0,20})?\]
    # (Telegram's [sticker 😎], [voice 0:21])
    |\[/?(?:box|boxed|circled|underlined|red|blue|green)\]  # (a typed-up sheet's marks: "= (y − d)·h₃ [box]")
    |(?<![^\s])§[ \t]*[0-9]{1,2}[a-z]?(?:\.[0-9]{1,2})*(?![0-9])  # (a section's number, "§3b 1st layer:")
    |(?<=[ \t])(?:[:;]-?[)(DP]|XD+)(?=[ \t]|\n|$)  # (an emoticon, "E went down :)", "有在學 XD")
    |\([ \t]*͡[°o][ \t]*͜ʖ[ \t]*͡[°o][ \t]*\)  # (the Lenny face, "Sprawdźcie pls ( ͡° ͜ʖ ͡°)")
    |(?<![^\n])[ \t]*(?:推|噓|→)[ \t]+[A-Za-z0-9_]{2,20}[ \t]*:  # (a PTT push: "推 pcman_fan: …   04/10 23:31")
    |(?<=[ \t][ \t])[01][0-9]/[0-3][0-9][ \t]+[0-2][0-9]:[0-5][0-9][ \t]*(?=\n|$)
    |(?<![\w:]):(?:[a-z][a-z0-9_+\-]{1,30}|[+-]1):(?![\w:])(?:[ \t]+[0-9]{1,3}(?![0-9.]))?
    # (a reaction's count, Slack's ":eyes: 1"; a chat's @mention)
    |(?<![^\s])@[^\s@=]+)
|(?P<cmd>\\[A-Za-z]+)
|(?P<sym>\\[^A-Za-z])
|(?P<dollar>\$\$?)
|(?P<tildeapprox>(?<=[ \t])~(?=[ \t]+[-−]?\.?[0-9]))  # (plain text's "w8+ ~ 0.7": about, not TeX's tie)
|(?P<coloneq>:[ \t]*=|=[ \t]*:(?![=:]))
|(?P<to>-{1,2}>|=>)  # (an arrow typed in ASCII: "= 0.25 -> h1 = sigmoid(0.25)", as → is)
|(?P<number>(?:[0-9]+(?:(?:\.|\{,\})[0-9]+)?|\.[0-9]+)
    (?P<nexp>[eE][+\-−]?[0-9]+|\\mathrm[ \t]*\{[ \t]*[eE][ \t]*\}[ \t]*(?:\{[ \t]*[+-]?[0-9]+[ \t]*\}|[+-]?[0-9]+))?)
|(?P<leadword>(?<![\w\\{_^])[a-z]{2,}(?=[ \t]+[A-Za-z][A-Za-z0-9]{0,6}(?:_\{?[A-Za-z0-9]{1,4}\}?)?[ \t]*=(?!=)))
    # (plain text's "so h1 = …", "inputs i1 = 2": a word before the name a statement gives)
|(?P<letters>[A-Za-z]+)
|(?P<char>.)
""", re.VERBOSE | re.DOTALL)
_FRAME_OPTIONS = re.compile(r"[ \t]*\[[^\]\n]*\]")
_OVERLAY = re.compile(r"[ \t]*<[0-9, \t+\-|a-z]*>")  # Beamer's overlay specification: <2>, <2->, <1-3,5>
_WORDS_NAME = re.compile(r"[A-Za-z]+(?: [A-Za-z]+){1,3}")
_OPERATOR_AFTER = re.compile(r"[ \t]*(?:=|\\times|\\cdot|[-+*/])")
_SNAKE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+")
_ORDERED = re.compile(r"[ \t]*\^[ \t]*(?:\+|\{[ \t]*\+[ \t]*\})")
_SCRIPT_AFTER = re.compile(r"\s*[_^]")
_TEXT_NAME = re.compile(f"[{_LATIN}]+[0-9]*(?:[{_LATIN}]+[0-9]*)?")  # out1, k1a (a graph node: key 1, part a)
_BRACE_NOTE = re.compile(r"[ \t]*[_^][ \t]*(?=\{)")
_MATH_SPAN = re.compile(r"(?<!\\)\$\$(?:[^$]|\\\$)+?(?<!\\)\$\$|(?<!\\)\$(?:[^$\n]|\\\$|\n(?=[ \t]*=))+?(?<!\\)\$"
                        r"|(?<!\\)\\\((?:[^\n\\]|\\(?!\)))+?\\\)")  # (LaTeX's inline \( … \) too, as Org-mode writes)
#: what may stand between pieces of math without saying anything: spaces and a list's bullets and labels ("(i)", "b)")
#: ("**Q1 (b).**": a question's number, bold in Markdown)
_BULLETS_ONLY = re.compile(r"(?:\s|(?<![^\s])(?:[-*•+]|(?:\*\*)?(?:\((?:[a-z]|[ivx]{1,4}|[0-9]{1,2})\)[.:]?"
                           r"|(?:[a-z]|[0-9]{1,2})[.)]|Q[0-9]{1,2}[a-z]?[.:]?)(?:\*\*)?)(?=\s))*")
#: "$$\hat y_1 = \frac{1.100742}{3.137635}$$ → **$\hat y_1 = 0.350819$**": an arrow (Markdown's bold around what
#: follows) between two pieces of math, each a line of its own
_ARROW_ONLY = re.compile(r"\s*(?:\*\*|__)?\s*(?:→|⟶|⇒)\s*(?:\*\*|__)?\s*")
_PROSE_COMMAND = re.compile(r"\\(?:intertext|text|mbox|textrm|textnormal|shortintertext)[ \t]*(?=\{)")
_FENCE = re.compile(r"(?m)^(?P<open>[ \t]*```[ \t]*(?P<lang>[A-Za-z]*)[^\n`]*)\n(?:.*\n)*?(?P<close>[ \t]*```)[ \t]*$")
#: a fence's language that says its block is plain text (Markdown's ```text, ```plaintext)
_PLAIN_TEXT = ("text", "txt", "plaintext", "plain", "none", "nohighlight")
#: a Sweave (.Rnw) chunk, "<<label, echo=TRUE>>=" … "@": R code, as a fence of R Markdown is
_RNW_CHUNK = re.compile(r"(?m)^(?P<open>[ \t]*<<[^<>\n]*>>=)(?P<lang>)[ \t]*\n(?:.*\n)*?(?P<close>@)[ \t]*$")
#: knitr's printed output where nothing fences it (after a Sweave chunk), and an inline \Sexpr{…} (its value is
#: knitr's, not written): the math around it says nothing
_RNW_OUTPUT = re.compile(r"(?:\n[ \t]*##[ \t][^\n]*)+")
_SEXPR = re.compile(r"\$[^$\n]*\\Sexpr\{(?:[^{}\n]|\{[^{}\n]*\})*\}[^$\n]*\$|\\Sexpr\{(?:[^{}\n]|\{[^{}\n]*\})*\}")
_CODE_SPAN = re.compile(r"`[^`\n]+`")
_CODE_ENV = re.compile(r"\\begin\{(matlabcode|lstlisting|verbatim|Verbatim|minted|code)\}.*?\\end\{\1\}", re.DOTALL)
_TABLES = ("tabular", "tabular*", "tabularx", "tabulary", "longtable")
_DISPLAY = re.compile(r"\\begin\{(?P<env>(?!(?:" + "|".join(TEXT_ENVS + _TABLES).replace("*", r"\*")
                      + r")\})[A-Za-z]+\*?)\}.*?\\end\{(?P=env)\}"
                      r"|(?<!\\)\\\[.*?\\\]", re.DOTALL)  # (not a slide's frame, list or block: those hold prose;
#                                                         not a line break's \\[4pt] either)
#: a table in prose (a spreadsheet's cells handed in as a tabular): its rows, each up to its \\ or \end
_TABLE = re.compile(r"\\begin\{(?P<env>" + "|".join(_TABLES).replace("*", r"\*") + r")\}.*?\\end\{(?P=env)\}",
                    re.DOTALL)
_TABLE_ROW = re.compile(r"(?:[^\\]|\\(?!\\|end\{))+")
_PROSE = re.compile(r"\\(?:text|mbox|textrm|textnormal)[ \t]*\{([^{}\n]*)\}")
_CARDINALITY = re.compile(r"(?:\||\\[lv]ert)[ \t]*\\mathcal[ \t]*\{[ \t]*(?P<set>[A-Za-z])[ \t]*\}[ \t]*"
                          r"(?:_[ \t]*\{(?:[^{}\n]|\{[^{}\n]*\})*\}[ \t]*)?"  # (CS221's |\mathcal{D}_{\text{train}}|)
                          r"(?:\||\\[rv]ert)")
#: numpy code for a gradient or an entry (CS231n's dW1, dh, dout; a blog's dE_dout, dL_dW1), then an index
_CODE_NAME = r"(?P<{0}>[A-Za-z]+?)_?(?P<{0}sub>(?<=_)[A-Za-z0-9]+|[0-9]*)"
_CODE_GRADIENT = re.compile(r"d(?:(?:L|E|J|loss|cost)_?|" + _CODE_NAME.format("top") + "_)d" + _CODE_NAME.format("of") +
                            r"|(?P<d>d)?(?P<base>[A-Za-z]|out|net|scores|probs|logits|hidden)(?P<layer>[0-9]?)")
_SUMMAND = re.compile(r"[ \t]+[A-Za-z]_?[A-Za-z](?![A-Za-z0-9])")  # (after a Σ: a name with an index letter)
_SCRIPT_RUN = re.compile(r"(?:[^\W\d_]|[\u0900-\u0DFF\u0E00-\u0EFF\u1000-\u109F\u1780-\u17FF]){1,12}"
                         r"(?![^\W\d_])")  # (a word of a script whose vowels are marks: ใหม่, नवीन)
_SCRIPT_WORD = re.compile(r"(" + _SCRIPT_RUN.pattern + r")[ \t]*(?=\})")
_PROMPT = re.compile(r"(?:In|Out)\[[0-9]+\][ \t]*:?=|>>>|In \[[0-9]+\]:")  # a notebook's or a REPL's prompt
_CODE_INDEX = re.compile(r"[ \t]*\[[ \t]*(?P<i>[0-9])[ \t]*(?:,[ \t]*(?P<j>[0-9])[ \t]*)?\]")
_CODE_ATTRIBUTE = re.compile(r"(?P<base>[A-Za-z]+?)_?(?P<sub>(?<=_)[A-Za-z0-9]+|[0-9]*)\.(?P<attr>grad|data)")
#: what \dot may stand on: a transfer function's letter, then its layer (Hagan's \dot{f}^2, \dot f^m)
_DOTTED = re.compile(r"[ \t]*(?:\{[ \t]*(?P<braced>f|g|\\(?:phi|varphi|sigma))[ \t]*\}"
                     r"|(?P<bare>f|g|\\(?:phi|varphi|sigma))(?![A-Za-z]))"
                     r"(?P<script>[ \t]*\^[ \t]*(?:\{[ \t]*(?P<layer>[0-9A-Za-z])[ \t]*\}|(?P<layer1>[0-9A-Za-z])))?")
_SCRIPT_NEXT = re.compile(r"[ \t]*[_^]")  # a bar followed by a script is an evaluation bar


def _is_prose_letter(c: str) -> bool:
    """A letter of a script whose words are prose in a formula (CJK, kana, Hangul, Cyrillic, ...): not Latin and
    not Greek (those are names)."""
    if c.isascii() or c in _CHAR_TYPES:
        return False
    o = ord(c)
    if o <= 0x36F or 0x370 <= o <= 0x3FF or 0x1D00 <= o <= 0x1FFF or 0x2100 <= o <= 0x214F or o >= 0x1D400 \
            or 0x20D0 <= o <= 0x20FF or 0xFE20 <= o <= 0xFE2F:
        return False
    # (Devanagari's ा, ि; a script's own digits, Khmer's ២ in "គំរូទី ២": math writes 0–9)
    return unicodedata.category(c)[0] == "L" or unicodedata.category(c) in ("Mn", "Mc") \
        or (unicodedata.category(c) == "Nd" and not 0xFF10 <= o <= 0xFF19)


def _is_prose_punct(c: str) -> bool:
    """(and a script's own full stops and commas: Khmer's ។, Devanagari's ।, Arabic's ،, Ethiopic's ።; a straight
    double quote inside the run, 题目说的是"两个样本取平均"; a circled number, 样本①)"""
    o = ord(c)
    return c in ",.:;!?\"" or 0x3000 <= o <= 0x303F or 0x2460 <= o <= 0x2473 \
        or 0x2500 <= o <= 0x257F or 0x2018 <= o <= 0x201F or c == "…" \
        or (0x530 <= o < 0x2000 and unicodedata.category(c) == "Po")


def _prose_end(text: str, j: int) -> int:
    """The end of a run of prose that starts at text[j]: prose letters, their punctuation and spaces, ASCII
    letters or digits between two prose letters (第2层), parentheses that hold only prose (or a count right after a
    word at the line's end, 赞(3))."""
    n = len(text)
    end = j
    while j < n:
        c = text[j]
        if _is_prose_letter(c) or _is_prose_punct(c):
            j += 1
            end = j
        elif c in " \t":
            j += 1
        elif c.isascii() and c.isalnum() and j == end and j > 0 and _is_prose_letter(text[j - 1]):
            k = j
            while k < n and text[k].isascii() and text[k].isalnum():
                k += 1
            if k >= n or not _is_prose_letter(text[k]):
                break
            j = end = k
        elif c == "(":
            k = text.find(")", j)
            inner = text[j + 1:k]
            counted = j == end and j > 0 and _is_prose_letter(text[j - 1]) and inner.isdigit() \
                and not text[k + 1:].partition("\n")[0].strip()  # (a post's "赞(3)" at its line's end: its likes)
            if k < 0 or not inner.strip() or not (counted or all(
                    _is_prose_letter(x) or _is_prose_punct(x) or x in " \t" for x in inner)):
                break
            j = end = k + 1
        else:
            break
    return end


_ACCENTED_LETTER = re.compile(f"[{_ACCENTED}]")
_LATIN_PROSE_WORD = re.compile(f"[{_LATIN}0-9'][{_LATIN}0-9'-]*")
_PROSE_GAP = re.compile(r"[ \t]*[,.;:!?…]*[ \t]*")
_QUOTED_TAIL = re.compile(r"[ \t]*[\"“][^\"“”\n]*[\"”][ \t]*(?=\n|$)")
_REST_OF_LINE = re.compile(r"[^\n]*")


def _latin_prose_start(before: list[_Tok], start: int) -> int | None:
    """Where a word with an accented Latin letter begins (the letters lexed just before it are its own), unless
    it is a script (w_mới is a name)."""
    if before and before[-1].type == "LETTERS" and before[-1].end_pos == start:
        if len(before) > 1 and before[-2].type in ("USCORE", "CARET", "LCURLY", "LBRACE"):
            return None
        return before[-1].start_pos
    if before and before[-1].type in ("USCORE", "CARET", "LCURLY", "LBRACE") and before[-1].end_pos == start:
        return None
    return start


_ACCENTED_WORD = re.compile(f"[{_LATIN}'-]*[{_ACCENTED}][{_LATIN}'-]*")


def _latin_prose(text: str, before: list[_Tok], start: int, end: int) -> bool:
    """Is the run of words with accents prose: two such words or more (in it, or on its line: Polish "Ten znak w w3 jest
    zły – … też musi być …"), or a lead that ends in a colon, or at its line's start, or a remark in brackets, or a word
    after a comma that ends its line ("…², więc": the sentence goes on to the next line's math)? (One accented word
    inside a formula, "a où b", is an error: prose belongs in \\text.)"""
    run = text[start:end]
    line_start, line_end = text.rfind("\n", 0, start) + 1, text.find("\n", end)
    line = text[line_start:] if line_end < 0 else text[line_start:line_end]
    return len(_ACCENTED_WORD.findall(run)) >= 2 or run.rstrip().endswith(":") \
        or len(_ACCENTED_WORD.findall(line)) >= 2 \
        or not text[text.rfind("\n", 0, start) + 1:start].strip() \
        or (bool(before) and before[-1].type == "LPAR" and text.startswith(")", end)) \
        or ([t.type for t in before[-2:] if t.end_pos <= start][-1:] == ["COMMA"]
            and not text[end:].partition("\n")[0].strip())


def _latin_prose_end(text: str, j: int) -> int:
    """The end of a run of Latin prose (Vietnamese, with accents) from text[j]: its words and their punctuation; a
    plain word or number only when more prose follows it before any math ("câu 2 lan truyền ngược."), or a colon
    ends it ("sigmoid nha:"); after a colon, a quotation to the line's end is another's words (Zalo's 'Trả lời
    Minh Quân: "In_h2 = …"'); after a statement, a remark with no relation in it goes to the line's end ("mà,
    thiếu 1/2")."""
    end = k = j
    while (w := _LATIN_PROSE_WORD.match(text, k)) is not None:
        gap = _PROSE_GAP.match(text, w.end())
        assert gap is not None
        if _ACCENTED_LETTER.search(w.group()) or ":" in gap.group():
            end = gap.end() if gap.group().strip() else w.end()
        if not gap.group():
            break
        k = gap.end()
    if text[:end].rstrip().endswith(":") and (q := _QUOTED_TAIL.match(text, end)) is not None:
        return q.end()
    rest = _REST_OF_LINE.match(text, end)
    assert rest is not None
    if re.search(r"[=≈]", text[text.rfind("\n", 0, j) + 1:j]) and not re.search(r"[=≈≅≃→←]|\\[A-Za-z]", rest.group()):
        return rest.end()
    return end


def _lex(src: _Source) -> list[_Tok]:
    """Regular tokens with their types; commands classified; unknown input is an error here."""
    text = src.norm
    out: list[_Tok] = []
    pos = 0
    n = len(text)
    sizer: tuple[str, int, str] | None = None  # a pending \left, \right or \big: (kind, start, command)
    envs: list[_Tok] = []  # the open environments: & and \\ inside a matrix are its column and row separators
    count = 0
    notes: dict[int, int] = {}  # where an \underbrace's note (its _{…}) starts → where it ends: set aside
    remarks = 0  # brackets that prose in another script opened: "(ในชีทอาจารย์ใช้ E = ½(…)² ครับ)"
    while pos < n:
        count += 1
        if count % 1024 == 0:
            src.check_time()
        pos = notes.pop(pos, pos)
        if pos >= n:
            break
        m = _RAW.match(text, pos)
        assert m is not None  # the last alternative matches any character
        kind = m.lastgroup
        start, end = m.start(), m.end()
        s = m.group()
        pos = end
        new: _Tok | None = None
        if kind == "wordaside" and s.split()[0] == "after" and re.search(r"[wWbB]_?\{?[0-9]{1,2}\}?$", text[:start]):
            out += _relexed(src, r"^{\text{new}}", start, end)  # (a weight "after the second update": updated)
            continue
        if kind in ("ws", "drop", "aside", "wordaside", "scriptaside"):
            continue
        in_matrix = bool(envs) and envs[-1].info in MATRIX_ENVS
        if (kind == "begin" and m.group("benv") in TEXT_ENVS) or (kind == "end" and m.group("eenv") in TEXT_ENVS) \
                or (kind == "cmd" and s in (r"\frametitle", r"\framesubtitle", r"\item", *_HEADINGS)):
            # a Beamer slide: its frame and title, a list and its items are layout (a title, in braces, is prose;
            # so is a heading's, \section*{Problem 2})
            overlay = _OVERLAY.match(text, end)  # (\item<2->, \begin{frame}<3>)
            pos = overlay.end() if overlay is not None else end
            if kind == "cmd" and s in _HEADINGS:
                pos = re.match(r"\*?[ \t]*(?:\[[^\]\n]*\])?[ \t]*", text[pos:]).end() + pos  # type: ignore[union-attr]
            if kind == "begin" and m.group("benv") in ("frame", "block"):
                options = _FRAME_OPTIONS.match(text, pos)  # \begin{frame}[fragile]{…}
                pos = options.end() if options is not None else pos
                pos = _brace_end(text, pos) or pos
            elif kind == "begin" and m.group("benv") in THEOREM_ENVS and text.startswith("[", pos):
                pos = text.find("]", pos) + 1 or pos  # \begin{example}[The board network]: its title
            elif kind == "begin" and m.group("benv") in ("enumerate", "itemize", "description") \
                    and text.startswith("[", pos):
                pos = text.find("]", pos) + 1 or pos  # \begin{enumerate}[label=(\alph*)]: its labels' layout
            elif kind == "cmd" and s == r"\item" and text.startswith("[", pos):
                pos = text.find("]", pos) + 1 or pos  # \item[(a)]: its label
            elif kind == "cmd" and s != r"\item":
                pos = _brace_end(text, pos) or pos
            out.append(src.tok("NL", s, start, pos))
            continue
        if kind == "cmd" and s[1:] in BEAMER_OVERLAYS:  # \pause, \only<2>{…}, \alert<3>{x}: the slide's build-up
            overlay = _OVERLAY.match(text, end)
            pos = overlay.end() if overlay is not None else end
            if s[1:] not in BEAMER_HIGHLIGHTS:
                continue  # (what \only or \uncover shows stays, in its braces)
            end = pos
        if kind == "cmd" and s == r"\intertext":  # \intertext{where $δ_O = …$, so}: its math, each piece a line
            close = _brace_end(text, end)
            if close is None:
                raise src.error("intertext_braces", start)
            out.append(src.tok("HARDSEP", s, start, end, "text"))
            for piece in _MATH_SPAN.finditer(text, end, close - 1):
                delimiter = 1 if piece.group().startswith("$") and not piece.group().startswith("$$") else 2
                inner = src.like(_only(src.text, piece.start() + delimiter, piece.end() - delimiter))
                out += [t for t in _lex(inner) if t.type != "NL"]
                out.append(src.tok("HARDSEP", "$", piece.end() - 1, piece.end(), "text"))
            pos = close
            continue
        if kind == "nl":
            new = src.tok("NL", s, start, end)
        elif kind == "brk":
            new = src.tok("MROW" if in_matrix else "BREAK", s, start, end)
        elif kind == "begin":
            env = m.group("benv")
            new = src.tok("MBEGIN" if env in MATRIX_ENVS else "BEGIN", s, start, end, env)
            envs.append(new)
        elif kind == "end":
            env = m.group("eenv")
            if envs and envs[-1].info == env:
                envs.pop()
            elif env in MATRIX_ENVS or in_matrix:
                if envs:
                    raise src.error("end_mismatch", start, env=env, begun=envs[-1].info, open_line=envs[-1].line,
                                    open_column=envs[-1].column)
                raise src.error("end_without_begin", start, env=env)
            if env in MATRIX_ENVS:
                while out and out[-1].type == "MROW":  # a \\ before \end{bmatrix} ends the last row
                    out.pop()
                new = src.tok("MEND", s, start, end, env)
            else:
                new = src.tok("END", s, start, end, env)
        elif kind in ("bullet", "post", "eqref", "chat"):  # a chatbot's or a Markdown note's "- h_2 = …": its mark
            continue
        elif kind in ("prose", "arrow", "mdhead", "tail", "remark", "stop", "route", "proseline", "label",
                      "setdef", "gap", "quote", "quoted", "rangelist", "valuesaside", "saidthen", "inplace", "indented",
                      "abbrev", "latinlead", "latinnum", "answerlead", "latintail", "leadstop"):
            # (mdhead: Markdown's **Step 1: …**, a sentence ending in a colon or "so" on its own line)
            new = src.tok("HARDSEP", s, start, end, "text")
        elif kind == "fullstop":  # (after a statement's number; not a list's "1. h1 = …")
            before = text[text.rfind("\n", 0, start) + 1:start]
            new = src.tok("HARDSEP", s, start, end, "text") if re.search(r"[=≈]", before) \
                else src.tok("DOT", s, start, end, ".")
        elif kind == "star":
            line_start = text.rfind("\n", 0, start) + 1
            if text.count("**", line_start, start) % 2:  # the end of Markdown's bold: **w5**
                continue
            out += _relexed(src, "^{" + s.strip() + "}", start, end)
            continue
        elif kind == "compactgap":
            if not re.search(r"(?:^|[\s:：;；,，])[A-Za-z][A-Za-z0-9_]{0,6}'{0,2}=[-−]?[0-9.]+$",
                             text[text.rfind("\n", 0, start) + 1:start]):
                continue  # (a space in "w1 = 0.3 w2": not a list typed tight)
            new = src.tok("HARDSEP", s, start, end, "text")
        elif kind == "valuelist":
            close = text.index(")", end)
            pairs = text[end:close].replace(",", "\n").replace(";", "\n")
            out.append(src.tok("NL", s, start, end))
            out += _relexed(src, pairs, end, close)
            out.append(src.tok("NL", ")", close, close + 1))
            pos = close + 1
            continue
        elif kind == "mapped" and (m.group("source"), m.group("target")) in (("x", "z"), ("z", "y")):
            layer = "1" if m.group("source") == "x" else "2"
            out += _relexed(src, "W^{(" + layer + ")}", start, end)
            continue
        elif kind == "mapped":
            raise src.error("unexpected_char", start, char=s)
        elif kind == "negexp" and s[1:].lstrip()[:1] not in "-−" \
                and re.search(r"\\(?!(?:hat|bar|tilde|vec)\{)[A-Za-z]", text):
            new, pos = src.tok("CARET", "^", start, start + 1, ""), start + 1  # (LaTeX's ^0.0960 is ^{0}.0960)
        elif kind == "circled":
            out += _relexed(src, f"^{{({unicodedata.digit(s)})}}", start, end)
            continue
        elif kind == "saidnew":
            out += _relexed(src, r"^{\text{new}}", start, end)
            continue
        elif kind in ("keycap", "answermark", "eqtag", "transcribed"):
            continue
        elif kind == "negexpname":
            close = group_end(text, end - 1, "()", line=True) if s.endswith("(") else end
            if close is None:
                raise src.error("never_closed", end - 1, token="'('")
            exponent = text[end - 1:close] if s.endswith("(") else s[1:].strip(" \t-−")
            shift = close - len(exponent) - 3  # (the exponent's own positions: b1 stays a letter and its digit)
            out += [src.tok(t.type, str(t), min(max(t.start_pos + shift, start), close),
                            min(max(t.end_pos + shift, start), close), t.info)
                    for t in _lex(src.like("^{-" + exponent + "}"))]
            pos = close
            continue
        elif kind == "negexp":
            sign = "-" if s[1:].lstrip()[:1] in "-−" else ""
            out += _relexed(src, "^{" + sign + s[1:].strip(" \t-−") + "}", start, end)
            continue
        elif kind == "model":
            unit = m.group("unit") or m.group("unitb")
            hat = r"\hat{y}" + (f"_{{{unit}}}" if unit else "")
            out += _relexed(src, hat, start, end)
            continue
        elif kind == "to":
            new = src.tok("HARDSEP", s, start, end, "→")
        elif kind == "tildeapprox":
            out += _relexed(src, "≈", start, end)
            continue
        elif kind in ("defrel", "coloneq", "restate"):
            new = src.tok("REL", s, start, end, "=")
        elif kind == "prosetext":
            new = src.tok("HARDSEP", s, start, end, "text")
        elif kind == "text":
            body = m.group("tbody").strip()
            if not body:
                continue
            close = _remark_end(text, end, _balance(body))
            if close is not None:  # \text{（即 } w_7 \text{，从隐藏神经元 2 到输出神经元 1）}: a remark, set aside
                pos = close
                if _prose_beside(body, text[start:close]):  # …\text{），purelin 的导数 } ḟ = 1: prose goes on
                    out.append(src.tok("HARDSEP", src.text[start:close], start, close, "text"))
                continue
            if s.startswith(("\\texttt", "\\mathtt")) and (code := _CODE_ATTRIBUTE.fullmatch(body.replace("\\_", "_"))):
                # PyTorch's a_O.grad, w5.grad: the name lexed as if written in math, then micrograd's attribute
                typed = src.like(f"{code['base']}_{{{code['sub']}}}" if code["sub"] else code["base"])
                out += [src.tok(t.type, str(t), start, end, t.info) for t in _lex(typed)]
                out += [src.tok("DOT", ".", start, end), src.tok("NAME", code["attr"], start, end, code["attr"])]
                continue
            if s.startswith(("\\texttt", "\\mathtt")) and _PROMPT.fullmatch(body):
                out.append(src.tok("HARDSEP", s, start, end, "text"))  # Mathematica's In[1]:= prompt: not math
                continue
            if s.startswith(("\\texttt", "\\mathtt")) and re.fullmatch(r"-?[0-9]*\.?[0-9]+", body):
                # a calculator's display, \texttt{0.250000} $= \mathrm{In}_{h_1}$: the number it shows
                out += _relexed(src, body, start, end)
                continue
            if s.startswith(("\\texttt", "\\mathtt")) and (code_math := _code_name(body, text, end)) is not None:
                math, pos = code_math
                out += _relexed(src, math, start, pos)
                continue
            if s.startswith(("\\texttt", "\\mathtt")):  # code, np.sum(dZ, axis=1): one name no network knows
                pos = _call_end(text, pos)
                new = src.tok("NAME", text[start:pos], start, pos, body + ("(…)" if text[pos - 1] == ")" else ""))
                out.append(new)
                continue
            if (said := _said_new(body)) is not None:  # w_6^{\text{нов}}: "new" in its language
                out.append(src.tok("TEXTNAME", body, start, end, said))
                continue
            if _script_word(body + text[end:], 0, out) == body:  # E_{\text{总}}: the script's one word
                out.append(src.tok("TEXTNAME", body, start, end, body))
                continue
            word = _TEXT_NAME.fullmatch(body)
            if body in INDEXED_WORDS and _SCRIPT_AFTER.match(text, end):  # Hungarian \text{be}_{h1}: net_h1
                new = src.tok("TEXTNAME", body, start, end, INDEXED_WORDS[body])
            elif word and (body.rstrip("0123456789").lower() not in CONNECTORS
                           or re.fullmatch(r"[A-Za-z][0-9]+", body)) \
                    and not (m.group("tbody")[-1] in " \t" and re.match(r"[ \t]*-?[0-9]", text[end:])):
                # (a program's a1: no article "a"; a word spaced off a number, (\text{was } 0.350819), is prose)
                new = src.tok("TEXTNAME", body, start, end, body)
            elif _SNAKE_NAME.fullmatch(snake := body.replace("\\_", "_")):  # code's transfer\_derivative, l\_rate:
                new = src.tok("TEXTNAME", body, start, end, snake)  # one name (a function a sheet names, a rate)
            elif _WORDS_NAME.fullmatch(body) and not any(w.lower() in CONNECTORS for w in body.split()) and (
                    (out and out[-1].type in ("PLUS", "MINUS", "MUL", "DIV", "REL"))
                    or _OPERATOR_AFTER.match(text, end)):
                # StatQuest's \text{Step Size} = \text{Derivative} \times \text{Learning Rate}: words between
                # operators name one quantity
                new = src.tok("TEXTNAME", body, start, end, "_".join(body.split()))
            else:
                new = src.tok("HARDSEP", s, start, end, "text")
        elif kind == "cmd" and s[1:] in ("underbrace", "overbrace"):
            close = _brace_end(text, end)  # \underbrace{∂y/∂W}_{\text{forward pass}}: the term; its note dropped
            note = _BRACE_NOTE.match(text, close) if close is not None else None
            if note is None:
                raise src.error("note_needed", start, cmd=s)
            note_end = _brace_end(text, note.end())
            if note_end is None:
                raise src.error("note_braced", note.start(), cmd=s)
            assert close is not None  # (a note was found after it)
            notes[close] = note_end
            continue
        elif kind == "cmd":
            name = s[1:]
            if name in ("left", "right") or name in _SIZED:
                if sizer is not None:
                    raise src.error("sizer_twice", start, name=name, previous=sizer[2])
                sizer = (name if name in ("left", "right") else "big", start, name)
                continue
            if name in _IGNORED_CMDS:
                continue
            if name == "dot" and (dotted := _dotted_function(src, start, end)) is not None:
                out += dotted
                pos = dotted[-1].end_pos
                continue
            if name in _CMD_TYPES:
                type_, info = _CMD_TYPES[name]
                if name == "partial" and (ordered := _ORDERED.match(text, end)) is not None:
                    pos = ordered.end()  # Werbos's ordered derivative ∂⁺E/∂z: the total derivative, as ∂ reads
                new = src.tok(type_, s, start, pos, info)
            elif name in _TEXT_COMMANDS and (bare := _BARE_ARGUMENT.match(text, end)) is not None:
                pos = bare.end()  # \mathrm T, \mathsf T: TeX's one-character argument, as \mathrm{T}
                out += _relexed(src, rf"{s}{{{bare[1]}}}", start, pos)
                continue
            elif name in _CMD_HINTS:  # an error of the chain it stands in (the answer's other chains may be read)
                new = src.tok("UNSUPPORTED", s, start, end, _CMD_HINTS[name])
            else:
                raise src.error("unknown_command", start, cmd=s)
        elif kind == "sym" and s == "\\_" and out and out[-1].type == "LETTERS" and out[-1].end_pos == start \
                and len(str(out[-1].info)) > 1 \
                and (word := re.match(r"[A-Za-z]+", text[end:])) is not None:
            # Rashid's W_{input\_hidden}: an escaped underscore joins two words of one subscript
            last = out.pop()
            pos = end + word.end()
            new = src.tok("LETTERS", text[last.start_pos:pos], last.start_pos, pos, f"{last.info}_{word.group()}")
        elif kind == "sym":
            c = s[1]
            if c in ",;!:> \t\n":
                if c in " \t":
                    src.spaces.append(start)
                continue
            if c == "{":
                new = src.tok("LCURLY", s, start, end, "")
            elif c == "}":
                new = src.tok("RCURLY", s, start, end, "")
            elif c in "[]()":
                new = src.tok("MATH", s, start, end, s)
            elif c == "|":
                new = src.tok("NORM", s, start, end, "")
            elif c == "#":  # a blog's (p_3 − y_3)^{\#1}: sample 1 (a superscript's sample mark, see rewrite)
                new = src.tok("HASH", s, start, end, "#")
            elif c == "_" and (joined := _underscored(src, out, end)) is not None:
                new, pos = joined, joined.end_pos  # Fausett's y\_in_k: one name, y_in
                out.pop()
            else:
                raise src.error("unsupported_command", start, cmd=s)
        elif kind == "dollar":
            new = src.tok("MATH", s, start, end, s)
        elif kind == "number":
            new = _lex_number(src, m, out)
            pos = new.end_pos
        elif kind == "leadword" and s not in WORDS and s not in GREEK and s not in FUNCTION_NAMES \
                and (len(s) >= 3 or s in CONNECTORS):
            new = src.tok("HARDSEP", s, start, end, "text")
        elif kind in ("letters", "leadword"):
            new = src.tok("LETTERS", s, start, end, s)
        else:  # a single character
            if s == "&" and in_matrix:
                new = src.tok("MCOL", s, start, end)
            elif s in ("&", "~"):
                continue
            elif s == "." and text.startswith("..", end):
                raise src.error("ellipsis", start)
            elif s == "?" and out and ((out[-1].type == "HARDSEP" and out[-1].info == "prose")
                                       or (out[-1].type == "LETTERS" and str(out[-1]).lower() in TAG_WORDS)):
                new = src.tok("HARDSEP", s, start, end, "prose")  # a sentence's question: "= 0.2469 right?"
                if out[-1].type == "LETTERS":
                    tag = out.pop()
                    out.append(src.tok("HARDSEP", str(tag), tag.start_pos, tag.end_pos, "prose"))
            elif s == "?":  # an error of its chain; "= ?" at a chain's end is a blank the student left (see _blanks)
                new = src.tok("UNSUPPORTED", s, start, end, Phrase("a question mark cannot be checked: write the value",
                                                                "无法检查问号：请写出数值"))
            elif s == "Σ" and (text.startswith(("(", "_"), end) or _SUMMAND.match(text, end)):
                # (plain text's "Error = 1/2 Σ(o - y)^2", "L = -Σ t_k ln P_k": ∑)
                new = src.tok("SUM", s, start, end, "sum")
            elif s in _CHAR_TYPES:
                type_, info = _CHAR_TYPES[s]
                new = src.tok(type_, s, start, end, info)
            elif _is_prose_letter(s) and out and out[-1].type == "COMMA" \
                    and (word := _SCRIPT_WORD.match(text, start)) is not None \
                    and (said := _said_new(word.group(1))) is not None:  # W_{11,\,нов}: "new" after the indices
                pos = start + len(word.group(1))
                new = src.tok("TEXTNAME", word.group(1), start, pos, said)
            elif _is_prose_letter(s) and (script := _script_word(text, start, out)) is not None:
                meaning = _said_new(script) or script
                new, pos = src.tok("TEXTNAME", script, start, start + len(script), meaning), start + len(script)
            elif _ACCENTED_LETTER.match(s) and out and out[-1].type == "LETTERS" and out[-1].end_pos == start \
                    and len(out) > 1 and out[-2].type in ("USCORE", "CARET") \
                    and (word := _LATIN_PROSE_WORD.match(text, out[-1].start_pos)) is not None:
                word_at, pos = out.pop().start_pos, word.end()  # (w_mới: a subscript's word)
                new = src.tok("LETTERS", text[word_at:pos], word_at, pos, text[word_at:pos])
            elif _ACCENTED_LETTER.match(s) and (prose_at := _latin_prose_start(out, start)) is not None \
                    and _latin_prose(text, out, prose_at, pos := _latin_prose_end(text, prose_at)):
                # (Vietnamese "lớp ẩn: ∂Error/∂h1 = …": words of prose)
                if prose_at < start:
                    out.pop()
                if out and out[-1].type == "LPAR" and (text.startswith(")", pos) or ")" in text[prose_at:pos]):
                    prose_at, pos = out.pop().start_pos, pos + (text.startswith(")", pos))  # ("= 0.59 (dương)")
                new = src.tok("HARDSEP", src.text[prose_at:pos], prose_at, pos, "prose")
            elif _is_prose_letter(s) or (not s.isascii() and _is_prose_punct(s) and s not in _CHAR_HINTS):
                pos = _prose_end(text, start)  # (and a sentence opened by its punctuation: LIHKG's "【求救】…")
                if out and out[-1].type == "LPAR" and out[-1].end_pos == start:
                    start, remarks = out.pop().start_pos, remarks + 1  # (a remark's bracket, opened by its words)
                elif remarks and (closing := _CLOSING.match(text, pos)) is not None:
                    pos, remarks = closing.end(), remarks - 1
                new = src.tok("HARDSEP", src.text[start:pos], start, pos, "prose")
            elif s in _CHAR_HINTS:
                new = src.tok("UNSUPPORTED", s, start, end, _CHAR_HINTS[s])
            elif s.isprintable() and not s.isspace():
                raise src.error("unexpected_char_prose" if s.isalpha() else "unexpected_char", start, char=s)
            elif s.isspace():
                continue
            else:
                raise src.error("unexpected_codepoint", start, code=f"{ord(s):04X}")
        if new.type == "BAR" and sizer is None and (card := _CARDINALITY.match(text, start)):
            pos = card.end()  # d2l's |\mathcal{B}|: the number of samples in the batch, one name
            new = src.tok("NAME", src.text[start:pos], start, pos, f"|{card['set']}|")
        elif new.type == "BAR":
            new = _lex_bar(src, new, sizer)
        if sizer is not None:
            which, sstart, command = sizer
            sizer = None
            if new.type == "EVALBAR" or new.type == "UNSUPPORTED":
                out.append(new)
                continue
            if new.type == "DOT" and which in ("left", "right"):
                continue  # \left. and \right.: an invisible delimiter
            if new.type == "DIV" and which == "big":
                out.append(new)  # 1 \big/ (1 + e^{-x}): a sized slash is a slash
                continue
            if new.type not in ("LPAR", "RPAR", "LBRACK", "RBRACK", "LCURLY", "RCURLY", "NORM"):
                raise src.error("sizer_bracket_got", sstart, cmd=command, token=_show(new))
            info = which if which in ("left", "right") else ""
            new = src.tok(new.type, src.text[sstart:end], sstart, end, info)
        out.append(new)
    if sizer is not None:
        raise src.error("sizer_bracket", sizer[1], cmd=sizer[2])
    return out


def _relexed(src: _Source, latex: str, start: int, end: int) -> list[_Tok]:
    """The tokens of `latex`, a construct written anew in LaTeX's words (^{(1)} for a circled ①, \\hat{y} for Murphy's
    f(x; θ)), placed where the construct stood: text[start:end]."""
    return [src.tok(t.type, str(t), start, end, t.info) for t in _lex(src.like(latex))]


def _code_math(base: str, sub: str) -> str:
    return (base if len(base) == 1 else rf"\text{{{base}}}") + (f"_{{{sub}}}" if sub else "")


def _code_name(body: str, text: str, end: int) -> tuple[str, int] | None:
    """numpy's names as math: `dW1` is ∂L/∂W^{[1]} (CS231n's d for the loss's gradient, a digit for the layer),
    `dW1[0, 1]` its entry W^{[1]}_{12} (numpy counts from 0), `dh[0]` ∂L/∂h_1; a blog's `dE_dw5`, `dE_dout_o1` are
    ∂L/∂w_5, ∂L/∂out_{o1}; a name without d is read only with an index (`W1[0, 1]`). Returns the math and where
    the code ends, or None for other code."""
    m = _CODE_GRADIENT.fullmatch(body.replace("\\_", "_"))
    if m is None:
        return None
    if m["of"] is not None:
        top, of = (_code_math(m["top"], m["topsub"]) if m["top"] else "L"), _code_math(m["of"], m["ofsub"])
        return rf"\frac{{\partial {top}}}{{\partial {of}}}", end
    index = _CODE_INDEX.match(text, end)
    base, layer = m["base"], m["layer"]
    if (m["d"] is None and index is None) or base.lower() in CONNECTORS:
        return None
    name = (base if len(base) == 1 else rf"\text{{{base}}}") + (f"^{{[{layer}]}}" if layer else "")
    if index is not None:
        name += "_{" + "".join(str(int(k) + 1) for k in (index["i"], index["j"]) if k is not None) + "}"
    math = rf"\frac{{\partial L}}{{\partial {name}}}" if m["d"] is not None else name
    return math, index.end() if index is not None else end


def _call_end(text: str, pos: int) -> int:
    """Where the bracketed arguments that follow pos end (after their `)`), or pos when none follow."""
    k = pos
    while k < len(text) and text[k] in " \t":
        k += 1
    if k >= len(text) or text[k] != "(":
        return pos
    depth = 0
    for j in range(k, min(len(text), k + 2000)):
        depth += {"(": 1, ")": -1}.get(text[j], 0)
        if depth == 0:
            return j + 1
    return pos


def _brace_end(text: str, pos: int) -> int | None:
    """Just after the group {…} that starts at pos (spaces before it allowed), or None."""
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    if pos >= len(text) or text[pos] != "{":
        return None
    depth = 0
    for k in range(pos, len(text)):
        if text[k] == "\\":
            continue
        if text[k] == "{" and text[k - 1] != "\\":
            depth += 1
        elif text[k] == "}" and text[k - 1] != "\\":
            depth -= 1
            if depth == 0:
                return k + 1
    return None


def _only(text: str, start: int, end: int) -> str:
    """The text with everything outside [start, end) blanked."""
    return _blank(text[:start]) + text[start:end] + _blank(text[end:])


_MATH_BEFORE_CODE = re.compile(r"=[ \t]*(\$)[ \t]*$")
_MATH_AFTER_CODE = re.compile(r"[ \t]*(\$)[ \t]*(=)")


def _unfenced(text: str) -> str:
    """Markdown's fences: a ```math block (GitHub's) is a display, $$ … $$; any other fenced block is code (a REPL's
    session, a program), set aside as blanks, as are LaTeX's code environments (a MATLAB Live Script's matlabcode,
    lstlisting, verbatim); an inline `code` span is what it holds (a formula typed as code). Positions unchanged."""
    if "\\Sexpr" in text:
        text = _SEXPR.sub(lambda m: _blank(m.group()), text)
    if "`" not in text and "\\begin" not in text and ">>=" not in text:
        return text
    chars = list(text)
    for m in _CODE_ENV.finditer(text):  # \begin{matlabcode} … \end{matlabcode}, lstlisting, verbatim: code
        output = printed_output(m)
        chars[m.start():m.end()] = output if output is not None else _blank(m.group())
    knitted = 0  # where the last R chunk's statement ends (knitr's output fence is in it, already read)
    for m in sorted([*_FENCE.finditer(text), *_RNW_CHUNK.finditer(text)], key=lambda m: m.start()):
        if m.start() < knitted:
            continue
        printed = knitr_printed(text, m) or jupyter_printed(text, m)
        if printed is not None:  # an R chunk printing dw5, then knitr's "## [1] 0.08216704": dw5 = 0.08216704
            end, statement = printed
            region = text[m.start():end]
            breaks = region.count("\n")
            if len(statement) + breaks <= len(region):  # (its line breaks kept: the lines after keep their numbers)
                chars[m.start():end] = (statement + "\n" * breaks).ljust(len(region))
                knitted = end
                continue
        lang = "" if m["lang"].lower() in _PLAIN_TEXT else m["lang"]  # (```text: no language, as ``` is)
        run = _RUN_COMMAND.match(text, m.end("open"), m.start("close")) if not lang else None
        if run is not None and _worked_lines(text[run.end():m.start("close")]):
            # (a program's output under the command that ran it, "$ nim c -r bp.nim": its printed lines)
            chars[run.start():run.end()] = _blank(run.group())
        if lang in ("math", "latex", "tex", "katex") or (not lang and _worked_lines(
                text[run.end() if run is not None else m.end("open"):m.start("close")])):
            for gap in _PAIR_GAP.finditer(text, m.end("open"), m.start("close")):
                chars[gap.start()] = ";"  # (a program's pairs side by side, "dh1 = -0.113260  dh2 = -0.121350")
            chars[m.start("open"):m.end("open")] = "$$" + " " * (m.end("open") - m.start("open") - 2)
            chars[m.start("close"):m.end("close")] = "$$" + " " * (m.end("close") - m.start("close") - 2)
        else:  # (a console's session in it: the values it printed)
            if m.group().lstrip().startswith("<<") and (printout := _RNW_OUTPUT.match(text, m.end())):
                chars[printout.start():printout.end()] = _blank(printout.group())  # (a Sweave chunk's output)
            body = text[m.end("open"):m.start("close")]
            session = console_session(body, body.split("\n")) if lang.lower() in ("", "sage", "ipython") \
                else None
            chars[m.start():m.end()] = _commented_math(m.group()) if session is None \
                else _blank(text[m.start():m.end("open")]) + session + _blank(text[m.start("close"):m.end()])
    for m in _CODE_SPAN.finditer("".join(chars)):
        # (a worked line typed as code, Slack's `dError/dw5 = delta_o1*h1 = … = 0.034633`, is math in prose)
        worked = _WORKED_LINE.fullmatch(m.group()[1:-1]) is not None
        chars[m.start()] = chars[m.end() - 1] = "$" if worked else " "
        if worked:
            continue
        before = _MATH_BEFORE_CODE.search("".join(chars[max(0, m.start() - 40):m.start()]))
        after = _MATH_AFTER_CODE.match("".join(chars[m.end():m.end() + 40]))
        if before is not None and after is not None:
            # ("$∂E/∂w_5 = $ `gW2[0, 0]` $= 0.08216704$": the code says where the value was read; the two pieces
            # of math are one equation)
            at = max(0, m.start() - 40) + before.start(1)
            chars[at] = " "
            chars[m.start():m.end()] = _blank(m.group())
            chars[m.end() + after.start(1)] = chars[m.end() + after.start(2)] = " "
    return "".join(chars)


#: a comment of a program's line that works something out ("    # dError/dw5 = delta_o1 * h1 = 0.0616 * 0.5622 =
#: 0.0346", "#       = 0.006160519 - 0.044754325"): its marker and the math after it
_COMMENT_MATH = re.compile(r"(?m)^(?P<lead>[ \t]*)(?P<mark>#|//|--|%|;;)"
                           r"(?P<math>[ \t]*(?:[^\s=#(][^\n=(]*(?:\([^\n=()]*\)[^\n=(]*)*)?=(?!=)[^\n]*[0-9][^\n]*)$")
#: (not a remark whose bracket opens before its "=": "// iteration 2: all six weights (w2 = 0.226989, …)")


def _commented_math(block: str) -> str:
    """A program's fenced block, blanked but for what its comments work out: each run of such comment lines one
    display ($$ where the first one's marker was, $$ at the start of the line after the run), so that a head's
    "= …" lines go on in it (positions unchanged)."""
    chars = list(_blank(block))
    lines = block.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    k = 0
    while k < len(lines):
        first = k
        m = _COMMENT_MATH.fullmatch(lines[k])
        if m is None or (not m["lead"] and len(m["mark"]) == 1 and not m["math"][:1].isspace()):
            k += 1
            continue
        pieces = []
        while k < len(lines) and (c := _COMMENT_MATH.fullmatch(lines[k])) is not None \
                and (k == first or c["math"].lstrip().startswith("=")):
            pieces.append((starts[k] + c.start("math"), c["math"]))
            k += 1
        if k >= len(lines) or len(lines[k]) < 2:
            continue  # (no room for the display's end: the run stays blank)
        for at, math in pieces:
            chars[at:at + len(math)] = math
        mark = starts[first] + m.start("mark")
        opening = mark if len(m["mark"]) == 2 else mark - 1 if m["lead"] else mark
        chars[opening:opening + 2] = ["$", "$"]
        chars[starts[k]:starts[k] + 2] = ["$", "$"]
    return "".join(chars)


#: a line of hand-worked arithmetic typed as plain text: a name, "=", and a number at its end (or before an arrow)
_WORKED_LINE = re.compile(r"[ \t]*[A-Za-z][\w/']*(?:\([\w ]+\))?[ \t]*=[^\n#>\[\]]*?=[ \t]*-?[0-9.]+[ \t]*(?:->.*)?")


#: a line of a hand calculation in a fence: a chain or its continuation, not a prompt's, a comment's nor a program's
#: printed pairs ("h1 = 0.1  h2 = …")
_CHAIN_LINE = re.compile(r"[ \t]*(?:[A-Za-z0-9(∂δΔ.-][^=\n#;:%?>]*?)?=(?!=)"
                         r"(?:(?!=[ \t]*-?[0-9.]+[ \t]+[A-Za-z])[^\n#;:\[\]{}])*")
_ENDS_IN_NUMBER = re.compile(r"=[ \t]*-?[0-9]*\.?[0-9]+[ \t]*$")


#: a weight's new value printed with an arrow, "w5 <- 0.065367" (the update w5 ← w5 − η g5 done)
_ARROW_VALUE = re.compile(r"[ \t]*[A-Za-z][\w']*[ \t]*(?:<-|←)[ \t]*-?[0-9]*\.?[0-9]+[ \t]*")
#: the gap between two values printed side by side, two spaces or more after a number, before "name ="
_PAIR_GAP = re.compile(r"(?<=[0-9])[ \t]{2,}(?=[A-Za-z][\w/]*[ \t]*(?:=|<-|->))")
#: the command line over a program's output in a fenced block, "$ nim c -r --hints:off bp.nim"
_RUN_COMMAND = re.compile(r"(?:[ \t]*\n)*[ \t]*\$[ \t][^\n]*\n")


def _worked_lines(body: str) -> bool:
    """Is a fenced block without a language (Slack's ```) a hand calculation, each line a chain ending in its number
    (In_h1 = w1*x1 + w3*x2 = … = 0.25 -> h1 = sigmoid(0.25) = 0.562177), not a program or a REPL's session?"""
    lines = [line for line in body.splitlines() if line.strip()]
    if lines and all(_WORKED_LINE.fullmatch(line) for line in lines):
        return True
    lines = [piece for line in lines for piece in _PAIR_GAP.split(line)]  # (pairs side by side: each on its own)
    # (or one chain over several lines, each after the first going on with "=": "dE/dw5 = dE/dout_o1 * …" then
    # "       = 0.7414 * 0.1868 * 0.5933 = 0.0822"; and a line of arithmetic ending in its number, or an update's)
    return bool(lines) and not lines[0].lstrip().startswith("=") \
        and all(_CHAIN_LINE.fullmatch(line) or _ARROW_VALUE.fullmatch(line) for line in lines) \
        and all(line.count("=") > 1 or _ENDS_IN_NUMBER.search(line) or _ARROW_VALUE.fullmatch(line)
                or (k + 1 < len(lines) and lines[k + 1].lstrip().startswith("="))
                for k, line in enumerate(lines)) \
        and any(_ENDS_IN_NUMBER.search(line) or _ARROW_VALUE.fullmatch(line) for line in lines)


#: a wxMaxima input cell exported to LaTeX, \texttt{(\%i11) dw5: diff(E, w5);}, and an output's tag \tag{\%o11}
_MAXIMA_INPUT = re.compile(r"\\texttt\{\(\\%i(\d+)\)")
_MAXIMA_OUTPUT = re.compile(r"\\tag\{\\%o(\d+)\}")
#: a Maxima statement that names what it prints: an assignment (dw5: diff(E, w5)), ev(dw5, vals), a name alone
_MAXIMA_NAMED = re.compile(r"\s*(?:([A-Za-z]\w*)\s*:(?!=).*|ev\(\s*([A-Za-z]\w*)\s*,.*|([A-Za-z]\w*)\s*)", re.DOTALL)


def _maxima_cells(text: str) -> str:
    """A wxMaxima session: each statement of an input cell (%i11), ended by ';' (printed) or '$' (not), has its
    own number; the display tagged (%o11) is what statement 11 printed. When that statement names a value (dw5:
    …, ev(dw5, vals), dw5), the cell's text becomes `$\text{dw5} = $`, continued by the display: dw5 = output.
    Positions unchanged."""
    if "\\%o" not in text:
        return text
    printed = {int(m[1]) for m in _MAXIMA_OUTPUT.finditer(text)}
    chars = list(text)
    for m in _MAXIMA_INPUT.finditer(text):
        end = _brace_end(text, m.start() + len("\\texttt"))
        if end is None:
            continue
        body = text[m.end():end - 1]
        statements = re.split(r";|\\\$", body)[:-1]  # (the text after the last terminator is no statement)
        named = [(int(m[1]) + k, found) for k, st in enumerate(statements)
                 if (found := _MAXIMA_NAMED.fullmatch(st.replace("\\", ""))) is not None]
        shown = [next(g for g in found.groups() if g) for n, found in named if n in printed]
        statement = f"$\\text{{{shown[0]}}} = $" if len(shown) == 1 else ""
        if statement and len(statement) <= end - m.start():
            chars[m.start():end] = statement.ljust(end - m.start())
    return "".join(chars)


#: Maple's derivative operator applied to a function, D(Φ)(u1): {\rm D} \left( \Phi \right), then the argument
_MAPLE_D = re.compile(r"\{\\rm[ \t]+D\}[ \t]*\\left\([ \t]*(\\?[A-Za-z]+)[ \t]*\\right\)")


def _maple_derivatives(text: str) -> str:
    r"""Maple's D(Φ)(u1), exported as {\rm D} \left( \Phi \right) \left( u1 \right): the derivative Φ'(u1).
    Positions unchanged (the operator becomes Φ' and spaces)."""
    if "{\\rm" not in text:
        return text
    return _MAPLE_D.sub(lambda m: (m[1] + "'").ljust(len(m.group())), text)


#: a whole line with a relation and no word (letters stand for names only: ∂E/∂w₆ = 0.7414 × 0.1868 ≈ 0.08267)
_PLAIN_MATH_LINE = re.compile(r"(?m)^(?![^\n]*[^\W\d_]{2})(?=[^\n]*[=≈])(?=[^\n]*[0-9])[^\n$\\]+$")


#: a code name at the end of prose, before a piece of math that opens with "=": what that math equals
_CODE_SUBJECT = re.compile(r"\\texttt[ \t]*\{(?:[^{}\\$\n]|\\_)*\}(?:\[[0-9, ]+\])?[ \t]*$")
#: a plain name and "=" before a piece of inline math, at the end of prose: what that math is ("Out_o1 =
#: $\\sigma(-0.0923) = 0.4769$" in a chat)
_PLAIN_SUBJECT = re.compile(r"(?<![^\s:])(?:[^\W\d_]+_\{?[^\W_]+\}?|[^\W\d_][0-9]+|[^\W\d_])[ \t]*=[ \t]*$")
#: a quantity's word at the end of prose, before a piece of inline math that starts with "=": "…，actual $= 1$"
_WORD_SUBJECT = re.compile(r"(?<![^\s:,，：、])(target|Target|actual|Actual|prediction|Prediction|output|Output)"
                           r"[ \t]*$")
#: a result written after a piece of math, outside it, on that line or the next: "$$net_{h1} = … + 0.35$$ → 0.377445",
#: "$a_1 = \tanh(0.27)$ → **0.263625**" (Markdown's bold)
_RESULT_ARROW = re.compile(r"[ \t]*\n?[ \t]*(?P<arrow>→|⟶|⇒|->|=>)[ \t]*(?P<bold>\*\*|__)?"
                           + WRITTEN_NUMBER + r"(?P=bold)?[ \t]*(?=\n|$)")
#: the words between two pieces of inline math that make them one statement: "$A$ is $0.5$", "$A$ equals $0.5$"
_IS = re.compile(r"[ \t]+(?:is|equals|is equal to|ist|est|es|é|è|是|为|=)[ \t]+")


#: a calculator's keystrokes between a formula and the number its display shows: ":\quad \texttt{0.2×0.5+0.5×0.3 =}
#: \quad" (a Casio sheet: the typed line ends in "=")
_KEYSTROKES = re.compile(r"[ \t]*:?(?:\s|\\q?quad|\\[;,]|~)*\\texttt[ \t]*\{(?:[^{}\n]|\{[^{}\n]*\})*=[ \t]*\}"
                         r"(?:\s|\\q?quad|\\[;,]|~)*")


#: a calculator's display: 0.4950001667, -8.421480462\times10^{-3}
_DISPLAYED = re.compile(r"[-−]?[0-9]+(?:\.[0-9]+)?(?:[eE][-−]?[0-9]+"
                        r"|[ \t]*\\times[ \t]*10\^(?:\{[ \t]*[-−]?[0-9]+[ \t]*\}|[0-9]))?")


def _around(spans: list[tuple[int, int]], a: int, b: int) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The pieces of math that end where the stretch [a, b) starts and start where it ends (None: not math)."""
    return next((x for x in spans if x[1] == a), None), next((x for x in spans if x[0] == b), None)


def _keyed(text: str, spans: list[tuple[int, int]], a: int, b: int) -> bool:
    """Is the stretch [a, b) keystrokes ending in "=", after a formula or a name and before a number (the value the
    calculator showed for that formula)?"""
    before, after = _around(spans, a, b)
    if before is None or after is None or not _KEYSTROKES.fullmatch(text, a, b):
        return False
    formula, value = (text[x:y].strip("$").strip() for x, y in (before, after))
    return _DISPLAYED.fullmatch(value) is not None \
        and not re.search(r"\\(?:to|rightarrow|mapsto)\b", formula)


def _joinable(text: str, spans: list[tuple[int, int]], a: int, b: int) -> bool:
    """Are the inline pieces around the stretch [a, b) a name (or a derivative: no operator, no bracket), then a
    number, both in single dollars? ("the inside derivative of $(y - out)$ is $-1$" states no value of a name)"""
    before, after = _around(spans, a, b)
    if before is None or after is None or text.startswith("$$", before[0]) or text.startswith("$$", after[0]):
        return False
    name, value = (text[x:y].strip("$").removeprefix("\\(").removesuffix("\\)").strip() for x, y in (before, after))
    return not re.search(r"[-−+()=≈<>*·×]|\\(?:cdot|times|approx|leftarrow|to)\b", name) \
        and re.fullmatch(r"[-−]?[0-9]+(?:[.,][0-9]+)?(?:[eE][-−]?[0-9]+)?", value) is not None


#: a loss applied to its arguments in square brackets, Efron & Hastie's L[y, f(x; 𝒲)]
_LOSS_BRACKETS = re.compile(r"(?<![A-Za-z\\])(?:[LJ]|\\ell|\\mathcal\{L\})[ \t]*(\[)[^\[\]\n$]*,[^\[\]\n$]*(\])")


def _loss_brackets(text: str) -> str:
    """L[y, ŷ] as L(y, ŷ): the brackets of the loss's arguments, not an index (positions unchanged)."""
    if "[" not in text:
        return text
    chars = list(text)
    for m in _LOSS_BRACKETS.finditer(text):
        chars[m.start(1)], chars[m.start(2)] = "(", ")"
    return "".join(chars)


#: a line that is a remark in brackets with math in it, opened by a few words and a colon: "(calculator again:
#: 〖out〗_o2=0.775284968, I swapped two digits above)", "(σ′ takes the OUTPUT: … → δ_h2=0.008725151)"
_BRACKETED_REMARK = re.compile(r"(?m)^(?P<open>[ \t]*(?:" + answer_word() + r"[ \t]*:[ \t]*)?"  # ("Answer: (redid …:")
                               r"\([ \t]*[^\W\d_][^\n:()=$\\]{0,40}:)(?P<math>[^\n]*=[^\n]*)"
                               r"(?P<close>\)[ \t]*\.?[ \t]*)$"
                               # (or a sentence's bracket in another script that a counter and words open, and one
                               # statement closes: teratail's "（1サンプル目の y1 = 0.350819）")
                               r"|(?P<open2>[(（][ \t]*[0-9]{0,2}" + SCRIPT_LETTER + r"+[ \t]*)"
                               r"(?P<math2>[A-Za-z][A-Za-z0-9_]{0,8}[ \t]*=[ \t]*[-−]?[0-9]*\.?[0-9]+)"
                               r"(?P<close2>[ \t]*[)）])"
                               # (or a line that is a remark in brackets, in another script and with no "=" in it:
                               # KakaoTalk's "[박지훈] [오후 10:25] (ŷ2 는 0.37038 임 지훈아 ㅋㅋ)", a statement in
                               # words, its brackets and the message's header set aside)
                               r"|^(?P<open3>[ \t]*(?:\[[^\]\n]{1,20}\][ \t]*\[[^\]\n]{1,12}\][ \t]*)?[(（])"
                               r"(?P<math3>(?=[^\n()（）]*" + SCRIPT_LETTER + r")[^\n()（）=]*)"
                               r"(?P<close3>[)）][ \t]*)$")


def _bracketed_remarks(text: str) -> str:
    """The words and brackets of a bracketed remark blanked: its math is a line of its own (positions unchanged); a
    rule said in words in brackets ("(new weight = old weight - learning rate * gradient)") blanked whole."""
    if "(" not in text and "（" not in text:
        return text
    text = _WORDED_RULE.sub(lambda m: _blank(m.group()), text)
    return _BRACKETED_REMARK.sub(lambda m: _blank(m["open"] or m["open2"] or m["open3"])
                                 + (m["math"] or m["math2"] or m["math3"])
                                 + _blank(m["close"] or m["close2"] or m["close3"]), text)


#: a rule in words in brackets: phrases of words (one of two words or more) joined by "=" and operators
_PHRASE = r"[ \t]*[A-Za-z]{2,}(?:[ \t]+[A-Za-z]{2,})*[ \t]*"
_WORDED_RULE = re.compile(r"\((?=[^()\n]*[A-Za-z]{2,}[ \t]+[A-Za-z]{2,})(?=[^()\n]*=)" + _PHRASE
                          + r"(?:[=+*/×·-]" + _PHRASE + r")+\)")
#: a piece of inline math that is only a path between two units, "$h_2 \to o_1$": the weight the prose is about
_ROUTE_ALONE = re.compile(r"\s*[A-Za-z]+(?:_\{?[A-Za-z0-9]{1,4}\}?)?\s*(?:\\to|\\rightarrow|→|->)\s*"
                          r"[A-Za-z]+(?:_\{?[A-Za-z0-9]{1,4}\}?)?\s*")
#: the words before a piece of math that say it is wrong, an erratum's "au lieu de $…$, lire $…$", "(et non $0{,}5$)",
#: "instead of $…$": what is corrected, not claimed
_RETRACTED = re.compile(r"(?i:instead[ \t]+of|rather[ \t]+than|and[ \t]+not|au[ \t]+lieu[ \t]+de|et[ \t]+non"
                        r"|statt|anstatt|en[ \t]+lugar[ \t]+de|en[ \t]+vez[ \t]+de|invece[ \t]+di"
                        r"|in[ \t]+plaats[ \t]+van|zamiast)"
                        r"[ \t]*\(?[ \t]*$")
#: a remark in brackets saying what was differentiated, "(derivando $\tfrac12 (out - y)^2$)", "(differentiating
#: $\frac12 e^2$)": the expression the derivative came from, not a value of it
_DIFFERENTIATED = re.compile(r"\([ \t]*(?i:derivando|deriving|differentiating|differentiate|derivative[ \t]+of"
                             r"|derivada[ \t]+de|dérivée[ \t]+de|en[ \t]+dérivant|dérivant|Ableitung[ \t]+von"
                             r"|abgeleitet|derivata[ \t]+di|derivando[ \t]+da|pochodna)[ \t:]*$")
#: a piece of inline math that is only an operator's sign, which the prose around it talks about
_SIGN_ALONE = re.compile(r"\s*(?:[-+−=×·*/<>]|\\(?:times|cdot|pm|mp|div))\s*")


#: an e-mail's or a Usenet post's header lines (From:, Newsgroups:, Subject:, Message-ID: …), a reply's attribution
#: ("In article <4i8q2f$abc@news.example.edu>, student writes:", "On Tue, … Ann wrote:") and its signature's "-- "
_MAIL_LINE = re.compile(r"(?m)^(?:(?:From|To|Cc|Newsgroups|Subject|Date|Message-ID|References|Organization|Lines|Path"
                        r"|Reply-To|Followup-To|Sender|In-Reply-To|NNTP-Posting-Host|X-[A-Za-z-]+):[ \t][^\n]*"
                        r"|(?:In article|On)[ \t][^\n]*(?:writes|wrote|a écrit|schrieb)[ \t]*:[ \t]*"
                        r"|--[ \t]?(?=\n|$))$")


#: a forum's quoted reply, "> **Mathurin a écrit :** $σ′(net_O) = 1 − out_O²$": the attribution and the quoted lines
#: after it (another's words, answered: not the writer's claims)
_QUOTED_REPLY = re.compile(r"(?m)^[ \t]*>(?!>)[^\n]*?(?:wrote|writes|a écrit|schrieb|escribió|ha scritto|написал|写道"
                           r"|寫道|said)[ \t]*(?::|：|\\?\}|\*\*)[^\n]*(?:\n[ \t]*>(?!>)[^\n]*)*")

#: a forum post quoting another copied as text, its quote box's header on a line of its own, "lucaB_92 ha scritto:",
#: and the quoted line under it (phpBB, without a "> " mark): another's words, answered
_QUOTED_POST = re.compile(r"(?m)^[ \t]*[^\s>$\\][^\n$\\]{0,40}?[ \t](?:wrote|ha scritto|a écrit|schrieb|escribió"
                          r"|escreveu|napisał|napisała|написал|написала|写道|寫道)[ \t]*[:：][ \t]*\n[^\n]*")
#: a Zoom meeting's saved chat: a message's header, "18:05:12 From  Ana  to  Everyone:" (Spanish "De … a Todos:",
#: "(Direct Message)"), and a reply's or a reaction's quotation of another message, cut short ('Replying to
#: "dE/dw5 = 2*(out_O - t..."', 'Reacted to "…" with 👍'): not the writer's claims
_ZOOM_LINE = re.compile(r"(?m)^[ \t]*[0-9]{1,2}:[0-9]{2}:[0-9]{2}[ \t]+(?:From|De|Von|Da|Van|Från|Fra)[ \t]+"
                        r"[^\n]{1,60}?"
                        r"[ \t]+(?i:to|a|an|à|para|aan|till|til)[ \t]+[^\n]{1,60}?:[ \t]*$"
                        r"|(?:Replying to|Respondiendo a|Antwort auf|En réponse à|In risposta a|Respondendo a"
                        r"|Reacted to|Reaccionó a|Hat auf|A réagi à|Ha reagito a|Reagiu a)[ \t]+\"[^\"\n]*\""
                        r"(?:[ \t]+(?:with|con|mit|avec|com)[ \t]+[^\s:]+(?:[ \t]+reagiert)?)?")

#: a subtitle file's cue (SubRip's .srt, WebVTT): its number, its timing line "00:06:35,600 --> 00:06:41,880", the
#: WEBVTT header — what a video's captions frame the words with
_SUBTITLE_CUE = re.compile(r"(?m)^[ \t]*(?:[0-9]{1,5}[ \t]*\n[ \t]*)?(?:[0-9]{1,2}:)?[0-9]{2}:[0-9]{2}[,.][0-9]{3}"
                           r"[ \t]*-->[ \t]*(?:[0-9]{1,2}:)?[0-9]{2}:[0-9]{2}[,.][0-9]{3}[^\n]*$|^WEBVTT[^\n]*$")


def _mail_blanked(text: str) -> str:
    """The header, the attribution and the signature marker of a post or a mail, a chat's and a subtitle file's
    frame, blanked (positions unchanged)."""
    if ":" not in text and "--" not in text:
        return text
    text = _MAIL_LINE.sub(lambda m: _blank(m.group()), text)
    text = _QUOTED_REPLY.sub(lambda m: _blank(m.group()), text)
    text = _QUOTED_POST.sub(lambda m: _blank(m.group()), text)
    text = _ZOOM_LINE.sub(lambda m: _blank(m.group()), text)
    if "-->" in text:
        text = _SUBTITLE_CUE.sub(lambda m: _blank(m.group()), text)
    signature = re.search(r"(?m)^--[ \t]?$", text)  # (the signature after "-- ": a BBS's footer, a mail's)
    return text if signature is None else text[:signature.start()] + _blank(text[signature.start():])


def _prose_blanked(text: str) -> str:
    """Markdown, a Jupyter cell: prose with $…$, $$…$$ or display environments in it. The prose and the dollar
    signs become spaces, a stretch of prose within a line a line break (positions unchanged), so that each piece
    of math is a line of its own (one starting with '=' continues the one before); text with no prose outside its
    math is returned as it is (its Markdown fences read: _unfenced)."""
    text = _maple_derivatives(_maxima_cells(console_blocks(_unfenced(_bracketed_remarks(_loss_brackets(
        _mail_blanked(program_listing(text))))))))
    prose = [(m.end(), _brace_end(text, m.end()) or m.end()) for m in _PROSE_COMMAND.finditer(text)]
    inline = [m.span() for m in _MATH_SPAN.finditer(text)
              if not any(a <= m.start() < b for a, b in prose)  # (\intertext{where $x = 1$} is LaTeX's own)
              and not _SIGN_ALONE.fullmatch(m.group().strip("$"))  # ("$-$ is the right sign": a sign named)
              and not _ROUTE_ALONE.fullmatch(m.group().strip("$"))  # ("($h_2 \to o_1$)": a weight's path named)
              and not _RETRACTED.search(text, max(0, m.start() - 40), m.start())  # ("au lieu de $\hat y = 0{,}181$")
              and not (_DIFFERENTIATED.search(text, max(0, m.start() - 40), m.start())
                       and re.match(r"[ \t]*\)", text[m.end():]) and not re.search("[=≈]", m.group()))]
    if not inline:
        return text
    displays = [m.span() for m in _DISPLAY.finditer(text)]  # \begin{align} … \end{align}, \[ … \]: math too
    inline = [x for x in inline if not any(a <= x[0] < b for a, b in displays)]
    joins, muted = _table_rows(text, inline)
    inline = [x for x in inline if x not in muted]
    displays = [x for x in displays if not any(a <= x[0] < b for a, b in inline)]  # (a bmatrix inside $$ … $$)
    spans = sorted([*inline, *displays])
    outside = [(end, start) for (_, end), (start, _) in zip([(0, 0), *spans], [*spans, (len(text), len(text))],
                                                            strict=True)]
    arrows = [m for a, b in outside[1:] if (m := _RESULT_ARROW.match(text, a, b)) is not None]
    for m in arrows:  # the arrow says "=": "… + 0.35 = 0.377445", the line going on (or, on the next, continued)
        text = text[:m.start("arrow")] + "=".ljust(len(m["arrow"])) + text[m.end("arrow"):]
    results = [m.span() for m in arrows]
    for a, b in outside:
        if _ARROW_ONLY.fullmatch(text, a, b) and (arrow := re.search("[→⟶⇒]", text[a:b])) is not None:
            text = text[:a] + _blank(text[a:b]) + text[b:]  # (a line of its own, ending the math before)
            if "\n" not in text[a:b]:
                text = text[:a + arrow.start()] + "\n" + text[a + arrow.end():]
    if not arrows and not any(PROSE_WORD.search(text, a, b) for a, b in outside) and (
            not all(_BULLETS_ONLY.fullmatch(text, a, b) for a, b in outside)
            or not any(text[a:b].strip() for a, b in outside)):
        return text  # (pieces of math with nothing but a list's bullets around them are lines of their own)
    chars = list(text)
    for a, b in outside:
        chars[a:b] = _blank(text[a:b])
        if b > a and "\n" not in text[a:b]:
            chars[a] = "\n"
        if (_IS.fullmatch(text, a, b) and _joinable(text, spans, a, b)) or _keyed(text, spans, a, b):
            chars[a:b] = list(" = ".center(b - a))  # "$∂E/∂out_{o2}$ is $-0.217072$": ∂E/∂out_{o2} = −0.217072
        subject = _CODE_SUBJECT.search(text, a, b)
        if subject is not None and b < len(text) and text[b:].lstrip("$ \t").startswith("="):
            # "\texttt{hidden\_deltas[0]} $= 0.562 × …$": the code name is what the math after it equals (not the
            # math before the prose going on)
            chars[subject.start():subject.end()] = list(subject.group())
        plain = _PLAIN_SUBJECT.search(text, a, b)
        if plain is not None and (a, b) != outside[-1] and text[b:].lstrip("$ \t")[:1] not in ("=", "≈", ""):
            chars[plain.start():plain.end()] = list(plain.group())
        word = _WORD_SUBJECT.search(text, a, b)
        if word is not None and (a, b) != outside[-1] and text[b:].lstrip("$ \t")[:1] == "=":
            chars[word.start(1):word.end(1)] = list(word[1])  # ("，actual $= 1$": the quantity the prose names)
        for line in _PLAIN_MATH_LINE.finditer(text, a, b):  # a thread's "w₆⁺ = 0.45 − 0.5 × 0.08267 ≈ 0.4087"
            if line.end() < b or b == len(text):  # between $…$ pieces: math typed without dollars, kept
                chars[line.start():line.end()] = list(line.group())
    for a, b in results:
        chars[a:b] = list(text[a:b].replace("*", " ").replace("_", " "))
    for a, b in joins:
        chars[text.index("&", a, b)] = "="
    for a, b in inline:
        d = 1 if text.startswith("$", a) and not text.startswith("$$", a) else 2
        chars[a:a + d] = [" "] * d
        chars[b - d:b] = [" "] * d
        if text[a + d:b].lstrip().startswith("+") and any(PROSE_WORD.search(text, x, y) for x, y in outside if y == a):
            chars[a] = ";"  # "… sit on a constant $+1$ input": a sign after a sentence, not the math before going on
    return "".join(chars)


def _table_rows(text: str, inline: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    r"""A table in prose, row by row: `H4 ($In_{h_2}$) & \texttt{=E3*B2+E5*B3} & $-0.02$ \\` says that the quantity
    of its one math cell before is the number of its one after: the stretch between them, where an `=` is
    written (first list). A row of more math cells (a header of names, a row of several values) says no equation
    we can pair: its cells are prose (second list); a row's one math cell is a line of its own."""
    joins, muted = [], []
    for table in _TABLE.finditer(text):
        for row in _TABLE_ROW.finditer(text, table.start(), table.end()):
            cells = [x for x in inline if row.start() <= x[0] < row.end()]
            if len(cells) == 2 and "&" in text[cells[0][1]:cells[1][0]]:
                joins.append((cells[0][1], cells[1][0]))
            elif len(cells) > 1:
                muted += cells
    return joins, muted


def _dotted_function(src: _Source, start: int, end: int) -> list[_Tok] | None:
    r"""Hagan's \dot{f}^m(n^m): the derivative of layer m's transfer function, lexed as f' with the layer m in the
    prime's info ("'2", "'m"). A \dot on anything else (\dot{\mathbf{F}}, Hagan's matrix of derivatives) stays
    unsupported, and so does a superscript that is not one digit or letter (it could be a power)."""
    m = _DOTTED.match(src.norm, end)
    if m is None or (m["script"] is None and src.norm[m.end():].lstrip(" \t").startswith("^")):
        return None
    function = m["braced"] or m["bare"]
    layer = m["layer"] or m["layer1"] or ""
    name_end = m.start("script") if m["script"] is not None else m.end()
    name = src.tok("NAME", src.text[start:name_end], start, name_end, function[1:]) if function.startswith("\\") \
        else src.tok("LETTERS", function, start, name_end, function)
    return [name, src.tok("PRIME", src.text[name_end:m.end()], name_end, m.end(), "'" + layer)]


def _balance(prose: str) -> int:
    return sum(prose.count(c) for c in "(（") - sum(prose.count(c) for c in ")）")


def _prose_beside(first: str, remark: str) -> bool:
    r"""Does the prose that opens or closes a remark say more than the remark: words before its bracket
    (\text{so (i.e. }) or after the bracket that closes it (\text{), the derivative }). Then the remark stands
    between two statements, which it separates, as any prose does: F = ½(t − a)² \text{（…），导数 } ḟ(n) = 1 is
    two chains, not one (F would be defined by the 1 of the other)."""
    pieces = _PROSE.findall(remark)
    before = re.split(r"[(（]", first, maxsplit=1)[0]
    after = re.split(r"[)）]", pieces[-1])[-1] if pieces else ""
    return bool(before.strip() or after.strip())


def _remark_end(text: str, pos: int, opened: int) -> int | None:
    r"""Where a bracket opened in prose (\text{(i.e. }) is closed by later prose on its line, or by the math's own
    bracket after it (\text{Nzọụkwụ 5 (ọnụego mmụta } \\eta = 0.5)), or None."""
    if opened <= 0:
        return None
    line_end = text.find("\n", pos)
    line_end = len(text) if line_end < 0 else line_end
    depth = opened
    for m in _PROSE.finditer(text, pos, line_end):
        opened += _balance(m.group(1))
        if opened <= 0:
            return m.end()
    for k in range(pos, line_end):
        depth += (text[k] == "(") - (text[k] == ")")
        if depth <= 0:
            return k + 1
    return None


def _said_new(word: str) -> str | None:
    """ "new" or "old" for a word that says either in its language (нов, baru, ใหม่; alt, eski), else None."""
    lowered = word.lower()
    return "new" if lowered in NEW_WORDS else "old" if lowered in OLD_WORDS else None


def _script_word(text: str, start: int, before: list[_Tok]) -> str | None:
    """E_{总}, E_{\text{总}}: a word of prose letters (CJK …) that is the whole of a subscript is its text; so is a
    word for "new" or "old" that is a whole superscript (Tajik w_6^{нав})."""
    if before and before[-1].type in ("USCORE", "CARET") and (m := _SCRIPT_RUN.match(text, start)) is not None \
            and m.group().lower() in NEW_WORDS | OLD_WORDS:
        return m.group()  # (Pantip's w1_ใหม่: "new" as a subscript without braces)
    if len(before) < 2 or before[-1].type not in ("LCURLY", "LBRACE") or before[-2].type not in ("USCORE", "CARET"):
        return None
    m = _SCRIPT_WORD.match(text, start)
    if m is None or (before[-2].type == "CARET" and m.group(1).lower() not in NEW_WORDS | OLD_WORDS):
        return None
    return m.group(1)


def _lex_number(src: _Source, m: re.Match[str], before: list[_Tok]) -> _Tok:
    """A number; `8.77e-3` is one number unless TeX gives its first digit to what stands before (`w1e-3`, `x^1e2`,
    `\\frac1e2`, `w_1e-3`): then the exponent is left to be read as e - 3. info: the literal, normalized."""
    start, mant_end = m.start(), m.end("number")
    exp_text = m.group("nexp")
    if exp_text is not None:
        mant_end = m.start("nexp")
        prev = before[-1] if before else None
        if prev is not None and (prev.type in ("CARET", "USCORE", "FRAC", "SQRT")
                                 or (prev.type in ("LETTERS", "NAME", "TEXTNAME") and prev.end_pos == start)):
            exp_text = None
    if exp_text is None and (comma := decimal_comma(src.norm, start)) is not None and comma.end() > mant_end:
        mant_end = comma.end()  # 0,593: a bare decimal comma
    written = src.norm[start:mant_end]
    mantissa = written.replace("{,}", ".").replace(",", ".")  # 0{,}5, 0,5: a decimal comma
    digits = len(mantissa) - ("." in mantissa)
    if digits > MAX_NUMBER_DIGITS:
        raise Refused.of("number_digits", limit=MAX_NUMBER_DIGITS, **src.at(start))
    if exp_text is None:
        return src.tok("NUMBER", written, start, mant_end, mantissa)
    exponent = int(re.sub(r"\\mathrm|[\s{}eE]", "", exp_text).replace("−", "-"))  # 8.77e-3, 9.9E−4, …\mathrm{e}{-1}
    if abs(exponent) > MAX_EXPONENT:
        raise Refused.of("exponent_too_large", limit=MAX_EXPONENT, **src.at(start))
    return src.tok("NUMBER", src.norm[start:m.end()], start, m.end(), f"{mantissa}e{exponent}")


def _after_left_dot(text: str, end: int) -> bool:
    """Is the last \\left before `end` (with no \\right after it) a \\left. — the empty side of an evaluation bar?"""
    left, right = text.rfind("\\left", 0, end), text.rfind("\\right", 0, end)
    return left > right and text[left + 5:end].lstrip(" \t").startswith(".")


def _lex_bar(src: _Source, bar: _Tok, sizer: tuple[str, int, str] | None) -> _Tok:
    """`|`, `\\right|`, `\\Big|`, `\\vert` followed by a script is an evaluation bar (dropped with its scripts by
    _tidy); any other bar is an absolute value, which we cannot read."""
    if _SCRIPT_NEXT.match(src.norm, bar.end_pos) and (sizer is None or sizer[0] != "left"):
        start = bar.start_pos if sizer is None else sizer[1]
        return src.tok("EVALBAR", src.text[start:bar.end_pos], start, bar.end_pos, "")
    if str(bar) == r"\mid" and sizer is None:  # E(w \mid X), p(y \mid x): the condition of a function's arguments
        return src.tok("HARDSEP", str(bar), bar.start_pos, bar.end_pos, "mid")
    if sizer is not None and sizer[0] == "right" and _after_left_dot(src.norm, sizer[1]):
        # \left.\frac{∂E}{∂W}\right| with no point under it: evaluated where the network is (dropped by _tidy)
        return src.tok("EVALBAR", src.text[sizer[1]:bar.end_pos], sizer[1], bar.end_pos, "")
    if str(bar) in (r"\lvert", r"\rvert"):  # (amsmath's own bars of an absolute value, opening and closing)
        return src.tok("NORM", str(bar), bar.start_pos, bar.end_pos, "left" if str(bar) == r"\lvert" else "right")
    if sizer is not None and sizer[0] in ("left", "right") and str(bar) in ("|", r"\vert"):
        # \left| ∂E/∂w_1 \right|: an absolute value (w − η|g|, a gradient's sign dropped), read as a norm's bars
        return src.tok("NORM", str(bar), bar.start_pos, bar.end_pos, sizer[0])
    if sizer is None and str(bar) == "|" and (side := _abs_side(src.norm, bar.start_pos)) is not None:
        return src.tok("NORM", str(bar), bar.start_pos, bar.end_pos, side)
    if sizer is not None and sizer[0] != "big":
        raise src.error("absolute_sizer", sizer[1], cmd=sizer[2], bar=bar)
    raise src.error("absolute", bar.start_pos)


#: what a plain |…| holds as an absolute value: one term written tight against its bars, no relation in it
_ABS_BODY = re.compile(r"[^\s|=<>≈\n](?:[^|=<>≈\n]{0,58}[^\s|=<>≈\n])?")


def _abs_side(text: str, at: int) -> str | None:
    """Is the bar at `at` one side of |∂E/∂w7| ("left" or "right"), the other bar on its line with one term
    between them written tight against both (not a table's "| w5 | 0.4 |", nor p(y | x))?"""
    after = _ABS_BODY.match(text, at + 1)
    if after is not None and text.startswith("|", after.end()) and not text[at + 1:after.end()].count("|"):
        return "left"
    line_start = text.rfind("\n", 0, at) + 1
    opening = text.rfind("|", line_start, at)
    if opening >= 0 and (body := _ABS_BODY.fullmatch(text, opening + 1, at)) is not None and body.end() == at:
        return "right"
    return None


_UNDERSCORED = re.compile(r"[A-Za-z]+")


def _underscored(src: _Source, before: list[_Tok], pos: int) -> _Tok | None:
    r"""`y\_in`, `\delta\_in`: a letter (or a Greek letter's command) joined by a text underscore to a word right
    after it is one name, as Fausett writes the net inputs y_in_k, z_in_j (the `_` is printed, not a subscript)."""
    prev = before[-1] if before else None
    word = _UNDERSCORED.match(src.norm, pos)
    if prev is None or word is None or prev.end_pos != pos - 2 or not (
            (prev.type == "LETTERS" and len(str(prev.info)) == 1) or (prev.type == "NAME" and str(prev) != "ℓ")):
        return None
    name = f"{prev.info}_{word.group()}"
    return src.tok("TEXTNAME", src.text[prev.start_pos:word.end()], prev.start_pos, word.end(), name)
