"""What a report says about itself: its title, publication date and source line, and where its
body starts; who wrote it and about which year is `identity`'s to resolve."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from fazhi_kg.extract.identity import places, resolve
from fazhi_kg.extract.reportid import report_id
from fazhi_kg.facts import ReportMeta, Span
from fazhi_kg.text.read import SourceText

_PUBLISHED = re.compile(
    r"(?:(?:发布|公开|发文|成文|印发)(?:日期|时间)|(?<![\u4e00-\u9fff])(?:日期|时间))\s*[:：]?\s*"
    r"(?P<y>(?:19|20)[0-9]{2})\s*[-/.年]\s*(?P<m>[0-9]{1,2})\s*[-/.月]\s*(?P<d>[0-9]{1,2})\s*日?"
    r"(?:\s*(?P<H>[0-9]{1,2}):(?P<M>[0-9]{2})(?::(?P<S>[0-9]{2}))?)?"
)
# a date (and time) on a line of its own right under the title
_DATE_LINE = re.compile(
    r"\s*(?P<y>(?:19|20)[0-9]{2})\s*[-/.年]\s*(?P<m>[0-9]{1,2})\s*[-/.月]\s*(?P<d>[0-9]{1,2})\s*日?"
    r"(?:\s*(?P<H>[0-9]{1,2}):(?P<M>[0-9]{2})(?::(?P<S>[0-9]{2}))?)?\s*$"
)
_ISSUER = re.compile(
    r"(?:信息来源|来源|发布机构|发文机关|发布单位)\s*[:：]\s*"
    r"(?P<who>[\u4e00-\u9fff()]{2,30}?)(?=\s|【|\[|$|发布|浏览|字体|作者|时间|日期)"
)
_CLOSING_DATE = re.compile(
    r"\n\s*(?P<y>(?:19|20)[0-9]{2})\s*年\s*(?P<m>[0-9]{1,2})\s*月\s*(?P<d>[0-9]{1,2})\s*日\s*(?:\n|$)"
)
# A title line: short, about a report, not a sentence of the body or a heading.
_TITLE_MAX = 80
_NOT_TITLE = re.compile(
    r"。|如下|现将|^\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|[0-9]+[.．、])"
)


@dataclass(frozen=True)
class Header:
    """The report's metadata and where its body starts (in `norm` offsets)."""

    meta: ReportMeta
    body_start: int


def _is_title(line: str) -> bool:
    return (
        len(line) <= _TITLE_MAX
        and ("报告" in line or ("法治" in line and ("情况" in line or "年度" in line)))
        and not _NOT_TITLE.search(line)
        and not line.endswith((":", "："))
    )


def _title_line(text: str) -> tuple[int, int] | None:
    """The title's span: the first title-like line in the first 3,000 characters, joined with
    the line before when the title is broken in two (…关于2023年度 / 法治政府建设情况的报告)."""
    previous: re.Match[str] | None = None
    for m in re.finditer(r"[^\n]+", text[:3000]):
        line = m.group(0).strip()
        if not line:
            continue
        if _is_title(line):
            lead = len(m.group(0)) - len(m.group(0).lstrip())
            start, end = m.start() + lead, m.start() + lead + len(line)
            if previous is not None and "报告" not in previous.group(0):
                joined = previous.group(0).strip() + line
                if _is_title(joined) and re.search(
                    r"关于|(?:19|20)[0-9]{2}\s*年度?$", previous.group(0)
                ):
                    start = (
                        previous.start() + len(previous.group(0)) - len(previous.group(0).lstrip())
                    )
            return start, end
        previous = m
    return None


def read_header(src: SourceText) -> Header:
    """Find title, publication date and source line, resolve the report's identity (jurisdiction,
    level, division code, issuer, year covered: `identity.resolve`) and where the body starts."""
    text = src.norm
    span = _title_line(text)
    title = re.sub(r"\s*\n\s*", "", text[span[0] : span[1]]).strip() if span else ""
    after = span[1] if span else 0
    head = text[: min(len(text), after + 600)]
    pm = _PUBLISHED.search(head)
    published = _iso(pm) if pm else None
    if published is None and span:
        nxt = re.match(r"\n?([^\n]*)", text[after:])
        dm = _DATE_LINE.fullmatch(nxt.group(1)) if nxt else None
        published = _iso(dm) if dm else None
    if published is None:
        closing = list(_CLOSING_DATE.finditer(text[-400:]))  # the date under the signature
        published = _iso(closing[-1]) if closing else None
    im = _ISSUER.search(head)
    source = im.group("who") if im else None
    # the body starts after the title and the furniture lines that follow it
    body_start = after
    for lm in re.finditer(r"[^\n]*\n?", text[after:]):
        line = lm.group(0)
        if not line:
            break
        furniture = _PUBLISHED.search(line) or _ISSUER.search(line) or _DATE_LINE.fullmatch(line)
        if line.strip() and not furniture:
            break
        body_start = after + lm.end()
    who = resolve(
        text,
        title=title,
        body_start=body_start,
        published=published,
        source=source,
        original=src.original,
        is_html=src.is_html,
    )
    meta = ReportMeta(
        title=title,
        jurisdiction=who.jurisdiction,
        parents=who.parents,
        year=who.year,
        published=published,
        issuer=who.issuer,
        level=who.level,
        division_code=who.division_code,
        title_span=Span(*src.span(*span)) if span else None,
        issuer_span=Span(*src.span(im.start("who"), im.end("who")))
        if im and who.issuer == source
        else None,
        text_sha256=_sha256(src.original),
        places=places(who.path),
    )
    return Header(meta=replace(meta, id=report_id(meta)), body_start=body_start)


def _sha256(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _iso(m: re.Match[str]) -> str:
    date = f"{int(m.group('y')):04d}-{int(m.group('m')):02d}-{int(m.group('d')):02d}"
    groups = m.groupdict()
    if groups.get("H"):
        date += f"T{int(groups['H']):02d}:{groups['M']}"
        if groups.get("S"):
            date += f":{groups['S']}"
    return date
