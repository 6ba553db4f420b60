"""Report ids: readable, unique, stable names derived from the resolved division and the year.

`四川省 巴中市 巴州区, 2023` → `sichuan-bazhong-bazhou-2023`: the division's path from the province
down in toneless pinyin, administrative suffixes (省, 市, 区 …) dropped where the rest is at least
two characters. A department's report adds the department (`guangdong-foshan-sifaju-2023`); two
divisions that exist at the same time and still spell the same (山西 and 陕西 are both shanxi) add
their code; a report whose jurisdiction is unknown is `unresolved-<8 hex digits of its text's
sha256>-<year>`, which says so and never collides.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from fazhi_kg.errors import UsageError

if TYPE_CHECKING:
    from fazhi_kg.extract.gazetteer import Division, Gazetteer
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
UNRESOLVED = "unresolved"


def _slug(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return _spell(name, len(name) - len(suffix))
    return _spell(name)


def report_id(meta: ReportMeta) -> str:
    """The default id of a report (see the module docstring)."""
    year = [str(meta.year)] if meta.year is not None else []
    if not meta.jurisdiction:
        return "-".join([UNRESOLVED, meta.text_sha256[:8] or _digest(meta.title), *year])
    from fazhi_kg.extract.gazetteer import gazetteer

    g = gazetteer()
    found = g.by_qualified_name(meta.jurisdiction, meta.year)
    if len(found) == 1:
        path = g.path(found[0], meta.year)
        slugs = [_division_slug(d) for d in path]
        names = [d.name for d in path]
    else:  # not in the gazetteer (a user's override): spell the names
        names = [*reversed(meta.parents)]
        prefix = "".join(names)
        names.append(meta.jurisdiction.removeprefix(prefix) or meta.jurisdiction)
        slugs = [_slug(n) for n in names]
    if meta.level == "department" and meta.issuer:
        slugs.append(_spell(_department(meta.issuer, names)))
    if len(found) == 1 and _spelled_alike(g, found[0]):
        slugs.append(found[0].code)
    if not year:  # a division's reports of unknown years must not collide either
        slugs.append(meta.text_sha256[:8] or _digest(meta.title))
    return "-".join([s for s in slugs if s] + year)


def _digest(title: str) -> str:
    import hashlib

    return hashlib.sha256(title.encode("utf-8")).hexdigest()[:8]


def _division_slug(d: Division) -> str:
    """A division's name in pinyin without its suffix: its rule-derived short name where the
    gazetteer has one (广西壮族自治区 → guangxi, 长阳土家族自治县 → zhangyang), else the name
    without its suffix (土默特左旗 → tumotezuo)."""
    stem = next((s for s in d.short_names if len(s) >= 2 and d.name.startswith(s)), "")
    return _spell(d.name, len(stem)) if stem else _slug(d.name)


def _department(issuer: str, names: Sequence[str]) -> str:
    """司法局 of 广东省佛山市司法局: the department's own name, its division's names left out."""
    rest = issuer
    for name in names:
        for form in (name, name[:-1]):
            if len(form) >= 2 and rest.startswith(form):
                rest = rest[len(form) :]
                break
    return re.sub(r"^[省市州县区旗镇乡]?(?:人民政府|政府)?(?=.)", "", rest)


@cache
def _spell(name: str, keep: int | None = None) -> str:
    """`name` in toneless pinyin, only its first `keep` characters' syllables where given: the
    whole name is read so that a polyphone takes the reading the name gives it (朝阳区 → chaoyang,
    where 朝阳 alone reads zhaoyang)."""
    from pypinyin import Style, lazy_pinyin

    parts = lazy_pinyin(name, style=Style.NORMAL, errors="ignore")
    if keep is not None:
        parts = (
            parts[:keep] if len(parts) == len(name) else lazy_pinyin(name[:keep], errors="ignore")
        )
    return re.sub(r"[^a-z0-9]", "", "".join(parts).lower().replace("ü", "v"))


def _slug_path(g: Gazetteer, d: Division) -> tuple[str, ...]:
    return tuple(_division_slug(p) for p in g.path(d, d.valid_from))


def _overlap(a: Division, b: Division) -> bool:
    """Whether two records stand in some year-end table together."""
    a0, b0 = a.valid_from or 0, b.valid_from or 0
    a1, b1 = a.valid_to or 9999, b.valid_to or 9999
    return a0 < b1 and b0 < a1


@cache
def _spelled_leaves() -> dict[tuple[str, str], tuple[Division, ...]]:
    """Province, prefecture and county records by level and spelled name (computed once)."""
    from fazhi_kg.extract.gazetteer import gazetteer

    out: dict[tuple[str, str], list[Division]] = {}
    for d in gazetteer():
        if d.level != "township" and not d.quasi:
            out.setdefault((d.level, _division_slug(d)), []).append(d)
    return {k: tuple(v) for k, v in out.items()}


def _spelled_alike(g: Gazetteer, d: Division) -> list[Division]:
    """Other divisions, in use at the same time as `d`, whose path spells like `d`'s."""
    if d.level != "township":
        alike = _spelled_leaves().get((d.level, _division_slug(d)), ())
        path = _slug_path(g, d)
        return [
            x for x in alike if x.code != d.code and _overlap(x, d) and _slug_path(g, x) == path
        ]
    parent = g.parent(d, d.valid_from)
    if parent is None:
        return []
    slug = _division_slug(d)
    return [
        x
        for u in [parent, *_spelled_alike(g, parent)]
        for x in g.children(u)
        if x.code != d.code
        and x.level == "township"
        and _division_slug(x) == slug
        and _overlap(x, d)
    ]


def check_id(rid: str) -> str:
    """A user-given id: lower-case letters, digits, dot, dash and underscore."""
    if not _VALID.match(rid):
        raise UsageError(
            f'Report id "{rid}" is not usable in file names and IRIs; use lower-case '
            "letters, digits, '.', '-' and '_' (e.g. bazhou-2023)."
        )
    return rid
