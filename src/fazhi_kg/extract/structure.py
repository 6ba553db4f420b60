"""The heading tree of a report and the legal part each top-level section serves.

Heading layers of the genre: `一、` › `(一)` › `1.` / `1、` / `一是` / `一要` › `(1)`. A heading starts a
line, follows a sentence end inside a paragraph (run-in: `…成效。1.强化学法用法。`), or follows a run
of spaces where a web page flattened its lines (`…报告如下: 一、主要举措 (一)…`). Parts follow the
2019 《法治政府建设与责任落实督察工作规定》 (art. 25): first-responsible-person duties, measures and
results, shortcomings, next-year plans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from fazhi_kg.facts import Section, Span
from fazhi_kg.text.read import SourceText

CN_DIGITS = "一二三四五六七八九十"
_CN = f"[{CN_DIGITS}]{{1,3}}"

# (kind, regex) of the headings that open a line (or a flattened line). Order matters: (一) before (1).
_LINE_HEADINGS = (
    ("cn", re.compile(rf"(?P<num>{_CN})\s*[、.,]\s*")),
    ("paren_cn", re.compile(rf"\((?P<num>{_CN})\)\s*")),
    ("arabic", re.compile(r"(?P<num>[0-9]{1,2})\s*(?:[.、](?![0-9])|\s)\s*")),
    ("paren_arabic", re.compile(r"\((?P<num>[0-9]{1,2})\)\s*")),
)
# A run of spaces followed by a heading marker: a line break a web page flattened away.
_FLATTENED = re.compile(
    rf"[ \t]+(?={_CN}[、.]|\({_CN}\)|[0-9]{{1,2}}[.、](?![0-9])|\([0-9]{{1,2}}\)|{_CN}[是要](?![非否]))"
)
# Headings that run in after a sentence end inside a paragraph; 一是 items also after a comma.
_INLINE = re.compile(
    rf"(?<=[。;:!?])[ \t]*(?:(?P<cn>{_CN})、|\((?P<pcn>{_CN})\)"
    rf"|(?P<ar>[0-9]{{1,2}})[.、](?![0-9])|\((?P<par>[0-9]{{1,2}})\))"
    rf"|(?:(?<=^)|(?<=[。;:!?,\n]))[ \t]*(?P<item>{_CN})(?P<kind>是|要|方面)(?![非否])"
)
_INLINE_KIND = {"cn": "cn", "pcn": "paren_cn", "ar": "arabic", "par": "paren_arabic"}
_RANKS = {"cn": 1.0, "paren_cn": 2.0, "arabic": 3.0, "item": 3.5, "paren_arabic": 4.0}
_TITLE_END = re.compile(r"[。;!?]|$", re.MULTILINE)

_PLAN_WORDS = re.compile(r"下步|下一步|下一年|明年|今后|打算|计划|安排|思路|展望|重点工作")
_MEASURE_WORDS = re.compile(r"举措|成效|情况|做法|成绩|进展|开展|主要工作|重点事项")
_PART_RULES = (
    ("duties", re.compile(r"第一责任人|主要负责人|履行.{0,12}职责|领导干部.{0,6}(?:述法|职责)")),
    ("problems", re.compile(r"问题|不足|短板|差距|薄弱|困难")),
)
_OVERVIEW = re.compile(r"概述|概况|说明|前言|引言|附件|附表|附录")
# A heading that names the leaders' first responsibility (strong), or the responsibility of the
# leadership in general (weak: 压实主体责任, 抓实关键少数), and a sentence in which the leaders act.
_DUTY_STRONG = re.compile(r"第一责任|主要负责(?:人|同志)|履行.{0,12}职责")
_DUTY_WEAK = re.compile(r"责任|关键少数")
_LEADER = re.compile(r"主要负责(?:同志|人)|主要领导|一把手")
_CLAUSE = re.compile(r"[^,;。:!?\s]+")
_BOOK_TITLE = re.compile(r"《[^《》\n]*》")
_YEAR = re.compile(r"((?:19|20)[0-9]{2})\s*年")

# The end of a report: 特此报告, the signature and the date under it (and page furniture after them).
_CLOSING_LINE = re.compile(
    r"特此报告[。.]?"
    r"|(?:19|20)[0-9]{2}\s*年\s*[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*日"
    r"|二[〇零○O][一二三四五六七八九〇零○O]{2}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日"
    r"|(?:[\u4e00-\u9fff()]{2,30}(?:人民政府|政府|委员会|办公室|办事处|[局厅委院所])\s*){1,3}"
)
# Lines a web page ends with after the report: links to other documents, footers.
_PAGE_TAIL = re.compile(
    r"(?:报告|要点|方案|通知|办法|规定|意见|公告|计划|总结|规划|纲要)$"
    r"|版权|主办|承办|ICP|备案号|标识码|联系我们|技术支持|电话|地址|邮编"
)
_BARE_HEADINGS = tuple(re.compile(rx.pattern + r"[^。;!?]{1,60}。?") for _, rx in _LINE_HEADINGS)
_FURNITURE_LINE = re.compile(r".{0,30}(?:扫一扫|打印|关闭|分享|收藏|返回顶部|责任编辑).{0,30}")


@dataclass(frozen=True)
class _Mark:
    kind: str
    num: str
    start: int  # of the marker in norm
    title_start: int
    title_end: int


def cn_number(s: str) -> int:
    """一 → 1, 十二 → 12, 二十一 → 21."""
    vals = {c: i + 1 for i, c in enumerate(CN_DIGITS)}
    if s == "十":
        return 10
    if "十" in s:
        tens, _, units = s.partition("十")
        return (vals.get(tens, 1) if tens else 1) * 10 + (vals.get(units, 0) if units else 0)
    return vals.get(s, 0)


def reading_start(text: str, body_start: int) -> int:
    """Where headings and figures may start: after the title and the furniture lines under it.

    `body_start` comes from the header reader; where a line it skipped is prose (a sentence end or
    a long line) or a heading, the report has no title line of its own and the body starts there.
    """
    pos = 0
    for line in text[:body_start].split("\n"):
        stripped = line.strip()
        if stripped and (
            re.search(r"[。;]", stripped)
            or len(stripped) > 80
            or any(rx.match(stripped) for kind, rx in _LINE_HEADINGS if kind != "arabic")
        ):
            return pos + len(line) - len(line.lstrip())
        pos += len(line) + 1
    return body_start


def closing_start(text: str) -> int:
    """Where the closing begins (特此报告, signature, date and furniture after them), or the text's
    end: no fact is read from it."""
    lines = text.split("\n")
    pos = len(text)
    start = len(text)
    closing = False
    for line in reversed(lines):
        pos -= len(line)
        stripped = line.strip()
        if stripped and not _FURNITURE_LINE.fullmatch(stripped):
            if not _CLOSING_LINE.fullmatch(stripped):
                break
            closing = True
        start = pos
        pos -= 1  # the newline before the line
    return start if closing else len(text)


def stops_early(text: str) -> bool:
    """Whether the text breaks off (an excerpt of a report): no closing, and after the page's
    trailing links and footers its last line ends no sentence or is a heading without its text.
    The parts an excerpt does not reach are not missing from the report."""
    if closing_start(text) < len(text):
        return False
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    while lines and (
        _FURNITURE_LINE.fullmatch(lines[-1])
        or (len(lines[-1]) <= 40 and _PAGE_TAIL.search(lines[-1]))
    ):
        lines.pop()
    if not lines:
        return False
    segments = _segments(lines[-1], 0)
    last = lines[-1][segments[-1][0] :].strip()
    if any(rx.fullmatch(last) for rx in _BARE_HEADINGS):
        return True  # a heading whose text is not there
    # a sentence ends in 。 or ! or ?, also inside a closing mark (…。” ); a closing mark with no
    # such end before it (形成“书记抓、抓书记”) is cut off mid-sentence
    return last.rstrip('”’"》)')[-1:] not in ("。", ".", "!", "?")


def _segments(text: str, start: int) -> list[tuple[int, int, bool]]:
    """Lines of `text[start:]` as (start, end, flattened), a flattened line split again at its
    headings."""
    out: list[tuple[int, int, bool]] = []
    pos = start
    for line in text[start:].split("\n"):
        line_start = pos
        line_end = pos + len(line)
        pos = line_end + 1
        cut = line_start
        splits = list(_FLATTENED.finditer(text, line_start, line_end))
        for m in splits:
            out.append((cut, m.start(), True))
            cut = m.end()
        out.append((cut, line_end, bool(splits)))
    return out


def _title_end(text: str, title_start: int, seg_end: int, *, flattened: bool = False) -> int:
    """Where a heading's title ends: at a sentence end, the end of its line, or (on a flattened
    line, where a space stands for the line break) at a space."""
    tm = _TITLE_END.search(text, title_start, seg_end)
    end = tm.start() if tm else seg_end
    if flattened:
        sm = re.compile(r"\s").search(text, title_start, end)
        end = sm.start() if sm else end
    return end


def _marks(text: str, start: int, end: int) -> list[_Mark]:
    marks: list[_Mark] = []
    segments = _segments(text, start)
    seg_ends = [e for _, e, _ in segments]
    for seg_start, seg_end, flattened in segments:
        if seg_start >= end:
            break
        chunk = text[seg_start:seg_end]
        lead = seg_start + len(chunk) - len(chunk.lstrip())
        for kind, rx in _LINE_HEADINGS:
            m = rx.match(text, lead, seg_end)
            if not m:
                continue
            title_start = m.end()
            if title_start >= seg_end or (kind == "arabic" and text[title_start].isdigit()):
                break
            marks.append(
                _Mark(
                    kind,
                    m.group("num"),
                    lead,
                    title_start,
                    _title_end(text, title_start, seg_end, flattened=flattened),
                )
            )
            break
    has_second_side = "二方面" in text
    for m in _INLINE.finditer(text, start, end):
        if m.group("item"):
            if m.group("kind") == "方面" and not has_second_side:
                continue  # 一方面…另一方面 is a turn of phrase, not a list
            kind, num, mstart = "item", m.group("item") + m.group("kind"), m.start("item")
        else:
            group = next(g for g in _INLINE_KIND if m.group(g))
            kind, num = _INLINE_KIND[group], m.group(group)
            mstart = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
        if any(mk.start == mstart for mk in marks):
            continue
        i = next((k for k, e in enumerate(seg_ends) if e >= m.end()), len(seg_ends) - 1)
        marks.append(_Mark(kind, num, mstart, m.end(), _title_end(text, m.end(), seg_ends[i])))
    marks.sort(key=lambda mk: mk.start)
    # a heading whose title runs into the end of the text is cut off (an excerpt): no heading
    return [mk for mk in marks if mk.title_end < len(text.rstrip(" \t")) and mk.title_end < end]


def _path_label(kind: str, num: str) -> str:
    if kind in ("paren_cn", "paren_arabic"):
        return f"({num})"
    return num


def classify_part(title: str, year: int | None = None) -> str:
    """Which legally required part a top-level heading serves, from its wording and the year it
    names: a later year than the report's is next year's plans (2024年工作安排 in a 2023 report),
    the report's own year is its measures (一、2023年主要工作情况)."""
    for part, rx in _PART_RULES:
        if rx.search(title):
            return part
    years = [int(y) for y in _YEAR.findall(title)]
    if _PLAN_WORDS.search(title) and not _MEASURE_WORDS.search(title):
        return "plans"
    if year is not None and years:
        return "plans" if max(years) > year else "measures"
    if _OVERVIEW.search(title):
        return "other"  # 落实年度报告制度概述: about the report, not the year's work
    # any other heading names a field of the year's work (依法全面履行政府职能, 优化法治化营商环境):
    # the parts of a report that numbers its measures themselves
    return "measures"


