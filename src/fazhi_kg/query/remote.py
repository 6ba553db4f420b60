"""Other triple stores: serve a corpus store with Oxigraph's server, push report graphs to any
SPARQL 1.1 store, and run stored queries on a remote endpoint.

- Serving runs the `oxigraph` program of the `oxigraph` PyPI package (`serve-read-only`), whose
  page at `/` is a query editor (YASGUI, shipped with the server, works offline).
- Pushing uses the SPARQL 1.1 Graph Store HTTP Protocol (https://www.w3.org/TR/sparql11-http-rdf-update/):
  one `PUT URL?graph=<graph IRI>` per report graph and one for the ontology graph; PUT replaces
  the graph, so pushing twice leaves the store as pushing once.
- Remote queries use the SPARQL 1.1 Protocol (https://www.w3.org/TR/sparql11-protocol/, §2.1.3 POST
  with `application/sparql-query`). An endpoint takes no substitutions, so parameters are bound by a
  `VALUES` block of escaped RDF terms at the head of the query's outer WHERE (the only place where
  query text is written from parameters).

Only the standard library speaks HTTP here.
"""

from __future__ import annotations

import base64
import contextlib
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from http.client import HTTPResponse
from pathlib import Path

import pyoxigraph as ox

from fazhi_kg.errors import InputError, QueryError, QueryTimeout, UsageError
from fazhi_kg.iris import ONTOLOGY_GRAPH, graph_iri
from fazhi_kg.query.catalogue import Term
from fazhi_kg.query.engine import Answer, check_query, open_store_dir

__all__ = [
    "PushResult",
    "oxigraph_binary",
    "push",
    "run_remote",
    "running_server",
    "serve",
    "server_command",
    "with_values",
]

DEFAULT_BIND = "127.0.0.1:7878"
Auth = tuple[str, str]


# --- serving -------------------------------------------------------------------------------------


def oxigraph_binary() -> Path:
    """The `oxigraph` server program: beside this Python (same virtual environment), else on PATH."""
    here = Path(sys.executable).parent / "oxigraph"
    if here.is_file():
        return here
    found = shutil.which("oxigraph")
    if found:
        return Path(found)
    raise UsageError(
        "The Oxigraph server is not installed; install it with `pip install oxigraph` "
        "(the same 0.5 series as pyoxigraph, so it reads the store)."
    )


def server_command(
    store_dir: str | Path,
    *,
    bind: str = DEFAULT_BIND,
    timeout_s: int | None = None,
    read_only: bool = True,
) -> list[str]:
    """The command line that serves `store_dir`; queries see the union of its graphs.

    `timeout_s` is Oxigraph's `--timeout-s`: whole seconds, applied to SPARQL queries only.
    """
    if timeout_s is not None and (int(timeout_s) != timeout_s or timeout_s < 1):
        raise UsageError(
            f"The server's time limit is in whole seconds (at least 1), not {timeout_s}."
        )
    cmd = [
        str(oxigraph_binary()),
        "serve-read-only" if read_only else "serve",
        "--location",
        str(store_dir),
        "--bind",
        bind,
        "--union-default-graph",
    ]
    if timeout_s is not None:
        cmd += ["--timeout-s", str(int(timeout_s))]
    return cmd


def serve(
    store_dir: str | Path | None = None, bind: str = DEFAULT_BIND, *, timeout_s: int | None = None
) -> int:
    """Serve a corpus store read-only until interrupted; returns the server's exit code.

    Without `store_dir`, the graphs shipped with the package are loaded into a temporary store
    first, so a new user can try the endpoint at once. The SPARQL endpoint is `http://BIND/query`,
    the query page `http://BIND/`. The default address is loopback only: to serve others, bind a
    public address behind a proxy.
    """
    import tempfile

    with tempfile.TemporaryDirectory(prefix="fazhi-store-") as tmp:
        if store_dir is None:
            store_dir = Path(tmp) / "store"
            _shipped_store(store_dir)
        open_store_dir(Path(store_dir))  # a clear error for a folder that is not a store
        cmd = server_command(store_dir, bind=bind, timeout_s=timeout_s)
        return _run_in_foreground(cmd)


