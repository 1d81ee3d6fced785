"""A multiple-choice question copied with its printed options, "(A) $…$ (B) $…$ (C) $…$ (D) $…$", and the letter the
student chose ("Scantron: B", "Answer: (C)", "答案：B"): the options are the question's, not claims; the chosen one
is the student's answer, and it stands where the options stood (after the stem, "$\\frac{\\partial E}{\\partial
w_5} =$", which it completes). With no letter chosen nothing is claimed. Positions are kept."""

from __future__ import annotations

import re

from .tokens import _blank
from .vocabulary import answer_word

#: a line of three or more options, each a letter in brackets and its formula in $…$
_OPTIONS = re.compile(r"(?m)^[ \t]*(?:\((?P<letter>[A-Ha-h])\)[ \t]*\$[^$\n]+\$[ \t,;]*){3,}$")
_OPTION = re.compile(r"\((?P<letter>[A-Ha-h])\)[ \t]*(?P<math>\$[^$\n]+\$)")
#: the letter chosen, on a line of its own after the options
_CHOSEN = re.compile(r"(?m)^[ \t]*(?:" + answer_word(capitalized=True)
                     + r"|Scantron|Choice|My answer|Bubbled|答案|解答|정답)[ \t]*[:：][ \t]*"
                     r"\(?(?P<letter>[A-Ha-h])\)?[ \t]*$")


def chosen_options(text: str) -> str:
    """Each options line replaced by the option its question's chosen letter names (the others blanked; the line
    that says the letter is prose)."""
    if "(A)" not in text and "(a)" not in text:
        return text
    chars = list(text)
    for options in _OPTIONS.finditer(text):
        nxt = _OPTIONS.search(text, options.end())
        chosen = _CHOSEN.search(text, options.end(), nxt.start() if nxt is not None else len(text))
        letter = chosen["letter"].upper() if chosen is not None else None
        for option in _OPTION.finditer(text, options.start(), options.end()):
            if option["letter"].upper() != letter:
                chars[option.start():option.end()] = _blank(option.group())
            else:
                chars[option.start():option.start("math")] = _blank(text[option.start():option.start("math")])
    return "".join(chars)
