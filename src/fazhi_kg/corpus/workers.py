"""Worker processes for corpus builds and validation: a pool started before any store opens,
and results in completion order with a bound on the work in flight."""

from __future__ import annotations

import functools
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from typing import Any

__all__ = ["pool", "run_bounded"]


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
        initializer=functools.partial(_lower_priority, nice),
    )
    for f in [ex.submit(os.getpid) for _ in range(n)]:
        f.result()  # every worker exists now, before the caller opens a store
    return ex


def _lower_priority(nice: int) -> None:
    if nice > 0 and hasattr(os, "nice"):
        os.nice(nice)


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
