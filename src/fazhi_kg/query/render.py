"""One renderer for query answers: aligned tables (CJK aware), W3C CSV/TSV/JSON, JSON lines, Markdown,
and RDF syntaxes for graph answers.

W3C formats: SPARQL 1.1 Query Results JSON (https://www.w3.org/TR/sparql11-results-json/) and
CSV/TSV (https://www.w3.org/TR/sparql11-results-csv-tsv/).
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Mapping, Sequence
from enum import StrEnum
from functools import cache

import pyoxigraph as ox

from fazhi_kg.iris import ID_NS, PREFIXES, XSD
from fazhi_kg.query.answer import Answer
from fazhi_kg.rdfio import formats

_BARE_TSV = {XSD + "integer", XSD + "decimal", XSD + "double", XSD + "boolean"}
# short forms in tables: the usual prefixes, and id: for instance IRIs without a further slash
_SHORT = {**PREFIXES, "id": ID_NS}


class Format(StrEnum):
    """Output formats of `fazhi query` and `fazhi sparql`."""

    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    JSONL = "jsonl"
    MD = "md"


GRAPH_FORMATS = ("turtle", "nt", "nq", "trig", "xml", "jsonld")
"""The RDF syntaxes of CONSTRUCT and DESCRIBE answers (names of `fazhi_kg.rdfio.formats`)."""


@cache
def _char_width(c: str) -> int:
    return 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1


def width(s: str) -> int:
    """Display width in a terminal: East Asian wide and full-width characters take two cells."""
    return len(s) if s.isascii() else sum(map(_char_width, s))


def compact(iri: str) -> str:
    for prefix, ns in _SHORT.items():
        if iri.startswith(ns) and "/" not in iri[len(ns) :] and iri != ns:
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def plain(term: object | None, names: Mapping[str, str] | None = None) -> str:
    """A term as a person reads it: a literal's text, an IRI's label or short form."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return (names or {}).get(term.value) or compact(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def _json_term(term: object) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    assert isinstance(term, ox.Literal)
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD + "string":
        out["datatype"] = term.datatype.value
    return out


def _tsv_term(term: object | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal) and term.datatype.value in _BARE_TSV and not term.language:
        return term.value
    return str(term).replace("\t", "\\t").replace("\n", "\\n")


def _csv_term(term: object | None) -> str:
    return "" if term is None else getattr(term, "value", str(term))


def select(
    answer: Answer,
    fmt: Format,
    *,
    hidden: Sequence[str] = (),
    names: Mapping[str, str] | None = None,
) -> str:
    """Render a SELECT answer; variables in `hidden` (bound parameters) are left out."""
    keep = [i for i, v in enumerate(answer.variables) if v not in hidden]
    variables = [answer.variables[i] for i in keep]
    rows = [[row[i] for i in keep] for row in answer.rows]
    if fmt is Format.JSON:
        bindings = [
            {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
            for row in rows
        ]
        doc = {"head": {"vars": variables}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if fmt is Format.JSONL:
        return "".join(
            json.dumps(
                {v: _csv_term(t) for v, t in zip(variables, row, strict=True)}, ensure_ascii=False
            )
            + "\n"
            for row in rows
        )
    if fmt is Format.CSV:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([[_csv_term(t) for t in row] for row in rows])
        return buf.getvalue()
    if fmt is Format.TSV:
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join(_tsv_term(t) for t in row) for row in rows]
        return "\n".join(lines) + "\n"
    cells = [[plain(t, names).replace("\n", " ") for t in row] for row in rows]
    if fmt is Format.MD:

        def esc(s: str) -> str:
            return s.replace("|", "\\|")

        out = ["| " + " | ".join(variables) + " |", "|" + "|".join("---" for _ in variables) + "|"]
        out += ["| " + " | ".join(esc(c) for c in row) + " |" for row in cells]
        return "\n".join(out) + "\n"
    # each cell's width once: on thousands of rows, measuring dominates rendering
    sized = [[(c, width(c)) for c in row] for row in [list(variables), *cells]]
    widths = [max(r[i][1] for r in sized) for i in range(len(variables))]
    lines = [
        "  ".join(c + " " * (w - n) for (c, n), w in zip(row, widths, strict=True)).rstrip()
        for row in sized
    ]
    lines.insert(1, "  ".join("─" * w for w in widths))
    return "\n".join(lines) + "\n"


def ask(answer: Answer, fmt: Format) -> str:
    if fmt is Format.JSON:
        return json.dumps({"head": {}, "boolean": bool(answer.boolean)}) + "\n"
    return ("true" if answer.boolean else "false") + "\n"


def graph(answer: Answer, fmt: str) -> bytes:
    """CONSTRUCT and DESCRIBE answers in an RDF syntax, triples sorted for stable output."""
    if fmt not in GRAPH_FORMATS:
        raise ValueError(fmt)
    syntax = formats.by_name(fmt)
    rdf_format = formats.ox_format(syntax)
    triples = sorted((t for t in answer.triples if isinstance(t, ox.Triple)), key=str)
    if syntax in (formats.NQUADS, formats.TRIG):  # quads in the default graph
        quads = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
        data = ox.serialize(
            quads, format=rdf_format, prefixes=PREFIXES if syntax is formats.TRIG else None
        )
    elif syntax is formats.TURTLE:
        data = ox.serialize(triples, format=rdf_format, prefixes=PREFIXES)
    else:
        data = ox.serialize(triples, format=rdf_format)
    return data or b""
