"""Closed rdflib namespaces: the fazhi ontology (`FZ`) and the Web Annotation terms we use (`OA`).

A misspelled term fails at attribute access (`FZ.Awrd` raises), and a test keeps `FZ` equal to the
terms declared in ontology/fazhi.ttl and ontology/vocab.ttl. The IRI strings themselves live in
`fazhi_kg.iris`, which the rdflib-free query path imports instead of this module.
"""

# No `from __future__ import annotations`: DefinedNamespace reads the annotations as classes.
from typing import Final

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

from fazhi_kg.iris import FZ_NS, ID_NS, OA_NS, ONTOLOGY_GRAPH, SHAPES_NS

__all__ = ["FZ", "FZS", "ID", "OA", "ONTOLOGY_GRAPH", "SHAPES_NS"]

ID: Final = ID_NS
"""Base of instance IRIs (docs/model.md, IRIs): `ID + rid` is a report."""

FZS: Final = Namespace(SHAPES_NS)
"""The SHACL shapes of ontology/shapes.ttl (an open namespace: shapes are not ontology terms)."""


class FZ(DefinedNamespace):
    """The fazhi ontology: https://w3id.org/fazhi/ontology# (docs/model.md)."""

    _fail = True
    _NS = Namespace(FZ_NS)

    # Classes
    Report: URIRef  # one annual rule-of-law government report
    Section: URIRef  # a heading and the text under it
    Jurisdiction: URIRef  # an administrative area
    Institution: URIRef  # a named organization (⊑ org:Organization)
    Person: URIRef  # a person or an unnamed group of people (⊑ prov:Agent)
    LeadershipDuty: URIRef  # a duty of the principal leaders
    Mechanism: URIRef  # a named system, mechanism, platform …
    Award: URIRef  # an honour, title or ranking
    Recognition: URIRef  # a selection or commendation by a higher authority (⊑ Award)
    Case: URIRef  # an individual case
    Problem: URIRef  # a shortcoming the report admits
    Plan: URIRef  # a plan for the next year
    Indicator: URIRef  # a stated quantity
    Count: URIRef  # a whole number of things (⊑ Indicator)
    Percentage: URIRef  # a rate in % (⊑ Indicator)
    Amount: URIRef  # money and other measures (⊑ Indicator)
    Document: URIRef  # a law, regulation or plan cited by title
    ExtractedFact: URIRef  # superclass of every node extracted from text (⊑ prov:Entity)
    AdministrativeLevel: URIRef  # SKOS concept class: national … township
    ReportPart: URIRef  # SKOS concept class: duties, measures, problems, plans, other
    Qualifier: URIRef  # SKOS concept class: 余, 近, 以上 …
    MechanismKind: URIRef  # SKOS concept class: 制度, 机制, 模式 …

    # Report and jurisdiction
    jurisdiction: URIRef
    reportingYear: URIRef
    textLength: URIRef
    textSha256: URIRef
    hasSection: URIRef
    parentJurisdiction: URIRef
    administrativeLevel: URIRef

    # Sections
    path: URIRef
    order: URIRef
    depth: URIRef
    parentSection: URIRef
    servesPart: URIRef

    # Every extracted fact
    inReport: URIRef
    inSection: URIRef
    evidence: URIRef

    # Indicators
    value: URIRef
    unit: URIRef
    qualifier: URIRef
    measures: URIRef
    statedAs: URIRef
    about: URIRef
    partOf: URIRef  # a part of the total another indicator states
    numerator: URIRef  # the count a rate is the share of
    denominator: URIRef  # the count a rate is a share of

    # Awards
    awardLevel: URIRef
    recipient: URIRef
    recipientLabel: URIRef  # the honoured as written
    count: URIRef
    conferredBy: URIRef

    # Cases
    party: URIRef
    concerns: URIRef
    recognition: URIRef

    # Mechanisms and institutions
    mechanismKind: URIRef
    relatedInstitution: URIRef
    institutionKind: URIRef

    # Problems and plans
    focusTerm: URIRef
    addresses: URIRef

    # Report parts
    requiredPart: URIRef

    # Concept schemes (vocab.ttl)
    AdministrativeLevels: URIRef
    ReportParts: URIRef
    Qualifiers: URIRef
    MechanismKinds: URIRef

    # Administrative levels
    National: URIRef
    Provincial: URIRef
    Municipal: URIRef
    County: URIRef
    Township: URIRef
    UnknownLevel: URIRef

    # Report parts
    DutiesPart: URIRef
    MeasuresPart: URIRef
    ProblemsPart: URIRef
    PlansPart: URIRef
    OtherPart: URIRef

    # Qualifiers
    MoreThan: URIRef  # 余
    Nearly: URIRef  # 近
    AtLeast: URIRef  # 以上
    About: URIRef  # 约
    Reaching: URIRef  # 达到
    Exceeding: URIRef  # 超过
    Cumulative: URIRef  # 累计

    # Mechanism kinds
    SystemKind: URIRef  # 制度
    MechanismKindMechanism: URIRef  # 机制
    ModelKind: URIRef  # 模式
    PlatformKind: URIRef  # 平台
    ListKind: URIRef  # 清单
    ColumnKind: URIRef  # 专栏
    ChannelKind: URIRef  # 通道
    ProcedureKind: URIRef  # 程序
    ActionKind: URIRef  # 行动
    ServiceKind: URIRef  # 服务


class OA(DefinedNamespace):
    """The Web Annotation terms used for text evidence: http://www.w3.org/ns/oa#."""

    _fail = True
    _NS = Namespace(OA_NS)

    Annotation: URIRef
    SpecificResource: URIRef
    TextPositionSelector: URIRef
    TextQuoteSelector: URIRef
    hasBody: URIRef
    hasTarget: URIRef
    hasSource: URIRef
    hasSelector: URIRef
    start: URIRef
    end: URIRef
    exact: URIRef
    prefix: URIRef
    suffix: URIRef
    motivatedBy: URIRef
    identifying: URIRef
