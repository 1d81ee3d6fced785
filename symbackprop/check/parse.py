r"""Parse a student's LaTeX derivation into chains of SymPy expressions over *raw* names.

`parse(text)` reads an answer such as

    \frac{\partial E}{\partial w_5} = (o_1 - y_1)\, o_1 (1 - o_1)\, h_1
        = 0.25 \times 0.48 \times 0.52 \times 0.56 = 0.03

and returns `Parsed`: one `Chain` per line (elements joined by "=", "approx" or "assign"), every element
a SymPy expression built straight from our own Lark grammar (grammar.lark, LALR, no conflicts) — the
text is never given to `eval`, `sympify`, `parse_expr` or `parse_latex`. Names are not resolved: every
symbol maps, in `Parsed.names`, to how it was written (`RawName`, `RawPartial`); matching them against
a network is the caller's job. `parse(text, sum_range=n)` also expands a `\sum` written without limits
over 1..n (see Sums).

Rules (the ambiguities of hand-written LaTeX are settled once, here):

Lines and chains
  * Lines end at a newline, at `\\` and at `\begin{..}`/`\end{..}` of aligned, align(*), split,
    gather(*), gathered, equation(*), eqnarray(*), multline(*), flalign(*), alignat(*){n}, alignedat{n},
    displaymath, math. Inside such an environment or inside open brackets a newline is a space. `&` is
    ignored. Matrix environments (bmatrix, ...) are matrices (see Matrices and vectors); other environments
    are a ParseError naming them, with a hint for vmatrix, Vmatrix, cases, array and tabular.
  * `$...$`, `$$...$$`, `\[...\]`, `\(...\)` may wrap the whole answer, or each of several displays;
    only newlines, `.` and `,` may stand between the displays. A `$` anywhere else is a ParseError.
  * A line that starts with a relation (`&= ...`) or with `+`, `\times`, `\cdot`, `*`, `/` (or with
    `-` after a `\\` inside an environment), and a line that follows one ending with a relation or
    one of those operators, continues the previous line. Blank lines are ignored.
  * A trailing `.` or `,` ends a line. Ignored: `\,` `\;` `\!` `\:` `\ ` (but see row vectors) `~` `\displaystyle`
    `\textstyle` `\limits` `\nolimits` `\nonumber` `\notag` `\tag{..}` `\label{..}`, the spacing
    commands `\thinspace` `\medspace` `\thickspace` `\enspace` `\negthinspace` `\negmedspace`
    `\negthickspace` `\hspace{..}` `\vspace{..}` `\phantom{..}` `\strut` `\mathstrut`, `\hskip`
    `\mkern` `\kern` `\mskip` with their dimension (`\hskip 2pt`, `\mkern3mu`), the old font switches
    `\rm` `\it` `\bf` `\sf` `\tt` `\cal` (`{\rm d}E` = dE).
  * `\mathbf`, `\boldsymbol`, `\bm`, `\pmb`, `\mathcal`, `\mathscr`, `\mathnormal`, `\mathop` are
    dropped; around one token they also drop their braces: `\mathbf{W}_{12}` = W_{12},
    `\mathcal{L}` = L, `\mathop{\mathrm{sigmoid}}(x)` = σ(x).
  * Separators inside a line: a top-level `,` or `;`; `\Rightarrow`, `\Longrightarrow`, `\implies`,
    `\therefore`, `\because`, `\iff`, `\Leftarrow`, `\Leftrightarrow`, `\to`, `\rightarrow`,
    `\longrightarrow`, `\mapsto`, `\leadsto`, `\xrightarrow{..}` (and ⇒ → ↦ ∴ ∵); and prose always
    start a new chain; the prose itself is dropped. Prose is `\text{...}` that is not a single name
    (`\text{where}`, `\text{即 }`), `\intertext{..}`, and a run of CJK or other non-Latin, non-Greek
    letters outside `\text` (`其中`, `即`, `所以`, with their punctuation `，。：`, parentheses that hold
    only prose, and letters or digits between two of its letters: `第2层的`). `\quad`/`\qquad` are a
    space when, on the same physical line, the chain so far has a relation and what follows (up to the
    next separator) has none or starts with one: `\delta &= A \times B \quad C` is a product.
    Otherwise they start a new chain: `a = b \qquad c = d` and `A \quad B \quad C` are two and three
    chains. A parenthesised remark with prose in it is dropped with its brackets
    (`(\text{one } b^{[1]} \text{ shared by both units})`).
  * Code, `\texttt{..}` or `\mathtt{..}` with the bracketed arguments after it, is one name no network knows:
    `\texttt{np.sum}(dZ^{[2]}, \texttt{axis=1})` (its member is set aside by the judge, never misread).
  * Relations: "=" for `=`, and for the definitions `:=`, `\coloneqq`, `\coloneq`, `\triangleq`,
    `\equiv`, `\eqqcolon`, `\defeq`, `\stackrel{..}{=}`, `\overset{..}{=}` (`\stackrel{\text{def}}{=}`),
    ≡ ≜ ≔; "approx" for `\approx`, `≈`, `\simeq`, `\doteq`; "assign" for `\leftarrow`, `\gets`,
    `\longleftarrow`, ← (`w_5 \leftarrow w_5 - \eta \frac{\partial E}{\partial w_5}`: the left side
    gets the new value). A chain is element (relation element)*.
  * Characters are read one for one (positions stay): fullwidth forms (＝ （ ） ， ｗ) are ASCII,
    mathematical letters (𝑤 𝜎) and ℎ are plain letters, ϵ ϑ ϕ µ ∆ are Greek, ∑ is `\sum`.

Names
  * Greek commands are names with base = the command name (`\delta` -> "delta", `\varphi` -> "varphi");
    `\ell` (ℓ) is the name l. `\text{..}`, `\textbf{..}`, `\mathrm{..}`, `\mathit{..}`, `\operatorname{..}`
    (and `\textrm` `\textit` `\mbox` ...) around one word make one name: `\text{out}_{h1}`,
    `\mathrm{net}_{o1}`, `\mathrm{d}E/\mathrm{d}w`.
  * A run of plain letters is one name only if it is a known word (case-sensitive: `out Out net Net
    In in input Input output Output target Target Error error Loss loss cost Cost total Total
    prediction Prediction actual Actual new old previous OUT NET IN Err yhat` and the function words
    below); otherwise every letter is its own name and they multiply: `ab` = a·b, `hout` = h·o·u·t.
  * Digits written right after letters are a subscript: `w5` = w_5, `h1` = h_1 (`ab1` = a·b_1).
  * Subscripts are labels, flattened to text: `_5`, `_{5}`, `_{h1}`, `_{h_1}`, `_{h_{1}}` -> "h1",
    `_{total}` -> "total", `_\alpha` -> "alpha". Unlike TeX, an unbraced letter/digit run is taken whole
    as the subscript: `E_total` = E_{total}, `w_12` = w_{12}, `out_h1` = out_{h1}.
  * Superscripts follow TeX: one character unless braced (`x^2y` = x²·y); an unbraced run of several
    digits or letters (`x^10`, `e^xy`) is a ParseError. A superscript that is part of the name:
    `^+`, `^{+}`, `^{new}`, `^{(new)}` -> sup "+"; `^{++}` -> "++"; `^{old}`, `^{(old)}` -> "old";
    `^*` -> "*"; a parenthesised layer index `^{(1)}`, `^{(l)}`, `^{(\alpha)}` -> sup "1", "l",
    "alpha" (W^{(1)}_{12}), also a letter and an integer `^{(l-1)}`, `^{(t+1)}` -> "l-1", "t+1"; the
    same in square brackets (deeplearning.ai: `W^{[1]}`, `a^{[l]}`) -> "[1]", "[l]"; and, on any base
    but e, the layer letters l, L, \ell alone or ± an integer, braced or not (Nielsen: `w^l_{jk}`,
    `a^{l-1}_k`, `\delta^L`) -> "l", "l-1", "L" (`x^lw` = x^l·w). `^T`, `^{T}`, `^\top` are transposes
    (see Matrices and vectors). Every other superscript is a power, also a bare number on a name (`W_{ij}^1` is
    W_{ij} to the power 1, `x_1^2` = (x_1)^2) and any other parenthesised expression: `w_5^{(1-1)}` =
    w_5^0 = 1, `x^{(1.5)}` = x^(3/2).
  * Primes belong to the name: `h'_1` -> base "h'", `\Phi'_j` -> base "Phi'".
  * Accents: `\hat{y}`, `\hat y_1` (TeX takes one letter: `\hat yz` = ŷ·z; `\hat y1` = ŷ_1),
    `\hat{y}_{1}`, `\hat{y_1}`, `\bar{x}`, `\tilde{o}`, `\vec{w}`, `\widehat{y}` -> RawName.accent
    "hat", "bar", "tilde", "vec" (`\widehat` -> "hat", `\widetilde` -> "tilde", `\overline` -> "bar"),
    base, sub and sup those of the undecorated name; str() "hat(y)_1". An accent must be on one name
    (`\hat{ab}`, `\hat{2}`, `\hat{\hat y}` are ParseErrors); an accented name is never a function or e
    (`\hat\sigma(z)` = σ̂·z). `\dot`, `\check`, `\underline`, ... are ParseErrors naming them.
  * A braced name takes scripts like the name: `{W}_{12}` = W_{12} (not `(W)_{12}`, a ParseError).
  * `e` is Euler's number only as the unscripted base of `^` (`e^{-x}` = exp(-x)); otherwise it is a
    name.

Functions
  * A name from {f, g, \sigma, \phi, \varphi, \Phi, sigmoid, Sigmoid, relu, ReLU, Relu} (plain or in
    `\text`/`\operatorname`/...) or `\exp`, `\ln`, `\log`, `\tanh`, `\max` (plain words too), followed,
    after optional primes, a subscript and a power, by `(`, `\left(`, `[` or `\{` is applied to what is
    inside: `sympy.Function(canonical)(arg)` with canonical "sigma" (\sigma, sigmoid, Sigmoid), "phi"
    (\phi, \varphi), "Phi", "f", "g", "relu"; primes are added to the name (`f'(x)`, `\sigma'(z)`,
    `\sigma^\prime(z)` -> Function("f'"), Function("sigma'")); exp, ln/log, tanh, max are SymPy's
    (`\max\{0, x\}` = Max(0, x)). A positive whole power before the bracket is a power of the value:
    `\tanh^2(x)` = tanh(x)², `\sigma^2(z)` = σ(z)²; any other (`\sigma^{-1}(x)`, an inverse) is a
    ParseError. Every other name followed by `(` is a product: `o_1(1-o_1)` = o_1·(1-o_1), `h(x)` = h·x.
  * An activation's derivative evaluated at a point is applied there: `\frac{d\Phi}{du}\Big|_{u = u_3}` =
    Φ'(u_3), `\frac{\partial f}{\partial x}\right|_{x = net}` = f'(net) (other derivatives drop the bar).
  * Norms: `\|x\|`, `\left\| x \right\|`, `\lVert x \rVert`, `\Vert x \Vert`, ‖x‖ (the bars open and close in
    turn; they do not nest) are |x| of a number or name and √(Σ entries²) of a vector of entries.
  * `\exp`, `\ln`, `\log`, `\tanh` without a bracket apply to the next factor with its scripts:
    `\ln x_1 y` = log(x_1)·y, `\exp{-x}` = exp(-x), `\tanh^2 x` = tanh(x)². `\max` needs brackets.
  * A loss (J, E, L, C) written with its arguments, `J(\theta)`, `E(\mathbf{w})`, `C(w, b)`, `L(\hat{y}^{(i)},
    t^{(i)})`, is the loss — of sample i when its arguments carry that one superscript (L^{(i)}). E(n) is
    Haykin's time step (see below); `L(x)` with one other argument stays a product.

Operators and precedence
  * Juxtaposition binds tighter than `\times`, `\cdot`, `*`, `/` and the Hadamard `\odot`, `\circ`: `a / b c`
    = a/(b·c). A leading sign applies to the factor: `-a b` = -(a·b). `\pm` is a ParseError.
  * Two bare numbers side by side (`2 3`, `0.85 \ 0.48`) are a ParseError (a vector, not a product).
  * Numbers are exact: `0.25` is 1/4, `0{,}25` (a decimal comma) too. Scientific notation is one exact
    number: `8.77e-3`, `8.77E-03`, `1e-4` (`e`/`E` right after the digits, then an optional sign and
    digits, no space; also an upright `\mathrm{e}`: `-6.8765\mathrm{e}{-1}`), and a number times 10 to an
    integer power with `\times`, `\cdot`, ×, ·:
    `8.77 \times 10^{-3}`, `8.77\cdot10^{-3}`, `1.2 \times 10^3` — one number also after a `/`
    (`a / 8.77 \times 10^{-3}` = a/0.00877), but not when the mantissa is a one-token argument
    (`x^2 \times 10^3` = x²·1000) or scripts follow. `0.5e^{-x}`, `2e^{x}`, `2e - 3` stay a number times
    e^(..) or e. Where TeX gives the digits to what stands before (`w1e-3`, `w_1e-3`), `e-3` is e − 3.
  * `Element.literal` is the text of an element that is one (possibly signed) number: "0.03",
    "-0.0380982" as written (a decimal comma as "."); for scientific notation "<mantissa as
    written>e<integer exponent>": "8.77e-3" for `8.77 \times 10^{-3}` and `8.77E-03`, "-1.5e2" for
    `-1.5 \cdot 10^{2}`, "1e-4".
  * `\frac{a}{b}`, `\dfrac`, `\tfrac`, `\cfrac`; one-token arguments as TeX: `\frac12` = 1/2.
    Brackets: `( )`, `[ ]`, `\{ \}`, `\left( \right)`, `\big( \bigr)`, ... (`\left` pairs with `\right`).
  * Evaluation bars: `\left. A \right|_{w=0.4}`, `A \Big|_{...}`, `\bigg|_{..}^{..}`, `|_{..}`,
    `\vert_{..}`: the bar and its subscript/superscript are dropped, the expression is what stands
    before (`\left.` and `\right.` are invisible). A bar without a script is an absolute value: a
    ParseError.

Sums
  * `\sum_{i=1}^{2} body` (also `^{2}_{i=1}`, and `\sum_i^3` = from 1): the body runs to the next
    `+`/`-`/relation/closing bracket at the level of the `\sum`, including `\times` and `/`. It is
    expanded: the index letter is replaced by each value where it stands alone in a subscript or a
    name superscript (o_i -> o_1, W_{ij} -> W_{1j}, out_{o_i} -> out_{o1}; y^{(i)} -> sup "{1}", a sample's
    index; Ng's dz^{[2](i)} -> sup "[2](1)", layer 2 of sample 1) and the bare name i becomes the number.
    Limits must be integers.
  * Without limits, with `parse(text, sum_range=n)`: `\sum_k body`, `\sum_{k}` (also `\sum_{k=1}`) and
    Mitchell's `\sum_{k \in outputs}` run over k = 1..n as above. A bare `\sum body` runs over the one
    index letter i, j or k that its body's names have as their whole subscript (`\sum (t_k - o_k)^2`),
    or, without one, gives every name of the body with no subscript and a base among target, output,
    out, t, y, o, d, a, E, Out, Target, Output (accents allowed: \hat{y}) — in a partial, either side —
    the subscript 1, ..., n: `\sum \frac{1}{2}(target - output)^2` = ½(target_1 − output_1)² +
    ½(target_2 − output_2)². A bare `\sum` with none of these, or two index letters, is a ParseError.
  * With `parse(text, sum_samples=N)` (several samples), a `\sum` over n, m, p or s without limits, or up to
    a symbolic N, runs over the samples 1..N: `\frac{1}{2}\sum_n \delta^{(n)} h^{(n)}`; so does a `\sum` over
    any letter up to m or N (Ng: `\frac{1}{m}\sum_{i=1}^{m} L^{(i)}`).
  * With `sum_range=None` (the default) a `\sum` without both limits is a ParseError with a hint;
    a `\sum` over another set (`\sum_{d \in D}`) always is.

Derivatives
  * `\frac{\partial A}{\partial B}`, `\partial A/\partial B`, `\frac{dA}{dB}`, `dA/dB` (also `\dfrac`,
    `\mathrm{d}`) with A and B names give a symbol registered as RawPartial(of=A, wrt=B) (the ∂ and d
    forms are the same symbol). With A an expression, `\frac{\partial (h_1 w_5 + b)}{\partial h_1}`,
    the result is `sympy.Derivative(expr, B)`, unevaluated (B the raw name's symbol). With `/` the
    pattern binds to the factors next to the slash: `a \partial E/\partial w\, h` = a·(∂E/∂w)·h.
  * `d` is the plain one-letter name d: a fraction whose numerator and denominator both start with it
    (`\frac{d y}{d w}`) is a derivative, never (d·y)/(d·w); elsewhere d is an ordinary name (`(d - y)`).
  * Where only a name can stand, a name with a bare integer power of 2 or more is the layer-labelled
    name (Nielsen writes w^3_{12} for W^{(3)}_{12}): `\frac{\partial C}{\partial w^3_{12}}` is
    RawPartial(C, RawName("w", "12", "3")), and then a lone numerator written so is labelled too
    (`\frac{\partial a^3_j}{\partial z^3_j}`); elsewhere `w^3_{12}` stays a power (and `W_{ij}^1` = W_{ij}).
  * The operator `\frac{\partial}{\partial w}`, `\frac{d}{dx}` (also `\dfrac`, `\mathrm{d}`) applies to the rest of
    its juxtaposition (what follows it up to the next `\times`, `\cdot`, `/`, `+`, `-`, relation or closing
    bracket, a `\sum` included), exactly as the fraction form would: `\frac{\partial}{\partial w} E` is the
    RawPartial symbol of `\frac{\partial E}{\partial w}`; `\frac{\partial}{\partial w_5}\left(\frac12 (t - o)^2\right)`
    and `\frac{\partial}{\partial w_5} \frac12 (t - o)^2` are Derivative((t - o)^2/2, w_5);
    `a \frac{d}{dx} f \times b` = a·(df/dx)·b. With nothing after it (`\frac{\partial}{\partial w} \times E`) or
    with a script (`\frac{\partial}{\partial w}^2 E`) it is a ParseError.
  * Higher-order (`\partial^2`), mixed (`\partial w \partial v`) or with respect to an expression are a
    ParseError.
  * `Parsed.names` holds every symbol of every element, the variables of a `sympy.Derivative`
    included (they are not always in `free_symbols`: use `expr.atoms(sympy.Symbol)` to map them).

Matrices and vectors
  * `\begin{bmatrix} a & b \\ c & d \end{bmatrix}` (also pmatrix, matrix, Bmatrix, smallmatrix): `&` separates the
    entries of a row, `\\` the rows (a `\\` right before `\end` is dropped); the rows must be of one length. vmatrix
    (a determinant), Vmatrix, array and a matrix inside a matrix are ParseErrors.
  * A row vector in square brackets, `[h_1 \ h_2]`, `[2 \quad 3]`, `[a, b]` (entries separated, at the bracket's own
    level, by `\ ` between two operands — before a sign only if the sign touches its operand, `[a \ -b]` —, by
    `\quad`, `\qquad` or `,`), is a 1×n matrix when the chain has a matrix environment or two of its members hold
    such a bracket; then a member that is one square bracket (`[out]`, `[0.191]`) is a 1×1 matrix too. Elsewhere
    nothing changes: `x = [a \ b]` is x = a·b, `[2 \ 3]` two numbers side by side, `[a, b]` an error, and `[a + b]`
    is always a bracket.
  * A 1×1 matrix is its entry, also a row times a column: `[h_1 \ h_2] \begin{bmatrix} w_5 \\ w_6 \end{bmatrix}` =
    h_1 w_5 + h_2 w_6.
  * Arithmetic: juxtaposition, `\times`, `\cdot`, `*` multiply matrices (the first must have as many columns as
    the second has rows) and scalars with matrices; `+` and `-` need one shape, and add a scalar to every entry
    (`1 - \sigma(Z)`); `/` and `\frac` divide a matrix by a scalar; `\odot`, `\circ`, ⊙, ∘ (Hadamard) multiply
    entry by entry, one shape (with a scalar: a product); `^T`, `^{T}`, `^\top`, `^{\top}`, `^\intercal`,
    `^{\mathrm{T}}` transpose (`W^{(3)\top}` is W^{(3)} transposed) and a scalar is its own transpose (`W^T x`
    with names is W·x); a name superscript on a matrix of names goes to each name (`[w_5 \\ w_6]^{+}` =
    [w_5^+ \\ w_6^+], `\begin{bmatrix} w_{11} & w_{12} \end{bmatrix}^{(1)}`); a function given a matrix is
    applied to each entry (`\sigma(Z)`, `\exp Z`, `\max(0, Z)`), and so is a derivative
    (`\frac{\partial}{\partial w} Z`). Shapes that do not fit (the message names them), a power of a matrix, and
    a matrix in a denominator, an exponent, a subscript, a `\sum` or a `\sqrt` are ParseErrors.
  * A chain whose members are matrices becomes one chain per entry, row by row: the same relations, each
    element's expr that entry, start/end the span of the whole member, literal None and `Element.entry` =
    (row, column) from 0. All members must have one shape: a matrix and a scalar (other than 1×1), or two
    shapes, in one chain are a ParseError naming the shapes. A member that is a 1×1 matrix holding a lone
    (signed) number has its literal: `\begin{bmatrix} 0.2571 \end{bmatrix}`, and `[0.2571]` in a chain with
    matrices -> "0.2571".

Errors and limits
  * Anything else is a ParseError (never another exception) with `.position` (0-based), `.line`,
    `.column` (1-based) and a message naming the construct: unknown commands (`\foo`, `\input`,
    `\def`, `\write18`), with a hint for the known unsupported ones (`\nabla`, `\otimes`,
    `\prod`, `\int`, `\lim`, `\le`, `\in`, `\mathbb`, `\langle`, `\over`, `\sim`, `\pm`,
    `\dots`, accents other than the four); `#`, `%`, `|x|`, a lone `:`, `<`, `!`, `²`, `√`, `½`,
    `...`; accented Latin letters (é) outside `\text`; unbalanced brackets.
  * Refused (never a hang): text longer than max_chars; brackets nested deeper than max_depth (a
    linear scan before parsing); a number with more than 50 digits or a scientific exponent above
    1000 in absolute value; a power whose numeric exponent exceeds 1000 in absolute value
    (`10^{10^{10}}`) or whose numeric value would have more than 5000 digits (20000 in all, scientific
    exponents above 50 included); a `\sum` of more than 100 terms (200000 expression nodes in all);
    a matrix larger than 10×10, or matrix arithmetic that makes more than 200000 expression nodes in all
    (`M M M M` with M 10×10 of names); more than `timeout` seconds in all.
"""