def sections(
    src: SourceText, body_start: int = 0, *, year: int | None = None
) -> tuple[Section, ...]:
    """The heading tree of a report, in text order, with paths like `二/(一)/一是`.

    `year` is the year reported on, which tells measures (that year) from plans (the next)."""
    text = src.norm
    start = reading_start(text, body_start)
    end = closing_start(text)
    stack: list[tuple[str, float]] = []  # (path, rank) of the open headings
    last: dict[tuple[str, str], int] = {}  # (parent path, kind) -> last number seen
    accepted: list[tuple[_Mark, str, int, str | None]] = []
    for mk in _marks(text, start, end):
        rank = _RANKS[mk.kind]
        open_ = [s for s in stack if s[1] < rank]
        parent = open_[-1][0] if open_ else None
        num = mk.num[:-2] if mk.num.endswith("方面") else mk.num.rstrip("是要")
        n = int(num) if num.isdigit() else cn_number(num)
        # a heading counts only where its number continues its layer under the same parent
        if n != last.get((parent or "", mk.kind), 0) + 1:
            continue
        last[(parent or "", mk.kind)] = n
        label = _path_label(mk.kind, mk.num)
        path = f"{parent}/{label}" if parent else label
        stack = [*open_, (path, rank)]
        accepted.append((mk, path, len(stack), parent))
    out: list[Section] = []
    bodies: list[tuple[_Mark, int]] = []
    for i, (mk, path, depth, parent) in enumerate(accepted):
        # the body runs to the next heading of the same or a higher layer, or to the closing
        body_end = end
        for later, _, later_depth, _ in accepted[i + 1 :]:
            if later_depth <= depth:
                body_end = later.start
                break
        bodies.append((mk, body_end))
        title = text[mk.title_start : mk.title_end].strip()
        part = classify_part(title, year) if depth == 1 else None
        title = src.written(mk.title_start, mk.title_end)  # no HTML markup
        s, e = src.span(mk.start, mk.title_end)
        bs, be = src.span(mk.start, _rstrip_pos(text, mk.start, body_end))
        out.append(
            Section(
                path=path,
                title=_clean_title(title),
                depth=depth,
                order=i + 1,
                span=Span(s, e),
                body=Span(bs, be),
                part=part,
                parent=parent,
                marker=mk.kind,
            )
        )
    if not any(s.marker == "cn" for s in out if s.depth == 1):
        # a report without 一、 parts numbers the year's measures themselves (1. 2. …)
        out = [replace(s, part="measures") if s.part == "other" else s for s in out]
    out = _combined_parts(out, year)
    if not any(s.part == "duties" for s in out if s.depth == 1):
        serving = _duty_section(text, out, [(mk.start, body_end) for mk, body_end in bodies])
        if serving is not None:
            out[serving] = replace(out[serving], part="duties")
    return tuple(out)


