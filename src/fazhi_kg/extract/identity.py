"""Which government wrote a report: the reporting body resolved to ONE division of the gazetteer,
or to none when the text does not tell (an empty answer beats a wrong one), with its level
(province, city, county, township, or a department reporting on itself) and the year covered.

Evidence, strongest first: the title's issuing organ, an HTML page's title and site metadata, the
opening's subject (2023年，青石县坚持…; 区政府坚持…; 我县…), the signature; then the report's slogan
(法治X), the documents it cites (《X法治政府建设实施方案》) and names in its opening. Every reading of
a name is a candidate (朝阳区 in Beijing and in Changchun); the kind of body the report speaks as
(我县, 全州, 区政府坚持) narrows them; a candidate gains from each parent the text names (巴中市,
新疆, 市委, 自治区党委) and loses from a named parent organ that fits no link of its chain. Two
places left level leave the answer empty.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

from fazhi_kg.extract.gazetteer import Division, Gazetteer, gazetteer
from fazhi_kg.extract.mentions import (
    OPENING,
    UNIT_KINDS,
    UNITS,
    Cues,
    Mention,
    cue_kind,
    read_evidence,
)
from fazhi_kg.extract.page import page_fields
from fazhi_kg.extract.year import year_covered
from fazhi_kg.facts import Place, ReportMeta

__all__ = ["Identity", "given_division", "resolve", "with_division"]

# weight of a mention of a division by where it stands, and the most a place can add
_WEIGHT = {
    "title": 6.0,
    "page-title": 5.0,
    "subject": 5.0,
    "signature": 5.0,
    "site": 3.0,
    "source": 2.0,
    "slogan": 1.5,
    "cited": 1.5,
    "opening": 1.0,
    "body": 0.5,
}
_CAP = {"slogan": 3.0, "cited": 3.0, "opening": 2.0, "body": 1.0}
_STRONG = frozenset({"title", "page-title", "subject", "signature", "site"})
_CONTEXT = frozenset({"site", "source"})  # where the page says who hosts it


@dataclass(frozen=True)
class Identity:
    """The reporting body as resolved, and the year covered."""

    jurisdiction: str = ""  # 四川省成都市武侯区; '' when nothing tells
    parents: tuple[str, ...] = ()  # 成都市, 四川省: nearest first
    level: str | None = None  # province, city, county, township or department
    division_code: str | None = None  # GB/T 2260 (six digits); None for a township
    division: Division | None = None
    path: tuple[Division, ...] = ()  # the division and its parents, province first
    issuer: str | None = None
    year: int | None = None
    evidence: tuple[str, ...] = field(default=(), compare=False)  # why, for a reader checking


def resolve(
    text: str,
    *,
    title: str,
    body_start: int,
    published: str | None = None,
    source: str | None = None,
    original: str = "",
    is_html: bool = False,
) -> Identity:
    """The identity of the report whose normalized text is `text` (see the module docstring).

    `title` is its title line ('' when it has none), `body_start` where its body begins,
    `published` the stated publication date, `source` the organ of its 来源 line; for an HTML page
    `original` is the page's source, whose title and meta tags count too."""
    g = gazetteer()
    page = page_fields(original) if is_html else {}
    opening = text[body_start : body_start + OPENING]
    year = year_covered(
        title or page.get("title", ""), opening, published or page.get("date"), text[-300:]
    )
    cues = Cues()
    found = [*read_evidence(g, text, title, body_start, page, source, year, cues)]
    why: list[str] = []
    division, open_level = _choose(g, found, cues, year, why)
    level = "department" if cues.is_department else None
    if division is None:
        return Identity(
            level=level or open_level or _LEVEL_OF_KIND.get(cues.self_kind() or ""),
            issuer=cues.organ or cues.department,
            year=year,
            evidence=tuple(why),
        )
    path = g.path(division, year)
    return Identity(
        jurisdiction="".join(d.name for d in path),
        parents=tuple(d.name for d in reversed(path[:-1])),
        level=level or division.level,
        division_code=division.code if len(division.code) == 6 else None,
        division=division,
        path=path,
        issuer=cues.department or cues.organ or _qualified_source(g, source, division),
        year=year,
        evidence=tuple(why),
    )


# The level a bare self-reference tells without a name (我区 may be a district or an autonomous
# region, 我市 a city or a county-level city: those tell none).
_LEVEL_OF_KIND = {"镇": "township", "乡": "township", "街道": "township", "县": "county",
                  "旗": "county", "州": "city", "盟": "city", "省": "province"}  # fmt: skip


# --- the choice --------------------------------------------------------------------------


