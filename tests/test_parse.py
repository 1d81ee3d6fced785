r"""symbackprop.check.parse: LaTeX derivations -> chains of SymPy expressions over raw names.

Every expectation is written by hand: the expected expression is built with SymPy from fresh symbols
(`N("w", "5")`, `P(E, w5)`), and the parsed expression is compared after mapping each registered
symbol to the fresh symbol of its RawName / RawPartial. The seed formulas are copied verbatim from
the lecture notes in ../shared/seeds (000: the In/Out split block, 002: \text{Error} and prediction,
003: net/out with f and f', 004: E_{total}, w5, markdown $$ blocks).
"""

from __future__ import annotations

import random

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symbackprop.check import Chain, Element, Parsed, ParseError, RawName, RawPartial, Refused, parse
from symbackprop.check.parse import Entry

# ----------------------------------------------------------------------------------------- helpers


def N(base: str, sub: str = "", sup: str = "", accent: str = "") -> sp.Symbol:
    """The fresh symbol standing for a raw name in the expectations."""
    return sp.Symbol(f"N[{base}|{sub}|{sup}]" + (f"[{accent}]" if accent else ""))


def P(of: sp.Symbol, wrt: sp.Symbol) -> sp.Symbol:
    """The fresh symbol standing for ∂of/∂wrt (of, wrt made by N)."""
    return sp.Symbol(f"P[{of.name}/{wrt.name}]")


def fresh(raw: RawName | RawPartial) -> sp.Symbol:
    if isinstance(raw, RawPartial):
        return P(fresh(raw.of), fresh(raw.wrt))
    return N(raw.base, raw.sub, raw.sup, raw.accent)


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
    ("0.5 + 0", None), ("x", None), (r"\frac{1}{3}", None), (r"-\tfrac{2427}{6250}", "-0.38832"),
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
    # a sum over a superscript runs over samples: the summed superscript is written as a sample's index [i]
    assert same(expr(r"\sum_{i=1}^{2} y^{(i)}"), N("y", "", "{1}") + N("y", "", "{2}"))
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


def test_unicode_scripts_and_fractions_read_as_latex() -> None:
    """Math typed without LaTeX (a blog's x², ½, w₅, out_h₁, e⁻¹·⁵) reads as the LaTeX it stands for."""
    def chain(text: str) -> list[str]:
        return [str(e.expr) for c in parse(text).chains for e in c.elements]
    assert chain("y = ½ x² + w₅ out_h₁ + e⁻¹·⁵") == chain(r"y = \tfrac{1}{2} x^{2} + w_{5} out_{h1} + e^{-1.5}")


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
    (r"\text{with } a = b: c = d", [[a, b], [c_, d]]),  # a colon after given values, as in prose
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
    r"h_1 = \Phi(x_1 W_{11} + x_2 W_{21} + \dots + x_n W_{n1})",
    r"E_{total} = \sum \frac{1}{2}(target - output)^2",  # without sum_range
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
    (r"a + \cdots", "ellipsis"), (r"\begin{cases} a \end{cases}", "unsupported environment cases"),
    (r"\begin{aligned} a \end{split}", "does not match"), ("a | b", "absolute"), ("a où b", "prose"),
    ("= a", "missing expression before"), ("a =", "missing expression after"), ("a = = b", "between two relations"),
    (r"\left( a )", r"\left must be closed by \right"), (r"( a \right)", r"\right closes no \left"),
    (r"\max x", "needs brackets"), ("x^10", "in braces"), ("e^-(x", "never closed"), (r"\sigma(x)_1", "only a power"),
    ("(a)_x", "subscript"), ("w_1_2", "double subscript"), ("(a, b)", "unexpected ','"), (r"a \\ b)", "')'"),
    (r"(a \\ b)", "not closed before"), (r"\text{a{b}}", r"\text{...} must contain plain text"), ("a.b", "'.'"),
    (r"\sqrt[0]{x}", "root of index 0"), (r"2^{1/0}", "not a finite number"), (r"\left( a \right|", "does not match"),
])
def test_errors(text: str, words: str) -> None:
    assert words in error(text).message


def test_an_evaluation_bar_with_no_point_is_the_expression() -> None:
    """\\left. … \\right| with nothing under the bar: evaluated where the network is, the expression itself (a bar
    after \\left( is a bracket that does not match; \\left| … \\right| an absolute value: see test_errors)."""
    chain = parse(r"\left. \frac{\partial E}{\partial w_5} \right| = 0.5").chains[0]
    assert [str(e.expr) for e in chain.elements] == ["∂E/∂w_5", "1/2"]


# ---------------------------------------------------------------------------------------- limits


def _refused_fast(text: str, **kw: object) -> Refused:
    """Refused by the parser's own limits (sizes, depth, its deadline): no clock is read in the test."""
    with pytest.raises(Refused) as info:
        parse(text, **kw)  # type: ignore[arg-type]
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


def test_big_valid_input_parses() -> None:
    """Large but valid input is read in full (linear: LALR, no backtracking). The deadline is the caller's and
    the machine may be loaded: it is lifted here, and test_refused_timeout checks the mechanism."""
    assert len(parse("+".join(["x"] * 9999), timeout=600).chains) == 1
    assert len(parse("\n".join(["a = b + c"] * 2000), timeout=600).chains) == 2000


# ------------------------------------------------------------------------ scientific notation


@pytest.mark.parametrize(("text", "literal"), [
    ("8.77e-3", "8.77e-3"), ("8.77E-03", "8.77e-3"), ("8.77e-03", "8.77e-3"), (r"8.77 \times 10^{-3}", "8.77e-3"),
    (r"8.77\cdot10^{-3}", "8.77e-3"), (r"8.77 \cdot 10^{-3}", "8.77e-3"), ("8.77 × 10^{-3}", "8.77e-3"),
    ("877e-5", "877e-5"), ("0.877E-2", "0.877e-2"), (r"87.7 \times 10^{-4}", "87.7e-4"),
    ("-8.77e-3", "-8.77e-3"), (r"+8.77 \cdot 10^{-3}", "+8.77e-3"), ("- 8.77e-3", "-8.77e-3"),
])
def test_scientific_notation_is_one_exact_number(text: str, literal: str) -> None:
    _, c = chain(f"y = {text}")
    sign = -1 if text.lstrip().startswith("-") else 1
    assert c.elements[1].expr == sign * sp.Rational(877, 100000)
    assert c.elements[1].literal == literal


@pytest.mark.parametrize(("text", "value", "literal"), [
    ("1e-4", sp.Rational(1, 10000), "1e-4"), ("1E+4", sp.Integer(10000), "1e4"), ("2e3", sp.Integer(2000), "2e3"),
    (r"-1.5 \cdot 10^{2}", sp.Integer(-150), "-1.5e2"), (r"1.2 \times 10^3", sp.Integer(1200), "1.2e3"),
    (r"3 \times 10^{+2}", sp.Integer(300), "3e2"), ("0.0821", sp.Rational(821, 10000), "0.0821"),
    ("0{,}25", sp.Rational(1, 4), "0.25"),
])
def test_scientific_literals(text: str, value: sp.Expr, literal: str) -> None:
    _, c = chain(f"y = {text}")
    assert c.elements[1].expr == value and c.elements[1].literal == literal


@pytest.mark.parametrize(("text", "expected"), [
    (r"0.5e^{-x}", sp.exp(-x) / 2), (r"2e^{x}", 2 * sp.exp(x)), ("2e - 3", 2 * N("e") - 3),
    (r"a / 8.77 \times 10^{-3}", a / sp.Rational(877, 100000)),  # one number, also after /
    (r"x^2 \times 10^3", 1000 * x**2),  # the 2 is the argument of ^, not a mantissa
    (r"\frac12 \times 10^3", sp.Integer(500)), (r"2 \times 10^{-3} x", x / 500),
    ("w1e-3", N("w", "1") * N("e") - 3), ("w_1e-3", N("w", "1") * N("e") - 3),  # TeX gives the 1 to w
    (r"8.77 \times 10", sp.Rational(877, 10)), (r"(8.77 \times 10^{-3})", sp.Rational(877, 100000)),
])
def test_scientific_notation_and_e(text: str, expected: sp.Expr) -> None:
    assert same(expr(text), expected)


def test_scientific_notation_limits() -> None:
    _, c = chain(r"y = (8.77 \times 10^{-3})")
    assert c.elements[1].literal is None
    assert "braces" in error(r"\frac{1}2e-3").message
    assert "exponent larger than 1000" in _refused_fast("1e2000").message
    _refused_fast(" + ".join(["1e999"] * 30))


# -------------------------------------------------------------------------------------- accents


