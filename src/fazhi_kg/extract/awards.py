"""Awards and recognitions: honours won, people honoured, rankings, and selections or
commendations by higher authorities (典型案例, 典型经验, 通报表扬)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fazhi_kg.extract.clauses import CJK, Cover, Quotes, strip_quotes
from fazhi_kg.extract.entities import find_institutions

_HONOUR_VERB = re.compile(
    r"(?:获评|荣获|获得|获|被评为|评为|被命名为|命名为|被表彰为|表彰为|被授予|授予|被确定为|确定为|"
    r"成功创建|创建为|创成|被评选为|评选为|被认定为|认定为|入围|被列为|列为)"
)
_TITLE_AFTER = re.compile(
    r"(?P<pre>(?:国家|全国|省|市|县|区)级|国家|全国|全省|全市)?“(?P<t>[^“”]{2,40})”"
    r"(?:\s*(?P<n>[0-9]+)\s*(?:个|名|人|家|项|所|次|村|户))?"
)
_SELECTION = re.compile(
    r"(?:入选|被评为|评为|被确定为|确定为|被列为|列为|被选为|选为|获评)(?P<t>[^,。;、“”]{2,30}?"
    r"(?:典型案例|典型经验|优秀案例|典型|示范点|示范单位|示范县|示范区|示范市|示范村|先进集体|先进单位|"
    r"先进个人|试点单位|试点|名单|案例|品牌))"
)
_PROMOTED = re.compile(
    r"被(?P<by>[^,。;“”]{2,30}?)作为(?P<t>[^,。;“”]{2,12}?(?:经验|案例|做法|典型|样板|范例))"
    r"(?:推广|推荐|交流|刊发|转发)"
)
_COMMENDED = re.compile(
    r"被(?P<by>[^,。;“”]{2,30}?)(?P<t>通报表扬|通报表彰|通报肯定|表扬|表彰|肯定)"
)
_RANKING = re.compile(
    r"在(?P<ctx>[^,。;]{2,40}?)(?:的[0-9]+个[^,。;]{0,20}?中)?"
    r"(?P<t>排名第[一二三0-9]+|名列第[一二三0-9]+|位列第[一二三0-9]+|位居第[一二三0-9]+|"
    r"排名前[一二三四五六七八九十0-9]+|位列前[一二三四五六七八九十0-9]+)"
)
_LEVELS = (
    ("national", re.compile(r"全国|国家|中央|国务院|最高人民|部级|司法部|公安部")),
    ("provincial", re.compile(r"全省|省级|省|自治区")),
    ("municipal", re.compile(r"全市|市级|市|州")),
    ("county", re.compile(r"全区|全县|区级|县级|县|区")),
    ("township", re.compile(r"乡|镇|街道")),
)
_SUBJECT_TRIM = re.compile(r"^(?:全区|全市|全县|全省|全镇|并|先后|共|累计|其中|同时|此外|另外)+")
_SUBJECT_TAIL = re.compile(r"(?:分别|先后|均|已|共|还|也|又|成功|再次|连续)+$")


@dataclass(frozen=True)
class FoundAward:
    start: int
    end: int
    title: str
    level: str
    recipient: str | None
    count: int | None
    conferred_by: str | None
    recognition: bool
    title_start: int


def level_of(*texts: str | None) -> str:
    """The administrative level an honour's title (or its conferring body) names."""
    for t in texts:
        if not t:
            continue
        for level, rx in _LEVELS:
            if rx.search(t):
                return level
    return "unknown"


SUBJECT_REACH = 200  # characters: a subject is a name, not a page (keeps long lines linear)


