"""The grammar of mechanism names (shared/eval/ANNOTATION.md, "mechanisms"): the head nouns a name
ends in, the words that start or cannot start one, and the reading of names that end in a head
noun (…制度, …机制, …清单, …审查, …督察, …专项整治) and start after the verb before them.
"""

from __future__ import annotations

import re

from fazhi_kg.extract.clauses import CJK, STOP_WORDS, Cover, Quotes, left_boundary
from fazhi_kg.extract.found import Found
from fazhi_kg.extract.lexicon import alternation

# head noun → the kind of mechanism it names (the ontology's mechanism kinds)
SYSTEM_HEADS = {
    "制度": "制度",
    "机制": "机制",
    "体制": "制度",
    "体系": "制度",
    "清单": "清单",
    "目录": "清单",
    "程序": "程序",
    "流程": "程序",
    "模式": "模式",
    "平台": "平台",
    "系统": "平台",
    "网站": "平台",
    "热线": "通道",
    "专栏": "专栏",
    "通道": "通道",
    "窗口": "通道",
    "基准": "制度",
    "标准": "制度",
    "品牌": "服务",
    "工程": "行动",
    "行动": "行动",
    "改革": "行动",
    "试点": "行动",
    "专项整治": "行动",
    "整治": "行动",
    "闭环管理": "制度",
    "化管理": "制度",
    "资格管理": "制度",
    "服务圈": "服务",
    "宣传周": "行动",
    "讲堂": "服务",
    "阵地": "平台",
    "专网": "平台",
    "服务网": "平台",
    "通办": "服务",
    "网办": "服务",
    "主题教育": "行动",
    "专项监督": "行动",
    "专项检查": "行动",
}
# Activities a report runs (述法, 督察, 评估): names when a field or manner stands before them.
ACTIVITY_HEADS = {
    h: "程序"
    for h in (
        "审查 审核 公示 评议 评查 评估 督察 督查 巡察 考核 考评 述法 学法 考法 述职 轮训 "
        "示范创建 备案 清理 立案 比武 验收 听证 抽检 活动 预警 惩戒 知识考试 自查 研判 评价 抽查 "
        "实质化解 实质性化解 综合受理 无差别受理"
    ).split()
}
HEADS = {**SYSTEM_HEADS, **ACTIVITY_HEADS}
# X制: a working rule named by what is done (末位表态制, 首问负责制, 销号制)
ZHI = (
    r"(?:表态|代表|承诺|责任|负责|办结|告知|销号|包保|积分|联系|轮值|坐班|值班|会签|问责|"
    r"点评|督办|首问|限时)制(?!度|定|作|订|发)"
)
HEAD_RX = re.compile(
    "|".join(sorted((re.escape(h) for h in HEADS), key=len, reverse=True)) + f"|{ZHI}"
)
HEAD_SET = frozenset(HEADS)
HEAD_END = re.compile(
    "(?:" + "|".join(sorted((re.escape(h) for h in HEADS), key=len, reverse=True)) + f"|{ZHI})$"
)
SYSTEM_END = re.compile(
    "(?:" + "|".join(sorted(map(re.escape, SYSTEM_HEADS), key=len, reverse=True)) + f"|{ZHI})$"
)
# What follows a head word when it is part of a longer word (制度化, 评估率, 制度建设, 管理服务).
CONTINUES = re.compile(
    r"[化性式员率费局办室会]|建设|创新|服务|事项|人员|机构|优势|规范|梳理|谋划|(?:实施|工作)?方案|计划"
)
# heads whose name a following 事项 does not continue (一窗通办事项: the items of the service)
ITEMS_AFTER_OK = frozenset({"通办", "网办"})
CLASSIFIERS = "名个次人家项届条件期场所"
REACH = 20  # characters: the longest name a head noun ends
# sectors of government (公安系统, 税务系统): a 系统 after them is the sector, not a platform
SECTORS = "政府|公安|检察|法院|审判|税务|教育|卫生|卫健|交通|交通运输|市场监管|生态环境|自然资源|民政|财政"
# Verbs whose doer (a person, a body) comes before an activity: 镇长带头学法, 压实责任抓考核.
DOER_VERB = re.compile(r"(?:带头|抓|进行|完成|参加|组织|开展|实行|坚持|做好|会上|议上)$")
DOER = re.compile(r"负责人|负责同志|领导干部|干部职工|干部|职工|工作人员|领导(?!班子)")
ORGAN_IN_CORE = re.compile(r"(?:主管|职能|相关|有关|行业|执法)部门")
GOVERNING = frozenset(
    "完善 建立 健全 建立健全 落实 推进 加强 深化 进一步 开展 实行 推行 构建".split()
)
# Verbs whose object a head word is (深化改革, 完善机制, 加强制度).
GOVERNED = re.compile(
    r"(?:深化|加强|完善|健全|建立|开展|推动|强化|优化|创新|实行|推行|实施|执行|构建|"
    r"打造|建成|形成|坚持|谋划|发展|运用|进行)$"
)

