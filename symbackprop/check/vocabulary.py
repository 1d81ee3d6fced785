r"""The words of the notation, each written once for all the passes of the derivation reader.

Which commands are Greek letters, which letter runs are one name, which names are functions (and which of those
are SymPy's), which words are prose, which environments hold lines or matrices, the accents, Ng's gradients, the
layer sizes of a \sum's limit, the words for new and old, layers, samples and sum indices. The lexer, the token
rewriting, the line splitting and the tree builder all read them here (parse's module docstring states the rules
they serve).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from ..activations import WRITTEN
from .catalogue import Phrase

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

#: plain letter runs that are one name (case-sensitive); any other run is one name per letter. ERROR_WORDS: the word
#: "error" in the languages of the sheets (o Erro, l'errore, der Fehler), a name of the error as E is
WORDS = frozenset({
    "out", "Out", "net", "Net", "In", "in", "input", "Input", "output", "Output", "target", "Target",
    "Error", "error", "Loss", "loss", "cost", "Cost", "total", "Total", "prediction", "Prediction",
    "actual", "Actual", "new", "old", "previous", "OUT", "NET", "IN", "Err", "yhat", "tanh", "th", "exp", "ln", "log",
    "max",
    "hid", "hidden",  # (a layer's word above a name: z^{hid}_1)
    "Heaviside", *(ERROR_WORDS := frozenset({"Erro", "erro", "Errore", "errore", "Erreur", "erreur", "Fehler",
                                             "TrainLoss"})),  # (CS221's TrainLoss(w): the mean loss)
    *(w for w in WRITTEN if w not in GREEK),  # the activations' written names (sigmoid, ReLU): the registry's
})
#: names that are applied when followed by ( or [: written base -> canonical function name
FUNCTION_NAMES = {
    "f": "f", "g": "g", "phi": "phi", "varphi": "phi", "Phi": "Phi", **WRITTEN,
    "tanh": "tanh", "th": "tanh", "exp": "exp", "ln": "log", "log": "log", "max": "max",
    "H": "heaviside", "Heaviside": "heaviside",  # H(net): the step, ReLU's derivative as the lectures print it
}
_BUILTIN = frozenset({"exp", "log", "tanh", "max", "heaviside"})
#: \text{...} contents that are prose, not a name
#: the word of a tag question after a claim ("= 0.2469 right?", "oder?"): the claim stands, asked to be confirmed
TAG_WORDS = frozenset({"right", "correct", "ok", "okay", "yes", "no", "na", "ne", "oder", "non", "sahi", "yeah"})
CONNECTORS = frozenset({
    "where", "and", "with", "for", "so", "thus", "hence", "then", "since", "because", "gives", "is", "as", "or",
    "if", "therefore", "we", "get", "have", "by", "let", "given", "of", "at", "to", "ie", "eg", "using",
    "from", "that", "which", "the", "a", "an", "be", "are", "when", "finally", "now", "next", "first", "also",
    # the same words on the sheets in other languages (\text{ vaut }, \text{ ist }): prose, not a name
    "vaut", "est", "et", "donc", "avec", "soit", "ist", "und", "mit", "gilt", "somit", "es", "con", "luego",
    "vale", "entonces", "com", "onde", "logo", "dove", "quindi",
    # a remark's one word: (\text{rounded}), \text{ approximately }
    "rounded", "approximately", "exactly", "answer", "note", "recall", "similarly", "above", "below", "both",
    "each", "only", "not", "check", "checked", "done", "ok",
})
ENVIRONMENTS = frozenset({
    "aligned", "align", "align*", "split", "gather", "gather*", "gathered", "equation", "equation*",
    "eqnarray", "eqnarray*", "multline", "multline*", "flalign", "flalign*", "alignat", "alignat*", "alignedat",
    "IEEEeqnarray", "IEEEeqnarray*",  # (IEEEtran's: "u_2 & = & …", its column types {rCl} read past)
    "displaymath", "math", "matlaboutput",  # (a Live Script's printed results: "E = 0.2983", a line each)
})
#: matrix environments: \begin{bmatrix} a & b \\ c & d \end{bmatrix} (see Matrices and vectors)
MATRIX_ENVS = frozenset({"matrix", "bmatrix", "pmatrix", "Bmatrix", "smallmatrix"})
_ENV_HINTS = {
    "vmatrix": Phrase("a determinant |..| cannot be checked: write it out", "无法检查行列式 |..|：请把它展开写出"),
    "Vmatrix": Phrase("a norm ||..|| cannot be checked: write the sum of squares", "无法检查范数 ||..||：请写出平方和"),
    "cases": Phrase("cases cannot be checked: write each case as its own equation",
                    "无法检查分段式：请把每种情况写成单独的等式"),
    "array": Phrase(r"arrays cannot be checked: write a matrix as \begin{bmatrix}..\end{bmatrix}, an equation per "
                    "line in aligned",
                    r"无法检查 array：矩阵请写成 \begin{bmatrix}..\end{bmatrix}，等式请在 aligned 中每行写一个"),
    "tabular": Phrase("tables cannot be checked: write one equation per line (in aligned)",
                      "无法检查表格：请每行写一个等式（用 aligned）"),
}
#: \hat{y} and its kin: the command -> RawName.accent
ACCENTS = {"hat": "hat", "widehat": "hat", "bar": "bar", "overline": "bar", "tilde": "tilde", "widetilde": "tilde",
           "vec": "vec"}
#: the letters deeplearning.ai writes its gradients with: dW, db, dz, da (dZ, dA) = ∂J/∂W, ...; and a program's dh1
#: for ∂E/∂h1 (cs231n's dh)
NG_GRADIENTS = frozenset("WwbzZaAh")
#: the base of the d of such a run: still the d of a derivative in \frac{dz}{dw} and dz/dw
NG_D = "d·"
#: the base of an upright d before a name (\mathrm{d}E = (y − d)\,\mathrm{d}y): a differential, or the d of a
#: derivative written with it (\frac{\mathrm{d}E}{\mathrm{d}y})
DIFFERENTIAL_D = "d∘"
#: a layer's size in a \sum's upper limit (parse(..., sizes={"inputs": 2, ...})): Duda–Hart–Stork's d inputs,
#: n_H hidden units and c outputs, Bishop's D, M and K
SIZE_NAMES = {"d": "inputs", "D": "inputs", "n_H": "hidden", "M": "hidden", "c": "outputs", "K": "outputs",
              "n_L": "outputs"}  # (3Blue1Brown's \sum_{j=0}^{n_L - 1}, from 0)
#: letters a layer's size is written with, indexed by the layer (Brilliant's r_k, layer 0 the inputs)
LAYER_SIZES = frozenset({"r"})
#: "new" and "old" in the languages of the sheets (w_6^{\text{нов}}, w^{\text{neu}}, w^{\text{新}})
#: Greek letters' names spelled in Cyrillic ("дельта = dE/dout", "w3 - эта × dE/dw3"), as the reader's Greek names
CYRILLIC_GREEK = {"дельта": "delta", "эта": "eta", "альфа": "alpha", "бета": "beta", "гамма": "gamma",
                  "сигма": "sigma", "омега": "omega", "лямбда": "lambda", "эпсилон": "epsilon", "тэта": "theta",
                  "тета": "theta", "кси": "xi", "пи": "pi", "мю": "mu", "фи": "phi", "пси": "psi", "тау": "tau"}
#: the words that label an answer ("Answer (b):", "Réponse :", "Rép. (b) :", "# Ans (o): …"), in the sheets'
#: languages; a longer word before its own beginning (Answer before Ans)
ANSWER_WORDS = ("Réponse", "Reponse", "RÉPONSE", "REPONSE", "Rép.", "Rep.", "Answer", "ANSWER", "answer", "Antwort",
                "Lösung", "Respuesta", "Risposta", "Resposta", "Ответ", "Otvet", "Ans", "ANS", "ans",
                "답", "정답")


def answer_label(bare: bool = False, capitalized: bool = False, part_only: bool = False) -> str:
    """An answer comment's label as a regular expression: an answer word, a few characters of its own (" for part
    (c)"; `part_only`: only its part, "(o)") and its colon; `bare`: an answer word in capitals needs no colon before
    a space ("// ANSWER dE/dw6 = …", "% ANSWER h2 = …")."""
    own = r"[ \t]*(?:\([a-z0-9]{1,4}'?\))?[ \t]*" if part_only else r"[^\n:=]{0,30}"
    labelled = answer_word(capitalized) + r"(?!\w)" + own + ":"
    return f"(?:{labelled}|{shouted_answer()})" if bare else labelled


def shouted_answer() -> str:
    """An answer word in capitals before a space, a label without its colon ("// ANSWER dE/dw6 = …")."""
    return "(?:" + "|".join(re.escape(w) for w in ANSWER_WORDS if w.isupper() and len(w) > 1) + r")(?=[ \t])"


def alternation(words: Iterable[str]) -> str:
    """A regex group of the words, the longest first (so that "delta" is tried before "del")."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