def _run_in_foreground(cmd: list[str]) -> int:
    """Run the server until it exits; Ctrl-C and SIGTERM stop it too, never leaving it orphaned."""
    import signal

    proc = subprocess.Popen(cmd)
    previous = None
    with contextlib.suppress(ValueError):  # signal handlers can only be set in the main thread
        previous = signal.signal(signal.SIGTERM, lambda *_: proc.terminate())
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        proc.wait()
        return 0
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _shipped_store(path: Path) -> None:
    """An on-disk store of the shipped report graphs and the ontology graph."""
    from fazhi_kg.corpus.store import ontology_quads
    from fazhi_kg.rdfio.load import read_graphs
    from fazhi_kg.resources import default_graph_files

    store = ox.Store(str(path))
    for graph_file in read_graphs(default_graph_files()):
        graph_file.load_into(store)
    store.extend(ontology_quads())
    store.flush()
    del store


def free_port() -> int:
    """A loopback TCP port that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def running_server(
    store_dir: str | Path | None = None,
    *,
    read_only: bool = True,
    timeout_s: int | None = None,
    wait_s: float = 20.0,
) -> Iterator[str]:
    """Start an Oxigraph server on a free loopback port, yield its base URL, stop it after.

    With no `store_dir` (and `read_only=False`) the server keeps its data in memory.
    """
    port = free_port()
    if store_dir is None:
        if read_only:
            raise UsageError("A read-only server needs a store folder.")
        cmd = [str(oxigraph_binary()), "serve", "--bind", f"127.0.0.1:{port}"]
        cmd.append("--union-default-graph")
    else:
        cmd = server_command(
            store_dir, bind=f"127.0.0.1:{port}", timeout_s=timeout_s, read_only=read_only
        )
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                with urllib.request.urlopen(url + "/", timeout=1):
                    break
            except (urllib.error.URLError, OSError) as exc:
                if proc.poll() is not None or time.monotonic() > deadline:
                    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
                    raise InputError(
                        f"The Oxigraph server did not start ({err.strip() or exc}); "
                        "check the store folder."
                    ) from exc
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stderr:
            proc.stderr.close()


# --- HTTP ------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _http(
    url: str,
    *,
    method: str,
    data: bytes | None,
    headers: dict[str, str],
    auth: Auth | None,
    timeout: float | None,
    what: str,
) -> Iterator[HTTPResponse]:
    """One HTTP request, its response open for reading; errors become one sentence naming the
    URL and the server's answer."""
    if not re.match(r"https?://", url):
        raise UsageError(f"{url} is not an http(s) URL; give e.g. http://localhost:7878/query.")
    if auth is not None:
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
        headers = {**headers, "Authorization": f"Basic {token}"}
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        resp = urllib.request.urlopen(req, timeout=timeout)
    except urllib.error.HTTPError as exc:
        body = exc.read().decode("utf-8", "replace").strip()
        first = body.splitlines()[0][:200] if body else exc.reason
        hint = {
            401: "give credentials",
            403: "the server refuses this write (is it read-only, or are the credentials wrong?)",
            404: "check the URL's path",
        }.get(exc.code, "check the request and the server's log")
        err = QueryError if what == "query" and exc.code == 400 else InputError
        raise err(f"{url} answered HTTP {exc.code} to the {what}: {first}; {hint}.") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise _timeout(url, what, timeout) from exc
        raise InputError(
            f"Cannot reach {url} ({exc.reason}); check the URL and that the server is running."
        ) from exc
    except TimeoutError as exc:
        raise _timeout(url, what, timeout) from exc
    with resp:
        try:
            yield resp
        except TimeoutError as exc:
            raise _timeout(url, what, timeout) from exc


def _timeout(url: str, what: str, timeout: float | None) -> QueryTimeout:
    return QueryTimeout(
        f"{url} did not finish the {what} within {timeout or 0:g} s; raise --timeout or narrow it."
    )


# --- pushing ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PushResult:
    """What was pushed: graph IRIs with their triple counts."""

    graphs: tuple[tuple[str, int], ...]
    seconds: float

    @property
    def triples(self) -> int:
        return sum(n for _, n in self.graphs)


