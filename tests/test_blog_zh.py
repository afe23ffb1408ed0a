"""The Chinese blog reads in one language and in reading order (issue 15, items 1, 2 and 6).

derive's own text in the blog (badges, conditions, mistake names, step justifications, proof titles,
fold-out summaries, figure labels, notebook cells) is Chinese: taken from derive/writeup/locale/zh.po
(i18n.py).  The language test extracts what derive wrote (never the author's text), removes math, code,
identifiers and file names, and looks for runs of English words.
"""
from __future__ import annotations

import re

import pytest

from derive.writeup import i18n, markdown, notebook
from derive.writeup.badges import Unchecked, badge_entry, badge_step
from derive.writeup.blog import build_blog
from derive.writeup.doc import Chain, Figure, Heading, Link, Math, Note, Para, Verbatim

# Words that are names or notation, not English sentences (a run of them is not a sentence either).
NAMES = {"MDP", "MDPs", "KL", "TD", "GAE", "PPO", "TRPO", "GRPO", "GPG", "DAPO", "Dr", "RLHF", "SFT", "LLM", "REINFORCE",
         "EGLP", "Actor", "Critic", "Clip", "CLIP", "Penalty", "token", "reward", "to", "go", "error", "derive",
         "policy", "based", "value", "Bellman", "Monte", "Carlo", "Q", "Prop", "Cauchy", "Schwarz", "Nota", "Thomas",
         "Sutton", "Barto", "Gu", "Wu", "et", "al", "detach", "critic", "actor", "on", "off", "setting", "finite",
         "discounted", "family", "gamma", "lambda", "theta", "old", "pi", "ref", "eps", "epsilon", "alpha", "grad",
         "log", "sqrt", "max", "min", "mean", "std", "clip", "exp", "sum", "prod", "tau", "rho", "delta", "sigma",
         "float64", "targ", "VF", "psi", "just", "infinity", "TV", "no", "checks", "John", "Schulman",
         "Group", "Gradient", "beta", "pi_r", "Kakade", "Langford"}  # GPG (Group Policy Gradient): a method's name; authors
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]")


