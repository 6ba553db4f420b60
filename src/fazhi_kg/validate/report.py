"""The validation report: one `Result` per finding, with the text evidence of its focus node, and
the `Report` of one or more graphs, read from a SHACL validation report graph
(https://www.w3.org/TR/shacl/#validation-report) whichever engine wrote it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rdflib import Graph, Literal, URIRef

from fazhi_kg.validate.vocab import RDF, SH

__all__ = ["SEVERITY_RANK", "Evidence", "Report", "Result", "report_of"]

SEVERITY_RANK = {"Violation": 0, "Warning": 1, "Info": 2}

Evidence = Callable[[Any], tuple[str | None, str | None, str | None]]
"""A focus node's quote, section path and quote in context (`fazhi_kg.validate.evidence`)."""


@dataclass(frozen=True)
class Result:
    """One validation result, with the text evidence of its focus node where it has one."""

    severity: str
    focus: str
    path: str | None
    value: str | None
    constraint: str
    shape: str
    messages: dict[str, str]
    quote: str | None
    section: str | None = None
    context: str | None = None  # the quote's sentence, the quote marked 【】


@dataclass(frozen=True)
class Report:
    """The outcome of validating one or more graphs."""

    conforms: bool
    results: tuple[Result, ...]
    graph: Graph

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)


def report_of(report_graph: Graph, evidence: Evidence) -> Report:
    """The `Report` of a SHACL validation report graph, results in a fixed order."""
    results = [
        _result(report_graph, r, evidence)
        for r in sorted(report_graph.subjects(RDF.type, SH.ValidationResult), key=str)
        if (None, SH.detail, r) not in report_graph  # a nested detail: its parent says the same
    ]
    results.sort(
        key=lambda x: (
            SEVERITY_RANK.get(x.severity, 3),
            x.shape,
            x.focus,
            x.constraint,
            x.value or "",
        )
    )
    conforms = not any(r.severity == "Violation" for r in results)
    return Report(conforms=conforms, results=tuple(results), graph=report_graph)


def _result(report_graph: Graph, r: Any, evidence: Evidence) -> Result:
    def one(p: URIRef) -> str | None:
        v = report_graph.value(r, p)
        return None if v is None else str(v)

    messages: dict[str, str] = {}
    for m in sorted(report_graph.objects(r, SH.resultMessage), key=str):
        lang = m.language if isinstance(m, Literal) and m.language else "en"
        messages.setdefault(lang, str(m))
    focus = report_graph.value(r, SH.focusNode)
    quote, section, context = evidence(focus) if focus is not None else (None, None, None)
    path = report_graph.value(r, SH.resultPath)
    return Result(
        severity=(one(SH.resultSeverity) or "").rsplit("#", 1)[-1],
        focus=str(focus),
        path=str(path) if isinstance(path, URIRef) else None,
        value=one(SH.value),
        constraint=(one(SH.sourceConstraintComponent) or "").rsplit("#", 1)[-1],
        shape=one(SH.sourceShape) or "",
        messages=messages,
        quote=quote,
        section=section,
        context=context,
    )
