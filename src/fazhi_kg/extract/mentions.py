"""Where a report names divisions and what it says about itself: the evidence `identity` weighs.

A `Mention` is a name (or a province's stem) at a place of the report (title, the opening's subject,
signature, page metadata, a cited document, the slogan 法治X, the opening or the body) with every
division it can mean, a parent written before its child (成都市武侯区) narrowing the child's readings.
`Cues` are what the report says about the kind of body it is: 我县, 全州, 区政府坚持…, a department's
name (司法厅), and the parent organs it names bare (市委, 省政府, 自治区党委).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise

from fazhi_kg.extract.clauses import STOP_WORDS
from fazhi_kg.extract.gazetteer import Division, Gazetteer

__all__ = ["BODY", "OPENING", "UNITS", "UNIT_KINDS", "Cues", "Mention", "cue_kind", "read_evidence"]

_HAN = re.compile(r"[\u4e00-\u9fff]")
UNITS = "自治区|街道|省|市|州|盟|区|县|旗|镇|乡"
# The kinds of division a bare unit word names (我县, 全州, 市委).
UNIT_KINDS: dict[str, frozenset[str]] = {
    "区": frozenset({"区", "自治区"}),  # 全区 in a Guangxi report is the autonomous region
    **{k: frozenset({k}) for k in "省 自治区 市 州 地区 盟 县 旗 镇 乡 街道 苏木".split()},
}
_DEPARTMENT_UNITS = ("厅", "局", "委", "办")
# What follows a division's name in an organ: a government, a township office, a party
# committee, or a department (司法厅, 司法局, 市场监管局)
_GOVERNMENT = ("人民政府", "政府", "街道办事处", "办事处")
_ORGAN = re.compile(
    r"人民政府|政府|街道办事处|办事处|党工委|党委|委(?![员])|"
    r"[\u4e00-\u9fff]{1,14}?(?:局|厅|委员会|委|办公室|署)"
)
_PARTY = re.compile(r"(?:党工委|党委|委)")
# 我县, 本区, 现将我镇…: the body speaking of itself (本区域, 我市场, 全局 and 全面 are not).
_SELF = re.compile(r"(现将)?(?:我|本)(" + UNITS + r"|厅|局|委|办)(?![域场长级员会])")
_WHOLE = re.compile(r"全(" + UNITS + r"|厅|委)(?![域场长面会])")
_RULE_OF = re.compile(r"依法治(省|市|州|区|县|旗|盟)")
# Bare organs of a kind of unit (市委, 省政府, 自治区党委): the parents a report names.
_BARE_ORGAN = re.compile(
    r"(自治区|省|市|州|盟|地区|区|县|旗|镇|乡)(?:党委|委|人民政府|政府|人大)(?!员)"
)
_BEFORE_ORGAN = frozenset("在和及与、对由向经为被按据照实从受请给将把府委会下同")
# what may stand right before a two-character name (2021年涉县, 在易县): not 和, 与, 及 (市政府和县委)
_BEFORE_SHORT = frozenset("年度在对向由经将为从是")
# what ends the clause before a name that leads its clause (…。青石县的做法入选…)
_CLAUSE_END = frozenset("，,。；;：:！!？?\n \u3000")
OPENING = 700  # characters of the body whose first sentences name the subject
BODY = 2500  # characters of the body whose names count as weak evidence


@dataclass(frozen=True)
class Mention:
    """A name at a place of the report (`place`: title, subject, signature, site, cited, slogan,
    opening, body …) and every division it can mean."""

    start: int
    end: int
    readings: tuple[Division, ...]
    place: str
    full: bool = True  # a full name or a suffixed form (凉山州), not a bare stem (巴州)
    qualifier: bool = False  # a parent written before its child (成都市 in 成都市武侯区)
    leads: bool = False  # it starts a clause: the subject of a sentence, not an object


@dataclass
class Cues:
    """What the report says about the kind of body it is."""

    kinds: defaultdict[str, float] = field(
        default_factory=lambda: defaultdict(float)
    )  # 县, 区, 市 … and "department"
    parents: set[str] = field(default_factory=set)  # unit kinds of the bare organs named
    department: str | None = None  # a department's name as written (湖南省司法厅)
    department_unit: str | None = None  # its unit kind when unnamed (区 in 区市场监管局)
    organ: str | None = None  # the issuing organ as written

    def self_kind(self) -> str | None:
        ranked = sorted(self.kinds.items(), key=lambda kv: -kv[1])[:2]
        if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
            return None
        return ranked[0][0]

    @property
    def is_department(self) -> bool:
        return bool(self.department or self.department_unit) or self.self_kind() == "department"


# --- evidence ----------------------------------------------------------------------------


def read_evidence(
    g: Gazetteer,
    text: str,
    title: str,
    body_start: int,
    page: dict[str, str],
    source: str | None,
    year: int | None,
    cues: Cues,
) -> Iterator[Mention]:
    """Every mention of a division in the report, strongest places first, filling `cues` with
    what the report says about itself on the way."""
    _count_cues(text, cues)
    if title:
        yield from _title(g, title, "title", year, cues)
    if page.get("title"):
        yield from _title(g, page["title"], "page-title", year, cues)
    if page.get("site"):
        site = page["site"]
        yield from _names(g, site, 0, len(site), "site", year)
        yield from _leading_stem(g, site, "site", year)
    for organ in (source, page.get("source")):
        if organ:
            yield from _names(g, organ, 0, len(organ), "source", year)
    yield from _subject(g, text, body_start, year, cues)
    yield from _signature(g, text, year, cues)
    yield from _names(g, text, 0, body_start, "opening", year)
    yield from _names(g, text, body_start, body_start + OPENING, "opening", year)
    yield from _names(g, text, body_start + OPENING, body_start + BODY, "body", year)
    for m in re.finditer("法治", text):  # 法治巴州, 法治浙江: the report's slogan
        yield from _leading_stem(g, text[m.end() : m.end() + 12], "slogan", year)
    for m in re.finditer("《", text):  # 《青石县2023年法治政府建设工作要点》
        yield from _chain_at(g, text, m.end(), "cited", year)


def _names(
    g: Gazetteer, text: str, start: int, end: int, place: str, year: int | None
) -> Iterator[Mention]:
    """Full names (and suffixed short forms: 凉山州, 长阳县) in `text[start:end]`; a parent written
    right before its child (成都市武侯区, 五河县人民政府城关镇) narrows the child's readings."""
    i, end = max(0, start), min(len(text), end)
    previous: Mention | None = None
    while i < end:
        name = g.written_name_at(text, i)
        readings = tuple(d for d in g.readings(name, year) if not d.quasi) if name else ()
        if not name:  # a province by its stem (考察浙江, 新疆): a parent, never the subject
            stem = g.province_stem_at(text, i)
            if stem:
                yield Mention(i, i + len(stem), g.provinces(stem), place, False, True)
                i += len(stem)
                continue
        if not name or not readings or _glued(text, i, name, previous):
            i += len(name) if name else 1
            continue
        leads = i == 0 or text[i - 1] in _CLAUSE_END
        m = Mention(i, i + len(name), readings, place, leads=leads)
        if previous is not None and text[previous.end : i] in ("", "人民政府", "政府"):
            parents = {d.code for d in previous.readings}
            narrowed = tuple(
                d for d in readings if any(p.code in parents for p in g.path(d, year)[:-1])
            )
            if narrowed:
                m = Mention(m.start, m.end, narrowed, place, leads=previous.leads)
                previous = Mention(
                    previous.start, previous.end, previous.readings, place, True, True
                )
        if previous is not None:
            yield previous
        previous = m
        i = m.end
    if previous is not None:
        yield previous


