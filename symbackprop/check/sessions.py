"""What a calculator's or a computer algebra system's session printed into a sheet, as the statements it makes.

A TI-Nspire's history (`sig(w5*h1+w6*h2+b2)→o1      0.751365069552`) and a SageMath or IPython console session
(`sage: n(h2.subs(vals))`, then `0.480000000000000`) state values the student had a program compute: each entry and
the result printed for it become `$h_{2} = 0.48$`. Nothing is evaluated here: an entry is only read for the name
or the derivative it shows (n(X), X.subs(…), diff(E, w3), `_` for the entry before), and an entry we cannot read
so is set aside. Every function returns text of the block's length (positions unchanged), or None."""

from __future__ import annotations

import re

from .vocabulary import answer_label, answer_word, shouted_answer

NUMBER = r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?"

#: a line of a calculator's history: the entry, then its result at the right margin ("Define sig(x)=…   Done")
_HISTORY_LINE = re.compile(r"[ \t]*(?P<entry>\S(?:[^\n]*?\S)?)[ \t]{2,}(?P<result>" + NUMBER + r"|Done)[ \t]*")
#: an entry's statement that stores its result: "w4-eta*dh2*i2→nw4"
_STORE = re.compile(r"(?P<expr>[^→]+?)[ \t]*(?:→|->)[ \t]*(?P<name>[A-Za-z][A-Za-z0-9_]*)")
#: a console's prompt (SageMath's "sage:", IPython's "In [3]:"), its continuation ("....:", "   ...:"), its output
#: label (IPython's "Out[3]:")
#: and the prompts of consoles that print an assignment's value too (PARI/GP's "?", Scilab's "-->", MATLAB's ">>",
#: GNU Octave's "octave:3>", Julia's "julia>") unless a ";" ends the input
_PROMPT = re.compile(r"[ \t]*(?:sage:|In[ \t]*\[[0-9]+\]:|>>>|(?P<lua>th>|>(?=[ \t]))|(?P<echo>\?(?=[ \t])|-->"
                     r"|>>(?=[ \t])|octave(?::[0-9]+)?>|julia>|gp[ \t]?>))[ \t]?")  # (R's "> ": counts from 1)
#: one entry of a vector: o[1] (Lua, Julia, GP count from 1; Python from 0), z2(1) (Scilab, Octave, MATLAB)
_INDEXED = re.compile(r"(?P<name>(?:[A-Za-z]|[α-ω])[A-Za-z0-9_]*)(?:\[(?P<k>[0-9])\]|\((?P<p>[0-9])\))")
_CONTINUATION = re.compile(r"[ \t]*(?:\.{3,4}:|\.\.\.(?=[ \t]|$)|\+(?=[ \t]))[ \t]?")  # (and R's "+ ")
#: (and PARI/GP's history label "%5 =", and the "h1 =" or "ans =" before a value in an echoing console)
_OUT_LABEL = re.compile(r"[ \t]*(?:Out[ \t]*\[[0-9]+\]:|%[0-9]+[ \t]*=|(?P<r>\[1\]))[ \t]*")  # (R's "[1] 0.59 0.60")
_ECHO_LABEL = re.compile(r"[ \t]*[A-Za-z][A-Za-z0-9_]*[ \t]*=[ \t]*")
#: a printed result we can state: a number, a fraction of integers, a tuple of those
_RESULT = re.compile(NUMBER + r"|-?[0-9]+/[0-9]+")
#: arithmetic of names and numbers, as typed (no call but diff(…), no index, no string)
_ARITHMETIC = re.compile(r"[A-Za-z0-9_.+\-*/^() \t]+")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
#: the wrappers that print a value without changing what it is: n(X), N(X), numerical_approx(X), float(X), print(X),
#: round(X, 6), f"{X:.6f}"
_NUMERIC = re.compile(r"print\((?P<digits>.*?),[ \t]*digits[ \t]*=[ \t]*[0-9]+[ \t]*\)"  # (R's print(x, digits = 10))
                      r"|(?:n|N|numerical_approx|RR|RDF|float|print)\((?P<inner>.*)\)"
                      r"|round\((?P<rounded>.*),[ \t]*[0-9]+\)"
                      r"|f(?P<q>[\"'])\{(?P<field>[^{}:!]+)(?:[:!][^{}]*)?\}(?P=q)")
_METHOD = re.compile(r"(?P<inner>.*)\.(?:subs|n|numerical_approx|simplify_full|simplify|expand|factor)\([^()]*"
                     r"(?:\([^()]*\)[^()]*)*\)")
_DIFF = re.compile(r"diff\([ \t]*(?P<of>[A-Za-z][A-Za-z0-9_]*)[ \t]*,[ \t]*(?P<wrt>[A-Za-z][A-Za-z0-9_]*)[ \t]*\)")


def code_expr(code: str, short: bool = False) -> str:
    """An expression typed in a program or a calculator as math: its names as code names, `*` a product (`**` a
    power); `short`:
    a letter alone or with its number as that letter and subscript (w5 as w_{5}; nw5 a code name still)."""
    def name(n: re.Match[str]) -> str:
        plain = re.fullmatch(r"([A-Za-z])([0-9]*)", n.group()) if short else None
        if plain:
            return f"{plain[1]}_{{{plain[2]}}}" if plain[2] else plain[1]
        return rf"\text{{{n.group()}}}"
    return _NAME.sub(name, code).replace("**", "^").replace("*", "*" if short else r"\cdot ")


def call_powers(expr: str, function: str) -> str:
    """A program's power function written as a power: SQL's power(a, 2), Structured Text's EXPT(a, b) as (a)**2,
    (a)**(b) (the function's name in any case; its first argument may hold brackets one deep)."""
    def power(m: re.Match[str]) -> str:
        return f"({m[1]})**" + (m[2].strip() if re.fullmatch(r"[ \t]*[0-9]+[ \t]*", m[2]) else f"({m[2]})")
    return re.sub(rf"(?i)\b{function}\(([^(),]*(?:\([^()]*\)[^(),]*)*),[ \t]*([^()]+?)\)", power, expr)


def calculator_history(region: str, lines: list[str]) -> str | None:
    """A verbatim block every line of which is a calculator's entry and its result: each entry's statements (split
    at " : ") as math, the last one equal to the result; a stored one (expr→h1) is h1 = expr. A definition (Define
    …, Done) and a given number stored (0.05→i1) say nothing to check."""
    found = [_HISTORY_LINE.fullmatch(line) for line in lines if line.strip()]
    if not found or not all(found):
        return None
    for every in (True, False):  # (when the block is too short for them: only the statements with a result)
        out = []
        for line in lines:
            m = _HISTORY_LINE.fullmatch(line)
            if m is None or m["result"] == "Done":
                out.append("")
                continue
            parts = []
            statements = re.split(r"[ \t]+:[ \t]+", m["entry"])
            for k, statement in enumerate(statements):
                stored = _STORE.fullmatch(statement)
                expr = stored["expr"] if stored else statement
                value = m["result"] if k == len(statements) - 1 else None
                if (stored and re.fullmatch(NUMBER, expr.strip())) or not (every or value):
                    continue  # (0.05→i1: a given number stored)
                sides = [code_expr(stored["name"], True)] if stored else []
                sides += [code_expr(expr, True)] + ([value] if value else [])
                parts.append("$" + " = ".join(sides) + "$")
            out.append(" ".join(parts))
        text = "\n".join(out)
        if len(text) <= len(region):
            return text.ljust(len(region))
    return None


