"""A page of a per-report or per-division answer, read part by part (stored queries of scope
report or division): a part is one report graph, or the report graphs of one division (the
`fz:jurisdiction` of their reports), in the order of the division's IRI, that is of its code.

The first SAMPLE parts (reports below), one after another, tell how common the query's rows are; a page goes on
one report at a time while it should fill within PAGE_PROBE reports. Past that, rows that come at
least DENSE_ROWS per report are read report by report on THREADS threads (Oxigraph releases the
GIL), rarer rows by the whole query at once, which is then cheaper. Measured at 1,000 reports
(bench/corpus.py): indicators, 59 rows a report, 6.8 s whole and 2.4 s on two threads; awards, 4 a
report, 0.9 s whole and 1.2 s on two. A sparse stored query (rows in few reports) reads only the
reports that its store's generation record says have rows (`fazhi_kg.corpus.rowindex`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pyoxigraph as ox

if TYPE_CHECKING:
    from concurrent.futures import Executor

from fazhi_kg.errors import QueryError
from fazhi_kg.iris import DCTERMS, FZ, RDFS, SKOS
from fazhi_kg.query.answer import Answer, answer_of, evaluate
from fazhi_kg.query.catalogue import Narrow

__all__ = [
    "by_key",
    "by_part",
    "division_parts",
    "division_reports",
    "narrowed",
    "precomputed",
    "remember_reports",
    "report_graphs",
    "select_reports",
    "text_key",
]

SAMPLE = 8
PAGE_PROBE = 128  # a query of one row per report fills a page of 100 within it
DENSE_ROWS = 5
THREADS = max(1, min(8, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 2))
_REPORTS = (
    f"SELECT ?g ?id WHERE {{ GRAPH ?g {{ ?r <{DCTERMS}identifier> ?id . ?r a <{FZ.Report}> }} }}"
)
_DIVISIONS = (
    f"SELECT ?g ?id ?j WHERE {{ GRAPH ?g {{ ?r <{DCTERMS}identifier> ?id . ?r a <{FZ.Report}> . "
    f"?r <{FZ.jurisdiction}> ?j }} }}"
)
Rows = list[tuple[object | None, ...]]
Part = Sequence[ox.NamedNode]


@dataclass(frozen=True)
class _Record:
    """What a corpus store's generation record tells pages about it (`remember_reports`)."""

    store: ox.Store
    reports: list[tuple[str, ox.NamedNode]]  # (report id, graph) in id order
    divisions: dict[str, str] | None  # report id → division code
    rows: dict[str, frozenset[str]]  # SHA-256 of a sparse query's text → the reports with rows
    values: Path | None = None  # the generation's folder, which holds its value index
    indexed: frozenset[str] = frozenset()  # the predicates its value index holds
    answers: dict[str, str] | None = None  # SHA-256 of a precomputed query's text → its name


_RECORDS: dict[int, _Record] = {}


def remember_reports(
    store: ox.Store,
    rids: Sequence[str],
    divisions: dict[str, str] | None = None,
    rows: dict[str, Sequence[str]] | None = None,
    values: tuple[Path, Sequence[str]] | None = None,
    answers: dict[str, str] | None = None,
) -> None:
    """Tell pages what a corpus store's generation record lists: its report ids
    (`report_graphs`), their division codes (`division_parts`), and for each sparse stored
    query (by the SHA-256 of its text) the reports that have rows (`by_part`), and where its
    value index is with the predicates it holds (`by_key`). A page then need not read every
    report graph to learn them: at 17,000 reports the ids alone took 0.6 s. `answers` gives
    the precomputed cross-report queries' names by the SHA-256 of their text (`precomputed`),
    whose rows are in the generation's folder (`values[0]`)."""
    from fazhi_kg.iris import graph_iri

    _RECORDS[id(store)] = _Record(
        store,
        [(rid, ox.NamedNode(graph_iri(rid))) for rid in sorted(rids)],
        None if divisions is None else dict(divisions),
        {sha: frozenset(found) for sha, found in (rows or {}).items()},
        None if values is None else values[0],
        frozenset(() if values is None else values[1]),
        None if answers is None else dict(answers),
    )


