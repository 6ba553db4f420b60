"""Benchmark: build, validate and query corpora of generated genre reports (bench/genre.py).

For each size: build into graph files and an on-disk store (throughput, CPU seconds, store time),
rebuild with nothing changed, validate every report graph (cold, then cached), every stored query
on the store, its first page as `fazhi query` shows it and all its rows (--all), each the median
of 3 runs (one run past 1 s, stopped at 60 s), a cold `fazhi query awards --store DIR` process
(also with --all), and peak memory
(ru_maxrss of the process and of its largest worker). Each size runs in its own process, so its
peak memory is its own. With --engines K, also validates K reports with both engines, one process.

Usage: python bench/corpus.py [SIZES] [--jobs N] [--workdir DIR] [--engines K]
       SIZES is a comma-separated list, default 1,100 (the bars are set for 1,000).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _timing import median_process

HERE = Path(__file__).resolve().parent


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _cold_query(store: Path, *options: str, runs: int = 5) -> float:
    """`fazhi query awards --store DIR [OPTIONS]` in a fresh process."""
    real = [sys.executable, "-m", "fazhi_kg", "query", "awards", "--store", str(store), *options]
    subprocess.run(real, capture_output=True, check=True)
    return median_process(real, runs)


QUERY_LIMIT_S = 60.0


def _latency(
    store: object, query: object, bindings: dict[str, object], every: bool
) -> tuple[float, int]:
    """What a user waits for in `fazhi query NAME --store DIR`, less the process start: the
    first page as a table (the default), or with `every` all rows as CSV (--all). Median of 3
    runs (1 run when it takes over a second); -1 rows past QUERY_LIMIT_S."""
    from fazhi_kg.cli.options import PAGE
    from fazhi_kg.cli.options import emit_answer as _emit_answer
    from fazhi_kg.errors import QueryTimeout
    from fazhi_kg.query.child import in_child
    from fazhi_kg.query.engine import run

    def work() -> bytes:
        answer = run(
            store,  # type: ignore[arg-type]
            query.text,  # type: ignore[attr-defined]
            bindings=bindings,  # type: ignore[arg-type]
            limit=None if every else PAGE,
            per_report=query.scope == "report",  # type: ignore[attr-defined]
        )
        hidden = tuple(p.name for p in query.params)  # type: ignore[attr-defined]
        _emit_answer(answer, "csv" if every else "table", hidden=hidden, store=store)
        return str(len(answer.rows)).encode()

    times, rows = [], 0
    for _ in range(3):
        start = time.perf_counter()
        try:
            out = in_child(work, QUERY_LIMIT_S)
        except QueryTimeout:
            return QUERY_LIMIT_S, -1
        times.append(time.perf_counter() - start)
        rows = int(out)
        if times[-1] > 1:
            break
    return statistics.median(times), rows


def one(size: int, workdir: Path, jobs: int | None) -> dict[str, object]:
    """Everything for one corpus size, in this process."""
    sys.path.insert(0, str(HERE))
    from genre import generate

    from fazhi_kg.corpus.batch import build_corpus
    from fazhi_kg.corpus.validate import validate_corpus
    from fazhi_kg.query.catalogue import bind, catalogue
    from fazhi_kg.query.store import open_store

    reports, out, store = workdir / "reports", workdir / "out", workdir / "store"
    reports.mkdir(parents=True, exist_ok=True)
    for name, text in generate(size):
        (reports / name).write_text(text, encoding="utf-8")
    row: dict[str, object] = {"reports": size}
    cpu, start = _cpu(), time.perf_counter()
    result = build_corpus([reports], out, store=store, jobs=jobs)
    row["build_s"] = time.perf_counter() - start
    row["build_cpu_s"] = _cpu() - cpu
    row["store_s"] = result.store_seconds
    row["failed"] = len(result.failed)
    row["triples"] = result.triples
    start = time.perf_counter()
    again = build_corpus([reports], out, store=store, jobs=jobs)
    row["rebuild_s"] = time.perf_counter() - start
    assert len(again.unchanged) == size - len(result.failed)
    cache = workdir / "cache"
    cpu, start = _cpu(), time.perf_counter()
    checked = validate_corpus(store=store, jobs=jobs, cache_dir=cache)
    row["validate_s"] = time.perf_counter() - start
    row["validate_cpu_s"] = _cpu() - cpu
    row["conforming"] = sum(r.conforms for r in checked.reports)
    start = time.perf_counter()
    validate_corpus(store=store, jobs=jobs, cache_dir=cache)
    row["validate_cached_s"] = time.perf_counter() - start
    st = open_store(store_dir=store)
    pages: dict[str, tuple[float, int]] = {}
    full: dict[str, tuple[float, int]] = {}
    for name, q in catalogue().items():
        given = {p.name: p.example for p in q.params if p.required and p.example}
        pages[name] = _latency(st, q, bind(q, given), every=False)
        full[name] = _latency(st, q, bind(q, given), every=True)
    del st
    row["queries"] = pages
    row["queries_all"] = full
    row["cold_query_s"] = _cold_query(store)
    row["cold_query_all_s"] = _cold_query(store, "--all")
    row["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    row["peak_worker_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    row["store_mb"] = sum(f.stat().st_size for f in store.iterdir()) / 1e6
    return row


def engines(k: int, workdir: Path) -> dict[str, float]:
    """Seconds per report graph for the fast engine and for pySHACL with every shape."""
    sys.path.insert(0, str(HERE))
    from genre import generate
    from rdflib import Graph

    from fazhi_kg.corpus.build import build_report
    from fazhi_kg.validate import validate_graph

    workdir.mkdir(parents=True, exist_ok=True)
    graphs = []
    for name, text in generate(k, seed=7):
        path = workdir / name
        path.write_text(text, encoding="utf-8")
        graphs.append(Graph().parse(data=build_report(path).turtle, format="turtle"))
    validate_graph(graphs[0])  # imports and shapes parsed once, as in a worker
    out = {}
    for engine in ("fast", "pyshacl"):
        start = time.perf_counter()
        results = [len(validate_graph(g, engine=engine).results) for g in graphs]
        out[engine] = (time.perf_counter() - start) / k
        out[f"{engine}_results"] = float(sum(results))
    out["triples_per_report"] = statistics.mean(len(g) for g in graphs)
    return out


def _table(rows: list[dict[str, object]]) -> None:
    head = (
        f"{'reports':>8} {'triples':>9} {'build s':>8} {'cpu s':>7} {'rep/s':>6} "
        f"{'store s':>8} {'rebuild s':>9} {'valid s':>8} {'cached s':>8} {'cold q s':>8} "
        f"{'--all s':>8} {'peak MB':>8} {'worker MB':>9} {'store MB':>8}"
    )
    print(head)
    for r in rows:
        print(
            f"{r['reports']:>8} {r['triples']:>9} {r['build_s']:>8.1f} {r['build_cpu_s']:>7.1f} "
            f"{int(r['reports']) / float(r['build_s']):>6.1f} {r['store_s']:>8.1f} "  # type: ignore[call-overload]
            f"{r['rebuild_s']:>9.2f} {r['validate_s']:>8.1f} {r['validate_cached_s']:>8.2f} "
            f"{r['cold_query_s']:>8.3f} {r['cold_query_all_s']:>8.3f} {r['peak_mb']:>8.0f} {r['peak_worker_mb']:>9.0f} "
            f"{r['store_mb']:>8.0f}"
        )
    for key, title in (
        ("queries", "stored query, first page as a table (ms; rows)"),
        ("queries_all", "stored query, --all as CSV (ms; rows)"),
    ):
        print()
        names = sorted({n for r in rows for n in r[key]})  # type: ignore[attr-defined]
        print(f"{title:<48}" + "".join(f"{r['reports']:>16}" for r in rows))
        for n in names:
            cells = []
            for r in rows:
                t, k = r[key].get(n, (float("nan"), 0))  # type: ignore[attr-defined]
                cells.append(f"{t * 1000:>9.1f} ({k:>4})" if k >= 0 else f">{t:.0f} s (stopped)")
            print(f"  {n:<46}" + "".join(f"{c:>16}" for c in cells))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("sizes", nargs="?", default="1,100")
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--engines", type=int, default=0, metavar="K")
    ap.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="fazhi-bench-"))
    if args.one is not None:
        print(json.dumps(one(args.one, workdir, args.jobs)))
        return
    rows = []
    print(f"work folder {workdir}; {os.cpu_count()} cores; load {os.getloadavg()[0]:.1f}")
    for size in [int(s) for s in args.sizes.split(",")]:
        cmd = [sys.executable, __file__, "--one", str(size), "--workdir", str(workdir / str(size))]
        if args.jobs:
            cmd += ["--jobs", str(args.jobs)]
        done = subprocess.run(cmd, check=False, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"{size} reports failed:\n{done.stderr[-3000:]}")
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"  {size} reports done; load {os.getloadavg()[0]:.1f}", flush=True)
    _table(rows)
    if args.engines:
        e = engines(args.engines, workdir / "engines")
        print()
        print(
            f"validation per report graph ({args.engines} reports, "
            f"{e['triples_per_report']:.0f} triples each, one process): fast {e['fast'] * 1000:.0f} ms, "
            f"pySHACL with every shape {e['pyshacl'] * 1000:.0f} ms "
            f"(results {e['fast_results']:.0f} / {e['pyshacl_results']:.0f})"
        )


if __name__ == "__main__":
    main()
