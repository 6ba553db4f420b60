"""Timing helpers the benchmark scripts share (run them as `python bench/NAME.py`, which puts this
folder on the import path)."""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Callable


def median_process(args: list[str], runs: int) -> float:
    """Median seconds of running the command `args` to completion, `runs` times."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def timed(step: Callable[[], int], runs: int) -> tuple[float, float, int]:
    """Median and maximum seconds over `runs` calls of `step`, and the size the last call returned."""
    times = []
    size = 0
    for _ in range(runs):
        start = time.perf_counter()
        size = step()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times), size


class PeakMemory:
    """The largest resident memory of this process and all its descendants together, sampled
    every `every` seconds from /proc on a thread (ru_maxrss gives each process's own peak only,
    never their sum). Use as a context manager; `peak_mb` holds the figure."""

    def __init__(self, every: float = 0.2) -> None:
        import threading

        self.every = every
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        import os

        while True:
            self.peak_mb = max(self.peak_mb, tree_rss_mb(os.getpid()))
            if self._stop.wait(self.every):
                return


def tree_rss_mb(root: int) -> float:
    """Resident memory of process `root` and its descendants, in MB (Linux /proc)."""
    from pathlib import Path

    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in stat.read_text().splitlines() if ":" in line
            )
        except OSError:
            continue
        pid = int(stat.parent.name)
        parents[pid] = int(fields.get("PPid", "0"))
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total = 0
    for pid in rss:
        p = pid
        while p and p != root:
            p = parents.get(p, 0)
        if p == root:
            total += rss[pid]
    return total / 1024
