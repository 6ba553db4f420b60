"""Benchmark: `fazhi viz` on the embedded graph (all figures as PNG, then as SVG) and the explorer page.

Prints the median and maximum over N runs (default 5) of the library call `write_figures(out,
fmt=...)`, which includes building the entity network, and of each figure alone (make + save). The
bar is a median under 10 s for all figures. Usage: python bench/viz.py [N] [--graph FILE ...]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from _timing import timed

BAR_SECONDS = 10.0


def main() -> None:
    args = sys.argv[1:]
    runs = int(args.pop(0)) if args and args[0].isdigit() else 5
    graphs = [Path(a) for a in args if a != "--graph"] or None
    import fazhi_kg
    from fazhi_kg.viz.explorer import explorer_html
    from fazhi_kg.viz.figures import FIGURES, save, write_figures

    tmp = Path(tempfile.mkdtemp())
    start = time.perf_counter()
    write_figures(tmp / "warm", graphs=graphs)  # imports, font registration, font cache
    print(f"first run (imports, font cache): {time.perf_counter() - start:.2f} s; runs: {runs}")
    G = fazhi_kg.to_networkx(graphs)
    print(f"{'step':<34}{'median s':>10}{'max s':>9}{'bytes':>11}")
    worst = 0.0
    for fmt in ("png", "svg"):

        def everything(fmt: str = fmt) -> int:
            paths = write_figures(tmp / fmt, graphs=graphs, fmt=fmt)
            return sum(p.stat().st_size for p in paths)

        median, top, size = timed(everything, runs)
        worst = max(worst, median)
        print(f"{'all figures ' + fmt:<34}{median:>10.2f}{top:>9.2f}{size:>11,}")
        for name, make in FIGURES.items():
            median, top, size = timed(lambda make=make, fmt=fmt: len(save(make(G), fmt)), runs)
            print(f"  {name + '.' + fmt:<32}{median:>10.2f}{top:>9.2f}{size:>11,}")
    median, top, size = timed(lambda: len(explorer_html(graphs)), runs)
    print(f"{'explorer html':<34}{median:>10.2f}{top:>9.2f}{size:>11,}")
    shutil.rmtree(tmp)
    verdict = "under" if worst < BAR_SECONDS else "OVER"
    print(f"slowest median for all figures: {worst:.2f} s, {verdict} the {BAR_SECONDS:g} s bar")


if __name__ == "__main__":
    main()
