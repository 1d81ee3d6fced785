r"""symbackprop.check.parse: LaTeX derivations -> chains of SymPy expressions over raw names.

Every expectation is written by hand: the expected expression is built with SymPy from fresh symbols
(`N("w", "5")`, `P(E, w5)`), and the parsed expression is compared after mapping each registered
symbol to the fresh symbol of its RawName / RawPartial. The seed formulas are copied verbatim from
the lecture notes in ../shared/seeds (000: the In/Out split block, 002: \text{Error} and prediction,
003: net/out with f and f', 004: E_{total}, w5, markdown $$ blocks).
"""

from __future__ import annotations

import random
import time

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symbackprop.check import Chain, Element, Parsed, ParseError, RawName, RawPartial, Refused, parse

# ----------------------------------------------------------------------------------------- helpers


def N(base: str, sub: str = "", sup: str = "") -> sp.Symbol:
    """The fresh symbol standing for a raw name in the expectations."""
    return sp.Symbol(f"N[{base}|{sub}|{sup}]")


def P(of: sp.Symbol, wrt: sp.Symbol) -> sp.Symbol:
    """The fresh symbol standing for ∂of/∂wrt (of, wrt made by N)."""
    return sp.Symbol(f"P[{of.name}/{wrt.name}]")


def fresh(raw: RawName | RawPartial) -> sp.Symbol:
    if isinstance(raw, RawPartial):
        return P(fresh(raw.of), fresh(raw.wrt))
    return N(raw.base, raw.sub, raw.sup)


def canon(parsed: Parsed, expr: sp.Expr) -> sp.Expr:
    """expr with every registered symbol replaced by the fresh symbol of how it was written."""
    assert expr.atoms(sp.Symbol) <= set(parsed.names), "a symbol is missing from Parsed.names"
    return expr.xreplace({s: fresh(raw) for s, raw in parsed.names.items()})


def same(a: sp.Expr, b: sp.Expr) -> bool:
    return a == b or sp.expand(a - b) == 0


def chain(text: str) -> tuple[Parsed, Chain]:
    parsed = parse(text)
    assert len(parsed.chains) == 1, [c.text for c in parsed.chains]
    return parsed, parsed.chains[0]


def expr(text: str) -> sp.Expr:
    """The one element of a one-element answer, canonicalised."""
    parsed, c = chain(text)
    assert len(c.elements) == 1, c.relations
    return canon(parsed, c.elements[0].expr)


def exprs(text: str) -> list[list[sp.Expr]]:
    parsed = parse(text)
    return [[canon(parsed, e.expr) for e in c.elements] for c in parsed.chains]


def error(text: str, **kw: object) -> ParseError:
    with pytest.raises(ParseError) as info:
        parse(text, **kw)  # type: ignore[arg-type]
    return info.value


o1, y1, o2, y2, h1 = N("o", "1"), N("y", "1"), N("o", "2"), N("y", "2"), N("h", "1")
E, w5 = N("E"), N("w", "5")
sigma = sp.Function("sigma")


# ------------------------------------------------------------------------------- the main example


def test_the_example_of_the_brief() -> None:
    text = (r"\frac{\partial E}{\partial w_5} = (o_1 - y_1)\, o_1 (1 - o_1)\, h_1"
            r" = 0.25 \times 0.48 \times 0.52 \times 0.56 = 0.03")
    parsed, c = chain(text)
    assert len(c.elements) == 4
    assert c.relations == ("=", "=", "=")
    e0, e1, e2, e3 = (canon(parsed, e.expr) for e in c.elements)
    assert e0 == P(E, w5)
    assert same(e1, (o1 - y1) * o1 * (1 - o1) * h1)
    assert e2 == sp.Rational(25, 100) * sp.Rational(48, 100) * sp.Rational(52, 100) * sp.Rational(56, 100)
    assert e3 == sp.Rational(3, 100)
    assert [e.literal for e in c.elements] == [None, None, None, "0.03"]
    assert [text[e.start:e.end] for e in c.elements] == [
        r"\frac{\partial E}{\partial w_5}", r"(o_1 - y_1)\, o_1 (1 - o_1)\, h_1",
        r"0.25 \times 0.48 \times 0.52 \times 0.56", "0.03"]
    assert c.text == text and (c.start, c.end) == (0, len(text))
    assert set(parsed.names.values()) == {
        RawPartial(RawName("E"), RawName("w", "5")), RawName("o", "1"), RawName("y", "1"), RawName("h", "1")}


def test_empty_answers_have_no_chains() -> None:
    for text in ["", "   ", "\n\n", "$$ $$", r"\begin{aligned} \end{aligned}", r"\text{where}", "$a$"[:0]]:
        assert parse(text).chains == ()


def test_public_types() -> None:
    parsed = parse("a = -0.0380982")
    assert isinstance(parsed, Parsed)
    (c,) = parsed.chains
    assert isinstance(c, Chain) and all(isinstance(e, Element) for e in c.elements)
    assert c.elements[1].literal == "-0.0380982"
    assert c.elements[1].expr == sp.Rational("-0.0380982")
    with pytest.raises(TypeError):
        parsed.names[sp.Symbol("x")] = RawName("x")  # type: ignore[index]


# ------------------------------------------------------------------------------------------ names


