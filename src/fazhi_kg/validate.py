"""Validate report graphs against ontology/shapes.ttl with pySHACL (the reference validator).

Each report graph is validated on its own, with the ontology and SKOS vocabulary mixed in as the
ontology graph (so `sh:class` constraints on concepts and superclasses resolve).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from rdflib import RDF, Graph, Literal, Namespace, URIRef

from fazhi_kg.errors import InputError
from fazhi_kg.resources import ontology_dir

SH = Namespace("http://www.w3.org/ns/shacl#")
OA_EXACT = URIRef("http://www.w3.org/ns/oa#exact")


@dataclass(frozen=True)
class Result:
    """One validation result, with the text evidence of its focus node where it has one."""

    severity: str
    focus: str
    path: str | None
    value: str | None
    constraint: str
    shape: str
    messages: dict[str, str]
    quote: str | None


@dataclass(frozen=True)
class Report:
    """The outcome of validating one or more graphs."""

    conforms: bool
    results: tuple[Result, ...]
    graph: Graph

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)


@cache
def shapes_graph() -> Graph:
    g = Graph()
    g.parse(ontology_dir() / "shapes.ttl", format="turtle")
    return g


@cache
def ontology_graph() -> Graph:
    g = Graph()
    for name in ("fazhi.ttl", "vocab.ttl"):
        g.parse(ontology_dir() / name, format="turtle")
    return g


_FORMATS = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".xml": "xml",
    ".owl": "xml",
    ".n3": "n3",
}


def load_graph(path: str | Path) -> Graph:
    """Parse one RDF file (format from its extension); raises `InputError` on bad input."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"Graph file {p} does not exist; check the path or run `fazhi build`.")
    fmt = _FORMATS.get(p.suffix.lower())
    if fmt is None:
        raise InputError(
            f"Cannot tell the RDF syntax of {p} from its extension; use one of "
            f"{', '.join(sorted(_FORMATS))}."
        )
    g = Graph()
    try:
        if fmt in ("nquads", "trig"):
            from rdflib import Dataset

            ds = Dataset()
            ds.parse(p, format=fmt)
            for t in ds.triples((None, None, None)):
                g.add(t)
        else:
            g.parse(p, format=fmt)
    except Exception as exc:  # rdflib raises many types; all mean the file is not valid RDF
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"{p} is not valid {fmt}: {first}; fix the file or rebuild it.") from exc
    return g


def validate_graph(data: Graph) -> Report:
    """Validate one data graph against the shapes."""
    import pyshacl

    conforms, report_graph, _ = pyshacl.validate(
        data,
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference="none",
        abort_on_first=False,
        allow_infos=True,
        allow_warnings=True,
        advanced=True,
    )
    results = []
    for r in sorted(report_graph.subjects(RDF.type, SH.ValidationResult), key=str):

        def one(p: URIRef, r: Any = r) -> str | None:
            v = report_graph.value(r, p)
            return None if v is None else str(v)

        messages: dict[str, str] = {}
        for m in report_graph.objects(r, SH.resultMessage):
            lang = m.language if isinstance(m, Literal) and m.language else "en"
            messages.setdefault(lang, str(m))
        focus = report_graph.value(r, SH.focusNode)
        quote = None
        if focus is not None:
            for ev in data.objects(focus, URIRef("https://w3id.org/fazhi/ontology#evidence")):
                exact = data.value(URIRef(f"{ev}/quote"), OA_EXACT)
                if exact is not None:
                    quote = str(exact)
                    break
        severity = (one(SH.resultSeverity) or "").rsplit("#", 1)[-1]
        results.append(
            Result(
                severity=severity,
                focus=str(focus),
                path=one(SH.resultPath),
                value=one(SH.value),
                constraint=(one(SH.sourceConstraintComponent) or "").rsplit("#", 1)[-1],
                shape=one(SH.sourceShape) or "",
                messages=messages,
                quote=quote,
            )
        )
    conforms = not any(r.severity == "Violation" for r in results)
    return Report(conforms=conforms, results=tuple(results), graph=report_graph)


def validate_files(paths: Sequence[str | Path]) -> Report:
    """Validate each graph file on its own and merge the results."""
    results: list[Result] = []
    merged = Graph()
    for p in paths:
        rep = validate_graph(load_graph(p))
        results.extend(rep.results)
        merged += rep.graph
    conforms = not any(r.severity == "Violation" for r in results)
    return Report(conforms=conforms, results=tuple(results), graph=merged)


def render_text(rep: Report, *, lang: str = "en") -> str:
    """Results grouped by constraint, each with its message and the quote it concerns."""
    if not rep.results:
        return (
            "Conforms: no violations, warnings or notes."
            if lang == "en"
            else "符合：没有违规、警告或提示。"
        )
    groups: dict[tuple[str, str], list[Result]] = {}
    for r in rep.results:
        groups.setdefault((r.severity, r.constraint), []).append(r)
    lines = []
    for (severity, constraint), rs in sorted(groups.items()):
        lines.append(f"{severity} · {constraint} · {len(rs)}")
        for r in rs:
            msg = r.messages.get(lang) or next(iter(r.messages.values()), "")
            where = f" [{r.path.rsplit('#', 1)[-1].rsplit('/', 1)[-1]}]" if r.path else ""
            lines.append(f"  {r.focus}{where}: {msg}")
            if r.quote:
                lines.append(f"    “{r.quote}”")
    v, w, i = rep.count("Violation"), rep.count("Warning"), rep.count("Info")
    lines.append(
        f"{v} violations, {w} warnings, {i} notes."
        if lang == "en"
        else f"违规 {v} 项，警告 {w} 项，提示 {i} 项。"
    )
    return "\n".join(lines)


def render_json(rep: Report) -> str:
    return json.dumps(
        {
            "conforms": rep.conforms,
            "results": [r.__dict__ for r in rep.results],
        },
        ensure_ascii=False,
        indent=2,
    )