@pytest.mark.parametrize(("text", "raw"), [
    (r"\hat{y}", RawName("y", accent="hat")), (r"\hat y_1", RawName("y", "1", accent="hat")),
    (r"\hat{y}_{1}", RawName("y", "1", accent="hat")), (r"\hat{y_1}", RawName("y", "1", accent="hat")),
    (r"\hat y1", RawName("y", "1", accent="hat")), (r"\bar{x}", RawName("x", accent="bar")),
    (r"\tilde{o}", RawName("o", accent="tilde")), (r"\widehat{y}", RawName("y", accent="hat")),
    (r"\widetilde{o}_1", RawName("o", "1", accent="tilde")), (r"\overline{x}", RawName("x", accent="bar")),
    (r"\vec{w}", RawName("w", accent="vec")), (r"\hat{\theta}_{j}", RawName("theta", "j", accent="hat")),
    (r"\hat{out}_{o1}", RawName("out", "o1", accent="hat")), (r"\hat{\text{out}}", RawName("out", accent="hat")),
    (r"\hat{y}^{(1)}", RawName("y", "", "1", accent="hat")), (r"\hat{y}'", RawName("y'", accent="hat")),
    (r"\bar{h}", RawName("h", accent="bar")),
])
def test_accents(text: str, raw: RawName) -> None:
    parsed, c = chain(text)
    (el,) = c.elements
    assert isinstance(el.expr, sp.Symbol)
    assert parsed.names[el.expr] == raw


def test_accent_in_str_and_default() -> None:
    assert str(RawName("y", "1", accent="hat")) == "hat(y)_1"
    assert str(RawName("y", "1")) == "y_1" and RawName("y").accent == ""
    assert RawName("y", accent="hat") != RawName("y")


def test_accented_names_in_expressions() -> None:
    yhat = N("y", accent="hat")
    assert same(expr(r"\hat{y}(1 - \hat{y})"), yhat * (1 - yhat))
    assert expr(r"\hat\sigma(z)") == N("sigma", accent="hat") * z  # never a function
    assert expr(r"\hat{e}^x") == N("e", accent="hat") ** x  # never Euler's number
    assert expr(r"\hat y z") == yhat * z
    assert expr(r"\frac{\partial E}{\partial \hat{y}_1}") == P(E, N("y", "1", accent="hat"))
    assert same(expr(r"\log \hat{y}"), sp.log(yhat))
    assert same(expr(r"\sum_{i=1}^{2} (\hat{y}_i - y_i)"),
                N("y", "1", accent="hat") + N("y", "2", accent="hat") - y1 - y2)
    parsed, c = chain(r"\bar{h} = \Phi(h')")  # seed 001
    assert [canon(parsed, e.expr) for e in c.elements] == [N("h", accent="bar"), sp.Function("Phi")(N("h'"))]


@pytest.mark.parametrize(("text", "words"), [
    (r"\hat{ab}", "one name"), (r"\hat{2}", "one name"), (r"\hat{\hat{y}}", "two accents"), (r"\hat{}", "empty"),
    (r"\hat{y + 1}", "one name"), (r"\dot{x}", r"accent \dot"), (r"\underline{x}", r"accent \underline"),
])
def test_accent_errors(text: str, words: str) -> None:
    assert words in error(text).message


def test_braced_names_take_scripts() -> None:
    assert expr("{W}_{12}") == N("W", "12")
    assert expr(r"\mathbf{W}_{12}") == N("W", "12")
    assert expr(r"\boldsymbol{\delta}^{(2)}_1") == N("delta", "1", "2")
    assert expr(r"\mathbf{x}") == N("x")
    assert expr(r"\mathcal{L}") == N("L")
    assert expr(r"\textbf{out}_{h1}") == N("out", "h1")
    assert same(expr(r"\mathbf{W} \mathbf{x} + \bm{b}"), N("W") * x + b)
    assert "subscript" in error("(W)_{x}").message
    # [(W^{(2)})^T δ^{(2)}]_1: an entry of a bracket, left for the resolver (which knows the layers' matrices)
    assert expr("(W)_{12}") == Entry(N("W"), 1, 2) and expr(r"\left[W x\right]_1") == Entry(N("W") * x, 1)


# ------------------------------------------------------------------------------------- relations


@pytest.mark.parametrize("rel", [":=", r"\coloneqq", r"\triangleq", r"\equiv", r"\stackrel{\text{def}}{=}",
                                 r"\overset{def}{=}", r"\stackrel{\Delta}{=}", "≡", "≔", "：="])
def test_definitions_are_equalities(rel: str) -> None:
    _, c = chain(f"a {rel} b")
    assert c.relations == ("=",)


@pytest.mark.parametrize("rel", [r"\leftarrow", r"\gets", r"\longleftarrow", "←"])
def test_assignment(rel: str) -> None:
    parsed, c = chain(rf"w_5 {rel} w_5 - \eta \frac{{\partial E}}{{\partial w_5}}")
    assert c.relations == ("assign",)
    assert [canon(parsed, e.expr) for e in c.elements] == [w5, w5 - N("eta") * P(E, w5)]


@pytest.mark.parametrize("sep", [r"\to", r"\rightarrow", r"\longrightarrow", r"\mapsto", r"\Rightarrow", "→", "⇒",
                                 r"\xrightarrow{W_i}", r"\Leftarrow"])
def test_arrows_start_a_new_chain(sep: str) -> None:
    assert exprs(f"a = b {sep} c = d") == [[a, b], [c_, d]]


def test_mixed_relations() -> None:
    _, c = chain(r"w^+ \gets w - \eta g = 0.4 - 0.5 \times 0.08 \approx 0.36")
    assert c.relations == ("assign", "=", "approx")


# ------------------------------------------------------------------------- sums without limits


def test_bare_sum_of_mazur() -> None:
    text = r"E_{total} = \sum \frac{1}{2}(target - output)^2"
    parsed = parse(text, sum_range=2)
    (c,) = parsed.chains
    e = [canon(parsed, el.expr) for el in c.elements]
    t1, t2, out1, out2 = N("target", "1"), N("target", "2"), N("output", "1"), N("output", "2")
    assert e[0] == N("E", "total")
    assert same(e[1], (t1 - out1) ** 2 / 2 + (t2 - out2) ** 2 / 2)
    assert "needs an index" in error(text).message  # sum_range=None: as before


def sum_exprs(text: str, n: int = 2) -> sp.Expr:
    parsed = parse(text, sum_range=n)
    (c,) = parsed.chains
    return canon(parsed, c.elements[-1].expr)


@pytest.mark.parametrize(("text", "expected"), [
    (r"\sum_k (t_k - o_k)^2", (N("t", "1") - o1) ** 2 + (N("t", "2") - o2) ** 2),
    (r"\sum_{k} (t_k - o_k)^2", (N("t", "1") - o1) ** 2 + (N("t", "2") - o2) ** 2),
    (r"\sum_{k=1} (t_k - o_k)^2", (N("t", "1") - o1) ** 2 + (N("t", "2") - o2) ** 2),
    (r"\sum (t_k - o_k)^2", (N("t", "1") - o1) ** 2 + (N("t", "2") - o2) ** 2),
    (r"\sum (t - o)^2", (N("t", "1") - o1) ** 2 + (N("t", "2") - o2) ** 2),
    (r"\sum (y - \hat{y})^2", (y1 - N("y", "1", accent="hat")) ** 2 + (y2 - N("y", "2", accent="hat")) ** 2),
    (r"\sum \frac{\partial E}{\partial out}", P(N("E", "1"), N("out", "1")) + P(N("E", "2"), N("out", "2"))),
    (r"\sum (Target - Out)", N("Target", "1") + N("Target", "2") - N("Out", "1") - N("Out", "2")),
    (r"\delta_j = \sum_k w_{jk} \delta_k", N("w", "j1") * N("delta", "1") + N("w", "j2") * N("delta", "2")),
    (r"o_h(1-o_h)\sum_{k \in outputs} w_{kh}\delta_k",
     N("o", "h") * (1 - N("o", "h")) * (N("w", "1h") * N("delta", "1") + N("w", "2h") * N("delta", "2"))),
    (r"\frac{1}{2}\sum (x_i - y^{(i)})^2", ((N("x", "1") - N("y", "", "{1}")) ** 2  # summed superscript: a sample
                                            + (N("x", "2") - N("y", "", "{2}")) ** 2) / 2),
])
def test_sums_without_limits(text: str, expected: sp.Expr) -> None:
    assert same(sum_exprs(text), expected)


def test_sum_range_counts_and_limited_sums_are_unchanged() -> None:
    assert same(sum_exprs(r"\sum (t - o)", 3), sum(N("t", str(k)) - N("o", str(k)) for k in (1, 2, 3)))
    assert same(sum_exprs(r"\sum_{i=1}^{3} x_i", 2), sum(N("x", str(k)) for k in (1, 2, 3)))
    assert parse(r"\sum (t - o)", sum_range=2).names  # the templates t, o are not in names
    assert RawName("t") not in set(parse(r"\sum (t - o)", sum_range=2).names.values())
    with pytest.raises(ValueError):
        parse("a", sum_range=0)
    _refused_fast(r"\sum (t - o)", sum_range=101)


@pytest.mark.parametrize(("text", "words"), [
    (r"\sum w \delta", "none of its names"), (r"\sum (x_i - y_j)", "i and j"), (r"\sum_{d \in D} x_d", "set D"),
    (r"\sum^{2} x_i", "needs an index"), (r"a \in b", "sets"),
])
def test_sums_without_limits_errors(text: str, words: str) -> None:
    assert words in error(text, sum_range=2).message


# ------------------------------------------------------------------------------ superscripts


