"""The query path: SPARQL over an Oxigraph store of report graphs and the ontology.

This module and everything it imports stay free of rdflib, pyshacl, networkx and matplotlib, so a
cold `fazhi query` starts fast. Queries see the union of all graphs as their default graph.
"""

from __future__ import annotations

import os
import re
import select
import signal
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox

from fazhi_kg.errors import InputError, QueryError, QueryTimeout, UsageError
from fazhi_kg.iris import ONTOLOGY_GRAPH
from fazhi_kg.query.catalogue import Term
from fazhi_kg.resources import default_graph_files, ontology_dir


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


def open_store(
    graph_files: Sequence[Path] | None = None,
    *,
    ontology: bool = True,
    store_dir: Path | None = None,
) -> ox.Store:
    """An in-memory store with each report file in its own named graph and the ontology graph;
    with `store_dir`, the on-disk corpus store that `build_corpus` keeps, opened read-only."""
    if store_dir is not None:
        if graph_files:
            raise UsageError("Give either --graph files or --store, not both.")
        return open_store_dir(Path(store_dir))
    from fazhi_kg.rdfio.load import read_graphs

    store = ox.Store()
    for graph_file in read_graphs(graph_files or default_graph_files()):
        graph_file.load_into(store)
    if ontology:
        for name in ("fazhi.ttl", "vocab.ttl"):
            store.load(
                path=str(ontology_dir() / name),
                format=ox.RdfFormat.TURTLE,
                to_graph=ox.NamedNode(ONTOLOGY_GRAPH),
            )
    return store


# --- on-disk corpus stores (fazhi_kg.corpus.batch) ---------------------------------------------------


def open_store_dir(path: Path) -> ox.Store:
    """A corpus store opened read-only: no re-parsing, opens in milliseconds. Reading while
    another process writes the store is undefined behaviour in Oxigraph; build, then query."""
    if not (path / "CURRENT").is_file():
        raise InputError(
            f"{path} is not a fazhi store; build one with `fazhi build REPORTS --store {path}`."
        )
    try:
        return ox.Store.read_only(str(path))
    except OSError as exc:
        raise InputError(f"Cannot open the store {path}: {exc}.") from exc


_STRIP = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*',
)
_REFUSED = re.compile(
    r"(?<![?$:\w])(SERVICE|FROM|LOAD|INSERT|DELETE|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)(?![:\w])",
    re.IGNORECASE,
)
MAX_NESTING = 24
# Oxigraph's parser and evaluator recurse once per operator or clause of a chain, and a few
# thousand (`!!!…`, `a+b+…`, `{…} MINUS {…} …`, 2,500 BINDs) overflow the stack and kill the
# process; the longest stored query has about 130.
MAX_OPERATORS = 1000
_OPERATOR = re.compile(
    r"\|\||&&|[!|^*/+=<>;\[{(]|(?<![0-9])\.(?![0-9])|(?<![\w-])-(?![\w-])"
    r"|\b(?:UNION|OPTIONAL|MINUS|FILTER|BIND|GRAPH|SELECT)\b",
    re.IGNORECASE,
)
_VALUES_BLOCK = re.compile(r"\bVALUES\b[^{}]{0,2000}\{[^{}]*\}", re.IGNORECASE)


def check_query(text: str) -> None:
    """Refuse what a read-only local query must not do, before any engine sees it: reading
    outside the given graphs, updates, and nesting or length that would crash the engine."""
    bare = _STRIP.sub(lambda m: " " * len(m.group(0)), text)
    hit = _REFUSED.search(bare)
    if hit:
        word = hit.group(1).upper()
        if word in ("SERVICE", "FROM", "LOAD"):
            raise QueryError(
                f"The query uses {word}, which would read outside the given graphs; "
                "pass the data with --graph instead."
            )
        raise QueryError(
            f"The query uses {word}: updates are refused here, the graphs are read-only."
        )
    depth = deepest = 0
    for ch in bare:
        if ch in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "})]":
            depth -= 1
    if deepest > MAX_NESTING:
        raise QueryError(
            f"The query nests {deepest} levels of braces, brackets and parentheses; at most "
            f"{MAX_NESTING} are accepted, simplify it."
        )
    # a VALUES table may be long: its rows are data, not operators
    operators = len(_OPERATOR.findall(_VALUES_BLOCK.sub(" ", bare)))
    if operators > MAX_OPERATORS:
        raise QueryError(
            f"The query has {operators:,} operators, clauses and brackets; at most "
            f"{MAX_OPERATORS:,} are accepted (longer chains crash the engine), split it."
        )


