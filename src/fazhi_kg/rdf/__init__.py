"""Facts to RDF: the only place that makes triples (mapping, IRIs, namespaces)."""
