"""What the fault tests and bench/faults.py share: builds killed at a chosen moment, what a build
leaves on disk (graph files, the store's content, leftovers), processes still running, a disk that
fills, and hostile HTTP servers. Not a test module; bench/faults.py imports it from this folder."""

from __future__ import annotations

import contextlib
import hashlib
import os
import resource
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

BUILD = [sys.executable, "-m", "fazhi_kg", "build"]


def build_command(src: Path, out: Path, store: Path | None, jobs: int = 2) -> list[str]:
    cmd = [*BUILD, str(src), "--out", str(out), "--jobs", str(jobs)]
    return cmd + (["--store", str(store)] if store is not None else [])


def run_killed(cmd: list[str], after_s: float) -> int | None:
    """Run `cmd`, kill it with SIGKILL after `after_s` seconds; its exit code (None if killed
    before it ended)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        return proc.wait(timeout=after_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return None


def processes_with(marker: str) -> list[int]:
    """Pids of the processes whose command line holds `marker` (not this one)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            if marker.encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
    return found


def wait_until(check: Callable[[], bool], seconds: float) -> bool:
    """Whether `check()` holds within `seconds` (polled)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def graph_files(out: Path, *, manifest: bool = True) -> dict[str, bytes]:
    """The graph files (and the manifest) of a graph folder, by name."""
    return {
        p.name: p.read_bytes()
        for p in sorted(out.iterdir())
        if p.suffix == ".ttl" or (manifest and p.name == "manifest.json")
    }


def store_digest(store: Path) -> tuple[str, int]:
    """SHA-256 and count of the sorted N-Quads of a store's current generation."""
    import pyoxigraph as ox

    from fazhi_kg.corpus.generations import open_generation

    with open_generation(store) as gen:
        data = gen.store.dump(format=ox.RdfFormat.N_QUADS) or b""
    lines = sorted(data.splitlines())
    return hashlib.sha256(b"\n".join(lines)).hexdigest(), len(lines)


def leftovers(out: Path, store: Path | None) -> list[str]:
    """What an interrupted build may leave and the next build must remove: a staging folder, a
    journal, temporary files; half-built and unheld old generations, bulk-load files."""
    found = [p.name for p in out.iterdir() if p.name in (".staging", ".fazhi-journal")]
    found += [p.name for p in out.glob(".*.tmp")]
    if store is not None and store.exists():
        current = (store / "CURRENT").read_text().strip() if (store / "CURRENT").exists() else ""
        for p in store.iterdir():
            half = p.name.endswith((".partial", ".tmp"))
            if half or (p.name.startswith("gen-") and p.name != current):
                found.append(p.name)
        found += [str(p.relative_to(store)) for p in store.rglob("bulk-*.sst")]
    return sorted(found)


# --- a disk that fills -------------------------------------------------------------------------


@contextlib.contextmanager
def small_disk(folder: Path, size_kb: int) -> Iterator[Callable[[], None] | None]:
    """A `folder` that fills after `size_kb`: a tmpfs where this process may mount one (yields
    None), else a limit of a quarter of that on the size of each file the child writes (yields
    its `preexec_fn`)."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = False
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("mount"):
        result = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder)],
            capture_output=True,
            check=False,
        )
        mounted = result.returncode == 0
    try:
        yield None if mounted else _file_size_limit(size_kb * 256)
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def _file_size_limit(size: int) -> Callable[[], None]:
    def limit() -> None:  # in the child: a write past `size` fails with EFBIG
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


# --- hostile HTTP servers ----------------------------------------------------------------------

GARBAGE = b"\x1b[31mGARBAGE\x07 \xff\xfe NOT HTTP"

BEHAVIOURS: dict[str, str] = {
    "garbage": "answers a garbage status line with terminal escapes",
    "close": "closes the connection without a word",
    "half": "sends half a response and closes",
    "stall": "accepts and never answers",
    "endless": "answers 200 with a body that never ends",
    "error": "answers HTTP 500 with a hostile body",
}


class HostileServer:
    """A loopback HTTP 'server' that misbehaves one way (`BEHAVIOURS`), counting connections."""

    def __init__(self, behaviour: str) -> None:
        assert behaviour in BEHAVIOURS
        pot = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                pot.connections += 1
                sock: socket.socket = self.request
                sock.settimeout(2)
                with contextlib.suppress(OSError):
                    sock.recv(65536)  # the request's head
                    pot._misbehave(sock)

        self.behaviour = behaviour
        self.connections = 0
        self.stop = threading.Event()
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/store"

    def _misbehave(self, sock: socket.socket) -> None:
        b = self.behaviour
        if b == "garbage":
            sock.sendall(GARBAGE + b"\r\n\r\n")
        elif b == "half":
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nhalf")
        elif b == "stall":
            self.stop.wait(30)
        elif b == "endless":
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n")
            while not self.stop.is_set():
                sock.sendall(GARBAGE * 1000)
        elif b == "error":
            body = GARBAGE * 10
            head = f"HTTP/1.1 500 Oops\r\nContent-Length: {len(body)}\r\n\r\n".encode()
            sock.sendall(head + body)

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()
