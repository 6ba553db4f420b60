"""Refuse what a read-only query must not do, before any engine sees it: reading outside the
given graphs (SERVICE, FROM, LOAD), updates, and nesting or length that would crash the engine.

`check_query` guards the command line; `check_served_query` guards `fazhi serve`, whose engine
reads only its store: there FROM and FROM NAMED may name the store's graphs, and SERVICE only the
endpoints the operator allowed.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from fazhi_kg.errors import QueryError

__all__ = ["MAX_NESTING", "MAX_OPERATORS", "blank_out", "check_query", "check_served_query"]

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
    _check_shape(bare)


def _check_shape(bare: str) -> None:
    """Refuse nesting and chains of operators that would overflow the engine's stack."""
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


_PREFIX = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)
_SPACE = re.compile(r"\s*")
_PNAME = re.compile(r"([A-Za-z][\w.-]*)?:([^\s{}()<>,;]*)")
_QUALIFIER = re.compile(r"\s*(?:(NAMED|SILENT)\b)?\s*", re.IGNORECASE)


def _target(text: str, bare: str, at: int) -> str | None:
    """The IRI that FROM [NAMED] or SERVICE [SILENT] names at `at`: written <…> or as a
    prefixed name of the query's PREFIX declarations; None for a variable or anything else."""
    at = _QUALIFIER.match(text, at).end()  # type: ignore[union-attr]  # matches the empty string
    if text.startswith("<", at):
        end = text.find(">", at)
        return text[at + 1 : end] if end > 0 else None
    name = _PNAME.match(text, at)
    if name is None or not name.group(0):
        return None
    prefixes = {}
    for m in _PREFIX.finditer(bare):
        start = _SPACE.match(text, m.end()).end()  # type: ignore[union-attr]
        if text.startswith("<", start):
            prefixes[m.group(1) or ""] = text[start + 1 : text.find(">", start)]
    base = prefixes.get(name.group(1) or "")
    return None if base is None else base + name.group(2)


def check_served_query(
    text: str, *, graphs: Collection[str] = (), services: Collection[str] = ()
) -> None:
    """Raise `QueryError` for what a public read-only endpoint refuses: updates and LOAD, FROM
    and FROM NAMED of anything but one of `graphs`, SERVICE to anything but one of `services`,
    and nesting or length that would crash the engine."""
    bare = blank_out(text)
    for hit in _REFUSED.finditer(bare):
        word = hit.group(1).upper()
        if word not in ("FROM", "SERVICE"):
            raise QueryError(f"The query uses {word}: this endpoint is read-only.")
        iri = _target(text, bare, hit.end())
        if word == "FROM" and iri not in graphs:
            raise QueryError(
                f"The query reads FROM {_named(iri)}, which is not a graph of this endpoint; name "
                "one of its graphs or leave FROM out (every graph is read by default)."
            )
        if word == "SERVICE" and iri not in services:
            raise QueryError(
                f"The query calls SERVICE {_named(iri)}, which this endpoint does not call; query "
                "that endpoint yourself."
            )
    _check_shape(bare)


def _named(iri: str | None) -> str:
    if iri is None:
        return "with a variable or an unknown prefix"
    return "<" + "".join(c if c.isprintable() else "?" for c in iri[:200]) + ">"