def answer_word(capitalized: bool = False) -> str:
    """ANSWER_WORDS as a regular expression's alternatives (only those with a capital: where a lower-case "ans" is
    a program's name, Octave's and Julia's last result)."""
    return "(?:" + "|".join(re.escape(w) for w in ANSWER_WORDS if not capitalized or w[0].isupper()) + ")"


NEW_WORDS = frozenset({"new", "neu", "нов", "новый", "новое", "nouveau", "nouvelle", "nuevo", "nueva", "novo", "nova",
                       "nuovo", "nuova", "yeni", "mới", "新", "更新后", "更新後", "baru", "updated", "új", "uj",
                       "নতুন", "नया", "नई", "uusi", "nou", "nouă", "noua", "חדש", "νέο", "νέα", "جدید", "جديد",
                       "ใหม่", "새", "ny", "nya", "nieuw", "nowy", "nowa", "nowe", "nový", "nová", "nové", "новий",
                       "нова", "нове", "нав", "жаңа", "яңа", "яңы", "yangi", "kotta", "కొత్త", "புதிய", "नवीन", "ಹೊಸ",
                       "പുതിയ", "نیا", "mpya", "አዲስ", "ახალი", "նոր", "uus", "jauns", "naujas", "bago",
                       "ਨਵਾਂ", "ਨਵੀਂ", "ਨਵੇਂ", "નવું", "નવો", "નવા", "नवा", "नवे", "sabon", "sabo", "tuntun", "entsha"})
