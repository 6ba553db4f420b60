"""The divisions graph: every province, prefecture and county of the national gazetteer in use
since 2015, as the same `id:division/<code>` nodes the report graphs use, with name, code, level,
parent and the years the code stood in the Ministry's tables.

Coverage questions (which counties of a province have a report for 2022?) compare reports with
this graph. It ships as a data file, `data/divisions.nt.gz`, made by `python -m
fazhi_kg.rdf.divisions` from the gazetteer (a test keeps the two equal), so the query path reads
N-Triples and never loads the gazetteer.
"""

from __future__ import annotations

import gzip
import sys
from collections.abc import Iterable
from pathlib import Path

from fazhi_kg.extract.gazetteer import Division, gazetteer
from fazhi_kg.iris import FZ, RDF, RDFS, SKOS, XSD, division_iri
from fazhi_kg.rdf.ntriples import Triples, canonical_ntriples, plain, typed, zh
from fazhi_kg.resources import DIVISIONS_FILE, data_dir

__all__ = ["DIVISIONS_FILE", "FIRST_YEAR", "divisions_ntriples", "write_divisions"]

FIRST_YEAR = 2015  # reports go back to 2019; a few years more cover codes they may still use
_LEVELS = {"province": FZ.Provincial, "city": FZ.Municipal, "county": FZ.County}


def _records() -> dict[str, list[Division]]:
    """The gazetteer's province, prefecture and county records in use since `FIRST_YEAR`, by code."""
    by_code: dict[str, list[Division]] = {}
    for d in gazetteer():
        if d.level in _LEVELS and not d.quasi and (d.valid_to is None or d.valid_to > FIRST_YEAR):
            by_code.setdefault(d.code, []).append(d)
    return by_code


def _add(g: Triples, records: Iterable[Division]) -> None:
    """One node per code: its latest name as label, earlier names as alternatives, and the years
    its code stood in the tables."""
    ordered = sorted(records, key=lambda d: (d.valid_from or 0, d.name))
    latest = ordered[-1]
    node = division_iri(latest.code)
    g.add(node, RDF + "type", FZ.Jurisdiction)
    g.add(node, RDFS + "label", zh(latest.name))
    for d in ordered[:-1]:
        if d.name != latest.name:
            g.add(node, SKOS + "altLabel", zh(d.name))
    g.add(node, SKOS + "notation", plain(latest.code))
    g.add(node, FZ.administrativeLevel, _LEVELS[latest.level])
    if latest.parent:
        g.add(node, FZ.parentJurisdiction, division_iri(latest.parent))
    starts = [d.valid_from for d in ordered if d.valid_from is not None]
    if starts and len(starts) == len(ordered):
        g.add(node, FZ.validFrom, typed(min(starts), XSD + "integer"))
    if all(d.valid_to is not None for d in ordered):
        g.add(node, FZ.validUntil, typed(max(d.valid_to or 0 for d in ordered), XSD + "integer"))


def divisions_ntriples() -> bytes:
    """The divisions graph as sorted N-Triples."""
    g = Triples("divisions")
    for records in _records().values():
        _add(g, records)
    return "".join(f"{line} .\n" for line in canonical_ntriples(g)).encode("utf-8")


def write_divisions(target: Path | None = None) -> Path:
    """Write the divisions graph, gzipped with no timestamp (the same bytes on every run)."""
    from fazhi_kg.atomic import write_bytes

    target = target or data_dir() / DIVISIONS_FILE
    write_bytes(target, gzip.compress(divisions_ntriples(), mtime=0))
    return target


if __name__ == "__main__":  # python -m fazhi_kg.rdf.divisions [FILE]
    print(write_divisions(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
