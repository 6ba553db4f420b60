"""Awards: honours, titles, rankings, selections and commendations received
(shared/eval/ANNOTATION.md, "awards"), with level, recipient, count and conferring body.

Four readings:
- an honour verb and the titles after it (被评为 / 获评 / 荣获 / 入选 / 被命名为 / 被表彰为 …), with the
  conferring body where the text puts it between 被 and the verb (被省司法厅评为);
- commendations and promotions (被省政府通报表扬, 被…作为典型经验推广, 经验向全省推广);
- rankings (在全省…中排名第一, 位列…全国前十, 以全市综合第一);
- results of evaluations (在全市…考核中考核优秀).
The level is the conferring body's, else the one the title names (全国/国家 national, 全省/省级
provincial, 全市/市级 municipal, 县级 county; a province's or a prefecture's name counts as its level;
in a municipality directly under the central government 全市 is provincial).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from fazhi_kg.extract.clauses import CJK, Cover, Quotes
from fazhi_kg.extract.found import Spans
from fazhi_kg.extract.gazetteer import gazetteer
from fazhi_kg.extract.institutions import find_institutions

# Verbs that confer an honour whatever its title (被评为…), and verbs that need the title to
# look like one (获 / 获得 / 列为 / 创成 …: 获得群众好评 is no honour).
_STRONG_VERBS = (
    "评为 评选为 表彰为 命名为 授予 推荐为 拟推荐为 获评 荣获 获选 入选 入围 被评为 被评选为 被表彰为 "
    "被命名为 被授予 被推荐为 被拟推荐为"
).split()
_WEAK_VERBS = "获得 获 确定为 认定为 列为 选为 创成 成功创建 创建为".split()
_VERB_RX = re.compile(
    r"(?:被(?P<by>[^,。;:“”被\n]{2,24}?))?(?P<v>"
    + "|".join(sorted(map(re.escape, _STRONG_VERBS + _WEAK_VERBS), key=len, reverse=True))
    + r"|记(?=集体|个人|[一二三]等功))(?!感|悉|取|批|益|奖励|得感|了)"
)
_HONOUR_END = re.compile(
    r"(?:示范[县市区村镇乡点校]?|示范(?:单位|项目|基地|街道|社区|地区|窗口|品牌|工程)|先进(?:集体|单位|个人|"
    r"工作者|县|市|区)?|典型案例|优秀案例|案例|典型经验|经验|典型|称号|荣誉|[一二三]等奖|奖|优秀|"
    r"第[一二三四五六七八九十0-9]+名?|品牌|项目|试点(?:单位|县|市|区|地区)?|模范[^,。;]{0,8}|能手|标兵|"
    r"[^,。;]员|[^,。;]所|城市|事件|候选[县市区]|榜单|最佳实践|名单|集体|个人|等功|[县市区]|单位|"
    r"村|社区|校|窗口|[一二三]级)$"
)
_TITLE_STOP = re.compile(
    r"[,。;:!?\n]|并(?!列)|为[^民]|的(?:成绩|荣誉)|以来|报(?=[中省市国])|入选|获评|荣获|被评为|评为"
)
_SOURCE_TITLE = re.compile(r"^《([^《》]{2,20})》")
_COUNT_BEFORE = re.compile(r"([0-9]+)\s*(?:个|名|人|家|项|所|村|户)([\u4e00-\u9fff]{0,6})$")
_PROMOTED = re.compile(
    r"被(?P<by>[^,。;“”]{2,30}?)作为(?P<t>[^,。;“”]{2,12}?(?:经验|案例|做法|典型|样板|范例))"
    r"(?P<v>推广|推荐|交流|刊发|转发)"
)
_SPREAD = re.compile(
    r"(?P<t>[^,。;]{2,40}?(?:经验|做法))(?:被)?(?:向|在)(?P<scope>全国|全省|全市|全区|全县)(?:推广|交流)"
)
# put forward by others without 被 (…作为全省“优秀改革案例”进行参评展示); 将/把 before it is the
# report's own promotion of something, no honour received
_PUT_FORWARD = re.compile(
    r"作为(?P<t>[^,。;作]{2,30}?(?:案例|经验|做法|典型|样板|范例)”?)(?:进行|在[^,。;]{2,6})?"
    r"(?P<v>参评展示|展示|推广|交流|推荐)"
)
# an honour held, whose results are kept (巩固全省首批…示范县创建成果)
_HELD = re.compile(r"巩固(?:提升)?(?P<t>[^,。;]{4,30}?)(?:创建|创成)成果")
_COMMENDED = re.compile(
    r"(?:被|获|受到|获得)(?P<by>[^,。;“”]{2,30}?)(?P<t>通报表扬|通报表彰|通报肯定|表扬|表彰|批示肯定)"
    r"(?!为)"
)
_RANK = (
    r"第[一二三四五六七八九十0-9]+(?:名|位|档次)?|前[一二三四五六七八九十0-9]+(?:名|位)?|前茅|前列"
)
_RANK_END = re.compile(rf"(?:{_RANK})$")
_RANKING = re.compile(
    rf"(?P<verb>排名|位列|位居|名列)(?P<ctx>[^,。;排位名列]{{0,24}}?)(?P<rank>{_RANK})"
)
_FIRST_OF = re.compile(
    r"以(?P<t>(?:全国|全省|全市|全区|全县)[\u4e00-\u9fff]{0,10}?第[一二三四五六七八九十]+名?)"
)
_EVALUATED = re.compile(
    r"在(?P<ctx>[^,。;在]{2,30}?(?:考核|评估|考评|测评|评议|检查|评比|评选|竞赛|比赛|抽检|督察))中"
    r"(?:获得|获评|被评为|评为|评定为|荣获|位列|位居|排名|名列)?"
    r"(?P<res>[^,。;]{0,8}?(?:优秀|良好|先进|A级|满分|[一二三]等奖|等次|"
    r"第[一二三四五六七八九十0-9]+名?(?!批|次|届)|前[一二三四五六七八九十0-9]+名?))"
)
_LEVELS = (
    ("national", re.compile(r"全国|国家|中国|中央|国务院|最高人民|部级|司法部|公安部")),
    ("provincial", re.compile(r"全省|省级|省|自治区")),
    ("municipal", re.compile(r"全市|市级|市|州")),
    ("county", re.compile(r"全区|全县|区级|县级|县|区")),
    ("township", re.compile(r"乡|镇|街道")),
)
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
_SUBJECT_TRIM = re.compile(
    r"^(?:全区|全市|全县|全省|全镇|并|先后|共|累计|其中|同时|此外|另外|[0-9]{4}年(?:[0-9]{1,2}月)?|以来)+"
)
_SUBJECT_TAIL = re.compile(
    r"(?:分别|先后|均|已|共|还|也|又|成功|再次|连续[一二三四五六七八九十0-9]+年|系[^,。]*)+$"
)
_AREA_SUBJECT = re.compile(r"^(?:全[区市县省镇乡]|我[区市县省镇乡])")
_ANAPHOR = re.compile(r"^(?:相关|该|此|这一|上述)?(?:经验)?做法$|^该(?:平台|机制|模式|项目)$")
_METRIC_END = re.compile(r"(?:指数|率|得分|成绩)$")
SUBJECT_REACH = 200  # characters: a subject is a name, not a page (keeps long lines linear)


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
    ranking: bool = False  # a rank or result in an evaluation: its words may name the evaluation


@cache
def _place_levels() -> tuple[tuple[str, str], ...]:
    """Short names of provinces and prefectures (浙江, 深圳) with their level, longest first."""
    current = [d for d in gazetteer() if d.valid_to is None and not d.quasi]
    out = {_core(d.name): "provincial" for d in current if d.level == "province"}
    for d in current:
        if d.level == "city":
            out.setdefault(_core(d.name), "municipal")
    return tuple(sorted(((k, v) for k, v in out.items() if len(k) >= 2), key=lambda x: -len(x[0])))


def _core(place: str) -> str:
    return re.sub(
        r"(?:[\u4e00-\u9fff]{1,4}族)*(?:自治区|自治州|特别行政区|地区|省|市|盟)$", "", place
    )


def level_of(*texts: str | None, municipality: bool = False) -> str:
    """The administrative level an honour's title (or its conferring body) names."""
    for t in texts:
        if not t:
            continue
        for level, rx in _LEVELS:
            if rx.search(t):
                if level == "municipal" and municipality:
                    return "provincial"
                return level
        for place, level in _place_levels():
            if place in t:
                return level
    return "unknown"


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
    if trimmed.startswith("以"):
        return verb_start, None  # 以全省第一的成绩被评为…: the means, not who is honoured
    if len(trimmed) < 2 or not re.search(f"[{CJK}0-9]", trimmed):
        return verb_start, None
    return offset, trimmed


