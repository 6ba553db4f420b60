"""Validate report graphs against ontology/shapes.ttl (SHACL, https://www.w3.org/TR/shacl/).

The rooms: `report` (Result, Report) and `render` (text, JSON); `run` chooses the engine;
`pyshacl_engine` is the reference; `fast` runs `compiled` (SHACL Core compiled to SPARQL, one
module per section of the specification) and `sparql` (SHACL-SPARQL constraints) on Oxigraph;
`evidence` finds a result's quote; `shapes` parses the shapes; `card` is the inspector's card.
"""

from fazhi_kg.validate.render import render_json, render_text
from fazhi_kg.validate.report import Report, Result
from fazhi_kg.validate.run import (
    ENGINES,
    check_engine,
    validate_file,
    validate_files,
    validate_graph,
    validate_ntriples,
)
from fazhi_kg.validate.shapes import ontology_graph, shapes_graph

__all__ = [
    "ENGINES",
    "Report",
    "Result",
    "check_engine",
    "ontology_graph",
    "render_json",
    "render_text",
    "shapes_graph",
    "validate_file",
    "validate_files",
    "validate_graph",
    "validate_ntriples",
]
