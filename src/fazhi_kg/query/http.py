"""One HTTP request with the standard library, its failures said in one sentence naming the URL
and the server's answer: for remote queries (`fazhi_kg.query.remote`) and pushing
(`fazhi_kg.corpus.push`).

Credentials answer the server's challenge, Basic or Digest (RFC 7617, RFC 7616: Virtuoso's
/sparql-graph-crud-auth takes Digest only), and once a scheme worked every later request to that
server carries it from the start, so a push does not upload each graph twice.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from email.message import Message
from http.client import HTTPResponse
from typing import IO, Any

from fazhi_kg.errors import FazhiError, InputError, QueryError, QueryTimeout, UsageError, shown

__all__ = ["Auth", "request", "timeout_error"]

Auth = tuple[str, str]
"""User and password for HTTP Basic or Digest authentication."""

TRIES = 3  # challenges answered in a row before a 401 counts as refused credentials


class _Credentials(urllib.request.HTTPDigestAuthHandler):
    """Answers a 401 challenge with Basic or Digest credentials, whichever the server asks for,
    and sends the answer that worked with every later request (a fresh Digest nonce count each)."""

    def __init__(self, root: str, auth: Auth) -> None:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, root, auth[0], auth[1])
        super().__init__(passwords)
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
        self.basic = f"Basic {token}"
        self.scheme: str | None = None  # basic | digest, once the server asked
        self.challenge: dict[str, str] = {}
        self.tries = 0

    def http_request(self, req: urllib.request.Request) -> urllib.request.Request:
        if self.scheme == "basic":
            req.add_unredirected_header("Authorization", self.basic)
        elif self.scheme == "digest":
            answer = self.get_authorization(req, self.challenge)
            if answer:
                req.add_unredirected_header("Authorization", f"Digest {answer}")
        return req

    https_request = http_request

    def http_error_401(
        self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str, headers: Message
    ) -> Any:
        self.tries += 1
        if self.tries > TRIES:
            return None  # the credentials are refused: the 401 goes to the caller
        for offer in headers.get_all("WWW-Authenticate") or []:
            scheme, _, params = offer.strip().partition(" ")
            if scheme.lower() == "digest":
                chal = urllib.request.parse_keqv_list(
                    [item for item in urllib.request.parse_http_list(params) if item]
                )
                self.scheme, self.challenge = "digest", chal
                break
            if scheme.lower() == "basic":
                self.scheme = "basic"
                break
        else:
            return None
        with contextlib.suppress(OSError):
            fp.read()  # the challenge's own body, so that its connection closes
            fp.close()
        try:
            return self.parent.open(req, timeout=req.timeout)
        finally:
            self.tries = 0


_OPENERS: dict[tuple[str, str, str], urllib.request.OpenerDirector] = {}


def _opener(url: str, auth: Auth | None) -> urllib.request.OpenerDirector:
    """One opener per server and credentials, so a scheme that worked is used from the start."""
    parts = urllib.parse.urlsplit(url)
    root = f"{parts.scheme}://{parts.netloc}/"
    key = (root, *(auth or ("", "")))
    if key not in _OPENERS:
        handlers = [] if auth is None else [_Credentials(root, auth)]
        _OPENERS[key] = urllib.request.build_opener(*handlers)
    return _OPENERS[key]


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
    URL, never the raw bytes of the server (a broken or hostile server's answer is described, or
    its first line shown escaped)."""
    if not re.match(r"https?://", url):
        raise UsageError(
            f"{shown(url)} is not an http(s) URL; give e.g. http://localhost:7878/query."
        )
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        resp = _opener(url, auth).open(req, timeout=timeout)
    except urllib.error.HTTPError as exc:
        raise _refused(url, what, exc, auth=auth is not None) from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise timeout_error(url, what, timeout) from exc
        reason = exc.reason.strerror if isinstance(exc.reason, OSError) else exc.reason
        raise InputError(
            f"Cannot reach {shown(url)} ({shown(reason or exc.reason)}); check the URL and that "
            "the server is running."
        ) from exc
    except TimeoutError as exc:
        raise timeout_error(url, what, timeout) from exc
    except (http.client.HTTPException, OSError) as exc:
        raise _broken(url, what, exc) from exc
    with resp:
        try:
            yield resp
        except TimeoutError as exc:
            raise timeout_error(url, what, timeout) from exc
        except (http.client.HTTPException, OSError) as exc:
            raise _broken(url, what, exc) from exc


def _refused(url: str, what: str, exc: urllib.error.HTTPError, *, auth: bool) -> FazhiError:
    """An HTTP error status: its code, and the first line of its body, escaped and short."""
    try:
        body = exc.read(4096).decode("utf-8", "replace").strip()
    except (http.client.HTTPException, OSError):
        body = ""
    first = body.splitlines()[0][:200].rstrip(" .") if body else str(exc.reason or "")
    said = f": {first}" if _plain(first) else ""  # a hostile server's bytes are not repeated
    hint = {
        401: "check the user and password" if auth else "give credentials",
        403: "the server refuses this write (is it read-only, or are the credentials wrong?)",
        404: "check the URL's path",
    }.get(exc.code, "check the request and the server's log")
    err = QueryError if what == "query" and exc.code == 400 else InputError
    return err(f"{shown(url)} answered HTTP {exc.code} to the {what}{said}; {hint}.")


def _plain(text: str) -> bool:
    """Whether a server's words are plain text fit to quote (no control or replacement
    characters, nothing undecodable)."""
    return bool(text) and all(c.isprintable() and c != "\ufffd" for c in text)


def _broken(url: str, what: str, exc: BaseException) -> InputError:
    """A server that broke off or answered no HTTP at all, in one sentence without its bytes."""
    host = shown(urllib.parse.urlsplit(url).netloc or url)
    if isinstance(exc, (ConnectionError, http.client.IncompleteRead)):
        return InputError(
            f"The server at {host} closed the connection during the {what}; check that it is "
            "running and try again."
        )
    if isinstance(exc, http.client.HTTPException):
        return InputError(
            f"The server at {host} did not answer the {what} in HTTP (a malformed response); "
            f"check that {shown(url)} is the right address."
        )
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
    return InputError(
        f"The {what} to {host} failed ({shown(reason)}); check that the server is running and "
        "try again."
    )


def timeout_error(url: str, what: str, timeout: float | None) -> QueryTimeout:
    return QueryTimeout(
        f"{shown(url)} did not finish the {what} within {timeout or 0:g} s; raise --timeout or "
        "narrow it."
    )
