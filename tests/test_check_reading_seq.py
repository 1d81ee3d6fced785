r"""The checker reads time steps and positions as the sources write them (issue 16): h_{1,2}, h^{(2)}_1, s_{1,2},
z_{1,2}, δ_{1,2}, o_t / \hat{y}^{(t)} with y_t the target, L for the loss, \sum_t over the steps and h^{(t-1)}
inside it, the initial state h_0 = 0 left out; and a sum over a convolution's positions written \sum_j δ_{cj}.

Each answer is judged against the truth of the bundled examples; every expected number here is computed in the
test by a forward pass and BPTT written in NumPy (never taken from the checker)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from symbackprop.check.answers import parse_answers
from symbackprop.check.circuit_check import check_model
from symbackprop.check.timestep import Reading, Unrolled, read
from symbackprop.check.tree import RawName
from symbackprop.circuit import load_model

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PER_STEP = EXAMPLES / "recurrent" / "elman_per_step.toml"
LAST_STEP = EXAMPLES / "recurrent" / "elman_last_step.toml"
CONV1D = EXAMPLES / "conv" / "conv1d_maxpool.toml"

U = np.array([0.5, -0.3])
V = np.array([[0.1, 0.2], [-0.2, 0.4]])
B = np.array([0.1, 0.0])
W = np.array([0.6, -0.4])
X = [1.0, 0.5, -0.5]


def _elman(targets: list[float | None]) -> dict[str, object]:
    """Forward pass and BPTT of the bundled Elman network (targets None: no loss at that step)."""
    hs, ys = [np.zeros(2)], []
    for x in X:
        hs.append(np.tanh(U * x + V @ hs[-1] + B))
        ys.append(W @ hs[-1] + 0.05)
    eps = [0.0 if t is None else y - t for y, t in zip(ys, targets, strict=True)]
    deltas = [np.zeros(2)] * 4
    for t in (3, 2, 1):
        deltas[t] = (W * eps[t - 1] + V.T @ (deltas[t + 1] if t < 3 else np.zeros(2))) * (1 - hs[t] ** 2)
    return {"h": hs, "y": ys, "eps": eps, "delta": deltas}


PER = _elman([0.5, 0.2, -0.1])
LAST = _elman([None, None, -0.1])
UNROLLED = Unrolled("h", ("h1", "h2"), ("x1",), "y", ("y1",), 3, {"y1": (0.5, 0.2, -0.1)})
NAMES = {f"{n}_t{t}" for n in ("h1", "h2", "neth1", "neth2", "x1", "y1", "nety1", "E") for t in range(1, 4)} | {
    "h1_t0", "h2_t0", "E"}


@pytest.mark.parametrize(("raw", "reading"), [
    (RawName("h", "1,2"), Reading("node", "h1_t2")),
    (RawName("h", "1,t=2"), Reading("node", "h1_t2")),
    (RawName("h", "1", "2"), Reading("node", "h1_t2")),          # h^{(2)}_1
    (RawName("s", "2,3"), Reading("node", "h2_t3")),             # the state s_t of Chinese notes
    (RawName("h", "1,0"), Reading("node", "h1_t0")),             # the initial state
    (RawName("h", "2", "{3}-1"), Reading("node", "h2_t2")),      # h^{(t-1)}_2 in a \sum over t, at t = 3
    (RawName("z", "1,2"), Reading("node", "neth1_t2")),
    (RawName("net", "h1,2"), Reading("node", "neth1_t2")),
    (RawName("a", "2", "1"), Reading("node", "neth2_t1")),       # Goodfellow's a^{(1)}_2
    (RawName("delta", "1,3"), Reading("delta", "neth1_t3")),
    (RawName("delta", "h2,1"), Reading("delta", "neth2_t1")),
    (RawName("x", "2"), Reading("node", "x1_t2")),               # one input: no unit index
    (RawName("y", "", "3", "hat"), Reading("node", "y1_t3")),
    (RawName("o", "2"), Reading("node", "y1_t2")),
    (RawName("L", "2"), Reading("node", "E_t2")),
    (RawName("L"), Reading("node", "E")),
    (RawName("d", "2"), Reading("target", value=0.2)),
])
def test_a_time_indexed_name_is_the_unrolled_quantity(raw: RawName, reading: Reading) -> None:
    assert read(raw, UNROLLED, NAMES) == reading


@pytest.mark.parametrize("raw", [
    RawName("h", "1"),        # no step: unit 1 or step 1?
    RawName("h", "3,2"),      # no hidden unit 3
    RawName("h", "1,4"),      # no step 4
    RawName("x", "0"),        # no input at step 0
    RawName("w", "1"),        # a parameter: the circuit's own name
    RawName("h", "1", "T"),   # a symbolic step
])
def test_what_is_not_a_time_step_is_not_guessed(raw: RawName) -> None:
    assert read(raw, UNROLLED, NAMES) is None


def test_y_is_the_target_when_the_output_is_written_apart() -> None:
    assert read(RawName("y", "2"), UNROLLED, NAMES) == Reading("node", "y1_t2")
    assert read(RawName("y", "2"), UNROLLED, NAMES, hat_output=True) == Reading("target", value=0.2)


def _verdicts(spec: Path, *answers: tuple[str, str]) -> list[str]:
    data = {"answer": [{"id": f"q{k}", "quantity": q, "latex": latex} for k, (q, latex) in enumerate(answers)]}
    result = check_model(load_model(spec), parse_answers(data, "test"), limit=600)  # (a loaded machine)
    return [r.verdict.value for r in result.answers]


def _n(v: float, places: int = 6) -> str:
    return f"{v:.{places}f}"


def test_bptt_in_the_notations_of_the_sources_is_correct() -> None:
    h, d, eps = PER["h"], PER["delta"], PER["eps"]
    dv12 = sum(d[t][0] * h[t - 1][1] for t in (1, 2, 3))
    dh12 = W[0] * eps[1] + V[0, 0] * d[3][0] + V[1, 0] * d[3][1]
    answers = [
        ("h1_t2", rf"h_{{1,2}} = \tanh(u_1 x_2 + v_{{11}} h_{{1,1}} + v_{{12}} h_{{2,1}} + b_1) = {_n(h[2][0])}"),
        ("h1_t1", rf"h^{{(1)}}_1 = \tanh(u_1 x^{{(1)}} + b_1) = {_n(h[1][0])}"),  # h_0 = 0 left out
        ("dE/dh1_t2", rf"\frac{{\partial L}}{{\partial h^{{(2)}}_1}} = w_1 (\hat{{y}}^{{(2)}} - y^{{(2)}}) "
                      rf"+ v_{{11}} \delta^{{(3)}}_1 + v_{{21}} \delta^{{(3)}}_2 = {_n(dh12)}"),
        ("dE/dneth2_t3", rf"\delta_{{2,3}} = (o_3 - y_3)\, w_2 (1 - s_{{2,3}}^2) = {_n(d[3][1], 7)}"),
        ("dE/dv12", rf"\frac{{\partial E}}{{\partial v_{{12}}}} = \sum_t \delta_{{1,t}}\, h^{{(t-1)}}_2 = {_n(dv12)}"),
        ("dE/dv12", rf"\frac{{\partial E}}{{\partial v_{{12}}}} = \sum_{{t=1}}^{{3}} \delta_{{1,t}} h_{{2,t-1}}"
                    rf" = {_n(dv12)}"),
    ]
    assert _verdicts(PER_STEP, *answers) == ["correct"] * len(answers)


def test_bptt_slips_are_incorrect() -> None:
    h, d, eps = PER["h"], PER["delta"], PER["eps"]
    with_ht = sum(d[t][0] * h[t][1] for t in (1, 2, 3))           # h_t where h_{t-1} belongs
    no_recurrence = W[0] * eps[1] * (1 - h[2][0] ** 2)            # δ_{1,2} without the path through step 3
    mean = sum(d[t][0] for t in (1, 2, 3)) / 3                    # the steps averaged
    answers = [
        ("dE/dv12", rf"\frac{{\partial E}}{{\partial v_{{12}}}} = \sum_t \delta_{{1,t}}\, h_{{2,t}} = {_n(with_ht)}"),
        ("dE/dneth1_t2", rf"\delta_{{1,2}} = w_1 (o_2 - y_2)(1 - h_{{1,2}}^2) = {_n(no_recurrence)}"),
        ("dE/db1", rf"\frac{{\partial E}}{{\partial b_1}} = \frac{{1}}{{3}}\sum_{{t=1}}^{{3}} \delta_{{1,t}}"
                   rf" = {_n(mean)}"),
    ]
    assert _verdicts(PER_STEP, *answers) == ["incorrect"] * len(answers)


def test_a_target_at_the_last_step_only() -> None:
    h, d = LAST["h"], LAST["delta"]
    y3 = LAST["y"][2]
    answers = [
        ("dE/dw1", rf"\frac{{\partial E}}{{\partial w_1}} = (y_3 - d)\, h_{{1,3}} = {_n((y3 + 0.1) * h[3][0], 7)}"),
        ("dE/dneth1_t2", rf"\delta_{{1,2}} = (v_{{11}}\delta_{{1,3}} + v_{{21}}\delta_{{2,3}})(1 - h_{{1,2}}^2) "
                         rf"= {_n(d[2][0], 7)}"),
    ]
    assert _verdicts(LAST_STEP, *answers) == ["correct", "correct"]
    # Karpathy's dy: d·y is not "the target times y" — the name stays unknown
    assert _verdicts(LAST_STEP, ("dE/dy1_t3", rf"dy^{{(3)}} = y^{{(3)}} + 0.1 = {_n(y3 + 0.1)}")) == ["unparseable"]


def test_a_sum_over_a_convolutions_positions() -> None:
    # conv1d_maxpool: δ_c = (δ_c1, 0, δ_c3) (c2's ReLU is off); ∂E/∂bc = Σ_j δ_cj, ∂E/∂k1 = Σ_j δ_cj x_j
    x = np.array([0.1, -0.2, 0.3, 0.4, -0.5])
    net = np.array([0.5 * x[j] - 0.3 * x[j + 1] + 0.2 * x[j + 2] + 0.1 for j in range(3)])
    c = np.maximum(net, 0)
    o = 1 / (1 + np.exp(-(0.4 * max(c[0], c[1]) - 0.6 * max(c[1], c[2]) + 0.05)))
    delta_o = (o - 1) * o * (1 - o)
    dc = np.array([delta_o * 0.4, 0.0, delta_o * -0.6]) * (net > 0)
    answers = [
        ("dE/dbc", rf"\frac{{\partial E}}{{\partial b_c}} = \sum_{{j}} \delta_{{cj}} = {_n(dc.sum(), 7)}"),
        ("dE/dk1", rf"\frac{{\partial E}}{{\partial k_1}} = \sum_j \delta_{{cj}}\, x_j = {_n(dc @ x[:3], 7)}"),
    ]
    assert _verdicts(CONV1D, *answers) == ["correct", "correct"]
    mean = dc.sum() / 3
    averaged = rf"\frac{{\partial E}}{{\partial b_c}} = \frac{{1}}{{3}}\sum_{{j}} \delta_{{cj}} = {_n(mean, 7)}"
    assert _verdicts(CONV1D, ("dE/dbc", averaged)) == ["incorrect"]


def test_bptt_cut_to_one_step_is_named_a_missing_path() -> None:
    h, eps = PER["h"], PER["eps"]
    no_recurrence = W[0] * eps[1] * (1 - h[2][0] ** 2)  # δ_{1,2} with no error back from step 3
    data = {"answer": [{"id": "q", "quantity": "dE/dneth1_t2",
                        "latex": rf"\delta_{{1,2}} = w_1 (o_2 - y_2)(1 - h_{{1,2}}^2) = {_n(no_recurrence)}"}]}
    result = check_model(load_model(PER_STEP), parse_answers(data, "test"), limit=600).answers[0]
    assert result.verdict.value == "incorrect" and result.diagnosis[0].kind == "missing_path"
