"""Facts → RDF: one named graph per report, deterministic IRIs, Web Annotation evidence.

The model is docs/model.md. No blank nodes: every node has an IRI derived from the report id and
the fact (its span, or a hash of its name), so rebuilding gives the same graph. The mapping only
maps: levels, links and names were decided by extraction (`fazhi_kg.extract.link`), and every
term written is one of the closed vocabularies of `fazhi_kg.iris`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from fazhi_kg.facts import Facts, Indicator, Ref, Span
from fazhi_kg.iris import DCTERMS, FZ, ID_NS, OA, RDF, RDFS, SKOS, XSD, division_iri, report_iri
from fazhi_kg.rdf.ntriples import (
    Triples,
    canonical_ntriples,
    plain,
    to_rdflib,
    turtle,
    typed,
    zh,
)

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = [
    "Triples",
    "canonical_ntriples",
    "facts_to_graph",
    "facts_to_triples",
    "to_rdflib",
    "turtle",
]

TYPE = RDF + "type"
LABEL = RDFS + "label"
TITLE = DCTERMS + "title"

_LEVELS = {
    "national": FZ.National,
    "provincial": FZ.Provincial,
    "municipal": FZ.Municipal,
    "county": FZ.County,
    "township": FZ.Township,
    "unknown": FZ.UnknownLevel,
}
_PLACE_LEVELS = {
    "province": FZ.Provincial,
    "city": FZ.Municipal,
    "county": FZ.County,
    "township": FZ.Township,
}
_PARTS = {
    "duties": FZ.DutiesPart,
    "measures": FZ.MeasuresPart,
    "problems": FZ.ProblemsPart,
    "plans": FZ.PlansPart,
    "other": FZ.OtherPart,
}
_QUALIFIERS = {
    "余": FZ.MoreThan,
    "近": FZ.Nearly,
    "以上": FZ.AtLeast,
    "约": FZ.About,
    "达到": FZ.Reaching,
    "超过": FZ.Exceeding,
    "累计": FZ.Cumulative,
    "前": FZ.Top,
    "不少于": FZ.NotLessThan,
    "仅": FZ.Only,
}
_DIRECTIONS = {"increase": FZ.Increase, "decrease": FZ.Decrease}
_KINDS = {
    "制度": FZ.SystemKind,
    "机制": FZ.MechanismKindMechanism,
    "模式": FZ.ModelKind,
    "平台": FZ.PlatformKind,
    "清单": FZ.ListKind,
    "专栏": FZ.ColumnKind,
    "通道": FZ.ChannelKind,
    "程序": FZ.ProcedureKind,
    "行动": FZ.ActionKind,
    "服务": FZ.ServiceKind,
}


def mechanism_kind(kind: str | None) -> str | None:
    """The IRI of a mechanism's kind (制度, 机制, 平台 …) in its graph, None for none."""
    return _KINDS.get(kind) if kind is not None else None


_INDICATOR_CLASS = {
    "count": FZ.Count,
    "percentage": FZ.Percentage,
    "rate": FZ.Rate,
    "amount": FZ.Amount,
    "change": FZ.Change,
}
# families whose nodes are named by the fact's name (one node per name) or by its span
_NAMED = {"institutions": "institution", "mechanisms": "mechanism", "persons": "person"}
_SPANNED = {
    "duties": "duty",
    "cases": "case",
    "awards": "award",
    "problems": "problem",
    "plans": "plan",
    "indicators": "indicator",
}
_SENTENCE_END = "。;；!！?？\n"
CONTEXT = 60


class Source(Protocol):
    """The report text as evidence shows it (`fazhi_kg.text.read.SourceText` is one): the text of
    an original-offset range, and the rest of its sentence around it."""

    def exact(self, start: int, end: int) -> str: ...

    def around(self, start: int, end: int) -> tuple[str, str]: ...


class PlainText:
    """A plain text as a `Source`: characters are their own text."""

    def __init__(self, text: str) -> None:
        self.text = text

    def exact(self, start: int, end: int) -> str:
        return self.text[start:end]

    def around(self, start: int, end: int) -> tuple[str, str]:
        return _sentence_context(self.text, Span(start, end))


def _h(s: str) -> str:
    return hashlib.sha1(s.encode("utf-8")).hexdigest()[:12]