from __future__ import annotations

import bisect
import itertools
import re
import time
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import sympy as sp
from lark import Lark, Token
from lark.exceptions import UnexpectedInput, UnexpectedToken, VisitError
from lark.lexer import Lexer
from lark.visitors import Transformer_NonRecursive

__all__ = ["Chain", "Element", "ParseError", "Parsed", "RawName", "RawPartial", "Refused", "parse"]


# ---------------------------------------------------------------------------------------------- API


class ParseError(Exception):
    """The text is not a derivation we can read. `.message` is written for the student."""

    def __init__(self, message: str, position: int = 0, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.line = line
        self.column = column
        self.heads: frozenset[str] = frozenset()  # what the unread chains may define (Skipped.heads)


class Refused(Exception):
    """The text is too large, too deep or would take too long: we do not even try."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RawName:
    """A name as written: base "w", sub "5", sup "" for w_5; base "W", sub "12", sup "1" for W^{(1)}_{12};
    accent "hat", "bar", "tilde" or "vec" for \\hat{y}_1 (base "y", sub "1"), "" without one."""

    base: str
    sub: str = ""
    sup: str = ""
    accent: str = ""

    def __str__(self) -> str:
        base = f"{self.accent}({self.base})" if self.accent else self.base
        return base + (f"_{self.sub}" if self.sub else "") + (f"^{self.sup}" if self.sup else "")


@dataclass(frozen=True)
class RawPartial:
    """∂of/∂wrt (or d of / d wrt) with both sides single names."""

    of: RawName
    wrt: RawName

    def __str__(self) -> str:
        return f"∂{self.of}/∂{self.wrt}"


@dataclass(frozen=True)
class Element:
    expr: sp.Expr
    start: int
    end: int
    literal: str | None  # a lone (possibly signed) number as written: "0.03", "-0.0380982", "8.77e-3" (scientific)
    entry: tuple[int, int] | None = None  # (row, column), from 0, when the member is a matrix and this its entry
    # the member is a matrix of this shape written with names (δ^{(1)} (a^{(0)})^T): its entry `entry` is meant
    whole: tuple[int, int] | None = None


@dataclass(frozen=True)
class Chain:
    elements: tuple[Element, ...]
    relations: tuple[str, ...]  # "=", "approx" or "assign" (\leftarrow); len(relations) == len(elements) - 1
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Skipped:
    """A chain we cannot read in an answer whose other chains we can (a vector equation beside its entries)."""
    text: str
    error: ParseError
    heads: frozenset[str] = frozenset()  # the bases of the names before its first relation: what it may define


@dataclass(frozen=True)
class Parsed:
    chains: tuple[Chain, ...]
    names: Mapping[sp.Symbol, RawName | RawPartial]
    skipped: tuple[Skipped, ...] = ()


# ---------------------------------------------------------------------------------------- vocabulary

GREEK = frozenset({
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota",
    "kappa", "lambda", "mu", "nu", "xi", "pi", "varpi", "rho", "varrho", "sigma", "varsigma", "tau", "upsilon",
    "phi", "varphi", "chi", "psi", "omega",
    "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega",
})
_GREEK_CHARS = dict(zip(
    "αβγδεζηθικλμνξπρστυφχψωΓΔΘΛΞΠΣΥΦΨΩ",
    ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu",
     "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
     "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega"], strict=True))
_GREEK_CHARS.update({"ϵ": "epsilon", "ϑ": "vartheta", "ϕ": "phi", "ϱ": "varrho", "ϖ": "varpi", "µ": "mu",
                     "∆": "Delta"})

#: plain letter runs that are one name (case-sensitive); any other run is one name per letter
WORDS = frozenset({
    "out", "Out", "net", "Net", "In", "in", "input", "Input", "output", "Output", "target", "Target",
    "Error", "error", "Loss", "loss", "cost", "Cost", "total", "Total", "prediction", "Prediction",
    "actual", "Actual", "new", "old", "previous", "OUT", "NET", "IN", "Err", "yhat",
    "sigmoid", "Sigmoid", "relu", "ReLU", "Relu", "tanh", "exp", "ln", "log", "max",
})
#: names that are applied when followed by ( or [: written base -> canonical function name
FUNCTION_NAMES = {
    "f": "f", "g": "g", "sigma": "sigma", "sigmoid": "sigma", "Sigmoid": "sigma", "phi": "phi", "varphi": "phi",
    "Phi": "Phi", "relu": "relu", "ReLU": "relu", "Relu": "relu",
    "tanh": "tanh", "exp": "exp", "ln": "log", "log": "log", "max": "max",
    "H": "heaviside", "Heaviside": "heaviside",  # H(net): the step, ReLU's derivative as the lectures print it
}
_BUILTIN = frozenset({"exp", "log", "tanh", "max", "heaviside"})
#: \text{...} contents that are prose, not a name
CONNECTORS = frozenset({
    "where", "and", "with", "for", "so", "thus", "hence", "then", "since", "because", "gives", "is", "as", "or",
    "if", "therefore", "we", "get", "have", "by", "let", "given", "of", "at", "to", "ie", "eg", "using",
    "from", "that", "which", "the", "a", "an", "be", "are", "when",
})
ENVIRONMENTS = frozenset({
    "aligned", "align", "align*", "split", "gather", "gather*", "gathered", "equation", "equation*",
    "eqnarray", "eqnarray*", "multline", "multline*", "flalign", "flalign*", "alignat", "alignat*", "alignedat",
    "displaymath", "math",
})
#: matrix environments: \begin{bmatrix} a & b \\ c & d \end{bmatrix} (see Matrices and vectors)
MATRIX_ENVS = frozenset({"matrix", "bmatrix", "pmatrix", "Bmatrix", "smallmatrix"})
_ENV_HINTS = {
    "vmatrix": "a determinant |..| cannot be checked: write it out",
    "Vmatrix": "a norm ||..|| cannot be checked: write the sum of squares",
    "cases": "cases cannot be checked: write each case as its own equation",
    "array": r"arrays cannot be checked: write a matrix as \begin{bmatrix}..\end{bmatrix}, an equation per line "
             "in aligned",
    "tabular": "tables cannot be checked: write one equation per line (in aligned)",
}
#: \hat{y} and its kin: the command -> RawName.accent
ACCENTS = {"hat": "hat", "widehat": "hat", "bar": "bar", "overline": "bar", "tilde": "tilde", "widetilde": "tilde",
           "vec": "vec"}
#: the letters deeplearning.ai writes its gradients with: dW, db, dz, da (dZ, dA) = ∂J/∂W, ...
NG_GRADIENTS = frozenset("WwbzZaA")
#: the base of the d of such a run: still the d of a derivative in \frac{dz}{dw} and dz/dw
NG_D = "d·"
#: a layer's size in a \sum's upper limit (parse(..., sizes={"inputs": 2, ...})): Duda–Hart–Stork's d inputs,
#: n_H hidden units and c outputs, Bishop's D, M and K
SIZE_NAMES = {"d": "inputs", "D": "inputs", "n_H": "hidden", "M": "hidden", "c": "outputs", "K": "outputs",
              "n_L": "outputs"}  # (3Blue1Brown's \sum_{j=0}^{n_L - 1}, from 0)
#: "new" and "old" in the languages of the sheets (w_6^{\text{нов}}, w^{\text{neu}}, w^{\text{新}})
NEW_WORDS = frozenset({"new", "neu", "нов", "новый", "новое", "nouveau", "nouvelle", "nuevo", "nueva", "novo", "nova",
                       "nuovo", "nuova", "yeni", "mới", "新", "更新后", "baru", "updated"})
OLD_WORDS = frozenset({"old", "alt", "стар", "старый", "ancien", "viejo", "velho", "vecchio", "eski", "旧", "原"})
#: words that name a layer in a parenthesised superscript (Raschka's a^{(in)}, a^{(h)}, z^{(out)})
LAYER_WORDS = frozenset({"in", "input", "hidden", "out", "output"})
#: index letters of a \sum over the samples (parse(..., sum_samples=N))
SAMPLE_INDICES = frozenset({"n", "m", "p", "s"})
#: names that a \sum without an index gives the subscript 1, 2, ... (with parse(..., sum_range=n))
SUM_BASES = frozenset({"target", "output", "out", "t", "y", "o", "d", "a", "E", "Out", "Target", "Output"})
#: the index letters a \sum without an index may find in its body (t_k, o_k)
SUM_LETTERS = frozenset({"i", "j", "k"})

_CMD_TYPES: dict[str, tuple[str, str]] = {
    "Vert": ("NORM", ""), "lVert": ("NORM", "left"), "rVert": ("NORM", "right"),
    **{c: ("FRAC", c) for c in ("frac", "dfrac", "tfrac", "cfrac")},
    "sqrt": ("SQRT", "sqrt"),
    "sum": ("SUM", "sum"),
    "partial": ("PARTIAL", "partial"),
    **{c: ("MUL", c) for c in ("times", "cdot", "ast")},
    **{c: ("MUL", "odot") for c in ("odot", "circ")},  # a Hadamard (element-wise) product
    **{c: ("TOP", c) for c in ("top", "intercal")},  # only as a superscript: W^\top
    "div": ("DIV", "div"),
    **{c: ("REL", "approx") for c in ("approx", "simeq", "doteq", "thickapprox", "approxeq")},
    **{c: ("REL", "=") for c in ("coloneqq", "coloneq", "triangleq", "equiv", "eqqcolon", "defeq", "eqdef")},
    **{c: ("REL", "assign") for c in ("leftarrow", "gets", "longleftarrow")},
    "prime": ("PRIME", "'"),
    **{c: ("SOFTSEP", c) for c in ("quad", "qquad")},
    **{c: ("HARDSEP", c) for c in ("Rightarrow", "Longrightarrow", "implies", "therefore", "because", "iff",
                                   "to", "rightarrow", "longrightarrow", "mapsto", "longmapsto", "Leftarrow",
                                   "Longleftarrow", "Leftrightarrow", "Longleftrightarrow", "leadsto")},
    **{c: ("FUNCCMD", FUNCTION_NAMES[c]) for c in ("exp", "ln", "log", "tanh", "max")},
    "lbrace": ("LCURLY", ""), "rbrace": ("RCURLY", ""), "lbrack": ("LBRACK", ""), "rbrack": ("RBRACK", ""),
    **{c: ("NAME", c) for c in GREEK},
    "ell": ("NAME", "l"),
    **{c: ("ACCENT", a) for c, a in ACCENTS.items()},
    **{c: ("WRAP", c) for c in ("mathbf", "boldsymbol", "bm", "mathop", "mathcal", "mathscr", "pmb", "mathnormal",
                                          "boxed")},
    "in": ("IN", "in"),
    **{c: ("BAR", c) for c in ("vert", "lvert", "rvert", "mid")},
}
_IGNORED_CMDS = frozenset({
    "displaystyle", "textstyle", "scriptstyle", "limits", "nolimits", "nonumber", "notag", "thinspace",
    "medspace", "thickspace", "enspace", "negthinspace", "negmedspace", "negthickspace", "mathstrut", "strut",
    "rm", "it", "bf", "sf", "tt", "cal", "mit",
})
_SIZED = frozenset(
    p + s for p in ("big", "Big", "bigg", "Bigg") for s in ("", "l", "r", "m")
)
_CMD_HINTS = {
    "pm": "± cannot be checked: write the two cases separately",
    "mp": "∓ cannot be checked: write the two cases separately",
    **{c: "an ellipsis cannot be checked: write every term" for c in ("cdots", "ldots", "dots", "vdots", "ddots",
                                                                       "dotsb", "dotsc", "dotsm")},
    **{c: rf"\{c}{{...}} must contain plain text (no braces, $, %, #, & or line breaks)"
       for c in ("text", "mbox", "mathrm", "mathit", "operatorname", "textrm", "textit", "textnormal", "textsf",
                 "mathsf", "texttt", "mathtt", "textbf", "intertext")},
    **{c: rf"the accent \{c} is not supported (only \hat, \bar, \tilde, \vec)"
       for c in ("dot", "ddot", "check", "breve", "acute", "grave", "underline", "overrightarrow", "mathring")},
    "nabla": r"\nabla can only be the gradient of one name with respect to one name, \nabla_{W} J: otherwise write "
             "each partial derivative",
    **{c: rf"\{c} cannot be checked: write each entry" for c in ("otimes", "oplus", "bullet")},
    "prod": r"\prod cannot be checked: write the factors",
    **{c: rf"\{c} cannot be checked" for c in ("int", "iint", "oint", "lim", "infty", "forall", "exists")},
    **{c: rf"\{c}: inequalities cannot be checked"
       for c in ("le", "leq", "ge", "geq", "lt", "gt", "neq", "ne", "leqslant", "geqslant", "ll", "gg")},
    **{c: rf"\{c}: sets cannot be checked" for c in ("notin", "subset", "subseteq", "mathbb", "cup", "cap")},
    **{c: rf"\{c}: vectors ⟨..⟩ cannot be checked: write each entry" for c in ("langle", "rangle")},
    "over": r"\over cannot be read: write \frac{..}{..}",
    **{c: rf"\{c} is only supported as \{c}{{..}}{{=}} (a definition)" for c in ("stackrel", "overset")},
    **{c: rf"\{c} must be followed by a dimension such as 2pt or 3mu" for c in ("hskip", "mkern", "kern", "mskip")},
    **{c: rf"\{c}{{...}} must contain plain text" for c in ("hspace", "vspace", "phantom", "hphantom", "vphantom")},
    "propto": r"\propto cannot be checked: write the equation",
    "sim": r"\sim cannot be checked (a range or a distribution): write each case",
    "square": r"\square (a placeholder) cannot be checked",
    "Box": r"\Box (a placeholder) cannot be checked",
}
_CHAR_TYPES: dict[str, tuple[str, str]] = {
    "‖": ("NORM", ""),
    "+": ("PLUS", "+"), "-": ("MINUS", "-"), "−": ("MINUS", "-"), "*": ("MUL", "*"), "×": ("MUL", "times"),
    "·": ("MUL", "cdot"), "⋅": ("MUL", "cdot"), "∗": ("MUL", "*"), "∙": ("MUL", "cdot"), "/": ("DIV", "/"),
    "÷": ("DIV", "div"), "⊙": ("MUL", "odot"), "∘": ("MUL", "odot"),
    "=": ("REL", "="), "≈": ("REL", "approx"), "≃": ("REL", "approx"), "≡": ("REL", "="), "≜": ("REL", "="),
    "≔": ("REL", "="), "←": ("REL", "assign"), "⟵": ("REL", "assign"),
    **{c: ("HARDSEP", c) for c in "→⟶↦⇒⟹∴∵⇔"},
    "(": ("LPAR", ""), ")": ("RPAR", ""), "[": ("LBRACK", ""), "]": ("RBRACK", ""),
    "{": ("LBRACE", ""), "}": ("RBRACE", ""), "^": ("CARET", ""), "_": ("USCORE", ""), "'": ("PRIME", "'"),
    "′": ("PRIME", "'"), ",": ("COMMA", ","), ".": ("DOT", "."), ";": ("HARDSEP", ";"), ":": ("HARDSEP", ":"),
    "∂": ("PARTIAL", "partial"),
    "∑": ("SUM", "sum"), "|": ("BAR", "|"), "∣": ("BAR", "|"), "∈": ("IN", "in"),
    "。": ("DOT", "."), "、": ("COMMA", ","), "ℓ": ("NAME", "l"),
    **{c: ("NAME", n) for c, n in _GREEK_CHARS.items()},
}
_CHAR_HINTS = {
    "%": "comments (%) are not allowed",
    "#": "'#' is not allowed",
    "\\": "a lone backslash",
    **{c: f"'{c}': inequalities cannot be checked" for c in "<>≤≥≠≦≧"},
    "!": "'!' (a factorial) cannot be checked",
    **{c: f"'{c}': write powers with ^{{...}}" for c in "²³¹⁰⁴⁵⁶⁷⁸⁹⁻⁺"},
    "√": "'√': write \\sqrt{...}",
    **{c: f"'{c}': write fractions with \\frac{{..}}{{..}}" for c in "½¼¾⅓⅔"},
    "…": "an ellipsis cannot be checked: write every term",
    "∇": "'∇' (a gradient vector) cannot be checked: write each partial derivative",
    "±": "± cannot be checked: write the two cases separately",
}

_OPENERS = {"LPAR": "RPAR", "LBRACK": "RBRACK", "LCURLY": "RCURLY", "LBRACE": "RBRACE",
            "CALL_LPAR": "RPAR", "CALL_LBRACK": "RBRACK", "CALL_LCURLY": "RCURLY", "OPT_LBRACK": "RBRACK",
            "MBEGIN": "MEND", "LNORM": "RNORM"}
_CLOSERS = frozenset({"RPAR", "RBRACK", "RCURLY", "RBRACE", "MEND", "RNORM"})
_BINOPS = frozenset({"PLUS", "MINUS", "MUL", "DIV"})
_PARSER_TERMINALS = frozenset({
    "NUMBER", "NAME", "FUNC", "FUNC_BARE", "PARTIAL", "FRAC", "SQRT", "SUM", "PLUS", "MINUS", "MUL", "DIV",
    "CARET", "USCORE", "PRIME", "SUPMARK", "SUBTEXT", "COMMA", "REL", "LPAR", "RPAR", "LBRACK", "RBRACK", "LCURLY",
    "RCURLY", "LBRACE", "RBRACE", "CALL_LPAR", "CALL_LBRACK", "CALL_LCURLY", "OPT_LBRACK", "ACCENT", "IN",
    "LNORM", "RNORM",
    "MBEGIN", "MEND", "MCOL", "MROW", "TRANSPOSE",
})
_ARGUMENT_TYPES = _PARSER_TERMINALS | {"LETTERS", "TEXTNAME"}  # what can follow ^ or \frac in pass B
_DESCRIBE = {
    "NUMBER": "a number", "NAME": "a name", "FUNC": "a function", "FUNC_BARE": "a function", "PARTIAL": r"\partial",
    "FRAC": r"\frac", "SQRT": r"\sqrt", "SUM": r"\sum", "PLUS": "'+'", "MINUS": "'-'", "MUL": r"\times",
    "DIV": "'/'", "CARET": "'^'", "USCORE": "'_'", "PRIME": "a prime", "SUPMARK": "a superscript",
    "SUBTEXT": "a subscript", "COMMA": "','", "REL": "'='", "LPAR": "'('", "RPAR": "')'", "LBRACK": "'['",
    "RBRACK": "']'", "LCURLY": r"'\{'", "RCURLY": r"'\}'", "LBRACE": "'{'", "RBRACE": "'}'", "CALL_LPAR": "'('",
    "CALL_LBRACK": "'['", "CALL_LCURLY": r"'\{'", "OPT_LBRACK": "'['", "ACCENT": "an accent", "IN": r"\in",
    "MBEGIN": "a matrix", "MEND": "the end of a matrix", "MCOL": "'&'", "MROW": r"'\\'", "TRANSPOSE": "a transpose",
    "$END": "the end of the expression",
}

MAX_NUMBER_DIGITS = 50
MAX_EXPONENT = 1000
MAX_POWER_DIGITS = 5000
MAX_TOTAL_DIGITS = 20_000
MAX_SUM_TERMS = 100
MAX_SUM_NODES = 200_000
MAX_MATRIX_SIDE = 10
MAX_MATRIX_NODES = 200_000

_DIMEN = r"[ \t]*-?[0-9]*\.?[0-9]+[ \t]*(?:pt|em|ex|mm|cm|in|mu|bp|sp|pc|dd)"
_RAW = re.compile(r"""
 (?P<nl>\n)
|(?P<ws>[ \t\r\f\v]+)
|(?P<brk>\\\\(?:[ \t]*\[""" + _DIMEN + r"""[ \t]*\])?)
|(?P<begin>\\begin[ \t]*\{[ \t]*(?P<benv>[A-Za-z]+\*?)[ \t]*\}(?:[ \t]*\{[ \t]*[0-9]{1,3}[ \t]*\})?)
|(?P<end>\\end[ \t]*\{[ \t]*(?P<eenv>[A-Za-z]+\*?)[ \t]*\})
|(?P<prose>\\intertext[ \t]*\{[^{}\\$%#&\n]*\})
|(?P<text>\\(?:text|mbox|mathrm|mathit|operatorname|textrm|textit|textnormal|textsf|mathsf|texttt|mathtt|textbf)
    \*?[ \t]*\{(?P<tbody>(?:[^{}\\$%#&\n]|\\_)*)\})
|(?P<defrel>\\(?:stackrel|overset)[ \t]*\{(?:[^{}\n]|\{[^{}\n]*\})*\}[ \t]*(?:\{[ \t]*=[ \t]*\}|=))
|(?P<arrow>\\(?:xrightarrow|xleftarrow|xRightarrow)[ \t]*(?:\[[^\]\n]*\])?[ \t]*\{(?:[^{}\n]|\{[^{}\n]*\})*\})
|(?P<drop>\\(?:tag|label|hspace|vspace|phantom|hphantom|vphantom)\*?[ \t]*\{[^{}\\\n]*\}
    |\\(?:hskip|mkern|kern|mskip)""" + _DIMEN + r""")
|(?P<cmd>\\[A-Za-z]+)
|(?P<sym>\\[^A-Za-z])
|(?P<dollar>\$\$?)
|(?P<coloneq>:[ \t]*=)
|(?P<number>(?:[0-9]+(?:(?:\.|\{,\})[0-9]+)?|\.[0-9]+)
    (?P<nexp>[eE][+-]?[0-9]+|\\mathrm[ \t]*\{[ \t]*[eE][ \t]*\}[ \t]*(?:\{[ \t]*[+-]?[0-9]+[ \t]*\}|[+-]?[0-9]+))?)
|(?P<letters>[A-Za-z]+)
|(?P<char>.)
""", re.VERBOSE | re.DOTALL)
_TEXT_NAME = re.compile(r"[A-Za-z]+[0-9]*")
_BRACE_NOTE = re.compile(r"[ \t]*[_^][ \t]*(?=\{)")
_MATH_SPAN = re.compile(r"(?<!\\)\$\$(?:[^$]|\\\$)+?(?<!\\)\$\$|(?<!\\)\$(?:[^$\n]|\\\$)+?(?<!\\)\$")
_PROSE_COMMAND = re.compile(r"\\(?:intertext|text|mbox|textrm|textnormal|shortintertext)[ \t]*(?=\{)")
_DISPLAY = re.compile(r"\\begin\{(?P<env>[A-Za-z]+\*?)\}.*?\\end\{(?P=env)\}|\\\[.*?\\\]", re.DOTALL)
_PROSE_WORD = re.compile(r"[^\W\d_]{2,}")  # a word of prose (Latin, Cyrillic, CJK …) between math pieces
_PROSE = re.compile(r"\\(?:text|mbox|textrm|textnormal)[ \t]*\{([^{}\n]*)\}")
_CARDINALITY = re.compile(r"(?:\||\\[lv]ert)[ \t]*\\mathcal[ \t]*\{[ \t]*(?P<set>[A-Za-z])[ \t]*\}[ \t]*"
                          r"(?:\||\\[rv]ert)")
_CODE_ATTRIBUTE = re.compile(r"(?P<base>[A-Za-z]+?)_?(?P<sub>(?<=_)[A-Za-z0-9]+|[0-9]*)\.(?P<attr>grad|data)")
_SCRIPT_NEXT = re.compile(r"[ \t]*[_^]")  # a bar followed by a script is an evaluation bar
_TIMES = frozenset({r"\times", r"\cdot", "×", "·", "⋅", "∙"})
_SUM_LOWER = re.compile(r"([A-Za-z])(?:=(-?[0-9]{1,6}))?")
_SUM_OVER = re.compile(r"([A-Za-z])∈(.+)")


# ------------------------------------------------------------------------------------------- helpers


class _Tok(Token):
    """A Lark token with one more slot: what the tokenizer found out (a name's base, a bracket's \\left)."""

    __slots__ = ("info",)
    info: Any
    start_pos: int  # always set by _Source.tok
    end_pos: int


_PRE_STAR = re.compile(r"\{\}\^(\{\*\}|\*)\s*([A-Za-z])")


def _pre_star(m: re.Match[str]) -> str:
    """{}^{*}w_6 (hmkcode's *w6, the updated weight) as w^{+}_6, padded in front: positions after it stay."""
    new = f"{m.group(2)}^{{+}}"
    return " " * (len(m.group(0)) - len(new)) + new


def _normalize(text: str) -> str:
    """Character by character (positions stay): fullwidth ASCII forms (＝ （ ， ｗ) and the ideographic space as
    ASCII, mathematical alphanumerics (𝑤, 𝜎) and ℎ as their plain letter; a star written before a name,
    {}^{*}w_6, as the updated w^{+}_6."""
    if "{}^" in text:
        text = _PRE_STAR.sub(_pre_star, text)
    if text.isascii():
        return text
    out = []
    for c in text:
        o = ord(c)
        if 0xFF01 <= o <= 0xFF5E:
            out.append(chr(o - 0xFEE0))
        elif o == 0x3000:
            out.append(" ")
        elif 0x1D400 <= o <= 0x1D7FF or c == "ℎ":
            plain = unicodedata.normalize("NFKC", c)
            out.append(plain if len(plain) == 1 else c)
        else:
            out.append(c)
    return "".join(out)


def _is_prose_letter(c: str) -> bool:
    """A letter of a script whose words are prose in a formula (CJK, kana, Hangul, Cyrillic, ...): not Latin and
    not Greek (those are names)."""
    if c.isascii() or c in _CHAR_TYPES:
        return False
    o = ord(c)
    if o <= 0x24F or 0x370 <= o <= 0x3FF or 0x1D00 <= o <= 0x1FFF or 0x2100 <= o <= 0x214F or o >= 0x1D400:
        return False
    return unicodedata.category(c).startswith("L")


def _is_prose_punct(c: str) -> bool:
    o = ord(c)
    return c in ",.:;!?" or 0x3000 <= o <= 0x303F or 0x2018 <= o <= 0x201F or c == "…"


def _prose_end(text: str, j: int) -> int:
    """The end of a run of prose that starts at text[j]: prose letters, their punctuation and spaces, ASCII
    letters or digits between two prose letters (第2层), parentheses that hold only prose."""
    n = len(text)
    end = j
    while j < n:
        c = text[j]
        if _is_prose_letter(c) or _is_prose_punct(c):
            j += 1
            end = j
        elif c in " \t":
            j += 1
        elif c.isascii() and c.isalnum() and j == end and j > 0 and _is_prose_letter(text[j - 1]):
            k = j
            while k < n and text[k].isascii() and text[k].isalnum():
                k += 1
            if k >= n or not _is_prose_letter(text[k]):
                break
            j = end = k
        elif c == "(":
            k = text.find(")", j)
            inner = text[j + 1:k]
            if k < 0 or not inner.strip() or not all(_is_prose_letter(x) or _is_prose_punct(x) or x in " \t"
                                                     for x in inner):
                break
            j = end = k + 1
        else:
            break
    return end


class _Source:
    def __init__(self, text: str, deadline: float, timeout: float) -> None:
        self.text = text
        self.norm = _normalize(text)  # what the tokenizer reads: same length, fullwidth forms made ASCII
        self.deadline = deadline
        self.timeout = timeout
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.spaces: list[int] = []  # where `\ ` stands (ascending): a separator of a row vector [a \ b]
        self.labels: frozenset[str] = frozenset()  # the neuron names a superscript may be (Nielsen's a^O, z^{h_1})

    def linecol(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.line_starts, pos) - 1
        return i + 1, pos - self.line_starts[i] + 1

    def error(self, what: str, pos: int) -> ParseError:
        pos = max(0, min(pos, len(self.text)))
        line, column = self.linecol(pos)
        return ParseError(f"{what} at line {line}, column {column}", pos, line, column)

    def check_time(self) -> None:
        if time.perf_counter() > self.deadline:
            raise Refused(f"the answer took longer than {self.timeout:g} s to read")

    def like(self, text: str) -> _Source:
        """Another text read under this one's deadline and neuron labels (a piece lexed on its own)."""
        other = _Source(text, self.deadline, self.timeout)
        other.labels = self.labels
        return other

    def tok(self, type_: str, value: str, start: int, end: int, info: Any = None) -> _Tok:
        line, col = self.linecol(start)
        end_line, end_col = self.linecol(end)
        t = _Tok(type_, value, start, line, col, end_line, end_col, end)
        t.info = info
        return t


def _show(t: Token) -> str:
    text = str(t)
    if not text:
        return _DESCRIBE.get(t.type, t.type)
    return f"'{text}'"


# ------------------------------------------------------------------------------ pass A: raw tokens


def _lex(src: _Source) -> list[_Tok]:
    """Regular tokens with their types; commands classified; unknown input is an error here."""
    text = src.norm
    out: list[_Tok] = []
    pos = 0
    n = len(text)
    sizer: tuple[str, int, str] | None = None  # a pending \left, \right or \big: (kind, start, command)
    envs: list[_Tok] = []  # the open environments: & and \\ inside a matrix are its column and row separators
    count = 0
    notes: dict[int, int] = {}  # where an \underbrace's note (its _{…}) starts → where it ends: set aside
    while pos < n:
        count += 1
        if count % 1024 == 0:
            src.check_time()
        pos = notes.pop(pos, pos)
        if pos >= n:
            break
        m = _RAW.match(text, pos)
        assert m is not None  # the last alternative matches any character
        kind = m.lastgroup
        start, end = m.start(), m.end()
        s = m.group()
        pos = end
        new: _Tok | None = None
        if kind == "ws" or kind == "drop":
            continue
        in_matrix = bool(envs) and envs[-1].info in MATRIX_ENVS
        if (kind == "begin" and m.group("benv") == "frame") or (kind == "end" and m.group("eenv") == "frame") \
                or (kind == "cmd" and s in (r"\frametitle", r"\framesubtitle")):
            # a Beamer slide: its frame and title are layout (the title, in braces, is prose)
            pos = _brace_end(text, end) or end if kind != "end" else end
            out.append(src.tok("NL", s, start, pos))
            continue
        if kind == "cmd" and s == r"\intertext":  # \intertext{where $δ_O = …$, so}: its math, each piece a line
            close = _brace_end(text, end)
            if close is None:
                raise src.error(r"\intertext needs its text in braces: \intertext{where $x = 1$}", start)
            out.append(src.tok("HARDSEP", s, start, end, "text"))
            for piece in _MATH_SPAN.finditer(text, end, close - 1):
                delimiter = 2 if piece.group().startswith("$$") else 1
                inner = src.like(_only(src.text, piece.start() + delimiter, piece.end() - delimiter))
                out += [t for t in _lex(inner) if t.type != "NL"]
                out.append(src.tok("HARDSEP", "$", piece.end() - 1, piece.end(), "text"))
            pos = close
            continue
        if kind == "nl":
            new = src.tok("NL", s, start, end)
        elif kind == "brk":
            new = src.tok("MROW" if in_matrix else "BREAK", s, start, end)
        elif kind == "begin":
            env = m.group("benv")
            new = src.tok("MBEGIN" if env in MATRIX_ENVS else "BEGIN", s, start, end, env)
            envs.append(new)
        elif kind == "end":
            env = m.group("eenv")
            if envs and envs[-1].info == env:
                envs.pop()
            elif env in MATRIX_ENVS or in_matrix:
                what = f"does not match \\begin{{{envs[-1].info}}} at line {envs[-1].line}, column {envs[-1].column}" \
                    if envs else "without \\begin"
                raise src.error(f"\\end{{{env}}} {what}", start)
            if env in MATRIX_ENVS:
                while out and out[-1].type == "MROW":  # a \\ before \end{bmatrix} ends the last row
                    out.pop()
                new = src.tok("MEND", s, start, end, env)
            else:
                new = src.tok("END", s, start, end, env)
        elif kind == "prose" or kind == "arrow":
            new = src.tok("HARDSEP", s, start, end, "text")
        elif kind == "defrel" or kind == "coloneq":
            new = src.tok("REL", s, start, end, "=")
        elif kind == "text":
            body = m.group("tbody").strip()
            if not body:
                continue
            close = _remark_end(text, end, _balance(body))
            if close is not None:  # \text{（即 } w_7 \text{，从隐藏神经元 2 到输出神经元 1）}: a remark, set aside
                pos = close
                continue
            if s.startswith(("\\texttt", "\\mathtt")) and (code := _CODE_ATTRIBUTE.fullmatch(body.replace("\\_", "_"))):
                # PyTorch's a_O.grad, w5.grad: the name lexed as if written in math, then micrograd's attribute
                typed = src.like(f"{code['base']}_{{{code['sub']}}}" if code["sub"] else code["base"])
                out += [src.tok(t.type, str(t), start, end, t.info) for t in _lex(typed)]
                out += [src.tok("DOT", ".", start, end), src.tok("NAME", code["attr"], start, end, code["attr"])]
                continue
            if s.startswith(("\\texttt", "\\mathtt")):  # code, np.sum(dZ, axis=1): one name no network knows
                pos = _call_end(text, pos)
                new = src.tok("NAME", text[start:pos], start, pos, body + ("(…)" if text[pos - 1] == ")" else ""))
                out.append(new)
                continue
            if body.lower() in NEW_WORDS or body.lower() in OLD_WORDS:  # w_6^{\text{нов}}: "new" in its language
                meaning = "new" if body.lower() in NEW_WORDS else "old"
                out.append(src.tok("TEXTNAME", body, start, end, meaning))
                continue
            word = _TEXT_NAME.fullmatch(body)
            if word and body.rstrip("0123456789").lower() not in CONNECTORS:
                new = src.tok("TEXTNAME", body, start, end, body)
            else:
                new = src.tok("HARDSEP", s, start, end, "text")
        elif kind == "cmd" and s[1:] in ("underbrace", "overbrace"):
            close = _brace_end(text, end)  # \underbrace{∂y/∂W}_{\text{forward pass}}: the term; its note dropped
            note = _BRACE_NOTE.match(text, close) if close is not None else None
            if note is None:
                raise src.error(f"{s} needs a braced term and a note after it: {s}{{x}}_{{\text{{...}}}}", start)
            note_end = _brace_end(text, note.end())
            if note_end is None:
                raise src.error(f"the note of {s} must be braced: {s}{{x}}_{{\text{{...}}}}", note.start())
            assert close is not None  # (a note was found after it)
            notes[close] = note_end
            continue
        elif kind == "cmd":
            name = s[1:]
            if name in ("left", "right") or name in _SIZED:
                if sizer is not None:
                    raise src.error(f"\\{name} after \\{sizer[2]}", start)
                sizer = (name if name in ("left", "right") else "big", start, name)
                continue
            if name in _IGNORED_CMDS:
                continue
            if name in _CMD_TYPES:
                type_, info = _CMD_TYPES[name]
                new = src.tok(type_, s, start, end, info)
            elif name in _CMD_HINTS:  # an error of the chain it stands in (the answer's other chains may be read)
                new = src.tok("UNSUPPORTED", s, start, end, _CMD_HINTS[name])
            else:
                raise src.error(f"unknown command {s}", start)
        elif kind == "sym":
            c = s[1]
            if c in ",;!:> \t\n":
                if c in " \t":
                    src.spaces.append(start)
                continue
            if c == "{":
                new = src.tok("LCURLY", s, start, end, "")
            elif c == "}":
                new = src.tok("RCURLY", s, start, end, "")
            elif c in "[]()":
                new = src.tok("MATH", s, start, end, s)
            elif c == "|":
                new = src.tok("NORM", s, start, end, "")
            else:
                raise src.error(f"unsupported command {s}", start)
        elif kind == "dollar":
            new = src.tok("MATH", s, start, end, s)
        elif kind == "number":
            new = _lex_number(src, m, out)
            pos = new.end_pos
        elif kind == "letters":
            new = src.tok("LETTERS", s, start, end, s)
        else:  # a single character
            if s == "&" and in_matrix:
                new = src.tok("MCOL", s, start, end)
            elif s in ("&", "~"):
                continue
            elif s == "." and text.startswith("..", end):
                raise src.error("an ellipsis cannot be checked: write every term", start)
            elif s == "?":  # an error of its chain; "= ?" at a chain's end is a blank the student left (see _blanks)
                new = src.tok("UNSUPPORTED", s, start, end, "a question mark cannot be checked: write the value")
            elif s in _CHAR_TYPES:
                type_, info = _CHAR_TYPES[s]
                new = src.tok(type_, s, start, end, info)
            elif _is_prose_letter(s):
                pos = _prose_end(text, start)
                new = src.tok("HARDSEP", src.text[start:pos], start, pos, "prose")
            elif s in _CHAR_HINTS:
                new = src.tok("UNSUPPORTED", s, start, end, _CHAR_HINTS[s])
            elif s.isprintable() and not s.isspace():
                hint = " (prose must be inside \\text{...})" if s.isalpha() else ""
                raise src.error(f"unexpected character '{s}'{hint}", start)
            elif s.isspace():
                continue
            else:
                raise src.error(f"unexpected character U+{ord(s):04X}", start)
        if new.type == "BAR" and sizer is None and (card := _CARDINALITY.match(text, start)):
            pos = card.end()  # d2l's |\mathcal{B}|: the number of samples in the batch, one name
            new = src.tok("NAME", src.text[start:pos], start, pos, f"|{card['set']}|")
        elif new.type == "BAR":
            new = _lex_bar(src, new, sizer)
        if sizer is not None:
            which, sstart, command = sizer
            sizer = None
            if new.type == "EVALBAR" or new.type == "UNSUPPORTED":
                out.append(new)
                continue
            if new.type == "DOT" and which in ("left", "right"):
                continue  # \left. and \right.: an invisible delimiter
            if new.type not in ("LPAR", "RPAR", "LBRACK", "RBRACK", "LCURLY", "RCURLY", "NORM"):
                raise src.error(f"\\{command} must be followed by a bracket: ( ) [ ] \\{{ \\}} (got {_show(new)})",
                                sstart)
            info = which if which in ("left", "right") else ""
            new = src.tok(new.type, src.text[sstart:end], sstart, end, info)
        out.append(new)
    if sizer is not None:
        raise src.error(f"\\{sizer[2]} must be followed by a bracket", sizer[1])
    return out


def _call_end(text: str, pos: int) -> int:
    """Where the bracketed arguments that follow pos end (after their `)`), or pos when none follow."""
    k = pos
    while k < len(text) and text[k] in " \t":
        k += 1
    if k >= len(text) or text[k] != "(":
        return pos
    depth = 0
    for j in range(k, min(len(text), k + 2000)):
        depth += {"(": 1, ")": -1}.get(text[j], 0)
        if depth == 0:
            return j + 1
    return pos


def _evaluated_derivatives(toks: list[_Tok], src: _Source) -> list[_Tok]:
    """`\\frac{d\\Phi}{du}\\Big|_{u = u_3}`, `\\frac{\\partial f}{\\partial x}\\right|_{x = net_{h1}}`: an activation's
    derivative evaluated at a point is its derivative applied there, Φ'(u_3), f'(net_{h1})."""
    out: list[_Tok] = []
    k = 0
    while k < len(toks):
        found = _evaluated_at(toks, k)
        if found is None:
            out.append(toks[k])
            k += 1
            continue
        end, function, value = found
        at = toks[k].start_pos
        out += [function, src.tok("PRIME", "'", at, at, "'"), src.tok("LPAR", "(", at, at, ""), *value,
                src.tok("RPAR", ")", toks[end - 1].end_pos, toks[end - 1].end_pos, "")]
        k = end
    return out


def _evaluated_at(toks: list[_Tok], k: int) -> tuple[int, _Tok, list[_Tok]] | None:
    """(the index after the bar's subscript, the function's token, the point's tokens) of d F/d x |_{x = a} at k."""
    if toks[k].type != "FRAC" or k + 1 >= len(toks) or toks[k + 1].type != "LBRACE":
        return None
    parts: list[list[_Tok]] = []
    j = k + 1
    for _ in range(2):
        if j >= len(toks) or toks[j].type != "LBRACE":
            return None
        close = next((i for i in range(j + 1, min(len(toks), j + 6)) if toks[i].type in ("LBRACE", "RBRACE")), None)
        if close is None or toks[close].type != "RBRACE":
            return None
        parts.append(toks[j + 1:close])
        j = close + 1
    if j + 2 >= len(toks) or toks[j].type != "EVALBAR" or toks[j + 1].type != "USCORE" \
            or toks[j + 2].type != "LBRACE":
        return None
    end = _group_close(toks, j + 2)
    function, variable = _differential(parts[0], FUNCTION_NAMES), _differential(parts[1], None)
    if end is None or function is None or variable is None:
        return None
    inner = toks[j + 3:end]
    rel = next((i for i, t in enumerate(inner) if t.type == "REL"), None)
    if rel != 1 or inner[0].type not in ("LETTERS", "NAME") or str(inner[0].info) != variable or rel + 1 >= len(inner):
        return None
    return end + 1, function, inner[rel + 1:]


def _differential(toks: list[_Tok], functions: Mapping[str, str] | None) -> Any:
    """The name after the d (or ∂) of dΦ, df, du, ∂x: with `functions`, its token when it names one of them; else the
    variable's letters. None when it is no such differential."""
    if len(toks) == 1 and toks[0].type == "LETTERS" and len(str(toks[0].info)) > 1 and str(toks[0].info)[0] == "d":
        name, tok = str(toks[0].info)[1:], toks[0]
        if functions is None:
            return name
        if name in functions:
            t = _Tok("LETTERS", name, tok.start_pos + 1, tok.line, tok.column, tok.end_line, tok.end_column,
                     tok.end_pos)
            t.info = name
            return t
        return None
    if len(toks) != 2 or not (toks[0].type == "PARTIAL" or (toks[0].type == "LETTERS" and toks[0].info == "d")) \
            or toks[1].type not in ("LETTERS", "NAME"):
        return None
    if functions is None:
        return str(toks[1].info)
    return toks[1] if str(toks[1].info) in functions else None


def _norms(toks: list[_Tok], src: _Source) -> list[_Tok]:
    """`\\|x\\|`, `\\left\\| x \\right\\|`, `\\Vert`: a norm's bars, opening and closing in turn (norms do not nest)."""
    out: list[_Tok] = []
    opened = False
    for t in toks:
        if t.type == "NORM":
            opening = t.info == "left" or (t.info != "right" and not opened)
            t = src.tok("LNORM" if opening else "RNORM", str(t), t.start_pos, t.end_pos, t.info)
            opened = opening
        elif t.type == "BREAK" or t.type == "NL":
            opened = False
        out.append(t)
    return out


def _remarks(toks: list[_Tok]) -> list[_Tok]:
    """(\\text{one } b^{[1]} \\text{ shared by both hidden units}): a parenthesised remark, with prose in it, is
    dropped with its brackets."""
    out: list[_Tok] = []
    opened: list[int] = []
    for t in toks:
        out.append(t)
        if t.type == "LPAR":
            opened.append(len(out) - 1)
        elif t.type == "RPAR" and opened:
            k = opened.pop()
            if any(x.type == "HARDSEP" and x.info == "text" for x in out[k + 1:-1]):
                del out[k:]
    return out


def _brace_end(text: str, pos: int) -> int | None:
    """Just after the group {…} that starts at pos (spaces before it allowed), or None."""
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    if pos >= len(text) or text[pos] != "{":
        return None
    depth = 0
    for k in range(pos, len(text)):
        if text[k] == "\\":
            continue
        if text[k] == "{" and text[k - 1] != "\\":
            depth += 1
        elif text[k] == "}" and text[k - 1] != "\\":
            depth -= 1
            if depth == 0:
                return k + 1
    return None


def _entry_index(sub: tuple[str, ...]) -> tuple[sp.Integer, ...] | None:
    """_1, _{12}, _{1,2} → (1,), (1, 2): the subscript of an entry, from 1; None for any other subscript."""
    text = "".join(sub)
    digits = text.replace(",", "")
    if not digits.isdigit() or not 1 <= len(digits) <= 2 or "0" in digits or text.count(",") > (len(digits) == 2):
        return None
    return tuple(sp.Integer(int(d)) for d in digits)


def _blank(piece: str) -> str:
    """Spaces for every character but the newlines: the positions of what is around stay the same."""
    return "".join(c if c == "\n" else " " for c in piece)


def _only(text: str, start: int, end: int) -> str:
    """The text with everything outside [start, end) blanked."""
    return _blank(text[:start]) + text[start:end] + _blank(text[end:])


def _prose_blanked(text: str) -> str:
    """Markdown, a Jupyter cell: prose with $…$, $$…$$ or display environments in it. The prose and the dollar
    signs become spaces, a stretch of prose within a line a line break (positions unchanged), so that each piece
    of math is a line of its own (one starting with '=' continues the one before); text with no prose outside its
    math is returned as it is."""
    prose = [(m.end(), _brace_end(text, m.end()) or m.end()) for m in _PROSE_COMMAND.finditer(text)]
    inline = [m.span() for m in _MATH_SPAN.finditer(text)
              if not any(a <= m.start() < b for a, b in prose)]  # (\intertext{where $x = 1$} is LaTeX's own)
    if not inline:
        return text
    displays = [m.span() for m in _DISPLAY.finditer(text)]  # \begin{align} … \end{align}, \[ … \]: math too
    inline = [x for x in inline if not any(a <= x[0] < b for a, b in displays)]
    spans = sorted([*inline, *displays])
    outside = [(end, start) for (_, end), (start, _) in zip([(0, 0), *spans], [*spans, (len(text), len(text))],
                                                            strict=True)]
    if not any(_PROSE_WORD.search(text, a, b) for a, b in outside):
        return text
    chars = list(text)
    for a, b in outside:
        chars[a:b] = _blank(text[a:b])
        if b > a and "\n" not in text[a:b]:
            chars[a] = "\n"
    for a, b in inline:
        d = 2 if text.startswith("$$", a) else 1
        chars[a:a + d] = [" "] * d
        chars[b - d:b] = [" "] * d
    return "".join(chars)


def _balance(prose: str) -> int:
    return sum(prose.count(c) for c in "(（") - sum(prose.count(c) for c in ")）")


def _remark_end(text: str, pos: int, opened: int) -> int | None:
    """Where a bracket opened in prose (\text{(i.e. }) is closed by later prose on its line, or None."""
    if opened <= 0:
        return None
    line_end = text.find("\n", pos)
    for m in _PROSE.finditer(text, pos, len(text) if line_end < 0 else line_end):
        opened += _balance(m.group(1))
        if opened <= 0:
            return m.end()
    return None


def _lex_number(src: _Source, m: re.Match[str], before: list[_Tok]) -> _Tok:
    """A number; `8.77e-3` is one number unless TeX gives its first digit to what stands before (`w1e-3`, `x^1e2`,
    `\\frac1e2`, `w_1e-3`): then the exponent is left to be read as e - 3. info: the literal, normalized."""
    start, mant_end = m.start(), m.end("number")
    exp_text = m.group("nexp")
    if exp_text is not None:
        mant_end = m.start("nexp")
        prev = before[-1] if before else None
        if prev is not None and (prev.type in ("CARET", "USCORE", "FRAC", "SQRT")
                                 or (prev.type in ("LETTERS", "NAME", "TEXTNAME") and prev.end_pos == start)):
            exp_text = None
    written = src.norm[start:mant_end]
    mantissa = written.replace("{,}", ".")  # 0{,}5: a decimal comma
    digits = len(mantissa) - ("." in mantissa)
    if digits > MAX_NUMBER_DIGITS:
        raise Refused(f"a number with more than {MAX_NUMBER_DIGITS} digits at line "
                      f"{src.linecol(start)[0]}, column {src.linecol(start)[1]}")
    if exp_text is None:
        return src.tok("NUMBER", written, start, mant_end, mantissa)
    exponent = int(re.sub(r"\\mathrm|[\s{}eE]", "", exp_text))  # 8.77e-3, -6.8765\mathrm{e}{-1}
    if abs(exponent) > MAX_EXPONENT:
        raise Refused(f"an exponent larger than {MAX_EXPONENT} in absolute value "
                      f"(line {src.linecol(start)[0]}, column {src.linecol(start)[1]})")
    return src.tok("NUMBER", src.norm[start:m.end()], start, m.end(), f"{mantissa}e{exponent}")


def _lex_bar(src: _Source, bar: _Tok, sizer: tuple[str, int, str] | None) -> _Tok:
    """`|`, `\\right|`, `\\Big|`, `\\vert` followed by a script is an evaluation bar (dropped with its scripts by
    _tidy); any other bar is an absolute value, which we cannot read."""
    if _SCRIPT_NEXT.match(src.norm, bar.end_pos) and (sizer is None or sizer[0] != "left"):
        start = bar.start_pos if sizer is None else sizer[1]
        return src.tok("EVALBAR", src.text[start:bar.end_pos], start, bar.end_pos, "")
    if sizer is not None and sizer[0] != "big":
        raise src.error(f"\\{sizer[2]}{bar}: absolute values are not supported (\\{sizer[2]} must be followed by a "
                        rf"bracket, or be an evaluation bar with a subscript: \right|_{{w=0.4}})", sizer[1])
    raise src.error(r"absolute values |x| are not supported (an evaluation bar needs a subscript: "
                    r"\Big|_{w=0.4})", bar.start_pos)


def _tidy(toks: list[_Tok], src: _Source) -> list[_Tok]:
    """Evaluation bars go with their scripts (`\\right|_{w=0.4}^{..}`: the expression is what stands before them);
    `\\mathbf{W}`, `\\boldsymbol{\\delta}`, `\\mathop{..}` around one token are that token, elsewhere nothing."""
    out: list[_Tok] = []
    n = len(toks)
    k = 0
    while k < n:
        t = toks[k]
        if t.type == "EVALBAR":
            k += 1
            scripts = 0
            while k < n and toks[k].type in ("USCORE", "CARET") and scripts < 2:
                scripts += 1
                k += 1
                if k >= n or toks[k].type in _CLOSERS:
                    raise src.error("the evaluation bar's script is missing", toks[k - 1].start_pos)
                if toks[k].type == "LBRACE":
                    depth = 0
                    j = k
                    while j < n:
                        if toks[j].type == "LBRACE":
                            depth += 1
                        elif toks[j].type == "RBRACE":
                            depth -= 1
                            if depth == 0:
                                break
                        j += 1
                    if j >= n:
                        raise src.error(f"{_show(toks[k])} is never closed", toks[k].start_pos)
                    k = j + 1
                else:
                    k += 1
            continue
        if t.type == "WRAP":
            if k + 3 < n and toks[k + 1].type == "LBRACE" and toks[k + 3].type == "RBRACE" \
                    and toks[k + 2].type in ("LETTERS", "TEXTNAME", "NAME", "NUMBER"):
                out.append(toks[k + 2])
                k += 4
            else:
                k += 1
            continue
        out.append(t)
        k += 1
    return out


def _check_brackets(toks: list[_Tok], src: _Source, max_depth: int) -> None:
    """Balance of { } ( ) [ ] \\{ \\} \\left/\\right and \\begin/\\end of matrices, and the nesting depth (Refused), in
    one linear scan.

    Brackets are the only way to nest without bound: signs, primes and juxtaposition are flat in the
    grammar, \\frac, \\sqrt and ^ take braced or one-token arguments, and nested \\sum bodies are
    bounded by the expansion budget (MAX_SUM_NODES), not by this scan.
    """
    stack: list[_Tok] = []
    for t in toks:
        typ = t.type
        if typ in ("LPAR", "LBRACK", "LCURLY", "LBRACE", "MBEGIN", "LNORM"):
            stack.append(t)
            if len(stack) > max_depth:
                raise Refused(f"brackets nested deeper than {max_depth} levels (line {t.line}, column {t.column})")
        elif typ in _CLOSERS:
            if not stack:
                raise src.error(f"{_show(t)} has no opening bracket", t.start_pos)
            o = stack.pop()
            if _OPENERS[o.type] != typ:
                raise src.error(f"{_show(t)} does not match {_show(o)} at line {o.line}, column {o.column}",
                                t.start_pos)
            if (o.info == "left") != (t.info == "right"):
                which = "\\left must be closed by \\right" if o.info == "left" else "\\right closes no \\left"
                raise src.error(f"{which}: {_show(o)} at line {o.line}, column {o.column} and {_show(t)}",
                                t.start_pos)
    if stack:
        o = stack[-1]
        raise src.error(f"{_show(o)} is never closed", o.start_pos)


# ------------------------------------------------------------------------------ pass B: cooked tokens


def _cook(toks: list[_Tok], src: _Source) -> list[_Tok]:
    """Context: letter runs into names, one-token arguments of ^ and \\frac, subscript text, name superscripts."""
    out: list[_Tok] = []
    pushed: list[_Tok] = []  # the rest of a number or letter run split by a one-token argument
    pending: list[list[Any]] = []  # [brace depth, arguments still expected, inside the argument's group, cmd]
    args: set[int] = set()  # where the numbers that are one-token arguments (of ^, \frac, an accent) start
    depth = 0
    i = 0
    n = len(toks)

    def emit_name(base: str, start: int, end: int) -> None:
        out.append(src.tok("NAME", base, start, end, base))

    def emit_letters(t: _Tok) -> None:
        """A letter run (not an argument): a known word or one name per letter; adjacent digits: subscript."""
        nonlocal i
        run = str(t)
        digits = None
        if not pushed and i < n and toks[i].type == "NUMBER" and toks[i].start_pos == t.end_pos \
                and str(toks[i].info).isdigit():
            digits = toks[i]
            i += 1
        if run in WORDS:
            emit_name(run, t.start_pos, t.end_pos)
        elif len(run) == 2 and run[0] == "d" and run[1] in NG_GRADIENTS:
            emit_name(NG_D, t.start_pos, t.start_pos + 1)  # Ng's dW, dz: ∂J/∂W (or the d of \frac{dz}{dw})
            emit_name(run[1], t.start_pos + 1, t.end_pos)
        else:
            for k, c in enumerate(run):
                emit_name(c, t.start_pos + k, t.start_pos + k + 1)
        if digits is not None:
            out.append(src.tok("USCORE", "", digits.start_pos, digits.start_pos))
            out.append(src.tok("SUBTEXT", str(digits), digits.start_pos, digits.end_pos, str(digits)))

    def emit_textname(t: _Tok) -> None:
        body = str(t.info)
        letters = body.rstrip("0123456789")
        out.append(src.tok("NAME", str(t), t.start_pos, t.end_pos, letters))
        if letters != body:
            out.append(src.tok("USCORE", "", t.end_pos, t.end_pos))
            out.append(src.tok("SUBTEXT", body[len(letters):], t.end_pos, t.end_pos, body[len(letters):]))

    def is_t(t: _Tok) -> bool:
        """T, \\top, \\intercal, \\mathrm{T}: a transpose when it is the superscript."""
        return t.type == "TOP" or (t.type in ("LETTERS", "TEXTNAME") and str(t.info) == "T")

    def transpose_at(j: int) -> int:
        """How many tokens after ^ make a transpose: T, {T}, \\top, {\\top} (0: none)."""
        if j < n and is_t(toks[j]):
            return 1
        if j + 2 < n and toks[j].type == "LBRACE" and is_t(toks[j + 1]) and toks[j + 2].type == "RBRACE":
            return 3
        return 0

    def sup_mark(j: int, after_e: bool, drop_last: bool = False) -> tuple[str, str, int] | None:
        """A name superscript starting at toks[j] (after ^): (type, text, tokens used) or None. drop_last: the last
        token inside the braces (a transpose, W^{(3)\\top}) is not part of it."""
        if j >= n:
            return None
        a = toks[j]
        if drop_last and a.type != "LBRACE":
            return None
        if a.type == "PLUS":
            return ("SUPMARK", "+", 1)
        if a.type == "MUL" and str(a) in ("*", r"\ast", "∗"):
            return ("SUPMARK", "*", 1)
        if a.type == "PRIME":
            return ("PRIME", "'", 1)
        if a.type != "LBRACE":
            return None
        k = j + 1
        inner: list[_Tok] = []
        while k < n and toks[k].type != "RBRACE" and len(inner) < 8:
            inner.append(toks[k])
            k += 1
        if k >= n or toks[k].type != "RBRACE" or not inner:
            return None
        used = k - j + 1
        if drop_last:
            if len(inner) < 2 or not is_t(inner[-1]):
                return None
            inner.pop()
        types = [x.type for x in inner]
        if types in (["PLUS"], ["PLUS", "PLUS"]):
            return ("SUPMARK", "+" * len(types), used)  # w^{++}: the second update
        if types == ["MUL"] and str(inner[0]) in ("*", r"\ast", "∗"):
            return ("SUPMARK", "*", used)
        if all(x == "PRIME" for x in types):
            return ("PRIME", "'" * len(types), used)
        words = [str(x.info) for x in inner if x.type in ("LETTERS", "TEXTNAME")]
        layer = (types[0] == "NAME" and inner[0].info == "l") \
            or (not after_e and types[0] == "LETTERS" and str(inner[0]) in ("l", "L"))
        offset = types[1:] in (["PLUS", "NUMBER"], ["MINUS", "NUMBER"]) and str(inner[-1].info).isdigit()
        if layer and (len(types) == 1 or offset):
            return ("SUPMARK", "".join(str(x.info) for x in inner), used)  # a^{l-1}_k, \delta^{L}
        if types in (["LETTERS"], ["TEXTNAME"]) and words[0] in ("new", "old"):
            return ("SUPMARK", "+" if words[0] == "new" else "old", used)
        neuron = "".join(str(x) for x in inner if x.type != "USCORE")
        if not after_e and neuron in src.labels and set(types) <= {"LETTERS", "NAME", "NUMBER", "USCORE"}:
            return ("SUPMARK", neuron, used)  # Nielsen's z^{h_1}, a^{O}: a neuron's
        if len(types) >= 3 and (types[0], types[-1]) in (("LPAR", "RPAR"), ("LBRACK", "RBRACK")):
            middle = inner[1:-1]
            word = [str(x.info) for x in middle if x.type in ("LETTERS", "TEXTNAME")]
            if len(middle) == 1 and word in (["new"], ["old"]) and types[0] == "LPAR":
                return ("SUPMARK", "+" if word[0] == "new" else "old", used)
            label = _layer_label(middle)
            if label is not None:
                return ("SUPMARK", label if types[0] == "LPAR" else f"[{label}]", used)
        if types[:4] == ["LBRACK", "NUMBER", "RBRACK", "LPAR"] and len(types) == 6 and types[5] == "RPAR" \
                and str(inner[1].info).isdigit() and (str(inner[4].info).isdigit() or (
                    types[4] in ("LETTERS", "NAME") and len(str(inner[4].info)) == 1)):
            return ("SUPMARK", f"[{inner[1].info}]({inner[4].info})", used)  # Ng's a^{[1](2)}: layer 1, sample 2
        return None

    count = 0
    while True:
        count += 1
        if count % 1024 == 0:
            src.check_time()
        if pushed:
            t = pushed.pop()
        elif i < n:
            t = toks[i]
            i += 1
        else:
            break
        typ = t.type
        if pending and pending[-1][0] == depth and not pending[-1][2]:
            # t is a one-token argument of ^ or \frac (or the opening brace of a braced one)
            if typ == "LBRACE":
                pending[-1][2] = True
                out.append(t)
                depth += 1
                continue
            if typ in _CLOSERS or typ not in _ARGUMENT_TYPES:
                pending.pop()  # the argument is missing: the grammar reports it
            else:
                text = str(t)
                cmd = pending[-1][3]
                if cmd == "sup" and typ in ("NUMBER", "LETTERS") and len(text) > 1:
                    raise src.error(f"put a superscript of more than one character in braces: ^{{{text}}} "
                                    f"(TeX reads ^{text} as ^{{{text[0]}}}{text[1:]})", t.start_pos)
                if typ == "NUMBER" and "e" in str(t.info):
                    raise src.error(f"put a number in scientific notation in braces: {{{text}}}", t.start_pos)
                pending[-1][1] -= 1
                if pending[-1][1] == 0:
                    pending.pop()
                if typ == "NUMBER":
                    args.add(t.start_pos)
                if typ == "NUMBER" and "{" in text:
                    raise src.error(f"put a number with a decimal comma in braces: {{{text}}}", t.start_pos)
                if typ == "NUMBER" and len(text) > 1:
                    out.append(src.tok("NUMBER", text[0], t.start_pos, t.start_pos + 1, text[0]))
                    pushed.append(src.tok("NUMBER", text[1:], t.start_pos + 1, t.end_pos, text[1:]))
                    continue
                if typ == "LETTERS":
                    emit_name(text[0], t.start_pos, t.start_pos + 1)
                    if len(text) > 1:
                        pushed.append(src.tok("LETTERS", text[1:], t.start_pos + 1, t.end_pos, text[1:]))
                    elif cmd == "accent" and not pushed and i < n and toks[i].type == "NUMBER" \
                            and toks[i].start_pos == t.end_pos and str(toks[i].info).isdigit():
                        digits = toks[i]  # \hat y1 = \hat{y}_1, as y1 = y_1
                        i += 1
                        out.append(src.tok("USCORE", "", digits.start_pos, digits.start_pos))
                        out.append(src.tok("SUBTEXT", str(digits), digits.start_pos, digits.end_pos, str(digits)))
                    continue
                if typ == "TEXTNAME":
                    out.append(src.tok("NAME", text, t.start_pos, t.end_pos, str(t.info)))
                    continue
        if typ == "LBRACE":
            depth += 1
            out.append(t)
        elif typ == "RBRACE":
            depth -= 1
            out.append(t)
            if pending and pending[-1][0] == depth and pending[-1][2]:
                pending[-1][2] = False
                pending[-1][1] -= 1
                if pending[-1][1] == 0:
                    pending.pop()
        elif typ == "FRAC":
            out.append(t)
            pending.append([depth, 2, False, "frac"])
        elif typ == "ACCENT":
            if i + 1 < n and toks[i].type == "LBRACE" and toks[i + 1].type == "RBRACE":
                raise src.error(f"{t}{{}} is empty: put one name in the braces", t.start_pos)
            out.append(t)
            pending.append([depth, 1, False, "accent"])
        elif typ == "SQRT":
            out.append(t)
            if i + 2 < n and toks[i].type == "LBRACK" and toks[i + 1].type == "NUMBER" \
                    and toks[i + 2].type == "RBRACK" and not toks[i].info:
                b = toks[i]
                out.append(src.tok("OPT_LBRACK", str(b), b.start_pos, b.end_pos, ""))
                out.extend(toks[i + 1:i + 3])
                i += 3
            pending.append([depth, 1, False, "sqrt"])
        elif typ == "CARET":
            after_e = bool(out) and out[-1].type == "NAME" and out[-1].info == "e"
            used = transpose_at(i)
            if used:  # W^T, W^{T}, W^\top: a transpose
                last = toks[i + used - 1]
                out.append(src.tok("TRANSPOSE", src.text[t.start_pos:last.end_pos], t.start_pos, last.end_pos))
                i += used
                continue
            mark = sup_mark(i, after_e, drop_last=True)
            if mark is not None and mark[0] == "SUPMARK":  # W^{(3)\top}: a name superscript, then a transpose
                mtext, used = mark[1], mark[2]
                last = toks[i + used - 1]
                out.append(src.tok("SUPMARK", src.text[t.start_pos:last.start_pos], t.start_pos, last.start_pos,
                                   mtext))
                out.append(src.tok("TRANSPOSE", src.text[toks[i + used - 2].start_pos:last.end_pos],
                                   toks[i + used - 2].start_pos, last.end_pos))
                i += used
                continue
            if i < n and toks[i].type == "NAME" and toks[i].info == "l":  # ^\ell
                out.append(src.tok("SUPMARK", src.text[t.start_pos:toks[i].end_pos], t.start_pos, toks[i].end_pos, "l"))
                i += 1
                continue
            if i < n and toks[i].type == "LETTERS" and not after_e and (
                    str(toks[i])[0] in "lL" or str(toks[i])[0] in src.labels):
                a = toks[i]  # Nielsen's w^l_{jk}, \delta^L: a layer label; his a^O, \delta^O: the neuron O's
                i += 1
                out.append(src.tok("SUPMARK", src.text[t.start_pos:a.start_pos + 1], t.start_pos, a.start_pos + 1,
                                   str(a)[0]))
                if len(str(a)) > 1:
                    pushed.append(src.tok("LETTERS", str(a)[1:], a.start_pos + 1, a.end_pos, str(a)[1:]))
                continue
            mark = sup_mark(i, after_e)
            if mark is not None:
                mtype, mtext, used = mark
                last = toks[i + used - 1]
                if mtype == "PRIME":
                    for k in range(len(mtext)):
                        out.append(src.tok("PRIME", "'", t.start_pos + k, last.end_pos, "'"))
                else:
                    out.append(src.tok("SUPMARK", src.text[t.start_pos:last.end_pos], t.start_pos, last.end_pos,
                                       mtext))
                i += used
                continue
            out.append(t)
            pending.append([depth, 1, False, "sup"])
        elif typ == "USCORE":
            out.append(t)
            if i < n:
                a = toks[i]
                if a.type == "LETTERS":
                    i += 1
                    text, end = str(a), a.end_pos
                    if i < n and toks[i].type == "NUMBER" and toks[i].start_pos == a.end_pos \
                            and str(toks[i].info).isdigit():
                        text, end = text + str(toks[i]), toks[i].end_pos
                        i += 1
                    out.append(src.tok("SUBTEXT", text, a.start_pos, end, text))
                elif a.type == "NUMBER":
                    i += 1
                    out.append(src.tok("SUBTEXT", str(a), a.start_pos, a.end_pos, str(a)))
                elif a.type == "TEXTNAME":
                    i += 1
                    out.append(src.tok("SUBTEXT", str(a), a.start_pos, a.end_pos, str(a.info)))
        elif typ == "LETTERS":
            emit_letters(t)
        elif typ == "TEXTNAME":
            emit_textname(t)
        elif typ == "TOP":
            raise src.error(rf"{t} (a transpose) must be a superscript: W^{t}", t.start_pos)
        else:
            out.append(t)
    out = _attributes(_nabla(_merge_scientific(out, src, args), src), src)
    _mark_functions(out, src)
    return out


#: a loss written as a function: J(θ), E(w), C(w, b), L(ŷ, y)
_LOSS_NAMES = frozenset({"J", "E", "L", "C"})
_PARAMETER_ARGUMENTS = frozenset({"theta", "Theta", "w", "W", "vartheta"})


def _loss_arguments(toks: list[_Tok]) -> list[_Tok]:
    """J(θ), J(W, b), C(w, b), L(ŷ^{(i)}, t^{(i)}): a loss with its arguments is the loss (of sample i, when its
    arguments carry that one sample superscript). E(n), Haykin's time step, is left to _time_index."""
    out: list[_Tok] = []
    k = 0
    while k < len(toks):
        t = toks[k]
        end = _group_close(toks, k + 1) if t.type == "NAME" and t.info in _LOSS_NAMES and k + 1 < len(toks) \
            and toks[k + 1].type == "LPAR" and not (out and out[-1].type in ("USCORE", "CARET")) else None
        inner = toks[k + 2:end] if end is not None else []
        depth = 0
        commas = 0
        for x in inner:
            depth += (x.type in _OPENERS) - (x.type in _CLOSERS)
            commas += x.type == "COMMA" and depth == 0
        single = len(inner) == 1 and inner[0].type == "NAME" and inner[0].info in _PARAMETER_ARGUMENTS
        if end is None or not (commas or single):
            out.append(t)
            k += 1
            continue
        marks = {str(x.info): x for x in inner if x.type == "SUPMARK"}
        out += [t, *marks.values()] if len(marks) == 1 else [t]
        k = end + 1
    return out


def _group_close(toks: list[_Tok], k: int) -> int | None:
    """The index of the bracket that closes the one opened at k."""
    depth = 0
    for j in range(k, len(toks)):
        depth += (toks[j].type in _OPENERS) - (toks[j].type in _CLOSERS)
        if depth == 0:
            return j
    return None


def _time_index(toks: list[_Tok], src: _Source) -> list[_Tok]:
    """Haykin's time step (n) right after a quantity, E(n), e_j(n), d(n), w_{ji}(n): with one sample, the quantity
    itself (dropped; w(n+1) stays, for resolve.py). e^2(n) is then the square of his error signal e, not of Euler's e:
    the e gets an empty subscript, which keeps its name and makes it no base of exp."""
    out: list[_Tok] = []
    k = 0
    while k < len(toks):
        t = toks[k]
        if t.type == "LPAR" and k + 2 < len(toks) and toks[k + 1].type == "NAME" and str(toks[k + 1].info) == "n" \
                and toks[k + 2].type == "RPAR" and out and out[-1].end_pos == t.start_pos \
                and out[-1].type in ("NAME", "SUBTEXT", "RBRACE", "SUPMARK", "PRIME", "NUMBER"):
            power = _power_start(out)
            if power is not None and out[power - 1].type == "NAME" and out[power - 1].info == "e":
                out[power - 1].info = _Plain("e")
            k += 3
            continue
        out.append(t)
        k += 1
    return out


class _Plain(str):
    """The base of a name that is never Euler's e (Haykin's e^2(n))."""


def _blanks(toks: list[_Tok]) -> list[_Tok]:
    """`… = ?`, `… = \\cdots` at the end of a chain: the value left blank. The relation and the blank are dropped, so
    the chain stops at what was written (a chain rule with no value is then an incomplete answer)."""
    out: list[_Tok] = []
    for k, t in enumerate(toks):
        after = toks[k + 1] if k + 1 < len(toks) else None
        if t.type == "UNSUPPORTED" and (str(t) == "?" or "ellipsis" in str(t.info)) and out \
                and out[-1].type == "REL" and (after is None or after.type in ("NL", "BREAK", "HARDSEP")):
            out.pop()
            continue
        out.append(t)
    return out


def _defined_e(toks: list[_Tok]) -> list[_Tok]:
    """E = ½ e², e = d − y (Haykin's error signal): an answer that defines e by itself, e = …, means that name by
    every e it writes, never Euler's number."""
    defines = any(t.type == "NAME" and t.info == "e" and toks[k + 1].type == "REL" and toks[k + 1].info == "="
                  and (k == 0 or toks[k - 1].type in ("NL", "COMMA", "HARDSEP", "SOFTSEP", "REL"))
                  for k, t in enumerate(toks[:-1]))
    if defines:
        for t in toks:
            if t.type == "NAME" and t.info == "e":
                t.info = _Plain("e")
    return toks


def _power_start(toks: list[_Tok]) -> int | None:
    """Where the power that ends toks (^2, ^{2}) starts: the index of its CARET, or None."""
    if toks and toks[-1].type == "NUMBER" and len(toks) >= 2 and toks[-2].type == "CARET":
        return len(toks) - 2
    if toks and toks[-1].type == "RBRACE":
        depth = 0
        for j in range(len(toks) - 1, -1, -1):
            depth += {"RBRACE": 1, "LBRACE": -1}.get(toks[j].type, 0)
            if depth == 0:
                return j - 1 if j >= 1 and toks[j - 1].type == "CARET" else None
    return None


def _group_end(toks: list[_Tok], k: int) -> int:
    """The index after the brace group that starts at toks[k] (an LBRACE), or -1 when it does not close."""
    depth = 0
    for j in range(k, len(toks)):
        depth += {"LBRACE": 1, "RBRACE": -1}.get(toks[j].type, 0)
        if depth == 0:
            return j + 1
    return -1


def _name_end(toks: list[_Tok], k: int) -> int:
    """The index after the name at toks[k] with its scripts (J, E_{total}, L^{(2)}), or -1 when none is there."""
    if k >= len(toks) or toks[k].type != "NAME":
        return -1
    j = k + 1
    while j < len(toks):
        if toks[j].type in ("SUPMARK", "PRIME"):
            j += 1
        elif toks[j].type == "USCORE" and j + 1 < len(toks) and toks[j + 1].type in ("SUBTEXT", "NUMBER", "NAME"):
            j += 2
        elif toks[j].type == "USCORE" and j + 1 < len(toks) and toks[j + 1].type == "LBRACE" \
                and _group_end(toks, j + 1) > 0:
            j = _group_end(toks, j + 1)
        else:
            break
    return j


def _nabla(toks: list[_Tok], src: _Source) -> list[_Tok]:
    r"""Goodfellow's gradient \nabla_{x} J, of one name with respect to one name, is \frac{\partial J}{\partial x}
    (a matrix when x names one: \nabla_{W^{(1)}} J, whose entry (\nabla_{W^{(1)}} J)_{12} is ∂J/∂W^{(1)}_{12})."""
    out: list[_Tok] = []
    k = 0
    while k < len(toks):
        t = toks[k]
        if not (t.type == "UNSUPPORTED" and str(t) == r"\nabla" and k + 2 < len(toks) and toks[k + 1].type == "USCORE"):
            out.append(t)
            k += 1
            continue
        if toks[k + 2].type == "LBRACE":
            end = _group_end(toks, k + 2)
            wrt = toks[k + 3:end - 1] if end > 0 else []
        else:
            end = k + 3
            a = toks[k + 2]
            wrt = [src.tok("NAME", str(a), a.start_pos, a.end_pos, str(a.info))] if a.type == "SUBTEXT" \
                and str(a.info).isalpha() and len(str(a.info)) == 1 else []
        of_end = _name_end(toks, end) if wrt else -1
        if of_end < 0:
            out.append(t)
            k += 1
            continue
        at, stop = t.start_pos, toks[of_end - 1].end_pos
        out += [src.tok("FRAC", r"\frac", at, at, "frac"),
                src.tok("LBRACE", "{", at, at), src.tok("PARTIAL", r"\partial", at, at, "partial"), *toks[end:of_end],
                src.tok("RBRACE", "}", stop, stop),
                src.tok("LBRACE", "{", at, at), src.tok("PARTIAL", r"\partial", at, at, "partial"), *wrt,
                src.tok("RBRACE", "}", stop, stop)]
        k = of_end
    return out


def _attributes(toks: list[_Tok], src: _Source) -> list[_Tok]:
    r"""micrograd's `w_9.\text{grad}` is ∂L/∂w_9 and `h_1.\text{data}` is h_1: a Value's gradient and its value."""
    out: list[_Tok] = []
    k = 0
    while k < len(toks):
        t = toks[k]
        attribute = toks[k + 1] if k + 1 < len(toks) else None
        if not (t.type == "DOT" and attribute is not None and attribute.type == "NAME"
                and str(attribute.info) in ("grad", "data")):
            out.append(t)
            k += 1
            continue
        starts = [s for s in range(max(0, len(out) - 16), len(out)) if _name_end(out, s) == len(out)
                  and (s == 0 or out[s - 1].type not in ("USCORE", "CARET"))]
        if not starts:
            out.append(t)
            k += 1
            continue
        if str(attribute.info) == "grad":
            name, at, stop = out[starts[0]:], out[starts[0]].start_pos, attribute.end_pos
            del out[starts[0]:]
            out += [src.tok("FRAC", r"\frac", at, at, "frac"), src.tok("LBRACE", "{", at, at),
                    src.tok("PARTIAL", r"\partial", at, at, "partial"), src.tok("NAME", "L", at, at, "L"),
                    src.tok("RBRACE", "}", at, at), src.tok("LBRACE", "{", at, at),
                    src.tok("PARTIAL", r"\partial", at, at, "partial"), *name, src.tok("RBRACE", "}", stop, stop)]
        k += 2
    return out


def _layer_label(middle: list[_Tok]) -> str | None:
    """The label of a parenthesised name superscript: an integer (1), a letter (l, \\ell, \\alpha), a letter and
    an integer (l-1, t+1) or a layer's word (LAYER_WORDS): W^{(1)}, a^{(l)}, \\delta^{(l+1)}, z^{(out)}. None for
    anything else (w^{(1-1)} is a power)."""
    types = [x.type for x in middle]
    first = middle[0]
    letter = (first.type == "LETTERS" and len(str(first)) == 1) or first.type == "NAME"
    if types == ["NUMBER"] and str(first.info).isdigit():
        return str(first.info)
    if len(middle) == 1 and letter:
        return str(first.info)
    if types == ["LETTERS"] and str(first.info) in LAYER_WORDS:  # Raschka's a^{(h)}, z^{(out)}, a^{(in)}
        return str(first.info)
    if len(middle) == 3 and letter and types[1] in ("PLUS", "MINUS") and types[2] == "NUMBER" \
            and str(middle[2].info).isdigit():
        return "".join(str(x.info) for x in middle)
    return None


def _merge_scientific(toks: list[_Tok], src: _Source, args: set[int]) -> list[_Tok]:
    """`8.77 \\times 10^{-3}`, `8.77\\cdot10^{-3}` into one NUMBER (info "8.77e-3"): it is one number, also after
    a `/`. Not when the mantissa is a one-token argument (`x^2 \\times 10^3`) or scripts follow."""
    out: list[_Tok] = []
    n = len(toks)
    k = 0
    while k < n:
        t = toks[k]
        found = _scientific_at(toks, k, args) if t.type == "NUMBER" else None
        if found is None:
            out.append(t)
            k += 1
            continue
        end, exponent = found
        last = toks[end - 1]
        out.append(src.tok("NUMBER", src.text[t.start_pos:last.end_pos], t.start_pos, last.end_pos,
                           f"{t.info}e{exponent}"))
        k = end
    return out


def _scientific_at(toks: list[_Tok], k: int, args: set[int]) -> tuple[int, int] | None:
    """(index after the match, exponent) if toks[k:] is mantissa \\times 10 ^ exponent."""
    n = len(toks)
    if k + 4 >= n:
        return None
    mant, mul, ten, caret = toks[k:k + 4]
    if mant.start_pos in args or "e" in str(mant.info) or mul.type != "MUL" or str(mul) not in _TIMES \
            or ten.type != "NUMBER" or str(ten.info) != "10" or ten.start_pos in args or caret.type != "CARET":
        return None
    j = k + 4
    sign = 1
    if toks[j].type == "LBRACE":
        j += 1
        if j < n and toks[j].type in ("PLUS", "MINUS"):
            sign = -1 if toks[j].type == "MINUS" else 1
            j += 1
        if not (j + 1 < n and toks[j].type == "NUMBER" and toks[j + 1].type == "RBRACE"):
            return None
        digits = str(toks[j].info)
        j += 2
    elif toks[j].type == "NUMBER":
        digits = str(toks[j].info)
        j += 1
    else:
        return None
    if not digits.isdigit() or len(digits) > 4 or int(digits) > MAX_EXPONENT:
        return None
    if j < n and toks[j].type in ("CARET", "USCORE", "PRIME", "SUPMARK"):
        return None
    return j, sign * int(digits)


def _mark_functions(toks: list[_Tok], src: _Source) -> None:
    """A function name followed (after primes and a subscript) by ( or [ is applied: FUNC + CALL_*."""
    match: dict[int, int] = {}
    stack: list[int] = []
    for k, t in enumerate(toks):
        if t.type == "LBRACE":
            stack.append(k)
        elif t.type == "RBRACE" and stack:
            match[stack.pop()] = k
    n = len(toks)
    for k, t in enumerate(toks):
        if t.type == "NAME" and k > 0 and toks[k - 1].type == "ACCENT":
            continue  # \hat\sigma(z) is a name times z
        primed = k + 1 < n and toks[k + 1].type == "PRIME"  # Bishop's h'(a_j): a letter primed before ( is applied
        if t.type == "FUNCCMD" or (t.type == "NAME" and (t.info in FUNCTION_NAMES or (primed and t.info == "h"))):
            j = k + 1
            while j < n:
                a = toks[j]
                if a.type == "PRIME":
                    j += 1
                elif a.type == "USCORE" and j + 1 < n and toks[j + 1].type in ("SUBTEXT", "NUMBER", "NAME"):
                    j += 2
                elif a.type == "USCORE" and j + 1 < n and toks[j + 1].type == "LBRACE" and j + 1 in match:
                    j = match[j + 1] + 1
                elif a.type == "CARET" and j + 1 < n and toks[j + 1].type == "NUMBER":
                    j += 2  # \tanh^2(x)
                elif a.type == "CARET" and j + 1 < n and toks[j + 1].type == "LBRACE" and j + 1 in match:
                    j = match[j + 1] + 1
                else:
                    break
            if j < n and toks[j].type in ("LPAR", "LBRACK", "LCURLY"):
                t.info = FUNCTION_NAMES.get(str(t.info), str(t.info))
                t.type = "FUNC"
                toks[j].type = "CALL_" + toks[j].type
            elif t.type == "FUNCCMD":
                if t.info == "max":
                    raise src.error(r"\max needs brackets: \max(0, x)", t.start_pos)
                t.type = "FUNC_BARE"
        elif t.type == "FUNCCMD":  # pragma: no cover - every FUNCCMD is handled above
            t.type = "FUNC_BARE"


# --------------------------------------------------------------------- pass C: lines, chains, elements


def _lines(toks: list[_Tok], src: _Source) -> list[tuple[list[_Tok], bool]]:
    """Split into lines: (tokens, whether the line follows a \\\\ inside an environment)."""
    lines: list[tuple[list[_Tok], bool]] = []
    cur: list[_Tok] = []
    after_env_break = False
    envs: list[_Tok] = []
    brackets: list[_Tok] = []
    first = next((t for t in toks if t.type != "NL"), None)
    delimited = first is not None and first.type == "MATH"
    inside = not delimited
    opened: _Tok | None = None
    closing = {"$": "$", "$$": "$$", "\\[": "\\]", "\\(": "\\)"}

    def flush(env_break: bool) -> None:
        nonlocal cur, after_env_break
        lines.append((cur, after_env_break))
        cur = []
        after_env_break = env_break

    def no_open(t: _Tok, what: str) -> None:
        if brackets:
            o = brackets[-1]
            raise src.error(f"{_show(o)} at line {o.line}, column {o.column} is not closed before {what}",
                            t.start_pos)

    for t in toks:
        typ = t.type
        if typ == "MATH":
            if not delimited:
                raise src.error(f"unexpected {_show(t)}: math delimiters may only wrap the whole answer",
                                t.start_pos)
            if not inside:
                inside, opened = True, t
                continue
            assert opened is not None
            if str(t) != closing.get(str(opened), ""):
                raise src.error(f"{_show(t)} does not close {_show(opened)} at line {opened.line}, "
                                f"column {opened.column}", t.start_pos)
            no_open(t, "the end of the math")
            if envs:
                raise src.error(f"\\begin{{{envs[-1].info}}} is not closed before the end of the math", t.start_pos)
            flush(False)
            inside = False
            continue
        if not inside:
            if typ in ("NL", "DOT", "COMMA"):
                continue
            raise src.error(f"{_show(t)} outside the math delimiters", t.start_pos)
        if typ == "NL":
            if not envs and not brackets:
                flush(False)
        elif typ == "BREAK":
            no_open(t, "\\\\")
            flush(bool(envs))
        elif typ == "BEGIN":
            if t.info in _ENV_HINTS:
                raise src.error(f"unsupported environment {t.info}: {_ENV_HINTS[t.info]}", t.start_pos)
            if t.info not in ENVIRONMENTS:
                raise src.error(f"unsupported environment {t.info} (only {', '.join(sorted(ENVIRONMENTS))})",
                                t.start_pos)
            no_open(t, f"\\begin{{{t.info}}}")
            envs.append(t)
            flush(False)
        elif typ == "END":
            if not envs:
                raise src.error(f"\\end{{{t.info}}} without \\begin", t.start_pos)
            if envs[-1].info != t.info:
                o = envs[-1]
                raise src.error(f"\\end{{{t.info}}} does not match \\begin{{{o.info}}} at line {o.line}, "
                                f"column {o.column}", t.start_pos)
            no_open(t, f"\\end{{{t.info}}}")
            envs.pop()
            flush(False)
        else:
            if typ in _OPENERS:
                brackets.append(t)
            elif typ in _CLOSERS and brackets:
                brackets.pop()
            cur.append(t)
    if delimited and inside:
        assert opened is not None
        raise src.error(f"{_show(opened)} is never closed", opened.start_pos)
    if envs:
        raise src.error(f"\\begin{{{envs[-1].info}}} is never closed", envs[-1].start_pos)
    flush(False)
    return lines


def _logical_lines(lines: list[tuple[list[_Tok], bool]], src: _Source) -> list[list[_Tok]]:
    """Join continuation lines (leading relation or operator, or previous line ending with one)."""
    logical: list[list[_Tok]] = []
    for toks, env_break in lines:
        toks = _resolve_soft(toks, src)
        while toks and toks[-1].type in ("DOT", "COMMA", "HARDSEP"):
            toks = toks[:-1]
        while toks and toks[0].type == "HARDSEP":
            toks = toks[1:]
        if not toks:
            continue
        first = toks[0].type
        if logical and (logical[-1][-1].type in _BINOPS or logical[-1][-1].type == "REL"
                        or first in ("REL", "PLUS", "MUL", "DIV") or (first == "MINUS" and env_break)):
            logical[-1].extend(toks)
        else:
            logical.append(list(toks))
    return logical


def _with_depth(toks: list[_Tok]) -> Iterator[tuple[_Tok, int]]:
    """Each token with the bracket depth after it (an opener is inside its brackets, a closer outside)."""
    depth = 0
    for t in toks:
        if t.type in _OPENERS:
            depth += 1
        elif t.type in _CLOSERS:
            depth -= 1
        yield t, depth


def _resolve_soft(line: list[_Tok], src: _Source) -> list[_Tok]:
    """One physical line: \\quad is a space when the chain so far has a relation and what follows (up to the
    next separator) has none, or starts with one; otherwise it separates chains (becomes HARDSEP). Inside brackets
    it stays, for _vectors (a separator of a row vector [a \\quad b], else nothing)."""
    segments: list[tuple[_Tok | None, list[_Tok]]] = [(None, [])]
    for t, depth in _with_depth(line):
        if t.type in ("SOFTSEP", "HARDSEP", "COMMA") and depth == 0:
            segments.append((t, []))
        elif t.type == "HARDSEP":
            raise src.error(f"unexpected {_show(t)} inside brackets", t.start_pos)
        else:
            segments[-1][1].append(t)
    out: list[_Tok] = []
    chain_has_rel = False
    for k, (sep, seg) in enumerate(segments):
        if sep is not None and sep.type == "SOFTSEP" and _remark(seg):
            # \qquad (E = ½ Σ_k Err_k²): a remark in brackets, its own chain
            segments[k] = (src.tok("HARDSEP", str(sep), sep.start_pos, sep.end_pos, "quad"), seg[1:-1])
    for sep, seg in segments:
        if sep is not None and sep.type == "SOFTSEP":
            continuing = bool(seg) and seg[0].type == "REL"
            if not continuing and not (chain_has_rel and not _has_relation(seg)):
                out.append(src.tok("HARDSEP", str(sep), sep.start_pos, sep.end_pos, "quad"))
                chain_has_rel = False
        elif sep is not None:
            out.append(sep)
            chain_has_rel = False
        out.extend(seg)
        chain_has_rel = chain_has_rel or _has_relation(seg)
    return out


def _remark(seg: list[_Tok]) -> bool:
    """Is this segment one bracket ( … ) with a relation inside it, a remark set beside the chain?"""
    if len(seg) < 3 or seg[0].type != "LPAR" or seg[-1].type != "RPAR":
        return False
    depths = [d for _, d in _with_depth(seg)]
    return min(depths[:-1]) == 1 and any(t.type == "REL" and d == 1 for t, d in zip(seg, depths, strict=True))


def _chains(line: list[_Tok]) -> list[list[_Tok]]:
    """Split one logical line at the separators left after _resolve_soft: top-level ',' ';' prose, \\quad."""
    chains: list[list[_Tok]] = [[]]
    for t, depth in _with_depth(line):
        if depth == 0 and t.type in ("HARDSEP", "COMMA"):
            chains.append([])
        else:
            chains[-1].append(t)
    return [c for c in chains if c]


_ENDS_OPERAND = frozenset({"NUMBER", "NAME", "SUBTEXT", "SUPMARK", "PRIME", "TRANSPOSE", "RPAR", "RBRACK", "RCURLY",
                           "RBRACE", "MEND", "RNORM"})
_STARTS_OPERAND = frozenset({"NUMBER", "NAME", "FUNC", "FUNC_BARE", "LPAR", "LBRACK", "LCURLY", "LBRACE", "FRAC",
                             "SQRT", "PARTIAL", "ACCENT", "MBEGIN", "SUM", "LNORM"})


def _vectors(chain: list[_Tok], src: _Source) -> list[_Tok]:
    """Row vectors in square brackets: `[h_1 \\ h_2]`, `[2 \\quad 3]`, `[a, b]` are 1×n matrices when the chain has
    a matrix environment or two of its members hold such a bracket; there, a member that is one bracket (`[out]`,
    `[0.191]`) is a 1×1 matrix too. Elsewhere the separators are spaces (and `,` stays an error)."""
    n = len(chain)
    # (opener index, separators: indices of COMMA/SOFTSEP tokens or of tokens a `\ ` stands before)
    frames: list[tuple[int, list[int]]] = []
    last: list[int | None] = [None]  # per open frame (and the top level): the last token at its level
    seps: dict[int, tuple[int, list[int]]] = {}  # opener index of a plain [ -> (closer index, separators)
    member_of: list[int] = []
    member = 0
    for k, t in enumerate(chain):
        member_of.append(member)  # a relation belongs to the member before it
        if t.type == "REL" and not frames:
            member += 1
        if t.type in _CLOSERS and frames:
            opener, found = frames.pop()
            last.pop()
            if chain[opener].type == "LBRACK":
                seps[opener] = (k, found)
            last[-1] = k
            continue
        if frames and chain[frames[-1][0]].type == "LBRACK":
            found = frames[-1][1]
            prev = last[-1]
            if t.type in ("COMMA", "SOFTSEP"):
                found.append(k)
                last[-1] = None
                continue
            if prev is not None and chain[prev].type in _ENDS_OPERAND and _spaced(chain[prev], t, src) and (
                    t.type in _STARTS_OPERAND or (t.type in ("PLUS", "MINUS") and k + 1 < n
                                                  and chain[k + 1].start_pos == t.end_pos)):
                found.append(k)
        last[-1] = k
        if t.type in _OPENERS:
            frames.append((k, []))
            last.append(None)
    with_seps = {member_of[k] for k, (_, found) in seps.items() if found}
    if not any(t.type == "MBEGIN" for t in chain) and len(with_seps) < 2:
        return [t for t in chain if t.type != "SOFTSEP"]
    convert: dict[int, _Tok] = {}  # index -> replacement (MBEGIN, MEND, MCOL) or a MCOL inserted before it
    insert: dict[int, _Tok] = {}
    starts = {k for k in range(n) if k == 0 or member_of[k] != member_of[k - 1]}
    for opener, (closer, found) in seps.items():
        whole = opener in starts and (closer + 1 == n or chain[closer + 1].type == "REL")
        if not found and not whole:
            continue
        o, c = chain[opener], chain[closer]
        convert[opener] = src.tok("MBEGIN", str(o), o.start_pos, o.end_pos, "[")
        convert[closer] = src.tok("MEND", str(c), c.start_pos, c.end_pos, "[")
        for k in found:
            t = chain[k]
            if t.type in ("COMMA", "SOFTSEP"):
                convert[k] = src.tok("MCOL", str(t), t.start_pos, t.end_pos)
            else:
                at = chain[k - 1].end_pos
                insert[k] = src.tok("MCOL", "", at, at)
    out: list[_Tok] = []
    for k, t in enumerate(chain):
        if k in insert:
            out.append(insert[k])
        t = convert.get(k, t)
        if t.type != "SOFTSEP":
            out.append(t)
    return out


def _spaced(a: _Tok, b: _Tok, src: _Source) -> bool:
    """Whether a `\\ ` stands between the tokens a and b."""
    k = bisect.bisect_left(src.spaces, a.end_pos)
    return k < len(src.spaces) and src.spaces[k] < b.start_pos


def _has_relation(toks: list[_Tok]) -> bool:
    return any(t.type == "REL" and depth == 0 for t, depth in _with_depth(toks))


def _elements(chain: list[_Tok], src: _Source) -> tuple[list[list[_Tok]], list[str]]:
    elements: list[list[_Tok]] = [[]]
    relations: list[str] = []
    matrices = 0  # open matrices
    for t, depth in _with_depth(chain):
        matrices += (t.type == "MBEGIN") - (t.type == "MEND")
        if t.type == "REL" and matrices:
            raise src.error(f"{_show(t)} inside a matrix: a matrix holds expressions; write equations one per line "
                            r"(in aligned) or between matrices", t.start_pos)
        if t.type == "REL" and depth == 0:
            if not elements[-1]:
                where = "before" if not relations else "between two relations at"
                raise src.error(f"missing expression {where} {_show(t)}", t.start_pos)
            relations.append(str(t.info))
            elements.append([])
            continue
        if t.type not in _PARSER_TERMINALS:
            raise src.error(f"unexpected {_show(t)}", t.start_pos)
        elements[-1].append(t)
    if not elements[-1]:
        last = chain[-1]
        raise src.error(f"missing expression after {_show(last)}", last.end_pos)
    return elements, relations


# ------------------------------------------------------------------------------------------ the parser


class _NoLexer(Lexer):
    """Tokens are fed one by one through the interactive parser; Lark never lexes."""

    def __init__(self, conf: Any) -> None:
        pass

    def lex(self, *args: Any) -> Any:  # pragma: no cover - never called
        raise NotImplementedError


@lru_cache(maxsize=1)
def _parser() -> Lark:
    grammar = (Path(__file__).with_name("grammar.lark")).read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", lexer=_NoLexer, strict=True, start="expr")


def _parse_tokens(toks: list[_Tok], src: _Source) -> Any:
    ip = _parser().parse_interactive(None, start="expr")
    try:
        for k, t in enumerate(toks):
            if k % 256 == 255:
                src.check_time()
            ip.feed_token(t)
        return ip.feed_eof(toks[-1])
    except UnexpectedToken as e:
        tok = e.token
        expected = sorted({_DESCRIBE.get(x, x) for x in e.expected if x in _DESCRIBE and x != "$END"})
        hint = f" (expected {', '.join(expected)})" if 0 < len(expected) <= 4 else ""
        if tok.type == "$END":
            raise src.error(f"the expression ends too early{hint}", toks[-1].end_pos) from None
        if tok.type == "IN":
            raise src.error(r"\in: sets cannot be checked (only \sum_{k \in outputs})", tok.start_pos) from None
        raise src.error(f"unexpected {_show(tok)}{hint}", tok.start_pos or 0) from None
    except UnexpectedInput as e:  # pragma: no cover - only UnexpectedToken is raised when feeding tokens
        raise src.error("unexpected input", getattr(e, "pos_in_stream", 0) or 0) from None


# -------------------------------------------------------------------------------- tree -> SymPy


class Entry(sp.Function):
    r"""[(W^{(2)})^{\top} \delta^{(2)}]_1: entry (i, j) of a bracket written with layer names (from 1; one index
    for a vector), left for the resolver, which knows the layers' matrices."""

    @classmethod
    def eval(cls, *args: Any) -> None:
        return None


@dataclass
class _Num:
    value: sp.Rational
    pos: int


@dataclass
class _NameAtom:
    base: str
    pos: int
    accent: str = ""
    pieces: tuple[str, ...] = ()  # a subscript already attached (\hat{y_1})
    sup: str = ""
    plain: bool = False  # never Euler's e (Haykin's e^2(n))


@dataclass
class _FuncAtom:
    name: str
    pos: int


@dataclass
class _PartialAtom:
    pos: int


@dataclass
class _Factor:
    sign: int
    items: list[Any]  # juxtaposed factors: sp.Expr, _Mat, _Num, _PartialAtom (a bare ∂)
    pos: int


@dataclass
class _Mat:
    """A matrix of two entries or more (a 1×1 matrix is its entry), ImmutableMatrix m, at most 10×10."""

    m: Any
    pos: int

    @property
    def shape(self) -> str:
        return _shape(self.m.rows, self.m.cols)


@dataclass
class _OpAtom:
    """The operator \\frac{\\partial}{\\partial w} or \\frac{d}{dw}: `factor` applies it to what follows it."""

    wrt: list[Any]
    pos: int


def _shape(rows: int, cols: int) -> str:
    return f"{rows}×{cols}"


class _Names:
    """Raw name <-> symbol, plus the subscript pieces needed to expand sums."""

    def __init__(self) -> None:
        self.symbol: dict[RawName | RawPartial, sp.Symbol] = {}
        self.raw: dict[sp.Symbol, RawName | RawPartial] = {}
        self.pieces: dict[RawName, tuple[str, ...]] = {}
        self.used: set[str] = set()

    def get(self, raw: RawName | RawPartial) -> sp.Symbol:
        s = self.symbol.get(raw)
        if s is None:
            name = str(raw)
            k = 1
            while name in self.used:
                k += 1
                name = f"{raw}#{k}"
            self.used.add(name)
            s = sp.Symbol(name)
            self.symbol[raw] = s
            self.raw[s] = raw
        return s

    def name(self, base: str, pieces: tuple[str, ...] = (), sup: str = "", accent: str = "") -> sp.Symbol:
        raw = RawName(base, "".join(pieces), sup, accent)
        self.pieces.setdefault(raw, pieces)
        return self.get(raw)

    def raw_name(self, x: Any) -> RawName | None:
        if isinstance(x, sp.Symbol):
            r = self.raw.get(x)
            if isinstance(r, RawName):
                return r
        return None

    def substitute(self, raw: RawName | RawPartial, letter: str, value: int) -> sp.Expr | None:
        """The symbol for raw with the sum index `letter` replaced by value, or None if it does not occur."""
        if isinstance(raw, RawPartial):
            of, wrt = self._subst_name(raw.of, letter, value), self._subst_name(raw.wrt, letter, value)
            if of is None and wrt is None:
                return None
            return self.get(RawPartial(of or raw.of, wrt or raw.wrt))
        if raw.base == letter and not raw.sub and not raw.sup and not raw.accent:
            return sp.Integer(value)
        new = self._subst_name(raw, letter, value)
        return None if new is None else self.get(new)

    def _subst_name(self, raw: RawName, letter: str, value: int) -> RawName | None:
        pieces = self.pieces.get(raw, (raw.sub,))
        ng = re.fullmatch(r"\[(\d+)\]\((\w+)\)", raw.sup)  # Ng's dz^{[2](i)}: layer 2, sample i
        if letter not in pieces and raw.sup != letter and not (ng and ng[2] == letter):
            return None
        new_pieces = tuple(str(value) if p == letter else p for p in pieces)
        # a sum over a superscript runs over the samples (Σ_n δ^{(n)} z^{(n)}): written "{n}", a sample's index,
        # which a batch reads as its sample (a layer's superscript is a number, never a summed letter)
        sup = f"{{{value}}}" if raw.sup == letter else f"[{ng[1]}]({value})" if ng and ng[2] == letter else raw.sup
        new = replace(raw, sub="".join(new_pieces), sup=sup)
        self.pieces.setdefault(new, new_pieces)
        return new

    def index(self, raw: RawName | RawPartial, value: int) -> sp.Symbol | None:
        """For a \\sum without an index or index letter: raw with the subscript `value` if it is a name of
        SUM_BASES without a subscript (in a partial: either side), else None."""
        if isinstance(raw, RawPartial):
            of, wrt = self._index_name(raw.of, value), self._index_name(raw.wrt, value)
            if of is None and wrt is None:
                return None
            return self.get(RawPartial(of or raw.of, wrt or raw.wrt))
        new = self._index_name(raw, value)
        return None if new is None else self.get(new)

    def _index_name(self, raw: RawName, value: int) -> RawName | None:
        if raw.sub or raw.base not in SUM_BASES:
            return None
        new = replace(raw, sub=str(value))
        self.pieces.setdefault(new, (str(value),))
        return new

    def letters(self, raw: RawName | RawPartial) -> set[str]:
        """The subscript of raw if it is one letter of SUM_LETTERS (t_k, ∂E/∂o_k, y^{(i)}): the index of a \\sum
        without one."""
        if isinstance(raw, RawPartial):
            return self.letters(raw.of) | self.letters(raw.wrt)
        pieces = self.pieces.get(raw, (raw.sub,))
        found = {pieces[0]} if len(pieces) == 1 and pieces[0] in SUM_LETTERS else set()
        if raw.sup in SUM_LETTERS:
            found.add(raw.sup)
        return found


def _split_pieces(text: str) -> tuple[str, ...]:
    """A subscript text into pieces: digit runs, known words, single letters ("h1" -> h, 1; "total")."""
    out: list[str] = []
    for m in re.finditer(r"[0-9.]+|[A-Za-z]+|.", text):
        s = m.group()
        if s.isalpha() and s not in WORDS:
            out.extend(s)
        else:
            out.append(s)
    return tuple(out)


def _size(expr: sp.Basic, cap: int) -> int:
    n = 0
    stack = [expr]
    while stack and n <= cap:
        e = stack.pop()
        n += 1
        stack.extend(e.args)
    return n


class _Build(Transformer_NonRecursive):
    """Bottom-up, without recursion: the tree's depth is bounded by max_depth anyway."""

    def __init__(self, src: _Source, names: _Names, budget: dict[str, int], sum_range: int | None = None,
                 sum_samples: int | None = None, sizes: Mapping[str, int] = MappingProxyType({})) -> None:
        super().__init__(visit_tokens=False)
        self.src = src
        self.names = names
        self.budget = budget
        self.sum_range = sum_range
        self.sum_samples = sum_samples
        self.sizes = sizes

    def _call_userfunc(self, tree: Any, new_children: Any = None) -> Any:
        self.src.check_time()
        return super()._call_userfunc(tree, new_children)

    # ---- helpers
    def _err(self, what: str, pos: int) -> ParseError:
        return self.src.error(what, pos)

    def _pos(self, children: list[Any]) -> int:
        """The position of the first child that knows it (tokens and atoms do)."""
        for c in children:
            if isinstance(c, Token):
                return int(c.start_pos or 0)
            pos = getattr(c, "pos", None)
            if isinstance(pos, int):
                return pos
        return 0

    def _value(self, v: Any, pos: int) -> sp.Expr:
        """Any intermediate value as a SymPy expression; a matrix cannot stand here."""
        value = self._mvalue(v, pos)
        if isinstance(value, _Mat):
            raise self._err(f"a {value.shape} matrix cannot stand here (matrices can be multiplied, added, "
                            r"transposed and given to a function)", value.pos)
        return value

    def _mvalue(self, v: Any, pos: int) -> sp.Expr | _Mat:
        """Any intermediate value as a SymPy expression or a matrix."""
        if isinstance(v, (sp.Basic, _Mat)):
            return v
        if isinstance(v, _Num):
            return v.value
        if isinstance(v, _NameAtom):
            return self.names.name(v.base, v.pieces, v.sup, v.accent)
        if isinstance(v, _Factor):
            return self._product(v.sign, v.items, v.pos)
        if isinstance(v, _PartialAtom):
            raise self._err(r"\partial must be written as \frac{\partial A}{\partial B} or \partial A/\partial B",
                            v.pos)
        if isinstance(v, _FuncAtom):  # pragma: no cover - the tokenizer only makes FUNC before a bracket
            raise self._err(f"function {v.name} without an argument", v.pos)
        if isinstance(v, _OpAtom):
            raise self._err(r"the operator \frac{\partial}{\partial w} must be followed by what it differentiates",
                            v.pos)
        raise self._err("cannot read this expression", pos)  # pragma: no cover

    def _product(self, sign: int, items: list[Any], pos: int) -> Any:
        """The product of juxtaposed items: scalars commute, matrices are multiplied left to right (a 1×1 result is
        its entry). sp.Expr or _Mat."""
        scalars: list[sp.Expr] = []
        mat: _Mat | None = None
        for x in self._gradients(items):
            v = self._mvalue(x, pos)
            if not isinstance(v, _Mat):
                scalars.append(v)
            elif mat is None:
                mat = v
            else:
                prod = self._matmul(mat, v)
                if isinstance(prod, _Mat):
                    mat = prod
                else:
                    scalars.append(prod)
                    mat = None
        result = sp.Mul(*scalars)
        if sign < 0:
            result = -result
        return result if mat is None else self._scale(result, mat)

    # ---- matrices
    def _matrix(self, rows: list[list[sp.Expr]], pos: int) -> Any:
        """A matrix value from its rows; a 1×1 matrix is its entry."""
        if len(rows) == 1 and len(rows[0]) == 1:
            return rows[0][0]
        return _Mat(sp.ImmutableMatrix(rows), pos)

    def _entries(self, m: Any) -> int:
        """The expression nodes of a matrix's entries (capped)."""
        return sum(_size(e, MAX_MATRIX_NODES) for e in m)

    def _budget_matrix(self, nodes: int, pos: int) -> None:
        self.src.check_time()
        self.budget["matrix"] += nodes
        if self.budget["matrix"] > MAX_MATRIX_NODES:
            raise Refused(f"matrix arithmetic that makes more than {MAX_MATRIX_NODES} expression nodes "
                          f"(line {self.src.linecol(pos)[0]}, column {self.src.linecol(pos)[1]})")

    def _matmul(self, a: _Mat, b: _Mat) -> Any:
        A, B = a.m, b.m
        if A.cols != B.rows:
            raise self._err(f"cannot multiply a {a.shape} matrix by a {b.shape} matrix (the first needs as many "
                            "columns as the second has rows)", b.pos)
        self._budget_matrix(B.cols * self._entries(A) + A.rows * self._entries(B) + A.rows * A.cols * B.cols, b.pos)
        rows = [[sp.Add(*[A[i, k] * B[k, j] for k in range(A.cols)]) for j in range(B.cols)] for i in range(A.rows)]
        return self._matrix(rows, a.pos)

    def _scale(self, s: sp.Expr, mat: _Mat) -> _Mat:
        if s == 1:
            return mat
        self._budget_matrix(self._entries(mat.m) + len(mat.m) * _size(s, MAX_MATRIX_NODES), mat.pos)
        return _Mat(mat.m.applyfunc(lambda e: s * e), mat.pos)

    def _neg(self, v: Any) -> Any:
        if isinstance(v, _Mat):
            return _Mat(v.m.applyfunc(lambda e: -e), v.pos)
        return -v

    def _add(self, terms: list[Any], pos: int) -> Any:
        """a + b - c: matrices of one shape; a scalar goes to every entry (1 - \\sigma(Z))."""
        mats = [t for t in terms if isinstance(t, _Mat)]
        if not mats:
            return sp.Add(*terms)
        first = mats[0]
        for t in mats:
            if t.m.shape != first.m.shape:
                raise self._err(f"cannot add a {first.shape} matrix and a {t.shape} matrix", t.pos)
        scalar = sp.Add(*[t for t in terms if not isinstance(t, _Mat)])
        self._budget_matrix(sum(self._entries(t.m) for t in mats) + len(first.m) * _size(scalar, MAX_MATRIX_NODES),
                            first.pos)
        rows, cols = first.m.shape
        return _Mat(sp.ImmutableMatrix([[sp.Add(scalar, *[t.m[i, j] for t in mats]) for j in range(cols)]
                                        for i in range(rows)]), first.pos)

    def _numpy_star(self, left: list[Any], right: list[Any], pos: int) -> bool:
        """Ng writes numpy's element-wise a * b: two matrices of one shape that cannot be multiplied as matrices."""
        a, b = self._product(1, left, pos), self._product(1, right, pos)
        return isinstance(a, _Mat) and isinstance(b, _Mat) and a.m.shape == b.m.shape and a.m.cols != b.m.rows

    def _hadamard(self, a: Any, b: Any, pos: int) -> Any:
        """a \\odot b: entry by entry for two matrices of the same shape, else a product."""
        if not (isinstance(a, _Mat) and isinstance(b, _Mat)):
            return self._product(1, [a, b], pos)
        if a.m.shape != b.m.shape:
            raise self._err(f"an element-wise product (\\odot) of a {a.shape} matrix and a {b.shape} matrix: "
                            "the shapes must be the same", b.pos)
        self._budget_matrix(self._entries(a.m) + self._entries(b.m), a.pos)
        rows, cols = a.m.shape
        return _Mat(sp.ImmutableMatrix([[a.m[i, j] * b.m[i, j] for j in range(cols)] for i in range(rows)]), a.pos)

    def _transpose(self, v: Any) -> Any:
        """W^T; a scalar is its own transpose."""
        return _Mat(v.m.T, v.pos) if isinstance(v, _Mat) else v

    def _magnitude_ok(self, e: sp.Expr, pos: int) -> float:
        """|e| for a numeric exponent, refusing above MAX_EXPONENT."""
        if e.is_Rational:
            if abs(e) > MAX_EXPONENT:
                raise Refused(f"an exponent larger than {MAX_EXPONENT} in absolute value "
                              f"(line {self.src.linecol(pos)[0]}, column {self.src.linecol(pos)[1]})")
            return float(abs(e))
        v = abs(sp.N(e, 15))
        if not v.is_Number or v in (sp.nan, sp.zoo, sp.oo):
            raise self._err("the exponent is not a finite number", pos)
        if v > MAX_EXPONENT:
            raise Refused(f"an exponent larger than {MAX_EXPONENT} in absolute value "
                          f"(line {self.src.linecol(pos)[0]}, column {self.src.linecol(pos)[1]})")
        return float(v)

    def _log10(self, x: sp.Expr, pos: int) -> float:
        if x.is_Rational:
            p, q = abs(int(x.p)), int(x.q)
            return p.bit_length() * 0.30103 + q.bit_length() * 0.30103
        v = abs(sp.N(x, 15))
        if not v.is_Number or v in (sp.nan, sp.zoo, sp.oo):
            raise self._err("not a finite number", pos)
        if v == 0:
            return 0.0
        return abs(float(sp.log(v, 10).evalf(15)))

    def _pow(self, base: Any, exp: sp.Expr, pos: int) -> sp.Expr:
        if isinstance(base, _Mat):
            raise self._err(f"a power of a {base.shape} matrix cannot be checked (write the product; ^T is a "
                            "transpose)", pos)
        if exp.is_number:
            mag = self._magnitude_ok(exp, pos)
            if base.is_number and mag > 1:  # |exponent| <= 1 never makes a number longer
                digits = self._log10(base, pos) * mag
                self.budget["digits"] += int(digits)
                if digits > MAX_POWER_DIGITS or self.budget["digits"] > MAX_TOTAL_DIGITS:
                    raise Refused(f"a power whose value has too many digits "
                                  f"(line {self.src.linecol(pos)[0]}, column {self.src.linecol(pos)[1]})")
        return sp.Pow(base, exp)

    def _exp(self, arg: sp.Expr, pos: int) -> sp.Expr:
        if arg.is_number:
            self._magnitude_ok(arg, pos)
        return sp.exp(arg)

    def _apply(self, name: str, primes: int, sub: str, args: list[Any], pos: int) -> Any:
        mats = [a for a in args if isinstance(a, _Mat)]
        if mats:  # \sigma(Z): entry by entry (scalar arguments of \max go to every entry)
            first = mats[0]
            for a in mats:
                if a.m.shape != first.m.shape:
                    raise self._err(f"the arguments of {name} are a {first.shape} and a {a.shape} matrix", pos)
            self._budget_matrix(sum(self._entries(a.m) for a in mats), first.pos)
            rows, cols = first.m.shape
            return _Mat(sp.ImmutableMatrix([[self._apply(name, primes, sub, [a.m[i, j] if isinstance(a, _Mat) else a
                                                                              for a in args], pos)
                                             for j in range(cols)] for i in range(rows)]), first.pos)
        if name in _BUILTIN and not primes and not sub:
            if name == "max":
                if len(args) < 2:
                    raise self._err(r"\max needs at least two arguments: \max(0, x)", pos)
                return sp.Max(*args)
            if len(args) != 1:
                raise self._err(f"{name} takes one argument", pos)
            if name == "exp":
                return self._exp(args[0], pos)
            if name == "heaviside":
                return sp.Heaviside(args[0], 0)  # H(0) = 0, as the engine takes ReLU′(0)
            return sp.log(args[0]) if name == "log" else sp.tanh(args[0])
        if len(args) != 1:
            raise self._err(f"{name} takes one argument", pos)
        fname = name + "'" * primes + (f"_{sub}" if sub else "")
        return sp.Function(fname)(args[0])

    def _layer_name(self, x: Any) -> RawName | None:
        """W^2_1 read as a power, (W_1)^2, is the layer-labelled name W^{(2)}_1 where only a name can stand."""
        if isinstance(x, sp.Pow) and x.exp.is_Integer and x.exp >= 2:
            raw = self.names.raw_name(x.base)
            if raw is not None and not raw.sup:
                new = replace(raw, sup=str(x.exp))
                self.names.pieces.setdefault(new, self.names.pieces.get(raw, (raw.sub,) if raw.sub else ()))
                return new
        return None

    def _derivative(self, of_items: list[Any], wrt_items: list[Any], pos: int) -> Any:
        wrt = self.names.raw_name(wrt_items[0]) if len(wrt_items) == 1 else None
        layered = wrt is None and len(wrt_items) == 1 and (wrt := self._layer_name(wrt_items[0])) is not None
        if wrt is None:
            raise self._err("a derivative must be with respect to one name (mixed, higher-order derivatives and "
                            "derivatives with respect to an expression are not supported)", pos)
        if not of_items:  # pragma: no cover - an empty numerator is the operator (_operator)
            raise self._err(r"write the derivative as \frac{\partial A}{\partial B}", pos)
        if any(isinstance(x, _PartialAtom) for x in of_items):
            raise self._err("higher-order derivatives are not supported", pos)
        if len(of_items) == 1:
            of = self.names.raw_name(of_items[0]) or (self._layer_name(of_items[0]) if layered else None)
            if of is not None:
                return self.names.get(RawPartial(of, wrt))
        expr = self._product(1, of_items, pos)
        var = self.names.get(wrt)
        if isinstance(expr, _Mat):  # the derivative of a matrix, entry by entry
            return _Mat(expr.m.applyfunc(lambda e: sp.Derivative(e, var)), expr.pos)
        return sp.Derivative(expr, var)

    def _operator(self, wrt_items: list[Any], pos: int) -> _OpAtom:
        """\\frac{\\partial}{\\partial w}: checked here, applied by `factor` to what follows it."""
        if len(wrt_items) != 1 or (self.names.raw_name(wrt_items[0]) is None
                                   and self._layer_name(wrt_items[0]) is None):
            raise self._err("a derivative must be with respect to one name (mixed, higher-order derivatives and "
                            "derivatives with respect to an expression are not supported)", pos)
        return _OpAtom(list(wrt_items), pos)

    def _apply_operators(self, items: list[Any]) -> list[Any]:
        """Each operator \\frac{\\partial}{\\partial w} applies to the rest of its juxtaposition (innermost first):
        \\frac{\\partial}{\\partial w} \\frac12 (t - o)^2 = Derivative((t - o)^2/2, w)."""
        while True:
            k = next((j for j in range(len(items) - 1, -1, -1) if isinstance(items[j], _OpAtom)), None)
            if k is None:
                return items
            op = items[k]
            if k + 1 == len(items):
                raise self._err(r"the operator \frac{\partial}{\partial w} must be followed by what it "
                                "differentiates", op.pos)
            items = [*items[:k], self._derivative(items[k + 1:], op.wrt, op.pos)]

    def _is_d(self, x: Any) -> bool:
        return self.names.raw_name(x) in (RawName("d"), RawName(NG_D))

    def _gradients(self, items: list[Any]) -> list[Any]:
        """Ng's dW^{[2]}_{21}, dz^{[1]} outside a derivative: the gradient ∂J/∂W^{[2]}_{21}, ∂J/∂z^{[1]}."""
        out: list[Any] = []
        for x in items:
            raw = self.names.raw_name(x)
            if out and self.names.raw_name(out[-1]) == RawName(NG_D) and raw is not None:
                out[-1] = self.names.get(RawPartial(RawName("J"), raw))
                continue
            if out and self.names.raw_name(out[-1]) == RawName(NG_D):
                out[-1] = self.names.get(RawName("d"))  # d z^2: not a gradient, the name d
            out.append(x)
        if out and self.names.raw_name(out[-1]) == RawName(NG_D):
            out[-1] = self.names.get(RawName("d"))
        return out

    def _deriv_parts(self, v: Any) -> tuple[str, list[Any]] | None:
        """('∂', rest) for a factor ∂ rest..., ('d', rest) for d rest... (at least one more item), else None."""
        if isinstance(v, _Factor) and v.sign > 0 and v.items:
            if isinstance(v.items[0], _PartialAtom):
                return ("∂", v.items[1:])
            if len(v.items) >= 2 and self._is_d(v.items[0]):
                return ("d", v.items[1:])
            if len(v.items) == 1 and self._is_d(v.items[0]):
                return ("d", [])
        return None

    # ---- rules
    def number(self, children: list[Any]) -> _Num:
        tok = children[0]
        return _Num(self._number(str(tok.info), tok.start_pos), tok.start_pos)

    def _number(self, literal: str, pos: int) -> sp.Rational:
        """The exact value of a number's literal: "0.25", ".5", "8.77e-3"."""
        mantissa, _, exponent = literal.partition("e")
        value = sp.Rational(mantissa)
        if not exponent:
            return value
        k = int(exponent)
        if abs(k) > MAX_NUMBER_DIGITS:
            self.budget["digits"] += abs(k)
            if self.budget["digits"] > MAX_TOTAL_DIGITS:
                raise Refused(f"numbers with too many digits in all (line {self.src.linecol(pos)[0]}, "
                              f"column {self.src.linecol(pos)[1]})")
        return value * sp.Integer(10) ** k

    def _raw_of(self, v: Any) -> RawName | None:
        """The name a value stands for, if it is one name: y, {y}, {y_1}, \\hat{y}."""
        if isinstance(v, _NameAtom):
            return RawName(v.base, "".join(v.pieces), v.sup, v.accent)
        if isinstance(v, _Factor) and v.sign > 0 and len(v.items) == 1:
            return self._raw_of(v.items[0])
        return self.names.raw_name(v)

    def _name_atom(self, raw: RawName, pos: int, accent: str) -> _NameAtom:
        return _NameAtom(raw.base, pos, accent, self.names.pieces.get(raw, (raw.sub,) if raw.sub else ()), raw.sup)

    def accent(self, children: list[Any]) -> _NameAtom:
        tok, arg = children
        pos = tok.start_pos
        raw = self._raw_of(arg)
        if raw is None:
            raise self._err(f"the accent {tok} must be on one name (\\hat{{y}}, \\bar{{x}}_1)", pos)
        if raw.accent:
            raise self._err("two accents on one name", pos)
        return self._name_atom(raw, pos, str(tok.info))

    def name(self, children: list[Any]) -> _NameAtom:
        tok = children[0]
        return _NameAtom(str(tok.info), tok.start_pos, plain=isinstance(tok.info, _Plain))

    def func(self, children: list[Any]) -> _FuncAtom:
        tok = children[0]
        return _FuncAtom(str(tok.info), tok.start_pos)

    def partial(self, children: list[Any]) -> _PartialAtom:
        return _PartialAtom(children[0].start_pos)

    def group(self, children: list[Any]) -> Any:
        return children[1]

    def paren(self, children: list[Any]) -> Any:
        return self._mvalue(children[1], self._pos(children))

    def norm(self, children: list[Any]) -> sp.Expr:
        """‖x‖: |x| of a number or name, the square root of the sum of squares of a vector's entries."""
        pos = self._pos(children)
        v = self._mvalue(children[1], pos)
        if isinstance(v, _Mat):
            return sp.sqrt(sum((e**2 for e in v.m), sp.Integer(0)))
        return sp.Abs(v)

    def frac(self, children: list[Any]) -> Any:
        pos = self._pos(children)
        num, den = children[1], children[2]
        n, d = self._deriv_parts(num), self._deriv_parts(den)
        if d is not None and d[0] == "∂":
            if n is None or n[0] != "∂":
                raise self._err(r"the numerator of \frac{\partial A}{\partial B} must start with \partial", pos)
            return self._derivative(n[1], d[1], pos) if n[1] else self._operator(d[1], pos)
        if d is not None and n is not None and d[0] == n[0] == "d":
            return self._derivative(n[1], d[1], pos) if n[1] else self._operator(d[1], pos)
        denominator = self._mvalue(den, pos)
        if isinstance(denominator, _Mat):
            raise self._err(f"cannot divide by a {denominator.shape} matrix", denominator.pos)
        return self._product(1, [self._mvalue(num, pos), self._pow(denominator, sp.Integer(-1), pos)], pos)

    def matrix(self, children: list[Any]) -> Any:
        """\\begin{bmatrix} a & b \\\\ c & d \\end{bmatrix}, [a \\ b]: at most 10×10; a 1×1 matrix is its entry."""
        pos = self._pos(children)
        rows: list[list[Any]] = [c for c in children if isinstance(c, list)]
        if len(rows) > MAX_MATRIX_SIDE or any(len(r) > MAX_MATRIX_SIDE for r in rows):
            raise Refused(f"a matrix larger than {MAX_MATRIX_SIDE}×{MAX_MATRIX_SIDE} "
                          f"(line {self.src.linecol(pos)[0]}, column {self.src.linecol(pos)[1]})")
        if len(rows) == 1 and len(rows[0]) == 1:
            return rows[0][0]  # also [W x], a member in brackets
        for r in rows[1:]:
            if len(r) != len(rows[0]):
                raise self._err(f"the rows of this matrix have different lengths ({len(rows[0])} and {len(r)})",
                                pos)
        for r in rows:
            for value in r:
                if isinstance(value, _Mat):
                    raise self._err("a matrix inside a matrix (a block matrix) cannot be checked: write its "
                                    "entries", value.pos)
        return self._matrix(rows, pos)

    def mrow(self, children: list[Any]) -> list[Any]:
        pos = self._pos(children)
        return [self._mvalue(c, pos) for c in children if not isinstance(c, Token)]

    def transpose(self, children: list[Any]) -> tuple[str, Any, int]:
        return ("transpose", None, children[0].start_pos)

    def sqrt(self, children: list[Any]) -> sp.Expr:
        pos = self._pos(children)
        return self._pow(self._value(children[1], pos), sp.Rational(1, 2), pos)

    def root(self, children: list[Any]) -> sp.Expr:
        pos = self._pos(children)
        n = self._number(str(children[2].info), pos)
        if n == 0:
            raise self._err("a root of index 0", pos)
        return self._pow(self._value(children[4], pos), 1 / n, pos)

    def sup(self, children: list[Any]) -> tuple[str, Any, int]:
        return ("sup", children[1], self._pos(children))

    def supmark(self, children: list[Any]) -> tuple[str, Any, int]:
        tok = children[0]
        return ("supmark", str(tok.info), tok.start_pos)

    def sub(self, children: list[Any]) -> tuple[str, Any, int]:
        return ("sub", children[1], self._pos(children))

    def prime(self, children: list[Any]) -> tuple[str, Any, int]:
        return ("prime", None, children[0].start_pos)

    def call(self, children: list[Any]) -> tuple[str, Any, int]:
        return ("call", children[1], self._pos(children))

    def args(self, children: list[Any]) -> list[Any]:
        pos = self._pos(children)
        return [self._mvalue(c, pos) for c in children if not isinstance(c, Token)]

    def sub_arg(self, children: list[Any]) -> tuple[str, ...]:
        c = children[0]
        if isinstance(c, tuple):
            return c
        return self._tok_pieces(c)

    def sub_group(self, children: list[Any]) -> tuple[str, ...]:
        pieces: list[str] = []
        for c in children:
            if isinstance(c, tuple):
                pieces.extend(c)
            elif c.type not in ("LBRACE", "RBRACE"):
                pieces.extend(self._tok_pieces(c))
        return tuple(pieces)

    def _tok_pieces(self, tok: _Tok) -> tuple[str, ...]:
        typ = tok.type
        if typ in ("USCORE", "CARET"):
            return ()
        if typ == "IN":
            return ("∈",)
        if typ == "SUBTEXT":
            return _split_pieces(str(tok.info))
        if typ in ("NAME", "FUNC"):
            return (str(tok.info),)
        if typ == "REL":
            return ({"=": "=", "assign": "←"}.get(str(tok.info), "≈"),)
        if typ == "NUMBER":
            return (str(tok.info),)
        if typ == "MUL":
            return ("*",) if str(tok) in ("*", "∗", r"\ast") else ("·",)
        if typ == "SUPMARK":
            return (str(tok.info),)
        if typ == "PRIME":
            return ("'",)
        return (str(tok),)

    def postfix(self, children: list[Any]) -> Any:
        atom, ops = children[0], children[1:]
        pos = self._pos(children)
        flips = [op for op in ops if op[0] == "transpose"]
        if not flips:
            return self._postfix(atom, ops, pos)
        if isinstance(atom, (_PartialAtom, _OpAtom)):
            raise self._err(r"a transpose of \partial", flips[0][2])
        value = self._postfix(atom, [op for op in ops if op[0] != "transpose"], pos)
        return self._transpose(value) if len(flips) % 2 else value  # a scalar is its own transpose

    def _postfix(self, atom: Any, ops: list[Any], pos: int) -> Any:
        if isinstance(atom, _NameAtom) and not ops:
            return self._value(atom, pos)
        if isinstance(atom, _Factor) and ops:  # {W}_{12}, \\mathbf{W}_{12}: a braced name takes scripts
            raw = self._raw_of(atom)
            if raw is not None:
                atom = self._name_atom(raw, atom.pos, raw.accent)
        if not ops:
            if isinstance(atom, (_Num, _PartialAtom, _OpAtom)):
                return atom
            return self._mvalue(atom, pos)
        if isinstance(atom, _PartialAtom):
            raise self._err(r"\partial with a script: higher-order derivatives are not supported", atom.pos)
        if isinstance(atom, _OpAtom):
            raise self._err(r"a script on the operator \frac{\partial}{\partial w}: higher-order derivatives are "
                            "not supported", ops[0][2])
        sub: tuple[str, ...] | None = None
        supmark: str | None = None
        if isinstance(atom, _NameAtom):
            sub = atom.pieces or None
            supmark = atom.sup or None
        power: Any = None
        primes = 0
        value: Any = None  # after a function call
        powered = False  # \tanh^2(x): the power is already applied
        for i, (kind, arg, p) in enumerate(ops):
            if kind == "sup" and isinstance(atom, _NameAtom) and supmark is None and power is None and sub is None \
                    and i + 1 < len(ops) and ops[i + 1][0] == "sub" and (layer := self._layer_digit(arg, p)):
                supmark = layer  # Nielsen's z^2_1, w^3_{12}, a^1_1: a layer written before the subscript, not a power
                continue
            if value is not None:  # after f(x): only a power
                if kind != "sup" or power is not None or powered:
                    raise self._err("only a power can follow a function's argument", p)
                power = (arg, p)
                continue
            if kind == "sub":
                if sub is not None:
                    raise self._err("double subscript", p)
                sub = arg
            elif kind == "supmark":
                if supmark is not None and power is None and str(arg) in ("+", "new") and isinstance(atom, _NameAtom):
                    sub = (*(sub or ()), str(arg))  # {W^{(1)}_{21}}^{+}: the updated W^{(1)}_{21}, as W^{(1)}_{21,+}
                    continue
                if supmark is not None or power is not None:
                    raise self._err("double superscript", p)
                supmark = arg
            elif kind == "sup":
                if supmark is not None or power is not None:
                    raise self._err("double superscript", p)
                power = (arg, p)
            elif kind == "prime":
                primes += 1
            elif kind == "call":
                if not isinstance(atom, _FuncAtom):  # pragma: no cover - the tokenizer marks calls only after FUNC
                    raise self._err("unexpected function call", p)
                if supmark is not None:
                    raise self._err("a superscript between a function and its argument", p)
                value = self._apply(atom.name, primes, "".join(sub or ()), arg, p)
                if power is not None:
                    value = self._function_power(value, power)
                    power, powered = None, True
        if isinstance(atom, _FuncAtom):
            if value is None:  # pragma: no cover - FUNC is always followed by its bracket
                raise self._err(f"function {atom.name} without an argument", atom.pos)
            base: Any = value
        elif isinstance(atom, _NameAtom):
            if atom.base == "e" and power is not None and not sub and supmark is None and not primes \
                    and not atom.accent and not atom.plain:
                return self._exp(self._value(power[0], power[1]), power[1])
            base = self.names.name(atom.base + "'" * primes, sub or (), supmark or "", atom.accent)
        else:
            base = self._mvalue(atom, pos)
            if isinstance(base, _Mat) and supmark is not None and sub is None and not primes:
                base = self._mark_entries(base, supmark, pos)  # [w_5 \\ w_6]^{+}: w_5^+, w_6^+
            elif sub is not None and supmark is None and not primes and (entry := self._gradient_entry(base, sub)):
                base = entry
            elif sub is not None and supmark is None and not primes and not isinstance(atom, _Num) \
                    and not isinstance(base, _Mat) and (index := _entry_index(sub)) is not None:
                base = Entry(base, *index)
            elif sub is not None or supmark is not None or primes:
                what = "a number" if isinstance(atom, _Num) else "a matrix" if isinstance(base, _Mat) \
                    else "an expression"
                raise self._err(f"a subscript, prime or name superscript on {what}", pos)
        if power is None:
            return base
        return self._pow(base, self._value(power[0], power[1]), power[1])

    def _gradient_entry(self, value: Any, sub: tuple[str, ...]) -> sp.Symbol | None:
        r"""(\nabla_{W^{(1)}} J)_{12}, (\frac{\partial J}{\partial W})_{12}: an entry of a gradient with respect to
        a matrix is the partial derivative with respect to that entry, ∂J/∂W^{(1)}_{12}."""
        raw = self.names.raw.get(value) if isinstance(value, sp.Symbol) else None
        if not isinstance(raw, RawPartial) or raw.wrt.sub:
            return None
        wrt = replace(raw.wrt, sub="".join(sub))
        self.names.pieces.setdefault(wrt, sub)
        return self.names.get(RawPartial(raw.of, wrt))

    def _layer_digit(self, arg: Any, pos: int) -> str | None:
        try:
            v = self._value(arg, pos)
        except ParseError:
            return None
        return str(v) if isinstance(v, sp.Integer) and 1 <= int(v) <= 9 else None

    def _mark_entries(self, mat: _Mat, supmark: str, pos: int) -> _Mat:
        """A name superscript on a matrix of names goes to each name: [w_5 \\\\ w_6]^{+} = [w_5^+ \\\\ w_6^+]."""
        def mark(e: sp.Expr) -> sp.Expr:
            raw = self.names.raw_name(e)
            if raw is None or raw.sup:
                raise self._err("a name superscript on a matrix needs one name without a superscript in each entry",
                                pos)
            return self.names.name(raw.base, self.names.pieces.get(raw, (raw.sub,) if raw.sub else ()), supmark,
                                   raw.accent)
        return _Mat(mat.m.applyfunc(mark), mat.pos)

    def fn_bare(self, children: list[Any]) -> Any:
        tok, arg = children[0], children[-1]
        pos = tok.start_pos
        value = self._apply(str(tok.info), 0, "", [self._mvalue(arg, pos)], pos)
        if len(children) == 4:  # \tanh^2 x
            value = self._function_power(value, (children[2], children[1].start_pos))
        return value

    def _function_power(self, value: Any, power: tuple[Any, int]) -> sp.Expr:
        """\\tanh^2(x) = tanh(x)^2: only a positive whole power (\\sigma^{-1} would be an inverse)."""
        exponent = self._value(power[0], power[1])
        if not (exponent.is_Integer and exponent > 0):
            raise self._err(r"only a positive whole power can stand between a function and its argument, as in "
                            r"\tanh^2(x) (an inverse such as \sigma^{-1} is not supported)", power[1])
        return self._pow(value, exponent, power[1])

    def juxt(self, children: list[Any]) -> list[Any]:
        for a, b in itertools.pairwise(children):
            if isinstance(a, _Num) and isinstance(b, _Num):
                raise self._err(r"two numbers side by side: write \times or \cdot between them", b.pos)
        return list(children)

    def signs(self, children: list[Any]) -> int:
        return -1 if sum(1 for t in children if t.type == "MINUS") % 2 else 1

    def factor(self, children: list[Any]) -> _Factor:
        sign = 1
        items: list[Any] = []
        for c in children:
            if isinstance(c, int):
                sign = c
            elif isinstance(c, list):
                items.extend(c)
            else:  # the \sum
                items.append(c)
        return _Factor(sign, self._apply_operators(items), self._pos(children))

    def term(self, children: list[Any]) -> Any:
        pos = self._pos(children)
        first: _Factor = children[0]
        sign = first.sign
        acc: list[Any] = list(first.items)
        for k in range(1, len(children), 2):
            op, f = children[k], children[k + 1]
            sign *= f.sign
            if op.type == "DIV" and len(acc) >= 2 and len(f.items) >= 2:
                slash = self._slash(acc[-2], acc[-1], f.items[0], f.items[1], op.start_pos)
                if slash is not None:
                    acc[-2:] = [slash]
                    acc.extend(f.items[2:])
                    continue
            if op.type == "DIV":
                divisor = self._product(1, f.items, pos)
                if isinstance(divisor, _Mat):
                    raise self._err(f"cannot divide by a {divisor.shape} matrix", op.start_pos)
                acc.append(self._pow(divisor, sp.Integer(-1), op.start_pos))
            elif op.info == "odot" or (op.info in ("*", "ast") and self._numpy_star(acc, f.items, pos)):
                # A \odot B (and numpy's A * B of two columns): the product so far, entry by entry with the next
                acc = [self._hadamard(self._product(1, acc, pos), self._product(1, f.items, pos), op.start_pos)]
            else:
                acc.extend(f.items)
        return self._product(sign, acc, pos)

    def _slash(self, a: Any, x: Any, b: Any, y: Any, pos: int) -> sp.Expr | None:
        if isinstance(a, _PartialAtom) and isinstance(b, _PartialAtom):
            return self._derivative([x], [y], pos)
        if self._is_d(a) and self._is_d(b) and self.names.raw_name(x) and self.names.raw_name(y):
            return self._derivative([x], [y], pos)
        return None

    def expr(self, children: list[Any]) -> Any:
        pos = self._pos(children)
        terms = [self._mvalue(children[0], pos)]
        for k in range(1, len(children), 2):
            t = self._mvalue(children[k + 1], pos)
            terms.append(self._neg(t) if children[k].type == "MINUS" else t)
        return self._add(terms, pos)

    def sum_lower(self, children: list[Any]) -> tuple[str, tuple[str, ...], int]:
        return ("lower", children[1], self._pos(children))

    def sum_upper(self, children: list[Any]) -> tuple[str, Any, int]:
        return ("upper", children[1], self._pos(children))

    def bigsum(self, children: list[Any]) -> sp.Expr:
        pos = self._pos(children)
        limits = {c[0]: c for c in children[1:-1]}
        body = self._value(children[-1], pos)
        n = self.sum_range
        if "lower" not in limits and ("upper" in limits or n is None):
            raise self._err(r"\sum needs an index and integer limits, e.g. \sum_{i=1}^{2}", pos)
        if "lower" not in limits:
            assert n is not None
            return self._bare_sum(body, n, pos)
        if "upper" not in limits and n is None:
            raise self._err(r"\sum needs an index and integer limits, e.g. \sum_{i=1}^{2}", pos)
        _, pieces, lpos = limits["lower"]
        over = _SUM_OVER.fullmatch("".join(pieces))
        if over is not None and "upper" not in limits and self.sum_samples is not None \
                and re.fullmatch("[A-Z]", over.group(2)):  # d2l's \sum_{i \in \mathcal{B}}: over the batch
            return self._expand(body, over.group(1), 1, self.sum_samples, pos)
        if over is not None:  # Mitchell: \sum_{k \in outputs}
            if "upper" in limits or n is None or not over.group(2).lower().startswith("out"):
                raise self._err(rf"a \sum over the set {over.group(2)} cannot be expanded: write \sum_{{k=1}}^{{2}}",
                                lpos)
            return self._expand(body, over.group(1), 1, n, pos)
        m = _SUM_LOWER.fullmatch("".join(pieces))
        if m is None:
            raise self._err(r"the lower limit of \sum must be like i=1", lpos)
        letter, lower = m.group(1), int(m.group(2) or 1)
        samples = self.sum_samples if letter in SAMPLE_INDICES else None
        if "upper" in limits:
            _, up, upos = limits["upper"]
            upper = self._value(up, upos)
            if not upper.is_Integer and samples is not None and not upper.is_number:
                upper = sp.Integer(samples)  # \sum_{n=1}^{N}: N is the number of samples
            elif self.sum_samples is not None and self._sample_count(upper):
                upper = sp.Integer(self.sum_samples)  # Ng: \sum_{i=1}^{m} over the m samples of the batch
            elif (size := self._layer_size(upper)) is not None:
                upper = sp.Integer(size)  # Duda–Hart–Stork's \sum_{k=1}^{c}, Bishop's \sum_{j=1}^{M}
            if not upper.is_Integer:
                raise self._err(r"the upper limit of \sum must be a whole number", upos)
        else:
            assert n is not None
            upper = sp.Integer(samples or n)
        return self._expand(body, letter, lower, int(upper), pos)

    def _layer_size(self, e: sp.Expr) -> int | None:
        r"""A layer's size as the textbooks name it in a \sum's upper limit (SIZE_NAMES), given by the caller; n_L − 1
        is one less."""
        if isinstance(e, sp.Add) and len(e.args) == 2 and any(a.is_Integer for a in e.args):
            shift = next(a for a in e.args if a.is_Integer)
            size = self._layer_size(next(a for a in e.args if not a.is_Integer))
            return size + int(shift) if size is not None else None
        raw = self.names.raw.get(e) if isinstance(e, sp.Symbol) else None
        if not isinstance(raw, RawName) or raw.sup or raw.accent:
            return None
        layer = SIZE_NAMES.get(raw.base + (f"_{raw.sub}" if raw.sub else ""))
        return self.sizes.get(layer) if layer is not None else None

    def _sample_count(self, e: sp.Expr) -> bool:
        """Is e the batch size as the textbooks write it, m or N (Ng's Σ_{i=1}^{m}, Bishop's Σ_{n=1}^{N})?"""
        raw = self.names.raw.get(e) if isinstance(e, sp.Symbol) else None
        return isinstance(raw, RawName) and raw.base in ("m", "N") and not raw.sub and not raw.sup \
            and not raw.accent

    def _bare_sum(self, body: sp.Expr, n: int, pos: int) -> sp.Expr:
        """\\sum without an index, over 1..n: over the one index letter of its body's subscripts (t_k, o_k), or
        else every name of SUM_BASES without a subscript gets 1, 2, ... (target - output -> target_1 - output_1)."""
        raws = [self.names.raw[s] for s in body.atoms(sp.Symbol) if s in self.names.raw]
        letters = set().union(*(self.names.letters(r) for r in raws)) if raws else set()
        if len(letters) == 1:
            return self._expand(body, letters.pop(), 1, n, pos)
        if len(letters) > 1:
            raise self._err(rf"\sum without an index over {' and '.join(sorted(letters))}: write \sum_{{i=1}}^{{{n}}}",
                            pos)
        templates = [(s, self.names.raw[s]) for s in body.atoms(sp.Symbol) if s in self.names.raw]
        if not any(self.names.index(raw, 1) is not None for _, raw in templates):
            raise self._err(r"\sum without an index: none of its names can be numbered; write \sum_{k=1}^{2} ..._k",
                            pos)
        self._budget_sum(body, n, pos)
        terms = []
        for v in range(1, n + 1):
            self.src.check_time()
            mapping: dict[sp.Basic, sp.Basic] = {}
            for s, raw in templates:
                new = self.names.index(raw, v)
                if new is not None:
                    mapping[s] = new
            terms.append(body.xreplace(mapping))
        return sp.Add(*terms)

    def _budget_sum(self, body: sp.Expr, count: int, pos: int) -> None:
        if count > MAX_SUM_TERMS:
            raise Refused(f"a sum of more than {MAX_SUM_TERMS} terms (line {self.src.linecol(pos)[0]}, "
                          f"column {self.src.linecol(pos)[1]})")
        self.budget["nodes"] += max(count, 0) * _size(body, MAX_SUM_NODES)
        if self.budget["nodes"] > MAX_SUM_NODES:
            raise Refused(f"sums that expand to more than {MAX_SUM_NODES} expression nodes")

    def _expand(self, body: sp.Expr, letter: str, lower: int, upper: int, pos: int) -> sp.Expr:
        count = upper - lower + 1
        self._budget_sum(body, count, pos)
        if count <= 0:
            return sp.Integer(0)
        templates = [(s, self.names.raw[s]) for s in body.atoms(sp.Symbol) if s in self.names.raw]
        terms = []
        for v in range(lower, lower + count):
            self.src.check_time()
            mapping = {}
            for s, raw in templates:
                new = self.names.substitute(raw, letter, v)
                if new is not None:
                    mapping[s] = new
            terms.append(body.xreplace(mapping) if mapping else body)
        return sp.Add(*terms)


# ------------------------------------------------------------------------------------------- parse()


def parse(text: str, *, max_chars: int = 20_000, max_depth: int = 60, timeout: float = 2.0,
          sum_range: int | None = None, sum_samples: int | None = None, partial: bool = False,
          labels: frozenset[str] = frozenset(), sizes: Mapping[str, int] = MappingProxyType({})) -> Parsed:
    """Read a LaTeX derivation (see the module docstring for every rule). ParseError or Refused if we cannot.

    sum_range: the range 1..sum_range of a \\sum written without limits (the number of outputs); None: such a
    \\sum is a ParseError. sum_samples: the number of samples, the range of a \\sum over n (or m, p, s) without
    limits or up to a symbolic N. labels: the neuron names a superscript may be (`a^O`, `z^{h_1}`: sup "O",
    "h1"); names of several characters, or one capital letter. sizes: "inputs", "hidden" (one hidden layer),
    "outputs" → their number, for a \\sum up to c, d, n_H, K, D or M (SIZE_NAMES)."""
    start_time = time.perf_counter()
    if not isinstance(text, str):
        raise TypeError("parse() needs a str")
    if sum_range is not None and (isinstance(sum_range, bool) or not isinstance(sum_range, int) or sum_range < 1):
        raise ValueError("sum_range must be a positive int or None")
    if len(text) > max_chars:
        raise Refused(f"the answer is longer than {max_chars} characters ({len(text)})")
    src = _Source(_prose_blanked(text), start_time + timeout, timeout)
    src.labels = frozenset(x for x in labels if not x.isdigit() and (len(x) > 1 or x.isupper()))
    raw = _norms(_remarks(_tidy(_evaluated_derivatives(_blanks(_lex(src)), src), src)), src)
    _check_brackets(raw, src, max_depth)
    toks = _loss_arguments(_cook(raw, src))
    if sum_samples is None:
        toks = _time_index(toks, src)
    toks = _defined_e(toks)
    names = _Names()
    budget = {"digits": 0, "nodes": 0, "matrix": 0}
    builder = _Build(src, names, budget, sum_range, sum_samples, sizes)
    chains: list[Chain] = []
    skipped: list[Skipped] = []
    for line in _logical_lines(_lines(toks, src), src):
        for chain_toks in _chains(line):
            src.check_time()
            try:
                chains.extend(_chain(chain_toks, builder, src))
            except ParseError as exc:
                if not partial:
                    raise
                rel = next((k for k, t in enumerate(chain_toks) if t.type == "REL"), 0)
                heads = frozenset(str(t.info) for t in chain_toks[:rel] if t.type == "NAME")
                skipped.append(Skipped(text[chain_toks[0].start_pos:chain_toks[-1].end_pos], exc, heads))
    if skipped and not chains:
        skipped[0].error.heads = frozenset().union(*(sk.heads for sk in skipped))
        raise skipped[0].error
    used: dict[sp.Symbol, RawName | RawPartial] = {}
    for chain in chains:
        for el in chain.elements:
            for s in el.expr.atoms(sp.Symbol):
                if s in names.raw:
                    used[s] = names.raw[s]
    return Parsed(tuple(chains), MappingProxyType(used), tuple(skipped))


def _chain(chain_toks: list[_Tok], builder: _Build, src: _Source) -> list[Chain]:
    for t in chain_toks:
        if t.type == "UNSUPPORTED":
            raise src.error(t.info, t.start_pos)
    if chain_toks[0].type == "REL":
        raise src.error(f"missing expression before {_show(chain_toks[0])}", chain_toks[0].start_pos)
    element_toks, relations = _elements(_vectors(chain_toks, src), src)
    values = []
    for etoks in element_toks:
        tree = _parse_tokens(etoks, src)
        values.append((_transform(builder, tree, src, etoks[0].start_pos), etoks))
    return _entry_chains(values, tuple(relations), src)


def _literal(etoks: list[_Tok]) -> str | None:
    """The number an element is, as written: `0.03`, `-0.0380982`, also as a 1×1 matrix `[0.2571]`."""
    if len(etoks) >= 3 and (etoks[0].type, etoks[-1].type) in (("MBEGIN", "MEND"), ("LBRACE", "RBRACE")):
        etoks = etoks[1:-1]  # (also \boxed{0.2571}, {0.2571})
    if len(etoks) == 1 and etoks[0].type == "NUMBER":
        return str(etoks[0].info)
    if len(etoks) == 2 and etoks[0].type in ("PLUS", "MINUS") and etoks[1].type == "NUMBER":
        return ("-" if etoks[0].type == "MINUS" else "+") + str(etoks[1].info)
    return None


def _entry_chains(values: list[tuple[Any, list[_Tok]]], relations: tuple[str, ...], src: _Source) -> list[Chain]:
    """One chain, or one chain per entry if its members are matrices (all of one shape)."""
    spans = [(etoks[0].start_pos, etoks[-1].end_pos) for _, etoks in values]
    start, end = spans[0][0], spans[-1][1]
    text = src.text[start:end]
    mats = [v for v, _ in values if isinstance(v, _Mat)]
    if not mats:
        elements = tuple(Element(v, a, b, _literal(etoks)) for (v, etoks), (a, b) in zip(values, spans, strict=True))
        return [Chain(elements, relations, text, start, end)]
    first = mats[0]
    for (v, _), (a, _b) in zip(values, spans, strict=True):
        if not isinstance(v, _Mat):
            if v.free_symbols:
                continue  # W^{(1)}, δ^{(1)} (a^{(0)})^T: a matrix written with names, read by the judge
            raise src.error(f"a {first.shape} matrix and a scalar in one chain: the members of a chain must have "
                            "the same shape", a)
        if v.m.shape != first.m.shape:
            raise src.error(f"a {first.shape} and a {v.shape} matrix in one chain: the members of a chain must have "
                            "the same shape", a)
    rows, cols = first.m.shape
    return [Chain(tuple(Element(v.m[i, j], a, b, None, (i, j)) if isinstance(v, _Mat)
                        else Element(v, a, b, None, (i, j), whole=(rows, cols))
                        for (v, _), (a, b) in zip(values, spans, strict=True)),
                  relations, text, start, end)
            for i in range(rows) for j in range(cols)]


def _transform(builder: _Build, tree: Any, src: _Source, pos: int) -> sp.Expr | _Mat:
    try:
        value = builder.transform(tree)
        expr = builder._mvalue(value, pos)
    except VisitError as e:
        orig = e.orig_exc
        if isinstance(orig, (ParseError, Refused)):
            raise orig from None
        if isinstance(orig, RecursionError):
            raise Refused("the expression is too deeply nested") from None
        if isinstance(orig, (ValueError, TypeError, ArithmeticError, NotImplementedError)):
            raise src.error(f"cannot build this expression ({type(orig).__name__}: {orig})", pos) from None
        raise
    except (ValueError, TypeError, ArithmeticError, NotImplementedError) as e:
        raise src.error(f"cannot build this expression ({type(e).__name__}: {e})", pos) from None
    if isinstance(expr, _Mat):
        if not all(isinstance(e, sp.Expr) for e in expr.m):  # pragma: no cover - every rule builds an Expr
            raise src.error("not an expression", pos)
        return expr
    if not isinstance(expr, sp.Expr):  # pragma: no cover - every rule builds an Expr
        raise src.error("not an expression", pos)
    return expr
