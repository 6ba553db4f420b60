"""Chinese glyphs in Matplotlib: register a CJK font that a Python package ships, at run time.

A fresh machine often has no font with Chinese glyphs, and Matplotlib then draws empty boxes and
warns "Glyph … missing from font". The project depends on a wheel that ships Noto Sans SC (SIL
Open Font License), so `pip install fazhi-kg` brings the font; we add its file to Matplotlib's
font manager without copying anything into Matplotlib's folders or the user's matplotlibrc.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fazhi_kg.errors import InputError

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

__all__ = ["FALLBACK", "cjk_family", "font_file", "style", "use_cjk_font"]

PACKAGED_FONTS = (
    # (import package, font file inside it), best first; the first is a dependency of fazhi-kg
    ("pylopdf_fonts_zh_cn", "NotoSansSC-Regular.otf"),
    ("mplfonts", "fonts/NotoSansCJKsc-Regular.otf"),
)
"""Python packages that ship an OpenType font covering Simplified Chinese."""

SYSTEM_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
)
"""Installed font families with CJK coverage, used only when no packaged font is found."""

FALLBACK = "DejaVu Sans"
"""Matplotlib's own font, for any glyph the CJK font lacks (per-glyph fallback)."""

SVG_SALT = "fazhi-kg"
"""Fixed salt for the ids in SVG output, so the same figure gives the same bytes."""


def font_file() -> Path | None:
    """The first packaged CJK font file found, located without importing its package."""
    for package, name in PACKAGED_FONTS:
        spec = importlib.util.find_spec(package)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            path = Path(folder) / name
            if path.is_file():
                return path
    return None


@cache
def cjk_family() -> str:
    """Register the CJK font with Matplotlib's font manager; return its family name."""
    from matplotlib import font_manager

    path = font_file()
    if path is not None:
        font_manager.fontManager.addfont(str(path))
        return str(font_manager.FontProperties(fname=str(path)).get_name())
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in SYSTEM_FAMILIES:
        if family in installed:
            return family
    raise InputError(
        "No font with Chinese glyphs was found for the figures; reinstall fazhi-kg so that its "
        "dependency pylopdf-fonts-zh-cn (Noto Sans SC) is present, or install Noto Sans CJK SC."
    )


def style() -> dict[RcKeyType, Any]:
    """Matplotlib rc settings of the project's figures: CJK font first, deterministic SVG."""
    return {
        "font.family": [cjk_family(), FALLBACK],
        "svg.hashsalt": SVG_SALT,
        "svg.fonttype": "path",
        "figure.dpi": 100,
        "savefig.dpi": 100,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }


def use_cjk_font() -> str:
    """Make the CJK font Matplotlib's default for the whole session (for notebooks); return it."""
    import matplotlib as mpl

    mpl.rcParams.update(style())
    return cjk_family()