def _glued(text: str, i: int, name: str, previous: Mention | None) -> bool:
    """A name that ends a longer word (主城区, 老城区) or, for a two-character name (和县, 城区),
    stands after another character (市政府和县委): not a mention."""
    if i == 0 or (previous is not None and previous.end == i):
        return False
    before = text[i - 1]
    if before in "主城新老全各本我该":
        return True
    return len(name) == 2 and _HAN.match(before) is not None and before not in _BEFORE_SHORT


def _leading_stem(g: Gazetteer, text: str, place: str, year: int | None) -> Iterator[Mention]:
    """The division a bare stem at the start of `text` can mean (巴州, 朝阳, 江西): county level
    and up, full names first."""
    for name in g.names_at(text, 0):
        if name[0] in "全我本各该":
            continue
        found = tuple(d for d in g.readings(name, year) if d.level != "township" and not d.quasi)
        if found:
            yield Mention(0, len(name), found, place, full=g.written_name_at(name, 0) == name)
            return


def _chain_at(g: Gazetteer, text: str, at: int, place: str, year: int | None) -> Iterator[Mention]:
    """The names that start right at `at`, one after the other (北京市朝阳区, 五河县人民政府城关镇)."""
    end = at
    for m in _names(g, text, at, at + 24, place, year):
        if m.start != end and text[end : m.start] not in ("人民政府", "政府"):
            return
        end = m.end
        yield m


