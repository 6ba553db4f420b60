"""The shapes (ontology/shapes.ttl) and the ontology they are checked with, parsed once, and the
shapes split into SHACL Core and SHACL-SPARQL constraints (https://www.w3.org/TR/shacl/#sparql-constraints),
which the fast engine runs separately.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rdflib import Graph, Literal, URIRef

from fazhi_kg.resources import ontology_dir
from fazhi_kg.validate.vocab import SH

__all__ = ["SparqlConstraint", "ontology_graph", "shapes_graph", "split_shapes"]


@cache
def shapes_graph() -> Graph:
    """ontology/shapes.ttl."""
    g = Graph()
    g.parse(ontology_dir() / "shapes.ttl", format="turtle")
    return g


@cache
def ontology_graph() -> Graph:
    """ontology/fazhi.ttl and vocab.ttl: the classes and concepts `sh:class` constraints see."""
    g = Graph()
    for name in ("fazhi.ttl", "vocab.ttl"):
        g.parse(ontology_dir() / name, format="turtle")
    return g


@dataclass(frozen=True)
class SparqlConstraint:
    """A SHACL-SPARQL constraint of a node shape, with what it needs to run on its own."""

    shape: URIRef
    constraint: URIRef
    targets: tuple[tuple[URIRef, URIRef], ...]  # (sh:targetClass | …, value)
    severity: URIRef
    messages: tuple[Literal, ...]
    select: str


_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)


@cache
def split_shapes() -> tuple[Graph, tuple[SparqlConstraint, ...]]:
    """The shapes graph without its SPARQL-based constraints, and those constraints."""
    full = shapes_graph()
    core = Graph()
    for t in full:
        if t[1] != SH.sparql:
            core.add(t)
    constraints = tuple(
        _constraint(full, shape, node)
        for shape, node in sorted(
            full.subject_objects(SH.sparql), key=lambda x: (str(x[0]), str(x[1]))
        )
    )
    return core, constraints


def _constraint(full: Graph, shape: object, node: object) -> SparqlConstraint:
    assert isinstance(shape, URIRef) and isinstance(node, URIRef)
    targets = tuple(
        (kind, value)
        for kind in _TARGETS
        for value in sorted(full.objects(shape, kind), key=str)
        if isinstance(value, URIRef)
    )
    prefixes = "".join(
        f"PREFIX {full.value(d, SH.prefix)}: <{full.value(d, SH.namespace)}>\n"
        for decl in full.objects(node, SH.prefixes)
        for d in sorted(full.objects(decl, SH.declare), key=lambda d: str(full.value(d, SH.prefix)))
    )
    severity = full.value(shape, SH.severity) or SH.Violation  # severity belongs to shapes
    assert isinstance(severity, URIRef)
    return SparqlConstraint(
        shape=shape,
        constraint=node,
        targets=targets,
        severity=severity,
        messages=tuple(m for m in full.objects(node, SH.message) if isinstance(m, Literal)),
        select=prefixes + str(full.value(node, SH.select)),
    )
