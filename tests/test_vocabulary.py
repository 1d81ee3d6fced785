r"""symbackprop.check.vocabulary: the words of the notation, written once for every pass of the reader. Each list
is a promise about how parse() reads (its module docstring states the rules): a known word is one name, a Greek
command or character is the letter's name, a function name before a bracket is applied, a connective in \text is
prose, an environment holds lines or a matrix, an accent marks a name, a word for "new" or "old" marks a weight,
a layer's size bounds a \sum. Each is read back through parse() here."""

from __future__ import annotations

import pytest
import sympy as sp

from symbackprop.activations import WRITTEN
from symbackprop.check import vocabulary as V
from symbackprop.check.parse import ParseError, RawName, parse


def names(latex: str, **kw: object) -> list[RawName]:
    return list(parse(latex, **kw).names.values())  # type: ignore[arg-type]


def member(latex: str, **kw: object) -> sp.Expr:
    return parse(latex, **kw).chains[0].elements[0].expr  # type: ignore[arg-type]


@pytest.mark.parametrize("word", sorted(V.WORDS))
def test_a_known_word_is_one_name(word: str) -> None:
    assert names(f"{word} + 1") == [RawName(word)]


def test_any_other_letter_run_is_a_name_per_letter() -> None:
    assert sorted(r.base for r in names("hout")) == ["h", "o", "t", "u"]
    assert all(w in V.WORDS for w in WRITTEN if w not in V.GREEK)  # the activations' written names are words


@pytest.mark.parametrize("letter", sorted(V.GREEK))
def test_a_greek_command_is_the_letters_name(letter: str) -> None:
    assert names(f"\\{letter} + 1") == [RawName(letter)]


@pytest.mark.parametrize(("char", "letter"), sorted(V._GREEK_CHARS.items()))
def test_a_greek_character_is_its_commands_name(char: str, letter: str) -> None:
    assert names(f"{char} + 1") == [RawName(letter)]


_SYMPYS = {"tanh": sp.tanh, "exp": sp.exp, "log": sp.log}


@pytest.mark.parametrize(("written", "canonical"), sorted(V.FUNCTION_NAMES.items()))
def test_a_function_name_before_a_bracket_is_applied(written: str, canonical: str) -> None:
    command = written in V.GREEK or written in ("tanh", "exp", "ln", "log", "max")
    for form in ([f"\\{written}"] if command else []) + [rf"\operatorname{{{written}}}"]:
        e = member(rf"{form}(0, x)" if written == "max" else rf"{form}(x)")
        if canonical == "max":
            assert isinstance(e, sp.Max) and e.free_symbols and len(e.args) == 2, form
        elif canonical == "heaviside":
            assert isinstance(e, sp.Heaviside) and e.args[0].free_symbols, form
        elif canonical in _SYMPYS:
            assert e.func == _SYMPYS[canonical] and e.args[0].free_symbols, form
        else:
            assert e.func.__name__ == canonical and len(e.args) == 1, form


@pytest.mark.parametrize("written", sorted(w for w in V.FUNCTION_NAMES if w not in V.GREEK and len(w) > 1
                                           and w not in ("Heaviside",)))
def test_a_function_word_written_plainly_is_applied_too(written: str) -> None:
    e = member(f"{written}(0, x)" if written == "max" else f"{written}(x)")
    assert not isinstance(e, sp.Mul), e  # not letters multiplied


def test_heaviside_written_plainly_is_the_step() -> None:
    assert isinstance(member("Heaviside(x)"), sp.Heaviside)
    assert isinstance(member("Heavisidex"), sp.Mul)  # not a word of its own run into another: still letters


@pytest.mark.parametrize("word", sorted(V.CONNECTORS))
def test_a_connective_in_text_is_prose_between_two_chains(word: str) -> None:
    parsed = parse(rf"u_1 = u_2 \text{{{word}}} u_3 = u_4")
    assert len(parsed.chains) == 2 and RawName(word) not in parsed.names.values()


@pytest.mark.parametrize("env", sorted(V.ENVIRONMENTS))
def test_an_environment_holds_one_chain_per_line(env: str) -> None:
    arg = "{2}" if env.startswith("alignat") or env == "alignedat" else ""
    parsed = parse(rf"\begin{{{env}}}{arg} a &= b \\ c &= d \end{{{env}}}")
    assert [[str(parsed.names[e.expr]) for e in c.elements] for c in parsed.chains] == [["a", "b"], ["c", "d"]]


@pytest.mark.parametrize("env", sorted(V.MATRIX_ENVS))
def test_a_matrix_environment_is_a_matrix_read_entry_by_entry(env: str) -> None:
    parsed = parse(rf"\begin{{{env}}} a & b \\ c & d \end{{{env}}} = \begin{{{env}}} 1 & 2 \\ 3 & 4 \end{{{env}}}")
    assert [c.elements[1].expr for c in parsed.chains] == [1, 2, 3, 4]
    assert [c.elements[0].entry for c in parsed.chains] == [(0, 0), (0, 1), (1, 0), (1, 1)]


@pytest.mark.parametrize(("env", "hint"), sorted(V._ENV_HINTS.items()))
def test_an_environment_we_cannot_check_says_what_to_write(env: str, hint: str) -> None:
    with pytest.raises(ParseError) as info:
        parse(rf"\begin{{{env}}} a \end{{{env}}}")
    assert hint in info.value.message and env in info.value.message


@pytest.mark.parametrize(("command", "accent"), sorted(V.ACCENTS.items()))
def test_an_accent_marks_the_name(command: str, accent: str) -> None:
    assert names(rf"\{command}{{y}}_1") == [RawName("y", "1", accent=accent)]


@pytest.mark.parametrize("word", sorted(V.NEW_WORDS | V.OLD_WORDS))
def test_new_and_old_in_every_language(word: str) -> None:
    assert names(rf"w_6^{{\text{{{word}}}}}") == [RawName("w", "6", "+" if word in V.NEW_WORDS else "old")]
    assert not V.NEW_WORDS & V.OLD_WORDS


@pytest.mark.parametrize(("limit", "layer"), sorted(V.SIZE_NAMES.items()))
def test_a_layers_size_bounds_a_sum(limit: str, layer: str) -> None:
    sizes = {"inputs": 2, "hidden": 3, "outputs": 4}
    e = member(rf"\sum_{{i=1}}^{{{limit}}} x_i", sizes=sizes)
    assert sorted(map(str, e.free_symbols)) == sorted(f"x_{k}" for k in range(1, sizes[layer] + 1))


@pytest.mark.parametrize("index", sorted(V.SAMPLE_INDICES))
def test_a_sum_over_a_sample_index_runs_over_the_samples(index: str) -> None:
    # (as the judge parses: the outputs' range given too — see test_tree's xfail on sum_samples alone)
    parsed = parse(rf"\sum_{index} L^{{({index})}}", sum_samples=3, sum_range=2)
    assert sorted(str(r) for r in parsed.names.values()) == ["L^{1}", "L^{2}", "L^{3}"]  # sample k's sup "{k}"
    assert len(parsed.chains[0].elements[0].expr.args) == 3


def test_a_bare_sum_numbers_the_bases_it_knows() -> None:
    for base in sorted(V.SUM_BASES):
        e = member(rf"\sum ({base} - 1)", sum_range=2)
        assert len(e.free_symbols) == 2, base