def _title(g: Gazetteer, line: str, place: str, year: int | None, cues: Cues) -> Iterator[Mention]:
    """The issuing organ or area that heads a title (青石县人民政府关于…, 中共青石县委 青石县人民政府,
    湖南省司法厅关于…, 2023年度青石县…, 巴州2023年…), and what kind of body it is."""
    inner = re.search(r"《([^《》]*报告)》", line)  # …办公室关于印发《青石县…报告》的通知
    line = inner.group(1) if inner else line
    party = line.lstrip().startswith("中共")
    head = re.sub(r"^\s*(?:关于|中共)", "", line)
    m = re.search(r"关于|(?:19|20)[0-9]{2}\s*年", head)
    lead = head[: m.start()] if m else ""
    if m and not lead.strip():  # 2023年度青石县法治政府建设情况报告: the area follows the year
        lead = re.split(r"法治|依法|年度|工作|情况", head[m.end() :].lstrip("度"), maxsplit=1)[0]
    organs = [o for o in re.split(r"[\s\u3000、]+", lead.strip(" \u3000:：")) if o]
    for n, organ in enumerate(organs):
        found = list(_chain_at(g, organ, 0, place, year)) or list(
            _leading_stem(g, organ, place, year)
        )
        yield from found
        if n < len(organs) - 1:
            continue
        if found:
            _note_kind(found[-1], cues, 3.0)
            rest = organ[found[-1].end :]
        else:  # an area the gazetteer does not know: the organ still tells what body wrote it
            unit = re.match(r"(?:[\u4e00-\u9fff]{2,8}?(?:" + UNITS + "))+", organ)
            rest = organ[unit.end() :] if unit else ""
        if rest and _note_organ(rest, organ, cues) and cues.organ is None and place == "title":
            cues.organ = ("中共" if party else "") + "、".join(organs)


def _note_kind(m: Mention, cues: Cues, weight: float) -> None:
    kinds = {cue_kind(d.kind) for d in m.readings}
    for kind in kinds:
        cues.kinds[kind] += weight / len(kinds)


def _note_organ(word: str, whole: str, cues: Cues) -> bool:
    """Record what the organ after a division's name is (`word`: 人民政府, 街道办事处, 司法厅);
    True for a government or a department, False for a party committee or no organ."""
    if word in _GOVERNMENT:
        return True
    if _PARTY.fullmatch(word) or not _ORGAN.fullmatch(word):
        return False
    if any(stop in word for stop in STOP_WORDS):  # 认真贯彻省委: a verb, not a department
        return False
    cues.department = cues.department or whole
    return True


def cue_kind(kind: str) -> str:
    return "区" if kind == "自治区" else kind


