"""Benchmark: how long `fazhi build` takes on the embedded report (whole process and in-process).

Prints medians over N runs; `python -c pass` is measured in the same run for scale.
Usage: python bench/build.py [N]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time

from _timing import median_process


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    from fazhi_kg.corpus.build import build_report
    from fazhi_kg.resources import embedded_report

    build_report(embedded_report())  # warm caches and imports
    inproc = []
    for _ in range(runs):
        start = time.perf_counter()
        build_report(embedded_report())
        inproc.append(time.perf_counter() - start)
    with tempfile.TemporaryDirectory() as out:
        py = median_process([sys.executable, "-c", "pass"], runs)
        cold = median_process([sys.executable, "-m", "fazhi_kg", "build", "--out", out], runs)
        novalid = median_process(
            [sys.executable, "-m", "fazhi_kg", "build", "--no-validate", "--out", out], runs
        )
        check = median_process([sys.executable, "-m", "fazhi_kg", "check"], runs)
    from rdflib import Graph

    from fazhi_kg.validate import validate_graph

    graph = Graph()
    graph.parse(data=build_report(embedded_report()).turtle, format="turtle")
    engines = {}
    for engine in ("fast", "pyshacl"):
        validate_graph(graph, engine=engine)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            validate_graph(graph, engine=engine)
            times.append(time.perf_counter() - start)
        engines[engine] = statistics.median(times)
    print(f"runs per figure: {runs}")
    print(f"python -c pass                      {py * 1000:8.0f} ms")
    print(f"fazhi build (build + validate)      {cold * 1000:8.0f} ms")
    print(f"fazhi build --no-validate           {novalid * 1000:8.0f} ms")
    print(f"fazhi check (build + validate + card) {check * 1000:6.0f} ms")
    print(f"build_report() in process           {statistics.median(inproc) * 1000:8.0f} ms")
    print(f"validate, fast engine (in process)  {engines['fast'] * 1000:8.0f} ms")
    print(f"validate, pySHACL only (in process) {engines['pyshacl'] * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
