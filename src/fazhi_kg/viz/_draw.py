"""Drawing pieces the figures share: the style decorator, legends, boxes and the graph's relations."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ParamSpec

from fazhi_kg.viz.families import COLOURS, family
from fazhi_kg.viz.fonts import FALLBACK, cjk_family, style
from fazhi_kg.viz.layout import CONTAINERS, STRUCTURE

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text

P = ParamSpec("P")
GREY = "#555555"


def styled(make: Callable[P, Figure]) -> Callable[P, Figure]:
    """Build the figure under the project's style, with the CJK font on every text, ticks too."""

    @functools.wraps(make)
    def build(*args: P.args, **kwargs: P.kwargs) -> Figure:
        import matplotlib as mpl

        with mpl.rc_context(style()):
            fig = make(*args, **kwargs)
            for ax in fig.axes:  # tick labels are made at draw time, maybe outside this context
                ax.tick_params(labelfontfamily=[cjk_family(), FALLBACK])
        return fig

    return build


def new_figure(width: float, height: float) -> Figure:
    """A figure of `width` × `height` inches, outside pyplot (nothing global, nothing leaks)."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height))


def legend(fig: Figure, names: Sequence[str], *, ncol: int = 8, y: float = 0.0) -> None:
    """A legend of family colours along the bottom of the figure."""
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], ls="", marker="o", ms=8, mfc=family(n).colour, mec=GREY, mew=0.5)
        for n in names
    ]
    fig.legend(
        handles,
        [family(n).caption for n in names],
        loc="lower center",
        bbox_to_anchor=(0.5, y),
        ncol=min(ncol, len(names)) or 1,
        frameon=False,
        fontsize=9,
        handletextpad=0.2,
        columnspacing=1.2,
    )


def present(G: nx.MultiDiGraph, nodes: Sequence[str] | set[str]) -> list[str]:
    """The families of `nodes`, in legend order."""
    seen = {str(G.nodes[n].get("family")) for n in nodes}
    return [n for n in COLOURS if n in seen] + sorted(seen - set(COLOURS))


def box(ax: Axes, x: float, y: float, text: str, fam: str, **kw: Any) -> Text:
    """Text in a rounded box tinted with the family colour."""
    colour = family(fam).colour
    return ax.text(
        x,
        y,
        text,
        ha="center",
        va="center",
        fontsize=kw.pop("fontsize", 8.5),
        zorder=3,
        bbox={"boxstyle": "round,pad=0.45", "fc": colour + "55", "ec": colour, "lw": 1.0},
        **kw,
    )


def relations(G: nx.MultiDiGraph, nodes: set[str]) -> list[tuple[str, str, str]]:
    """(source, target, zh label) of the relations among `nodes`, structure left out, sorted."""
    return sorted(
        (u, v, str(d.get("label", "")))
        for u, v, d in G.edges(data=True)
        if u in nodes and v in nodes and u != v and d.get("predicate") not in STRUCTURE
    )


def neighbours(G: nx.MultiDiGraph, n: str) -> list[str]:
    """The entities related to `n` either way, sections and reports left out, sorted."""
    found = {v for _, v, d in G.out_edges(n, data=True) if d.get("predicate") not in STRUCTURE}
    found |= {u for u, _, d in G.in_edges(n, data=True) if d.get("predicate") not in STRUCTURE}
    return sorted(m for m in found - {n} if G.nodes[m].get("family") not in CONTAINERS)


def report_title(G: nx.MultiDiGraph, report: str) -> str:
    """The title of report `report`, or its id."""
    for _, d in G.nodes(data=True):
        if d.get("family") == "Report" and d.get("identifier", "") == report:
            return str(d.get("label", report))
    return report


def text_order(G: nx.MultiDiGraph, n: str) -> tuple[int, int, str]:
    """Sort key: family in legend order, then place in the text."""
    d = G.nodes[n]
    names = list(COLOURS)
    fam = str(d.get("family"))
    start = d.get("start")
    rank = names.index(fam) if fam in names else len(names)
    return (rank, int(start) if isinstance(start, int | float) else -1, n)
