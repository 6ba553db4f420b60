"""Opening what queries run on: an in-memory Oxigraph store of graph files (each read by the one
loader, `fazhi_kg.rdfio.load`) with the ontology graph, or an on-disk corpus store read-only.

Queries see the union of all graphs as their default graph. No rdflib on this path.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from fazhi_kg.errors import UsageError
from fazhi_kg.iris import DIVISIONS_GRAPH, ONTOLOGY_GRAPH
from fazhi_kg.rdfio.load import read_graphs
from fazhi_kg.resources import default_graph_files, divisions_ntriples_bytes, ontology_dir

if TYPE_CHECKING:
    from fazhi_kg.corpus.generations import Generation

__all__ = ["add_graphs", "open_store", "open_store_dir"]


def open_store(
    graph_files: Sequence[str | Path] | None = None,
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


def add_graphs(store: ox.Store, graphs: Sequence[str], *, store_dir: Path | None = None) -> None:
    """Load the extra graphs a stored query asks for (its header's `graphs:`) into an in-memory
    store that lacks them: "divisions", the national gazetteer's divisions (data/divisions.nt.gz).
    A corpus store holds them from its build; an older one is asked to be rebuilt."""
    for name in graphs:
        graph = ox.NamedNode(DIVISIONS_GRAPH)
        if name != "divisions" or any(g == graph for g in store.named_graphs()):
            continue
        if store_dir is not None:
            raise UsageError(
                f"The store {store_dir} has no divisions graph, which this query compares "
                f"reports with; rebuild it with `fazhi build REPORTS --store {store_dir}`."
            )
        store.load(divisions_ntriples_bytes(), format=ox.RdfFormat.N_TRIPLES, to_graph=graph)


def open_store_dir(path: Path) -> ox.Store:
    """A corpus store's current generation, opened read-only in milliseconds and held until the
    process ends, so that a build running meanwhile neither changes nor removes what this reads
    (`fazhi_kg.corpus.generations`; `open_generation` lets go earlier)."""
    from fazhi_kg.corpus.generations import open_generation

    key = Path(path).absolute()
    held = _HELD.get(key)
    if held is not None and held.is_current():
        return held.store
    generation = open_generation(path)
    _HELD[key] = generation  # the previous one stays held: its store may still be in use
    _KEPT.append(generation)
    store = generation.store
    recorded = generation.record.get("graphs")
    if isinstance(recorded, dict):  # the report ids, without reading every report graph
        from fazhi_kg.query.pages import remember_reports

        divisions = generation.record.get("divisions")
        rows = generation.record.get("rows")
        values = generation.record.get("values")
        answers = generation.record.get("answers")
        remember_reports(
            store,
            sorted(recorded),
            divisions if isinstance(divisions, dict) else None,
            {e["sha"]: e["reports"] for e in rows.values()} if isinstance(rows, dict) else None,
            (generation.path, values["predicates"]) if isinstance(values, dict) else None,
            {e["sha"]: name for name, e in answers.items()} if isinstance(answers, dict) else None,
        )
    return store


_HELD: dict[Path, Generation] = {}
_KEPT: list[Generation] = []
