"""Filling the next generation of a corpus store while the reports build: rebuilt graphs are
bulk-loaded as they arrive, unchanged ones stay from the current generation, and the generation
becomes current only when it holds exactly the corpus (`fazhi_kg.corpus.generations`).

Each report graph is known by the SHA-256 of its graph file, checked against the file itself, so
a graph is kept from the current generation only when it is the very graph of the file.
"""

from __future__ import annotations

import contextlib
import io
import os
import queue
import threading
import time
from pathlib import Path
from typing import IO, Any, cast

from fazhi_kg.corpus.aggregates import answer_keys, precompute
from fazhi_kg.corpus.generations import NewGeneration
from fazhi_kg.corpus.rowindex import index_rows
from fazhi_kg.corpus.store import divisions_quads, ontology_key, ontology_quads
from fazhi_kg.corpus.values import index_values, indexed_predicates
from fazhi_kg.iris import DIVISIONS_GRAPH, ONTOLOGY_GRAPH, graph_iri

__all__ = ["BATCH_QUADS", "OPTIMIZE_SHARE", "RESTART_SHARE", "StoreLoad"]

BATCH_QUADS: int | None = None  # quads per bulk load; None: one load for the whole build
OPTIMIZE_SHARE = 0.1  # compact once the graphs loaded and dropped since reach this share
RESTART_SHARE = 0.5  # a build that drops more of the graphs starts from an empty store
RECORD_FORMAT = 1


