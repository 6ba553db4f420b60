"""Number words of the genre: Chinese numerals, measure words, and the words that qualify a number.

Measure words and numbered names are data (`data/measure-words.tsv`, `data/numbered-names.tsv`);
this module holds the grammar that reads them.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from fazhi_kg.extract.clauses import word_table

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_POWERS = {"十": 10, "百": 100, "千": 1000}
_MYRIADS = {"万": 10_000, "亿": 100_000_000}
SCALES = {
    "万": Decimal(10_000),
    "亿": Decimal(100_000_000),
    "千": Decimal(1000),
    "百": Decimal(100),
}

# A Chinese numeral starts with a digit or 十 (百姓, 千家万户 and 万家 are words, not numbers).
CN_NUMERAL = "[一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*"
CN_CHARS = "零〇一二两三四五六七八九十百千万亿"

# Words before a number that make it a bound or an approximation, and their written form in facts.
QUALIFIERS_BEFORE = (
    "累计 将近 接近 不少于 不低于 不超过 超过 达到 高达 多达 近 约 达 逾 超 仅".split()
)
QUALIFIER_FORMS = {
    "达": "达到",
    "高达": "达到",
    "多达": "达到",
    "逾": "超过",
    "超": "超过",
    "多": "余",
    "将近": "近",
    "接近": "近",
    "左右": "约",
}


def cn_value(numeral: str) -> int:
    """二十一 → 21, 两万 → 20000, 一百二十 → 120, 十 → 10."""
    total = section = digit = 0
    for ch in numeral:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _POWERS:
            section += (digit or 1) * _POWERS[ch]
            digit = 0
        elif ch in _MYRIADS:
            total += (section + digit) * _MYRIADS[ch]
            section = digit = 0
    return total + section + digit


@cache
def measure_words() -> tuple[str, ...]:
    """Every measure word and unit, longest first (个百分点 before 个)."""
    return tuple(sorted((row[0] for row in word_table("measure-words.tsv")), key=len, reverse=True))


@cache
def chinese_measure_words() -> frozenset[str]:
    """The measure words that count after a Chinese numeral (三次, 十余个, 两万余人次)."""
    return frozenset(r[0] for r in word_table("measure-words.tsv") if len(r) > 1 and r[1] == "cn")


@cache
def numbered_names() -> tuple[str, ...]:
    """Names whose numeral is no count (四个亲自, 三项制度), longest first."""
    return tuple(
        sorted((row[0] for row in word_table("numbered-names.tsv")), key=len, reverse=True)
    )


def qualifier_form(word: str | None) -> str | None:
    """The qualifier as facts write it: 达 → 达到, 逾 → 超过, 多 → 余."""
    return None if word is None else QUALIFIER_FORMS.get(word, word)


def exact(value: Decimal) -> Decimal:
    """An integral value without exponent or trailing zeros (1.8万 → 18000, not 1.8E+4)."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


def alternation(words: tuple[str, ...] | list[str]) -> str:
    return "|".join(map(re.escape, words))
