"""A layer's number in brackets after a name, as Gonzalez & Woods write it in plain text: z_i(ℓ), a_j(ℓ−1),
w_ij(ℓ), δ_j(L) — the neuron's index as a subscript, the layer's after it in brackets. Read as the superscript
(ℓ) other books put there (z_{i}^{(ℓ)}), which the lexer reads; an aside naming the lecture's weight, "(= w2)",
is a remark, and a tuple's transpose mark ("(0.5, 0.3)ᵀ") is no claim of its own."""

from __future__ import annotations

import re

from .tokens import _blank

_LAYER_ARG = re.compile(r"(?<![\w\\])(?P<name>[azδwbh])_(?P<idx>[0-9ijk]{1,2})"
                        r"\((?P<layer>[0-9]|ℓ|L)(?P<off>[−+-]1)?\)")
_ASIDE = re.compile(r"[ \t]*\([ \t]*=[ \t]*[wb][0-9]{1,2}[ \t]*\)|(?<=\))ᵀ")


def is_layer_args(text: str) -> bool:
    """Is the text in that notation: a name with its layer in brackets, and no LaTeX?"""
    return "\\" not in text and _LAYER_ARG.search(text) is not None


def layer_args(text: str) -> str:
    """The names with their layers as superscripts; the asides blank."""
    text = _ASIDE.sub(lambda m: _blank(m.group()), text)
    return _LAYER_ARG.sub(lambda m: f"{m['name']}_{{{m['idx']}}}^{{({m['layer']}{m['off'] or ''})}}", text)
