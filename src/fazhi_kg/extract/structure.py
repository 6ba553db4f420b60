"""The heading tree of a report and the legal part each top-level section serves.

Heading layers of the genre: `一、` › `(一)` › `1.` / `1、` / `一是` / `一要` › `(1)`. Parts follow the
2019 《法治政府建设与责任落实督察工作规定》: first-responsible-person duties, measures and results,
shortcomings, next-year plans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from fazhi_kg.facts import Section, Span
from fazhi_kg.text.read import SourceText

CN_DIGITS = "一二三四五六七八九十"
_CN = f"[{CN_DIGITS}]{{1,3}}"

# (kind, rank, regex). Rank orders layers; a heading closes open headings of equal or lower rank.
_LINE_HEADINGS = (
    ("cn", 1, re.compile(rf"(?P<num>{_CN})\s*[、.,]\s*")),
    ("paren_cn", 2, re.compile(rf"\((?P<num>{_CN})\)\s*")),
    ("arabic", 3, re.compile(r"(?P<num>[0-9]{1,2})\s*(?:[.、](?![0-9])|\s)\s*")),
    ("paren_arabic", 4, re.compile(r"\((?P<num>[0-9]{1,2})\)\s*")),
)
# Inline items that may start after a full stop inside a paragraph.
_INLINE = re.compile(
    rf"(?:(?<=^)|(?<=[。;:!?\n]))\s*(?P<num>{_CN})(?P<kind>是|要|方面)(?![非否])"
    rf"|(?:(?<=[。;!?]))\s*\((?P<pnum>[0-9]{{1,2}})\)"
)
_RANKS = {"cn": 1.0, "paren_cn": 2.0, "arabic": 3.0, "item": 3.5, "paren_arabic": 4.0}
_TITLE_END = re.compile(r"[。;!?]|$", re.MULTILINE)

_PART_RULES = (
    ("duties", re.compile(r"第一责任人|主要负责人|履行.{0,12}职责|领导干部.{0,6}(?:述法|职责)")),
    ("problems", re.compile(r"问题|不足|短板|差距|薄弱|困难")),
    (
        "plans",
        re.compile(
            r"下步|下一步|下一年|明年|打算|计划|安排|思路|展望|[0-9]{4}年.{0,6}(?:工作|重点)"
        ),
    ),
    ("measures", re.compile(r"举措|成效|情况|做法|工作|开展|推进|进展|成绩|主要|落实|建设")),
)


@dataclass(frozen=True)
class _Mark:
    kind: str
    num: str
    start: int  # of the marker in norm
    title_start: int
    title_end: int
    line_end: int


def cn_number(s: str) -> int:
    """一 → 1, 十二 → 12, 二十一 → 21."""
    vals = {c: i + 1 for i, c in enumerate(CN_DIGITS)}
    if s == "十":
        return 10
    if "十" in s:
        tens, _, units = s.partition("十")
        return (vals.get(tens, 1) if tens else 1) * 10 + (vals.get(units, 0) if units else 0)
    return vals.get(s, 0)


def _marks(src: SourceText, body_start: int) -> list[_Mark]:
    text = src.norm
    marks: list[_Mark] = []
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        if line_start < body_start:
            continue
        stripped = line.lstrip()
        lead = line_start + (len(line) - len(stripped))
        for kind, _, rx in _LINE_HEADINGS:
            m = rx.match(stripped)
            if not m:
                continue
            title_start = lead + m.end()
            if title_start >= line_start + len(line):
                break
            if kind == "arabic" and re.match(r"[0-9]", text[title_start]):
                break
            tm = _TITLE_END.search(text, title_start, line_start + len(line))
            title_end = tm.start() if tm else line_start + len(line)
            marks.append(
                _Mark(kind, m.group("num"), lead, title_start, title_end, line_start + len(line))
            )
            break
    for m in _INLINE.finditer(text, body_start):
        if m.group("num"):
            kind, num, start = "item", m.group("num") + m.group("kind"), m.start("num")
        else:
            kind, num, start = (
                "paren_arabic",
                m.group("pnum"),
                m.start() + (len(m.group(0)) - len(m.group(0).lstrip())),
            )
        if any(mk.start == start for mk in marks):
            continue
        title_start = m.end()
        line_end = text.find("\n", title_start)
        line_end = len(text) if line_end < 0 else line_end
        tm = _TITLE_END.search(text, title_start, line_end)
        title_end = tm.start() if tm else line_end
        marks.append(_Mark(kind, num, start, title_start, title_end, line_end))
    marks.sort(key=lambda mk: mk.start)
    return marks


def _path_label(kind: str, num: str) -> str:
    if kind in ("paren_cn", "paren_arabic"):
        return f"({num})"
    return num


def classify_part(title: str) -> str:
    """Which legally required part a top-level heading serves, from its wording."""
    for part, rx in _PART_RULES:
        if rx.search(title):
            return part
    return "other"


def sections(src: SourceText, body_start: int = 0) -> tuple[Section, ...]:
    """The heading tree of a report, in text order, with paths like `二/(一)/一是`."""
    text = src.norm
    stack: list[tuple[str, float]] = []  # (path, rank) of the open headings
    last: dict[tuple[str, str], int] = {}  # (parent path, kind) -> last number seen
    accepted: list[tuple[_Mark, str, int, str | None]] = []
    for mk in _marks(src, body_start):
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
    for i, (mk, path, depth, parent) in enumerate(accepted):
        # the body runs to the next heading of the same or a higher layer
        end = len(text)
        for later, _, later_depth, _ in accepted[i + 1 :]:
            if later_depth <= depth:
                end = later.start
                break
        title = text[mk.title_start : mk.title_end].strip()
        part = classify_part(title) if depth == 1 else None
        title = src.written(mk.title_start, mk.title_end)  # no HTML markup
        s, e = src.span(mk.start, mk.title_end)
        bs, be = src.span(mk.start, _rstrip_pos(text, mk.start, end))
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
    if not any(s.part == "duties" for s in out):
        # a report that folds the leaders' duties into its measures states them in a subsection
        folded = next((s for s in out if s.depth == 2 and _FOLDED_DUTIES.search(s.title)), None)
        if folded is not None:
            out[out.index(folded)] = replace(folded, part="duties")
    return tuple(out)


_FOLDED_DUTIES = re.compile(r"第一责任人|主要负责人|履行.{0,10}职责|述法")


def _rstrip_pos(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _clean_title(title: str) -> str:
    return title.strip().rstrip("。,:;，：；").strip()
