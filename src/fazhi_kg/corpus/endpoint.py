"""The HTTP side of `fazhi serve`: the SPARQL 1.1 Protocol's query operation
(https://www.w3.org/TR/sparql11-protocol/#query-operation: GET, POST with a form, POST with the
query as the body; `default-graph-uri` and `named-graph-uri`), content negotiation, a small query
page, and the guards a public endpoint needs.

Every query is checked before an engine sees it (`fazhi_kg.query.guard.check_served_query`: no
update, no SERVICE but to allowed endpoints, no FROM but of the store's graphs, no nesting that
would overflow a stack), then runs alone in a worker process (`fazhi_kg.corpus.querypool`) that
is killed at the time limit or when its client goes away. Requests are bounded in size and in
the time a client may take to send them.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
import time
import urllib.parse
from collections.abc import Collection
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from fazhi_kg.corpus.querypool import Busy, QueryPool, Request, Worker, lowered_after
from fazhi_kg.errors import QueryError

__all__ = ["MAX_REQUEST_BYTES", "Endpoint", "ProtocolError", "media_types", "negotiate", "parse"]

MAX_REQUEST_BYTES = 4 * 1024 * 1024
BUFFERED = 1 << 20  # an answer up to this size is sent whole, with its length
SLOW_AFTER = 0.25  # seconds: a query running longer yields the CPU to new ones
_FORM = "application/x-www-form-urlencoded"
_DIRECT = "application/sparql-query"

# media type → pyoxigraph format name, in order of preference (the first is the default)
_RESULTS = (
    ("application/sparql-results+json", "JSON"),
    ("application/sparql-results+xml", "XML"),
    ("text/csv", "CSV"),
    ("text/tab-separated-values", "TSV"),
    ("application/json", "JSON"),
    ("application/xml", "XML"),
)
_GRAPHS = (
    ("text/turtle", "TURTLE"),
    ("application/n-triples", "N_TRIPLES"),
    ("application/rdf+xml", "RDF_XML"),
    ("application/ld+json", "JSON_LD"),
    ("application/n-quads", "N_QUADS"),
    ("application/trig", "TRIG"),
    ("text/plain", "N_TRIPLES"),
)


class ProtocolError(Exception):
    """A request the protocol refuses: its HTTP status and one sentence."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def parse(method: str, target: str, content_type: str, body: bytes) -> Request:
    """The query of one request, as the SPARQL 1.1 Protocol (§2.1) passes it."""
    url = urllib.parse.urlsplit(target)
    params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
    media = content_type.split(";")[0].strip().lower()
    if method == "GET":
        pass
    elif method == "POST" and media == _FORM:
        try:
            form = body.decode("utf-8")
        except UnicodeDecodeError:
            raise ProtocolError(400, "The form is not UTF-8; send it as UTF-8.") from None
        for key, values in urllib.parse.parse_qs(form, keep_blank_values=True).items():
            params.setdefault(key, []).extend(values)
    elif method == "POST" and media == _DIRECT:
        if "query" in params:
            raise ProtocolError(400, "Send the query in the body or in the URL, not both.")
        try:
            params["query"] = [body.decode("utf-8")]
        except UnicodeDecodeError:
            raise ProtocolError(400, "The query is not UTF-8; send it as UTF-8.") from None
    elif method == "POST":
        raise ProtocolError(
            415,
            f"A query is posted as {_DIRECT} or as a form ({_FORM}), not as "
            f"{media or 'an unnamed type'}.",
        )
    else:
        raise ProtocolError(405, f"The query operation takes GET or POST, not {method}.")
    if "update" in params:
        raise ProtocolError(403, "This endpoint is read-only: it takes no updates.")
    queries = params.get("query", [])
    if len(queries) != 1:
        raise ProtocolError(
            400,
            "Give one query (the query parameter, or the body of a POST)."
            if not queries
            else "Give one query, not several.",
        )
    return Request(
        query=queries[0],
        default_graphs=tuple(params.get("default-graph-uri", [])),
        named_graphs=tuple(params.get("named-graph-uri", [])),
    )


def _accepted(accept: str) -> list[tuple[str, float]]:
    """The media ranges of an Accept header with their weights, best first (RFC 9110 §12.5.1)."""
    ranges: list[tuple[str, float, int]] = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                with contextlib.suppress(ValueError):
                    q = float(f[2:])
        ranges.append((fields[0].lower(), q, i))
    ranges.sort(key=lambda r: (-r[1], r[0].count("*"), r[2]))
    return [(m, q) for m, q, _ in ranges if q > 0]


def media_types(kind: str) -> list[str]:
    """The media types an answer of `kind` (results | graph) can be sent in."""
    return [m for m, _ in (_RESULTS if kind == "results" else _GRAPHS)]