def to_ox(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple:
    if term.kind == "iri":
        return ox.NamedNode(term.value)
    if term.datatype:
        return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype))
    return ox.Literal(term.value)


# A report-scoped answer is read report by report. The first SAMPLE reports, one after another,
# tell how common its rows are; a page goes on one report at a time while it should fill within
# PAGE_PROBE reports. Past that, rows that come at least DENSE_ROWS per report are read report by
# report on THREADS threads (Oxigraph releases the GIL), rarer rows by the whole query at once,
# which is then cheaper. Measured at 1,000 reports (bench/corpus.py): indicators, 59 rows a
# report, 6.8 s whole and 2.4 s on two threads; awards, 4 a report, 0.9 s whole and 1.2 s on two.
SAMPLE = 8
PAGE_PROBE = 64
DENSE_ROWS = 5
THREADS = max(1, min(8, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 2))
_REPORTS = (
    "PREFIX fz: <https://w3id.org/fazhi/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> "
    "SELECT ?g ?id WHERE { GRAPH ?g { ?r dcterms:identifier ?id . ?r a fz:Report } }"
)


def report_graphs(store: ox.Store) -> list[tuple[str, ox.NamedNode]]:
    """Each report graph with its report's id, in the order of the ids: the order of `?report`
    in the stored queries."""
    found = {
        (row[1].value, row[0].value)
        for row in cast(ox.QuerySolutions, store.query(_REPORTS))
        if isinstance(row[0], ox.NamedNode)
    }
    return [(rid, ox.NamedNode(graph)) for rid, graph in sorted(found)]


def select_reports(store: ox.Store, patterns: Sequence[str]) -> list[tuple[str, ox.NamedNode]]:
    """The report graphs whose id matches one of `patterns` (ids or shell patterns such as
    `sichuan-*-2023`), in id order; a pattern that matches nothing is an error."""
    from fazhi_kg.rdf.ids import choose

    graphs = report_graphs(store)
    keep = set(choose(patterns, [rid for rid, _ in graphs], "the graphs"))
    return [(rid, g) for rid, g in graphs if rid in keep]