def console_session(region: str, lines: list[str], fit: bool = True) -> str | None:
    """A console session (SageMath's sage:, IPython's In [n]:, Python's >>>, PARI/GP's ?, Octave, Scilab, Julia):
    each input's statements, split at
    top-level `;`; an assignment of arithmetic (h1 = i1*w1 + i2*w2, dw5 = diff(E, w5)) is that equation; each other
    statement printed the next output line, which states the value of what it shows (n(h2.subs(vals)) → h2 =
    0.48; a tuple of two shown, h1.subs(vals), h2.subs(vals), two values). Output we cannot pair with what it shows
    is set aside, as is everything else of the session."""
    if not any(_PROMPT.match(line) for line in lines):
        return None
    entries: list[tuple[int, str, list[int]]] = []  # (the input's first line, its text, its output lines)
    claims: dict[int, str] = {}  # (the student's comment lines between the entries: "// delta_h2 = … = 0.429890")
    echo = from_one = False
    for k, line in enumerate(lines):
        if (claim := _COMMENT_CLAIM.fullmatch(line)) is not None:
            claims[k] = _comment_claim(claim)
        elif (prompt := _PROMPT.match(line)) is not None:
            echo = echo or prompt["echo"] is not None
            from_one = from_one or prompt["echo"] is not None or prompt["lua"] is not None
            entries.append((k, line[prompt.end():], []))
        elif entries and entries[-1][2] and _ECHO_LABEL.fullmatch(lines[entries[-1][2][-1]]) and line.strip():
            entries[-1][2][-1] = k  # Scilab's " z2  =", a blank line, then the value: the value's line
        elif entries and _CONTINUATION.match(line) and not entries[-1][2]:
            k0, text, outs = entries[-1]
            entries[-1] = (k0, text + " " + line[_CONTINUATION.match(line).end():], outs)  # type: ignore[union-attr]
        elif entries and line.strip() and line.strip() not in ('"""', "'''") and not _TYPE_HEADER.fullmatch(line):
            entries[-1][2].append(k)  # (not a docstring's end, nor Julia's "2-element Vector{Float64}:" header)
    out = [""] * len(lines)
    short = [""] * len(lines)  # (the same, an echoed assignment only as its name and value: where space is short)
    vector: set[int] = set()  # the lines of a vector's or matrix's entries (left out where space is shorter still)
    previous: str | None = None
    for k0, text, outs in entries:
        echoed = ""
        said: list[str] = []
        shown: list[list[str] | None] = []
        statements = _statements(text)
        for n, statement in enumerate(statements):
            assigned = re.fullmatch(r"(?P<name>[A-Za-z][A-Za-z0-9_]*)[ \t]*(?:=(?!=)|<-)[ \t]*(?P<rhs>.+)", statement)
            if assigned:
                rhs = _meaning(assigned["rhs"], previous, from_one)
                if rhs is not None and not assigned["rhs"].strip().startswith("var("):
                    said.append(f"${code_expr(assigned['name'], True)} = {rhs}$")
                if echo and n == len(statements) - 1 and not _uncommented(text).rstrip().endswith(";"):
                    # (GP's "%1 = 0.85" after h1 = …: the equation goes on, h1 = i1 w1 + i2 w2 = 0.85)
                    echoed = code_expr(assigned["name"], True)
                    shown.append(["" if rhs is not None else echoed])
                continue
            parts = _top_level_split(statement, ",")
            meanings = [_meaning(p, previous, from_one) for p in parts]
            if meanings == [None] and n == len(statements) - 1 and (named := _COMMENT_NAME.search(text)):
                meanings = [named["name"]]  # ("round(z2[2]; digits = 8)   # In_o2": the comment names what it shows)
            shown.append(None if None in meanings else meanings)  # type: ignore[arg-type]
            if len(parts) == 1:
                previous = meanings[0]
        out[k0] = short[k0] = " ".join(said)
        rows = [lines[k].split() for k in outs]
        if echo and echoed and len(shown) == 1 and len(outs) > 1 and all(
                row and len(row) == len(rows[0]) and all(_RESULT.fullmatch(v) for v in row) for row in rows):
            # Scilab's "p  =" over a column of values, a matrix's rows: one statement for each entry
            for i, (k, row) in enumerate(zip(outs, rows, strict=True), start=1):
                vector.add(k)
                out[k] = short[k] = " ".join(
                    f"${echoed}_{{{i if len(rows[0]) == 1 else f'{i}{j}'}}} = {_fraction(v)}$"
                    for j, v in enumerate(row, start=1))
            continue
        if len(shown) != len(outs):
            continue  # (a statement that printed nothing, or a result over several lines: not paired)
        for what, k in zip(shown, outs, strict=True):
            result = lines[k]
            label = _OUT_LABEL.match(result) or (_ECHO_LABEL.match(result) if echo else None)
            values = _top_level_split(result[label.end() if label else 0:].strip().removeprefix("(")
                                      .removesuffix(")"), ",")
            if label is not None and label.groupdict().get("r"):  # (R prints a vector's entries apart by spaces)
                values = result[label.end():].split()
                named = re.fullmatch(r"\\text\{(\w+)\}|(\w+)", what[0]) if what is not None and len(what) == 1 \
                    and len(values) > 1 else None
                if named is not None:  # (out_h: out_h[1], out_h[2])
                    what = [_entry(named[1] or named[2], str(k)) for k in range(1, len(values) + 1)]
            if what is None or len(values) != len(what) or not all(_RESULT.fullmatch(v) for v in values):
                continue
            out[k] = " ".join(f"${w} = {_fraction(v)}$".replace("$ = ", "$= ")
                              for w, v in zip(what, values, strict=True))
            short[k] = out[k]
            if what == [""]:
                short[k0], short[k] = "", f"${echoed} = {_fraction(values[0])}$"
            elif len(what) == 1 and len(shown) == 1 and not short[k0] and not re.search(r"[A-Za-z]", what[0]):
                short[k0], short[k] = what[0], f"= {_fraction(values[0])}"  # (>>> 0.21 - 0.05*(-0.33978), then
                # 0.226989: the sum on its line, its value going on from it on the next, as typed without dollars)
    for k, stated in claims.items():
        out[k] = short[k] = stated
    bare = ["" if k in vector else line for k, line in enumerate(short)]
    if not fit:  # (the statements in full, where the text's positions need not be kept)
        return "\n".join(out)
    for text in ("\n".join(out), "\n".join(short), "\n".join(bare)):
        if len(text) <= len(region):
            return text.ljust(len(region))
    return None


#: an R console: "> " prompts with an assignment by <- or a "[1]" result; a block of it runs over its prompts, "+ "
#: continuations and printed results ([1] …, a matrix's [,1] header and [1,] rows), up to the notes between blocks
_R_SESSION = re.compile(r"(?m)^[ \t]*>[ \t][^\n]*(?:<-[^\n]*\n(?:[^\n]*\n)*?|\n)[ \t]*\[1\][ \t]")
_R_BLOCK = re.compile(r"(?m)^[ \t]*>[ \t][^\n]*(?:\n(?:[ \t]*[>+][ \t][^\n]*|[ \t]*\[[0-9]*,?[0-9]*\][^\n]*))*")


#: MATLAB's and Octave's display of a value: "h =", a blank line, then the value indented under it — a vector's
#: entries one to a line, a matrix's rows with several numbers each
_ECHO_BLOCK = re.compile(r"(?m)^[ \t]*(?P<name>[A-Za-z][A-Za-z0-9_]*)[ \t]*=[ \t]*\n[ \t]*\n"
                         r"(?P<rows>(?:[ \t]+" + NUMBER + r"(?:[ \t]+" + NUMBER + r")*[ \t]*(?:\n|$))+)")


def echo_blocks(text: str) -> str:
    """Each such display as statements: one value, "h = 0.4950"; a column, its entries "h_{1} = …", "h_{2} = …"
    (a vector's first entry is not the vector); a matrix's rows blank (its layout is the program's). The lines keep
    their number."""
    def read(m: re.Match[str]) -> str:
        rows = [row.split() for row in m["rows"].rstrip("\n").split("\n")]
        end = "\n" if m["rows"].endswith("\n") else ""
        name = m["name"]
        if any(len(row) > 1 for row in rows):
            return "\n" * (len(rows) + 1) + end
        if len(rows) == 1:
            return f"\n\n{name} = {rows[0][0]}{end}"
        return "\n\n" + "\n".join(f"{name}_{{{k}}} = {row[0]}" for k, row in enumerate(rows, 1)) + end
    return _ECHO_BLOCK.sub(read, text) if "=" in text else text


def is_r_console(text: str) -> bool:
    """Does the text hold an R console's transcript?"""
    return _R_SESSION.search(text) is not None


#: a doctest's or Julia's block: its prompts and what they printed, up to a blank line or the student's answer line
#: typed under it ("Rép. (b) : out = 0.191", "Answer: …")
_CONSOLE_BLOCK = re.compile(r"(?m)^[ \t]*(?:>>>|julia>)[^\n]*(?:\n(?![ \t]*" + answer_word(capitalized=True)
                            + r"(?!\w))"
                            r"[ \t]*\S[^\n]*)*")


def console_blocks(text: str) -> str:
    """The console sessions typed into a sheet's text (a doctest in a docstring: >>> lines, each followed by what it
    printed, up to a blank line; Julia's REPL pasted, julia> lines; an R console's transcript) as the statements they
    make; the rest of the text unchanged."""
    r_session = is_r_console(text)
    if ">>>" not in text and "julia>" not in text and not r_session:
        return text
    out, k = [], 0
    for m in re.finditer(_R_BLOCK if r_session else _CONSOLE_BLOCK, text):
        block = m.group()
        session = console_session(block, block.split("\n"), fit=not r_session)
        if r_session and session is not None:  # (plain text around it: its statements plain too)
            session = session.replace("$", " ")
        out.append(_worked_answers(text[k:m.start()]) + (session if session is not None else block))
        k = m.end()
    return "".join(out) + _worked_answers(text[k:]) if out and not r_session else "".join(out) + text[k:]


def answered(line: str) -> tuple[int, str] | None:
    """A sheet's own answer line, labelled with an answer word ("Answer (h): dError/dw4 = … = 0.007564", "ANS q1a:
    net of y2 for sample 1: z_2 = … = 0.15024794"): where its math starts and the math (after the last colon before
    its first "=", a remark in words after it set aside), or None."""
    if not _ANSWER_LEAD.match(line) or "=" not in line:
        return None
    colon = line.rfind(":", 0, line.index("="))
    if colon < 0:
        return None
    start = colon + 1 + len(line[colon + 1:]) - len(line[colon + 1:].lstrip())
    math = _REMARK_AFTER.sub("", line[start:].rstrip())
    return (start, math) if re.search(r"[0-9]", math) and "=" in math else None


#: a remark in brackets at an answer line's end, words ("(it was 0.209710)") or a word and a colon ("(cours : 0.17)")
_REMARK_AFTER = re.compile(r"(?<![ \t])[ \t]*\([ \t]*[A-Za-zÀ-ɏ]{2,}(?:[ \t]+[A-Za-zÀ-ɏ]{2,}|[ \t]*:)[^()\n]*\)[ \t]*$")


def _worked_answers(text: str) -> str:
    """The sheet's own answer lines between a console's blocks ("Answer (h): dError/dw4 = delta_h2*x2 = … = 0.0076")
    as math like the blocks' statements, their labels blank (the math a character to the left, for its dollar)."""
    lines = text.split("\n")
    for k, line in enumerate(lines):
        if (worked := answered(line)) is not None and worked[0] >= 2:
            lines[k] = (" " * (worked[0] - 2) + "$" + worked[1] + "$").ljust(len(line))
    return "\n".join(lines)


