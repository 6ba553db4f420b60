"""The one converter between Oxigraph and rdflib terms, and rdflib graphs from Oxigraph triples.

A literal keeps its lexical form exactly (rdflib would otherwise normalize "01"^^xsd:integer to
"1"). A simple literal is xsd:string in Oxigraph and a literal without datatype in rdflib, as
rdflib's own parsers make it; rdflib's explicit "x"^^xsd:string, the same RDF 1.1 term, comes
back from Oxigraph as the literal without datatype.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from fazhi_kg.iris import XSD

__all__ = ["OxTerm", "from_rdflib", "to_rdflib", "to_rdflib_graph"]

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
_XSD_STRING = XSD + "string"


def to_rdflib(term: OxTerm) -> URIRef | BNode | Literal:
    """The rdflib term of an Oxigraph term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype), normalize=False)
    raise TypeError(f"{term!r} is not an RDF 1.1 term rdflib can hold")


def from_rdflib(term: Node) -> OxTerm:
    """The Oxigraph term of an rdflib term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is None:
            return ox.Literal(str(term))
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    raise TypeError(f"{term!r} is not an RDF term Oxigraph can hold")


def to_rdflib_graph(triples: Iterable[ox.Triple], graph: Graph | None = None) -> Graph:
    """The triples added to `graph` (a new one when None), as rdflib terms."""
    g = Graph() if graph is None else graph
    g.addN(
        (to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object), g)  # type: ignore[arg-type]
        for t in triples
    )
    return g
