"""Validate a corpus: each report graph on its own, in parallel, results cached by content hash.

Uses `fazhi_kg.validate.validate_graph` (the fast engine by default) per report graph, which costs
about the same CPU as one merged graph but far less memory, and parallelizes (MEASUREMENTS.md).
A result is cached under the hash of the graph's bytes, the shapes, the ontology and the code, so
validating an unchanged corpus again takes no SHACL work at all.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fazhi_kg.atomic import write_text
from fazhi_kg.errors import InputError, UsageError
from fazhi_kg.resources import ontology_dir, package_files

if TYPE_CHECKING:
    from fazhi_kg.corpus.generations import Generation
    from fazhi_kg.rdfio.load import GraphFile
    from fazhi_kg.validate import Report, Result

__all__ = ["CorpusValidation", "ReportCheck", "default_cache_dir", "validate_corpus"]


@dataclass(frozen=True)
class ReportCheck:
    """The validation outcome of one report graph."""

    name: str  # the report id (store) or the file's path (files)
    conforms: bool
    results: tuple[Result, ...]
    cached: bool
    graph_nt: bytes  # the SHACL validation report as N-Triples

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)


@dataclass(frozen=True)
class CorpusValidation:
    """Every report's outcome, in the order of the reports."""

    reports: tuple[ReportCheck, ...]
    seconds: float

    @property
    def conforms(self) -> bool:
        return all(r.conforms for r in self.reports)

    @property
    def cached(self) -> int:
        return sum(1 for r in self.reports if r.cached)

    def count(self, severity: str) -> int:
        return sum(r.count(severity) for r in self.reports)

    def merged(self) -> Report:
        """One `fazhi_kg.validate.Report` for all reports (renders like `fazhi validate`)."""
        from rdflib import Graph

        from fazhi_kg.validate import Report

        graph = Graph()
        for r in self.reports:
            if r.graph_nt:
                graph.parse(data=r.graph_nt, format="nt")
        results = tuple(x for r in self.reports for x in r.results)
        return Report(conforms=self.conforms, results=results, graph=graph)


def default_cache_dir() -> Path:
    """`$FAZHI_CACHE_DIR`, else `$XDG_CACHE_HOME/fazhi-kg`, else `~/.cache/fazhi-kg`."""
    if os.environ.get("FAZHI_CACHE_DIR"):
        return Path(os.environ["FAZHI_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "fazhi-kg"


def _rules_key(engine: str) -> bytes:
    """What besides the data decides the outcome: engine, shapes, ontology, validator code."""
    from fazhi_kg import __version__

    h = hashlib.sha256(f"{__version__}\n{engine}\n".encode())
    files = [ontology_dir() / name for name in ("shapes.ttl", "fazhi.ttl", "vocab.ttl")]
    # every source file of the package: the validators, how a store graph is read back, and
    # whatever they come to call, so that no edit leaves a stale result behind
    for f in [*files, *package_files()]:
        h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.digest()


@dataclass(frozen=True)
class _Item:
    name: str
    key: str
    path: Path | None = None  # a graph file, parsed by its extension
    store: Path | None = None  # or a report graph of a store
    source: tuple[Path, str] | None = None  # its graph file and SHA-256 as loaded, if recorded
    graph: GraphFile | None = None  # or a graph read already (standard input)


_STORES: dict[Path, Any] = {}


def _open(generation: Path) -> Any:
    """A worker's read-only handle on a store generation, opened once per process (the main
    process holds the generation, `fazhi_kg.corpus.generations`)."""
    import pyoxigraph as ox

    if generation not in _STORES:
        _STORES[generation] = ox.Store.read_only(str(generation))
    return _STORES[generation]


def _check(item: _Item, engine: str) -> dict[str, Any]:
    """Validate one graph; the outcome as JSON-ready data (what the cache holds)."""
    from fazhi_kg.corpus.store import recorded_ntriples
    from fazhi_kg.rdfio.load import read_graph
    from fazhi_kg.validate import validate_file, validate_ntriples

    if item.graph is not None or item.path is not None:
        rep = validate_file(item.graph or read_graph(item.path or ""), engine=engine)
    else:  # the store's N-Triples go to the engine as they are, not through rdflib
        assert item.store is not None
        data = recorded_ntriples(_open(item.store), item.name, item.source)
        rep = validate_ntriples(data, engine=engine)
    return {
        "conforms": rep.conforms,
        "results": [asdict(r) for r in rep.results],
        "graph": rep.graph.serialize(format="nt", encoding="utf-8").decode("utf-8"),
    }


def _check_safely(args: tuple[_Item, str]) -> tuple[_Item, dict[str, Any] | str]:
    from fazhi_kg.errors import FazhiError

    item, engine = args
    try:
        return item, _check(item, engine)
    except FazhiError as exc:
        return item, str(exc)


def _from_data(item: _Item, data: dict[str, Any], cached: bool) -> ReportCheck:
    from fazhi_kg.validate import Result

    return ReportCheck(
        name=item.name,
        conforms=bool(data["conforms"]),
        results=tuple(Result(**r) for r in data["results"]),
        cached=cached,
        graph_nt=str(data.get("graph", "")).encode("utf-8"),
    )


def _items_from_files(paths: Sequence[Path], rules: bytes) -> list[_Item]:
    from fazhi_kg.rdfio.load import STDIN, read_graph

    items = []
    for p in paths:
        graph_file = read_graph(p)
        data = graph_file.content()
        key = hashlib.sha256(rules + Path(p).suffix.lower().encode() + b"\0" + data).hexdigest()
        if str(p) == STDIN:  # read once, here: the worker gets the bytes
            items.append(_Item(name=graph_file.name, key=key, graph=graph_file))
        else:
            items.append(_Item(name=str(p), key=key, path=Path(p)))
    return items


def _items_from_store(
    generation: Generation, rules: bytes, patterns: Sequence[str] = ()
) -> list[_Item]:
    """One item per report graph of a store generation. A graph's cache key is the hash of the
    graph file it was loaded from, as the generation records it, so an unchanged corpus is not
    read at all; a store of the earlier layout, without a record, is hashed graph by graph."""
    import pyoxigraph as ox

    from fazhi_kg.corpus.store import chosen_report_ids, recorded_file
    from fazhi_kg.iris import graph_iri

    store = generation.store
    record = generation.record  # read from its file at each access: once here
    recorded = record.get("graphs", {})
    items = []
    for rid in chosen_report_ids(store, generation.store_dir, patterns):
        sha = recorded.get(rid)
        if isinstance(sha, str) and sha:
            key = hashlib.sha256(rules + f"graph\0{rid}\0{sha}".encode()).hexdigest()
        else:
            # Oxigraph's identifiers derive from the terms, so the same graph dumps the same bytes
            raw = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph_iri(rid)))
            key = hashlib.sha256(rules + b"store\0" + (raw or b"")).hexdigest()
        source = recorded_file(record, rid)
        items.append(_Item(name=rid, key=key, store=generation.path, source=source))
    return items


