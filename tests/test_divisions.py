"""Reports as divisions of the national gazetteer: one node per division shared by every report,
the divisions graph shipped as data, and the stored questions about places and years (reports,
jurisdiction-years, coverage) on a small corpus of real divisions."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import ROOT

from fazhi_kg.corpus.build import build_report
from fazhi_kg.iris import FZ, division_iri
from fazhi_kg.query.catalogue import bind, get
from fazhi_kg.query.engine import run
from fazhi_kg.query.store import add_graphs, open_store
from fazhi_kg.rdf.divisions import DIVISIONS_FILE, divisions_ntriples

CORPUS = ROOT / "tests" / "data" / "corpus"


def test_the_shipped_divisions_graph_is_the_gazetteers() -> None:
    """data/divisions.nt.gz is made from the gazetteer; regenerate it with
    `python -m fazhi_kg.rdf.divisions` when the gazetteer changes."""
    shipped = ROOT / "src" / "fazhi_kg" / "data" / DIVISIONS_FILE
    assert gzip.decompress(shipped.read_bytes()) == divisions_ntriples()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    out = tmp_path_factory.mktemp("graphs")
    files: list[Path] = []
    for text in sorted(CORPUS.glob("*.txt")):
        built = build_report(text)
        path = out / f"{built.rid}.ttl"
        path.write_bytes(built.turtle)
        files.append(path)
    store = open_store(files)
    add_graphs(store, ["divisions"])
    return store


def _rows(store: ox.Store, name: str, **params: str) -> list[list[str]]:
    query = get(name)
    answer = run(store, query.text, bindings=bind(query, params))
    keep = [i for i, v in enumerate(answer.variables) if query.param(v) is None]
    return [["" if row[i] is None else row[i].value for i in keep] for row in answer.rows]


def test_reports_share_their_divisions_nodes(corpus: ox.Store) -> None:
    kecheng = ox.NamedNode(division_iri("330802"))
    graphs = {
        q.graph_name
        for q in corpus.quads_for_pattern(kecheng, ox.NamedNode(FZ.parentJurisdiction), None)
    }
    assert len(graphs) == 4  # three reports of 柯城区 and the divisions graph


@pytest.mark.parametrize(
    ("params", "ids"),
    [
        ({}, 5),
        ({"place": "衢州市"}, 5),
        ({"place": "330800"}, 5),
        ({"place": "浙江省", "level": "county", "year": "2022"}, 2),
        ({"place": "柯城区"}, 3),
        ({"place": "四川省"}, 0),
        ({"body": "department"}, 0),
    ],
)
def test_reports_by_place_level_body_and_year(
    corpus: ox.Store, params: dict[str, str], ids: int
) -> None:
    rows = _rows(corpus, "reports", **params)
    assert len(rows) == ids
    assert all(row[1].startswith("浙江省衢州市") and row[4] == "government" for row in rows)


def test_one_division_across_the_years(corpus: ox.Store) -> None:
    by_name = _rows(corpus, "jurisdiction-years", division="柯城区")
    assert [row[0] for row in by_name] == ["2021", "2022", "2023"]
    assert _rows(corpus, "jurisdiction-years", division="330802") == by_name


def test_coverage_lists_every_county_of_the_province_for_the_year(corpus: ox.Store) -> None:
    rows = _rows(corpus, "coverage", province="浙江省", year="2022")
    covered = {row[1]: row[3] for row in rows if row[3]}
    assert set(covered) == {"柯城区", "龙游县"}
    assert covered["龙游县"].endswith("2022")
    assert len(rows) > 80  # every county-level division of 浙江省 in 2022, reported or not
    assert len({row[0] for row in rows}) == len(rows)
    cities = _rows(corpus, "coverage", province="330000", year="2022", level="municipal")
    assert len(cities) == 11 and not any(row[3] for row in cities)