def test_arithmetic_exponents_are_powers() -> None:
    assert expr(r"1 \cdot out_{h1} \cdot w_5^{(1-1)}") == N("out", "h1")  # Mazur: ∂net/∂w5 = 1·out·w5^(1−1)
    assert expr("x^{(1.5)}") == x ** sp.Rational(3, 2)
    assert expr("x^{(2+1)}") == x**3
    assert expr("x^{(a b)}") == x ** (a * b)


@pytest.mark.parametrize(("text", "raw"), [
    ("W^{(1)}", RawName("W", "", "1")), ("a^{(l)}", RawName("a", "", "l")), (r"a^{(\ell)}", RawName("a", "", "l")),
    (r"\delta^{(l+1)}", RawName("delta", "", "l+1")), ("w^{(t+1)}", RawName("w", "", "t+1")),
    ("z^{(L-1)}", RawName("z", "", "L-1")), ("a^{(ℓ)}", RawName("a", "", "l")),
    ("W^{[1]}", RawName("W", "", "[1]")), ("a^{[l]}", RawName("a", "", "[l]")),
    ("w^{old}", RawName("w", "", "old")), ("w_5^{(old)}", RawName("w", "5", "old")),
    (r"w^{\text{old}}", RawName("w", "", "old")), ("w^{(12)}", RawName("w", "", "12")),
])
def test_superscript_labels(text: str, raw: RawName) -> None:
    parsed, c = chain(text)
    assert parsed.names[c.elements[0].expr] == raw


def test_nielsen_layer_superscripts() -> None:
    parsed, c = chain(r"\frac{\partial C}{\partial w^l_{jk}} = a^{l-1}_k \delta^l_j")
    e = [canon(parsed, el.expr) for el in c.elements]
    assert e == [P(N("C"), N("w", "jk", "l")), N("a", "k", "l-1") * N("delta", "j", "l")]
    assert expr(r"\delta^L") == N("delta", "", "L")
    assert expr(r"x^{\ell}") == N("x", "", "l")
    assert expr("x^lw") == N("x", "", "l") * N("w")
    assert expr("e^l") == sp.exp(N("l"))  # on e: a power
    assert expr("x^{l+1}") == N("x", "", "l+1")
    assert expr("x^{n+1}") == x ** (N("n") + 1)
    assert expr("W^T x") == N("W") * N("x") and expr("(W)^{T}") == N("W")  # a scalar is its own transpose


def test_numeric_layer_superscripts_in_derivatives() -> None:
    parsed, c = chain(r"\frac{\partial C}{\partial w^3_{12}} = a^2_2\, \delta^3_1")  # Nielsen
    e = [canon(parsed, el.expr) for el in c.elements]
    # a digit written before the subscript labels a layer everywhere (Nielsen's a^2_2 δ^3_1, not powers) ...
    assert e == [P(N("C"), N("w", "12", "3")), N("a", "2", "2") * N("delta", "1", "3")]
    assert expr("z_2^2") == N("z", "2") ** 2  # ... a digit after the subscript is a power
    assert expr("(1 - z^2)") == 1 - N("z") ** 2
    assert expr(r"\frac{\partial a^3_j}{\partial z^3_j}") == P(N("a", "j", "3"), N("z", "j", "3"))
    assert expr(r"\partial E/\partial W^2_1") == P(E, N("W", "1", "2"))
    assert expr(r"\frac{\partial y}{\partial W_{ij}^1}") == P(N("y"), N("W", "ij"))  # ^1: as before
    assert isinstance(expr(r"\frac{\partial w^2}{\partial w}"), sp.Derivative)
    assert expr("w_5^{++}") == N("w", "5", "++")


@pytest.mark.parametrize(("text", "raw"), [
    ("Err_j", RawName("Err", "j")), ("OUT_{h1}", RawName("OUT", "h1")), ("NET_1", RawName("NET", "1")),
    ("yhat", RawName("yhat")),
])
def test_more_words(text: str, raw: RawName) -> None:
    parsed, c = chain(text)
    assert parsed.names[c.elements[0].expr] == raw


# ---------------------------------------------------------------------------- evaluation bars, spacing


@pytest.mark.parametrize("text", [
    r"\left. \frac{\partial E}{\partial w_5}\right|_{w_5=0.4}", r"\frac{\partial E}{\partial w_5}\Big|_{w_5=0.4}",
    r"\frac{\partial E}{\partial w_5}\bigg|_{w_5 = 0.4, b = 0.1}", r"\frac{\partial E}{\partial w_5} |_{w_5=0.4}",
    r"\frac{\partial E}{\partial w_5}\Bigr|^{b}_{w_5=0.4}", r"\frac{\partial E}{\partial w_5} \vert_{w_5=0.4}",
    r"\left.\frac{\partial E}{\partial w_5}\right\vert_{0.4}",
])
def test_evaluation_bars_are_dropped(text: str) -> None:
    parsed, c = chain(text + " = 0.1")
    assert canon(parsed, c.elements[0].expr) == P(E, w5) and c.elements[1].expr == sp.Rational(1, 10)


@pytest.mark.parametrize(("text", "words"), [
    (r"a \Big| b", "absolute"), (r"a |_", "script is missing"),
    (r"a |_{b", "never closed"),
])
def test_bars_without_scripts(text: str, words: str) -> None:
    assert words in error(text).message


def test_spacing_commands_are_ignored() -> None:
    text = (r"a \thinspace b \medspace c \thickspace d \enspace e \negthinspace f \hspace{1em} g \hskip 2pt h"
            r" \mkern3mu i \hspace*{2mm} j \negmedspace k \kern-1pt l \strut m")
    assert expr(text) == sp.Mul(*(N(v) for v in "abcdefghijklm"))
    assert expr(r"{\rm d}E/{\rm d}w_5") == P(E, w5)
    assert expr(r"\mathop{\mathrm{sigmoid}}(x)") == sigma(x)
    assert "dimension" in error(r"\hskip a").message


# -------------------------------------------------------------------------- words, prose, unicode


@pytest.mark.parametrize(("text", "expected"), [
    (r"\text{out}_{h1}", N("out", "h1")), (r"\mathrm{net}_{o1}", N("net", "o1")),
    (r"\operatorname{sigmoid}(x)", sigma(x)), (r"\mathrm{d}E/\mathrm{d}w_5", P(E, w5)),
    (r"\textbf{Error}", N("Error")), (r"\operatorname*{max}(0, x)", sp.Max(0, x)),
    (r"\text{sigmoid}'(x)", sp.Function("sigma'")(x)),
])
def test_words_in_text_commands(text: str, expected: sp.Expr) -> None:
    assert expr(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("其中 a = b", [[a, b]]), ("a = b 所以 c = d", [[a, b], [c_, d]]), ("a = b，即 c = d", [[a, b], [c_, d]]),
    ("第2层的梯度 a = b", [[a, b]]), ("所以（见上文） a = b", [[a, b]]), ("a = b。", [[a, b]]),
    ("a = b, где c = d", [[a, b], [c_, d]]), (r"\text{其中} a = b \intertext{and} c = d", [[a, b], [c_, d]]),
    ("ｗ＝０.５", [[N("w"), sp.Rational(1, 2)]]), ("（a＋b）c", [[(a + b) * c_]]),
])
def test_prose_and_unicode(text: str, expected: list[list[sp.Expr]]) -> None:
    assert [[sp.expand(e) for e in c] for c in exprs(text)] == [[sp.expand(e) for e in c] for c in expected]


def test_math_letters_and_symbols() -> None:
    assert exprs("𝑤 = 𝜎(𝑥)") == [[N("w"), sigma(x)]]
    assert same(expr("∑_{i=1}^{2} x_i"), N("x", "1") + N("x", "2"))
    assert expr("ϵ") == N("epsilon")


def test_prose_inside_brackets_is_an_error() -> None:
    e = error("a = (b 其中 c)")
    assert "inside brackets" in e.message and e.position == 7


# ------------------------------------------------------------------------------- functions, more


@pytest.mark.parametrize(("text", "expected"), [
    (r"1 - \tanh^2(x)", 1 - sp.tanh(x) ** 2), (r"\tanh^2 x", sp.tanh(x) ** 2), (r"\sigma^2(z)", sigma(z) ** 2),
    (r"\tanh^{2}\left(x\right)", sp.tanh(x) ** 2), (r"\max\{0, x\}", sp.Max(0, x)),
    (r"\sigma^2", N("sigma") ** 2),  # no bracket: a name
])
def test_function_powers_and_braces(text: str, expected: sp.Expr) -> None:
    assert expr(text) == expected


@pytest.mark.parametrize(("text", "words"), [
    (r"\sigma^{-1}(x)", "inverse"), (r"\tanh^2(x)^2", "only a power"),
])
def test_function_power_errors(text: str, words: str) -> None:
    assert words in error(text).message


# ------------------------------------------------------------------------------------ unsupported