def _choose(
    g: Gazetteer, mentions: list[Mention], cues: Cues, year: int | None, evidence: list[str]
) -> tuple[Division | None, str | None]:
    """The one division the evidence agrees on, or None and the level the tied candidates share
    (two 朝阳区 are both county level)."""
    own: defaultdict[str, float] = defaultdict(float)
    spent: defaultdict[tuple[str, str], float] = defaultdict(float)
    named: dict[str, float] = {}  # every division named anywhere → 2 (full name) or 1 (stem)
    candidates: dict[str, Division] = {}
    strong: set[str] = set()
    leading: set[str] = set()  # named where a clause starts (its subject)
    places: defaultdict[str, set[str]] = defaultdict(set)
    for m in mentions:
        for d in m.readings:
            named[d.code] = max(named.get(d.code, 0.0), 2.0 if m.full else 1.0)
            if m.qualifier:
                continue
            add = min(_WEIGHT[m.place], _CAP.get(m.place, 99.0) - spent[d.code, m.place])
            if add > 0:
                spent[d.code, m.place] += add
                own[d.code] += add
                candidates[d.code] = d
            places[d.code].add(m.place)
            if m.place in _STRONG:
                strong.add(d.code)
            if m.leads:
                leading.add(d.code)
    kind = _reporter_kind(cues, candidates, strong)
    allowed = UNIT_KINDS.get(kind or "", frozenset())
    scored: list[tuple[float, Division]] = []
    for code, d in sorted(candidates.items()):
        if allowed and d.kind not in allowed:
            continue
        if not allowed and places[code] <= _CONTEXT:
            continue  # a portal's or a source line's area alone says who hosts, not who wrote
        weak = code not in strong and own[code] < 1.5
        if weak and not (code in leading and _parents_named(g, d, named, year)):
            continue  # named in passing (与邻县签订…), not as a subject whose parents agree
        total = own[code] + _support(g, d, named, cues, kind, year)
        scored.append((total, d))
        evidence.append(f"{g.qualified_name(d, year)} {code}: {own[code]:.1f} → {total:.1f}")
    scored.sort(key=lambda x: -x[0])
    if not scored:
        evidence.append(f"no candidate (reporting as {kind or '?'})")
        return None, None
    best_score, best = scored[0]
    rivals = [d for s, d in scored[1:] if s >= best_score - 0.5 and not g.same_place(best, d)]
    if rivals or best_score < 1.5:
        evidence.append("left open: " + ", ".join(d.name for d in [best, *rivals]))
        levels = {d.level for d in [best, *rivals]}
        return None, levels.pop() if len(levels) == 1 and best_score >= 1.5 else None
    same = [d for _, d in scored if g.same_place(best, d)]
    return next((d for d in same if d.current_in(year)), best), None


def _reporter_kind(cues: Cues, candidates: dict[str, Division], strong: set[str]) -> str | None:
    """The kind of unit the reporting body is, or belongs to for a department."""
    if not cues.is_department:
        kind = cues.self_kind()
        return kind if kind != "department" else None
    if cues.department_unit:
        return cues.department_unit
    if cues.department:  # 湖南省司法厅 → 省
        inside = [d for c, d in candidates.items() if c in strong and d.name in cues.department]
        if inside:
            return cue_kind(inside[-1].kind)
    return None


def _parents_named(g: Gazetteer, d: Division, named: dict[str, float], year: int | None) -> bool:
    return any(p.code in named for p in g.path(d, year)[:-1])


def _support(
    g: Gazetteer,
    d: Division,
    named: dict[str, float],
    cues: Cues,
    kind: str | None,
    year: int | None,
) -> float:
    """How the parents the text names fit `d`'s chain: each named ancestor adds 2 (full name) or
    1 (stem); a bare parent organ (市委, 自治区党委) adds 1 when it is the nearest parent's kind and
    takes 2 when no link of the chain is of its kind."""
    path = g.path(d, year)
    score = sum(named.get(p.code, 0.0) for p in path[:-1])
    chain = [p.kind for p in reversed(path)]  # d, its parent, grandparent …
    for k in cues.parents:
        kinds = UNIT_KINDS.get(k, frozenset({k}))
        if chain[0] in kinds or k == kind:
            continue  # the body itself (区委 in a district's report)
        if len(chain) > 1 and chain[1] in kinds:
            score += 1.0
        elif not kinds & set(chain):
            score -= 2.0
    return score


def _qualified_source(g: Gazetteer, source: str | None, division: Division) -> str | None:
    """The organ of a 来源 line as the issuer, with its division when it names none
    (司法局, 县司法局 → 青石县司法局); a web portal is no issuer."""
    if not source or re.search(r"网站|门户|网$", source):
        return None
    if any(g.is_reading(source[:n]) for n in range(2, min(len(source), 12))):
        return source
    bare = re.sub(r"^(?:" + UNITS + ")", "", source)
    return division.name + bare


# --- a division the user gives (fazhi build --jurisdiction CODE|NAME) ---------------------------


def given_division(name_or_code: str, year: int | None = None) -> Division:
    """The division a user names: a code (511902), a qualified name (四川省成都市武侯区) or a name
    or short name that reads exactly one division in `year`; `UsageError` naming the readings
    otherwise."""
    from fazhi_kg.errors import UsageError

    g = gazetteer()
    text = name_or_code.strip()
    if text.isdigit():
        found = g.division(text, year)
        if found is None:
            raise UsageError(
                f'No division has the code "{text}"; give a GB/T 2260 code such as 511902.'
            )
        return found
    readings = g.by_qualified_name(text, year) or g.readings(text, year)
    places = {d.code: d for d in readings if not d.quasi}
    if len(places) == 1:
        return next(iter(places.values()))
    if not places:
        raise UsageError(
            f'No division is called "{text}"{_in(year)}; give its full name or its code.'
        )
    shown = ", ".join(f"{g.qualified_name(d, year)} ({d.code})" for d in list(places.values())[:6])
    raise UsageError(
        f'"{text}" names {len(places)} divisions: {shown}; give the code or the full name.'
    )


def _in(year: int | None) -> str:
    return f" in {year}" if year is not None else ""


def with_division(meta: ReportMeta, division: Division) -> ReportMeta:
    """`meta` with its jurisdiction, parents, level and code taken from `division` (a department's
    report stays a department's)."""
    from fazhi_kg.extract.reportid import report_id

    g = gazetteer()
    path = g.path(division, meta.year)
    meta = replace(
        meta,
        jurisdiction="".join(d.name for d in path),
        parents=tuple(d.name for d in reversed(path[:-1])),
        level="department" if meta.level == "department" else division.level,
        division_code=division.code if len(division.code) == 6 else None,
        places=places(path),
    )
    return replace(meta, id=report_id(meta))


def places(path: tuple[Division, ...]) -> tuple[Place, ...]:
    """A division's path as the facts keep it."""
    return tuple(Place(d.name, d.level, d.code) for d in path)