class StoreLoad:
    """Makes the next generation of a store hold the corpus: drops graphs that changed or left,
    loads rebuilt ones, loads the rest from their graph files, reloads the ontology graph when it
    changed, optimizes, and commits; makes no generation when nothing changed.

    Rebuilt graphs arrive as N-Quads files (`add`) while the workers go on building. A loader
    thread bulk-loads them as they come, from a stream that waits for the next file: Oxigraph's
    bulk loader releases the GIL, so loading overlaps building. The whole build is one load.
    Oxigraph writes each million quads to sorted files on disk and hands them all to RocksDB at
    the end, which merges them once. Loads of 500,000 quads each (the earlier way) made RocksDB
    merge everything it held after every load: at 4,000 reports the store's merging took more
    CPU time than the extraction, and the cost per report grew with the corpus. The loader
    thread keeps to half the cores (`_loader_cores`) while the workers build: Oxigraph encodes
    one batch per core it may use when a load starts, so one core keeps its memory near 1.1 GB,
    and the workers build on the other. Once they are done, the loader may use every core: it
    still encodes one batch at a time, while it parses the next (bench/corpus.py,
    docs/scaling.md).

    The store is compacted (`optimize`) when it is made and when at least `OPTIMIZE_SHARE` of
    its report graphs were loaded or dropped since it was last compacted, so a rebuild after changing one
    report costs about one report; RocksDB merges small changes on its own."""

    def __init__(self, new: NewGeneration) -> None:
        import pyoxigraph as ox

        self.ox = ox
        self.new = new
        base = new.base
        self.fresh = not base  # no current generation to start from: always commit one
        self.graphs: dict[str, str] = dict(base.get("graphs", {}))  # rid → sha256, as it will be
        self.ontology: str = str(base.get("ontology", ""))
        self.streamed: dict[str, str] = {}  # rid → sha256 of the graphs handed to the loader
        self.batch_quads = 0
        self.dropped: set[str] = set()
        self.changed = False
        self.touched = int(base.get("touched", 0))  # graph loads and drops since the last optimize
        self.loaded: set[str] = set()  # graphs loaded or dropped by this build
        self.loads = 0  # bulk loads made: one per build unless BATCH_QUADS cuts them
        self.seconds = 0.0  # time `finish` took: the load's tail after the last build, optimizing
        self.phases: dict[str, float] = {}  # that time by phase (bench/corpus.py prints it)
        self.lap = 0.0
        self.stream = _Stream()
        self.error: BaseException | None = None
        self.loader = threading.Thread(target=self._load, name="fazhi-store-loader")
        self.started = False

    def begin(self, keep: dict[str, str]) -> None:
        """Drop every report graph of the current generation but those `keep` names (rid →
        sha256) with the same hash. When that is more than `RESTART_SHARE` of them (a new
        version of fazhi rebuilds every report), start from an empty store instead: removing
        graph after graph costs more than loading the rest from their files (at 17,000 reports
        the removals alone ran over ten minutes)."""
        drop = [rid for rid in sorted(self.graphs) if keep.get(rid) != self.graphs[rid]]
        if self.graphs and len(drop) > RESTART_SHARE * len(self.graphs):
            self.new.start_empty()
            self.loaded.update(self.graphs)
            self.graphs, self.ontology = {}, ""  # the ontology and divisions graphs too
            self.fresh = self.changed = True
            self.touched = 0
            return
        for rid in drop:
            self.new.store.remove_graph(self.ox.NamedNode(graph_iri(rid)))
            del self.graphs[rid]
            self.changed = True
            self.touched += 1
            self.loaded.add(rid)

    def _load(self) -> None:
        try:
            _loader_cores()
            while not self.stream.finished:  # no local name for the store: a traceback kept
                # in `self.error` must not hold it open after the generation is abandoned
                # lenient: the N-Quads are our own, written by `fazhi_kg.rdf.ntriples`
                self.new.store.bulk_load(
                    cast(IO[bytes], self.stream), format=self.ox.RdfFormat.N_QUADS, lenient=True
                )
                self.loads += 1
                self.stream.next_batch()
        except BaseException as exc:  # handed to the main thread by `add` and `finish`
            self.error = exc
            self.stream.abort()

    def add(self, rid: str, sha: str, nquads: Path, quads: int) -> None:
        """Hand a rebuilt report graph, an N-Quads file of `quads` lines, to the loader."""
        if self.error is not None:
            raise self.error
        if not self.started:
            self.new.store  # noqa: B018  # made here, in the main thread, before the loader uses it
            self.loader.start()
            self.started = True
        self.streamed[rid] = sha
        self.dropped.discard(rid)
        self.stream.put(nquads)
        self.batch_quads += quads
        if BATCH_QUADS is not None and self.batch_quads >= BATCH_QUADS:
            self.stream.put(_BATCH_END)
            self.batch_quads = 0

    def drop(self, rid: str) -> None:
        """Forget a report graph, whether handed to the loader or held before."""
        self.streamed.pop(rid, None)
        self.dropped.add(rid)

    def _end_load(self) -> None:
        self.stream.put(None)
        _all_cores(self.loader.native_id)  # the workers are done: the rest of the load may use them
        if self.loader.is_alive():
            self.loader.join()
        if self.error is not None:
            raise self.error
        for rid in sorted(self.dropped):  # loaded already, or held from the current generation
            self.new.store.remove_graph(self.ox.NamedNode(graph_iri(rid)))
            self.graphs.pop(rid, None)
        self.graphs.update(self.streamed)
        self.loaded.update(self.streamed, self.dropped)
        self.touched += len(self.streamed) + len(self.dropped)
        self.changed = self.changed or bool(self.streamed) or bool(self.dropped)
        self.streamed, self.dropped = {}, set()

    def finish(
        self,
        wanted: dict[str, tuple[str, Path]],
        divisions: dict[str, str] | None = None,
        summaries: dict[str, tuple[str, dict[str, Any]]] | None = None,
    ) -> bool:
        """Make the new generation hold exactly `wanted` (rid → sha256, graph file) and the
        ontology, and make it current; whether a new generation was made. `divisions` (rid →
        division code) goes into its record, for pages read division by division; from
        `summaries` (rid → division code, summary) it precomputes the answers of the
        cross-report queries that cannot be read by parts (`fazhi_kg.corpus.aggregates`)."""
        start = self.lap = time.perf_counter()
        self._end_load()
        self._phase("load tail")
        self._hold_only(wanted)
        self._phase("graph files")
        # the ontology and divisions graphs, loaded anew by this build
        reference = ontology_key() != self.ontology or self.fresh
        if reference and not self.fresh:
            self._reference()
        folder = _graph_folder(wanted)
        stale = self._stale(summaries is not None) or self.new.base.get("graph_folder") != folder
        made = self.changed or self.fresh or reference or stale
        if made:
            if self.fresh or self.touched >= OPTIMIZE_SHARE * max(1, len(self.graphs)):
                self.new.store.optimize()
                self.touched = 0
            self._phase("optimize")
            if reference and self.fresh:  # after optimizing: see `_reference`
                self._reference()
            self._phase("reference graphs")
            record = {"format": RECORD_FORMAT, "graphs": self.graphs, "ontology": self.ontology}
            # the reports with rows, per sparse stored query (after optimizing: faster)
            # the ontology and divisions graphs are read by every report's rows: when they were
            # loaded anew, every report's rows may have changed
            base_rows = None if reference else self.new.base.get("rows")
            record["rows"] = index_rows(self.new.store, self.graphs, self.loaded, base_rows)
            self._phase("row index")
            held = self.new.base_generation
            record["values"] = index_values(
                self.new.partial,
                self.new.store,
                self.graphs,
                self.loaded,
                base=None if reference or held is None else (held.store, held.path, held.record),
            )
            self._phase("value index")
            if summaries is not None and set(summaries) == set(self.graphs):
                record["answers"] = precompute(self.new.partial, self.new.store, summaries)
            self._phase("precomputed answers")
            if divisions is not None and set(divisions) == set(self.graphs):
                record["divisions"] = divisions
            if folder is not None:  # where validation and push may read each graph's file
                record["graph_folder"] = folder
            self.new.commit({**record, "touched": self.touched})
            self._phase("commit")
        self.seconds += time.perf_counter() - start
        return made

    def _reference(self) -> None:
        """Load the ontology and divisions graphs anew. Into a new store, after it is optimized:
        inserted into a store just bulk-loaded, each quad was looked up in each of its unmerged
        files (165 s at 17,000 reports, against 0.3 s at 1,000)."""
        ox = self.ox
        if not self.fresh:  # a new store holds none yet
            self.new.store.remove_graph(ox.NamedNode(ONTOLOGY_GRAPH))
            self.new.store.remove_graph(ox.NamedNode(DIVISIONS_GRAPH))
        self.new.store.extend(ontology_quads())
        self.new.store.extend(divisions_quads())
        self.ontology = ontology_key()
        self.changed = True

    def _phase(self, name: str) -> None:
        """Add the time since the last phase ended to `name`'s in `phases`."""
        now = time.perf_counter()
        self.phases[name] = self.phases.get(name, 0.0) + now - self.lap
        self.lap = now

    def _hold_only(self, wanted: dict[str, tuple[str, Path]]) -> None:
        """Drop the report graphs that are not `wanted`, and load those wanted that the store
        does not hold as they are from their graph files."""
        ox = self.ox
        for rid in sorted(set(self.graphs) - set(wanted)):
            self.new.store.remove_graph(ox.NamedNode(graph_iri(rid)))
            del self.graphs[rid]
            self.changed = True
            self.touched += 1
            self.loaded.add(rid)
        missing = [r for r, (sha, _) in sorted(wanted.items()) if self.graphs.get(r) != sha]
        if missing:  # in the corpus, not in the store: loaded from their graph files
            store = self.new.store
            for r in missing:
                store.remove_graph(ox.NamedNode(graph_iri(r)))
            store.bulk_extend(
                ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph_iri(r)))
                for r in missing
                for t in ox.parse(path=str(wanted[r][1]), format=ox.RdfFormat.TURTLE)
            )
            self.graphs.update({r: wanted[r][0] for r in missing})
            self.loaded.update(missing)
            self.changed = True
            self.touched += len(missing)

    def _stale(self, summarized: bool) -> bool:
        """Whether the current generation was built before its indexes, or for other stored
        queries: then a build makes a new generation though no graph changed."""
        values = self.new.base.get("values")
        if not isinstance(values, dict) or values.get("predicates") != indexed_predicates():
            return True
        answers = self.new.base.get("answers")
        if not summarized:  # no summaries (an earlier build's manifest): no answers to make
            return False
        if not isinstance(answers, dict):
            return True
        return {k: v.get("sha") for k, v in answers.items()} != answer_keys()

    def close(self) -> None:
        """Stop the loader, abandoning a load still running."""
        if self.loader.is_alive():
            self.stream.abort()
            self.loader.join()


