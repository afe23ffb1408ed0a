"""A font for the figures' Chinese text: ``cjk_family()`` finds one by family name, with a fallback.

Matplotlib's default DejaVu Sans has no CJK glyphs (Chinese labels would print as boxes).  The OS
package fonts-noto-cjk (Debian/Ubuntu: ``apt-get install fonts-noto-cjk``; listed in README.md and
.ci/run) installs Noto Sans CJK; ``cjk_family()`` looks for the families in ``CJK_FAMILIES`` among
the fonts matplotlib knows, then among the system's font files (a font installed after matplotlib
built its cache is added with ``font_manager.fontManager.addfont``).  When none is found it returns
``None`` and ``warn_missing()`` prints one warning on stderr naming the package; the figures are still
written, with DejaVu Sans.  ``rc_for(lang)`` is the rcParams a figure in ``lang`` is drawn with.
"""
from __future__ import annotations

import sys
from functools import lru_cache

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei",
                "WenQuanYi Micro Hei", "Droid Sans Fallback", "AR PL UMing CN")
FALLBACK = "DejaVu Sans"
PACKAGE = "fonts-noto-cjk"


def _known(fm) -> set:
    return {f.name for f in fm.fontManager.ttflist}


@lru_cache(maxsize=1)
def cjk_family() -> str | None:
    """The first family of ``CJK_FAMILIES`` that matplotlib can use, else None."""
    from matplotlib import font_manager as fm

    names = _known(fm)
    for fam in CJK_FAMILIES:
        if fam in names:
            return fam
    for path in sorted(fm.findSystemFonts()):
        low = path.lower()
        if any(k in low for k in ("cjk", "wqy", "wenquanyi", "droidsansfallback", "sourcehan", "uming")):
            try:
                fm.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue
    names = _known(fm)
    for fam in CJK_FAMILIES:
        if fam in names:
            return fam
    return None


_warned = []


def warn_missing(stream=None) -> None:
    if not _warned:
        _warned.append(True)
        print(f"derive: warning: no CJK font found (install the OS package {PACKAGE}); the figures' Chinese "
              f"text is drawn with {FALLBACK} and may show as empty boxes", file=stream or sys.stderr)


def rc_for(lang: str) -> dict:
    """rcParams for a figure whose text is in ``lang`` (a CJK family first, DejaVu Sans for the rest)."""
    if lang != "zh":
        return {}
    fam = cjk_family()
    if fam is None:
        warn_missing()
        return {}
    return {"font.family": "sans-serif", "font.sans-serif": [fam, FALLBACK], "axes.unicode_minus": False}
