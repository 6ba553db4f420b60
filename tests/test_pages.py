"""Pages and report scopes on a corpus store: a per-report stored query read report by report gives
the same rows as the whole query, a page is the whole answer's first rows, and --report narrows
any query to some reports as if the store held only those."""

from __future__ import annotations

import contextlib
import re
import shutil

import pytest
from conftest import EMBEDDED, GENRE, ROOT, run_fazhi

from fazhi_kg.corpus.batch import build_corpus
from fazhi_kg.errors import UsageError
from fazhi_kg.query import pages as sparql
from fazhi_kg.query.answer import Answer
from fazhi_kg.query.catalogue import bind, catalogue, load_query
from fazhi_kg.query.engine import run
from fazhi_kg.query.pages import report_graphs, select_reports
from fazhi_kg.query.render import Format, select
from fazhi_kg.query.store import open_store

CORPUS = ROOT / "tests" / "data" / "corpus"
FLAWED = ("unanswered-problem-2023.txt", "missing-part-2023.txt")  # rows for two more queries


def _args(name: str) -> dict[str, str]:
    query = catalogue()[name]
    return {p.name: p.example for p in query.params if p.required and p.example}


def _whole(stores, name):
    """The big store, the stored query, its bindings (examples for required parameters) and its
    whole answer."""
    store = stores[0]
    query = catalogue()[name]
    bindings = bind(query, _args(name))
    return store, query, bindings, run(store, query.text, bindings=bindings)


def _rows(answer: Answer) -> list[tuple[str | None, ...]]:
    return [tuple(None if t is None else str(t) for t in row) for row in answer.rows]


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """A store of thirteen reports (the small corpus, the genre reports, two flawed reports, the
    embedded report), and
    a store of the three 柯城区 reports alone."""
    base = tmp_path_factory.mktemp("pages")
    src = base / "reports"
    src.mkdir()
    flawed = [ROOT / "tests" / "data" / "reports" / f for f in FLAWED]
    for path in [*CORPUS.glob("*.txt"), *GENRE.glob("*.*"), *flawed, EMBEDDED]:
        if path.suffix not in (".txt", ".html"):
            continue
        shutil.copy(path, src / path.name)
    build_corpus([src], base / "out", store=base / "store", jobs=2)
    part = base / "part"
    part.mkdir()
    for path in CORPUS.glob("huaipu-*.txt"):
        shutil.copy(path, part / path.name)
    build_corpus([part], base / "part-out", store=base / "part-store", jobs=1)
    return open_store(store_dir=base / "store"), open_store(store_dir=base / "part-store"), base


REPORT_SCOPED = sorted(n for n, q in catalogue().items() if q.scope == "report")
DIVISION_SCOPED = sorted(n for n, q in catalogue().items() if q.scope == "division")
CORPUS_SCOPED = sorted(n for n, q in catalogue().items() if q.scope == "corpus")
PARTED = REPORT_SCOPED + DIVISION_SCOPED


def test_every_stored_query_declares_a_scope_that_fits_its_order():
    assert len(REPORT_SCOPED) >= 15 and len(CORPUS_SCOPED) >= 4 and DIVISION_SCOPED
    for name in PARTED:
        first = "?report" if name in REPORT_SCOPED else "?division"
        order = re.search(r"^ORDER BY (.*)$", catalogue()[name].text, re.MULTILINE)
        assert order is not None and order.group(1).split()[0] == first, name


