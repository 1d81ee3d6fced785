"""A set of flash cards exported as text (Quizlet's "Export": term, a tab, definition, one card per row): the term is
the left side and the definition the right, `∂E/∂w5<TAB>δ_O · out_h1` says ∂E/∂w5 = δ_O · out_h1. A tab between two
pieces of a line is never a product (after a term that ends in its relation, Lua's print("E =", E) printing
"E =<TAB>1.0828", only a space); a row with two tabs or more is a table's, not a card's, and is left as it is.
RemNote's cards in its Markdown export, "- $$E$$ :: $$\frac12 (d - y)^2$$" (>>, <<, <>, ;; the other directions):
front = back, its $$…$$ inline math."""

from __future__ import annotations

import re

#: one card: a term, one run of tabs, a definition (neither blank)
_CARD = re.compile(r"(?P<term>[ \t]*[^\t\n]*[^\t\n \\])\t[\t ]*(?P<definition>[^\t\n \\][^\t\n]*)")
#: a row with two tabs or more between its pieces (a table's row, TSV)
_TABLE_ROW = re.compile(r"[^\t\n]\t+[^\t\n]+\t+[^\t\n]")


#: a RemNote card whose two sides are math: $$front$$ :: $$back$$ (after its bullet)
_REM_CARD = re.compile(r"(?P<lead>[ \t]*(?:[-*][ \t]+)?)\$\$(?P<front>[^$\n]+)\$\$[ \t]*(?:::|>>|<<|<>|;;)[ \t]*"
                       r"\$\$(?P<back>[^$\n]+)\$\$[ \t]*")
_INLINE_DISPLAY = re.compile(r"\$\$([^$\n]+)\$\$")


def is_rem_cards(text: str) -> bool:
    return any(_REM_CARD.fullmatch(line) for line in text.split("\n"))


def rem_cards(text: str) -> str:
    """Each card as front = back in $…$; RemNote's other $$…$$ (inline math in its export) as $…$."""
    return "\n".join(f"{m['lead']}${m['front']} = {m['back']}$" if (m := _REM_CARD.fullmatch(line)) is not None
                     else _INLINE_DISPLAY.sub(r"$\1$", line) for line in text.split("\n"))


def is_cards(text: str) -> bool:
    """Does the text have a card (a line with one tab between two pieces) and no table row?"""
    if "\t" not in text:
        return False
    lines = text.split("\n")
    return any(_CARD.fullmatch(line) for line in lines) and not any(_TABLE_ROW.search(line) for line in lines)


def cards(text: str) -> str:
    """Each card as a statement, term = definition; every other line as it is."""
    return "\n".join(line if (m := _CARD.fullmatch(line)) is None
                     else f"{m['term']} {m['definition']}" if m["term"].rstrip()[-1] in "=:≈"
                     else f"{m['term']} = {m['definition']}" for line in text.split("\n"))
