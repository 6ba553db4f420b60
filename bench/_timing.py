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