#: a console's type line above what it printed (Julia's "2-element Vector{Float64}:", "2×2 Matrix{Float64}:")
_TYPE_HEADER = re.compile(r"[ \t]*[0-9]+(?:×[0-9]+)?(?:-element)?[ \t]+[A-Z][A-Za-z]*(?:\{[^{}\n]*\})?:?[ \t]*")
#: an input's comment that is a quantity's name, maybe with a remark in brackets: "# ∂Error/∂w5", "# δ_o1 (row 1)"
_COMMENT_NAME = re.compile(r"#[ \t]*(?P<name>(?:[^\W\d_]|∂)[^\s=,;:()#]{0,15})[ \t]*(?:\([^()\n]*\))?[ \t]*$")


def _meaning(code: str, previous: str | None, from_one: bool = False) -> str | None:
    """What an entry shows, as math: n(X), X.subs(…) are X; `_` the entry before; diff(E, w3) ∂E/∂w3; one entry of a
    vector, o[1], its subscripted name (counted from 1 where the console does, `from_one`); arithmetic of names and
    numbers itself (None for anything else)."""
    code = code.strip()
    while True:
        numeric = _NUMERIC.fullmatch(code)
        method = _METHOD.fullmatch(code) if numeric is None else None
        if numeric is None and method is None:
            break
        found = numeric or method
        assert found is not None
        code = next(g for g in found.groupdict().values() if g is not None and g not in "\"'").strip()
    if code == "_":
        return previous
    indexed = _INDEXED.fullmatch(code)
    if indexed is not None and (from_one or indexed["k"] is not None):
        return _entry(indexed["name"], str(int(indexed["k"] or indexed["p"]) + (0 if from_one else 1)))
    entries = _INDEXED.sub("x", code) if from_one and "--" not in code else code
    if entries != code and _ARITHMETIC.fullmatch(entries) and not re.search(r"[A-Za-z0-9_)]\s*\(", entries):
        # (R's delta_o[1] * out_h[1]: arithmetic of a vector's entries, each its subscripted name)
        pieces, k = [], 0
        for m in _INDEXED.finditer(code):
            pieces += [code_expr(code[k:m.start()], True) if code[k:m.start()].strip() else code[k:m.start()],
                       _entry(m["name"], m["k"] or m["p"])]
            k = m.end()
        return "".join(pieces) + (code_expr(code[k:], True) if code[k:].strip() else "")
    diff = _DIFF.fullmatch(code)
    if diff is not None:
        return rf"\frac{{\partial {code_expr(diff['of'], True)}}}{{\partial {code_expr(diff['wrt'], True)}}}"
    if not _ARITHMETIC.fullmatch(code) or re.search(r"[A-Za-z0-9_)]\s*\(", code):
        return None  # (a call: f(x), a method's chain we do not know)
    return code_expr(code, True)


def _entry(name: str, k: str) -> str:
    """A vector's entry counted from 1: out_h[1] is out_h1 (the unit's letter, then its number), w[5] w_5, z2(1)
    layer 2's first entry."""
    layered = re.fullmatch(r"([A-Za-z]+?|[α-ω])_?([0-9]+)", name)
    if layered is not None:
        return f"{code_expr(layered[1], True)}^{{({layered[2]})}}_{{{k}}}"
    return code_expr(name + k) if re.fullmatch(r"\w+_[A-Za-z]+", name) else f"{code_expr(name, True)}_{{{k}}}"


def _fraction(value: str) -> str:
    """17/20 as \\frac{17}{20}: a rational that Sage prints exactly."""
    m = re.fullmatch(r"(-?)([0-9]+)/([0-9]+)", value)
    return f"{m[1]}\\frac{{{m[2]}}}{{{m[3]}}}" if m else value


def _statements(text: str) -> list[str]:
    """An input's statements: split at `;` outside brackets and strings (a comment's # ends the input)."""
    return [s for s in _top_level_split(_uncommented(text), ";") if s.strip()]


def _uncommented(text: str) -> str:
    quote = ""
    for k, c in enumerate(text):
        if quote:
            quote = "" if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c == "#":
            return text[:k]
    return text


def _top_level_split(text: str, sep: str) -> list[str]:
    parts, depth, start, quote = [], 0, 0, ""
    for k, c in enumerate(text):
        if quote:
            quote = "" if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == sep and depth == 0:
            parts.append(text[start:k])
            start = k + 1
    parts.append(text[start:])
    return [p.strip() for p in parts]


#: knitr's output block after an R chunk whose last line prints a name: "## [1] 0.08216704", one number
#: knitr's output of a chunk: "## [1] 0.08216704" in its own fence (R Markdown) or right under the chunk's "@" (a
#: Sweave file, .Rnw); a vector's values after one "[1]"
_KNITR_OUTPUT = re.compile(r"\s*(?P<fence>```[ \t]*\n)?[ \t]*## \[1\] (?P<values>-?[0-9.]+(?:e-?[0-9]+)?"
                           r"(?:[ \t]+-?[0-9.]+(?:e-?[0-9]+)?)*)[ \t]*(?(fence)\n[ \t]*```)")
#: what an R chunk's last line prints: names joined by + − * / (dw5, delta_o1 + delta_o2), an entry of a vector
#: (w_new[5], in_o[2])
_PRINTED = re.compile(r"[A-Za-z][A-Za-z0-9_.]*(?:\[[0-9]\])?"
                      r"(?:[ \t]*[-+*/][ \t]*[A-Za-z][A-Za-z0-9_.]*(?:\[[0-9]\])?)*")
#: an entry of an R vector: w_new[5] is the code name w5_new, in_o[2] in_o2
_R_ENTRY = re.compile(r"(?P<base>[A-Za-z][A-Za-z0-9_.]*?)(?P<mark>_(?:new|old|neu|alt))?\[(?P<k>[0-9])\]")


#: a line of a program's printed output: a name, then its value (GNU Octave's "dw5 = -0.6877")
_OUTPUT_LINE = re.compile(r"[ \t]*([A-Za-z][A-Za-z0-9_]*(?:/[A-Za-z][A-Za-z0-9_]*)?(?: [A-Za-z0-9_]+){0,2})[ \t]*[=:]"
                          r"[ \t]*(-?[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?)[ \t]*")
#: a heading the program printed between its values ("ITERATION  2"): no statement
_HEADING_LINE = re.compile(r"[ \t]*[A-Za-z][A-Za-z .-]*(?:[ \t]+[0-9]{1,3})?[ \t]*")


def printed_output(block: re.Match[str]) -> str | None:
    """A verbatim block every line of which is "name = number" (Octave's publish: the Command Window's output; or
    "Loss: 0.2097", a print's label and value; headings such as "ITERATION  2" between them) is
    what the program printed: each line the statement `$\text{name} = number$` on its own line (None otherwise:
    code, set aside). Its length is the block's (positions unchanged)."""
    if block.group(1) not in ("verbatim", "Verbatim"):
        return None
    region = block.group()
    body = region[region.index("}") + 1:region.rindex("\\end")]
    lines = body.split("\n")
    found = [_OUTPUT_LINE.fullmatch(line) for line in lines if line.strip() and not _HEADING_LINE.fullmatch(line)]
    if not found or not all(found):
        return calculator_history(region, lines) or console_session(region, lines)
    # (a label of words, a Fortran FORMAT's "NET O1   =   1.105905967": one name, NET_O1; "DE/DW6": DE_DW6)
    named = [(m[1].replace(" ", "_").replace("/", "_"), m[2]) if (m := _OUTPUT_LINE.fullmatch(line)) else None
             for line in lines]
    statements = "\n".join(_statement(*pair) if pair else "" for pair in named)
    if len(statements) > len(region):
        statements = "\n".join(f"${pair[0]} = {pair[1]}$" if pair else "" for pair in named)
    return statements.ljust(len(region)) if len(statements) <= len(region) else None


#: a plain fenced block right after a code cell: what the cell printed (a notebook's output, Kaggle, Jupyter)
_CELL_OUTPUT = re.compile(r"\s*```[ \t]*\n(?P<body>(?:(?![ \t]*```).*\n)*?)[ \t]*```")
#: the last line of a Python cell printing one expression: print(x), print(f"{x:.7e}"), print(f"w5 = {x:.9f}")
_PY_PRINT = re.compile(r"print\(\s*(?:f[\"'](?P<before>[^{}\"']*)\{\s*(?P<f>[^{}:!]+?)\s*(?:[:!][^{}]*)?\}"
                       r"(?P<after>[^{}\"']*)[\"']|(?P<plain>[^()\"']+?))\s*\)")
#: one or more "name = number" pairs on a line of output ("out_h1=0.593269992 out_h2=0.596884378")
#: ("second pass: out_o1 = 0.742088111  out_o2 = 0.775284968": a label of words before the pairs)
_PAIRS = re.compile(r"[ \t]*(?:[A-Za-z][A-Za-z ]{0,30}:[ \t]+)?(?:[A-Za-z][A-Za-z0-9_]*[ \t]*=[ \t]*" + NUMBER
                    + r"[ \t,;]*)+")
_PAIR = re.compile(r"([A-Za-z][A-Za-z0-9_]*)[ \t]*=[ \t]*(" + NUMBER + ")")


