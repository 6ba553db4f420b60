"""Node-and-edge pictures of the entity network: the whole report, the problem → plan → mechanism
flow, and the neighbourhood of one institution."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from fazhi_kg.errors import UsageError
from fazhi_kg.viz._draw import (
    GREY,
    box,
    legend,
    neighbours,
    new_figure,
    present,
    relations,
    report_title,
    styled,
    text_order,
)
from fazhi_kg.viz.families import family
from fazhi_kg.viz.layout import display_label, in_report, reports, section_columns, shorten, wrap

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from fazhi_kg.viz.layout import Column

__all__ = ["institution_neighbourhood", "knowledge_graph", "problem_plan_flow"]

COL_W, ROW_H, HEAD_H, FOOT_H = 1.75, 0.25, 1.45, 1.0
"""Knowledge-graph grid in inches: column width, row height, header and footer heights."""


def _bands(ax: Axes, columns: list[Column], top: float, height: float) -> None:
    """Shaded bands per top-level section, with its title, the part it serves and column heads."""
    from matplotlib.patches import Rectangle

    bands: dict[str, list[int]] = defaultdict(list)
    for i, col in enumerate(columns):
        bands[col.top].append(i)
    for k, (band, idx) in enumerate(bands.items()):
        x0 = 0.15 + COL_W * idx[0]
        ax.add_patch(
            Rectangle(
                (x0, top - height),
                COL_W * len(idx) - 0.05,
                height - 0.45,
                color="#f3f3f3" if k % 2 else "#e9eef5",
                zorder=0,
                lw=0,
            )
        )
        first = columns[idx[0]]
        name = f"{band}、{first.top_title}" if band else "全文 whole report"
        ax.text(
            x0 + 0.08,
            top - 0.55,
            wrap(name, int(len(idx) * COL_W * 14) - 2, lines=1),
            fontsize=10,
            va="top",
        )
        if first.part:
            ax.text(x0 + 0.08, top - 0.8, f"〔{first.part}〕", fontsize=8, color=GREY, va="top")
    for i, col in enumerate(columns):
        if col.path != col.top:
            head = col.path.split("/")[-1] + col.title
            ax.text(
                0.15 + COL_W * i + 0.08,
                top - 1.02,
                wrap(head, 24, lines=2),
                fontsize=7.5,
                va="top",
                color="#333333",
            )


def _report_panel(ax: Any, G: nx.MultiDiGraph, columns: list[Any], top: float) -> list[str]:
    """One report's entities, a column per section, and the relations between them; returns the
    nodes drawn."""
    from matplotlib.patches import FancyArrowPatch

    where: dict[str, tuple[float, float]] = {}
    for i, col in enumerate(columns):
        x = 0.15 + COL_W * i + 0.14
        for j, n in enumerate(col.nodes):
            d = G.nodes[n]
            y = top - HEAD_H - 0.1 - ROW_H * j
            where[n] = (x, y)
            colour = family(str(d.get("family"))).colour
            ax.plot(x, y, "o", ms=7, mfc=colour, mec="#444444", mew=0.4, zorder=3)
            ax.text(x + 0.11, y, shorten(display_label(d), 24), fontsize=7, va="center", zorder=4)
    for u, v, _ in relations(G, set(where)):
        (x1, y1), (x2, y2) = where[u], where[v]
        rad = 0.5 if x1 == x2 else 0.15
        ax.add_patch(
            FancyArrowPatch(
                (x1, y1),
                (x2, y2),
                arrowstyle="-|>",
                mutation_scale=6,
                connectionstyle=f"arc3,rad={rad if y1 > y2 else -rad}",
                color="#6b6b6b",
                alpha=0.45,
                lw=0.6,
                zorder=2,
                shrinkA=3.5,
                shrinkB=3.5,
            )
        )
    return list(where)


@styled
def knowledge_graph(G: nx.MultiDiGraph) -> Figure:
    """Every entity of each report, coloured by family, in one column per section (reading order).

    Sections and the report are the frame, not nodes: a band per top-level section with the part
    of the report it serves, a column per heading, facts in text order; lines are the relations
    between entities (about, recipient, addresses …).
    """
    panels = [(r, section_columns(G, r)) for r in reports(G)]
    heights = [HEAD_H + 0.3 + ROW_H * max(len(c.nodes) for c in cols) for _, cols in panels]
    width = COL_W * max(len(cols) for _, cols in panels) + 0.3
    total = sum(heights) + FOOT_H
    fig = new_figure(width, total)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(-total, 0)
    ax.set_axis_off()
    top = 0.0
    drawn: list[str] = []
    for (report, columns), height in zip(panels, heights, strict=True):
        title = f"{report_title(G, report)}  ·  知识图谱 knowledge graph"
        ax.text(0.15, top - 0.12, title, fontsize=13, va="top")
        _bands(ax, columns, top, height)
        drawn += _report_panel(ax, G, columns, top)
        top -= height
    ax.text(
        0.15,
        -total + FOOT_H - 0.2,
        "连线为实体间关系（关于、获得者、针对问题……），列为事实所在章节，自上而下按原文顺序。  "
        "Lines: relations between entities; columns: the section a fact stands under, "
        "top to bottom in text order.",
        fontsize=8,
        color=GREY,
        va="top",
    )
    legend(fig, present(G, drawn), ncol=10, y=0.0)
    return fig


def _ordered(G: nx.MultiDiGraph, fam: str, report: str) -> list[str]:
    found = [n for n, d in G.nodes(data=True) if d.get("family") == fam and in_report(d, report)]
    return sorted(found, key=lambda n: (G.nodes[n].get("order", 0), G.nodes[n].get("start", 0), n))


def _named_in(G: nx.MultiDiGraph, plan: str, mechanisms: list[str]) -> list[str]:
    """Mechanisms stated under the plan's own heading (its section or a heading below it)."""
    path = str(G.nodes[plan].get("section", ""))
    return [
        m for m in mechanisms if path and f"{G.nodes[m].get('section', '')}/".startswith(f"{path}/")
    ]


