"""From report text to facts: metadata, heading tree, one finder per fact family, then the links
between facts (`link`).

Plain Python over text: this package imports neither rdflib nor pyoxigraph.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from fazhi_kg.errors import InputError
from fazhi_kg.extract import assemble
from fazhi_kg.extract.awards import find_awards
from fazhi_kg.extract.entities import (
    find_cases,
    find_documents,
    find_institutions,
    find_mechanisms,
)
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


def extract(src: SourceText) -> Facts:
    """All facts of one decoded report."""
    header = read_header(src)
    if not _GENRE_WORDS.search(src.norm):
        raise InputError(
            f"{src.name or 'The input'} does not look like a rule-of-law government report "
            "(it never speaks of 法治, 依法 or 执法); check the file."
        )
    secs = read_sections(src, header.body_start, year=header.meta.year)
    r = Reading(src, reading_start(src.norm, header.body_start), secs)
    body, text, quotes = r.body_start, r.text, r.quotes
    quantities = find_quantities(text, quotes, start=body, end=closing_start(text))
    found_awards = find_awards(text, quotes, start=body)
    titles = [(a.title_start, a.end) for a in found_awards]
    facts = Facts(
        report=header.meta,
        text_length=len(src.original),
        text_sha256=hashlib.sha256(src.original.encode("utf-8")).hexdigest(),
        sections=r.sections,
        indicators=assemble.indicators(r, quantities),
        institutions=assemble.institutions(r, find_institutions(text, quotes, start=0)),
        awards=assemble.awards(r, found_awards),
        cases=assemble.cases(r, find_cases(text, start=body)),
        mechanisms=assemble.mechanisms(
            r, find_mechanisms(text, quotes, start=body, exclude=titles)
        ),
        documents=assemble.documents(r, find_documents(text, quotes, start=0)),
        duties=assemble.duties(r),
        problems=assemble.problems(r),
        plans=assemble.plans(r),
        source=src.name,
        excerpt=stops_early(text),
    )
    return link(r, facts)


def extract_file(path: str | Path) -> Facts:
    """Read one report file and extract its facts."""
    return extract(read_report(path))
