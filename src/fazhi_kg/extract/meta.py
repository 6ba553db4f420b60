"""What a report says about itself: title, jurisdiction and its parents, year, publication, issuer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from fazhi_kg.facts import ReportMeta, Span
from fazhi_kg.resources import data_dir
from fazhi_kg.text.read import SourceText

_ADMIN_UNIT = re.compile(
    r"[\u4e00-\u9fff]{1,12}?(?:特别行政区|自治区|自治州|自治县|自治旗|地区|新区|街道办事处|街道|"
    r"省|市|州|盟|区|县|旗|镇|乡)"
)
_TITLE_RX = re.compile(
    r"(?P<gov>[\u4e00-\u9fff()]{2,40}?)(?:人民政府|政府|委员会|办公室)?(?:关于)?"
    r"(?P<year>[0-9]{4})\s*年(?:度)?.{0,30}?法治(?:政府|建设|政府建设).{0,30}?(?:报告|情况)"
)
_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})\s*年(?:度)?")
_PUBLISHED = re.compile(
    r"(?:发布|公开|发文|成文|印发)(?:日期|时间)\s*[:：]?\s*"
    r"(?P<y>(?:19|20)[0-9]{2})\s*[-/.年]\s*(?P<m>[0-9]{1,2})\s*[-/.月]\s*(?P<d>[0-9]{1,2})\s*日?"
    r"(?:\s*(?P<H>[0-9]{1,2}):(?P<M>[0-9]{2})(?::(?P<S>[0-9]{2}))?)?"
)
_ISSUER = re.compile(
    r"(?:信息来源|来源|发布机构|发文机关|发布单位)\s*[:：]\s*"
    r"(?P<who>[\u4e00-\u9fff()]{2,30}?)(?=\s|【|\[|$|发布|浏览|字体|作者)"
)
_CLOSING_DATE = re.compile(
    r"\n\s*(?P<y>(?:19|20)[0-9]{2})\s*年\s*(?P<m>[0-9]{1,2})\s*月\s*(?P<d>[0-9]{1,2})\s*日\s*(?:\n|$)"
)
_LEVEL_SUFFIX = (
    ("province", ("省", "自治区", "特别行政区")),
    ("city", ("市", "自治州", "州", "盟", "地区")),
    ("county", ("区", "县", "旗", "自治县", "自治旗", "新区")),
    ("township", ("镇", "乡", "街道", "街道办事处")),
)
_SUFFIX_CHARS = "省市区县旗盟州乡镇"
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")


@dataclass(frozen=True)
class Header:
    """The report's metadata and where its body starts (in `norm` offsets)."""

    meta: ReportMeta
    body_start: int


def admin_level(name: str) -> str:
    """province, city, county or township, from a place name's suffix."""
    if name in _MUNICIPALITIES:
        return "province"
    for level, suffixes in _LEVEL_SUFFIX:
        if name.endswith(suffixes):
            return level
    return "county"


def split_places(gov: str) -> list[str]:
    """`眉山市东坡区` → [`眉山市`, `东坡区`]: the administrative units a name is made of."""

    def split(rest: str) -> list[str] | None:
        if not rest:
            return []
        for i in range(2, min(len(rest), 16) + 1):
            head = rest[:i]
            # never cut right before a suffix character: 广州市 is one unit, not 广州 + 市…
            if _ADMIN_UNIT.fullmatch(head) and not (i < len(rest) and rest[i] in _SUFFIX_CHARS):
                tail = split(rest[i:])
                if tail is not None:
                    return [head, *tail]
        return None

    units = split(gov)
    # a name that is not a chain of units (高新技术产业开发区) stays in one piece
    return units if units else ([gov] if gov else [])


def leading_places(text: str) -> list[str]:
    """The administrative units a name starts with: `中共青石县委 青石县人民政府` → [青石县],
    `青石县司法局` → [青石县], `眉山市东坡区` → [眉山市, 东坡区]."""
    text = re.sub(r"^(?:关于|中共)", "", re.sub(r"\s+", "", text))
    text = re.sub(r"^[\u4e00-\u9fff]{2,12}?委(?=[\u4e00-\u9fff]{2,12}?(?:人民政府|政府))", "", text)
    for end in range(min(len(text), 24), 1, -1):
        head = text[:end]
        places = split_places(head)
        if places and all(_ADMIN_UNIT.fullmatch(p) for p in places):
            return places
    return []


def _title_line(text: str) -> tuple[int, int] | None:
    for m in re.finditer(r"[^\n]+", text):
        line = m.group(0).strip()
        if not line:
            continue
        if "报告" in line or ("法治" in line and ("情况" in line or "年度" in line)):
            lead = len(m.group(0)) - len(m.group(0).lstrip())
            return m.start() + lead, m.start() + lead + len(line)
        if m.start() > 3000:
            break
    return None


@cache
def prefecture_provinces() -> dict[str, str]:
    """Prefecture-level divisions of mainland China → their province (a national gazetteer)."""
    path = data_dir() / "prefectures.tsv"
    rows = path.read_text(encoding="utf-8").splitlines()[1:]
    return dict(tuple(r.split("\t")) for r in rows if r.strip())  # type: ignore[misc]


