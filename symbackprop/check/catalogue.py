"""Everything the checker says, in one place: each diagnosis kind with its priority, where it is detected and
its message in English and Chinese, and the notes on single lines.

A diagnosis names the first mistake of an answer; when several fit, the one with the lower priority number
is reported. Messages are `str.format` templates; `{expected}`, `{name}`… are LaTeX ($…$) or plain numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import SpecError

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
    Entry("incomplete_carried", "{asked} is written with {answer}, which an earlier answer got wrong: work {answer} "
          "out correctly (its value or formula), then the result",
          "{asked} 用到了 {answer}，而前面的答案把它算错了：请正确求出 {answer}（数值或公式），再给出结果",
          3, "judge.establish: the chain about the asked quantity ends in a derivative an earlier answer got wrong"),
    Entry("incomplete_factors", "{asked} is written as derivatives that no line evaluates: give each factor's value "
          "(or formula), or the result", "{asked} 只写成了偏导数的乘积，没有一行求出它们：请写出每个因子的值（或公式）或结果",
          3, "judge.establish: the chain about the asked quantity ends in derivatives no other line gives"),
    Entry("incomplete_arithmetic", "{asked} is left as arithmetic that is not worked out: give its value",
          "{asked} 只列出了算式，没有算出结果：请写出它的数值", 3,
          "judge.establish: numbers put in the formula, no member states a number"),
    Entry("incomplete_definition", "{asked} is only defined, not computed: with the network's numbers, give its value",
          "{asked} 只写出了定义，没有计算：请代入网络的数值，写出结果", 3,
          "judge.establish: a forward quantity's formula with no number put in, on a network with numbers"),
    Entry("incomplete_value", "{asked} is given as a formula only: this answer asks for its value (require_value)",
          "{asked} 只给出了公式：本题要求写出数值（require_value）", 3,
          "judge.establish: on a network with numbers, with grading.require_value, no member about it is a number"),
    Entry("per_weight_delta", "a per-weight δ (∂E/∂w of a weight downstream) is used where the per-neuron error term "
          "δ = ∂E/∂net is needed: each path carries the weight it crosses, not that weight's input",
          "把下游权重的“每个权重的 δ”（∂E/∂w）当成了神经元的误差项 δ = ∂E/∂net：每条路径应乘以它经过的权重，而不是该权重的输入",
          10, "diagnose: the weight factors of every path replaced by (or multiplied by) their inputs"),
    Entry("per_weight_bias", "a bias's gradient is its neuron's error term δ = ∂E/∂net (∂net/∂b = 1), not the sum of "
          "the gradients ∂E/∂w of the weights into that neuron", "偏置的梯度就是其神经元的误差项 δ = ∂E/∂net（∂net/∂b = 1），"
          "而不是进入该神经元的各权重梯度 ∂E/∂w 之和", 10,
          "diagnose: a bias's gradient written as the sum of the gradients of the weights beside it"),
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
          "diagnose: one weight factor replaced by another weight of its layer (numbering slips), on one path or all; "
          "at a later step, weights of before the last update"),
    Entry("wrong_input", "a wrong input factor: {used} in place of {right} (∂net/∂w is the input w multiplies)",
          "输入因子错了：用了 {used}，应为 {right}（∂net/∂w 是 w 所乘的输入）", 18,
          "diagnose: one input factor replaced by another input, on one path or all"),
    Entry("wrong_activation_derivative", "the derivative of {used} is used where the neuron's activation is {right}",
          "用了 {used} 的导数，而该神经元的激活函数是 {right}", 19, "diagnose: another activation's derivative"),
    Entry("missing_path", "a path from the error to this quantity is missing: {path} (every output it reaches "
          "contributes a term)", "漏掉了从误差到该量的一条路径：{path}（它影响的每个输出都贡献一项）", 18,
          "diagnose: the sum over the paths with one path left out"),
    Entry("extra_path", "paths that do not reach this weight are added: it feeds one neuron, so only the path "
          "through that neuron counts (no sum over the layer's neurons)",
          "加上了到不了该权重的路径：该权重只连接一个神经元，只有经过它的那条路径（不对该层的神经元求和）", 18,
          "diagnose: the gradients of every weight from the same source into the layer, summed"),
    Entry("extra_units_bias", "the error terms of neurons this bias does not feed are added: its gradient sums the "
          "error terms of its own neurons only", "加上了该偏置不连接的神经元的误差项：偏置的梯度只对它所连接的神经元的误差项求和",
          18, "diagnose: the error terms of every neuron with a bias, summed, for one bias"),
    Entry("summed_weights", "the weights from every neuron of the layer are summed where only this neuron's own "
          "weight carries the error back to it (the other neurons' paths do not pass through it)",
          "把该层所有神经元的权重加在一起：只有本神经元自己的那个权重把误差传回给它（其他神经元的路径不经过它）", 18,
          "diagnose: every weight into the next neuron summed in place of each path's own weight"),
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
    Entry("two_names", "two names of one parameter (the sheet's notation), not a claim about its value",
          "同一参数的两个名称（记号说明），不是关于其值的结论"),
    Entry("set_named", "a set of units named in braces (L = {{Ω}}), not a claim about a quantity",
          "用花括号命名的一组神经元（如 L = {{Ω}}），不是关于某个量的结论"),
    Entry("side_arithmetic", "arithmetic on the way, judged as arithmetic: a later line states the answer",
          "中间计算，仅检查算术：答案由后面的行给出"),
    Entry("factor_worked", "a number used on a line above, worked out: judged against that number",
          "上文用到的数，此处展开计算：按该数检查"),
    Entry("rule", "a definition for every unit at once: its lines with a unit's index are read through it",
          "对所有单元同时给出的定义：带单元下标的名称按此定义理解"),
    Entry("equal_given", "equal to the truth with {names} at their given values", "在 {names} 取给定值时与正确结果相等"),
    Entry("equal_rounded", "equal to the truth, reading {names}", "与正确结果相等（其中 {names}）"),
    Entry("equal_worked", "equal to the truth at the network's numbers ({shown} for {value}): some of it worked out",
          "在网络的数值下与正确结果相等（{shown}，正确值 {value}）：部分已代入计算"),
    Entry("not_equal", "not equal to {expected}", "不等于 {expected}"),
    Entry("defines_as", "defines {name} as {quantity}", "定义 {name} 为 {quantity}"),
    Entry("defines_own", "defines {name} (the student's own name)", "定义 {name}（学生自己的记号）"),
    Entry("defines_convention", "defines {name} with the opposite sign (δ = −∂E/∂net, the t − o convention); the "
          "lines after it are judged by that definition", "以相反的符号定义 {name}（δ = −∂E/∂net，即 t − o 的约定）；"
          "其后各行按此定义评判"),
    Entry("derivative_at_output", "the activation's derivative is taken at the output where the net input belongs "
          "(σ′(net) = out(1 − out), not σ′(out))", "激活函数的导数在输出处取值，应当在净输入处取值（σ′(net) = "
          "out(1 − out)，而不是 σ′(out)）"),
    Entry("output_derivative_repeated", "the output neuron's activation derivative is written again where the hidden "
          "neuron's belongs (σ′(net_h) = out_h(1 − out_h))", "在隐藏神经元的位置又写了一次输出神经元的激活导数"
          "（应为 σ′(net_h) = out_h(1 − out_h)）"),
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
    Entry("batch_sum", "a factor of the batch's size: the sum over the batch, where the loss is the mean of every "
          "sample's, and so is its gradient",
          "对整批求了和：损失是各样本损失的平均，梯度也应取平均"),
    Entry("missing_output_term", "the term of {path} is missing: the loss sums over every output",
          "漏掉了 {path} 的那一项：损失要对每个输出求和"),
    Entry("missing_bias", "the bias {bias} is left out of the net input, which sums the weighted inputs and the "
          "bias", "净输入漏掉了偏置 {bias}：净输入是加权输入与偏置之和"),
    Entry("delta_is_output_gradient", "this derives {what} ({quantity}), the error's derivative by the neuron's "
          "output; {asked} is by its net input: the activation derivative ∂out/∂net is missing",
          "这里推导的是 {what}（{quantity}），即误差对神经元输出的导数；{asked} 是对净输入的导数：缺少激活函数的导数 "
          "∂out/∂net"),
    Entry("numbering_slip", "this derives {what} ({quantity}): {used} taken for {right}, a numbering slip; the "
          "question asks for {asked}", "这里推导的是 {what}（{quantity}）：把 {used} 当成了 {right}（编号错误）；题目问的是 "
          "{asked}"),
    Entry("stale_values", "{names} taken at their values before the last update ({old}); at this step they are "
          "{new}: each step uses the values of its own forward pass", "{names} 用了上一次更新之前的值（{old}）；这一步它们是 "
          "{new}：每一步都要用本步前向传播的值"),
    Entry("the_quantity", "the quantity {name}", "所求的量 {name}"),
    Entry("number_right", "{number} is the true value {value} to {places} decimals", "{number} 是真值 {value} 保留"
          " {places} 位小数"),
    Entry("number_double", "{number} is the true value {value} as a program's floating-point arithmetic prints it",
          "{number} 是真值 {value}（程序浮点运算的输出）"),
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
    Entry("function_layer", "{name}^{layer}(…) is the transfer function of layer {layer}, but {argument} is a net "
          "input of layer {own}", "{name}^{layer}(…) 是第 {layer} 层的传输函数，但 {argument} 是第 {own} 层的净输入"),
    Entry("which_activation", "cannot tell which activation {name}(…) is here", "无法确定这里的 {name}(…) 是哪个激活函数"),
    Entry("time_limit", "judging took longer than {limit} s (after {elapsed} s)", "评判超过了 {limit} 秒（用时 {elapsed} 秒）"),
    Entry("not_a_matrix", "not readable as the {rows}×{cols} matrix of the chain", "无法读作该链中的 {rows}×{cols} 矩阵"),
    Entry("class_label", "{name} = {k} says which class is the right one (the one-hot target), not a value to check",
          "{name} = {k} 表示正确的类别（独热目标），不是要检查的数值"),
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
    Entry("unread_substitution", "{line}: the numbers are put into a formula that cannot be read ({reason}), and "
          "the lines after it follow from them", "{line}：数值代入了无法读取的式子（{reason}），其后各行由此而来"),
    Entry("too_large", "the expression is too large to judge", "表达式太大，无法评判"),
    Entry("cannot_judge", "cannot judge this answer ({reason})", "无法评判此答案（{reason}）"),
    Entry("summary", "{k} of {n} answers correct", "{n} 个答案中 {k} 个正确"),
    Entry("correct_line", "correct", "正确写法"),
    # an answers file's quantity that the network has not (a SpecError: the file is unusable)
    Entry("quantity_derivative", "expected dE/d<param>, got {quantity}", "应为 dE/d<参数>，而不是 {quantity}"),
    Entry("quantity_unknown", "unknown quantity {quantity}; expected {expected}", "未知的量 {quantity}；应为 {expected}"),
    Entry("quantity_unknown_graph", "unknown quantity {quantity}; expected {expected}, the quantities being {names}",
          "未知的量 {quantity}；应为 {expected}，图中的量为 {names}"),
    Entry("quantity_not_param", "{quantity}: {name} is not a parameter of the network; expected one of {names}",
          "{quantity}：{name} 不是网络的参数；应为以下之一：{names}"),
    Entry("quantity_no_neuron", "{quantity}: no neuron {neuron}; expected one of {names}",
          "{quantity}：没有神经元 {neuron}；应为以下之一：{names}"),
    Entry("quantity_batch", "{quantity}: with several samples ([[graph.samples]]) check asks about the batch: "
          "expected {expected}", "{quantity}：有多个样本（[[graph.samples]]）时只检查整批的量：应为 {expected}"),
    Entry("quantity_update", "{quantity}: expected a parameter of the graph followed by + (and a learning_rate in "
          "the spec)", "{quantity}：应为图中的参数后接 +（且规格中有 learning_rate）"),
    Entry("quantity_help", "dE/d<param>, <param>+ (updated value), E (loss), <neuron> (its output), net_<neuron>, "
          "delta_<neuron>, dE/d<neuron>, dE/dnet_<neuron>", "dE/d<参数>、<参数>+（更新后的值）、E（损失）、<神经元>（其输出）、"
          "net_<神经元>、delta_<神经元>、dE/d<神经元>、dE/dnet_<神经元>"),
    Entry("graph_quantity_help", "d<output>/d<quantity> (or dE/d<quantity>), <quantity> (its value), <param>+ "
          "(updated value)", "d<输出>/d<量>（或 dE/d<量>）、<量>（其值）、<参数>+（更新后的值）"),
    Entry("batch_help", "d<output>/d<param> (the batch's gradient), <output> (the batch loss), <param>+",
          "d<输出>/d<参数>（整批的梯度）、<输出>（整批的损失）、<参数>+"),
)

class Phrase(str):
    """Words standing in a message (a token's description, a hint): the English text, with its Chinese in `.zh`.
    A str, so the English message is built from it unchanged; `say` puts in the Chinese when lang is "zh"."""

    zh: str

    def __new__(cls, en: str, zh: str) -> Phrase:
        obj = super().__new__(cls, en)
        obj.zh = zh
        return obj

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]
        return str(self), self.zh


#: the answer reader's errors (check/tokens.py … parse.py): a ParseError's message is one of these followed by
#: "at_position"; a Refused's message is one of these. Their parameters are LaTeX, numbers or Phrases.
READER: tuple[Entry, ...] = (
    Entry("at_position", "{what} at line {line}, column {column}", "{what}（第 {line} 行第 {column} 列）"),
    Entry("read_time", "the answer took longer than {limit} s to read", "读取答案超过了 {limit} 秒"),
    Entry("too_long", "the answer is longer than {limit} characters ({length})", "答案超过 {limit} 个字符（共 {length} 个）"),
    Entry("unsupported", "{hint}", "{hint}"),
    Entry("missing_before", "missing expression before {token}", "{token} 之前缺少表达式"),
    Entry("missing_between", "missing expression between two relations at {token}", "{token} 处两个关系符之间缺少表达式"),
    Entry("missing_after", "missing expression after {token}", "{token} 之后缺少表达式"),
    Entry("matrix_scalar_chain", "a {shape} matrix and a scalar in one chain: the members of a chain must have the same "
          "shape", "同一链中既有 {shape} 矩阵又有标量：链中各项的形状必须相同"),
    Entry("matrix_shapes_chain", "a {first} and a {second} matrix in one chain: the members of a chain must have the "
          "same shape", "同一链中有 {first} 矩阵和 {second} 矩阵：链中各项的形状必须相同"),
    Entry("not_closed_before", "{token} at line {open_line}, column {open_column} is not closed before {what}",
          "第 {open_line} 行第 {open_column} 列的 {token} 在 {what} 之前没有闭合"),
    Entry("math_delimiter_inside", "unexpected {token}: math delimiters may only wrap the whole answer",
          "意外的 {token}：数学定界符只能包住整个答案"),
    Entry("math_mismatch", "{token} does not close {opened} at line {open_line}, column {open_column}",
          "{token} 不能闭合第 {open_line} 行第 {open_column} 列的 {opened}"),
    Entry("env_not_closed_math", "\\begin{{{env}}} is not closed before the end of the math",
          "\\begin{{{env}}} 在数学公式结束前没有闭合"),
    Entry("outside_math", "{token} outside the math delimiters", "{token} 在数学定界符之外"),
    Entry("env_hint", "unsupported environment {env}: {hint}", "不支持的环境 {env}：{hint}"),
    Entry("env_unknown", "unsupported environment {env} (only {known})", "不支持的环境 {env}（只支持 {known}）"),
    Entry("end_without_begin", "\\end{{{env}}} without \\begin", "\\end{{{env}}} 没有对应的 \\begin"),
    Entry("end_mismatch", "\\end{{{env}}} does not match \\begin{{{begun}}} at line {open_line}, column {open_column}",
          "\\end{{{env}}} 与第 {open_line} 行第 {open_column} 列的 \\begin{{{begun}}} 不匹配"),
    Entry("never_closed", "{token} is never closed", "{token} 没有闭合"),
    Entry("env_never_closed", "\\begin{{{env}}} is never closed", "\\begin{{{env}}} 没有闭合"),
    Entry("hardsep_in_brackets", "unexpected {token} inside brackets", "括号内出现了意外的 {token}"),
    Entry("relation_in_matrix", "{token} inside a matrix: a matrix holds expressions; write equations one per line "
          "(in aligned) or between matrices", "矩阵中出现了 {token}：矩阵只能包含表达式；请每行写一个等式（用 aligned）或写在矩阵之间"),
    Entry("unexpected", "unexpected {token}", "意外的 {token}"),
    Entry("unexpected_expected", "unexpected {token} (expected {expected})", "意外的 {token}（此处应为 {expected}）"),
    Entry("ends_early", "the expression ends too early", "表达式过早结束"),
    Entry("ends_early_expected", "the expression ends too early (expected {expected})", "表达式过早结束（此处应为 {expected}）"),
    Entry("set_in", "\\in: sets cannot be checked (only \\sum_{{k \\in outputs}})",
          "\\in：无法检查集合（只支持 \\sum_{{k \\in outputs}}）"),
    Entry("unexpected_input", "unexpected input", "意外的输入"),
    Entry("matrix_here", "a {shape} matrix cannot stand here (matrices can be multiplied, added, transposed and given "
          "to a function)", "{shape} 矩阵不能出现在这里（矩阵只能相乘、相加、转置或作为函数的参数）"),
    Entry("partial_alone", "\\partial must be written as \\frac{{\\partial A}}{{\\partial B}} or \\partial A/\\partial B",
          "\\partial 必须写成 \\frac{{\\partial A}}{{\\partial B}} 或 \\partial A/\\partial B"),
    Entry("function_no_argument", "function {name} without an argument", "函数 {name} 缺少参数"),
    Entry("operator_alone", "the operator \\frac{{\\partial}}{{\\partial w}} must be followed by what it differentiates",
          "算子 \\frac{{\\partial}}{{\\partial w}} 后面必须跟着被求导的式子"),
    Entry("differential", "a differential (\\mathrm{{d}}E = … \\mathrm{{d}}y) is not checked: write the derivative "
          "\\frac{{\\partial E}}{{\\partial y}}", "不检查微分式（\\mathrm{{d}}E = … \\mathrm{{d}}y）：请写出导数 "
          "\\frac{{\\partial E}}{{\\partial y}}"),
    Entry("cannot_read", "cannot read this expression", "无法读取这个表达式"),
    Entry("matmul_shapes", "cannot multiply a {a} matrix by a {b} matrix (the first needs as many columns as the second "
          "has rows)", "无法将 {a} 矩阵乘以 {b} 矩阵（前者的列数必须等于后者的行数）"),
    Entry("matrix_nodes", "matrix arithmetic that makes more than {limit} expression nodes (line {line}, column "
          "{column})", "矩阵运算产生的表达式节点超过 {limit} 个（第 {line} 行第 {column} 列）"),
    Entry("add_shapes", "cannot add a {a} matrix and a {b} matrix", "无法将 {a} 矩阵与 {b} 矩阵相加"),
    Entry("odot_shapes", "an element-wise product (\\odot) of a {a} matrix and a {b} matrix: the shapes must be the "
          "same", "{a} 矩阵与 {b} 矩阵的逐元素乘积（\\odot）：两者的形状必须相同"),
    Entry("exponent_too_large", "an exponent larger than {limit} in absolute value (line {line}, column {column})",
          "指数的绝对值大于 {limit}（第 {line} 行第 {column} 列）"),
    Entry("exponent_not_finite", "the exponent is not a finite number", "指数不是有限数"),
    Entry("not_finite", "not a finite number", "不是有限数"),
    Entry("matrix_power", "a power of a {shape} matrix cannot be checked (write the product; ^T is a transpose)",
          "无法检查 {shape} 矩阵的幂（请写成乘积；^T 表示转置）"),
    Entry("power_digits", "a power whose value has too many digits (line {line}, column {column})",
          "幂的值位数太多（第 {line} 行第 {column} 列）"),
    Entry("function_shapes", "the arguments of {name} are a {a} and a {b} matrix", "{name} 的参数分别是 {a} 矩阵和 {b} 矩阵"),
    Entry("max_arguments", "\\max needs at least two arguments: \\max(0, x)", "\\max 至少需要两个参数：\\max(0, x)"),
    Entry("one_argument", "{name} takes one argument", "{name} 只接受一个参数"),
    Entry("derivative_one_name", "a derivative must be with respect to one name (mixed, higher-order derivatives and "
          "derivatives with respect to an expression are not supported)",
          "导数必须是对单个名称求导（不支持混合导数、高阶导数以及对表达式求导）"),
    Entry("derivative_form", "write the derivative as \\frac{{\\partial A}}{{\\partial B}}",
          "请把导数写成 \\frac{{\\partial A}}{{\\partial B}}"),
    Entry("higher_order", "higher-order derivatives are not supported", "不支持高阶导数"),
    Entry("accent_one_name", "the accent {accent} must be on one name (\\hat{{y}}, \\bar{{x}}_1)",
          "重音符号 {accent} 必须加在单个名称上（\\hat{{y}}、\\bar{{x}}_1）"),
    Entry("two_accents", "two accents on one name", "一个名称上有两个重音符号"),
    Entry("numerator_partial", "the numerator of \\frac{{\\partial A}}{{\\partial B}} must start with \\partial",
          "\\frac{{\\partial A}}{{\\partial B}} 的分子必须以 \\partial 开头"),
    Entry("divide_matrix", "cannot divide by a {shape} matrix", "不能除以 {shape} 矩阵"),
    Entry("matrix_too_large", "a matrix larger than {limit}×{limit} (line {line}, column {column})",
          "矩阵大于 {limit}×{limit}（第 {line} 行第 {column} 列）"),
    Entry("row_lengths", "the rows of this matrix have different lengths ({first} and {other})",
          "该矩阵各行的长度不同（{first} 和 {other}）"),
    Entry("block_matrix", "a matrix inside a matrix (a block matrix) cannot be checked: write its entries",
          "无法检查矩阵中的矩阵（分块矩阵）：请写出其各个元素"),
    Entry("root_zero", "a root of index 0", "根指数为 0"),
    Entry("transpose_partial", "a transpose of \\partial", "对 \\partial 取了转置"),
    Entry("partial_script", "\\partial with a script: higher-order derivatives are not supported",
          "\\partial 带有上下标：不支持高阶导数"),
    Entry("operator_script", "a script on the operator \\frac{{\\partial}}{{\\partial w}}: higher-order derivatives are "
          "not supported", "算子 \\frac{{\\partial}}{{\\partial w}} 带有上下标：不支持高阶导数"),
    Entry("power_after_argument", "only a power can follow a function's argument", "函数的参数后面只能跟幂"),
    Entry("double_subscript", "double subscript", "重复的下标"),
    Entry("double_superscript", "double superscript", "重复的上标"),
    Entry("unexpected_call", "unexpected function call", "意外的函数调用"),
    Entry("dot_rule", "\\dot{{f}}^{layer}({name}) states the rule of layer {layer}'s transfer function for any {name}, "
          "not a value of the network (a value is written with its layer, n^{layer}_1)",
          "\\dot{{f}}^{layer}({name}) 是第 {layer} 层传输函数对任意 {name} 的规则，不是网络中的某个值"
          "（数值要写出带层号的参数，如 n^{layer}_1）"),
    Entry("superscript_before_argument", "a superscript between a function and its argument", "函数与其参数之间有上标"),
    Entry("script_on", "a subscript, prime or name superscript on {what}", "{what}上带有下标、撇号或名称上标"),
    Entry("matrix_name_superscript", "a name superscript on a matrix needs one name without a superscript in each "
          "entry", "矩阵上的名称上标要求每个元素都是一个不带上标的名称"),
    Entry("expression_name_superscript", "a name superscript on an expression needs names without a superscript in it",
          "表达式上的名称上标要求其中的名称都不带上标"),
    Entry("function_power", "only a positive whole power can stand between a function and its argument, as in "
          "\\tanh^2(x) (an inverse such as \\sigma^{{-1}} is not supported)",
          "函数与其参数之间只能是正整数次幂，如 \\tanh^2(x)（不支持 \\sigma^{{-1}} 这样的反函数）"),
    Entry("numbers_side_by_side", "two numbers side by side: write \\times or \\cdot between them",
          "两个数并排：请在它们之间写 \\times 或 \\cdot"),
    Entry("digits_in_all", "numbers with too many digits in all (line {line}, column {column})",
          "数字的总位数太多（第 {line} 行第 {column} 列）"),
    Entry("sum_limits", "\\sum needs an index and integer limits, e.g. \\sum_{{i=1}}^{{2}}",
          "\\sum 需要求和下标和整数上下限，例如 \\sum_{{i=1}}^{{2}}"),
    Entry("sum_set_twice", "a \\sum over the set {{{values}}} lists a value twice", "\\sum 的集合 {{{values}}} 中有重复的值"),
    Entry("sum_set", "a \\sum over the set {over} cannot be expanded: write \\sum_{{k=1}}^{{2}}",
          "无法展开对集合 {over} 的 \\sum：请写成 \\sum_{{k=1}}^{{2}}"),
    Entry("sum_lower", "the lower limit of \\sum must be like i=1", "\\sum 的下限应形如 i=1"),
    Entry("sum_upper", "the upper limit of \\sum must be a whole number", "\\sum 的上限必须是整数"),
    Entry("sum_terms", "a sum of more than {limit} terms (line {line}, column {column})",
          "求和超过 {limit} 项（第 {line} 行第 {column} 列）"),
    Entry("sum_nodes", "sums that expand to more than {limit} expression nodes", "求和展开后超过 {limit} 个表达式节点"),
    Entry("sum_no_index_over", "\\sum without an index over {letters}: write \\sum_{{i=1}}^{{{n}}}",
          "\\sum 没有写明对 {letters} 求和的下标：请写成 \\sum_{{i=1}}^{{{n}}}"),
    Entry("sum_no_index", "\\sum without an index: none of its names can be numbered; write \\sum_{{k=1}}^{{2}} ..._k",
          "\\sum 没有求和下标，且其中的名称都无法编号：请写成 \\sum_{{k=1}}^{{2}} ..._k"),
    Entry("too_deep", "the expression is too deeply nested", "表达式嵌套太深"),
    Entry("cannot_build", "cannot build this expression ({error}: {detail})", "无法构造这个表达式（{error}：{detail}）"),
    Entry("not_expression", "not an expression", "不是表达式"),
    Entry("intertext_braces", "\\intertext needs its text in braces: \\intertext{{where $x = 1$}}",
          "\\intertext 的文字必须写在花括号中：\\intertext{{where $x = 1$}}"),
    Entry("note_needed", "{cmd} needs a braced term and a note after it: {cmd}{{x}}_{{\\text{{...}}}}",
          "{cmd} 后面需要一个花括号中的项和一个注释：{cmd}{{x}}_{{\\text{{...}}}}"),
    Entry("note_braced", "the note of {cmd} must be braced: {cmd}{{x}}_{{\\text{{...}}}}",
          "{cmd} 的注释必须写在花括号中：{cmd}{{x}}_{{\\text{{...}}}}"),
    Entry("sizer_twice", "\\{name} after \\{previous}", "\\{previous} 之后又出现了 \\{name}"),
    Entry("unknown_command", "unknown command {cmd}", "未知的命令 {cmd}"),
    Entry("unsupported_command", "unsupported command {cmd}", "不支持的命令 {cmd}"),
    Entry("ellipsis", "an ellipsis cannot be checked: write every term", "无法检查省略号：请写出每一项"),
    Entry("unexpected_char", "unexpected character '{char}'", "意外的字符“{char}”"),
    Entry("unexpected_char_prose", "unexpected character '{char}' (prose must be inside \\text{{...}})",
          "意外的字符“{char}”（文字必须写在 \\text{{...}} 中）"),
    Entry("unexpected_codepoint", "unexpected character U+{code}", "意外的字符 U+{code}"),
    Entry("sizer_bracket_got", "\\{cmd} must be followed by a bracket: ( ) [ ] \\{{ \\}} (got {token})",
          "\\{cmd} 后面必须跟括号：( ) [ ] \\{{ \\}}（这里是 {token}）"),
    Entry("sizer_bracket", "\\{cmd} must be followed by a bracket", "\\{cmd} 后面必须跟括号"),
    Entry("number_digits", "a number with more than {limit} digits at line {line}, column {column}",
          "数字超过 {limit} 位（第 {line} 行第 {column} 列）"),
    Entry("absolute_sizer", "\\{cmd}{bar}: absolute values are not supported (\\{cmd} must be followed by a bracket, or "
          "be an evaluation bar with a subscript: \\right|_{{w=0.4}})",
          "\\{cmd}{bar}：不支持绝对值（\\{cmd} 后面必须跟括号，或作为带下标的求值竖线：\\right|_{{w=0.4}}）"),
    Entry("absolute", "absolute values |x| are not supported (an evaluation bar needs a subscript: \\Big|_{{w=0.4}})",
          "不支持绝对值 |x|（求值竖线需要下标：\\Big|_{{w=0.4}}）"),
    Entry("evalbar_script", "the evaluation bar's script is missing", "求值竖线缺少下标"),
    Entry("too_deep_brackets", "brackets nested deeper than {limit} levels (line {line}, column {column})",
          "括号嵌套超过 {limit} 层（第 {line} 行第 {column} 列）"),
    Entry("no_opening", "{token} has no opening bracket", "{token} 没有对应的左括号"),
    Entry("bracket_mismatch", "{token} does not match {opened} at line {open_line}, column {open_column}",
          "{token} 与第 {open_line} 行第 {open_column} 列的 {opened} 不匹配"),
    Entry("left_unclosed", "\\left must be closed by \\right: {opened} at line {open_line}, column {open_column} and "
          "{token}", "\\left 必须由 \\right 闭合：第 {open_line} 行第 {open_column} 列的 {opened} 与 {token}"),
    Entry("right_unopened", "\\right closes no \\left: {opened} at line {open_line}, column {open_column} and {token}",
          "\\right 没有对应的 \\left：第 {open_line} 行第 {open_column} 列的 {opened} 与 {token}"),
    Entry("superscript_braces", "put a superscript of more than one character in braces: ^{{{text}}} (TeX reads "
          "^{text} as ^{{{first}}}{rest})", "多于一个字符的上标请放在花括号中：^{{{text}}}（TeX 把 ^{text} 读作 ^{{{first}}}{rest}）"),
    Entry("scientific_braces", "put a number in scientific notation in braces: {{{text}}}",
          "科学计数法的数请放在花括号中：{{{text}}}"),
    Entry("decimal_comma_braces", "put a number with a decimal comma in braces: {{{text}}}",
          "带小数逗号的数请放在花括号中：{{{text}}}"),
    Entry("accent_empty", "{accent}{{}} is empty: put one name in the braces", "{accent}{{}} 是空的：请在花括号中写一个名称"),
    Entry("transpose_superscript", "{cmd} (a transpose) must be a superscript: W^{cmd}", "{cmd}（转置）必须写成上标：W^{cmd}"),
    Entry("max_brackets", "\\max needs brackets: \\max(0, x)", "\\max 需要括号：\\max(0, x)"),
)

_BY_KEY = {e.key: e for e in DIAGNOSES + NOTES + READER}
PRIORITY = {e.key: e.priority for e in DIAGNOSES}


def quantity_error(key: str, **params: Any) -> SpecError:
    """The SpecError of an answers file's quantity, its message in both languages (check --lang)."""
    helps = ("quantity_help", "graph_quantity_help", "batch_help")
    both = {lang: {k: say(v, lang) if k == "expected" and v in helps else v for k, v in params.items()}
            for lang in LANGUAGES}
    return SpecError(say(key, "en", **both["en"]), key="quantity", zh=say(key, "zh", **both["zh"]))


def say(key: str, lang: str = "en", **params: Any) -> str:
    """The message `key` in `lang`, its {placeholders} filled."""
    entry = _BY_KEY[key]
    if lang == "zh":
        params = {k: v.zh if isinstance(v, Phrase) else v for k, v in params.items()}
        return entry.zh.format(**params)
    return entry.en.format(**params)