def _node_iris(facts: Facts, rid: str) -> dict[str, list[str]]:
    """The IRI of every fact node, by family, in fact order: `id:<rid>/<family>/<hash of name>`
    or `id:<rid>/<family>/<start>-<end>` (a second fact of one span gets `-2`)."""
    base = f"{ID_NS}{rid}"
    nodes: dict[str, list[str]] = {
        "sections": [f"{base}/section/{s.order}" for s in facts.sections],
        "documents": [f"{base}/document/{_h(d.title)}" for d in facts.documents],
    }
    for family, word in _NAMED.items():
        nodes[family] = [f"{base}/{word}/{_h(f.name)}" for f in getattr(facts, family)]
    for family, word in _SPANNED.items():
        taken: set[str] = set()
        iris = []
        for f in getattr(facts, family):
            first = iri = f"{base}/{word}/{f.span.start}-{f.span.end}"
            n = 1
            while iri in taken:
                n += 1
                iri = f"{first}-{n}"
            taken.add(iri)
            iris.append(iri)
        nodes[family] = iris
    return nodes


def _sentence_context(text: str, span: Span) -> tuple[str, str]:
    """The words of the quote's sentence before and after it, at most `CONTEXT` characters each."""
    start = max(text.rfind(c, 0, span.start) for c in _SENTENCE_END) + 1
    start = max(start, span.start - CONTEXT)
    ends = [e for e in (text.find(c, span.end) for c in _SENTENCE_END) if e >= 0]
    end = min([*ends, len(text), span.end + CONTEXT])
    if end < len(text) and text[end] in "。;；!！?？":
        end += 1
    return text[start : span.start].lstrip(), text[span.end : end].rstrip()


@dataclass
class _Graph:
    """The graph being written, with the report's IRI, text and fact nodes at hand."""

    g: Triples
    report: str
    source: Source
    nodes: dict[str, list[str]]
    sections: dict[str, str]

    def add(self, s: str, p: str, o: str) -> None:
        self.g.add(s, p, o)

    def node(self, ref: Ref) -> str:
        return self.nodes[ref.family][ref.index]

    def fact(self, node: str, cls: str, label: str, span: Span, section: str | None) -> None:
        """What every extracted node carries: class, label, report, section and evidence."""
        self.add(node, TYPE, cls)
        self.add(node, LABEL, zh(label))
        self.add(node, FZ.inReport, self.report)
        if section and section in self.sections:
            self.add(node, FZ.inSection, self.sections[section])
        self.evidence(node, span)

    def evidence(self, node: str, span: Span) -> None:
        """Where the fact is stated, as a Web Annotation with position and quote selectors."""
        ev = f"{node}/evidence"
        if (node, FZ.evidence, ev) in self.g:
            return
        target, pos, quote = f"{ev}/target", f"{ev}/position", f"{ev}/quote"
        add = self.add
        add(node, FZ.evidence, ev)
        add(ev, TYPE, OA.Annotation)
        add(ev, OA.hasBody, node)
        add(ev, OA.motivatedBy, OA.identifying)
        add(ev, OA.hasTarget, target)
        add(target, TYPE, OA.SpecificResource)
        add(target, OA.hasSource, self.report)
        add(target, OA.hasSelector, pos)
        add(target, OA.hasSelector, quote)
        add(pos, TYPE, OA.TextPositionSelector)
        add(pos, OA.start, typed(span.start, XSD + "nonNegativeInteger"))
        add(pos, OA.end, typed(span.end, XSD + "nonNegativeInteger"))
        add(quote, TYPE, OA.TextQuoteSelector)
        add(quote, OA.exact, plain(self.source.exact(span.start, span.end)))
        # the rest of the sentence, so a reader sees the quote in context (Web Annotation §4.2.4)
        before, after = self.source.around(span.start, span.end)
        if before:
            add(quote, OA.prefix, plain(before))
        if after:
            add(quote, OA.suffix, plain(after))