def _terms(G: nx.MultiDiGraph, n: str) -> set[str]:
    return {t for t in str(G.nodes[n].get("focusTerm", "")).split("; ") if t}


def _flow(ax: Axes, G: nx.MultiDiGraph, report: str) -> float:
    """Draw one report's flow; return the depth (rows) it took."""
    problems = _ordered(G, "Problem", report)
    plans = _ordered(G, "Plan", report)
    mechanisms = _ordered(G, "Mechanism", report)
    boxes: dict[str, Any] = {}
    y_plan: dict[str, float] = {}
    row = 0.0
    for p in plans:
        ys = []
        for m in _named_in(G, p, mechanisms):
            kind = G.nodes[m].get("mechanismKind")
            text = wrap(str(G.nodes[m]["label"]), 28, lines=2) + (f"〔{kind}〕" if kind else "")
            boxes[f"{m}\n{p}"] = box(ax, 2.7, -row, text, "Mechanism")
            ys.append(-row)
            row += 1
        y_plan[p] = sum(ys) / len(ys) if ys else -row
        row += 0 if ys else 1
        row += 0.3
    depth = max(row - 1.3, len(problems) - 1, 0)
    for i, n in enumerate(problems):
        y = -depth * i / (len(problems) - 1) if len(problems) > 1 else -depth / 2
        d = G.nodes[n]
        boxes[n] = box(
            ax, 0.3, y, wrap(f"{d.get('order', '')}. {d['label']}", 28, lines=2), "Problem"
        )
    for p, y in y_plan.items():
        d = G.nodes[p]
        boxes[p] = box(ax, 1.5, y, wrap(f"{d.get('order', '')}. {d['label']}", 28, lines=2), "Plan")
    arrow = {"arrowstyle": "-|>", "color": GREY, "lw": 0.9, "shrinkA": 5, "shrinkB": 5}
    for p in plans:
        for target in sorted(G.successors(p)):
            if G.nodes[target].get("family") != "Problem" or target not in boxes:
                continue
            ax.annotate(
                "",
                xy=(0, 0.5),
                xycoords=boxes[p],
                xytext=(1, 0.5),
                textcoords=boxes[target],
                arrowprops=arrow,
            )
            shared = sorted(_terms(G, p) & _terms(G, target))
            if shared:
                y = (y_plan[p] + boxes[target].get_position()[1]) / 2
                ax.text(
                    0.9,
                    y + 0.12,
                    shorten("、".join(shared), 30),
                    fontsize=7,
                    color="#6a3d9a",
                    ha="center",
                    va="bottom",
                )
        for m in _named_in(G, p, mechanisms):
            ax.annotate(
                "",
                xy=(0, 0.5),
                xycoords=boxes[f"{m}\n{p}"],
                xytext=(1, 0.5),
                textcoords=boxes[p],
                arrowprops=arrow,
            )
    return depth