def _graphs_from_files(files: Sequence[Path]) -> Iterator[tuple[str, bytes, str, int]]:
    """(graph IRI, body, media type, triples) per graph of the files, parsed without a store
    (which would retype literals, oxigraph/oxigraph#1413). Turtle and N-Triples files go as they
    are; the graphs of other files as N-Triples."""
    from fazhi_kg.rdfio.formats import NTRIPLES, TURTLE
    from fazhi_kg.rdfio.load import read_graphs

    for graph_file in read_graphs(files):
        quads = graph_file.quads(rename_blank_nodes=False)
        by_graph: dict[str, list[ox.Triple]] = {}
        for q in quads:  # a graph named by a blank node has no IRI to put it under
            if isinstance(q.graph_name, ox.NamedNode):
                by_graph.setdefault(q.graph_name.value, []).append(q.triple)
        if graph_file.syntax in (TURTLE, NTRIPLES):
            body = graph_file.content()
            yield graph_file.default_graph, body, graph_file.syntax.media_type, len(quads)
            continue
        for iri, triples in sorted(by_graph.items()):
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
            yield iri, body, NTRIPLES.media_type, len(triples)


def _graphs_from_store(
    store_dir: Path, patterns: Sequence[str] = ()
) -> Iterator[tuple[str, bytes, str, int]]:
    from fazhi_kg.corpus.store import chosen_report_ids, report_ntriples

    store = open_store_dir(store_dir)
    for rid in chosen_report_ids(store, store_dir, patterns):
        body = report_ntriples(store, rid)
        yield graph_iri(rid), body, "application/n-triples", body.count(b"\n")


def push(
    graph_store_url: str,
    *,
    store_dir: str | Path | None = None,
    graph_files: Sequence[str | Path] | None = None,
    auth: Auth | None = None,
    ontology: bool = True,
    timeout: float | None = 300,
    progress: Callable[[int, str], None] | None = None,
    reports: Sequence[str] = (),
) -> PushResult:
    """Upload every report graph (from a corpus store or graph files; of a store, with `reports`,
    those whose id matches one of these ids or shell patterns) and the ontology graph to a SPARQL
    1.1 Graph Store (e.g. http://localhost:7878/store, Fuseki's /DATASET/data, GraphDB's
    /repositories/REPO/rdf-graphs/service), each with an HTTP PUT that replaces it."""
    from fazhi_kg.corpus.store import ontology_quads

    if (store_dir is None) == (graph_files is None):
        raise UsageError("Push either a --store or --graph files, not both.")
    from fazhi_kg.rdf.ids import only_with_store

    only_with_store(reports, store_dir)
    started = time.perf_counter()
    sources = (
        _graphs_from_store(Path(store_dir), reports)
        if store_dir is not None
        else _graphs_from_files([Path(f) for f in graph_files or ()])
    )
    pushed: list[tuple[str, int]] = []
    sep = "&" if "?" in graph_store_url else "?"

    def put(iri: str, body: bytes, content_type: str, n: int) -> None:
        url = f"{graph_store_url}{sep}graph={urllib.parse.quote(iri, safe='')}"
        with _http(
            url,
            method="PUT",
            data=body,
            headers={"Content-Type": f"{content_type}; charset=utf-8"},
            auth=auth,
            timeout=timeout,
            what=f"upload of {iri}",
        ) as resp:
            resp.read()
        pushed.append((iri, n))
        if progress is not None:
            progress(len(pushed), iri)

    for iri, body, content_type, n in sources:
        put(iri, body, content_type, n)
    if ontology:
        quads = ontology_quads()
        triples = sorted({q.triple for q in quads}, key=str)
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        put(ONTOLOGY_GRAPH, body, "application/n-triples", len(triples))
    return PushResult(graphs=tuple(pushed), seconds=time.perf_counter() - started)


# --- remote queries --------------------------------------------------------------------------------

_IRI_OK = re.compile(r"[^<>\"{}|^`\\\x00-\x20]*")
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def sparql_term(term: Term) -> str:
    """An RDF term in SPARQL syntax, escaped (SPARQL 1.1 §19.5 IRIREF, §19.7 ECHAR)."""
    if term.kind == "iri":
        if not _IRI_OK.fullmatch(term.value):
            raise UsageError(
                f'{term.value!r} cannot be written as an IRI; remove spaces and <>"{{}}|^`\\.'
            )
        return f"<{term.value}>"
    text = '"' + "".join(_ECHAR.get(c, c) for c in term.value) + '"'
    if term.datatype:
        return text + "^^" + sparql_term(Term(term.datatype, kind="iri"))
    return text


