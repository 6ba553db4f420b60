"""Benchmark: build, validate and query corpora of generated genre reports (bench/genre.py: real
divisions of the gazetteer, 2019–2023), with the real extractor.

For each size: build into graph files and an on-disk store (wall and CPU time, the store's finish),
rebuild with nothing changed, rebuild after changing one report, validate every report graph
(cold, then cached), every stored query on the store, its first page as `fazhi query` shows it and
all its rows (--all, with the rate in rows per second), each the median of 3 runs (one run past
1 s, stopped at --query-limit), a cold `fazhi query awards --store DIR` process, peak memory (the
sum over this process and its workers, sampled from /proc, per phase; and ru_maxrss of the largest
worker) and the store's size on disk. Each size runs in its own process, so its memory is its own;
the load average is printed with each phase, since the machine may be shared.

With --profile, the build runs under cProfile (this process: the store loader, the manifest, the
bookkeeping; the workers' extraction is measured by their CPU time) and the functions with the
most own time are printed; compare two sizes to find what grows faster than the corpus.

Usage: python bench/corpus.py [SIZES] [--jobs N] [--workdir DIR] [--engines K] [--profile]
                              [--no-queries] [--no-all] [--query-limit S]
       SIZES is a comma-separated list, default 1,100 (the bars are set for 1,000 and 17,000).
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
from typing import Any

from _timing import PeakMemory, median_process

HERE = Path(__file__).resolve().parent


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _load() -> float:
    return os.getloadavg()[0]


def _cold_query(store: Path, *options: str, runs: int = 5) -> float:
    """`fazhi query awards --store DIR [OPTIONS]` in a fresh process."""
    real = [sys.executable, "-m", "fazhi_kg", "query", "awards", "--store", str(store), *options]
    subprocess.run(real, capture_output=True, check=True)
    return median_process(real, runs)


QUERY_LIMIT_S = 60.0


def _latency(
    store: object, query: object, bindings: dict[str, object], every: bool, limit_s: float
) -> tuple[float, int]:
    """What a user waits for in `fazhi query NAME --store DIR`, less the process start: the
    first page as a table (the default), or with `every` all rows as CSV (--all). Median of 3
    runs (1 run when it takes over a second); -1 rows past `limit_s`."""
    from fazhi_kg.cli.options import PAGE
    from fazhi_kg.cli.options import emit_answer as _emit_answer
    from fazhi_kg.errors import QueryTimeout
    from fazhi_kg.query.child import in_child
    from fazhi_kg.query.engine import run

    def work() -> bytes:
        from fazhi_kg.query.pages import narrowed

        answer = run(
            store,  # type: ignore[arg-type]
            query.text,  # type: ignore[attr-defined]
            bindings=bindings,  # type: ignore[arg-type]
            reports=narrowed(store, query.division_param, bindings, None),  # type: ignore[arg-type,attr-defined]
            limit=None if every else PAGE,
            scope=query.scope,  # type: ignore[attr-defined]
            narrow=query.narrow,  # type: ignore[attr-defined]
        )
        hidden = tuple(p.name for p in query.params)  # type: ignore[attr-defined]
        _emit_answer(answer, "csv" if every else "table", hidden=hidden, store=store)
        return str(len(answer.rows)).encode()

    times, rows = [], 0
    for _ in range(3):
        start = time.perf_counter()
        try:
            out = in_child(work, limit_s)
        except QueryTimeout:
            return limit_s, -1
        times.append(time.perf_counter() - start)
        rows = int(out)
        if times[-1] > 1:
            break
    return statistics.median(times), rows


def _build(reports: Path, out: Path, store: Path, jobs: int | None, profile: bool) -> Any:
    from fazhi_kg.corpus.batch import build_corpus

    if not profile:
        return build_corpus([reports], out, store=store, jobs=jobs)
    import cProfile
    import io
    import pstats

    prof = cProfile.Profile()
    result = prof.runcall(build_corpus, [reports], out, store=store, jobs=jobs)
    text = io.StringIO()
    pstats.Stats(prof, stream=text).sort_stats("tottime").print_stats(25)
    print(text.getvalue(), file=sys.stderr)
    return result


def _phase(row: dict[str, Any], name: str, memory: PeakMemory) -> None:
    row[f"{name}_peak_mb"] = memory.peak_mb
    row[f"{name}_load"] = _load()


def one(size: int, workdir: Path, jobs: int | None, opts: argparse.Namespace) -> dict[str, Any]:
    """Everything for one corpus size, in this process."""
    sys.path.insert(0, str(HERE))
    from genre import generate

    from fazhi_kg.corpus.batch import build_corpus
    from fazhi_kg.corpus.validate import validate_corpus

    reports, out, store = workdir / "reports", workdir / "out", workdir / "store"
    reports.mkdir(parents=True, exist_ok=True)
    for name, text in generate(size):
        (reports / name).write_text(text, encoding="utf-8")
    row: dict[str, Any] = {"reports": size, "start_load": _load()}
    with PeakMemory() as memory:
        cpu, start = _cpu(), time.perf_counter()
        result = _build(reports, out, store, jobs, opts.profile)
        row["build_s"] = time.perf_counter() - start
        row["build_cpu_s"] = _cpu() - cpu
    _phase(row, "build", memory)
    row["store_s"] = result.store_seconds
    row["store_phases"] = result.store_phases
    row["failed"] = len(result.failed)
    row["failures"] = sorted({o.error or "" for o in result.failed})[:5]
    row["triples"] = result.triples
    start = time.perf_counter()
    again = build_corpus([reports], out, store=store, jobs=jobs)
    row["rebuild_s"] = time.perf_counter() - start
    assert len(again.unchanged) == size - len(result.failed)
    first = sorted(reports.iterdir())[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n本报告完。\n", encoding="utf-8")
    start = time.perf_counter()
    one_changed = build_corpus([reports], out, store=store, jobs=jobs)
    row["rebuild_one_s"] = time.perf_counter() - start
    assert len(one_changed.built) == 1
    row["store_mb"] = sum(f.stat().st_size for f in store.rglob("*") if f.is_file()) / 1e6
    if not opts.no_validate:
        cache = workdir / "cache"
        with PeakMemory() as memory:
            cpu, start = _cpu(), time.perf_counter()
            checked = validate_corpus(store=store, jobs=jobs, cache_dir=cache)
            row["validate_s"] = time.perf_counter() - start
            row["validate_cpu_s"] = _cpu() - cpu
        _phase(row, "validate", memory)
        row["conforming"] = sum(r.conforms for r in checked.reports)
        start = time.perf_counter()
        validate_corpus(store=store, jobs=jobs, cache_dir=cache)
        row["validate_cached_s"] = time.perf_counter() - start
    if not opts.no_queries:
        with PeakMemory() as memory:
            _queries(row, store, opts)
        _phase(row, "queries", memory)
        row["cold_query_s"] = _cold_query(store)
    row["peak_worker_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return row


def _queries(row: dict[str, Any], store: Path, opts: argparse.Namespace) -> None:
    from fazhi_kg.query.catalogue import bind, catalogue
    from fazhi_kg.query.store import open_store

    st = open_store(store_dir=store)
    pages: dict[str, tuple[float, int]] = {}
    full: dict[str, tuple[float, int]] = {}
    for name, q in catalogue().items():
        given = {p.name: p.example for p in q.params if p.required and p.example}
        pages[name] = _latency(st, q, bind(q, given), False, opts.query_limit)
        if not opts.no_all:
            full[name] = _latency(st, q, bind(q, given), True, opts.query_limit)
    del st
    row["queries"] = pages
    row["queries_all"] = full


def _table(rows: list[dict[str, Any]]) -> None:
    print(
        f"{'reports':>8} {'triples':>10} {'build s':>8} {'ms/rep':>7} {'cpu s':>7} "
        f"{'store s':>8} {'rebuild s':>9} {'1 changed':>9} {'valid s':>8} {'cached s':>8} "
        f"{'build MB':>8} {'valid MB':>8} {'worker MB':>9} {'store MB':>8} {'load':>9}"
    )
    for r in rows:
        n = r["reports"]
        print(
            f"{n:>8} {r['triples']:>10} {r['build_s']:>8.1f} {1000 * r['build_s'] / n:>7.1f} "
            f"{r['build_cpu_s']:>7.1f} {r['store_s']:>8.1f} {r['rebuild_s']:>9.2f} "
            f"{r['rebuild_one_s']:>9.2f} {r.get('validate_s', float('nan')):>8.1f} "
            f"{r.get('validate_cached_s', float('nan')):>8.2f} {r['build_peak_mb']:>8.0f} "
            f"{r.get('validate_peak_mb', float('nan')):>8.0f} {r['peak_worker_mb']:>9.0f} "
            f"{r['store_mb']:>8.0f} {r['start_load']:>4.1f}/{r['build_load']:>4.1f}"
        )
        if r["failed"]:
            print(f"{'':>8} {r['failed']} failed: {r['failures']}")
    for r in rows:
        phases = ", ".join(f"{k} {v:.1f} s" for k, v in r.get("store_phases", {}).items())
        print(f"{r['reports']:>8} reports: the store's finish by phase: {phases}")
    for r in rows:
        if "cold_query_s" in r:
            print(
                f"{r['reports']:>8} reports: a cold `fazhi query awards --store` process "
                f"{r['cold_query_s']:.2f} s; peak memory while querying "
                f"{r.get('queries_peak_mb', float('nan')):.0f} MB"
            )
    for key, title in (
        ("queries", "stored query, first page as a table (ms; rows)"),
        ("queries_all", "stored query, --all as CSV (ms; rows; rows/s)"),
    ):
        names = sorted({n for r in rows for n in r.get(key, {})})
        if not names:
            continue
        print()
        width = 26 if key == "queries_all" else 16
        print(f"{title:<48}" + "".join(f"{r['reports']:>{width}}" for r in rows))
        for n in names:
            cells = []
            for r in rows:
                t, k = r.get(key, {}).get(n, (float("nan"), 0))
                if k < 0:
                    cells.append(f">{t:.0f} s (stopped)")
                elif key == "queries_all":
                    cells.append(f"{t * 1000:>9.1f} ({k:>6}; {k / t:>7.0f})")
                else:
                    cells.append(f"{t * 1000:>9.1f} ({k:>4})")
            print(f"  {n:<46}" + "".join(f"{c:>{width}}" for c in cells))


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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("sizes", nargs="?", default="1,100")
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--engines", type=int, default=0, metavar="K")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--no-validate", action="store_true")
    ap.add_argument("--no-queries", action="store_true")
    ap.add_argument("--no-all", action="store_true")
    ap.add_argument("--query-limit", type=float, default=QUERY_LIMIT_S, metavar="S")
    ap.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="fazhi-bench-"))
    if args.one is not None:
        print(json.dumps(one(args.one, workdir, args.jobs, args)))
        return
    rows = []
    print(f"work folder {workdir}; {os.cpu_count()} cores; load {_load():.1f}", flush=True)
    for size in [int(s) for s in args.sizes.split(",")]:
        cmd = [sys.executable, __file__, "--one", str(size), "--workdir", str(workdir / str(size))]
        cmd += [f"--query-limit={args.query_limit}"]
        for flag in ("profile", "no_validate", "no_queries", "no_all"):
            if getattr(args, flag):
                cmd.append("--" + flag.replace("_", "-"))
        if args.jobs:
            cmd += ["--jobs", str(args.jobs)]
        done = subprocess.run(cmd, check=False, stdout=subprocess.PIPE, text=True)
        if done.returncode != 0:
            sys.exit(f"{size} reports failed (exit {done.returncode}).")
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"  {size} reports done; load {_load():.1f}", flush=True)
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
