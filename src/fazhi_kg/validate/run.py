"""Validate graphs against ontology/shapes.ttl: choose the engine for a graph, a graph file or a
graph as N-Triples, and merge the results of several files.

Each report graph is validated on its own, with the ontology and SKOS vocabulary mixed in as the
ontology graph (so `sh:class` constraints on concepts and superclasses resolve).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from fazhi_kg.errors import UsageError
from fazhi_kg.rdfio.load import GraphFile, only_rdf11, read_graphs
from fazhi_kg.rdfio.terms import to_rdflib_graph
from fazhi_kg.validate.compiled import Unsupported
from fazhi_kg.validate.fast import fast_checks, fast_report, mixed_report
from fazhi_kg.validate.pyshacl_engine import pyshacl_report
from fazhi_kg.validate.report import Report, Result
from fazhi_kg.validate.shapes import shapes_graph

__all__ = [
    "ENGINES",
    "check_engine",
    "validate_file",
    "validate_files",
    "validate_graph",
    "validate_ntriples",
]

ENGINES = ("fast", "pyshacl")


def check_engine(engine: str) -> None:
    """Raise `UsageError` for an engine other than those in `ENGINES`."""
    if engine not in ENGINES:
        raise UsageError(f'Unknown validation engine "{engine}"; use one of {", ".join(ENGINES)}.')


def validate_graph(data: Graph, *, engine: str = "fast") -> Report:
    """Validate one data graph against the shapes.

    `pyshacl` runs every shape in pySHACL (the reference). `fast` compiles the core shapes to
    SPARQL (`fazhi_kg.validate.compiled`) and runs them and each SPARQL-based constraint once per
    graph on Oxigraph; a differential test holds the two to the same results.
    """
    if engine == "fast":
        return validate_ntriples(data.serialize(format="nt", encoding="utf-8"))
    return pyshacl_report(data, shapes_graph())


def validate_ntriples(data: bytes, *, engine: str = "fast") -> Report:
    """Validate one graph given as N-Triples (as a corpus store dumps it) without parsing it into
    rdflib on the fast path."""
    if engine != "fast":
        g = Graph()
        g.parse(data=data, format="nt")
        return pyshacl_report(g, shapes_graph())
    try:
        checks = fast_checks()
    except Unsupported as exc:
        warnings.warn(
            f"The fast SHACL engine cannot run ontology/shapes.ttl ({exc}); "
            "validating with pySHACL instead, which is much slower.",
            RuntimeWarning,
            stacklevel=2,
        )
        return mixed_report(data)
    return fast_report(data, checks)


def validate_file(graph_file: GraphFile, *, engine: str = "fast") -> Report:
    """Validate the union of the graphs of one graph file (`fazhi_kg.rdfio.load`)."""
    triples = graph_file.triples()
    only_rdf11(triples, "validate")
    if engine == "fast":
        return validate_ntriples(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
    return validate_graph(to_rdflib_graph(triples), engine=engine)


def validate_files(paths: Sequence[str | Path], *, engine: str = "fast") -> Report:
    """Validate each graph file on its own (`-`: standard input) and merge the results."""
    results: list[Result] = []
    merged = Graph()
    for graph_file in read_graphs(paths):
        rep = validate_file(graph_file, engine=engine)
        results.extend(rep.results)
        merged += rep.graph
    conforms = not any(r.severity == "Violation" for r in results)
    return Report(conforms=conforms, results=tuple(results), graph=merged)
