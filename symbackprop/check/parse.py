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

The reader runs in passes, a module each, the data flowing one way: tokens (what the passes share: `_Tok`,
`_Source`, ParseError, Refused and the limits) and vocabulary (the notation's words), then lex (the text → raw
tokens), rewrite (the tokens rewritten with their context), lines (lines → chains → elements) and tree (an
element → SymPy through grammar.lark). This module runs them in `parse()` and holds the result types (ParseError,
Refused, RawName, RawPartial and Entry are imported here from the pass that makes them).

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
    (`(\text{one } b^{[1]} \text{ shared by both units})`); when the prose that opens or closes it says more
    than the remark (`\text{（书中为 } F = e^2 \text{），purelin 的导数 }`), it is prose between two chains.
  * Code, `\texttt{..}` or `\mathtt{..}` with the bracketed arguments after it, is one name no network knows:
    `\texttt{np.sum}(dZ^{[2]}, \texttt{axis=1})` (its member is set aside by the judge, never misread).
    numpy's gradient names are read: `\texttt{dW1}` is ∂L/∂W^{[1]}, `\texttt{dW1}[0, 1]` its entry W^{[1]}_{12}
    (0-based), `\texttt{dh}[0]` ∂L/∂h_1, `\texttt{dE\_dw5}` ∂L/∂w_5, `\texttt{dout\_o1\_dnet\_o1}`
    ∂out_{o1}/∂net_{o1}; an indexed `\texttt{W1}[0, 1]` is W^{[1]}_{12}. A prompt (`In[1]:=`, `>>>`) is dropped.
  * Markdown around the math: a `**Step 1: …**` heading and a line of plain words ending in a colon or "so"
    are prose; a `- ` or `* ` bullet before an equation is dropped.
  * Relations: "=" for `=`, and for the definitions `:=`, `\coloneqq`, `\coloneq`, `\triangleq`,
    `\equiv`, `\eqqcolon`, `=:`, `\defeq`, `\stackrel{..}{=}`, `\overset{..}{=}` (`\stackrel{\text{def}}{=}`),
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
    (`\hat\sigma(z)` = σ̂·z). `\dot`, `\check`, `\underline`, ... are ParseErrors naming them, but for
    Hagan's `\dot{f}^m` (see Functions).
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
  * Hagan's `\dot{f}^m(n^m)` (also `\dot f`, `\dot{g}`, `\dot\phi`, `\dot\sigma`; m one digit or letter) is the
    derivative of layer m's transfer function: Function("f'^2")(n^{(2)}), the n^2 of its argument layer 2's name
    (the judge checks that layer). With a bare letter as argument (`\dot{f}^2(n) = a(1 - a)`) it is the rule for
    any n, no value of the network: a ParseError of its chain (left unchecked). `\dot{\mathbf{F}}^m`, Hagan's
    matrix of derivatives, stays a ParseError.
  * An activation's derivative evaluated at a point is applied there: `\frac{d\Phi}{du}\Big|_{u = u_3}` =
    Φ'(u_3), `\frac{\partial f}{\partial x}\right|_{x = net}` = f'(net) (other derivatives drop the bar).
  * Norms: `\|x\|`, `\left\| x \right\|`, `\lVert x \rVert`, `\Vert x \Vert`, ‖x‖ (the bars open and close in
    turn; they do not nest) are |x| of a number or name and √(Σ entries²) of a vector of entries.
  * `\exp`, `\ln`, `\log`, `\tanh` without a bracket apply to the next factor with its scripts:
    `\ln x_1 y` = log(x_1)·y, `\exp{-x}` = exp(-x), `\tanh^2 x` = tanh(x)². `\max` needs brackets.
  * A loss (J, E, L, C) written with its arguments, `J(\theta)`, `E(\mathbf{w})`, `C(w, b)`, `L(\hat{y}^{(i)},
    t^{(i)})`, `L_{CE}(\hat{y}, y)`, `E^t(W, v \mid X)`, is the loss — of sample i when its arguments carry that
    one superscript (L^{(i)}). Any name with arguments after a `;` or `\mid` is the name: Bishop's network
    function `y(\mathbf{x}^n; \mathbf{w})` is y. E(n) is Haykin's time step (see below); `C(y)`, `E(o)` (of the
    output y or o) is the loss; `L(x)` with one other argument stays a product.