@pytest.mark.parametrize(("text", "raw"), [
    ("w_5", RawName("w", "5")), ("w_{5}", RawName("w", "5")), ("w5", RawName("w", "5")),
    ("out_{h1}", RawName("out", "h1")), ("out_{h_1}", RawName("out", "h1")), ("out_{h_{1}}", RawName("out", "h1")),
    ("out_{{h_1}}", RawName("out", "h1")), ("out_h1", RawName("out", "h1")), ("Out_{h_1}", RawName("Out", "h1")),
    (r"\text{out}_{h1}", RawName("out", "h1")), (r"\mathrm{out}_{h1}", RawName("out", "h1")),
    (r"\mathit{net}_{h1}", RawName("net", "h1")), (r"\operatorname{net}_{h1}", RawName("net", "h1")),
    (r"\delta_{o1}", RawName("delta", "o1")), (r"\delta_5", RawName("delta", "5")),
    (r"\delta_{o_1}", RawName("delta", "o1")), (r"\delta_{o^1}", RawName("delta", "o1")),
    ("E_{total}", RawName("E", "total")), (r"E_\text{total}", RawName("E", "total")),
    ("E_total", RawName("E", "total")),
    ("W^{(1)}_{12}", RawName("W", "12", "1")), ("W_{12}^{(1)}", RawName("W", "12", "1")),
    ("w_5^+", RawName("w", "5", "+")), ("w_5^{+}", RawName("w", "5", "+")), ("w_5^{new}", RawName("w", "5", "+")),
    ("w_5^{(new)}", RawName("w", "5", "+")), ("w^*", RawName("w", "", "*")), ("y^{(i)}", RawName("y", "", "i")),
    (r"\eta", RawName("eta")), (r"\alpha", RawName("alpha")), (r"\varphi", RawName("varphi")), ("η", RawName("eta")),
    (r"x_\alpha", RawName("x", "alpha")), ("Error", RawName("Error")), (r"\text{Error}", RawName("Error")),
    ("target_{o1}", RawName("target", "o1")), ("net_O", RawName("net", "O")), ("In_{o_{1}}", RawName("In", "o1")),
    (r"\Delta", RawName("Delta")), ("h'_1", RawName("h'", "1")), (r"\Phi'_j", RawName("Phi'", "j")),
    ("W_{ij}", RawName("W", "ij")), ("h_{w,b}", RawName("h", "w,b")), ("e", RawName("e")), ("f", RawName("f")),
    ("prediction", RawName("prediction")), (r"\text{prediction}", RawName("prediction")),
])
def test_name_aliases(text: str, raw: RawName) -> None:
    parsed, c = chain(text)
    (el,) = c.elements
    assert isinstance(el.expr, sp.Symbol)
    assert parsed.names[el.expr] == raw


def test_letter_runs_that_are_not_words_multiply() -> None:
    assert expr("ab") == N("a") * N("b")
    assert expr("hout") == N("h") * N("o") * N("u") * N("t")
    assert expr("ab1") == N("a") * N("b", "1")
    assert expr("i_1w_1") == N("i", "1") * N("w", "1")
    assert expr("w_5out_{h_1}") == w5 * N("out", "h1")


def test_same_name_written_differently_is_one_symbol() -> None:
    parsed = parse(r"E_{total} + E_\text{total} + E_total + w_5^{+} + w_5^{(new)} + w5")
    (el,) = parsed.chains[0].elements
    assert canon(parsed, el.expr) == 3 * N("E", "total") + 2 * N("w", "5", "+") + w5
    assert len(parsed.names) == 3


# -------------------------------------------------------------------------------------- partials


@pytest.mark.parametrize("text", [
    r"\frac{\partial E}{\partial w_5}", r"\partial E/\partial w_5", r"\frac{dE}{dw_5}", "dE/dw_5",
    r"\dfrac{\partial E}{\partial w_{5}}", r"\tfrac{\partial E}{\partial w5}", r"\frac{\mathrm{d}E}{\mathrm{d}w_5}",
    "∂E/∂w_5", r"\frac{\partial E}{\partial{w_5}}", r"\frac{\partial{E}}{\partial\,w_5}",
])
def test_partial_aliases(text: str) -> None:
    assert expr(text) == P(E, w5)


@pytest.mark.parametrize(("text", "of", "wrt"), [
    (r"\frac{\partial Error}{\partial o_{1}}", N("Error"), o1),
    (r"\frac{\partial E_{total}}{\partial out_{o1}}", N("E", "total"), N("out", "o1")),
    (r"\frac{\partial E}{\partial \mathit{net}_{h1}}", E, N("net", "h1")),
    (r"\frac{\partial \text{Error}}{\partial \text{prediction}}", N("Error"), N("prediction")),
    (r"\frac{\partial E}{\partial w_5^{+}}", E, N("w", "5", "+")),
])
def test_partials(text: str, of: sp.Symbol, wrt: sp.Symbol) -> None:
    assert expr(text) == P(of, wrt)


def test_slash_partial_binds_to_its_neighbours() -> None:
    assert expr(r"a \partial E/\partial w_5\, h_1") == N("a") * P(E, w5) * h1
    assert expr(r"-\partial E/\partial w_5") == -P(E, w5)
    assert expr(r"\frac{\partial E}{\partial w_5} \frac{\partial w_5}{\partial x}") == P(E, w5) * P(w5, N("x"))


