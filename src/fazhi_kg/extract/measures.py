"""What a number measures: the noun phrase a count classifies, or the activity the clause names.

`58个执法单位接入平台` counts 执法单位 (the noun after the measure word); `专题学法12次`
counts 专题学法 (the clause before the number). Never a verb alone, never a bound (将, 仅, 不少于).
"""

from __future__ import annotations

import re

from fazhi_kg.extract.clauses import CJK, clause_start

# Words at the start of a clause that say where, when or how much, not what.
_LEADING = re.compile(
    r"^(?:[0-9]{4}年(?:以来|度|内|底)?|今年以来|年初以来|全区|全市|全县|全省|全镇|全乡|全街道|全委|全局|全厅|全年|共计|共|累计|其中|同比|分别|先后|目前|"
    r"截至目前|截至年底|截至|年内|当年|今年|本年度|已|均|又|再|并|还|另|新|将|仅|以|对|为|在|向|从|于|"
    r"不少于|不低于|超过|达到|约(?!谈|束)|近(?!期|年))+"
)
# Words at the end of the clause before a number: links, bounds and comparisons, not what.
_TRAILING = re.compile(
    r"(?:(?<![年人户日月])均|都|分别|同比|为|是|达到|达|保持|提升至|提高到|提高至|降至|下降至|在|共计|共|"
    r"合计|总计|累计|压缩至|压缩到|缩短至|缩短到|控制在|降低至|"
    r"约|近|仅|将|不少于|不低于|超过|已|有|计)+$"
)
_VERBS = re.compile(
    r"^(?:开展|组织|举办|召开|办理|受理|调处|化解|排查|培训|清理|审查|提出|备案|完成|保留|回收|"
    r"收集|核查|发布|填报|归集|办结|打捞|接收|开设|公开|统筹|建成|成立|培养|提供|设立|打造|引进|"
    r"组建|听取|梳理|装订|整改|查处|处理|立案|结案|执行|接待|解答|出具|发放|举行|参加|参与|覆盖|"
    r"推动|实现|新增|创建|评选|表彰|命名|聘请|聘任|选聘|配备|修订|制定|出台|印发|起草|审核|复核|"
    r"纠正|撤销|维持|驳回|赔偿|追回|挽回|减免|帮助|惠及|走访|检查|抽查|督查|考核|评议|评查|约谈|"
    r"通报|问责|移送|拘留|限制|办复|答复|录入|审批|作出|做出|印制|编印|发送|推送|更新|新建|改建|"
    r"增建|修缮|安装|配置|投入|落实|收到|接到|处置|调解|办|建|开|出|发|审|收|录|签订|签约|签|"
    r"解决|追缴|罚没|征收|举报|投诉|申请|聘用|聘|进行|进驻|下放|入选|通过|纳入|获评|获得|荣获|"
    r"被评为|列入|实行|推行|明确|涉及|抽选|指导|组织开展|参训|参考|进入|推广|征订|订购)+"
)
_LONG_VERBS = "|".join(
    v for v in _VERBS.pattern.removeprefix("^(?:").removesuffix(")+").split("|") if len(v) >= 2
)
_ANY_VERB = re.compile(_LONG_VERBS)
# Where the noun phrase after a measure word ends: the predicate that says what happened to the
# things counted (…个执法单位|接入平台), an adverb before it, or a word that links it to more.
_NOUN_END = re.compile(
    r"(?:纳入|实现|进驻|入选|参加|参与|完成|进行|通过|配备|配有|获得|获评|荣获|下放|接受|提供|建立|"
    r"设立|成立|覆盖|达到|签订|作出|做出|出具|发布|受理|办结|列入|实行|推行|参训|接入|上线|享受|"
    r"受益|领取|制定|开展|办理|整改|得到|被|于|在|向|对|和|及|与|等|均|已|将|并|为|从|分别|共|累计|"
    r"有序|有效|全面|顺利|稳步|扎实|持续|高效|依法|按时|全部|先后|以内|以下|以上|左右|内|"
    r"中(?=排|位|名|[,。;、]|$))"
)
_PREDICATE = re.compile(
    r"纳入|实现|进驻|入选|参加|参与|完成|进行|通过|配备|配有|获得|获评|荣获|下放|接受|设立|成立|"
    r"覆盖|签订|作出|做出|受理|办结|列入|参训|接入|上线|享受|领取|制定|开展|办理|整改"
)
# A modifier before 的 that is a clause (可在网上办理的事项), not a noun (乡镇的调解室).
_CLAUSE_MODIFIER = re.compile(rf"^(?:可|能|已|被|由)|{_LONG_VERBS}|推广|复制")
_BOOK_TITLES = re.compile(r"《[^《》]*》(?:、?《[^《》]*》)*等?")
_SUBJECT_END = re.compile(r"(?:局|委|院|办|所|府|会|部门|单位|中心|站|队|等|全年|年内|今年)$")
_AFTER = re.compile(f"[{CJK}“”()]{{1,30}}")
# 三个方面内容 counts 方面; 六家企业负责人 counts 企业 (家 is no measure word for people).
_GENERIC_TAIL = re.compile(r"(?<=..)(?:内容|情况)$")
_PERSON_TAIL = re.compile(
    r"(?<=..)(?:党政)?(?:主要)?(?:负责人|负责同志|领导干部|干部|工作人员|人员|代表|委员)$"
)
_PERSON_UNITS = frozenset("名 人 人次 位".split())


