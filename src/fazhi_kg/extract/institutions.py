"""Institutions: organs, party committees, congresses, courts, procuratorates, commissions, offices,
leading groups, public institutions, law firms, named teams and standing meetings used as bodies
(shared/eval/ANNOTATION.md, "institutions").

A name is found by its head noun (…局, …人民政府, …司法所, …委员会, …常务会议, …领导小组) and the
words before it up to a verb, preposition or punctuation mark; the central organs that carry no
place prefix (党中央, 国务院) come from a word list. Generic plurals (各单位, 有关部门), people
(人大代表), websites, and names inside document titles or honours are left out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from fazhi_kg.extract.clauses import (
    CJK,
    INSTITUTION_STOPS,
    STOP_WORDS,
    Cover,
    Quotes,
    left_boundary,
    menu_lines,
)
from fazhi_kg.extract.found import Found, first_mentions
from fazhi_kg.extract.lexicon import alternation

_STOPS = (
    STOP_WORDS
    | INSTITUTION_STOPS
    | {"及其", "申请", "担任", "以", "参加", "配合", "审核", "审查", "列席", "报请", "请示"}
    | {"紧扣", "带领", "列为", "年内", "全年", "所属"}
)

# Departments of governments, as their organs' names carry them (…局, …厅, …委, …部).
_DEPT_GOV = (
    r"(?:司法|公安|民政|财政|商务|教育|科技|科学技术|工业和信息化|经济和信息化|国家安全|"
    r"人力资源和社会保障|自然资源|生态环境|住房和城乡建设|住房城乡建设|交通运输|水利|农业农村|"
    r"文化和旅游|卫生健康|退役军人事务|应急管理|审计|税务|监察|市场监督管理|市场监管|"
    r"发展和改革|发展改革|统计|林业|医疗保障|信访|外事|民族宗教|国资|体育)"
)
_DEPT = rf"(?:{_DEPT_GOV}|宣传|组织|统战|政法)"  # and the party's departments (…部)
# What follows a party committee (县委) when it is the first word of a longer body's name.
_PARTY_BODY = r"(?:党校|理论|中心组|常委|全面依法治|依法治|办公室|宣传部|组织部|政法委|统战部)"
_MEETING = (
    r"常委会会议|常务会议(?!题)|常务会|常委会(?!委员)|全体会议(?!题)|全体会|"
    r"(?:党组|党委)(?:\((?:扩大)\))?(?:会议|会)(?!员|计|商|谈|签|同)|"
    r"办公会议|办公会|工作例会|例会|(?:理论学习|理论)?中心组"
)

# (regex for the head noun, institution kind). Longest and most specific first.
_HEADS: tuple[tuple[str, str], ...] = (
    (
        r"(?:[省市区县州]委)?(?:全面)?依法治[国省市区县州镇乡]委员会(?:办公室)?"
        r"|(?:[省市区县州]委)?(?:全面)?依法治[国省市区县州镇乡]办(?:公室)?",
        "committee",
    ),
    (_MEETING, "meeting"),
    (r"党校(?:\(行政学院\))?", "party"),
    (r"人大主席团", "legislature"),
    (r"中级人民法院|高级人民法院|人民法院|法院(?!网|院)", "court"),
    (r"人民法庭|巡回法庭|法庭(?!审)", "court"),
    (r"人民检察院|检察院", "procuratorate"),
    (r"人大常委会|人大(?!常委会|代表)", "legislature"),
    (r"政协(?!委员|议|调|助|同|商|作)", "consultative"),
    (
        r"(?<=[省市区县州旗乡镇)])(?:人民政府|政府)(?!网站|网|工作(?:报告|部门|规则|人员|要点)|信息|专题|常务|全体|部门|规章|文件|采购|"
        r"购买|债务|投资|法律顾问|办公室|办公厅|门户|数据|服务|职能|系统|机关|合同|质量|和社会|党组|理论|"
        rf"[{CJK}]{{1,6}}?办事处)",
        "government",
    ),
    (r"政府办公室|办公厅|办公室(?!主任)", "government"),
    (r"街道办事处|办事处", "government"),
    (rf"{_DEPT}部(?!门|署|分|队|长)|人武部", "government"),
    (rf"{_DEPT_GOV}(?:厅|委)(?!长|员|托|屈|派|书记|会)", "government"),
    (r"律师事务所|公证处|司法所|派出所|研究所|事务所", "law-firm"),
    (r"委员会(?!委员)", "committee"),
    (r"领导小组|督察组|专班", "committee"),
    (r"(?<![为以])中心(?!组|城区|工作|任务|环节|思想|的|位置|地位|镇|村)", "service-station"),
    (r"(?:法律援助|公共法律服务|法律服务|服务|工作|检查|管理|联络)站(?!点|位)", "service-station"),
    (r"服务大厅|政务大厅", "service-station"),
    (r"(?:讲师|宣讲|顾问|服务|律师|专家|志愿服务|普法)团(?!队|结|体)|代表团", "team"),
    (r"(?:执法|稽查|志愿者|志愿服务)(?:大队|支队|中队|队)(?!伍|员)", "government"),
    (
        rf"(?:纪|政法|编|党|省|市|区|县|州|镇|乡|地)委(?!员|托|屈|派|书记|副书记|{_PARTY_BODY})",
        "party",
    ),
    (
        r"(?:依法治[省市区县]|法治|政府|党政|综治|信访|普法)办(?!理|结|件|事|公|案|好|实)",
        "government",
    ),
    (r"行署|行政公署", "government"),
    (r"(?<![格布结大全当开出时变新破残骗赌饭])局(?!面|长|势|部|限)", "government"),
    (r"(?:协调|工作|专项)小组(?!会|长)|联席会议(?!制度|机制)", "committee"),
    (r"(?:化解|调解|服务|工作)室(?!主任)|工作室", "service-station"),
    (
        r"设计院|研究院|社会科学院|社科院|科学院|电视台|卫视|日报社|报社|联盟|(?:研究|实践)基地",
        "other",
    ),
    (r"总工会|工会(?!主席)|大学|共同体(?!意识)|智库|评估机构|机构(?!改革|编制|职能|设置)", "other"),
)
_HEAD_RX = re.compile("|".join(f"(?:{h})" for h, _ in _HEADS))
_KIND_RX = [(re.compile(f"(?:{h})$"), k) for h, k in _HEADS]
_LEVEL_PREFIX = re.compile(r"^(?:[省市区县州镇乡]|全国|国家|中央|最高)$")
_GENERIC_START = re.compile(
    r"^(?:各|全(?!面|国)|多|相关|有关|其他|其它|部分|所有|本级|上级|下级|该|此|每|两|一|二|三|基层|"
    r"部门|单位|我|所属|新机构)"
)
_GENERIC = frozenset(
    "政府 人民政府 委员会 办公室 法院 政协 局 中心 事务所 委员会办公室 党委 机构 "
    "评估机构 大学 工会 共同体 智库 专班 领导小组 代表团 服务中心 新闻中心 办事处 发布机构 "
    "司法所 派出所 律师事务所 公证处 研究基地 实践基地 工作室".split()
)
# Heads that name a body on their own (常务会, 中心组, 党校): standing meetings and schools.
_BARE_OK = re.compile(rf"^(?:{_MEETING}|党校.*|督察组)$")
_PARTY_PLACES = re.compile(r"^(?:[省市区县州镇乡]|.+[省市区县州镇乡])委$")
# 中央 alone is an organ where it stands among organs or issues decisions (中央、省委; 中央决策部署).
_CENTRE = re.compile(
    r"(?<![党共])中央(?=(?:、|和|及)(?:[省市区县州]|自治区|我)|(?:关于|的)?[^,，。;；]{0,12}?(?:决策部署|重大部署|部署要求))"
)
_PERSON_AFTER = re.compile(
    r"(?:主要|分管)?(?:负责同志|负责人|领导同志|领导班子|班子成员|领导(?!小组|下|机制|体制|责任|作用|干部)|书记|副书记)"
)
_SYSTEM_AFTER = re.compile(r"(?:制度|机制|体制)")
_COUNT_BEFORE = re.compile(r"[0-9]")


def _meeting_kind(name: str) -> str:
    """A standing meeting is a body of the organ that holds it: 县政府常务会议 of the government,
    县委常委会会议 and 党组会议 of the party, a bare 常委会 of the people's congress."""
    if re.search(r"政府|常务会|全体会|办公会|例会", name):
        return "government"
    if re.search(r"委常委|党组|党委|中心组", name):
        return "party"
    return "legislature" if "常委会" in name else "committee"


