"""The answer reader's messages (ParseError and Refused from tokens, lex, rewrite, lines, tree, parse) in every
language of the catalogue: each error site names an entry of catalogue.READER with its parameters; `.message` is
the English text, `.say(lang)` the message in `lang`, and the checker reports it in the language asked."""

from __future__ import annotations

import copy
import pickle
import re
import string

import pytest

from conftest import ROOT, SEED004
from symbackprop import Network
from symbackprop.check.answers import parse_answers
from symbackprop.check.catalogue import LANGUAGES, READER, Entry, Phrase, say
from symbackprop.check.circuit_check import check_model
from symbackprop.check.parse import ParseError, Refused, parse
from symbackprop.check.run import AnswerResult, check_answers
from symbackprop.circuit import load_model

NET = Network.load(SEED004)
ADD = ROOT / "examples" / "graphs" / "cs231n_add_multiply.toml"
W5 = r"\frac{\partial E}{\partial w_5} = "  # 34 characters: what follows starts at column 35
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
#: READER entries whose message is their parameter alone (a hint, a Phrase in both languages)
VERBATIM = {"unsupported"}


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def run(answers: dict[str, str], lang: str) -> dict[str, AnswerResult]:
    data = {"answer": [{"id": k, "quantity": "dE/dw5", "latex": v} for k, v in answers.items()]}
    return {a.id: a for a in check_answers(NET, parse_answers(data, "s.toml"), lang=lang).answers}


def error(text: str, **options: object) -> ParseError | Refused:
    with pytest.raises((ParseError, Refused)) as info:
        parse(text, **options)  # type: ignore[arg-type]
    return info.value


# -- the checker speaks the language asked ------------------------------------------------------------------

#: id: (answer, verdict, line, column, what the message must show of the answer (a token, a name, a number))
BAD = {
    "unclosed brace": (r"\frac{1}{", "unparseable", 1, 9, "'{'"),
    "unknown environment": (W5 + r"\begin{foo} 1 \end{foo}", "unparseable", 1, 35, "foo"),
    "unsupported environment": (W5 + r"\begin{cases} 1 \end{cases}", "unparseable", 1, 35, "cases"),
    "unexpected token": (W5 + "0.5 + * 2", "unparseable", 1, 41, "'*'"),
    "second line": (W5 + "0.1\\\\\n = (0.5", "unparseable", 2, 4, "'('"),
    "a character": (W5 + "a # b", "unparseable", 1, 37, "#"),
    "a command's hint": (W5 + r"1 \pm 2", "unparseable", 1, 37, "±"),
    "too large exponent": (W5 + "2^{5000}", "refused", 1, 36, "1000"),
    "too large exponent written": (W5 + "1e5000", "refused", 1, 35, "1000"),
    "too deep": (W5 + "(" * 300 + "1" + ")" * 300, "refused", 1, 95, "60"),
}


def test_every_reader_error_is_in_chinese_with_its_position_and_token() -> None:
    en, zh = run({k: v[0] for k, v in BAD.items()}, "en"), run({k: v[0] for k, v in BAD.items()}, "zh")
    for key, (_, verdict, line, column, shown) in BAD.items():
        assert en[key].verdict == zh[key].verdict == verdict, (key, en[key].message)
        assert en[key].message.isascii() or shown in "±", (key, en[key].message)
        message = zh[key].message
        assert not message.isascii() and CJK.search(message), (key, message)
        assert f"第 {line} 行第 {column} 列" in message, (key, message)
        assert shown in message and shown in en[key].message, (key, message)
        assert f"line {line}, column {column}" in en[key].message, (key, en[key].message)
        assert "at line" not in message and ", column" not in message, (key, message)


def test_a_too_long_answer_is_refused_in_chinese() -> None:
    text = W5 + "1" * 30000
    assert run({"long": text}, "en")["long"].message == "the answer is longer than 20000 characters (30034)"
    assert run({"long": text}, "zh")["long"].message == "答案超过 20000 个字符（共 30034 个）"


def test_a_sum_without_limits_is_said_in_chinese() -> None:
    exc = error(r"\sum w_i")  # (the checker passes sum_range: through parse alone)
    assert isinstance(exc, ParseError) and exc.key == "sum_limits" and (exc.line, exc.column) == (1, 1)
    assert exc.message == r"\sum needs an index and integer limits, e.g. \sum_{i=1}^{2} at line 1, column 1"
    assert exc.say("en") == exc.message
    assert exc.say("zh") == r"\sum 需要求和下标和整数上下限，例如 \sum_{i=1}^{2}（第 1 行第 1 列）"


