r"""Pass C of the derivation reader: the cooked tokens of an answer → lines → chains → elements.

`_lines` splits at newlines, `\\` and the environments (checking the math delimiters and the environments
themselves), `_logical_lines` joins continuation lines and settles each `\quad` (`_resolve_soft`), `_chains`
cuts a line at its separators, `_vectors` makes row vectors `[a \ b]` matrices where the chain has matrices,
and `_elements` cuts a chain at its relations: each element is then one expression for the grammar.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator

from .catalogue import Phrase
from .tokens import _BINOPS, _CLOSERS, _OPENERS, _PARSER_TERMINALS, _show, _Source, _Tok
from .vocabulary import _ENV_HINTS, ENVIRONMENTS


def _lines(toks: list[_Tok], src: _Source) -> list[tuple[list[_Tok], bool]]:
    """Split into lines: (tokens, whether the line follows a \\\\ inside an environment)."""
    lines: list[tuple[list[_Tok], bool]] = []
    cur: list[_Tok] = []
    after_env_break = False
    envs: list[_Tok] = []
    brackets: list[_Tok] = []
    first = next((t for t in toks if t.type != "NL"), None)
    delimited = first is not None and first.type == "MATH"
    inside = not delimited
    opened: _Tok | None = None
    block: _Tok | None = None  # a display opened at a line's start in an answer not wrapped in math delimiters
    closing = {"$": "$", "$$": "$$", "\\[": "\\]", "\\(": "\\)"}

    def flush(env_break: bool) -> None:
        nonlocal cur, after_env_break
        lines.append((cur, after_env_break))
        cur = []
        after_env_break = env_break

    def no_open(t: _Tok, what: str) -> None:
        if brackets:
            o = brackets[-1]
            raise src.error("not_closed_before", t.start_pos, token=_show(o), open_line=o.line,
                            open_column=o.column, what=what)

    for t in toks:
        typ = t.type
        if typ == "MATH" and not delimited:
            # a display of its own after lines of math-mode LaTeX (a quiz's "\text{Your answer:} \\ \[ … \]"): its
            # delimiters start and end lines; one in the middle of a line stays an error
            if block is None and not cur and not envs:
                block = t
                continue
            if block is not None and str(t) == closing.get(str(block), ""):
                no_open(t, Phrase("the end of the math", "数学公式的结尾"))
                flush(False)
                block = None
                continue
            raise src.error("math_delimiter_inside", t.start_pos, token=_show(t))
        if typ == "MATH":
            if not inside:
                inside, opened = True, t
                continue
            assert opened is not None
            if str(t) != closing.get(str(opened), ""):
                raise src.error("math_mismatch", t.start_pos, token=_show(t), opened=_show(opened),
                                open_line=opened.line, open_column=opened.column)
            no_open(t, Phrase("the end of the math", "数学公式的结尾"))
            if envs:
                raise src.error("env_not_closed_math", t.start_pos, env=envs[-1].info)
            flush(False)
            inside = False
            continue
        if not inside:
            if typ in ("NL", "DOT", "COMMA", "BREAK") or (typ == "HARDSEP" and str(t) in ":;"):
                continue  # (a text-mode \\\\ between two $…$ pieces: a line break; "$w_1 = 0.1$:" a colon after)
            if not (not cur and opened is not None and str(opened) in ("\\[", "$$")):
                raise src.error("outside_math", t.start_pos, token=_show(t))
            # a display, then a sentence's math with its prose and dollars blanked ("\[ … \]", then "Updated weight
            # ($\eta = 1$):"): lines of math, the displays after it lines of their own
            delimited, inside = False, True
        if typ == "NL":
            if not envs and not brackets:
                # (inside a $$ … $$ or \[ … \] display a newline is no break to TeX: a line led by a minus goes on,
                # as after \\ in an environment — Typora's "= w_6" then "- \eta" then "\cdot A")
                flush(t.start_pos in src.display_newlines)
        elif typ == "BREAK":
            no_open(t, "\\\\")
            flush(bool(envs))
        elif typ == "BEGIN":
            if t.info in _ENV_HINTS:
                raise src.error("env_hint", t.start_pos, env=t.info, hint=_ENV_HINTS[t.info])
            if t.info not in ENVIRONMENTS:
                raise src.error("env_unknown", t.start_pos, env=t.info, known=", ".join(sorted(ENVIRONMENTS)))
            no_open(t, f"\\begin{{{t.info}}}")
            envs.append(t)
            flush(False)
        elif typ == "END":
            if not envs:
                raise src.error("end_without_begin", t.start_pos, env=t.info)
            if envs[-1].info != t.info:
                o = envs[-1]
                raise src.error("end_mismatch", t.start_pos, env=t.info, begun=o.info, open_line=o.line,
                                open_column=o.column)
            no_open(t, f"\\end{{{t.info}}}")
            envs.pop()
            flush(False)
        else:
            if typ in _OPENERS:
                brackets.append(t)
            elif typ in _CLOSERS and brackets:
                brackets.pop()
            cur.append(t)
    if delimited and inside:
        assert opened is not None
        raise src.error("never_closed", opened.start_pos, token=_show(opened))
    if block is not None:
        raise src.error("never_closed", block.start_pos, token=_show(block))
    if envs:
        raise src.error("env_never_closed", envs[-1].start_pos, env=envs[-1].info)
    flush(False)
    return lines


def _logical_lines(lines: list[tuple[list[_Tok], bool]], src: _Source) -> list[list[_Tok]]:
    """Join continuation lines (leading relation or operator, or previous line ending with one)."""
    logical: list[list[_Tok]] = []
    for toks, env_break in lines:
        toks = _resolve_soft(toks, src)
        # E := ½(y − d)². \text{Then} …: a sentence's full stop before the prose that follows it
        toks = [t for k, t in enumerate(toks)
                if not (t.type == "DOT" and k + 1 < len(toks) and toks[k + 1].type == "HARDSEP")]
        while toks and toks[-1].type in ("DOT", "COMMA", "HARDSEP"):
            toks = toks[:-1]
        signed = len(toks) > 1 and toks[0].type == "HARDSEP" and str(toks[0]) == ";" and toks[1].type == "PLUS"
        while toks and toks[0].type == "HARDSEP":
            # \text{du neurone caché } 2 \text{ vaut }: a whole number between two pieces of prose is prose
            toks = toks[2:] if _prose(toks[0]) and len(toks) > 2 and _word_number(toks[1]) and _prose(toks[2]) \
                else toks[1:]
        if not toks:
            continue
        first = "" if signed else toks[0].type  # (; +1: a statement of its own, see lex._prose_blanked)
        if logical and (logical[-1][-1].type in _BINOPS or logical[-1][-1].type == "REL"
                        or first in ("REL", "PLUS", "MUL", "DIV") or (first == "MINUS" and env_break)):
            logical[-1].extend(toks)
        else:
            logical.append(list(toks))
    return [_side_definitions(line) for line in logical]


def _side_definitions(line: list[_Tok]) -> list[_Tok]:
    """H = −(1/p) Σ …, \\quad p = 2 \\\\ = −½[…]: a name given a number after a separator, then a relation that
    goes on (the next line's =): what follows goes on the chain before the separator, not on p's."""
    depths = [d for _, d in _with_depth(line)]
    for k, t in enumerate(line):
        if t.type not in ("COMMA", "SOFTSEP", "HARDSEP") or depths[k] or k == 0:
            continue
        tail = [x.type for x in line[k + 1:k + 5]]
        n = 3 if tail[:3] == ["NAME", "REL", "NUMBER"] else 4 if tail == ["NAME", "REL", "MINUS", "NUMBER"] else 0
        rest = k + 1 + n
        if not n or rest >= len(line) or line[rest].type != "REL" or not any(x.type == "REL" for x in line[:k]):
            continue
        end = next((m for m in range(rest, len(line)) if line[m].type in ("COMMA", "SOFTSEP", "HARDSEP")
                    and not depths[m]), len(line))
        first = k
        while first > 0 and line[first - 1].type in ("COMMA", "SOFTSEP", "HARDSEP") and not depths[first - 1]:
            first -= 1  # (`, \quad p = 2`: the comma and the quad)
        return _side_definitions([*line[:first], *line[rest:end], *line[first:rest], *line[end:]])
    return line


def _with_depth(toks: list[_Tok]) -> Iterator[tuple[_Tok, int]]:
    """Each token with the bracket depth after it (an opener is inside its brackets, a closer outside)."""
    depth = 0
    for t in toks:
        if t.type in _OPENERS:
            depth += 1
        elif t.type in _CLOSERS:
            depth -= 1
        yield t, depth


def _resolve_soft(line: list[_Tok], src: _Source) -> list[_Tok]:
    """One physical line: \\quad is a space when the chain so far has a relation and what follows (up to the
    next separator) has none, or starts with one; otherwise it separates chains (becomes HARDSEP). Inside brackets
    it stays, for _vectors (a separator of a row vector [a \\quad b], else nothing)."""
    segments: list[tuple[_Tok | None, list[_Tok]]] = [(None, [])]
    for t, depth in _with_depth(line):
        if t.type in ("SOFTSEP", "HARDSEP", "COMMA") and depth == 0:
            segments.append((t, []))
        elif t.type == "HARDSEP" and str(t) == ";":  # (0.5; −0.2): a tuple's entries where the decimal point is
            segments[-1][1].append(src.tok("COMMA", ";", t.start_pos, t.end_pos, ","))  # a comma (Afrikaans)
        elif t.type == "HARDSEP":
            raise src.error("hardsep_in_brackets", t.start_pos, token=_show(t))
        else:
            segments[-1][1].append(t)
    out: list[_Tok] = []
    chain_has_rel = False
    for k, (sep, seg) in enumerate(segments):
        if sep is not None and sep.type == "SOFTSEP" and _remark(seg):
            # \qquad (E = ½ Σ_k Err_k²): a remark in brackets, its own chain
            segments[k] = (src.tok("HARDSEP", str(sep), sep.start_pos, sep.end_pos, "quad"), seg[1:-1])
    for sep, seg in segments:
        if sep is not None and sep.type == "SOFTSEP":
            continuing = bool(seg) and seg[0].type == "REL"
            if not continuing and not (chain_has_rel and not _has_relation(seg)):
                out.append(src.tok("HARDSEP", str(sep), sep.start_pos, sep.end_pos, "quad"))
                chain_has_rel = False
        elif sep is not None:
            out.append(sep)
            chain_has_rel = False
        out.extend(seg)
        chain_has_rel = chain_has_rel or _has_relation(seg)
    return out


def _remark(seg: list[_Tok]) -> bool:
    """Is this segment one bracket ( … ) with a relation inside it, a remark set beside the chain?"""
    if len(seg) < 3 or seg[0].type != "LPAR" or seg[-1].type != "RPAR":
        return False
    depths = [d for _, d in _with_depth(seg)]
    return min(depths[:-1]) == 1 and any(t.type == "REL" and d == 1 for t, d in zip(seg, depths, strict=True))


def _chains(line: list[_Tok]) -> list[list[_Tok]]:
    """Split one logical line at the separators left after _resolve_soft: top-level ',' ';' prose, \\quad."""
    chains: list[list[_Tok]] = [[]]
    seps: list[_Tok | None] = [None]  # the separator before each chain
    for t, depth in _with_depth(line):
        if depth == 0 and t.type in ("HARDSEP", "COMMA"):
            chains.append([])
            seps.append(t)
        else:
            chains[-1].append(t)
    seps.append(None)
    # \text{du neurone caché } 2 \text{ vaut }: a whole number between two pieces of prose is a word of the prose
    return [c for k, c in enumerate(chains)
            if c and not (_prose(seps[k]) and _prose(seps[k + 1]) and len(c) == 1 and _word_number(c[0]))]


def _prose(sep: _Tok | None) -> bool:
    return sep is not None and sep.type == "HARDSEP" and sep.info in ("text", "prose")  # (\text{…}, or words: 要除以)


def _word_number(t: _Tok) -> bool:
    return t.type == "NUMBER" and str(t.info).isdigit()


_ENDS_OPERAND = frozenset({"NUMBER", "NAME", "SUBTEXT", "SUPMARK", "PRIME", "TRANSPOSE", "RPAR", "RBRACK", "RCURLY",
                           "RBRACE", "MEND", "RNORM"})
_STARTS_OPERAND = frozenset({"NUMBER", "NAME", "FUNC", "FUNC_BARE", "LPAR", "LBRACK", "LCURLY", "LBRACE", "FRAC",
                             "SQRT", "PARTIAL", "ACCENT", "MBEGIN", "SUM", "LNORM"})


def _vectors(chain: list[_Tok], src: _Source) -> list[_Tok]:
    """Row vectors in square brackets: `[h_1 \\ h_2]`, `[2 \\quad 3]`, `[a, b]` are 1×n matrices when the chain has
    a matrix environment or two of its members hold such a bracket; there, a member that is one bracket (`[out]`,
    `[0.191]`) is a 1×1 matrix too. Elsewhere the separators are spaces (and `,` stays an error)."""
    n = len(chain)
    # (opener index, separators: indices of COMMA/SOFTSEP tokens or of tokens a `\ ` stands before)
    frames: list[tuple[int, list[int]]] = []
    last: list[int | None] = [None]  # per open frame (and the top level): the last token at its level
    seps: dict[int, tuple[int, list[int]]] = {}  # opener index of a plain [ -> (closer index, separators)
    member_of: list[int] = []
    member = 0
    for k, t in enumerate(chain):
        member_of.append(member)  # a relation belongs to the member before it
        if t.type == "REL" and not frames:
            member += 1
        if t.type in _CLOSERS and frames:
            opener, found = frames.pop()
            last.pop()
            if chain[opener].type == "LBRACK":
                seps[opener] = (k, found)
            last[-1] = k
            continue
        if frames and chain[frames[-1][0]].type == "LBRACK":
            found = frames[-1][1]
            prev = last[-1]
            if t.type in ("COMMA", "SOFTSEP"):
                found.append(k)
                last[-1] = None
                continue
            if prev is not None and chain[prev].type in _ENDS_OPERAND and _spaced(chain[prev], t, src) and (
                    t.type in _STARTS_OPERAND or (t.type in ("PLUS", "MINUS") and k + 1 < n
                                                  and chain[k + 1].start_pos == t.end_pos)):
                found.append(k)
        last[-1] = k
        if t.type in _OPENERS:
            frames.append((k, []))
            last.append(None)
    with_seps = {member_of[k] for k, (_, found) in seps.items() if found}
    if not any(t.type == "MBEGIN" for t in chain) and len(with_seps) < 2:
        return [t for t in chain if t.type != "SOFTSEP"]
    convert: dict[int, _Tok] = {}  # index -> replacement (MBEGIN, MEND, MCOL) or a MCOL inserted before it
    insert: dict[int, _Tok] = {}
    starts = {k for k in range(n) if k == 0 or member_of[k] != member_of[k - 1]}
    for opener, (closer, found) in seps.items():
        whole = opener in starts and (closer + 1 == n or chain[closer + 1].type == "REL")
        if not found and not whole:
            continue
        o, c = chain[opener], chain[closer]
        convert[opener] = src.tok("MBEGIN", str(o), o.start_pos, o.end_pos, "[")
        convert[closer] = src.tok("MEND", str(c), c.start_pos, c.end_pos, "[")
        for k in found:
            t = chain[k]
            if t.type in ("COMMA", "SOFTSEP"):
                convert[k] = src.tok("MCOL", str(t), t.start_pos, t.end_pos)
            else:
                at = chain[k - 1].end_pos
                insert[k] = src.tok("MCOL", "", at, at)
    out: list[_Tok] = []
    for k, t in enumerate(chain):
        if k in insert:
            out.append(insert[k])
        t = convert.get(k, t)
        if t.type != "SOFTSEP":
            out.append(t)
    return out


def _spaced(a: _Tok, b: _Tok, src: _Source) -> bool:
    """Whether a `\\ ` stands between the tokens a and b."""
    k = bisect.bisect_left(src.spaces, a.end_pos)
    return k < len(src.spaces) and src.spaces[k] < b.start_pos


def _has_relation(toks: list[_Tok]) -> bool:
    return any(t.type == "REL" and depth == 0 for t, depth in _with_depth(toks))


def _elements(chain: list[_Tok], src: _Source) -> tuple[list[list[_Tok]], list[str]]:
    elements: list[list[_Tok]] = [[]]
    relations: list[str] = []
    matrices = 0  # open matrices
    for t, depth in _with_depth(chain):
        matrices += (t.type == "MBEGIN") - (t.type == "MEND")
        if t.type == "REL" and matrices:
            raise src.error("relation_in_matrix", t.start_pos, token=_show(t))
        if t.type == "REL" and depth == 0:
            if not elements[-1]:
                raise src.error("missing_between" if relations else "missing_before", t.start_pos, token=_show(t))
            relations.append(str(t.info))
            elements.append([])
            continue
        if t.type not in _PARSER_TERMINALS:
            raise src.error("unexpected", t.start_pos, token=_show(t))
        elements[-1].append(t)
    if not elements[-1]:
        last = chain[-1]
        raise src.error("missing_after", last.end_pos, token=_show(last))
    return elements, relations
