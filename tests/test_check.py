"""Inspection: every constraint fires on its faulty report and stays silent elsewhere; the fast
validator reports exactly what pySHACL reports; `fazhi check` prints the report card."""

from __future__ import annotations

import json

import pytest
from conftest import EMBEDDED, GENRE, ROOT, run_fazhi
from rdflib import Graph, Literal, Namespace, URIRef

from fazhi_kg.corpus.build import build_report, check_report
from fazhi_kg.validate import validate_graph

REPORTS = ROOT / "tests" / "data" / "reports"
FZ = Namespace("https://w3id.org/fazhi/ontology#")
# file → the (severity, shape) findings it must give, and nothing else of Violation/Warning level
EXPECTED = {
    "clean-2023": set(),
    "level-mismatch-2023": set(),
    "missing-part-2023": {("Violation", "RequiredPart-problems")},
    "breakdown-2023": {("Violation", "BreakdownShape")},
    "wrong-rate-2023": {("Violation", "RateAgreementShape")},
    "rate-120-2023": {("Violation", "Rate-value")},
    "unanswered-problem-2023": {("Warning", "Problem-answered")},
    "late-2023": {("Warning", "TimelinessShape")},
    "duplicate-2023": {("Warning", "RestatedQuantityShape")},
    "orphan-plan-2023": set(),
}


def _graph(path) -> Graph:
    g = Graph()
    g.parse(data=build_report(path).turtle, format="turtle")
    return g


def _findings(rep, severities=("Violation", "Warning")) -> set[tuple[str, str]]:
    return {
        (r.severity, r.shape.rsplit("#", 1)[-1]) for r in rep.results if r.severity in severities
    }


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_constraint_fires_on_its_case_and_only_there(name):
    rep = validate_graph(_graph(REPORTS / f"{name}.txt"))
    assert _findings(rep) == EXPECTED[name]


def test_every_inspection_rule_has_a_case():
    fired = set().union(*EXPECTED.values()) | {
        ("Info", "Plan-answers"),
        ("Warning", "AwardLevelWordsShape"),
    }
    assert {shape for _, shape in fired} >= {
        "RequiredPart-problems",
        "BreakdownShape",
        "RateAgreementShape",
        "Rate-value",
        "Problem-answered",
        "Plan-answers",
        "TimelinessShape",
        "RestatedQuantityShape",
        "AwardLevelWordsShape",
    }


def test_a_plan_that_answers_nothing_is_a_note():
    rep = validate_graph(_graph(REPORTS / "orphan-plan-2023.txt"))
    notes = [r for r in rep.results if r.severity == "Info"]
    assert [(r.shape.rsplit("#", 1)[-1], r.section) for r in notes] == [("Plan-answers", "四/三是")]
    assert rep.conforms


def test_award_level_disagreeing_with_its_title_is_a_warning():
    g = _graph(REPORTS / "level-mismatch-2023.txt")
    national = next(a for a in g.subjects(FZ.awardLevel, FZ.National))
    assert not _findings(validate_graph(g))
    g.set((national, FZ.awardLevel, FZ.Municipal))
    rep = validate_graph(g)
    assert _findings(rep) == {("Warning", "AwardLevelWordsShape")}
    assert next(r for r in rep.results if r.severity == "Warning").focus == str(national)


def test_embedded_report_is_silent_but_for_its_real_findings():
    rep = validate_graph(_graph(EMBEDDED))
    assert rep.conforms and not _findings(rep)
    notes = sorted(r.section for r in rep.results if r.severity == "Info")
    assert notes == ["四/四是"]  # the business-environment plan answers none of the problems


CASES = [*sorted(REPORTS.glob("*.txt")), EMBEDDED, *sorted(GENRE.glob("*.txt"))]


def _key(rep) -> set[tuple[str, str, str, str, str]]:
    return {(r.severity, r.shape, r.focus, r.constraint, r.value or "") for r in rep.results}


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_fast_validation_reports_exactly_what_pyshacl_reports(path):
    g = _graph(path)
    assert _key(validate_graph(g, engine="fast")) == _key(validate_graph(g, engine="pyshacl"))


