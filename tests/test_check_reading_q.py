"""Readings of session 40 from answers of tune29 (measure25) that were judged wrongly, among them the wrong answer it
accepted. Each right form has a wrong twin that must stay rejected. Numbers come from the corpus's own truth
(tests/corpus/truth_values.py: the spec read with tomllib, mpmath forward pass and central differences)."""

from __future__ import annotations

from test_check import SEED000, SEED002, check, verdicts
from test_check_reading_n import SEED001, SOFTMAX, _n


def test_a_two_role_letter_keeps_the_role_its_definition_gave() -> None:
    """a_1 = w_1 x_1 + w_2 x_2 + b_1 makes a the net input on this sheet; (1 − a_2²) for tanh′ then squares the net
    input 0.12, not h_2 = 0.119427 (the wrong answer measure25 accepted: 0.12 is also h_2 rounded to 2 decimals).
    The right twin squares h_2."""
    first = r"$$a_1 = w_1 x_1 + w_2 x_2 + b_1 = 0.3(0.5) + (-0.1)(-0.2) + 0.1 = 0.27$$"
    delta = (r"$$\delta_{h_2}^{(1)} = \frac{\partial L^{(1)}}{\partial h_2} (1 - NAME^2) = 0.436110 (1 - NUMBER^2) "
             r"= VALUE$$")
    r = check(SOFTMAX, ("first", "net_h1", first),
              ("wrong", "delta_h2", delta.replace("NAME", "a_2").replace("NUMBER", "0.12")
               .replace("VALUE", "0.429830")),
              ("right", "delta_h2", delta.replace("NAME", "h_2").replace("NUMBER", "0.119427")
               .replace("VALUE", "0.429890")))
    assert (r["first"].verdict, r["wrong"].verdict, r["right"].verdict) == ("correct", "incorrect", "correct")
    assert r["wrong"].diagnosis[0].kind == "wrong_activation_derivative"


def test_an_irc_log() -> None:
    """An IRC log: "[21:03] <mira_k> …" lines, "-!- … has joined" and "* nick facepalms" set aside; a sample in
    brackets after a name (delta_y1(2)); an ASCII arrow for the update (w5 <- …). The twin adds the samples'
    gradients without the mean's ½."""
    log = ("-!- mira_k [~mira@user/mira-k] has joined #ml-hw\n"
           "[21:18] <mira_k> delta_y1(2) = 0.304753 - 0 = 0.304753\n[21:20] * mira_k facepalms\n"
           "[21:20] <mira_k> dE/dw5 = HALF(delta_y1(1)*h1(1) + delta_y1(2)*h1(2)) = HALF((-0.649181)(0.263625) + "
           "(0.304753)(-0.049958)) = VALUE\n")
    right = log.replace("HALF", "(1/2)").replace("VALUE", _n(SOFTMAX, "dE/dw5", 6))
    assert verdicts(SOFTMAX, ("right", "dE/dw5", right),
                    ("twin", "dE/dw5", log.replace("HALF", "").replace("VALUE", "-0.186365"))) == {
        "right": "correct", "twin": "incorrect"}
    update = "[21:23] <mira_k> w5 <- w5 - eta*dE/dw5 = 0.5 - 0.5*(-0.093183) = VALUE\n"
    assert verdicts(SOFTMAX, ("right", "w5+", update.replace("VALUE", _n(SOFTMAX, "w5+", 6))),
                    ("twin", "w5+", update.replace("- 0.5*", "+ 0.5*").replace("VALUE", "0.453409"))) == {
        "right": "correct", "twin": "incorrect"}


def test_a_doctest_session() -> None:
    """A module's docstring as a doctest: >>> statements, what each printed on the next line, round(x, 6), comments.
    The twin's error has no ½ (its printed value is the program's)."""
    session = ('"""hw3.py\n\n>>> i1, i2, y = 2, 3, 1\n>>> h1 = i1*w1 + i2*w2          # 2*0.11 + 3*0.21\n'
               ">>> out = h1*w5 + h2*w6\n>>> round(out, 6)\n0.191\n>>> E = HALF(out - y)**2\n>>> round(E, 7)\n"
               'VALUE\n"""\n')
    assert verdicts(SEED002, ("right", "E", session.replace("HALF", "0.5*").replace("VALUE", "0.3272405")),
                    ("twin", "E", session.replace("HALF", "").replace("VALUE", "0.654481"))) == {
        "right": "correct", "twin": "incorrect"}


def test_a_brainly_answer() -> None:
    """Brainly's [tex]…[/tex] tags around the math, a part's label "(i)" before it. The twin multiplies by x_1."""
    answer = r"(i) [tex]\frac{\partial Error}{\partial w_4} = \delta_{h_2} \cdot X = (0.0252)(N) = VALUE[/tex]"
    right = answer.replace("X", "x_2").replace("N", "0.3").replace("VALUE", "0.00756")
    twin = answer.replace("X", "x_1").replace("N", "0.5").replace("VALUE", "0.0126")
    assert verdicts(SEED000, ("right", "dE/dw4", right), ("twin", "dE/dw4", twin)) == {
        "right": "correct", "twin": "incorrect"}


