"""Serve a corpus store read-only with Oxigraph's own server (`fazhi serve`): the `oxigraph` program
of the `oxigraph` PyPI package (`serve-read-only`), whose page at `/` is a query editor (YASGUI,
shipped with the server, works offline) and whose SPARQL endpoint is `/query`.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from fazhi_kg.errors import InputError, UsageError
from fazhi_kg.query.store import open_store_dir

__all__ = [
    "DEFAULT_BIND",
    "free_port",
    "oxigraph_binary",
    "running_server",
    "serve",
    "server_command",
]

DEFAULT_BIND = "127.0.0.1:7878"


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
    import pyoxigraph as ox

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