# Verbs that start a clause in this genre besides the shared stop words.
# 提升, 突出 and 协调 name things (能力提升行动, 突出问题专项整治, 协调委员会制度) more often than
# they start a clause.
STOPS = (STOP_WORDS - {"提升", "提高", "突出", "协调"}) | frozenset(
    "规范 优化 简化 细化 实化 改进 创新 梳理 汇总 配置 用好 狠抓 坚决 紧扣 落细 重视 关注 部署 "
    "安排 审议 修订 开创 召开 主持 听取 运用 利用 充分利用 建立健全 健全完善 开展了 聚焦 全年 专题研究 "
    "以 对照 参照 严格执行 认真执行 全面推行 大力 着力 深入推进 持续推进 积极推进 加大 做到 "
    "带头 亲自 督促 强力 推行 贯彻 召集 参与 担任 为 进行 谋划 锚定 履行 完成 兼顾 解决 抓 上 公布 "
    "统一 列席 融入 确保 要求 确认".split()
)
# Modifiers that name no mechanism on their own (工作机制, 长效机制, 相关制度).
GENERIC_CORE = re.compile(
    r"^(?:工作|长效|相关|有关|各项|管理|协调|联动|保障|运行|考核|监督|领导|责任|体制|常态化|规范化|"
    r"一体化|标准化|制度|政务|公共|法律|便民|优质|高效|优化|网上|线上|线下|全面|专项|审批|决策|"
    r"执法|普法|重大|配套|制度化|服务|工作制度|法治|法定|两级|多元|综合|信息|数据|媒体|实体|"
    r"网络|宣传|各类|多种|有效|新|新型|良好|完整|健全|科学|基本|总体|治理|依法|现代|长期|"
    r"系统|内部|外部|事前|事中|事后|日常|动态|主体|重点|基础|规范|建设|发展|年终|年度|门户|示范|情况|排查|"
    r"工作推进|总结|一体|检查|[省市县区乡镇]级)*$"
)
VAGUE_START = re.compile(
    r"^(?:各|相关|有关|其他|其它|部分|所有|该|此|每|本|我|全区|全县|全市|部门|目前|当前|年内)"
)
# An activity is a name with these before it only when quoted or in the lexicon (开展宣传活动).
GENERIC_ACTIVITY = re.compile(
    r"(?:宣传|学习|研讨|培训|普法|主题|法治|集中|各类|系列|专题|相关|工作|检查|监督|教育|文化|"
    r"公益|志愿|服务|实践|(?<!示范)创建|调研)$"
)
ACTIVITY_SPECIFIC = {
    "活动": 4,  # 在线学习答题活动: a named activity has a long name
    "知识考试": 2,
    "备案": 4,
    "清理": 4,
    "公示": 4,
}
BOUNDARY_AFTER = re.compile(
    rf"(?:$|[^{CJK}]|的|和|与|及|等|被|为|在|中|工作|上|后|时|情况|要求|任务|服务|整改|重点|纳入|列入|"
    # 考评第一, 评估全国前十: the rank an evaluation gave
    r"(?:全国|全省|全市)?(?:第|前)[一二三四五六七八九十])"
)
NOT_AFTER_VERB = re.compile(
    r"(?:整治|整改|治理|查处|纠正|解决|破解|杜绝|防止|克服|被评为|评为|获评|荣获|表彰为|命名为|"
    r"拥护|增强|树牢|坚定|锚定[\u4e00-\u9fff]{0,3})$"
)
# Items that are mechanisms of their own when listed before 等工作机制 (复议约谈、败诉通报).
ACTION_END = re.compile(
    r"(?:预警|通报|约谈|审查|审核|评议|公示|督办|督查|会商|研判|报告|备案|回访|考核|调度|提醒|"
    r"通知|核查|联审|联办|评估|听证|对接|协作|衔接|参与|论证|讨论|决定|公布|记录|反馈|整改|销号|"
    r"宣誓|学法|考法|述法)$"
)


