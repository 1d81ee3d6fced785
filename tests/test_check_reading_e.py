"""Readings of session 30, from right answers of the tune parts that were unparseable: a loss or a network
function written with its arguments (Bishop's y(x^n; w), Alpaydın's E^t(W, v | X), SLP's L_CE(ŷ^{(1)}, y^{(1)}))
and Ng's 1/m before a sum over the m samples. Each right form has a wrong twin that must stay rejected. The numbers
come from the corpus's own truth (tests/corpus/truth_values.py: the spec read with tomllib, forward pass and
central differences in mpmath), never from the checker."""

from __future__ import annotations

import mpmath as mp
from test_check import EX, SEED004, check, verdicts

from corpus.truth_values import numeric_value

SOFTMAX = EX / "softmax_batch.toml"


def value(spec, quantity: str, digits: int = 8) -> str:
    return mp.nstr(numeric_value(spec.name, quantity), digits, strip_zeros=False)


def test_a_loss_with_its_arguments_after_a_semicolon_or_a_bar_is_the_loss() -> None:
    halves = r"\frac12 (t_{o1} - out_{o1})^2 + \frac12 (t_{o2} - out_{o2})^2"
    e = value(SEED004, "E")
    assert verdicts(SEED004,
                    ("bishop", "E", rf"E(\mathbf{{w}}; \mathbf{{x}}) = {halves} = {e}"),
                    ("bishop-twin", "E", rf"E(\mathbf{{w}}; \mathbf{{x}}) = \frac12 (t_{{o1}} - out_{{o1}})^2 = {e}"),
                    ("alpaydin", "E", rf"E(\boldsymbol{{W}}, \boldsymbol{{v}} \mid \mathcal{{X}}) = {halves} = {e}"),
                    ("alpaydin-twin", "E", r"E(W, v \mid X) = " + halves + " = 0.2748111"),
                    ) == {"bishop": "correct", "bishop-twin": "incorrect", "alpaydin": "correct",
                          "alpaydin-twin": "incorrect"}


def test_the_network_function_with_its_parameters_after_a_semicolon_is_the_output() -> None:
    o1 = value(SEED004, "o1")
    assert verdicts(SEED004, ("right", "o1", rf"y_1(\mathbf{{x}}; \mathbf{{w}}) = out_{{o1}} = {o1}"),
                    ("twin", "o1", rf"y_1(\mathbf{{x}}; \mathbf{{w}}) = out_{{o1}} = {value(SEED004, 'o2')}"),
                    ) == {"right": "correct", "twin": "incorrect"}


def test_a_subscripted_loss_of_one_sample_with_its_arguments() -> None:
    """SLP's L_CE(ŷ^{(i)}, y^{(i)}): the loss of sample i (the batch's E is the mean of the two; sample 1's
    target is class 1, sample 2's class 3)."""
    y1 = numeric_value(SOFTMAX.name, "y1")  # of sample 1
    l1 = -mp.log(y1)
    l2 = 2 * numeric_value(SOFTMAX.name, "E") - l1
    second = r"L_{CE}(\hat{y}^{(2)}, y^{(2)}) = -\log \hat{y}^{(2)}_3 = " + mp.nstr(l2, 8)
    mean = r"J = \frac{1}{2}\left(L_{CE}(\hat{y}^{(1)}, y^{(1)}) + L_{CE}(\hat{y}^{(2)}, y^{(2)})\right) = "

    def answer(first: mp.mpf) -> str:
        return rf"L_{{CE}}(\hat{{y}}^{{(1)}}, y^{{(1)}}) = -\log \hat{{y}}^{{(1)}}_1 = {mp.nstr(first, 8)} \\ " \
            + second + r" \\ " + mean + mp.nstr((first + l2) / 2, 8)

    twin = -mp.log(1 - y1)  # the loss of "not class 1"
    assert verdicts(SOFTMAX, ("right", "E", answer(l1)), ("twin", "E", answer(twin))) == {
        "right": "correct", "twin": "incorrect"}


def test_the_m_of_a_sum_over_the_samples_is_the_batch_size_in_one_over_m_too() -> None:
    """Ng's J = (1/m) Σ_{i=1}^{m} L^{(i)}: m is 2 here, in the sum's limit and in the factor before it."""
    e = numeric_value(SOFTMAX.name, "E")  # the batch's mean loss
    line = r"J = \frac{1}{m}\sum_{i=1}^{m} L^{(i)} = "
    assert verdicts(SOFTMAX, ("mean", "E", line + mp.nstr(e, 8)), ("sum", "E", line + mp.nstr(2 * e, 8))) == {
        "mean": "correct", "sum": "incorrect"}


def test_a_sum_over_the_samples_reads_the_students_own_losses_of_each_sample() -> None:
    """SLP's Cost = (1/m) Σ_i L_CE(ŷ^{(i)}, y^{(i)}) after the student wrote L_CE(ŷ^{(1)}, y^{(1)}) and
    L_CE(ŷ^{(2)}, y^{(2)}): the sum's terms are those two definitions (−ln ŷ_1 of sample 1, −ln ŷ_3 of sample 2)."""
    l1 = -mp.log(numeric_value(SOFTMAX.name, "y1"))
    l2 = 2 * numeric_value(SOFTMAX.name, "E") - l1
    lines = (rf"L_{{CE}}(\hat{{y}}^{{(1)}}, y^{{(1)}}) = -\log \hat{{y}}^{{(1)}}_1 = {mp.nstr(l1, 8)} \\ "
             rf"L_{{CE}}(\hat{{y}}^{{(2)}}, y^{{(2)}}) = -\log \hat{{y}}^{{(2)}}_3 = {mp.nstr(l2, 8)} \\ "
             r"\text{Cost} = \frac{1}{m} \sum_{i=1}^{m} L_{CE}(\hat{y}^{(i)}, y^{(i)}) = ")
    assert verdicts(SOFTMAX, ("mean", "E", lines + mp.nstr((l1 + l2) / 2, 8)),
                    ("sum", "E", lines + mp.nstr(l1 + l2, 8))) == {"mean": "correct", "sum": "incorrect"}


def test_the_line_shown_for_a_loss_with_arguments_is_the_whole_written_loss() -> None:
    e = value(SEED004, "E")
    (line, *_) = check(SEED004, ("a", "E", rf"E(\mathbf{{w}}; \mathbf{{x}}) = {e}"))["a"].lines
    assert line.latex == r"E(\mathbf{w}; \mathbf{x})"
