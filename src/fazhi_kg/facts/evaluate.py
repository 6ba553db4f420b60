"""Score extracted facts against a gold annotation: precision, recall and F1 per fact family.

Matching follows shared/eval/ANNOTATION.md, one to one, best pairs first:
- names (institutions, mechanisms, documents, cases, duties, awards' titles, problems and plans'
  summaries) are compared as read: full-width forms folded, quotation marks, book-title marks and
  spaces ignored. Equal names match; a surface variant matches too, where the guide allows one: a
  name inside the other (区委 / 通州区委, 述法 / 年度述法) or names that share most of their
  character pairs (a title the text wraps in a sentence, a boundary one word off). `_RULES` gives
  each family the similarity it needs;
- indicators match by value and unit; among several of equal value and unit, those whose spans
  overlap and whose `what` is most alike pair first;
- awards prefer the same level among equal titles; sections match by their path (二/(四)/一是).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from fazhi_kg.errors import InputError

Fact = Mapping[str, Any]

_IGNORED = re.compile(r"[\s“”‘’\"'《》〈〉<>「」『』]")


def _norm(s: object) -> str:
    """Compare names as read: full-width forms folded, quotes, title marks and spaces ignored."""
    return _IGNORED.sub("", unicodedata.normalize("NFKC", str(s or "")))


def _pairs(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)} or {s}


def similarity(a: object, b: object) -> float:
    """How alike two names are, from 0 to 1: 1 when equal as read; a name inside the other is a
    surface variant (0.6 and up, by how much of the longer it covers); else the share of
    character pairs they have in common (Dice)."""
    x, y = _norm(a), _norm(b)
    if not x or not y:
        return 0.0
    if x == y:
        return 1.0
    short, long_ = sorted((x, y), key=len)
    if short in long_:
        return 0.6 + 0.4 * len(short) / len(long_)
    px, py = _pairs(x), _pairs(y)
    return 2 * len(px & py) / (len(px) + len(py))


def _num(v: object) -> Decimal | None:
    try:
        return Decimal(str(v))
    except (InvalidOperation, ValueError):
        return None


def _overlap(a: Fact, b: Fact) -> bool:
    sa, sb = a.get("span"), b.get("span")
    return bool(sa and sb and sa["start"] < sb["end"] and sb["start"] < sa["end"])


def _indicator(g: Fact, p: Fact) -> float:
    """Value and unit decide; an overlapping span and a like `what` only rank the candidates."""
    gv, pv = _num(g.get("value")), _num(p.get("value"))
    if gv is None or gv != pv or _norm(g.get("unit")) != _norm(p.get("unit")):
        return 0.0
    return 1.0 + 0.5 * _overlap(g, p) + 0.25 * similarity(g.get("what"), p.get("what"))


def _named(key: str) -> Callable[[Fact, Fact], float]:
    return lambda g, p: similarity(g.get(key), p.get(key))


def _award(g: Fact, p: Fact) -> float:
    same_level = not g.get("level") or not p.get("level") or g.get("level") == p.get("level")
    return similarity(g.get("title"), p.get("title")) * (1.0 if same_level else 0.9)


def _section(g: Fact, p: Fact) -> float:
    return 1.0 if _norm(g.get("path")) == _norm(p.get("path")) else 0.0


# family → (how alike a gold and a predicted fact are, the least that makes them a match)
_RULES: dict[str, tuple[Callable[[Fact, Fact], float], float]] = {
    "sections": (_section, 1.0),
    "indicators": (_indicator, 1.0),
    "institutions": (_named("name"), 0.6),
    "awards": (_award, 0.55),
    "cases": (_named("name"), 0.5),
    "mechanisms": (_named("name"), 0.6),
    "documents": (_named("title"), 0.7),
    "duties": (_named("name"), 0.5),
    "problems": (_named("summary"), 0.2),
    "plans": (_named("summary"), 0.2),
}
FAMILIES = tuple(_RULES)


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


def _match(
    family: str, gold: Sequence[Fact], pred: Sequence[Fact]
) -> tuple[int, list[Fact], list[Fact]]:
    """Pair gold and predicted facts one to one, the most alike pairs first (ties in text order)."""
    alike, least = _RULES[family]
    pairs = sorted(
        (
            (-score, i, j)
            for i, g in enumerate(gold)
            for j, p in enumerate(pred)
            if (score := alike(g, p)) >= least
        )
    )
    used_g: set[int] = set()
    used_p: set[int] = set()
    for _, i, j in pairs:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
    missed = [g for i, g in enumerate(gold) if i not in used_g]
    spurious = [p for j, p in enumerate(pred) if j not in used_p]
    return len(used_g), missed, spurious


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


# --- a set of reports: gold files in one folder, texts in another ------------------------------

IDENTITY_FIELDS = ("jurisdiction", "level", "division_code", "year")
TEXT_SUFFIXES = (".txt", ".html", ".htm")


@dataclass(frozen=True)
class IdentityRow:
    """One report's identity: the gold values and the extracted ones (IDENTITY_FIELDS)."""

    name: str
    gold: Mapping[str, Any]
    predicted: Mapping[str, Any]

    def verdict(self, field: str) -> str:
        """right (equal, both empty included), wrong (a different value given), or missed (none
        given where the gold has one)."""
        g, p = _identity_value(self.gold.get(field)), _identity_value(self.predicted.get(field))
        if g == p:
            return "right"
        return "missed" if p in (None, "") else "wrong"