def test_a_scope_other_than_report_division_or_corpus_is_refused(tmp_path):
    path = tmp_path / "odd.rq"
    path.write_text("#+ scope: region\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r'scope of odd\.rq is "region"; write scope: report'):
        load_query(path)


def test_division_parts_group_each_divisions_reports_in_code_order(stores):
    store, _, _ = stores
    parts = sparql.division_parts(store)
    ids = {g.value: rid for rid, g in report_graphs(store)}
    codes = []
    for part in parts:
        found = {
            row[0].value
            for g in part
            for row in store.query(
                "SELECT ?j ?g WHERE { GRAPH ?g { ?r <https://w3id.org/fazhi/ontology#jurisdiction> ?j } }",
                substitutions={sparql.ox.Variable("g"): g},
            )
        }
        assert len(found) == 1  # one division per part
        codes.append(found.pop().rsplit("/", 1)[1])
        assert [ids[g.value] for g in part] == sorted(ids[g.value] for g in part)
    assert codes == sorted(codes) and len(set(codes)) == len(codes)
    assert any(len(p) == 3 for p in parts)  # the three 柯城区 reports, together
    assert sum(len(p) for p in parts) < len(ids)  # the unresolved report is in none


def test_report_graphs_come_in_id_order(stores):
    store, _, _ = stores
    ids = [rid for rid, _ in report_graphs(store)]
    assert len(ids) == 13 and ids == sorted(ids)
    assert {g.value for _, g in report_graphs(store)} == {
        g.value for g in store.named_graphs() if g.value.endswith("/graph")
    }


@pytest.mark.parametrize("name", PARTED)
def test_part_by_part_gives_the_whole_answer_and_its_first_rows(stores, name):
    store, query, bindings, whole = _whole(stores, name)
    scope = query.scope
    each = run(store, query.text, bindings=bindings, reports=report_graphs(store), scope=scope)
    assert whole.rows, name  # each query has rows on this corpus, so the comparison means something
    assert each.variables == whole.variables and _rows(each) == _rows(whole)
    for limit in (1, 7, len(whole.rows) - 1, len(whole.rows)):
        page = run(store, query.text, bindings=bindings, limit=limit, scope=scope)
        assert _rows(page) == _rows(whole)[:limit]
        # more rows are announced when there are: counted, or (read report by report) not
        assert (page.more or page.truncated > 0) == (len(whole.rows) > limit)
        assert page.truncated in (0, len(whole.rows) - limit) and not (page.more and page.truncated)


@pytest.mark.parametrize("dense", [0, 10**9], ids=["threads", "whole-query"])
@pytest.mark.parametrize("name", ["indicators", "awards", "section-summary"])
def test_past_the_probe_threads_and_the_whole_query_give_the_same_rows(
    stores, monkeypatch, dense, name
):
    store, query, bindings, whole = _whole(stores, name)
    first_two = {rid for rid, _ in report_graphs(store)[:2]}
    limit = 1 + sum(row[0].value in first_two for row in whole.rows)  # more than two reports hold
    monkeypatch.setattr(sparql, "SAMPLE", 2)
    monkeypatch.setattr(sparql, "PAGE_PROBE", 2)
    monkeypatch.setattr(sparql, "DENSE_ROWS", dense)
    monkeypatch.setattr(sparql, "THREADS", 3)
    every = run(store, query.text, bindings=bindings, scope="report")
    assert _rows(every) == _rows(whole) and every.truncated == 0 and not every.more
    page = run(store, query.text, bindings=bindings, limit=limit, scope="report")
    assert _rows(page) == _rows(whole)[:limit]
    assert page.truncated == len(whole.rows) - limit > 0 and not page.more


def test_report_patterns_choose_ids_in_order(stores):
    store, _, _ = stores
    chosen = select_reports(
        store, ["zhejiang-quzhou-longyou-2023", "*-kecheng-*", "zhejiang-quzhou-kecheng-2022"]
    )
    assert [rid for rid, _ in chosen] == [
        "zhejiang-quzhou-kecheng-2021",
        "zhejiang-quzhou-kecheng-2022",
        "zhejiang-quzhou-kecheng-2023",
        "zhejiang-quzhou-longyou-2023",
    ]


@pytest.mark.parametrize("name", REPORT_SCOPED)
def test_report_patterns_pick_the_rows_of_those_reports(stores, name):
    store, query, bindings, answer = _whole(stores, name)
    column = answer.variables.index("report")
    present = sorted({row[column].value for row in answer.rows})
    every = [rid for rid, _ in report_graphs(store)]
    absent = [rid for rid in every if rid not in present][:1]  # a report without rows adds none
    ids = {present[0], present[-1], *absent}
    chosen = select_reports(store, sorted(ids))
    wanted = [
        mine
        for mine, row in zip(_rows(answer), answer.rows, strict=True)
        if row[column].value in ids
    ]
    assert wanted and (len(present) < 3 or len(wanted) < len(answer.rows)), name  # a true subset
    for scope in ("report", "corpus"):
        got = run(store, query.text, bindings=bindings, reports=chosen, scope=scope)
        assert _rows(got) == wanted


@pytest.mark.parametrize("name", CORPUS_SCOPED + DIVISION_SCOPED)
def test_a_corpus_query_on_some_reports_answers_as_a_store_of_those_alone(stores, name):
    store, part, _ = stores
    query = catalogue()[name]
    bindings = bind(query, _args(name))
    chosen = select_reports(store, ["*-kecheng-*"])
    got = run(store, query.text, bindings=bindings, reports=chosen, scope=query.scope)
    alone = run(part, query.text, bindings=bindings)
    hidden = [p.name for p in query.params]
    assert select(got, Format.CSV, hidden=hidden) == select(alone, Format.CSV, hidden=hidden)


def test_a_report_pattern_that_matches_nothing_names_some_ids(stores):
    store, _, _ = stores
    with pytest.raises(UsageError) as err:
        select_reports(store, ["nowhere-*"])
    message = str(err.value)
    ids = [rid for rid, _ in report_graphs(store)]
    assert message == f'No report "nowhere-*" in the graphs; known: {", ".join(ids[:10])} ….'


def test_the_cli_shows_a_page_in_a_table_and_every_row_on_request(stores):
    _, _, base = stores
    store = str(base / "store")
    everything = run_fazhi("query", "indicators", "--store", store, "--format", "csv", "--all")
    rows = everything.stdout.decode().splitlines()
    assert everything.returncode == 0 and len(rows) > 1 + 100 and not rows[-1].startswith("#")
    table = run_fazhi("query", "indicators", "--store", store).stdout.decode().splitlines()
    assert len(table) == 2 + 100 + 1
    assert table[-1] == "# More results follow; raise --limit or add --all to see them."
    csv = run_fazhi("query", "indicators", "--store", store, "--format", "csv").stdout.decode()
    assert csv.splitlines() == rows  # a pipe gets every row without asking
    some = run_fazhi("query", "indicators", "--store", store, "--limit", "5", "--format", "csv")
    assert some.stdout.decode().splitlines()[:6] == rows[:6]
    one = run_fazhi(
        "query", "indicators", "--store", store, "--report", "zhejiang-quzhou-longyou-2022", "--all"
    )
    body = one.stdout.decode().splitlines()[2:]
    assert body and all(line.startswith("zhejiang-quzhou-longyou-2022 ") for line in body)


def test_the_cli_refuses_limit_with_all_and_report_with_an_endpoint():
    both = run_fazhi("query", "awards", "--limit", "5", "--all")
    assert both.returncode == 2 and both.stderr.decode().strip().endswith(
        "Give --limit N or --all, not both."
    )
    remote = run_fazhi("query", "awards", "--endpoint", "http://127.0.0.1:9/q", "--report", "x")
    assert remote.returncode == 2 and b"drop --graph, --store and --report." in remote.stderr


def test_sparql_tables_page_but_constructs_keep_their_triples(stores):
    _, _, base = stores
    store = str(base / "store")
    labels = "SELECT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    table = run_fazhi("sparql", labels, "--store", store).stdout.decode().splitlines()
    assert len(table) == 2 + 100 + 1 and table[-1].endswith(
        "more results not shown; raise --limit or add --all to see them."
    )
    graph = (
        "CONSTRUCT { ?s <http://example.org/l> ?l } "
        "WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    )
    triples = run_fazhi("sparql", graph, "--store", store, "--format", "nt").stdout.decode()
    built = run_fazhi("sparql", graph, "--store", store).stdout.decode()
    assert len(triples.splitlines()) > 100 and "more results" not in triples + built
    narrowed = run_fazhi(
        "sparql", labels, "--store", store, "--report", "*-kecheng-*", "--all", "--format", "csv"
    ).stdout.decode()
    alone = run_fazhi(
        "sparql", labels, "--store", str(base / "part-store"), "--all", "--format", "csv"
    ).stdout.decode()
    assert len(narrowed.splitlines()) > 100
    assert sorted(narrowed.splitlines()) == sorted(alone.splitlines())


@pytest.mark.parametrize("division", ["柯城区", "330802", "龙游县", "巴州区", "no such place"])
def test_a_query_narrowed_to_one_divisions_reports_gives_the_whole_answer(stores, division):
    """jurisdiction-years reads only the graphs of the division its parameter names (found by
    index), and answers as the whole query does: by name or code, and with no reports at all."""
    store, _, _ = stores
    query = catalogue()["jurisdiction-years"]
    assert query.division_param == "division"
    bindings = bind(query, {"division": division})
    whole = run(store, query.text, bindings=bindings)
    mine = sparql.narrowed(store, query.division_param, bindings, None)
    assert mine is not None and len(mine) == len(whole.rows)  # one row per report of it
    got = run(store, query.text, bindings=bindings, reports=mine)
    assert _rows(got) == _rows(whole)
    if division in ("柯城区", "330802"):
        assert len(whole.rows) == 3
    chosen = select_reports(store, ["*-2022"])
    assert [rid for rid, _ in sparql.narrowed(store, "division", bindings, chosen) or ()] == [
        rid for rid, _ in mine if rid.endswith("-2022")
    ]


def test_a_division_param_that_is_not_a_parameter_is_refused(tmp_path):
    path = tmp_path / "odd.rq"
    path.write_text(
        "#+ params: []\n#+ division_param: place\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8"
    )
    with pytest.raises(UsageError, match=r'division_param of odd\.rq is "place", which is not'):
        load_query(path)


@contextlib.contextmanager
def _forgotten(store):
    """The store as if its generation record told pages nothing."""
    saved = sparql._RECORDS.pop(id(store))
    try:
        yield
    finally:
        sparql._RECORDS[id(store)] = saved


def test_a_stores_report_ids_come_from_its_record_as_its_graphs_would_give_them(stores):
    """A corpus store's report ids are read from its generation record (a page then costs the
    same at any corpus size), and they are the ids its report graphs hold."""
    store, _, _ = stores
    listed = report_graphs(store)
    assert id(store) in sparql._RECORDS and len(listed) == 13
    with _forgotten(store):
        assert report_graphs(store) == listed  # read from the graphs themselves


def test_a_stores_divisions_come_from_its_record_as_its_graphs_would_give_them(stores):
    """The division of each report, for pages read division by division, is in the store's
    generation record, and groups the graphs as reading every report's division would."""
    store, _, _ = stores
    parts = sparql.division_parts(store)
    assert sparql._RECORDS[id(store)].divisions and parts
    chosen = select_reports(store, ["*-kecheng-*", "*-2023"])
    with _forgotten(store):
        assert sparql.division_parts(store) == parts  # read from the graphs themselves
        narrowed = sparql.division_parts(store, chosen)
    assert sparql.division_parts(store, chosen) == narrowed and narrowed != parts


SPARSE = sorted(n for n, q in catalogue().items() if q.sparse)


def _with_rows(store, name):
    """The ids of the reports in the ?report column of a stored query's whole answer."""
    answer = run(store, catalogue()[name].text)
    column = answer.variables.index("report")
    return {row[column].value for row in answer.rows}


def test_a_sparse_querys_page_reads_only_the_reports_its_record_names(stores, monkeypatch):
    """A corpus store's record names, for each sparse stored query, exactly the reports that
    have rows; a page reads those reports and no other, and gives the whole answer's rows."""
    assert SPARSE == ["missing-parts", "unaddressed-problems"]
    store, _, _ = stores
    record = sparql._RECORDS[id(store)]
    read: list[list[str]] = []
    evaluate = sparql.evaluate

    def spy(store, text, subs, graphs):
        read.append(None if graphs is None else [g.value for g in graphs])
        return evaluate(store, text, subs, graphs)

    monkeypatch.setattr(sparql, "evaluate", spy)
    for name in SPARSE:
        query = catalogue()[name]
        having = _with_rows(store, name)
        assert having and len(having) < 13
        assert record.rows[sparql.text_key(query.text)] == having, name
        read.clear()
        page = run(store, query.text, limit=100, scope="report")
        assert len(read) == len(having) and None not in read
        assert _rows(page) == _rows(run(store, query.text)), name


def test_the_record_of_sparse_queries_follows_every_rebuild(tmp_path, monkeypatch):
    """Reports that gain or lose rows of a sparse query change the store's record with the
    rebuild, whether the build runs the query on the changed reports or on the whole store."""
    from fazhi_kg.corpus import rowindex
    from fazhi_kg.corpus.generations import open_generation

    src = tmp_path / "reports"
    src.mkdir()
    for path in [*sorted(CORPUS.glob("huaipu-*.txt")), ROOT / "tests/data/reports" / FLAWED[0]]:
        shutil.copy(path, src / path.name)
    store_dir = tmp_path / "store"

    def recorded() -> dict[str, set[str]]:
        with open_generation(store_dir) as gen:
            rows = gen.record["rows"]
        return {name: set(entry["reports"]) for name, entry in rows.items()}

    def truth() -> dict[str, set[str]]:
        store = open_store(store_dir=store_dir)
        return {name: _with_rows(store, name) for name in SPARSE}

    for share in (0.0, 1.0):  # the whole store; the changed reports alone
        monkeypatch.setattr(rowindex, "REFRESH_SHARE", share)
        build_corpus([src], tmp_path / "out", store=store_dir, jobs=1)
        first = recorded()
        assert first == truth() and first["unaddressed-problems"]
        moved = src / FLAWED[0]
        hidden = tmp_path / moved.name
        moved.rename(hidden)  # the report with rows leaves
        build_corpus([src], tmp_path / "out", store=store_dir, jobs=1)
        assert recorded() == truth() and recorded()["unaddressed-problems"] == set()
        hidden.rename(moved)  # and comes back
        build_corpus([src], tmp_path / "out", store=store_dir, jobs=1)
        assert recorded() == truth() == first


def test_a_new_ontology_makes_the_record_of_sparse_queries_anew(tmp_path, monkeypatch):
    """The ontology graph takes part in every report's rows (missing-parts reads its required
    parts): a build that loads it anew runs each sparse query on the whole store, not only on
    the reports that changed."""
    from fazhi_kg.corpus import loader, rowindex

    src = tmp_path / "reports"
    src.mkdir()
    shutil.copy(ROOT / "tests/data/reports" / FLAWED[1], src / FLAWED[1])
    build_corpus([src], tmp_path / "out", store=tmp_path / "store", jobs=1)
    whole: list[bool] = []
    reports = rowindex._reports

    def spy(store, text, graphs):
        whole.append(graphs is None)
        return reports(store, text, graphs)

    monkeypatch.setattr(rowindex, "_reports", spy)
    monkeypatch.setattr(rowindex, "REFRESH_SHARE", 1.0)  # few changes would not read it whole
    monkeypatch.setattr(loader, "ontology_key", lambda: "another ontology")
    build_corpus([src], tmp_path / "out", store=tmp_path / "store", jobs=1)
    assert whole == [True] * len(SPARSE)


def test_sparse_is_refused_on_a_query_it_does_not_fit(tmp_path):
    path = tmp_path / "odd.rq"
    path.write_text(
        "#+ summary: {zh: 怪, en: odd}\n#+ scope: corpus\n#+ sparse: true\n"
        "SELECT ?report WHERE { ?s ?p ?report }\n",
        encoding="utf-8",
    )
    with pytest.raises(UsageError, match=r"odd\.rq is sparse but not a query of scope report"):
        load_query(path)
