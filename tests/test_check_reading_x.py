"""Readings of session 44 from answers of tune37 (measure33) that were judged wrongly. Each right form has a wrong
twin that must stay rejected. Numbers come from the corpus's own truth (tests/corpus/truth_values.py: the spec read
with tomllib, mpmath forward pass and central differences); symbolic answers are derived by hand in the docstring."""

from __future__ import annotations

import mpmath
from test_check import SEED003, SEED004, verdicts
from test_check_reading_n import SOFTMAX, _n

from corpus.truth_values import forward, load_net, params_at


def _sample(quantity: str, sample: int, digits: int = 5) -> str:
    """A softmax-batch quantity of one sample (counted from 1), as the students write it."""
    net = load_net(SOFTMAX.name)
    return mpmath.nstr(forward(net, params_at(SOFTMAX.name, 0), sample - 1).outs[quantity], digits)


def test_a_zoom_chat_saved_as_text() -> None:
    """Zoom's meeting_saved_chat.txt in Spanish: "hh:mm:ss De  Nombre  a  Todos:" headers, the messages indented
    under them, a lecturer's question ("y la salida de h2?"), a reply that quotes another message cut short and a
    reaction that quotes one whole: quotations are another's words, never the writer's claim. With net_O = w5 out_h1
    + w6 out_h2 + b2 and E = ½(target − out_O)², ∂E/∂w6 = (out_O − target) out_O (1 − out_O) out_h2; the twin takes
    out_h1 (w5's input)."""
    header = ("18:13:20 De  Prof. Ramírez  a  Todos:\n"
              "\tRespondiendo a \"dE/dw5 = 2*(out_O - t...\" : el 1/2 se cancela con el 2. A ver w6\n"
              "18:13:51 De  Valentina Ruiz  a  Todos:\n")
    right = header + "\tdE/dw6 = δ_O*out_h2 = (out_O - target)*out_O*(1-out_O)*out_h2\n"
    twin = header + "\tdE/dw6 = δ_O*out_h1 = (out_O - target)*out_O*(1-out_O)*out_h1\n"
    assert verdicts(SEED003, ("right", "dE/dw6", right), ("twin", "dE/dw6", twin)) == {
        "right": "correct", "twin": "incorrect"}
    question = "18:06:20 De  Prof. Ramírez  a  Todos:\n\ty la salida de h2?\n18:06:58 De  Diego Morales  a  Todos:\n"
    assert verdicts(SEED003, ("right", "h2", question + "\tout_h2 = 1/(1+exp(-(w3*i1 + w4*i2 + b1)))\n"),
                    ("twin", "h2", question + "\tout_h2 = 1/(1+exp(-(w1*i1 + w2*i2 + b1)))\n")) == {
        "right": "correct", "twin": "incorrect"}
    quoted = ("18:13:55 De  Prof. Ramírez  a  Todos:\n"
              "\tReaccionó a \"dE/dw6 = (out_O - target)*out_O*(1-out_O)*out_h2\" con 👍\n")
    assert verdicts(SEED003, ("quoted", "dE/dw6", quoted)) != {"quoted": "correct"}


