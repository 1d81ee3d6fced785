"""Readings of session 54, from answers of tune51 (measure49, written blind) that were judged wrongly. Each right form
has a wrong twin that must stay rejected, or a wrong answer whose diagnosis must name its mistake; each failed on the
checker at the session's start (79a3b53). Numbers come from the corpus's own truth (tests/corpus/truth_values.py,
through `_n`: the spec read with tomllib, an mpmath forward pass and central differences); symbolic answers are derived
by hand in the docstring."""

from __future__ import annotations

from test_check import SEED000, SEED003, SEED004, check, right_and_twin, verdicts
from test_check_reading_n import SOFTMAX, _n


def _kind(spec, quantity: str, text: str, *before: tuple[str, str, str], step: int | None = None) -> str:
    """The verdict and first diagnosis of one wrong answer (after `before`, as one student's sheet)."""
    answer = ("x", quantity, text, *((step,) if step is not None else ()))
    r = check(spec, *before, answer)["x"]  # type: ignore[arg-type]
    return f"{r.verdict} {r.diagnosis[0].kind if r.diagnosis else '-'}"


def _right_and_rejected(spec, quantity: str, right: str, twin: str, *before: tuple[str, str, str]) -> None:
    """The right answer correct, its twin not: after a rule set aside in a letter of the sheet's (W^{(2)}_{jk}, s),
    a wrong line may read that letter otherwise than the sheet means it, so the twin is incorrect or unparseable."""
    got = verdicts(spec, *before, ("right", quantity, right))["right"]
    assert got == "correct", got
    assert verdicts(spec, *before, ("twin", quantity, twin))["twin"] in ("incorrect", "unparseable")


def test_a_screen_recordings_transcript_says_its_chain_in_words() -> None:
    """A Loom transcript: "Net o1 is w5 times out h1 plus w6 times out h2 plus b2, so 0.40 times 0.5933 plus …,
    that's 0.2373 plus 0.2686 plus 0.60, which gives 1.1059." — names in words, members after commas. Seed 004:
    net_o1 = w5 out_h1 + w6 out_h2 + b2; the twin says w7 and w8 (o2's weights) with their values."""
    sheet = ("[00:21] So I already have out h1 is 0.5933 and out h2 is 0.5969 from the first part.\n"
             "[00:30] Net o1 is {a} times out h1 plus {b} times out h2 plus b2, so {x} times 0.5933 plus {y} times "
             "0.5969 plus 0.60, which gives {v}.\n")
    right_and_twin(SEED004, "net_o1", sheet.format(a="w5", b="w6", x="0.40", y="0.45", v=_n(SEED004, "net_o1", 4)),
                   sheet.format(a="w7", b="w8", x="0.50", y="0.55", v="1.2249"))


def test_a_transcripts_derivative_and_negative_numbers_in_words() -> None:
    """"dE total by d out o2 is out o2 minus target o2, that's 0.7729 minus 0.99, so minus 0.2171.": a Leibniz
    quotient said with its names in words, a minus sign said where a member starts. Seed 004: ∂E/∂out_o2 =
    out_o2 − target_o2; the twin says target minus out."""
    sheet = "[01:38] Okay so backward. dE total by d out o2 is {f}, that's {n}, so {v}."
    right_and_twin(SEED004, "dE/do2", sheet.format(f="out o2 minus target o2", n="0.7729 minus 0.99",
                                                   v="minus " + _n(SEED004, "dE/do2", 4).lstrip("-")),
                   sheet.format(f="target o2 minus out o2", n="0.99 minus 0.7729", v="0.2171"))


def test_a_fence_marked_as_plain_text_is_a_hand_calculation() -> None:
    """A blog's ```text block of hand-worked lines (E_o1 = 0.5 * (0.01 − 0.751365070)^2 = 0.274811083, …) is read as
    the ``` block without a language is. Seed 004: E = 0.298371109; the twin drops the halves."""
    sheet = ("```text\nE_o1    = {h} * (0.01 - 0.751365070)^2 = {a}\nE_o2    = {h} * (0.99 - 0.772928465)^2 = {b}\n"
             "E_total = {v}\n```\n")
    right_and_twin(SEED004, "E", sheet.format(h="0.5", a="0.274811083", b="0.023560026", v=_n(SEED004, "E", 9)),
                   sheet.format(h="1", a="0.549622166", b="0.047120052", v="0.596742218"))


