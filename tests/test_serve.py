"""`fazhi serve` as a public endpoint: the SPARQL 1.1 Protocol (GET, POST form, POST direct,
content negotiation), the hostile requests that crash Oxigraph's own server, no outbound
connection, runaway queries stopped with their process, short queries answered while a long one
runs, and a new build of the store served without a restart."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import ROOT
from faultkit import wait_until
from hostile import Honeypot

from fazhi_kg.corpus.batch import build_corpus
from fazhi_kg.corpus.endpoint import Endpoint
from fazhi_kg.corpus.querypool import QueryPool
from fazhi_kg.corpus.serve import serving
from fazhi_kg.iris import ONTOLOGY_GRAPH, graph_iri

CORPUS = ROOT / "tests" / "data" / "corpus"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
RUNAWAY = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i LIMIT 1"
RESULTS = "{http://www.w3.org/2005/sparql-results#}"
HOSTILE = {
    "5,000 nested parentheses": "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
    "3,000 nested braces": "SELECT * WHERE " + "{" * 3000 + "}" * 3000,
    "10,000 !": "SELECT * WHERE { FILTER(" + "!" * 10000 + "true) }",
    "3,000 BINDs": "SELECT * WHERE {" + "".join(f"BIND(1 AS ?v{i})" for i in range(3000)) + "}",
}

# requests that would make the server fetch from elsewhere ({u}: a honeypot's address)
OUTBOUND = [
    "SELECT * WHERE {{ SERVICE <{u}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{u}/sparql> {{ ?s ?p ?o }} }}",
    "PREFIX x: <{u}/> SELECT * WHERE {{ SERVICE x:sparql {{ ?s ?p ?o }} }}",
    "SELECT * FROM <{u}/data.ttl> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <{u}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "LOAD <{u}/data.ttl>",
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    base = tmp_path_factory.mktemp("served")
    build_corpus([CORPUS], base / "out", store=base / "store", jobs=1)
    return base / "store"


@pytest.fixture(scope="module")
def honeypot():
    pot = Honeypot()
    yield pot
    pot.close()


@pytest.fixture(scope="module")
def served(store, honeypot):
    """`fazhi serve` in its own process, with a 2 s limit."""
    with serving(store, args=["--timeout", "2"]) as (url, proc):
        yield url, proc


def http(
    url: str,
    *,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    method: str | None = None,
    timeout: float = 30,
) -> tuple[int, str, bytes]:
    """(status, content type, body) of one request, errors included."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def get(url: str, query: str, accept: str = "", **params: str) -> tuple[int, str, bytes]:
    qs = urllib.parse.urlencode({"query": query, **params})
    return http(f"{url}/query?{qs}", headers={"Accept": accept} if accept else {})


def post(url: str, query: str, accept: str = "") -> tuple[int, str, bytes]:
    headers = {"Content-Type": "application/sparql-query", **({"Accept": accept} if accept else {})}
    return http(f"{url}/query", data=query.encode(), headers=headers)


def count_of(body: bytes) -> int:
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


# --- the protocol ------------------------------------------------------------------------------


def test_get_post_form_and_post_direct_give_the_same_answer(served, store):
    url, _ = served
    form = urllib.parse.urlencode({"query": COUNT}).encode()
    answers = [
        get(url, COUNT),
        http(
            f"{url}/query", data=form, headers={"Content-Type": "application/x-www-form-urlencoded"}
        ),
        post(url, COUNT),
    ]
    local = int(
        next(
            iter(
                ox.Store.read_only(str(_generation(store))).query(
                    COUNT, use_default_graph_as_union=True
                )
            )
        )[0].value
    )
    for status, media, body in answers:
        assert (status, media) == (200, "application/sparql-results+json; charset=utf-8")
        assert count_of(body) == local > 1000


def _generation(store: Path) -> Path:
    return store / (store / "CURRENT").read_text().strip()


