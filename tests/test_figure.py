"""The TikZ figure: which edges a highlight covers (checked against topology worked out by hand, and against an
independent rule on random architectures), what reaches TeX, and that every variant compiles with XeLaTeX in an
article and in a Beamer frame, within the 4:3 frame for the bundled examples."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import sympy as sp

from conftest import EXAMPLES, SEED000, SEED001, SEED004
from symbackprop import Network, derive
from symbackprop.numbers import Format, fmt
from symbackprop.render import Writer
from symbackprop.render.figure import (
    TIKZ_LIBRARIES,
    Figure,
    highlighted_edges,
    network_edges,
    network_figure,
)

needs_latexmk = pytest.mark.skipif(shutil.which("latexmk") is None or shutil.which("xelatex") is None,
                                   reason="latexmk/xelatex not on PATH: the TikZ output is not compiled")


def values(net: Network) -> dict[sp.Symbol, str]:
    """Every forward quantity of the first sample, rounded for display (what a template would pass)."""
    forward = derive(net).forward[0].values
    return {s: fmt(v, Format(digits=4)) for s, v in forward.items() if v is not None}


# --- inline architectures ------------------------------------------------------------------------

def dense(widths: list[int], n_in: int, biases: list[Any], out: str = "sigmoid", loss: str = "half_sse",
          names: str = "hgkmo", style: str = "net_out") -> Network:
    """A dense network with weights w1, w2, ... numbered by target, biases as given per layer, all 0.1."""
    layers, params, k, prev = [], {}, 0, n_in
    for li, size in enumerate(widths):
        rows = []
        for _ in range(size):
            rows.append([f"w{k + c + 1}" for c in range(prev)])
            k += prev
        last = li == len(widths) - 1
        layer: dict[str, Any] = {"name": "o" if last else names[li], "weights": rows,
                                 "activation": out if last else "tanh"}
        if biases[li] is not None:
            layer["bias"] = biases[li]
        layers.append(layer)
        prev = size
    for layer in layers:
        for row in layer["weights"]:
            params.update({w: 0.1 for w in row})
        b = layer.get("bias")
        params.update({n: 0.2 for n in ([b] if isinstance(b, str) else b or [])})
    n_out = widths[-1]
    targets = {f"o{j + 1}": round(1 / n_out, 3) for j in range(n_out)}
    return Network.from_dict({"inputs": {f"x{i + 1}": 0.5 for i in range(n_in)}, "targets": targets, "loss": loss,
                              "learning_rate": 0.1, "layers": layers, "params": params,
                              "notation": {"style": style}})


def per_neuron_softmax() -> Network:
    return dense([3, 3], 2, [["b1", "b2", "b3"], ["c1", "c2", "c3"]], out="softmax", loss="cce")


def shared_params() -> Network:
    """w1 on both input edges, w2 on both hidden → output edges, one bias b in both layers."""
    return Network.from_dict({
        "inputs": {"x1": 1}, "targets": {"y": 0.5}, "loss": "half_sse", "learning_rate": 0.1,
        "layers": [{"name": "h", "activation": "relu", "weights": [["w1"], ["w1"]], "bias": "b"},
                   {"name": "y", "neurons": ["y"], "activation": "identity", "weights": [["w2", "w2"]],
                    "bias": "b"}],
        "params": {"w1": 0.5, "w2": -0.3, "b": 0.1}})


def one_neuron_chain() -> Network:
    return Network.from_dict({
        "inputs": {"x": 1}, "targets": {"y": 0.5}, "loss": "half_sse", "learning_rate": 0.1,
        "layers": [{"name": "a", "neurons": ["a"], "activation": "sigmoid", "weights": [["w1"]], "bias": "b1"},
                   {"name": "y", "neurons": ["y"], "activation": "sigmoid", "weights": [["w2"]]}],
        "params": {"w1": 0.5, "w2": -0.3, "b1": 0.1}})


def deep() -> Network:
    """Four hidden layers (up to six neurons), biases on every other layer, softmax outputs."""
    return dense([4, 6, 5, 3, 2], 3, ["b1", None, "b3", None, "b5"], out="softmax", loss="cce")


def no_bias_z_a() -> Network:
    return dense([2, 2], 2, [None, None], style="z_a")


INLINE = {"per_neuron_softmax": per_neuron_softmax, "shared_params": shared_params,
          "one_neuron_chain": one_neuron_chain, "deep": deep, "no_bias_z_a": no_bias_z_a}


# --- highlight: by hand --------------------------------------------------------------------------

def edges_named(net: Network, *pairs: str) -> set[tuple[sp.Symbol, sp.Symbol]]:
    """"i1>h1" → (i1, h1): the edges of the drawing, named by hand."""
    return {(net.by_name(a), net.by_name(b)) for a, b in (pair.split(">") for pair in pairs)}


def test_seed004_w1_reaches_the_error_through_h1_only():
    # seed 004: w1 carries i1 into h1 (net_h1 = w1·i1 + w2·i2 + b1); h1 feeds o1 (w5) and o2 (w7);
    # h2's edges (w6, w8) and i2's edges are not on any path from w1.
    net = Network.load(SEED004)
    assert highlighted_edges(net, net.by_name("w1")) == edges_named(
        net, "i1>h1", "h1>o1", "h1>o2", "o1>E_total", "o2>E_total")


def test_seed004_output_weight_and_shared_biases():
    net = Network.load(SEED004)
    assert highlighted_edges(net, net.by_name("w5")) == edges_named(net, "h1>o1", "o1>E_total")
    assert highlighted_edges(net, net.by_name("w8")) == edges_named(net, "h2>o2", "o2>E_total")
    # b1 is shared by h1 and h2: both bias edges, then every hidden → output edge
    assert highlighted_edges(net, net.by_name("b1")) == edges_named(
        net, "b1>h1", "b1>h2", "h1>o1", "h1>o2", "h2>o1", "h2>o2", "o1>E_total", "o2>E_total")
    assert highlighted_edges(net, net.by_name("b2")) == edges_named(
        net, "b2>o1", "b2>o2", "o1>E_total", "o2>E_total")


def test_softmax_couples_every_output_to_the_error():
    net = per_neuron_softmax()
    # w7 carries h1 into o1; softmax makes o2 and o3 depend on net_o1 as well
    assert highlighted_edges(net, net.by_name("w7")) == edges_named(net, "h1>o1", "o1>E", "o2>E", "o3>E")
    assert highlighted_edges(net, net.by_name("c2")) == edges_named(net, "c2>o2", "o1>E", "o2>E", "o3>E")


def test_shared_parameters_light_every_edge_they_sit_on():
    net = shared_params()
    assert highlighted_edges(net, net.by_name("w1")) == edges_named(net, "x1>h1", "x1>h2", "h1>y", "h2>y", "y>E")
    assert highlighted_edges(net, net.by_name("w2")) == edges_named(net, "h1>y", "h2>y", "y>E")
    # one bias in both layers: its edges in both, and everything downstream of h1 and h2
    assert highlighted_edges(net, net.by_name("b")) == edges_named(net, "b>h1", "b>h2", "b>y", "h1>y", "h2>y", "y>E")


def test_only_paths_downstream_of_the_neuron():
    net = dense([2, 2, 1], 1, [None, None, None])  # x1 → h1,h2 (w1, w2) → g1,g2 (w3..w6) → o1 (w7, w8)
    assert highlighted_edges(net, net.by_name("w2")) == edges_named(
        net, "x1>h2", "h2>g1", "h2>g2", "g1>o1", "g2>o1", "o1>E")
    assert highlighted_edges(net, net.by_name("w5")) == edges_named(net, "h1>g2", "g2>o1", "o1>E")


def test_highlight_rejects_what_is_not_a_parameter():
    net = Network.load(SEED004)
    with pytest.raises(ValueError, match="not a parameter"):
        highlighted_edges(net, net.by_name("h1"))
    with pytest.raises(ValueError, match="not a parameter"):
        network_figure(net, highlight=net.by_name("i1"))


# --- highlight: an independent rule on random dense architectures ---------------------------------

def expected_by_layers(net: Network, p: sp.Symbol) -> set[tuple[sp.Symbol, sp.Symbol]]:
    """From the layer structure alone: each use of p at neuron n in layer l lights its own edge, every edge
    leaving n, every edge of the layers after l + 1, and the output edges (only n's, unless n is an output of
    a softmax layer, or n is hidden: then every output depends on it)."""
    layers = net.layers
    L = len(layers)
    out: set[tuple[sp.Symbol, sp.Symbol]] = set()
    for li, layer in enumerate(layers, start=1):
        for r, n in enumerate(layer.outs):
            uses = [(src, n) for c, src in enumerate(layer.inputs) if layer.weights[r][c] == p]
            if layer.biases[r] == p:
                uses.append((p, n))
            if not uses:
                continue
            out.update(uses)
            if li < L:
                nxt = layers[li]
                out.update((n, m) for m in nxt.outs)
                for later in layers[li + 1:]:
                    out.update((src, m) for m in later.outs for src in later.inputs)
                out.update((o, net.error) for o in net.outputs)
            elif layer.activation.elementwise:
                out.add((n, net.error))
            else:
                out.update((o, net.error) for o in net.outputs)
    return out


@pytest.mark.parametrize("seed", range(25))
def test_highlight_matches_the_layer_rule_on_random_networks(seed):
    rng = random.Random(seed)
    n_in = rng.randint(1, 3)
    widths = [rng.randint(1, 4) for _ in range(rng.randint(1, 4))]
    softmax = widths[-1] >= 2 and rng.random() < 0.4
    biases: list[Any] = []
    for li, size in enumerate(widths):
        mode = rng.choice(["none", "shared", "per", "global"])
        biases.append(None if mode == "none" else f"b{li + 1}" if mode == "shared" else "bg" if mode == "global"
                      else [f"b{li + 1}_{r + 1}" for r in range(size)])
    net = dense(widths, n_in, biases, out="softmax" if softmax else "sigmoid", loss="cce" if softmax else "mse")
    drawn = {e.key for e in network_edges(net)}
    for p in net.params:
        got = highlighted_edges(net, p)
        assert got == expected_by_layers(net, p), (seed, p)
        assert got <= drawn


# --- what reaches TeX ----------------------------------------------------------------------------

def drawn_lines(tikz: str) -> list[str]:
    return [line for line in tikz.splitlines() if line.startswith("\\draw[sbp edge")]


def test_the_drawing_uses_the_highlighted_edges():
    net = Network.load(SEED004)
    fig = network_figure(net, highlight=net.by_name("w1"))
    hot = [line for line in drawn_lines(fig.tikz) if "sbp hot" in line]
    faded = [line for line in drawn_lines(fig.tikz) if "sbp faded" in line]
    assert len(hot) == 5 and len(faded) == 8 + 4 - 3  # 12 weight and bias edges + 2 output edges, 5 of them hot
    for w in ("w_{1}", "w_{5}", "w_{7}"):
        assert any(w in line for line in hot), w
    for w in ("w_{2}", "w_{3}", "w_{4}", "w_{6}", "w_{8}"):
        assert any(w in line for line in faded), w


def test_labels_values_and_notation():
    net = Network.load(SEED004)
    plain = network_figure(net).tikz
    assert plain.startswith("\\begin{tikzpicture}") and plain.rstrip().endswith("\\end{tikzpicture}")
    for k in range(1, 9):
        assert f"{{$w_{{{k}}}$}}" in plain
    assert "$E_{total}$" in plain and "$h_{1}$" in plain and "$b_{1}$" in plain
    assert "\\mathit{target}_{o1}" in plain
    with_values = network_figure(net, values=values(net)).tikz
    assert "w_{5}\\!=\\!0.4" in with_values and "{$0.5933$}" in with_values and "{$0.7514$}" in with_values
    assert "\\mathit{target}_{o1}=0.01" in with_values
    # the equations' numbers (what the lecture passes): a negative factor's parentheses are dropped on a label
    seed000 = Network.load(SEED000)
    printed = network_figure(seed000, values=Writer(derive(seed000), "latex").numbers).tikz
    assert "{$w_{2}\\!=\\!-0.4$}" in printed and "\\left" not in printed
    seed001 = network_figure(Network.load(SEED001)).tikz
    assert "W^{(1)}_{11}" in seed001 and "W^{(2)}_{3}" in seed001
    assert "a^{(2)}_{1}" in network_figure(no_bias_z_a()).tikz
    assert "\\mathit{Error}" in network_figure(Network.load(SEED000)).tikz


def test_automatic_labels_only_for_small_networks():
    big = deep()
    tikz = network_figure(big).tikz
    assert "node[sbp wlabel" not in tikz
    assert "node[sbp wlabel" in network_figure(big, labels=True).tikz
    # the highlighted parameter keeps its label
    hl = network_figure(big, highlight=big.by_name("w3")).tikz
    assert re.findall(r"\{\$w_\{\d+\}\$\}", hl) == ["{$w_{3}$}"]
    assert "node[sbp wlabel" not in network_figure(Network.load(SEED004), labels=False).tikz
    # per-neuron biases are labelled on their edges, a shared bias on its node
    pn = network_figure(per_neuron_softmax()).tikz
    assert "{$b_{2}$}" in pn and "{$c_{3}$}" in pn and "softmax" in pn


def test_animation_steps_and_plain_output():
    net = Network.load(SEED004)
    plain = network_figure(net, values=values(net))
    assert plain.steps == 0 and "\\alt" not in plain.tikz and "<" not in plain.tikz
    fig = network_figure(net, values=values(net), animate=True)
    assert fig.steps == 2 * len(net.layers) + 3
    assert f"\\alt<{fig.steps}->" in fig.tikz and f"\\alt<{fig.steps + 1}->" not in fig.tikz
    # the inputs fill on the first step, the edges into the first layer turn red on the last
    assert "sbp fill 1" in fig.tikz and f"sbp hot {fig.steps}]" in fig.tikz


def test_only_notation_and_checked_values_reach_tex():
    net = Network.load(SEED004)
    for fig in (network_figure(net, values=values(net), animate=True),
                network_figure(net, highlight=net.by_name("b1"))):
        assert "#" not in fig.tikz and "实例" not in fig.tikz  # nothing from the spec's title
    for bad in ("0.5$", "\\def\\x{1}", "1}", "50%", "a\nb"):
        with pytest.raises(ValueError, match="not a LaTeX number"):
            network_figure(net, values={net.by_name("h1"): bad})


# --- compiling -----------------------------------------------------------------------------------

def latexmk(tmp_path: Path, name: str, source: str) -> Path:
    tex = tmp_path / f"{name}.tex"
    tex.write_text(source, encoding="utf-8")
    proc = subprocess.run(["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", tex.name],
                          cwd=tmp_path, capture_output=True, text=True, timeout=600)
    log = tmp_path / f"{name}.log"
    assert proc.returncode == 0, (log.read_text(errors="replace") if log.exists() else proc.stdout)[-4000:]
    pdf = tmp_path / f"{name}.pdf"
    assert pdf.exists() and pdf.stat().st_size > 0
    return log


def article_figures() -> list[Figure]:
    figs = []
    for path in EXAMPLES:
        net = Network.load(path)
        vals = values(net) if net.is_numeric() else None
        figs += [network_figure(net), network_figure(net, highlight=net.params[0], values=vals)]
        if vals:
            figs.append(network_figure(net, values=vals, labels=True))
    for make in INLINE.values():
        net = make()
        figs += [network_figure(net, values=values(net)), network_figure(net, highlight=net.params[-1])]
    return figs


@needs_latexmk
@pytest.mark.tex
def test_every_figure_compiles_in_an_article(tmp_path):
    body = "\n\n\\clearpage\n".join(f.tikz for f in article_figures())
    latexmk(tmp_path, "article", f"\\documentclass{{article}}\n\\usepackage{{tikz}}\n"
                                 f"\\usetikzlibrary{{{','.join(TIKZ_LIBRARIES)}}}\n"
                                 f"\\begin{{document}}\n{body}\n\\end{{document}}\n")


@needs_latexmk
@pytest.mark.tex
def test_beamer_frames_fit_and_animate(tmp_path):
    frames, expected_pages, sized = [], 0, []
    seeds = [p for p in EXAMPLES if p.stem.startswith("seed")]  # the seeds' networks fit unscaled; larger
    for k, path in enumerate(seeds):  # ones (softmax_batch: 3 outputs, 3 biases) are scaled by the template
        net = Network.load(path)
        fig = network_figure(net, values=values(net) if net.is_numeric() else None)
        sized.append(path.stem)
        frames.append(f"\\begin{{frame}}\n\\sbox\\fig{{{fig.tikz}}}\\typeout{{FIGSIZE {k} \\the\\wd\\fig\\space"
                      f"\\the\\ht\\fig\\space\\the\\dp\\fig}}\n\\centering\\usebox\\fig\n\\end{{frame}}")
        expected_pages += 1
    seed004 = Network.load(SEED004)
    for fig in (network_figure(seed004, values=values(seed004), animate=True),
                network_figure(seed004, animate=True, highlight=seed004.by_name("w1")),
                network_figure(one_neuron_chain(), animate=True, values=values(one_neuron_chain()))):
        # the template's wrapping; an ordinary (non-fragile) frame
        frames.append("\\begin{frame}\n\\centering\\adjustbox{max width=\\linewidth, max totalheight=0.7\\textheight}"
                      f"{{{fig.tikz}}}\n\\end{{frame}}")
        expected_pages += fig.steps
    log = latexmk(tmp_path, "slides", "\\documentclass{beamer}\n\\usepackage{tikz}\n\\usepackage{adjustbox}\n"
                                      f"\\usetikzlibrary{{{','.join(TIKZ_LIBRARIES)}}}\n\\newsavebox\\fig\n"
                                      "\\begin{document}\n" + "\n".join(frames) + "\n\\end{document}\n")
    text = log.read_text(errors="replace")
    pages = re.search(r"Output written on \S+ \((\d+) pages?", text)
    assert pages and int(pages.group(1)) == expected_pages
    sizes = re.findall(r"FIGSIZE (\d+) ([\d.]+)pt ([\d.]+)pt ([\d.]+)pt", text)
    assert len(sizes) == len(sized)
    cm = 2.54 / 72.27
    for k, w, h, d in sizes:  # a 4:3 frame leaves about 10.8 cm × 7 cm
        assert float(w) * cm <= 10.8 and (float(h) + float(d)) * cm <= 7.0, (sized[int(k)], w, h, d)


def _one_hidden(inputs: int, hidden: int, outputs: int, output_bias: bool) -> Network:
    layers: list[dict[str, Any]] = [
        {"name": "h", "activation": "sigmoid", "size": hidden, "bias": [f"b{r + 1}" for r in range(hidden)]},
        {"name": "o", "activation": "sigmoid", "size": outputs,
         **({"bias": [f"c{r + 1}" for r in range(outputs)]} if output_bias else {})}]
    return Network.from_dict({"layers": layers, "learning_rate": 0.5, "samples": [
        {"inputs": {f"x{i + 1}": 0.1 * (i + 1) for i in range(inputs)},
         "targets": {f"o{j + 1}": 0.5 for j in range(outputs)}}]})


@pytest.mark.parametrize(("inputs", "hidden", "outputs", "output_bias", "arrows"),
                         [(9, 9, 1, True, 100), (9, 9, 2, False, 108)])
def test_per_item_figures_up_to_the_arrow_limit(inputs: int, hidden: int, outputs: int, output_bias: bool,
                                                arrows: int) -> None:
    """Up to ITEM_FIGURE_EDGES weight and bias arrows every δ/gradient item has its highlighted figure; beyond,
    only the overview figure is drawn (a highlight in a thicket cannot be followed, and the document would
    grow by a whole network drawing per parameter)."""
    from symbackprop.render.lecture import ITEM_FIGURE_EDGES, lecture

    net = _one_hidden(inputs, hidden, outputs, output_bias)
    assert sum(1 for e in network_edges(net) if e.kind in ("weight", "bias")) == arrows  # counted by hand above
    lec = lecture(derive(net, max_paths=0), "beamer", full=True)  # every parameter's frames
    items = [item for part in lec.samples[0].gradients for item in part.items]
    assert len(items) == len(net.params)
    assert lec.figure.startswith("\\begin{tikzpicture}")
    if arrows <= ITEM_FIGURE_EDGES:
        assert all(item.figure is not None and item.figure.startswith("\\begin{tikzpicture}") for item in items)
    else:
        assert all(item.figure is None for item in items)