def with_values(text: str, bindings: dict[str, Term]) -> str:
    """`text` with a VALUES block binding `bindings` at the head of every WHERE group, the outer
    one and each subquery's, so a parameter is bound wherever it is used, as a substitution
    would bind it (a VALUES block only in the outer group would not reach into subqueries)."""
    from fazhi_kg.query.engine import _STRIP

    if not bindings:
        return text
    names = sorted(bindings)
    for n in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", n):
            raise UsageError(f'"{n}" is not a SPARQL variable name.')
    block = (
        " VALUES ("
        + " ".join(f"?{n}" for n in names)
        + ") { ("
        + " ".join(sparql_term(bindings[n]) for n in names)
        + ") } "
    )
    bare = _STRIP.sub(lambda m: " " * len(m.group(0)), text)
    points = [m.end() for m in re.finditer(r"\bWHERE\s*\{", bare, re.IGNORECASE)]
    if not points:  # the short forms: SELECT * { … }, ASK { … }
        form = re.search(r"\b(SELECT|ASK|DESCRIBE)\b[^{]*\{", bare, re.IGNORECASE)
        if form is None:
            raise QueryError("Cannot find the query's WHERE clause to bind parameters in.")
        points = [form.end()]
    out, last = [], 0
    for at in points:
        out += [text[last:at], block]
        last = at
    return "".join([*out, text[last:]])


_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"


def run_remote(
    endpoint_url: str,
    query_text: str,
    bindings: dict[str, Term] | None = None,
    *,
    limit: int | None = None,
    timeout: float | None = 60,
    auth: Auth | None = None,
) -> Answer:
    """Run a query on a SPARQL endpoint; the answer has the same structure (and pyoxigraph terms)
    as `fazhi_kg.query.engine.run` gives for a local store. Results are parsed as they stream in, and
    the whole answer must arrive within `timeout` seconds. The endpoint must answer over the
    union of the report graphs (`fazhi serve` does; see docs/scaling.md for other stores)."""
    check_query(query_text)
    text = with_values(query_text, bindings or {})
    deadline = None if timeout is None else time.monotonic() + timeout
    with _http(
        endpoint_url,
        method="POST",
        data=text.encode("utf-8"),
        headers={"Content-Type": "application/sparql-query; charset=utf-8", "Accept": _ACCEPT},
        auth=auth,
        timeout=timeout,
        what="query",
    ) as resp:
        kind = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
        try:
            return _parse_answer(resp, kind, endpoint_url, limit, deadline, timeout)
        except SyntaxError as exc:
            raise QueryError(
                f"{endpoint_url} sent an incomplete or invalid answer ({exc}); the server may "
                "have stopped the query at its time limit."
            ) from exc


def _parse_answer(
    resp: HTTPResponse,
    kind: str,
    url: str,
    limit: int | None,
    deadline: float | None,
    timeout: float | None,
) -> Answer:
    def check_time() -> None:
        if deadline is not None and time.monotonic() > deadline:
            raise _timeout(url, "query", timeout)

    if kind in ("application/n-triples", "text/turtle", "text/plain"):
        fmt = ox.RdfFormat.TURTLE if kind == "text/turtle" else ox.RdfFormat.N_TRIPLES
        triples: list[ox.Triple] = []
        extra = 0
        for q in ox.parse(resp, format=fmt):
            check_time()
            if limit is not None and len(triples) >= limit:
                extra += 1
            else:
                triples.append(q.triple)
        return Answer(kind="graph", triples=tuple(triples), truncated=extra)
    if kind not in ("application/sparql-results+json", "application/json"):
        raise QueryError(
            f"{url} answered in {kind or 'an unnamed format'}, not SPARQL results JSON; check "
            "that the URL is a SPARQL query endpoint."
        )
    result = ox.parse_query_results(resp, format=ox.QueryResultsFormat.JSON)
    if isinstance(result, ox.QueryBoolean):
        return Answer(kind="ask", boolean=bool(result))
    names = tuple(v.value for v in result.variables)
    rows: list[tuple[object | None, ...]] = []
    extra = 0
    for solution in result:
        check_time()
        if limit is not None and len(rows) >= limit:
            extra += 1
            continue
        rows.append(tuple(solution[i] for i in range(len(names))))
    return Answer(kind="select", variables=names, rows=tuple(rows), truncated=extra)
