"""Corpora: building many reports (in parallel, incrementally), the on-disk store, workers, serving and pushing."""
