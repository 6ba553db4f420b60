"""The same answer from two SPARQL stores, as a user sees it: the columns a stored query shows
(its parameters hidden), rows compared as sets of term tuples, and in the order the query asks for.

Terms are compared by what they mean, not how a store spells them (RDF 1.1 value equality), which
covers what Virtuoso 7.2 changes on the way in and out: a decimal without fraction comes back as
xsd:integer (100 for 100.0), a boolean lexical form may be 1, a plain string with characters
outside ASCII comes back typed xsd:string, and language tags compare case-insensitively
(BCP 47). Everything else must be the same term.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from typing import Any

import pyoxigraph as ox

from fazhi_kg.query.answer import Answer
from fazhi_kg.query.guard import blank_out

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMBERS = {
    XSD + t
    for t in (
        "integer decimal double float long int short byte nonNegativeInteger positiveInteger "
        "nonPositiveInteger negativeInteger unsignedLong unsignedInt unsignedShort unsignedByte"
    ).split()
}


def canonical(term: Any) -> tuple[object, ...] | None:
    """A term as a comparable key: numbers by value, booleans by value, language tags lowered."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("blank",)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype in NUMBERS:
            return ("number", Decimal(term.value))
        if datatype == XSD + "boolean":
            return ("boolean", term.value in ("true", "1"))
        if term.language:
            return ("text", term.value, term.language.lower())
        return ("literal", term.value, datatype)
    return ("other", str(term))


def order_columns(query_text: str) -> list[str]:
    """The variables the query orders by (from its last ORDER BY), in that order."""
    bare = blank_out(query_text)
    at = [m.end() for m in re.finditer(r"\bORDER\s+BY\b", bare, re.IGNORECASE)]
    if not at:
        return []
    tail = re.split(r"\b(?:LIMIT|OFFSET)\b", bare[at[-1] :], flags=re.IGNORECASE)[0]
    return list(dict.fromkeys(re.findall(r"[?$]([A-Za-z_]\w*)", tail)))


def differences(local: Answer, remote: Answer, query_text: str, hidden: set[str]) -> list[str]:
    """What differs between two answers to the same query (nothing: the same answer)."""
    shown = [v for v in local.variables if v not in hidden]
    if [v for v in remote.variables if v not in hidden] != shown:
        return [f"columns {shown} here, {list(remote.variables)} there"]
    problems = []
    keyed = []
    for answer in (local, remote):
        at = [answer.variables.index(v) for v in shown]
        keyed.append([tuple(canonical(row[i]) for i in at) for row in answer.rows])
    here, there = Counter(keyed[0]), Counter(keyed[1])
    if here != there:
        only_here = sorted(map(str, (here - there).elements()))[:3]
        only_there = sorted(map(str, (there - here).elements()))[:3]
        problems.append(f"rows only here {only_here}; only there {only_there}")
    ordered = [shown.index(v) for v in order_columns(query_text) if v in shown]
    sequences = [[tuple(row[i] for i in ordered) for row in rows] for rows in keyed]
    if ordered and sequences[0] != sequences[1]:
        problems.append(f"the rows come in another order (by {[shown[i] for i in ordered]})")
    return problems