def test_a_kakaotalk_export_and_its_samples() -> None:
    """KakaoTalk's PC export: "[이름] [오후 10:04] …" messages, a date rule between days, Korean counting the sample
    before the word ("2번 샘플", "2번:"). A batch's quantity said of sample 2 is sample 2's (x = (−0.4, 0.3)), even
    after a ŷ tuple; a bracketed remark in Korean states a value. The twins put sample 1's number where sample 2 is
    said, and a wrong ŷ_2 in the remark."""
    head = ("--------------- 2024년 5월 14일 화요일 ---------------\n"
            "[김민준] [오후 10:02] 소프트맥스 배치 과제 다들 함??\n")
    line = "[김민준] [오후 10:19] 2번 샘플 h1 = tanh(0.3*(-0.4) + (-0.1)*0.3 + 0.1) = VALUE\n"
    first = f"[이서연] [오후 10:20] 1번 샘플 h1 = {_sample('h1', 1)}\n"
    assert _sample("h1", 2) == "-0.049958"
    assert verdicts(SOFTMAX, ("right", "h1", head + line.replace("VALUE", _sample("h1", 2)) + first),
                    ("twin", "h1", head + line.replace("VALUE", _sample("h1", 1)) + first)) == {
        "right": "correct", "twin": "incorrect"}
    tuple_line = "[김민준] [오후 10:19] 2번: ŷ = (Y1, Y2, Y3), t3 = 1\n"
    ys = {f"Y{k}": _sample(f"y{k}", 2) for k in (1, 2, 3)}
    right = tuple_line
    for key, value in ys.items():
        right = right.replace(key, value)
    twin = right.replace("t3 = 1", "t3 = 0")
    assert verdicts(SOFTMAX, ("right", "y2", head + right + "[김민준] [오후 10:20] ŷ2 = " + _sample("y2", 1) + "\n"),
                    ("twin", "y2", head + twin + "[김민준] [오후 10:20] ŷ2 = " + _sample("y2", 1) + "\n")) == {
        "right": "correct", "twin": "incorrect"}
    remark = "[박지훈] [오후 10:25] (ŷ2 는 VALUE 임 지훈아 ㅋㅋ)\n"
    assert verdicts(SOFTMAX, ("right", "y2", head + remark.replace("VALUE", _n(SOFTMAX, "y2", 5)))) == {
        "right": "correct"}
    assert verdicts(SOFTMAX, ("twin", "y2", head + remark.replace("VALUE", "0.33038"))) == {"twin": "incorrect"}


def test_a_sheet_in_plain_tex() -> None:
    r"""Plain TeX: \eqalign{… &= …\cr}, {1\over 1+e^{-x}} (TeX's \over divides its whole group), \eqno(n), the page's
    \centerline, {\bf …}, \bigskip and \bye. out_{h1} = σ(0.3775); the twin states net_{h1}'s number as out_{h1}'s."""
    page = ("\\magnification=\\magstep1\n\\centerline{\\bf Homework 3}\n\\bigskip\n{\\bf 1. Forward pass.}\n"
            "$$\\eqalign{net_{h1} &= w_1 i_1 + w_2 i_2 + b_1\\cr &= 0.3775,\\cr\n"
            "out_{h1} &= {1\\over 1+e^{-net_{h1}}} = {1\\over 1+e^{-0.3775}} = VALUE.\\cr}\\eqno(1)$$\n\\bye\n")
    assert verdicts(SEED004, ("right", "h1", page.replace("VALUE", _n(SEED004, "h1", 9))),
                    ("twin", "h1", page.replace("VALUE", "0.3775"))) == {"right": "correct", "twin": "incorrect"}
    # (an \over outside braces divides its whole display: (out_{h1} = 1)/(1 + e^{−0.3775}) claims nothing right)
    assert verdicts(SEED004, ("over", "h1", r"$$out_{h1} = 1 \over 1 + e^{-0.3775}$$")) != {"over": "correct"}


