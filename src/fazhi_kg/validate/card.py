"""The inspector's report card: build a report in memory, validate it, and summarize what the
empirical studies of these reports look at — structure, use of data, concrete cases, candour about
problems, concreteness of plans — with every consistency finding and its quote.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from typing import Any

from fazhi_kg.facts import Facts
from fazhi_kg.validate import Report, Result

PARTS = ("duties", "measures", "problems", "plans")
_PART_NAMES = {
    "duties": ("党政主要负责人履行第一责任人职责", "first-responsible-person duties"),
    "measures": ("主要举措和成效", "measures and results"),
    "problems": ("存在的不足", "shortcomings"),
    "plans": ("下一年度工作安排", "next-year plans"),
}


@dataclass(frozen=True)
class Part:
    part: str
    present: bool
    sections: tuple[str, ...]
    folded: bool


@dataclass(frozen=True)
class Card:
    """Everything `fazhi check` reports about one report."""

    report: str
    title: str
    jurisdiction: str
    year: int | None
    published: str | None
    deadline: str | None
    on_time: bool | None
    parts: tuple[Part, ...]
    counts: dict[str, int]
    problems: int
    problems_answered: int
    plans: int
    plans_answering: int
    plans_with_targets: int
    findings: tuple[Result, ...]
    conforms: bool

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)


def make_card(facts: Facts, rid: str, rep: Report) -> Card:
    """The report card of extracted facts and their validation report."""
    meta = facts.report
    parts = []
    for part in PARTS:
        secs = [s for s in facts.sections if s.part == part]
        parts.append(
            Part(part, bool(secs), tuple(s.title for s in secs), any(s.depth > 1 for s in secs))
        )
    deadline = f"{meta.year + 1}-04-01" if meta.year else None
    on_time = None
    if deadline and meta.published:
        on_time = dt.date.fromisoformat(meta.published[:10]) <= dt.date.fromisoformat(deadline)
    answered = {i for p in facts.plans for i in p.addresses}
    counts = {
        "indicators": len(facts.indicators),
        "rates": sum(1 for i in facts.indicators if i.unit == "%"),
        "amounts": sum(1 for i in facts.indicators if i.kind == "amount"),
        "cases": len(facts.cases),
        "awards": sum(1 for a in facts.awards if not a.recognition),
        "recognitions": sum(1 for a in facts.awards if a.recognition),
        "mechanisms": len(facts.mechanisms),
        "institutions": len(facts.institutions),
        "documents": len(facts.documents),
    }
    plan_spans = [(p.span.start, p.span.end) for p in facts.plans]
    with_targets = sum(
        1
        for s, e in plan_spans
        if any(s <= i.span.start < e for i in facts.indicators)
        or any(s <= m.span.start < e for m in facts.mechanisms)
    )
    return Card(
        report=rid,
        title=meta.title,
        jurisdiction=meta.jurisdiction,
        year=meta.year,
        published=meta.published,
        deadline=deadline,
        on_time=on_time,
        parts=tuple(parts),
        counts=counts,
        problems=len(facts.problems),
        problems_answered=len(answered),
        plans=len(facts.plans),
        plans_answering=sum(1 for p in facts.plans if p.addresses),
        plans_with_targets=with_targets,
        findings=rep.results,
        conforms=rep.conforms,
    )


def _mark(ok: bool | None) -> str:
    return "✓" if ok else ("✗" if ok is False else "?")


def render_text(card: Card, *, lang: str = "en") -> str:
    zh = lang == "zh"
    c = card.counts
    lines = [
        f"{card.title}",
        f"{'报告' if zh else 'report'}: {card.report} · {card.jurisdiction} · "
        f"{card.year or '?'}{'年度' if zh else ''}",
        "",
        "结构：法定组成部分" if zh else "Structure: required parts",
    ]
    for p in card.parts:
        name = _PART_NAMES[p.part][0 if zh else 1]
        where = "、".join(p.sections) if p.sections else ("缺失" if zh else "missing")
        folded = ("（并入其他部分）" if zh else " (folded into another part)") if p.folded else ""
        lines.append(f"  {_mark(p.present)} {name}: {where}{folded}")
    lines += [
        "",
        ("数据使用" if zh else "Use of data")
        + f": {c['indicators']} {'项数据' if zh else 'quantities'}"
        + f" ({c['rates']} {'项比率' if zh else 'rates'}, {c['amounts']} {'项金额等' if zh else 'amounts'})",
        ("具体事例" if zh else "Concrete cases")
        + f": {c['cases']} {'个案例' if zh else 'cases'}, {c['awards']} {'项荣誉' if zh else 'honours'}, "
        + f"{c['recognitions']} {'项上级肯定' if zh else 'recognitions'}, "
        + f"{c['mechanisms']} {'项机制' if zh else 'mechanisms'}",
        ("问题查摆" if zh else "Candour about problems")
        + f": {card.problems} {'个问题' if zh else 'problems'}, "
        + f"{card.problems_answered} {'个有对应打算' if zh else 'answered by a plan'}",
        ("打算具体程度" if zh else "Concreteness of plans")
        + f": {card.plans} {'项打算' if zh else 'plans'}, "
        + f"{card.plans_answering} {'项回应问题' if zh else 'answer a problem'}, "
        + f"{card.plans_with_targets} {'项有具体数据或机制' if zh else 'name a figure or mechanism'}",
    ]
    when = card.published or ("未写明" if zh else "not stated")
    lines.append(
        ("公开时间" if zh else "Timeliness")
        + f": {when} ({'期限' if zh else 'deadline'} {card.deadline or '?'}) {_mark(card.on_time)}"
    )
    lines += ["", "一致性检查" if zh else "Consistency findings"]
    if not card.findings:
        lines.append("  " + ("无" if zh else "none"))
    for f in card.findings:
        msg = f.messages.get(lang) or next(iter(f.messages.values()), "")
        where = f" [{f.section}]" if f.section else ""
        lines.append(f"  {f.severity}{where}: {msg}")
        if f.quote:
            lines.append(f"    “{f.context or f.quote}”")
    v, w, i = card.count("Violation"), card.count("Warning"), card.count("Info")
    lines += [
        "",
        f"违规 {v} 项，警告 {w} 项，提示 {i} 项。"
        if zh
        else f"{v} violations, {w} warnings, {i} notes.",
    ]
    return "\n".join(lines) + "\n"


def render_json(card: Card) -> str:
    data: dict[str, Any] = asdict(card)
    data["violations"] = card.count("Violation")
    data["warnings"] = card.count("Warning")
    data["notes"] = card.count("Info")
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