def jupyter_printed(text: str, fence: re.Match[str]) -> tuple[int, str] | None:
    """A Python cell and the plain block after it, its printed output (a Kaggle or Jupyter notebook in Markdown):
    each "name = number" of the output is the statement `$\text{name} = number$`; a lone number is the value of
    the expression the cell's last line prints (print(f"{delta_o1 * out_h1:.7e}")). Where the output ends, and the
    statements (one per line)."""
    if fence["lang"].lower() not in ("python", "py", "ipython", "python3"):
        return None
    out = _CELL_OUTPUT.match(text, fence.end())
    if out is None:
        return None
    lines = [line for line in out["body"].splitlines() if line.strip()]
    if lines and all(_PAIRS.fullmatch(line) for line in lines):
        return out.end(), "\n".join(_statement(m[1], m[2]) for line in lines for m in _PAIR.finditer(line))
    code = _code_lines(text, fence)
    if "tensor(" in out["body"] and code and (printed := _tensors_printed(code, out["body"])):
        return out.end(), printed
    shown = _PY_PRINT.fullmatch(code[-1]) if code else None
    if len(lines) != 1 or shown is None:
        return None
    around = (shown["before"] or "").strip(), (shown["after"] or "").strip()  # the f-string's words around it
    number = re.fullmatch(re.escape(around[0]) + r"\s*(" + NUMBER + r")\s*" + re.escape(around[1]),
                          lines[0].strip())
    expression = (shown["f"] or shown["plain"]).strip()
    if number is None or not _PRINTED.fullmatch(expression):
        return None
    return out.end(), _statement(expression, number[1])


#: PyTorch's printed tensor: its data (a number, a list, a list of rows) and its options (grad_fn=<…>, dtype=…)
_TENSOR = re.compile(r"tensor\((?P<data>\[[^()]*?\]|" + NUMBER + r")[ \t\n]*(?:,[^()]*?(?:<[^<>]*>)?[^()]*?)?\)")
_CALL_PRINT = re.compile(r"print\((?P<args>.*)\)")
_ATTRIBUTE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.(?:grad|data))?")


def _tensors_printed(code: list[str], output: str) -> str | None:
    """print(loss) → "tensor(1.0828, grad_fn=<NllLossBackward0>)"; print(W2.grad) → "tensor([[-0.0932, …], …])":
    each tensor the value of the argument printed in its place, a name or a parameter's .grad (an entry of a list
    counted from 0, as Python does: W2.grad[0, 1], written as numpy's dW2[0, 1]); arguments we cannot name are
    passed over. The cell's last lines that print, in order (print(dW1), then print(W1.grad): two tensors). The
    statements, one per line (None when nothing is named)."""
    calls: list[re.Match[str]] = []
    for line in reversed(code):
        if (call := _CALL_PRINT.fullmatch(line.strip())) is None:
            break
        calls.insert(0, call)
    tensors = list(_TENSOR.finditer(output))
    if not calls or not tensors:
        return None
    args = [arg for call in calls for arg in _top_level_split(call["args"], ",")]
    if len(args) != len(tensors):
        return None
    statements: list[str] = []
    for arg, tensor in zip(args, tensors, strict=True):
        if not _ATTRIBUTE_NAME.fullmatch(arg):
            continue
        data = tensor["data"]
        if not data.startswith("["):
            statements.append(rf"$\texttt{{{arg}}} = {data}$" if "." in arg else _statement(arg, data))
            continue
        rows = [[v.strip() for v in row.split(",") if v.strip()] for row in re.findall(r"\[([^\[\]]*)\]", data)]
        matrix = data.lstrip().startswith("[[")
        arg = "d" + arg.removesuffix(".grad") if arg.endswith(".grad") else arg  # (W2.grad's entries: numpy's dW2)
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                if re.fullmatch(NUMBER, value):
                    at = f"{i}, {j}" if matrix else f"{j}"
                    statements.append(rf"$\texttt{{{arg}}}[{at}] = {value}$")
    return "\n".join(statements) or None


def knitr_printed(text: str, fence: re.Match[str]) -> tuple[int, str] | None:
    """An R chunk whose last line is a name, or names joined by + − * / (R prints its value), and knitr's output of
    it right after: where the output ends, and the statement `$\text{name} = value$` it makes."""
    if fence["lang"].lower() not in ("r", ""):
        return None
    code = _code_lines(text, fence)
    out = _KNITR_OUTPUT.match(text, fence.end())
    last = code[-1].split(";")[-1].strip() if code else ""  # ("h <- sig(in_h); h": what it prints is h)
    if out is None or not _PRINTED.fullmatch(last):
        return None
    values = out["values"].split()
    printed = _R_ENTRY.sub(lambda m: m["base"] + m["k"] + (m["mark"] or ""), last)
    if len(values) == 1:
        return out.end(), _statement(printed, values[0])
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", printed):
        return None  # (a vector's values, printed by a name: entry by entry, d_o as d_o1, d_o2)
    return out.end(), " ".join(_statement(printed + str(k), v) for k, v in enumerate(values, 1))


def _code_lines(text: str, fence: re.Match[str]) -> list[str]:
    """The non-empty lines of a fenced code block, stripped."""
    return [line.strip() for line in text[fence.end("open"):fence.start("close")].splitlines() if line.strip()]


def _statement(printed: str, value: str) -> str:
    r"""What a program printed, as math: `$\text{delta_o1} + \text{delta_o2} = 0.1004$` for the expression
    `delta_o1 + delta_o2` (its names as code names, `*` a product) and the number it printed."""
    return f"${code_expr(printed)} = {value}$"


#: a comment after a statement, to the line's end: "// …", "# …", C's "/* … */"
_LINE_COMMENT = r"(?://[^\n]*|#[^\n]*|/\*[^\n]*\*/[ \t]*)?$"
#: a Lisp REPL's prompt: Common Lisp's "CL-USER>", Clojure's "user=>"
_LISP_PROMPT = r"[A-Z][A-Z0-9-]*>|[a-z][a-z0-9.-]*=>"
#: a line of a program's source or of its session's input: a prompt (utop #, CL-USER>, ghci>, a shell's $), a
#: comment (//, --, ;;, (*, #), a TI-BASIC line (:…, PROGRAM:), a declaration's keyword, or code ending in ; { } ;;
_CODE_START = re.compile(r"[ \t]*(?:utop[ \t]*#|" + _LISP_PROMPT + r"|ghci>|Prelude>|scala>|irb\([^)]*\)|\$[ \t]|//"
                         r"|--(?=[ \t])|;;|\(\*|#(?:include|!)|:|PROGRAM:|>[^\n]*<-|In\[[0-9]+\]:=|std::"
                         r"|\((?:def|setf|let)|\(i?[Pp]db\)"  # (Python's debugger, "(Pdb) p H")
                         r"|(?:SELECT|WITH|FROM|WHERE|UNION)(?![A-Za-z0-9_])"
                         # (Lua's "local eta = 0.5", "local function forward(x)", "for j = 1, 2 do")
                         r"|local[ \t]+(?:function[ \t]+)?[A-Za-z_][\w, \t]*[=(][^\n]*"
                         r"|for[ \t]+(?:[A-Za-z_]\w*[ \t]*=[^\n,]+,|[\w, \t]+[ \t]in[ \t])[^\n]*[ \t]do\b[^\n]*"
                         # (a keyword of a program's line only with the line's end code's own: "for k in 0..3 {",
                         # "let h = [a.tanh(), b.tanh()];", "def f(x):"; "for the output layer," is prose)
                         r"|(?:let|fn|val|def|var|const|int|double|float|auto|for|if|while|return|use|mod|struct|impl"
                         r"|println!|print|printf|cout)(?![A-Za-z0-9_])[^\n]*[;{}:)][ \t]*" + _LINE_COMMENT +
                         # (an object's print: Arduino's Serial.println(g[5], 6);, Java's System.out.println(…);
                         # C's "w[k] -= eta * g[k];")
                         r"|(?:[A-Za-z_]\w*\.)+(?:print|println|printf|write)\([^\n]*;[ \t]*(?://[^\n]*)?$"
                         r"|[A-Za-z_][\w.\[\]]*[ \t]*[-+*/]=[^\n]*;[ \t]*" + _LINE_COMMENT +
                         # (Pascal's: "h1 := Sigmoid(inh1);", "WriteLn('o1 = ', o1:0:6);", a block's begin and end,
                         # its declarations' keywords alone on a line)
                         r"|[A-Za-z_][\w\[\]]*[ \t]*:=[^\n]*;[ \t]*(?://[^\n]*|\{[^\n]*\})?$"
                         r"|(?:WriteLn|Writeln|writeln|Write|ReadLn)\([^\n]*\);?[ \t]*$"
                         r"|(?:begin|end[;.]?|var|const|type|uses[ \t][^\n]*;|program[ \t][^\n]*;)[ \t]*$"
                         r"|>[ \t][^\n]*;;[ \t]*$"  # (F# Interactive's input: "> let h = …;;")
                         r"|\$(?:display|write|strobe|monitor|finish|stop)\b"  # (a Verilog testbench's system task)
                         # (BASIC's: a comment after ' or REM, its statements' keywords in capitals)
                         r"|'|REM\b|(?:PRINT|DIM|CLS|FOR|NEXT|GOSUB|GOTO|INPUT|LET|END)\b[^\n]*$"
                         # (Unity's console: a log entry's stack lines under it, "--- Console ---")
                         r"|\[[0-9]+\][ \t]*>[ \t]"  # (Raku's REPL: "[7] > $z2 = $w7 * $h1 + …;")
                         # (COBOL's: its divisions, sections and level numbers, its verbs in capitals, its comments
                         # in column 7 and after "*>")
                         r"|(?:IDENTIFICATION|ENVIRONMENT|DATA|PROCEDURE)[ \t]+DIVISION\.|PROGRAM-ID\."
                         r"|[A-Z-]+[ \t]+SECTION\."
                         r"|[0-9]{2}[ \t]+[A-Z][A-Z0-9-]*(?:[ \t]+PIC[ \t][^\n]*|[ \t]*\.)[ \t]*$"
                         r"|(?:COMPUTE|MOVE|DISPLAY|PERFORM|STOP[ \t]+RUN)[ \t][^\n]*$|\*>|[ \t]{6}\*(?=[ \t])"
                         # (Python's imports, Python 2's print statement: "print "dL1/dz =", f(X, Tt)[0]")
                         r"|import[ \t]+[\w.]+(?:[ \t]+as[ \t]+\w+)?[ \t]*$|from[ \t]+[\w.]+[ \t]+import[ \t]"
                         r"|print[ \t]+\"[^\n]*\"[ \t]*,"
                         r"|UnityEngine\.|[A-Za-z_]\w*:[A-Za-z_]\w*[ \t]*\([^()\n]*\)[ \t]*\(at[ \t]"
                         r"|-{2,}[ \t]*Console"
                         # (Visual Basic's: "Dim h1 As Double = …", its blocks' heads and ends, Console.WriteLine(…))
                         r"|Dim[ \t][^\n]*\bAs[ \t]|Option[ \t]+(?:Strict|Explicit)\b|Imports[ \t]+[\w.]+[ \t]*$"
                         r"|(?:(?:Public|Private|Shared)[ \t]+)*(?:Sub|Function|Module|Class)[ \t]+\w+(?:\(|[ \t]*$)"
                         r"|End[ \t]+(?:Sub|Function|Module|Class|If|Select|While)[ \t]*$"
                         r"|Console\.Write(?:Line)?\([^\n]*\)[ \t]*$"
                         # (Ada's: "Put ("out_o1 = "); Put (Out_O (1), Fore => 1, …); New_Line;", its loops, an
                         # indexed assignment "Net_H (J) := …;", a with/use clause)
                         r"|(?:Put|Put_Line|New_Line)\b[^\n]*;[ \t]*$|(?:end[ \t]+loop|end[ \t]+if)[ \t]*;"
                         r"|for[ \t]+\w+[ \t]+in[ \t][^\n]*[ \t]loop[ \t]*$|(?:with|use)[ \t]+Ada\.[\w.]+;"
                         r"|[A-Za-z_]\w*[ \t]*\([^()\n]*\)[ \t]*:=[^\n]*;[ \t]*$"
                         # (Fortran's: a program unit's head and end, its declarations, "print '(a,f12.8)', …", a
                         # do loop, a comment after "!", an assignment with an array section x(:,n), a kind 0.5_dp
                         # or an array intrinsic)
                         r"|(?:program|module|subroutine)[ \t]+[A-Za-z_]\w*[ \t]*$"
                         r"|end[ \t]+(?:program|module|subroutine|function|do|if)\b[^\n]*$|implicit[ \t]+none\b"
                         r"|use[ \t]+\w+[ \t]*(?:,[ \t]*only[ \t]*:[^\n]*)?$"
                         r"|(?:real|integer|logical|character|complex)\b[^\n:]*::[^\n]*"
                         r"|print[ \t]+(?:'[^'\n]*'|\"[^\"\n]*\"|\*)[ \t]*,[^\n]*"
                         r"|do[ \t]+[A-Za-z_]\w*[ \t]*=[^\n,]+,[^\n]*"
                         r"|![ \t]|[A-Za-z_]\w*(?:\([^()\n]*\))?[ \t]*=[^\n]*?(?:\(:[ \t]*,|,[ \t]*:\)|[0-9]_dp\b"
                         r"|\b(?:matmul|reshape|transpose)\())")
