"""Report ids: readable, stable names derived from the jurisdiction path and the year.

`四川省 眉山市 东坡区, 2023` → `sichuan-meishan-dongpo-2023`. Administrative suffixes (省, 市, 区 …)
are dropped where the rest is at least two characters, and names are written in toneless pinyin.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from fazhi_kg.errors import UsageError

if TYPE_CHECKING:
    from fazhi_kg.facts import ReportMeta

_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "街道办事处",
    "街道",
    "新区",
    "地区",
    "省",
    "市",
    "区",
    "县",
    "州",
    "盟",
    "旗",
    "镇",
    "乡",
)
_VALID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,127}$")


def _slug(name: str) -> str:
    from pypinyin import Style, lazy_pinyin

    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            name = name[: -len(suffix)]
            break
    parts = lazy_pinyin(name, style=Style.NORMAL, errors="ignore")
    return re.sub(r"[^a-z0-9]", "", "".join(parts).lower().replace("ü", "v"))


def report_id(meta: ReportMeta) -> str:
    """The default id of a report."""
    path = [*reversed(meta.parents), meta.jurisdiction] if meta.jurisdiction else []
    slugs = [s for s in (_slug(p) for p in path) if s]
    if meta.year is not None:
        slugs.append(str(meta.year))
    return "-".join(slugs) or "report"


def check_id(rid: str) -> str:
    """A user-given id: lower-case letters, digits, dot, dash and underscore."""
    if not _VALID.match(rid):
        raise UsageError(
            f'Report id "{rid}" is not usable in file names and IRIs; use lower-case '
            "letters, digits, '.', '-' and '_' (e.g. bazhou-2023)."
        )
    return rid
