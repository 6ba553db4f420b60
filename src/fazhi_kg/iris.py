"""The project's namespace IRIs as plain strings, for code that must not import rdflib.

The query path (`fazhi query`, `fazhi sparql`) builds SPARQL prefixes from these; `namespace.py`
wraps the same strings in rdflib namespaces for the RDF mapping step. Imports nothing, so any
module can use it without cost.
"""

__all__ = ["FZ_NS", "ID_NS", "OA_NS", "ONTOLOGY_GRAPH", "SHAPES_NS"]

FZ_NS = "https://w3id.org/fazhi/ontology#"
"""The ontology namespace, prefix `fz:` (classes, properties, SKOS concepts and schemes)."""

ID_NS = "https://w3id.org/fazhi/id/"
"""Where instance data lives: reports, facts, places and documents (see docs/model.md, IRIs)."""

ONTOLOGY_GRAPH = "https://w3id.org/fazhi/ontology"
"""The named graph that holds ontology/fazhi.ttl and ontology/vocab.ttl."""

SHAPES_NS = "https://w3id.org/fazhi/shapes#"
"""The namespace of the SHACL shapes in ontology/shapes.ttl, prefix `fzs:`."""

OA_NS = "http://www.w3.org/ns/oa#"
"""The W3C Web Annotation vocabulary, prefix `oa:`, used for text evidence."""