def test_a_texmacs_source() -> None:
    r"""GNU TeXmacs's .tm source: <math|…> inline, an <\eqnarray*>'s table of rows and cells (an empty first cell
    goes on the row before), <rsub|…>, <frac|a|b>, <around*|(|…|)>, \<times\>, * the invisible product.
    net_{h1} = 0.15·0.05 + 0.2·0.1 + 0.35 = 0.3775 and ∂E/∂w_5 = δ_{o1} out_{h1}; the twins: 0.15·0.1 for w_1 i_1
    and out_{h2} for w_5's input."""
    table = ("<TeXmacs|2.1.2>\n<\\body>\n  <section|Forward pass>\n\n  With <math|w<rsub|1>=0.15>:\n"
             "  <\\eqnarray*>\n    <tformat|<table|<row|<cell|net<rsub|h1>>|<cell|=>|<cell|w<rsub|1>*i<rsub|1>"
             "+w<rsub|2>*i<rsub|2>+b<rsub|1>>>|<row|<cell|>|<cell|=>|<cell|INPUT+0.20\\<times\\>0.10+0.35=VALUE>>>>\n"
             "  </eqnarray*>\n</body>\n")
    assert verdicts(SEED004, ("right", "net_h1", table.replace("INPUT", "0.15\\<times\\>0.05").replace(
        "VALUE", "0.3775")), ("twin", "net_h1", table.replace("INPUT", "0.15\\<times\\>0.10").replace(
            "VALUE", "0.385"))) == {"right": "correct", "twin": "incorrect"}
    gradient = ("  <\\equation*>\n    <frac|\\<partial\\>E<rsub|total>|\\<partial\\>w<rsub|5>>=\\<delta\\><rsub|o1>*"
                "out<rsub|HIDDEN>=<around*|(|out<rsub|o1>-target<rsub|o1>|)>*out<rsub|o1>*<around*|(|1-out<rsub|o1>|)>"
                "*out<rsub|HIDDEN>\n  </equation*>\n")
    assert verdicts(SEED004, ("right", "dE/dw5", gradient.replace("HIDDEN", "h1")),
                    ("twin", "dE/dw5", gradient.replace("HIDDEN", "h2"))) == {"right": "correct", "twin": "incorrect"}


SEED001 = SEED004.with_name("seed001_abstract_phi.toml")
SEED002 = SEED004.with_name("seed002_linear.toml")


def test_a_spanish_chat_writes_prose_around_its_formulas() -> None:
    """Words of prose before the name a statement gives ("ahh sí jaja. δ_O = …", "ok entonces dE/dw4 = … y dE/dw3 =
    …"), after it to the line's end ("(la derivada del cuadrado)", ". Quién se anima?"), a plain dE/dout_h2 and an
    exponent e^-(…) typed without braces. δ_O = (out_O − target) out_O (1 − out_O) for the sigmoid (the twin takes
    tanh's 1 − out_O²); ∂E/∂w4 = δ_h2 i2 (the twin swaps the inputs); ∂E/∂out_h2 = δ_O w6; h2 = σ(w3 i1 + w4 i2
    + b1)."""
    assert verdicts(SEED003, ("right", "delta_O", "\tahh sí jaja. δ_O = (out_O - target)*out_O*(1 - out_O)\n"),
                    ("twin", "delta_O", "\tahh sí jaja. δ_O = (out_O - target)*(1 - out_O^2)   (la derivada)\n")) == {
        "right": "correct", "twin": "incorrect"}
    assert verdicts(SEED003, ("right", "dE/dw4", "ok entonces dE/dw4 = δ_h2*i2 y dE/dw3 = δ_h2*i1\n"),
                    ("twin", "dE/dw4", "ok entonces dE/dw4 = δ_h2*i1 y dE/dw3 = δ_h2*i2\n")) == {
        "right": "correct", "twin": "incorrect"}
    assert verdicts(SEED003, ("right", "dE/dh2", "creo que: dE/dout_h2 = δ_O*w6. Quién sigue?\n"),
                    ("twin", "dE/dh2", "creo que: dE/dout_h2 = δ_O*w5. Quién sigue?\n")) == {
        "right": "correct", "twin": "incorrect"}
    assert verdicts(SEED003, ("right", "h2", "out_h2 = 1/(1+e^-(w3*i1 + w4*i2 + b1))"),
                    ("twin", "h2", "out_h2 = 1/(1+e^-(w1*i1 + w2*i2 + b1))")) == {
        "right": "correct", "twin": "incorrect"}


