"""Indicators as shared/eval/ANNOTATION.md defines them, one case per sentence of
tests/data/indicators/cases.json (sentences written for these tests in the genre's style)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from conftest import ROOT

from fazhi_kg.extract import extract
from fazhi_kg.extract.clauses import find_quotes
from fazhi_kg.extract.numbers import find_quantities, relate
from fazhi_kg.text.read import from_text

HEAD = "青石县人民政府关于2023年度法治政府建设情况的报告\n一、2023年主要工作情况\n"
CASES = json.loads((ROOT / "tests" / "data" / "indicators" / "cases.json").read_text("utf-8"))


@pytest.mark.parametrize(
    "case", CASES["cases"], ids=[f"{c['mechanism']}: {c['text']}" for c in CASES["cases"]]
)
def test_indicator_case(case):
    src = from_text(HEAD + case["text"])
    found = extract(src).indicators
    assert [(i.value, i.unit, i.qualifier, i.change) for i in found] == [
        (Decimal(str(v)), unit, qualifier, change)
        for v, unit, qualifier, change, _ in case["expect"]
    ]
    for ind, (*_, fragment) in zip(found, case["expect"], strict=True):
        assert fragment in ind.what, (ind.what, fragment)
        # what is measured is never a bound
        assert not ind.what.startswith(("将", "仅", "不少于", "约", "近")), ind.what
        stated = src.original[ind.span.start : ind.span.end]
        assert stated == ind.stated and any(ch.isnumeric() or ch == "两" for ch in stated)


def test_a_change_is_its_own_kind_and_no_share():
    found = extract(from_text(HEAD + "线上调解申请量同比增长约300%,调解成功率96%。")).indicators
    assert [i.kind for i in found] == ["change", "rate"]  # a …率 is a share of a whole
    found = extract(from_text(HEAD + "完成年度任务的120%。")).indicators
    assert [i.kind for i in found] == ["percentage"]  # a percentage that is no share


def test_fused_rates_span_from_each_name_to_the_number():
    src = from_text(HEAD + "复议决定履行率和纠错率均为100%。")
    assert [i.stated for i in extract(src).indicators] == [
        "复议决定履行率和纠错率均为100%",
        "纠错率均为100%",
    ]


def _parts(text: str) -> dict[int, int]:
    qs = find_quantities(text, find_quotes(text))
    return relate(text, qs).part_of


def test_a_breakdown_the_text_announces_is_one_even_when_it_does_not_add_up():
    # 52 + 19 + 31 > 96: the report is wrong, and the graph's breakdown check says so
    assert _parts("清理规范性文件96件,其中继续有效52件、修改19件、废止31件。") == {1: 0, 2: 0, 3: 0}


def test_a_list_after_a_total_is_its_breakdown_only_where_it_fits():
    assert _parts("清理规范性文件140件,废止36件、修改22件。") == {1: 0, 2: 0}
    # other activities of the same unit, not parts of the first: 5 + 90 + 160 > 130
    assert _parts("专题学习130场次,举办讲座5场次,专题培训90场次、巡回宣讲160场次。") == {}
