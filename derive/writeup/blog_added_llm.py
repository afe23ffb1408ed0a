"""The sections derive adds to the blog after its PPO part: the RL-for-language-model topics that follow PPO
(2.11 GRPO, 2.12 GPG, 2.13 the token-level MDP, 2.14 DPO) and the closing section that answers the author's own
question (GPG's policy-gradient formula), in the blog's language.  The item kinds are described in
:mod:`derive.writeup.blog`; the list is part of ``blog_added.PPO_SECTIONS``.
"""
from __future__ import annotations

SECTIONS = [
    ("h2", "2.11 GRPO（derive 补充）", [
        ("text", "DeepSeekMath（Shao et al. 2024）的式 (3) 这样写 GRPO 的目标：对每个问题 $q$，用旧策略采样一组 $G$ 个回答 $o_1, \\dots, o_G$，"
                 "$|o_i|$ 是第 $i$ 个回答的 token 数，$o_{i,t}$ 是它的第 $t$ 个 token；结果监督时优势 $\\hat{A}_{i,t}$ 对一个回答的所有 token 相同，"
                 "等于组内标准化后的奖励 $(r_i - \\operatorname{mean}(\\mathbf{r})) / \\operatorname{std}(\\mathbf{r})$；KL 项用式 (4) 的 $k_3$ 估计："),
        ("def", r"\mathcal{J}_{\mathrm{GRPO}}(\theta) = \mathbb{E}_{q \sim P(Q),\, \{o_i\}_{i=1}^{G} \sim \pi_{\theta_{\text{old}}}(O \mid q)}\left[ \frac{1}{G} \sum_{i=1}^{G} \frac{1}{|o_i|} \sum_{t=1}^{|o_i|} \left\{ \min\left[ \frac{\pi_\theta(o_{i,t} \mid q, o_{i,<t})}{\pi_{\theta_{\text{old}}}(o_{i,t} \mid q, o_{i,<t})} \hat{A}_{i,t},\ \operatorname{clip}\left( \frac{\pi_\theta(o_{i,t} \mid q, o_{i,<t})}{\pi_{\theta_{\text{old}}}(o_{i,t} \mid q, o_{i,<t})}, 1 - \varepsilon, 1 + \varepsilon \right) \hat{A}_{i,t} \right] - \beta\, \mathbb{D}_{KL}\left[ \pi_\theta \,\|\, \pi_{\mathrm{ref}} \right] \right\} \right]",
         ("grpo.normalised-advantages-sum-zero", "llm-objectives.grpo-sequence-weights", "kl-penalty.k3-loss-gives-forward")),
        ("text", "这是一个定义，本身没有可验证的东西；它的每一部分说了什么，都可以检查。min 和 clip 与 PPO-Clip 相同（2.9.1）：在 $\\theta = \\theta_{\\text{old}}$ 处比值为 1，"
                 "梯度就是以 $\\hat{A}_{i,t}$ 为优势的策略梯度；KL 项是把 $k_3$ 放进损失（2.10、2.10.1）；而先在每个回答内按 $1/|o_i|$ 平均、再对 $G$ 个回答平均，"
                 "给第 $i$ 个回答的每个 token 的权重是 $1/(G|o_i|)$——短回答的 token 权重更大（下面取两个长度为 $k$、$n$ 的回答检查）："),
        ("eq", "llm-objectives.grpo-sequence-weights"),
        ("mistake", "mistake.grpo-sequence-mean-weights-tokens-equally"),
        ("text", "回答的长度 $|o_i|$ 随采到的回答而变，所以 $1/|o_i|$ 不能提到期望外面：期望梯度不是 $\\nabla_\\theta J$ 的常数倍"
                 "（下式中 $|o|$ 是回答的长度，$J = \\mathbb{E}[R]$）："),
        ("eq", "llm-objectives.length-normalised-gradient"),
        ("mistake", "mistake.length-normalisation-rescales"),
        ("text", "下面逐项看组内标准化的优势在期望上做了什么。"),
        ("text", "GRPO（DeepSeekMath）去掉了 PPO 的 critic：对同一个提示 $s$ 采样一组 $G$ 个回答 $a_1, \\dots, a_G \\sim \\pi_\\theta(\\cdot \\mid s)$，"
                 "奖励 $R_i = f(s, a_i)$，用组内的均值和标准差把奖励标准化，当作每个回答（的每个 token）的优势："
                 "$\\hat{A}_i = (R_i - \\bar{R}) / \\sigma$。下面把一个提示看成一个单步问题，目标 $J_s(\\theta) = \\mathbb{E}_{a \\sim \\pi_\\theta}[f(s, a)]$；"
                 "derive 的目录取 $G = 3$ 精确检查。标准化后的优势组内和为 0、平方和为 $G$（全组奖励相同时都为 0）；"
                 "两件事分开检查，因为合成一个等式时两个错误可能互相抵消："),
        ("eq", "grpo.normalised-advantages-sum-zero"),
        ("eq", "grpo.normalised-advantages-unit-variance"),
        ("text", "先只看减均值。组均值 $\\bar{R}$ 包含了 $R_i$ 自己，而 $R_i$ 和 $a_i$ 相关，所以它不是 2.6.1 里那种“与动作无关的基线”。"
                 "算一下期望：梯度方向没变，但整体缩小了 $(1 - 1/G)$ 倍："),
        ("eq", "grpo.mean-baseline-shrinks"),
        ("note", "GRPO 论文没有提这个系数。$(1 - 1/G)$ 只在“每个提示的组大小相同”时才是一个无害的常数（被学习率吸收）；"
                 "组大小不同时，它会按 $G$ 给不同提示不同的权重。用“留一”基线（其他 $G-1$ 个奖励的均值，与 $a_i$ 独立）就没有这个系数："),
        ("eq", "grpo.leave-one-out"),
        ("text", "再看除以标准差。对实数值的奖励，组内的 $\\sigma$ 是随机的，而且和样本相关，所以它不是把梯度整体缩放 $1/\\mathrm{std}$ 那么简单，"
                 "期望梯度变了（下面两个错误都以实数值奖励为条件）："),
        ("mistake", "mistake.grpo-std-rescales"),
        ("text", "更进一步，对实数值奖励，除以组内标准差之后，期望梯度连方向都不再和 $\\nabla_\\theta J_s$ 平行："
                 "如果平行，Cauchy–Schwarz 不等式应取等号，而 derive 找到了不取等号的反例。"
                 "原因是每个动作被它所在那一组奖励的离散程度重新加权了："),
        ("mistake", "mistake.grpo-std-keeps-direction"),
        ("text", "大模型 RL 里更常见的是 0/1 的可验证奖励，这时在一个提示之内方向是保住的：期望估计恰好是 $c_G(p) \\nabla_\\theta p$，"
                 "$p$ 是答对的概率（也就是 $J_s$），"
                 "$c_G(p) = \\sum_{j=0}^{G-1} \\binom{G-1}{j} p^j (1-p)^{G-1-j} \\left( \\sqrt{\\tfrac{G-1-j}{j+1}} + \\sqrt{\\tfrac{j}{G-j}} \\right) \\ge 0$"
                 "（$j$ 是其余 $G-1$ 个回答中答对的个数；$c_2 = 1$，$c_3 = \\sqrt{2}$，$c_4 = \\sqrt{3} - (2\\sqrt{3} - 3)\\, p(1-p)$）。"
                 "derive 取 $G = 4$ 精确检查："),
        ("eq", "grpo.std-binary-keeps-direction"),
        ("text", "Dr. GRPO 说的“难度偏差”是跨提示的重新加权：一批里有多个提示时，期望梯度是 $\\sum_s c_G(p_s) \\nabla_\\theta p_s$，"
                 "而不是 $\\nabla_\\theta \\sum_s p_s$ 的倍数。$G$ 大时 $c_G(p) \\approx 1/\\sqrt{p(1-p)} = 1/\\sigma_p$，"
                 "几乎全对或全错的提示权重更大；$G$ 小时这个效应弱得多（$G = 2, 3$ 时 $c_G$ 是常数，完全没有重新加权；"
                 "$G = 4$ 时权重只在 $1.62$ 到 $1.73$ 之间）："),
        ("eq", "grpo.std-binary-two-prompts"),
        ("text", "最后是聚合方式。把所有回答的所有 token 的损失放在一起平均（token 级，即除以 $\\sum_j |o_j|$，这是 DAPO 的损失），"
                 "等价于给第 $i$ 个回答权重 $|o_i| / \\sum_j |o_j|$，长回答权重更大；先在每个回答内平均再对回答平均"
                 "（序列级，GRPO 论文的写法）则每个回答权重 $1/G$；Dr. GRPO 则把 token 损失之和除以一个与长度无关的常数。"
                 "下式是两个回答（长度 $k$、$n$，逐 token 损失 $h$、$g$）的情形："),
        ("eq", "grpo.token-level-weights"),
        ("mistake", "mistake.token-equals-sequence-mean"),
        ("note", "两种平均只有在所有回答一样长时才相同。序列级平均会让长的错误回答里每个 token 的惩罚变小（Dr. GRPO 所说的长度偏差）；"
                 "token 级平均（DAPO）没有这个问题，但给长回答更多权重；Dr. GRPO 除以常数，每个 token 的权重相同且与批次的总长度无关。"
                 "哪一种“对”取决于你想优化的目标；各家实现（TRL、verl）的默认值也不一样。"),
        ("proof", "2.11-grpo.md"),
    ]),
    ("h2", "2.12 GPG（derive 补充）", [
        ("text", "GPG（Chu et al. 2025，arXiv:2504.02546）在论文的 Method 一节把损失写成对组内所有 token 的平均"
                 "（这里照论文的写法抄录；derive 没能核对到这个公式在论文里的编号，所以只注明章节）："
                 "对每个问题 $q$ 用当前策略采样 $G$ 个回答，优势 $\\hat{A}_{i,t} = \\alpha\\, (r_i - \\operatorname{mean}(\\{r_j\\}_{j=1}^{G})) / F_{\\mathrm{norm}}$，"
                 "$F_{\\mathrm{norm}}$ 取 1 或组内标准差，$\\alpha = B/(B-M)$ 见下文。没有重要性比值、没有裁剪、没有参考模型的 KL："),
        ("def", r"\mathcal{J}_{\mathrm{GPG}}(\theta) = \mathbb{E}_{(q, a) \sim \mathcal{D},\, \{o_i\}_{i=1}^{G} \sim \pi_\theta(\cdot \mid q)}\left[ \frac{1}{\sum_{i=1}^{G} |o_i|} \sum_{i=1}^{G} \sum_{t=1}^{|o_i|} \left( -\log \pi_\theta(o_{i,t} \mid q, o_{i,<t})\, \hat{A}_{i,t} \right) \right]",
         ("gpg.gradient-without-ratio", "gpg.alpha-expectation")),
        ("text", "这是要最小化的损失（一个定义）。它对 $\\theta$ 的梯度是 $-\\frac{1}{\\sum_i |o_i|} \\sum_i \\sum_t \\hat{A}_{i,t} \\nabla_\\theta \\log \\pi_\\theta(o_{i,t} \\mid q, o_{i,<t})$："
                 "取负号后正是 2.5 的策略梯度估计，只是 $R(\\tau)$ 换成了组内减均值的优势（样本不求导，$\\hat{A}$ 是常数）。"
                 "它在期望上等于什么，下面用一个提示、一组 $G = 2$ 个回答检查（$F_{\\mathrm{norm}} = 1$，一个回答看成一个动作；token 的拆分见 2.13，按 token 数的加权见 2.11）；"
                 "第三章从 2.5 的策略梯度出发把它一步步推出来。"),
        ("text", "GPG（Group Policy Gradient）把 GRPO 再简化：不用重要性比值、不裁剪、不加参考模型的 KL，直接用组内减均值的优势做最朴素的策略梯度"
                 "（每批样本只更新一次，完全 on-policy）。它的期望梯度和 2.11 一样是 $(1 - 1/G) \\nabla_\\theta J_s$；"
                 "derive 检查的是 $G = 2$（一组两个回答）："),
        ("eq", "gpg.gradient-without-ratio"),
        ("text", "一组里奖励全都相同（全对或全错）时，优势都是 0，这一组对梯度没有任何贡献："),
        ("eq", "gpg.degenerate-group-is-zero"),
        ("text", "于是一个批次的 $B$ 组里如果有 $M$ 组是这种“退化组”，GPG 认为对 $B$ 组取平均把梯度稀释了，是一种估计偏差，"
                 "于是乘上 $\\alpha = B/(B-M)$ 来补偿。逐批次精确地说，它把“对全部 $B$ 组的平均”变成了“只对 $B - M$ 个有信息的组的平均”"
                 "（$M = B$ 时没有定义，derive 的检查在这些实例上跳过了）："),
        ("eq", "gpg.alpha-rescales"),
        ("text", "这个补偿对期望意味着什么？不乘 $\\alpha$ 的批次平均本来就是 $(1 - 1/G)\\nabla_\\theta J_s$ 的无偏估计"
                 "（退化组在样本里和在期望里都贡献 0）。$\\alpha$ 依赖于这一批样本（$M$ 是随机的），乘上它之后期望变成"
                 "$\\mathbb{E}[\\alpha \\bar{g}] = \\Pr(M < B)\\, \\mathbb{E}[g_b \\mid \\text{第 } b \\text{ 组有信息}] = \\frac{1 - (1-q)^B}{q} \\mathbb{E}[\\bar{g}]$，"
                 "$q$ 是一组有信息的概率：它估计的是“有信息的组的平均梯度”。derive 检查了 $B = 2$ 时的精确等式，"
                 "并给出把它读成“无偏的策略梯度”的反例："),
        ("eq", "gpg.alpha-expectation"),
        ("mistake", "mistake.gpg-alpha-unbiased"),
        ("note", "系数 $\\frac{1 - (1-q)^B}{q} = B \\cdot \\mathbb{E}[1/(B - M_{-b})] \\ge 1$（$M_{-b}$ 是其余各组中退化组的个数）取决于 $q$，"
                 "随 $\\theta$ 和提示而变（$B$ 大时约为 $1/q$）：只有一个提示时它相当于一个随训练变化的学习率；"
                 "批次里混有不同提示时，各提示的权重不再相同，估计量就不再是原目标梯度的固定倍数。GPG 论文把 $\\alpha$ 当作偏差修正，"
                 "准确的说法是：它修正的是“按全部组平均”相对于“按有信息的组平均”的稀释，代价是目标随 $q$ 变化。"),
        ("proof", "2.12-gpg.md"),
    ]),
    ("h2", "2.13 语言模型的 token 级 MDP（derive 补充）", [
        ("text", "把语言模型生成回答看成一个 MDP：状态是前缀 $s_t = (x, y_{<t})$（提示加已生成的 token），动作是下一个 token $a_t = y_t$，"
                 "转移是确定的（$s_{t+1}$ 就是把 $y_t$ 接在后面），奖励通常只在最后给（$R(x, y)$），$\\gamma = 1$。"
                 "derive 有一个专门的 token MDP 实例族（setting 写作 “finite; family=token”）：小词表、短长度、前缀树状态，下面的徽章里的 “token MDPs” 指的就是它。"
                 "序列的对数概率是各个 token 的对数概率之和，所以序列级的策略梯度就是 token 级各项之和："),
        ("eq", "token.sequence-gradient-is-sum-of-token-terms"),
        ("text", "同理，整个回答的重要性比值是各个 token 比值的乘积（环境的“转移概率”都是 1，消掉了），这就是 PPO/GRPO 里 token 级比值的来源："),
        ("eq", "token.trajectory-ratio"),
        ("text", "只在结尾给奖励、$\\gamma = 1$ 时，一个前缀的价值就是从它出发最终奖励的期望（critic 学的就是这个）："),
        ("eq", "token.value-is-expected-reward"),
        ("note", "这条等式依赖两个常常不明说的条件：奖励只在结尾给，且 $\\gamma = 1$。很多 RLHF 实现（PPO 版）把 KL 惩罚"
                 "$-\\beta \\log(\\pi_\\theta / \\pi_{\\mathrm{ref}})$ 逐 token 加进 $r_t$，或者取 $\\gamma < 1$：这时前缀的价值是"
                 "“剩下的每步奖励（含 KL 项）的折扣和”的期望，不再只是最终奖励的期望，critic 的回归目标也要跟着改。"),
        ("text", "转移确定时，$s_{t+1}$ 由 $s_t$ 和 $a_t$ 唯一决定，所以 $Q(s_t, a_t) = r_t + V(s_{t+1})$ 不用取期望，"
                 "优势在每条序列上都恰好等于 TD error（2.6.6 里一般 MDP 只在期望意义下成立）："),
        ("eq", "token.advantage-is-td-error"),
        ("mistake", "mistake.token-advantage-td-error-stochastic"),
        ("text", "GRPO 把（标准化后的）整条回答的奖励当作每个 token 的优势估计。这是合理的：$\\gamma = 1$、只在结尾给奖励时 $R(\\tau) = G_t$，"
                 "减去 $V(s_t)$ 后，给定 $(s_t, a_t)$ 的期望恰好是优势（GRPO 用组均值代替 $V(s_t)$，减均值的部分差一个系数 $1 - 1/G$，见 2.11）："),
        ("eq", "token.return-minus-value-is-advantage"),
        ("text", "这是期望意义下的等式：在单条序列上，$R(\\tau) - V(s_t)$ 还带着 $a_t$ 之后各个 token 的运气，并不等于 $A(s_t, a_t)$"
                 "（它是有方差的估计，不是优势本身）："),
        ("mistake", "mistake.token-advantage-pathwise"),
        ("proof", "2.13-token-mdp.md"),
    ]),
    ("h2", "2.14 DPO（derive 补充）", [
        ("text", "DPO（Rafailov et al. 2023）不做强化学习的采样，直接用偏好数据训练。出发点是带 KL 正则的目标（DPO 论文式 (3)）："
                 "$\\max_\\pi \\mathbb{E}[r(x, y)] - \\beta\\, \\mathbb{D}_{KL}[\\pi \\,\\|\\, \\pi_{\\text{ref}}]$。把它改写一下，"
                 "就看出它的最优解是 $\\pi_r(y \\mid x) = \\pi_{\\text{ref}}(y \\mid x) \\exp(r(x, y)/\\beta) / Z(x)$（式 (4)），"
                 "$Z(x) = \\sum_y \\pi_{\\text{ref}}(y \\mid x) \\exp(r(x, y)/\\beta)$："),
        ("eq", "dpo.kl-regularised-optimum"),
        ("text", "反过来，奖励可以用它的最优策略表示（式 (5)），但要带上只依赖提示的 $\\beta \\log Z(x)$："),
        ("eq", "dpo.implicit-reward"),
        ("mistake", "mistake.dpo-implicit-reward-without-partition"),
        ("text", "$Z(x)$ 算不出来（要对所有回答求和），DPO 的关键是它在 Bradley–Terry 偏好模型里消掉了：偏好只依赖同一个提示下两个奖励之差，"
                 "给奖励加上只依赖提示的常数不改变偏好："),
        ("eq", "dpo.bradley-terry-shift-invariant"),
        ("eq", "dpo.partition-cancels"),
        ("mistake", "mistake.dpo-drop-beta"),
        ("text", "于是偏好的似然只含最优策略和 $\\pi_{\\text{ref}}$；把最优策略换成要训练的 $\\pi_\\theta$，DPO 的损失（式 (7)）就是偏好数据的负对数似然。它的梯度把好回答 $y_w$ 的概率往上推、"
                 "坏回答 $y_l$ 的往下推，权重 $\\sigma(\\hat{r}_l - \\hat{r}_w)$ 在隐式奖励把这一对排错时最大："),
        ("eq", "dpo.loss-gradient"),
        ("proof", "2.31-dpo.md"),
    ]),
    ("h1", "三、回到开头的问题：GPG 的策略梯度公式从哪里来（derive 补充）", [
        ("text", "作者写这篇博客，是因为读 GPG 时没看懂 Method 里的策略梯度公式。现在可以回答了：GPG 的梯度就是 2.5 的策略梯度，只做了三件事。"
                 "(a) 在语言模型里，一条轨迹就是一个回答，轨迹的对数概率是各 token 对数概率之和，所以 2.5 的 $\\sum_t \\nabla_\\theta \\log \\pi_\\theta(a_t \\mid s_t) R(\\tau)$ "
                 "就是对回答的每个 token 求和（2.13）。(b) 把 $R(\\tau)$ 换成减去组内平均奖励的优势——这相当于 2.6.1 的基线，但组均值里含有这个回答自己的奖励，"
                 "所以期望不是 $\\nabla_\\theta J$ 而是 $(1 - 1/G)\\nabla_\\theta J$（2.11），只差一个常数因子。(c) $\\alpha = B/(B-M)$ 只改变各组的权重（2.12）；$F_{\\mathrm{norm}}$ 取组内标准差时，"
                 "0/1 奖励下是按提示重新加权，实数值奖励下则连一个提示之内的方向都会改变（2.11）。"
                 "下面从 2.5.1 的策略梯度（一个提示、一步）出发，推出 GPG 对一组 $G = 2$ 个回答的梯度估计（$\\alpha = 1$，$F_{\\mathrm{norm}} = 1$），每一步都由 derive 的检查器精确检查："),
        ("proof", "2.12-gpg-from-policy-gradient.md", "open"),
        ("text", "最后一行方括号里的就是 GPG 的估计 $\\frac{1}{G} \\sum_{i=1}^{G} \\hat{A}_i \\nabla_\\theta \\log \\pi_\\theta(a_i \\mid s)$，"
                 "$\\hat{A}_i = f(s, a_i) - \\operatorname{mean}_j f(s, a_j)$；它前面的系数是 $G/(G-1) = 2$。所以 GPG 的估计的期望是 $(1 - 1/G)\\nabla_\\theta J_s$："
                 "方向和 2.5 的策略梯度完全相同，长度差一个常数，被学习率吸收。把一个回答拆成 token（2.13 的恒等式），$\\nabla_\\theta \\log \\pi_\\theta(o_i \\mid q)$ "
                 "就变成 $\\sum_t \\nabla_\\theta \\log \\pi_\\theta(o_{i,t} \\mid q, o_{i,<t})$，这正是 GPG 损失里对 $t$ 的求和；按 token 总数 $\\sum_i |o_i|$ 而不是按 $G$ 平均，"
                 "则给长回答更多权重；长度随回答变化时，期望一般就不再是 $\\nabla_\\theta J$ 的常数倍（2.11 对 GRPO 的 $1/|o_i|$ 检查了这一点）。"),
    ]),
]
