"""The prefecture gazetteer: prefecture-level divisions of mainland China and their provinces."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

GAZETTEER = Path(__file__).resolve().parents[1] / "src" / "fazhi_kg" / "data" / "prefectures.tsv"

PROVINCES = [
    "河北省",
    "山西省",
    "内蒙古自治区",
    "辽宁省",
    "吉林省",
    "黑龙江省",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "广西壮族自治区",
    "海南省",
    "四川省",
    "贵州省",
    "云南省",
    "西藏自治区",
    "陕西省",
    "甘肃省",
    "青海省",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
]

SUFFIXES = ("市", "地区", "州", "盟")


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return GAZETTEER.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def rows(lines: list[str]) -> list[dict[str, str]]:
    return list(csv.DictReader(lines, delimiter="\t"))


def test_the_provinces_list_has_27_distinct_entries():
    assert len(set(PROVINCES)) == 27


def test_header(lines):
    assert lines[0] == "prefecture\tprovince"


def test_every_line_has_two_non_empty_fields(lines):
    for n, line in enumerate(lines[1:], start=2):
        fields = line.split("\t")
        assert len(fields) == 2, f"line {n}: {line!r}"
        assert all(f and f == f.strip() for f in fields), f"line {n}: {line!r}"


def test_row_count(rows):
    assert len(rows) >= 330


def test_no_duplicate_prefectures(rows):
    names = [r["prefecture"] for r in rows]
    assert len(names) == len(set(names))


def test_every_province_is_a_province_or_autonomous_region(rows):
    assert {r["province"] for r in rows} <= set(PROVINCES)


def test_every_prefecture_name_has_a_prefecture_level_suffix(rows):
    bad = [r["prefecture"] for r in rows if not r["prefecture"].endswith(SUFFIXES)]
    assert not bad
