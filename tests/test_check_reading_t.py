"""Readings of session 42 from answers of tune33 (measure29) that were judged wrongly. Each right form has a wrong
twin that must stay rejected. Numbers come from the corpus's own truth (tests/corpus/truth_values.py: the spec read
with tomllib, mpmath forward pass and central differences)."""

from __future__ import annotations

from test_check import SEED000, SEED002, SEED003, SEED004, check, verdicts
from test_check_reading_n import SOFTMAX, _n

from corpus.truth_values import value_text

SEED001 = SEED004.with_name("seed001_abstract_phi.toml")
HAN_KAMBER = SEED004.parent / "training" / "han_kamber_9_1.toml"


def test_a_phone_typed_cantonese_thread() -> None:
    """LIHKG: a post's 【求救】 title, a line of Cantonese prose with names in it and remarks in brackets (由 h1),
    e^-0.25 typed without braces. The twin takes w2 for w3."""
    thread = ("#1 肥仔豬扒包 · 5小時前\n【求救】Backprop 功課計到頭都爆 有冇巴打幫手睇下\n"
              "啲 weight 係跟出發嗰粒 neuron 編號㗎, 所以落 h1 嘅係 w1 (由 x1) 同 w3 (由 x2). 我由頭計過:\n"
              "In_h1 = w1*x1 + WX*x2 = (0.2)(0.5) + (V)(0.3) = SUM\n"
              "Out_h1 = σ(SUM) = 1/(1+e^-SUM) = OUT\n")
    assert _n(SEED000, "net_h1", 2) == "0.25" and _n(SEED000, "h1", 6) == "0.562177"
    right = thread.replace("WX", "w3").replace("V", "0.5").replace("SUM", "0.25").replace("OUT", "0.562177")
    twin = thread.replace("WX", "w2").replace("V", "-0.4").replace("SUM", "-0.02").replace("OUT", "0.495")
    assert verdicts(SEED000, ("right", "h1", right), ("twin", "h1", twin)) == {"right": "correct",
                                                                             "twin": "incorrect"}


def test_a_remark_in_brackets_in_another_script_may_hold_an_equation() -> None:
    """"跟住 output 層嘅 δ (我寫 δ = ∂Error/∂In):" is a remark; the line after it is judged. The twin drops o(1 − o)."""
    answer = "跟住 output 層嘅 δ (我寫 δ = ∂Error/∂In):\nδ_o1 = (Out_o1 - y1) * FORM = VALUE\n"
    assert _n(SEED000, "delta_o1", 5) == "0.061605"
    assert verdicts(SEED000, ("right", "delta_o1", answer.replace("FORM", "Out_o1 * (1 - Out_o1)")
                              .replace("VALUE", "0.061605")),
                    ("twin", "delta_o1", answer.replace("FORM", "1").replace("VALUE", "0.246946"))) == {
        "right": "correct", "twin": "incorrect"}


def test_eisensteins_weights_from_x_to_z_and_a_class_label() -> None:
    """Eisenstein's θ^{(x→z)}_{2,1} is the weight into hidden unit 2 from input 1 (w_3), θ^{(z→y)} the next layer's;
    y^{(1)} = 1 says which class is right (not an output's value). The twin puts θ_{2,2} first."""
    answer = ("\\paragraph{Forward pass, instance 1.} $x^{(1)} = (0.5, -0.2)$, $y^{(1)} = 1$.\n"
              "\\[ z_2 = \\tanh\\left(\\theta^{(x \\to z)}_{2,A} x_1 + \\theta^{(x \\to z)}_{2,B} x_2 + b_1\\right)"
              " = \\tanh(0.2 \\cdot 0.5 + 0.4 \\cdot (-0.2) + 0.1) = \\tanh(0.12) = 0.11943 \\]")
    assert _n(SOFTMAX, "h2", 5) == "0.11943"
    assert verdicts(SOFTMAX, ("right", "h2", answer.replace("A", "1").replace("B", "2")),
                    ("twin", "h2", answer.replace("A", "2").replace("B", "1"))) == {"right": "correct",
                                                                                  "twin": "incorrect"}


def test_a_beside_z_the_activation_is_the_net_input() -> None:
    """Bishop's and Eisenstein's pair: z_1 = tanh(a_1) is the output, so ∂ℓ/∂a_1 is the net input's derivative,
    (1 − z_1²) ∂ℓ/∂z_1. The twin's ∂ℓ/∂a_1 leaves out tanh′."""
    answer = ("\\[ z_1 = \\tanh\\left(\\theta^{(x \\to z)}_{1,1} x_1 + \\theta^{(x \\to z)}_{1,2} x_2 + b_1\\right)"
              " = 0.26362 \\]\n"
              "$\\dfrac{\\partial \\ell^{(1)}}{\\partial a_1} = SLOPE\\dfrac{\\partial \\ell^{(1)}}{\\partial z_1} = "
              "FACTOR(-0.399072) = VALUE$")
    assert _n(SOFTMAX, "h1", 5) == "0.26362"
    assert verdicts(SOFTMAX, ("right", "delta_h1", answer.replace("SLOPE", "(1 - z_1^2)")
                              .replace("FACTOR", "0.930502 \\times ").replace("VALUE", "-0.37134")),
                    ("twin", "delta_h1", answer.replace("SLOPE", "").replace("FACTOR", "")
                     .replace("VALUE", "-0.39907"))) == {"right": "correct", "twin": "incorrect"}


