"""The reference engine: every shape run by pySHACL (https://github.com/RDFLib/pySHACL), the data
graph checked with the ontology mixed in, so `sh:class` constraints on concepts and subclasses
resolve. pySHACL is imported only when a graph is validated with it.
"""

from __future__ import annotations

from rdflib import Graph

from fazhi_kg.validate.evidence import rdflib_evidence
from fazhi_kg.validate.report import Report, report_of
from fazhi_kg.validate.shapes import ontology_graph

__all__ = ["pyshacl_report", "run_pyshacl"]


def run_pyshacl(data: Graph, shacl: Graph) -> Graph:
    """pySHACL's validation report graph of `data` against the shapes `shacl`."""
    import pyshacl

    _, report_graph, _ = pyshacl.validate(
        data,
        shacl_graph=shacl,
        ont_graph=ontology_graph(),
        inference="none",
        abort_on_first=False,
        allow_infos=True,
        allow_warnings=True,
        advanced=True,
    )
    assert isinstance(report_graph, Graph)
    return report_graph


def pyshacl_report(data: Graph, shacl: Graph) -> Report:
    """The `Report` of `data` against `shacl`, as pySHACL finds it."""
    return report_of(run_pyshacl(data, shacl), rdflib_evidence(data))
