"""Facts that follow the report's outline: leadership duties, problems and plans.

Duties are the items of the first-responsible-person part (or of the subsection that states them
when a report folds that part into its measures). Problems and plans are the items of their parts;
a plan answers the problems whose key terms it repeats.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from fazhi_kg.facts import Section
from fazhi_kg.read import SourceText

_DUTY_TITLE = re.compile(r"第一责任人|主要负责人|履行.{0,10}职责|述法|关键少数|领导干部")
_EVALUATIVE = re.compile(
    r"(?:有待|亟待|亟需|需要|仍需|还需)?(?:进一步)?(?:提升|提高|加强|增强|强化|完善|改进|规范|健全)$"
    r"|(?:不够|不足|不强|不高|不够高|较高|较低|突出|较多|较少|薄弱|欠缺|滞后|不到位|不规范|不平衡|不充分|"
    r"不健全|不完善|偏弱|偏少|偏低|不多|不大|不深|不实|缺乏|存在短板|存在差距|有差距)$"
)
_TERM_SPLIT = re.compile(r"[、,。;:“”《》()\s]|等|和|与|及|或|的|了|在|对|是|中|上|下")
_FILLER = re.compile(
    r"^(?:少数|部分|个别|一些|仍然|仍|依然|还|尚|较为|比较|进一步|持续|不断|全面|深入|全力|逐步|加快|"
    r"切实|着力|重点|严格|积极|主动|坚决|各级|有关|相关|存在|推进|推动|加强|强化|提升|提高|落实|"
    r"深化|优化|完善|规范|健全|建立|开展|组织|实现|推广|畅通|巩固|压实|不同程度地|不同程度)+"
)
_STOP_TERMS = frozenset(
    """
问题 工作 方面 情况 能力 水平 意识 作用 机制 制度 建设 数量 领域 范围 形势 能力水平 质效 氛围 格局
一定 有待 工作人员 人员 案件 力度 方式 成果 环境 体系 要求 效果 质量 进一步
""".split()
)


def duty_sections(secs: Sequence[Section]) -> list[Section]:
    """The sections that each state one duty of the principal leaders."""
    top = [s for s in secs if s.depth == 1 and s.part == "duties"]
    if top:
        heads = {s.path for s in top}
        children = [s for s in secs if s.parent in heads]
        return children or top
    # folded into the measures part: a subsection about the first responsible persons
    for s in secs:
        if s.depth == 2 and _DUTY_TITLE.search(s.title):
            children = [c for c in secs if c.parent == s.path]
            return children or [s]
    return []


def items_of(secs: Sequence[Section], part: str) -> list[Section]:
    """The items (child sections) of the top-level sections that serve `part`."""
    tops = [s for s in secs if s.depth == 1 and s.part == part]
    out: list[Section] = []
    for t in tops:
        children = [s for s in secs if s.parent == t.path]
        out.extend(children or [t])
    return out


def focus_terms(text: str, title: str) -> tuple[str, ...]:
    """Key terms an item names: the head of its title and the areas it lists."""
    terms: list[str] = []
    head = _EVALUATIVE.sub("", title).strip()
    for piece in [head, *_TERM_SPLIT.split(text)]:
        piece = _FILLER.sub("", piece.strip())
        piece = _EVALUATIVE.sub("", piece)
        piece = re.sub(r"(?:问题|工作|方面|领域|情况)$", "", piece)
        if (
            2 <= len(piece) <= 8
            and piece not in _STOP_TERMS
            and re.fullmatch(r"[\u4e00-\u9fff]+", piece)
        ):
            terms.append(piece)
    return tuple(dict.fromkeys(terms))


def shared_terms(problem_terms: Sequence[str], plan_text: str) -> tuple[str, ...]:
    """The problem's key terms that a plan's text repeats."""
    return tuple(t for t in problem_terms if len(t) >= 2 and t in plan_text)


def item_text(src: SourceText, sec: Section) -> str:
    return src.original[sec.body.start : sec.body.end]
