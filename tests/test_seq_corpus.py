"""The checker on answers about recurrent and convolutional networks (issue 16): tests/corpus/seq (to develop
against) and tests/corpus/seq_measure (held out: written before the checker ran on any answer; only its totals
are looked at), hand derivations in the notations of d2l.ai, Goodfellow ch. 10, Karpathy's min-char-rnn, CS231n's
conv notes and Chinese lecture notes, with the slips students make (a sum over time left out or averaged, the
recurrent path forgotten, tanh′ left out, h_t for h_{t−1}, a flipped kernel, the max-pool gradient routed to the
wrong cell or to all cells).

Every label is verified by seq_truth.py (the spec read from TOML, an mpmath forward pass and central
differences), itself compared here with a backward pass (BPTT, the convolution's correlation and the max-pool
switch) written in NumPy in this file. The checker must accept no wrong answer; FLOOR holds the share of right
answers judged correct, measured (a ratchet: raise it, never lower it)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from functools import lru_cache

import mpmath
import numpy as np
import pytest

from corpus import seq_truth as st
from corpus.load import SEQ_PARTS, Case, CorpusFile, load_corpus
from symbackprop.check.answers import parse_answers
from symbackprop.check.circuit_check import check_model
from symbackprop.check.run import AnswerResult
from symbackprop.circuit import load_model

FILES = [f for part in SEQ_PARTS for f in load_corpus(part)]
CASES = [(f, c) for f in FILES for c in f.cases]
SPECS = ("recurrent/elman_per_step.toml", "recurrent/elman_last_step.toml", "conv/conv1d_maxpool.toml",
         "conv/conv2d_maxpool.toml")


# -- the oracle against a backward pass written here ---------------------------------------------------------

def _bptt(name: str) -> dict[str, float]:
    """The gradients of an Elman spec by backpropagation through time, in NumPy (float64)."""
    data, p = st.spec(name), {k: float(v) for k, v in st.params(name).items()}
    hidden, out = data["layers"]
    U = np.array([[p[n] for n in row] for row in hidden["weights"]])
    V = np.array([[p[n] for n in row] for row in hidden["recurrent_weights"]])
    b = np.array([p[n] for n in hidden["bias"]])
    W = np.array([[p[n] for n in row] for row in out["weights"]])
    c = np.array([p[out["bias"]]])
    x = np.array([data["inputs"]["x1"]], dtype=float).T  # steps × inputs
    steps = len(x)
    target = data["targets"]["y1"]
    hs, ys = [np.zeros(len(b))], []
    for t in range(steps):
        hs.append(np.tanh(U @ x[t] + V @ hs[-1] + b))
        ys.append(W @ hs[-1] + c)
    eps = [ys[t] - target[t] if isinstance(target, list) else
           (ys[t] - target if t == steps - 1 else np.zeros(1)) for t in range(steps)]
    g = {k: 0.0 for k in p}
    dnext = np.zeros(len(b))
    for t in reversed(range(steps)):
        delta = (W.T @ eps[t] + V.T @ dnext) * (1 - hs[t + 1] ** 2)
        for i, row in enumerate(hidden["weights"]):
            g[row[0]] += delta[i] * x[t][0]
            g[hidden["bias"][i]] += delta[i]
            for j, v in enumerate(hidden["recurrent_weights"][i]):
                g[v] += delta[i] * hs[t][j]
        for j, w in enumerate(out["weights"][0]):
            g[w] += eps[t][0] * hs[t + 1][j]
        g[out["bias"]] += eps[t][0]
        dnext = delta
    return g


def _conv(name: str) -> dict[str, float]:
    """The gradients of a conv → maxpool → sigmoid spec, in NumPy: the kernel's gradient as the correlation of
    the input with the δ's, the pooled gradient sent to each window's maximum."""
    data, p = st.spec(name), {k: float(v) for k, v in st.params(name).items()}
    conv, pool, out = data["layers"]
    ins = data["inputs"]
    x = np.array(ins["x"], dtype=float) if "x" in ins else np.array([list(ins.values())], dtype=float)
    kn = np.array(conv["kernel"] if isinstance(conv["kernel"][0], list) else [conv["kernel"]])
    K = np.vectorize(lambda n: p[n])(kn)
    s = conv["stride"]
    rows, cols = (x.shape[0] - K.shape[0]) // s + 1, (x.shape[1] - K.shape[1]) // s + 1
    net = np.array([[np.sum(K * x[i * s:i * s + K.shape[0], j * s:j * s + K.shape[1]]) + p[conv["bias"]]
                     for j in range(cols)] for i in range(rows)])
    cval = np.maximum(net, 0)
    size = pool["size"]
    ps = pool.get("stride", size)
    ph = size if rows > 1 else 1
    psh = ps if rows > 1 else 1
    windows = [(i * psh, j * ps) for i in range((rows - ph) // psh + 1) for j in range((cols - size) // ps + 1)]
    pooled = np.array([cval[i:i + ph, j:j + size].max() for i, j in windows])
    w = np.array([p[n] for n in out["weights"][0]])
    o = 1 / (1 + np.exp(-(w @ pooled + p[out["bias"]])))
    delta_o = (o - data["targets"]["o1"]) * o * (1 - o)
    g = {n: float(delta_o * pooled[k]) for k, n in enumerate(out["weights"][0])}
    g[out["bias"]] = float(delta_o)
    dc = np.zeros_like(cval)
    for k, (i, j) in enumerate(windows):
        a, b = np.unravel_index(np.argmax(cval[i:i + ph, j:j + size]), (ph, size))
        dc[i + a, j + b] += delta_o * w[k]
    dnet = dc * (net > 0)
    for a in range(K.shape[0]):
        for b in range(K.shape[1]):
            g[kn[a, b]] = float(sum(dnet[i, j] * x[i * s + a, j * s + b] for i in range(rows) for j in range(cols)))
    g[conv["bias"]] = float(dnet.sum())
    return g


@pytest.mark.parametrize("name", SPECS)
def test_the_oracle_agrees_with_a_backward_pass(name: str) -> None:
    backward = _bptt(name) if name.startswith("recurrent") else _conv(name)
    for param, value in backward.items():
        assert abs(float(st.gradient(name, param)) - value) < 1e-12, (name, param)


def test_the_oracle_knows_the_unrolled_names() -> None:
    v = st.forward("recurrent/elman_per_step.toml")
    assert abs(float(v["h1_t1"]) - np.tanh(0.6)) < 1e-15 and v["h1_t0"] == 0
    # ∂E/∂h1_t3 = w1 ε_3: one path (the last step has no successor)
    with mpmath.workdps(st.DPS):
        eps3 = v["y1_t3"] - mpmath.mpf("-0.1")
        assert abs(st.value("recurrent/elman_per_step.toml", "dE/dh1_t3") - mpmath.mpf("0.6") * eps3) < 1e-30
    assert st.value("conv/conv2d_maxpool.toml", "p11") == st.forward("conv/conv2d_maxpool.toml")["c21"]


# -- the labels ----------------------------------------------------------------------------------------------

def _written(text: str) -> tuple[mpmath.mpf, mpmath.mpf, int]:
    """The number as written, one unit of its last digit, its significant digits."""
    d = Decimal(text)
    digits = d.as_tuple().digits
    sig = len(str(int("".join(map(str, digits))))) if any(digits) else 0
    with mpmath.workdps(st.DPS):
        return mpmath.mpf(text), mpmath.mpf(10) ** d.as_tuple().exponent, sig


def _agrees(text: str, true: mpmath.mpf) -> bool:
    """The true value to the digits written: within one unit of the last digit (intermediates rounded to the same
    digits), or 1 % with at most 4 significant digits (hand-rounded numbers)."""
    v, unit, sig = _written(text)
    with mpmath.workdps(st.DPS):
        return abs(v - true) <= unit or (sig <= 4 and abs(v - true) <= abs(true) / 100)


@pytest.mark.parametrize(("f", "c"), CASES, ids=[f"{f.name}::{c.id}" for f, c in CASES])
def test_label(f: CorpusFile, c: Case) -> None:
    true = st.value(f.spec, c.quantity, c.step)
    where = f"{f.name} case {c.id!r} ({c.quantity}): the true value is {mpmath.nstr(true, 12)}"
    assert c.value, f"{where}: every seq case states its final number"
    assert not c.expr, f"{where}: seq_truth has no formula composer: state the value"
    v, _, sig = _written(c.value)
    if c.right:
        with mpmath.workdps(st.DPS):
            exact = abs(v - true) < mpmath.mpf(10) ** -40
        assert sig >= 2 or exact, f"{where}: too few digits"
        assert _agrees(c.value, true), f"{where}: labelled right, but {c.value} is not it"
    elif c.mistake == "too_few_digits":
        assert sig < 2, where
    elif c.mistake not in ("incomplete", "wrong_substituted_value"):
        assert not _agrees(c.value, true), f"{where}: labelled wrong, but {c.value} is the true value"


def test_the_corpus_covers_the_four_examples_and_both_labels() -> None:
    assert {f.spec for f in FILES} == set(SPECS)
    for part in SEQ_PARTS:
        labels = Counter(c.label for f in FILES if f.half == part for c in f.cases)
        assert labels["right"] >= 20 and labels["wrong"] >= 12, (part, labels)


# -- the checker ---------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def judged() -> tuple[tuple[str, str, Case, AnswerResult], ...]:
    out = []
    for f in FILES:
        results = check_model(load_model(f.spec_path), parse_answers(f.as_answers(), f.name), limit=600)
        out += [(f.half, f.name, c, r) for c, r in zip(f.cases, results.answers, strict=True)]
    return tuple(out)


def table(part: str) -> str:
    counts = Counter((c.label, r.verdict) for h, _, c, r in judged() if h == part)
    verdicts = ("correct", "incorrect", "unparseable", "refused")
    lines = [f"{part}: {sum(counts.values())} answers", f"{'label':<8}" + "".join(f"{v:>13}" for v in verdicts)]
    lines += [f"{label:<8}" + "".join(f"{counts[(label, v)]:>13}" for v in verdicts) for label in ("right", "wrong")]
    return "\n".join(lines)


#: per part: the least fraction of right answers judged correct (measured 2026-12-03: seq 32/45, seq_measure 25/32;
#: before the time-step reading, 15/45 and 11/32; raise it, never lower it)
FLOOR = {"seq": 0.71, "seq_measure": 0.78}


def test_no_wrong_answer_is_accepted_and_the_floor_of_right_ones(capsys: pytest.CaptureFixture) -> None:
    with capsys.disabled():
        print("\n" + "\n\n".join(table(p) for p in SEQ_PARTS))
    for part, floor in FLOOR.items():
        rows = [(name, c, r) for h, name, c, r in judged() if h == part]
        accepted = [(name, c.id) for name, c, r in rows if not c.right and r.verdict == "correct"]
        assert not accepted, (part, accepted if part == "seq" else len(accepted))
        right = [r for _, c, r in rows if c.right]
        correct = sum(r.verdict == "correct" for r in right)
        assert correct >= floor * len(right), (part, correct, len(right))