def _report(w: _Graph, facts: Facts, rid: str) -> None:
    """The report node, its metadata and the chain of places it reports on."""
    meta, report, add = facts.report, w.report, w.add
    add(report, TYPE, FZ.Report)
    add(report, TITLE, zh(meta.title))
    add(report, LABEL, zh(meta.title))
    add(report, DCTERMS + "identifier", plain(rid))
    add(report, FZ.textLength, typed(facts.text_length, XSD + "integer"))
    add(report, FZ.textSha256, plain(facts.text_sha256))
    if meta.year is not None:
        add(report, FZ.reportingYear, typed(meta.year, XSD + "integer"))
    if meta.published:
        add(report, DCTERMS + "issued", typed(meta.published[:10], XSD + "date"))
    if facts.excerpt:
        add(report, FZ.stopsEarly, typed("true", XSD + "boolean"))
    if meta.level:
        body = FZ.DepartmentBody if meta.level == "department" else FZ.GovernmentBody
        add(report, FZ.reportingBody, body)
    parent: str | None = None
    for place in meta.places:  # the division and its parents: one node per code, shared
        node = division_iri(place.code)
        add(node, TYPE, FZ.Jurisdiction)
        add(node, LABEL, zh(place.name))
        add(node, SKOS + "notation", plain(place.code))
        add(node, FZ.administrativeLevel, _PLACE_LEVELS[place.level])
        if parent is not None:
            add(node, FZ.parentJurisdiction, parent)
        parent = node
    if parent is not None:
        add(report, FZ.jurisdiction, parent)
    if meta.issuer:
        issuer = next((n for n, i in enumerate(facts.institutions) if i.name == meta.issuer), None)
        if issuer is not None:
            add(report, DCTERMS + "publisher", w.node(Ref("institutions", issuer)))


def _sections(w: _Graph, facts: Facts) -> None:
    for s in facts.sections:
        node = w.sections[s.path]
        w.fact(node, FZ.Section, s.title, s.span, None)
        w.add(node, TITLE, zh(s.title))
        w.add(node, FZ.path, plain(s.path))
        w.add(node, FZ.order, typed(s.order, XSD + "integer"))
        w.add(node, FZ.depth, typed(s.depth, XSD + "integer"))
        w.add(w.report, FZ.hasSection, node)
        if s.parent and s.parent in w.sections:
            w.add(node, FZ.parentSection, w.sections[s.parent])
        if s.part:
            w.add(node, FZ.servesPart, _PARTS[s.part])


def _entities(w: _Graph, facts: Facts) -> None:
    """Institutions, mechanisms, documents, persons and duties."""
    for inst, node in zip(facts.institutions, w.nodes["institutions"], strict=True):
        w.fact(node, FZ.Institution, inst.name, inst.span, inst.section)
        if inst.kind:
            w.add(node, FZ.institutionKind, plain(inst.kind))
    for mech, node in zip(facts.mechanisms, w.nodes["mechanisms"], strict=True):
        w.fact(node, FZ.Mechanism, mech.name, mech.span, mech.section)
        if mech.kind in _KINDS:
            w.add(node, FZ.mechanismKind, _KINDS[mech.kind])
        for ref in mech.institutions:
            w.add(node, FZ.relatedInstitution, w.node(ref))
    for doc, node in zip(facts.documents, w.nodes["documents"], strict=True):
        w.fact(node, FZ.Document, doc.title, doc.span, doc.section)
        w.add(node, TITLE, zh(doc.title))
    for person, node in zip(facts.persons, w.nodes["persons"], strict=True):
        w.fact(node, FZ.Person, person.name, person.span, person.section)
    for duty, node in zip(facts.duties, w.nodes["duties"], strict=True):
        w.fact(node, FZ.LeadershipDuty, duty.name, duty.span, duty.section)


def _cases_and_awards(w: _Graph, facts: Facts) -> None:
    for case, node in zip(facts.cases, w.nodes["cases"], strict=True):
        w.fact(node, FZ.Case, case.name, case.span, case.section)
        for ref in case.party_refs:
            w.add(node, FZ.party, w.node(ref))
        if case.concerns is not None:
            w.add(node, FZ.concerns, w.node(case.concerns))
        if case.recognized_by is not None:
            w.add(node, FZ.recognition, w.node(case.recognized_by))
    for award, node in zip(facts.awards, w.nodes["awards"], strict=True):
        cls = FZ.Recognition if award.recognition else FZ.Award
        w.fact(node, cls, award.title, award.span, award.section)
        w.add(node, TYPE, FZ.Award)  # recognitions too, so queries need no inference
        w.add(node, FZ.awardLevel, _LEVELS.get(award.level, FZ.UnknownLevel))
        if award.count is not None:
            w.add(node, FZ.count, typed(award.count, XSD + "integer"))
        if award.conferrer is not None:
            w.add(node, FZ.conferredBy, w.node(award.conferrer))
        if award.recipient:
            w.add(node, FZ.recipientLabel, zh(award.recipient))
        for ref in award.recipients:
            w.add(node, FZ.recipient, w.node(ref))


