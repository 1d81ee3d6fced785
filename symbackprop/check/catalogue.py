"""Everything the checker says, in one place: each diagnosis kind with its priority, where it is detected and
its message in English and Chinese, and the notes on single lines.

A diagnosis names the first mistake of an answer; when several fit, the one with the lower priority number
is reported. Messages are `str.format` templates; `{expected}`, `{name}`… are LaTeX ($…$) or plain numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

LANGUAGES = ("en", "zh")


@dataclass(frozen=True)
class Entry:
    key: str
    en: str
    zh: str
    priority: int = 0  # diagnoses: the lower, the earlier reported
    detector: str = ""  # diagnoses: where it is found (judge.py, diagnose.py)


DIAGNOSES: tuple[Entry, ...] = (
    Entry("other_quantity", "this derives {what} ({quantity}); the question asks for {asked}",
          "这里推导的是 {what}（{quantity}），题目问的是 {asked}", 1, "judge.establish: a grounded chain about another "
          "quantity of the asked kind, none about the asked one"),
    Entry("incomplete", "no line gives {asked}: a value or a formula for it is missing",
          "没有任何一行给出 {asked}：缺少它的数值或公式", 2, "judge.establish: no chain about the asked quantity"),
    Entry("incomplete_factors", "{asked} is written as derivatives that no line evaluates: give each factor's value "
          "(or formula), or the result", "{asked} 只写成了偏导数的乘积，没有一行求出它们：请写出每个因子的值（或公式）或结果",
          3, "judge.establish: the chain about the asked quantity ends in derivatives no other line gives"),
    Entry("incomplete_arithmetic", "{asked} is left as arithmetic that is not worked out: give its value",
          "{asked} 只列出了算式，没有算出结果：请写出它的数值", 3,
          "judge.establish: numbers put in the formula, no member states a number"),
    Entry("incomplete_definition", "{asked} is only defined, not computed: with the network's numbers, give its value",
          "{asked} 只写出了定义，没有计算：请代入网络的数值，写出结果", 3,
          "judge.establish: a forward quantity's formula with no number put in, on a network with numbers"),
    Entry("per_weight_delta", "a per-weight δ (∂E/∂w of a weight downstream) is used where the per-neuron error term "
          "δ = ∂E/∂net is needed: each path carries the weight it crosses, not that weight's input",
          "把下游权重的“每个权重的 δ”（∂E/∂w）当成了神经元的误差项 δ = ∂E/∂net：每条路径应乘以它经过的权重，而不是该权重的输入",
          10, "diagnose: the weight factors of every path replaced by their inputs"),
    Entry("updated_weights", "updated weights were used in the backward pass; it must use the weights of the forward "
          "pass", "反向传播中用了更新后的权重；应当使用前向传播时的权重", 11,
          "diagnose: the downstream weights replaced by their updated values (symbols or numbers)"),
    Entry("missing_activation_derivative", "the activation derivative ∂out/∂net is missing (for a sigmoid: o(1 − o))",
          "缺少激活函数的导数 ∂out/∂net（sigmoid 为 o(1 − o)）", 12, "diagnose: the activation factors dropped"),
    Entry("missing_activation_derivative_layer", "the activation derivative of layer {layer} is missing",
          "缺少第 {layer} 层激活函数的导数", 13, "diagnose: one layer's activation factors dropped"),
    Entry("sign_flipped", "the sign is flipped: ∂E/∂o = o − t, not t − o", "符号反了：∂E/∂o = o − t，而不是 t − o", 14,
          "diagnose: −truth"),
    Entry("factor_two", "a factor 2: the ½ of the error cancels the 2 of the square",
          "多了因子 2：误差中的 ½ 与平方求导得到的 2 相消", 15, "diagnose: 2·truth"),
    Entry("factor_half", "a factor ½ too many", "多乘了 ½", 16, "diagnose: truth/2"),
    Entry("wrong_weight", "a wrong weight on a path: {used} in place of {right}",
          "路径上的权重错了：用了 {used}，应为 {right}", 17,
          "diagnose: one weight factor replaced by another weight of its layer (numbering slips), on one path or all"),
    Entry("wrong_input", "a wrong input factor: {used} in place of {right} (∂net/∂w is the input w multiplies)",
          "输入因子错了：用了 {used}，应为 {right}（∂net/∂w 是 w 所乘的输入）", 18,
          "diagnose: one input factor replaced by another input, on one path or all"),
    Entry("wrong_activation_derivative", "the derivative of {used} is used where the neuron's activation is {right}",
          "用了 {used} 的导数，而该神经元的激活函数是 {right}", 19, "diagnose: another activation's derivative"),
    Entry("missing_path", "a path from the error to this quantity is missing: {path} (every output it reaches "
          "contributes a term)", "漏掉了从误差到该量的一条路径：{path}（它影响的每个输出都贡献一项）", 18,
          "diagnose: the sum over the paths with one path left out"),
    Entry("swapped_inputs", "a product's gradient swaps: ∂{node}/∂{input} is the other factor, {right}, not {used}",
          "乘积的梯度要交换：∂{node}/∂{input} 是另一个因子 {right}，不是 {used}", 14,
          "circuit_check: one product's local gradient replaced by the input's own value"),
    Entry("local_missing", "the local gradient ∂{node}/∂{input} = {local} is missing: upstream × local",
          "缺少局部梯度 ∂{node}/∂{input} = {local}：上游梯度 × 局部梯度", 15,
          "circuit_check: one local gradient left out (taken as 1)"),
    Entry("sign_opposite", "the sign is flipped", "符号相反", 16, "circuit_check: the member is minus the truth"),
    Entry("one_sample", "one sample's gradient only: over the batch it is the {how} of every sample's",
          "只用了一个样本的梯度：整批的梯度是所有样本梯度的{how}", 18,
          "diagnose: the first sample's term of a batch gradient"),
    Entry("activation_derivative_wrong", "the activation's derivative is wrong: for {right}, ∂out/∂net is its own "
          "derivative at the net input", "激活函数的导数写错了：{right} 的 ∂out/∂net 是它在净输入处的导数", 19,
          "diagnose: a wrong line whose truth is a neuron's activation derivative"),
    Entry("activation_for_derivative", "the activation itself is used where its derivative belongs (∂out/∂net)",
          "用了激活函数本身，而应该用它的导数 ∂out/∂net", 19, "diagnose: each activation factor replaced by the output"),
    Entry("update_sign", "the update goes against the gradient: w − η·∂E/∂w, not w + η·∂E/∂w",
          "更新方向反了：应为 w − η·∂E/∂w，而不是 w + η·∂E/∂w", 20, "diagnose: w + η·g"),
    Entry("missing_learning_rate", "the learning rate η is missing: w − η·∂E/∂w", "缺少学习率 η：w − η·∂E/∂w", 21,
          "diagnose: w − g"),
    Entry("wrong_substituted_value", "{number} is the value of {names}, not of a factor of this formula",
          "{number} 是 {names} 的值，不是这个公式中任何因子的值", 30,
          "judge.factors_wrong: a decimal that rounds another quantity of the network"),
    Entry("arithmetic_slip", "the formula before it is right; the arithmetic is not: {shown}, the true value is"
          " {value}",
          "前一步的公式正确，但计算有误：{shown}，正确值为 {value}", 31,
          "judge.number / diagnose: a wrong number after a right formula"),
    Entry("wrong_value", "{shown} is not the asked value: it is {value}", "{shown} 不是所求的值：正确值为 {value}", 35,
          "diagnose: a wrong number with no formula before it"),
    Entry("unknown_factor", "{number} is not the value of any factor of the formula it substitutes into",
          "{number} 不是所代入公式中任何因子的值", 32, "judge.factors_wrong"),
    Entry("too_few_digits", "{number} gives {digits} significant digit(s) of the true value {value}; at least "
          "{wanted} are needed", "{number} 只给出了真值 {value} 的 {digits} 位有效数字；至少需要 {wanted} 位", 33,
          "judge.number: places written against the true value's magnitude"),
    Entry("follows_wrong_line", "{number} follows from the wrong line before it; the true value is {value}",
          "{number} 是由前面错误的一行算出的；正确值为 {value}", 34, "judge.chain: a rounding after a wrong member"),
    Entry("rounding_drift", "{number} follows from the rounded numbers before it; the exact value is {value}",
          "{number} 由前面四舍五入后的数算出；精确值为 {value}", 40, "judge.number (a verdict ≈, not an error)"),
    Entry("different", "expected {expected}: {detail}", "应为 {expected}：{detail}", 90,
          "diagnose: no known slip fits; the factors that differ"),
)

NOTES: tuple[Entry, ...] = (
    Entry("equal_symbolic", "equal to the truth (shown symbolically)", "与正确结果相等（符号化简证明）"),
    Entry("equal_values", "equal to the truth (equal values at {n} points)", "与正确结果相等（在 {n} 个点取值相同）"),
    Entry("mention", "a number mentioned after the answer, not a claim about the asked quantity",
          "答案之后提到的数，不是所求量的结论"),
    Entry("label", "a name standing alone before the next line: a label, not a claim", "单独写出的名称（标题），不是结论"),
    Entry("equal_given", "equal to the truth with {names} at their given values", "在 {names} 取给定值时与正确结果相等"),
    Entry("equal_rounded", "equal to the truth, reading {names}", "与正确结果相等（其中 {names}）"),
    Entry("not_equal", "not equal to {expected}", "不等于 {expected}"),
    Entry("defines_as", "defines {name} as {quantity}", "定义 {name} 为 {quantity}"),
    Entry("defines_own", "defines {name} (the student's own name)", "定义 {name}（学生自己的记号）"),
    Entry("defines_convention", "defines {name} with the opposite sign (δ = −∂E/∂net, the t − o convention); the "
          "lines after it are judged by that definition", "以相反的符号定义 {name}（δ = −∂E/∂net，即 t − o 的约定）；"
          "其后各行按此定义评判"),
    Entry("net_for_out", "the activation's derivative is written in the net input where the output belongs "
          "(σ′(net) = out(1 − out), not net(1 − net))", "激活函数的导数用了净输入，应当用输出（σ′(net) = out(1 − out)，"
          "而不是 net(1 − net)）"),
    Entry("substituted_for", "{number} stands where {name} belongs: with that value the line gives the truth",
          "{number} 写在了 {name} 应在的位置：换成该值，这一行就得到正确结果"),
    Entry("algebra_slip", "the line before it is right; rewriting it went wrong: expected {expected}",
          "前一步正确，但化简或展开出错：应为 {expected}"),
    Entry("updated_numbers", "{numbers} are weights after their update, where {names} (before the update) belong: "
          "the backward pass uses the weights of the forward pass", "{numbers} 是更新后的权重，这里应为更新前的 {names}："
          "反向传播使用前向传播时的权重"),
    Entry("updated_number", "{number} is a weight after its update, where {name} (before the update) belongs: the "
          "backward pass uses the weights of the forward pass", "{number} 是更新后的权重，这里应为更新前的 {name}："
          "反向传播使用前向传播时的权重"),
    Entry("one_sample_loss", "one sample's loss only: over the batch the loss is the {how} of every sample's",
          "只算了一个样本的损失：整批的损失是所有样本损失的{how}"),
    Entry("missing_output_term", "the term of {path} is missing: the loss sums over every output",
          "漏掉了 {path} 的那一项：损失要对每个输出求和"),
    Entry("numbering_slip", "this derives {what} ({quantity}): {used} taken for {right}, a numbering slip; the "
          "question asks for {asked}", "这里推导的是 {what}（{quantity}）：把 {used} 当成了 {right}（编号错误）；题目问的是 "
          "{asked}"),
    Entry("the_quantity", "the quantity {name}", "所求的量 {name}"),
    Entry("number_right", "{number} is the true value {value} to {places} decimals", "{number} 是真值 {value} 保留"
          " {places} 位小数"),
    Entry("number_wrong", "{number} is not {value} to {places} decimals", "{number} 不是 {value} 保留 {places} 位小数的结果"),
    Entry("arithmetic_right", "= {shown}, the true value {value} within the rounding of the numbers used",
          "= {shown}，在所用数字的舍入误差内等于真值 {value}"),
    Entry("arithmetic_rounding", "= {shown} follows from the rounded numbers before it; the exact value is {value}",
          "= {shown} 由前面四舍五入后的数算出；精确值为 {value}"),
    Entry("arithmetic_wrong", "= {shown}, but the true value is {value}", "= {shown}，但真值为 {value}"),
    Entry("symbolic_network_number", "a number, but the network is symbolic", "这是一个数，但网络是符号化的"),
    Entry("not_real", "not a real number", "不是实数"),
    Entry("unknown_name", "unknown name {name}: not a quantity of the network and not defined on an earlier line",
          "未知的记号 {name}：既不是网络中的量，也没有在前面定义"),
    Entry("unknown_symbol", "unknown symbol {name}", "未知的符号 {name}"),
    Entry("partial_not_quantity", "{what}: {name} must name a quantity of the network", "{what}：{name} 必须是网络中的量"),
    Entry("partial_of_delta", "{what}: an error term δ is not a node of the network", "{what}：误差项 δ 不是网络中的节点"),
    Entry("function_arity", "{name} takes one argument", "{name} 只接受一个参数"),
    Entry("which_activation", "cannot tell which activation {name}(…) is here", "无法确定这里的 {name}(…) 是哪个激活函数"),
    Entry("time_limit", "judging took longer than {limit} s (after {elapsed} s)", "评判超过了 {limit} 秒（用时 {elapsed} 秒）"),
    Entry("not_a_matrix", "not readable as the {rows}×{cols} matrix of the chain", "无法读作该链中的 {rows}×{cols} 矩阵"),
    Entry("matrix_names", "{name} is a matrix, written here with names only: write its entries (bmatrix) to have "
          "the line checked", "{name} 是矩阵，这里只用记号写出：写出其各个元素（bmatrix）才能检查这一行"),
    Entry("entry_of_scalar", "an entry (…)_k of something that is not a vector or a matrix of the network",
          "（…）_k 取元素的对象不是网络的向量或矩阵"),
    Entry("entry_outside", "an entry outside the {rows}×{cols} matrix", "元素超出了 {rows}×{cols} 矩阵的范围"),
    Entry("matrix_sum", "a matrix expression we cannot read: write its entries", "无法读取的矩阵表达式：请写出各个元素"),
    Entry("matrix_reading", "a matrix written with layer names, in a numbering of the layers we do not read",
          "用层记号写出的矩阵，其层的编号方式无法读取"),
    Entry("in_place", "{name} is updated in place: its earlier value is not on the line",
          "{name} 被原地更新：这一行没有写出它原来的值"),
    Entry("unchecked", "not checked ({reason}); the answer is judged by its other lines",
          "未检查（{reason}）；答案按其余各行评判"),
    Entry("too_large", "the expression is too large to judge", "表达式太大，无法评判"),
    Entry("cannot_judge", "cannot judge this answer ({reason})", "无法评判此答案（{reason}）"),
    Entry("summary", "{k} of {n} answers correct", "{n} 个答案中 {k} 个正确"),
    Entry("correct_line", "correct", "正确写法"),
)

_BY_KEY = {e.key: e for e in DIAGNOSES + NOTES}
PRIORITY = {e.key: e.priority for e in DIAGNOSES}


def say(key: str, lang: str = "en", **params: Any) -> str:
    """The message `key` in `lang`, its {placeholders} filled."""
    entry = _BY_KEY[key]
    return (entry.zh if lang == "zh" else entry.en).format(**params)