def test_a_layers_rule_in_index_letters_is_set_aside() -> None:
    r"""A SegmentFault article's "权重的梯度 $\dfrac{\partial E}{\partial W^{(2)}_{jk}} = \delta^{(2)}_j a^{(1)}_k$"
    before its chain for w_6: a rule for every weight of layer 2, not a claim about one. Seed 004: ∂E/∂w6 =
    δ_o1 out_h2 = 0.13849856 × 0.59688438; the twin multiplies by out_h1."""
    sheet = (r"权重的梯度 $\dfrac{{\partial E}}{{\partial W^{{(2)}}_{{jk}}}} = \delta^{{(2)}}_j\, a^{{(1)}}_k$："
             "\n\n$$\\frac{{\\partial E}}{{\\partial w_6}} = {n} = {v}$$\n")
    _right_and_rejected(SEED004, "dE/dw6",
                        sheet.format(n=r"0.13849856 \times 0.59688438", v=_n(SEED004, "dE/dw6", 8)),
                        sheet.format(n=r"0.13849856 \times 0.59326999", v="0.08216704"))


def test_a_new_weights_head_after_a_remark_worked_out() -> None:
    """A model answer's second step: "(recomputed: 0.7321 × 0.7421 × 0.2579 × 0.5933 = 0.0831, more exactly
    0.083125)" then "w5(new) = 0.358916 − 0.5 × 0.083125 = …": the bracket works out the gradient the update uses.
    Seed 004, step 1: w5 = 0.358916, ∂E/∂w5 = 0.083125; the twin adds the step."""
    sheet = ("(recomputed: 0.7321 × 0.7421 × 0.2579 × 0.5933 = 0.0831, more exactly 0.083125)\n"
             "w5(new) = 0.358916 {s} 0.5 × 0.083125 = {v}\n")
    right_and_twin(SEED004, "w5+", sheet.format(s="−", v=_n(SEED004, "w5+", 4, step=1)),
                   sheet.format(s="+", v="0.4005"), step=1)


def test_the_activation_of_a_net_inputs_number_states_the_output() -> None:
    r"""A transcript's "0.50 × 0.5933 + 0.55 × 0.5969 + 0.60 = 1.2249, sigmoid of 1.2249 is 0.7729": σ(1.2249) =
    0.7729 is out_o2's value, with no name before it. Seed 004: out_o2 = σ(net_o2), net_o2 = 1.2249; the twin takes
    σ of the sum without b2, σ(0.6249)."""
    right_and_twin(SEED004, "o2", rf"$\sigma(1.2249) = {_n(SEED004, 'o2', 4)}$", r"$\sigma(0.6249) = 0.6513$")


def test_a_delta_defined_then_said_to_be_another_derivative() -> None:
    r"""A tutorial: "We'll call the error signal $\delta_O = \frac{\partial E}{\partial net_O}$ … $$\delta_O =
    \frac{\partial E}{\partial out_O} = out_O - \text{target}$$": the second line is a claim about the δ just
    defined, wrong by the sigmoid's slope out_O(1 − out_O) (seed 003: δ_O = (out_O − target) out_O(1 − out_O)).
    The right form keeps the slope."""
    sheet = (r"We'll call the error signal $\delta_O = \frac{{\partial E}}{{\partial net_O}}$."
             "\n\n$$\\delta_O = {f}$$\n")
    right_and_twin(SEED003, "delta_O", sheet.format(f=r"(out_O - \text{target})\, out_O (1 - out_O)"),
                   sheet.format(f=r"\frac{\partial E}{\partial out_O} = out_O - \text{target}"))
    assert _kind(SEED003, "delta_O", sheet.format(f=r"\frac{\partial E}{\partial out_O} = out_O - \text{target}")) \
        == "incorrect missing_activation_derivative"


