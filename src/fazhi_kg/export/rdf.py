"""RDF syntaxes of the dataset: Turtle, N-Triples, RDF/XML (report data), N-Quads and TriG (all graphs).

Turtle, N-Triples, N-Quads and TriG come from pyoxigraph's serializers, which write the sorted input
in order; RDF/XML has its own writer (https://www.w3.org/TR/rdf-syntax-grammar/) because
pyoxigraph's writes carriage returns and control characters raw, which XML parsers change or reject.
The triple formats hold the union of the report graphs; the ontology ships as ontology/fazhi.ttl.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import groupby
from typing import IO

import pyoxigraph as ox

from fazhi_kg.errors import InputError
from fazhi_kg.export import _xml
from fazhi_kg.export.dataset import Dataset
from fazhi_kg.iris import PREFIXES, XSD
from fazhi_kg.iris import RDF as RDF_NS

XSD_STRING = XSD + "string"


def _used_prefixes(triples: Iterable[ox.Triple]) -> dict[str, str]:
    iris: set[str] = set()
    for t in triples:
        iris.add(t.predicate.value)
        for term in (t.subject, t.object):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal):
                iris.add(term.datatype.value)
    namespaces = {iri.rpartition("#")[0] + "#" for iri in iris if "#" in iri}
    namespaces |= {iri.rpartition("/")[0] + "/" for iri in iris}
    return {p: ns for p, ns in sorted(PREFIXES.items()) if ns in namespaces}


def write_turtle(ds: Dataset, fh: IO[bytes]) -> None:
    """The report graphs' union as Turtle, subjects in IRI order."""
    triples = ds.triples()
    ox.serialize(triples, fh, ox.RdfFormat.TURTLE, prefixes=_used_prefixes(triples))


def write_nt(ds: Dataset, fh: IO[bytes]) -> None:
    """The report graphs' union as N-Triples, one sorted line per triple."""
    ox.serialize(ds.triples(), fh, ox.RdfFormat.N_TRIPLES)


def write_nq(ds: Dataset, fh: IO[bytes]) -> None:
    """Every graph, ontology included, as N-Quads sorted by graph, subject, predicate, object."""
    ox.serialize(ds.quads, fh, ox.RdfFormat.N_QUADS)


def write_trig(ds: Dataset, fh: IO[bytes]) -> None:
    """Every graph, ontology included, as TriG: one block per named graph."""
    prefixes = _used_prefixes(q.triple for q in ds.quads)
    ox.serialize(ds.quads, fh, ox.RdfFormat.TRIG, prefixes=prefixes)


_NAME_TAIL = re.compile(r"[\w.\-]*\Z")


def _qname(iri: str) -> tuple[str, str]:
    """Split a predicate IRI into namespace and an XML local name (RDF/XML needs one)."""
    tail = _NAME_TAIL.search(iri)
    local = tail.group() if tail else ""
    while local and not (local[0].isalpha() or local[0] == "_"):
        local = local[1:]
    if not local:
        raise InputError(
            f"The predicate <{iri}> does not end in an XML name, so RDF/XML cannot write it; "
            "export as turtle, nt or jsonld instead."
        )
    return iri[: len(iri) - len(local)], local


def check_xml(ds: Dataset) -> None:
    """Refuse literals with characters that XML 1.0 cannot hold, naming the node and character."""
    for t in ds.triples():
        if isinstance(t.object, ox.Literal):
            where = f"<{t.predicate.value}> value"
            _xml.check(t.object.value, node=f"Node {t.subject}", where=where, fmt="RDF/XML")


def _node_attr(term: ox.NamedNode | ox.BlankNode, iri_attr: str) -> str:
    if isinstance(term, ox.BlankNode):
        return f'rdf:nodeID="b{_xml.attr(term.value)}"'
    return f'{iri_attr}="{_xml.attr(term.value)}"'


def write_xml(ds: Dataset, fh: IO[bytes]) -> None:
    """The report graphs' union as RDF/XML: one rdf:Description per subject, in IRI order."""
    check_xml(ds)
    triples = ds.triples()
    split = {iri: _qname(iri) for iri in sorted({t.predicate.value for t in triples})}
    known = {ns: p for p, ns in PREFIXES.items()}
    names = {"rdf": RDF_NS}
    for ns in sorted({ns for ns, _ in split.values()}):
        prefix = known.get(ns) or f"ns{len(names)}"
        names[prefix] = ns
    by_ns = {ns: p for p, ns in names.items()}
    decls = "".join(f'\n    xmlns:{p}="{_xml.attr(ns)}"' for p, ns in sorted(names.items()))
    fh.write(f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{decls}>\n'.encode())
    for subject, group in groupby(triples, key=lambda t: t.subject):
        assert not isinstance(subject, ox.Triple)
        lines = [f"  <rdf:Description {_node_attr(subject, 'rdf:about')}>"]
        for t in group:
            ns, local = split[t.predicate.value]
            tag = f"{by_ns[ns]}:{local}"
            o = t.object
            if isinstance(o, ox.Literal):
                if o.language:
                    extra = f' xml:lang="{_xml.attr(o.language)}"'
                elif o.datatype.value != XSD_STRING:
                    extra = f' rdf:datatype="{_xml.attr(o.datatype.value)}"'
                else:
                    extra = ""
                lines.append(f"    <{tag}{extra}>{_xml.text(o.value)}</{tag}>")
            else:
                assert not isinstance(o, ox.Triple)
                lines.append(f"    <{tag} {_node_attr(o, 'rdf:resource')}/>")
        lines.append("  </rdf:Description>\n")
        fh.write("\n".join(lines).encode())
    fh.write(b"</rdf:RDF>\n")
