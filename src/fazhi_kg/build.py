"""Build report graphs: read → extract → RDF → deterministic Turtle files under graph/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fazhi_kg.atomic import write_bytes
from fazhi_kg.facts import Facts
from fazhi_kg.read import read_report
from fazhi_kg.reportid import check_id, report_id


@dataclass(frozen=True)
class Built:
    """One built report: its id, its facts and its Turtle bytes."""

    rid: str
    facts: Facts
    turtle: bytes
    triples: int


def build_report(path: str | Path, *, rid: str | None = None) -> Built:
    """Build one report file into its graph (nothing is written)."""
    from fazhi_kg.extract import extract
    from fazhi_kg.rdf import facts_to_graph

    src = read_report(path)
    facts = extract(src)
    rid = check_id(rid) if rid else report_id(facts.report)
    graph = facts_to_graph(facts, src.original, rid=rid)
    return Built(rid=rid, facts=facts, turtle=serialize_turtle(graph), triples=len(graph))


def serialize_turtle(graph: object) -> bytes:
    """Turtle with a fixed header and rdflib's sorted subject order (stable without blank nodes)."""
    from rdflib import Graph

    assert isinstance(graph, Graph)
    body = graph.serialize(format="turtle", encoding="utf-8")
    return body


def write_built(built: Built, out_dir: str | Path) -> Path:
    """Write `out_dir/<rid>.ttl` atomically and return its path."""
    target = Path(out_dir) / f"{built.rid}.ttl"
    write_bytes(target, built.turtle)
    return target
