"""The network figure of the Markdown lecture: an SVG drawn from the TikZ picture's layout (figure.py), embedded
as a data: URI or written beside the document. Checked with an XML parser: it is well-formed, names every neuron
and weight, puts the nodes where the TikZ picture puts them and its labels are text (scripts as <tspan>s)."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import sympy as sp

from conftest import EXAMPLES, SEED004
from symbackprop import Network, derive
from symbackprop.render.document import figure_file, markdown_figure, render, render_files
from symbackprop.render.equations import Writer
from symbackprop.render.figure import SVG_SCALE, network_figure, network_svg, svg_math

SVG = "{http://www.w3.org/2000/svg}"
IMAGE = re.compile(r"^!\[([^\]\n]*)\]\(data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)\)$", re.M)
IDS = [p.stem for p in EXAMPLES]


def _normal(text: str) -> str:
    """A label reduced to its letters and digits: TeX (w_{5}\\!=\\!0.4) and SVG text (w5=0.4) alike."""
    text = re.sub(r"\\(mathit|mathrm|text|left|right|!|,)", "", text)
    return re.sub(r"[^0-9A-Za-z\u0370-\u03ff]", "", text)


def _texts(root: ET.Element) -> list[str]:
    return [_normal("".join(t.itertext())) for t in root.iter(f"{SVG}text")]


def _values(net: Network) -> dict[sp.Symbol, str]:
    w = Writer(derive(net), "latex")
    return {s: v for s, v in w.plain.items() if len(net.samples) == 1 or s != net.error}


def _figure(markdown: str) -> tuple[str, ET.Element]:
    found = IMAGE.findall(markdown)
    assert len(found) == 1, "one figure, as a data: URI image"
    alt, data = found[0]
    return alt, ET.fromstring(base64.b64decode(data).decode("utf-8"))  # an XML parser accepts it


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_the_markdown_figure_is_svg_naming_every_neuron(example: Path) -> None:
    net = Network.load(example)
    alt, root = _figure(render(derive(net), "markdown", "en"))
    assert root.tag == f"{SVG}svg" and alt
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}title").text == alt  # type: ignore[union-attr]
    texts = _texts(root)
    names = [s.name for s in net.inputs] + [n for layer in net.layers for n in layer.neurons] + [net.error.name]
    for name in names:
        assert _normal(name) in texts, (name, texts)
    # the TikZ picture's weight labels, the same ones (with their values) in the SVG
    tikz = network_figure(net, values=_values(net)).tikz
    labels = sorted(_normal(t) for t in re.findall(r"node\[sbp wlabel[^]]*\] \{\$(.*?)\$\};?", tikz))
    svg_labels = sorted(t for t in texts if any(t == label for label in labels))
    assert svg_labels == labels


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_with_labels_every_parameter_is_named(example: Path) -> None:
    net = Network.load(example)
    values = _values(net) if net.is_numeric() else {}
    texts = _texts(ET.fromstring(network_svg(net, values=values, labels=True)))
    for p in net.params:
        name, value = _normal(p.name), _normal(values[p]) if p in values else ""
        # on its edge (w5=0.4), or a bias shared by a layer on its node, its value beside it
        assert name + value in texts or (name in texts and (not value or value in texts)), (p, texts)


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_the_svg_nodes_stand_where_the_tikz_nodes_stand(example: Path) -> None:
    """One layout, two emitters: the centres of the SVG's circles are the TikZ nodes' coordinates (cm, y up)
    scaled and moved by one translation."""
    net = Network.load(example)
    values = _values(net) if net.is_numeric() else {}
    tikz = network_figure(net, values=values).tikz
    at = {(float(x), float(y)) for x, y in re.findall(r"\\node\[sbp (?:input|neuron|bias)[^]]*\] \(\w+\) at "
                                                      r"\(([-\d.]+),([-\d.]+)\)", tikz)}
    root = ET.fromstring(network_svg(net, values=values))
    centres = {(float(c.get("cx", "")) / SVG_SCALE, -float(c.get("cy", "")) / SVG_SCALE)
               for c in root.iter(f"{SVG}circle")}
    assert len(centres) == len(at) == len(net.inputs) + sum(len(layer.neurons) for layer in net.layers) + sum(
        1 for layer in net.layers if any(b is not None for b in layer.biases))
    ox = min(x for x, _ in centres) - min(x for x, _ in at)
    oy = min(y for _, y in centres) - min(y for _, y in at)
    moved = sorted((round(x + ox, 2), round(y + oy, 2)) for x, y in at)
    assert moved == sorted((round(x, 2), round(y, 2)) for x, y in centres)


def test_scripts_are_tspans_and_text_is_escaped() -> None:
    root = ET.fromstring(f"<text>{svg_math('W^{(1)}_{11}', 16.0)}</text>")
    spans = root.findall("tspan")
    assert "".join(root.itertext()) == "W(1)11"
    assert [s.text for s in spans] == ["W", "(1)", "11"] and spans[0].get("font-style") == "italic"
    assert spans[1].get("font-size") == "70%" and float(spans[1].get("dy", "0")) < 0  # raised
    assert float(spans[2].get("dy", "0")) > 0  # and lowered
    # \mathit names read whole, a minus is a minus sign, and nothing unescaped reaches the XML
    for tex, text in ((r"\mathit{target}_{o1}=-0.4", "targeto1=\u22120.4"), (r"\text{a<b&c>}", "a<b&c>")):
        assert "".join(ET.fromstring("<t>" + svg_math(tex, 12.0) + "</t>").itertext()) == text


def test_a_highlight_is_drawn_in_the_svg() -> None:
    net = Network.load(SEED004)
    svg = network_svg(net, highlight=net.by_name("w1"))
    root = ET.fromstring(svg)
    hot = [e for e in root.iter() if e.get("stroke") == "#cc0000"]
    # w1's paths: i1 → h1 → o1, o2 → E (5 edges); the neurons they reach and the error box are red too
    assert [e.tag for e in hot].count(f"{SVG}line") == 5
    assert [e.tag for e in hot].count(f"{SVG}circle") == 3 and [e.tag for e in hot].count(f"{SVG}rect") == 1
    assert "#cc0000" not in network_svg(net)


def test_beside_a_file_the_figure_is_a_linked_svg(tmp_path: Path) -> None:
    d = derive(Network.load(SEED004))
    files = render_files(d, tmp_path / "deck 1.md", "markdown", "en")
    md, svg = files[tmp_path / "deck 1.md"], files[tmp_path / "deck 1.svg"]
    assert "![The network and its initial parameters](deck%201.svg)" in md.splitlines()
    assert "data:image" not in md
    assert svg == markdown_figure(d, "The network and its initial parameters")
    ET.fromstring(svg)
    assert figure_file(tmp_path / "a.svg") == tmp_path / "a.svg.svg"
    assert list(render_files(d, tmp_path / "s.tex", "beamer", "en")) == [tmp_path / "s.tex"]
    assert list(render_files(d, tmp_path / "n.md", "markdown", "en", figures=False)) == [tmp_path / "n.md"]


def test_no_figures_means_no_image() -> None:
    d = derive(Network.load(SEED004))
    assert "data:image" not in render(d, "markdown", "zh", figures=False)
    assert "## 网络结构" in render(d, "markdown", "zh")


def test_standard_output_carries_the_figure_as_a_data_uri(run_cli) -> None:
    out = run_cli("render", SEED004, "--format", "markdown", "--lang", "en", check=True).stdout
    _figure(out)