def read_header(src: SourceText, *, gazetteer: dict[str, str] | None = None) -> Header:
    """Find title, jurisdiction path, year, publication date and issuer.

    A province the report leaves unnamed is added from the national gazetteer when the
    jurisdiction or its named parent is a prefecture-level city.
    """
    if gazetteer is None:
        gazetteer = prefecture_provinces()
    text = src.norm
    span = _title_line(text)
    if span is None:
        first = re.search(r"\S[^\n]*", text)
        span = (first.start(), first.end()) if first else (0, 0)
    title = text[span[0] : span[1]].strip()
    jurisdiction, parents, year = "", [], None
    m = _TITLE_RX.search(title)
    if m:
        year = int(m.group("year"))
        places = leading_places(m.group("gov"))
        if not places:  # 2023年青石县法治政府建设情况报告: the place follows the year
            places = leading_places(title[m.end("year") :].lstrip("年度"))
        if places:
            jurisdiction, parents = places[-1], list(reversed(places[:-1]))
    lead = re.match(r"\s*((?:19|20)[0-9]{2})\s*年度?(.*)", title)
    if not jurisdiction and lead:  # 2023年青石县法治政府建设情况报告
        year = int(lead.group(1))
        places = leading_places(lead.group(2))
        if places:
            jurisdiction, parents = places[-1], list(reversed(places[:-1]))
    if year is None:
        ym = _YEAR.search(title) or _YEAR.search(text, span[1], span[1] + 400)
        year = int(ym.group(1)) if ym else None
    if not jurisdiction:
        gm = re.search(r"([\u4e00-\u9fff]{2,12}?)(?:人民政府|政府)", title)
        if gm:
            places = leading_places(gm.group(1))
            if places:
                jurisdiction, parents = places[-1], list(reversed(places[:-1]))
    parents = _complete_parents(text, jurisdiction, parents, gazetteer)
    head = text[: min(len(text), span[1] + 600)]
    published = None
    pm = _PUBLISHED.search(head)
    if pm:
        published = _iso(pm)
    else:
        # a closing date line (2024年3月8日) under the signature
        closing = list(_CLOSING_DATE.finditer(text[-400:]))
        if closing:
            published = _iso(closing[-1])
    issuer, issuer_span = None, None
    im = _ISSUER.search(head)
    if im:
        issuer = im.group("who")
        issuer_span = Span(*src.span(im.start("who"), im.end("who")))
    # the body starts after the title and the furniture lines that follow it
    body_start = span[1]
    for lm in re.finditer(r"[^\n]*\n?", text[span[1] :]):
        line = lm.group(0)
        if not line:
            break
        if line.strip() and not (_PUBLISHED.search(line) or _ISSUER.search(line)):
            break
        body_start = span[1] + lm.end()
    meta = ReportMeta(
        title=title,
        jurisdiction=jurisdiction,
        parents=tuple(parents),
        year=year,
        published=published,
        issuer=issuer,
        title_span=Span(*src.span(*span)),
        issuer_span=issuer_span,
    )
    return Header(meta=meta, body_start=body_start)


_RANK = {"township": 0, "county": 1, "city": 2, "province": 3}
_NAMED_BODY = r"(?=委|政府|人民政府|人大|政协|中级人民法院|人民法院|人民检察院|司法局|法治|依法治|考评|考核|表彰)"


def _most_named(text: str, pattern: str, exclude: set[str]) -> str | None:
    from collections import Counter

    counts = Counter(m.group(1) for m in re.finditer(pattern, text) if m.group(1) not in exclude)
    return counts.most_common(1)[0][0] if counts else None


def _complete_parents(
    text: str, jurisdiction: str, parents: list[str], gazetteer: dict[str, str]
) -> list[str]:
    """Fill the levels above the jurisdiction that the title leaves out, nearest first: from
    bodies the text names (澧源市委, 桐源县人民政府), known prefecture and province names, and the
    gazetteer (a prefecture-level city's province)."""
    if not jurisdiction:
        return parents
    chain = [jurisdiction, *parents]
    have = {admin_level(p) for p in chain}
    provinces = set(gazetteer.values())
    exclude = set(chain)
    level = _RANK[admin_level(jurisdiction)]
    if level < _RANK["county"] and "county" not in have:
        county = _most_named(
            text,
            r"(?:^|[^\u4e00-\u9fff]|[在由向对与和及经被获为从])([\u4e00-\u9fff]{2,3}[县区])"
            + _NAMED_BODY,
            exclude,
        )
        if county:
            chain.append(county)
            have.add("county")
    if level < _RANK["city"] and "city" not in have:
        known = "|".join(map(re.escape, sorted(gazetteer, key=len, reverse=True)))
        city = _most_named(text, f"({known})", exclude) or _most_named(
            text,
            r"(?:^|[^\u4e00-\u9fff]|[在由向对与和及经被获为从])([\u4e00-\u9fff]{2,3}市)"
            + _NAMED_BODY,
            exclude,
        )
        if city:
            chain.append(city)
            have.add("city")
    if level < _RANK["province"] and "province" not in have:
        top = chain[-1]
        province = gazetteer.get(top) or _most_named(
            text, "(" + "|".join(map(re.escape, sorted(provinces))) + ")", exclude
        )
        if province:
            chain.append(province)
    return chain[1:]


def _iso(m: re.Match[str]) -> str:
    date = f"{int(m.group('y')):04d}-{int(m.group('m')):02d}-{int(m.group('d')):02d}"
    groups = m.groupdict()
    if groups.get("H"):
        date += f"T{int(groups['H']):02d}:{groups['M']}"
        if groups.get("S"):
            date += f":{groups['S']}"
    return date
