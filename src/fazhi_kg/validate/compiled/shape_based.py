"""SHACL §4.7 Shape-based Constraint Components (https://www.w3.org/TR/shacl/#core-components-shape):
sh:node on each value node, and sh:qualifiedValueShape with sh:qualifiedMinCount and
sh:qualifiedMaxCount on the values of a property shape (sh:qualifiedValueShapesDisjoint true is
not supported). sh:property, the third component, is the structure of the compiler itself
(`fazhi_kg.validate.compiled.compiler`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from rdflib.term import Node, URIRef

from fazhi_kg.validate.compiled.cardinality import at_least
from fazhi_kg.validate.compiled.check import Params, Query, Unsupported, integer
from fazhi_kg.validate.vocab import SH

if TYPE_CHECKING:
    from fazhi_kg.validate.compiled.compiler import Compiler

__all__ = ["COLLECTION", "VALUE", "focus_checks", "nested", "value_ok"]

VALUE = {SH.node: "Node"}
COLLECTION = {
    SH.qualifiedValueShape,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint,
}


def value_ok(c: Compiler, params: Params, p: URIRef, o: Node, var: str) -> str:
    """sh:node: the expression true when `var` conforms to the shape `o`."""
    del params, p
    return c.conforms(o, var)


def _no_disjoint(params: Params) -> None:
    if any(bool(x) for x in params.get(SH.qualifiedValueShapesDisjoint, [])):
        raise Unsupported("sh:qualifiedValueShapesDisjoint true")


def focus_checks(c: Compiler, params: Params, focus: str, path: str) -> Iterator[Query]:
    """The focus nodes with too few or too many values that conform to the qualified shape."""
    for shape_q in params.get(SH.qualifiedValueShape, []):
        _no_disjoint(params)
        low = [integer(n) for n in params.get(SH.qualifiedMinCount, [])]
        high = [integer(n) for n in params.get(SH.qualifiedMaxCount, [])]
        cond = c.conforms(shape_q, "?value")
        having = [f"COUNT(DISTINCT ?value) < {n}" for n in low]
        having += [f"COUNT(DISTINCT ?value) > {n}" for n in high]
        if not having:
            continue
        q = (
            f"SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {focus} "
            f"OPTIONAL {{ ?this {path} ?value FILTER({cond}) }} }} GROUP BY ?this "
            f"HAVING ({' || '.join(having)})"
        )
        for lo in low:
            yield Query("QualifiedMinCount", q, "qualified", bounds=(lo, None))
        for hi in high:
            yield Query("QualifiedMaxCount", q, "qualified", bounds=(None, hi))


def nested(c: Compiler, params: Params, var: str, path: str, y: str) -> Iterator[str]:
    """The qualified counts as expressions on the node `var`."""
    del y
    for shape_q in params.get(SH.qualifiedValueShape, []):
        _no_disjoint(params)
        z = c.var()
        cond = c.conforms(shape_q, z)
        for n in params.get(SH.qualifiedMinCount, []):
            yield at_least(c, var, path, integer(n), (z, cond))
        for n in params.get(SH.qualifiedMaxCount, []):
            yield f"!{at_least(c, var, path, integer(n) + 1, (z, cond))}"