def noun_after(text: str, pos: int, unit: str = "") -> str:
    """The noun phrase right after a measure word (`196个|行政执法部门|纳入管理`), or "" where a
    verb or a link follows instead. A quoted name is taken whole (三个|“清零”); a measure word
    for bodies or things does not count the people named after them (六家|企业|负责人)."""
    m = _AFTER.match(text, pos)
    if not m:
        return ""
    run = m.group(0)
    if run.startswith("“") and "”" in run:
        return run[1 : run.index("”")]
    if _NOUN_END.match(run):
        return ""
    cut = _NOUN_END.search(run, 1)
    predicate = ""
    if cut is not None and _PREDICATE.match(m.group(0), cut.start()):
        # 420项事项|实现“掌上办”: the things counted are those the predicate names
        rest = re.match(
            r"[^,。;:、!?\n()0-9]{1,20}(?=[,。;:、!?\n()0-9]|$)", text[pos + cut.start() :]
        )
        predicate = re.sub(r"[“”了]", "", rest.group(0)) if rest else ""
    run = run[: cut.start()] if cut else run
    run = _GENERIC_TAIL.sub("", run) or run
    if unit not in _PERSON_UNITS:
        run = _PERSON_TAIL.sub("", run) or run
    if "的" in run:
        # 可在网上办理的审批事项: a clause before 的 modifies the noun after it;
        # 9个乡镇的调解室: a noun before 的 is what is counted
        left, _, right = run.rpartition("的")
        run = right if _CLAUSE_MODIFIER.search(left) and len(right) >= 2 else run.split("的")[0]
    run = _balance(run.replace("“", "").replace("”", ""))
    if len(run) < 2:
        return ""
    return f"{predicate}的{run}" if predicate and "的" not in run else run


def _balance(s: str) -> str:
    """Drop an unclosed bracket at the end (区(市 → 区)."""
    if s.count("(") > s.count(")"):
        s = s[: s.rfind("(")]
    return s.rstrip("(")


def clause_before(text: str, start: int, floor: int = 0) -> str:
    """The clause before a number, less the words that are not what it measures: 县复议局全年受理
    复议案件 → 受理复议案件; 网上办理事项达到 → 网上办理事项."""
    cs = max(clause_start(text, start), floor)
    before = text[cs:start].rstrip()
    # 征订《…》917册: a title right before the number is what is counted; others are dropped
    # (学习《…》《…》等法律法规)
    kept = re.search(r"《[^《》]*》$", before)
    before = _BOOK_TITLES.sub("", before) + (kept.group(0) if kept else "")
    before = _TRAILING.sub("", re.sub(r"[“”‘’\"]", "", before))
    core = _LEADING.sub("", before).strip()
    # what is counted is the verb with its object, not the body that acts: 县复议局全年|受理复议案件
    # (a verb inside a name stays: 村级调解组织, 行政检查执法)
    for verb in _ANY_VERB.finditer(core):
        if len(core) - verb.end() >= 2 and _SUBJECT_END.search(core, 0, verb.start()):
            core = core[verb.start() :]
            break
    if len(core) > 20 and "等" in core[:-2]:
        core = core[core.rindex("等", 0, len(core) - 2) + 1 :]  # 学习《…》《…》等|法律法规
    return core


def rank_measure(text: str, start: int, floor: int, unit: str) -> str:
    """What a rank ranks: 在全省16个市中排名第三 → 市中排名; 以全县综合第二 → 全县综合排名."""
    cs = max(clause_start(text, start), floor)
    core = re.sub(r"[“”‘’\"]", "", text[cs:start])
    core = re.sub(
        r"^(?:连续[0-9一二两三四五六七八九十]+年)?(?:以|在|荣获|获得|获|被评为)?", "", core
    )
    core = re.sub(r"位居|位列|名列|排名|居", "", core)
    return core + ("档次" if unit == "档次" else "排名")


def clause_after(text: str, pos: int) -> str:
    """The words after a number up to the clause end or the first quoted name (连续三年|获评示范
    单位; 2人|分别被评为“优秀调解员”)."""
    m = re.match(f"[{CJK}“”()]{{1,30}}", text[pos:])
    if m is None:
        return ""
    run = m.group(0)
    if "”" in run:
        run = run[: run.index("”")]
    return re.sub(r"^(?:分别|均|已|共|都)+", "", run.replace("“", ""))
