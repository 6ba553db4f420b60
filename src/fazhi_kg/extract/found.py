"""A name found in a report's normalized text, shared by the named-thing extractors."""

from __future__ import annotations

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
