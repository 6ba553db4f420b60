"""A validation report for people (text, in Chinese or English) and for programs (JSON)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Protocol

from fazhi_kg.validate.report import SEVERITY_RANK, Report, Result

__all__ = ["Outcome", "render_json", "render_summary", "render_text"]


class Outcome(Protocol):
    """One graph's validation outcome, as `fazhi_kg.corpus.validate.ReportCheck` gives it."""

    @property
    def name(self) -> str: ...

    @property
    def conforms(self) -> bool: ...

    def count(self, severity: str) -> int: ...


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


def _counts(v: int, w: int, n: int, lang: str) -> str:
    if lang == "zh":
        return f"违规 {v} 项，警告 {w} 项，提示 {n} 项"
    return f"{v} violation{'s' * (v != 1)}, {w} warning{'s' * (w != 1)}, {n} note{'s' * (n != 1)}"


def render_summary(outcomes: Sequence[Outcome], *, lang: str = "en") -> str:
    """One line per report graph (its name, whether it conforms, its counts), then the totals:
    what a corpus validation ends with, so the last lines say how the corpus stands."""
    from fazhi_kg.query.render import width

    names = [o.name for o in outcomes]
    w = max((width(n) for n in names), default=0)
    lines = []
    for o in outcomes:
        state = (
            ("符合" if o.conforms else "不符合")
            if lang == "zh"
            else ("conforms" if o.conforms else "does not conform")
        )
        counts = _counts(o.count("Violation"), o.count("Warning"), o.count("Info"), lang)
        pad = " " * (w - width(o.name))
        lines.append(f"{o.name}{pad}  {state}{'：' if lang == 'zh' else ': '}{counts}")
    total = len(outcomes)
    good = sum(1 for o in outcomes if o.conforms)
    v, wn, n = (sum(o.count(s) for o in outcomes) for s in ("Violation", "Warning", "Info"))
    if lang == "zh":
        lines.append(
            f"共 {total} 个报告图：{good} 个符合，{total - good} 个不符合；{_counts(v, wn, n, lang)}。"
        )
    else:
        lines.append(
            f"{total} report graph{'s' * (total != 1)}: {good} conform, {total - good} "
            f"{'does' if total - good == 1 else 'do'} not; {_counts(v, wn, n, lang)}."
        )
    return "\n".join(lines)
