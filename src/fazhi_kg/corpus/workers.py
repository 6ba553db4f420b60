"""Worker processes for corpus builds and validation: a pool started before any store opens,
whose workers die with their parent, and results in completion order with a bound on the work in
flight."""

from __future__ import annotations

import functools
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from typing import Any

__all__ = ["die_with_parent", "pool", "run_bounded"]

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


class _Inline(Executor):
    """Runs tasks in this process, one at a time (jobs=1: simple to debug, no start-up)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        fut: Future[Any] = Future()
        fut.set_result(fn(*args, **kwargs))
        return fut


def pool(jobs: int | None, *, nice: int = 0) -> Executor:
    """`jobs` worker processes (default: the usable cores), started at once; 1 runs in this process.

    On Linux the workers are forked, so they start with the modules already imported; call this
    before opening a store, so they never inherit its threads. Elsewhere they are spawned, and a
    script that calls `build_corpus` needs the `if __name__ == "__main__":` guard. `nice` lowers
    the workers' priority, so that work in this process (a store's loader) is not starved.
    """
    n = jobs or (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    )
    n = max(1, n or 1)
    if n == 1:
        return _Inline()
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    ex = ProcessPoolExecutor(
        max_workers=n,
        mp_context=multiprocessing.get_context(method),
        initializer=functools.partial(_start_worker, os.getpid(), nice),
    )
    for f in [ex.submit(os.getpid) for _ in range(n)]:
        f.result()  # every worker exists now, before the caller opens a store
    return ex


def _start_worker(parent: int, nice: int) -> None:
    """In a new worker: die with the parent, let go of its locks, lower the priority."""
    from fazhi_kg.corpus.lock import close_in_child

    die_with_parent(parent)
    close_in_child()
    if nice > 0 and hasattr(os, "nice"):
        os.nice(nice)


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when its parent dies, however the parent dies (Linux:
    prctl PR_SET_PDEATHSIG; elsewhere the pool's own pipes end the workers when the parent
    exits). `parent` is the parent's pid, checked after the request: a parent that died before
    it would never send the signal."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:
        os._exit(1)


def run_bounded(
    executor: Executor, fn: Callable[[Any], Any], items: Sequence[Any], ahead: int = 128
) -> Iterator[Any]:
    """Results of `fn` over `items` as they finish, with at most `ahead` tasks in flight (so
    finished results never pile up in memory while the caller is busy)."""
    pending: set[Future[Any]] = set()
    queue = iter(items)
    for item in queue:
        pending.add(executor.submit(fn, item))
        if len(pending) >= ahead:
            break
    while pending:
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        for fut in done:
            yield fut.result()
            nxt = next(queue, None)
            if nxt is not None:
                pending.add(executor.submit(fn, nxt))