def _outline(w: _Graph, facts: Facts) -> None:
    """Problems and plans, with the problems each plan addresses."""
    for i, (prob, node) in enumerate(zip(facts.problems, w.nodes["problems"], strict=True)):
        w.fact(node, FZ.Problem, prob.summary, prob.span, prob.section)
        w.add(node, FZ.order, typed(i + 1, XSD + "integer"))
        for term in prob.focus:
            w.add(node, FZ.focusTerm, plain(term))
    for i, (plan, node) in enumerate(zip(facts.plans, w.nodes["plans"], strict=True)):
        w.fact(node, FZ.Plan, plan.summary, plan.span, plan.section)
        w.add(node, FZ.order, typed(i + 1, XSD + "integer"))
        terms = set(plan.focus) | {t for _, ts in plan.shared_terms for t in ts}
        for term in sorted(terms):
            w.add(node, FZ.focusTerm, plain(term))
        for j in plan.addresses:
            w.add(node, FZ.addresses, w.node(Ref("problems", j)))


def _value(ind: Indicator) -> str:
    if ind.kind == "count" and ind.value == ind.value.to_integral_value():
        return typed(int(ind.value), XSD + "integer")
    return typed(format(Decimal(ind.value), "f"), XSD + "decimal")  # rdflib's lexical form


def _indicators(w: _Graph, facts: Facts) -> None:
    nodes = w.nodes["indicators"]
    for ind, node in zip(facts.indicators, nodes, strict=True):
        for prop, link in (
            (FZ.partOf, ind.part_of),
            (FZ.numerator, ind.numerator),
            (FZ.denominator, ind.denominator),
        ):
            if link is not None:
                w.add(node, prop, nodes[link])
        w.fact(node, _INDICATOR_CLASS[ind.kind], ind.what or ind.stated, ind.span, ind.section)
        w.add(node, TYPE, FZ.Indicator)
        if ind.kind == "rate":  # a rate is a percentage too, so queries need no inference
            w.add(node, TYPE, FZ.Percentage)
        if ind.change in _DIRECTIONS:
            w.add(node, FZ.changeDirection, _DIRECTIONS[ind.change])
        w.add(node, FZ.value, _value(ind))
        w.add(node, FZ.unit, plain(ind.unit))
        w.add(node, FZ.measures, plain(ind.what or ind.stated))
        w.add(node, FZ.statedAs, plain(ind.stated))
        if ind.qualifier in _QUALIFIERS:
            w.add(node, FZ.qualifier, _QUALIFIERS[ind.qualifier])
        for ref in ind.about:
            w.add(node, FZ.about, w.node(ref))


def facts_to_triples(facts: Facts, text: str | Source, *, rid: str | None = None) -> Triples:
    """The triples of the report's named graph; `text` is the report (its `SourceText`, so that
    quotes from an HTML page are text, not markup) or a plain text."""
    rid = rid or facts.report.id
    if not rid:
        raise ValueError("The facts carry no report id; give one with rid=.")
    nodes = _node_iris(facts, rid)
    sections = {s.path: node for s, node in zip(facts.sections, nodes["sections"], strict=True)}
    source = PlainText(text) if isinstance(text, str) else text
    w = _Graph(Triples(rid), report_iri(rid), source, nodes, sections)
    _report(w, facts, rid)
    _sections(w, facts)
    _entities(w, facts)
    _cases_and_awards(w, facts)
    _outline(w, facts)
    _indicators(w, facts)
    return w.g


def facts_to_graph(facts: Facts, text: str | Source, *, rid: str | None = None) -> Graph:
    """The report's named graph as an rdflib `Graph` whose identifier is the graph IRI."""
    return to_rdflib(facts_to_triples(facts, text, rid=rid))


_ = canonical_ntriples  # re-exported for the build step
