"""Reading RDF files for every command: the format table (`formats`), the one loader (`load`, with
`sniff` for standard input), the guards against hostile files (`guard`), one-line syntax errors
(`syntax`) and the one converter between Oxigraph and rdflib terms (`terms`).

Only `terms` imports rdflib; the loader is on the query path, which must not.
"""
