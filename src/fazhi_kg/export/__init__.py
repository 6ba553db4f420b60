"""Export the report graphs: RDF syntaxes, compacted JSON-LD, GraphML, GEXF and CSV.

What each format holds:
- turtle, nt, xml: the union of the report graphs (triple formats cannot name graphs; the ontology
  ships as ontology/fazhi.ttl and vocab.ttl).
- nq, trig, jsonld: every report graph under its own name `id/<report>/graph` plus the ontology graph
  `https://w3id.org/fazhi/ontology`: one self-contained file a SPARQL store can load to see what
  `fazhi query` sees.
- graphml, gexf, csv: the networkx projection of `to_networkx` (entities and their relations); the
  ontology only supplies labels and class names.

Every output is byte-identical across runs and hash seeds, and every file is written atomically.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING

from fazhi_kg.atomic import atomic_open
from fazhi_kg.errors import UsageError
from fazhi_kg.export import jsonld, netxml, rdf
from fazhi_kg.export.dataset import Dataset, load
from fazhi_kg.export.network import project, to_networkx
from fazhi_kg.rdfio import formats

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["NETWORK_WRITERS", "RDF_WRITERS", "Format", "export", "load", "to_networkx"]


class Format(StrEnum):
    """Formats of `fazhi export`."""

    TURTLE = "turtle"
    NT = "nt"
    NQ = "nq"
    TRIG = "trig"
    JSONLD = "jsonld"
    XML = "xml"
    GRAPHML = "graphml"
    GEXF = "gexf"
    CSV = "csv"


RDF_WRITERS: dict[Format, Callable[[Dataset, IO[bytes]], None]] = {
    Format.TURTLE: rdf.write_turtle,
    Format.NT: rdf.write_nt,
    Format.NQ: rdf.write_nq,
    Format.TRIG: rdf.write_trig,
    Format.JSONLD: jsonld.write_jsonld,
    Format.XML: rdf.write_xml,
}
NETWORK_WRITERS: dict[Format, Callable[[nx.MultiDiGraph, IO[bytes]], None]] = {
    Format.GRAPHML: netxml.write_graphml,
    Format.GEXF: netxml.write_gexf,
}


_BY_SYNTAX = {
    formats.TURTLE: Format.TURTLE,
    formats.NTRIPLES: Format.NT,
    formats.NQUADS: Format.NQ,
    formats.TRIG: Format.TRIG,
    formats.JSONLD: Format.JSONLD,
    formats.RDFXML: Format.XML,
}
"""The RDF syntaxes export writes, so that every name riot accepts (ttl, n-triples, rdfxml …)
chooses one (`fazhi_kg.rdfio.formats`)."""


def parse_format(fmt: str | Format) -> Format:
    """The export format a user names: ours, or any name of an RDF syntax we write."""
    if isinstance(fmt, Format):
        return fmt
    key = fmt.strip().lower()
    if key in {f.value for f in Format}:
        return Format(key)
    syntax = formats.find(key)
    if syntax in _BY_SYNTAX:
        return _BY_SYNTAX[syntax]
    rdf = ", ".join(
        f"{s.name} ({', '.join(s.names[1:])})" if s.names[1:] else s.name for s in _BY_SYNTAX
    )
    what = f"Export does not write {syntax.label}" if syntax else f'Unknown export format "{fmt}"'
    raise UsageError(f"{what}; use an RDF syntax, {rdf}, or graphml, gexf, csv, html.")


def export(
    fmt: str | Format,
    *,
    graphs: Sequence[Path] | None = None,
    report: str | Sequence[str] | None = None,
    out: Path | None = None,
    store: Path | None = None,
) -> bytes | None:
    """Export the graphs (default: the shipped ones; or the report graphs of a corpus `store`)
    in one format.

    With `out`, the file is replaced atomically (csv: a folder of nodes.csv and edges.csv, or a
    .zip) and None is returned; without it, the bytes are returned. Input that a format cannot
    hold is refused with an InputError before anything is written.
    """
    f = parse_format(fmt)
    if f is Format.CSV and out is None:
        raise UsageError(
            "csv export writes two files (nodes.csv, edges.csv); pass --out DIR or --out FILE.zip."
        )
    ds = load(graphs, report=report, store=store)
    write: Callable[[IO[bytes]], None]
    if f in RDF_WRITERS:
        if f is Format.XML:
            rdf.check_xml(ds)
        rdf_writer = RDF_WRITERS[f]

        def write(fh: IO[bytes]) -> None:
            rdf_writer(ds, fh)

    else:
        from fazhi_kg.export import tabular

        G = project(ds)
        if f is Format.CSV:
            assert out is not None
            tabular.write_csv(G, out)
            return None
        netxml.check_graph(G, "GraphML" if f is Format.GRAPHML else "GEXF")
        net_writer = NETWORK_WRITERS[f]

        def write(fh: IO[bytes]) -> None:
            net_writer(G, fh)

    if out is None:
        buf = io.BytesIO()
        write(buf)
        return buf.getvalue()
    with atomic_open(out) as fh:
        write(fh)
    return None
