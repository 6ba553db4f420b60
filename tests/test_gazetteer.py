"""The gazetteer of administrative divisions: its provenance, its tree, every reading of a name, the
years of each record, and the usage aliases (each checked against the gazetteer)."""

from __future__ import annotations

import csv

import pytest

from fazhi_kg.extract.gazetteer import LEVELS, gazetteer
from fazhi_kg.resources import data_dir


@pytest.fixture(scope="module")
def g():
    return gazetteer()


def test_the_header_names_sources_commits_licences_and_dates(g):
    header = "\n".join(g.header)
    for needed in (
        "github.com/yescallop/areacodes commit eed219a0678d36bacaa717f62443b10e869f0291",
        "CC0-1.0",
        "data date 2024-12-31",
        "github.com/modood/Administrative-divisions-of-China",
        "dc3a1d7acd85ca1b0979543e9259604142c52e8e",
        "WTFPL",
        "2023-06-30",
    ):
        assert needed in header


def test_levels_and_counts(g):
    current = [d for d in g if d.valid_to is None and not d.quasi]
    by_level = {level: sum(1 for d in current if d.level == level) for level in LEVELS}
    assert by_level["province"] == 34
    assert by_level["city"] == 333  # the MCA 2024 table
    assert by_level["county"] >= 2846
    assert by_level["township"] >= 38_000
    assert {d.level for d in g} == set(LEVELS)


def test_every_parent_resolves_to_a_higher_level(g):
    rank = {level: n for n, level in enumerate(LEVELS)}
    for d in g:
        if d.level == "province":
            assert d.parent is None, d
            continue
        parent = g.division(d.parent)
        assert parent is not None and rank[parent.level] < rank[d.level], d


def test_municipal_districts_hang_under_the_municipality(g):
    chaoyang = g.division("110105")
    assert (chaoyang.name, chaoyang.level, chaoyang.parent) == ("朝阳区", "county", "110000")
    assert g.qualified_name(chaoyang) == "北京市朝阳区"
    assert [d.name for d in g.path(g.division("320681104"))] == [
        "江苏省",
        "南通市",
        "启东市",
        "东海镇",
    ]


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("巴州", {"511902", "652800"}),  # derived from 巴州区, and the usage alias of 巴音郭楞
        ("朝阳区", {"110105", "220104"}),
        ("通州区", {"110112", "320612"}),
        ("吉林", {"220000", "220200"}),
        ("凉山州", {"513400"}),
        ("张家川县", {"620525"}),
        ("东海镇", {"230321106", "320681104", "350302103"}),
    ],
)
def test_every_reading_is_kept(g, name, codes):
    assert {d.code for d in g.readings(name, 2023)} == codes


def test_township_stems_are_no_readings(g):
    assert all(d.level != "township" for d in g.readings("城关"))


def test_records_are_read_for_their_years(g):
    assert [d.code for d in g.named("静海县", 2014)] == ["120223"]
    assert g.named("静海县", 2016) == ()
    assert [d.code for d in g.named("静海区", 2016)] == ["120118"]
    assert g.named("静海区", 2013) == ()
    # a rename keeps its code: 130503 is 桥西区 up to 2020, 信都区 since
    assert g.division("130503", 2019).name == "桥西区"
    assert g.division("130503", 2021).name == "信都区"
    assert g.same_place(g.division("120223"), g.division("120118"))


def test_qualified_names_find_their_division(g):
    assert [d.code for d in g.by_qualified_name("吉林省长春市朝阳区", 2021)] == ["220104"]
    assert [d.code for d in g.by_qualified_name("北京市朝阳区", 2021)] == ["110105"]
    assert g.by_qualified_name("湖南省朝阳区", 2021) == ()


def test_every_alias_names_a_division_of_the_gazetteer_with_a_source(g):
    lines = (data_dir() / "division_aliases.tsv").read_text(encoding="utf-8").splitlines()
    rows = list(csv.DictReader((x for x in lines if not x.startswith("#")), delimiter="\t"))
    assert rows and set(rows[0]) == {"alias", "code", "name", "source"}
    for row in rows:
        division = g.division(row["code"])
        assert division is not None and division.name == row["name"], row
        assert division.valid_to is None and len(row["source"]) > 20, row
        assert row["code"] in {d.code for d in g.readings(row["alias"])}, row