@pytest.mark.parametrize(("text", "words"), [
    (r"\begin{array}{cc} a & b \end{array}", "unsupported environment array: arrays"),
    (r"\begin{cases} a & b \end{cases}", "unsupported environment cases: cases"),
    (r"\begin{vmatrix} a & b \\ c & d \end{vmatrix}", "unsupported environment vmatrix: a determinant"),
    (r"\begin{foo} a \end{foo}", "unsupported environment foo (only"),
    (r"\nabla E", r"\nabla"), (r"a \otimes b", r"\otimes"), (r"\top W", r"\top"), (r"\prod_i x_i", r"\prod"),
    (r"a \le b", "inequalities"), ("a < b", "inequalities"), ("a ≠ b", "inequalities"), (r"x \in \mathbb{R}", "sets"),
    (r"\langle 1 \rangle", "vectors"), (r"a \| b", "never closed"),
    (r"w_5 \sim w_8", r"\sim"), ("√2", r"\sqrt"),
    ("a, ..., b", "ellipsis"), ("3!", "factorial"), (r"\stackrel{a}{b}", "definition"),
    (r"\square n", "placeholder"), ("x…", "ellipsis"),
])
def test_unsupported_constructs_name_themselves(text: str, words: str) -> None:
    e = error(text)
    assert words in e.message
    assert 0 <= e.position <= len(text) and e.line >= 1 and e.column >= 1


def test_a_negated_exponent_typed_without_braces() -> None:
    """A chat's e^-(w3*i1 + b1) and e^-net_h2: the minus and the bracket (or the name) after it are the exponent."""
    assert exprs("c = e^-(a + b)") == [[c_, sp.exp(-(a + b))]]
    assert exprs("c = 1/(1 + e^-d)") == [[c_, 1 / (1 + sp.exp(-d))]]


def test_tex_over_divides_its_whole_group() -> None:
    r"""TeX's primitive \over, which LaTeX keeps: {a \over b} is a/b, and at a display's top level it divides all of
    it, c = a \over b being (c = a)/b — no claim at all."""
    assert exprs(r"c = {a \over b}") == [[c_, a / b]]
    assert exprs(r"c = {a + d \over b}") == [[c_, (a + d) / b]]
    assert "=" in error(r"$$c = a \over b$$").message


def test_environments_still_work_with_everything_new() -> None:
    text = ("\\begin{aligned}\n\\hat{y}_1 &:= \\sigma(net_{o1}) \\\\\n&= 8.77 \\times 10^{-3} \\\\\n"
            "w_5 &\\leftarrow w_5 - \\eta \\left.\\frac{\\partial E}{\\partial w_5}\\right|_{w_5 = 0.4}\n"
            "\\end{aligned}")
    parsed = parse(text)
    assert [c.relations for c in parsed.chains] == [("=", "="), ("assign",)]
    assert parsed.chains[0].elements[2].literal == "8.77e-3"
    assert exprs(r"\begin{alignat*}{2} a &= b \\ &= c \end{alignat*}") == [[a, b, c_]]
    assert exprs(r"\begin{gathered} a = b \\ c = d \end{gathered}") == [[a, b], [c_, d]]


# ------------------------------------------------------------------------------ operator derivatives


def R(text: str) -> sp.Rational:
    return sp.Rational(text)


def test_operator_derivative_of_a_name_is_the_partial_symbol() -> None:
    assert expr(r"\frac{\partial}{\partial w} E") == P(N("E"), N("w"))
    assert expr(r"\frac{\partial}{\partial w_5} E_{total}") == P(N("E", "total"), w5)
    assert expr(r"\frac{d}{dx} y") == P(N("y"), N("x"))
    assert expr(r"\frac{\mathrm{d}}{\mathrm{d}x} y") == P(N("y"), N("x"))
    assert expr(r"\dfrac{\partial}{\partial w^3_{12}} C") == P(N("C"), N("w", "12", "3"))
    _, c = chain(r"\frac{\partial}{\partial w_5} E = \frac{\partial E}{\partial w_5}")
    assert c.elements[0].expr == c.elements[1].expr  # the same symbol


def test_operator_derivative_of_an_expression_is_the_fraction_form() -> None:
    t, o = N("t"), N("o")
    e = expr(r"\frac{\partial}{\partial w_5}\left(\frac12 (t - o)^2\right)")
    assert isinstance(e, sp.Derivative) and e == sp.Derivative((t - o) ** 2 / 2, w5)
    assert e == expr(r"\frac{\partial (\frac12 (t - o)^2)}{\partial w_5}")
    assert expr(r"\frac{d}{dx}(x^2)") == sp.Derivative(N("x") ** 2, N("x"))
    # the rest of the juxtaposition, not only the next factor
    assert expr(r"\frac{\partial}{\partial w_5} \frac12 (t - o)^2") == e
    assert expr(r"\frac{\partial}{\partial w_5} \frac12 (t - o)^2 \times 3") == 3 * e
    assert expr(r"a \frac{d}{dx} f \cdot b") == N("a") * P(N("f"), N("x")) * N("b")
    assert expr(r"-\frac{\partial}{\partial w} E") == -P(N("E"), N("w"))
    s = expr(r"\frac{\partial}{\partial o_1} \sum_{k=1}^{2} \frac12 (t_k - o_k)^2")
    assert s == sp.Derivative((N("t", "1") - o1) ** 2 / 2 + (N("t", "2") - o2) ** 2 / 2, o1)
    assert same(s.doit(), o1 - N("t", "1"))
    inner = expr(r"\frac{\partial}{\partial w}\frac{\partial}{\partial v} E")  # innermost first
    assert inner == sp.Derivative(P(N("E"), N("v")), N("w"))


@pytest.mark.parametrize(("text", "words"), [
    (r"\frac{\partial}{\partial w}", "must be followed by what it differentiates"),
    (r"\frac{\partial}{\partial w} \times E", "must be followed by what it differentiates"),
    (r"E = \frac{d}{dx}", "must be followed by what it differentiates"),
    (r"\frac{\partial}{\partial w}^2 E", "a script on the operator"),
    (r"\frac{\partial}{\partial (a + b)} E", "with respect to one name"),
    (r"\frac{\partial}{\partial w \partial v} E", "with respect to one name"),
    (r"\frac{\partial^2}{\partial w^2} E", "higher-order"),
    (r"\frac{\partial}{w} E", r"\partial must be written as"),
])
def test_operator_derivative_errors(text: str, words: str) -> None:
    assert words in error(text).message


# ------------------------------------------------------------------------------ matrices and vectors


def entries(text: str) -> list[list[sp.Expr]]:
    """One list of canonical members per chain (one chain per matrix entry)."""
    return exprs(text)


def test_seed002_update_of_w5_w6_with_numbers() -> None:
    text = (r"\begin{bmatrix} w_5 \\ w_6 \end{bmatrix} = \begin{bmatrix} 0.14 \\ 0.15 \end{bmatrix} - 0.05(-0.809)"
            r" \begin{bmatrix} 0.85 \\ 0.48 \end{bmatrix} = \begin{bmatrix} 0.1744 \\ 0.1694 \end{bmatrix}")
    parsed = parse(text)
    assert [c.relations for c in parsed.chains] == [("=", "="), ("=", "=")]
    assert entries(text) == [
        [N("w", "5"), R("0.14") + R("0.05") * R("0.809") * R("0.85"), R("0.1744")],
        [N("w", "6"), R("0.15") + R("0.05") * R("0.809") * R("0.48"), R("0.1694")]]
    for k, c in enumerate(parsed.chains):  # each element spans its whole member; the chain is the whole line
        assert [text[e.start:e.end] for e in c.elements] == [
            r"\begin{bmatrix} w_5 \\ w_6 \end{bmatrix}",
            r"\begin{bmatrix} 0.14 \\ 0.15 \end{bmatrix} - 0.05(-0.809) \begin{bmatrix} 0.85 \\ 0.48 \end{bmatrix}",
            r"\begin{bmatrix} 0.1744 \\ 0.1694 \end{bmatrix}"]
        assert c.text == text and (c.start, c.end) == (0, len(text))
        assert [e.literal for e in c.elements] == [None, None, None]
        assert [e.entry for e in c.elements] == [(k, 0)] * 3


def test_seed002_row_vectors_in_brackets() -> None:
    text = (r"[h_1 \ h_2] = [2 \ 3] \begin{bmatrix} 0.12 & 0.13 \\ 0.23 & 0.10 \end{bmatrix} = [0.93 \ 0.56]")
    assert entries(text) == [[N("h", "1"), 2 * R("0.12") + 3 * R("0.23"), R("0.93")],
                             [N("h", "2"), 2 * R("0.13") + 3 * R("0.10"), R("0.56")]]
    parsed = parse(text)
    assert [text[e.start:e.end] for e in parsed.chains[1].elements] == [
        r"[h_1 \ h_2]", r"[2 \ 3] \begin{bmatrix} 0.12 & 0.13 \\ 0.23 & 0.10 \end{bmatrix}", r"[0.93 \ 0.56]"]
    assert [e.entry for e in parsed.chains[1].elements] == [(0, 1)] * 3


