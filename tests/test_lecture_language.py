"""Text the reader sees is in the document's language (issue 12, "lectures a teacher projects unchanged"): no option
name of the spec (half_sse, leaky_relu, categorical_cross_entropy, \\mathrm{sigmoid}, …) on a slide, in the article
or in the Markdown; activations and losses by their names in Chinese or English; an English document of a spec with
a Chinese title gets an English title (title_en, or one generated from the network's shape) and the other way round
(title_zh).

The expected words are written out here (what a Chinese or English lecture calls these things), not read from the
language files the templates use."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES
from symbackprop import Network, derive
from symbackprop.errors import SpecError
from symbackprop.render.document import render
from symbackprop.render.text import derivation_text
from symbackprop.spec import ACTIVATIONS, LOSSES, parse_spec

LANGS = ("zh", "en")
FORMATS = ("beamer", "article", "markdown")
CJK = re.compile("[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")

# every option of the spec that is not an English word: snake_case names and abbreviations
RAW = sorted({o for o in (*ACTIVATIONS, *LOSSES) if "_" in o} | {"sse", "mse", "bce", "cce"})


def spec(activations: tuple[str, ...], loss: str, title: str | None = "x", **extra: Any) -> dict[str, Any]:
    layers = [{"name": f"h{k}" if k < len(activations) - 1 else "y", "activation": a, "size": 2}
              for k, a in enumerate(activations)]
    for layer in layers:
        if layer["activation"] == "abstract":
            layer["function"] = "Phi"
    data: dict[str, Any] = {"learning_rate": 0.5, "loss": loss, "inputs": {"x1": 0.3, "x2": -0.2},
                            "targets": {"y1": 1, "y2": 0} if "entropy" in loss or loss in ("bce", "cce") else
                            {"y1": 0.4, "y2": 0.7},
                            "layers": layers, **extra}
    if title is not None:
        data["title"] = title
    return data


# every activation on a hidden layer and every loss once, besides the bundled examples
MIXED = [
    spec(("relu", "leaky_relu", "sigmoid"), "binary_cross_entropy"),
    spec(("softplus", "tanh", "softmax"), "categorical_cross_entropy"),
    spec(("linear", "identity"), "mse"),
    spec(("sigmoid", "identity"), "sse"),
    spec(("tanh", "softmax"), "cce"),
    spec(("sigmoid", "sigmoid"), "bce"),
]


def documents(data: dict[str, Any] | Path, lang: str) -> dict[str, str]:
    net = Network.load(data) if isinstance(data, Path) else Network.from_dict(data)
    d = derive(net)
    return {fmt: render(d, fmt, lang, figures=fmt != "markdown") for fmt in FORMATS}


CASES = [*EXAMPLES, *MIXED]
IDS = [p.stem for p in EXAMPLES] + [f"mixed{k}" for k in range(len(MIXED))]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("data", CASES, ids=IDS)
def test_no_raw_option_name_in_any_rendered_output(data: Any, lang: str) -> None:
    for fmt, text in documents(data, lang).items():
        for name in RAW:
            for written in (name, name.replace("_", r"\_")):
                assert not re.search(rf"(?<![A-Za-z\\]){re.escape(written)}(?![A-Za-z])", text), (fmt, written)
        assert not re.search(r"\\mathrm\{(" + "|".join(ACTIVATIONS) + r")\}", text), fmt
        assert "\\mathrm{" + "abstract" not in text


@pytest.mark.parametrize("data", CASES, ids=IDS)
def test_the_terminal_and_jupyter_outputs_name_no_raw_option_either(data: Any) -> None:
    net = Network.load(data) if isinstance(data, Path) else Network.from_dict(data)
    d = derive(net)
    for where, text in (("text", derivation_text(d)), ("jupyter", net._repr_markdown_())):
        for name in RAW:
            assert not re.search(rf"(?<![A-Za-z\\]){re.escape(name)}(?![A-Za-z])", text), (where, name)
        assert "abstract" not in text.split("\n", 3)[2 if where == "text" else 0], where


def prose(tex: str) -> str:
    """The text of a TeX document outside math, TikZ pictures and commands' names."""
    tex = re.sub(r"\\begin\{tikzpicture\}.*?\\end\{tikzpicture\}", " ", tex, flags=re.S)
    tex = re.sub(r"\\begin\{aligned\}.*?\\end\{aligned\}", " ", tex, flags=re.S)
    tex = re.sub(r"\$[^$]*\$", " ", tex)
    tex = re.sub(r"\\[A-Za-z]+", " ", tex)
    return tex.split(r"begin{document}", 1)[-1]


