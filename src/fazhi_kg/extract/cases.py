"""Cases: individual named cases, with their parties (shared/eval/ANNOTATION.md, "cases").

A case is named in quotation marks before 一案 / 案件 (“王某某不服县市场监管局行政处罚”一案), as a
quoted 案例 that names a dispute or a legal act (“…知识产权维权公证”案例), or unquoted as
某某诉… / 某某不服…案.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fazhi_kg.extract.clauses import CJK, Quotes
from fazhi_kg.extract.institutions import find_institutions

_QUOTED = re.compile(
    r"“(?P<name>[^“”]{4,60})”\s*(?P<tail>(?:一|这一|此)?(?:案件|案例|案)(?!卷|情))"
)
# a quoted 案例 is a case where its name says what was disputed or done in law
_LEGAL_ACT = re.compile(r"纠纷|不服|诉|维权|公证|仲裁|赔偿|侵权|争议|追索|讨薪|执行")
_UNQUOTED = re.compile(
    rf"(?P<name>(?:[{CJK}]某+|某[{CJK}]{{1,8}}?(?:公司|合作社|企业|厂|店))(?:诉|不服)[^,。;“”\n]{{2,40}}?)"
    r"(?:一案|案件|案)(?!例|卷|情)"
)
_PERSON = re.compile(f"[{CJK}]某+")
_ORGAN_ACT = re.compile(
    r"(?:不服|诉)(?P<org>[^,。]{2,20}?)(?:作出的|的)?(?:行政|处罚|决定|强制|许可|征收|复议|收回|工伤|土地)"
)


@dataclass(frozen=True)
class FoundCase:
    start: int
    end: int
    name: str
    parties: tuple[str, ...]
    institution: str | None


def _case(start: int, end: int, written: str, name: str) -> FoundCase:
    """A case named `written` (its quotes and 一案 as the text gives them), whose words are `name`."""
    persons = [p.group(0) for p in _PERSON.finditer(name)]
    company = re.match(rf"某[{CJK}]{{1,8}}?(?:公司|合作社|企业|厂|店)", name)
    organs = [f.name for f in find_institutions(name, Quotes((), ()))]
    inst = organs[0] if organs else None
    act = _ORGAN_ACT.search(name)
    if act and organs:
        inst = next((o for o in organs if o in act.group("org")), inst)
    parties = tuple(dict.fromkeys([*([company.group(0)] if company else persons), *organs]))
    return FoundCase(start, end, written, parties, inst)


def find_cases(text: str, quotes: Quotes | None = None, *, start: int = 0) -> list[FoundCase]:
    """Named cases from `start`, in text order."""
    out = []
    for m in _QUOTED.finditer(text, start):
        name = m.group("name")
        if m.group("tail").endswith("案例") and not _LEGAL_ACT.search(name):
            continue  # “一站式调解”案例: a practice held up as an example, not a case
        out.append(_case(m.start(), m.end(), m.group(0), name))
    taken = [(c.start, c.end) for c in out]
    for m in _UNQUOTED.finditer(text, start):
        if any(s <= m.start() < e for s, e in taken):
            continue
        if quotes is not None and (
            quotes.inside_title(m.start()) or quotes.inside_quote(m.start())
        ):
            continue
        out.append(_case(m.start(), m.end(), m.group(0), m.group("name")))
    out.sort(key=lambda c: c.start)
    return out