def test_seed002_one_by_one_results_are_scalars() -> None:
    text = r"[out] = [0.93 \ 0.56] \begin{bmatrix} 0.1744 \\ 0.1694 \end{bmatrix} = [0.2571]"
    parsed, c = chain(text)
    assert [canon(parsed, e.expr) for e in c.elements] == [
        N("out"), R("0.93") * R("0.1744") + R("0.56") * R("0.1694"), R("0.2571")]
    assert [e.literal for e in c.elements] == [None, None, "0.2571"]
    assert [e.entry for e in c.elements] == [None, None, None]
    text = (r"[out] = [0.85 \ 0.48] \begin{bmatrix} 0.14 \\ 0.15 \end{bmatrix} = 0.119 + 0.072 = [0.191]")
    parsed, c = chain(text)
    assert [e.literal for e in c.elements] == [None, None, None, "0.191"]
    assert canon(parsed, c.elements[1].expr) == R("0.191")
    text = (r"\begin{bmatrix} out \end{bmatrix} = \begin{bmatrix} h_1 & h_2 \end{bmatrix} \begin{bmatrix} w_5 \\ w_6"
            r" \end{bmatrix} = \begin{bmatrix} \mathbf{0.2571} \end{bmatrix} = \begin{bmatrix} -0.5 \end{bmatrix}")
    parsed, c = chain(text)
    assert [canon(parsed, e.expr) for e in c.elements] == [
        N("out"), h1 * w5 + N("h", "2") * N("w", "6"), R("0.2571"), R("-0.5")]
    assert [e.literal for e in c.elements] == [None, None, "0.2571", "-0.5"]
    assert parse("x = [0.191]").chains[0].elements[1].literal is None  # no matrix in the chain: a bracket


def test_seed002_symbolic_update_of_the_hidden_weights() -> None:
    text = (r"\begin{bmatrix} w_1 & w_3 \\ w_2 & w_4 \end{bmatrix} = \begin{bmatrix} w_1 & w_3 \\ w_2 & w_4"
            r" \end{bmatrix} - \eta \Delta \begin{bmatrix} i_1 w_5 & i_1 w_6 \\ i_2 w_5 & i_2 w_6 \end{bmatrix}")
    eta, delta = N("eta"), N("Delta")
    w = {k: N("w", str(k)) for k in range(1, 7)}
    i = {k: N("i", str(k)) for k in (1, 2)}
    assert entries(text) == [[w[1], w[1] - eta * delta * i[1] * w[5]], [w[3], w[3] - eta * delta * i[1] * w[6]],
                             [w[2], w[2] - eta * delta * i[2] * w[5]], [w[4], w[4] - eta * delta * i[2] * w[6]]]
    assert [c.elements[0].entry for c in parse(text).chains] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    outer = (r"\begin{bmatrix} w_1 & w_3 \\ w_2 & w_4 \end{bmatrix} = \begin{bmatrix} w_1 & w_3 \\ w_2 & w_4"
             r" \end{bmatrix} - \eta \Delta \begin{bmatrix} i_1 \\ i_2 \end{bmatrix} \begin{bmatrix} w_5 & w_6"
             r" \end{bmatrix}")
    assert entries(outer) == entries(text)  # a column times a row


def test_seed002_aligned_block_of_the_lecture() -> None:
    text = (r"$$\begin{aligned} [h_1 \ h_2] &= [i_1 \ i_2] \begin{bmatrix} w_1 & w_3 \\ w_2 & w_4 \end{bmatrix} \\"
            r" &= [2 \ 3] \begin{bmatrix} 0.11 & 0.12 \\ 0.21 & 0.08 \end{bmatrix} = [0.85 \ 0.48] \\ [out] &= [h_1"
            r" \ h_2] \begin{bmatrix} w_5 \\ w_6 \end{bmatrix} = [0.85 \ 0.48] \begin{bmatrix} 0.14 \\ 0.15"
            r" \end{bmatrix} \\ &= 0.119 + 0.072 = [0.191] \end{aligned}$$")
    i1, i2, h2 = N("i", "1"), N("i", "2"), N("h", "2")
    w = {k: N("w", str(k)) for k in range(1, 7)}
    assert entries(text) == [
        [h1, i1 * w[1] + i2 * w[2], R("0.85"), R("0.85")],
        [h2, i1 * w[3] + i2 * w[4], R("0.48"), R("0.48")],
        [N("out"), h1 * w[5] + h2 * w[6], R("0.191"), R("0.191"), R("0.191")]]
    assert parse(text).chains[2].elements[-1].literal == "0.191"


def test_seed002_sigma_of_a_product_of_brace_matrices() -> None:
    text = (r"\begin{Bmatrix} a_1^{(2)} \\ a_2^{(2)} \\ a_3^{(2)} \end{Bmatrix} = \sigma \left(\begin{Bmatrix}"
            r" w_{11}^{(1)} & w_{12}^{(1)} & w_{13}^{(1)} & b_1^{(1)} \\ w_{21}^{(1)} & w_{22}^{(1)} & w_{23}^{(1)}"
            r" & b_2^{(1)} \\ w_{31}^{(1)} & w_{32}^{(1)} & w_{33}^{(1)} & b_3^{(1)} \end{Bmatrix} \begin{Bmatrix}"
            r" x_1 \\ x_2 \\ x_3 \\ 1 \end{Bmatrix} \right),")
    x = [N("x", str(k)) for k in (1, 2, 3)]
    assert entries(text) == [
        [N("a", str(r), "2"), sigma(sum(N("w", f"{r}{c}", "1") * x[c - 1] for c in (1, 2, 3)) + N("b", str(r), "1"))]
        for r in (1, 2, 3)]


def test_seed001_row_times_matrix() -> None:
    text = (r"\begin{bmatrix} y_1 & y_2 \end{bmatrix} = \begin{bmatrix} h_1 & h_2 & h_3 \end{bmatrix}"
            r" \begin{bmatrix} w_{11} & w_{12} \\ w_{21} & w_{22} \\ w_{31} & w_{32} \end{bmatrix}")
    h = [N("h", str(k)) for k in (1, 2, 3)]
    assert entries(text) == [[N("y", str(c)), sum(h[r - 1] * N("w", f"{r}{c}") for r in (1, 2, 3))] for c in (1, 2)]


@pytest.mark.parametrize("env", ["bmatrix", "pmatrix", "matrix", "Bmatrix", "smallmatrix"])
def test_matrix_environments(env: str) -> None:
    text = (f"\\begin{{{env}}} a & b \\\\ c & d \\\\ \\end{{{env}}}"
            f" = \\begin{{{env}}} 1 & 2 \\\\[2pt] 3 & 4 \\end{{{env}}}")
    assert entries(text) == [[N("a"), 1], [N("b"), 2], [N("c"), 3], [N("d"), 4]]


@pytest.mark.parametrize("text", [
    r"[a \ b] = [c \ d]", r"[a \quad b] = [c \qquad d]", r"[a, b] = [c, d]", r"\left[ a \ b \right] = [c, d]",
    r"[a \ b] = \begin{bmatrix} c & d \end{bmatrix}", r"\begin{bmatrix} a & b \end{bmatrix} = [c \quad d]",
])
def test_row_vector_separators(text: str) -> None:
    assert entries(text) == [[N("a"), N("c")], [N("b"), N("d")]]


def test_row_vectors_only_beside_matrices() -> None:
    a, b, c = N("a"), N("b"), N("c")
    assert expr("[a + b]") == a + b
    assert expr(r"[a \ b]") == a * b  # no other vector in the chain: a space, as before
    assert exprs(r"x = [a \ b]") == [[N("x"), a * b]]
    assert exprs(r"x = [a \quad b]") == [[N("x"), a * b]]
    assert "two numbers side by side" in error(r"x = [2 \ 3]").message
    assert "','" in error("x = [a, b]").message
    assert entries(r"[a \ -b] = [c \ b]") == [[a, c], [-b, b]]  # a sign touching its operand starts an entry
    assert entries(r"[a \ - b \ c] = [c \ b]") == [[a - b, c], [c, b]]  # a sign with a space is an operator
    assert entries(r"[(a + b) \ \frac{1}{2}] = [c \ b]") == [[a + b, c], [sp.Rational(1, 2), b]]
    assert entries(r"[a \ b + c] = [c \ b]") == [[a, c], [b + c, b]]
    # inside a matrix chain, [..] without separators in a product stays a bracket
    assert entries(r"\begin{bmatrix} a \\ b \end{bmatrix} = [a + b] \begin{bmatrix} 1 \\ 2 \end{bmatrix}") == [
        [a, a + b], [b, 2 * (a + b)]]


def test_matrix_arithmetic() -> None:
    a, b, c, d = N("a"), N("b"), N("c"), N("d")
    col = r"\begin{bmatrix} a \\ b \end{bmatrix}"
    row = r"\begin{bmatrix} c & d \end{bmatrix}"
    assert entries(f"{col} {row} = {col} \\cdot {row}") == [[a * c] * 2, [a * d] * 2, [b * c] * 2, [b * d] * 2]
    assert expr(f"{row} {col}") == c * a + d * b  # 1×1: its entry
    assert expr(f"{row} \\times {col} + 1") == c * a + d * b + 1
    assert entries(f"{col} + {col} - 2 {col}") == [[0], [0]]
    assert entries(f"\\frac{{{col}}}{{2}} = {col} / 2") == [[a / 2, a / 2], [b / 2, b / 2]]
    assert entries(f"-{col}") == [[-a], [-b]]
    assert entries(f"1 - {col} + c") == [[1 - a + c], [1 - b + c]]  # a scalar goes to every entry
    assert entries(f"\\left( {col} \\right) = {{{col}}}") == [[a, a], [b, b]]


