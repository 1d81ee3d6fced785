r"""Hagan's (Neural Network Design) \dot{f}^m(n^m): the derivative of layer m's transfer function, read as f′ of that
layer. A generic rule line (\dot{f}^2(n) = a(1 − a): the argument a bare letter) is a statement about the function,
never a value of the asked quantity; a chain cut by a bracketed remark whose prose goes on is two statements, so a
name is never defined by the value of the statement after it. Each right form has a wrong twin that stays rejected.
The numbers come from the corpus's own truth (tests/corpus/truth_values.py: the spec read with tomllib, forward pass
and central differences in mpmath), never from the checker."""

from __future__ import annotations

import dataclasses

import mpmath as mp
import sympy as sp
from test_check import SEED002, SEED004, check, verdicts

from corpus.load import ROOT, load_file
from corpus.truth_values import numeric_value
from symbackprop import Network
from symbackprop.check.answers import parse_answers
from symbackprop.check.parse import RawName, parse
from symbackprop.check.run import check_answers

HAGAN_SHEET = ROOT / "tune13" / "hagan_nnd_zh_seed002.toml"


def value(spec, quantity: str, digits: int = 10) -> str:
    return mp.nstr(numeric_value(spec.name, quantity), digits, strip_zeros=False)


def sigmoid_slope(spec, neuron: str) -> str:
    """σ′(net) = σ(1 − σ) of a sigmoid neuron, from its output in the corpus's truth."""
    out = numeric_value(spec.name, neuron)
    return mp.nstr(out * (1 - out), 10, strip_zeros=False)


def line_verdicts(spec, answer) -> dict[str, str]:
    (result,) = check(spec, answer).values()
    return {line.latex: line.verdict.value for line in result.lines}


# ---- the reader


def test_the_dot_of_a_transfer_function_is_its_derivative_of_the_layer_written_above() -> None:
    """\\dot{f}^2(n^2): n^2 in the argument of layer 2's function is layer 2's net input, not n squared."""
    (chain,) = parse(r"\dot{f}^2(n^2) = 1").chains
    (app,) = chain.elements[0].expr.atoms(sp.Function)
    assert app.func.__name__ == "f'^2"
    (symbol,) = app.args
    assert parse(r"\dot{f}^2(n^2)").names[symbol] == RawName("n", sup="2")


def test_a_dot_on_anything_but_a_transfer_function_stays_unsupported() -> None:
    """Hagan's \\dot{\\mathbf{F}}^m is a matrix (the derivatives on its diagonal): not read as a function."""
    parsed = parse(r"s = \dot{\mathbf{F}}^1(n^1) w = 0.1 \\ x = 1", partial=True)
    assert [c.text for c in parsed.chains] == ["x = 1"]
    assert r"\dot" in str(parsed.skipped[0].error)


def test_a_remark_whose_prose_goes_on_separates_the_two_statements() -> None:
    r"""F = ½(t − a)² \text{（…），导数 } ḟ(n) = 1: the 1 belongs to the second statement, not to F's chain."""
    text = (r"F = \frac{1}{2}(t - a)^2 \text{（书中为 } F = e^2\text{），purelin 的导数 } f'(n) = 1")
    chains = parse(text).chains
    assert [len(c.elements) for c in chains] == [2, 2]
    assert chains[0].text == r"F = \frac{1}{2}(t - a)^2"
    # a remark inside a statement (its prose says nothing more) is still set aside, the chain kept whole
    (kept,) = parse(r"E = \frac{1}{2}(t - o)^2 \text{（即 } o = w h\text{）} = 0.3").chains
    assert len(kept.elements) == 3


# ---- Hagan's forms, judged


