"""Arithmetic said in words — a video's subtitles, a dictation, Indian English's "2 into 0.11 plus 3 into 0.21" — as the
signs the reader reads: "into", "times", "multiplied by" a product; "plus", "minus"; "divided by" and a Leibniz
quotient's "dE by dw5" a quotient; "equal to", "equals", "is", "gives" an equals sign; "whole square", "squared" a
square; "half into" a half times; a text message's "x" ("w1 x i1", "0.15x0.05") a product. A word becomes a sign only
between two operands (a number, a name, a bracket), so the prose around them stays prose; a line with a LaTeX command
is left as it is. A screen recording's transcript says names in words ("out h1", "dE total by d out o2", "w8 new"),
and a chain as one sentence whose members follow commas ("net o1 is …, so 0.40 times 0.5933 plus …, which gives
1.1059"): each sentence becomes a line, its chain joined by "=", the words it starts with ("So", "Okay") dropped."""

from __future__ import annotations

import re

from .vocabulary import WORDS

#: an operand's start after a word
_AFTER = r"(?=[ \t]*(?:[\w(\[]|[-−][ \t]*[\w(]))"
_SAID = re.compile(
    r"(?i:[ \t]+(?P<product>into|times|multiplied[ \t]+by)[ \t]+)" + _AFTER
    + r"|[ \t]+(?P<typed>x)[ \t]+" + _AFTER
    + r"|(?<=[0-9)])(?P<tight>x)(?=[0-9]*\.[0-9]|\(|[-−][ \t]*[0-9.(])"
    + r"|(?i:[ \t]+(?P<sum>plus)[ \t]+)" + _AFTER
    + r"|(?i:[ \t]+(?P<difference>minus)[ \t]+)" + _AFTER
    + r"|(?i:[ \t]+(?P<quotient>divided[ \t]+by)[ \t]+)" + _AFTER
    + r"|(?i:[ \t]+(?P<equals>(?:is[ \t]+)?equal[ \t]+to|equals|is|(?:which[ \t]+)?gives)[ \t]+)" + _AFTER
    + r"|(?i:[ \t]+(?:ka[ \t]+)?(?P<square>(?:whole[ \t]+)?square|squared))\b")
#: a Leibniz quotient said: "dE by dw5", "d out by dw5"
_LEIBNIZ = re.compile(r"\b(?P<of>d[ \t]?[A-Za-z][A-Za-z0-9_]*)[ \t]+by[ \t]+(?P<wrt>d[ \t]?[A-Za-z][A-Za-z0-9_]*)\b")
_HALF = re.compile(r"(?i)\b(?:one[ \t]+)?half[ \t]+(?:into|of|times)[ \t]+" + _AFTER)
#: a quantity's name said in words (a transcript's "net o1", "out h1", "delta o2", "d out o2", "E total", "w8 new")
_SAID_NAME = re.compile(r"(?i)\b(?P<d>d[ \t]?)?(?P<base>net|out|delta|target)[ \t]+(?P<unit>[a-z][0-9]+)\b"
                        r"|\b(?P<e>d?E)[ \t]+total\b|\b(?P<w>[wb][0-9]+)[ \t]+new\b")
#: "sigmoid of 1.2249": the function applied; "out o2 times one minus out o2": its complement, bracketed
_APPLIED = re.compile(r"(?i)\b(?P<f>sigmoid|sigma|σ)[ \t]+of[ \t]+(?P<x>-?[0-9]*\.?[0-9]+|[A-Za-z]+_?[a-z]?[0-9]+)\b"
                      r"|\bone[ \t]+minus[ \t]+(?P<name>[A-Za-z]+_?[a-z]?[0-9]+)\b")
#: the activation "of that", said of the number just worked out: no member to read ("out o1 is sigmoid of that,
#: 0.7514": out_o1 = 0.7514)
_OF_THAT = re.compile(r"(?i)[ \t]+(?:is[ \t]+)?(?:the[ \t]+)?(?:sigmoid|sigma|logistic)[ \t]+of[ \t]+(?:that|this|it),"
                      r"(?=[ \t]+[0-9.])")
#: the words a spoken sentence starts with before its equation ("So delta o2 is …", "Total 0.0554 minus …")
_FILLER = re.compile(r"(?i)^(?:(?:so|and|then|okay|ok|um|uh|hmm|now|well|oh|wait|yeah|also|but)\b[ \t,]*)+"
                     r"(?=[^.?!]*=|-?[0-9]*\.?[0-9])|^total[ \t]+(?=[0-9.])")
_ARITHMETIC = re.compile(r"-?[0-9]*\.?[0-9]+[ \t]*[-+*/][ \t]*-?[0-9]*\.?[0-9]")
#: a minus sign said where a member starts (after "=", a comma, "so"): "is minus 0.0381"
_NEGATIVE = re.compile(r"(?i)(?<=[=,*])[ \t]*(?:so[ \t]+)?minus[ \t]+(?=[0-9(.])")
#: a name said before its value, where a list or a sentence has it ("w1 0.1498, w2 0.1996", "w4 new, 0.30 − …")
_VALUE_SAID = re.compile(r"(?:^|(?<=[,.:][ \t])|(?<=\][ \t]))(?P<name>[A-Za-z]+_?[a-z]?[0-9]+(?:\(new\))?)"
                         r"(?:[ \t]+|[ \t]*,[ \t]*)(?=-?[0-9]*\.?[0-9]+[ \t]*(?:[,.;]|$| -))")