def test_transposes() -> None:
    a, b = N("a"), N("b")
    col = r"\begin{bmatrix} a \\ b \end{bmatrix}"
    for t in ("^T", "^{T}", r"^\top", r"^{\top}", r"^\intercal", r"^{\mathrm{T}}", r"^{\mathsf{T}}", r"^{\rm T}"):
        assert entries(f"{col}{t} = [a \\ b]") == [[a, a], [b, b]], t
        assert expr(f"{col}{t} {col}") == a ** 2 + b ** 2, t
    assert entries(f"{col}^T^T") == [[a], [b]]
    assert expr(r"W^T x") == N("W") * N("x")  # a scalar is its own transpose
    assert expr(r"(W^{(2)})^T \delta^{(3)}") == N("W", "", "2") * N("delta", "", "3")
    assert expr(r"W^{(3)\top}") == N("W", "", "3")  # the layer label, then the transpose
    assert expr(r"\mathbf{W}^\top_{12}") == N("W", "12")
    assert r"\top (a transpose) must be a superscript" in error(r"\top").message


def test_name_superscripts_on_a_matrix_of_names() -> None:
    text = (r"\begin{bmatrix} w_5 \\ w_6 \end{bmatrix}^{+} = \begin{bmatrix} w_5 \\ w_6 \end{bmatrix} - \eta \Delta"
            r" \begin{bmatrix} h_1 \\ h_2 \end{bmatrix}")
    eta, delta = N("eta"), N("Delta")
    assert entries(text) == [[N("w", "5", "+"), w5 - eta * delta * h1],
                             [N("w", "6", "+"), N("w", "6") - eta * delta * N("h", "2")]]
    assert entries(r"\begin{bmatrix} w_{11} & \hat{y} \end{bmatrix}^{(1)} = [a \ b]") == [
        [N("w", "11", "1"), N("a")], [N("y", "", "1", "hat"), N("b")]]
    assert "one name without a superscript in each entry" in error(r"[w_1 \ 2]^{+} = [a \ b]").message
    assert "one name without a superscript in each entry" in error(r"[w_1^+ \ w_2]^{+} = [a \ b]").message


def test_hadamard_product() -> None:
    a, b, c, d = N("a"), N("b"), N("c"), N("d")
    col, col2 = r"\begin{bmatrix} a \\ b \end{bmatrix}", r"\begin{bmatrix} c \\ d \end{bmatrix}"
    for op in (r"\odot", r"\circ", "⊙", "∘"):
        assert entries(f"{col} {op} {col2}") == [[a * c], [b * d]], op
        assert expr(f"a {op} b") == a * b, op  # scalars: a product
    assert entries(f"2 {col} \\odot {col2} \\cdot 3") == [[6 * a * c], [6 * b * d]]
    assert entries(f"{col} \\odot 2 {col2}") == [[2 * a * c], [2 * b * d]]  # juxtaposition binds tighter
    delta, W, z = N("delta", "", "3"), N("W", "", "2"), N("z", "", "2")
    assert expr(r"(W^{(2)})^T \delta^{(3)} \odot f'(z^{(2)})") == W * delta * sp.Function("f'")(z)


def test_functions_of_matrices_apply_to_each_entry() -> None:
    a, b = N("a"), N("b")
    col = r"\begin{bmatrix} a \\ -b \end{bmatrix}"
    assert entries(rf"\sigma({col})") == [[sigma(a)], [sigma(-b)]]
    assert entries(rf"\sigma\left({col}\right) \odot (1 - \sigma({col}))") == [
        [sigma(a) * (1 - sigma(a))], [sigma(-b) * (1 - sigma(-b))]]
    assert entries(rf"\exp {col}") == [[sp.exp(a)], [sp.exp(-b)]]
    assert entries(rf"\max(0, {col})") == [[sp.Max(0, a)], [sp.Max(0, -b)]]
    assert entries(rf"\tanh {col}") == [[sp.tanh(a)], [sp.tanh(-b)]]
    assert entries(rf"\frac{{\partial}}{{\partial a}} {col}") == [[sp.Derivative(a, a)], [sp.Derivative(-b, a)]]


@pytest.mark.parametrize(("text", "words"), [
    (r"\begin{bmatrix} a \\ b \end{bmatrix} = 3", "a 2×1 matrix and a scalar in one chain"),
    (r"1 = \begin{bmatrix} a \\ b \end{bmatrix}", "a 2×1 matrix and a scalar in one chain"),
    (r"\begin{bmatrix} a \\ b \end{bmatrix} = [a \ b]", "a 2×1 and a 1×2 matrix in one chain"),
    (r"\begin{bmatrix} a \\ b \end{bmatrix} \begin{bmatrix} a \\ b \end{bmatrix}",
     "cannot multiply a 2×1 matrix by a 2×1 matrix"),
    (r"\begin{bmatrix} a & b \end{bmatrix} \cdot \begin{bmatrix} a \\ b \\ c \end{bmatrix}",
     "cannot multiply a 1×2 matrix by a 3×1 matrix"),
    (r"\begin{bmatrix} a \\ b \end{bmatrix} + \begin{bmatrix} a & b \end{bmatrix}",
     "cannot add a 2×1 matrix and a 1×2 matrix"),
    (r"\begin{bmatrix} a \\ b \end{bmatrix} \odot \begin{bmatrix} a & b \end{bmatrix}",
     r"(\odot) of a 2×1 matrix and a 1×2 matrix"),
    (r"\max(\begin{bmatrix} a \\ b \end{bmatrix}, \begin{bmatrix} a & b \end{bmatrix})", "a 2×1 and a 1×2 matrix"),
    (r"\begin{bmatrix} a & b \\ c \end{bmatrix}", "rows of this matrix have different lengths (2 and 1)"),
    (r"\begin{bmatrix} \begin{bmatrix} a \\ b \end{bmatrix} & c \end{bmatrix}", "a matrix inside a matrix"),
    (r"\begin{bmatrix} a \\ b \end{bmatrix}^2", "a power of a 2×1 matrix"),
    (r"\begin{bmatrix} a \\ b \end{bmatrix}_1", "on a matrix"),
    (r"1 / \begin{bmatrix} a \\ b \end{bmatrix}", "cannot divide by a 2×1 matrix"),
    (r"\frac{1}{\begin{bmatrix} a \\ b \end{bmatrix}}", "cannot divide by a 2×1 matrix"),
    (r"\sum_{i=1}^{2} \begin{bmatrix} a \\ b \end{bmatrix}", "a 2×1 matrix cannot stand here"),
    (r"\sqrt{\begin{bmatrix} a \\ b \end{bmatrix}}", "a 2×1 matrix cannot stand here"),
    (r"e^{\begin{bmatrix} a \\ b \end{bmatrix}}", "a 2×1 matrix cannot stand here"),
    (r"\begin{bmatrix} a \\ b \end{pmatrix}", r"\end{pmatrix} does not match \begin{bmatrix}"),
    (r"\begin{aligned} a \\ b \end{bmatrix}", r"\end{bmatrix} does not match \begin{aligned}"),
    (r"a \end{bmatrix}", r"\end{bmatrix} without \begin"),
    (r"\begin{bmatrix} a \\ b", r"'\begin{bmatrix}' is never closed"),
    (r"\begin{bmatrix} a & = & b \end{bmatrix}", "'=' inside a matrix"),
    (r"\begin{matrix} a = b \\ c = d \end{matrix}", "'=' inside a matrix"),
    (r"\begin{bmatrix} & a \end{bmatrix}", "unexpected '&'"),
    (r"\begin{Vmatrix} a \end{Vmatrix}", "unsupported environment Vmatrix: a norm"),
    (r"\begin{array}{cc} a & b \end{array}", r"write a matrix as \begin{bmatrix}"),
    (r"\begin{bmatrix} a & \vdots \end{bmatrix}", "ellipsis"),
])
def test_matrix_errors(text: str, words: str) -> None:
    e = error(text)
    assert words in e.message, e.message
    assert 0 <= e.position <= len(text)


def test_matrix_shape_error_positions() -> None:
    text = r"\begin{bmatrix} a \\ b \end{bmatrix} = 2"
    assert error(text).position == text.index("2")


def test_a_matrix_written_with_names_beside_matrices_is_read_entry_by_entry() -> None:
    """W^{(1)} = [..]: the name stands for a matrix the judge knows; each entry's chain carries it with the entry
    and the chain's shape."""
    p = parse(r"W^{(1)} = \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}")
    assert len(p.chains) == 4
    assert [(c.elements[0].entry, c.elements[0].whole, c.elements[1].expr) for c in p.chains] == [
        ((0, 0), (2, 2), 1), ((0, 1), (2, 2), 2), ((1, 0), (2, 2), 3), ((1, 1), (2, 2), 4)]


def test_hostile_matrices_are_refused_quickly() -> None:
    def big(rows: int, cols: int, entry: str = "a_{{{i}{j}}}") -> str:
        return (r"\begin{bmatrix}" + r" \\ ".join(" & ".join(entry.format(i=i, j=j) for j in range(cols))
                                                  for i in range(rows)) + r"\end{bmatrix}")
    assert len(parse(big(10, 10)).chains) == 100
    assert len(parse(big(10, 10) + " = " + big(10, 10)).chains) == 100
    for text in (big(11, 1), big(1, 11), big(11, 11)):
        assert "larger than 10×10" in _refused_fast(text).message
    assert "matrix arithmetic" in _refused_fast(" ".join([big(10, 10)] * 6)).message
    assert "matrix arithmetic" in _refused_fast(r"\sigma(" + " ".join([big(10, 10)] * 5) + ")").message
    deep = r"\begin{bmatrix}" * 70 + "a" + r"\end{bmatrix}" * 70
    assert "nested deeper" in _refused_fast(deep).message
    assert len(parse(" + ".join([big(10, 10, "0.{i}{j}1")] * 15) + " = " + big(10, 10, "x")).chains) == 100


