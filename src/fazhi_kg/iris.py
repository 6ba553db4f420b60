"""Every namespace, prefix and graph IRI of the project, as plain strings, in one place.

Imports nothing, so the query path (which must not import rdflib) and the RDF mapping share it.
`FZ` and `OA` are closed vocabularies: each term is a class attribute, so a misspelled term is a
mypy error and an `AttributeError` at run time, and a test keeps `FZ` equal to the terms declared
in ontology/fazhi.ttl and ontology/vocab.ttl. Instance IRIs are described in docs/model.md.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "DCTERMS",
    "DIVISIONS_GRAPH",
    "FZ",
    "FZ_NS",
    "ID_NS",
    "OA",
    "OA_NS",
    "ONTOLOGY_GRAPH",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SH",
    "SHAPES_NS",
    "SKOS",
    "XSD",
    "division_iri",
    "graph_iri",
    "report_iri",
    "report_of_graph",
    "terms",
]

FZ_NS: Final = "https://w3id.org/fazhi/ontology#"
"""The ontology namespace, prefix `fz:` (classes, properties, SKOS concepts and schemes)."""

ID_NS: Final = "https://w3id.org/fazhi/id/"
"""Where instance data lives: reports, facts, places and documents (docs/model.md, IRIs)."""

ONTOLOGY_GRAPH: Final = "https://w3id.org/fazhi/ontology"
"""The named graph that holds ontology/fazhi.ttl and ontology/vocab.ttl."""

SHAPES_NS: Final = "https://w3id.org/fazhi/shapes#"
"""The namespace of the SHACL shapes in ontology/shapes.ttl, prefix `fzs:`."""

DIVISIONS_GRAPH: Final = "https://w3id.org/fazhi/divisions"
"""The named graph of the national gazetteer's divisions (province, prefecture, county) with their
codes, levels, parents and years: what coverage questions compare reports with."""

OA_NS: Final = "http://www.w3.org/ns/oa#"
"""The W3C Web Annotation vocabulary, prefix `oa:`, used for text evidence."""

RDF: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS: Final = "http://www.w3.org/2000/01/rdf-schema#"
XSD: Final = "http://www.w3.org/2001/XMLSchema#"
OWL: Final = "http://www.w3.org/2002/07/owl#"
DCTERMS: Final = "http://purl.org/dc/terms/"
SKOS: Final = "http://www.w3.org/2004/02/skos/core#"
PROV: Final = "http://www.w3.org/ns/prov#"
ORG: Final = "http://www.w3.org/ns/org#"
SH: Final = "http://www.w3.org/ns/shacl#"

PREFIXES: Final = {
    "dcterms": DCTERMS,
    "fz": FZ_NS,
    "oa": OA_NS,
    "org": ORG,
    "owl": OWL,
    "prov": PROV,
    "rdf": RDF,
    "rdfs": RDFS,
    "skos": SKOS,
    "xsd": XSD,
}
"""The prefixes every written graph, query answer and export uses (`id:` is left out: its local
names would need escaped slashes in Turtle)."""


def report_iri(rid: str) -> str:
    """The report `rid` itself: `id:<rid>`."""
    return f"{ID_NS}{rid}"


def graph_iri(rid: str) -> str:
    """The named graph that holds report `rid`: `id:<rid>/graph`."""
    return f"{ID_NS}{rid}/graph"


def division_iri(code: str) -> str:
    """An administrative division, by its code (GB/T 2260, or a township's NBS code): one node
    that every report of a corpus shares, `id:division/<code>`."""
    return f"{ID_NS}division/{code}"


def report_of_graph(iri: str) -> str | None:
    """The report id of a report graph's name, or None for any other graph."""
    if iri.startswith(ID_NS) and iri.endswith("/graph") and len(iri) > len(ID_NS) + 6:
        return iri[len(ID_NS) : -len("/graph")]
    return None


class FZ:
    """The fazhi ontology: https://w3id.org/fazhi/ontology# (docs/model.md)."""

    _NS = FZ_NS

    # Classes
    Report: Final = _NS + "Report"  # one annual rule-of-law government report
    Section: Final = _NS + "Section"  # a heading and the text under it
    Jurisdiction: Final = _NS + "Jurisdiction"  # an administrative area
    Institution: Final = _NS + "Institution"  # a named organization (⊑ org:Organization)
    Person: Final = _NS + "Person"  # a person or an unnamed group of people (⊑ prov:Agent)
    LeadershipDuty: Final = _NS + "LeadershipDuty"  # a duty of the principal leaders
    Mechanism: Final = _NS + "Mechanism"  # a named system, mechanism, platform …
    Award: Final = _NS + "Award"  # an honour, title or ranking
    Recognition: Final = (
        _NS + "Recognition"
    )  # a selection or commendation by a higher authority (⊑ Award)
    Case: Final = _NS + "Case"  # an individual case
    Problem: Final = _NS + "Problem"  # a shortcoming the report admits
    Plan: Final = _NS + "Plan"  # a plan for the next year
    Indicator: Final = _NS + "Indicator"  # a stated quantity
    Count: Final = _NS + "Count"  # a whole number of things (⊑ Indicator)
    Percentage: Final = _NS + "Percentage"  # a rate in % (⊑ Indicator)
    Rate: Final = _NS + "Rate"  # a percentage called …率: a share of a whole (⊑ Percentage)
    Change: Final = _NS + "Change"  # a change against the year before (⊑ Indicator)
    Amount: Final = _NS + "Amount"  # money and other measures (⊑ Indicator)
    Document: Final = _NS + "Document"  # a law, regulation or plan cited by title
    ExtractedFact: Final = (
        _NS + "ExtractedFact"
    )  # superclass of every node extracted from text (⊑ prov:Entity)
    AdministrativeLevel: Final = (
        _NS + "AdministrativeLevel"
    )  # SKOS concept class: national … township
    ReportPart: Final = (
        _NS + "ReportPart"
    )  # SKOS concept class: duties, measures, problems, plans, other
    Qualifier: Final = _NS + "Qualifier"  # SKOS concept class: 余, 近, 以上 …
    MechanismKind: Final = _NS + "MechanismKind"  # SKOS concept class: 制度, 机制, 模式 …
    ChangeDirection: Final = _NS + "ChangeDirection"  # SKOS concept class: increase, decrease
    ReportingBody: Final = _NS + "ReportingBody"  # SKOS concept class: government, department

    # Report and jurisdiction
    jurisdiction: Final = _NS + "jurisdiction"
    reportingYear: Final = _NS + "reportingYear"
    textLength: Final = _NS + "textLength"
    textSha256: Final = _NS + "textSha256"
    stopsEarly: Final = _NS + "stopsEarly"  # the text is an excerpt
    reportingBody: Final = _NS + "reportingBody"
    validFrom: Final = _NS + "validFrom"  # a division's first year in the code tables
    validUntil: Final = _NS + "validUntil"  # the year it was abolished, renamed or recoded
    hasSection: Final = _NS + "hasSection"
    parentJurisdiction: Final = _NS + "parentJurisdiction"
    administrativeLevel: Final = _NS + "administrativeLevel"

    # Sections
    path: Final = _NS + "path"
    order: Final = _NS + "order"
    depth: Final = _NS + "depth"
    parentSection: Final = _NS + "parentSection"
    servesPart: Final = _NS + "servesPart"

    # Every extracted fact
    inReport: Final = _NS + "inReport"
    inSection: Final = _NS + "inSection"
    evidence: Final = _NS + "evidence"

    # Indicators
    value: Final = _NS + "value"
    unit: Final = _NS + "unit"
    qualifier: Final = _NS + "qualifier"
    changeDirection: Final = _NS + "changeDirection"
    measures: Final = _NS + "measures"
    statedAs: Final = _NS + "statedAs"
    about: Final = _NS + "about"
    partOf: Final = _NS + "partOf"  # a part of the total another indicator states
    numerator: Final = _NS + "numerator"  # the count a rate is the share of
    denominator: Final = _NS + "denominator"  # the count a rate is a share of

    # Awards
    awardLevel: Final = _NS + "awardLevel"
    recipient: Final = _NS + "recipient"
    recipientLabel: Final = _NS + "recipientLabel"  # the honoured as written
    count: Final = _NS + "count"
    conferredBy: Final = _NS + "conferredBy"

    # Cases
    party: Final = _NS + "party"
    concerns: Final = _NS + "concerns"
    recognition: Final = _NS + "recognition"

    # Mechanisms and institutions
    mechanismKind: Final = _NS + "mechanismKind"
    relatedInstitution: Final = _NS + "relatedInstitution"
    institutionKind: Final = _NS + "institutionKind"

    # Problems and plans
    focusTerm: Final = _NS + "focusTerm"
    addresses: Final = _NS + "addresses"

    # Report parts
    requiredPart: Final = _NS + "requiredPart"

    # Concept schemes (vocab.ttl)
    AdministrativeLevels: Final = _NS + "AdministrativeLevels"
    ReportParts: Final = _NS + "ReportParts"
    Qualifiers: Final = _NS + "Qualifiers"
    MechanismKinds: Final = _NS + "MechanismKinds"
    ChangeDirections: Final = _NS + "ChangeDirections"
    ReportingBodies: Final = _NS + "ReportingBodies"

    # Administrative levels
    National: Final = _NS + "National"
    Provincial: Final = _NS + "Provincial"
    Municipal: Final = _NS + "Municipal"
    County: Final = _NS + "County"
    Township: Final = _NS + "Township"
    UnknownLevel: Final = _NS + "UnknownLevel"

    # Report parts
    DutiesPart: Final = _NS + "DutiesPart"
    MeasuresPart: Final = _NS + "MeasuresPart"
    ProblemsPart: Final = _NS + "ProblemsPart"
    PlansPart: Final = _NS + "PlansPart"
    OtherPart: Final = _NS + "OtherPart"

    # Qualifiers
    MoreThan: Final = _NS + "MoreThan"  # 余
    Nearly: Final = _NS + "Nearly"  # 近
    AtLeast: Final = _NS + "AtLeast"  # 以上
    About: Final = _NS + "About"  # 约
    Reaching: Final = _NS + "Reaching"  # 达到
    Exceeding: Final = _NS + "Exceeding"  # 超过
    Cumulative: Final = _NS + "Cumulative"  # 累计
    Top: Final = _NS + "Top"  # 前
    NotLessThan: Final = _NS + "NotLessThan"  # 不少于
    Only: Final = _NS + "Only"  # 仅

    # Change directions
    Increase: Final = _NS + "Increase"  # 增长
    Decrease: Final = _NS + "Decrease"  # 下降

    # Reporting bodies
    GovernmentBody: Final = _NS + "GovernmentBody"  # 人民政府
    DepartmentBody: Final = _NS + "DepartmentBody"  # 政府部门

    # Mechanism kinds
    SystemKind: Final = _NS + "SystemKind"  # 制度
    MechanismKindMechanism: Final = _NS + "MechanismKindMechanism"  # 机制
    ModelKind: Final = _NS + "ModelKind"  # 模式
    PlatformKind: Final = _NS + "PlatformKind"  # 平台
    ListKind: Final = _NS + "ListKind"  # 清单
    ColumnKind: Final = _NS + "ColumnKind"  # 专栏
    ChannelKind: Final = _NS + "ChannelKind"  # 通道
    ProcedureKind: Final = _NS + "ProcedureKind"  # 程序
    ActionKind: Final = _NS + "ActionKind"  # 行动
    ServiceKind: Final = _NS + "ServiceKind"  # 服务


class OA:
    """The Web Annotation terms used for text evidence: http://www.w3.org/ns/oa#."""

    _NS = OA_NS

    Annotation: Final = _NS + "Annotation"
    SpecificResource: Final = _NS + "SpecificResource"
    TextPositionSelector: Final = _NS + "TextPositionSelector"
    TextQuoteSelector: Final = _NS + "TextQuoteSelector"
    hasBody: Final = _NS + "hasBody"
    hasTarget: Final = _NS + "hasTarget"
    hasSource: Final = _NS + "hasSource"
    hasSelector: Final = _NS + "hasSelector"
    start: Final = _NS + "start"
    end: Final = _NS + "end"
    exact: Final = _NS + "exact"
    prefix: Final = _NS + "prefix"
    suffix: Final = _NS + "suffix"
    motivatedBy: Final = _NS + "motivatedBy"
    identifying: Final = _NS + "identifying"


def terms(vocabulary: type) -> dict[str, str]:
    """The terms of a closed vocabulary (`FZ`, `OA`): local name → IRI."""
    return {
        name: value
        for name, value in vars(vocabulary).items()
        if not name.startswith("_") and isinstance(value, str)
    }
