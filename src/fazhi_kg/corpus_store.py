"""The corpus store: an on-disk Oxigraph store kept equal to a built corpus, and reading report
graphs back out of it as they were built.

Each report lives in its named graph `id/<rid>/graph` (docs/model.md, Named graphs) and the ontology
in `https://w3id.org/fazhi/ontology`; queries see the union.
"""

from __future__ import annotations

import hashlib
import queue
import re
import threading
import time
from pathlib import Path
from typing import Any

from fazhi_kg.errors import InputError
from fazhi_kg.iris import ID_NS, ONTOLOGY_GRAPH
from fazhi_kg.resources import ontology_dir

__all__ = ["StoreSync", "graph_iri", "ontology_quads", "report_ntriples", "store_to_files"]

ONTOLOGY_FILES = ("fazhi.ttl", "vocab.ttl")
BATCH_QUADS = 250_000  # quads per bulk load into the store: fewer, larger loads are faster
XSD = "http://www.w3.org/2001/XMLSchema#"


def graph_iri(rid: str) -> str:
    """The named graph of one report (docs/model.md, Named graphs)."""
    return f"{ID_NS}{rid}/graph"


def ontology_key() -> str:
    """Hash of the ontology files: the ontology graph is reloaded when it changes."""
    h = hashlib.sha256()
    for name in ONTOLOGY_FILES:
        h.update(hashlib.sha256((ontology_dir() / name).read_bytes()).digest())
    return h.hexdigest()


class StoreSync:
    """Keeps an on-disk Oxigraph store equal to the corpus: replaces rebuilt graphs, loads missing
    ones, drops stale ones, loads the ontology graph, optimizes when anything changed."""

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
        self.batch: list[tuple[str, str, bytes, int]] = []
        self.batch_quads = 0
        self.changed = False
        self.seconds = 0.0  # time the loader spent loading
        # A loader thread takes full batches (Oxigraph's bulk loader releases the GIL), so the
        # main thread keeps the workers busy meanwhile; the short queue bounds memory.
        self.queue: queue.Queue[list[tuple[str, str, bytes, int]] | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.loader = threading.Thread(target=self._load_batches, name="fazhi-store-loader")
        self.loader.start()

    def record(self) -> dict[str, Any]:
        return {"path": str(self.path.resolve()), "graphs": self.graphs, "ontology": self.ontology}

    def add(self, rid: str, key: str, nquads: bytes, triples: int) -> None:
        self.batch.append((rid, key, nquads, triples))
        self.batch_quads += triples
        if self.batch_quads >= BATCH_QUADS:
            self._hand_over()

    def _hand_over(self) -> None:
        if self.error is not None:
            raise self.error
        if self.batch:
            self.queue.put(self.batch)
        self.batch, self.batch_quads = [], 0

    def _load_batches(self) -> None:
        while (batch := self.queue.get()) is not None:
            try:
                if self.error is None:
                    start = time.perf_counter()
                    for rid, *_ in batch:
                        self.store.remove_graph(self.ox.NamedNode(graph_iri(rid)))
                    self.store.bulk_load(
                        b"".join(b[2] for b in batch), format=self.ox.RdfFormat.N_QUADS
                    )
                    for rid, key, *_ in batch:
                        self.graphs[rid] = key
                    self.changed = True
                    self.seconds += time.perf_counter() - start
            except BaseException as exc:  # handed to the main thread at its next call
                self.error = exc
            finally:
                self.queue.task_done()

    def flush(self) -> None:
        """Load everything handed over so far (the loader thread keeps running)."""
        self._hand_over()
        self.queue.join()
        if self.error is not None:
            raise self.error

    def drop(self, rid: str) -> None:
        """Forget a report graph, whether still queued or already loaded."""
        self.flush()
        self.store.remove_graph(self.ox.NamedNode(graph_iri(rid)))
        self.graphs.pop(rid, None)
        self.changed = True

    def finish(self, wanted: dict[str, tuple[str, Path]]) -> None:
        """Make the store hold exactly `wanted` (rid → key, Turtle file) and the ontology."""
        self.flush()
        start = time.perf_counter()
        ox = self.ox
        present = {
            g.value
            for g in self.store.named_graphs()
            if isinstance(g, ox.NamedNode) and g.value != ONTOLOGY_GRAPH
        }
        for iri in sorted(present - {graph_iri(r) for r in wanted}):
            self.store.remove_graph(ox.NamedNode(iri))
            self.changed = True
        self.graphs = {r: k for r, k in self.graphs.items() if r in wanted}
        missing = [
            r
            for r, (key, _) in sorted(wanted.items())
            if self.graphs.get(r) != key or graph_iri(r) not in present
        ]
        if missing:
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
        if self.loader.is_alive():
            self.queue.put(None)
            self.loader.join()
        del self.store


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
    import pyoxigraph as ox

    from fazhi_kg.atomic import write_bytes
    from fazhi_kg.sparql import open_store_dir

    store = open_store_dir(Path(store_dir))
    files = []
    for g in sorted(store.named_graphs(), key=lambda g: g.value):
        iri = g.value
        if isinstance(g, ox.NamedNode) and iri.startswith(ID_NS) and iri.endswith("/graph"):
            rid = iri[len(ID_NS) : -len("/graph")]
            target = Path(folder) / f"{rid}.nt"
            write_bytes(target, report_ntriples(store, rid))
            files.append(target)
    return files
