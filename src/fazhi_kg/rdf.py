"""Facts → RDF: one named graph per report, deterministic IRIs, Web Annotation evidence.

The model is docs/model.md. No blank nodes: every node has an IRI derived from the report id and
the fact (its span, or a hash of its name), so rebuilding gives the same graph.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from fazhi_kg.facts import Facts, Indicator, Span
from fazhi_kg.meta import admin_level
from fazhi_kg.namespace import FZ, ID, OA
from fazhi_kg.reportid import report_id

__all__ = ["PREFIXES", "facts_to_graph", "graph_iri", "report_iri"]

PREFIXES = {
    "fz": str(FZ._NS),
    "oa": str(OA._NS),
    "dcterms": str(DCTERMS),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
}

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
}
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
_INDICATOR_CLASS = {"count": FZ.Count, "percentage": FZ.Percentage, "amount": FZ.Amount}
_PERSON = re.compile(r"^(?:[0-9]+|[一二三四五六七八九十两]+)\s*(?:人|名)$|某")


def _h(s: str) -> str:
    return hashlib.sha1(s.encode("utf-8")).hexdigest()[:12]


def report_iri(rid: str) -> URIRef:
    return URIRef(f"{ID}{rid}")


def graph_iri(rid: str) -> URIRef:
    return URIRef(f"{ID}{rid}/graph")


def place_iri(path: Iterable[str]) -> URIRef:
    return URIRef(f"{ID}place/{_h('/'.join(path))}")


def document_iri(rid: str, title: str) -> URIRef:
    return URIRef(f"{ID}{rid}/document/{_h(title)}")


def _zh(s: str) -> Literal:
    return Literal(s, lang="zh")


@dataclass
class _Builder:
    g: Graph
    rid: str
    report: URIRef
    text: str
    sections: dict[str, URIRef]

    def node(self, family: str, span: Span, taken: set[URIRef]) -> URIRef:
        base = f"{ID}{self.rid}/{family}/{span.start}-{span.end}"
        iri, n = URIRef(base), 1
        while iri in taken:
            n += 1
            iri = URIRef(f"{base}-{n}")
        taken.add(iri)
        return iri

    def named(self, family: str, name: str) -> URIRef:
        return URIRef(f"{ID}{self.rid}/{family}/{_h(name)}")

    def fact(self, node: URIRef, cls: URIRef, label: str, span: Span, section: str | None) -> None:
        g = self.g
        g.add((node, RDF.type, cls))
        g.add((node, RDFS.label, _zh(label)))
        g.add((node, FZ.inReport, self.report))
        if section and section in self.sections:
            g.add((node, FZ.inSection, self.sections[section]))
        self.evidence(node, span)

    def evidence(self, node: URIRef, span: Span) -> None:
        g = self.g
        ev = URIRef(f"{node}/evidence")
        if (node, FZ.evidence, ev) in g:
            return
        target, pos, quote = (
            URIRef(f"{ev}/target"),
            URIRef(f"{ev}/position"),
            URIRef(f"{ev}/quote"),
        )
        g.add((node, FZ.evidence, ev))
        g.add((ev, RDF.type, OA.Annotation))
        g.add((ev, OA.hasBody, node))
        g.add((ev, OA.motivatedBy, OA.identifying))
        g.add((ev, OA.hasTarget, target))
        g.add((target, RDF.type, OA.SpecificResource))
        g.add((target, OA.hasSource, self.report))
        g.add((target, OA.hasSelector, pos))
        g.add((target, OA.hasSelector, quote))
        g.add((pos, RDF.type, OA.TextPositionSelector))
        g.add((pos, OA.start, Literal(span.start, datatype=XSD.nonNegativeInteger)))
        g.add((pos, OA.end, Literal(span.end, datatype=XSD.nonNegativeInteger)))
        g.add((quote, RDF.type, OA.TextQuoteSelector))
        g.add((quote, OA.exact, Literal(self.text[span.start : span.end])))
        # the rest of the sentence, so a reader sees the quote in context (Web Annotation §4.2.4)
        before, after = _sentence_context(self.text, span)
        if before:
            g.add((quote, OA.prefix, Literal(before)))
        if after:
            g.add((quote, OA.suffix, Literal(after)))


_SENTENCE_END = "。;；!！?？\n"
CONTEXT = 60


def _sentence_context(text: str, span: Span) -> tuple[str, str]:
    """The words of the quote's sentence before and after it, at most `CONTEXT` characters each."""
    start = max(text.rfind(c, 0, span.start) for c in _SENTENCE_END) + 1
    start = max(start, span.start - CONTEXT)
    ends = [e for e in (text.find(c, span.end) for c in _SENTENCE_END) if e >= 0]
    end = min([*ends, len(text), span.end + CONTEXT])
    if end < len(text) and text[end] in "。;；!！?？":
        end += 1
    return text[start : span.start].lstrip(), text[span.end : end].rstrip()