def test_hagan_fdot_of_layer_two_at_a_neurons_net_input() -> None:
    """\\dot{f}^2(n^2_1) on the sigmoid network: σ′(net_o1); the twins miss the factor (t − a) or give ḟ the value
    of a instead of a(1 − a)."""
    define = r"n^2_1 = w_5 out_{h1} + w_6 out_{h2} + b_2 \\ "
    slope, o1, d = sigmoid_slope(SEED004, "o1"), value(SEED004, "o1"), value(SEED004, "delta_o1")
    t = "0.01"  # the spec's target of o1
    right = define + rf"-\dot{{f}}^2(n^2_1)(target_{{o1}} - out_{{o1}}) = -{slope} \times ({t} - {o1}) = {d}"
    assert verdicts(SEED004, ("right", "delta_o1", right),
                    ("missing-factor", "delta_o1", define + rf"-\dot{{f}}^2(n^2_1) = {d}"),
                    ("fdot-value", "delta_o1", define + rf"\dot{{f}}^2(n^2_1) = {o1} \\ "
                                                        rf"-(target_{{o1}} - out_{{o1}}) \times {o1} = {d}"),
                    ) == {"right": "correct", "missing-factor": "incorrect", "fdot-value": "incorrect"}
    assert line_verdicts(SEED004, ("right", "delta_o1", right))[r"-\dot{f}^2(n^2_1)(target_{o1} - out_{o1})"] \
        == "correct"
    # the value of ḟ itself, on a line of its own: σ′(net_o1), not σ(net_o1)
    assert line_verdicts(SEED004, ("fdot", "delta_o1", define + rf"\dot f^2(n^2_1) = {slope} \\ {d}"))[slope] \
        == "correct"
    assert line_verdicts(SEED004, ("fdot-twin", "delta_o1", define + rf"\dot f^2(n^2_1) = {o1} \\ {d}"))[o1] \
        == "incorrect"


def test_hagan_fdot_of_layer_one_in_the_hidden_sensitivity() -> None:
    """s^1_1 = \\dot{f}^1(n^1_1)(w_5 s^2_1 + w_7 s^2_2); the twin drops the second output's path; \\dot{f}^2 at a
    net input of layer 1 is no quantity of the network (never read as right)."""
    define = r"n^1_1 = w_1 i_1 + w_2 i_2 + b_1 \\ "
    d = value(SEED004, "delta_h1", 8)
    o1_path = value(SEED004, "delta_o1") + r" \times 0.40"  # w5 = 0.40
    only_o1 = mp.nstr(numeric_value(SEED004.name, "delta_o1") * mp.mpf("0.40")
                      * mp.mpf(sigmoid_slope(SEED004, "h1")), 8, strip_zeros=False)
    right = define + rf"\dot{{f}}^1(n^1_1)(w_5 \delta_{{o1}} + w_7 \delta_{{o2}}) = {d}"
    assert verdicts(SEED004, ("right", "delta_h1", right),
                    ("one-path", "delta_h1", define + rf"\dot{{f}}^1(n^1_1) w_5 \delta_{{o1}} = "
                                                      rf"{sigmoid_slope(SEED004, 'h1')} \times {o1_path} = {only_o1}"),
                    ) == {"right": "correct", "one-path": "incorrect"}
    lines = line_verdicts(SEED004, ("layer", "delta_h1",
                                    define + rf"\dot{{f}}^2(n^1_1)(w_5 \delta_{{o1}} + w_7 \delta_{{o2}}) = {d}"))
    assert lines[r"\dot{f}^2(n^1_1)(w_5 \delta_{o1} + w_7 \delta_{o2})"] == "unchecked"


