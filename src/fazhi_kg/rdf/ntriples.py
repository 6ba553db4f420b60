"""Triples as canonical N-Triples lines, and the deterministic Turtle written from them.

The mapping emits Oxigraph-compatible N-Triples lines straight into a set, with no rdflib graph in
between (adding to an rdflib graph cost about 60% of a report's build). `canonical_ntriples` and
`turtle` write them in one sorted order, so the same facts always give the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox

from fazhi_kg.iris import ID_NS, PREFIXES, graph_iri

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["Triples", "canonical_ntriples", "plain", "to_rdflib", "turtle", "typed", "zh"]

# An object is an IRI (a plain string) or a literal already in N-Triples form (made by the helpers
# below; it starts with a quote, which no IRI does).
_ESCAPES = {
    **{c: f"\\u{c:04X}" for c in [*range(0x20), 0x7F]},
    0x08: "\\b",
    0x09: "\\t",
    0x0A: "\\n",
    0x0C: "\\f",
    0x0D: "\\r",
    0x22: '\\"',
    0x5C: "\\\\",
}
_TURTLE_PREFIXES = {p: ns for p, ns in PREFIXES.items() if ns != ID_NS}


def _quoted(s: str) -> str:
    """A string in N-Triples quotes, escaped as canonical N-Triples (and Oxigraph) escape it."""
    return '"' + s.translate(_ESCAPES) + '"'


def zh(s: str) -> str:
    """A Chinese label: `"…"@zh`."""
    return _quoted(s) + "@zh"


def plain(s: str) -> str:
    """A plain string literal."""
    return _quoted(s)


def typed(lexical: object, datatype: str) -> str:
    """A typed literal `"lexical"^^<datatype>`."""
    return f"{_quoted(str(lexical))}^^<{datatype}>"


@dataclass
class Triples:
    """The triples of one report graph as N-Triples lines without the final " ." (a set, so no
    duplicates, like a graph)."""

    rid: str
    lines: set[str] = field(default_factory=set)

    @staticmethod
    def line(s: str, p: str, o: str) -> str:
        return f"<{s}> <{p}> {o}" if o[0] == '"' else f"<{s}> <{p}> <{o}>"

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.add(self.line(s, p, o))

    def __contains__(self, t: tuple[str, str, str]) -> bool:
        return self.line(*t) in self.lines

    def __len__(self) -> int:
        return len(self.lines)

    @property
    def graph(self) -> str:
        return graph_iri(self.rid)


def canonical_ntriples(triples: Triples) -> list[str]:
    """The triples as N-Triples lines (without the final " ."), sorted: one order for one graph."""
    return sorted(triples.lines)


def _document(lines: Iterable[str]) -> bytes:
    return "".join(f"{line} .\n" for line in lines).encode("utf-8")


def turtle(lines: list[str]) -> bytes:
    """Deterministic Turtle: Oxigraph's writer over N-Triples lines in `canonical_ntriples`
    order."""
    parsed = ox.parse(_document(lines), format=ox.RdfFormat.N_TRIPLES)
    return ox.serialize(parsed, format=ox.RdfFormat.TURTLE, prefixes=_TURTLE_PREFIXES) or b""


def to_rdflib(triples: Triples) -> Graph:
    """The triples as an rdflib graph named by the report's graph IRI, with the usual prefixes."""
    from rdflib import BNode, Graph, Literal, URIRef

    xsd_string = PREFIXES["xsd"] + "string"

    def term(t: ox.NamedNode | ox.BlankNode | ox.Literal) -> URIRef | BNode | Literal:
        if isinstance(t, ox.NamedNode):
            return URIRef(t.value)
        if isinstance(t, ox.Literal):
            dt = t.datatype.value
            bare = t.language or dt == xsd_string
            return Literal(t.value, lang=t.language, datatype=None if bare else URIRef(dt))
        return BNode(t.value)

    g = Graph(identifier=URIRef(triples.graph))
    for prefix, ns in _TURTLE_PREFIXES.items():
        g.bind(prefix, ns)
    parsed = ox.parse(_document(triples.lines), format=ox.RdfFormat.N_TRIPLES)
    g.addN((term(t.subject), term(t.predicate), term(t.object), g) for t in parsed)
    return g
