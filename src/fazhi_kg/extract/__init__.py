"""From report text to facts: metadata, heading tree, one finder per fact family, then the links
between facts (`link`).

Plain Python over text: this package imports neither rdflib nor pyoxigraph.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path

from fazhi_kg.errors import InputError
from fazhi_kg.extract import assemble
from fazhi_kg.extract.awards import find_awards
from fazhi_kg.extract.clauses import Cover, chrome_lines, menu_lines, repeated_lines
from fazhi_kg.extract.entities import (
    find_cases,
    find_documents,
    find_institutions,
    find_mechanisms,
    first_mentions,
    open_titles,
)
from fazhi_kg.extract.identity import given_division, with_division
from fazhi_kg.extract.link import link
from fazhi_kg.extract.meta import read_header
from fazhi_kg.extract.numbers import find_quantities
from fazhi_kg.extract.reading import Reading
from fazhi_kg.extract.structure import closing_start, reading_start, stops_early
from fazhi_kg.extract.structure import sections as read_sections
from fazhi_kg.facts import Facts
from fazhi_kg.text.read import SourceText, read_report

__all__ = ["extract", "extract_file"]

# Every rule-of-law report speaks of the rule of law; a text that never does is not one.
_GENRE_WORDS = re.compile(r"法治|依法|执法|法制")


def extract(src: SourceText, *, jurisdiction: str | None = None) -> Facts:
    """All facts of one decoded report. `jurisdiction` (a division's code or name) overrides the
    division the text resolves to, for a user who knows better."""
    header = read_header(src)
    if jurisdiction:
        division = given_division(jurisdiction, header.meta.year)
        header = replace(header, meta=with_division(header.meta, division))
    if not _GENRE_WORDS.search(src.norm):
        raise InputError(
            f"{src.name or 'The input'} does not look like a rule-of-law government report "
            "(it never speaks of 法治, 依法 or 执法); check the file."
        )
    secs = read_sections(src, header.body_start, year=header.meta.year)
    r = Reading(src, reading_start(src.norm, header.body_start), secs)
    body, text, quotes = r.body_start, r.text, r.quotes
    said_again = Cover(repeated_lines(text))  # a page's description repeating the opening
    quantities = [
        q
        for q in find_quantities(text, quotes, start=body, end=closing_start(text))
        if not said_again(q.start)
    ]
    # named things are read from the top (an opening before 现将…报告如下 names them too), the
    # page's own lines (menus, 来源:, 字体) left out
    found_docs = find_documents(text, quotes)
    area = (header.meta.place, *header.meta.parents)
    found_awards = [a for a in find_awards(text, quotes, area=area) if not said_again(a.start)]
    not_names = [
        *((a.title_start, a.end) for a in found_awards if not a.ranking),
        *((d.start, d.end) for d in found_docs),
        *open_titles(text),
    ]
    mentions = find_institutions(text, quotes, exclude=[*not_names, *menu_lines(text)], every=True)
    not_mechanisms = [*not_names, *chrome_lines(text), *((f.start, f.end) for f in mentions)]
    facts = Facts(
        report=header.meta,
        text_length=len(src.original),
        text_sha256=hashlib.sha256(src.original.encode("utf-8")).hexdigest(),
        sections=r.sections,
        indicators=assemble.indicators(r, quantities),
        institutions=assemble.institutions(r, first_mentions(mentions)),
        awards=assemble.awards(r, found_awards),
        cases=assemble.cases(r, find_cases(text, quotes)),
        mechanisms=assemble.mechanisms(r, find_mechanisms(text, quotes, exclude=not_mechanisms)),
        documents=assemble.documents(r, found_docs),
        duties=assemble.duties(r),
        problems=assemble.problems(r),
        plans=assemble.plans(r),
        source=src.name,
        excerpt=stops_early(text),
    )
    return link(r, facts)


def extract_file(path: str | Path, *, jurisdiction: str | None = None) -> Facts:
    """Read one report file and extract its facts."""
    return extract(read_report(path), jurisdiction=jurisdiction)
