"""Extraction rules on short texts written for these tests in the genre's style."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fazhi_kg.extract import extract
from fazhi_kg.text.read import from_text

HEAD = "澄江县人民政府关于2022年度法治政府建设情况的报告\n一、主要举措和成效\n"


def facts(body: str):
    return extract(from_text(HEAD + body))


def quantities(body: str) -> list[tuple[Decimal, str, str | None]]:
    return [(i.value, i.unit, i.qualifier) for i in facts(body).indicators]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("共办理事项1.8万件。", [(Decimal(18000), "件", None)]),
        ("执行到位标的款21980.59万元。", [(Decimal(219805900), "元", None)]),
        ("筹集资金3.2亿元。", [(Decimal(320000000), "元", None)]),
        ("开展专题学习650余场次。", [(Decimal(650), "场次", "余")]),
        ("办结率达到100%。", [(Decimal(100), "%", "达到")]),
        ("调解成功率达98.38%。", [(Decimal("98.38"), "%", "达到")]),
        (
            "受理案件１２６件，办结率９８．５％。",
            [(Decimal(126), "件", None), (Decimal("98.5"), "%", None)],
        ),
        (
            "培训近2000人次，覆盖率90%以上。",
            [(Decimal(2000), "人次", "近"), (Decimal(90), "%", "以上")],
        ),
        (
            "办理案件累计1,024件，累计开展督查3次。",
            # 累计 qualifies the counts of its clause, next to the number or not (ANNOTATION.md)
            [(Decimal(1024), "件", "累计"), (Decimal(3), "次", "累计")],
        ),
        ("开展培训7期753人次。", [(Decimal(7), "期", None), (Decimal(753), "人次", None)]),
        ("在全省考核中排名第3名。", [(Decimal(3), "名", None)]),  # a ranking is an indicator
    ],
)
def test_quantities_are_exact_decimals(body, expected):
    assert quantities(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        "2023年3月15日召开会议。",  # dates
        "印发《实施方案》（青政发〔2022〕12号）。",  # document numbers
        "召开第三次会议,第一批示范项目。",  # ordinals
        "深化“八五”普法，建成“24小时自助法院”。",  # numerals inside quoted names
        "落实五大程序和三项制度。",  # Chinese numerals
        "服务热线12345全天候运行。",  # a number without a unit
    ],
)
def test_non_quantities_are_not_indicators(body):
    assert quantities(body) == []


def test_indicator_spans_slice_to_their_quotes():
    text = HEAD + "受理案件１２６件，办结率达到９８．５％，挽回损失2.5万元。"
    src = from_text(text)
    for ind in extract(src).indicators:
        assert src.original[ind.span.start : ind.span.end] == ind.stated
    assert [i.stated for i in extract(src).indicators] == ["１２６件", "达到９８．５％", "2.5万元"]


def test_institutions_named_with_verbs_and_joint_mentions():
    f = facts(
        "在市委市政府领导下，向市政府备案文件3件。引进明德律师事务所，组建县政府法律顾问团。"
        "县人大及其常委会开展监督，县住房和城乡建设局、县人力资源和社会保障局开展执法。"
    )
    names = [i.name for i in f.institutions]
    for expected in (
        "市委",
        "市政府",
        "明德律师事务所",
        "县政府法律顾问团",
        "县人大",
        "常委会",  # 县人大及其常委会: the second body as written (the guide: surface form)
        "县住房和城乡建设局",
        "县人力资源和社会保障局",
    ):
        assert expected in names
    assert "法治政府" not in names and "格局" not in names


def test_concepts_are_not_institutions():
    f = facts("加快建设法治政府，形成法律服务保障格局，各级各部门认真落实。")
    assert [i.name for i in f.institutions if i.name != "澄江县人民政府"] == []


def test_awards_with_levels_counts_and_recipients():
    f = facts(
        "全县先后获评“全国民主法治示范村”1个、“省级法治示范单位”4个。"
        "城关司法所被评为省级“枫桥式司法所”。"
        "“王某某不服县自然资源局行政处罚”一案入选全市行政复议典型案例。"
        "“一站式调解”做法被省司法厅作为典型经验推广。"
    )
    awards = {a.title: a for a in f.awards}
    assert awards["全国民主法治示范村"].level == "national"
    assert awards["全国民主法治示范村"].count == 1
    assert awards["省级法治示范单位"].count == 4
    assert awards["省级“枫桥式司法所”"].recipient == "城关司法所"
    assert awards["全市行政复议典型案例"].level == "municipal"
    assert awards["典型经验推广"].conferred_by == "省司法厅"
    assert awards["典型经验推广"].level == "provincial"
    case = f.cases[0]
    assert case.name == "“王某某不服县自然资源局行政处罚”一案"  # as written
    assert case.parties == ("王某某", "县自然资源局")
    assert case.institution == "县自然资源局"
    assert case.recognition == "全市行政复议典型案例"


def test_mechanisms_quoted_and_unquoted():
    f = facts(
        "推行“阳光审批”工作模式，建立府院联动会商制度，设立“调解超市”专栏，落实复议约谈、"
        "败诉通报等工作机制，开展专项执法提升行动。"
    )
    mechs = {m.name: m.kind for m in f.mechanisms}
    assert mechs["“阳光审批”工作模式"] == "模式"  # names as written, quotation marks kept
    assert mechs["府院联动会商制度"] == "制度"
    assert mechs["“调解超市”专栏"] == "专栏"
    assert mechs["复议约谈"] == "机制" and mechs["败诉通报"] == "机制"
    assert mechs["专项执法提升行动"] == "行动"
    assert "工作机制" not in mechs


def test_documents_problems_and_plans():
    text = (
        HEAD + "贯彻《行政复议法》和《行政处罚法》。\n"
        "二、存在的问题\n一是执法队伍力量薄弱。乡镇综合执法人员不足。二是复议案件增多。\n"
        "三、下步工作打算\n一是充实执法队伍。加强乡镇综合执法人员培训。二是做好宣传。\n"
    )
    f = extract(from_text(text))
    assert [d.title for d in f.documents] == ["行政复议法", "行政处罚法"]
    assert [p.summary for p in f.problems] == ["执法队伍力量薄弱", "复议案件增多"]
    assert [p.summary for p in f.plans] == ["充实执法队伍", "做好宣传"]
    assert f.plans[0].addresses == (0,)
    assert f.plans[1].addresses == ()


def test_not_a_report_is_refused():
    from fazhi_kg.errors import InputError

    with pytest.raises(InputError, match="does not look like"):
        extract(from_text("今天天气很好，我们去公园散步。"))


# --- long lines stay linear ------------------------------------------------------------------


def _line_of(token: str, chars: int = 99_000) -> str:
    return HEAD + (token * (chars // len(token) + 1))[: chars - len(HEAD)]


@pytest.mark.parametrize(
    ("token", "family"),
    [
        ("“法”3件", "indicators"),  # a quote lookup per number: rebuilt a list each time
        ("入选全省典型案例", "awards"),  # subjects looked for back to the line's start
        ("在全市考核排名第一", "awards"),
    ],
)
def test_a_99000_character_line_is_read_in_linear_time(token, family):
    """Each took 13-25 s before (quadratic in the line's length), about 0.3-1 s after."""
    import time

    started = time.perf_counter()
    found = getattr(facts(_line_of(token)[len(HEAD) :]), family)
    assert len(found) > 5000
    assert time.perf_counter() - started < 8


def test_quote_lookup_and_sentence_ids_agree_with_a_scan():
    from fazhi_kg.extract.clauses import find_quotes
    from fazhi_kg.extract.numbers import _sentence_ids

    text = "甲“乙丙”丁。戊《己》庚;“辛”\n壬"
    quotes = find_quotes(text)
    for pos in range(len(text) + 1):
        assert quotes.inside_quote(pos) == next(
            ((s, e) for s, e in quotes.quoted if s <= pos < e), None
        )
        assert quotes.inside_title(pos) == next(
            ((s, e) for s, e in quotes.titles if s <= pos < e), None
        )
    positions = list(range(len(text) + 1))
    assert _sentence_ids(text, positions) == [
        sum(text.count(c, 0, p) for c in "。;!?\n") for p in positions
    ]


def test_a_subject_is_looked_for_no_further_back_than_200_characters():
    from fazhi_kg.extract.awards import SUBJECT_REACH, _subject

    text = "甲" * 1000 + "获评"
    start, subject = _subject(text, 1000)
    assert start == 1000 - SUBJECT_REACH and subject == "甲" * SUBJECT_REACH
    assert _subject("区司法局,县法院获评", 8) == (5, "县法院")


def test_relating_the_quantities_of_a_long_line_is_linear():
    """Sentence ids were counted from the text's start for each quantity: 2.4 s, now 0.02 s."""
    import time

    from fazhi_kg.extract.clauses import find_quotes
    from fazhi_kg.extract.numbers import find_quantities, relate

    text = ("办理12件;" * 20_000)[:99_000]
    found = find_quantities(text, find_quotes(text))
    started = time.perf_counter()
    relate(text, found)
    assert len(found) == 16_500 and time.perf_counter() - started < 0.8