def test_derivative_of_an_expression_is_unevaluated() -> None:
    e = expr(r"\frac{\partial(out_{h_1}w_5 + out_{h_2}w_6 + b_2)}{\partial w_5}")
    assert isinstance(e, sp.Derivative)
    assert e.doit() == N("out", "h1")
    e = expr(r"\frac{\partial \frac{1}{2}(prediction - actual)^2}{\partial prediction}")
    assert isinstance(e, sp.Derivative)
    assert same(e.doit(), N("prediction") - N("actual"))


@pytest.mark.parametrize(("text", "words"), [
    (r"\frac{\partial^2 E}{\partial w^2}", "higher-order"),
    (r"\frac{\partial E}{\partial w \partial v}", "mixed"),
    (r"\frac{\partial E}{\partial (a + b)}", "with respect to an expression"),
    (r"\frac{\partial}{\partial w} E", "operator forms"),
    (r"\frac{d}{dx} E", "operator forms"),
    (r"\partial E", r"\partial must be written"),
    (r"\frac{E}{\partial w}", "must start with \\partial"),
    (r"\frac{\partial^{\frac{1}{2}}(prediction - actual)^2}{\partial prediction}", "higher-order"),
])
def test_partial_errors(text: str, words: str) -> None:
    assert words in error(text).message


# ------------------------------------------------------------------------------------- functions


x, z, net = N("x"), N("z"), N("net")


@pytest.mark.parametrize(("text", "expected"), [
    (r"\sigma'(z)", sp.Function("sigma'")(z)), (r"\sigma^\prime(z)", sp.Function("sigma'")(z)),
    (r"\sigma^{\prime}(z)", sp.Function("sigma'")(z)), ("σ′(z)", sp.Function("sigma'")(z)),
    ("f'(net)", sp.Function("f'")(net)), ("f''(x)", sp.Function("f''")(x)), ("f(x)", sp.Function("f")(x)),
    ("g(x)", sp.Function("g")(x)), (r"\sigma(x)", sigma(x)), ("Sigmoid(In_{h_1})", sigma(N("In", "h1"))),
    ("sigmoid (x)", sigma(x)), (r"\text{sigmoid}(x)", sigma(x)), (r"\operatorname{sigmoid}(x)", sigma(x)),
    (r"\varphi(x)", sp.Function("phi")(x)), (r"\phi(x)", sp.Function("phi")(x)), (r"\Phi(x)", sp.Function("Phi")(x)),
    (r"\Phi \left( x \right)", sp.Function("Phi")(x)), ("f[x]", sp.Function("f")(x)),
    ("ReLU(x)", sp.Function("relu")(x)), (r"\text{ReLU}(x)", sp.Function("relu")(x)),
    ("relu(x)", sp.Function("relu")(x)),
    (r"\tanh(x)", sp.tanh(x)), (r"\exp(x)", sp.exp(x)), (r"\exp{x}", sp.exp(x)), (r"\exp{-x}", sp.exp(-x)),
    (r"\ln x", sp.log(x)), (r"\log(x)", sp.log(x)), (r"\ln x_1 y", sp.log(N("x", "1")) * N("y")),
    (r"\max(0, x)", sp.Max(0, x)), ("max(0, x)", sp.Max(0, x)),
    ("f(x)^2", sp.Function("f")(x) ** 2), (r"\sigma(z)(1 - \sigma(z))", sigma(z) * (1 - sigma(z))),
    ("f(net_O)(1 - f(net_O))", sp.Function("f")(N("net", "O")) * (1 - sp.Function("f")(N("net", "O")))),
])
def test_functions(text: str, expected: sp.Expr) -> None:
    assert same(expr(text), expected)


def test_other_names_before_a_bracket_multiply() -> None:
    assert same(expr("o_1(1-o_1)"), o1 * (1 - o1))
    assert expr("h(x)") == N("h") * x
    assert same(expr(r"\alpha(d-y)"), N("alpha") * (N("d") - N("y")))
    assert expr("h_{w,b}(x)") == N("h", "w,b") * x


def test_euler() -> None:
    assert expr("e^{-x}") == sp.exp(-x)
    assert expr("e^x") == sp.exp(x)
    assert expr(r"\mathrm{e}^{x}") == sp.exp(x)
    assert expr("e") == N("e")
    assert expr("e_1^2") == N("e", "1") ** 2
    assert same(expr(r"\frac{1}{1+e^{-net_{h1}}}"), 1 / (1 + sp.exp(-N("net", "h1"))))
    assert expr(r"\frac{1}{1 + e^{-0.3775}}") == 1 / (1 + sp.exp(-sp.Rational("0.3775")))


# ---------------------------------------------------------------------------- numbers, operators


