"""What a query text is before it runs: its form (SELECT, ASK, CONSTRUCT, DESCRIBE), and, when
Oxigraph cannot parse it, one sentence that says where and what to do (a missing PREFIX names the
prefix and the line to add) instead of the parser's list of Unicode ranges.
"""

from __future__ import annotations

import re

from fazhi_kg.errors import QueryError
from fazhi_kg.iris import ID_NS, PREFIXES
from fazhi_kg.query.guard import blank_out

__all__ = ["FORMS", "parse_error", "query_form"]

FORMS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}
"""The query forms of SPARQL 1.1 §16 and the kind of answer each gives."""

KNOWN_PREFIXES = {**PREFIXES, "id": ID_NS}
"""Prefixes a hint can complete (the ones the graphs use)."""

_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_AT = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)
_QUOTED_CHAR = re.compile(r"'(?:\\.|[^'\\])*'")
_CHAR_CLASS = re.compile(r"\[[^\]]*\]")
_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)
_USED = re.compile(r"(?<![\w?$:.-])([A-Za-z](?:[\w.-]*\w)?)?:(?=[\w%\\\u00b7-\uffff])")


def query_form(text: str) -> str:
    """`select`, `ask` or `graph` (CONSTRUCT and DESCRIBE): the first query keyword outside
    strings, IRIs and comments; `select` when none is found (the parser then says why)."""
    found = _FORM.search(blank_out(text))
    return FORMS[found.group(1).upper()] if found else "select"


def parse_error(text: str, message: str) -> QueryError:
    """Oxigraph's `error at L:C: expected one of …` as one sentence for the query `text`."""
    at = _AT.match(" ".join(message.split()))
    if at is None:
        return QueryError(f"The query is not valid SPARQL: {' '.join(message.split())}.")
    line, column, detail = int(at.group(1)), int(at.group(2)), at.group(3)
    if "Prefix not found" in detail:
        prefix = _undeclared(text, line)
        if prefix is not None:
            return _missing_prefix(prefix, line)
    lines = text.splitlines() or [""]
    source = lines[min(line, len(lines)) - 1]
    near = " ".join(source[max(0, column - 16) : column + 4].split())
    words = _expected(detail)
    what = f"expected {_one_of(words)}" if words else "unexpected text"
    place = f"line {line}, column {column}" + (f' (near "{near}")' if near else "")
    return QueryError(f"The query is not valid SPARQL at {place}: {what}; fix it there.")


def _missing_prefix(prefix: str, line: int) -> QueryError:
    shown = f"{prefix}:"
    if prefix in KNOWN_PREFIXES:
        fix = f"add the line PREFIX {shown} <{KNOWN_PREFIXES[prefix]}> at the top"
    else:
        fix = f"declare it at the top with PREFIX {shown} <…>, or write the full IRI"
    return QueryError(
        f"The query uses the prefix {shown} (line {line}) without declaring it; {fix}."
    )


def _undeclared(text: str, line: int) -> str | None:
    """The undeclared prefix used on `line` (else the first one used anywhere)."""
    bare = blank_out(text)
    declared = {m.group(1) or "" for m in _DECLARED.finditer(bare)}
    first: str | None = None
    for m in _USED.finditer(bare):
        name = m.group(1) or ""
        if name in declared:
            continue
        if bare.count("\n", 0, m.start()) + 1 == line:
            return name
        first = name if first is None else first
    return first


def _expected(detail: str) -> list[str]:
    """The keywords of a peg `expected one of …` list, without its character classes."""
    rest = detail.removeprefix("expected one of ").removeprefix("expected ")
    rest = _CHAR_CLASS.sub("", _QUOTED_CHAR.sub("", rest))
    return [w for w in (p.strip() for p in rest.split(",")) if re.fullmatch(r"[A-Z][A-Z_]*", w)]


def _one_of(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"one of {', '.join(words)}"
