"""The real-data notebook (notebooks/digits.ipynb): its accuracy, losses and gradients recomputed here with a
forward and backward pass written in NumPy, on the same scikit-learn split; its PyTorch comparison where PyTorch
is installed."""

from __future__ import annotations

import importlib.util
from fractions import Fraction

import numpy as np
import pytest
from test_notebooks import Executed, executed

pytestmark = pytest.mark.notebook


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _backprop(theta: np.ndarray, at: list[np.ndarray], x: np.ndarray, labels: np.ndarray
              ) -> tuple[float, np.ndarray, np.ndarray]:
    """Mean cross-entropy of softmax(W2 σ(W1 x + b1) + b2), its gradient (in θ's positions) and the outputs."""
    w1, b1, w2, b2 = (theta[a] for a in at)
    hidden = _sigmoid(x @ w1.T + b1)
    z = hidden @ w2.T + b2
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    n = len(labels)
    loss = float(-np.log(p[np.arange(n), labels]).mean())
    dz = (p - np.eye(10)[labels]) / n  # ∂E/∂net of the outputs (softmax with cross-entropy)
    dnet = (dz @ w2) * hidden * (1 - hidden)
    grad = np.zeros_like(theta)
    for a, g in zip(at, (dnet.T @ x, dnet.sum(axis=0), dz.T @ hidden, dz.sum(axis=0)), strict=True):
        grad[a] = g
    return loss, grad, p


@pytest.fixture(scope="module")
def run() -> Executed:
    pytest.importorskip("sklearn", reason="the digits notebook needs scikit-learn (pip install '.[notebook]')")
    return executed("digits")


@pytest.fixture(scope="module")
def data(run: Executed) -> tuple[np.ndarray, ...]:
    """The notebook's split, made again here from scikit-learn's digits with its seed."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    x, y = load_digits(return_X_y=True)
    assert run.values["DATA"] == "digits"
    return tuple(train_test_split(x / 16.0, y, test_size=0.2, random_state=run.values["SEED"], stratify=y))


def _positions(run: Executed) -> list[np.ndarray]:
    w_at, b_at = (run.values[k] for k in ("W_AT", "B_AT"))
    return [np.array(w_at[0]), np.array(b_at[0]), np.array(w_at[1]), np.array(b_at[1])]


def test_held_out_accuracy(run: Executed, data: tuple[np.ndarray, ...]) -> None:
    x_train, x_test, y_train, y_test = data
    theta, at = np.array(run.values["theta"]), _positions(run)
    _, _, p = _backprop(theta, at, x_test, y_test)
    accuracy = float(np.mean(p.argmax(axis=1) == y_test))
    assert accuracy >= 0.90, "the issue's bar: at least 90 % of the held-out digits"
    assert accuracy == pytest.approx(run.values["held_out_accuracy"], abs=1e-12)
    epochs = run.values["EPOCHS"]
    right = round(accuracy * len(y_test))
    assert f"held-out accuracy after {epochs} epochs: {accuracy:.1%} ({right} of {len(y_test)} images)" in run.text
    # the loss curves: the first and last points of both, from the NumPy pass
    theta0 = np.array(run.values["theta0"])
    for key, x, y in (("train_loss", x_train, y_train), ("test_loss", x_test, y_test)):
        curve = run.values[key]
        assert len(curve) == epochs + 1
        assert curve[0] == pytest.approx(_backprop(theta0, at, x, y)[0], rel=1e-12)
        assert curve[-1] == pytest.approx(_backprop(theta, at, x, y)[0], rel=1e-12)
    assert run.values["train_loss"][-1] < run.values["train_loss"][0] / 10


def test_one_batch_and_one_weight(run: Executed, data: tuple[np.ndarray, ...]) -> None:
    x_train, x_test, y_train, y_test = data
    at = _positions(run)
    batch = np.array(run.values["first_batch"])
    loss, grad, _ = _backprop(np.array(run.values["theta0"]), at, x_train[batch], y_train[batch])
    assert run.values["batch_loss"] == pytest.approx(loss, rel=1e-12)
    assert np.allclose(run.values["batch_grad"], grad, rtol=1e-9, atol=1e-14)
    # the derivation of one weight for one held-out image: the exact value, at the trained weights
    k, weight = run.values["k"], run.values["weight"]
    index = run.values["index"][weight]
    _, one, _ = _backprop(np.array(run.values["theta"]), at, x_test[[k]], y_test[[k]])
    exact = run.number("exact_gradient")
    assert isinstance(exact, Fraction) and float(exact) == pytest.approx(one[index], rel=1e-9)
    assert f"∂E/∂{weight}: derivation {float(exact):.12g}, compiled" in run.text
    assert f"{float(exact):.6g}" in run.text  # the derivation's last line, to 6 digits
    # the output of the image's class: δ = out − 1 (softmax with cross-entropy, a one-hot target)
    w1, b1, w2, b2 = (np.array(run.values["theta"])[a] for a in at)
    z = w2 @ _sigmoid(w1 @ x_test[k] + b1) + b2
    out = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    assert f"{out[y_test[k]] - 1:.6g}" in run.text


@pytest.mark.torch
def test_pytorch_comparison(run: Executed) -> None:
    if importlib.util.find_spec("torch") is None:
        pytest.skip("PyTorch is not installed: the notebook skips its comparison (pip install '.[torch]')")
    assert run.values["largest_gradient_difference"] < 1e-9
    assert run.values["trained_difference"] < 1e-9
    assert "PyTorch autograd, float64, one thread" in run.text
