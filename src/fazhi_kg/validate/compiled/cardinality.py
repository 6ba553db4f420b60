"""SHACL §4.2 Cardinality Constraint Components (https://www.w3.org/TR/shacl/#core-components-count):
sh:minCount and sh:maxCount, as aggregates over the focus nodes, or inside a nested shape as
patterns that ask for n distinct values."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from fazhi_kg.validate.compiled.check import Params, Query, Unsupported, integer
from fazhi_kg.validate.vocab import SH

if TYPE_CHECKING:
    from fazhi_kg.validate.compiled.compiler import Compiler

__all__ = ["COLLECTION", "at_least", "focus_checks", "nested"]

COLLECTION = {SH.minCount, SH.maxCount}
MAX_NESTED_COUNT = 6  # n distinct values take n(n-1)/2 comparisons


def focus_checks(c: Compiler, params: Params, focus: str, path: str) -> Iterator[Query]:
    """The focus nodes with fewer values than sh:minCount, or more than sh:maxCount."""
    del c
    for n in params.get(SH.minCount, []):
        if integer(n) == 1:
            q = f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path} ?value }} }}"
        else:
            q = (
                f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {path} ?value }} }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {integer(n)})"
            )
        yield Query("MinCount", q, "focus")
    for n in params.get(SH.maxCount, []):
        q = (
            f"SELECT ?this WHERE {{ {focus} ?this {path} ?value }} "
            f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {integer(n)})"
        )
        yield Query("MaxCount", q, "focus")


def nested(c: Compiler, params: Params, var: str, path: str, y: str) -> Iterator[str]:
    """sh:minCount and sh:maxCount as expressions on the node `var`."""
    del y
    for n in params.get(SH.minCount, []):
        yield at_least(c, var, path, integer(n), None)
    for n in params.get(SH.maxCount, []):
        yield f"!{at_least(c, var, path, integer(n) + 1, None)}"


def at_least(c: Compiler, var: str, path: str, n: int, cond: tuple[str, str] | None) -> str:
    """EXISTS n distinct values of `path` (each satisfying `cond`: a variable and an expression
    of it)."""
    if n <= 0:
        return "true"
    if n > MAX_NESTED_COUNT:
        raise Unsupported(f"a count of {n} inside a nested shape")
    names = [c.var() for _ in range(n)]
    triples = " . ".join(f"{var} {path} {v}" for v in names)
    filters = [f"!sameTerm({a}, {b})" for i, a in enumerate(names) for b in names[i + 1 :]]
    if cond is not None:
        z, expr = cond
        filters += [re.sub(re.escape(z) + r"(?!\d)", v, expr) for v in names]
    where = f" FILTER({' && '.join(filters)})" if filters else ""
    return f"EXISTS {{ {triples}{where} }}"