def english_runs(text: str, n: int = 2) -> list:
    """Runs of at least ``n`` English words not separated by CJK text, math or code.

    A name or notation word (NAMES), a number or a symbol neither counts nor ends a run."""
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$|`[^`]*`|```.*?```", " ¦ ", text, flags=re.S)  # math and code
    text = re.sub(r"\\?\[[^\]]*\\?\]|proofs/\S+|https?://\S+|[\w.-]+\.(md|png|py)\b", " ¦ ", text)  # ids, files
    out = []
    for chunk in re.split(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef¦·—]+", text):
        run = []
        for tok in re.split(r"[\s,;:()]+", chunk):
            if _WORD.fullmatch(tok) and tok not in NAMES and tok.lower() not in NAMES:
                run.append(tok)
                if len(run) >= n:
                    out.append(" ".join(run))
    return out


def derive_text(doc) -> str:
    """Everything derive wrote into the document, rendered as Markdown (the author's text left out)."""
    parts = []
    for b in doc.blocks:
        if isinstance(b, (Para, Heading)) and not b.added:
            continue
        if isinstance(b, Math):
            parts.append(markdown._plain(b.badge) + " " + b.conditions)
        elif isinstance(b, Chain):
            parts.append(b.summary + "\n" + "\n".join(r.justification + " " + r.badge for r in b.rows))
        elif isinstance(b, Verbatim):
            parts.append(b.summary + "\n" + "\n".join(b.lines))  # the tables are data; the words around them are not
        elif isinstance(b, (Para, Heading, Note, Figure, Link)):
            parts.append(markdown.block_md(b, "zh") or "")
    return "\n".join(parts)


@pytest.fixture(scope="module")
def doc():
    i18n.forget_missing()  # what this blog asks for, not what other tests in this process asked for
    built = build_blog(Unchecked(seed=0, samples=1000))
    built.untranslated = i18n.missing("zh")
    return built


@pytest.fixture(scope="module")
def md(doc):
    return markdown.render(doc)


def test_the_detector_finds_english():
    """The language test can fail: an English justification or badge is found, notation and names are not."""
    assert english_runs("(3) the score has mean 0 — ✓ 精确：22 个随机 MDP")
    assert english_runs("✓ exact: 22 random MDPs · Monte Carlo: max |z| = 0.9")
    assert not english_runs("有限时域；V = V^pi 精确成立；$\\nabla_\\theta \\log \\pi$ · [pg.reinforce] proofs/2.5.1-x.md")
    assert not english_runs("GRPO 的 Dr. GRPO 和 DAPO 的 token 级平均")


def test_no_english_sentence_in_what_derive_wrote(doc):
    text = derive_text(doc)
    assert len(text) > 20000  # the whole of derive's text, not an empty extraction
    assert english_runs(text) == []
    assert not doc.untranslated, sorted(doc.untranslated)[:5]  # every string the blog asked for was translated


def test_badges_in_chinese_for_every_verdict():
    holds = {"id": "pg.reinforce", "kind": "identity", "verdict": "holds",
             "methods": {"exact": "holds: 22 random MDPs (exact rational arithmetic)",
                         "montecarlo": "holds: max |z| = 1.23 over 6 components (N = 20000)"}}
    ineq = {"id": "trpo.lower-bound", "kind": "identity", "verdict": "holds",
            "methods": {"exact": "holds: 22 random MDPs; smallest slack lhs - rhs = 1/7 on 20 instances",
                        "montecarlo": "n/a: inequalities are checked exactly"}}
    refuted = {"id": "mistake.v-max-q", "kind": "mistake", "verdict": "fails",
               "methods": {"exact": "fails: counterexample", "montecarlo": "n/a: nothing to sample"}}
    b = [badge_entry(r, "zh") for r in (holds, ineq, refuted)]
    assert b[0] == "✓ 精确：22 个随机 MDP · 蒙特卡洛：max |z| = 1.23（N = 20000） · [pg.reinforce]"
    assert b[1].startswith("✓ 不等式，精确：22 个随机 MDP，最小余量 左边 − 右边 = 1/7")
    assert b[2] == "✗ 已被反例否定 精确：找到反例 · 蒙特卡洛：不适用（式中没有要采样的期望） · [mistake.v-max-q]"
    assert badge_entry(holds, "en").startswith("✓ exact: 22 random MDPs · Monte Carlo: max |z| = 1.23")
    assert badge_step({"verdict": "holds", "reason": "22 random MDPs"}, "token", "zh") == "✓ 精确：22 个 token MDP"
    assert all(not english_runs(x) for x in b)


def test_po_catalog_reads_and_keeps_format_fields():
    po = i18n.catalog("zh")
    assert len(po) > 400
    for k, v in po.items():
        assert re.findall(r"\{\w*\}", k) == re.findall(r"\{\w*\}", v) or \
            sorted(re.findall(r"\{\w*\}", k)) == sorted(re.findall(r"\{\w*\}", v)), k
    text = 'msgid "a \\"b\\" \\\\c"\nmsgstr ""\n"甲"\n"乙"\n'
    assert i18n.read_po(text) == {'a "b" \\c': "甲乙"}
    with pytest.raises(ValueError):
        i18n.read_po("msgstr \"x\"\n")
    assert i18n.tr("linearity", "en") == "linearity" and i18n.tr("linearity", "zh") == "线性性"


def test_each_entry_is_displayed_once(doc):
    """No block repeated: a catalog entry is displayed once; later mentions refer back to it."""
    shown = [re.search(r"\[([^\]]+)\]$", b.badge).group(1) for b in doc.blocks
             if isinstance(b, Math) and re.search(r"\[([^\]]+)\]$", b.badge) and not b.badge.startswith(("⚠", "≡"))]
    assert len(shown) > 80 and len(shown) == len(set(shown))
    back = [b.text for b in doc.blocks if isinstance(b, Para) and "不再重复" in b.text]
    assert any("[pg.reinforce]" in t and "2.5.2" in t for t in back)  # 2.6 refers back to where it was shown
    chains = [b.source for b in doc.blocks if isinstance(b, Chain)]
    assert len(chains) == len(set(chains))


def test_steps_and_counterexamples_fold(md):
    """Step-by-step checks and counterexamples sit in <details>; the page shows one badge per display."""
    assert md.count("<details>") == md.count("</details>") > 20
    for m in re.finditer(r"<summary>(.*?)</summary>\n\n", md):
        assert m.group(1).startswith(("逐步推导", "derive 找到的")), m.group(1)
    body, closing = md.split("\n# 三、")  # the closing section shows its derivation open: it answers the question
    assert "\\begin{aligned}" in closing and "<details>" not in closing
    outside = re.sub(r"<details>.*?</details>", "", body, flags=re.S)
    # no dumps or step chains unfolded, except 2.6.3's expansion of V: the text promises it, it is the content
    opened = re.findall(r"^(逐步推导 proofs/[\w.-]+).*：$", outside, flags=re.M)
    assert opened == ["逐步推导 proofs/2.6.3-state-value.md"], opened
    outside = re.sub(r"^逐步推导 proofs/2\.6\.3-state-value\.md.*?\n(?=### 2\.6\.4)", "", outside, flags=re.S | re.M)
    assert "```text" not in outside and "\\begin{aligned}" not in outside
    assert not re.search(r"^- \(\d+\) ", outside, flags=re.M)