@pytest.mark.parametrize(("text", "value"), [
    ("0.25", sp.Rational(1, 4)), (".5", sp.Rational(1, 2)), ("3", sp.Integer(3)),
    (r"1.2 \times 10^{-3}", sp.Rational(3, 2500)), (r"\frac{1}{2}", sp.Rational(1, 2)), (r"\frac12", sp.Rational(1, 2)),
    (r"\tfrac12", sp.Rational(1, 2)), (r"\dfrac{3}{4}", sp.Rational(3, 4)), (r"\sqrt{4}", sp.Integer(2)),
    (r"\sqrt[3]{8}", sp.Integer(2)), (r"2 \cdot 3 * 4 \times 5", sp.Integer(120)), ("6 / 3 / 2", sp.Integer(1)),
    (r"6 \div 3", sp.Integer(2)), ("2^{10}", sp.Integer(1024)), ("(-0.07)", sp.Rational(-7, 100)),
    (r"0.5 \times (0.48 - 0.23)^2 + 0.5 \times (0.53 - (-0.07))^2", sp.Rational(169, 800)),
])
def test_numbers_are_exact(text: str, value: sp.Expr) -> None:
    assert expr(text) == value


@pytest.mark.parametrize(("text", "literal"), [
    ("0.03", "0.03"), ("-0.0380982", "-0.0380982"), ("- 0.5", "-0.5"), ("+2", "+2"), ("(0.5)", None),
    ("0.5 + 0", None), ("x", None), (r"\frac{1}{2}", None),
])
def test_literal(text: str, literal: str | None) -> None:
    _, c = chain(f"y = {text}")
    assert c.elements[1].literal == literal


a, b, c_, d = N("a"), N("b"), N("c"), N("d")


@pytest.mark.parametrize(("text", "expected"), [
    ("a/bc", a / (b * c_)), ("a / b c", a / (b * c_)), ("-a b", -a * b), (r"a \times -b", -a * b),
    (r"\frac{a}{b}c", a * c_ / b), (r"a \cdot b + c", a * b + c_), ("a - b - c", a - b - c_), ("--a", a),
    (r"\left[ a + b \right] c", (a + b) * c_), (r"\{ a + b \} c", (a + b) * c_),
    (r"\big( a + b \bigr) c", (a + b) * c_),
    (r"\Big[ a - b \Big]", a - b), ("(a+b)^2", (a + b) ** 2), ("a^{b^{c}}", a ** (b ** c_)), ("x^2y", x**2 * N("y")),
    (r"a \, b \; c \! d", a * b * c_ * d), ("a~b", a * b), (r"\displaystyle a", a), ("2 a 3", 6 * a),
    ("a − b", a - b), ("a × b · c", a * b * c_),
])
def test_operators(text: str, expected: sp.Expr) -> None:
    assert same(expr(text), expected)


@pytest.mark.parametrize("text", ["2 3", r"0.85 \ 0.48", r"[2 \ 3]"])
def test_numbers_side_by_side_are_an_error(text: str) -> None:
    assert "two numbers side by side" in error(text).message


# ------------------------------------------------------------------------------------------ sums


def test_sum_expands_over_subscripts() -> None:
    assert same(expr(r"\frac{1}{2} \sum_{i=1}^{2} (o_i - y_i)^2"), ((o1 - y1) ** 2 + (o2 - y2) ** 2) / 2)
    assert same(expr(r"\sum_{j=1}^{3} W_{ij} x_j"),
                sum(N("W", f"i{j}") * N("x", str(j)) for j in (1, 2, 3)))
    assert expr(r"\sum_{i=1}^{3} i") == 6
    assert same(expr(r"\sum^{2}_{i=1} out_{o_i}"), N("out", "o1") + N("out", "o2"))
    assert same(expr(r"\sum_i^3 (h_i W_i)"), sum(N("h", str(k)) * N("W", str(k)) for k in (1, 2, 3)))
    assert same(expr(r"\sum_{i=1}^{2} y^{(i)}"), N("y", "", "1") + N("y", "", "2"))
    assert same(expr(r"\sum_{i=1}^{2} \frac{\partial E}{\partial o_i}"), P(E, o1) + P(E, o2))
    assert expr(r"\sum_{i=0}^{-1} x_i") == 0


def test_sum_body_runs_to_the_end_of_the_term() -> None:
    assert same(expr(r"\sum_{i=1}^{2} w_i x_i + b"), N("w", "1") * N("x", "1") + N("w", "2") * N("x", "2") + b)
    assert same(expr(r"\sum_{i=1}^{2} x_i \times y_i - b"), N("x", "1") * y1 + N("x", "2") * y2 - b)
    assert same(expr(r"2 \sum_{i=1}^{2} x_i"), 2 * (N("x", "1") + N("x", "2")))
    assert same(expr(r"f(\sum_{i=1}^{2} x_i) + 1"), sp.Function("f")(N("x", "1") + N("x", "2")) + 1)


def test_sum_templates_are_not_in_names() -> None:
    parsed = parse(r"Error = \frac{1}{2} \sum_{i=1}^{2} (o_i - y_i)^2")
    assert RawName("o", "i") not in set(parsed.names.values())
    assert {RawName("o", "1"), RawName("o", "2")} <= set(parsed.names.values())


@pytest.mark.parametrize(("text", "words"), [
    (r"\sum (x_i - y_i)^2", "needs an index"),
    (r"\sum_j^N x_j", "upper limit"),
    (r"\sum_{\alpha=1}^{2} x", "lower limit"),
])
def test_sum_errors(text: str, words: str) -> None:
    assert words in error(text).message


# ---------------------------------------------------------------------------------- lines, chains


