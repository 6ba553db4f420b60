"""Facts → RDF: one named graph per report, deterministic IRIs, Web Annotation evidence.

The model is docs/model.md. No blank nodes: every node has an IRI derived from the report id and
the fact (its span, or a hash of its name), so rebuilding gives the same graph.

The mapping emits Oxigraph terms straight into a set (`facts_to_triples`), with no rdflib graph in
between: adding to an rdflib graph cost about 60% of a report's build. `canonical_ntriples` and
`turtle` write them in one sorted order, so the same facts always give the same bytes;
`facts_to_graph` gives the same triples as an rdflib graph for code that wants one.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

import pyoxigraph as ox

from fazhi_kg.extract.meta import admin_level
from fazhi_kg.facts import Facts, Indicator, Span
from fazhi_kg.iris import FZ_NS, ID_NS, OA_NS
from fazhi_kg.rdf.ids import report_id

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = [
    "PREFIXES",
    "canonical_ntriples",
    "facts_to_graph",
    "facts_to_triples",
    "graph_iri",
    "report_iri",
    "to_rdflib",
    "turtle",
]


class _Vocab:
    """A namespace whose attributes are its terms' IRIs, as plain strings (not a `str` subclass,
    whose methods would shadow terms such as dcterms:title)."""

    def __init__(self, ns: str) -> None:
        self.ns = ns

    def __str__(self) -> str:
        return self.ns

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        return self.ns + name


FZ = _Vocab(FZ_NS)
OA = _Vocab(OA_NS)
RDF = _Vocab("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = _Vocab("http://www.w3.org/2000/01/rdf-schema#")
XSD = _Vocab("http://www.w3.org/2001/XMLSchema#")
DCTERMS = _Vocab("http://purl.org/dc/terms/")
ID = ID_NS

PREFIXES = {
    "fz": FZ_NS,
    "oa": OA_NS,
    "dcterms": str(DCTERMS),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
}
_XSD_STRING = XSD.string
_TURTLE_PREFIXES = {**PREFIXES, "rdf": str(RDF)}  # no id: prefix, whose local names need "\/"

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


def report_iri(rid: str) -> str:
    return f"{ID}{rid}"


def graph_iri(rid: str) -> str:
    return f"{ID}{rid}/graph"


def place_iri(path: Iterable[str]) -> str:
    return f"{ID}place/{_h('/'.join(path))}"


def document_iri(rid: str, title: str) -> str:
    return f"{ID}{rid}/document/{_h(title)}"


# Triples are kept as N-Triples lines. An object is an IRI (a plain string) or a literal already in
# N-Triples form (made by these helpers; it starts with a quote, which no IRI does).
_ESCAPES = {
    **{c: f"\\u{c:04X}" for c in [*range(0x20), 0x7F]},
    0x08: "\\b",
    0x09: "\\t",
    0x0A: "\\n",
    0x0C: "\\f",
    0x0D: "\\r",
    0x22: '\\"',
    0x5C: "\\\\",
}


def _quoted(s: str) -> str:
    """A string in N-Triples quotes, escaped as canonical N-Triples (and Oxigraph) escape it."""
    return '"' + s.translate(_ESCAPES) + '"'


def _zh(s: str) -> str:
    return _quoted(s) + "@zh"


def _plain(s: str) -> str:
    return _quoted(s)


def _typed(lexical: object, datatype: str) -> str:
    return f"{_quoted(str(lexical))}^^<{datatype}>"


@dataclass
class Triples:
    """The triples of one report graph as N-Triples lines without the final " ." (a set, so no
    duplicates, like a graph)."""

    rid: str
    lines: set[str] = field(default_factory=set)

    @staticmethod
    def line(s: str, p: str, o: str) -> str:
        return f"<{s}> <{p}> {o}" if o[0] == '"' else f"<{s}> <{p}> <{o}>"

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.add(self.line(s, p, o))

    def __contains__(self, t: tuple[str, str, str]) -> bool:
        return self.line(*t) in self.lines

    def __len__(self) -> int:
        return len(self.lines)

    @property
    def graph(self) -> str:
        return graph_iri(self.rid)


@dataclass
class _Builder:
    g: Triples
    rid: str
    report: str
    text: str
    sections: dict[str, str]

    def node(self, family: str, span: Span, taken: set[str]) -> str:
        base = f"{ID}{self.rid}/{family}/{span.start}-{span.end}"
        iri, n = base, 1
        while iri in taken:
            n += 1
            iri = f"{base}-{n}"
        taken.add(iri)
        return iri

    def named(self, family: str, name: str) -> str:
        return f"{ID}{self.rid}/{family}/{_h(name)}"

    def fact(self, node: str, cls: str, label: str, span: Span, section: str | None) -> None:
        add = self.g.add
        add(node, RDF.type, cls)
        add(node, RDFS.label, _zh(label))
        add(node, FZ.inReport, self.report)
        if section and section in self.sections:
            add(node, FZ.inSection, self.sections[section])
        self.evidence(node, span)

    def evidence(self, node: str, span: Span) -> None:
        add = self.g.add
        ev = f"{node}/evidence"
        if (node, FZ.evidence, ev) in self.g:
            return
        target, pos, quote = f"{ev}/target", f"{ev}/position", f"{ev}/quote"
        add(node, FZ.evidence, ev)
        add(ev, RDF.type, OA.Annotation)
        add(ev, OA.hasBody, node)
        add(ev, OA.motivatedBy, OA.identifying)
        add(ev, OA.hasTarget, target)
        add(target, RDF.type, OA.SpecificResource)
        add(target, OA.hasSource, self.report)
        add(target, OA.hasSelector, pos)
        add(target, OA.hasSelector, quote)
        add(pos, RDF.type, OA.TextPositionSelector)
        add(pos, OA.start, _typed(span.start, XSD.nonNegativeInteger))
        add(pos, OA.end, _typed(span.end, XSD.nonNegativeInteger))
        add(quote, RDF.type, OA.TextQuoteSelector)
        add(quote, OA.exact, _plain(self.text[span.start : span.end]))
        # the rest of the sentence, so a reader sees the quote in context (Web Annotation §4.2.4)
        before, after = _sentence_context(self.text, span)
        if before:
            add(quote, OA.prefix, _plain(before))
        if after:
            add(quote, OA.suffix, _plain(after))


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


def _value(ind: Indicator) -> str:
    if ind.kind == "count" and ind.value == ind.value.to_integral_value():
        return _typed(int(ind.value), XSD.integer)
    return _typed(format(Decimal(ind.value), "f"), XSD.decimal)  # rdflib's lexical form


def facts_to_triples(facts: Facts, text: str, *, rid: str | None = None) -> Triples:
    """The triples of the report's named graph."""
    rid = rid or report_id(facts.report)
    report = report_iri(rid)
    g = Triples(rid)
    add = g.add
    b = _Builder(g, rid, report, text, {})
    meta = facts.report

    # the report and its places
    add(report, RDF.type, FZ.Report)
    add(report, DCTERMS.title, _zh(meta.title))
    add(report, RDFS.label, _zh(meta.title))
    add(report, DCTERMS.identifier, _plain(rid))
    add(report, FZ.textLength, _typed(facts.text_length, XSD.integer))
    add(report, FZ.textSha256, _plain(facts.text_sha256))
    if meta.year is not None:
        add(report, FZ.reportingYear, _typed(meta.year, XSD.integer))
    if meta.published:
        add(report, DCTERMS.issued, _typed(meta.published[:10], XSD.date))
    path = [*reversed(meta.parents), meta.jurisdiction] if meta.jurisdiction else []
    parent: str | None = None
    for i in range(len(path)):
        place = place_iri(path[: i + 1])
        add(place, RDF.type, FZ.Jurisdiction)
        add(place, RDFS.label, _zh(path[i]))
        add(place, FZ.administrativeLevel, _PLACE_LEVELS[admin_level(path[i])])
        if parent is not None:
            add(place, FZ.parentJurisdiction, parent)
        parent = place
    if parent is not None:
        add(report, FZ.jurisdiction, parent)

    # sections
    for s in facts.sections:
        b.sections[s.path] = f"{ID}{rid}/section/{s.order}"
    for s in facts.sections:
        node = b.sections[s.path]
        b.fact(node, FZ.Section, s.title, s.span, None)
        add(node, DCTERMS.title, _zh(s.title))
        add(node, FZ.path, _plain(s.path))
        add(node, FZ.order, _typed(s.order, XSD.integer))
        add(node, FZ.depth, _typed(s.depth, XSD.integer))
        add(report, FZ.hasSection, node)
        if s.parent and s.parent in b.sections:
            add(node, FZ.parentSection, b.sections[s.parent])
        if s.part:
            add(node, FZ.servesPart, _PARTS[s.part])

    # named entities
    institutions: dict[str, str] = {}
    for inst in facts.institutions:
        node = b.named("institution", inst.name)
        institutions[inst.name] = node
        b.fact(node, FZ.Institution, inst.name, inst.span, inst.section)
        if inst.kind:
            add(node, FZ.institutionKind, _plain(inst.kind))
    if meta.issuer and meta.issuer in institutions:
        add(report, DCTERMS.publisher, institutions[meta.issuer])
    mechanisms: dict[str, str] = {}
    for mech in facts.mechanisms:
        node = b.named("mechanism", mech.name)
        mechanisms[mech.name] = node
        b.fact(node, FZ.Mechanism, mech.name, mech.span, mech.section)
        if mech.kind in _KINDS:
            add(node, FZ.mechanismKind, _KINDS[mech.kind])
        for iname in mech.institutions:
            if iname in institutions:
                add(node, FZ.relatedInstitution, institutions[iname])
    for doc in facts.documents:
        node = document_iri(rid, doc.title)
        b.fact(node, FZ.Document, doc.title, doc.span, doc.section)
        add(node, DCTERMS.title, _zh(doc.title))
    duties: dict[str, str] = {}
    taken: set[str] = set()
    for duty in facts.duties:
        node = b.node("duty", duty.span, taken)
        duties[duty.section or ""] = node
        b.fact(node, FZ.LeadershipDuty, duty.name, duty.span, duty.section)

    def person(name: str, span: Span, section: str | None) -> str:
        node = b.named("person", name)
        if (node, RDF.type, FZ.Person) not in g:
            b.fact(node, FZ.Person, name, span, section)
        return node

    # cases and awards
    cases: dict[str, str] = {}
    for case in facts.cases:
        node = b.node("case", case.span, taken)
        cases[case.name] = node
        b.fact(node, FZ.Case, case.name, case.span, case.section)
        for party in case.parties:
            add(node, FZ.party, institutions.get(party) or person(party, case.span, case.section))
        if case.institution and case.institution in institutions:
            add(node, FZ.concerns, institutions[case.institution])
    for award in facts.awards:
        node = b.node("award", award.span, taken)
        b.fact(
            node,
            FZ.Recognition if award.recognition else FZ.Award,
            award.title,
            award.span,
            award.section,
        )
        add(node, RDF.type, FZ.Award)  # recognitions too, so queries need no inference
        add(node, FZ.awardLevel, _LEVELS.get(award.level, FZ.UnknownLevel))
        if award.count is not None:
            add(node, FZ.count, _typed(award.count, XSD.integer))
        if award.conferred_by:
            by = institutions.get(award.conferred_by)
            if by is None:
                by = b.named("institution", award.conferred_by)
                b.fact(by, FZ.Institution, award.conferred_by, award.span, award.section)
            add(node, FZ.conferredBy, by)
        if award.recipient:
            add(node, FZ.recipientLabel, _zh(award.recipient))
            for target in _recipients(award.recipient, institutions, cases, mechanisms):
                add(node, FZ.recipient, target)
            if _PERSON.search(award.recipient):
                add(node, FZ.recipient, person(award.recipient, award.span, award.section))
        for case_name, case_node in cases.items():
            if award.recipient and case_name in award.recipient:
                add(case_node, FZ.recognition, node)

    # problems and plans
    problems = []
    for i, prob in enumerate(facts.problems):
        node = b.node("problem", prob.span, taken)
        problems.append(node)
        b.fact(node, FZ.Problem, prob.summary, prob.span, prob.section)
        add(node, FZ.order, _typed(i + 1, XSD.integer))
        for term in prob.focus:
            add(node, FZ.focusTerm, _plain(term))
    for i, plan in enumerate(facts.plans):
        node = b.node("plan", plan.span, taken)
        b.fact(node, FZ.Plan, plan.summary, plan.span, plan.section)
        add(node, FZ.order, _typed(i + 1, XSD.integer))
        terms = set(plan.focus) | {t for _, ts in plan.shared_terms for t in ts}
        for term in sorted(terms):
            add(node, FZ.focusTerm, _plain(term))
        for j in plan.addresses:
            add(node, FZ.addresses, problems[j])

    # indicators
    nodes = [b.node("indicator", ind.span, taken) for ind in facts.indicators]
    for ind, node in zip(facts.indicators, nodes, strict=True):
        for prop, link in (
            (FZ.partOf, ind.part_of),
            (FZ.numerator, ind.numerator),
            (FZ.denominator, ind.denominator),
        ):
            if link is not None:
                add(node, prop, nodes[link])
        # a change (同比增长300%) is no share of a whole: an indicator of no narrower class
        cls = _INDICATOR_CLASS.get(ind.kind, FZ.Indicator)
        b.fact(node, cls, ind.what or ind.stated, ind.span, ind.section)
        add(node, RDF.type, FZ.Indicator)
        add(node, FZ.value, _value(ind))
        add(node, FZ.unit, _plain(ind.unit))
        add(node, FZ.measures, _plain(ind.what or ind.stated))
        add(node, FZ.statedAs, _plain(ind.stated))
        if ind.qualifier in _QUALIFIERS:
            add(node, FZ.qualifier, _QUALIFIERS[ind.qualifier])
        for about in ind.about:
            family, _, key = about.partition(":")
            index = {"duty": duties, "mechanism": mechanisms, "institution": institutions}[family]
            if key in index:
                add(node, FZ.about, index[key])
    return g