def names_duty(title: str) -> bool:
    """Whether a heading names the leaders' responsibility for rule-of-law work."""
    return bool(_DUTY_STRONG.search(title) or _DUTY_WEAK.search(title))


def leader_clause(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The clause of `text[start:end]` that best states the leaders' first responsibility: one that
    names both the principal leaders and the first responsibility, else the responsibility, else the
    leaders (names inside 《》 do not count)."""
    plain = _BOOK_TITLE.sub(lambda m: " " * len(m.group(0)), text[start:end])
    best: tuple[int, int, int] | None = None  # (tier, start, end)
    for m in _CLAUSE.finditer(plain):
        clause = m.group(0)
        duty, leader = "第一责任" in clause, bool(_LEADER.search(clause))
        tier = 0 if duty and leader else 1 if duty else 2 if leader else 3
        if tier < 3 and (best is None or tier < best[0]):
            lead = len(clause) - len(clause.lstrip())
            best = (tier, start + m.start() + lead, start + m.end())
    return None if best is None else (best[1], best[2])


def _duty_section(text: str, secs: list[Section], bodies: list[tuple[int, int]]) -> int | None:
    """The section that serves the duties part in a report without a top-level one: a subsection
    whose heading names the first responsibility; else the section whose text says what the
    principal leaders did (or the nearest heading above it that names their responsibility); else
    a subsection whose heading names the leadership's responsibility."""
    strong = [i for i, s in enumerate(secs) if s.depth > 1 and _DUTY_STRONG.search(s.title)]
    if strong:
        return min(strong, key=lambda i: secs[i].depth)
    if secs:
        # the year's own account only: the plans part also promises to 压实第一责任人职责
        later = [
            b for (b, _), s in zip(bodies, secs, strict=True) if s.part in ("problems", "plans")
        ]
        clause = leader_clause(text, bodies[0][0], min(later, default=max(e for _, e in bodies)))
        if clause is not None:
            holders = [i for i, (s, e) in enumerate(bodies) if s <= clause[0] < e]
            deepest = max(holders, key=lambda i: secs[i].depth)
            chain = [i for i in holders if secs[i].depth > 1 and names_duty(secs[i].title)]
            return min(chain, key=lambda i: secs[i].depth) if chain else deepest
    weak = [i for i, s in enumerate(secs) if s.depth > 1 and _DUTY_WEAK.search(s.title)]
    return min(weak, key=lambda i: (secs[i].depth, i)) if weak else None


def _combined_parts(secs: list[Section], year: int | None) -> list[Section]:
    """A top-level part that holds both the shortcomings and the plans (三、存在的问题和下步打算)
    passes each part to the subsection that states it."""
    out = list(secs)
    for top in secs:
        if top.depth != 1 or top.part != "problems" or not _PLAN_WORDS.search(top.title):
            continue
        for i, s in enumerate(out):
            if s.parent == top.path:
                part = classify_part(s.title, year)
                if part in ("problems", "plans"):
                    out[i] = replace(s, part=part)
    return out


def _rstrip_pos(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _clean_title(title: str) -> str:
    return title.strip().rstrip("。,:;，：；").strip()
