"""Precomputed cross-report answers (`fazhi_kg.corpus.aggregates`): a store's build adds up each
report's summary into the rows of `shared-mechanisms`, and a page of them equals the query's own
answer, for every `min_reports`, after rebuilds too."""

from __future__ import annotations

import pytest
from conftest import EMBEDDED, GENRE, ROOT, answer_rows, copy_reports

from fazhi_kg.corpus.aggregates import PRECOMPUTED
from fazhi_kg.corpus.batch import build_corpus
from fazhi_kg.corpus.generations import open_generation
from fazhi_kg.query import pages
from fazhi_kg.query.catalogue import bind, catalogue
from fazhi_kg.query.engine import run
from fazhi_kg.query.store import open_store

CORPUS = ROOT / "tests" / "data" / "corpus"


def _both(store, least, limit):
    """The query's page from the precomputed rows, and as the query itself gives it."""
    query = catalogue()["shared-mechanisms"]
    bindings = bind(query, {} if least is None else {"min_reports": str(least)})
    ready = run(store, query.text, bindings=bindings, limit=limit)
    with _forgotten(store):
        plain = run(store, query.text, bindings=bindings, limit=limit)
    return ready, plain


class _forgotten:
    """The store as if its generation record had no precomputed answers."""

    def __init__(self, store):
        self.store = store

    def __enter__(self):
        self.saved = pages._RECORDS[id(self.store)]
        pages._RECORDS[id(self.store)] = pages._Record(
            self.saved.store, self.saved.reports, self.saved.divisions, self.saved.rows
        )

    def __exit__(self, *exc):
        pages._RECORDS[id(self.store)] = self.saved


def _check(store_dir):
    store = open_store(store_dir=store_dir)
    assert pages._record(store).answers  # the build precomputed them
    for least in (None, 1, 2, 3, 50):
        ready, plain = _both(store, least, None)
        assert answer_rows(ready) == answer_rows(plain), least
        assert ready.variables == plain.variables
        for limit in (1, 7):
            ready, plain = _both(store, least, limit)
            assert answer_rows(ready) == answer_rows(plain), (least, limit)
            assert ready.more == (plain.truncated > 0)
    return [
        tuple(None if v is None else v.value for v in row) for row in _both(store, 1, None)[1].rows
    ]


def test_only_shared_mechanisms_is_precomputed():
    assert PRECOMPUTED == ("shared-mechanisms",)


def test_precomputed_rows_are_the_querys_rows(tmp_path):
    copy_reports([*CORPUS.glob("*.txt"), *GENRE.glob("*.*"), EMBEDDED], tmp_path / "reports")
    build_corpus([tmp_path / "reports"], tmp_path / "out", store=tmp_path / "store", jobs=2)
    rows = _check(tmp_path / "store")
    assert len(rows) > 20 and any(int(r[2]) > 2 for r in rows)  # names several reports share


def test_precomputed_rows_follow_every_rebuild(tmp_path):
    src = tmp_path / "reports"
    copy_reports(sorted(CORPUS.glob("*.txt")), src)
    store_dir = tmp_path / "store"
    build_corpus([src], tmp_path / "out", store=store_dir, jobs=1)
    first = _check(store_dir)
    moved = sorted(src.iterdir())[0]
    hidden = tmp_path / moved.name
    moved.rename(hidden)  # a report leaves
    build_corpus([src], tmp_path / "out", store=store_dir, jobs=1)
    assert _check(store_dir) != first
    changed = sorted(src.iterdir())[0]
    text = changed.read_text(encoding="utf-8") + "\n建立府院联动机制，推行行政执法公示制度。\n"
    changed.write_text(text, encoding="utf-8")
    build_corpus([src], tmp_path / "out", store=store_dir, jobs=1)
    _check(store_dir)
    hidden.rename(moved)  # and comes back
    build_corpus([src], tmp_path / "out", store=store_dir, jobs=1)
    with open_generation(store_dir) as gen:
        assert set(gen.record["answers"]) == set(PRECOMPUTED)


def test_a_changed_query_text_is_run_as_it_is(tmp_path):
    """Rows precomputed for one text of the query do not answer another, nor the query without
    the parameter it takes."""
    import pyoxigraph as ox

    copy_reports(sorted(CORPUS.glob("*.txt"))[:3], tmp_path / "reports")
    build_corpus([tmp_path / "reports"], tmp_path / "out", store=tmp_path / "store", jobs=1)
    store = open_store(store_dir=tmp_path / "store")
    query = catalogue()["shared-mechanisms"]
    other = query.text.replace("ORDER BY DESC(?reports)", "ORDER BY ?reports")
    one = ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    subs = {ox.Variable("min_reports"): one}
    assert pages.precomputed(store, query.text, subs, None) is not None
    assert pages.precomputed(store, other, subs, None) is None
    assert pages.precomputed(store, query.text, {}, None) is None
    bindings = bind(query, {"min_reports": "1"})
    mine = run(store, other, bindings=bindings)
    theirs = run(store, query.text, bindings=bindings)
    assert sorted(answer_rows(mine)) == sorted(answer_rows(theirs)) and answer_rows(
        mine
    ) != answer_rows(theirs)


@pytest.mark.parametrize("given", [{"min_reports": "0"}, {}])
def test_any_min_reports_gives_the_querys_rows(tmp_path_factory, given):
    base = tmp_path_factory.mktemp("agg")
    copy_reports(sorted(CORPUS.glob("*.txt"))[:4], base / "reports")
    build_corpus([base / "reports"], base / "out", store=base / "store", jobs=1)
    store = open_store(store_dir=base / "store")
    query = catalogue()["shared-mechanisms"]
    ready = run(store, query.text, bindings=bind(query, given))
    with _forgotten(store):
        plain = run(store, query.text, bindings=bind(query, given))
    assert answer_rows(ready) == answer_rows(plain) and ready.rows


def test_a_mechanism_without_a_kind_is_one_row_without_a_kind_label(tmp_path):
    """A mechanism that names no kind (a graph from another tool, or edited by hand) is one row
    with no kind label, as the precomputed rows give it; a concept left unbound would match every
    label of the ontology."""
    fz, rdfs = "https://w3id.org/fazhi/ontology#", "http://www.w3.org/2000/01/rdf-schema#"
    files = []
    for n, year in ((1, 2022), (2, 2023)):
        report = f"<https://example.org/r{n}>"
        kind = f"<{fz}mechanismKind> <{fz}SystemKind> ;" if n == 1 else ""
        text = f"""
            {report} <{fz}reportingYear> {year} ; <{fz}jurisdiction> <https://example.org/j> .
            <https://example.org/r{n}/m1> a <{fz}Mechanism> ; <{fz}inReport> {report} ;
                {kind} <{rdfs}label> "联席会议制度"@zh .
            <https://example.org/r{n}/m2> a <{fz}Mechanism> ; <{fz}inReport> {report} ;
                <{rdfs}label> "首问负责制"@zh .
        """
        files.append(tmp_path / f"r{n}.ttl")
        files[-1].write_text(text, encoding="utf-8")
    query = catalogue()["shared-mechanisms"]
    answer = run(open_store(files), query.text, bindings=bind(query, {"min_reports": "2"}))
    rows = {row[0].value: row[1] for row in answer.rows}
    assert len(answer.rows) == 2
    assert rows["首问负责制"] is None
    assert rows["联席会议制度"] is not None and rows["联席会议制度"].value == "制度"
