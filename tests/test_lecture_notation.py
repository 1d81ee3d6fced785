"""The seeds' notations on the slides (issue 12, "lectures a teacher projects unchanged"), each checked against a
reason of its own rather than against the engine that printed it:

* seed 000: the frame on the per-weight δ (δ1 = (δ5 + δ6)·h1(1 − h1)·x1, δ5 = ∂Error/∂w5) prints the true ∂Error/∂w1
  (sympy.diff of the whole error, here) and the per-weight expression's value (computed here from sympy.diff of the
  error in w5 and w6), which is not the gradient; the answer checker, given the per-weight line as an answer for
  ∂E/∂w1, diagnoses exactly that slip;
* seed 002: the forward pass as row vector times matrix, oriented as the seed writes it (column r: the weights into
  neuron r), whose numbers multiply out to the forward pass computed here; no "· 1" of the identity anywhere;
* seed 003: σ'(net) = σ(net)(1 − σ(net)) is stated on the frame where the sigmoid's derivative is first used (and it
  is the derivative: sympy.diff);
* seed 001: the index formula of each layer is printed once, and each of its instances (letters replaced by the
  numbers) is judged the derivative by the answer checker, which computes its own truth;
* the layer notation W⁽ˡ⁾, a⁽ˡ⁾, δ⁽ˡ⁾ is defined on the first frame that uses it, and ≈ is explained on the first
  frame (exact and --rounded) or right after the first display (article) that prints it, once.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import mpmath
import pytest
import sympy as sp
from test_lecture_truth import DIGITS, Frame, case, close, frames, sentence, split_top, strings

from conftest import EXAMPLES, SEED000, SEED001, SEED002, SEED003, SEED004
from symbackprop import Network, derive
from symbackprop.check.answers import Answer
from symbackprop.check.judge import Judged
from symbackprop.check.parse import parse
from symbackprop.check.run import Checker
from symbackprop.render.document import render
from symbackprop.render.lecture import lecture

LANGS = ("zh", "en")


def deck(path: Any, lang: str, **options: Any) -> list[Frame]:
    return frames(render(derive(Network.load(path)), "beamer", lang, **options))


def judged_lines(net: Network, text: str) -> list[tuple[str, str, str]]:
    """Every member of the chains of `text`, judged against its own head (as tests/test_lecture_judged.py does)."""
    judge = Checker(net).judge(0)
    parsed = parse(text, **judge.parse_options)
    judged = Judged()
    for chain in parsed.chains:
        judge.chain(chain, dict(parsed.names), judge.truth.target("E"), judged, text)
    assert judged.lines
    return [(line.latex, line.verdict, line.message) for line in judged.lines]


# --- seed 000: the per-weight δ ----------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", [{}, {"full": True}, {"rounded": True}], ids=["compact", "full", "rounded"])
@pytest.mark.parametrize("lang", LANGS)
def test_seed000_shows_the_per_weight_delta_against_the_gradient(lang: str, mode: dict[str, Any]) -> None:
    _, _, model, _ = case("seed000_in_out")
    s = strings(lang)
    found = [f for f in deck(SEED000, lang, **mode) if f.title == tex_text(s["per_weight_title"])]
    assert len(found) == 1
    frame = found[0]
    (slip,), (truth,) = frame.blocks
    # the true gradient: sympy.diff of the whole error in w1
    assert partial_of(truth.lhs) == ("w_{1}",)
    assert truth.result is not None and close(truth.result, model.sample_gradient(0, "w1"))
    # the per-weight expression: (∂Error/∂w5 + ∂Error/∂w6) · h1(1 − h1) · x1, from sympy.diff of the error
    env = model.forward(0)
    h1, x1 = env[model.O[1][0]], env[model.O[0][0]]
    with mpmath.workdps(DIGITS):
        expected = (model.sample_gradient(0, "w5") + model.sample_gradient(0, "w6")) * mpmath.mpf(str(h1)) * (
            1 - mpmath.mpf(str(h1))) * mpmath.mpf(str(x1))
    assert slip.result is not None and close(slip.result, expected, 5 if mode.get("rounded") else 6)
    assert abs(float(expected) - 0.0146) < 5e-5 and abs(model.sample_gradient(0, "w1") + 0.00842) < 5e-6
    assert not close(slip.result, model.sample_gradient(0, "w1"), 1)  # not even the sign
    # its head names the gradients of the downstream weights w5 and w6, not the neurons' δ's
    assert slip.lhs.startswith(r"\left(\frac{\partial \mathit{Error}}{\partial w_{5}} + "
                               r"\frac{\partial \mathit{Error}}{\partial w_{6}}\right)")
    said = sentence(tex_text(s["per_weight_result"]), frame.body)
    assert said == {"slip": slip.result, "truth": truth.result, "weights": "w_{5}, w_{6}"}


def tex_text(template: str) -> str:
    """A language string as the TeX prose prints it (a few symbols set as math)."""
    return template.replace("δ", r"$\delta$").replace("≈", r"$\approx$")


def partial_of(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\\frac\{\\partial \\mathit\{Error\}\}\{\\partial (w_\{\d\})\}", text))


def test_the_checker_diagnoses_the_per_weight_line_as_that_slip() -> None:
    """The per-weight line of the frame, handed to the answer checker as a student's ∂E/∂w1, is the catalogue's
    per-weight δ; the true line of the same frame is correct."""
    net = Network.load(SEED000)
    lec = lecture(derive(net), "beamer")
    assert lec.per_weight is not None
    checker = Checker(net)

    def as_answer(lines: Any) -> str:
        out = ""
        for line in lines:
            out += (" " if out and not line.lhs else "") + f"{line.lhs} {line.rel} {line.text}"
        return out

    slip = checker.answer(Answer("slip", "dE/dw1", as_answer(lec.per_weight.slip.lines)))
    assert slip.verdict == "incorrect" and [d.kind for d in slip.diagnosis] == ["per_weight_delta"]
    truth = checker.answer(Answer("truth", "dE/dw1", as_answer(lec.per_weight.truth.lines)))
    assert truth.verdict == "correct", truth


@pytest.mark.parametrize("example", [p for p in EXAMPLES if p != SEED000], ids=lambda p: p.stem)
def test_only_the_in_out_notes_get_the_per_weight_frame(example: Any) -> None:
    """In/Out notation with two or more outputs (seed 000's notes name a δ per weight); no other bundled deck."""
    s = strings("en")
    assert not any(f.title == tex_text(s["per_weight_title"]) for f in deck(example, "en"))


# --- seed 002: the forward pass in matrix form, no "· 1" ----------------------------------------------------------

def matrix_equations(body: str) -> list[tuple[str, list[str]]]:
    """The aligned displays of a frame whose left sides are matrices (the '&' of a bmatrix is not the alignment
    point): (left side, the right sides in order)."""
    out = []
    for block in re.findall(r"\\begin\{aligned\}\n(.*?)\n\\end\{aligned\}", body, re.S):
        lhs, steps = "", []
        for line in block.split(" \\\\\n"):
            left, right = re.split(r"&(?==|\\approx)", line, maxsplit=1)
            lhs = lhs or left.strip()
            steps += split_top(right.removeprefix("=").removeprefix(r"\approx").strip(), " = ")
        out.append((lhs, steps))
    return out


def bmatrices(text: str) -> list[list[list[str]]]:
    return [[[x.strip() for x in row.split(" & ")] for row in m.split(r" \\ ")]
            for m in re.findall(r"\\begin\{bmatrix\}(.*?)\\end\{bmatrix\}", text)]


@pytest.mark.parametrize("lang", LANGS)
def test_seed002_forward_pass_in_matrix_form_as_the_seed_writes_it(lang: str) -> None:
    _, _, model, names = case("seed002_linear")
    s = strings(lang)
    found = [f for f in deck(SEED002, lang) if f.title == s["forward_matrix"]]
    assert len(found) == 1
    blocks = matrix_equations(found[0].body)
    assert len(blocks) == len(model.layers)
    env = model.forward(0)
    latex = {v: k for k, v in names.to_model.items()}
    for layer, (lhs, steps) in zip(model.layers, blocks, strict=True):
        li = layer["index"]
        (outs,) = bmatrices(lhs)
        assert outs == [[latex[o] for o in model.O[li]]]  # a row: [h1 h2], [out]
        row, matrix = bmatrices(steps[0])
        assert row == [[latex[a] for a in model.O[li - 1]]]
        # column r holds the weights into neuron r: [[w1 w3], [w2 w4]] for h1 = i1 w1 + i2 w2, h2 = i1 w3 + i2 w4
        assert matrix == [[latex[model.sym[w]] for w in column] for column in zip(*layer["weights"], strict=True)]
        numbers_row, numbers = bmatrices(steps[1])
        result = bmatrices(steps[-1])[0][0]
        for r, out in enumerate(model.O[li]):
            product = sum(float(numbers_row[0][c]) * float(numbers[c][r]) for c in range(len(numbers_row[0])))
            assert close(result[r], env[out]) and abs(product - float(env[out])) < 1e-9
    # the seed's numbers: [2 3] [[0.11 0.12] [0.21 0.08]] = [0.85 0.48]
    assert bmatrices(blocks[0][1][1]) == [[["2", "3"]], [["0.11", "0.12"], ["0.21", "0.08"]]]


@pytest.mark.parametrize("mode", [{}, {"full": True}, {"rounded": True}], ids=["compact", "full", "rounded"])
@pytest.mark.parametrize("lang", LANGS)
def test_no_factor_one_for_the_identity(lang: str, mode: dict[str, Any]) -> None:
    """The identity's derivative 1 is stated once, as a factor of the chain rule (∂out/∂In = 1), and never
    multiplies anything."""
    tex = render(derive(Network.load(SEED002)), "beamer", lang, **mode)
    one = r"(?<![\d.])1(?![\d.])"
    assert not re.search(rf"\\cdot {one}|{one} \\cdot", tex)


# --- seed 003: σ' where it is first used --------------------------------------------------------------------------

SIGMOID_IDENTITY = re.compile(r"\\sigma'\\left\((.+?)\\right\) = \\sigma\\left\(\1\\right\) \\cdot "
                              r"\\left\(1 - \\sigma\\left\(\1\\right\)\\right\)")


def test_the_sigmoid_identity_is_the_derivative() -> None:
    x = sp.Symbol("x")
    sigma = 1 / (1 + sp.exp(-x))
    assert sp.simplify(sp.diff(sigma, x) - sigma * (1 - sigma)) == 0


def first_use(frames_: list[Frame]) -> Frame:
    """The first frame that uses the sigmoid's derivative: a factor out(1 − out) (o(1 − o), h(1 − h))."""
    return next(f for f in frames_ if re.search(r"\\cdot \\left\(1 - ", f.body) or SIGMOID_IDENTITY.search(f.body))


@pytest.mark.parametrize("mode", [{}, {"full": True}], ids=["compact", "full"])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("example", [SEED003, SEED000, SEED004],
                         ids=lambda p: p.stem)
def test_sigmoid_derivative_is_stated_where_first_used(example: Any, lang: str, mode: dict[str, Any]) -> None:
    frame = first_use(deck(example, lang, **mode))
    m = SIGMOID_IDENTITY.search(frame.body)
    assert m, frame.title
    # then equal to the neuron's out(1 − out): ∂out_O/∂net_O = σ'(net_O) = σ(net_O)(1 − σ(net_O)) = out_O(1 − out_O)
    assert re.search(re.escape(m.group(0)) + r" (\\\\\n &)?= \S+ \\cdot \\left\(1 - ", frame.body)


def test_without_a_sigmoid_output_the_first_delta_frame_states_it() -> None:
    """Identity outputs, sigmoid hidden layer: the chain rule frame has no σ', so the hidden δ frame states it."""
    data = {"title": "x", "learning_rate": 0.5, "inputs": {"x1": 0.3, "x2": -0.2}, "targets": {"y": 0.4},
            "layers": [{"name": "h", "activation": "sigmoid", "size": 2},
                       {"name": "y", "neurons": ["y"], "activation": "identity", "size": 1}],
            "params": {"w1": 0.1, "w2": -0.2, "w3": 0.3, "w4": 0.5, "w5": -0.4, "w6": 0.2}}
    net = Network.from_dict(data)
    frames_ = frames(render(derive(net), "beamer", "en"))
    frame = first_use(frames_)
    assert frame.title.startswith("Error term") and "hidden layer" in frame.title
    assert SIGMOID_IDENTITY.search(frame.body)
    lec = lecture(derive(net), "beamer")
    intro = next(layer.intro for layer in lec.samples[0].deltas if layer.intro is not None)
    text = " ".join(f"{line.lhs} {line.rel} {line.text}" for line in intro.lines)
    assert all(v in ("correct", "rounding") for _, v, _ in judged_lines(net, text))


# --- seed 001: one index formula per layer ------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_seed001_gives_the_index_formula_once(lang: str) -> None:
    s = strings(lang)
    tex = render(derive(Network.load(SEED001)), "beamer", lang)
    frames_ = frames(tex)
    found = [f for f in frames_ if f.title == s["index_title"]]
    assert len(found) == 1
    # the seed's results: ΔW²ⱼ = α(d − y)hⱼ, ΔW¹ᵢⱼ = α(d − y)W²ⱼΦ′ⱼxᵢ
    (output,), (hidden,) = ([eq for eq in block if eq.lhs.startswith(r"\Delta")] for block in found[0].blocks)
    assert output.lhs == r"\Delta W^{(2)}_{j}" and hidden.lhs == r"\Delta W^{(1)}_{ij}"
    assert output.steps[-1][1] == r"\alpha \cdot \left(d - y\right) \cdot h_{j}"
    assert hidden.steps[-1][1] == (r"\alpha \cdot \left(d - y\right) \cdot W^{(2)}_{j} \cdot "
                                   r"\Phi'\left(\mathit{In}_{h_{j}}\right) \cdot x_{i}")
    # once: the closed form Φ'(In_h1) is not repeated down the table of every gradient
    table = next(f for f in frames_ if f.title == s["gradient_table_symbolic"])
    assert r"\Phi'" not in table.body


def instances(text: str, values: dict[str, int]) -> str:
    """The formula with its index letters (subscripts only) replaced by their numbers."""
    return re.sub(r"_\{([a-z]+)\}", lambda m: "_{" + "".join(str(values.get(c, c)) for c in m.group(1)) + "}", text)


def chain_texts(lines: Any) -> list[str]:
    """The chains of a display as one line each: a line with a left side starts one, a continuation joins it."""
    out: list[str] = []
    for line in lines:
        if line.lhs or not out:
            out.append(f"{line.lhs} {line.rel} {line.text}")
        else:
            out[-1] += f" {line.rel} {line.text}"
    return out


def test_every_instance_of_the_index_formula_is_the_derivative() -> None:
    """Every instance of the printed index formulas, handed to the answer checker as a student's answer for that
    weight's gradient and update step (the checker computes its own sympy.diff of the error, Φ left abstract):
    every line of ∂E/∂W¹₂₃ = (y − d)·W²₃·Φ'(In_h3)·x₂ and ΔW¹₂₃ = −α ∂E/∂W¹₂₃ = α(d − y)·… is correct; all nine
    plus three instances are there, and only they."""
    net = Network.load(SEED001)
    lec = lecture(derive(net), "beamer")
    assert [f.layer for f in lec.index_forms] == [1, 2]
    judged = 0
    for form in lec.index_forms:
        letters = dict(form.letters)
        combos = [dict(zip(letters, k, strict=True)) for k in
                  itertools.product(*[range(1, n + 1) for n in letters.values()])]
        assert sorted(tuple(sorted(v.items())) for _, v in form.params) == sorted(tuple(sorted(c.items()))
                                                                                   for c in combos)
        chains = chain_texts(form.display.lines)
        assert len(chains) == 2  # ∂E/∂W and ΔW
        for values in combos:
            name = next(n for n, v in form.params if v == values)
            checker = Checker(net)  # each instance on its own (a student's names carry over between answers)
            for quantity, text in zip((f"dE/d{name}", f"{name}+"), chains, strict=True):
                result = checker.answer(Answer(name, quantity, instances(text, values)))
                verdicts = [line.verdict for line in result.lines]
                assert verdicts and set(verdicts) == {"correct"}, (text, result)
                judged += len(verdicts)
    assert judged >= 12 * 3


def test_the_index_letters_stand_for_the_spec_names() -> None:
    """Each instance's head is the weight the spec names with those indices (W1_ij joins input i to neuron j)."""
    net = Network.load(SEED001)
    lec = lecture(derive(net), "beamer")
    for form in lec.index_forms:
        head = form.display.lines[0].lhs
        for name, values in form.params:
            spec = re.fullmatch(r"W(\d)_(\d+)", name)
            assert spec and int(spec.group(1)) == form.layer
            written = instances(head, values)
            assert written == rf"\frac{{\partial E}}{{\partial W^{{({form.layer})}}_{{{spec.group(2)}}}}}"


@pytest.mark.parametrize("example", [p for p in EXAMPLES if p != SEED001], ids=lambda p: p.stem)
def test_no_index_formula_without_indexed_names(example: Any) -> None:
    assert lecture(derive(Network.load(example)), "beamer").index_forms == ()


# --- the layer notation and ≈, where they first appear ------------------------------------------------------------

LAYER_SYMBOLS = (r"\boldsymbol{\delta}^{(", r"\mathbf{a}^{(", r"\partial W^{(")
NUMERIC = [p for p in EXAMPLES if "symbolic" not in p.stem and "abstract" not in p.stem]


@pytest.mark.parametrize("full", [False, True], ids=["compact", "full"])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("example", NUMERIC, ids=lambda p: p.stem)
def test_layer_notation_is_defined_on_its_first_frame(example: Any, lang: str, full: bool) -> None:
    s = strings(lang)
    frames_ = deck(example, lang, full=full)
    symbols = lecture(derive(Network.load(example)), "beamer").layer_notation
    using = [k for k, f in enumerate(frames_) if any(x in f.body for x in LAYER_SYMBOLS)]
    if not using:  # seed 002: its matrices written out entry by entry, oriented as its forward pass, said so once
        text = re.sub(r"\{(\w+)\}", lambda m: f"${symbols[m.group(1)]}$", s["layer_notation_rows"])
        matrix_frames = [k for k, f in enumerate(frames_) if f.title.startswith(s["matrix_form"])]
        assert [k for k, f in enumerate(frames_) if text in f.body] == matrix_frames[:1]
        return
    first = using[0]
    # the sentence names exactly the symbols the frames use: W^{(l)}, a^{(l)} (a^{(0)} the inputs), δ^{(l)}
    assert (symbols["W"], symbols["a"], symbols["a0"], symbols["d"]) == (
        "W^{(l)}", r"\mathbf{a}^{(l)}", r"\mathbf{a}^{(0)}", r"\boldsymbol{\delta}^{(l)}")
    text = re.sub(r"\{(\w+)\}", lambda m: f"${symbols[m.group(1)]}$", s["layer_notation"])
    defined = [k for k, f in enumerate(frames_) if text in f.body]
    assert defined == [first]


def approx_frames(frames_: list[Frame], note: str) -> tuple[list[int], list[int]]:
    """The frames whose displays print ≈, and the frames that explain it."""
    escaped = note.replace("≈", r"$\approx$")
    printing = [k for k, f in enumerate(frames_) if any(r"\approx" in step[0] or r"\approx" in step[1]
                                                        for block in f.blocks for eq in block for step in eq.steps)]
    told = [k for k, f in enumerate(frames_) if escaped in f.body]
    return printing, told


@pytest.mark.parametrize("rounded", [False, True], ids=["exact", "rounded"])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("example", NUMERIC, ids=lambda p: p.stem)
def test_approx_is_explained_where_it_first_appears(example: Any, lang: str, rounded: bool) -> None:
    s = strings(lang)
    note = s["approx_rounded" if rounded else "approx_exact"]
    printing, told = approx_frames(deck(example, lang, rounded=rounded), note)
    assert told == printing[:1]  # on the first frame that prints ≈, once; nowhere in a deck without ≈ (seed 002)
    assert printing or example == SEED002
    other = s["approx_exact" if rounded else "approx_rounded"].replace("≈", r"$\approx$")
    assert other not in render(derive(Network.load(example)), "beamer", lang, rounded=rounded)


@pytest.mark.parametrize("lang", LANGS)
def test_the_article_explains_approx_after_its_first_display(lang: str) -> None:
    s = strings(lang)
    tex = render(derive(Network.load(SEED000)), "article", lang)
    note = s["approx_exact"].replace("≈", r"$\approx$")
    assert tex.count(note) == 1
    displays = [m for m in re.finditer(r"\\begin\{(aligned|align\*)\}\n(.*?)\n\\end\{\1\}", tex, re.S)]
    first = next(m for m in displays if r"\approx" in m.group(2))
    after = next((m for m in displays if m.start() > first.end()), None)
    position = tex.index(note)
    assert first.end() < position and (after is None or position < after.start())

