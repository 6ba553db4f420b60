"""Links between facts are decided in extraction (`fazhi_kg.extract.link`) and only mapped to RDF.

The text under tests/data/links/ is written for these cases: totals of the whole area, a body that
commends, a body that is the object of a preposition, subjects of clauses and sentences, a case
with its parties and honour, a mechanism and the body that set it up, plans and the problems they
answer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fazhi_kg.extract import extract_file
from fazhi_kg.facts import Facts, Ref
from fazhi_kg.iris import FZ
from fazhi_kg.rdf.mapping import facts_to_triples

TEXT = Path(__file__).parent / "data" / "links" / "subjects-2023.txt"


@pytest.fixture(scope="module")
def facts() -> Facts:
    return extract_file(TEXT)


def _name(facts: Facts, ref: Ref) -> str:
    fact = getattr(facts, ref.family)[ref.index]
    return str(getattr(fact, "name", None) or getattr(fact, "title", None))


def _about(facts: Facts, stated: str) -> list[str]:
    (ind,) = [i for i in facts.indicators if i.stated == stated]
    return [_name(facts, r) for r in ind.about]


@pytest.mark.parametrize(
    ("stated", "about"),
    [
        ("86件", ["县司法局"]),  # the subject opens the clause
        ("120万元", ["县司法局"]),  # … or the sentence
        ("45个", []),  # 全县共有: a total of the whole area
        ("1300件", []),  # the same sentence's total
        ("210件", ["城关司法所"]),  # 其中城关司法所…: one office's share
        ("2件", []),  # 向市政府备案: the government is where the files went
        ("38件", ["县人民法院"]),
        ("65件", ["县市场监管局"]),  # the commending 省市场监管局 is not the subject
        ("3个", ["退役军人法律服务工作站"]),  # the number follows the name at once
    ],
)
def test_an_indicator_is_about_the_body_its_clause_names(
    facts: Facts, stated: str, about: list[str]
) -> None:
    assert _about(facts, stated) == about


def test_mechanism_award_and_case_links(facts: Facts) -> None:
    (mech,) = [m for m in facts.mechanisms if "明白人" in m.name]
    (brand,) = [m for m in facts.mechanisms if "夜校" in m.name]
    assert brand.kind == "服务" and [_name(facts, r) for r in brand.institutions] == ["县司法局"]
    assert [_name(facts, r) for r in mech.institutions] == ["县司法局"]
    praise = next(a for a in facts.awards if a.title.endswith("通报表扬"))
    assert praise.conferrer is not None and _name(facts, praise.conferrer) == "省市场监管局"
    assert [_name(facts, r) for r in praise.recipients] == ["县市场监管局"]
    (case,) = facts.cases
    assert [_name(facts, r) for r in case.party_refs] == ["张某某", "县市场监管局"]
    assert [p.name for p in facts.persons] == ["张某某"]  # a party, not the honoured case
    assert case.concerns is not None and _name(facts, case.concerns) == "县市场监管局"
    assert case.recognized_by is not None
    honour = facts.awards[case.recognized_by.index]
    assert case.recognition == honour.title and Ref("cases", 0) in honour.recipients
    assert [p.addresses for p in facts.plans] == [(0,), (1,)]


def test_the_mapping_writes_the_links_it_is_given(facts: Facts) -> None:
    triples = facts_to_triples(facts, TEXT.read_text(encoding="utf-8"), rid="links-2023")
    lines = "\n".join(triples.lines)
    about = f"<{FZ.about}>"
    assert lines.count(about) == sum(len(i.about) for i in facts.indicators)
    assert lines.count(f"<{FZ.relatedInstitution}>") == 2
    assert lines.count(f"<{FZ.conferredBy}>") == sum(a.conferrer is not None for a in facts.awards)
    assert lines.count(f"<{FZ.recognition}>") == 1
