"""Documents: titles of laws, regulations, plans and papers (shared/eval/ANNOTATION.md, "documents").

Everything inside 《》 (and a title nested in one, 〈…〉), titles cut off by the end of an excerpt
left out; unbracketed titles that end in a document's head noun (…工作要点, …实施方案, …工作规则)
and name a field of law or a period; law short titles from a word list (学习宪法、民法典).
"""

from __future__ import annotations

import re

from fazhi_kg.extract.clauses import CJK, STOP_WORDS, Cover, Quotes, left_boundary
from fazhi_kg.extract.found import Found, first_mentions
from fazhi_kg.extract.lexicon import alternation

# Heads that make a document of any specific name before them.
_STRONG = (
    "远景目标纲要 规划纲要 实施纲要 工作要点 实施方案 工作方案 分工方案 工作规则 议事规则 "
    "重点工作安排 立法计划 工作计划 实施办法 工作细则 实施细则 实施意见 行动方案 学习计划"
).split()
# Heads that make a document only of a name that states its field of law or its period.
_WEAK = (
    "方案 规划 纲要 计划 工作安排 规则 办法 条例 规定 意见 通知 决定 细则 工作报告 年度报告 清单 "
    "目录"
).split()
_HEAD_RX = re.compile(
    "|".join(sorted((re.escape(h) for h in _STRONG + _WEAK), key=len, reverse=True))
)
# 指导 names a kind of list (…指导清单) more often than it guides in a title's reach
_STOPS = (STOP_WORDS - {"指导"}) | {
    "紧扣",
    "审议",
    "修订",
    "编制",
    "对照",
    "依据",
    "结合",
    "严格按照",
}
_PERIOD = re.compile(r"(?:19|20)[0-9]{2}年度?|“[^“”]{1,6}”|年度")
_EDITION = re.compile(r"\((?:19|20)[0-9]{2}\s*(?:-{1,2}|—{1,2}|–|至)\s*(?:19|20)[0-9]{2}年?\)")
_GENERIC_START = re.compile(r"^(?:各|相关|有关|其他|其它|该|此|本|上述|新|总体|专项|全年|年度$)")
_LAW_FIELD = re.compile(r"法")
_HEADING_BEFORE = re.compile(
    r"(?:^|\n)\s*(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|[0-9]+[.、])\s*$"
)
_OWN_REPORT_AFTER = re.compile(r"报告如下|的报告|情况")
_PARTY_REPORT = re.compile(r"党的[一二三四五六七八九十]+大报告")
_IMPLEMENTING = re.compile(
    r"(?:贯彻落实|贯彻|落实)《[^《》\n]{2,80}》的?"
    r"(?:实施方案|工作方案|任务分工方案|分工方案|方案|实施意见|若干措施|措施)"
)
# what may follow a title without the head word beginning a longer word (规划建设, 方案设计)
_FOLLOWS = re.compile(r"[和及中等要并已于为在经将由的]|重点|精神|要求|部署|规定")
_PLAN_SET = re.compile(
    r"[一二三四五六七八九十两]+(?:规划|纲要|方案)(?:[一二三四五六七八九十两]+(?:规划|纲要|方案|意见))+"
)
_NESTED = re.compile(r"[〈<]([^〈〉<>]{2,80})[〉>]")
_LAW_AFTER = re.compile(rf"(?:$|[^{CJK}]|[及和与等以、]|宣传(?!周|月|日))")


def open_titles(text: str) -> list[tuple[int, int]]:
    """Titles cut off by the end of an excerpt or a line (《… with no 》): from 《 to the line's end."""
    out = []
    for m in re.finditer(r"《[^《》\n]*(?=\n|$)", text):
        out.append((m.start(), m.end()))
    return out


def _bracketed(text: str, quotes: Quotes, start: int) -> list[Found]:
    out = []
    for s, e in quotes.titles:
        if s < start:
            continue
        out.append(Found(s - 1, e + 1, text[s:e], "bracketed"))
        for n in _NESTED.finditer(text, s, e):
            out.append(Found(n.start(), n.end(), n.group(1), "bracketed"))
    for m in _IMPLEMENTING.finditer(text, start):
        # 出台贯彻落实《…纲要》方案: the implementing paper is a document of its own
        out.append(Found(m.start(), m.end(), m.group(0), "unbracketed"))
    return out


def _acceptable(name: str, head: str) -> bool:
    core = name[: len(name) - len(head)]
    if core == "年度" and head == "立法计划":
        return True  # the year's legislative plan is one paper
    bare = _PERIOD.sub("", core)
    if _GENERIC_START.match(core):
        return False
    period = bare != core  # 2022年…, 年度…, “十四五”…: the paper of a period
    if head in _STRONG or period:
        # 镇议事规则, 县“十四五”规划: a body or a period makes the name specific
        if head in _STRONG:
            return period or bool(re.search(f"[{CJK}]", bare))  # 2035年远景目标纲要
        if not re.search(f"[{CJK}]", bare):
            return False
    elif len(re.findall(f"[{CJK}]", bare)) < 2:
        return False
    if head in ("清单", "目录"):
        # a list of laws and rules (应知应会…清单, 重点普法目录) is a paper to learn
        return bool(re.search("法规|法律|应知应会|普法", core))
    if head == "工作报告":
        return "政府" in core
    if head in ("意见", "通知", "决定"):
        return core.startswith("关于")  # 提出审查意见: opinions given, not a paper
    return bool(_LAW_FIELD.search(core)) or bool(re.search(r"(?:19|20)[0-9]{2}年|“", core))


