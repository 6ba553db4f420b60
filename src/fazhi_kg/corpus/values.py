"""The value index of a corpus store: every distinct literal of the predicates that stored queries
search by a word (`narrow` in a query's header: names by `rdfs:label`, indicators by
`fz:measures`), with the number of quads that hold it, in a file beside the generation's record.

A query such as `compare-indicators` keeps the indicators whose measured object contains a word.
Oxigraph finds them by reading every value of `fz:measures`: 2.4 s at 17,000 reports, though none
may match. The index holds each distinct value once (at 1,000 generated reports 172,695 labels
have 6,210 distinct values), so the values that contain the word are found in milliseconds, and
the query is given those values alone (`fazhi_kg.query.engine`).

    fazhi-values.tsv      #fazhi-values 1
                          predicate IRI <TAB> quads <TAB> language <TAB> datatype <TAB> lexical form
                          ... one line per distinct value, sorted; the lexical form with
                          backslash, tab, newline and carriage return escaped

It is kept in step by each build (`fazhi_kg.corpus.loader`): after a build that changed few
reports, the counts of the last generation's file, less the values of each changed report graph
as the last generation held it, plus its values as the new one holds it; otherwise, or when the
ontology and divisions graphs were loaded anew or the indexed predicates changed, one count over
the whole store. Both give the same file (tests/test_values.py).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from fazhi_kg.atomic import write_text

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = ["FILE", "REFRESH_SHARE", "containing", "index_values", "indexed_predicates"]

FILE = "fazhi-values.tsv"
HEADER = "#fazhi-values 1"
REFRESH_SHARE = 0.05  # more changed reports than this share: count over the whole store
Key = tuple[str, str, str, str]  # predicate, language, datatype, lexical form
_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_UNESCAPES = {v: k for k, v in _ESCAPES.items()}


def indexed_predicates() -> list[str]:
    """The predicates that the stored queries' `narrow` headers search, sorted."""
    from fazhi_kg.query.catalogue import catalogue

    return sorted({q.narrow.predicate for q in catalogue().values() if q.narrow is not None})


def index_values(
    folder: Path,
    store: ox.Store,
    graphs: Collection[str],
    changed: Collection[str],
    *,
    base: tuple[ox.Store, Path, dict[str, Any]] | None,
) -> dict[str, Any]:
    """Write the value index of `store` into `folder` and give the generation record's entry for
    it. `graphs` are the report ids it holds, `changed` those loaded or dropped since the
    generation `base` (its store, its folder and its record); None when the whole store is to
    be counted (the ontology and divisions graphs were loaded anew)."""
    predicates = indexed_predicates()
    counts: Counter[Key] | None = None
    if (
        base is not None
        and (base[2].get("values") or {}).get("predicates") == predicates
        and len(changed) <= REFRESH_SHARE * max(1, len(graphs))
    ):
        base_store, base_folder, base_record = base
        base_graphs = base_record.get("graphs") or {}
        counts = _read(base_folder / FILE)
        if counts is not None:
            for rid in sorted(changed):
                if rid in base_graphs:
                    counts.subtract(_graph_values(base_store, rid, predicates))
                if rid in graphs:
                    counts.update(_graph_values(store, rid, predicates))
    if counts is None:
        counts = _store_values(store, predicates)
    kept = sorted((key, n) for key, n in counts.items() if n > 0)
    lines = [HEADER] + [f"{p}\t{n}\t{lang}\t{dt}\t{_escape(lex)}" for (p, lang, dt, lex), n in kept]
    write_text(folder / FILE, "\n".join(lines) + "\n")
    return {"predicates": predicates, "values": len(kept)}


def containing(folder: Path, predicate: str, word: str) -> list[ox.Literal]:
    """The literals of `predicate` in the index of the generation in `folder` whose lexical form
    contains `word`, in the order of their lexical forms."""
    import pyoxigraph as ox

    try:
        text = (folder / FILE).read_text(encoding="utf-8")
    except OSError:
        return []
    found = []
    # one pass of the regular expression engine over the file; a line it finds is checked again
    # on its unescaped form (an escaped word can match across an escape)
    pattern = re.compile(
        rf"^{re.escape(predicate)}\t[0-9]+\t([^\t]*)\t([^\t]*)\t(.*{re.escape(_escape(word))}.*)$",
        re.MULTILINE,
    )
    for m in pattern.finditer(text):
        lang, dt, lexical = m.group(1), m.group(2), _unescape(m.group(3))
        if word not in lexical:
            continue
        if lang:
            found.append(ox.Literal(lexical, language=lang))
        else:
            found.append(ox.Literal(lexical, datatype=ox.NamedNode(dt)))
    return found


def _escape(text: str) -> str:
    return re.sub(r"[\\\t\n\r]", lambda m: _ESCAPES[m.group(0)], text)


def _unescape(text: str) -> str:
    return re.sub(r"\\[\\tnr]", lambda m: _UNESCAPES[m.group(0)], text)


def _read(path: Path) -> Counter[Key] | None:
    """The counts of an index file; None when there is none."""
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except OSError:
        return None
    if not lines or lines[0] != HEADER:
        return None
    counts: Counter[Key] = Counter()
    for line in lines[1:]:
        if not line:
            continue
        p, n, lang, dt, lexical = line.split("\t", 4)
        counts[(p, lang, dt, _unescape(lexical))] = int(n)
    return counts


def _keys(quads: Iterable[Any]) -> Iterable[Key]:
    import pyoxigraph as ox

    for quad in quads:
        value = quad.object
        if isinstance(value, ox.Literal):
            lang = value.language or ""
            yield (quad.predicate.value, lang, "" if lang else value.datatype.value, value.value)


def _graph_values(store: ox.Store, rid: str, predicates: Sequence[str]) -> Counter[Key]:
    import pyoxigraph as ox

    from fazhi_kg.iris import graph_iri

    graph = ox.NamedNode(graph_iri(rid))
    out: Counter[Key] = Counter()
    for p in predicates:
        out.update(_keys(store.quads_for_pattern(None, ox.NamedNode(p), None, graph)))
    return out


def _store_values(store: ox.Store, predicates: Sequence[str]) -> Counter[Key]:
    """The counts over every named graph of the store, by one grouped query."""
    import pyoxigraph as ox

    out: Counter[Key] = Counter()
    if not predicates:
        return out
    listed = " ".join(f"<{p}>" for p in predicates)
    rows = store.query(
        "SELECT ?p ?v (COUNT(*) AS ?n) WHERE { VALUES ?p { " + listed + " } "
        "GRAPH ?g { ?s ?p ?v } FILTER(isLiteral(?v)) } GROUP BY ?p ?v"
    )
    for row in cast(ox.QuerySolutions, rows):
        p, value, n = row[0], row[1], row[2]
        if isinstance(p, ox.NamedNode) and isinstance(value, ox.Literal) and n is not None:
            lang = value.language or ""
            key = (p.value, lang, "" if lang else value.datatype.value, value.value)
            out[key] = int(n.value)
    return out
