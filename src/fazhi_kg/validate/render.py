"""A validation report for people (text, in Chinese or English) and for programs (JSON)."""

from __future__ import annotations

import json

from fazhi_kg.validate.report import SEVERITY_RANK, Report, Result

__all__ = ["render_json", "render_text"]


def render_text(rep: Report, *, lang: str = "en") -> str:
    """A status line, then the results grouped by constraint, each with its message, section and
    the quote it concerns."""
    v, w, n = rep.count("Violation"), rep.count("Warning"), rep.count("Info")
    if lang == "zh":
        lines = [f"{'符合' if rep.conforms else '不符合'}：违规 {v} 项，警告 {w} 项，提示 {n} 项。"]
    else:
        state = "Conforms" if rep.conforms else "Does not conform"
        lines = [f"{state}: {v} violations, {w} warnings, {n} notes."]
    groups: dict[tuple[str, str, str], list[Result]] = {}
    for r in rep.results:
        groups.setdefault((r.severity, r.shape.rsplit("#", 1)[-1], r.constraint), []).append(r)
    for (severity, shape, component), rs in sorted(
        groups.items(), key=lambda g: (SEVERITY_RANK.get(g[0][0], 3), g[0][1], g[0][2])
    ):
        lines.append("")
        lines.append(f"{severity} · {shape} ({component}) · {len(rs)}")
        for r in rs:
            msg = r.messages.get(lang) or next(iter(r.messages.values()), "")
            where = f" [{r.section}]" if r.section else ""
            lines.append(f"  {r.focus}{where}: {msg}")
            if r.quote:
                lines.append(f"    “{r.context or r.quote}”")
    return "\n".join(lines)


def render_json(rep: Report) -> str:
    """`{"conforms": …, "results": [ … ]}`, each result with every field of `Result`."""
    return json.dumps(
        {
            "conforms": rep.conforms,
            "results": [r.__dict__ for r in rep.results],
        },
        ensure_ascii=False,
        indent=2,
    )
