"""One HTTP request with the standard library, its failures said in one sentence naming the URL
and the server's answer: for remote queries (`fazhi_kg.query.remote`) and pushing
(`fazhi_kg.corpus.push`)."""

from __future__ import annotations

import base64
import contextlib
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.client import HTTPResponse

from fazhi_kg.errors import InputError, QueryError, QueryTimeout, UsageError

__all__ = ["Auth", "request", "timeout_error"]

Auth = tuple[str, str]
"""User and password for HTTP Basic authentication."""


@contextlib.contextmanager
def request(
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
            raise timeout_error(url, what, timeout) from exc
        raise InputError(
            f"Cannot reach {url} ({exc.reason}); check the URL and that the server is running."
        ) from exc
    except TimeoutError as exc:
        raise timeout_error(url, what, timeout) from exc
    with resp:
        try:
            yield resp
        except TimeoutError as exc:
            raise timeout_error(url, what, timeout) from exc


def timeout_error(url: str, what: str, timeout: float | None) -> QueryTimeout:
    return QueryTimeout(
        f"{url} did not finish the {what} within {timeout or 0:g} s; raise --timeout or narrow it."
    )
