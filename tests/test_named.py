"""Institutions, mechanisms, documents, cases and awards on short genre passages, one file a rule.

Each `tests/data/named/*.json` is a case (see its README): adding a file adds a test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fazhi_kg.extract import extract
from fazhi_kg.facts import Facts
from fazhi_kg.text.read import from_text

CASES = sorted((Path(__file__).parent / "data" / "named").glob("*.json"))
HEAD = "青田县人民政府关于2022年度法治政府建设情况的报告\n一、主要举措和成效\n"
KEYS = {"institutions": "name", "mechanisms": "name", "documents": "title", "cases": "name"}


def _names(facts: Facts, family: str) -> list[str]:
    if family == "awards":
        return [a.title for a in facts.awards]
    return [getattr(x, KEYS[family]) for x in getattr(facts, family)]


def _award(facts: Facts, title: str) -> Any:
    found = [a for a in facts.awards if a.title == title]
    assert found, f"no award {title!r}; found {[a.title for a in facts.awards]}"
    return found[0]


def test_there_is_a_case_for_every_family():
    families = {p.stem.split("-")[0] for p in CASES}
    assert families == {"institutions", "mechanisms", "documents", "cases", "awards"}


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_named_things_of_a_genre_passage(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    facts = extract(from_text(case.get("head", HEAD) + case["text"]))
    for family, expected in case.get("expect", {}).items():
        names = _names(facts, family)
        for item in expected:
            if isinstance(item, dict):
                award = _award(facts, item["title"])
                for key, value in item.items():
                    assert getattr(award, key) == value, (item["title"], key, award)
            else:
                assert item in names, (family, item, names)
    for family, absent in case.get("absent", {}).items():
        names = _names(facts, family)
        for item in absent:
            assert item not in names, (family, item, names)
