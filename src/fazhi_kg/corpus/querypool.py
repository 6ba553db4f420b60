"""The query processes behind `fazhi serve`: each query runs alone in a worker process that opens
the store's current generation read-only, so a query past its time limit is stopped by killing
its process (its CPU freed at once), a crash ends one worker and not the server, and a long query
is lowered in priority so that short ones keep their speed.

Workers are forked from a fork server (a clean process that has imported pyoxigraph), die with it
(prctl PR_SET_PDEATHSIG), and it dies with the server. The pool follows the store: when a build
switches `CURRENT`, new queries go to workers of the new generation, and the old generation is let
go (and removed) once its last query ends (`fazhi_kg.corpus.generations`).
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from fazhi_kg.corpus.generations import Generation, current_name, open_generation

__all__ = ["Busy", "QueryPool", "Request", "Worker"]

CHUNK = 1 << 16
LOW_PRIORITY = 19


@dataclass(frozen=True)
class Request:
    """One query as the protocol gave it (`fazhi_kg.corpus.endpoint`)."""

    query: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    accept: str = ""


class Busy(Exception):
    """No worker became free before the query's deadline."""


@dataclass(eq=False)
class Worker:
    """One worker process and its end of the pipe."""

    process: Any
    conn: Connection
    generation: str
    served: int = 0
    lowered: bool = False
    ready: threading.Event = field(default_factory=threading.Event)

    def lower(self) -> None:
        """Lower the priority of a worker whose query runs long (it never serves again)."""
        if not self.lowered and self.process.pid:
            self.lowered = True
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, self.process.pid, LOW_PRIORITY)


