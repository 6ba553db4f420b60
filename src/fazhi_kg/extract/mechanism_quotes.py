"""Quoted mechanism names (“放管服”改革, 行政执法“三项制度”, “一网通办”): the head noun after the
quotation, the field before it, and the quoted words that name no mechanism (goals, formulas,
rules, events, people).
"""

from __future__ import annotations

import re

from fazhi_kg.extract.clauses import CJK, Cover, Quotes, left_boundary
from fazhi_kg.extract.found import Found
from fazhi_kg.extract.lexicon import words
from fazhi_kg.extract.mechanism_heads import (
    BOUNDARY_AFTER,
    HEAD_END,
    NOT_AFTER_VERB,
    STOPS,
    VAGUE_START,
    kind,
)

_GOAL_AFTER = re.compile(
    r"(?:目标|总体目标|发展大局|大局|总体部署|部署|总体思路|思路|重点工作任务|工作任务|重大任务|任务|定位|"
    r"城市定位|精神|的名片|这张|新[\u4e00-\u9fff]|称号|荣誉|候选|专题辅导|专题培训班|培训班|"
    r"专题讲座|讲座|讲话|问题|现象|行为|发展目标|战略|理念|新理念|学习宣传|的重要|的?作用|等主题|"
    r"的问题|规定|[^,。;“”]{0,8}(?:培训班|研讨班))"
)
# verbs before a bare quotation that make it a goal, an outcome or a role (形成“一盘棋”, 围绕“四新”,
# 带动“群雁齐飞”, 办好“两件大事”, 发挥“一个统筹、四大职能”)
_GOAL_VERB = re.compile(r"(?:围绕|主攻|带动|办好|聚焦|紧扣|锚定|对标|发挥)$")
_OUTCOME_VERB = re.compile(r"(?:形成|实现)$")  # 形成“一盘棋”。: an outcome where the clause ends
# 从“经验式管理”向“法治化治理”转变: the two states of a change, not names
_CHANGE = re.compile(r"向“[^“”]{1,20}”转(?:变|型)")
# Quoted words that are a rule to follow, a one-off event or a list of places, not a name.
_NOT_QUOTED_NAME = re.compile(
    r"^(?:规范|完善|加强|推进|深化|健全|建立|落实|强化)|(?:培训班|研讨班|讲座|会议|大会)$|"
    r"(?:问题|现象|行为|少数|多数)$|"
    r"^(?:[^、]{1,3}区、)+[^、]{1,3}区$"
)
_PLAN_SET = re.compile(
    r"[一二三四五六七八九十两]+(?:规划|纲要|方案)(?:[一二三四五六七八九十两]+(?:规划|纲要|方案|意见))+"
)
_TAIL_BREAK = re.compile(r"[的和为将及与或等]")
_INSTITUTION_END = re.compile(
    r"(?:宣讲团|讲师团|顾问团|服务团|中队|大队|支队|服务队|中心|工作站|司法所|委员会|办公室|局|"
    r"律师事务所)$"
)