def test_aligned_block_with_continuations() -> None:
    text = "\\begin{aligned}\n\\delta_{o1} &= \\frac{\\partial E}{\\partial net_{o1}} \\\\\n&= (out_{o1} - t_{o1})\n" \
           "\\, out_{o1}(1 - out_{o1}) \\\\\n&\\approx 0.138499\n\\end{aligned}"
    parsed, c = chain(text)
    assert c.relations == ("=", "=", "approx")
    e = [canon(parsed, el.expr) for el in c.elements]
    out, t = N("out", "o1"), N("t", "o1")
    assert e[0] == N("delta", "o1") and e[1] == P(E, N("net", "o1"))
    assert same(e[2], (out - t) * out * (1 - out))
    assert c.elements[3].literal == "0.138499"
    assert c.text == text[text.index("\\delta"):text.index("0.138499") + len("0.138499")]


@pytest.mark.parametrize("env", ["aligned", "align", "align*", "split", "gather", "gather*", "gathered",
                                 "equation", "equation*"])
def test_environments(env: str) -> None:
    assert exprs(f"\\begin{{{env}}} a &= b \\\\ &= c \\end{{{env}}}") == [[a, b, c_]]


def test_lines() -> None:
    assert exprs("a = b\nc = d") == [[a, b], [c_, d]]
    assert exprs(r"a = b \\ c = d") == [[a, b], [c_, d]]
    assert exprs("a = b\n\n\n= c.") == [[a, b, c_]]
    assert exprs("a = b +\nc") == [[a, b + c_]]
    assert exprs("a = b\n+ c") == [[a, b + c_]]
    assert exprs("a = b\n- c") == [[a, b], [-c_]]
    assert exprs("\\begin{aligned} a &= b \\\\ &\\quad - c \\end{aligned}") == [[a, b - c_]]
    assert exprs("(a +\n b) = c") == [[a + b, c_]]
    assert exprs("a = b,\nc = d.") == [[a, b], [c_, d]]
    assert exprs(r"\begin{align*} a &= b \\ &= c \\ d &= e \end{align*}") == [[a, b, c_], [d, N("e")]]


@pytest.mark.parametrize("text", [
    "$a = b$", "$$a = b$$", r"\[a = b\]", r"\(a = b\)", "$$\na = b\n$$", "  $a = b$.\n",
])
def test_math_wrappers(text: str) -> None:
    assert exprs(text) == [[a, b]]


def test_several_displays() -> None:
    assert exprs("$$a = 1$$\n$$b = 2$$") == [[a, 1], [b, 2]]
    assert exprs("$$E_{o1} = a$$\n\n$$= 0.25$$") == [[N("E", "o1"), a, sp.Rational(1, 4)]]


@pytest.mark.parametrize(("text", "expected"), [
    (r"a = b \qquad c = d", [[a, b], [c_, d]]),
    (r"a = b \quad c", [[a, b * c_]]),
    (r"a \quad b \quad c", [[a], [b], [c_]]),
    (r"a = b \quad = c", [[a, b, c_]]),
    (r"a = b \text{ where } c = d", [[a, b], [c_, d]]),
    (r"a = b, \quad c = d", [[a, b], [c_, d]]),
    (r"a = b; c = d", [[a, b], [c_, d]]),
    (r"a = b \Rightarrow c = d", [[a, b], [c_, d]]),
    (r"\text{即 } a = b", [[a, b]]),
    (r"a = b \quad \text{这即是从隐层到输出层的梯度计算}", [[a, b]]),
    (r"a = b \approx c \simeq d \doteq 1 ≈ 2", [[a, b, c_, d, 1, 2]]),
])
def test_separators(text: str, expected: list[list[sp.Expr]]) -> None:
    assert exprs(text) == expected


def test_relations() -> None:
    _, c = chain(r"a = b \approx c \simeq d \doteq e ≈ f")
    assert c.relations == ("=", "approx", "approx", "approx", "approx")


# --------------------------------------------------------------------------------- seed formulas