def test_notes_copied_out_of_studocu() -> None:
    """Studocu's page furniture — the watermark "lOMoARcPSD|…", the download footer with a masked e-mail — and an
    Italian sentence ending in "quindi" are not claims. With E = ½(d − y)², ∂E/∂y = y − d; the twin drops the sign."""
    page = ("lOMoARcPSD|31478210\nAppunti di Reti Neurali – Lezione 8 (backpropagation)\n"
            "Scaricato da Marco F. (m*****@gmail.com)\n"
            "!! il prof ha detto: l'uscita è LINEARE ⇒ niente Φ′ in uscita, quindi\n∂E/∂y = CLAIM\n")
    assert verdicts(SEED001, ("right", "dE/dy", page.replace("CLAIM", "−(d − y) = y − d")),
                    ("twin", "dE/dy", page.replace("CLAIM", "d − y"))) == {"right": "correct", "twin": "incorrect"}


def test_a_tutorials_subtitles_and_its_said_arithmetic() -> None:
    """A video's .srt captions in Hinglish: cue numbers and timings frame the words; arithmetic is said ("i1 into w1
    plus i2 into w2", "dE by dw5", "half into", "ka whole square", "prediction minus actual", "w5 new"). On the linear
    seed-002 network ∂E/∂w5 = (out − y) h1 = −0.809 × 0.85; w5⁺ = 0.14 − 0.05 × (−0.68765). The twins put h2 for h1,
    and w4's gradient (−0.36405) into w5's update — said, read and rejected; put in with a word the reader cannot
    read, the numbers after it are not enough to accept the answer."""
    cue = "67\n00:08:25,050 --> 00:08:32,600\n"
    gradient = cue + ("chain rule lagayenge: dE by dw5 = dE by d out into d out by dw5\n"
                      "toh dE by dw5 = delta into HIDDEN = -0.809 into VALUE\n= PRODUCT\n")
    assert verdicts(SEED002, ("right", "dE/dw5", gradient.replace("HIDDEN", "h1").replace("VALUE", "0.85").replace(
        "PRODUCT", _n(SEED002, "dE/dw5", 5))), ("twin", "dE/dw5", gradient.replace("HIDDEN", "h2").replace(
            "VALUE", "0.48").replace("PRODUCT", "-0.38832"))) == {"right": "correct", "twin": "incorrect"}
    update = cue + ("w5 new = 0.14 minus 0.05 GRADIENT\n\n68\n00:08:32,600 --> 00:08:36,120\n"
                    "= 0.14 + 0.0343825 = VALUE\n")
    assert _n(SEED002, "w5+", 7) == "0.1743825"
    assert verdicts(SEED002, ("right", "w5+", update.replace("GRADIENT", "into (-0.68765)").replace(
        "VALUE", "0.1743825")), ("twin", "w5+", update.replace("GRADIENT", "into (-0.36405)").replace(
            "VALUE", "0.1743825"))) == {"right": "correct", "twin": "incorrect"}
    assert verdicts(SEED002, ("unread", "w5+", update.replace("GRADIENT", "guna (-0.36405)").replace(
        "VALUE", "0.1743825"))) == {"unread": "unparseable"}
    error = cue + "Error = half into (prediction minus actual) ka whole square\ntoh half into 0.654481 = VALUE\n"
    assert verdicts(SEED002, ("right", "E", error.replace("VALUE", _n(SEED002, "E", 7))),
                    ("twin", "E", error.replace("VALUE", "0.654481"))) == {"right": "correct", "twin": "incorrect"}


def test_a_xiaohongshu_note_numbers_its_samples_in_circles() -> None:
    """小红书's keycap section numbers (1️⃣) and circled sample marks: δ3① is sample 1's δ_3, h2② sample 2's h_2. The
    batch's ∂J/∂w10 = ½(δ3① h2① + δ3② h2②); the twin takes h1 for h2."""
    note = ("4️⃣ 输出层梯度（两个样本平均‼️）\n"
            "∂J/∂w10 = (δ3①·UNIT① + δ3②·UNIT②)/2 = (0.27880×FIRST + (−0.67310)×SECOND)/2 = RESULT\n")

    def sheet(unit: str, result: str) -> str:
        return (note.replace("UNIT", unit).replace("FIRST", _sample(unit, 1))
                .replace("SECOND", _sample(unit, 2)).replace("RESULT", result))
    assert _n(SOFTMAX, "dE/dw10", 4) == "-0.03016"
    assert verdicts(SOFTMAX, ("right", "dE/dw10", sheet("h2", "-0.030164")),
                    ("twin", "dE/dw10", sheet("h1", "0.053489"))) == {"right": "correct", "twin": "incorrect"}