#: a member after a comma, going on with the chain of its sentence: "…, that's 0.2373 + 0.2686, which gives 1.1059"
_GOES_ON = re.compile(r"(?i),[ \t]*(?:(?:so|that's|that[ \t]+is|which[ \t]+is|which[ \t]+gives|gives)[ \t]+)?"
                      r"(?=-?[ \t]*(?:[0-9]|\.[0-9]|\())")
_SIGNS = {"product": " * ", "typed": " * ", "tight": " * ", "sum": " + ", "difference": " - ", "quotient": " / ",
          "equals": " = ", "square": "^2"}


def is_spoken(text: str) -> bool:
    """Plain text with arithmetic said in words between operands?"""
    return "\\" not in text and (_LEIBNIZ.search(text) is not None
                                 or any(m.lastgroup != "equals" or m["equals"].lower() != "is" for m in _said(text)))


def spoken(text: str) -> str:
    """The text with its said arithmetic in signs, and its names and chains as a transcript says them (each
    sentence on a line of its own)."""
    # (a transcript says its relations and names in words too: its sentences, chains and signs read as said)
    transcript = _SAID_NAME.search(text) is not None or any(m.lastgroup == "equals" for m in _said(text))
    text = _SAID_NAME.sub(_name, text)
    text = _LEIBNIZ.sub(lambda m: m["of"].replace(" ", "") + "/" + m["wrt"].replace(" ", ""), text)
    text = _HALF.sub("1/2 * ", text)
    text = _OF_THAT.sub(" ", text)
    text = _APPLIED.sub(lambda m: f"{m['f']}({m['x']})" if m["f"] else f"(1 - {m['name']})", text)
    out, pos = [], 0
    for m in _said(text):
        out += [text[pos:m.start()], _SIGNS[m.lastgroup or ""]]
        pos = m.end()
    text = "".join(out) + text[pos:]
    if not transcript:
        return text
    return "\n".join(_chained(line) for line in _NEGATIVE.sub(" -", text).split("\n"))


def _name(m: re.Match[str]) -> str:
    """A name said in words, written as the reader reads it: out_h1, dnet_o1, E_total, w8(new)."""
    if m["w"]:
        return f"{m['w']}(new)"
    if m["e"]:
        return f"{m['e']}_total"
    return ("d" if m["d"] else "") + f"{m['base'].lower()}_{m['unit']}"


def _chained(line: str) -> str:
    """Each sentence of a line on a line of its own; one that states an equation goes on with the numbers after its
    commas ("net_o1 = … + b2, so 0.40 * 0.5933 + …, which gives 1.1059": one chain)."""
    sentences = re.split(r"(?<=[.?!])(?=[ \t]|$)", _VALUE_SAID.sub(r"\g<name> = ", line))
    indent = line[:len(line) - len(line.lstrip())]
    sentences = [_FILLER.sub("", s.strip()) for s in sentences]
    # (the chain starts at its first "=", or at the sentence's start when that is arithmetic: "0.0554 - 0.0190, 0.0364")
    starts = [s.index("=") + 1 if "=" in s else 0 if _ARITHMETIC.match(s) else None for s in sentences]
    return indent + "\n".join(s if k is None else s[:k] + _GOES_ON.sub(_joined, s[k:])
                              for s, k in zip(sentences, starts, strict=True) if s)


def _joined(m: re.Match[str]) -> str:
    """A comma before a number goes on with the chain, unless a bracket holds it ("(0.15 * 0.05 = 0.0075, …)")."""
    before = m.string[:m.start()]
    return m.group() if before.count("(") > before.count(")") else " = "


def _said(text: str) -> list[re.Match[str]]:
    """The words said between two operands, one of them a number, a numbered name or a bracket ("i1 into w1",
    "(0.191 - 1) ka whole square"; not "plug into the formula")."""
    found = []
    for m in _SAID.finditer(text):
        before = re.search(r"[\w.′'/]+$|[)\]]$", text[:m.start()])
        if m.lastgroup == "tight" and (before is None or not re.fullmatch(r"[0-9.]*[0-9]|\)", before.group())):
            continue  # (a number's times sign, "0.15x0.05", "(-0.0381)x0.5"; not a name's letter, "w1x0.5")
        after = re.match(r"[ \t]*(?:[-−][ \t]*)?(?:[\w.′'/]+|[(\[])", text[m.end():])
        if before is None or (after is None and m.lastgroup != "square"):
            continue
        if m.lastgroup == "equals" and not re.search(r"[0-9)\]_]", before.group()):
            continue  # ("which is out o2 …", "it is 0.5": a word before it, no quantity)
        sides = before.group() + (after.group() if after is not None else "")
        if any(c.isdigit() or c in "()[]" for c in sides) or (
                m.lastgroup in ("sum", "difference") and before.group() in WORDS and after is not None
                and after.group().strip(" \t-−") in WORDS):  # ("prediction minus actual")
            found.append(m)
    return found
