"""A deterministic generator of genre-like annual rule-of-law reports (法治政府建设情况报告).

Every sentence comes from templates written for this benchmark; the governments are real divisions of
the gazetteer (`fazhi_kg.extract.gazetteer`: provinces, cities and counties that existed under one
name from 2019 to 2023, in a random order, then townships), each with a report for each year of
2019–2023, so report ids and jurisdictions are real and distinct; bodies, cases, honours and
figures are invented.
Rates are computed from the counts beside them, breakdowns never exceed their totals, every problem
has a plan that repeats its key phrase, and a place keeps some of its problems from year to year.

    from genre import generate
    for name, text in generate(100, seed=0): ...
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["generate"]

YEARS = (2019, 2020, 2021, 2022, 2023)
# kinds of government that publish these reports (a sub-district office, a special administrative
# region or Taiwan do not)
_REPORTING = ("省", "自治区", "市", "州", "地区", "盟", "区", "县", "旗", "镇", "乡")


@dataclass(frozen=True)
class Place:
    """A real division of the gazetteer, as the reports about it name it."""

    province: str  # its province (itself for a province)
    city: str  # its superior as the text names it (the province for a city or a municipality's district)
    county: str  # its own name: the reporting government
    gov: str  # how the title names the government: 南昌市东湖区, 江西省南昌市, 江西省
    code: str
    themes: tuple[int, ...]  # the problems this place tends to report

    @property
    def unit(self) -> str:
        """What the text calls it: 县, 区, 市, 省 … (an autonomous region 区)."""
        from fazhi_kg.extract.gazetteer import kind_of

        kind = kind_of(self.county)
        return "区" if kind in ("自治区", "地区") else kind


def _steady(d: object, g: object) -> bool:
    """A division that exists under one name and code from 2019 to 2023, and reports."""
    from fazhi_kg.extract.gazetteer import kind_of

    return (
        not d.quasi  # type: ignore[attr-defined]
        and d.current_in(2019)  # type: ignore[attr-defined]
        and d.current_in(2023)  # type: ignore[attr-defined]
        and kind_of(d.name) in _REPORTING  # type: ignore[attr-defined]
        and not d.code.startswith(("71", "81", "82"))  # type: ignore[attr-defined]
    )


def _places(rng: random.Random, n: int) -> list[Place]:
    """`n` real divisions, each with its years of reports: provinces, cities and counties in a
    random order, then townships (there are about 3,170 of the others)."""
    from fazhi_kg.extract.gazetteer import gazetteer

    g = gazetteer()
    upper = sorted((d for d in g if d.level != "township" and _steady(d, g)), key=lambda d: d.code)
    rng.shuffle(upper)
    chosen = upper[:n]
    if len(chosen) < n:
        towns = sorted(
            (d for d in g if d.level == "township" and _steady(d, g)), key=lambda d: d.code
        )
        rng.shuffle(towns)
        chosen += towns[: n - len(chosen)]
    out = []
    for d in chosen:
        path = [p.name for p in g.path(d, 2021)]
        province = path[0]
        superior = path[-2] if len(path) > 1 else province
        gov = "".join(path[-2:]) if len(path) > 1 else province
        themes = tuple(rng.sample(range(len(PROBLEMS)), 5))
        out.append(Place(province, superior, d.name, gov, d.code, themes))
    return out


# ---------------------------------------------------------------------------------------------
# Templates. `{a=100-400}` draws a whole number, prints it and names it a; `{b<a}` draws one between
# 70% and 100% of a; `{c<<a}` one between 5% and 30% of a; `{a}` prints a again; `{%b/a}` prints
# b/a in percent with one decimal; `{~5-40}` draws and prints an unnamed number; `{$10-900}` an
# amount with one decimal. {U} is 县 or 区, {J} the county, {C} the city, {P} the province,
# {Mx} a mechanism from pool x, `{c|a-b}` one between 1 and a-b, {V} a village, {S} a surname, {Y} the year.

DUTIES = [
    (
        "带头学习贯彻习近平法治思想",
        [
            "落实会前学法制度。{U}政府常务会议全年会前学法{~8-24}次，{U}长带头讲授法治专题课{~1-4}次，学习内容涵盖新修订的《中华人民共和国行政复议法》等法律法规。",
            "抓实领导干部法治培训。举办领导干部法治专题培训班{~2-6}期，参训人员达到{~150-900}人次，培训考试合格率100%。",
            "深化理论学习。将习近平法治思想纳入{U}委理论学习中心组学习重点，开展专题学习{~20-260}场次，推动各级领导干部把法治要求落实到决策和管理各环节。",
        ],
    ),
    (
        "亲自部署推动法治建设",
        [
            "专题研究法治工作。{U}政府主要负责人主持召开法治政府建设专题会议{~2-6}次，研究解决重点问题{~5-20}个，推动法治建设与经济社会发展同部署、同推进。",
            "细化年度任务。制定年度法治政府建设工作要点，将{~18-40}项重点任务分解到{~20-60}个责任单位，实行清单化管理、销号式推进。",
            "强化考核导向。把法治建设成效纳入年度综合考核，考核分值占比提高到{~4-8}%，考核结果作为干部评价的重要依据。",
            "保障工作经费。将法治建设经费列入年度财政预算，全年安排专项经费{$30-400}万元。",
        ],
    ),
    (
        "压紧压实述法评议责任",
        [
            "开展述法评议。组织{a=20-60}个{U}直部门主要负责人书面述法，其中{b<<a}名负责人现场述法并接受评议，评议结果纳入年度考核。",
            "推动学法考法。建立领导干部应知应会法律法规清单，组织国家工作人员学法考法{~2000-9000}人次，参考率和合格率均达到100%。",
            "落实约谈督办。对法治建设推进不力的{~2-6}个单位开展约谈，督促整改问题{~10-40}个。",
        ],
    ),
]

MEASURES = [
    (
        "严格规范重大行政决策",
        [
            "严把合法性审查关。{U}司法局全年审查{U}政府规范性文件、政府合同及重大决策事项{a=60-320}件，提出审查意见{~40-400}条，合法性审查率达到100%。",
            "加强规范性文件管理。对现行行政规范性文件开展集中清理，共清理{a=40-180}件，其中保留{b<a}件、修改{c|a-b}件，清理结果及时向社会公布。",
            "落实备案审查。向{C}政府报备行政规范性文件{~2-12}件，备案审查及时率100%。",
            "发挥法律顾问作用。聘请{~2-8}家律师事务所担任政府法律顾问，全年出具法律意见书{~30-200}份，参与处理涉法事务{~20-120}件。",
            "规范决策程序。落实“{Md}”，重大行政决策事项全部经过公众参与、专家论证和合法性审查，决策目录清单列入事项{~4-12}项。",
        ],
    ),
    (
        "持续优化法治化营商环境",
        [
            "推进审批提速增效。全{U}{a=600-1800}项政务服务事项中{b<a}项实现网上可办，网办率达到{%b/a}%。",
            "优化涉企服务。推行“{Mb}”，全年为企业办理事项{~800-9000}件，企业开办平均用时压缩到{~1-3}个工作日。",
            "推行包容审慎监管。{U}市场监管局制定《{J}市场主体轻微违法行为不予处罚清单》，列入事项{~20-80}项，对{~40-300}家市场主体作出不予处罚决定。",
            "减轻企业负担。涉企行政检查次数同比下降{~10-40}%，为企业减免各类费用{$50-900}万元。",
            "保护企业合法权益。开展涉企法律服务进园区活动{~10-60}场次，帮助企业梳理法律风险点{~50-400}个。",
        ],
    ),
    (
        "推进严格规范公正文明执法",
        [
            "开展执法案卷评查。全面落实行政执法三项制度，开展执法案卷评查{~1-4}次，评查案卷{a=120-600}卷，其中优秀案卷{c<<a}卷。",
            "加强执法队伍建设。组织行政执法人员集中轮训{~2-8}期，培训{~400-2600}人次，全{U}持证执法人员达到{~300-1500}人。",
            "加强执法监督。{U}司法局联合{U}人民检察院建立“{Me}”，移送问题线索{~5-40}条，全部督促整改到位。",
            "开展专项整治。开展“{Mx}”，排查整治安全隐患{a=100-800}处，已整改{b<a}处，整改率{%b/a}%。",
            "规范执法证件管理。开展执法证件清理，保留执法证件{a=300-900}个，清理回收{c<<a}个。",
        ],
    ),
    (
        "依法化解社会矛盾纠纷",
        [
            "发挥行政复议主渠道作用。{U}行政复议局全年受理行政复议案件{a=60-260}件，审结{b<a}件，审结率{%b/a}%。",
            "做好行政应诉。全{U}一审行政诉讼案件{a=30-160}件，行政机关负责人出庭应诉{b<a}件，出庭应诉率{%b/a}%。",
            "深化人民调解。各级人民调解组织调处矛盾纠纷{a=600-4000}件，调解成功{b<a}件，调解成功率{%b/a}%。",
            "打造复议品牌。“{S}某某不服{U}自然资源局行政处罚决定”一案入选全省行政复议典型案例。",
            "推进诉源治理。{U}人民法院深化诉源治理，诉前化解纠纷{~500-3000}件，涉及金额约{$800-9000}万元。",
            "健全调解网络。全{U}建成矛盾纠纷调处化解中心{~5-20}个，{~2-6}名调解员被评为“全省金牌调解员”。",
        ],
    ),
    (
        "加强法治宣传和公共法律服务",
        [
            "开展精准普法。组建{U}普法讲师团，开展送法进企业、进社区活动{~80-500}余场次，覆盖群众约{~10000-60000}人次。",
            "提升法律援助质效。{U}法律援助中心全年受理法律援助案件{a=150-700}件，为农民工追回劳动报酬{$100-900}万元。",
            "夯实基层法治基础。培育农村学法用法示范户{~100-600}户，培养法律明白人{~300-2000}名。",
            "推进民主法治创建。{V}村被评为“全国民主法治示范村”，{~2-6}个村（社区）获评“省级民主法治示范村（社区）”。",
            "提升公共法律服务水平。{U}司法局被{P}司法厅评为“全省公共法律服务工作先进集体”，全{U}公共法律服务站点提供法律咨询{~2000-12000}人次。",
        ],
    ),
    (
        "自觉接受权力制约监督",
        [
            "自觉接受人大和政协监督。办理人大代表建议{a=60-200}件、政协委员提案{~60-220}件，按时办结率100%。",
            "深化政务公开。在政府门户网站开设“{Mo}”，主动公开各类政府信息{~1500-9000}条，受理依申请公开{a=20-120}件，按时答复{a}件。",
            "总结推广经验。“{Mg}”经验做法被{C}委依法治市办作为典型经验推广。",
            "强化审计监督。完成审计项目{~10-40}个，推动整改问题金额{$200-5000}万元。",
        ],
    ),
]

MECHANISMS = {
    "d": ["法律顾问全覆盖制度", "重大决策社会稳定风险评估制度", "公职律师参与决策制度"],
    "b": [
        "企业合规+柔性执法工作模式",
        "一件事一次办服务",
        "首违不罚清单制度",
        "政务服务好差评制度",
    ],
    "e": ["行政执法监督+检察监督衔接机制", "府院联动工作机制", "涉企执法事项清单"],
    "x": ["安全隐患大排查行动", "法治体检进企业行动", "护航民营经济专项行动"],
    "o": ["法治政府建设专栏", "政务公开专栏", "政策解读专栏"],
    "g": [
        "矛盾纠纷多元化解平台",
        "村社吹哨部门报到联动机制",
        "非诉讼纠纷化解平台",
        "调解员等级评定制度",
        "掌上复议服务",
        "法治夜校服务",
    ],
}
VILLAGES = "青石 白沙 桃源 龙井 清溪 石门 柳湾 杏林 松坪 竹园 枫林 金竹".split()
SURNAMES = "赵 钱 孙 李 周 吴 郑 王 冯 陈 褚 卫 蒋 沈 韩 杨".split()

# (problem title, elaboration, plan title, plan elaboration): the plan repeats the problem's key.
PROBLEMS = [
    (
        "基层执法能力不足",
        "部分乡镇综合行政执法人员法律素养不高，执法文书制作不够规范。",
        "提升基层执法能力",
        "分类开展乡镇综合行政执法人员轮训，规范执法文书制作，推动基层执法能力整体提升。",
    ),
    (
        "行政复议力量薄弱",
        "行政复议案件逐年增多，专职复议人员偏少，案件审理周期偏长。",
        "充实行政复议力量",
        "配齐专职复议人员，推行繁简分流审理，缩短案件审理周期。",
    ),
    (
        "依法决策意识有待增强",
        "个别部门对重大行政决策公众参与、专家论证重视不够，合法性审查前置把关作用发挥不充分。",
        "增强依法决策意识",
        "严格落实重大行政决策程序，完善公众参与、专家论证机制，强化合法性审查刚性约束。",
    ),
    (
        "普法宣传针对性不强",
        "面向农村老年人和外出务工人员的普法宣传偏少，普法阵地作用发挥不充分。",
        "增强普法宣传针对性",
        "针对农村老年人和外出务工人员编写通俗读本，用好普法阵地，推动普法宣传进村入户。",
    ),
    (
        "行政应诉水平不高",
        "部分行政诉讼案件存在证据瑕疵，行政机关败诉风险依然存在。",
        "提高行政应诉水平",
        "加强行政诉讼案件败诉原因分析，健全行政机关负责人出庭应诉常态化机制，降低败诉风险。",
    ),
    (
        "规范性文件质量有待提高",
        "个别规范性文件起草论证不充分，公开征求意见流于形式，出台后评估开展较少。",
        "提高规范性文件质量",
        "落实规范性文件公开征求意见和出台后评估，提升规范性文件起草论证水平。",
    ),
    (
        "矛盾纠纷源头预防不够",
        "征地拆迁、邻里纠纷等领域矛盾反复出现，部分纠纷化解不够彻底。",
        "强化矛盾纠纷源头预防",
        "聚焦征地拆迁、邻里纠纷等领域，完善排查预警机制，做到矛盾纠纷早发现、早化解。",
    ),
    (
        "数字法治建设滞后",
        "执法监督信息平台功能单一，部门间执法数据共享不畅。",
        "加快数字法治建设",
        "升级执法监督信息平台，打通部门间执法数据共享通道。",
    ),
    (
        "法律服务供给不均衡",
        "偏远山区公共法律服务资源不足，值班律师覆盖不全。",
        "推进法律服务均衡供给",
        "向偏远山区倾斜公共法律服务资源，实现值班律师覆盖全部乡镇。",
    ),
    (
        "执法监督不够有力",
        "行政执法监督机构人员配备不足，对涉企执法的日常监督不够深入。",
        "强化执法监督",
        "充实行政执法监督机构人员，开展涉企执法专项监督，推动日常监督常态化。",
    ),
]

_PARTS_PROBLEMS = ("存在的问题", "存在的不足", "存在的问题和不足", "存在的困难和问题")
_CN = "一二三四五六七八九十"


class _Writer:
    """Fills templates for one report, with its drawing state and number style."""

    def __init__(self, rng: random.Random, place: Place, year: int) -> None:
        self.rng = rng
        self.place = place
        self.year = year
        self.commas = rng.random() < 0.3

    def number(self, n: int) -> str:
        return f"{n:,}" if self.commas and n >= 1000 else str(n)

    def fill(self, template: str) -> str:
        named: dict[str, int] = {}
        rng = self.rng

        def one(m: re.Match[str]) -> str:
            s = m.group(1)
            if s.startswith("M"):
                return rng.choice(MECHANISMS[s[1:]])
            if s in ("U", "J", "C", "P", "V", "S", "Y"):
                return {
                    "U": self.place.unit,
                    "J": self.place.county,
                    "C": self.place.city,
                    "P": self.place.province,
                    "V": rng.choice(VILLAGES),
                    "S": rng.choice(SURNAMES),
                    "Y": str(self.year),
                }[s]
            if s.startswith("~"):
                lo, hi = map(int, s[1:].split("-"))
                return self.number(rng.randint(lo, hi))
            if s.startswith("$"):
                lo, hi = map(int, s[1:].split("-"))
                return f"{rng.randint(lo * 10, hi * 10) / 10:.1f}"
            if s.startswith("%"):
                a, b = s[1:].split("/")
                return f"{named[a] * 100 / named[b]:.1f}"
            if "=" in s:
                name, rng_ = s.split("=")
                lo, hi = map(int, rng_.split("-"))
                named[name] = rng.randint(lo, hi)
                return self.number(named[name])
            if "|" in s:
                name, diff = s.split("|")
                a, b = diff.split("-")
                named[name] = rng.randint(1, named[a] - named[b])
                return self.number(named[name])
            if "<<" in s:
                name, of = s.split("<<")
                named[name] = rng.randint(max(1, named[of] // 20), max(1, named[of] * 3 // 10))
                return self.number(named[name])
            if "<" in s:
                name, of = s.split("<")
                named[name] = rng.randint(named[of] * 7 // 10, named[of] - 1)
                return self.number(named[name])
            return self.number(named[s])

        text = re.sub(r"\{([^{}]+)\}", one, template)
        # 全县县司法局 reads badly: the templates write {U}司法局, so drop a doubled unit
        return text.replace("全县县", "全县").replace("全区区", "全区")


def _report(rng: random.Random, place: Place, year: int) -> str:
    w = _Writer(rng, place, year)
    paren = ("（", "）") if rng.random() < 0.6 else ("(", ")")
    own_line = rng.random() < 0.4
    numbered_items = rng.random() < 0.25
    folded = rng.random() < 0.2
    lines = [f"{place.gov}人民政府关于{year}年度法治政府建设情况的报告", ""]
    month, day = rng.randint(1, 3), rng.randint(1, 28)
    style = rng.randrange(4)
    if style == 0:
        lines += [f"发布时间：{year + 1}-{month:02d}-{day:02d} 来源：{place.county}司法局", ""]
    elif style == 1:
        lines += [
            f"来源：{place.county}人民政府办公室　发布日期：{year + 1}年{month}月{day}日",
            "",
        ]
    elif style == 2:
        lines += [f"发布日期:{year + 1}-{month:02d}-{day:02d} 信息来源:{place.county}司法局", ""]
    lines.append(
        f"{year}年，{place.county}在{place.unit}委的坚强领导下，坚持以习近平法治思想为指导，认真落实{place.province}关于法治政府建设的部署要求，"
        f"把法治政府建设摆在全局工作的重要位置，全{place.unit}法治政府建设取得新进展。"
        "现将有关情况报告如下："
    )

    def section(no: int, title: str, items: list[str]) -> list[str]:
        head = f"{paren[0]}{_CN[no]}{paren[1]}{title}。"
        if numbered_items:
            body = [f"{i + 1}.{t}" for i, t in enumerate(items)]
            return ["", head, *body]
        body_text = "".join(f"{_CN[i]}是{t}" for i, t in enumerate(items))
        return ["", head, body_text] if own_line else ["", head + body_text]

    def items(pool: list[str], k: int) -> list[str]:
        chosen = rng.sample(pool, min(k, len(pool)))
        return [w.fill(t) for t in chosen]

    top = 0
    if not folded:
        lines += ["", f"{_CN[top]}、党政主要负责人履行推进法治建设第一责任人职责情况"]
        for i, (title, pool) in enumerate(rng.sample(DUTIES, 3)):
            lines += section(i, title, items(pool, rng.randint(2, 4)))
        top += 1
    lines += ["", f"{_CN[top]}、{year}年法治政府建设主要举措和成效"]
    top += 1
    sub = 0
    if folded:
        duty_items = [w.fill(t) for _, pool in DUTIES for t in rng.sample(pool, 1)]
        lines += section(sub, "党政主要负责人切实履行推进法治建设第一责任人职责", duty_items)
        sub += 1
    for title, pool in rng.sample(MEASURES, rng.randint(5, 6)):
        lines += section(sub, title, items(pool, rng.randint(3, 5)))
        sub += 1
    chosen = (
        rng.sample(place.themes, 3) if rng.random() < 0.8 else rng.sample(range(len(PROBLEMS)), 3)
    )
    chosen = chosen[: rng.randint(2, 3)]
    lines += ["", f"{_CN[top]}、{rng.choice(_PARTS_PROBLEMS)}"]
    top += 1
    lines.append(
        "".join(f"{_CN[i]}是{PROBLEMS[t][0]}。{PROBLEMS[t][1]}" for i, t in enumerate(chosen))
    )
    plans_head = rng.choice((f"{year + 1}年工作打算", "下一步工作打算", "下一步工作计划"))
    lines += ["", f"{_CN[top]}、{plans_head}"]
    plans = [f"{PROBLEMS[t][2]}。{PROBLEMS[t][3]}" for t in chosen]
    plans.append("营造浓厚法治氛围。深化法治文化阵地建设，推动尊法学法守法用法蔚然成风。")
    lines.append("".join(f"{_CN[i]}是{p}" for i, p in enumerate(plans)))
    if style == 3:
        lines += ["", f"{place.county}人民政府", f"{year + 1}年{month}月{day}日"]
    text = "\n".join(lines) + "\n"
    if rng.random() < 0.1:  # some sites publish full-width digits
        head, _, body = text.partition("现将有关情况报告如下")
        text = head + "现将有关情况报告如下" + body.translate(_FULLWIDTH)
    return text


_FULLWIDTH = str.maketrans("0123456789%.,", "０１２３４５６７８９％．，")


def generate(n: int, *, seed: int = 0) -> Iterator[tuple[str, str]]:
    """`n` reports as (file name, text): places × years, the same for the same n and seed."""
    rng = random.Random(seed)
    places = _places(rng, (n + len(YEARS) - 1) // len(YEARS))
    count = 0
    for place in places:
        for year in YEARS:
            if count == n:
                return
            rrng = random.Random(f"{seed}/{place.code}/{year}")
            yield f"report-{count:05d}.txt", _report(rrng, place, year)
            count += 1