def test_seed000_split_block() -> None:
    text = (r"\begin{split} \delta_{1} &= \frac{\partial Error}{\partial w_{1}} = \frac{\partial Error}{\partial o_{1}}"
            r" \times \frac{\partial o_{1}}{\partial w_{1}} + \frac{\partial Error}{\partial o_{2}} \times"
            r" \frac{\partial o_{2}}{\partial w_{1}} \\ &= \frac{\partial Error}{\partial o_{1}} \times"
            r" \frac{\partial o_{1}}{\partial In_{o_{1}}} \times \frac{\partial In_{o_{1}}}{\partial h_{1}} \times"
            r" \frac{\partial h_{1}}{\partial In_{h_{1}}} \times \frac{\partial In_{h_{1}}}{\partial w_{1}} +"
            r" \frac{\partial Error}{\partial o_{2}} \times \frac{\partial o_{2}}{\partial In_{o_{2}}} \times"
            r" \frac{\partial In_{o_{2}}}{\partial h_{1}} \quad \frac{\partial h_{1}}{\partial In_{h_{1}}} \times"
            r" \frac{\partial In_{h_{1}}}{\partial w_{1}} \\ &= (\frac{\partial Error}{\partial o_{1}} \times"
            r" \frac{\partial o_{1}}{\partial In_{o_{1}}} \times \frac{\partial In_{o_{1}}}{\partial h_{1}} +"
            r" \frac{\partial Error}{\partial o_{2}} \times \frac{\partial o_{2}}{\partial In_{o_{2}}} \times"
            r" \frac{\partial In_{o_{2}}}{\partial h_{1}}) \times \frac{\partial h_{1}}{\partial In_{h_{1}}} \times"
            r" \frac{\partial In_{h_{1}}}{\partial w_{1}} \\ &= (\delta_{5} + \delta_{0}) \times"
            r" \frac{\partial h_{1}}{\partial In_{h_{1}}} \times \frac{\partial In_{h_{1}}}{\partial w_{1}}"
            r" \end{split}")
    parsed, c = chain(text)
    assert len(c.elements) == 6 and c.relations == ("=",) * 5
    e = [canon(parsed, el.expr) for el in c.elements]
    err, w1, o1_, o2_ = N("Error"), N("w", "1"), N("o", "1"), N("o", "2")
    in_o1, in_o2, in_h1 = N("In", "o1"), N("In", "o2"), N("In", "h1")
    assert e[0] == N("delta", "1") and e[1] == P(err, w1)
    assert same(e[2], P(err, o1_) * P(o1_, w1) + P(err, o2_) * P(o2_, w1))
    tail = P(h1, in_h1) * P(in_h1, w1)
    assert same(e[3], P(err, o1_) * P(o1_, in_o1) * P(in_o1, h1) * tail
                + P(err, o2_) * P(o2_, in_o2) * P(in_o2, h1) * tail)  # the \quad is a product
    assert same(e[4], e[3])
    assert same(e[5], (N("delta", "5") + N("delta", "0")) * tail)


@pytest.mark.parametrize(("text", "n_elements", "last"), [
    # seed 000
    (r"In_{h_1} = w_1 \times x_1 + w_3 \times x_2", 2, N("w", "1") * N("x", "1") + N("w", "3") * N("x", "2")),
    (r"h_1 = Out_{h_1} = Sigmoid(In_{h_1})", 3, sigma(N("In", "h1"))),
    (r"Error = \frac{1}{2} \sum_{i=1}^{2} (o_i - y_i)^2", 2, ((o1 - y1) ** 2 + (o2 - y2) ** 2) / 2),
    (r"h_1 = sigmoid (0.20 \times 0.50 + 0.50 \times 0.30) = 0.56", 3, sp.Rational(56, 100)),
    (r"o_1 = sigmoid (0.10 \times 0.56 + -0.30 \times 0.50) = 0.48", 3, sp.Rational(48, 100)),
    (r"\delta_{o^2} = \frac{\partial Error}{\partial o_2} = o_2 - (-0.07) = 0.60", 4, sp.Rational(6, 10)),
    (r"\delta_5 = \frac{\partial Error}{\partial w_5} = \frac{\partial Error}{\partial o_1} \times \frac{\partial o_1}"
     r"{\partial In_{o_1}} \times \frac{\partial In_{o_1}}{\partial w_5} = 0.25 \times 0.48 \times (1 - 0.48) \times"
     r" 0.56 = 0.03", 5, sp.Rational(3, 100)),
    # seed 001
    (r"\delta_{ij} = \frac{\partial y}{\partial W_{ij}^1} = \sum_{j=1}^3 \left(\frac{\partial y}{\partial h_j}"
     r" \frac{\partial h_j}{\partial W_{ij}^1} \right)", 3,
     sum(P(N("y"), N("h", str(j))) * P(N("h", str(j)), N("W", f"i{j}")) for j in (1, 2, 3))),
    # seed 002
    (r"\text{Error} = \frac{1}{2}(0.191 - 1.0)^2 = 0.327", 3, sp.Rational(327, 1000)),
    (r"- 2 \frac{1}{2} (\text{prediction} - \text{actual}) (i_1 w_3 + i_2 w_4) = (\text{prediction} -"
     r" \text{actual}) h_2 = \Delta h_2", 3, N("Delta") * N("h", "2")),
    (r"\Delta = 0.191 - 1.0 = -0.809", 3, sp.Rational(-809, 1000)),
    (r"W = w - \eta \frac{\partial \text{Error}}{\partial w}", 2, N("w") - N("eta") * P(N("Error"), N("w"))),
    # seed 003
    (r"f(x) = \frac{1}{1 + e^{-x}}", 2, 1 / (1 + sp.exp(-x))),
    (r"\frac{\partial out_O}{\partial net_O} = f'(net_O) = f(net_O)(1 - f(net_O)) = out_O(1 - out_O)", 4,
     N("out", "O") * (1 - N("out", "O"))),
    (r"\frac{\partial E}{\partial w_1} = -(target - out_O)out_O(1 - out_O)w_5out_{h_1}(1 - out_{h_1})i_1", 2,
     -(N("target") - N("out", "O")) * N("out", "O") * (1 - N("out", "O")) * w5 * N("out", "h1")
     * (1 - N("out", "h1")) * N("i", "1")),
    (r"w_1^+ = w_1 - \eta \frac{\partial E}{\partial w_1}", 2, N("w", "1") - N("eta") * P(E, N("w", "1"))),
    # seed 004
    (r"\frac{\partial E_{total}}{\partial w5} = \frac{\partial E_{total}}{\partial out_{o1}} * \frac{\partial"
     r" out_{o1}}{\partial net_{o1}} * \frac{\partial net_{o1}}{\partial w5}", 2,
     P(N("E", "total"), N("out", "o1")) * P(N("out", "o1"), N("net", "o1")) * P(N("net", "o1"), w5)),
    ("out_{o1} = \\frac{1}{1 + e^{-net_{o1}}} = \\frac{1}{1 + e^{1.105905967}} = 0.75136079", 4,
     sp.Rational("0.75136079")),
])
def test_seed_formulas(text: str, n_elements: int, last: sp.Expr) -> None:
    parsed, c = chain(text)
    assert len(c.elements) == n_elements
    assert same(canon(parsed, c.elements[-1].expr), last)


