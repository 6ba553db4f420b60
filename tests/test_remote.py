"""Real triple stores: Oxigraph's own server, started here on a free loopback port, serves a corpus
store read-only, takes report graphs over the Graph Store Protocol, and answers every stored query
with the same rows as the local engine."""

from __future__ import annotations

import urllib.request

import pytest
from conftest import ROOT

from fazhi_kg.corpus.batch import build_corpus
from fazhi_kg.corpus.push import push
from fazhi_kg.corpus.serve import (
    free_port,
    oxigraph_binary,
    running_server,
    server_command,
    serving,
)
from fazhi_kg.errors import InputError, QueryError, QueryTimeout, UsageError
from fazhi_kg.query.catalogue import Term, bind, catalogue
from fazhi_kg.query.engine import run
from fazhi_kg.query.remote import run_remote, with_values
from fazhi_kg.query.store import open_store

try:
    oxigraph_binary()
except UsageError:
    pytest.skip(
        "the oxigraph server binary is not installed (pip install oxigraph)",
        allow_module_level=True,
    )

CORPUS = ROOT / "tests" / "data" / "corpus"
QUERIES = list(catalogue().values())
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("remote")
    build_corpus([CORPUS], base / "out", store=base / "store", jobs=1)
    return sorted((base / "out").glob("*.ttl")), base / "store"


@pytest.fixture(scope="module")
def pushed(built):
    """An in-memory read-write Oxigraph server holding the corpus, pushed twice."""
    files, _ = built
    with running_server(None, read_only=False) as url:
        first = push(f"{url}/store", graph_files=files)
        after_first = run_remote(f"{url}/query", COUNT).rows
        second = push(f"{url}/store", graph_files=files)
        yield url, first, second, after_first


@pytest.fixture(scope="module")
def served(built):
    """`fazhi serve` over the corpus store."""
    _, store_dir = built
    with serving(store_dir) as (url, _):
        yield url


def _examples(query):
    return {p.name: p.example for p in query.params if p.required and p.example is not None}


def test_pushing_twice_changes_nothing(built, pushed):
    _, store_dir = built
    url, first, second, after_first = pushed
    assert (
        first.graphs == second.graphs and len(first.graphs) == 7
    )  # 5 reports, ontology, divisions
    local = len(open_store(store_dir=store_dir))
    assert int(after_first[0][0].value) == local
    assert int(run_remote(f"{url}/query", COUNT).rows[0][0].value) == local


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_every_stored_query_gives_the_same_rows_remotely(built, pushed, query):
    _, store_dir = built
    url = pushed[0]
    bindings = bind(query, _examples(query))
    local = run(open_store(store_dir=store_dir), query.text, bindings=bindings)
    remote = run_remote(f"{url}/query", query.text, bindings)
    # the parameters, bound by VALUES, leave the projection (`with_values`); the rest is the same
    shown = [i for i, v in enumerate(local.variables) if v not in bindings]
    assert remote.variables == tuple(local.variables[i] for i in shown)
    assert remote.rows == tuple(tuple(row[i] for i in shown) for row in local.rows)


def test_parameters_are_bound_as_escaped_terms(built, pushed):
    _, store_dir = built
    url = pushed[0]
    query = catalogue()["indicators"]
    bindings = bind(query, {"unit": '%" } ; DROP ALL ; #\n', "min": "90"})
    text = with_values(query.text, bindings)
    assert '"%\\" } ; DROP ALL ; #\\n"^^<http://www.w3.org/2001/XMLSchema#string>' in text
    assert '"90.0"^^<http://www.w3.org/2001/XMLSchema#decimal>' in text
    local = run(open_store(store_dir=store_dir), query.text, bindings=bindings)
    assert run_remote(f"{url}/query", query.text, bindings).rows == local.rows == ()
    awards = catalogue()["awards"]
    for level in ("national", "provincial"):
        b = bind(awards, {"level": level})
        expected = run(open_store(store_dir=store_dir), awards.text, bindings=b).rows
        without_level = tuple(row[:-1] for row in expected)  # ?level leaves the projection
        assert run_remote(f"{url}/query", awards.text, b).rows == without_level and expected


def test_pushing_from_the_store_sends_the_same_graphs(built, pushed):
    _, store_dir = built
    with running_server(None, read_only=False) as url:
        result = push(f"{url}/store", store_dir=store_dir)
        assert result.graphs == pushed[1].graphs
        remote = run_remote(f"{url}/query", COUNT).rows[0][0].value
        assert int(remote) == len(open_store(store_dir=store_dir))


def test_pushing_some_reports_of_the_store_sends_those_graphs_and_the_reference_graphs(built):
    _, store_dir = built
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    with running_server(None, read_only=False) as url:
        result = push(f"{url}/store", store_dir=store_dir, reports=["*-longyou-*"])
        remote = [row[0].value for row in run_remote(f"{url}/query", graphs).rows]
    expected = sorted(
        [
            "https://w3id.org/fazhi/id/zhejiang-quzhou-longyou-2022/graph",
            "https://w3id.org/fazhi/id/zhejiang-quzhou-longyou-2023/graph",
            "https://w3id.org/fazhi/ontology",
            "https://w3id.org/fazhi/divisions",
        ]
    )
    assert remote == expected and sorted(iri for iri, _ in result.graphs) == expected
    with pytest.raises(UsageError, match=r'^No report "\*-2019" in the store '):
        push("http://127.0.0.1:9/store", store_dir=store_dir, reports=["*-2019"])


