"""SHACL §4.3 Value Range Constraint Components (https://www.w3.org/TR/shacl/#core-components-range):
sh:minExclusive, sh:minInclusive, sh:maxExclusive and sh:maxInclusive, comparisons on the value
as rdflib reads it (an ill-typed literal, an IRI or a blank node fails them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Literal
from rdflib.term import Node, URIRef

from fazhi_kg.validate.compiled.check import Params, Unsupported
from fazhi_kg.validate.compiled.literals import value_of
from fazhi_kg.validate.vocab import SH

if TYPE_CHECKING:
    from fazhi_kg.validate.compiled.compiler import Compiler

__all__ = ["VALUE", "value_ok"]

VALUE = {
    SH.minInclusive: "MinInclusive",
    SH.maxInclusive: "MaxInclusive",
    SH.minExclusive: "MinExclusive",
    SH.maxExclusive: "MaxExclusive",
}
_OPS = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}


def value_ok(c: Compiler, params: Params, p: URIRef, o: Node, var: str) -> str:
    """The expression true when `var` satisfies `p o`."""
    del params
    if not isinstance(o, Literal):
        raise Unsupported(f"{p} {o}")
    return f"COALESCE({value_of(var)} {_OPS[p]} {c.plain(o)}, false)"