def test_seed004_markdown_block() -> None:
    text = ("$$\nnet_{h1} = w_1 * i_1 + w_2 * i_2 + b_1 * 1\\\\\n"
            "net_{h1} = 0.15 * 0.05 + 0.2 * 0.1 + 0.35 * 1 = 0.3775\n$$")
    e = exprs(text)
    assert len(e) == 2
    assert e[1][1] == sp.Rational("0.3775") == e[1][2]
    text = "$$\nE_{o1} = \\frac{1}{2}(target_{o1} - out_{o1})^2\n= \\frac{1}{2}(0.01 - 0.75136507)^2 = 0.274811083\n$$"
    (chain_,) = exprs(text)
    assert len(chain_) == 4


def test_seed002_list_of_partials_with_quad() -> None:
    text = (r"\frac{\partial Error}{\partial w_2} \quad \frac{\partial Error}{\partial w_3} \quad"
            r" \frac{\partial Error}{\partial w_4}")
    assert exprs(text) == [[P(N("Error"), N("w", str(k)))] for k in (2, 3, 4)]


@pytest.mark.parametrize("text", [
    r"\begin{bmatrix} w_5 \\ w_6 \end{bmatrix} = \begin{bmatrix} 0.14 \\ 0.15 \end{bmatrix}",
    r"h_1 = \Phi(x_1 W_{11} + x_2 W_{21} + \dots + x_n W_{n1})",
    r"\bar{h} = \Phi(h')",
    r"E_{total} = \sum \frac{1}{2}(target - output)^2",
    r"\langle 2, 3 \rangle",
])
def test_seed_formulas_we_cannot_check(text: str) -> None:
    error(text)


# ---------------------------------------------------------------------------------------- errors


def test_error_positions() -> None:
    e = error(r"a = b + cd \foo")
    assert e.message == r"unknown command \foo at line 1, column 12"
    assert (e.position, e.line, e.column) == (11, 1, 12)
    e = error(r"\frac{1}{")
    assert (e.position, e.line, e.column) == (8, 1, 9) and "never closed" in e.message
    e = error(r"\badcommand")
    assert (e.position, e.line, e.column) == (0, 1, 1) and r"\badcommand" in e.message
    e = error("a = (b + c))")
    assert (e.position, e.column) == (11, 12) and "')'" in e.message
    e = error("a = b\nc = d + \\oops")
    assert (e.position, e.line, e.column) == (14, 2, 9)
    e = error(r"\left( a \right]")
    assert e.position == 9
    e = error("a = b + ")
    assert e.position == 7 and "ends too early" in e.message  # right after the last token


@pytest.mark.parametrize(("text", "words"), [
    (r"\input{secret}", r"unknown command \input"), (r"\def\x{1}", r"unknown command \def"),
    (r"\write18{rm -rf}", r"unknown command \write"), ("a # b", "'#'"), ("a % b", "comments"),
    ("a $b$", "unexpected '$'"), ("$a$ b", "outside the math"), ("$a", "never closed"), (r"\pm 1", "±"),
    (r"a = \cdots", "ellipsis"), (r"\begin{cases} a \end{cases}", "unsupported environment cases"),
    (r"\begin{aligned} a \end{split}", "does not match"), ("a | b", "absolute"), ("其中 a", "prose"),
    ("= a", "missing expression before"), ("a =", "missing expression after"), ("a = = b", "between two relations"),
    (r"\left( a )", r"\left must be closed by \right"), (r"( a \right)", r"\right closes no \left"),
    (r"\max x", "needs brackets"), ("x^10", "in braces"), ("e^-x", "unexpected '-'"), (r"\sigma(x)_1", "only a power"),
    ("(a)_1", "subscript"), ("w_1_2", "double subscript"), ("(a, b)", "unexpected ','"), (r"a \\ b)", "')'"),
    (r"(a \\ b)", "not closed before"), (r"\text{a{b}}", r"\text{...} must contain plain text"), ("a.b", "'.'"),
    (r"\sqrt[0]{x}", "root of index 0"), (r"2^{1/0}", "not a finite number"), (r"\left. a \right|", "bracket"),
])
def test_errors(text: str, words: str) -> None:
    assert words in error(text).message


# ---------------------------------------------------------------------------------------- limits


def _refused_fast(text: str, **kw: object) -> Refused:
    start = time.perf_counter()
    with pytest.raises(Refused) as info:
        parse(text, **kw)  # type: ignore[arg-type]
    assert time.perf_counter() - start < 1.0
    return info.value