def test_a_name_given_a_precise_number_is_not_a_quantity_near_it() -> None:
    """exp = (1.265258, 0.946632, 0.901400): the student's own names, their numbers written to 6 decimals; the third
    is not the error 0.900404 (0.1% away). The twin's y_1 divides by a wrong sum."""
    answer = "exp = (1.265258, 0.946632, 0.901400), sum 3.113290\ny1 = 1.265258/SUM = VALUE"
    assert verdicts(SOFTMAX, ("right", "y1", answer.replace("SUM", "3.113290").replace("VALUE",
                                                                                     _n(SOFTMAX, "y1", 6, 1)), 1),
                    ("twin", "y1", answer.replace("SUM", "2.211890").replace("VALUE", "0.572029"), 1)) == {
        "right": "correct", "twin": "incorrect"}


def test_engelbrechts_pattern_subscripts_and_a_table_of_weight_names() -> None:
    """Engelbrecht's net_{y_j,p}, z_{i,p} (pattern p, the only one) and a translation of his v_{ji} (input i into
    hidden j) into the lecture's numbers (v_{21} = w_2, which 西瓜书's v_{ih} would read as w_3): names the sheet
    declares, and what uses them is judged. The twin takes v_{12} for v_{21}."""
    table = r"$$v_{11} = w_1,\ v_{21} = w_2,\ v_{12} = w_3,\ v_{22} = w_4 .$$"
    answer = r"$$In_{h_2} = NAME\, x_{1,p} + v_{22}\, x_{2,p} = (WEIGHT)(0.5) + (0.60)(0.3) = RESULT$$"
    right = table + "\n" + answer.replace("NAME", "v_{21}").replace("WEIGHT", "-0.40").replace(
        "RESULT", _n(SEED000, "net_h2", 2))
    twin = table + "\n" + answer.replace("NAME", "v_{12}").replace("WEIGHT", "0.50").replace("RESULT", "0.43")
    assert verdicts(SEED000, ("right", "net_h2", right), ("twin", "net_h2", twin)) == {
        "right": "correct", "twin": "incorrect"}


def test_new_in_tajik_and_telugu_and_a_layers_unit_after_a_comma() -> None:
    """w_6^{нав} (Tajik "new") and W^{(2)}_{1,\\text{కొత్త}} (Telugu); δ_{y,2}, unit 2 of layer y. The twins have
    the wrong sign."""
    tajik = r"$$w_6^{нав} = -0{,}50 SIGN 1 \cdot 0{,}0839 = VALUE$$"
    assert verdicts(SEED000, ("right", "w6+", tajik.replace("SIGN", "-").replace("VALUE", "-0{,}5839")),
                    ("twin", "w6+", tajik.replace("SIGN", "+").replace("VALUE", "-0{,}4161"))) == {
        "right": "correct", "twin": "incorrect"}
    telugu = r"$$W^{(2)}_{1,\text{కొత్త}} = W^{(2)}_1 SIGN \alpha\,(y - d)\,\Phi(h'_1)$$"
    assert verdicts(SEED001, ("right", "W2_1+", telugu.replace("SIGN", "-")),
                    ("twin", "W2_1+", telugu.replace("SIGN", "+"))) == {"right": "correct", "twin": "incorrect"}
    delta = r"$$\delta_{y,2}^{(1)} = VALUE$$"
    assert verdicts(SOFTMAX, ("right", "delta_y2", delta.replace("VALUE", _n(SOFTMAX, "delta_y2", 6))),
                    ("twin", "delta_y2", delta.replace("VALUE", "-" + _n(SOFTMAX, "delta_y2", 6)))) == {
        "right": "correct", "twin": "incorrect"}


def test_an_operator_alone_is_the_losss_derivative() -> None:
    """Larochelle's ∂/∂w_7 = ½(…): the operator heading a chain on its own differentiates the loss, the loss left
    implied. The twin averages with the other example's wrong sign."""
    answer = (r"\[ \frac{\partial}{\partial w_7} = \tfrac12\big(0.370382 \cdot 0.263625 + 0.368349 \cdot (H)\big) "
              r"= VALUE \]")
    right = answer.replace("H", "-0.049958").replace("VALUE", _n(SOFTMAX, "dE/dw7", 5))
    twin = answer.replace("H", "0.049958").replace("VALUE", "0.058023")
    assert verdicts(SOFTMAX, ("right", "dE/dw7", right), ("twin", "dE/dw7", twin)) == {
        "right": "correct", "twin": "incorrect"}