#: ("g[4] = d * h1;  // dE/dw5"; and "...", the code left out; a Swift playground's result beside its line, "w6new =
#: … //▸ -0.29"; a "# …" comment, in a listing; a call of a module's or an object's function, "T.dot(H, W2.T)"; a
#: tuple's assignment, "x1, x2 = 0.5, 0.3"; Python's power, "0.5*(o1 - y1)**2"; the "output:" over what it printed; an
#: indented "return err, grad")
_CODE_LINE = re.compile(_CODE_START.pattern + r"|[^\n]*[;{}(,][ \t]*(?://[^\n]*)?$|[ \t]*(?:\.{3}|…)[ \t]*$"
                        r"|[^\n]*//▸|[ \t]*#+(?:[ \t]|$)|[^\n]*(?<![\w.])[A-Za-z_]\w*\.[A-Za-z_]\w*(?:\.\w+)*\("
                        r"|[ \t]*[A-Za-z_]\w*(?:[ \t]*,[ \t]*[A-Za-z_]\w*)+[ \t]*=(?!=)[^\n]*,[^\n]*"
                        r"|[^\n]*[\w)][ \t]*\*\*[ \t]*[\w(][^\n]*|[ \t]*output:[ \t]*"
                        r"|[ \t]{2,}(?:return|yield|pass|break|continue)\b[^\n]*"
                        # (Lua's: "local eta = 0.5", "for j = 1, 2 do", "end", "local function forward(x)")
                        r"|[ \t]*local[ \t][^\n]*|[ \t]*(?:local[ \t]+)?function\b[^\n]*"
                        r"|[^\n]*(?<![\w.])(?:do|then|end)[ \t]*(?:--[^\n]*)?$")
#: a row of a printed array ("array([ 0.086107  , -0.08468271])", "       [-0.04995837,  0.13909245]])")
_ARRAY_ROW = re.compile(r"[ \t]*(?:array\(|tensor\()?\[*[ \t]*" + NUMBER + r"(?:(?:[ \t]*,[ \t]*|[ \t]+)" + NUMBER
                        + r")*[ \t]*,?[ \t]*\]*\)?,?[ \t]*")
#: a line of printed values only ("  h    = [0.292270, 0.036342]", "O4 = 0.331812  O5 = 0.524979")
_PRINTED_LINE = re.compile(r"[ \t]*(?:(?:epoch|iteration|iter|it|step|pass|sample)[ \t]*[0-9]+[ \t]*[:,][ \t]*)*"
                           r"(?:[A-Za-z][A-Za-z0-9_]*(?:/[A-Za-z][A-Za-z0-9_]*)?(?:[ \t]+new|\+)?(?:\[[0-9]\])?"
                           r"(?:[ \t]*\(sample[ \t]*[0-9]+\))?[ \t]*[=:][ \t]*"
                           r"(?:" + NUMBER + r"|\[" + NUMBER + r"(?:,[ \t]*" + NUMBER + r")+\]"
                           r"|\(" + NUMBER + r"(?:,[ \t]*" + NUMBER + r")+\))[ \t,;]*)+")
#: a printed line of numbers only, after its sample ("  sample 1: -0.371337 + 0.429890")
_PRINTED_SUM = re.compile(r"[ \t]*(?:sample[ \t]*[0-9]+[ \t]*:)?[ \t]*" + NUMBER + r"(?:[ \t]*[-+*/][ \t]*" + NUMBER
                          + r")*[ \t]*", re.IGNORECASE)
#: a printed line that says which pass it is about ("epoch 1: J = 0.933791"): only the last one is the answer's
_EPOCH = re.compile(r"[ \t]*(?:(?:epoch|iteration|iter|it|step|pass)[ \t]*[0-9]+(?:[ \t]*[:,]|[ \t]{2,})"
                    r"|it=[0-9]+[ \t])", re.IGNORECASE)  # (and an f-string's "it=1 err = …")
#: a printout's header over one epoch's values, "--- epoch 1 ---": what follows it, up to the next, is that epoch's
_EPOCH_HEADER = re.compile(r"[ \t]*[-=*#]{2,}[ \t]*(?:epoch|iteration|iter|step|pass)[ \t]*[0-9]+[ \t]*[-=*#]{2,}"
                           r"[ \t]*", re.IGNORECASE)
#: a title over a listing's part, "Sketch:", "Serial Monitor:", "Output:": neither code nor what it printed
_TITLE = re.compile(r"[ \t]*[A-Z][A-Za-z ]{0,30}:[ \t]*")
#: a printed line about one sample only ("sample 2: L = 1.118108"), the sample's number
_SAMPLE = re.compile(r"[ \t]*sample[ \t]*([0-9]+)[ \t]*:", re.IGNORECASE)
#: and one that says which sample ("sample 1: L = 1.047485"), or both ("epoch 1, sample 1:")
_PASS_OR_SAMPLE = re.compile(r"[ \t]*(?:(?:epoch|iteration|iter|step|pass|sample)[ \t]*[0-9]+[ \t]*[:,][ \t]*)+",
                             re.IGNORECASE)
#: OCaml's toplevel echo of a binding: "val dw5 : float = 0.0821670405642307"
#: (and Scala's "val h1: Double = 0.5933", Scala 2's "h1: Double = 0.5933")
#: (F# Interactive's "val h: float array = [|0.2636248355; 0.1194272985|]", an array's entries counted from 1)
_VAL_ECHO = re.compile(r"[ \t]*(?:val[ \t]+)?(?P<name>[A-Za-z_][A-Za-z0-9_']*)[ \t]*:[ \t]*"
                       r"(?:[a-z ]+|Double|Float|Float64|Real|BigDecimal)[ \t]*=[ \t]*(?:(?P<value>" + NUMBER + r")"
                       r"|\[\|[ \t]*(?P<array>" + NUMBER + r"(?:;[ \t]*" + NUMBER + r")+)[ \t]*\|\])[ \t]*")
#: a REPL's input that is one name alone (Common Lisp's "CL-USER> h1"): the next line prints its value
_NAME_INPUT = re.compile(r"[ \t]*(?:(?P<lisp>" + _LISP_PROMPT + r")|utop[ \t]*#|ghci>|Prelude>|scala>|julia>|>"
                         r"|In\[[0-9]+\]:=)[ \t]*(?P<name>[A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*)[ \t]*(?:;;)?[ \t]*")
