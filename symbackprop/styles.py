"""How names are written: a spec name in LaTeX and plain text, and the seeds' notation styles, one entry each.

The styles are those of the seeds: net/out (net_{h1}, out_{h1}), In/Out (In_{h_1}, h_1) and z/a with layer
superscripts (z^{(2)}_1, a^{(2)}_1). A style's entry says how a neuron's net input, output and error term are
written, how the targets are named when a spec does not name them, and what the network figure writes inside
a neuron; the spec's choices, the network, the printers (notation.py) and the figure read the entries, so a
style is added as one entry here. Names from a spec are validated by spec.NAME_RE, so only letters, digits
and one underscore ever reach LaTeX; `name_latex` is the rule that turns such a name into LaTeX.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Greek letter names and their characters (a name like eta or Phi is written as the letter)
GREEK_TEXT = dict(zip(
    ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu",
     "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
     "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega"],
    "αβγδεζηθικλμνξπρστυφχψωΓΔΘΛΞΠΣΥΦΨΩ", strict=True))
GREEK = frozenset(GREEK_TEXT)

_NAME = re.compile(r"^([A-Za-z]+?)(\d*)(?:_([A-Za-z0-9]+))?$")


def _base_latex(base: str) -> str:
    if base in GREEK:
        return "\\" + base
    return base if len(base) == 1 else f"\\mathit{{{base}}}"


def name_latex(name: str) -> str:
    """w5 → w_{5}; E_total → E_{total}; w2_11 → w^{(2)}_{11}; eta → \\eta; Error → \\mathit{Error}."""
    m = _NAME.match(name)
    if not m:  # not a spec name (cannot happen for validated input): show it literally, escaped
        return r"\text{" + re.sub(r"[^A-Za-z0-9]", "?", name) + "}"
    base, digits, sub = m.groups()
    # prefer the longest alphabetic base: "Error" not "E"+"rror"
    text = _base_latex(base)
    if sub:
        return f"{text}^{{({digits})}}_{{{sub}}}" if digits else f"{text}_{{{sub}}}"
    return f"{text}_{{{digits}}}" if digits else text


def name_text(name: str) -> str:
    m = _NAME.match(name)
    if m and m.group(1) in GREEK_TEXT:
        return GREEK_TEXT[m.group(1)] + name[len(m.group(1)):]
    return name


@dataclass(frozen=True)
class Style:
    """One notation style. `neuron` writes a neuron's quantity: role is "net", "out" or "delta"; layer is the
    neuron's layer (1 the first computed layer) and index its place in the layer (from 0)."""

    name: str
    net_letter: str = r"\mathit{net}"  # the net input in general (δ = ∂E/∂net)
    by_position: bool = False  # a neuron is written by its layer and position, not by its name
    # the letters a student of this style writes for a net input and an output (net_{h1}, In_{h_1}, z^{(2)}_1),
    # whatever their case: the answer checker reads them as those quantities
    written_net: tuple[str, ...] = ()
    written_out: tuple[str, ...] = ()

    def neuron(self, neuron: str, layer: int, index: int, role: str) -> tuple[str, str]:
        """(LaTeX, plain text) of the neuron's net input, output or error term."""
        raise NotImplementedError

    def indexed(self, base: str, layer: int, token: str, role: str) -> str:
        """LaTeX of a neuron's net input or output with an index letter for its number (the index form of a
        layer's formula: net_{hj}); base is the layer's neuron prefix (h)."""
        raise NotImplementedError

    def targets(self, base: str, neurons: tuple[str, ...]) -> tuple[str, ...]:
        """The targets' names when the spec gives none: the base alone for one output, else one per output."""
        return (base,) if len(neurons) == 1 else tuple(f"{base}{k + 1}" for k in range(len(neurons)))

    def node_label(self, neuron: str) -> str | None:
        """What the figure writes inside a neuron, where the output's symbol would not fit (None: the symbol)."""
        return None


class NetOut(Style):
    """Mazur's net_{h1}, out_{h1}, δ_{h1}; targets target_{o1}, target_{o2}; the figure writes h1 in the node."""

    def neuron(self, neuron: str, layer: int, index: int, role: str) -> tuple[str, str]:
        prefix = {"net": r"\mathit{net}", "out": r"\mathit{out}", "delta": r"\delta"}[role]
        text = {"net": "net", "out": "out", "delta": "δ"}[role]
        return f"{prefix}_{{{neuron}}}", f"{text}_{neuron}"

    def indexed(self, base: str, layer: int, token: str, role: str) -> str:
        return rf"\mathit{{{role}}}_{{{base}{token}}}"

    def targets(self, base: str, neurons: tuple[str, ...]) -> tuple[str, ...]:
        return (base,) if len(neurons) == 1 else tuple(f"{base}_{n}" for n in neurons)

    def node_label(self, neuron: str) -> str | None:
        return name_latex(neuron)


class InOut(Style):
    """Seed 000's In_{h_1} for the net input and h_1 for the output itself."""

    def neuron(self, neuron: str, layer: int, index: int, role: str) -> tuple[str, str]:
        inner = name_latex(neuron)
        if role == "out":
            return inner, neuron
        prefix = {"net": r"\mathit{In}", "delta": r"\delta"}[role]
        return f"{prefix}_{{{inner}}}", f"{'In' if role == 'net' else 'δ'}_{neuron}"

    def indexed(self, base: str, layer: int, token: str, role: str) -> str:
        inner = name_latex(f"{base}_{token}")
        return inner if role == "out" else rf"\mathit{{In}}_{{{inner}}}"


class ZA(Style):
    """Ng's and Nielsen's z^{(l)}_j and a^{(l)}_j, the inputs being layer 1."""

    def neuron(self, neuron: str, layer: int, index: int, role: str) -> tuple[str, str]:
        letter = {"net": "z", "out": "a", "delta": r"\delta"}[role]
        text = {"net": "z", "out": "a", "delta": "δ"}[role]
        return f"{letter}^{{({layer + 1})}}_{{{index + 1}}}", f"{text}^({layer + 1})_{index + 1}"

    def indexed(self, base: str, layer: int, token: str, role: str) -> str:
        return f"{'z' if role == 'net' else 'a'}^{{({layer + 1})}}_{{{token}}}"


STYLES: dict[str, Style] = {s.name: s for s in (
    NetOut("net_out", written_net=("net", "Net", "NET"), written_out=("out", "Out", "OUT")),
    InOut("in_out", net_letter=r"\mathit{In}", written_net=("In", "in", "IN"), written_out=("Out",)),
    ZA("z_a", net_letter="z", by_position=True, written_net=("z",), written_out=("a",)))}
