"""render/tex.py: the Jinja2 environments and escaping. Text from a spec reaches TeX and Markdown only escaped: every
special character neutralised and nothing else changed (checked by reading the escapes back with a decoder
written here); templates use << >>, <% %>, [# #]; a language string is prose with its values as math; a decimal
column is as wide as its numbers; both languages have every string.

test_hostile_input.py asserts that escaped text has no bare special character and no control character; here the
stronger round trip (the escapes decode to the text, so nothing was lost or added), Markdown's escaping, and the
rest of the module.
"""

from __future__ import annotations

import re
import tomllib

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEED004
from symbackprop import Network
from symbackprop.errors import SpecError
from symbackprop.render.tex import (
    LANGUAGES,
    TEMPLATES,
    Markdown,
    Prose,
    TeX,
    decimal_column,
    describe,
    environment,
    escape_markdown,
    escape_tex,
    strings,
)

# every TeX escape and what it stands for (LaTeX's own names for the characters)
TEX_ESCAPES = {
    r"\textbackslash{}": "\\", r"\textasciicircum{}": "^", r"\textasciitilde{}": "~",
    r"\{": "{", r"\}": "}", r"\$": "$", r"\&": "&", r"\#": "#", r"\%": "%", r"\_": "_",
    r"$\delta$": "δ", r"$\partial$": "∂", r"$\approx$": "≈", r"$\to$": "→", r"$\Sigma$": "Σ", r"$\eta$": "η",
    r"$\sigma$": "σ", r"$\Phi$": "Φ", r"$-$": "−", r"$\times$": "×", r"$\cdot$": "·",
}
TEX_SPECIAL = set("\\{}$&#%_^~")
LINE_BREAKS = "\n\r\x85\u2028\u2029"
MD_SPECIAL = set("\\`*_{}[]<>#|$")


def decode(escaped: str, escapes: dict[str, str], special: set[str]) -> str:
    """Read the escapes back; a special character that is not part of an escape fails."""
    out, k = [], 0
    by_length = sorted(escapes, key=len, reverse=True)
    while k < len(escaped):
        match = next((e for e in by_length if escaped.startswith(e, k)), None)
        if match is not None:
            out.append(escapes[match])
            k += len(match)
            continue
        assert escaped[k] not in special, f"bare {escaped[k]!r} at {k} in {escaped!r}"
        out.append(escaped[k])
        k += 1
    return "".join(out)


def plain(text: str) -> str:
    """What escaping keeps of a text: control characters dropped (tab and line breaks are white space), then every
    run of white space with a line break in it one space (a blank line would end a paragraph in a \\title, a line
    break a % comment)."""
    kept = "".join(c for c in text if not (
        (ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f) and c not in "\t" + LINE_BREAKS))
    return re.sub(rf"\s*[{LINE_BREAKS}]\s*", " ", kept)


HOSTILE = st.sampled_from(["\\input{/etc/passwd}", "100%", "a\n\nb", "$x$", "^^5c", "}{", "#1", "~", "_", "&",
                           "δ∂≈→ΣησΦ−×·", "\x1b[2J", "\u2028", "\r\n", "\\\\", "{}"])
TEXT = st.lists(HOSTILE | st.text(max_size=15), max_size=6).map("".join)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_tex_escaping_loses_and_adds_nothing(text: str) -> None:
    out = escape_tex(text)
    assert isinstance(out, TeX)
    assert decode(out, TEX_ESCAPES, TEX_SPECIAL) == plain(text)
    assert not any(c in out for c in LINE_BREAKS) and not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", out)


@pytest.mark.parametrize(("text", "tex"), [
    ("50% & $5", r"50\% \& \$5"),
    ("a_b^c~d", r"a\_b\textasciicircum{}c\textasciitilde{}d"),
    ("\\section{x}", r"\textbackslash{}section\{x\}"),
    ("∂E/∂w ≈ 0.08", r"$\partial$E/$\partial$w $\approx$ 0.08"),
    ("line one\n\n  line two", "line one line two"),
    ("tab\there", "tab\there"),
    ("bell\x07", "bell"),
])
def test_tex_escaping_examples(text: str, tex: str) -> None:
    assert escape_tex(text) == tex


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_markdown_escaping_loses_and_adds_nothing(text: str) -> None:
    out = escape_markdown(text)
    assert isinstance(out, Markdown)
    assert decode(out, {f"\\{c}": c for c in MD_SPECIAL}, MD_SPECIAL) == plain(text)


# --- the environments -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["tex", "markdown"])
def test_the_delimiters_and_what_is_printed_as_is(kind: str) -> None:
    env = environment(kind)
    template = env.from_string("[# a comment #]<% for x in xs %><< x >>;<% endfor %><< none >>|<< n >>")
    text = template.render(xs=["50%", TeX(r"\frac{a}{b}")], none=None, n=3)
    escaped = r"50\%" if kind == "tex" else "50%"
    assert text == f"{escaped};\\frac{{a}}{{b}};|3"
    # {{ }} and {% %} are TeX, not Jinja
    assert env.from_string(r"\frac{{a}}{b} {% x %}").render() == r"\frac{{a}}{b} {% x %}"
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("<< missing >>").render()
    assert env.from_string("<< overlay(3) >>").render() == "<3>"


