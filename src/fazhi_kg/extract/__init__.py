"""From report text to facts: metadata, heading tree, then one extractor per fact family.

Plain Python over text: this package imports neither rdflib nor pyoxigraph.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from pathlib import Path

from fazhi_kg.errors import InputError
from fazhi_kg.extract.awards import find_awards
from fazhi_kg.extract.clauses import find_quotes, sentence_bounds
from fazhi_kg.extract.entities import (
    find_cases,
    find_documents,
    find_institutions,
    find_mechanisms,
)
from fazhi_kg.extract.meta import read_header
from fazhi_kg.extract.numbers import find_quantities, relate
from fazhi_kg.extract.outline import (
    duty_items,
    focus_terms,
    items_of,
    plan_links,
    problem_terms,
)
from fazhi_kg.extract.structure import closing_start, reading_start, stops_early
from fazhi_kg.extract.structure import sections as read_sections
from fazhi_kg.facts import (
    Award,
    Case,
    Document,
    Duty,
    Facts,
    Indicator,
    Institution,
    Mechanism,
    Plan,
    Problem,
    Section,
    Span,
)
from fazhi_kg.text.read import SourceText, read_report

__all__ = ["extract", "extract_file"]

# Every rule-of-law report speaks of the rule of law; a text that never does is not one.
_GENRE_WORDS = re.compile(r"法治|依法|执法|法制")


class _Locator:
    """Finds the deepest section a span stands under."""

    def __init__(self, secs: Sequence[Section]) -> None:
        self._secs = sorted(secs, key=lambda s: (s.body.start, -s.body.end))

    def path(self, span: Span) -> str | None:
        best: Section | None = None
        for s in self._secs:
            inside = s.body.start <= span.start < max(s.body.end, s.body.start + 1)
            if inside and (best is None or s.depth > best.depth):
                best = s
        return best.path if best else None


def _as_written(src: SourceText, start: int, end: int, name: str) -> str:
    """The name as the report writes it (full-width digits kept) where it is one stretch of text."""
    from fazhi_kg.extract.clauses import strip_quotes

    text = src.written(start, end)  # an HTML page's markup and entities left out
    written = strip_quotes(text) if "“" not in name else text
    return (
        written
        if unicodedata.normalize("NFKC", written) == unicodedata.normalize("NFKC", name)
        else name
    )


def _norm_pos(src: SourceText, pos: int) -> int:
    """The first `norm` index whose source starts at or after original offset `pos`."""
    return bisect_right(src.starts, pos - 1)


def extract(src: SourceText) -> Facts:
    """All facts of one decoded report."""
    text = src.norm
    header = read_header(src)
    if not _GENRE_WORDS.search(text):
        raise InputError(
            f"{src.name or 'The input'} does not look like a rule-of-law government report "
            "(it never speaks of 法治, 依法 or 执法); check the file."
        )
    secs = read_sections(src, header.body_start, year=header.meta.year)
    quotes = find_quotes(text)
    loc = _Locator(secs)
    body = reading_start(text, header.body_start)

    def span(s: int, e: int) -> Span:
        return Span(*src.span(s, e))

    quantities = find_quantities(text, quotes, start=body, end=closing_start(text))
    institutions = tuple(
        Institution(
            name=_as_written(src, f.start, f.end, f.name),
            span=span(f.start, f.end),
            kind=f.kind,
            section=loc.path(span(f.start, f.end)),
        )
        for f in find_institutions(text, quotes, start=0)
    )
    found_awards = find_awards(text, quotes, start=body)
    titles = [(a.title_start, a.end) for a in found_awards]
    mechanisms = tuple(
        Mechanism(
            name=_as_written(src, f.start, f.end, f.name),
            span=span(f.start, f.end),
            kind=f.kind,
            section=loc.path(span(f.start, f.end)),
        )
        for f in find_mechanisms(text, quotes, start=body, exclude=titles)
    )
    documents = tuple(
        Document(
            title=src.written(f.start + 1, f.end - 1),
            span=span(f.start, f.end),
            section=loc.path(span(f.start, f.end)),
        )
        for f in find_documents(text, quotes, start=0)
    )
    awards = tuple(
        Award(
            title=a.title,
            level=a.level,
            span=span(a.start, a.end),
            recipient=a.recipient,
            count=a.count,
            conferred_by=a.conferred_by,
            recognition=a.recognition,
            section=loc.path(span(a.start, a.end)),
        )
        for a in found_awards
    )
    cases = []
    for c in find_cases(text, start=body):
        recog = next((a.title for a in found_awards if a.recipient and c.name in a.recipient), None)
        cases.append(
            Case(
                name=c.name,
                span=span(c.start, c.end),
                parties=c.parties,
                institution=c.institution,
                recognition=recog,
                section=loc.path(span(c.start, c.end)),
            )
        )

    def norm_body(sec: Section) -> tuple[int, int]:
        """The text under a heading, after its title, as a range of `norm`."""
        return _norm_pos(src, sec.span.end), _norm_pos(src, sec.body.end)

    def norm_of(sec: Section) -> str:
        return text[_norm_pos(src, sec.body.start) : _norm_pos(src, sec.body.end)]

    duties = tuple(
        Duty(
            name=d.name,
            span=span(*d.clause) if d.clause else d.section.span,
            section=d.section.path,
        )
        for d in duty_items(text, secs, norm_body)
    )
    duty_paths = {d.section for d in duties if d.section}

    problem_secs = items_of(secs, "problems")
    problem_texts = [norm_of(sec) for sec in problem_secs]
    plan_secs = items_of(secs, "plans")
    plan_texts = [norm_of(p) for p in plan_secs]
    links = plan_links(problem_texts, plan_texts)
    problems = tuple(
        Problem(
            summary=sec.title,
            span=sec.body,
            focus=focus_terms(sec.title, problem_terms(problem_texts[i], plan_texts)),
            section=sec.path,
        )
        for i, sec in enumerate(problem_secs)
    )
    plans = tuple(
        Plan(
            summary=sec.title,
            span=sec.body,
            focus=focus_terms(sec.title, [t for _, ts in plan for t in ts]),
            addresses=tuple(k for k, _ in plan),
            shared_terms=tuple(plan),
            section=sec.path,
        )
        for sec, plan in zip(plan_secs, links, strict=True)
    )
    indicators = []
    rel = relate(text, quantities)
    for n, q in enumerate(quantities):
        sp = span(q.start, q.end)
        path = loc.path(sp)
        about: list[str] = []
        if path is not None:
            duty = next(
                (
                    d
                    for d in sorted(duty_paths, key=len, reverse=True)
                    if path == d or path.startswith(d + "/")
                ),
                None,
            )
            if duty is not None:
                about.append(f"duty:{duty}")
        ss, se = sentence_bounds(text, q.start)
        s_orig, e_orig = src.span(ss, se)
        for m in mechanisms:
            if s_orig <= m.span.start < e_orig:
                about.append(f"mechanism:{m.name}")
        for i in institutions:
            if s_orig <= i.span.start < e_orig:
                about.append(f"institution:{i.name}")
        indicators.append(
            Indicator(
                what=q.what,
                value=q.value,
                unit=q.unit,
                stated=src.original[sp.start : sp.end],
                span=sp,
                section=path,
                qualifier=q.qualifier,
                about=tuple(about),
                part_of=rel.part_of.get(n),
                numerator=rel.rate_of[n][0] if n in rel.rate_of else None,
                denominator=rel.rate_of[n][1] if n in rel.rate_of else None,
                change=q.change,
            )
        )
    digest = hashlib.sha256(src.original.encode("utf-8")).hexdigest()
    return Facts(
        report=header.meta,
        text_length=len(src.original),
        text_sha256=digest,
        sections=secs,
        indicators=tuple(indicators),
        institutions=institutions,
        awards=awards,
        cases=tuple(cases),
        mechanisms=mechanisms,
        documents=documents,
        duties=duties,
        problems=problems,
        plans=plans,
        source=src.name,
        excerpt=stops_early(text),
    )


def extract_file(path: str | Path) -> Facts:
    """Read one report file and extract its facts."""
    return extract(read_report(path))
