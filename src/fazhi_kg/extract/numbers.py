"""Indicators: every quantity stated in Arabic digits with a unit, measure word or % sign.

Values are exact `Decimal`s scaled to the base unit (1.8万件 → 18000 件). Dates, document numbers,
ordinals and numerals inside quoted names or book titles are not quantities.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal

from fazhi_kg.extract.clauses import CJK, Quotes, clause_start

UNITS = tuple(
    sorted(
        set(
            """
人次 场次 家次 件次 户次 批次 车次 个百分点 百分点 个月 平方公里 平方米 立方米 千瓦 公里 千米 小时 分钟
件 次 场 人 名 个 项 条 份 期 卷 处 类 家 户 所 批 篇 部 套 台 辆 支 本 册 块 座 间 天 宗 起 例 单 张 幅 轮
届 组 队 家 元 美元 吨 亩 公顷 米 倍 万人 门 节 堂 课时 学时 封 部 余 株 棵 只 头 对 位 村 镇 乡 所 网格
""".split()
        )
        - {"余"},
        key=len,
        reverse=True,
    )
)

_SCALE = {"万": Decimal(10000), "亿": Decimal(100000000), "千": Decimal(1000), "百": Decimal(100)}
_PRE = r"(?P<pre>累计|近|约|超过|达到|达|逾|超)?"
_NUMBER = r"(?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)(?:\.(?P<frac>[0-9]+))?"
_RX = re.compile(
    _PRE
    + r"(?<![0-9A-Za-z.\-:/#〔\[(])"
    + _NUMBER
    + r"\s*(?P<scale>万|亿|千(?!米|瓦)|百(?!分))?(?P<yu>余|多)?\s*"
    + r"(?:(?P<pct>%|‰)|(?P<unit>"
    + "|".join(map(re.escape, UNITS))
    + r"))"
    + r"(?P<post>以上|左右|余)?"
)
_NOT_AFTER_UNIT = {
    # a unit character that starts a longer word is not a measure word there
    "所": "有以属在谓需得",
    "部": "门分署队",
    "次": "要生",
    "个": "人体案别",
    "天": "然下",
    "名": "单义称额誉",
    "件": "事",
    "条": "例件款线",
    "期": "间限待",
    "类": "型似别",
    "家": "庭属长",
    "处": "理置罚分",
    "项": "目",
    "本": "级地部",
    "场": "所地景",
    "队": "伍",
    "村": "级民",
    "镇": "级",
    "乡": "级村",
    "单": "位",
    "门": "户",
    "起": "草诉",
    "对": "象",
    "届": "时",
}
_QUALIFIER_WORDS = {"达": "达到", "逾": "超过", "超": "超过", "多": "余"}
_LEADING = re.compile(
    r"^(?:全区|全市|全县|全省|全镇|全乡|全街道|共计|共|累计|其中|同比|分别|先后|目前|截至目前|"
    r"截至|年内|全年|当年|今年|本年度|已|均|又|再|并|还|另|新|先后)+"
)
_VERBS = re.compile(
    r"^(?:开展|组织|举办|召开|办理|受理|调处|化解|排查|培训|清理|审查|提出|备案|完成|保留|回收|"
    r"收集|核查|发布|填报|归集|办结|打捞|接收|开设|公开|统筹|建成|成立|培养|提供|设立|打造|引进|"
    r"组建|听取|梳理|装订|整改|查处|处理|立案|结案|执行|接待|解答|出具|发放|举行|参加|参与|覆盖|"
    r"推动|实现|新增|创建|评选|表彰|命名|聘请|聘任|选聘|配备|修订|制定|出台|印发|起草|审核|复核|"
    r"纠正|撤销|维持|驳回|赔偿|追回|挽回|减免|帮助|惠及|走访|检查|抽查|督查|考核|评议|评查|约谈|"
    r"通报|问责|移送|拘留|限制|办复|答复|录入|审批|作出|做出|印制|编印|发送|推送|更新|新建|改建|"
    r"增建|修缮|安装|配置|投入|落实|收到|接到|处置|调解|办|建|开|出|发|审|收|录|签订|签约|签|"
    r"解决|帮助|挽回|追缴|罚没|征收|举报|投诉|申请|提供|聘用|聘)+"
)


_ANY_VERB = re.compile(
    "|".join(
        v for v in _VERBS.pattern.removeprefix("^(?:").removesuffix(")+").split("|") if len(v) >= 2
    )
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


def _what(text: str, m: re.Match[str], prev: Quantity | None) -> str:
    """The short noun phrase saying what a quantity counts."""
    unit = m.group("pct") or m.group("unit")
    start = m.start("pre") if m.group("pre") else m.start("num")
    if prev is not None and 0 <= start - prev.end <= 1 and unit not in ("%", "‰"):
        return prev.what  # 培训7期753人次: the second number counts the same thing
    cs = clause_start(text, start)
    if prev is not None and cs <= prev.end <= start:
        cs = prev.end
    before = re.sub(
        r"(?:均|分别|同比|为|是|达|保持|提升至|提高到|提高至|降至|下降至|在)+$", "", text[cs:start]
    )
    before = re.sub(r"[“”‘’\"]", "", before)
    core = _LEADING.sub("", before).strip()
    if unit in ("%", "‰"):
        return core or "比率"
    # 县复议局全年受理复议案件: what is counted is the clause's last verb with its object
    last = None
    for verb in _ANY_VERB.finditer(core):
        last = verb
    if last is not None and len(core) - last.end() >= 2:
        core = core[last.start() :]
    after = re.match(f"[{CJK}“”]{{0,16}}", text[m.end() :]).group(0)  # type: ignore[union-attr]
    after = re.split(
        r"(?:分别|被|均|已|有序|全部|共|累计|先后|得到|获得|在|中|的|等|和|及|与)",
        after.replace("“", "").replace("”", ""),
    )[0]
    if core and (len(after) < 2 or len(core) <= 12):
        return core
    if len(after) >= 2:
        return after
    return core or unit or ""


def find_quantities(text: str, quotes: Quotes, *, start: int = 0) -> list[Quantity]:
    """Every quantity in `text[start:]`, in order."""
    out: list[Quantity] = []
    for m in _RX.finditer(text, start):
        num_start = m.start("num")
        if text[max(0, num_start - 1) : num_start] == "第":
            continue
        if quotes.inside_quote(num_start) or quotes.inside_title(num_start):
            continue
        unit = "%" if m.group("pct") == "%" else (m.group("pct") or m.group("unit"))
        after = text[m.end("unit") : m.end("unit") + 1] if m.group("unit") else ""
        if after and unit in _NOT_AFTER_UNIT and after in _NOT_AFTER_UNIT[unit]:
            continue
        # a year, month or date: 2023年, 12月, 2024-02-27
        nxt = text[m.end("num") : m.end("num") + 1]
        if nxt in "年月日号时" and not m.group("frac"):
            continue
        value = Decimal(m.group("num").replace(",", ""))
        if m.group("frac"):
            value += Decimal("0." + m.group("frac"))
        scale = m.group("scale")
        if scale:
            value *= _SCALE[scale]
        if unit == "万人":
            value *= 10000
            unit = "人"
        value = value.normalize() if value == value.to_integral_value() else value
        if value == value.to_integral_value():
            value = Decimal(int(value))
        qualifier = None
        pre = m.group("pre")
        if pre:
            qualifier = _QUALIFIER_WORDS.get(pre, pre)
        if m.group("yu"):
            qualifier = _QUALIFIER_WORDS.get(m.group("yu"), m.group("yu"))
        post = m.group("post")
        end = m.end()
        if post in ("以上", "余"):
            qualifier = post
        elif post == "左右":
            qualifier = "约"
        elif post:
            end = m.end() - len(post)
        begin = m.start("pre") if pre else num_start
        prev = out[-1] if out else None
        out.append(Quantity(begin, end, value, unit, qualifier, _what(text, m, prev)))
    return out


@dataclass(frozen=True)
class Relations:
    """How quantities of one sentence relate: parts of a total, and a rate's numerator and
    denominator (indexes into the quantity list)."""

    part_of: dict[int, int]
    rate_of: dict[int, tuple[int, int]]


_SENTENCE_END = re.compile("[。;!?\n]")


def _sentence_ids(text: str, positions: list[int]) -> list[int]:
    """For each position, how many sentence ends come before it (one pass over the text)."""
    ends = [m.start() for m in _SENTENCE_END.finditer(text)]
    return [bisect_left(ends, pos) for pos in positions]


def relate(text: str, quantities: list[Quantity]) -> Relations:
    """Find totals with their breakdown (清理120件，其中废止56件、失效41件) and rates stated with
    their counts (受理250件，办结240件，办结率96%)."""
    part_of: dict[int, int] = {}
    rate_of: dict[int, tuple[int, int]] = {}
    sid = _sentence_ids(text, [q.start for q in quantities])
    for i, total in enumerate(quantities):
        if total.unit == "%":
            continue
        # a breakdown: a list of the same unit joined by 、 right after the total's clause
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
            for k in items:
                part_of[k] = i
    for r, rate in enumerate(quantities):
        if rate.unit != "%" or r < 2 or not rate.what.endswith("率"):
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
