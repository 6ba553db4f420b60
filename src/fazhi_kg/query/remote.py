"""Run stored queries on a remote SPARQL endpoint with the SPARQL 1.1 Protocol
(https://www.w3.org/TR/sparql11-protocol/, §2.1.3 POST with `application/sparql-query`).

An endpoint takes no substitutions, so parameters are bound by a `VALUES` block of escaped RDF
terms at the head of the query's WHERE groups (the only place where query text is written from
parameters). Only the standard library speaks HTTP here (`fazhi_kg.query.http`).
"""

from __future__ import annotations

import re
import time
from http.client import HTTPResponse

import pyoxigraph as ox

from fazhi_kg.errors import QueryError, UsageError, shown
from fazhi_kg.query.answer import Answer
from fazhi_kg.query.catalogue import Term
from fazhi_kg.query.guard import blank_out, check_query
from fazhi_kg.query.http import Auth, request, timeout_error

__all__ = ["run_remote", "sparql_term", "with_values"]


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
    bare = blank_out(text)
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
    with request(
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
                f"{shown(endpoint_url)} sent an incomplete or invalid answer ({shown(exc)}); the "
                "server may have stopped the query at its time limit."
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
            raise timeout_error(url, "query", timeout)

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
            f"{shown(url)} answered in {shown(kind[:80]) or 'an unnamed format'}, not SPARQL "
            "results JSON; check that the URL is a SPARQL query endpoint."
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
