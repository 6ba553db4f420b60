"""ontology/shapes.ttl accepts every graph under tests/data/shapes/valid and rejects every graph under
tests/data/shapes/invalid for the stated reason.

Each invalid file starts with `# expect: <constraint component> [hint]`: the validation report must
hold a result (at the top level or nested under sh:detail) from that SHACL constraint component. The
optional hint narrows it down: a CURIE such as `fz:value` is the result path, `focus=<path>` the
focus node relative to https://w3id.org/fazhi/id/ (`focus=_:…` for a blank node).
Adding a file adds a test.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from fazhi_kg.iris import ID_NS

ROOT = Path(__file__).parents[1]
ONTOLOGY = ROOT / "ontology"
CASES = Path(__file__).parent / "data" / "shapes"
VALID = sorted((CASES / "valid").glob("*.ttl"))
INVALID = sorted((CASES / "invalid").glob("*.ttl"))
EXPECT = re.compile(r"# expect: (?P<component>[A-Za-z]+ConstraintComponent)(?: (?P<hint>\S+))?\s*$")


@cache
def ontology() -> Graph:
    graph = Graph()
    graph.parse(ONTOLOGY / "fazhi.ttl")
    graph.parse(ONTOLOGY / "vocab.ttl")
    return graph


@cache
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY / "shapes.ttl")


def validate(data: Graph) -> tuple[bool, Graph, str]:
    import pyshacl

    # notes (sh:Info) do not fail a report, as in `fazhi validate`
    conforms, report, text = pyshacl.validate(
        data, shacl_graph=shapes(), ont_graph=ontology(), allow_infos=True
    )
    assert isinstance(report, Graph)
    return bool(conforms), report, str(text)


def expectation(path: Path) -> tuple[str, str | None]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = EXPECT.fullmatch(first)
    assert match, f"{path.name}: first line must be '# expect: <Component> [hint]', got {first!r}"
    return match["component"], match["hint"]


def matches(report: Graph, data: Graph, result: Node, hint: str | None) -> bool:
    if hint is None:
        return True
    if hint.startswith("focus="):
        focus = report.value(result, SH.focusNode)
        wanted = hint.removeprefix("focus=")
        if wanted.startswith("_:"):
            return isinstance(focus, BNode)
        return focus == URIRef(ID_NS + wanted)
    return report.value(result, SH.resultPath) == data.namespace_manager.expand_curie(hint)


def test_there_are_enough_cases() -> None:
    assert len(VALID) >= 4
    assert len(INVALID) >= 12


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_graph_conforms(path: Path) -> None:
    conforms, _, text = validate(Graph().parse(path))
    assert conforms, text


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_graph_fails_for_the_stated_reason(path: Path) -> None:
    component, hint = expectation(path)
    data = Graph().parse(path)
    conforms, report, text = validate(data)
    assert not conforms, f"{path.name} conforms but should fail with {component}"
    found = [
        result
        for result in report.subjects(SH.sourceConstraintComponent, SH[component])
        if matches(report, data, result, hint)
    ]
    assert found, f"{path.name}: no {component} result matching {hint!r}:\n{text}"
