"""From report text to facts: metadata, heading tree, then one extractor per fact family.

Plain Python over text: this package imports neither rdflib nor pyoxigraph.
"""

from __future__ import annotations

import hashlib
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from pathlib import Path

from fazhi_kg.errors import InputError
from fazhi_kg.extract.awards import find_awards
from fazhi_kg.extract.clauses import chrome_lines, find_quotes, menu_lines, sentence_bounds
from fazhi_kg.extract.entities import (
    find_cases,
    find_documents,
    find_institutions,
    find_mechanisms,
    first_mentions,
    open_titles,
)
from fazhi_kg.extract.meta import read_header
from fazhi_kg.extract.numbers import find_quantities, relate
from fazhi_kg.extract.outline import (
    duty_sections,
    focus_terms,
    items_of,
    shared_terms,
)
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
    # control and format characters (a stray tab, a zero-width space) are no part of a name
    written = "".join(c for c in written if unicodedata.category(c) not in ("Cc", "Cf"))
    return written if _letters(written) == _letters(name) else name


def _letters(s: str) -> str:
    """A name's characters as read: NFKC, without spaces."""
    return "".join(c for c in unicodedata.normalize("NFKC", s) if not c.isspace())


def _norm_pos(src: SourceText, pos: int) -> int:
    """The first `norm` index whose source starts at or after original offset `pos`."""
    return bisect_right(src.starts, pos - 1)


def extract(src: SourceText) -> Facts:
    """All facts of one decoded report."""
    text = src.norm
    header = read_header(src)
    secs = read_sections(src, header.body_start)
    quotes = find_quotes(text)
    loc = _Locator(secs)
    body = header.body_start

    def span(s: int, e: int) -> Span:
        return Span(*src.span(s, e))

    quantities = find_quantities(text, quotes, start=body)
    if "法" not in text or (not secs and not quantities):
        raise InputError(
            f"{src.name or 'The input'} does not look like a rule-of-law government "
            "report (no numbered parts and no statistics found); check the file."
        )
    # named things are read from the top (an opening before 现将…报告如下 names them too), the
    # page's own lines (menus, 来源:, 字体) left out
    chrome = chrome_lines(text)
    found_docs = find_documents(text, quotes)
    found_awards = find_awards(text, quotes, area=(header.meta.jurisdiction, *header.meta.parents))
    titles = [(a.title_start, a.end) for a in found_awards if not a.ranking]
    not_names = [
        *titles,
        *((d.start, d.end) for d in found_docs),
        *open_titles(text),
    ]
    mentions = find_institutions(text, quotes, exclude=[*not_names, *menu_lines(text)], every=True)
    found_insts = first_mentions(mentions)
    institutions = tuple(
        Institution(
            name=_as_written(src, f.start, f.end, f.name),
            span=span(f.start, f.end),
            kind=f.kind,
            section=loc.path(span(f.start, f.end)),
        )
        for f in found_insts
    )
    mechanisms = tuple(
        Mechanism(
            name=_as_written(src, f.start, f.end, f.name),
            span=span(f.start, f.end),
            kind=f.kind,
            section=loc.path(span(f.start, f.end)),
        )
        for f in find_mechanisms(
            text,
            quotes,
            exclude=[*not_names, *chrome, *((f.start, f.end) for f in mentions)],
        )
    )
    documents = tuple(
        Document(
            title=src.written(f.start + 1, f.end - 1)
            if f.kind == "bracketed" and text[f.start : f.start + 1] == "《"
            else _as_written(src, f.start, f.end, f.name),
            span=span(f.start, f.end),
            section=loc.path(span(f.start, f.end)),
            bracketed=f.kind == "bracketed",
        )
        for f in found_docs
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
    for c in find_cases(text, quotes):
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
    duty_secs = duty_sections(secs)
    duties = tuple(Duty(name=s.title, span=s.span, section=s.path) for s in duty_secs)
    duty_paths = {s.path for s in duty_secs}

    def norm_of(sec: Section) -> str:
        return text[_norm_pos(src, sec.body.start) : _norm_pos(src, sec.body.end)]

    problem_secs = items_of(secs, "problems")
    problem_texts = [norm_of(sec) for sec in problem_secs]
    plan_secs = items_of(secs, "plans")
    links = [
        [
            (i, terms)
            for i, ptext in enumerate(problem_texts)
            if (terms := shared_terms(ptext, norm_of(p)))
        ]
        for p in plan_secs
    ]
    problems = tuple(
        Problem(
            summary=sec.title,
            span=sec.body,
            focus=focus_terms(
                sec.title, [t for plan in links for k, ts in plan if k == i for t in ts]
            ),
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
    )


def extract_file(path: str | Path) -> Facts:
    """Read one report file and extract its facts."""
    return extract(read_report(path))
