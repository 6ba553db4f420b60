"""Which reports of a corpus store have rows, for each sparse stored query (`sparse: true`: scope
report, no parameters, rows in few reports, such as `unaddressed-problems`).

A page of such a query read report by report would read most of the corpus before it found a
row, and the whole query reads all of it: 6.1 s at 17,000 reports. So each build records, in the
store's generation record, the reports that have rows (`rows`: query name → the SHA-256 of its
text and the report ids), and a page reads only those (`fazhi_kg.query.pages.by_part`).

The record is kept in step by the query itself, run on the store being made: after a build that
changed few reports, the reports kept from the last record plus those of the changed reports
that have rows; otherwise, or when the query's text changed, the whole query once. A report's
rows depend on its graph alone (the meaning of scope report, which tests/test_pages.py checks
for every stored query), so both give the same reports.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, cast

import pyoxigraph as ox

__all__ = ["REFRESH_SHARE", "index_rows"]

REFRESH_SHARE = 0.05  # more changed reports than this share: run the whole query once


def index_rows(
    store: ox.Store,
    graphs: Collection[str],
    changed: Collection[str],
    base: Mapping[str, Any] | None,
) -> dict[str, dict[str, Any]]:
    """The `rows` entry of a generation record for a store holding the report graphs `graphs`
    (ids), of which `changed` were loaded or dropped since the generation whose `rows` entry is
    `base`."""
    from fazhi_kg.iris import graph_iri
    from fazhi_kg.query.catalogue import catalogue
    from fazhi_kg.query.pages import text_key

    present = set(graphs)
    fresh = sorted(present.intersection(changed))
    out: dict[str, dict[str, Any]] = {}
    for name, query in sorted(catalogue().items()):
        if not query.sparse:
            continue
        key = text_key(query.text)
        old = (base or {}).get(name)
        if (
            isinstance(old, dict)
            and old.get("sha") == key
            and len(changed) <= REFRESH_SHARE * max(1, len(present))
        ):
            kept = {r for r in old.get("reports", ()) if r in present and r not in changed}
            for rid in fresh:
                kept |= _reports(store, query.text, [ox.NamedNode(graph_iri(rid))])
        else:
            kept = _reports(store, query.text, None)
        out[name] = {"sha": key, "reports": sorted(kept & present)}
    return out


def _reports(store: ox.Store, text: str, graphs: list[ox.NamedNode] | None) -> set[str]:
    """The ids in the ?report column of the query's rows, over `graphs` or the whole store."""
    from fazhi_kg.query.answer import evaluate

    result = cast(ox.QuerySolutions, evaluate(store, text, {}, graphs))
    return {row["report"].value for row in result if row["report"] is not None}
