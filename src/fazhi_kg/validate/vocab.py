"""The namespaces of `fazhi_kg.iris` that validation reads shapes and writes result graphs with, as
the rdflib `Namespace` objects rdflib's graph API takes (SHACL, RDF, RDFS)."""

from __future__ import annotations

from rdflib import Namespace

from fazhi_kg import iris

__all__ = ["RDF", "RDFS", "SH"]

SH = Namespace(iris.SH)
RDF = Namespace(iris.RDF)
RDFS = Namespace(iris.RDFS)