def _evaluate(
    store: ox.Store,
    text: str,
    subs: dict[ox.Variable, Any],
    graphs: Sequence[ox.NamedNode] | None,
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """One evaluation over the union of all graphs, or of `graphs` and the ontology graph."""
    try:
        if graphs is None:
            return store.query(text, use_default_graph_as_union=True, substitutions=subs or None)
        dataset: list[ox.NamedNode | ox.BlankNode] = [*graphs, ox.NamedNode(ONTOLOGY_GRAPH)]
        return store.query(
            text, default_graph=list(dataset), named_graphs=dataset, substitutions=subs or None
        )
    except SyntaxError as exc:
        raise QueryError(f"The query is not valid SPARQL: {exc}.") from exc
    except RuntimeError as exc:
        raise QueryError(f"The query cannot run: {exc}.") from exc


def _answer(
    result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, limit: int | None
) -> Answer:
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


def run(
    store: ox.Store,
    text: str,
    *,
    bindings: dict[str, Term] | None = None,
    limit: int | None = None,
    reports: Sequence[tuple[str, ox.NamedNode]] | None = None,
    per_report: bool = False,
) -> Answer:
    """Run one query over the union of the store's graphs, or of the `reports` chosen with
    `select_reports` and the ontology graph.

    With `per_report` (a stored query of scope report: its rows come ordered by report), the
    report graphs are read one at a time, in id order, until `limit` rows are found: the first
    page of a corpus answer costs a few reports, not the corpus. The rest of the answer is read
    on `THREADS` threads when its rows are common, else by the whole query (see `SAMPLE`). Every
    way gives the whole query's rows (tests/test_pages.py)."""
    check_query(text)
    subs = {ox.Variable(k): to_ox(v) for k, v in (bindings or {}).items()}
    if not per_report:
        graphs = None if reports is None else [g for _, g in reports]
        return _answer(_evaluate(store, text, subs, graphs), limit)
    chosen = [g for _, g in (report_graphs(store) if reports is None else reports)]
    if not chosen:  # no report graphs: the query still names its columns
        return _answer(_evaluate(store, text, subs, [] if reports is not None else None), limit)

    def one(graph: ox.NamedNode) -> tuple[tuple[str, ...], list[tuple[object | None, ...]]]:
        result = _evaluate(store, text, subs, [graph])
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("A query of scope report must be a SELECT query.")
        return tuple(v.value for v in result.variables), [tuple(s) for s in result]

    names: tuple[str, ...] = ()
    rows: list[tuple[object | None, ...]] = []
    done = 0
    while done < len(chosen):
        if done >= SAMPLE:
            needed = None if limit is None else limit + 1 - len(rows)
            # reports still needed at this rate: needed / (rows / done)
            if (
                needed is None
                or done >= PAGE_PROBE
                or needed * done > (PAGE_PROBE - done) * len(rows)
            ):
                break  # no page, or one that would not fill within PAGE_PROBE reports
        names, found = one(chosen[done])
        rows += found
        done += 1
        if limit is not None and len(rows) > limit:  # past the page: more follow, uncounted
            return Answer(kind="select", variables=names, rows=tuple(rows[:limit]), more=True)
    rest = chosen[done:]
    if rest and reports is None and len(rows) < DENSE_ROWS * done:
        return _answer(_evaluate(store, text, subs, None), limit)
    if rest:
        from concurrent.futures import ThreadPoolExecutor  # 8 ms of imports a page never needs

        with ThreadPoolExecutor(THREADS) as pool:
            for _, found in pool.map(one, rest):
                rows += found
    extra = 0 if limit is None else max(0, len(rows) - limit)
    kept = rows if limit is None else rows[:limit]
    return Answer(kind="select", variables=names, rows=tuple(kept), truncated=extra)


def in_child(work: Callable[[], bytes], timeout: float | None) -> bytes:
    """Run `work` in a forked process and return its bytes; past `timeout` seconds the process is
    killed and `QueryTimeout` raised (a running query cannot be stopped from a thread)."""
    if timeout is None or not hasattr(os, "fork"):
        return work()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        code = 0
        try:
            payload = b"ok\n" + work()
        except BaseException as exc:  # the parent re-raises it as a one-sentence error
            code = 1
            kind = "timeout" if isinstance(exc, QueryTimeout) else type(exc).__name__
            payload = f"error\n{kind}\n{exc}".encode()
        with os.fdopen(write_fd, "wb") as out:
            out.write(payload)
        os._exit(code)
    os.close(write_fd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    with os.fdopen(read_fd, "rb", buffering=0) as src:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                raise QueryTimeout(
                    f"The query ran longer than {timeout:g} s and was stopped; narrow it or raise --timeout."
                )
            ready, _, _ = select.select([src], [], [], left)
            if ready:
                chunk = src.read(1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
    _, wait_status = os.waitpid(pid, 0)
    data = b"".join(chunks)
    status, _, rest = data.partition(b"\n")
    if os.WIFSIGNALED(wait_status):  # killed before it could report: a crash or the OOM killer
        number = os.WTERMSIG(wait_status)
        try:
            name = f" {signal.Signals(number).name}"
        except ValueError:
            name = ""
        raise QueryError(
            f"The query engine crashed (signal {number}{name}) and the query was stopped; "
            "simplify the query or narrow it to fewer graphs, and report it if it persists."
        )
    if status == b"ok":
        return rest
    if status != b"error":  # exited without a word, e.g. os._exit in a library
        raise QueryError(
            f"The query engine stopped without an answer (exit status "
            f"{os.waitstatus_to_exitcode(wait_status)}); run the query again and report it if "
            "it persists."
        )
    kind, _, message = rest.decode("utf-8", "replace").partition("\n")
    if kind in ("QueryError", "UsageError", "InputError"):
        raise QueryError(message)
    raise QueryError(f"The query failed: {message or kind}.")


def labels(store: ox.Store, iris: Iterable[str], lang: str) -> dict[str, str]:
    """Human labels (rdfs:label or skos:prefLabel, in `lang` where there is one) for IRIs."""
    wanted = sorted(set(iris))
    if not wanted:
        return {}
    values = " ".join(f"<{i}>" for i in wanted if re.fullmatch(r"[^<>\"{}|^`\\\s]+", i))
    query = (
        "SELECT ?s ?l WHERE { VALUES ?s { " + values + " } "
        "{ ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } UNION "
        "{ ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } }"
    )
    found: dict[str, tuple[int, str]] = {}
    result = store.query(query, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    for row in result:
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
