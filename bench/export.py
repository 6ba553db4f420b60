"""Benchmark: `fazhi export` of the embedded graph in every format, in one warm process.

Prints the median and maximum over N runs (default 5) of the library call `export(fmt)`, which
includes reading the graph and the ontology (shown alone as `load`); csv writes a folder, the
others return bytes. Usage: python bench/export.py [N] [--graph FILE ...]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from _timing import timed


def _timed_ms(step: Callable[[], int], runs: int) -> tuple[float, float, int]:
    median, worst, size = timed(step, runs)
    return median * 1000, worst * 1000, size


def main() -> None:
    args = sys.argv[1:]
    runs = int(args.pop(0)) if args and args[0].isdigit() else 5
    graphs = [Path(a) for a in args if a != "--graph"] or None
    from fazhi_kg.export import Format, export, load
    from fazhi_kg.export.docs import render_html
    from fazhi_kg.export.network import project

    export(Format.GRAPHML, graphs=graphs)  # warm up imports and caches
    ds = load(graphs)
    print(f"runs per figure: {runs}; {len(ds.data)} data quads, {len(ds.ontology)} ontology quads")
    print(f"{'step':<10}{'median ms':>10}{'max ms':>10}{'bytes':>11}")
    tmp = Path(tempfile.mkdtemp())

    def rendered(fmt: Format) -> Callable[[], int]:
        return lambda: len(export(fmt, graphs=graphs) or b"")

    def csv() -> int:
        export(Format.CSV, graphs=graphs, out=tmp / "csv")
        return sum(p.stat().st_size for p in (tmp / "csv").iterdir())

    steps: dict[str, Callable[[], int]] = {
        "load": lambda: len(load(graphs).quads),
        "project": lambda: project(ds).number_of_nodes(),
    }
    for fmt in Format:
        steps[fmt.value] = csv if fmt is Format.CSV else rendered(fmt)
    steps["docs"] = lambda: len(render_html().encode())
    for name, step in steps.items():
        median, worst, size = _timed_ms(step, runs)
        shown = f"{size:,}" if name not in ("load", "project") else ""
        print(f"{name:<10}{median:>10.1f}{worst:>10.1f}{shown:>11}")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