def institution_kind(name: str) -> str:
    """The kind of body a name denotes, from its head noun."""
    if _PARTY_PLACES.match(name):
        return "party"
    for rx, kind in _KIND_RX:
        if rx.search(name):
            if kind == "meeting":
                return _meeting_kind(name)
            if kind == "law-firm" and name.endswith("司法所"):
                return "judicial-office"
            if kind == "law-firm" and name.endswith("公证处"):
                return "other"
            return kind
    return "other"


def _start_of(text: str, head_start: int, floor: int, quoted: tuple[int, int] | None) -> int:
    """Where the name whose head starts at `head_start` begins."""
    lo = max(floor, quoted[0] if quoted else floor)
    s = left_boundary(text, head_start, floor=lo, allow_quotes=quoted is None, stops=_STOPS)
    if text[s - 1 : s] == ")":
        # 各级各部门(党组)理论学习中心组: a parenthesis inside the name
        open_ = text.rfind("(", max(lo, s - 8), s)
        if open_ > lo and re.match(f"[{CJK}]", text[open_ - 1 : open_]):
            s = left_boundary(text, open_, floor=lo, allow_quotes=False, stops=_STOPS)
    if (
        text[s - 1 : s] == "和"
        and text[head_start - 1 : head_start] != "党"
        and re.search(r"[局厅部]$|[^党]委$", text[s:head_start] + text[head_start : head_start + 1])
        and not re.match(r"[省市区县乡镇]", text[s : s + 1])
    ):
        # 住房和城乡建设局, 人力资源和社会保障局: 和 inside a department's name
        s2 = left_boundary(text, s - 1, floor=lo, allow_quotes=False, stops=_STOPS)
        if 2 <= s - 1 - s2 <= 5:
            s = s2
    while s < head_start and _COUNT_BEFORE.match(text[s - 1 : s] or " ") and text[s] in "次届年":
        s += 1  # 第57次省委…, 2024年市政府…: the classifier of a number, not the name
        if text[s - 1] == "年" and text[s : s + 1] == "度":
            s += 1  # 2024年度…
    counted = re.match(r"[一二两三四五六七八九十]+[轮次届批]", text[s:head_start])
    return s + counted.end() if counted else s  # 两轮县机构改革领导小组会议: how often


