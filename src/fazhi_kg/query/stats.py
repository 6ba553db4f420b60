"""Counts of every fact family, per report and for the whole corpus (`fazhi stats`): the rows of
the stored query `fact-counts` and a last row `all` with their sums."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pyoxigraph as ox

from fazhi_kg.iris import XSD
from fazhi_kg.query.answer import Answer
from fazhi_kg.query.catalogue import get
from fazhi_kg.query.engine import run

__all__ = ["TOTAL", "fact_counts"]

TOTAL = "all"
"""The `report` of the row that sums every report."""


def fact_counts(
    store: ox.Store, *, reports: Sequence[tuple[str, ox.NamedNode]] | None = None
) -> Answer:
    """One row per report (or per chosen report) with the number of facts of each family, and a
    last row `all` with the sums."""
    answer = run(store, get("fact-counts").text, reports=reports, scope="report")
    integer = ox.NamedNode(XSD + "integer")
    sums = [0] * (len(answer.variables) - 1)
    for row in answer.rows:
        for i, cell in enumerate(row[1:]):
            sums[i] += int(cell.value) if isinstance(cell, ox.Literal) else 0
    total = (ox.Literal(TOTAL), *(ox.Literal(str(n), datatype=integer) for n in sums))
    return replace(answer, rows=(*answer.rows, total))