def _unbracketed(text: str, quotes: Quotes, start: int, taken: Cover) -> list[Found]:
    out: list[Found] = []
    for m in _HEAD_RX.finditer(text, start):
        e = m.end()
        if quotes.inside_title(m.start()) or taken(m.start()) or quotes.inside_quote(m.start()):
            continue
        if re.match(f"[{CJK}]", text[e : e + 1]) and not _FOLLOWS.match(text, e):
            continue  # the head word begins a longer word (规划建设, 方案设计)
        if _OWN_REPORT_AFTER.match(text, e):
            continue  # 2021年度工作安排报告如下: the report's own subject
        ed = _EDITION.match(text, e)
        if ed:
            e = ed.end()
        s = left_boundary(text, m.start(), limit=30, stops=_STOPS)
        if text[s - 1 : s] == ")" and "(" in text[max(0, s - 6) : s]:
            # 各级党委(党组)理论学习中心组年度学习计划: a parenthesis inside the name
            s = left_boundary(text, text.rindex("(", 0, s), limit=20, stops=_STOPS)
        if re.search(r"(?:法规|法律|规章|文件)[和及与]$", text[max(0, s - 3) : s]):
            # 党内法规和国家法律指导清单: the laws and rules a list holds, joined by 和
            s = left_boundary(text, s - 1, limit=20, stops=_STOPS)
        if text[s : s + 1] == "年":
            while s > 0 and text[s - 1] in "0123456789":
                s -= 1  # 2035年远景目标纲要: the year is part of the title
            if re.match(f"[{CJK}]", text[s - 1 : s] or " "):
                s = left_boundary(text, s, limit=10, stops=_STOPS)  # 省政府2023年工作报告
        if _HEADING_BEFORE.search(text, max(0, s - 12), s):
            continue  # 四、2024年工作计划: a heading, not a title
        name = text[s:e]
        if not _acceptable(text[s : m.end()], m.group(0)):
            continue
        at_line_start = s <= 15 or "\n" in text[s - 15 : s]
        if at_line_start and re.match(r"[ \t\u3000]*(?:\n|$)", text[e : e + 8]):
            continue  # 吉林市2022年度法治政府建设工作报告 on a line of its own: a title, not a citation
        if text[s - 1 : s] == "和" and m.group(0) == "远景目标纲要":
            # “十四五”规划和2035年远景目标纲要: one title joining two plans
            prev = next((f for f in reversed(out) if f.end == s - 1), None)
            if prev is not None:
                out.remove(prev)
                s, name = prev.start, text[prev.start : e]
        out.append(Found(s, e, name, "unbracketed"))
    out.extend(_plan_sets(text, quotes, start, taken))
    for m in _PARTY_REPORT.finditer(text, start):
        if not taken(m.start()) and not quotes.inside_title(m.start()):
            out.append(Found(m.start() + 2, m.end(), m.group(0), "unbracketed"))
    return out


def _plan_sets(text: str, quotes: Quotes, start: int, taken: Cover) -> list[Found]:
    """“一规划两纲要”, 湘西州法治建设“一规划两方案”: a set of plans named by a count, with the
    field before it; not where the set's evaluation is named (“一规划两纲要”中期评估)."""
    out = []
    for qs, qe in quotes.quoted:
        if qs < start or taken(qs) or not _PLAN_SET.fullmatch(text, qs, qe):
            continue
        if re.match(f"[{CJK}]*(?:评估|督察|检查|考核)", text[qe + 1 : qe + 8]):
            continue
        s = left_boundary(text, qs - 1, limit=10, allow_quotes=False, stops=_STOPS)
        s = (
            s
            if text[s : qs - 1].endswith("建设") and not re.match(r"[省市区县]", text[s:])
            else qs - 1
        )
        out.append(Found(s, qe + 1, text[s : qe + 1], "unbracketed"))
    return out


def _laws(text: str, quotes: Quotes, start: int, taken: Cover) -> list[Found]:
    out = []
    laws = alternation("laws")
    for m in laws.finditer(text, start):
        s, e = m.start(), m.end()
        if taken(s) or quotes.inside_title(s) or quotes.inside_quote(s):
            continue
        after = e
        while text[after : after + 1] in ("、", "及", "和", "与") and (
            nxt := laws.match(text, after + 1)
        ):
            after = nxt.end()  # 宪法、民法典主题宣传: the word after the list qualifies each law
        if not _LAW_AFTER.match(text, after):
            continue  # 宪法宣誓制度, 宪法主题广场: the law names something else
        if text.endswith("中华人民共和国", 0, s):
            s -= 7
        out.append(Found(s, e, text[s:e], "unbracketed"))
    return out


def find_documents(text: str, quotes: Quotes, *, start: int = 0, body: int = 0) -> list[Found]:
    """Document titles from `start` (bracketed) and from `body` (unbracketed), one per distinct
    title, at first mention."""
    bracketed = _bracketed(text, quotes, start)
    cut = open_titles(text)
    taken = Cover([(f.start, f.end) for f in bracketed] + cut)
    found = [*bracketed, *_unbracketed(text, quotes, max(start, body), taken)]
    taken = Cover([(f.start, f.end) for f in found] + cut)
    found += _laws(text, quotes, max(start, body), taken)
    found.sort(key=lambda f: (f.start, f.end))
    return first_mentions(found)
