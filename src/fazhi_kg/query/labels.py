"""Human labels for the IRIs of an answer (rdfs:label or skos:prefLabel, in the language asked
for where there is one), read from the store the query ran on: a local store, or the SPARQL
endpoint that answered it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from fazhi_kg.iris import RDFS, SKOS

__all__ = ["labels"]

_SAFE_IRI = re.compile(r"[^<>\"{}|^`\\\s]+")


def labels(store: ox.Store | str, iris: Iterable[str], lang: str) -> dict[str, str]:
    """IRI → label, for those of `iris` that have one; `store` is a store or an endpoint's URL."""
    wanted = sorted(set(iris))
    if not wanted:
        return {}
    values = " ".join(f"<{i}>" for i in wanted if _SAFE_IRI.fullmatch(i))
    query = (
        "SELECT ?s ?l WHERE { VALUES ?s { " + values + " } "
        f"{{ ?s <{RDFS}label> ?l }} UNION "
        f"{{ ?s <{SKOS}prefLabel> ?l }} }}"
    )
    found: dict[str, tuple[int, str]] = {}
    if isinstance(store, str):
        from fazhi_kg.query.remote import run_remote

        rows: Iterable[Any] = run_remote(store, query).rows
    else:
        result = store.query(query, use_default_graph_as_union=True)
        assert isinstance(result, ox.QuerySolutions)
        rows = result
    for row in rows:
        s, lit = row[0], row[1]
        rank = 0 if lit.language == lang else (1 if lit.language in (None, "") else 2)
        key = s.value
        if (
            key not in found
            or rank < found[key][0]
            or (rank == found[key][0] and lit.value < found[key][1])
        ):
            found[key] = (rank, lit.value)
    return {k: v for k, (_, v) in found.items()}