def kind(name: str) -> str:
    """The kind of mechanism a name names: its head noun's, a procedure where it ends in an act
    (合法性审查, 述法, 公众参与), else a system (“放管服”, 简政放权)."""
    bare = name.rstrip("”")
    for head in sorted(HEADS, key=len, reverse=True):
        if bare.endswith(head):
            return HEADS[head]
    if re.search(r"(?:审查|审核|论证|参与|讨论|决定|公布|公开|评议|记录|监管|督办|立案)$", bare):
        return "程序"
    return "制度"


def _is_head_end(text: str, end: int) -> bool:
    return bool(HEAD_RX.match(text, end)) and not text.startswith(("工作", "服务"), end)


def headed(text: str, quotes: Quotes, start: int, skip: Cover) -> list[Found]:
    """Unquoted names that end in a head noun."""
    out: list[Found] = []
    for m in HEAD_RX.finditer(text, start):
        hs, he = m.start(), m.end()
        head = m.group(0)
        if skip(hs) or quotes.inside_title(hs) or quotes.inside_quote(hs):
            continue
        if CONTINUES.match(text, he) and not (
            (head in ACTIVITY_HEADS and text.startswith("服务", he))
            or (head in ITEMS_AFTER_OK and text.startswith("事项", he))
        ):
            continue  # 制度化, 评估率, 制度建设, 管理服务: the head word is part of another word
        if head in ("标准", "目录") and re.match(r"\s*[0-9]+\s*[项个条类]", text[he : he + 6]):
            continue  # 服务标准79项: standards counted, not a named one
        if _is_head_end(text, he) or text.startswith("等方面", he):
            continue  # 清单制度, 审查流程: the name goes on; 标准等方面: a topic, not a name
        if head in ACTIVITY_HEADS and not BOUNDARY_AFTER.match(text, he):
            continue  # 合法性审查意见, 督察反馈: the activity qualifies another word
        s = _name_start(text, hs, head, skip)
        if s < 0:
            continue
        core = text[s:hs]
        if GOVERNED.search(core) and not core.endswith(("提升", "提高")):
            continue  # 深化改革, 完善机制: a verb and its object, not a name
        counted = re.search(r"[一二三四五六七八九十]+[大项个条类]$", core)
        if counted and (counted.start() == 0 or _in_list(text, s)):
            continue  # 专家论证、风险评估五大程序: a count of the items listed, named by them
        if _in_list(text, s) or core.endswith("等") or text[s - 1 : s] == "等":
            out.extend(_listed(text, s, hs, he, head))
            continue
        if not _core_ok(core, head):
            continue
        ranked = re.match(r"(?:全国|全省|全市)?(?:第|前)[一二三四五六七八九十]", text[he : he + 4])
        if NOT_AFTER_VERB.search(text, max(0, s - 4), s) and not ranked:
            continue  # 荣获…示范县: an honour; 荣获…考评第一: the evaluation that ranked
        out.append(Found(s, he, text[s:he], HEADS.get(head, "制度")))
    return out


