"""Build report graphs: read → extract → RDF → deterministic Turtle files under graph/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from fazhi_kg.atomic import write_bytes
from fazhi_kg.extract.reportid import check_id
from fazhi_kg.facts import Facts
from fazhi_kg.iris import graph_iri
from fazhi_kg.text.read import read_report

if TYPE_CHECKING:
    from rdflib import Graph

    from fazhi_kg.rdf.mapping import Triples
    from fazhi_kg.rdfio.formats import Syntax
    from fazhi_kg.validate.card import Card


@dataclass(frozen=True)
class Built:
    """One built report: its id, its facts, its triples, their Turtle bytes and their sorted
    N-Triples lines (without the final " .")."""

    rid: str
    facts: Facts
    turtle: bytes
    triples: int
    graph_triples: Triples | None = None
    lines: tuple[str, ...] = ()

    def nquads(self) -> bytes:
        """The graph as N-Quads in its named graph `id/<rid>/graph` (for loading a store)."""
        tail = f" <{graph_iri(self.rid)}> .\n"
        return "".join(line + tail for line in self.lines).encode("utf-8")

    def serialize(self, syntax: Syntax) -> bytes:
        """The graph in an RDF syntax: Turtle and N-Triples as built, the dataset syntaxes with
        the report's named graph, others as Oxigraph writes them."""
        from fazhi_kg.rdfio import formats

        if syntax is formats.TURTLE:
            return self.turtle
        if syntax is formats.NTRIPLES:
            return "".join(line + " .\n" for line in self.lines).encode("utf-8")
        if syntax is formats.NQUADS:
            return self.nquads()
        import pyoxigraph as ox

        quads = list(ox.parse(self.nquads(), format=ox.RdfFormat.N_QUADS))
        items = quads if syntax.datasets else [q.triple for q in quads]
        from fazhi_kg.iris import PREFIXES

        return ox.serialize(items, format=formats.ox_format(syntax), prefixes=PREFIXES) or b""

    def graph(self) -> Graph:
        """The report graph as an rdflib graph (from the triples, or else from the Turtle)."""
        if self.graph_triples is not None:
            from fazhi_kg.rdf.mapping import to_rdflib

            return to_rdflib(self.graph_triples)
        from rdflib import Graph

        return Graph().parse(data=self.turtle, format="turtle")


def build_report(
    path: str | Path, *, rid: str | None = None, jurisdiction: str | None = None
) -> Built:
    """Build one report file into its graph (nothing is written); `rid` and `jurisdiction` (a
    division's code or name) override what the text gives."""
    from fazhi_kg.extract import extract
    from fazhi_kg.rdf.mapping import canonical_ntriples, facts_to_triples, turtle

    src = read_report(path)
    facts = extract(src, jurisdiction=jurisdiction)
    rid = check_id(rid) if rid else facts.report.id
    triples = facts_to_triples(facts, src, rid=rid)
    lines = canonical_ntriples(triples)
    return Built(rid, facts, turtle(lines), len(triples), triples, tuple(lines))


def serialize_turtle(graph: Graph) -> bytes:
    """An rdflib graph as the same deterministic Turtle `build_report` writes."""
    import pyoxigraph as ox

    from fazhi_kg.rdf.mapping import turtle

    nt = graph.serialize(format="nt", encoding="utf-8")
    return turtle(sorted({str(t) for t in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)}))


def write_built(built: Built, out_dir: str | Path) -> Path:
    """Write `out_dir/<rid>.ttl` atomically and return its path."""
    target = Path(out_dir) / f"{built.rid}.ttl"
    write_bytes(target, built.turtle)
    return target


def check_report(path: str | Path, *, rid: str | None = None) -> Card:
    """Build, validate and summarize one report file (nothing is written)."""
    from fazhi_kg.validate import validate_graph
    from fazhi_kg.validate.card import make_card

    built = build_report(path, rid=rid)
    return make_card(built.facts, built.rid, validate_graph(built.graph()))
