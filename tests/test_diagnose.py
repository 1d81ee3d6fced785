"""The diagnosis catalogue on slips built by hand: each wrong line below is the true derivative with one slip put in
(said in its comment), and the checker must name that slip. The truths are the seeds' own formulas."""

from __future__ import annotations

from test_check import EX, SEED004, check

SEED001 = EX / "seed001_abstract_phi.toml"
SEED002 = EX / "seed002_linear.toml"
SOFTMAX = EX / "softmax_batch.toml"


def kind(spec, quantity: str, latex: str, step: int = 0) -> str:
    r = check(spec, ("a", quantity, latex, step))["a"]
    assert r.verdict == "incorrect", (r.verdict, r.message)
    return r.diagnosis[0].kind


def test_a_sigmoid_derivative_in_one_linear_layer() -> None:
    """seed 002 is linear: ∂E/∂w2 = (out − y)·w5·i2; h1(1 − h1) put in for the hidden unit's derivative (1)."""
    assert kind(SEED002, "dE/dw2", r"\frac{\partial E}{\partial w_2} = (out - y)\, w_5\, h_1 (1 - h_1)\, i_2") \
        == "wrong_activation_derivative"


def test_the_activation_for_its_derivative_in_the_hidden_layer_only() -> None:
    """seed 001: ∂E/∂W^1_{13} = (y − d)·W^2_3·Φ′(In_h3)·x1; Φ(In_h3) written for Φ′ (the output is linear)."""
    assert kind(SEED001, "dE/dW1_13", r"\frac{\partial E}{\partial W^{(1)}_{13}} = (y - d)\, W^{(2)}_3\, "
                                      r"\Phi(In_{h_3})\, x_1") == "activation_for_derivative"


def test_a_step_without_the_learning_rate() -> None:
    """Δw5 = −η·∂E/∂w5 = −0.0410835 (η = 0.5); written as −∂E/∂w5 = −0.082167041, then carried into w5⁺."""
    assert kind(SEED004, "w5+", r"\Delta w_5 = -\frac{\partial E}{\partial w_5} = -0.082167041, \qquad "
                                r"w_5^{+} = 0.4 - 0.082167041 = 0.317832959") == "missing_learning_rate"


def test_one_logit_of_three_kept() -> None:
    """h1 feeds the three logits of sample 1: ∂L/∂h1 = w5·δ_1 + w7·δ_2 + w9·δ_3; only the first term kept."""
    assert kind(SOFTMAX, "dE/dh1", r"h_1.\text{grad} = w_5.\text{data} \cdot z_1.\text{grad} = 0.5 \times "
                                   r"(-0.64918105) = -0.32459053") == "missing_path"


def test_a_value_left_blank_is_an_incomplete_answer() -> None:
    """`= ?` or `= \\cdots` at the end of a chain rule: the blank is dropped and the answer names no value; a `?`
    inside a formula is still a construct we cannot read."""
    rule = (r"\frac{\partial Error}{\partial w_3} = \frac{\partial Error}{\partial Out_{h1}} \cdot "
            r"\frac{\partial Out_{h1}}{\partial In_{h1}} \cdot \frac{\partial In_{h1}}{\partial w_3} = ")
    SEED000 = EX / "seed000_in_out.toml"
    assert kind(SEED000, "dE/dw3", rule + "?") == kind(SEED000, "dE/dw3", rule + r"\cdots") == "incomplete"
    assert check(SEED000, ("a", "dE/dw3", r"\frac{\partial Error}{\partial w_3} = ? + 1"))["a"].verdict == "unparseable"
