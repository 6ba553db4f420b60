"""Serve a corpus store read-only as a public SPARQL endpoint (`fazhi serve`), and start Oxigraph's
own server (the `oxigraph` program of the `oxigraph` PyPI package) as a store to push to.

`fazhi serve` is a small HTTP front (`fazhi_kg.corpus.endpoint`) over worker processes that run
the queries with pyoxigraph (`fazhi_kg.corpus.querypool`). Oxigraph's server alone does not hold
in public: a deeply nested query overflows its stack and ends the process, SERVICE makes it fetch
any URL, and its time limit leaves some queries (ORDER BY of a large join) running long after
their clients left. docs/robustness.md measures both (bench/faults.py).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Collection, Iterator
from pathlib import Path

from fazhi_kg.errors import InputError, UsageError, shown

__all__ = [
    "DEFAULT_BIND",
    "DEFAULT_TIMEOUT",
    "free_port",
    "oxigraph_binary",
    "running_server",
    "serve",
    "server_command",
    "serving",
    "split_bind",
]

DEFAULT_BIND = "127.0.0.1:7878"
DEFAULT_TIMEOUT = 30.0
FOLLOW_EVERY = 0.5  # seconds between looks at the store's CURRENT


def split_bind(bind: str) -> tuple[str, int]:
    """("host", port) of "host:port" ("[::1]:7878" for IPv6)."""
    host, sep, port = bind.rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) < 65536:
        raise UsageError(f"--bind takes HOST:PORT, e.g. 127.0.0.1:7878, not {shown(bind)}.")
    return host.strip("[]") or "127.0.0.1", int(port)


def serve(
    store_dir: str | Path | None = None,
    bind: str = DEFAULT_BIND,
    *,
    timeout_s: float = DEFAULT_TIMEOUT,
    services: Collection[str] = (),
    workers: int | None = None,
    ready: Callable[[str], None] | None = None,
) -> int:
    """Serve a corpus store read-only until interrupted (Ctrl-C, SIGTERM); returns 0.

    Without `store_dir`, the graphs shipped with the package are served from a temporary store,
    so a new user can try the endpoint at once. The SPARQL endpoint is `http://BIND/query`, the
    query page `http://BIND/`. Queries stop after `timeout_s` seconds; SERVICE may call only
    `services`. A build into the store is picked up within a second. `ready(url)` is called once
    the endpoint answers. The default address is loopback only.
    """
    from fazhi_kg.corpus.endpoint import Endpoint
    from fazhi_kg.corpus.querypool import QueryPool

    host, port = split_bind(bind)
    if timeout_s <= 0:
        raise UsageError(f"The time limit must be above 0 seconds, not {timeout_s:g}.")
    size = workers or max(4, 2 * (os.cpu_count() or 1))
    with tempfile.TemporaryDirectory(prefix="fazhi-serve-") as tmp:
        if store_dir is None:
            store_dir = Path(tmp) / "store"
            _shipped_store(store_dir)
        pool = QueryPool(Path(store_dir), size=size)
        try:
            try:
                httpd = Endpoint(pool, timeout_s, frozenset(services)).server(host, port)
            except OSError as exc:
                raise InputError(
                    f"Cannot listen on {shown(bind)}: {exc.strerror}; choose another --bind."
                ) from exc
            _serve_until_stopped(httpd, pool, ready, f"http://{bind}")
        finally:
            pool.close()
    return 0


def _serve_until_stopped(
    httpd: object, pool: object, ready: Callable[[str], None] | None, url: str
) -> None:
    """Answer requests in a thread; follow the store; stop on SIGINT, SIGTERM."""
    from http.server import ThreadingHTTPServer

    from fazhi_kg.corpus.querypool import QueryPool

    assert isinstance(httpd, ThreadingHTTPServer) and isinstance(pool, QueryPool)
    stop = threading.Event()
    thread = threading.Thread(target=httpd.serve_forever, args=(0.2,), daemon=True)
    thread.start()
    previous = {}
    with contextlib.suppress(ValueError):  # signal handlers can only be set in the main thread
        for sig in (signal.SIGTERM, signal.SIGINT):
            previous[sig] = signal.signal(sig, lambda *_: stop.set())
        if hasattr(signal, "SIGHUP"):
            previous[signal.SIGHUP] = signal.signal(signal.SIGHUP, lambda *_: pool.follow())
    try:
        if ready is not None:
            ready(url)
        while not stop.wait(FOLLOW_EVERY):
            pool.follow()
    finally:
        httpd.shutdown()
        httpd.server_close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _shipped_store(path: Path) -> None:
    """A store of the shipped report graphs and the ontology graph, in one generation."""
    from fazhi_kg.corpus.generations import build_generation
    from fazhi_kg.corpus.loader import RECORD_FORMAT
    from fazhi_kg.corpus.manifest import file_sha256
    from fazhi_kg.corpus.store import divisions_quads, ontology_key, ontology_quads
    from fazhi_kg.iris import report_of_graph
    from fazhi_kg.rdfio.load import read_graphs
    from fazhi_kg.resources import default_graph_files

    graphs = {}
    with build_generation(path) as new:
        for graph_file in read_graphs(default_graph_files()):
            graph_file.load_into(new.store)
            rid = report_of_graph(graph_file.default_graph)
            if rid and graph_file.path is not None:
                graphs[rid] = file_sha256(Path(graph_file.path)) or ""
        new.store.extend(ontology_quads())
        new.store.extend(divisions_quads())
        new.commit({"format": RECORD_FORMAT, "graphs": graphs, "ontology": ontology_key()})


@contextlib.contextmanager
def serving(
    store_dir: str | Path | None = None, *, args: Collection[str] = (), wait_s: float = 30.0
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Run `fazhi serve` in a child process on a free loopback port (for tests and benchmarks);
    yield its base URL and the process, stop it after."""
    port = free_port()
    cmd = [sys.executable, "-m", "fazhi_kg", "serve", "--bind", f"127.0.0.1:{port}", *args]
    if store_dir is not None:
        cmd += ["--store", str(store_dir)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url + "/", proc, wait_s, "fazhi serve")
        yield url, proc
    finally:
        _stop(proc)


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
    location: str | Path,
    *,
    bind: str = DEFAULT_BIND,
    timeout_s: int | None = None,
    read_only: bool = True,
) -> list[str]:
    """The command line of Oxigraph's own server over the Oxigraph store at `location` (one
    generation of a corpus store); queries see the union of its graphs.

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
        str(location),
        "--bind",
        bind,
        "--union-default-graph",
    ]
    if timeout_s is not None:
        cmd += ["--timeout-s", str(int(timeout_s))]
    return cmd


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
    """Start Oxigraph's own server on a free loopback port, yield its base URL, stop it after:
    over the current generation of a corpus store, or (no `store_dir`, `read_only=False`) with
    its data in memory, as a store to push to.
    """
    port = free_port()
    with contextlib.ExitStack() as stack:
        if store_dir is None:
            if read_only:
                raise UsageError("A read-only server needs a store folder.")
            cmd = [str(oxigraph_binary()), "serve", "--bind", f"127.0.0.1:{port}"]
            cmd.append("--union-default-graph")
        else:
            from fazhi_kg.corpus.generations import open_generation

            generation = stack.enter_context(open_generation(store_dir))
            cmd = server_command(
                generation.path, bind=f"127.0.0.1:{port}", timeout_s=timeout_s, read_only=read_only
            )
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_for(url + "/", proc, wait_s, "The Oxigraph server")
            yield url
        finally:
            _stop(proc)


def _wait_for(url: str, proc: subprocess.Popen[bytes], wait_s: float, what: str) -> None:
    deadline = time.monotonic() + wait_s
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except (urllib.error.URLError, OSError) as exc:
            if proc.poll() is not None or time.monotonic() > deadline:
                _stop(proc)
                err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
                raise InputError(
                    f"{what} did not start ({shown(err.strip()[-300:] or exc)}); check the store "
                    "folder."
                ) from exc
            time.sleep(0.05)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if proc.stderr and not proc.stderr.closed:
        proc.stderr.close()
