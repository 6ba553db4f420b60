"""A name found in a report's normalized text, shared by the named-thing extractors."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Found:
    """A name found in normalized text (offsets into `norm`)."""

    start: int
    end: int
    name: str
    kind: str | None = None
    quoted: bool = False


def first_mentions(found: Iterable[Found]) -> list[Found]:
    """Each distinct name once, at its first mention (surface variants stay apart)."""
    seen: set[str] = set()
    out = []
    for f in found:
        if f.name not in seen:
            seen.add(f.name)
            out.append(f)
    return out


class Spans:
    """Stretches of text that do not overlap, kept sorted: whether a new one would overlap any of
    them takes a bisection, so readers stay linear on long lines."""

    def __init__(self) -> None:
        self._spans: list[tuple[int, int]] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_left(self._spans, (end, end))
        return i > 0 and self._spans[i - 1][1] > start

    def add(self, start: int, end: int) -> None:
        insort(self._spans, (start, end))