def find_institutions(
    text: str,
    quotes: Quotes,
    *,
    start: int = 0,
    end: int | None = None,
    exclude: Sequence[tuple[int, int]] = (),
    every: bool = False,
) -> list[Found]:
    """Named organs in `text[start:end]`, in order of first mention, one per distinct name (with
    `every`, each mention). Names inside `exclude` (document titles, honours) are not read."""
    end = len(text) if end is None else end
    excluded = Cover(list(exclude))
    menus = Cover(menu_lines(text))
    central = _central_organs(text, quotes, start, end, excluded)
    in_central = Cover([(f.start, f.end) for f in central])
    out: list[Found] = list(central)
    floor = start
    for m in _HEAD_RX.finditer(text, start, end):
        if m.start() < floor or excluded(m.start()) or menus(m.start()) or in_central(m.start()):
            continue
        if quotes.inside_title(m.start()):
            continue
        q = quotes.inside_quote(m.start())
        if q is not None and m.end() == q[1] and re.match(f"[{CJK}]", text[q[1] + 1 : q[1] + 2]):
            continue  # “掌上法院”服务平台: a body's word naming something else
        s = _start_of(text, m.start(), floor, q)
        if q is not None and excluded(q[0]):
            continue
        if re.search(r"[0-9] ?$", text[max(0, s - 2) : s]) and text[s : s + 1] in "个家所支名":
            continue  # 5个律师事务所: a count of bodies, not a name
        if _not_a_body(text, s, m.start(), m.end(), floor):
            if re.match(
                r"^[省市区县][省市区县](?:人大|政协|政府|人民政府|两级)", text[s : m.end()]
            ):
                floor = m.end()
            continue
        name = text[s : m.end()]
        out.append(Found(s, m.end(), name, institution_kind(name)))
        floor = m.end()
        tail = re.match(r"及其常委会", text[m.end() : m.end() + 5])
        if tail and name.endswith("人大"):
            # 县人大及其常委会 names two bodies; the second as written
            out.append(Found(m.end() + 2, m.end() + 5, "常委会", "legislature"))
            floor = m.end() + 5
    out.sort(key=lambda f: (f.start, f.end))
    return out if every else first_mentions(out)


