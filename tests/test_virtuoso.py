"""A server-grade store: the test corpus pushed to a real OpenLink Virtuoso 7.2 (started here on
loopback, tests/virtuoso.py) over the Graph Store Protocol with Digest authentication, twice, and
every stored query answering there as on the local store (tests/answers.py says what "the same
answer" allows for)."""

from __future__ import annotations

import pytest
from answers import differences
from click.testing import CliRunner
from conftest import ROOT
from virtuoso import USER, installed, running_virtuoso

from fazhi_kg.cli import cli
from fazhi_kg.corpus.batch import build_corpus
from fazhi_kg.corpus.push import push
from fazhi_kg.errors import InputError, QueryError
from fazhi_kg.query.catalogue import bind, catalogue
from fazhi_kg.query.engine import run
from fazhi_kg.query.remote import run_remote
from fazhi_kg.query.store import open_store

if not installed():
    pytest.skip(
        "Virtuoso is not installed (apt-get install virtuoso-opensource-7-bin)",
        allow_module_level=True,
    )

CORPUS = ROOT / "tests" / "data" / "corpus"
QUERIES = list(catalogue().values())
OURS = 'FILTER(STRSTARTS(STR(?g), "https://w3id.org/fazhi/"))'  # not Virtuoso's own graphs
COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {OURS} }}"
# parameters that find rows in the test corpus, besides each query's example
ON_CORPUS = {
    "awards": {"level": "provincial"},
    "coverage": {"province": "浙江省", "year": "2022"},
    "jurisdiction-years": {"division": "柯城区"},
    "reports": {"place": "330800", "year": "2022"},
    "compare-indicators": {"what": "调解"},
    "entity": {"label": "司法局"},
    "indicators": {"unit": "件", "section": "二/(一)", "min": "2", "max": "5000"},
    "institution": {"name": "司法局"},
    "mechanisms": {"kind": "机制"},
    "provenance": {"label": "调解"},
    "recurring-problems": {"min_years": "2"},
}
CASES = [
    (q, given)
    for q in QUERIES
    for given in (
        {p.name: p.example for p in q.params if p.required and p.example is not None},
        *([ON_CORPUS[q.name]] if q.name in ON_CORPUS else []),
    )
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("virtuoso-corpus")
    build_corpus([CORPUS], base / "out", store=base / "store", jobs=1)
    return sorted((base / "out").glob("*.ttl")), base / "store"


@pytest.fixture(scope="module")
def virtuoso(built, tmp_path_factory):
    """Virtuoso holding the corpus, pushed from the files and then from the store."""
    files, store_dir = built
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso-db")) as url:
        crud = f"{url}/sparql-graph-crud-auth"
        first = push(crud, graph_files=files, auth=USER)
        count_first = run_remote(f"{url}/sparql", COUNT).rows[0][0]
        second = push(crud, store_dir=store_dir, auth=USER)
        count_second = run_remote(f"{url}/sparql", COUNT).rows[0][0]
        yield url, (first, second), (count_first, count_second)


def test_pushing_twice_leaves_the_same_triples(built, virtuoso):
    _, store_dir = built
    _, (first, second), counts = virtuoso
    assert (
        sorted(first.graphs) == sorted(second.graphs) and len(first.graphs) == 7
    )  # 5 reports, ontology, divisions
    local = len(open_store(store_dir=store_dir))
    assert [int(c.value) for c in counts] == [local, local] == [first.triples] * 2


@pytest.mark.parametrize(
    ("query", "given"), CASES, ids=[f"{q.name}-{i}" for i, (q, _) in enumerate(CASES)]
)
def test_every_stored_query_answers_as_on_the_local_store(built, virtuoso, query, given):
    _, store_dir = built
    bindings = bind(query, given)
    local = run(open_store(store_dir=store_dir), query.text, bindings=bindings)
    remote = run_remote(f"{virtuoso[0]}/sparql", query.text, bindings)
    hidden = {p.name for p in query.params}
    assert differences(local, remote, query.text, hidden) == []


def test_fazhi_query_prints_the_same_table_from_virtuoso_and_from_the_store(built, virtuoso):
    _, store_dir = built
    runner = CliRunner()
    for q in QUERIES:
        params = [f"--param={k}={v}" for k, v in ON_CORPUS.get(q.name, {}).items()]
        here = runner.invoke(cli, ["query", q.name, "--store", str(store_dir), *params])
        there = runner.invoke(
            cli, ["query", q.name, "--endpoint", f"{virtuoso[0]}/sparql", *params]
        )
        assert here.exit_code == there.exit_code == 0, (q.name, here.output, there.output)
        assert there.stdout == here.stdout, q.name


def test_pushing_with_the_cli_needs_the_password_in_the_environment(built, virtuoso):
    files, _ = built
    crud = f"{virtuoso[0]}/sparql-graph-crud-auth"
    runner = CliRunner()
    args = ["push", "--graph-store", crud, "--user", "dba", "--graph", str(files[0])]
    done = runner.invoke(cli, args, env={"FAZHI_PASSWORD": "dba"})
    assert done.exit_code == 0 and done.stdout.startswith(
        "Pushed 3 graphs ("
    )  # the report, ontology, divisions
    refused = runner.invoke(cli, args, env={"FAZHI_PASSWORD": "wrong"})
    assert refused.exit_code == 2
    assert refused.stderr.endswith(
        "answered HTTP 401 to the upload of "
        f"{_graph(files[0])}: Unauthorized; check the user and password.\n"
    )


def _graph(path):
    return f"https://w3id.org/fazhi/id/{path.stem}/graph"


def test_writes_without_credentials_are_refused(built, virtuoso):
    files, _ = built
    with pytest.raises(
        InputError, match=r"answered HTTP 401 to the upload of .*; give credentials\.$"
    ):
        push(f"{virtuoso[0]}/sparql-graph-crud-auth", graph_files=files[:1])


def test_an_answer_cut_at_the_row_limit_is_an_error_and_a_page_says_more_follow(tmp_path, built):
    files, _ = built
    with running_virtuoso(tmp_path / "db", max_rows=50) as url:
        push(f"{url}/sparql-graph-crud-auth", graph_files=files[:1], auth=USER)
        rows = f"SELECT ?s WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {OURS} }}"
        with pytest.raises(QueryError) as err:
            run_remote(f"{url}/sparql", rows)
        assert str(err.value) == (
            f"{url}/sparql cut the answer off at 50 rows (Virtuoso's ResultSetMaxRows); raise "
            "ResultSetMaxRows in the [SPARQL] section of its virtuoso.ini, or narrow the query."
        )
        page = run_remote(f"{url}/sparql", rows, limit=10)
        assert len(page.rows) == 10 and page.more and not page.truncated
        few = run_remote(f"{url}/sparql", rows + " LIMIT 7")
        assert len(few.rows) == 7 and not few.more