def test_a_layers_vector_in_a_rule_is_set_aside() -> None:
    r"""A worksheet's "softmax and cross-entropy combine to $\partial\ell/\partial s = \hat y - t$": s alone, where
    the sheet's s_1, s_2, s_3 are the logits, is the layer's vector (a rule), before the chain for w_6. Softmax
    batch: ∂J/∂w_6 = ½(δ_{y1}^{(1)} h_2^{(1)} + δ_{y1}^{(2)} h_2^{(2)}) with the corpus's numbers; the twin drops
    the ½."""
    first = ("a", "net_y2", r"$s_2 = " + _n(SOFTMAX, "net_y2", 4) + "$")
    sheet = (r"softmax and cross-entropy combine to $\partial\ell/\partial s = \hat y - t$, so"
             "\n$$\\frac{{\\partial J}}{{\\partial w_6}} = {h}\\left(-0.6492 \\times 0.1194 + 0.3048 "
             "\\times 0.1391\\right) = {v}$$\n")
    _right_and_rejected(SOFTMAX, "dE/dw6", sheet.format(h=r"\tfrac12", v=_n(SOFTMAX, "dE/dw6", 4)),
                        sheet.format(h="", v="-0.0351"), first)


def test_an_absolute_value_drops_the_gradients_sign() -> None:
    r"""A chat's "$w_1^{new} = w_1 - \eta \left|\dfrac{\partial Error}{\partial w_1}\right| = 0.2 - 0.008421$" and a
    model answer's "w7(new) = w7 − η · |∂E/∂w7|": the bars are read, and where the gradient is negative the update
    goes the wrong way — named as the update's sign. Seed 000 (η = 1): ∂Error/∂w1 = −0.008421, w1 = 0.2; seed 004
    (η = ½): ∂E/∂w7 = −0.0226, w7 = 0.50."""
    wrong = r"$w_1^{new} = w_1 - \eta \left|\dfrac{\partial Error}{\partial w_1}\right| = 0.2 - 0.008421 = 0.191579$"
    assert _kind(SEED000, "w1+", wrong) == "incorrect update_sign"
    right_and_twin(SEED004, "w7+", f"w7(new) = w7 − η · ∂E/∂w7 = 0.50 − 0.5 × (−0.0226) = {_n(SEED004, 'w7+', 4)}",
                   "w7(new) = w7 − η · |∂E/∂w7| = 0.50 − 0.5 × 0.0226 = 0.4887")
    assert _kind(SEED004, "w7+", "w7(new) = w7 − η · |∂E/∂w7| = 0.50 − 0.5 × 0.0226 = 0.4887") \
        == "incorrect update_sign"


def test_a_forward_value_from_before_the_update_is_stale() -> None:
    r"""A second iteration's "$\delta_{o_1} \times Out_{h_1} = 0.0594 \times 0.5622 = 0.0334$": 0.5622 is Out_{h1} of
    the first pass (0.562177), not of this one — a value copied from before the update, though only 0.25% away (the
    one wrong answer of measure50 the checker accepted at session 54's start, looked at). Seed 000, step 1."""
    sheet = r"$$\frac{{\partial Error}}{{\partial w_5}} = \delta_{{o_1}} \times Out_{{h_1}} = {d} \times {h} = {v}$$"
    d, new, old = _n(SEED000, "delta_o1", 4, step=1), _n(SEED000, "h1", 4, step=1), _n(SEED000, "h1", 4)
    assert old != new
    wrong = sheet.format(d=d, h=old, v=f"{float(d) * float(old):.4f}")
    right_and_twin(SEED000, "dE/dw5", sheet.format(d=d, h=new, v=_n(SEED000, "dE/dw5", 4, step=1)), wrong, step=1)
    assert _kind(SEED000, "dE/dw5", wrong, step=1) == "incorrect wrong_substituted_value"