def _value(ind: Indicator) -> Literal:
    if ind.kind == "count" and ind.value == ind.value.to_integral_value():
        return Literal(int(ind.value), datatype=XSD.integer)
    return Literal(Decimal(ind.value), datatype=XSD.decimal)


def facts_to_graph(facts: Facts, text: str, *, rid: str | None = None) -> Graph:
    """The report's named graph (a `Graph` whose identifier is the graph IRI)."""
    rid = rid or report_id(facts.report)
    report = report_iri(rid)
    g = Graph(identifier=graph_iri(rid))
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    g.bind("id", ID)
    b = _Builder(g, rid, report, text, {})
    meta = facts.report

    # the report and its places
    g.add((report, RDF.type, FZ.Report))
    g.add((report, DCTERMS.title, _zh(meta.title)))
    g.add((report, RDFS.label, _zh(meta.title)))
    g.add((report, DCTERMS.identifier, Literal(rid)))
    g.add((report, FZ.textLength, Literal(facts.text_length, datatype=XSD.integer)))
    g.add((report, FZ.textSha256, Literal(facts.text_sha256)))
    if meta.year is not None:
        g.add((report, FZ.reportingYear, Literal(meta.year, datatype=XSD.integer)))
    if meta.published:
        g.add((report, DCTERMS.issued, Literal(meta.published[:10], datatype=XSD.date)))
    path = [*reversed(meta.parents), meta.jurisdiction] if meta.jurisdiction else []
    parent: URIRef | None = None
    for i in range(len(path)):
        place = place_iri(path[: i + 1])
        g.add((place, RDF.type, FZ.Jurisdiction))
        g.add((place, RDFS.label, _zh(path[i])))
        g.add((place, FZ.administrativeLevel, _PLACE_LEVELS[admin_level(path[i])]))
        if parent is not None:
            g.add((place, FZ.parentJurisdiction, parent))
        parent = place
    if parent is not None:
        g.add((report, FZ.jurisdiction, parent))

    # sections
    for s in facts.sections:
        b.sections[s.path] = URIRef(f"{ID}{rid}/section/{s.order}")
    for s in facts.sections:
        node = b.sections[s.path]
        b.fact(node, FZ.Section, s.title, s.span, None)
        g.add((node, DCTERMS.title, _zh(s.title)))
        g.add((node, FZ.path, Literal(s.path)))
        g.add((node, FZ.order, Literal(s.order, datatype=XSD.integer)))
        g.add((node, FZ.depth, Literal(s.depth, datatype=XSD.integer)))
        g.add((report, FZ.hasSection, node))
        if s.parent and s.parent in b.sections:
            g.add((node, FZ.parentSection, b.sections[s.parent]))
        if s.part:
            g.add((node, FZ.servesPart, _PARTS[s.part]))

    # named entities
    institutions: dict[str, URIRef] = {}
    for inst in facts.institutions:
        node = b.named("institution", inst.name)
        institutions[inst.name] = node
        b.fact(node, FZ.Institution, inst.name, inst.span, inst.section)
        if inst.kind:
            g.add((node, FZ.institutionKind, Literal(inst.kind)))
    if meta.issuer and meta.issuer in institutions:
        g.add((report, DCTERMS.publisher, institutions[meta.issuer]))
    mechanisms: dict[str, URIRef] = {}
    for mech in facts.mechanisms:
        node = b.named("mechanism", mech.name)
        mechanisms[mech.name] = node
        b.fact(node, FZ.Mechanism, mech.name, mech.span, mech.section)
        if mech.kind in _KINDS:
            g.add((node, FZ.mechanismKind, _KINDS[mech.kind]))
        for iname in mech.institutions:
            if iname in institutions:
                g.add((node, FZ.relatedInstitution, institutions[iname]))
    for doc in facts.documents:
        node = document_iri(rid, doc.title)
        b.fact(node, FZ.Document, doc.title, doc.span, doc.section)
        g.add((node, DCTERMS.title, _zh(doc.title)))
    duties: dict[str, URIRef] = {}
    taken: set[URIRef] = set()
    for duty in facts.duties:
        node = b.node("duty", duty.span, taken)
        duties[duty.section or ""] = node
        b.fact(node, FZ.LeadershipDuty, duty.name, duty.span, duty.section)

    def person(name: str, span: Span, section: str | None) -> URIRef:
        node = b.named("person", name)
        if (node, RDF.type, FZ.Person) not in g:
            b.fact(node, FZ.Person, name, span, section)
        return node

    # cases and awards
    cases: dict[str, URIRef] = {}
    for case in facts.cases:
        node = b.node("case", case.span, taken)
        cases[case.name] = node
        b.fact(node, FZ.Case, case.name, case.span, case.section)
        for party in case.parties:
            g.add(
                (node, FZ.party, institutions.get(party) or person(party, case.span, case.section))
            )
        if case.institution and case.institution in institutions:
            g.add((node, FZ.concerns, institutions[case.institution]))
    for award in facts.awards:
        node = b.node("award", award.span, taken)
        b.fact(
            node,
            FZ.Recognition if award.recognition else FZ.Award,
            award.title,
            award.span,
            award.section,
        )
        g.add((node, RDF.type, FZ.Award))  # recognitions too, so queries need no inference
        g.add((node, FZ.awardLevel, _LEVELS.get(award.level, FZ.UnknownLevel)))
        if award.count is not None:
            g.add((node, FZ.count, Literal(award.count, datatype=XSD.integer)))
        if award.conferred_by:
            by = institutions.get(award.conferred_by)
            if by is None:
                by = b.named("institution", award.conferred_by)
                b.fact(by, FZ.Institution, award.conferred_by, award.span, award.section)
            g.add((node, FZ.conferredBy, by))
        if award.recipient:
            g.add((node, FZ.recipientLabel, _zh(award.recipient)))
            for target in _recipients(award.recipient, institutions, cases, mechanisms):
                g.add((node, FZ.recipient, target))
            if _PERSON.search(award.recipient):
                g.add((node, FZ.recipient, person(award.recipient, award.span, award.section)))
        for case_name, case_node in cases.items():
            if award.recipient and case_name in award.recipient:
                g.add((case_node, FZ.recognition, node))

    # problems and plans
    problems = []
    for i, prob in enumerate(facts.problems):
        node = b.node("problem", prob.span, taken)
        problems.append(node)
        b.fact(node, FZ.Problem, prob.summary, prob.span, prob.section)
        g.add((node, FZ.order, Literal(i + 1, datatype=XSD.integer)))
        for term in prob.focus:
            g.add((node, FZ.focusTerm, Literal(term)))
    for i, plan in enumerate(facts.plans):
        node = b.node("plan", plan.span, taken)
        b.fact(node, FZ.Plan, plan.summary, plan.span, plan.section)
        g.add((node, FZ.order, Literal(i + 1, datatype=XSD.integer)))
        terms = set(plan.focus) | {t for _, ts in plan.shared_terms for t in ts}
        for term in sorted(terms):
            g.add((node, FZ.focusTerm, Literal(term)))
        for j in plan.addresses:
            g.add((node, FZ.addresses, problems[j]))

    # indicators
    nodes = [b.node("indicator", ind.span, taken) for ind in facts.indicators]
    for ind, node in zip(facts.indicators, nodes, strict=True):
        for prop, link in (
            (FZ.partOf, ind.part_of),
            (FZ.numerator, ind.numerator),
            (FZ.denominator, ind.denominator),
        ):
            if link is not None:
                g.add((node, prop, nodes[link]))
        b.fact(node, _INDICATOR_CLASS[ind.kind], ind.what or ind.stated, ind.span, ind.section)
        g.add((node, RDF.type, FZ.Indicator))
        g.add((node, FZ.value, _value(ind)))
        g.add((node, FZ.unit, Literal(ind.unit)))
        g.add((node, FZ.measures, Literal(ind.what or ind.stated)))
        g.add((node, FZ.statedAs, Literal(ind.stated)))
        if ind.qualifier in _QUALIFIERS:
            g.add((node, FZ.qualifier, _QUALIFIERS[ind.qualifier]))
        for about in ind.about:
            family, _, key = about.partition(":")
            index = {"duty": duties, "mechanism": mechanisms, "institution": institutions}[family]
            if key in index:
                g.add((node, FZ.about, index[key]))
    return g


def _recipients(
    recipient: str,
    institutions: dict[str, URIRef],
    cases: dict[str, URIRef],
    mechanisms: dict[str, URIRef],
) -> list[URIRef]:
    """The extracted entities a recipient phrase names: an organ, a case, or practices."""
    if recipient in institutions:
        return [institutions[recipient]]
    hits = [node for name, node in cases.items() if name in recipient]
    if hits:
        return hits
    quoted = re.findall(r"“([^“”]+)”", recipient)
    return [mechanisms[q] for q in quoted if q in mechanisms]


def to_dataset(graphs: Iterable[Graph]) -> Dataset:
    """A dataset holding each report graph as a named graph."""
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    for g in graphs:
        ng = ds.graph(g.identifier)
        for t in g:
            ng.add(t)
    return ds