def _name_start(text: str, hs: int, head: str, skip: Cover) -> int:
    """Where a name whose head starts at `hs` begins (-1: no name): after the verb before it, a
    year (2021年度…) or a body (县政府常务会议集体学法). Things counted (40个乡镇政府网站) are
    things of a kind, not a name."""
    s = left_boundary(text, hs, allow_quotes=False, limit=REACH, min_len=2, stops=STOPS)
    nearest = left_boundary(text, hs, allow_quotes=False, limit=REACH, stops=STOPS)
    one_word = hs - nearest == 1 and text[nearest] in "全总新各大小多"
    if one_word or (head in ACTIVITY_HEADS and DOER_VERB.search(text, max(0, hs - 3), hs)):
        return -1  # 提供全流程, 镇长带头学法: a verb's object, not a name
    if s == hs - REACH and re.match(f"[{CJK}]", text[s - 1 : s] or " "):
        return -1  # no word boundary within reach: a sentence, not a name
    organ = list(ORGAN_IN_CORE.finditer(text, s, hs))
    if organ and hs - organ[-1].end() >= 2:
        s = organ[-1].end()  # 行业主管部门执法信息共享机制: the bodies that share, then the name
    while s < hs and skip(s):
        s += 1
    if head in ACTIVITY_HEADS and re.search(
        r"\((?:党组|党委|部门|单位)\)$", text[max(0, s - 4) : s]
    ):
        return -1  # 党委(党组)理论学习中心组学法: a kind of body's practice
    year = re.match(r"年度?", text[s:hs]) if re.match(r"[0-9]", text[s - 1 : s] or " ") else None
    if year:
        s += year.end()
    elif re.match(r"[0-9]", text[s - 1 : s] or " ") and text[s : s + 1] in CLASSIFIERS:
        if head in SYSTEM_HEADS:
            return -1
        s += 1  # 18个乡镇执法队评议考核: the activity of the bodies counted
    if text[s - 1 : s] == "的" and text[hs : hs + 2] in ("机制", "制度"):
        # 权责清单动态调整的协调配合机制: a named list before 的 belongs to the name
        b = left_boundary(text, s - 1, limit=12, allow_quotes=False, stops=GOVERNING)
        if alternation("mechanisms").search(text, b, s - 1) or HEAD_RX.search(text, b, s - 1):
            s = b
    times = re.match(r"[一二三四五六七八九十两]+次", text[s:hs])
    if times:
        s += times.end()  # 每季度开展一次执法监督检查: how often, not the name
    if text[s - 1 : s] == "和" and "领域" in text[s:hs]:
        # 食品安全和药品监管领域突出问题整治: two fields joined in one name
        s = left_boundary(text, s - 1, limit=10, allow_quotes=False, stops=STOPS)
    if head in ACTIVITY_HEADS and text[s - 2 : s] in ("全国", "全省", "全市", "全区", "全县"):
        s -= 2  # 全省政务公开第三方评估: the level an evaluation is run at is part of its name
    doer = list(DOER.finditer(text, s, hs)) if head in ("述法", "述职", "学法") else []
    if doer and re.fullmatch(r"主动|带头|自觉|积极|", text[doer[-1].end() : hs]):
        return -1  # 干部职工学法, 机关工作人员主动学法: people learning, no named practice
    if doer and hs - doer[-1].end() != 1:
        return doer[-1].end()  # 部门主要负责人述法: who reports is not part of the name
    place = re.match(r"我[区市县省镇乡]", text[s:hs])
    return s + place.end() if place else s


def _in_list(text: str, s: int) -> bool:
    """Whether a name starting at `s` closes a list (A、B制度; A、B及C制度)."""
    before = text[s - 1 : s]
    return before == "、" or (before in "及和与" and "、" in text[max(0, s - 14) : s])