def _subject(text: str, verb_start: int) -> tuple[int, str | None]:
    """The subject of a clause that ends at `verb_start` (the unit or practice honoured)."""
    lo = max(0, verb_start - SUBJECT_REACH)
    cs = max(max(text.rfind(c, lo, verb_start) for c in ",。;:!?\n") + 1, lo)
    raw = text[cs:verb_start]
    lead = len(raw) - len(raw.lstrip())
    trimmed = _SUBJECT_TRIM.sub("", raw.strip())
    offset = cs + lead + (len(raw.strip()) - len(trimmed))
    trimmed = _SUBJECT_TAIL.sub("", trimmed)
    trimmed = re.sub(r"^(?:在|于)", "", trimmed)
    if len(trimmed) < 2 or not re.search(f"[{CJK}0-9]", trimmed):
        return verb_start, None
    return offset, trimmed


def _conferrer(by: str) -> str | None:
    found = find_institutions(by, Quotes((), ()))
    return found[0].name if found else None


def _latest_ending(
    text: str, pos: int, out: list[FoundAward], last_ending: dict[int, int]
) -> FoundAward | None:
    """The award found last among those that end at `pos` or before it with only “,”, “并” or
    spaces between (`last_ending` maps an end offset to the latest award's index in `out`)."""
    first = pos
    while first > 0 and text[first - 1] in ",并 ":
        first -= 1
    best = max((last_ending.get(e, -1) for e in range(first, pos + 1)), default=-1)
    return out[best] if best >= 0 else None


def find_awards(text: str, quotes: Quotes, *, start: int = 0) -> list[FoundAward]:
    """Every honour and recognition in `text[start:]`, in text order."""
    out: list[FoundAward] = []
    for m in _HONOUR_VERB.finditer(text, start):
        if quotes.inside_quote(m.start()):
            continue
        subj_start, recipient = _subject(text, m.start())
        pos = m.end()
        first = True
        while True:
            tm = _TITLE_AFTER.match(text, pos)
            if not tm:
                break
            title = (tm.group("pre") or "") + strip_quotes(tm.group("t")).replace("‘", "").replace(
                "’", ""
            )
            count = int(tm.group("n")) if tm.group("n") else None
            s = subj_start if recipient else tm.start()
            out.append(
                FoundAward(
                    s, tm.end(), title, level_of(title), recipient, count, None, False, tm.start()
                )
            )
            first = False
            sep = re.match(r"\s*(?:、|,|和|及|与)?\s*", text[tm.end() :])
            pos = tm.end() + (sep.end() if sep else 0)
        if not first:
            continue
    found = sorted(
        ((m, rx) for rx in (_SELECTION, _PROMOTED, _COMMENDED) for m in rx.finditer(text, start)),
        key=lambda x: x[0].start(),
    )
    inside_honour = Cover([(a.start, a.end) for a in out])  # all honours, no recognition yet
    last_ending = {a.end: i for i, a in enumerate(out)}  # the latest award ending at each offset
    for m, rx in found:
        if quotes.inside_quote(m.start()) or inside_honour(m.start()):
            continue
        if rx is _SELECTION and text[m.start("t") : m.start("t") + 1] == "“":
            continue
        title = m.group("t")
        by = _conferrer(m.group("by")) if "by" in m.groupdict() else None
        subj_start, recipient = _subject(text, m.start())
        if recipient is None:
            # “…并入选…”: the subject is the one of the clause before
            prev = _latest_ending(text, m.start(), out, last_ending)
            if prev is not None:
                subj_start, recipient = prev.start, prev.recipient
        s = subj_start if recipient else m.start("t")
        level = level_of(title, m.group("by") if "by" in m.groupdict() else None)
        out.append(FoundAward(s, m.end("t"), title, level, recipient, None, by, True, m.start("t")))
        last_ending[out[-1].end] = len(out) - 1
    for m in _RANKING.finditer(text, start):
        subj_start, recipient = _subject(text, m.start())
        title = re.sub(r"(?:的|中)$", "", m.group("ctx")) + m.group("t")
        s = subj_start if recipient else m.start()
        out.append(
            FoundAward(
                s, m.end(), title, level_of(title), recipient, None, None, True, m.start("ctx")
            )
        )
    out.sort(key=lambda a: (a.start, a.end))
    return out
