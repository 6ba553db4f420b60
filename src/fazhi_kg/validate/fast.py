"""The fast engine: SHACL Core compiled to SPARQL (`fazhi_kg.validate.compiled`) and SHACL-SPARQL
constraints (`fazhi_kg.validate.sparql`), both run on an Oxigraph workspace that holds one data
graph and the ontology, the results written as pySHACL writes them (a differential test holds
the two engines to the same results).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from functools import cache
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef

from fazhi_kg.validate.compiled import Check, Workspace, compile_shapes, encode_ntriples, run_checks
from fazhi_kg.validate.compiled.check import TYPE_OF
from fazhi_kg.validate.evidence import rdflib_evidence, store_evidence
from fazhi_kg.validate.pyshacl_engine import run_pyshacl
from fazhi_kg.validate.report import Report, report_of
from fazhi_kg.validate.shapes import ontology_graph, shapes_graph, split_shapes
from fazhi_kg.validate.sparql import sparql_results
from fazhi_kg.validate.vocab import RDF, RDFS, SH

__all__ = ["core_results", "fast_checks", "fast_report", "mixed_report", "workspace"]


@cache
def fast_checks() -> tuple[Check, ...]:
    """The SHACL Core shapes compiled; raises `Unsupported` for shapes the compiler cannot run."""
    return compile_shapes(split_shapes()[0])


@cache
def _closed_checks(checks: tuple[Check, ...]) -> tuple[Check, ...]:
    """`checks` with each class of a SHACL instance test (`rdf:type/rdfs:subClassOf*`) replaced by
    the ontology's subclasses of it: right for a data graph without `rdfs:subClassOf` triples of
    its own, and a quarter cheaper (a report graph's core checks: 47 against 60 ms)."""
    onto = ontology_graph()

    def closure(m: re.Match[str]) -> str:
        cls = URIRef(m.group(2))
        found = sorted({cls, *(str(c) for c in onto.transitive_subjects(RDFS.subClassOf, cls))})
        var = f"?fzclass{m.start()}"
        values = " ".join(f"<{c}>" for c in found)
        return f"{m.group(1)} <{RDF.type}> {var} VALUES {var} {{ {values} }}"

    return tuple(replace(c, query=_INSTANCE.sub(closure, c.query)) for c in checks)


_INSTANCE = re.compile(r"(\?\w+) " + re.escape(TYPE_OF) + r" <([^<>\s]+)>")
_SUBCLASS = f"<{RDFS.subClassOf}>".encode()


@cache
def _ontology_ntriples() -> tuple[bytes, bytes]:
    nt = ontology_graph().serialize(format="nt", encoding="utf-8")
    return nt, encode_ntriples(nt)


def workspace(data: bytes) -> Workspace:
    """An Oxigraph store with the data graph (N-Triples) and the ontology."""
    return Workspace(data, *_ontology_ntriples())


def fast_report(data: bytes, checks: tuple[Check, ...]) -> Report:
    """The `Report` of one graph (N-Triples): the compiled core checks and the SPARQL-based
    constraints."""
    ws = workspace(data)
    graph = core_results(ws, _closed_checks(checks) if _SUBCLASS not in data else checks)
    graph += sparql_results(lambda q: ws.query(q, rdflib_view=False), split_shapes()[1])
    return report_of(graph, store_evidence(ws))


def mixed_report(data: bytes) -> Report:
    """The fallback where the shapes use what the compiler cannot run: SHACL Core in pySHACL,
    the SPARQL-based constraints on Oxigraph as `fast_report` runs them."""
    core, constraints = split_shapes()
    g = Graph()
    g.parse(data=data, format="nt")
    ws = workspace(data)
    extra = sparql_results(lambda q: ws.query(q, rdflib_view=False), constraints)
    return report_of(run_pyshacl(g, core) + extra, rdflib_evidence(g))


def core_results(ws: Workspace, checks: tuple[Check, ...]) -> Graph:
    """The SHACL validation report of the compiled core checks, as pySHACL would write it."""
    shapes = shapes_graph()
    out = Graph()
    report = URIRef("urn:fazhi:validation-report")
    out.add((report, RDF.type, SH.ValidationReport))
    conforms = True
    for c, focus, value in run_checks(checks, lambda q: ws.query(q, rdflib_view=True)):
        key = f"{c.shape}|{c.component}|{focus.n3()}|{'' if value is None else value.n3()}"
        r = URIRef(f"urn:fazhi:result:{hashlib.sha1(key.encode()).hexdigest()}")
        out.add((report, SH.result, r))
        out.add((r, RDF.type, SH.ValidationResult))
        out.add((r, SH.focusNode, focus))
        out.add((r, SH.resultSeverity, c.severity))
        out.add((r, SH.sourceShape, c.shape))
        out.add((r, SH.sourceConstraintComponent, SH[c.component]))
        if value is not None:
            out.add((r, SH.value, value))
        if c.path is not None:
            out.add((r, SH.resultPath, c.path))
            _copy_path(shapes, c.path, out)
        for m in c.messages:
            out.add((r, SH.resultMessage, m))
        conforms = conforms and c.severity != SH.Violation
    out.add((report, SH.conforms, Literal(conforms)))
    return out


def _copy_path(shapes: Graph, node: Any, out: Graph) -> None:
    """A result's sh:resultPath that is a blank node (a complex path) with its whole structure."""
    if isinstance(node, BNode):
        for p, o in shapes.predicate_objects(node):
            out.add((node, p, o))
            _copy_path(shapes, o, out)