ENGLISH_NAMES = ("sigmoid", "identity", "linear", "abstract", "squared", "entropy", "neurons", "loss")


@pytest.mark.parametrize("data", CASES, ids=IDS)
def test_chinese_documents_name_things_in_chinese(data: Any) -> None:
    docs = documents(data, "zh")
    for fmt in ("beamer", "article"):
        words = set(re.findall(r"[A-Za-z]+", prose(docs[fmt])))
        assert not words & set(ENGLISH_NAMES), (fmt, words & set(ENGLISH_NAMES))


@pytest.mark.parametrize("data", CASES, ids=IDS)
def test_english_documents_have_no_chinese(data: Any) -> None:
    """Also the title of a spec whose title is Chinese (the bundled seeds)."""
    docs = documents(data, "en")
    for fmt in ("beamer", "article"):
        assert not CJK.search(docs[fmt]), (fmt, CJK.findall(docs[fmt])[:10])


SUMMARY = {  # (activations, loss) → the words a lecture in that language uses, in order
    "zh": [(MIXED[0], ["ReLU", "Leaky ReLU", "Sigmoid", "二元交叉熵"]),
           (MIXED[1], ["Softplus", "双曲正切", "Softmax", "交叉熵"]),
           (MIXED[2], ["恒等", "恒等", "均方误差"]),
           (MIXED[3], ["Sigmoid", "恒等", "误差平方和"])],
    "en": [(MIXED[0], ["ReLU", "leaky ReLU", "sigmoid", "binary cross-entropy"]),
           (MIXED[1], ["softplus", "tanh", "softmax", "cross-entropy"]),
           (MIXED[2], ["identity", "identity", "mean squared error"]),
           (MIXED[3], ["sigmoid", "identity", "sum of squared errors"])],
}


@pytest.mark.parametrize("lang", LANGS)
def test_the_summary_names_activations_and_losses_in_the_language(lang: str) -> None:
    for data, words in SUMMARY[lang]:
        tex = documents(data, lang)["beamer"]
        summary = tex.split(r"\titlepage", 1)[1].split(r"\end{frame}", 1)[0]
        at = 0
        for word in words:
            found = summary.find(word, at)
            assert found >= 0, (word, summary)
            at = found + len(word)


def test_an_abstract_activation_is_named_with_its_symbol() -> None:
    data = spec(("abstract", "identity"), "half_sse", title=None)
    data["inputs"] = ["x1", "x2"]
    data["targets"] = ["t1", "t2"]
    del data["learning_rate"]
    named = {"zh": ["未指定的激活函数 $\\Phi$", "平方误差"], "en": ["activation $\\Phi$", "squared error"]}
    for lang, words in named.items():
        tex = documents(data, lang)["beamer"]
        summary = tex.split(r"\titlepage", 1)[1].split(r"\end{frame}", 1)[0]
        assert all(w in summary for w in words), summary


def test_one_neuron_and_one_input_are_singular_in_english() -> None:
    data = {"inputs": {"x1": 0.5}, "targets": {"y": 1}, "learning_rate": 0.1,
            "layers": [{"name": "h", "activation": "tanh", "size": 2},
                       {"name": "y", "neurons": ["y"], "activation": "sigmoid"}]}
    tex = documents(data, "en")["beamer"]
    summary = tex.split(r"\titlepage", 1)[1].split(r"\end{frame}", 1)[0]
    assert "$1$ input\n" in summary and "($1$ neuron, " in summary and "($2$ neurons, " in summary


# --- titles ----------------------------------------------------------------------------------------------------------

def title(data: dict[str, Any], lang: str, **options: Any) -> str:
    tex = render(derive(Network.from_dict(data)), "beamer", lang, **options)
    m = re.search(r"^\\title\{(.*)\}$", tex, re.M)
    assert m
    return m.group(1)