def test_author_text_unchanged(doc):
    from derive.writeup.blog import parse_blog

    own = [b.text for b in doc.blocks if isinstance(b, (Para, Heading)) and not b.added]
    assert own == [line for _, line in parse_blog()]


def test_writeup_lang():
    from derive.writeup.writeup import build_writeup

    zh = markdown.render(build_writeup(["values.v-from-q"], Unchecked(), lang="zh"))
    en = markdown.render(build_writeup(["values.v-from-q"], Unchecked(), lang="en"))
    assert "### 陈述" in zh and "### 数值检查" in zh and "### Statement" not in zh
    assert "### Statement" in en and "Conditions: " in en and "条件" not in en


def test_cli_writeup_lang_flag(tmp_path, capsys):
    from derive.cli import main

    out = tmp_path / "w.md"
    assert main(["writeup", "values.v-from-q", "--out", str(out), "--lang", "zh", "--samples", "200"]) == 0
    text = out.read_text(encoding="utf-8")
    assert "### 陈述" in text and "✓ 精确：" in text
    with pytest.raises(SystemExit):
        main(["writeup", "values.v-from-q", "--out", str(out), "--lang", "fr"])
    assert "invalid choice" in capsys.readouterr().err


def test_notebook_cells_render_tables_not_dicts(doc):
    nb = notebook.build(doc, seed=0, samples=1000)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "print(data)" not in code and "print(" not in code
    assert "display(Markdown(figure_markdown(" in code and "checks_markdown(" in code and "LANG = 'zh'" in code
    assert "准备工作" in code  # the comments are in the document's language


def test_figure_table_markdown():
    from derive.writeup.notebook_tables import figure_markdown

    t = figure_markdown("gae-bias-variance.png", {"lambda": [0.0, 1.0], "bias": [0.5, 0.1], "action_bias": [0.2, 0.0],
                                                  "variance": [0.1, 0.9]}, "zh")
    assert t.splitlines()[0] == "| λ | 偏差（均方根） | 依赖动作的偏差 | 方差 |" and len(t.splitlines()) == 4
    t = figure_markdown("pg-convergence.png", {"component": "theta[0, 1]", "exact": 0.25}, "zh")
    assert "| 梯度分量 | theta[0, 1] |" in t and "| 精确值 | 0.25 |" in t


def test_cjk_font_for_figures():
    from derive.writeup.plot_fonts import CJK_FAMILIES, cjk_family, rc_for

    fam = cjk_family()
    if fam is None:
        pytest.skip("no CJK font installed (the OS package fonts-noto-cjk); the figures fall back with a warning")
    assert fam in CJK_FAMILIES
    assert rc_for("zh")["font.sans-serif"][0] == fam and rc_for("en") == {}


def test_closing_section_derives_gpg_from_the_policy_gradient(doc):
    """The answer to the author's question is a derivation derive judges, shown open, every step holding."""
    from derive.writeup.badges import Verifier
    from derive.writeup.proof_links import PROOFS

    d, recs = Verifier(seed=0).steps(str(PROOFS / "2.12-gpg-from-policy-gradient.md"))
    assert len(recs) == 5 and all(r["verdict"] == "holds" for r in recs), [r["reason"] for r in recs]
    i = next(k for k, b in enumerate(doc.blocks) if isinstance(b, Heading) and b.text.startswith("三、"))
    chains = [b for b in doc.blocks[i:] if isinstance(b, Chain)]
    assert [c.source for c in chains] == ["proofs/2.12-gpg-from-policy-gradient.md"] and chains[0].summary == ""


