"""The genre's word lists, kept as data files under `fazhi_kg/data/lexicon/` (one entry a line).

A file opens with a comment naming what the list holds; `# source:` lines name the document the
entries below them come from, so every entry can be traced to a published text. `#` starts a
comment anywhere on a line; blank lines are ignored.
"""

from __future__ import annotations

import re
from functools import cache

from fazhi_kg.resources import data_dir


@cache
def words(name: str) -> tuple[str, ...]:
    """The entries of `data/lexicon/<name>.txt`, in file order, without duplicates."""
    path = data_dir() / "lexicon" / f"{name}.txt"
    out: dict[str, None] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            out[entry] = None
    return tuple(out)


@cache
def alternation(name: str) -> re.Pattern[str]:
    """One regex that finds any entry of a list, longest entries first."""
    entries = sorted(words(name), key=lambda w: (-len(w), w))
    return re.compile("|".join(re.escape(w) for w in entries))