def test_fast_validation_matches_pyshacl_on_a_mutated_graph():
    g = _graph(REPORTS / "level-mismatch-2023.txt")
    for award in list(g.subjects(FZ.awardLevel, None)):
        g.set((award, FZ.awardLevel, FZ.County))
    ind = next(g.subjects(FZ.unit, Literal("%")), None)
    if ind is not None:
        g.set(
            (
                ind,
                FZ.value,
                Literal("101.5", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal")),
            )
        )
    fast, ref = validate_graph(g, engine="fast"), validate_graph(g, engine="pyshacl")
    assert _key(fast) == _key(ref) and len(_key(fast)) >= 3


# Mutations of a built report graph that each hit one SHACL Core component the shapes use; the
# fast engine must report exactly what pySHACL reports, messages and paths included.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
OA = Namespace("http://www.w3.org/ns/oa#")
DCT = Namespace("http://purl.org/dc/terms/")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _first(g, cls):
    return sorted(g.subjects(RDF_TYPE, cls), key=str)[0]


def _set(g, s, p, o):
    g.remove((s, p, None))
    g.add((s, p, o))


def _lone_percentage(g):
    """A percentage with the counts beside it unlinked: changing it then fires only the component
    under test, not also the rate check (whose SPARQL message pyshacl gives in English only)."""
    p = _first(g, FZ.Percentage)
    g.remove((p, FZ.numerator, None))
    g.remove((p, FZ.denominator, None))
    return p


def _report_node(g):
    return _first(g, FZ.Report)


def _fact(g):
    return _first(g, FZ.Indicator)


def _target(g):
    return next(g.objects(next(g.objects(_fact(g), FZ.evidence)), OA.hasTarget))


def _position(g):
    return next(
        s
        for s in g.objects(_target(g), OA.hasSelector)
        if (s, RDF_TYPE, OA.TextPositionSelector) in g
    )


MUTATIONS = {
    # component → (mutation, the component that must fire)
    "min-count": (lambda g: g.remove((_report_node(g), DCT.title, None)), "MinCount"),
    "max-count": (
        lambda g: g.add((_report_node(g), DCT.identifier, Literal("second"))),
        "MaxCount",
    ),
    "class": (lambda g: _set(g, _fact(g), FZ.inReport, _first(g, FZ.Section)), "Class"),
    "datatype-plain": (
        lambda g: _set(g, _report_node(g), FZ.reportingYear, Literal("2023")),
        "Datatype",
    ),
    "datatype-subtype": (
        lambda g: _set(g, _position(g), OA.start, Literal("5", datatype=XSD.integer)),
        "Datatype",
    ),
    "datatype-ill-typed": (
        lambda g: _set(g, _position(g), OA.end, Literal("-7", datatype=XSD.nonNegativeInteger)),
        "Datatype",
    ),
    "datatype-not-a-number": (
        lambda g: _set(g, _first(g, FZ.Section), FZ.depth, Literal("many", datatype=XSD.integer)),
        "Datatype",
    ),
    "datatype-explicit-string": (
        lambda g: _set(g, _fact(g), FZ.unit, Literal("件", datatype=XSD.string)),
        None,  # xsd:string either way: nothing fires
    ),
    "has-value": (
        lambda g: _set(g, next(g.objects(_fact(g), FZ.evidence)), OA.motivatedBy, OA.describing),
        "Node",  # inside the evidence shape, reached through sh:node
    ),
    "qualified-min-count": (
        lambda g: _set(g, _fact(g), RDFS.label, Literal("label", lang="en")),
        "QualifiedMinCount",
    ),
    "qualified-min-count-part": (
        lambda g: [
            g.remove((s, FZ.servesPart, FZ.ProblemsPart))
            for s in list(g.subjects(FZ.servesPart, FZ.ProblemsPart))
        ],
        "Or",  # a complete report's required part: sh:or with the excerpt exemption
    ),
    "qualified-max-count": (
        lambda g: [
            g.add((_target(g), OA.hasSelector, URIRef(str(_position(g)) + "-2"))),
            g.add((URIRef(str(_position(g)) + "-2"), RDF_TYPE, OA.TextPositionSelector)),
        ],
        "Node",  # inside the evidence shape, reached through sh:node
    ),
    "min-inclusive": (
        lambda g: _set(g, _first(g, FZ.Section), FZ.order, Literal(0)),
        "MinInclusive",
    ),
    "max-inclusive": (
        lambda g: _set(g, _lone_percentage(g), FZ.value, Literal("100.5", datatype=XSD.decimal)),
        "MaxInclusive",
    ),
    "max-inclusive-year": (
        lambda g: _set(g, _report_node(g), FZ.reportingYear, Literal(2200)),
        "MaxInclusive",
    ),
    "non-canonical-integer": (
        lambda g: _set(g, _first(g, FZ.Section), FZ.order, Literal("007", datatype=XSD.integer)),
        None,
    ),
    "has-value-top": (
        lambda g: _set(g, _first(g, FZ.Percentage), FZ.unit, Literal("件")),
        "HasValue",
    ),
    "node-kind-top": (
        lambda g: _set(g, _report_node(g), FZ.jurisdiction, Literal("somewhere")),
        "NodeKind",
    ),
    "min-length": (lambda g: _set(g, _fact(g), FZ.unit, Literal("")), "MinLength"),
    "language-in": (
        lambda g: _set(g, _report_node(g), DCT.title, Literal("Report", lang="en")),
        "LanguageIn",
    ),
    "language-in-subtag": (
        lambda g: _set(g, _first(g, FZ.Section), DCT.title, Literal("标题", lang="zh-Hans")),
        None,
    ),
    "node-kind": (
        lambda g: _set(g, next(g.objects(_fact(g), FZ.evidence)), OA.hasBody, Literal("fact")),
        "Node",  # inside the evidence shape, reached through sh:node
    ),
    "or": (lambda g: _set(g, _fact(g), FZ.value, Literal("12")), "Or"),
    "or-recipient": (
        lambda g: g.add((_first(g, FZ.Award), FZ.recipient, _first(g, FZ.Section))),
        "Or",
    ),
    "or-top-section": (
        lambda g: [g.remove((s, FZ.servesPart, None)) for s in g.subjects(FZ.depth, Literal(1))],
        "Or",
    ),
    "not": (lambda g: g.add((_first(g, FZ.Institution), RDF_TYPE, FZ.Person)), "Not"),
    "node": (
        lambda g: g.remove((next(g.objects(_fact(g), FZ.evidence)), OA.hasTarget, None)),
        "Node",
    ),
    "unique-lang": (
        lambda g: g.add((_fact(g), RDFS.label, Literal("另一个名称", lang="zh"))),
        "UniqueLang",
    ),
    "equals-inverse-path": (
        lambda g: _set(
            g, next(g.objects(_fact(g), FZ.evidence)), OA.hasBody, _first(g, FZ.Section)
        ),
        "Node",  # the evidence shape is reached through sh:node
    ),
    "equals-sequence-path": (
        lambda g: _set(g, _target(g), OA.hasSource, URIRef("https://w3id.org/fazhi/id/other-2023")),
        "Equals",
    ),
    "less-than": (
        lambda g: _set(
            g, _position(g), OA.start, Literal("100000", datatype=XSD.nonNegativeInteger)
        ),
        "LessThan",
    ),
    "pattern": (
        lambda g: _set(g, _report_node(g), FZ.textSha256, Literal("ABC")),
        "Pattern",
    ),
    "in": (
        lambda g: _set(g, _first(g, FZ.Institution), FZ.institutionKind, Literal("ministry")),
        "In",
    ),
    "in-typed-string": (
        lambda g: _set(
            g, _first(g, FZ.Institution), FZ.institutionKind, Literal("other", datatype=XSD.string)
        ),
        "In",
    ),
    "warning-severity": (
        lambda g: [g.remove((p, FZ.addresses, None)) for p in list(g.subjects(RDF_TYPE, FZ.Plan))],
        "MinCount",
    ),
}


def _full_key(rep) -> set[tuple[str, ...]]:
    def n(x: str | None) -> str:
        return "_:" if x and x.startswith(("N", "_:")) and "/" not in x else (x or "")

    return {
        (
            r.severity,
            r.shape,
            n(r.focus),
            r.path or "",
            n(r.value),
            r.constraint,
            json.dumps(r.messages, sort_keys=True, ensure_ascii=False),
        )
        for r in rep.results
    }


@pytest.fixture(scope="module")
def award_graph() -> Graph:
    return _graph(REPORTS / "level-mismatch-2023.txt")


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_fast_validation_matches_pyshacl_on_each_component(award_graph, name):
    mutate, component = MUTATIONS[name]
    g = Graph()
    for t in award_graph:
        g.add(t)
    mutate(g)
    fast, ref = validate_graph(g, engine="fast"), validate_graph(g, engine="pyshacl")
    assert _full_key(fast) == _full_key(ref)
    fired = {r.constraint for r in ref.results if r.severity != "Info"}
    if component is None:
        assert not fired
    else:
        assert component + "ConstraintComponent" in fired


def test_report_card_of_the_embedded_report():
    card = check_report(EMBEDDED)
    assert all(p.present for p in card.parts)
    assert (
        card.counts["indicators"] >= 60
        and card.counts["awards"] + card.counts["recognitions"] >= 10
    )
    assert card.on_time is True and card.deadline == "2024-04-01"
    assert card.problems == 3 and card.plans == 4


def test_check_command_exit_codes_and_formats():
    ok = run_fazhi("check", str(EMBEDDED))
    assert ok.returncode == 0, ok.stderr
    out = ok.stdout.decode()
    assert "✓ first-responsible-person duties" in out and "0 violations" in out
    zh = run_fazhi("check", str(EMBEDDED), "--lang", "zh").stdout.decode()
    assert "结构：法定组成部分" in zh
    bad = run_fazhi("check", str(REPORTS / "wrong-rate-2023.txt"))
    assert bad.returncode == 1
    assert "审结140件，审结率【93%】" in bad.stdout.decode()
    late = run_fazhi("check", str(REPORTS / "late-2023.txt"))
    assert late.returncode == 1
    assert run_fazhi("check", str(REPORTS / "late-2023.txt"), "--allow-warnings").returncode == 0
    data = json.loads(
        run_fazhi("check", str(REPORTS / "missing-part-2023.txt"), "--format", "json").stdout
    )
    assert data["violations"] == 1 and [p["present"] for p in data["parts"]] == [
        True,
        True,
        False,
        True,
    ]
    missing = run_fazhi("check", str(REPORTS / "nope.txt"))
    assert missing.returncode == 2 and b"does not exist" in missing.stderr
