"""The outline of a report (heading tree, parts, duties, problems, plans) on short reports written
for these tests in the genre's style: one case per text under tests/data/outline, with the outline
it must give beside it (<name>.json, which says what the text tries)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from conftest import ROOT

from fazhi_kg.errors import InputError
from fazhi_kg.extract import extract
from fazhi_kg.text.read import from_text, read_report

TEXTS = sorted((ROOT / "tests" / "data" / "outline").glob("*.txt"))


@pytest.mark.parametrize("path", TEXTS, ids=[p.stem for p in TEXTS])
def test_outline(path):
    want = json.loads(path.with_suffix(".json").read_text("utf-8"))
    src = read_report(path)
    f = extract(src)
    assert [[s.path, s.part if s.depth == 1 else None, s.title] for s in f.sections] == want[
        "sections"
    ]
    assert [d.name for d in f.duties] == want["duties"]
    assert [p.summary for p in f.problems] == want["problems"]
    assert [[p.summary, list(p.addresses)] for p in f.plans] == want["plans"]
    assert [[i.value, i.unit] for i in f.indicators] == [
        [Decimal(str(v)), u] for v, u in want["indicators"]
    ]
    assert f.excerpt is want["excerpt"]
    if "closing" in want:  # 特此报告, the signature and the date are in no section and no figure
        closing = src.original.index(want["closing"])
        assert all(s.body.end <= closing for s in f.sections)
        assert all(i.span.end <= closing for i in f.indicators)


@pytest.mark.parametrize(
    "text",
    [
        "今天天气很好，我们去公园散步。",
        "本店新到一批水果，苹果每斤5元，欢迎选购。\n一、营业时间\n二、联系方式",
    ],
)
def test_only_a_text_that_never_speaks_of_the_rule_of_law_is_refused(text):
    with pytest.raises(InputError, match=r"never speaks of 法治, 依法 or 执法"):
        extract(from_text(text))


def test_a_year_later_than_the_report_marks_the_plans_part():
    text = (
        "青石县2023年度法治政府建设情况报告\n一、2023年重点工作推进情况\n（一）推进依法决策。\n"
        "二、2024年重点工作\n一是加强执法监督。\n"
    )
    parts = [s.part for s in extract(from_text(text)).sections if s.depth == 1]
    assert parts == ["measures", "plans"]
