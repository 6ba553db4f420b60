"""The corpus store: an on-disk Oxigraph store kept equal to a built corpus, and reading report
graphs back out of it as they were built.

Each report lives in its named graph `id/<rid>/graph` (docs/model.md, Named graphs) and the ontology
in `https://w3id.org/fazhi/ontology`; queries see the union.
"""

from __future__ import annotations

import hashlib
import io
import queue
import re
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, cast

from fazhi_kg.errors import InputError
from fazhi_kg.iris import ONTOLOGY_GRAPH, XSD, graph_iri, report_of_graph
from fazhi_kg.resources import ontology_dir

__all__ = [
    "StoreSync",
    "chosen_report_ids",
    "ontology_quads",
    "report_ids",
    "report_ntriples",
    "report_quads",
    "store_to_files",
]

ONTOLOGY_FILES = ("fazhi.ttl", "vocab.ttl")
BATCH_QUADS = 500_000


def ontology_key() -> str:
    """Hash of the ontology files: the ontology graph is reloaded when it changes."""
    h = hashlib.sha256()
    for name in ONTOLOGY_FILES:
        h.update(hashlib.sha256((ontology_dir() / name).read_bytes()).digest())
    return h.hexdigest()


class StoreSync:
    """Keeps an on-disk Oxigraph store equal to the corpus: replaces rebuilt graphs, loads missing
    ones, drops stale ones, loads the ontology graph, optimizes when anything changed.

    Rebuilt graphs arrive as N-Quads files (`add`) while the workers go on building. A loader
    thread, started by `begin`, bulk-loads them as they come, from a stream that waits for the
    next file: Oxigraph's bulk loader releases the GIL, so loading overlaps building. Each load
    takes `BATCH_QUADS` quads: at 1,000 reports, one single load took 1.7 GB and loads of 500,000
    quads 0.6 GB, for 10% more CPU time (bench/corpus.py)."""

    def __init__(self, path: Path, record: dict[str, Any]) -> None:
        import pyoxigraph as ox

        self.ox = ox
        self.path = path
        try:
            self.store = ox.Store(str(path))
        except OSError as exc:
            raise InputError(
                f"Cannot open the store {path}: {exc}; close other programs that use it "
                "(a running `fazhi serve`) or choose another folder."
            ) from exc
        same = record.get("path") == str(path.resolve())
        self.graphs: dict[str, str] = dict(record.get("graphs", {})) if same else {}
        self.ontology: str = str(record.get("ontology", "")) if same else ""
        self.streamed: dict[str, str] = {}  # rid → key of the graphs handed to the loader
        self.batch_quads = 0
        self.dropped: set[str] = set()
        self.changed = False
        self.seconds = 0.0  # time `finish` took: the load's tail after the last build, optimizing
        self.stream = _Stream()
        self.error: BaseException | None = None
        self.loader = threading.Thread(target=self._load, name="fazhi-store-loader")

    def record(self) -> dict[str, Any]:
        return {"path": str(self.path.resolve()), "graphs": self.graphs, "ontology": self.ontology}

    def _report_graphs(self) -> set[str]:
        return {
            g.value
            for g in self.store.named_graphs()
            if isinstance(g, self.ox.NamedNode) and g.value != ONTOLOGY_GRAPH
        }

    def begin(self, unchanged: dict[str, str]) -> None:
        """Drop every report graph but the `unchanged` ones (rid → key) that the store holds as
        they are, then start the loader."""
        for iri in sorted(self._report_graphs()):
            rid = report_of_graph(iri) or ""
            if not rid or unchanged.get(rid) is None or self.graphs.get(rid) != unchanged[rid]:
                self.store.remove_graph(self.ox.NamedNode(iri))
                self.graphs.pop(rid, None)
                self.changed = True
        self.loader.start()

    def _load(self) -> None:
        try:
            while not self.stream.finished:
                self.store.bulk_load(cast(IO[bytes], self.stream), format=self.ox.RdfFormat.N_QUADS)
                self.stream.next_batch()
        except BaseException as exc:  # handed to the main thread by `finish`
            self.error = exc
            self.stream.abort()

    def add(self, rid: str, key: str, nquads: Path, quads: int) -> None:
        """Hand a rebuilt report graph, an N-Quads file of `quads` lines, to the loader."""
        if self.error is not None:
            raise self.error
        self.streamed[rid] = key
        self.dropped.discard(rid)
        self.stream.put(nquads)
        self.batch_quads += quads
        if self.batch_quads >= BATCH_QUADS:
            self.stream.put(_BATCH_END)
            self.batch_quads = 0

    def drop(self, rid: str) -> None:
        """Forget a report graph, whether handed to the loader or loaded before."""
        self.streamed.pop(rid, None)
        self.dropped.add(rid)
        self.graphs.pop(rid, None)

    def _end_load(self) -> None:
        self.stream.put(None)
        if self.loader.is_alive():
            self.loader.join()
        if self.error is not None:
            raise self.error
        for rid in sorted(self.dropped):
            self.store.remove_graph(self.ox.NamedNode(graph_iri(rid)))
        self.graphs.update(self.streamed)
        self.changed = self.changed or bool(self.streamed) or bool(self.dropped)
        self.streamed, self.dropped = {}, set()

    def finish(self, wanted: dict[str, tuple[str, Path]]) -> None:
        """Make the store hold exactly `wanted` (rid → key, Turtle file) and the ontology."""
        start = time.perf_counter()
        self._end_load()
        ox = self.ox
        present = self._report_graphs()
        for iri in sorted(present - {graph_iri(r) for r in wanted}):
            self.store.remove_graph(ox.NamedNode(iri))
            self.changed = True
        self.graphs = {r: k for r, k in self.graphs.items() if r in wanted}
        missing = [
            r
            for r, (key, _) in sorted(wanted.items())
            if self.graphs.get(r) != key or graph_iri(r) not in present
        ]
        if missing:  # in the corpus but not in this store: load them from their graph files
            for r in missing:
                self.store.remove_graph(ox.NamedNode(graph_iri(r)))
            self.store.bulk_extend(
                ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph_iri(r)))
                for r in missing
                for t in ox.parse(path=str(wanted[r][1]), format=ox.RdfFormat.TURTLE)
            )
            self.graphs.update({r: wanted[r][0] for r in missing})
            self.changed = True
        onto = ontology_key()
        has_onto = any(g.value == ONTOLOGY_GRAPH for g in self.store.named_graphs())
        if onto != self.ontology or not has_onto:
            self.store.remove_graph(ox.NamedNode(ONTOLOGY_GRAPH))
            self.store.extend(ontology_quads())
            self.ontology = onto
            self.changed = True
        if self.changed:
            self.store.optimize()
        self.store.flush()
        self.seconds += time.perf_counter() - start

    def close(self) -> None:
        """Stop the loader (abandoning a load still running) and close the store."""
        if self.loader.is_alive():
            self.stream.abort()
            self.loader.join()
        del self.store


