"""The query path: stored-query catalogue, SPARQL engine on Oxigraph, paging, rendering and remote endpoints."""