#: printed "label = value" pairs of a program's output, two or more on a line apart by spaces ("O4 = 0.331812  O5 =
#: 0.524979"), a label with an entry's index counted from 0 (z[0]) or a vector's values (h = [0.263625, 0.119427])
_CALCULATOR_NUMBER = r"[-⁻]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-⁻]?[0-9]+)?"
_PRINTED_PAIR = re.compile(r"(?<![\w.])(?P<name>[A-Za-z][A-Za-z0-9_]*(?:/[A-Za-z][A-Za-z0-9_]*)?)(?P<new>[ \t]+new|\+)?"
                           r"(?:\[(?P<k>[0-9])\])?(?:[ \t]*\(sample[ \t]*(?P<sample>[0-9]+)\))?"
                           r"[ \t]*[=:][ \t]*(?:(?P<value>"
                           + _CALCULATOR_NUMBER + r")|\[(?P<vector>" + NUMBER + r"(?:,[ \t]*" + NUMBER + r")+)\]"
                           r"|\((?P<tuple>" + NUMBER + r"(?:,[ \t]*" + NUMBER + r")+)\))"
                           r"(?=[ \t,;]|$)")
#: a calculator's displayed number, right-aligned, as TI-BASIC's Disp prints it (".0653670107", "⁻.4126066531")
#: (after R's "[1]" or Mathematica's "Out[3]=" before it)
_DISPLAY_NUMBER = re.compile(r"[ \t]*(?:\[1\][ \t]+|Out\[[0-9]+\]=[ \t]*)?(?P<quote>\"?)(?P<value>"
                             + _CALCULATOR_NUMBER + r")(?P=quote)[ \t]*")  # (a formatted string: "-0.0684300229")
#: a line of the sheet's own under a program's listing that works an answer out, after its label: "Answer 2(c):
#: ∂Error/∂w6 = δ_o2 · h1 = 0.149181 × 0.562177 = 0.083866" (math, not a printed value: its pairs are not read)
_WORKED_ANSWER = re.compile(r"[ \t]*[^\W\d_][^\W\d_]*(?:[ \t]+[0-9]{1,2}(?:\.[0-9]{1,2})?[a-z]?(?:\([a-z0-9]\))?)?"
                            r"(?:[ \t]*\([^()\n=:]*\))?[ \t]*:"  # ("Answer 2(d) (from the program):")
                            r"[ \t]*(?P<math>[^\n=:;'\"]*=(?!=)[^\n:;'\"]*[0-9][^\n:;'\"]*)")
_ANSWER_LEAD = re.compile(r"[ \t]*" + answer_word(capitalized=True) + r"(?![A-Za-z])")
_OPERATOR_AFTER = re.compile(r"[ \t]*[×·*/+\-−^(]")
_OPERATOR_BEFORE = re.compile(r"[×·*/+\-−=(][ \t]*$")
#: a label a program displayed before a value on a line of its own ("W5 NEW", "DELTA H2", "DW4")
_DISPLAY_LABEL = re.compile(r"[ \t]*(?P<label>[A-Za-z][A-Za-z0-9]*(?:[ \t][A-Za-z][A-Za-z0-9]*)?)[ \t]*")


#: a Verilog system task or function called in a testbench ($display, $exp, $finish): code, not math in dollars
_SYSTEM_TASK = r"(?:display|write|strobe|monitor|fwrite|fdisplay|finish|stop|exp|ln|log10|sqrt|pow|itor|rtoi|" \
    r"realtime|time|bitstoreal|realtobits|random|urandom|dumpfile|dumpvars)\b"


#: a Perl script or its run: its sigils ($x, @_, %w) are variables, not math in dollars
PERL = re.compile(r"(?m)^[ \t]*(?:my[ \t]*[$@%(]|\[[0-9]+\][ \t]*>[ \t]|use[ \t]+(?:strict|warnings)[ \t]*;"
                   r"|#!/usr/bin/(?:env[ \t]+)?perl\b"
                   r"|\$[ \t]+perl[ \t]|printf?[ \t]+\"[^\"\n]*\"[ \t]*,[^\n]*\$[A-Za-z_])")
#: a value printed in columns, its label padded (Perl's or C's printf "%-12s %.6f\n": "Out_h1       0.562177",
#: "dE/dOut_o2   1.197393"), maybe after its pass ("epoch 2  Error 0.195033")
_COLUMN_PAIR = re.compile(r"[ \t]*(?:(?P<pass>(?:epoch|iteration|iter|step|pass)[ \t]*[0-9]+)[ \t]{2,})?"
                          r"(?P<name>[A-Za-z][A-Za-z0-9_]*(?:/[A-Za-z][A-Za-z0-9_]*)?)(?(pass)[ \t]+|[ \t]{2,})"
                          r"(?P<value>" + _CALCULATOR_NUMBER + r")[ \t]*")


#: a comment line of the student's that states an answer under a program ("// (i) dE/dw4 = -0.36045", "// answer: dw5 =
#: d * h1 = 0.0822", VHDL's or Lua's "-- (l) w8+ ~ 0.7", gretl's or Python's "# Ans (o): w5 after round 2 ~ 0.2"): its
#: label, then a statement that ends in a number (maybe a remark in brackets after it; the sample said before its "=",
#: "// net_y2 (sample 1) = …", another remark there, "(2nd iteration)", or the step, "// E after one step = …"; Lisp's
#: ";; h1 = … = 0.5622" too, ending in a number of its own: ";; delta_h2 = dError/dh2 * h2 (1 - h2)" is a remark)
_COMMENT_CLAIM = re.compile(r"[ \t]*(?:///?|--(?=[ \t])|#{1,2}(?=[ \t])|'(?=[ \t])"
                            r"|;{1,3}(?=[ \t][^\n]*(?<![\w.])[0-9][0-9.]*[ \t]*(?:\([^()\n]*\))?[ \t]*$))[ \t]*"
                            r"(?:\(?[a-z0-9]{1,3}[).:][ \t]*"
                            r"|[A-Za-z]{2,12}[ \t]*(?:\([a-z0-9]{1,4}'?\)|\([a-z][a-z ]{2,30}\))?[ \t]*:[ \t]*"
                            r"(?:(?:iteration|pass|round|epoch)[ \t]*[0-9]{1,2}[ \t]*,[ \t]*)?"
                            r"|" + shouted_answer() + r"[ \t]+)?"  # (C's "// ANSWER dE/dw6 = …": no colon)
                            r"(?P<name>[A-Za-z∂δΔ][\w/∂'′^{}()]*)(?P<plus>[+⁺]?)"
                            r"(?:[ \t]+\((?:(?P<which>sample)[ \t]*(?P<n>[0-9]{1,3})"
                            r"(?:,?[ \t]*after[ \t]+[^()\n]{1,20})?|[^()=\n]{1,30})\))?"
                            r"(?:[ \t]+after[ \t]+(?:the[ \t]+)?(?:one|a|first|second|third|two|[0-9](?:st|nd|rd|th)?)?"
                            r"[ \t]*(?:step|update|iteration|epoch|round)s?(?:[ \t]+[0-9]{1,2})?)?"
                            r"(?P<rest>[ \t]*(?:=(?!=)|≈|~)(?:[^\n;{}\"]|\^\{[0-9]\}|\\tfrac\{[0-9]\}\{[0-9]\})*?"
                            + NUMBER + r")"
                            r"[ \t]*(?:\([^()\n]*\))?[ \t]*")


#: a comment that gives the answer after its label, a formula or a number ("// Answer (b): ∂E/∂y = y − d", a
#: Yacas session's; a Raku REPL's "# → answer (b): net_y2 = …", "# ==> answer (a): …"; an arrow alone, "# =>
#: (remark) w5 after the second update = 0.031892"): the student's claim
#: (C's "// ANSWER dE/dw6 = -0.388320": a label in capitals needs no colon)
_ANSWER_CLAIM = re.compile(r"[ \t]*(?://|#|--|'|;+|\*>)[ \t]*(?:(?:→|-+>|=+>)[ \t]*)?(?:"
                           + answer_label(bare=True, part_only=True) + r"|(?<=>|→)[ \t]*(?:\([^()\n]*\))?)"
                           r"[ \t]*(?P<said>[^\n=≈~]*[=≈~][^\n]*)")


#: an answer's words between its name and its relation: "dE/dw5 at the new point ≈ -0.1" (the point the question
#: asks about: a remark)
_SAID_WORDS = re.compile(r"(?P<name>[^\s=≈~]+)(?:[ \t]+[a-z]{2,})+[ \t]*(?P<rest>[=≈~][^\n]*)")


def answer_claim(said: str) -> str:
    """An answer comment's statement as math: in a comment's claim's words when they read it ("y1 (sample 1) after
    one step = …"), else with the words after its name left out, else as written (and unread if it cannot be)."""
    said = said.strip()
    for text in (said, (m["name"] + " " + m["rest"]) if (m := _SAID_WORDS.fullmatch(said)) else None):
        if text is not None and (claim := _COMMENT_CLAIM.fullmatch("# " + text)) is not None:
            return _comment_claim(claim)
    return "$" + said + "$"


def _comment_claim(m: re.Match[str]) -> str:
    """A comment's claim as math: its name (w10+ the weight updated), the sample it is of, the statement."""
    which = f" ({m['which']} {m['n']})" if m["which"] else ""
    rest = re.sub(r"^([ \t]*)~", r"\1≈", m["rest"])  # (a plain-text "w8+ ~ 0.7": about)
    return f"${m['name']}{'^{+}' if m['plus'] else ''}{which}{rest}$"


_FENCE_LINE = re.compile(r"[ \t]*```")


def commented_claims(text: str) -> str:
    """A sheet of fenced code and its output: the student's comment lines outside the fences that state a value,
    each as math, `$dE/dw4 = -0.36045$` (a claim of the sheet, not a program's comment)."""
    lines = text.split("\n")
    fenced = False
    for k, line in enumerate(lines):
        if _FENCE_LINE.match(line):
            fenced = not fenced
        elif not fenced and (claim := _COMMENT_CLAIM.fullmatch(line)) is not None:
            lines[k] = _comment_claim(claim)
    return "\n".join(lines)


