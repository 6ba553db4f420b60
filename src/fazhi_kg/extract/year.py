"""The year a report covers: the year the title or the opening states; failing that, the year its
date points to (a report dated early in a year covers the year before, one dated late in a year
covers that year: reports are due by 1 April, and some are written in December)."""

from __future__ import annotations

import re

__all__ = ["year_covered", "year_of_date"]

# 2023年度, 2023年 — not the year of the plans a title announces (及2024年工作安排)
_TITLE_YEAR = re.compile(
    r"(?<![0-9])((?:19|20)[0-9]{2})\s*年(?:度)?(?!\s*(?:工作)?(?:安排|计划|打算|要点|思路|规划))"
)
# a clause of the opening that starts with a year: 2023年，… / 2023年以来 / 2023年是…
_OPENING_YEAR = re.compile(
    r"(?:^|[\n。：:；;])\s*(?:[^\n。，,]{0,12}?[：:]\s*)?((?:19|20)[0-9]{2})\s*年(?:度|以来)?\s*[，,是]"
)
# the body's very first words: 2023年青石县坚持…
_FIRST_YEAR = re.compile(
    r"\s*((?:19|20)[0-9]{2})\s*年(?:度|以来)?(?=[\u4e00-\u9fff])(?![月底初末中])"
)
# 现将我县2023年法治政府建设情况报告如下
_NOW_REPORT = re.compile(r"现将[^。\n]{0,12}?((?:19|20)[0-9]{2})\s*年")
_ISO_DATE = re.compile(r"((?:19|20)[0-9]{2})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]")
_CLOSING = re.compile(
    r"(?:^|\n)\s*((?:19|20)[0-9]{2})\s*年\s*([0-9]{1,2})\s*月\s*[0-9]{1,2}\s*日\s*(?:\n|$)"
)
EARLY_MONTHS = range(1, 7)  # January–June: a report on the year before
LATE_MONTHS = range(10, 13)  # October–December: a report on that year


def year_of_date(date: str | None) -> int | None:
    """The year a report dated `date` (2024-03-01, 2024年3月1日) covers, where the month tells."""
    m = _ISO_DATE.search(date or "")
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    if month in EARLY_MONTHS:
        return year - 1
    if month in LATE_MONTHS:
        return year
    return None


def year_covered(title: str, opening: str, published: str | None, tail: str) -> int | None:
    """The year covered, from the title, the body's opening, then the publication or closing
    date (see the module docstring)."""
    for text, pattern in (
        (title, _TITLE_YEAR),
        (opening, _OPENING_YEAR),
        (opening, _FIRST_YEAR),
        (opening, _NOW_REPORT),
    ):
        m = pattern.match(text) if pattern is _FIRST_YEAR else pattern.search(text)
        if m:
            return int(m.group(1))
    closing = list(_CLOSING.finditer(tail))
    for date in (published, closing[-1].group(0) if closing else None):
        year = year_of_date(date)
        if year is not None:
            return year
    return None