def test_refused_long_text() -> None:
    assert "longer than 20000" in _refused_fast("x" * 100_000).message
    _refused_fast("a + b", max_chars=3)


def test_refused_deep_nesting() -> None:
    _refused_fast("(" * 500 + "x" + ")" * 500)
    _refused_fast("{" * 500 + "x")  # refused before the missing braces are even noticed
    _refused_fast(r"\frac{" * 300 + "1" + "}{2}" * 300)
    assert parse("(" * 60 + "x" + ")" * 60).chains
    _refused_fast("(" * 11 + "x" + ")" * 11, max_depth=10)


@pytest.mark.parametrize("text", [
    "10^{10^{10}}", "2^{2^{2^{2^{2}}}}", "x^{1001}", "e^{-2000}", r"\exp(10^{4})", r"(1.23456789)^{999} \times 7^{999}",
    r"(\sqrt{10^{999}})^{1000}", " \\times ".join(["9^{999}"] * 30), "1" * 51, r"\sum_{i=1}^{101} x_i",
    r"\sum_{a=1}^{100}\sum_{b=1}^{100}\sum_{c=1}^{100} x_{abc}", r"\sum_{i=1}^{10^{9}} x_i",
])
def test_refused_big_numbers_and_sums(text: str) -> None:
    _refused_fast(text)


def test_refused_timeout() -> None:
    _refused_fast(" + ".join(["x_1 y_2"] * 2000), timeout=0.001)


def test_big_valid_input_is_fast() -> None:
    start = time.perf_counter()
    parse("+".join(["x"] * 9999))
    parse("\n".join(["a = b + c"] * 2000))
    assert time.perf_counter() - start < 2.5


# ------------------------------------------------------------------------------------- robustness

TOKENS = [r"\frac{", "}", "{", "(", ")", "[", "]", "^", "_", "0", "1", "2", "3.5", ".", "x", "w", "e", "d", "out",
          "net", r"\partial ", "=", r"\cdot ", r"\times ", r"\left(", r"\right)", "e^{", r"\sum_{i=1}^{2}", r"\sum",
          "+", "-", "/", " ", "\n", r"\\", "&", "$", "$$", r"\sigma", "f", "'", r"\prime", r"\text{out}",
          r"\text{ where }", r"\quad", ",", r"\sqrt", "[3]", r"\exp", r"\ln", r"\max", r"\approx", r"\begin{aligned}",
          r"\end{aligned}", r"\{", r"\}", "o_i", "y_i", "i", "10^{", "99", r"\tfrac", "^{+}", "^{(1)}", r"\mathrm{d}",
          r"\big(", r"\bigr)", r"\delta", "E_{total}", "w5", "h1", "%", "#", r"\foo", "*", r"\tanh", r"\Phi",
          r"\varphi", "ReLU", "Sigmoid", r"\,", ";", r"\Rightarrow", "9^{999}", r"\sum_{j=1}^{100}", r"\sum_i^3", "≈",
          "∂", r"\\[2pt]", r"\left[", r"\right]", r"\dfrac", "(-0.07)"]

VALID = [
    r"\frac{\partial E}{\partial w_5} = (o_1 - y_1)\, o_1 (1 - o_1)\, h_1 = 0.25 \times 0.48 \times 0.56 = 0.03",
    r"Error = \frac{1}{2} \sum_{i=1}^{2} (o_i - y_i)^2",
    r"out_{h1} = \frac{1}{1 + e^{-net_{h1}}} = \frac{1}{1 + e^{-0.3775}} = 0.593269992",
    r"\sigma'(z) = \sigma(z)(1-\sigma(z))",
    "\\begin{aligned} \\delta_{o1} &= \\frac{\\partial E}{\\partial net_{o1}} \\\\ &\\approx 0.138499 \\end{aligned}",
    r"W^{(1)}_{12} + w_5^{+} + \text{out}_{h1} + \sqrt[3]{x} + \max(0, x) + \left[ a \right]",
    r"\partial E/\partial w_5 = \frac{dE}{dw_5} = \frac{\partial (h_1 w_5)}{\partial h_1}",
    "$$a = b \\qquad c = d \\text{ where } e = f$$\n$$= g$$",
]


def _parse_safely(text: str) -> None:
    start = time.perf_counter()
    try:
        parse(text)
    except (ParseError, Refused):
        pass
    assert time.perf_counter() - start < 1.0, repr(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), max_size=40))
def test_random_token_soup_never_crashes(tokens: list[str]) -> None:
    _parse_safely("".join(tokens))


@st.composite
def _mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(VALID))
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(text)))
        j = min(len(text), i + draw(st.integers(0, 12)))
        op = draw(st.sampled_from(["delete", "duplicate", "insert"]))
        if op == "delete":
            text = text[:i] + text[j:]
        elif op == "duplicate":
            text = text[:i] + text[i:j] * 2 + text[j:]
        else:
            text = text[:i] + draw(st.sampled_from(TOKENS)) + text[i:]
    return text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutated())
def test_mutated_formulas_never_crash(text: str) -> None:
    _parse_safely(text)


def test_random_printable_garbage_never_crashes() -> None:
    rng = random.Random(1234)
    alphabet = [chr(c) for c in range(32, 127)] + ["\n", "∂", "≈", "σ", "−", "其"]
    for _ in range(300):
        _parse_safely("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 60))))