def _not_a_body(text: str, s: int, hs: int, he: int, floor: int) -> bool:
    """Whether the words `text[s:he]` with the head at `hs` name no one body: a kind of bodies,
    bodies counted, a system named after a body, a member, a one-off meeting."""
    head, name, prefix = text[hs:he], text[s:he], text[s:hs]
    if head.startswith("机构") and re.match(r"\s*[0-9]", text[he : he + 3]):
        return True  # 专门化解机构2个: bodies of a kind, counted
    if _SYSTEM_AFTER.match(text, he):
        return True  # 专家咨询委员会制度: the name of a system, not of a body
    listed = "、" in (text[s - 1 : s], text[he : he + 1])
    if not prefix and head == "法院" and listed:
        return False  # 政法委、法院、检察院: the area's court among its organs
    if not prefix and not _BARE_OK.match(head) and head in _GENERIC | {"委员会办公室"}:
        return True
    if name in _GENERIC or (not prefix and head in _GENERIC):
        return True
    if prefix in _GENERIC and not _BARE_OK.match(head):  # 委员会办公室: a short reference
        return True
    if not prefix and head.startswith("党委") and not _BARE_OK.match(head):
        return True
    if _GENERIC_START.match(name) and not _LEVEL_PREFIX.match(prefix):
        return True
    if re.search(r"\([省市区县乡镇村社、]+\)|\((?:党组|党委)\)|\(党\(组\)\)", name):
        return True  # 县(区)政府, 各县(市、区), 党委(党组)理论学习中心组: bodies of a kind
    if not prefix and head in ("政协", "人大常委会"):
        return True  # 政协委员: members, not the body
    if head == "人大" and re.match(r"建议|议案|代表", text[he : he + 2]):
        return True  # 人大建议: the deputies' proposals
    if re.match(r"^[省市区县州][省市区县州](?:人大|政协|政府|人民政府|两级|党校)", name):
        return True  # 县区政府, 市县人大, 州县党校: the bodies of two levels, a kind
    if len(prefix) == 1 and re.search(r"[省市区县州乡镇]、$", text[max(0, s - 2) : s]):
        return True  # 省、州党委: the committees of two levels
    if re.search(r"第[0-9一二三四五六七八九十]+次$", text[max(0, s - 6) : s]) and re.search(
        r"会议?$", head
    ):
        return True  # 市政府第36次党组会: one meeting, not the standing body
    if re.search(r"第[0-9一二三四五六七八九十]+次", prefix) or re.match(
        r"[一二三四五六七八九十]+届", text[he : he + 3]
    ):
        return True  # 第二次联席会议, 省委十二届二次全会: a meeting, not the body
    if _PERSON_AFTER.match(text, he) and text[s - 1 : s] != "、":
        return True  # 市政府主要负责同志, 区委副书记: a person, named by the body's post
    # (区委、区政府主要负责同志 names the two bodies whose heads act)
    return hs == floor and bool(re.fullmatch(r"全体会议?|办公会议?|会议", head))


def _central_organs(
    text: str, quotes: Quotes, start: int, end: int, excluded: Cover
) -> list[Found]:
    """党中央, 国务院 …: organs named without a place (a word list), and 中央 among organs."""
    found = [
        (m.start(), m.end())
        for m in alternation("central_organs").finditer(text, start, end)
        if not re.match(r"[门令代]", text[m.end() : m.end() + 1])
    ]
    found += [(m.start(), m.end()) for m in _CENTRE.finditer(text, start, end)]
    return [
        Found(s, e, text[s:e], "government")
        for s, e in found
        if not quotes.inside_title(s) and not excluded(s) and not quotes.inside_quote(s)
    ]
