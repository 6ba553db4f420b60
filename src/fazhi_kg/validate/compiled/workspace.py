"""Running the compiled checks: a fresh in-memory Oxigraph store per report graph (Oxigraph's
in-memory store keeps removed quads around, so reusing one store for many graphs grows slower),
with the ontology beside it, and each row of a check read back as the rdflib terms pySHACL would
report."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.term import Node

from fazhi_kg import iris
from fazhi_kg.rdfio.terms import to_rdflib
from fazhi_kg.validate.compiled.check import Check
from fazhi_kg.validate.compiled.literals import datatype_of, encode_ntriples

__all__ = ["Workspace", "run_checks"]


class Workspace:
    """An Oxigraph store holding one data graph and the ontology, each twice: as loaded (for
    SPARQL-based constraints) and as rdflib reads it (for the compiled core checks)."""

    def __init__(self, data_nt: bytes, ontology_nt: bytes, ontology_encoded: bytes) -> None:
        self.store = ox.Store()
        self.onto = ox.NamedNode("urn:fazhi:validate:ontology")
        self.onto_enc = ox.NamedNode("urn:fazhi:validate:ontology:rdflib")
        self.data = ox.NamedNode("urn:fazhi:validate:data")
        self.data_enc = ox.NamedNode("urn:fazhi:validate:data:rdflib")
        nt = ox.RdfFormat.N_TRIPLES
        for text, graph in (
            (ontology_nt, self.onto),
            (ontology_encoded, self.onto_enc),
            (data_nt, self.data),
            (encode_ntriples(data_nt), self.data_enc),
        ):
            self.store.load(text, format=nt, to_graph=graph)

    def query(self, text: str, *, rdflib_view: bool) -> Any:
        graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = (
            [self.data_enc, self.onto_enc] if rdflib_view else [self.data, self.onto]
        )
        return self.store.query(text, default_graph=graphs)

    def objects(self, subject: Any, predicate: str) -> list[Any]:
        """Objects in the data graph (as loaded), for the evidence of a result."""
        found = self.store.quads_for_pattern(subject, ox.NamedNode(predicate), None, self.data)
        return sorted((q.object for q in found), key=str)


def _to_rdflib(term: Any) -> Node:
    """A term of the rdflib view as rdflib holds it: the literal's datatype decoded, and a literal
    marked ^^xsd:string kept apart from the plain one, as rdflib keeps them."""
    if isinstance(term, ox.Literal) and not term.language:
        datatype, well_formed = datatype_of(term.datatype.value)
        if datatype == iris.XSD + "string" and well_formed:
            return Literal(term.value, datatype=URIRef(datatype), normalize=False)
        term = ox.Literal(term.value, datatype=ox.NamedNode(datatype))
    return to_rdflib(term)


def run_checks(
    checks: tuple[Check, ...], query: Callable[[str], Any]
) -> Iterator[tuple[Check, Node, Node | None]]:
    """Each violation as (check, focus node, value node or None), in rdflib terms."""
    for c in checks:
        for row in query(c.query):
            this = _to_rdflib(row["this"])
            if c.kind == "qualified":
                n = int(row["n"].value)
                low, high = c.bounds
                if (low is not None and n < low) or (high is not None and n > high):
                    yield c, this, None
            elif c.kind == "value":
                yield c, this, _to_rdflib(row["value"])
            else:
                yield c, this, this if c.kind == "node" else None