class QueryPool:
    """Up to `size` workers at once, `spare` of them kept started and idle."""

    def __init__(self, store_dir: Path, *, size: int = 8, spare: int = 2) -> None:
        method = (
            "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        )
        self.ctx: Any = multiprocessing.get_context(method)
        if method == "forkserver":
            self.ctx.set_forkserver_preload(
                ["pyoxigraph", "fazhi_kg.corpus.querypool", "fazhi_kg.corpus.endpoint"]
            )
        self.store_dir = store_dir
        self.size = max(1, size)
        self.spare = max(0, min(spare, self.size))
        self.cond = threading.Condition()
        self.idle: list[Worker] = []
        self.busy: set[Worker] = set()
        self.starting = 0
        self.users: dict[str, int] = {}  # generation name → its live workers (+1 while current)
        self.held: dict[str, Generation] = {}
        self.closed = False
        self.threads: list[threading.Thread] = []
        self.generation = self._hold_current()
        self.graphs = _graph_names(self.held[self.generation])
        self.keeper = threading.Thread(target=self._keep, name="fazhi-pool-keeper", daemon=True)
        self.keeper.start()

    # --- generations -----------------------------------------------------------------------

    def _hold_current(self) -> str:
        gen = open_generation(self.store_dir)
        self.held[gen.name] = gen
        self.users[gen.name] = self.users.get(gen.name, 0) + 1
        return gen.name

    def _let_go(self, name: str) -> None:
        """One user fewer for generation `name`; the last one closes it (and so removes it
        when a build has replaced it)."""
        self.users[name] -= 1
        if self.users[name] == 0:
            del self.users[name]
            gen = self.held.pop(name)
            self._background(gen.close)

    def follow(self) -> bool:
        """Switch to the store's current generation if a build replaced it; whether it did."""
        try:
            name = current_name(self.store_dir)
        except Exception:  # a store being replaced by hand: keep serving what we hold
            return False
        if name is None or name == self.generation:
            return False
        try:
            new = self._hold_current()
        except Exception:
            return False
        graphs = _graph_names(self.held[new])
        with self.cond:
            old, self.generation, self.graphs = self.generation, new, graphs
            stale = [w for w in self.idle if w.generation != new]
            self.idle = [w for w in self.idle if w.generation == new]
            self._let_go(old)
            self.cond.notify_all()
        for w in stale:
            self._retire(w)
        return True

    # --- workers -----------------------------------------------------------------------------

    def _start(self, generation: str) -> Worker:
        """Start a worker on `generation` and wait until its store is open."""
        mine, theirs = self.ctx.Pipe()
        path = self.held[generation].path
        process = self.ctx.Process(
            target=worker_main, args=(theirs, str(path)), name="fazhi-query", daemon=True
        )
        process.start()
        theirs.close()
        worker = Worker(process, mine, generation)
        if not mine.poll(30) or mine.recv() != ("ready",):
            process.kill()
            process.join()
            raise OSError("a query worker did not start")
        return worker

    def _keep(self) -> None:
        """Keep `spare` idle workers of the current generation started."""
        while True:
            with self.cond:
                while not self.closed and not self._wants_spare():
                    self.cond.wait(1.0)
                if self.closed:
                    return
                generation = self.generation
                self.starting += 1
                self.users[generation] += 1
            worker = None
            try:
                worker = self._start(generation)
            except Exception:
                time.sleep(0.5)
            with self.cond:
                self.starting -= 1
                if worker is not None and worker.generation == self.generation and not self.closed:
                    self.idle.append(worker)
                    self.cond.notify_all()
                    worker = None
                elif worker is None:
                    self._let_go(generation)
            if worker is not None:
                self._retire(worker)

    def _wants_spare(self) -> bool:
        total = len(self.idle) + len(self.busy) + self.starting
        return len(self.idle) + self.starting < self.spare and total < self.size

    def acquire(self, deadline: float) -> Worker:
        """An idle worker of the current generation, started if need be; `Busy` when none is
        free before `deadline`."""
        dead: list[Worker] = []
        try:
            return self._take(deadline, dead)
        finally:
            for worker in dead:
                self._retire(worker)

    def _take(self, deadline: float, dead: list[Worker]) -> Worker:
        with self.cond:
            while True:
                while self.idle:
                    worker = self.idle.pop()
                    if worker.process.is_alive():
                        self.busy.add(worker)
                        self.cond.notify_all()  # the keeper starts a spare
                        return worker
                    dead.append(worker)
                if len(self.busy) + self.starting < self.size:
                    generation = self.generation
                    self.starting += 1
                    self.users[generation] += 1
                    break
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Busy()
                self.cond.wait(min(left, 0.5))
        try:
            worker = self._start(generation)
        except Exception:
            with self.cond:
                self.starting -= 1
                self._let_go(generation)
            raise
        with self.cond:
            self.starting -= 1
            self.busy.add(worker)
        return worker

    def release(self, worker: Worker, *, reusable: bool) -> None:
        """Give a worker back after its query; one that ran long, crashed, was stopped or
        belongs to an older generation is retired."""
        worker.served += 1
        with self.cond:
            self.busy.discard(worker)
            keep = (
                reusable
                and not self.closed
                and not worker.lowered
                and worker.served < 1000
                and worker.generation == self.generation
                and worker.process.is_alive()
            )
            if keep:
                self.idle.append(worker)
            self.cond.notify_all()
        if not keep:
            self._retire(worker)

    def _retire(self, worker: Worker) -> None:
        """Stop a worker (SIGKILL: its query, if any, ends at once) and let go of its
        generation once it is gone."""
        with contextlib.suppress(OSError):
            worker.process.kill()
        worker.conn.close()

        def reap() -> None:
            worker.process.join()
            with self.cond:
                self._gone(worker)

        self._background(reap)

    def _background(self, work: Callable[[], None]) -> None:
        """Run `work` in a thread that `close` waits for (reaping, removing a generation)."""
        thread = threading.Thread(target=work, daemon=True)
        self.threads = [t for t in self.threads if t.is_alive()] + [thread]
        thread.start()

    def _gone(self, worker: Worker) -> None:
        """(with the lock held) A worker has ended."""
        if worker.generation in self.users:
            self._let_go(worker.generation)

    def close(self) -> None:
        with self.cond:
            self.closed = True
            workers = [*self.idle, *self.busy]
            self.idle, self.busy = [], set()
            self.cond.notify_all()
        for w in workers:
            self._retire(w)
        self.keeper.join(timeout=5)
        for thread in list(self.threads):
            thread.join(timeout=10)
        for name in list(self.users):  # what is still held: the current generation
            gen = self.held.pop(name, None)
            if gen is not None:
                gen.close()
        self.users.clear()


def _graph_names(gen: Generation) -> frozenset[str]:
    """The IRIs of a generation's named graphs (what FROM may name)."""
    import pyoxigraph as ox

    return frozenset(g.value for g in gen.store.named_graphs() if isinstance(g, ox.NamedNode))


# --- in the worker process -------------------------------------------------------------------


def worker_main(conn: Connection, path: str) -> None:
    """A worker: open the generation at `path` read-only, then answer queries until the pipe
    closes."""
    from fazhi_kg.corpus.workers import die_with_parent

    die_with_parent(os.getppid())
    import pyoxigraph as ox

    store = ox.Store.read_only(path)
    conn.send(("ready",))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        answer(store, request, conn)


class _Chunks(io.RawIOBase):
    """What a serializer writes, sent to the server in chunks of `CHUNK` bytes."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.buffer += data
        if len(self.buffer) >= CHUNK:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self.buffer:
            self.conn.send(("data", bytes(self.buffer)))
            self.buffer.clear()


def answer(store: Any, request: Request, conn: Connection) -> None:
    """Run one query and send its answer: ("head", media type), ("data", bytes)…, ("end",); or
    ("error", status, message)."""
    import pyoxigraph as ox

    from fazhi_kg.corpus.endpoint import negotiate

    try:
        if request.default_graphs or request.named_graphs:
            result = store.query(
                request.query,
                default_graph=[ox.NamedNode(g) for g in request.default_graphs] or None,
                named_graphs=[ox.NamedNode(g) for g in request.named_graphs] or None,
            )
        else:
            result = store.query(request.query, use_default_graph_as_union=True)
        kind = "graph" if isinstance(result, ox.QueryTriples) else "results"
        chosen = negotiate(request.accept, kind)
        if chosen is None:
            conn.send(("error", 406, _not_acceptable(kind)))
            return
        fmt, media = chosen
        conn.send(("head", media))
        out = _Chunks(conn)
        result.serialize(out, fmt)
        out.flush()
        conn.send(("end",))
    except SyntaxError as exc:
        conn.send(("error", 400, f"The query is not valid SPARQL: {_line(exc)}."))
    except (OSError, RuntimeError, ValueError) as exc:
        conn.send(("error", 500, f"The query could not run: {_line(exc)}."))


def _line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:300] or type(exc).__name__


def _not_acceptable(kind: str) -> str:
    from fazhi_kg.corpus.endpoint import media_types

    return (
        f"None of the requested media types can carry this answer; accept one of "
        f"{', '.join(media_types(kind))}."
    )


@contextlib.contextmanager
def lowered_after(worker: Worker, seconds: float) -> Iterator[None]:
    """Lower the worker's priority if its query is still running after `seconds`."""
    timer = threading.Timer(seconds, worker.lower)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