@styled
def problem_plan_flow(G: nx.MultiDiGraph) -> Figure:
    """Problems the report admits → the plans that address them → the mechanisms the plans name.

    A plan points at the problems it addresses (fz:addresses), labelled with the focus terms both
    share; a mechanism belongs to a plan when it is stated under the plan's heading.
    """
    rids = reports(G)
    depths = [
        max(
            sum(
                max(len(_named_in(G, p, _ordered(G, "Mechanism", r))), 1)
                for p in _ordered(G, "Plan", r)
            ),
            len(_ordered(G, "Problem", r)),
            1,
        )
        for r in rids
    ]
    fig = new_figure(13, sum(0.55 * d + 1.3 for d in depths) + 0.8)
    axes = fig.subplots(len(rids), 1, squeeze=False, height_ratios=[d + 2.4 for d in depths])[:, 0]
    fig.subplots_adjust(left=0.01, right=0.99, top=0.9, bottom=0.05, hspace=0.15)
    for ax, report, rows in zip(axes, rids, depths, strict=True):
        ax.set_axis_off()
        depth = _flow(ax, G, report)
        ax.set_xlim(-0.2, 3.2)
        ax.set_ylim(-max(depth, rows - 1) - 0.7, 1.4)
        for x, fam in ((0.3, "Problem"), (1.5, "Plan"), (2.7, "Mechanism")):
            ax.text(x, 0.95, family(fam).caption, ha="center", fontsize=11, color=GREY)
        ax.set_title(shorten(report_title(G, report), 60), fontsize=9, loc="left")
    fig.suptitle("存在的问题 → 工作打算 → 制度机制  Problem → plan → mechanism", fontsize=13)
    fig.text(
        0.01,
        0.01,
        "箭头：打算针对的问题（紫字为二者共同的重点领域）与打算条目中提出的制度机制。  "
        "Arrows: the problems a plan addresses (shared focus terms in purple) and the "
        "mechanisms stated in the plan.",
        fontsize=8,
        color=GREY,
    )
    return fig


def pick_institution(G: nx.MultiDiGraph, institution: str | None = None) -> str:
    """The IRI of the institution named (IRI or part of its name), or else the most linked one."""
    found = sorted(str(n) for n, d in G.nodes(data=True) if d.get("family") == "Institution")
    if not found:
        raise UsageError(
            "The graphs name no institution to draw; pass graphs of a report that does."
        )
    if institution is None:
        return min(found, key=lambda n: (-len(neighbours(G, n)), str(G.nodes[n].get("label")), n))
    if institution in found:
        return institution
    matches = [n for n in found if institution in str(G.nodes[n].get("label", ""))]
    if not matches:
        known = "、".join(sorted({str(G.nodes[n].get("label")) for n in found})[:6])
        raise UsageError(f'No institution is called "{institution}"; known ones include {known}.')
    return min(matches, key=lambda n: (len(str(G.nodes[n].get("label"))), n))


