"""Fuzz the reader and the extractor: bytes → decode → normalized view → facts, coverage-guided.

Atheris (libFuzzer for Python) mutates the embedded report and the genre texts, cut into pieces of
at most --max-len bytes. Any exception but a `FazhiError`, an error message that is not one line,
or an input slower than --timeout seconds stops the run and leaves the input in ./crash-* or
./timeout-*. Not part of the test run (`pip install -e ".[fuzz]"` first):

    python bench/fuzz.py --runs 100000 --jobs 2
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = [ROOT / "reports", ROOT / "tests" / "data" / "genre", ROOT / "tests" / "data" / "reports"]


def one_input(data: bytes) -> None:
    from fazhi_kg.errors import FazhiError
    from fazhi_kg.extract import extract
    from fazhi_kg.text.read import decode, from_text

    try:
        text, encoding = decode(data, "fuzz.txt")
        src = from_text(text, name="fuzz.txt", encoding=encoding)
        facts = extract(src)
    except FazhiError as exc:
        if "\n" in str(exc):
            raise AssertionError(f"a message of several lines: {exc!r}") from exc
        return
    n = len(src.original)
    for fam in (facts.indicators, facts.institutions, facts.awards, facts.mechanisms):
        for fact in fam:
            if not 0 <= fact.span.start < fact.span.end <= n:
                raise AssertionError(f"span outside the text: {fact!r}")


def worker(argv: list[str]) -> None:
    import atheris

    with atheris.instrument_imports(include=["fazhi_kg"]):
        import fazhi_kg.extract
        import fazhi_kg.text.read  # noqa: F401
    atheris.Setup([sys.argv[0], *argv], one_input)
    atheris.Fuzz()


def seed_corpus(folder: Path, max_len: int) -> int:
    """Pieces of the genre texts, each starting with its report's title line."""
    n = 0
    for base in SEEDS:
        for path in sorted(base.glob("*.*")):
            if path.suffix not in (".txt", ".html"):
                continue
            data = path.read_bytes()
            head = data.split(b"\n", 1)[0][: max_len // 4] + b"\n"
            step = max_len - len(head)
            for k, start in enumerate(range(0, len(data), step)):
                piece = data[start : start + step]
                (folder / f"{path.stem}-{k}").write_bytes(piece if k == 0 else head + piece)
                n += 1
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100_000, help="inputs in all (default 100000)")
    parser.add_argument("--jobs", type=int, default=1, help="parallel fuzzers")
    parser.add_argument("--max-len", type=int, default=4096, help="longest input in bytes")
    parser.add_argument("--timeout", type=int, default=10, help="seconds one input may take")
    parser.add_argument("--worker", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None:
        worker(args.worker)
        return
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp) / "seeds"
        seeds.mkdir()
        print(f"{seed_corpus(seeds, args.max_len)} seed inputs from the genre texts", flush=True)
        procs = []
        for job in range(args.jobs):
            corpus = Path(tmp) / f"corpus-{job}"
            corpus.mkdir()
            flags = [
                f"-runs={args.runs // args.jobs}",
                f"-max_len={args.max_len}",
                f"-timeout={args.timeout}",
                f"-seed={job + 1}",
                "-print_final_stats=1",
                str(corpus),
                str(seeds),
            ]
            procs.append(
                subprocess.Popen(
                    [sys.executable, __file__, "--worker", *flags],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                )
            )
        runs = failed = 0
        for job, proc in enumerate(procs):
            out, _ = proc.communicate()
            done = re.search(r"Done (\d+) runs in (\d+) second", out)
            runs += int(done.group(1)) if done else 0
            if proc.returncode != 0:
                failed += 1
                print(f"job {job} failed (exit {proc.returncode}):\n{out[-4000:]}")
            cov = re.findall(r"cov: (\d+) ft: (\d+)", out)
            if cov:
                print(f"job {job}: coverage {cov[-1][0]} edges, {cov[-1][1]} features")
    seconds = time.perf_counter() - started
    print(
        f"{runs} inputs in {seconds:.0f} s ({runs / seconds:.0f}/s) with {args.jobs} job(s), "
        f"at most {args.max_len} bytes each: {failed} failing job(s)"
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
