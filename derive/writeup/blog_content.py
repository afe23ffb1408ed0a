"""What derive inserts into the blog's own sections (2.2.2 to 2.8.4), in the blog's language.

``INSERTS`` maps an anchor line of the author's text to the items that follow it (the item kinds are
described in :mod:`derive.writeup.blog`). The sections derive adds after 2.8.4 are in
:mod:`derive.writeup.blog_added`; the display LaTeX of catalog statements in :mod:`derive.writeup.blog_display`.
"""
from __future__ import annotations

S = "setting: finite"

INSERTS = {
    # 2.2.2 T步累积奖励
    "(敲不了复杂数学公式的屑博客)": [
        ("text", "这里补上公式。一条轨迹有 T 步，第 t 步的奖励是 $r_t = R(s_t, a_t, s_{t+1})$，T 步累积奖励就是把它们直接加起来："),
        ("def", r"R(\tau) = \sum_{t=0}^{T-1} r_t = r_0 + r_1 + \cdots + r_{T-1}", ("return.whole-is-g0",)),
        ("text", "下一节的折扣奖励给第 $t$ 项乘上 $\\gamma^t$（$\\gamma = 1$ 时就回到上式）。无论是否折扣，它都等于从第 0 步开始的回报 $G_0$"
                 "（下式的 $R(\\tau)$ 和 $G_0$ 都带折扣 $\\gamma$，$\\gamma = 1$ 时就是上面的和）："),
        ("eq", "return.whole-is-g0"),
        ("mistake", "mistake.return-starts-at-one"),
        ("chain", "2.2.2-t-step-return.md"),
    ],
    "2.2.3 折扣奖励": [
        ("text", "折扣奖励给越远的奖励越小的权重，$0 \\le \\gamma \\le 1$："),
        ("def", r"R(\tau) = \sum_{t=0}^{T-1} \gamma^t r_t = r_0 + \gamma r_1 + \gamma^2 r_2 + \cdots + \gamma^{T-1} r_{T-1}",
         ("return.discounted-peel",)),
        ("text", "$\\gamma < 1$ 时也可以让轨迹无限长（无限时域），奖励有界时这个无穷级数收敛："),
        ("def", r"R(\tau) = \sum_{t=0}^{\infty} \gamma^t r_t, \quad 0 \le \gamma < 1", ()),
        ("text", "有限时域的折扣奖励可以“剥掉”第一项，写成递归的样子："),
        ("eq", "return.discounted-peel"),
        ("chain", "2.2.3-discounted-return.md"),
    ],
    # 2.3 运动轨迹
    "智能体和环境做一系列/一回合交互后得到的state、action和reward的序列,所以运动轨迹也被称为episodes或rolloutes,这里假设智能体与环境交互了T次:": [
        ("text", "轨迹写成 $\\tau = (s_0, a_0, r_0, s_1, a_1, r_1, \\dots, s_{T-1}, a_{T-1}, r_{T-1}, s_T)$，"
                 "其中 $s_0 \\sim \\rho_0(\\cdot)$，$a_t \\sim \\pi_\\theta(\\cdot \\mid s_t)$，$s_{t+1} \\sim P(\\cdot \\mid s_t, a_t)$，"
                 "$r_t = R(s_t, a_t, s_{t+1})$。把这三种“掷骰子”的概率乘起来，就是整条轨迹的概率，而且所有轨迹的概率加起来等于 1："),
        ("eq", "trajectory.factorisation"),
        ("eq", "trajectory.normalised"),
        ("chain", "2.3-trajectory-probability.md"),
    ],
    # 2.4
    "只有一个价值实体Vπ,因为它的输入和状态与动作相关。这意味着只要我们知道状态空间S和动作空间A,Vπ就可以作用到这两个空间上帮助我们衡量哪个状态/动作的价值最大,进而隐式地承担起制定策略的角色。这种方式被称为value-based。": [
        ("note", "输入同时是状态和动作的是动作价值 $Q^\\pi(s, a)$，不是 $V^\\pi$：$V^\\pi(s)$ 只看状态。"
                 "value-based 方法（如 Q-learning）学的是 $Q$，再取 $\\arg\\max_a Q(s, a)$ 作为策略。两者的关系是"
                 "“$V$ 是 $Q$ 按策略加权的平均”（见 2.6.5），而不是取最大值："),
        ("eq", "values.v-from-q"),
        ("mistake", "mistake.v-max-q"),
    ],
    "policy-based下的强化学习优化目标为:": [
        ("eq", "objective.expected-return"),
        ("eq", "objective.sum-over-trajectories"),
    ],
    "其中:": [
        ("text", "轨迹的概率 $P(\\tau \\mid \\pi_\\theta)$（也写作 $P(\\tau \\mid \\theta)$）按 2.3 分解，"
                 "$R(\\tau)$ 是整条轨迹的（折扣）累积奖励："),
        ("eq", "trajectory.factorisation"),
        ("eq", "return.whole-is-g0"),
        ("text", "目标也可以写成初始状态的价值的期望："),
        ("eq", "objective.initial-value"),
        ("chain", "2.4-objective.md"),
    ],
    # 2.5.1
    "知道了总的优化目标后,计算梯度:": [
        ("text", "下面是完整的推导，每一步后面的编号对应下方的理由和检查结果。关键只有两步：对数导数技巧 "
                 "$\\nabla P = P \\nabla \\log P$，以及 $\\rho_0$ 和环境动力学 $P(s_{t+1} \\mid s_t, a_t)$ 与 $\\theta$ 无关，梯度为 0。"),
        ("chain", "2.5.1-policy-gradient.md"),
        ("mistake", "mistake.gradient-inside-expectation"),
    ],
    # 2.5.2
    "在基于策略的强化学习中,我们期望最大化以下优化目标:": [
        ("eq", "objective.expected-return"),
    ],
    "基于这个优化目标,策略πθ的梯度为:": [
        ("eq", "pg.reinforce"),
    ],
    "在实践中,我们可以通过采样足够多的轨迹来估计这个期望。假设采样N条轨迹,N足够大,每条轨迹涵盖Tn步,则上述优化目标可以再次被写成:": [
        ("stated", r"\nabla_\theta J(\theta) \approx \frac{1}{N} \sum_{n=1}^{N} \sum_{t=0}^{T_n-1} \nabla_\theta \log \pi_\theta(a_t^n \mid s_t^n)\, R(\tau^n)",
         "pg.reinforce"),
        ("text", "这个 N 条轨迹的平均正是 derive 的 Monte Carlo 方法所做的事：上面的徽章里的 $|z|$ 就是它和精确梯度的差距"
                 "（以标准误为单位）。下图是一个梯度分量随 N 增大收敛到精确值的过程，阴影是 95% 置信带，宽度按 $1/\\sqrt{N}$ 缩小。"),
        ("figure", "pg-convergence.png", "REINFORCE 类估计（这里用 reward-to-go 形式）的 Monte Carlo 平均随轨迹数 N 收敛到精确梯度"),
        ("note", "原文说“上述优化目标可以再次被写成”，其实这里写出来的是梯度的估计（对 N 条轨迹求平均），不是优化目标本身。"),
        ("chain", "2.5.2-sample-estimate.md"),
    ],
    # 2.6
    "通过上面的推导,我们知道在强化学习中,策略的梯度可以表示为:": [
        ("eq", "pg.reinforce"),
    ],
    "这里R(τ)表示一整条轨迹的累积奖励或者累积折扣奖励。": [
        ("note", "“累积奖励”和“累积折扣奖励”给出的是两个不同目标的梯度，不能随便换。用折扣目标 "
                 "$J = \\mathbb{E}[\\sum_t \\gamma^t r_t]$ 时，把 $R(\\tau)$ 换成 t 时刻之后的回报 $G_t$ 必须再乘 $\\gamma^t$；"
                 "省掉 $\\gamma^t$ 是常见的、有意的做法（GAE 论文的 $\\gamma$-just 估计量、PPO 的实现都如此），但它估计的是另一个向量："
                 "按不带折扣的状态访问加权的“梯度”。$\\gamma = 1$ 时（大模型的情形）它就是 $\\nabla_\\theta J$；"
                 "$\\gamma < 1$ 时它不是折扣目标的梯度（一般也不是任何函数的梯度，Nota & Thomas 2020）。"
                 "derive 在 $\\gamma < 1$ 时找到了反例，在 $\\gamma = 1$ 时验证了两者相等："),
        ("mistake", "mistake.pg-drops-gamma-t"),
        ("eq", "pg.psi-reward-to-go-undiscounted"),
    ],
    "使用一个ψt来替换R(τ),策略的梯度变成:": [
        ("stated", r"\nabla_\theta J(\theta) = \mathbb{E}_{\tau \sim \pi_\theta}\left[ \sum_{t=0}^{T-1} \psi_t\, \nabla_\theta \log \pi_\theta(a_t \mid s_t) \right]", None),
        ("text", "这是一个“模板”：$\\psi_t$ 可以是任何满足 $\\mathbb{E}[\\psi_t \\mid s_t, a_t] = \\gamma^t Q^\\pi(s_t, a_t) - b_t(s_t)$ "
                 "的量（$b_t$ 只依赖状态，也可以为 0），不只是下面六种；下面六种是最常用的（都带上 $\\gamma^t$），每一种都单独验证过。"),
    ],
    "总的来说ψt可能有如下的实现方式:": [
        ("text", "六种取法在 derive 的目录里各是一条恒等式（折扣目标下每一项都带 $\\gamma^t$，$\\gamma = 1$ 时就是原文的写法）："),
        ("eq", "pg.reinforce"),
        ("eq", "pg.psi-reward-to-go"),
        ("eq", "pg.psi-baseline"),
        ("eq", "pg.psi-q"),
        ("eq", "pg.psi-advantage"),
        ("eq", "pg.psi-td-error"),
        ("text", "用真实的 $V^\\pi$、$Q^\\pi$ 时，六种估计的期望相同（上面每一条都验证过），方差却不一样。但实践中 critic 是"
                 "估计出来的：下图的蓝色柱用的 critic 是在另外 20 条轨迹上拟合的（对回报做回归；表格情形下就是按 $(t, s)$ 或 "
                 "$(t, s, a)$ 对回报求平均，没访问到的状态取 0），灰色柱是真实 $V^\\pi$、$Q^\\pi$ 的理想情形；"
                 "同一个随机 MDP 上各用同一批轨迹，比较单条轨迹估计的方差（各梯度分量方差之和）。"
                 "用估计的 critic 时，(4)(5)(6) 一般不再无偏（红色斜线：均值离精确梯度太远）；(3) 的基线只依赖状态，仍然无偏。"),
        ("figure", "psi-variance.png", "六种 ψt 的方差：蓝色为拟合的 critic，灰色为真实的 V^π、Q^π；红色斜线表示有偏"),
        ("psi-text",),
        ("chain", "2.6-psi-forms.md"),
    ],
    "由于MDP(马尔可夫决策过程)的假设,t时刻前发生的事情和t时刻没有关系,t时刻后发生的事情才会收到t时刻的影响,因此令:": [
        ("eq", "pg.psi-reward-to-go"),
        ("note", "这里真正用到的是因果性（时间顺序），不是马尔可夫性：$r_{t'}$（$t' < t$）在 $a_t$ 被抽出之前就已经确定，"
                 "而得分函数的条件期望为 0，所以两者的乘积期望为 0。即使环境不是马尔可夫的，这一步也成立。"
                 "另外 $r_t = R(s_t, a_t, s_{t+1})$ 依赖 $a_t$，必须留在 $\\psi_t$ 里。"),
        ("eq", "pg.past-rewards-vanish"),
        ("mistake", "mistake.reward-to-go-from-t-plus-1"),
    ],
    "(3)引入基线": [
        ("eq", "pg.psi-baseline"),
        ("text", "基线 $b$ 可以是任何只依赖状态的函数，因为得分函数的期望为 0："),
        ("eq", "pg.score-mean-zero"),
        ("eq", "pg.baseline-unbiased"),
        ("mistake", "mistake.action-dependent-baseline"),
        ("chain", "2.6.1-baselines.md"),
    ],
    "(6)状态价值的TD error rt+γVπ(st+1)-Vπ(st)": [
        ("note", "(6) 只有在 $V$ 是当前策略的真实价值 $V^\\pi$ 时才无偏；用一个学出来的、不准的 critic，TD error 的期望就不是优势函数了（见 2.6.6）。"),
    ],
    # 2.6.2
    "2.6.2 回报": [
        ("text", "从 t 时刻开始的回报 $G_t = \\sum_{t'=t}^{T-1} \\gamma^{t'-t} r_{t'}$（$G_T = 0$）满足递归："),
        ("eq", "return.recursion"),
        ("mistake", "mistake.return-recursion-gamma-on-reward"),
        ("chain", "2.6.2-return-recursion.md"),
    ],
    # 2.6.3
    "评价的是一个状态的好坏": [
        ("eq", "values.v-definition"),
    ],
    "上面是状态价值函数最原子的定义,我们把这个定义展开,以便更好理解 是如何计算的:(不全,但是明白就行)": [
        ("text", "按原文说的把定义展开，看 $V$ 是怎么算出来的：先写成各步期望奖励的折扣和；再拆成一步——第一步的奖励加上"
                 "折扣后的下一个状态的价值，这也就是按策略对动作价值 $Q^\\pi(s_t, a_t)$ 求平均；最后把两个期望写成对动作 $a_t$ "
                 "和下一个状态 $s_{t+1}$ 的求和，并把 $s_{t+1}$ 处的 $V$ 用同样的方法再展开一层。原文说的“不全”就是这样"
                 "展开一两层就停下；一直展开到 $V^\\pi(s_T) = 0$，就是整棵“动作—下一个状态”的树。下面每一步都由 derive 检查："),
        ("proof", "2.6.3-state-value.md", "open"),
    ],
    # 2.6.4
    "评价的是一个状态-动作对的好坏": [
        ("eq", "values.q-definition"),
        ("chain", "2.6.4-action-value.md"),
    ],
    # 2.6.5
    "2.6.5 动作价值函数和状态价值函数的互相转换": [
        ("text", "$V$ 是 $Q$ 按策略的加权平均；$Q$ 是“拿到这一步的奖励，再加上折扣后的下一个状态的 $V$”。两者代入彼此就得到 Bellman 方程："),
        ("eq", "values.v-from-q"),
        ("eq", "values.q-from-v"),
        ("eq", "values.bellman-v"),
        ("eq", "values.bellman-q"),
        ("mistake", "mistake.bellman-missing-gamma"),
        ("chain", "2.6.5-bellman.md"),
    ],
    # 2.6.6
    "2.6.6 优势函数和TD error": [
        ("text", "优势函数衡量“这个动作比平均水平好多少”，按策略平均为 0；用真实 $V^\\pi$ 算的 TD error 是它的无偏估计："),
        ("eq", "values.advantage-mean-zero"),
        ("eq", "values.td-error-expectation"),
        ("mistake", "mistake.td-error-any-v"),
        ("chain", "2.6.6-advantage-td-error.md"),
    ],
    # 2.7
    "2.7 Actor-Critic": [
        ("text", "Actor 是策略 $\\pi_\\theta$，Critic 是价值函数 $V$（参数另算）。Critic 负责估计优势，Actor 用它做 2.6.1 的第 (5)/(6) 种梯度。"),
    ],
    "2.7.1 Actor优化目标": [
        ("text", "在旧策略采的样本上，最大化 $\\sum_t \\gamma^t \\log \\pi_\\theta(a_t \\mid s_t) A_t$；它在 $\\theta = \\theta_{\\text{old}}$ 处的梯度就是策略梯度："),
        ("eq", "ac.actor-objective-gradient"),
        ("chain", "2.7.1-actor.md"),
    ],
    "2.7.2 Critic优化目标": [
        ("text", "Critic 回归回报 $G_t$（或 TD 目标 $r_t + \\gamma V(s_{t+1})$），即最小化 $\\mathbb{E}[(G_t - V(s_t))^2]$；真实的 $V^\\pi$ 正是 TD 目标的条件期望："),
        ("eq", "ac.critic-td-target"),
        ("eq", "ac.critic-regression"),
        ("chain", "2.7.2-critic.md"),
    ],
    "2.7.3 Actor和Critic之间的关系": [
        ("text", "两者在优势函数上相遇：Critic 给出 $V$，TD error 的条件期望就是 Actor 需要的优势："),
        ("eq", "ac.advantage-from-critic"),
        ("chain", "2.7.3-actor-critic.md"),
    ],
    # 2.8
    "2.8.1 朴素Actor-Critic的问题": [
        ("text", "朴素 Actor-Critic 的问题：(a) 它是 on-policy 的，每更新一次策略，旧数据就不再服从新策略的分布，只能丢掉重采；"
                 "(b) Critic 不准时，TD error 是有偏的优势估计；(c) 步长不好控制，一步走大了策略就崩了。"
                 "(a) 引出重要性采样（2.8.2），(b) 引出 GAE（2.8.3），(c) 引出 TRPO/PPO（2.8.4、2.9）。"),
        ("mistake", "mistake.td-error-any-v"),
        ("chain", "2.8.1-naive-actor-critic.md"),
    ],
    "2.8.2 重要性采样": [
        ("text", "用分布 $q$ 的样本估计分布 $p$ 下的期望，乘上比值 $p/q$ 即可；对轨迹而言，环境动力学在比值里消掉了，只剩下每一步策略概率之比："),
        ("eq", "is.identity"),
        ("eq", "is.trajectory-ratio"),
        ("eq", "is.surrogate-gradient"),
        ("text", "代价是方差：比值偏离 1 越多，方差越大——这正是后面要“裁剪”比值的原因。"),
        ("eq", "is.variance"),
        ("mistake", "mistake.inverted-ratio"),
        ("chain", "2.8.2-importance-sampling.md"),
    ],
    "(1)方差与偏差": [
        ("text", "先说清楚“偏差”和“方差”指什么。优势估计 $\\hat{A}_t$ 是从一条采样轨迹算出来的随机量；固定状态—动作对 "
                 "$(s_t, a_t)$，对之后的轨迹取期望（记号 $\\mathbb{E}[\\,\\cdot \\mid s_t, a_t]$），它的偏差是期望与真实优势之差，"
                 "方差是它在期望周围的波动："),
        ("def", r"\operatorname{Bias}\big[\hat{A}_t\big](s_t, a_t) = \mathbb{E}\left[ \hat{A}_t \mid s_t, a_t \right] - A^{\pi}(s_t, a_t)",
         ("gae.k-step-bias-any-critic", "gae.bias-any-critic")),
        ("def", r"\operatorname{Var}\big[\hat{A}_t\big](s_t, a_t) = \mathbb{E}\left[ \left( \hat{A}_t - \mathbb{E}\left[ \hat{A}_t \mid s_t, a_t \right] \right)^2 \mid s_t, a_t \right]", ()),
        ("text", "两者合起来就是均方误差：$\\mathbb{E}[(\\hat{A}_t - A^{\\pi}(s_t, a_t))^2 \\mid s_t, a_t] = \\operatorname{Bias}^2 + \\operatorname{Var}$。"
                 "偏差中依赖动作的部分一般会让策略梯度的期望偏离真实梯度（只依赖状态的部分相当于基线，不改变期望）；方差不改变期望，只让估计更“抖”，多采样就能平均掉。"),
        ("text", "k 步优势只用 k 个真实奖励，然后用 $V$ “自举”：k 小，方差小但 $V$ 不准时偏差大；k 大则反过来。它可以展开成 TD error 的折扣和："),
        ("eq", "gae.k-step-telescopes"),
        ("text", "critic 不准时，k 步优势的偏差只来自两端的 critic 误差 $V - V^\\pi$（$V(s_T) = 0$）："),
        ("eq", "gae.k-step-bias-any-critic"),
    ],
    "(2)GAE": [
        ("text", "GAE 把所有 k 步优势按 $(1-\\lambda)\\lambda^{k-1}$ 加权平均（在回合结束处截断），等价于 TD error 按 $\\gamma\\lambda$ 折扣求和，也可以倒着递归计算："),
        ("eq", "gae.sum-of-td-errors"),
        ("eq", "gae.mixture"),
        ("eq", "gae.recursion"),
        ("eq", "gae.lambda-zero"),
        ("eq", "gae.lambda-one"),
        ("eq", "gae.unbiased-with-true-v"),
        ("text", "critic 不准时，GAE 的偏差是各个 k 步偏差按同样的权重 $(1-\\lambda)\\lambda^{k-1}$ 的混合（在 T 处截断：$k \\ge T-t$ 的权重都落在 $k = T-t$ 上）。"
                 "$\\lambda = 1$ 时只剩 $-(V - V^\\pi)(s_t)$：它只依赖状态，起基线的作用，所以策略梯度估计无偏，而优势估计本身仍然有偏："),
        ("eq", "gae.bias-any-critic"),
        ("eq", "gae.lambda-one-any-critic-policy-gradient"),
        ("mistake", "mistake.gae-unbiased-any-v"),
        ("mistake", "mistake.gae-lambda-for-gamma-lambda"),
        ("text", "下图用一个不准的 critic（真实 $V^\\pi$ 加上高斯噪声）在随机 MDP 上计算 GAE：$\\lambda$ 从 0 到 1，偏差下降、方差上升。"
                 "左图虚线是偏差中依赖动作的部分：只依赖状态的偏差就像一个基线，不会让策略梯度有偏，$\\lambda = 1$ 时依赖动作的偏差（除采样误差外）为 0。"),
        ("figure", "gae-bias-variance.png", "GAE 的偏差与方差随 λ 的变化（critic = V^π + 噪声）"),
        ("chain", "2.8.3-gae.md"),
    ],
    "2.8.4 PPO前身:TRPO": [
        ("text", "TRPO 的出发点是性能差分引理：新旧策略目标之差，等于新策略下旧策略优势的期望。"),
        ("eq", "trpo.pdl-trajectory"),
        ("eq", "trpo.pdl-state"),
        ("note", "状态分布 $d^{\\pi'}$ 是带折扣、归一化的：$d^{\\pi}(s) = (1-\\gamma)\\sum_t \\gamma^t \\Pr(s_t = s)$，所以前面有 $1/(1-\\gamma)$。"
                 "很多介绍把这个折扣和系数悄悄丢掉，或直接换成旧策略的状态分布——后者正是 TRPO 的近似，不是恒等式："),
        ("mistake", "mistake.pdl-old-state-distribution"),
        ("text", "TRPO 把 $d^{\\pi'}$ 换成 $d^{\\pi_{\\text{old}}}$ 得到代理目标 $L$，它在 $\\theta_{\\text{old}}$ 处与 $J$ 的值和梯度都相同，"
                 "也就是说 $L$ 是 $J$ 在 $\\theta_{\\text{old}}$ 附近的一阶近似；离开 $\\theta_{\\text{old}}$ 多远还能信它，由下面的定理 1 定量地回答："),
        ("eq", "trpo.surrogate-matches-value"),
        ("eq", "trpo.surrogate-matches-gradient"),
        ("text", "但这只是一阶的吻合：离开 $\\theta_{\\text{old}}$ 之后，代理目标（PPO 代码里的 $\\sum_t \\gamma^t r_t(\\theta) A_t$）"
                 "不等于真实的改进 $J(\\theta) - J(\\theta_{\\text{old}})$：比值只修正了动作的分布，状态仍来自旧策略："),
        ("mistake", "mistake.surrogate-is-improvement"),
        ("text", "这个带约束的问题不是凭空来的：TRPO 论文（Schulman et al. 2015）的定理 1 给出了新策略目标的一个下界。"
                 "条件是：无限时域、折扣 $0 \\le \\gamma < 1$ 的 MDP，$\\pi$、$\\pi'$ 是任意两个平稳的随机策略，"
                 "$\\epsilon = \\max_{s,a} |A^\\pi(s, a)|$ 用精确的优势函数，$\\alpha = \\max_s D_{\\mathrm{TV}}(\\pi(\\cdot \\mid s), \\pi'(\\cdot \\mid s))$"
                 "（两个最大值都取遍所有状态，不是对访问到的状态取平均）。结论是：代理目标 $L_\\pi(\\pi')$ "
                 "减去惩罚 $\\frac{4 \\epsilon \\gamma}{(1-\\gamma)^2} \\alpha^2$，就不超过真实的 $J(\\pi')$。"
                 "这种形式的界最早由 Kakade & Langford（2002）对混合策略 $\\pi' = (1 - a)\\pi + a\\tilde{\\pi}$ 证明（常数是 2）；"
                 "TRPO 的定理 1 用耦合论证把它推广到任意随机策略，代价是常数变成 4。"
                 "记右边为 $M_\\pi(\\pi')$：在 $\\pi' = \\pi$ 处惩罚为 0、代理目标等于 $J(\\pi)$，所以 $M_\\pi(\\pi) = J(\\pi)$"
                 "（下面的推导里检查了这一步），于是 $J(\\pi') - J(\\pi) \\ge M_\\pi(\\pi') - M_\\pi(\\pi)$：只要新策略不让下界 $M_\\pi$ 变小"
                 "（比如取它的最大值点，$\\pi' = \\pi$ 本身就是一个候选），$J$ 就不会变差，这就是单调改进。"
                 "定理 1 本身 derive 没有逐步推导（耦合论证没有写成可检查的步骤），而是作为引用的结果；derive 在随机 MDP 上把它当作不等式精确检查（这是证据，不是证明；没有 Monte Carlo：不等式没有可采样的“期望值”），"
                 "徽章里给出非退化实例上最小的余量 $J(\\pi') - \\text{右边}$（它不为负才算成立）。在退化的实例上（只有一个动作、"
                 "$\\gamma = 0$，或 $\\pi' = \\pi$）两边相等、余量为 0，这并不说明界在一般情况下是紧的，所以不计入："),
        ("eq", "trpo.lower-bound"),
        ("note", "这里的 $d^{\\pi}$ 和上面一样是归一化的折扣状态分布 $d^{\\pi}(s) = (1-\\gamma)\\sum_t \\gamma^t \\Pr(s_t = s)$，"
                 "所以 $L$ 里有 $1/(1-\\gamma)$。TRPO 论文用的是不归一化的 $\\rho_\\pi(s) = \\sum_t \\gamma^t \\Pr(s_t = s) = d^{\\pi}(s)/(1-\\gamma)$，"
                 "写成 $L_\\pi(\\pi') = \\eta(\\pi) + \\sum_s \\rho_\\pi(s) \\sum_a \\pi'(a \\mid s) A_\\pi(s, a)$，两种写法是同一个量。"
                 "另外论文的界用 $D_{\\mathrm{TV}}^{\\max}$（$\\alpha$）；实际算法换成了 $D_{\\mathrm{KL}}^{\\max} \\ge \\alpha^2$，"
                 "再把“最大值”换成“平均值”、把惩罚换成约束 $\\delta$——后两步是工程上的近似，不再有这个保证。"),
        ("stated", r"\max_\theta\ \mathbb{E}_{s \sim d^{\pi_{\theta_{\text{old}}}},\, a \sim \pi_{\theta_{\text{old}}}}\left[ \frac{\pi_\theta(a \mid s)}{\pi_{\theta_{\text{old}}}(a \mid s)} A^{\pi_{\theta_{\text{old}}}}(s, a) \right] \quad \text{s.t.}\quad \mathbb{E}_{s}\left[ D_{\mathrm{KL}}\left(\pi_{\theta_{\text{old}}}(\cdot \mid s) \,\|\, \pi_\theta(\cdot \mid s)\right) \right] \le \delta", None),
        ("chain", "2.8.4-trpo-finite.md"),
        ("chain", "2.8.4-trpo-discounted.md"),
        ("proof", "2.8.4-trpo-bound.md"),
    ],
}