CHINESE = "反向传播：梯度计算"
SHAPE = spec(("sigmoid", "sigmoid"), "half_sse")  # 2 inputs, 2 hidden, 2 outputs


def test_an_english_deck_of_a_chinese_title_gets_an_english_one() -> None:
    data = {**SHAPE, "title": CHINESE}
    assert title(data, "zh") == CHINESE
    assert title(data, "en") == "Backpropagation on a 2-2-2 network"  # generated from the network
    assert title({**data, "title_en": "Gradients by hand"}, "en") == "Gradients by hand"
    assert title({**data, "title_en": "Gradients by hand"}, "zh") == CHINESE


def test_a_chinese_deck_of_an_english_title_gets_a_chinese_one() -> None:
    data = {**SHAPE, "title": "Gradients by hand"}
    assert title(data, "en") == "Gradients by hand"
    assert CJK.search(title(data, "zh")) and "2-2-2" in title(data, "zh")
    assert title({**data, "title_zh": "手算梯度"}, "zh") == "手算梯度"
    assert title({**data, "title_zh": "手算梯度"}, "en") == "Gradients by hand"


def test_without_a_title_both_are_generated_and_the_command_line_title_wins() -> None:
    data = {k: v for k, v in SHAPE.items() if k != "title"}
    assert title(data, "en") == "Backpropagation on a 2-2-2 network"
    assert CJK.search(title(data, "zh"))
    wide = {**data, "inputs": {f"x{k}": 0.1 for k in range(1, 9)}}
    assert title(wide, "en") == "Backpropagation on an 8-2-2 network"
    for lang in LANGS:
        assert title({**data, "title": CHINESE, "title_en": "E"}, lang, title="Given") == "Given"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_bundled_example_has_a_title_in_both_languages(example: Path) -> None:
    """The examples whose title is Chinese carry title_en (and the English one title_zh): no generated title."""
    d = derive(Network.load(example))
    for lang in LANGS:
        tex = render(d, "beamer", lang)
        found = re.search(r"^\\title\{(.*)\}$", tex, re.M)
        generated = r"Backpropagation on an? [\d-]+ network|[\d-]+ 网络的反向传播"
        assert found and not re.fullmatch(generated, found.group(1))
        assert bool(CJK.search(found.group(1))) == (lang == "zh"), found.group(1)


def test_title_translations_are_validated_and_other_messages_kept() -> None:
    with pytest.raises(SpecError) as info:
        parse_spec({**SHAPE, "title_en": 3})
    assert info.value.key == "title_en" and "expected a string, got integer 3" in str(info.value)
    with pytest.raises(SpecError) as info:
        parse_spec({**SHAPE, "colour": 1})
    assert ("unknown key 'colour'; expected one of title, learning_rate, loss, inputs, targets, frozen, layers, "
            "params, samples, numbering, batch_loss, notation, display") in str(info.value)
    parsed = parse_spec({**SHAPE, "title_en": "A", "title_zh": "乙"})
    assert (parsed.title_en, parsed.title_zh) == ("A", "乙")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_terminal_text_follows_the_language(lang: str) -> None:
    """`derive --lang` and `train --lang`: every heading of the terminal text is in that language; the prose lines
    (not the formulas, which are the spec's names) of a Chinese text hold no English word, and an English one no
    Chinese character."""
    from symbackprop.render.text import training_text
    from symbackprop.train import train

    for example in EXAMPLES:
        net = Network.load(example)
        texts = [derivation_text(derive(net), lang=lang)]
        if net.is_numeric():
            texts.append(training_text(train(net, 2), lang))
        for text in texts:
            headings = [line for line in text.splitlines()[3:] if line and not line.startswith(" ")]
            assert headings, example
            for line in headings:
                words = re.sub(r"\S*[=∂δ_(){}\[\]^/]\S*", " ", line)  # formulas and names out
                if lang == "zh":
                    assert re.search(r"[\u4e00-\u9fff]", line), line
                    assert not re.search(r"\b(the|of|and|with|sample|error|layer|step|loss|gradients?)\b", words), line
                else:
                    assert not re.search(r"[\u4e00-\u9fff]", line), line
