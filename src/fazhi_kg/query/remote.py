"""Run stored queries on a remote SPARQL endpoint with the SPARQL 1.1 Protocol
(https://www.w3.org/TR/sparql11-protocol/, §2.1.2 POST of URL-encoded parameters: every endpoint
takes it, while Virtuoso 7.2 never answers a §2.1.3 POST of `application/sparql-query`).

An endpoint takes no substitutions, so parameters are bound by a `VALUES` block of escaped RDF
terms at the head of the query's WHERE groups (the only place where query text is written from
parameters). Only the standard library speaks HTTP here (`fazhi_kg.query.http`).
"""

from __future__ import annotations

import re
import time
import urllib.parse
from http.client import HTTPResponse

import pyoxigraph as ox

from fazhi_kg.errors import QueryError, UsageError, shown
from fazhi_kg.iris import XSD
from fazhi_kg.query.answer import Answer
from fazhi_kg.query.catalogue import Term
from fazhi_kg.query.guard import blank_out, check_query
from fazhi_kg.query.http import Auth, request, timeout_error

__all__ = ["run_remote", "sparql_term", "with_values"]


_IRI_OK = re.compile(r"[^<>\"{}|^`\\\x00-\x20]*")
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def sparql_term(term: Term) -> str:
    """An RDF term in SPARQL syntax, escaped (SPARQL 1.1 §19.5 IRIREF, §19.7 ECHAR). A simple
    literal is written with its datatype xsd:string, the same term in RDF 1.1: Virtuoso 7.2 turns
    the characters of a plain literal outside Latin-1 into "?" under STR()."""
    if term.kind == "iri":
        if not _IRI_OK.fullmatch(term.value):
            raise UsageError(
                f'{term.value!r} cannot be written as an IRI; remove spaces and <>"{{}}|^`\\.'
            )
        return f"<{term.value}>"
    text = '"' + "".join(_ECHAR.get(c, c) for c in term.value) + '"'
    return text + "^^" + sparql_term(Term(term.datatype or XSD + "string", kind="iri"))


def with_values(text: str, bindings: dict[str, Term]) -> str:
    """`text` with a VALUES block at the head of each WHERE group (the outer one and each
    subquery's) binding the parameters that group uses outside its subqueries, so a parameter is
    bound wherever it is used, as a substitution would bind it (a VALUES block only in the outer
    group would not reach into subqueries). A group that gets a parameter only from a subquery
    takes it from there: Virtuoso 7.2 loses every row when a VALUES block meets a UNION whose
    branches bind the same variable.

    The parameters leave the outer projection: bound by VALUES they need no place there (a
    substitution does), the renderer hides them anyway, and Virtuoso 7.2 fails to sort rows that
    carry a decimal constant ("Numeric value out of range for <temporary space column>")."""
    if not bindings:
        return text
    for n in bindings:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", n):
            raise UsageError(f'"{n}" is not a SPARQL variable name.')
    written = {n: sparql_term(t) for n, t in bindings.items()}
    text = _unprojected(text, set(bindings))
    bare = blank_out(text)
    points = [m.end() for m in re.finditer(r"\bWHERE\s*\{", bare, re.IGNORECASE)]
    if not points:  # the short forms: SELECT * { … }, ASK { … }
        form = re.search(r"\b(SELECT|ASK|DESCRIBE)\b[^{]*\{", bare, re.IGNORECASE)
        if form is None:
            raise QueryError("Cannot find the query's WHERE clause to bind parameters in.")
        points = [form.end()]
    out, last = [], 0
    for at in points:
        used = sorted(n for n in bindings if n in _own_variables(bare, at))
        block = ""
        if used:
            names = " ".join(f"?{n}" for n in used)
            terms = " ".join(written[n] for n in used)
            block = f" VALUES ({names}) {{ ({terms}) }} "
        out += [text[last:at], block]
        last = at
    return "".join([*out, text[last:]])


def _own_variables(bare: str, start: int) -> set[str]:
    """The variables of the group that opens just before `start`, outside its subqueries."""
    depth, i, own = 1, start, []
    skip_to = -1
    while i < len(bare) and depth:
        ch = bare[i]
        if ch in "{}":
            own.append(" ")
        if ch == "{":
            if skip_to < 0 and re.match(r"\{\s*SELECT\b", bare[i:], re.IGNORECASE):
                skip_to = depth  # a subquery: its variables are its own
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == skip_to:
                skip_to = -1
        elif skip_to < 0:
            own.append(ch)
        i += 1
    return set(re.findall(r"[?$]([A-Za-z_][A-Za-z0-9_]*)", "".join(own)))


def _unprojected(text: str, names: set[str]) -> str:
    """`text` without the variables `names` in the projection of its outer SELECT (plain
    `?name` items only; an item such as `(STR(?name) AS ?x)` stays)."""
    bare = blank_out(text)
    select = re.search(r"\bSELECT\b", bare, re.IGNORECASE)
    if select is None:
        return text
    end = re.compile(r"\bWHERE\b|\{", re.IGNORECASE).search(bare, select.end())
    stop = end.start() if end is not None else len(bare)
    cut: list[tuple[int, int]] = []
    depth = 0
    for m in re.finditer(r"[()]|[?$]([A-Za-z_][A-Za-z0-9_]*)", bare[:stop]):
        if m.group(0) == "(":
            depth += 1
        elif m.group(0) == ")":
            depth -= 1
        elif depth == 0 and m.start() >= select.end() and m.group(1) in names:
            cut.append(m.span())
    for start, finish in reversed(cut):
        text = text[:start] + " " * (finish - start) + text[finish:]
    return text


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
        data=urllib.parse.urlencode({"query": text}).encode("ascii"),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": _ACCEPT},
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
        rows.append(tuple(_canonical(solution[i]) for i in range(len(names))))
    return _within_cap(resp, url, limit, names, rows, extra)


def _canonical(term: object) -> object:
    """A boolean in its canonical form: Virtuoso writes true and false as 1 and 0 (the same
    values, XML Schema 1.1 §3.3.2), which a table would show as numbers."""
    if (
        isinstance(term, ox.Literal)
        and term.value in ("1", "0")
        and term.datatype.value == _BOOLEAN
    ):
        return ox.Literal("true" if term.value == "1" else "false", datatype=term.datatype)
    return term


_BOOLEAN = XSD + "boolean"


def _within_cap(
    resp: HTTPResponse,
    url: str,
    limit: int | None,
    names: tuple[str, ...],
    rows: list[tuple[object | None, ...]],
    extra: int,
) -> Answer:
    """The answer, unless the server cut it off before the rows asked for: Virtuoso stops at its
    ResultSetMaxRows without an error and only says so in the header X-SPARQL-MaxRows. A page
    that fills before the cut is whole, with more rows to follow, uncounted."""
    cap = resp.headers.get("X-SPARQL-MaxRows", "")
    seen = len(rows) + extra
    if cap.isdigit() and seen >= int(cap):
        if limit is None or limit >= seen:
            raise QueryError(
                f"{url} cut the answer off at {int(cap):,} rows (Virtuoso's ResultSetMaxRows); "
                "raise ResultSetMaxRows in the [SPARQL] section of its virtuoso.ini, or narrow "
                "the query."
            )
        return Answer(kind="select", variables=names, rows=tuple(rows), more=True)
    return Answer(kind="select", variables=names, rows=tuple(rows), truncated=extra)
