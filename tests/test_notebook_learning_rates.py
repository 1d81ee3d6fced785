"""The learning-rate notebook (notebooks/learning_rates.ipynb): its loss curves, its divergence, its paths over
the landscape and its stability bound, recomputed here by gradient descent written in NumPy for seed 002's
linear 2-2-1 network and by finite differences of that loss."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from test_notebooks import Executed, executed

pytestmark = pytest.mark.notebook

W0 = np.array([0.11, 0.21, 0.12, 0.08, 0.14, 0.15])  # seed 002: w1 … w6
I1, I2 = 2.0, 3.0


def loss(w: np.ndarray) -> float:
    out = (I1 * w[0] + I2 * w[1]) * w[4] + (I1 * w[2] + I2 * w[3]) * w[5]
    return 0.5 * (out - 1.0) ** 2


def gradient(w: np.ndarray) -> np.ndarray:
    h1, h2 = I1 * w[0] + I2 * w[1], I1 * w[2] + I2 * w[3]
    delta = h1 * w[4] + h2 * w[5] - 1.0
    return delta * np.array([I1 * w[4], I2 * w[4], I1 * w[5], I2 * w[5], h1, h2])


def descent(eta: float, steps: int, free: tuple[int, ...] = tuple(range(6))) -> tuple[list[float], np.ndarray]:
    """The losses before step 1 … after step `steps`, and the weights after each, only `free` ones moving."""
    w, mask = W0.copy(), np.isin(np.arange(6), free)
    losses, history = [loss(w)], [w.copy()]
    with np.errstate(all="ignore"):
        for _ in range(steps):
            w = w - eta * gradient(w) * mask
            losses.append(loss(w))
            history.append(w.copy())
    return losses, np.array(history)


@pytest.fixture(scope="module")
def run() -> Executed:
    return executed("learning_rates")


def test_loss_curves(run: Executed) -> None:
    curves = run.values["curves"]
    assert [float(k) for k in curves] == [0.01, 0.05, 0.2, 0.3, 0.6]
    for key, shown in curves.items():
        eta = float(key)
        losses, _ = descent(eta, len(shown) - 1)
        # compared as |out − 1| = √(2E): float64 computes it to about 1e-15 absolute, so a loss near 1e-30 has
        # few correct digits
        assert np.allclose(np.sqrt(2 * np.array(shown)), np.sqrt(2 * np.array(losses)), rtol=1e-6, atol=1e-13), key
        def shown(v: float) -> str:
            return f"{v:.3g}" if v >= 1e-16 else "below 1e-16"
        assert f"η = {eta:<4}  loss after 10 steps {shown(losses[10])}, after {len(losses) - 1} steps " \
               f"{shown(losses[-1])}" in run.text
    # what the text says of each
    assert 0.0157 < descent(0.01, 40)[0][-1] < 0.02 and run.values["STEPS"] == 40  # "has not yet reached 0.02"
    for eta in (0.05, 0.2):
        losses = descent(eta, 40)[0]
        assert losses[-1] < 1e-14 and all(b < a for a, b in itertools.pairwise(losses[:21]))
    assert descent(0.2, 40)[0][-1] < descent(0.05, 40)[0][-1]
    cycle = descent(0.3, 40)[0][-6:]  # a cycle between two values
    assert cycle[0] == pytest.approx(cycle[2], rel=1e-3) == pytest.approx(cycle[4], rel=1e-3)
    assert cycle[1] == pytest.approx(cycle[3], rel=1e-3) and abs(cycle[0] - cycle[1]) > 0.01
    # η = 0.6: the loss of step 16 is no longer finite, every one before it is
    losses = descent(0.6, 16)[0]
    assert all(np.isfinite(losses[:16])) and not np.isfinite(losses[16])
    assert run.values["diverged"] == {"0.6": 16} and "training diverged at step 16" in run.text


def test_landscape_paths_and_bound(run: Executed) -> None:
    for key, (w1, w5, losses) in run.values["paths"].items():
        ours, history = descent(float(key), 30, free=(0, 4))
        assert np.allclose(w1, history[:, 0], rtol=1e-9) and np.allclose(w5, history[:, 4], rtol=1e-9)
        assert np.allclose(losses, ours, rtol=1e-9)
    # the valley's curvature across it: the Hessian's largest eigenvalue at its flattest point, by finite
    # differences of the loss over (w1, w5)
    u = np.sqrt(2 * 0.928)
    point = W0.copy()
    point[0], point[4] = (u - 0.63) / 2, 0.928 / u
    assert loss(point) < 1e-20  # on the valley's floor
    h, hessian = 1e-4, np.zeros((2, 2))
    for a, i in enumerate((0, 4)):
        for b, j in enumerate((0, 4)):
            def at(di: float, dj: float, i: int = i, j: int = j) -> float:
                w = point.copy()
                w[i] += di
                w[j] += dj
                return loss(w)
            hessian[a, b] = (at(h, h) - at(h, -h) - at(-h, h) + at(-h, -h)) / (4 * h * h)
    flattest = float(np.linalg.eigvalsh(hessian).max())
    assert run.values["flattest"] == pytest.approx(flattest, rel=1e-6)
    assert run.values["critical"] == pytest.approx(2 / flattest, rel=1e-6)
    assert f"λ = {flattest:.3f}, 2/λ = {2 / flattest:.3f}" in run.text and "2/3.712 ≈ 0.539" in run.prose
    # no point of the valley is flatter (λ = 4·0.928²/u² + u² along it)
    us = np.linspace(0.3, 5, 2000)
    assert (4 * 0.928**2 / us**2 + us**2).min() >= flattest - 1e-9
    # 0.05 and 0.5 converge, 1.0 still jumps after 500 steps
    assert descent(0.5, 30, free=(0, 4))[0][-1] < 1e-5 and descent(0.05, 30, free=(0, 4))[0][-1] < 1e-4
    late = descent(1.0, 1000, free=(0, 4))[0][500:]
    # chaotic: float rounding decides the details, so the claim is the range ("bounces back up to 0.4")
    assert max(late) > 0.4 and run.values["late"][1] > 0.4 and "bounces back up to 0.4" in run.prose
