"""Push report graphs to any SPARQL 1.1 store (`fazhi push`) with the Graph Store HTTP Protocol
(https://www.w3.org/TR/sparql11-http-rdf-update/): one `PUT URL?graph=<graph IRI>` per report graph
and one for the ontology graph; PUT replaces the graph, so pushing twice leaves the store as
pushing once. Graph files are read by the one loader (`fazhi_kg.rdfio.load`).
"""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from fazhi_kg.corpus.store import (
    chosen_report_ids,
    divisions_quads,
    ontology_quads,
    recorded_file,
    recorded_ntriples,
)
from fazhi_kg.errors import UsageError
from fazhi_kg.iris import DIVISIONS_GRAPH, ONTOLOGY_GRAPH, graph_iri
from fazhi_kg.query.http import Auth, request
from fazhi_kg.rdfio.formats import NTRIPLES, TURTLE
from fazhi_kg.rdfio.load import read_graphs
from fazhi_kg.rdfio.select import only_with_store

__all__ = ["PushResult", "push"]


@dataclass(frozen=True)
class PushResult:
    """What was pushed: graph IRIs with their triple counts."""

    graphs: tuple[tuple[str, int], ...]
    seconds: float

    @property
    def triples(self) -> int:
        return sum(n for _, n in self.graphs)


def _graphs_from_files(files: Sequence[Path]) -> Iterator[tuple[str, bytes, str, int]]:
    """(graph IRI, body, media type, triples) per graph of the files, parsed without a store
    (which would retype literals, oxigraph/oxigraph#1413). Turtle and N-Triples files go as they
    are; the graphs of other files as N-Triples."""
    for graph_file in read_graphs(files):
        quads = graph_file.quads(rename_blank_nodes=False)
        by_graph: dict[str, list[ox.Triple]] = {}
        for q in quads:  # a graph named by a blank node has no IRI to put it under
            if isinstance(q.graph_name, ox.NamedNode):
                by_graph.setdefault(q.graph_name.value, []).append(q.triple)
        if graph_file.syntax in (TURTLE, NTRIPLES):
            body = graph_file.content()
            yield graph_file.default_graph, body, graph_file.syntax.media_type, len(quads)
            continue
        for iri, triples in sorted(by_graph.items()):
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
            yield iri, body, NTRIPLES.media_type, len(triples)


def _graphs_from_store(
    store_dir: Path, patterns: Sequence[str] = ()
) -> Iterator[tuple[str, bytes, str, int]]:
    """(graph IRI, body, media type, triples) per report graph of a store, typed as built."""
    from fazhi_kg.corpus.generations import open_generation

    generation = open_generation(store_dir)
    try:
        store, record = generation.store, generation.record  # the record: read once
        for rid in chosen_report_ids(store, store_dir, patterns):
            body = recorded_ntriples(store, rid, recorded_file(record, rid))
            yield graph_iri(rid), body, NTRIPLES.media_type, body.count(b"\n")
    finally:
        generation.close()


def push(
    graph_store_url: str,
    *,
    store_dir: str | Path | None = None,
    graph_files: Sequence[str | Path] | None = None,
    auth: Auth | None = None,
    ontology: bool = True,
    timeout: float | None = 300,
    progress: Callable[[int, str], None] | None = None,
    reports: Sequence[str] = (),
) -> PushResult:
    """Upload every report graph (from a corpus store or graph files; of a store, with `reports`,
    those whose id matches one of these ids or shell patterns) and the ontology graph to a SPARQL
    1.1 Graph Store (e.g. http://localhost:7878/store, Fuseki's /DATASET/data, GraphDB's
    /repositories/REPO/rdf-graphs/service), each with an HTTP PUT that replaces it."""
    if (store_dir is None) == (graph_files is None):
        raise UsageError("Push either a --store or --graph files, not both.")
    only_with_store(reports, store_dir)
    started = time.perf_counter()
    sources = (
        _graphs_from_store(Path(store_dir), reports)
        if store_dir is not None
        else _graphs_from_files([Path(f) for f in graph_files or ()])
    )
    pushed: list[tuple[str, int]] = []
    sep = "&" if "?" in graph_store_url else "?"

    def put(iri: str, body: bytes, content_type: str, n: int) -> None:
        url = f"{graph_store_url}{sep}graph={urllib.parse.quote(iri, safe='')}"
        with request(
            url,
            method="PUT",
            data=body,
            headers={"Content-Type": f"{content_type}; charset=utf-8"},
            auth=auth,
            timeout=timeout,
            what=f"upload of {iri}",
        ) as resp:
            # the status is the answer; a body cut short means the server broke off (an error),
            # one without a length may never end and is not read to its end
            if resp.length is not None and resp.length <= 1 << 20:
                resp.read()
            else:
                resp.read(1 << 16)
        pushed.append((iri, n))
        if progress is not None:
            progress(len(pushed), iri)

    for iri, body, content_type, n in sources:
        put(iri, body, content_type, n)
    if ontology:  # and the divisions graph, which the coverage question reads
        for iri, quads in (
            (ONTOLOGY_GRAPH, ontology_quads()),
            (DIVISIONS_GRAPH, divisions_quads()),
        ):
            triples = sorted({q.triple for q in quads}, key=str)
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
            put(iri, body, NTRIPLES.media_type, len(triples))
    return PushResult(graphs=tuple(pushed), seconds=time.perf_counter() - started)
