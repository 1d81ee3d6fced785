"""Math typed in an office suite's own linear format, as LaTeX for the reader: UnicodeMath (the linear format of Word's
and OneNote's equations, copied out as text) and StarMath (the source of a LibreOffice Math object); and a wiki's
page source, MediaWiki's markup around <math> tags (and Confluence's macros, AsciiDoc's stem blocks, Habr's $inline$
markers). Each is recognised by marks only it leaves; the reader then reads the result as any LaTeX (positions are
its own; the wiki's are kept, its markup blanked)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from .annotations import annotation_comments, is_annotation_export
from .cards import cards, is_cards, is_rem_cards, rem_cards
from .cells import cell_listing, is_cell_listing, is_percent_cells, percent_cells
from .choices import chosen_options
from .codesys import is_structured_text, structured_text
from .doxygen import doxygen, is_doxygen
from .erlang import erlang_shell, is_erlang_shell
from .forms import form_response, is_form_response
from .forth import forth, is_forth
from .fricas import fricas, is_fricas
from .gradescope import is_results_json, results_json
from .graphviz import graphviz, is_graphviz
from .gretl import gretl, is_gretl
from .history import calculator_history_text, is_calculator_history
from .hwp import hwp, is_hwp
from .ipynb import ipynb, is_ipynb
from .layers import is_layer_args, layer_args
from .mathematica import is_mathematica, mathematica
from .mathspeak import is_mathspeak, mathspeak
from .mattermost import is_mattermost, mattermost
from .minitab import is_minitab, minitab
from .mobius import is_mobius, mobius
from .mupad import is_mupad, mupad
from .numbered import is_numbered_listing, numbered_listing
from .outline import is_outline, outline
from .photomath import is_photomath, photomath
from .php import is_php, php
from .plaintex import is_plain_tex, plain_tex
from .powershell import is_powershell, powershell
from .prairielearn import is_prairielearn, prairielearn
from .prolog import is_prolog_answers, prolog_answers
from .proofs import is_two_column, two_column
from .provers import is_prover_script, prover_script
from .psql import is_psql, psql
from .qalc import is_qalc, qalc
from .reduce import is_reduce, reduce_session
from .review import is_review, review
from .revisions import accepted, has_revisions
from .smalltalk import is_smalltalk, smalltalk
from .smath import is_smath, smath
from .spoken import is_spoken, spoken
from .spreadsheet import spreadsheet_rows
from .spss import is_spss, spss
from .texmacs import is_texmacs, texmacs
from .tokens import _blank, group_end
from .typst import is_typst, typst
from .vocabulary import GREEK
from .whiteboard import is_whiteboard, whiteboard
from .xcas import is_xcas, xcas

#: the marks only UnicodeMath leaves in copied text: its invisible brackets 〖…〗 and the n-ary operand mark ▒
_UNICODE_MATH = re.compile("[〖〗▒]")
_UNICODE_SCRIPT = re.compile(r"([_^])(?:([A-Za-z0-9]+)|\((?P<group>[^()\n]*(?:\([^()\n]*\)[^()\n]*)*)\)|(′))")

#: the marks only StarMath's words for operators and brackets leave (%sigma, {a} over {b}, left( … right), func e,
#: cdot): text with one of them, and with no backslash, is a formula object's source
#: StarMath's marks (not a Swift or Go function's header, "func softmax2(_ z: [Double]) -> [Double] {")
_STARMATH = re.compile(r"%(?:" + "|".join(sorted(GREEK)) + r")(?![a-z])|\}\s*over\s*\{|(?<![\w\\])"
                       r"(?:func\s+[a-z](?![^\n]*(?:->|\{[ \t]*$))|cdot"
                       r"(?!\w)|left\s*[(\[][^\n]*(?<![\w\\])right\s*[)\]])")
_STARMATH_WORDS = {"cdot": r"\cdot", "times": r"\times", "partial": r"\partial", "approx": r"\approx",
                   "toward": r"\to", "leftarrow": r"\leftarrow", "sum": r"\sum", "sqrt": r"\sqrt", "exp": r"\exp",
                   "ln": r"\ln", "log": r"\log", "tanh": r"\tanh", "dotsaxis": r"\cdots",
                   "dotslow": r"\ldots", "newline": r"\\", "func": "", "bold": "", "ital": "", "nitalic": "",
                   "nbold": ""}
_STARMATH_TOKEN = re.compile(r'"(?P<quoted>[^"\n]*)"|%(?P<greek>[A-Za-z]+)|(?P<size>size\s+\d+)'
                             r"|(?P<left>left|right)\s*(?P<bracket>[()\[\]|]|lbrace|rbrace)"
                             r"|(?<![\w\\])(?P<word>[A-Za-z]+)(?!\w)|(?P<tilde>[~`]+)")

_OVER = re.compile(r"(?<![\w\\])over(?!\w)")
#: what a StarMath fraction's operand is when not a {…} group: one word, number or command, with its subscript
_OPERAND = re.compile(r"(?:\\?[A-Za-z]+|[0-9.]+)(?:_\{[^{}\n]*\}|_[A-Za-z0-9]+)?")
_OPERAND_BEFORE = re.compile(_OPERAND.pattern + "$")


#: MediaWiki's marks around its math: <math> tags (display="block" a display), footnotes, templates, links (their
#: shown text kept), headings' = runs, indentation colons, bold and italic quotes
_WIKI = re.compile(r"""(?P<open><math(?P<block>[ \t]+display[ \t]*=[ \t]*["']?block["']?)?[^<>\n]*>)
    |(?P<close></math[ \t]*>)
    |(?P<blank><ref(?:[ \t][^<>\n]*)?/>|<ref(?:[ \t][^<>\n]*)?>.*?</ref[ \t]*>|\{\{[^{}\n]*\}\}|'{2,5}
        |(?<![^\n])(?:=+(?=[^=\n]*=+[ \t]*$)|:+|\*+(?=[ \t]))|=+[ \t]*$)
    |\[\[(?:[^\[\]|\n]*\|)?(?P<shown>[^\[\]|\n]*)\]\]""", re.VERBOSE | re.MULTILINE | re.DOTALL)


def _wiki(text: str) -> str:
    block: list[bool] = []

    def blank(m: re.Match[str]) -> str:
        s = m.group()
        if m["open"]:
            block.append(bool(m["block"]))
            mark = "$$" if block[-1] else "$"
            return mark + " " * (len(s) - len(mark))
        if m["close"]:
            mark = "$$" if block and block.pop() else "$"
            return " " * (len(s) - len(mark)) + mark
        if m["shown"] is not None:
            return " " * (len(s) - len(m["shown"]) - 2) + m["shown"] + "  "
        return _blank(s)
    return _WIKI.sub(blank, text)


#: a forum's tags around its math: Brainly's and phpBB's [tex]…[/tex], [math]…[/math], [latex]…[/latex]
_FORUM_TAG = re.compile(r"\[(?P<close>/)?(?:tex|math|latex)\]", re.IGNORECASE)


def _forum_tags(text: str) -> str:
    """[tex] … [/tex] as $ … $ (positions unchanged); tags around math already in dollars, dxdy's "[math]$i_1 =
    0{,}05$[/math]", blank."""
    def mark(m: re.Match[str]) -> str:
        pad = " " * (len(m.group()) - 1)
        after = text[m.end():m.end() + 1] if not m["close"] else text[m.start() - 1:m.start()]
        if after == "$":
            return pad + " "
        return pad + "$" if m["close"] else "$" + pad
    return _FORUM_TAG.sub(mark, text)


#: a forum's BBCode (phpBB, AoPS): a quoted post, [quote="name"]…[/quote], is another's claim; the marks of style
#: around the writer's own text, [b](c)[/b], [i]…[/i], [color=red]…[/color], say nothing
_BB_QUOTE = re.compile(r"\[quote(?:=[^\]\n]*)?\].*?\[/quote\]", re.DOTALL | re.IGNORECASE)
_BB_STYLE = re.compile(r"\[/?(?:b|i|u|s|color|size|font|center|hide)(?:=[^\]\n]*)?\]", re.IGNORECASE)


def _bbcode(text: str) -> str:
    """The BBCode's quotes and style marks blank (positions unchanged)."""
    text = _BB_QUOTE.sub(lambda m: _blank(m.group()), text)
    return _BB_STYLE.sub(lambda m: _blank(m.group()), text)


#: AsciiDoc's math: inline stem:[…]/latexmath:[…] (a `]` in it escaped as `\]`), a [stem] block between ++++ lines;
#: its marks around the prose: //-comments, = titles, :attribute: lines, .Block titles, the [stem] line itself
_ADOC_INLINE = re.compile(r"(?:stem|latexmath):\[(?P<math>(?:\\.|[^\]\\\n])*)\]")
_ADOC_LINE = re.compile(r"^(?P<blank>//[^\n]*|=+[ \t](?=\S)|:[\w-]+:[^\n]*|\[(?:stem|latexmath)\][ \t]*|\.(?=[A-Za-z])"
                        r"|(?:NOTE|TIP|IMPORTANT|WARNING|CAUTION):(?=[ \t]))|^(?P<fence>\+{4,})[ \t]*$", re.MULTILINE)


def _asciidoc(text: str) -> str:
    """AsciiDoc as LaTeX in $…$ (positions unchanged): a ++++ block that follows a [stem] line is display math (the
    fences open and close it in turn), stem:[…] inline math, the markup around them blanks."""
    fences = 0

    def line(m: re.Match[str]) -> str:
        nonlocal fences
        s = m.group()
        if m["fence"] is None:
            return " " * len(s)
        fences += 1
        return "$$" + " " * (len(s) - 2) if fences % 2 else " " * (len(s) - 2) + "$$"

    def inline(m: re.Match[str]) -> str:
        math = m["math"].replace("\\]", " ]")
        return "$" + " " * (m.start("math") - m.start() - 1) + math + "$"
    return _ADOC_LINE.sub(line, _ADOC_INLINE.sub(inline, text))


#: Confluence wiki markup: the LaTeX macros' tags (each opens and closes), panels, h1. headings, emoticon icons
_CONFLUENCE = re.compile(r"\{(?P<math>mathinline|mathblock|mathdisplay|latex)(?::[^{}\n]*)?\}"
                         r"|(?P<blank>\{(?:info|note|warning|tip|panel|expand)(?::[^{}\n]*)?\}|^h[1-6]\.(?=[ \t])"
                         r"|\([/x!?i]\)|\([*+-]\))", re.MULTILINE)


def _confluence(text: str) -> str:
    """Confluence's macros as $ (inline) and $$ (block), in turn opening and closing; its markup blanked."""
    open_: dict[str, bool] = {}

    def mark(m: re.Match[str]) -> str:
        s = m.group()
        if m["math"] is None:
            return " " * len(s)
        name = m["math"]
        open_[name] = not open_.get(name, False)
        sign = "$" if name == "mathinline" else "$$"
        return sign + " " * (len(s) - len(sign)) if open_[name] else " " * (len(s) - len(sign)) + sign
    return _CONFLUENCE.sub(mark, text)


#: Habr's formula markup: $inline$…$inline$ and $$display$$…$$display$$ around the LaTeX
_HABR = re.compile(r"\$\$display\$\$|\$inline\$")


def _habr(text: str) -> str:
    """Habr's markers as $ and $$ (positions unchanged)."""
    return _HABR.sub(lambda m: (m.group()[:2] if m.group().startswith("$$") else "$").ljust(len(m.group())), text)


#: ConTeXt's marks: its display formulas (\startformula … \stopformula), inline \m{…}, an alignment's cells (\NC)
#: and rows (\NR), and the layout around them (\starttext, \startsection[title={…}], \placeformula[…], \item)
_CONTEXT = re.compile(r"\\(?P<display>start|stop)formula(?![A-Za-z])(?:\[[^\]\n]*\])?|\\m\{|\\NR(?![A-Za-z])"
                      r"|(?P<blank>\\NC(?![A-Za-z])|\\(?:start|stop)(?:text|align|section|subsection|chapter|subject"
                      r"|itemize|component|product)(?![A-Za-z])(?:\[(?:[^\[\]{}\n]|\{[^{}\n]*\})*\])?"
                      r"|\\placeformula(?:\[[^\]\n]*\])?|\\item(?![A-Za-z]))")


def _context(text: str) -> str:
    r"""ConTeXt as LaTeX in $…$ (positions unchanged): a formula's start and stop as $$, \m{…} as $…$, \NR as a
    line's break, the layout blanked."""
    chars = list(text)
    for m in _CONTEXT.finditer(text):
        a, b = m.span()
        if m["display"] is not None:
            chars[a:b] = list(("$$" + " " * (b - a - 2)) if m["display"] == "start" else " " * (b - a - 2) + "$$")
        elif m.group() == "\\NR":
            chars[a:b] = list("\\\\ ")
        elif m["blank"] is not None:
            chars[a:b] = list(_blank(m.group()))
        else:  # \m{…}: its closing brace, where the braces balance again
            depth, k = 1, b
            while k < len(text) and depth and text[k] != "\n":
                depth += {"{": 1, "}": -1}.get(text[k], 0) if text[k - 1] != "\\" else 0
                k += 1
            if depth == 0:
                chars[a:b] = list("$  ")
                chars[k - 1] = "$"
    return "".join(chars)


#: troff's eqn (groff's -ms papers): a display between .EQ and .EN lines, inline math between the `delim $$` marks;
#: the request lines around the prose (.PP, .NH 2, .I "…"), blanked
_EQN_REQUEST = re.compile(r"^\.(?:EQ|EN|TL|AU|AI|NH|SH|PP|LP|IP|QP|RS|RE|DS|DE|[BIR]|UL|sp|br|ds|nr)(?![A-Za-z])"
                          r"[^\n]*$",
                          re.MULTILINE)
_EQN_TOKEN = re.compile(r'"(?P<quoted>[^"\n]*)"|(?P<space>[~^]+)|(?<![\w\\])(?P<word>[A-Za-z]+)(?![\w])')
_EQN_WORDS = {**_STARMATH_WORDS, "prime": "'", "inf": r"\infty", "roman": "", "italic": "", "bold": "", "fat": "",
              "size": "", "delim": "", "left": r"\left", "right": r"\right", "approx": r"\approx", "sum": r"\sum"}
_EQN_SCRIPT = re.compile(r"[ \t]+(?P<which>sub|sup|from|to)[ \t]+(?P<operand>\{(?:[^{}]|\{[^{}]*\})*\}|[^\s{}]+)")


def _eqn(text: str) -> str:
    """eqn as LaTeX in $…$: .EQ/.EN as $$, its words (sub, sup, over, partial, sigma, left ( … right ), sum from … to)
    as LaTeX's, ~ and ^ (its spaces) as spaces, the requests blanked."""
    def math(piece: str) -> str:
        piece = re.sub(r"(?m)^[ \t]*delim[ \t]+\S*[ \t]*$", "", piece)

        def token(m: re.Match[str]) -> str:
            if m["quoted"] is not None:
                return rf"\text{{{m['quoted']}}}"
            if m["space"] is not None:
                return " "
            word = m["word"]
            if word in ("sub", "sup", "over", "from", "to"):
                return word
            if word in GREEK or (word.lower() in GREEK and word[0].isupper()):
                return "\\" + word
            return _EQN_WORDS.get(word, word)
        piece = _EQN_TOKEN.sub(token, piece)
        script = {"sub": "_", "sup": "^", "from": "_", "to": "^"}
        while (m := _EQN_SCRIPT.search(piece)) is not None:
            operand = m["operand"][1:-1] if m["operand"].startswith("{") else m["operand"]
            piece = piece[:m.start()] + script[m["which"]] + "{" + operand + "}" + piece[m.end():]
        return _fractions(piece)

    out: list[str] = []
    display: list[str] | None = None
    for line in text.split("\n"):
        if re.match(r"\.EQ(?![A-Za-z])", line):
            display = []
        elif re.match(r"\.EN(?![A-Za-z])", line) and display is not None:
            out.append("$$" + math("\n".join(display)) + "$$")
            display = None
        elif display is not None:
            display.append(line)
        elif _EQN_REQUEST.fullmatch(line):
            out.append("")
        else:
            out.append(re.sub(r"\$([^$\n]+)\$", lambda m: "$" + math(m[1]) + "$", line))
    if display is not None:
        out.append("$$" + math("\n".join(display)) + "$$")
    return "\n".join(out)


#: a web page's source: its elements that hold no text of the page (head, script, style, comments), its tags, and
#: MathJax's inline delimiters \( … \)
_HTML_HIDDEN = re.compile(r"<(head|script|style)\b[^>]*>.*?</\1\s*>|<!--.*?-->|<!DOCTYPE[^>]*>",
                          re.DOTALL | re.IGNORECASE)
_HTML_TAG = re.compile(r"</?(?P<tag>[A-Za-z][A-Za-z0-9]*)\b[^<>]*>")
_HTML_BLOCKS = frozenset({"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "table",
                          "section", "article", "body", "html", "pre", "blockquote"})


#: a table's row of two cells, a name and its value ("<td>\( w_{46} \)</td><td>&minus;0.3 + … = -0.261</td>")
_HTML_ROW = re.compile(r"<tr\b[^<>]*>\s*<td\b[^<>]*>(?P<name>(?:(?!</?t[dhr]\b).)*?)</td>\s*<td\b[^<>]*>"
                       r"(?P<value>(?:(?!</?t[dhr]\b).)*?)</td>\s*</tr\s*>", re.DOTALL | re.IGNORECASE)


def _html_row(m: re.Match[str]) -> str:
    """A row of a name's cell and its value's: one equation, name = value, in MathJax's inline delimiters."""
    name = m["name"].strip()
    inner = re.fullmatch(r"\\\((.*)\\\)", name, re.DOTALL)
    if inner is None:
        return m.group()
    value = re.sub(r"\\\(|\\\)", " ", _HTML_TAG.sub(" ", m["value"]))
    return "\n\\(" + inner[1] + " = " + value.strip() + "\\)\n"


def _html(text: str) -> str:
    r"""A page's HTML source as the text it shows: hidden parts and tags out (a block's tag a line's end, a table's
    cell a space), its entities decoded (&minus; is −), MathJax's \( … \) as $ … $ (its \[ … \] is LaTeX's own)."""
    text = _HTML_HIDDEN.sub("", text)
    text = _HTML_ROW.sub(_html_row, text)

    def tag(m: re.Match[str]) -> str:
        return "\n" if m["tag"].lower() in _HTML_BLOCKS else " "
    text = html.unescape(_HTML_TAG.sub(tag, text))
    return re.sub(r"\\\(|\\\)", "$", text)


#: WeBWorK's "Preview My Answers" table copied below a blank: a header of its columns (Entered, Answer Preview,
#: Result, Messages), then a row per blank, the evaluated number first and the typeset answer in $…$
_WEBWORK_TABLE = re.compile(r"\\begin\{tabular\}(?:\{[^{}\n]*\})?(?P<rows>(?:(?!\\end\{tabular\}).)*?)"
                            r"\\end\{tabular\}", re.DOTALL)
_WEBWORK_HEADER = re.compile(r"^\s*(?:\\hline\s*)*Entered\s*&\s*Answer Preview\b")
_WEBWORK_ROW = re.compile(r"(?P<entered>-?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*&\s*\$(?P<preview>[^$]+)\$")


def _webwork(text: str) -> str:
    """WeBWorK's results table as what it says: the answer typed in, previewed, equals the number it evaluated to
    ($P = V$ for each row)."""
    def table(m: re.Match[str]) -> str:
        if _WEBWORK_HEADER.match(m["rows"]) is None:
            return m.group()
        rows = [f"${r['preview']} = {r['entered']}$" for r in _WEBWORK_ROW.finditer(m["rows"])]
        return "\n".join(rows) if rows else m.group()
    return _WEBWORK_TABLE.sub(table, text)


#: Hatena Blog's math: [tex: …] inline, a display in its own centred <div>
_HATENA = re.compile(r"\[tex:[ \t]*")
_HATENA_DISPLAY = re.compile(r"<div\b[^<>]*>[ \t]*(?P<math>\$[^$]*\$)[ \t]*</div[ \t]*>")


def _bracketed(text: str, opening: re.Pattern[str], read: Callable[[re.Match[str], str], str]) -> str:
    """Each bracket `opening` starts, to where the brackets balance on its line, replaced by read(match, inside)."""
    out, k = [], 0
    for m in opening.finditer(text):
        if m.start() < k:
            continue
        j = group_end(text, m.start(), "[]", line=True)
        if j is None:
            continue
        out += [text[k:m.start()], read(m, text[m.end():j - 1])]
        k = j
    return "".join(out) + text[k:]


def _hatena(text: str) -> str:
    """[tex: …] as $…$ (its closing bracket where the brackets balance), the one in a <div> of its own as $$…$$."""
    text = _bracketed(text, _HATENA, lambda m, inner: f"${inner.strip()}$")
    return _HATENA_DISPLAY.sub(lambda m: "$" + m["math"] + "$", text)


#: Scrapbox (Cosense): [$ …] its TeX; [- …] struck through; [* …], [** …], [/ …] styles and [page] links, their
#: text kept
_SCRAPBOX = re.compile(r"\[(?:(?P<math>\$)|(?P<struck>-)|[*/]+)[ \t]|\[(?=[^\[\]$\n]*\])")


def _scrapbox(text: str) -> str:
    return _bracketed(text, _SCRAPBOX, lambda m, inner: "" if m["struck"] else f"${inner.strip()}$" if m["math"]
                      else _scrapbox(inner))


#: MyST Markdown (Jupyter Book): the {math} role and directive, its options (:label:), the (target)= lines, the
#: {eq} and {ref} roles that cite them, a $$ display's label after it, an admonition's ::: fences
_MYST = re.compile(r"\{math\}`(?P<role>[^`\n]*)`|(?m:^[ \t]*(?P<fence>`{3,}|:{3,})[ \t]*\{math\}[^\n]*\n"
                   r"(?:[ \t]*:[A-Za-z-]+:[^\n]*\n)*(?P<body>(?:.*\n)*?)[ \t]*(?P=fence)[ \t]*$)"
                   r"|\{(?:eq|ref|numref|doc)\}`[^`\n]*`|(?m:^[ \t]*\([A-Za-z0-9_:.-]+\)=[ \t]*$)"
                   r"|(?<=\$\$)[ \t]*\([A-Za-z0-9_:.-]+\)|(?m:^[ \t]*:{3,}(?:\{[a-z-]+\}[^\n]*)?[ \t]*$)")
_MYST_MARK = re.compile(r"\{math\}|\{eq\}`|(?m:^[ \t]*\([A-Za-z0-9_:.-]+\)=[ \t]*$|^[ \t]*:{3,}\{)")


def _myst(text: str) -> str:
    """{math}`x` as $x$, a ```{math} directive's body as $$…$$ (its :label: options out), citations and targets out."""
    def piece(m: re.Match[str]) -> str:
        if m["role"] is not None:
            return "$" + m["role"] + "$"
        if m["body"] is not None:
            return "$$" + m["body"].strip() + "$$"
        return ""
    return _MYST.sub(piece, text)


#: the formats read first, in order, each leaving text the later ones read: (does the text have it?, the text as read
#: from it) — a notebook's JSON, an autograder's results, a graph's labels, a prover's comments, a notebook's cells as
#: text, SPSS's, an Erlang shell's, a Prolog toplevel's and a Smalltalk Playground's comments, a Minitab session's typed
#: lines, plain TeX, MathSpeak, arithmetic in words, WeBWorK's results table, tracked changes, a slides' outline, a
#: form's response, an Xcas session
_SOURCES: tuple[tuple[Callable[[str], bool], Callable[[str], str]], ...] = (
    (is_ipynb, ipynb), (is_results_json, results_json), (is_graphviz, graphviz), (is_prover_script, prover_script),
    (is_cell_listing, cell_listing), (is_percent_cells, percent_cells), (is_spss, spss),
    (is_erlang_shell, erlang_shell), (is_prolog_answers, prolog_answers), (is_smalltalk, smalltalk),
    (is_minitab, minitab), (is_forth, forth), (is_numbered_listing, numbered_listing), (is_php, php),
    (is_mattermost, mattermost), (is_fricas, fricas), (is_review, review), (is_annotation_export, annotation_comments),
    (is_whiteboard, whiteboard),
    (is_calculator_history, calculator_history_text), (is_gretl, gretl), (is_reduce, reduce_session), (is_hwp, hwp),
    (is_layer_args, layer_args), (is_prairielearn, prairielearn),
    (is_psql, psql), (is_structured_text, structured_text), (is_mobius, mobius), (is_qalc, qalc),
    (lambda t: "\\" in t and is_plain_tex(t), plain_tex),
    (is_mathspeak, mathspeak), (is_spoken, spoken), (lambda t: "Answer Preview" in t, _webwork),
    (has_revisions, accepted), (is_outline, outline), (is_form_response, form_response), (is_xcas, xcas),
    (is_cards, cards), (is_rem_cards, rem_cards), (is_doxygen, doxygen), (is_mupad, mupad),
    (is_powershell, powershell), (is_smath, smath),
    (is_photomath, photomath))


def linear_math(text: str) -> str:
    """The text as LaTeX when it is written in UnicodeMath or StarMath or is a wiki's page or a forum's post with
    [tex] tags; otherwise unchanged (but for plain TeX's macros, in LaTeX's words, arithmetic said in words, in
    signs, WeBWorK's results tables and a spreadsheet's cells in a table, read as equations, and a multiple-choice
    question's options, read as the one chosen)."""
    for has, read in _SOURCES:
        if has(text):
            text = read(text)
    if "|" in text and is_two_column(text):
        return two_column(text)
    if "|" in text and (rows := spreadsheet_rows(text)) != text:
        return rows  # (its rows' statements are LaTeX already: "$Delta = …$" is not Typst's Δ)
    text = chosen_options(text)
    if "<math" in text and "</math" in text:
        return _wiki(text)
    if re.search(r"<(?:html|body|p|h[1-6]|div|table|tr|td|li)\b[^<>]*>", text, re.IGNORECASE) \
            and re.search(r"\\[(\[]|\$", text):
        return _html(text)
    if re.search(r"\[/(?:b|i|u|quote|color|size)\]", text, re.IGNORECASE):
        text = _bbcode(text)
    if re.search(r"\[/(?:tex|math|latex)\]", text, re.IGNORECASE):
        return _forum_tags(text)
    if _MYST_MARK.search(text):
        text = _myst(text)
    if "[tex:" in text:
        return _hatena(text)
    if re.search(r"\[\$[ \t][^\n]*\]", text):
        return _scrapbox(text)
    if "$inline$" in text or "$$display$$" in text:
        return _habr(text)
    if _ADOC_INLINE.search(text) or re.search(r"^\[(?:stem|latexmath)\][ \t]*\n\+{4,}[ \t]*$", text, re.MULTILINE):
        return _asciidoc(text)
    if re.search(r"\{(?:mathinline|mathblock|mathdisplay)(?::[^{}\n]*)?\}", text):
        return _confluence(text)
    if re.search(r"\\(?:startformula|starttext|startsection)(?![A-Za-z])|\\m\{", text):
        return _context(text)
    if "\\" not in text and (re.search(r"(?m)^\.(?:EQ|EN)[ \t]*$", text) or (
            re.search(r"(?m)^\.(?:PP|LP|NH|SH|TL)(?![A-Za-z])", text) and re.search(r"\$[^$\n]*\bsub\b", text))):
        return _eqn(text)
    if is_texmacs(text):
        return texmacs(text)
    if is_mathematica(text):
        return mathematica(text)
    if is_typst(text):
        return typst(text)
    if _UNICODE_MATH.search(text):
        return _unicode_math(text)
    if "\\" not in text and _STARMATH.search(text):
        return _starmath(text)
    return text


def _unicode_math(text: str) -> str:
    """〖out〗_h1 is {out}_{h1} (a script runs over letters and digits), e^(−x) is e^{−x} (the brackets after a script
    only group), σ^′ is σ', ▒ (∑▒〖…〗: what the sum runs over) a space."""
    text = text.replace("〖", "{").replace("〗", "}").replace("▒", " ")
    return _UNICODE_SCRIPT.sub(lambda m: "'" if m[4] else f"{m[1]}{{{m[2] if m[2] is not None else m['group']}}}",
                               text)


def _starmath(text: str) -> str:
    """%sigma is \\sigma, cdot \\cdot, left( … right) \\left( … \\right), "text" \\text{text}, func e^{x} e^{x}, ~ a
    space, newline a line break; then {a} over {b} is \\frac{a}{b}."""
    def token(m: re.Match[str]) -> str:
        if m["quoted"] is not None:
            return rf"\text{{{m['quoted']}}}"
        if m["greek"] is not None:
            name = m["greek"]
            return "\\" + (name if name in GREEK else name.capitalize() if name.lower() in GREEK else name)
        if m["size"] is not None:
            return ""
        if m["left"] is not None:
            bracket = {"lbrace": r"\{", "rbrace": r"\}"}.get(m["bracket"], m["bracket"])
            return f"\\{m['left']}{bracket}"
        if m["tilde"] is not None:
            return " " if len(m["tilde"]) == 1 else r" \quad "
        return _STARMATH_WORDS.get(m["word"], m["word"])  # ("over": its operands are read after)
    return _fractions(_STARMATH_TOKEN.sub(token, text))


def _fractions(text: str) -> str:
    """Every `A over B` as \\frac{A}{B}, A and B each a {…} group or one word, number or command (left to right)."""
    while (m := _OVER.search(text)) is not None:
        a_start = _operand_start(text, m.start())
        b_end = _operand_end(text, m.end())
        if a_start is None or b_end is None:
            return text[:m.start()] + "/" + text[m.end():]  # (an unmatched operand: a slash, read as division)
        left, right = text[a_start:m.start()].strip(), text[m.end():b_end].strip()
        text = text[:a_start] + rf"\frac{{{_ungrouped(left)}}}{{{_ungrouped(right)}}}" + text[b_end:]
    return text


def _ungrouped(operand: str) -> str:
    return operand[1:-1] if operand.startswith("{") and operand.endswith("}") else operand


def _operand_start(text: str, end: int) -> int | None:
    k = end
    while k > 0 and text[k - 1] in " \t":
        k -= 1
    if k > 0 and text[k - 1] == "}":
        depth = 0
        for j in range(k - 1, -1, -1):
            depth += {"}": 1, "{": -1}.get(text[j], 0)
            if depth == 0:
                return j
        return None
    m = _OPERAND_BEFORE.search(text, 0, k)
    return m.start() if m is not None else None


def _operand_end(text: str, start: int) -> int | None:
    k = start
    while k < len(text) and text[k] in " \t":
        k += 1
    if k < len(text) and text[k] == "{":
        depth = 0
        for j in range(k, len(text)):
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            if depth == 0:
                return j + 1
        return None
    m = _OPERAND.match(text, k)
    return m.end() if m is not None else None
