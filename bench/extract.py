"""Benchmark: how long `extract()` takes per report once the gazetteer is loaded (the bar is 30 ms
for the embedded report), and per real opening where ../shared/eval/real is beside the checkout.

Prints the median and the fastest of N rounds of ten calls; the machine's other load shows as the
gap between the two.
Usage: python bench/extract.py [N]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from fazhi_kg.extract import extract
from fazhi_kg.resources import embedded_report
from fazhi_kg.text.read import SourceText, read_report


def _per_call(src: SourceText, rounds: int) -> tuple[float, float]:
    """Median and fastest seconds per `extract(src)`, over `rounds` rounds of ten calls."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(10):
            extract(src)
        times.append((time.perf_counter() - start) / 10)
    return statistics.median(times), min(times)


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    embedded = read_report(embedded_report())
    extract(embedded)  # load the gazetteer and the word lists once
    median, fastest = _per_call(embedded, rounds)
    print(
        f"extract(), embedded report        median {median * 1000:6.1f} ms  fastest {fastest * 1000:6.1f} ms"
    )
    real = next(
        (
            p / "shared/eval/real/texts"
            for p in Path(__file__).resolve().parents
            if (p / "shared/eval/real/texts").is_dir()
        ),
        None,
    )
    if real is None:
        print("no shared/eval/real beside this checkout: the real openings are not timed")
        return
    texts = [read_report(p) for p in sorted(real.glob("*.txt"))]
    per = [_per_call(src, max(1, rounds // 3))[0] for src in texts]
    print(
        f"extract(), {len(texts)} real openings   median {statistics.median(per) * 1000:6.1f} ms  "
        f"slowest {max(per) * 1000:6.1f} ms"
    )


if __name__ == "__main__":
    main()