@dataclass(frozen=True)
class SetEvaluation:
    """Scores of a set of reports: per fact family summed over the set, the identity of each
    report, and the texts the extractor refused (their identity is still read)."""

    families: Evaluation
    identity: tuple[IdentityRow, ...]
    refused: Mapping[str, str]

    def identity_scores(self) -> tuple[Score, ...]:
        """Per identity field: gold = reports whose gold states it, predicted = reports given a
        value, matched = right values among those (precision 1.0 means no wrong answer)."""
        out = []
        for f in IDENTITY_FIELDS:
            stated = sum(1 for r in self.identity if r.gold.get(f) not in (None, ""))
            given = [r for r in self.identity if r.predicted.get(f) not in (None, "")]
            right = sum(1 for r in given if r.verdict(f) == "right")
            out.append(Score(f, stated, len(given), right))
        return tuple(out)


def _identity_value(v: object) -> object:
    return _norm(v) if isinstance(v, str) else v


def text_for(gold: Path, text_dir: Path) -> Path:
    """The report text of a gold file: the file of the same name in `text_dir`."""
    for suffix in TEXT_SUFFIXES:
        candidate = text_dir / f"{gold.stem}{suffix}"
        if candidate.is_file():
            return candidate
    raise InputError(
        f"No text for gold file {gold.name} in {text_dir} (looked for {gold.stem}.txt, .html, .htm); "
        "give the folder that holds the report texts."
    )


def gold_identity(report: Mapping[str, Any]) -> dict[str, Any]:
    """The identity fields of a gold `report`, its division code looked up in the gazetteer from
    the fully qualified jurisdiction and year where the gold file does not give one."""
    out = {f: report.get(f) for f in IDENTITY_FIELDS}
    if not out["division_code"] and report.get("jurisdiction"):
        from fazhi_kg.extract.gazetteer import gazetteer

        found = gazetteer().by_qualified_name(str(report["jurisdiction"]), report.get("year"))
        codes = {d.code for d in found}
        if len(codes) == 1 and len(next(iter(codes))) == 6:
            out["division_code"] = next(iter(codes))
    return out


def evaluate_set(
    gold_dir: str | Path,
    text_dir: str | Path,
    *,
    extract: Callable[[Path], Mapping[str, Any]] | None = None,
    identify: Callable[[Path], Mapping[str, Any]] | None = None,
) -> SetEvaluation:
    """Score every `gold_dir/NAME.json` against the report `text_dir/NAME.txt|.html`: the fact
    families as `evaluate` does, summed over the set, and the identity of each report.

    `extract` gives a text's facts JSON (default: `fazhi_kg.extract`); `identify` its `report`
    part alone, used when `extract` refuses a text (default: the identity step)."""
    if extract is None or identify is None:
        from fazhi_kg.extract import extract_file
        from fazhi_kg.extract.meta import read_header
        from fazhi_kg.facts import Facts, to_json
        from fazhi_kg.text.read import read_report

        def _extract(path: Path) -> Mapping[str, Any]:
            return to_json(extract_file(path))

        def _identify(path: Path) -> Mapping[str, Any]:
            meta = read_header(read_report(path)).meta
            report: Mapping[str, Any] = to_json(Facts(meta, 0, ""))["report"]
            return report

        extract, identify = extract or _extract, identify or _identify
    golds = sorted(Path(gold_dir).glob("*.json"))
    if not golds:
        raise InputError(f"No gold files (*.json) in {gold_dir}; give the folder of gold files.")
    counts: dict[str, list[int]] = {}
    missed: dict[str, list[Fact]] = {}
    spurious: dict[str, list[Fact]] = {}
    rows: list[IdentityRow] = []
    refused: dict[str, str] = {}
    for path in golds:
        gold = load_gold(path)
        text = text_for(path, Path(text_dir))
        try:
            predicted = dict(extract(text))
        except InputError as exc:
            refused[path.stem] = str(exc)
            predicted = {"report": dict(identify(text))}
        ev = evaluate(gold, predicted)
        for s in ev.scores:
            c = counts.setdefault(s.family, [0, 0, 0])
            c[0], c[1], c[2] = c[0] + s.gold, c[1] + s.predicted, c[2] + s.matched
            missed.setdefault(s.family, []).extend(
                {"report": path.stem, **f} for f in ev.missed[s.family]
            )
            spurious.setdefault(s.family, []).extend(
                {"report": path.stem, **f} for f in ev.spurious[s.family]
            )
        report = predicted.get("report", {})
        rows.append(
            IdentityRow(
                path.stem,
                gold_identity(gold.get("report", {})),
                {f: report.get(f) for f in IDENTITY_FIELDS},
            )
        )
    families = Evaluation(tuple(Score(f, *c) for f, c in counts.items()), missed, spurious)
    return SetEvaluation(families, tuple(rows), refused)


def render_identity(rows: Sequence[IdentityRow]) -> str:
    """A Markdown table, one row per report: the gold value of each identity field, followed by
    `→ extracted ✗` where a different value was given and `→ – ·` where none was."""
    marks = {"right": "", "wrong": " ✗", "missed": " ·"}
    lines = [
        "| report | " + " | ".join(IDENTITY_FIELDS) + " |",
        "|---" * (len(IDENTITY_FIELDS) + 1) + "|",
    ]
    for r in rows:
        cells = []
        for f in IDENTITY_FIELDS:
            g, p, verdict = r.gold.get(f), r.predicted.get(f), r.verdict(f)
            shown = "–" if g in (None, "") else str(g)
            if verdict != "right":
                shown += f" → {'–' if p in (None, '') else p}{marks[verdict]}"
            cells.append(shown)
        lines.append(f"| {r.name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
