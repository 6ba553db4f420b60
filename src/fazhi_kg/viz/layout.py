"""Where entities go in a picture: one column per section of the report, in reading order.

A report is a heading tree, so its facts are laid out the way the text is read: a band per
top-level section (一、二、…), a column per second-level heading, and the facts of a column from top
to bottom by their place in the text. Facts that stand under no heading (the jurisdiction, the
publisher) form a first column for the whole report. The overview figure and the HTML explorer
share this layout, so both show a report the same way.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fazhi_kg.iris import FZ_NS

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "STRUCTURE",
    "Column",
    "display_label",
    "in_report",
    "reports",
    "section_columns",
    "shorten",
    "wrap",
]

SEP = "; "  # fazhi_kg.export.network.SEP, without importing the projection
STRUCTURE = frozenset(
    FZ_NS + p for p in ("inReport", "inSection", "hasSection", "parentSection", "evidence")
)
"""Predicates that the layout itself shows (which report and section a fact is in), not edges."""
CONTAINERS = frozenset({"Report", "Section"})
"""Families that become column headers rather than nodes."""
WHOLE = ""
"""The path of the column of facts under no heading."""


@dataclass(frozen=True)
class Column:
    """One column of the layout: a second-level section (or the whole report) and its facts."""

    report: str
    path: str
    title: str
    top: str
    top_title: str
    part: str
    nodes: tuple[str, ...]


def width(text: str) -> int:
    """Display width: a CJK or full-width character counts 2, others 1."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def shorten(text: str, limit: int) -> str:
    """`text` cut to `limit` display cells, with an ellipsis when cut."""
    if width(text) <= limit:
        return text
    out = ""
    for c in text:
        if width(out + c) > limit - 2:
            break
        out += c
    return out + "…"


def wrap(text: str, limit: int, *, lines: int = 3) -> str:
    """`text` broken into lines of at most `limit` display cells (CJK text has no spaces to break
    at, so any character may end a line); kept newlines start a new line; at most `lines` lines."""
    out: list[str] = []
    for part in text.split("\n"):
        out.append("")
        for c in part:
            if width(out[-1] + c) > limit:
                out.append("")
            out[-1] += c
    if len(out) > lines:
        out = out[:lines]
        out[-1] = shorten(out[-1] + "……", limit)
    return "\n".join(out)


def display_label(data: Mapping[str, Any], sep: str = " ") -> str:
    """A node's readable name: an indicator shows what it measures and the number as written."""
    label = str(data.get("label", ""))
    stated = data.get("statedAs")
    return f"{label}{sep}{stated}" if stated else label


def in_report(data: Mapping[str, Any], report: str) -> bool:
    return report in str(data.get("report", "")).split(SEP)


def reports(G: nx.MultiDiGraph) -> list[str]:
    """The report ids of the graph, sorted."""
    found = {r for _, d in G.nodes(data=True) for r in str(d.get("report", "")).split(SEP) if r}
    return sorted(found)


def _column_path(path: str) -> str:
    return "/".join(path.split("/")[:2])


def section_columns(G: nx.MultiDiGraph, report: str, *, max_rows: int = 14) -> list[Column]:
    """The columns of one report: the whole-report column, then each section in text order.

    A top-level section is one column, or one column per second-level heading when it holds more
    than `max_rows` facts.
    """
    sections: dict[str, Mapping[str, Any]] = {}
    for _, d in G.nodes(data=True):
        if d.get("family") == "Section" and in_report(d, report) and "path" in d:
            sections[str(d["path"])] = d
    order = {path: int(d.get("order", 0)) for path, d in sections.items()}
    members: dict[str, list[tuple[tuple[int, str, str, str], str]]] = defaultdict(list)
    for n, d in G.nodes(data=True):
        if d.get("family") in CONTAINERS or not in_report(d, report):
            continue
        path = str(d.get("section", ""))
        key = _column_path(path) if path in order or _column_path(path) in order else WHOLE
        start = d.get("start")
        rank = int(start) if isinstance(start, int | float) else -1
        members[key].append(((rank, str(d.get("family")), str(d.get("label")), n), n))
    tops: dict[str, int] = defaultdict(int)
    for key, items in members.items():
        tops[key.split("/")[0]] += len(items)
    for key in list(members):
        top = key.split("/")[0]
        if key != top and tops[top] <= max_rows:
            members[top] += members.pop(key)
    columns = []
    for key in sorted(members, key=lambda k: (k != WHOLE, order.get(k, 0), k)):
        top = key.split("/")[0]
        head = sections.get(key, {})
        top_head = sections.get(top, {})
        columns.append(
            Column(
                report=report,
                path=key,
                title=str(head.get("title") or head.get("label") or ""),
                top=top,
                top_title=str(top_head.get("title") or top_head.get("label") or ""),
                part=str(top_head.get("servesPart", "")),
                nodes=tuple(n for _, n in sorted(members[key])),
            )
        )
    return columns