SEED000 = SEED004.with_name("seed000_in_out.toml")


def test_a_clojure_repl_session() -> None:
    """Clojure's REPL: "user=>" prompts, #'user/… echoes, the weights in a map read by keyword, (:w1 w), a value
    echoed under the name typed alone, a form's echo (its ;-comment aside), a formatted string, (:w6 w') the entry of
    the updated map. On seed 000 In_h1 = w1 x1 + w3 x2 = 0.25 (weights numbered by their source); the twins take w2
    (In_h2's weight), δ_o2 for δ_o1, w's own w6 for the updated one."""
    head = ("user=> (def w {:w1 0.2 :w2 -0.4 :w3 0.5 :w4 0.6 :w5 0.1 :w6 -0.5 :w7 -0.3 :w8 0.8})\n#'user/w\n"
            "user=> (def in-h1 (+ (* (:w1 w) x1) (* (:WEIGHT w) x2)))\n#'user/in-h1\nuser=> in-h1\nVALUE\n")
    assert verdicts(SEED000, ("right", "net_h1", head.replace("WEIGHT", "w3").replace("VALUE", "0.25")),
                    ("twin", "net_h1", head.replace("WEIGHT", "w4").replace("VALUE", "0.28"))) == {
        "right": "correct", "twin": "incorrect"}
    form = (f"user=> (def d-o1 (* (- o1 0.23) (dsig o1)))\n#'user/d-o1\nuser=> d-o1\n{_n(SEED000, 'delta_o1', 16)}\n"
            "user=> (* d-o1 h1)   ; dError/dw5\nVALUE\n")
    assert verdicts(SEED000, ("right", "dE/dw5", form.replace("VALUE", _n(SEED000, "dE/dw5", 16))),
                    ("twin", "dE/dw5", form.replace("VALUE", "0.0307"))) == {"right": "correct", "twin": "incorrect"}
    formatted = "user=> (format \"%.10f\" (:w6 MAP))\n\"VALUE\"\n"
    assert verdicts(SEED000, ("right", "w6+", formatted.replace("MAP", "w'").replace("VALUE", "-0.5838660995")),
                    ("twin", "w6+", formatted.replace("MAP", "w'").replace("VALUE", "-0.5"))) == {
        "right": "correct", "twin": "incorrect"}


def test_a_mathematica_notebook_copied_as_text() -> None:
    """In[n]:= cells over their Out[n]=: each is name = input = output. D[f, x] is ∂f/∂x, σ'[x] a derivative's value,
    E^x Euler's number's power, Simplify and // Factor leave the value; glued names: netO net_O, outh1 out_h1, δO δ_O,
    dEdw6 ∂E/∂w6. A cell under a message (Set::wrsym) claims nothing. On seed 003 ∂E/∂w6 = δ_O out_h2 with δ_O =
    (out_O − target) out_O (1 − out_O); the twin's output takes out_h1 (the cell itself is right: the output decides
    what the notebook says)."""
    cells = ("(* σ' in terms of σ itself: *)\nIn[13]:= Simplify[σ'[x] == σ[x] (1 - σ[x])]\nOut[13]= True\n"
             "In[14]:= δO = (outO - target) outO (1 - outO)\nOut[14]= (1 - outO) outO (outO - target)\n"
             "In[15]:= dEdw6 = δO D[netO, w6]\nOut[15]= (1 - outO) outO HIDDEN (outO - target)\n")
    assert verdicts(SEED003, ("right", "dE/dw6", cells.replace("HIDDEN", "outh2")),
                    ("twin", "dE/dw6", cells.replace("HIDDEN", "outh1"))) == {"right": "correct", "twin": "incorrect"}
    protected = ("In[6]:= E = 1/2 (target - outO)^2\nSet::wrsym: Symbol E is Protected.\n"
                 "Out[6]= 1/2 (-outO + target)^2\n")
    assert verdicts(SEED003, ("protected", "E", protected)) != {"protected": "correct"}
    assert verdicts(SEED003, ("right", "E", "In[7]:= err = 1/2 (target - outO)^2\nOut[7]= 1/2 (-outO + target)^2\n"),
                    ("twin", "E", "In[7]:= err = (target - outO)^2\nOut[7]= (-outO + target)^2\n")) == {
        "right": "correct", "twin": "incorrect"}