def test_english_is_the_text_of_before() -> None:
    """Literal messages of the checker before the catalogue had the reader's entries."""
    r = run({"brace": r"\frac{1}{", "token": W5 + "0.5 + * 2", "exponent": W5 + "2^{5000}"}, "en")
    assert r["brace"].message == "'{' is never closed at line 1, column 9"
    assert r["token"].message == "unexpected '*' at line 1, column 41"
    assert r["exponent"].message == "an exponent larger than 1000 in absolute value (line 1, column 36)"
    env = run({"env": W5 + r"\begin{cases} 1 \end{cases}"}, "en")["env"].message
    assert env == "unsupported environment cases: cases cannot be checked: write each case as its own equation " \
                  "at line 1, column 35"


def test_a_graph_specs_unparseable_answer_is_in_chinese() -> None:
    data = {"answer": [{"id": "a", "quantity": "df/dx", "latex": r"\frac{\partial f}{\partial x} = (1"}]}
    for lang in LANGUAGES:
        (a,) = check_model(load_model(ADD), parse_answers(data, "t.toml"), lang=lang).answers
        assert a.verdict == "unparseable"
        assert ("没有闭合" in a.message) == (lang == "zh") and "'('" in a.message, a.message
        assert a.message.isascii() == (lang == "en")


# -- every error names an entry, and every entry formats ------------------------------------------------------

#: bad answers that raise (nearly) every error of the reader; each must name an entry of READER
RAISING = [
    r"\frac{1}{", r"\begin{cases} 1 \end{cases}", r"\begin{foo} 1 \end{foo}", "0.5 + * 2", r"\sum w_i", "1" * 30000,
    "2^{5000}", "1e5000", "a # b", "0.1\\\\\n = (0.5", r"1 \pm 2", "(" * 300 + "1" + ")" * 300, r"\sum_{i} x",
    r"\sum_{i=a}^{2} x", r"\sum_{i=1}^{b} x", "x $ y", "$x$ $", r"\end{aligned}", r"\begin{aligned} x \end{bmatrix}",
    r"\begin{aligned} x", "= x", "x = ", "x = = y", r"\foo x", r"\; x \@", "x_1_2", "x^1^2", r"\hat{}", r"\top",
    r"\max x", "a ... b", "a + |x", r"\left\mid x \right\mid",
    r"\left x", r"\left( x", r"( x \right)", "(x]", "x)", "x^12",
    "x^{1e5}", r"\underbrace{x}", r"\underbrace{x}_y", r"\intertext", r"\big\left(", r"\dot{x}", "a \x01 b", "a ü b",
    r"\begin{bmatrix}1 & 2\\ 3\end{bmatrix}", r"\begin{bmatrix}1 = 2\end{bmatrix}", r"\partial",
    r"\frac{\partial}{\partial w}", r"\frac{\partial^2 E}{\partial w^2}", r"\frac{\partial E}{\partial w \partial v}",
    r"\hat{\hat{y}}", r"\hat{ab}", r"\sqrt[0]{2}", "2 3", r"\max(1)", r"\exp(1, 2)", r"\in", "1 +",
    r"\begin{bmatrix}1\\2\end{bmatrix} \begin{bmatrix}1\\2\end{bmatrix}",
    r"\begin{bmatrix}1\\2\end{bmatrix} + \begin{bmatrix}1&2\end{bmatrix}",
    r"\begin{bmatrix}1&1\\2&2\end{bmatrix}^2", r"\frac{1}{\begin{bmatrix}1\\2\end{bmatrix}}", r"\sigma^{-1}(x)",
    r"x = \begin{bmatrix}1\\2\end{bmatrix} = 3", r"\sum_{k \in \{1, 1\}} x_k", r"\sum_{i=1}^{500} x_i",
    r"\begin{bmatrix}" + "&".join("1" * 12) + r"\end{bmatrix}", "1" + "0" * 60, r"\partial^T",
    r"\frac{\partial}{\partial w}^2 E", "x ?", r"x \kern", "\\", r"a \to b (",
]