def test_markdown_keeps_its_own_markup_and_tex_math() -> None:
    env = environment("markdown")
    out = env.from_string("<< a >> << b >> << c >>").render(a=Markdown("**bold**"), b=TeX(r"$x_1$"), c="*not*")
    assert out == r"**bold** $x_1$ \*not\*"


@pytest.mark.parametrize("kind", ["tex", "markdown"])
def test_a_language_string_is_prose_with_its_values_as_math(kind: str) -> None:
    fill = environment(kind).filters["fill"]
    prose = environment(kind).filters["prose"]
    out = fill("the {q} of {w}: 100% {act}", q=r"\frac{\partial E}{\partial w_{5}}", w="w_{5}",
               act=prose("sigmoid_σ"))
    if kind == "tex":
        assert out == r"the $\frac{\partial E}{\partial w_{5}}$ of $w_{5}$: 100\% sigmoid\_$\sigma$"
        assert isinstance(out, TeX)
    else:
        assert out == r"the $\frac{\partial E}{\partial w_{5}}$ of $w_{5}$: 100% sigmoid\_σ"
        assert isinstance(out, Markdown)
    assert isinstance(prose("x"), Prose)
    assert prose(TeX(r"\textbf{x}")) == r"\textbf{x}"  # markup of ours stays as it is


@pytest.mark.parametrize(("cells", "column"), [
    (["0.5", "-12.25", "3"], "D{.}{.}{3.2}"),  # "-12": a sign and two digits before the point
    (["0.138499", "0.0821670"], "D{.}{.}{1.7}"),
    (["-0.5", "0.25"], "D{.}{.}{2.2}"),  # a minus sign takes a place
    ([], "D{.}{.}{1.1}"),
])
def test_a_decimal_column_is_as_wide_as_its_numbers(cells: list[str], column: str) -> None:
    assert decimal_column(cells) == column


# --- the language strings ------------------------------------------------------------------------------------

def keys(table: dict, prefix: str = "") -> set[str]:
    out = set()
    for k, v in table.items():
        out.add(prefix + k)
        if isinstance(v, dict):
            out |= keys(v, f"{prefix}{k}.")
    return out


def test_both_languages_have_every_string() -> None:
    """A string missing from one language would be an error when a template asks for it (StrictUndefined)."""
    tables = {}
    for lang in LANGUAGES:
        with (TEMPLATES / "strings" / f"{lang}.toml").open("rb") as f:
            tables[lang] = tomllib.load(f)
    en, zh = keys(tables["en"]), keys(tables["zh"])
    assert en - zh == set() and zh - en == set()
    for lang in LANGUAGES:
        s = strings(lang)
        assert set(s.activations) >= {"sigmoid", "tanh", "relu", "softmax", "identity"}
        assert set(s.losses) == {"half_sse", "sse", "mse", "binary_cross_entropy", "categorical_cross_entropy"}


def test_the_chinese_strings_take_the_values_of_the_english_ones() -> None:
    """A translated string takes the values its English original takes, whatever their order ({article}, the
    English article of a word, has no Chinese counterpart): no Chinese string asks for a value the code, written
    with the English strings, would not give."""
    tables = {}
    for lang in LANGUAGES:
        with (TEMPLATES / "strings" / f"{lang}.toml").open("rb") as f:
            tables[lang] = tomllib.load(f)

    def walk(en: object, zh: object, where: str) -> None:
        if isinstance(en, dict) and isinstance(zh, dict):
            for k in en:
                walk(en[k], zh.get(k), f"{where}.{k}")
        elif isinstance(en, str) and isinstance(zh, str):
            assert set(re.findall(r"\{(\w+)\}", zh)) <= set(re.findall(r"\{(\w+)\}", en)), where

    walk(tables["en"], tables["zh"], "")


def test_an_unknown_language_is_one_error() -> None:
    with pytest.raises(SpecError) as err:
        strings("fr")
    assert err.value.key == "--lang" and "expected one of zh, en, got 'fr'" in str(err.value)


def test_the_network_in_one_line() -> None:
    """describe's docstring: seed 004 is "2 inputs → h (2, sigmoid σ) → o (2, sigmoid σ); loss squared error,
    learning rate 0.5" — the activations and the loss named as lectures name them."""
    net = Network.load(SEED004)
    assert describe(net, "en") == \
        "2 inputs → h (2, sigmoid σ) → o (2, sigmoid σ); loss squared error, learning rate 0.5"
    zh = describe(net, "zh")
    assert "平方误差" in zh and "0.5" in zh and zh.count("→") == 2
    symbolic = Network.from_dict({"inputs": ["x1"], "loss": "bce", "layers": [{"name": "o", "size": 1}]})
    assert describe(symbolic, "en").endswith("→ o (1, sigmoid σ); loss binary cross-entropy")  # no rate
