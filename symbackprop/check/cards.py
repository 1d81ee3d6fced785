"""A set of flash cards exported as text (Quizlet's "Export": term, a tab, definition, one card per row): the term is
the left side and the definition the right, `∂E/∂w5<TAB>δ_O · out_h1` says ∂E/∂w5 = δ_O · out_h1. A tab between two
pieces of a line is never a product (after a term that ends in its relation, Lua's print("E =", E) printing
"E =<TAB>1.0828", only a space); a row with two tabs or more is a table's, not a card's, and is left as it is."""

from __future__ import annotations

import re

#: one card: a term, one run of tabs, a definition (neither blank)
_CARD = re.compile(r"(?P<term>[ \t]*[^\t\n]*[^\t\n \\])\t[\t ]*(?P<definition>[^\t\n \\][^\t\n]*)")
#: a row with two tabs or more between its pieces (a table's row, TSV)
_TABLE_ROW = re.compile(r"[^\t\n]\t+[^\t\n]+\t+[^\t\n]")


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
