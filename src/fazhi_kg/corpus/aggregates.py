"""Cross-report answers computed once per build: the stored queries marked `precomputed: true`
(queries/README.md), whose every row combines all the reports, so that no page of them can be
read report by report.

`shared-mechanisms` counts, for each mechanism name, the reports and jurisdictions that name it
and its first and last year: at 17,000 reports the query reads 435,000 mechanisms, 18 s for any
page. Each report's share is small and known when it is built: its year, its division and its
mechanisms' names with their kinds (`summary`, kept in the build manifest with the report's
entry). So each build adds up the summaries of every report in the corpus (0.4 s at 17,000
reports, whatever changed) into the query's rows, ordered as its ORDER BY orders them, and writes
them beside the generation's record; a page reads its first lines (`fazhi_kg.query.pages`).

    fazhi-answers/shared-mechanisms.jsonl     one row a line: mechanism, kind_label, reports,
                                              jurisdictions, first_year, last_year

The rows are those of the query's text recorded with them (its SHA-256): a query whose text has
changed since is run as it is. tests/test_aggregates.py checks that they equal the query's own
answer, for every `min_reports`, after rebuilds too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fazhi_kg.atomic import write_text

if TYPE_CHECKING:
    import pyoxigraph as ox


__all__ = [
    "FOLDER",
    "PRECOMPUTED",
    "answer_keys",
    "answer_rows",
    "page",
    "precompute",
]

FOLDER = "fazhi-answers"
PRECOMPUTED = ("shared-mechanisms",)  # the stored queries this module can answer


def precompute(
    folder: Path, store: ox.Store, reports: Mapping[str, tuple[str, Mapping[str, Any]]]
) -> dict[str, Any]:
    """Write the precomputed answers of the corpus whose reports are `reports` (report id →
    division code, summary) into the generation `folder`; the record's entry for them."""
    from fazhi_kg.query.catalogue import catalogue
    from fazhi_kg.query.pages import text_key

    rows = _shared_mechanisms(store, reports)
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    (folder / FOLDER).mkdir(exist_ok=True)
    write_text(folder / FOLDER / "shared-mechanisms.jsonl", "".join(x + "\n" for x in lines))
    query = catalogue()["shared-mechanisms"]
    return {"shared-mechanisms": {"sha": text_key(query.text), "rows": len(rows)}}


def _shared_mechanisms(
    store: ox.Store, reports: Mapping[str, tuple[str, Mapping[str, Any]]]
) -> list[list[Any]]:
    """The rows of shared-mechanisms for min_reports 1, in its order."""
    from fazhi_kg.iris import FZ_NS, division_iri

    names: dict[str, list[Any]] = {}  # name → [reports, jurisdictions, years, kinds]
    for _, (division, share) in sorted(reports.items()):
        year = share.get("year")
        for name, words in share.get("mechanisms", {}).items():
            kinds = {FZ_NS + name for name in words.split(",") if name}
            seen = names.setdefault(name, [0, set(), set(), set()])
            seen[0] += 1
            if division:
                seen[1].add(division_iri(division))
            if year is not None:
                seen[2].add(int(year))
            seen[3].update(kinds)
    labels = _kind_labels(store)
    rows = []
    for name, (count, places, years, kinds) in names.items():
        kind = labels.get(min(kinds)) if kinds else None
        first, last = (min(years), max(years)) if years else (None, None)
        rows.append([name, kind, count, len(places), first, last])
    # ORDER BY DESC(?reports) ?mechanism ?kind_label ?jurisdictions ?first_year ?last_year, an
    # unbound value first
    rows.sort(
        key=lambda r: (
            -r[2],
            r[0],
            (r[1] is not None, r[1] or ""),
            r[3],
            (r[4] is not None, r[4] or 0),
            (r[5] is not None, r[5] or 0),
        )
    )
    return rows


def _kind_labels(store: ox.Store) -> dict[str, str]:
    """Each mechanism kind's @zh preferred label, from the store's ontology graph."""
    import pyoxigraph as ox

    from fazhi_kg.iris import ONTOLOGY_GRAPH, SKOS

    out: dict[str, str] = {}
    for quad in store.quads_for_pattern(
        None, ox.NamedNode(SKOS + "prefLabel"), None, ox.NamedNode(ONTOLOGY_GRAPH)
    ):
        value, subject = quad.object, quad.subject
        if not (isinstance(value, ox.Literal) and isinstance(subject, ox.NamedNode)):
            continue
        if value.language == "zh":
            out.setdefault(subject.value, value.value)
    return out


def answer_keys() -> dict[str, str]:
    """The SHA-256 of the text of each precomputed stored query, as the record keeps it."""
    from fazhi_kg.query.catalogue import catalogue
    from fazhi_kg.query.pages import text_key

    return {name: text_key(catalogue()[name].text) for name in PRECOMPUTED}


def answer_rows(folder: Path, name: str) -> Iterator[list[Any]]:
    """The precomputed rows of stored query `name` in the generation `folder`, one by one."""
    with open(folder / FOLDER / f"{name}.jsonl", encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def page(
    folder: Path, name: str, subs: Mapping[ox.Variable, Any], limit: int | None
) -> tuple[tuple[str, ...], list[tuple[Any, ...]], bool] | None:
    """The columns and the first `limit` rows (all without one) of precomputed query `name` with
    the parameters `subs`, and whether more rows follow; None when its parameters are not
    given as it takes them."""
    import pyoxigraph as ox

    from fazhi_kg.iris import XSD

    least = subs.get(ox.Variable("min_reports"))
    if name != "shared-mechanisms" or not isinstance(least, ox.Literal):
        return None
    if least.datatype.value != XSD + "integer" or set(subs) != {ox.Variable("min_reports")}:
        return None

    def number(n: int | None) -> ox.Literal | None:
        return None if n is None else ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer"))

    rows: list[tuple[Any, ...]] = []
    for mechanism, kind, reports, places, first, last in answer_rows(folder, name):
        if reports < int(least.value):  # ordered by the number of reports, most first
            break
        if limit is not None and len(rows) == limit:
            return _COLUMNS, rows, True
        label = None if kind is None else ox.Literal(kind, language="zh")
        rows.append(
            (
                ox.Literal(mechanism),
                label,
                number(reports),
                number(places),
                number(first),
                number(last),
                least,
            )
        )
    return _COLUMNS, rows, False


_COLUMNS = (
    "mechanism",
    "kind_label",
    "reports",
    "jurisdictions",
    "first_year",
    "last_year",
    "min_reports",
)
