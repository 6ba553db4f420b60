"""The interactive explorer: one self-contained HTML page of the entity network (`fazhi export
--format html`).

Everything is inlined (the data as JSON, our own vanilla JavaScript and CSS from `static/`), a
Content-Security-Policy forbids any network access, and the page works from file://. The layout is
the overview figure's (a column per section, facts in text order), computed here, so the page is
byte-identical on every run.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fazhi_kg.viz.families import COLOURS, family
from fazhi_kg.viz.layout import (
    CONTAINERS,
    STRUCTURE,
    display_label,
    reports,
    section_columns,
    shorten,
    wrap,
)

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["explorer_data", "explorer_html", "write_explorer"]

STATIC = Path(__file__).resolve().parent / "static"
COL, ROW, HEAD, PAD, GAP = 250, 26, 118, 16, 60
"""Layout in px: column width, row height, band header height, margin, gap between reports."""
CORE = ("label", "family", "report", "section", "start", "end", "quote", "prefix", "suffix")
"""Node attributes the page shows in their own places; the others are listed as facts."""
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)
"""No fetch, no external script, style, font or image: the page cannot reach the network."""


def _value(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _sections(G: nx.MultiDiGraph) -> dict[tuple[str, str], str]:
    """(report, path) → heading title of every section."""
    found = {}
    for _, d in G.nodes(data=True):
        if d.get("family") == "Section" and "path" in d:
            for rid in str(d.get("report", "")).split("; "):
                found[(rid, str(d["path"]))] = str(d.get("title") or d.get("label") or "")
    return found


def _chain(titles: Mapping[tuple[str, str], str], report: str, path: str) -> list[str]:
    """`二 工作开展情况`, `(四) 坚持源头治理…`, …: each heading above a fact, outermost first."""
    parts = path.split("/") if path else []
    return [
        f"{p} {titles.get((report, '/'.join(parts[: i + 1])), '')}".strip()
        for i, p in enumerate(parts)
    ]


def _report(G: nx.MultiDiGraph, rid: str) -> dict[str, Any]:
    """Id, title and text length of one report, for the panel's place-in-the-report bar."""
    for _, d in G.nodes(data=True):
        if d.get("family") == "Report" and d.get("identifier") == rid:
            return {"id": rid, "title": str(d.get("label", rid)), "length": d.get("textLength", 0)}
    return {"id": rid, "title": rid, "length": 0}


def _node(
    G: nx.MultiDiGraph, n: str, titles: Mapping[tuple[str, str], str], **at: Any
) -> dict[str, Any]:
    """One entity as the page needs it: names, evidence, place in the layout, other facts."""
    d = G.nodes[n]
    path = str(d.get("section", ""))
    return {
        "id": n,
        "label": str(d.get("label", "")),
        "short": shorten(display_label(d), 30),
        "family": str(d.get("family")),
        "section": path,
        "chain": _chain(titles, at["report"], path),
        "start": d.get("start"),
        "end": d.get("end"),
        "quote": d.get("quote"),
        "prefix": d.get("prefix", ""),
        "suffix": d.get("suffix", ""),
        "facts": [[k, _value(v)] for k, v in sorted(d.items()) if k not in CORE],
        **at,
    }


def _panel(
    G: nx.MultiDiGraph,
    rid: str,
    top: int,
    titles: Mapping[tuple[str, str], str],
    out: dict[str, Any],
) -> tuple[int, int]:
    """Lay out one report from `top` down into `out`; return its height and width in px."""
    columns = section_columns(G, rid)
    height = HEAD + max(len(c.nodes) for c in columns) * ROW + 20
    bands: dict[str, dict[str, Any]] = {}
    for i, col in enumerate(columns):
        x = PAD + i * COL
        key = f"{rid}|{col.top}"
        if key in bands:  # a further column of the same top-level section widens its band
            bands[key]["w"] = x + COL - 8 - bands[key]["x"]
        else:
            name = f"{col.top}、{col.top_title}" if col.top else "全文 whole report"
            bands[key] = {
                "x": x,
                "y": top,
                "w": COL - 8,
                "h": height,
                "title": name,
                "part": col.part,
                "shade": (len(bands) + 1) % 2,
                "key": key,
            }
            out["sections"].append({"key": key, "label": shorten(name, 40), "report": rid})
        if col.path != col.top:
            head = wrap(col.path.split("/")[-1] + col.title, 34, lines=2)
            out["heads"].append({"x": x + 8, "y": top + 66, "text": head.split("\n")})
        out["nodes"] += [
            _node(G, n, titles, report=rid, band=key, x=x + 16, y=top + HEAD + j * ROW)
            for j, n in enumerate(col.nodes)
        ]
    out["bands"] += bands.values()
    return height, PAD + len(columns) * COL


