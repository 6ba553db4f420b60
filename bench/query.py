"""Benchmark: cold `fazhi query awards` (whole process) and every stored query once loaded.

Prints medians over N runs, with `python -c pass` measured in the same run for scale.
Usage: python bench/query.py [N] [--graph FILE ...]
"""

from __future__ import annotations

import statistics
import sys
import time

from _timing import median_process


def main() -> None:
    args = sys.argv[1:]
    runs = int(args.pop(0)) if args and args[0].isdigit() else 10
    graphs = [a for a in args if a != "--graph"]
    from fazhi_kg.query.catalogue import bind, catalogue
    from fazhi_kg.query.engine import run
    from fazhi_kg.query.store import open_store

    graph_args = [x for g in graphs for x in ("--graph", g)]
    py = median_process([sys.executable, "-c", "pass"], runs)
    cold = median_process([sys.executable, "-m", "fazhi_kg", "query", "awards", *graph_args], runs)
    print(f"runs per figure: {runs}")
    print(f"{'python -c pass':<34}{py * 1000:9.1f} ms")
    print(f"{'fazhi query awards (cold process)':<34}{cold * 1000:9.1f} ms")
    start = time.perf_counter()
    store = open_store(graphs or None)
    print(f"{'load graphs + ontology':<34}{(time.perf_counter() - start) * 1000:9.1f} ms")
    print(f"{'stored query (loaded store)':<34}{'median':>9}  {'max':>8}  rows")
    for name, q in catalogue().items():
        given = {p.name: p.example for p in q.params if p.required and p.example}
        bindings = bind(q, given)
        times = []
        rows = 0
        for _ in range(runs):
            start = time.perf_counter()
            answer = run(store, q.text, bindings=bindings)
            times.append(time.perf_counter() - start)
            rows = len(answer.rows)
        print(
            f"  {name:<32}{statistics.median(times) * 1000:9.2f}  {max(times) * 1000:8.2f}  {rows}"
        )


if __name__ == "__main__":
    main()
