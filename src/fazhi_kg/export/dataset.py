"""The data an export writes: each report graph and the ontology graph, as sorted quads.

Files are read by the one loader (`fazhi_kg.rdfio.load`) with pyoxigraph's parser, not its Store:
the Store turns xsd:nonNegativeInteger and the other integer-derived datatypes into xsd:integer
(oxigraph/oxigraph#1413), which would change the evidence offsets. Blank nodes get stable labels and the quads are sorted, so every writer sees
the same input in the same order on every run: the ontology's (owl:unionOf lists) canonical ones,
those of input files the file's number and the order the parser met them in. Canonicalizing input
files too would let a hostile file stall export: Oxigraph's canonicalization takes seconds on a
chain or ring of a few hundred alike blank nodes and minutes on a few thousand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from fazhi_kg.corpus.store import chosen_report_ids, ontology_quads, report_quads
from fazhi_kg.errors import UsageError
from fazhi_kg.iris import ONTOLOGY_GRAPH, graph_iri, report_of_graph
from fazhi_kg.query.store import open_store_dir
from fazhi_kg.rdfio.load import only_rdf11, read_graphs
from fazhi_kg.rdfio.select import choose
from fazhi_kg.resources import default_graph_files

Node = ox.NamedNode | ox.BlankNode
Term = ox.NamedNode | ox.BlankNode | ox.Literal


def term_key(term: object) -> tuple[int, str, str, str]:
    """A total order on terms: IRIs, then blank nodes, then literals, each by code points."""
    if isinstance(term, ox.NamedNode):
        return (1, term.value, "", "")
    if isinstance(term, ox.BlankNode):
        return (2, term.value, "", "")
    if isinstance(term, ox.Literal):
        return (3, term.value, term.datatype.value, term.language or "")
    return (0, "", "", "")  # the default graph sorts first


def quad_key(q: ox.Quad) -> tuple[tuple[int, str, str, str], ...]:
    return (term_key(q.graph_name), term_key(q.subject), term_key(q.predicate), term_key(q.object))


@dataclass(frozen=True)
class Dataset:
    """Report graphs and the ontology graph; quads sorted, blank nodes canonically labelled."""

    quads: tuple[ox.Quad, ...]

    @cached_property
    def reports(self) -> tuple[str, ...]:
        """Report ids, read from the graph names `id/<rid>/graph`."""
        names = {q.graph_name.value for q in self.quads if isinstance(q.graph_name, ox.NamedNode)}
        return tuple(sorted(rid for n in names if (rid := report_of_graph(n)) is not None))

    @cached_property
    def data(self) -> tuple[ox.Quad, ...]:
        """Every quad outside the ontology graph."""
        return tuple(q for q in self.quads if not _is_ontology(q.graph_name))

    @cached_property
    def ontology(self) -> tuple[ox.Quad, ...]:
        """The quads of the ontology graph (fazhi.ttl and vocab.ttl)."""
        return tuple(q for q in self.quads if _is_ontology(q.graph_name))

    def triples(self) -> list[ox.Triple]:
        """The union of the report graphs as sorted, distinct triples (the ontology left out)."""
        unique = {q.triple for q in self.data}
        return sorted(
            unique, key=lambda t: (term_key(t.subject), t.predicate.value, term_key(t.object))
        )


def _is_ontology(name: object) -> bool:
    return isinstance(name, ox.NamedNode) and name.value == ONTOLOGY_GRAPH


def load(
    graphs: Sequence[Path] | None = None,
    *,
    report: str | Sequence[str] | None = None,
    store: Path | None = None,
) -> Dataset:
    """Read report graph files (default: the shipped graphs), or the report graphs of a corpus
    store, and the ontology into a Dataset.

    With `report` (an id or a shell pattern such as `sichuan-*-2023`, or several), only those
    reports' graphs are kept (and the ontology graph).
    """
    patterns = [report] if isinstance(report, str) else list(report or ())
    quads: list[ox.Quad] = []
    if store is not None:
        if graphs:
            raise UsageError("Give either graph files or --store, not both.")
        quads = _store_quads(store, patterns)
    files = graphs or ([] if store is not None else default_graph_files())
    for number, graph_file in enumerate(read_graphs(files)):
        quads.extend(_stable_blank_nodes(graph_file.quads(), f"f{number}b"))
    if patterns:
        known = Dataset(tuple(quads)).reports
        chosen = choose(patterns, known, "the graphs")
        wanted = {graph_iri(rid) for rid in chosen}
        quads = [q for q in quads if getattr(q.graph_name, "value", None) in wanted]
    only_rdf11(quads, "export")
    ontology = ox.Dataset(ontology_quads())
    ontology.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)  # labels c14n<N>
    return Dataset(tuple(sorted({*quads, *ontology}, key=quad_key)))


def _store_quads(store_dir: Path, patterns: Sequence[str]) -> list[ox.Quad]:
    """The report graphs of a store (only those matching `patterns` when given), typed as
    built."""
    store = open_store_dir(store_dir)
    rids = chosen_report_ids(store, store_dir, patterns)
    quads = [q for rid in rids for q in report_quads(store, rid)]
    return _stable_blank_nodes(quads, "sb")


def _stable_blank_nodes(quads: Iterable[ox.Quad], prefix: str) -> list[ox.Quad]:
    """The quads with each blank node relabelled `<prefix><N>`, N counting first appearances."""
    labels: dict[ox.BlankNode, ox.BlankNode] = {}

    def label(term: Any) -> Any:
        if isinstance(term, ox.BlankNode):
            if term not in labels:
                labels[term] = ox.BlankNode(f"{prefix}{len(labels)}")
            return labels[term]
        return term

    return [
        ox.Quad(label(q.subject), q.predicate, label(q.object), label(q.graph_name)) for q in quads
    ]