def validate_corpus(
    graphs: Sequence[str | Path] | None = None,
    *,
    store: str | Path | None = None,
    jobs: int | None = None,
    engine: str = "fast",
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
    progress: Callable[[int, int, ReportCheck], None] | None = None,
    reports: Sequence[str] = (),
) -> CorpusValidation:
    """Validate each report graph: the files `graphs`, or every report graph of the store (with
    `reports`, those whose id matches one of these ids or shell patterns).

    With a store, its current generation is read throughout (a build meanwhile changes nothing
    here), and the generation's record supplies each graph's cache key, so an unchanged corpus is
    not read at all.

    Graphs from a store are compared as N-Triples with the offsets typed as built, so a store
    validates like the files it was loaded from; a graph whose file is still the one it was
    loaded from is read from that file (`fazhi_kg.corpus.store.recorded_ntriples`).
    """
    from fazhi_kg.corpus.workers import pool, run_bounded
    from fazhi_kg.validate import check_engine

    check_engine(engine)
    if (graphs is None) == (store is None):
        raise UsageError("Give either graph files or --store to validate, not both.")
    from fazhi_kg.rdfio.select import only_with_store

    only_with_store(reports, store)
    started = time.perf_counter()
    rules = _rules_key(engine)
    ex = pool(jobs)  # before the store opens (see fazhi_kg.corpus.workers.pool)
    generation = None
    try:
        if store is not None:
            from fazhi_kg.corpus.generations import open_generation

            generation = open_generation(store)
            items = _items_from_store(generation, rules, reports)
        else:
            items = _items_from_files([Path(g) for g in graphs or ()], rules)
        cache = Path(cache_dir) if cache_dir is not None else default_cache_dir() / "validation"
        found: dict[str, ReportCheck] = {}
        todo: list[_Item] = []
        for item in items:
            hit = _read_cache(cache, item.key) if use_cache else None
            if hit is not None:
                found[item.key + item.name] = _from_data(item, hit, cached=True)
            else:
                todo.append(item)
        done = 0

        def tell(check: ReportCheck) -> None:
            nonlocal done
            done += 1
            if progress is not None:
                progress(done, len(items), check)

        for check in found.values():
            tell(check)
        with ex:
            for item, outcome in run_bounded(ex, _check_safely, [(i, engine) for i in todo]):
                if isinstance(outcome, str):
                    raise InputError(outcome)
                if use_cache:
                    _write_cache(cache, item.key, outcome)
                found[item.key + item.name] = _from_data(item, outcome, cached=False)
                tell(found[item.key + item.name])
    finally:
        ex.shutdown(cancel_futures=True)
        if generation is not None:
            _STORES.pop(generation.path, None)
            generation.close()
    return CorpusValidation(
        reports=tuple(found[i.key + i.name] for i in items),
        seconds=time.perf_counter() - started,
    )


def _cache_file(cache: Path, key: str) -> Path:
    return cache / key[:2] / f"{key}.json"


def _read_cache(cache: Path, key: str) -> dict[str, Any] | None:
    try:
        data = json.loads(_cache_file(cache, key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and "conforms" in data else None


def _write_cache(cache: Path, key: str, data: dict[str, Any]) -> None:
    with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
        write_text(_cache_file(cache, key), json.dumps(data, ensure_ascii=False, sort_keys=True))
