"""SHACL-SPARQL constraints (https://www.w3.org/TR/shacl/#sparql-constraints) evaluated once per
graph on Oxigraph: each constraint's SELECT with `$this` ranging over all its targets at once,
instead of once per focus node as pySHACL runs it; the results as pySHACL writes them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from fazhi_kg import iris
from fazhi_kg.rdfio.terms import to_rdflib
from fazhi_kg.validate.shapes import SparqlConstraint
from fazhi_kg.validate.vocab import RDF, SH

__all__ = ["sparql_results"]


def _target_pattern(kind: URIRef, value: URIRef) -> str:
    """The graph pattern that binds `?this` to the focus nodes of one target."""
    if kind == SH.targetClass:
        return f"?this a/<{iris.RDFS}subClassOf>* <{value}> ."
    if kind == SH.targetSubjectsOf:
        return f"?this <{value}> ?shaclTargetObject ."
    if kind == SH.targetObjectsOf:
        return f"?shaclTargetSubject <{value}> ?this ."
    return f"VALUES ?this {{ <{value}> }}"


def _queries(c: SparqlConstraint) -> list[str]:
    """The constraint's SELECT once per target, `$this` bound by the target's pattern."""
    body = re.sub(r"\$this\b", "?this", c.select)
    out = []
    for kind, target in c.targets:
        q = re.sub(r"WHERE\s*\{", "WHERE { " + _target_pattern(kind, target), body, count=1)
        # DISTINCT over the projection: pySHACL reports each (focus, value) once
        out.append(
            re.sub(r"^(\s*)SELECT\s+\?this", r"\1SELECT DISTINCT ?this", q, count=1, flags=re.M)
        )
    return out


def sparql_results(query: Callable[[str], Any], constraints: Sequence[SparqlConstraint]) -> Graph:
    """The validation results of `constraints`, `query` running SPARQL on the data graph."""
    out = Graph()
    for c in constraints:
        for q in _queries(c):
            solutions = query(q)
            assert isinstance(solutions, ox.QuerySolutions)
            names = [v.value for v in solutions.variables]
            for row in solutions:
                _add_result(out, c, {n: row[n] for n in names if row[n] is not None})
    return out


def _add_result(out: Graph, c: SparqlConstraint, bound: dict[str, Any]) -> None:
    focus = to_rdflib(bound["this"])
    value = to_rdflib(bound["value"]) if "value" in bound else None
    key = f"{c.constraint}|{focus}|{value}"
    r = URIRef(f"urn:fazhi:result:{hashlib.sha1(key.encode()).hexdigest()}")
    out.add((r, RDF.type, SH.ValidationResult))
    out.add((r, SH.focusNode, focus))
    out.add((r, SH.resultSeverity, c.severity))
    out.add((r, SH.sourceShape, c.shape))
    out.add((r, SH.sourceConstraint, c.constraint))
    out.add((r, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
    if value is not None:
        out.add((r, SH.value, value))
    for m in c.messages:
        text = str(m)
        for n, term in bound.items():  # {?var} and {$var} stand for the bound values
            text = text.replace("{?" + n + "}", term.value).replace("{$" + n + "}", term.value)
        out.add((r, SH.resultMessage, Literal(text, lang=m.language)))
