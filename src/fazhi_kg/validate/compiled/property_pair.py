"""SHACL §4.5 Property Pair Constraint Components (https://www.w3.org/TR/shacl/#core-components-property-pairs):
sh:equals, sh:disjoint, sh:lessThan and sh:lessThanOrEquals, as patterns whose solutions are the
offending values."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from rdflib import URIRef

from fazhi_kg.validate.compiled.check import Params, Query
from fazhi_kg.validate.compiled.literals import value_of
from fazhi_kg.validate.vocab import SH

if TYPE_CHECKING:
    from fazhi_kg.validate.compiled.compiler import Compiler

__all__ = ["COLLECTION", "focus_checks", "nested"]

_NAMES = {
    SH.equals: "Equals",
    SH.disjoint: "Disjoint",
    SH.lessThan: "LessThan",
    SH.lessThanOrEquals: "LessThanOrEquals",
}
COLLECTION = set(_NAMES)


def _patterns(
    c: Compiler, params: Params, var: str, path: str, y: str
) -> Iterator[tuple[URIRef, str]]:
    """(parameter, pattern) whose solutions violate it, with `y` the offending value."""
    for p in params.get(SH.equals, []):
        q = c.term(p)
        yield (
            SH.equals,
            f"{{ {var} {path} {y} FILTER NOT EXISTS {{ {var} {q} {y} }} }} UNION "
            f"{{ {var} {q} {y} FILTER NOT EXISTS {{ {var} {path} {y} }} }}",
        )
    for p in params.get(SH.disjoint, []):
        yield SH.disjoint, f"{var} {path} {y} . {var} {c.term(p)} {y}"
    for param, op in ((SH.lessThan, "<"), (SH.lessThanOrEquals, "<=")):
        for p in params.get(param, []):
            o = c.var()
            yield (
                param,
                f"{var} {path} {y} . {var} {c.term(p)} {o} "
                f"FILTER(!COALESCE({value_of(y)} {op} {value_of(o)}, false))",
            )


def focus_checks(c: Compiler, params: Params, focus: str, path: str) -> Iterator[Query]:
    """The focus nodes and values that break a property pair."""
    for p, pattern in _patterns(c, params, "?this", path, "?value"):
        q = f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {pattern} }}"
        yield Query(_NAMES[p], q, "value")


def nested(c: Compiler, params: Params, var: str, path: str, y: str) -> Iterator[str]:
    """The property pairs as expressions on the node `var`."""
    for _, pattern in _patterns(c, params, var, path, y):
        yield f"NOT EXISTS {{ {pattern} }}"