def _core_ok(core: str, head: str) -> bool:
    """Whether the words before a head make it a name."""
    if head in ACTIVITY_HEADS:
        core = re.sub(r"^全[国省市区县]", "", core)  # 全省…督察: the level it is run at
    if head in ACTIVITY_HEADS and re.fullmatch(r"法治(?:政府)?建设", core):
        return True  # 法治建设考评, 法治政府建设督察: the field names the activity
    if head in ("服务网", "专网") and len(core) >= 2:
        return True  # 政务服务网, 依法治省专网: a network of its own
    if head in ("述法", "学法", "述职", "督察", "巡察", "评估", "评查", "立案"):
        return len(core) >= 2 and not VAGUE_START.match(core) and core not in ("工作", "总结")
    if len(core) < 2 or VAGUE_START.match(core) or (len(core) <= 3 and GENERIC_CORE.match(core)):
        return False
    if GENERIC_CORE.match(core) and head not in ("热线", "平台", "网站", "窗口", "专栏", "系统"):
        return False  # 法律服务热线 names a line; 工作制度, 监督管理机制 name nothing
    if head in ("体系", "体制") and re.search(
        r"(?:制度|治理|责任|职责|组织|工作|教育|培训)$", core
    ):
        return False  # 依法行政制度体系, 政府治理体系, 干部教育培训体系: goals, not named systems
    if re.search(r"结合的?$", core):
        return False  # 集中学习、专题研讨相结合的模式: a way described, not named
    if head == "系统" and re.search(rf"(?:政法|司法行政|{SECTORS})$", core):
        return False  # 政法系统, 司法行政系统: a sector of government, not a platform
    if head in ("系统", "网站") and core == "政府":
        return False  # 政府系统, 政府网站: the government's, unnamed
    if head == "知识考试" and "法" not in core:
        return False  # 业务知识考试: an exam, not one on the law
    if head in ACTIVITY_HEADS:
        need = ACTIVITY_SPECIFIC.get(head, 2)
        if len(core) < need or (head == "活动" and GENERIC_ACTIVITY.search(core)):
            return False
    return True


def _items_before(text: str, cur: int) -> list[tuple[int, int]]:
    """The items separated by 、 (or a last 及/和/与) that end at `cur`, first to last."""
    items: list[tuple[int, int]] = []
    while len(items) < 9:
        b = left_boundary(text, cur, allow_quotes=False, limit=16, min_len=2, stops=STOPS)
        if cur - b < 2:  # 备案及清理: an item that is a stop word itself
            b = cur
            while b > cur - 16 and re.match(f"[{CJK}]", text[b - 1 : b] or " "):
                b -= 1
        if cur - b >= 2:
            items.append((b, cur))
        if not _in_list(text, b) or b == cur:
            break
        cur = b - 1
    return items[::-1]


def _listed(text: str, s: int, hs: int, he: int, head: str) -> list[Found]:
    """`A、B等工作机制`, `A、B制度`: the listed items, or the whole list as one name."""
    sort = HEADS.get(head, "制度")
    etc = text.rfind("等", max(0, s - 1), hs)
    if etc >= 0:
        tail = text[etc + 1 : hs]
        items = _items_before(text, etc)
        if not items or "的" in tail or "方面" in tail or "领域" in tail:
            return []  # 等方面的制度, 等领域改革: no name
        if all(ACTION_END.search(text[b:e]) for b, e in items) and (
            not tail or GENERIC_CORE.match(tail)
        ):
            return [Found(b, e, text[b:e], sort) for b, e in items]  # 复议约谈、败诉通报等工作机制
        if tail and GENERIC_CORE.match(tail):
            return []  # 公园、广场等实体平台: things of a kind, not a name
        return [Found(items[0][0], he, text[items[0][0] : he], sort)]
    core = text[s:hs]
    items = _items_before(text, s - 1)
    parts = len(items) >= 2 and all(e - b >= 4 for b, e in items)
    if parts and core and GENERIC_CORE.match(core) and head in SYSTEM_HEADS and len(core) >= 4:
        # 科学决策、民主决策、依法决策制度: one system named by its three parts
        return [Found(items[0][0], he, text[items[0][0] : he], sort)]
    if not core or not _core_ok(core, head):
        return []  # 法治督察、述法: the head stands alone; 项目立项、建设标准: no name
    if not items or head not in SYSTEM_HEADS or any(SYSTEM_END.search(text[b:e]) for b, e in items):
        # 宪法宣誓制度、集体学法制度: the items are names of their own
        return [Found(s, he, text[s:he], sort)] if _core_ok(core, head) else []
    if len(items) == 1 and _common_prefix(text[items[0][0] : items[0][1]], text[s:he]) >= 2:
        # 行政执法特邀监督员、行政执法协调委员会制度: two names sharing their field
        return [Found(b, e, text[b:e], kind(text[b:e])) for b, e in (*items, (s, he))]
    return [Found(items[0][0], he, text[items[0][0] : he], sort)]  # 常态联络、定期沟通制度


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n
