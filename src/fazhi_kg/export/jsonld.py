"""JSON-LD 1.1 of the dataset, compacted with the project's own context (ontology/context.jsonld).

The context is embedded in the document, never referenced by URL, so readers need no network. Keys
are the context's terms (`label`, `report`, `evidence` …) wherever a term's coercion fits every
value; anything else falls back to a compact IRI key with explicit value objects, so expanding the
document (https://www.w3.org/TR/json-ld11-api/#expansion) gives back exactly the dataset's quads.
Typed values stay strings ("18000" with the term's xsd:integer) to keep their lexical form.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from itertools import groupby
from typing import IO, Any

import pyoxigraph as ox

from fazhi_kg.export.dataset import Dataset, Term
from fazhi_kg.iris import RDF, XSD
from fazhi_kg.resources import ontology_dir

RDF_TYPE = RDF + "type"
XSD_STRING = XSD + "string"
_GEN_DELIMS = tuple(":/?#[]@")


@dataclass(frozen=True)
class _Term:
    name: str
    iri: str
    type: str | None  # "@id", "@vocab" or a datatype IRI
    language: str | None
    container: str | None

    @property
    def plain(self) -> bool:
        return self.type is None and self.language is None and self.container is None


@dataclass(frozen=True)
class _Context:
    raw: Mapping[str, Any]
    prefixes: tuple[tuple[str, str], ...]  # (namespace, prefix), longest namespace first
    by_iri: Mapping[str, tuple[_Term, ...]]  # property IRI → terms, best fit first
    vocab: Mapping[str, str]  # IRI → term usable where vocabulary expansion applies


@cache
def context() -> _Context:
    """The project's JSON-LD context, read from ontology/context.jsonld."""
    raw = json.loads((ontology_dir() / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    prefixes = {
        v: k
        for k, v in raw.items()
        if isinstance(v, str) and not k.startswith("@") and v.endswith(_GEN_DELIMS)
    }

    def expand(value: str) -> str:
        head, sep, tail = value.partition(":")
        if sep and head in raw and isinstance(raw[head], str) and not tail.startswith("//"):
            return f"{raw[head]}{tail}"
        return value

    terms: list[_Term] = []
    for name, d in raw.items():
        if name.startswith("@") or (isinstance(d, str) and (d.startswith("@") or d in prefixes)):
            continue
        if isinstance(d, str):
            terms.append(_Term(name, expand(d), None, None, None))
        else:
            kind = d.get("@type")
            kind = kind if kind in (None, "@id", "@vocab") else expand(kind)
            terms.append(
                _Term(name, expand(d["@id"]), kind, d.get("@language"), d.get("@container"))
            )
    by_iri: dict[str, list[_Term]] = defaultdict(list)
    for t in sorted(terms, key=lambda t: (t.plain, t.container is not None, t.name)):
        by_iri[t.iri].append(t)
    vocab: dict[str, str] = {}
    for t in sorted(terms, key=lambda t: (len(t.name), t.name)):
        if t.plain:
            vocab.setdefault(t.iri, t.name)
    return _Context(
        raw=raw,
        prefixes=tuple(sorted(prefixes.items(), key=lambda kv: (-len(kv[0]), kv[1]))),
        by_iri={k: tuple(v) for k, v in by_iri.items()},
        vocab=vocab,
    )


def _iri(ctx: _Context, term: ox.NamedNode | ox.BlankNode, *, vocab: bool) -> str:
    """Compact an IRI: a term (where vocabulary expansion applies), a compact IRI, or as is."""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    iri = term.value
    if vocab and iri in ctx.vocab:
        return ctx.vocab[iri]
    for ns, prefix in ctx.prefixes:
        if iri.startswith(ns) and not iri[len(ns) :].startswith("//"):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def _fits(t: _Term, o: Term) -> bool:
    if t.container == "@language":
        return isinstance(o, ox.Literal) and bool(o.language)
    if t.type in ("@id", "@vocab"):
        return isinstance(o, ox.NamedNode) or (t.type == "@id" and isinstance(o, ox.BlankNode))
    if t.type is not None:
        return isinstance(o, ox.Literal) and not o.language and o.datatype.value == t.type
    if t.language is not None:
        return isinstance(o, ox.Literal) and (o.language or "").lower() == t.language.lower()
    return True


def _value(ctx: _Context, t: _Term | None, o: Term) -> Any:
    """The compacted form of one value under term `t` (None: a compact IRI key, no coercion)."""
    if isinstance(o, ox.Literal):
        if t is not None and not t.plain:
            return o.value
        if o.language:
            return {"@value": o.value, "@language": o.language}
        if o.datatype.value == XSD_STRING:
            return o.value
        return {"@value": o.value, "@type": _iri(ctx, o.datatype, vocab=True)}
    assert not isinstance(o, ox.Triple)
    if t is not None and t.type in ("@id", "@vocab"):
        return _iri(ctx, o, vocab=t.type == "@vocab")
    return {"id": _iri(ctx, o, vocab=False)}


def _one_or_many(values: list[Any]) -> Any:
    return values[0] if len(values) == 1 else values


def _node(ctx: _Context, subject: ox.NamedNode | ox.BlankNode, triples: Iterable[ox.Triple]) -> Any:
    keyed: dict[str, list[Any]] = defaultdict(list)
    maps: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    types: list[str] = []
    for predicate, group in groupby(triples, key=lambda t: t.predicate.value):
        objects = [o for o in (t.object for t in group) if not isinstance(o, ox.Triple)]
        nodes = [o for o in objects if isinstance(o, ox.NamedNode | ox.BlankNode)]
        if predicate == RDF_TYPE and len(nodes) == len(objects):
            types = [_iri(ctx, o, vocab=True) for o in nodes]
            continue
        candidates = ctx.by_iri.get(predicate, ())
        whole = next((t for t in candidates if all(_fits(t, o) for o in objects)), None)
        for o in objects:
            t = whole or next((c for c in candidates if _fits(c, o)), None)
            if t is not None and t.container == "@language":
                assert isinstance(o, ox.Literal) and o.language
                maps[t.name][o.language].append(o.value)
            else:
                key = t.name if t else _iri(ctx, ox.NamedNode(predicate), vocab=True)
                keyed[key].append(_value(ctx, t, o))
    node: dict[str, Any] = {"id": _iri(ctx, subject, vocab=False)}
    if types:
        node["type"] = _one_or_many(sorted(types))
    for key in sorted(keyed.keys() | maps.keys()):
        if key in maps:
            node[key] = {lang: _one_or_many(v) for lang, v in sorted(maps[key].items())}
        else:
            node[key] = _one_or_many(keyed[key])
    return node


def _nodes(ctx: _Context, quads: Iterable[ox.Quad]) -> list[Any]:
    out = []
    for subject, group in groupby(quads, key=lambda q: q.subject):
        assert not isinstance(subject, ox.Triple)
        out.append(_node(ctx, subject, [q.triple for q in group]))
    return out


def document(ds: Dataset) -> dict[str, Any]:
    """The dataset as one compacted JSON-LD document: the context, then one object per graph."""
    ctx = context()
    graphs: list[Any] = []
    for name, group in groupby(ds.quads, key=lambda q: q.graph_name):
        quads = list(group)
        if isinstance(name, ox.DefaultGraph):
            graphs.extend(_nodes(ctx, quads))
        else:
            graphs.append({"id": _iri(ctx, name, vocab=False), "@graph": _nodes(ctx, quads)})
    return {"@context": ctx.raw, "@graph": graphs}


def write_jsonld(ds: Dataset, fh: IO[bytes]) -> None:
    """Every graph, ontology included, as compacted JSON-LD (UTF-8, Chinese unescaped)."""
    text = json.dumps(document(ds), ensure_ascii=False, indent=2)
    fh.write(text.encode("utf-8") + b"\n")
