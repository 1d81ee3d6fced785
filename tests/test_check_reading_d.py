"""The checker reads what a sheet declares about its own letters (session 29, from the tune parts' right answers
judged incorrect). Each right form has a wrong twin that must stay rejected. The numbers are computed here with
mpmath from the example's own numbers (examples/softmax_batch.toml: tanh hidden layer, softmax output, two
samples, mean cross-entropy; examples/seed004_mattmazur.toml: Mazur's published network), never by the checker.

- a Chinese blog's u_1 = w_1 x_1 + w_2 x_2 + b_1: u_k is read as output k's net input unless a line equates it
  with exactly one net input's definition; then u_1 is the hidden net input (a name the network has itself,
  net_{y1}, is never redefined so);
- d2l's ŷ = softmax(o): on a sheet writing both ŷ and o_k, o_k is the logit (the output's net input);
- d2l's vectors without a layer: h, x, o, ŷ, t as the layers' columns (a sample's digit above them), W_1, W_2 as the
  layers' matrices, ∂L^{(1)}/∂h the gradient of sample 1's loss;
- Ng's dz = da ⊙ g'(z) with only numbers: the factors of the δ recursion (Σ_k δ_k w_k and σ') are factors."""

from __future__ import annotations

import tomllib

import mpmath as mp
from test_check import EX, SEED004, verdicts

mp.mp.dps = 30
SOFTMAX = EX / "softmax_batch.toml"
DATA = tomllib.loads(SOFTMAX.read_text())
P = {k: mp.mpf(str(v)) for k, v in DATA["params"].items()}


def forward(sample: int) -> dict[str, mp.mpf]:
    """The batch example's forward pass, written out here."""
    s = DATA["samples"][sample]["inputs"]
    x1, x2 = mp.mpf(str(s["x1"])), mp.mpf(str(s["x2"]))
    u1 = P["w1"] * x1 + P["w2"] * x2 + P["b1"]
    u2 = P["w3"] * x1 + P["w4"] * x2 + P["b1"]
    h1, h2 = mp.tanh(u1), mp.tanh(u2)
    z = [P["w5"] * h1 + P["w6"] * h2 + P["b2"], P["w7"] * h1 + P["w8"] * h2 + P["b3"],
         P["w9"] * h1 + P["w10"] * h2 + P["b4"]]
    total = sum(mp.exp(v) for v in z)
    y = [mp.exp(v) / total for v in z]
    return {"u1": u1, "u2": u2, "h1": h1, "h2": h2, "z1": z[0], "z2": z[1], "z3": z[2],
            "y1": y[0], "y2": y[1], "y3": y[2]}


F = forward(0)
T = [mp.mpf(str(DATA["samples"][0]["targets"][k])) for k in ("y1", "y2", "y3")]


def n(x: mp.mpf, digits: int = 8) -> str:
    return mp.nstr(x, digits, strip_zeros=False)


def test_u1_equated_with_the_hidden_net_input_is_the_hidden_net_input() -> None:
    line = rf"u_1 = w_1 x_1 + w_2 x_2 + b_1 = 0.3 \times 0.5 + (-0.1) \times (-0.2) + 0.1 = {n(F['u1'], 2)}, \quad "
    right = line + rf"h_1 = \tanh(u_1) = {n(F['h1'])}"
    twin = line + rf"h_1 = \tanh(u_1) = {n(mp.tanh(F['z1']))}"  # tanh of output 1's net input
    assert verdicts(SOFTMAX, ("right", "h1", right), ("twin", "h1", twin)) == {"right": "correct",
                                                                             "twin": "incorrect"}


def test_a_wrong_sum_declares_nothing() -> None:
    """u_1 = w_1 x_1 + w_3 x_2 + b_1 is no net input's definition: u_1 stays read as output 1's, the line wrong."""
    wrong = rf"u_1 = w_1 x_1 + w_3 x_2 + b_1 = {n(P['w1'] * mp.mpf('0.5') + P['w3'] * mp.mpf('-0.2') + P['b1'], 3)}"
    assert verdicts(SOFTMAX, ("wrong", "net_h1", wrong)) == {"wrong": "incorrect"}