def test_content_negotiation_for_results(served):
    url, _ = served
    query = "SELECT ?g WHERE { GRAPH ?g { } } ORDER BY ?g"
    status, media, body = get(url, query, "application/sparql-results+xml")
    assert (status, media) == (200, "application/sparql-results+xml; charset=utf-8")
    root = ET.fromstring(body)
    assert root.tag == f"{RESULTS}sparql"
    graphs = [b.find(f"{RESULTS}uri").text for b in root.iter(f"{RESULTS}binding")]
    assert ONTOLOGY_GRAPH in graphs and graph_iri("zhejiang-quzhou-longyou-2023") in graphs
    status, media, body = get(url, query, "text/csv")
    assert media == "text/csv; charset=utf-8" and body.splitlines()[0] == b"g"
    status, media, body = get(url, query, "text/tab-separated-values, */*;q=0.1")
    assert media.startswith("text/tab-separated-values") and body.splitlines()[0] == b"?g"
    status, media, body = get(url, "ASK { ?s ?p ?o }", "application/json")
    assert json.loads(body) == {"head": {}, "boolean": True}
    status, media, body = get(url, query, "image/png")
    assert status == 406 and b"application/sparql-results+json" in body


def test_content_negotiation_for_graphs(served):
    url, _ = served
    query = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <https://w3id.org/fazhi/ontology> { ?s ?p ?o } }"
    status, media, turtle = get(url, query)
    assert (status, media) == (200, "text/turtle; charset=utf-8")
    _, media, nt = get(url, query, "application/n-triples")
    assert media.startswith("application/n-triples")
    _, media, xml = get(url, query, "application/rdf+xml;q=0.9, text/turtle;q=0.5")
    assert media.startswith("application/rdf+xml")
    parsed = [
        set(ox.parse(turtle, format=ox.RdfFormat.TURTLE)),
        set(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)),
        set(ox.parse(xml, format=ox.RdfFormat.RDF_XML)),
    ]
    assert len(parsed[1]) > 100 and len({frozenset(p) for p in parsed[1:]}) == 1
    assert len(parsed[0]) == len(parsed[1])
    status, _, body = get(url, query, "application/sparql-results+json")
    assert status == 406 and b"text/turtle" in body


def test_the_dataset_of_a_request(served):
    url, _ = served
    one = graph_iri("zhejiang-quzhou-longyou-2023")
    _, _, everything = get(url, COUNT)
    _, _, narrowed = get(url, COUNT, **{"default-graph-uri": one})
    assert 0 < count_of(narrowed) < count_of(everything)
    status, _, body = get(url, COUNT, **{"default-graph-uri": "http://example.org/none"})
    assert status == 400 and body.startswith(b"<http://example.org/none> is not a graph of this")


