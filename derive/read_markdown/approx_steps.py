"""Steps written with ``\\approx`` or ``\\propto``: read like ``=`` steps, judged by check_derivations/approx.py.

``READ_RELATIONS`` maps the relation kinds of read_latex/relations.py to ``Step.relation``
(``\\approx``, ``\\simeq``, ``≈`` -> "approx"; ``\\propto`` -> "propto").  Both sides are read as
for ``=``; in an ``\\approx`` step a side that is a sample mean ``\\frac{1}{N}\\sum_{i=1}^{N} X^{(i)}``
(read_latex/sample_means.py) is read as its expectation ``\\mathbb{E}[X]``, with a note in ``read as``
and ``Step.approx["sample_mean"]`` naming the side, so that the checker never calls it "holds".
The shared segment of a chain is never changed: the next step reads the side as written.
"""
from __future__ import annotations

import dataclasses

from ..read_latex import sample_means

READ_RELATIONS = {"approximation": "approx", "proportionality": "propto"}


def sample_mean_side(seg, parse):
    """``seg`` (a reader _Seg) read as a sample mean's expectation, as a new segment, or None.

    ``parse(seg)`` is the reader's parser of a segment (it sets ``value`` / ``error``).  None when the
    side is no sample mean, or when its term cannot be read but the side as written can; when neither
    can, the new segment carries the term's error, named as such."""
    sm = sample_means.sample_mean(seg.tex)
    if sm is None:
        return None
    alt = dataclasses.replace(seg, tex=sample_means.expectation_tex(sm), value=None, error=None, parsed=False,
                              notes=list(seg.notes) + [sample_means.note(sm)], disp=None)
    parse(alt)
    if alt.error is not None and seg.error is not None:  # say what in the average was not read
        alt.error = type(seg.error)(f"the sample mean {sm.written[:80]} (read as the expectation of its term X) "
                                    f"cannot be read: in X = {sm.body.strip()[:80]}: {alt.error.message}",
                                    seg.error.line, seg.error.col)
        alt.value = None
        return alt
    return None if alt.error is not None else alt


def paired_means(lhs, rhs, parse):
    """Two sides that are sample means over the same N draws (``\\frac{1}{N}\\sum_{n=1}^{N} X(\\tau^n) =
    \\frac{1}{N}\\sum_{n=1}^{N} Y(\\tau^n)``, Easy RL eq. 4.3): (X, Y, E[X], E[Y], note) as parsed segments'
    values, or None.  The step is judged draw by draw (check_derivations/approx.py: judge_paired_means)."""
    a, b = sample_means.sample_mean(lhs.tex), sample_means.sample_mean(rhs.tex)
    if a is None or b is None or (a.count, a.index) != (b.count, b.index):
        return None
    out = []
    for seg, sm in ((lhs, a), (rhs, b)):
        for tex in (sm.body, sample_means.expectation_tex(sm)):
            alt = dataclasses.replace(seg, tex=tex, value=None, error=None, parsed=False, notes=[], disp=None)
            parse(alt)
            if alt.error is not None:
                return None
            out.append(alt)
    note = (f"both sides are sample means over the same {a.count} draws (label {a.index}): equal for every sample "
            f"exactly when their terms are equal draw by draw; derive compares the terms X = {a.body.strip()} and "
            f"Y = {b.body.strip()} on every trajectory")
    return out[0], out[2], out[1], out[3], note


def sample_mean_sides(step, lhs, rhs, parse):
    """The (lhs, rhs) segments of a step after its sample means are read: in an ``\\approx`` step a side that
    is one is read as its expectation (``step.approx["sample_mean"]`` names the side); in an ``=`` step
    between two sample means over the same draws the terms are compared (``step.relation`` "means=",
    ``step.approx["expect"]`` the two expectations).  The segments given are never changed."""
    if step.relation == "approx":
        means = [sample_mean_side(seg, parse) for seg in (lhs, rhs)]
        step.approx.update(("sample_mean", side) for side, m in zip(("lhs", "rhs"), means) if m)
        return means[0] or lhs, means[1] or rhs
    if step.relation == "=" and (lhs.error or rhs.error):
        pair = paired_means(lhs, rhs, parse)
        if pair is not None:
            step.relation, step.approx = "means=", {"expect": (pair[2].value, pair[3].value)}
            pair[0].notes.append(pair[4])
            return pair[0], pair[1]
        from .sample_labels import per_sample_sides  # \tau^{(i)}, s_t^{(i)}: a step about one sample

        one = per_sample_sides(lhs, rhs, parse)
        if one is not None:
            return one[0], one[1]
    return lhs, rhs


def sample_mean_error(seg, relation: str, where: tuple):
    """A clearer reason, at ``where`` (line, col of the side), for a sample mean not read outside ``\\approx``."""
    if seg.error is None or relation == "approx" or sample_means.sample_mean(seg.tex) is None:
        return seg.error
    return type(seg.error)(
        "a sample mean \\frac{1}{N}\\sum_{i=1}^{N} X^{(i)} is an estimate, not a value derive can compare "
        "with '" + relation + "': it is read in an \\approx step (as its expectation, checked for unbiasedness: "
        "write \\approx) or as \\lim_{N \\to \\infty} \\frac{1}{N}\\sum_{i=1}^{N} X^{(i)} (the expectation, by the "
        "law of large numbers)", *where)


__all__ = ["READ_RELATIONS", "sample_mean_side", "sample_mean_sides", "sample_mean_error", "paired_means"]
