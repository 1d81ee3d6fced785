"""The notation styles (symbackprop/styles.py): each writes a neuron's quantities as its seed does, the index form
of a layer's formula is the same name with a letter for the number, and a spec, the network, the printers and the
figure follow the entry."""

from __future__ import annotations

import pytest

from symbackprop import Network
from symbackprop.notation import Notation
from symbackprop.spec import STYLES as SPEC_STYLES
from symbackprop.styles import STYLES, name_latex

# as the seeds and the textbooks write neuron 1 of the first hidden layer h (layer 1; the inputs are layer 0)
SEEN = {
    "net_out": {"net": r"\mathit{net}_{h1}", "out": r"\mathit{out}_{h1}", "delta": r"\delta_{h1}"},  # Mazur, seed 004
    "in_out": {"net": r"\mathit{In}_{h_{1}}", "out": "h_{1}", "delta": r"\delta_{h_{1}}"},  # seed 000
    "z_a": {"net": "z^{(2)}_{1}", "out": "a^{(2)}_{1}", "delta": r"\delta^{(2)}_{1}"},  # Ng, Nielsen
}


@pytest.mark.parametrize("style", list(STYLES))
def test_each_style_writes_a_neuron_as_its_seed_does(style: str) -> None:
    for role, latex in SEEN[style].items():
        assert STYLES[style].neuron("h1", 1, 0, role)[0] == latex


@pytest.mark.parametrize("style", list(STYLES))
@pytest.mark.parametrize("role", ["net", "out"])
def test_the_index_form_is_the_name_with_a_letter_for_the_number(style: str, role: str) -> None:
    s = STYLES[style]
    for layer, index in ((1, 0), (2, 2)):
        assert s.indexed("h", layer, str(index + 1), role) == s.neuron(f"h{index + 1}", layer, index, role)[0]
    assert "j" in s.indexed("h", 1, "j", role)


def test_a_spec_takes_every_style_and_the_network_and_printers_follow_it() -> None:
    assert set(SPEC_STYLES) == set(STYLES)
    for style in STYLES:
        net = Network.from_dict({
            "inputs": ["x1"], "notation": {"style": style},
            "layers": [{"name": "h", "size": 1}, {"name": "o", "size": 2}]})
        targets = tuple(t.name for t in net.targets)
        assert targets == STYLES[style].targets(net.spec.notation.target, ("o1", "o2"))
        nt = Notation(net)
        assert nt.latex_names[net.by_name("net_h1")] == STYLES[style].neuron("h1", 1, 0, "net")[0]
    # net/out names the targets after the neurons (target_{o1}), the others number them (t1, y1)
    assert STYLES["net_out"].targets("target", ("o1", "o2")) == ("target_o1", "target_o2")
    assert STYLES["in_out"].targets("y", ("o1", "o2")) == ("y1", "y2")
    assert STYLES["net_out"].node_label("h1") == name_latex("h1") and STYLES["z_a"].node_label("h1") is None


# where a letter goes in each style's name of neuron h1's quantities (Mazur, seed 000, Ng/Nielsen)
PLACE = {"net_out": "{}_{{h1}}", "in_out": "{}_{{h_1}}", "z_a": "{}^{{(2)}}_{{1}}"}
# Mazur's published forward pass of seed 004: net_h1 = 0.15·0.05 + 0.2·0.1 + 0.35, out_h1 = σ(net_h1)
PUBLISHED = {"net": ("net_h1", "0.3775", "0.4775"), "out": ("h1", "0.593269992", "0.693269992")}


@pytest.mark.parametrize("style", list(STYLES))
def test_every_letter_a_style_writes_is_read_by_the_checker(style: str, tmp_path) -> None:
    """A style is one entry: the letters its students write for a net input and an output are read by the answer
    checker as those quantities — the published value correct, a value off by 0.1 incorrect."""
    from test_check import SEED004, check

    spec = tmp_path / "seed004.toml"
    spec.write_text(SEED004.read_text(encoding="utf-8").replace('style = "net_out"', f'style = "{style}"'),
                    encoding="utf-8")
    entry = STYLES[style]
    answers = []
    for role, letters in (("net", entry.written_net), ("out", entry.written_out)):
        quantity, right, wrong = PUBLISHED[role]
        assert letters, f"{style} writes no letter for {role}"
        for letter in letters:
            name = PLACE[style].format(letter)
            answers += [(f"{letter}-{role}-right", quantity, f"{name} = {right}"),
                        (f"{letter}-{role}-wrong", quantity, f"{name} = {wrong}")]
    got = {k: r.verdict for k, r in check(spec, *answers).items()}
    assert got == {a[0]: "correct" if a[0].endswith("right") else "incorrect" for a in answers}