#: a BASIC listing (QBasic's PRINT "H1 ="; H1, DIM, REM): its printout's labels are its names in capitals
_BASIC = re.compile(r'(?m)\bPRINT[ \t]+"|^[ \t]*(?:DIM[ \t]|REM\b|CLS[ \t]*$)')
#: a printed label in capitals before its "=" (H1, OUT, dE/dH1), and PRINT's space before a number it printed
#: ("dE/dw"; K: "dE/dw 1 =")
_BASIC_LABEL = re.compile(r"(?<![\w.])(?P<label>(?:d[A-Z]?[A-Za-z]*/d)?[A-Za-z][A-Za-z0-9]*)"
                          r"(?:[ \t](?P<k>[0-9]{1,2}))?(?=[ \t]*=)")
#: a number BASIC printed without its leading zero (.85, -.22652)
_BASIC_POINT = re.compile(r"(?<![\w.])\.(?=[0-9])")


def _basic_label(m: re.Match[str]) -> str:
    label = m["label"]
    head, _, name = label.rpartition("/d") if "/d" in label else ("", "", label)
    if name.isupper() or (name[:1].isupper() and name[1:].isdigit()):
        name = name.lower()  # (H1 is the network's h1: BASIC's names are typed in capitals)
    return (head + "/d" if head else "") + name + (m["k"] or "")


#: a printed label that is a derivative of the error by a weight or a unit, slash and all: "dE/dw3", "dJ/db1"
_PRINTED_PARTIAL = re.compile(r"d(?P<of>E|J|L|C|Error|Loss|Cost)/d(?P<wrt>[A-Za-z][0-9]{1,2})")


def _printed_statement(label: str, value: str) -> str:
    """A printed "label = value" as math: dE/dw3 the derivative ∂E/∂w3; another label with a slash, dJ/dOut_h1, one
    code name (dJ_dOut_h1, the sheet's own)."""
    partial = _PRINTED_PARTIAL.fullmatch(label)
    if partial is not None:
        return rf"$\frac{{\partial {partial['of']}}}{{\partial {code_expr(partial['wrt'], True)}}} = {value}$"
    return _statement(label.replace("/", "_"), value)


def _vector_entry(name: str, i: int) -> str:
    """Entry i of a printed vector: h's h_{i}; dL/da's ∂L/∂a_{i} (a derivative by each entry)."""
    partial = re.fullmatch(r"d([A-Za-z]+)/d([A-Za-z]+)", name)
    if partial is not None:
        return rf"\frac{{\partial {partial[1]}}}{{\partial {partial[2]}_{{{i}}}}}"
    return f"{code_expr(name)}_{{{i}}}"


def _first_sample(said: str | None, text: str) -> bool:
    """Is the sample a printed line says (none said: the only one) the batch's first: "sample 0" where the listing
    counts from 0, "sample 1" where it counts from 1?"""
    return said is None or int(said) == (0 if re.search(r"\bsample[ \t]*0\b", text) else 1)


def listed(text: str) -> bool:
    """Does the text have a line only a program's listing or a console has (a prompt, a comment's mark, a C
    include, a Lisp form)? Such a text's comments and printed values are read by program_listing."""
    return any(_CODE_START.match(line) for line in text.split("\n"))


#: a string with a value put in, Dart's and Kotlin's 'w2 = ${w[1].toStringAsFixed(8)}', "h1 = $h1": no TeX
_INTERPOLATED = re.compile(r"'[^'\n]*\$(?:\{[^}\n]*\}|[A-Za-z_])[^'\n]*'"
                           r"|\"[^\"\n]*\$(?:\{[^}\n]*\}|[A-Za-z_])[^\"\n]*\"")
_WINDOWS_PATH = re.compile(r"(?<![\w\\])[A-Z]:\\[^\s>]*")  # (a console's "PS C:\hw3\Backprop> dotnet run": no TeX)


#: a line, then a comment after two spaces or more ("dw6 = -0.388320      // ANSWER dE/dw6 = -0.388320")
_TRAILING_COMMENT = re.compile(r"(?P<printed>[^\n]*?\S)[ \t]{2,}(?P<comment>(?://|#)[^\n]*)")
#: a list's literal assigned in a program's source (between its lines of code, not printed)
_LIST_LITERAL = re.compile(r"[ \t]*[A-Za-z_]\w*[ \t]*=[ \t]*\[[^\n\]]*\][ \t]*(?:#[^\n]*)?")


def program_listing(text: str) -> str:
    r"""A sheet that is a program (its source, a REPL's session, what it printed), typed without math markup: the
    values it printed under a name become statements `$\text{name} = value$`; its code, comments and what else it
    printed are blanks (a printed value is a claim, the code that computed it is not read). Positions are kept: the
    statements go in order where the listing was, each before the end of its value's line. Other text is returned
    as is."""
    if re.search(r"\\(?!tfrac\{[0-9]\}\{[0-9]\})(?:[A-Za-z]{2,}|[\[(])", _WINDOWS_PATH.sub("", text)) \
            or (re.search(r"(?m)(?<!^)\$(?!" + _SYSTEM_TASK + r"|\"|[0-9])|\$(?![ \t\"0-9]|" + _SYSTEM_TASK + ")",
                          _INTERPOLATED.sub("", text))
                and not PERL.search(text)) \
            or "```" in text:
        return text  # (LaTeX, math in dollars, Markdown's fences: read as they are)
    lines = text.split("\n")
    claims: dict[int, str] = {}  # (a printed line's answer comment: "out = 0.255746    // ANSWER … = 0.255746")
    for k, line in enumerate(lines):
        if (tail := _TRAILING_COMMENT.fullmatch(line)) is not None and _PRINTED_LINE.fullmatch(tail["printed"]) \
                and (answer := _ANSWER_CLAIM.fullmatch(tail["comment"])) is not None:
            claims[k] = answer_claim(answer["said"])
            lines[k] = tail["printed"] + " " * (len(line) - len(tail["printed"]))
    if _BASIC.search(text):
        lines = [line if _CODE_LINE.match(line) else _BASIC_POINT.sub("0.", _BASIC_LABEL.sub(_basic_label, line))
                 for line in lines]
    code = [bool(_CODE_LINE.match(line)) and not _VAL_ECHO.fullmatch(line) for line in lines]
    filled_at = [k for k, line in enumerate(lines) if line.strip()]
    for before, k, after in zip(filled_at, filled_at[1:], filled_at[2:], strict=False):  # ("w = [0.20, …]" in code)
        if code[before] and code[after] and _LIST_LITERAL.fullmatch(lines[k]) \
                and not (_PROMPT.match(lines[before]) or _PROMPT.match(lines[after])):
            code[k] = True
    filled = [line for line in lines if line.strip() and not _TITLE.fullmatch(line)]
    printed = all(_PRINTED_LINE.fullmatch(line) or _PASS_OR_SAMPLE.fullmatch(line) for line in filled) \
        and any(m["k"] is not None or m["vector"] is not None for m in _PRINTED_PAIR.finditer(text))
    output = sum(bool(_PRINTED_LINE.fullmatch(line) or _VAL_ECHO.fullmatch(line) or _DISPLAY_NUMBER.fullmatch(line)
                      or _ARRAY_ROW.fullmatch(line) or answered(line) is not None
                      or _EPOCH_HEADER.fullmatch(line)
                      or _DISPLAY_LABEL.fullmatch(line) or re.fullmatch(r"[^|\n]+(?:\|[^|\n]+)+", line)
                      or _PRINTED_SUM.fullmatch(line) or _COLUMN_PAIR.fullmatch(line))
                 for line in filled)
    strong = any(_CODE_START.match(line) for line in lines)
    if not printed and not (strong and ((sum(code) >= 2 and sum(code) * 10 >= len(filled) * 3)
                                        or (output and (sum(code) + output) * 10 >= len(filled) * 6))):
        return text  # (a printout alone, "h = [0.292270, 0.036342]" and "p[0] = 0.406405", is a program's too)
    facts: list[tuple[int, str]] = []
    shown: set[int] = set()  # the output lines already read as what an input before them printed
    for k, line in enumerate(lines):
        following = next((j for j in range(k + 1, len(lines)) if lines[j].strip()), None)
        if k in shown:
            continue
        if (echo := _VAL_ECHO.fullmatch(line)) is not None and echo["array"] is not None:
            values = [v.strip() for v in echo["array"].split(";")]
            facts += [(k, f"${code_expr(echo['name'])}_{{{i}}} = {v}$") for i, v in enumerate(values, 1)]
        elif echo is not None:  # (w5' is w5 updated, w4'' updated twice)
            name = echo["name"]
            primes = len(name) - len(name.rstrip("'"))
            facts.append((k, f"${code_expr(name.rstrip(chr(39)))}{'^{' + '+' * primes + '}' if primes else ''}"
                             f" = {echo['value']}$"))
        elif (asked := _NAME_INPUT.fullmatch(line)) is not None and following is not None \
                and _DISPLAY_NUMBER.fullmatch(lines[following]):
            if "-" in asked["name"] and asked["lisp"] is None:
                continue  # (a hyphen is a minus but in Lisp's names: "> o1-t1" is no name)
            facts.append((following, _statement(asked["name"].replace("-", "_"), _shown(lines[following]))))
            shown.add(following)
        elif (form := _LISP_INPUT.fullmatch(line)) is not None and following is not None \
                and _DISPLAY_NUMBER.fullmatch(lines[following]) and (infix := _infix(form["form"])) is not None:
            facts.append((following, f"${infix} = {_shown(lines[following])}$"))
            shown.add(following)
        elif (answer := _ANSWER_CLAIM.fullmatch(line)) is not None and _COMMENT_CLAIM.fullmatch(line) is None:
            facts.append((k, answer_claim(answer["said"])))
        elif (claim := _COMMENT_CLAIM.fullmatch(line)) is not None:
            facts.append((k, _comment_claim(claim)))
        elif code[k]:
            continue
        elif (worked := _WORKED_ANSWER.fullmatch(line)) is not None and not _PRINTED_LINE.fullmatch(line):
            facts.append((k, "$" + worked["math"].strip() + "$"))  # (its words before it: a label)
        elif (answer_line := answered(line)) is not None:
            facts.append((k, "$" + answer_line[1] + "$"))  # ("ANS q1a: net of y2 for sample 1: z_2 = …")
        elif (column := _COLUMN_PAIR.fullmatch(line)) is not None:
            facts.append((k, _printed_statement(column["name"], _displayed(column["value"]))))
        elif "|" in line and following is not None and (row := _grid_row(line, lines[following])):
            facts.append((following, row))
            shown.add(following)
        elif (label := _DISPLAY_LABEL.fullmatch(line)) is not None and following is not None \
                and _DISPLAY_NUMBER.fullmatch(lines[following]) and not label["label"].isdigit():
            facts.append((following, _label_statement(label["label"], _shown(lines[following]))))
            shown.add(following)
        else:
            sample = _SAMPLE.match(line)
            for n, m in enumerate(_PRINTED_PAIR.finditer(line)):
                if _OPERATOR_AFTER.match(line, m.end()) or _OPERATOR_BEFORE.search(line, 0, m.start()):
                    continue  # ("δ_o2 · h1 = 0.149181 × 0.562177": a piece of a chain, not a printed pair)
                said = line[:m.start()].strip() + " " if n == 0 and _PASS_OR_SAMPLE.match(line) else ""
                if said and sample is None:  # ("epoch 1: J = 0.933791": said before it, on its line)
                    facts.append((k, said.replace("$", "")))
                name = m["name"].replace("/", "_")  # (dJ/db1 as one code name, dJ_db1)
                if m["new"]:  # ("w5 new = 0.174383", "w6+ = 0.408666186": w5 after its update)
                    facts.append((k, f"${code_expr(name)}^{{+}} = {_displayed(m['value'] or '')}$"))
                    continue
                if m["value"] is not None and m["k"] is None and sample is not None:
                    # ("sample 1: L = 1.047485": the loss of sample 1, L^{(1)})
                    facts.append((k, f"${code_expr(name)}^{{({sample[1]})}} = {_displayed(m['value'])}$"))
                elif m["vector"] is not None or m["tuple"] is not None:
                    if not _first_sample(m["sample"] or (sample[1] if sample is not None else None), text):
                        continue  # (another sample's values: which of the batch's, the sheet's count says)
                    values = [v.strip() for v in (m["vector"] or m["tuple"]).split(",")]
                    facts += [(k, f"${_vector_entry(m['name'], i)} = {v}$") for i, v in enumerate(values, 1)]
                elif m["k"] is not None:
                    facts.append((k, f"${code_expr(m['name'])}_{{{int(m['k']) + 1}}} = {m['value']}$"))
                else:
                    facts.append((k, _printed_statement(m["name"], _displayed(m["value"]))))
    epochs = [k for k, line in enumerate(lines) if _EPOCH.match(line)]
    # ("epoch 0: J = 1.0828" before "epoch 1: …"; of a run whose printout has answer comments, their lines' only)
    facts = [(k, f) for k, f in facts if k not in (epochs if claims else epochs[:-1])]
    facts = sorted(facts + list(claims.items()), key=lambda fact: fact[0])
    headers = [k for k, line in enumerate(lines) if _EPOCH_HEADER.fullmatch(line)]
    if headers:  # (the last epoch's values, under its header: "--- epoch 1 ---", then out = …)
        facts = [(k, f) for k, f in facts if k > headers[-1]]
    ends = [m.start() for m in re.finditer("\n", text)] + [len(text)]
    out = [" "] * len(text)  # (the listing's line breaks go too: each statement a line of its own, in order)
    cursor = 0
    for k, statement in facts:
        if cursor + len(statement) > ends[k] and (short := _ends_only(statement)) is not None:
            statement = short  # ("$d_o1 = ((o1 - y1) · o1 · (1 - o1)) = 0.0616$", its lines short: d_o1 = 0.0616)
        if cursor + len(statement) <= ends[k] or k == len(ends) - 1:  # (the last line's: after the text, if need be)
            out[cursor:cursor + len(statement)] = statement
            cursor += len(statement)
            if not statement.endswith(" ") and cursor < len(text):
                out[cursor] = "\n"
                cursor += 1
    return "".join(out)


