"""The closed vocabularies of `fazhi_kg.iris` as rdflib terms, for tests that look into graphs:
`FZ.Award` is `URIRef(iris.FZ.Award)`, and a term the vocabulary lacks raises AttributeError."""

from __future__ import annotations

from rdflib import URIRef

from fazhi_kg import iris


class _Terms:
    def __init__(self, vocabulary: type) -> None:
        self._vocabulary = vocabulary

    def __getattr__(self, name: str) -> URIRef:
        return URIRef(getattr(self._vocabulary, name))

    def __getitem__(self, name: str) -> URIRef:
        return self.__getattr__(name)

    def __dir__(self) -> list[str]:
        """The vocabulary's IRIs (as rdflib's DefinedNamespace lists them)."""
        return sorted(iris.terms(self._vocabulary).values())


FZ = _Terms(iris.FZ)
OA = _Terms(iris.OA)