def test_a_generic_rule_line_is_never_a_value_of_the_asked_quantity() -> None:
    """\\dot f^1(n) = 1, \\dot{f}^2(n) = a(1 − a): a statement about the function (for any n), left unchecked; the
    answer is judged by its other lines, and a rule alone is no answer."""
    d = value(SEED002, "delta_out", 3)
    wrong = mp.nstr(numeric_value(SEED002.name, "delta_out") * numeric_value(SEED002.name, "out"), 6)
    out = value(SEED002, "out", 3)
    assert verdicts(SEED002, ("rule", "delta_out", rf"\dot f^1(n) = 1 \\ \delta_{{out}} = -(y - out) = {d}"),
                    ("rule-twin", "delta_out",
                     rf"\dot f^1(n) = 1 \\ \delta_{{out}} = -(y - out) \cdot {out} = {wrong}"),
                    ("sigmoid-rule", "delta_out",
                     rf"\dot{{f}}^2(n) = a(1 - a) \\ \delta_{{out}} = -(y - out) = {d}"),
                    ("rule-alone", "delta_out", r"\dot f^1(n) = 1"),
                    ("rule-value", "delta_out", rf"\dot f^2(n) = {d}"),
                    ) == {"rule": "correct", "rule-twin": "incorrect", "sigmoid-rule": "correct",
                          "rule-alone": "unparseable", "rule-value": "unparseable"}
    lines = line_verdicts(SEED002, ("rule", "delta_out", rf"\dot f^1(n) = 1 \\ \delta_{{out}} = -(y - out) = {d}"))
    assert lines[r"\dot f^1(n) = 1"] == "unchecked"


def test_a_chain_split_by_a_remark_does_not_define_its_name_by_the_next_statements_value() -> None:
    """F = ½(t − a^2)² \\text{（…），purelin 的导数 } \\dot{f}^2(n) = 1: F is the error (not the target, whose value
    is 1), so ∂F/∂out is the error's gradient; the twin flips its sign."""
    head = (r"F = \frac{1}{2}(y - out)^2 \text{（书中为 } F = e^2\text{），purelin 的导数 } \dot{f}^2(n) = 1"
            r"\text{，所以} \\ ")
    g = value(SEED002, "dE/dout", 3)
    flipped = mp.nstr(-numeric_value(SEED002.name, "dE/dout"), 3)
    assert verdicts(SEED002, ("right", "dE/dout", head + rf"\frac{{\partial F}}{{\partial out}} = -(y - out) = {g}"),
                    ("twin", "dE/dout", head + rf"\frac{{\partial F}}{{\partial out}} = (y - out) = {flipped}"),
                    ) == {"right": "correct", "twin": "incorrect"}


def _hagan_sheet(latex: str | None = None) -> dict[str, str]:
    """The corpus's Hagan sheet (seed002, Chinese prose), its case h2-s2 replaced by latex when given."""
    sheet = load_file(HAGAN_SHEET)
    if latex is not None:
        sheet = dataclasses.replace(sheet, cases=tuple(dataclasses.replace(c, latex=latex) if c.id == "h2-s2" else c
                                                       for c in sheet.cases))
    res = check_answers(Network.load(sheet.spec_path), parse_answers(sheet.as_answers(), sheet.name), limit=600)
    return {c.id: r.verdict for c, r in zip(sheet.cases, res.answers, strict=True)}


def test_hagans_sensitivity_of_the_output_layer_on_the_corpus_sheet() -> None:
    """s^2 = −\\dot{f}^2(n^2)(t − a^2) = −1 × (1 − 0.191): right (purelin's derivative is 1); the twin takes the
    logsig rule a(1 − a) for purelin's derivative."""
    assert _hagan_sheet()["h2-s2"] == "correct"
    (case,) = [c for c in load_file(HAGAN_SHEET).cases if c.id == "h2-s2"]
    out = numeric_value(SEED002.name, "out")
    twin_value = mp.nstr(-out * (1 - out) * (1 - out), 6)  # −a(1 − a)(t − a), t = 1
    twin = case.latex.replace(r"= -1 \times (1 - 0.191) = -0.809",
                              rf"= -0.191 \times (1 - 0.191) \times (1 - 0.191) = {twin_value}")
    assert twin != case.latex
    # s^2 is no name of this sheet's network (its forward pass, h1-a2, is not read): with no line of the twin
    # matching, the chain is left unread, and the answer is not accepted
    assert _hagan_sheet(twin)["h2-s2"] in ("incorrect", "unparseable")
