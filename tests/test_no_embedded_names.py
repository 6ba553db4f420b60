"""Extraction rules are general to the genre: nothing that only the embedded report says is in src/.

The scan takes the embedded report's named entities from its gold file (jurisdiction, institutions,
mechanisms, honours, cases, documents, issuer; quotation marks left out) and its figures, and fails
if any appears in the package source or its word lists. Names of divisions in the national
gazetteer (full names, derived short names and the usage aliases of data/division_aliases.tsv) are
exempt: the country's administrative divisions are general knowledge, not knowledge of one report. So are the genre's terms that the annotation guide or the
national programmes name (合法性审查, 述法, 政府常务会议 …): thousands of reports share them.
"""

from __future__ import annotations

import json
import re

from conftest import GOLD, ROOT

from fazhi_kg.extract.gazetteer import gazetteer

SRC = ROOT / "src" / "fazhi_kg"
# A verbatim copy of the shared facts schema, whose descriptions use the embedded report as example.
# the aliases file is gazetteer data (its entries are checked against the gazetteer in test_identity)
EXEMPT = {SRC / "data" / "facts.schema.json", SRC / "data" / "division_aliases.tsv"}
# Terms of the genre's national vocabulary that the embedded report shares with thousands of others.
GENRE_TERMS = frozenset(
    {
        "一网通办",
        "绿色通道",
        "八五普法",
        "法律七进",
        "五大程序",
        "三项清理",
        "一件事一次办",
        "行政复议法",
        "通报表扬",
        "典型经验",
        "市委",
        "市政府",
        "省政府",
        "区人大",
        "区政协",
        "市人大",
        "市政协",
        "区人大常委会",
        "区市场监管局",
        "动态清零",
        "跨区域通办",
        "政府法律顾问团",
        # named by shared/eval/ANNOTATION.md as examples of the families
        "常委会",
        "常务会",
        "合法性审查",
        "述法",
        "述法评议",
        "失信惩戒",
        "双公示",
        "公共法律服务体系",
        "作为典型经验推广",
        "典型经验推广",
        # named by the national programmes (src/fazhi_kg/data/lexicon/mechanisms.txt gives each source)
        "第一责任人职责",
        "公众参与",
        "专家论证",
        "风险评估",
        "集体讨论",
        "行政规范性文件备案审查",
        "执法公示",
        "重大执法决定法制审核",
        "政务公开",
        "依申请公开",
        "旁听庭审",
        "案卷评查",  # 行政执法案卷评查: the programmes' check of enforcement files
    }
)


def _embedded_names() -> set[str]:
    gold = json.loads((GOLD / "bazhou-2023.json").read_text(encoding="utf-8"))
    names = {gold["report"]["jurisdiction"], gold["report"]["issuer"], gold["report"]["title"]}
    names |= {i["name"] for i in gold["institutions"]}
    names |= {m["name"] for m in gold["mechanisms"]}
    names |= {a["title"] for a in gold["awards"]}
    names |= {c["name"] for c in gold["cases"]} | {p for c in gold["cases"] for p in c["parties"]}
    names |= {d["title"] for d in gold["documents"]}
    leaf = gold["report"]["jurisdiction"].removeprefix(
        "".join(gold["report"]["parent_jurisdictions"][::-1])
    )
    names |= {leaf, leaf.rstrip("区县市")}  # the place's name and its bare form
    text = (ROOT / "reports" / "bazhou-2023.txt").read_text(encoding="utf-8")
    figures = {
        m.group(0)
        for m in re.finditer(r"[0-9]+(?:\.[0-9]+)?", text)
        if len(m.group(0)) >= 4 and not re.fullmatch(r"20[0-9]{2}|[1-9]0+", m.group(0))
    }  # years, round numbers
    places = {d.name for d in gazetteer()} | {s for d in gazetteer() for s in d.short_names}
    names = {re.sub(r"[“”‘’]", "", n) for n in names if n}
    return {n for n in names | figures if n and n not in GENRE_TERMS and n not in places}


def test_the_scan_has_something_to_look_for():
    names = _embedded_names()
    assert "巴中市巴州区人民政府" in names and "16184" in names and len(names) > 40


def test_no_name_or_figure_of_the_embedded_report_in_src():
    found = []
    for path in sorted(SRC.rglob("*")):
        if (
            not path.is_file()
            or path in EXEMPT
            or path.suffix not in (".py", ".json", ".tsv", ".txt")
        ):
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(ROOT)}: {n}" for n in _embedded_names() if n in text]
    assert found == []