def negotiate(accept: str, kind: str) -> tuple[Any, str] | None:
    """The pyoxigraph format and media type for an answer of `kind` that `accept` takes best;
    None when it takes none (HTTP 406)."""
    import pyoxigraph as ox

    table = _RESULTS if kind == "results" else _GRAPHS
    enum: Any = ox.QueryResultsFormat if kind == "results" else ox.RdfFormat
    wanted = _accepted(accept) or [("*/*", 1.0)]
    for media, _ in wanted:
        for offered, name in table:
            major = offered.split("/")[0]
            if media in (offered, "*/*", f"{major}/*"):
                fmt = getattr(enum, name)
                charset = "; charset=utf-8" if "charset" not in fmt.media_type else ""
                return fmt, fmt.media_type + charset
    return None


@dataclass
class Endpoint:
    """What every request handler shares: the pool, the limits, the allowed endpoints."""

    pool: QueryPool
    timeout: float
    services: Collection[str] = ()
    connections: threading.BoundedSemaphore = field(
        default_factory=lambda: threading.BoundedSemaphore(64)
    )

    def check(self, request: Request) -> None:
        from fazhi_kg.query.guard import check_served_query

        try:
            check_served_query(request.query, graphs=self.pool.graphs, services=self.services)
        except QueryError as exc:
            raise ProtocolError(400, str(exc)) from None
        for iri in (*request.default_graphs, *request.named_graphs):
            if iri not in self.pool.graphs:
                raise ProtocolError(
                    400, f"<{iri[:200]}> is not a graph of this endpoint; name one of its graphs."
                )

    def server(self, host: str, port: int) -> ThreadingHTTPServer:
        endpoint = self

        class Handler(_Handler):
            pass

        Handler.endpoint = endpoint
        httpd = ThreadingHTTPServer((host, port), Handler)
        httpd.daemon_threads = True
        return httpd


