"""Reading RDF files for every command: one format table, one loader, and the guards against hostile files."""
