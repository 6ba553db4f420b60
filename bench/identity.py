"""Benchmark: what the gazetteer costs a process (load time, memory) and what resolving a report's
identity costs once it is loaded.

Each load is measured in a fresh process (the gazetteer loads once per process); memory is the
growth of the peak resident set and the Python objects the gazetteer holds (tracemalloc).
Usage: python bench/identity.py [N]
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

from _timing import timed

_LOAD = """
import json, resource, time, tracemalloc
import fazhi_kg.extract.gazetteer as gz
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
g = gz.gazetteer()
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
gz.gazetteer.cache_clear(); del g
tracemalloc.start(); g = gz.gazetteer(); held = tracemalloc.get_traced_memory()[0]
print(json.dumps({"seconds": seconds, "rss_kb": peak, "held": held, "records": len(g)}))
"""


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    loads = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", _LOAD], check=True, capture_output=True, text=True
            ).stdout
        )
        for _ in range(runs)
    ]
    print(f"gazetteer: {loads[0]['records']:,} records")
    print(
        f"  load, fresh process (median of {runs}): {statistics.median(x['seconds'] for x in loads):.3f} s"
    )
    print(
        f"  peak resident set growth: {statistics.median(x['rss_kb'] for x in loads) / 1024:.1f} MB"
    )
    print(f"  Python objects held: {loads[0]['held'] / 1e6:.1f} MB")

    from fazhi_kg.extract.meta import read_header
    from fazhi_kg.resources import embedded_report
    from fazhi_kg.text.read import read_report

    root = Path(__file__).resolve().parents[1]
    texts = [embedded_report(), *sorted((root / "tests" / "data" / "identity").glob("*.txt"))]
    sources = [read_report(p) for p in texts]
    read_header(sources[0])  # loads the gazetteer

    def all_headers() -> int:
        for src in sources:
            read_header(src)
        return len(sources)

    median, worst, n = timed(all_headers, runs * 4)
    print(
        f"identity (title, dates, division, year) per report after load: {median / n * 1000:.2f} ms"
    )
    median, worst, _ = timed(lambda: len(read_header(sources[0]).meta.title), runs * 4)
    print(f"  the embedded report: {median * 1000:.2f} ms (max {worst * 1000:.2f} ms)")


if __name__ == "__main__":
    main()
