"""Run a query in a forked child process, so that a time limit can stop it (a running query
cannot be stopped from a thread) and an engine crash ends the child, not the command."""

from __future__ import annotations

import os
import select
import signal
import time
from collections.abc import Callable
from typing import NoReturn

from fazhi_kg.errors import QueryError, QueryTimeout

__all__ = ["in_child"]


def in_child(work: Callable[[], bytes], timeout: float | None) -> bytes:
    """Run `work` in a forked process and return its bytes; past `timeout` seconds the process is
    killed and `QueryTimeout` raised. Without a timeout (or fork), `work` runs here."""
    if timeout is None or not hasattr(os, "fork"):
        return work()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        _report_to_parent(work, write_fd)
    os.close(write_fd)
    data = _read_until(read_fd, pid, timeout)
    _, wait_status = os.waitpid(pid, 0)
    return _outcome(data, wait_status)


def _report_to_parent(work: Callable[[], bytes], write_fd: int) -> NoReturn:
    """In the child: `ok` and the bytes, or `error`, the kind and the message; then exit."""
    code = 0
    try:
        payload = b"ok\n" + work()
    except BaseException as exc:  # the parent re-raises it as a one-sentence error
        code = 1
        kind = "timeout" if isinstance(exc, QueryTimeout) else type(exc).__name__
        payload = f"error\n{kind}\n{exc}".encode()
    with os.fdopen(write_fd, "wb") as out:
        out.write(payload)
    os._exit(code)


def _read_until(read_fd: int, pid: int, timeout: float) -> bytes:
    """What the child writes until it closes the pipe; past `timeout` it is killed."""
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    with os.fdopen(read_fd, "rb", buffering=0) as src:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                raise QueryTimeout(
                    f"The query ran longer than {timeout:g} s and was stopped; narrow it or raise --timeout."
                )
            ready, _, _ = select.select([src], [], [], left)
            if ready:
                chunk = src.read(1 << 16)
                if not chunk:
                    return b"".join(chunks)
                chunks.append(chunk)


def _outcome(data: bytes, wait_status: int) -> bytes:
    """The child's bytes, or its failure as one `QueryError`."""
    status, _, rest = data.partition(b"\n")
    if os.WIFSIGNALED(wait_status):  # killed before it could report: a crash or the OOM killer
        number = os.WTERMSIG(wait_status)
        try:
            name = f" {signal.Signals(number).name}"
        except ValueError:
            name = ""
        raise QueryError(
            f"The query engine crashed (signal {number}{name}) and the query was stopped; "
            "simplify the query or narrow it to fewer graphs, and report it if it persists."
        )
    if status == b"ok":
        return rest
    if status != b"error":  # exited without a word, e.g. os._exit in a library
        raise QueryError(
            f"The query engine stopped without an answer (exit status "
            f"{os.waitstatus_to_exitcode(wait_status)}); run the query again and report it if "
            "it persists."
        )
    kind, _, message = rest.decode("utf-8", "replace").partition("\n")
    if kind in ("QueryError", "UsageError", "InputError"):
        raise QueryError(message)
    raise QueryError(f"The query failed: {message or kind}.")
