"""The command line as a user runs it: JSON contracts, text output, training, exit codes."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import pytest

from conftest import EXAMPLES, SEED003, SEED004


def derive_json(run_cli, path: Path | str) -> dict:
    return json.loads(run_cli("derive", path, "--format", "json", check=True).stdout)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_every_example_derives(run_cli, example, fmt):
    proc = run_cli("derive", example, "--format", fmt)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    if fmt == "json":
        data = json.loads(proc.stdout)
        for key in ("outputs", "loss", "gradients", "updated"):
            assert key in data
        spec_params = set(data["formulas"])
        assert set(data["gradients"]) == spec_params == set(data["updated"])
    else:
        assert "Gradients" in proc.stdout and "Update" in proc.stdout


def test_seed004_json_matches_the_published_example(run_cli):
    # The classic step-by-step example publishes these values (rounded to the digits shown).
    data = derive_json(run_cli, SEED004)
    assert data["outputs"]["o1"] == pytest.approx(0.75136507, abs=5e-9)
    assert data["outputs"]["o2"] == pytest.approx(0.772928465, abs=5e-10)
    assert data["loss"] == pytest.approx(0.298371109, abs=5e-10)
    assert data["gradients"]["w5"] == pytest.approx(0.082167041, abs=5e-10)
    assert data["updated"]["w5"] == pytest.approx(0.35891648, abs=5e-9)
    assert data["updated"]["w6"] == pytest.approx(0.408666186, abs=5e-10)
    assert data["updated"]["w7"] == pytest.approx(0.511301270, abs=5e-10)
    assert data["updated"]["w8"] == pytest.approx(0.561370121, abs=5e-10)
    assert data["updated"]["w1"] == pytest.approx(0.149780716, abs=5e-10)
    assert data["updated"]["w2"] == pytest.approx(0.19956143, abs=5e-9)
    assert data["updated"]["w3"] == pytest.approx(0.24975114, abs=5e-9)
    assert data["updated"]["w4"] == pytest.approx(0.29950229, abs=5e-9)
    # frozen biases keep their value, although their gradient is reported
    assert data["updated"]["b1"] == 0.35 and data["updated"]["b2"] == 0.60
    assert data["gradients"]["b1"] != 0
    assert all(isinstance(v, float) for v in data["gradients"].values())


def test_symbolic_spec_gives_formulas(run_cli):
    data = derive_json(run_cli, SEED003)
    assert data["numeric"] is False
    assert set(data["gradients"]) == {"w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2"}
    for formula in data["gradients"].values():
        assert isinstance(formula, str) and formula
    assert r"\mathit{target}" in data["gradients"]["w5"]
    assert isinstance(data["loss"], str)


def _spec(samples: list[tuple[dict, dict]], batch_loss: str = "sum") -> str:
    lines = ['learning_rate = 0.5', 'loss = "half_sse"', f'batch_loss = "{batch_loss}"', "",
             "[[layers]]", 'name = "h"', 'activation = "tanh"', 'weights = [["w1", "w2"], ["w3", "w4"]]',
             'bias = "b1"', "", "[[layers]]", 'name = "o"', 'activation = "sigmoid"', 'weights = [["w5", "w6"]]',
             "", "[params]", "w1 = 0.1", "w2 = -0.2", "w3 = 0.3", "w4 = 0.4", "w5 = -0.5", "w6 = 0.6", "b1 = 0.05", ""]
    for inputs, targets in samples:
        lines += ["[[samples]]", "inputs = { " + ", ".join(f"{k} = {v}" for k, v in inputs.items()) + " }",
                  "targets = { " + ", ".join(f"{k} = {v}" for k, v in targets.items()) + " }", ""]
    return "\n".join(lines)


def test_several_samples_sum_the_single_sample_gradients(run_cli, tmp_path):
    a = ({"x1": 0.5, "x2": -1.0}, {"o1": 0.2})
    b = ({"x1": 1.5, "x2": 0.25}, {"o1": 0.9})
    paths = {}
    for tag, samples in {"a": [a], "b": [b], "ab": [a, b]}.items():
        paths[tag] = tmp_path / f"{tag}.toml"
        paths[tag].write_text(_spec(samples))
    ja, jb, jab = (derive_json(run_cli, paths[t]) for t in ("a", "b", "ab"))
    # E = E_a + E_b, so every gradient is the sum (linearity of the derivative)
    for p in ja["gradients"]:
        assert jab["gradients"][p] == pytest.approx(ja["gradients"][p] + jb["gradients"][p], rel=1e-12)
    assert jab["loss"] == pytest.approx(ja["loss"] + jb["loss"], rel=1e-12)
    assert jab["outputs"]["o1"] == [pytest.approx(ja["outputs"]["o1"]), pytest.approx(jb["outputs"]["o1"])]
    mean = tmp_path / "mean.toml"
    mean.write_text(_spec([a, b], "mean"))
    jm = derive_json(run_cli, mean)
    for p in ja["gradients"]:
        assert jm["gradients"][p] == pytest.approx(jab["gradients"][p] / 2, rel=1e-12)


def test_train_json_contract_and_agreement_with_derive(run_cli):
    derived = derive_json(run_cli, SEED004)
    one = json.loads(run_cli("train", SEED004, "--steps", "1", "--format", "json", check=True).stdout)
    assert len(one["losses"]) == 2
    # float training and the exact derivation are two implementations: they must agree
    assert one["losses"][0] == pytest.approx(derived["loss"], rel=1e-12)
    assert one["losses"][1] == pytest.approx(derived["loss_after"], rel=1e-12)
    for p, v in derived["updated"].items():
        assert one["params"][p] == pytest.approx(v, rel=1e-12)

    many = json.loads(run_cli("train", SEED004, "--steps", "1000", check=True).stdout)
    losses = many["losses"]
    assert len(losses) == 1001
    assert all(later < earlier for earlier, later in itertools.pairwise(losses))
    assert losses[-1] < 0.01
    assert many["params"]["b1"] == 0.35 and many["params"]["b2"] == 0.6  # frozen
    assert set(many["outputs"]) == {"o1", "o2"}
    # the outputs reported are those of the final parameters: recompute them by hand
    p = many["params"]

    def sig(x: float) -> float:
        return 1 / (1 + math.exp(-x))

    h1 = sig(p["w1"] * 0.05 + p["w2"] * 0.10 + p["b1"])
    h2 = sig(p["w3"] * 0.05 + p["w4"] * 0.10 + p["b1"])
    assert many["outputs"]["o1"] == pytest.approx(sig(p["w5"] * h1 + p["w6"] * h2 + p["b2"]), rel=1e-12)


def test_train_text(run_cli):
    proc = run_cli("train", SEED004, "--steps", "5", "--format", "text", check=True)
    assert "before step 1" in proc.stdout and "after step 5" in proc.stdout


def test_train_refuses_symbolic_network(run_cli):
    proc = run_cli("train", SEED003, "--steps", "3")
    assert proc.returncode == 2
    assert "training needs numbers" in proc.stderr and "Traceback" not in proc.stderr


def test_text_shows_the_numbers_of_every_parameter(run_cli):
    out = run_cli("derive", SEED004, check=True).stdout
    assert "δ_h1 = ∂E_total/∂net_h1" in out
    assert "= (δ_o1 · w5 + δ_o2 · w7) · out_h1*(1 - out_h1)" in out
    # 0.0821670 is ∂E/∂w5 = 0.082167041 to 6 significant digits; the printed δ_o1 · out_h1 = 0.138499 · 0.593270
    # = 0.08216729... rounds to 0.0821673, so the honest sign before the result is ≈, not =
    assert "≈ 0.138499 · 0.593270\n" in out and "≈ 0.0821670\n" in out
    # 0.1385 · 0.5933 = 0.08217 (0.0821720 exactly) rounds to the true 0.0822 at four decimals: "="
    out4 = run_cli("derive", SEED004, "--decimals", "4", check=True).stdout
    assert "= 0.1385 · 0.5933\n" in out4 and "= 0.0822\n" in out4
    assert "w5⁺ = w5 - η · ∂E_total/∂w5" in out
    assert out.count("⁺ = ") == 10


def test_display_options(run_cli):
    out = run_cli("derive", SEED004, "--decimals", "2", check=True).stdout
    assert "= 0.08\n" in out  # ∂E/∂w5 = 0.0822 at two decimals
    out = run_cli("derive", SEED004, "--max-paths", "1", check=True).stdout
    assert "2 paths from the error: only the δ form is shown" in out


def test_output_file(run_cli, tmp_path):
    target = tmp_path / "d.json"
    proc = run_cli("derive", SEED004, "--format", "json", "-o", target, check=True)
    assert proc.stdout == ""
    assert json.loads(target.read_text())["loss"] == pytest.approx(0.298371109, abs=5e-10)


def test_usage_errors_exit_2(run_cli):
    assert run_cli().returncode == 2
    assert run_cli("derive").returncode == 2
    proc = run_cli("derive", "no/such/file.toml")
    assert proc.returncode == 2 and "no/such/file.toml: file not found" in proc.stderr
    proc = run_cli("derive", SEED004, "--digits", "0")
    assert proc.returncode == 2 and "--digits" in proc.stderr


def test_an_output_never_overwrites_an_input(run_cli, tmp_path):
    """-o naming the spec (or answers) file, or a Markdown file whose figure would land on the spec: refused,
    exit 2, the input unchanged."""
    spec = tmp_path / "net.toml"
    spec.write_text((SEED004).read_text(encoding="utf-8"), encoding="utf-8")
    before = spec.read_bytes()
    figure_spec = tmp_path / "lecture.svg"  # a spec named as the figure of lecture.md would be
    figure_spec.write_bytes(before)
    for args in (("render", spec, "-o", spec), ("derive", spec, "-o", spec), ("train", spec, "-o", spec),
                 ("render", figure_spec, "--format", "markdown", "-o", tmp_path / "lecture.md")):
        proc = run_cli(*args)
        assert proc.returncode == 2 and "refusing to write over an input" in proc.stderr, args
        assert "Traceback" not in proc.stderr
        assert spec.read_bytes() == before and figure_spec.read_bytes() == before


def test_markdown_to_a_file_puts_its_figure_beside_it(run_cli, tmp_path):
    out = tmp_path / "lecture.md"
    run_cli("render", SEED004, "--format", "markdown", "-o", out, check=True)
    assert "](lecture.svg)" in out.read_text(encoding="utf-8")
    import xml.etree.ElementTree as ET
    assert ET.parse(tmp_path / "lecture.svg").getroot().tag.endswith("svg")