def test_context_mkiv_formulas_and_alignments() -> None:
    """ConTeXt: \\startformula … \\stopformula, \\startalign with \\NC cells and \\NR rows, inline \\m{…}, a section's
    title. The output is linear (no Φ′ for it); the twin flips the sign."""
    answer = ("\\startsection[title={Backward pass, output}]\nThe output is linear, so \\m{\\partial y / \\partial "
              "W^{(2)}_1 = h_1}:\n\\startformula\n\\startalign\n\\NC \\frac{\\partial E}{\\partial W^{(2)}_1} \\NC = "
              "\\frac{\\partial E}{\\partial y}\\,\\frac{\\partial y}{\\partial W^{(2)}_1} \\NR\n"
              "\\NC \\NC = FORM\\, \\Phi(\\mathrm{net}_1) \\NR\n\\stopalign\n\\stopformula\n\\stopsection")
    assert verdicts(SEED001, ("right", "dE/dW2_1", answer.replace("FORM", "(y - d)")),
                    ("twin", "dE/dW2_1", answer.replace("FORM", "(d - y)"))) == {"right": "correct",
                                                                                 "twin": "incorrect"}


def test_groff_eqn_and_an_update_without_the_learning_rate() -> None:
    """troff's eqn (.EQ/.EN, sub, sup, over, partial, ~): w sub 5 sup + = w sub 5 - eta … is right; without eta it
    is the wrong answer an earlier checker accepted (measure29's groff sheet, read as nothing and "correct")."""
    answer = (".NH 2\nUpdating the output weights\n.PP\nGradient descent:\n.EQ\n"
              "w sub 5 sup + = w sub 5 - RATE {partial E} over {partial w sub 5} = w sub 5 - RATE "
              "( out sub O - target ) ~ out sub O ( 1 - out sub O ) ~ out sub h1\n.EN")
    assert verdicts(SEED003, ("right", "w5+", answer.replace("RATE", "eta")),
                    ("twin", "w5+", answer.replace("RATE ", ""))) == {"right": "correct", "twin": "incorrect"}


def test_new_in_punjabi() -> None:
    """w_6^{\\text{ਨਵਾਂ}}: w_6 after its update. The twin leaves out η."""
    answer = "\\[ w_6^{\\text{ਨਵਾਂ}} = w_6 - RATE\\frac{\\partial E}{\\partial w_6} = 0.15 - RATE(-0.38832) = VALUE \\]"
    assert verdicts(SEED002, ("right", "w6+", answer.replace("RATE", "0.05").replace("VALUE", "0.169416")),
                    ("twin", "w6+", answer.replace("RATE", "").replace("VALUE", "0.53832"))) == {
        "right": "correct", "twin": "incorrect"}


def test_an_ocaml_toplevel_session() -> None:
    """utop's "val w5' : float = …" echo states w5 after its update (the code itself is not read). The twin printed
    w5 + η ∂E/∂w5."""
    session = ("utop # let dw5 = 0.08216704056423077;;\nval dw5 : float = 0.08216704056423077\n"
               "utop # let w5' = 0.40 -. eta *. dw5;;\nval w5' : float = VALUE\n")
    assert _n(SEED004, "w5+", 12) == "0.358916479718"
    assert verdicts(SEED004, ("right", "w5+", session.replace("VALUE", "0.358916479717884651")),
                    ("twin", "w5+", session.replace("VALUE", "0.441083520282115349"))) == {
        "right": "correct", "twin": "incorrect"}


def test_a_lisp_repl_and_a_cpp_program_print_their_values() -> None:
    """CL-USER> o1 then its value; a C++ program's "O4 = …  O5 = …" line after its source. The twins print another
    unit's value."""
    repl = (";; In_o1 = w5 h1 + w7 h2   (w7 leaves h2)\nCL-USER> (defparameter o1 (sigmoid (+ (* (w :w5) h1) "
            "(* (w :w7) h2))))\nO1\nCL-USER> o1\nVALUE\n")
    assert _n(SEED000, "o1", 10) == "0.4769457586"
    assert verdicts(SEED000, ("right", "o1", repl.replace("VALUE", "0.47694575860699684")),
                    ("twin", "o1", repl.replace("VALUE", "0.5286964002912302"))) == {"right": "correct",
                                                                                   "twin": "incorrect"}
    cpp = ("    double I5 = w[1][5]*O[1] + w[2][5]*O[2] + w[3][5]*O[3] + theta[5];\n"
           "    O[4] = sigmoid(I4);  O[5] = sigmoid(I5);\n"
           '    std::cout << "O4 = " << O[4] << "  O5 = " << O[5] << "\\n";\nO4 = 0.331812  O5 = VALUE\n')
    assert value_text("training/han_kamber_9_1.toml", "O5", 6) == "0.524979"
    assert verdicts(HAN_KAMBER, ("right", "O5", cpp.replace("VALUE", "0.524979")),
                    ("twin", "O5", cpp.replace("VALUE", "0.549834"))) == {"right": "correct", "twin": "incorrect"}