def explorer_data(G: nx.MultiDiGraph) -> dict[str, Any]:
    """Everything the page shows, as JSON-ready data: laid-out nodes, edges, bands and filters.

    Reports are stacked top to bottom, each laid out like the overview figure; edges are the
    relations between entities (index of source, index of target, zh label); `focus` is the
    band the page opens on.
    """
    titles = _sections(G)
    out: dict[str, Any] = {"reports": [], "sections": [], "bands": [], "heads": [], "nodes": []}
    top = width = PAD
    for rid in reports(G):
        out["reports"].append(_report(G, rid))
        height, right = _panel(G, rid, top, titles, out)
        top += height + GAP
        width = max(width, right)
    nodes = out["nodes"]
    index = {n["id"]: i for i, n in enumerate(nodes)}
    out["edges"] = [
        list(e)
        for e in sorted(
            {
                (index[u], index[v], str(d.get("label", "")))
                for u, v, d in G.edges(data=True)
                if u in index and v in index and u != v and d.get("predicate") not in STRUCTURE
            }
        )
    ]
    counts = Counter(n["family"] for n in nodes)
    names = [*COLOURS, *sorted(set(counts) - set(COLOURS) - CONTAINERS)]
    out["families"] = [
        {"name": f.name, "zh": f.zh, "en": f.en, "colour": f.colour, "n": counts[f.name]}
        for f in map(family, names)
        if counts[f.name]
    ]
    out["size"] = [width + PAD, top - GAP + PAD]
    out["focus"] = _focus(out)
    return out


def _focus(out: Mapping[str, Any]) -> str:
    """The band the page opens on: the top-level section of the first report with the most
    entities (in the genre, the measures part), so the first view is legible."""
    first = out["reports"][0]["id"] if out["reports"] else ""
    sizes = Counter(n["band"] for n in out["nodes"] if n["report"] == first)
    bands = [b["key"] for b in out["bands"] if b["key"].startswith(f"{first}|")]
    return max(bands, key=lambda k: (sizes[k], -bands.index(k)), default="")


def _script_json(data: object) -> str:
    """JSON safe inside <script>: no `</script>`, `<!--` or `&` can end or alter the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def explorer_html(
    graphs: Sequence[Path] | None = None,
    *,
    report: str | Sequence[str] | None = None,
    store: Path | None = None,
) -> bytes:
    """The explorer page of the graphs (default: the shipped ones; or those of a corpus `store`)
    as UTF-8 bytes, deterministic."""
    from fazhi_kg.export.network import to_networkx

    data = explorer_data(to_networkx(graphs, report=report, store=store))
    names = [r["title"] for r in data["reports"]]
    title = f"{'；'.join(names) or '法治政府建设情况报告'} · 知识图谱浏览器 explorer"
    parts = {
        "title": html.escape(title),
        "csp": html.escape(CSP),
        "css": (STATIC / "explorer.css").read_text(encoding="utf-8"),
        "js": (STATIC / "explorer.js").read_text(encoding="utf-8"),
        "data": _script_json(data),
    }
    template = (STATIC / "explorer.html").read_text(encoding="utf-8")
    # one pass, so nothing inserted (a quote in the data, say) is read as a placeholder again
    page = re.sub(r"\{\{(\w+)\}\}", lambda m: parts[m.group(1)], template)
    return page.encode("utf-8")


def write_explorer(
    out: Path,
    graphs: Sequence[Path] | None = None,
    *,
    report: str | Sequence[str] | None = None,
    store: Path | None = None,
) -> Path:
    """Write the explorer page to `out`, replacing it atomically; returns `out`."""
    from fazhi_kg.atomic import write_bytes

    write_bytes(out, explorer_html(graphs, report=report, store=store))
    return out