def quoted(text: str, quotes: Quotes, start: int, skip: Cover) -> list[Found]:
    """Quoted names, with the head noun after the quote and the field before it."""
    out: list[Found] = []
    formulas = frozenset(words("formulas"))
    spans = [q for q in quotes.quoted if q[0] >= start]
    i = 0
    while i < len(spans):
        qs, qe = spans[i]
        i += 1
        if quotes.inside_title(qs) or skip(qs) or skip(qs - 1):
            continue
        inner = text[qs:qe]
        s, e = qs - 1, qe + 1
        # “1+11”“全城通办”政务服务体系: a quote of figures belongs to the quote after it
        while i < len(spans) and spans[i][0] == e + 1 and not re.search(f"[{CJK}]", inner):
            qs2, qe2 = spans[i]
            i += 1
            inner, e = text[qs2:qe2], qe2 + 1
        if inner in formulas or "讲话" in inner or "," in inner or len(inner) > 30:
            continue
        if _NOT_QUOTED_NAME.search(inner) or re.search(
            r"[一二三四五六七八九十两]个$", text[max(0, s - 3) : s]
        ):
            continue  # “规范细化…程序”, “…专题培训班”, 两个“全覆盖”: a rule, an event, a count
        after = text[e : e + 12]
        run_end = e
        while text.startswith("“", run_end):  # “四个走在前”“四个新”重大任务: the run's goal word
            close = text.find("”", run_end, run_end + 62)
            run_end = close + 1 if close > 0 else run_end + 1
        if _GOAL_AFTER.match(text, run_end):
            continue  # “四个走在前”重大任务, “强富美高”新镇江: goals and slogans of a place
        tail = _head_tail(text, e)
        if not tail and (not re.search(f"[{CJK}]", inner) or inner.startswith("不")):
            continue  # “12345”, “不打烊”: figures or a quality name nothing without a head noun
        if re.match(r"\s*(?:[0-9]+\s*[个项名家件户]|(?:一|这一|此)?案)", after):
            continue  # things counted (“…”2个, “…”30件) or a case (“…”一案)
        if not tail and (
            NOT_AFTER_VERB.search(text, max(0, s - 4), s)
            or _GOAL_VERB.search(text, max(0, s - 3), s)
            or (
                _OUTCOME_VERB.search(text, max(0, s - 3), s)
                and re.match(r"[,。;!]|$", text[e:])
                and "、" not in inner
            )
        ):
            continue
        if (text[s - 1 : s] == "从" and _CHANGE.match(text, e)) or (
            text[s - 1 : s] == "向" and text.startswith("转", e)
        ):
            continue
        if _PLAN_SET.fullmatch(inner) and not tail:
            continue  # “一规划两纲要”: a set of plans, a document
        name_end = e + len(tail)
        if tail and re.match(r"\s*[0-9]+\s*[个项条类名家件户]", text[name_end : name_end + 6]):
            continue  # “一件事”服务标准79项: things of a kind, counted
        if _INSTITUTION_END.search(inner + tail):
            continue  # “济南律师宣讲团”: a body, read by the institution finder
        left = _field_before(text, s)
        if not tail and re.fullmatch(r"[一二三四五六七八九十两]+", inner):
            # “八五”普法: a quoted numeral names nothing without the word after it
            word = re.match(f"[{CJK}]{{1,4}}?(?=和|与|及|、|,|。|的|工作|$)", text[e : e + 6])
            if not word:
                continue
            name_end = e + word.end()
        out.append(Found(left, name_end, text[left:name_end], kind(inner + tail), quoted=True))
    return out


def _head_tail(text: str, pos: int) -> str:
    """The words after a quotation up to the head noun that ends its name (“…”工作模式): the
    longest that ends a word at a head noun, else the shortest that ends at a head noun (“…”述法
    方式), else a word a coined name often ends with (“一校一品”建设)."""
    real = extra = short = ""
    for n in range(1, 11):
        piece = text[pos : pos + n]
        if len(piece) < n or not re.fullmatch(f"[{CJK}]+", piece) or _TAIL_BREAK.search(piece):
            break
        if "在" in piece and not re.fullmatch(r"(?:[^在]|在(?=线))*", text[pos : pos + n + 1]):
            break  # 在 as a preposition, not in 在线
        ends_word = not re.match(f"[{CJK}]", text[pos + n : pos + n + 1]) or bool(
            BOUNDARY_AFTER.match(text, pos + n)
        )
        if HEAD_END.search(piece):
            if ends_word:
                real = piece
            elif not short and n <= 4:
                short = piece
        elif piece.endswith(("服务", "建设", "审批", "放权", "述法", "宣讲", "管理")):
            if ends_word:
                extra = piece
            elif not short and n <= 4:
                short = piece  # “…”便民服务点位: the service, not its sites
    return real or short or extra


def _field_before(text: str, s: int) -> int:
    """行政执法“三项制度”, 行政审批“市县同权”改革: the field named right before a quote."""
    if not re.match(f"[{CJK}]", text[s - 1 : s] or " "):
        return s
    b = left_boundary(text, s, limit=8, allow_quotes=False, stops=STOPS)
    field = text[b:s]
    if not 4 <= len(field) <= 6 or VAGUE_START.match(field) or re.search(r"^全|[化性]$", field):
        return s  # 法援“云上通道”, 规范化“…”: a short word or a quality is no field
    if re.search(r"[省市区县镇乡村]委?$", field):
        return s  # 北岗区“…”: a place is where, not part of the name
    return b