@st.composite
def _matrix_expr(draw: st.DrawFn, rows: int, cols: int, depth: int = 0) -> tuple[str, sp.Matrix]:
    """A random matrix expression of the given shape, as LaTeX and as SymPy's Matrix arithmetic computes it."""
    kind = draw(st.sampled_from(["literal"] if depth >= 3 else ["literal", "sum", "product", "transpose",
                                                                "hadamard", "scale"]))
    if kind == "literal":
        m = sp.Matrix(rows, cols, draw(st.lists(st.integers(-3, 3), min_size=rows * cols, max_size=rows * cols)))
        body = r" \\ ".join(" & ".join(str(m[i, j]) for j in range(cols)) for i in range(rows))
        return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}", m
    if kind == "transpose":
        text, m = draw(_matrix_expr(cols, rows, depth + 1))
        return rf"\left( {text} \right)^T", m.T
    if kind == "product":
        k = draw(st.integers(1, 3))
        (ta, a), (tb, b) = draw(_matrix_expr(rows, k, depth + 1)), draw(_matrix_expr(k, cols, depth + 1))
        return rf"\left( {ta} \right) \cdot \left( {tb} \right)", a * b
    if kind == "scale":
        text, m = draw(_matrix_expr(rows, cols, depth + 1))
        return rf"-3 \left( {text} \right)", -3 * m
    (ta, a), (tb, b) = draw(_matrix_expr(rows, cols, depth + 1)), draw(_matrix_expr(rows, cols, depth + 1))
    if kind == "sum":
        return rf"\left( {ta} \right) - \left( {tb} \right)", a - b
    return rf"\left( {ta} \right) \odot \left( {tb} \right)", a.multiply_elementwise(b)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 3).flatmap(lambda r: st.integers(1, 3).flatmap(lambda c: _matrix_expr(r, c))))
def test_matrix_arithmetic_is_sympys(case: tuple[str, sp.Matrix]) -> None:
    text, expected = case
    parsed = parse(text, max_chars=100_000)
    assert [[e.expr for e in c.elements] for c in parsed.chains] == [[x] for x in expected]  # row by row


# ------------------------------------------------------------------------------------- robustness

TOKENS = [r"\frac{", "}", "{", "(", ")", "[", "]", "^", "_", "0", "1", "2", "3.5", ".", "x", "w", "e", "d", "out",
          "net", r"\partial ", "=", r"\cdot ", r"\times ", r"\left(", r"\right)", "e^{", r"\sum_{i=1}^{2}", r"\sum",
          "+", "-", "/", " ", "\n", r"\\", "&", "$", "$$", r"\sigma", "f", "'", r"\prime", r"\text{out}",
          r"\text{ where }", r"\quad", ",", r"\sqrt", "[3]", r"\exp", r"\ln", r"\max", r"\approx", r"\begin{aligned}",
          r"\end{aligned}", r"\{", r"\}", "o_i", "y_i", "i", "10^{", "99", r"\tfrac", "^{+}", "^{(1)}", r"\mathrm{d}",
          r"\big(", r"\bigr)", r"\delta", "E_{total}", "w5", "h1", "%", "#", r"\foo", "*", r"\tanh", r"\Phi",
          r"\varphi", "ReLU", "Sigmoid", r"\,", ";", r"\Rightarrow", "9^{999}", r"\sum_{j=1}^{100}", r"\sum_i^3", "≈",
          "∂", r"\\[2pt]", r"\left[", r"\right]", r"\dfrac", "(-0.07)",
          "8.77e-3", "1E+4", r"\times 10^{-3}", r"\cdot10^{3}", "10", r"\hat", r"\hat{y}", r"\bar", r"\tilde{",
          r"\widehat{", ":=", r"\coloneqq", r"\stackrel{\text{def}}{=}", r"\leftarrow", r"\gets", r"\to",
          r"\mapsto", r"\sum_k", r"\sum_{k \in outputs}", "target", "output", "^{(1-1)}", "^{(l+1)}", "^{[1]}",
          r"\left.", r"\right|", r"\Big|", "|_{w=0.4}", r"\vert", r"\thinspace", r"\hspace{1em}", r"\mkern3mu",
          r"\mathop{", r"\mathbf{", r"\mathbf{W}", r"\textbf{out}", "其中", "所以 ", "即，", "（", "）",
          r"\begin{cases}", r"\tanh^2", r"\sigma^{-1}(", r"\max\{", "0{,}5", r"\in", "...", "←", "→", "ｗ", "𝑤",
          r"\rm", r"\over", r"\ell", "^{old}", r"\begin{alignat*}{2}", "²", "e-3", "E-03",
          r"\begin{bmatrix}", r"\end{bmatrix}", r"\begin{pmatrix}", r"\end{pmatrix}", "&", r"\ ", "[a \\ b]",
          r"\odot", "⊙", r"\circ", "^T", "^{T}", r"^\top", r"\top", r"^{(2)\top}", r"\frac{\partial}{\partial w}",
          r"\frac{d}{dx}", r"\quad", "[2, 3]", r"\begin{vmatrix}"]

VALID = [
    r"\frac{\partial E}{\partial w_5} = (o_1 - y_1)\, o_1 (1 - o_1)\, h_1 = 0.25 \times 0.48 \times 0.56 = 0.03",
    r"Error = \frac{1}{2} \sum_{i=1}^{2} (o_i - y_i)^2",
    r"out_{h1} = \frac{1}{1 + e^{-net_{h1}}} = \frac{1}{1 + e^{-0.3775}} = 0.593269992",
    r"\sigma'(z) = \sigma(z)(1-\sigma(z))",
    "\\begin{aligned} \\delta_{o1} &= \\frac{\\partial E}{\\partial net_{o1}} \\\\ &\\approx 0.138499 \\end{aligned}",
    r"W^{(1)}_{12} + w_5^{+} + \text{out}_{h1} + \sqrt[3]{x} + \max(0, x) + \left[ a \right]",
    r"\partial E/\partial w_5 = \frac{dE}{dw_5} = \frac{\partial (h_1 w_5)}{\partial h_1}",
    "$$a = b \\qquad c = d \\text{ where } e = f$$\n$$= g$$",
    r"\left. \frac{\partial E}{\partial w}\right|_{w=0.4} = 8.77 \times 10^{-3} = 8.77e-3",
    r"E_{total} = \sum \frac{1}{2}(target - output)^2 = \sum_k \frac12 (t_k - \hat{y}_k)^2",
    r"w_5 \leftarrow w_5 - \eta \frac{\partial E}{\partial w_5} \to \hat{y}_1 := \bar{x}^{(l+1)} w_5^{(1-1)}",
    r"其中 \delta_h = o_h(1-o_h)\sum_{k \in outputs} w_{kh}\delta_k，所以 1 - \tanh^2(x) = \max\{0, x\}",
    r"\mathbf{W}^{[1]}_{12} \coloneqq \mathop{\mathrm{sigmoid}}(x) \Big|_{x=0{,}5} \thinspace \hspace{1em} a",
    r"[h_1 \ h_2] = [2 \ 3] \begin{bmatrix} 0.12 & 0.13 \\ 0.23 & 0.10 \end{bmatrix} = [0.93 \quad 0.56]",
    r"\begin{bmatrix} w_5 \\ w_6 \end{bmatrix} = \begin{pmatrix} w_5 \\ w_6 \end{pmatrix} - \eta \Delta [h_1, h_2]^T",
    r"\sigma\left(\begin{bmatrix} a & b \end{bmatrix} W^{(2)\top}\right) \odot \frac{\partial}{\partial w} (t-o)",
]


def _parse_safely(text: str) -> None:
    for sum_range in (None, 2):
        try:
            parse(text, sum_range=sum_range)
        except (ParseError, Refused):
            pass


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


def test_partial_reading_keeps_the_chains_it_can_read() -> None:
    """An answer's unreadable chain (a vector equation) beside readable ones: with partial=True it is kept aside
    with its error and the names before its relation; alone, or without partial, it is the answer's error."""
    text = r"\boldsymbol{W} \otimes J = \boldsymbol{g}, \qquad a = b"
    with pytest.raises(ParseError):
        parse(text)
    p = parse(text, partial=True)
    assert [[canon(p, e.expr) for e in c.elements] for c in p.chains] == [[a, b]]
    (skipped,) = p.skipped
    assert "otimes" in skipped.error.message and skipped.heads == frozenset({"W", "J"}) and "J" in skipped.text
    with pytest.raises(ParseError):
        parse(r"\boldsymbol{W} \otimes J = \boldsymbol{g}", partial=True)


# ------------------------------------------------------------------------------------ textbook notations (issue 11)


