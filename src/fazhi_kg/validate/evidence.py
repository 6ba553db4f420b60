"""The text evidence of a result's focus node: its quote, the path of its section, and the quote
in its sentence (the quote marked 【】 when it is short), read from the data graph that was
validated, an rdflib graph (pySHACL) or the fast engine's Oxigraph workspace.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef

from fazhi_kg.iris import FZ, OA
from fazhi_kg.rdfio.terms import from_rdflib
from fazhi_kg.validate.report import Evidence

__all__ = ["rdflib_evidence", "store_evidence"]

_SHORT = 40  # characters: a longer quote is shown alone


def _in_context(quote: str, before: str | None, after: str | None) -> str | None:
    if (before or after) and len(quote) < _SHORT:
        return f"{before or ''}【{quote}】{after or ''}"
    return None


def rdflib_evidence(data: Graph) -> Evidence:
    """The evidence of focus nodes, read from an rdflib graph."""

    def value(subject: Any, predicate: str) -> Any:
        return data.value(subject, URIRef(predicate))

    def evidence(focus: Any) -> tuple[str | None, str | None, str | None]:
        quote = section = context = None
        for ev in sorted(data.objects(focus, URIRef(FZ.evidence)), key=str):
            selector = URIRef(f"{ev}/quote")
            exact = value(selector, OA.exact)
            if exact is not None:
                quote = str(exact)
                before, after = value(selector, OA.prefix), value(selector, OA.suffix)
                context = _in_context(quote, before and str(before), after and str(after))
                break
        sec = value(focus, FZ.inSection)
        if sec is not None:
            section = str(value(sec, FZ.path) or "") or None
        return quote, section, context

    return evidence


def store_evidence(ws: Any) -> Evidence:
    """The same as `rdflib_evidence`, read from the data graph of a fast-engine workspace
    (`fazhi_kg.validate.compiled.Workspace`)."""

    def first(subject: Any, predicate: str) -> str | None:
        found = ws.objects(subject, predicate)
        return str(found[0].value) if found else None

    def evidence(focus: Any) -> tuple[str | None, str | None, str | None]:
        if not isinstance(focus, (URIRef, BNode)):
            return None, None, None
        node = from_rdflib(focus)
        quote = section = context = None
        for ev in ws.objects(node, FZ.evidence):
            if not isinstance(ev, ox.NamedNode):
                continue
            selector = ox.NamedNode(f"{ev.value}/quote")
            quote = first(selector, OA.exact)
            if quote is not None:
                before, after = first(selector, OA.prefix), first(selector, OA.suffix)
                context = _in_context(quote, before, after)
                break
        sec = ws.objects(node, FZ.inSection)
        if sec:
            section = first(sec[0], FZ.path) or None
        return quote, section, context

    return evidence
