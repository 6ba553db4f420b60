"""Bar charts of the entity network: awards by level and quantities by section."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from fazhi_kg.viz._draw import new_figure, report_title, styled
from fazhi_kg.viz.families import family, level_order
from fazhi_kg.viz.layout import in_report, reports, section_columns, shorten

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["AWARDS", "INDICATORS", "awards_by_level", "quantities_by_section"]

INDICATORS = ("Count", "Percentage", "Amount")
AWARDS = ("Award", "Recognition")
UNKNOWN_LEVEL = "级别不明"


def _levels(G: nx.MultiDiGraph, report: str) -> dict[str, Counter[str]]:
    found: dict[str, Counter[str]] = defaultdict(Counter)
    for _, d in G.nodes(data=True):
        if d.get("family") in AWARDS and in_report(d, report):
            found[str(d.get("awardLevel", UNKNOWN_LEVEL))][str(d["family"])] += 1
    return found


def _stacked(
    ax: Axes,
    labels: list[str],
    series: list[tuple[str, list[int]]],
    *,
    horizontal: bool,
    fontsize: float,
) -> list[int]:
    """Bars stacked family by family (in each family's colour, each segment labelled with its
    count when not 0), vertical or horizontal; returns the totals."""
    totals = [0] * len(labels)
    for fam, values in series:
        colour, caption = family(fam).colour, family(fam).caption
        if horizontal:
            bars = ax.barh(
                labels,
                values,
                left=totals,
                height=0.7,
                color=colour,
                label=caption,
                edgecolor="white",
            )
        else:
            bars = ax.bar(
                labels,
                values,
                bottom=totals,
                width=0.6,
                color=colour,
                label=caption,
                edgecolor="white",
            )
        ax.bar_label(
            bars,
            labels=[str(v) if v else "" for v in values],
            label_type="center",
            fontsize=fontsize,
        )
        totals = [a + v for a, v in zip(totals, values, strict=True)]
    return totals


@styled
def awards_by_level(G: nx.MultiDiGraph) -> Figure:
    """Awards and recognitions per administrative level, one panel per report.

    National to county levels always have a bar, so an empty level shows as 0.
    """
    rids = reports(G)
    fig = new_figure(4.4 * len(rids) + 1.4, 4.8)
    fig.set_layout_engine("constrained")
    rank = level_order()
    axes = fig.subplots(1, len(rids), sharey=True, squeeze=False)[0]
    for ax, report in zip(axes, rids, strict=True):
        levels = _levels(G, report)
        names = sorted(
            set(levels) | {k for k, v in rank.items() if v < 4}, key=lambda k: rank.get(k, 9)
        )
        series = [(fam, [levels.get(n, Counter())[fam] for n in names]) for fam in AWARDS]
        for i, total in enumerate(_stacked(ax, names, series, horizontal=False, fontsize=9)):
            ax.text(i, total + 0.1, f"共 {total}", ha="center", va="bottom", fontsize=9)
        ax.set_title(shorten(report_title(G, report), 44), fontsize=9)
        ax.set_xlabel("级别 level")
        ax.margins(y=0.15)
    axes[0].set_ylabel("数量 number of awards")
    axes[0].legend(frameon=False, fontsize=9, loc="upper right")
    fig.suptitle("荣誉与推广表扬的级别  Awards and recognitions by level", fontsize=12)
    return fig


@styled
def quantities_by_section(G: nx.MultiDiGraph) -> Figure:
    """How many quantities (counts, percentages, amounts) each section states, by kind.

    Every second-level heading has a row, so sections that state no number show as 0.
    """
    rids = reports(G)
    rows = {r: [c for c in section_columns(G, r, max_rows=0) if c.path] for r in rids}
    fig = new_figure(10, sum(0.32 * len(v) + 1.0 for v in rows.values()) + 1.0)
    fig.set_layout_engine("constrained")
    ratios = [len(v) + 2 for v in rows.values()]
    axes = fig.subplots(len(rids), 1, squeeze=False, height_ratios=ratios)[:, 0]
    for ax, report in zip(axes, rids, strict=True):
        columns = rows[report]
        labels = [f"{c.path}  {shorten(c.title, 30)}" for c in columns]
        series = [
            (fam, [sum(1 for n in c.nodes if G.nodes[n].get("family") == fam) for c in columns])
            for fam in INDICATORS
        ]
        for i, total in enumerate(_stacked(ax, labels, series, horizontal=True, fontsize=8)):
            ax.text(total + 0.15, i, str(total), va="center", fontsize=8, color="#333333")
        ax.invert_yaxis()
        ax.tick_params(axis="y", labelsize=8.5)
        ax.set_title(shorten(report_title(G, report), 60), fontsize=9, loc="left")
        ax.set_xlabel("指标数 number of quantities stated")
        ax.legend(frameon=False, fontsize=8.5, loc="lower right")
    fig.suptitle("各章节的量化指标  Quantities stated in each section", fontsize=12)
    return fig
