"""The facts of one report as frozen dataclasses, and their JSON form (facts.schema.json).

Spans are code-point offsets into the decoded report text (`SourceText.original`), end exclusive.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True, order=True)
class Span:
    """Where a fact is stated: `original[start:end]`."""

    start: int
    end: int


@dataclass(frozen=True, order=True)
class Ref:
    """A link to another fact of the same report: its family (a field of `Facts`, such as
    `institutions`) and its index there. Links are decided once, by `fazhi_kg.extract.link`."""

    family: str
    index: int


@dataclass(frozen=True)
class Place:
    """A division of the national gazetteer: its name (武侯区), level (province, city, county or
    township) and code (six digits of GB/T 2260, or the nine of a township's NBS code)."""

    name: str
    level: str
    code: str


@dataclass(frozen=True)
class ReportMeta:
    """What the report says about itself: the reporting body resolved to a division (jurisdiction
    fully qualified, 四川省成都市武侯区, or '' when the text does not tell; parents nearest first),
    its level and GB/T 2260 code, and the year covered."""

    title: str
    jurisdiction: str
    parents: tuple[str, ...] = ()
    year: int | None = None
    published: str | None = None
    issuer: str | None = None
    title_span: Span | None = None
    issuer_span: Span | None = None
    level: str | None = None  # province, city, county, township or department
    division_code: str | None = None  # six digits; None for a township or an unresolved report
    text_sha256: str = ""  # of the decoded text: the id of a report whose jurisdiction is unknown
    places: tuple[Place, ...] = ()  # the resolved division and its parents, province first
    id: str = ""  # the report's default id (`fazhi_kg.extract.reportid`)

    @property
    def place(self) -> str:
        """The reporting division's own name (武侯区), '' when unresolved."""
        return self.places[-1].name if self.places else ""


@dataclass(frozen=True)
class Section:
    """A heading and the text under it."""

    path: str
    title: str
    depth: int
    order: int
    span: Span
    body: Span
    part: str | None = None
    parent: str | None = None
    marker: str = ""


@dataclass(frozen=True)
class Indicator:
    """A stated quantity."""

    what: str
    value: Decimal
    unit: str
    stated: str
    span: Span
    section: str | None = None
    qualifier: str | None = None
    about: tuple[Ref, ...] = ()  # the institution, mechanism or duty the sentence says it measures
    part_of: int | None = None  # index of the total this is a part of
    numerator: int | None = None  # for a rate: index of its numerator
    denominator: int | None = None  # for a rate: index of its denominator
    change: str | None = None  # "increase" or "decrease": the figure is a change (同比增长18.5%)

    @property
    def kind(self) -> str:
        """change, count, rate (a percentage the report calls …率), percentage or amount."""
        if self.change:
            return "change"
        if self.unit == "%":
            return "rate" if self.what.endswith("率") else "percentage"
        if self.unit in AMOUNT_UNITS:
            return "amount"
        return "count"


AMOUNT_UNITS = frozenset(
    "元 美元 吨 公里 千米 米 平方米 平方公里 亩 公顷 小时 分钟 天 日 个月 倍 个百分点 百分点 ‰ 千瓦 立方米".split()
)


@dataclass(frozen=True)
class Institution:
    """A named organization or organ."""

    name: str
    span: Span
    kind: str | None = None
    section: str | None = None


@dataclass(frozen=True)
class Award:
    """An honour, title, ranking or recognition won."""

    title: str
    level: str
    span: Span
    recipient: str | None = None
    count: int | None = None
    conferred_by: str | None = None
    recognition: bool = False
    section: str | None = None
    recipients: tuple[Ref, ...] = ()  # the institutions, cases, mechanisms or persons honoured
    conferrer: Ref | None = None  # the institution that conferred it


@dataclass(frozen=True)
class Case:
    """An individual case named in the report."""

    name: str
    span: Span
    parties: tuple[str, ...] = ()
    institution: str | None = None
    recognition: str | None = None
    section: str | None = None
    party_refs: tuple[Ref, ...] = ()  # the parties as institutions or persons
    concerns: Ref | None = None  # the institution whose act the case concerns
    recognized_by: Ref | None = None  # the award that recognized it


@dataclass(frozen=True)
class Mechanism:
    """A named system, mechanism, model, platform, list, campaign or procedure."""

    name: str
    span: Span
    kind: str | None = None
    institutions: tuple[Ref, ...] = ()  # the institutions the report says run it
    section: str | None = None


@dataclass(frozen=True)
class Person:
    """A person, or an unnamed group of people (张某, 3名), named as a case party or an honoured
    one."""

    name: str
    span: Span
    section: str | None = None


@dataclass(frozen=True)
class Document:
    """A law, regulation or document cited by title."""

    title: str
    span: Span
    section: str | None = None
    bracketed: bool = True  # written in 《》; False for a title the text gives without them


@dataclass(frozen=True)
class Duty:
    """A duty the principal leaders performed as first responsible persons."""

    name: str
    span: Span
    section: str | None = None


@dataclass(frozen=True)
class Problem:
    """A shortcoming the report admits."""

    summary: str
    span: Span
    focus: tuple[str, ...] = ()
    section: str | None = None


@dataclass(frozen=True)
class Plan:
    """A plan for the next year, with the problems it answers."""

    summary: str
    span: Span
    focus: tuple[str, ...] = ()
    addresses: tuple[int, ...] = ()
    shared_terms: tuple[tuple[int, tuple[str, ...]], ...] = ()
    section: str | None = None


@dataclass(frozen=True)
class Facts:
    """Everything extracted from one report."""

    report: ReportMeta
    text_length: int
    text_sha256: str
    sections: tuple[Section, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    institutions: tuple[Institution, ...] = ()
    awards: tuple[Award, ...] = ()
    cases: tuple[Case, ...] = ()
    mechanisms: tuple[Mechanism, ...] = ()
    documents: tuple[Document, ...] = ()
    duties: tuple[Duty, ...] = ()
    problems: tuple[Problem, ...] = ()
    plans: tuple[Plan, ...] = ()
    persons: tuple[Person, ...] = ()
    source: str = field(default="", compare=False)
    excerpt: bool = (
        False  # the text breaks off mid-sentence: parts it does not reach are not missing
    )


FAMILIES = (
    "sections",
    "indicators",
    "institutions",
    "awards",
    "cases",
    "mechanisms",
    "documents",
    "duties",
    "problems",
    "plans",
)


def _span(s: Span | None) -> dict[str, int] | None:
    return None if s is None else {"start": s.start, "end": s.end}


def _number(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


def to_json(f: Facts) -> dict[str, Any]:
    """The facts in the shared JSON format (facts.schema.json)."""
    return {
        "report": {
            "title": f.report.title,
            "jurisdiction": f.report.jurisdiction,
            "parent_jurisdictions": list(f.report.parents),
            "level": f.report.level,
            "division_code": f.report.division_code,
            "year": f.report.year,
            "published": f.report.published,
            "issuer": f.report.issuer,
        },
        "sections": [
            {
                "path": s.path,
                "title": s.title,
                **({"part": s.part} if s.part and s.depth == 1 else {}),
                "span": _span(s.span),
            }
            for s in f.sections
        ],
        "indicators": [
            {
                "what": i.what,
                "value": _number(i.value),
                "unit": i.unit,
                "qualifier": i.qualifier,
                "section": i.section or "",
                "span": _span(i.span),
            }
            for i in f.indicators
        ],
        "institutions": [
            {"name": i.name, "kind": i.kind, "span": _span(i.span)} for i in f.institutions
        ],
        "awards": [
            {
                "title": a.title,
                "level": a.level,
                "recipient": a.recipient,
                "count": a.count,
                "conferred_by": a.conferred_by,
                "span": _span(a.span),
            }
            for a in f.awards
        ],
        "cases": [
            {
                "name": c.name,
                "parties": list(c.parties),
                "institution": c.institution,
                "recognition": c.recognition,
                "span": _span(c.span),
            }
            for c in f.cases
        ],
        "mechanisms": [
            {"name": m.name, "kind": m.kind, "span": _span(m.span)} for m in f.mechanisms
        ],
        "documents": [
            {"title": d.title, "bracketed": d.bracketed, "span": _span(d.span)} for d in f.documents
        ],
        "duties": [
            {"name": d.name, "section": d.section or "", "span": _span(d.span)} for d in f.duties
        ],
        "problems": [
            {"summary": p.summary, "focus": list(p.focus), "span": _span(p.span)}
            for p in f.problems
        ],
        "plans": [
            {"summary": p.summary, "addresses": list(p.addresses), "span": _span(p.span)}
            for p in f.plans
        ],
    }


def dumps(f: Facts) -> str:
    """Facts JSON text: UTF-8 friendly, indented, stable."""
    return json.dumps(to_json(f), ensure_ascii=False, indent=2) + "\n"
