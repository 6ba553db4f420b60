"""Running a query on an Oxigraph store: the query checked (`fazhi_kg.query.guard`), parameters
bound as RDF terms (never spliced into the text), the answer cut to a page, read report by report
for per-report queries (`fazhi_kg.query.pages`).

This module and everything it imports stay free of rdflib, pyshacl, networkx and matplotlib, so a
cold `fazhi query` starts fast. Queries see the union of all graphs as their default graph, or
the chosen report graphs and the ontology graph.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox

from fazhi_kg.query.answer import Answer, answer_of, evaluate
from fazhi_kg.query.catalogue import Narrow, Term
from fazhi_kg.query.guard import check_query
from fazhi_kg.query.pages import by_key, by_part, precomputed

__all__ = ["run", "to_ox"]


def to_ox(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple:
    """A parameter's value as the Oxigraph term it is bound to."""
    if term.kind == "iri":
        return ox.NamedNode(term.value)
    if term.datatype:
        return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype))
    return ox.Literal(term.value)


def run(
    store: ox.Store,
    text: str,
    *,
    bindings: dict[str, Term] | None = None,
    limit: int | None = None,
    reports: Sequence[tuple[str, ox.NamedNode]] | None = None,
    scope: str = "corpus",
    narrow: Narrow | None = None,
) -> Answer:
    """Run one query over the union of the store's graphs, or of the `reports` chosen with
    `fazhi_kg.query.pages.select_reports` and the ontology graph.

    With `scope` report (a stored query whose rows come ordered by report), the report graphs
    are read one at a time, in id order, until `limit` rows are found: the first page of a
    corpus answer costs a few reports, not the corpus. With `scope` division
    (rows ordered by division, each from that division's reports), the reports of one division
    at a time (`fazhi_kg.query.pages`). A query that a word narrows (`narrow`), on a corpus store
    with a value index, is given the values that contain the word (`pages.by_key`). Every way
    gives the whole query's rows (tests/test_pages.py, tests/test_values.py)."""
    check_query(text)
    subs = {ox.Variable(k): to_ox(v) for k, v in (bindings or {}).items()}
    if scope in ("report", "division"):
        return by_part(store, text, subs, limit=limit, reports=reports, scope=scope)
    if reports is None:
        ready = precomputed(store, text, subs, limit)
        if ready is not None:
            return ready
    if narrow is not None:
        keyed = by_key(store, text, subs, narrow, limit=limit, reports=reports)
        if keyed is not None:
            return keyed
    graphs = None if reports is None else [g for _, g in reports]
    return answer_of(evaluate(store, text, subs, graphs), limit)
