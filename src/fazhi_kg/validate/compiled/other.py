"""SHACL §4.8 Other Constraint Components (https://www.w3.org/TR/shacl/#core-components-others):
sh:in on each value node, and sh:hasValue on a focus node (node shapes) or on the values of a
property shape. sh:closed and sh:ignoredProperties are not supported (`Unsupported`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from rdflib.term import Node, URIRef

from fazhi_kg.validate.compiled.check import Params, Query
from fazhi_kg.validate.vocab import SH

if TYPE_CHECKING:
    from fazhi_kg.validate.compiled.compiler import Compiler

__all__ = [
    "COLLECTION",
    "VALUE",
    "focus_checks",
    "nested",
    "node_checks",
    "node_nested",
    "value_ok",
]

VALUE = {SH["in"]: "In"}
COLLECTION = {SH.hasValue}


def value_ok(c: Compiler, params: Params, p: URIRef, o: Node, var: str) -> str:
    """sh:in: the expression true when `var` is one of the listed terms."""
    del params, p
    each = [f"sameTerm({var}, {c.term(x)})" for x in c.items(o)]
    return "(" + " || ".join(each or ["false"]) + ")"


def node_checks(c: Compiler, params: Params, focus: str) -> Iterator[Query]:
    """sh:hasValue of a node shape: the focus nodes that are not the value."""
    for v in params.get(SH.hasValue, []):
        q = f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER(!sameTerm(?this, {c.term(v)})) }}"
        yield Query("HasValue", q, "focus")


def node_nested(c: Compiler, params: Params, var: str) -> Iterator[str]:
    """sh:hasValue of a node shape as an expression on the node `var`."""
    for v in params.get(SH.hasValue, []):
        yield f"sameTerm({var}, {c.term(v)})"


def focus_checks(c: Compiler, params: Params, focus: str, path: str) -> Iterator[Query]:
    """sh:hasValue of a property shape: the focus nodes without the value."""
    for v in params.get(SH.hasValue, []):
        q = (
            f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path} ?value "
            f"FILTER(sameTerm(?value, {c.term(v)})) }} }}"
        )
        yield Query("HasValue", q, "focus")


def nested(c: Compiler, params: Params, var: str, path: str, y: str) -> Iterator[str]:
    """sh:hasValue of a property shape as an expression on the node `var`."""
    for v in params.get(SH.hasValue, []):
        yield f"EXISTS {{ {var} {path} {y} FILTER(sameTerm({y}, {c.term(v)})) }}"