def test_the_networks_own_name_is_never_redefined_by_a_sum() -> None:
    """net_{y1} = w_1 x_1 + w_2 x_2 + b_1 claims hidden 1's sum for output 1's net input: wrong, not a definition."""
    wrong = rf"\mathit{{net}}_{{y1}} = w_1 x_1 + w_2 x_2 + b_1 = {n(F['u1'], 3)}"
    assert verdicts(SOFTMAX, ("wrong", "net_y1", wrong)) == {"wrong": "incorrect"}


def test_o_beside_y_hat_is_the_logit() -> None:
    """∂L/∂o_2 = ŷ_2 − t_2 (d2l): the gradient at the logit o_2, i.e. δ of output 2."""
    d2 = F["y2"] - T[1]
    head = rf"\hat{{y}}_2 = {n(F['y2'], 9)} \\ \frac{{\partial L^{{(1)}}}}{{\partial o_2}} = "
    right = head + rf"\hat{{y}}_2 - t_2 = {n(d2, 9)}"
    twin = head + rf"\hat{{y}}_2 = {n(F['y2'] * 2, 9)}"
    assert verdicts(SOFTMAX, ("right", "delta_y2", right), ("twin", "delta_y2", twin)) == {
        "right": "correct", "twin": "incorrect"}


def test_d2l_vectors_give_the_hidden_gradient_of_sample_one() -> None:
    """∂L^{(1)}/∂h = W_2ᵀ(ŷ^{(1)} − t^{(1)}) with the matrix written out: the entries of sample 1's gradient."""
    e = [F[f"y{k}"] - T[k - 1] for k in (1, 2, 3)]
    g = [P["w5"] * e[0] + P["w7"] * e[1] + P["w9"] * e[2], P["w6"] * e[0] + P["w8"] * e[1] + P["w10"] * e[2]]
    W2T = r"\begin{bmatrix} 0.5 & 0.1 & -0.4 \\ -0.3 & 0.2 & 0.6 \end{bmatrix}"
    col = r"\begin{bmatrix} " + r" \\ ".join(n(v, 10) for v in e) + r" \end{bmatrix}"

    def answer(values: list[mp.mpf]) -> str:
        return (r"\frac{\partial L^{(1)}}{\partial \mathbf{h}} = \mathbf{W}_2^T\big(\hat{\mathbf{y}}^{(1)} - "
                rf"\mathbf{{t}}^{{(1)}}\big) = {W2T}{col} = \begin{{bmatrix}} {n(values[0], 10)} \\ {n(values[1], 10)}"
                r" \end{bmatrix}")
    right = answer(g)
    twin = answer([g[0], g[1] * 2])
    assert verdicts(SOFTMAX, ("right", "dE/dh2", right), ("twin", "dE/dh2", twin)) == {
        "right": "correct", "twin": "incorrect"}


def test_ngs_hidden_dz_from_its_two_factors() -> None:
    """dz^{[1]}_1 = da^{[1]}_1 · σ'(z^{[1]}_1) written with numbers only, on the way to w_1's update: Mazur's network
    (seed 004), its published forward values out_h1 = 0.593269992, out_o1 = 0.75136507, out_o2 = 0.772928465,
    targets 0.01, 0.99, x_1 = 0.05, η = 0.5, w_1 = 0.15 (published w1+ = 0.149780716)."""
    h1, o1, o2 = mp.mpf("0.593269992"), mp.mpf("0.75136507"), mp.mpf("0.772928465")
    d1, d2 = (o1 - mp.mpf("0.01")) * o1 * (1 - o1), (o2 - mp.mpf("0.99")) * o2 * (1 - o2)
    s = h1 * (1 - h1)

    def answer(da: mp.mpf) -> str:
        dz = da * s
        return (rf"dz^{{[1]}}_1 = {n(da, 8)} \times {n(s, 9)} = {n(dz, 7)}, \quad "
                rf"dW^{{[1]}}_{{11}} = dz^{{[1]}}_1 x_1 = "
                rf"{n(dz * mp.mpf('0.05'), 6)} \\ w_1 := w_1 - \alpha\, dW^{{[1]}}_{{11}} = "
                rf"{n(mp.mpf('0.15') - mp.mpf('0.5') * dz * mp.mpf('0.05'), 8)}")
    right, twin = answer(d1 * mp.mpf("0.40") + d2 * mp.mpf("0.50")), answer(d1 * mp.mpf("0.40"))
    assert abs(mp.mpf("0.15") - mp.mpf("0.025") * (d1 * mp.mpf("0.40") + d2 * mp.mpf("0.50")) * s
               - mp.mpf("0.149780716")) < mp.mpf("1e-9")  # the published update
    assert verdicts(SEED004, ("right", "w1+", right), ("twin", "w1+", twin)) == {
        "right": "correct", "twin": "incorrect"}


