"""The finders' results as facts: `norm` offsets become original-text spans, names are kept as the
report writes them, and each fact learns the section it stands under. Links between facts are not
made here but in `fazhi_kg.extract.link`."""

from __future__ import annotations

from collections.abc import Sequence

from fazhi_kg.extract.awards import FoundAward
from fazhi_kg.extract.entities import Found, FoundCase
from fazhi_kg.extract.numbers import Quantity, relate
from fazhi_kg.extract.outline import duty_items, items_of
from fazhi_kg.extract.reading import Reading
from fazhi_kg.facts import (
    Award,
    Case,
    Document,
    Duty,
    Indicator,
    Institution,
    Mechanism,
    Plan,
    Problem,
    Section,
)


def institutions(r: Reading, found: Sequence[Found]) -> tuple[Institution, ...]:
    out = []
    for f in found:
        span = r.span(f.start, f.end)
        name = r.as_written(f.start, f.end, f.name)
        out.append(Institution(name=name, span=span, kind=f.kind, section=r.section_of(span)))
    return tuple(out)


def mechanisms(r: Reading, found: Sequence[Found]) -> tuple[Mechanism, ...]:
    out = []
    for f in found:
        span = r.span(f.start, f.end)
        name = r.as_written(f.start, f.end, f.name)
        out.append(Mechanism(name=name, span=span, kind=f.kind, section=r.section_of(span)))
    return tuple(out)


def documents(r: Reading, found: Sequence[Found]) -> tuple[Document, ...]:
    out = []
    for f in found:
        span = r.span(f.start, f.end)
        bracketed = f.kind == "bracketed"
        if bracketed and r.text[f.start : f.start + 1] == "《":
            title = r.src.written(f.start + 1, f.end - 1).strip()  # inside the 《》
        else:
            title = r.as_written(f.start, f.end, f.name)
        section = r.section_of(span)
        out.append(Document(title=title, span=span, section=section, bracketed=bracketed))
    return tuple(out)


def awards(r: Reading, found: Sequence[FoundAward]) -> tuple[Award, ...]:
    out = []
    for a in found:
        span = r.span(a.start, a.end)
        out.append(
            Award(
                title=a.title,
                level=a.level,
                span=span,
                recipient=a.recipient,
                count=a.count,
                conferred_by=a.conferred_by,
                recognition=a.recognition,
                section=r.section_of(span),
            )
        )
    return tuple(out)


def cases(r: Reading, found: Sequence[FoundCase]) -> tuple[Case, ...]:
    out = []
    for c in found:
        span = r.span(c.start, c.end)
        out.append(
            Case(
                name=c.name,
                span=span,
                parties=c.parties,
                institution=c.institution,
                section=r.section_of(span),
            )
        )
    return tuple(out)


def indicators(r: Reading, quantities: Sequence[Quantity]) -> tuple[Indicator, ...]:
    rel = relate(r.text, list(quantities))
    out = []
    for n, q in enumerate(quantities):
        span = r.span(q.start, q.end)
        rate = rel.rate_of.get(n)
        out.append(
            Indicator(
                what=q.what,
                value=q.value,
                unit=q.unit,
                stated=r.src.original[span.start : span.end],
                span=span,
                section=r.section_of(span),
                qualifier=q.qualifier,
                part_of=rel.part_of.get(n),
                numerator=rate[0] if rate else None,
                denominator=rate[1] if rate else None,
                change=q.change,
            )
        )
    return tuple(out)


def duties(r: Reading) -> tuple[Duty, ...]:
    """The duties of the principal leaders: one per item of the part (or section) that states
    them, or per clause where it states them in prose."""

    def norm_body(sec: Section) -> tuple[int, int]:
        """The text under a heading, after its title, as a range of `norm`."""
        return r.norm_pos(sec.span.end), r.norm_pos(sec.body.end)

    return tuple(
        Duty(
            name=d.name,
            span=r.span(*d.clause) if d.clause else d.section.span,
            section=d.section.path,
        )
        for d in duty_items(r.text, r.sections, norm_body)
    )


def problems(r: Reading) -> tuple[Problem, ...]:
    """One problem per item of the problems part; focus terms come with the links to plans."""
    return tuple(
        Problem(summary=s.title, span=s.body, section=s.path)
        for s in items_of(r.sections, "problems")
    )


def plans(r: Reading) -> tuple[Plan, ...]:
    """One plan per item of the next-year plans part; what it answers comes with the links."""
    return tuple(
        Plan(summary=s.title, span=s.body, section=s.path) for s in items_of(r.sections, "plans")
    )
