"""The checker follows an index order the sheet itself declares. A sheet that writes a net input as a sum, Bishop's
a_j = Σ_i w^{(1)}_{ji} x_i (the unit a weight goes into first) or net_j = Σ_i w^{(1)}_{ij} x_i (the unit it leaves
first), fixes how its w^{(1)}_{12} is read, over the network's own names (the notes' W^1_{ij} leaves input i). Each
right answer has a wrong twin, the same weight read in the other order, that must be rejected. The numbers are
Mazur's published values for seed 004 (mattmazur.com, "A Step by Step Backpropagation Example": w1+ = 0.149780716,
w2+ = 0.19956143, w3+ = 0.24975114 with η = 0.5, so ∂E/∂w = (w − w+)/η); the symbolic seed 001 is judged against its
own derivatives."""

from __future__ import annotations

import mpmath as mp
from test_check import EX, SEED004, verdicts

SEED001 = EX / "seed001_abstract_phi.toml"


def _gradient(w: str, w_new: str) -> str:
    return mp.nstr((mp.mpf(w) - mp.mpf(w_new)) / mp.mpf("0.5"), 6)


DW2 = _gradient("0.20", "0.19956143")  # w2: input 2 → h1
DW3 = _gradient("0.25", "0.24975114")  # w3: input 1 → h2


def test_the_declared_order_into_first_reads_w12_as_from_input_2_into_unit_1() -> None:
    declared = r"net_j = \sum_{i=1}^{2} w^{(1)}_{ji} x_i + b_j \\ "
    assert verdicts(SEED004,
                    ("right", "dE/dw2", declared + rf"\frac{{\partial E}}{{\partial w^{{(1)}}_{{12}}}} = {DW2}"),
                    ("twin", "dE/dw2", declared + rf"\frac{{\partial E}}{{\partial w^{{(1)}}_{{12}}}} = {DW3}")) == {
        "right": "correct", "twin": "incorrect"}


def test_the_declared_order_from_first_reads_w12_as_from_input_1_into_unit_2() -> None:
    declared = r"net_j = \sum_{i=1}^{2} w^{(1)}_{ij} x_i + b_j \\ "
    assert verdicts(SEED004,
                    ("right", "dE/dw3", declared + rf"\frac{{\partial E}}{{\partial w^{{(1)}}_{{12}}}} = {DW3}"),
                    ("twin", "dE/dw3", declared + rf"\frac{{\partial E}}{{\partial w^{{(1)}}_{{12}}}} = {DW2}")) == {
        "right": "correct", "twin": "incorrect"}


def test_bishops_declaration_in_an_earlier_answer_holds_for_the_later_ones() -> None:
    r"""seed 001 names W1_ij the weight from input i into hidden j; Bishop's sheet declares a_j = Σ_i w^{(1)}_{ji} x_i,
    so its ∂E/∂w^{(1)}_{12} is seed 001's W1_21 (input 2 → hidden 1): Φ'(a_1) w^{(2)}_1 (y − d) x_2."""
    declared = r"a_j = \sum_{i=1}^{3} w^{(1)}_{ji} x_i, \qquad z_j = \Phi(a_j)"
    head = r"\frac{\partial E^n}{\partial w^{(1)}_{12}} = "
    net_h1 = r" \\ a_1 = w^{(1)}_{11} x_1 + w^{(1)}_{12} x_2 + w^{(1)}_{13} x_3"
    assert verdicts(SEED001, ("a", "net_h1", declared + net_h1),
                    ("right", "dE/dW1_21", head + r"\Phi'(a_1)\, w^{(2)}_1 (y - d)\, x_2"),
                    ("twin", "dE/dW1_21", head + r"\Phi'(a_2)\, w^{(2)}_2 (y - d)\, x_1")) == {
        "a": "correct", "right": "correct", "twin": "incorrect"}


def test_two_declarations_that_disagree_leave_the_names_read_as_before() -> None:
    both = r"net_j = \sum_{i=1}^{2} w^{(1)}_{ji} x_i + b_j \\ net_j = \sum_{i=1}^{2} w^{(1)}_{ij} x_i + b_j \\ "
    plain = verdicts(SEED004, ("plain", "dE/dw2", rf"\frac{{\partial E}}{{\partial w^{{(1)}}_{{12}}}} = {DW2}"))
    assert verdicts(SEED004, ("both", "dE/dw2", both + rf"\frac{{\partial E}}{{\partial w^{{(1)}}_{{12}}}} = {DW2}")
                    )["both"] == plain["plain"]
