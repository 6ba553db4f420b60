"""Fault bench (issue 17, "nothing lost, nothing stale, nobody let out"): builds killed with
SIGKILL at seeded moments, readers during a rebuild, and `fazhi serve` under hostile requests and
runaway queries. Prints markdown tables; run outside CI.

1. Generate N genre reports (bench/genre.py) and build them (`fazhi build DIR --out OUT --store
   STORE`, a child process): the graph files' bytes and the store's sorted N-Quads are the
   reference.
2. K times: edit some reports (seeded), start a build of the edited corpus, kill it (SIGKILL) at a
   seeded moment, put the original reports back and build again: the graph files must be
   byte-identical to the clean build's, the store's content identical, no process whose command
   line names the work folder may outlive the build, and no staging folder, journal, temporary
   file, half-built or unheld generation or bulk-load file may remain (tests/faultkit.py).
3. A reader loop over the store (triples per graph, as `open_generation` gives a reader) during a
   rebuild of an edited corpus: every answer is the old corpus's or the new one's, none mixed.
4. `fazhi serve --timeout T`: the hostile requests of tests/test_serve.py, SERVICE / FROM / LOAD
   pointed at a local honeypot (connections counted), runaway queries (their answer time against
   the limit, and, in an endpoint run in this process, the time until their worker is dead), and
   the p50/p99 latency of a cheap stored query while runaway queries are being stopped.
5. A named pipe (FIFO) given as a report: refused, and how fast.

    python bench/faults.py --reports 200 --kills 50 --seed 17
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))
from faultkit import (  # noqa: E402  (shared with tests/test_faults.py)
    build_command,
    graph_files,
    leftovers,
    processes_with,
    store_digest,
    wait_until,
)
from genre import generate  # noqa: E402

CHEAP = "missing-parts"  # the cheapest stored query: 14 ms over 200 reports on an idle server
EDIT = "\n全年共办理行政复议案件{n}件，办结率100%。\n"


def _answer(store: Path) -> tuple[tuple[str, int], ...]:
    """Triples per graph of the store's current generation, read as one reader would."""
    from fazhi_kg.corpus.generations import open_generation

    with open_generation(store) as gen:
        rows = gen.store.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
        )
        return tuple((r[0].value, int(r[1].value)) for r in rows)  # type: ignore[union-attr]


def _edit(src: Path, names: list[str], originals: dict[str, str], stamp: int) -> None:
    for i, name in enumerate(names):
        (src / name).write_text(originals[name] + EDIT.format(n=stamp + i), encoding="utf-8")


def _restore(src: Path, originals: dict[str, str]) -> None:
    for name, text in originals.items():
        path = src / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


def _run(cmd: list[str]) -> tuple[int, float, str]:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, check=False)
    return done.returncode, time.perf_counter() - start, done.stderr.decode("utf-8", "replace")


