"""Validate report graphs against ontology/shapes.ttl with pySHACL (the reference validator).

Each report graph is validated on its own, with the ontology and SKOS vocabulary mixed in as the
ontology graph (so `sh:class` constraints on concepts and superclasses resolve).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from rdflib import RDF, Graph, Literal, Namespace, URIRef

from fazhi_kg.rdfio.load import GraphFile, only_rdf11, read_graphs
from fazhi_kg.resources import ontology_dir

SH = Namespace("http://www.w3.org/ns/shacl#")
OA_NS = "http://www.w3.org/ns/oa#"
OA_EXACT = URIRef(OA_NS + "exact")


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
    section: str | None = None
    context: str | None = None  # the quote's sentence, the quote marked 【】


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


def validate_file(graph_file: GraphFile, *, engine: str = "fast") -> Report:
    """Validate the union of the graphs of one graph file (`fazhi_kg.rdfio.load`)."""
    triples = graph_file.triples()
    only_rdf11(triples, "validate")
    if engine == "fast":
        import pyoxigraph as ox

        return validate_ntriples(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
    from fazhi_kg.rdfio.terms import to_rdflib_graph

    return validate_graph(to_rdflib_graph(triples), engine=engine)


FZ_NS = "https://w3id.org/fazhi/ontology#"
ENGINES = ("fast", "pyshacl")


@dataclass(frozen=True)
class SparqlConstraint:
    """A SHACL-SPARQL constraint of a node shape, with what it needs to run on its own."""

    shape: URIRef
    constraint: URIRef
    targets: tuple[tuple[URIRef, URIRef], ...]  # (sh:targetClass | …, value)
    severity: URIRef
    messages: tuple[Literal, ...]
    select: str


@cache
def _split_shapes() -> tuple[Graph, tuple[SparqlConstraint, ...]]:
    """The shapes graph without its SPARQL-based constraints, and those constraints."""
    full = shapes_graph()
    core = Graph()
    for t in full:
        if t[1] != SH.sparql:
            core.add(t)
    constraints = []
    for shape, node in sorted(
        full.subject_objects(SH.sparql), key=lambda x: (str(x[0]), str(x[1]))
    ):
        assert isinstance(shape, URIRef) and isinstance(node, URIRef)
        targets = tuple(
            (kind, value)
            for kind in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
            for value in sorted(full.objects(shape, kind), key=str)
            if isinstance(value, URIRef)
        )
        prefixes = "".join(
            f"PREFIX {full.value(d, SH.prefix)}: <{full.value(d, SH.namespace)}>\n"
            for decl in full.objects(node, SH.prefixes)
            for d in sorted(
                full.objects(decl, SH.declare), key=lambda d: str(full.value(d, SH.prefix))
            )
        )
        severity = full.value(shape, SH.severity) or SH.Violation  # severity belongs to shapes
        assert isinstance(severity, URIRef)
        constraints.append(
            SparqlConstraint(
                shape=shape,
                constraint=node,
                targets=targets,
                severity=severity,
                messages=tuple(m for m in full.objects(node, SH.message) if isinstance(m, Literal)),
                select=prefixes + str(full.value(node, SH.select)),
            )
        )
    return core, tuple(constraints)


def _target_pattern(kind: URIRef, value: URIRef) -> str:
    if kind == SH.targetClass:
        return f"?this a/<{RDFS_SUBCLASS}>* <{value}> ."
    if kind == SH.targetSubjectsOf:
        return f"?this <{value}> ?shaclTargetObject ."
    if kind == SH.targetObjectsOf:
        return f"?shaclTargetSubject <{value}> ?this ."
    return f"VALUES ?this {{ <{value}> }}"


RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"


def _sparql_results(query: Callable[[str], Any], constraints: Sequence[SparqlConstraint]) -> Graph:
    """Evaluate SPARQL-based constraints once per graph on Oxigraph: each constraint's SELECT
    with `$this` ranging over all its targets at once, instead of once per focus node."""
    import pyoxigraph as ox

    out = Graph()
    for c in constraints:
        body = re.sub(r"\$this\b", "?this", c.select)
        for kind, target in c.targets:
            q = re.sub(r"WHERE\s*\{", "WHERE { " + _target_pattern(kind, target), body, count=1)
            # DISTINCT over the projection: pySHACL reports each (focus, value) once
            q = re.sub(r"^(\s*)SELECT\s+\?this", r"\1SELECT DISTINCT ?this", q, count=1, flags=re.M)
            solutions = query(q)
            assert isinstance(solutions, ox.QuerySolutions)
            names = [v.value for v in solutions.variables]
            for row in solutions:
                bound = {n: row[n] for n in names if row[n] is not None}
                focus = _to_rdflib(bound["this"])
                value = _to_rdflib(bound["value"]) if "value" in bound else None
                key = f"{c.constraint}|{focus}|{value}"
                r = URIRef(f"urn:fazhi:result:{hashlib.sha1(key.encode()).hexdigest()}")
                out.add((r, RDF.type, SH.ValidationResult))
                out.add((r, SH.focusNode, focus))
                out.add((r, SH.resultSeverity, c.severity))
                out.add((r, SH.sourceShape, c.shape))
                out.add((r, SH.sourceConstraint, c.constraint))
                out.add((r, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
                if value is not None:
                    out.add((r, SH.value, value))
                for m in c.messages:
                    text = str(m)
                    for n, term in bound.items():
                        text = text.replace("{?" + n + "}", term.value).replace(
                            "{$" + n + "}", term.value
                        )
                    out.add((r, SH.resultMessage, Literal(text, lang=m.language)))
    return out


def _to_rdflib(term: Any) -> Any:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    from rdflib import BNode

    return BNode(term.value)


def validate_graph(data: Graph, *, engine: str = "fast") -> Report:
    """Validate one data graph against the shapes.

    `pyshacl` runs every shape in pySHACL (the reference). `fast` compiles the core shapes to
    SPARQL (`fazhi_kg.validate.compiled`) and runs them and each SPARQL-based constraint once per graph
    on Oxigraph; a differential test holds the two to the same results.
    """
    if engine == "fast":
        return validate_ntriples(data.serialize(format="nt", encoding="utf-8"))
    return _pyshacl(data, shapes_graph())


def _pyshacl(data: Graph, shacl: Graph) -> Report:
    import pyshacl

    _, report_graph, _ = pyshacl.validate(
        data,
        shacl_graph=shacl,
        ont_graph=ontology_graph(),
        inference="none",
        abort_on_first=False,
        allow_infos=True,
        allow_warnings=True,
        advanced=True,
    )
    assert isinstance(report_graph, Graph)
    return _report(report_graph, _rdflib_evidence(data))


def validate_ntriples(data: bytes, *, engine: str = "fast") -> Report:
    """Validate one graph given as N-Triples (as a corpus store dumps it) without parsing it into
    rdflib on the fast path."""
    from fazhi_kg.validate.compiled import Unsupported

    core, constraints = _split_shapes()
    checks = None
    if engine == "fast":
        try:
            checks = _fast_checks()
        except Unsupported as exc:
            import warnings

            warnings.warn(
                f"The fast SHACL engine cannot run ontology/shapes.ttl ({exc}); "
                "validating with pySHACL instead, which is much slower.",
                RuntimeWarning,
                stacklevel=2,
            )
    if checks is None:
        g = Graph()
        g.parse(data=data, format="nt")
        if engine != "fast":
            return _pyshacl(g, shapes_graph())
        rep = _pyshacl(g, core)
        ws = _workspace(data)
        extra = _sparql_results(lambda q: ws.query(q, rdflib_view=False), constraints)
        return _report(rep.graph + extra, _rdflib_evidence(g))
    ws = _workspace(data)
    graph = _fast_report(ws, checks)
    graph += _sparql_results(lambda q: ws.query(q, rdflib_view=False), constraints)
    return _report(graph, _store_evidence(ws))


@cache
def _fast_checks() -> tuple[Any, ...]:
    from fazhi_kg.validate.compiled import compile_shapes

    return compile_shapes(_split_shapes()[0])


@cache
def _ontology_ntriples() -> tuple[bytes, bytes]:
    from fazhi_kg.validate.compiled import encode_ntriples

    nt = ontology_graph().serialize(format="nt", encoding="utf-8")
    return nt, encode_ntriples(nt)


def _workspace(data: bytes) -> Any:
    """An Oxigraph store with the data graph and the ontology (fazhi_kg.validate.compiled)."""
    from fazhi_kg.validate.compiled import Workspace

    return Workspace(data, *_ontology_ntriples())


def _fast_report(ws: Any, checks: tuple[Any, ...]) -> Graph:
    """The SHACL validation report of the compiled core checks, as pySHACL would write it."""
    from fazhi_kg.validate.compiled import run_checks

    shapes = shapes_graph()
    out = Graph()
    report = URIRef("urn:fazhi:validation-report")
    out.add((report, RDF.type, SH.ValidationReport))
    conforms = True
    for c, focus, value in run_checks(checks, lambda q: ws.query(q, rdflib_view=True)):
        key = f"{c.shape}|{c.component}|{focus.n3()}|{'' if value is None else value.n3()}"
        r = URIRef(f"urn:fazhi:result:{hashlib.sha1(key.encode()).hexdigest()}")
        out.add((report, SH.result, r))
        out.add((r, RDF.type, SH.ValidationResult))
        out.add((r, SH.focusNode, focus))
        out.add((r, SH.resultSeverity, c.severity))
        out.add((r, SH.sourceShape, c.shape))
        out.add((r, SH.sourceConstraintComponent, SH[c.component]))
        if value is not None:
            out.add((r, SH.value, value))
        if c.path is not None:
            out.add((r, SH.resultPath, c.path))
            _copy_path(shapes, c.path, out)
        for m in c.messages:
            out.add((r, SH.resultMessage, m))
        conforms = conforms and c.severity != SH.Violation
    out.add((report, SH.conforms, Literal(conforms)))
    return out


def _copy_path(shapes: Graph, node: Any, out: Graph) -> None:
    from rdflib import BNode

    if isinstance(node, BNode):
        for p, o in shapes.predicate_objects(node):
            out.add((node, p, o))
            _copy_path(shapes, o, out)


Evidence = Callable[[Any], tuple[str | None, str | None, str | None]]


def _rdflib_evidence(data: Graph) -> Evidence:
    """The quote, section path and quote-in-context of a focus node, from an rdflib graph."""

    def evidence(focus: Any) -> tuple[str | None, str | None, str | None]:
        quote = section = context = None
        for ev in sorted(data.objects(focus, URIRef(FZ_NS + "evidence")), key=str):
            exact = data.value(URIRef(f"{ev}/quote"), OA_EXACT)
            if exact is not None:
                quote = str(exact)
                before = data.value(URIRef(f"{ev}/quote"), URIRef(OA_NS + "prefix"))
                after = data.value(URIRef(f"{ev}/quote"), URIRef(OA_NS + "suffix"))
                if (before or after) and len(quote) < 40:
                    context = f"{before or ''}【{quote}】{after or ''}"
                break
        sec = data.value(focus, URIRef(FZ_NS + "inSection"))
        if sec is not None:
            section = str(data.value(sec, URIRef(FZ_NS + "path")) or "") or None
        return quote, section, context

    return evidence


def _store_evidence(ws: Any) -> Evidence:
    """The same as `_rdflib_evidence`, read from the data graph of a fast-engine workspace."""
    import pyoxigraph as ox
    from rdflib import BNode

    def first(subject: Any, predicate: str) -> Any:
        found = ws.objects(subject, predicate)
        return found[0] if found else None

    def evidence(focus: Any) -> tuple[str | None, str | None, str | None]:
        quote = section = context = None
        if isinstance(focus, URIRef):
            node: Any = ox.NamedNode(str(focus))
        elif isinstance(focus, BNode):
            node = ox.BlankNode(str(focus))
        else:
            return None, None, None
        for ev in ws.objects(node, FZ_NS + "evidence"):
            if not isinstance(ev, ox.NamedNode):
                continue
            q = ox.NamedNode(f"{ev.value}/quote")
            exact = first(q, OA_NS + "exact")
            if exact is not None:
                quote = str(exact.value)
                before, after = first(q, OA_NS + "prefix"), first(q, OA_NS + "suffix")
                if (before or after) and len(quote) < 40:
                    b = before.value if before is not None else ""
                    a = after.value if after is not None else ""
                    context = f"{b}【{quote}】{a}"
                break
        sec = first(node, FZ_NS + "inSection")
        if sec is not None:
            path = first(sec, FZ_NS + "path")
            section = (str(path.value) if path is not None else "") or None
        return quote, section, context

    return evidence


def _report(report_graph: Graph, evidence: Evidence) -> Report:
    results = []
    for r in sorted(report_graph.subjects(RDF.type, SH.ValidationResult), key=str):
        if (None, SH.detail, r) in report_graph:
            continue  # a nested detail: its parent result reports the same focus node

        def one(p: URIRef, r: Any = r) -> str | None:
            v = report_graph.value(r, p)
            return None if v is None else str(v)

        messages: dict[str, str] = {}
        for m in sorted(report_graph.objects(r, SH.resultMessage), key=str):
            lang = m.language if isinstance(m, Literal) and m.language else "en"
            messages.setdefault(lang, str(m))
        focus = report_graph.value(r, SH.focusNode)
        quote, section, context = evidence(focus) if focus is not None else (None, None, None)
        path = report_graph.value(r, SH.resultPath)
        results.append(
            Result(
                severity=(one(SH.resultSeverity) or "").rsplit("#", 1)[-1],
                focus=str(focus),
                path=str(path) if isinstance(path, URIRef) else None,
                value=one(SH.value),
                constraint=(one(SH.sourceConstraintComponent) or "").rsplit("#", 1)[-1],
                shape=one(SH.sourceShape) or "",
                messages=messages,
                quote=quote,
                section=section,
                context=context,
            )
        )
    rank = {"Violation": 0, "Warning": 1, "Info": 2}
    results.sort(
        key=lambda x: (rank.get(x.severity, 3), x.shape, x.focus, x.constraint, x.value or "")
    )
    conforms = not any(r.severity == "Violation" for r in results)
    return Report(conforms=conforms, results=tuple(results), graph=report_graph)


def validate_files(paths: Sequence[str | Path], *, engine: str = "fast") -> Report:
    """Validate each graph file on its own and merge the results."""
    results: list[Result] = []
    merged = Graph()
    for graph_file in read_graphs(paths):
        rep = validate_file(graph_file, engine=engine)
        results.extend(rep.results)
        merged += rep.graph
    conforms = not any(r.severity == "Violation" for r in results)
    return Report(conforms=conforms, results=tuple(results), graph=merged)


def render_text(rep: Report, *, lang: str = "en") -> str:
    """A status line, then the results grouped by constraint, each with its message, section and
    the quote it concerns."""
    v, w, n = rep.count("Violation"), rep.count("Warning"), rep.count("Info")
    if lang == "zh":
        lines = [f"{'符合' if rep.conforms else '不符合'}：违规 {v} 项，警告 {w} 项，提示 {n} 项。"]
    else:
        state = "Conforms" if rep.conforms else "Does not conform"
        lines = [f"{state}: {v} violations, {w} warnings, {n} notes."]
    groups: dict[tuple[str, str, str], list[Result]] = {}
    for r in rep.results:
        groups.setdefault((r.severity, r.shape.rsplit("#", 1)[-1], r.constraint), []).append(r)
    rank = {"Violation": 0, "Warning": 1, "Info": 2}
    for (severity, shape, component), rs in sorted(
        groups.items(), key=lambda g: (rank.get(g[0][0], 3), g[0][1], g[0][2])
    ):
        lines.append("")
        lines.append(f"{severity} · {shape} ({component}) · {len(rs)}")
        for r in rs:
            msg = r.messages.get(lang) or next(iter(r.messages.values()), "")
            where = f" [{r.section}]" if r.section else ""
            lines.append(f"  {r.focus}{where}: {msg}")
            if r.quote:
                lines.append(f"    “{r.context or r.quote}”")
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
