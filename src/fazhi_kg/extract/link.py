"""Every link between the facts of one report, decided once, where the text is read.

- an indicator is *about* an institution or mechanism only when its clause says so: the body is
  named in the same clause before the number, or opens the sentence as its subject; a total of the
  whole area (全区 …, 共计) stays with the report's jurisdiction, and a body that commends or
  confers is never the subject; an indicator in a duties item is about that duty;
- an award's recipients (institutions, cases, quoted practices, persons) and the institution that
  conferred it; a case's parties, the organ it concerns and the award that recognized it;
- a mechanism's institutions: the body that opens the clause naming it;
- a plan *addresses* the problems whose key terms it repeats.

The RDF mapping only maps these `Ref`s; it never reads names again.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace

from fazhi_kg.extract.outline import focus_terms, plan_links, problem_terms
from fazhi_kg.extract.reading import Reading
from fazhi_kg.facts import Award, Case, Facts, Indicator, Institution, Person, Ref, Span

_BREAKS = ",;。!?:\n"  # the normalized text writes ，；：！？ as ASCII
_TOTAL = re.compile(r"全(?:区|县|市|省|州|旗|盟|镇|乡|街道)|共计|总计|合计")
_CONFERS_AFTER = re.compile(
    r"^[^,;。]{0,6}?(?:表扬|表彰|通报|肯定|授予|命名|评为|认定|推广|转发|批复)"
)
_CONFERS_BEFORE = re.compile(r"(?:被|受到|获得?|经|蒙|向|对|为|给|与|和|同|会同|配合)$")
_SUBJECT_LEAD = re.compile(r"^\s*(?:其中|由|经|在)?$")
_ADJACENT = re.compile(r"\s*(?:共|共计|达|有)?\s*")
_PERSON = re.compile(r"^(?:[0-9]+|[一二三四五六七八九十两]+)\s*(?:人|名)$|某")
_QUOTED = re.compile(r"“([^“”]+)”")


def _key(name: str) -> str:
    return unicodedata.normalize("NFKC", name)


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    ref: Ref


class _Mentions:
    """Every place in the text where an extracted institution or mechanism is named (not only the
    first, which is where the fact itself stands), longest name first, in text order."""

    def __init__(self, text: str, named: dict[str, Ref]) -> None:
        names = sorted((n for n in named if n), key=len, reverse=True)
        self.all: list[_Mention] = []
        if names:
            rx = re.compile("|".join(map(re.escape, names)))
            self.all = [_Mention(m.start(), m.end(), named[m.group(0)]) for m in rx.finditer(text)]
        self._starts = [m.start for m in self.all]

    def between(self, start: int, end: int) -> list[_Mention]:
        i = bisect_left(self._starts, start)
        j = bisect_left(self._starts, end)
        return [m for m in self.all[i:j] if m.end <= end]


class _Breaks:
    """Where clauses and sentences start, found once; a clause or sentence is read at most
    `WINDOW` characters back, so a text without punctuation stays linear."""

    WINDOW = 160

    def __init__(self, text: str) -> None:
        self.clause = [m.end() for m in re.finditer(f"[{re.escape(_BREAKS)}]", text)]
        self.sentence = [m.end() for m in re.finditer("[。;!?\n]", text)]

    def _start(self, ends: list[int], pos: int) -> int:
        i = bisect_left(ends, pos + 1) - 1
        return max(ends[i] if i >= 0 else 0, pos - self.WINDOW)

    def clause_start(self, pos: int) -> int:
        return self._start(self.clause, pos)

    def sentence_start(self, pos: int) -> int:
        return self._start(self.sentence, pos)


def _confers(text: str, m: _Mention) -> bool:
    """Whether the body named at `m` commends or confers rather than acts (被省政府通报表扬)."""
    before = _CONFERS_BEFORE.search(text, max(0, m.start - 3), m.start)
    return bool(_CONFERS_AFTER.match(text, m.end) or before)


def _subject(
    r: Reading, mentions: _Mentions, breaks: _Breaks, start: int, family: str
) -> Ref | None:
    """The institution or mechanism a number at `start` measures, or None for an area total.

    A mechanism named anywhere in the number's clause is what it counts (开设公开专栏453个). An
    institution must be the one acting or counted: it opens the clause or the sentence as its
    subject (区法院审结案件…), or the number follows its name at once (工作站2个); a body that is
    the object of a preposition (向市政府备案…) or that commends is not the subject.
    """
    text = r.text
    clause = breaks.clause_start(start)
    if _TOTAL.search(text, clause, start):
        return None
    near = [
        m
        for m in mentions.between(clause, start)
        if m.ref.family == family and not _confers(text, m)
    ]
    if family != "institutions":
        return near[-1].ref if near else None
    for m in reversed(near):
        if _ADJACENT.fullmatch(text, m.end, start) or _SUBJECT_LEAD.match(text[clause : m.start]):
            return m.ref
    sentence = breaks.sentence_start(start)
    if _TOTAL.search(text, sentence, start):
        return None
    opening = [
        m
        for m in mentions.between(sentence, clause)
        if m.ref.family == family and _SUBJECT_LEAD.match(text[sentence : m.start])
    ]
    return opening[0].ref if opening and not _confers(text, opening[0]) else None


def _duty_of(section: str | None, duty_paths: dict[str, int]) -> Ref | None:
    if section is None:
        return None
    for path in sorted(duty_paths, key=len, reverse=True):
        if section == path or section.startswith(path + "/"):
            return Ref("duties", duty_paths[path])
    return None


def _indicators(r: Reading, facts: Facts, mentions: _Mentions) -> tuple[Indicator, ...]:
    duty_paths = {d.section or "": i for i, d in enumerate(facts.duties)}
    breaks = _Breaks(r.text)
    out = []
    for ind in facts.indicators:
        start = r.norm_pos(ind.span.start)
        about = [
            ref
            for ref in (
                _duty_of(ind.section, duty_paths),
                _subject(r, mentions, breaks, start, "institutions"),
                _subject(r, mentions, breaks, start, "mechanisms"),
            )
            if ref is not None
        ]
        out.append(replace(ind, about=tuple(about)))
    return tuple(out)


class _Entities:
    """The institutions and persons of a report, growing as links name bodies and people that
    the finders did not list (a conferring body, a case party)."""

    def __init__(self, r: Reading, facts: Facts) -> None:
        self.r = r
        self.institutions = list(facts.institutions)
        self.persons: list[Person] = []
        self._inst = {_key(i.name): n for n, i in enumerate(self.institutions)}
        self._person: dict[str, int] = {}

    def _locate(self, name: str, within: Span) -> Span:
        """Where `name` is written inside `within` (else the whole of `within`)."""
        lo, hi = self.r.norm_pos(within.start), self.r.norm_pos(within.end)
        at = self.r.text.find(_key(name), lo, hi)
        return self.r.span(at, at + len(_key(name))) if at >= 0 else within

    def bracketed(self, name: str | None, within: Span) -> bool:
        """Whether `name` is written inside 《》 within `within`."""
        if not name:
            return False
        lo, hi = self.r.norm_pos(within.start), self.r.norm_pos(within.end)
        at = self.r.text.find(_key(name), lo, hi)
        return at > 0 and self.r.text[at - 1] == "《"

    def institution(self, name: str | None, within: Span, *, add: bool) -> Ref | None:
        if not name:
            return None
        n = self._inst.get(_key(name))
        if n is None and add:
            span = self._locate(name, within)
            n = len(self.institutions)
            self.institutions.append(
                Institution(name=name, span=span, section=self.r.section_of(span))
            )
            self._inst[_key(name)] = n
        return None if n is None else Ref("institutions", n)

    def person(self, name: str, within: Span) -> Ref:
        n = self._person.get(name)
        if n is None:
            span = self._locate(name, within)
            n = len(self.persons)
            self.persons.append(Person(name=name, span=span, section=self.r.section_of(span)))
            self._person[name] = n
        return Ref("persons", n)


def _recipients(award: Award, facts: Facts, ents: _Entities) -> tuple[Ref, ...]:
    """The facts an award's recipient phrase names: an organ, cases, quoted practices, people."""
    who = award.recipient
    if not who:
        return ()
    inst = ents.institution(who, award.span, add=False)
    if inst is not None:
        return (inst,)
    refs = [Ref("cases", n) for n, c in enumerate(facts.cases) if c.name in who]
    if not refs:
        mechs = {_key(m.name): n for n, m in enumerate(facts.mechanisms)}
        refs = [Ref("mechanisms", mechs[_key(q)]) for q in _QUOTED.findall(who) if _key(q) in mechs]
    if not refs and _PERSON.search(who):  # 3人, 张某; a case's parties are not the honoured
        refs.append(ents.person(who, award.span))
    return tuple(refs)


