"""Refuse what a read-only local query must not do, before any engine sees it: reading outside
the given graphs (SERVICE, FROM, LOAD), updates, and nesting or length that would crash the engine.
"""

from __future__ import annotations

import re

from fazhi_kg.errors import QueryError

__all__ = ["MAX_NESTING", "MAX_OPERATORS", "blank_out", "check_query"]

_STRIP = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*',
)
_REFUSED = re.compile(
    r"(?<![?$:\w])(SERVICE|FROM|LOAD|INSERT|DELETE|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)(?![:\w])",
    re.IGNORECASE,
)
MAX_NESTING = 24
# Oxigraph's parser and evaluator recurse once per operator or clause of a chain, and a few
# thousand (`!!!…`, `a+b+…`, `{…} MINUS {…} …`, 2,500 BINDs) overflow the stack and kill the
# process; the longest stored query has about 130.
MAX_OPERATORS = 1000
_OPERATOR = re.compile(
    r"\|\||&&|[!|^*/+=<>;\[{(]|(?<![0-9])\.(?![0-9])|(?<![\w-])-(?![\w-])"
    r"|\b(?:UNION|OPTIONAL|MINUS|FILTER|BIND|GRAPH|SELECT)\b",
    re.IGNORECASE,
)
_VALUES_BLOCK = re.compile(r"\bVALUES\b[^{}]{0,2000}\{[^{}]*\}", re.IGNORECASE)


def blank_out(text: str) -> str:
    """The query with its strings, IRIs and comments replaced by spaces (same length): what is
    left is keywords, variables and punctuation."""
    return _STRIP.sub(lambda m: " " * len(m.group(0)), text)


def check_query(text: str) -> None:
    """Raise `QueryError` for a query that reads outside the graphs, updates, or would crash."""
    bare = blank_out(text)
    hit = _REFUSED.search(bare)
    if hit:
        word = hit.group(1).upper()
        if word in ("SERVICE", "FROM", "LOAD"):
            raise QueryError(
                f"The query uses {word}, which would read outside the given graphs; "
                "pass the data with --graph instead."
            )
        raise QueryError(
            f"The query uses {word}: updates are refused here, the graphs are read-only."
        )
    depth = deepest = 0
    for ch in bare:
        if ch in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "})]":
            depth -= 1
    if deepest > MAX_NESTING:
        raise QueryError(
            f"The query nests {deepest} levels of braces, brackets and parentheses; at most "
            f"{MAX_NESTING} are accepted, simplify it."
        )
    # a VALUES table may be long: its rows are data, not operators
    operators = len(_OPERATOR.findall(_VALUES_BLOCK.sub(" ", bare)))
    if operators > MAX_OPERATORS:
        raise QueryError(
            f"The query has {operators:,} operators, clauses and brackets; at most "
            f"{MAX_OPERATORS:,} are accepted (longer chains crash the engine), split it."
        )
