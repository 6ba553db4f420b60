"""What the compiler makes, and what every section of it shares: a `Check` (one SELECT whose rows
are violations), the `Query` a section writes for one component, `Unsupported`, and reading an
integer parameter."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.term import Node

from fazhi_kg import iris

__all__ = ["TYPE_OF", "Check", "Params", "Query", "Unsupported", "integer"]

Params = dict[URIRef, list[Node]]
"""A shape's SHACL parameters: parameter IRI → its values."""

TYPE_OF = f"<{iris.RDF}type>/<{iris.RDFS}subClassOf>*"
"""The SPARQL path from a node to each of its classes (SHACL §3.2, SHACL instance)."""


class Unsupported(Exception):
    """The shapes use something this compiler does not implement."""


@dataclass(frozen=True)
class Query:
    """A SELECT a section writes for one component of one shape: its rows are violations."""

    component: str  # e.g. "MinCount"
    text: str
    kind: str  # "node": ?this is also the value; "value": ?this ?value; "focus": ?this only;
    # "qualified": ?this and ?n, the count of conforming values, against `bounds`
    bounds: tuple[int | None, int | None] = (None, None)


@dataclass(frozen=True)
class Check:
    """One SELECT query whose rows are violations of one component of one shape."""

    shape: Node
    component: str  # e.g. "MinCountConstraintComponent"
    query: str
    kind: str  # as in `Query`
    path: Node | None
    severity: URIRef
    messages: tuple[Literal, ...]
    bounds: tuple[int | None, int | None] = (None, None)


def integer(node: Node) -> int:
    """An integer parameter (sh:minCount 1); `Unsupported` for anything else."""
    if isinstance(node, Literal) and isinstance(node.value, int):
        return int(node.value)
    raise Unsupported(f"{node} where SHACL needs an integer")
