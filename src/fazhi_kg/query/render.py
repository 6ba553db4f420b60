"""One renderer for query answers: tables for people (fitted to a width, CJK aware), the W3C
SPARQL 1.1 results formats, JSON lines and Markdown for SELECT and ASK, and RDF syntaxes for
CONSTRUCT and DESCRIBE.

The W3C formats are those of the specifications, written by Oxigraph's own serializers:
Query Results XML (https://www.w3.org/TR/rdf-sparql-XMLres/), JSON
(https://www.w3.org/TR/sparql11-results-json/), CSV and TSV
(https://www.w3.org/TR/sparql11-results-csv-tsv/). TSV keeps RDF term syntax, so a decimal
`"100"^^xsd:decimal` reads back as a decimal, not as the integer `100`.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping, Sequence
from functools import cache

import pyoxigraph as ox

from fazhi_kg.iris import ID_NS, PREFIXES, XSD
from fazhi_kg.query.answer import Answer
from fazhi_kg.query.formats import Format
from fazhi_kg.rdfio import formats

__all__ = [
    "Format",
    "ask",
    "compact",
    "fit",
    "graph",
    "plain",
    "select",
    "width",
]

# short forms in tables: the usual prefixes, and id: for instance IRIs without a further slash
_SHORT = {**PREFIXES, "id": ID_NS}
_GAP = "  "  # between table columns
MIN_COLUMN = 6
"""Display cells a column keeps at least when a table is fitted to a width."""
ELLIPSIS = "…"
_W3C = {
    Format.XML: ox.QueryResultsFormat.XML,
    Format.JSON: ox.QueryResultsFormat.JSON,
    Format.CSV: ox.QueryResultsFormat.CSV,
    Format.TSV: ox.QueryResultsFormat.TSV,
}


# --- terms ----------------------------------------------------------------------------------


@cache
def _char_width(c: str) -> int:
    if unicodedata.combining(c):
        return 0
    return 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1


def width(s: str) -> int:
    """Display width in a terminal: East Asian wide and full-width characters take two cells."""
    return len(s) if s.isascii() else sum(map(_char_width, s))


def fit(s: str, cells: int) -> str:
    """`s` cut to at most `cells` display cells, ending in … when something was cut."""
    if width(s) <= cells:
        return s
    room, out = cells - width(ELLIPSIS), []
    for c in s:
        room -= _char_width(c)
        if room < 0:
            break
        out.append(c)
    return "".join(out) + ELLIPSIS


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


def _value(term: object | None) -> str:
    """A term's bare value (JSON lines): a literal's text, an IRI, a blank node's label."""
    return "" if term is None else getattr(term, "value", str(term))


def _json_term(term: object) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):  # RDF 1.2 triple terms, as Oxigraph writes them
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    assert isinstance(term, ox.Literal)
    out: dict[str, object] = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD + "string":
        out["datatype"] = term.datatype.value
    return out