Operators and precedence
  * Juxtaposition binds tighter than `\times`, `\cdot`, `*`, `/` and the Hadamard `\odot`, `\circ`: `a / b c`
    = a/(b·c). A leading sign applies to the factor: `-a b` = -(a·b). `\pm` is a ParseError.
  * Two bare numbers side by side (`2 3`, `0.85 \ 0.48`) are a ParseError (a vector, not a product).
  * Numbers are exact: `0.25` is 1/4, `0{,}25` (a decimal comma) too, and a bare `0,25` or `1,105906` outside
    a script (`\omega_{0,12}` keeps its comma), not a tight pair `(1,1)`, `[0,0]`, with a whole part other than 0
    only before two digits or more. An exact fraction with a finite decimal expansion (`-\tfrac{2427}{6250}`)
    is a final value, and in a formula (denominator 20 or more) a written number like any decimal.
    Scientific notation is one exact number: `8.77e-3`, `8.77E-03`, `1e-4` (`e`/`E` right after the digits,
    then an optional sign and digits, no space; also an upright `\mathrm{e}`: `-6.8765\mathrm{e}{-1}`), and a
    number times 10 to an integer power with `\times`, `\cdot`, ×, ·:
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
    any letter up to m or N (Ng: `\frac{1}{m}\sum_{i=1}^{m} L^{(i)}`), and that m is N in the whole chain (1/m).
  * With `sum_range=None` (the default) a `\sum` without both limits is a ParseError with a hint;
    a `\sum` over another set (`\sum_{d \in D}`) is one too, unless `set_sums`: then the sum with its body is
    one name RawName(SET_SUM, "d∈D") (the checker cannot read it, and judges the members around it); so is a
    `\sum_{k=1}^{n}` up to a name that is no size the parser knows (RawName(SET_SUM, "k≤n")).

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
    with a script (`\frac{\partial}{\partial w}^2 E`) it is a ParseError; with `sum_range` (a network's sheet) an
    operator that is a whole member (`\frac{\partial}{\partial w_7} = 0.0396`) is the loss's: ∂E/∂w_7.
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

import itertools
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

import sympy as sp

from .lex import _lex, _prose_blanked, plain_math
from .lines import (
    _chains,
    _elements,
    _has_relation,
    _lines,
    _logical_lines,
    _prose,
    _vectors,
    _with_depth,
    _word_number,
)
from .rewrite import _rewrite
from .tokens import (
    _CLOSERS,
    _OPENERS,
    ParseError,
    Refused,
    _blank,
    _show,
    _Source,
    _Tok,
    display_newlines,
    unbolded,
    unmarked,
)
from .tree import Entry as Entry
from .tree import RawName, RawPartial, _Build, _Mat, _Names, _parse_tokens, _transform
from .vocabulary import terminating_decimal

__all__ = ["Chain", "Element", "ParseError", "Parsed", "RawName", "RawPartial", "Refused", "parse"]


# ---------------------------------------------------------------------------------------------- API


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
    start: int = -1  # where it starts in the answer's text (-1: not known)
    line: bool = False  # a whole line set aside before the chains were found (a character, a command unknown)


@dataclass(frozen=True)
class Parsed:
    chains: tuple[Chain, ...]
    names: Mapping[sp.Symbol, RawName | RawPartial]
    skipped: tuple[Skipped, ...] = ()
    #: the text the positions refer to, when reading it put statements where the answer had other signs (a
    #: console's printed values, a calculator's history); "" when it only blanked prose and marks
    read: str = ""
    #: where a chain's value was left blank ("b_1^+ = b_1 - η ∂E/∂b_1 = \cdots"): the blank relation's position
    blanks: tuple[int, ...] = ()


# ------------------------------------------------------------------------------------------- parse()


def _index_range(line: list[_Tok]) -> bool:
    """j = 1, 2, 3: an index letter, then the whole numbers it runs over."""
    types = [t.type for t in line]
    return len(line) >= 5 and types[0] == "NAME" and str(line[0].info) in "ijklmn" and len(str(line[0].info)) == 1 \
        and types[1] == "REL" and types[2:] == ["NUMBER", "COMMA"] * ((len(line) - 3) // 2) + ["NUMBER"] \
        and all(_word_number(t) for t in line[2::2])


def parse(text: str, *, max_chars: int = 20_000, max_depth: int = 60, timeout: float = 2.0,
          sum_range: int | None = None, sum_samples: int | None = None, partial: bool = False,
          labels: frozenset[str] = frozenset(), sizes: Mapping[str, int] = MappingProxyType({}),
          set_sums: bool = False, units: frozenset[str] = frozenset()) -> Parsed:
    """Read a LaTeX derivation (see the module docstring for every rule). ParseError or Refused if we cannot.

    sum_range: the range 1..sum_range of a \\sum written without limits (the number of outputs); None: such a
    \\sum is a ParseError. sum_samples: the number of samples, the range of a \\sum over n (or m, p, s) without
    limits or up to a symbolic N. labels: the neuron names a superscript may be (`a^O`, `z^{h_1}`: sup "O",
    "h1"); names of several characters, or one capital letter. sizes: "inputs", "hidden" (one hidden layer),
    "outputs" → their number, for a \\sum up to c, d, n_H, K, D or M (SIZE_NAMES). set_sums: a \\sum over a set
    other than the outputs or the batch (Kriesel's \\sum_{l \\in L}) is one name, RawName(SET_SUM, "l∈L"), that
    no network knows (its member is then set aside by the checker), not a ParseError. units: the names of the
    network's inputs and neurons (x1, h2), whose numbering sets the range of a \\sum over x_j or h_j without
    limits."""
    start_time = time.perf_counter()
    if not isinstance(text, str):
        raise TypeError("parse() needs a str")
    if sum_range is not None and (isinstance(sum_range, bool) or not isinstance(sum_range, int) or sum_range < 1):
        raise ValueError("sum_range must be a positive int or None")
    if len(text) > max_chars:
        raise Refused.of("too_long", limit=max_chars, length=len(text))
    text = plain_math(text)  # (positions are those of this text: the checker passes it already converted)
    unbolded_text = unmarked(unbolded(text))
    blanked = _prose_blanked(unbolded_text)
    newlines = display_newlines(unbolded_text)

    def source(read: str) -> _Source:
        src = _Source(read, start_time + timeout, timeout)
        src.prose_blanked = blanked != unbolded_text
        src.display_newlines = newlines
        src.labels = frozenset(x for x in labels if not x.isdigit() and (len(x) > 1 or x.isupper()))
        src.units = units | labels
        src.samples = sum_samples
        return src

    src = source(blanked)
    skipped: list[Skipped] = []
    for attempt in itertools.count():
        try:
            toks = _rewrite(_lex(src), src, max_depth, sum_samples)
            lined = _lines(toks, src)
            break
        except ParseError as exc:
            # a line the reader cannot read at all (a character or a command it does not know) is set aside as a
            # chain it cannot read, the answer read without it (partial): a few lines at most, none that opens or
            # closes a display or an environment (the lines around it would be read otherwise)
            span = _line_at(src.text, exc.position)
            if not partial or attempt >= _SKIPPED_LINES or span is None or exc.key not in _LINE_ERRORS \
                    or _opens_or_closes(src.text[span[0]:span[1]]):
                raise (skipped[0].error if skipped else exc) from None
            skipped.append(Skipped(text[span[0]:span[1]], exc, _heads_of(text[span[0]:span[1]]), span[0], True))
            src = source(src.text[:span[0]] + _blank(src.text[span[0]:span[1]]) + src.text[span[1]:])
    names = _Names()
    names.one_pattern = sum_range is not None and sum_samples is None
    budget = {"digits": 0, "nodes": 0, "matrix": 0}
    builder = _Build(src, names, budget, sum_range, sum_samples, sizes, set_sums)
    chains: list[Chain] = []
    logical = list(_logical_lines(lined, src))
    for k, line in enumerate(logical):
        if _index_range(line):
            continue  # (j = 1, 2, 3: the values an index takes, no claim)
        line_chains = [c for whole in _chains(line) for c in _tuple_entries(whole, src)]
        stated = any(_has_relation(c) for c in line_chains)
        sentence = not stated and len(line_chains) > 1 and _prose_between(line)
        for chain_toks in line_chains:
            lone_whole = len(chain_toks) == 1 and _word_number(chain_toks[0])
            if _layer_count(chain_toks, text):
                continue  # (Higham's and Nielsen's "L = 3 layers": how many, not the loss)
            if (stated and (_mention(chain_toks) or lone_whole)) or (sentence and (any(
                    t.type == "NAME" for t in chain_toks) or lone_whole)) or _remark(chain_toks, k, logical, text):
                continue  # (…\text{ au neurone caché } 1\text{, d'où}, 样本1：∂L/∂z = …: a whole number in a
                # sentence is a word)
            src.check_time()
            builder.sample_counts.clear()
            try:
                chains.extend(_batch_size(_chain(chain_toks, builder, src), builder))
            except ParseError as exc:
                if not partial:
                    raise
                rel = next((k for k, t in enumerate(chain_toks) if t.type == "REL"), 0)
                heads = frozenset(str(t.info) for t in chain_toks[:rel] if t.type == "NAME") \
                    if exc.key != "differential" else frozenset()  # dE = … dy defines no name
                skipped.append(Skipped(text[chain_toks[0].start_pos:chain_toks[-1].end_pos], exc, heads,
                                       chain_toks[0].start_pos))
    if skipped and not chains and any(sk.error.key != "differential" for sk in skipped):
        skipped[0].error.heads = frozenset().union(*(sk.heads for sk in skipped))
        raise skipped[0].error
    used: dict[sp.Symbol, RawName | RawPartial] = {}
    for chain in chains:
        for el in chain.elements:
            for s in el.expr.atoms(sp.Symbol):
                if s in names.raw:
                    used[s] = names.raw[s]
    replaced = any(a != b and not b.isspace() for a, b in zip(unbolded_text, src.text, strict=True))
    return Parsed(tuple(chains), MappingProxyType(used), tuple(skipped), src.text if replaced else "",
                  tuple(src.blanks))


#: how many lines of an answer may be set aside as unreadable before the whole answer is
_SKIPPED_LINES = 4
#: the reader's errors that belong to one line: a character, a command it does not know
_LINE_ERRORS = frozenset({"unknown_command", "unexpected_char", "unexpected_char_prose", "unexpected_codepoint",
                          "unsupported_command"})


def _opens_or_closes(line: str) -> bool:
    """Does the line open or close a display or an environment that it does not also close or open itself?"""
    return line.count("\\begin") != line.count("\\end") or line.count("$$") % 2 == 1 \
        or line.count("\\[") != line.count("\\]")


def _line_at(text: str, pos: int) -> tuple[int, int] | None:
    """The span of the physical line holding pos, or None when it holds nothing to set aside."""
    start, end = text.rfind("\n", 0, pos) + 1, text.find("\n", pos)
    end = len(text) if end < 0 else end
    return (start, end) if text[start:end].strip() else None


def _heads_of(line: str) -> frozenset[str]:
    """The words before a line's first "=": what an unread line may define."""
    return frozenset(re.findall(r"[A-Za-z]+", line.partition("=")[0])) if "=" in line else frozenset()


_NAME_PARTS = frozenset({"NAME", "USCORE", "SUBTEXT", "SUPMARK", "PRIME", "LBRACE", "RBRACE", "NUMBER"})


_NAMING = frozenset({"NAME", "USCORE", "SUBTEXT", "LBRACE", "RBRACE", "SUPMARK"})  # the tokens of one name


def _tuple_entries(chain: list[_Tok], src: _Source) -> list[list[_Tok]]:
    """x^{(1)} = (0.5, −0.2), ŷ^{(1)} = (0.3508, 0.3704, 0.2788), ∂L/∂z = (0.30, 0.37, −0.67): a name (or a
    derivative's variable) without a subscript, equal to a tuple, is its entries: x^{(1)}_1 = 0.5, x^{(1)}_2 = −0.2;
    so is a tuple of names equal to a tuple as long, (x_1, x_2) = (0.05, 0.10). A chain that ends in the tuple after
    members of its own, z^{(1)} = \tanh(a^{(1)}) = (0.263625, 0.119427), claims those entries (its middle, one
    formula of the vector, is set aside). Any other chain is itself."""
    rows = _tuple_rows(chain, src)
    if rows is not None:
        return rows
    rel = [k for k, t in enumerate(chain) if t.type == "REL"]
    if not rel or rel[0] == 0 or rel[-1] + 1 >= len(chain) or chain[rel[-1] + 1].type != "LPAR" \
            or chain[-1].type != "RPAR" or (any(t.type == "USCORE" for t in chain[:rel[0]])
                                            and chain[0].type != "LPAR") \
            or any(str(chain[k].info) != "=" for k in rel[:-1]) \
            or any(t.type == "COMMA" for t in chain[rel[0]:rel[-1]]):  # (two tuples: two statements run together)
        return [chain]
    items: list[list[_Tok]] = [[]]
    depth = 0
    for k, t in enumerate(chain[rel[-1] + 1:], start=rel[-1] + 1):
        depth += (t.type in _OPENERS) - (t.type in _CLOSERS)
        if depth == 0 and k < len(chain) - 1:
            return [chain]  # ((a, b) + c: the bracket closes before the end)
        if depth == 1 and t.type == "COMMA":
            items.append([])
        elif not (depth == 1 and t.type == "LPAR" and k == rel[-1] + 1) and k < len(chain) - 1:
            items[-1].append(t)
    head = chain[:rel[0]]
    if head[0].type == "LPAR" and head[-1].type == "RPAR":  # (x_1, x_2) = (0.05, 0.10): entry by entry
        heads = _split_commas(head[1:-1])
        if len(heads) == len(items) > 1 and all(h and all(t.type in _NAMING for t in h) for h in heads):
            return [[*h, chain[rel[0]], *item] for h, item in zip(heads, items, strict=True)]
        return [chain]
    at = len(head) - 1 if head[-1].type == "RBRACE" and head[0].type == "FRAC" else len(head)
    if len(items) < 2 or not all(items) or (at == len(head) and not all(
            t.type in ("NAME", "SUPMARK", "PRIME", "ACCENT", "LBRACE", "RBRACE") for t in head)):
        return [chain]
    if all(item[0].type == "NAME" and all(t.type in _NAMING for t in item) for item in items):
        return []  # a scribe's biases b = (b_2, b_3, b_4): the vector named by its entries' names, no claim
    end = head[at - 1].end_pos
    out = []
    for n, item in enumerate(items, start=1):
        index = [src.tok("USCORE", "_", end, end, ""), src.tok("LBRACE", "{", end, end, ""),
                 src.tok("NUMBER", str(n), end, end, str(n)), src.tok("RBRACE", "}", end, end, "")]
        out.append([*head[:at], *index, *head[at:], chain[rel[0]], *item])
    return out


def _tuple_rows(chain: list[_Tok], src: _Source) -> list[list[_Tok]] | None:
    """x = (x_1, x_2) = (0.05, 0.10): a name (or a tuple of names) equal to tuples as long, each member after it a
    tuple, read entry by entry (x_1 = x_1 = 0.05, …); None for any other chain, and when the last holds only names
    (Yegnanarayana's a = (a_1, a_2, a_3) = (x_1, x_2, x_3) names the inputs: left as it was, unread)."""
    rel = [k for k, t in enumerate(chain) if t.type == "REL"]
    if len(rel) < 2 or any(str(chain[k].info) != "=" for k in rel):
        return None
    members = [chain[a + 1:b] for a, b in zip(rel, [*rel[1:], len(chain)], strict=True)]
    tuples = []
    for m in members:
        if len(m) < 2 or m[0].type != "LPAR" or m[-1].type != "RPAR" or _split_commas(m[1:-1]) == [m[1:-1]]:
            return None
        depth = 0
        for k, t in enumerate(m):
            depth += (t.type in _OPENERS) - (t.type in _CLOSERS)
            if depth == 0 and k < len(m) - 1:
                return None  # ((a, b) + c)
        tuples.append(_split_commas(m[1:-1]))
    head = chain[:rel[0]]
    n = len(tuples[0])
    if n < 2 or any(len(t) != n or not all(t) for t in tuples) or not head:
        return None
    if head[0].type == "LPAR" and head[-1].type == "RPAR":
        heads = _split_commas(head[1:-1])
        if not all(h and all(t.type in _NAMING for t in h) for h in heads):
            return None
    elif all(t.type in ("NAME", "SUPMARK", "LBRACE", "RBRACE") for t in head):
        end = head[-1].end_pos
        heads = [[*head, src.tok("USCORE", "_", end, end, ""), src.tok("LBRACE", "{", end, end, ""),
                  src.tok("NUMBER", str(k), end, end, str(k)), src.tok("RBRACE", "}", end, end, "")]
                 for k in range(1, n + 1)]
    else:
        return None
    if len(heads) != n:
        return None
    if all(all(t.type in _NAMING for t in item) for item in tuples[-1]):
        return None  # (Yegnanarayana's a = (a_1, a_2, a_3) = (x_1, x_2, x_3): names given to names, unread)
    return [[*heads[k], *(x for t in tuples for x in (chain[rel[0]], *t[k]))] for k in range(n)]


def _split_commas(toks: list[_Tok]) -> list[list[_Tok]]:
    """Tokens split at their commas outside brackets."""
    parts: list[list[_Tok]] = [[]]
    depth = 0
    for t in toks:
        depth += (t.type in _OPENERS) - (t.type in _CLOSERS)
        if depth == 0 and t.type == "COMMA":
            parts.append([])
        else:
            parts[-1].append(t)
    return parts


def _remark(chain_toks: list[_Tok], k: int, lines: list[list[_Tok]], text: str) -> bool:
    """"the inside derivative of $(y - out)$ is $-1$, so $∂E/∂out = out - y$": an expression or a number alone in
    a sentence's inline math (line k), before an equation of that sentence, is a remark on the way, not a claim (a
    name alone is left to the judge, as a label)."""
    if _has_relation(chain_toks) or _mention(chain_toks) or chain_toks[-1] is not lines[k][-1]:
        return False
    end = chain_toks[-1]
    for later in lines[k + 1:]:
        between = text[end.end_pos:later[0].start_pos].strip()  # (as written: _prose_blanked keeps positions)
        inner = between[1:].rstrip("$")
        if between[:1] != "$" or "$" in inner or "\n\n" in inner or not between.endswith("$") \
                or ("\n" in inner and not between.endswith("$$")):
            return False  # (the sentence's next inline math, or the display that ends it on the next line)
        if _has_relation(later):
            return True
        end = later[-1]
    return False


def _mention(chain_toks: list[_Tok]) -> bool:
    """A name alone between prose on a line that states an equation (\text{whatever came in, here } h_2\text{:}
    \\quad ∂J/∂w = …): a word of the prose, not a claim about the asked quantity."""
    return chain_toks[0].type == "NAME" and all(t.type in _NAME_PARTS for t in chain_toks) \
        and not _has_relation(chain_toks)


#: the words that make the whole number before them a count: "A = 2 input units", "C = 2 output units"
_COUNTED = re.compile(r"[\s$]*(?:\\text\{\s*)?(?:input|hidden|output)?\s*(?:units?|neurons?|nodes?|layers?|inputs?"
                      r"|outputs?|classes|samples|examples|patterns)\b")


#: the word before a Greek letter's value that makes it a momentum ("no momentum, α = 0"), not a learning rate
_MOMENTUM = re.compile(r"(?i)momentum\b[^\n.;]{0,24}$")


def _layer_count(chain_toks: list[_Tok], text: str) -> bool:
    """L = 3: the textbooks' number of layers (Nielsen, Higham), a whole number, not a value of the loss L; and
    Rich & Knight's "C = 2 output units": a name equal to a whole number the words after it count; and their "no
    momentum, α = 0": a constant of the method, not the learning rate α."""
    if len(chain_toks) != 3 or chain_toks[0].type != "NAME" or chain_toks[1].type != "REL" \
            or chain_toks[2].type != "NUMBER":
        return False
    start = chain_toks[0].start_pos
    return (str(chain_toks[2].info).isdigit() and (
        chain_toks[0].info == "L" or _COUNTED.match(text, chain_toks[2].end_pos) is not None)) \
        or _MOMENTUM.search(text, max(0, start - 40), start) is not None


def _prose_between(line: list[_Tok]) -> bool:
    """Prose between the line's expressions (\text{unit 1 stores } Φ(net_1) \text{ on its right side and } Φ′(net_1)
    \text{ on its left}): with no relation anywhere, a sentence naming formulas, not claims about the asked quantity
    (a number alone stays a claim)."""
    return any(_prose(t) and depth == 0 for t, depth in _with_depth(line))


def _batch_size(chains: list[Chain], builder: _Build) -> list[Chain]:
    """Ng's J = \\frac{1}{m} \\sum_{i=1}^{m} L^{(i)}: the m of the sum's limit is the batch size in the whole chain."""
    if not builder.sample_counts or builder.sum_samples is None:
        return chains
    count = {m: sp.Integer(builder.sum_samples) for m in builder.sample_counts}
    return [replace(c, elements=tuple(replace(e, expr=e.expr.xreplace(count)) for e in c.elements)) for c in chains]


def _chain(chain_toks: list[_Tok], builder: _Build, src: _Source) -> list[Chain]:
    for t in chain_toks:
        if t.type == "UNSUPPORTED":
            raise src.error("unsupported", t.start_pos, hint=t.info)
    if chain_toks[0].type == "REL":
        raise src.error("missing_before", chain_toks[0].start_pos, token=_show(chain_toks[0]))
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
    sign = "-" if etoks and etoks[0].type == "MINUS" else ""
    body = etoks[1:] if etoks and etoks[0].type in ("PLUS", "MINUS") else etoks
    if [t.type for t in body] == ["FRAC", "LBRACE", "NUMBER", "RBRACE", "LBRACE", "NUMBER", "RBRACE"] \
            and str(body[2].info).isdigit() and str(body[5].info).isdigit():  # Wolfram's exact -\tfrac{2427}{6250}
        text = terminating_decimal(int(str(body[2].info)), int(str(body[5].info)))
        return sign + text if text is not None else None
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
            raise src.error("matrix_scalar_chain", a, shape=first.shape)
        if v.m.shape != first.m.shape:
            raise src.error("matrix_shapes_chain", a, first=first.shape, second=v.shape)
    rows, cols = first.m.shape
    return [Chain(tuple(Element(v.m[i, j], a, b, None, (i, j)) if isinstance(v, _Mat)
                        else Element(v, a, b, None, (i, j), whole=(rows, cols))
                        for (v, _), (a, b) in zip(values, spans, strict=True)),
                  relations, text, start, end)
            for i in range(rows) for j in range(cols)]
