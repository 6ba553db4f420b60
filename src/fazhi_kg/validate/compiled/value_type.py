"""SHACL §4.1 Value Type Constraint Components (https://www.w3.org/TR/shacl/#core-components-value-type):
sh:class, sh:datatype and sh:nodeKind, each an expression true when a value node satisfies it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib.term import Node, URIRef

from fazhi_kg import iris
from fazhi_kg.validate.compiled.check import TYPE_OF, Params, Unsupported
from fazhi_kg.validate.compiled.literals import OK
from fazhi_kg.validate.vocab import SH

if TYPE_CHECKING:
    from fazhi_kg.validate.compiled.compiler import Compiler

__all__ = ["VALUE", "value_ok"]

VALUE = {SH["class"]: "Class", SH.datatype: "Datatype", SH.nodeKind: "NodeKind"}

# rdflib's well-formedness of a lexical form decides pySHACL's sh:datatype verdicts; these are
# the datatypes whose rdflib reading `fazhi_kg.validate.compiled.literals` knows (others raise
# Unsupported).
_DATATYPES = {
    iris.XSD + n
    for n in (
        "string integer decimal double float boolean date dateTime time nonNegativeInteger "
        "positiveInteger negativeInteger nonPositiveInteger int long short byte anyURI"
    ).split()
}


def value_ok(c: Compiler, params: Params, p: URIRef, o: Node, var: str) -> str:
    """The expression true when `var` satisfies `p o`."""
    del params
    if p == SH["class"]:
        return f"EXISTS {{ {var} {TYPE_OF} {c.term(o)} }}"
    if p == SH.datatype:
        return _datatype_ok(var, str(o))
    return _node_kind_ok(var, o)


def _node_kind_ok(var: str, kind: Node) -> str:
    kinds = {
        SH.IRI: f"isIRI({var})",
        SH.BlankNode: f"isBlank({var})",
        SH.Literal: f"isLiteral({var})",
        SH.BlankNodeOrIRI: f"(isBlank({var}) || isIRI({var}))",
        SH.BlankNodeOrLiteral: f"(isBlank({var}) || isLiteral({var}))",
        SH.IRIOrLiteral: f"(isIRI({var}) || isLiteral({var}))",
    }
    if kind not in kinds:
        raise Unsupported(f"sh:nodeKind {kind}")
    return kinds[kind]  # type: ignore[index]


def _datatype_ok(var: str, d: str) -> str:
    """pySHACL's sh:datatype: the literal's datatype is `d` and rdflib reads it as well-formed
    (a plain literal counts as xsd:string, a language-tagged one as rdf:langString)."""
    if d == iris.RDFS + "Literal":
        return f"isLiteral({var})"
    if d == iris.RDF + "langString":
        return f'COALESCE(LANG({var}) != "", false)'
    if d == iris.XSD + "string":
        return (
            f'COALESCE(LANG({var}) = "" && (DATATYPE({var}) = <{iris.XSD}string> || '
            f"DATATYPE({var}) = <{OK}{iris.XSD}string>), false)"
        )
    if d not in _DATATYPES:
        raise Unsupported(f"sh:datatype {d}")
    return f"COALESCE(DATATYPE({var}) = <{OK}{d}>, false)"
