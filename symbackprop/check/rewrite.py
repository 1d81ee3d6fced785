r"""Pass B of the derivation reader: raw tokens → the tokens the grammar reads, by rewriting with context.

The lexer sees one token at a time; what needs more — the tokens around, a bracket's partner, a whole
answer — is settled here, in the order `_rewrite` runs the steps: blanks left by the student (`= ?`), an
activation's derivative evaluated at a point, evaluation bars and `\mathbf`-like wrappers (`_tidy`),
parenthesised remarks, norms, the bracket balance and depth; then `_cook` (letter runs into names,
one-token arguments of `^` and `\frac`, subscript text, name superscripts and transposes; then scientific
numbers, `\nabla`, micrograd's attributes, function calls); last a loss's arguments, Haykin's time index
(n) and an answer's own e.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from .tokens import (
    _CLOSERS,
    _OPENERS,
    _PARSER_TERMINALS,
    MAX_EXPONENT,
    Refused,
    _Plain,
    _show,
    _Source,
    _Tok,
)
from .vocabulary import (
    BEAMER_HIGHLIGHTS,
    DIFFERENTIAL_D,
    FUNCTION_NAMES,
    GREEK,
    LAYER_LETTERS,
    LAYER_WORDS,
    NEW_WORDS,
    NG_D,
    NG_GRADIENTS,
    PATTERN_INDEX,
    SAMPLE_INDICES,
    WORDS,
)

_ARGUMENT_TYPES = _PARSER_TERMINALS | {"LETTERS", "TEXTNAME"}  # what can follow ^ or \frac in pass B
#: the multiplication signs of a number in scientific notation, 8.77 \times 10^{-3}
_TIMES = frozenset({r"\times", r"\cdot", "×", "·", "⋅", "∙"})


def _rewrite(raw: list[_Tok], src: _Source, max_depth: int, sum_samples: int | None) -> list[_Tok]:
    """The raw tokens of an answer (from _lex) rewritten, step by step, into the tokens the grammar reads."""
    raw = _norms(_remarks(_implied_values(_tidy(_evaluated_derivatives(_blanks(_over(raw, src), src), src), src))), src)
    _check_brackets(raw, src, max_depth)
    toks = _worded_marks(_pair_deltas(_loss_arguments(_halves(_greek_layers(_cook(raw, src), src), src), src), src),
                         src)
    if sum_samples is None:
        toks = _time_index(toks, src)
    return _defined_e(toks)


def _greek_layers(toks: list[_Tok], src: _Source) -> list[_Tok]:
    """Rich & Knight's δ2_j, δ1_j: a Greek letter with a layer's digit glued on before its subscript is δ^{(2)}_j, as
    the Latin w1_{ij} is (emit_digits)."""
    out: list[_Tok] = []
    for k, t in enumerate(toks):
        if t.type == "NUMBER" and len(str(t)) == 1 and str(t).isdigit() and out and out[-1].type == "NAME" \
                and out[-1].end_pos == t.start_pos and str(out[-1]).startswith("\\") and k + 1 < len(toks) \
                and toks[k + 1].type == "USCORE" and toks[k + 1].start_pos == t.end_pos:
            out.append(src.tok("SUPMARK", str(t), t.start_pos, t.end_pos, str(t)))
            continue
        if t.type == "NUMBER" and str(t).isdigit() and len(str(t)) <= 2 and out and out[-1].type == "NAME" \
                and out[-1].end_pos == t.start_pos and len(str(out[-1])) == 1 and not str(out[-1]).isascii() \
                and (k + 1 == len(toks) or toks[k + 1].type not in ("USCORE", "CARET", "LPAR")):
            # (a plain text's δ1, δ2: the Greek letter typed with its index glued on, δ_1)
            out.append(src.tok("USCORE", "_", t.start_pos, t.start_pos))
            out.append(src.tok("SUBTEXT", str(t), t.start_pos, t.end_pos, str(t.info)))
            continue
        out.append(t)
    return out


def _worded_marks(toks: list[_Tok], src: _Source) -> list[_Tok]:
    """StatQuest's \\text{New } w_5 = \\text{Old } w_5 − …: the word before a (subscripted) name is its mark, as
    w_5^{+} and w_5 (the weight as it is)."""
    out: list[_Tok] = []
    k, n = 0, len(toks)
    while k < n:
        t = toks[k]
        if t.type == "NAME" and t.info in ("new", "old") and k + 1 < n and toks[k + 1].type == "NAME" \
                and toks[k + 1].info in ("w", "W", "b", "theta") and not (out and out[-1].type in ("USCORE", "CARET")):
            end = k + 4 if [x.type for x in toks[k + 2:k + 4]] == ["USCORE", "SUBTEXT"] else k + 2
            out += toks[k + 1:end]
            if t.info == "new":
                out.append(src.tok("SUPMARK", str(t), t.start_pos, t.end_pos, "+"))
            k = end
            continue
        out.append(t)
        k += 1
    return out


def _halves(toks: list[_Tok], src: _Source) -> list[_Tok]:
    """ASCII's `1/2 (y - out)^2`, `1/m \\sum_i …`: a whole number over a whole number or a one-letter count,
    right before a bracket or a Σ, is that fraction times it (not 1/(2 (y − out)²), which juxtaposition binding
    tighter than / would make it)."""
    out: list[_Tok] = []
    k, n = 0, len(toks)
    while k < n:
        t = toks[k]
        if t.type == "NUMBER" and str(t.info).isdigit() and k + 3 < n and toks[k + 1].type == "DIV" \
                and ((toks[k + 2].type == "NUMBER" and str(toks[k + 2].info).isdigit())
                     or (toks[k + 2].type == "NAME" and len(str(toks[k + 2].info)) == 1)) \
                and toks[k + 3].type in ("LPAR", "LBRACK", "SUM") \
                and (k == 0 or toks[k - 1].type not in ("DIV", "CARET", "USCORE", "NAME", "RPAR")):
            end = toks[k + 2]
            out += [src.tok("LBRACE", "", t.start_pos, t.start_pos, ""), t, toks[k + 1], end,
                    src.tok("RBRACE", "", end.end_pos, end.end_pos, "")]
            k += 3
            continue
        out.append(t)
        k += 1
    return out


def _blanks(toks: list[_Tok], src: _Source) -> list[_Tok]:
    """`… = ?`, `… = \\cdots` at the end of a chain: the value left blank. The relation and the blank are dropped, so
    the chain stops at what was written (a chain rule with no value is then an incomplete answer)."""
    out: list[_Tok] = []
    for k, t in enumerate(toks):
        after = toks[k + 1] if k + 1 < len(toks) else None
        if t.type == "UNSUPPORTED" and (str(t) == "?" or "ellipsis" in str(t.info)) and out \
                and out[-1].type == "REL" and (after is None or after.type in ("NL", "BREAK", "HARDSEP")):
            src.blanks.append(out.pop().start_pos)
            continue
        out.append(t)
    return out


def _evaluated_derivatives(toks: list[_Tok], src: _Source) -> list[_Tok]:
    """`\\frac{d\\Phi}{du}\\Big|_{u = u_3}`, `\\frac{\\partial f}{\\partial x}\\right|_{x = net_{h1}}`: an activation's
    derivative evaluated at a point is its derivative applied there, Φ'(u_3), f'(net_{h1})."""
    out: list[_Tok] = []
    k = 0
    while k < len(toks):
        found = _evaluated_at(toks, k)
        if found is None:
            out.append(toks[k])
            k += 1
            continue
        end, function, value = found
        at = toks[k].start_pos
        out += [function, src.tok("PRIME", "'", at, at, "'"), src.tok("LPAR", "(", at, at, ""), *value,
                src.tok("RPAR", ")", toks[end - 1].end_pos, toks[end - 1].end_pos, "")]
        k = end
    return out


def _evaluated_at(toks: list[_Tok], k: int) -> tuple[int, _Tok, list[_Tok]] | None:
    """(the index after the bar's subscript, the function's token, the point's tokens) of d F/d x |_{x = a} at k."""
    if toks[k].type != "FRAC" or k + 1 >= len(toks) or toks[k + 1].type != "LBRACE":
        return None
    parts: list[list[_Tok]] = []
    j = k + 1
    for _ in range(2):
        if j >= len(toks) or toks[j].type != "LBRACE":
            return None
        close = next((i for i in range(j + 1, min(len(toks), j + 6)) if toks[i].type in ("LBRACE", "RBRACE")), None)
        if close is None or toks[close].type != "RBRACE":
            return None
        parts.append(toks[j + 1:close])
        j = close + 1
    if j + 2 >= len(toks) or toks[j].type != "EVALBAR" or toks[j + 1].type != "USCORE" \
            or toks[j + 2].type != "LBRACE":
        return None
    end = _group_close(toks, j + 2)
    function, variable = _differential(parts[0], FUNCTION_NAMES), _differential(parts[1], None)
    if end is None or function is None or variable is None:
        return None
    inner = toks[j + 3:end]
    rel = next((i for i, t in enumerate(inner) if t.type == "REL"), None)
    if rel != 1 or inner[0].type not in ("LETTERS", "NAME") or str(inner[0].info) != variable or rel + 1 >= len(inner):
        return None
    return end + 1, function, inner[rel + 1:]


def _differential(toks: list[_Tok], functions: Mapping[str, str] | None) -> Any:
    """The name after the d (or ∂) of dΦ, df, du, ∂x: with `functions`, its token when it names one of them; else the
    variable's letters. None when it is no such differential."""
    if len(toks) == 1 and toks[0].type == "LETTERS" and len(str(toks[0].info)) > 1 and str(toks[0].info)[0] == "d":
        name, tok = str(toks[0].info)[1:], toks[0]
        if functions is None:
            return name
        if name in functions:
            t = _Tok("LETTERS", name, tok.start_pos + 1, tok.line, tok.column, tok.end_line, tok.end_column,
                     tok.end_pos)
            t.info = name
            return t
        return None
    if len(toks) != 2 or not (toks[0].type == "PARTIAL" or (toks[0].type == "LETTERS" and toks[0].info == "d")) \
            or toks[1].type not in ("LETTERS", "NAME"):
        return None
    if functions is None:
        return str(toks[1].info)
    return toks[1] if str(toks[1].info) in functions else None


def _tidy(toks: list[_Tok], src: _Source) -> list[_Tok]:
    """Evaluation bars go with their scripts (`\\right|_{w=0.4}^{..}`: the expression is what stands before them);
    `\\mathbf{W}`, `\\boldsymbol{\\delta}`, `\\mathop{..}` around one token are that token, elsewhere nothing."""
    out: list[_Tok] = []
    n = len(toks)
    k = 0
    skip: set[int] = set()
    while k < n:
        t = toks[k]
        if t.type == "EVALBAR":
            k += 1
            scripts = 0
            while k < n and toks[k].type in ("USCORE", "CARET") and scripts < 2:
                scripts += 1
                k += 1
                if k >= n or toks[k].type in _CLOSERS:
                    raise src.error("evalbar_script", toks[k - 1].start_pos)
                if toks[k].type == "LBRACE":
                    depth = 0
                    j = k
                    while j < n:
                        if toks[j].type == "LBRACE":
                            depth += 1
                        elif toks[j].type == "RBRACE":
                            depth -= 1
                            if depth == 0:
                                break
                        j += 1
                    if j >= n:
                        raise src.error("never_closed", toks[k].start_pos, token=_show(toks[k]))
                    k = j + 1
                else:
                    k += 1
            continue
        if t.type == "WRAP" and t.info == "boxed" and (close := _boxed_relation(toks, k + 1)) is not None:
            skip.add(close)  # \boxed{h_1 = 0.5622}: a boxed equation is that equation
            k += 2
            continue
        if k in skip:
            k += 1
            continue
        if t.type == "WRAP":
            if k + 3 < n and toks[k + 1].type == "LBRACE" and toks[k + 3].type == "RBRACE" \
                    and (toks[k + 2].type in ("LETTERS", "TEXTNAME", "NAME", "NUMBER")
                         or (t.info in BEAMER_HIGHLIGHTS and toks[k + 2].type not in (*_OPENERS, *_CLOSERS))):
                # (a slide's \alert{+}: the operator itself)
                out.append(toks[k + 2])
                k += 4
            else:
                k += 1
            continue
        out.append(t)
        k += 1
    return out


def _over(toks: list[_Tok], src: _Source) -> list[_Tok]:
    r"""Plain TeX's {\partial E \over \partial w_5}: the group is \frac{\partial E}{\partial w_5}. An \over outside
    a group of its own stays unsupported (its message says to write \frac)."""
    while True:
        k = next((k for k, t in enumerate(toks) if t.type == "UNSUPPORTED" and str(t) == r"\over"), None)
        if k is None:
            return toks
        depth, start = 0, None
        for j in range(k - 1, -1, -1):
            depth += (toks[j].type == "RBRACE") - (toks[j].type == "LBRACE")
            if depth < 0:
                start = j
                break
        end = _group_end(toks, start) - 1 if start is not None else -1
        if start is None or end <= k:
            return toks
        at, over = toks[start].start_pos, toks[k]
        toks = [*toks[:start], src.tok("FRAC", r"\frac", at, at, "frac"), *toks[start:k],
                src.tok("RBRACE", "}", over.start_pos, over.start_pos, ""),
                src.tok("LBRACE", "{", over.end_pos, over.end_pos, ""), *toks[k + 1:]]


_IMPLIES = frozenset({"Rightarrow", "Longrightarrow", "implies", "⇒", "⟹"})


def _implied_values(toks: list[_Tok]) -> list[_Tok]:
    r"""`… = 0.2469 \times 0.2495 \;\Rightarrow\; \boxed{0.0616}`: an implication arrow before a lone number that
    ends its line gives the chain's value, as = would (before anything else it starts a new statement)."""
    for k, t in enumerate(toks):
        if t.type != "HARDSEP" or t.info not in _IMPLIES:
            continue
        j = k + 1 + (k + 1 < len(toks) and toks[k + 1].type == "MINUS")
        if j < len(toks) and toks[j].type == "NUMBER" and (j + 1 == len(toks) or toks[j + 1].type in (
                "NL", "BREAK", "MATH", "END")) and any(x.type == "REL" for x in toks[max(0, k - 40):k]):
            t.type, t.info = "REL", "="
    return toks


def _boxed_relation(toks: list[_Tok], k: int) -> int | None:
    """Where the group opened at k closes, when a relation stands inside it at its own depth."""
    if k >= len(toks) or toks[k].type != "LBRACE":
        return None
    depth, related = 0, False
    for j in range(k, len(toks)):
        depth += (toks[j].type == "LBRACE") - (toks[j].type == "RBRACE")
        related = related or (depth == 1 and toks[j].type == "REL")
        if depth == 0:
            return j if related else None
    return None


def _remarks(toks: list[_Tok]) -> list[_Tok]:
    """(\\text{one } b^{[1]} \\text{ shared by both hidden units}): a parenthesised remark, with prose in it, is
    dropped with its brackets."""
    out: list[_Tok] = []
    opened: list[int] = []
    for t in toks:
        out.append(t)
        if t.type == "LPAR":
            opened.append(len(out) - 1)
        elif t.type == "RPAR" and opened:
            k = opened.pop()
            if any(x.type == "HARDSEP" and x.info == "text" for x in out[k + 1:-1]):
                del out[k:]
    return out


def _norms(toks: list[_Tok], src: _Source) -> list[_Tok]:
    """`\\|x\\|`, `\\left\\| x \\right\\|`, `\\Vert`: a norm's bars, opening and closing in turn (norms do not nest)."""
    out: list[_Tok] = []
    opened = False
    for t in toks:
        if t.type == "NORM":
            opening = t.info == "left" or (t.info != "right" and not opened)
            t = src.tok("LNORM" if opening else "RNORM", str(t), t.start_pos, t.end_pos, t.info)
            opened = opening
        elif t.type == "BREAK" or t.type == "NL":
            opened = False
        out.append(t)
    return out


def _check_brackets(toks: list[_Tok], src: _Source, max_depth: int) -> None:
    """Balance of { } ( ) [ ] \\{ \\} \\left/\\right and \\begin/\\end of matrices, and the nesting depth (Refused), in
    one linear scan.

    Brackets are the only way to nest without bound: signs, primes and juxtaposition are flat in the
    grammar, \\frac, \\sqrt and ^ take braced or one-token arguments, and nested \\sum bodies are
    bounded by the expansion budget (MAX_SUM_NODES), not by this scan.
    """
    stack: list[_Tok] = []
    for t in toks:
        typ = t.type
        if typ in ("LPAR", "LBRACK", "LCURLY", "LBRACE", "MBEGIN", "LNORM"):
            stack.append(t)
            if len(stack) > max_depth:
                raise Refused.of("too_deep_brackets", limit=max_depth, line=t.line, column=t.column)
        elif typ in _CLOSERS:
            if not stack:
                raise src.error("no_opening", t.start_pos, token=_show(t))
            o = stack.pop()
            if _OPENERS[o.type] != typ:
                raise src.error("bracket_mismatch", t.start_pos, token=_show(t), opened=_show(o), open_line=o.line,
                                open_column=o.column)
            if (o.info == "left") != (t.info == "right"):
                raise src.error("left_unclosed" if o.info == "left" else "right_unopened", t.start_pos,
                                opened=_show(o), open_line=o.line, open_column=o.column, token=_show(t))
    if stack:
        o = stack[-1]
        raise src.error("never_closed", o.start_pos, token=_show(o))


def _cook(toks: list[_Tok], src: _Source) -> list[_Tok]:
    """Context: letter runs into names, one-token arguments of ^ and \\frac, subscript text, name superscripts."""
    return _Cook(toks, src).run()


class _Cook:
    """_cook's walk over the raw tokens, one method per kind of token that needs its context: a one-token argument
    (`argument`), ^ (`superscript`), _ (`subscript`), a letter run (`emit_letters`), any other token (`step`).
    The raw tokens are read in order (`i`), but the rest of a run split by a one-token argument first (`pushed`)."""

    def __init__(self, toks: list[_Tok], src: _Source) -> None:
        self.toks = toks
        self.src = src
        self.out: list[_Tok] = []
        self.pushed: list[_Tok] = []  # the rest of a number or letter run split by a one-token argument
        # [brace depth, arguments still expected, inside the argument's group, cmd]
        self.pending: list[list[Any]] = []
        self.args: set[int] = set()  # where the numbers that are one-token arguments (of ^, \frac, an accent) start
        self.depth = 0
        self.i = 0
        self.n = len(toks)

    def run(self) -> list[_Tok]:
        src = self.src
        count = 0
        while True:
            count += 1
            if count % 1024 == 0:
                src.check_time()
            if self.pushed:
                t = self.pushed.pop()
            elif self.i < self.n:
                t = self.toks[self.i]
                self.i += 1
            else:
                break
            pending = self.pending
            if pending and pending[-1][0] == self.depth and not pending[-1][2] and self.argument(t):
                continue
            self.step(t)
        out = _layer_functions(_attributes(_nabla(_merge_scientific(self.out, src, self.args), src), src))
        _mark_functions(out, src)
        return out

    def argument(self, t: _Tok) -> bool:
        """t is a one-token argument of ^ or \\frac (or the opening brace of a braced one): True when it is used up
        here; False when it is then read as any other token (`step`), also when the argument is missing."""
        toks, src, out, pushed, pending = self.toks, self.src, self.out, self.pushed, self.pending
        typ = t.type
        if typ == "LBRACE":
            pending[-1][2] = True
            out.append(t)
            self.depth += 1
            return True
        if typ in _CLOSERS or typ not in _ARGUMENT_TYPES:
            pending.pop()  # the argument is missing: the grammar reports it
            return False
        text = str(t)
        cmd = pending[-1][3]
        if cmd == "sup" and typ in ("NUMBER", "LETTERS") and len(text) > 1:
            raise src.error("superscript_braces", t.start_pos, text=text, first=text[0], rest=text[1:])
        if typ == "NUMBER" and "e" in str(t.info):
            raise src.error("scientific_braces", t.start_pos, text=text)
        pending[-1][1] -= 1
        if pending[-1][1] == 0:
            pending.pop()
        if typ == "NUMBER":
            self.args.add(t.start_pos)
        if typ == "NUMBER" and "{" in text:
            raise src.error("decimal_comma_braces", t.start_pos, text=text)
        if typ == "NUMBER" and len(text) > 1:
            out.append(src.tok("NUMBER", text[0], t.start_pos, t.start_pos + 1, text[0]))
            pushed.append(src.tok("NUMBER", text[1:], t.start_pos + 1, t.end_pos, text[1:]))
            return True
        if typ == "LETTERS":
            self.emit_name(text[0], t.start_pos, t.start_pos + 1)
            i, n = self.i, self.n
            if len(text) > 1:
                pushed.append(src.tok("LETTERS", text[1:], t.start_pos + 1, t.end_pos, text[1:]))
            elif cmd == "accent" and not pushed and i < n and toks[i].type == "NUMBER" \
                    and toks[i].start_pos == t.end_pos and str(toks[i].info).isdigit():
                digits = toks[i]  # \hat y1 = \hat{y}_1, as y1 = y_1
                self.i += 1
                out.append(src.tok("USCORE", "", digits.start_pos, digits.start_pos))
                out.append(src.tok("SUBTEXT", str(digits), digits.start_pos, digits.end_pos, str(digits)))
            return True
        if typ == "TEXTNAME":
            out.append(src.tok("NAME", text, t.start_pos, t.end_pos, str(t.info)))
            return True
        return False

    def step(self, t: _Tok) -> None:
        """A token that is not a pending one-token argument."""
        toks, src, out, pending = self.toks, self.src, self.out, self.pending
        typ = t.type
        if typ == "LBRACE":
            self.depth += 1
            out.append(t)
        elif typ == "RBRACE":
            self.depth -= 1
            out.append(t)
            if pending and pending[-1][0] == self.depth and pending[-1][2]:
                pending[-1][2] = False
                pending[-1][1] -= 1
                if pending[-1][1] == 0:
                    pending.pop()
        elif typ == "FRAC":
            out.append(t)
            pending.append([self.depth, 2, False, "frac"])
        elif typ == "ACCENT":
            i, n = self.i, self.n
            if i + 1 < n and toks[i].type == "LBRACE" and toks[i + 1].type == "RBRACE":
                raise src.error("accent_empty", t.start_pos, accent=t)
            out.append(t)
            pending.append([self.depth, 1, False, "accent"])
        elif typ == "SQRT":
            i, n = self.i, self.n
            out.append(t)
            if i + 2 < n and toks[i].type == "LBRACK" and toks[i + 1].type == "NUMBER" \
                    and toks[i + 2].type == "RBRACK" and not toks[i].info:
                b = toks[i]
                out.append(src.tok("OPT_LBRACK", str(b), b.start_pos, b.end_pos, ""))
                out.extend(toks[i + 1:i + 3])
                self.i += 3
            pending.append([self.depth, 1, False, "sqrt"])
        elif typ == "CARET":
            self.superscript(t)
        elif typ == "USCORE":
            self.subscript(t)
        elif typ == "LETTERS":
            self.emit_letters(t)
        elif typ == "TEXTNAME":
            self.emit_textname(t)
        elif typ == "LPAR" and self.paren_index(t):
            self.i += 2  # Marsland's δ_o(1), δ_h(2): the unit's number in brackets after its layer's letter, δ_{o1}
        elif typ == "LPAR" and (mark := self.paren_mark(t)) is not None:
            out.append(mark)  # Fausett's w_{jk}(new), w_{jk}(old): as w_{jk}^{new}, w_{jk}^{old}
            while self.i < self.n and self.toks[self.i].end_pos <= mark.end_pos:
                self.i += 1  # (the mark's tokens: "new )", "t + 1 )")
        elif typ == "TOP":
            raise src.error("transpose_superscript", t.start_pos, cmd=t)
        else:
            out.append(t)

    def superscript(self, t: _Tok) -> None:
        """^ (t): a transpose, a name superscript (W^{(3)\\top}, ^\\ell, Nielsen's w^l, a^O, ^{+}, primes), or else a
        power whose one-token argument is then pending."""
        self.bracketed_power(self.i)
        toks, src, out, n, i = self.toks, self.src, self.out, self.n, self.i
        after_e = bool(out) and out[-1].type == "NAME" and out[-1].info == "e"
        used = self.transpose_at(i)
        if used:  # W^T, W^{T}, W^\top: a transpose
            last = toks[i + used - 1]
            out.append(src.tok("TRANSPOSE", src.text[t.start_pos:last.end_pos], t.start_pos, last.end_pos))
            self.i += used
            return
        for trailing, kind in ((self.is_t, "TRANSPOSE"), (_update_mark, "SUPMARK")):
            mark = self.sup_mark(i, after_e, drop_last=trailing)
            if mark is not None and mark[0] == "SUPMARK" and (kind == "TRANSPOSE" or mark[1] not in ("+", "*")):
                # W^{(3)\top}: a name superscript, then a transpose; W^{(1)+}_{11}: then the update's mark
                mtext, used = mark[1], mark[2]
                last, dropped = toks[i + used - 1], toks[i + used - 2]
                out.append(src.tok("SUPMARK", src.text[t.start_pos:last.start_pos], t.start_pos, last.start_pos,
                                   mtext))
                out.append(src.tok(kind, src.text[dropped.start_pos:last.end_pos], dropped.start_pos, last.end_pos,
                                   "+" if kind == "SUPMARK" else ""))
                self.i += used
                return
        if i < n and toks[i].type == "NAME" and toks[i].info == "l":  # ^\ell
            out.append(src.tok("SUPMARK", src.text[t.start_pos:toks[i].end_pos], t.start_pos, toks[i].end_pos, "l"))
            self.i += 1
            return
        braced = i + 2 < n and toks[i].type == "LBRACE" and toks[i + 2].type == "RBRACE"
        letter = toks[i + braced] if i + braced < n else None
        if letter is not None and letter.type == "LETTERS" and str(letter) in ("n", "p") and out \
                and out[-1].type == "NAME" and out[-1].info in _LOSS_NAMES:
            # Bishop's E^n, the error of pattern n: a sample's, not a power
            last = toks[i + 2 * braced]
            out.append(src.tok("SUPMARK", src.text[t.start_pos:last.end_pos], t.start_pos, last.end_pos, str(letter)))
            self.i += 1 + 2 * braced
            return
        if braced and letter is not None and letter.type == "LETTERS" and not after_e and out \
                and out[-1].type in ("NAME", "LETTERS") and str(letter) in LAYER_WORDS | LAYER_LETTERS:
            # a scribe's z^{hid}_1, z^{out}_k, net^{h}_1: the layer's word in braces, as Raschka's z^{(out)}
            last = toks[i + 2]
            out.append(src.tok("SUPMARK", src.text[t.start_pos:last.end_pos], t.start_pos, last.end_pos, str(letter)))
            self.i += 3
            return
        if i < n and toks[i].type == "LETTERS" and not after_e and (
                str(toks[i])[0] in "lL" + PATTERN_INDEX or str(toks[i])[0] in src.labels
                or (str(toks[i]) in LAYER_LETTERS and out and out[-1].type in ("NAME", "LETTERS"))):
            # (Freeman & Skapura's w^o_{kj}, net^h_{pj}: the layer's letter, hidden or output)
            a = toks[i]  # Nielsen's w^l_{jk}, \delta^L: a layer label; his a^O, \delta^O: the neuron O's; Kröse's s^p_k
            self.i += 1
            out.append(src.tok("SUPMARK", src.text[t.start_pos:a.start_pos + 1], t.start_pos, a.start_pos + 1,
                               str(a)[0]))
            if len(str(a)) > 1:
                self.pushed.append(src.tok("LETTERS", str(a)[1:], a.start_pos + 1, a.end_pos, str(a)[1:]))
            return
        mark = self.sup_mark(i, after_e)
        if mark is not None:
            mtype, mtext, used = mark
            last = toks[i + used - 1]
            if mtype == "PRIME":
                for k in range(len(mtext)):
                    out.append(src.tok("PRIME", "'", t.start_pos + k, last.end_pos, "'"))
            else:
                out.append(src.tok("SUPMARK", src.text[t.start_pos:last.end_pos], t.start_pos, last.end_pos,
                                   mtext))
            self.i += used
            return
        out.append(t)
        self.pending.append([self.depth, 1, False, "sup"])

    def bracketed_power(self, i: int) -> None:
        """ASCII math's e^(-0.3775), w^(1): the bracket after ^ is the whole superscript, as if braced."""
        if i >= self.n or self.toks[i].type != "LPAR":
            return
        depth = 0
        for j in range(i, min(self.n, i + 400)):
            depth += (self.toks[j].type == "LPAR") - (self.toks[j].type == "RPAR")
            if depth == 0:
                opened, closed = self.toks[i], self.toks[j]
                self.toks.insert(j + 1, self.src.tok("RBRACE", "", closed.end_pos, closed.end_pos, ""))
                self.toks.insert(i, self.src.tok("LBRACE", "", opened.start_pos, opened.start_pos, ""))
                self.n += 2
                return

    def subscript(self, t: _Tok) -> None:
        """_ (t): a letter run (with the digits right after it), a number or a \\text name after it is its text."""
        toks, src, out, n, i = self.toks, self.src, self.out, self.n, self.i
        out.append(t)
        if i < n:
            a = toks[i]
            if a.type == "LETTERS":
                i += 1
                text, end = str(a), a.end_pos
                if i < n and toks[i].type == "NUMBER" and toks[i].start_pos == a.end_pos \
                        and str(toks[i].info).isdigit():
                    text, end = text + str(toks[i]), toks[i].end_pos
                    i += 1
                out.append(src.tok("SUBTEXT", text, a.start_pos, end, text))
            elif a.type == "NUMBER":
                i += 1
                out.append(src.tok("SUBTEXT", str(a), a.start_pos, a.end_pos, str(a)))
            elif a.type == "TEXTNAME":
                i += 1
                out.append(src.tok("SUBTEXT", str(a), a.start_pos, a.end_pos, str(a.info)))
        self.i = i

    def emit_name(self, base: str, start: int, end: int) -> None:
        self.out.append(self.src.tok("NAME", base, start, end, base))

    def emit_letters(self, t: _Tok) -> None:
        """A letter run (not an argument): a known word or one name per letter; adjacent digits: subscript."""
        toks, n, i = self.toks, self.n, self.i
        run = str(t)
        digits = None
        if not self.pushed and i < n and toks[i].type == "NUMBER" and toks[i].start_pos == t.end_pos \
                and str(toks[i].info).isdigit():
            digits = toks[i]
            self.i += 1
        if run in WORDS:
            self.emit_name(run, t.start_pos, t.end_pos)
        elif run in GREEK and len(run) >= 3:  # plain text's delta_o1, eta: the Greek letter spelt out (δ_{o1}, η)
            self.emit_name(run, t.start_pos, t.end_pos)
        elif len(run) == 2 and run[0] == "d" and run[1] in NG_GRADIENTS:
            self.emit_name(NG_D, t.start_pos, t.start_pos + 1)  # Ng's dW, dz: ∂J/∂W (or the d of \frac{dz}{dw})
            self.emit_name(run[1], t.start_pos + 1, t.end_pos)
        elif run[0] == "d" and run[1:] in WORDS and (run[1:2].isupper() or (
                i < n and toks[i].type == "USCORE" and toks[i].start_pos == t.end_pos) or (
                i < n and toks[i].type == "DIV") or (self.out and self.out[-1].type == "DIV")):
            # plain text's dError/dw5, a chat's dE/dout_h2 and dE/dnet_O, a said dE/dout * dout/dw5: d, the word
            self.emit_name("d", t.start_pos, t.start_pos + 1)
            self.emit_name(run[1:], t.start_pos + 1, t.end_pos)
        else:
            for k, c in enumerate(run):
                self.emit_name(c, t.start_pos + k, t.start_pos + k + 1)
        if digits is not None:
            self.emit_digits(str(digits), digits.start_pos, digits.end_pos)

    def emit_digits(self, digits: str, start: int, end: int) -> None:
        r"""The digits of a name written as code (u1, {\it W2}): its subscript, or, when a subscript follows
        (Maple's {\it W2}_{{1}}, \mathit{W1}_{3,1}), the layer of the matrix whose entry that is: W^{(2)}_1."""
        toks, src, out, i = self.toks, self.src, self.out, self.i
        grouped = i + 1 < self.n and toks[i].type == "RBRACE" and toks[i + 1].type == "USCORE" \
            and len(out) >= 2 and out[-2].type == "LBRACE" and out[-1].type == "NAME"
        if grouped:  # {\it W2}_{{1}}: Maple's font group around the name
            del out[-2]
            self.i += 1
            i += 1
        if i < self.n and toks[i].type == "USCORE" and str(toks[i]) == "_" and digits.isdigit():
            out.append(src.tok("SUPMARK", digits, start, end, digits))
            return
        out.append(src.tok("USCORE", "", start, start))
        out.append(src.tok("SUBTEXT", digits, start, end, digits))

    def emit_textname(self, t: _Tok) -> None:
        src, out = self.src, self.out
        body = str(t.info)
        if (snake := _SNAKE_QUANTITY.fullmatch(body)) is not None:  # code's delta_o1, out_h2, E_total: δ_{o1}, …
            base, sub = (snake[1], snake[2]) if snake[1] else ("E", "total")
            out.append(src.tok("NAME", str(t), t.start_pos, t.end_pos, base))
            out.append(src.tok("USCORE", "", t.end_pos, t.end_pos))
            out.append(src.tok("SUBTEXT", sub, t.end_pos, t.end_pos, sub))
            return
        letters = body.rstrip("0123456789")
        if letters == "d" and self.i < self.n and self.toks[self.i].type in ("LETTERS", "NAME", "TEXTNAME", "WRAP",
                                                                               "ACCENT"):
            letters = DIFFERENTIAL_D  # \mathrm{d}E: a differential, or the d of \frac{\mathrm{d}E}{\mathrm{d}y}
        out.append(src.tok("NAME", str(t), t.start_pos, t.end_pos, letters))
        if letters != body:
            self.emit_digits(body[len(letters):], t.end_pos, t.end_pos)

    def paren_index(self, t: _Tok) -> bool:
        """δ_o(1) right after a one-letter subscript, no space between: the number joins the subscript (out[-1])."""
        toks, i, out = self.toks, self.i, self.out
        if not (i + 1 < self.n and toks[i].type == "NUMBER" and str(toks[i].info).isdigit()
                and toks[i + 1].type == "RPAR" and len(out) >= 3 and out[-1].type == "SUBTEXT"
                and out[-2].type == "USCORE" and out[-3].type == "NAME" and out[-1].end_pos == t.start_pos
                and len(str(out[-1].info)) == 1 and str(out[-1].info).isalpha()):
            return False
        sub = f"{out[-1].info}{toks[i].info}"
        out[-1] = self.src.tok("SUBTEXT", self.src.text[out[-1].start_pos:toks[i + 1].end_pos], out[-1].start_pos,
                               toks[i + 1].end_pos, sub)
        return True

    def _sample_base(self) -> bool:
        """Is the subscripted name just written (out) a per-sample quantity, not a parameter (w_5(1): updated)?"""
        names = [x for x in self.out[-4:] if x.type == "NAME"]
        return bool(names) and str(names[-1].info) not in ("w", "W", "b", "theta", "eta", "alpha")

    def paren_mark(self, t: _Tok) -> _Tok | None:
        """`(\\text{new})`, `(\\text{old})` right after a subscripted name: its superscript mark (+ or old); so are
        Freeman & Skapura's time steps w^o_{kj}(t+1) and w^o_{kj}(t), and the steps (1) and (0) of an iteration."""
        toks, i, out = self.toks, self.i, self.out
        if not (out and out[-1].type in ("SUBTEXT", "RBRACE", "NUMBER") and any(x.type == "USCORE" for x in out[-4:])):
            return None
        if i + 1 < self.n and toks[i].type == "TEXTNAME" and toks[i].info in ("new", "old") \
                and toks[i + 1].type == "RPAR":
            mark, end = "+" if toks[i].info == "new" else "old", toks[i + 1].end_pos
        elif i + 3 < self.n and [str(x) for x in toks[i:i + 4]] == ["t", "+", "1", ")"]:
            mark, end = "+", toks[i + 3].end_pos
        elif i + 1 < self.n and toks[i + 1].type == "RPAR" and self.src.samples and self._sample_base() and (
                (str(toks[i].info).isdigit() and 1 <= int(str(toks[i].info)) <= self.src.samples)
                or str(toks[i]) in SAMPLE_INDICES):
            mark, end = f"({toks[i].info})", toks[i + 1].end_pos  # a chat's delta_h1(2), h1(n): sample 2's, n's
        elif i + 1 < self.n and [str(x) for x in toks[i:i + 2]] in (["t", ")"], ["0", ")"]):
            mark, end = "old", toks[i + 1].end_pos
        elif i + 1 < self.n and [str(x) for x in toks[i:i + 2]] == ["1", ")"]:
            mark, end = "+", toks[i + 1].end_pos  # Learning From Data's W^{(2)}_{11}(1) = W^{(2)}_{11}(0) − η …
        else:
            return None
        return self.src.tok("SUPMARK", self.src.text[t.start_pos:end], t.start_pos, end, mark)

    @staticmethod
    def is_t(t: _Tok) -> bool:
        """T, \\top, \\intercal, \\mathrm{T}: a transpose when it is the superscript."""
        return t.type == "TOP" or (t.type in ("LETTERS", "TEXTNAME") and str(t.info) == "T")

    def transpose_at(self, j: int) -> int:
        """How many tokens after ^ make a transpose: T, {T}, \\top, {\\top} (0: none)."""
        toks, n, is_t = self.toks, self.n, self.is_t
        if j < n and is_t(toks[j]):
            return 1
        if j + 2 < n and toks[j].type == "LBRACE" and is_t(toks[j + 1]) and toks[j + 2].type == "RBRACE":
            return 3
        return 0

    def sup_mark(self, j: int, after_e: bool, drop_last: Callable[[_Tok], bool] | None = None
                 ) -> tuple[str, str, int] | None:
        """A name superscript starting at toks[j] (after ^): (type, text, tokens used) or None. drop_last: whether
        the last token inside the braces (a transpose, W^{(3)\\top}; an update mark, W^{(1)+}) is not part of it."""
        toks, src, n = self.toks, self.src, self.n
        if j >= n:
            return None
        a = toks[j]
        if drop_last and a.type != "LBRACE":
            return None
        if a.type == "PLUS":
            return ("SUPMARK", "+", 1)
        if a.type == "MUL" and str(a) in ("*", r"\ast", "∗"):
            return ("SUPMARK", "*", 1)
        if a.type == "PRIME":
            return ("PRIME", "'", 1)
        if a.type != "LBRACE":
            return None
        k = j + 1
        inner: list[_Tok] = []
        while k < n and toks[k].type != "RBRACE" and len(inner) < 8:
            inner.append(toks[k])
            k += 1
        if k >= n or toks[k].type != "RBRACE" or not inner:
            return None
        used = k - j + 1
        if drop_last is not None:
            if len(inner) < 2 or not drop_last(inner[-1]):
                return None
            inner.pop()
        types = [x.type for x in inner]
        if types in (["PLUS"], ["PLUS", "PLUS"]):
            return ("SUPMARK", "+" * len(types), used)  # w^{++}: the second update
        if types in (["MUL"], ["MUL", "MUL"]) and all(str(x) in ("*", r"\ast", "∗") for x in inner):
            return ("SUPMARK", "*" * len(types), used)  # w^{**}: a chat's second update, as w^{++}
        if all(x == "PRIME" for x in types):
            return ("PRIME", "'" * len(types), used)
        words = [str(x.info) for x in inner if x.type in ("LETTERS", "TEXTNAME")]
        layer = (types[0] == "NAME" and inner[0].info == "l") \
            or (not after_e and types[0] == "LETTERS" and str(inner[0]) in ("l", "L"))
        offset = types[1:] in (["PLUS", "NUMBER"], ["MINUS", "NUMBER"]) and str(inner[-1].info).isdigit()
        if not after_e and types == ["LETTERS"] and str(inner[0]) == PATTERN_INDEX:
            return ("SUPMARK", PATTERN_INDEX, used)  # Kröse & van der Smagt's s^{p}_k: of pattern p
        if layer and (len(types) == 1 or offset):
            return ("SUPMARK", "".join(str(x.info) for x in inner), used)  # a^{l-1}_k, \delta^{L}
        if types == ["HASH", "NUMBER"] and str(inner[1].info).isdigit():
            return ("SUPMARK", str(inner[1].info), used)  # ^{\#2}: sample 2, as ^{(2)}
        if types[:3] == ["LPAR", "NUMBER", "RPAR"] and types[3:] in (["LETTERS"], ["TEXTNAME"]) \
                and str(inner[1].info).isdigit() and (words[0] == "new" or words[0].lower() in NEW_WORDS):
            return ("SUPMARK", f"{inner[1].info}+", used)  # Hassoun's W^{(2)\,new}_1: layer 2's, updated
        if types in (["NUMBER", "LPAR", "LETTERS", "RPAR"], ["NUMBER", "LPAR", "TEXTNAME", "RPAR"]) \
                and str(inner[0].info).isdigit() and (words[0] == "new" or words[0].lower() in NEW_WORDS):
            return ("SUPMARK", f"{inner[0].info}+", used)  # W^{2\,(new)}_2: layer 2's, updated
        if types in (["LETTERS"], ["TEXTNAME"]) and (words[0] in ("new", "old") or words[0].lower() in NEW_WORDS):
            return ("SUPMARK", "old" if words[0] == "old" else "+", used)  # w_5^{new}, w_5^{novo}
        neuron = "".join(str(x) for x in inner if x.type != "USCORE")
        if not after_e and neuron in src.labels and set(types) <= {"LETTERS", "NAME", "NUMBER", "USCORE"}:
            return ("SUPMARK", neuron, used)  # Nielsen's z^{h_1}, a^{O}: a neuron's
        if len(types) >= 3 and (types[0], types[-1]) in (("LPAR", "RPAR"), ("LBRACK", "RBRACK")):
            middle = inner[1:-1]
            word = [str(x.info) for x in middle if x.type in ("LETTERS", "TEXTNAME")]
            if len(middle) == 1 and word in (["new"], ["old"]) and types[0] == "LPAR":
                return ("SUPMARK", "+" if word[0] == "new" else "old", used)
            label = _layer_label(middle)
            if label is not None:
                return ("SUPMARK", label if types[0] == "LPAR" else f"[{label}]", used)
        if types in (["LETTERS", "COMMA", "LPAR", "NUMBER", "RPAR"], ["LETTERS", "LPAR", "NUMBER", "RPAR"]) \
                and str(inner[-2].info).isdigit() and words[0] in LAYER_WORDS | LAYER_LETTERS:
            # a scribe's δ^{out,(1)}, δ^{h(1)}: layer out, sample 1
            return ("SUPMARK", f"{words[0]}({inner[-2].info})", used)
        if types[:4] == ["LBRACK", "NUMBER", "RBRACK", "LPAR"] and len(types) == 6 and types[5] == "RPAR" \
                and str(inner[1].info).isdigit() and (str(inner[4].info).isdigit() or (
                    types[4] in ("LETTERS", "NAME") and len(str(inner[4].info)) == 1)):
            return ("SUPMARK", f"[{inner[1].info}]({inner[4].info})", used)  # Ng's a^{[1](2)}: layer 1, sample 2
        return None


def _update_mark(t: _Tok) -> bool:
    """The + of W^{(1)+}_{11}: the weight after the update."""
    return t.type == "PLUS"


#: a quantity's name in code (R's delta_o1, out_h2, net_o1, E_total; a calculator's etot): the word, then the unit's
#: name
_SNAKE_QUANTITY = re.compile(r"(delta|out|net|target|E)_([a-z]?[0-9]{1,2}|total)|[Ee]_?tot(?:al)?")

#: a loss written as a function: J(θ), E(w), C(w, b), L(ŷ, y)
_LOSS_NAMES = frozenset({"J", "E", "L", "C", "R", "Loss", "loss", "TrainLoss", "Error", "error", "Cost", "cost"})
_PARAMETER_ARGUMENTS = frozenset({"theta", "Theta", "w", "W", "vartheta",
                                  "y", "o"})  # (and the output it is a function of: LeCun's cost C(y))


def _loss_arguments(toks: list[_Tok], src: _Source) -> list[_Tok]:
    """J(θ), J(W, b), C(w, b), C(y), L_{CE}(ŷ^{(i)}, t^{(i)}), E^t(W, v | X): a loss with its arguments is the loss (of
    sample i, when its arguments carry that one sample superscript); Bishop's y(x^n; w), any name with arguments
    after a `;` or `\\mid`, is the name. E(n), Haykin's time step, is left to _time_index."""
    out: list[_Tok] = []
    k = 0
    while k < len(toks):
        t = toks[k]
        j = _name_end(toks, k) if t.type == "NAME" and not (out and out[-1].type in ("USCORE", "CARET")) else k
        if j > k and toks[j:j + 1] and toks[j].type == "CARET" and [x.type for x in toks[j + 1:j + 3]] in (
                ["NAME", "LPAR"], ["NUMBER", "LPAR"]):
            j += 2  # Alpaydın's E^t(W, v | X): the error on instance t
        end = _group_close(toks, j) if j > k and j < len(toks) and toks[j].type == "LPAR" else None
        inner = toks[j + 1:end] if end is not None else []
        depth = 0
        commas = conditions = 0
        for x in inner:
            depth += (x.type in _OPENERS) - (x.type in _CLOSERS)
            commas += x.type == "COMMA" and depth == 0
            conditions += x.type == "HARDSEP" and str(x.info) in (";", "mid") and depth == 0
        single = len(inner) == 1 and inner[0].type == "NAME" and inner[0].info in _PARAMETER_ARGUMENTS
        if end is None or not (conditions or (t.info in _LOSS_NAMES and (commas or single))):
            out.append(t)
            k += 1
            continue
        marks = {str(x.info): x for x in inner if x.type == "SUPMARK"}
        own = any(x.type == "SUPMARK" for x in toks[k:j])
        kept = [*toks[k:j], *marks.values()] if len(marks) == 1 and not own else toks[k:j]
        last = kept[-1]  # spans the arguments, so that the line shown is the whole L(ŷ, y)
        out += [*kept[:-1], src.tok(last.type, str(last), last.start_pos, toks[end].end_pos, last.info)]
        k = end + 1
    return out


#: the letters Aggarwal's δ(h_r, o) names the (one) output by
_OUTPUT_LETTERS = frozenset({"o", "O", "y"})


def _pair_deltas(toks: list[_Tok], src: _Source) -> list[_Tok]:
    """Aggarwal's δ(h_r, o) = ∂L/∂a_{h_r}, the error term of unit h_r towards the output o: δ_{h_r} (the unit
    written as a name with an optional subscript, the output as a bare letter or an output's name)."""
    out: list[_Tok] = []
    k = 0
    while k < len(toks):
        t, types = toks[k], [x.type for x in toks[k + 1:k + 8]]
        size = 3 if types[2:4] == ["USCORE", "SUBTEXT"] else 1  # the unit: h_2 or h
        if t.type == "NAME" and t.info == "delta" and not (out and out[-1].type in ("USCORE", "CARET")) \
                and types[:2] == ["LPAR", "NAME"] and types[1 + size:4 + size] == ["COMMA", "NAME", "RPAR"] \
                and (str(toks[k + 3 + size].info) in _OUTPUT_LETTERS or str(toks[k + 3 + size].info) in src.labels):
            unit = toks[k + 2:k + 2 + size]
            out += [t, src.tok("USCORE", "", t.end_pos, t.end_pos),
                    src.tok("LBRACE", "", unit[0].start_pos, unit[0].start_pos), *unit,
                    src.tok("RBRACE", "", unit[-1].end_pos, unit[-1].end_pos)]
            k += 5 + size
            continue
        out.append(t)
        k += 1
    return out


def _group_close(toks: list[_Tok], k: int) -> int | None:
    """The index of the bracket that closes the one opened at k."""
    depth = 0
    for j in range(k, len(toks)):
        depth += (toks[j].type in _OPENERS) - (toks[j].type in _CLOSERS)
        if depth == 0:
            return j
    return None


def _time_index(toks: list[_Tok], src: _Source) -> list[_Tok]:
    """Haykin's time step (n) right after a quantity, E(n), e_j(n), d(n), w_{ji}(n): with one sample, the quantity
    itself (dropped; w(n+1) stays, for resolve.py). e^2(n) is then the square of his error signal e, not of Euler's e:
    the e gets an empty subscript, which keeps its name and makes it no base of exp."""
    out: list[_Tok] = []
    k = 0
    while k < len(toks):
        t = toks[k]
        if t.type == "LPAR" and k + 2 < len(toks) and toks[k + 1].type == "NAME" and str(toks[k + 1].info) == "n" \
                and toks[k + 2].type == "RPAR" and out and out[-1].end_pos == t.start_pos \
                and out[-1].type in ("NAME", "SUBTEXT", "RBRACE", "SUPMARK", "PRIME", "NUMBER"):
            power = _power_start(out)
            if power is not None and out[power - 1].type == "NAME" and out[power - 1].info == "e":
                out[power - 1].info = _Plain("e")
            k += 3
            continue
        out.append(t)
        k += 1
    return out


def _defined_e(toks: list[_Tok]) -> list[_Tok]:
    """E = ½ e², e = d − y (Haykin's error signal): an answer that defines e by itself, e = …, means that name by
    every e it writes, never Euler's number; so does a squared e after a fraction, ½ e² (E = e² alone is Euler's)."""
    defines = any(t.type == "NAME" and t.info == "e" and toks[k + 1].type == "REL" and toks[k + 1].info == "="
                  and (k == 0 or toks[k - 1].type in ("NL", "COMMA", "HARDSEP", "SOFTSEP", "REL"))
                  for k, t in enumerate(toks[:-1]))
    for k, t in enumerate(toks):
        if t.type == "NAME" and t.info == "e" and (defines or (_squared(toks, k + 1) and _halved(toks, k))):
            t.info = _Plain("e")
    return toks


def _halved(toks: list[_Tok], k: int) -> bool:
    """Does a half, \\tfrac{1}{2} (½), \\tfrac12 or 1/2, stand right before toks[k]?"""
    before = [(t.type, str(t.info) if t.type == "NUMBER" else "") for t in toks[max(0, k - 7):k]]
    return any(before[-len(half):] == half for half in _HALVES)


_HALVES = ([("FRAC", ""), ("LBRACE", ""), ("NUMBER", "1"), ("RBRACE", ""), ("LBRACE", ""), ("NUMBER", "2"),
            ("RBRACE", "")], [("FRAC", ""), ("NUMBER", "1"), ("NUMBER", "2")], [("NUMBER", "1"), ("DIV", ""),
                                                                               ("NUMBER", "2")])


def _squared(toks: list[_Tok], k: int) -> bool:
    """Does a square follow toks[k - 1] (^2, ^{2}, ²)? Haykin's E = ½ e²: his error signal squared and halved."""
    if k + 1 < len(toks) and toks[k].type == "CARET" and toks[k + 1].type == "NUMBER" and toks[k + 1].info == "2":
        return True
    return k + 3 < len(toks) and toks[k].type == "CARET" and toks[k + 1].type == "LBRACE" \
        and toks[k + 2].type == "NUMBER" and toks[k + 2].info == "2" and toks[k + 3].type == "RBRACE"


def _power_start(toks: list[_Tok]) -> int | None:
    """Where the power that ends toks (^2, ^{2}) starts: the index of its CARET, or None."""
    if toks and toks[-1].type == "NUMBER" and len(toks) >= 2 and toks[-2].type == "CARET":
        return len(toks) - 2
    if toks and toks[-1].type == "RBRACE":
        depth = 0
        for j in range(len(toks) - 1, -1, -1):
            depth += {"RBRACE": 1, "LBRACE": -1}.get(toks[j].type, 0)
            if depth == 0:
                return j - 1 if j >= 1 and toks[j - 1].type == "CARET" else None
    return None


def _group_end(toks: list[_Tok], k: int) -> int:
    """The index after the brace group that starts at toks[k] (an LBRACE), or -1 when it does not close."""
    depth = 0
    for j in range(k, len(toks)):
        depth += {"LBRACE": 1, "RBRACE": -1}.get(toks[j].type, 0)
        if depth == 0:
            return j + 1
    return -1


def _name_end(toks: list[_Tok], k: int) -> int:
    """The index after the name at toks[k] with its scripts (J, E_{total}, L^{(2)}), or -1 when none is there."""
    if k >= len(toks) or toks[k].type != "NAME":
        return -1
    j = k + 1
    while j < len(toks):
        if toks[j].type in ("SUPMARK", "PRIME"):
            j += 1
        elif toks[j].type == "USCORE" and j + 1 < len(toks) and toks[j + 1].type in ("SUBTEXT", "NUMBER", "NAME"):
            j += 2
        elif toks[j].type == "USCORE" and j + 1 < len(toks) and toks[j + 1].type == "LBRACE" \
                and _group_end(toks, j + 1) > 0:
            j = _group_end(toks, j + 1)
        else:
            break
    return j


def _nabla(toks: list[_Tok], src: _Source) -> list[_Tok]:
    r"""Goodfellow's gradient \nabla_{x} J, of one name with respect to one name, is \frac{\partial J}{\partial x}
    (a matrix when x names one: \nabla_{W^{(1)}} J, whose entry (\nabla_{W^{(1)}} J)_{12} is ∂J/∂W^{(1)}_{12});
    so is the analyst's \partial_{x} J."""
    out: list[_Tok] = []
    k = 0
    while k < len(toks):
        t = toks[k]
        if not (((t.type == "UNSUPPORTED" and str(t) == r"\nabla") or t.type == "PARTIAL") and k + 2 < len(toks)
                and toks[k + 1].type == "USCORE"):
            out.append(t)
            k += 1
            continue
        if toks[k + 2].type == "LBRACE":
            end = _group_end(toks, k + 2)
            wrt = toks[k + 3:end - 1] if end > 0 else []
        else:
            end = k + 3
            a = toks[k + 2]
            wrt = [src.tok("NAME", str(a), a.start_pos, a.end_pos, str(a.info))] if a.type == "SUBTEXT" \
                and str(a.info).isalpha() and len(str(a.info)) == 1 else []
        of_end = _name_end(toks, end) if wrt else -1
        if of_end < 0:
            out.append(t)
            k += 1
            continue
        at, stop = t.start_pos, toks[of_end - 1].end_pos
        out += [src.tok("FRAC", r"\frac", at, at, "frac"),
                src.tok("LBRACE", "{", at, at), src.tok("PARTIAL", r"\partial", at, at, "partial"), *toks[end:of_end],
                src.tok("RBRACE", "}", stop, stop),
                src.tok("LBRACE", "{", at, at), src.tok("PARTIAL", r"\partial", at, at, "partial"), *wrt,
                src.tok("RBRACE", "}", stop, stop)]
        k = of_end
    return out


def _attributes(toks: list[_Tok], src: _Source) -> list[_Tok]:
    r"""micrograd's `w_9.\text{grad}` is ∂L/∂w_9 and `h_1.\text{data}` is h_1: a Value's gradient and its value."""
    out: list[_Tok] = []
    k = 0
    while k < len(toks):
        t = toks[k]
        attribute = toks[k + 1] if k + 1 < len(toks) else None
        if not (t.type == "DOT" and attribute is not None and attribute.type == "NAME"
                and str(attribute.info) in ("grad", "data")):
            out.append(t)
            k += 1
            continue
        starts = [s for s in range(max(0, len(out) - 16), len(out)) if _name_end(out, s) == len(out)
                  and (s == 0 or out[s - 1].type not in ("USCORE", "CARET"))]
        if not starts:
            out.append(t)
            k += 1
            continue
        if str(attribute.info) == "grad":
            name, at, stop = out[starts[0]:], out[starts[0]].start_pos, attribute.end_pos
            del out[starts[0]:]
            out += [src.tok("FRAC", r"\frac", at, at, "frac"), src.tok("LBRACE", "{", at, at),
                    src.tok("PARTIAL", r"\partial", at, at, "partial"), src.tok("NAME", "L", at, at, "L"),
                    src.tok("RBRACE", "}", at, at), src.tok("LBRACE", "{", at, at),
                    src.tok("PARTIAL", r"\partial", at, at, "partial"), *name, src.tok("RBRACE", "}", stop, stop)]
        k += 2
    return out


def _layer_label(middle: list[_Tok]) -> str | None:
    """The label of a parenthesised name superscript: an integer (1), a letter (l, \\ell, \\alpha), a letter and
    an integer (l-1, t+1) or a layer's word (LAYER_WORDS): W^{(1)}, a^{(l)}, \\delta^{(l+1)}, z^{(out)}. None for
    anything else (w^{(1-1)} is a power)."""
    types = [x.type for x in middle]
    first = middle[0]
    letter = (first.type == "LETTERS" and len(str(first)) == 1) or first.type == "NAME"
    if types == ["NUMBER"] and str(first.info).isdigit():
        return str(first.info)
    if len(middle) == 1 and letter:
        return str(first.info)
    if types == ["LETTERS"] and str(first.info) in LAYER_WORDS:  # Raschka's a^{(h)}, z^{(out)}, a^{(in)}
        return str(first.info)
    if len(middle) == 3 and letter and types[1] in ("PLUS", "MINUS") and types[2] == "NUMBER" \
            and str(middle[2].info).isdigit():
        return "".join(str(x.info) for x in middle)
    return None


def _merge_scientific(toks: list[_Tok], src: _Source, args: set[int]) -> list[_Tok]:
    """`8.77 \\times 10^{-3}`, `8.77\\cdot10^{-3}` into one NUMBER (info "8.77e-3"): it is one number, also after
    a `/`. Not when the mantissa is a one-token argument (`x^2 \\times 10^3`) or scripts follow."""
    out: list[_Tok] = []
    n = len(toks)
    k = 0
    while k < n:
        t = toks[k]
        found = _scientific_at(toks, k, args) if t.type == "NUMBER" else None
        if found is None:
            out.append(t)
            k += 1
            continue
        end, exponent = found
        last = toks[end - 1]
        out.append(src.tok("NUMBER", src.text[t.start_pos:last.end_pos], t.start_pos, last.end_pos,
                           f"{t.info}e{exponent}"))
        k = end
    return out


def _scientific_at(toks: list[_Tok], k: int, args: set[int]) -> tuple[int, int] | None:
    """(index after the match, exponent) if toks[k:] is mantissa \\times 10 ^ exponent."""
    n = len(toks)
    if k + 4 >= n:
        return None
    mant, mul, ten, caret = toks[k:k + 4]
    if mant.start_pos in args or "e" in str(mant.info) or mul.type != "MUL" or str(mul) not in _TIMES \
            or ten.type != "NUMBER" or str(ten.info) != "10" or ten.start_pos in args or caret.type != "CARET":
        return None
    j = k + 4
    sign = 1
    if toks[j].type == "LBRACE":
        j += 1
        if j < n and toks[j].type in ("PLUS", "MINUS"):
            sign = -1 if toks[j].type == "MINUS" else 1
            j += 1
        if not (j + 1 < n and toks[j].type == "NUMBER" and toks[j + 1].type == "RBRACE"):
            return None
        digits = str(toks[j].info)
        j += 2
    elif toks[j].type == "NUMBER":
        digits = str(toks[j].info)
        j += 1
    else:
        return None
    if not digits.isdigit() or len(digits) > 4 or int(digits) > MAX_EXPONENT:
        return None
    if j < n and toks[j].type in ("CARET", "USCORE", "PRIME", "SUPMARK"):
        return None
    return j, sign * int(digits)


def _layer_functions(toks: list[_Tok]) -> list[_Tok]:
    r"""MacKay's f^{(1)}(a^{(1)}_j), f^{(1)\prime}(a), Ng's g^{[1]}{}'(z): an activation with its layer on top. With
    a prime the layer goes to the prime's info ("'1", as Hagan's \dot{f}^1), where the tree checks it against the
    argument; without one it is dropped (the argument decides the activation). A power f^2(x) is left alone."""
    out: list[_Tok] = []
    k, n = 0, len(toks)
    while k < n:
        t = toks[k]
        layer, j = None, k + 1
        if t.type == "NAME" and t.info in FUNCTION_NAMES and j < n:
            if toks[j].type == "SUPMARK" and (m := re.fullmatch(r"\[?([0-9])\]?", str(toks[j].info))):
                layer, j = m[1], j + 1
                if j + 1 < n and toks[j].type == "LBRACE" and toks[j + 1].type == "RBRACE":
                    j += 2  # the empty group of {}^{\prime}
            elif [x.type for x in toks[j:j + 6]] == ["CARET", "LBRACE", "LPAR", "NUMBER", "RPAR", "PRIME"] \
                    or [x.type for x in toks[j:j + 6]] == ["CARET", "LBRACE", "LBRACK", "NUMBER", "RBRACK", "PRIME"]:
                primes = j + 5
                while primes < n and toks[primes].type == "PRIME":
                    primes += 1
                if primes < n and toks[primes].type == "RBRACE":
                    layer = str(toks[j + 3].info)
                    out.append(t)
                    out += [_layered(p, layer) for p in toks[j + 5:primes]]
                    k = primes + 1
                    continue
        if layer is None or not str(layer).isdigit():
            out.append(t)
            k += 1
            continue
        primes = j
        while primes < n and toks[primes].type == "PRIME":
            primes += 1
        if primes >= n or toks[primes].type not in ("LPAR", "LBRACK"):
            out.append(t)
            k += 1
            continue
        out.append(t)
        out += [_layered(p, layer) for p in toks[j:primes]]
        k = primes
    return out


def _layered(prime: _Tok, layer: str) -> _Tok:
    prime.info = "'" + layer
    return prime


def _mark_functions(toks: list[_Tok], src: _Source) -> None:
    """A function name followed (after primes and a subscript) by ( or [ is applied: FUNC + CALL_*."""
    match: dict[int, int] = {}
    stack: list[int] = []
    for k, t in enumerate(toks):
        if t.type == "LBRACE":
            stack.append(k)
        elif t.type == "RBRACE" and stack:
            match[stack.pop()] = k
    n = len(toks)
    for k, t in enumerate(toks):
        if t.type == "NAME" and k > 0 and toks[k - 1].type == "ACCENT":
            continue  # \hat\sigma(z) is a name times z
        primed = k + 1 < n and toks[k + 1].type == "PRIME"  # Bishop's h'(a_j): a letter primed before ( is applied
        if t.type == "FUNCCMD" or (t.type == "NAME" and (t.info in FUNCTION_NAMES or (primed and t.info == "h"))):
            j = k + 1
            while j < n:
                a = toks[j]
                if a.type == "PRIME":
                    j += 1
                elif a.type == "USCORE" and j + 1 < n and toks[j + 1].type in ("SUBTEXT", "NUMBER", "NAME"):
                    j += 2
                elif a.type == "USCORE" and j + 1 < n and toks[j + 1].type == "LBRACE" and j + 1 in match:
                    j = match[j + 1] + 1
                elif a.type == "CARET" and j + 1 < n and toks[j + 1].type == "NUMBER":
                    j += 2  # \tanh^2(x)
                elif a.type == "CARET" and j + 1 < n and toks[j + 1].type == "LBRACE" and j + 1 in match:
                    j = match[j + 1] + 1
                else:
                    break
            if j < n and toks[j].type in ("LPAR", "LBRACK", "LCURLY"):
                t.info = FUNCTION_NAMES.get(str(t.info), str(t.info))
                t.type = "FUNC"
                toks[j].type = "CALL_" + toks[j].type
            elif t.type == "FUNCCMD":
                if t.info == "max":
                    raise src.error("max_brackets", t.start_pos)
                t.type = "FUNC_BARE"
        elif t.type == "FUNCCMD":  # pragma: no cover - every FUNCCMD is handled above
            t.type = "FUNC_BARE"