def test_the_objectives_the_text_asks_for_are_shown(doc):
    """2.11 writes GRPO's objective (DeepSeekMath eq. 3), 2.12 GPG's loss, 2.10.1 KL in reward vs loss, 2.14 DPO."""
    maths = {b.tex: b.badge for b in doc.blocks if isinstance(b, Math)}
    grpo = [t for t in maths if t.startswith("\\mathcal{J}_{\\mathrm{GRPO}}")]
    gpg = [t for t in maths if t.startswith("\\mathcal{J}_{\\mathrm{GPG}}")]
    assert grpo and "\\operatorname{clip}" in grpo[0] and "\\frac{1}{|o_i|}" in grpo[0] and "\\beta" in grpo[0]
    assert gpg and "\\frac{1}{\\sum_{i=1}^{G} |o_i|}" in gpg[0] and "-\\log \\pi_\\theta" in gpg[0]
    assert maths[grpo[0]].startswith("≡ 定义") and "[llm-objectives.grpo-sequence-weights]" in maths[grpo[0]]
    badges = " ".join(maths.values())
    for entry_id in ("kl-penalty.in-reward-gradient", "kl-penalty.in-loss-gradient", "mistake.kl-in-loss-is-kl-in-reward",
                     "dpo.kl-regularised-optimum", "dpo.partition-cancels", "dpo.loss-gradient",
                     "llm-objectives.grpo-sequence-weights"):
        assert f"[{entry_id}]" in badges, entry_id


def test_counterexample_blocks_in_chinese():
    """The counterexample code blocks are Chinese too (instance label, "at", "lhs"/"rhs"), for every kind of
    instance derive's engine draws; the data (tables, numbers, notation) is kept as the engine wrote it."""
    from derive.mdp import DISCOUNTED_SCHEDULE, FINITE_SCHEDULE, random_instance
    from derive.writeup.badges import Verifier
    from derive.writeup.blog import mistake_blocks
    from derive.writeup.labels import instance_label

    labels = [random_instance(0, s, a, h, f).label for s, a, h, f in FINITE_SCHEDULE + DISCOUNTED_SCHEDULE]
    labels += ["token MDP: vocabulary 2, length 2 (7 prefixes), gamma = 1",
               "2 states, 2 actions, episodic, gamma = 1, termination q(s,a) = [[1/5, 1/4], [1, 1/2]]",
               "2 states, 2 actions, T = 2, gamma = 3/4, fixed start s_0 = 0, state rewards r(s)",
               "2 states, 2 actions, gamma = 1/2 (fixed)"]
    assert english_runs("MDP: 1 states, 1 actions, T = 1") and english_runs("lhs = -3, rhs = 0", 1)  # can fail
    for label in labels:
        zh = instance_label(label, "zh")
        assert not english_runs(zh, 1), (label, zh)
    assert instance_label(labels[-3], "zh").endswith("q(s,a) = [[1/5, 1/4], [1, 1/2]]")  # a list stays one piece
    verifier = Verifier(seed=0, samples=200)
    for mistake_id in ("mistake.return-starts-at-one", "mistake.reward-to-go-from-t-plus-1", "mistake.inverted-ratio"):
        blocks = [b for b in mistake_blocks(mistake_id, verifier, "zh") if isinstance(b, Verbatim)]
        assert blocks and blocks[0].lines[0].startswith("MDP：") and blocks[0].lines[-1].startswith("左边 = ")
        for line in blocks[0].lines + (blocks[0].summary,):
            assert not english_runs(line, 1), line


def test_psi_figure_text_comes_from_its_numbers(doc):
    """Under the psi_t figure derive's note says what the figure (same seed, same N) shows, in Chinese."""
    from derive.writeup.psi_study import psi_study, psi_text

    i = next(k for k, b in enumerate(doc.blocks) if isinstance(b, Figure) and b.file == "psi-variance.png")
    note = doc.blocks[i + 1]
    assert isinstance(note, Note) and note.text == psi_text(psi_study(0, 1000), "zh")
    assert "拟合" in doc.blocks[i - 1].text and "20 条轨迹" in doc.blocks[i - 1].text  # the text says how the critic is got
    assert not english_runs(note.text)


def test_bias_and_variance_defined_before_the_bias_formula(doc):
    i = next(k for k, b in enumerate(doc.blocks) if isinstance(b, Heading) and b.text == "(1)方差与偏差")
    j = next(k for k, b in enumerate(doc.blocks) if isinstance(b, Heading) and b.text == "(2)GAE")
    maths = [b for b in doc.blocks[i:j] if isinstance(b, Math)]
    assert maths[0].tex.startswith("\\operatorname{Bias}") and maths[0].badge.startswith("≡")
    assert maths[1].tex.startswith("\\operatorname{Var}")
    assert any("[gae.k-step-bias-any-critic]" in m.badge for m in maths[2:])