def test_hagans_sensitivity_s_is_the_error_term_and_kroses_s_the_net_input() -> None:
    """s is two letters in the textbooks: Hagan's sensitivity s^m_i = ∂F/∂n^m_i (with a^m the layer's output) and
    Kröse's net input s_k. A line decides which one holds. Mazur's published values: out_o1 = 0.75136507,
    ∂E/∂net_o1 = 0.138498562, net_o1 = 1.105905967 (out_h1 = 0.593269992, out_h2 = 0.596884378)."""
    o1 = mp.mpf("0.75136507")
    hagan = (rf"a^2_1 = \sigma(n^2_1) = {n(o1, 9)} \\ s^2_1 = -(1 - a^2_1)\, a^2_1\, (t_1 - a^2_1) = "
             rf"-{n((1 - o1) * o1, 10)} \times (0.01 - {n(o1, 9)})")
    right = hagan + r" = 0.138498562"
    twin = hagan.replace("s^2_1 = -", "s^2_1 = -2") + r" = 0.276997124"  # the book's F = eᵀe, not the spec's ½
    krose = r"s_{o1} = w_5\, y_{h1} + w_6\, y_{h2} + b_2 = 0.40 \times 0.593269992 + 0.45 \times 0.596884378 + 0.60"
    assert verdicts(SEED004, ("right", "delta_o1", right), ("twin", "delta_o1", twin),
                    ("krose", "net_o1", krose + r" = 1.105905967"),
                    ("krose-twin", "net_o1", krose + r" = 0.138498562")) == {
        "right": "correct", "twin": "incorrect", "krose": "correct", "krose-twin": "incorrect"}


def test_the_declared_letter_names_the_whole_layer_in_later_answers() -> None:
    """After u_1 = w_1 x_1 + w_2 x_2 + b_1, the sheet's u_2 is hidden unit 2's net input too (not output 2's)."""
    line = rf"u_1 = w_1 x_1 + w_2 x_2 + b_1 = {n(F['u1'], 2)}, \quad h_1 = \tanh(u_1) = {n(F['h1'])}"
    assert verdicts(SOFTMAX, ("a", "h1", line), ("right", "net_h2", rf"u_2 = {n(F['u2'])}"),
                    ("twin", "net_h2", rf"u_2 = {n(F['z2'])}")) == {
        "a": "correct", "right": "correct", "twin": "incorrect"}


def test_mit_capital_letters_with_a_layer_are_net_inputs_and_outputs() -> None:
    """MIT 6.036's Z^l_j, A^l_j (layer 1 the hidden one, A^0 the inputs): ∂L/∂Z^1_1 = A^1_1(1 − A^1_1)·∂L/∂A^1_1.
    Mazur's published out_h1 = 0.593269992 and ∂E/∂out_h1 = 0.036350306 (δ_h1 = 0.008771355 rounds their product)."""
    head = r"\frac{\partial L}{\partial Z^1_1} = A^1_1 (1 - A^1_1)\, \frac{\partial L}{\partial A^1_1} = "
    right = head + r"0.593269992 \times 0.406730008 \times 0.036350306 = 0.008771355"
    twin = head + r"0.593269992 \times 0.036350306 = 0.021565360"  # one factor of σ' left out
    assert verdicts(SEED004, ("right", "delta_h1", right), ("twin", "delta_h1", twin)) == {
        "right": "correct", "twin": "incorrect"}
