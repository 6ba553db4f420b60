"""Facts that follow the report's outline: leadership duties, problems and plans.

Duties are the items of the first-responsible-person part, or of the section that serves it where a
report folds that part into its measures. Problems and plans are the items of their parts (headings,
numbered items or 一是…二是 run in one paragraph); a plan answers the problems whose key terms it
repeats.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from fazhi_kg.extract.clauses import word_table
from fazhi_kg.extract.structure import leader_clause, names_duty
from fazhi_kg.facts import Section

NormBody = Callable[[Section], tuple[int, int]]  # a section's body as a range of `norm`

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


@dataclass(frozen=True)
class DutyItem:
    """One duty the leaders performed: a heading, or the clause that states it (offsets in norm
    for a clause; `section` is the heading it stands under)."""

    name: str
    section: Section
    clause: tuple[int, int] | None = None


def duty_items(text: str, secs: Sequence[Section], norm_body: NormBody) -> list[DutyItem]:
    """The duties of the principal leaders, from the section that serves the duties part: one per
    item heading under it; where it has none, its own heading when that names the duty (a
    subsection such as 落实第一责任人职责), else the clause of its text that says
    what the leaders did (a top-level part, or a subsection about something else)."""
    heads = [s for s in secs if s.part == "duties"]
    if not heads:
        return []
    out: list[DutyItem] = []
    for head in heads:
        children = [
            s
            for s in secs
            if s.parent == head.path
            # a heading that lists several topics has one item per topic: only the duty's counts
            and (s.title not in head.title or names_duty(s.title))
        ]
        if children:
            out.extend(DutyItem(s.title, s) for s in children)
            continue
        if any(s.parent == head.path for s in secs):
            continue  # the item on the duty is not reached (an excerpt)
        if head.depth > 1 and names_duty(head.title):
            out.append(DutyItem(head.title, head))
            continue
        start, end = norm_body(head)
        clause = leader_clause(text, start, end)
        if clause is not None:
            out.append(DutyItem(text[clause[0] : clause[1]].strip(), head, clause))
    return out


def items_of(secs: Sequence[Section], part: str) -> list[Section]:
    """The items of the sections that serve `part`: their child sections, or the section itself
    where it has none. A part whose subsections serve parts of their own (三、存在的问题和下步打算)
    gives its items through them."""
    serving = [
        s for s in secs if s.part == part and not any(c.parent == s.path and c.part for c in secs)
    ]
    out: list[Section] = []
    for t in serving:
        children = [s for s in secs if s.parent == t.path]
        out.extend(children or [t])
    return out


def focus_terms(title: str, shared: Sequence[str] = ()) -> tuple[str, ...]:
    """Key terms of an item: the head of its title (法治意识 of 法治意识有待提升) and the phrases it
    shares with the items on the other side (problems with plans)."""
    head = _EVALUATIVE.sub("", _FILLER.sub("", title.strip())).strip()
    head = re.sub(r"(?:较为|相对|比较|程度|仍然|仍|还|尚)+$", "", head)
    terms = [head] if 2 <= len(head) <= 10 and re.fullmatch(r"[\u4e00-\u9fff]+", head) else []
    return tuple(dict.fromkeys([*terms, *shared]))


# Phrases every report repeats; sharing them says nothing about which problem a plan answers.
_GENERIC_TERMS = frozenset(
    """
法治政府建设 法治政府 法治建设 政府建设 建设法治 推进法治 法治领域 持续推进 不断提升 进一步 有待提升 有待加强
工作机制 工作人员 主要负责人 第一责任人 各级各部门 全面推进 深入推进 切实加强 加快建设 依法治区 依法治县 依法治市
""".split()
)
_TERM_EDGE = re.compile(r"^[的和与及等在对是了把将从为以及]|[的和与及等在对是了把将从为以]$")


@lru_cache(maxsize=1024)  # plan links and problem focus ask for the same pairs
def shared_terms(problem_text: str, plan_text: str, *, min_len: int = 4) -> tuple[str, ...]:
    """The longest phrases (at least `min_len` characters) a problem and a plan both use, less the
    phrases every report repeats: the evidence that the plan answers the problem."""
    runs = re.findall(r"[\u4e00-\u9fff]+", problem_text)
    found: list[str] = []
    for run in runs:
        i = 0
        while i <= len(run) - min_len:
            best = ""
            for length in range(min(len(run) - i, 12), min_len - 1, -1):
                piece = run[i : i + length]
                if piece in plan_text:
                    best = piece
                    break
            if best and best not in _GENERIC_TERMS and not _TERM_EDGE.search(best):
                found.append(best)
                i += len(best)
            else:
                i += 1
    return tuple(dict.fromkeys(found))


@cache
def _domains() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The domains of rule-of-law work and their terms (data/topics.tsv)."""
    table: dict[str, list[str]] = {}
    for domain, term in word_table("topics.tsv"):
        table.setdefault(domain, []).append(term)
    return tuple((d, tuple(terms)) for d, terms in table.items())


def domain_terms(text: str) -> dict[str, tuple[str, ...]]:
    """The domains an item speaks of, each with the terms of it the item uses."""
    out: dict[str, tuple[str, ...]] = {}
    for domain, terms in _domains():
        used = tuple(t for t in terms if t in text)
        if used:
            out[domain] = used
    return out


def plan_links(
    problem_texts: Sequence[str], plan_texts: Sequence[str]
) -> list[list[tuple[int, tuple[str, ...]]]]:
    """For each plan, the problems it answers with the plan's evidence: the phrases both use, and
    the plan's terms of a domain the problem also speaks of (普法 answers 法治意识不强)."""
    problem_domains = [domain_terms(t) for t in problem_texts]
    out = []
    for plan in plan_texts:
        domains = domain_terms(plan)
        links = []
        for i, ptext in enumerate(problem_texts):
            shared = [t for d, ts in domains.items() if d in problem_domains[i] for t in ts]
            terms = tuple(dict.fromkeys([*shared_terms(ptext, plan), *shared]))
            if terms:
                links.append((i, terms))
        out.append(links)
    return out


def problem_terms(problem_text: str, plan_texts: Sequence[str]) -> tuple[str, ...]:
    """The phrases a problem shares with the plans: its focus besides its own head."""
    return tuple(dict.fromkeys(t for plan in plan_texts for t in shared_terms(problem_text, plan)))