def _record(store: ox.Store) -> _Record | None:
    known = _RECORDS.get(id(store))
    return known if known is not None and known.store is store else None


def text_key(text: str) -> str:
    """The key of a query text in a store's record of sparse queries."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def report_graphs(store: ox.Store) -> list[tuple[str, ox.NamedNode]]:
    """Each report graph with its report's id, in the order of the ids: the order of `?report`
    in the stored queries."""
    known = _record(store)
    if known is not None:
        return list(known.reports)
    found = {
        (row[1].value, row[0].value)
        for row in cast(ox.QuerySolutions, store.query(_REPORTS))
        if isinstance(row[0], ox.NamedNode)
    }
    return [(rid, ox.NamedNode(graph)) for rid, graph in sorted(found)]


def select_reports(store: ox.Store, patterns: Sequence[str]) -> list[tuple[str, ox.NamedNode]]:
    """The report graphs whose id matches one of `patterns` (ids or shell patterns such as
    `sichuan-*-2023`), in id order; a pattern that matches nothing is an error."""
    from fazhi_kg.rdfio.select import choose

    graphs = report_graphs(store)
    keep = set(choose(patterns, [rid for rid, _ in graphs], "the graphs"))
    return [(rid, g) for rid, g in graphs if rid in keep]


_DIVISION_NODES = (
    f"SELECT DISTINCT ?j ?zh ?plain WHERE {{ "
    f"{{ ?j <{RDFS}label> ?zh }} UNION {{ ?j <{SKOS}notation> ?plain }} }}"
)
_OF_DIVISION = (
    f"SELECT ?g ?id ?j WHERE {{ GRAPH ?g {{ ?r <{FZ.jurisdiction}> ?j ; "
    f"<{DCTERMS}identifier> ?id ; a <{FZ.Report}> }} }}"
)


def division_reports(store: ox.Store, division: str) -> list[tuple[str, ox.NamedNode]]:
    """The report graphs whose report's division has the name or code `division`, in id order:
    the divisions by index, then each one's reports by index (one query joining both read
    every report first), so in the same time in any corpus."""
    subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
        ox.Variable("zh"): ox.Literal(division, language="zh"),
        ox.Variable("plain"): ox.Literal(division),
    }
    nodes = {
        row[0].value
        for row in cast(
            ox.QuerySolutions,
            store.query(_DIVISION_NODES, use_default_graph_as_union=True, substitutions=subs),
        )
        if isinstance(row[0], ox.NamedNode)
    }
    found = set()
    for node in sorted(nodes):
        rows = store.query(_OF_DIVISION, substitutions={ox.Variable("j"): ox.NamedNode(node)})
        for row in cast(ox.QuerySolutions, rows):
            if isinstance(row[0], ox.NamedNode):
                found.add((row[1].value, row[0].value))
    return [(rid, ox.NamedNode(graph)) for rid, graph in sorted(found)]


def narrowed(
    store: ox.Store,
    division_param: str | None,
    bindings: dict[str, Any],
    reports: Sequence[tuple[str, ox.NamedNode]] | None,
) -> Sequence[tuple[str, ox.NamedNode]] | None:
    """The report graphs a stored query reads: those chosen with --report, narrowed to the
    reports of the division its `division_param` names when it has one."""
    term = bindings.get(division_param) if division_param else None
    if term is None:
        return reports
    mine = division_reports(store, term.value)
    if reports is None:
        return mine
    chosen = {rid for rid, _ in reports}
    return [(rid, g) for rid, g in mine if rid in chosen]


def division_parts(
    store: ox.Store, reports: Sequence[tuple[str, ox.NamedNode]] | None = None
) -> list[list[ox.NamedNode]]:
    """The report graphs (of `reports`, else all) grouped by their report's division, in the
    order of the division IRIs (`id/division/<code>`: the order of the codes), each group in id
    order. Reports without a division are in no group."""
    chosen = None if reports is None else {g.value for _, g in reports}
    groups: dict[str, set[tuple[str, str]]] = {}
    known = _record(store)
    if known is not None and known.divisions is not None:
        from fazhi_kg.iris import division_iri, graph_iri

        for rid, code in known.divisions.items():
            graph = graph_iri(rid)
            if code and (chosen is None or graph in chosen):
                groups.setdefault(division_iri(code), set()).add((rid, graph))
        return [[ox.NamedNode(g) for _, g in sorted(groups[d])] for d in sorted(groups)]
    for row in cast(ox.QuerySolutions, store.query(_DIVISIONS)):
        graph, rid, division = row[0], row[1], row[2]
        if not (isinstance(graph, ox.NamedNode) and isinstance(division, ox.NamedNode)):
            continue
        if chosen is None or graph.value in chosen:
            groups.setdefault(division.value, set()).add((rid.value, graph.value))
    return [[ox.NamedNode(g) for _, g in sorted(groups[d])] for d in sorted(groups)]


def by_part(
    store: ox.Store,
    text: str,
    subs: dict[ox.Variable, Any],
    *,
    limit: int | None,
    reports: Sequence[tuple[str, ox.NamedNode]] | None,
    scope: str = "report",
) -> Answer:
    """The answer of a per-report or per-division query (see the module docstring)."""
    whole = reports is None  # the parts are every report (else the whole query reads more)
    if scope == "division":
        chosen: list[Part] = list(division_parts(store, reports))
    else:
        graphs = report_graphs(store) if reports is None else reports
        known = _record(store)
        having = None if known is None or subs else known.rows.get(text_key(text))
        if having is not None:  # a sparse query: the other reports have no rows
            graphs = [(rid, g) for rid, g in graphs if rid in having]
            whole = False
        chosen = [[g] for _, g in graphs]
    if not chosen:  # no parts: the query still names its columns
        return answer_of(evaluate(store, text, subs, None if whole else []), limit)

    def one(part: Part) -> tuple[tuple[str, ...], Rows]:
        result = evaluate(store, text, subs, part)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError(f"A query of scope {scope} must be a SELECT query.")
        return tuple(v.value for v in result.variables), [tuple(s) for s in result]

    names: tuple[str, ...] = ()
    rows: Rows = []
    done = 0
    pool = None
    try:
        while done < len(chosen) and _page_goes_on(done, len(rows), limit):
            if done < SAMPLE:  # one at a time: a page of common rows needs a report or two
                batch = [one(chosen[done])]
            else:  # THREADS at a time, in order
                pool = pool or _pool()
                batch = list(pool.map(one, chosen[done : done + THREADS]))
            names = batch[0][0]
            for _, found in batch:
                rows += found
                done += 1
            if limit is not None and len(rows) > limit:  # past the page: more follow, uncounted
                return Answer(kind="select", variables=names, rows=tuple(rows[:limit]), more=True)
        rest = chosen[done:]
        if rest and whole and len(rows) < DENSE_ROWS * done:
            return answer_of(evaluate(store, text, subs, None), limit)
        if rest:
            pool = pool or _pool()
            for _, found in pool.map(one, rest):
                rows += found
    finally:
        if pool is not None:
            pool.shutdown()
    extra = 0 if limit is None else max(0, len(rows) - limit)
    kept = rows if limit is None else rows[:limit]
    return Answer(kind="select", variables=names, rows=tuple(kept), truncated=extra)


def precomputed(
    store: ox.Store,
    text: str,
    subs: dict[ox.Variable, Any],
    limit: int | None,
) -> Answer | None:
    """A page of a cross-report query precomputed by its store's last build
    (`fazhi_kg.corpus.aggregates`), if it was, for this text and these parameters."""
    known = _record(store)
    if known is None or not known.answers or known.values is None:
        return None
    name = known.answers.get(text_key(text))
    if name is None:
        return None
    from fazhi_kg.corpus.aggregates import page

    found = page(known.values, name, subs, limit)
    if found is None:
        return None
    names, rows, more = found
    return Answer(kind="select", variables=names, rows=tuple(rows), more=more)


PAGE_KEYS = 256  # keys a page of a narrowed query reads one by one; the rest at once


def by_key(
    store: ox.Store,
    text: str,
    subs: dict[ox.Variable, Any],
    narrow: Narrow,
    *,
    limit: int | None,
    reports: Sequence[tuple[str, ox.NamedNode]] | None,
) -> Answer | None:
    """The answer of a query narrowed by its store's value index (`Narrow`): the query given the
    literals of the narrowing predicate that contain the word, or their subjects, as a trailing
    VALUES block; when its rows come ordered by them first (`paged`), a page reads them one at a
    time in their order until it is full. None when the store has no index of that
    predicate."""
    known = _record(store)
    word = subs.get(ox.Variable(narrow.parameter))
    if known is None or known.values is None or narrow.predicate not in known.indexed:
        return None
    if not isinstance(word, ox.Literal):
        return None
    from fazhi_kg.corpus.values import containing

    literals = containing(known.values, narrow.predicate, word.value)
    keys: list[ox.NamedNode | ox.Literal]
    if narrow.subjects:
        # by a query, which decodes the subjects alone: 9.5 µs a subject at 17,000 reports,
        # against 16 µs for whole quads (sorting in the query, 110 µs)
        listed = store.query(
            f"SELECT DISTINCT ?s WHERE {{ VALUES ?v {{ {' '.join(map(str, literals))} }} "
            f"?s <{narrow.predicate}> ?v }}",
            use_default_graph_as_union=True,
        )
        subjects = [row[0] for row in cast(ox.QuerySolutions, listed)]
        if any(not isinstance(s, ox.NamedNode) for s in subjects):
            return None  # a blank node cannot be given in VALUES: the whole query
        keys = sorted((cast(ox.NamedNode, s) for s in subjects), key=lambda s: s.value)
    else:
        keys = list(literals)
    graphs = None if reports is None else [g for _, g in reports]
    # in the order of SPARQL's ORDER BY: IRIs by their text, simple literals by their text
    ordered = narrow.paged and all(
        isinstance(k, ox.NamedNode) or k.datatype.value.endswith("#string") for k in keys
    )
    names: tuple[str, ...] = ()
    rows: Rows = []
    done = 0
    # a page: one key at a time, bound like a parameter (Oxigraph then looks it up inside
    # subqueries too, which a VALUES block does not reach: 1 ms for an entity, against 2.9 s for
    # a VALUES block of 16 at 1,000 reports); the rest, or every row, by one VALUES block
    while ordered and limit is not None and done < min(len(keys), PAGE_KEYS):
        result = evaluate(store, text, {**subs, ox.Variable(narrow.variable): keys[done]}, graphs)
        names, found = _solutions(result)
        rows += found
        done += 1
        if len(rows) > limit and done < len(keys):  # past the page: more follow, uncounted
            return Answer(kind="select", variables=names, rows=tuple(rows[:limit]), more=True)
    if done < len(keys) or not keys:
        values = f"\nVALUES ?{narrow.variable} {{ {' '.join(map(str, keys[done:]))} }}\n"
        names, found = _solutions(evaluate(store, text + values, subs, graphs))
        rows += found
    extra = 0 if limit is None else max(0, len(rows) - limit)
    kept = rows if limit is None else rows[:limit]
    return Answer(kind="select", variables=names, rows=tuple(kept), truncated=extra)


def _solutions(result: Any) -> tuple[tuple[str, ...], Rows]:
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("A narrowed query must be a SELECT query.")
    return tuple(v.value for v in result.variables), [tuple(s) for s in result]


def _pool() -> Executor:
    from concurrent.futures import ThreadPoolExecutor  # 8 ms of imports a page never needs

    return ThreadPoolExecutor(THREADS)


def _page_goes_on(done: int, found: int, limit: int | None) -> bool:
    """Whether to read one more report on its own: within the first SAMPLE always, then while the
    page should fill within PAGE_PROBE reports at the rate seen so far."""
    if done < SAMPLE:
        return True
    if limit is None or done >= PAGE_PROBE:
        return False
    needed = limit + 1 - found
    return needed * done <= (PAGE_PROBE - done) * found  # needed / (found / done) more reports