def _w3c(variables: Sequence[str], rows: Sequence[Sequence[object | None]], fmt: Format) -> str:
    """The SELECT answer in a W3C results format: our JSON, then, for XML, CSV and TSV,
    Oxigraph's serializer of the same results."""
    doc = {
        "head": {"vars": list(variables)},
        "results": {
            "bindings": [
                {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
                for row in rows
            ]
        },
    }
    if fmt is Format.JSON:
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    data = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    text = (parsed.serialize(format=_W3C[fmt]) or b"").decode("utf-8")
    return text if text.endswith("\n") else text + "\n"


# --- SELECT ---------------------------------------------------------------------------------


def select(
    answer: Answer,
    fmt: Format,
    *,
    hidden: Sequence[str] = (),
    names: Mapping[str, str] | None = None,
    max_width: int | None = None,
) -> str:
    """Render a SELECT answer; variables in `hidden` (bound parameters) are left out. A table is
    fitted into `max_width` display cells when given (long cells cut with …)."""
    keep = [i for i, v in enumerate(answer.variables) if v not in hidden]
    variables = [answer.variables[i] for i in keep]
    rows = [[row[i] for i in keep] for row in answer.rows]
    if fmt in _W3C:
        return _w3c(variables, rows, fmt)
    if fmt is Format.JSONL:
        return "".join(
            json.dumps(
                {v: _value(t) for v, t in zip(variables, row, strict=True)},
                ensure_ascii=False,
            )
            + "\n"
            for row in rows
        )
    cells = [[plain(t, names).replace("\n", " ") for t in row] for row in rows]
    if fmt is Format.MD:

        def esc(s: str) -> str:
            return s.replace("|", "\\|")

        out = ["| " + " | ".join(variables) + " |", "|" + "|".join("---" for _ in variables) + "|"]
        out += ["| " + " | ".join(esc(c) for c in row) + " |" for row in cells]
        return "\n".join(out) + "\n"
    return table([list(variables), *cells], max_width=max_width)


def column_widths(natural: Sequence[int], room: int) -> list[int]:
    """Widths for columns of `natural` widths sharing `room` cells: narrow columns keep their
    width, the wide ones share what is left equally (never below `MIN_COLUMN`)."""
    widths = list(natural)
    if sum(widths) <= room:
        return widths
    order = sorted(range(len(widths)), key=lambda i: natural[i])
    left, count = room, len(widths)
    for k, i in enumerate(order):
        share = max(MIN_COLUMN, left // (count - k))
        widths[i] = min(natural[i], share)
        left -= widths[i]
    return widths


def table(rows: Sequence[Sequence[str]], *, max_width: int | None = None) -> str:
    """Aligned columns under a rule, the first row being the header; fitted into `max_width`."""
    # each cell's width once: on thousands of rows, measuring dominates rendering
    sized = [[(c, width(c)) for c in row] for row in rows]
    natural = [max(r[i][1] for r in sized) for i in range(len(rows[0]))]
    widths = natural
    if max_width is not None:
        widths = column_widths(natural, max_width - len(_GAP) * (len(natural) - 1))
    lines = []
    for row in sized:
        parts = []
        for (c, n), w in zip(row, widths, strict=True):
            if n > w:
                c = fit(c, w)
                n = width(c)
            parts.append(c + " " * (w - n))
        lines.append(_GAP.join(parts).rstrip())
    lines.insert(1, _GAP.join("─" * w for w in widths))
    return "\n".join(lines) + "\n"


# --- ASK and CONSTRUCT ----------------------------------------------------------------------


def ask(answer: Answer, fmt: Format) -> str:
    """An ASK answer: the W3C XML or JSON document, else `true` or `false`."""
    if fmt in (Format.XML, Format.JSON):
        doc = json.dumps({"head": {}, "boolean": bool(answer.boolean)}).encode()
        parsed = ox.parse_query_results(doc, format=ox.QueryResultsFormat.JSON)
        return (parsed.serialize(format=_W3C[fmt]) or b"").decode("utf-8") + "\n"
    return ("true" if answer.boolean else "false") + "\n"


def graph(answer: Answer, syntax: formats.Syntax | str) -> bytes:
    """CONSTRUCT and DESCRIBE answers in an RDF syntax, triples sorted for stable output."""
    if isinstance(syntax, str):
        syntax = formats.by_name(syntax)
    rdf_format = formats.ox_format(syntax)
    triples = sorted((t for t in answer.triples if isinstance(t, ox.Triple)), key=str)
    if syntax in (formats.NQUADS, formats.TRIG):  # quads in the default graph
        quads = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
        data = ox.serialize(
            quads, format=rdf_format, prefixes=PREFIXES if syntax is formats.TRIG else None
        )
    elif syntax in (formats.TURTLE, formats.N3):
        data = ox.serialize(triples, format=rdf_format, prefixes=PREFIXES)
    else:
        data = ox.serialize(triples, format=rdf_format)
    return data or b""