def _ends_only(statement: str) -> str | None:
    """A printed statement "$A = … = V$" as its first and last members, "$A = V$" (None when it has no middle)."""
    members = _top_level_split(statement.strip().strip("$"), "=")
    if len(members) < 3:
        return None
    return f"${members[0].strip()} = {members[-1].strip()}$"


#: a Lisp REPL's input that is one form: "CL-USER> (* d-o2 h2)", Clojure's "user=> (* d-o1 h1)   ; dError/dw5"
_LISP_INPUT = re.compile(r"[ \t]*(?:" + _LISP_PROMPT + r")[ \t]*(?P<form>\(.*\))[ \t]*(?:;[^()\n]*)?")
_LISP_ATOM = re.compile(r"\(|\)|[^\s()]+")
_LISP_OPERATORS = {"+": " + ", "-": " - ", "*": r" \cdot ", "/": " / "}


def _infix(form: str) -> str | None:
    r"""A Lisp form of arithmetic as math ((* d-o2 h2) is \text{d_o2} \cdot \text{h2}; (- 1 h2) 1 − h2; (expt x 2);
    a plist accessor (w :w6) the name w6); None for any other call (a function of the program's own)."""
    atoms = _LISP_ATOM.findall(form)
    pos = 0

    def read() -> str | None:
        nonlocal pos
        if pos >= len(atoms):
            return None
        atom = atoms[pos]
        pos += 1
        if atom == ")":
            return None
        if atom != "(":
            if re.fullmatch(NUMBER, atom):
                return atom
            name = atom.replace("-", "_").rstrip("'")
            primes = len(atom) - len(atom.rstrip("'"))  # (w': w updated, as a toplevel's echo writes it)
            return code_expr(name) + ("^{" + "+" * primes + "}" if primes else "") \
                if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name) else None
        head = atoms[pos] if pos < len(atoms) else ""
        pos += 1
        args = []
        while pos < len(atoms) and atoms[pos] != ")":
            if head == "format" and atoms[pos].startswith('"'):  # ((format "%.10f" e-h1): the number e-h1)
                pos += 1
                continue
            if atoms[pos].startswith(":") and head not in _LISP_OPERATORS:
                args.append(code_expr(atoms[pos][1:].replace("-", "_")))
                pos += 1
                continue
            arg = read()
            if arg is None:
                return None
            args.append(arg)
        pos += 1
        if head in ("setf", "setq", "defparameter", "defvar") and len(args) == 2:
            return f"{args[0]} = {args[1]}"  # (setf d-h2 (* de-dh2 h2 (- 1 h2))): d_h2 = … (a name given anew)
        if head == "expt" and len(args) == 2:
            return f"({args[0]})^{{{args[1]}}}"
        if head in _LISP_OPERATORS and args:
            if head == "-" and len(args) == 1:
                return f"(-{args[0]})"
            return "(" + _LISP_OPERATORS[head].join(args) + ")"
        if len(args) == 1 and re.fullmatch(r"[a-z]", head):  # (w :w6): the plist's entry, the name itself
            return args[0]
        if len(args) == 1 and re.fullmatch(r":[A-Za-z][A-Za-z0-9-]*", head):  # Clojure's (:w6 w): the same entry
            updated = args[0][args[0].index("^"):] if args[0].endswith("+}") else ""  # ((:w6 w'): w6 updated)
            return code_expr(head[1:].replace("-", "_")) + updated
        if head == "format" and len(args) == 1:
            return args[0]
        return None
    result = read()
    return result if result is not None and pos == len(atoms) else None


def _shown(line: str) -> str:
    """The number a line of output shows (one _DISPLAY_NUMBER matches), as math."""
    shown = _DISPLAY_NUMBER.fullmatch(line)
    return _displayed(shown["value"] if shown is not None else line)


def _displayed(value: str) -> str:
    """A calculator's number as math: ⁻ a minus, a leading point a 0 before it."""
    v = value.strip().replace("⁻", "-")
    return re.sub(r"^(-?)\.", r"\g<1>0.", v)


def _label_statement(label: str, value: str) -> str:
    """A displayed label's statement: "W5 NEW" is w5 after its update, "DELTA H2" delta_h2, "OUT H1" out_h1."""
    words = label.lower().split()
    if len(words) == 2 and words[1] in ("new", "neu", "upd"):
        return f"${code_expr(words[0])}^{{+}} = {value}$"
    return _statement("_".join(words), value)


def _grid_row(header: str, row: str) -> str | None:
    """A query console's result grid ("Row | h1 | h2 | out" over "1 | 0.85 | 0.48 | 0.191"): each named column's
    value, a statement; None when the two lines are not such a header and row."""
    names = [c.strip() for c in header.split("|")]
    values = [c.strip() for c in row.split("|")]
    if len(names) != len(values) or len(names) < 2 or not all(re.fullmatch(NUMBER, v) for v in values) \
            or not all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", n) for n in names):
        return None
    return " ".join(_statement(n, v) for n, v in zip(names, values, strict=True) if n.lower() not in ("row", "n"))