OLD_WORDS = frozenset({"old", "alt", "стар", "старый", "ancien", "viejo", "velho", "vecchio", "eski", "旧", "原",
                       "régi", "পুরাতন", "पुराना", "vanha", "vechi", "ישן", "oud", "stary", "starý", "старий",
                       "ਪੁਰਾਣਾ", "ਪੁਰਾਣੇ", "જૂનું", "tsoho", "иске", "ескі"})
#: words that name a layer in a parenthesised superscript (Raschka's a^{(in)}, a^{(h)}, z^{(out)})
LAYER_WORDS = frozenset({"in", "input", "hidden", "hid", "out", "output"})
#: a neuron's weighted input, output and target in the sheets' languages, written with an index (\text{be}_{h1}):
#: the name they stand for
INDEXED_WORDS = {"be": "net", "ki": "out", "cél": "target"}  # Hungarian: bemenet, kimenet, cél
#: index letters of a \sum over the samples (parse(..., sum_samples=N))
SAMPLE_INDICES = frozenset({"n", "m", "p", "s"})
#: names that a \sum without an index gives the subscript 1, 2, ... (with parse(..., sum_range=n))
SUM_BASES = frozenset({"target", "output", "out", "t", "y", "o", "d", "a", "E", "Out", "Target", "Output", "P", "p"})
#: the base of the one name a \sum over a set the checker cannot expand stands for (Kriesel's \sum_{l \in L})
SET_SUM = "\\sum"
#: the index letters a \sum without an index may find in its body (t_k, o_k)
SUM_LETTERS = frozenset({"i", "j", "k"})
#: Fausett's net inputs y_in_k, z_in_j (written y\_in_k): the net input of output unit Y_k, of hidden unit Z_j
IN_NAMES = {"y_in": "outputs", "z_in": "hidden"}
#: 3Blue1Brown's (Nielsen's) layer superscripts counted back from the output layer L: how many layers before it
LAST_LAYER = {"L": 0, "L-1": 1, "L-2": 2}
#: the superscript of Kröse & van der Smagt's names of one pattern (training sample): s^p_k, y^p_o, δ^p_k, E^p
PATTERN_INDEX = "p"
#: Greek letters a \sum may run over (Marsland's \sum_\kappa w_{\zeta\kappa} δ_o(κ)): those without another meaning
SUM_GREEK = frozenset({"zeta", "iota", "kappa", "mu", "nu", "xi", "rho", "tau", "chi", "psi", "omega"})
#: the letter of the output layer's weight matrix beside W of the hidden layer (Jurafsky & Martin: z = Uh)
OUTPUT_MATRIX = frozenset({"U"})
#: Kröse & van der Smagt's index letter of an output unit (s_o, y_o, w_{ho}), read where the network has one output
OUTPUT_INDEX = frozenset({"o"})

#: amsthm's environments and their kin, with an optional title (a scribe's \begin{example}[The board network])
THEOREM_ENVS = ("example", "theorem", "lemma", "proof", "remark", "definition", "solution", "exercise", "problem",
                "answer", "question", "corollary", "proposition", "note", "quote", "quotation")
#: LaTeX environments of text, not math: a Beamer slide's frame and block, lists (their $…$ pieces are the math)
TEXT_ENVS = ("frame", "itemize", "enumerate", "description", "block", "alertblock", "exampleblock", "center",
             "columns", "column", "par", "flushleft", "flushright",  # (par, flushleft: a MATLAB Live Script's text)
             *THEOREM_ENVS)