def _awards(facts: Facts, ents: _Entities) -> tuple[Award, ...]:
    return tuple(
        replace(
            a,
            recipients=_recipients(a, facts, ents),
            # a conferrer written in 《》 (a magazine's list) is a document's title, not a new body
            conferrer=ents.institution(
                a.conferred_by, a.span, add=not ents.bracketed(a.conferred_by, a.span)
            ),
        )
        for a in facts.awards
    )


def _cases(facts: Facts, awards: Sequence[Award], ents: _Entities) -> tuple[Case, ...]:
    out = []
    for c in facts.cases:
        parties = tuple(
            ents.institution(p, c.span, add=False) or ents.person(p, c.span) for p in c.parties
        )
        honour = next(
            (n for n, a in enumerate(awards) if Ref("cases", facts.cases.index(c)) in a.recipients),
            None,
        )
        out.append(
            replace(
                c,
                party_refs=parties,
                concerns=ents.institution(c.institution, c.span, add=False),
                recognized_by=None if honour is None else Ref("awards", honour),
                recognition=None if honour is None else awards[honour].title,
            )
        )
    return tuple(out)


def _mechanism_bodies(r: Reading, facts: Facts, mentions: _Mentions) -> Facts:
    """A mechanism is run by the institution that opens the clause naming it (区司法局建立…机制)."""
    text = r.text
    breaks = _Breaks(text)
    out = []
    for mech in facts.mechanisms:
        start = r.norm_pos(mech.span.start)
        clause = breaks.clause_start(start)
        opening = [
            m
            for m in mentions.between(clause, start)
            if m.ref.family == "institutions" and _SUBJECT_LEAD.match(text[clause : m.start])
        ]
        bodies = () if not opening or _confers(text, opening[0]) else (opening[0].ref,)
        out.append(replace(mech, institutions=bodies))
    return replace(facts, mechanisms=tuple(out))


