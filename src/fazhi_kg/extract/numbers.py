"""Indicators: every quantity that measures an activity or a result (shared/eval/ANNOTATION.md).

Numbers written in digits (27.4 万元, 1,356件) or in Chinese numerals (三次, 十余个, 两万余人次) with a
measure word, unit or % sign; changes (同比增长18.5%, 较上年提高2.3个百分点) as changes; rankings
(排名第三, 全省前五); streaks (连续三年); the count of an enumeration (立项、审查、公布三大环节). Values
are exact `Decimal`s scaled to the base unit (1.8万件 → 18000 件). Dates, periods, document numbers,
ordinals (第三次会议), list numbering, versions, anniversaries and numerals inside quoted names,
book titles or numbered names (四个亲自) are not quantities.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from fazhi_kg.extract.clauses import CJK, Quotes, clause_start
from fazhi_kg.extract.measures import clause_after, clause_before, noun_after, rank_measure
from fazhi_kg.extract.numerals import (
    CN_CHARS,
    CN_NUMERAL,
    QUALIFIERS_BEFORE,
    SCALES,
    alternation,
    chinese_measure_words,
    cn_value,
    exact,
    measure_words,
    numbered_names,
    qualifier_form,
)


@dataclass(frozen=True)
class Quantity:
    """A quantity found in normalized text (offsets into `norm`)."""

    start: int
    end: int
    value: Decimal
    unit: str
    qualifier: str | None
    what: str
    change: str | None = None  # "increase" or "decrease" for a change over a period


_ARABIC = r"(?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)(?:\.(?P<frac>[0-9]+))?"
_CN = rf"(?<![第周{CN_CHARS}])(?P<cn>{CN_NUMERAL})"


# A number found before its measured thing is known: start, end, value, unit, qualifier, and how it
# was written (count, rank, streak, enumeration).
_Found = tuple[int, int, Decimal, str, str | None, str]


@cache
def _quantity_rx() -> re.Pattern[str]:
    return re.compile(
        rf"(?P<pre>{alternation(QUALIFIERS_BEFORE)})?"
        rf"(?:(?<![0-9A-Za-z.\-:/#〔\[(+]){_ARABIC}|{_CN})"
        r"\s*(?P<yu0>余|多)?(?P<scale>万|亿|千(?!米|瓦)|百(?!分))?(?P<yu>余|多)?\s*"
        rf"(?:(?P<pct>%|‰)|(?P<unit>{alternation(measure_words())}))"
        r"(?P<post>以上|左右|余)?"
    )


# A unit character that starts a longer word is not a measure word there (个人, 部门, 名单, 起草).
_NOT_AFTER_UNIT = {
    unit: re.compile(after)
    for unit, after in {
        "所": "[有以属在谓需得]",
        "部": "[门分署队]",
        "次": "[要生]",
        "个": "人(?!民)|体(?!系)|[案别]",
        "天": "[然下]",
        "名": "[单义称额誉]",
        "件": "事",
        "条": "[例件款线]",
        "期": "[间限待]",
        "类": "[型似别]",
        "家": "[庭属长]",
        "处": "[理置罚分]",
        "项": "目",
        "本": "[级地部]",
        "场": "[所地景]",
        "队": "伍",
        "村": "[级民]",
        "镇": "级",
        "乡": "[级村]",
        "单": "位",
        "门": "户",
        "起": "[草诉]",
        "对": "象",
        "届": "时",
        "位": "[于置]",
        "组": "[织成建]",
        "轮": "流",
        "票": "[据证务价]",
    }.items()
}
_YEAR = re.compile(r"(?:19|20)[0-9]{2}年度")  # 2022年度全县86名: the year a count belongs to
# A time or distance before a noun names a service's radius or hours (10分钟法律服务圈,
# 24小时服务, 500米范围); a figure of time or distance ends its phrase (用时1.5小时,
# 压缩至2小时以内).
_NAMED_RADIUS = re.compile(rf"(?![内以左的])[{CJK}]")
_RADIUS_UNITS = frozenset("分钟 小时 公里 米".split())
# A change over a period: 同比增长18.5%, 较上年提高2.3个百分点, 下降12% (not 提高到5%, a level).
_CHANGE = re.compile(
    r"(?:同比|环比|与上年相比|(?:较|比)(?:上年|去年|上一年|[0-9]{4}年)度?(?:同期)?)?"
    r"(?P<verb>增长|增加|提高|提升|上升|增多|下降|减少|降低|下滑|回落|压缩|缩短)了?$"
)
_DECREASE = frozenset("下降 减少 降低 下滑 回落 压缩 缩短".split())
_PLENUM = re.compile(r"(?:、[一二三四五六七八九十]+次)*(?:全会|全体会议)")
# Two rates stated as one (办结率和满意率均达98%): a list of rates before 均; two activities
# counted as one (述职评议和述法测评各1次).
_FUSED = re.compile(r"(?:(?:均|都)(?:为|是|保持|在)?|各)\s*$")
_RATE_PART = re.compile(r"(?:率|度|比例|占比)$")
# Rankings: 排名第三, 全市县级排名第二, 考核第一, 位居全市第一方阵档次, 全省前五, 获得第一名.
_RANK = re.compile(
    r"(?:(?P<cue>排名|排位|位列|位居|名列|位次|综合|考评|考核|评估|评比|测评|排)"
    r"[^,。;:、\s第]{0,8}?)?"
    r"(?:第(?P<n>[一二三四五六七八九十]{1,3}|[0-9]{1,3})(?P<unit>名|位|档次|档)?"
    r"|前(?P<top>[二三四五六七八九十]{1,3}|[0-9]{1,3})(?P<tunit>名|位|强)?)"
)
_RANK_FOLLOW = re.compile(r"[,。;、)”的被并和及且\s]|$")
_TOP_CUE = re.compile(r"(?:全国|全省|全市|全区|全县|位列|排名|进入|跻身|居)[^,。;、]{0,4}$")
# A streak: 连续三年获评先进, 连续2年开展评查.
_STREAK = re.compile(r"连续(?P<n>[0-9]{1,2}|[二两三四五六七八九十]{1,3})个?年")
# The count of an enumeration: 立项、审查、公布三大环节.
_ENUMERATED = re.compile(rf"(?<![{CN_CHARS}])(?P<n>[二两三四五六七八九十]{{1,2}})大(?=[{CJK}])")


def find_quantities(
    text: str, quotes: Quotes, *, start: int = 0, end: int | None = None
) -> list[Quantity]:
    """Every quantity in `text[start:end]`, in order."""
    stop = len(text) if end is None else end
    found: list[_Found] = []
    for m in _quantity_rx().finditer(text, start, stop):
        q = _plain(text, m, quotes)
        if q is not None:
            found.append(q)
    found.extend(_ranks(text, quotes, start, stop))
    found.extend(_streaks(text, quotes, start, stop))
    found.extend(_enumerations(text, quotes, start, stop))
    found.sort(key=lambda q: q[0])
    out: list[Quantity] = []
    for begin, end_, value, unit, qualifier, how in found:
        if out and begin < out[-1].end:
            continue  # one number, one quantity
        out.extend(
            _measured(text, begin, end_, value, unit, qualifier, how, out[-1] if out else None)
        )
    return out


def _inside_name(quotes: Quotes, pos: int) -> bool:
    return bool(quotes.inside_quote(pos) or quotes.inside_title(pos))


def _plain(text: str, m: re.Match[str], quotes: Quotes) -> _Found | None:
    """A number with its unit, or None where it is a date, an ordinal, a name or a turn of phrase."""
    cn = m.group("cn")
    num_start = m.start("cn") if cn else m.start("num")
    if text[max(0, num_start - 1) : num_start] == "第" or _inside_name(quotes, num_start):
        return None
    unit = m.group("pct") or m.group("unit")
    after = text[m.end("unit") : m.end("unit") + 1] if m.group("unit") else ""
    if after and unit in _NOT_AFTER_UNIT and _NOT_AFTER_UNIT[unit].match(text, m.end("unit")):
        return None
    if unit in _RADIUS_UNITS and _NAMED_RADIUS.match(text, m.end()):
        return None
    if text[m.end() : m.end() + 1] == "+":
        return None  # 1+N, a model's name
    if cn:
        if unit not in chinese_measure_words() or cn == "一" or after == "一":
            return None  # 一次办结, 一批, 三个一批: turns of phrase, not counts
        if any(text.startswith(name, num_start) for name in numbered_names()):
            return None
        if unit == "次" and (
            text[num_start - 1 : num_start] == "届" or _PLENUM.match(text, m.end())
        ):
            return None  # 省委十二届二次全会, 市委八届二次、六次全会: ordinals of a session
        value = Decimal(cn_value(cn))
    else:
        if text[m.end("num") : m.end("num") + 1] in "年月日号时" and not m.group("frac"):
            return None  # a year, month or date: 2023年, 12月
        value = Decimal(m.group("num").replace(",", ""))
        if m.group("frac"):
            value += Decimal("0." + m.group("frac"))
    if m.group("scale"):
        value *= SCALES[m.group("scale")]
    if unit == "万人":
        value, unit = value * 10000, "人"
    qualifier = qualifier_form(m.group("pre"))
    if m.group("yu") or m.group("yu0"):  # 60余人, 1200余万元
        qualifier = qualifier_form(m.group("yu") or m.group("yu0"))
    post = m.group("post")
    end = m.end()
    if post in ("以上", "余", "左右"):
        qualifier = qualifier_form(post)
    elif post:
        end -= len(post)
    begin = m.start("pre") if m.group("pre") else num_start
    return begin, end, exact(value), "%" if unit == "%" else unit, qualifier, "count"


def _ranks(text: str, quotes: Quotes, start: int, stop: int) -> Iterator[_Found]:
    for m in _RANK.finditer(text, start, stop):
        if _inside_name(quotes, m.start()):
            continue
        if m.group("n"):
            unit = m.group("unit")
            if not unit and not (m.group("cue") and _RANK_FOLLOW.match(text, m.end())):
                continue  # 第一批, 第一责任人, 第三方: ordinals
            n, qualifier = m.group("n"), None
            unit = "档次" if unit in ("档次", "档") else "名"
            begin = m.start("n") - 1
        else:
            if not (m.group("tunit") or _RANK_FOLLOW.match(text, m.end())):
                continue  # 前三季度
            if not (
                m.group("cue") or _TOP_CUE.search(text, max(0, m.start() - 8), m.start("top") - 1)
            ):
                continue
            n, qualifier, unit = m.group("top"), "前", "名"
            begin = m.start("top") - 1
        value = Decimal(int(n) if n.isdigit() else cn_value(n))
        yield begin, m.end(), value, unit, qualifier, "rank"


def _streaks(text: str, quotes: Quotes, start: int, stop: int) -> Iterator[_Found]:
    for m in _STREAK.finditer(text, start, stop):
        if not _inside_name(quotes, m.start()):
            n = m.group("n")
            value = Decimal(int(n) if n.isdigit() else cn_value(n))
            yield m.start(), m.end(), value, "年", None, "streak"


def _enumerations(text: str, quotes: Quotes, start: int, stop: int) -> Iterator[_Found]:
    for m in _ENUMERATED.finditer(text, start, stop):
        if _inside_name(quotes, m.start()):
            continue
        listed = text[_list_start(text, m.start()) : m.start()]
        n = cn_value(m.group("n"))
        if listed.count("、") + 1 == n and n >= 2:
            yield m.start(), m.end(), Decimal(n), "个", None, "enumeration"


def _list_start(text: str, pos: int) -> int:
    best = -1
    for c in ",。;:!?\n":
        best = max(best, text.rfind(c, 0, pos))
    return best + 1


def _measured(
    text: str,
    begin: int,
    end: int,
    value: Decimal,
    unit: str,
    qualifier: str | None,
    how: str,
    prev: Quantity | None,
) -> list[Quantity]:
    """The quantity (or the two of a fused statement) with what it measures."""
    floor = prev.end if prev is not None else 0
    change = None
    if how == "count":
        cm = _CHANGE.search(text, max(floor, begin - 14), begin)
        if cm:
            change = "decrease" if cm.group("verb") in _DECREASE else "increase"
            before_end = cm.start()
        else:
            before_end = begin
        if qualifier is None and "累计" in text[max(floor, clause_start(text, begin)) : begin]:
            qualifier = "累计"
        if not change:
            fused = _fused(text, begin, end, value, unit, qualifier, floor)
            if fused:
                return fused
        if prev is not None and 0 <= begin - prev.end <= 1 and unit not in ("%", "‰"):
            what = prev.what  # 培训7期753人次: the second number counts the same thing
        elif unit in ("%", "‰") or change:
            what = clause_before(text, before_end, floor) or "比率"
        else:
            what = noun_after(text, end, unit)
            year = _YEAR.findall(text, max(floor, clause_start(text, begin), begin - 8), begin)
            if what and year and not what.startswith(year[-1]):
                what = year[-1] + what  # 2022年度全县86名|负责人述法
            what = what or clause_before(text, before_end, floor)
            what = what or clause_after(text, end) or unit
    elif how == "streak":
        what = clause_after(text, end) or clause_before(text, begin, floor) or "连续年数"
    elif how == "enumeration":
        what = noun_after(text, end) or clause_after(text, end)
    else:  # a rank: what is ranked is the clause up to 第 or 前
        what = rank_measure(text, begin, floor, unit)
    return [Quantity(begin, end, value, unit, qualifier, what, change)]


def _fused(
    text: str,
    begin: int,
    end: int,
    value: Decimal,
    unit: str,
    qualifier: str | None,
    floor: int,
) -> list[Quantity]:
    """办结率和满意率均达98%: one quantity per rate, each spanning from its name to the number;
    述职评议和述法测评各1次: one count per activity."""
    fm = _FUSED.search(text, max(floor, begin - 5), begin)
    if fm is None:
        return []
    rate = unit in ("%", "‰")
    if rate == (fm.group(0).strip() == "各"):
        return []  # rates are joined by 均, activities counted by 各
    # the clause, whose list (参考率、及格率) 、 does not end
    cs = max(floor, max(text.rfind(c, 0, fm.start()) for c in ",。;:!?\n") + 1)
    parts = list(re.finditer(r"(?:[^和与及、]|及(?=格))+", text[cs : fm.start()]))
    if rate:
        while parts and not _RATE_PART.search(parts[0].group(0)):
            parts.pop(0)  # 代表建议的|办结率和满意率: the rates are the list's last members
        if len(parts) < 2 or not all(_RATE_PART.search(p.group(0)) for p in parts):
            return []
        qualifier = qualifier or "达到"
    elif len(parts) < 2 or not all(len(p.group(0)) >= 2 for p in parts):
        return []
    starts = [cs + p.start() + p.group(0).rfind("的") + 1 for p in parts]
    return [
        Quantity(start, end, value, unit, qualifier, clause_before(text, cs + p.end(), start))
        for start, p in zip(starts, parts, strict=True)
    ]


@dataclass(frozen=True)
class Relations:
    """How quantities of one sentence relate: parts of a total, and a rate's numerator and
    denominator (indexes into the quantity list)."""

    part_of: dict[int, int]
    rate_of: dict[int, tuple[int, int]]


_SENTENCE_END = re.compile("[。;!?\n]")
_BREAKDOWN_CUE = re.compile(r"其中|包括|含|:")


def _sentence_ids(text: str, positions: list[int]) -> list[int]:
    """For each position, how many sentence ends come before it (one pass over the text)."""
    ends = [m.start() for m in _SENTENCE_END.finditer(text)]
    return [bisect_left(ends, pos) for pos in positions]


def relate(text: str, quantities: list[Quantity]) -> Relations:
    """Find totals with their breakdown (清理120件，其中废止56件、失效41件) and rates stated with
    their counts (受理250件，办结240件，办结率96%).

    A list of the same unit right after a total is its breakdown where the text says so (其中, 包括,
    a colon), or where the parts do not add up to more than the total (清理140件，废止36件、修改22件);
    a list that adds up to more (学习130场次，举办讲座5场次，培训90场次…) is a list of other counts."""
    part_of: dict[int, int] = {}
    rate_of: dict[int, tuple[int, int]] = {}
    sid = _sentence_ids(text, [q.start for q in quantities])
    for i, total in enumerate(quantities):
        if total.unit == "%" or total.change:
            continue
        items = []
        j = i + 1
        gap = text[total.end : quantities[j].start] if j < len(quantities) else ""
        if (
            j < len(quantities)
            and sid[j] == sid[i]
            and re.fullmatch(r"[^,。;、]{0,3}[,:][^,。;、]{0,12}", gap)
        ):
            items.append(j)
            while (
                j + 1 < len(quantities)
                and sid[j + 1] == sid[i]
                and re.fullmatch(
                    r"、[^,。;、]{0,12}", text[quantities[j].end : quantities[j + 1].start]
                )
            ):
                j += 1
                items.append(j)
        if len(items) >= 2 and all(quantities[k].unit == total.unit for k in items):
            said = _BREAKDOWN_CUE.search(gap)
            if said or sum(quantities[k].value for k in items) <= total.value:
                for k in items:
                    part_of[k] = i
    for r, rate in enumerate(quantities):
        if rate.unit != "%" or r < 2 or not rate.what.endswith("率") or rate.change:
            continue
        den, num = r - 2, r - 1
        a, b = quantities[den], quantities[num]
        if (
            sid[den] == sid[num] == sid[r]
            and a.unit == b.unit
            and a.unit != "%"
            and b.value <= a.value
        ):
            between = text[a.end : rate.start]
            # 办结240件 … 办结率96%: the rate names the act its numerator counts
            stem = rate.what.removesuffix("率")[-2:]
            clause = text[clause_start(text, b.start) : b.start]
            if re.fullmatch(r"[^。;]{0,30}", between) and num not in part_of and stem in clause:
                rate_of[r] = (num, den)
    return Relations(part_of, rate_of)