def _clause_start(text: str, pos: int) -> int:
    """Where the clause around `pos` starts, looked for no further back than SUBJECT_REACH."""
    lo = max(0, pos - SUBJECT_REACH)
    return max(max(text.rfind(c, lo, pos) for c in ",。;:!?\n") + 1, lo)


def _conferrer(by: str | None) -> str | None:
    if not by:
        return None
    found = find_institutions(by, Quotes((), ()))
    return found[0].name if found else None


def _split_titles(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """The titles in `text[s:e]`: “A”“B”, A、B (each long enough to be a title)."""
    piece = text[s:e]
    quoted = list(re.finditer(r"(?:[^“”、和及与]{0,6})“[^“”]+”(?:[^“”、和及与]{0,4})", piece))
    if len(quoted) >= 2 and "".join(q.group(0) for q in quoted).strip("、和及与 ") != "":
        return [(s + q.start(), s + q.end()) for q in quoted]
    parts = re.split(r"、|和(?=[全省市国县区“])", piece)
    if len(parts) >= 2 and all(len(p) >= 4 for p in parts):
        out, pos = [], s
        for p in parts:
            out.append((pos, pos + len(p)))
            pos += len(p) + 1
        return out
    return [(s, e)]


def _uncount(t: str) -> tuple[str, int | None]:
    """A title without the count written after it (“…示范村”2个 → 2)."""
    m = re.search(r"\s*([0-9]+)\s*(?:个|名|人|家|项|所|次|村|户|件)$", t)
    return (t[: m.start()], int(m.group(1))) if m else (t, None)


def _clean_title(t: str) -> str:
    t = re.sub(r"(?:荣誉)?称号$|荣誉$", "", t.strip())
    if t.startswith("“") and t.endswith("”") and t.count("“") == 1:
        t = t[1:-1]
    return t


class _Finder:
    """Reads the awards of one text; `out` in text order once done."""

    def __init__(self, text: str, quotes: Quotes, area: tuple[str, ...]) -> None:
        self.text = text
        self.quotes = quotes
        self.area = next((a for a in area if a), None)
        self.municipality = any(a in _MUNICIPALITIES for a in area)
        self.out: list[FoundAward] = []
        self.unresolved: dict[int, int] = {}  # award index → where its verb starts

    def level(self, *texts: str | None) -> str:
        return level_of(*texts, municipality=self.municipality)

    def recipient(self, verb_start: int) -> tuple[int, str | None, int | None]:
        """Where the statement starts, who is honoured, and how many (8所学校入选 → 8)."""
        s, who = _subject(self.text, verb_start)
        cs = _clause_start(self.text, verb_start)
        if re.match(r"^\s*(?:系|为|是)", self.text[cs:verb_start]):
            s, who = _subject(self.text, max(0, cs - 1))  # …案例,系全省唯一获选…: the clause before
            who = re.sub(r"“[^“”]*”.*$", "", who or "") or None
        count = None
        if who:
            counted = _COUNT_BEFORE.search(who)
            if counted:
                count = int(counted.group(1))
                who = counted.group(2) or who
            if _AREA_SUBJECT.match(who) or re.fullmatch(r"[0-9]+\s*[个名人家项所村户]", who):
                who = self.area or who
            elif _ANAPHOR.match(who):
                who = self.anaphor(s, who)
        else:
            who = self.area
        return s, who, count

    def anaphor(self, pos: int, word: str) -> str:
        """相关做法, 经验做法: the practice named last before (“…”做法)."""
        lo = max(0, pos - SUBJECT_REACH)
        q = [x for x in self.quotes.quoted if lo <= x[0] < pos]
        if not q:
            return word
        s, e = q[-1]
        return f"“{self.text[s:e]}”{re.sub(r'^(?:相关|该|此|这一|上述)', '', word)}"

    def add(self, s: int, e: int, title: str, level: str, who: str | None, **kw: object) -> None:
        self.out.append(
            FoundAward(
                start=s,
                end=e,
                title=title,
                level=level,
                recipient=who,
                count=kw.get("count"),  # type: ignore[arg-type]
                conferred_by=kw.get("by"),  # type: ignore[arg-type]
                recognition=bool(kw.get("recognition", False)),
                title_start=int(kw.get("title_start", s)),  # type: ignore[call-overload]
                ranking=bool(kw.get("ranking", False)),
            )
        )

    def honours(self, start: int) -> None:
        text = self.text
        for m in _VERB_RX.finditer(text, start):
            if self.quotes.inside_quote(m.start()) or self.quotes.inside_title(m.start("v")):
                continue
            te = m.end()
            stop = _TITLE_STOP.search(text, te, min(len(text), te + 60))
            if stop is None and te + 60 >= len(text):
                continue  # the excerpt ends inside the title: a title cut off is no title
            if stop is None:
                continue  # no end within reach: a sentence, not a title
            end = stop.start()
            while end > te and text[end - 1].isspace():
                end -= 1
            raw = text[te:end]
            weak = m.group("v").lstrip("被") in _WEAK_VERBS
            if (
                len(raw) < 3
                or raw.startswith(("此", "该", "这", "其"))
                or (
                    weak
                    and "“" not in raw
                    and not _HONOUR_END.search(_clean_title(_uncount(raw)[0]))
                )
            ):
                continue
            s, who, count = self.recipient(m.start())
            own_subject = bool(_subject(text, m.start())[1])
            by = _conferrer(m.group("by"))
            titles = _split_titles(text, te, end)
            several = len(titles) > 1
            for k, (ts, tend) in enumerate(titles):
                piece, n_after = _uncount(text[ts:tend])
                title = _clean_title(piece)
                if len(title) < 3:
                    continue
                n = n_after if n_after is not None else (None if several else count)
                source = _SOURCE_TITLE.match(title)
                conferrer = by or (source.group(1) if source else None)
                level = self.level(m.group("by")) if by else "unknown"
                if level == "unknown":
                    level = self.level(title)
                recog = bool(re.search(r"案例|经验|典型$|名单|第[一二三四五六七八九十0-9]", title))
                if not own_subject:
                    self.unresolved[len(self.out)] = m.start()  # …通报表扬,并入选…: said before
                self.add(
                    s if k == 0 else ts,  # each honour after the first is stated by its title
                    tend,
                    title,
                    level,
                    who,
                    count=n,
                    by=conferrer,
                    recognition=recog,
                    title_start=ts,
                    # 荣获法治深圳建设考评第一: a rank, whose words name the evaluation
                    ranking=bool(_RANK_END.search(title)),
                )

    def resolve(self) -> None:
        """Honours stated with no subject of their own (…通报表扬,并入选…) take the subject of
        the award stated right before them, where there is one."""
        for i, verb in sorted(self.unresolved.items()):
            first = verb
            while first > 0 and self.text[first - 1] in ",并 ":
                first -= 1
            prev = [b for b in self.out if first <= b.end <= verb]
            if prev:
                p = max(prev, key=lambda b: b.end)
                self.out[i] = replace(self.out[i], start=p.start, recipient=p.recipient)

    def recognitions(self, start: int) -> None:
        text = self.text
        taken = Cover([(a.title_start, a.end) for a in self.out])
        for rx in (_PROMOTED, _COMMENDED):
            for m in rx.finditer(text, start):
                if self.quotes.inside_quote(m.start()) or taken(m.start("t")):
                    continue
                s, who, _ = self.recipient(m.start())
                by_text = m.group("by")
                by = _conferrer(by_text)
                if rx is _PROMOTED:
                    title = m.group("t") + m.group("v")
                else:
                    title = re.sub(r"^(?:了)", "", by_text) + m.group("t")
                level = self.level(by_text, title)
                self.add(
                    s, m.end(), title, level, who, by=by, recognition=True, title_start=m.start("t")
                )
        self.put_forward(start, taken)
        for m in _SPREAD.finditer(text, start):
            if self.quotes.inside_quote(m.start()) or taken(m.end() - 1):
                continue
            if any(a.start <= m.start() < a.end for a in self.out):
                continue
            title = text[m.start() : m.end()]
            cs = _clause_start(text, m.start())
            title = text[max(cs, m.start()) : m.end()].strip()
            self.add(
                m.start(),
                m.end(),
                title,
                self.level(m.group("scope")),
                self.area,
                recognition=True,
                title_start=m.start(),
            )

    def put_forward(self, start: int, taken: Cover) -> None:
        """Practices put forward as examples (…作为…案例进行参评展示) and honours held
        (巩固…示范县创建成果)."""
        text = self.text
        for m in _PUT_FORWARD.finditer(text, start):
            cs = _clause_start(text, m.start())
            if taken(m.start("t")) or re.search(r"[将把]", text[cs : m.start()]):
                continue
            title = m.group("t") + m.group("v")
            s, who, _ = self.recipient(m.start())
            who = self.anaphor(m.start(), "") if who and "“" in who else who
            level = self.level(title)
            self.add(s, m.end(), title, level, who, recognition=True, title_start=m.start("t"))
        for m in _HELD.finditer(text, start):
            title = _clean_title(m.group("t"))
            if taken(m.start("t")) or not _HONOUR_END.search(title):
                continue
            level = self.level(title)
            self.add(m.start(), m.end(), title, level, self.area, title_start=m.start("t"))

    def rankings(self, start: int) -> None:
        text = self.text
        taken = Cover([(a.title_start, a.end) for a in self.out])
        for m in _RANKING.finditer(text, start):
            if self.quotes.inside_quote(m.start()) or taken(m.start()):
                continue
            cs = _clause_start(text, m.start())
            clause = text[cs : m.start()]
            who: str | None = None
            pre = clause
            at = clause.rfind("在")
            if at >= 0:
                who_part, pre = clause[:at], clause[at + 1 :]
                if who_part and not _METRIC_END.search(who_part):
                    who = _SUBJECT_TRIM.sub("", who_part) or None
                else:
                    pre = who_part + pre
            elif m.group("verb") != "排名" and not _METRIC_END.search(clause):
                who, pre = (_SUBJECT_TAIL.sub("", _SUBJECT_TRIM.sub("", clause)) or None), ""
            ctx = pre + m.group("ctx")
            ctx = re.sub(r"[0-9]+\s*[个家名所]|的|中$|^以", "", ctx)
            ctx = re.sub(r"中(?=排名|$)", "", ctx)
            verb = m.group("verb") if m.group("verb") in ("位居", "位列") and not ctx else ""
            title = ctx + verb + ("排名" if m.group("verb") == "排名" else "") + m.group("rank")
            title = re.sub(r"^(?:连续[一二三四五六七八九十0-9]+年)", "", title)
            if len(title) < 4:
                continue
            s = cs if who else m.start()
            self.add(
                s,
                m.end(),
                title,
                self.level(title),
                who or self.area,
                recognition=True,
                ranking=True,
                title_start=m.start(),
            )
        for m in _FIRST_OF.finditer(text, start):
            if taken(m.start()) or any(a.title_start <= m.start() < a.end for a in self.out):
                continue
            s, who, _ = self.recipient(m.start())
            t = m.group("t")
            self.add(
                m.start(),
                m.end(),
                t,
                self.level(t),
                who,
                recognition=True,
                ranking=True,
                title_start=m.start("t"),
            )
        for m in _EVALUATED.finditer(text, start):
            if self.quotes.inside_quote(m.start()) or taken(m.start("res")):
                continue
            s, who, _ = self.recipient(m.start())
            title = m.group("ctx") + re.sub(
                r"^(?:获得|获评|位列|位居|排名|名列)", "", m.group("res")
            )
            self.add(
                s,
                m.end(),
                title,
                self.level(title),
                who,
                recognition=True,
                ranking=True,
                title_start=m.start("ctx"),
            )


def find_awards(
    text: str, quotes: Quotes, *, start: int = 0, area: tuple[str, ...] = ()
) -> list[FoundAward]:
    """Every honour and recognition in `text[start:]`, in text order. `area` is the reporting
    government's jurisdiction and its parents: the recipient where the report honours itself, and
    whether 全市 is a provincial level."""
    finder = _Finder(text, quotes, area)
    finder.honours(start)
    finder.recognitions(start)
    finder.rankings(start)
    finder.resolve()
    kept: list[FoundAward] = []
    taken = Spans()
    for a in finder.out:  # one award per stretch of title, the first reading kept
        if not taken.overlaps(a.title_start, a.end):
            kept.append(a)
            taken.add(a.title_start, a.end)
    return sorted(kept, key=lambda a: (a.start, a.end, a.title))
