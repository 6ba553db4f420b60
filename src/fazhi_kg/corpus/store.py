"""The corpus store's content: the ontology graph as it is loaded, and report graphs read back
out of a store as they were built.

Each report lives in its named graph `id/<rid>/graph` (docs/model.md, Named graphs) and the ontology
in `https://w3id.org/fazhi/ontology`; queries see the union. How a store is kept on disk, in
generations that readers open whole, is `fazhi_kg.corpus.generations`; how a build fills one is
`fazhi_kg.corpus.loader`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fazhi_kg.iris import DIVISIONS_GRAPH, ONTOLOGY_GRAPH, XSD, graph_iri, report_of_graph
from fazhi_kg.resources import DIVISIONS_FILE, data_dir, divisions_ntriples_bytes, ontology_dir

__all__ = [
    "chosen_report_ids",
    "divisions_quads",
    "ontology_key",
    "ontology_quads",
    "report_ids",
    "report_ntriples",
    "report_quads",
    "store_to_files",
]

ONTOLOGY_FILES = ("fazhi.ttl", "vocab.ttl")


def ontology_key() -> str:
    """Hash of the ontology files and the divisions graph's data: the ontology and divisions
    graphs are reloaded when it changes."""
    h = hashlib.sha256()
    for path in [*(ontology_dir() / name for name in ONTOLOGY_FILES), data_dir() / DIVISIONS_FILE]:
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def divisions_quads() -> list[Any]:
    """The quads of the divisions graph (data/divisions.nt.gz, made from the gazetteer by
    `fazhi_kg.rdf.divisions`): every division with its code, level, parent and years, which the
    coverage question compares a corpus's reports with."""
    import pyoxigraph as ox

    g = ox.NamedNode(DIVISIONS_GRAPH)
    return [
        ox.Quad(t.subject, t.predicate, t.object, g)
        for t in ox.parse(divisions_ntriples_bytes(), format=ox.RdfFormat.N_TRIPLES)
    ]


def ontology_quads() -> list[Any]:
    """The quads of the ontology graph (ontology/fazhi.ttl and vocab.ttl), its blank nodes
    labelled canonically, so that every load of it gives the same quads."""
    import pyoxigraph as ox

    g = ox.NamedNode(ONTOLOGY_GRAPH)
    dataset = ox.Dataset(
        ox.Quad(t.subject, t.predicate, t.object, g)
        for name in ONTOLOGY_FILES
        for t in ox.parse(path=str(ontology_dir() / name), format=ox.RdfFormat.TURTLE)
    )
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)  # labels c14n<N>
    return sorted(dataset, key=str)


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


def recorded_file(record: dict[str, Any], rid: str) -> tuple[Path, str] | None:
    """The graph file a generation's report graph was loaded from, and its SHA-256 as loaded,
    when the generation's record names the build's graph folder (`fazhi_kg.corpus.loader`)."""
    folder, sha = record.get("graph_folder"), record.get("graphs", {}).get(rid)
    if not (isinstance(folder, str) and folder and isinstance(sha, str) and sha):
        return None
    return Path(folder) / f"{rid}.ttl", sha


def recorded_ntriples(store: Any, rid: str, source: tuple[Path, str] | None) -> bytes:
    """`report_ntriples`, read from the report's graph file (`recorded_file`) while that file is
    still the very file the store's graph was loaded from (the same SHA-256): the same bytes, six
    times cheaper than decoding the graph from the store (about 5 against 31 ms a report). A file
    that is gone or changed since, or none recorded, gives the store's own graph."""
    import pyoxigraph as ox

    if source is not None:
        path, sha = source
        try:
            data = path.read_bytes()
        except OSError:
            data = None
        if data is not None and hashlib.sha256(data).hexdigest() == sha:
            nt = ox.serialize(
                ox.parse(data, format=ox.RdfFormat.TURTLE), format=ox.RdfFormat.N_TRIPLES
            )
            lines = sorted((nt or b"").splitlines())
            return b"\n".join(lines) + b"\n" if lines else b""
    return report_ntriples(store, rid)


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