def _graph_folder(wanted: dict[str, tuple[str, Path]]) -> str | None:
    """The folder of the graph files `<rid>.ttl` of `wanted` (absolute), when they share one:
    the generation's record names it (`fazhi_kg.corpus.store.recorded_file`)."""
    folders = {path.parent for _, path in wanted.values()}
    if len(folders) != 1 or any(path.name != f"{rid}.ttl" for rid, (_, path) in wanted.items()):
        return None
    return str(folders.pop().resolve())


def _loader_cores() -> None:
    """Keep the calling thread, and the threads it starts, to half the cores this process may
    use (at least one, at most two): Oxigraph's bulk loader encodes a batch of a million quads
    on each core it may use, so this bounds its memory and leaves the other cores to the
    workers."""
    if not hasattr(os, "sched_getaffinity"):
        return
    cores = sorted(os.sched_getaffinity(0))
    keep = max(1, min(2, len(cores) // 2))
    if keep < len(cores):
        os.sched_setaffinity(0, cores[-keep:])  # 0: this thread alone (Linux)


def _all_cores(thread: int | None) -> None:
    """Let `thread` (a native thread id of this process) and the threads it starts from now on
    use every core this process may use."""
    if thread is None or not hasattr(os, "sched_setaffinity"):
        return
    with contextlib.suppress(OSError):  # the thread has ended
        os.sched_setaffinity(thread, os.sched_getaffinity(0))


_BATCH_END = Path()  # in a stream: the end of one bulk load, the next follows


class _Stream(io.RawIOBase):
    """N-Quads files read one after the other as a binary stream, each removed once read (a
    corpus's N-Quads are larger than its store); `put` hands over the next file, `_BATCH_END` ends one load (the reader then sees the end of the stream until
    `next_batch`), and None ends them all. A read waits for the next file."""

    def __init__(self) -> None:
        self.files: queue.Queue[Path | None] = queue.Queue()
        self.current: io.BufferedReader | None = None
        self.ended = False  # this load has read all its files
        self.finished = False  # and no load follows
        self.aborted = False

    def readable(self) -> bool:
        return True

    def put(self, path: Path | None) -> None:
        self.files.put(path)

    def abort(self) -> None:
        self.aborted = True
        self.files.put(None)

    def next_batch(self) -> None:
        self.ended = False

    def readinto(self, buffer: Any) -> int:
        while True:
            if self.aborted:
                raise OSError("the store load was abandoned")
            if self.current is None:
                if self.ended or self.finished:
                    return 0
                path = self.files.get()
                if path is None or path is _BATCH_END:
                    self.ended = True
                    self.finished = path is None
                    continue
                self.current = path.open("rb")
            n = self.current.readinto(buffer)
            if n:
                return n
            self.current.close()
            Path(self.current.name).unlink(missing_ok=True)  # read: its quads are in the load
            self.current = None

    def close(self) -> None:
        if self.current is not None:
            self.current.close()
            self.current = None
        super().close()