_BATCH_END = Path()  # in a stream: the end of one bulk load, the next follows


class _Stream(io.RawIOBase):
    """N-Quads files read one after the other as a binary stream; `put` hands over the next
    file, `_BATCH_END` ends one load (the reader then sees the end of the stream until
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
            self.current = None

    def close(self) -> None:
        if self.current is not None:
            self.current.close()
            self.current = None
        super().close()


def ontology_quads() -> list[Any]:
    """The quads of the ontology graph (ontology/fazhi.ttl and vocab.ttl)."""
    import pyoxigraph as ox

    g = ox.NamedNode(ONTOLOGY_GRAPH)
    return [
        ox.Quad(t.subject, t.predicate, t.object, g)
        for name in ONTOLOGY_FILES
        for t in ox.parse(path=str(ontology_dir() / name), format=ox.RdfFormat.TURTLE)
    ]


_OFFSET = re.compile(
    rb'^(<[^>]*> <http://www\.w3\.org/ns/oa#(?:start|end)> "[0-9]+")'
    rb"\^\^<http://www\.w3\.org/2001/XMLSchema#integer> \.$"
)


def report_ids(store: Any) -> list[str]:
    """The ids of the report graphs `id/<rid>/graph` a store holds, sorted."""
    import pyoxigraph as ox

    return sorted(
        rid
        for g in store.named_graphs()
        if isinstance(g, ox.NamedNode) and (rid := report_of_graph(g.value)) is not None
    )


def chosen_report_ids(store: Any, store_dir: Path, patterns: Sequence[str] = ()) -> list[str]:
    """The ids of the store's report graphs that match one of `patterns` (ids or shell patterns
    such as `sichuan-*-2023`; every id without patterns), sorted; a pattern that matches none is
    a `UsageError` that names some of the ids."""
    from fazhi_kg.rdfio.select import choose

    known = report_ids(store)
    return choose(patterns, known, f"the store {store_dir}") if patterns else known


def report_quads(store: Any, rid: str) -> list[Any]:
    """One report graph from a store as quads in its named graph, typed as built (see
    `report_ntriples`)."""
    import pyoxigraph as ox

    graph = ox.NamedNode(graph_iri(rid))
    return [
        ox.Quad(t.subject, t.predicate, t.object, graph)
        for t in ox.parse(report_ntriples(store, rid), format=ox.RdfFormat.N_TRIPLES)
    ]


def report_ntriples(store: Any, rid: str) -> bytes:
    """One report graph from a store as sorted N-Triples, with the evidence offsets typed as the
    builder writes them: Oxigraph stores xsd:nonNegativeInteger as xsd:integer
    (oxigraph/oxigraph#1413), which the shapes would reject."""
    import pyoxigraph as ox

    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph_iri(rid)))
    typed = f"\\1^^<{XSD}nonNegativeInteger> .".encode()
    lines = sorted(_OFFSET.sub(typed, line) for line in data.splitlines())
    return b"\n".join(lines) + b"\n" if lines else b""


def store_to_files(store_dir: str | Path, folder: str | Path) -> list[Path]:
    """Write each report graph of a corpus store as `folder/<rid>.nt` (for tools that read graph
    files, e.g. `fazhi export`); the offsets keep their built type (see `report_ntriples`)."""

    from fazhi_kg.atomic import write_bytes
    from fazhi_kg.query.store import open_store_dir

    store = open_store_dir(Path(store_dir))
    files = []
    for rid in report_ids(store):
        target = Path(folder) / f"{rid}.nt"
        write_bytes(target, report_ntriples(store, rid))
        files.append(target)
    return files
