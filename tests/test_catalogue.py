"""The stored-query catalogue: every header complete, every parameter typed, used and projected."""

from __future__ import annotations

import re

import pytest

from fazhi_kg.errors import UsageError
from fazhi_kg.query.catalogue import PARAM_TYPES, bind, catalogue, get, parse_assignments

QUERIES = list(catalogue().values())
REQUIRED = {
    "awards",
    "award-levels",
    "recognitions",
    "problem-plans",
    "unaddressed-problems",
    "leadership-duties",
    "institutions",
    "institution",
    "cases",
    "mechanisms",
    "indicators",
    "rates",
    "full-rates",
    "documents",
    "section-summary",
    "completeness",
    "entity",
    "provenance",
    "compare-indicators",
}


def test_catalogue_has_every_question_the_users_ask():
    assert set(catalogue()) >= REQUIRED


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_header_is_complete(query):
    assert query.summary.get("zh") and query.summary.get("en")
    assert re.search(r"[\u4e00-\u9fff]", query.summary["zh"])
    assert query.description and query.tags
    for p in query.params:
        assert p.type in PARAM_TYPES, p
        assert p.example is not None, p
        assert p.required or p.default is not None, p


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_every_parameter_is_used_and_projected_never_tested_with_bound(query):
    body = "\n".join(line for line in query.text.splitlines() if not line.startswith("#"))
    head = re.search(r"SELECT\s+(?:DISTINCT\s+|REDUCED\s+)?(.*?)\s*(?:WHERE|\{)", body, re.S | re.I)
    for p in query.params:
        uses = re.findall(rf"[?$]{re.escape(p.name)}\b", body)
        assert len(uses) >= 2, f"{p.name} is not used in the query body"
        assert head and re.search(rf"[?$]{re.escape(p.name)}\b", head.group(1)), (
            f"{p.name} not projected"
        )
        assert not re.search(rf"BOUND\s*\(\s*[?$]{re.escape(p.name)}\b", body, re.I)


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_results_are_ordered(query):
    if re.search(r"^\s*SELECT", query.text, re.M | re.I):
        assert re.search(r"ORDER\s+BY", query.text, re.I)


def test_parameter_errors_name_the_fix():
    q = get("awards")
    with pytest.raises(UsageError, match=r'Query "awards" has no parameter "lvl"; known: level\.'):
        bind(q, {"lvl": "x"})
    with pytest.raises(UsageError, match=r'needs parameter "name"'):
        bind(get("institution"), {})
    with pytest.raises(UsageError, match="takes a number"):
        bind(get("indicators"), {"min": "many"})
    with pytest.raises(UsageError, match="NAME=VALUE"):
        parse_assignments(["level"])
    with pytest.raises(UsageError, match='no stored query "award"; did you mean awards'):
        get("award")


def test_parameters_are_typed_terms_not_text():
    terms = bind(get("indicators"), {"min": "90", "unit": '%" } ; DROP ALL ; #'})
    assert terms["min"].datatype.endswith("#decimal") and terms["min"].value == "90.0"
    assert terms["unit"].kind == "literal" and terms["unit"].value == '%" } ; DROP ALL ; #'


def test_get_reads_one_file_and_agrees_with_the_catalogue():
    for name, query in catalogue().items():
        assert get(name) == query


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_per_fact_values_are_not_read_through_paths_in_optionals(query):
    """queries/README.md: an OPTIONAL of a path runs over the whole corpus store in Oxigraph."""
    body = "\n".join(line for line in query.text.splitlines() if not line.startswith("#"))
    assert not re.search(r"OPTIONAL\s*\{\s*\?\w+\s+fz:inSection/", body)