def _kill_at(cmd: list[str], after: float) -> tuple[int | None, float]:
    """Run `cmd` and SIGKILL it `after` seconds in; its exit code (None if killed) and its
    run time."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        code: int | None = proc.wait(timeout=after)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        code = None
    return code, time.perf_counter() - start


def kills(work: Path, n: int, k: int, seed: int, jobs: int) -> dict[str, object]:
    """The clean build, then `k` killed builds of an edited corpus, each followed by a build of
    the original."""
    src, out, store = work / "reports", work / "out", work / "store"
    src.mkdir(parents=True)
    originals = dict(generate(n))
    for name, text in originals.items():
        (src / name).write_text(text, encoding="utf-8")
    cmd = build_command(src, out, store, jobs)
    code, clean_s, err = _run(cmd)
    assert code == 0, err
    ref_files, ref_store = graph_files(out), store_digest(store)
    per_graph = _answer(store)
    rng = random.Random(seed)
    names = sorted(originals)
    # how long an edited build runs: the window the kills are drawn from
    edited = rng.sample(names, max(1, n // 10))
    _edit(src, edited, originals, 1000)
    code, window, err = _run(cmd)
    assert code == 0, err
    _restore(src, originals)
    code, _, err = _run(cmd)
    assert code == 0 and graph_files(out) == ref_files, err
    rows: list[dict[str, object]] = []
    for i in range(k):
        edited = rng.sample(names, rng.randint(1, max(1, n // 5)))
        after = round(rng.uniform(0.2, window * 1.1), 2)
        _edit(src, edited, originals, 2000 + 100 * i)
        killed, _ = _kill_at(cmd, after)
        gone = wait_until(lambda: not processes_with(str(work)), 5)
        leaked = processes_with(str(work))
        left_by_kill = leftovers(out, store)
        _restore(src, originals)
        code, rerun_s, err = _run(cmd)
        rows.append(
            {
                "after": after,
                "edited": len(edited),
                "killed": killed is None,
                "killed_code": killed,
                "leaked": 0 if gone else len(leaked),
                "left_by_kill": len(left_by_kill),
                "code": code,
                "traceback": "Traceback" in err,
                "files_same": graph_files(out) == ref_files,
                "store_same": store_digest(store) == ref_store,
                "leftovers": leftovers(out, store),
                "after_rerun_leaked": len(processes_with(str(work))),
                "rerun_s": rerun_s,
            }
        )
        mark = "ok" if rows[-1]["files_same"] and rows[-1]["store_same"] else "DIFFERS"
        print(f"kill {i + 1}/{k} at {after} s: rerun {rerun_s:.1f} s, {mark}", file=sys.stderr)
    return {
        "clean_s": clean_s,
        "window_s": window,
        "graphs": len([f for f in ref_files if f.endswith(".ttl")]),
        "graph_bytes": sum(len(v) for f, v in ref_files.items() if f.endswith(".ttl")),
        "quads": ref_store[1],
        "per_graph": per_graph,
        "rows": rows,
    }


def reader_loop(work: Path, n: int, seed: int, jobs: int, rounds: int) -> list[dict[str, object]]:
    """Readers during `rounds` rebuilds, each of an edited corpus (some reports edited, one
    removed), and for 2 s after it ends; then back to the original."""
    src, out, store = work / "reports", work / "out", work / "store"
    originals = {p.name: p.read_text(encoding="utf-8") for p in sorted(src.iterdir())}
    rng = random.Random(seed + 1)
    cmd = build_command(src, out, store, jobs)
    results = []
    for r in range(rounds):
        old = _answer(store)
        edited = rng.sample(sorted(originals), max(2, n // 10))
        _edit(src, edited[1:], originals, 5000 + 100 * r)
        (src / edited[0]).unlink()
        counts = {"old": 0, "new": 0, "mixed": 0}
        seen: list[tuple[tuple[str, int], ...]] = []
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        while proc.poll() is None:
            seen.append(_answer(store))
        code = proc.wait()
        build_s = time.perf_counter() - start
        linger = time.perf_counter() + 2  # and on past the switch, as a reader would
        while time.perf_counter() < linger:
            seen.append(_answer(store))
        new = _answer(store)
        for a in seen:
            counts["old" if a == old else "new" if a == new else "mixed"] += 1
        results.append({"round": r + 1, "code": code, "build_s": build_s, **counts})
        assert old != new, "the edit changed nothing a reader sees"
        _restore(src, originals)
        code, _, err = _run(cmd)
        assert code == 0, err
    return results


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def serve(store: Path, timeout_s: float, samples: int, runaways: int) -> dict[str, object]:
    """Hostile requests, outbound connections, runaway stops and latency under them."""
    from hostile import Honeypot
    from test_serve import COUNT, HOSTILE, OUTBOUND, RUNAWAY, get, post

    from fazhi_kg.corpus.serve import serving
    from fazhi_kg.query.catalogue import get as stored

    services = OUTBOUND
    cheap = stored(CHEAP).text
    pot = Honeypot()
    res: dict[str, object] = {"timeout": timeout_s}
    try:
        with serving(store, args=["--timeout", str(timeout_s)]) as (url, proc):
            refused = 0
            sent = 0
            for query in HOSTILE.values():
                for status, _, body in (get(url, query), post(url, query)):
                    sent += 1
                    refused += status in (400, 414) and body.count(b"\n") == 1
            for template in services:
                status, _, body = post(url, template.format(u=pot.url))
                sent += 1
                refused += status == 400 and body.count(b"\n") == 1
            res["hostile_sent"], res["hostile_refused"] = sent, refused
            res["alive"] = proc.poll() is None and get(url, COUNT)[0] == 200
            res["outbound"] = pot.connections
            stops = []
            for _ in range(runaways):
                start = time.perf_counter()
                status, _, _ = post(url, RUNAWAY)
                stops.append((status, time.perf_counter() - start))
            res["stops"] = stops
            res.update(_latency(url, cheap, RUNAWAY, samples, post))
            res["alive_after"] = proc.poll() is None
            res["outbound"] = pot.connections
    finally:
        pot.close()
    res["worker_dead"] = _worker_deaths(store, timeout_s, runaways, RUNAWAY, post)
    return res


def _latency(url: str, cheap: str, runaway: str, samples: int, post) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """p50/p99 of `cheap` with no load, then while two clients keep sending runaway queries."""
    quiet = []
    for _ in range(samples // 4):
        start = time.perf_counter()
        assert post(url, cheap)[0] == 200
        quiet.append(time.perf_counter() - start)
    stop = threading.Event()
    stopped: list[int] = []

    def hammer() -> None:
        while not stop.is_set():
            stopped.append(post(url, runaway)[0])

    threads = [threading.Thread(target=hammer) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    loaded, codes = [], []
    try:
        for _ in range(samples):
            start = time.perf_counter()
            codes.append(post(url, cheap)[0])
            loaded.append(time.perf_counter() - start)
    finally:
        stop.set()
        for t in threads:
            t.join()
    return {
        "quiet_p50": _percentile(quiet, 50),
        "quiet_p99": _percentile(quiet, 99),
        "p50": _percentile(loaded, 50),
        "p99": _percentile(loaded, 99),
        "max": max(loaded),
        "samples": len(loaded),
        "cheap_ok": codes.count(200),
        "runaways_stopped": stopped.count(503),
        "runaways_sent": len(stopped),
    }


def _worker_deaths(store: Path, timeout_s: float, n: int, runaway: str, post) -> list[float]:  # type: ignore[no-untyped-def]
    """Seconds from sending a runaway query to the death of its worker, in an endpoint run in
    this process so that its workers can be watched (as tests/test_serve.py does)."""
    from fazhi_kg.corpus.endpoint import Endpoint
    from fazhi_kg.corpus.querypool import QueryPool

    pool = QueryPool(store, size=4, spare=1)
    httpd = Endpoint(pool, timeout_s).server("127.0.0.1", 0)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.1,), daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    retired: list[object] = []
    release = pool.release

    def watched(worker, *, reusable):  # type: ignore[no-untyped-def]
        if not reusable:
            retired.append(worker)
        release(worker, reusable=reusable)

    pool.release = watched  # type: ignore[method-assign]
    times = []
    try:
        wait_until(lambda: bool(pool.idle), 10)
        for _ in range(n):
            retired.clear()
            start = time.perf_counter()
            post(url, runaway)
            gone = wait_until(
                lambda: bool(retired) and not retired[0].process.is_alive(),  # type: ignore[attr-defined]
                15,
            )
            times.append(time.perf_counter() - start if gone else float("inf"))
    finally:
        httpd.shutdown()
        httpd.server_close()
        pool.close()
    return times


def fifo(work: Path) -> list[tuple[str, int, float, str]]:
    """A named pipe given as a report, alone, and in a folder of reports (the time until its
    refusal is on stderr)."""
    folder = work / "fifo"
    folder.mkdir()
    (folder / "r.txt").write_text(next(iter(generate(1)))[1], encoding="utf-8")
    pipe = folder / "pipe.txt"
    os.mkfifo(pipe)
    fazhi = [sys.executable, "-m", "fazhi_kg"]
    code, seconds, err = _run([*fazhi, "extract", str(pipe)])
    rows = [("fazhi extract pipe.txt", code, seconds, err.strip())]
    cmd = [*fazhi, "build", str(folder), "--out", str(work / "fo"), "--jobs", "1"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    refused, message = float("inf"), ""
    for raw in proc.stderr:
        line = raw.decode("utf-8", "replace").strip()
        if "named pipe" in line and refused == float("inf"):
            refused, message = time.perf_counter() - start, line
    code = proc.wait()
    from fazhi_kg.errors import InputError
    from fazhi_kg.text.read import read_bytes

    start = time.perf_counter()
    try:
        read_bytes(pipe)
        said = "read (no refusal)"
    except InputError as exc:
        said = str(exc)
    rows.append(("read_bytes(pipe.txt), in this process", 2, time.perf_counter() - start, said))
    rows.append(
        ("fazhi build FOLDER (a report and a FIFO), until the refusal", code, refused, message)
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=60)
    parser.add_argument("--kills", type=int, default=15)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3, help="rebuilds under the reader loop")
    parser.add_argument("--timeout", type=float, default=1.0, help="fazhi serve --timeout")
    parser.add_argument("--samples", type=int, default=400, help="cheap queries timed")
    parser.add_argument("--runaways", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=None)
    opts = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="fazhi-faults-", dir=opts.workdir))
    try:
        started = time.perf_counter()
        k = kills(work, opts.reports, opts.kills, opts.seed, opts.jobs)
        readers = reader_loop(work, opts.reports, opts.seed, opts.jobs, opts.rounds)
        served = serve(work / "store", opts.timeout, opts.samples, opts.runaways)
        pipes = fifo(work)
        report(opts, k, readers, served, pipes, time.perf_counter() - started)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _ok(flag: bool) -> str:
    return "✓" if flag else "✗"


def report(opts, k, readers, served, pipes, total) -> None:  # type: ignore[no-untyped-def]
    rows = k["rows"]
    per = k["per_graph"]
    counts = [c for _, c in per]
    print(
        f"`python bench/faults.py --reports {opts.reports} --kills {opts.kills} "
        f"--seed {opts.seed} --jobs {opts.jobs}`; {os.cpu_count()} cores; "
        f"load average at the end {os.getloadavg()[0]:.2f}; {total / 60:.1f} min in all.\n"
    )
    print("### Builds killed at seeded moments\n")
    print("| figure | value | bar |\n|---|---|---|")
    print(f"| reports; clean build | {opts.reports}; {k['clean_s']:.1f} s | |")
    print(f"| graph files; their bytes | {k['graphs']}; {k['graph_bytes']:,} | |")
    print(
        f"| store: quads; graphs; quads per graph (min / median / max) | {k['quads']:,}; "
        f"{len(per)}; {min(counts):,} / {statistics.median(counts):,.0f} / {max(counts):,} | |"
    )
    print(f"| kill window (an edited build, run whole) | 0.2 – {k['window_s'] * 1.1:.1f} s | |")
    killed = sum(r["killed"] for r in rows)
    print(
        f"| kills (SIGKILL before the build ended / it ended first) | {killed} / {len(rows) - killed} | |"
    )
    print(
        f"| reports edited per killed build (min / max) | {min(r['edited'] for r in rows)} / "
        f"{max(r['edited'] for r in rows)} | |"
    )
    same = sum(r["files_same"] and r["store_same"] for r in rows)
    print(
        f"| reruns identical (graph files byte for byte, and store content) | {same} / {len(rows)} | {_ok(same == len(rows))} |"
    )
    print(
        f"| reruns with graph files that differ / store that differs | "
        f"{sum(not r['files_same'] for r in rows)} / {sum(not r['store_same'] for r in rows)} | |"
    )
    leaked = sum(r["leaked"] for r in rows) + sum(r["after_rerun_leaked"] for r in rows)
    print(
        f"| leaked processes (5 s after the kill; after the rerun) | "
        f"{sum(r['leaked'] for r in rows)}; {sum(r['after_rerun_leaked'] for r in rows)} | {_ok(leaked == 0)} |"
    )
    lk = sum(r["left_by_kill"] for r in rows)
    print(
        f"| files a kill left (staging, journal, *.tmp, gen-*.partial, unheld gen-*, bulk-*.sst) | {lk} | |"
    )
    left = sum(len(r["leftovers"]) for r in rows)  # type: ignore[arg-type]
    print(f"| leftover files after the rerun | {left} | {_ok(left == 0)} |")
    codes = sorted({r["code"] for r in rows})
    tb = sum(r["traceback"] for r in rows)
    print(f"| rerun exit codes; tracebacks | {codes}; {tb} | {_ok(codes == [0] and tb == 0)} |")
    times = [r["rerun_s"] for r in rows]
    print(
        f"| time per rerun (median / max) | {statistics.median(times):.1f} s / {max(times):.1f} s | |"
    )
    print("\n### Readers during a rebuild\n")
    print(
        "| rebuild | build | answers | old | new | mixed | exit | bar |\n|---|---|---|---|---|---|---|---|"
    )
    for r in readers:
        n = r["old"] + r["new"] + r["mixed"]
        print(
            f"| {r['round']} | {r['build_s']:.1f} s | {n} | {r['old']} | {r['new']} | {r['mixed']} | "
            f"{r['code']} | {_ok(r['mixed'] == 0 and r['code'] == 0)} |"
        )
    s = served
    t = s["timeout"]
    print(f"\n### fazhi serve --timeout {t:g}\n")
    print("| figure | value | bar |\n|---|---|---|")
    print(
        f"| hostile requests refused with one line (test_serve.py's set, GET and POST; SERVICE, "
        f"FROM, LOAD at a honeypot) | {s['hostile_refused']} / {s['hostile_sent']} | "
        f"{_ok(s['hostile_refused'] == s['hostile_sent'])} |"
    )
    print(
        f"| server alive and answering after them; after the load | {s['alive']}; {s['alive_after']} | "
        f"{_ok(bool(s['alive']) and bool(s['alive_after']))} |"
    )
    print(
        f"| outbound connections (to the honeypot) | {s['outbound']} | {_ok(s['outbound'] == 0)} |"
    )
    stops = s["stops"]
    worst = max(x for _, x in stops)
    print(
        f"| runaway query answered (503) after, over {len(stops)} (median / max) | "
        f"{statistics.median(x for _, x in stops):.2f} s / {worst:.2f} s; statuses {sorted({c for c, _ in stops})} | "
        f"{_ok(worst <= t + 1)} |"
    )
    dead = s["worker_dead"]
    print(
        f"| runaway's worker process dead after (median / max, endpoint in the bench's process) | "
        f"{statistics.median(dead):.2f} s / {max(dead):.2f} s | {_ok(max(dead) <= t + 1)} |"
    )
    print(
        f"| cheap stored query (`{CHEAP}`), no load: p50 / p99 | {s['quiet_p50'] * 1000:.1f} ms / "
        f"{s['quiet_p99'] * 1000:.1f} ms | |"
    )
    print(
        f"| the same while two clients send runaway queries: p50 / p99 / max over {s['samples']} | "
        f"{s['p50'] * 1000:.1f} ms / {s['p99'] * 1000:.1f} ms / {s['max'] * 1000:.1f} ms | {_ok(s['p99'] <= 0.05)} |"
    )
    print(
        f"| cheap queries answered 200; runaway queries stopped (503) meanwhile | "
        f"{s['cheap_ok']} / {s['samples']}; {s['runaways_stopped']} / {s['runaways_sent']} | |"
    )
    print("\n### A named pipe given as a report\n")
    print("| command | exit | time | message | bar |\n|---|---|---|---|---|")
    for what, code, seconds, msg in pipes:
        print(
            f"| `{what}` | {code} | {seconds:.2f} s | {msg} | {_ok(code == 2 and seconds <= 1.0)} |"
        )


if __name__ == "__main__":
    main()