def test_every_error_of_the_reader_names_an_entry_and_is_said_in_every_language() -> None:
    keys = {e.key for e in READER}
    seen = set()
    for text in RAISING:
        exc = error(text)
        assert exc.key in keys, (text, exc.message)
        seen.add(exc.key)
        assert exc.say("en") == exc.message, text
        zh = exc.say("zh")
        assert zh != exc.message and CJK.search(zh), (text, zh)
        if isinstance(exc, ParseError):
            assert exc.message.endswith(f" at line {exc.line}, column {exc.column}"), exc.message
            assert zh.endswith(f"（第 {exc.line} 行第 {exc.column} 列）"), zh
    assert len(seen) >= 60, sorted(keys - seen)  # most entries are reached by the answers above


def test_an_error_without_a_key_says_its_message() -> None:
    assert ParseError("plain", 3, 1, 4).say("zh") == "plain"
    assert Refused("too big").say("zh") == "too big"
    assert Refused.of("sum_nodes", limit=5).message == "sums that expand to more than 5 expression nodes"
    assert Refused.of("sum_nodes", limit=5).say("zh") == "求和展开后超过 5 个表达式节点"


@pytest.mark.parametrize("entry", READER, ids=[e.key for e in READER])
def test_every_reader_entry_formats_with_its_placeholders(entry: Entry) -> None:
    assert fields(entry.en) == fields(entry.zh), entry.key
    params = {name: f"<{name}>" for name in fields(entry.en)}
    for lang in LANGUAGES:
        text = say(entry.key, lang, **params)
        assert all(v in text for v in params.values()), (entry.key, lang)
    if entry.key not in VERBATIM:
        assert entry.zh != entry.en and CJK.search(entry.zh), entry.key
    # a Phrase parameter is said in the language of the message
    phrased = {name: Phrase(f"<{name}>", f"《{name}》") for name in fields(entry.en)}
    assert say(entry.key, "en", **phrased) == entry.en.format(**params)
    assert say(entry.key, "zh", **phrased) == entry.zh.format(**{n: f"《{n}》" for n in phrased})


def test_a_phrase_is_its_english_text_and_survives_a_copy() -> None:
    p = Phrase("a number", "数")
    assert p == "a number" and str(p) == "a number" and f"{p}" == "a number" and p.zh == "数"
    for q in (copy.deepcopy(p), pickle.loads(pickle.dumps(p))):
        assert q == "a number" and q.zh == "数"


def test_every_key_named_at_an_error_site_is_an_entry() -> None:
    """The sites no answer above reaches (time limits, SymPy failures, node budgets): their keys, read from the
    reader's source (the first argument of `.error`, `._err`, `Refused.of`), are entries of READER."""
    import ast

    keys = {e.key for e in READER}
    named: set[str] = set()
    for module in ("tokens", "lex", "rewrite", "lines", "tree", "parse"):
        tree = ast.parse((ROOT / "symbackprop" / "check" / f"{module}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in ("error", "_err", "of") and node.args:
                first = node.args[0]
                options = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
                for option in options:
                    if isinstance(option, ast.Constant) and isinstance(option.value, str):
                        named.add(option.value)
                    else:  # (the helpers pass their own argument on)
                        assert isinstance(option, ast.Name) and option.id == "key", (module, ast.unparse(node))
    assert named <= keys, sorted(named - keys)
    assert keys - named == {"at_position"}, sorted(keys - named)  # every entry is used (the suffix by error())


@pytest.mark.parametrize(("spec", "quantity", "zh", "en"), [
    (SEED004, "dE/dw99", "不是网络的参数", "'w99' is not a parameter of the network"),
    (SEED004, "delta_q", "没有神经元 'q'", "no neuron 'q'"),
    (SEED004, "speed", "未知的量 'speed'；应为 dE/d<参数>", "unknown quantity 'speed'; expected dE/d<param>"),
    (ADD, "zzz", "未知的量 'zzz'", "unknown quantity 'zzz'"),
])
def test_an_answers_files_unknown_quantity_is_said_in_the_language_asked(tmp_path, capsys, spec, quantity, zh,
                                                                         en) -> None:
    """`check --lang zh`: the one line for an unusable answers file is in Chinese (still naming the file and the
    key), in English without --lang, exit status 2 both times."""
    from symbackprop.cli import main
    answers = tmp_path / "answers.toml"
    answers.write_text(f"[[answer]]\nid = 'a'\nquantity = '{quantity}'\nlatex = '1'\n", encoding="utf-8")
    for lang, said in (("zh", zh), ("en", en)):
        assert main(["check", str(spec), str(answers), "--lang", lang]) == 2
        err = capsys.readouterr().err
        assert said in err and "answers.toml" in err and "answer[0].quantity" in err, err
        assert bool(CJK.search(err)) == (lang == "zh"), err
