"""Named things: institutions, mechanisms, documents and cases.

Institutions are found by the head nouns organs carry in this genre (…局, …人民政府, …司法所,
…委员会) and the words that precede them up to a verb, preposition or punctuation mark.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from fazhi_kg.extract.clauses import (
    CJK,
    INSTITUTION_STOPS,
    STOP_WORDS,
    Cover,
    Quotes,
    left_boundary,
    strip_quotes,
)

_INSTITUTION_STOPS = STOP_WORDS | INSTITUTION_STOPS

# (regex for the head noun, institution kind). Longest and most specific first.
_HEADS: tuple[tuple[str, str], ...] = (
    (
        r"(?:[省市区县州]委)?(?:全面)?依法治[省市区县州镇乡]委员会(?:办公室)?"
        r"|(?:[省市区县州]委)?(?:全面)?依法治[省市区县州镇乡]办",
        "committee",
    ),
    (r"人大主席团", "legislature"),
    (r"中级人民法院|高级人民法院|人民法院|法院(?!网|院)", "court"),
    (r"人民法庭|巡回法庭|法庭(?!审)", "court"),
    (r"人民检察院|检察院", "procuratorate"),
    (r"人大常委会|人大(?!常委会)", "legislature"),
    (r"政协", "consultative"),
    (
        r"(?<=[省市区县州旗乡镇)])(?:人民政府|政府)(?!网站|网|工作|信息|专题|常务|全体|部门|规章|文件|采购|购买|债务|投资|法律顾问|决策|"
        r"办公室|门户|数据|服务|职能|系统|机关|合同|质量|和)",
        "government",
    ),
    (r"政府办公室|办公厅|办公室(?!主任)", "government"),
    (
        r"(?:司法|公安|民政|财政|商务|教育|科技|工业和信息化|国家安全|人力资源和社会保障|自然资源|生态环境|"
        r"住房和城乡建设|交通运输|水利|农业农村|文化和旅游|卫生健康|退役军人事务|应急管理|外交|国防|"
        r"宣传|组织|统战|武装)部(?!门|署|分|队|长)|人武部",
        "government",
    ),
    (r"律师事务所|公证处|司法所|派出所|研究所|事务所", "law-firm"),
    (r"委员会(?!委员)", "committee"),
    (r"(?<![为以])中心(?!组|城区|工作|任务|环节|思想|的|位置|地位|镇|村)", "service-station"),
    (r"(?:法律援助|公共法律服务|法律服务|服务|工作|检查|管理|联络)站(?!点|位)", "service-station"),
    (r"(?:讲师|宣讲|顾问|服务|律师|专家|志愿服务|普法)团(?!队|结|体)", "team"),
    (r"(?:执法|稽查)(?:大队|支队|中队|队)(?!伍|员)", "government"),
    (r"(?:纪|政法|编|党|省|市|区|县|州|镇|乡)委(?!员|托|屈|派|书记|常委)", "party"),
    (r"(?:依法治[省市区县]|法治|政府|党政|综治|信访)办(?!理|结|件|事|公|案|好|实)", "government"),
    (r"(?<![格布结大全当开出时变新破残骗赌饭])局(?!面|长|势|部|限)", "government"),
    (r"(?:公安|司法|财政|民政|审计|税务|应急管理|监察)厅(?!长)", "government"),
)
_HEAD_RX = re.compile("|".join(f"(?:{h})" for h, _ in _HEADS))
_KIND_RX = [(re.compile(f"(?:{h})$"), k) for h, k in _HEADS]
_LEVEL_PREFIX = re.compile(r"^(?:[省市区县州镇乡]|全国|国家|中央|最高)$")
_GENERIC_START = re.compile(
    r"^(?:各|全|多|相关|有关|其他|其它|部分|所有|本级|上级|下级|该|此|每|两|一|二|三|基层)"
)
_GENERIC = frozenset("政府 人民政府 委员会 办公室 法院 人大 政协 局 中心 常委会 事务所".split())
_PARTY_PLACES = re.compile(r"^(?:[省市区县州镇乡]|.+[省市区县州镇乡])委$")

MECHANISM_KINDS = ("制度", "机制", "模式", "平台", "清单", "专栏", "通道", "程序", "行动", "服务")
_KIND_ALT = "|".join(MECHANISM_KINDS)
_GENERIC_MECH = re.compile(
    r"^(?:工作|长效|相关|有关|各项|管理|协调|联动|保障|运行|考核|监督|领导|责任|体制|常态化|规范化|"
    r"一体化|标准化|制度|政务|公共|法律|便民|优质|高效|优化|网上|线上|线下|全面|专项|审批|决策|"
    r"执法|普法|重大|配套|制度化|服务|工作制度|法治|法定|两级|多元|综合|信息|数据)*$"
)
_CASE_RX = re.compile(r"“(?P<name>[^“”]{4,60})”\s*(?:一|这一|此)?(?:案件|案)(?!例|卷|情)")
_PERSON_RX = re.compile(f"[{CJK}]某+")


@dataclass(frozen=True)
class Found:
    """A name found in normalized text (offsets into `norm`)."""

    start: int
    end: int
    name: str
    kind: str | None = None
    quoted: bool = False


def _institution_kind(name: str) -> str:
    if _PARTY_PLACES.match(name):
        return "party"
    for rx, kind in _KIND_RX:
        if rx.search(name):
            if kind == "law-firm" and name.endswith("司法所"):
                return "judicial-office"
            if kind == "law-firm" and name.endswith(("公证处",)):
                return "other"
            return kind
    return "other"


def find_institutions(
    text: str, quotes: Quotes, *, start: int = 0, end: int | None = None
) -> list[Found]:
    """Named organs in `text[start:end]`, in order of first mention, one per distinct name."""
    end = len(text) if end is None else end
    out: list[Found] = []
    floor = start
    for m in _HEAD_RX.finditer(text, start, end):
        if m.start() < floor:
            continue
        q = quotes.inside_quote(m.start())
        if q is not None and m.end() >= q[1]:
            continue  # a name that closes a quotation is a title (“枫桥式派出所”), not an organ
        if quotes.inside_title(m.start()):
            continue
        lo = max(floor, q[0] if q else floor)
        s = left_boundary(
            text, m.start(), floor=lo, allow_quotes=q is None, stops=_INSTITUTION_STOPS
        )
        if re.match(r"[0-9]", text[s - 1 : s] or " ") and text[s : s + 1] in "个家所支名":
            continue  # 5个律师事务所: a count of bodies, not a name
        counted = re.match(r"\s*([0-9]+)\s*(?:个|家|所|支)", text[m.end() : m.end() + 6])
        if counted and int(counted.group(1)) >= 2:
            continue  # 调处化解中心9个: a generic plural, not one named body
        if (
            text[s - 1 : s] == "和"
            and m.group(0)[-1] in "局厅委会部"
            and not re.match(r"[省市区县乡镇]", text[s : s + 1])
        ):
            # 住房和城乡建设局, 人力资源和社会保障局: 和 inside the name
            s2 = left_boundary(text, s - 1, floor=lo, allow_quotes=False)
            if 2 <= s - 1 - s2 <= 5:
                s = s2
        name = text[s : m.end()]
        prefix = text[s : m.start()]
        if name in _GENERIC or (not prefix and m.group(0) in _GENERIC):
            continue
        if _GENERIC_START.match(name) and not _LEVEL_PREFIX.match(prefix):
            continue
        if not prefix and m.group(0) in ("人大", "政协", "人大常委会"):
            continue  # 人大代表, 政协委员: members, not the body
        joint = re.match(r"^([省市区县])([省市区县])(?=人大|政协|政府|人民政府)", name)
        if joint:
            # 市县人大代表: the congresses of both levels
            for level in joint.groups():
                body = level + name[2:]
                out.append(Found(s, m.end(), body, _institution_kind(body)))
            floor = m.end()
            continue
        out.append(Found(s, m.end(), name, _institution_kind(name)))
        floor = m.end()
        # 县人大及其常委会 names two bodies
        tail = re.match(r"及其常委会", text[m.end() : m.end() + 5])
        if tail and name.endswith("人大"):
            out.append(Found(m.end() + 2, m.end() + 5, name + "常委会", "legislature"))
    return _first_mentions(out)


def _first_mentions(found: list[Found]) -> list[Found]:
    seen: set[str] = set()
    out = []
    for f in found:
        if f.name not in seen:
            seen.add(f.name)
            out.append(f)
    return out


def find_documents(text: str, quotes: Quotes, *, start: int = 0) -> list[Found]:
    """Titles in 《》, one per distinct title."""
    out = [Found(s - 1, e + 1, text[s:e]) for s, e in quotes.titles if s >= start]
    return _first_mentions(out)


_NOT_MECH_BEFORE = re.compile(
    r"(?:整治|整改|治理|查处|纠正|解决|破解|杜绝|防止|克服|提升|被评为|评为|获评|荣获|表彰为|命名为)$"
)
_NOT_MECH_AFTER = re.compile(r"^[^,。;、“”]{0,8}?(?:问题|现象|行为)")
_VAGUE_START = re.compile(r"^(?:各|相关|有关|其他|其它|部分|所有|该|此|每|本)")
_CN_NUMERALS = re.compile(r"^[一二三四五六七八九十百两]+$")
_STARTS_WITH_NUMERAL = re.compile(r"^[一二三四五六七八九十两]+[个项大条类]")
_BOUNDARY_AFTER = re.compile(r"(?:$|[\s,。;:、!?)”]|的|和|与|及|等|被|为|在|中)")


def _kind_of(name: str) -> str | None:
    return next((k for k in MECHANISM_KINDS if name.endswith(k)), None)


def _kind_tail(text: str, pos: int) -> int:
    """Length of the longest `…kind word` that follows a quotation and ends a word there."""
    best = 0
    for n in range(2, 11):
        piece = text[pos : pos + n]
        if len(piece) < n or not re.fullmatch(f"[{CJK}]+", piece):
            break
        nxt = text[pos + n : pos + n + 1]
        if piece.endswith(MECHANISM_KINDS) and (
            _BOUNDARY_AFTER.match(nxt) or (not piece.endswith("服务") and nxt not in "化性式")
        ):
            best = n
    return best


def _quoted_mechanisms(
    text: str, quotes: Quotes, start: int, exclude: Sequence[tuple[int, int]]
) -> list[Found]:
    out: list[Found] = []
    excluded = Cover(list(exclude))
    for qs, qe in quotes.quoted:
        if qs < start or quotes.inside_title(qs) or quotes.inside_quote(qs - 1):
            continue
        if excluded(qs):
            continue
        inner = text[qs:qe]
        before = text[max(0, qs - 6) : qs - 1]
        if _NOT_MECH_BEFORE.search(before) or _NOT_MECH_AFTER.match(text[qe + 1 : qe + 12]):
            continue
        if (
            inner.startswith("不")
            or inner.endswith(("少数", "多数", "问题", "现象", "行为"))
            or len(inner) < 2
        ):
            continue
        if re.match(r"\s*[0-9]+\s*[个项名家]", text[qe + 1 : qe + 6]) or re.match(
            r"\s*(?:一|这一|此)?案", text[qe + 1 : qe + 4]
        ):
            continue  # an honour counted (“…”2个) or a case (“…”一案)
        s, e, name = qs - 1, qe + 1, inner
        tail = _kind_tail(text, e)
        if tail:
            name, e = name + text[e : e + tail], e + tail
        elif _CN_NUMERALS.match(inner):
            # “七五”普法: a quoted numeral names nothing without the word after it
            word = re.match(f"[{CJK}]{{1,4}}?(?=和|与|及|、|,|。|的|工作|$)", text[e : e + 6])
            if not word:
                continue
            name, e = name + word.group(0), e + word.end()
        if _STARTS_WITH_NUMERAL.match(inner):
            # 行政执法“三项制度”: a counted name carries the field it belongs to
            ps = left_boundary(text, s, limit=8, allow_quotes=False)
            if s - ps >= 4:
                name, s = text[ps:s] + name, ps
        out.append(Found(s, e, strip_quotes(name), _kind_of(name), quoted=True))
    return out


def _unquoted_mechanisms(
    text: str, quotes: Quotes, start: int, claimed: list[tuple[int, int]]
) -> list[Found]:
    out: list[Found] = []
    kinds = "|".join(k for k in MECHANISM_KINDS if k != "服务")  # 服务 only counts when quoted
    for m in re.finditer(f"(?:{kinds})", text):
        if m.start() < start or any(a <= m.start() < b for a, b in claimed):
            continue
        if quotes.inside_title(m.start()) or quotes.inside_quote(m.start()):
            continue
        if not _BOUNDARY_AFTER.match(text[m.end() : m.end() + 1]) and not re.match(
            f"[{CJK}0-9]", text[m.end() : m.end() + 1] or " "
        ):
            continue
        if re.match(r"[化性式]", text[m.end() : m.end() + 1]) or text.startswith(
            MECHANISM_KINDS, m.end()
        ):
            continue  # 清单制度: the longer name ends at the next kind word
        s = left_boundary(text, m.start(), allow_quotes=False, limit=14, min_len=2)
        core = text[s : m.start()]
        num = re.search(r"[一二三四五六七八九十]+[大项个条类]$", core)
        if num and text[s - 1 : s] == "、":
            # 专家论证、风险评估三大程序: the counted name closes an enumeration
            s, core = m.start() - len(num.group(0)), num.group(0)  # 三大程序
        items = _list_before(text, s, m.group(0)) if text[s - 1 : s] in ("、", "等") else []
        if core.endswith("等") or not core or _GENERIC_MECH.match(core.rstrip("等")):
            # 复议约谈、败诉通报等工作机制: the listed items are the mechanisms
            counted = re.match(r"\s*[0-9]", text[m.end() : m.end() + 2])  # 等清单5份: a category
            if (core.rstrip("等") != core or text[s - 1 : s] == "等") and not counted:
                out.extend(_list_items(text, s, m.end(), m.group(0)))
            continue
        if len(core) < 2 or _VAGUE_START.match(core):
            continue
        out.extend(items)
        out.append(Found(s, m.end(), text[s : m.end()], m.group(0)))
    return out


def _list_before(text: str, s: int, kind: str) -> list[Found]:
    """Items joined to a named mechanism by 、 share its kind word (A、B制度)."""
    out = []
    end_all = s
    while text[s - 1 : s] == "、":
        b = left_boundary(text, s - 1, allow_quotes=False, limit=14, min_len=2)
        item = text[b : s - 1]
        if len(item) < 4:
            break
        out.append(Found(b, end_all, item, kind))
        s = b
    return list(reversed(out))


def _list_items(text: str, s: int, end: int, kind: str) -> list[Found]:
    """The items of `A、B等工作机制`, each a mechanism of that kind."""
    stop = text.rfind("等", s - 1, end)
    pos = stop if stop >= 0 else s
    out = []
    while True:
        b = left_boundary(text, pos, allow_quotes=False, limit=14, min_len=2)
        item = text[b:pos]
        if len(item) >= 2 and not _GENERIC_MECH.match(item):
            out.append(Found(b, pos, item, kind))
        if text[b - 1 : b] != "、":
            break
        pos = b - 1
    return list(reversed(out))


def find_mechanisms(
    text: str, quotes: Quotes, *, start: int = 0, exclude: Sequence[tuple[int, int]] = ()
) -> list[Found]:
    """Named systems, mechanisms, models, platforms, lists, columns, channels, procedures,
    campaigns and services, one per distinct name in order of first mention. Quotations inside
    `exclude` (the titles of honours) are not read as names."""
    quoted = _quoted_mechanisms(text, quotes, start, exclude)
    claimed = [(f.start, f.end) for f in quoted]
    found = sorted(
        [*quoted, *_unquoted_mechanisms(text, quotes, start, claimed)],
        key=lambda f: (f.start, f.end),
    )
    out: list[Found] = []
    for f in found:
        same = any(
            f.name == o.name
            # 司法救助快速通道 after “快速通道”: a later, qualified mention of a coined name
            or (o.quoted and f.name.endswith(o.name) and f.kind == o.kind)
            or (f.kind is None and f.name in o.name)
            for o in out
        )
        if not same:
            out.append(f)
    return out


@dataclass(frozen=True)
class FoundCase:
    start: int
    end: int
    name: str
    parties: tuple[str, ...]
    institution: str | None


def find_cases(text: str, *, start: int = 0) -> list[FoundCase]:
    """Cases named in quotes and followed by 一案 / 案件."""
    out = []
    for m in _CASE_RX.finditer(text, start):
        name = m.group("name")
        persons = [p.group(0) for p in _PERSON_RX.finditer(name)]
        organs = [f.name for f in find_institutions(name, Quotes((), ()))]
        inst = organs[0] if organs else None
        vm = re.search(
            r"不服(?P<org>[^,。]{2,20}?)(?:作出的|的)?(?:行政|处罚|决定|强制|许可|征收|复议)", name
        )
        if vm and organs:
            inst = next((o for o in organs if o in vm.group("org")), inst)
        parties = tuple(dict.fromkeys([*persons, *organs]))
        out.append(FoundCase(m.start(), m.end(), name, parties, inst))
    return out
