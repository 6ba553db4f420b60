"""Mechanisms: named systems, procedures, lists, reforms, campaigns, platforms, service models and
slogans that a report says were set up, run or improved (shared/eval/ANNOTATION.md, "mechanisms").

Four readings, merged so that each stretch of text names one mechanism:
- quoted names (“放管服”改革, 行政执法“三项制度”, “一网通办”), with the head noun after the quote
  and the field before it; political formulas and goals in quotes are not names;
- head-noun grammar: a name ends in a head (…制度, …机制, …清单, …审查, …督察, …专项整治) and
  starts after the verb or punctuation mark before it;
- the genre lexicon (data/lexicon/mechanisms.txt): names the national programmes give without a
  head noun (合法性审查, 双随机一公开, 失信惩戒);
- parallel slogans (进机关、进乡村、进社区; 同部署、同推进、同督促) and the systems a
  《关于建立…制度的通知》 sets up.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from fazhi_kg.extract.clauses import CJK, Cover, Quotes, left_boundary
from fazhi_kg.extract.found import Found, Spans, first_mentions
from fazhi_kg.extract.lexicon import alternation
from fazhi_kg.extract.mechanism_heads import STOPS, headed, kind
from fazhi_kg.extract.mechanism_quotes import quoted

_PARALLEL = re.compile(
    rf"(?:进[{CJK}]{{2,3}}?、){{2,}}进[{CJK}]{{2,3}}?(?:宣传活动|活动)?(?![{CJK}])"
    rf"|(?:同[{CJK}]{{2}}、){{2,}}同[{CJK}]{{2}}"
    rf"|(?:[{CJK}]{{2,4}}学、){{2,}}[{CJK}]{{2,4}}学(?![{CJK}])"
    rf"|述[{CJK}]述[{CJK}](?:述[{CJK}])+"
    rf"|(?:[{CJK}]{{2,5}}、){{1,3}}[{CJK}]{{2,5}}一体(?:建设|推进)"
)
# a standing meeting's or study group's learning rule (县政府常务会议学法制度, 党组理论学习中心组学法制度,
# 政府常务会议学法常态化); counted sessions (…学法15次) are activities, not the rule
_MEETING_LEARNING = re.compile(
    r"(?:常务会议?|中心组|党组会议?)(?:会前|集体|专题)?学法(?:制度|机制)?(?!计划|清单|安排|内容|[0-9]|\s*[0-9])"
)
_TITLE_SETUP = re.compile(
    r"关于(?:进一步)?(?:开展|建立健全|建立|健全|完善|全面推行|推行|实行|加强|落实)(?P<x>.+?)"
    r"(?:工作)?的?(?:通知|意见|实施意见|实施方案|方案|决定)"
)
_TITLE_VERBS = re.compile(r"^(?:全面|推行|实行|建立|健全|完善|开展|加强|落实)+")


def _lexicon(text: str, quotes: Quotes, start: int, skip: Cover) -> list[Found]:
    out = []
    for m in alternation("mechanisms").finditer(text, start):
        if skip(m.start()) or quotes.inside_title(m.start()):
            continue
        q = quotes.inside_quote(m.start())
        if q is not None and q != (m.start(), m.end()):
            continue  # 扫黑除恶 inside “常态化扫黑除恶、反走私、禁毒” (a theme): the quote decides
        if re.match(r"率|会(?!商)|考核", text[m.end() : m.end() + 2]):
            continue  # 出庭应诉率, 述法会, 述法考核: the name qualifies the word after it
        out.append(Found(m.start(), m.end(), m.group(0), kind(m.group(0))))
    return out


def _parallel(text: str, quotes: Quotes, start: int, skip: Cover) -> list[Found]:
    out = []
    for m in _PARALLEL.finditer(text, start):
        if skip(m.start()) or quotes.inside_quote(m.start()):
            continue  # a quoted slogan is the quotation reader's
        first_end = text.find("、", m.start(), m.end())
        first_end = m.end() if first_end < 0 else first_end
        # 做到集中学、…, 推进法治X、…: the verb before the first item is not the slogan's
        b = left_boundary(text, first_end, limit=8, allow_quotes=False, min_len=2, stops=STOPS)
        s = max(m.start(), b)
        out.append(Found(s, m.end(), text[s : m.end()], kind(m.group(0))))
    return out


def _meeting_learning(text: str, quotes: Quotes, start: int) -> list[Found]:
    """Learning rules named with the meeting that learns (the body is part of the name)."""
    out = []
    for m in _MEETING_LEARNING.finditer(text, start):
        if quotes.inside_title(m.start()) or quotes.inside_quote(m.start()):
            continue
        if re.match(r"[一二三四五六七八九十]+次", text[m.end() : m.end() + 3]):
            continue
        s = left_boundary(text, m.start(), limit=12, allow_quotes=False, stops=STOPS)
        if text[s - 1 : s] == ")":
            continue  # 党委(党组)理论学习中心组学法: bodies of a kind
        s += len(re.match(r"(?:各级|各|全市|全县|全区|全省)?", text[s:]).group(0))  # type: ignore[union-attr]
        if m.end() - s > len(m.group(0)):
            out.append(Found(s, m.end(), text[s : m.end()], kind(text[s : m.end()])))
    return out


def _in_titles(text: str, quotes: Quotes, start: int) -> list[Found]:
    """《关于全面推行A制度B制度的通知》: the systems a notice sets up or runs."""
    out = []
    for ts, te in quotes.titles:
        m = _TITLE_SETUP.fullmatch(text, ts, te)
        if ts < start or not m:
            continue
        pos = m.start("x")
        for piece in re.finditer(r".+?(?:制度|机制)", text[pos : m.end("x")]):
            lead = _TITLE_VERBS.match(piece.group(0))
            b = pos + piece.start() + (lead.end() if lead else 0)
            e = pos + piece.end()
            if e - b >= 4 and "的" not in text[b:e]:  # …全过程闭环管理的机制: a description
                out.append(Found(b, e, text[b:e], kind(text[b:e])))
    return out


def _merge(found: list[Found]) -> list[Found]:
    """One name per stretch of text: the longest reading wins, quoted readings first."""
    ranked = sorted(found, key=lambda f: (-(f.end - f.start), not f.quoted, f.start))
    kept: list[Found] = []
    taken = Spans()
    for f in ranked:
        if not taken.overlaps(f.start, f.end):
            kept.append(f)
            taken.add(f.start, f.end)
    return sorted(kept, key=lambda f: (f.start, f.end))


def find_mechanisms(
    text: str, quotes: Quotes, *, start: int = 0, exclude: Sequence[tuple[int, int]] = ()
) -> list[Found]:
    """Named mechanisms in `text[start:]`, one per distinct name in order of first mention.

    Nothing inside `exclude` (honours' titles, document titles, institutions) is read as a name."""
    skip = Cover(list(exclude))
    found = [
        *quoted(text, quotes, start, skip),
        *headed(text, quotes, start, skip),
        *_lexicon(text, quotes, start, skip),
        *_parallel(text, quotes, start, skip),
        *_meeting_learning(text, quotes, start),
    ]
    merged = _merge(found) + _in_titles(text, quotes, start)
    merged.sort(key=lambda f: (f.start, f.end))
    kept: list[str] = []
    coined: set[str] = set()  # the quoted words of the names kept
    out = []
    for f in merged:
        key = re.sub(r"[“”‘’\"]", "", f.name)
        bare_quote = f.quoted and f.name.startswith("“") and f.name.endswith("”")
        if key in kept or (not f.quoted and any(key in k for k in kept)):
            continue  # a later mention of a name already listed (述法 after 年度述法)
        if bare_quote and key in coined:
            continue  # “一件事” after “一件事”改革
        words_ = re.findall(r"“([^“”]+)”", f.name)
        if f.quoted and f.name.endswith("”") and words_ and words_[-1] in coined:
            continue  # 政务服务“一窗通办” after “一窗通办”: the same coined name
        coined.update(words_)
        kept.append(key)
        out.append(f)
    return first_mentions(out)