def _ring_positions(G: nx.MultiDiGraph, centre: str, limit: int) -> dict[str, tuple[float, float]]:
    """The centre, its neighbours on a circle and their own neighbours on a wider one."""
    first = sorted(neighbours(G, centre), key=lambda n: text_order(G, n))
    pos = {centre: (0.0, 0.0)}
    angle = {}
    for i, n in enumerate(first):
        angle[n] = math.pi / 2 - 2 * math.pi * i / len(first)
        pos[n] = (math.cos(angle[n]), math.sin(angle[n]))
    outer = sorted(
        {m for n in first for m in neighbours(G, n)} - set(pos), key=lambda n: text_order(G, n)
    )
    wanted = []
    for n in outer[:limit]:
        near = [angle[v] for v in neighbours(G, n) if v in angle]
        x, y = sum(math.cos(a) for a in near), sum(math.sin(a) for a in near)
        wanted.append(((math.pi / 2 - math.atan2(y, x)) % (2 * math.pi), n))
    wanted.sort()
    for i, (_, n) in enumerate(wanted):
        a = math.pi / 2 - wanted[0][0] - 2 * math.pi * i / len(wanted)
        pos[n] = (2 * math.cos(a), 2 * math.sin(a))
    return pos


@styled
def institution_neighbourhood(G: nx.MultiDiGraph, institution: str | None = None) -> Figure:
    """One institution and what the graph relates to it, two relations deep.

    `institution` is an IRI or part of a name (司法所); by default the institution with the most
    relations. Each edge carries its relation's label (关于 about, 获得者 recipient …).
    """
    centre = pick_institution(G, institution)
    pos = _ring_positions(G, centre, limit=24)
    reach = 2.7 if any(math.hypot(*p) > 1.5 for p in pos.values()) else 1.6
    fig = new_figure(3.6 * reach + 1, 3.2 * reach + 1.4)
    ax = fig.add_axes((0, 0.08, 1, 0.84))
    ax.set_xlim(-reach - 0.2, reach + 0.2)
    ax.set_ylim(-reach + 0.2, reach - 0.2)
    ax.set_axis_off()
    for u, v, label in relations(G, set(pos)):
        (x1, y1), (x2, y2) = pos[u], pos[v]
        # spokes from the centre are straight; links between outer entities bend so that they
        # do not run through the centre (arc3: control point = midpoint + rad · (dy, -dx))
        rad = 0.0 if centre in (u, v) else 0.35
        ax.annotate(
            "",
            xy=(x2, y2),
            xytext=(x1, y1),
            zorder=1,
            arrowprops={
                "arrowstyle": "-|>",
                "color": "#888888",
                "lw": 0.8,
                "shrinkA": 16,
                "shrinkB": 16,
                "connectionstyle": f"arc3,rad={rad}",
            },
        )
        ax.text(
            (x1 + x2) / 2 + rad / 2 * (y2 - y1),
            (y1 + y2) / 2 - rad / 2 * (x2 - x1),
            label,
            fontsize=7.5,
            color="#444444",
            ha="center",
            va="center",
            zorder=2,
            bbox={"fc": "white", "ec": "none", "pad": 0.5, "alpha": 0.85},
        )
    for n, (x, y) in pos.items():
        d = G.nodes[n]
        size = 11 if n == centre else 8.5
        box(
            ax, x, y, wrap(display_label(d, "\n"), 16, lines=3), str(d.get("family")), fontsize=size
        )
    d = G.nodes[centre]
    where = f"（{d['section']}）" if d.get("section") else ""
    fig.suptitle(
        f"机构关系网：{d.get('label')}{where}  Neighbourhood of an institution", fontsize=12, y=0.97
    )
    legend(fig, present(G, list(pos)), y=0.01)
    return fig
