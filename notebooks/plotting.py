"""The notebooks' plot of a training run: the loss, then one panel per layer with that layer's trainable parameters
over the steps, each curve named at its end in its colour (names of curves that end close together are spread
apart, with a thin line to their curve), so that no legend covers a curve and no two curves of a panel share a
colour."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np


def _spread(ends: list[float], gap: float) -> list[float]:
    """Label heights for curves ending at `ends`: each as near its curve's end as possible, at least `gap` apart."""
    order = np.argsort(ends)
    ys = np.array(ends, dtype=float)[order]
    for i in range(1, len(ys)):  # push up what is too close to the one below
        ys[i] = max(ys[i], ys[i - 1] + gap)
    shift = (ys - np.array(ends, dtype=float)[order]).mean()  # then centre the group on the ends again
    ys -= shift
    for i in range(1, len(ys)):
        ys[i] = max(ys[i], ys[i - 1] + gap)
    out = np.empty_like(ys)
    out[order] = ys
    return out.tolist()


def plot_training(run: Any, title: str = "", log: bool | None = None) -> Any:
    """The loss per step (log scale when it spans more than two decades, or as `log` says) and each layer's
    parameters. Frozen parameters are left out (they do not move) and named in the panel's title."""
    net = run.network
    layers = [[*(w for row in layer.weights for w in row), *(b for b in dict.fromkeys(layer.biases) if b is not None)]
              for layer in net.layers]
    fig, axes = plt.subplots(1, 1 + len(layers), figsize=(4.6 * (1 + len(layers)), 3.8))
    steps = np.arange(len(run.losses))
    axes[0].plot(steps, run.losses, color="C0")
    losses = np.array(run.losses)
    if log if log is not None else losses.max() > 100 * max(losses.min(), 1e-300):
        axes[0].set_yscale("log")
    axes[0].set(xlabel="step", ylabel="loss", title="Loss per step")
    for k, (ax, params) in enumerate(zip(axes[1:], layers, strict=True)):
        moving = [p for p in dict.fromkeys(params) if p not in net.frozen]
        frozen = [p.name for p in dict.fromkeys(params) if p in net.frozen]
        for j, p in enumerate(moving):
            ax.plot(steps, run.history[p.name], color=f"C{j % 10}", ls="-" if j < 10 else "--")
        low, high = ax.get_ylim()
        ends = [run.history[p.name][-1] for p in moving]
        for j, (p, end, y) in enumerate(zip(moving, ends, _spread(ends, 0.06 * (high - low)), strict=True)):
            ax.annotate(p.name, (steps[-1], end), xytext=(steps[-1] * 1.06, y), textcoords="data", va="center",
                        fontsize=8, color=f"C{j % 10}", arrowprops={"arrowstyle": "-", "color": f"C{j % 10}",
                                                                     "lw": 0.6, "shrinkA": 0, "shrinkB": 0})
        ax.set_xlim(0, steps[-1] * 1.2)  # room for the names
        ax.set(xlabel="step", title=f"Layer {k + 1}" + (f" ({', '.join(frozen)} frozen)" if frozen else ""))
    axes[1].set_ylabel("value")
    for ax in axes:
        ax.grid(alpha=0.3)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