def _recipients(
    recipient: str,
    institutions: dict[str, str],
    cases: dict[str, str],
    mechanisms: dict[str, str],
) -> list[str]:
    """The extracted entities a recipient phrase names: an organ, a case, or practices."""
    if recipient in institutions:
        return [institutions[recipient]]
    hits = [node for name, node in cases.items() if name in recipient]
    if hits:
        return hits
    quoted = re.findall(r"“([^“”]+)”", recipient)
    return [mechanisms[q] for q in quoted if q in mechanisms]


def canonical_ntriples(triples: Triples) -> list[str]:
    """The triples as N-Triples lines (without the final " ."), sorted: one order for one graph."""
    return sorted(triples.lines)


def turtle(lines: list[str]) -> bytes:
    """Deterministic Turtle: Oxigraph's writer over N-Triples lines in `canonical_ntriples`
    order."""
    parsed = ox.parse(_document(lines), format=ox.RdfFormat.N_TRIPLES)
    return ox.serialize(parsed, format=ox.RdfFormat.TURTLE, prefixes=_TURTLE_PREFIXES) or b""


def _document(lines: Iterable[str]) -> bytes:
    return "".join(f"{line} .\n" for line in lines).encode("utf-8")


def to_rdflib(triples: Triples) -> Graph:
    """The triples as an rdflib graph named by the report's graph IRI, with the usual prefixes."""
    from rdflib import BNode, Graph, Literal, URIRef

    def term(t: ox.NamedNode | ox.BlankNode | ox.Literal) -> URIRef | BNode | Literal:
        if isinstance(t, ox.NamedNode):
            return URIRef(t.value)
        if isinstance(t, ox.Literal):
            dt = t.datatype.value
            plain = t.language or dt == _XSD_STRING
            return Literal(t.value, lang=t.language, datatype=None if plain else URIRef(dt))
        return BNode(t.value)

    g = Graph(identifier=URIRef(triples.graph))
    for prefix, ns in _TURTLE_PREFIXES.items():
        g.bind(prefix, ns)
    parsed = ox.parse(_document(triples.lines), format=ox.RdfFormat.N_TRIPLES)
    g.addN((term(t.subject), term(t.predicate), term(t.object), g) for t in parsed)
    return g


def facts_to_graph(facts: Facts, text: str, *, rid: str | None = None) -> Graph:
    """The report's named graph as an rdflib `Graph` whose identifier is the graph IRI."""
    return to_rdflib(facts_to_triples(facts, text, rid=rid))
