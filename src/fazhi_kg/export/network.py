"""The network view of the report graphs: one networkx MultiDiGraph that GraphML, GEXF and CSV share.

Entities (nodes typed with an fz: class) become nodes keyed by IRI; object properties between
entities become edges keyed by the predicate IRI, with the predicate's zh label. Literal values,
SKOS concepts (by their zh label) and text evidence (start, end, quote and the words of its sentence
before and after it, prefix and suffix, of the first span) become
node attributes; evidence, annotation and selector nodes are not nodes. Attribute values are str,
int or float only, with one type per attribute name, so every file writer and reader agrees.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from fazhi_kg.export.dataset import Dataset, Term, load, term_key
from fazhi_kg.iris import (
    DCTERMS,
    FZ_NS,
    OA_NS,
    PREFIXES,
    RDF,
    RDFS,
    SKOS,
    XSD,
    report_of_graph,
)

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["NODE_COLUMNS", "SEP", "project", "to_networkx"]

RDF_TYPE = RDF + "type"
RDFS_LABEL = RDFS + "label"
SUBCLASS = RDFS + "subClassOf"
TITLE = DCTERMS + "title"
_INTEGERS = {
    XSD + n
    for n in "integer nonNegativeInteger positiveInteger nonPositiveInteger negativeInteger long "
    "int short byte unsignedLong unsignedInt unsignedShort unsignedByte".split()
}
_FLOATS = {XSD + "decimal", XSD + "double", XSD + "float"}
NODE_COLUMNS = ("label", "family", "report", "section", "start", "end", "quote", "prefix", "suffix")
"""Node attributes of the projection itself, in this order; literal properties follow, sorted."""
SEP = "; "
"""Joins the values of a property that has several (fz:focusTerm …) into one string."""

Value = str | int | float
Props = dict[str, list[Term]]


def _key(term: object) -> str:
    """The node key of a term: the IRI, or `_:label` for a blank node."""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value if isinstance(term, ox.NamedNode) else str(term)


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1] or iri


def _python(lit: ox.Literal) -> Value:
    """A literal as a plain Python value: int for integer types, float for decimals, else str."""
    dt = lit.datatype.value
    try:
        if dt in _INTEGERS and abs(number := int(lit.value)) < 2**63:
            return number
        if dt in _FLOATS and math.isfinite(real := float(lit.value)):
            return real
    except ValueError:
        pass
    return lit.value


@dataclass
class _Index:
    """Subjects with their properties, the reports each appears in, and ontology labels and classes."""

    props: dict[str, Props] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    reports: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    labels: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    parents: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def of(cls, ds: Dataset) -> _Index:
        index = cls()
        for q in ds.ontology:
            p, o, s = q.predicate.value, q.object, _key(q.subject)
            if p in (RDFS_LABEL, SKOS + "prefLabel") and isinstance(o, ox.Literal):
                index.labels[s].setdefault(o.language or "", o.value)
            elif p == SUBCLASS and isinstance(o, ox.NamedNode):
                index.parents[s].add(o.value)
        for q in ds.data:
            s, o = _key(q.subject), q.object
            values = index.props[s][q.predicate.value]
            if not isinstance(o, ox.Triple) and o not in values:
                values.append(o)
            rid = report_of_graph(_key(q.graph_name))
            if rid is not None:
                index.reports[s].add(rid)
        return index

    def ancestors(self, cls: str) -> set[str]:
        seen: set[str] = set()
        todo = [cls]
        while todo:
            for parent in self.parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    def label(self, iri: str, default: str) -> str:
        names = self.labels.get(iri, {})
        return names.get("zh") or names.get("en") or default

    def classes(self, s: str) -> set[str]:
        """The fz: classes of an entity (SKOS concept classes are not entity classes)."""
        found = set()
        for o in self.props[s].get(RDF_TYPE, ()):
            is_fz = isinstance(o, ox.NamedNode) and o.value.startswith(FZ_NS)
            if is_fz and SKOS + "Concept" not in self.ancestors(o.value):
                found.add(o.value)
        return found

    def first(self, s: str, p: str) -> Term | None:
        values = sorted(self.props.get(s, {}).get(p, ()), key=term_key)
        return values[0] if values else None

    def literal(self, s: str, p: str) -> Value | None:
        term = self.first(s, p)
        return _python(term) if isinstance(term, ox.Literal) else None


def _attribute_names(predicates: Iterable[str]) -> dict[str, str]:
    """Attribute name per predicate: its local name, prefixed where names would clash."""
    by_local: dict[str, list[str]] = defaultdict(list)
    for p in sorted(set(predicates)):
        by_local[_local(p)].append(p)
    known = {ns: prefix for prefix, ns in PREFIXES.items()}
    names = {}
    for local, iris in by_local.items():
        for p in iris:
            clash = len(iris) > 1 or local in NODE_COLUMNS or local == "id"
            names[p] = f"{known.get(p[: len(p) - len(local)], 'ns')}_{local}" if clash else local
    return names


def to_networkx(
    graphs: Sequence[Path] | None = None,
    *,
    report: str | Sequence[str] | None = None,
    store: Path | None = None,
) -> nx.MultiDiGraph:
    """The report graphs (default: the shipped ones; or those of a corpus `store`) as a networkx
    MultiDiGraph of entities.

    Nodes are entity IRIs with attributes label, family, report, section, start, end, quote,
    prefix, suffix and one
    per literal property; edges are keyed by predicate IRI with attributes predicate and label.
    """
    return project(load(graphs, report=report, store=store))


def project(ds: Dataset) -> nx.MultiDiGraph:
    """Project a loaded Dataset onto its entities and the relations between them."""
    import networkx as nx

    index = _Index.of(ds)
    entities = sorted(s for s in index.props if index.classes(s))
    is_entity = set(entities)
    names = _attribute_names(p for s in entities for p in index.props[s])
    G = nx.MultiDiGraph()
    for s in entities:
        G.add_node(s, **_attributes(index, s, names, is_entity))
    for s in entities:
        for p, objects in sorted(index.props[s].items()):
            if p == RDF_TYPE:
                continue
            for o in sorted(objects, key=term_key):
                if not isinstance(o, ox.Literal) and _key(o) in is_entity:
                    G.add_edge(s, _key(o), key=p, predicate=p, label=index.label(p, _local(p)))
    _unify_types(G)
    return G


def _evidence(index: _Index, s: str) -> dict[str, Value]:
    """start, end and quote of the fact's first evidence span (oa: Web Annotation), with the
    words of its sentence before and after the quote (oa:prefix, oa:suffix)."""
    spans: list[tuple[int, str, dict[str, Value]]] = []
    for ev in index.props[s].get(FZ_NS + "evidence", ()):
        for target in index.props.get(_key(ev), {}).get(OA_NS + "hasTarget", ()):
            found: dict[str, Value] = {}
            for sel in index.props.get(_key(target), {}).get(OA_NS + "hasSelector", ()):
                for name, local in (
                    ("start", "start"),
                    ("end", "end"),
                    ("quote", "exact"),
                    ("prefix", "prefix"),
                    ("suffix", "suffix"),
                ):
                    value = index.literal(_key(sel), OA_NS + local)
                    if value is not None:
                        found[name] = value
            start = found.get("start")
            spans.append((start if isinstance(start, int) else 2**63, str(found), found))
    return min(spans, key=lambda span: span[:2])[2] if spans else {}


def _attributes(
    index: _Index, s: str, names: dict[str, str], is_entity: set[str]
) -> dict[str, Value]:
    props = index.props[s]
    classes = index.classes(s)
    specific = sorted(c for c in classes if not any(c in index.ancestors(o) for o in classes))
    zh_labels = [
        o for o in props.get(RDFS_LABEL, ()) if isinstance(o, ox.Literal) and o.language == "zh"
    ]
    zh = [o.value for o in zh_labels]
    title = [o.value for o in props.get(TITLE, ()) if isinstance(o, ox.Literal)]
    attrs: dict[str, Value] = {
        "label": SEP.join(sorted(zh or title)) or _local(s),
        "family": _local(specific[0]),
    }
    if index.reports.get(s):
        attrs["report"] = SEP.join(sorted(index.reports[s]))
    path = index.literal(s, FZ_NS + "path")
    section = index.first(s, FZ_NS + "inSection")
    if path is None and section is not None:
        path = index.literal(_key(section), FZ_NS + "path")
    if path is not None:
        attrs["section"] = path
    attrs.update(_evidence(index, s))
    extra: dict[str, list[tuple[tuple[int, str, str, str], Value]]] = defaultdict(list)
    for p, objects in props.items():
        for o in objects:
            if p in (RDF_TYPE, FZ_NS + "evidence") or (p == RDFS_LABEL and o in zh_labels):
                continue
            if isinstance(o, ox.Literal):
                lang = f"_{o.language}" if o.language and o.language != "zh" else ""
                extra[names[p] + lang].append((term_key(o), _python(o)))
            elif _key(o) not in is_entity:
                extra[names[p]].append((term_key(o), index.label(_key(o), _key(o))))
    for name, values in sorted(extra.items()):
        values.sort()
        attrs[name] = values[0][1] if len(values) == 1 else SEP.join(str(v) for _, v in values)
    return attrs


def _unify_types(G: nx.MultiDiGraph) -> None:
    """Give every node attribute one type across nodes: int, float (ints widened) or str."""
    kinds: dict[str, set[type]] = defaultdict(set)
    for _, data in G.nodes(data=True):
        for k, v in data.items():
            kinds[k].add(type(v))
    for _, data in G.nodes(data=True):
        for k, v in data.items():
            if str in kinds[k]:
                data[k] = str(v)
            elif float in kinds[k]:
                data[k] = float(v)
