"""Score extracted facts against a gold annotation: precision, recall and F1 per fact family.

Matching is one-to-one and greedy in text order. A predicted fact matches a gold fact of its
family when their keys agree (see `_KEYS`) and, where both carry spans, the spans overlap.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fazhi_kg.errors import InputError

Fact = Mapping[str, Any]


def _norm(s: object) -> str:
    """Compare names as read: full-width forms folded, quotes and spaces ignored."""
    return re.sub(r"[\s“”‘’\"'《》]", "", unicodedata.normalize("NFKC", str(s or "")))


def _num(v: object) -> str:
    from decimal import Decimal

    return format(Decimal(str(v)).normalize(), "f")


_KEYS: dict[str, Callable[[Fact], tuple[str, ...]]] = {
    "sections": lambda f: (f["path"], _norm(f["title"])),
    "indicators": lambda f: (_num(f["value"]), f["unit"]),
    "institutions": lambda f: (_norm(f["name"]),),
    "awards": lambda f: (_norm(f["title"]),),
    "cases": lambda f: (_norm(f["name"]),),
    "mechanisms": lambda f: (_norm(f["name"]),),
    "documents": lambda f: (_norm(f["title"]),),
    "duties": lambda f: (_norm(f["name"]),),
    "problems": lambda f: (_norm(f["summary"]),),
    "plans": lambda f: (_norm(f["summary"]),),
}
# Families whose facts must also overlap in the text (a key alone is not unique there).
_SPAN_MATCHED = frozenset({"indicators", "awards"})
FAMILIES = tuple(_KEYS)


@dataclass(frozen=True)
class Score:
    """Counts and rates for one family."""

    family: str
    gold: int
    predicted: int
    matched: int

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else (1.0 if not self.predicted else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Evaluation:
    """Scores per family, their micro-average, and the unmatched facts for inspection."""

    scores: tuple[Score, ...]
    missed: Mapping[str, Sequence[Fact]]
    spurious: Mapping[str, Sequence[Fact]]

    @property
    def overall(self) -> Score:
        return Score(
            "overall",
            sum(s.gold for s in self.scores),
            sum(s.predicted for s in self.scores),
            sum(s.matched for s in self.scores),
        )


def _overlap(a: Fact, b: Fact) -> bool:
    sa, sb = a.get("span"), b.get("span")
    if not sa or not sb:
        return True
    return bool(sa["start"] < sb["end"] and sb["start"] < sa["end"])


def _match(
    family: str, gold: Sequence[Fact], pred: Sequence[Fact]
) -> tuple[int, list[Fact], list[Fact]]:
    key = _KEYS[family]
    used: set[int] = set()
    matched = 0
    spurious = []
    for p in pred:
        kp = key(p)
        hit = next(
            (
                i
                for i, g in enumerate(gold)
                if i not in used
                and key(g) == kp
                and (family not in _SPAN_MATCHED or _overlap(g, p))
            ),
            None,
        )
        if hit is None:
            spurious.append(p)
        else:
            used.add(hit)
            matched += 1
    missed = [g for i, g in enumerate(gold) if i not in used]
    return matched, missed, spurious


_META_FIELDS = ("title", "jurisdiction", "parent_jurisdictions", "year", "published", "issuer")


def _meta_score(
    gold: Mapping[str, Any], pred: Mapping[str, Any]
) -> tuple[Score, list[Fact], list[Fact]]:
    """Report metadata as a family of fields: a field counts when stated, matches when equal."""

    def value(d: Mapping[str, Any], k: str) -> Any:
        v = d.get(k)
        if k == "published" and isinstance(v, str):
            return v[:10]  # a date and a date-time on that date agree
        if isinstance(v, str):
            return _norm(v)
        if isinstance(v, list):
            return tuple(_norm(x) for x in v)
        return v

    stated = [k for k in _META_FIELDS if gold.get(k) not in (None, [], "")]
    given = [k for k in _META_FIELDS if pred.get(k) not in (None, [], "")]
    same = [k for k in given if k in stated and value(gold, k) == value(pred, k)]
    missed: list[Fact] = [{"field": k, "value": gold.get(k)} for k in stated if k not in same]
    spurious: list[Fact] = [{"field": k, "value": pred.get(k)} for k in given if k not in same]
    return Score("report", len(stated), len(given), len(same)), missed, spurious


def evaluate(gold: Mapping[str, Any], predicted: Mapping[str, Any]) -> Evaluation:
    """Compare two facts documents (facts.schema.json)."""
    meta, meta_missed, meta_spurious = _meta_score(
        gold.get("report", {}), predicted.get("report", {})
    )
    scores = [meta]
    missed: dict[str, Sequence[Fact]] = {"report": meta_missed}
    spurious: dict[str, Sequence[Fact]] = {"report": meta_spurious}
    for fam in FAMILIES:
        g, p = gold.get(fam, []), predicted.get(fam, [])
        n, miss, spur = _match(fam, g, p)
        scores.append(Score(fam, len(g), len(p), n))
        missed[fam], spurious[fam] = miss, spur
    return Evaluation(tuple(scores), missed, spurious)


def load_gold(path: str | Path) -> dict[str, Any]:
    """Read a gold facts file; raises `InputError` when it is missing or not JSON."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(f"Gold file {p} does not exist; check the path.") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"Gold file {p} is not valid UTF-8 JSON ({exc}); fix the file.") from exc
    if not isinstance(data, dict):
        raise InputError(f"Gold file {p} is not a facts object; see facts.schema.json.")
    return data


def render(ev: Evaluation) -> str:
    """A fixed-width table of the scores."""
    lines = [f"{'family':<14}{'gold':>6}{'pred':>6}{'match':>7}{'P':>8}{'R':>8}{'F1':>8}"]
    for s in (*ev.scores, ev.overall):
        lines.append(
            f"{s.family:<14}{s.gold:>6}{s.predicted:>6}{s.matched:>7}"
            f"{s.precision:>8.3f}{s.recall:>8.3f}{s.f1:>8.3f}"
        )
    return "\n".join(lines)