def test_an_r_console_transcript() -> None:
    """R's console: "> " prompts, "<-" assignments, "[1]" before a vector's entries apart by spaces (out_h is out_h1
    and out_h2; R counts from 1), print(…, digits = 10), a # comment, the notes between blocks in plain text. On seed
    004 ∂E/∂w5 = δ_o1 out_h1; the twin multiplies by out_h[2]. A last claim we cannot read ends nothing we can accept:
    "i.e." is prose, and the rounded ≈ 0.001 has too few digits."""
    head = ("> out_h <- sigmoid(net_h)\n> out_h\n[1] 0.5932700 0.5968844\n"
            "> delta_o <- (out_o - target) * out_o * (1 - out_o)   # dE/dnet_o\n> delta_o\n"
            "[1]  0.13849856 -0.03809824\n")
    gradient = head + "> print(delta_o[1] * out_h[UNIT], digits = 10)    # dE/dw5\n[1] VALUE\n"
    assert verdicts(SEED004, ("right", "dE/dw5", gradient.replace("UNIT", "1").replace("VALUE", "0.08216704056")),
                    ("twin", "dE/dw5", gradient.replace("UNIT", "2").replace("VALUE", "0.0826676300"))) == {
        "right": "correct", "twin": "incorrect"}
    rounded = "> delta_h[2] * i[2]\n[1] 0.0009954255\ni.e. dE/dw4 ≈ VALUE\n"
    assert verdicts(SEED004, ("right", "dE/dw4", rounded.replace("VALUE", "0.0009954")),
                    ("twin", "dE/dw4", rounded.replace("VALUE", "0.001"))) == {"right": "correct", "twin": "incorrect"}
    unread = "> delta_h[2] * i[2]\n[1] 0.0009954255\nso dE/dw4 ≈ 0.001 ⊗ rounded\n"
    assert verdicts(SEED004, ("unread", "dE/dw4", unread)) != {"unread": "correct"}


def test_an_arduino_sketch_and_its_serial_monitor() -> None:
    """A lab hand-in: the sketch's C++ (a // comment after a statement, Serial.println(g[5]), w[k] -= eta * g[k];)
    is code, the Serial Monitor's lines under their titles are what it printed ("w5 new = …" w5 after its update);
    under "--- epoch 1 ---" headers the last epoch's values. On seed 002 ∂E/∂w6 = −0.38832 (printed to 2 decimals),
    w5⁺ = 0.174383, and after one step out = 0.255746; the twins print ∂E/∂w5's value, add the step, and give
    epoch 0's out."""
    sketch = "Sketch:\n    Serial.print(\"dE/dw6 = \"); Serial.println(g[5]);\n\nSerial Monitor:\n  dE/dw6 = VALUE\n"
    assert verdicts(SEED002, ("right", "dE/dw6", sketch.replace("VALUE", "-0.39")),
                    ("twin", "dE/dw6", sketch.replace("VALUE", "-0.69"))) == {"right": "correct", "twin": "incorrect"}
    update = "Sketch:\n      w[k] -= eta * g[k];\n\nSerial Monitor:\n  w5 new = VALUE\n"
    assert verdicts(SEED002, ("right", "w5+", update.replace("VALUE", "0.174383")),
                    ("twin", "w5+", update.replace("VALUE", "0.105617"))) == {"right": "correct", "twin": "incorrect"}
    epochs = ("    if (epoch < 2) { forwardBackward(); epoch++; }\n\nSerial Monitor:\n  --- epoch 0 ---\n"
              "  out = 0.191000\n  Error = 0.327241\n  --- epoch 1 ---\n  out = VALUE\n")
    assert verdicts(SEED002, ("right", "out", epochs.replace("VALUE", _n(SEED002, "out", 6, step=1)), 1),
                    ("twin", "out", epochs.replace("VALUE", "0.191000"), 1)) == {
        "right": "correct", "twin": "incorrect"}