class _Handler(BaseHTTPRequestHandler):
    """One connection: requests one after the other (HTTP/1.1 keep-alive)."""

    endpoint: Endpoint
    protocol_version = "HTTP/1.1"
    server_version = "fazhi-serve"
    sys_version = ""
    timeout = 30  # seconds a client may take to send a request

    def log_message(self, format: str, *args: Any) -> None:  # quiet: no line per request
        return

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The HTTP server's own refusals (a request line too long, bad HTTP) as one sentence."""
        text = {
            400: "The request is not valid HTTP.",
            414: "The URL is too long; send a long query with POST (application/sparql-query).",
            431: "The request's headers are too long.",
            501: "The method is not supported; use GET or POST.",
        }.get(code, f"The request cannot be served ({code}).")
        self._fail(code, text, close=True)

    def do_GET(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        if path in ("/", "/index.html"):
            self._send(200, PAGE.encode("utf-8"), "text/html; charset=utf-8")
        elif path == "/query":
            self._query("GET", b"")
        else:
            self._fail(404, "There is nothing here; the SPARQL endpoint is /query.")

    def do_POST(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        if path != "/query":
            self._read_body()
            status = 403 if path in ("/update", "/store") else 404
            self._fail(status, "This endpoint is read-only; query it at /query.")
            return
        body = self._read_body()
        if body is not None:
            self._query("POST", body)

    def do_PUT(self) -> None:
        self._read_body()
        self._fail(403, "This endpoint is read-only; query it at /query.")

    do_DELETE = do_PUT
    do_PATCH = do_PUT

    def _read_body(self) -> bytes | None:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            self._fail(411, "Send the request with a Content-Length.", close=True)
            return None
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_REQUEST_BYTES:
            self._fail(
                413, f"A request may hold {MAX_REQUEST_BYTES // 2**20} MB at most.", close=True
            )
            return None
        return self.rfile.read(length) if length else b""

    def _query(self, method: str, body: bytes) -> None:
        endpoint = self.endpoint
        if not endpoint.connections.acquire(blocking=False):
            self._fail(503, "The endpoint is busy; try again in a moment.", retry=True)
            return
        try:
            request = parse(method, self.path, self.headers.get("Content-Type", ""), body)
            request = Request(
                request.query,
                request.default_graphs,
                request.named_graphs,
                self.headers.get("Accept", ""),
            )
            endpoint.check(request)
            self._run(request, time.monotonic() + endpoint.timeout)
        except ProtocolError as exc:
            self._fail(exc.status, str(exc))
        finally:
            endpoint.connections.release()

    def _run(self, request: Request, deadline: float) -> None:
        pool = self.endpoint.pool
        try:
            worker = pool.acquire(deadline)
        except Busy:
            self._fail(503, "Every query worker is busy; try again in a moment.", retry=True)
            return
        except OSError:
            self._fail(500, "The query engine could not start; try again in a moment.")
            return
        reusable = False
        try:
            worker.conn.send(request)
            with lowered_after(worker, SLOW_AFTER):
                reusable = self._relay(worker, deadline)
        except (BrokenPipeError, ConnectionError, OSError):
            reusable = False
        finally:
            pool.release(worker, reusable=reusable)

    def _relay(self, worker: Worker, deadline: float) -> bool:
        """Pass the worker's answer on; whether the worker finished cleanly."""
        head: str | None = None
        chunks: list[bytes] = []
        size = 0
        streaming = False
        while True:
            message = self._next(worker, deadline, streaming)
            if message is None:  # past the deadline, the worker crashed, or the client left
                if streaming:
                    self.close_connection = True  # the chunked body ends without its last chunk
                return False
            tag = message[0]
            if tag == "error":
                if streaming:  # failed half-way: the body ends without its last chunk
                    self.close_connection = True
                else:
                    self._fail(message[1], message[2])
                return not streaming
            if tag == "head":
                head = message[1]
            elif tag == "data":
                chunks.append(message[1])
                size += len(message[1])
                if size > BUFFERED and not streaming:
                    self._start_chunked(head or "application/octet-stream")
                    streaming = True
                if streaming:
                    for c in chunks:
                        self._chunk(c)
                    chunks.clear()
            elif tag == "end":
                if streaming:
                    self.wfile.write(b"0\r\n\r\n")
                else:
                    self._send(200, b"".join(chunks), head or "application/octet-stream")
                return True

    def _next(self, worker: Worker, deadline: float, answering: bool) -> Any:
        """The worker's next message; None (and a reply, when none was sent) when the deadline
        passes, the worker dies or the client goes away."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                if not answering:
                    self._fail(
                        503,
                        f"The query ran longer than {self.endpoint.timeout:g} s and was "
                        "stopped; narrow it.",
                    )
                return None
            try:
                if worker.conn.poll(min(left, 0.2)):
                    return worker.conn.recv()
            except (EOFError, OSError):
                if not answering:
                    self._fail(
                        500,
                        "The query engine stopped on this query (it was restarted); "
                        "simplify the query.",
                    )
                return None
            if _client_gone(self.connection):
                self.close_connection = True
                return None

    def _start_chunked(self, media: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", media)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")

    def _send(
        self, status: int, body: bytes, media: str, *, extra: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _fail(self, status: int, message: str, *, close: bool = False, retry: bool = False) -> None:
        if close:
            self.close_connection = True
        extra = {"Retry-After": "1"} if retry else {}
        if close:
            extra["Connection"] = "close"
        with contextlib.suppress(OSError):
            self._send(
                status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8", extra=extra
            )


def _client_gone(sock: socket.socket) -> bool:
    """Whether the client closed its side (readable with nothing to read)."""
    try:
        ready, _, _ = select.select([sock], [], [], 0)
        return bool(ready) and sock.recv(1, socket.MSG_PEEK) == b""
    except (OSError, ValueError):
        return True


PAGE = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>fazhi-kg SPARQL</title>
<style>body{font:15px sans-serif;margin:2em;max-width:70em}textarea{width:100%;height:12em;
font:14px monospace}table{border-collapse:collapse;margin-top:1em}td,th{border:1px solid #ccc;
padding:.2em .5em;text-align:left;vertical-align:top}#msg{color:#a00;white-space:pre-wrap}</style>
</head><body><h1>fazhi-kg SPARQL 查询 · query</h1>
<p>SPARQL 1.1 endpoint: <code>/query</code> (GET, POST). 只读 · read-only.</p>
<textarea id="q">PREFIX fz: &lt;https://w3id.org/fazhi/ontology#&gt;
SELECT ?g (COUNT(*) AS ?triples) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g</textarea>
<p><button id="run">运行 · Run</button></p><div id="msg"></div><table id="out"></table>
<script>
document.getElementById("run").onclick = async () => {
  const msg = document.getElementById("msg"), out = document.getElementById("out");
  msg.textContent = ""; out.replaceChildren();
  const r = await fetch("query", {method: "POST", body: document.getElementById("q").value,
    headers: {"Content-Type": "application/sparql-query",
              "Accept": "application/sparql-results+json, text/turtle;q=0.5"}});
  if (!r.ok || !(r.headers.get("Content-Type") || "").includes("json")) {
    msg.textContent = await r.text(); return; }
  const data = await r.json();
  if ("boolean" in data) { msg.textContent = String(data.boolean); return; }
  const vars = data.head.vars, head = out.insertRow();
  for (const v of vars) { const th = document.createElement("th"); th.textContent = v;
    head.appendChild(th); }
  for (const b of data.results.bindings) { const row = out.insertRow();
    for (const v of vars) row.insertCell().textContent = b[v] ? b[v].value : ""; }
};
</script></body></html>
"""