@pytest.mark.parametrize(
    ("how", "status", "message"),
    [
        ("no query", 400, b"Give one query"),
        ("two queries", 400, b"Give one query, not several."),
        ("plain text", 415, b"A query is posted as application/sparql-query or as a form"),
        ("update", 403, b"This endpoint is read-only: it takes no updates."),
        ("post to /update", 403, b"This endpoint is read-only; query it at /query."),
        ("put", 403, b"This endpoint is read-only; query it at /query."),
        ("not SPARQL", 400, b"The query is not valid SPARQL: "),
        ("INSERT DATA", 400, b"The query uses INSERT: this endpoint is read-only."),
    ],
)
def test_requests_the_protocol_refuses(served, how, status, message):
    url, _ = served
    q = f"{url}/query"
    if how == "no query":
        got = http(q)
    elif how == "two queries":
        got = http(f"{q}?{urllib.parse.urlencode([('query', COUNT), ('query', COUNT)])}")
    elif how == "plain text":
        got = http(q, data=COUNT.encode(), headers={"Content-Type": "text/plain"})
    elif how == "update":
        got = http(
            q,
            data=b"update=CLEAR+ALL",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    elif how == "post to /update":
        got = http(
            f"{url}/update",
            data=b"CLEAR ALL",
            headers={"Content-Type": "application/sparql-update"},
        )
    elif how == "put":
        got = http(f"{url}/store?default", data=b"", method="PUT")
    elif how == "not SPARQL":
        got = post(url, "SELECT * WHERE { ?s ?p }")
    else:
        got = post(url, "INSERT DATA { <a:b> <a:c> <a:d> }")
    assert got[0] == status, got
    assert got[2].startswith(message) and got[2].count(b"\n") == 1, got


# --- hostile requests --------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_requests_are_refused_and_the_server_keeps_answering(served, name):
    url, proc = served
    query = HOSTILE[name]
    for status, _, body in (get(url, query), post(url, query)):
        assert status in (400, 414) and body.count(b"\n") == 1, body  # 414: too long for a URL
        assert b"at most" in body or b"send a long query with POST" in body
    assert proc.poll() is None
    assert get(url, COUNT)[0] == 200


@pytest.mark.parametrize("template", OUTBOUND)
def test_nothing_makes_the_server_connect_out(served, honeypot, template):
    url, _ = served
    before = honeypot.connections
    status, _, body = post(url, template.format(u=honeypot.url))
    assert status == 400 and body.count(b"\n") == 1, body
    assert honeypot.connections == before


def test_an_allowed_endpoint_may_be_called(store, honeypot):
    with serving(store, args=["--allow-service", f"{honeypot.url}/sparql"]) as (url, _):
        before = honeypot.connections
        status, _, body = post(
            url, f"SELECT * WHERE {{ SERVICE <{honeypot.url}/sparql> {{ ?s ?p ?o }} }}"
        )
        assert status == 500 and b"The query could not run: " in body  # the honeypot hung up
        assert wait_until(lambda: honeypot.connections > before, 5)
        status, _, _ = post(url, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }")
        assert status == 400


# --- time limits, in this process so that the workers can be watched ---------------------------


@pytest.fixture
def endpoint(store):
    """The endpoint in a thread of this process, with a 1 s limit, and its pool."""
    pool = QueryPool(store, size=4, spare=1)
    httpd = Endpoint(pool, 1.0).server("127.0.0.1", 0)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.1,), daemon=True)
    thread.start()
    retired = []
    release = pool.release

    def watched(worker, *, reusable):
        if not reusable:
            retired.append(worker)
        release(worker, reusable=reusable)

    pool.release = watched  # type: ignore[method-assign]
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", pool, retired
    finally:
        httpd.shutdown()
        httpd.server_close()
        pool.close()


def test_a_runaway_query_is_stopped_with_its_process(endpoint):
    url, pool, retired = endpoint
    status, _, body = post(url, RUNAWAY)
    assert status == 503
    assert body == b"The query ran longer than 1 s and was stopped; narrow it.\n"
    assert wait_until(lambda: bool(retired), 5)  # the 503 is sent before the worker is let go
    (worker,) = retired
    assert wait_until(lambda: not worker.process.is_alive(), 15)  # a loaded machine takes longer
    assert not pool.busy and post(url, COUNT)[0] == 200


def test_a_query_whose_client_left_is_stopped(endpoint):
    url, pool, retired = endpoint
    host, port = urllib.parse.urlsplit(url).netloc.split(":")
    body = RUNAWAY.encode()
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(
            b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        assert wait_until(lambda: bool(pool.busy), 5)
    assert wait_until(lambda: bool(retired) and not retired[0].process.is_alive(), 5)


def test_short_queries_are_answered_while_a_long_one_runs(endpoint):
    url, _, _ = endpoint
    long = threading.Thread(target=post, args=(url, RUNAWAY))
    long.start()
    try:
        answered = [post(url, "ASK { ?s ?p ?o }")[0] for _ in range(5)]
        running = long.is_alive()
    finally:
        long.join()
    assert answered == [200] * 5 and running


def test_a_new_build_is_served_and_the_old_generation_removed(store, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(CORPUS, src)
    live = tmp_path / "store"
    build_corpus([src], tmp_path / "out", store=live, jobs=1)
    pool = QueryPool(live, size=2, spare=1)
    try:
        old = pool.generation
        assert wait_until(lambda: bool(pool.idle), 10)
        (src / "huaipu-2021.txt").unlink()
        build_corpus([src], tmp_path / "out", store=live, jobs=1)
        assert (live / old).exists()  # held by the pool's workers
        assert pool.follow() and pool.generation != old
        assert graph_iri("zhejiang-quzhou-kecheng-2021") not in pool.graphs
        assert wait_until(lambda: not (live / old).exists(), 10)
    finally:
        pool.close()