def test_a_calculator_program_and_a_query_console() -> None:
    """TI-BASIC's Disp "W8 NEW" over the right-aligned .7261553388; BigQuery's result grid under its SQL. The twins
    print the weight before its update, and h2 for out."""
    ti = (':⌊W(8)-E*I→⌊W(8)\n:Disp "W8 NEW",⌊W(8)\nW8 NEW\n            VALUE\n')
    assert _n(SEED000, "w8+", 10) == "0.7261553388"
    assert verdicts(SEED000, ("right", "w8+", ti.replace("VALUE", ".7261553388")),
                    ("twin", "w8+", ti.replace("VALUE", ".8"))) == {"right": "correct", "twin": "incorrect"}
    sql = ("-- Step 1: forward pass\nSELECT h1, h2, h1 * w5 + h2 * w6 AS out FROM hidden;\n\n"
           "Row | h1   | h2   | out\n1   | 0.85 | 0.48 | VALUE\n")
    assert verdicts(SEED002, ("right", "out", sql.replace("VALUE", "0.191")),
                    ("twin", "out", sql.replace("VALUE", "0.48"))) == {"right": "correct", "twin": "incorrect"}


def test_a_program_printout_of_vectors_counts_from_zero() -> None:
    """A Rust program's printout: "h = [0.263625, 0.119427]", "p[0] = 0.350819" (p_1, counted from 0). The twin's
    p[0] is p_2's value."""
    out = ("fn softmax(z: &[f64; 3]) -> [f64; 3] {\n    let s: f64 = z.iter().map(|v| v.exp()).sum();\n}\n"
           "  z    = [0.095984, 0.150248, -0.133794]\n  p[0] = VALUE\n")
    assert _n(SOFTMAX, "y1", 6) == "0.350819"
    assert verdicts(SOFTMAX, ("right", "y1", out.replace("VALUE", "0.350819")),
                    ("twin", "y1", out.replace("VALUE", "0.370382"))) == {"right": "correct", "twin": "incorrect"}


def test_r_scala_and_mathematica_consoles_print_a_name_s_value() -> None:
    """R's "> h1" then "[1] 0.5932699921", Scala's "val h1: Double = …", Mathematica's "In[3]:= h1" then
    "Out[3]= …": the value of h1 (Mazur's out_h1). The twins print out_h2's value."""
    assert _n(SEED004, "h1", 10) == "0.5932699921"
    sessions = {"r": "> h1 <- sigmoid(w1 * i1 + w2 * i2 + b1)\n> h1\n[1] VALUE\n",
                "scala": "scala> val h1 = sigmoid(w1 * i1 + w2 * i2 + b1)\nval h1: Double = VALUE\n",
                "mathematica": "In[2]:= h1 = 1/(1 + Exp[-(w1 i1 + w2 i2 + b1)]);\nIn[3]:= h1\nOut[3]= VALUE\n"}
    answers = [(name, "h1", text.replace("VALUE", "0.5932699921")) for name, text in sessions.items()]
    twins = [(name + "-twin", "h1", text.replace("VALUE", "0.5968843783")) for name, text in sessions.items()]
    assert verdicts(SEED004, *answers, *twins) == {**{name: "correct" for name in sessions},
                                                   **{name + "-twin": "incorrect" for name in sessions}}


def test_a_printed_update_is_named_by_the_step_it_took() -> None:
    """A program's w' = w − g (η left out) and w' = w + η·g (uphill): every slip's w − η·g is within 0.5% of w when
    the step is small, so the step taken is what names the slip. On seed 004 i_2 = 2 i_1 and η = ½, so the step of
    w_1 with i_2 for i_1 is the step without η: the learning rate is named."""
    assert _n(SEED004, "dE/dw1", 9) == "0.000438567734"
    session = "utop # let w1' = w1 -. dw1;;\nval w1' : float = VALUE\n"
    r = check(SEED004, ("no-eta", "w1+", session.replace("VALUE", "0.149561432265525651")),
              ("uphill", "w1+", session.replace("-.", "+.").replace("VALUE", "0.150219283867237191")))
    assert {k: (a.verdict, a.diagnosis[0].kind) for k, a in r.items()} == {
        "no-eta": ("incorrect", "missing_learning_rate"), "uphill": ("incorrect", "update_sign")}