def test_ngs_d_letter_is_the_gradient_of_the_cost_but_a_fraction_of_ds_stays_a_derivative() -> None:
    """deeplearning.ai writes ∂J/∂W^{[2]} as dW^{[2]} (also dz, db, da); \\frac{dz}{dw} and dz/dw are derivatives."""
    p = parse(r"dW^{[2]}_{21} = dz^{[2]}_2 \, a^{[1]}_1")
    (chain,) = p.chains
    left, right = (e.expr for e in chain.elements)
    assert p.names[left] == RawPartial(RawName("J"), RawName("W", "21", "[2]"))
    assert {p.names[s] for s in right.free_symbols} == {RawPartial(RawName("J"), RawName("z", "2", "[2]")),
                                                       RawName("a", "1", "[1]")}
    for text in (r"\frac{dz}{dw}", "dz/dw"):
        q = parse(text)
        assert q.names[q.chains[0].elements[0].expr] == RawPartial(RawName("z"), RawName("w"))
    q = parse("(d - y) d z")  # d alone, or apart from the next letter, is the name d
    assert {q.names[s] for s in q.chains[0].elements[0].expr.free_symbols} == {RawName("d"), RawName("y"),
                                                                             RawName("z")}


def test_nabla_of_one_name_is_its_partial_derivative_and_an_entry_of_it_the_entrys() -> None:
    """Goodfellow's ∇_{W^{(1)}} J is ∂J/∂W^{(1)}; (∇_{W^{(1)}} J)_{12} is ∂J/∂W^{(1)}_{12}."""
    p = parse(r"\nabla_{\boldsymbol{W}^{(1)}} J = g, \quad \frac{\partial J}{\partial w_2} = "
              r"\left(\nabla_{\boldsymbol{W}^{(1)}} J\right)_{12}")
    first, second = p.chains
    assert p.names[first.elements[0].expr] == RawPartial(RawName("J"), RawName("W", "", "1"))
    assert p.names[second.elements[1].expr] == RawPartial(RawName("J"), RawName("W", "12", "1"))
    (c,) = parse(r"\nabla_{\hat{y}} J").chains
    assert parse(r"\nabla_{\hat{y}} J").names[c.elements[0].expr] == RawPartial(RawName("J"), RawName("y", "", "",
                                                                                                    "hat"))
    with pytest.raises(ParseError, match="nabla"):
        parse(r"\nabla (J + E)")


def test_ngs_layer_and_sample_superscript_is_one_label_not_a_power() -> None:
    """a^{[2](1)}_1 is layer 2's a_1 of sample 1 (deeplearning.ai), never a_1 to the power 2·1."""
    p = parse(r"a^{[2](1)}_1 + z_1^{[1](i)}")
    (c,) = p.chains
    assert {p.names[s] for s in c.elements[0].expr.free_symbols} == {RawName("a", "1", "[2](1)"),
                                                                    RawName("z", "1", "[1](i)")}


def test_haykins_time_step_after_a_quantity_is_dropped_with_one_sample() -> None:
    """E(n) = ½ e²(n): the quantities at step n (e squared, not exp(2)); w(n+1) keeps its n for the resolver, and
    with several samples (n indexes them) nothing is dropped."""
    p = parse(r"E(n) = \frac{1}{2} e^2(n) + e^{2}(n) + e_j(n)")
    (chain,) = p.chains
    left, right = (e.expr for e in chain.elements)
    e, e_j = (next(s for s in right.free_symbols if p.names[s] == RawName("e", sub)) for sub in ("", "j"))
    assert p.names[left] == RawName("E") and sp.simplify(right - (sp.Rational(3, 2) * e**2 + e_j)) == 0
    q = parse(r"w(n+1)")
    assert {q.names[s] for s in q.chains[0].elements[0].expr.free_symbols} == {RawName("w"), RawName("n")}
    m = parse(r"E(n)", sum_samples=2)
    assert {m.names[s] for s in m.chains[0].elements[0].expr.free_symbols} == {RawName("E"), RawName("n")}


def test_numpys_star_of_two_columns_is_element_wise() -> None:
    """Ng's (a - y) * a * (1 - a) with columns: numpy's * multiplies entry by entry where a matrix product cannot
    be taken; a row times a column stays the matrix product."""
    p = parse(r"\begin{bmatrix} 2 \\ 3 \end{bmatrix} * \begin{bmatrix} 5 \\ 7 \end{bmatrix} * "
              r"\begin{bmatrix} 1 \\ 2 \end{bmatrix} = \begin{bmatrix} 10 \\ 42 \end{bmatrix}")
    assert [[e.expr for e in c.elements] for c in p.chains] == [[10, 10], [42, 42]]
    (c,) = parse(r"\begin{bmatrix} 2 & 3 \end{bmatrix} * \begin{bmatrix} 5 \\ 7 \end{bmatrix}").chains
    assert c.elements[0].expr == 31


def test_code_in_a_formula_is_one_name_and_a_parenthesised_remark_is_dropped() -> None:
    r"""Ng's `\texttt{np.sum}(dZ^{[2]}, \texttt{axis=1})` is one name no network knows (its commas are the call's, not
    separators); `(\text{one } b^{[1]} \text{ shared by both units})`, a remark with prose in it, is no factor."""
    p = parse(r"db = \frac{1}{m}\, \texttt{np.sum}(dZ^{[2]}, \texttt{axis=1}) \quad (\text{one } b^{[1]} "
              r"\text{ shared by both units}) = 0.5 + 0.25")
    (c,) = p.chains
    assert len(c.elements) == 3 and c.elements[2].expr == sp.Rational(3, 4)
    assert {p.names[s] for s in c.elements[1].expr.free_symbols} == {RawName("m"), RawName("np.sum(…)")}
    assert exprs(r"a = (b + c) \, (d)") == [[N("a"), (N("b") + N("c")) * N("d")]]


def test_a_sum_up_to_m_runs_over_the_samples_of_a_batch() -> None:
    r"""Ng's J = −(1/m) Σ_{i=1}^{m} L^{(i)}: with two samples, m is 2 (the index letter need not be n), in the
    factor 1/m too; without a batch the upper limit m stays an error."""
    p = parse(r"J = \frac{1}{m} \sum_{i=1}^{m} L^{(i)}", sum_samples=2)
    (c,) = p.chains
    expr = c.elements[1].expr
    terms = {p.names[s] for s in expr.free_symbols}
    assert terms == {RawName("L", "", "{1}"), RawName("L", "", "{2}")}
    assert expr.subs({s: 1 for s in expr.free_symbols}) == 1  # (L1 + L2)/2
    assert "whole number" in error(r"J = \sum_{i=1}^{m} L^{(i)}").message


def test_a_loss_written_with_its_arguments_is_the_loss() -> None:
    r"""J(θ), C(w, b), E(\mathbf{w}) are the loss; L(ŷ^{(i)}, t^{(i)}) the loss of sample i (Goodfellow's
    J(θ) = (1/m) Σ_i L(ŷ^{(i)}, t^{(i)})). E(n) stays Haykin's time step, and L(x) a product."""
    p = parse(r"J(\boldsymbol{\theta}) = \frac{1}{m} \sum_{i=1}^{m} L\left(\hat{\boldsymbol{y}}^{(i)}, "
              r"\boldsymbol{t}^{(i)}\right)", sum_samples=2)
    (c,) = p.chains
    assert canon(p, c.elements[0].expr) == N("J")
    assert same(canon(p, c.elements[1].expr), (N("L", "", "{1}") + N("L", "", "{2}")) / 2)
    assert exprs(r"C(w, b) = E(\mathbf{w}) + L(x)") == [[N("C"), N("E") + N("L") * N("x")]]


def test_a_norm_is_the_absolute_value_of_a_number_and_the_length_of_a_vector() -> None:
    r"""Zhihu's E = ½‖a^{(3)} − y‖² with one output is ½(a − y)²; ‖[0.3; 0.4]‖ = 0.5; \lVert, \Vert and ‖ too."""
    assert exprs(r"E = \frac{1}{2} \left\| a - y \right\|^2") == [[E, sp.Abs(N("a") - N("y"))**2 / 2]]
    assert exprs(r"\|\begin{bmatrix} 0.3 \\ 0.4 \end{bmatrix}\| + \lVert x \rVert + \Vert y \Vert + ‖z‖") == \
        [[sp.Rational(1, 2) + sp.Abs(N("x")) + sp.Abs(N("y")) + sp.Abs(N("z"))]]


def test_an_activations_derivative_evaluated_at_a_point_is_applied_there() -> None:
    r"""\frac{d\Phi}{du}\Big|_{u = u_3} is Φ'(u_3), \frac{\partial f}{\partial x}\right|_{x = 2} is f'(2); a derivative
    of another name keeps its bar dropped (∂E/∂w at w = 0.4 is ∂E/∂w)."""
    p = parse(r"\frac{d\Phi}{du}\Big|_{u = u_3} + \frac{\partial f}{\partial x}\right|_{x = 2} + "
              r"\frac{dE}{dw}\Big|_{w=0.4}")
    (c,) = p.chains
    u3 = N("u", "3")
    expected = sp.Function("Phi'")(u3) + sp.Function("f'")(2) + P(E, N("w"))
    assert canon(p, c.elements[0].expr) == expected
