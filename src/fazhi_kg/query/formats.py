"""The formats of query answers and what `--format NAME` means for each kind of answer.

SELECT and ASK answers take a results format (`Format`); CONSTRUCT and DESCRIBE answers take an RDF
syntax of `fazhi_kg.rdfio.formats`, by any name Jena's riot accepts (ttl, n-triples, rdfxml …).
`xml` is the SPARQL results XML for SELECT and ASK and RDF/XML for CONSTRUCT and DESCRIBE, as in
Jena's arq. Plain data: importing this module imports no RDF library.
"""

from __future__ import annotations

from enum import StrEnum

from fazhi_kg.errors import UsageError
from fazhi_kg.rdfio import formats

__all__ = ["MACHINE", "READER", "Format", "answer_format", "rdf_names"]


class Format(StrEnum):
    """Formats of SELECT and ASK answers (`fazhi query`, `fazhi sparql`, `fazhi stats`)."""

    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    XML = "xml"
    JSONL = "jsonl"
    MD = "md"


READER = frozenset({Format.TABLE, Format.MD})
"""Formats for a person: a page of rows, and a last line saying when more follow."""
MACHINE = frozenset(Format) - READER
"""Formats a program reads: nothing but the answer goes into them (notes go to stderr)."""


def rdf_names() -> str:
    """The RDF syntaxes with their other names, for messages and --help."""
    return ", ".join(
        f"{s.name} ({', '.join(s.names[1:])})" if s.names[1:] else s.name for s in formats.SYNTAXES
    )


def answer_format(name: str, kind: str) -> Format | formats.Syntax:
    """What `--format NAME` means for an answer of `kind` (select, ask or graph); `UsageError`
    naming the formats that fit when it cannot take that one."""
    key = name.strip().lower()
    results = ", ".join(f.value for f in Format)
    is_result = key in {f.value for f in Format}
    syntax = formats.find(key)
    if kind == "graph" and syntax is not None:
        return syntax
    if kind != "graph" and is_result:
        return Format(key)
    if is_result:
        raise UsageError(
            f"--format {name} is a results format for SELECT and ASK; a CONSTRUCT or DESCRIBE "
            f"answer is RDF, so use one of {rdf_names()}."
        )
    if syntax is not None:
        raise UsageError(
            f"--format {name} is an RDF syntax for CONSTRUCT and DESCRIBE; a {kind.upper()} "
            f"answer takes one of {results}."
        )
    raise UsageError(
        f'Unknown format "{name}"; use one of {results} for SELECT and ASK, or an RDF syntax '
        f"for CONSTRUCT and DESCRIBE: {rdf_names()}."
    )
