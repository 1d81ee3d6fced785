"""Mathematics typed in MathSpeak, the words a screen reader (NVDA with MathCAT, JAWS) speaks for it: "net Subscript
h 2 Baseline equals StartFraction partial-differential upper E Over partial-differential out Subscript upper O
Baseline EndFraction". Each line's runs of MathSpeak's words that state a relation ("equals") become LaTeX in
dollars; the words of prose around them ("Final answer colon", "Question 1 part a.") stay prose."""

from __future__ import annotations

import re

from .vocabulary import GREEK

_WORDS = {"equals": "=", "plus": "+", "minus": "-", "times": r"\cdot", "negative": "-", "prime": "'",
          "left-parenthesis": "(", "right-parenthesis": ")", "left-bracket": "[", "right-bracket": "]",
          "partial-differential": r"\partial", "comma": ","}
_STRUCTURE = {"StartFraction", "Over", "EndFraction", "Subscript", "Superscript", "Baseline", "upper", "one", "half"}
#: the names of quantities a sheet's MathSpeak spells as words
_NAMES = {"net", "out", "target", "output", "input", "total"}
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def is_mathspeak(text: str) -> bool:
    """Does the text use MathSpeak's words for scripts or fractions, and say "equals"?"""
    return re.search(r"\b(?:StartFraction|Subscript|Superscript)\b", text) is not None \
        and re.search(r"\bequals\b", text) is not None


def mathspeak(text: str) -> str:
    """Each line's MathSpeak runs with a relation in them as $…$ (the lines keep their numbers)."""
    return "\n".join(_line(line) for line in text.split("\n"))


def _word(token: str) -> bool:
    """Is the token one of MathSpeak's words, a name it spells, a letter or a number?"""
    return token in _WORDS or token in _STRUCTURE or token in _NAMES or token in GREEK \
        or re.fullmatch(r"[A-Za-z]", token) is not None or _NUMBER.fullmatch(token) is not None


def _line(line: str) -> str:
    tokens = line.split()
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        while run and run[-1] == "comma":
            run.pop()
        if "equals" in run:
            out.append("$" + _latex(run) + "$")
        else:
            out.extend(run)
        run.clear()

    for token in tokens:
        bare = token.rstrip(".,;:")
        if _word(bare):
            run.append(bare)
            if bare != token:  # (a sentence's or a clause's end: "… Baseline.", "… EndFraction,")
                flush()
                out[-1] += token[len(bare):]
        else:
            flush()
            out.append(token)
    flush()
    return " ".join(out) if "$" in " ".join(out) else line


def _latex(run: list[str]) -> str:
    """MathSpeak's words as LaTeX: scripts closed at "Baseline" (or the run's end), a fraction's parts at "Over" and
    "EndFraction"; in a script, its letters and digits written together (h 2 is h2)."""
    out: list[str] = []
    open_: list[str] = []  # "script" or "frac", innermost last
    k = 0
    while k < len(run):
        t = run[k]
        script = bool(open_) and open_[-1] == "script"
        sep = "" if script else " "
        if t in ("Subscript", "Superscript"):
            out.append("_{" if t == "Subscript" else "^{")
            open_.append("script")
        elif t == "Baseline":
            while open_ and open_[-1] == "script":
                out.append("}")
                open_.pop()
        elif t == "StartFraction":
            out.append(r" \frac{")
            open_.append("frac")
        elif t in ("Over", "EndFraction"):
            while open_ and open_[-1] == "script":
                out.append("}")
                open_.pop()
            if open_:
                out.append("}{" if t == "Over" else "}")
                if t == "EndFraction":
                    open_.pop()
        elif t == "upper" and k + 1 < len(run) and re.fullmatch(r"[A-Za-z]", run[k + 1]):
            out.append(sep + run[k + 1].upper())
            k += 1
        elif t == "one" and k + 1 < len(run) and run[k + 1] == "half":
            out.append(r" \tfrac{1}{2}")
            k += 1
        elif t in _WORDS:
            out.append(" " + _WORDS[t] + " " if t not in ("prime",) else _WORDS[t])
        elif t in GREEK:
            out.append(sep + "\\" + t + " ")
        else:
            out.append(sep + t)
        k += 1
    out.extend("}" for _ in open_)
    return "".join(out).strip()
