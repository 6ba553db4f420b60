"""SHACL §4.6 Logical Constraint Components (https://www.w3.org/TR/shacl/#core-components-logical):
sh:not, sh:and, sh:or and sh:xone, from the conformance of a value node to the shapes they name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib.term import Node, URIRef

from fazhi_kg.validate.compiled.check import Params
from fazhi_kg.validate.vocab import SH

if TYPE_CHECKING:
    from fazhi_kg.validate.compiled.compiler import Compiler

__all__ = ["VALUE", "value_ok"]

VALUE = {SH["not"]: "Not", SH["and"]: "And", SH["or"]: "Or", SH.xone: "Xone"}


def value_ok(c: Compiler, params: Params, p: URIRef, o: Node, var: str) -> str:
    """The expression true when `var` satisfies `p o`."""
    del params
    if p == SH["not"]:
        return f"!({c.conforms(o, var)})"
    if p == SH.xone:
        counts = " + ".join(f"IF({c.conforms(x, var)}, 1, 0)" for x in c.items(o))
        return f"(({counts or '0'}) = 1)"
    joiner = " || " if p == SH["or"] else " && "
    each = [c.conforms(x, var) for x in c.items(o)]
    return "(" + joiner.join(each or ["false" if p == SH["or"] else "true"]) + ")"
