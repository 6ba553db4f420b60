"""China's administrative divisions, read once per process from the shipped gazetteer.

`data/divisions.tsv.gz` holds GB/T 2260 codes of provinces, prefectures and counties as the Ministry
of Civil Affairs publishes them (1981–2024 year-end tables, via yescallop/areacodes) and the NBS
township codes (via modood/Administrative-divisions-of-China); its header names sources, commits,
licences and data dates, and `scripts/gazetteer/README.md` says how to rebuild it. Usage aliases
that no source ships (巴州 for 巴音郭楞蒙古自治州) come from `data/division_aliases.tsv`, each with its
source. Nothing is read at import: `gazetteer()` loads on first use.

Every reading is kept: a name or short name maps to all divisions it can mean (朝阳区 is in Beijing
and in Changchun), and lookups take the year a text speaks of, so a report on 2019 is read with the
divisions of 2019. Townships are read by full name only: their stems are everyday words (城关镇 ×88,
建设乡, 人民街道), so the derived short names of townships stay data, not readings.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from fazhi_kg.resources import data_dir

__all__ = ["LEVELS", "Division", "Gazetteer", "gazetteer", "kind_of"]

LEVELS = ("province", "city", "county", "township")
GAZETTEER_FILE = "divisions.tsv.gz"
ALIASES_FILE = "division_aliases.tsv"

# The kind of unit a name's suffix says, longest suffix first: what 我县, 全州, 市委 refer to.
_KINDS = (
    ("特别行政区", "特别行政区"),
    ("自治区", "自治区"),
    ("自治州", "州"),
    ("自治县", "县"),
    ("自治旗", "旗"),
    ("民族乡", "乡"),
    ("民族苏木", "苏木"),
    ("街道", "街道"),
    ("苏木", "苏木"),
    ("地区", "地区"),
    ("省", "省"),
    ("市", "市"),
    ("州", "州"),
    ("盟", "盟"),
    ("区", "区"),
    ("县", "县"),
    ("旗", "旗"),
    ("镇", "镇"),
    ("乡", "乡"),
)


def kind_of(name: str) -> str:
    """The kind of unit a division's name ends in: 省, 自治区, 市, 州, 地区, 盟, 区, 县, 旗, 镇, 乡, 街道,
    苏木 (自治州 → 州, 自治县 → 县); '' for a name with none (a development zone)."""
    for suffix, kind in _KINDS:
        if name.endswith(suffix):
            return kind
    return ""


@dataclass(frozen=True, slots=True)
class Division:
    """One record of the gazetteer: a division under one name for a period of years."""

    code: str  # six digits (GB/T 2260), or nine for a township (NBS)
    name: str  # the full official name: 巴州区, 巴音郭楞蒙古自治州
    level: str  # province, city, county or township
    parent: str | None  # the parent's code; a municipality's districts hang under the province
    valid_from: int | None  # first year-end table or NBS edition that lists it (None: before 2016)
    valid_to: int | None  # the year it was renamed, recoded or abolished (None: still listed)
    short_names: tuple[str, ...] = ()  # derived by rule (巴州, 凉山州, 川) and usage aliases
    quasi: bool = False  # an NBS statistical unit (development zone, farm), not a division
    predecessors: tuple[str, ...] = ()  # codes of the units it was wholly formed from

    @property
    def kind(self) -> str:
        """省, 市, 州, 区, 县, 镇 … (see `kind_of`)."""
        return kind_of(self.name)

    def valid_in(self, year: int | None) -> bool:
        """Whether a text about `year` may use this record: listed at the end of that year or of
        the next (reports are written early the next year), or changed during it."""
        if year is None:
            return True
        starts = self.valid_from is None or self.valid_from <= year + 1
        return starts and (self.valid_to is None or self.valid_to >= year)

    def current_in(self, year: int | None) -> bool:
        """Whether the record stands in the year-end table of `year` (the stricter reading)."""
        if year is None:
            return self.valid_to is None
        starts = self.valid_from is None or self.valid_from <= year
        return starts and (self.valid_to is None or self.valid_to > year)


_BARE_UNIT = re.compile("|".join(suffix for suffix, _ in _KINDS))


def _suffixed(name: str) -> bool:
    """A short form that keeps a unit suffix (凉山州, 长阳县) and is not 全州 or 我县."""
    return len(name) >= 3 and kind_of(name) != "" and name[0] not in "全我本各"


def _year(field: str) -> int | None:
    return int(field) if field else None


class Gazetteer:
    """Lookups by code, full name and short name; paths from the province down."""

    def __init__(self, divisions: Iterable[Division], header: Iterable[str] = ()) -> None:
        self.header = tuple(header)
        self._by_code: dict[str, list[Division]] = {}
        self._by_name: dict[str, list[Division]] = {}
        self._by_short: dict[str, list[Division]] = {}
        self._children: dict[str, list[Division]] = {}
        for d in divisions:
            self._by_code.setdefault(d.code, []).append(d)
            self._by_name.setdefault(d.name, []).append(d)
            if d.level != "township":  # 城关, 建设, 人民: township stems are everyday words
                for short in d.short_names:
                    self._by_short.setdefault(short, []).append(d)
            if d.parent:
                self._children.setdefault(d.parent, []).append(d)
        self._longest: dict[str, int] = {}  # first two characters → the longest name so begun
        for n in (*self._by_name, *self._by_short):
            self._longest[n[:2]] = max(self._longest.get(n[:2], 0), len(n))
        # names that stand on their own in running text: full names of divisions (not of NBS
        # statistical units) and short forms that keep a unit suffix (凉山州, 长阳县, 土左旗)
        self._province_stems: dict[str, tuple[Division, ...]] = {}
        for n, records in self._by_short.items():
            provinces = tuple(d for d in records if d.level == "province")
            if len(n) >= 2 and provinces:
                self._province_stems[n] = provinces
        self._written: dict[str, int] = {}
        for n, records in self._by_name.items():
            if _BARE_UNIT.fullmatch(n):  # NBS units named 街道 alone: a word, not a name
                continue
            if any(not d.quasi for d in records):
                self._written[n[:2]] = max(self._written.get(n[:2], 0), len(n))
        for n in self._by_short:
            if _suffixed(n):
                self._written[n[:2]] = max(self._written.get(n[:2], 0), len(n))

    def __len__(self) -> int:
        return sum(map(len, self._by_code.values()))

    def __iter__(self) -> Iterator[Division]:
        for records in self._by_code.values():
            yield from records

    # lookups ------------------------------------------------------------------------------

    def division(self, code: str, year: int | None = None) -> Division | None:
        """The record of a code for `year` (the latest one when none is valid then)."""
        records = self._by_code.get(code, [])
        valid = [d for d in records if d.current_in(year)] or [
            d for d in records if d.valid_in(year)
        ]
        chosen = valid or records
        return chosen[-1] if chosen else None

    def named(self, name: str, year: int | None = None) -> tuple[Division, ...]:
        """Every division whose full official name is `name` (homonyms included)."""
        return tuple(d for d in self._by_name.get(name, ()) if d.valid_in(year))

    def readings(self, name: str, year: int | None = None) -> tuple[Division, ...]:
        """Every division `name` can mean: full names first, then short names and usage
        aliases (巴州 → 巴州区 and 巴音郭楞蒙古自治州)."""
        full = self.named(name, year)
        short = tuple(d for d in self._by_short.get(name, ()) if d.valid_in(year) and d not in full)
        return full + short

    def is_name(self, name: str) -> bool:
        """Whether `name` is the full name of some division (any year)."""
        return name in self._by_name

    def is_reading(self, name: str) -> bool:
        """Whether `name` is a full name, short name or alias of some division (any year)."""
        return name in self._by_name or name in self._by_short

    def names_at(self, text: str, i: int) -> Iterator[str]:
        """The names and short names that start at `text[i]`, longest first."""
        longest = self._longest.get(text[i : i + 2], 0)
        for end in range(min(len(text), i + longest), i + 1, -1):
            piece = text[i:end]
            if piece in self._by_name or piece in self._by_short:
                yield piece

    def written_name_at(self, text: str, i: int) -> str | None:
        """The longest name that stands on its own in running text (a full name, or a short form
        that keeps its unit suffix: 凉山州) starting at `text[i]`."""
        longest = self._written.get(text[i : i + 2])
        if longest is None:
            return None
        for end in range(min(len(text), i + longest), i + 1, -1):
            piece = text[i:end]
            if piece in self._by_name or (piece in self._by_short and _suffixed(piece)):
                return piece
        return None

    def province_stem_at(self, text: str, i: int) -> str:
        """The province stem of two or three characters at `text[i]` (浙江, 新疆, 内蒙古), or ''."""
        for n in (3, 2):
            if text[i : i + n] in self._province_stems:
                return text[i : i + n]
        return ""

    def provinces(self, stem: str) -> tuple[Division, ...]:
        """The provinces a stem names (吉林 → 吉林省 only: the city's stem is not a province's)."""
        return self._province_stems.get(stem, ())

    # the tree -----------------------------------------------------------------------------

    def parent(self, d: Division, year: int | None = None) -> Division | None:
        """The division `d` belongs to."""
        return self.division(d.parent, year) if d.parent else None

    def path(self, d: Division, year: int | None = None) -> tuple[Division, ...]:
        """`d` and its parents, from the province down: (四川省, 成都市, 武侯区)."""
        chain = [d]
        while (up := self.parent(chain[-1], year)) is not None and len(chain) < 5:
            chain.append(up)
        return tuple(reversed(chain))

    def qualified_name(self, d: Division, year: int | None = None) -> str:
        """The name from the province down: 四川省成都市武侯区 (北京市朝阳区; 北京市)."""
        return "".join(p.name for p in self.path(d, year))

    def children(self, d: Division, year: int | None = None) -> tuple[Division, ...]:
        """The divisions directly under `d` in `year`."""
        return tuple(c for c in self._children.get(d.code, ()) if c.valid_in(year))

    def by_qualified_name(self, name: str, year: int | None = None) -> tuple[Division, ...]:
        """The divisions whose qualified name (or, for a bare name, whose name) is `name`."""
        found = []
        for end in range(len(name), 1, -1):
            for d in self.named(name[-end:], year) if end < len(name) else self.named(name, year):
                if self.qualified_name(d, year).endswith(name) or d.name == name:
                    found.append(d)
            if found:
                break
        return tuple(dict.fromkeys(found))

    def same_place(self, a: Division, b: Division) -> bool:
        """Whether two records are one place under two names or codes (a rename or a recoding:
        桥西区 → 信都区, 静海县 → 静海区)."""
        return a.code == b.code or a.code in b.predecessors or b.code in a.predecessors


def _load_aliases() -> dict[str, list[str]]:
    """code → usage aliases, from data/division_aliases.tsv (alias, code, name, source)."""
    out: dict[str, list[str]] = {}
    lines = (data_dir() / ALIASES_FILE).read_text(encoding="utf-8").splitlines()
    for line in lines:
        if not line.strip() or line.startswith("#") or line.startswith("alias\t"):
            continue
        alias, code = line.split("\t")[:2]
        out.setdefault(code, []).append(alias)
    return out


@cache
def gazetteer() -> Gazetteer:
    """The shipped gazetteer, loaded on first call (about 0.3 s and 30 MB; bench/identity.py)."""
    aliases = _load_aliases()
    header: list[str] = []
    divisions: list[Division] = []
    shared: dict[str, str] = {}  # one string object per code and year: the file repeats them
    intern = shared.setdefault
    years: dict[str, int | None] = {"": None}
    with gzip.open(data_dir() / GAZETTEER_FILE, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                header.append(line[1:].strip())
                continue
            code, name, level, parent, start, end, shorts, before, _after, src, _doc = line.split(
                "\t"
            )
            if code == "code":
                continue
            for y in (start, end):
                if y not in years:
                    years[y] = int(y)
            divisions.append(
                Division(
                    code=intern(code, code),
                    name=name,
                    level=intern(level, level),
                    parent=intern(parent, parent) if parent else None,
                    valid_from=years[start],
                    valid_to=years[end],
                    short_names=tuple(shorts.split(";")) + tuple(aliases.get(code, ()))
                    if shorts or code in aliases
                    else (),
                    quasi=src == "nbs-quasi",
                    predecessors=tuple(
                        p.split(" ")[0] for p in before.split(";") if not p.endswith("*")
                    )
                    if before
                    else (),
                )
            )
    return Gazetteer(divisions, header)
