"""The ontology files agree with docs/model.md, with each other and with `fazhi_kg.iris.FZ`."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import ORG, OWL, PROV, RDF, RDFS, SH, SKOS
from rdflib.term import Node
from terms import FZ, OA

from fazhi_kg.iris import FZ_NS

ROOT = Path(__file__).parents[1]
ONTOLOGY = ROOT / "ontology"
DCTERMS = Namespace("http://purl.org/dc/terms/")

FZ_TERMS = {URIRef(term) for term in dir(FZ)}
CONCEPT_CLASSES = {
    FZ.AdministrativeLevel,
    FZ.ReportPart,
    FZ.Qualifier,
    FZ.MechanismKind,
    FZ.ChangeDirection,
    FZ.ReportingBody,
}

# docs/model.md, "Concepts": scheme → {concept: notation}
SCHEMES = {
    FZ.AdministrativeLevels: {
        FZ.National: "national",
        FZ.Provincial: "provincial",
        FZ.Municipal: "municipal",
        FZ.County: "county",
        FZ.Township: "township",
        FZ.UnknownLevel: "unknown",
    },
    FZ.ReportParts: {
        FZ.DutiesPart: "duties",
        FZ.MeasuresPart: "measures",
        FZ.ProblemsPart: "problems",
        FZ.PlansPart: "plans",
        FZ.OtherPart: "other",
    },
    FZ.Qualifiers: {
        FZ.MoreThan: "余",
        FZ.Nearly: "近",
        FZ.AtLeast: "以上",
        FZ.About: "约",
        FZ.Reaching: "达到",
        FZ.Exceeding: "超过",
        FZ.Cumulative: "累计",
        FZ.Top: "前",
        FZ.NotLessThan: "不少于",
        FZ.Only: "仅",
    },
    FZ.ChangeDirections: {
        FZ.Increase: "增长",
        FZ.Decrease: "下降",
    },
    FZ.ReportingBodies: {
        FZ.GovernmentBody: "government",
        FZ.DepartmentBody: "department",
    },
    FZ.MechanismKinds: {
        FZ.SystemKind: "制度",
        FZ.MechanismKindMechanism: "机制",
        FZ.ModelKind: "模式",
        FZ.PlatformKind: "平台",
        FZ.ListKind: "清单",
        FZ.ColumnKind: "专栏",
        FZ.ChannelKind: "通道",
        FZ.ProcedureKind: "程序",
        FZ.ActionKind: "行动",
        FZ.ServiceKind: "服务",
    },
}
SCHEME_OF_CLASS = {
    FZ.AdministrativeLevel: FZ.AdministrativeLevels,
    FZ.ReportPart: FZ.ReportParts,
    FZ.Qualifier: FZ.Qualifiers,
    FZ.MechanismKind: FZ.MechanismKinds,
    FZ.ChangeDirection: FZ.ChangeDirections,
    FZ.ReportingBody: FZ.ReportingBodies,
}


@cache
def ontology() -> Graph:
    graph = Graph()
    graph.parse(ONTOLOGY / "fazhi.ttl")
    graph.parse(ONTOLOGY / "vocab.ttl")
    return graph


@cache
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY / "shapes.ttl")


def is_fz(node: Node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(FZ_NS)


def fz_instances(*classes: URIRef) -> set[URIRef]:
    """The fz: terms typed with any of the classes in fazhi.ttl + vocab.ttl."""
    graph = ontology()
    return {
        s
        for cls in classes
        for s in graph.subjects(RDF.type, cls)
        if isinstance(s, URIRef) and is_fz(s)
    }


def fz_classes() -> set[URIRef]:
    return fz_instances(OWL.Class)


def fz_properties() -> set[URIRef]:
    return fz_instances(OWL.ObjectProperty, OWL.DatatypeProperty)


def concepts() -> set[URIRef]:
    return fz_instances(SKOS.Concept)


def languages(graph: Graph, subject: Node, predicate: URIRef) -> list[str]:
    """The language tags of the literal values, sorted ("" for an untagged literal)."""
    return sorted(
        o.language or "" for o in graph.objects(subject, predicate) if isinstance(o, Literal)
    )


# (a) the closed namespace and the Turtle files declare the same terms


def test_namespace_lists_every_declared_term() -> None:
    declared = {s for s in ontology().subjects(RDF.type, None) if is_fz(s)}
    assert declared - FZ_TERMS == set(), "declared in ontology/*.ttl but missing from FZ"
    assert FZ_TERMS - declared == set(), "in FZ but not declared in ontology/*.ttl"


def test_every_fz_term_used_anywhere_is_declared() -> None:
    used: set[Node] = set()
    for graph in (ontology(), shapes()):
        for triple in graph:
            used.update(node for node in triple if is_fz(node))
    assert used - FZ_TERMS == set()


def test_every_fz_term_is_exactly_one_kind_of_thing() -> None:
    graph = ontology()
    kinds = {
        OWL.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        SKOS.Concept,
        SKOS.ConceptScheme,
    }
    for term in FZ_TERMS:
        found = kinds & set(graph.objects(term, RDF.type))
        assert len(found) == 1, f"{term} is typed {found}"


def test_closed_namespace_rejects_unknown_terms() -> None:
    with pytest.raises(AttributeError):
        _ = FZ.Awrd
    assert OA.exact == URIRef("http://www.w3.org/ns/oa#exact")


def test_subclasses_as_in_the_model() -> None:
    graph = ontology()
    expected = [
        (FZ.Institution, ORG.Organization),
        (FZ.Person, PROV.Agent),
        (FZ.ExtractedFact, PROV.Entity),
        (FZ.Count, FZ.Indicator),
        (FZ.Percentage, FZ.Indicator),
        (FZ.Amount, FZ.Indicator),
        (FZ.Recognition, FZ.Award),
        *[(cls, SKOS.Concept) for cls in CONCEPT_CLASSES],
        *[
            (cls, FZ.ExtractedFact)
            for cls in (
                FZ.Section,
                FZ.Institution,
                FZ.Person,
                FZ.LeadershipDuty,
                FZ.Mechanism,
                FZ.Award,
                FZ.Case,
                FZ.Problem,
                FZ.Plan,
                FZ.Indicator,
                FZ.Document,
            )
        ],
    ]
    for sub, sup in expected:
        assert (sub, RDFS.subClassOf, sup) in graph, f"{sub} ⊑ {sup}"
    assert (FZ.inReport, RDFS.subPropertyOf, PROV.wasDerivedFrom) in graph


def test_ontology_header() -> None:
    graph = ontology()
    header = URIRef("https://w3id.org/fazhi/ontology")
    assert (header, RDF.type, OWL.Ontology) in graph
    assert languages(graph, header, DCTERMS.title) == ["en", "zh"]
    assert graph.value(header, OWL.versionInfo) is not None


# (b) labels and comments


@pytest.mark.parametrize("term", sorted(fz_classes() | fz_properties()), ids=lambda t: t.fragment)
def test_class_or_property_has_zh_and_en_label_and_comment(term: URIRef) -> None:
    graph = ontology()
    assert languages(graph, term, RDFS.label) == ["en", "zh"]
    assert languages(graph, term, RDFS.comment) == ["en", "zh"]


def test_properties_have_domain_and_range() -> None:
    graph = ontology()
    for prop in fz_properties():
        assert graph.value(prop, RDFS.domain) is not None, prop
        assert graph.value(prop, RDFS.range) is not None, prop


# (c) concepts


def test_schemes_and_notations_as_in_the_model() -> None:
    graph = ontology()
    for scheme, members in SCHEMES.items():
        assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
        assert languages(graph, scheme, SKOS.prefLabel) == ["en", "zh"]
        in_scheme = set(graph.subjects(SKOS.inScheme, scheme))
        assert in_scheme == set(members), scheme
        for concept, notation in members.items():
            assert graph.value(concept, SKOS.notation) == Literal(notation), concept
    assert concepts() == {c for members in SCHEMES.values() for c in members}


@pytest.mark.parametrize("concept", sorted(concepts()), ids=lambda t: t.fragment)
def test_concept_is_complete(concept: URIRef) -> None:
    graph = ontology()
    assert languages(graph, concept, SKOS.prefLabel) == ["en", "zh"]
    assert languages(graph, concept, SKOS.definition) == ["en", "zh"]
    assert len(list(graph.objects(concept, SKOS.notation))) == 1
    (cls,) = set(graph.objects(concept, RDF.type)) & CONCEPT_CLASSES
    assert (concept, SKOS.inScheme, SCHEME_OF_CLASS[cls]) in graph


def test_required_parts() -> None:
    graph = ontology()
    required = {part: graph.value(part, FZ.requiredPart) for part in SCHEMES[FZ.ReportParts]}
    yes, no = Literal(True), Literal(False)
    assert required == {
        FZ.DutiesPart: yes,
        FZ.MeasuresPart: yes,
        FZ.ProblemsPart: yes,
        FZ.PlansPart: yes,
        FZ.OtherPart: no,
    }


# (d), (e) shapes


def test_every_fz_class_has_a_node_shape() -> None:
    targeted = set(shapes().objects(None, SH.targetClass))
    assert fz_classes() - targeted == set()


def test_shapes_pass_shacl_shacl() -> None:
    import pyshacl

    shacl_shacl = Graph().parse(str(files("pyshacl") / "assets" / "shacl-shacl.ttl"))
    conforms, _, text = pyshacl.validate(shapes(), shacl_graph=shacl_shacl, inference="rdfs")
    assert conforms, text


def test_sparql_constraints_are_the_inspection_rules_and_complete() -> None:
    # SHACL Core wherever it can say it; SPARQL only for arithmetic and cross-node comparisons
    graph = shapes()
    expected = {
        "BreakdownShape",
        "RateAgreementShape",
        "AwardLevelWordsShape",
        "RestatedQuantityShape",
        "TimelinessShape",
    }
    owners = {str(s).rsplit("#", 1)[-1] for s in graph.subjects(SH.sparql, None)}
    assert owners == expected
    for shape, constraint in graph.subject_objects(SH.sparql):
        assert graph.value(shape, SH.severity) in (SH.Violation, SH.Warning, SH.Info)
        assert languages(graph, constraint, SH.message) == ["en", "zh"], constraint
        select = str(graph.value(constraint, SH.select))
        assert "$this" in select and "?value" in select


def test_every_shape_has_zh_and_en_messages() -> None:
    graph = shapes()
    shapes_with_messages = {
        *graph.subjects(RDF.type, SH.NodeShape),
        *graph.subjects(RDF.type, SH.PropertyShape),
        *graph.subjects(SH.path, None),
        *graph.objects(None, SH.property),
    }
    for shape in shapes_with_messages:
        assert languages(graph, shape, SH.message) == ["en", "zh"], shape


def test_the_ontology_graph_itself_conforms() -> None:
    """The concept shapes check vocab.ttl when the ontology is validated with a report."""
    import pyshacl

    conforms, _, text = pyshacl.validate(ontology(), shacl_graph=shapes())
    assert conforms, text


# (f) the JSON-LD context


def context() -> dict[str, Any]:
    document = json.loads((ONTOLOGY / "context.jsonld").read_text(encoding="utf-8"))
    assert set(document) == {"@context"}
    ctx: dict[str, Any] = document["@context"]
    return ctx


def test_context_maps_only_existing_fz_terms() -> None:
    ctx = context()
    assert ctx["@version"] == 1.1
    for prefix in ("fz", "dcterms", "oa", "prov", "skos", "org", "xsd", "rdfs"):
        assert prefix in ctx
    mapped = set()
    for value in ctx.values():
        iri = value["@id"] if isinstance(value, dict) else value
        if isinstance(iri, str) and iri.startswith("fz:"):
            mapped.add(FZ[iri.removeprefix("fz:")])  # raises AttributeError for an unknown term
    assert mapped == FZ_TERMS, "context.jsonld should map every fz term"


def test_context_expands_as_expected() -> None:
    doc = {
        "@context": context(),
        "@id": "fzid:r/award/1-2",
        "type": "Recognition",
        "label": "全省行政复议工作典型案例",
        "awardLevel": "Provincial",
        "count": 2,
        "report": "fzid:r",
        "evidence": "fzid:r/award/1-2/evidence",
    }
    graph = Graph().parse(data=json.dumps(doc), format="json-ld")
    award = URIRef("https://w3id.org/fazhi/id/r/award/1-2")
    assert set(graph) == {
        (award, RDF.type, FZ.Recognition),
        (award, RDFS.label, Literal("全省行政复议工作典型案例", lang="zh")),
        (award, FZ.awardLevel, FZ.Provincial),
        (award, FZ.count, Literal(2)),
        (award, FZ.inReport, URIRef("https://w3id.org/fazhi/id/r")),
        (award, FZ.evidence, URIRef("https://w3id.org/fazhi/id/r/award/1-2/evidence")),
    }


def _built_graph_lines() -> str:
    """The triples the mapping writes for every report text the tests hold."""
    from fazhi_kg.corpus.build import build_report

    data = ROOT / "tests" / "data"
    texts = [ROOT / "reports" / "bazhou-2023.txt", *sorted((data / "links").glob("*.txt"))]
    texts += [p for d in ("genre", "reports") for p in sorted((data / d).iterdir())]
    lines = []
    for p in texts:
        if p.suffix in (".txt", ".html"):
            built = build_report(p)
            assert built.graph_triples is not None
            lines.extend(built.graph_triples.lines)
    return "\n".join(lines)


def test_every_ontology_term_is_used_by_a_graph_a_shape_or_a_query() -> None:
    """A term that nothing writes, constrains or asks about is dead weight in the ontology; and
    the graphs use no fz: term the ontology lacks."""
    import re

    from fazhi_kg import iris

    graphs = _built_graph_lines()
    written = set(re.findall(rf"<{re.escape(FZ_NS)}([A-Za-z0-9]+)>", graphs))
    rules = (ROOT / "ontology" / "shapes.ttl").read_text(encoding="utf-8")
    rules += "".join(p.read_text(encoding="utf-8") for p in (ROOT / "queries").glob("*.rq"))
    asked = set(re.findall(r"\bfz:([A-Za-z0-9]+)", rules))
    declared = set(iris.terms(iris.FZ))
    assert declared - written - asked == set()
    assert written - declared == set()