def _outline(r: Reading, facts: Facts) -> Facts:
    """Plans address the problems they answer (`outline.plan_links`: shared phrases, or terms of
    a domain both speak of); both keep those terms as focus."""
    problem_texts = [r.norm_of(p.span) for p in facts.problems]
    plan_texts = [r.norm_of(p.span) for p in facts.plans]
    links = plan_links(problem_texts, plan_texts)
    problems = tuple(
        replace(p, focus=focus_terms(p.summary, problem_terms(problem_texts[i], plan_texts)))
        for i, p in enumerate(facts.problems)
    )
    plans = tuple(
        replace(
            p,
            focus=focus_terms(p.summary, [t for _, ts in plan for t in ts]),
            addresses=tuple(k for k, _ in plan),
            shared_terms=tuple(plan),
        )
        for p, plan in zip(facts.plans, links, strict=True)
    )
    return replace(facts, problems=problems, plans=plans)


def link(r: Reading, facts: Facts) -> Facts:
    """The facts with every link between them made (see the module's docstring)."""
    named = {_key(m.name): Ref("mechanisms", n) for n, m in enumerate(facts.mechanisms)}
    named.update({_key(i.name): Ref("institutions", n) for n, i in enumerate(facts.institutions)})
    mentions = _Mentions(r.text, named)
    facts = replace(facts, indicators=_indicators(r, facts, mentions))
    facts = _mechanism_bodies(r, facts, mentions)
    ents = _Entities(r, facts)
    awards = _awards(facts, ents)
    cases = _cases(facts, awards, ents)
    facts = replace(
        facts,
        awards=awards,
        cases=cases,
        institutions=tuple(ents.institutions),
        persons=tuple(ents.persons),
    )
    return _outline(r, facts)
