"""The heading tree and the legal part each top-level section serves."""

from __future__ import annotations

import pytest

from fazhi_kg.extract.meta import read_header
from fazhi_kg.extract.structure import classify_part, cn_number, sections
from fazhi_kg.text.read import from_text

REPORT = """青石县人民政府关于2022年度法治政府建设情况的报告
发布时间：2023年3月20日  来源：青石县司法局
一、党政主要负责人履行推进法治建设第一责任人职责情况
（一）带头学法。县委常委会会前学法12次。
（二）带头述法。
二、2022年法治政府建设主要举措和成效
(一)推进依法决策。一是完善程序。审查文件30件。二是强化审查。审查合同15份。
（二）规范执法
1.开展评查。评查案卷120卷。
2.强化培训。（1）集中培训。培训300人次。（2）以考促学。
三、存在的问题和不足
一是统一是非标准不够。二是执法力量薄弱。
四、2023年工作安排
一要加强队伍建设。二要规范执法。
"""


def test_heading_paths_follow_the_numbering_layers():
    src = from_text(REPORT)
    header = read_header(src)
    paths = [s.path for s in sections(src, header.body_start)]
    assert paths == [
        "一",
        "一/(一)",
        "一/(二)",
        "二",
        "二/(一)",
        "二/(一)/一是",
        "二/(一)/二是",
        "二/(二)",
        "二/(二)/1",
        "二/(二)/2",
        "二/(二)/2/(1)",
        "二/(二)/2/(2)",
        "三",
        "三/一是",
        "三/二是",
        "四",
        "四/一要",
        "四/二要",
    ]


def test_top_level_parts_and_titles():
    src = from_text(REPORT)
    secs = sections(src, read_header(src).body_start)
    top = {s.path: (s.part, s.title) for s in secs if s.depth == 1}
    assert top["一"][0] == "duties"
    assert top["二"] == ("measures", "2022年法治政府建设主要举措和成效")
    assert top["三"][0] == "problems"
    assert top["四"][0] == "plans"
    inline = next(s for s in secs if s.path == "二/(一)/一是")
    assert inline.title == "完善程序"
    assert src.original[inline.span.start : inline.span.end] == "一是完善程序"


def test_words_that_contain_yishi_are_not_headings():
    src = from_text(REPORT)
    titles = [s.title for s in sections(src, read_header(src).body_start)]
    assert "统一是非标准不够" in titles  # 一是 at the start of an item …
    assert not any(t.startswith("非标准") for t in titles)  # … but not 统一是非 inside it


def test_header_metadata():
    meta = read_header(from_text(REPORT)).meta
    assert meta.jurisdiction == ""  # 青石县 is no division of the gazetteer: left open
    assert meta.year == 2022
    assert meta.published == "2023-03-20"
    assert meta.issuer == "青石县人民政府"  # the title's organ, not the page's 来源
    assert meta.title == "青石县人民政府关于2022年度法治政府建设情况的报告"


def test_folded_report_has_no_duties_part():
    text = "云湖区2023年度法治政府建设情况报告\n一、2023年法治政府建设主要举措和成效\n（一）压实第一责任人职责\n二、存在的不足\n三、2024年工作打算\n"
    src = from_text(text)
    parts = [s.part for s in sections(src, read_header(src).body_start) if s.depth == 1]
    assert parts == ["measures", "problems", "plans"]


@pytest.mark.parametrize(
    ("title", "year", "part"),
    [
        ("下步工作打算", None, "plans"),
        ("下一步工作计划", 2023, "plans"),
        ("2020年法治政府建设工作计划", 2019, "plans"),
        ("下一年度法治政府建设工作安排", 2023, "plans"),
        ("2024年重点工作", 2023, "plans"),
        ("2021年主要工作情况", 2021, "measures"),
        ("2021年工作开展情况", None, "measures"),
        ("2023年主要工作", 2023, "measures"),
        ("存在的短板和不足", None, "problems"),
        ("存在问题", None, "problems"),
        ("存在的不足和原因", 2023, "problems"),
        ("工作开展情况", None, "measures"),
        ("党政主要负责人履行推进法治建设第一责任人职责情况", None, "duties"),
        ("附件", None, "other"),
        ("落实法治政府建设年度报告制度概述", 2022, "other"),
        # a report that numbers its measures by field: each field is a measure
        ("优化职责体系,依法全面履行政府职能", 2022, "measures"),
        ("服务发展大局,持续优化法治化营商环境", 2023, "measures"),
    ],
)
def test_part_wording(title, year, part):
    assert classify_part(title, year) == part


def test_chinese_numbers():
    assert [cn_number(s) for s in ("一", "十", "十二", "二十一")] == [1, 10, 12, 21]
