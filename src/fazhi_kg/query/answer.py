"""A query's `Answer` and one evaluation of a query on an Oxigraph store, over the union of its
graphs or over some report graphs and the ontology graph."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from fazhi_kg.errors import QueryError
from fazhi_kg.iris import DIVISIONS_GRAPH, ONTOLOGY_GRAPH
from fazhi_kg.query.syntax import parse_error

__all__ = ["Answer", "Result", "answer_of", "evaluate"]

Result = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


@dataclass(frozen=True)
class Answer:
    """A query's answer: variables and rows (SELECT), a boolean (ASK) or triples (CONSTRUCT)."""

    kind: str  # select | ask | graph
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[object | None, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[object, ...] = ()
    truncated: int = 0  # rows or triples left out, counted
    more: bool = False  # rows left out, not counted (a page read report by report)


def evaluate(
    store: ox.Store,
    text: str,
    subs: dict[ox.Variable, Any],
    graphs: Sequence[ox.NamedNode] | None,
) -> Result:
    """One evaluation over the union of all graphs, or of `graphs` and the reference graphs
    (ontology, divisions) as the default graph, with `graphs` and the ontology graph (and the
    divisions graph when the query names it) as its named graphs."""
    try:
        if graphs is None:
            return store.query(text, use_default_graph_as_union=True, substitutions=subs or None)
        named: list[ox.NamedNode | ox.BlankNode] = [*graphs, ox.NamedNode(ONTOLOGY_GRAPH)]
        divisions = ox.NamedNode(DIVISIONS_GRAPH)
        # `GRAPH ?g` over the divisions graph, which no report graph's pattern matches, would
        # read its 20,000 triples for every report a page reads: it is a named graph only for a
        # query that names it
        default: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [*named, divisions]
        if DIVISIONS_GRAPH in text:
            named.append(divisions)
        return store.query(
            text, default_graph=default, named_graphs=named, substitutions=subs or None
        )
    except SyntaxError as exc:
        raise parse_error(text, str(exc)) from exc
    except RuntimeError as exc:
        raise QueryError(f"The query cannot run: {exc}.") from exc


def answer_of(result: Result, limit: int | None) -> Answer:
    """The whole result as an `Answer` of at most `limit` rows or triples, the rest counted."""
    if isinstance(result, ox.QueryBoolean):
        return Answer(kind="ask", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        names = tuple(v.value for v in result.variables)
        rows: list[tuple[object | None, ...]] = []
        extra = 0
        for solution in result:
            if limit is not None and len(rows) >= limit:
                extra += 1
                continue
            rows.append(tuple(solution))  # the values in variable order, None when unbound
        return Answer(kind="select", variables=names, rows=tuple(rows), truncated=extra)
    triples = list(result)
    extra = 0
    if limit is not None and len(triples) > limit:
        extra = len(triples) - limit
        triples = triples[:limit]
    return Answer(kind="graph", triples=tuple(triples), truncated=extra)