def test_an_exam_answer_script_marks_its_answers() -> None:
    """An Indian semester exam's script: "(Ans)" after a result, "w5(new) = …" for the updated weight, a remark in
    brackets after the last number with "=>" in it. On seed 000 O_o1 = σ(−0.0923) = 0.4769 and w5⁺ = 0.1 − 1 ×
    0.0346 = 0.0654; the twins take σ(+0.0923) and add the gradient."""
    output = "   O_o1 = 1 / (1 + e^(0.0923)) = 1 / (1 + 1.0967) = 1 / 2.0967\n   ∴ O_o1 = VALUE   (Ans)\n"
    assert verdicts(SEED000, ("right", "o1", output.replace("VALUE", _n(SEED000, "o1", 4))),
                    ("twin", "o1", output.replace("VALUE", "0.5231"))) == {"right": "correct", "twin": "incorrect"}
    update = "   w5(new) = w5 - η ∂E/∂w5\n           = 0.1 SIGN (1)(0.0346)\n           = VALUE   (Ans)\n"
    assert verdicts(SEED000, ("right", "w5+", update.replace("SIGN", "-").replace("VALUE", "0.0654")),
                    ("twin", "w5+", update.replace("SIGN", "+").replace("VALUE", "0.1346"))) == {
        "right": "correct", "twin": "incorrect"}
    again = "   ∴ E = VALUE  (decreased from 0.2097 => learning is happening)   (Ans)\n"
    assert verdicts(SEED000, ("right", "E", again.replace("VALUE", "0.1950"), 1),
                    ("twin", "E", again.replace("VALUE", "0.2097"), 1)) == {"right": "correct", "twin": "incorrect"}


def test_an_errata_sheet_corrects_its_handout() -> None:
    """A French erratum: "au lieu de $ŷ = 0{,}181$, lire $ŷ = … = 0{,}191$" — the math after "au lieu de" (instead
    of), "(et non $0{,}5$)" is what is corrected, not claimed; an inline $…$ goes on to a next line that starts with
    "=". On seed 002 ŷ = 0.14 × 0.85 + 0.15 × 0.48 = 0.191; the twins claim the misprint."""
    entry = ("\\item \\textbf{p.~52, éq.~(4.16)} : au lieu de $\\hat y = WRONG$, lire\n"
             "  $\\hat y = w_5 h_1 + w_6 h_2 = 0{,}14 \\times 0{,}85 + 0{,}15 \\times 0{,}48\n   = RIGHT$.\n")
    assert verdicts(SEED002, ("right", "out", entry.replace("WRONG", "0{,}181").replace("RIGHT", "0{,}191")),
                    ("twin", "out", entry.replace("WRONG", "0{,}191").replace("RIGHT", "0{,}181"))) == {
        "right": "correct", "twin": "incorrect"}
    step = ("le pas est $\\eta = 0{,}05$ (et non $0{,}5$) ; lire "
            "$w_5 \\leftarrow 0{,}14 - 0{,}05 \\times (-0{,}68765) = VALUE$.")
    assert verdicts(SEED002, ("right", "w5+", step.replace("VALUE", "0{,}1743825")),
                    ("twin", "w5+", step.replace("VALUE", "0{,}1056175"))) == {"right": "correct", "twin": "incorrect"}