def test_serving_the_store_read_only_with_its_query_page(built):
    files, store_dir = built
    with serving(store_dir) as (url, _):
        with urllib.request.urlopen(f"{url}/", timeout=5) as page:
            text = page.read()
            assert b"<title>fazhi-kg SPARQL</title>" in text
            assert b"src=" not in text and b"href=" not in text  # nothing fetched: works offline
        query = catalogue()["award-levels-by-report"]
        expected = run(open_store(store_dir=store_dir), query.text).rows
        assert run_remote(f"{url}/query", query.text).rows == expected
        with pytest.raises(InputError) as err:
            push(f"{url}/store", graph_files=files[:1])
        assert str(err.value).startswith(f"{url}/store?graph=")
        assert "answered HTTP 403 to the upload of" in str(err.value)
        assert str(err.value).endswith("(is it read-only, or are the credentials wrong?).")


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_every_stored_query_gives_the_same_rows_from_fazhi_serve(built, served, query):
    _, store_dir = built
    bindings = bind(query, _examples(query))
    local = run(open_store(store_dir=store_dir), query.text, bindings=bindings)
    remote = run_remote(f"{served}/query", query.text, bindings)
    shown = [i for i, v in enumerate(local.variables) if v not in bindings]  # as above
    assert remote.variables == tuple(local.variables[i] for i in shown)
    assert remote.rows == tuple(tuple(row[i] for i in shown) for row in local.rows)


def test_the_server_command_is_loopback_read_only_with_a_whole_second_limit(tmp_path):
    cmd = server_command(tmp_path, timeout_s=5)
    assert cmd[1:] == [
        "serve-read-only",
        "--location",
        str(tmp_path),
        "--bind",
        "127.0.0.1:7878",
        "--union-default-graph",
        "--timeout-s",
        "5",
    ]
    with pytest.raises(UsageError, match=r"whole seconds \(at least 1\), not 0\.5\."):
        server_command(tmp_path, timeout_s=0.5)  # type: ignore[arg-type]


def test_errors_are_one_sentence(pushed):
    url = pushed[0]
    with pytest.raises(QueryError, match=r"answered HTTP 400 to the query: "):
        run_remote(f"{url}/query", "SELECT * WHERE { ?s ?p }")
    port = free_port()
    with pytest.raises(InputError) as err:
        run_remote(f"http://127.0.0.1:{port}/query", COUNT)
    assert str(err.value).startswith(f"Cannot reach http://127.0.0.1:{port}/query (")
    assert str(err.value).endswith("); check the URL and that the server is running.")
    with pytest.raises(UsageError, match=r"ftp://x is not an http\(s\) URL"):
        run_remote("ftp://x", COUNT)


def test_a_term_that_cannot_be_an_iri_is_refused():
    with pytest.raises(UsageError, match="cannot be written as an IRI"):
        with_values("SELECT ?x WHERE { }", {"x": Term("http://a b", kind="iri")})


def test_time_limits_of_the_server_and_of_the_client(built):
    """Oxigraph's --timeout-s stops a query late and, once results stream, only by cutting the
    body short (HTTP 200); the client's own deadline bounds the whole answer."""
    _, store_dir = built
    inr = "<https://w3id.org/fazhi/ontology#inReport>"
    heavy = f"{{ ?a {inr} ?b . ?d {inr} ?e . ?g {inr} ?h }}"  # facts of the reports, cubed
    with running_server(store_dir, timeout_s=1) as url:
        with pytest.raises(QueryTimeout, match=r"did not finish the query within 1 s; raise"):
            run_remote(f"{url}/query", f"SELECT ?a WHERE {heavy}", limit=5, timeout=1)
        with pytest.raises(QueryError, match=r"may have stopped the query at its time limit\.$"):
            run_remote(f"{url}/query", f"SELECT (COUNT(*) AS ?n) WHERE {heavy}", timeout=60)


def test_serve_runs_the_shipped_graphs_and_stops_with_its_server(tmp_path):
    """`serve()` without a store serves the shipped graphs; SIGTERM stops the server with it."""
    import signal
    import subprocess
    import sys
    import time

    port = free_port()
    code = f"from fazhi_kg.corpus.serve import serve; raise SystemExit(serve(None, '127.0.0.1:{port}'))"
    proc = subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                answer = run_remote(f"{url}/query", COUNT, timeout=5)
                break
            except InputError:
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.1)
        assert int(answer.rows[0][0].value) > 4000  # the embedded report and the ontology
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
    with pytest.raises(InputError, match="Cannot reach"):
        run_remote(f"{url}/query", COUNT, timeout=5)


def test_parameters_are_bound_where_used_and_leave_the_outer_projection():
    values = ' VALUES (?b) { ("x"^^<http://www.w3.org/2001/XMLSchema#string>) } '
    text = "SELECT ?a ?b (STR(?b) AS ?c) WHERE { { SELECT ?b WHERE { ?b ?p ?a } } }"
    assert with_values(text, {"b": Term("x")}) == (
        "SELECT ?a    (STR(?b) AS ?c) WHERE { { SELECT ?b WHERE {" + values + " ?b ?p ?a } } }"
    )
    text = "SELECT * WHERE { ?a ?p ?o { SELECT ?a WHERE { ?a ?q ?r } } FILTER(?o = ?b) }"
    assert with_values(text, {"b": Term("x")}) == (
        "SELECT * WHERE {" + values + " ?a ?p ?o { SELECT ?a WHERE { ?a ?q ?r } } FILTER(?o = ?b) }"
    )
