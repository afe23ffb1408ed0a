"""The sections derive adds to the blog after 2.8.4 that finish its PPO story (2.9 PPO, 2.10 the KL estimators and
KL in the reward versus the loss), in the blog's language.  The item kinds are described in :mod:`derive.writeup.blog`;
the list is part of ``blog_added.PPO_SECTIONS``.
"""
from __future__ import annotations

SECTIONS = [
    ("h2", "2.9 PPO（derive 补充）", [
        ("text", "原文的标题是 PPO，但写到 TRPO 就停了。下面按原文的思路把 PPO 补完（这一节整节是 derive 写的）。"
                 "TRPO 要解一个带 KL 约束的优化问题，实现起来很麻烦；PPO 的想法很简单：不加约束，而是直接把重要性比值"
                 "$r_t(\\theta) = \\pi_\\theta(a_t \\mid s_t) / \\pi_{\\theta_{\\text{old}}}(a_t \\mid s_t)$ 限制在 $[1-\\epsilon, 1+\\epsilon]$ 附近，"
                 "让新策略不会离旧策略太远。"),
    ]),
    ("h3", "2.9.1 PPO-Clip", [
        ("def", r"L^{\mathrm{CLIP}}(\theta) = \hat{\mathbb{E}}_t\left[ \min\left( r_t(\theta) \hat{A}_t,\ \operatorname{clip}\left(r_t(\theta), 1-\epsilon, 1+\epsilon\right) \hat{A}_t \right) \right]",
         ("ppo.clip-gradient-at-old", "ppo.clip-gradient-where-binding")),
        ("text", "分优势的正负来看：$A > 0$ 时（好动作），比值最多被奖励到 $1+\\epsilon$，再往上就没有梯度了；"
                 "$A < 0$ 时（坏动作），比值最低只惩罚到 $1-\\epsilon$。也就是说，min 只会让目标更“保守”："),
        ("eq", "ppo.clip-positive-advantage"),
        ("eq", "ppo.clip-negative-advantage"),
        ("figure", "ppo-clip.png", "PPO-Clip 的单样本目标随比值 r 的变化（左 A>0，右 A<0）"),
        ("text", "在 $\\theta = \\theta_{\\text{old}}$ 处所有比值都等于 1，在裁剪区间内部，所以 PPO-Clip 的梯度就是策略梯度："),
        ("eq", "ppo.clip-gradient-at-old"),
        ("text", "离开 $\\theta_{\\text{old}}$ 之后，梯度只在“裁剪起作用的那一侧”变成 0：$A > 0$ 且 $r > 1+\\epsilon$，或 $A < 0$ 且 $r < 1-\\epsilon$。"
                 "在另一侧（$A > 0$ 而 $r < 1-\\epsilon$，或 $A < 0$ 而 $r > 1+\\epsilon$），min 取的是没裁剪的 $rA$，梯度照样是 $A \\nabla_\\theta r$——"
                 "这正是让一个已经“走错方向”的比值被拉回来的那部分梯度。下式对每个状态和动作逐点成立"
                 "（检查时取 $\\epsilon = 7/37$，保证比值不会恰好落在折点上）："),
        ("eq", "ppo.clip-gradient-where-binding"),
        ("mistake", "mistake.ppo-clip-zeroes-both-sides"),
        ("mistake", "mistake.ppo-min-is-clip"),
        ("proof", "2.9-ppo.md"),
    ]),
    ("h3", "2.9.2 PPO-Penalty", [
        ("text", "另一种做法是把 KL 放进目标里当惩罚项，系数 $\\beta$ 根据实际的 KL 大小自适应地调大或调小："),
        ("def", r"L^{\mathrm{KLPEN}}(\theta) = \hat{\mathbb{E}}_t\left[ r_t(\theta) \hat{A}_t - \beta\, D_{\mathrm{KL}}\left( \pi_{\theta_{\text{old}}}(\cdot \mid s_t) \,\|\, \pi_\theta(\cdot \mid s_t) \right) \right]",
         ("ppo.klpen-gradient-at-old",)),
        ("text", "KL 项在 $\\theta_{\\text{old}}$ 处取最小值 0，梯度为 0，所以在 $\\theta_{\\text{old}}$ 处 $L^{\\mathrm{KLPEN}}$ 的梯度仍是策略梯度"
                 "（derive 在有限时域、带 $\\gamma^t$ 的写法下精确检查了这一点）："),
        ("eq", "ppo.klpen-gradient-at-old"),
        ("text", "这只是一阶的结论：KL 惩罚的作用在二阶（它的 Hessian 是 Fisher 信息矩阵），它约束的是走多远，而不改变出发时的方向。"
                 "$\\beta$ 的自适应规则（KL 大于目标的 1.5 倍就把 $\\beta$ 加倍，小于 1/1.5 就减半）是论文给的经验规则，没有什么可验证的恒等式。"),
        ("proof", "2.9.2-ppo-penalty.md"),
    ]),
    ("h3", "2.9.3 完整的损失函数", [
        ("text", "实际实现中 Actor 和 Critic 常常一起训练，再加一个熵奖励鼓励探索："),
        ("def", r"L^{\mathrm{CLIP+VF+S}}(\theta) = \hat{\mathbb{E}}_t\left[ L^{\mathrm{CLIP}}_t(\theta) - c_1 \left( V_\theta(s_t) - V^{\mathrm{targ}}_t \right)^2 + c_2\, S[\pi_\theta](s_t) \right]",
         ("ppo.combined-loss-gradient",)),
        ("text", "其中 $V^{\\mathrm{targ}}_t$ 是 critic 的回归目标（如 $\\hat{A}_t + V(s_t)$，或回报 $G_t$），$S$ 是熵。注意 PPO 论文里 $L$ 是要最大化的，"
                 "所以价值损失前面是减号；代码里一般对 $-L$ 做梯度下降。三项各自对策略梯度贡献了什么？"
                 "derive 在 $\\theta_{\\text{old}}$ 处精确检查了下面的等式（critic 记作 $V_\\phi$，有自己的参数 $\\phi$）："),
        ("eq", "ppo.combined-loss-gradient"),
        ("text", "它说明了两件事：(a) 当 critic 有自己的参数（Actor 和 Critic 是两个网络）时，价值项对 $\\theta$ 没有梯度，"
                 "不改变策略梯度，它只训练 $\\phi$——这一半是由构造决定的（$V_\\phi$ 里没有 $\\theta$），不是 derive 检查出来的；(b) 熵项在策略梯度之外恰好多出 $c_2 \\nabla_\\theta S$，把策略推向更随机。"
                 "所以 $c_1$ 只在 Actor 和 Critic 共享参数时才影响策略的更新。"),
        ("note", "PPO 论文写的是 $V_\\theta$，即共享参数的情形：那时价值项会给共享的那部分参数多加一项 "
                 "$-c_1 \\nabla_\\theta (V_\\theta(s_t) - V^{\\mathrm{targ}}_t)^2$，上式就不再成立，$c_1$ 的大小会直接影响策略。"
                 "derive 也检查了共享参数的情形：取一个和策略共享参数的价值头 $V_\\theta(s) = \\sum_b \\pi_\\theta(b \\mid s)\\, h(s, b)$"
                 "（$h$ 任意），价值项恰好多出 $-c_1$ 乘它的梯度（$G_t$ 是采样得到的常数目标）："),
        ("eq", "ppo.combined-loss-shared-head"),
        ("proof", "2.9.3-ppo-full-loss.md"),
    ]),
    ("h2", "2.10 KL 散度的估计（derive 补充）", [
        ("text", "PPO-Penalty 和大模型的 RLHF/GRPO 都要在目标里惩罚新策略离参考策略（$\\pi_{\\mathrm{ref}}$，例如 SFT 模型）太远。"
                 "KL 散度要对整个词表求和，太贵，实际是用采样来估计的。记样本 $x \\sim q$，比值 $r = p(x)/q(x)$，"
                 "要估计的是 $D_{\\mathrm{KL}}(q \\,\\|\\, p) = \\mathbb{E}_q[-\\log r]$。John Schulman 的笔记给了三个估计量："
                 "$k_1 = -\\log r$，$k_2 = \\frac{1}{2}(\\log r)^2$，$k_3 = (r - 1) - \\log r$。$k_1$ 和 $k_3$ 都是无偏的："),
        ("eq", "kl.k1-unbiased"),
        ("eq", "kl.k3-unbiased"),
        ("text", "$k_3$ 比 $k_1$ 多出的 $r - 1$ 在 $q$ 下期望为 0（$\\mathbb{E}_q[r] = \\sum_x p(x) = 1$），是一个控制变量：不改变期望，却降低方差。"
                 "而且因为 $\\log r \\le r - 1$，$k_3$ 对每个样本都非负，不会像 $k_1$ 那样出现负的“KL”："),
        ("eq", "kl.k3-nonnegative"),
        ("text", "$k_2$ 方差最小，但它是有偏的：只有当 $p$ 和 $q$ 很接近时，它才在二阶近似下等于 KL；差得越远偏差越大。"
                 "把符号弄反、把 $\\mathbb{E}_q[\\log r]$ 当成 KL，则差了一个负号："),
        ("mistake", "mistake.k2-unbiased"),
        ("mistake", "mistake.kl-expected-log-ratio"),
        ("text", "更要紧的是梯度。大模型训练里 KL 项是作为损失求梯度的，样本 $a \\sim \\pi_\\theta(\\cdot \\mid s)$ 来自当前策略，"
                 "$q = \\pi_\\theta$，$p = \\pi_{\\mathrm{ref}}$。值无偏不代表梯度无偏（样本的分布本身也依赖 $\\theta$，但对样本求导时这部分被忽略了）。"
                 "$k_1$ 的期望梯度恰好是 0——作为损失它根本不提供 KL 的梯度："),
        ("eq", "kl.k1-gradient-zero"),
        ("text", "$k_3$ 的期望梯度不是我们想惩罚的反向 KL $D_{\\mathrm{KL}}(\\pi_\\theta \\,\\|\\, \\pi_{\\mathrm{ref}})$ 的梯度，"
                 "而是正向 KL $D_{\\mathrm{KL}}(\\pi_{\\mathrm{ref}} \\,\\|\\, \\pi_\\theta)$ 的梯度："),
        ("eq", "kl.k3-gradient-forward"),
        ("mistake", "mistake.k3-gradient-is-reverse"),
        ("note", "GRPO 论文（DeepSeekMath）把 $k_3$ 当作“KL 惩罚”直接加进损失，没有说明它的梯度方向：在当前策略的样本上，"
                 "这个损失的期望梯度是正向 KL 的梯度。两者在 $\\pi_\\theta = \\pi_{\\mathrm{ref}}$ 附近一阶相同，离得远了就不同；"
                 "它仍然把 $\\pi_\\theta$ 拉向 $\\pi_{\\mathrm{ref}}$，但惩罚的不是论文写的那个量。"),
        ("text", "如果样本来自旧策略 $\\pi_{\\theta_{\\text{old}}}$（PPO 式的多轮更新），要乘重要性比值 $\\pi_\\theta/\\pi_{\\theta_{\\text{old}}}$，"
                 "而且这个比值必须和 $k_3$ 一起求导：这样在 $\\theta_{\\text{old}}$ 处得到的才是反向 KL 的梯度。"
                 "如果比值被当作常数权重（detach，在 $\\theta_{\\text{old}}$ 处等于 1），期望梯度仍然是正向 KL 的："),
        ("eq", "kl.k3-ratio-reverse"),
        ("mistake", "mistake.k3-detached-ratio"),
        ("proof", "2.10-kl-estimators.md"),
    ]),
    ("h3", "2.10.1 KL 放在奖励里，还是放在损失里", [
        ("text", "有了估计量，还要决定把 KL 惩罚放在哪里（记参考策略为 $\\pi'$，即上面的 $\\pi_{\\mathrm{ref}}$）。"
                 "RLHF（InstructGPT 的式 (2)）把它放进奖励：奖励减去 $\\beta \\log(\\pi_\\theta(y \\mid x) / \\pi'(y \\mid x))$，"
                 "实现中逐 token 扣除 $\\beta \\log(\\pi_\\theta(a_t \\mid s_t) / \\pi'(a_t \\mid s_t))$（总和相同），"
                 "它和其他奖励一样通过得分函数 $\\nabla_\\theta \\log \\pi_\\theta$ 传递梯度；GRPO（DeepSeekMath 的式 (3)、(4)）"
                 "则把 KL 估计量直接放进损失，对它本身求导。只有一个 token（一步）时，$k_1$ 当奖励、$k_2$ 当损失，"
                 "期望梯度都恰好是反向 KL $D_{\\mathrm{KL}}(\\pi_\\theta \\,\\|\\, \\pi')$ 的梯度（下面的检查略去系数 $\\beta$）："),
        ("eq", "kl-penalty.k1-reward-gives-reverse"),
        ("eq", "kl-penalty.k2-loss-gives-reverse"),
        ("mistake", "mistake.kl-penalty-k1-as-loss"),
        ("text", "一个回答有多个 token 时两者就不同了。放在奖励里，得到的是整条序列 KL 的梯度：第 $t$ 个 token 的得分函数"
                 "乘上它之后所有 token 的 KL（KL 的 reward-to-go），前面的 token 也会被推动，去往后面 KL 小的前缀；"
                 "放在损失里，得到的是在采到的前缀上逐 token 求 KL 的梯度，前缀的分布本身不求导："),
        ("eq", "kl-penalty.in-reward-gradient"),
        ("eq", "kl-penalty.in-loss-gradient"),
        ("text", "两者之差正是“前缀分布被推动”的那一部分：第 $t$ 个 token 的 KL 乘上它之前各 token 的得分函数。"
                 "它在只有一个 token 时为 0，一般不为 0："),
        ("eq", "kl-penalty.reward-minus-loss"),
        ("mistake", "mistake.kl-in-loss-is-kl-in-reward"),
        ("text", "GRPO 实际用的是 $k_3$ 放进损失：在当前策略的样本上，它的期望梯度是正向 KL 在各个采到的前缀上的梯度（与 2.10 的单步结论一致）："),
        ("eq", "kl-penalty.k3-loss-gives-forward"),
        ("proof", "2.20-kl-penalty.md"),
    ]),
]