def _subject(
    g: Gazetteer, text: str, body_start: int, year: int | None, cues: Cues
) -> Iterator[Mention]:
    """The subject of the opening's first two sentences: 2023年，青石县坚持…; 在市委…领导下，区政府
    坚持…; 我县…; 区市场监管局坚持…. Addressee lines (省委、省政府：) and clauses that name the
    leadership (在…领导下) or a reason (按照…, 根据…) are skipped."""
    opening = text[body_start : body_start + OPENING]
    sentences = re.match(r"[^。]*。?[^。]*", opening)
    span = sentences.group(0) if sentences else opening
    for clause in re.finditer(r"[^,，;；。:：\n]+", span):
        words = clause.group(0)
        if span[clause.end() : clause.end() + 1] in (":", "：") and len(words) <= 20:
            continue  # an addressee: 市人大常委会：
        lead = re.match(
            r"\s*(?:(?:19|20)[0-9]{2}\s*年(?:度|以来)?|今年|同时|近年来|一年来|现将)?\s*",
            clause.group(0),
        )
        at = body_start + clause.start() + (lead.end() if lead else 0)
        rest = text[at : body_start + clause.end()]
        if not rest or rest.startswith(("在", "按照", "根据", "为", "对照", "围绕", "是", "以")):
            continue
        me = re.match(r"(?:现将)?(?:我|本)(" + UNITS + r"|厅|局|委|办)", rest)
        if me:
            unit = me.group(1)
            cues.kinds["department" if unit in _DEPARTMENT_UNITS else cue_kind(unit)] += 4
            return
        chain = list(_chain_at(g, text, at, "subject", year))
        if chain:
            yield from chain
            child = chain[-1]
            _note_kind(child, cues, 4.0)
            organ = _ORGAN.match(text, child.end)
            if organ and _note_organ(organ.group(0), text[at : organ.end()], cues):
                cues.organ = cues.organ or text[at : organ.end()]
            return
        bare = re.match(r"(自治区|省|市|州|盟|区|县|旗|镇|乡)(" + _ORGAN.pattern + ")", rest)
        if bare and (_PARTY.fullmatch(bare.group(2)) or bare.group(2) in _GOVERNMENT):
            cues.kinds[cue_kind(bare.group(1))] += 4  # 区政府坚持…, 县委、县政府坚持…
            return
        if bare and _note_organ(bare.group(2), "", cues):  # 区市场监管局坚持…
            cues.department_unit = bare.group(1)
            cues.department = cues.department or bare.group(0)
            return


def _signature(g: Gazetteer, text: str, year: int | None, cues: Cues) -> Iterator[Mention]:
    """An organ on a line of its own above a date line at the very end: the signature."""
    lines = [x.strip() for x in text[-300:].splitlines() if x.strip()]
    for organ, date in pairwise(lines):
        if len(organ) > 40 or not re.fullmatch(
            r"(?:19|20)[0-9]{2}\s*年\s*[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*日", date
        ):
            continue
        found = list(_names(g, organ, 0, len(organ), "signature", year))
        named = [x for x in found if not x.qualifier]
        if named and _note_organ(organ[named[-1].end :], organ, cues):
            yield from found
            _note_kind(named[-1], cues, 3.0)
            cues.organ = cues.organ or organ


def _count_cues(text: str, cues: Cues) -> None:
    """The report speaking of itself (我县, 现将我镇…, 全州, 依法治区) and the parent organs it
    names bare (市委, 省政府, 自治区党委)."""
    for m in _SELF.finditer(text):
        unit = m.group(2)
        kind = "department" if unit in _DEPARTMENT_UNITS else cue_kind(unit)
        cues.kinds[kind] += 3 if m.group(1) else 1
    for m in _RULE_OF.finditer(text):
        cues.kinds[cue_kind(m.group(1))] += 0.5
    for m in _WHOLE.finditer(text):
        unit = m.group(1)
        cues.kinds["department" if unit in _DEPARTMENT_UNITS else cue_kind(unit)] += 0.25
    for m in _BARE_ORGAN.finditer(text):
        before = text[m.start() - 1] if m.start() else "\n"
        if not _HAN.match(before) or before in _BEFORE_ORGAN:
            cues.parents.add(m.group(1))