#: a layer's letter as a superscript (Freeman & Skapura's w^o_{kj}, net^h_{pj}): the hidden or the output layer
LAYER_LETTERS = frozenset({"h", "o"})
#: Beamer's highlights: \alert{x} is x on the slide
BEAMER_HIGHLIGHTS = frozenset({"alert", "structure"})
#: Beamer's overlay commands (with an optional <…> specification): the build-up of a slide, not its content
BEAMER_OVERLAYS = frozenset({"pause", "only", "uncover", "visible", "invisible", "onslide", *BEAMER_HIGHLIGHTS})

#: a bare decimal comma (a Polish or German sheet's 0,593): digits, a comma, digits, no space — never in a script
#: (ω_{0,12}), never a tight pair ((1,1), [0,0]; but σ(0,3925) is a decimal), maybe a list's ("0,742088, 0,775285") or a
#: sentence's last ("= 0,009954."), and with a whole part other than 0 only before two or more digits
#: (a list 1,2 of indices stays a list)
COMMA_DECIMAL = r"(?<!_\{)(?<!\^\{)(?!(?<=[(\[])\d+,\d{1,2}[)\]])(?:0,\d+|[1-9]\d*,\d{2,})(?!\w|[.,]\S)"
DECIMAL_COMMA = re.compile(r"(?<![\w.,])" + COMMA_DECIMAL)
#: "sample 2", "样本 2", Khmer's "គំរូទី ២" (a script's own digit read as its value): the prose names a batch's sample
SAMPLE_SAID = (r"(?i)(?<!\w)(?:sample|example|ex\.?(?=[ \t]*\d)|instance|observation|muestra|amostra|échantillon"
               r"|exemple|beispiel|stichprobe|пример|образец|mẫu|sampel|サンプル|標本|샘플|표본|नमूना)\s*(?:#|no\.?|nr\.?|n[º°]|số)?\s*"
               r"\(?(\d|[①-⑨])\)?|(?:样本|样例|គំរូទី|គំរូ)\s*(\d|[①-⑨])"
               r"|(\d)[ \t]*번째?(?:[ \t]*(?:샘플|표본|데이터)|[ \t]*[:：])")
#: (Korean counts before the word: "2번 샘플", sample number 2; a line's "2번: h = …" in a batch; a circled
#: number, "样本②")
#: a word of prose (Latin, Cyrillic, CJK …) between pieces of math; in the Brahmic and Southeast Asian scripts
#: with the vowel signs between its letters (राहिला, Khmer's គំរូ)
#: a letter of a script written only as prose (Cyrillic, Armenian, Hebrew, Arabic, the Indic scripts, Thai, Georgian,
#: Hangul, Ethiopic, Khmer, kana, CJK): a character class for the patterns that look for a sentence
SCRIPT_LETTER = ("[\u0400-\u052F\u0531-\u0587\u05D0-\u05EA\u0620-\u064A\u066E-\u06D3\u0900-\u0DFF"
                 "\u0E00-\u0EFF\u10A0-\u10FF\u1100-\u11FF\u1200-\u137F\u1780-\u17FF\u3040-\u30FF"
                 "\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF]")
PROSE_WORD = re.compile(r"[^\W\d_][\u0900-\u0DFF\u0E00-\u0EFF\u1000-\u109F\u1780-\u17FF]*[^\W\d_]"
                        r"|[\u0900-\u0DFF\u0E00-\u0EFF\u1000-\u109F\u1780-\u17FF]{2,}"
                        r"|[\u3040-\u30FF\u4E00-\u9FFF\uAC00-\uD7AF]")  # (one ideograph is a word: 经, 连)


def decimal_comma(text: str, start: int) -> re.Match[str] | None:
    """The bare decimal comma number 0,593 that starts at `start`, or None: the one test of the lexer and of the
    reader of written numbers, so that both take the same commas for decimal ones."""
    m = DECIMAL_COMMA.match(text, start)
    return None if m is None or _in_subscript(text, start) else m


def _in_subscript(text: str, start: int) -> bool:
    """Is `start` inside a subscript's braces (`_{i, 0,12}`: indices)? A superscript's may hold a decimal:
    e^{-0,3775}."""
    depth = 0
    for k in range(start - 1, -1, -1):
        if text[k] in "{}" and (k == 0 or text[k - 1] != "\\"):
            depth += 1 if text[k] == "}" else -1
            if depth < 0:
                return text[:k].rstrip().endswith("_")
    return False


def terminating_decimal(a: int, b: int) -> str | None:
    """a/b as a finite decimal (809/1000 → "0.809", 2427/6250 → "0.38832"), or None when it has none (1/3)."""
    rest, places = b, 0
    for p in (2, 5):
        k = 0
        while rest and rest % p == 0:
            rest //= p
            k += 1
        places = max(places, k)
    if b == 0 or rest != 1:
        return None
    return f"{Decimal(a) / Decimal(b):.{places}f}"
